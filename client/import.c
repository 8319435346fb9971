/* yaksok import: a quarterly report laid out like the city's (the seed:
 * tab-separated tables, <ul>/<li> fragments, ○ • - bullets, dates such as
 * "2019. 1.10.", "2019.3.21.~4.2.", "2020.8.12./8.14./8.19") read into a
 * pledge document.  Every line is either mapped, known boilerplate, or reported
 * with its number: nothing is dropped silently. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "doc_io.h"
#include "docmap.h"
#include "text.h"

#define MAX_CELLS 64

typedef struct {
	arena_t *a;
	char **lines;
	size_t n;
	size_t i;                 /* the line being read */
	bool *used;               /* per line: mapped or known */
	doc_node_t *doc;          /* the document being built (keys in the spec's order) */
	doc_node_t *overview, *contents, *budget, *sets, *progress, *groups, *changes, *evaluations, *problems, *plans,
		*officials;
	const char *title, *term;
	size_t warnings;
	FILE *err;
} imp_t;

/* ------------------------------------------------------------------ text helpers */

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static size_t split_tabs(imp_t *im, const char *line, char **cells)
{
	char *copy = arena_strdup(im->a, line);
	size_t n = 0;
	char *p = copy;
	while (n < MAX_CELLS) {
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		cells[n++] = trim(p);
		if (!tab)
			break;
		p = tab + 1;
	}
	return n;
}

static void warn(imp_t *im, size_t line, const char *fmt, const char *what)
{
	fprintf(im->err, "line %zu: ", line + 1);
	fprintf(im->err, fmt, what);
	fputc('\n', im->err);
	im->warnings++;
}

static doc_node_t *S(imp_t *im, const char *s)
{
	return doc_str(im->a, s, strlen(s));
}

static doc_node_t *N(imp_t *im, const char *lex)
{
	char *c = doc_num_canon(im->a, lex, strlen(lex));
	return c ? doc_num(im->a, c) : NULL;
}

static void set(imp_t *im, doc_node_t *m, const char *k, doc_node_t *v)
{
	if (v)
		doc_set(im->a, m, k, v);
}

/* A number as the report writes it ("1,234", "29"); NULL when not one. */
static doc_node_t *number(imp_t *im, const char *s)
{
	char buf[64];
	size_t k = 0;
	for (; *s && k < sizeof(buf) - 1; s++)
		if (*s != ',')
			buf[k++] = *s;
	buf[k] = '\0';
	return k ? N(im, buf) : NULL;
}

/* "일 시" -> "일시": a label spread out letter by letter to justify it. */
static const char *label_text(imp_t *im, const char *s)
{
	bool spread = strchr(s, ' ') != NULL;
	const char *p = s;
	while (*p && spread) {
		size_t w = strcspn(p, " ");
		/* one Hangul syllable is 3 bytes */
		if (w > 3)
			spread = false;
		p += w;
		while (*p == ' ')
			p++;
	}
	if (!spread)
		return s;
	char *out = arena_strdup(im->a, s), *o = out;
	for (p = s; *p; p++)
		if (*p != ' ')
			*o++ = *p;
	*o = '\0';
	return out;
}

/* ------------------------------------------------------------------ dates */

static bool digits(const char **p, int *v)
{
	const char *s = *p;
	int n = 0, x = 0;
	while (isdigit((unsigned char)*s) && n < 4) {
		x = x * 10 + (*s - '0');
		s++;
		n++;
	}
	if (!n)
		return false;
	*v = x;
	*p = s;
	return true;
}

static void skip_spaces(const char **p)
{
	while (**p == ' ')
		(*p)++;
}

/* "2019. 1.10." "2019.3.12." "2019. 4. 4." (the last dot may be missing):
 * year, month, day.  With want_day false, "2021. 4." reads as a month. */
static bool read_date(const char **p, int *y_out, int *m, int *d, bool *has_day)
{
	const char *s = *p;
	int yy;
	if (!digits(&s, &yy) || yy < 1000 || *s != '.')
		return false;
	int *y = y_out;
	*y = yy;
	s++;
	skip_spaces(&s);
	if (!digits(&s, m) || *m < 1 || *m > 12)
		return false;
	if (*s != '.') {
		/* "2018. 2월" */
		if (!strncmp(s, "월", strlen("월"))) {
			s += strlen("월");
			*has_day = false;
			*p = s;
			return true;
		}
		return false;
	}
	s++;
	const char *after_month = s;
	skip_spaces(&s);
	if (digits(&s, d) && *d >= 1 && *d <= 31) {
		if (*s == '.')
			s++;
		*has_day = true;
		*p = s;
		return true;
	}
	*has_day = false;
	*p = after_month;
	return true;
}

/* "M.D." continuing a date (the year is the one before). */
static bool read_short(const char **p, int *m, int *d)
{
	const char *s = *p;
	skip_spaces(&s);
	if (!digits(&s, m) || *s != '.')
		return false;
	s++;
	skip_spaces(&s);
	if (!digits(&s, d))
		return false;
	if (*s == '.')
		s++;
	*p = s;
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

static const char *iso(imp_t *im, int y, int m, int d, bool has_day)
{
	return has_day ? arena_printf(im->a, "%04d-%02d-%02d", y, m, d) : arena_printf(im->a, "%04d-%02d", y, m);
}

/* When the whole of s is a date expression (a date, a range "~M.D.", several
 * "/M.D./M.D."), optionally followed by " / note": fill the item and return
 * true. */
static bool when_into(imp_t *im, const char *s, doc_node_t *item)
{
	int y, m, d;
	bool day;
	const char *p = s;
	if (!read_date(&p, &y, &m, &d, &day))
		return false;
	const char *first = iso(im, y, m, d, day);
	skip_spaces(&p);
	doc_node_t *dates = NULL;
	const char *until = NULL;
	if (*p == '~') {
		p++;
		skip_spaces(&p);
		int y2 = y, m2, d2;
		bool day2 = true;
		const char *q = p;
		if (read_date(&q, &y2, &m2, &d2, &day2))
			p = q;
		else if (!read_short(&p, &m2, &d2))
			return false;
		until = iso(im, y2, m2, d2, day2);
	} else if (*p == '/' && isdigit((unsigned char)p[1]) && day) {
		dates = doc_new(im->a, DOC_SEQ);
		doc_push(im->a, dates, S(im, first));
		while (*p == '/' && isdigit((unsigned char)p[1])) {
			p++;
			int m2, d2;
			if (!read_short(&p, &m2, &d2))
				return false;
			doc_push(im->a, dates, S(im, iso(im, y, m2, d2, true)));
		}
	}
	skip_spaces(&p);
	const char *note = NULL;
	if (*p == '/') {
		p++;
		skip_spaces(&p);
		note = p;
	} else if (*p) {
		return false;
	}
	if (dates) {
		set(im, item, "dates", dates);
	} else {
		set(im, item, "date", S(im, first));
		if (until)
			set(im, item, "until", S(im, until));
	}
	if (note && *note)
		set(im, item, "note", S(im, note));
	return true;
}

/* ------------------------------------------------------------------ bullets */

typedef struct bullet bullet_t;
struct bullet {
	const char *text;
	bullet_t **kids;
	size_t n;
};

static const char *strip_mark(const char *s)
{
	static const char *const marks[] = { "○", "•", "-", "·", NULL };
	while (*s == ' ')
		s++;
	for (size_t i = 0; marks[i]; i++)
		if (starts(s, marks[i])) {
			s += strlen(marks[i]);
			while (*s == ' ')
				s++;
			return s;
		}
	return s;
}

static bullet_t *new_bullet(imp_t *im, const char *text)
{
	bullet_t *b = arena_calloc(im->a, sizeof(*b));
	b->text = text;
	b->kids = arena_alloc(im->a, sizeof(bullet_t *) * 64);
	return b;
}

static void add_kid(bullet_t *p, bullet_t *k)
{
	if (p->n < 64)
		p->kids[p->n++] = k;
}

/* <ul><li>text <ul><li>...</li></ul></li></ul> as a tree under root. */
static void parse_html_list(imp_t *im, const char *s, bullet_t *root)
{
	bullet_t *stack[8] = { root };
	int depth = 0;
	bullet_t *open_li = NULL;
	while (*s) {
		if (*s == '<') {
			const char *end = strchr(s, '>');
			if (!end)
				break;
			if (starts(s, "<li")) {
				open_li = new_bullet(im, "");
				add_kid(stack[depth], open_li);
			} else if (starts(s, "<ul")) {
				if (open_li && depth < 7)
					stack[++depth] = open_li;
				open_li = NULL;
			} else if (starts(s, "</ul")) {
				if (depth > 0)
					depth--;
				open_li = NULL;
			} else if (starts(s, "</li")) {
				open_li = NULL;
			}
			s = end + 1;
			continue;
		}
		const char *lt = strchr(s, '<');
		size_t n = lt ? (size_t)(lt - s) : strlen(s);
		char *t = trim(arena_strndup(im->a, s, n));
		if (*t && open_li)
			open_li->text = *open_li->text ? arena_printf(im->a, "%s %s", open_li->text, t) : t;
		else if (*t && depth == 0 && !open_li)
			add_kid(root, new_bullet(im, t));
		s += n;
	}
}

/* "○ A • x : d • y ○ B • z" (one table cell) as a tree: ○ under root, • under ○. */
static void parse_plain_bullets(imp_t *im, const char *s, bullet_t *root)
{
	bullet_t *act = NULL;
	const char *p = s;
	while (*p) {
		const char *o = strstr(p, "○"), *b = strstr(p, "•");
		const char *next;
		bool is_act;
		if (o && (!b || o < b)) {
			next = o;
			is_act = true;
		} else if (b) {
			next = b;
			is_act = false;
		} else {
			break;
		}
		const char *start = next + strlen(is_act ? "○" : "•");
		const char *o2 = strstr(start, "○"), *b2 = strstr(start, "•");
		const char *stop = o2 && (!b2 || o2 < b2) ? o2 : b2;
		size_t n = stop ? (size_t)(stop - start) : strlen(start);
		char *t = trim(arena_strndup(im->a, start, n));
		bullet_t *nb = new_bullet(im, t);
		if (is_act || !act) {
			add_kid(root, nb);
			act = is_act ? nb : act;
		} else {
			add_kid(act, nb);
		}
		p = start + n;
	}
}

/* One item: "label : text", "text : date", "label" (with children) or text. */
static doc_node_t *item_of(imp_t *im, const bullet_t *b, bool sub_allowed)
{
	doc_node_t *it = doc_new(im->a, DOC_MAP);
	const char *t = strip_mark(b->text);
	const char *colon = strstr(t, " : ");
	bool mark_is_dash = starts(trim(arena_strdup(im->a, b->text)), "-");
	if (colon) {
		const char *left = trim(arena_strndup(im->a, t, (size_t)(colon - t)));
		const char *right = colon + 3;
		doc_node_t *probe = doc_new(im->a, DOC_MAP);
		if (when_into(im, right, probe)) {
			set(im, it, "text", S(im, left));
			for (size_t k = 0; k < probe->n; k++)
				set(im, it, probe->keys[k], probe->items[k]);
		} else if (!mark_is_dash) {
			set(im, it, "label", S(im, label_text(im, left)));
			set(im, it, "text", S(im, right));
			/* "2019. 8. 21.(수) 16:00~18:00": the day it happened */
			int y, m, d;
			bool day;
			const char *p = right;
			if (read_date(&p, &y, &m, &d, &day) && day)
				set(im, it, "date", S(im, iso(im, y, m, d, true)));
		} else {
			set(im, it, "text", S(im, t));
		}
	} else if (b->n && !mark_is_dash) {
		set(im, it, "label", S(im, label_text(im, t)));
	} else {
		set(im, it, "text", S(im, t));
	}
	if (b->n && sub_allowed) {
		doc_node_t *items = doc_new(im->a, DOC_SEQ);
		for (size_t k = 0; k < b->n; k++)
			doc_push(im->a, items, item_of(im, b->kids[k], false));
		set(im, it, "items", items);
	}
	return it;
}

static const char *strip_tags(imp_t *im, const char *s)
{
	char *out = arena_strdup(im->a, s), *o = out;
	bool in = false;
	for (; *s; s++) {
		if (*s == '<')
			in = true;
		else if (*s == '>')
			in = false;
		else if (!in)
			*o++ = *s;
	}
	*o = '\0';
	return trim(out);
}

/* ------------------------------------------------------------------ periods */

/* A column heading as a period: "2019년" "2018.7월~12월" "2022.6월까지"
 * "2022년 7월이후" "2021.1분기"; with a year from the row above for "1분기". */
static const char *period_of(imp_t *im, const char *label, const char *sub)
{
	int y = 0, m = 0;
	const char *p = label;
	if (!digits(&p, &y) || y < 1000)
		return NULL;
	while (*p == '.' || *p == ' ')
		p++;
	if (starts(p, "년")) {
		p += strlen("년");
		skip_spaces(&p);
	}
	if (sub && *sub) {
		int q;
		const char *s = sub;
		if (digits(&s, &q) && starts(s, "분기") && q >= 1 && q <= 4)
			return arena_printf(im->a, "%d-Q%d", y, q);
		if (!strcmp(sub, "상반기"))
			return arena_printf(im->a, "%d-H1", y);
		if (!strcmp(sub, "하반기"))
			return arena_printf(im->a, "%d-H2", y);
		return NULL;
	}
	if (!*p)
		return arena_printf(im->a, "%d", y);
	if (starts(p, "상반기"))
		return arena_printf(im->a, "%d-H1", y);
	if (starts(p, "하반기"))
		return arena_printf(im->a, "%d-H2", y);
	int q;
	const char *s = p;
	if (digits(&s, &q) && starts(s, "분기"))
		return arena_printf(im->a, "%d-Q%d", y, q);
	if (!digits(&p, &m) || !starts(p, "월"))
		return NULL;
	p += strlen("월");
	skip_spaces(&p);
	if (starts(p, "까지") && m == 6)
		return arena_printf(im->a, "%d-H1", y);
	if (starts(p, "이후") || starts(p, "부터"))
		return arena_printf(im->a, "%d-%02d+", y, m);
	if (starts(p, "~")) {
		int m2;
		p++;
		if (digits(&p, &m2)) {
			if (m == 1 && m2 == 6)
				return arena_printf(im->a, "%d-H1", y);
			if (m == 7 && m2 == 12)
				return arena_printf(im->a, "%d-H2", y);
			if (m2 == m + 2 && (m - 1) % 3 == 0)
				return arena_printf(im->a, "%d-Q%d", y, (m - 1) / 3 + 1);
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ sections */

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

/* A heading's text without markdown: "## 1. 사업개요" "**4. ...**" -> "1. 사업개요" */
static const char *heading(imp_t *im, const char *line)
{
	char *s = arena_strdup(im->a, line);
	while (*s == '#' || *s == '*' || *s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '*' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int section_of(imp_t *im, const char *line)
{
	const char *h = heading(im, line);
	if (h == line + strlen(line) || !isdigit((unsigned char)h[0]) || h[1] != '.' || h[2] != ' ')
		return 0;
	if (line[0] != '#' && line[0] != '*')
		return 0;
	return h[0] - '0';
}

static void use(imp_t *im)
{
	im->used[im->i] = true;
}

/* The next line before `end`, blank ones skipped (and counted as read); NULL
 * at the end.  The caller's loop steps im->i past the line it takes. */
static char *next_line(imp_t *im, size_t end)
{
	for (; im->i < end; im->i++) {
		if (!blank(im->lines[im->i]))
			return im->lines[im->i];
		use(im);
	}
	return NULL;
}

static void header_rows(imp_t *im)
{
	for (; im->i + 1 < im->n; im->i++) {
		char *cells[MAX_CELLS];
		if (!starts(im->lines[im->i], "사업구분"))
			continue;
		use(im);
		im->i++;
		size_t n = split_tabs(im, im->lines[im->i], cells);
		use(im);
		const char *status = "in_progress";
		if (n > 1 && !strcmp(cells[1], "○"))
			status = "completed";
		else if (n > 2 && !strcmp(cells[2], "○"))
			status = "completed_ongoing";
		const char *pct = n > 3 ? cells[3] : "";
		/* our own rendering writes other statuses after the figure: "40 (부진)" */
		static const char *const words[] = { "부진", "delayed", "일부추진", "partial", "보류", "on_hold",
						     "폐기", "dropped", "미착수", "not_started", NULL };
		const char *paren = strchr(pct, '(');
		if (paren) {
			for (size_t k = 0; words[k]; k += 2)
				if (strstr(paren, words[k]))
					status = words[k + 1];
			pct = trim(arena_strndup(im->a, pct, (size_t)(paren - pct)));
		}
		set(im, im->doc, "category", n > 0 && *cells[0] ? S(im, cells[0]) : NULL);
		set(im, im->doc, "department", n > 5 ? S(im, cells[5]) : NULL);
		set(im, im->doc, "status", S(im, status));
		doc_node_t *num = number(im, pct);
		if (num)
			set(im, im->doc, "progress_pct", num);
		else
			warn(im, im->i, "the progress \"%s\" is not a number", pct);
		int y, m, d;
		bool day;
		const char *p = n > 4 ? cells[4] : "";
		if (*p && read_date(&p, &y, &m, &d, &day))
			set(im, im->doc, "target_month", S(im, iso(im, y, m, 1, false)));
		else if (n > 4 && *cells[4])
			warn(im, im->i, "the target month \"%s\" is not a month", cells[4]);
		set(im, im->doc, "remarks", S(im, n > 6 ? cells[6] : ""));
		im->i++;
		return;
	}
}

static void overview(imp_t *im, size_t end)
{
	bool in_contents = false;
	for (char *line; (line = next_line(im, end)); im->i++) {
		bool indented = line[0] == ' ';
		const char *t = strip_mark(line);
		if (indented && in_contents) {
			doc_push(im->a, im->contents, S(im, trim(arena_strdup(im->a, t))));
			use(im);
			continue;
		}
		in_contents = false;
		if (starts(t, "사업기간")) {
			const char *p = strstr(t, ":");
			doc_node_t *period = doc_new(im->a, DOC_MAP);
			int y, m, d;
			bool day;
			p = p ? p + 1 : t;
			skip_spaces(&p);
			if (read_date(&p, &y, &m, &d, &day))
				set(im, period, "start", S(im, iso(im, y, m, 1, false)));
			const char *tilde = strstr(p, "~");
			if (tilde) {
				const char *q = tilde + 1;
				skip_spaces(&q);
				if (starts(q, "지속"))
					set(im, period, "end", doc_new(im->a, DOC_NULL));
				else if (read_date(&q, &y, &m, &d, &day))
					set(im, period, "end", S(im, iso(im, y, m, 1, false)));
			}
			set(im, im->overview, "period", period);
			use(im);
		} else if (starts(t, "사업대상")) {
			const char *p = strstr(t, ":");
			im->title = trim(arena_strdup(im->a, p ? p + 1 : ""));
			set(im, im->overview, "target", S(im, im->title));
			use(im);
		} else if (starts(t, "사업내용")) {
			in_contents = true;
			use(im);
		} else if (starts(t, "소요예산")) {
			use(im); /* derived from the budget; not entered */
		}
	}
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

static void budget(imp_t *im, size_t end)
{
	char *h1[MAX_CELLS], *h2[MAX_CELLS];
	size_t n1 = 0, n2 = 0;
	typedef struct {
		const char *source;
		char *cells[MAX_CELLS];
		size_t n;
		size_t line;
	} row_t;
	row_t rows[8];
	size_t nr = 0;
	row_t total = { 0 };
	bool have_total = false;
	for (char *line; (line = next_line(im, end)); im->i++) {
		if (starts(line, "(단위")) {
			const char *c = strstr(line, ":");
			char *u = trim(arena_strdup(im->a, c ? c + 1 : ""));
			size_t n = strlen(u);
			if (n && u[n - 1] == ')')
				u[n - 1] = '\0';
			set(im, im->budget, "unit", S(im, trim(u)));
			use(im);
			continue;
		}
		if (starts(line, "구 분") || starts(line, "구분")) {
			n1 = split_tabs(im, line, h1);
			use(im);
			im->i++;
			n2 = split_tabs(im, im->lines[im->i], h2);
			use(im);
			continue;
		}
		char *cells[MAX_CELLS];
		size_t n = split_tabs(im, line, cells);
		if (!strcmp(cells[0], "계")) {
			memcpy(total.cells, cells, sizeof(cells[0]) * n);
			total.n = n;
			have_total = true;
			use(im);
			continue;
		}
		const char *src = source_of(cells[0]);
		if (!src || nr == 8) {
			continue; /* reported below */
		}
		rows[nr].source = src;
		memcpy(rows[nr].cells, cells, sizeof(cells[0]) * n);
		rows[nr].n = n;
		rows[nr].line = im->i;
		nr++;
		use(im);
	}
	/* periods, and what each column holds */
	const char *col_period[MAX_CELLS] = { 0 }, *col_kind[MAX_CELLS] = { 0 };
	doc_node_t *periods = doc_new(im->a, DOC_SEQ);
	const char *cur = NULL;
	for (size_t c = 3; c < n1 || c < n2; c++) {
		if (c < n1 && *h1[c]) {
			cur = period_of(im, h1[c], NULL);
			if (cur)
				doc_push(im->a, periods, S(im, cur));
			else
				warn(im, im->i, "budget column \"%s\" is not a period this reader knows", h1[c]);
		}
		col_period[c] = cur;
		const char *k = c < n2 ? h2[c] : "";
		col_kind[c] = starts(k, "확보") ? "secured" : starts(k, "집행") ? "executed" : starts(k, "계획") ? "planned" : NULL;
	}
	set(im, im->budget, "periods", periods);
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
		row_t *row = &rows[r];
		bool fill = have_total && with_figures == 1 && r == only;
		const char *prior = row->n > 2 && *row->cells[2] ? row->cells[2] : (fill && total.n > 2 ? total.cells[2] : "");
		doc_node_t *src = doc_new(im->a, DOC_MAP);
		doc_node_t *amounts = doc_new(im->a, DOC_MAP);
		if (*prior)
			set(im, src, "prior", number(im, prior));
		size_t cols = row->n > total.n ? row->n : total.n;
		for (size_t c = 3; c < cols && c < MAX_CELLS; c++) {
			const char *v = c < row->n && *row->cells[c] ? row->cells[c] : (fill && c < total.n ? total.cells[c] : "");
			if (!*v)
				continue;
			if (!col_period[c] || !col_kind[c]) {
				warn(im, row->line, "a budget figure in column %s has no period or kind",
				     arena_printf(im->a, "%zu", c + 1));
				continue;
			}
			doc_node_t *cell = doc_child(im->a, amounts, col_period[c], DOC_MAP);
			doc_node_t *num = number(im, v);
			if (num)
				set(im, cell, col_kind[c], num);
			else
				warn(im, row->line, "budget figure \"%s\" is not a number", v);
		}
		if (!src->n && !amounts->n)
			continue;
		if (amounts->n)
			set(im, src, "amounts", amounts);
		set(im, sources, row->source, src);
	}
	set(im, im->budget, "sources", sources);
}

static doc_node_t *cell_value(imp_t *im, const char *v)
{
	if (!*v)
		return NULL;
	doc_node_t *n = number(im, v);
	return n ? n : S(im, v);
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

static void indicators(imp_t *im, size_t end)
{
	doc_node_t *set_ = NULL, *inds = NULL, *cum = NULL, *last_ind = NULL;
	const char *periods[MAX_CELLS] = { 0 };
	size_t ncols = 0;
	const char *cum_kind = NULL;
	bool reason_next = false;
	for (char *line; (line = next_line(im, end)); im->i++) {
		const char *t = strip_mark(line);
		if (reason_next && set_ && (starts(line, "-") || starts(line, "○"))) {
			set(im, set_, "change_reason", S(im, trim(arena_strdup(im->a, t))));
			reason_next = false;
			use(im);
			continue;
		}
		if (strstr(line, "【변경사유】")) {
			reason_next = true;
			use(im);
			continue;
		}
		if ((starts(line, "- ") || starts(line, "○ ")) && !strchr(line, '\t')) {
			/* a table's title: "- 2018년 ~ 2020년", "○ 2021년 이후" */
			set_ = doc_new(im->a, DOC_MAP);
			doc_push(im->a, im->sets, set_);
			inds = doc_new(im->a, DOC_SEQ);
			cum = doc_new(im->a, DOC_MAP);
			ncols = 0;
			use(im);
			continue;
		}
		char *cells[MAX_CELLS];
		size_t n = split_tabs(im, line, cells);
		if (!set_)
			continue;
		if (starts(cells[0], "성 과 지 표") || starts(cells[0], "성과지표")) {
			/* header rows follow while the first cells are empty */
			use(im);
			char *a[MAX_CELLS], *b[MAX_CELLS];
			size_t na = 0, nb = 0;
			if (im->i + 1 < end) {
				na = split_tabs(im, im->lines[im->i + 1], a);
				im->i++;
				use(im);
			}
			if (im->i + 1 < end) {
				char *peek[MAX_CELLS];
				size_t np = split_tabs(im, im->lines[im->i + 1], peek);
				if (np > 0 && !*peek[0] && (np < 2 || !*peek[1])) {
					memcpy(b, peek, sizeof(peek[0]) * np);
					nb = np;
					im->i++;
					use(im);
				}
			}
			doc_node_t *ps = doc_new(im->a, DOC_SEQ);
			const char *year = NULL;
			ncols = 0;
			for (size_t c = 3; c < na || c < nb; c++) {
				if (c < na && *a[c])
					year = a[c];
				const char *sub = c < nb ? b[c] : NULL;
				const char *p = year ? period_of(im, c < na && *a[c] && !(sub && *sub) ? a[c] : year, sub) : NULL;
				if (!p && (!(sub && *sub) && !(c < na && *a[c])))
					continue; /* an empty trailing column */
				if (!p) {
					warn(im, im->i, "indicator column \"%s\" is not a period this reader knows",
					     c < na ? a[c] : "");
					continue;
				}
				periods[c] = p;
				ncols = c + 1;
				doc_push(im->a, ps, S(im, p));
			}
			set(im, set_, "periods", ps);
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
				doc_node_t *num = number(im, v);
				if (num)
					set(im, cp, cum_kind, num);
				else
					warn(im, im->i, "cumulative progress \"%s\" is not a percentage", cells[c]);
			}
			doc_del(set_, "cumulative_progress");
			set(im, set_, "cumulative_progress", cum);
			use(im);
			continue;
		}
		if (!strcmp(cells[0], "실적") && last_ind) {
			doc_node_t *act = doc_new(im->a, DOC_MAP);
			for (size_t c = 3; c < n && c < ncols; c++)
				if (periods[c])
					set(im, act, periods[c], cell_value(im, cells[c]));
			set(im, last_ind, "actuals", act);
			use(im);
			continue;
		}
		if (!strcmp(cells[0], "당초") || !strcmp(cells[0], "변경") || (!*cells[0] && n > 1 && *cells[1])) {
			if (*cells[0] && !doc_get(set_, "basis"))
				set(im, set_, "basis", S(im, !strcmp(cells[0], "변경") ? "changed" : "original"));
			doc_node_t *ind = doc_new(im->a, DOC_MAP);
			set(im, ind, "name", S(im, cells[1]));
			if (n > 2 && *cells[2])
				set(im, ind, "unit", S(im, cells[2]));
			doc_node_t *tg = doc_new(im->a, DOC_MAP);
			for (size_t c = 3; c < n && c < ncols; c++)
				if (periods[c])
					set(im, tg, periods[c], cell_value(im, cells[c]));
			if (tg->n)
				set(im, ind, "targets", tg);
			doc_push(im->a, inds, ind);
			doc_del(set_, "indicators");
			set(im, set_, "indicators", inds);
			last_ind = ind;
			use(im);
			continue;
		}
	}
	/* keys in the spec's order */
	for (size_t s = 0; s < im->sets->n; s++) {
		doc_node_t *x = im->sets->items[s], *o = doc_new(im->a, DOC_MAP);
		static const char *const order[] = { "periods", "basis", "change_reason", "indicators", "cumulative_progress" };
		for (size_t k = 0; k < 5; k++)
			set(im, o, order[k], (doc_node_t *)doc_get(x, order[k]));
		if (!doc_get(o, "cumulative_progress"))
			set(im, o, "cumulative_progress", doc_new(im->a, DOC_MAP));
		im->sets->items[s] = o;
	}
}

/* "(2018. 7. ~ 2021. 3. 31.)" in a heading: the span it covers. */
static void span_of(imp_t *im, const char *h)
{
	const char *p = strchr(h, '(');
	if (!p)
		return;
	p++;
	skip_spaces(&p);
	int y, m, d, y2, m2, d2;
	bool day, day2;
	if (!read_date(&p, &y, &m, &d, &day))
		return;
	skip_spaces(&p);
	if (*p != '~')
		return;
	p++;
	skip_spaces(&p);
	if (!read_date(&p, &y2, &m2, &d2, &day2) || !day2)
		return;
	const char *from = iso(im, y, m, 1, false), *to = iso(im, y2, m2, d2, true);
	if (!doc_get(im->progress, "from")) {
		set(im, im->progress, "from", S(im, from));
		set(im, im->progress, "to", S(im, to));
		set(im, im->doc, "as_of", S(im, to));
		set(im, im->doc, "reporting_from", S(im, from));
	}
}

static void progress(imp_t *im, size_t end)
{
	for (char *line; (line = next_line(im, end)); im->i++) {
		char *cells[MAX_CELLS];
		size_t n = split_tabs(im, line, cells);
		if (n == 2 && (starts(cells[0], "성 과 지 표") || starts(cells[0], "성과지표"))) {
			use(im);
			continue;
		}
		if (n != 2)
			continue;
		bullet_t *root = new_bullet(im, "");
		if (strstr(cells[1], "<li"))
			parse_html_list(im, cells[1], root);
		else
			parse_plain_bullets(im, cells[1], root);
		doc_node_t *group = doc_new(im->a, DOC_MAP);
		set(im, group, "indicator", S(im, strip_tags(im, cells[0])));
		doc_node_t *acts = doc_new(im->a, DOC_SEQ);
		for (size_t k = 0; k < root->n; k++) {
			const bullet_t *ab = root->kids[k];
			doc_node_t *act = doc_new(im->a, DOC_MAP);
			set(im, act, "title", S(im, strip_mark(ab->text)));
			doc_node_t *items = doc_new(im->a, DOC_SEQ);
			for (size_t j = 0; j < ab->n; j++)
				doc_push(im->a, items, item_of(im, ab->kids[j], true));
			if (items->n)
				set(im, act, "items", items);
			doc_push(im->a, acts, act);
		}
		set(im, group, "activities", acts);
		doc_push(im->a, im->groups, group);
		use(im);
	}
}

/* 5. 사업변경내역: 변경일자, 변경항목, 변경 전, 변경 후, 변경사유 */
static void read_changes(imp_t *im, size_t end)
{
	for (char *line; (line = next_line(im, end)); im->i++) {
		char *cells[MAX_CELLS];
		size_t n = split_tabs(im, line, cells);
		if (n < 2)
			continue;
		if (starts(cells[0], "변경일자") || starts(cells[0], "일자")) {
			use(im);
			continue;
		}
		doc_node_t *ch = doc_new(im->a, DOC_MAP);
		int y, m, d;
		bool day;
		const char *p = cells[0];
		if (read_date(&p, &y, &m, &d, &day) && day) {
			set(im, ch, "date", S(im, iso(im, y, m, d, true)));
		} else {
			warn(im, im->i, "the change's date \"%s\" is not a date", cells[0]);
			continue;
		}
		static const char *const keys[] = { "item", "before", "after", "reason" };
		for (size_t k = 0; k < 4 && k + 1 < n; k++)
			if (*cells[k + 1])
				set(im, ch, keys[k], S(im, cells[k + 1]));
		doc_push(im->a, im->changes, ch);
		use(im);
	}
}

static void evaluations(imp_t *im, const char *h, size_t end)
{
	/* 「2020년 하반기 좋은시정위원회 평가결과 개선 및 제안사항」 */
	const char *round = NULL, *committee = NULL;
	const char *open = strstr(h, "「");
	if (open) {
		const char *p = open + strlen("「");
		int y;
		if (digits(&p, &y) && starts(p, "년")) {
			p += strlen("년");
			skip_spaces(&p);
			if (starts(p, "상반기") || starts(p, "하반기")) {
				round = arena_printf(im->a, "%d-H%d", y, starts(p, "상반기") ? 1 : 2);
				p += strlen("상반기");
			} else {
				int q;
				const char *s = p;
				if (digits(&s, &q) && starts(s, "분기")) {
					round = arena_printf(im->a, "%d-Q%d", y, q);
					p = s + strlen("분기");
				} else {
					round = arena_printf(im->a, "%d", y);
				}
			}
			skip_spaces(&p);
			const char *stop = strstr(p, " 평가결과");
			if (stop && stop > p)
				committee = arena_strndup(im->a, p, (size_t)(stop - p));
		}
	}
	for (char *line; (line = next_line(im, end)); im->i++) {
		char *cells[MAX_CELLS];
		size_t n = split_tabs(im, line, cells);
		if (n != 2)
			continue;
		if (starts(cells[0], "개선 및 제안사항")) {
			use(im);
			continue;
		}
		bullet_t *sug = new_bullet(im, ""), *acts = new_bullet(im, "");
		if (strstr(cells[0], "<li"))
			parse_html_list(im, cells[0], sug);
		else
			add_kid(sug, new_bullet(im, cells[0]));
		if (strstr(cells[1], "<li"))
			parse_html_list(im, cells[1], acts);
		else
			parse_plain_bullets(im, cells[1], acts);
		doc_node_t *ev = doc_new(im->a, DOC_MAP);
		if (round)
			set(im, ev, "round", S(im, round));
		if (committee)
			set(im, ev, "committee", S(im, committee));
		const char *s = "";
		for (size_t k = 0; k < sug->n; k++)
			s = *s ? arena_printf(im->a, "%s %s", s, strip_mark(sug->kids[k]->text)) : strip_mark(sug->kids[k]->text);
		set(im, ev, "suggestion", S(im, s));
		doc_node_t *actions = doc_new(im->a, DOC_SEQ);
		for (size_t k = 0; k < acts->n; k++) {
			doc_node_t *a = doc_new(im->a, DOC_MAP);
			set(im, a, "text", S(im, strip_mark(acts->kids[k]->text)));
			if (acts->kids[k]->n) {
				doc_node_t *items = doc_new(im->a, DOC_SEQ);
				for (size_t j = 0; j < acts->kids[k]->n; j++)
					doc_push(im->a, items, item_of(im, acts->kids[k]->kids[j], true));
				set(im, a, "items", items);
			}
			doc_push(im->a, actions, a);
		}
		set(im, ev, "actions", actions);
		doc_push(im->a, im->evaluations, ev);
		use(im);
	}
}

static void problems(imp_t *im, size_t end)
{
	int part = 0; /* 1 문제점, 2 대책 */
	size_t k = 0;
	for (char *line; (line = next_line(im, end)); im->i++) {
		if (strstr(line, "【문제점】")) {
			part = 1;
			use(im);
			continue;
		}
		if (strstr(line, "【대책】")) {
			part = 2;
			k = 0;
			use(im);
			continue;
		}
		if (!part || !starts(line, "-"))
			continue;
		const char *t = trim(arena_strdup(im->a, strip_mark(line)));
		/* "1. text" as our own rendering numbers them */
		const char *dot = strchr(t, '.');
		if (dot && dot > t && (size_t)(dot - t) == strspn(t, "0123456789") && dot[1] == ' ')
			t = dot + 2;
		if (!strcmp(t, "해당없음")) {
			use(im);
			continue;
		}
		if (part == 1) {
			doc_node_t *p = doc_new(im->a, DOC_MAP);
			set(im, p, "problem", S(im, t));
			doc_push(im->a, im->problems, p);
		} else if (k < im->problems->n) {
			set(im, im->problems->items[k++], "countermeasure", S(im, t));
		} else {
			warn(im, im->i, "a countermeasure without its problem: %s", t);
		}
		use(im);
	}
}

static void plans(imp_t *im, size_t end)
{
	for (char *line; (line = next_line(im, end)); im->i++) {
		const char *dash = strstr(line, "-----");
		if (!starts(line, "-") || !dash)
			continue;
		const char *t = strip_mark(line);
		char *text = trim(arena_strndup(im->a, t, (size_t)(dash - t)));
		bool done = false;
		const char *p = dash;
		while (*p == '-')
			p++;
		skip_spaces(&p);
		int y, m, d, y2 = 0, m2 = 0;
		bool day;
		if (!read_date(&p, &y, &m, &d, &day)) {
			warn(im, im->i, "the months of a plan are not readable: %s", line);
			continue;
		}
		skip_spaces(&p);
		bool has_to = false;
		if (*p == '~') {
			p++;
			skip_spaces(&p);
			const char *q = p;
			bool day2;
			int d2;
			if (read_date(&q, &y2, &m2, &d2, &day2)) {
				p = q;
				has_to = true;
			} else if (digits(&p, &m2) && *p == '.') {
				p++;
				y2 = y;
				has_to = true;
			}
		}
		skip_spaces(&p);
		if (strstr(p, "(완료)"))
			done = true;
		doc_node_t *pl = doc_new(im->a, DOC_MAP);
		set(im, pl, "text", S(im, text));
		set(im, pl, "from", S(im, iso(im, y, m, 1, false)));
		if (has_to)
			set(im, pl, "to", S(im, iso(im, y2, m2, 1, false)));
		if (done)
			set(im, pl, "done", doc_bool(im->a, true));
		doc_push(im->a, im->plans, pl);
		use(im);
	}
}

static void officials(imp_t *im)
{
	const char *prev = "";
	for (char *line; (line = next_line(im, im->n)); im->i++) {
		if (strstr(line, "정책실명제")) {
			const char *h = heading(im, line);
			const char *stop = strstr(h, " 시민과의 약속");
			if (stop && stop > h)
				im->term = arena_strndup(im->a, h, (size_t)(stop - h));
			use(im);
			continue;
		}
		char *cells[MAX_CELLS];
		size_t n = split_tabs(im, line, cells);
		if (starts(cells[0], "담당부서")) {
			use(im);
			continue;
		}
		if (n < 3)
			continue;
		doc_node_t *o = doc_new(im->a, DOC_MAP);
		const char *dept = *cells[0] ? cells[0] : prev;
		prev = dept;
		set(im, o, "department", S(im, dept));
		set(im, o, "position", S(im, cells[1]));
		set(im, o, "name", S(im, cells[2]));
		if (n > 3 && *cells[3])
			set(im, o, "phone", S(im, cells[3]));
		doc_push(im->a, im->officials, o);
		use(im);
	}
}

/* ------------------------------------------------------------------ driver */

static doc_node_t *import_text(imp_t *im, char *text, const char *code)
{
	/* lines */
	size_t cap = 64;
	im->lines = arena_alloc(im->a, sizeof(char *) * cap);
	for (char *p = text; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (im->n == cap) {
			im->lines = arena_grow(im->a, im->lines, sizeof(char *) * cap, sizeof(char *) * cap * 2);
			cap *= 2;
		}
		size_t l = strlen(p);
		if (l && p[l - 1] == '\r')
			p[l - 1] = '\0';
		im->lines[im->n++] = p;
		p = nl ? nl + 1 : NULL;
	}
	im->used = arena_calloc(im->a, im->n + 1);
	arena_t *a = im->a;
	im->doc = doc_new(a, DOC_MAP);
	im->overview = doc_new(a, DOC_MAP);
	im->contents = doc_new(a, DOC_SEQ);
	im->budget = doc_new(a, DOC_MAP);
	im->sets = doc_new(a, DOC_SEQ);
	im->progress = doc_new(a, DOC_MAP);
	im->groups = doc_new(a, DOC_SEQ);
	im->changes = doc_new(a, DOC_SEQ);
	im->evaluations = doc_new(a, DOC_SEQ);
	im->problems = doc_new(a, DOC_SEQ);
	im->plans = doc_new(a, DOC_SEQ);
	im->officials = doc_new(a, DOC_SEQ);
	doc_node_t *top = doc_new(a, DOC_MAP); /* the header's fields, collected first */
	im->doc = top;
	header_rows(im);
	/* sections by their headings */
	size_t starts_at[10] = { 0 }, ends_at[10] = { 0 };
	size_t officials_at = im->n;
	int last = 0;
	for (size_t i = 0; i < im->n; i++) {
		int s = section_of(im, im->lines[i]);
		if (strstr(im->lines[i], "정책실명제") && officials_at == im->n) {
			officials_at = i;
			if (last)
				ends_at[last] = i;
			last = 0;
			continue;
		}
		if (s >= 1 && s <= 8 && !starts_at[s]) {
			if (last)
				ends_at[last] = i;
			starts_at[s] = i + 1;
			im->used[i] = true;
			last = s;
		}
	}
	if (last)
		ends_at[last] = officials_at;
	for (int s = 1; s <= 8; s++) {
		if (!starts_at[s])
			continue;
		const char *h = heading(im, im->lines[starts_at[s] - 1]);
		im->i = starts_at[s];
		size_t end = ends_at[s];
		switch (s) {
		case 1: overview(im, end); break;
		case 2: budget(im, end); break;
		case 3: indicators(im, end); break;
		case 4:
			span_of(im, h);
			progress(im, end);
			break;
		case 5:
			span_of(im, h);
			if (!strstr(h, "해당없음"))
				read_changes(im, end);
			break;
		case 6: evaluations(im, h, end); break;
		case 7: problems(im, end); break;
		case 8: plans(im, end); break;
		}
	}
	im->i = officials_at;
	officials(im);

	/* the document in the spec's key order */
	doc_node_t *doc = doc_new(a, DOC_MAP);
	set(im, doc, "schema", S(im, "yaksok/pledge/v1"));
	set(im, doc, "code", S(im, code));
	if (im->term)
		set(im, doc, "term", S(im, im->term));
	set(im, doc, "title", S(im, im->title ? im->title : ""));
	static const char *const head_keys[] = { "category", "department", "status", "progress_pct", "target_month",
						 "remarks", "as_of", "reporting_from" };
	for (size_t k = 0; k < 8; k++)
		set(im, doc, head_keys[k], (doc_node_t *)doc_get(top, head_keys[k]));
	if (im->contents->n)
		set(im, im->overview, "contents", im->contents);
	set(im, doc, "overview", im->overview);
	set(im, doc, "budget", im->budget);
	set(im, doc, "indicator_sets", im->sets);
	set(im, im->progress, "by_indicator", im->groups);
	set(im, doc, "progress", im->progress);
	set(im, doc, "changes", im->changes);
	set(im, doc, "evaluations", im->evaluations);
	set(im, doc, "problems", im->problems);
	set(im, doc, "plans", im->plans);
	set(im, doc, "officials", im->officials);
	for (size_t i = 0; i < im->n; i++)
		if (!im->used[i] && !blank(im->lines[i]))
			warn(im, i, "not understood: %.80s", im->lines[i]);
	return doc;
}

static const char import_usage[] =
	"usage: yaksok import FILE [--code CODE] [--apply [--force]] [-o yaml|json]\n\n"
	"Read a quarterly pledge report laid out like the city's (the header row, 1. 사업개요 ...\n"
	"8. 향후추진계획, the 정책실명제 table; tab-separated tables, <ul>/<li> fragments, ○ • -\n"
	"bullets) into a pledge document and print it, or apply it with --apply.  Every line it\n"
	"cannot map is reported on stderr with its number; then the exit status is 6 and --apply\n"
	"refuses (nothing is dropped silently).  CODE defaults to IMPORTED.\n";

int cmd_import(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, import_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "code", required_argument, NULL, 'c' },
					      { "apply", no_argument, NULL, 'a' },
					      { "force", no_argument, NULL, 'f' },
					      { 0 } };
	const char *code = "IMPORTED";
	bool apply = false, force = false;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			code = optarg;
		else if (c == 'a')
			apply = true;
		else if (c == 'f')
			force = true;
		else
			return cli_usage_error("import", "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage_error("import", "expected exactly one FILE");
	static const char *const formats[] = { "yaml", "json", NULL };
	const char *fmt = cli_output(cli, "import", formats);
	if (!fmt)
		return EXIT_USAGE;
	size_t n;
	char *text = cli_read_file(cli, argv[optind], &n);
	if (!text)
		return EXIT_FAIL;
	if (text_problem(text, n)) {
		fprintf(stderr, "yaksok: %s: %s (the report must be UTF-8)\n", argv[optind], text_problem(text, n));
		return EXIT_INVALID;
	}
	char *nfc = text_nfc(cli->arena, text, n);
	imp_t im = { .a = cli->arena, .err = stderr };
	doc_node_t *doc = import_text(&im, nfc ? nfc : text, code);
	if (im.warnings)
		fprintf(stderr, "yaksok: %zu line%s of %s could not be mapped (listed above)\n", im.warnings,
			im.warnings == 1 ? "" : "s", argv[optind]);
	if (!apply) {
		buf_t out = BUF_INIT;
		int rc = strcmp(fmt, "json") ? doc_write_yaml(&out, doc) : doc_write_json(&out, doc, 2);
		if (!rc)
			fwrite(out.data, 1, out.len, stdout);
		buf_free(&out);
		return rc ? EXIT_FAIL : im.warnings ? EXIT_INVALID : EXIT_OK;
	}
	if (im.warnings) {
		fprintf(stderr, "yaksok: not applied: fix the report or write the document by hand\n");
		return EXIT_INVALID;
	}
	return cli_apply_tree(cli, doc, force, argv[optind]);
}
