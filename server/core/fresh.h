/* Freshness checks for cached reads, many to a query.
 *
 * A cached document may go out only when the database, asked after the read
 * arrived, still holds that version (and the reader's session): then a read
 * that starts after any daemon acknowledged a write sees it.  Asking once per
 * read costs PostgreSQL as much as the read it saves, so the reads that
 * arrive while one check is out wait for the next, which asks for all their
 * pledges and sessions in one indexed query.  One check is out at a time; it
 * goes ahead of the writes waiting for the pool, since a read waits on it.
 *
 * Each check also returns the database's snapshot (pg_current_snapshot:
 * xmin, xmax and the transactions in progress).  Two equal snapshots mean no
 * write committed between them, so while checks keep seeing the same one
 * (no writes), a pledge whose version was confirmed under it is not asked for
 * again and a check costs a lookup per session, not per pledge.  If the
 * snapshot has moved by the time such a check returns, the reads that relied
 * on it wait for the next check, which asks for their pledges. */
#ifndef YK_FRESH_H
#define YK_FRESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "db.h"
#include "pcache.h"

typedef struct fresh_wait fresh_wait_t;

/* version: the pledge's current version, -1 when no pledge has the code;
 * session_ok: the session exists and has not expired (true when none was
 * asked for).  Both mean nothing unless outcome is DB_DONE and res is a
 * result without error. */
typedef void (*fresh_cb)(fresh_wait_t *w, db_outcome_t outcome, const PGresult *res, int64_t version,
			 bool session_ok);

/* Owned by the asker (embedded in its request); must stay valid until cb. */
struct fresh_wait {
	const char *code;
	const char *session_hash;  /* bytea literal "\x<hex>", or NULL: nothing to confirm */
	fresh_cb cb;
	/* the check's */
	fresh_wait_t *next;
	int64_t assumed;           /* -1, or the version taken as current if the snapshot held */
	bool ask;                  /* must ask for the pledge (the snapshot moved under it) */
};

typedef struct {
	db_pool_t *db;
	pcache_t *cache;            /* whose versions are confirmed (may be NULL) */
	uint64_t epoch;             /* counts the snapshots seen to differ */
	char snap[256];             /* the snapshot of this epoch */
	bool stable;                /* the last check saw the snapshot before it */
	uint64_t sent_epoch;        /* the epoch when the check out was sent */
	fresh_wait_t *head, *tail;  /* waiting for the next check */
	fresh_wait_t *out;          /* answered by the check in flight */
	bool busy;                  /* a check is in flight (or being answered) */
	db_job_t job;
	buf_t codes, tokens;        /* its parameters: text[] literals */
	const char **sort;          /* room to sort session hashes */
	size_t sort_cap;
	uint64_t checks, reads;     /* how many queries served how many reads */
	bool at_turn;               /* a check goes out at fresh_turn, not as soon as it can */
} fresh_t;

void fresh_init(fresh_t *f, db_pool_t *db, pcache_t *cache);
void fresh_free(fresh_t *f);
/* w->cb runs exactly once, maybe before this returns (pool busy or closing). */
void fresh_check(fresh_t *f, fresh_wait_t *w);
/* With `on`, the next check goes out only at fresh_turn, which the daemon
 * calls once per turn of its loop (before it waits again): a check sent the
 * moment the last one came back took only the reads that arrived while it
 * was out, and those read from other sockets in the same turn waited a whole
 * check more -- smaller checks, more of them, more of PostgreSQL's time for
 * the same reads.  Off (the default, and from shutdown on), a check goes
 * out as soon as none is in flight. */
void fresh_at_turn(fresh_t *f, bool on);
void fresh_turn(fresh_t *f);

#endif
