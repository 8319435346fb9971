/* Freshness checks for cached reads, many to a query.
 *
 * A cached document may go out only when the database, asked after the read
 * arrived, still holds that version (and the reader's session): then a read
 * that starts after any daemon acknowledged a write sees it.  Asking once per
 * read costs PostgreSQL as much as the read it saves, so the reads that
 * arrive while one check is out wait for the next, which asks for all their
 * pledges and sessions in one indexed query.  One check is out at a time; it
 * goes ahead of the writes waiting for the pool, since a read waits on it. */
#ifndef YK_FRESH_H
#define YK_FRESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "db.h"

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
	fresh_wait_t *next;
};

typedef struct {
	db_pool_t *db;
	fresh_wait_t *head, *tail;  /* waiting for the next check */
	fresh_wait_t *out;          /* answered by the check in flight */
	bool busy;                  /* a check is in flight (or being answered) */
	db_job_t job;
	buf_t codes, tokens;        /* its parameters: text[] literals */
	const char **sort;          /* room to sort session hashes */
	size_t sort_cap;
	uint64_t checks, reads;     /* how many queries served how many reads */
} fresh_t;

void fresh_init(fresh_t *f, db_pool_t *db);
void fresh_free(fresh_t *f);
/* w->cb runs exactly once, maybe before this returns (pool busy or closing). */
void fresh_check(fresh_t *f, fresh_wait_t *w);

#endif
