#include "render.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

void report_init(report_t *r, arena_t *a, const char *title)
{
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->title = title;
}

static blk_t *add(report_t *r, blk_kind_t kind)
{
	blk_t *b = arena_calloc(r->a, sizeof(*b));
	if (!b) {
		r->oom = true;
		return NULL;
	}
	b->kind = kind;
	if (r->tail)
		r->tail->next = b;
	else
		r->head = b;
	r->tail = b;
	return b;
}

static const char *vfmt(report_t *r, const char *fmt, va_list ap)
{
	const char *s = arena_vprintf(r->a, fmt, ap);
	if (!s)
		r->oom = true;
	return s ? s : "";
}

void report_heading(report_t *r, int level, const char *fmt, ...)
{
	blk_t *b = add(r, BLK_HEADING);
	if (!b)
		return;
	va_list ap;
	va_start(ap, fmt);
	b->text = vfmt(r, fmt, ap);
	va_end(ap);
	b->level = level;
}

void report_para(report_t *r, const char *fmt, ...)
{
	blk_t *b = add(r, BLK_PARA);
	if (!b)
		return;
	va_list ap;
	va_start(ap, fmt);
	b->text = vfmt(r, fmt, ap);
	va_end(ap);
}

void report_para_first(report_t *r, const char *text)
{
	blk_t *b = add(r, BLK_PARA);
	if (!b)
		return;
	b->text = text ? text : "";
	if (r->head == b)
		return;
	/* unlink from the tail, put first */
	blk_t *prev = r->head;
	while (prev->next != b)
		prev = prev->next;
	prev->next = NULL;
	r->tail = prev;
	b->next = r->head;
	r->head = b;
}

blk_t *report_list(report_t *r)
{
	return add(r, BLK_LIST);
}

void list_item(report_t *r, blk_t *b, int level, const char *fmt, ...)
{
	if (!b)
		return;
	if (b->nitems == b->capitems) {
		size_t cap = b->capitems ? b->capitems * 2 : 8;
		li_t *p = arena_grow(r->a, b->items, b->nitems * sizeof(*p), cap * sizeof(*p));
		if (!p) {
			r->oom = true;
			return;
		}
		b->items = p;
		b->capitems = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	b->items[b->nitems].text = vfmt(r, fmt, ap);
	va_end(ap);
	b->items[b->nitems++].level = level;
}

blk_t *report_table(report_t *r, size_t header_rows)
{
	blk_t *b = add(r, BLK_TABLE);
	if (b)
		b->header_rows = header_rows;
	return b;
}

row_t *table_row(report_t *r, blk_t *b)
{
	if (!b)
		return NULL;
	if (b->nrows == b->caprows) {
		size_t cap = b->caprows ? b->caprows * 2 : 8;
		row_t *p = arena_grow(r->a, b->rows, b->nrows * sizeof(*p), cap * sizeof(*p));
		if (!p) {
			r->oom = true;
			return NULL;
		}
		b->rows = p;
		b->caprows = cap;
	}
	row_t *row = &b->rows[b->nrows++];
	memset(row, 0, sizeof(*row));
	return row;
}

void row_cell(report_t *r, row_t *row, const char *text, int span, bool num)
{
	if (!row)
		return;
	if (row->n == row->cap) {
		size_t cap = row->cap ? row->cap * 2 : 8;
		cell_t *p = arena_grow(r->a, row->cells, row->n * sizeof(*p), cap * sizeof(*p));
		if (!p) {
			r->oom = true;
			return;
		}
		row->cells = p;
		row->cap = cap;
	}
	row->cells[row->n++] = (cell_t){ text ? arena_strdup(r->a, text) : "", span < 1 ? 1 : span, num, false, 1, false };
}

void row_group(report_t *r, row_t *row, const char *text, int span)
{
	row_cell(r, row, text, span, false);
	if (row && row->n)
		row->cells[row->n - 1].group = true;
}

/* The cell of `row` that starts at column `col`; NULL when none does. */
static cell_t *cell_at(const blk_t *t, size_t row, size_t col)
{
	if (!t || row >= t->nrows)
		return NULL;
	size_t c = 0;
	for (size_t k = 0; k < t->rows[row].n; k++) {
		if (c == col)
			return &t->rows[row].cells[k];
		c += (size_t)t->rows[row].cells[k].span;
	}
	return NULL;
}

bool table_merge_down(blk_t *t, size_t row, size_t col, size_t rows)
{
	cell_t *top = cell_at(t, row, col);
	if (!top || rows < 2 || row + rows > t->nrows || top->covered)
		return false;
	if (row < t->header_rows && row + rows > t->header_rows)
		return false; /* a header cell stays in the header */
	for (size_t i = 1; i < rows; i++) {
		const cell_t *c = cell_at(t, row + i, col);
		if (!c || c->covered || *c->text || c->span != top->span || c->down != 1)
			return false;
	}
	top->down = (int)rows;
	for (size_t i = 1; i < rows; i++) {
		cell_t *c = cell_at(t, row + i, col);
		c->covered = true;
		c->down = (int)(rows - i); /* rows left, itself included: the PDF's bottom border */
	}
	return true;
}

void table_merge_blanks(blk_t *t, size_t col, size_t from, size_t to)
{
	if (!t)
		return;
	if (to > t->nrows)
		to = t->nrows;
	for (size_t i = from; i < to;) {
		const cell_t *c = cell_at(t, i, col);
		size_t n = 1;
		if (c && *c->text)
			while (i + n < to && cell_at(t, i + n, col) && !*cell_at(t, i + n, col)->text)
				n++;
		if (n > 1)
			table_merge_down(t, i, col, n);
		i += n;
	}
}

/* ------------------------------------------------------------------ helpers */

static size_t table_cols(const blk_t *t)
{
	size_t max = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		size_t n = 0;
		for (size_t k = 0; k < t->rows[i].n; k++)
			n += (size_t)t->rows[i].cells[k].span;
		if (n > max)
			max = n;
	}
	return max;
}

/* Widest line of a cell, in columns. */
static size_t cell_width(const char *s)
{
	size_t w = 0;
	while (*s) {
		size_t len = strcspn(s, "\n");
		size_t lw = text_width_n(s, len);
		if (lw > w)
			w = lw;
		s += len;
		if (*s == '\n')
			s++;
	}
	return w;
}

static size_t cell_lines(const char *s)
{
	size_t n = 1;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The k-th line of a cell (pointer and length). */
static const char *cell_line(const char *s, size_t k, size_t *len)
{
	while (k--) {
		const char *nl = strchr(s, '\n');
		if (!nl) {
			*len = 0;
			return "";
		}
		s = nl + 1;
	}
	*len = strcspn(s, "\n");
	return s;
}

static int spaces(buf_t *o, size_t n)
{
	int rc = 0;
	while (n-- && !rc)
		rc = buf_putc(o, ' ');
	return rc;
}

/* ------------------------------------------------------------------ text */

#define MAX_COLS 64

static int text_table(const blk_t *t, buf_t *o)
{
	size_t nc = table_cols(t);
	if (nc == 0 || nc > MAX_COLS)
		return 0;
	size_t w[MAX_COLS] = { 0 };
	for (size_t i = 0; i < t->nrows; i++) {
		size_t c = 0;
		for (size_t k = 0; k < t->rows[i].n; k++) {
			const cell_t *cl = &t->rows[i].cells[k];
			if (cl->span == 1 && cell_width(cl->text) > w[c])
				w[c] = cell_width(cl->text);
			c += (size_t)cl->span;
		}
	}
	/* A spanning cell wider than its columns widens the last of them. */
	for (size_t i = 0; i < t->nrows; i++) {
		size_t c = 0;
		for (size_t k = 0; k < t->rows[i].n; k++) {
			const cell_t *cl = &t->rows[i].cells[k];
			if (cl->span > 1 && c + (size_t)cl->span <= nc) {
				size_t have = 0;
				for (int s = 0; s < cl->span; s++)
					have += w[c + (size_t)s];
				have += 3 * (size_t)(cl->span - 1);
				size_t need = cell_width(cl->text);
				if (need > have)
					w[c + (size_t)cl->span - 1] += need - have;
			}
			c += (size_t)cl->span;
		}
	}
	int rc = 0;
	for (size_t i = 0; i < t->nrows && !rc; i++) {
		const row_t *row = &t->rows[i];
		size_t lines = 1;
		for (size_t k = 0; k < row->n; k++)
			if (cell_lines(row->cells[k].text) > lines)
				lines = cell_lines(row->cells[k].text);
		for (size_t ln = 0; ln < lines && !rc; ln++) {
			size_t c = 0;
			for (size_t k = 0; k < row->n && !rc; k++) {
				const cell_t *cl = &row->cells[k];
				size_t width = 0;
				for (int s = 0; s < cl->span && c + (size_t)s < nc; s++)
					width += w[c + (size_t)s];
				width += 3 * (size_t)(cl->span - 1);
				size_t len;
				const char *line = cell_line(cl->text, ln, &len);
				size_t lw = text_width_n(line, len);
				if (k)
					rc = buf_puts(o, " | ");
				if (!rc && cl->num)
					rc = spaces(o, width - lw);
				if (!rc)
					rc = buf_append(o, line, len);
				if (!rc && !cl->num && k + 1 < row->n)
					rc = spaces(o, width - lw);
				c += (size_t)cl->span;
			}
			if (!rc)
				rc = buf_putc(o, '\n');
		}
		if (!rc && t->header_rows && i + 1 == t->header_rows) {
			for (size_t c = 0; c < nc && !rc; c++) {
				if (c)
					rc = buf_puts(o, "-+-");
				for (size_t k = 0; k < w[c] && !rc; k++)
					rc = buf_putc(o, '-');
			}
			if (!rc)
				rc = buf_putc(o, '\n');
		}
	}
	return rc;
}

/* Items that bring their own mark (○ • - · 1.) get no "- ". */
static bool has_bullet(const char *s)
{
	static const char *const marks[] = { "○ ", "• ", "- ", "· ", NULL };
	for (size_t i = 0; marks[i]; i++)
		if (!strncmp(s, marks[i], strlen(marks[i])))
			return true;
	size_t d = strspn(s, "0123456789");
	return d > 0 && s[d] == '.';
}

int render_text(const report_t *r, buf_t *o)
{
	int rc = 0;
	if (r->title)
		rc = buf_printf(o, "%s\n%s\n", r->title, "");
	for (const blk_t *b = r->head; b && !rc; b = b->next) {
		switch (b->kind) {
		case BLK_HEADING:
			rc = buf_printf(o, "%s%s\n\n", b->level == 3 ? "  " : "", b->text);
			break;
		case BLK_PARA:
			rc = buf_printf(o, "%s\n\n", b->text);
			break;
		case BLK_LIST:
			for (size_t i = 0; i < b->nitems && !rc; i++) {
				rc = spaces(o, 2 * (size_t)b->items[i].level);
				if (!rc && !has_bullet(b->items[i].text))
					rc = buf_puts(o, "- ");
				if (!rc)
					rc = buf_printf(o, "%s\n", b->items[i].text);
			}
			if (!rc)
				rc = buf_putc(o, '\n');
			break;
		case BLK_TABLE:
			rc = text_table(b, o);
			if (!rc)
				rc = buf_putc(o, '\n');
			break;
		}
	}
	return rc;
}

/* ------------------------------------------------------------------ markdown */

static int md_escape(buf_t *o, const char *s, bool in_table)
{
	int rc = 0;
	for (; *s && !rc; s++) {
		if (in_table && *s == '|')
			rc = buf_puts(o, "\\|");
		else if (in_table && *s == '\n')
			rc = buf_puts(o, "<br>");
		else if (strchr("\\*_`[]<>", *s))
			rc = buf_printf(o, "\\%c", *s);
		else
			rc = buf_putc(o, *s);
	}
	return rc;
}

/* True when no header row below row `i` labels column c. */
static bool lower_empty(const blk_t *t, size_t i, size_t col)
{
	for (size_t j = i + 1; j < t->header_rows && j < t->nrows; j++) {
		size_t c = 0;
		for (size_t k = 0; k < t->rows[j].n; k++) {
			const cell_t *cl = &t->rows[j].cells[k];
			if (col >= c && col < c + (size_t)cl->span && *cl->text)
				return false;
			c += (size_t)cl->span;
		}
	}
	return true;
}

/* Markdown tables have one header row: the header rows are folded into one
 * label per column ("2019년 확보"). */
static int md_table(report_t *r, const blk_t *t, buf_t *o)
{
	size_t nc = table_cols(t);
	if (nc == 0 || nc > MAX_COLS)
		return 0;
	buf_t head[MAX_COLS];
	memset(head, 0, sizeof(head));
	int rc = 0;
	for (size_t i = 0; i < t->header_rows && i < t->nrows; i++) {
		size_t c = 0;
		for (size_t k = 0; k < t->rows[i].n; k++) {
			const cell_t *cl = &t->rows[i].cells[k];
			for (int s = 0; s < cl->span && c < nc; s++, c++)
				if (*cl->text && !cl->group && (s == 0 || !lower_empty(t, i, c))) {
					if (head[c].len)
						rc |= buf_putc(&head[c], ' ');
					rc |= buf_puts(&head[c], cl->text);
				}
		}
	}
	(void)r;
	rc |= buf_putc(o, '|');
	for (size_t c = 0; c < nc; c++) {
		rc |= buf_putc(o, ' ');
		rc |= md_escape(o, head[c].data ? head[c].data : "", true);
		rc |= buf_puts(o, " |");
		buf_free(&head[c]);
	}
	rc |= buf_puts(o, "\n|");
	for (size_t c = 0; c < nc; c++)
		rc |= buf_puts(o, "---|");
	rc |= buf_putc(o, '\n');
	for (size_t i = t->header_rows; i < t->nrows && !rc; i++) {
		size_t c = 0;
		rc |= buf_putc(o, '|');
		for (size_t k = 0; k < t->rows[i].n; k++) {
			const cell_t *cl = &t->rows[i].cells[k];
			for (int s = 0; s < cl->span; s++, c++) {
				rc |= buf_putc(o, ' ');
				if (s == 0)
					rc |= md_escape(o, cl->text, true);
				rc |= buf_puts(o, " |");
			}
		}
		for (; c < nc; c++)
			rc |= buf_puts(o, "  |");
		rc |= buf_putc(o, '\n');
	}
	return rc ? YK_ENOMEM : 0;
}

int render_markdown(const report_t *r, buf_t *o)
{
	int rc = 0;
	if (r->title) {
		rc |= buf_puts(o, "# ");
		rc |= md_escape(o, r->title, false);
		rc |= buf_puts(o, "\n\n");
	}
	for (const blk_t *b = r->head; b && !rc; b = b->next) {
		switch (b->kind) {
		case BLK_HEADING:
			rc |= buf_printf(o, "%.*s ", b->level + 1, "####");
			rc |= md_escape(o, b->text, false);
			rc |= buf_puts(o, "\n\n");
			break;
		case BLK_PARA:
			rc |= md_escape(o, b->text, false);
			rc |= buf_puts(o, "\n\n");
			break;
		case BLK_LIST:
			for (size_t i = 0; i < b->nitems; i++) {
				const char *t = b->items[i].text;
				/* the list's nesting already shows what ○ • - · mark */
				if (has_bullet(t) && !isdigit((unsigned char)*t))
					t = strchr(t, ' ') + 1;
				rc |= spaces(o, 2 * (size_t)b->items[i].level);
				rc |= buf_puts(o, "- ");
				rc |= md_escape(o, t, false);
				rc |= buf_putc(o, '\n');
			}
			rc |= buf_putc(o, '\n');
			break;
		case BLK_TABLE:
			rc |= md_table((report_t *)r, b, o);
			rc |= buf_putc(o, '\n');
			break;
		}
	}
	return rc ? YK_ENOMEM : 0;
}

/* ------------------------------------------------------------------ html */

int html_escape(buf_t *o, const char *s)
{
	int rc = 0;
	for (; *s && !rc; s++) {
		/* no control byte reaches a page, whatever a stored text holds */
		if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
			continue;
		switch (*s) {
		case '&': rc = buf_puts(o, "&amp;"); break;
		case '<': rc = buf_puts(o, "&lt;"); break;
		case '>': rc = buf_puts(o, "&gt;"); break;
		case '"': rc = buf_puts(o, "&quot;"); break;
		case '\'': rc = buf_puts(o, "&#39;"); break;
		case '\n': rc = buf_puts(o, "<br>"); break;
		default: rc = buf_putc(o, *s);
		}
	}
	return rc;
}

int xml_escape(buf_t *o, const char *s)
{
	int rc = 0;
	for (; *s && !rc; s++) {
		switch (*s) {
		case '&': rc = buf_puts(o, "&amp;"); break;
		case '<': rc = buf_puts(o, "&lt;"); break;
		case '>': rc = buf_puts(o, "&gt;"); break;
		case '"': rc = buf_puts(o, "&quot;"); break;
		case '\'': rc = buf_puts(o, "&apos;"); break;
		default:
			/* XML 1.0 has no place for C0 controls; a line break is a space */
			rc = buf_putc(o, (unsigned char)*s < 0x20 ? ' ' : *s);
		}
	}
	return rc;
}

/* A table cell's text: its lines' leading spaces kept (the card indents a
 * cell's items under its ○ line), the rest as html_escape makes it. */
static int html_cell(buf_t *o, const char *s)
{
	int rc = 0;
	while (*s && !rc) {
		for (; *s == ' ' && !rc; s++)
			rc = buf_puts(o, "&nbsp;");
		size_t len = strcspn(s, "\n");
		char *line = strndup(s, len);
		rc |= line ? html_escape(o, line) : YK_ENOMEM;
		free(line);
		s += len;
		if (*s == '\n') {
			rc |= buf_puts(o, "<br>");
			s++;
		}
	}
	return rc;
}

int html_table_open(buf_t *o, const char *label)
{
	/* a wide table scrolls inside its box on a narrow screen; the box
	 * takes the keyboard's focus so that it can be scrolled without a mouse */
	int rc = buf_puts(o, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"");
	rc |= html_escape(o, label && *label ? label : "표");
	return rc | buf_puts(o, "\">\n<table>\n");
}

int html_table_close(buf_t *o)
{
	return buf_puts(o, "</table>\n</div>\n");
}

const char html_style[] =
	"body{font-family:\"NanumGothic\",\"Noto Sans CJK KR\",\"Malgun Gothic\",sans-serif;margin:2em auto;"
	"max-width:60em;color:#111;line-height:1.5;word-break:keep-all;overflow-wrap:anywhere}"
	"h1{font-size:1.4em;border-bottom:2px solid #333;padding-bottom:.3em}"
	"h2{font-size:1.15em;margin-top:1.6em}h3{font-size:1em;margin:1em 0 .4em}"
	"table{border-collapse:collapse;margin:.6em 0 1em;font-size:.92em}"
	"th,td{border:1px solid #777;padding:.25em .5em;vertical-align:top}"
	"th{background:#eee;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}"
	"ul{margin:.3em 0 .8em;padding-left:1.4em}li{margin:.1em 0}"
	/* a card's list carries its own marks in its text */
	"ul.m{list-style:none;padding-left:.6em}ul.m ul.m{padding-left:1.4em}"
	".scroll{overflow-x:auto;max-width:100%}.scroll:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}"
	/* A4 portrait; a table may run onto the next page, but not a row, and
	 * its header rows come again there */
	"@page{size:A4 portrait;margin:15mm 12mm}"
	"@media print{body{margin:0;max-width:none;font-size:10pt}h2,h3{break-after:avoid}"
	"thead{display:table-header-group}tr{break-inside:avoid}"
	/* a word of a cell stays whole on paper (민간자본, 확보): the tables
	 * take a smaller type instead */
	"table{font-size:8pt}th,td{overflow-wrap:normal;padding:.2em .35em}}";

int render_html_body(const report_t *r, buf_t *o)
{
	int rc = 0;
	const char *label = r->title; /* a table is named by the heading before it */
	if (r->title) {
		rc |= buf_puts(o, "<h1>");
		rc |= html_escape(o, r->title);
		rc |= buf_puts(o, "</h1>\n");
	}
	for (const blk_t *b = r->head; b && !rc; b = b->next) {
		switch (b->kind) {
		case BLK_HEADING:
			label = b->text;
			rc |= buf_printf(o, "<h%d>", b->level + 1);
			rc |= html_escape(o, b->text);
			rc |= buf_printf(o, "</h%d>\n", b->level + 1);
			break;
		case BLK_PARA:
			rc |= buf_puts(o, "<p>");
			rc |= html_escape(o, b->text);
			rc |= buf_puts(o, "</p>\n");
			break;
		case BLK_LIST: {
			/* a deeper list lives inside the item before it */
			int depth = -1;
			for (size_t i = 0; i < b->nitems; i++) {
				int lv = b->items[i].level;
				if (lv > depth) {
					while (depth < lv) {
						depth++;
						rc |= buf_puts(o, "<ul class=\"m\">");
						if (depth < lv)
							rc |= buf_puts(o, "<li>");
					}
				} else {
					for (; depth > lv; depth--)
						rc |= buf_puts(o, "</li></ul>");
					rc |= buf_puts(o, "</li>\n");
				}
				/* the card's own mark, as the text rendering prints it
				 * (○ • - · or a number; "- " where the item has none) */
				const char *t = b->items[i].text;
				rc |= buf_puts(o, "<li>");
				if (!has_bullet(t))
					rc |= buf_puts(o, "- ");
				rc |= html_escape(o, t);
			}
			for (; depth >= 0; depth--)
				rc |= buf_puts(o, "</li></ul>");
			rc |= buf_putc(o, '\n');
			break;
		}
		case BLK_TABLE:
			rc |= html_table_open(o, label);
			for (size_t i = 0; i < b->nrows; i++) {
				bool head = i < b->header_rows;
				if (i == 0 && head)
					rc |= buf_puts(o, "<thead>\n");
				if (i == b->header_rows)
					rc |= buf_puts(o, "<tbody>\n");
				rc |= buf_puts(o, "<tr>");
				for (size_t k = 0; k < b->rows[i].n; k++) {
					const cell_t *cl = &b->rows[i].cells[k];
					if (cl->covered)
						continue; /* the cell above spans it */
					rc |= buf_printf(o, "<%s", head ? "th" : "td");
					if (head)
						rc |= buf_puts(o, cl->span > 1 ? " scope=\"colgroup\"" : " scope=\"col\"");
					if (cl->span > 1)
						rc |= buf_printf(o, " colspan=\"%d\"", cl->span);
					if (cl->down > 1)
						rc |= buf_printf(o, " rowspan=\"%d\"", cl->down);
					if (cl->num && !head)
						rc |= buf_puts(o, " class=\"num\"");
					rc |= buf_putc(o, '>');
					rc |= html_cell(o, cl->text);
					rc |= buf_printf(o, "</%s>", head ? "th" : "td");
				}
				rc |= buf_puts(o, "</tr>\n");
				if (head && i + 1 == b->header_rows)
					rc |= buf_puts(o, "</thead>\n");
			}
			if (b->nrows > b->header_rows)
				rc |= buf_puts(o, "</tbody>\n");
			rc |= html_table_close(o);
			break;
		}
	}
	return rc ? YK_ENOMEM : 0;
}

int render_html(const report_t *r, buf_t *o)
{
	int rc = buf_puts(o, "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n"
			     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	rc |= html_escape(o, r->title ? r->title : "yaksok");
	rc |= buf_printf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", html_style);
	rc |= render_html_body(r, o);
	rc |= buf_puts(o, "</main>\n</body>\n</html>\n");
	return rc ? YK_ENOMEM : 0;
}
