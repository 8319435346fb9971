/* One request from its frame to its response.  Everything a request needs
 * lives in its own arena (the unpacked message, the response, document trees);
 * req_finish() sends the response and drops the arena in one go. */
#ifndef YK_REQ_H
#define YK_REQ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "auth.h"
#include "conn.h"
#include "db.h"
#include "doc.h"
#include "fresh.h"
#include "ops.h"
#include "session.h"
#include "sqlerr.h"
#include "viol.h"
#include "yaksok.pb-c.h"

typedef struct req req_t;

/* How the daemon serves one operation of the protocol (what the operation
 * is -- its name, whether it writes, who may call it -- is common/ops.c's
 * yk_op_t): its handler, and for writes how its stored result becomes the
 * response body. */
typedef struct {
	void (*fn)(req_t *r);
	/* result: the json a write function returned (or an earlier one
	 * replayed); fills r->resp.  0 or -1 (out of memory). */
	int (*reply)(req_t *r, const doc_node_t *result, bool replayed);
	/* a read whose handler checks the session in its own query when the
	 * token is known (one round trip instead of two) */
	bool session_in_query;
	/* a write whose handler, for this request, runs one statement that
	 * confirms a cached session and answers a repeated idempotency key
	 * itself: no session check or key lookup before it */
	bool (*one_statement)(const Yk__Request *m);
} op_t;

struct req {
	srv_t *srv;
	conn_t *conn;
	arena_t *arena;
	Yk__Request *msg;
	Yk__Response resp;
	principal_t who;
	const char *op;
	const op_t *opd;
	const yk_op_t *info;
	const char *code;          /* the pledge the request is about, for the audit trail */
	char idem_hash[65];        /* SHA-256 of the request body, hex */
	bool audited;              /* a refused write has been recorded */
	const char *lock_key;      /* a per-pledge lock held until the request ends */
	const char *session_hash;  /* the token's hash as a bytea literal */
	bool session_unchecked;    /* who comes from the session cache: the handler's query must confirm it */
	void (*after_session)(req_t *r);  /* session_check's continuation */
	bool lsn_stamped;          /* a write's answer carries its commit LSN (core/lsn.c) */
	req_t *lsn_next;           /* ... while it waits for it */
	/* an already packed body for the response (field number, bytes) */
	uint32_t packed_field;
	const uint8_t *packed_body;
	size_t packed_len;
	uint64_t started_ns;
	db_job_t job;
	fresh_wait_t fresh;   /* a cached read's freshness check */
	auth_job_t auth;
	viol_list_t viol;
	void *state;          /* the handler's own */
};

/* The memory one request may use: the message, its document tree and the
 * response together may take a few times the largest frame. */
size_t req_arena_cap(const srv_t *s);
req_t *req_new(conn_t *c, arena_t *a);
/* Send the response as it stands and free the request. */
void req_finish(req_t *r);
/* Set reason (and with it the status, common/reason.h) and message, then
 * finish. */
void req_fail(req_t *r, Yk__Reason reason, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Finish with INVALID_ARGUMENT (reason INVALID) listing r->viol. */
void req_fail_violations(req_t *r, const char *summary);
/* Finish with RESOURCE_EXHAUSTED: the request's arena refused an
 * allocation (its cap, or malloc).  The one answer to running out of memory
 * while serving a request (docs/architecture.md "Errors"). */
void req_fail_oom(req_t *r);

/* A document the database stored (json text), read back as a message of
 * type d (`what` names it in the answer: "the stored pledge"); with `tree`, also as the message's tree (the fields the protocol
 * has, nothing else).  NULL when it cannot be read: the request has then
 * been failed (INTERNAL, or RESOURCE_EXHAUSTED) and the problems logged.
 * r->viol is the client's and is never used for this.  The two halves, for
 * a caller that adds to the tree in between (derived figures): */
ProtobufCMessage *req_stored(req_t *r, const char *json, size_t len, const ProtobufCMessageDescriptor *d,
			     const char *what, doc_node_t **tree);
doc_node_t *req_stored_doc(req_t *r, const char *json, size_t len, const char *what);
ProtobufCMessage *req_stored_msg(req_t *r, const doc_node_t *doc, const ProtobufCMessageDescriptor *d,
				 const char *what);

/* The request's context for the SQL write functions: account, login, peer,
 * request id, idempotency key and hash, operation (json text). */
const char *req_ctx(req_t *r);
/* The same as a tree, to be part of a larger argument. */
doc_node_t *req_ctx_tree(req_t *r);

/* Run a write function that returns its result as json, then answer with
 * r->opd->reply. */
void req_write(req_t *r, sql_id_t stmt, int nparams, ...);
/* The db callback req_write uses, for handlers that run their own first. */
void req_write_done(db_job_t *job, db_outcome_t outcome, const PGresult *res);
/* The same from the write function's result, already parsed (NULL: none). */
void req_write_result(req_t *r, const doc_node_t *result);

/* Run a write as one element of the group statement (core/gcommit.c,
 * yk_progress_add in functions/progress.sql) under the pledge `key`, and
 * answer from its element like req_write.  element: NULL fails the request
 * as out of memory, so a caller may pass what it just built. */
void req_write_grouped(req_t *r, const char *key, const char *element);
/* Answer a request from its element of a group's answer (gcommit_t's
 * callback): the write's result, or the refusal its error maps to, or,
 * when the group gave no answer (answer NULL), what outcome and res say. */
void req_group_done(req_t *r, db_outcome_t outcome, const PGresult *res, const doc_node_t *answer);

/* Submit a prepared statement; parameters are text (NULL = SQL NULL). */
void req_db(req_t *r, sql_id_t stmt, db_job_cb cb, int nparams, ...);
/* In a db callback: true when the statement succeeded; otherwise the
 * response has been filled from the failure and finished. */
bool req_db_ok(req_t *r, db_outcome_t outcome, const PGresult *res);
/* Column `col` of row `row` copied into the request's arena; NULL for SQL
 * NULL (or when memory ran out).  Columns by name: sql.h. */
char *req_col(req_t *r, const PGresult *res, int row, int col);
/* Fail with a mapped database error. */
void req_fail_sql(req_t *r, sqlerr_t e);

#endif
