/* Hello, login, logout, whoami and status. */
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "doc_io.h"
#include "docmap.h"
#include "handlers.h"
#include "log.h"
#include "text.h"

void h_hello(req_t *r)
{
	Yk__Hello *h = r->msg->hello;
	if (!h->has_protocol_version || h->protocol_version == 0) {
		req_fail(r, YK__REASON__REASON_MALFORMED, "Hello must carry the client's protocol_version (this server speaks %d)",
			 PROTOCOL_VERSION);
		return;
	}
	/* one version so far; a client that speaks another is told which */
	if (h->protocol_version != PROTOCOL_VERSION) {
		req_fail(r, YK__REASON__REASON_PROTOCOL_VERSION,
			 "this server does not speak protocol version %u; it speaks %d: use a client of that version",
			 h->protocol_version, PROTOCOL_VERSION);
		return;
	}
	Yk__HelloReply *rep = arena_alloc(r->arena, sizeof(*rep));
	if (!rep) {
		req_fail_oom(r);
		return;
	}
	yk__hello_reply__init(rep);
	rep->has_protocol_version = 1;
	rep->protocol_version = PROTOCOL_VERSION;
	rep->server_version = YAKSOK_VERSION;
	rep->has_max_frame = 1;
	rep->max_frame = (uint32_t)r->srv->cfg->max_frame;
	r->conn->hello = true;
	r->resp.body_case = YK__RESPONSE__BODY_HELLO;
	r->resp.hello = rep;
	req_finish(r);
}

/* Each pool: where it is, whether it is up, and a replica's lag (best
 * effort: an answer without them when memory runs short). */
static void add_pools(req_t *r, Yk__ServerStatusReply *rep)
{
	db_route_pool_t st[1 + LIMIT_REPLICAS];
	int n = db_route_status(r->srv->route, st, 1 + LIMIT_REPLICAS);
	Yk__PoolStatus **ps = arena_alloc(r->arena, (size_t)n * sizeof(*ps));
	for (int i = 0; ps && i < n; i++) {
		Yk__PoolStatus *p = ps[i] = arena_alloc(r->arena, sizeof(*p));
		if (!p)
			return;
		yk__pool_status__init(p);
		p->role = st[i].replica ? "replica" : "primary";
		p->host = arena_strdup(r->arena, st[i].host);
		p->has_connected = p->has_reads = 1;
		p->connected = st[i].connected;
		p->reads = st[i].reads;
		if (st[i].replica) {
			p->has_fallbacks = 1;
			p->fallbacks = st[i].fallbacks;
			p->has_lag_bytes = p->has_lag_seconds = st[i].lag_known;
			p->lag_bytes = st[i].lag_bytes;
			p->lag_seconds = st[i].lag_seconds;
		}
	}
	if (ps) {
		rep->pools = ps;
		rep->n_pools = (size_t)n;
	}
}

static void on_status(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	Yk__ServerStatusReply *rep = arena_alloc(r->arena, sizeof(*rep));
	if (!rep) {
		req_fail_oom(r);
		return;
	}
	yk__server_status_reply__init(rep);
	rep->server_version = YAKSOK_VERSION;
	rep->has_protocol_version = 1;
	rep->protocol_version = PROTOCOL_VERSION;
	rep->has_database_ok = 1;
	rep->database_ok = outcome == DB_DONE && PQresultStatus(res) == PGRES_TUPLES_OK;
	if (rep->database_ok) {
		rep->database_version = req_col(r, res, 0, STATUS_COL_SERVER_VERSION);
		rep->has_schema_version = 1;
		rep->schema_version = (uint32_t)atoi(PQgetvalue(res, 0, STATUS_COL_SCHEMA_VERSION));
	}
	Yk__ServerFigures *f = arena_alloc(r->arena, sizeof(*f));
	if (f) {
		yk__server_figures__init(f);
		metrics_now_t now;
		srv_metrics_now(r->srv, &now);
		const metrics_t *m = &r->srv->metrics;
		for (size_t i = 0; i < YK_OPS_MAX; i++)
			for (int c = 0; c < METRICS_CODES; c++) {
				f->requests += m->requests[i][c];
				if (c)
					f->requests_failed += m->requests[i][c];
			}
		f->has_requests = f->has_requests_failed = 1;
		f->has_connections = f->has_connections_unauthenticated = f->has_in_flight = 1;
		f->connections = now.conns;
		f->connections_unauthenticated = now.conns_unauthenticated;
		f->in_flight = now.inflight;
		f->has_db_pool_ready = f->has_db_pool_queued = f->has_db_connection_losses = 1;
		f->db_pool_ready = now.pool_ready;
		f->db_pool_queued = now.pool_queued;
		f->db_connection_losses = m->db_losses;
		f->has_cache_hits = f->has_cache_misses = f->has_group_commits = f->has_group_writes = 1;
		f->cache_hits = now.cache_hits;
		f->cache_misses = now.cache_misses;
		f->group_commits = now.group_commits;
		f->group_writes = now.group_writes;
		rep->figures = f;
	}
	if (r->srv->route)
		add_pools(r, rep);
	r->resp.body_case = YK__RESPONSE__BODY_SERVER_STATUS;
	r->resp.server_status = rep;
	if (!rep->database_ok) {
		r->resp.status = YK__CODE__UNAVAILABLE;
		r->resp.has_reason = 1;
		r->resp.reason = YK__REASON__REASON_DATABASE_UNAVAILABLE;
		r->resp.message = r->srv->schema_ready ? "the daemon is up but the database is not reachable"
						       : "the daemon is up; the database is not reachable yet (or its schema is being updated)";
	}
	req_finish(r);
}

void h_server_status(req_t *r)
{
	/* A health check must not wait --db-wait-ms for a connection that
	 * is not there. */
	if (db_pool_ready(r->srv->db) == 0) {
		r->job.data = r;
		on_status(&r->job, DB_UNAVAILABLE, NULL);
		return;
	}
	req_db(r, SQL_STATUS, on_status, 0);
}

/* ------------------------------------------------------------ login */

typedef struct {
	char *account_id;
	char *role;
	char *department;
	char *created_at;
	char *login;
	bool known;
	char token[AUTH_TOKEN_HEX];
	char token_hash[AUTH_BYTEA_HEX];
	char hours[16];
} login_t;

static Yk__Account *account_msg(req_t *r, const char *login, const char *role, const char *dept, const char *created)
{
	Yk__Account *a = arena_alloc(r->arena, sizeof(*a));
	if (!a)
		return NULL;
	yk__account__init(a);
	a->login = (char *)login;
	a->role = (char *)role;
	a->department = (char *)dept;
	a->created_at = (char *)created;
	return a;
}

/* The client's address without its port: failures from one machine count
 * together whatever port each connection used. */
static const char *peer_address(req_t *r)
{
	const char *colon = strrchr(r->conn->peer, ':');
	return colon ? arena_strndup(r->arena, r->conn->peer, (size_t)(colon - r->conn->peer)) : r->conn->peer;
}

/* The throttle's key for a login name from this client's address. */
static const char *login_pair(req_t *r, const char *login)
{
	const char *pair = arena_printf(r->arena, "%s %s", peer_address(r), login);
	return pair ? pair : login;
}

static void on_session_created(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	login_t *l = r->state;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__LoginReply *rep = arena_alloc(r->arena, sizeof(*rep));
	Yk__Account *acc = account_msg(r, l->login, l->role, l->department, l->created_at);
	if (!rep || !acc) {
		req_fail_oom(r);
		return;
	}
	yk__login_reply__init(rep);
	rep->token = arena_strdup(r->arena, l->token);
	rep->account = acc;
	rep->expires_at = req_col(r, res, 0, SESSION_CREATE_COL_EXPIRES_AT);
	sodium_memzero(l->token, sizeof(l->token));
	r->who.login = l->login;
	r->resp.body_case = YK__RESPONSE__BODY_LOGIN;
	r->resp.login = rep;
	log_info("event=login conn=%llu peer=%s user=%s", (unsigned long long)r->conn->id, r->conn->peer, l->login);
	conn_authenticated(r->conn);
	req_finish(r);
}

static void on_verified(auth_job_t *job)
{
	req_t *r = job->data;
	login_t *l = r->state;
	uint64_t now = uv_now(r->srv->loop);
	if (!job->ok || !l->known) {
		log_info("event=login_failed conn=%llu peer=%s user=%s", (unsigned long long)r->conn->id, r->conn->peer,
			 l->login);
		throttle_fail(&r->srv->login_pairs, login_pair(r, l->login), now);
		throttle_fail(&r->srv->login_peers, peer_address(r), now);
		req_fail(r, YK__REASON__REASON_BAD_CREDENTIALS, "unknown login or wrong password");
		return;
	}
	throttle_forget(&r->srv->login_pairs, login_pair(r, l->login));
	auth_new_token(l->token, l->token_hash);
	snprintf(l->hours, sizeof(l->hours), "%lld", (long long)r->srv->cfg->session_hours);
	req_db(r, SQL_SESSION_CREATE, on_session_created, 4, l->token_hash, l->account_id, l->hours, r->conn->peer);
}

static void on_account(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	login_t *l = r->state;
	if (!req_db_ok(r, outcome, res))
		return;
	auth_job_t *aj = &r->auth;
	memset(aj, 0, sizeof(*aj));
	aj->verify = true;
	/* An unknown login is checked against a dummy hash so that it takes
	 * as long as a wrong password. */
	l->known = PQntuples(res) == 1;
	const char *hash = r->srv->auth.dummy_hash;
	if (l->known) {
		l->account_id = req_col(r, res, 0, ACCOUNT_COL_ID);
		hash = PQgetvalue(res, 0, ACCOUNT_COL_PASSWORD_HASH);
		l->role = req_col(r, res, 0, ACCOUNT_COL_ROLE);
		l->department = req_col(r, res, 0, ACCOUNT_COL_DEPARTMENT);
		l->created_at = req_col(r, res, 0, ACCOUNT_COL_CREATED_AT);
	}
	snprintf(aj->hash, sizeof(aj->hash), "%s", hash);
	snprintf(aj->password, sizeof(aj->password), "%s", r->msg->login->password);
	aj->cb = on_verified;
	aj->data = r;
	uint64_t now = uv_now(r->srv->loop);
	aj->low = throttle_suspect(&r->srv->login_pairs, login_pair(r, l->login), now) ||
		  throttle_suspect(&r->srv->login_peers, peer_address(r), now);
	if (auth_submit(&r->srv->auth, aj)) {
		sodium_memzero(aj->password, sizeof(aj->password));
		req_fail(r, YK__REASON__REASON_BUSY, "too many logins are being checked; try again in a moment");
	}
}

void h_login(req_t *r)
{
	Yk__Login *in = r->msg->login;
	const char *why;
	if ((why = text_check_name(in->login, 64)))
		viol_add(&r->viol, "login", "%s", why);
	if ((why = text_check_field(in->password, 200)))
		viol_add(&r->viol, "password", "%s", why);
	if (r->viol.n) {
		req_fail_violations(r, "cannot log in");
		return;
	}
	uint64_t now = uv_now(r->srv->loop);
	unsigned wait = throttle_wait(&r->srv->login_pairs, login_pair(r, in->login), now);
	unsigned wait_peer = throttle_wait(&r->srv->login_peers, peer_address(r), now);
	if (wait_peer > wait)
		wait = wait_peer;
	if (wait) {
		log_warn("event=login_throttled conn=%llu peer=%s user=%s wait_s=%u", (unsigned long long)r->conn->id,
			 r->conn->peer, in->login, wait);
		req_fail(r, YK__REASON__REASON_LOGIN_THROTTLED, "too many failed logins; try again in %u seconds", wait);
		return;
	}
	login_t *l = arena_calloc(r->arena, sizeof(*l));
	if (!l) {
		req_fail_oom(r);
		return;
	}
	l->login = in->login;
	r->state = l;
	req_db(r, SQL_ACCOUNT_BY_LOGIN, on_account, 1, in->login);
}

static void on_logout(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__Empty *e = arena_alloc(r->arena, sizeof(*e));
	if (e)
		yk__empty__init(e);
	r->resp.body_case = YK__RESPONSE__BODY_LOGOUT;
	r->resp.logout = e;
	req_finish(r);
}

void h_logout(req_t *r)
{
	char *hash = arena_alloc(r->arena, AUTH_BYTEA_HEX);
	if (!hash || auth_token_hash(r->msg->token, hash)) {
		req_fail(r, YK__REASON__REASON_BAD_TOKEN, "the token is malformed");
		return;
	}
	session_forget(&r->srv->sessions, hash);
	req_db(r, SQL_SESSION_DELETE, on_logout, 1, hash);
}

void h_whoami(req_t *r)
{
	Yk__Account *a = account_msg(r, r->who.login, r->who.role, r->who.department, NULL);
	if (!a) {
		req_fail_oom(r);
		return;
	}
	r->resp.body_case = YK__RESPONSE__BODY_WHOAMI;
	r->resp.whoami = a;
	req_finish(r);
}
