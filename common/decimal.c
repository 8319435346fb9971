#include "decimal.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int dec_parse(const char *s, int64_t *cents)
{
	bool neg = false;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!isdigit((unsigned char)*s))
		return -1;
	int64_t v = 0;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (*s - '0');
		if (v >= DEC_MAX_CENTS / 100)
			return -1;
	}
	v *= 100;
	if (*s == '.') {
		s++;
		int k = 0;
		for (; isdigit((unsigned char)*s); s++, k++) {
			if (k >= 2)
				return -1;
			v += (*s - '0') * (k == 0 ? 10 : 1);
		}
		if (k == 0)
			return -1;
	}
	if (*s)
		return -1;
	*cents = neg ? -v : v;
	return 0;
}

const char *dec_format(int64_t cents, char *buf)
{
	bool neg = cents < 0;
	uint64_t a = neg ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	uint64_t whole = a / 100, frac = a % 100;
	if (frac == 0)
		snprintf(buf, 32, "%s%llu", neg ? "-" : "", (unsigned long long)whole);
	else if (frac % 10 == 0)
		snprintf(buf, 32, "%s%llu.%llu", neg ? "-" : "", (unsigned long long)whole, (unsigned long long)frac / 10);
	else
		snprintf(buf, 32, "%s%llu.%02llu", neg ? "-" : "", (unsigned long long)whole, (unsigned long long)frac);
	return buf;
}

int64_t dec_ratio_pct(int64_t num, int64_t den)
{
	/* percentage in hundredths = num / den * 100 * 100 */
	__int128 n = (__int128)num * 10000 * 2 + den;
	return (int64_t)(n / ((__int128)den * 2));
}
