/* cidr: parsing ranges and matching addresses, v4, v6 and v4-mapped. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cidr.h"

static struct sockaddr_storage addr(const char *ip)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	if (strchr(ip, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, ip, &a->sin6_addr), 1);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, ip, &a->sin_addr), 1);
	}
	return ss;
}

static bool in(const char *list, const char *ip)
{
	cidr_t r[8];
	const char *bad = NULL;
	int n = cidr_parse_list(list, r, 8, &bad);
	assert_true(n >= 0);
	struct sockaddr_storage ss = addr(ip);
	return cidr_match_any(r, n, (struct sockaddr *)&ss);
}

static void test_match(void **state)
{
	(void)state;
	assert_true(in("10.0.0.0/8", "10.200.3.4"));
	assert_false(in("10.0.0.0/8", "11.0.0.1"));
	assert_true(in("192.168.1.7", "192.168.1.7"));
	assert_false(in("192.168.1.7", "192.168.1.8"));
	assert_true(in("172.16.0.0/12", "172.31.255.255"));
	assert_false(in("172.16.0.0/12", "172.32.0.0"));
	assert_true(in("127.0.11.0/24,10.0.0.0/8", "127.0.11.9"));
	assert_true(in("0.0.0.0/0", "8.8.8.8"));
	assert_true(in("2001:db8::/32", "2001:db8:1::5"));
	assert_false(in("2001:db8::/32", "2001:db9::5"));
	assert_true(in("10.0.0.0/8", "::ffff:10.1.2.3"));
	assert_false(in("2001:db8::/32", "10.1.2.3"));
	assert_false(in("", "10.1.2.3"));
}

static void test_bad(void **state)
{
	(void)state;
	cidr_t r[4];
	const char *bad = NULL;
	assert_int_equal(cidr_parse_list("10.0.0.0/8,nonsense", r, 4, &bad), -1);
	assert_string_equal(bad, "nonsense");
	assert_int_equal(cidr_parse_list("10.0.0.0/33", r, 4, &bad), -1);
	assert_int_equal(cidr_parse_list("10.0.0.0/", r, 4, &bad), -1);
	assert_int_equal(cidr_parse_list("::1/129", r, 4, &bad), -1);
	assert_int_equal(cidr_parse_list("a,b,c,d,e", r, 4, &bad), -1);
	assert_int_equal(cidr_parse_list("10.0.0.1,10.0.0.2", r, 4, &bad), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_match), cmocka_unit_test(test_bad) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
