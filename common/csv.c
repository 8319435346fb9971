#include "csv.h"

#include <stdbool.h>
#include <string.h>

/* -?digits(.digits)? : what the exports write as numbers */
static bool is_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	const char *start = s;
	while (*s >= '0' && *s <= '9')
		s++;
	if (s == start)
		return false;
	if (*s == '.') {
		const char *frac = ++s;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s == frac)
			return false;
	}
	return *s == '\0';
}

int csv_cell(buf_t *b, const char *s)
{
	bool formula = *s && strchr("=+-@\t\r", *s) && !is_number(s);
	bool quote = formula || strpbrk(s, ",\"\r\n");
	int rc = 0;
	if (quote)
		rc |= buf_putc(b, '"');
	if (formula)
		rc |= buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			rc |= buf_putc(b, '"');
		rc |= buf_putc(b, *s);
	}
	if (quote)
		rc |= buf_putc(b, '"');
	return rc ? -1 : 0;
}
