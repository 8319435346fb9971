/* The dashboard: the city-wide figures of yaksok export --format html and of
 * the public site's 이행 현황 page.  Charts are inline SVG, each followed by
 * a table of the same figures (the text a screen reader or a printout
 * reads); the budget charts of every funding source share one scale, so
 * that equal bars mean equal amounts.  Words: 부진 is a lagging pledge, 지연
 * the delayed status, 기한경과 a target month that has passed. */
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "doc.h"
#include "export.h"
#include "period.h"
#include "render.h"
#include "report.h"
#include "yaksok.pb-c.h"

/* Colours with at least 3:1 against white (WCAG 1.4.11, graphics). */
static const char *const status_colors[] = { "#2f5d8a", "#2e7d32", "#4a7f3b", "#8a6d00",
					     "#b3261e", "#5f5f5f", "#3d3d3d", "#7b4f85" };
#define COLOR_SECURED "#2f5d8a"
#define COLOR_EXECUTED "#b35900"

#define MAX_DEPTS 256
#define MAX_YEARS 32

typedef struct {
	const char *name;
	size_t pledges, completed, overdue, lagging;
	int64_t progress_sum; /* hundredths */
} dept_t;

typedef struct {
	const city_t *c;
	buf_t *o;
	int charts;           /* ids of chart titles, unique in the page */
	dept_t *depts;
	size_t nd;
	int years[MAX_YEARS];
	size_t ny;
	int64_t sec[BUDGET_SOURCES][MAX_YEARS], exe[BUDGET_SOURCES][MAX_YEARS]; /* hundredths */
	bool has[BUDGET_SOURCES];
} dash_t;

static int esc(buf_t *o, const char *s)
{
	return html_escape(o, s ? s : "");
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

/* A round number at or above `max` that four steps divide evenly. */
static double nice_max(double max)
{
	if (max <= 0)
		return 1;
	double step = 1;
	while (step * 4 < max)
		step *= 10;
	while (step / 10 * 4 >= max)
		step /= 10;
	static const double mult[] = { 0.1, 0.2, 0.25, 0.5, 1 };
	for (size_t i = 0; i < sizeof(mult) / sizeof(mult[0]); i++)
		if (step * mult[i] * 4 >= max)
			return step * mult[i] * 4;
	return step * 4;
}

/* The opening of an SVG chart named by its <title> (the accessible name). */
static int svg_open(dash_t *d, int w, int h, const char *title)
{
	int id = ++d->charts;
	int rc = buf_printf(d->o, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart%d\" "
				  "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" class=\"chart\" "
				  "font-family=\"NanumGothic, 'Noto Sans CJK KR', sans-serif\" font-size=\"13\">"
				  "<title id=\"chart%d\">",
			    id, w, h, w, h, id);
	rc |= esc(d->o, title);
	return rc | buf_puts(d->o, "</title>");
}

/* A horizontal bar chart on a 0..max axis with ticks: one row per label. */
static int hbars(dash_t *d, const char *title, const char *const *labels, const double *values, const char *const *colors,
		 size_t n, double max, const char *unit)
{
	const int label_w = 190, bar_w = 400, row_h = 24, top = 8, axis_h = 34;
	int h = top + (int)n * row_h + axis_h, w = label_w + bar_w + 80;
	buf_t *o = d->o;
	int rc = svg_open(d, w, h, title);
	for (int t = 0; t <= 4; t++) {
		double x = label_w + bar_w * t / 4.0;
		rc |= buf_printf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bbb\"/>"
				    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%g</text>",
				 x, top, x, top + (int)n * row_h, x, top + (int)n * row_h + 14, max * t / 4);
	}
	rc |= buf_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">(%s)</text>",
			 label_w + bar_w / 2, h - 4, unit);
	for (size_t i = 0; i < n; i++) {
		int y = top + (int)i * row_h;
		double bw = max > 0 ? values[i] / max * bar_w : 0;
		rc |= buf_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w - 8, y + 16);
		rc |= esc(o, labels[i]);
		rc |= buf_printf(o, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
				    "<text x=\"%.1f\" y=\"%d\">%g</text>",
				 label_w, y + 3, bw, row_h - 6, colors ? colors[i % 8] : COLOR_SECURED, label_w + bw + 6,
				 y + 16, values[i]);
	}
	return rc | buf_puts(o, "</svg>\n");
}

/* Secured and executed per year for one source, on the scale all sources
 * share (`max`, in hundredths), with the amounts of its y axis. */
static int year_bars(dash_t *d, int s, double max)
{
	const int left = 64, chart_h = 160, group_w = 70, bar_w = 24, top = 26;
	int w = left + (int)d->ny * group_w + 20, h = top + chart_h + 44;
	buf_t *o = d->o;
	const char *name = budget_source_names[s];
	int rc = svg_open(d, w, h, arena_printf(d->c->a, "%s 연도별 확보·집행 (백만원)", name));
	rc |= buf_puts(o, "<text x=\"4\" y=\"16\"><tspan font-weight=\"bold\">");
	rc |= esc(o, name);
	rc |= buf_printf(o, "</tspan> (백만원)</text><rect x=\"%d\" y=\"6\" width=\"10\" height=\"10\" fill=\"" COLOR_SECURED "\"/>"
			    "<text x=\"%d\" y=\"16\">확보</text><rect x=\"%d\" y=\"6\" width=\"10\" height=\"10\" fill=\"" COLOR_EXECUTED "\"/>"
			    "<text x=\"%d\" y=\"16\">집행</text>",
			 w - 110, w - 96, w - 56, w - 42);
	for (int t = 0; t <= 4; t++) {
		double y = top + chart_h - chart_h * t / 4.0;
		char lab[32];
		rc |= buf_printf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>"
				    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>",
				 left, y, w - 10, y, t ? "#ddd" : "#777", left - 4, y + 4,
				 dec_format((int64_t)(max * t / 4), lab));
	}
	for (size_t y = 0; y < d->ny; y++) {
		int x = left + 8 + (int)y * group_w;
		double hs = (double)d->sec[s][y] / max * chart_h, he = (double)d->exe[s][y] / max * chart_h;
		rc |= buf_printf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"" COLOR_SECURED "\"/>"
				    "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"" COLOR_EXECUTED "\"/>"
				    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d년</text>",
				 x, top + chart_h - hs, bar_w, hs, x + bar_w + 2, top + chart_h - he, bar_w, he, x + bar_w,
				 top + chart_h + 16, d->years[y]);
	}
	return rc | buf_puts(o, "</svg>\n");
}

static int table_open(buf_t *o, const char *label, const char *const *head, size_t n)
{
	int rc = html_table_open(o, label);
	rc |= buf_puts(o, "<thead><tr>");
	for (size_t i = 0; i < n; i++) {
		rc |= buf_puts(o, "<th scope=\"col\">");
		rc |= esc(o, head[i]);
		rc |= buf_puts(o, "</th>");
	}
	return rc | buf_puts(o, "</tr></thead><tbody>\n");
}

static int table_close(buf_t *o)
{
	return buf_puts(o, "</tbody>") | html_table_close(o);
}

/* Section 5 of every pledge, city-wide: the changes approved through change
 * requests, newest first per pledge as each card lists them. */
static int approved_changes(dash_t *d)
{
	static const char *const head[] = { "코드", "공약명", "부서", "일자", "구분", "변경 전", "변경 후", "사유" };
	buf_t *o = d->o;
	int rc = buf_puts(o, "<h2>승인된 사업변경 (사업변경내역)</h2>\n");
	rc |= table_open(o, "승인된 사업변경", head, 8);
	size_t rows = 0;
	for (size_t i = 0; i < d->c->n; i++) {
		const doc_node_t *doc = d->c->docs[i], *ch = doc_field(doc, "changes");
		for (size_t k = 0; k < doc_count(ch); k++, rows++) {
			static const char *const keys[] = { "date", "item", "before", "after", "reason" };
			rc |= buf_puts(o, "<tr><td>");
			rc |= esc(o, doc_text(doc, "code"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, doc_text(doc, "title"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, doc_text(doc, "department"));
			for (size_t f = 0; f < 5; f++) {
				rc |= buf_puts(o, "</td><td>");
				rc |= esc(o, doc_text(ch->items[k], keys[f]));
			}
			rc |= buf_puts(o, "</td></tr>\n");
		}
	}
	if (!rows)
		rc |= buf_puts(o, "<tr><td colspan=\"8\">해당없음</td></tr>\n");
	return rc | table_close(o);
}

static int gather(dash_t *d)
{
	const city_t *c = d->c;
	d->depts = arena_calloc(c->a, sizeof(*d->depts) * MAX_DEPTS);
	if (!d->depts)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		const doc_node_t *doc = c->docs[i];
		const char *name = doc_text(doc, "department");
		name = name ? name : "";
		size_t k = 0;
		for (; k < d->nd && strcmp(d->depts[k].name, name); k++)
			;
		if (k == d->nd) {
			if (d->nd == MAX_DEPTS)
				continue;
			d->depts[d->nd++].name = name;
		}
		dept_t *dp = &d->depts[k];
		dp->pledges++;
		dp->completed += city_completed(doc);
		dp->overdue += city_overdue(doc);
		const char *why;
		dp->lagging += is_lagging(c->stats, doc_text(doc, "code"), &why);
		int64_t p = 0;
		if (doc_text(doc, "progress_pct"))
			dec_parse(doc_text(doc, "progress_pct"), &p);
		dp->progress_sum += p;

		const doc_node_t *srcs = doc_field(doc_field(doc, "budget"), "sources");
		for (int si = 0; si < BUDGET_SOURCES; si++) {
			const doc_node_t *am = doc_field(doc_field(srcs, budget_source_keys[si]), "amounts");
			for (size_t pi = 0; pi < doc_count(am); pi++) {
				period_t pp;
				if (am->type != DOC_MAP || period_parse(am->keys[pi], &pp))
					continue;
				size_t y = 0;
				for (; y < d->ny && d->years[y] != pp.year; y++)
					;
				if (y == d->ny) {
					if (d->ny == MAX_YEARS)
						continue;
					/* keep the years in order */
					size_t at = 0;
					while (at < d->ny && d->years[at] < pp.year)
						at++;
					memmove(d->years + at + 1, d->years + at, (d->ny - at) * sizeof(d->years[0]));
					for (int q = 0; q < BUDGET_SOURCES; q++) {
						memmove(&d->sec[q][at + 1], &d->sec[q][at], (d->ny - at) * sizeof(int64_t));
						memmove(&d->exe[q][at + 1], &d->exe[q][at], (d->ny - at) * sizeof(int64_t));
						d->sec[q][at] = d->exe[q][at] = 0;
					}
					d->years[at] = pp.year;
					d->ny++;
					y = at;
				}
				int64_t v;
				const char *x;
				if ((x = doc_text(am->items[pi], "secured")) && !dec_parse(x, &v)) {
					d->sec[si][y] += v;
					d->has[si] |= v != 0;
				}
				if ((x = doc_text(am->items[pi], "executed")) && !dec_parse(x, &v)) {
					d->exe[si][y] += v;
					d->has[si] |= v != 0;
				}
			}
		}
	}
	return 0;
}

static int headline(dash_t *d)
{
	const Yk__StatsReply *st = d->c->stats;
	buf_t *o = d->o;
	int rc = buf_printf(o, "<ul class=\"cards\"><li>공약 수<b>%zu건</b></li>", d->c->n);
	if (st) {
		/* the annual evaluation's measures first, each saying what it divides */
		rc |= buf_printf(o, "<li>공약이행완료율 (전체 공약 대비)<b>%s%%</b></li>",
				 st->evaluation_completion_rate_pct ? st->evaluation_completion_rate_pct->value : "-");
		if (st->year_targets)
			rc |= buf_printf(o, "<li>%u년 목표달성률<b>%s%%</b></li>", st->year_targets->year,
					 st->year_targets->pledges_met_pct ? st->year_targets->pledges_met_pct->value : "-");
		if (st->finance_all)
			rc |= buf_printf(o, "<li>재원 확보율<b>%s%%</b></li>",
					 st->finance_all->secured_rate_pct ? st->finance_all->secured_rate_pct->value : "-");
		rc |= buf_printf(o, "<li>이행완료율 (폐기 제외)<b>%s%%</b></li>",
				 st->completion_rate_pct ? st->completion_rate_pct->value : "-");
		rc |= buf_printf(o, "<li>평균 진도율<b>%s%%</b></li>",
				 st->average_progress_pct ? st->average_progress_pct->value : "-");
		rc |= buf_printf(o, "<li>기한경과<b>%u건</b></li><li>부진<b>%u건</b></li>", st->overdue, st->lagging);
	} else {
		size_t done = 0, dropped = 0, late = 0;
		int64_t sum = 0;
		for (size_t i = 0; i < d->c->n; i++) {
			const char *s = doc_text(d->c->docs[i], "status");
			done += city_completed(d->c->docs[i]);
			dropped += s && !strcmp(s, "dropped");
			late += city_overdue(d->c->docs[i]);
			int64_t p = 0;
			if (doc_text(d->c->docs[i], "progress_pct"))
				dec_parse(doc_text(d->c->docs[i], "progress_pct"), &p);
			sum += p;
		}
		char r1[32] = "-", r2[32] = "-";
		/* in hundredths, rounded half up */
		size_t base = d->c->n - dropped;
		if (base)
			dec_format((int64_t)((done * 20000 + base) / (2 * base)), r1);
		if (d->c->n)
			dec_format((2 * sum + (int64_t)d->c->n) / (2 * (int64_t)d->c->n), r2);
		rc |= buf_printf(o, "<li>완료<b>%zu건</b></li><li>이행완료율 (폐기 제외)<b>%s%%</b></li>"
				    "<li>평균 진도율<b>%s%%</b></li><li>기한경과<b>%zu건</b></li>",
				 done, r1, r2, late);
	}
	return rc | buf_puts(o, "</ul>\n");
}

static int by_status(dash_t *d)
{
	static const char *const head[] = { "상태", "공약 수(건)" };
	double n[PLEDGE_STATUSES] = { 0 };
	for (size_t i = 0; i < d->c->n; i++)
		for (int k = 0; k < PLEDGE_STATUSES; k++)
			if (doc_text(d->c->docs[i], "status") && !strcmp(doc_text(d->c->docs[i], "status"), pledge_status_keys[k]))
				n[k]++;
	double most = 0;
	for (int k = 0; k < PLEDGE_STATUSES; k++)
		most = n[k] > most ? n[k] : most;
	buf_t *o = d->o;
	int rc = buf_puts(o, "<h2>상태별 공약</h2>\n<figure>");
	/* counts: whole numbers on the axis */
	rc |= hbars(d, "상태별 공약 수 (건)", pledge_status_words, n, status_colors, PLEDGE_STATUSES, nice_max(most < 4 ? 4 : most),
		    "건");
	rc |= buf_puts(o, "<figcaption>상태별 공약 수 (건)</figcaption></figure>\n");
	rc |= table_open(o, "상태별 공약 수", head, 2);
	for (int k = 0; k < PLEDGE_STATUSES; k++)
		rc |= buf_printf(o, "<tr><td>%s</td><td class=\"num\">%g</td></tr>\n", pledge_status_words[k], n[k]);
	return rc | table_close(o);
}

static int by_department(dash_t *d)
{
	static const char *const head[] = { "담당부서", "공약 수(건)", "완료", "기한경과", "부진", "평균 진도율(%)" };
	const char **names = arena_alloc(d->c->a, sizeof(char *) * (d->nd ? d->nd : 1));
	double *vals = arena_alloc(d->c->a, sizeof(double) * (d->nd ? d->nd : 1));
	if (!names || !vals)
		return -1;
	for (size_t k = 0; k < d->nd; k++) {
		names[k] = d->depts[k].name;
		vals[k] = d->depts[k].pledges ? (double)d->depts[k].progress_sum / 100.0 / (double)d->depts[k].pledges : 0;
		vals[k] = (double)(long)(vals[k] * 10 + 0.5) / 10;
	}
	buf_t *o = d->o;
	int rc = buf_puts(o, "<h2>부서별 진도율</h2>\n<figure>");
	rc |= hbars(d, "부서별 평균 진도율 (%)", names, vals, NULL, d->nd, 100, "%");
	rc |= buf_puts(o, "<figcaption>부서별 평균 진도율 (%)</figcaption></figure>\n");
	rc |= table_open(o, "부서별 이행", head, 6);
	for (size_t k = 0; k < d->nd; k++) {
		const dept_t *dp = &d->depts[k];
		rc |= buf_puts(o, "<tr><td>");
		rc |= esc(o, dp->name);
		rc |= buf_printf(o, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
				    "<td class=\"num\">%zu</td><td class=\"num\">%g</td></tr>\n",
				 dp->pledges, dp->completed, dp->overdue, dp->lagging, vals[k]);
	}
	return rc | table_close(o);
}

static int by_area(dash_t *d)
{
	static const char *const head[] = { "정책분야", "공약 수(건)", "완료", "이행완료율(%)", "평균 진도율(%)" };
	const Yk__StatsReply *st = d->c->stats;
	if (!st || !st->n_areas)
		return 0;
	buf_t *o = d->o;
	int rc = buf_puts(o, "<h2>정책분야별 이행</h2>\n");
	rc |= table_open(o, "정책분야별 이행", head, 5);
	for (size_t k = 0; k < st->n_areas; k++) {
		const Yk__AreaStats *ar = st->areas[k];
		rc |= buf_puts(o, "<tr><td>");
		rc |= esc(o, ar->area && *ar->area ? ar->area : "(분야 없음)");
		rc |= buf_printf(o, "</td><td class=\"num\">%u</td><td class=\"num\">%u</td><td class=\"num\">%s</td>"
				    "<td class=\"num\">%s</td></tr>\n",
				 ar->pledges, ar->completed, ar->completion_rate_pct ? ar->completion_rate_pct->value : "-",
				 ar->average_progress_pct ? ar->average_progress_pct->value : "-");
	}
	return rc | table_close(o);
}

static int budget(dash_t *d)
{
	static const char *const head[] = { "재원", "연도", "확보(백만원)", "집행(백만원)" };
	double max = 0;
	for (int s = 0; s < BUDGET_SOURCES; s++)
		for (size_t y = 0; y < d->ny; y++) {
			max = (double)d->sec[s][y] > max ? (double)d->sec[s][y] : max;
			max = (double)d->exe[s][y] > max ? (double)d->exe[s][y] : max;
		}
	/* one scale for every source, in hundredths of a million won */
	max = nice_max(max / 100) * 100;
	buf_t *o = d->o;
	int rc = buf_puts(o, "<h2>재원별·연도별 예산 확보와 집행 (백만원)</h2>\n<figure>");
	for (int s = 0; s < BUDGET_SOURCES; s++)
		if (d->has[s])
			rc |= year_bars(d, s, max);
	rc |= buf_puts(o, "<figcaption>재원별 연도별 확보·집행 (백만원, 모든 재원이 같은 눈금)</figcaption></figure>\n");
	rc |= table_open(o, "재원별 연도별 확보와 집행", head, 4);
	for (int s = 0; s < BUDGET_SOURCES; s++)
		for (size_t y = 0; d->has[s] && y < d->ny; y++) {
			char b1[32], b2[32];
			rc |= buf_printf(o, "<tr><td>%s</td><td>%d년</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
					 budget_source_names[s], d->years[y], dec_format(d->sec[s][y], b1),
					 dec_format(d->exe[s][y], b2));
		}
	return rc | table_close(o);
}

static int per_department(dash_t *d)
{
	static const char *const head[] = { "코드", "공약명", "상태", "진도율(%)", "목표연월", "기한경과", "부진 사유" };
	buf_t *o = d->o;
	int rc = buf_puts(o, "<h2>부서별 공약</h2>\n");
	for (size_t k = 0; k < d->nd; k++) {
		const dept_t *dp = &d->depts[k];
		rc |= buf_puts(o, "<section><h3>");
		rc |= esc(o, dp->name);
		rc |= buf_printf(o, " (%zu건, 완료 %zu, 기한경과 %zu, 부진 %zu)</h3>\n", dp->pledges, dp->completed, dp->overdue,
				 dp->lagging);
		rc |= table_open(o, dp->name, head, 7);
		for (size_t i = 0; i < d->c->n; i++) {
			const doc_node_t *doc = d->c->docs[i];
			const char *dn = doc_text(doc, "department");
			if (strcmp(dn ? dn : "", dp->name))
				continue;
			const char *why = NULL;
			bool lag = is_lagging(d->c->stats, doc_text(doc, "code"), &why);
			rc |= buf_puts(o, "<tr><td>");
			rc |= esc(o, doc_text(doc, "code"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, doc_text(doc, "title"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, status_word(doc_text(doc, "status")));
			rc |= buf_puts(o, "</td><td class=\"num\">");
			rc |= esc(o, doc_text(doc, "progress_pct"));
			rc |= buf_puts(o, "</td><td>");
			rc |= esc(o, doc_text(doc, "target_month"));
			rc |= buf_printf(o, "</td><td class=\"flag\">%s</td><td class=\"flag\">", city_overdue(doc) ? "기한경과" : "");
			rc |= esc(o, lag ? why : "");
			rc |= buf_puts(o, "</td></tr>\n");
		}
		rc |= table_close(o);
		rc |= buf_puts(o, "</section>\n");
	}
	return rc;
}

int dashboard_body(const city_t *c, buf_t *o)
{
	dash_t *d = arena_calloc(c->a, sizeof(*d));
	if (!d)
		return -1;
	d->c = c;
	d->o = o;
	if (gather(d))
		return -1;
	int rc = buf_puts(o, "<h1>");
	if (c->city && *c->city) {
		rc |= esc(o, c->city);
		rc |= buf_putc(o, ' ');
	}
	rc |= buf_puts(o, "공약 이행 현황</h1>\n");
	const char *as_of = city_as_of(c);
	if (*as_of)
		rc |= buf_printf(o, "<p class=\"asof\">기준일 <time datetime=\"%s\">%s</time></p>\n", as_of, fmt_date(c->a, as_of));
	rc |= headline(d);
	rc |= by_status(d);
	rc |= by_department(d);
	rc |= by_area(d);
	rc |= budget(d);
	rc |= per_department(d);
	rc |= approved_changes(d);
	return rc ? -1 : 0;
}

/* What the functions above read of a card (with city_overdue,
 * city_completed and city_as_of): an export of the dashboard keeps only
 * this of each card, a few hundred bytes, not the card's tree. */
doc_node_t *dashboard_part(arena_t *a, const doc_node_t *doc)
{
	static const char *const top[] = { "code",  "title", "department", "status", "progress_pct", "target_month",
					   "as_of", "changes", NULL };
	static const char *const figures[] = { "secured", "executed", NULL };
	static const char *const flags[] = { "overdue", NULL };
	doc_node_t *part = doc_copy(a, doc, top);
	const doc_node_t *der = doc_field(doc, "derived");
	if (!part || (der && doc_set(a, part, "derived", doc_copy(a, der, flags))))
		return NULL;
	const doc_node_t *srcs = doc_field(doc_field(doc, "budget"), "sources");
	for (size_t i = 0; srcs && srcs->type == DOC_MAP && i < srcs->n; i++) {
		const doc_node_t *am = doc_field(srcs->items[i], "amounts");
		doc_node_t *to = doc_child(a, doc_child(a, doc_child(a, doc_child(a, part, "budget", DOC_MAP), "sources", DOC_MAP),
							   srcs->keys[i], DOC_MAP),
					   "amounts", DOC_MAP);
		if (!to)
			return NULL;
		for (size_t k = 0; am && am->type == DOC_MAP && k < am->n; k++)
			if (doc_set(a, to, am->keys[k], doc_copy(a, am->items[k], figures)))
				return NULL;
	}
	return part;
}

/* What the dashboard adds to the report's stylesheet (site.css has it too). */
const char dashboard_style[] =
	".cards{display:flex;gap:1em;flex-wrap:wrap;list-style:none;padding:0}.cards li{border:1px solid #ccc;"
	"border-radius:6px;padding:.6em 1em;min-width:9em}.cards b{display:block;font-size:1.6em}figure{margin:1em 0}"
	"figcaption{font-weight:600;margin-top:.3em}.flag{color:#b3261e;font-weight:600}svg.chart{max-width:100%;height:auto}"
	"@media print{figure,section{break-inside:avoid}}";

int dashboard_html(const city_t *c, buf_t *o)
{
	int rc = buf_puts(o, "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n"
			     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	if (c->city && *c->city) {
		rc |= esc(o, c->city);
		rc |= buf_putc(o, ' ');
	}
	rc |= buf_printf(o, "공약 이행 현황</title>\n<style>%s%s</style>\n</head>\n<body>\n<main>\n", html_style, dashboard_style);
	rc |= dashboard_body(c, o);
	rc |= buf_puts(o, "</main>\n</body>\n</html>\n");
	return rc ? -1 : 0;
}
