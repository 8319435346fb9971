/* Pledge documents: apply, get (now, at a moment, or a round's snapshot), list. */
#include <regex.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "derived.h"
#include "dispatch.h"
#include "doc_io.h"
#include "docmap.h"
#include "handlers.h"
#include "log.h"
#include "period.h"
#include "pledge_check.h"
#include "terms.h"
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
	if (doc_get(result, "kind")) {
		/* a department's completion, recorded as a request (h_change.c) */
		rep->has_proposal = 1;
		rep->proposal = (uint64_t)result_int(result, "id");
		rep->version = result_int(result, "base_version");
	}
	if (r->msg->body_case == YK__REQUEST__BODY_PLEDGE_UPDATE) {
		r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_UPDATE;
		r->resp.pledge_update = rep;
	} else {
		r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_APPLY;
		r->resp.pledge_apply = rep;
	}
	return 0;
}

doc_node_t *pledge_tree(req_t *r, const Yk__Pledge *p)
{
	if (docmap_has_unknown(&p->base)) {
		req_fail(r, YK__REASON__REASON_INVALID,
			 "the pledge holds fields this server does not know; nothing was stored (is the client newer?)");
		return NULL;
	}
	doc_node_t *doc = docmap_to_tree(r->arena, &p->base);
	if (!doc)
		req_fail(r, YK__REASON__REASON_TOO_LARGE, "the document is too large");
	return doc;
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
	const char *text = doc_json_text(r->arena, doc);
	if (!text)
		req_fail_oom(r);
	return text;
}

/* The sections of a whole card that differ from the version it was based
 * on, as a JSON array for yk_pledge_apply, which then rewrites only
 * their rows (an edited card usually changes one or two of nine).  The
 * version's build comes from the read cache: when it is not there, NULL
 * (every section is rewritten).  Sections compare as the JSON the daemon
 * would write, key order included (it is the rows' order), so "the same"
 * means the rows the database holds already make exactly this section; any
 * other difference, even one the document contract would call equal, just
 * rewrites the section.  The database still checks that the version is
 * the current one, under the pledge's row lock. */
static const char *changed_sections(req_t *r, const doc_node_t *doc, int64_t version)
{
	static const char *const section[] = { "overview", "budget", "indicator_sets", "progress", "changes",
					       "evaluations", "problems", "plans", "officials" };
	const char *code = doc_text(doc, "code");
	arena_t *a = r->arena;
	Yk__Pledge *was = code ? pledge_cache_unpacked(r, code, version) : NULL;
	doc_node_t *old = was ? docmap_to_tree(a, &was->base) : NULL;
	if (!old)
		return NULL;
	buf_t lit = BUF_INIT;
	int err = buf_putc(&lit, '[');
	size_t changed = 0;
	for (size_t i = 0; i < sizeof(section) / sizeof(section[0]); i++) {
		const doc_node_t *x = doc_get(doc, section[i]), *y = doc_get(old, section[i]);
		const char *tx = x ? doc_json_text(a, x) : NULL, *ty = y ? doc_json_text(a, y) : NULL;
		if ((x && !tx) || (y && !ty)) {
			buf_free(&lit);
			return NULL;
		}
		if (tx && ty ? !strcmp(tx, ty) : tx == ty)
			continue;
		err |= (changed++ && buf_putc(&lit, ',')) || buf_printf(&lit, "\"%s\"", section[i]);
	}
	err |= buf_putc(&lit, ']');
	const char *out = err ? NULL : arena_strndup(a, lit.data, lit.len);
	buf_free(&lit);
	log_debug("event=apply_sections code=%s sections=%s", code, out ? out : "all");
	return out;
}

/* A whole card `text` as an element of the group statement (yk_progress_add's
 * {"kind": "write", ...}): based on *version (NULL: none), rewriting the
 * sections of the JSON array `sections` (NULL: all); NULL when memory ran
 * out. */
static const char *write_element(req_t *r, const char *text, const int64_t *version, bool force, const char *sections)
{
	const char *ctx = req_ctx(r);
	const char *based = version ? arena_printf(r->arena, "%lld", (long long)*version) : "null";
	const char *writer_dept = (r->who.role_bit & YK_ROLE_DEPARTMENT) && r->who.department_id ? r->who.department_id
												     : "null";
	return ctx && based ? arena_printf(r->arena,
					   "{\"kind\":\"write\",\"ctx\":%s,\"doc\":%s,\"expected_version\":%s,"
					   "\"force\":%s,\"writer_department\":%s,\"sections\":%s}",
					   ctx, text, based, force ? "true" : "false", writer_dept, sections ? sections : "null")
			    : NULL;
}

void h_pledge_apply(req_t *r)
{
	Yk__PledgeApply *in = r->msg->pledge_apply;
	if (!in->pledge) {
		req_fail(r, YK__REASON__REASON_MALFORMED, "the request carries no pledge");
		return;
	}
	if (in->force && !(r->who.role_bit & (YK_ROLE_ADMIN | YK_ROLE_COORDINATOR))) {
		req_fail(r, YK__REASON__REASON_FORBIDDEN, "only admin and coordinator accounts may overwrite with --force");
		return;
	}
	const char *why;
	if (in->reason && *in->reason && (why = text_check_field(in->reason, 4000))) {
		viol_add(&r->viol, "reason", "%s", why);
		req_fail_violations(r, "cannot apply the pledge");
		return;
	}
	doc_node_t *doc = pledge_tree(r, in->pledge);
	if (!doc)
		return;
	const char *text = pledge_prepare(r, doc);
	if (!text)
		return;
	const int64_t *version = in->pledge->has_version ? &in->pledge->version : NULL;
	const char *sections = version ? changed_sections(r, doc, *version) : NULL;
	const char *code = doc_text(doc, "code");
	/* in a group with the quick updates (yk_progress_add: yk_pledge_write),
	 * sharing their commit and the audit chain's lock */
	req_write_grouped(r, code ? code : "", write_element(r, text, version, in->force, sections));
}

static void on_got(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__PledgeGet *in = r->msg->pledge_get;
	if (PQntuples(res) == 0) {
		if (in->approved)
			req_fail(r, YK__REASON__REASON_NOT_APPROVED, "pledge %s has no approved version yet", in->code);
		else if (in->round)
			req_fail(r, YK__REASON__REASON_NOT_APPROVED, "pledge %s has no approved submission in round %s", in->code, in->round);
		else if (in->at)
			req_fail(r, YK__REASON__REASON_NOT_APPROVED, "pledge %s did not exist at %s", in->code, in->at);
		else
			req_fail(r, YK__REASON__REASON_NOT_FOUND, "no pledge has the code %s", in->code);
		return;
	}
	doc_node_t *doc = req_stored_doc(r, PQgetvalue(res, 0, SQL_COL_ONE), (size_t)PQgetlength(res, 0, SQL_COL_ONE),
					 "the stored pledge");
	if (!doc)
		return;
	if (derived_add(r->arena, doc, day_today())) {
		req_fail_oom(r);
		return;
	}
	ProtobufCMessage *m = req_stored_msg(r, doc, &yk__pledge__descriptor, "the stored pledge");
	if (!m)
		return;
	r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_GET;
	r->resp.pledge_get = (Yk__Pledge *)m;
	if (!in->round && !in->at && !in->approved)
		(void)pledge_cache_keep(r, in->code, (Yk__Pledge *)m);  /* the current version, built */
	req_finish(r);
}

int pledge_cache_keep(req_t *r, const char *code, const Yk__Pledge *p)
{
	size_t n = yk__pledge__get_packed_size(p);
	uint8_t *packed = arena_alloc(r->arena, n ? n : 1);
	if (!packed || yk__pledge__pack(p, packed) != n)
		return -1;
	return pcache_put(&r->srv->cache, code, p->version, day_today(), packed, n);
}

Yk__Pledge *pledge_cache_unpacked(req_t *r, const char *code, int64_t version)
{
	size_t n = 0;
	const uint8_t *packed = pcache_get(&r->srv->cache, code, version, day_today(), &n);
	ProtobufCAllocator al = arena_pb_allocator(r->arena);
	return packed ? yk__pledge__unpack(&al, n, packed) : NULL;
}

static void on_fresh(fresh_wait_t *w, db_outcome_t outcome, const PGresult *res, int64_t version, bool session_ok)
{
	req_t *r = (req_t *)((char *)w - offsetof(req_t, fresh));
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__PledgeGet *in = r->msg->pledge_get;
	if (r->session_unchecked && !session_ok) {
		session_expired(r);
		return;
	}
	r->session_unchecked = false;
	if (version < 0) {
		req_fail(r, YK__REASON__REASON_NOT_FOUND, "no pledge has the code %s", in->code);
		return;
	}
	size_t n = 0;
	const uint8_t *packed = pcache_get(&r->srv->cache, in->code, version, day_today(), &n);
	if (!packed) {
		req_db(r, SQL_PLEDGE_GET, on_got, 1, in->code);
		return;
	}
	/* sent as it is, spliced into the response: no unpacking, no packing */
	r->packed_field = YK__RESPONSE__BODY_PLEDGE_GET;
	r->packed_body = packed;
	r->packed_len = n;
	req_finish(r);
}

void h_pledge_get(req_t *r)
{
	Yk__PledgeGet *in = r->msg->pledge_get;
	const char *why = text_check_name(in->code, 64);
	if (why)
		viol_add(&r->viol, "code", "%s", why);
	if (in->at && *in->at && !rfc3339(in->at))
		viol_add(&r->viol, "at", "\"%s\" is not a time like 2021-04-01T09:00:00+09:00", in->at);
	if (in->round && *in->round && in->at && *in->at)
		viol_add(&r->viol, "round", "give a round or a time, not both");
	/* a viewer (and whatever is published) reads the record: what was
	 * approved, never a department's working copy */
	if (r->who.role_bit & YK_ROLE_VIEWER) {
		if (in->at && *in->at) {
			req_fail(r, YK__REASON__REASON_FORBIDDEN,
				 "a viewer reads approved versions: give a round (--round) or nothing for the latest approved");
			return;
		}
		if (!(in->round && *in->round))
			in->approved = true;
	}
	if (in->approved && ((in->round && *in->round) || (in->at && *in->at)))
		viol_add(&r->viol, "approved", "give approved, a round or a time, one of them");
	if (r->viol.n) {
		req_fail_violations(r, "cannot get the pledge");
		return;
	}
	if (r->session_unchecked && ((in->round && *in->round) || (in->at && *in->at) || in->approved)) {
		session_check(r, h_pledge_get);
		return;
	}
	if (in->round && *in->round) {
		req_db(r, SQL_PLEDGE_GET_ROUND, on_got, 2, in->code, in->round);
		return;
	}
	if (in->approved) {
		req_db(r, SQL_PLEDGE_GET_APPROVED, on_got, 1, in->code);
		return;
	}
	in->round = NULL;
	if (in->at && *in->at) {
		req_db(r, SQL_PLEDGE_GET_AT, on_got, 2, in->code, in->at);
		return;
	}
	in->at = NULL;
	/* Cached: a freshness check shared with the other reads of the moment
	 * says whether it is still current (and confirms a session known only
	 * from the session cache). */
	if (pcache_has(&r->srv->cache, in->code)) {
		r->fresh.code = in->code;
		r->fresh.session_hash = r->session_unchecked ? r->session_hash : NULL;
		r->fresh.cb = on_fresh;
		fresh_check(&r->srv->fresh, &r->fresh);
	} else if (r->session_unchecked)
		session_check(r, h_pledge_get);
	else
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
		req_fail_oom(r);
		return;
	}
	yk__pledge_list_reply__init(rep);
	for (int i = 0; i < n; i++) {
		Yk__PledgeSummary *s = arena_alloc(r->arena, sizeof(*s));
		Yk__Decimal *pct = arena_alloc(r->arena, sizeof(*pct));
		if (!s || !pct) {
			req_fail_oom(r);
			return;
		}
		yk__pledge_summary__init(s);
		yk__decimal__init(pct);
		s->code = req_col(r, res, i, LIST_COL_CODE);
		s->title = req_col(r, res, i, LIST_COL_TITLE);
		s->department = req_col(r, res, i, LIST_COL_DEPARTMENT);
		s->status = req_col(r, res, i, LIST_COL_STATUS);
		pct->value = req_col(r, res, i, LIST_COL_PROGRESS);
		s->target_month = req_col(r, res, i, LIST_COL_TARGET_MONTH);
		s->progress_pct = pct;
		s->has_version = 1;
		s->version = strtoll(PQgetvalue(res, i, LIST_COL_VERSION), NULL, 10);
		s->updated_at = req_col(r, res, i, LIST_COL_UPDATED_AT);
		s->area = req_col(r, res, i, LIST_COL_AREA);
		s->has_overdue = 1;
		s->overdue = PQgetvalue(res, i, LIST_COL_OVERDUE)[0] == 't';
		s->lagging = req_col(r, res, i, LIST_COL_LAGGING);
		s->submission = req_col(r, res, i, LIST_COL_SUBMISSION);
		items[i] = s;
	}
	rep->pledges = items;
	rep->n_pledges = (size_t)n;
	r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_LIST;
	r->resp.pledge_list = rep;
	req_finish(r);
}

static const char *const submissions[] = { "missing", "submitted", "returned", "approved", NULL };
static const char *const sorts[] = { "code", "title", "department", "status", "progress", "target", "updated", NULL };

static const char *opt_text(req_t *r, const char *path, const char *s)
{
	if (!s || !*s)
		return NULL;
	const char *why = text_problem(s, strlen(s));
	if (why) {
		viol_add(&r->viol, path, "%s", why);
		return NULL;
	}
	return text_nfc(r->arena, s, strlen(s));
}

/* The nine parameters of pledge_list (eight of pledge_export); false after
 * failing the request. */
static bool filter_params(req_t *r, const Yk__PledgeList *in, const char *p[9])
{
	p[0] = opt_text(r, "department", in->department);
	p[1] = in->status && *in->status ? in->status : NULL;
	if (p[1] && !one_of(p[1], pledge_status_keys))
		viol_add(&r->viol, "status", "\"%s\" is not a status", p[1]);
	p[2] = opt_text(r, "area", in->area);
	p[3] = in->has_overdue && in->overdue ? "t" : NULL;
	p[4] = in->has_lagging && in->lagging ? "t" : NULL;
	p[5] = opt_text(r, "search", in->search);
	p[6] = opt_text(r, "round", in->round);
	p[7] = in->submission && *in->submission ? in->submission : NULL;
	if (p[7] && !one_of(p[7], submissions))
		viol_add(&r->viol, "submission", "must be missing, submitted, returned or approved");
	if (p[7] && !p[6])
		viol_add(&r->viol, "submission", "needs a round");
	p[8] = in->sort && *in->sort ? in->sort : "code";
	if (!one_of(p[8], sorts))
		viol_add(&r->viol, "sort", "must be code, title, department, status, progress, target or updated");
	if (r->viol.n) {
		req_fail_violations(r, "cannot list pledges");
		return false;
	}
	return true;
}

void h_pledge_list(req_t *r)
{
	const char *p[9];
	if (!filter_params(r, r->msg->pledge_list, p))
		return;
	/* a viewer (and what is published) lists the approved versions; a round
	 * alone names the versions approved in it (as get, show and export read
	 * it); with a submission state, where each working copy stands in it */
	bool viewer = r->who.role_bit & YK_ROLE_VIEWER;
	if (viewer && p[7]) {
		req_fail(r, YK__REASON__REASON_FORBIDDEN, "a viewer lists approved versions; --submission is for the "
							  "departments and the coordinator");
		return;
	}
	if (viewer || (p[6] && !p[7])) {
		req_db(r, SQL_READER_LIST, on_listed, 8, p[0], p[1], p[2], p[3], p[4], p[5], p[8], p[6]);
		return;
	}
	req_db(r, SQL_PLEDGE_LIST, on_listed, 9, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]);
}

/* Pledges a page: what the client asked for, at most LIMIT_EXPORT_PAGE. */
static size_t export_limit(const Yk__PledgeExport *ex)
{
	return ex->limit && ex->limit < LIMIT_EXPORT_PAGE ? ex->limit : LIMIT_EXPORT_PAGE;
}

static void on_exported(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	/* the query sent one row past the page: it says that more exist */
	size_t rows = (size_t)PQntuples(res), limit = export_limit(r->msg->pledge_export);
	size_t n = rows < limit ? rows : limit;
	Yk__PledgeExportReply *rep = arena_alloc(r->arena, sizeof(*rep));
	Yk__Pledge **items = arena_alloc(r->arena, sizeof(*items) * (n ? n : 1));
	if (!rep || !items)
		goto oom;
	yk__pledge_export_reply__init(rep);
	rep->has_more = true;
	rep->more = rows > limit;
	int32_t today = day_today();
	size_t k = 0;
	for (; k < n; k++) {
		if (k && arena_used(r->arena) >= LIMIT_EXPORT_PAGE_BYTES) {
			rep->more = true; /* large cards make short pages */
			break;
		}
		doc_node_t *doc = req_stored_doc(r, PQgetvalue(res, (int)k, SQL_COL_ONE),
						 (size_t)PQgetlength(res, (int)k, SQL_COL_ONE), "a stored pledge");
		if (!doc)
			return;
		if (derived_add(r->arena, doc, today))
			goto oom;
		if (!(items[k] = (Yk__Pledge *)req_stored_msg(r, doc, &yk__pledge__descriptor, "a stored pledge")))
			return;
	}
	rep->pledges = items;
	rep->n_pledges = k;
	r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_EXPORT;
	r->resp.pledge_export = rep;
	req_finish(r);
	return;
oom:
	req_fail(r, YK__REASON__REASON_TOO_LARGE, "a page of the export is too large; ask for fewer pledges a page (limit)");
}

void h_pledge_export(req_t *r)
{
	static const Yk__PledgeList none = YK__PLEDGE_LIST__INIT;
	const Yk__PledgeExport *ex = r->msg->pledge_export;
	const Yk__PledgeList *in = ex->filter ? ex->filter : &none;
	const char *p[9];
	if (!filter_params(r, in, p))
		return;
	const char *after = ex->after && *ex->after ? opt_text(r, "after", ex->after) : NULL;
	if (r->viol.n) {
		req_fail_violations(r, "cannot export pledges");
		return;
	}
	/* one row past the page, to know whether another follows */
	const char *rows = arena_printf(r->arena, "%zu", export_limit(ex) + 1);
	if (!rows) {
		req_fail_oom(r);
		return;
	}
	arena_set_cap(r->arena, LIMIT_EXPORT_BYTES);
	/* a round alone names the versions approved in it; a viewer (and what
	 * is published) reads approved versions only */
	bool in_round = p[6] && !p[7];
	if (in_round || ex->approved || (r->who.role_bit & YK_ROLE_VIEWER))
		req_db(r, SQL_PLEDGE_EXPORT_APPROVED, on_exported, 11, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7],
		       in_round ? p[6] : NULL, after, rows);
	else
		req_db(r, SQL_PLEDGE_EXPORT, on_exported, 10, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], after, rows);
}

static void on_stats(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	ProtobufCMessage *m = result_message(r, res, &yk__stats_reply__descriptor, "the figures");
	if (!m)
		return;
	r->resp.body_case = YK__RESPONSE__BODY_STATS;
	r->resp.stats = (Yk__StatsReply *)m;
	req_finish(r);
}

void h_stats(req_t *r)
{
	const char *round = opt_text(r, "round", r->msg->stats->round);
	if (r->viol.n) {
		req_fail_violations(r, "cannot compute the figures");
		return;
	}
	Yk__Stats *in = r->msg->stats;
	if (in->has_year && (in->year < 1000 || in->year > 9999)) {
		viol_add(&r->viol, "year", "%u is not a year from 1000 to 9999", in->year);
		req_fail_violations(r, "cannot compute the figures");
		return;
	}
	char *year = in->has_year ? arena_printf(r->arena, "%u", in->year) : NULL;
	/* a viewer (and what is published) counts the approved versions */
	req_db(r, SQL_STATS, on_stats, 3, round, year, (r->who.role_bit & YK_ROLE_VIEWER) ? "t" : "f");
}
