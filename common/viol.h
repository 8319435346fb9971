/* A list of field violations: (path, problem) pairs collected while a document
 * is converted or validated, so that every problem is reported at once.
 * Entries live in the arena given to viol_init(). */
#ifndef YK_VIOL_H
#define YK_VIOL_H

#include <stddef.h>

#include "arena.h"

typedef struct {
	const char *path;
	const char *problem;
} viol_t;

typedef struct {
	arena_t *arena;
	viol_t *items;
	size_t n, cap;
	int oom;   /* set when an entry could not be recorded */
} viol_list_t;

void viol_init(viol_list_t *v, arena_t *a);
void viol_add(viol_list_t *v, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Child paths: "a" + "b" -> "a.b"; "a" + [3] -> "a[3]"; "" + "b" -> "b". */
const char *path_key(arena_t *a, const char *base, const char *key);
const char *path_index(arena_t *a, const char *base, size_t i);

#endif
