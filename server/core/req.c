#include "req.h"

#include <stdio.h>
#include <string.h>

#include "dispatch.h"
#include "doc_io.h"
#include "docmap.h"
#include "gcommit.h"
#include "log.h"
#include "reason.h"
#include "sqlerr.h"
#include "text.h"

static const char *code_name(Yk__Code c)
{
	const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(&yk__code__descriptor, c);
	return v ? v->name : "?";
}

size_t req_arena_cap(const srv_t *s)
{
	return (size_t)s->cfg->max_frame * 16 + (1u << 20);
}

req_t *req_new(conn_t *c, arena_t *a)
{
	req_t *r = arena_calloc(a, sizeof(*r));
	if (!r)
		return NULL;
	r->srv = c->srv;
	r->conn = c;
	r->arena = a;
	r->op = "unknown";
	r->started_ns = uv_hrtime();
	yk__response__init(&r->resp);
	r->resp.has_status = 1;
	r->resp.status = YK__CODE__OK;
	viol_init(&r->viol, a);
	return r;
}

static bool worth_auditing(Yk__Code code)
{
	/* A refusal, not a failure of ours or the database's. */
	return code != YK__CODE__OK && code != YK__CODE__UNAVAILABLE && code != YK__CODE__RESOURCE_EXHAUSTED &&
	       code != YK__CODE__INTERNAL;
}

typedef struct {
	gc_wait_t gc;
	req_t *r;
} grouped_t;

/* r's element `json` into the next group, under the pledge `key`; cb gets
 * the grouped_t.  false when memory ran out (nothing was queued). */
static bool group_enqueue(req_t *r, const char *key, const char *json, gc_cb cb)
{
	grouped_t *g = json ? arena_calloc(r->arena, sizeof(*g)) : NULL;
	if (!g)
		return false;
	g->r = r;
	g->gc.key = key;
	g->gc.json = json;
	g->gc.cb = cb;
	gcommit_add(&r->srv->progress, &g->gc);
	return true;
}

static void on_refusal_recorded(gc_wait_t *w, db_outcome_t outcome, const PGresult *res, const doc_node_t *answer)
{
	req_t *r = ((grouped_t *)w)->r;
	const doc_node_t *err = answer ? doc_get(answer, "error") : NULL;
	if (!answer || err)
		log_error("event=audit_failed conn=%llu req=%llu op=%s msg=\"a refused write could not be recorded\" error=\"%s\"",
			  (unsigned long long)r->conn->id, (unsigned long long)r->resp.id, r->op,
			  err && doc_text(err, "message") ? doc_text(err, "message")
			  : outcome == DB_DONE && res ? PQresultErrorMessage(res) : "database unavailable");
	req_finish(r);
}

/* A refused write's audit row goes with a group's (gcommit.c): appended
 * under the chain's lock with the group's other rows, rather than by a
 * statement of its own that would hold a pool connection while it waits
 * for that lock.  false when it could not be queued (out of memory). */
static bool record_refusal(req_t *r)
{
	arena_t *a = r->arena;
	const char *message = text_printable(a, r->resp.message ? r->resp.message : "");
	const char *status = code_name(r->resp.status);
	doc_node_t *q = doc_new(a, DOC_MAP);
	if (!q || !message || doc_set(a, q, "kind", doc_str(a, "refusal", 7)) ||
	    doc_set(a, q, "ctx", req_ctx_tree(r)) ||
	    (r->code && doc_set(a, q, "code", doc_str(a, r->code, strlen(r->code)))) ||
	    doc_set(a, q, "status", doc_str(a, status, strlen(status))) ||
	    doc_set(a, q, "message", doc_str(a, message, strlen(message))))
		return false;
	return group_enqueue(r, r->code ? r->code : "", doc_json_text(a, q), on_refusal_recorded);
}

void req_finish(req_t *r)
{
	conn_t *c = r->conn;
	if (r->lock_key) {
		const char *key = r->lock_key;
		r->lock_key = NULL;
		keylock_release(&r->srv->locks, key);
	}
	/* with a replica to read from, a write's answer carries its commit LSN */
	if (lsn_wanted(&r->srv->lsn, r)) {
		lsn_stamp(&r->srv->lsn, r);
		return;
	}
	/* every answer (and audit row) is valid UTF-8, whatever a client sent
	 * that it quotes */
	if (r->resp.message)
		r->resp.message = (char *)text_printable(r->arena, r->resp.message);
	/* Every refused write attempt goes into the audit trail before the
	 * client hears about it. */
	if (r->info && r->info->writes && !r->audited && worth_auditing(r->resp.status)) {
		r->audited = true;
		if (record_refusal(r))
			return;
		log_error("event=audit_failed conn=%llu req=%llu op=%s msg=\"a refused write could not be recorded\" "
			  "error=\"out of memory\"", (unsigned long long)r->conn->id, (unsigned long long)r->resp.id, r->op);
	}
	if (r->viol.n && !r->resp.n_violations) {
		Yk__FieldViolation **vs = arena_alloc(r->arena, r->viol.n * sizeof(*vs));
		for (size_t i = 0; vs && i < r->viol.n; i++) {
			vs[i] = arena_alloc(r->arena, sizeof(**vs));
			if (!vs[i]) {
				vs = NULL;
				break;
			}
			yk__field_violation__init(vs[i]);
			vs[i]->path = (char *)text_printable(r->arena, r->viol.items[i].path);
			vs[i]->problem = (char *)text_printable(r->arena, r->viol.items[i].problem);
		}
		if (vs) {
			r->resp.violations = vs;
			r->resp.n_violations = r->viol.n;
		}
	}
	double ms = (double)(uv_hrtime() - r->started_ns) / 1e6;
	metrics_request(&r->srv->metrics, r->info, (int)r->resp.status, ms / 1000.0);
	log_at(r->resp.status == YK__CODE__OK ? LOG_DEBUG : (r->resp.status == YK__CODE__INTERNAL ? LOG_ERROR : LOG_INFO),
	       "event=request conn=%llu req=%llu op=%s user=%s status=%s reason=%s ms=%.2f violations=%zu",
	       (unsigned long long)c->id, (unsigned long long)r->resp.id, r->op, r->who.login ? r->who.login : "-",
	       code_name(r->resp.status), r->resp.has_reason ? yk_reason_name(r->resp.reason) : "-", ms,
	       r->resp.n_violations);
	if (r->packed_body && r->resp.status == YK__CODE__OK)
		conn_send_with(c, &r->resp, r->packed_field, r->packed_body, r->packed_len);
	else
		conn_send(c, &r->resp);
	arena_free(r->arena);
	conn_request_done(c);
}

void req_fail(req_t *r, Yk__Reason reason, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	r->resp.status = yk_reason_code(reason);
	r->resp.has_reason = 1;
	r->resp.reason = reason;
	r->resp.message = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	r->resp.body_case = YK__RESPONSE__BODY__NOT_SET;
	req_finish(r);
}

void req_fail_violations(req_t *r, const char *summary)
{
	if (r->viol.oom)
		req_fail(r, YK__REASON__REASON_TOO_LARGE, "the request is too large to check");
	else
		req_fail(r, YK__REASON__REASON_INVALID, "%s (%zu problem%s)", summary, r->viol.n, r->viol.n == 1 ? "" : "s");
}

static void submit(req_t *r, sql_id_t stmt, db_job_cb cb, int nparams, va_list ap)
{
	db_job_t *j = &r->job;
	if (nparams > DB_MAX_PARAMS || nparams != sql_stmts[stmt].nparams) {
		log_error("event=bug op=%s stmt=%s nparams=%d", r->op, sql_stmts[stmt].name, nparams);
		req_fail(r, YK__REASON__REASON_INTERNAL_ERROR, "internal error: wrong parameters for %s", sql_stmts[stmt].name);
		return;
	}
	memset(j, 0, sizeof(*j));
	j->stmt = stmt;
	j->cb = cb;
	j->data = r;
	j->nparams = nparams;
	for (int i = 0; i < nparams; i++)
		j->params[i] = va_arg(ap, const char *);
	/* a read's statements are short: they do not wait behind writes; those
	 * that only read may be served by a replica that has replayed what the
	 * client (and this daemon) was told is written */
	if (r->info && !r->info->writes && sql_stmts[stmt].replica && r->srv->route)
		db_route_read(r->srv->route, j, r->msg && r->msg->has_min_lsn ? r->msg->min_lsn : 0);
	else if (r->info && !r->info->writes)
		db_pool_submit_urgent(r->srv->db, j);
	else
		db_pool_submit(r->srv->db, j);
}

void req_db(req_t *r, sql_id_t stmt, db_job_cb cb, int nparams, ...)
{
	va_list ap;
	va_start(ap, nparams);
	submit(r, stmt, cb, nparams, ap);
	va_end(ap);
}

bool req_db_ok(req_t *r, db_outcome_t outcome, const PGresult *res)
{
	switch (outcome) {
	case DB_DONE:
		break;
	case DB_BUSY:
		req_fail(r, YK__REASON__REASON_OVERLOADED, "the server is overloaded; try again shortly");
		return false;
	case DB_UNAVAILABLE:
		req_fail(r, YK__REASON__REASON_DATABASE_UNAVAILABLE, "the database is not reachable; try again");
		return false;
	case DB_LOST:
		if (r->info && r->info->writes)
			req_fail(r, YK__REASON__REASON_OUTCOME_UNKNOWN,
				 "outcome unknown: the database connection broke after the write was sent; retry with the same "
				 "idempotency key to learn whether it was applied");
		else
			req_fail(r, YK__REASON__REASON_DATABASE_UNAVAILABLE, "the database connection broke while the request ran; try again");
		return false;
	}
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return true;
	req_fail_sql(r, sqlerr_map(r->arena, res, &r->viol));
	return false;
}

void req_fail_sql(req_t *r, sqlerr_t e)
{
	/* a session the cache vouched for is gone: forget it here too */
	if (yk_reason_code(e.reason) == YK__CODE__UNAUTHENTICATED && r->session_hash)
		session_forget(&r->srv->sessions, r->session_hash);
	req_fail(r, e.reason, "%s", e.message);
}

void req_fail_oom(req_t *r)
{
	req_fail(r, YK__REASON__REASON_OUT_OF_MEMORY, "out of memory%s",
		 arena_capped(r->arena) ? " for this request: it is too large" : "");
}

/* A stored document that cannot be read back is the database's fault or
 * ours, never the client's: logged, answered INTERNAL. */
static void stored_unreadable(req_t *r, const char *what, const char *err, const viol_list_t *v)
{
	if (arena_capped(r->arena) || (v && v->oom)) {
		req_fail_oom(r);
		return;
	}
	log_error("event=stored_unreadable op=%s what=\"%s\" error=\"%s\" path=%s problem=\"%s\"", r->op, what,
		  err ? err : "", v && v->n ? v->items[0].path : "", v && v->n ? v->items[0].problem : "");
	req_fail(r, YK__REASON__REASON_INTERNAL_ERROR, "%s could not be read back", what);
}

doc_node_t *req_stored_doc(req_t *r, const char *json, size_t len, const char *what)
{
	const char *err = NULL;
	doc_node_t *doc = json ? doc_parse_json(r->arena, json, len, &err) : NULL;
	if (!doc)
		stored_unreadable(r, what, err, NULL);
	return doc;
}

ProtobufCMessage *req_stored_msg(req_t *r, const doc_node_t *doc, const ProtobufCMessageDescriptor *d,
				 const char *what)
{
	viol_list_t v;
	viol_init(&v, r->arena);
	ProtobufCMessage *m = docmap_from_tree(r->arena, doc, d, "", DOCMAP_STORED, &v);
	if (m && !v.n && !v.oom)
		return m;
	stored_unreadable(r, what, NULL, &v);
	return NULL;
}

ProtobufCMessage *req_stored(req_t *r, const char *json, size_t len, const ProtobufCMessageDescriptor *d,
			     const char *what, doc_node_t **tree)
{
	doc_node_t *doc = req_stored_doc(r, json, len, what);
	ProtobufCMessage *m = doc ? req_stored_msg(r, doc, d, what) : NULL;
	if (!m || !tree)
		return m;
	if (!(*tree = docmap_to_tree(r->arena, m))) {
		req_fail_oom(r);
		return NULL;
	}
	return m;
}

char *req_col(req_t *r, const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : arena_strdup(r->arena, PQgetvalue(res, row, col));
}

const char *req_ctx(req_t *r)
{
	doc_node_t *m = req_ctx_tree(r);
	return m ? doc_json_text(r->arena, m) : NULL;
}

static const char *request_reason(const req_t *r)
{
	const char *reason = NULL;
	if (r->msg && r->msg->body_case == YK__REQUEST__BODY_PLEDGE_APPLY)
		reason = r->msg->pledge_apply->reason;
	else if (r->msg && r->msg->body_case == YK__REQUEST__BODY_PLEDGE_UPDATE)
		reason = r->msg->pledge_update->reason;
	return reason && *reason && !text_check_field(reason, 4000) ? reason : NULL;
}

doc_node_t *req_ctx_tree(req_t *r)
{
	arena_t *a = r->arena;
	doc_node_t *m = doc_new(a, DOC_MAP);
	if (!m)
		return NULL;
	char rid[48];
	snprintf(rid, sizeof(rid), "%llu:%llu", (unsigned long long)r->conn->id, (unsigned long long)r->resp.id);
	struct {
		const char *key, *val;
		bool num;
	} f[] = {
		{ "account_id", r->who.account_id, true },
		{ "login", r->who.login, false },
		{ "peer", r->conn->peer, false },
		{ "request_id", rid, false },
		{ "idem_key", r->msg && r->msg->idempotency_key && *r->msg->idempotency_key ? r->msg->idempotency_key : NULL, false },
		{ "idem_hash", r->idem_hash[0] ? r->idem_hash : NULL, false },
		{ "op", r->op, false },
		/* a correction of a closed round's record: section 5 records it */
		{ "reason", request_reason(r), false },
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!f[i].val)
			continue;
		doc_node_t *v = f[i].num ? doc_num(a, f[i].val) : doc_str(a, f[i].val, strlen(f[i].val));
		if (doc_set(a, m, f[i].key, v))
			return NULL;
	}
	return m;
}

void req_write_done(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	const char *err = NULL;
	req_write_result(r, PQntuples(res) == 1 && !PQgetisnull(res, 0, SQL_COL_ONE)
				    ? doc_parse_json(r->arena, PQgetvalue(res, 0, SQL_COL_ONE), (size_t)PQgetlength(res, 0, SQL_COL_ONE), &err)
				    : NULL);
}

void req_write_result(req_t *r, const doc_node_t *result)
{
	if (!result) {
		req_fail(r, YK__REASON__REASON_INTERNAL_ERROR, "the database gave no result for the write");
		return;
	}
	const doc_node_t *rep = doc_get(result, "replayed");
	bool replayed = rep && rep->type == DOC_BOOL && rep->b;
	if (r->opd->reply(r, result, replayed)) {
		req_fail_oom(r);
		return;
	}
	req_finish(r);
}

void req_write(req_t *r, sql_id_t stmt, int nparams, ...)
{
	va_list ap;
	va_start(ap, nparams);
	submit(r, stmt, req_write_done, nparams, ap);
	va_end(ap);
}

/* A group's answer was an error for this request ({state, message,
 * constraint, column, datatype}): fail with the refusal it maps to. */
static void fail_from_answer(req_t *r, const doc_node_t *err)
{
	const char *f[5] = { "state", "message", "constraint", "column", "datatype" };
	const char *v[5];
	for (int i = 0; i < 5; i++) {
		const char *t = doc_text(err, f[i]);
		v[i] = arena_strdup(r->arena, t ? t : "");
	}
	req_fail_sql(r, sqlerr_map_fields(r->arena, v[0], v[1], v[2], v[3], v[4], &r->viol));
}

void req_group_done(req_t *r, db_outcome_t outcome, const PGresult *res, const doc_node_t *answer)
{
	if (!answer) {
		if (req_db_ok(r, outcome, res))
			req_fail(r, YK__REASON__REASON_INTERNAL_ERROR, "the database gave no answer for the write");
		return;
	}
	const doc_node_t *err = doc_get(answer, "error");
	if (err)
		fail_from_answer(r, err);
	else
		req_write_result(r, doc_get(answer, "result"));
}

static void on_grouped(gc_wait_t *w, db_outcome_t outcome, const PGresult *res, const doc_node_t *answer)
{
	req_group_done(((grouped_t *)w)->r, outcome, res, answer);
}

void req_write_grouped(req_t *r, const char *key, const char *element)
{
	if (!group_enqueue(r, key, element, on_grouped))
		req_fail_oom(r);
}
