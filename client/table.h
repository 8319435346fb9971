/* Rows of text printed as an aligned terminal table (columns measured in
 * display width, Hangul counting 2), CSV (RFC 4180, CRLF) or JSON. */
#ifndef YK_TABLE_H
#define YK_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "arena.h"

typedef struct {
	const char *key;      /* JSON key */
	const char *header;   /* table and CSV header */
	bool numeric;         /* right-aligned; a number in JSON */
	bool boolean;         /* "true"/"false" cells: a JSON boolean */
} table_col_t;

typedef struct {
	arena_t *arena;
	const table_col_t *cols;
	size_t ncols;
	const char ***rows;
	size_t nrows, cap;
} table_t;

void table_init(table_t *t, arena_t *a, const table_col_t *cols, size_t ncols);
/* cells: ncols strings (NULL = empty), copied. */
int table_add(table_t *t, const char *const *cells);
/* --wide: print tables whole on a terminal too (else the widest text columns
 * are cut with … to fit its width; piped output is always whole). */
void table_set_wide(bool all);
/* format: "table", "csv" or "json". */
int table_print(const table_t *t, FILE *out, const char *format);

#endif
