#include "derived.h"

#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "period.h"

static const char *const source_keys[] = { "national", "provincial", "city", "private", "other" };
#define N_SOURCES 5

static bool cell(const doc_node_t *amounts, const char *period, const char *key, int64_t *v)
{
	const doc_node_t *c = doc_get(doc_get(amounts, period), key);
	return c && c->type == DOC_NUM && dec_parse(c->s, v) == 0;
}

static doc_node_t *num(arena_t *a, int64_t cents)
{
	char b[32];
	return doc_num(a, dec_format(cents, b));
}

int derived_add(arena_t *a, doc_node_t *doc, int32_t today)
{
	int32_t as_of = today;
	const doc_node_t *asn = doc_get(doc, "as_of");
	if (asn && asn->type == DOC_STR)
		date_parse(asn->s, &as_of);
	int as_of_year, mm, dd;
	civil_from_day(as_of, &as_of_year, &mm, &dd);
	int32_t year_first = day_from_civil(as_of_year, 1, 1), year_last = day_from_civil(as_of_year, 12, 31);

	const doc_node_t *budget = doc_get(doc, "budget");
	const doc_node_t *periods = doc_get(budget, "periods");
	const doc_node_t *sources = doc_get(budget, "sources");
	int64_t total[N_SOURCES] = { 0 }, all = 0, year_amount = 0, secured_past = 0, executed_past = 0;
	for (int s = 0; s < N_SOURCES; s++) {
		const doc_node_t *src = doc_get(sources, source_keys[s]);
		if (!src)
			continue;
		int64_t prior = 0;
		const doc_node_t *pn = doc_get(src, "prior");
		if (pn && pn->type == DOC_NUM)
			dec_parse(pn->s, &prior);
		total[s] = prior;
		const doc_node_t *amounts = doc_get(src, "amounts");
		for (size_t i = 0; periods && periods->type == DOC_SEQ && i < periods->n; i++) {
			const char *name = periods->items[i]->s;
			period_t p;
			if (!name || period_parse(name, &p))
				continue;
			int64_t sec = 0, exe = 0, plan = 0, contribution;
			bool has_sec = cell(amounts, name, "secured", &sec);
			cell(amounts, name, "executed", &exe);
			cell(amounts, name, "planned", &plan);
			if (p.last < as_of) { /* past */
				contribution = exe;
				secured_past += sec;
				executed_past += exe;
			} else if (p.first <= as_of) { /* current */
				contribution = has_sec ? sec : plan;
			} else { /* future */
				contribution = plan;
			}
			total[s] += contribution;
			if (p.first >= year_first && p.last <= year_last)
				year_amount += contribution;
		}
		all += total[s];
	}

	doc_node_t *d = doc_new(a, DOC_MAP);
	doc_node_t *bt = doc_new(a, DOC_MAP);
	doc_node_t *by = doc_new(a, DOC_MAP);
	if (!d || !bt || !by)
		return YK_ENOMEM;
	for (int s = 0; s < N_SOURCES; s++)
		if (doc_set(a, bt, source_keys[s], num(a, total[s])))
			return YK_ENOMEM;
	char yb[16];
	snprintf(yb, sizeof(yb), "%d", as_of_year);
	if (doc_set(a, bt, "all", num(a, all)) || doc_set(a, d, "budget_total", bt) ||
	    doc_set(a, by, "year", doc_num(a, yb)) || doc_set(a, by, "amount", num(a, year_amount)) ||
	    doc_set(a, d, "budget_year", by))
		return YK_ENOMEM;
	doc_node_t *rate = secured_past > 0 ? num(a, dec_ratio_pct(executed_past, secured_past)) : doc_new(a, DOC_NULL);
	if (doc_set(a, d, "execution_rate_pct", rate))
		return YK_ENOMEM;

	/* Overdue: the month after target_month has begun by as_of, and the
	 * pledge is not completed or dropped. */
	bool overdue = false;
	const doc_node_t *tm = doc_get(doc, "target_month");
	const doc_node_t *st = doc_get(doc, "status");
	int ty, tmo;
	if (tm && tm->type == DOC_STR && month_parse(tm->s, &ty, &tmo) == 0) {
		int ny = tmo == 12 ? ty + 1 : ty, nm = tmo == 12 ? 1 : tmo + 1;
		const char *s = st && st->type == DOC_STR ? st->s : "";
		overdue = as_of >= day_from_civil(ny, nm, 1) && strcmp(s, "completed") && strcmp(s, "completed_ongoing") &&
			  strcmp(s, "dropped");
	}
	/* figures derived again replace the earlier ones: one "derived" key */
	doc_del(doc, "derived");
	if (doc_set(a, d, "overdue", doc_bool(a, overdue)) || doc_set(a, doc, "derived", d))
		return YK_ENOMEM;
	return YK_OK;
}

static const char *basis_of(const doc_node_t *set)
{
	const doc_node_t *b = doc_get(set, "basis");
	return b && b->type == DOC_STR ? b->s : "original";
}

bool derived_set_changes(const doc_node_t *sets, size_t i)
{
	if (!sets || sets->type != DOC_SEQ || i == 0 || i >= sets->n)
		return false;
	const doc_node_t *prev = sets->items[i - 1], *cur = sets->items[i];
	const doc_node_t *pp = doc_get(prev, "periods"), *cp = doc_get(cur, "periods");
	return !strcmp(basis_of(cur), "changed") && !strcmp(basis_of(prev), "original") && pp && cp &&
	       pp->type == DOC_SEQ && cp->type == DOC_SEQ && pp->n > 0 && doc_equal(pp, cp, "", NULL);
}
