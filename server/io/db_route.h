/* Reads from streaming replicas that never show a client something older
 * than a write it was told of.
 *
 * Every write's answer carries the LSN at which it committed (core/lsn.c asks
 * the primary after the commit); the client sends the highest it holds as
 * min_lsn, and the router also remembers the highest LSN this daemon itself
 * acknowledged.  A read goes to the replica only when the replica's replay
 * position (pg_last_wal_replay_lsn(), polled) is at or past both; otherwise it
 * waits for the replica to catch up for at most --replica-wait-ms, and then
 * goes to the primary (logged, with the lag).  A replica that is down, or a
 * read that fails there for want of a connection, is served by the primary.
 * With no replica, every read goes to the primary as before. */
#ifndef YK_DB_ROUTE_H
#define YK_DB_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "db.h"

typedef struct db_route db_route_t;

/* n replicas (at most LIMIT_REPLICAS; none: every read goes to the primary).
 * A read goes to one that has replayed what it must see, taking turns.  The
 * router does not own the pools. */
db_route_t *db_route_new(uv_loop_t *loop, db_pool_t *primary, db_pool_t *const *replicas, int n, uint64_t wait_ms);
/* Begin polling the replicas' positions (once the schema is current). */
void db_route_start(db_route_t *rt);
/* Submit a read (ahead of the writes waiting, on either pool) that must see
 * every write up to need_lsn (0: none in particular) and every write this
 * daemon has acknowledged. */
void db_route_read(db_route_t *rt, db_job_t *job, uint64_t need_lsn);
/* A write this daemon acknowledges committed at or before lsn. */
void db_route_acked(db_route_t *rt, uint64_t lsn);
/* ... at a position that could not be read: until the next db_route_acked,
 * every read goes to the primary. */
void db_route_acked_unknown(db_route_t *rt);
bool db_route_has_replica(const db_route_t *rt);

typedef struct {
	bool replica;
	char host[160];
	bool connected;
	bool lag_known;      /* the replica's figures below were read */
	uint64_t lag_bytes;  /* the primary's last known position less the replay position */
	double lag_seconds;  /* now less the last replayed transaction's commit time */
	uint64_t reads;      /* reads served */
	uint64_t fallbacks;  /* reads meant for a replica that the primary served (all replicas') */
} db_route_pool_t;

/* The primary's figures in out[0], each replica's after it (at most max in
 * all); the count. */
int db_route_status(const db_route_t *rt, db_route_pool_t *out, int max);
/* Stop polling; waiting reads go to the primary.  The router is freed once
 * its timer has closed. */
void db_route_close(db_route_t *rt);

/* "16/B374D848" as a number; 0 for NULL or text that is not an LSN. */
uint64_t db_lsn_parse(const char *s);

#endif
