/* common/derived.c on the example card: 소요예산 116 in all (city 116), 29 for
 * the as-of year 2021, 집행률 46.03 %; overdue by the target month unless
 * completed or dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "derived.h"
#include "doc_io.h"
#include "period.h"

static arena_t *a;
static doc_node_t *doc;

static int setup(void **state)
{
	(void)state;
	a = arena_new(0);
	const char *err = NULL;
	doc = doc_read_file(a, YK_SRC "/examples/suwon-governance.yaml", &err);
	return doc ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	return 0;
}

static const char *num_at(const char *section, const char *key)
{
	const doc_node_t *d = doc_get(doc_get(doc, "derived"), section);
	const doc_node_t *n = key ? doc_get(d, key) : d;
	return n && n->type == DOC_NUM ? n->s : "(none)";
}

static void test_example(void **state)
{
	(void)state;
	assert_int_equal(derived_add(a, doc, 0), 0);
	assert_string_equal(num_at("budget_total", "all"), "116");
	assert_string_equal(num_at("budget_total", "city"), "116");
	assert_string_equal(num_at("budget_year", "year"), "2021");
	assert_string_equal(num_at("budget_year", "amount"), "29");
	assert_string_equal(num_at("execution_rate_pct", NULL), "46.03");
	const doc_node_t *od = doc_get(doc_get(doc, "derived"), "overdue");
	assert_non_null(od);
	assert_false(od->b);  /* completed_ongoing is never overdue */
}

static void set_text(const char *key, const char *value)
{
	doc_node_t *v = doc_str(a, value, strlen(value));
	for (size_t i = 0; i < doc->n; i++)
		if (!strcmp(doc->keys[i], key))
			doc->items[i] = v;
}

static void test_overdue(void **state)
{
	(void)state;
	set_text("status", "in_progress");  /* target 2019-12, as of 2021-03-31 */
	assert_int_equal(derived_add(a, doc, 0), 0);
	assert_true(doc_get(doc_get(doc, "derived"), "overdue")->b);
	set_text("status", "dropped");
	assert_int_equal(derived_add(a, doc, 0), 0);  /* again, on a tree that has them */
	assert_false(doc_get(doc_get(doc, "derived"), "overdue")->b);
	size_t keys = 0;
	for (size_t i = 0; i < doc->n; i++)
		keys += !strcmp(doc->keys[i], "derived");
	assert_int_equal(keys, 1);  /* replaced, not a second key */
}

/* A changed set replaces the original right before it only over exactly
 * its periods. */
static void test_set_changes(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "[{periods: [2021], basis: original}, {periods: [2021], basis: changed}]", "01" },
		{ "[{periods: [2021]}, {periods: [2021], basis: changed}]", "01" },
		{ "[{periods: [2021], basis: changed}, {periods: [2021], basis: changed}]", "00" },
		{ "[{periods: [2021], basis: original}, {periods: [2021], basis: original}]", "00" },
		{ "[{periods: [2021, 2022]}, {periods: [2021], basis: changed}]", "00" },
		{ "[{periods: []}, {periods: [], basis: changed}]", "00" },
		{ "[{periods: [2020]}, {periods: [2021]}, {periods: [2021], basis: changed}]", "001" },
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const char *err = NULL;
		doc_node_t *sets = doc_parse(a, cases[k][0], strlen(cases[k][0]), &err);
		assert_non_null(sets);
		for (size_t i = 0; cases[k][1][i]; i++)
			assert_int_equal(derived_set_changes(sets, i), cases[k][1][i] == '1');
		assert_false(derived_set_changes(sets, strlen(cases[k][1])));
	}
	assert_false(derived_set_changes(NULL, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_example, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overdue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_changes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
