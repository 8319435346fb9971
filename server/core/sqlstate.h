/* The SQLSTATEs that yaksok's own SQL functions raise (RAISE ... USING
 * ERRCODE in migrations/functions/), and what each becomes in the protocol
 * (core/sqlerr.c maps them).  tests/unit/sqlstate.sh checks that every code
 * the SQL raises is listed here and every code listed here is raised.
 * PostgreSQL's own classes (23 integrity, 22 data, 40 serialisation, 08
 * connection, 57 operator intervention) are mapped by class in sqlerr.c. */
#ifndef YK_SQLSTATE_H
#define YK_SQLSTATE_H

/* Each is answered with the protocol's reason in the comment (and that
 * reason's status, common/reason.c). */
#define YK_SQLSTATE_SESSION "YK401"      /* session expired or unknown      -> SESSION_EXPIRED */
#define YK_SQLSTATE_FORBIDDEN "YK403"    /* not this account's to write    -> FORBIDDEN */
#define YK_SQLSTATE_NOT_FOUND "YK404"    /* no such pledge, round, request  -> NOT_FOUND */
#define YK_SQLSTATE_CONFLICT "YK409"     /* the stored version differs      -> VERSION_CONFLICT */
#define YK_SQLSTATE_EXISTS "YK410"       /* already exists                  -> ALREADY_EXISTS */
#define YK_SQLSTATE_STATE "YK411"        /* round, submission or request in another state -> WRONG_STATE */
#define YK_SQLSTATE_REFUSED "YK412"      /* a rule of the workflow refuses  -> REFUSED */
#define YK_SQLSTATE_INVALID "YK422"      /* a reference or field is wrong   -> INVALID, with the COLUMN as path */
#define YK_SQLSTATE_GUARDED "YK428"      /* a guarded field or closed period -> CHANGE_REQUEST_REQUIRED */
#define YK_SQLSTATE_APPEND_ONLY "YK451"  /* the audit trail refuses UPDATE/DELETE/TRUNCATE (never from the daemon) */

/* DETAIL of a YK_SQLSTATE_CONFLICT raised because a change request's pledge
 * moved on since the request was loaded: the step may be tried again. */
#define YK_SQLDETAIL_STALE "stale"

#endif
