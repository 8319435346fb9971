#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "fresh.h"
#include "log.h"


static void send_next(fresh_t *f);

void fresh_init(fresh_t *f, db_pool_t *db, pcache_t *cache)
{
	memset(f, 0, sizeof(*f));
	f->db = db;
	f->cache = cache;
	f->epoch = 1;
}

void fresh_free(fresh_t *f)
{
	buf_free(&f->codes);
	buf_free(&f->tokens);
	free(f->sort);
	f->sort = NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Rows [lo, hi) of res hold kind k sorted by column 1 (byte order). */
static int find_row(const PGresult *res, int lo, int hi, const char *key)
{
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		int c = strcmp(PQgetvalue(res, mid, FRESH_COL_KEY), key);
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void on_checked(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	fresh_t *f = job->data;
	fresh_wait_t *w = f->out;
	f->out = NULL;
	bool ok = outcome == DB_DONE && res && PQresultStatus(res) == PGRES_TUPLES_OK && PQnfields(res) == 3;
	/* rows: kind 'p' (code, version), then 's' (session hash), then 'x'
	 * (the snapshot) */
	int n = ok ? PQntuples(res) : 0, split = 0;
	while (split < n && PQgetvalue(res, split, FRESH_COL_KIND)[0] == 'p')
		split++;
	int sessions_end = n;
	bool moved = true;
	if (n && PQgetvalue(res, n - 1, FRESH_COL_KIND)[0] == 'x') {
		sessions_end = n - 1;
		const char *snap = PQgetvalue(res, n - 1, FRESH_COL_KEY);
		moved = strcmp(snap, f->snap) != 0;
		if (moved) {
			f->epoch++;
			snprintf(f->snap, sizeof(f->snap), "%s", snap);
		}
	}
	f->stable = ok && !moved;
	bool held = ok && f->epoch == f->sent_epoch;  /* the snapshot the check relied on held */
	for (int i = 0; ok && f->cache && i < split; i++)
		pcache_confirm(f->cache, PQgetvalue(res, i, FRESH_COL_KEY), strtoll(PQgetvalue(res, i, FRESH_COL_VERSION), NULL, 10), f->epoch);
	fresh_wait_t *again = NULL, **again_tail = &again;
	while (w) {
		fresh_wait_t *next = w->next;
		w->next = NULL;
		int64_t version = -1;
		bool session_ok = true;
		if (ok) {
			if (w->assumed >= 0 && !held) {
				/* relied on a snapshot that has moved: ask next time */
				w->ask = true;
				*again_tail = w;
				again_tail = &w->next;
				w = next;
				continue;
			}
			if (w->assumed >= 0) {
				version = w->assumed;
			} else {
				int row = find_row(res, 0, split, w->code);
				if (row >= 0)
					version = strtoll(PQgetvalue(res, row, FRESH_COL_VERSION), NULL, 10);
			}
			if (w->session_hash)
				session_ok = find_row(res, split, sessions_end, w->session_hash + 2) >= 0;
		}
		/* arrivals during these callbacks queue for the next check */
		w->cb(w, outcome, res, version, session_ok);
		w = next;
	}
	if (again) {
		/* ahead of the others: they have waited longest */
		*again_tail = f->head;
		if (!f->head)
			f->tail = (fresh_wait_t *)((char *)again_tail - offsetof(fresh_wait_t, next));
		f->head = again;
	}
	f->busy = false;
	if (!f->at_turn)
		send_next(f);
}

/* Appends s as one quoted element of a text[] literal. */
static int put_element(buf_t *b, const char *s)
{
	if (buf_putc(b, b->len ? ',' : '{') || buf_putc(b, '"'))
		return -1;
	for (; *s; s++)
		if (((*s == '"' || *s == '\\') && buf_putc(b, '\\')) || buf_putc(b, *s))
			return -1;
	return buf_putc(b, '"');
}

static void fail_all(fresh_wait_t *w, db_outcome_t outcome)
{
	while (w) {
		fresh_wait_t *next = w->next;
		w->next = NULL;
		w->cb(w, outcome, NULL, -1, false);
		w = next;
	}
}

static void send_next(fresh_t *f)
{
	if (f->busy || !f->head)
		return;
	/* take up to a batch off the queue */
	fresh_wait_t *first = f->head, *last = first;
	size_t n = 1;
	while (last->next && n < LIMIT_FRESH_BATCH) {
		last = last->next;
		n++;
	}
	f->head = last->next;
	if (!f->head)
		f->tail = NULL;
	last->next = NULL;

	buf_reset(&f->codes);
	buf_reset(&f->tokens);
	if (f->sort_cap < n) {
		const char **s = realloc(f->sort, LIMIT_FRESH_BATCH * sizeof(*s));
		if (!s) {
			fail_all(first, DB_BUSY);
			send_next(f);
			return;
		}
		f->sort = s;
		f->sort_cap = LIMIT_FRESH_BATCH;
	}
	size_t nh = 0;
	int err = 0;
	for (fresh_wait_t *w = first; w; w = w->next) {
		/* while the snapshot stands still, a version confirmed under it
		 * need not be asked for */
		w->assumed = -1;
		if (!(f->stable && !w->ask && f->cache && pcache_confirmed(f->cache, w->code, f->epoch, &w->assumed)))
			err |= put_element(&f->codes, w->code);
		if (w->session_hash)
			f->sort[nh++] = w->session_hash + 2;  /* after "\x" */
	}
	f->sent_epoch = f->epoch;
	/* many reads, few sessions: each hash once */
	qsort(f->sort, nh, sizeof(*f->sort), cmp_str);
	for (size_t i = 0; i < nh; i++)
		if (!i || strcmp(f->sort[i], f->sort[i - 1]))
			err |= put_element(&f->tokens, f->sort[i]);
	err |= buf_puts(&f->codes, f->codes.len ? "}" : "{}");
	err |= buf_puts(&f->tokens, f->tokens.len ? "}" : "{}");
	if (err) {
		log_error("event=fresh_check_oom reads=%zu", n);
		fail_all(first, DB_BUSY);
		send_next(f);
		return;
	}
	f->checks++;
	f->reads += n;
	f->out = first;
	f->busy = true;
	memset(&f->job, 0, sizeof(f->job));
	f->job.stmt = SQL_FRESHNESS;
	f->job.cb = on_checked;
	f->job.data = f;
	f->job.nparams = 2;
	f->job.params[0] = f->codes.data;
	f->job.params[1] = f->tokens.data;
	db_pool_submit_urgent(f->db, &f->job);
}

void fresh_check(fresh_t *f, fresh_wait_t *w)
{
	w->next = NULL;
	w->ask = false;
	if (f->tail)
		f->tail->next = w;
	else
		f->head = w;
	f->tail = w;
	if (!f->at_turn)
		send_next(f);
}

void fresh_at_turn(fresh_t *f, bool on)
{
	f->at_turn = on;
	if (!on)
		send_next(f);
}

void fresh_turn(fresh_t *f)
{
	send_next(f);
}
