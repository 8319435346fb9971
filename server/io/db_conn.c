/* One PostgreSQL connection on the event loop.
 *
 * connect: PQconnectStart, then PQconnectPoll on every poll event until OK;
 * prepare: PQsendPrepare for each statement of sql.c;
 * run:     PQsendQueryPrepared, PQflush until 0 (watching readable *and*
 *          writable while it returns 1), PQconsumeInput, PQgetResult until NULL.
 * The socket is re-read with PQsocket() after every connect step, and the
 * poll handle is stopped before libpq may close its socket. */
#include <stdlib.h>
#include <sodium.h>
#include <string.h>

#include "db_internal.h"
#include "metrics.h"
#include "log.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

static void on_poll(uv_poll_t *h, int status, int events);

static void on_poll_closed(uv_handle_t *h)
{
	db_pool_t *p = h->data;
	free(h);
	db_pool_handle_closed(p);
}

static void drop_poll(db_conn_t *c)
{
	if (!c->poll)
		return;
	uv_poll_stop(c->poll);
	c->poll->data = c->pool;
	c->pool->open_handles++;
	uv_close((uv_handle_t *)c->poll, on_poll_closed);
	c->poll = NULL;
	c->fd = -1;
	c->events = 0;
}

static void fail(db_conn_t *c, const char *why);

/* Drop the socket (poll first, then libpq) and whatever was in flight;
 * returns the job that was running, for the caller to answer. */
static db_job_t *teardown(db_conn_t *c, dbc_state_t next)
{
	db_job_t *job = c->job;
	c->job = NULL;
	drop_poll(c);
	if (c->pg)
		PQfinish(c->pg);
	c->pg = NULL;
	if (c->result)
		PQclear(c->result);
	c->result = NULL;
	c->state = next;
	return job;
}

static void watch(db_conn_t *c, int events)
{
	int fd = PQsocket(c->pg);
	if (fd < 0) {
		fail(c, "no socket");
		return;
	}
	if (fd != c->fd)
		drop_poll(c);
	if (!c->poll) {
		c->poll = malloc(sizeof(*c->poll));
		if (!c->poll || uv_poll_init_socket(c->pool->loop, c->poll, fd)) {
			free(c->poll);
			c->poll = NULL;
			fail(c, "cannot watch the database socket");
			return;
		}
		c->poll->data = c;
		c->fd = fd;
		c->events = 0;
	}
	if (events != c->events) {
		uv_poll_start(c->poll, events, on_poll);
		c->events = events;
	}
}

static void on_retry(uv_timer_t *t)
{
	db_conn_t *c = t->data;
	if (c->state == DBC_DOWN)
		db_conn_start(c);
}

static void fail(db_conn_t *c, const char *why)
{
	if (c->state == DBC_DOWN || c->state == DBC_CLOSED)
		return;
	const char *err = c->pg ? PQerrorMessage(c->pg) : "";
	log_warn("event=db_conn_lost conn=%d state=%d reason=\"%s\" error=\"%.*s\"", c->idx, c->state, why,
		 (int)strcspn(err, "\n"), err);
	if (c->pool->metrics && c->state != DBC_CONNECTING)
		c->pool->metrics->db_losses++;
	db_job_t *job = teardown(c, DBC_DOWN);
	/* Jitter, so that the connections of many daemons do not all knock at
	 * once when the database comes back. */
	uv_timer_start(&c->retry, on_retry, c->backoff_ms / 2 + randombytes_uniform((uint32_t)c->backoff_ms / 2 + 1), 0);
	c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
	if (job)
		job->cb(job, DB_LOST, NULL);
}

static void notice(void *arg, const char *msg)
{
	db_conn_t *c = arg;
	log_debug("event=db_notice conn=%d msg=\"%.*s\"", c->idx, (int)strcspn(msg, "\n"), msg);
}

static void send_next_prepare(db_conn_t *c);

static void flush(db_conn_t *c)
{
	int r = PQflush(c->pg);
	if (r < 0)
		fail(c, "flush failed");
	else
		watch(c, r ? UV_READABLE | UV_WRITABLE : UV_READABLE);
}

static void became_idle(db_conn_t *c)
{
	c->state = DBC_IDLE;
	db_pool_conn_idle(c->pool);
}

static void command_done(db_conn_t *c)
{
	PGresult *res = c->result;
	c->result = NULL;
	if (c->state == DBC_PREPARING) {
		bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			log_error("event=db_prepare_failed conn=%d stmt=%s error=\"%s\"", c->idx,
				  sql_stmts[c->prepared].name, res ? PQresultErrorMessage(res) : "no result");
		PQclear(res);
		if (!ok) {
			fail(c, "prepare failed");
			return;
		}
		c->prepared++;
		send_next_prepare(c);
		return;
	}
	db_job_t *job = c->job;
	c->job = NULL;
	c->state = DBC_IDLE;
	if (job)
		job->cb(job, DB_DONE, res);
	PQclear(res);
	if (c->state == DBC_IDLE)
		became_idle(c);
}

static void drain_results(db_conn_t *c)
{
	while (c->pg && !PQisBusy(c->pg)) {
		PGresult *r = PQgetResult(c->pg);
		if (!r) {
			if (c->state == DBC_PREPARING || c->state == DBC_BUSY)
				command_done(c);
			return;
		}
		if (c->state != DBC_PREPARING && c->state != DBC_BUSY) {
			PQclear(r); /* nothing asked for it */
			continue;
		}
		if (!c->result)
			c->result = r;
		else
			PQclear(r);
	}
}

static void connect_step(db_conn_t *c)
{
	switch (PQconnectPoll(c->pg)) {
	case PGRES_POLLING_READING:
		watch(c, UV_READABLE);
		return;
	case PGRES_POLLING_WRITING:
		watch(c, UV_WRITABLE);
		return;
	case PGRES_POLLING_OK:
		if (PQsetnonblocking(c->pg, 1)) {
			fail(c, "cannot make the connection non-blocking");
			return;
		}
		PQsetNoticeProcessor(c->pg, notice, c);
		c->state = DBC_PREPARING;
		c->prepared = 0;
		send_next_prepare(c);
		return;
	default:
		fail(c, "connect failed");
	}
}

static void send_next_prepare(db_conn_t *c)
{
	if (c->prepared == SQL__COUNT) {
		log_info("event=db_conn_ready conn=%d", c->idx);
		if (c->pool->metrics)
			c->pool->metrics->db_connects++;
		c->backoff_ms = BACKOFF_MIN_MS;
		watch(c, UV_READABLE);
		became_idle(c);
		return;
	}
	const sql_stmt_t *s = &sql_stmts[c->prepared];
	if (!PQsendPrepare(c->pg, s->name, s->text, s->nparams, NULL)) {
		fail(c, "prepare could not be sent");
		return;
	}
	flush(c);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	db_conn_t *c = h->data;
	if (status < 0) {
		fail(c, uv_strerror(status));
		return;
	}
	if (c->state == DBC_CONNECTING) {
		connect_step(c);
		return;
	}
	if ((events & UV_READABLE) && !PQconsumeInput(c->pg)) {
		fail(c, "read failed");
		return;
	}
	if (c->events & UV_WRITABLE) {
		flush(c);
		if (!c->pg)
			return;
	}
	drain_results(c);
	if (c->pg) {
		PGnotify *n;
		while ((n = PQnotifies(c->pg)))
			PQfreemem(n);
	}
}

void db_conn_init(db_pool_t *p, db_conn_t *c, int idx)
{
	memset(c, 0, sizeof(*c));
	c->pool = p;
	c->idx = idx;
	c->fd = -1;
	c->state = DBC_DOWN;
	c->backoff_ms = BACKOFF_MIN_MS;
	uv_timer_init(p->loop, &c->retry);
	c->retry.data = c;
}

void db_conn_start(db_conn_t *c)
{
	c->pg = PQconnectStart(c->pool->conninfo);
	if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD) {
		c->state = DBC_CONNECTING; /* so that fail() logs and schedules */
		fail(c, "connect failed");
		return;
	}
	c->state = DBC_CONNECTING;
	watch(c, UV_WRITABLE);
}

bool db_conn_run(db_conn_t *c, db_job_t *job)
{
	const sql_stmt_t *s = &sql_stmts[job->stmt];
	if (!PQsendQueryPrepared(c->pg, s->name, job->nparams, job->params, NULL, NULL, 0)) {
		fail(c, "query could not be sent");
		return false;
	}
	c->state = DBC_BUSY;
	c->job = job;
	if (c->pool->metrics)
		metrics_observe(&c->pool->metrics->pool_wait, (double)(uv_now(c->pool->loop) - job->queued_ms) / 1000.0);
	flush(c);
	return true;
}

void db_conn_close(db_conn_t *c)
{
	db_job_t *job = teardown(c, DBC_CLOSED);
	uv_timer_stop(&c->retry);
	if (job)
		job->cb(job, DB_LOST, NULL);
}
