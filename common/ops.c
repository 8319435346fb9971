#include "ops.h"

#include <string.h>

#define WRITERS (YK_ROLE_ADMIN | YK_ROLE_COORDINATOR | YK_ROLE_DEPARTMENT)
#define REVIEWERS (YK_ROLE_ADMIN | YK_ROLE_COORDINATOR | YK_ROLE_APPROVER)
#define ROUND_KEEPERS (YK_ROLE_ADMIN | YK_ROLE_COORDINATOR)

/* Who may do what (docs/protocol.md has the same table in words).  Indexed
 * by the body's field number in proto/yaksok.proto. */
static const yk_op_t ops[] = {
	[YK__REQUEST__BODY_HELLO] = { "hello", false, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_LOGIN] = { "login", false, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_SERVER_STATUS] = { "status", false, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_LOGOUT] = { "logout", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_WHOAMI] = { "whoami", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_DEPARTMENT_ADD] = { "department_add", true, true, YK_ROLE_ADMIN },
	[YK__REQUEST__BODY_DEPARTMENT_LIST] = { "department_list", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_USER_ADD] = { "user_add", true, true, YK_ROLE_ADMIN },
	[YK__REQUEST__BODY_USER_LIST] = { "user_list", true, false, YK_ROLE_ADMIN },
	[YK__REQUEST__BODY_USER_CHANGE] = { "user_change", true, true, YK_ROLE_ADMIN },
	[YK__REQUEST__BODY_SESSION_LIST] = { "session_list", true, false, YK_ROLE_ADMIN },
	[YK__REQUEST__BODY_PLEDGE_APPLY] = { "pledge_apply", true, true, WRITERS },
	[YK__REQUEST__BODY_PLEDGE_GET] = { "pledge_get", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_PLEDGE_LIST] = { "pledge_list", true, false, YK_ROLE_ANY },
	/* evaluators answer in section 6 only (h_update.c) */
	[YK__REQUEST__BODY_PLEDGE_UPDATE] = { "pledge_update", true, true, WRITERS | YK_ROLE_EVALUATOR },
	[YK__REQUEST__BODY_PLEDGE_HISTORY] = { "history", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_PLEDGE_EXPORT] = { "export", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_STATS] = { "stats", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_ROUND_OPEN] = { "round_open", true, true, ROUND_KEEPERS },
	[YK__REQUEST__BODY_ROUND_CLOSE] = { "round_close", true, true, ROUND_KEEPERS },
	[YK__REQUEST__BODY_ROUND_STATUS] = { "round_status", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_ROUND_LIST] = { "round_list", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_SUBMIT] = { "submit", true, true, WRITERS },
	[YK__REQUEST__BODY_REVIEW] = { "review", true, true, REVIEWERS },
	[YK__REQUEST__BODY_TARGET_JUDGE] = { "target_judge", true, true, ROUND_KEEPERS },
	[YK__REQUEST__BODY_CHANGE_PROPOSE] = { "change_propose", true, true, WRITERS },
	/* each step has its own roles (h_change.c) */
	[YK__REQUEST__BODY_CHANGE_STEP] = { "change_step", true, true, YK_ROLE_ANY & ~YK_ROLE_VIEWER },
	[YK__REQUEST__BODY_CHANGE_LIST] = { "change_list", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_CHANGE_GET] = { "change_get", true, false, YK_ROLE_ANY },
	[YK__REQUEST__BODY_AUDIT_VERIFY] = { "audit_verify", true, false, ROUND_KEEPERS },
};

_Static_assert(sizeof(ops) / sizeof(ops[0]) <= YK_OPS_MAX, "YK_OPS_MAX is too small for the operations");

size_t yk_op_index(const yk_op_t *op)
{
	return (size_t)(op - ops);
}

const yk_op_t *yk_op_at(size_t index)
{
	return index < sizeof(ops) / sizeof(ops[0]) && ops[index].name ? &ops[index] : NULL;
}

const yk_op_t *yk_op_find(Yk__Request__BodyCase body)
{
	if ((unsigned)body >= sizeof(ops) / sizeof(ops[0]) || !ops[body].name)
		return NULL;
	return &ops[body];
}

static const struct {
	const char *name;
	unsigned roles;
} steps[] = {
	[YK__CHANGE_STEP_KIND__STEP_FORWARD] = { "forward", ROUND_KEEPERS },
	[YK__CHANGE_STEP_KIND__STEP_RETURN] = { "return", ROUND_KEEPERS },
	[YK__CHANGE_STEP_KIND__STEP_DELIBERATE] = { "deliberate", YK_ROLE_ADMIN | YK_ROLE_EVALUATOR },
	[YK__CHANGE_STEP_KIND__STEP_APPROVE] = { "approve", YK_ROLE_ADMIN | YK_ROLE_APPROVER },
	[YK__CHANGE_STEP_KIND__STEP_REJECT] = { "reject", YK_ROLE_ADMIN | YK_ROLE_APPROVER },
	[YK__CHANGE_STEP_KIND__STEP_CONFIRM] = { "confirm", ROUND_KEEPERS },
	[YK__CHANGE_STEP_KIND__STEP_WITHDRAW] = { "withdraw", ROUND_KEEPERS | YK_ROLE_DEPARTMENT },
};

const char *yk_change_step_name(Yk__ChangeStepKind step)
{
	return (unsigned)step < sizeof(steps) / sizeof(steps[0]) ? steps[step].name : NULL;
}

unsigned yk_change_step_roles(Yk__ChangeStepKind step)
{
	return (unsigned)step < sizeof(steps) / sizeof(steps[0]) ? steps[step].roles : 0;
}

Yk__ChangeStepKind yk_change_step_parse(const char *name)
{
	for (unsigned i = 0; name && i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i].name && !strcmp(steps[i].name, name))
			return (Yk__ChangeStepKind)i;
	return YK__CHANGE_STEP_KIND__STEP_UNSPECIFIED;
}

unsigned yk_role_bit(const char *role)
{
	static const char *const names[] = { "admin", "coordinator", "department", "evaluator", "approver", "viewer" };
	for (unsigned i = 0; role && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(role, names[i]))
			return 1u << i;
	return 0;
}
