/* client/dashboard.c: the dashboard an export makes of the part of each card
 * it keeps (dashboard_part) is the one it would make of the whole cards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "derived.h"
#include "doc_io.h"
#include "export.h"
#include "period.h"

static doc_node_t *card(arena_t *a, const char *code, const char *dept, const char *status, const char *month)
{
	const char *err = NULL;
	doc_node_t *d = doc_read_file(a, YK_SRC "/examples/suwon-governance.yaml", &err);
	assert_non_null(d);
	doc_node_t *ch = doc_new(a, DOC_MAP);
	assert_int_equal(doc_set(a, ch, "date", doc_str(a, "2021-05-03", 10)), 0);
	assert_int_equal(doc_set(a, ch, "item", doc_str(a, "목표연월", strlen("목표연월"))), 0);
	assert_int_equal(doc_set(a, ch, "reason", doc_str(a, "<사유>", strlen("<사유>"))), 0);
	assert_int_equal(doc_push(a, doc_child(a, d, "changes", DOC_SEQ), ch), 0);
	const struct {
		const char *key, *val;
	} f[] = { { "code", code }, { "department", dept }, { "status", status }, { "target_month", month } };
	for (size_t i = 0; i < 4; i++) {
		doc_del(d, f[i].key);
		assert_int_equal(doc_set(a, d, f[i].key, doc_str(a, f[i].val, strlen(f[i].val))), 0);
	}
	assert_int_equal(derived_add(a, d, day_today()), 0);
	return d;
}

static void test_kept_keys_make_the_same_dashboard(void **state)
{
	(void)state;
	arena_t *a = arena_new(0);
	doc_node_t *docs[] = { card(a, "D-1", "정책기획과", "in_progress", "2019-12"),
			       card(a, "D-2", "자치분권과", "completed", "2030-12"),
			       card(a, "D-3", "정책기획과", "delayed", "2020-06") };
	doc_node_t *slim[3];
	for (size_t i = 0; i < 3; i++) {
		slim[i] = dashboard_part(a, docs[i]);
		assert_non_null(slim[i]);
		assert_true(slim[i]->n < docs[i]->n); /* something was left out */
	}
	city_t whole = { .a = a, .docs = docs, .n = 3, .city = "수원시" };
	city_t kept = { .a = a, .docs = slim, .n = 3, .city = "수원시" };
	buf_t x = BUF_INIT, y = BUF_INIT;
	assert_int_equal(dashboard_html(&whole, &x), 0);
	assert_int_equal(dashboard_html(&kept, &y), 0);
	assert_true(x.len > 1000);
	assert_int_equal(x.len, y.len);
	assert_memory_equal(x.data, y.data, x.len);
	assert_non_null(strstr((const char *)x.data, "&lt;사유&gt;")); /* the changes are in it */
	buf_free(&x);
	buf_free(&y);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_keys_make_the_same_dashboard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
