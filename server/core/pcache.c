#include "pcache.h"

#include <stdlib.h>
#include <string.h>

struct pcache_entry {
	pcache_entry_t *next_in_bucket;
	pcache_entry_t *older, *newer;
	int64_t version;
	int32_t day;
	uint64_t seen;  /* the freshness epoch its version was last confirmed in */
	size_t len;
	uint8_t *data;
	char code[];
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

int pcache_init(pcache_t *c, size_t max_bytes)
{
	memset(c, 0, sizeof(*c));
	c->max_bytes = max_bytes;
	if (!max_bytes)
		return 0;
	c->nbuckets = 1024;
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	return c->buckets ? 0 : -1;
}

static pcache_entry_t **slot(const pcache_t *c, const char *code)
{
	pcache_entry_t **p = &c->buckets[hash(code) % c->nbuckets];
	while (*p && strcmp((*p)->code, code))
		p = &(*p)->next_in_bucket;
	return p;
}

static void drop(pcache_t *c, pcache_entry_t **at)
{
	pcache_entry_t *e = *at;
	*at = e->next_in_bucket;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	c->bytes -= e->len + sizeof(*e);
	free(e->data);
	free(e);
}

void pcache_free(pcache_t *c)
{
	while (c->oldest)
		drop(c, slot(c, c->oldest->code));
	free(c->buckets);
	c->buckets = NULL;
}

int pcache_has(const pcache_t *c, const char *code)
{
	return c->buckets && *slot(c, code) != NULL;
}

const uint8_t *pcache_get(pcache_t *c, const char *code, int64_t version, int32_t day, size_t *len)
{
	pcache_entry_t *e = c->buckets ? *slot(c, code) : NULL;
	if (!e || e->version != version || e->day != day) {
		c->misses++;
		return NULL;
	}
	c->hits++;
	*len = e->len;
	return e->data;
}

bool pcache_confirmed(pcache_t *c, const char *code, uint64_t epoch, int64_t *version)
{
	pcache_entry_t *e = c->buckets ? *slot(c, code) : NULL;
	if (!e || !epoch || e->seen != epoch)
		return false;
	*version = e->version;
	return true;
}

void pcache_confirm(pcache_t *c, const char *code, int64_t version, uint64_t epoch)
{
	pcache_entry_t *e = c->buckets ? *slot(c, code) : NULL;
	if (e && e->version == version)
		e->seen = epoch;
}

int pcache_put(pcache_t *c, const char *code, int64_t version, int32_t day, const uint8_t *data, size_t len)
{
	if (!c->buckets)
		return -1;
	size_t klen = strlen(code);
	size_t cost = len + sizeof(pcache_entry_t);
	if (cost + klen > c->max_bytes / 4)
		return -1;  /* one document may not crowd out the rest */
	pcache_entry_t **at = slot(c, code);
	if (*at) {
		/* never replace a newer version with an older one that a slower
		 * request built */
		if ((*at)->version > version)
			return 0;
		drop(c, at);
	}
	while (c->oldest && c->bytes + cost > c->max_bytes)
		drop(c, slot(c, c->oldest->code));
	pcache_entry_t *e = malloc(sizeof(*e) + klen + 1);
	uint8_t *copy = malloc(len ? len : 1);
	if (!e || !copy) {
		free(e);
		free(copy);
		return -1;
	}
	memcpy(e->code, code, klen + 1);
	memcpy(copy, data, len);
	e->data = copy;
	e->len = len;
	e->version = version;
	e->day = day;
	e->seen = 0;
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
	e->next_in_bucket = NULL;
	*slot(c, code) = e;
	c->bytes += cost;
	return 0;
}

void pcache_del(pcache_t *c, const char *code)
{
	if (!c->buckets)
		return;
	pcache_entry_t **at = slot(c, code);
	if (*at)
		drop(c, at);
}
