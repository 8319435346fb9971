/* Reporting rounds: open, close, status, list; submissions: submit, review. */
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "handlers.h"
#include "period.h"

int reply_round(req_t *r, const doc_node_t *result, bool replayed)
{
	(void)replayed;
	Yk__Round *rd = arena_alloc(r->arena, sizeof(*rd));
	if (!rd)
		return -1;
	yk__round__init(rd);
	rd->name = result_str(r, result, "name");
	rd->as_of = result_str(r, result, "as_of");
	rd->due = result_str(r, result, "due");
	rd->state = result_str(r, result, "state");
	if (r->msg->body_case == YK__REQUEST__BODY_ROUND_CLOSE) {
		r->resp.body_case = YK__RESPONSE__BODY_ROUND_CLOSE;
		r->resp.round_close = rd;
	} else {
		r->resp.body_case = YK__RESPONSE__BODY_ROUND_OPEN;
		r->resp.round_open = rd;
	}
	return 0;
}

int reply_submission(req_t *r, const doc_node_t *result, bool replayed)
{
	Yk__Submission *s = arena_alloc(r->arena, sizeof(*s));
	if (!s)
		return -1;
	yk__submission__init(s);
	s->round = result_str(r, result, "round");
	s->code = result_str(r, result, "code");
	s->state = result_str(r, result, "state");
	s->has_version = 1;
	s->version = result_int(result, "version");
	s->has_late = 1;
	s->late = result_bool(result, "late");
	s->comment = result_str(r, result, "comment");
	s->has_replayed = 1;
	s->replayed = replayed;
	if (r->msg->body_case == YK__REQUEST__BODY_REVIEW) {
		r->resp.body_case = YK__RESPONSE__BODY_REVIEW;
		r->resp.review = s;
	} else {
		r->resp.body_case = YK__RESPONSE__BODY_SUBMIT;
		r->resp.submit = s;
	}
	return 0;
}

int reply_target_judgement(req_t *r, const doc_node_t *result, bool replayed)
{
	Yk__TargetJudgement *j = arena_alloc(r->arena, sizeof(*j));
	if (!j)
		return -1;
	yk__target_judgement__init(j);
	j->code = result_str(r, result, "code");
	j->has_year = 1;
	j->year = (uint32_t)result_int(result, "year");
	j->has_met = 1;
	j->met = result_bool(result, "met");
	j->reason = result_str(r, result, "reason");
	j->judged_by = result_str(r, result, "judged_by");
	j->judged_at = result_str(r, result, "judged_at");
	j->has_replayed = 1;
	j->replayed = replayed;
	r->resp.body_case = YK__RESPONSE__BODY_TARGET_JUDGE;
	r->resp.target_judge = j;
	return 0;
}

static bool round_name_ok(const char *s)
{
	period_t p;
	return s && period_parse(s, &p) == 0 && p.kind != PERIOD_FROM_MONTH;
}

void h_round_open(req_t *r)
{
	Yk__RoundOpen *in = r->msg->round_open;
	int32_t as_of = 0, due = 0;
	if (!round_name_ok(in->name))
		viol_add(&r->viol, "name", "\"%s\" must be a year, half or quarter: 2021, 2021-H1, 2021-Q1",
			 in->name ? in->name : "");
	if (!in->as_of || date_parse(in->as_of, &as_of))
		viol_add(&r->viol, "as_of", "must be a date (YYYY-MM-DD): the day the round reports on");
	if (!in->due || date_parse(in->due, &due))
		viol_add(&r->viol, "due", "must be a date (YYYY-MM-DD): the day submissions are due");
	else if (in->as_of && as_of && due < as_of)
		viol_add(&r->viol, "due", "%s comes before as_of %s", in->due, in->as_of);
	if (r->viol.n) {
		req_fail_violations(r, "cannot open the round");
		return;
	}
	req_write(r, SQL_ROUND_OPEN, 4, req_ctx(r), in->name, in->as_of, in->due);
}

void h_round_close(req_t *r)
{
	const char *why = text_check_name(r->msg->round_close->name, 16);
	if (why) {
		viol_add(&r->viol, "name", "%s", why);
		req_fail_violations(r, "cannot close the round");
		return;
	}
	req_write(r, SQL_ROUND_CLOSE, 2, req_ctx(r), r->msg->round_close->name);
}

static void on_status_rows(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__RoundStatusReply *rep = r->state;
	int n = PQntuples(res);
	rep->rows = arena_alloc(r->arena, sizeof(*rep->rows) * (size_t)(n ? n : 1));
	if (!rep->rows) {
		req_fail_oom(r);
		return;
	}
	for (int i = 0; i < n; i++) {
		Yk__RoundStatusRow *row = arena_alloc(r->arena, sizeof(*row));
		if (!row) {
			req_fail_oom(r);
			return;
		}
		yk__round_status_row__init(row);
		row->department = arena_strdup(r->arena, PQgetvalue(res, i, ROUND_STATUS_COL_DEPARTMENT));
		row->code = arena_strdup(r->arena, PQgetvalue(res, i, ROUND_STATUS_COL_CODE));
		row->title = arena_strdup(r->arena, PQgetvalue(res, i, ROUND_STATUS_COL_TITLE));
		row->state = arena_strdup(r->arena, PQgetvalue(res, i, ROUND_STATUS_COL_STATE));
		if (!PQgetisnull(res, i, ROUND_STATUS_COL_VERSION)) {
			row->has_version = 1;
			row->version = strtoll(PQgetvalue(res, i, ROUND_STATUS_COL_VERSION), NULL, 10);
		}
		row->submitted_at = PQgetisnull(res, i, ROUND_STATUS_COL_SUBMITTED_AT) ? NULL : arena_strdup(r->arena, PQgetvalue(res, i, ROUND_STATUS_COL_SUBMITTED_AT));
		row->has_late = 1;
		row->late = PQgetvalue(res, i, ROUND_STATUS_COL_LATE)[0] == 't';
		row->comment = PQgetisnull(res, i, ROUND_STATUS_COL_COMMENT) ? NULL : arena_strdup(r->arena, PQgetvalue(res, i, ROUND_STATUS_COL_COMMENT));
		rep->rows[i] = row;
	}
	rep->n_rows = (size_t)n;
	r->resp.body_case = YK__RESPONSE__BODY_ROUND_STATUS;
	r->resp.round_status = rep;
	req_finish(r);
}

/* A round as yk_round_json gives it; NULL when out of memory. */
static Yk__Round *round_msg(req_t *r, const PGresult *res, int row)
{
	const char *err;
	doc_node_t *result = doc_parse_json(r->arena, PQgetvalue(res, row, SQL_COL_ONE),
					    (size_t)PQgetlength(res, row, SQL_COL_ONE), &err);
	Yk__Round *rd = arena_alloc(r->arena, sizeof(*rd));
	if (!result || !rd)
		return NULL;
	yk__round__init(rd);
	rd->name = result_str(r, result, "name");
	rd->as_of = result_str(r, result, "as_of");
	rd->due = result_str(r, result, "due");
	rd->state = result_str(r, result, "state");
	return rd;
}

static void on_round(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	if (PQntuples(res) == 0) {
		req_fail(r, YK__REASON__REASON_NOT_FOUND, "no round %s", r->msg->round_status->name);
		return;
	}
	Yk__RoundStatusReply *rep = arena_alloc(r->arena, sizeof(*rep));
	Yk__Round *rd = round_msg(r, res, 0);
	if (!rep || !rd) {
		req_fail_oom(r);
		return;
	}
	yk__round_status_reply__init(rep);
	rep->round = rd;
	r->state = rep;
	req_db(r, SQL_ROUND_STATUS, on_status_rows, 1, r->msg->round_status->name);
}

void h_round_status(req_t *r)
{
	const char *why = text_check_name(r->msg->round_status->name, 16);
	if (why) {
		viol_add(&r->viol, "name", "%s", why);
		req_fail_violations(r, "cannot show the round");
		return;
	}
	req_db(r, SQL_ROUND_GET, on_round, 1, r->msg->round_status->name);
}

static void on_round_list(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	int n = PQntuples(res);
	Yk__RoundListReply *rep = arena_alloc(r->arena, sizeof(*rep));
	Yk__Round **items = arena_alloc(r->arena, sizeof(*items) * (size_t)(n ? n : 1));
	if (!rep || !items) {
		req_fail_oom(r);
		return;
	}
	yk__round_list_reply__init(rep);
	for (int i = 0; i < n; i++)
		if (!(items[i] = round_msg(r, res, i))) {
			req_fail_oom(r);
			return;
		}
	rep->rounds = items;
	rep->n_rounds = (size_t)n;
	r->resp.body_case = YK__RESPONSE__BODY_ROUND_LIST;
	r->resp.round_list = rep;
	req_finish(r);
}

void h_round_list(req_t *r)
{
	req_db(r, SQL_ROUND_LIST, on_round_list, 0);
}

void h_submit(req_t *r)
{
	Yk__Submit *in = r->msg->submit;
	const char *why;
	if ((why = text_check_name(in->code, 64)))
		viol_add(&r->viol, "code", "%s", why);
	if ((why = text_check_name(in->round, 16)))
		viol_add(&r->viol, "round", "%s", why);
	if (r->viol.n) {
		req_fail_violations(r, "cannot submit");
		return;
	}
	const char *writer_dept = (r->who.role_bit & YK_ROLE_DEPARTMENT) ? r->who.department_id : NULL;
	req_write(r, SQL_SUBMIT, 4, req_ctx(r), in->code, in->round, writer_dept);
}

void h_review(req_t *r)
{
	Yk__Review *in = r->msg->review;
	const char *why;
	if ((why = text_check_name(in->code, 64)))
		viol_add(&r->viol, "code", "%s", why);
	if ((why = text_check_name(in->round, 16)))
		viol_add(&r->viol, "round", "%s", why);
	if (!in->has_approve)
		viol_add(&r->viol, "approve", "say whether to approve or return");
	else if (!in->approve && text_check_field(in->comment, 4000))
		viol_add(&r->viol, "comment", "a returned submission needs a comment saying what to fix");
	if (r->viol.n) {
		req_fail_violations(r, "cannot review");
		return;
	}
	req_write(r, SQL_REVIEW, 5, req_ctx(r), in->code, in->round, in->approve ? "t" : "f", in->comment);
}

void h_target_judge(req_t *r)
{
	Yk__TargetJudge *in = r->msg->target_judge;
	const char *why;
	if ((why = text_check_name(in->code, 64)))
		viol_add(&r->viol, "code", "%s", why);
	if (!in->has_year || in->year < 1000 || in->year > 9999)
		viol_add(&r->viol, "year", "must be a year from 1000 to 9999");
	if (!in->has_met)
		viol_add(&r->viol, "met", "say whether the year's target was met");
	if (!in->reason || !*in->reason)
		viol_add(&r->viol, "reason", "a judgement needs its reason");
	else if ((why = text_check_field(in->reason, 4000)))
		viol_add(&r->viol, "reason", "%s", why);
	if (r->viol.n) {
		req_fail_violations(r, "cannot record the judgement");
		return;
	}
	char *year = arena_printf(r->arena, "%u", in->year);
	char *reason = text_nfc(r->arena, in->reason, strlen(in->reason));
	if (!year || !reason) {
		req_fail_oom(r);
		return;
	}
	req_write(r, SQL_TARGET_JUDGE, 5, req_ctx(r), in->code, year, in->met ? "t" : "f", reason);
}
