/* The read cache: each pledge's current document as the packed yk.Pledge the
 * daemon last built for it, keyed by code and stamped with its version and
 * the day its derived figures were computed for.  A read first asks the
 * database for the pledge's version (one indexed lookup) and uses the entry
 * only when both match, so it never serves anything older than the
 * database holds — whichever daemon wrote last.  Bounded in bytes; the
 * oldest entries go first. */
#ifndef YK_PCACHE_H
#define YK_PCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keyed.h"

typedef struct pcache_entry pcache_entry_t;

typedef struct {
	keyed_t table;  /* entries by code, oldest first out */
	size_t bytes, max_bytes;
	uint64_t hits, misses;
} pcache_t;

/* max_bytes 0: no cache (every lookup misses, nothing is kept). */
int pcache_init(pcache_t *c, size_t max_bytes);
void pcache_free(pcache_t *c);

/* The packed message for code at exactly this version and day, or NULL. */
const uint8_t *pcache_get(pcache_t *c, const char *code, int64_t version, int32_t day, size_t *len);
/* Keep a copy (replacing any entry for code).  0, or -1 when it does not fit. */
int pcache_put(pcache_t *c, const char *code, int64_t version, int32_t day, const uint8_t *data, size_t len);
/* Freshness epochs (fresh.c): an entry's version confirmed current in a
 * given epoch.  confirmed: true, with the version, when it was confirmed in
 * epoch; confirm: mark it, if the entry holds that version. */
bool pcache_confirmed(pcache_t *c, const char *code, uint64_t epoch, int64_t *version);
void pcache_confirm(pcache_t *c, const char *code, int64_t version, uint64_t epoch);
/* Whether there is any entry for code (at whatever version). */
int pcache_has(const pcache_t *c, const char *code);
void pcache_del(pcache_t *c, const char *code);

#endif
