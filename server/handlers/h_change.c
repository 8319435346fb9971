/* Change requests (사업변경) and completion confirmations: propose, the steps of
 * the approval chain, list, show.  The daemon works out what a proposal
 * changes (field by field and in the card's terms) and, on approval, the
 * document to apply with its section 5 entries; the SQL functions of
 * migrations/0009 hold the state machine and apply under the row locks. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change_card.h"
#include "doc_io.h"
#include "docmap.h"
#include "handlers.h"
#include "period.h"
#include "pledge_check.h"
#include "sqlstate.h"


static const char *const states[] = { "proposed", "returned", "forwarded", "deliberated", "approved",
				      "rejected", "confirmed", "withdrawn", NULL };
static const char *const kinds[] = { "change", "completion", NULL };

/* Who may take each step; department accounts only for their own pledges
 * (checked in the SQL). */
typedef struct {
	int attempts;
	const char *round;
} step_state_t;

static const char *writer_dept(const req_t *r)
{
	return (r->who.role_bit & YK_ROLE_DEPARTMENT) ? r->who.department_id : NULL;
}

static const char *num_text(req_t *r, bool has, uint64_t v)
{
	return has ? arena_printf(r->arena, "%llu", (unsigned long long)v) : NULL;
}

/* `base` with the fields of `top` put over it (a new map; the values are
 * shared): a completion's status and progress on the pledge as it is. */
static doc_node_t *overlay(arena_t *a, const doc_node_t *base, const doc_node_t *top)
{
	doc_node_t *m = doc_new(a, DOC_MAP);
	for (size_t i = 0; m && base && i < base->n; i++)
		if (doc_set(a, m, base->keys[i], base->items[i]))
			return NULL;
	for (size_t i = 0; m && top && i < top->n; i++) {
		doc_del(m, top->keys[i]);
		if (doc_set(a, m, top->keys[i], top->items[i]))
			return NULL;
	}
	return m;
}

static const char *today_text(req_t *r)
{
	int y, m, d;
	civil_from_day(day_today(), &y, &m, &d);
	return arena_printf(r->arena, "%04d-%02d-%02d", y, m, d);
}

/* A stored document in the protocol's form, so that it compares with (and
 * writes like) one that arrived in a request.  NULL after failing the
 * request. */
static doc_node_t *protocol_tree(req_t *r, const char *json, size_t len, const char *what)
{
	doc_node_t *doc = NULL;
	return req_stored(r, json, len, &yk__pledge__descriptor, what, &doc) ? doc : NULL;
}

int reply_change(req_t *r, const doc_node_t *result, bool replayed)
{
	viol_list_t v;
	viol_init(&v, r->arena);
	Yk__ChangeRequest *c = (Yk__ChangeRequest *)docmap_from_tree(r->arena, result, &yk__change_request__descriptor,
								     "", 0, &v);
	if (!c || v.n)
		return -1;
	c->has_replayed = 1;
	c->replayed = replayed;
	switch (r->msg->body_case) {
	case YK__REQUEST__BODY_CHANGE_PROPOSE:
		r->resp.body_case = YK__RESPONSE__BODY_CHANGE_PROPOSE;
		r->resp.change_propose = c;
		break;
	case YK__REQUEST__BODY_CHANGE_STEP:
		r->resp.body_case = YK__RESPONSE__BODY_CHANGE_STEP;
		r->resp.change_step = c;
		break;
	default:
		r->resp.body_case = YK__RESPONSE__BODY_CHANGE_GET;
		r->resp.change_get = c;
	}
	return 0;
}

/* ------------------------------------------------------------- propose */

static const char *evidence_json(req_t *r, Yk__Evidence *const *evidence, size_t n)
{
	arena_t *a = r->arena;
	doc_node_t *list = doc_new(a, DOC_SEQ);
	for (size_t i = 0; list && i < n; i++) {
		const Yk__Evidence *e = evidence[i];
		unsigned char hash[crypto_hash_sha256_BYTES];
		char hex[crypto_hash_sha256_BYTES * 2 + 1];
		crypto_hash_sha256(hash, e->content.data ? e->content.data : (const uint8_t *)"", e->content.len);
		sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
		size_t b64len = sodium_base64_ENCODED_LEN(e->content.len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = arena_alloc(a, b64len);
		doc_node_t *m = doc_new(a, DOC_MAP);
		if (!b64 || !m)
			return NULL;
		sodium_bin2base64(b64, b64len, e->content.data ? e->content.data : (const uint8_t *)"", e->content.len,
				  sodium_base64_VARIANT_ORIGINAL);
		char size[24];
		snprintf(size, sizeof(size), "%zu", e->content.len);
		if (doc_set(a, m, "name", doc_str(a, e->name, strlen(e->name))) || doc_set(a, m, "size", doc_num(a, size)) ||
		    doc_set(a, m, "sha256", doc_str(a, hex, strlen(hex))) ||
		    doc_set(a, m, "content", doc_str(a, b64, strlen(b64))) || doc_push(a, list, m))
			return NULL;
	}
	return list ? doc_json_text(r->arena, list) : NULL;
}

static void propose(req_t *r, const char *kind, const char *code, doc_node_t *before, doc_node_t *after,
		    const char *doc_text, int64_t base_version, const char *reason, const char *evidence,
		    const char *resubmit, db_job_cb cb)
{
	arena_t *a = r->arena;
	doc_node_t *fields = doc_new(a, DOC_SEQ);
	doc_node_t *card = doc_new(a, DOC_SEQ);
	if (!fields || !card || change_fields(a, before, after, LIMIT_CHANGE_FIELDS, fields) || change_card(a, before, after, card)) {
		req_fail_oom(r);
		return;
	}
	if (fields->n == 0) {
		req_fail(r, YK__REASON__REASON_NO_CHANGE, "the proposal changes nothing in pledge %s (version %lld)", code,
			 (long long)base_version);
		return;
	}
	const char *fields_text = doc_json_text(r->arena, fields), *card_text = doc_json_text(r->arena, card);
	if (!fields_text || !card_text) {
		req_fail_oom(r);
		return;
	}
	req_db(r, SQL_CHANGE_PROPOSE, cb, 12, req_ctx(r), code, kind, doc_text,
	       arena_printf(a, "%lld", (long long)base_version), reason, fields_text, card_text, evidence ? evidence : "[]",
	       writer_dept(r), resubmit, r->who.role);
}

static void on_propose_current(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__ChangePropose *in = r->msg->change_propose;
	if (PQntuples(res) == 0) {
		req_fail(r, YK__REASON__REASON_NOT_FOUND, "no pledge has the code %s", in->code);
		return;
	}
	doc_node_t *current = protocol_tree(r, PQgetvalue(res, 0, SQL_COL_ONE), (size_t)PQgetlength(res, 0, SQL_COL_ONE),
					    "the stored pledge");
	if (!current)
		return;
	const doc_node_t *v = doc_get(current, "version");
	int64_t version = in->pledge->has_version ? in->pledge->version : (v ? strtoll(v->s, NULL, 10) : 0);
	doc_node_t *proposed = r->state;
	const char *text = pledge_prepare(r, proposed);
	if (!text)
		return;
	const char *evidence = evidence_json(r, in->evidence, in->n_evidence);
	if (!evidence) {
		req_fail_oom(r);
		return;
	}
	propose(r, "change", in->code, current, proposed, text, version, in->reason, evidence,
		num_text(r, in->has_resubmit, in->resubmit), req_write_done);
}

static void check_evidence(req_t *r, Yk__Evidence *const *evidence, size_t n)
{
	if (n > LIMIT_EVIDENCE_FILES)
		viol_add(&r->viol, "evidence", "at most %d files", LIMIT_EVIDENCE_FILES);
	for (size_t i = 0; i < n && i < LIMIT_EVIDENCE_FILES; i++) {
		const char *name = evidence[i]->name;
		const char *why = text_check_name(name, 255);
		if (!why && (strchr(name, '/') || strchr(name, '\\')))
			why = "a file name without directories";
		if (why)
			viol_add(&r->viol, arena_printf(r->arena, "evidence.%zu.name", i), "%s", why);
	}
}

void h_change_propose(req_t *r)
{
	Yk__ChangePropose *in = r->msg->change_propose;
	const char *why;
	if ((why = text_check_name(in->code, 64)))
		viol_add(&r->viol, "code", "%s", why);
	if ((why = text_check_field(in->reason, 4000)))
		viol_add(&r->viol, "reason", "%s", why);
	if (!in->pledge)
		viol_add(&r->viol, "pledge", "the proposed document is missing");
	else if (in->pledge->code && in->code && strcmp(in->pledge->code, in->code))
		viol_add(&r->viol, "code", "the document is pledge %s, not %s", in->pledge->code, in->code);
	check_evidence(r, in->evidence, in->n_evidence);
	if (r->viol.n) {
		req_fail_violations(r, "cannot propose the change");
		return;
	}
	doc_node_t *doc = pledge_tree(r, in->pledge);
	if (!doc)
		return;
	if (!in->pledge->code && doc_set(r->arena, doc, "code", doc_str(r->arena, in->code, strlen(in->code)))) {
		req_fail(r, YK__REASON__REASON_TOO_LARGE, "the document is too large");
		return;
	}
	r->state = doc;
	req_db(r, SQL_PLEDGE_GET, on_propose_current, 1, in->code);
}

void change_propose_completion(req_t *r, doc_node_t *current, int64_t version, const Yk__StatusSet *in,
			       const char *code)
{
	arena_t *a = r->arena;
	if (text_check_field(in->reason, 4000))
		viol_add(&r->viol, "reason", "a department proposes completion with its reason (--reason); the coordinator confirms it");
	check_evidence(r, in->evidence, in->n_evidence);
	if (r->viol.n) {
		req_fail_violations(r, "cannot propose completion");
		return;
	}
	doc_node_t *proposal = doc_new(a, DOC_MAP);
	if (!proposal || doc_set(a, proposal, "status", doc_str(a, in->status, strlen(in->status))))
		goto oom;
	if (in->progress_pct) {
		char *canon = in->progress_pct->value
				      ? doc_num_canon(a, in->progress_pct->value, strlen(in->progress_pct->value))
				      : NULL;
		if (!canon) {
			viol_add(&r->viol, "progress_pct", "\"%s\" is not a number",
				 in->progress_pct->value ? in->progress_pct->value : "");
			req_fail_violations(r, "cannot propose completion");
			return;
		}
		if (doc_set(a, proposal, "progress_pct", doc_num(a, canon)))
			goto oom;
	}
	doc_node_t *after = overlay(a, current, proposal);
	if (!after)
		goto oom;
	const char *text = doc_json_text(r->arena, proposal);
	const char *evidence = evidence_json(r, in->evidence, in->n_evidence);
	if (!text || !evidence)
		goto oom;
	propose(r, "completion", code, current, after, text, version, in->reason, evidence, NULL, req_write_done);
	return;
oom:
	req_fail_oom(r);
}

/* ------------------------------------------------------------- steps */

static void load(req_t *r);

static void on_stepped(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	step_state_t *st = r->state;
	const char *state = outcome == DB_DONE ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *detail = outcome == DB_DONE ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	/* A completion is confirmed on the pledge as it is: when someone wrote
	 * it between our read and our write, read it again. */
	if (st && state && !strcmp(state, YK_SQLSTATE_CONFLICT) && detail && !strcmp(detail, YK_SQLDETAIL_STALE) &&
	    r->msg->change_step->step == YK__CHANGE_STEP_KIND__STEP_CONFIRM && ++st->attempts < LIMIT_STEP_ATTEMPTS) {
		load(r);
		return;
	}
	req_write_done(job, outcome, res);
}

static void step(req_t *r, const char *doc_text, const char *expected_version, const char *round)
{
	Yk__ChangeStep *in = r->msg->change_step;
	req_db(r, SQL_CHANGE_STEP, on_stepped, 12, req_ctx(r), num_text(r, true, in->id), yk_change_step_name(in->step),
	       in->comment && *in->comment ? in->comment : NULL, num_text(r, in->has_votes_for, in->votes_for),
	       num_text(r, in->has_votes_against, in->votes_against), num_text(r, in->has_votes_abstain, in->votes_abstain),
	       round, doc_text, expected_version, writer_dept(r), r->who.role);
}

/* How a change was decided, as section 5 records it. */
typedef struct {
	const char *date;        /* --effective, else the approval's day */
	const char *decided_by;  /* the approver */
	const char *opinion;     /* the committee's last deliberation, if any */
	const char *votes[3];    /* for, against, abstain; NULL when not given */
} decision_t;

static int add_entry(arena_t *a, doc_node_t *changes, const decision_t *d, const doc_node_t *card_item,
		     const char *reason)
{
	doc_node_t *e = doc_new(a, DOC_MAP);
	static const char *const keys[] = { "item", "before", "after" };
	if (!e || doc_set(a, e, "date", doc_str(a, d->date, strlen(d->date))))
		return -1;
	for (size_t k = 0; k < 3; k++) {
		const doc_node_t *v = doc_get(card_item, keys[k]);
		if (!v || doc_set(a, e, keys[k], (doc_node_t *)v))
			return -1;
	}
	if (doc_set(a, e, "reason", doc_str(a, reason, strlen(reason))) ||
	    (d->decided_by && doc_set(a, e, "decided_by", doc_str(a, d->decided_by, strlen(d->decided_by)))) ||
	    (d->opinion && doc_set(a, e, "opinion", doc_str(a, d->opinion, strlen(d->opinion)))))
		return -1;
	static const char *const vote_keys[] = { "votes_for", "votes_against", "votes_abstain" };
	for (size_t k = 0; k < 3; k++)
		if (d->votes[k] && doc_set(a, e, vote_keys[k], doc_num(a, d->votes[k])))
			return -1;
	return doc_push(a, changes, e);
}

static void on_loaded(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__ChangeStep *in = r->msg->change_step;
	step_state_t *st = r->state;
	arena_t *a = r->arena;
	if (PQntuples(res) == 0) {
		req_fail(r, YK__REASON__REASON_NOT_FOUND, "no change request #%llu", (unsigned long long)in->id);
		return;
	}
	const char *kind = PQgetvalue(res, 0, CHANGE_LOAD_COL_KIND);
	const char *reason = PQgetvalue(res, 0, CHANGE_LOAD_COL_REASON);
	const char *version = req_col(r, res, 0, CHANGE_LOAD_COL_VERSION);
	const char *base = req_col(r, res, 0, CHANGE_LOAD_COL_BASE_VERSION);
	const char *open_round = req_col(r, res, 0, CHANGE_LOAD_COL_OPEN_ROUND);
	/* Wrong kind or state: the SQL function says so in its words. */
	bool approve = in->step == YK__CHANGE_STEP_KIND__STEP_APPROVE;
	if (strcmp(kind, approve ? "change" : "completion") ||
	    strcmp(PQgetvalue(res, 0, CHANGE_LOAD_COL_STATE), approve ? "deliberated" : "proposed")) {
		step(r, NULL, version, st->round);
		return;
	}
	doc_node_t *current = protocol_tree(r, PQgetvalue(res, 0, CHANGE_LOAD_COL_CURRENT),
					    (size_t)PQgetlength(res, 0, CHANGE_LOAD_COL_CURRENT), "the stored pledge");
	if (!current)
		return;
	const char *err = NULL;
	doc_node_t *card = doc_new(a, DOC_SEQ);
	doc_node_t *doc;
	const char *why = reason;
	if (!strcmp(kind, "change")) {
		if (strcmp(version, base)) {
			/* Let the SQL function refuse it, with the versions. */
			step(r, NULL, base, NULL);
			return;
		}
		doc = protocol_tree(r, PQgetvalue(res, 0, CHANGE_LOAD_COL_DOCUMENT),
				    (size_t)PQgetlength(res, 0, CHANGE_LOAD_COL_DOCUMENT), "the proposed document");
		if (!doc)
			return;
	} else {
		const char *round = st->round ? st->round : open_round;
		if (!round) {
			req_fail(r, YK__REASON__REASON_NOT_FOUND, "no round is open; name the round to confirm the completion in with --round");
			return;
		}
		st->round = round;
		doc_node_t *proposal = doc_parse_json(a, PQgetvalue(res, 0, CHANGE_LOAD_COL_DOCUMENT), (size_t)PQgetlength(res, 0, CHANGE_LOAD_COL_DOCUMENT), &err);
		doc = overlay(a, current, proposal);
		why = arena_printf(a, "%s (%s 완료 확인)", reason, round);
	}
	if (!doc || !card || !why || change_card(a, current, doc, card)) {
		req_fail_oom(r);
		return;
	}
	doc_node_t *changes = doc_child(a, doc, "changes", DOC_SEQ);
	decision_t d = {
		.date = in->effective && *in->effective ? in->effective : today_text(r),
		.decided_by = r->who.login,
		.opinion = req_col(r, res, 0, CHANGE_LOAD_COL_OPINION),
		.votes = { req_col(r, res, 0, CHANGE_LOAD_COL_VOTES_FOR), req_col(r, res, 0, CHANGE_LOAD_COL_VOTES_AGAINST),
			   req_col(r, res, 0, CHANGE_LOAD_COL_VOTES_ABSTAIN) },
	};
	for (size_t i = 0; changes && d.date && i < card->n; i++)
		if (add_entry(a, changes, &d, card->items[i], why))
			changes = NULL;
	if (!changes) {
		req_fail_oom(r);
		return;
	}
	const char *text = pledge_prepare(r, doc);
	if (text)
		step(r, text, !strcmp(kind, "change") ? base : version, st->round);
}

static void load(req_t *r)
{
	req_db(r, SQL_CHANGE_LOAD, on_loaded, 1, num_text(r, true, r->msg->change_step->id));
}

void h_change_step(req_t *r)
{
	Yk__ChangeStep *in = r->msg->change_step;
	unsigned roles = in->has_step ? yk_change_step_roles(in->step) : 0;
	if (!in->has_id || in->id == 0 || in->id > INT64_MAX)
		viol_add(&r->viol, "id", "give the change request's number");
	if (!roles)
		viol_add(&r->viol, "step", "must be forward, return, deliberate, approve, reject, confirm or withdraw");
	const char *why;
	if (in->comment && *in->comment && (why = text_check_field(in->comment, 4000)))
		viol_add(&r->viol, "comment", "%s", why);
	if (in->round && *in->round && (why = text_check_name(in->round, 16)))
		viol_add(&r->viol, "round", "%s", why);
	if (in->effective && *in->effective) {
		int32_t day;
		if (date_parse(in->effective, &day))
			viol_add(&r->viol, "effective", "\"%s\" is not a date (YYYY-MM-DD)", text_printable(r->arena, in->effective));
		else if (day > day_today())
			viol_add(&r->viol, "effective", "%s is in the future: give the day it was decided", in->effective);
		if (in->step != YK__CHANGE_STEP_KIND__STEP_APPROVE && in->step != YK__CHANGE_STEP_KIND__STEP_CONFIRM)
			viol_add(&r->viol, "effective", "only an approval or a confirmation has a date to record");
	}
	if (r->viol.n) {
		req_fail_violations(r, "cannot take the step");
		return;
	}
	if (!(roles & r->who.role_bit)) {
		req_fail(r, YK__REASON__REASON_FORBIDDEN, "your role (%s) may not %s a change request", r->who.role,
			 yk_change_step_name(in->step));
		return;
	}
	step_state_t *st = arena_calloc(r->arena, sizeof(*st));
	if (!st) {
		req_fail_oom(r);
		return;
	}
	st->round = in->round && *in->round ? in->round : NULL;
	r->state = st;
	if (in->step == YK__CHANGE_STEP_KIND__STEP_APPROVE || in->step == YK__CHANGE_STEP_KIND__STEP_CONFIRM)
		load(r);
	else
		step(r, NULL, NULL, NULL);
}

/* ------------------------------------------------------------- views */

static void on_view(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	if (r->msg->body_case == YK__REQUEST__BODY_CHANGE_GET && (PQntuples(res) == 0 || PQgetisnull(res, 0, SQL_COL_ONE))) {
		req_fail(r, YK__REASON__REASON_NOT_FOUND, "no change request #%llu", (unsigned long long)r->msg->change_get->id);
		return;
	}
	bool one = r->msg->body_case == YK__REQUEST__BODY_CHANGE_GET;
	ProtobufCMessage *m = result_message(r, res, one ? &yk__change_request__descriptor : &yk__change_list_reply__descriptor,
					     one ? "the change request" : "the change requests");
	if (!m)
		return;
	if (one) {
		r->resp.body_case = YK__RESPONSE__BODY_CHANGE_GET;
		r->resp.change_get = (Yk__ChangeRequest *)m;
	} else {
		r->resp.body_case = YK__RESPONSE__BODY_CHANGE_LIST;
		r->resp.change_list = (Yk__ChangeListReply *)m;
	}
	req_finish(r);
}

void h_change_get(req_t *r)
{
	Yk__ChangeGet *in = r->msg->change_get;
	if (!in->has_id || in->id == 0 || in->id > INT64_MAX) {
		viol_add(&r->viol, "id", "give the change request's number");
		req_fail_violations(r, "cannot show the change request");
		return;
	}
	req_db(r, SQL_CHANGE_GET, on_view, 1, num_text(r, true, in->id));
}

static const char *filter(req_t *r, const char *path, const char *s, const char *const *allowed)
{
	if (!s || !*s)
		return NULL;
	const char *why = text_check_name(s, 200);
	if (why)
		viol_add(&r->viol, path, "%s", why);
	else if (allowed && !one_of(s, allowed))
		viol_add(&r->viol, path, "\"%s\" is not one of the %ss", s, path);
	return s;
}

void h_change_list(req_t *r)
{
	Yk__ChangeList *in = r->msg->change_list;
	const char *state = filter(r, "state", in->state, states);
	const char *dept = filter(r, "department", in->department, NULL);
	const char *code = filter(r, "code", in->code, NULL);
	const char *kind = filter(r, "kind", in->kind, kinds);
	if (r->viol.n) {
		req_fail_violations(r, "cannot list change requests");
		return;
	}
	req_db(r, SQL_CHANGE_LIST, on_view, 4, state, dept, code, kind);
}
