/* A bump allocator with a byte cap.  One arena backs one request: the unpacked
 * protobuf message, the document tree and the response all live in it, and the
 * whole arena is dropped when the response has been written.  Nothing allocated
 * from an arena is freed on its own. */
#ifndef YK_ARENA_H
#define YK_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

typedef struct arena arena_t;

/* cap: the most bytes the arena will hand out (0 = no cap). */
arena_t *arena_new(size_t cap);
void arena_free(arena_t *a);

/* NULL when the cap is reached or malloc fails. */
void *arena_alloc(arena_t *a, size_t n);
void *arena_calloc(arena_t *a, size_t n);
char *arena_strdup(arena_t *a, const char *s);
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena_t *a, const char *fmt, va_list ap);
/* Grow an array allocated from the arena (old contents are copied). */
void *arena_grow(arena_t *a, void *old, size_t old_n, size_t new_n);

size_t arena_used(const arena_t *a);
/* True once an allocation has been refused for the cap. */
bool arena_capped(const arena_t *a);
/* Raise or lower the cap (0 = none) for what is still to come. */
void arena_set_cap(arena_t *a, size_t cap);

/* A protobuf-c allocator that draws from the arena; its free is a no-op. */
ProtobufCAllocator arena_pb_allocator(arena_t *a);

#endif
