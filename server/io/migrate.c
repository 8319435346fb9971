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
	/* a migration that is only comments (its functions moved away) is empty */
	bool empty_ok = want == PGRES_COMMAND_OK && PQresultStatus(r) == PGRES_EMPTY_QUERY;
	if (PQresultStatus(r) != want && !empty_ok) {
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

static int exec_params_ok(PGconn *pg, const char *sql, int n, const char *const *params)
{
	PGresult *r = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		log_error("event=migrate_failed sql=\"%.60s\" error=\"%s\"", sql, PQresultErrorMessage(r));
	PQclear(r);
	return ok ? 0 : -1;
}

/* The bookkeeping tables.  A database made before checksums were recorded
 * gets the column here; its NULL checksums are filled from this build's
 * files the first time (check_applied). */
static int ensure_bookkeeping(PGconn *pg)
{
	static const char *const stmts[] = {
		"CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, "
		"applied_at timestamptz NOT NULL DEFAULT now())",
		"ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text",
		"CREATE TABLE IF NOT EXISTS schema_functions (file text PRIMARY KEY, checksum text NOT NULL, "
		"applied_at timestamptz NOT NULL DEFAULT now())",
	};
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++)
		if (exec_ok(pg, stmts[i]))
			return -1;
	return 0;
}

static const migration_t *find_migration(int version)
{
	for (int m = 0; m < migrations_count; m++)
		if (migrations[m].version == version)
			return &migrations[m];
	return NULL;
}

static bool superseded(int version, const char *sha256)
{
	for (int i = 0; i < migration_superseded_count; i++)
		if (migration_superseded[i].version == version && !strcmp(migration_superseded[i].sha256, sha256))
			return true;
	return false;
}

/* Every applied migration must be the file this build carries, byte for
 * byte (or one of its comment-only predecessors): an edited one means this database's schema is not the one the
 * files describe.  Marks in `applied` which of migrations[] are applied. */
static int check_applied(PGconn *pg, bool *applied)
{
	PGresult *r = run(pg, "SELECT version, name, checksum FROM schema_migrations ORDER BY version", PGRES_TUPLES_OK);
	if (!r)
		return -1;
	int rc = 0;
	for (int row = 0; row < PQntuples(r) && rc == 0; row++) {
		int version = atoi(PQgetvalue(r, row, 0));
		const migration_t *m = find_migration(version);
		if (!m) {
			log_error("event=migration_unknown version=%d file=%s msg=\"the database has a migration this "
				  "yaksokd does not carry: it was upgraded by a newer release\"",
				  version, PQgetvalue(r, row, 1));
			rc = -1;
		} else if (PQgetisnull(r, row, 2) || superseded(version, PQgetvalue(r, row, 2))) {
			/* Recorded before checksums, or before a comment-only edit. */
			const char *params[] = { m->sha256, PQgetvalue(r, row, 0) };
			rc = exec_params_ok(pg, "UPDATE schema_migrations SET checksum = $1 WHERE version = $2::int", 2,
					    params);
			if (rc == 0)
				log_info("event=migration_checksum_recorded file=%s", m->name);
		} else if (strcmp(PQgetvalue(r, row, 2), m->sha256) != 0) {
			log_error("event=migration_edited file=migrations/%s recorded_sha256=%s file_sha256=%s "
				  "msg=\"an applied migration was changed since; restore it and put the change in a "
				  "new migration\"",
				  m->name, PQgetvalue(r, row, 2), m->sha256);
			rc = -1;
		}
		if (m)
			applied[m - migrations] = true;
	}
	PQclear(r);
	return rc;
}

static int apply_migration(PGconn *pg, const migration_t *m)
{
	if (exec_ok(pg, "BEGIN"))
		return -1;
	char ver[16];
	snprintf(ver, sizeof(ver), "%d", m->version);
	const char *params[] = { ver, m->name, m->sha256 };
	if (exec_ok(pg, m->sql) ||
	    exec_params_ok(pg, "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", 3,
			   params) ||
	    exec_ok(pg, "COMMIT")) {
		log_error("event=migration_failed file=migrations/%s", m->name);
		PQclear(PQexec(pg, "ROLLBACK"));
		return -1;
	}
	log_info("event=migration_applied file=migrations/%s", m->name);
	return 0;
}

/* Function files [from, to) of migration_functions[] in one transaction:
 * those whose checksum differs from the one recorded, or all of them when
 * `all`.  Bodies are not checked against the tables while they are created
 * (check_function_bodies off, as pg_dump does), so the files may name each
 * other in any order; a body's mistake shows when it runs, in the tests. */
static int apply_functions(PGconn *pg, int from, int to, bool all, int *count)
{
	PGresult *r = run(pg, "SELECT file, checksum FROM schema_functions", PGRES_TUPLES_OK);
	if (!r)
		return -1;
	bool begun = false;
	int rc = 0;
	for (int f = from; f < to && rc == 0; f++) {
		const migration_t *m = &migration_functions[f];
		bool same = false;
		for (int row = 0; row < PQntuples(r); row++)
			if (!strcmp(PQgetvalue(r, row, 0), m->name))
				same = !strcmp(PQgetvalue(r, row, 1), m->sha256);
		if (same && !all)
			continue;
		if (!begun && (exec_ok(pg, "BEGIN") || exec_ok(pg, "SET LOCAL check_function_bodies = off"))) {
			rc = -1;
			break;
		}
		begun = true;
		const char *params[] = { m->name, m->sha256 };
		rc = exec_ok(pg, m->sql) ||
				     exec_params_ok(pg,
				    "INSERT INTO schema_functions (file, checksum) VALUES ($1, $2) ON CONFLICT (file) "
				    "DO UPDATE SET checksum = excluded.checksum, applied_at = now()",
				    2, params)
			     ? -1
			     : 0;
		if (rc)
			log_error("event=migration_failed file=migrations/%s", m->name);
		else
			++*count;
	}
	PQclear(r);
	if (begun && (rc || exec_ok(pg, "COMMIT"))) {
		PQclear(PQexec(pg, "ROLLBACK"));
		return -1;
	}
	return rc;
}

static int apply_pending(PGconn *pg)
{
	bool applied[migrations_count > 0 ? migrations_count : 1];
	memset(applied, 0, sizeof(applied));
	int funcs = 0, done = 0;
	if (ensure_bookkeeping(pg) || check_applied(pg, applied) ||
	    apply_functions(pg, 0, migration_functions_count > 0 ? 1 : 0, false, &funcs))
		return -1;
	for (int m = 0; m < migrations_count; m++) {
		if (applied[m])
			continue;
		if (apply_migration(pg, &migrations[m]))
			return -1;
		done++;
	}
	/* a numbered migration may have dropped a function to change its
	 * signature: then every file is applied again */
	if (apply_functions(pg, 1, migration_functions_count, done > 0, &funcs))
		return -1;
	log_info("event=schema_ready migrations=%d applied_now=%d function_files_applied=%d", migrations_count, done,
		 funcs);
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
		/* rows go in only through yk_audit_append, which runs as the owner */
		"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_log FROM %s",
		/* repairs of the chain are an administrator's, as the owner */
		"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_repairs FROM %s",
		"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM %s",
		"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_functions FROM %s",
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
