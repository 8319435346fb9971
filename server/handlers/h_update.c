/* Quick updates: one change applied to the pledge as it is now.  Each is
 * checked here on its own, against the rules that concern it, and written
 * by one function of functions/progress.sql -- a row or two -- which checks
 * what needs the stored pledge (its version and department, the guards of
 * changes and closed rounds) under the pledge's row lock and derives the new
 * version's document from the previous one with the sections it touched
 * built again.  The daemon then puts what changed into the version it holds
 * built for reads (cache_patch), instead of building the new one.  All of
 * them are written in groups (gcommit.c), and updates of one pledge take
 * turns (keylock.c).  One exception: a department that sets its pledge
 * completed proposes it to the coordinator (change_propose_completion),
 * which needs the card as it is. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "derived.h"
#include "doc_io.h"
#include "docmap.h"
#include "handlers.h"
#include "log.h"
#include "period.h"
#include "pledge_check.h"
#include "text.h"

typedef struct {
	keylock_waiter_t w;
	req_t *r;
	gc_wait_t gc;  /* the update waiting for its group */
} upd_t;

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

static bool is_completion(const char *status)
{
	return status && (!strcmp(status, "completed") || !strcmp(status, "completed_ongoing"));
}

/* Whether the update runs as one statement that confirms the session and
 * answers a repeated idempotency key itself: all but a completion, which a
 * department proposes (read first, then a change request). */
bool h_pledge_update_one_statement(const Yk__Request *m)
{
	const Yk__PledgeUpdate *in = m->pledge_update;
	return !(in->change_case == YK__PLEDGE_UPDATE__CHANGE_STATUS_SET && is_completion(in->status_set->status));
}

static bool is_evaluator_only(const req_t *r)
{
	return (r->who.role_bit & YK_ROLE_EVALUATOR) != 0;
}

static void fast_status(req_t *r, const Yk__PledgeUpdate *in);

/* A department's completion: the card as it is, for the proposal. */
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
	if (!(dept && dept->type == DOC_STR && r->who.department && !strcmp(dept->s, r->who.department))) {
		req_fail(r, YK__REASON__REASON_FORBIDDEN, "pledge %s belongs to another department", in->code);
		return;
	}
	const char *was = doc_text(doc, "status");
	if (was && !strcmp(was, in->status_set->status))
		fast_status(r, in);  /* completed already: the progress, if any, is the department's to set */
	else
		change_propose_completion(r, doc, version, in->status_set, in->code);
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

/* The new version's build from the previous one this daemon holds built for
 * reads, as a fast path's answer describes it (`built`, functions/
 * progress.sql), without parsing the whole document again:
 *  - {"kind": "parts", "json": {key: value}}: the top-level keys that
 *    changed, as their builders made them (a null: the key is gone), put in
 *    the previous version's tree, the derived figures worked out again;
 *  - {kind: item | activity | group, group, activity, json}: what was added
 *    to section 4, as its level's builder made it, put in its place (progress
 *    counts for none of the derived figures), and the new stamp.
 * Either is the packed message a build of the new version would give.
 * Anything unexpected and the entry is simply left to be built on the next
 * read. */
static Yk__Pledge *with_parts(req_t *r, Yk__Pledge *pl, const doc_node_t *parts)
{
	arena_t *a = r->arena;
	doc_node_t *doc = docmap_to_tree(a, &pl->base);
	if (!doc || !parts || parts->type != DOC_MAP)
		return NULL;
	for (size_t i = 0; i < parts->n; i++) {
		if (parts->items[i]->type == DOC_NULL)
			doc_del(doc, parts->keys[i]);
		else if (put(a, doc, parts->keys[i], parts->items[i]))
			return NULL;
	}
	if (derived_add(a, doc, day_today()))
		return NULL;
	viol_list_t viol;
	viol_init(&viol, a);
	Yk__Pledge *m = (Yk__Pledge *)docmap_from_tree(a, doc, &yk__pledge__descriptor, "", DOCMAP_STORED, &viol);
	return viol.n || viol.oom ? NULL : m;
}

static Yk__Pledge *with_piece(req_t *r, Yk__Pledge *pl, const doc_node_t *res, const doc_node_t *built, const char *kind)
{
	arena_t *a = r->arena;
	const doc_node_t *at = doc_get(res, "updated_at"), *by = doc_get(res, "updated_by");
	const doc_node_t *piece = doc_get(built, "json");
	int64_t g = result_int(built, "group") - 1, ai = result_int(built, "activity") - 1;
	if (!at || at->type != DOC_STR || !by || by->type != DOC_STR || !piece || piece->type != DOC_MAP || g < 0 || ai < 0)
		return NULL;
	if (!pl->progress) {
		if (!(pl->progress = arena_alloc(a, sizeof(*pl->progress))))
			return NULL;
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
		return NULL;
	pl->updated_at = (char *)at->s;
	pl->updated_by = (char *)by->s;
	return pl;
}

static void cache_patch(req_t *r, const char *code, const doc_node_t *res, const doc_node_t *built)
{
	const doc_node_t *v = doc_get(res, "version");
	const char *kind = doc_text(built, "kind");
	if (!v || v->type != DOC_NUM || !kind)
		return;
	int64_t version = strtoll(v->s, NULL, 10);
	Yk__Pledge *pl = pledge_cache_unpacked(r, code, version - 1);
	if (!pl)
		return;
	pl = !strcmp(kind, "parts") ? with_parts(r, pl, doc_get(built, "json")) : with_piece(r, pl, res, built, kind);
	if (!pl)
		return;
	pl->has_version = 1;
	pl->version = version;
	if (pledge_cache_keep(r, code, pl) == 0)
		log_info("event=read_cache_patched code=%s version=%lld", code, (long long)version);
}

static void on_fast_written(gc_wait_t *w, db_outcome_t outcome, const PGresult *res, const doc_node_t *answer)
{
	upd_t *u = (upd_t *)((char *)w - offsetof(upd_t, gc));
	req_t *r = u->r;
	const doc_node_t *result = answer && !doc_get(answer, "error") ? doc_get(answer, "result") : NULL;
	const doc_node_t *rep = result ? doc_get(result, "replayed") : NULL;
	if (result && !(rep && rep->type == DOC_BOOL && rep->b))
		cache_patch(r, r->msg->pledge_update->code, result, doc_get(answer, "built"));
	req_group_done(r, outcome, res, answer);
}

typedef struct {
	const char *key;
	doc_node_t *val;
} arg_t;

/* A fast path's element of the group's array: `kind`, the arguments every
 * fast path takes (yk_quick_begin's) and the change's own (`own`, n of
 * them; a NULL value is left out).  Queued in the group, or the request
 * failed. */
static void fast_write(req_t *r, const Yk__PledgeUpdate *in, const char *kind, const arg_t *own, size_t n)
{
	arena_t *a = r->arena;
	doc_node_t *q = doc_new(a, DOC_MAP);
	const arg_t common[] = {
		{ "kind", kind ? doc_str(a, kind, strlen(kind)) : NULL },
		{ "ctx", req_ctx_tree(r) },
		{ "code", doc_str(a, in->code, strlen(in->code)) },
		{ "expected_version", in->has_if_version ? doc_num(a, arena_printf(a, "%lld", (long long)in->if_version)) : NULL },
		{ "writer_department", (r->who.role_bit & YK_ROLE_DEPARTMENT) && r->who.department_id
					       ? doc_num(a, r->who.department_id) : NULL },
		/* the hash of a session known only from the cache, to be confirmed */
		{ "session", r->session_unchecked ? doc_str(a, r->session_hash + 2, strlen(r->session_hash + 2)) : NULL },
	};
	bool oom = !q || !common[1].val || !common[2].val;
	for (size_t i = 0; !oom && i < sizeof(common) / sizeof(common[0]); i++)
		oom = common[i].val && doc_set(a, q, common[i].key, common[i].val);
	for (size_t i = 0; !oom && i < n; i++)
		oom = own[i].val && doc_set(a, q, own[i].key, own[i].val);
	upd_t *u = r->state;
	u->gc.key = in->code;
	u->gc.json = oom ? NULL : doc_json_text(a, q);
	u->gc.cb = on_fast_written;
	if (!u->gc.json) {
		req_fail_oom(r);
		return;
	}
	gcommit_add(&r->srv->progress, &u->gc);
}

/* An item added to section 4 touches nothing else: it is checked here on
 * its own and written as one row (yk_progress_item) instead of reading,
 * changing and rewriting the whole document.  The heading and the activity
 * are found (or made) under the pledge's row lock, so there is no conflict
 * to retry; it still takes its turn with the pledge's other quick updates
 * here, which read, change and write the whole document and would otherwise
 * keep losing the race to a stream of added items. */
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
	const arg_t own[] = {
		{ "indicator", doc_str(a, indicator, strlen(indicator)) },
		{ "activity", activity ? doc_str(a, activity, strlen(activity)) : NULL },
		{ "item", item },
	};
	if (!own[0].val) {
		req_fail_oom(r);
		return;
	}
	fast_write(r, in, NULL, own, sizeof(own) / sizeof(own[0]));
}

/* One cell of section 3 (an indicator's target or actual for a period)
 * touches nothing else either: checked here on its own, written as one row
 * by yk_indicator_cell, which says what the whole-card guards would (a
 * department's target, a closed round's actual). */
static void indicator_cell(req_t *r, const Yk__PledgeUpdate *in)
{
	const Yk__IndicatorValueSet *s = in->indicator_set;
	arena_t *a = r->arena;
	doc_node_t *val = s->value->kind_case == YK__VALUE__KIND_TEXT ? doc_str(a, s->value->text, strlen(s->value->text))
								       : number_node(r, s->value->number, "value");
	if (val)
		pledge_check_cell(a, val, "value", &r->viol);
	if (!val || r->viol.n || r->viol.oom) {
		if (!val && !r->viol.n)
			req_fail_oom(r);
		else
			req_fail_violations(r, "cannot set the indicator");
		return;
	}
	const char *indicator = text_nfc(a, s->indicator, strlen(s->indicator));
	const char *period = text_nfc(a, s->period, strlen(s->period));
	const arg_t own[] = {
		{ "indicator", indicator ? doc_str(a, indicator, strlen(indicator)) : NULL },
		{ "period", period ? doc_str(a, period, strlen(period)) : NULL },
		{ "value_kind", doc_str(a, s->kind, strlen(s->kind)) },
		{ "value", val },
	};
	if (!own[0].val || !own[1].val || !own[2].val) {
		req_fail_oom(r);
		return;
	}
	fast_write(r, in, "indicator", own, sizeof(own) / sizeof(own[0]));
}

/* A cell of section 2: the amounts given checked here, the rest (the
 * period one of the card's, executed within secured, a closed round's
 * figures) by yk_budget_cell. */
static void budget_cell(req_t *r, const Yk__PledgeUpdate *in)
{
	const Yk__BudgetCellSet *b = in->budget_set;
	arena_t *a = r->arena;
	doc_node_t *cell = doc_new(a, DOC_MAP);
	const struct {
		const char *key;
		const Yk__Decimal *val;
	} f[] = { { "secured", b->secured }, { "executed", b->executed }, { "planned", b->planned } };
	for (size_t i = 0; i < 3; i++) {
		doc_node_t *n = f[i].val ? number_node(r, f[i].val, f[i].key) : NULL;
		if (n && cell && doc_set(a, cell, f[i].key, n))
			cell = NULL;
	}
	const char *source = text_nfc(a, b->source, strlen(b->source));
	const char *period = text_nfc(a, b->period, strlen(b->period));
	if (!cell || !source || !period) {
		req_fail_oom(r);
		return;
	}
	pledge_check_budget_cell(a, source, period, cell, &r->viol);
	if (r->viol.n || r->viol.oom) {
		req_fail_violations(r, "cannot set the budget");
		return;
	}
	const arg_t own[] = {
		{ "source", doc_str(a, source, strlen(source)) },
		{ "period", doc_str(a, period, strlen(period)) },
		{ "cell", cell },
	};
	if (!own[0].val || !own[1].val) {
		req_fail_oom(r);
		return;
	}
	fast_write(r, in, "budget", own, sizeof(own) / sizeof(own[0]));
}

/* The status and the overall progress; the guards on a status (dropped,
 * on hold) are yk_status_set's. */
static void fast_status(req_t *r, const Yk__PledgeUpdate *in)
{
	const Yk__StatusSet *s = in->status_set;
	arena_t *a = r->arena;
	doc_node_t *st = doc_new(a, DOC_MAP);
	doc_node_t *status = s->status ? doc_str(a, s->status, strlen(s->status)) : NULL;
	doc_node_t *pct = s->progress_pct ? number_node(r, s->progress_pct, "progress_pct") : NULL;
	if (!st || (s->status && (!status || doc_set(a, st, "status", status))) || (pct && doc_set(a, st, "progress_pct", pct))) {
		req_fail_oom(r);
		return;
	}
	pledge_check_status(a, st, &r->viol);
	if (r->viol.n || r->viol.oom) {
		req_fail_violations(r, "cannot set the status");
		return;
	}
	const arg_t own[] = { { "status", status }, { "progress_pct", pct } };
	fast_write(r, in, "status", own, sizeof(own) / sizeof(own[0]));
}

/* Section 6: a suggestion added (by an evaluator or a coordinator), or an
 * answer to one (by its department). */
static void evaluation(req_t *r, const Yk__PledgeUpdate *in)
{
	arena_t *a = r->arena;
	if (in->change_case == YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ANSWER) {
		const Yk__EvaluationAnswer *e = in->evaluation_answer;
		const arg_t own[] = {
			{ "answer_to", doc_num(a, arena_printf(a, "%llu", (unsigned long long)e->index + 1)) },
			{ "text", text_node(r, e->text) },
		};
		if (!own[0].val || !own[1].val)
			req_fail_oom(r);
		else
			fast_write(r, in, "evaluation", own, sizeof(own) / sizeof(own[0]));
		return;
	}
	const Yk__EvaluationAdd *e = in->evaluation_add;
	doc_node_t *ev = doc_new(a, DOC_MAP);
	const struct {
		const char *key, *val;
	} f[] = { { "round", e->round }, { "committee", e->committee }, { "suggestion", e->suggestion } };
	for (size_t i = 0; i < 3 && ev; i++)
		if (f[i].val && *f[i].val && doc_set(a, ev, f[i].key, doc_str(a, f[i].val, strlen(f[i].val))))
			ev = NULL;
	if (!ev) {
		req_fail_oom(r);
		return;
	}
	pledge_check_suggestion(a, ev, &r->viol);
	if (r->viol.n || r->viol.oom) {
		req_fail_violations(r, "cannot add the suggestion");
		return;
	}
	const arg_t own[] = { { "suggestion", ev } };
	fast_write(r, in, "evaluation", own, 1);
}

static void take_turn(keylock_waiter_t *w)
{
	upd_t *u = (upd_t *)((char *)w - offsetof(upd_t, w));
	req_t *r = u->r;
	Yk__PledgeUpdate *in = r->msg->pledge_update;
	r->lock_key = in->code;
	switch (in->change_case) {
	case YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD: progress_add(r, in); break;
	case YK__PLEDGE_UPDATE__CHANGE_INDICATOR_SET: indicator_cell(r, in); break;
	case YK__PLEDGE_UPDATE__CHANGE_BUDGET_SET: budget_cell(r, in); break;
	case YK__PLEDGE_UPDATE__CHANGE_STATUS_SET:
		if ((r->who.role_bit & YK_ROLE_DEPARTMENT) && is_completion(in->status_set->status))
			req_db(r, SQL_PLEDGE_GET, on_current, 1, in->code);
		else
			fast_status(r, in);
		break;
	case YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ADD:
	case YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ANSWER: evaluation(r, in); break;
	default: req_fail(r, YK__REASON__REASON_MALFORMED, "the update names no change");
	}
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
