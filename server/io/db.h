/* The database as the rest of the daemon sees it: submit a job (one prepared
 * statement and its parameters) and get its result in a callback, on the loop.
 * libpq itself is used only inside db_conn.c and db_pool.c, always
 * non-blocking, driven by uv_poll. */
#ifndef YK_DB_H
#define YK_DB_H

#include <libpq-fe.h>
#include <stdint.h>
#include <uv.h>

#include "sql.h"

#define DB_MAX_PARAMS 16

typedef enum {
	DB_DONE,         /* the statement ran; res holds its result, an error result included */
	DB_UNAVAILABLE,  /* it was never sent: no connection in time, or shutting down */
	DB_LOST,         /* it was sent and the connection broke: the outcome is unknown */
	DB_BUSY,         /* too many jobs waiting; refused at once */
} db_outcome_t;

typedef struct db_job db_job_t;
/* res is valid only during the callback (the pool clears it afterwards). */
typedef void (*db_job_cb)(db_job_t *job, db_outcome_t outcome, const PGresult *res);

/* Owned by the submitter (usually embedded in its request) and must stay
 * valid until the callback has run.  Parameters are text; NULL is SQL NULL. */
struct db_job {
	sql_id_t stmt;
	int nparams;
	const char *params[DB_MAX_PARAMS];
	db_job_cb cb;
	void *data;
	/* the pool's */
	db_job_t *next;
	uint64_t queued_ms;
	int lane;  /* which queue */
	/* db_route.c's, while a read waits for a replica or runs on one */
	uint64_t need_lsn;
	db_job_cb routed_cb;
	void *route;
};

typedef struct db_pool db_pool_t;

/* Jobs submitted before db_pool_start wait in the queue (for at most wait_ms)
 * until the connections are up: the daemon serves, and says the database is
 * unavailable, while the schema is still being brought up to date. */
db_pool_t *db_pool_new(uv_loop_t *loop, const char *conninfo, int size, size_t max_queue, uint64_t wait_ms);
/* Open the connections; each reconnects on its own after a failure, with
 * back-off and jitter. */
void db_pool_start(db_pool_t *p);
/* The callback always runs exactly once: now (DB_BUSY, or DB_UNAVAILABLE when
 * closing) or later from the loop. */
void db_pool_submit(db_pool_t *p, db_job_t *job);
/* The same, ahead of the writes waiting: for a short job a reader waits on
 * (served first in first out among themselves). */
void db_pool_submit_urgent(db_pool_t *p, db_job_t *job);
/* Connections up (idle or running a statement). */
int db_pool_ready(const db_pool_t *p);
/* HOST:PORT of a connection that is up ("-" when none is), for status. */
void db_pool_host(const db_pool_t *p, char *out, size_t len);
/* Statements waiting, and the pool's size. */
size_t db_pool_queued(const db_pool_t *p);
int db_pool_size(const db_pool_t *p);
/* Count waits, connections made and lost into m (core/metrics.h). */
struct metrics;
void db_pool_count_into(db_pool_t *p, struct metrics *m);
/* Close every connection; queued jobs get DB_UNAVAILABLE, running ones
 * DB_LOST.  `done` runs once every handle is closed; then the pool is freed. */
void db_pool_close(db_pool_t *p, void (*done)(void *), void *arg);

#endif
