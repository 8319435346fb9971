/* A fuzz target for the daemon's request path with the network and the
 * database faked: a frame goes through dispatch_frame — unpack, envelope
 * checks, session, role, idempotency, the handler's own checks, quick-update
 * edits and change-request diffs on a real stored document — exactly as in
 * yaksokd.  The first input byte picks the account's role; the rest is the
 * frame's payload.
 *
 * The fake database answers the session check (the chosen account), the
 * idempotency lookup (no earlier key), reads of the current pledge (the
 * example document) and of a change request; every write is "unavailable".
 * The oracle, besides the sanitizers: every request is answered exactly once
 * and its response packs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "doc_io.h"
#include "log.h"
#include "req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static srv_t srv;
static yk_config_t cfg;
static conn_t conn;
static int answered;
static char *pledge_json;

/* ------------------------------------------------------------- fake conn */

void conn_send(conn_t *c, const Yk__Response *resp)
{
	(void)c;
	size_t n = yk__response__get_packed_size(resp);
	uint8_t *out = malloc(n ? n : 1);
	if (!out || yk__response__pack(resp, out) != n)
		abort();
	free(out);
}

void conn_send_with(conn_t *c, const Yk__Response *resp, uint32_t field, const uint8_t *body, size_t len)
{
	(void)field;
	(void)body;
	(void)len;
	conn_send(c, resp);
}

void conn_request_done(conn_t *c)
{
	c->inflight--;
	c->srv->inflight--;
	answered++;
}

void conn_close(conn_t *c, const char *reason)
{
	(void)reason;
	c->close_after_write = true;
}

void conn_authenticated(conn_t *c)
{
	c->authed = true;
}

/* ------------------------------------------------------------- fake auth */

/* Argon2 would make each login a tenth of a second: answer at once, as a
 * wrong password, or with a fixed hash. */
int auth_submit(auth_t *a, auth_job_t *job)
{
	(void)a;
	if (job->verify)
		job->ok = false;
	else
		snprintf(job->hash, sizeof(job->hash), "$argon2id$v=19$m=65536,t=2,p=1$fuzz$fuzz");
	job->cb(job);
	return 0;
}

/* ------------------------------------------------------------- fake db */

static const char *const roles[] = { "admin", "coordinator", "department", "evaluator", "approver", "viewer" };
static int role_pick;

static PGresult *table(int ncols, const char *const *names, const char *const *row)
{
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	PGresAttDesc att[16];
	memset(att, 0, sizeof(att));
	for (int i = 0; i < ncols; i++) {
		att[i].name = (char *)names[i];
		att[i].format = 0;
		att[i].typid = 25; /* text */
		att[i].typlen = -1;
		att[i].atttypmod = -1;
	}
	if (!res || !PQsetResultAttrs(res, ncols, att))
		abort();
	for (int i = 0; row && i < ncols; i++)
		if (!PQsetvalue(res, 0, i, (char *)row[i], row[i] ? (int)strlen(row[i]) : -1))
			abort();
	return res;
}

void db_pool_submit(db_pool_t *p, db_job_t *job)
{
	(void)p;
	PGresult *res = NULL;
	switch (job->stmt) {
	case SQL_SESSION_CHECK: {
		static const char *const names[] = { "id", "login", "role", "department_id", "name" };
		const char *row[] = { "1", "fuzz", roles[role_pick], role_pick == 2 ? "1" : NULL,
				      role_pick == 2 ? "정책기획과" : NULL };
		res = table(5, names, row);
		break;
	}
	case SQL_IDEM_LOOKUP: {
		static const char *const names[] = { "request_hash", "op", "result" };
		res = table(3, names, NULL);
		break;
	}
	case SQL_PLEDGE_GET: {
		static const char *const names[] = { "document" };
		const char *row[] = { pledge_json };
		res = table(1, names, row);
		break;
	}
	case SQL_FRESHNESS: {
		/* the stored document's version, and the session (its hash is
		 * whatever the token was) as known */
		static const char *const names[] = { "kind", "key", "version" };
		const char *row[] = { "p", "SW7-GOV-01", "3" };
		res = table(3, names, row);
		break;
	}
	case SQL_CHANGE_LOAD: {
		static const char *const names[] = { "kind", "state", "code", "base_version", "document",
						     "reason", "current", "version", "open_round" };
		const char *row[] = { "change", "deliberated", "SW7-GOV-01", "3", pledge_json, "사유", pledge_json, "3",
				      "2021-Q1" };
		res = table(9, names, row);
		break;
	}
	default:
		job->cb(job, DB_UNAVAILABLE, NULL);
		return;
	}
	job->cb(job, DB_DONE, res);
	PQclear(res);
}

void db_pool_submit_urgent(db_pool_t *p, db_job_t *job)
{
	db_pool_submit(p, job);
}

/* The figures of the moment, as io/srv.c gathers them: none here. */
void srv_metrics_now(const srv_t *s, metrics_now_t *now)
{
	(void)s;
	memset(now, 0, sizeof(*now));
}

int db_pool_ready(const db_pool_t *p)
{
	(void)p;
	return 1;
}

void db_pool_host(const db_pool_t *p, char *out, size_t len)
{
	(void)p;
	snprintf(out, len, "-");
}

/* ------------------------------------------------------------- setup */

static void setup(void)
{
	log_threshold = LOG_ERROR;
	cfg.max_frame = 1 << 20;
	cfg.max_inflight = 32;
	cfg.session_hours = 12;
	srv.loop = uv_default_loop();
	srv.cfg = &cfg;
	srv.schema_ready = true;
	snprintf(srv.auth.dummy_hash, sizeof(srv.auth.dummy_hash), "$argon2id$v=19$m=65536,t=2,p=1$dummy$dummy");
	throttle_init(&srv.login_pairs, 5, 15 * 60 * 1000, 60 * 1000, 15 * 60 * 1000);
	throttle_init(&srv.login_peers, 50, 15 * 60 * 1000, 60 * 1000, 15 * 60 * 1000);
	/* reads of the stored pledge are cached, so later ones take the
	 * freshness check */
	if (pcache_init(&srv.cache, 4u << 20) || session_cache_init(&srv.sessions, 1000))
		abort();
	fresh_init(&srv.fresh, NULL, &srv.cache);
	gcommit_init(&srv.progress, NULL, SQL_PROGRESS_ADD, 1);
	conn.srv = &srv;
	conn.id = 1;
	strcpy(conn.peer, "127.0.0.1:1");
	strcpy(conn.addr, "127.0.0.1");
	/* the stored document: the example, as the database would hand it over */
	arena_t *a = arena_new(0);
	const char *err = NULL;
	doc_node_t *doc = doc_read_file(a, YK_SOURCE_DIR "/examples/suwon-governance.yaml", &err);
	if (!doc) {
		fprintf(stderr, "fuzz_dispatch: %s\n", err);
		abort();
	}
	doc_set(a, doc, "version", doc_num(a, "3"));
	buf_t b = BUF_INIT;
	if (doc_write_json(&b, doc, 0))
		abort();
	pledge_json = strndup(b.data, b.len);
	buf_free(&b);
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!pledge_json)
		setup();
	if (size < 1 || size > (1u << 20))
		return 0;
	role_pick = data[0] % 6;
	conn.hello = data[0] & 0x80 ? false : true;
	conn.close_after_write = false;
	answered = 0;
	conn.inflight++;
	srv.inflight++;
	dispatch_frame(&conn, data + 1, (uint32_t)(size - 1));
	if (answered != 1) {
		fprintf(stderr, "fuzz_dispatch: the request was answered %d times\n", answered);
		abort();
	}
	return 0;
}
