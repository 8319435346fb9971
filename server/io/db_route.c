#include "db_route.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "log.h"

/* How often the replica's position is read when no read waits for it (for
 * status, and so that reads after a quiet spell need not wait), and how soon
 * the next poll follows one that left reads waiting. */
#define POLL_IDLE_MS 500
#define POLL_BUSY_MS 1

typedef struct replica {
	struct db_route *rt;
	db_pool_t *pool;
	uint64_t replay_lsn;   /* its replay position, as last polled */
	double lag_seconds;
	bool lag_known;
	bool polling;
	db_job_t poll_job;
	uint64_t reads;
} replica_t;

struct db_route {
	uv_loop_t *loop;
	db_pool_t *primary;
	replica_t replicas[LIMIT_REPLICAS];
	int n, next;           /* replicas; the one to try first (turns) */
	uint64_t wait_ms;
	uint64_t acked_lsn;    /* highest LSN this daemon acknowledged */
	bool acked_unknown;    /* ... and one since whose LSN is not known */
	uint64_t primary_lsn;  /* the primary's position, as last learnt */
	bool started, closing, timer_closed;
	/* reads waiting for a replica to replay their LSN, oldest first */
	db_job_t *wait_head, *wait_tail;
	size_t waiting;
	db_job_t primary_job;
	bool primary_polling;
	uv_timer_t timer;
	uint64_t primary_reads, fallbacks;
};

uint64_t db_lsn_parse(const char *s)
{
	unsigned hi, lo;
	char end;
	if (!s || sscanf(s, "%X/%X%c", &hi, &lo, &end) != 2)
		return 0;
	return ((uint64_t)hi << 32) | lo;
}

bool db_route_has_replica(const db_route_t *rt)
{
	return rt && rt->n > 0;
}

static uint64_t need_of(const db_route_t *rt, const db_job_t *job)
{
	return job->need_lsn > rt->acked_lsn ? job->need_lsn : rt->acked_lsn;
}

static void to_primary(db_route_t *rt, db_job_t *job)
{
	job->route = NULL;
	rt->primary_reads++;
	db_pool_submit_urgent(rt->primary, job);
}

/* A read that ran on a replica: what it needed (a connection, a statement
 * that ran) it got, or the primary serves it after all -- a read may be sent
 * again, so a connection lost under it too. */
static void on_replica_read(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	replica_t *rep = job->route;
	db_route_t *rt = rep->rt;
	job->cb = job->routed_cb;
	if (outcome != DB_DONE) {
		rt->fallbacks++;
		rep->reads--;
		log_info("event=replica_fallback why=%s",
			 outcome == DB_BUSY ? "busy" : outcome == DB_LOST ? "connection lost" : "unavailable");
		to_primary(rt, job);
		return;
	}
	job->route = NULL;
	job->cb(job, outcome, res);
}

static void to_replica(replica_t *rep, db_job_t *job)
{
	job->routed_cb = job->cb;
	job->cb = on_replica_read;
	job->route = rep;
	rep->reads++;
	db_pool_submit_urgent(rep->pool, job);
}

/* A connected replica that has replayed `need`, taking turns; NULL when none
 * has. */
static replica_t *replica_for(db_route_t *rt, uint64_t need)
{
	for (int k = 0; k < rt->n; k++) {
		replica_t *rep = &rt->replicas[(rt->next + k) % rt->n];
		if (rep->replay_lsn && need <= rep->replay_lsn && db_pool_ready(rep->pool) > 0) {
			rt->next = (int)((rep - rt->replicas) + 1) % rt->n;
			return rep;
		}
	}
	return NULL;
}

static bool any_connected(const db_route_t *rt)
{
	for (int k = 0; k < rt->n; k++)
		if (db_pool_ready(rt->replicas[k].pool) > 0)
			return true;
	return false;
}

static uint64_t best_replay(const db_route_t *rt)
{
	uint64_t best = 0;
	for (int k = 0; k < rt->n; k++)
		if (rt->replicas[k].replay_lsn > best)
			best = rt->replicas[k].replay_lsn;
	return best;
}

static void poll_replicas(db_route_t *rt);
static void on_tick(uv_timer_t *t);

/* One short question ahead of the writes waiting: where a pool's WAL is. */
static void ask(db_pool_t *pool, db_job_t *job, sql_id_t stmt, db_job_cb cb, void *data)
{
	memset(job, 0, sizeof(*job));
	job->stmt = stmt;
	job->cb = cb;
	job->data = data;
	db_pool_submit_urgent(pool, job);
}

static void on_poll_timer(uv_timer_t *t)
{
	poll_replicas(t->data);
}

/* Freed once closed and no poll is out (a poll's answer comes back even
 * while the pools close). */
static void maybe_free(db_route_t *rt)
{
	if (!rt->closing || !rt->timer_closed || rt->primary_polling)
		return;
	for (int k = 0; k < rt->n; k++)
		if (rt->replicas[k].polling)
			return;
	free(rt);
}

static void release_waiters(db_route_t *rt, bool give_up_all)
{
	uint64_t now = uv_now(rt->loop);
	bool none_up = !any_connected(rt);
	db_job_t **pp = &rt->wait_head, *prev = NULL;
	while (*pp) {
		db_job_t *j = *pp;
		replica_t *rep = give_up_all ? NULL : replica_for(rt, need_of(rt, j));
		bool expired = give_up_all || now - j->queued_ms >= rt->wait_ms || none_up;
		if (!rep && !expired) {
			prev = j;
			pp = &j->next;
			continue;
		}
		*pp = j->next;
		if (rt->wait_tail == j)
			rt->wait_tail = prev;
		rt->waiting--;
		j->next = NULL;
		if (rep) {
			to_replica(rep, j);
		} else {
			rt->fallbacks++;
			uint64_t best = best_replay(rt);
			log_info("event=replica_fallback why=%s need_lsn=%" PRIX64 " replay_lsn=%" PRIX64
				 " lag_bytes=%" PRIu64,
				 give_up_all ? "closing" : "lag", need_of(rt, j), best,
				 rt->primary_lsn > best ? rt->primary_lsn - best : 0);
			to_primary(rt, j);
		}
	}
}

static void on_polled(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	replica_t *rep = job->data;
	db_route_t *rt = rep->rt;
	rep->polling = false;
	if (outcome == DB_DONE && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		uint64_t lsn = db_lsn_parse(PQgetisnull(res, 0, 0) ? NULL : PQgetvalue(res, 0, 0));
		if (lsn > rep->replay_lsn)
			rep->replay_lsn = lsn;
		rep->lag_known = !PQgetisnull(res, 0, 1);
		rep->lag_seconds = rep->lag_known ? strtod(PQgetvalue(res, 0, 1), NULL) : 0;
	} else {
		rep->lag_known = false;
	}
	if (rt->closing) {
		maybe_free(rt);
		return;
	}
	release_waiters(rt, false);
	/* soon again while reads wait; else back to the idle pace (a read that
	 * waited took the timer from it) */
	if (rt->waiting)
		uv_timer_start(&rt->timer, on_poll_timer, POLL_BUSY_MS, 0);
	else
		uv_timer_start(&rt->timer, on_tick, POLL_IDLE_MS, 0);
}

static void on_primary_polled(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	db_route_t *rt = job->data;
	rt->primary_polling = false;
	if (outcome == DB_DONE && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		uint64_t lsn = db_lsn_parse(PQgetvalue(res, 0, 0));
		if (lsn > rt->primary_lsn)
			rt->primary_lsn = lsn;
	}
	maybe_free(rt);
}

/* Ask each connected replica where it is (one question out per replica). */
static void poll_replicas(db_route_t *rt)
{
	if (rt->closing)
		return;
	for (int k = 0; k < rt->n; k++) {
		replica_t *rep = &rt->replicas[k];
		if (rep->polling)
			continue;
		if (db_pool_ready(rep->pool) == 0) {
			rep->lag_known = false;
			continue;
		}
		rep->polling = true;
		ask(rep->pool, &rep->poll_job, SQL_REPLICA_POSITION, on_polled, rep);
	}
	/* none to ask: the waiting reads go to the primary now */
	release_waiters(rt, false);
}

static void on_tick(uv_timer_t *t)
{
	db_route_t *rt = t->data;
	if (rt->closing)
		return;
	if (!rt->primary_polling) {
		rt->primary_polling = true;
		ask(rt->primary, &rt->primary_job, SQL_PRIMARY_LSN, on_primary_polled, rt);
	}
	poll_replicas(rt);
	if (!rt->waiting)
		uv_timer_start(&rt->timer, on_tick, POLL_IDLE_MS, 0);
}

db_route_t *db_route_new(uv_loop_t *loop, db_pool_t *primary, db_pool_t *const *replicas, int n, uint64_t wait_ms)
{
	if (n < 0 || n > LIMIT_REPLICAS)
		return NULL;
	db_route_t *rt = calloc(1, sizeof(*rt));
	if (!rt)
		return NULL;
	rt->loop = loop;
	rt->primary = primary;
	rt->n = n;
	for (int k = 0; k < n; k++) {
		rt->replicas[k].rt = rt;
		rt->replicas[k].pool = replicas[k];
	}
	rt->wait_ms = wait_ms;
	uv_timer_init(loop, &rt->timer);
	rt->timer.data = rt;
	return rt;
}

void db_route_start(db_route_t *rt)
{
	if (!rt->n || rt->started || rt->closing)
		return;
	rt->started = true;
	uv_timer_start(&rt->timer, on_tick, 0, 0);
}

void db_route_read(db_route_t *rt, db_job_t *job, uint64_t need_lsn)
{
	job->need_lsn = need_lsn;
	if (!rt->n || !rt->started || rt->closing || rt->acked_unknown || !any_connected(rt)) {
		to_primary(rt, job);
		return;
	}
	replica_t *rep = replica_for(rt, need_of(rt, job));
	if (rep) {
		to_replica(rep, job);
		return;
	}
	if (rt->wait_ms == 0) {
		rt->fallbacks++;
		to_primary(rt, job);
		return;
	}
	/* wait for a replica to replay what the read must see */
	job->queued_ms = uv_now(rt->loop);
	job->next = NULL;
	if (rt->wait_tail)
		rt->wait_tail->next = job;
	else
		rt->wait_head = job;
	rt->wait_tail = job;
	rt->waiting++;
	uv_timer_start(&rt->timer, on_poll_timer, 0, 0);
}

void db_route_acked_unknown(db_route_t *rt)
{
	rt->acked_unknown = true;
}

void db_route_acked(db_route_t *rt, uint64_t lsn)
{
	rt->acked_unknown = false;
	if (lsn > rt->acked_lsn)
		rt->acked_lsn = lsn;
	if (lsn > rt->primary_lsn)
		rt->primary_lsn = lsn;
}

int db_route_status(const db_route_t *rt, db_route_pool_t *out, int max)
{
	if (max < 1)
		return 0;
	memset(out, 0, (size_t)max * sizeof(*out));
	db_pool_host(rt->primary, out[0].host, sizeof(out[0].host));
	out[0].connected = db_pool_ready(rt->primary) > 0;
	out[0].reads = rt->primary_reads;
	int n = 1;
	for (int k = 0; k < rt->n && n < max; k++, n++) {
		const replica_t *rep = &rt->replicas[k];
		db_route_pool_t *o = &out[n];
		o->replica = true;
		db_pool_host(rep->pool, o->host, sizeof(o->host));
		o->connected = db_pool_ready(rep->pool) > 0;
		o->lag_known = rep->lag_known && o->connected;
		o->lag_bytes = rt->primary_lsn > rep->replay_lsn ? rt->primary_lsn - rep->replay_lsn : 0;
		o->lag_seconds = rep->lag_seconds;
		o->reads = rep->reads;
		o->fallbacks = rt->fallbacks;
	}
	return n;
}

static void on_timer_closed(uv_handle_t *h)
{
	db_route_t *rt = h->data;
	rt->timer_closed = true;
	maybe_free(rt);
}

void db_route_close(db_route_t *rt)
{
	if (!rt || rt->closing)
		return;
	rt->closing = true;
	release_waiters(rt, true);
	uv_close((uv_handle_t *)&rt->timer, on_timer_closed);
}
