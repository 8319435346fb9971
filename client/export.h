/* A city's pledges as files: what yaksok export writes and yaksok publish
 * puts on the public site.  Each writer appends to `out` and returns 0, or
 * -1 (out of memory, or a file it could not make, said on stderr). */
#ifndef YK_EXPORT_H
#define YK_EXPORT_H

#include <stddef.h>

#include <stdbool.h>

#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "doc.h"
#include "yaksok.pb-c.h"

typedef struct {
	arena_t *a;
	doc_node_t **docs;             /* documents with their derived figures */
	size_t n;
	const Yk__StatsReply *stats;   /* the server's city-wide figures; NULL: only what the documents give */
	const char *city;              /* the city's name, for titles; NULL: none */
} city_t;

int city_csv(const city_t *c, buf_t *out);   /* one row per pledge, UTF-8 with BOM, CRLF */
int city_json(const city_t *c, buf_t *out);  /* the documents as an array */
int city_xlsx(const city_t *c, buf_t *out);  /* the workbook; the same record gives the same bytes */

/* What every city-wide view asks of a document: its derived figure says
 * the target month has passed (기한경과); its status is completed or
 * completed_ongoing. */
bool city_overdue(const doc_node_t *doc);
bool city_completed(const doc_node_t *doc);

/* The latest as_of of the documents ("" when none): the day the figures
 * speak of. */
const char *city_as_of(const city_t *c);

/* The dashboard's figures and charts as HTML elements, from <h1> on (for a
 * page of one's own); the whole self-contained page. */
int dashboard_body(const city_t *c, buf_t *out);
int dashboard_html(const city_t *c, buf_t *out);
extern const char dashboard_style[];  /* what the dashboard adds to html_style */
/* What the dashboard reads of a card, copied into a; NULL when out of memory. */
doc_node_t *dashboard_part(arena_t *a, const doc_node_t *doc);

/* The pledges an export selects, a page at a time (the daemon sends them
 * so, docs/protocol.md): `fn` gets each page's documents, made in `keep`, or
 * when it is NULL in memory of the page's own that is freed after `fn`
 * returns.  0, or an exit code (printed); `fn` returns one too. */
typedef int (*city_page_fn)(void *arg, doc_node_t **docs, size_t n);
int city_fetch(cli_t *cli, const Yk__PledgeList *filter, bool approved, unsigned limit, arena_t *keep, city_page_fn fn,
	       void *arg);
/* The city's figures (yaksok stats) of round R (NULL: the working
 * copies); 0, or an exit code (printed). */
int city_stats(cli_t *cli, const char *round, const Yk__StatsReply **out);
/* Every page, the documents kept in cli->arena.  limit: pledges a page (0:
 * the daemon's default). */
int city_fetch_all(cli_t *cli, const Yk__PledgeList *filter, bool approved, unsigned limit, doc_node_t ***docs,
		   size_t *n);

/* `b` into `path` through a temporary file and rename ("-": standard
 * output, as it is); 0, or -1 after saying why. */
int city_save(const char *path, const buf_t *b);

#endif
