/* The figures `yaksok stats` counts, kept per version in the background.
 *
 * Stats over a city used to parse every card's document at every call
 * (18,000 cards: five to six seconds).  yk_figures_refresh keeps what it
 * needs of each version (version_figures, version_money, version_targets;
 * migrations/functions/city.sql) for the versions stats counts, and stats
 * works out only what is missing from the documents.  A pass runs every
 * --figures-interval seconds, and again at once while it finds a whole batch
 * to do; a current version waits until it has been current for an interval
 * (a pledge being written is figured when its writes stop, not at every
 * pass while they go on); it runs on the primary, after the writes it follows, and never on
 * a write's path: a write costs what it did. */
#ifndef YK_FIGURES_H
#define YK_FIGURES_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "db.h"

typedef struct {
	db_pool_t *db;
	uv_timer_t timer;
	db_job_t job;
	char batch[16];              /* the job's parameters */
	char settled[24];
	uint64_t every_ms;
	bool busy;                   /* a pass is with the database */
	bool stopped;
	unsigned long long versions; /* figured since start */
	unsigned long long passes;
} figures_t;

/* The timer is made, not started. */
void figures_init(figures_t *f, uv_loop_t *loop, db_pool_t *db, uint64_t every_ms);
/* The first pass now, then every every_ms (once the schema is current). */
void figures_start(figures_t *f);
/* No pass after this one; a pass with the database ends on its own. */
void figures_stop(figures_t *f);
/* The timer's handle, for uv_close at shutdown. */
uv_handle_t *figures_handle(figures_t *f);

#endif
