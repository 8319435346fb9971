#include "report.h"


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "derived.h"
#include "period.h"

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* ------------------------------------------------------------------ formats */

/* An amount as the card prints it: thousands grouped ("26,175.75"); "" for
 * none; text that is not a plain decimal as it is. */
static const char *amount(arena_t *a, const char *s)
{
	if (!s)
		return "";
	size_t digits = strspn(s, "0123456789");
	const char *rest = s + digits;
	bool plain = !*rest || (*rest == '.' && strspn(rest + 1, "0123456789") == strlen(rest + 1));
	if (digits <= 3 || !plain)
		return s;
	char *out = arena_alloc(a, strlen(s) + digits / 3 + 1);
	if (!out)
		return s;
	char *o = out;
	for (size_t i = 0; i < digits; i++) {
		if (i && (digits - i) % 3 == 0)
			*o++ = ',';
		*o++ = s[i];
	}
	strcpy(o, s + digits);
	return out;
}

const char *fmt_date(arena_t *a, const char *iso)
{
	int32_t d0, d1;
	if (!iso || month_or_date_parse(iso, &d0, &d1))
		return iso ? iso : "";
	int y, m, d;
	civil_from_day(d0, &y, &m, &d);
	if (d0 != d1) /* a month */
		return arena_printf(a, "%d.%2d.", y, m);
	return arena_printf(a, "%d.%2d.%2d.", y, m, d);
}

/* The spaced style of the report's headings: "2021. 3. 31.", "2018. 7." */
static const char *fmt_spaced(arena_t *a, const char *iso)
{
	int32_t d0, d1;
	if (!iso || month_or_date_parse(iso, &d0, &d1))
		return iso ? iso : "";
	int y, m, d;
	civil_from_day(d0, &y, &m, &d);
	return d0 != d1 ? arena_printf(a, "%d. %d.", y, m) : arena_printf(a, "%d. %d. %d.", y, m, d);
}

static const char *fmt_compact(arena_t *a, const char *iso, int *py)
{
	int32_t d0, d1;
	if (month_or_date_parse(iso, &d0, &d1))
		return iso;
	int y, m, d;
	civil_from_day(d0, &y, &m, &d);
	const char *s;
	if (py && *py == y)
		s = d0 != d1 ? arena_printf(a, "%d.", m) : arena_printf(a, "%d.%d.", m, d);
	else
		s = d0 != d1 ? arena_printf(a, "%d.%d.", y, m) : arena_printf(a, "%d.%d.%d.", y, m, d);
	if (py)
		*py = y;
	return s;
}

/* When an item happened: a date, a range (2019.3.21.~4.2.) or several days
 * (2020.8.12./8.14./8.19.). */
static const char *fmt_when(arena_t *a, const doc_node_t *item)
{
	const char *date = doc_text(item, "date"), *until = doc_text(item, "until");
	const doc_node_t *dates = doc_field(item, "dates");
	if (date && until) {
		int y = 0;
		const char *from = fmt_compact(a, date, &y);
		return arena_printf(a, "%s~%s", from, fmt_compact(a, until, &y));
	}
	if (date)
		return fmt_date(a, date);
	if (doc_count(dates)) {
		int y = 0;
		const char *s = "";
		for (size_t i = 0; i < dates->n; i++)
			s = arena_printf(a, "%s%s%s", s, i ? "/" : "", fmt_compact(a, dates->items[i]->s, &y));
		return s;
	}
	return NULL;
}

const char *fmt_budget_period(arena_t *a, const char *p)
{
	period_t pp;
	if (!p || period_parse(p, &pp))
		return p ? p : "";
	switch (pp.kind) {
	case PERIOD_YEAR: return arena_printf(a, "%d년", pp.year);
	case PERIOD_HALF: return pp.n == 1 ? arena_printf(a, "%d.6월까지", pp.year) : arena_printf(a, "%d.7월~12월", pp.year);
	case PERIOD_QUARTER: return arena_printf(a, "%d.%d분기", pp.year, pp.n);
	case PERIOD_FROM_MONTH: return arena_printf(a, "%d.%d월이후", pp.year, pp.n);
	}
	return p;
}

static const char *fmt_indicator_period(arena_t *a, const char *p)
{
	period_t pp;
	if (!p || period_parse(p, &pp))
		return p ? p : "";
	switch (pp.kind) {
	case PERIOD_YEAR: return arena_printf(a, "%d년", pp.year);
	case PERIOD_HALF: return pp.n == 1 ? arena_printf(a, "%d년 6월까지", pp.year) : arena_printf(a, "%d년 7월~12월", pp.year);
	case PERIOD_QUARTER: return arena_printf(a, "%d년 %d분기", pp.year, pp.n);
	case PERIOD_FROM_MONTH: return arena_printf(a, "%d년 %d월이후", pp.year, pp.n);
	}
	return p;
}

const char *fmt_round(arena_t *a, const char *p)
{
	period_t pp;
	if (!p || period_parse(p, &pp))
		return p ? p : "";
	switch (pp.kind) {
	case PERIOD_YEAR: return arena_printf(a, "%d년", pp.year);
	case PERIOD_HALF: return arena_printf(a, "%d년 %s", pp.year, pp.n == 1 ? "상반기" : "하반기");
	case PERIOD_QUARTER: return arena_printf(a, "%d년 %d분기", pp.year, pp.n);
	case PERIOD_FROM_MONTH: return arena_printf(a, "%d년 %d월 이후", pp.year, pp.n);
	}
	return p;
}

/* A plan's months: "2021. 4. ~ 10.", "2021. 11. ~ 2022. 2.", "2021. 4." */
static const char *fmt_plan_months(arena_t *a, const char *from, const char *to)
{
	int fy, fm, ty, tm;
	if (!from || month_parse(from, &fy, &fm))
		return or_empty(from);
	if (!to || month_parse(to, &ty, &tm))
		return arena_printf(a, "%d. %d.", fy, fm);
	if (ty == fy)
		return arena_printf(a, "%d. %d. ~ %d.", fy, fm, tm);
	return arena_printf(a, "%d. %d. ~ %d. %d.", fy, fm, ty, tm);
}

/* ------------------------------------------------------------------ sections */

static void header(report_t *r, arena_t *a, const doc_node_t *doc)
{
	const char *status = doc_text(doc, "status");
	const char *pct = or_empty(doc_text(doc, "progress_pct"));
	bool done = status && !strcmp(status, "completed");
	bool ongoing = status && !strcmp(status, "completed_ongoing");
	bool plain = done || ongoing || (status && !strcmp(status, "in_progress"));
	/* what the city files the card under, which the paper card leaves to
	 * its binder: printed so that the card says all it holds */
	if (doc_text(doc, "area"))
		report_para(r, "정책분야 : %s", doc_text(doc, "area"));
	if (doc_text(doc, "parent"))
		report_para(r, "핵심공약 : %s", doc_text(doc, "parent"));
	blk_t *t = report_table(r, 1);
	row_t *h = table_row(r, t);
	static const char *const heads[] = { "사업구분", "완료종료", "완료지속추진", "추진중 (전체 사업진도율(%))",
					     "목표연월", "담당부서", "비고" };
	for (size_t i = 0; i < 7; i++)
		row_cell(r, h, heads[i], 1, false);
	row_t *row = table_row(r, t);
	row_cell(r, row, or_empty(doc_text(doc, "category")), 1, false);
	row_cell(r, row, done ? "○" : "-", 1, false);
	row_cell(r, row, ongoing ? "○" : "-", 1, false);
	row_cell(r, row, plain ? pct : arena_printf(a, "%s (%s)", pct, status_word(status)), 1, true);
	const char *tm = doc_text(doc, "target_month");
	row_cell(r, row, tm ? fmt_date(a, tm) : "", 1, false);
	row_cell(r, row, or_empty(doc_text(doc, "department")), 1, false);
	row_cell(r, row, or_empty(doc_text(doc, "remarks")), 1, false);
}

static void overview(report_t *r, arena_t *a, const doc_node_t *doc)
{
	const doc_node_t *ov = doc_field(doc, "overview");
	const doc_node_t *period = doc_field(ov, "period");
	report_heading(r, 1, "1. 사업개요");
	blk_t *l = report_list(r);
	const char *start = doc_text(period, "start"), *end = doc_text(period, "end");
	int sy, sm, ey, em;
	const char *from = start && !month_parse(start, &sy, &sm) ? arena_printf(a, "%d. %d월", sy, sm) : or_empty(start);
	const char *to = end && !month_parse(end, &ey, &em) ? arena_printf(a, "%d. %d월", ey, em) : "지속";
	if (start || end || doc_field(period, "end"))
		list_item(r, l, 0, "사업기간 : %s ~ %s", from, to);
	const char *target = doc_text(ov, "target");
	if (target)
		list_item(r, l, 0, "사업대상 : %s", target);
	const doc_node_t *contents = doc_field(ov, "contents");
	if (doc_count(contents)) {
		list_item(r, l, 0, "사업내용");
		for (size_t i = 0; i < contents->n; i++)
			list_item(r, l, 1, "%s", contents->items[i]->s);
	}
	const doc_node_t *by = doc_field(doc_field(doc, "derived"), "budget_year");
	const char *unit = doc_text(doc_field(doc, "budget"), "unit");
	if (by)
		list_item(r, l, 0, "소요예산 : %s%s(%s년)", amount(a, doc_text(by, "amount")), unit ? unit : "백만원",
			  or_empty(doc_text(by, "year")));
}

typedef enum { PAST, CURRENT, FUTURE } when_t;

static void budget(report_t *r, arena_t *a, const doc_node_t *doc)
{
	const doc_node_t *b = doc_field(doc, "budget");
	const doc_node_t *periods = doc_field(b, "periods");
	const doc_node_t *sources = doc_field(b, "sources");
	const doc_node_t *totals = doc_field(doc_field(doc, "derived"), "budget_total");
	report_heading(r, 1, "2. 예산투자현황 및 투자계획");
	report_para(r, "(단위 : %s)", doc_text(b, "unit") ? doc_text(b, "unit") : "백만원");
	size_t np = doc_count(periods);
	int32_t as_of = day_today();
	if (doc_text(doc, "as_of"))
		date_parse(doc_text(doc, "as_of"), &as_of);
	when_t when[64];
	for (size_t i = 0; i < np && i < 64; i++) {
		period_t p;
		when[i] = FUTURE;
		if (period_parse(periods->items[i]->s, &p) == 0)
			when[i] = p.last < as_of ? PAST : p.first <= as_of ? CURRENT : FUTURE;
	}
	if (np > 64)
		np = 64;
	blk_t *t = report_table(r, 2);
	row_t *h1 = table_row(r, t), *h2 = table_row(r, t);
	row_cell(r, h1, "구 분", 1, false);
	row_cell(r, h1, "소요예산 (a~g합계)", 1, false);
	row_cell(r, h1, "기투자 (a)", 1, false);
	row_cell(r, h2, "", 1, false);
	row_cell(r, h2, "", 1, false);
	row_cell(r, h2, "", 1, false);
	char letter = 'b';
	for (size_t i = 0; i < np; i++, letter++) {
		row_cell(r, h1, fmt_budget_period(a, periods->items[i]->s), when[i] == FUTURE ? 1 : 2, false);
		if (when[i] == PAST) {
			row_cell(r, h2, "확보", 1, false);
			row_cell(r, h2, arena_printf(a, "집행(%c)", letter), 1, false);
		} else if (when[i] == CURRENT) {
			row_cell(r, h2, arena_printf(a, "확보(%c)", letter), 1, false);
			row_cell(r, h2, "집행", 1, false);
		} else {
			row_cell(r, h2, arena_printf(a, "계획(%c)", letter), 1, false);
		}
	}
	static const struct {
		const char *key, *label;
		bool always;
	} rows[] = { { "national", "국 비", true },  { "provincial", "도 비", true }, { "city", "시 비", true },
		     { "private", "민간자본", true }, { "other", "기 타", false } };
	/* 계: the sum of each column over the sources */
	size_t ncols = 1;
	for (size_t i = 0; i < np; i++)
		ncols += when[i] == FUTURE ? 1 : 2;
	int64_t *colsum = arena_calloc(a, sizeof(int64_t) * ncols);
	if (!colsum) {
		r->oom = true;
		return;
	}
	for (size_t s = 0; s < 5; s++) {
		const doc_node_t *src = doc_field(sources, rows[s].key);
		if (!src)
			continue;
		size_t c = 0;
		int64_t v;
		const char *x = doc_text(src, "prior");
		if (x && !dec_parse(x, &v))
			colsum[c] += v;
		c++;
		const doc_node_t *amounts = doc_field(src, "amounts");
		for (size_t i = 0; i < np; i++) {
			const doc_node_t *cellv = doc_field(amounts, periods->items[i]->s);
			static const char *const past[] = { "secured", "executed" }, *const future[] = { "planned" };
			const char *const *keys = when[i] == FUTURE ? future : past;
			for (size_t k = 0; k < (when[i] == FUTURE ? 1u : 2u); k++, c++)
				if ((x = doc_text(cellv, keys[k])) && !dec_parse(x, &v))
					colsum[c] += v;
		}
	}
	/* 구 분, 소요예산 and 기투자 stand over both header rows */
	for (size_t c = 0; c < 3; c++)
		table_merge_down(t, 0, c, 2);
	row_t *sum = table_row(r, t);
	row_cell(r, sum, "계", 1, false);
	row_cell(r, sum, amount(a, doc_text(totals, "all")), 1, true);
	for (size_t c = 0; c < ncols; c++) {
		char buf[32];
		row_cell(r, sum, amount(a, dec_format(colsum[c], buf)), 1, true);
	}
	for (size_t s = 0; s < 5; s++) {
		const doc_node_t *src = doc_field(sources, rows[s].key);
		if (!src && !rows[s].always)
			continue;
		row_t *row = table_row(r, t);
		row_cell(r, row, rows[s].label, 1, false);
		row_cell(r, row, doc_text(totals, rows[s].key) ? amount(a, doc_text(totals, rows[s].key)) : "0", 1, true);
		row_cell(r, row, amount(a, doc_text(src, "prior")), 1, true);
		const doc_node_t *amounts = doc_field(src, "amounts");
		for (size_t i = 0; i < np; i++) {
			const doc_node_t *cellv = doc_field(amounts, periods->items[i]->s);
			if (when[i] == FUTURE) {
				row_cell(r, row, amount(a, doc_text(cellv, "planned")), 1, true);
			} else {
				row_cell(r, row, amount(a, doc_text(cellv, "secured")), 1, true);
				row_cell(r, row, amount(a, doc_text(cellv, "executed")), 1, true);
			}
		}
	}
}

static const char *set_title(arena_t *a, const doc_node_t *periods)
{
	period_t first, last;
	if (!doc_count(periods) || period_parse(periods->items[0]->s, &first) ||
	    period_parse(periods->items[periods->n - 1]->s, &last))
		return "";
	if (last.last == PERIOD_OPEN)
		return arena_printf(a, "%d년 이후", first.year);
	if (first.year == last.year)
		return arena_printf(a, "%d년", first.year);
	return arena_printf(a, "%d년 ~ %d년", first.year, last.year);
}

static void indicators(report_t *r, arena_t *a, const doc_node_t *doc)
{
	const doc_node_t *sets = doc_field(doc, "indicator_sets");
	report_heading(r, 1, "3. 연도별 성과지표");
	if (!doc_count(sets)) {
		report_para(r, "해당없음");
		return;
	}
	for (size_t s = 0; s < sets->n; s++) {
		const doc_node_t *set = sets->items[s];
		const doc_node_t *periods = doc_field(set, "periods");
		size_t np = doc_count(periods);
		report_heading(r, 2, "○ %s", set_title(a, periods));
		/* quarters stand under their year, as on the card: a third header
		 * row when the set has any */
		bool quarters = false;
		period_t *pp = arena_calloc(a, sizeof(*pp) * (np ? np : 1));
		if (!pp) {
			r->oom = true;
			return;
		}
		for (size_t i = 0; i < np; i++) {
			if (period_parse(periods->items[i]->s, &pp[i]))
				pp[i].kind = PERIOD_YEAR; /* unparsed: labelled as it is, below */
			quarters |= pp[i].kind == PERIOD_QUARTER;
		}
		size_t hr = quarters ? 3 : 2;
		blk_t *t = report_table(r, hr);
		row_t *h1 = table_row(r, t), *h2 = table_row(r, t), *h3 = quarters ? table_row(r, t) : NULL;
		row_cell(r, h1, "성 과 지 표", 2, false);
		row_cell(r, h1, "단위", 1, false);
		row_group(r, h1, "성과지표", (int)(np ? np : 1));
		for (row_t *h = h2; h; h = h == h2 ? h3 : NULL) {
			row_cell(r, h, "", 2, false);
			row_cell(r, h, "", 1, false);
		}
		for (size_t i = 0; i < np;) {
			size_t run = 1;
			if (pp[i].kind == PERIOD_QUARTER) {
				while (i + run < np && pp[i + run].kind == PERIOD_QUARTER && pp[i + run].year == pp[i].year)
					run++;
				row_cell(r, h2, arena_printf(a, "%d년", pp[i].year), (int)run, false);
				for (size_t k = 0; k < run; k++)
					row_cell(r, h3, arena_printf(a, "%d분기", pp[i + k].n), 1, false);
			} else {
				row_cell(r, h2, fmt_indicator_period(a, periods->items[i]->s), 1, false);
				if (h3) {
					row_cell(r, h3, "", 1, false);
					table_merge_down(t, 1, 3 + i, 2);
				}
			}
			i += run;
		}
		table_merge_down(t, 0, 0, hr);
		table_merge_down(t, 0, 2, hr);
		/* the table's rows: its 당초 (or 변경) indicators, then the 변경
		 * rows of the set after it when that set replaces this one over
		 * the same periods (derived_set_changes) */
		const doc_node_t *chg = derived_set_changes(sets, s + 1) ? sets->items[s + 1] : NULL;
		const doc_node_t *blocks[2] = { set, chg };
		for (size_t bi = 0; bi < 2 && blocks[bi]; bi++) {
			const char *basis = doc_text(blocks[bi], "basis");
			const char *basis_word = basis && !strcmp(basis, "changed") ? "변경" : "당초";
			const doc_node_t *inds = doc_field(blocks[bi], "indicators");
			size_t block_first = t ? t->nrows : 0;
			bool any_actuals = false;
			for (size_t k = 0; k < doc_count(inds); k++) {
				const doc_node_t *ind = inds->items[k];
				static const char *const kinds[] = { "targets", "actuals" };
				for (size_t m = 0; m < 2; m++) {
					const doc_node_t *vals = doc_field(ind, kinds[m]);
					if (m == 1 && !doc_count(vals))
						continue;
					row_t *row = table_row(r, t);
					row_cell(r, row, m ? "실적" : (k == 0 ? basis_word : ""), 1, false);
					row_cell(r, row, m ? "" : or_empty(doc_text(ind, "name")), 1, false);
					row_cell(r, row, m ? "" : or_empty(doc_text(ind, "unit")), 1, false);
					for (size_t i = 0; i < np; i++) {
						const doc_node_t *v = doc_field(vals, periods->items[i]->s);
						row_cell(r, row, v ? v->s : "", 1, v && v->type == DOC_NUM);
					}
					if (m == 1 && t) { /* the name and unit stand over 목표 and 실적 */
						any_actuals = true;
						table_merge_down(t, t->nrows - 2, 1, 2);
						table_merge_down(t, t->nrows - 2, 2, 2);
					}
				}
			}
			/* 당초 (변경) over its indicators (a 실적 row labels its own first cell) */
			if (!any_actuals && t)
				table_merge_blanks(t, 0, block_first, t->nrows);
		}
		/* the card's two rows of 누적 추진율 stand under every table, filled
		 * or not, as on the printed form; a 변경 set's figures are the
		 * table's, the 당초 set's where it has none */
		static const char *const keys[] = { "target", "current" };
		static const char *const names[] = { "목표", "현재" };
		for (size_t m = 0; m < 2; m++) {
			row_t *row = table_row(r, t);
			row_cell(r, row, m == 0 ? "누적 추진율" : "", 1, false);
			row_cell(r, row, names[m], 1, false);
			row_cell(r, row, "%", 1, false);
			for (size_t i = 0; i < np; i++) {
				const char *v = chg ? doc_text(doc_field(doc_field(chg, "cumulative_progress"), periods->items[i]->s), keys[m])
						    : NULL;
				if (!v)
					v = doc_text(doc_field(doc_field(set, "cumulative_progress"), periods->items[i]->s), keys[m]);
				row_cell(r, row, v ? arena_printf(a, "%s%%", v) : "", 1, true);
			}
		}
		if (t)
			table_merge_down(t, t->nrows - 2, 0, 2);
		for (size_t bi = 0; bi < 2 && blocks[bi]; bi++) {
			const char *reason = doc_text(blocks[bi], "change_reason");
			if (reason && *reason) {
				report_para(r, "【변경사유】");
				blk_t *l = report_list(r);
				list_item(r, l, 0, "%s", reason);
			}
		}
		if (chg)
			s++; /* its rows are in this table */
	}
}

static const char *item_text(arena_t *a, const doc_node_t *it)
{
	const char *label = doc_text(it, "label"), *text = doc_text(it, "text"), *note = doc_text(it, "note");
	const char *when = fmt_when(a, it);
	const char *s;
	if (label && text)
		s = arena_printf(a, "%s : %s", label, text);
	else if (label)
		s = label;
	else
		s = or_empty(text);
	if (when && !(label && text))
		s = arena_printf(a, "%s : %s", s, when);
	if (note)
		s = arena_printf(a, "%s / %s", s, note);
	return s;
}

/* An activity as the card's 추진현황 cell writes it: its title after ○,
 * its items under it after • and - , each level indented by two spaces. */
static const char *activity_lines(arena_t *a, const doc_node_t *act)
{
	buf_t b = { 0 };
	int rc = buf_printf(&b, "○ %s", or_empty(doc_text(act, "title")));
	/* depth-first over the items, without recursion: a stack of positions */
	const doc_node_t *stack[8];
	size_t pos[8], depth = 0;
	stack[0] = doc_field(act, "items");
	pos[0] = 0;
	while (!rc) {
		if (pos[depth] >= doc_count(stack[depth])) {
			if (depth == 0)
				break;
			depth--;
			continue;
		}
		const doc_node_t *it = stack[depth]->items[pos[depth]++];
		rc = buf_printf(&b, "\n%*s%s %s", (int)(2 * (depth + 1)), "", depth == 0 ? "•" : "-", item_text(a, it));
		if (doc_count(doc_field(it, "items")) && depth + 1 < 8) {
			depth++;
			stack[depth] = doc_field(it, "items");
			pos[depth] = 0;
		}
	}
	const char *s = rc ? NULL : arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return s ? s : "";
}

static const char *span_label(arena_t *a, const doc_node_t *pr)
{
	const char *from = doc_text(pr, "from"), *to = doc_text(pr, "to");
	if (!from && !to)
		return "";
	return arena_printf(a, " (%s ~ %s)", fmt_spaced(a, from), fmt_spaced(a, to));
}

/* The card's two columns: each indicator over the rows of its activities. */
static void progress(report_t *r, arena_t *a, const doc_node_t *doc)
{
	const doc_node_t *pr = doc_field(doc, "progress");
	report_heading(r, 1, "4. 성과지표별 추진현황%s", span_label(a, pr));
	const doc_node_t *groups = doc_field(pr, "by_indicator");
	if (!doc_count(groups)) {
		report_para(r, "해당없음");
		return;
	}
	blk_t *t = report_table(r, 1);
	row_t *h = table_row(r, t);
	row_cell(r, h, "성 과 지 표", 1, false);
	row_cell(r, h, "추진현황", 1, false);
	for (size_t g = 0; g < groups->n; g++) {
		const doc_node_t *grp = groups->items[g];
		const doc_node_t *acts = doc_field(grp, "activities");
		size_t first = t ? t->nrows : 0, n = doc_count(acts);
		for (size_t k = 0; k < (n ? n : 1); k++) {
			row_t *row = table_row(r, t);
			row_cell(r, row, k ? "" : or_empty(doc_text(grp, "indicator")), 1, false);
			row_cell(r, row, n ? activity_lines(a, acts->items[k]) : "", 1, false);
		}
		if (n > 1)
			table_merge_down(t, first, 0, n);
	}
}

/* The reason of a section 5 entry, with how it was decided under it: the
 * committee's vote and opinion, and who approved it. */
static const char *decided(arena_t *a, const doc_node_t *e, const char *reason)
{
	const char *vf = doc_text(e, "votes_for"), *va = doc_text(e, "votes_against"), *vb = doc_text(e, "votes_abstain");
	const char *opinion = doc_text(e, "opinion"), *by = doc_text(e, "decided_by");
	bool votes = vf || va || vb;
	const char *out = reason;
	if (votes && opinion)
		out = arena_printf(a, "%s\n(위원회 심의: 찬성 %s, 반대 %s, 기권 %s, 의견 %s)", out, vf ? vf : "0", va ? va : "0",
				   vb ? vb : "0", opinion);
	else if (votes)
		out = arena_printf(a, "%s\n(위원회 심의: 찬성 %s, 반대 %s, 기권 %s)", out, vf ? vf : "0", va ? va : "0",
				   vb ? vb : "0");
	else if (opinion)
		out = arena_printf(a, "%s\n(위원회 심의: 의견 %s)", out, opinion);
	if (out && by)
		out = arena_printf(a, "%s\n(승인: %s)", out, by);
	return out ? out : reason;
}

static void changes(report_t *r, arena_t *a, const doc_node_t *doc)
{
	const doc_node_t *ch = doc_field(doc, "changes");
	/* the card's own period (reporting_from ~ as_of), which section 4's
	 * narrative usually shares */
	const char *from = doc_text(doc, "reporting_from"), *to = doc_text(doc, "as_of");
	const char *span = from && to ? arena_printf(a, " (%s ~ %s)", fmt_spaced(a, from), fmt_spaced(a, to)) : "";
	if (!doc_count(ch)) {
		report_heading(r, 1, "5. 사업변경내역%s : 해당없음", span);
		return;
	}
	report_heading(r, 1, "5. 사업변경내역%s", span);
	blk_t *t = report_table(r, 1);
	row_t *h = table_row(r, t);
	static const char *const heads[] = { "변경일자", "변경항목", "변경 전", "변경 후", "변경사유" };
	static const char *const keys[] = { "date", "item", "before", "after", "reason" };
	for (size_t i = 0; i < 5; i++)
		row_cell(r, h, heads[i], 1, false);
	for (size_t i = 0; i < ch->n; i++) {
		const doc_node_t *e = ch->items[i];
		row_t *row = table_row(r, t);
		for (size_t k = 0; k < 4; k++)
			row_cell(r, row, k == 0 ? fmt_date(a, doc_text(e, "date")) : or_empty(doc_text(e, keys[k])), 1, false);
		row_cell(r, row, decided(a, e, or_empty(doc_text(e, "reason"))), 1, false);
	}
}

static const char *action_lines(arena_t *a, const doc_node_t *ev)
{
	const doc_node_t *acts = doc_field(ev, "actions");
	const char *s = "";
	for (size_t k = 0; k < doc_count(acts); k++) {
		s = arena_printf(a, "%s%s• %s", s, *s ? "\n" : "", or_empty(doc_text(acts->items[k], "text")));
		const doc_node_t *items = doc_field(acts->items[k], "items");
		for (size_t i = 0; i < doc_count(items); i++) {
			s = arena_printf(a, "%s\n  - %s", s, item_text(a, items->items[i]));
			const doc_node_t *sub = doc_field(items->items[i], "items");
			for (size_t j = 0; j < doc_count(sub); j++)
				s = arena_printf(a, "%s\n    · %s", s, item_text(a, sub->items[j]));
		}
	}
	return s;
}

static void evaluations(report_t *r, arena_t *a, const doc_node_t *doc)
{
	const doc_node_t *evs = doc_field(doc, "evaluations");
	if (!doc_count(evs)) {
		report_heading(r, 1, "6. 평가결과 개선 및 제안사항 추진실적 : 해당없음");
		return;
	}
	/* One table per run of evaluations from the same round and committee. */
	bool one_group = true;
	for (size_t i = 1; i < evs->n; i++)
		if (strcmp(or_empty(doc_text(evs->items[i], "round")), or_empty(doc_text(evs->items[0], "round"))) ||
		    strcmp(or_empty(doc_text(evs->items[i], "committee")), or_empty(doc_text(evs->items[0], "committee"))))
			one_group = false;
	if (!one_group)
		report_heading(r, 1, "6. 평가결과 개선 및 제안사항 추진실적");
	blk_t *t = NULL;
	for (size_t i = 0; i < evs->n; i++) {
		const doc_node_t *ev = evs->items[i];
		bool new_group = i == 0 || strcmp(or_empty(doc_text(ev, "round")), or_empty(doc_text(evs->items[i - 1], "round"))) ||
				 strcmp(or_empty(doc_text(ev, "committee")), or_empty(doc_text(evs->items[i - 1], "committee")));
		if (new_group) {
			const char *round = doc_text(ev, "round") ? fmt_round(a, doc_text(ev, "round")) : "";
			const char *who = or_empty(doc_text(ev, "committee"));
			const char *title = arena_printf(a, "「%s%s%s 평가결과 개선 및 제안사항」 추진실적", round,
							 *round && *who ? " " : "", who);
			if (one_group)
				report_heading(r, 1, "6. %s", title);
			else
				report_heading(r, 2, "%s", title);
			t = report_table(r, 1);
			row_t *h = table_row(r, t);
			row_cell(r, h, "개선 및 제안사항", 1, false);
			row_cell(r, h, "추진실적(추진계획 포함)", 1, false);
		}
		row_t *row = table_row(r, t);
		row_cell(r, row, arena_printf(a, "• %s", or_empty(doc_text(ev, "suggestion"))), 1, false);
		row_cell(r, row, action_lines(a, ev), 1, false);
	}
}

static void problems(report_t *r, const doc_node_t *doc)
{
	const doc_node_t *ps = doc_field(doc, "problems");
	report_heading(r, 1, "7. 문제점 및 대책");
	report_heading(r, 2, "【문제점】");
	blk_t *l = report_list(r);
	if (!doc_count(ps)) {
		list_item(r, l, 0, "해당없음");
		return;
	}
	for (size_t i = 0; i < ps->n; i++)
		list_item(r, l, 0, "%zu. %s", i + 1, or_empty(doc_text(ps->items[i], "problem")));
	report_heading(r, 2, "【대책】");
	l = report_list(r);
	for (size_t i = 0; i < ps->n; i++)
		list_item(r, l, 0, "%zu. %s", i + 1,
			  doc_text(ps->items[i], "countermeasure") ? doc_text(ps->items[i], "countermeasure") : "(대책 없음)");
}

static void plans(report_t *r, arena_t *a, const doc_node_t *doc)
{
	const doc_node_t *ps = doc_field(doc, "plans");
	report_heading(r, 1, "8. 향후추진계획");
	blk_t *l = report_list(r);
	if (!doc_count(ps)) {
		list_item(r, l, 0, "해당없음");
		return;
	}
	for (size_t i = 0; i < ps->n; i++) {
		const doc_node_t *p = ps->items[i];
		const doc_node_t *done = doc_field(p, "done");
		list_item(r, l, 0, "%s ----- %s%s", or_empty(doc_text(p, "text")),
			  fmt_plan_months(a, doc_text(p, "from"), doc_text(p, "to")),
			  done && done->type == DOC_BOOL && done->b ? " (완료)" : "");
	}
}

static void officials(report_t *r, const doc_node_t *doc)
{
	const doc_node_t *os = doc_field(doc, "officials");
	const char *term = doc_text(doc, "term");
	report_heading(r, 1, "%s%s시민과의 약속 정책실명제", term ? term : "", term ? " " : "");
	if (!doc_count(os)) {
		report_para(r, "해당없음");
		return;
	}
	blk_t *t = report_table(r, 1);
	row_t *h = table_row(r, t);
	static const char *const heads[] = { "담당부서", "직(직급)", "성명", "전화번호" };
	for (size_t i = 0; i < 4; i++)
		row_cell(r, h, heads[i], 1, false);
	const char *prev = NULL;
	for (size_t i = 0; i < os->n; i++) {
		const doc_node_t *o = os->items[i];
		const char *dept = or_empty(doc_text(o, "department"));
		row_t *row = table_row(r, t);
		row_cell(r, row, prev && !strcmp(prev, dept) ? "" : dept, 1, false);
		row_cell(r, row, or_empty(doc_text(o, "position")), 1, false);
		row_cell(r, row, or_empty(doc_text(o, "name")), 1, false);
		row_cell(r, row, or_empty(doc_text(o, "phone")), 1, false);
		prev = dept;
	}
	table_merge_blanks(t, 0, 1, t ? t->nrows : 0);
}

int report_pledge(report_t *r, arena_t *a, const doc_node_t *doc)
{
	const char *title = or_empty(doc_text(doc, "title"));
	const char *as_of = doc_text(doc, "as_of");
	report_init(r, a,
		    arena_printf(a, "%s (%s)%s%s%s", title, or_empty(doc_text(doc, "code")), as_of ? " — " : "",
				 as_of ? fmt_spaced(a, as_of) : "", as_of ? " 기준" : ""));
	header(r, a, doc);
	overview(r, a, doc);
	budget(r, a, doc);
	indicators(r, a, doc);
	progress(r, a, doc);
	changes(r, a, doc);
	evaluations(r, a, doc);
	problems(r, doc);
	plans(r, a, doc);
	officials(r, doc);
	return r->oom ? YK_ENOMEM : 0;
}
