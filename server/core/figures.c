#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "figures.h"
#include "log.h"
#include "sql.h"

static void pass(figures_t *f);

static void on_pass(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	figures_t *f = job->data;
	f->busy = false;
	if (outcome != DB_DONE)
		return;  /* the pool is busy or closing: the next tick tries again */
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		log_warn("event=figures_failed error=\"%s\"", PQresultErrorMessage(res));
		return;
	}
	long made = strtol(PQgetvalue(res, 0, SQL_COL_ONE), NULL, 10);
	f->passes++;
	f->versions += (unsigned long long)(made > 0 ? made : 0);
	/* a whole batch: there may be more (a city loaded at once) */
	if (made >= LIMIT_FIGURES_BATCH && !f->stopped)
		pass(f);
}

static void pass(figures_t *f)
{
	if (f->busy || f->stopped)
		return;
	f->busy = true;
	memset(&f->job, 0, sizeof(f->job));
	f->job.stmt = SQL_FIGURES_REFRESH;
	f->job.nparams = 2;
	f->job.params[0] = f->batch;
	f->job.params[1] = f->settled;
	f->job.cb = on_pass;
	f->job.data = f;
	db_pool_submit(f->db, &f->job);
}

static void on_tick(uv_timer_t *t)
{
	pass(t->data);
}

void figures_init(figures_t *f, uv_loop_t *loop, db_pool_t *db, uint64_t every_ms)
{
	memset(f, 0, sizeof(*f));
	f->db = db;
	f->every_ms = every_ms;
	snprintf(f->batch, sizeof(f->batch), "%d", LIMIT_FIGURES_BATCH);
	/* a version is figured once it has been current for a whole interval:
	 * a pledge written over and over has each version figured at most once
	 * it stops, not once per pass while it goes on */
	snprintf(f->settled, sizeof(f->settled), "%llu", (unsigned long long)(every_ms / 1000));
	uv_timer_init(loop, &f->timer);
	f->timer.data = f;
}

void figures_start(figures_t *f)
{
	if (!f->stopped)
		uv_timer_start(&f->timer, on_tick, 0, f->every_ms);
}

void figures_stop(figures_t *f)
{
	f->stopped = true;
	uv_timer_stop(&f->timer);
}

uv_handle_t *figures_handle(figures_t *f)
{
	return (uv_handle_t *)&f->timer;
}
