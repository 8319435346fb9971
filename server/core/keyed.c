#include "keyed.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a: short keys (pledge codes, token hashes), no adversary choosing
 * them to collide that a longer chain would hurt more than the hash. */
static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

int keyed_init(keyed_t *t, size_t expected)
{
	memset(t, 0, sizeof(*t));
	t->nbuckets = 256;
	while (t->nbuckets < expected && t->nbuckets < (1u << 20))
		t->nbuckets *= 2;
	t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
	return t->buckets ? 0 : -1;
}

void keyed_release(keyed_t *t)
{
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

static keyed_node_t **slot(const keyed_t *t, const char *key)
{
	keyed_node_t **p = &t->buckets[hash(key) % t->nbuckets];
	while (*p && strcmp((*p)->key, key))
		p = &(*p)->next_in_bucket;
	return p;
}

keyed_node_t *keyed_find(const keyed_t *t, const char *key)
{
	return t->buckets ? *slot(t, key) : NULL;
}

void keyed_add(keyed_t *t, keyed_node_t *n)
{
	keyed_node_t **at = slot(t, n->key);
	n->next_in_bucket = NULL;
	*at = n;
	n->older = t->newest;
	n->newer = NULL;
	if (t->newest)
		t->newest->newer = n;
	else
		t->oldest = n;
	t->newest = n;
	t->n++;
}

void keyed_remove(keyed_t *t, keyed_node_t *n)
{
	keyed_node_t **at = slot(t, n->key);
	if (*at != n)
		return;
	*at = n->next_in_bucket;
	if (n->older)
		n->older->newer = n->newer;
	else
		t->oldest = n->newer;
	if (n->newer)
		n->newer->older = n->older;
	else
		t->newest = n->older;
	t->n--;
}
