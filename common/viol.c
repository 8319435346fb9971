#include "viol.h"

#include <stdarg.h>

void viol_init(viol_list_t *v, arena_t *a)
{
	v->arena = a;
	v->items = NULL;
	v->n = v->cap = 0;
	v->oom = 0;
}

void viol_add(viol_list_t *v, const char *path, const char *fmt, ...)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		viol_t *p = arena_grow(v->arena, v->items, v->n * sizeof(*p), cap * sizeof(*p));
		if (!p) {
			v->oom = 1;
			return;
		}
		v->items = p;
		v->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *problem = arena_vprintf(v->arena, fmt, ap);
	va_end(ap);
	char *p = arena_strdup(v->arena, path ? path : "");
	if (!problem || !p) {
		v->oom = 1;
		return;
	}
	v->items[v->n].path = p;
	v->items[v->n].problem = problem;
	v->n++;
}

const char *path_key(arena_t *a, const char *base, const char *key)
{
	if (!base || !*base)
		return arena_strdup(a, key);
	return arena_printf(a, "%s.%s", base, key);
}

const char *path_index(arena_t *a, const char *base, size_t i)
{
	return arena_printf(a, "%s[%zu]", base ? base : "", i);
}
