/* core/gcommit.c: a write that finds a slot free goes alone at once; those
 * that arrive while the group is out go together next, sorted by pledge,
 * each answered with its own element; a failed statement answers all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_pool.h"
#include "bounds.h"
#include "gcommit.h"

typedef struct {
	gc_wait_t w;
	int answered;
	db_outcome_t outcome;
	char result[64];
} item_t;

static void on_answer(gc_wait_t *w, db_outcome_t outcome, const PGresult *res, const doc_node_t *answer)
{
	(void)res;
	item_t *it = (item_t *)w;
	it->answered++;
	it->outcome = outcome;
	const char *t = answer ? doc_text(answer, "result") : NULL;
	snprintf(it->result, sizeof(it->result), "%s", t ? t : "-");
}

static void item(item_t *it, const char *key, const char *json)
{
	memset(it, 0, sizeof(*it));
	it->w.key = key;
	it->w.json = json;
	it->w.cb = on_answer;
}

static void test_groups(void **state)
{
	(void)state;
	fake_n = fake_next = 0;
	gcommit_t g;
	gcommit_init(&g, NULL, SQL_PROGRESS_ADD, 1);
	item_t a, b, c, d;
	item(&a, "P-2", "{\"a\":1}");
	item(&b, "P-3", "{\"b\":1}");
	item(&c, "P-1", "{\"c\":1}");
	item(&d, "P-2", "{\"d\":1}");
	gcommit_add(&g, &a.w);
	assert_int_equal(fake_n, 1);  /* alone, at once */
	assert_string_equal(fake_jobs[0]->params[0], "[{\"a\":1}]");
	gcommit_add(&g, &b.w);
	gcommit_add(&g, &c.w);
	gcommit_add(&g, &d.w);
	assert_int_equal(fake_n, 1);  /* the slot is taken: they wait */
	assert_int_equal(g.queued, 3);
	const char *first[] = { "[{\"result\":\"A\"}]" };
	fake_answer(DB_DONE, fake_result(1, 1, first));
	assert_int_equal(a.answered, 1);
	assert_string_equal(a.result, "A");
	/* the three together, in pledge order (one lock order for every group) */
	assert_int_equal(fake_n, 2);
	assert_string_equal(fake_jobs[1]->params[0], "[{\"c\":1},{\"d\":1},{\"b\":1}]");
	assert_int_equal(g.queued, 0);
	/* answers in the group's order: c (P-1), d (P-2), b (P-3) */
	const char *second[] = { "[{\"result\":\"C\"},{\"result\":\"D\"},{\"error\":{\"state\":\"YK404\"}}]" };
	fake_answer(DB_DONE, fake_result(1, 1, second));
	assert_string_equal(c.result, "C");
	assert_string_equal(d.result, "D");
	assert_string_equal(b.result, "-");  /* its own error, not another's result */
	assert_int_equal(b.answered, 1);
	assert_int_equal(g.groups, 2);
	assert_int_equal(g.writes, 4);
	assert_int_equal(g.out, 0);
}

static void test_statement_fails(void **state)
{
	(void)state;
	fake_n = fake_next = 0;
	gcommit_t g;
	gcommit_init(&g, NULL, SQL_PROGRESS_ADD, 1);
	item_t a, b, c;
	item(&a, "P-1", "{}");
	item(&b, "P-2", "{}");
	item(&c, "P-3", "{}");
	gcommit_add(&g, &a.w);
	gcommit_add(&g, &b.w);
	gcommit_add(&g, &c.w);
	fake_answer(DB_LOST, NULL);
	assert_int_equal(a.answered, 1);
	assert_int_equal(a.outcome, DB_LOST);
	/* the next group still goes; a wrong-shaped answer answers each with none */
	assert_int_equal(fake_n, 2);
	const char *shape[] = { "[{\"result\":\"only one\"}]" };
	fake_answer(DB_DONE, fake_result(1, 1, shape));
	assert_int_equal(b.answered, 1);
	assert_int_equal(c.answered, 1);
	assert_string_equal(b.result, "-");
	assert_string_equal(c.result, "-");
}

/* A group closes before its text passes LIMIT_GROUP_BYTES (whole cards
 * ride in the groups); one write larger than that still goes, alone. */
static void test_group_bytes(void **state)
{
	(void)state;
	fake_n = fake_next = 0;
	gcommit_t g;
	gcommit_init(&g, NULL, SQL_PROGRESS_ADD, 1);
	size_t big = LIMIT_GROUP_BYTES / 2 + 1;
	char *text = malloc(big + 1), *huge = malloc(LIMIT_GROUP_BYTES + 2);
	assert_non_null(text);
	assert_non_null(huge);
	memset(text, 'x', big);
	text[big] = 0;
	memset(huge, 'y', LIMIT_GROUP_BYTES + 1);
	huge[LIMIT_GROUP_BYTES + 1] = 0;
	item_t opener, a, b, h;
	item(&opener, "P-0", "{}");
	item(&a, "P-1", text);
	item(&b, "P-2", text);
	item(&h, "P-3", huge);
	gcommit_add(&g, &opener.w);
	gcommit_add(&g, &a.w);
	gcommit_add(&g, &b.w);
	gcommit_add(&g, &h.w);
	const char *one[] = { "[{\"result\":\"ok\"}]" };
	fake_answer(DB_DONE, fake_result(1, 1, one));
	/* a and b together would pass the bound: a alone, then b, then h */
	assert_int_equal(fake_n, 2);
	assert_int_equal(strlen(fake_jobs[1]->params[0]), big + 2);
	fake_answer(DB_DONE, fake_result(1, 1, one));
	assert_int_equal(a.answered, 1);
	assert_int_equal(fake_n, 3);
	assert_int_equal(strlen(fake_jobs[2]->params[0]), big + 2);
	fake_answer(DB_DONE, fake_result(1, 1, one));
	assert_int_equal(b.answered, 1);
	assert_int_equal(fake_n, 4);
	assert_int_equal(strlen(fake_jobs[3]->params[0]), LIMIT_GROUP_BYTES + 3);
	fake_answer(DB_DONE, fake_result(1, 1, one));
	assert_int_equal(h.answered, 1);
	assert_int_equal(g.groups, 4);
	free(text);
	free(huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_statement_fails),
		cmocka_unit_test(test_group_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
