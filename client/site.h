/* The public site of yaksok publish: every page, open data file, feed and
 * sitemap of the approved record, made in memory as (path, bytes) pairs.
 * The same record gives the same bytes: nothing here reads a clock, and
 * every list is in a fixed order. */
#ifndef YK_SITE_H
#define YK_SITE_H

#include <stddef.h>

#include "buf.h"
#include "export.h"

typedef struct {
	const char *path;     /* relative to the site's folder, '/'-separated, safe as a file name */
	buf_t data;
} site_file_t;

typedef struct {
	const char *name;     /* 2021-Q1 */
	const char *as_of;    /* YYYY-MM-DD */
	doc_node_t **docs;    /* the versions approved in it */
	size_t n;
} site_round_t;

typedef struct {
	city_t city;          /* the published documents (no account names) and the figures */
	const char *base_url; /* the site's public address, ending in '/'; NULL: relative addresses */
	const char *round;    /* the round published; NULL: the latest approved version of each pledge */
	const site_round_t *rounds; /* the rounds up to it, oldest first */
	size_t nrounds;
	site_file_t *files;   /* sorted by path once site_build returns */
	size_t nfiles, capfiles;
} site_t;

/* Every file of the site into s->files; 0, or -1 when out of memory. */
int site_build(site_t *s);
void site_free(site_t *s);

/* A code or round name as a file name: itself when it is plain ASCII
 * letters, digits, '.', '_' and '-' (not starting with '.'), else "x" and
 * its bytes in hex.  Never a path separator, never "..". */
const char *site_file_name(arena_t *a, const char *name);

/* A document as the public may read it: the same, less the logins of the
 * accounts that wrote it (updated_by) and approved its changes
 * (changes[].decided_by).  Changes `doc` in place. */
void site_scrub(doc_node_t *doc);

#endif
