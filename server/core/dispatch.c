#include "dispatch.h"

#include <sodium.h>
#include <string.h>

#include "doc_io.h"
#include "handlers.h"
#include "log.h"
#include "req.h"

/* Each operation's handler; what it is (name, login, write, roles) is in
 * common/ops.c, shared with the CLI.  Department accounts are further held
 * to their own department in the handlers and in the SQL itself;
 * evaluators to section 6. */
static const op_t ops[] = {
	[YK__REQUEST__BODY_HELLO] = { .fn = h_hello },
	[YK__REQUEST__BODY_LOGIN] = { .fn = h_login },
	[YK__REQUEST__BODY_SERVER_STATUS] = { .fn = h_server_status },
	[YK__REQUEST__BODY_LOGOUT] = { .fn = h_logout },
	[YK__REQUEST__BODY_WHOAMI] = { .fn = h_whoami },
	[YK__REQUEST__BODY_DEPARTMENT_ADD] = { .fn = h_department_add, .reply = reply_department_add },
	[YK__REQUEST__BODY_DEPARTMENT_LIST] = { .fn = h_department_list },
	[YK__REQUEST__BODY_USER_ADD] = { .fn = h_user_add, .reply = reply_user_add },
	[YK__REQUEST__BODY_USER_LIST] = { .fn = h_user_list },
	[YK__REQUEST__BODY_USER_CHANGE] = { .fn = h_user_change, .reply = reply_user_change },
	[YK__REQUEST__BODY_SESSION_LIST] = { .fn = h_session_list },
	[YK__REQUEST__BODY_PLEDGE_APPLY] = { .fn = h_pledge_apply, .reply = reply_pledge_write },
	[YK__REQUEST__BODY_PLEDGE_GET] = { .fn = h_pledge_get, .session_in_query = true },
	[YK__REQUEST__BODY_PLEDGE_LIST] = { .fn = h_pledge_list },
	[YK__REQUEST__BODY_PLEDGE_UPDATE] = { .fn = h_pledge_update, .reply = reply_pledge_write,
					      .one_statement = h_pledge_update_one_statement },
	[YK__REQUEST__BODY_PLEDGE_HISTORY] = { .fn = h_history },
	[YK__REQUEST__BODY_PLEDGE_EXPORT] = { .fn = h_pledge_export },
	[YK__REQUEST__BODY_STATS] = { .fn = h_stats },
	[YK__REQUEST__BODY_ROUND_OPEN] = { .fn = h_round_open, .reply = reply_round },
	[YK__REQUEST__BODY_ROUND_CLOSE] = { .fn = h_round_close, .reply = reply_round },
	[YK__REQUEST__BODY_ROUND_STATUS] = { .fn = h_round_status },
	[YK__REQUEST__BODY_ROUND_LIST] = { .fn = h_round_list },
	[YK__REQUEST__BODY_SUBMIT] = { .fn = h_submit, .reply = reply_submission },
	[YK__REQUEST__BODY_REVIEW] = { .fn = h_review, .reply = reply_submission },
	[YK__REQUEST__BODY_TARGET_JUDGE] = { .fn = h_target_judge, .reply = reply_target_judgement },
	[YK__REQUEST__BODY_CHANGE_PROPOSE] = { .fn = h_change_propose, .reply = reply_change },
	[YK__REQUEST__BODY_CHANGE_STEP] = { .fn = h_change_step, .reply = reply_change },
	[YK__REQUEST__BODY_CHANGE_LIST] = { .fn = h_change_list },
	[YK__REQUEST__BODY_CHANGE_GET] = { .fn = h_change_get },
	[YK__REQUEST__BODY_AUDIT_VERIFY] = { .fn = h_audit_verify },
};

/* The handler of a body this build knows, with what the operation is. */
static const op_t *find_op(Yk__Request__BodyCase body, const yk_op_t **info)
{
	*info = yk_op_find(body);
	if (!*info || (unsigned)body >= sizeof(ops) / sizeof(ops[0]) || !ops[body].fn)
		return NULL;
	/* a write answers from its stored result */
	return !(*info)->writes || ops[body].reply ? &ops[body] : NULL;
}

/* The body of the request as its own message. */
static const ProtobufCMessage *body_of(const Yk__Request *m)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(&yk__request__descriptor, (unsigned)m->body_case);
	return f ? *(ProtobufCMessage *const *)((const char *)m + f->offset) : NULL;
}

/* The pledge a write is about, for the audit trail. */
static const char *code_of(const Yk__Request *m)
{
	switch (m->body_case) {
	case YK__REQUEST__BODY_PLEDGE_APPLY: return m->pledge_apply->pledge ? m->pledge_apply->pledge->code : NULL;
	case YK__REQUEST__BODY_PLEDGE_UPDATE: return m->pledge_update->code;
	case YK__REQUEST__BODY_SUBMIT: return m->submit->code;
	case YK__REQUEST__BODY_REVIEW: return m->review->code;
	case YK__REQUEST__BODY_TARGET_JUDGE: return m->target_judge->code;
	case YK__REQUEST__BODY_CHANGE_PROPOSE: return m->change_propose->code;
	default: return NULL;
	}
}

static void on_idem(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	if (PQntuples(res) == 0) {
		r->opd->fn(r);
		return;
	}
	if (strcmp(PQgetvalue(res, 0, IDEM_COL_REQUEST_HASH), r->idem_hash) || strcmp(PQgetvalue(res, 0, IDEM_COL_OP), r->op)) {
		req_fail(r, YK__REASON__REASON_IDEMPOTENCY_KEY_REUSED, "idempotency key %s was already used for a different request",
			 r->msg->idempotency_key);
		return;
	}
	/* The first answer, again: nothing is applied twice. */
	const char *err = NULL;
	doc_node_t *result = PQgetisnull(res, 0, IDEM_COL_RESULT) ? NULL
						    : doc_parse_json(r->arena, PQgetvalue(res, 0, IDEM_COL_RESULT),
								     (size_t)PQgetlength(res, 0, IDEM_COL_RESULT), &err);
	if (!result || r->opd->reply(r, result, true)) {
		req_fail(r, YK__REASON__REASON_INTERNAL_ERROR, "the stored answer for this idempotency key cannot be read");
		return;
	}
	log_info("event=replay conn=%llu req=%llu op=%s user=%s key=%s", (unsigned long long)r->conn->id,
		 (unsigned long long)r->resp.id, r->op, r->who.login, r->msg->idempotency_key);
	req_finish(r);
}

static bool key_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	if (n < 8 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if (k[i] <= ' ' || k[i] > '~')
			return false;
	return true;
}

static void run_op(req_t *r)
{
	const op_t *op = r->opd;
	const yk_op_t *info = r->info;
	if (!(info->roles & r->who.role_bit)) {
		const char *us = strchr(info->name, '_');
		req_fail(r, YK__REASON__REASON_FORBIDDEN, "your role (%s) may not %s", r->who.role ? r->who.role : "none",
			 us ? arena_printf(r->arena, "%.*s %s", (int)(us - info->name), info->name, us + 1) : info->name);
		return;
	}
	if (!info->writes) {
		op->fn(r);
		return;
	}
	if (!key_ok(r->msg->idempotency_key)) {
		req_fail(r, YK__REASON__REASON_INVALID,
			 "a write needs an idempotency_key of 8 to 128 printable characters (the CLI makes one)");
		return;
	}
	const ProtobufCMessage *body = body_of(r->msg);
	size_t n = body ? protobuf_c_message_get_packed_size(body) : 0;
	uint8_t *packed = arena_alloc(r->arena, n ? n : 1);
	if (!packed) {
		req_fail_oom(r);
		return;
	}
	if (body)
		protobuf_c_message_pack(body, packed);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, packed, n);
	sodium_bin2hex(r->idem_hash, sizeof(r->idem_hash), h, sizeof(h));
	if (op->one_statement && op->one_statement(r->msg))
		op->fn(r);
	else
		req_db(r, SQL_IDEM_LOOKUP, on_idem, 2, r->who.account_id, r->msg->idempotency_key);
}

void dispatch_frame(conn_t *c, const uint8_t *payload, uint32_t len)
{
	arena_t *a = arena_new(req_arena_cap(c->srv));
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
	if (!r->msg && arena_capped(a)) {
		/* room for the answer itself */
		arena_set_cap(a, arena_used(a) + 64 * 1024);
		c->close_after_write = true;
		req_fail(r, YK__REASON__REASON_TOO_LARGE, "the request unpacks to more memory than one request may use "
							  "(too many repeated items)");
		return;
	}
	if (!r->msg) {
		c->close_after_write = true;
		req_fail(r, YK__REASON__REASON_MALFORMED, "malformed request: the frame is not a yk.Request message");
		return;
	}
	r->resp.id = r->msg->id;
	/* protobuf-c cuts a string at an embedded NUL and keeps the last of
	 * repeated singular fields; packing again shows either. */
	if (yk__request__get_packed_size(r->msg) != len) {
		req_fail(r, YK__REASON__REASON_MALFORMED,
			 "malformed request: a string holds a NUL byte or a field is repeated");
		return;
	}
	const yk_op_t *info = NULL;
	const op_t *op = find_op(r->msg->body_case, &info);
	if (!op) {
		req_fail(r, YK__REASON__REASON_MALFORMED, "the request has no body this server knows");
		return;
	}
	r->op = info->name;
	r->opd = op;
	r->info = info;
	/* into the audit trail even when it is not text (the audit row must be) */
	r->code = text_printable(a, code_of(r->msg));
	/* Hello first; a load balancer's health check (ServerStatus) may come
	 * alone on a fresh connection */
	if (!c->hello && r->msg->body_case != YK__REQUEST__BODY_HELLO &&
	    r->msg->body_case != YK__REQUEST__BODY_SERVER_STATUS) {
		req_fail(r, YK__REASON__REASON_HELLO_REQUIRED, "send Hello first");
		return;
	}
	if (c->srv->draining) {
		req_fail(r, YK__REASON__REASON_SHUTTING_DOWN, "the server is shutting down");
		return;
	}
	if (!info->needs_auth) {
		op->fn(r);
		return;
	}
	if (!r->msg->token || !*r->msg->token) {
		req_fail(r, YK__REASON__REASON_NOT_LOGGED_IN, "not logged in: run yaksok login");
		return;
	}
	char *hash = arena_alloc(a, AUTH_BYTEA_HEX);
	if (hash && c->token_hash[0] && strcmp(c->token, r->msg->token) == 0) {
		memcpy(hash, c->token_hash, AUTH_BYTEA_HEX);
	} else if (!hash || auth_token_hash(r->msg->token, hash)) {
		req_fail(r, YK__REASON__REASON_BAD_TOKEN, "the token is malformed: log in again (yaksok login)");
		return;
	} else {
		/* auth_token_hash took it, so it fits */
		memcpy(c->token, r->msg->token, AUTH_TOKEN_HEX);
		memcpy(c->token_hash, hash, AUTH_BYTEA_HEX);
	}
	r->session_hash = hash;
	/* A read that can confirm the session in its own query skips the
	 * separate check when the token is known here. */
	if ((op->session_in_query || (op->one_statement && op->one_statement(r->msg))) &&
	    session_recall(&c->srv->sessions, hash, a, &r->who)) {
		r->session_unchecked = true;
		run_op(r);
		return;
	}
	session_check(r, run_op);
}
