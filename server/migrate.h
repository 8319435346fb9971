/* Schema migrations, applied at start-up before the event loop runs (the one
 * place where blocking libpq calls are allowed).  The SQL files of migrations/
 * are compiled into the daemon (cmake/embed_migrations.cmake). */
#ifndef YK_MIGRATE_H
#define YK_MIGRATE_H

typedef struct {
	int version;
	const char *name;
	const char *sql;
} migration_t;

extern const migration_t migrations[];
extern const int migrations_count;

/* Connect (waiting up to wait_s seconds for the database to come up), refuse a
 * server that does not make commits durable, apply pending migrations under
 * an advisory lock (two daemons starting together apply each file once), and
 * create the first admin when there are no accounts.  Returns 0 or -1 (the
 * reason has been logged). */
int migrate_run(const char *conninfo, int wait_s);

#endif
