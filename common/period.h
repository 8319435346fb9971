/* Calendar values of the pledge document: dates (YYYY-MM-DD), months
 * (YYYY-MM) and periods (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM+), as day numbers
 * so they can be compared.  Pure functions, no allocation. */
#ifndef YK_PERIOD_H
#define YK_PERIOD_H

#include <stdbool.h>
#include <stdint.h>

#define PERIOD_OPEN INT32_MAX
/* The first year a date, month or period may name: four digits, and no year
 * 0 (which PostgreSQL's dates cannot hold: one such month would break every
 * city-wide view). */
#define PERIOD_YEAR_MIN 1000

typedef enum { PERIOD_YEAR, PERIOD_HALF, PERIOD_QUARTER, PERIOD_FROM_MONTH } period_kind_t;

typedef struct {
	period_kind_t kind;
	int year;
	int n;          /* half 1-2, quarter 1-4, month 1-12 */
	int32_t first;  /* first day (days since 1970-01-01) */
	int32_t last;   /* last day, or PERIOD_OPEN */
} period_t;

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int32_t day_from_civil(int y, int m, int d);
void civil_from_day(int32_t day, int *y, int *m, int *d);

/* 0, or -1 when s is not of that form, not a real date/month, or its year
 * is outside PERIOD_YEAR_MIN..9999. */
int date_parse(const char *s, int32_t *day);
int month_parse(const char *s, int *year, int *month);
/* A month (first day in *first, last in *last) or a date (both the same). */
int month_or_date_parse(const char *s, int32_t *first, int32_t *last);
int period_parse(const char *s, period_t *p);

/* Today's date in the local time zone. */
int32_t day_today(void);

#endif
