/* The importer's parts, shared by the files of client/import/: one parser state (imp_t)
 * over the card's lines, and the readers each part gives the others.  The
 * command is client/import/import.c (cmd_import). */
#ifndef YK_IMPORT_H
#define YK_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "doc.h"

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
	const char *title_line, *code, *area, *parent; /* from our own rendering's first lines (untable.c) */
	bool span5;               /* section 5's heading gave the card's period */
	size_t *origin;           /* each line's number in the file, when lines were joined */
	size_t warnings;          /* lines reported, the totals that differ among them */
	size_t total_problems;
	bool accept_totals;       /* a printed total that differs is a note, not a problem */
	/* the totals the card prints, checked against the derived ones once the
	 * document is whole (figures.c, imp_check_derived) */
	struct imp_printed {
		const char *source;       /* a source key, "all" for 계, "year" for section 1 */
		const char *label;        /* as the card names it */
		const char *text;         /* as printed */
		int year;                 /* section 1's (2021년) */
		size_t line;
	} printed[8];
	size_t nprinted;
	const char **known;       /* labels read as vocabulary (시군구비 is city): accounted for */
	size_t nknown, capknown;
	FILE *err;
} imp_t;

/* An item of a bulleted list, with its sub-items. */
typedef struct bullet bullet_t;
struct bullet {
	const char *text;
	bullet_t **kids;
	size_t n;
};

/* lex.c: text helpers, dates, bullets and periods as the cards write them */
char *imp_trim(char *s);
bool imp_starts(const char *s, const char *prefix);
size_t imp_split_tabs(imp_t *im, const char *line, char **cells);
void imp_warn(imp_t *im, size_t line, const char *fmt, const char *what);
doc_node_t *imp_str(imp_t *im, const char *s);
void imp_set(imp_t *im, doc_node_t *m, const char *k, doc_node_t *v);
doc_node_t *imp_number(imp_t *im, const char *s);
bool imp_digits(const char **p, int *v);
void imp_skip_spaces(const char **p);
bool imp_read_date(const char **p, int *y_out, int *m, int *d, bool *has_day);
const char *imp_iso(imp_t *im, int y, int m, int d, bool has_day);
const char *imp_strip_mark(const char *s);
bullet_t *imp_new_bullet(imp_t *im, const char *text);
void imp_add_kid(bullet_t *p, bullet_t *k);
void imp_parse_html_list(imp_t *im, const char *s, bullet_t *root);
void imp_parse_plain_bullets(imp_t *im, const char *s, bullet_t *root);
doc_node_t *imp_item_of(imp_t *im, const bullet_t *b, bool sub_allowed);
const char *imp_strip_tags(imp_t *im, const char *s);
const char *imp_period_of(imp_t *im, const char *label, const char *sub);

/* sections.c: finding the sections and the header rows */
bool imp_blank(const char *s);
const char *imp_heading(imp_t *im, const char *line);
int imp_section_of(imp_t *im, const char *line);
void imp_use(imp_t *im);
char *imp_next_line(imp_t *im, size_t end);
void imp_header_rows(imp_t *im);

/* figures.c: the tables with numbers (overview, budget, indicators) */
void imp_overview(imp_t *im, size_t end);
void imp_budget(imp_t *im, size_t end);
void imp_indicators(imp_t *im, size_t end);
/* The printed 소요예산 (per source, 계, section 1's year) against the figures
 * derived from the document; each difference reported with its line. */
void imp_check_derived(imp_t *im, doc_node_t *doc);

/* narrative.c: the text sections (progress, changes, evaluations, problems, plans, officials) */
/* The span in a section's heading, "(2018. 7. ~ 2021. 3. 31.)": section 4's
 * is its narrative's, section 5's the card's own period. */
void imp_span_of(imp_t *im, const char *h, int section);
void imp_progress(imp_t *im, size_t end);
void imp_read_changes(imp_t *im, size_t end);
void imp_evaluations(imp_t *im, const char *h, size_t end);
void imp_problems(imp_t *im, size_t end);
void imp_plans(imp_t *im, size_t end);
void imp_officials(imp_t *im);

/* untable.c: our own text rendering's tables as the card's tab rows */
void imp_untable(imp_t *im);
/* A line's number in the file (1-based). */
size_t imp_line_no(const imp_t *im, size_t i);

/* account.c: every word of every line read is in the document; the number
 * of lines that lost one (each reported) */
size_t imp_account(imp_t *im, const doc_node_t *doc);
/* A label the reader turned into a code (a funding source, a status word):
 * its words count as kept. */
void imp_known(imp_t *im, const char *label);

#endif
