/* Where each section of the card starts, and the header rows above them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "docmap.h"
#include "import.h"
#include "text.h"

bool imp_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

/* A heading's text without markdown: "## 1. 사업개요" "**4. ...**" -> "1. 사업개요" */
const char *imp_heading(imp_t *im, const char *line)
{
	char *s = arena_strdup(im->a, line);
	while (*s == '#' || *s == '*' || *s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '*' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

int imp_section_of(imp_t *im, const char *line)
{
	const char *h = imp_heading(im, line);
	if (h == line + strlen(line) || !isdigit((unsigned char)h[0]) || h[1] != '.' || h[2] != ' ')
		return 0;
	if (line[0] != '#' && line[0] != '*') {
		/* a heading without markup ("1. 사업개요", as many cities' cards
		 * convert) only with its section's own title: a numbered line of
		 * a list is not a heading */
		static const char *const titles[] = { NULL, "사업개요", "예산투자현황", "연도별 성과지표", "성과지표별 추진현황",
						      "사업변경내역", NULL, "문제점", "향후추진계획" };
		int s = h[0] - '0';
		if (s < 1 || s > 8)
			return 0;
		const char *t = h + 3;
		if (s == 6)
			return imp_starts(t, "「") || imp_starts(t, "평가결과") ? 6 : 0;
		return imp_starts(t, titles[s]) ? s : 0;
	}
	return h[0] - '0';
}

void imp_use(imp_t *im)
{
	im->used[im->i] = true;
}

/* The next line before `end`, blank ones skipped (and counted as read); NULL
 * at the end.  The caller's loop steps im->i past the line it takes. */
char *imp_next_line(imp_t *im, size_t end)
{
	for (; im->i < end; im->i++) {
		if (!imp_blank(im->lines[im->i]))
			return im->lines[im->i];
		imp_use(im);
	}
	return NULL;
}

void imp_header_rows(imp_t *im)
{
	for (; im->i + 1 < im->n; im->i++) {
		char *cells[MAX_CELLS];
		if (!imp_starts(im->lines[im->i], "사업구분"))
			continue;
		imp_use(im);
		im->i++;
		while (im->i + 1 < im->n && imp_blank(im->lines[im->i])) { /* the rule under our own rendering's header */
			imp_use(im);
			im->i++;
		}
		size_t n = imp_split_tabs(im, im->lines[im->i], cells);
		imp_use(im);
		const char *status = "in_progress";
		if (n > 1 && !strcmp(cells[1], "○"))
			status = "completed";
		else if (n > 2 && !strcmp(cells[2], "○"))
			status = "completed_ongoing";
		const char *pct = n > 3 ? cells[3] : "";
		/* our own rendering writes other statuses after the figure: "40 (지연)";
		 * cards printed before it said 부진 */
		static const char *const words[] = { "지연", "delayed", "부진", "delayed", "일부추진", "partial", "보류", "on_hold",
						     "폐기", "dropped", "미착수", "not_started", NULL };
		const char *paren = strchr(pct, '(');
		if (paren) {
			for (size_t k = 0; words[k]; k += 2)
				if (strstr(paren, words[k])) {
					status = words[k + 1];
					imp_known(im, words[k]); /* read as the status: kept */
				}
			pct = imp_trim(arena_strndup(im->a, pct, (size_t)(paren - pct)));
		}
		imp_set(im, im->doc, "category", n > 0 && *cells[0] ? imp_str(im, cells[0]) : NULL);
		imp_set(im, im->doc, "department", n > 5 ? imp_str(im, cells[5]) : NULL);
		imp_set(im, im->doc, "status", imp_str(im, status));
		doc_node_t *num = imp_number(im, pct);
		if (num)
			imp_set(im, im->doc, "progress_pct", num);
		else
			imp_warn(im, im->i, "the progress \"%s\" is not a number", pct);
		int y, m, d;
		bool day;
		const char *p = n > 4 ? cells[4] : "";
		if (*p && imp_read_date(&p, &y, &m, &d, &day))
			imp_set(im, im->doc, "target_month", imp_str(im, imp_iso(im, y, m, 1, false)));
		else if (n > 4 && *cells[4])
			imp_warn(im, im->i, "the target month \"%s\" is not a month", cells[4]);
		imp_set(im, im->doc, "remarks", imp_str(im, n > 6 ? cells[6] : ""));
		im->i++;
		return;
	}
}
