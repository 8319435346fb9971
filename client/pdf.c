/* The report as an A4 PDF, drawn with Cairo and shaped with Pango (which
 * picks a Hangul font through fontconfig: the project installs NanumGothic).
 * Laid out like the HTML print: headings, paragraphs, lists indented by
 * level, tables with borders, numbers right-aligned, a table that runs onto
 * the next page repeating its header rows there, and no row split. */
#include "pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yk_err.h"

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 42.0
#define PAD 3.0
#define FONT "NanumGothic, Noto Sans CJK KR, sans-serif"

typedef struct {
	cairo_t *cr;
	PangoLayout *layout;
	double y;
	int pages;
	bool pending;  /* something drawn on the current page */
	int card_start; /* the page the last report began on (1-based) */
} pdf_t;

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void font(pdf_t *p, double size, bool bold)
{
	PangoFontDescription *d = pango_font_description_from_string(FONT);
	pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
	pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(p->layout, d);
	pango_font_description_free(d);
}

/* Lay out `text` in `width` points; its height. */
static double measure(pdf_t *p, const char *text, double width, PangoAlignment align)
{
	pango_layout_set_width(p->layout, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->layout, align);
	pango_layout_set_text(p->layout, text ? text : "", -1);
	int w, h;
	pango_layout_get_size(p->layout, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* The width `text` takes on one line. */
static double natural(pdf_t *p, const char *text)
{
	pango_layout_set_width(p->layout, -1);
	pango_layout_set_text(p->layout, text ? text : "", -1);
	int w, h;
	pango_layout_get_size(p->layout, &w, &h);
	return (double)w / PANGO_SCALE;
}

static void new_page(pdf_t *p)
{
	if (p->pending) {
		cairo_show_page(p->cr);
		p->pages++;
	}
	p->y = MARGIN;
	p->pending = false;
}

/* Room for h more points on this page, or a new page. */
static void need(pdf_t *p, double h)
{
	if (p->y + h > PAGE_H - MARGIN && p->pending)
		new_page(p);
}

/* Draw the layout as measure() last set it. */
static void show_at(pdf_t *p, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->layout);
	p->pending = true;
}

static void text_at(pdf_t *p, double x, double y, const char *text, double width, PangoAlignment align)
{
	measure(p, text, width, align);
	show_at(p, x, y);
}

static void block_text(pdf_t *p, const char *text, double size, bool bold, double indent, double after)
{
	font(p, size, bold);
	double w = PAGE_W - 2 * MARGIN - indent;
	double h = measure(p, text, w, PANGO_ALIGN_LEFT);
	need(p, h);  /* draws nothing: the layout stays as measured */
	show_at(p, MARGIN + indent, p->y);
	p->y += h + after;
}

/* Each column's width: what its single-column cells need on one line, the
 * whole shrunk in proportion when it is wider than the page. */
static int column_widths(pdf_t *p, const blk_t *b, double *w, int max)
{
	int ncols = 0;
	for (size_t i = 0; i < b->nrows; i++) {
		int n = 0;
		for (size_t k = 0; k < b->rows[i].n; k++)
			n += b->rows[i].cells[k].span;
		if (n > ncols)
			ncols = n;
	}
	if (ncols > max)
		ncols = max;
	for (int c = 0; c < ncols; c++)
		w[c] = 18;
	for (size_t i = 0; i < b->nrows; i++) {
		int c = 0;
		for (size_t k = 0; k < b->rows[i].n && c < ncols; k++) {
			const cell_t *cl = &b->rows[i].cells[k];
			if (cl->span == 1) {
				double nw = natural(p, cl->text) + 2 * PAD;
				if (nw > w[c])
					w[c] = nw;
			}
			c += cl->span;
		}
	}
	double total = 0, room = PAGE_W - 2 * MARGIN;
	for (int c = 0; c < ncols; c++)
		total += w[c];
	if (total > room)
		for (int c = 0; c < ncols; c++)
			w[c] *= room / total;
	return ncols;
}

/* The width of the cell starting at column c. */
static double cell_w(const cell_t *cl, const double *w, int c, int ncols)
{
	double cw = 0;
	for (int s = 0; s < cl->span && c + s < ncols; s++)
		cw += w[c + s];
	return cw;
}

/* What the row's own cells need: a cell merged over rows below is measured
 * by table(), which gives its last row what the rows it covers lack. */
static double row_height(pdf_t *p, const row_t *row, const double *w, int ncols, bool head)
{
	double h = 0;
	int c = 0;
	font(p, 8, head);
	for (size_t k = 0; k < row->n && c < ncols; k++) {
		const cell_t *cl = &row->cells[k];
		if (cl->down == 1 && !cl->covered) {
			double ch = measure(p, cl->text, cell_w(cl, w, c, ncols) - 2 * PAD, PANGO_ALIGN_LEFT) + 2 * PAD;
			if (ch > h)
				h = ch;
		}
		c += cl->span;
	}
	return h;
}

/* A line from (x0, y0) to (x1, y1). */
static void rule(pdf_t *p, double x0, double y0, double x1, double y1)
{
	cairo_move_to(p->cr, x0, y0);
	cairo_line_to(p->cr, x1, y1);
}

/* top: the row is the first of its table on this page, where a merged
 * cell that began on the page before closes its top again. */
static void draw_row(pdf_t *p, const row_t *row, const double *w, int ncols, bool head, double h, bool top)
{
	double x = MARGIN;
	int c = 0;
	font(p, 8, head);
	for (size_t k = 0; k < row->n && c < ncols; k++) {
		const cell_t *cl = &row->cells[k];
		double cw = cell_w(cl, w, c, ncols);
		if (head) {
			cairo_set_source_rgb(p->cr, 0.91, 0.91, 0.91);
			cairo_rectangle(p->cr, x, p->y, cw, h);
			cairo_fill(p->cr);
		}
		/* a merged cell is one box: no rule between the rows it covers */
		cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
		cairo_set_line_width(p->cr, 0.5);
		rule(p, x, p->y, x, p->y + h);
		rule(p, x + cw, p->y, x + cw, p->y + h);
		if (!cl->covered || top)
			rule(p, x, p->y, x + cw, p->y);
		if (cl->down == 1)
			rule(p, x, p->y + h, x + cw, p->y + h);
		cairo_stroke(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		PangoAlignment al = head ? PANGO_ALIGN_CENTER : cl->num ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
		if (!cl->covered)
			text_at(p, x + PAD, p->y + PAD, cl->text, cw - 2 * PAD, al);
		x += cw;
		c += cl->span;
	}
	p->y += h;
}

/* Row heights: each row's own cells, then each merged cell's need spread
 * onto the last row it covers. */
static double *row_heights(pdf_t *p, const blk_t *b, const double *w, int ncols)
{
	double *h = calloc(b->nrows ? b->nrows : 1, sizeof(*h));
	if (!h)
		return NULL;
	for (size_t i = 0; i < b->nrows; i++)
		h[i] = row_height(p, &b->rows[i], w, ncols, i < b->header_rows);
	for (size_t i = 0; i < b->nrows; i++) {
		int c = 0;
		for (size_t k = 0; k < b->rows[i].n && c < ncols; k++) {
			const cell_t *cl = &b->rows[i].cells[k];
			if (cl->down > 1 && !cl->covered && i + (size_t)cl->down <= b->nrows) {
				font(p, 8, i < b->header_rows);
				double need_h = measure(p, cl->text, cell_w(cl, w, c, ncols) - 2 * PAD, PANGO_ALIGN_LEFT) + 2 * PAD,
				       have = 0;
				for (int d = 0; d < cl->down; d++)
					have += h[i + (size_t)d];
				if (need_h > have)
					h[i + (size_t)cl->down - 1] += need_h - have;
			}
			c += cl->span;
		}
	}
	return h;
}

/* How many of the first lines of `text` fit in `room` points at width cw;
 * at least one, so that a row always moves on. */
static size_t lines_fitting(pdf_t *p, const char *text, double cw, double room, size_t *bytes)
{
	size_t n = 0, len = 0;
	for (const char *s = text;;) {
		const char *nl = strchr(s, '\n');
		size_t end = nl ? (size_t)(nl - text) : strlen(text);
		char *prefix = strndup(text, end);
		double ch = prefix ? measure(p, prefix, cw - 2 * PAD, PANGO_ALIGN_LEFT) + 2 * PAD : room + 1;
		free(prefix);
		if (ch > room && n)
			break;
		n++;
		len = end;
		if (!nl)
			break;
		s = nl + 1;
	}
	*bytes = len;
	return n;
}

/* A row taller than what is left of the page goes on in pieces, each page
 * taking the lines of each cell that fit, so that nothing is drawn past the
 * page's edge.  Returns false when memory ran out (nothing drawn). */
static bool draw_tall_row(pdf_t *p, const blk_t *b, size_t i, const double *w, int ncols, const double *hh)
{
	const row_t *row = &b->rows[i];
	cell_t *cells = calloc(row->n, sizeof(*cells));
	const char **rest = calloc(row->n, sizeof(*rest));
	if (!cells || !rest) {
		free(cells);
		free(rest);
		return false;
	}
	for (size_t k = 0; k < row->n; k++)
		rest[k] = row->cells[k].covered ? "" : row->cells[k].text;
	bool more = true, first = true;
	while (more) {
		double room = PAGE_H - MARGIN - p->y;
		more = false;
		row_t piece = { cells, row->n, row->n };
		int c = 0;
		double h = 0;
		font(p, 8, false);
		for (size_t k = 0; k < row->n; k++) {
			const cell_t *cl = &row->cells[k];
			size_t bytes = 0;
			double cw = cell_w(cl, w, c, ncols);
			lines_fitting(p, rest[k], cw, room, &bytes);
			cells[k] = *cl;
			cells[k].text = strndup(rest[k], bytes);
			cells[k].covered = cl->covered || (!first && !*rest[k]);
			double ch = cells[k].text ? measure(p, cells[k].text, cw - 2 * PAD, PANGO_ALIGN_LEFT) + 2 * PAD : 0;
			if (ch > h)
				h = ch;
			rest[k] += bytes;
			if (*rest[k] == '\n')
				rest[k]++;
			more |= *rest[k] != '\0';
			c += cl->span;
		}
		for (size_t k = 0; k < row->n; k++) /* open at the bottom until the last piece */
			cells[k].down = more ? 2 : row->cells[k].down;
		draw_row(p, &piece, w, ncols, false, h > room ? room : h, true);
		for (size_t k = 0; k < row->n; k++)
			free((char *)cells[k].text);
		first = false;
		if (more) {
			new_page(p);
			for (size_t k = 0; k < b->header_rows; k++)
				draw_row(p, &b->rows[k], w, ncols, true, hh[k], k == 0);
		}
	}
	free(cells);
	free(rest);
	return true;
}

static void table(pdf_t *p, const blk_t *b)
{
	double w[64];
	font(p, 8, false);
	int ncols = column_widths(p, b, w, 64);
	double *h = row_heights(p, b, w, ncols);
	if (!h)
		return;
	bool top = true;
	/* a body row taller than a page with the header rows on it is drawn in
	 * pieces, from wherever the page has a few lines of room left */
	double full = PAGE_H - 2 * MARGIN, few = 40;
	for (size_t k = 0; k < b->header_rows && k < b->nrows; k++)
		full -= h[k];
	for (size_t i = 0; i < b->nrows; i++) {
		bool head = i < b->header_rows;
		bool tall = !head && h[i] > full;
		/* the header rows stay with the first body row (its first lines) */
		double keep = head && i + 1 == b->header_rows && i + 1 < b->nrows ? h[i + 1] : 0;
		if (keep > full)
			keep = few;
		if (p->y + (tall ? few : h[i]) + keep > PAGE_H - MARGIN && p->pending) {
			new_page(p);
			top = true;
			/* a table that runs on repeats its header rows */
			if (!head)
				for (size_t k = 0; k < b->header_rows; k++)
					draw_row(p, &b->rows[k], w, ncols, true, h[k], k == 0);
			top = head || !b->header_rows;
		}
		if (!head && p->y + h[i] > PAGE_H - MARGIN)
			draw_tall_row(p, b, i, w, ncols, h); /* what fits here, the rest on the next pages */
		else
			draw_row(p, &b->rows[i], w, ncols, head, h[i], top);
		top = false;
	}
	free(h);
	p->y += 8;
}

static void list(pdf_t *p, const blk_t *b)
{
	for (size_t i = 0; i < b->nitems; i++)
		block_text(p, b->items[i].text, 9, false, 12.0 * b->items[i].level, 2);
	p->y += 4;
}

/* The blocks of one report, from a new page on. */
static void draw_report(pdf_t *p, const report_t *r)
{
	new_page(p);
	p->card_start = p->pages;
	if (r->title)
		block_text(p, r->title, 15, true, 0, 10);
	for (const blk_t *b = r->head; b; b = b->next) {
		switch (b->kind) {
		case BLK_HEADING:
			/* a heading stays with what follows it */
			need(p, 60);
			block_text(p, b->text, b->level <= 1 ? 12 : 10, true, 0, 4);
			break;
		case BLK_PARA:
			block_text(p, b->text, 9, false, 0, 4);
			break;
		case BLK_LIST:
			list(p, b);
			break;
		case BLK_TABLE:
			table(p, b);
			break;
		}
	}
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

static pdf_t *pdf_open(cairo_write_func_t write, void *closure, cairo_surface_t **s)
{
	*s = cairo_pdf_surface_create_for_stream(write, closure, PAGE_W, PAGE_H);
	if (cairo_surface_status(*s) != CAIRO_STATUS_SUCCESS)
		return NULL;
	pdf_t *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->cr = cairo_create(*s);
	p->layout = pango_cairo_create_layout(p->cr);
	p->y = MARGIN;
	p->pages = 1;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	return p;
}

static int pdf_close(pdf_t *p, cairo_surface_t *s)
{
	if (p) {
		g_object_unref(p->layout);
		cairo_destroy(p->cr);
		free(p);
	}
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	return st == CAIRO_STATUS_SUCCESS ? 0 : YK_ENOMEM;
}

int render_pdf(const report_t *r, buf_t *out)
{
	cairo_surface_t *s;
	pdf_t *p = pdf_open(to_buf, out, &s);
	if (p) {
		if (r->title)
			cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, r->title);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "yaksok");
		draw_report(p, r);
	}
	return pdf_close(p, s) || !p ? YK_ENOMEM : 0;
}

int render_pdf_book(const char *title, const report_t *const *cards, size_t n, buf_t *out)
{
	/* Where each card starts, from a first pass drawn where no one sees
	 * it; the contents come first, one line a card. */
	int *start = calloc(n ? n : 1, sizeof(int));
	if (!start)
		return YK_ENOMEM;
	cairo_surface_t *s;
	pdf_t *p = pdf_open(discard, NULL, &s);
	for (size_t i = 0; p && i < n; i++) {
		draw_report(p, cards[i]);
		start[i] = p->card_start;
	}
	if (pdf_close(p, s) || !p) {
		free(start);
		return YK_ENOMEM;
	}
	int per_page = (int)((PAGE_H - 2 * MARGIN - 40) / 15), contents = 1 + (int)(n ? (n - 1) / (size_t)per_page : 0);
	p = pdf_open(to_buf, out, &s);
	if (!p) {
		free(start);
		pdf_close(NULL, s);
		return YK_ENOMEM;
	}
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "yaksok");
	/* the contents: each card's code and title, and its page (a link) */
	block_text(p, title, 15, true, 0, 12);
	for (size_t i = 0; i < n; i++) {
		if (i && i % (size_t)per_page == 0)
			new_page(p);
		char page[16], dest[32];
		snprintf(page, sizeof(page), "%d", contents + start[i]);
		snprintf(dest, sizeof(dest), "page=%d", contents + start[i]);
		font(p, 9, false);
		double w = PAGE_W - 2 * MARGIN;
		cairo_tag_begin(p->cr, CAIRO_TAG_LINK, dest);
		text_at(p, MARGIN, p->y, cards[i]->title ? cards[i]->title : "", w - 40, PANGO_ALIGN_LEFT);
		text_at(p, MARGIN + w - 40, p->y, page, 40, PANGO_ALIGN_RIGHT);
		cairo_tag_end(p->cr, CAIRO_TAG_LINK);
		p->y += 15;
	}
	/* the cards, each an entry of the PDF's outline */
	for (size_t i = 0; i < n; i++) {
		draw_report(p, cards[i]);
		char dest[32];
		snprintf(dest, sizeof(dest), "page=%d", contents + start[i]);
		cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, cards[i]->title ? cards[i]->title : "", dest,
					      CAIRO_PDF_OUTLINE_FLAG_OPEN);
	}
	free(start);
	return pdf_close(p, s);
}
