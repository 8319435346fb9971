#include "cli.h"

#include <getopt.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc_io.h"
#include "docmap.h"
#include "ops.h"
#include "reason.h"
#include "text.h"

int cli_exit_for(Yk__Code code)
{
	switch (code) {
	case YK__CODE__OK: return EXIT_OK;
	case YK__CODE__INVALID_ARGUMENT: return EXIT_INVALID;
	case YK__CODE__NOT_FOUND: return EXIT_NOTFOUND;
	case YK__CODE__ALREADY_EXISTS:
	case YK__CODE__FAILED_PRECONDITION: return EXIT_CONFLICT;
	case YK__CODE__PERMISSION_DENIED:
	case YK__CODE__UNAUTHENTICATED: return EXIT_AUTH;
	case YK__CODE__UNAVAILABLE: return EXIT_UNAVAILABLE;
	default: return EXIT_FAIL;
	}
}

static doc_node_t *text_node(arena_t *a, const char *s)
{
	return doc_str(a, s ? s : "", s ? strlen(s) : 0);
}

/* {"error": {"status", "reason", "message", "violations"}} on one line of
 * stderr; false when it could not be made (the text is printed then). */
static bool print_error_json(arena_t *a, const Yk__Response *resp)
{
	const ProtobufCEnumValue *status = protobuf_c_enum_descriptor_get_value(&yk__code__descriptor, resp->status);
	doc_node_t *top = doc_new(a, DOC_MAP), *e = doc_new(a, DOC_MAP), *vs = doc_new(a, DOC_SEQ);
	if (!top || !e || !vs || doc_set(a, top, "error", e) ||
	    doc_set(a, e, "status", text_node(a, status ? status->name : "UNKNOWN")) ||
	    doc_set(a, e, "reason", text_node(a, yk_reason_name(resp->has_reason ? resp->reason : 0))) ||
	    doc_set(a, e, "message", text_node(a, resp->message)) || doc_set(a, e, "violations", vs))
		return false;
	for (size_t i = 0; i < resp->n_violations; i++) {
		doc_node_t *v = doc_new(a, DOC_MAP);
		if (!v || doc_set(a, v, "path", text_node(a, resp->violations[i]->path)) ||
		    doc_set(a, v, "problem", text_node(a, resp->violations[i]->problem)) || doc_push(a, vs, v))
			return false;
	}
	buf_t out = BUF_INIT;
	bool ok = !doc_write_json(&out, top, 0);
	if (ok)
		fprintf(stderr, "%s\n", out.data);
	buf_free(&out);
	return ok;
}

void cli_print_error(cli_t *cli, const Yk__Response *resp)
{
	if (cli_json(cli) && print_error_json(cli->arena, resp))
		return;
	fprintf(stderr, "yaksok: %s\n", resp->message && *resp->message ? resp->message : "the request failed");
	for (size_t i = 0; i < resp->n_violations; i++) {
		const Yk__FieldViolation *v = resp->violations[i];
		if (v->path && *v->path)
			fprintf(stderr, "  %s: %s\n", v->path, v->problem ? v->problem : "");
		else
			fprintf(stderr, "  %s\n", v->problem ? v->problem : "");
	}
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "yaksok %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* one line: what is wrong, and where the usage is */
	fprintf(stderr, " (yaksok %s --help)\n", cmd);
	return EXIT_USAGE;
}

bool cli_year_arg(const char *cmd, const char *arg, uint32_t *year)
{
	char *end;
	long y = strtol(arg, &end, 10);
	if (*end || end == arg || y < 1000 || y > 9999) {
		cli_usage_error(cmd, "--year %s: expected a year like 2021", arg);
		return false;
	}
	*year = (uint32_t)y;
	return true;
}

bool cli_wants_help(int argc, char **argv, const char *usage)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return true;
		}
	}
	return false;
}

/* Edit distance over bytes (the words are ASCII names), a swap of two
 * neighbours counting as one edit, as typing goes wrong; capped. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	size_t d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *cli_nearest(const char *word, const char *const *candidates, size_t n)
{
	size_t len = strlen(word), limit = len / 3 > 1 ? len / 3 : 1;
	const char *best = NULL;
	size_t best_d = limit + 1;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, candidates[i]);
		if (len >= 3 && !strncmp(candidates[i], word, len))
			d = 1; /* the start of a name */
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}

bool cli_json(const cli_t *cli)
{
	return cli->output && !strcmp(cli->output, "json");
}

int cli_print_json(cli_t *cli, const ProtobufCMessage *m)
{
	return cli_print_tree(docmap_to_tree(cli->arena, m));
}

int cli_print_tree(const doc_node_t *tree)
{
	buf_t out = BUF_INIT;
	int rc = !tree || doc_write_json(&out, tree, 2);
	if (!rc)
		fputs(out.data, stdout);
	buf_free(&out);
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cli_bad_option(const char *cmd, char *const *argv, const struct option *opts)
{
	if (optopt) {
		for (const struct option *o = opts; o->name; o++)
			if (o->val == optopt && !o->flag)
				return cli_usage_error(cmd, "--%s needs a value", o->name);
		return cli_usage_error(cmd, "-%c is not an option", optopt);
	}
	const char *bad = optind > 0 ? argv[optind - 1] : "?";
	char name[64];
	size_t n = strcspn(bad + (bad[0] == '-') + (bad[1] == '-'), "=");
	snprintf(name, sizeof(name), "%.*s", (int)(n < 63 ? n : 63), bad + (bad[0] == '-') + (bad[1] == '-'));
	const char *names[64];
	size_t k = 0;
	for (const struct option *o = opts; o->name && k < 64; o++)
		names[k++] = o->name;
	const char *near = cli_nearest(name, names, k);
	if (near)
		return cli_usage_error(cmd, "no option %.*s; did you mean --%s?", (int)strcspn(bad, "="), bad, near);
	return cli_usage_error(cmd, "no option %.*s", (int)strcspn(bad, "="), bad);
}

int cli_help(int argc, char **argv, const char *usage, int min_args)
{
	if (argc < min_args) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	return cli_wants_help(argc, argv, usage) ? EXIT_OK : -1;
}

/* A server that refuses a connection for its load (too many connections,
 * from everyone or from this address) is tried again, with growing waits:
 * at a deadline a whole department may press enter at once. */
#define CONNECT_ATTEMPTS 5

static int connect_once(cli_t *cli, Yk__Response **refused);

int cli_connect(cli_t *cli)
{
	for (int attempt = 1;; attempt++) {
		Yk__Response *refused = NULL;
		int rc = connect_once(cli, &refused);
		if (!refused || attempt == CONNECT_ATTEMPTS) {
			if (refused)
				cli_print_error(cli, refused);
			return rc;
		}
		unsigned wait_ms = 200u << (attempt - 1);
		wait_ms += (unsigned)(rand() % (int)(wait_ms / 2 + 1));
		fprintf(stderr, "yaksok: %s; trying again in %u ms (%d/%d)\n",
			refused->message ? refused->message : "the server refused the connection", wait_ms, attempt + 1,
			CONNECT_ATTEMPTS);
		usleep(wait_ms * 1000u);
	}
}

static int connect_once(cli_t *cli, Yk__Response **refused)
{
	if (cli->connected)
		return EXIT_OK;
	const char *why = NULL;
	if (rpc_connect(&cli->rpc, cli->server, cli->cacert, &why)) {
		fprintf(stderr, "yaksok: %s\n", why);
		return EXIT_UNAVAILABLE;
	}
	cli->connected = true;
	Yk__Request req = YK__REQUEST__INIT;
	Yk__Hello hello = YK__HELLO__INIT;
	hello.has_protocol_version = 1;
	hello.protocol_version = 1;
	hello.client_name = "yaksok " YAKSOK_VERSION;
	req.body_case = YK__REQUEST__BODY_HELLO;
	req.hello = &hello;
	Yk__Response *resp = NULL;
	if (rpc_call(&cli->rpc, cli->arena, &req, &resp, &why)) {
		fprintf(stderr, "yaksok: %s (%s)\n", why, cli->server);
		return EXIT_UNAVAILABLE;
	}
	if (resp->status == YK__CODE__RESOURCE_EXHAUSTED && resp->id == 0) {
		/* refused for the server's load: the caller waits and tries again */
		rpc_close(&cli->rpc);
		cli->connected = false;
		*refused = resp;
		return cli_exit_for(resp->status);
	}
	if (resp->status != YK__CODE__OK || resp->body_case != YK__RESPONSE__BODY_HELLO) {
		cli_print_error(cli, resp);
		return cli_exit_for(resp->status);
	}
	if (resp->hello->has_max_frame)
		cli->rpc.max_frame = resp->hello->max_frame;
	return EXIT_OK;
}

static bool is_write(Yk__Request__BodyCase b)
{
	const yk_op_t *op = yk_op_find(b);
	return op && op->writes;
}

#define CALL_ATTEMPTS 3

Yk__Response *cli_call(cli_t *cli, Yk__Request *req, int *exit_code)
{
	return cli_call_in(cli, cli->arena, req, exit_code);
}

Yk__Response *cli_call_in(cli_t *cli, arena_t *arena, Yk__Request *req, int *exit_code)
{
	if (cli->token && !req->token)
		req->token = (char *)cli->token;
	/* A write carries a key of its own; a retry after a timeout or a broken
	 * connection sends the same key, so the server applies it at most once. */
	if (is_write(req->body_case) && !req->idempotency_key && cli->idempotency_key)
		req->idempotency_key = (char *)cli->idempotency_key;
	if (is_write(req->body_case) && !req->idempotency_key) {
		unsigned char raw[16];
		FILE *f = fopen("/dev/urandom", "rb");
		if (!f || fread(raw, 1, sizeof(raw), f) != sizeof(raw)) {
			if (f)
				fclose(f);
			fprintf(stderr, "yaksok: cannot read /dev/urandom\n");
			*exit_code = EXIT_FAIL;
			return NULL;
		}
		fclose(f);
		char *key = arena_alloc(cli->arena, 33);
		for (size_t i = 0; key && i < sizeof(raw); i++)
			snprintf(key + 2 * i, 3, "%02x", raw[i]);
		req->idempotency_key = key;
	}
	if (cli->min_lsn) {
		req->has_min_lsn = 1;
		req->min_lsn = cli->min_lsn;
	}
	Yk__Response *resp = NULL;
	for (int attempt = 1;; attempt++) {
		*exit_code = cli_connect(cli);
		if (*exit_code)
			return NULL;
		const char *why = NULL;
		rpc_err_t e = rpc_call(&cli->rpc, arena, req, &resp, &why);
		/* "Outcome unknown" (or the database away for a moment): the same
		 * key again either replays the first answer or applies it once. */
		if (!e && resp->status == YK__CODE__UNAVAILABLE && req->idempotency_key && attempt < CALL_ATTEMPTS) {
			fprintf(stderr, "yaksok: %s; retrying (%d/%d)\n", resp->message ? resp->message : "unavailable",
				attempt + 1, CALL_ATTEMPTS);
			usleep(300000u * (unsigned)attempt);
			continue;
		}
		if (!e)
			break;
		if (e != RPC_IO || attempt == CALL_ATTEMPTS || !req->idempotency_key) {
			fprintf(stderr, "yaksok: %s\n", why);
			*exit_code = e == RPC_TOO_BIG ? EXIT_INVALID : EXIT_UNAVAILABLE;
			return NULL;
		}
		fprintf(stderr, "yaksok: %s; retrying (%d/%d)\n", why, attempt + 1, CALL_ATTEMPTS);
		rpc_close(&cli->rpc);
		cli->connected = false;
		usleep(300000u * (unsigned)attempt);
	}
	/* a write's commit position: kept (with the saved login) so that this
	 * client's later reads, from any replica, see it */
	if (resp->has_commit_lsn && resp->commit_lsn > cli->min_lsn) {
		cli->min_lsn = resp->commit_lsn;
		if (cli->saved_here) {
			cli->saved.lsn = cli->min_lsn;
			creds_save(&cli->saved);
		}
	}
	if (resp->status != YK__CODE__OK) {
		if (!cli->quiet)
			cli_print_error(cli, resp);
		*exit_code = cli_exit_for(resp->status);
		return NULL;
	}
	*exit_code = EXIT_OK;
	return resp;
}

/* A visible file name ending in one of `exts` (".yaml", ...). */
static bool named_with(const char *name, const char *const *exts)
{
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; name[0] != '.' && dot && exts[i]; i++)
		if (!strcmp(dot, exts[i]))
			return true;
	return false;
}

int cli_by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends `name` to the growing list; -1 when it cannot grow. */
static int push_name(const char ***list, size_t *cap, size_t *k, const char *name)
{
	if (*k == *cap) {
		const char **grown = realloc(*list, (*cap * 2) * sizeof(**list));
		if (!grown)
			return -1;
		*list = grown;
		*cap *= 2;
	}
	(*list)[(*k)++] = name;
	return 0;
}

int cli_expand_files(cli_t *cli, const char *const *names, size_t n, const char *const *exts, const char *what,
		     const char ***out, size_t *nout)
{
	size_t cap = n + 16, k = 0;
	const char **list = malloc(cap * sizeof(*list));
	if (!list)
		return EXIT_FAIL;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		DIR *d = strcmp(names[i], "-") && stat(names[i], &st) == 0 && S_ISDIR(st.st_mode) ? opendir(names[i]) : NULL;
		if (!d) {
			if (push_name(&list, &cap, &k, names[i])) {
				free(list);
				return EXIT_FAIL;
			}
			continue;
		}
		size_t first = k;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!named_with(e->d_name, exts))
				continue;
			if (push_name(&list, &cap, &k, arena_printf(cli->arena, "%s/%s", names[i], e->d_name))) {
				closedir(d);
				free(list);
				return EXIT_FAIL;
			}
		}
		closedir(d);
		qsort(list + first, k - first, sizeof(*list), cli_by_name);
		if (k == first) {
			fprintf(stderr, "yaksok: %s holds no %s\n", names[i], what);
			free(list);
			return EXIT_USAGE;
		}
	}
	/* into the arena, which owns everything a command makes */
	const char **kept = arena_alloc(cli->arena, (k ? k : 1) * sizeof(*kept));
	if (kept)
		memcpy(kept, list, k * sizeof(*kept));
	free(list);
	if (!kept)
		return EXIT_FAIL;
	*out = kept;
	*nout = k;
	return EXIT_OK;
}

char *cli_read_file(cli_t *cli, const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		fprintf(stderr, "yaksok: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 64 * 1024, n = 0;
	char *data = malloc(cap);
	while (data) {
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			char *more = cap > (256u << 20) ? NULL : realloc(data, cap * 2);
			if (!more) {
				free(data);
				data = NULL;
				break;
			}
			data = more;
			cap *= 2;
		}
	}
	bool err = ferror(f);
	if (f != stdin)
		fclose(f);
	if (!data || err) {
		free(data);
		fprintf(stderr, "yaksok: cannot read %s\n", path);
		return NULL;
	}
	char *copy = arena_strndup(cli->arena, data, n);
	free(data);
	*len = n;
	return copy;
}

const char *cli_output(cli_t *cli, const char *cmd, const char *const *allowed)
{
	if (!cli->output)
		return allowed[0];
	for (size_t i = 0; allowed[i]; i++)
		if (!strcmp(cli->output, allowed[i]))
			return allowed[i];
	char list[200] = "";
	for (size_t i = 0; allowed[i]; i++) {
		strcat(list, i ? ", " : "");
		strcat(list, allowed[i]);
	}
	cli_usage_error(cmd, "-o %s: expected one of %s", cli->output, list);
	return NULL;
}

const char *cli_time_arg(cli_t *cli, const char *cmd, const char *in)
{
	int y, mo, d, h = 23, mi = 59, sec = 59, n = 0, frac_len = 0;
	const char *frac = "";
	char sep = 0;
	struct tm tm = { 0 };
	size_t len = strlen(in);
	if (len == 10 && sscanf(in, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10) {
		tm = (struct tm){ .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = 23, .tm_min = 59,
				  .tm_sec = 59, .tm_isdst = -1 };
	} else if (sscanf(in, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &n) == 6 && (sep == 'T' || sep == ' ')) {
		const char *rest = in + n;
		sec = 0;
		int m2 = 0;
		if (*rest == ':' && sscanf(rest, ":%2d%n", &sec, &m2) == 1)
			rest += m2;
		/* a fraction of a second is kept: a timestamp from history
		 * (microseconds) given back selects that very version */
		frac = rest;
		if (*rest == '.')
			for (rest++; *rest >= '0' && *rest <= '9'; rest++)
				;
		frac_len = (int)(rest - frac);
		if (frac_len > 7) {
			cli_usage_error(cmd, "--at %s: at most six digits of a second", in);
			return NULL;
		}
		if (*rest == 'Z' || *rest == '+' || *rest == '-') {
			/* has its own zone: the server takes it as it is */
			return arena_printf(cli->arena, "%04d-%02d-%02dT%02d:%02d:%02d%.*s%s", y, mo, d, h, mi, sec, frac_len,
					    frac, rest);
		}
		if (*rest) {
			cli_usage_error(cmd, "--at %s: expected a date (2021-04-01) or a time (2021-04-01T09:00)", in);
			return NULL;
		}
		tm = (struct tm){ .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
				  .tm_sec = sec, .tm_isdst = -1 };
	} else {
		cli_usage_error(cmd, "--at %s: expected a date (2021-04-01) or a time (2021-04-01T09:00)", in);
		return NULL;
	}
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60) {
		cli_usage_error(cmd, "--at %s: not a real date or time", in);
		return NULL;
	}
	time_t t = mktime(&tm);
	struct tm utc;
	gmtime_r(&t, &utc);
	/* a whole date reaches to the last microsecond of that day */
	return arena_printf(cli->arena, "%04d-%02d-%02dT%02d:%02d:%02d%.*sZ", utc.tm_year + 1900, utc.tm_mon + 1,
			    utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, len == 10 ? 7 : frac_len,
			    len == 10 ? ".999999" : frac);
}

void cli_progress(cli_t *cli, size_t i, size_t n, const char *name)
{
	fflush(stderr);
	/* straight to the terminal: the stream's filter would show the
	 * carriage return and the erase; the name is made printable here */
	const char *line = n ? arena_printf(cli->arena, "\r\033[K[%zu/%zu] %s", i, n, text_printable(cli->arena, name))
			     : "\r\033[K";
	if (line && write(STDERR_FILENO, line, strlen(line)) < 0)
		return; /* a progress line is worth no error */
}
