/* Every rule of the pledge document spec (docs/document-format.md),
 * checked on the document tree so that each problem carries its path.  All
 * problems are collected; nothing stops at the first. */
#include "pledge_check.h"

#include "terms.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "derived.h"
#include "period.h"
#include "text.h"

#define TEXT_MAX_CHARS 4000   /* any one text */
#define VALUE_MAX_CHARS 100   /* a short text in an indicator cell */

typedef struct {
	arena_t *a;
	viol_list_t *v;
} chk_t;


bool one_of(const char *s, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		if (!strcmp(s, set[i]))
			return true;
	return false;
}

static const char *P(chk_t *c, const char *base, const char *key)
{
	return path_key(c->a, base, key);
}

static const char *I(chk_t *c, const char *base, size_t i)
{
	return path_index(c->a, base, i);
}

static const doc_node_t *get(const doc_node_t *map, const char *key)
{
	return map && map->type == DOC_MAP ? doc_get(map, key) : NULL;
}

static const char *str(const doc_node_t *map, const char *key)
{
	const doc_node_t *n = get(map, key);
	return n && n->type == DOC_STR ? n->s : NULL;
}

/* ----------------------------------------------------------------- scalars */

/* Required, and more than blanks: a title of spaces is no title. */
static void need_text(chk_t *c, const doc_node_t *map, const char *key, const char *base)
{
	const char *s = str(map, key);
	if (!s || !*s)
		viol_add(c->v, P(c, base, key), "is required");
	else if (text_is_blank(s))
		viol_add(c->v, P(c, base, key), "is only blanks");
}

static bool check_month(chk_t *c, const doc_node_t *map, const char *key, const char *base, bool required,
			int32_t *first)
{
	const char *s = str(map, key);
	if (!s) {
		if (required)
			viol_add(c->v, P(c, base, key), "is required (a month, like 2021-04)");
		return false;
	}
	int y, m;
	if (month_parse(s, &y, &m)) {
		viol_add(c->v, P(c, base, key), "\"%s\" is not a month (YYYY-MM, like 2021-04; years from 1000)", s);
		return false;
	}
	if (first)
		*first = day_from_civil(y, m, 1);
	return true;
}

static bool check_date(chk_t *c, const doc_node_t *map, const char *key, const char *base, bool required,
		       int32_t *day)
{
	const char *s = str(map, key);
	if (!s) {
		if (required)
			viol_add(c->v, P(c, base, key), "is required (a date, like 2021-03-31)");
		return false;
	}
	int32_t d;
	if (date_parse(s, &d)) {
		viol_add(c->v, P(c, base, key), "\"%s\" is not a date (YYYY-MM-DD, like 2021-03-31; years from 1000)", s);
		return false;
	}
	if (day)
		*day = d;
	return true;
}

static bool matches(const char *s, const char *re);

/* An amount or a percentage: a number >= 0 with at most 2 decimals (and at
 * most 100 for a percentage). */
static bool check_number(chk_t *c, const doc_node_t *map, const char *key, const char *base, bool pct,
			 int64_t *cents)
{
	const doc_node_t *n = get(map, key);
	if (!n)
		return false;
	const char *path = P(c, base, key);
	int64_t v;
	if (n->type != DOC_NUM || dec_parse(n->s, &v)) {
		if (n->type == DOC_NUM && matches(n->s, "^[0-9]+(\\.[0-9]{1,2})?$"))
			viol_add(c->v, path, "%s is too large: amounts are below 10000000000 (10^10; give large budgets in 백만원)", n->s);
		else
			viol_add(c->v, path, "%s must be a number with at most 2 decimals", n->type == DOC_NUM ? n->s : "it");
		return false;
	}
	if (v < 0) {
		viol_add(c->v, path, "%s is negative", n->s);
		return false;
	}
	if (pct && v > 10000) {
		viol_add(c->v, path, "%s is over 100", n->s);
		return false;
	}
	if (cents)
		*cents = v;
	return true;
}

static bool matches(const char *s, const char *re)
{
	regex_t rx;
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
		return false;
	bool ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

/* ----------------------------------------------------------------- periods */

typedef struct {
	const char *name;
	period_t p;
	const char *path;
} named_period_t;

/* Parse a list of periods, check each and that they ascend without
 * overlapping.  Returns how many parsed; fills out (capacity max). */
static size_t check_periods(chk_t *c, const doc_node_t *list, const char *path, named_period_t *out, size_t max)
{
	size_t n = 0;
	if (!list || list->type != DOC_SEQ)
		return 0;
	for (size_t i = 0; i < list->n; i++) {
		const doc_node_t *it = list->items[i];
		const char *ip = I(c, path, i);
		if (it->type != DOC_STR) {
			viol_add(c->v, ip, "a period must be text");
			continue;
		}
		period_t p;
		if (period_parse(it->s, &p)) {
			viol_add(c->v, ip, "\"%s\" is not a period (YYYY, YYYY-H1, YYYY-Q3 or YYYY-MM+; years from 1000)", it->s);
			continue;
		}
		if (n > 0) {
			const named_period_t *prev = &out[n - 1];
			if (!strcmp(prev->name, it->s))
				viol_add(c->v, ip, "%s is listed twice", it->s);
			else if (p.first <= prev->p.last)
				viol_add(c->v, ip, "%s %s %s; periods must ascend without overlapping", it->s,
					 p.last >= prev->p.first ? "overlaps" : "comes before", prev->name);
		}
		if (n < max)
			out[n++] = (named_period_t){ it->s, p, ip };
	}
	return n;
}

static bool in_periods(const char *key, const named_period_t *ps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ps[i].name, key))
			return true;
	return false;
}

#define MAX_PERIODS 64

/* ----------------------------------------------------------------- sections */

static void check_overview(chk_t *c, const doc_node_t *ov)
{
	const doc_node_t *period = get(ov, "period");
	int32_t start = 0, end = 0;
	bool has_start = check_month(c, period, "start", "overview.period", false, &start);
	bool has_end = check_month(c, period, "end", "overview.period", false, &end);
	if (has_start && has_end && end < start)
		viol_add(c->v, "overview.period.end", "%s comes before start %s", str(period, "end"), str(period, "start"));
}

static void check_budget(chk_t *c, const doc_node_t *b)
{
	if (!b)
		return;
	named_period_t ps[MAX_PERIODS];
	size_t np = check_periods(c, get(b, "periods"), "budget.periods", ps, MAX_PERIODS);
	const doc_node_t *srcs = get(b, "sources");
	if (!srcs || srcs->type != DOC_MAP)
		return;
	for (size_t i = 0; i < srcs->n; i++) {
		const char *sp = P(c, "budget.sources", srcs->keys[i]);
		if (!one_of(srcs->keys[i], budget_source_keys))
			viol_add(c->v, sp, "unknown source; expected national, provincial, city, private or other");
		const doc_node_t *s = srcs->items[i];
		check_number(c, s, "prior", sp, false, NULL);
		const doc_node_t *amounts = get(s, "amounts");
		if (!amounts || amounts->type != DOC_MAP)
			continue;
		const char *ap = P(c, sp, "amounts");
		for (size_t k = 0; k < amounts->n; k++) {
			const char *period = amounts->keys[k];
			const char *pp = P(c, ap, period);
			if (!in_periods(period, ps, np))
				viol_add(c->v, pp, "%s is not one of budget.periods", period);
			const doc_node_t *cell = amounts->items[k];
			int64_t sec = 0, exe = 0;
			bool has_sec = check_number(c, cell, "secured", pp, false, &sec);
			bool has_exe = check_number(c, cell, "executed", pp, false, &exe);
			check_number(c, cell, "planned", pp, false, NULL);
			if (has_exe && exe > (has_sec ? sec : 0)) {
				char b1[32], b2[32];
				viol_add(c->v, P(c, pp, "executed"), "%s exceeds secured %s", dec_format(exe, b1),
					 dec_format(has_sec ? sec : 0, b2));
			}
		}
	}
}

static void check_value(chk_t *c, const doc_node_t *n, const char *path)
{
	if (n->type == DOC_STR && text_chars(n->s) > VALUE_MAX_CHARS)
		viol_add(c->v, path, "a cell holds a number or a short text (at most %d characters)", VALUE_MAX_CHARS);
}

static void check_indicator_sets(chk_t *c, const doc_node_t *sets)
{
	if (!sets || sets->type != DOC_SEQ)
		return;
	named_period_t all[MAX_PERIODS];
	size_t nall = 0;
	for (size_t i = 0; i < sets->n; i++) {
		const doc_node_t *set = sets->items[i];
		const char *sp = I(c, "indicator_sets", i);
		named_period_t ps[MAX_PERIODS];
		size_t np = check_periods(c, get(set, "periods"), P(c, sp, "periods"), ps, MAX_PERIODS);
		if (np == 0 && !get(set, "periods"))
			viol_add(c->v, P(c, sp, "periods"), "is required: the columns of the table");
		/* the 변경 rows of the table before share its periods; no
		 * other set shares any */
		bool pair = derived_set_changes(sets, i);
		for (size_t k = 0; k < np && !pair; k++) {
			for (size_t j = 0; j < nall; j++)
				if (ps[k].p.first <= all[j].p.last && all[j].p.first <= ps[k].p.last) {
					viol_add(c->v, ps[k].path, "%s overlaps %s of another indicator set", ps[k].name,
						 all[j].name);
					break;
				}
		}
		for (size_t k = 0; k < np && nall < MAX_PERIODS && !pair; k++)
			all[nall++] = ps[k];
		const char *basis = str(set, "basis");
		if (basis && strcmp(basis, "original") && strcmp(basis, "changed"))
			viol_add(c->v, P(c, sp, "basis"), "\"%s\" must be original (당초) or changed (변경)", basis);
		const char *reason = str(set, "change_reason");
		if (basis && !strcmp(basis, "changed") && (!reason || !*reason))
			viol_add(c->v, P(c, sp, "change_reason"), "is required when basis is changed");
		const doc_node_t *inds = get(set, "indicators");
		for (size_t k = 0; inds && inds->type == DOC_SEQ && k < inds->n; k++) {
			const doc_node_t *ind = inds->items[k];
			const char *ip = I(c, P(c, sp, "indicators"), k);
			need_text(c, ind, "name", ip);
			static const char *const maps[] = { "targets", "actuals" };
			for (size_t m = 0; m < 2; m++) {
				const doc_node_t *vals = get(ind, maps[m]);
				for (size_t q = 0; vals && vals->type == DOC_MAP && q < vals->n; q++) {
					const char *vp = P(c, P(c, ip, maps[m]), vals->keys[q]);
					if (!in_periods(vals->keys[q], ps, np))
						viol_add(c->v, vp, "%s is not one of this set's periods", vals->keys[q]);
					check_value(c, vals->items[q], vp);
				}
			}
		}
		const doc_node_t *cum = get(set, "cumulative_progress");
		for (size_t q = 0; cum && cum->type == DOC_MAP && q < cum->n; q++) {
			const char *cp = P(c, P(c, sp, "cumulative_progress"), cum->keys[q]);
			if (!in_periods(cum->keys[q], ps, np))
				viol_add(c->v, cp, "%s is not one of this set's periods", cum->keys[q]);
			check_number(c, cum->items[q], "target", cp, true, NULL);
			check_number(c, cum->items[q], "current", cp, true, NULL);
		}
	}
}

/* An item of section 4 or 6 (and, with sub, its sub-items). */
static void check_item(chk_t *c, const doc_node_t *it, const char *path, bool sub)
{
	const char *label = str(it, "label"), *text = str(it, "text");
	if ((!label || !*label) && (!text || !*text))
		viol_add(c->v, path, "an item needs a label or a text");
	int32_t d0 = 0, d1 = 0, u0 = 0, u1 = 0;
	const char *date = str(it, "date"), *until = str(it, "until");
	bool has_date = false;
	if (date) {
		if (month_or_date_parse(date, &d0, &d1))
			viol_add(c->v, P(c, path, "date"), "\"%s\" is not a date (2019-01-10) or a month (2019-01)", date);
		else
			has_date = true;
	}
	if (until) {
		if (!date)
			viol_add(c->v, P(c, path, "until"), "until needs a date to start from");
		if (month_or_date_parse(until, &u0, &u1))
			viol_add(c->v, P(c, path, "until"), "\"%s\" is not a date (2019-04-02) or a month (2019-04)", until);
		else if (has_date && u1 < d0)
			viol_add(c->v, P(c, path, "until"), "%s comes before date %s", until, date);
	}
	const doc_node_t *dates = get(it, "dates");
	if (dates && dates->type == DOC_SEQ) {
		if (date)
			viol_add(c->v, P(c, path, "dates"), "give either date (with until) or dates, not both");
		for (size_t i = 0; i < dates->n; i++) {
			int32_t d;
			const doc_node_t *x = dates->items[i];
			if (x->type != DOC_STR || date_parse(x->s, &d))
				viol_add(c->v, I(c, P(c, path, "dates"), i), "\"%s\" is not a date (YYYY-MM-DD)",
					 x->type == DOC_STR ? x->s : "?");
		}
	}
	const doc_node_t *items = get(it, "items");
	if (sub && items && items->type == DOC_SEQ)
		for (size_t i = 0; i < items->n; i++)
			check_item(c, items->items[i], I(c, P(c, path, "items"), i), false);
}

static void check_items(chk_t *c, const doc_node_t *items, const char *path)
{
	for (size_t i = 0; items && items->type == DOC_SEQ && i < items->n; i++)
		check_item(c, items->items[i], I(c, path, i), true);
}

void pledge_check_item(arena_t *a, const doc_node_t *item, const char *path, viol_list_t *v)
{
	chk_t c = { a, v };
	check_item(&c, item, path, true);
}

static void check_progress(chk_t *c, const doc_node_t *pr)
{
	if (!pr)
		return;
	int32_t from = 0, to = 0;
	bool f = check_month(c, pr, "from", "progress", false, &from);
	bool t = check_date(c, pr, "to", "progress", false, &to);
	if (f && t && to < from)
		viol_add(c->v, "progress.to", "%s comes before from %s", str(pr, "to"), str(pr, "from"));
	const doc_node_t *groups = get(pr, "by_indicator");
	for (size_t i = 0; groups && groups->type == DOC_SEQ && i < groups->n; i++) {
		const char *gp = I(c, "progress.by_indicator", i);
		need_text(c, groups->items[i], "indicator", gp);
		const doc_node_t *acts = get(groups->items[i], "activities");
		for (size_t k = 0; acts && acts->type == DOC_SEQ && k < acts->n; k++) {
			const char *ap = I(c, P(c, gp, "activities"), k);
			need_text(c, acts->items[k], "title", ap);
			check_items(c, get(acts->items[k], "items"), P(c, ap, "items"));
		}
	}
}

/* A suggestion of section 6, without its answers */
static void check_suggestion(chk_t *c, const doc_node_t *ev, const char *path)
{
	const char *round = str(ev, "round");
	period_t pr;
	if (round && period_parse(round, &pr))
		viol_add(c->v, P(c, path, "round"), "\"%s\" is not a period (like 2020-H2)", round);
	need_text(c, ev, "suggestion", path);
}

static void check_lists(chk_t *c, const doc_node_t *doc)
{
	const doc_node_t *l;
	if ((l = get(doc, "changes")))
		for (size_t i = 0; l->type == DOC_SEQ && i < l->n; i++) {
			const char *p = I(c, "changes", i);
			check_date(c, l->items[i], "date", p, true, NULL);
			need_text(c, l->items[i], "item", p);
		}
	if ((l = get(doc, "evaluations")))
		for (size_t i = 0; l->type == DOC_SEQ && i < l->n; i++) {
			const char *p = I(c, "evaluations", i);
			check_suggestion(c, l->items[i], p);
			const doc_node_t *acts = get(l->items[i], "actions");
			for (size_t k = 0; acts && acts->type == DOC_SEQ && k < acts->n; k++) {
				const char *ap = I(c, P(c, p, "actions"), k);
				need_text(c, acts->items[k], "text", ap);
				check_items(c, get(acts->items[k], "items"), P(c, ap, "items"));
			}
		}
	if ((l = get(doc, "problems")))
		for (size_t i = 0; l->type == DOC_SEQ && i < l->n; i++)
			need_text(c, l->items[i], "problem", I(c, "problems", i));
	if ((l = get(doc, "plans")))
		for (size_t i = 0; l->type == DOC_SEQ && i < l->n; i++) {
			const char *p = I(c, "plans", i);
			need_text(c, l->items[i], "text", p);
			int32_t from = 0, to = 0;
			bool f = check_month(c, l->items[i], "from", p, true, &from);
			bool t = check_month(c, l->items[i], "to", p, false, &to);
			if (f && t && to < from)
				viol_add(c->v, P(c, p, "to"), "%s comes before from %s", str(l->items[i], "to"),
					 str(l->items[i], "from"));
		}
	if ((l = get(doc, "officials")))
		for (size_t i = 0; l->type == DOC_SEQ && i < l->n; i++) {
			const char *op = I(c, "officials", i);
			need_text(c, l->items[i], "name", op);
			/* a number a citizen can dial: digits, an extension ("2050"),
			 * with - ( ) + . and spaces between them */
			const char *phone = str(l->items[i], "phone");
			if (phone && *phone &&
			    (strspn(phone, "0123456789-()+. ") != strlen(phone) || !strpbrk(phone, "0123456789") ||
			     strlen(phone) > 32))
				viol_add(c->v, P(c, op, "phone"),
					 "\"%s\" is not a telephone number (digits, with - ( ) + . and spaces; at most 32)", phone);
		}
}

/* The status and the overall progress (required in a whole document) */
static void check_status(chk_t *c, const doc_node_t *doc, bool required)
{
	const char *status = str(doc, "status");
	if (!status && required)
		viol_add(c->v, "status", "is required");
	else if (status && !one_of(status, pledge_status_keys))
		viol_add(c->v, "status",
			 "\"%s\" must be one of in_progress, completed, completed_ongoing, partial, delayed, on_hold, dropped, not_started",
			 status);
	if (!get(doc, "progress_pct") && required)
		viol_add(c->v, "progress_pct", "is required");
	else
		check_number(c, doc, "progress_pct", "", true, NULL);
}

/* ----------------------------------------------------------------- text */

bool pledge_text_is_paragraph(const char *key)
{
	static const char *const paragraphs[] = { "text",	    "contents", "remarks", "suggestion", "problem",
						  "countermeasure", "reason",   "before",  "after",      "change_reason",
						  "note",	    "target",	"opinion", NULL };
	return key && one_of(key, paragraphs);
}

/* `key`: the map key the string stands under (for a list's items, the
 * list's), which says whether it may run over lines. */
static void normalize(arena_t *a, doc_node_t *n, const char *path, const char *key, viol_list_t *v)
{
	switch (n->type) {
	case DOC_STR: {
		const char *why = text_problem(n->s, n->len);
		if (!why)
			why = text_control_problem(n->s, n->len, !pledge_text_is_paragraph(key));
		if (why) {
			viol_add(v, path, "%s", why);
			return;
		}
		char *nfc = text_nfc(a, n->s, n->len);
		if (!nfc) {
			v->oom = 1;
			return;
		}
		n->s = nfc;
		n->len = strlen(nfc);
		if (text_chars(nfc) > TEXT_MAX_CHARS)
			viol_add(v, path, "is longer than %d characters", TEXT_MAX_CHARS);
		return;
	}
	case DOC_SEQ:
		for (size_t i = 0; i < n->n; i++)
			normalize(a, n->items[i], path_index(a, path, i), key, v);
		return;
	case DOC_MAP:
		for (size_t i = 0; i < n->n; i++) {
			const char *p = path_key(a, path, n->keys[i]);
			const char *why = text_problem(n->keys[i], strlen(n->keys[i]));
			if (!why)
				why = text_control_problem(n->keys[i], strlen(n->keys[i]), true);
			if (why) {
				viol_add(v, p, "key: %s", why);
				continue;
			}
			char *k = text_nfc(a, n->keys[i], strlen(n->keys[i]));
			if (k)
				n->keys[i] = k;
			normalize(a, n->items[i], p, n->keys[i], v);
		}
		return;
	default:
		return;
	}
}

void pledge_normalize(arena_t *a, doc_node_t *n, const char *path, viol_list_t *v)
{
	normalize(a, n, path, NULL, v);
}

void pledge_check_cell(arena_t *a, doc_node_t *cell, const char *path, viol_list_t *v)
{
	chk_t c = { a, v };
	normalize(a, cell, path, NULL, v);
	check_value(&c, cell, path);
}

void pledge_check_budget_cell(arena_t *a, const char *source, const char *period, const doc_node_t *cell, viol_list_t *v)
{
	chk_t c = { a, v };
	const char *sp = P(&c, "budget.sources", source);
	if (!one_of(source, budget_source_keys))
		viol_add(v, sp, "unknown source; expected national, provincial, city, private or other");
	const char *pp = P(&c, P(&c, sp, "amounts"), period);
	static const char *const fields[] = { "secured", "executed", "planned" };
	for (size_t i = 0; i < 3; i++)
		check_number(&c, cell, fields[i], pp, false, NULL);
}

void pledge_check_status(arena_t *a, doc_node_t *doc, viol_list_t *v)
{
	chk_t c = { a, v };
	normalize(a, doc, "", NULL, v);
	check_status(&c, doc, false);
}

void pledge_check_suggestion(arena_t *a, doc_node_t *ev, viol_list_t *v)
{
	chk_t c = { a, v };
	normalize(a, ev, "", NULL, v);
	check_suggestion(&c, ev, "");
}

/* A key given twice in one mapping: YAML and JSON readers refuse it, but a
 * protobuf map may carry an entry twice (two SourceBudget "city"), which the
 * tables would then refuse as a broken key (an internal error, not the
 * writer's). */
static int cmp_key(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void check_unique_keys(chk_t *c, const doc_node_t *n, const char *path, int depth)
{
	if (!n || depth > 16) /* deeper than any document goes */
		return;
	if (n->type == DOC_SEQ)
		for (size_t i = 0; i < n->n; i++)
			if (n->items[i]->type == DOC_MAP || n->items[i]->type == DOC_SEQ)
				check_unique_keys(c, n->items[i], I(c, path, i), depth + 1);
	if (n->type != DOC_MAP)
		return;
	/* sorted, a key given twice stands next to itself: a mapping of many
	 * entries costs n log n, never n squared on the event loop */
	const char **keys = n->n > 1 ? arena_alloc(c->a, sizeof(*keys) * n->n) : NULL;
	if (keys) {
		memcpy(keys, n->keys, sizeof(*keys) * n->n);
		qsort(keys, n->n, sizeof(*keys), cmp_key);
		for (size_t i = 1; i < n->n; i++)
			if (!strcmp(keys[i - 1], keys[i]) && (i < 2 || strcmp(keys[i - 2], keys[i])))
				viol_add(c->v, P(c, path, keys[i]), "is given twice");
	}
	for (size_t i = 0; i < n->n; i++)
		if (n->items[i]->type == DOC_MAP || n->items[i]->type == DOC_SEQ)
			check_unique_keys(c, n->items[i], P(c, path, n->keys[i]), depth + 1);
}

void pledge_check(arena_t *a, const doc_node_t *doc, viol_list_t *v)
{
	chk_t c = { .a = a, .v = v };
	check_unique_keys(&c, doc, "", 0);
	const char *schema = str(doc, "schema");
	if (!schema)
		viol_add(v, "schema", "is required (yaksok/pledge/v1)");
	else if (strcmp(schema, "yaksok/pledge/v1"))
		viol_add(v, "schema", "must be yaksok/pledge/v1, not \"%s\"", schema);
	const char *code = str(doc, "code");
	if (!code)
		viol_add(v, "code", "is required");
	else if (!matches(code, "^[A-Z0-9-]{2,32}$"))
		viol_add(v, "code", "\"%s\" must be 2 to 32 of A-Z, 0-9 and -", code);
	need_text(&c, doc, "title", "");
	need_text(&c, doc, "department", "");
	check_status(&c, doc, true);
	const char *parent = str(doc, "parent");
	if (parent && !matches(parent, "^[A-Z0-9-]{2,32}$"))
		viol_add(v, "parent", "\"%s\" is not a pledge code", parent);
	else if (parent && code && !strcmp(parent, code))
		viol_add(v, "parent", "a pledge cannot be its own parent");
	check_month(&c, doc, "target_month", "", false, NULL);
	check_date(&c, doc, "as_of", "", false, NULL);
	check_month(&c, doc, "reporting_from", "", false, NULL);
	check_overview(&c, get(doc, "overview"));
	check_budget(&c, get(doc, "budget"));
	check_indicator_sets(&c, get(doc, "indicator_sets"));
	check_progress(&c, get(doc, "progress"));
	check_lists(&c, doc);
}
