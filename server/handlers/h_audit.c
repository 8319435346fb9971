/* The audit trail: a pledge's history, and checking the chain. */
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "handlers.h"

typedef struct {
	arena_t *scratch;  /* the entry's documents and paths */
	arena_t *keep;     /* the lines, which go into the answer */
	char **lines;
	size_t n;
	bool oom;
} changes_t;

static void on_change(void *arg, const char *path, const doc_node_t *old, const doc_node_t *new_)
{
	changes_t *c = arg;
	if (c->oom || c->n > LIMIT_HISTORY_CHANGES)
		return;
	if (!path) {  /* doc_diff could not make the path: out of memory */
		c->oom = true;
		return;
	}
	if (c->n == LIMIT_HISTORY_CHANGES) {
		c->lines[c->n++] = "…";
		return;
	}
	if (!strcmp(path, "version") || !strcmp(path, "updated_at") || !strcmp(path, "updated_by"))
		return;
	const char *line = doc_diff_line(c->scratch, path, old, new_);
	if (line && !(c->lines[c->n++] = arena_strdup(c->keep, line)))
		c->oom = true;
}

static doc_node_t *json_col(arena_t *a, const PGresult *res, int row, int col)
{
	const char *err;
	if (PQgetisnull(res, row, col))
		return NULL;
	return doc_parse_json(a, PQgetvalue(res, row, col), (size_t)PQgetlength(res, row, col), &err);
}

/* The entry's changes (path: old -> new), its two documents parsed in an
 * arena of their own so that a page costs one entry's documents at a time;
 * false when memory ran out. */
static bool entry_changes(req_t *r, const PGresult *res, int i, Yk__HistoryEntry *e)
{
	if (PQgetisnull(res, i, HISTORY_COL_BEFORE) && PQgetisnull(res, i, HISTORY_COL_AFTER))
		return true;
	changes_t c = { .keep = r->arena, .lines = arena_alloc(r->arena, sizeof(char *) * (LIMIT_HISTORY_CHANGES + 1)) };
	if (!c.lines || !(c.scratch = arena_new(req_arena_cap(r->srv))))
		return false;
	doc_node_t *before = json_col(c.scratch, res, i, HISTORY_COL_BEFORE);
	doc_node_t *after = json_col(c.scratch, res, i, HISTORY_COL_AFTER);
	if (before && after)
		doc_diff(c.scratch, before, after, "", on_change, &c);
	else if (after && !strcmp(e->op ? e->op : "", "pledge_apply"))
		c.lines[c.n++] = "created";
	bool ok = !c.oom && !arena_capped(c.scratch);
	arena_free(c.scratch);
	e->changes = c.lines;
	e->n_changes = c.n;
	return ok;
}

static void on_history(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	/* the newest limit + 1 came, newest first: one more than asked says
	 * that older ones exist */
	size_t limit = r->msg->pledge_history->limit ? r->msg->pledge_history->limit : LIMIT_HISTORY_PAGE;
	size_t rows = (size_t)PQntuples(res), n = 0;
	/* the page: up to limit entries, ending where the documents before an
	 * entry pass LIMIT_HISTORY_PAGE_BYTES (the query sent one more) */
	while (n < rows && n < limit &&
	       strtoull(PQgetvalue(res, (int)n, HISTORY_COL_BYTES_BEFORE), NULL, 10) < LIMIT_HISTORY_PAGE_BYTES)
		n++;
	/* the history is the record, not who wrote from where: a viewer (and
	 * what is published) sees no client addresses */
	bool peers = !(r->who.role_bit & YK_ROLE_VIEWER);
	Yk__PledgeHistoryReply *rep = arena_alloc(r->arena, sizeof(*rep));
	Yk__HistoryEntry **es = arena_alloc(r->arena, sizeof(*es) * (n ? n : 1));
	if (!rep || !es)
		goto oom;
	yk__pledge_history_reply__init(rep);
	for (size_t k = 0; k < n; k++) {
		int i = (int)(n - 1 - k); /* oldest first */
		Yk__HistoryEntry *e = arena_alloc(r->arena, sizeof(*e));
		if (!e)
			goto oom;
		yk__history_entry__init(e);
		e->has_id = 1;
		e->id = strtoull(PQgetvalue(res, i, HISTORY_COL_ID), NULL, 10);
		e->at = req_col(r, res, i, HISTORY_COL_AT);
		e->login = req_col(r, res, i, HISTORY_COL_LOGIN);
		e->peer = peers ? req_col(r, res, i, HISTORY_COL_PEER) : NULL;
		e->request_id = req_col(r, res, i, HISTORY_COL_REQUEST_ID);
		e->op = req_col(r, res, i, HISTORY_COL_OP);
		e->outcome = req_col(r, res, i, HISTORY_COL_OUTCOME);
		e->status = req_col(r, res, i, HISTORY_COL_STATUS);
		e->message = req_col(r, res, i, HISTORY_COL_MESSAGE);
		if (!PQgetisnull(res, i, HISTORY_COL_VERSION)) {
			e->has_version = 1;
			e->version = strtoll(PQgetvalue(res, i, HISTORY_COL_VERSION), NULL, 10);
		}
		if (!entry_changes(r, res, i, e))
			goto oom;
		es[k] = e;
	}
	rep->entries = es;
	rep->n_entries = n;
	rep->has_more = 1;
	rep->more = rows > n;
	r->resp.body_case = YK__RESPONSE__BODY_PLEDGE_HISTORY;
	r->resp.pledge_history = rep;
	req_finish(r);
	return;
oom:
	req_fail_oom(r);
}

void h_history(req_t *r)
{
	Yk__PledgeHistory *in = r->msg->pledge_history;
	const char *why = text_check_name(in->code, 64);
	if (why)
		viol_add(&r->viol, "code", "%s", why);
	if (in->limit > LIMIT_HISTORY_PAGE_MAX)
		viol_add(&r->viol, "limit", "%u is more than %d entries at once: page with before_version", in->limit,
			 LIMIT_HISTORY_PAGE_MAX);
	if (in->has_before_version && in->before_version < 1)
		viol_add(&r->viol, "before_version", "must be a version (1 or more)");
	if (r->viol.n) {
		req_fail_violations(r, "cannot show the history");
		return;
	}
	char *before = in->has_before_version ? arena_printf(r->arena, "%lld", (long long)in->before_version) : NULL;
	char *limit = arena_printf(r->arena, "%u", in->limit ? in->limit : LIMIT_HISTORY_PAGE);
	char *bytes = arena_printf(r->arena, "%u", LIMIT_HISTORY_PAGE_BYTES);
	if (!limit || !bytes) {
		req_fail_oom(r);
		return;
	}
	req_db(r, SQL_HISTORY, on_history, 5, in->code, in->refused ? "t" : "f", before, limit, bytes);
}

static void on_verified(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__AuditVerifyReply *rep = arena_alloc(r->arena, sizeof(*rep));
	if (!rep) {
		req_fail_oom(r);
		return;
	}
	yk__audit_verify_reply__init(rep);
	rep->has_ok = 1;
	rep->ok = PQgetvalue(res, 0, VERIFY_COL_OK)[0] == 't';
	rep->has_checked = 1;
	rep->checked = strtoull(PQgetvalue(res, 0, VERIFY_COL_CHECKED), NULL, 10);
	if (!PQgetisnull(res, 0, VERIFY_COL_BAD_ID)) {
		rep->has_bad_id = 1;
		rep->bad_id = strtoull(PQgetvalue(res, 0, VERIFY_COL_BAD_ID), NULL, 10);
	}
	rep->reason = req_col(r, res, 0, VERIFY_COL_REASON);
	rep->has_repaired = 1;
	rep->repaired = strtoull(PQgetvalue(res, 0, VERIFY_COL_REPAIRED), NULL, 10);
	r->resp.body_case = YK__RESPONSE__BODY_AUDIT_VERIFY;
	r->resp.audit_verify = rep;
	req_finish(r);
}

void h_audit_verify(req_t *r)
{
	req_db(r, SQL_AUDIT_VERIFY, on_verified, 0);
}
