#include "db_route.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* How often the replica's position is read when no read waits for it (for
 * status, and so that reads after a quiet spell need not wait), and how soon
 * the next poll follows one that left reads waiting. */
#define POLL_IDLE_MS 500
#define POLL_BUSY_MS 1

struct db_route {
	uv_loop_t *loop;
	db_pool_t *primary, *replica;
	uint64_t wait_ms;
	uint64_t acked_lsn;    /* highest LSN this daemon acknowledged */
	bool acked_unknown;    /* ... and one since whose LSN is not known */
	uint64_t primary_lsn;  /* the primary's position, as last learnt */
	uint64_t replay_lsn;   /* the replica's replay position, as last polled */
	double lag_seconds;
	bool lag_known;
	bool started, closing, timer_closed;
	/* reads waiting for the replica to replay their LSN, oldest first */
	db_job_t *wait_head, *wait_tail;
	size_t waiting;
	db_job_t poll_job, primary_job;
	bool polling, primary_polling;
	uv_timer_t timer;
	uint64_t reads[2], fallbacks;
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
	return rt && rt->replica;
}

static uint64_t need_of(const db_route_t *rt, const db_job_t *job)
{
	return job->need_lsn > rt->acked_lsn ? job->need_lsn : rt->acked_lsn;
}

static void to_primary(db_route_t *rt, db_job_t *job)
{
	job->route = NULL;
	rt->reads[0]++;
	db_pool_submit_urgent(rt->primary, job);
}

/* A read that ran on the replica: what it needed (a connection, a statement
 * that ran) it got, or the primary serves it after all. */
static void on_replica_read(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	db_route_t *rt = job->route;
	job->cb = job->routed_cb;
	if (outcome == DB_UNAVAILABLE || outcome == DB_BUSY) {
		rt->fallbacks++;
		rt->reads[1]--;
		log_info("event=replica_fallback why=%s", outcome == DB_BUSY ? "busy" : "unavailable");
		to_primary(rt, job);
		return;
	}
	job->route = NULL;
	job->cb(job, outcome, res);
}

static void to_replica(db_route_t *rt, db_job_t *job)
{
	job->routed_cb = job->cb;
	job->cb = on_replica_read;
	job->route = rt;
	rt->reads[1]++;
	db_pool_submit_urgent(rt->replica, job);
}

static void poll_replica(db_route_t *rt);

static void on_poll_timer(uv_timer_t *t)
{
	poll_replica(t->data);
}

/* Freed once closed and no poll is out (a poll's answer comes back even
 * while the pools close). */
static void maybe_free(db_route_t *rt)
{
	if (rt->closing && rt->timer_closed && !rt->polling && !rt->primary_polling)
		free(rt);
}

static void release_waiters(db_route_t *rt, bool give_up_all)
{
	uint64_t now = uv_now(rt->loop);
	db_job_t **pp = &rt->wait_head, *prev = NULL;
	while (*pp) {
		db_job_t *j = *pp;
		bool replayed = rt->replay_lsn && need_of(rt, j) <= rt->replay_lsn;
		bool expired = give_up_all || now - j->queued_ms >= rt->wait_ms;
		if (!replayed && !expired) {
			prev = j;
			pp = &j->next;
			continue;
		}
		*pp = j->next;
		if (rt->wait_tail == j)
			rt->wait_tail = prev;
		rt->waiting--;
		j->next = NULL;
		if (replayed && !give_up_all && db_pool_ready(rt->replica) > 0) {
			to_replica(rt, j);
		} else {
			rt->fallbacks++;
			log_info("event=replica_fallback why=%s need_lsn=%" PRIX64 " replay_lsn=%" PRIX64
				 " lag_bytes=%" PRIu64 " lag_seconds=%.3f",
				 give_up_all ? "closing" : "lag", need_of(rt, j), rt->replay_lsn,
				 rt->primary_lsn > rt->replay_lsn ? rt->primary_lsn - rt->replay_lsn : 0, rt->lag_seconds);
			to_primary(rt, j);
		}
	}
}

static void on_polled(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	db_route_t *rt = job->data;
	rt->polling = false;
	if (outcome == DB_DONE && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		uint64_t lsn = db_lsn_parse(PQgetisnull(res, 0, 0) ? NULL : PQgetvalue(res, 0, 0));
		/* a promoted replica is no longer replaying: its position is the
		 * primary's question, and it holds everything it had */
		if (lsn > rt->replay_lsn)
			rt->replay_lsn = lsn;
		rt->lag_known = !PQgetisnull(res, 0, 1);
		rt->lag_seconds = rt->lag_known ? strtod(PQgetvalue(res, 0, 1), NULL) : 0;
	} else {
		rt->lag_known = false;
	}
	if (rt->closing) {
		maybe_free(rt);
		return;
	}
	/* a replica that cannot answer serves no one waiting for it */
	release_waiters(rt, outcome != DB_DONE);
	if (rt->waiting)
		uv_timer_start(&rt->timer, on_poll_timer, POLL_BUSY_MS, 0);
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

static void poll_replica(db_route_t *rt)
{
	if (rt->closing || rt->polling)
		return;
	rt->polling = true;
	memset(&rt->poll_job, 0, sizeof(rt->poll_job));
	rt->poll_job.stmt = SQL_REPLICA_POSITION;
	rt->poll_job.cb = on_polled;
	rt->poll_job.data = rt;
	db_pool_submit_urgent(rt->replica, &rt->poll_job);
}

static void on_tick(uv_timer_t *t)
{
	db_route_t *rt = t->data;
	if (rt->closing)
		return;
	if (!rt->primary_polling) {
		rt->primary_polling = true;
		memset(&rt->primary_job, 0, sizeof(rt->primary_job));
		rt->primary_job.stmt = SQL_PRIMARY_LSN;
		rt->primary_job.cb = on_primary_polled;
		rt->primary_job.data = rt;
		db_pool_submit_urgent(rt->primary, &rt->primary_job);
	}
	poll_replica(rt);
	if (!rt->waiting)
		uv_timer_start(&rt->timer, on_tick, POLL_IDLE_MS, 0);
}

db_route_t *db_route_new(uv_loop_t *loop, db_pool_t *primary, db_pool_t *replica, uint64_t wait_ms)
{
	db_route_t *rt = calloc(1, sizeof(*rt));
	if (!rt)
		return NULL;
	rt->loop = loop;
	rt->primary = primary;
	rt->replica = replica;
	rt->wait_ms = wait_ms;
	uv_timer_init(loop, &rt->timer);
	rt->timer.data = rt;
	return rt;
}

void db_route_start(db_route_t *rt)
{
	if (!rt->replica || rt->started || rt->closing)
		return;
	rt->started = true;
	uv_timer_start(&rt->timer, on_tick, 0, 0);
}

void db_route_read(db_route_t *rt, db_job_t *job, uint64_t need_lsn)
{
	job->need_lsn = need_lsn;
	if (!rt->replica || !rt->started || rt->closing || rt->acked_unknown || db_pool_ready(rt->replica) == 0) {
		to_primary(rt, job);
		return;
	}
	if (rt->replay_lsn && need_of(rt, job) <= rt->replay_lsn) {
		to_replica(rt, job);
		return;
	}
	if (rt->wait_ms == 0) {
		rt->fallbacks++;
		to_primary(rt, job);
		return;
	}
	/* wait for the replica to replay what the read must see */
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

int db_route_status(const db_route_t *rt, db_route_pool_t out[2])
{
	memset(out, 0, 2 * sizeof(*out));
	db_pool_host(rt->primary, out[0].host, sizeof(out[0].host));
	out[0].connected = db_pool_ready(rt->primary) > 0;
	out[0].reads = rt->reads[0];
	if (!rt->replica)
		return 1;
	out[1].replica = true;
	db_pool_host(rt->replica, out[1].host, sizeof(out[1].host));
	out[1].connected = db_pool_ready(rt->replica) > 0;
	out[1].lag_known = rt->lag_known && out[1].connected;
	out[1].lag_bytes = rt->primary_lsn > rt->replay_lsn ? rt->primary_lsn - rt->replay_lsn : 0;
	out[1].lag_seconds = rt->lag_seconds;
	out[1].reads = rt->reads[1];
	out[1].fallbacks = rt->fallbacks;
	return 2;
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
