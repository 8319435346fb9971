#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <protobuf-c/protobuf-c.h>
#include <uv.h>

#include <unistd.h>

#include "bounds.h"
#include "cidr.h"
#include "log.h"

/* OPT_LIST: a string option that may be given more than once in one place
 * (flags, the file): the values, one per line; a later place replaces it. */
typedef enum { OPT_INT, OPT_STR, OPT_FLAG, OPT_LIST } opt_type_t;

typedef struct {
	const char *name;
	const char *env;
	opt_type_t type;
	size_t offset;
	const char *def;
	int64_t min, max;
	const char *help;
} opt_t;

#define OFF(f) offsetof(yk_config_t, f)

static const opt_t options[] = {
	{ "listen", "YAKSOK_LISTEN", OPT_STR, OFF(listen), "127.0.0.1:7450", 0, 0, "TCP address to serve, HOST:PORT (port 0 picks a free one)" },
	{ "db", "YAKSOK_DB", OPT_STR, OFF(db), NULL, 0, 0, "libpq connection string or URI (required)" },
	{ "db-owner", "YAKSOK_DB_OWNER", OPT_STR, OFF(db_owner), NULL, 0, 0, "libpq connection of the role that owns the schema: migrations run as it, and the daemon's own role (--db) gets only what it needs" },
	{ "db-replica", "YAKSOK_DB_REPLICA", OPT_LIST, OFF(db_replica), NULL, 0, 0, "libpq connection to a streaming replica (target_session_attrs=standby or prefer-standby), once per replica (at most 8): reads go to one that has replayed what the reader must see (docs/operations.md \"Replicas\")" },
	{ "replica-wait-ms", "YAKSOK_REPLICA_WAIT_MS", OPT_INT, OFF(replica_wait_ms), "200", 0, 60000, "how long a read waits for the replica to replay what it must see before the primary serves it" },
	{ "db-pool", "YAKSOK_DB_POOL", OPT_INT, OFF(db_pool), "4", 1, 64, "PostgreSQL connections kept open" },
	{ "max-frame", "YAKSOK_MAX_FRAME", OPT_INT, OFF(max_frame), "1048576", 1024, 64 * 1024 * 1024, "largest request accepted, in bytes; a longer one is refused and the connection closed" },
	{ "max-conns", "YAKSOK_MAX_CONNS", OPT_INT, OFF(max_conns), "1024", 1, 100000, "client connections served at once; more are told so and closed" },
	{ "max-conns-per-addr", "YAKSOK_MAX_CONNS_PER_ADDR", OPT_INT, OFF(max_conns_per_addr), "64", 1, 100000, "connections one address may hold at once before they log in (logged-in ones do not count: staff behind one NAT address); more are told so and closed" },
	{ "trusted-addrs", "YAKSOK_TRUSTED_ADDRS", OPT_STR, OFF(trusted_addrs), NULL, 0, 0, "comma-separated address ranges (10.0.0.0/8, 2001:db8::/32, one address) of the city's own NAT or proxies, whose connections --max-conns-per-addr does not hold" },
	{ "metrics-listen", "YAKSOK_METRICS_LISTEN", OPT_STR, OFF(metrics_listen), NULL, 0, 0, "HOST:PORT serving Prometheus metrics (GET /metrics, plain HTTP, no login: an internal address)" },
	{ "login-timeout", "YAKSOK_LOGIN_TIMEOUT", OPT_INT, OFF(login_timeout_s), "30", 1, 3600, "seconds a connection may stay open without logging in (or presenting a valid token)" },
	{ "send-buffer", "YAKSOK_SEND_BUFFER", OPT_INT, OFF(send_buffer), "8388608", 4096, 1024 * 1024 * 1024, "response bytes queued for one connection (counting each queued answer's bookkeeping) before the server stops reading from it; before a login, 64 KiB at most" },
	{ "send-buffer-total", "YAKSOK_SEND_BUFFER_TOTAL", OPT_INT, OFF(send_buffer_total), "268435456", 65536, 64LL * 1024 * 1024 * 1024, "response bytes queued for all connections together; past it, a connection with answers still unread is not read from until they are" },
	{ "send-timeout", "YAKSOK_SEND_TIMEOUT", OPT_INT, OFF(send_timeout_s), "30", 1, 3600, "seconds a client may leave --send-buffer of answers unread before it is cut off" },
	{ "read-cache-mb", "YAKSOK_READ_CACHE_MB", OPT_INT, OFF(read_cache_mb), "64", 0, 65536, "memory for the read cache of built documents, checked against the database's version on every read (0: off)" },
	{ "session-cache", "YAKSOK_SESSION_CACHE", OPT_INT, OFF(session_cache), "20000", 0, 10000000, "logged-in sessions remembered, so that a cached read or a progress item confirms its session in its own statement (0: off; with --read-cache-mb 0, off too)" },
	{ "max-inflight", "YAKSOK_MAX_INFLIGHT", OPT_INT, OFF(max_inflight), "32", 1, 4096, "requests one connection may have in flight before the server stops reading from it" },
	{ "db-queue-max", "YAKSOK_DB_QUEUE_MAX", OPT_INT, OFF(db_queue_max), "10000", 1, 1000000, "requests waiting for a database connection before new ones are refused" },
	{ "db-wait-ms", "YAKSOK_DB_WAIT_MS", OPT_INT, OFF(db_wait_ms), "10000", 10, 600000, "how long a request waits for a database connection" },
	{ "drain-ms", "YAKSOK_DRAIN_MS", OPT_INT, OFF(drain_ms), "10000", 0, 600000, "on SIGTERM, how long in-flight requests get to finish" },
	{ "session-hours", "YAKSOK_SESSION_HOURS", OPT_INT, OFF(session_hours), "12", 1, 24 * 90, "how long a login token stays valid" },
	{ "hash-workers", "YAKSOK_HASH_WORKERS", OPT_INT, OFF(hash_workers), "2", 1, 64, "password hashes computed at once (each takes 64 MiB)" },
	{ "idle-timeout", "YAKSOK_IDLE_TIMEOUT", OPT_INT, OFF(idle_timeout_s), "300", 1, 86400, "seconds an idle connection is kept" },
	{ "figures-interval", "YAKSOK_FIGURES_INTERVAL", OPT_INT, OFF(figures_interval_s), "5", 1, 3600, "seconds between passes that keep the figures yaksok stats counts for the versions written since (stats works out the rest from the documents)" },
	{ "frame-timeout", "YAKSOK_FRAME_TIMEOUT", OPT_INT, OFF(frame_timeout_s), "30", 1, 3600, "seconds a started frame has to arrive whole (a trickle does not keep it alive)" },
	{ "port-file", "YAKSOK_PORT_FILE", OPT_STR, OFF(port_file), NULL, 0, 0, "write the port actually bound to this file" },
	{ "log-level", "YAKSOK_LOG_LEVEL", OPT_STR, OFF(log_level), "info", 0, 0, "error, warn, info or debug" },
	{ "tls-cert", "YAKSOK_TLS_CERT", OPT_STR, OFF(tls_cert), NULL, 0, 0, "certificate chain (PEM); with --tls-key the listener speaks only TLS" },
	{ "tls-key", "YAKSOK_TLS_KEY", OPT_STR, OFF(tls_key), NULL, 0, 0, "private key (PEM) of --tls-cert" },
	{ "allow-plaintext", "YAKSOK_ALLOW_PLAINTEXT", OPT_FLAG, OFF(allow_plaintext), "0", 0, 1, "serve plaintext on a non-loopback address (only behind a TLS-terminating proxy)" },
	{ "config", "YAKSOK_CONFIG", OPT_STR, OFF(config), NULL, 0, 0, "read options from FILE, one `name = value` a line (the names of these flags; # comments); the environment and flags override it" },
	{ "check-config", "YAKSOK_CHECK_CONFIG", OPT_FLAG, OFF(check_config), "0", 0, 1, "check the options (and the files they name), print the result and exit: 0 when they would start" },
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: yaksokd [OPTION]...\n\n"
		     "The yaksok daemon: serves the yaksok protocol over TCP and keeps pledges in PostgreSQL.\n\n");
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const opt_t *o = &options[i];
		char flag[64];
		snprintf(flag, sizeof(flag), "--%s %s", o->name,
			 o->type == OPT_INT ? "N" : o->type == OPT_FLAG ? "" : o->type == OPT_LIST ? "VALUE..." : "VALUE");
		fprintf(out, "  %-24s %s\n  %-24s (env %s%s%s)\n", flag, o->help, "", o->env,
			o->def ? ", default " : "", o->def ? o->def : "");
	}
	fprintf(out, "  %-24s %s\n  %-24s %s\n\n", "--version", "print the version and exit", "--help", "print this help and exit");
	fprintf(out, "YAKSOK_ADMIN_PASSWORD: on a database without accounts, create `admin` with this password\n"
		     "(without it, one is generated and printed once to stderr).\n"
		     "SIGTERM or SIGINT: stop accepting, finish in-flight requests (at most --drain-ms), exit 0.\n");
}

/* Where each list option's value came from (0 none or the default, 1 the
 * file, 2 the environment, 3 a flag): a value from the same place is added to
 * it, one from a later place replaces it. */
static int list_from[64];
_Static_assert(N_OPTIONS <= sizeof(list_from) / sizeof(list_from[0]), "list_from has a place per option");

static int origin_class(const char *origin)
{
	return !strcmp(origin, "flag") ? 3 : !strcmp(origin, "environment") ? 2 : !strcmp(origin, "default") ? 0 : 1;
}

static int set_option(yk_config_t *cfg, const opt_t *o, const char *val, const char *origin)
{
	char *target = (char *)cfg + o->offset;
	if (o->type == OPT_LIST) {
		char **p = (char **)target;
		size_t idx = (size_t)(o - options);
		int from = origin_class(origin);
		bool add = *p && list_from[idx] == from;
		if (strchr(val, '\n')) {
			fprintf(stderr, "yaksokd: %s %s: a line break in the value\n", origin, o->name);
			return -1;
		}
		char *v = add ? malloc(strlen(*p) + strlen(val) + 2) : strdup(val);
		if (!v)
			return -1;
		if (add)
			sprintf(v, "%s\n%s", *p, val);
		free(*p);
		*p = v;
		list_from[idx] = from;
		return 0;
	}
	if (o->type == OPT_STR) {
		char **p = (char **)target;
		free(*p);
		*p = strdup(val);
		return *p ? 0 : -1;
	}
	if (o->type == OPT_FLAG) {
		bool on = !strcmp(val, "1") || !strcmp(val, "true") || !strcmp(val, "yes");
		if (!on && strcmp(val, "0") && strcmp(val, "false") && strcmp(val, "no")) {
			fprintf(stderr, "yaksokd: %s %s: expected 1 or 0, got \"%s\"\n", origin, o->name, val);
			return -1;
		}
		*(int64_t *)target = on;
		return 0;
	}
	char *end;
	errno = 0;
	long long v = strtoll(val, &end, 10);
	if (errno || end == val || *end || v < o->min || v > o->max) {
		fprintf(stderr, "yaksokd: %s %s: expected a whole number from %lld to %lld, got \"%s\"\n", origin, o->name,
			(long long)o->min, (long long)o->max, val);
		return -1;
	}
	*(int64_t *)target = v;
	return 0;
}

/* A password given in a connection string on the command line would show in
 * ps and /proc for as long as the daemon runs: blank it in argv once it has
 * been copied (better still: ~/.pgpass, or YAKSOK_DB in the environment). */
static void scrub_passwords(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *p = strstr(argv[i], "password=");
		if (p)
			for (p += 9; *p && *p != ' '; p++)
				*p = 'x';
		char *scheme = strstr(argv[i], "://");
		if (scheme) {
			char *auth = scheme + 3, *at = strchr(auth, '@'), *colon = strchr(auth, ':');
			if (at && colon && colon < at)
				for (p = colon + 1; p < at; p++)
					*p = 'x';
		}
	}
}

static const opt_t *find_option(const char *name)
{
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (!strcmp(options[i].name, name))
			return &options[i];
	return NULL;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* `name = value` lines; blank lines and # comments skipped; a value may be
 * in double quotes.  0, or -1 after printing the file, line and problem. */
static int read_config_file(yk_config_t *cfg, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "yaksokd: --config %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[4096], origin[600];
	int n = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		n++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			fprintf(stderr, "yaksokd: %s:%d: expected name = value\n", path, n);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *name = trim(s), *val = trim(eq + 1);
		size_t vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			val[vl - 1] = '\0';
			val++;
		}
		const opt_t *o = find_option(name);
		if (!o || o->offset == OFF(config) || o->offset == OFF(check_config)) {
			fprintf(stderr, "yaksokd: %s:%d: no option \"%s\" (yaksokd --help lists them)\n", path, n, name);
			rc = -1;
			break;
		}
		snprintf(origin, sizeof(origin), "%s:%d:", path, n);
		rc = set_option(cfg, o, val, origin);
	}
	fclose(f);
	return rc;
}

/* --config FILE (or --config=FILE, or YAKSOK_CONFIG), before anything else
 * is read: the file comes between the defaults and the environment. */
static const char *config_path(int argc, char **argv)
{
	const char *path = getenv("YAKSOK_CONFIG");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			path = argv[i + 1];
		else if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
	}
	return path && *path ? path : NULL;
}

int config_load(yk_config_t *cfg, int argc, char **argv)
{
	memset(cfg, 0, sizeof(*cfg));
	memset(list_from, 0, sizeof(list_from));
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (options[i].def && set_option(cfg, &options[i], options[i].def, "default"))
			return -1;
	const char *file = config_path(argc, argv);
	if (file && read_config_file(cfg, file))
		return -1;
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const char *v = getenv(options[i].env);
		if (v && *v && set_option(cfg, &options[i], v, "environment"))
			return -1;
	}
	struct option longopts[N_OPTIONS + 3];
	for (size_t i = 0; i < N_OPTIONS; i++)
		longopts[i] = (struct option){ options[i].name, options[i].type == OPT_FLAG ? no_argument : required_argument,
					       NULL, (int)i + 1000 };
	longopts[N_OPTIONS] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[N_OPTIONS + 1] = (struct option){ "version", no_argument, NULL, 'V' };
	longopts[N_OPTIONS + 2] = (struct option){ 0 };
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == 'V') {
			printf("yaksokd %s (%s)\nprotocol 1, libuv %s, libpq %d, protobuf-c %s\n", YAKSOK_VERSION, YAKSOK_GIT,
			       uv_version_string(), PQlibVersion(), protobuf_c_version());
			return 1;
		}
		if (c >= 1000 && c < 1000 + (int)N_OPTIONS) {
			if (set_option(cfg, &options[c - 1000], optarg ? optarg : "1", "flag"))
				return -1;
			continue;
		}
		fprintf(stderr, "Try 'yaksokd --help'.\n");
		return -1;
	}
	scrub_passwords(argc, argv);
	if (optind < argc) {
		fprintf(stderr, "yaksokd: unexpected argument \"%s\"\nTry 'yaksokd --help'.\n", argv[optind]);
		return -1;
	}
	if (!cfg->db) {
		fprintf(stderr, "yaksokd: no database: give --db CONNINFO or set YAKSOK_DB\n");
		return -1;
	}
	if (log_level_parse(cfg->log_level) < 0) {
		fprintf(stderr, "yaksokd: --log-level: expected error, warn, info or debug, got \"%s\"\n", cfg->log_level);
		return -1;
	}
	char host[64];
	int port;
	if (config_listen_addr(cfg, host, sizeof(host), &port)) {
		fprintf(stderr, "yaksokd: --listen: expected HOST:PORT, got \"%s\"\n", cfg->listen);
		return -1;
	}
	if (!cfg->tls_cert != !cfg->tls_key) {
		fprintf(stderr, "yaksokd: TLS needs both --tls-cert and --tls-key\n");
		return -1;
	}
	bool loopback = !strncmp(host, "127.", 4) || !strcmp(host, "::1") || !strcmp(host, "localhost");
	if (!cfg->tls_cert && !loopback && !cfg->allow_plaintext) {
		fprintf(stderr, "yaksokd: --listen %s is not a loopback address: serve TLS (--tls-cert, --tls-key), or\n"
				"give --allow-plaintext when a TLS-terminating proxy stands in front\n",
			cfg->listen);
		return -1;
	}
	int replicas = 0;
	size_t len;
	for (const char *cur = cfg->db_replica; config_list_next(&cur, &len);)
		replicas++;
	if (replicas > LIMIT_REPLICAS) {
		fprintf(stderr, "yaksokd: --db-replica given %d times: at most %d replicas\n", replicas, LIMIT_REPLICAS);
		return -1;
	}
	if (cfg->trusted_addrs) {
		cidr_t ranges[LIMIT_TRUSTED_RANGES];
		const char *bad = NULL;
		if (cidr_parse_list(cfg->trusted_addrs, ranges, LIMIT_TRUSTED_RANGES, &bad) < 0) {
			fprintf(stderr, "yaksokd: --trusted-addrs: cannot read %s (address ranges like 10.0.0.0/8, comma-separated, "
					"at most %d)\n",
				bad, LIMIT_TRUSTED_RANGES);
			return -1;
		}
	}
	const char *const files[] = { cfg->tls_cert, cfg->tls_key };
	for (size_t i = 0; i < 2; i++)
		if (files[i] && access(files[i], R_OK)) {
			fprintf(stderr, "yaksokd: --%s %s: %s\n", i ? "tls-key" : "tls-cert", files[i], strerror(errno));
			return -1;
		}
	return 0;
}

void config_print(const yk_config_t *cfg, FILE *out)
{
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const opt_t *o = &options[i];
		const char *base = (const char *)cfg + o->offset;
		if (o->offset == OFF(check_config) || o->offset == OFF(config))
			continue;
		if (o->type == OPT_LIST) {
			const char *v = *(char *const *)base;
			if (!v)
				fprintf(out, "%s = (none)\n", o->name);
			const char *l, *cur = v;
			size_t n;
			while ((l = config_list_next(&cur, &n))) {
				bool secret = memmem(l, n, "password", 8) != NULL;
				fprintf(out, "%s = %.*s\n", o->name, (int)(secret ? 23 : n), secret ? "(set; holds a password)" : l);
			}
		} else if (o->type == OPT_STR) {
			const char *v = *(char *const *)base;
			/* a connection string may hold a password: never printed */
			bool secret = v && (o->offset == OFF(db) || o->offset == OFF(db_owner)) && strstr(v, "password");
			fprintf(out, "%s = %s\n", o->name, !v ? "(none)" : secret ? "(set; holds a password)" : v);
		} else {
			fprintf(out, "%s = %lld\n", o->name, (long long)*(const int64_t *)base);
		}
	}
}

const char *config_list_next(const char **cursor, size_t *len)
{
	const char *l = *cursor;
	if (!l || !*l)
		return NULL;
	*len = strcspn(l, "\n");
	*cursor = l + *len + (l[*len] == '\n');
	return l;
}

int config_listen_addr(const yk_config_t *cfg, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(cfg->listen, ':');
	if (!colon || colon == cfg->listen || (size_t)(colon - cfg->listen) >= hostlen)
		return -1;
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || p < 0 || p > 65535)
		return -1;
	memcpy(host, cfg->listen, (size_t)(colon - cfg->listen));
	host[colon - cfg->listen] = '\0';
	*port = (int)p;
	return 0;
}

void config_free(yk_config_t *cfg)
{
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (options[i].type == OPT_STR || options[i].type == OPT_LIST) {
			char **p = (char **)((char *)cfg + options[i].offset);
			free(*p);
			*p = NULL;
		}
}
