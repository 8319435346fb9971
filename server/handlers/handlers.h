/* The handlers, one per request type, grouped by resource in h_*.c.  Each
 * answers its request exactly once, through req_finish() or req_fail().
 * Writes end in a SQL function that returns its result as json; the reply_*
 * functions turn such a result (new, or replayed for a repeated idempotency
 * key) into the response body. */
#ifndef YK_HANDLERS_H
#define YK_HANDLERS_H

#include "bounds.h"
#include "req.h"
#include "result.h"
#include "text.h"

/* h_session.c */
void h_hello(req_t *r);
void h_login(req_t *r);
void h_logout(req_t *r);
void h_whoami(req_t *r);
void h_server_status(req_t *r);

/* h_admin.c */
void h_department_add(req_t *r);
void h_department_list(req_t *r);
void h_user_add(req_t *r);
void h_user_list(req_t *r);
int reply_department_add(req_t *r, const doc_node_t *result, bool replayed);
int reply_user_add(req_t *r, const doc_node_t *result, bool replayed);
void h_user_change(req_t *r);
int reply_user_change(req_t *r, const doc_node_t *result, bool replayed);
void h_session_list(req_t *r);

/* h_pledge.c */
void h_pledge_apply(req_t *r);
void h_pledge_get(req_t *r);
void h_pledge_list(req_t *r);
void h_pledge_export(req_t *r);
void h_stats(req_t *r);
int reply_pledge_write(req_t *r, const doc_node_t *result, bool replayed);
/* A request's pledge as a document tree; NULL after failing the request
 * (fields this server does not know, or no memory). */
doc_node_t *pledge_tree(req_t *r, const Yk__Pledge *p);
/* Check a document tree (normalise, every rule) and write it as json text for
 * yk_pledge_apply; NULL after failing the request. */
const char *pledge_prepare(req_t *r, doc_node_t *doc);
/* Keep p, the current version of pledge code built for today, in the read
 * cache, packed; pcache_put's result. */
int pledge_cache_keep(req_t *r, const char *code, const Yk__Pledge *p);
/* The read cache's build of pledge code at version (for today), unpacked in
 * the request's arena; NULL when the cache does not hold it. */
Yk__Pledge *pledge_cache_unpacked(req_t *r, const char *code, int64_t version);
/* h_update.c */
void h_pledge_update(req_t *r);
/* Whether this update runs as one self-checking statement (op_t.one_statement). */
bool h_pledge_update_one_statement(const Yk__Request *m);

/* h_round.c */
void h_round_open(req_t *r);
void h_round_close(req_t *r);
void h_round_status(req_t *r);
void h_round_list(req_t *r);
void h_submit(req_t *r);
void h_review(req_t *r);
void h_target_judge(req_t *r);
int reply_target_judgement(req_t *r, const doc_node_t *result, bool replayed);
int reply_round(req_t *r, const doc_node_t *result, bool replayed);
int reply_submission(req_t *r, const doc_node_t *result, bool replayed);

/* h_change.c */
void h_change_propose(req_t *r);
void h_change_step(req_t *r);
void h_change_list(req_t *r);
void h_change_get(req_t *r);
int reply_change(req_t *r, const doc_node_t *result, bool replayed);
/* A department's status set to completed or completed_ongoing: record it as
 * a completion request against `current` (the pledge at `version`, in the
 * protocol's form) instead of applying it. */
void change_propose_completion(req_t *r, doc_node_t *current, int64_t version, const Yk__StatusSet *in,
			       const char *code);

/* h_audit.c */
void h_history(req_t *r);
void h_audit_verify(req_t *r);


#endif
