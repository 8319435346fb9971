#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 8192
/* Chunks double up to this: a request that builds a whole document takes
 * a few hundred kilobytes, and eight-kilobyte steps made malloc a tenth of
 * the daemon's time.  Below glibc's mmap threshold, so freeing is cheap. */
#define ARENA_CHUNK_MAX (64 * 1024)
#define ARENA_ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
	size_t cap;
	size_t used;
	bool capped;  /* an allocation was refused for the cap */
};

arena_t *arena_new(size_t cap)
{
	arena_t *a = calloc(1, sizeof(*a));
	if (a)
		a->cap = cap;
	return a;
}

void arena_free(arena_t *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

void *arena_alloc(arena_t *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (a->cap && (n > a->cap || a->used > a->cap - n)) {
		a->capped = true;
		return NULL;
	}
	struct chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t step = c ? c->size * 2 : ARENA_CHUNK;
		if (step > ARENA_CHUNK_MAX)
			step = ARENA_CHUNK_MAX;
		size_t size = n > step ? n : step;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		/* A big one-off block goes behind the current chunk so the
		 * current chunk's free tail is still used. */
		if (a->head && size == n) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	a->used += n;
	return p;
}

void *arena_calloc(arena_t *a, size_t n)
{
	void *p = arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena_t *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(arena_t *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(arena_t *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void *arena_grow(arena_t *a, void *old, size_t old_n, size_t new_n)
{
	void *p = arena_alloc(a, new_n);
	if (p && old && old_n)
		memcpy(p, old, old_n < new_n ? old_n : new_n);
	return p;
}

size_t arena_used(const arena_t *a)
{
	return a->used;
}

void arena_set_cap(arena_t *a, size_t cap)
{
	a->cap = cap;
}

static void *pb_alloc(void *data, size_t size)
{
	return arena_alloc(data, size);
}

static void pb_free(void *data, void *ptr)
{
	(void)data;
	(void)ptr;
}

ProtobufCAllocator arena_pb_allocator(arena_t *a)
{
	ProtobufCAllocator al = { .alloc = pb_alloc, .free = pb_free, .allocator_data = a };
	return al;
}

bool arena_capped(const arena_t *a)
{
	return a->capped;
}
