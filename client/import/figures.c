/* The tables with numbers: 사업개요, 예산투자현황 and 연도별 성과지표. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "docmap.h"
#include "decimal.h"
#include "derived.h"
#include "import.h"
#include "period.h"
#include "text.h"

void imp_overview(imp_t *im, size_t end)
{
	bool in_contents = false;
	for (char *line; (line = imp_next_line(im, end)); im->i++) {
		bool indented = line[0] == ' ';
		const char *t = imp_strip_mark(line);
		if (indented && in_contents) {
			doc_push(im->a, im->contents, imp_str(im, imp_trim(arena_strdup(im->a, t))));
			imp_use(im);
			continue;
		}
		in_contents = false;
		if (imp_starts(t, "사업기간")) {
			const char *p = strstr(t, ":");
			doc_node_t *period = doc_new(im->a, DOC_MAP);
			int y, m, d;
			bool day;
			p = p ? p + 1 : t;
			imp_skip_spaces(&p);
			if (imp_read_date(&p, &y, &m, &d, &day))
				imp_set(im, period, "start", imp_str(im, imp_iso(im, y, m, 1, false)));
			const char *tilde = strstr(p, "~");
			if (tilde) {
				const char *q = tilde + 1;
				imp_skip_spaces(&q);
				if (imp_starts(q, "지속"))
					imp_set(im, period, "end", doc_new(im->a, DOC_NULL));
				else if (imp_read_date(&q, &y, &m, &d, &day))
					imp_set(im, period, "end", imp_str(im, imp_iso(im, y, m, 1, false)));
			}
			imp_set(im, im->overview, "period", period);
			imp_use(im);
		} else if (imp_starts(t, "사업대상")) {
			const char *p = strstr(t, ":");
			im->title = imp_trim(arena_strdup(im->a, p ? p + 1 : ""));
			imp_set(im, im->overview, "target", imp_str(im, im->title));
			imp_use(im);
		} else if (imp_starts(t, "사업내용")) {
			in_contents = true;
			imp_use(im);
		} else if (imp_starts(t, "소요예산")) {
			/* derived from the budget, not entered: what the card prints
			 * ("29백만원(2021년)") is checked against it */
			const char *p = strstr(t, ":");
			p = p ? p + 1 : t + strlen("소요예산");
			imp_skip_spaces(&p);
			size_t len = strspn(p, "0123456789,.");
			const char *paren = strchr(p, '(');
			int year = 0;
			if (paren)
				year = atoi(paren + 1);
			if (len && im->nprinted < sizeof(im->printed) / sizeof(im->printed[0]))
				im->printed[im->nprinted++] = (struct imp_printed){ "year", "사업개요의 소요예산",
					arena_strndup(im->a, p, len), year, im->i };
			imp_use(im);
		}
	}
}

/* A 계 cell lent to the one source row that has figures, where that row's
 * own cell is blank: a zero over a blank is the card's "no entry", which
 * stays blank (the seed's 시 비 row leaves 기투자 and 2018 empty under 계's
 * zeros); any other figure is the source's, written once. */
static const char *filled(const char *total)
{
	const char *p = total;
	while (*p == '0' || *p == '.' || *p == ',')
		p++;
	return *p ? total : "";
}

/* A row of the budget table: its source (NULL for 계), its cells, its line. */
typedef struct {
	const char *source;
	char *cells[MAX_CELLS];
	size_t n;
	size_t line;
} budget_row_t;

/* A figure as the card prints it ("1,234.5", "-", blank) in hundredths;
 * false when it is not one. */
static bool amount_of(const char *s, int64_t *v)
{
	char buf[64];
	size_t k = 0;
	for (; *s && k + 1 < sizeof(buf); s++)
		if (*s != ',' && *s != ' ')
			buf[k++] = *s;
	buf[k] = '\0';
	return k && !dec_parse(buf, v);
}

/* A printed total the card's own figures do not make: a problem, or with
 * --accept-derived-totals a note ("the derived `kept` is kept"). */
static void printed_differs(imp_t *im, size_t line, const char *what, const char *kept)
{
	if (im->accept_totals) {
		fprintf(im->err, "line %zu: note: %s (the derived %s is kept)\n", imp_line_no(im, line), what, kept);
		return;
	}
	imp_warn(im, line, "%s (--accept-derived-totals keeps the derived one)", what);
	im->total_problems++;
}

/* The card's own 계 row against the rows above it: a card whose printed
 * total is not the sum of its sources is the department's to correct, and
 * the document (whose totals are always derived) would hide it. */
static void check_totals(imp_t *im, const budget_row_t *total, const budget_row_t *rows, size_t nr,
			 const char *const *names)
{
	size_t line = total->line;
	for (size_t c = 1; c < total->n; c++) {
		int64_t printed, sum = 0, v;
		size_t figures = 0;
		if (!amount_of(total->cells[c], &printed))
			continue;
		for (size_t r = 0; r < nr; r++)
			if (c < rows[r].n && amount_of(rows[r].cells[c], &v)) {
				sum += v;
				figures++;
			}
		if (!figures || sum == printed)
			continue;
		char p[32], d[32];
		const char *what = arena_printf(im->a, "the 계 row's %s is %s, but the rows above add up to %s",
						c < MAX_CELLS && names[c] && *names[c] ? names[c] : arena_printf(im->a, "column %zu", c + 1),
						dec_format(printed, p), dec_format(sum, d));
		printed_differs(im, line, what, "total");
	}
}

void imp_check_derived(imp_t *im, doc_node_t *doc)
{
	if (!im->nprinted || derived_add(im->a, doc, day_today()))
		return;
	const doc_node_t *d = doc_get(doc, "derived");
	for (size_t k = 0; k < im->nprinted; k++) {
		const struct imp_printed *pr = &im->printed[k];
		bool year = !strcmp(pr->source, "year");
		const doc_node_t *v = year ? doc_get(doc_get(d, "budget_year"), "amount")
					   : doc_get(doc_get(d, "budget_total"), pr->source);
		int64_t printed, derived;
		if (!v || v->type != DOC_NUM || dec_parse(v->s, &derived))
			continue;
		const char *what = NULL;
		char pb[32], db[32];
		if (!amount_of(pr->text, &printed))
			what = arena_printf(im->a, "the %s \"%s\" is not an amount", pr->label, pr->text);
		else if (printed != derived)
			what = arena_printf(im->a, "the %s is printed %s, but the budget table's figures make %s", pr->label,
					    dec_format(printed, pb), dec_format(derived, db));
		else if (year && pr->year) {
			const doc_node_t *y = doc_get(doc_get(d, "budget_year"), "year");
			if (y && y->s && atoi(y->s) != pr->year)
				what = arena_printf(im->a, "the %s is for %d년, but the report's as-of year is %s년", pr->label,
						    pr->year, y->s);
		}
		if (!what)
			continue;
		printed_differs(im, pr->line, what, "figure");
	}
	doc_del(doc, "derived"); /* the server derives them again; they are not the card's */
}

static const char *source_of(const char *label)
{
	static const char *const map[] = { "국비", "national", "국 비", "national", "도비", "provincial", "도 비",
					   "provincial", "시도비", "provincial", "시비", "city", "시 비", "city",
					   "시군구비", "city", "민간자본", "private", "민자", "private", "기타",
					   "other", "기 타", "other", NULL };
	for (size_t i = 0; map[i]; i += 2)
		if (!strcmp(label, map[i]))
			return map[i + 1];
	return NULL;
}

void imp_budget(imp_t *im, size_t end)
{
	char *h1[MAX_CELLS], *h2[MAX_CELLS];
	size_t n1 = 0, n2 = 0;
	budget_row_t rows[8];
	size_t nr = 0;
	budget_row_t total = { 0 };
	bool have_total = false;
	for (char *line; (line = imp_next_line(im, end)); im->i++) {
		if (imp_starts(line, "(단위")) {
			const char *c = strstr(line, ":");
			char *u = imp_trim(arena_strdup(im->a, c ? c + 1 : ""));
			size_t n = strlen(u);
			if (n && u[n - 1] == ')')
				u[n - 1] = '\0';
			imp_set(im, im->budget, "unit", imp_str(im, imp_trim(u)));
			imp_use(im);
			continue;
		}
		if (imp_starts(line, "구 분") || imp_starts(line, "구분")) {
			n1 = imp_split_tabs(im, line, h1);
			imp_use(im);
			im->i++;
			n2 = imp_split_tabs(im, im->lines[im->i], h2);
			imp_use(im);
			continue;
		}
		char *cells[MAX_CELLS];
		size_t n = imp_split_tabs(im, line, cells);
		if (!strcmp(cells[0], "계")) {
			memcpy(total.cells, cells, sizeof(cells[0]) * n);
			total.n = n;
			have_total = true;
			total.line = im->i;
			imp_use(im);
			continue;
		}
		const char *src = source_of(cells[0]);
		if (!src || nr == 8) {
			continue; /* reported below */
		}
		imp_known(im, cells[0]);
		/* a second row of the same source would overwrite the first */
		bool again = false;
		for (size_t r = 0; r < nr && !again; r++)
			again = rows[r].source == src;
		if (again) {
			imp_use(im);
			imp_warn(im, im->i, "\"%s\" is a second row of the same funding source in the budget table", cells[0]);
			continue;
		}
		rows[nr].source = src;
		memcpy(rows[nr].cells, cells, sizeof(cells[0]) * n);
		rows[nr].n = n;
		rows[nr].line = im->i;
		nr++;
		imp_use(im);
	}
	/* periods, and what each column holds */
	const char *col_period[MAX_CELLS] = { 0 }, *col_kind[MAX_CELLS] = { 0 };
	doc_node_t *periods = doc_new(im->a, DOC_SEQ);
	const char *cur = NULL;
	for (size_t c = 3; c < n1 || c < n2; c++) {
		if (c < n1 && *h1[c]) {
			cur = imp_period_of(im, h1[c], NULL);
			if (cur)
				doc_push(im->a, periods, imp_str(im, cur));
			else
				imp_warn(im, im->i, "budget column \"%s\" is not a period this reader knows", h1[c]);
		}
		col_period[c] = cur;
		const char *k = c < n2 ? h2[c] : "";
		col_kind[c] = imp_starts(k, "확보") ? "secured" : imp_starts(k, "집행") ? "executed" : imp_starts(k, "계획") ? "planned" : NULL;
	}
	imp_set(im, im->budget, "periods", periods);
	/* each row's printed 소요예산 (a~g합계), checked once the document is whole */
	for (size_t r = 0; r <= nr; r++) { /* 계 first, as the card prints it */
		const budget_row_t *row = r == 0 ? (have_total ? &total : NULL) : &rows[r - 1];
		if (row && row->n > 1 && *row->cells[1] && im->nprinted < sizeof(im->printed) / sizeof(im->printed[0]))
			im->printed[im->nprinted++] = (struct imp_printed){ r ? row->source : "all", row->cells[0],
				row->cells[1], 0, row->line };
	}
	if (have_total && nr) {
		const char *names[MAX_CELLS] = { 0 }, *top = "";
		for (size_t c = 0; c < MAX_CELLS; c++) {
			/* a period's name stands over its first column only */
			if (c < n1 && *h1[c])
				top = h1[c];
			const char *sub = c < n2 ? h2[c] : "";
			names[c] = *sub && *top ? arena_printf(im->a, "%s %s", top, sub) : *top ? top : sub;
		}
		check_totals(im, &total, rows, nr, names);
	}
	/* The report often fills only the 계 row when one source has it all. */
	size_t with_figures = 0, only = 0;
	for (size_t r = 0; r < nr; r++) {
		bool any = false;
		for (size_t c = 2; c < rows[r].n; c++)
			any |= *rows[r].cells[c] != '\0';
		if (any) {
			with_figures++;
			only = r;
		}
	}
	doc_node_t *sources = doc_new(im->a, DOC_MAP);
	for (size_t r = 0; r < nr; r++) {
		budget_row_t *row = &rows[r];
		bool fill = have_total && with_figures == 1 && r == only;
		const char *prior = row->n > 2 && *row->cells[2] ? row->cells[2] : (fill && total.n > 2 ? filled(total.cells[2]) : "");
		doc_node_t *src = doc_new(im->a, DOC_MAP);
		doc_node_t *amounts = doc_new(im->a, DOC_MAP);
		if (*prior)
			imp_set(im, src, "prior", imp_number(im, prior));
		size_t cols = row->n > total.n ? row->n : total.n;
		for (size_t c = 3; c < cols && c < MAX_CELLS; c++) {
			const char *v = c < row->n && *row->cells[c] ? row->cells[c] : (fill && c < total.n ? filled(total.cells[c]) : "");
			if (!*v)
				continue;
			if (!col_period[c] || !col_kind[c]) {
				imp_warn(im, row->line, "a budget figure in column %s has no period or kind",
				     arena_printf(im->a, "%zu", c + 1));
				continue;
			}
			doc_node_t *cell = doc_child(im->a, amounts, col_period[c], DOC_MAP);
			doc_node_t *num = imp_number(im, v);
			if (num)
				imp_set(im, cell, col_kind[c], num);
			else
				imp_warn(im, row->line, "budget figure \"%s\" is not a number", v);
		}
		if (!src->n && !amounts->n)
			continue;
		if (amounts->n)
			imp_set(im, src, "amounts", amounts);
		imp_set(im, sources, row->source, src);
	}
	imp_set(im, im->budget, "sources", sources);
}

static doc_node_t *cell_value(imp_t *im, const char *v)
{
	if (!*v)
		return NULL;
	doc_node_t *n = imp_number(im, v);
	return n ? n : imp_str(im, v);
}

static const char *pct_of(imp_t *im, const char *v)
{
	size_t n = strlen(v);
	if (!n || !strcmp(v, "%") || !strcmp(v, "-"))
		return NULL;
	char *s = arena_strdup(im->a, v);
	if (s[n - 1] == '%')
		s[n - 1] = '\0';
	return s;
}

void imp_indicators(imp_t *im, size_t end)
{
	doc_node_t *set_ = NULL, *inds = NULL, *cum = NULL, *last_ind = NULL;
	const char *periods[MAX_CELLS] = { 0 };
	size_t ncols = 0;
	const char *cum_kind = NULL;
	bool reason_next = false;
	for (char *line; (line = imp_next_line(im, end)); im->i++) {
		const char *t = imp_strip_mark(line);
		if (reason_next && set_ && (imp_starts(line, "-") || imp_starts(line, "○"))) {
			imp_set(im, set_, "change_reason", imp_str(im, imp_trim(arena_strdup(im->a, t))));
			reason_next = false;
			imp_use(im);
			continue;
		}
		if (strstr(line, "【변경사유】")) {
			reason_next = true;
			imp_use(im);
			continue;
		}
		if ((imp_starts(line, "- ") || imp_starts(line, "○ ")) && !strchr(line, '\t')) {
			/* a table's title: "- 2018년 ~ 2020년", "○ 2021년 이후" */
			set_ = doc_new(im->a, DOC_MAP);
			doc_push(im->a, im->sets, set_);
			inds = doc_new(im->a, DOC_SEQ);
			cum = doc_new(im->a, DOC_MAP);
			ncols = 0;
			imp_use(im);
			continue;
		}
		char *cells[MAX_CELLS];
		size_t n = imp_split_tabs(im, line, cells);
		if (!set_)
			continue;
		if (imp_starts(cells[0], "성 과 지 표") || imp_starts(cells[0], "성과지표")) {
			/* header rows follow while the first cells are empty */
			imp_use(im);
			char *a[MAX_CELLS], *b[MAX_CELLS];
			size_t na = 0, nb = 0;
			if (im->i + 1 < end) {
				na = imp_split_tabs(im, im->lines[im->i + 1], a);
				im->i++;
				imp_use(im);
			}
			if (im->i + 1 < end) {
				char *peek[MAX_CELLS];
				size_t np = imp_split_tabs(im, im->lines[im->i + 1], peek);
				if (np > 0 && !*peek[0] && (np < 2 || !*peek[1])) {
					memcpy(b, peek, sizeof(peek[0]) * np);
					nb = np;
					im->i++;
					imp_use(im);
				}
			}
			doc_node_t *ps = doc_new(im->a, DOC_SEQ);
			const char *year = NULL;
			ncols = 0;
			for (size_t c = 3; c < na || c < nb; c++) {
				if (c < na && *a[c])
					year = a[c];
				const char *sub = c < nb ? b[c] : NULL;
				const char *p = year ? imp_period_of(im, c < na && *a[c] && !(sub && *sub) ? a[c] : year, sub) : NULL;
				if (!p && (!(sub && *sub) && !(c < na && *a[c])))
					continue; /* an empty trailing column */
				if (!p) {
					imp_warn(im, im->i, "indicator column \"%s\" is not a period this reader knows",
					     c < na ? a[c] : "");
					continue;
				}
				periods[c] = p;
				ncols = c + 1;
				doc_push(im->a, ps, imp_str(im, p));
			}
			imp_set(im, set_, "periods", ps);
			continue;
		}
		if (!strcmp(cells[0], "누적 추진율") || (!*cells[0] && n > 1 && (!strcmp(cells[1], "목표") || !strcmp(cells[1], "현재")))) {
			bool two = n > 1 && (!strcmp(cells[1], "목표") || !strcmp(cells[1], "현재"));
			cum_kind = two ? (!strcmp(cells[1], "목표") ? "target" : "current") : "current";
			for (size_t c = 3; c < n && c < ncols; c++) {
				const char *v = pct_of(im, cells[c]);
				if (!v || !periods[c])
					continue;
				doc_node_t *cp = doc_child(im->a, cum, periods[c], DOC_MAP);
				doc_node_t *num = imp_number(im, v);
				if (num)
					imp_set(im, cp, cum_kind, num);
				else
					imp_warn(im, im->i, "cumulative progress \"%s\" is not a percentage", cells[c]);
			}
			doc_del(set_, "cumulative_progress");
			imp_set(im, set_, "cumulative_progress", cum);
			imp_use(im);
			continue;
		}
		if (!strcmp(cells[0], "실적") && last_ind) {
			doc_node_t *act = doc_new(im->a, DOC_MAP);
			for (size_t c = 3; c < n && c < ncols; c++)
				if (periods[c])
					imp_set(im, act, periods[c], cell_value(im, cells[c]));
			imp_set(im, last_ind, "actuals", act);
			imp_use(im);
			continue;
		}
		if (!strcmp(cells[0], "당초") || !strcmp(cells[0], "변경") || (!*cells[0] && n > 1 && *cells[1])) {
			/* a card lists the changed indicators under the original ones
			 * in one table: the 변경 rows are a set of their own over the
			 * same periods, after the 당초 one (derived_set_changes); the
			 * 누적 추진율 and 【변경사유】 after them are theirs */
			const char *basis = doc_text(set_, "basis");
			if (!strcmp(cells[0], "변경") && basis && !strcmp(basis, "original") && doc_count(inds)) {
				doc_node_t *changed = doc_new(im->a, DOC_MAP), *ps = doc_new(im->a, DOC_SEQ);
				const doc_node_t *orig = doc_get(set_, "periods");
				for (size_t k = 0; k < doc_count(orig); k++)
					doc_push(im->a, ps, imp_str(im, orig->items[k]->s));
				imp_set(im, changed, "periods", ps);
				doc_push(im->a, im->sets, changed);
				set_ = changed;
				inds = doc_new(im->a, DOC_SEQ);
				cum = doc_new(im->a, DOC_MAP);
			}
			if (*cells[0] && !doc_get(set_, "basis"))
				imp_set(im, set_, "basis", imp_str(im, !strcmp(cells[0], "변경") ? "changed" : "original"));
			doc_node_t *ind = doc_new(im->a, DOC_MAP);
			imp_set(im, ind, "name", imp_str(im, cells[1]));
			if (n > 2 && *cells[2])
				imp_set(im, ind, "unit", imp_str(im, cells[2]));
			doc_node_t *tg = doc_new(im->a, DOC_MAP);
			for (size_t c = 3; c < n && c < ncols; c++)
				if (periods[c])
					imp_set(im, tg, periods[c], cell_value(im, cells[c]));
			if (tg->n)
				imp_set(im, ind, "targets", tg);
			doc_push(im->a, inds, ind);
			doc_del(set_, "indicators");
			imp_set(im, set_, "indicators", inds);
			last_ind = ind;
			imp_use(im);
			continue;
		}
	}
	/* keys in the spec's order */
	for (size_t s = 0; s < im->sets->n; s++) {
		doc_node_t *x = im->sets->items[s], *o = doc_new(im->a, DOC_MAP);
		static const char *const order[] = { "periods", "basis", "change_reason", "indicators", "cumulative_progress" };
		for (size_t k = 0; k < 5; k++)
			imp_set(im, o, order[k], (doc_node_t *)doc_get(x, order[k]));
		if (!doc_get(o, "cumulative_progress"))
			imp_set(im, o, "cumulative_progress", doc_new(im->a, DOC_MAP));
		im->sets->items[s] = o;
	}
}

/* "(2018. 7. ~ 2021. 3. 31.)" in a heading: the span it covers. */
