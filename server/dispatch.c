#include "dispatch.h"

#include <string.h>

#include "handlers.h"
#include "log.h"
#include "req.h"

typedef struct {
	Yk__Request__BodyCase body;
	const char *name;
	bool needs_auth;
	unsigned roles;
	void (*fn)(req_t *r);
} op_t;

/* Who may do what.  Department accounts are further limited to their own
 * department inside the handlers and in the SQL itself. */
static const op_t ops[] = {
	{ YK__REQUEST__BODY_HELLO, "hello", false, ROLE_ANY, h_hello },
	{ YK__REQUEST__BODY_LOGIN, "login", false, ROLE_ANY, h_login },
	{ YK__REQUEST__BODY_SERVER_STATUS, "status", false, ROLE_ANY, h_server_status },
	{ YK__REQUEST__BODY_LOGOUT, "logout", true, ROLE_ANY, h_logout },
	{ YK__REQUEST__BODY_WHOAMI, "whoami", true, ROLE_ANY, h_whoami },
	{ YK__REQUEST__BODY_DEPARTMENT_ADD, "department_add", true, ROLE_ADMIN, h_department_add },
	{ YK__REQUEST__BODY_DEPARTMENT_LIST, "department_list", true, ROLE_ANY, h_department_list },
	{ YK__REQUEST__BODY_USER_ADD, "user_add", true, ROLE_ADMIN, h_user_add },
	{ YK__REQUEST__BODY_USER_LIST, "user_list", true, ROLE_ADMIN, h_user_list },
	{ YK__REQUEST__BODY_PLEDGE_APPLY, "pledge_apply", true, ROLE_ADMIN | ROLE_COORDINATOR | ROLE_DEPARTMENT, h_pledge_apply },
	{ YK__REQUEST__BODY_PLEDGE_GET, "pledge_get", true, ROLE_ANY, h_pledge_get },
	{ YK__REQUEST__BODY_PLEDGE_LIST, "pledge_list", true, ROLE_ANY, h_pledge_list },
};

static const op_t *find_op(Yk__Request__BodyCase body)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].body == body)
			return &ops[i];
	return NULL;
}

static char *col(req_t *r, const PGresult *res, int row, int c)
{
	return PQgetisnull(res, row, c) ? NULL : arena_strdup(r->arena, PQgetvalue(res, row, c));
}

static void run_op(req_t *r, const op_t *op)
{
	if (!(op->roles & r->who.role_bit)) {
		req_fail(r, YK__CODE__PERMISSION_DENIED, "your role (%s) may not %s", r->who.role,
			 strchr(op->name, '_') ? arena_printf(r->arena, "%.*s %s", (int)(strchr(op->name, '_') - op->name),
								     op->name, strchr(op->name, '_') + 1)
					       : op->name);
		return;
	}
	op->fn(r);
}

static void on_session(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	if (PQntuples(res) != 1) {
		req_fail(r, YK__CODE__UNAUTHENTICATED, "your session has expired or is unknown: log in again (yaksok login)");
		return;
	}
	r->who.account_id = col(r, res, 0, 0);
	r->who.login = col(r, res, 0, 1);
	r->who.role = col(r, res, 0, 2);
	r->who.department_id = col(r, res, 0, 3);
	r->who.department = col(r, res, 0, 4);
	r->who.role_bit = role_bit(r->who.role);
	run_op(r, r->state);
}

void dispatch_frame(conn_t *c, const uint8_t *payload, uint32_t len)
{
	/* A request's memory is bounded: the message, its document tree and the
	 * response together may use a few times the largest frame. */
	arena_t *a = arena_new((size_t)c->srv->cfg->max_frame * 16 + (1u << 20));
	req_t *r = a ? req_new(c, a) : NULL;
	if (!r) {
		arena_free(a);
		conn_request_done(c);
		conn_close(c, "out of memory for a request");
		return;
	}
	r->resp.has_id = 1;
	ProtobufCAllocator al = arena_pb_allocator(a);
	r->msg = yk__request__unpack(&al, len, payload);
	if (!r->msg) {
		c->close_after_write = true;
		req_fail(r, YK__CODE__INVALID_ARGUMENT, "malformed request: the frame is not a yk.Request message");
		return;
	}
	r->resp.id = r->msg->id;
	/* protobuf-c cuts a string at an embedded NUL and keeps the last of
	 * repeated singular fields; packing again shows either. */
	if (yk__request__get_packed_size(r->msg) != len) {
		req_fail(r, YK__CODE__INVALID_ARGUMENT,
			 "malformed request: a string holds a NUL byte or a field is repeated");
		return;
	}
	const op_t *op = find_op(r->msg->body_case);
	if (!op) {
		req_fail(r, YK__CODE__INVALID_ARGUMENT, "the request has no body this server knows");
		return;
	}
	r->op = op->name;
	if (!c->hello && op->body != YK__REQUEST__BODY_HELLO) {
		req_fail(r, YK__CODE__FAILED_PRECONDITION, "send Hello first");
		return;
	}
	if (c->srv->draining) {
		req_fail(r, YK__CODE__UNAVAILABLE, "the server is shutting down");
		return;
	}
	if (!op->needs_auth) {
		op->fn(r);
		return;
	}
	if (!r->msg->token || !*r->msg->token) {
		req_fail(r, YK__CODE__UNAUTHENTICATED, "not logged in: run yaksok login");
		return;
	}
	char *hash = arena_alloc(a, AUTH_BYTEA_HEX);
	if (!hash || auth_token_hash(r->msg->token, hash)) {
		req_fail(r, YK__CODE__UNAUTHENTICATED, "the token is malformed: log in again (yaksok login)");
		return;
	}
	r->state = (void *)op;
	req_db(r, SQL_SESSION_CHECK, on_session, 1, hash);
}
