/* core/pcache.c: entries by code at an exact version and day, replaced,
 * evicted oldest first within the byte bound, freshness epochs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pcache.h"

static void test_exact_version_and_day(void **state)
{
	(void)state;
	pcache_t c;
	assert_int_equal(pcache_init(&c, 1 << 20), 0);
	const uint8_t v3[] = "three";
	assert_int_equal(pcache_put(&c, "P-1", 3, 100, v3, sizeof(v3)), 0);
	size_t n = 0;
	const uint8_t *got = pcache_get(&c, "P-1", 3, 100, &n);
	assert_non_null(got);
	assert_int_equal(n, sizeof(v3));
	assert_memory_equal(got, v3, n);
	assert_null(pcache_get(&c, "P-1", 4, 100, &n));  /* another version */
	assert_null(pcache_get(&c, "P-1", 3, 101, &n));  /* the next day: derived figures change */
	assert_null(pcache_get(&c, "P-2", 3, 100, &n));
	/* a new version replaces the old one */
	const uint8_t v4[] = "four!";
	assert_int_equal(pcache_put(&c, "P-1", 4, 100, v4, sizeof(v4)), 0);
	assert_null(pcache_get(&c, "P-1", 3, 100, &n));
	assert_non_null(pcache_get(&c, "P-1", 4, 100, &n));
	/* a slower request that built an older version does not replace it */
	assert_int_equal(pcache_put(&c, "P-1", 3, 100, v3, sizeof(v3)), 0);
	assert_non_null(pcache_get(&c, "P-1", 4, 100, &n));
	assert_true(pcache_has(&c, "P-1"));
	pcache_del(&c, "P-1");
	assert_false(pcache_has(&c, "P-1"));
	assert_null(pcache_get(&c, "P-1", 4, 100, &n));
	pcache_free(&c);
}

static void test_bounded_oldest_out(void **state)
{
	(void)state;
	pcache_t c;
	assert_int_equal(pcache_init(&c, 8192), 0);
	uint8_t blob[1000];
	memset(blob, 7, sizeof(blob));
	char code[16];
	for (int i = 0; i < 20; i++) {
		snprintf(code, sizeof(code), "P-%d", i);
		assert_int_equal(pcache_put(&c, code, 1, 1, blob, sizeof(blob)), 0);
		assert_true(c.bytes <= c.max_bytes);
	}
	size_t n;
	assert_non_null(pcache_get(&c, "P-19", 1, 1, &n));  /* the newest stays */
	assert_null(pcache_get(&c, "P-0", 1, 1, &n));       /* the oldest went */
	/* an entry over a quarter of the cache is refused, nothing else lost */
	uint8_t big[2100] = { 0 };
	assert_int_equal(pcache_put(&c, "BIG", 1, 1, big, sizeof(big)), -1);
	assert_non_null(pcache_get(&c, "P-19", 1, 1, &n));
	pcache_free(&c);
}

static void test_off(void **state)
{
	(void)state;
	pcache_t c;
	assert_int_equal(pcache_init(&c, 0), 0);
	const uint8_t v[] = "x";
	pcache_put(&c, "P-1", 1, 1, v, sizeof(v));
	size_t n;
	assert_null(pcache_get(&c, "P-1", 1, 1, &n));
	assert_false(pcache_has(&c, "P-1"));
	pcache_free(&c);
}

static void test_epochs(void **state)
{
	(void)state;
	pcache_t c;
	assert_int_equal(pcache_init(&c, 1 << 20), 0);
	const uint8_t v[] = "doc";
	pcache_put(&c, "P-1", 5, 1, v, sizeof(v));
	int64_t version = 0;
	assert_false(pcache_confirmed(&c, "P-1", 1, &version));
	pcache_confirm(&c, "P-1", 4, 1);  /* not the version held: ignored */
	assert_false(pcache_confirmed(&c, "P-1", 1, &version));
	pcache_confirm(&c, "P-1", 5, 1);
	assert_true(pcache_confirmed(&c, "P-1", 1, &version));
	assert_int_equal(version, 5);
	assert_false(pcache_confirmed(&c, "P-1", 2, &version));  /* a later epoch must ask again */
	pcache_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_version_and_day),
		cmocka_unit_test(test_bounded_oldest_out),
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_epochs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
