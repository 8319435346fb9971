/* Group commit: writes that arrive while earlier ones are with the database
 * go together, as one statement in one transaction, when a slot frees up.
 * The statement gives each write its own subtransaction and answer, so each
 * still succeeds or fails on its own, and none is answered before the
 * commit.  At most max_out groups are out at once (one per core of the
 * database, leaving a connection for reads); a write that finds a slot free
 * goes at once, alone, so grouping adds no wait. */
#ifndef YK_GCOMMIT_H
#define YK_GCOMMIT_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "doc.h"

typedef struct gc_wait gc_wait_t;

/* answer: this write's element of the statement's result ({"result": ...}
 * or {"error": {...}}), valid during the call; NULL when the statement as a
 * whole did not run or failed (outcome, res say why). */
typedef void (*gc_cb)(gc_wait_t *w, db_outcome_t outcome, const PGresult *res, const doc_node_t *answer);

/* Owned by the writer; valid until cb. */
struct gc_wait {
	const char *key;   /* the pledge code: groups lock pledges in key order */
	const char *json;  /* the write, as one element of the statement's array */
	gc_cb cb;
	gc_wait_t *next;
};

typedef struct {
	db_pool_t *db;
	sql_id_t stmt;          /* takes the json array, returns one */
	gc_wait_t *head, *tail;
	size_t queued;
	int out, max_out;
	uint64_t groups, writes;
} gcommit_t;

void gcommit_init(gcommit_t *g, db_pool_t *db, sql_id_t stmt, int max_out);
/* w->cb runs exactly once, maybe before this returns. */
void gcommit_add(gcommit_t *g, gc_wait_t *w);

#endif
