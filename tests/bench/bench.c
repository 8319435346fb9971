/* bench CLIENTS SECONDS READ_PERCENT PLEDGES: load yaksokd (YK_SERVER, admin
 * with YK_ADMIN_PW) over CLIENTS connections for SECONDS: each request is a
 * whole-document read (PledgeGet, derived figures included) with probability
 * READ_PERCENT, else a quick update (progress add: version check, audit row,
 * idempotency key) of a random pledge; pledge i's code is printf(BENCH_CODE,
 * i), default "BENCH-%d".
 *
 * Two threads (as pgbench -j 2) each drive half of the connections without
 * blocking (epoll); every connection keeps BENCH_DEPTH requests in flight (default
 * 1; the protocol lets a client pipeline, answers carry the request's id).
 * A response is checked for its id and status without unpacking the
 * document, so that the client's own work stays small.  Prints throughput,
 * latency percentiles (from sending a request to its whole answer) and
 * error counts, then one line for scripts to read:
 *   summary <requests/s> <p50 ms> <p99 ms> <max ms> <errors>
 * Figures to compare, not a pass/fail test. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "rpc.h"

#define THREADS 2
#define MAX_DEPTH 64
#define MAX_SAMPLES 4000000

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

/* ----------------------------------------------------------- login */

static Yk__Response *call(rpc_t *rpc, arena_t *a, Yk__Request *req)
{
	Yk__Response *resp = NULL;
	const char *why;
	if (rpc_call(rpc, a, req, &resp, &why)) {
		fprintf(stderr, "bench: %s\n", why);
		exit(3);
	}
	if (resp->status != YK__CODE__OK) {
		fprintf(stderr, "bench: status %d: %s\n", resp->status, resp->message ? resp->message : "");
		return NULL;
	}
	return resp;
}

/* A Hello for protocol version 1 in h (hello is its body). */
static void hello_request(Yk__Request *h, Yk__Hello *hello)
{
	yk__request__init(h);
	yk__hello__init(hello);
	hello->has_protocol_version = 1;
	hello->protocol_version = 1;
	h->body_case = YK__REQUEST__BODY_HELLO;
	h->hello = hello;
}

/* One login for all the connections (a token serves any number of them),
 * so that no password hashing runs while the clock does. */
static void login(char token[80])
{
	rpc_t rpc;
	arena_t *a = arena_new(0);
	const char *why;
	if (rpc_connect(&rpc, getenv("YK_SERVER"), getenv("YAKSOK_CACERT"), &why)) {
		fprintf(stderr, "bench: %s\n", why);
		exit(2);
	}
	Yk__Request h;
	Yk__Hello hello;
	hello_request(&h, &hello);
	Yk__Request lr = YK__REQUEST__INIT;
	Yk__Login l = YK__LOGIN__INIT;
	l.login = "admin";
	l.password = getenv("YK_ADMIN_PW");
	lr.body_case = YK__REQUEST__BODY_LOGIN;
	lr.login = &l;
	Yk__Response *resp = call(&rpc, a, &h) ? call(&rpc, a, &lr) : NULL;
	if (!resp || !resp->login || !resp->login->token)
		exit(4);
	snprintf(token, 80, "%s", resp->login->token);
	rpc_close(&rpc);
	arena_free(a);
}

/* ----------------------------------------------------------- load */

typedef struct {
	uint64_t id;
	double t0;
	bool read;
} slot_t;

typedef struct {
	int fd;
	int no;           /* connection number, for idempotency keys */
	buf_t in, out;
	size_t out_off;
	bool want_out;    /* registered for EPOLLOUT */
	slot_t slots[MAX_DEPTH];
	int nslots;
	unsigned long sent;
} bconn_t;

typedef struct {
	int first, count;  /* connections */
	int depth, read_pct, pledges;
	int seconds;
	char write;       /* the writes: 'p' progress add, 's' status set, 'b' budget set */
	const char *token, *fmt;
	unsigned seed;
	/* results */
	float *lat;
	char *kind;       /* 'r', 'w' or 'e' */
	size_t n;
	int broken;
} worker_t;

static struct sockaddr_in server_addr;

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    connect(fd, (struct sockaddr *)&server_addr, sizeof(server_addr))) {
		perror("bench: connect");
		exit(2);
	}
	return fd;
}

static void queue(bconn_t *c, Yk__Request *req, bool read)
{
	static _Thread_local uint64_t next_id = 1;
	req->has_id = 1;
	req->id = next_id++;
	if (frame_append(&c->out, &req->base)) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	c->slots[c->nslots++] = (slot_t){ req->id, now_us(), read };
}

static void queue_hello(bconn_t *c)
{
	Yk__Request h;
	Yk__Hello hello;
	hello_request(&h, &hello);
	queue(c, &h, true);
}

static void queue_work(worker_t *w, bconn_t *c)
{
	char code[32], text[48], key[64];
	snprintf(code, sizeof(code), w->fmt, 1 + rand_r(&w->seed) % (unsigned)w->pledges);
	Yk__Request req = YK__REQUEST__INIT;
	req.token = (char *)w->token;
	Yk__PledgeGet g = YK__PLEDGE_GET__INIT;
	Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
	Yk__ProgressAdd p = YK__PROGRESS_ADD__INIT;
	Yk__StatusSet st = YK__STATUS_SET__INIT;
	Yk__BudgetCellSet bc = YK__BUDGET_CELL_SET__INIT;
	Yk__Decimal d = YK__DECIMAL__INIT;
	char num[16];
	bool read = (int)(rand_r(&w->seed) % 100) < w->read_pct;
	if (read) {
		g.code = code;
		req.body_case = YK__REQUEST__BODY_PLEDGE_GET;
		req.pledge_get = &g;
	} else {
		snprintf(text, sizeof(text), "b%d-%lu", c->no, c->sent);
		snprintf(key, sizeof(key), "bench-%d-%d-%lu", (int)getpid(), c->no, c->sent);
		u.code = code;
		snprintf(num, sizeof(num), "%u", 1 + rand_r(&w->seed) % 99);
		d.value = num;
		if (w->write == 's') { /* status set: the overall progress, an unguarded value */
			st.progress_pct = &d;
			u.change_case = YK__PLEDGE_UPDATE__CHANGE_STATUS_SET;
			u.status_set = &st;
		} else if (w->write == 'b') { /* budget set: a future period's plan (every generated card has 2022) */
			bc.source = "city";
			bc.period = "2022";
			bc.planned = &d;
			u.change_case = YK__PLEDGE_UPDATE__CHANGE_BUDGET_SET;
			u.budget_set = &bc;
		} else {
			p.indicator = "부하 시험";
			p.activity = "bench";
			p.text = text;
			u.change_case = YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD;
			u.progress_add = &p;
		}
		req.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
		req.pledge_update = &u;
		req.idempotency_key = key;
	}
	c->sent++;
	queue(c, &req, read);
}

static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		uint8_t b = *(*p)++;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/* The id and status of a yk.Response, read off the wire format; the rest
 * (the document) is skipped. */
static bool head_of(const uint8_t *p, size_t len, uint64_t *id, uint64_t *status)
{
	const uint8_t *end = p + len;
	*id = 0;
	*status = 0;
	while (p < end) {
		uint64_t key, v;
		if (!varint(&p, end, &key))
			return false;
		switch (key & 7) {
		case 0:
			if (!varint(&p, end, &v))
				return false;
			if (key >> 3 == 1)
				*id = v;
			else if (key >> 3 == 2)
				*status = v;
			break;
		case 1:
			if (end - p < 8)
				return false;
			p += 8;
			break;
		case 2:
			if (!varint(&p, end, &v) || v > (uint64_t)(end - p))
				return false;
			p += v;
			break;
		case 5:
			if (end - p < 4)
				return false;
			p += 4;
			break;
		default:
			return false;
		}
	}
	return p == end;
}

static void record(worker_t *w, char kind, double us)
{
	if (w->n < MAX_SAMPLES / THREADS) {
		w->lat[w->n] = (float)us;
		w->kind[w->n++] = kind;
	}
}

/* Every whole answer in c->in; false when the connection is unusable. */
static bool take_answers(worker_t *w, bconn_t *c, double now, bool counting)
{
	size_t off = 0;
	for (;;) {
		uint32_t len;
		int rc = frame_peek((const uint8_t *)c->in.data + off, c->in.len - off, 64u << 20, &len);
		if (rc < 0)
			return false;
		if (rc == 0)
			break;
		uint64_t id, status;
		if (!head_of((const uint8_t *)c->in.data + off + FRAME_HEADER, len, &id, &status))
			return false;
		off += FRAME_HEADER + len;
		int i = 0;
		while (i < c->nslots && c->slots[i].id != id)
			i++;
		if (i == c->nslots)
			return false;
		slot_t s = c->slots[i];
		c->slots[i] = c->slots[--c->nslots];
		if (status != YK__CODE__OK) {
			static int shown;
			if (__atomic_fetch_add(&shown, 1, __ATOMIC_RELAXED) < 3)
				fprintf(stderr, "bench: status %llu\n", (unsigned long long)status);
		}
		if (counting)
			record(w, status != YK__CODE__OK ? 'e' : (s.read ? 'r' : 'w'), now - s.t0);
	}
	buf_consume(&c->in, off);
	return true;
}

/* Sends what is queued; asks for EPOLLOUT only while some is left.  False
 * when the connection broke. */
static bool flush(int ep, bconn_t *c)
{
	while (c->out_off < c->out.len) {
		ssize_t k = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
		if (k > 0) {
			c->out_off += (size_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno != EAGAIN)
			return false;
		break;
	}
	bool more = c->out_off < c->out.len;
	if (!more) {
		buf_reset(&c->out);
		c->out_off = 0;
	}
	if (more != c->want_out) {
		struct epoll_event ev = { .events = EPOLLIN | (more ? EPOLLOUT : 0), .data.ptr = c };
		if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev))
			return false;
		c->want_out = more;
	}
	return true;
}

static void *drive(void *arg)
{
	worker_t *w = arg;
	bconn_t *cs = calloc((size_t)w->count, sizeof(*cs));
	struct epoll_event evs[64];
	int ep = epoll_create1(0);
	w->lat = malloc(sizeof(float) * (MAX_SAMPLES / THREADS));
	w->kind = malloc(MAX_SAMPLES / THREADS);
	if (!cs || ep < 0 || !w->lat || !w->kind) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	for (int i = 0; i < w->count; i++) {
		bconn_t *c = &cs[i];
		c->fd = dial();
		c->no = w->first + i;
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev)) {
			perror("bench: epoll_ctl");
			exit(1);
		}
		queue_hello(c);
		if (!flush(ep, c)) {
			perror("bench: send");
			exit(2);
		}
	}
	/* the Hellos are answered before the clock counts */
	bool started = false;
	int waiting = w->count;
	double end = 0;
	for (;;) {
		double now = now_us();
		if (!started && waiting == 0) {
			started = true;
			now = now_us();
			end = now + w->seconds * 1e6;
			for (int i = 0; i < w->count; i++) {
				while (cs[i].nslots < w->depth)
					queue_work(w, &cs[i]);
				if (!flush(ep, &cs[i])) {
					perror("bench: send");
					exit(2);
				}
			}
		}
		if (started && now >= end)
			break;
		int n = epoll_wait(ep, evs, 64, 100);
		if (n < 0 && errno != EINTR) {
			perror("bench: epoll_wait");
			exit(1);
		}
		now = now_us();
		for (int e = 0; e < n; e++) {
			bconn_t *c = evs[e].data.ptr;
			if (c->fd < 0)
				continue;
			if ((evs[e].events & EPOLLOUT) && !flush(ep, c))
				goto broken;
			if (!(evs[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				continue;
			if (buf_reserve(&c->in, 64 * 1024))
				goto broken;
			ssize_t k = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len - 1, MSG_DONTWAIT);
			if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR))
				goto broken;
			if (k > 0) {
				c->in.len += (size_t)k;
				int before = c->nslots;
				if (!take_answers(w, c, now, started))
					goto broken;
				if (!started && before > 0 && c->nslots == 0)
					waiting--;
				while (started && c->nslots < w->depth)
					queue_work(w, c);
				if (!flush(ep, c))
					goto broken;
			}
			continue;
broken:
			fprintf(stderr, "bench: connection %d broke\n", c->no);
			w->broken++;
			if (!started && c->nslots)
				waiting--;
			epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
			close(c->fd);
			c->fd = -1;
			c->nslots = 0;
			buf_reset(&c->out);
			c->out_off = 0;
		}
	}
	for (int i = 0; i < w->count; i++) {
		if (cs[i].fd >= 0)
			close(cs[i].fd);
		buf_free(&cs[i].in);
		buf_free(&cs[i].out);
	}
	close(ep);
	free(cs);
	return NULL;
}

static void report(const char *what, float *v, size_t n, double seconds)
{
	if (!n) {
		printf("%-6s      0 requests\n", what);
		return;
	}
	qsort(v, n, sizeof(*v), cmp);
	printf("%-6s %7zu requests  %8.1f/s   p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n", what, n,
	       (double)n / seconds, v[n / 2] / 1e3, v[n * 95 / 100] / 1e3, v[n * 99 / 100] / 1e3, v[n - 1] / 1e3);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: bench CLIENTS SECONDS READ_PERCENT PLEDGES  (env YK_SERVER, YK_ADMIN_PW, "
				"BENCH_CODE, BENCH_DEPTH, BENCH_WRITE=progress|status|budget)\n");
		return 2;
	}
	int clients = atoi(argv[1]), seconds = atoi(argv[2]), read_pct = atoi(argv[3]), pledges = atoi(argv[4]);
	int depth = getenv("BENCH_DEPTH") ? atoi(getenv("BENCH_DEPTH")) : 1;
	const char *kind = getenv("BENCH_WRITE") ? getenv("BENCH_WRITE") : "progress";
	char write = !strcmp(kind, "status") ? 's' : !strcmp(kind, "budget") ? 'b' : !strcmp(kind, "progress") ? 'p' : 0;
	if (!write) {
		fprintf(stderr, "bench: BENCH_WRITE is progress, status or budget, not %s\n", kind);
		return 2;
	}
	const char *server = getenv("YK_SERVER");
	const char *colon = server ? strrchr(server, ':') : NULL;
	if (clients < THREADS || seconds < 1 || pledges < 1 || depth < 1 || depth > MAX_DEPTH || !colon ||
	    strncmp(server, "127.0.0.1", (size_t)(colon - server))) {
		fprintf(stderr, "bench: needs CLIENTS >= %d, SECONDS >= 1, PLEDGES >= 1, BENCH_DEPTH 1..%d and "
				"YK_SERVER=127.0.0.1:PORT\n", THREADS, MAX_DEPTH);
		return 2;
	}
	server_addr.sin_family = AF_INET;
	server_addr.sin_port = htons((uint16_t)atoi(colon + 1));
	server_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	char token[80];
	login(token);

	worker_t ws[THREADS];
	pthread_t th[THREADS];
	for (int t = 0; t < THREADS; t++) {
		int per = clients / THREADS, extra = t < clients % THREADS;
		ws[t] = (worker_t){ .first = t * per + (t < clients % THREADS ? t : clients % THREADS),
				    .count = per + extra,
				    .depth = depth,
				    .read_pct = read_pct,
				    .pledges = pledges,
				    .seconds = seconds,
				    .write = write,
				    .token = token,
				    .fmt = getenv("BENCH_CODE") ? getenv("BENCH_CODE") : "BENCH-%d",
				    .seed = (unsigned)time(NULL) ^ (unsigned)(t * 7919) };
		if (pthread_create(&th[t], NULL, drive, &ws[t])) {
			fprintf(stderr, "bench: no thread\n");
			return 1;
		}
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);

	float *r = malloc(sizeof(float) * MAX_SAMPLES), *w = malloc(sizeof(float) * MAX_SAMPLES);
	float *all = malloc(sizeof(float) * MAX_SAMPLES);
	size_t nr = 0, nw = 0, ne = 0, na = 0;
	int broken = 0;
	for (int t = 0; t < THREADS; t++) {
		for (size_t i = 0; i < ws[t].n; i++) {
			float us = ws[t].lat[i];
			if (ws[t].kind[i] == 'r')
				r[nr++] = all[na++] = us;
			else if (ws[t].kind[i] == 'w')
				w[nw++] = all[na++] = us;
			else
				ne++;
		}
		broken += ws[t].broken;
		free(ws[t].lat);
		free(ws[t].kind);
	}
	printf("%d connections (%d threads, %d in flight each), %d s, %d%% reads, %d pledges\n", clients, THREADS,
	       depth, seconds, read_pct, pledges);
	report("read", r, nr, seconds);
	report("write", w, nw, seconds);
	printf("total  %8.1f requests/s, %zu errors, %d connections broke\n", (double)(nr + nw) / seconds, ne, broken);
	qsort(all, na, sizeof(*all), cmp);
	printf("summary %.1f %.2f %.2f %.2f %zu\n", (double)na / seconds, na ? all[na / 2] / 1e3 : 0,
	       na ? all[na * 99 / 100] / 1e3 : 0, na ? all[na - 1] / 1e3 : 0, ne + (size_t)broken);
	free(all);
	free(r);
	free(w);
	return broken ? 1 : 0;
}
