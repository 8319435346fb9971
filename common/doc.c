#include "doc.h"

#include <ctype.h>
#include <string.h>

doc_node_t *doc_new(arena_t *a, doc_type_t t)
{
	doc_node_t *n = arena_calloc(a, sizeof(*n));
	if (n)
		n->type = t;
	return n;
}

doc_node_t *doc_str(arena_t *a, const char *s, size_t len)
{
	doc_node_t *n = doc_new(a, DOC_STR);
	if (!n)
		return NULL;
	n->s = arena_strndup(a, s, len);
	n->len = len;
	return n->s ? n : NULL;
}

doc_node_t *doc_num(arena_t *a, const char *canonical)
{
	doc_node_t *n = doc_new(a, DOC_NUM);
	if (!n)
		return NULL;
	n->s = arena_strdup(a, canonical);
	n->len = n->s ? strlen(n->s) : 0;
	return n->s ? n : NULL;
}

doc_node_t *doc_bool(arena_t *a, bool b)
{
	doc_node_t *n = doc_new(a, DOC_BOOL);
	if (n)
		n->b = b;
	return n;
}

static int grow(arena_t *a, doc_node_t *n, bool with_keys)
{
	if (n->n < n->cap)
		return 0;
	size_t cap = n->cap ? n->cap * 2 : 4;
	doc_node_t **items = arena_grow(a, n->items, n->n * sizeof(*items), cap * sizeof(*items));
	if (!items)
		return YK_ENOMEM;
	n->items = items;
	if (with_keys) {
		const char **keys = arena_grow(a, n->keys, n->n * sizeof(*keys), cap * sizeof(*keys));
		if (!keys)
			return YK_ENOMEM;
		n->keys = keys;
	}
	n->cap = cap;
	return 0;
}

int doc_push(arena_t *a, doc_node_t *seq, doc_node_t *item)
{
	if (!item || grow(a, seq, false))
		return YK_ENOMEM;
	seq->items[seq->n++] = item;
	return 0;
}

int doc_set(arena_t *a, doc_node_t *map, const char *key, doc_node_t *val)
{
	if (!val || grow(a, map, true))
		return YK_ENOMEM;
	const char *k = arena_strdup(a, key);
	if (!k)
		return YK_ENOMEM;
	map->keys[map->n] = k;
	map->items[map->n++] = val;
	return 0;
}

doc_node_t *doc_copy(arena_t *a, const doc_node_t *n, const char *const *keys)
{
	if (!n)
		return NULL;
	doc_node_t *c = doc_new(a, n->type);
	if (!c)
		return NULL;
	c->line = n->line;
	c->b = n->b;
	if (n->s && !(c->s = arena_strndup(a, n->s, n->len)))
		return NULL;
	c->len = n->len;
	for (size_t i = 0; i < n->n; i++) {
		if (n->type == DOC_MAP && keys) {
			bool kept = false;
			for (size_t k = 0; keys[k] && !kept; k++)
				kept = !strcmp(keys[k], n->keys[i]);
			if (!kept)
				continue;
		}
		doc_node_t *item = doc_copy(a, n->items[i], NULL);
		if (n->type == DOC_MAP ? doc_set(a, c, n->keys[i], item) : doc_push(a, c, item))
			return NULL;
	}
	return c;
}

const doc_node_t *doc_get(const doc_node_t *map, const char *key)
{
	if (!map || map->type != DOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i], key) == 0)
			return map->items[i];
	return NULL;
}

const doc_node_t *doc_field(const doc_node_t *map, const char *key)
{
	return map && map->type == DOC_MAP ? doc_get(map, key) : NULL;
}

const char *doc_text(const doc_node_t *map, const char *key)
{
	const doc_node_t *n = doc_field(map, key);
	return n && (n->type == DOC_STR || n->type == DOC_NUM) ? n->s : NULL;
}

size_t doc_count(const doc_node_t *n)
{
	return n && (n->type == DOC_SEQ || n->type == DOC_MAP) ? n->n : 0;
}

doc_node_t *doc_child(arena_t *a, doc_node_t *map, const char *key, doc_type_t type)
{
	if (!map || map->type != DOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key)) {
			if (map->items[i]->type != type) {
				doc_node_t *n = doc_new(a, type);
				if (n)
					map->items[i] = n;
			}
			return map->items[i];
		}
	doc_node_t *n = doc_new(a, type);
	return n && doc_set(a, map, key, n) == 0 ? n : NULL;
}

bool doc_del(doc_node_t *map, const char *key)
{
	if (!map || map->type != DOC_MAP)
		return false;
	for (size_t i = 0; i < map->n; i++) {
		if (strcmp(map->keys[i], key) == 0) {
			memmove(map->keys + i, map->keys + i + 1, (map->n - i - 1) * sizeof(*map->keys));
			memmove(map->items + i, map->items + i + 1, (map->n - i - 1) * sizeof(*map->items));
			map->n--;
			return true;
		}
	}
	return false;
}

#define NUM_MAX_DIGITS 64

char *doc_num_canon(arena_t *a, const char *lex, size_t len)
{
	size_t i = 0;
	bool neg = false;
	if (i < len && (lex[i] == '+' || lex[i] == '-'))
		neg = lex[i++] == '-';
	char digits[NUM_MAX_DIGITS + 1];
	size_t nd = 0;
	long point = -1; /* digits before the decimal point */
	bool any = false;
	for (; i < len; i++) {
		char c = lex[i];
		if (isdigit((unsigned char)c)) {
			any = true;
			if (nd == 0 && c == '0' && point < 0)
				continue; /* leading zero of the integer part */
			if (nd >= NUM_MAX_DIGITS)
				return NULL;
			digits[nd++] = c;
		} else if (c == '.' && point < 0) {
			point = (long)nd;
		} else {
			break;
		}
	}
	if (!any)
		return NULL;
	if (point < 0)
		point = (long)nd;
	long exp = 0;
	if (i < len && (lex[i] == 'e' || lex[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < len && (lex[i] == '+' || lex[i] == '-'))
			eneg = lex[i++] == '-';
		if (i >= len || !isdigit((unsigned char)lex[i]))
			return NULL;
		for (; i < len && isdigit((unsigned char)lex[i]); i++) {
			exp = exp * 10 + (lex[i] - '0');
			if (exp > 100)
				return NULL;
		}
		if (eneg)
			exp = -exp;
	}
	if (i != len)
		return NULL;
	point += exp;
	/* Leading zeros after the point were kept in digits; strip trailing
	 * zeros of the fraction and leading zeros of the whole. */
	size_t start = 0;
	while (start < nd && digits[start] == '0' && (long)start < point)
		start++;
	while (nd > start && digits[nd - 1] == '0' && (long)nd > point)
		nd--;
	if (start == nd)
		return arena_strdup(a, "0");
	/* The canonical text must read back as itself: no more digits before or
	 * after its point than a number may have (1e-100 would be a hundred). */
	if (point > NUM_MAX_DIGITS || (long)nd - point > NUM_MAX_DIGITS)
		return NULL;
	char out[NUM_MAX_DIGITS * 2 + 210];
	size_t o = 0;
	if (neg)
		out[o++] = '-';
	if (point <= (long)start) {
		out[o++] = '0';
		out[o++] = '.';
		for (long z = point; z < (long)start; z++)
			out[o++] = '0';
		for (size_t k = start; k < nd; k++)
			out[o++] = digits[k];
	} else {
		for (long k = (long)start; k < point; k++)
			out[o++] = k < (long)nd ? digits[k] : '0';
		if ((long)nd > point) {
			out[o++] = '.';
			for (size_t k = (size_t)point; k < nd; k++)
				out[o++] = digits[k];
		}
	}
	return arena_strndup(a, out, o);
}

bool doc_num_fits(const char *canon)
{
	const char *p = canon + (*canon == '-');
	size_t whole = strcspn(p, ".");
	if (whole > DOC_NUM_DIGITS)
		return false;
	size_t sig = 0;
	bool started = false;
	for (; *p; p++) {
		if (*p == '.')
			continue;
		started |= *p != '0';
		sig += started;
	}
	return sig <= DOC_NUM_DIGITS;
}

bool doc_is_empty(const doc_node_t *n)
{
	if (!n)
		return true;
	switch (n->type) {
	case DOC_STR: return n->len == 0;
	case DOC_SEQ:
	case DOC_MAP: return n->n == 0;
	default: return false;
	}
}

const char *doc_type_name(doc_type_t t)
{
	switch (t) {
	case DOC_NULL: return "null";
	case DOC_BOOL: return "true/false";
	case DOC_NUM: return "a number";
	case DOC_STR: return "text";
	case DOC_SEQ: return "a list";
	case DOC_MAP: return "a mapping";
	}
	return "?";
}

static bool differ(viol_list_t *v, const char *path, const char *fmt, const char *x, const char *y)
{
	if (v)
		viol_add(v, path, fmt, x, y);
	return false;
}

bool doc_equal(const doc_node_t *a, const doc_node_t *b, const char *path, viol_list_t *v)
{
	arena_t *ar = v ? v->arena : NULL;
	if (doc_is_empty(a) && doc_is_empty(b))
		return true;
	if (!a || !b)
		return differ(v, path, "%s vs %s", a ? doc_type_name(a->type) : "absent",
			      b ? doc_type_name(b->type) : "absent");
	if (a->type != b->type)
		return differ(v, path, "%s vs %s", doc_type_name(a->type), doc_type_name(b->type));
	switch (a->type) {
	case DOC_NULL: return true;
	case DOC_BOOL: return a->b == b->b ? true : differ(v, path, "%s vs %s", a->b ? "true" : "false", b->b ? "true" : "false");
	case DOC_NUM:
	case DOC_STR:
		if (a->len == b->len && memcmp(a->s, b->s, a->len) == 0)
			return true;
		return differ(v, path, "\"%s\" vs \"%s\"", a->s, b->s);
	case DOC_SEQ: {
		bool same = true;
		size_t n = a->n > b->n ? a->n : b->n;
		for (size_t i = 0; i < n; i++) {
			const char *p = ar ? path_index(ar, path, i) : path;
			if (!doc_equal(i < a->n ? a->items[i] : NULL, i < b->n ? b->items[i] : NULL, p, v))
				same = false;
			if (!same && !v)
				return false;
		}
		return same;
	}
	case DOC_MAP: {
		bool same = true;
		for (size_t i = 0; i < a->n; i++) {
			const char *p = ar ? path_key(ar, path, a->keys[i]) : path;
			if (!doc_equal(a->items[i], doc_get(b, a->keys[i]), p, v))
				same = false;
			if (!same && !v)
				return false;
		}
		for (size_t i = 0; i < b->n; i++) {
			if (doc_get(a, b->keys[i]))
				continue;
			const char *p = ar ? path_key(ar, path, b->keys[i]) : path;
			if (!doc_equal(NULL, b->items[i], p, v))
				same = false;
			if (!same && !v)
				return false;
		}
		return same;
	}
	}
	return false;
}

static bool scalar_same(const doc_node_t *x, const doc_node_t *y)
{
	if (x->type != y->type)
		return false;
	if (x->type == DOC_BOOL)
		return x->b == y->b;
	if (x->type == DOC_NULL)
		return true;
	return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

void doc_diff(arena_t *a, const doc_node_t *x, const doc_node_t *y, const char *path, doc_diff_cb cb, void *arg)
{
	if (doc_is_empty(x))
		x = NULL;
	if (doc_is_empty(y))
		y = NULL;
	if (!x && !y)
		return;
	if (!x || !y) {
		cb(arg, path, x, y);
		return;
	}
	if (x->type == DOC_MAP && y->type == DOC_MAP) {
		for (size_t i = 0; i < x->n; i++)
			doc_diff(a, x->items[i], doc_get(y, x->keys[i]), path_key(a, path, x->keys[i]), cb, arg);
		for (size_t i = 0; i < y->n; i++)
			if (!doc_get(x, y->keys[i]))
				doc_diff(a, NULL, y->items[i], path_key(a, path, y->keys[i]), cb, arg);
		return;
	}
	if (x->type == DOC_SEQ && y->type == DOC_SEQ) {
		size_t n = x->n > y->n ? x->n : y->n;
		for (size_t i = 0; i < n; i++)
			doc_diff(a, i < x->n ? x->items[i] : NULL, i < y->n ? y->items[i] : NULL, path_index(a, path, i), cb, arg);
		return;
	}
	if (x->type == DOC_SEQ || x->type == DOC_MAP || y->type == DOC_SEQ || y->type == DOC_MAP || !scalar_same(x, y))
		cb(arg, path, x, y);
}

const char *doc_summary(arena_t *a, const doc_node_t *n, size_t max)
{
	const char *s = NULL;
	if (!n)
		return "";
	switch (n->type) {
	case DOC_NULL: s = "null"; break;
	case DOC_BOOL: s = n->b ? "true" : "false"; break;
	case DOC_NUM: s = n->s; break;
	case DOC_STR: s = arena_printf(a, "\"%s\"", n->s); break;
	case DOC_SEQ: s = arena_printf(a, "[%zu item%s]", n->n, n->n == 1 ? "" : "s"); break;
	case DOC_MAP: {
		static const char *const keys[] = { "title", "text", "name", "indicator", "suggestion", "problem", NULL };
		for (size_t i = 0; keys[i] && !s; i++) {
			const doc_node_t *t = doc_get(n, keys[i]);
			if (t && t->type == DOC_STR)
				s = arena_printf(a, "{%s: \"%s\"}", keys[i], t->s);
		}
		if (!s)
			s = "{…}";
		break;
	}
	}
	if (!s)
		return "";
	/* cut at a character boundary */
	size_t chars = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > max)
			return arena_printf(a, "%.*s…", (int)i, s);
	}
	return s;
}

const char *doc_diff_line(arena_t *a, const char *path, const doc_node_t *old, const doc_node_t *new_)
{
	if (!old)
		return arena_printf(a, "%s: + %s", path, doc_summary(a, new_, 60));
	if (!new_)
		return arena_printf(a, "%s: - %s", path, doc_summary(a, old, 60));
	return arena_printf(a, "%s: %s -> %s", path, doc_summary(a, old, 60), doc_summary(a, new_, 60));
}
