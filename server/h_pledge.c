/* Pledge documents: apply, get (now, at a moment, or a round's snapshot), list. */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "derived.h"
#include "doc_io.h"
#include "docmap.h"
#include "handlers.h"
#include "period.h"
#include "pledge_check.h"
#include "text.h"

static bool rfc3339(const char *s)
{
	regex_t rx;
	if (regcomp(&rx, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})$",
		    REG_EXTENDED | REG_NOSUB))
		return false;
	bool ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

int reply_pledge_write(req_t *r, const doc_node_t *result, bool replayed)
{
	Yk__PledgeApplyReply *rep = arena_alloc(r->arena, sizeof(*rep));
	if (!rep)
		return -1;
	yk__pledge_apply_reply__init(rep);
	rep->code = result_str(r, result, "code");
	rep->has_version = 1;
	rep->version = result_int(result, "version");
	rep->has_created = 1;
	rep->created = result_bool(result, "created");
	rep->has_replayed = 1;
	rep->replayed = replayed;
	if (r->msg->body_case == YK__REQUEST__BODY_PLEDGE_UPDATE) {
		r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_UPDATE;
		r->resp.pledge_update = rep;
	} else {
		r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_APPLY;
		r->resp.pledge_apply = rep;
	}
	return 0;
}

const char *pledge_prepare(req_t *r, doc_node_t *doc)
{
	pledge_normalize(r->arena, doc, "", &r->viol);
	pledge_check(r->arena, doc, &r->viol);
	if (r->viol.n || r->viol.oom) {
		req_fail_violations(r, "the document was refused");
		return NULL;
	}
	/* Read-only fields: version is the precondition, the rest is the
	 * server's to say. */
	static const char *const readonly[] = { "version", "updated_at", "updated_by", "derived" };
	for (size_t i = 0; i < 4; i++)
		doc_del(doc, readonly[i]);
	buf_t json = BUF_INIT;
	const char *text = doc_write_json(&json, doc, 0) ? NULL : arena_strndup(r->arena, json.data, json.len);
	buf_free(&json);
	if (!text)
		req_fail(r, YK__CODE__RESOURCE_EXHAUSTED, "out of memory");
	return text;
}

void h_pledge_apply(req_t *r)
{
	Yk__PledgeApply *in = r->msg->pledge_apply;
	if (!in->pledge) {
		req_fail(r, YK__CODE__INVALID_ARGUMENT, "the request carries no pledge");
		return;
	}
	if (in->force && !(r->who.role_bit & (ROLE_ADMIN | ROLE_COORDINATOR))) {
		req_fail(r, YK__CODE__PERMISSION_DENIED, "only admin and coordinator accounts may overwrite with --force");
		return;
	}
	if (docmap_has_unknown(&in->pledge->base)) {
		req_fail(r, YK__CODE__INVALID_ARGUMENT,
			 "the pledge holds fields this server does not know; nothing was stored (is the client newer?)");
		return;
	}
	doc_node_t *doc = docmap_to_tree(r->arena, &in->pledge->base);
	if (!doc) {
		req_fail(r, YK__CODE__RESOURCE_EXHAUSTED, "the document is too large");
		return;
	}
	const char *text = pledge_prepare(r, doc);
	if (!text)
		return;
	char *version = in->pledge->has_version ? arena_printf(r->arena, "%lld", (long long)in->pledge->version) : NULL;
	const char *writer_dept = (r->who.role_bit & ROLE_DEPARTMENT) ? r->who.department_id : NULL;
	req_write(r, SQL_PLEDGE_APPLY, 6, req_ctx(r), text, version, in->force ? "t" : "f", writer_dept, "f");
}

static void on_got(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__PledgeGet *in = r->msg->pledge_get;
	if (PQntuples(res) == 0) {
		if (in->round)
			req_fail(r, YK__CODE__NOT_FOUND, "pledge %s has no approved submission in round %s", in->code, in->round);
		else if (in->at)
			req_fail(r, YK__CODE__NOT_FOUND, "pledge %s did not exist at %s", in->code, in->at);
		else
			req_fail(r, YK__CODE__NOT_FOUND, "no pledge has the code %s", in->code);
		return;
	}
	const char *err = NULL;
	doc_node_t *doc = doc_parse_json(r->arena, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0), &err);
	if (doc && derived_add(r->arena, doc, day_today())) {
		req_fail(r, YK__CODE__RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	ProtobufCMessage *m = doc ? docmap_from_tree(r->arena, doc, &yk__pledge__descriptor, "", DOCMAP_NULL_FLAGS, &r->viol)
				  : NULL;
	if (!m || r->viol.n) {
		r->viol.n = 0;
		req_fail(r, YK__CODE__INTERNAL, "the stored pledge could not be read back%s%s", err ? ": " : "", err ? err : "");
		return;
	}
	r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_GET;
	r->resp.pledge_get = (Yk__Pledge *)m;
	req_finish(r);
}

void h_pledge_get(req_t *r)
{
	Yk__PledgeGet *in = r->msg->pledge_get;
	const char *why = check_text(in->code, 64);
	if (why)
		viol_add(&r->viol, "code", "%s", why);
	if (in->at && *in->at && !rfc3339(in->at))
		viol_add(&r->viol, "at", "\"%s\" is not a time like 2021-04-01T09:00:00+09:00", in->at);
	if (in->round && *in->round && in->at && *in->at)
		viol_add(&r->viol, "round", "give a round or a time, not both");
	if (r->viol.n) {
		req_fail_violations(r, "cannot get the pledge");
		return;
	}
	if (in->round && *in->round) {
		req_db(r, SQL_PLEDGE_GET_ROUND, on_got, 2, in->code, in->round);
		return;
	}
	in->round = NULL;
	if (in->at && *in->at) {
		req_db(r, SQL_PLEDGE_GET_AT, on_got, 2, in->code, in->at);
		return;
	}
	in->at = NULL;
	req_db(r, SQL_PLEDGE_GET, on_got, 1, in->code);
}

static void on_listed(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	int n = PQntuples(res);
	Yk__PledgeListReply *rep = arena_alloc(r->arena, sizeof(*rep));
	Yk__PledgeSummary **items = arena_alloc(r->arena, sizeof(*items) * (size_t)(n ? n : 1));
	if (!rep || !items) {
		req_fail(r, YK__CODE__RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	yk__pledge_list_reply__init(rep);
	for (int i = 0; i < n; i++) {
		Yk__PledgeSummary *s = arena_alloc(r->arena, sizeof(*s));
		Yk__Decimal *pct = arena_alloc(r->arena, sizeof(*pct));
		if (!s || !pct) {
			req_fail(r, YK__CODE__RESOURCE_EXHAUSTED, "out of memory");
			return;
		}
		yk__pledge_summary__init(s);
		yk__decimal__init(pct);
		s->code = arena_strdup(r->arena, PQgetvalue(res, i, 0));
		s->title = arena_strdup(r->arena, PQgetvalue(res, i, 1));
		s->department = arena_strdup(r->arena, PQgetvalue(res, i, 2));
		s->status = arena_strdup(r->arena, PQgetvalue(res, i, 3));
		pct->value = arena_strdup(r->arena, PQgetvalue(res, i, 4));
		s->progress_pct = pct;
		s->target_month = PQgetisnull(res, i, 5) ? NULL : arena_strdup(r->arena, PQgetvalue(res, i, 5));
		s->has_version = 1;
		s->version = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		s->updated_at = arena_strdup(r->arena, PQgetvalue(res, i, 7));
		items[i] = s;
	}
	rep->pledges = items;
	rep->n_pledges = (size_t)n;
	r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_LIST;
	r->resp.pledge_list = rep;
	req_finish(r);
}

void h_pledge_list(req_t *r)
{
	Yk__PledgeList *in = r->msg->pledge_list;
	const char *dept = in->department && *in->department ? text_nfc(r->arena, in->department, strlen(in->department)) : NULL;
	const char *status = in->status && *in->status ? in->status : NULL;
	if (in->department && *in->department && !dept) {
		viol_add(&r->viol, "department", "is not valid UTF-8");
		req_fail_violations(r, "cannot list pledges");
		return;
	}
	req_db(r, SQL_PLEDGE_LIST, on_listed, 2, dept, status);
}
