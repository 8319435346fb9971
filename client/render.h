/* A report as blocks (headings, paragraphs, bullet lists, tables with
 * multi-row headers and column spans), and three ways to print it: a terminal
 * (columns aligned by display width, Hangul counting 2), Markdown, and one
 * self-contained printable HTML page.  Everything lives in the arena. */
#ifndef YK_RENDER_H
#define YK_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"

typedef enum { BLK_HEADING, BLK_PARA, BLK_LIST, BLK_TABLE } blk_kind_t;

typedef struct {
	const char *text;     /* may hold '\n' for lines within a cell */
	int span;             /* columns covered, >= 1 */
	bool num;             /* right-aligned */
	bool group;           /* a header over columns that have their own labels */
	int down;             /* rows covered, >= 1 (HTML rowspan; the PDF's borders) */
	bool covered;         /* under a cell above whose `down` reaches it: blank */
} cell_t;

typedef struct {
	cell_t *cells;
	size_t n, cap;
} row_t;

typedef struct {
	int level;            /* 0 = top */
	const char *text;
} li_t;

typedef struct blk blk_t;
struct blk {
	blk_kind_t kind;
	int level;            /* heading level 1-3 */
	const char *text;     /* heading or paragraph */
	li_t *items;
	size_t nitems, capitems;
	row_t *rows;
	size_t nrows, caprows;
	size_t header_rows;
	blk_t *next;
};

typedef struct {
	arena_t *a;
	const char *title;
	blk_t *head, *tail;
	bool oom;
} report_t;

void report_init(report_t *r, arena_t *a, const char *title);
void report_heading(report_t *r, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void report_para(report_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A paragraph put before everything else (a note on what is shown). */
void report_para_first(report_t *r, const char *text);
blk_t *report_list(report_t *r);
void list_item(report_t *r, blk_t *list, int level, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
blk_t *report_table(report_t *r, size_t header_rows);
row_t *table_row(report_t *r, blk_t *table);
void row_cell(report_t *r, row_t *row, const char *text, int span, bool num);
/* A header cell that only groups the columns under it: Markdown, which has
 * one header row, leaves it out. */
void row_group(report_t *r, row_t *row, const char *text, int span);
/* The cell starting at column `col` of row `row` covers `rows` rows: the
 * cells starting at that column in the rows below must be blank, and become
 * part of it (text and Markdown print them blank, HTML merges them).  False,
 * merging nothing, when a cell below has text or the rows do not line up. */
bool table_merge_down(blk_t *t, size_t row, size_t col, size_t rows);
/* In rows [from, to): each cell of column `col` with text takes in the blank
 * cells under it, as the card merges 당초 or 담당부서 over its rows. */
void table_merge_blanks(blk_t *t, size_t col, size_t from, size_t to);

int render_text(const report_t *r, buf_t *out);
int render_markdown(const report_t *r, buf_t *out);
int render_html(const report_t *r, buf_t *out);
/* The report's elements only, from its <h1> on, for a page of one's own. */
int render_html_body(const report_t *r, buf_t *out);

/* For other HTML pages (the dashboard): text made safe for HTML, and the
 * report's stylesheet. */
int html_escape(buf_t *o, const char *s);
/* Text made safe for XML (Atom, sitemaps): controls become spaces. */
int xml_escape(buf_t *o, const char *s);
/* A table in a box that scrolls sideways on a narrow screen, named by
 * `label` for a screen reader; close it with html_table_close. */
int html_table_open(buf_t *o, const char *label);
int html_table_close(buf_t *o);
extern const char html_style[];

#endif
