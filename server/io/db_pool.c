/* The queue in front of the pooled connections.  A job goes to an idle
 * connection at once or waits, first in first out, for at most wait_ms.
 * Reads' statements are short and go first; a write (a group of them,
 * gcommit.c) still gets a connection after DB_READS_PER_WRITE reads, so
 * that a stream of reads cannot keep a department's answer waiting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "log.h"

#define SWEEP_MS 250
/* Reads served before a waiting write takes its turn: a write costs some
 * ten reads of the database's time, so writes get no more than their share
 * under a read-heavy load, and wait for four reads, not all of them. */
#define DB_READS_PER_WRITE 4

static void dequeue_expired(db_pool_t *p)
{
	uint64_t now = uv_now(p->loop);
	for (int lane = 0; lane < 2; lane++) {
		db_job_t **pp = &p->q[lane].head, *prev = NULL;
		while (*pp) {
			db_job_t *j = *pp;
			if (now - j->queued_ms < p->wait_ms) {
				prev = j;
				pp = &j->next;
				continue;
			}
			*pp = j->next;
			if (p->q[lane].tail == j)
				p->q[lane].tail = prev;
			p->queued--;
			j->next = NULL;
			j->cb(j, DB_UNAVAILABLE, NULL);
		}
	}
}

size_t db_pool_queued(const db_pool_t *p)
{
	return p->queued;
}

int db_pool_size(const db_pool_t *p)
{
	return p->size;
}

void db_pool_count_into(db_pool_t *p, struct metrics *m)
{
	p->metrics = m;
}

static void on_sweep(uv_timer_t *t)
{
	dequeue_expired(t->data);
}

static db_conn_t *idle_conn(db_pool_t *p)
{
	for (int i = 0; i < p->size; i++)
		if (p->conns[i].state == DBC_IDLE)
			return &p->conns[i];
	return NULL;
}

static db_job_t *pop(db_pool_t *p)
{
	/* a waiting write's turn comes after DB_READS_PER_WRITE reads */
	int first = p->q[1].head && p->reads_in_a_row >= DB_READS_PER_WRITE ? 1 : 0;
	for (int k = 0; k < 2; k++) {
		int lane = first ^ k;
		db_job_t *j = p->q[lane].head;
		if (!j)
			continue;
		p->reads_in_a_row = lane == 0 && p->q[1].head ? p->reads_in_a_row + 1 : 0;
		p->q[lane].head = j->next;
		if (!j->next)
			p->q[lane].tail = NULL;
		p->queued--;
		j->next = NULL;
		return j;
	}
	return NULL;
}

static void push(db_pool_t *p, db_job_t *j, bool front)
{
	int lane = j->lane;
	if (front) {
		j->next = p->q[lane].head;
		p->q[lane].head = j;
		if (!p->q[lane].tail)
			p->q[lane].tail = j;
	} else {
		j->next = NULL;
		if (p->q[lane].tail)
			p->q[lane].tail->next = j;
		else
			p->q[lane].head = j;
		p->q[lane].tail = j;
	}
	p->queued++;
}

static void dispatch(db_pool_t *p)
{
	db_conn_t *c;
	while ((p->q[0].head || p->q[1].head) && !p->closing && (c = idle_conn(p))) {
		db_job_t *j = pop(p);
		if (!db_conn_run(c, j))
			push(p, j, true);  /* not sent: back in front */
	}
}

db_pool_t *db_pool_new(uv_loop_t *loop, const char *conninfo, int size, size_t max_queue, uint64_t wait_ms)
{
	db_pool_t *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->loop = loop;
	p->conninfo = strdup(conninfo);
	p->conns = calloc((size_t)size, sizeof(*p->conns));
	if (!p->conninfo || !p->conns) {
		free(p->conninfo);
		free(p->conns);
		free(p);
		return NULL;
	}
	p->size = size;
	p->max_queue = max_queue;
	p->wait_ms = wait_ms;
	uv_timer_init(loop, &p->sweep);
	p->sweep.data = p;
	uv_timer_start(&p->sweep, on_sweep, SWEEP_MS, SWEEP_MS);
	for (int i = 0; i < size; i++)
		db_conn_init(p, &p->conns[i], i);
	return p;
}

void db_pool_start(db_pool_t *p)
{
	if (p->closing)
		return;
	for (int i = 0; i < p->size; i++)
		if (p->conns[i].state == DBC_DOWN)
			db_conn_start(&p->conns[i]);
}

static void enqueue(db_pool_t *p, db_job_t *job, int lane)
{
	if (p->closing) {
		job->cb(job, DB_UNAVAILABLE, NULL);
		return;
	}
	if (p->queued >= p->max_queue) {
		job->cb(job, DB_BUSY, NULL);
		return;
	}
	job->queued_ms = uv_now(p->loop);
	job->lane = lane;
	push(p, job, false);
	dispatch(p);
}

void db_pool_submit(db_pool_t *p, db_job_t *job)
{
	enqueue(p, job, 1);
}

void db_pool_submit_urgent(db_pool_t *p, db_job_t *job)
{
	enqueue(p, job, 0);
}

int db_pool_ready(const db_pool_t *p)
{
	int n = 0;
	for (int i = 0; i < p->size; i++)
		n += p->conns[i].state == DBC_IDLE || p->conns[i].state == DBC_BUSY;
	return n;
}

void db_pool_host(const db_pool_t *p, char *out, size_t len)
{
	snprintf(out, len, "-");
	for (int i = 0; i < p->size; i++) {
		const db_conn_t *c = &p->conns[i];
		if ((c->state == DBC_IDLE || c->state == DBC_BUSY) && c->pg) {
			const char *h = PQhost(c->pg), *port = PQport(c->pg);
			snprintf(out, len, "%s:%s", h ? h : "?", port ? port : "?");
			return;
		}
	}
}

void db_pool_conn_idle(db_pool_t *p)
{
	dispatch(p);
}

static void maybe_done(db_pool_t *p)
{
	if (!p->closing || p->open_handles > 0)
		return;
	void (*cb)(void *) = p->closed_cb;
	void *arg = p->closed_arg;
	free(p->conninfo);
	free(p->conns);
	free(p);
	if (cb)
		cb(arg);
}

void db_pool_handle_closed(db_pool_t *p)
{
	p->open_handles--;
	maybe_done(p);
}

static void on_handle_closed(uv_handle_t *h)
{
	db_pool_handle_closed(h->data);
}

void db_pool_close(db_pool_t *p, void (*done)(void *), void *arg)
{
	p->closing = true;
	p->closed_cb = done;
	p->closed_arg = arg;
	db_job_t *j;
	while ((j = pop(p)))
		j->cb(j, DB_UNAVAILABLE, NULL);
	/* Count the handles first so that none closing early ends the pool. */
	p->open_handles += 1 + p->size;
	for (int i = 0; i < p->size; i++) {
		db_conn_close(&p->conns[i]);
		p->conns[i].retry.data = p;
		uv_close((uv_handle_t *)&p->conns[i].retry, on_handle_closed);
	}
	p->sweep.data = p;
	uv_close((uv_handle_t *)&p->sweep, on_handle_closed);
}
