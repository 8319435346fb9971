#include "table.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "buf.h"
#include "csv.h"
#include "doc.h"
#include "doc_io.h"
#include "text.h"

void table_init(table_t *t, arena_t *a, const table_col_t *cols, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->arena = a;
	t->cols = cols;
	t->ncols = ncols;
}

int table_add(table_t *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		const char ***rows = arena_grow(t->arena, t->rows, t->nrows * sizeof(*rows), cap * sizeof(*rows));
		if (!rows)
			return -1;
		t->rows = rows;
		t->cap = cap;
	}
	const char **row = arena_alloc(t->arena, t->ncols * sizeof(*row));
	if (!row)
		return -1;
	for (size_t i = 0; i < t->ncols; i++)
		row[i] = cells[i] ? arena_strdup(t->arena, cells[i]) : "";
	t->rows[t->nrows++] = row;
	return 0;
}

static bool wide;

void table_set_wide(bool all)
{
	wide = all;
}

/* The terminal's width when out is one (and --wide was not given), else 0:
 * piped, a table is printed whole. */
static size_t terminal_width(FILE *out)
{
	/* stdout is a filtered stream (safeout.c) without a descriptor of its own */
	int fd = out == stdout ? STDOUT_FILENO : fileno(out);
	if (wide || fd < 0 || !isatty(fd))
		return 0;
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *cols = getenv("COLUMNS");
	return cols && atoi(cols) > 0 ? (size_t)atoi(cols) : 80;
}

/* s cut to `max` columns, its end marked with … */
static const char *cut(arena_t *a, const char *s, size_t max)
{
	if (text_width(s) <= max)
		return s;
	size_t keep = text_prefix_fitting(s, max > 1 ? max - 1 : 0);
	const char *c = arena_printf(a, "%.*s…", (int)keep, s);
	return c ? c : s;
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

static void print_table(const table_t *t, FILE *out)
{
	size_t width[32] = { 0 };
	size_t nc = t->ncols < 32 ? t->ncols : 32;
	for (size_t c = 0; c < nc; c++) {
		width[c] = text_width(t->cols[c].header);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = text_width(t->rows[r][c]);
			if (w > width[c])
				width[c] = w;
		}
	}
	/* On a terminal, the widest columns of prose give way (cut with …)
	 * until the table fits.  Prose: a column with a space or a non-ASCII
	 * character in it (titles, names, reasons); codes, statuses, dates and
	 * numbers are never cut. */
	size_t term = terminal_width(out), total = 0;
	bool prose[32] = { false };
	for (size_t c = 0; c < nc; c++) {
		total += width[c] + (c + 1 < nc ? 2 : 0);
		for (size_t r = 0; r < t->nrows && !t->cols[c].numeric && !prose[c]; r++)
			for (const unsigned char *p = (const unsigned char *)t->rows[r][c]; *p && !prose[c]; p++)
				prose[c] = *p == ' ' || *p >= 0x80;
	}
	while (term && total > term) {
		size_t widest = nc;
		for (size_t c = 0; c < nc; c++)
			if (prose[c] && width[c] > 8 && (widest == nc || width[c] > width[widest]))
				widest = c;
		if (widest == nc)
			break; /* nothing left to cut: it wraps */
		width[widest]--;
		total--;
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t c = 0; c < nc; c++) {
			const char *s = r == 0 ? t->cols[c].header : t->rows[r - 1][c];
			s = cut(t->arena, s, width[c]);
			size_t w = text_width(s);
			bool last = c + 1 == nc;
			if (t->cols[c].numeric && r > 0) {
				pad(out, width[c] - w);
				fputs(s, out);
			} else {
				fputs(s, out);
				if (!last)
					pad(out, width[c] - w);
			}
			if (!last)
				fputs("  ", out);
		}
		fputc('\n', out);
	}
}

static void print_csv(const table_t *t, FILE *out)
{
	buf_t line = BUF_INIT;
	for (size_t r = 0; r <= t->nrows; r++) {
		buf_reset(&line);
		int rc = 0;
		for (size_t c = 0; c < t->ncols; c++)
			rc |= (c && buf_putc(&line, ',')) || csv_cell(&line, r == 0 ? t->cols[c].header : t->rows[r - 1][c]);
		rc |= buf_puts(&line, "\r\n");
		if (rc) {
			fputs("yaksok: out of memory\n", stderr);
			break;
		}
		fwrite(line.data, 1, line.len, out);
	}
	buf_free(&line);
}

static int print_json(const table_t *t, FILE *out)
{
	doc_node_t *seq = doc_new(t->arena, DOC_SEQ);
	if (!seq)
		return -1;
	for (size_t r = 0; r < t->nrows; r++) {
		doc_node_t *obj = doc_new(t->arena, DOC_MAP);
		if (!obj || doc_push(t->arena, seq, obj))
			return -1;
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = t->rows[r][c];
			doc_node_t *v;
			char *num = t->cols[c].numeric && *s ? doc_num_canon(t->arena, s, strlen(s)) : NULL;
			if (t->cols[c].boolean && (!strcmp(s, "true") || !strcmp(s, "false")))
				v = doc_bool(t->arena, !strcmp(s, "true"));
			else if (num)
				v = doc_num(t->arena, num);
			else if (!*s)
				v = doc_new(t->arena, DOC_NULL);
			else
				v = doc_str(t->arena, s, strlen(s));
			if (doc_set(t->arena, obj, t->cols[c].key, v))
				return -1;
		}
	}
	buf_t b = BUF_INIT;
	int rc = doc_write_json(&b, seq, 2);
	if (!rc)
		fputs(b.data, out);
	buf_free(&b);
	return rc;
}

int table_print(const table_t *t, FILE *out, const char *format)
{
	if (!strcmp(format, "csv"))
		print_csv(t, out);
	else if (!strcmp(format, "json"))
		return print_json(t, out);
	else
		print_table(t, out);
	return 0;
}
