/* yaksok export: every pledge (or those a filter picks) as a CSV for Excel, an
 * XLSX workbook laid out like the report, a JSON array of the documents, or a
 * self-contained HTML dashboard with SVG charts. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "cli.h"
#include "csv.h"
#include "decimal.h"
#include "export.h"
#include "doc_io.h"
#include "docmap.h"
#include "pdf.h"
#include "period.h"
#include "render.h"
#include "report.h"
#include "safeout.h"

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Σ secured, executed, planned over every source and period, in hundredths. */
static void budget_sums(const doc_node_t *doc, int64_t sum[3])
{
	static const char *const keys[] = { "secured", "executed", "planned" };
	sum[0] = sum[1] = sum[2] = 0;
	const doc_node_t *srcs = doc_field(doc_field(doc, "budget"), "sources");
	for (size_t s = 0; s < doc_count(srcs); s++) {
		const doc_node_t *am = doc_field(srcs->items[s], "amounts");
		for (size_t p = 0; p < doc_count(am); p++)
			for (int k = 0; k < 3; k++) {
				int64_t v;
				const char *x = doc_text(am->items[p], keys[k]);
				if (x && !dec_parse(x, &v))
					sum[k] += v;
			}
	}
}

int city_save(const char *path, const buf_t *b)
{
	if (!strcmp(path, "-")) {
		/* an XLSX is not text: past the terminal filter, as it is */
		bool ok = safeout_write_raw(b->data, b->len) == 0;
		if (!ok)
			fprintf(stderr, "yaksok: cannot write to standard output: %s\n", strerror(errno));
		return ok ? 0 : -1;
	}
	char *tmp = malloc(strlen(path) + 16);
	if (!tmp)
		return -1;
	sprintf(tmp, "%s.tmp%d", path, (int)getpid());
	FILE *f = fopen(tmp, "wb");
	int rc = -1;
	if (f) {
		bool ok = fwrite(b->data, 1, b->len, f) == b->len;
		ok = fclose(f) == 0 && ok;
		rc = ok && rename(tmp, path) == 0 ? 0 : -1;
	}
	if (rc) {
		fprintf(stderr, "yaksok: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* ------------------------------------------------------------------ CSV */

static int csv_field(buf_t *b, const char *s, bool last)
{
	return csv_cell(b, s) | buf_puts(b, last ? "\r\n" : ",");
}

#define CSV_COLS 18

static const char *const csv_head[CSV_COLS] = {
		"코드", "공약명", "정책분야", "담당부서", "상태", "진도율(%)", "목표연월", "기준일", "기한경과", "부진 사유",
		"예산단위", "소요예산(백만원)", "기준연도", "기준연도 예산(백만원)", "확보 합계(백만원)", "집행 합계(백만원)",
		"계획 합계(백만원)", "집행률(%)"
};

static int csv_start(buf_t *out)
{
	int rc = buf_append(out, "\xEF\xBB\xBF", 3); /* Excel reads UTF-8 only with a BOM */
	for (int i = 0; i < CSV_COLS; i++)
		rc |= csv_field(out, csv_head[i], i == CSV_COLS - 1);
	return rc;
}

static int csv_rows(const city_t *c, buf_t *out)
{
	int rc = 0;
	for (size_t i = 0; i < c->n && !rc; i++) {
		const doc_node_t *d = c->docs[i], *der = doc_field(d, "derived");
		int64_t sum[3];
		char s0[32], s1[32], s2[32];
		budget_sums(d, sum);
		const doc_node_t *over = doc_field(der, "overdue");
		const char *cells[CSV_COLS] = {
			nz(doc_text(d, "code")), nz(doc_text(d, "title")), nz(doc_text(d, "area")), nz(doc_text(d, "department")),
			status_word(doc_text(d, "status")), nz(doc_text(d, "progress_pct")), nz(doc_text(d, "target_month")),
			nz(doc_text(d, "as_of")), over && over->type == DOC_BOOL && over->b ? "Y" : "N", "",
			nz(doc_text(doc_field(d, "budget"), "unit")), nz(doc_text(doc_field(der, "budget_total"), "all")),
			nz(doc_text(doc_field(der, "budget_year"), "year")), nz(doc_text(doc_field(der, "budget_year"), "amount")),
			dec_format(sum[0], s0), dec_format(sum[1], s1), dec_format(sum[2], s2),
			nz(doc_text(der, "execution_rate_pct")),
		};
		for (size_t k = 0; c->stats && k < c->stats->n_lagging_list; k++)
			if (!strcmp(c->stats->lagging_list[k]->code, cells[0]))
				cells[9] = nz(c->stats->lagging_list[k]->reason);
		if (!*cells[10])
			cells[10] = "백만원";
		for (int k = 0; k < CSV_COLS; k++)
			rc |= csv_field(out, cells[k], k == CSV_COLS - 1);
	}
	return rc ? -1 : 0;
}

int city_csv(const city_t *c, buf_t *out)
{
	return csv_start(out) || csv_rows(c, out) ? -1 : 0;
}

/* ------------------------------------------------------------------ JSON */

/* The array a document at a time, so that an export can write it page by
 * page: "[", each document indented inside it, "]".  A JSON string holds
 * no raw line break, so indenting every line is safe. */
static int json_item(buf_t *out, const doc_node_t *doc, bool first)
{
	buf_t one = BUF_INIT;
	int rc = doc_write_json(&one, doc, 2);
	rc |= buf_puts(out, first ? "\n  " : ",\n  ");
	for (size_t i = 0; !rc && i < one.len; i++) {
		if (one.data[i] == '\n' && i + 1 == one.len)
			break;
		rc = buf_putc(out, one.data[i]) | (one.data[i] == '\n' ? buf_puts(out, "  ") : 0);
	}
	buf_free(&one);
	return rc;
}

static int json_end(buf_t *out, bool empty)
{
	return buf_puts(out, empty ? "]\n" : "\n]\n");
}

int city_json(const city_t *c, buf_t *out)
{
	int rc = buf_putc(out, '[');
	for (size_t i = 0; i < c->n && !rc; i++)
		rc = json_item(out, c->docs[i], i == 0);
	return rc || json_end(out, c->n == 0) ? -1 : 0;
}

/* ------------------------------------------------------------------ XLSX */

/* Every budget period of every pledge, in time order, once. */
static size_t all_periods(const city_t *c, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		const doc_node_t *ps = doc_field(doc_field(c->docs[i], "budget"), "periods");
		for (size_t k = 0; k < doc_count(ps); k++) {
			period_t p;
			if (ps->items[k]->type != DOC_STR || period_parse(ps->items[k]->s, &p))
				continue;
			size_t at = 0;
			bool dup = false;
			for (; at < n; at++) {
				period_t q;
				period_parse(out[at], &q);
				if (!strcmp(out[at], ps->items[k]->s))
					dup = true;
				if (dup || q.first > p.first || (q.first == p.first && q.last > p.last))
					break;
			}
			if (dup || n == max)
				continue;
			memmove(out + at + 1, out + at, (n - at) * sizeof(*out));
			out[at] = ps->items[k]->s;
			n++;
		}
	}
	return n;
}

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

#define MAX_PERIODS 48

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
	worksheet_set_column(ws, 0, 0, 24, NULL);
	worksheet_set_column(ws, 1, 5, 14, NULL);
	worksheet_set_column(ws, 2, 2, 16, NULL);
}

/* The day the record speaks of (the latest as_of): the workbook's creation
 * date, so that the same record gives the same bytes. */
const char *city_as_of(const city_t *c)
{
	const char *latest = "";
	for (size_t i = 0; i < c->n; i++) {
		const char *d = doc_text(c->docs[i], "as_of");
		if (d && strcmp(d, latest) > 0)
			latest = d;
	}
	return latest;
}

static time_t record_time(const city_t *c)
{
	struct tm tm = { .tm_mday = 1, .tm_year = 70 };
	if (sscanf(city_as_of(c), "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
	}
	return timegm(&tm);
}

int city_xlsx(const city_t *c, buf_t *out)
{
	/* libxlsxwriter writes a file: one of our own in TMPDIR, read back */
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *tmp = arena_printf(c->a, "%s/yaksok-xlsx-XXXXXX", dir);
	int fd = tmp ? mkstemp(tmp) : -1;
	if (fd < 0) {
		fprintf(stderr, "yaksok: cannot make a temporary file in %s: %s\n", dir, strerror(errno));
		return -1;
	}
	close(fd);
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
	lxw_workbook *wb = workbook_new_opt(tmp, &opt);
	if (!wb) {
		unlink(tmp);
		return -1;
	}
	lxw_format *hd = workbook_add_format(wb);
	format_set_bold(hd);
	format_set_border(hd, LXW_BORDER_THIN);
	format_set_bg_color(hd, 0xE8E8E8);
	format_set_align(hd, LXW_ALIGN_CENTER);
	format_set_align(hd, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(hd);
	lxw_format *num = workbook_add_format(wb);
	format_set_num_format(num, "#,##0.##");
	format_set_border(num, LXW_BORDER_THIN);
	lxw_format *txt = workbook_add_format(wb);
	format_set_border(txt, LXW_BORDER_THIN);
	lxw_format *sum = workbook_add_format(wb);
	format_set_num_format(sum, "#,##0.##");
	format_set_border(sum, LXW_BORDER_THIN);
	format_set_bold(sum);

	/* 요약 first: the city's 공약 이행 현황, as the annual evaluation reads it */
	if (c->stats)
		summary_sheet(wb, c->stats, hd, num, txt, sum);

	/* 공약: one row per pledge */
	lxw_worksheet *ws = workbook_add_worksheet(wb, "공약");
	static const char *const ph[] = { "코드", "공약명", "정책분야", "담당부서", "상태", "진도율(%)", "목표연월",
					  "기준일", "기한경과", "소요예산(백만원)", "집행률(%)" };
	for (int k = 0; k < 11; k++)
		xstr(ws, 0, k, ph[k], hd);
	for (size_t i = 0; i < c->n; i++) {
		const doc_node_t *d = c->docs[i], *der = doc_field(d, "derived");
		int r = (int)i + 1;
		const doc_node_t *over = doc_field(der, "overdue");
		xstr(ws, r, 0, doc_text(d, "code"), txt);
		xstr(ws, r, 1, doc_text(d, "title"), txt);
		xstr(ws, r, 2, doc_text(d, "area"), txt);
		xstr(ws, r, 3, doc_text(d, "department"), txt);
		xstr(ws, r, 4, status_word(doc_text(d, "status")), txt);
		xnum(ws, r, 5, doc_text(d, "progress_pct"), num);
		xstr(ws, r, 6, doc_text(d, "target_month"), txt);
		xstr(ws, r, 7, doc_text(d, "as_of"), txt);
		xstr(ws, r, 8, over && over->b ? "지연" : "", txt);
		xnum(ws, r, 9, doc_text(doc_field(der, "budget_total"), "all"), num);
		xnum(ws, r, 10, doc_text(der, "execution_rate_pct"), num);
	}
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 40, NULL);
	worksheet_set_column(ws, 2, 3, 18, NULL);
	worksheet_set_column(ws, 4, 10, 12, NULL);
	worksheet_freeze_panes(ws, 1, 2);

	/* 예산: the report's table, 확보/집행 under each period that has them
	 * and 계획 under each that has a plan: a period of plans alone (the
	 * future, on the card) gets 계획 only */
	const char *periods[MAX_PERIODS];
	size_t np = all_periods(c, periods, MAX_PERIODS);
	bool planned[MAX_PERIODS] = { false }, actual[MAX_PERIODS] = { false };
	for (size_t i = 0; i < c->n; i++) {
		const doc_node_t *srcs = doc_field(doc_field(c->docs[i], "budget"), "sources");
		for (size_t s = 0; s < doc_count(srcs); s++)
			for (size_t p = 0; p < np; p++) {
				const doc_node_t *cell = doc_field(doc_field(srcs->items[s], "amounts"), periods[p]);
				planned[p] |= doc_text(cell, "planned") != NULL;
				actual[p] |= doc_text(cell, "secured") != NULL || doc_text(cell, "executed") != NULL;
			}
	}
	for (size_t p = 0; p < np; p++)
		actual[p] |= !planned[p];
	ws = workbook_add_worksheet(wb, "예산");
	static const char *const bh[] = { "코드", "공약명", "구 분", "소요예산 (a~g합계)", "기투자 (a)" };
	for (int k = 0; k < 5; k++)
		worksheet_merge_range(ws, 0, (lxw_col_t)k, 1, (lxw_col_t)k, bh[k], hd);
	/* each period's first column, and where its 계획 is (-1: none) */
	int col = 5, pcol[MAX_PERIODS], plancol[MAX_PERIODS];
	for (size_t p = 0; p < np; p++) {
		pcol[p] = col;
		int w = (actual[p] ? 2 : 0) + (planned[p] ? 1 : 0);
		const char *name = fmt_budget_period(c->a, periods[p]);
		if (w > 1)
			worksheet_merge_range(ws, 0, (lxw_col_t)col, 0, (lxw_col_t)(col + w - 1), name, hd);
		else
			xstr(ws, 0, col, name, hd);
		if (actual[p]) {
			xstr(ws, 1, col, "확보", hd);
			xstr(ws, 1, col + 1, "집행", hd);
		}
		plancol[p] = planned[p] ? col + (actual[p] ? 2 : 0) : -1;
		if (planned[p])
			xstr(ws, 1, plancol[p], "계획", hd);
		col += w;
	}
	int row = 2;
	for (size_t i = 0; i < c->n; i++) {
		const doc_node_t *d = c->docs[i], *srcs = doc_field(doc_field(d, "budget"), "sources");
		const doc_node_t *totals = doc_field(doc_field(d, "derived"), "budget_total");
		int first = row;
		double colsum[3 * MAX_PERIODS + 5] = { 0 };
		/* 계, then each source that has figures */
		xstr(ws, row, 0, doc_text(d, "code"), txt);
		xstr(ws, row, 1, doc_text(d, "title"), txt);
		xstr(ws, row, 2, "계", txt);
		xnum(ws, row, 3, doc_text(totals, "all"), sum);
		for (size_t s = 0; s < 5; s++) {
			const doc_node_t *src = doc_field(srcs, budget_source_keys[s]);
			if (!src)
				continue;
			row++;
			xstr(ws, row, 0, doc_text(d, "code"), txt);
			xstr(ws, row, 1, doc_text(d, "title"), txt);
			xstr(ws, row, 2, budget_source_names[s], txt);
			xnum(ws, row, 3, doc_text(totals, budget_source_keys[s]), num);
			colsum[4] += xnum(ws, row, 4, doc_text(src, "prior"), num);
			for (size_t p = 0; p < np; p++) {
				const doc_node_t *cell = doc_field(doc_field(src, "amounts"), periods[p]);
				if (actual[p]) {
					colsum[pcol[p]] += xnum(ws, row, pcol[p], doc_text(cell, "secured"), num);
					colsum[pcol[p] + 1] += xnum(ws, row, pcol[p] + 1, doc_text(cell, "executed"), num);
				}
				if (plancol[p] >= 0)
					colsum[plancol[p]] += xnum(ws, row, plancol[p], doc_text(cell, "planned"), num);
			}
		}
		/* the 계 row sums the source rows below it: a formula, with its
		 * value for readers that do not recalculate */
		for (int k = 4; k < col && row > first; k++) {
			char ref[64];
			lxw_rowcol_to_range(ref, (lxw_row_t)(first + 1), (lxw_col_t)k, (lxw_row_t)row, (lxw_col_t)k);
			char *f = arena_printf(c->a, "=SUM(%s)", ref);
			worksheet_write_formula_num(ws, (lxw_row_t)first, (lxw_col_t)k, f, sum, colsum[k]);
		}
		row++;
	}
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 32, NULL);
	worksheet_set_column(ws, 2, 2, 10, NULL);
	worksheet_set_column(ws, 3, (lxw_col_t)(col > 3 ? col - 1 : 3), 11, NULL);
	worksheet_freeze_panes(ws, 2, 3);

	/* 성과지표: one row per indicator and period */
	ws = workbook_add_worksheet(wb, "성과지표");
	static const char *const ih[] = { "코드", "공약명", "구분", "성과지표", "단위", "기간", "목표", "실적", "누적 목표(%)",
					  "누적 현재(%)" };
	for (int k = 0; k < 10; k++)
		xstr(ws, 0, k, ih[k], hd);
	row = 1;
	for (size_t i = 0; i < c->n; i++) {
		const doc_node_t *d = c->docs[i], *sets = doc_field(d, "indicator_sets");
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
					xstr(ws, row, 0, doc_text(d, "code"), txt);
					xstr(ws, row, 1, doc_text(d, "title"), txt);
					xstr(ws, row, 2, basis, txt);
					xstr(ws, row, 3, doc_text(inds->items[k], "name"), txt);
					xstr(ws, row, 4, doc_text(inds->items[k], "unit"), txt);
					xstr(ws, row, 5, per, txt);
					const doc_node_t *v[2] = { t, a };
					for (int m = 0; m < 2; m++) {
						if (v[m] && v[m]->type == DOC_NUM)
							xnum(ws, row, 6 + m, v[m]->s, num);
						else
							xstr(ws, row, 6 + m, v[m] ? v[m]->s : NULL, txt);
					}
					xnum(ws, row, 8, doc_text(doc_field(cum, per), "target"), num);
					xnum(ws, row, 9, doc_text(doc_field(cum, per), "current"), num);
					row++;
				}
		}
	}
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 32, NULL);
	worksheet_set_column(ws, 3, 3, 30, NULL);
	worksheet_freeze_panes(ws, 1, 2);

	/* 추진현황: one row per item of section 4 */
	ws = workbook_add_worksheet(wb, "추진현황");
	static const char *const ah[] = { "코드", "공약명", "성과지표", "추진내용", "항목", "내용", "일자", "까지", "비고" };
	for (int k = 0; k < 9; k++)
		xstr(ws, 0, k, ah[k], hd);
	row = 1;
	for (size_t i = 0; i < c->n; i++) {
		const doc_node_t *d = c->docs[i], *groups = doc_field(doc_field(d, "progress"), "by_indicator");
		for (size_t g = 0; g < doc_count(groups); g++) {
			const doc_node_t *acts = doc_field(groups->items[g], "activities");
			for (size_t k = 0; k < doc_count(acts); k++) {
				const doc_node_t *items = doc_field(acts->items[k], "items");
				for (size_t j = 0; j < (doc_count(items) ? doc_count(items) : 1); j++) {
					const doc_node_t *it = doc_count(items) ? items->items[j] : NULL;
					const doc_node_t *dates = doc_field(it, "dates");
					const char *when = doc_text(it, "date");
					if (!when && doc_count(dates)) {
						when = "";
						for (size_t q = 0; q < dates->n; q++)
							when = arena_printf(c->a, "%s%s%s", when, q ? ", " : "", dates->items[q]->s);
					}
					xstr(ws, row, 0, doc_text(d, "code"), txt);
					xstr(ws, row, 1, doc_text(d, "title"), txt);
					xstr(ws, row, 2, doc_text(groups->items[g], "indicator"), txt);
					xstr(ws, row, 3, doc_text(acts->items[k], "title"), txt);
					xstr(ws, row, 4, doc_text(it, "label"), txt);
					xstr(ws, row, 5, doc_text(it, "text"), txt);
					xstr(ws, row, 6, when, txt);
					xstr(ws, row, 7, doc_text(it, "until"), txt);
					xstr(ws, row, 8, doc_text(it, "note"), txt);
					row++;
				}
			}
		}
	}
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 3, 28, NULL);
	worksheet_set_column(ws, 5, 5, 50, NULL);
	worksheet_freeze_panes(ws, 1, 2);

	workbook_set_properties(wb, &(lxw_doc_properties){ .title = "공약 이행 현황", .author = "yaksok",
							   .created = record_time(c) });
	lxw_error err = workbook_close(wb);
	FILE *f = err ? NULL : fopen(tmp, "rb");
	int rc = f ? 0 : -1;
	char chunk[65536];
	size_t got;
	while (f && !rc && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = buf_append(out, chunk, got);
	if (f && (ferror(f) || fclose(f)))
		rc = -1;
	if (rc)
		fprintf(stderr, "yaksok: cannot write the workbook: %s\n", err ? lxw_strerror(err) : strerror(errno));
	unlink(tmp);
	return rc;
}

/* ------------------------------------------------------------------ HTML */

static int write_html(const city_t *c, buf_t *out)
{
	return dashboard_html(c, out);
}

/* ------------------------------------------------------------------ PDF */

/* Every card of the export in one PDF, with its contents page. */
static int write_pdf(const city_t *c, buf_t *out)
{
	const report_t **cards = arena_alloc(c->a, sizeof(*cards) * (c->n ? c->n : 1));
	if (!cards)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		report_t *r = arena_alloc(c->a, sizeof(*r));
		if (!r || report_pledge(r, c->a, c->docs[i]))
			return -1;
		cards[i] = r;
	}
	return render_pdf_book(arena_printf(c->a, "공약 이행 카드 (%zu건)", c->n), cards, c->n, out) ? -1 : 0;
}

/* ------------------------------------------------------------------ fetching */

int city_fetch(cli_t *cli, const Yk__PledgeList *filter, bool approved, unsigned limit, arena_t *keep, city_page_fn fn,
	       void *arg)
{
	char *after = NULL;
	int rc = EXIT_OK;
	for (bool more = true; more && !rc;) {
		arena_t *page = keep ? keep : arena_new(0);
		if (!page) {
			rc = EXIT_FAIL;
			break;
		}
		Yk__PledgeExport in = YK__PLEDGE_EXPORT__INIT;
		in.filter = (Yk__PledgeList *)filter;
		in.has_approved = approved;
		in.approved = approved;
		in.after = after;
		in.has_limit = limit != 0;
		in.limit = limit;
		Yk__Request req = YK__REQUEST__INIT;
		req.body_case = YK__REQUEST__BODY_PLEDGE_EXPORT;
		req.pledge_export = &in;
		Yk__Response *resp = cli_call_in(cli, page, &req, &rc);
		const Yk__PledgeExportReply *rep = resp ? resp->pledge_export : NULL;
		size_t n = rep ? rep->n_pledges : 0;
		doc_node_t **docs = rep ? arena_alloc(page, sizeof(*docs) * (n ? n : 1)) : NULL;
		for (size_t i = 0; docs && i < n; i++)
			if (!(docs[i] = docmap_to_tree(page, &rep->pledges[i]->base)))
				docs = NULL;
		if (rep && !docs) {
			fprintf(stderr, "yaksok: out of memory\n");
			rc = EXIT_FAIL;
		}
		if (!rc)
			rc = fn(arg, docs, n);
		/* the next page starts after this one's last code; a page that
		 * brought nothing, or did not move on, ends it */
		more = !rc && rep->more && n && (!after || strcmp(rep->pledges[n - 1]->code, after) > 0);
		if (more) {
			free(after);
			if (!(after = strdup(rep->pledges[n - 1]->code)))
				rc = EXIT_FAIL;
		}
		if (!keep)
			arena_free(page);
	}
	free(after);
	return rc;
}

typedef struct {
	arena_t *a;
	doc_node_t **docs;
	size_t n, cap;
} gather_t;

static int gather_page(void *arg, doc_node_t **docs, size_t n)
{
	gather_t *g = arg;
	if (g->n + n > g->cap) {
		size_t cap = g->cap ? g->cap : 64;
		while (cap < g->n + n)
			cap *= 2;
		doc_node_t **grown = arena_grow(g->a, g->docs, g->cap * sizeof(*grown), cap * sizeof(*grown));
		if (!grown) {
			fprintf(stderr, "yaksok: out of memory\n");
			return EXIT_FAIL;
		}
		g->docs = grown;
		g->cap = cap;
	}
	memcpy(g->docs + g->n, docs, n * sizeof(*docs));
	g->n += n;
	return EXIT_OK;
}

int city_fetch_all(cli_t *cli, const Yk__PledgeList *filter, bool approved, unsigned limit, doc_node_t ***docs,
		   size_t *n)
{
	gather_t g = { .a = cli->arena };
	int rc = city_fetch(cli, filter, approved, limit, cli->arena, gather_page, &g);
	*docs = g.docs;
	*n = g.n;
	if (!rc && !g.docs && !(*docs = arena_alloc(cli->arena, sizeof(**docs))))
		rc = EXIT_FAIL;
	return rc;
}

/* ------------------------------------------------------------------ streaming CSV and JSON */

typedef struct {
	const city_t *city;
	bool csv;
	const char *path, *tmp; /* "-": standard output */
	FILE *f;
	size_t n;
	buf_t b;
} stream_t;

static int stream_flush(stream_t *st)
{
	bool ok = !strcmp(st->path, "-") ? safeout_write_raw(st->b.data, st->b.len) == 0
					 : fwrite(st->b.data, 1, st->b.len, st->f) == st->b.len;
	st->b.len = 0;
	if (!ok)
		fprintf(stderr, "yaksok: cannot write %s: %s\n", !strcmp(st->path, "-") ? "standard output" : st->path,
			strerror(errno));
	return ok ? EXIT_OK : EXIT_FAIL;
}

static int stream_page(void *arg, doc_node_t **docs, size_t n)
{
	stream_t *st = arg;
	city_t page = *st->city;
	page.docs = docs;
	page.n = n;
	int rc = 0;
	if (st->csv)
		rc = csv_rows(&page, &st->b);
	for (size_t i = 0; !st->csv && i < n && !rc; i++)
		rc = json_item(&st->b, docs[i], st->n + i == 0);
	st->n += n;
	return rc ? EXIT_FAIL : stream_flush(st);
}

static int stream_export(cli_t *cli, const city_t *city, const Yk__PledgeList *filter, bool approved, unsigned limit,
			 bool csv, const char *path)
{
	stream_t st = { .city = city, .csv = csv, .path = path, .b = BUF_INIT };
	if (strcmp(path, "-")) {
		st.tmp = arena_printf(cli->arena, "%s.tmp%d", path, (int)getpid());
		if (!st.tmp || !(st.f = fopen(st.tmp, "wb"))) {
			fprintf(stderr, "yaksok: cannot write %s: %s\n", path, strerror(errno));
			return EXIT_FAIL;
		}
	}
	int rc = (csv ? csv_start(&st.b) : buf_putc(&st.b, '[')) ? EXIT_FAIL : stream_flush(&st);
	if (!rc)
		rc = city_fetch(cli, filter, approved, limit, NULL, stream_page, &st);
	if (!rc && !csv)
		rc = json_end(&st.b, st.n == 0) ? EXIT_FAIL : stream_flush(&st);
	buf_free(&st.b);
	if (st.f) {
		bool ok = fclose(st.f) == 0 && !rc;
		/* the file appears whole or not at all */
		if (ok && rename(st.tmp, path)) {
			fprintf(stderr, "yaksok: cannot write %s: %s\n", path, strerror(errno));
			ok = false;
		}
		if (!ok)
			unlink(st.tmp);
		rc = ok ? EXIT_OK : rc ? rc : EXIT_FAIL;
	}
	if (!rc)
		fprintf(stderr, "wrote %zu pledge%s to %s\n", st.n, st.n == 1 ? "" : "s", path);
	return rc;
}

/* ------------------------------------------------------------------ command */

static const char export_usage[] =
	"usage: yaksok export --format csv|xlsx|json|html|pdf --out FILE|- [--approved] [--page N] [list filters]\n\n"
	"  csv   one row per pledge, for Excel on Korean Windows (UTF-8 with BOM, CRLF, RFC 4180;\n"
	"        numbers raw, units in the header)\n"
	"  xlsx  sheets 요약 (the evaluation's measures; by department, by area; 재원 확보율), 공약,\n"
	"        예산 (the report's 확보/집행 under each period), 성과지표, 추진현황\n"
	"  json  every document, derived figures included\n"
	"  html  one self-contained dashboard: status, progress by department, budget secured vs\n"
	"        executed by source and year (inline SVG), and a table per department\n"
	"  pdf   every card on A4 pages (as yaksok show --format pdf), after a contents page\n"
	"The filters are those of yaksok list (--department, --status, --overdue, ...).  The\n"
	"documents are the working copies; --round R alone gives the versions approved in R,\n"
	"--approved the latest approved version of each (a viewer always gets approved versions).\n"
	"--out - writes to standard output.  The daemon sends the pledges in pages (--page N of\n"
	"them per request, default and at most 100); CSV and JSON are written a page at a time.\n\n"
	"example: yaksok export --format xlsx --out 공약.xlsx\n";

int cmd_export(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, export_usage))
		return EXIT_OK;
	struct option opts[16];
	size_t no = 0;
	for (; cli_filter_options[no].name; no++)
		opts[no] = cli_filter_options[no];
	opts[no++] = (struct option){ "format", required_argument, NULL, 'f' };
	opts[no++] = (struct option){ "out", required_argument, NULL, 'o' };
	opts[no++] = (struct option){ "approved", no_argument, NULL, 'P' };
	opts[no++] = (struct option){ "page", required_argument, NULL, 'g' };
	opts[no] = (struct option){ 0 };
	bool approved = false;
	unsigned page = 0;
	Yk__PledgeList filter = YK__PLEDGE_LIST__INIT;
	const char *format = cli->output, *out = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f') {
			format = optarg;
		} else if (c == 'o') {
			out = optarg;
		} else if (c == 'P') {
			approved = true;
		} else if (c == 'g') {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || !*optarg || v < 1 || v > 100)
				return cli_usage_error("export", "--page must be a number of pledges from 1 to 100");
			page = (unsigned)v;
		} else {
			int rc = cli_filter_option(cli, "export", c, optarg, &filter);
			if (rc == 1)
				return cli_bad_option("export", argv, opts);
			if (rc)
				return rc;
		}
	}
	if (optind != argc)
		return cli_usage_error("export", "unexpected argument \"%s\"", argv[optind]);
	if (!format || (strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "json") && strcmp(format, "html") &&
			strcmp(format, "pdf")))
		return cli_usage_error("export", "--format must be csv, xlsx, json, html or pdf");
	if (!out)
		return cli_usage_error("export", "--out FILE is required");
	/* The figures of stats (lagging reasons, completion rate) for the
	 * city as a whole. */
	int rc;
	Yk__Stats st = YK__STATS__INIT;
	st.round = filter.round;
	Yk__Request sreq = YK__REQUEST__INIT;
	sreq.body_case = YK__REQUEST__BODY_STATS;
	sreq.stats = &st;
	Yk__Response *sresp = cli_call(cli, &sreq, &rc);
	if (!sresp)
		return rc;
	city_t city = { .a = cli->arena, .stats = sresp->stats };
	/* CSV and JSON go out a page at a time: the client's memory does not
	 * grow with the city */
	if (!strcmp(format, "csv") || !strcmp(format, "json"))
		return stream_export(cli, &city, &filter, approved, page, !strcmp(format, "csv"), out);
	if ((rc = city_fetch_all(cli, &filter, approved, page, &city.docs, &city.n)))
		return rc;
	buf_t b = BUF_INIT;
	if (!strcmp(format, "xlsx"))
		rc = city_xlsx(&city, &b);
	else if (!strcmp(format, "pdf"))
		rc = write_pdf(&city, &b);
	else
		rc = write_html(&city, &b);
	rc = rc ? -1 : city_save(out, &b);
	buf_free(&b);
	if (rc)
		return EXIT_FAIL;
	fprintf(stderr, "wrote %zu pledge%s to %s\n", city.n, city.n == 1 ? "" : "s", out);
	return EXIT_OK;
}
