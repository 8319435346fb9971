/* What the daemon counts for an operator, and its Prometheus text form
 * (GET /metrics on --metrics-listen; yaksok status shows a person the same).
 * Counters only grow; the figures that are a state of the moment (open
 * connections, queued jobs, cache size) are read when the text is made. */
#ifndef YK_METRICS_H
#define YK_METRICS_H

#include <stdint.h>

#include "buf.h"
#include "ops.h"

/* Latency buckets, in seconds (Prometheus' `le`), +Inf implied. */
#define METRICS_BUCKETS 12
#define METRICS_CODES 17  /* yk.Code 0..16 */

typedef struct {
	uint64_t count[METRICS_BUCKETS + 1];  /* per bucket (not cumulative); the last is +Inf */
	double sum;
	uint64_t n;
} metrics_hist_t;

typedef struct metrics {
	uint64_t requests[YK_OPS_MAX][METRICS_CODES];
	metrics_hist_t latency[YK_OPS_MAX];
	metrics_hist_t pool_wait;          /* from submit to sent, every statement */
	uint64_t db_connects, db_losses;   /* connections made and lost (each loss reconnects) */
	uint64_t conns_accepted, conns_refused, conns_evicted;
	uint64_t output_frames, output_writes; /* answers, and the socket writes that carried them */
} metrics_t;

/* The state of the moment, gathered by the caller (io/srv.c). */
typedef struct {
	uint64_t conns, conns_unauthenticated, inflight, queued_output_bytes;
	uint64_t pool_size, pool_ready, pool_queued;
	uint64_t cache_hits, cache_misses, cache_bytes, cache_entries;
	uint64_t fresh_checks, fresh_reads;        /* freshness queries, and the reads they confirmed */
	uint64_t group_commits, group_writes;      /* progress items committed in groups */
	uint64_t sessions_cached;
	int schema_ready;
} metrics_now_t;

void metrics_request(metrics_t *m, const yk_op_t *op, int code, double seconds);
void metrics_observe(metrics_hist_t *h, double seconds);
/* The Prometheus text exposition format (version 0.0.4); 0 or -1 (memory). */
int metrics_render(const metrics_t *m, const metrics_now_t *now, buf_t *out);

#endif
