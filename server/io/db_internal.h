/* Shared between db_conn.c (one connection's state machine) and db_pool.c
 * (the queue in front of the connections).  Nothing else includes this. */
#ifndef YK_DB_INTERNAL_H
#define YK_DB_INTERNAL_H

#include <stdbool.h>

#include "db.h"

typedef enum {
	DBC_DOWN,        /* no connection; retry timer may be running */
	DBC_CONNECTING,  /* PQconnectPoll in progress */
	DBC_PREPARING,   /* sending the statements of sql.c, one at a time */
	DBC_IDLE,        /* ready for a job */
	DBC_BUSY,        /* one job sent, results pending */
	DBC_CLOSED,      /* shut down for good */
} dbc_state_t;

typedef struct db_conn {
	db_pool_t *pool;
	int idx;
	dbc_state_t state;
	PGconn *pg;
	uv_poll_t *poll;    /* separately allocated: a closing one may outlive a new one */
	int fd;
	int events;
	int prepared;       /* statements prepared so far */
	db_job_t *job;      /* the job in flight (DBC_BUSY) */
	PGresult *result;   /* first result of the command in flight */
	uv_timer_t retry;
	unsigned backoff_ms;
} db_conn_t;

struct db_pool {
	uv_loop_t *loop;
	char *conninfo;
	int size;
	db_conn_t *conns;
	/* waiting jobs: [0] what a reader waits on, [1] the rest (writes);
	 * each first in first out, [0] served first -- but never more than
	 * DB_READS_PER_WRITE of them in a row while a write waits */
	struct {
		db_job_t *head, *tail;
	} q[2];
	unsigned reads_in_a_row;
	size_t queued, max_queue;
	uint64_t wait_ms;
	uv_timer_t sweep;
	bool closing;
	int open_handles;
	void (*closed_cb)(void *);
	void *closed_arg;
	struct metrics *metrics;  /* NULL: nothing counted */
};

void db_conn_init(db_pool_t *p, db_conn_t *c, int idx);
void db_conn_start(db_conn_t *c);
/* Send job on an idle connection.  False when it could not be sent (the
 * connection has been marked down; the job was not touched). */
bool db_conn_run(db_conn_t *c, db_job_t *job);
void db_conn_close(db_conn_t *c);

/* db_pool.c: a connection became idle. */
void db_pool_conn_idle(db_pool_t *p);
/* db_pool.c: a handle the pool counts has closed. */
void db_pool_handle_closed(db_pool_t *p);

#endif
