/* core/throttle.c: failures within the window lock a key out, each lockout
 * twice as long up to the cap; the window and forget reset it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "throttle.h"

static throttle_t t;

static void test_lockout_and_doubling(void **state)
{
	(void)state;
	throttle_init(&t, 3, 60000, 1000, 3000);
	uint64_t now = 1000000;
	throttle_fail(&t, "kim", now);
	throttle_fail(&t, "kim", now);
	assert_int_equal(throttle_wait(&t, "kim", now), 0);
	throttle_fail(&t, "kim", now);  /* the third: locked for 1 s */
	assert_int_equal(throttle_wait(&t, "kim", now), 1);
	assert_int_equal(throttle_wait(&t, "lee", now), 0);  /* others are not */
	now += 1000;
	assert_int_equal(throttle_wait(&t, "kim", now), 0);
	for (int i = 0; i < 3; i++)
		throttle_fail(&t, "kim", now);
	assert_int_equal(throttle_wait(&t, "kim", now), 2);  /* doubled */
	now += 2000;
	for (int i = 0; i < 3; i++)
		throttle_fail(&t, "kim", now);
	assert_int_equal(throttle_wait(&t, "kim", now), 3);  /* 4 s capped at 3 s */
	throttle_forget(&t, "kim");
	assert_int_equal(throttle_wait(&t, "kim", now), 0);
}

static void test_forget_suffix(void **state)
{
	(void)state;
	throttle_init(&t, 2, 60000, 1000, 3000);
	uint64_t now = 1000;
	for (int i = 0; i < 2; i++) {
		throttle_fail(&t, "10.0.0.1 kim", now);
		throttle_fail(&t, "10.0.0.2 kim", now);
		throttle_fail(&t, "10.0.0.1 lee", now);
		throttle_fail(&t, "10.0.0.1 akim", now);
	}
	assert_int_equal(throttle_wait(&t, "10.0.0.2 kim", now), 1);
	assert_int_equal(throttle_forget_suffix(&t, " kim"), 2);
	assert_int_equal(throttle_wait(&t, "10.0.0.1 kim", now), 0);
	assert_int_equal(throttle_wait(&t, "10.0.0.2 kim", now), 0);
	assert_int_equal(throttle_wait(&t, "10.0.0.1 lee", now), 1);  /* others stay */
	assert_int_equal(throttle_wait(&t, "10.0.0.1 akim", now), 1);
}

static void test_window(void **state)
{
	(void)state;
	throttle_init(&t, 3, 60000, 1000, 3000);
	uint64_t now = 5000000;
	throttle_fail(&t, "kim", now);
	throttle_fail(&t, "kim", now);
	now += 60001;  /* the window passed: counting starts again */
	throttle_fail(&t, "kim", now);
	assert_int_equal(throttle_wait(&t, "kim", now), 0);
}

static void test_slots_recycled(void **state)
{
	(void)state;
	throttle_init(&t, 1, 60000, 1000, 3000);
	char key[32];
	uint64_t now = 1;
	for (int i = 0; i < THROTTLE_SLOTS * 2; i++) {
		snprintf(key, sizeof(key), "addr-%d", i);
		throttle_fail(&t, key, ++now);
	}
	/* the newest keys are still counted; the table did not grow */
	snprintf(key, sizeof(key), "addr-%d", THROTTLE_SLOTS * 2 - 1);
	assert_int_equal(throttle_wait(&t, key, now), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lockout_and_doubling),
		cmocka_unit_test(test_forget_suffix), cmocka_unit_test(test_window),
		cmocka_unit_test(test_slots_recycled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
