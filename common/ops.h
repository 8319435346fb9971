/* The protocol's operations, described once: the name the logs and the
 * audit trail use, whether the operation needs a login, whether it writes
 * (a write carries an idempotency key, and is audited when refused), and
 * which roles may call it.  The daemon dispatches by it (server/core/
 * dispatch.c adds each operation's handler) and the CLI gives every write its
 * idempotency key by it, so the two cannot disagree on what writes. */
#ifndef YK_OPS_H
#define YK_OPS_H

#include <stdbool.h>

#include "yaksok.pb-c.h"

/* An account's role as a bit, so that an operation can name several. */
enum {
	YK_ROLE_ADMIN = 1 << 0,
	YK_ROLE_COORDINATOR = 1 << 1,
	YK_ROLE_DEPARTMENT = 1 << 2,
	YK_ROLE_EVALUATOR = 1 << 3,
	YK_ROLE_APPROVER = 1 << 4,
	YK_ROLE_VIEWER = 1 << 5,
	YK_ROLE_ANY = (1 << 6) - 1,
};

typedef struct {
	const char *name;  /* NULL: no such operation */
	bool needs_auth;
	bool writes;
	unsigned roles;    /* YK_ROLE_* bits; department accounts and evaluators are held further by the handlers */
} yk_op_t;

/* The operation a request's body is, or NULL for a body this build does not
 * know. */
const yk_op_t *yk_op_find(Yk__Request__BodyCase body);
/* Operations are numbered below YK_OPS_MAX (their body's field number): the
 * number of one, and the one of a number (NULL for none). */
#define YK_OPS_MAX 64
size_t yk_op_index(const yk_op_t *op);
const yk_op_t *yk_op_at(size_t index);

/* The bit of a role's name ("coordinator"), or 0 for an unknown role. */
unsigned yk_role_bit(const char *role);

/* A change request's step: its name (as the CLI's subcommand, the SQL
 * function yk_change_step and the request's history say it) and which roles
 * may take it.  NULL / 0 for STEP_UNSPECIFIED or an unknown value. */
const char *yk_change_step_name(Yk__ChangeStepKind step);
unsigned yk_change_step_roles(Yk__ChangeStepKind step);
/* The step of a name, or STEP_UNSPECIFIED. */
Yk__ChangeStepKind yk_change_step_parse(const char *name);

#endif
