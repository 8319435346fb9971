#include "metrics.h"

#include <stdio.h>
#include <string.h>

static const double bounds[METRICS_BUCKETS] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
						 0.05,   0.1,   0.25,   0.5,   1,    2.5 };

static const char *const code_names[METRICS_CODES] = {
	"OK",		"CANCELLED",	  "UNKNOWN",	      "INVALID_ARGUMENT",  "DEADLINE_EXCEEDED",
	"NOT_FOUND",	"ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
	"ABORTED",	"OUT_OF_RANGE",	  "UNIMPLEMENTED",     "INTERNAL",	    "UNAVAILABLE",
	"DATA_LOSS",	"UNAUTHENTICATED",
};

void metrics_observe(metrics_hist_t *h, double seconds)
{
	size_t b = 0;
	while (b < METRICS_BUCKETS && seconds > bounds[b])
		b++;
	h->count[b]++;
	h->sum += seconds;
	h->n++;
}

void metrics_request(metrics_t *m, const yk_op_t *op, int code, double seconds)
{
	size_t i = op ? yk_op_index(op) : 0;  /* 0: a body this build does not know */
	if (i >= YK_OPS_MAX || code < 0 || code >= METRICS_CODES)
		return;
	m->requests[i][code]++;
	metrics_observe(&m->latency[i], seconds);
}

static const char *op_name(size_t i)
{
	const yk_op_t *op = yk_op_at(i);
	return op ? op->name : "unknown";
}

static int help(buf_t *o, const char *name, const char *type, const char *text)
{
	return buf_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

static int hist(buf_t *o, const char *name, const char *labels, const metrics_hist_t *h)
{
	uint64_t cum = 0;
	int rc = 0;
	for (size_t b = 0; b < METRICS_BUCKETS; b++) {
		cum += h->count[b];
		rc |= buf_printf(o, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, *labels ? "," : "", bounds[b],
				 (unsigned long long)cum);
	}
	cum += h->count[METRICS_BUCKETS];
	rc |= buf_printf(o, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, *labels ? "," : "", (unsigned long long)cum);
	rc |= buf_printf(o, "%s_sum%s%s%s %.6f\n%s_count%s%s%s %llu\n", name, *labels ? "{" : "", labels, *labels ? "}" : "",
			 h->sum, name, *labels ? "{" : "", labels, *labels ? "}" : "", (unsigned long long)h->n);
	return rc;
}

static int gauge(buf_t *o, const char *name, const char *type, const char *text, uint64_t v)
{
	return help(o, name, type, text) | buf_printf(o, "%s %llu\n", name, (unsigned long long)v);
}

int metrics_render(const metrics_t *m, const metrics_now_t *now, buf_t *o)
{
	int rc = help(o, "yaksokd_requests_total", "counter", "Requests answered, by operation and status.");
	for (size_t i = 0; i < YK_OPS_MAX; i++)
		for (int c = 0; c < METRICS_CODES; c++)
			if (m->requests[i][c])
				rc |= buf_printf(o, "yaksokd_requests_total{op=\"%s\",status=\"%s\"} %llu\n", op_name(i),
						 code_names[c], (unsigned long long)m->requests[i][c]);
	rc |= help(o, "yaksokd_request_duration_seconds", "histogram",
		   "Time from a request's frame read to its answer queued, by operation.");
	for (size_t i = 0; i < YK_OPS_MAX; i++)
		if (m->latency[i].n) {
			char labels[64];
			snprintf(labels, sizeof(labels), "op=\"%s\"", op_name(i));
			rc |= hist(o, "yaksokd_request_duration_seconds", labels, &m->latency[i]);
		}
	rc |= help(o, "yaksokd_db_pool_wait_seconds", "histogram",
		   "Time a statement waited for a database connection.");
	rc |= hist(o, "yaksokd_db_pool_wait_seconds", "", &m->pool_wait);
	rc |= gauge(o, "yaksokd_connections", "gauge", "Client connections open.", now->conns);
	rc |= gauge(o, "yaksokd_connections_unauthenticated", "gauge", "Client connections open that have not logged in.",
		    now->conns_unauthenticated);
	rc |= gauge(o, "yaksokd_connections_accepted_total", "counter", "Client connections accepted.", m->conns_accepted);
	rc |= gauge(o, "yaksokd_connections_refused_total", "counter",
		    "Client connections refused at the door (--max-conns, --max-conns-per-addr).", m->conns_refused);
	rc |= gauge(o, "yaksokd_connections_evicted_total", "counter",
		    "Connections that had not logged in, closed to make room for a newcomer.", m->conns_evicted);
	rc |= gauge(o, "yaksokd_output_frames_total", "counter", "Frames queued for clients (answers and errors).",
		    m->output_frames);
	rc |= gauge(o, "yaksokd_output_writes_total", "counter",
		    "Writes handed to client sockets: a connection's answers of one turn of the loop go in one.",
		    m->output_writes);
	rc |= gauge(o, "yaksokd_requests_in_flight", "gauge", "Requests being served.", now->inflight);
	rc |= gauge(o, "yaksokd_output_queued_bytes", "gauge", "Answers queued for clients, with their bookkeeping.",
		    now->queued_output_bytes);
	rc |= gauge(o, "yaksokd_db_pool_connections", "gauge", "Database connections in the pool.", now->pool_size);
	rc |= gauge(o, "yaksokd_db_pool_ready", "gauge", "Database connections ready for a statement now.", now->pool_ready);
	rc |= gauge(o, "yaksokd_db_pool_queue_depth", "gauge", "Statements waiting for a database connection.",
		    now->pool_queued);
	rc |= gauge(o, "yaksokd_db_connects_total", "counter", "Database connections made.", m->db_connects);
	rc |= gauge(o, "yaksokd_db_connection_losses_total", "counter",
		    "Database connections lost (each is made again, with back-off).", m->db_losses);
	rc |= gauge(o, "yaksokd_cache_hits_total", "counter", "Reads answered from the read cache.", now->cache_hits);
	rc |= gauge(o, "yaksokd_cache_misses_total", "counter", "Reads the read cache could not answer.", now->cache_misses);
	rc |= gauge(o, "yaksokd_cache_bytes", "gauge", "Bytes held by the read cache.", now->cache_bytes);
	rc |= gauge(o, "yaksokd_cache_entries", "gauge", "Documents held by the read cache.", now->cache_entries);
	rc |= gauge(o, "yaksokd_freshness_checks_total", "counter", "Freshness queries sent for cached reads.",
		    now->fresh_checks);
	rc |= gauge(o, "yaksokd_freshness_checked_reads_total", "counter",
		    "Cached reads confirmed by those queries (their ratio: the batch size).", now->fresh_reads);
	rc |= gauge(o, "yaksokd_group_commits_total", "counter", "Groups of progress items committed together.",
		    now->group_commits);
	rc |= gauge(o, "yaksokd_group_commit_writes_total", "counter",
		    "Progress items committed in those groups (their ratio: the group size).", now->group_writes);
	rc |= gauge(o, "yaksokd_sessions_cached", "gauge", "Sessions held by the session cache.", now->sessions_cached);
	rc |= gauge(o, "yaksokd_schema_ready", "gauge", "1 once the database's schema is current.",
		    (uint64_t)now->schema_ready);
	return rc ? -1 : 0;
}
