/* The document tree: numbers, YAML and JSON in and out, comparison, and the
 * mapping to and from protobuf (docmap). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doc_io.h"
#include "docmap.h"
#include "yaksok.pb-c.h"

static arena_t *A;

static int setup(void **state)
{
	(void)state;
	A = arena_new(0);
	return A ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(A);
	return 0;
}

static const char *canon(const char *s)
{
	return doc_num_canon(A, s, strlen(s));
}

static void test_numbers(void **state)
{
	(void)state;
	assert_string_equal(canon("31"), "31");
	assert_string_equal(canon("+007.50"), "7.5");
	assert_string_equal(canon("-0"), "0");
	assert_string_equal(canon("0.05"), "0.05");
	assert_string_equal(canon(".5"), "0.5");
	assert_string_equal(canon("1e3"), "1000");
	assert_string_equal(canon("1.5e-3"), "0.0015");
	assert_string_equal(canon("100.00"), "100");
	assert_string_equal(canon("12345678901234.56"), "12345678901234.56");
	assert_null(canon("2019-01-10"));
	assert_null(canon("0x10"));
	assert_null(canon(""));
	assert_null(canon("1e999"));
	assert_null(canon("."));
}

static doc_node_t *parse(const char *s)
{
	const char *err = NULL;
	doc_node_t *d = doc_parse(A, s, strlen(s), &err);
	if (!d)
		fail_msg("parse: %s", err);
	return d;
}

static void test_yaml_scalars(void **state)
{
	(void)state;
	doc_node_t *d = parse("a: 2019\nb: \"2019\"\nc: 2019-01-10\nd: ~\ne: yes\nf: true\ng: 31.50\nh: '-'\ni:\n");
	assert_int_equal(doc_get(d, "a")->type, DOC_NUM);
	assert_int_equal(doc_get(d, "b")->type, DOC_STR);
	assert_int_equal(doc_get(d, "c")->type, DOC_STR);
	assert_int_equal(doc_get(d, "d")->type, DOC_NULL);
	assert_int_equal(doc_get(d, "e")->type, DOC_STR); /* YAML 1.2: yes is text */
	assert_int_equal(doc_get(d, "f")->type, DOC_BOOL);
	assert_string_equal(doc_get(d, "g")->s, "31.5");
	assert_string_equal(doc_get(d, "h")->s, "-");
	assert_int_equal(doc_get(d, "i")->type, DOC_NULL);
}

static void test_yaml_errors(void **state)
{
	(void)state;
	const char *err = NULL;
	const char *dup = "a: 1\nb: 2\na: 3\n";
	assert_null(doc_parse(A, dup, strlen(dup), &err));
	assert_non_null(strstr(err, "line 3"));
	assert_non_null(strstr(err, "duplicate key"));
	const char *alias = "a: &x 1\nb: *x\n";
	assert_null(doc_parse(A, alias, strlen(alias), &err));
	assert_non_null(strstr(err, "aliases"));
	const char *bad = "a: [1, 2\n";
	assert_null(doc_parse(A, bad, strlen(bad), &err));
	assert_non_null(strstr(err, "line"));
	const char *two = "a: 1\n---\nb: 2\n";
	assert_null(doc_parse(A, two, strlen(two), &err));
	const char *inval = "a: \"\xff\"\n";
	assert_null(doc_parse(A, inval, strlen(inval), &err));
}

static void test_json(void **state)
{
	(void)state;
	doc_node_t *d = parse("{\"a\": 31.5, \"b\": [1, \"x\", null], \"c\": {\"2019\": 0.1}, \"k\": \"\\ud55c\"}");
	assert_string_equal(doc_get(d, "a")->s, "31.5");
	assert_string_equal(doc_get(doc_get(d, "c"), "2019")->s, "0.1");
	assert_string_equal(doc_get(d, "k")->s, "한");
	buf_t b = BUF_INIT;
	assert_int_equal(doc_write_json(&b, d, 0), 0);
	assert_string_equal(b.data, "{\"a\":31.5,\"b\":[1,\"x\",null],\"c\":{\"2019\":0.1},\"k\":\"한\"}");
	buf_free(&b);
	/* escapes between runs of plain bytes, control bytes as \u, and an
	 * indent deeper than the writer's run of spaces */
	doc_node_t *e = parse("{\"s\": \"ab\\\"c\\\\d\\ne\\tf\\rg\\u0001h\\u007f한\"}");
	assert_int_equal(doc_write_json(&b, e, 0), 0);
	assert_string_equal(b.data, "{\"s\":\"ab\\\"c\\\\d\\ne\\tf\\rg\\u0001h\x7f한\"}");
	buf_free(&b);
	doc_node_t *deep = parse("{\"a\":{\"b\":{\"c\":1}}}");
	assert_int_equal(doc_write_json(&b, deep, 20), 0);
	assert_int_equal(strlen(b.data), strlen("{\n\"a\": {\n\"b\": {\n\"c\": 1\n}\n}\n}\n") + 20 * (1 + 2 + 3 + 2 + 1));
	assert_non_null(strstr(b.data, "\n                                                            \"c\": 1"));
	buf_free(&b);
	const char *err = NULL;
	const char *dup = "{\"a\":1,\"a\":2}";
	assert_null(doc_parse(A, dup, strlen(dup), &err));
	const char *inval = "{\"a\":\"\xff\"}";
	assert_null(doc_parse(A, inval, strlen(inval), &err));
}

static void test_yaml_emit_quotes_what_would_change_type(void **state)
{
	(void)state;
	doc_node_t *d = parse("{\"a\": \"2019\", \"b\": \"true\", \"c\": \"-\", \"d\": \"null\", \"e\": \"정책\", \"f\": 2019}");
	buf_t b = BUF_INIT;
	assert_int_equal(doc_write_yaml(&b, d), 0);
	doc_node_t *back = parse(b.data);
	assert_true(doc_equal(d, back, "", NULL));
	assert_non_null(strstr(b.data, "정책")); /* not escaped */
	buf_free(&b);
}

static void test_equal(void **state)
{
	(void)state;
	viol_list_t v;
	viol_init(&v, A);
	assert_true(doc_equal(parse("a: 1\nb: []\nc: \"\"\n"), parse("a: 1.0\n"), "", &v));
	assert_false(doc_equal(parse("a: [1, 2]\n"), parse("a: [2, 1]\n"), "", &v));
	assert_string_equal(v.items[0].path, "a[0]");
	assert_false(doc_equal(parse("a: {b: 1}\n"), parse("a: {b: \"1\"}\n"), "", NULL));
	assert_false(doc_equal(parse("a: null\n"), parse("b: 1\n"), "", NULL));
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char data[1 << 20];
	*len = fread(data, 1, sizeof(data), f);
	fclose(f);
	return data;
}

static void test_docmap_example_round_trip(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp(YK_SRC "/examples/suwon-governance.yaml", &len);
	const char *err = NULL;
	doc_node_t *d = doc_parse(A, text, len, &err);
	assert_non_null(d);
	viol_list_t v;
	viol_init(&v, A);
	ProtobufCMessage *m = docmap_from_tree(A, d, &yk__pledge__descriptor, "", 0, &v);
	assert_non_null(m);
	assert_int_equal(v.n, 0);
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t *wire = malloc(n);
	protobuf_c_message_pack(m, wire);
	Yk__Pledge *p = yk__pledge__unpack(NULL, n, wire);
	free(wire);
	assert_non_null(p);
	assert_string_equal(p->code, "SW7-GOV-01");
	assert_string_equal(p->budget->sources[0]->key, "city");
	assert_string_equal(p->budget->sources[0]->amounts[0]->secured->value, "31");
	assert_true(p->overview->period->end_null);
	doc_node_t *back = docmap_to_tree(A, &p->base);
	viol_list_t diff;
	viol_init(&diff, A);
	bool same = doc_equal(d, back, "", &diff);
	for (size_t i = 0; i < diff.n; i++)
		print_message("%s: %s\n", diff.items[i].path, diff.items[i].problem);
	assert_true(same);
	yk__pledge__free_unpacked(p, NULL);
}

static void test_docmap_refusals(void **state)
{
	(void)state;
	doc_node_t *d = parse("code: X1\ntitel: typo\nprogress_pct: \"12\"\nbudget:\n  sources:\n    city:\n"
			      "      amounts: {\"2019\": {secured: 1, spent: 2}}\nplans: {text: x}\nversion: 1.5\n"
			      "overview: {contents: [a, null]}\n");
	viol_list_t v;
	viol_init(&v, A);
	ProtobufCMessage *m = docmap_from_tree(A, d, &yk__pledge__descriptor, "", 0, &v);
	assert_non_null(m);
	const char *expect[] = { "titel", "progress_pct", "budget.sources.city.amounts.2019.spent", "plans", "version",
				 "overview.contents[1]" };
	assert_int_equal(v.n, 6);
	for (size_t i = 0; i < 6; i++) {
		bool found = false;
		for (size_t k = 0; k < v.n; k++)
			found |= !strcmp(v.items[k].path, expect[i]);
		if (!found)
			fail_msg("no violation at %s", expect[i]);
	}
	/* the flag fields are not document keys */
	viol_init(&v, A);
	docmap_from_tree(A, parse("overview: {period: {end_null: true}}\n"), &yk__pledge__descriptor, "", 0, &v);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.items[0].path, "overview.period.end_null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_yaml_scalars),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_yaml_emit_quotes_what_would_change_type),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_docmap_example_round_trip),
		cmocka_unit_test(test_docmap_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
