#include "migrate.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "log.h"

/* Any constant works; it only has to be the same for every yaksokd. */
#define MIGRATE_LOCK_KEY 7450001

static PGresult *run(PGconn *pg, const char *sql, ExecStatusType want)
{
	PGresult *r = PQexec(pg, sql);
	if (PQresultStatus(r) != want) {
		log_error("event=migrate_failed sql=\"%.60s\" error=\"%s\"", sql, PQresultErrorMessage(r));
		PQclear(r);
		return NULL;
	}
	return r;
}

static int exec_ok(PGconn *pg, const char *sql)
{
	PGresult *r = run(pg, sql, PGRES_COMMAND_OK);
	if (!r)
		return -1;
	PQclear(r);
	return 0;
}

static int check_durability(PGconn *pg)
{
	static const char *const settings[] = { "fsync", "synchronous_commit" };
	for (size_t i = 0; i < 2; i++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "SHOW %s", settings[i]);
		PGresult *r = run(pg, sql, PGRES_TUPLES_OK);
		if (!r)
			return -1;
		const char *v = PQgetvalue(r, 0, 0);
		bool ok = strcmp(v, "on") == 0 || (i == 1 && (strcmp(v, "remote_apply") == 0 || strcmp(v, "remote_write") == 0));
		if (!ok) {
			log_error("event=unsafe_database setting=%s value=%s msg=\"acknowledged writes could be lost; set %s = on\"",
				  settings[i], v, settings[i]);
			PQclear(r);
			return -1;
		}
		PQclear(r);
	}
	return 0;
}

/* A superuser ignores privileges and triggers alike: the audit trail's
 * append-only guard would not hold.  Say so loudly; do not refuse, since a
 * first try on a laptop often runs that way. */
static void check_role(PGconn *pg)
{
	PGresult *r = run(pg, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user", PGRES_TUPLES_OK);
	if (r && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't')
		log_warn("event=db_role_too_strong msg=\"the daemon connects as a superuser: it could rewrite the audit "
			 "trail; give it a role of its own (docs/operations.md)\"");
	PQclear(r);
}

static int apply_pending(PGconn *pg)
{
	if (exec_ok(pg, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			"version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"))
		return -1;
	PGresult *r = run(pg, "SELECT version FROM schema_migrations", PGRES_TUPLES_OK);
	if (!r)
		return -1;
	int applied = 0;
	for (int m = 0; m < migrations_count; m++) {
		bool done = false;
		for (int row = 0; row < PQntuples(r); row++)
			if (atoi(PQgetvalue(r, row, 0)) == migrations[m].version)
				done = true;
		if (done)
			continue;
		if (exec_ok(pg, "BEGIN"))
			break;
		if (exec_ok(pg, migrations[m].sql)) {
			log_error("event=migration_failed file=%s", migrations[m].name);
			PQclear(PQexec(pg, "ROLLBACK"));
			PQclear(r);
			return -1;
		}
		char ver[16];
		snprintf(ver, sizeof(ver), "%d", migrations[m].version);
		const char *params[] = { ver, migrations[m].name };
		PGresult *ins = PQexecParams(pg, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", 2, NULL,
					     params, NULL, NULL, 0);
		bool ok = PQresultStatus(ins) == PGRES_COMMAND_OK;
		PQclear(ins);
		if (!ok || exec_ok(pg, "COMMIT")) {
			PQclear(PQexec(pg, "ROLLBACK"));
			PQclear(r);
			return -1;
		}
		log_info("event=migration_applied file=%s", migrations[m].name);
		applied++;
	}
	PQclear(r);
	log_info("event=schema_ready migrations=%d applied_now=%d", migrations_count, applied);
	return 0;
}

static int bootstrap_admin(PGconn *pg)
{
	PGresult *r = run(pg, "SELECT count(*) FROM accounts", PGRES_TUPLES_OK);
	if (!r)
		return -1;
	bool empty = atoll(PQgetvalue(r, 0, 0)) == 0;
	PQclear(r);
	if (!empty)
		return 0;
	const char *pw = getenv("YAKSOK_ADMIN_PASSWORD");
	char generated[33];
	if (!pw || !*pw) {
		static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
		for (size_t i = 0; i < sizeof(generated) - 1; i++)
			generated[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
		generated[20] = '\0';
		pw = generated;
		/* Printed once, on purpose: the operator has no other way to learn it. */
		fprintf(stderr, "yaksokd: created account admin with password %s (shown only now)\n", pw);
	}
	char hash[AUTH_HASH_MAX];
	if (auth_hash_password(pw, hash)) {
		log_error("event=bootstrap_failed msg=\"could not hash the admin password\"");
		return -1;
	}
	const char *params[] = { hash };
	PGresult *ins = PQexecParams(pg, "INSERT INTO accounts (login, role, password_hash) VALUES ('admin', 'admin', $1)",
				     1, NULL, params, NULL, NULL, 0);
	bool ok = PQresultStatus(ins) == PGRES_COMMAND_OK;
	if (!ok)
		log_error("event=bootstrap_failed error=\"%s\"", PQresultErrorMessage(ins));
	PQclear(ins);
	sodium_memzero(generated, sizeof(generated));
	if (ok)
		log_info("event=admin_created login=admin");
	return ok ? 0 : -1;
}

int migrate_run(const char *conninfo, const atomic_bool *stop)
{
	PGconn *pg = NULL;
	unsigned backoff_ms = 100;
	char *bad = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &bad);
	if (!opts) {
		log_error("event=bad_conninfo error=\"%.*s\"", bad ? (int)strcspn(bad, "\n") : 0, bad ? bad : "");
		PQfreemem(bad);
		return -1;
	}
	PQconninfoFree(opts);
	for (int attempt = 0;; attempt++) {
		if (atomic_load(stop))
			return 1;
		pg = PQconnectdb(conninfo);
		if (PQstatus(pg) == CONNECTION_OK)
			break;
		const char *err = PQerrorMessage(pg);
		/* the first failure, then one line every ~minute */
		if (attempt % 30 == 0)
			log_warn("event=db_waiting attempt=%d error=\"%.*s\"", attempt + 1, (int)strcspn(err, "\n"), err);
		PQfinish(pg);
		unsigned wait = backoff_ms / 2 + randombytes_uniform(backoff_ms / 2 + 1);
		for (unsigned slept = 0; slept < wait && !atomic_load(stop); slept += 50)
			usleep(50 * 1000);
		backoff_ms = backoff_ms * 2 > 2000 ? 2000 : backoff_ms * 2;
	}
	if (PQserverVersion(pg) > 0)
		log_info("event=db_connected server_version=%d", PQserverVersion(pg));
	PQclear(PQexec(pg, "SET client_min_messages = warning"));
	int rc = -1;
	char sql[64];
	snprintf(sql, sizeof(sql), "SELECT pg_advisory_lock(%d)", MIGRATE_LOCK_KEY);
	PGresult *lock = run(pg, sql, PGRES_TUPLES_OK);
	if (lock) {
		PQclear(lock);
		check_role(pg);
		if (check_durability(pg) == 0 && apply_pending(pg) == 0 && bootstrap_admin(pg) == 0)
			rc = 0;
		snprintf(sql, sizeof(sql), "SELECT pg_advisory_unlock(%d)", MIGRATE_LOCK_KEY);
		PQclear(PQexec(pg, sql));
	}
	PQfinish(pg);
	return rc;
}
