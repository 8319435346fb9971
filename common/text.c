#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <utf8proc.h>

const char *text_problem(const char *s, size_t len)
{
	static __thread char why[64];
	size_t i = 0;
	while (i < len) {
		if (s[i] == '\0')
			return "contains a NUL byte";
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || cp < 0) {
			snprintf(why, sizeof(why), "invalid UTF-8 at byte %zu", i);
			return why;
		}
		i += (size_t)n;
	}
	return NULL;
}

char *text_nfc(arena_t *a, const char *s, size_t len)
{
	if (text_problem(s, len))
		return NULL;
	/* Pure ASCII is already NFC; skip utf8proc's allocation. */
	size_t i;
	for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == len)
		return arena_strndup(a, s, len);
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0)
		return NULL;
	char *r = arena_strndup(a, (const char *)out, (size_t)n);
	free(out);
	return r;
}

bool text_is_nfc(const char *s)
{
	size_t len = strlen(s);
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	bool same = n >= 0 && (size_t)n == len && memcmp(out, s, len) == 0;
	free(out);
	return same;
}

/* The display width of s[0..len), walking code points; stops before the
 * first one that would take the width past `limit`, and says in *fit how
 * many bytes came before it. */
static size_t walk_width(const char *s, size_t len, size_t limit, size_t *fit)
{
	size_t w = 0, i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		size_t step = n <= 0 ? 1 : (size_t)n, cw = 1;
		if (n > 0) {
			/* utf8proc gives conjoining jamo vowels and finals width 1;
			 * terminals draw them on the preceding initial (width 0). */
			int c = utf8proc_charwidth(cp);
			cw = (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF) || c < 0 ? 0 : (size_t)c;
		}
		if (w + cw > limit)
			break;
		w += cw;
		i += step;
	}
	if (fit)
		*fit = i;
	return w;
}

size_t text_width_n(const char *s, size_t len)
{
	return walk_width(s, len, SIZE_MAX, NULL);
}

size_t text_prefix_fitting(const char *s, size_t width)
{
	size_t fit;
	walk_width(s, strlen(s), width, &fit);
	return fit;
}

size_t text_width(const char *s)
{
	return text_width_n(s, strlen(s));
}

size_t text_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

bool text_is_control(int32_t cp, bool line)
{
	if (cp == '\t' || cp == '\n')
		return line;
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return true;
	/* bidirectional marks, embeddings, overrides and isolates */
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return true;
	/* zero-width space, joiners, word joiner, byte order mark */
	return line && ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff);
}

const char *text_control_problem(const char *s, size_t len, bool line)
{
	static __thread char why[64];
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return NULL;  /* text_problem's to say */
		if (text_is_control(cp, line)) {
			snprintf(why, sizeof(why), "contains the control character U+%04X", (unsigned)cp);
			return why;
		}
		i += (size_t)n;
	}
	return NULL;
}

bool text_is_blank(const char *s)
{
	size_t len = strlen(s), i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return false;
		utf8proc_category_t cat = utf8proc_category(cp);
		if (!(cat == UTF8PROC_CATEGORY_ZS || cp == '\t' || cp == '\n' || cp == '\r'))
			return false;
		i += (size_t)n;
	}
	return true;
}

const char *text_printable(arena_t *a, const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s);
	if (!text_problem(s, len) && !text_control_problem(s, len, false))
		return s;
	char *out = arena_alloc(a, len * 3 + 1), *o = out;
	if (!out)
		return NULL;
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || text_is_control(cp, false)) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			i += n <= 0 ? 1 : (size_t)n;
			continue;
		}
		memcpy(o, s + i, (size_t)n);
		o += n;
		i += (size_t)n;
	}
	*o = '\0';
	return out;
}

static const char *check(const char *s, size_t max, bool line)
{
	if (!s || !*s)
		return "is required";
	size_t n = strlen(s);
	if (n > max)
		return "is too long";
	const char *why = text_problem(s, n);
	return why ? why : text_control_problem(s, n, line);
}

const char *text_check_field(const char *s, size_t max)
{
	return check(s, max, false);
}

const char *text_check_name(const char *s, size_t max)
{
	return check(s, max, true);
}
