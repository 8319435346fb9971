/* Quick updates: one change applied by the server to the pledge as it is now.
 * The daemon reads the current document, changes it, checks it like any
 * document and writes it with the version it read; a version conflict with a
 * writer elsewhere is retried.  A progress item is the exception: checked on
 * its own and written as one row, in a group (progress_add below).  Updates
 * of one pledge take turns (keylock.c). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "docmap.h"
#include "handlers.h"
#include "log.h"
#include "period.h"
#include "pledge_check.h"
#include "sqlstate.h"
#include "text.h"


typedef struct {
	keylock_waiter_t w;
	req_t *r;
	int attempts;
	gc_wait_t gc;  /* the update waiting for its group */
} upd_t;

static void fetch(req_t *r);

/* ------------------------------------------------------------- tree edits */

static int put(arena_t *a, doc_node_t *map, const char *key, doc_node_t *val)
{
	if (!val)
		return -1;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key)) {
			map->items[i] = val;
			return 0;
		}
	return doc_set(a, map, key, val);
}

static doc_node_t *text_node(req_t *r, const char *s)
{
	char *nfc = s ? text_nfc(r->arena, s, strlen(s)) : NULL;
	return nfc ? doc_str(r->arena, nfc, strlen(nfc)) : NULL;
}

static bool same_text(req_t *r, const doc_node_t *n, const char *s)
{
	const char *nfc = text_nfc(r->arena, s, strlen(s));
	return n && n->type == DOC_STR && nfc && !strcmp(n->s, nfc);
}

static doc_node_t *number_node(req_t *r, const Yk__Decimal *d, const char *path)
{
	char *canon = d && d->value ? doc_num_canon(r->arena, d->value, strlen(d->value)) : NULL;
	if (!canon) {
		viol_add(&r->viol, path, "\"%s\" is not a number", d && d->value ? d->value : "");
		return NULL;
	}
	return doc_num(r->arena, canon);
}

/* Each edit returns false after failing the request. */

static bool edit_indicator(req_t *r, doc_node_t *doc, const Yk__IndicatorValueSet *in)
{
	arena_t *a = r->arena;
	const char *field = !strcmp(in->kind, "target") ? "targets" : "actuals";
	const doc_node_t *sets = doc_get(doc, "indicator_sets");
	doc_node_t *ind = NULL;
	/* the last set first: a table's 변경 rows follow its 당초 rows, and an
	 * indicator of both is the changed one's to report */
	for (size_t s = sets && sets->type == DOC_SEQ ? sets->n : 0; s-- > 0 && !ind;) {
		const doc_node_t *periods = doc_get(sets->items[s], "periods");
		bool has = false;
		for (size_t k = 0; periods && k < periods->n; k++)
			has |= periods->items[k]->type == DOC_STR && !strcmp(periods->items[k]->s, in->period);
		const doc_node_t *inds = doc_get(sets->items[s], "indicators");
		for (size_t k = 0; has && inds && k < inds->n; k++)
			if (same_text(r, doc_get(inds->items[k], "name"), in->indicator))
				ind = inds->items[k];
	}
	if (!ind) {
		req_fail(r, YK__REASON__REASON_NOT_FOUND, "no indicator \"%s\" in an indicator set with the period %s", in->indicator,
			 in->period);
		return false;
	}
	doc_node_t *val;
	if (in->value->kind_case == YK__VALUE__KIND_TEXT)
		val = text_node(r, in->value->text);
	else
		val = number_node(r, in->value->number, "value");
	if (!val) {
		req_fail_violations(r, "cannot set the indicator");
		return false;
	}
	doc_node_t *cells = doc_child(a, ind, field, DOC_MAP);
	if (!cells || put(a, cells, in->period, val)) {
		req_fail_oom(r);
		return false;
	}
	return true;
}

static bool edit_budget(req_t *r, doc_node_t *doc, const Yk__BudgetCellSet *in)
{
	arena_t *a = r->arena;
	doc_node_t *srcs = doc_child(a, doc_child(a, doc, "budget", DOC_MAP), "sources", DOC_MAP);
	doc_node_t *cell = doc_child(a, doc_child(a, doc_child(a, srcs, in->source, DOC_MAP), "amounts", DOC_MAP), in->period, DOC_MAP);
	if (!cell) {
		req_fail_oom(r);
		return false;
	}
	const struct {
		const char *key;
		const Yk__Decimal *val;
	} f[] = { { "secured", in->secured }, { "executed", in->executed }, { "planned", in->planned } };
	for (size_t i = 0; i < 3; i++) {
		if (!f[i].val)
			continue;
		doc_node_t *n = number_node(r, f[i].val, f[i].key);
		if (n && put(a, cell, f[i].key, n)) {
			req_fail_oom(r);
			return false;
		}
	}
	if (r->viol.n) {
		req_fail_violations(r, "cannot set the budget");
		return false;
	}
	return true;
}

static bool edit_status(req_t *r, doc_node_t *doc, const Yk__StatusSet *in)
{
	if (in->status && put(r->arena, doc, "status", text_node(r, in->status)))
		goto oom;
	if (in->progress_pct) {
		doc_node_t *n = number_node(r, in->progress_pct, "progress_pct");
		if (!n) {
			req_fail_violations(r, "cannot set the status");
			return false;
		}
		if (put(r->arena, doc, "progress_pct", n))
			goto oom;
	}
	return true;
oom:
	req_fail_oom(r);
	return false;
}

static bool edit_evaluation_add(req_t *r, doc_node_t *doc, const Yk__EvaluationAdd *in)
{
	arena_t *a = r->arena;
	doc_node_t *evs = doc_child(a, doc, "evaluations", DOC_SEQ);
	doc_node_t *ev = doc_new(a, DOC_MAP);
	if (!evs || !ev || (in->round && *in->round && doc_set(a, ev, "round", text_node(r, in->round))) ||
	    (in->committee && *in->committee && doc_set(a, ev, "committee", text_node(r, in->committee))) ||
	    doc_set(a, ev, "suggestion", text_node(r, in->suggestion)) || doc_push(a, evs, ev)) {
		req_fail_oom(r);
		return false;
	}
	return true;
}

static bool edit_evaluation_answer(req_t *r, doc_node_t *doc, const Yk__EvaluationAnswer *in)
{
	arena_t *a = r->arena;
	doc_node_t *evs = (doc_node_t *)doc_get(doc, "evaluations");
	if (!evs || evs->type != DOC_SEQ || in->index >= evs->n) {
		req_fail(r, YK__REASON__REASON_NOT_FOUND, "the pledge has no evaluation suggestion number %u", in->index + 1);
		return false;
	}
	doc_node_t *acts = doc_child(a, evs->items[in->index], "actions", DOC_SEQ);
	doc_node_t *act = doc_new(a, DOC_MAP);
	if (!acts || !act || doc_set(a, act, "text", text_node(r, in->text)) || doc_push(a, acts, act)) {
		req_fail_oom(r);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------- the flow */

bool h_pledge_update_one_statement(const Yk__Request *m)
{
	return m->pledge_update->change_case == YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD;
}

static bool is_evaluator_only(const req_t *r)
{
	return (r->who.role_bit & YK_ROLE_EVALUATOR) != 0;
}

static void on_written(gc_wait_t *w, db_outcome_t outcome, const PGresult *res, const doc_node_t *answer)
{
	upd_t *u = (upd_t *)((char *)w - offsetof(upd_t, gc));
	req_t *r = u->r;
	const doc_node_t *err = answer ? doc_get(answer, "error") : NULL;
	const char *state = err ? doc_text(err, "state") : NULL;
	/* Someone else wrote the pledge between our read and our write (a
	 * whole document, or another daemon): do it again on the new state. */
	if (state && !strcmp(state, YK_SQLSTATE_CONFLICT) && !r->msg->pledge_update->has_if_version &&
	    ++u->attempts < LIMIT_UPDATE_ATTEMPTS) {
		fetch(r);
		return;
	}
	req_group_done(r, outcome, res, answer);
}

static void on_current(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	Yk__PledgeUpdate *in = r->msg->pledge_update;
	if (!req_db_ok(r, outcome, res))
		return;
	if (PQntuples(res) == 0) {
		req_fail(r, YK__REASON__REASON_NOT_FOUND, "no pledge has the code %s", in->code);
		return;
	}
	/* Through the protocol form, so the tree is exactly what an apply of
	 * the fetched document would send. */
	doc_node_t *doc = NULL;
	ProtobufCMessage *m = req_stored(r, PQgetvalue(res, 0, SQL_COL_ONE), (size_t)PQgetlength(res, 0, SQL_COL_ONE),
					 &yk__pledge__descriptor, "the stored pledge", &doc);
	if (!m)
		return;
	int64_t version = ((Yk__Pledge *)m)->version;
	if (in->has_if_version && in->if_version != version) {
		req_fail(r, YK__REASON__REASON_VERSION_CONFLICT, "pledge %s is at version %lld, not %lld", in->code,
			 (long long)version, (long long)in->if_version);
		return;
	}
	const doc_node_t *dept = doc_get(doc, "department");
	if ((r->who.role_bit & YK_ROLE_DEPARTMENT) &&
	    !(dept && dept->type == DOC_STR && r->who.department && !strcmp(dept->s, r->who.department))) {
		req_fail(r, YK__REASON__REASON_FORBIDDEN, "pledge %s belongs to another department", in->code);
		return;
	}
	bool ok = false;
	/* the sections this change can touch: only their tables are rewritten */
	const char *sections = "[]";
	switch (in->change_case) {
	/* progress items never come here: progress_add writes them as one row */
	case YK__PLEDGE_UPDATE__CHANGE_INDICATOR_SET:
		ok = edit_indicator(r, doc, in->indicator_set);
		sections = "[\"indicator_sets\"]";
		break;
	case YK__PLEDGE_UPDATE__CHANGE_BUDGET_SET:
		ok = edit_budget(r, doc, in->budget_set);
		sections = "[\"budget\"]";
		break;
	case YK__PLEDGE_UPDATE__CHANGE_STATUS_SET: {
		const char *was = doc_text(doc, "status");
		const char *to = in->status_set->status;
		if ((r->who.role_bit & YK_ROLE_DEPARTMENT) && to && (!strcmp(to, "completed") || !strcmp(to, "completed_ongoing")) &&
		    !(was && !strcmp(was, to))) {
			change_propose_completion(r, doc, version, in->status_set, in->code);
			return;
		}
		ok = edit_status(r, doc, in->status_set);
		break;
	}
	case YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ADD:
		ok = edit_evaluation_add(r, doc, in->evaluation_add);
		sections = "[\"evaluations\"]";
		break;
	case YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ANSWER:
		ok = edit_evaluation_answer(r, doc, in->evaluation_answer);
		sections = "[\"evaluations\"]";
		break;
	default: req_fail(r, YK__REASON__REASON_MALFORMED, "the update names no change");
	}
	if (!ok)
		return;
	const char *text = pledge_prepare(r, doc);
	if (!text)
		return;
	/* written in a group with the other quick updates and progress items
	 * (yk_progress_add: yk_pledge_write of these sections), so that it
	 * shares their commit instead of waiting for one of its own */
	upd_t *u = r->state;
	u->gc.key = in->code;
	u->gc.json = pledge_write_element(r, text, &version, false, is_evaluator_only(r), sections);
	u->gc.cb = on_written;
	if (!u->gc.json) {
		req_fail_oom(r);
		return;
	}
	gcommit_add(&r->srv->progress, &u->gc);
}

static void fetch(req_t *r)
{
	req_db(r, SQL_PLEDGE_GET, on_current, 1, r->msg->pledge_update->code);
}

static void progress_add(req_t *r, const Yk__PledgeUpdate *in);

static void take_turn(keylock_waiter_t *w)
{
	upd_t *u = (upd_t *)((char *)w - offsetof(upd_t, w));
	Yk__PledgeUpdate *in = u->r->msg->pledge_update;
	u->r->lock_key = in->code;
	if (in->change_case == YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD)
		progress_add(u->r, in);
	else
		fetch(u->r);
}

static void need(req_t *r, const char *path, const char *s)
{
	const char *why = pledge_text_is_paragraph(path) ? text_check_field(s, 4000) : text_check_name(s, 4000);
	if (why)
		viol_add(&r->viol, path, "%s", why);
}

/* Appends m to a repeated message field of the unpacked cache entry (its
 * arrays live in the request's arena).  0 or -1. */
static int append(arena_t *a, void ***arr, size_t *n, void *m)
{
	void **grown = m ? arena_grow(a, *arr, *n * sizeof(*grown), (*n + 1) * sizeof(*grown)) : NULL;
	if (!grown)
		return -1;
	grown[(*n)++] = m;
	*arr = grown;
	return 0;
}

/* The previous version, as this daemon built it for reads, with what the
 * database added to section 4 put where it went -- the item, or the new
 * activity or heading, as section 4's builders made it (`built`:
 * {kind, group, activity, json}, functions/progress.sql) -- and the new
 * stamp: the packed message a build of the new version would give (progress
 * counts for none of the derived figures), without parsing the whole
 * document again.  Anything unexpected and the entry is simply left to be
 * built on the next read. */
static void cache_patch(req_t *r, const char *code, const doc_node_t *res, const doc_node_t *built)
{
	arena_t *a = r->arena;
	const doc_node_t *v = doc_get(res, "version");
	const doc_node_t *at = doc_get(res, "updated_at"), *by = doc_get(res, "updated_by");
	const char *kind = doc_text(built, "kind");
	const doc_node_t *piece = doc_get(built, "json");
	int64_t g = result_int(built, "group") - 1, ai = result_int(built, "activity") - 1;
	if (!v || v->type != DOC_NUM || !at || at->type != DOC_STR || !by || by->type != DOC_STR || !kind || !piece ||
	    piece->type != DOC_MAP || g < 0 || ai < 0)
		return;
	int64_t version = strtoll(v->s, NULL, 10);
	Yk__Pledge *pl = pledge_cache_unpacked(r, code, version - 1);
	if (!pl)
		return;
	if (!pl->progress) {
		if (!(pl->progress = arena_alloc(a, sizeof(*pl->progress))))
			return;
		yk__progress__init(pl->progress);
	}
	Yk__Progress *pr = pl->progress;
	viol_list_t viol;
	viol_init(&viol, a);
	int rc = -1;
	if (!strcmp(kind, "group") && (size_t)g == pr->n_by_indicator) {
		rc = append(a, (void ***)&pr->by_indicator, &pr->n_by_indicator,
			    docmap_from_tree(a, piece, &yk__indicator_progress__descriptor, "", DOCMAP_STORED, &viol));
	} else if ((size_t)g < pr->n_by_indicator) {
		Yk__IndicatorProgress *grp = pr->by_indicator[g];
		if (!strcmp(kind, "activity") && (size_t)ai == grp->n_activities)
			rc = append(a, (void ***)&grp->activities, &grp->n_activities,
				    docmap_from_tree(a, piece, &yk__activity__descriptor, "", DOCMAP_STORED, &viol));
		else if (!strcmp(kind, "item") && (size_t)ai < grp->n_activities)
			rc = append(a, (void ***)&grp->activities[ai]->items, &grp->activities[ai]->n_items,
				    docmap_from_tree(a, piece, &yk__item__descriptor, "", DOCMAP_STORED, &viol));
	}
	if (rc || viol.n || viol.oom)
		return;
	pl->has_version = 1;
	pl->version = version;
	pl->updated_at = (char *)at->s;
	pl->updated_by = (char *)by->s;
	if (pledge_cache_keep(r, code, pl) == 0)
		log_info("event=read_cache_patched code=%s version=%lld", code, (long long)version);
}

static void on_progress_added(gc_wait_t *w, db_outcome_t outcome, const PGresult *res, const doc_node_t *answer)
{
	upd_t *u = (upd_t *)((char *)w - offsetof(upd_t, gc));
	req_t *r = u->r;
	const doc_node_t *result = answer && !doc_get(answer, "error") ? doc_get(answer, "result") : NULL;
	const doc_node_t *rep = result ? doc_get(result, "replayed") : NULL;
	if (result && !(rep && rep->type == DOC_BOOL && rep->b))
		cache_patch(r, r->msg->pledge_update->code, result, doc_get(answer, "built"));
	req_group_done(r, outcome, res, answer);
}

/* An item added to section 4 touches nothing else: it is checked here on
 * its own and written as one row (yk_progress_add, migration 0010) instead of
 * reading, changing and rewriting the whole document.  The heading and the
 * activity are found (or made) under the pledge's row lock, so there is no
 * conflict to retry; it still takes its turn with the pledge's other quick
 * updates here, which read, change and write the whole document and would
 * otherwise keep losing the race to a stream of added items. */
static void progress_add(req_t *r, const Yk__PledgeUpdate *in)
{
	const Yk__ProgressAdd *p = in->progress_add;
	arena_t *a = r->arena;
	doc_node_t *item = doc_new(a, DOC_MAP);
	const struct {
		const char *key, *val;
	} f[] = { { "label", p->label }, { "text", p->text }, { "date", p->date }, { "until", p->until }, { "note", p->note },
		  { "activity", p->activity } };
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].val && *f[i].val)
			need(r, f[i].key, f[i].val);
	if (r->viol.n) {
		req_fail_violations(r, "cannot add the progress item");
		return;
	}
	for (size_t i = 0; item && i < 5; i++)
		if (f[i].val && *f[i].val && doc_set(a, item, f[i].key, text_node(r, f[i].val)))
			item = NULL;
	const char *indicator = text_nfc(a, p->indicator, strlen(p->indicator));
	const char *activity = p->activity && *p->activity ? text_nfc(a, p->activity, strlen(p->activity)) : NULL;
	if (!item || !indicator || (p->activity && *p->activity && !activity)) {
		req_fail_oom(r);
		return;
	}
	pledge_check_item(a, item, "", &r->viol);
	if (r->viol.n || r->viol.oom) {
		req_fail_violations(r, "cannot add the progress item");
		return;
	}
	/* yk_progress_item's arguments, as one element of the group's array */
	doc_node_t *q = doc_new(a, DOC_MAP);
	const struct {
		const char *key;
		doc_node_t *val;
	} args[] = {
		{ "ctx", req_ctx_tree(r) },
		{ "code", doc_str(a, in->code, strlen(in->code)) },
		{ "indicator", doc_str(a, indicator, strlen(indicator)) },
		{ "activity", activity ? doc_str(a, activity, strlen(activity)) : NULL },
		{ "item", item },
		{ "expected_version", in->has_if_version ? doc_num(a, arena_printf(a, "%lld", (long long)in->if_version)) : NULL },
		{ "writer_department", (r->who.role_bit & YK_ROLE_DEPARTMENT) && r->who.department_id
					       ? doc_num(a, r->who.department_id) : NULL },
		/* the hash of a session known only from the cache, to be confirmed */
		{ "session", r->session_unchecked ? doc_str(a, r->session_hash + 2, strlen(r->session_hash + 2)) : NULL },
	};
	bool oom = !q || !args[0].val || !args[1].val || !args[2].val;
	for (size_t i = 0; !oom && i < sizeof(args) / sizeof(args[0]); i++)
		oom = args[i].val && doc_set(a, q, args[i].key, args[i].val);
	upd_t *u = r->state;
	u->gc.key = in->code;
	u->gc.json = oom ? NULL : doc_json_text(a, q);
	u->gc.cb = on_progress_added;
	if (!u->gc.json) {
		req_fail_oom(r);
		return;
	}
	gcommit_add(&r->srv->progress, &u->gc);
}

void h_pledge_update(req_t *r)
{
	Yk__PledgeUpdate *in = r->msg->pledge_update;
	need(r, "code", in->code);
	const char *why_reason;
	if (in->reason && *in->reason && (why_reason = text_check_field(in->reason, 4000)))
		viol_add(&r->viol, "reason", "%s", why_reason);
	bool eval_add = in->change_case == YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ADD;
	if (is_evaluator_only(r) != eval_add && !(r->who.role_bit & (YK_ROLE_ADMIN | YK_ROLE_COORDINATOR))) {
		req_fail(r, YK__REASON__REASON_FORBIDDEN, is_evaluator_only(r)
				 ? "an evaluator may only add evaluation suggestions"
				 : "evaluation suggestions are added by evaluators (and coordinators)");
		return;
	}
	switch (in->change_case) {
	case YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD:
		need(r, "indicator", in->progress_add->indicator);
		if (!(in->progress_add->text && *in->progress_add->text) && !(in->progress_add->label && *in->progress_add->label))
			viol_add(&r->viol, "text", "is required");
		break;
	case YK__PLEDGE_UPDATE__CHANGE_INDICATOR_SET: {
		Yk__IndicatorValueSet *s = in->indicator_set;
		need(r, "indicator", s->indicator);
		need(r, "period", s->period);
		if (!s->kind || (strcmp(s->kind, "target") && strcmp(s->kind, "actual")))
			viol_add(&r->viol, "kind", "must be target or actual");
		if (!s->value || s->value->kind_case == YK__VALUE__KIND__NOT_SET)
			viol_add(&r->viol, "value", "is required");
		break;
	}
	case YK__PLEDGE_UPDATE__CHANGE_BUDGET_SET: {
		Yk__BudgetCellSet *b = in->budget_set;
		need(r, "source", b->source);
		need(r, "period", b->period);
		if (!b->secured && !b->executed && !b->planned)
			viol_add(&r->viol, "amount", "give secured, executed or planned");
		break;
	}
	case YK__PLEDGE_UPDATE__CHANGE_STATUS_SET:
		if (!in->status_set->status && !in->status_set->progress_pct)
			viol_add(&r->viol, "status", "give a status, a progress or both");
		break;
	case YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ADD:
		need(r, "suggestion", in->evaluation_add->suggestion);
		break;
	case YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ANSWER:
		need(r, "text", in->evaluation_answer->text);
		break;
	default:
		viol_add(&r->viol, "change", "the update names no change");
	}
	if (r->viol.n) {
		req_fail_violations(r, "the update was refused");
		return;
	}
	upd_t *u = arena_calloc(r->arena, sizeof(*u));
	if (!u) {
		req_fail_oom(r);
		return;
	}
	u->r = r;
	u->w.run = take_turn;
	r->state = u;
	keylock_acquire(&r->srv->locks, in->code, &u->w);
}
