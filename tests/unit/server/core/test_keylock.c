/* core/keylock.c: one holder per key, waiters in arrival order, keys
 * independent of each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "keylock.h"

static char order[16];
static size_t n_order;

typedef struct {
	keylock_waiter_t w;
	char name;
} waiter_t;

static void ran(keylock_waiter_t *w)
{
	order[n_order++] = ((waiter_t *)w)->name;
}

static void test_turns(void **state)
{
	(void)state;
	keylock_t l = { 0 };
	n_order = 0;
	waiter_t a = { { ran, NULL }, 'a' }, b = { { ran, NULL }, 'b' }, c = { { ran, NULL }, 'c' }, x = { { ran, NULL }, 'x' };
	keylock_acquire(&l, "P-1", &a.w);  /* free: runs now */
	keylock_acquire(&l, "P-1", &b.w);
	keylock_acquire(&l, "P-1", &c.w);
	keylock_acquire(&l, "P-2", &x.w);  /* another key: runs now */
	assert_int_equal(n_order, 2);
	assert_memory_equal(order, "ax", 2);
	keylock_release(&l, "P-1");
	assert_int_equal(n_order, 3);
	assert_int_equal(order[2], 'b');
	keylock_release(&l, "P-2");
	assert_int_equal(n_order, 3);
	keylock_release(&l, "P-1");
	assert_int_equal(order[3], 'c');
	keylock_release(&l, "P-1");
	assert_null(l.held);  /* nothing left behind */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
