/* bench CLIENTS SECONDS READ_PERCENT PLEDGES: load yaksokd (YK_SERVER, admin
 * with YK_ADMIN_PW) from CLIENTS processes (one connection each) for SECONDS:
 * each request is a whole-document read (PledgeGet, derived figures included)
 * with probability READ_PERCENT, else a quick update (progress add: version
 * check, audit row, idempotency key) of a random pledge; pledge i's code is
 * printf(BENCH_CODE, i), default "BENCH-%d".  Prints throughput, latency
 * percentiles and error counts, then one line for scripts to read:
 *   summary <requests/s> <p50 ms> <p99 ms> <max ms> <errors>
 * Figures to compare, not a pass/fail test. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpc.h"

#define MAX_SAMPLES 2000000

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* NULL for a refused request (counted by the caller); a broken connection
 * ends the client. */
static Yk__Response *call(rpc_t *rpc, arena_t *a, Yk__Request *req)
{
	Yk__Response *resp = NULL;
	const char *why;
	if (rpc_call(rpc, a, req, &resp, &why)) {
		fprintf(stderr, "bench: %s\n", why);
		exit(3);
	}
	if (resp->status != YK__CODE__OK) {
		static int shown;
		if (shown++ < 3)
			fprintf(stderr, "bench: status %d: %s\n", resp->status, resp->message ? resp->message : "");
		return NULL;
	}
	return resp;
}

/* A connection that has said Hello; exits on failure. */
static void open_conn(rpc_t *rpc, arena_t *a)
{
	const char *why;
	if (rpc_connect(rpc, getenv("YK_SERVER"), getenv("YAKSOK_CACERT"), &why)) {
		fprintf(stderr, "bench: %s\n", why);
		exit(2);
	}
	Yk__Request h = YK__REQUEST__INIT;
	Yk__Hello hello = YK__HELLO__INIT;
	hello.has_protocol_version = 1;
	hello.protocol_version = 1;
	h.body_case = YK__REQUEST__BODY_HELLO;
	h.hello = &hello;
	if (!call(rpc, a, &h))
		exit(4);
}

/* One login for all the clients (a token serves any number of connections),
 * so that no password hashing runs while the clock does. */
static void login(char token[80])
{
	rpc_t rpc;
	arena_t *a = arena_new(0);
	open_conn(&rpc, a);
	Yk__Request lr = YK__REQUEST__INIT;
	Yk__Login l = YK__LOGIN__INIT;
	l.login = "admin";
	l.password = getenv("YK_ADMIN_PW");
	lr.body_case = YK__REQUEST__BODY_LOGIN;
	lr.login = &l;
	Yk__Response *resp = call(&rpc, a, &lr);
	if (!resp)
		exit(4);
	snprintf(token, 80, "%s", resp->login->token);
	rpc_close(&rpc);
	arena_free(a);
}

/* Writes "r|w|e latency_us" lines to out. */
static int client(int id, int seconds, int read_pct, int pledges, char *token, FILE *out)
{
	srand((unsigned)(time(NULL) ^ (id * 7919)));
	rpc_t rpc;
	arena_t *a = arena_new(0);
	open_conn(&rpc, a);
	const char *fmt = getenv("BENCH_CODE") ? getenv("BENCH_CODE") : "BENCH-%d";
	double end = now_us() + seconds * 1e6;
	unsigned long n = 0;
	while (now_us() < end) {
		char code[32];
		snprintf(code, sizeof(code), fmt, 1 + rand() % pledges);
		Yk__Request req = YK__REQUEST__INIT;
		req.token = token;
		Yk__PledgeGet g = YK__PLEDGE_GET__INIT;
		Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
		Yk__ProgressAdd p = YK__PROGRESS_ADD__INIT;
		bool read = rand() % 100 < read_pct;
		if (read) {
			g.code = code;
			req.body_case = YK__REQUEST__BODY_PLEDGE_GET;
			req.pledge_get = &g;
		} else {
			p.indicator = "부하 시험";
			p.activity = "bench";
			p.text = arena_printf(a, "b%d-%lu", id, n);
			u.code = code;
			u.change_case = YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD;
			u.progress_add = &p;
			req.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
			req.pledge_update = &u;
			req.idempotency_key = arena_printf(a, "bench-%d-%d-%lu", (int)getpid(), id, n);
		}
		double t0 = now_us();
		bool ok = call(&rpc, a, &req) != NULL;
		fprintf(out, "%c %.0f\n", ok ? (read ? 'r' : 'w') : 'e', now_us() - t0);
		if (++n % 256 == 0) {
			arena_free(a);
			a = arena_new(0);
		}
	}
	arena_free(a);
	return 0;
}

static void report(const char *what, float *v, size_t n, double seconds)
{
	if (!n) {
		printf("%-6s      0 requests\n", what);
		return;
	}
	qsort(v, n, sizeof(*v), cmp);
	printf("%-6s %6zu requests  %8.1f/s   p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n", what, n,
	       (double)n / seconds, v[n / 2] / 1e3, v[n * 95 / 100] / 1e3, v[n * 99 / 100] / 1e3, v[n - 1] / 1e3);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: bench CLIENTS SECONDS READ_PERCENT PLEDGES\n");
		return 2;
	}
	int clients = atoi(argv[1]), seconds = atoi(argv[2]), read_pct = atoi(argv[3]), pledges = atoi(argv[4]);
	char token[80];
	login(token);
	FILE *tmp = tmpfile();
	if (!tmp)
		return 1;
	setvbuf(tmp, NULL, _IOLBF, 0);
	for (int i = 0; i < clients; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			/* one write() per line: children share the file and its offset */
			setvbuf(tmp, NULL, _IOLBF, 0);
			int rc = client(i, seconds, read_pct, pledges, token, tmp);
			fflush(tmp);
			_exit(rc);
		}
	}
	int failed = 0;
	for (int i = 0; i < clients; i++) {
		int st;
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			failed++;
	}
	rewind(tmp);
	float *r = malloc(sizeof(float) * MAX_SAMPLES), *w = malloc(sizeof(float) * MAX_SAMPLES);
	float *all = malloc(sizeof(float) * MAX_SAMPLES * 2);
	size_t nr = 0, nw = 0, ne = 0, na = 0;
	char kind;
	float us;
	while (fscanf(tmp, " %c %f", &kind, &us) == 2) {
		if (kind == 'r' && nr < MAX_SAMPLES)
			r[nr++] = all[na++] = us;
		else if (kind == 'w' && nw < MAX_SAMPLES)
			w[nw++] = all[na++] = us;
		else if (kind == 'e')
			ne++;
	}
	printf("%d clients, %d s, %d%% reads, %d pledges\n", clients, seconds, read_pct, pledges);
	report("read", r, nr, seconds);
	report("write", w, nw, seconds);
	printf("total  %8.1f requests/s, %zu errors, %d clients failed\n", (double)(nr + nw) / seconds, ne, failed);
	qsort(all, na, sizeof(*all), cmp);
	printf("summary %.1f %.2f %.2f %.2f %zu\n", (double)na / seconds, na ? all[na / 2] / 1e3 : 0,
	       na ? all[na * 99 / 100] / 1e3 : 0, na ? all[na - 1] / 1e3 : 0, ne + (size_t)failed);
	free(all);
	free(r);
	free(w);
	return failed ? 1 : 0;
}
