/* The card's small print: text helpers, dates ("2019. 1.10.", "'19. 8. 21.",
 * ranges and lists of days), bullets (<ul>/<li> and ○ • - marks) and the
 * periods of table headers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "docmap.h"
#include "import.h"
#include "text.h"

char *imp_trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

bool imp_starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

size_t imp_split_tabs(imp_t *im, const char *line, char **cells)
{
	char *copy = arena_strdup(im->a, line);
	size_t n = 0;
	char *p = copy;
	while (n < MAX_CELLS) {
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		cells[n++] = imp_trim(p);
		if (!tab)
			break;
		p = tab + 1;
	}
	return n;
}

size_t imp_line_no(const imp_t *im, size_t i)
{
	return (im->origin && i < im->n ? im->origin[i] : i) + 1;
}

void imp_warn(imp_t *im, size_t line, const char *fmt, const char *what)
{
	fprintf(im->err, "line %zu: ", imp_line_no(im, line));
	fprintf(im->err, fmt, what);
	fputc('\n', im->err);
	im->warnings++;
}

doc_node_t *imp_str(imp_t *im, const char *s)
{
	return doc_str(im->a, s, strlen(s));
}

static doc_node_t *N(imp_t *im, const char *lex)
{
	char *c = doc_num_canon(im->a, lex, strlen(lex));
	return c ? doc_num(im->a, c) : NULL;
}

void imp_set(imp_t *im, doc_node_t *m, const char *k, doc_node_t *v)
{
	if (v)
		doc_set(im->a, m, k, v);
}

/* A number as the report writes it ("1,234", "29"); NULL when not one. */
doc_node_t *imp_number(imp_t *im, const char *s)
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

bool imp_digits(const char **p, int *v)
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

void imp_skip_spaces(const char **p)
{
	while (**p == ' ')
		(*p)++;
}

/* "2019. 1.10." "2019.3.12." "2019. 4. 4." (the last dot may be missing):
 * year, month, day.  With want_day false, "2021. 4." reads as a month. */
bool imp_read_date(const char **p, int *y_out, int *m, int *d, bool *has_day)
{
	const char *s = *p;
	int yy;
	/* cards written in 한글 shorten the year: '19. 8. 21. (or ’19.) is 2019 */
	bool short_year = false;
	if (*s == '\'') {
		s++;
		short_year = true;
	} else if (!strncmp(s, "\xE2\x80\x99", 3)) {
		s += 3;
		short_year = true;
	}
	if (short_year) {
		const char *y0 = s;
		if (!imp_digits(&s, &yy) || s - y0 != 2 || *s != '.')
			return false;
		yy += 2000;
	} else if (!imp_digits(&s, &yy) || yy < 1000 || (*s != '.' && *s != '-')) {
		return false;
	}
	if (*s == '-') {
		/* 2019-03-12, 2019-03 */
		s++;
		if (!imp_digits(&s, m) || *m < 1 || *m > 12)
			return false;
		*y_out = yy;
		*has_day = false;
		if (*s == '-' && isdigit((unsigned char)s[1])) {
			s++;
			if (!imp_digits(&s, d) || *d < 1 || *d > 31)
				return false;
			*has_day = true;
		}
		*p = s;
		return true;
	}
	int *y = y_out;
	*y = yy;
	s++;
	imp_skip_spaces(&s);
	if (!imp_digits(&s, m) || *m < 1 || *m > 12)
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
	imp_skip_spaces(&s);
	if (imp_digits(&s, d) && *d >= 1 && *d <= 31) {
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
	imp_skip_spaces(&s);
	if (!imp_digits(&s, m) || *s != '.')
		return false;
	s++;
	imp_skip_spaces(&s);
	if (!imp_digits(&s, d))
		return false;
	if (*s == '.')
		s++;
	*p = s;
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

const char *imp_iso(imp_t *im, int y, int m, int d, bool has_day)
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
	if (!imp_read_date(&p, &y, &m, &d, &day))
		return false;
	const char *first = imp_iso(im, y, m, d, day);
	imp_skip_spaces(&p);
	doc_node_t *dates = NULL;
	const char *until = NULL;
	if (*p == '~') {
		p++;
		imp_skip_spaces(&p);
		int y2 = y, m2, d2;
		bool day2 = true;
		const char *q = p;
		if (imp_read_date(&q, &y2, &m2, &d2, &day2))
			p = q;
		else if (!read_short(&p, &m2, &d2))
			return false;
		until = imp_iso(im, y2, m2, d2, day2);
	} else if ((*p == '/' || *p == ',') && day) {
		/* several days: "2020.8.12./8.14./8.19." or "2020.8.12., 8.14., 8.19." */
		char sep = *p;
		const char *q = p + 1;
		imp_skip_spaces(&q);
		if (isdigit((unsigned char)*q)) {
			dates = doc_new(im->a, DOC_SEQ);
			doc_push(im->a, dates, imp_str(im, first));
			while (*p == sep) {
				q = p + 1;
				imp_skip_spaces(&q);
				int m2, d2;
				if (!isdigit((unsigned char)*q) || !read_short(&q, &m2, &d2))
					break;
				p = q;
				doc_push(im->a, dates, imp_str(im, imp_iso(im, y, m2, d2, true)));
			}
		}
	}
	imp_skip_spaces(&p);
	const char *note = NULL;
	if (*p == '/') {
		p++;
		imp_skip_spaces(&p);
		note = p;
	} else if (imp_starts(p, "※")) {
		note = p; /* "2020.5.7., 5.11. ※ 방역수칙 준수": a note, its mark kept */
	} else if (*p) {
		return false;
	}
	if (dates) {
		imp_set(im, item, "dates", dates);
	} else {
		imp_set(im, item, "date", imp_str(im, first));
		if (until)
			imp_set(im, item, "until", imp_str(im, until));
	}
	if (note && *note)
		imp_set(im, item, "note", imp_str(im, note));
	return true;
}

/* ------------------------------------------------------------------ bullets */


const char *imp_strip_mark(const char *s)
{
	static const char *const marks[] = { "○", "•", "-", "·", "□", "■", "▪", "◦", "ㅇ ", "* ", NULL };
	while (*s == ' ')
		s++;
	for (size_t i = 0; marks[i]; i++)
		if (imp_starts(s, marks[i])) {
			s += strlen(marks[i]);
			while (*s == ' ')
				s++;
			return s;
		}
	return s;
}

bullet_t *imp_new_bullet(imp_t *im, const char *text)
{
	bullet_t *b = arena_calloc(im->a, sizeof(*b));
	b->text = text;
	b->kids = arena_alloc(im->a, sizeof(bullet_t *) * 64);
	return b;
}

void imp_add_kid(bullet_t *p, bullet_t *k)
{
	if (p->n < 64)
		p->kids[p->n++] = k;
}

/* <ul><li>text <ul><li>...</li></ul></li></ul> as a tree under root. */
void imp_parse_html_list(imp_t *im, const char *s, bullet_t *root)
{
	bullet_t *stack[8] = { root };
	int depth = 0;
	bullet_t *open_li = NULL;
	while (*s) {
		if (*s == '<') {
			const char *end = strchr(s, '>');
			if (!end)
				break;
			if (imp_starts(s, "<li")) {
				open_li = imp_new_bullet(im, "");
				imp_add_kid(stack[depth], open_li);
			} else if (imp_starts(s, "<ul")) {
				if (open_li && depth < 7)
					stack[++depth] = open_li;
				open_li = NULL;
			} else if (imp_starts(s, "</ul")) {
				if (depth > 0)
					depth--;
				open_li = NULL;
			} else if (imp_starts(s, "</li")) {
				open_li = NULL;
			}
			s = end + 1;
			continue;
		}
		const char *lt = strchr(s, '<');
		size_t n = lt ? (size_t)(lt - s) : strlen(s);
		char *t = imp_trim(arena_strndup(im->a, s, n));
		if (*t && open_li)
			open_li->text = *open_li->text ? arena_printf(im->a, "%s %s", open_li->text, t) : t;
		else if (*t && depth == 0 && !open_li)
			imp_add_kid(root, imp_new_bullet(im, t));
		s += n;
	}
}

/* "○ A • x : d • y ○ B • z" (one table cell) as a tree: ○ under root, • under ○. */
/* The next bullet at or after p: an activity's mark (○, and as cards
 * written in 한글 mark it, □ ■ or ㅇ) or an item's (• ▪ ◦, a dash, a middle
 * dot or an asterisk); a jamo, a dash, a dot or an asterisk counts only
 * standing alone, at the start or after a space (구성·운영 is one word).
 * NULL when there is none; *len is the mark's length. */
static const char *next_mark(const char *start, const char *p, size_t *len, bool *is_act, const char **which)
{
	static const struct {
		const char *mark;
		bool act, alone;
	} marks[] = { { "○", true, false }, { "□", true, false }, { "■", true, false }, { "ㅇ ", true, true },
		      { "•", false, false }, { "▪", false, false }, { "◦", false, false }, { "- ", false, true },
		      { "· ", false, true }, { "* ", false, true } };
	const char *best = NULL;
	for (size_t k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
		for (const char *q = strstr(p, marks[k].mark); q; q = strstr(q + 1, marks[k].mark)) {
			if (marks[k].alone && q > start && q[-1] != ' ' && q[-1] != '\t')
				continue;
			if (!best || q < best) {
				best = q;
				*len = strlen(marks[k].mark);
				*is_act = marks[k].act;
				*which = marks[k].mark;
			}
			break;
		}
	}
	return best;
}

void imp_parse_plain_bullets(imp_t *im, const char *s, bullet_t *root)
{
	bullet_t *act = NULL;
	const char *p = s, *act_mark = NULL, *which, *which2;
	size_t len;
	bool is_act;
	const char *next;
	while ((next = next_mark(s, p, &len, &is_act, &which))) {
		const char *start = next + len;
		size_t len2;
		bool act2;
		const char *stop = next_mark(s, start, &len2, &act2, &which2);
		size_t n = stop ? (size_t)(stop - start) : strlen(start);
		char *t = imp_trim(arena_strndup(im->a, start, n));
		bullet_t *nb = imp_new_bullet(im, t);
		/* the cell's first activity mark marks its activities; another
		 * one under them marks items ("□ … ■ …") */
		if (is_act && act_mark && strcmp(which, act_mark) && act)
			is_act = false;
		if (is_act && !act_mark)
			act_mark = which;
		if (is_act || !act) {
			imp_add_kid(root, nb);
			act = is_act ? nb : act;
		} else {
			imp_add_kid(act, nb);
		}
		p = start + n;
	}
}

/* One item: "label : text", "text : date", "label" (with children) or text. */
doc_node_t *imp_item_of(imp_t *im, const bullet_t *b, bool sub_allowed)
{
	doc_node_t *it = doc_new(im->a, DOC_MAP);
	const char *t = imp_strip_mark(b->text);
	const char *colon = strstr(t, " : ");
	bool mark_is_dash = imp_starts(imp_trim(arena_strdup(im->a, b->text)), "-");
	if (colon) {
		const char *left = imp_trim(arena_strndup(im->a, t, (size_t)(colon - t)));
		const char *right = colon + 3;
		doc_node_t *probe = doc_new(im->a, DOC_MAP);
		if (when_into(im, right, probe)) {
			imp_set(im, it, "text", imp_str(im, left));
			for (size_t k = 0; k < probe->n; k++)
				imp_set(im, it, probe->keys[k], probe->items[k]);
		} else if (!mark_is_dash) {
			imp_set(im, it, "label", imp_str(im, label_text(im, left)));
			imp_set(im, it, "text", imp_str(im, right));
			/* "2019. 8. 21.(수) 16:00~18:00": the day it happened */
			int y, m, d;
			bool day;
			const char *p = right;
			if (imp_read_date(&p, &y, &m, &d, &day) && day)
				imp_set(im, it, "date", imp_str(im, imp_iso(im, y, m, d, true)));
		} else {
			imp_set(im, it, "text", imp_str(im, t));
		}
	} else if (b->n && !mark_is_dash) {
		imp_set(im, it, "label", imp_str(im, label_text(im, t)));
	} else {
		imp_set(im, it, "text", imp_str(im, t));
	}
	if (b->n && sub_allowed) {
		doc_node_t *items = doc_new(im->a, DOC_SEQ);
		for (size_t k = 0; k < b->n; k++)
			doc_push(im->a, items, imp_item_of(im, b->kids[k], false));
		imp_set(im, it, "items", items);
	}
	return it;
}

const char *imp_strip_tags(imp_t *im, const char *s)
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
	return imp_trim(out);
}

/* ------------------------------------------------------------------ periods */

/* A column heading as a period: "2019년" "2018.7월~12월" "2022.6월까지"
 * "2022년 7월이후" "2021.1분기"; with a year from the row above for "1분기". */
const char *imp_period_of(imp_t *im, const char *label, const char *sub)
{
	int y = 0, m = 0;
	const char *p = label;
	if (!imp_digits(&p, &y) || y < 1000)
		return NULL;
	while (*p == '.' || *p == ' ')
		p++;
	if (imp_starts(p, "년")) {
		p += strlen("년");
		imp_skip_spaces(&p);
	}
	if (sub && *sub) {
		int q;
		const char *s = sub;
		if (imp_digits(&s, &q) && imp_starts(s, "분기") && q >= 1 && q <= 4)
			return arena_printf(im->a, "%d-Q%d", y, q);
		if (!strcmp(sub, "상반기"))
			return arena_printf(im->a, "%d-H1", y);
		if (!strcmp(sub, "하반기"))
			return arena_printf(im->a, "%d-H2", y);
		return NULL;
	}
	if (!*p)
		return arena_printf(im->a, "%d", y);
	if (imp_starts(p, "상반기"))
		return arena_printf(im->a, "%d-H1", y);
	if (imp_starts(p, "하반기"))
		return arena_printf(im->a, "%d-H2", y);
	int q;
	const char *s = p;
	if (imp_digits(&s, &q) && imp_starts(s, "분기"))
		return arena_printf(im->a, "%d-Q%d", y, q);
	if (!imp_digits(&p, &m) || !imp_starts(p, "월"))
		return NULL;
	p += strlen("월");
	imp_skip_spaces(&p);
	if (imp_starts(p, "까지") && m == 6)
		return arena_printf(im->a, "%d-H1", y);
	if (imp_starts(p, "이후") || imp_starts(p, "부터"))
		return arena_printf(im->a, "%d-%02d+", y, m);
	if (imp_starts(p, "~")) {
		int m2;
		p++;
		if (imp_digits(&p, &m2)) {
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
