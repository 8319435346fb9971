/* Exact money and percentages: the document allows at most 2 decimals, so a
 * value is held as an integer number of hundredths. */
#ifndef YK_DECIMAL_H
#define YK_DECIMAL_H

#include <stdint.h>

#include "arena.h"

/* Amounts are below 10^10 units (with 2 decimals, 12 significant digits):
 * a pledge's derived totals add at most 5 sources x (64 periods + prior) of
 * them, which stays within the 15 significant digits a JSON number carries
 * exactly, so a document read back can always be sent again.  City-wide sums
 * are made in SQL numeric and travel as text. */
#define DEC_MAX_CENTS 1000000000000LL

/* 0, or -1 when s is not a plain decimal with at most 2 decimals within
 * DEC_MAX_CENTS. */
int dec_parse(const char *s, int64_t *cents);
/* Canonical text ("31", "62.5", "-0.25") into buf (at least 32 bytes). */
const char *dec_format(int64_t cents, char *buf);
/* num/den as a percentage in hundredths, rounded half up; den > 0. */
int64_t dec_ratio_pct(int64_t num, int64_t den);

#endif
