/* The daemon's state: the loop, the listener, every client connection, the
 * database pool and the password-hashing queue.  One srv_t per process; it
 * owns everything below it. */
#ifndef YK_SRV_H
#define YK_SRV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "auth.h"
#include "bounds.h"
#include "cidr.h"
#include "config.h"
#include "db.h"
#include "db_route.h"
#include "lsn.h"
#include "keylock.h"
#include "metrics.h"
#include "metrics_http.h"
#include "figures.h"
#include "fresh.h"
#include "gcommit.h"
#include "pcache.h"
#include "session.h"
#include "throttle.h"

#define PROTOCOL_VERSION 1

typedef struct conn conn_t;

typedef struct srv {
	uv_loop_t *loop;
	const yk_config_t *cfg;
	uv_tcp_t listener;
	bool listening;
	db_pool_t *db;
	db_pool_t *replicas[LIMIT_REPLICAS]; /* --db-replica, each a pool */
	int nreplicas;
	db_route_t *route;      /* reads between the two (io/db_route.h) */
	lsn_t lsn;              /* write answers' commit LSN (core/lsn.h) */
	struct tls_ctx *tls;    /* NULL: plaintext */
	auth_t auth;
	keylock_t locks;        /* per-pledge turns for quick updates */
	pcache_t cache;         /* built documents, by code and version */
	session_cache_t sessions; /* principals by token hash (core/session.c) */
	fresh_t fresh;          /* the cached reads' freshness checks */
	gcommit_t progress;     /* progress items, committed in groups */
	throttle_t login_pairs; /* failed logins per login name and client address */
	throttle_t login_peers; /* ... and per client address */
	conn_t *conns;          /* every open connection */
	size_t nconns;
	uint64_t next_conn_id;
	size_t inflight;        /* requests being served, all connections together */
	size_t queued_total;    /* every connection's queued output cost (conn.c) */
	conn_t *out_pending;    /* connections with answers gathered this turn (conn.c) */
	uv_prepare_t out_turn;  /* writes them before the loop waits again */
	bool out_gather;        /* out_turn runs: answers wait for it */
	cidr_t trusted[LIMIT_TRUSTED_RANGES]; /* --trusted-addrs */
	metrics_t metrics;      /* what is counted for operators (core/metrics.h) */
	metrics_http_t metrics_http; /* GET /metrics, with --metrics-listen */
	int ntrusted;
	bool draining;
	bool pool_closing;      /* finish() has begun closing the pool */
	uv_signal_t sig_term, sig_int;
	uv_timer_t drain_timer;
	uv_timer_t housekeeping;
	db_job_t housekeeping_job;
	bool housekeeping_busy;
	figures_t figures;      /* stats' figures, kept in the background (core/figures.h) */
	int open_handles;
	uv_work_t migrate_work;  /* migrations, on libuv's thread pool */
	atomic_bool migrate_stop;
	int migrate_rc;
	bool schema_ready;      /* migrations applied; the pool is connecting */
	int exit_code;          /* the process's, once the loop has ended */
} srv_t;

/* Bind, listen, open the pool, install signal handlers.  0 or -1 (logged). */
int srv_start(srv_t *s, uv_loop_t *loop, const yk_config_t *cfg);
/* The figures of the moment for metrics_render. */
void srv_metrics_now(const srv_t *s, metrics_now_t *now);
/* Called whenever a request or a connection ends while draining. */
void srv_drain_progress(srv_t *s);

#endif
