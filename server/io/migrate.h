/* Schema migrations, applied at start-up on a thread of libuv's pool while the
 * loop already serves (the one place where blocking libpq calls are allowed:
 * never on the loop).  The SQL files of migrations/ are compiled into the
 * daemon with their SHA-256 (cmake/embed_migrations.cmake):
 *  - numbered migrations (tables, types, indexes, signature changes) are
 *    applied once each, in order, and their checksum recorded; a daemon
 *    refuses to start, naming the file, when an applied one was edited since;
 *  - function files (migrations/functions/, the one current definition of
 *    every SQL function) are applied whenever their checksum differs from
 *    the one recorded, and all of them after any numbered migration;
 *    functions/base.sql before the numbered ones, the rest after. */
#ifndef YK_MIGRATE_H
#define YK_MIGRATE_H

#include <stdatomic.h>

typedef struct {
	int version;
	const char *name;
	const char *sql;
	const char *sha256;  /* hex */
} migration_t;

/* An old checksum of an applied migration whose comments alone were edited
 * (migrations/superseded.txt). */
typedef struct {
	int version;
	const char *sha256;
} migration_superseded_t;

extern const migration_t migrations[];
extern const int migrations_count;
extern const migration_t migration_functions[];  /* functions/base.sql first */
extern const int migration_functions_count;
extern const migration_superseded_t migration_superseded[];
extern const int migration_superseded_count;

/* Connect as the daemon's role (`conninfo`; retrying with back-off and jitter
 * for as long as the database is down, until *stop is set), refuse a server
 * that does not make commits durable, then as the schema's owner
 * (`owner_conninfo`, or the daemon's role when NULL) apply pending migrations
 * under an advisory lock (two daemons starting together apply each file
 * once), grant the daemon's role what it needs (no UPDATE or DELETE on the
 * audit trail), and create the first admin when there are no accounts.
 * Returns 0, -1 (a reason to give up, logged) or 1 (stopped first). */
int migrate_run(const char *conninfo, const char *owner_conninfo, const atomic_bool *stop);

#endif
