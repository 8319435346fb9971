/* core/fresh.c: reads that arrive while a check is out share the next one;
 * each gets its pledge's version and its session's verdict; while the
 * snapshot stands still a confirmed version is not asked for again, and a
 * read that relied on a snapshot that moved waits for a check that asks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_pool.h"
#include "fresh.h"

typedef struct {
	fresh_wait_t w;
	int answered;
	int64_t version;
	bool session_ok;
} read_t;

static void on_fresh(fresh_wait_t *w, db_outcome_t outcome, const PGresult *res, int64_t version, bool session_ok)
{
	(void)outcome;
	(void)res;
	read_t *r = (read_t *)w;
	r->answered++;
	r->version = version;
	r->session_ok = session_ok;
}

static void reader(read_t *r, const char *code, const char *session)
{
	memset(r, 0, sizeof(*r));
	r->w.code = code;
	r->w.session_hash = session;
	r->w.cb = on_fresh;
}

static void test_batched(void **state)
{
	(void)state;
	fake_n = fake_next = 0;
	fresh_t f;
	fresh_init(&f, NULL, NULL);
	read_t a, b, c;
	reader(&a, "P-1", "\\xaa");
	reader(&b, "P-2", "\\xbb");
	reader(&c, "P-9", "\\xaa");
	fresh_check(&f, &a.w);
	assert_int_equal(fake_n, 1);
	assert_true(fake_urgent[0]);  /* ahead of the writes: a reader waits on it */
	assert_string_equal(fake_jobs[0]->params[0], "{\"P-1\"}");
	fresh_check(&f, &b.w);
	fresh_check(&f, &c.w);
	assert_int_equal(fake_n, 1);  /* one check out at a time */
	const char *first[] = { "p", "P-1", "3", "s", "aa", NULL, "x", "10:10:", NULL };
	fake_answer(DB_DONE, fake_result(3, 3, first));
	assert_int_equal(a.answered, 1);
	assert_int_equal(a.version, 3);
	assert_true(a.session_ok);
	/* the two that waited went together, each session hash once */
	assert_int_equal(fake_n, 2);
	assert_string_equal(fake_jobs[1]->params[0], "{\"P-2\",\"P-9\"}");
	assert_string_equal(fake_jobs[1]->params[1], "{\"aa\",\"bb\"}");
	const char *second[] = { "p", "P-2", "5", "s", "aa", NULL, "x", "10:10:", NULL };
	fake_answer(DB_DONE, fake_result(3, 3, second));
	assert_int_equal(b.version, 5);
	assert_false(b.session_ok);  /* bb has expired */
	assert_int_equal(c.version, -1);  /* no such pledge */
	assert_true(c.session_ok);
	assert_int_equal(f.checks, 2);
	assert_int_equal(f.reads, 3);
	fresh_free(&f);
}

static void test_stable_snapshot(void **state)
{
	(void)state;
	fake_n = fake_next = 0;
	pcache_t cache;
	assert_int_equal(pcache_init(&cache, 1 << 20), 0);
	const uint8_t doc[] = "built";
	pcache_put(&cache, "P-1", 3, 1, doc, sizeof(doc));
	fresh_t f;
	fresh_init(&f, NULL, &cache);
	read_t r;
	const char *snap[] = { "p", "P-1", "3", "x", "10:10:", NULL };
	for (int i = 0; i < 2; i++) {  /* the first sees a new snapshot, the second the same */
		reader(&r, "P-1", NULL);
		fresh_check(&f, &r.w);
		assert_string_equal(fake_jobs[fake_n - 1]->params[0], "{\"P-1\"}");
		fake_answer(DB_DONE, fake_result(3, 2, snap));
		assert_int_equal(r.version, 3);
	}
	/* the snapshot stood still: P-1 at 3 is not asked for again */
	reader(&r, "P-1", NULL);
	fresh_check(&f, &r.w);
	assert_string_equal(fake_jobs[fake_n - 1]->params[0], "{}");
	/* but the snapshot moved meanwhile: the read waits for a check that asks */
	const char *moved[] = { "x", "10:12:", NULL };
	fake_answer(DB_DONE, fake_result(3, 1, moved));
	assert_int_equal(r.answered, 0);
	assert_string_equal(fake_jobs[fake_n - 1]->params[0], "{\"P-1\"}");
	const char *asked[] = { "p", "P-1", "4", "x", "10:12:", NULL };
	fake_answer(DB_DONE, fake_result(3, 2, asked));
	assert_int_equal(r.answered, 1);
	assert_int_equal(r.version, 4);
	fresh_free(&f);
	pcache_free(&cache);
}

static void test_failed_check(void **state)
{
	(void)state;
	fake_n = fake_next = 0;
	fresh_t f;
	fresh_init(&f, NULL, NULL);
	read_t a;
	reader(&a, "P-1", "\\xaa");
	fresh_check(&f, &a.w);
	fake_answer(DB_LOST, NULL);
	assert_int_equal(a.answered, 1);
	assert_int_equal(a.version, -1);
	fresh_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batched),
		cmocka_unit_test(test_stable_snapshot),
		cmocka_unit_test(test_failed_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
