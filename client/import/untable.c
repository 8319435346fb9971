/* yaksok's own text rendering read back: its tables ("a | b" rows under a
 * "---+---" rule, cells padded to their columns, a cell over several columns
 * without a bar inside it, a cell of several lines continued on rows whose
 * first cell is blank) become the card's tab-separated rows before any
 * reader sees them, and a cell of several indented lines (section 4's
 * activities, section 6's actions) becomes the <ul>/<li> fragment the
 * converted cards carry, so that one set of readers serves both.  The title
 * line above the card gives its title and code.  Each line keeps the number
 * it had in the file (im->origin) for what is reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "import.h"
#include "text.h"

/* The rule under a table's header rows: dashes, a '+' between columns.
 * Fills each column's first display column; false when not a rule. */
static bool rule_of(const char *s, size_t *start, size_t *ncols)
{
	size_t n = 0, col = 0;
	if (*s != '-')
		return false;
	start[n++] = 0;
	for (; *s; s++, col++) {
		if (*s == '+') {
			if (col == 0 || s[1] != '-' || s[-1] != '-' || n == MAX_CELLS)
				return false;
			start[n++] = col + 2; /* "-+-": the next column after the space */
		} else if (*s != '-') {
			return false;
		}
	}
	*ncols = n;
	return n > 1;
}

/* Whether a line is a row of a table in our rendering (a bar between cells). */
static bool row_like(const char *s)
{
	return strstr(s, " | ") || strstr(s, " |\t") || (strlen(s) >= 2 && !strcmp(s + strlen(s) - 2, " |"));
}

/* One row's cells by the columns they start at: a cell over several columns
 * leaves the ones after it empty, as the card's tab rows do.  Each cell
 * keeps its leading spaces in raw[] (a continued cell's indentation). */
static size_t cells_of(imp_t *im, const char *line, const size_t *start, size_t ncols, char **cells, char **raw)
{
	for (size_t c = 0; c < ncols; c++)
		cells[c] = raw[c] = "";
	size_t col = 0, at = 0; /* display column of the segment's start; its column */
	const char *seg = line;
	for (;;) {
		const char *bar = strstr(seg, " | ");
		size_t len = bar ? (size_t)(bar - seg) : strlen(seg);
		if (!bar && len >= 2 && !strcmp(seg + len - 2, " |"))
			len -= 2; /* a row whose last cell is empty */
		while (at + 1 < ncols && start[at + 1] <= col)
			at++;
		char *text = arena_strndup(im->a, seg, len);
		size_t w = text_width(text);
		/* the renderer pads left-aligned text on the right: keep the
		 * leading spaces of a continued cell, drop the padding */
		size_t keep = len;
		while (keep && text[keep - 1] == ' ')
			keep--;
		text[keep] = '\0';
		raw[at] = text;
		cells[at] = imp_trim(arena_strdup(im->a, text));
		if (!bar)
			break;
		col += w + 3;
		seg = bar + 3;
	}
	return ncols;
}

/* A cell of several lines, indented by two spaces a level, as nested
 * <ul><li> (the form the converted cards give section 4 and 6). */
static char *as_list(imp_t *im, char **lines, size_t n)
{
	buf_t b = BUF_INIT;
	int depth = -1, rc = 0;
	for (size_t i = 0; i < n; i++) {
		const char *t = lines[i];
		int lv = (int)(strspn(t, " ") / 2);
		t += strspn(t, " ");
		if (lv > depth + 1)
			lv = depth + 1; /* a deeper line with no parent: one level down */
		if (lv > depth) {
			rc |= buf_puts(&b, "<ul>");
		} else {
			for (; depth > lv; depth--)
				rc |= buf_puts(&b, "</li></ul>");
			rc |= buf_puts(&b, "</li>");
		}
		depth = lv;
		rc |= buf_puts(&b, "<li>");
		/* as it is: the fragment reader takes no entities (a text with
		 * a tag of its own in it does not come back whole) */
		rc |= buf_puts(&b, t);
	}
	for (; depth >= 0; depth--)
		rc |= buf_puts(&b, "</li></ul>");
	char *s = rc ? NULL : arena_strdup(im->a, b.data ? b.data : "");
	buf_free(&b);
	return s;
}

static char *joined(imp_t *im, char **cells, size_t n)
{
	buf_t b = BUF_INIT;
	int rc = 0;
	for (size_t c = 0; c < n; c++) {
		if (c)
			rc |= buf_putc(&b, '\t');
		rc |= buf_puts(&b, cells[c]);
	}
	char *s = rc ? NULL : arena_strdup(im->a, b.data ? b.data : "");
	buf_free(&b);
	return s ? s : "";
}

/* The title our rendering puts first: "TITLE (CODE) — 2021. 3. 31. 기준". */
static bool title_line(imp_t *im, const char *s)
{
	const char *dash = strstr(s, " — ");
	size_t len = dash ? (size_t)(dash - s) : strlen(s);
	if (!len || s[len - 1] != ')')
		return false;
	const char *open = NULL;
	for (const char *p = s; p < s + len; p++)
		if (*p == '(')
			open = p;
	if (!open || open == s || open[-1] != ' ')
		return false;
	for (const char *p = open + 1; p < s + len - 1; p++)
		if (!(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') && *p != '-' && *p != '_')
			return false;
	if (open + 1 == s + len - 1)
		return false;
	im->title_line = arena_strndup(im->a, s, (size_t)(open - 1 - s));
	im->code = arena_strndup(im->a, open + 1, (size_t)(s + len - 2 - open));
	return true;
}

/* A row whose cells go on over the lines [row + 1, end) (their first cell
 * blank): each cell's lines, as a nested list in a two-column table
 * (section 4's activities, section 6's actions), else joined by spaces
 * (section 5's reason and how it was decided).  False without memory. */
static bool continue_cells(imp_t *im, size_t row, size_t end, const size_t *start, size_t ncols, char **cells,
			   char **raw)
{
	size_t lines = end - row;
	char **more[MAX_CELLS], *c2[MAX_CELLS], *r2[MAX_CELLS];
	size_t nmore[MAX_CELLS] = { 0 };
	for (size_t c = 0; c < ncols; c++) {
		if (!(more[c] = arena_alloc(im->a, sizeof(char *) * lines)))
			return false;
		more[c][nmore[c]++] = raw[c];
	}
	for (size_t j = row + 1; j < end; j++) {
		cells_of(im, im->lines[j], start, ncols, c2, r2);
		for (size_t c = 1; c < ncols; c++)
			if (*c2[c])
				more[c][nmore[c]++] = r2[c];
	}
	for (size_t c = 0; c < ncols; c++) {
		if (nmore[c] < 2)
			continue;
		if (ncols == 2) {
			char *list = as_list(im, more[c], nmore[c]);
			if (!list)
				return false;
			cells[c] = list;
			continue;
		}
		buf_t b = BUF_INIT;
		int rc = 0;
		for (size_t j = 0; j < nmore[c]; j++)
			rc |= buf_printf(&b, "%s%s", j ? " " : "", imp_trim(arena_strdup(im->a, more[c][j])));
		char *s = rc ? NULL : arena_strdup(im->a, b.data ? b.data : "");
		buf_free(&b);
		if (!s)
			return false;
		cells[c] = s;
	}
	return true;
}

void imp_untable(imp_t *im)
{
	char **out = arena_alloc(im->a, sizeof(char *) * (im->n + 1));
	size_t *origin = arena_alloc(im->a, sizeof(size_t) * (im->n + 1));
	if (!out || !origin)
		return;
	size_t n = 0, first = 0;
	while (first < im->n && imp_blank(im->lines[first]))
		first++;
	for (size_t i = 0; i < im->n;) {
		size_t start[MAX_CELLS], ncols = 0;
		/* the title, and the mark of a working copy under it, once, on top */
		if (i == first && title_line(im, im->lines[i])) {
			out[n] = "";
			origin[n++] = i++;
			while (i < im->n && (imp_blank(im->lines[i]) || imp_starts(im->lines[i], "※ 작성 중") ||
					     imp_starts(im->lines[i], "정책분야 : ") || imp_starts(im->lines[i], "핵심공약 : "))) {
				const char *l = im->lines[i];
				if (imp_starts(l, "정책분야 : "))
					im->area = imp_trim(arena_strdup(im->a, l + strlen("정책분야 : ")));
				else if (imp_starts(l, "핵심공약 : "))
					im->parent = imp_trim(arena_strdup(im->a, l + strlen("핵심공약 : ")));
				out[n] = "";
				origin[n++] = i++;
			}
			continue;
		}
		/* a table: its header rows, the rule, its body rows */
		size_t h = i;
		while (h < im->n && row_like(im->lines[h]))
			h++;
		if (h == i || h >= im->n || !rule_of(im->lines[h], start, &ncols)) {
			out[n] = im->lines[i];
			origin[n++] = i++;
			continue;
		}
		char *cells[MAX_CELLS], *raw[MAX_CELLS];
		bool continued = false; /* a table whose cells run over several lines */
		for (size_t k = i; k < h; k++) {
			cells_of(im, im->lines[k], start, ncols, cells, raw);
			if (k == i)
				continued = (ncols == 2 && (imp_starts(cells[0], "성 과 지 표") || imp_starts(cells[0], "개선 및 제안사항"))) ||
					    imp_starts(cells[0], "변경일자");
			out[n] = joined(im, cells, ncols);
			origin[n++] = k;
		}
		out[n] = "";
		origin[n++] = h; /* the rule */
		size_t k = h + 1;
		while (k < im->n && row_like(im->lines[k])) {
			size_t row = k++;
			/* the lines that continue this row's cells: first how many */
			char *c2[MAX_CELLS], *r2[MAX_CELLS];
			while (continued && k < im->n && row_like(im->lines[k])) {
				cells_of(im, im->lines[k], start, ncols, c2, r2);
				if (*c2[0])
					break;
				k++;
			}
			size_t lines = k - row;
			cells_of(im, im->lines[row], start, ncols, cells, raw);
			if (lines > 1 && !continue_cells(im, row, k, start, ncols, cells, raw))
				return;
			out[n] = joined(im, cells, ncols);
			origin[n++] = row;
			for (size_t j = 1; j < lines; j++) { /* read with the row */
				out[n] = "";
				origin[n++] = row + j;
			}
		}
		i = k;
	}
	im->lines = out;
	im->origin = origin;
	im->n = n;
}
