/* The commit LSN of every write's answer, when the daemon reads from a
 * replica (io/db_route.h): an acknowledged write's answer waits until the
 * primary's WAL position after its commit is known, so that the client can
 * send it back as min_lsn, and the router knows that this daemon has told
 * someone of it.  The position is asked once for all the writes that finished
 * while the previous question was out (one short statement, ahead of the
 * writes waiting), so a write waits one round trip, shared. */
#ifndef YK_LSN_H
#define YK_LSN_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "db_route.h"

typedef struct req req_t;

typedef struct {
	db_pool_t *primary;
	db_route_t *route;
	req_t *waiting, *asked;  /* answers held: for the next question, and for the one out */
	db_job_t job;
	bool out;
	uint64_t stamps, questions;
} lsn_t;

void lsn_init(lsn_t *l, db_pool_t *primary, db_route_t *route);
/* Whether r's answer must wait for its commit LSN: a write that succeeded,
 * on a daemon with a replica, not stamped yet. */
bool lsn_wanted(const lsn_t *l, const req_t *r);
/* Hold r's answer; req_finish(r) runs again once it carries commit_lsn (or,
 * when the position cannot be read, without it: reads then go to the primary
 * until it can). */
void lsn_stamp(lsn_t *l, req_t *r);

#endif
