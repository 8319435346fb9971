/* The XLSX workbook, a page of pledges at a time (xlsx.h).  Sheets: 요약
 * (the figures of stats), 공약 (a row per pledge), 예산 (the report's table:
 * 확보/집행 under each period that has them, 계획 under each that has a
 * plan), 성과지표 (a row per indicator and period), 추진현황 (a row per item
 * of section 4).  Rows go down each sheet in order, as constant-memory mode
 * needs; every sheet's widths and frozen panes are set before its rows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "decimal.h"
#include "export.h"
#include "period.h"
#include "report.h"
#include "terms.h"
#include "xlsx.h"

#define MAX_PERIODS 48

struct xlsx {
	arena_t *a;
	/* the scan */
	const char *periods[MAX_PERIODS]; /* in time order, copied into a */
	size_t np;
	bool planned[MAX_PERIODS], actual[MAX_PERIODS];
	bool too_many;                    /* more periods than MAX_PERIODS */
	char as_of[11];                   /* the latest as_of */
	/* the workbook */
	const char *path;
	lxw_workbook *wb;
	lxw_worksheet *ws_p, *ws_b, *ws_i, *ws_a;
	lxw_format *hd, *num, *txt, *sum;
	int row_p, row_b, row_i, row_a;
	int pcol[MAX_PERIODS], plancol[MAX_PERIODS], cols;
	bool failed;
};

/* Write a decimal cell; returns its value (0 when there is none). */
static double xnum(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	int64_t v;
	if (!s || dec_parse(s, &v))
		return 0;
	worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, (double)v / 100.0, f);
	return (double)v / 100.0;
}

static void xstr(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	if (s && *s)
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f);
	else if (f)
		worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, f);
}


/* A funding source's word on the card (national -> 국비). */
static const char *source_word(const char *key)
{
	for (size_t i = 0; key && i < BUDGET_SOURCES; i++)
		if (!strcmp(key, budget_source_keys[i]))
			return budget_source_names[i];
	return key;
}

static const char *d_or_blank(const Yk__Decimal *d)
{
	return d && d->value ? d->value : NULL;
}

static void xcount(lxw_worksheet *ws, int row, int col, uint32_t n, lxw_format *f)
{
	worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, n, f);
}

/* 요약: the figures of `yaksok stats` laid out like a city's 공약 이행 현황 표 --
 * the evaluation's measures first, then by department and by 정책분야, then
 * 재원 확보율. */
static void summary_sheet(lxw_workbook *wb, const Yk__StatsReply *s, lxw_format *hd, lxw_format *num, lxw_format *txt,
			  lxw_format *sum)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "요약");
	/* the widths first: in constant-memory mode a sheet is written as it goes */
	worksheet_set_column(ws, 0, 0, 24, NULL);
	worksheet_set_column(ws, 1, 1, 14, NULL);
	worksheet_set_column(ws, 2, 2, 16, NULL);
	worksheet_set_column(ws, 3, 5, 14, NULL);
	int r = 0;
	xstr(ws, r++, 0, "공약 이행 현황", hd);
	static const char *const mh[] = { "지표", "값(%)", "설명" };
	for (int k = 0; k < 3; k++)
		xstr(ws, r, k, mh[k], hd);
	r++;
	xstr(ws, r, 0, "공약이행완료율", txt);
	xnum(ws, r, 1, d_or_blank(s->evaluation_completion_rate_pct), num);
	xstr(ws, r++, 2, "완료(완료·완료 후 지속) ÷ 전체 공약 (폐기 포함; 한국매니페스토실천본부 기준)", txt);
	xstr(ws, r, 0, "이행완료율 (폐기 제외)", txt);
	xnum(ws, r, 1, d_or_blank(s->completion_rate_pct), num);
	xstr(ws, r++, 2, "완료 ÷ 폐기를 뺀 공약", txt);
	xstr(ws, r, 0, "평균 진도율", txt);
	xnum(ws, r, 1, d_or_blank(s->average_progress_pct), num);
	xstr(ws, r++, 2, "폐기를 뺀 공약의 전체 사업진도율 평균", txt);
	if (s->year_targets) {
		char label[64];
		snprintf(label, sizeof(label), "%u년 목표달성률", s->year_targets->year);
		xstr(ws, r, 0, label, txt);
		xnum(ws, r, 1, d_or_blank(s->year_targets->pledges_met_pct), num);
		xstr(ws, r++, 2, "그 해의 수치 목표를 모두 달성한 공약 ÷ 그 해 수치 목표가 있는 공약", txt);
	}
	if (s->finance_all) {
		xstr(ws, r, 0, "재원 확보율", txt);
		xnum(ws, r, 1, d_or_blank(s->finance_all->secured_rate_pct), num);
		xstr(ws, r++, 2, "기투자 + 확보 ÷ 소요예산(a~g 합계)", txt);
	}
	r++;
	static const char *const dh[] = { "담당부서", "공약 수", "완료", "부진", "기한경과", "평균 진도율(%)" };
	for (int k = 0; k < 6; k++)
		xstr(ws, r, k, dh[k], hd);
	r++;
	for (size_t i = 0; i < s->n_departments; i++, r++) {
		const Yk__DepartmentStats *d = s->departments[i];
		xstr(ws, r, 0, d->department, txt);
		xcount(ws, r, 1, d->pledges, num);
		xcount(ws, r, 2, d->completed, num);
		xcount(ws, r, 3, d->lagging, num);
		xcount(ws, r, 4, d->overdue, num);
		xnum(ws, r, 5, d_or_blank(d->average_progress_pct), num);
	}
	xstr(ws, r, 0, "계", sum);
	xcount(ws, r, 1, s->pledges, sum);
	uint32_t done = 0;
	for (size_t i = 0; i < s->n_departments; i++)
		done += s->departments[i]->completed;
	xcount(ws, r, 2, done, sum);
	xcount(ws, r, 3, s->lagging, sum);
	xcount(ws, r, 4, s->overdue, sum);
	xnum(ws, r, 5, d_or_blank(s->average_progress_pct), sum);
	r += 2;
	static const char *const ah[] = { "정책분야", "공약 수", "완료", "이행완료율(%)", "평균 진도율(%)" };
	for (int k = 0; k < 5; k++)
		xstr(ws, r, k, ah[k], hd);
	r++;
	for (size_t i = 0; i < s->n_areas; i++, r++) {
		const Yk__AreaStats *a = s->areas[i];
		xstr(ws, r, 0, a->area && *a->area ? a->area : "(분야 없음)", txt);
		xcount(ws, r, 1, a->pledges, num);
		xcount(ws, r, 2, a->completed, num);
		xnum(ws, r, 3, d_or_blank(a->completion_rate_pct), num);
		xnum(ws, r, 4, d_or_blank(a->average_progress_pct), num);
	}
	r++;
	static const char *const fh[] = { "재원", "소요예산(a~g)", "확보(기투자 포함)", "재원 확보율(%)" };
	for (int k = 0; k < 4; k++)
		xstr(ws, r, k, fh[k], hd);
	r++;
	for (size_t i = 0; i <= s->n_finance; i++, r++) {
		const Yk__FinanceStats *f = i < s->n_finance ? s->finance[i] : s->finance_all;
		if (!f)
			break;
		lxw_format *fmt = i < s->n_finance ? num : sum;
		xstr(ws, r, 0, i < s->n_finance ? source_word(f->source) : "계", i < s->n_finance ? txt : sum);
		xnum(ws, r, 1, d_or_blank(f->required), fmt);
		xnum(ws, r, 2, d_or_blank(f->secured), fmt);
		xnum(ws, r, 3, d_or_blank(f->secured_rate_pct), fmt);
	}
}


xlsx_t *xlsx_new(arena_t *a)
{
	xlsx_t *x = arena_calloc(a, sizeof(*x));
	if (x)
		x->a = a;
	return x;
}

static int period_index(const xlsx_t *x, const char *s)
{
	for (size_t i = 0; i < x->np; i++)
		if (!strcmp(x->periods[i], s))
			return (int)i;
	return -1;
}

int xlsx_scan(xlsx_t *x, doc_node_t *const *docs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const doc_node_t *d = docs[i], *ps = doc_field(doc_field(d, "budget"), "periods");
		const char *as_of = doc_text(d, "as_of");
		if (as_of && strlen(as_of) < sizeof(x->as_of) && strcmp(as_of, x->as_of) > 0)
			memcpy(x->as_of, as_of, strlen(as_of) + 1);
		/* every budget period of every pledge, in time order, once */
		for (size_t k = 0; k < doc_count(ps); k++) {
			period_t p;
			if (ps->items[k]->type != DOC_STR || period_parse(ps->items[k]->s, &p) || period_index(x, ps->items[k]->s) >= 0)
				continue;
			if (x->np == MAX_PERIODS) {
				x->too_many = true;
				continue;
			}
			size_t at = 0;
			for (; at < x->np; at++) {
				period_t q;
				period_parse(x->periods[at], &q);
				if (q.first > p.first || (q.first == p.first && q.last > p.last))
					break;
			}
			const char *copy = arena_strdup(x->a, ps->items[k]->s);
			if (!copy)
				return -1;
			memmove(x->periods + at + 1, x->periods + at, (x->np - at) * sizeof(x->periods[0]));
			memmove(x->planned + at + 1, x->planned + at, (x->np - at) * sizeof(x->planned[0]));
			memmove(x->actual + at + 1, x->actual + at, (x->np - at) * sizeof(x->actual[0]));
			x->periods[at] = copy;
			x->planned[at] = x->actual[at] = false;
			x->np++;
		}
		/* which periods have plans, which have 확보/집행 */
		const doc_node_t *srcs = doc_field(doc_field(d, "budget"), "sources");
		for (size_t s = 0; s < doc_count(srcs); s++) {
			const doc_node_t *am = doc_field(srcs->items[s], "amounts");
			for (size_t p = 0; am && am->type == DOC_MAP && p < am->n; p++) {
				int at = period_index(x, am->keys[p]);
				if (at < 0)
					continue;
				x->planned[at] |= doc_text(am->items[p], "planned") != NULL;
				x->actual[at] |= doc_text(am->items[p], "secured") != NULL || doc_text(am->items[p], "executed") != NULL;
			}
		}
	}
	return 0;
}

/* The day the record speaks of: the workbook's creation date, so that the
 * same record gives the same bytes. */
static time_t record_time(const xlsx_t *x)
{
	struct tm tm = { .tm_mday = 1, .tm_year = 70 };
	if (sscanf(x->as_of, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
	}
	return timegm(&tm);
}

typedef struct {
	int first, last;
	double width;
} widths_t;

/* A sheet of one header row: its column widths and frozen panes first (a
 * sheet in constant memory is written as it goes), then the header. */
static lxw_worksheet *sheet(xlsx_t *x, const char *name, const widths_t *w, size_t nw, const char *const *head,
			    int n)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (!ws)
		return NULL;
	worksheet_set_column(ws, 0, 0, 14, NULL);
	for (size_t i = 0; i < nw; i++)
		worksheet_set_column(ws, (lxw_col_t)w[i].first, (lxw_col_t)w[i].last, w[i].width, NULL);
	worksheet_freeze_panes(ws, 1, 2);
	for (int k = 0; k < n; k++)
		xstr(ws, 0, k, head[k], x->hd);
	return ws;
}

int xlsx_open(xlsx_t *x, const char *path, const Yk__StatsReply *stats)
{
	if (x->too_many) {
		fprintf(stderr, "yaksok: the pledges have more than %d budget periods between them: the workbook has no room\n",
			MAX_PERIODS);
		return -1;
	}
	x->path = path;
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	if (!(x->wb = workbook_new_opt(path, &opt))) {
		fprintf(stderr, "yaksok: cannot write %s\n", path);
		return -1;
	}
	x->hd = workbook_add_format(x->wb);
	format_set_bold(x->hd);
	format_set_border(x->hd, LXW_BORDER_THIN);
	format_set_bg_color(x->hd, 0xE8E8E8);
	format_set_align(x->hd, LXW_ALIGN_CENTER);
	format_set_align(x->hd, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(x->hd);
	x->num = workbook_add_format(x->wb);
	format_set_num_format(x->num, "#,##0.##");
	format_set_border(x->num, LXW_BORDER_THIN);
	x->txt = workbook_add_format(x->wb);
	format_set_border(x->txt, LXW_BORDER_THIN);
	x->sum = workbook_add_format(x->wb);
	format_set_num_format(x->sum, "#,##0.##");
	format_set_border(x->sum, LXW_BORDER_THIN);
	format_set_bold(x->sum);
	workbook_set_properties(x->wb, &(lxw_doc_properties){ .title = "공약 이행 현황", .author = "yaksok",
							      .created = record_time(x) });

	/* 요약 first: the city's 공약 이행 현황, as the annual evaluation reads it */
	if (stats)
		summary_sheet(x->wb, stats, x->hd, x->num, x->txt, x->sum);

	static const char *const ph[] = { "코드", "공약명", "정책분야", "담당부서", "상태", "진도율(%)", "목표연월",
					  "기준일", "기한경과", "소요예산(백만원)", "집행률(%)" };
	static const widths_t pw[] = { { 1, 1, 40 }, { 2, 3, 18 }, { 4, 10, 12 } };
	if (!(x->ws_p = sheet(x, "공약", pw, 3, ph, 11)))
		return -1;
	x->row_p = 1;

	/* 예산: two header rows; a period of plans alone (the future, on the
	 * card) gets 계획 only */
	for (size_t p = 0; p < x->np; p++)
		x->actual[p] |= !x->planned[p];
	int col = 5;
	for (size_t p = 0; p < x->np; p++) {
		x->pcol[p] = col;
		x->plancol[p] = x->planned[p] ? col + (x->actual[p] ? 2 : 0) : -1;
		col += (x->actual[p] ? 2 : 0) + (x->planned[p] ? 1 : 0);
	}
	x->cols = col;
	if (!(x->ws_b = workbook_add_worksheet(x->wb, "예산")))
		return -1;
	lxw_worksheet *ws = x->ws_b;
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 32, NULL);
	worksheet_set_column(ws, 2, 2, 10, NULL);
	worksheet_set_column(ws, 3, (lxw_col_t)(col > 3 ? col - 1 : 3), 11, NULL);
	worksheet_freeze_panes(ws, 2, 3);
	/* row 0 whole before row 1: constant-memory mode writes rows in order,
	 * so the first five labels stand in row 0 above header-formatted blanks
	 * instead of cells merged down */
	static const char *const bh[] = { "코드", "공약명", "구 분", "소요예산 (a~g합계)", "기투자 (a)" };
	for (int k = 0; k < 5; k++)
		xstr(ws, 0, k, bh[k], x->hd);
	for (size_t p = 0; p < x->np; p++) {
		int w = (x->actual[p] ? 2 : 0) + (x->planned[p] ? 1 : 0);
		const char *name = fmt_budget_period(x->a, x->periods[p]);
		if (w > 1)
			worksheet_merge_range(ws, 0, (lxw_col_t)x->pcol[p], 0, (lxw_col_t)(x->pcol[p] + w - 1), name, x->hd);
		else
			xstr(ws, 0, x->pcol[p], name, x->hd);
	}
	for (int k = 0; k < 5; k++)
		xstr(ws, 1, k, NULL, x->hd);
	for (size_t p = 0; p < x->np; p++) {
		if (x->actual[p]) {
			xstr(ws, 1, x->pcol[p], "확보", x->hd);
			xstr(ws, 1, x->pcol[p] + 1, "집행", x->hd);
		}
		if (x->planned[p])
			xstr(ws, 1, x->plancol[p], "계획", x->hd);
	}
	x->row_b = 2;

	static const char *const ih[] = { "코드", "공약명", "구분", "성과지표", "단위", "기간", "목표", "실적", "누적 목표(%)",
					  "누적 현재(%)" };
	static const widths_t iw[] = { { 1, 1, 32 }, { 3, 3, 30 } };
	if (!(x->ws_i = sheet(x, "성과지표", iw, 2, ih, 10)))
		return -1;
	x->row_i = 1;

	static const char *const ah[] = { "코드", "공약명", "성과지표", "추진내용", "항목", "내용", "일자", "까지", "비고" };
	static const widths_t aw[] = { { 1, 3, 28 }, { 5, 5, 50 } };
	if (!(x->ws_a = sheet(x, "추진현황", aw, 2, ah, 9)))
		return -1;
	x->row_a = 1;
	return 0;
}

static void pledge_row(xlsx_t *x, const doc_node_t *d)
{
	const doc_node_t *der = doc_field(d, "derived");
	lxw_worksheet *ws = x->ws_p;
	int r = x->row_p++;
	xstr(ws, r, 0, doc_text(d, "code"), x->txt);
	xstr(ws, r, 1, doc_text(d, "title"), x->txt);
	xstr(ws, r, 2, doc_text(d, "area"), x->txt);
	xstr(ws, r, 3, doc_text(d, "department"), x->txt);
	xstr(ws, r, 4, status_word(doc_text(d, "status")), x->txt);
	xnum(ws, r, 5, doc_text(d, "progress_pct"), x->num);
	xstr(ws, r, 6, doc_text(d, "target_month"), x->txt);
	xstr(ws, r, 7, doc_text(d, "as_of"), x->txt);
	xstr(ws, r, 8, city_overdue(d) ? "기한경과" : "", x->txt);
	xnum(ws, r, 9, doc_text(doc_field(der, "budget_total"), "all"), x->num);
	xnum(ws, r, 10, doc_text(der, "execution_rate_pct"), x->num);
}

/* 계, then each source that has figures; -1 when a period is not a column. */
static int budget_rows(xlsx_t *x, const doc_node_t *d)
{
	lxw_worksheet *ws = x->ws_b;
	const doc_node_t *srcs = doc_field(doc_field(d, "budget"), "sources");
	const doc_node_t *totals = doc_field(doc_field(d, "derived"), "budget_total");
	for (size_t s = 0; s < doc_count(srcs); s++) {
		const doc_node_t *am = doc_field(srcs->items[s], "amounts");
		for (size_t p = 0; am && am->type == DOC_MAP && p < am->n; p++)
			if (period_index(x, am->keys[p]) < 0) {
				fprintf(stderr, "yaksok: %s gained the budget period %s while the workbook was written: export again\n",
					doc_text(d, "code") ? doc_text(d, "code") : "a pledge", am->keys[p]);
				return -1;
			}
	}
	int first = x->row_b, row = first;
	double colsum[3 * MAX_PERIODS + 5] = { 0 };
	xstr(ws, row, 0, doc_text(d, "code"), x->txt);
	xstr(ws, row, 1, doc_text(d, "title"), x->txt);
	xstr(ws, row, 2, "계", x->txt);
	xnum(ws, row, 3, doc_text(totals, "all"), x->sum);
	/* the 계 row sums the source rows below it: its formulas, with their
	 * values for readers that do not recalculate, go in before those rows
	 * (rows are written in order), so the sums are made first */
	int nsrc = 0;
	for (size_t s = 0; s < BUDGET_SOURCES; s++) {
		const doc_node_t *src = doc_field(srcs, budget_source_keys[s]);
		if (!src)
			continue;
		nsrc++;
		int64_t v;
		const char *t = doc_text(src, "prior");
		colsum[4] += t && !dec_parse(t, &v) ? (double)v / 100.0 : 0;
		for (size_t p = 0; p < x->np; p++) {
			const doc_node_t *cell = doc_field(doc_field(src, "amounts"), x->periods[p]);
			static const char *const keys[] = { "secured", "executed", "planned" };
			int at[3] = { x->actual[p] ? x->pcol[p] : -1, x->actual[p] ? x->pcol[p] + 1 : -1, x->plancol[p] };
			for (int k = 0; k < 3; k++)
				if (at[k] >= 0 && (t = doc_text(cell, keys[k])) && !dec_parse(t, &v))
					colsum[at[k]] += (double)v / 100.0;
		}
	}
	for (int k = 4; k < x->cols && nsrc; k++) {
		char ref[64];
		lxw_rowcol_to_range(ref, (lxw_row_t)(first + 1), (lxw_col_t)k, (lxw_row_t)(first + nsrc), (lxw_col_t)k);
		char f[80];
		snprintf(f, sizeof(f), "=SUM(%s)", ref);
		worksheet_write_formula_num(ws, (lxw_row_t)first, (lxw_col_t)k, f, x->sum, colsum[k]);
	}
	for (size_t s = 0; s < BUDGET_SOURCES; s++) {
		const doc_node_t *src = doc_field(srcs, budget_source_keys[s]);
		if (!src)
			continue;
		row++;
		xstr(ws, row, 0, doc_text(d, "code"), x->txt);
		xstr(ws, row, 1, doc_text(d, "title"), x->txt);
		xstr(ws, row, 2, budget_source_names[s], x->txt);
		xnum(ws, row, 3, doc_text(totals, budget_source_keys[s]), x->num);
		xnum(ws, row, 4, doc_text(src, "prior"), x->num);
		for (size_t p = 0; p < x->np; p++) {
			const doc_node_t *cell = doc_field(doc_field(src, "amounts"), x->periods[p]);
			if (x->actual[p]) {
				xnum(ws, row, x->pcol[p], doc_text(cell, "secured"), x->num);
				xnum(ws, row, x->pcol[p] + 1, doc_text(cell, "executed"), x->num);
			}
			if (x->plancol[p] >= 0)
				xnum(ws, row, x->plancol[p], doc_text(cell, "planned"), x->num);
		}
	}
	x->row_b = row + 1;
	return 0;
}

static void indicator_rows(xlsx_t *x, const doc_node_t *d)
{
	lxw_worksheet *ws = x->ws_i;
	const doc_node_t *sets = doc_field(d, "indicator_sets");
	for (size_t s = 0; s < doc_count(sets); s++) {
		const doc_node_t *set = sets->items[s], *ps = doc_field(set, "periods"), *inds = doc_field(set, "indicators");
		const doc_node_t *cum = doc_field(set, "cumulative_progress");
		const char *basis = doc_text(set, "basis") && !strcmp(doc_text(set, "basis"), "changed") ? "변경" : "당초";
		for (size_t k = 0; k < doc_count(inds); k++)
			for (size_t p = 0; p < doc_count(ps); p++) {
				const char *per = ps->items[p]->s;
				const doc_node_t *t = doc_field(doc_field(inds->items[k], "targets"), per);
				const doc_node_t *a = doc_field(doc_field(inds->items[k], "actuals"), per);
				if (!t && !a)
					continue;
				int row = x->row_i++;
				xstr(ws, row, 0, doc_text(d, "code"), x->txt);
				xstr(ws, row, 1, doc_text(d, "title"), x->txt);
				xstr(ws, row, 2, basis, x->txt);
				xstr(ws, row, 3, doc_text(inds->items[k], "name"), x->txt);
				xstr(ws, row, 4, doc_text(inds->items[k], "unit"), x->txt);
				xstr(ws, row, 5, per, x->txt);
				const doc_node_t *v[2] = { t, a };
				for (int m = 0; m < 2; m++) {
					if (v[m] && v[m]->type == DOC_NUM)
						xnum(ws, row, 6 + m, v[m]->s, x->num);
					else
						xstr(ws, row, 6 + m, v[m] ? v[m]->s : NULL, x->txt);
				}
				xnum(ws, row, 8, doc_text(doc_field(cum, per), "target"), x->num);
				xnum(ws, row, 9, doc_text(doc_field(cum, per), "current"), x->num);
			}
	}
}

static void progress_rows(xlsx_t *x, const doc_node_t *d)
{
	lxw_worksheet *ws = x->ws_a;
	const doc_node_t *groups = doc_field(doc_field(d, "progress"), "by_indicator");
	for (size_t g = 0; g < doc_count(groups); g++) {
		const doc_node_t *acts = doc_field(groups->items[g], "activities");
		for (size_t k = 0; k < doc_count(acts); k++) {
			const doc_node_t *items = doc_field(acts->items[k], "items");
			for (size_t j = 0; j < (doc_count(items) ? doc_count(items) : 1); j++) {
				const doc_node_t *it = doc_count(items) ? items->items[j] : NULL;
				const doc_node_t *dates = doc_field(it, "dates");
				const char *when = doc_text(it, "date");
				char many[512] = "";
				if (!when && doc_count(dates)) {
					size_t used = 0;
					for (size_t q = 0; q < dates->n && used < sizeof(many) - 16; q++)
						used += (size_t)snprintf(many + used, sizeof(many) - used, "%s%s", q ? ", " : "",
									 dates->items[q]->s ? dates->items[q]->s : "");
					when = many;
				}
				int row = x->row_a++;
				xstr(ws, row, 0, doc_text(d, "code"), x->txt);
				xstr(ws, row, 1, doc_text(d, "title"), x->txt);
				xstr(ws, row, 2, doc_text(groups->items[g], "indicator"), x->txt);
				xstr(ws, row, 3, doc_text(acts->items[k], "title"), x->txt);
				xstr(ws, row, 4, doc_text(it, "label"), x->txt);
				xstr(ws, row, 5, doc_text(it, "text"), x->txt);
				xstr(ws, row, 6, when, x->txt);
				xstr(ws, row, 7, doc_text(it, "until"), x->txt);
				xstr(ws, row, 8, doc_text(it, "note"), x->txt);
			}
		}
	}
}

int xlsx_rows(xlsx_t *x, doc_node_t *const *docs, size_t n)
{
	for (size_t i = 0; i < n && !x->failed; i++) {
		pledge_row(x, docs[i]);
		if (budget_rows(x, docs[i]))
			x->failed = true;
		indicator_rows(x, docs[i]);
		progress_rows(x, docs[i]);
	}
	return x->failed ? -1 : 0;
}

int xlsx_close(xlsx_t *x)
{
	if (!x->wb)
		return -1;
	lxw_error err = workbook_close(x->wb);
	x->wb = NULL;
	if (err)
		fprintf(stderr, "yaksok: cannot write %s: %s\n", x->path, lxw_strerror(err));
	if (err || x->failed)
		return -1;
	return xlsx_exact(x->path);
}
