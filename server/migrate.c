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

/* Connect, retrying with back-off and jitter until the database is up or
 * *stop is set.  NULL when stopped or when `conninfo` cannot be parsed. */
static PGconn *connect_patiently(const char *conninfo, const char *which, const atomic_bool *stop)
{
	char *bad = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &bad);
	if (!opts) {
		log_error("event=bad_conninfo which=%s error=\"%.*s\"", which, bad ? (int)strcspn(bad, "\n") : 0,
			  bad ? bad : "");
		PQfreemem(bad);
		return NULL;
	}
	PQconninfoFree(opts);
	unsigned backoff_ms = 100;
	for (int attempt = 0;; attempt++) {
		if (atomic_load(stop))
			return NULL;
		PGconn *pg = PQconnectdb(conninfo);
		if (PQstatus(pg) == CONNECTION_OK) {
			PQclear(PQexec(pg, "SET client_min_messages = warning"));
			return pg;
		}
		const char *err = PQerrorMessage(pg);
		/* the first failure, then one line every ~minute */
		if (attempt % 30 == 0)
			log_warn("event=db_waiting which=%s attempt=%d error=\"%.*s\"", which, attempt + 1,
				 (int)strcspn(err, "\n"), err);
		PQfinish(pg);
		unsigned wait = backoff_ms / 2 + randombytes_uniform(backoff_ms / 2 + 1);
		for (unsigned slept = 0; slept < wait && !atomic_load(stop); slept += 50)
			usleep(50 * 1000);
		backoff_ms = backoff_ms * 2 > 2000 ? 2000 : backoff_ms * 2;
	}
}

/* The daemon's own role gets what serving needs and no more: no ownership,
 * no UPDATE/DELETE/TRUNCATE on the audit trail, no writes to the list of
 * migrations.  Run as the owner after every start (new tables included). */
static int grant_to(PGconn *owner, const char *app_role)
{
	char *role = PQescapeIdentifier(owner, app_role, strlen(app_role));
	if (!role)
		return -1;
	static const char *const stmts[] = {
		"GRANT USAGE ON SCHEMA public TO %s",
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %s",
		"REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %s",
		"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM %s",
		"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %s",
		"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO %s",
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]) && rc == 0; i++) {
		char sql[256];
		snprintf(sql, sizeof(sql), stmts[i], role);
		rc = exec_ok(owner, sql);
	}
	PQfreemem(role);
	return rc;
}

static char *current_user(PGconn *pg)
{
	PGresult *r = run(pg, "SELECT current_user", PGRES_TUPLES_OK);
	char *name = r && PQntuples(r) == 1 ? strdup(PQgetvalue(r, 0, 0)) : NULL;
	PQclear(r);
	return name;
}

int migrate_run(const char *conninfo, const char *owner_conninfo, const atomic_bool *stop)
{
	PGconn *app = connect_patiently(conninfo, "db", stop);
	if (!app)
		return atomic_load(stop) ? 1 : -1;
	if (PQserverVersion(app) > 0)
		log_info("event=db_connected server_version=%d", PQserverVersion(app));
	check_role(app);
	char *app_role = current_user(app);
	int rc = check_durability(app);
	if (rc || !app_role) {
		PQfinish(app);
		free(app_role);
		return -1;
	}
	/* without an owner of its own, the daemon's connection migrates too */
	PGconn *pg = app;
	if (owner_conninfo) {
		PQfinish(app);
		pg = connect_patiently(owner_conninfo, "db_owner", stop);
		if (!pg) {
			free(app_role);
			return atomic_load(stop) ? 1 : -1;
		}
	}
	char *owner_role = current_user(pg);
	rc = -1;
	char sql[64];
	snprintf(sql, sizeof(sql), "SELECT pg_advisory_lock(%d)", MIGRATE_LOCK_KEY);
	PGresult *lock = run(pg, sql, PGRES_TUPLES_OK);
	if (lock && owner_role) {
		PQclear(lock);
		bool separate = strcmp(owner_role, app_role) != 0;
		if (!separate)
			log_warn("event=db_role_owns_tables role=%s msg=\"the daemon's role owns the schema: it could grant "
				 "itself back the right to rewrite the audit trail; give migrations a role of their own "
				 "(--db-owner, docs/operations.md)\"",
				 app_role);
		if (apply_pending(pg) == 0 && (!separate || grant_to(pg, app_role) == 0) && bootstrap_admin(pg) == 0)
			rc = 0;
		snprintf(sql, sizeof(sql), "SELECT pg_advisory_unlock(%d)", MIGRATE_LOCK_KEY);
		PQclear(PQexec(pg, sql));
	} else {
		PQclear(lock);
	}
	free(owner_role);
	free(app_role);
	PQfinish(pg);
	return rc;
}
