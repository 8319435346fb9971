#include "period.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil. */
int32_t day_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_day(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Reads exactly n digits. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* A year of four digits that PostgreSQL's dates hold (it has no year 0):
 * PERIOD_YEAR_MIN to 9999. */
static bool year4(const char *s, int *y)
{
	return digits(s, 4, y) && *y >= PERIOD_YEAR_MIN;
}

int month_parse(const char *s, int *year, int *month)
{
	int y, m;
	if (strlen(s) != 7 || !year4(s, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || m < 1 || m > 12)
		return -1;
	*year = y;
	*month = m;
	return 0;
}

int date_parse(const char *s, int32_t *day)
{
	int y, m, d;
	if (strlen(s) != 10 || !year4(s, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*day = day_from_civil(y, m, d);
	return 0;
}

int month_or_date_parse(const char *s, int32_t *first, int32_t *last)
{
	int y, m;
	if (month_parse(s, &y, &m) == 0) {
		*first = day_from_civil(y, m, 1);
		*last = day_from_civil(y, m, days_in_month(y, m));
		return 0;
	}
	if (date_parse(s, first) == 0) {
		*last = *first;
		return 0;
	}
	return -1;
}

int period_parse(const char *s, period_t *p)
{
	size_t len = strlen(s);
	int y, n;
	if (len < 4 || !year4(s, &y))
		return -1;
	p->year = y;
	if (len == 4) {
		p->kind = PERIOD_YEAR;
		p->n = 0;
		p->first = day_from_civil(y, 1, 1);
		p->last = day_from_civil(y, 12, 31);
		return 0;
	}
	if (len == 7 && s[4] == '-' && (s[5] == 'H' || s[5] == 'Q') && digits(s + 6, 1, &n)) {
		int months = s[5] == 'H' ? 6 : 3;
		if (n < 1 || n > 12 / months)
			return -1;
		p->kind = s[5] == 'H' ? PERIOD_HALF : PERIOD_QUARTER;
		p->n = n;
		int m0 = (n - 1) * months + 1, m1 = n * months;
		p->first = day_from_civil(y, m0, 1);
		p->last = day_from_civil(y, m1, days_in_month(y, m1));
		return 0;
	}
	if (len == 8 && s[4] == '-' && digits(s + 5, 2, &n) && s[7] == '+' && n >= 1 && n <= 12) {
		p->kind = PERIOD_FROM_MONTH;
		p->n = n;
		p->first = day_from_civil(y, n, 1);
		p->last = PERIOD_OPEN;
		return 0;
	}
	return -1;
}

int32_t day_today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return day_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
