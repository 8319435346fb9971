/* The HTML dashboard of yaksok export --format html: one self-contained page
 * (no scripts, no external files) with inline SVG charts and a table per
 * department, readable offline and printable. */
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "doc.h"
#include "period.h"
#include "render.h"
#include "report.h"
#include "yaksok.pb-c.h"

static const char *const status_colors[] = { "#4e79a7", "#59a14f", "#8cd17d", "#f1ce63",
					     "#e15759", "#bab0ac", "#79706e", "#d4a6c8" };

#define MAX_DEPTS 256
#define MAX_YEARS 32

typedef struct {
	const char *name;
	size_t pledges, completed, overdue, lagging;
	int64_t progress_sum; /* hundredths */
} dept_t;

static int esc(buf_t *o, const char *s)
{
	return html_escape(o, s ? s : "");
}

/* Section 5 of every pledge, city-wide: the changes approved through change
 * requests (and any the documents recorded before), newest first per pledge
 * as each card lists them. */
static int approved_changes(buf_t *o, doc_node_t **docs, size_t n)
{
	int rc = buf_puts(o, "<h2>승인된 사업변경 (사업변경내역)</h2>\n<table><thead><tr><th>코드</th><th>공약명</th>"
			     "<th>부서</th><th>일자</th><th>구분</th><th>변경 전</th><th>변경 후</th><th>사유</th>"
			     "</tr></thead><tbody>\n");
	size_t rows = 0;
	for (size_t i = 0; i < n; i++) {
		const doc_node_t *ch = doc_field(docs[i], "changes");
		for (size_t k = 0; ch && ch->type == DOC_SEQ && k < ch->n; k++, rows++) {
			static const char *const keys[] = { "date", "item", "before", "after", "reason" };
			rc |= buf_puts(o, "<tr><td>");
			rc |= esc(o, doc_text(docs[i], "code"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, doc_text(docs[i], "title"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, doc_text(docs[i], "department"));
			for (size_t f = 0; f < 5; f++) {
				rc |= buf_puts(o, "</td><td>");
				rc |= esc(o, doc_text(ch->items[k], keys[f]));
			}
			rc |= buf_puts(o, "</td></tr>\n");
		}
	}
	if (!rows)
		rc |= buf_puts(o, "<tr><td colspan=\"8\">해당없음</td></tr>\n");
	return rc | buf_puts(o, "</tbody></table>\n");
}

/* A horizontal bar chart: one row per label. */
static int hbars(buf_t *o, const char *title, const char *const *labels, const double *values, const char *const *colors,
		 size_t n, double max, const char *unit)
{
	const int label_w = 190, bar_w = 420, row_h = 24, top = 8;
	int h = top * 2 + (int)n * row_h;
	int rc = buf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
			       "viewBox=\"0 0 %d %d\" font-family=\"NanumGothic, 'Noto Sans CJK KR', sans-serif\" font-size=\"13\">"
			       "<title>",
			    label_w + bar_w + 70, h, label_w + bar_w + 70, h);
	rc |= esc(o, title);
	rc |= buf_puts(o, "</title>");
	for (size_t i = 0; i < n; i++) {
		int y = top + (int)i * row_h;
		double w = max > 0 ? values[i] / max * bar_w : 0;
		rc |= buf_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w - 8, y + 16);
		rc |= esc(o, labels[i]);
		rc |= buf_printf(o, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
				    "<text x=\"%.1f\" y=\"%d\">%g%s</text>",
				 label_w, y + 3, w, row_h - 6, colors ? colors[i % 8] : "#4e79a7", label_w + w + 6, y + 16,
				 values[i], unit);
	}
	return rc | buf_puts(o, "</svg>\n");
}

/* Secured and executed per year, for one source: grouped vertical bars. */
static int year_bars(buf_t *o, const char *source, const int *years, const int64_t (*sec)[MAX_YEARS], size_t s,
		     const int64_t (*exe)[MAX_YEARS], size_t ny)
{
	const int left = 50, chart_h = 160, group_w = 70, bar_w = 24, top = 26;
	int64_t max = 1;
	for (size_t y = 0; y < ny; y++) {
		if (sec[s][y] > max)
			max = sec[s][y];
		if (exe[s][y] > max)
			max = exe[s][y];
	}
	int w = left + (int)ny * group_w + 20, h = top + chart_h + 40;
	int rc = buf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
			       "viewBox=\"0 0 %d %d\" font-family=\"NanumGothic, 'Noto Sans CJK KR', sans-serif\" font-size=\"12\">"
			       "<title>",
			    w, h, w, h);
	rc |= esc(o, source);
	rc |= buf_puts(o, " 확보·집행</title><text x=\"4\" y=\"16\" font-weight=\"bold\">");
	rc |= esc(o, source);
	rc |= buf_printf(o, "</text><rect x=\"%d\" y=\"6\" width=\"10\" height=\"10\" fill=\"#4e79a7\"/>"
			    "<text x=\"%d\" y=\"16\">확보</text><rect x=\"%d\" y=\"6\" width=\"10\" height=\"10\" fill=\"#f28e2b\"/>"
			    "<text x=\"%d\" y=\"16\">집행</text>",
			 w - 110, w - 96, w - 56, w - 42);
	rc |= buf_printf(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, top + chart_h, w - 10,
			 top + chart_h);
	char mb[32];
	rc |= buf_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 4, top + 10, dec_format(max, mb));
	for (size_t y = 0; y < ny; y++) {
		int x = left + 8 + (int)y * group_w;
		double hs = (double)sec[s][y] / (double)max * chart_h, he = (double)exe[s][y] / (double)max * chart_h;
		char b1[32], b2[32];
		rc |= buf_printf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#4e79a7\"><title>%d 확보 %s</title></rect>"
				    "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#f28e2b\"><title>%d 집행 %s</title></rect>"
				    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d년</text>",
				 x, top + chart_h - hs, bar_w, hs, years[y], dec_format(sec[s][y], b1), x + bar_w + 2,
				 top + chart_h - he, bar_w, he, years[y], dec_format(exe[s][y], b2), x + bar_w, top + chart_h + 16,
				 years[y]);
	}
	return rc | buf_puts(o, "</svg>\n");
}

static bool is_lagging(const Yk__StatsReply *st, const char *code, const char **why)
{
	for (size_t i = 0; st && code && i < st->n_lagging_list; i++)
		if (!strcmp(st->lagging_list[i]->code, code)) {
			*why = st->lagging_list[i]->reason;
			return true;
		}
	return false;
}

int dashboard_html(arena_t *a, doc_node_t **docs, size_t n, const Yk__StatsReply *st, buf_t *o)
{
	/* status counts */
	double status_n[8] = { 0 };
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 8; k++)
			if (doc_text(docs[i], "status") && !strcmp(doc_text(docs[i], "status"), pledge_status_keys[k]))
				status_n[k]++;
	/* departments */
	dept_t *depts = arena_calloc(a, sizeof(*depts) * MAX_DEPTS);
	size_t nd = 0;
	if (!depts)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *d = doc_text(docs[i], "department");
		size_t k = 0;
		for (; k < nd && strcmp(depts[k].name, d); k++)
			;
		if (k == nd) {
			if (nd == MAX_DEPTS)
				continue;
			depts[nd++].name = d;
		}
		depts[k].pledges++;
		const char *s = doc_text(docs[i], "status");
		depts[k].completed += s && (!strcmp(s, "completed") || !strcmp(s, "completed_ongoing"));
		const doc_node_t *ov = doc_field(doc_field(docs[i], "derived"), "overdue");
		depts[k].overdue += ov && ov->type == DOC_BOOL && ov->b;
		const char *why;
		depts[k].lagging += is_lagging(st, doc_text(docs[i], "code"), &why);
		int64_t p = 0;
		if (doc_text(docs[i], "progress_pct"))
			dec_parse(doc_text(docs[i], "progress_pct"), &p);
		depts[k].progress_sum += p;
	}
	/* budget by source and year */
	int years[MAX_YEARS];
	size_t ny = 0;
	int64_t(*sec)[MAX_YEARS] = arena_calloc(a, sizeof(int64_t) * 5 * MAX_YEARS);
	int64_t(*exe)[MAX_YEARS] = arena_calloc(a, sizeof(int64_t) * 5 * MAX_YEARS);
	bool has[5] = { false };
	if (!sec || !exe)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const doc_node_t *srcs = doc_field(doc_field(docs[i], "budget"), "sources");
		for (int s = 0; s < 5; s++) {
			const doc_node_t *am = doc_field(doc_field(srcs, budget_source_keys[s]), "amounts");
			for (size_t p = 0; p < doc_count(am); p++) {
				period_t pp;
				if (period_parse(am->keys[p], &pp))
					continue;
				size_t y = 0;
				for (; y < ny && years[y] != pp.year; y++)
					;
				if (y == ny) {
					if (ny == MAX_YEARS)
						continue;
					/* keep the years in order */
					size_t at = 0;
					while (at < ny && years[at] < pp.year)
						at++;
					memmove(years + at + 1, years + at, (ny - at) * sizeof(*years));
					for (int q = 0; q < 5; q++) {
						memmove(&sec[q][at + 1], &sec[q][at], (ny - at) * sizeof(int64_t));
						memmove(&exe[q][at + 1], &exe[q][at], (ny - at) * sizeof(int64_t));
						sec[q][at] = exe[q][at] = 0;
					}
					years[at] = pp.year;
					ny++;
					y = at;
				}
				int64_t v;
				const char *x;
				if ((x = doc_text(am->items[p], "secured")) && !dec_parse(x, &v)) {
					sec[s][y] += v;
					has[s] |= v != 0;
				}
				if ((x = doc_text(am->items[p], "executed")) && !dec_parse(x, &v)) {
					exe[s][y] += v;
					has[s] |= v != 0;
				}
			}
		}
	}

	int rc = buf_puts(o, "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n"
			     "<title>공약 이행 현황</title>\n<style>");
	rc |= buf_puts(o, html_style);
	rc |= buf_puts(o, ".cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;"
			  "padding:.6em 1em;min-width:9em}.card b{display:block;font-size:1.6em}figure{margin:1em 0}"
			  "figcaption{font-weight:600;margin-bottom:.3em}.flag{color:#c0392b;font-weight:600}"
			  "@media print{figure,section{page-break-inside:avoid}}</style>\n</head>\n<body>\n"
			  "<h1>공약 이행 현황</h1>\n<div class=\"cards\">");
	rc |= buf_printf(o, "<div class=\"card\">공약 수<b>%zu</b></div>", n);
	if (st) {
		/* the annual evaluation's measures first, each saying what it divides */
		rc |= buf_printf(o, "<div class=\"card\">공약이행완료율 (전체 공약 대비)<b>%s%%</b></div>",
				 st->evaluation_completion_rate_pct ? st->evaluation_completion_rate_pct->value : "-");
		if (st->year_targets)
			rc |= buf_printf(o, "<div class=\"card\">%u년 목표달성률<b>%s%%</b></div>", st->year_targets->year,
					 st->year_targets->pledges_met_pct ? st->year_targets->pledges_met_pct->value : "-");
		if (st->finance_all)
			rc |= buf_printf(o, "<div class=\"card\">재원 확보율<b>%s%%</b></div>",
					 st->finance_all->secured_rate_pct ? st->finance_all->secured_rate_pct->value : "-");
		rc |= buf_printf(o, "<div class=\"card\">이행완료율 (폐기 제외)<b>%s%%</b></div>",
				 st->completion_rate_pct ? st->completion_rate_pct->value : "-");
		rc |= buf_printf(o, "<div class=\"card\">평균 진도율<b>%s%%</b></div>",
				 st->average_progress_pct ? st->average_progress_pct->value : "-");
		rc |= buf_printf(o, "<div class=\"card\">목표연월 경과<b>%u</b></div><div class=\"card\">부진<b>%u</b></div>",
				 st->overdue, st->lagging);
	}
	rc |= buf_puts(o, "</div>\n<h2>상태별 공약</h2>\n<figure><figcaption>상태별 공약 수</figcaption>");
	rc |= hbars(o, "상태별 공약 수", pledge_status_words, status_n, status_colors, 8, n ? (double)n : 1, "건");
	rc |= buf_puts(o, "</figure>\n<h2>부서별 진도율</h2>\n<figure><figcaption>부서별 평균 진도율(%)</figcaption>");
	const char **dnames = arena_alloc(a, sizeof(char *) * (nd ? nd : 1));
	double *dvals = arena_alloc(a, sizeof(double) * (nd ? nd : 1));
	if (!dnames || !dvals)
		return -1;
	for (size_t k = 0; k < nd; k++) {
		dnames[k] = depts[k].name;
		dvals[k] = depts[k].pledges ? (double)depts[k].progress_sum / 100.0 / (double)depts[k].pledges : 0;
		dvals[k] = (double)(long)(dvals[k] * 10 + 0.5) / 10;
	}
	rc |= hbars(o, "부서별 평균 진도율", dnames, dvals, NULL, nd, 100, "%");
	rc |= buf_puts(o, "</figure>\n");
	if (st && st->n_areas) {
		rc |= buf_puts(o, "<h2>정책분야별 이행</h2>\n<table><thead><tr><th>정책분야</th><th>공약 수</th>"
				  "<th>완료</th><th>이행완료율(%)</th><th>평균 진도율(%)</th></tr></thead><tbody>");
		for (size_t k = 0; k < st->n_areas; k++) {
			const Yk__AreaStats *ar = st->areas[k];
			rc |= buf_puts(o, "<tr><td>");
			rc |= html_escape(o, ar->area && *ar->area ? ar->area : "(분야 없음)");
			rc |= buf_printf(o, "</td><td>%u</td><td>%u</td><td>%s</td><td>%s</td></tr>", ar->pledges, ar->completed,
					 ar->completion_rate_pct ? ar->completion_rate_pct->value : "-",
					 ar->average_progress_pct ? ar->average_progress_pct->value : "-");
		}
		rc |= buf_puts(o, "</tbody></table>\n");
	}
	rc |= buf_puts(o, "<h2>재원별·연도별 예산 확보와 집행 (백만원)</h2>\n<figure><figcaption>재원별 연도별 확보·집행</figcaption>");
	for (int s = 0; s < 5; s++)
		if (has[s])
			rc |= year_bars(o, budget_source_names[s], years, sec, (size_t)s, exe, ny);
	rc |= buf_puts(o, "</figure>\n<h2>부서별 공약</h2>\n");
	for (size_t k = 0; k < nd; k++) {
		rc |= buf_puts(o, "<section><h3>");
		rc |= esc(o, depts[k].name);
		rc |= buf_printf(o, " (%zu건, 완료 %zu, 지연 %zu, 부진 %zu)</h3>\n<table><thead><tr><th>코드</th><th>공약명</th>"
				    "<th>상태</th><th>진도율(%%)</th><th>목표연월</th><th>지연</th><th>부진</th></tr></thead><tbody>\n",
				 depts[k].pledges, depts[k].completed, depts[k].overdue, depts[k].lagging);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(doc_text(docs[i], "department"), depts[k].name))
				continue;
			const doc_node_t *ov = doc_field(doc_field(docs[i], "derived"), "overdue");
			const char *why = NULL;
			bool lag = is_lagging(st, doc_text(docs[i], "code"), &why);
			const char *word = status_word(doc_text(docs[i], "status"));
			rc |= buf_puts(o, "<tr><td>");
			rc |= esc(o, doc_text(docs[i], "code"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, doc_text(docs[i], "title"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, word);
			rc |= buf_puts(o, "</td><td class=\"num\">");
			rc |= esc(o, doc_text(docs[i], "progress_pct"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, doc_text(docs[i], "target_month"));
			rc |= buf_printf(o, "</td><td class=\"flag\">%s</td><td class=\"flag\">",
					 ov && ov->type == DOC_BOOL && ov->b ? "지연" : "");
			rc |= esc(o, lag ? why : "");
			rc |= buf_puts(o, "</td></tr>\n");
		}
		rc |= buf_puts(o, "</tbody></table></section>\n");
	}
	rc |= approved_changes(o, docs, n);
	rc |= buf_puts(o, "</body>\n</html>\n");
	return rc ? -1 : 0;
}
