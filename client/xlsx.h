/* The workbook of yaksok export --format xlsx, written a page of pledges at
 * a time in libxlsxwriter's constant-memory mode, so that its memory does
 * not grow with the city.  Two passes over the same pledges: the first
 * (xlsx_scan) finds the budget periods that make the 예산 sheet's columns and
 * the day the record speaks of; the second (xlsx_rows) writes the rows.
 *
 *   xlsx_t *x = xlsx_new(arena);
 *   xlsx_scan(x, page...) for every page;  xlsx_open(x, path, stats);
 *   xlsx_rows(x, page...) for every page;  xlsx_close(x);
 *
 * Each returns 0, or -1 after saying why on stderr; xlsx_close must be
 * called once xlsx_open was, whatever happened in between. */
#ifndef YK_XLSX_H
#define YK_XLSX_H

#include <stddef.h>

#include "arena.h"
#include "doc.h"
#include "yaksok.pb-c.h"

typedef struct xlsx xlsx_t;

xlsx_t *xlsx_new(arena_t *a);
int xlsx_scan(xlsx_t *x, doc_node_t *const *docs, size_t n);
int xlsx_open(xlsx_t *x, const char *path, const Yk__StatsReply *stats);
/* A pledge with a budget period the scan did not see (the record changed
 * between the passes) fails it: nothing is left out silently. */
int xlsx_rows(xlsx_t *x, doc_node_t *const *docs, size_t n);
int xlsx_close(xlsx_t *x);
/* The workbook at `path` with its numbers written exactly (95.32, not
 * 95.31999999999999): client/xlsx_exact.c.  xlsx_close calls it. */
int xlsx_exact(const char *path);

#endif
