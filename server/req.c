#include "req.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "sqlerr.h"

static const char *code_name(Yk__Code c)
{
	const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(&yk__code__descriptor, c);
	return v ? v->name : "?";
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

void req_finish(req_t *r)
{
	conn_t *c = r->conn;
	if (r->viol.n && !r->resp.n_violations) {
		Yk__FieldViolation **vs = arena_alloc(r->arena, r->viol.n * sizeof(*vs));
		for (size_t i = 0; vs && i < r->viol.n; i++) {
			vs[i] = arena_alloc(r->arena, sizeof(**vs));
			if (!vs[i]) {
				vs = NULL;
				break;
			}
			yk__field_violation__init(vs[i]);
			vs[i]->path = (char *)r->viol.items[i].path;
			vs[i]->problem = (char *)r->viol.items[i].problem;
		}
		if (vs) {
			r->resp.violations = vs;
			r->resp.n_violations = r->viol.n;
		}
	}
	double ms = (double)(uv_hrtime() - r->started_ns) / 1e6;
	log_at(r->resp.status == YK__CODE__OK ? LOG_DEBUG : (r->resp.status == YK__CODE__INTERNAL ? LOG_ERROR : LOG_INFO),
	       "event=request conn=%llu req=%llu op=%s user=%s status=%s ms=%.2f violations=%zu",
	       (unsigned long long)c->id, (unsigned long long)r->resp.id, r->op, r->who.login ? r->who.login : "-",
	       code_name(r->resp.status), ms, r->resp.n_violations);
	conn_send(c, &r->resp);
	arena_free(r->arena);
	conn_request_done(c);
}

void req_fail(req_t *r, Yk__Code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	r->resp.status = code;
	r->resp.message = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	r->resp.body_case = YK__RESPONSE__BODY__NOT_SET;
	req_finish(r);
}

void req_fail_violations(req_t *r, const char *summary)
{
	if (r->viol.oom)
		req_fail(r, YK__CODE__RESOURCE_EXHAUSTED, "the request is too large to check");
	else
		req_fail(r, YK__CODE__INVALID_ARGUMENT, "%s (%zu problem%s)", summary, r->viol.n, r->viol.n == 1 ? "" : "s");
}

void req_db(req_t *r, sql_id_t stmt, db_job_cb cb, int nparams, ...)
{
	db_job_t *j = &r->job;
	memset(j, 0, sizeof(*j));
	j->stmt = stmt;
	j->cb = cb;
	j->data = r;
	j->nparams = nparams;
	va_list ap;
	va_start(ap, nparams);
	for (int i = 0; i < nparams && i < DB_MAX_PARAMS; i++)
		j->params[i] = va_arg(ap, const char *);
	va_end(ap);
	db_pool_submit(r->srv->db, j);
}

bool req_db_ok(req_t *r, db_outcome_t outcome, const PGresult *res)
{
	switch (outcome) {
	case DB_DONE:
		break;
	case DB_BUSY:
		req_fail(r, YK__CODE__RESOURCE_EXHAUSTED, "the server is overloaded; try again shortly");
		return false;
	case DB_UNAVAILABLE:
		req_fail(r, YK__CODE__UNAVAILABLE, "the database is not reachable; try again");
		return false;
	case DB_LOST:
		req_fail(r, YK__CODE__UNAVAILABLE,
			 "the database connection broke while the request ran; it may or may not have been applied");
		return false;
	}
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return true;
	sqlerr_t e = sqlerr_map(r->arena, res, &r->viol);
	req_fail(r, e.code, "%s", e.message);
	return false;
}

unsigned role_bit(const char *role)
{
	static const char *const names[] = { "admin", "coordinator", "department", "evaluator", "approver", "viewer" };
	for (unsigned i = 0; i < 6; i++)
		if (role && strcmp(role, names[i]) == 0)
			return 1u << i;
	return 0;
}
