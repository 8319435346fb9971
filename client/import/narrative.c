/* The text sections: 추진현황, 사업변경내역, 평가결과, 문제점 및 대책, 향후추진계획
 * and 정책실명제. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "docmap.h"
#include "import.h"
#include "text.h"

void imp_span_of(imp_t *im, const char *h, int section)
{
	const char *p = strchr(h, '(');
	if (!p)
		return;
	p++;
	imp_skip_spaces(&p);
	int y, m, d, y2, m2, d2;
	bool day, day2;
	if (!imp_read_date(&p, &y, &m, &d, &day))
		return;
	imp_skip_spaces(&p);
	if (*p != '~')
		return;
	p++;
	imp_skip_spaces(&p);
	if (!imp_read_date(&p, &y2, &m2, &d2, &day2) || !day2)
		return;
	const char *from = imp_iso(im, y, m, 1, false), *to = imp_iso(im, y2, m2, d2, true);
	if (section == 4 && !doc_get(im->progress, "from")) {
		imp_set(im, im->progress, "from", imp_str(im, from));
		imp_set(im, im->progress, "to", imp_str(im, to));
	}
	if (section == 5 && !im->span5) {
		im->span5 = true;
		imp_set(im, im->doc, "reporting_from", imp_str(im, from));
	}
	if (!doc_get(im->doc, "as_of"))
		imp_set(im, im->doc, "as_of", imp_str(im, to));
}

void imp_progress(imp_t *im, size_t end)
{
	for (char *line; (line = imp_next_line(im, end)); im->i++) {
		char *cells[MAX_CELLS];
		size_t n = imp_split_tabs(im, line, cells);
		if (n == 2 && (imp_starts(cells[0], "성 과 지 표") || imp_starts(cells[0], "성과지표"))) {
			imp_use(im);
			continue;
		}
		if (n != 2)
			continue;
		bullet_t *root = imp_new_bullet(im, "");
		if (strstr(cells[1], "<li"))
			imp_parse_html_list(im, cells[1], root);
		else
			imp_parse_plain_bullets(im, cells[1], root);
		doc_node_t *group = doc_new(im->a, DOC_MAP);
		imp_set(im, group, "indicator", imp_str(im, imp_strip_tags(im, cells[0])));
		doc_node_t *acts = doc_new(im->a, DOC_SEQ);
		for (size_t k = 0; k < root->n; k++) {
			const bullet_t *ab = root->kids[k];
			doc_node_t *act = doc_new(im->a, DOC_MAP);
			imp_set(im, act, "title", imp_str(im, imp_strip_mark(ab->text)));
			doc_node_t *items = doc_new(im->a, DOC_SEQ);
			for (size_t j = 0; j < ab->n; j++)
				doc_push(im->a, items, imp_item_of(im, ab->kids[j], true));
			if (items->n)
				imp_set(im, act, "items", items);
			doc_push(im->a, acts, act);
		}
		imp_set(im, group, "activities", acts);
		doc_push(im->a, im->groups, group);
		imp_use(im);
	}
}

/* 5. 사업변경내역: 변경일자, 변경항목, 변경 전, 변경 후, 변경사유 */
void imp_read_changes(imp_t *im, size_t end)
{
	for (char *line; (line = imp_next_line(im, end)); im->i++) {
		char *cells[MAX_CELLS];
		size_t n = imp_split_tabs(im, line, cells);
		if (n < 2)
			continue;
		if (imp_starts(cells[0], "변경일자") || imp_starts(cells[0], "일자")) {
			imp_use(im);
			continue;
		}
		doc_node_t *ch = doc_new(im->a, DOC_MAP);
		int y, m, d;
		bool day;
		const char *p = cells[0];
		if (imp_read_date(&p, &y, &m, &d, &day) && day) {
			imp_set(im, ch, "date", imp_str(im, imp_iso(im, y, m, d, true)));
		} else {
			imp_warn(im, im->i, "the change's date \"%s\" is not a date", cells[0]);
			continue;
		}
		static const char *const keys[] = { "item", "before", "after", "reason" };
		for (size_t k = 0; k < 4 && k + 1 < n; k++)
			if (*cells[k + 1])
				imp_set(im, ch, keys[k], imp_str(im, cells[k + 1]));
		doc_push(im->a, im->changes, ch);
		imp_use(im);
	}
}

void imp_evaluations(imp_t *im, const char *h, size_t end)
{
	/* 「2020년 하반기 좋은시정위원회 평가결과 개선 및 제안사항」 */
	const char *round = NULL, *committee = NULL;
	const char *open = strstr(h, "「");
	if (open) {
		const char *p = open + strlen("「");
		int y;
		if (imp_digits(&p, &y) && imp_starts(p, "년")) {
			p += strlen("년");
			imp_skip_spaces(&p);
			if (imp_starts(p, "상반기") || imp_starts(p, "하반기")) {
				round = arena_printf(im->a, "%d-H%d", y, imp_starts(p, "상반기") ? 1 : 2);
				p += strlen("상반기");
			} else {
				int q;
				const char *s = p;
				if (imp_digits(&s, &q) && imp_starts(s, "분기")) {
					round = arena_printf(im->a, "%d-Q%d", y, q);
					p = s + strlen("분기");
				} else {
					round = arena_printf(im->a, "%d", y);
				}
			}
			imp_skip_spaces(&p);
			const char *stop = strstr(p, " 평가결과");
			if (stop && stop > p)
				committee = arena_strndup(im->a, p, (size_t)(stop - p));
		}
	}
	for (char *line; (line = imp_next_line(im, end)); im->i++) {
		char *cells[MAX_CELLS];
		size_t n = imp_split_tabs(im, line, cells);
		if (n != 2)
			continue;
		if (imp_starts(cells[0], "개선 및 제안사항")) {
			imp_use(im);
			continue;
		}
		bullet_t *sug = imp_new_bullet(im, ""), *acts = imp_new_bullet(im, "");
		if (strstr(cells[0], "<li"))
			imp_parse_html_list(im, cells[0], sug);
		else
			imp_add_kid(sug, imp_new_bullet(im, cells[0]));
		if (strstr(cells[1], "<li"))
			imp_parse_html_list(im, cells[1], acts);
		else
			imp_parse_plain_bullets(im, cells[1], acts);
		doc_node_t *ev = doc_new(im->a, DOC_MAP);
		if (round)
			imp_set(im, ev, "round", imp_str(im, round));
		if (committee)
			imp_set(im, ev, "committee", imp_str(im, committee));
		const char *s = "";
		for (size_t k = 0; k < sug->n; k++)
			s = *s ? arena_printf(im->a, "%s %s", s, imp_strip_mark(sug->kids[k]->text)) : imp_strip_mark(sug->kids[k]->text);
		imp_set(im, ev, "suggestion", imp_str(im, s));
		doc_node_t *actions = doc_new(im->a, DOC_SEQ);
		for (size_t k = 0; k < acts->n; k++) {
			doc_node_t *a = doc_new(im->a, DOC_MAP);
			imp_set(im, a, "text", imp_str(im, imp_strip_mark(acts->kids[k]->text)));
			if (acts->kids[k]->n) {
				doc_node_t *items = doc_new(im->a, DOC_SEQ);
				for (size_t j = 0; j < acts->kids[k]->n; j++)
					doc_push(im->a, items, imp_item_of(im, acts->kids[k]->kids[j], true));
				imp_set(im, a, "items", items);
			}
			doc_push(im->a, actions, a);
		}
		imp_set(im, ev, "actions", actions);
		doc_push(im->a, im->evaluations, ev);
		imp_use(im);
	}
}

void imp_problems(imp_t *im, size_t end)
{
	int part = 0; /* 1 문제점, 2 대책 */
	size_t k = 0;
	for (char *line; (line = imp_next_line(im, end)); im->i++) {
		if (strstr(line, "【문제점】")) {
			part = 1;
			imp_use(im);
			continue;
		}
		if (strstr(line, "【대책】")) {
			part = 2;
			k = 0;
			imp_use(im);
			continue;
		}
		/* an entry after any of the card's marks (- ○ • …) or a number */
		const char *lead = line;
		while (*lead == ' ')
			lead++;
		if (!part || (imp_strip_mark(line) == lead && !isdigit((unsigned char)*lead)))
			continue;
		const char *t = imp_trim(arena_strdup(im->a, imp_strip_mark(line)));
		/* "1. text" as our own rendering numbers them */
		const char *dot = strchr(t, '.');
		if (dot && dot > t && (size_t)(dot - t) == strspn(t, "0123456789") && dot[1] == ' ')
			t = dot + 2;
		if (!strcmp(t, "해당없음")) {
			imp_use(im);
			continue;
		}
		if (part == 1) {
			doc_node_t *p = doc_new(im->a, DOC_MAP);
			imp_set(im, p, "problem", imp_str(im, t));
			doc_push(im->a, im->problems, p);
		} else if (k < im->problems->n) {
			imp_set(im, im->problems->items[k++], "countermeasure", imp_str(im, t));
		} else {
			imp_warn(im, im->i, "a countermeasure without its problem: %s", t);
		}
		imp_use(im);
	}
}

void imp_plans(imp_t *im, size_t end)
{
	for (char *line; (line = imp_next_line(im, end)); im->i++) {
		const char *dash = strstr(line, "-----");
		if (!imp_starts(line, "-") || !dash)
			continue;
		const char *t = imp_strip_mark(line);
		char *text = imp_trim(arena_strndup(im->a, t, (size_t)(dash - t)));
		bool done = false;
		const char *p = dash;
		while (*p == '-')
			p++;
		imp_skip_spaces(&p);
		int y, m, d, y2 = 0, m2 = 0;
		bool day;
		if (!imp_read_date(&p, &y, &m, &d, &day)) {
			imp_warn(im, im->i, "the months of a plan are not readable: %s", line);
			continue;
		}
		imp_skip_spaces(&p);
		bool has_to = false;
		if (*p == '~') {
			p++;
			imp_skip_spaces(&p);
			const char *q = p;
			bool day2;
			int d2;
			if (imp_read_date(&q, &y2, &m2, &d2, &day2)) {
				p = q;
				has_to = true;
			} else if (imp_digits(&p, &m2) && *p == '.') {
				p++;
				y2 = y;
				has_to = true;
			}
		}
		imp_skip_spaces(&p);
		if (strstr(p, "(완료)"))
			done = true;
		doc_node_t *pl = doc_new(im->a, DOC_MAP);
		imp_set(im, pl, "text", imp_str(im, text));
		imp_set(im, pl, "from", imp_str(im, imp_iso(im, y, m, 1, false)));
		if (has_to)
			imp_set(im, pl, "to", imp_str(im, imp_iso(im, y2, m2, 1, false)));
		if (done)
			imp_set(im, pl, "done", doc_bool(im->a, true));
		doc_push(im->a, im->plans, pl);
		imp_use(im);
	}
}

void imp_officials(imp_t *im)
{
	const char *prev = "";
	for (char *line; (line = imp_next_line(im, im->n)); im->i++) {
		if (strstr(line, "정책실명제")) {
			const char *h = imp_heading(im, line);
			const char *stop = strstr(h, " 시민과의 약속");
			if (stop && stop > h)
				im->term = arena_strndup(im->a, h, (size_t)(stop - h));
			imp_use(im);
			continue;
		}
		char *cells[MAX_CELLS];
		size_t n = imp_split_tabs(im, line, cells);
		if (imp_starts(cells[0], "담당부서")) {
			imp_use(im);
			continue;
		}
		if (n < 3)
			continue;
		doc_node_t *o = doc_new(im->a, DOC_MAP);
		const char *dept = *cells[0] ? cells[0] : prev;
		prev = dept;
		imp_set(im, o, "department", imp_str(im, dept));
		imp_set(im, o, "position", imp_str(im, cells[1]));
		imp_set(im, o, "name", imp_str(im, cells[2]));
		if (n > 3 && *cells[3])
			imp_set(im, o, "phone", imp_str(im, cells[3]));
		doc_push(im->a, im->officials, o);
		imp_use(im);
	}
}
