/* core/session.c's cache: remembered principals come back as copies, are
 * forgotten on the database's word, and the cache keeps at most its bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conn.h"
#include "fake_pool.h"
#include "ops.h"
#include "session.h"

/* session.c's request half (the database check) talks to connections; the
 * cache tested here does not, so they are stubs. */
void conn_send(conn_t *c, const Yk__Response *resp) { (void)c, (void)resp; }
void conn_send_with(conn_t *c, const Yk__Response *resp, uint32_t field, const uint8_t *body, size_t len)
{
	(void)c, (void)resp, (void)field, (void)body, (void)len;
}
void conn_request_done(conn_t *c) { (void)c; }
void conn_authenticated(conn_t *c) { (void)c; }

static principal_t someone(char *id, char *login, char *role, char *dept_id, char *dept)
{
	return (principal_t){ .account_id = id, .login = login, .role = role, .department_id = dept_id, .department = dept };
}

static void test_remember_recall_forget(void **state)
{
	(void)state;
	session_cache_t c;
	assert_int_equal(session_cache_init(&c, 10), 0);
	arena_t *a = arena_new(0);
	char login[] = "kim";
	principal_t kim = someone("7", login, "department", "3", "복지과");
	session_remember(&c, "\\xaa", &kim);
	login[0] = 'X';  /* the cache holds its own copy */
	principal_t got = { 0 };
	assert_true(session_recall(&c, "\\xaa", a, &got));
	assert_string_equal(got.account_id, "7");
	assert_string_equal(got.login, "kim");
	assert_string_equal(got.department, "복지과");
	assert_int_equal(got.role_bit, YK_ROLE_DEPARTMENT);
	assert_false(session_recall(&c, "\\xbb", a, &got));
	/* no department: NULL, not "" */
	principal_t admin = someone("1", "admin", "admin", NULL, NULL);
	session_remember(&c, "\\xbb", &admin);
	assert_true(session_recall(&c, "\\xbb", a, &got));
	assert_null(got.department_id);
	assert_null(got.department);
	session_forget(&c, "\\xaa");
	assert_false(session_recall(&c, "\\xaa", a, &got));
	session_forget(&c, "\\xaa");  /* twice is harmless */
	arena_free(a);
	session_cache_free(&c);
}

static void test_bounded(void **state)
{
	(void)state;
	session_cache_t c;
	assert_int_equal(session_cache_init(&c, 3), 0);
	arena_t *a = arena_new(0);
	principal_t p = someone("1", "admin", "admin", NULL, NULL);
	char hash[16];
	for (int i = 0; i < 10; i++) {
		snprintf(hash, sizeof(hash), "\\x%02d", i);
		session_remember(&c, hash, &p);
		assert_true(c.table.n <= 3);
	}
	principal_t got;
	assert_true(session_recall(&c, "\\x09", a, &got));
	assert_false(session_recall(&c, "\\x00", a, &got));
	/* remembering one again does not count it twice */
	session_remember(&c, "\\x09", &p);
	assert_int_equal(c.table.n, 3);
	arena_free(a);
	session_cache_free(&c);
}

static void test_off(void **state)
{
	(void)state;
	session_cache_t c;
	assert_int_equal(session_cache_init(&c, 0), 0);
	arena_t *a = arena_new(0);
	principal_t p = someone("1", "admin", "admin", NULL, NULL), got;
	session_remember(&c, "\\xaa", &p);
	assert_false(session_recall(&c, "\\xaa", a, &got));
	arena_free(a);
	session_cache_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remember_recall_forget),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
