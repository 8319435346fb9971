/* Exact money and percentages: the document allows at most 2 decimals, so a
 * value is held as an integer number of hundredths. */
#ifndef YK_DECIMAL_H
#define YK_DECIMAL_H

#include <stdint.h>

#include "arena.h"

/* Largest magnitude accepted: 10^15 units. */
#define DEC_MAX_CENTS 100000000000000000LL

/* 0, or -1 when s is not a plain decimal with at most 2 decimals within
 * DEC_MAX_CENTS. */
int dec_parse(const char *s, int64_t *cents);
/* Canonical text ("31", "62.5", "-0.25") into buf (at least 32 bytes). */
const char *dec_format(int64_t cents, char *buf);
/* num/den as a percentage in hundredths, rounded half up; den > 0. */
int64_t dec_ratio_pct(int64_t num, int64_t den);

#endif
