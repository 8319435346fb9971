/* A table of entries keyed by string, kept in insertion order so that the
 * oldest can go first when a cache is full.  The read cache (pcache.c) and
 * the session cache (session.c) are each one, with a keyed_node_t as the
 * first member of their entries.  It only links: the owner allocates its
 * entries (the key stored with them) and frees them once removed. */
#ifndef YK_KEYED_H
#define YK_KEYED_H

#include <stddef.h>

typedef struct keyed_node keyed_node_t;
struct keyed_node {
	keyed_node_t *next_in_bucket;
	keyed_node_t *older, *newer;
	const char *key;  /* the entry's own copy */
};

typedef struct {
	keyed_node_t **buckets;
	size_t nbuckets;
	keyed_node_t *oldest, *newest;
	size_t n;
} keyed_t;

/* Room for about `expected` entries.  0, or -1 when out of memory. */
int keyed_init(keyed_t *t, size_t expected);
/* Frees the buckets; the owner has removed (and freed) every entry. */
void keyed_release(keyed_t *t);
keyed_node_t *keyed_find(const keyed_t *t, const char *key);
/* Link n (n->key set, no entry with that key yet) as the newest. */
void keyed_add(keyed_t *t, keyed_node_t *n);
void keyed_remove(keyed_t *t, keyed_node_t *n);

#endif
