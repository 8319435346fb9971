/* rules/pledge_check.c: the example passes; each broken rule is reported at
 * its path, all of them at once; text is made NFC in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "doc_io.h"
#include "pledge_check.h"

static arena_t *a;
static viol_list_t v;

static int setup(void **state)
{
	(void)state;
	a = arena_new(0);
	viol_init(&v, a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	return 0;
}

static doc_node_t *yaml(const char *text)
{
	const char *err = NULL;
	doc_node_t *d = doc_parse_yaml(a, text, strlen(text), &err);
	assert_non_null(d);
	return d;
}

static bool has_path(const char *path)
{
	for (size_t i = 0; i < v.n; i++)
		if (!strcmp(v.items[i].path, path))
			return true;
	return false;
}

static void test_example_passes(void **state)
{
	(void)state;
	const char *err = NULL;
	doc_node_t *d = doc_read_file(a, YK_SRC "/examples/suwon-governance.yaml", &err);
	assert_non_null(d);
	pledge_normalize(a, d, "", &v);
	pledge_check(a, d, &v);
	for (size_t i = 0; i < v.n; i++)
		print_error("%s: %s\n", v.items[i].path, v.items[i].problem);
	assert_int_equal(v.n, 0);
}

/* A key twice in one mapping (a protobuf map can carry it; a YAML reader
 * would not): reported once, at its path, in a large mapping too. */
static void test_key_twice(void **state)
{
	(void)state;
	const char *err = NULL;
	doc_node_t *d = doc_read_file(a, YK_SRC "/examples/suwon-governance.yaml", &err);
	assert_non_null(d);
	doc_node_t *srcs = (doc_node_t *)doc_get(doc_get(d, "budget"), "sources");
	assert_non_null(srcs);
	assert_int_equal(doc_set(a, srcs, "city", doc_new(a, DOC_MAP)), 0);
	doc_node_t *big = doc_new(a, DOC_MAP);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(doc_set(a, big, arena_printf(a, "k%d", i % 4999), doc_num(a, "1")), 0);
	assert_int_equal(doc_set(a, d, "extra", big), 0);
	pledge_check(a, d, &v);
	assert_true(has_path("budget.sources.city"));
	assert_true(has_path("extra.k0"));
	size_t twice = 0;
	for (size_t i = 0; i < v.n; i++)
		twice += strstr(v.items[i].problem, "twice") != NULL;
	assert_int_equal(twice, 2);
}

static void test_everything_reported(void **state)
{
	(void)state;
	doc_node_t *d = yaml("schema: yaksok/pledge/v1\n"
			     "code: bad code\n"
			     "title: ''\n"
			     "department: 정책기획과\n"
			     "status: finished\n"
			     "progress_pct: 120\n"
			     "target_month: 2019-13\n");
	pledge_normalize(a, d, "", &v);
	pledge_check(a, d, &v);
	assert_true(has_path("code"));
	assert_true(has_path("title"));
	assert_true(has_path("status"));
	assert_true(has_path("progress_pct"));
	assert_true(has_path("target_month"));
}

static void test_item(void **state)
{
	(void)state;
	pledge_check_item(a, yaml("text: 착수\ndate: 2021-02-30\n"), "item", &v);
	assert_int_equal(v.n, 1);
	assert_non_null(strstr(v.items[0].path, "item"));
	v.n = 0;
	pledge_check_item(a, yaml("text: 착수\ndate: 2021-02-28\nuntil: 2021-03\n"), "item", &v);
	assert_int_equal(v.n, 0);
}

static void test_nfc(void **state)
{
	(void)state;
	/* 한 as decomposed jamo (NFD) becomes the one syllable (NFC) */
	doc_node_t *d = yaml("title: \"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab\"\n");
	pledge_normalize(a, d, "", &v);
	assert_int_equal(v.n, 0);
	assert_string_equal(doc_text(d, "title"), "\xed\x95\x9c");
	d = yaml("title: x\n");
	d->items[0]->s = (char *)"\xff\xfe";
	d->items[0]->len = 2;
	pledge_normalize(a, d, "", &v);
	assert_true(has_path("title"));
}

/* The quick updates' parts, each checked on its own as the whole
 * document's check would: paths name the field of the update (or the cell). */
static void test_parts(void **state)
{
	(void)state;
	doc_node_t *cell = doc_str(a, "운영", strlen("운영"));
	pledge_check_cell(a, cell, "value", &v);
	assert_int_equal(v.n, 0);
	char long_text[400] = "";
	for (int i = 0; i < 101; i++)
		strcat(long_text, "가");
	pledge_check_cell(a, doc_str(a, long_text, strlen(long_text)), "value", &v);
	pledge_check_cell(a, doc_str(a, "a\x01", 2), "value", &v);
	assert_int_equal(v.n, 2);
	assert_true(has_path("value"));
	v.n = 0;

	pledge_check_budget_cell(a, "city", "2021", yaml("secured: 10\nexecuted: 5\n"), &v);
	assert_int_equal(v.n, 0);
	pledge_check_budget_cell(a, "moon", "2021", yaml("secured: -1\nplanned: 10000000000\n"), &v);
	assert_true(has_path("budget.sources.moon"));
	assert_true(has_path("budget.sources.moon.amounts.2021.secured"));
	assert_true(has_path("budget.sources.moon.amounts.2021.planned"));
	assert_int_equal(v.n, 3);
	v.n = 0;

	pledge_check_status(a, yaml("progress_pct: 35\n"), &v);
	assert_int_equal(v.n, 0);
	pledge_check_status(a, yaml("status: finished\nprogress_pct: 101\n"), &v);
	assert_true(has_path("status"));
	assert_true(has_path("progress_pct"));
	v.n = 0;

	pledge_check_suggestion(a, yaml("round: 2021-H1\nsuggestion: \"백서 공개\\n온라인으로\"\n"), &v);
	assert_int_equal(v.n, 0);
	pledge_check_suggestion(a, yaml("round: 2021-H9\ncommittee: \"위원\\n회\"\n"), &v);
	assert_true(has_path("round"));
	assert_true(has_path("committee"));  /* one line */
	assert_true(has_path("suggestion")); /* required */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_example_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_everything_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_item, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nfc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
