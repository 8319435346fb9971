#include "gcommit.h"

#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "buf.h"
#include "doc_io.h"
#include "log.h"


typedef struct {
	db_job_t job;
	gcommit_t *g;
	size_t n;
	gc_wait_t *w[LIMIT_GROUP_MAX];
	buf_t param;
} group_t;

static void send_next(gcommit_t *g);

void gcommit_init(gcommit_t *g, db_pool_t *db, sql_id_t stmt, int max_out)
{
	memset(g, 0, sizeof(*g));
	g->db = db;
	g->stmt = stmt;
	g->max_out = max_out > 0 ? max_out : 1;
}

static int by_key(const void *a, const void *b)
{
	return strcmp((*(gc_wait_t *const *)a)->key, (*(gc_wait_t *const *)b)->key);
}

static void answer_all(group_t *grp, db_outcome_t outcome, const PGresult *res)
{
	arena_t *a = NULL;
	const doc_node_t *list = NULL;
	if (outcome == DB_DONE && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    !PQgetisnull(res, 0, SQL_COL_ONE) && (a = arena_new(0))) {
		const char *err = NULL;
		list = doc_parse_json(a, PQgetvalue(res, 0, SQL_COL_ONE), (size_t)PQgetlength(res, 0, SQL_COL_ONE), &err);
		if (!list || list->type != DOC_SEQ || list->n != grp->n) {
			log_error("event=group_answer_bad writes=%zu error=\"%s\"", grp->n, err ? err : "wrong shape");
			list = NULL;
		}
	}
	for (size_t i = 0; i < grp->n; i++) {
		gc_wait_t *w = grp->w[i];
		w->next = NULL;
		w->cb(w, outcome, res, list ? list->items[i] : NULL);
	}
	arena_free(a);
}

static void on_done(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	group_t *grp = job->data;
	gcommit_t *g = grp->g;
	answer_all(grp, outcome, res);
	buf_free(&grp->param);
	free(grp);
	g->out--;
	send_next(g);
}

static void send_next(gcommit_t *g)
{
	while (g->head && g->out < g->max_out) {
		group_t *grp = calloc(1, sizeof(*grp));
		if (!grp) {
			/* leave them queued; a finishing group tries again */
			log_error("event=group_oom queued=%zu", g->queued);
			if (g->out == 0) {
				gc_wait_t *w = g->head;
				g->head = w->next;
				if (!g->head)
					g->tail = NULL;
				g->queued--;
				w->next = NULL;
				w->cb(w, DB_BUSY, NULL, NULL);
				continue;
			}
			return;
		}
		grp->g = g;
		size_t bytes = 0;
		while (g->head && grp->n < LIMIT_GROUP_MAX) {
			gc_wait_t *w = g->head;
			size_t len = strlen(w->json);
			if (grp->n && bytes + len > LIMIT_GROUP_BYTES)
				break;
			bytes += len;
			g->head = w->next;
			g->queued--;
			grp->w[grp->n++] = w;
		}
		if (!g->head)
			g->tail = NULL;
		/* one lock order for every group */
		qsort(grp->w, grp->n, sizeof(grp->w[0]), by_key);
		int err = buf_putc(&grp->param, '[');
		for (size_t i = 0; i < grp->n; i++)
			err |= (i && buf_putc(&grp->param, ',')) || buf_puts(&grp->param, grp->w[i]->json);
		err |= buf_putc(&grp->param, ']');
		g->out++;
		g->groups++;
		g->writes += grp->n;
		grp->job.stmt = g->stmt;
		grp->job.cb = on_done;
		grp->job.data = grp;
		grp->job.nparams = 1;
		grp->job.params[0] = grp->param.data;
		if (grp->n > 1)
			log_info("event=group_commit writes=%zu", grp->n);
		if (err)
			on_done(&grp->job, DB_BUSY, NULL);
		else
			db_pool_submit(g->db, &grp->job);
	}
}

void gcommit_add(gcommit_t *g, gc_wait_t *w)
{
	w->next = NULL;
	if (g->tail)
		g->tail->next = w;
	else
		g->head = w;
	g->tail = w;
	g->queued++;
	send_next(g);
	if (g->queued)
		log_debug("event=group_queued queued=%zu out=%d", g->queued, g->out);
}
