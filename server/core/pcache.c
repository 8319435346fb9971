#include "pcache.h"

#include <stdlib.h>
#include <string.h>

struct pcache_entry {
	keyed_node_t node;  /* keyed by code */
	int64_t version;
	int32_t day;
	uint64_t seen;  /* the freshness epoch its version was last confirmed in */
	size_t len;
	uint8_t *data;
	char code[];
};

int pcache_init(pcache_t *c, size_t max_bytes)
{
	memset(c, 0, sizeof(*c));
	c->max_bytes = max_bytes;
	if (!max_bytes)
		return 0;
	return keyed_init(&c->table, 1024);
}

static pcache_entry_t *find(const pcache_t *c, const char *code)
{
	return (pcache_entry_t *)keyed_find(&c->table, code);
}

static void drop(pcache_t *c, pcache_entry_t *e)
{
	keyed_remove(&c->table, &e->node);
	c->bytes -= e->len + sizeof(*e);
	free(e->data);
	free(e);
}

void pcache_free(pcache_t *c)
{
	while (c->table.oldest)
		drop(c, (pcache_entry_t *)c->table.oldest);
	keyed_release(&c->table);
}

int pcache_has(const pcache_t *c, const char *code)
{
	return find(c, code) != NULL;
}

const uint8_t *pcache_get(pcache_t *c, const char *code, int64_t version, int32_t day, size_t *len)
{
	pcache_entry_t *e = find(c, code);
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
	pcache_entry_t *e = find(c, code);
	if (!e || !epoch || e->seen != epoch)
		return false;
	*version = e->version;
	return true;
}

void pcache_confirm(pcache_t *c, const char *code, int64_t version, uint64_t epoch)
{
	pcache_entry_t *e = find(c, code);
	if (e && e->version == version)
		e->seen = epoch;
}

int pcache_put(pcache_t *c, const char *code, int64_t version, int32_t day, const uint8_t *data, size_t len)
{
	if (!c->table.buckets)
		return -1;
	size_t klen = strlen(code);
	size_t cost = len + sizeof(pcache_entry_t);
	if (cost + klen > c->max_bytes / 4)
		return -1;  /* one document may not crowd out the rest */
	pcache_entry_t *old = find(c, code);
	if (old) {
		/* never replace a newer version with an older one that a slower
		 * request built */
		if (old->version > version)
			return 0;
		drop(c, old);
	}
	while (c->table.oldest && c->bytes + cost > c->max_bytes)
		drop(c, (pcache_entry_t *)c->table.oldest);
	pcache_entry_t *e = malloc(sizeof(*e) + klen + 1);
	uint8_t *copy = malloc(len ? len : 1);
	if (!e || !copy) {
		free(e);
		free(copy);
		return -1;
	}
	memset(e, 0, sizeof(*e));
	memcpy(e->code, code, klen + 1);
	memcpy(copy, data, len);
	e->node.key = e->code;
	e->data = copy;
	e->len = len;
	e->version = version;
	e->day = day;
	keyed_add(&c->table, &e->node);
	c->bytes += cost;
	return 0;
}

void pcache_del(pcache_t *c, const char *code)
{
	pcache_entry_t *e = find(c, code);
	if (e)
		drop(c, e);
}
