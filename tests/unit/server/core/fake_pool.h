/* A database pool for unit tests: jobs are kept in submission order, and
 * the test answers them with results it makes itself (libpq builds a
 * PGresult without a server). */
#ifndef YK_TEST_FAKE_POOL_H
#define YK_TEST_FAKE_POOL_H

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

static db_job_t *fake_jobs[64];
static int fake_urgent[64];
static size_t fake_n;

void db_pool_submit(db_pool_t *p, db_job_t *job)
{
	(void)p;
	fake_urgent[fake_n] = 0;
	fake_jobs[fake_n++] = job;
}

void db_pool_submit_urgent(db_pool_t *p, db_job_t *job)
{
	(void)p;
	fake_urgent[fake_n] = 1;
	fake_jobs[fake_n++] = job;
}

__attribute__((unused)) int db_pool_ready(const db_pool_t *p)
{
	(void)p;
	return 1;
}

__attribute__((unused)) void db_pool_host(const db_pool_t *p, char *out, size_t len)
{
	(void)p;
	if (len)
		out[0] = 0;
}

/* A result of `cols` text columns and `rows` rows; cells row by row (NULL
 * for SQL NULL). */
__attribute__((unused)) static PGresult *fake_result(int cols, int rows, const char *const *cells)
{
	PGresult *r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	PGresAttDesc att[8];
	memset(att, 0, sizeof(att));
	for (int c = 0; c < cols; c++) {
		att[c].name = (char *)"c";
		att[c].typid = 25;  /* text */
		att[c].typlen = -1;
		att[c].atttypmod = -1;
	}
	if (!PQsetResultAttrs(r, cols, att))
		abort();
	for (int i = 0; i < rows; i++)
		for (int c = 0; c < cols; c++) {
			const char *v = cells[i * cols + c];
			if (!PQsetvalue(r, i, c, (char *)v, v ? (int)strlen(v) : -1))
				abort();
		}
	return r;
}

/* Answer the oldest job not yet answered (in submission order). */
static size_t fake_next;
__attribute__((unused)) static void fake_answer(db_outcome_t outcome, PGresult *res)
{
	db_job_t *job = fake_jobs[fake_next++];
	job->cb(job, outcome, res);
	PQclear(res);
}

#endif
