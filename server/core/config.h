/* The daemon's settings: one declarative table (name, environment variable,
 * type, default, bounds, help) from which flags, environment lookup and --help
 * are all produced. */
#ifndef YK_CONFIG_H
#define YK_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
	char *listen;            /* HOST:PORT */
	char *db;                /* libpq conninfo: the daemon's own role */
	char *db_owner;          /* the schema owner's, for migrations; NULL: db */
	char *db_replica;        /* libpq conninfos of streaming replicas, one a line; NULL: none */
	int64_t replica_wait_ms; /* how long a read waits for it to catch up */
	int64_t db_pool;
	int64_t max_frame;       /* largest request payload, bytes */
	int64_t max_conns_per_addr;
	char *trusted_addrs;      /* CIDR list: the city's NAT/proxy addresses */
	char *metrics_listen;     /* HOST:PORT of GET /metrics; NULL: none */
	int64_t login_timeout_s;  /* pre-login deadline */
	int64_t send_buffer;      /* output high-water mark per connection */
	int64_t send_buffer_total; /* ... and for all connections together */
	int64_t send_timeout_s;   /* how long output may stay above it */
	int64_t max_conns;
	int64_t read_cache_mb;    /* pcache.c; 0 turns it off */
	int64_t session_cache;    /* session.c, in entries; 0 turns it off */
	int64_t max_inflight;    /* requests in flight per connection */
	int64_t db_queue_max;    /* requests waiting for a database connection */
	int64_t db_wait_ms;      /* how long a request may wait for one */
	int64_t drain_ms;        /* SIGTERM: time in-flight requests get */
	int64_t session_hours;
	int64_t hash_workers;    /* password hashes computed at once */
	int64_t figures_interval_s; /* between passes of core/figures.c */
	int64_t idle_timeout_s;  /* a connection with nothing in flight is closed after this */
	int64_t frame_timeout_s; /* a frame must be complete this long after its first byte */
	char *port_file;         /* write the bound port here (for tests: --listen 127.0.0.1:0) */
	char *log_level;
	char *tls_cert;          /* PEM chain; with tls_key, the listener speaks TLS only */
	char *tls_key;
	int64_t allow_plaintext; /* plaintext on a non-loopback address (behind a TLS proxy) */
	char *config;            /* the file the options were read from, if any */
	int64_t check_config;    /* check, print and exit */
} yk_config_t;

/* Fill cfg from defaults, a --config file, the environment, then argv (each
 * overriding the one before).  Returns 0 to run,
 * 1 when --help/--version was printed (exit 0), -1 on a usage error (exit 2;
 * the problem has been printed). */
int config_load(yk_config_t *cfg, int argc, char **argv);
void config_free(yk_config_t *cfg);
/* Every option as `name = value` (--check-config); connection strings that
 * hold a password are not printed. */
void config_print(const yk_config_t *cfg, FILE *out);

/* The values of a list option (--db-replica: one a line), one at a time:
 * the next value's start, its length in *len, and *cursor moved past it;
 * NULL after the last. */
const char *config_list_next(const char **cursor, size_t *len);

/* Split cfg->listen into host and port. */
int config_listen_addr(const yk_config_t *cfg, char *host, size_t hostlen, int *port);

#endif
