/* Sessions: whose token a request carries, and whether it still holds.
 *
 * The database decides validity, with one predicate (yk_session_live in
 * migrations/functions/accounts.sql) that every statement confirming a
 * session uses: the session check here, the freshness check of cached reads
 * (core/fresh.c) and the progress fast path (functions/progress.sql).
 * The daemon keeps a cache of principals by token hash, so that a read or a
 * progress item can confirm the session inside its own statement instead of
 * asking first; an entry is dropped when the database says the session is
 * gone.  The cache is per daemon and bounded in entries (oldest out first). */
#ifndef YK_SESSION_H
#define YK_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "keyed.h"

typedef struct {
	char *account_id;     /* as text, ready to be a statement parameter */
	char *login;
	char *role;
	unsigned role_bit;    /* YK_ROLE_* */
	char *department_id;  /* NULL when the account has no department */
	char *department;
} principal_t;

typedef struct session_entry session_entry_t;

typedef struct {
	keyed_t table;  /* entries by token hash, oldest first out */
	size_t max;
} session_cache_t;

/* max 0: no cache (every recall misses). */
int session_cache_init(session_cache_t *c, size_t max);
void session_cache_free(session_cache_t *c);
/* Keep who holds the session of token hash `hash` (a copy). */
void session_remember(session_cache_t *c, const char *hash, const principal_t *who);
/* The principal of `hash`, copied into `a`; false when not cached (or out
 * of memory). */
bool session_recall(session_cache_t *c, const char *hash, arena_t *a, principal_t *who);
void session_forget(session_cache_t *c, const char *hash);

typedef struct req req_t;

/* Ask the database whether the request's session holds (one statement);
 * then fill r->who, remember it and call `then`, or fail the request. */
void session_check(req_t *r, void (*then)(req_t *r));
/* The database said the request's session is gone: forget it and fail the
 * request with the one message for it. */
void session_expired(req_t *r);
/* The one message of an expired or unknown session (also raised by the SQL
 * of the progress fast path, YK401). */
#define SESSION_EXPIRED_MESSAGE "your session has expired or is unknown: log in again (yaksok login)"

#endif
