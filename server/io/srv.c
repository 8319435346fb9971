#include "srv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "bounds.h"
#include "conn.h"
#include "log.h"
#include "migrate.h"
#include "tls.h"

static void on_handle_closed(uv_handle_t *h)
{
	(void)h;
}

static void on_pool_closed(void *arg)
{
	srv_t *s = arg;
	s->db = NULL;
	uv_close((uv_handle_t *)&s->sig_term, on_handle_closed);
	uv_close((uv_handle_t *)&s->sig_int, on_handle_closed);
	uv_close((uv_handle_t *)&s->drain_timer, on_handle_closed);
	uv_close((uv_handle_t *)&s->housekeeping, on_handle_closed);
	uv_close(figures_handle(&s->figures), on_handle_closed);
	/* from here on an answer is written as it is made */
	s->out_gather = false;
	conn_flush_pending(s);
	uv_close((uv_handle_t *)&s->out_turn, on_handle_closed);
	tls_ctx_free(s->tls);
	s->tls = NULL;
	log_info("event=read_cache hits=%llu misses=%llu bytes=%zu", (unsigned long long)s->cache.hits,
		 (unsigned long long)s->cache.misses, s->cache.bytes);
	log_info("event=fresh_checks checks=%llu reads=%llu", (unsigned long long)s->fresh.checks,
		 (unsigned long long)s->fresh.reads);
	log_info("event=group_commits groups=%llu writes=%llu", (unsigned long long)s->progress.groups,
		 (unsigned long long)s->progress.writes);
	log_info("event=figures passes=%llu versions=%llu", s->figures.passes, s->figures.versions);
	pcache_free(&s->cache);
	session_cache_free(&s->sessions);
	fresh_free(&s->fresh);
	log_info("event=stopped");
}

/* Once: the drain timer, the last connection's close and the last request's
 * answer may each find the drain done, in any order, while the pool is
 * still closing (closing it twice closed its handles twice: an abort). */
static void finish(srv_t *s)
{
	if (!s->db || s->pool_closing)
		return;
	s->pool_closing = true;
	/* reads waiting for the turn's check go to the pool while it is there */
	fresh_at_turn(&s->fresh, false);
	uv_timer_stop(&s->drain_timer);
	uv_timer_stop(&s->housekeeping);
	figures_stop(&s->figures);
	db_route_close(s->route);
	s->route = NULL;
	s->lsn.route = NULL;  /* answers still held go out without their LSN */
	for (int k = 0; k < s->nreplicas; k++)
		db_pool_close(s->replicas[k], NULL, NULL);
	s->nreplicas = 0;
	db_pool_t *p = s->db;
	db_pool_close(p, on_pool_closed, s);
}

void srv_drain_progress(srv_t *s)
{
	if (s->draining && s->inflight == 0 && s->conns == NULL)
		finish(s);
}

static void on_drain_timeout(uv_timer_t *t)
{
	srv_t *s = t->data;
	log_warn("event=drain_timeout inflight=%zu conns=%zu msg=\"closing what is left\"", s->inflight, s->nconns);
	while (s->conns)
		conn_close(s->conns, "drain timeout");
	/* Requests still waiting on the database are failed by the pool. */
	finish(s);
}

static void stop(srv_t *s)
{
	s->draining = true;
	sd_notify(0, "STOPPING=1\nSTATUS=draining");
	metrics_http_stop(&s->metrics_http);
	atomic_store(&s->migrate_stop, true);
	if (s->listening) {
		uv_close((uv_handle_t *)&s->listener, on_handle_closed);
		s->listening = false;
	}
	uv_timer_start(&s->drain_timer, on_drain_timeout, (uint64_t)s->cfg->drain_ms, 0);
	conn_t *c = s->conns;
	while (c) {
		conn_t *next = c->next;
		conn_drain(c);
		c = next;
	}
	srv_drain_progress(s);
}

void srv_metrics_now(const srv_t *s, metrics_now_t *now)
{
	memset(now, 0, sizeof(*now));
	now->conns = s->nconns;
	for (const conn_t *c = s->conns; c; c = c->next)
		now->conns_unauthenticated += !c->authed;
	now->inflight = s->inflight;
	now->queued_output_bytes = s->queued_total;
	if (s->db) {
		now->pool_size = (uint64_t)db_pool_size(s->db);
		now->pool_ready = (uint64_t)db_pool_ready(s->db);
		now->pool_queued = db_pool_queued(s->db);
	}
	now->cache_hits = s->cache.hits;
	now->cache_misses = s->cache.misses;
	now->cache_bytes = s->cache.bytes;
	now->cache_entries = s->cache.table.n;
	now->fresh_checks = s->fresh.checks;
	now->fresh_reads = s->fresh.reads;
	now->group_commits = s->progress.groups;
	now->group_writes = s->progress.writes;
	now->sessions_cached = s->sessions.table.n;
	now->schema_ready = s->schema_ready;
}

static void on_signal(uv_signal_t *sig, int signum)
{
	srv_t *s = sig->data;
	if (s->draining) {
		log_warn("event=signal signal=%d msg=\"second signal: exiting now\"", signum);
		exit(1);
	}
	log_info("event=signal signal=%d msg=\"draining\" inflight=%zu conns=%zu", signum, s->inflight, s->nconns);
	stop(s);
}

static void migrate_work(uv_work_t *w)
{
	srv_t *s = w->data;
	s->migrate_rc = migrate_run(s->cfg->db, s->cfg->db_owner, &s->migrate_stop);
}

static void migrate_done(uv_work_t *w, int status)
{
	srv_t *s = w->data;
	if (status == 0 && s->migrate_rc == 0 && s->db && !s->draining) {
		s->schema_ready = true;
		db_pool_start(s->db);
		for (int k = 0; k < s->nreplicas; k++)
			db_pool_start(s->replicas[k]);
		db_route_start(s->route);
		figures_start(&s->figures);
		/* systemd (Type=notify): ready once the schema is current and the
		 * listener open; a no-op when not started by systemd */
		sd_notifyf(0, "READY=1\nSTATUS=serving on %s", s->cfg->listen);
		return;
	}
	if (s->migrate_rc < 0 && !s->draining) {
		log_error("event=start_failed msg=\"the database cannot be used (see above); stopping\"");
		s->exit_code = 1;
		stop(s);
	}
}

static void on_housekept(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	srv_t *s = job->data;
	s->housekeeping_busy = false;
	if (outcome == DB_DONE && PQresultStatus(res) == PGRES_TUPLES_OK)
		log_info("event=housekeeping idempotency_keys_removed=%s sessions_removed=%s", PQgetvalue(res, 0, HOUSEKEEPING_COL_KEYS),
			 PQgetvalue(res, 0, HOUSEKEEPING_COL_SESSIONS));
	else if (outcome == DB_DONE)
		log_warn("event=housekeeping_failed error=\"%s\"", PQresultErrorMessage(res));
}

/* The end of a turn of the loop: the reads of the turn checked together,
 * the answers of the turn written together. */
static void on_out_turn(uv_prepare_t *h)
{
	srv_t *s = h->data;
	fresh_turn(&s->fresh);
	conn_flush_pending(s);
}

static void on_housekeeping(uv_timer_t *t)
{
	srv_t *s = t->data;
	if (s->housekeeping_busy || s->draining || !s->schema_ready)
		return;
	s->housekeeping_busy = true;
	memset(&s->housekeeping_job, 0, sizeof(s->housekeeping_job));
	s->housekeeping_job.stmt = SQL_HOUSEKEEPING;
	s->housekeeping_job.cb = on_housekept;
	s->housekeeping_job.data = s;
	db_pool_submit(s->db, &s->housekeeping_job);
}

static int write_port_file(const char *path, int port)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", port);
	if (fclose(f) || rename(tmp, path))
		return -1;
	return 0;
}

int srv_start(srv_t *s, uv_loop_t *loop, const yk_config_t *cfg)
{
	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->cfg = cfg;
	/* 5 wrong passwords for one name, or 50 from one address (an office
	 * behind one NAT address shares it), within 15 minutes: a minute's
	 * pause, doubling up to 15 minutes. */
	throttle_init(&s->login_pairs, LIMIT_LOGIN_FAILS_PER_PAIR, LIMIT_LOGIN_WINDOW_MS, LIMIT_LOGIN_LOCK_MS,
		      LIMIT_LOGIN_LOCK_MAX_MS);
	throttle_init(&s->login_peers, LIMIT_LOGIN_FAILS_PER_PEER, LIMIT_LOGIN_WINDOW_MS, LIMIT_LOGIN_LOCK_MS,
		      LIMIT_LOGIN_LOCK_MAX_MS);
	if (pcache_init(&s->cache, (size_t)cfg->read_cache_mb * 1024 * 1024) ||
	    session_cache_init(&s->sessions, cfg->read_cache_mb ? (size_t)cfg->session_cache : 0)) {
		log_error("event=start_failed msg=\"out of memory for the read cache\"");
		return -1;
	}
	if (auth_init(&s->auth, loop, (int)cfg->hash_workers)) {
		log_error("event=start_failed msg=\"password hashing unavailable\"");
		return -1;
	}
	if (cfg->tls_cert && !(s->tls = tls_ctx_new(cfg->tls_cert, cfg->tls_key)))
		return -1;
	if (cfg->trusted_addrs) {
		const char *bad = NULL;
		s->ntrusted = cidr_parse_list(cfg->trusted_addrs, s->trusted, LIMIT_TRUSTED_RANGES, &bad);
		if (s->ntrusted < 0) {
			log_error("event=start_failed msg=\"--trusted-addrs: cannot read %s (address ranges like 10.0.0.0/8, "
				  "comma-separated, at most %d)\"",
				  bad, LIMIT_TRUSTED_RANGES);
			return -1;
		}
	}
	char host[64];
	int port;
	struct sockaddr_storage addr;
	if (config_listen_addr(cfg, host, sizeof(host), &port) ||
	    (uv_ip4_addr(host, port, (struct sockaddr_in *)&addr) && uv_ip6_addr(host, port, (struct sockaddr_in6 *)&addr))) {
		log_error("event=start_failed msg=\"bad listen address %s (use a numeric address)\"", cfg->listen);
		return -1;
	}
	uv_tcp_init(loop, &s->listener);
	s->listener.data = s;
	int rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&addr, 0);
	if (!rc)
		rc = uv_listen((uv_stream_t *)&s->listener, LIMIT_LISTEN_BACKLOG, conn_on_connection);
	if (rc) {
		log_error("event=start_failed msg=\"cannot listen on %s: %s\"", cfg->listen, uv_strerror(rc));
		return -1;
	}
	s->listening = true;
	struct sockaddr_storage bound;
	int len = sizeof(bound);
	uv_tcp_getsockname(&s->listener, (struct sockaddr *)&bound, &len);
	int bound_port = ntohs(bound.ss_family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
							  : ((struct sockaddr_in6 *)&bound)->sin6_port);
	if (cfg->port_file && write_port_file(cfg->port_file, bound_port)) {
		log_error("event=start_failed msg=\"cannot write %s\"", cfg->port_file);
		return -1;
	}
	s->db = db_pool_new(loop, cfg->db, (int)cfg->db_pool, (size_t)cfg->db_queue_max, (uint64_t)cfg->db_wait_ms);
	if (!s->db) {
		log_error("event=start_failed msg=\"out of memory\"");
		return -1;
	}
	db_pool_count_into(s->db, &s->metrics);
	/* one pool per --db-replica (config.c bounds their number) */
	const char *l, *cur = cfg->db_replica;
	size_t n;
	while (s->nreplicas < LIMIT_REPLICAS && (l = config_list_next(&cur, &n))) {
		char *conninfo = strndup(l, n);
		db_pool_t *p = conninfo ? db_pool_new(loop, conninfo, (int)cfg->db_pool, (size_t)cfg->db_queue_max,
						      (uint64_t)cfg->db_wait_ms)
					: NULL;
		free(conninfo);
		if (!p) {
			log_error("event=start_failed msg=\"out of memory\"");
			return -1;
		}
		s->replicas[s->nreplicas++] = p;
	}
	if (!(s->route = db_route_new(loop, s->db, s->replicas, s->nreplicas, (uint64_t)cfg->replica_wait_ms))) {
		log_error("event=start_failed msg=\"out of memory\"");
		return -1;
	}
	lsn_init(&s->lsn, s->db, s->route);
	fresh_init(&s->fresh, s->db, &s->cache);
	/* a group per connection but one, which is left to the reads */
	gcommit_init(&s->progress, s->db, SQL_PROGRESS_ADD, (int)cfg->db_pool - 1);
	uv_signal_init(loop, &s->sig_term);
	uv_signal_init(loop, &s->sig_int);
	s->sig_term.data = s->sig_int.data = s;
	uv_signal_start(&s->sig_term, on_signal, SIGTERM);
	uv_signal_start(&s->sig_int, on_signal, SIGINT);
	uv_timer_init(loop, &s->drain_timer);
	s->drain_timer.data = s;
	uv_timer_init(loop, &s->housekeeping);
	s->housekeeping.data = s;
	/* each turn's answers written together before the loop waits (conn.c);
	 * it keeps nothing alive by itself */
	uv_prepare_init(loop, &s->out_turn);
	s->out_turn.data = s;
	uv_prepare_start(&s->out_turn, on_out_turn);
	uv_unref((uv_handle_t *)&s->out_turn);
	s->out_gather = true;
	fresh_at_turn(&s->fresh, true);
	/* the first pass soon after start, then every ten minutes */
	uv_timer_start(&s->housekeeping, on_housekeeping, LIMIT_HOUSEKEEPING_FIRST_MS, LIMIT_HOUSEKEEPING_EVERY_MS);
	figures_init(&s->figures, loop, s->db, (uint64_t)cfg->figures_interval_s * 1000);
	/* The schema is brought up to date off the loop; until then requests
	 * wait in the pool's queue and status says the database is not ready. */
	s->migrate_work.data = s;
	atomic_init(&s->migrate_stop, false);
	uv_queue_work(loop, &s->migrate_work, migrate_work, migrate_done);
	if (cfg->metrics_listen && metrics_http_start(&s->metrics_http, s, loop, cfg->metrics_listen)) {
		stop(s);
		s->exit_code = 1;
		return 0; /* the loop runs to close what was opened, then exits 1 */
	}
	log_info("event=listening addr=%s:%d tls=%s db_pool=%lld max_frame=%lld pid=%d", host, bound_port,
		 s->tls ? "on" : "off", (long long)cfg->db_pool, (long long)cfg->max_frame, (int)getpid());
	return 0;
}
