/* core/keyed.c: entries found by key, kept oldest first, removed from
 * anywhere in the order; a full bucket chain still finds each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "keyed.h"

typedef struct {
	keyed_node_t node;
	char key[16];
} entry_t;

static void test_order_and_removal(void **state)
{
	(void)state;
	keyed_t t;
	assert_int_equal(keyed_init(&t, 4), 0);
	entry_t e[600];
	for (int i = 0; i < 600; i++) {  /* more entries than buckets: chains */
		snprintf(e[i].key, sizeof(e[i].key), "K-%d", i);
		e[i].node.key = e[i].key;
		keyed_add(&t, &e[i].node);
	}
	assert_int_equal(t.n, 600);
	for (int i = 0; i < 600; i++)
		assert_ptr_equal(keyed_find(&t, e[i].key), &e[i].node);
	assert_null(keyed_find(&t, "K-600"));
	assert_ptr_equal(t.oldest, &e[0].node);
	assert_ptr_equal(t.newest, &e[599].node);
	keyed_remove(&t, &e[0].node);    /* the oldest */
	keyed_remove(&t, &e[300].node);  /* the middle */
	keyed_remove(&t, &e[599].node);  /* the newest */
	keyed_remove(&t, &e[300].node);  /* twice: nothing */
	assert_int_equal(t.n, 597);
	assert_ptr_equal(t.oldest, &e[1].node);
	assert_ptr_equal(t.newest, &e[598].node);
	assert_ptr_equal(e[299].node.newer, &e[301].node);
	assert_null(keyed_find(&t, "K-300"));
	assert_ptr_equal(keyed_find(&t, "K-301"), &e[301].node);
	keyed_release(&t);
	assert_null(keyed_find(&t, "K-1"));  /* a released table finds nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_removal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
