/* bench CLIENTS SECONDS READ_PERCENT PLEDGES: load yaksokd (YK_SERVER, admin
 * with YK_ADMIN_PW) over CLIENTS connections for SECONDS: each request is a
 * whole-document read (PledgeGet, derived figures included) with probability
 * READ_PERCENT, else a write of a random pledge; pledge i's code is
 * printf(BENCH_CODE, i), default "BENCH-%d".  BENCH_WRITE names the write:
 *   progress    a progress item added (the default)
 *   status      status set of the overall progress
 *   budget      budget set of the 2022 plan of the city's budget
 *   indicator   indicator set of the first indicator's 2021-Q2 actual
 *   evaluation  an evaluation suggestion added
 *   apply       the whole card applied with that actual changed, after a
 *               get of it, as a department edits a card; each connection
 *               writes its own pledges (no conflicts), at depth 1; the get
 *               is not counted, the apply is
 *   deadline    a quarter's last day: each department user of BENCH_USERS
 *               (three connections each) goes round its pledges -- get,
 *               apply, indicator/budget/status set, a progress item, an
 *               answer to the committee, the submission to BENCH_ROUND --
 *               while BENCH_READERS viewers (BENCH_VIEWER) list and read;
 *               each operation's figures, then a deadline_summary line
 * Every write carries an idempotency key.  indicator, apply and deadline
 * read every pledge once before the clock starts (names, versions, cards).
 * BENCH_NO_LOGIN=1: no login (for tests/bench/echo.c, which answers
 * anything).
 *
 * Two threads (as pgbench -j 2) each drive half of the connections without
 * blocking (epoll); every connection keeps BENCH_DEPTH requests in flight (default
 * 1; the protocol lets a client pipeline, answers carry the request's id).
 * A response is checked for its id and status without unpacking the
 * document, so that the client's own work stays small.  Prints throughput,
 * latency percentiles (from sending a request to its whole answer) and
 * error counts, then one line for scripts to read:
 *   summary <requests/s> <p50 ms> <p99 ms> <max ms> <errors>
 * Figures to compare, not a pass/fail test.
 *
 * Over 600 lines: every workload shares the one client engine (epoll
 * threads, pipelining, answer matching, latency samples), so that all are
 * measured the same way; the workloads' request builders and DEADLINE's
 * script could move to files of their own beside it. */
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
static void login_as(const char *user, const char *password, char token[80])
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
	l.login = (char *)user;
	l.password = (char *)password;
	lr.body_case = YK__REQUEST__BODY_LOGIN;
	lr.login = &l;
	Yk__Response *resp = call(&rpc, a, &h) ? call(&rpc, a, &lr) : NULL;
	if (!resp || !resp->login || !resp->login->token) {
		fprintf(stderr, "bench: %s could not log in\n", user);
		exit(4);
	}
	snprintf(token, 80, "%s", resp->login->token);
	rpc_close(&rpc);
	arena_free(a);
}

static void login(char token[80])
{
	login_as("admin", getenv("YK_ADMIN_PW"), token);
}

/* ----------------------------------------------------------- load */

typedef struct {
	uint64_t id;
	double t0;
	char op;          /* 'r' read, 'w' write, 'g' the get before an apply (not counted) */
	int pledge;       /* index of the pledge written */
} slot_t;

/* What indicator and apply need of each pledge, read before the clock. */
typedef struct {
	Yk__Pledge *card;     /* as read; an apply changes one actual in it */
	const char *indicator;
	Yk__PeriodValue *actual;  /* the first indicator's 2021-Q2 actual */
	int64_t version;      /* the one connection writing it keeps it */
	const char *department;
	bool submitted;       /* deadline: submitted for the round */
} known_t;
static known_t *known;

typedef struct {
	int fd;
	int no;           /* connection number, for idempotency keys */
	buf_t in, out;
	size_t out_off;
	bool want_out;    /* registered for EPOLLOUT */
	slot_t slots[MAX_DEPTH];
	int nslots;
	unsigned long sent;
	int applying;     /* apply: the pledge whose get was answered, or -1 */
	int cycle;        /* apply: the next of this connection's pledges */
	/* deadline: a department's user, or a public reader (no pledges) */
	const char *token;
	int *mine, nmine, at, step;
	arena_t *arena;   /* the card last read, to edit */
	Yk__Pledge *card;
} bconn_t;

typedef struct {
	int first, count;  /* connections */
	int depth, read_pct, pledges;
	int seconds;
	char write;       /* the writes: 'p' progress, 's' status, 'b' budget, 'i' indicator, 'v' evaluation, 'a' apply,
			     'd' the deadline's mix of operations */
	int clients;
	const char *token, *fmt;
	unsigned seed;
	/* results */
	float *lat;
	char *kind;       /* 'r', 'w' or 'e' */
	size_t n;
	int broken;
	double read_bytes;  /* of the answers to reads */
} worker_t;

static struct sockaddr_in server_addr;

/* deadline: who each connection is */
typedef struct {
	const char *token;
	int *mine, nmine;
} plan_t;
static plan_t *plan;

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

static void queue(bconn_t *c, Yk__Request *req, char op, int pledge)
{
	static _Thread_local uint64_t next_id = 1;
	req->has_id = 1;
	req->id = next_id++;
	if (frame_append(&c->out, &req->base)) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	c->slots[c->nslots++] = (slot_t){ req->id, now_us(), op, pledge };
}

static void queue_hello(bconn_t *c)
{
	Yk__Request h;
	Yk__Hello hello;
	hello_request(&h, &hello);
	queue(c, &h, 'h', -1);
}

/* The messages of one quick update, filled by fill_update; they live in
 * the caller's frame, as queue() packs the request at once. */
typedef struct {
	Yk__PledgeUpdate u;
	Yk__ProgressAdd pa;
	Yk__StatusSet st;
	Yk__BudgetCellSet bc;
	Yk__IndicatorValueSet iv;
	Yk__EvaluationAdd ea;
	Yk__EvaluationAnswer ans;
	Yk__Value val;
	Yk__Decimal d;
	char num[16];
} parts_t;

/* A quick update of pledge `code`: 'p' a progress item (text under
 * `indicator` and `activity`), 's' status set of the overall progress, 'b'
 * budget set of the city's 2022 plan (every generated card has it), 'i'
 * indicator set of `indicator`'s actual for `period`, 'v' an evaluation
 * suggestion `text`, 'n' an answer `text` to the first suggestion.  The
 * figure is n. */
static Yk__PledgeUpdate *fill_update(parts_t *m, char kind, const char *code, unsigned n, const char *indicator,
				     const char *period, const char *activity, const char *text)
{
	*m = (parts_t){ .u = YK__PLEDGE_UPDATE__INIT,	     .pa = YK__PROGRESS_ADD__INIT,
			.st = YK__STATUS_SET__INIT,	     .bc = YK__BUDGET_CELL_SET__INIT,
			.iv = YK__INDICATOR_VALUE_SET__INIT, .ea = YK__EVALUATION_ADD__INIT,
			.ans = YK__EVALUATION_ANSWER__INIT,  .val = YK__VALUE__INIT,
			.d = YK__DECIMAL__INIT };
	snprintf(m->num, sizeof(m->num), "%u", n);
	m->d.value = m->num;
	m->val.kind_case = YK__VALUE__KIND_NUMBER;
	m->val.number = &m->d;
	m->u.code = (char *)code;
	switch (kind) {
	case 's':
		m->st.progress_pct = &m->d;
		m->u.change_case = YK__PLEDGE_UPDATE__CHANGE_STATUS_SET;
		m->u.status_set = &m->st;
		break;
	case 'b':
		m->bc.source = "city";
		m->bc.period = "2022";
		m->bc.planned = &m->d;
		m->u.change_case = YK__PLEDGE_UPDATE__CHANGE_BUDGET_SET;
		m->u.budget_set = &m->bc;
		break;
	case 'i':
		m->iv.indicator = (char *)indicator;
		m->iv.period = (char *)period;
		m->iv.kind = "actual";
		m->iv.value = &m->val;
		m->u.change_case = YK__PLEDGE_UPDATE__CHANGE_INDICATOR_SET;
		m->u.indicator_set = &m->iv;
		break;
	case 'v':
		m->ea.suggestion = (char *)text;
		m->u.change_case = YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ADD;
		m->u.evaluation_add = &m->ea;
		break;
	case 'n':
		m->ans.has_index = 1;
		m->ans.index = 0;
		m->ans.text = (char *)text;
		m->u.change_case = YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ANSWER;
		m->u.evaluation_answer = &m->ans;
		break;
	default:
		m->pa.indicator = (char *)indicator;
		m->pa.activity = (char *)activity;
		m->pa.text = (char *)text;
		m->u.change_case = YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD;
		m->u.progress_add = &m->pa;
	}
	return &m->u;
}

/* ----------------------------------------------------------- deadline */

/* A department's user goes round its pledges; for each: get, apply the
 * card with an actual changed (dated for the round), every quick update,
 * an answer to the committee, and the first time round the submission.
 * A public reader lists and reads, turn about. */
enum { D_GET, D_APPLY, D_INDICATOR, D_BUDGET, D_STATUS, D_PROGRESS, D_ANSWER, D_SUBMIT, D_STEPS };
static const char d_op[D_STEPS + 1] = "gaibspvu";
static const struct {
	char op;
	const char *name;
} d_names[] = { { 'g', "get" },	     { 'a', "apply" },	  { 'i', "indicator" }, { 'b', "budget" },
		{ 's', "status" },   { 'p', "progress" }, { 'v', "answer" },	{ 'u', "submit" },
		{ 'l', "list" },     { 'r', "read" } };
static const char *deadline_round, *deadline_as_of;

/* The first indicator's actual for `period` in the card, set to `num`. */
static bool set_actual(arena_t *a, Yk__Pledge *card, const char *period, Yk__Value *v)
{
	if (!card->n_indicator_sets || !card->indicator_sets[0]->n_indicators)
		return false;
	Yk__Indicator *ind = card->indicator_sets[0]->indicators[0];
	for (size_t k = 0; k < ind->n_actuals; k++)
		if (ind->actuals[k]->key && !strcmp(ind->actuals[k]->key, period)) {
			ind->actuals[k]->value = v;
			return true;
		}
	Yk__PeriodValue **grown = arena_alloc(a, (ind->n_actuals + 1) * sizeof(*grown));
	Yk__PeriodValue *pv = arena_alloc(a, sizeof(*pv));
	if (!grown || !pv)
		return false;
	yk__period_value__init(pv);
	pv->key = (char *)period;
	pv->value = v;
	memcpy(grown, ind->actuals, ind->n_actuals * sizeof(*grown));
	grown[ind->n_actuals++] = pv;
	ind->actuals = grown;
	return true;
}

static void queue_deadline(worker_t *w, bconn_t *c)
{
	char code[32], text[48], key[64], num[16];
	Yk__Request req = YK__REQUEST__INIT;
	Yk__PledgeGet g = YK__PLEDGE_GET__INIT;
	Yk__PledgeList pl = YK__PLEDGE_LIST__INIT;
	Yk__PledgeApply ap = YK__PLEDGE_APPLY__INIT;
	Yk__Submit sub = YK__SUBMIT__INIT;
	Yk__Value val = YK__VALUE__INIT;
	Yk__Decimal d = YK__DECIMAL__INIT;
	parts_t m;
	req.token = (char *)c->token;
	unsigned n = 1 + rand_r(&w->seed) % 99;
	snprintf(num, sizeof(num), "%u", n);
	d.value = num;
	val.kind_case = YK__VALUE__KIND_NUMBER;
	val.number = &d;
	snprintf(text, sizeof(text), "마감 %d-%lu", c->no, c->sent);
	snprintf(key, sizeof(key), "bench-%d-%d-%lu", (int)getpid(), c->no, c->sent);
	c->sent++;
	if (!c->nmine) { /* a citizen: the list, then a card */
		int pi = (int)(rand_r(&w->seed) % (unsigned)w->pledges);
		snprintf(code, sizeof(code), w->fmt, 1 + pi);
		if (c->sent % 2) {
			req.body_case = YK__REQUEST__BODY_PLEDGE_LIST;
			req.pledge_list = &pl;
		} else {
			g.code = code;
			req.body_case = YK__REQUEST__BODY_PLEDGE_GET;
			req.pledge_get = &g;
		}
		queue(c, &req, c->sent % 2 ? 'l' : 'r', pi);
		return;
	}
	int pi = c->mine[c->at];
	snprintf(code, sizeof(code), w->fmt, 1 + pi);
	if (c->step == D_APPLY && !(c->card && set_actual(c->arena, c->card, "2021-Q3", &val)))
		c->step++; /* the get failed: nothing to edit */
	if (c->step != D_GET)
		req.idempotency_key = key;
	static const char update_kind[D_STEPS] = { [D_INDICATOR] = 'i', [D_BUDGET] = 'b', [D_STATUS] = 's',
						   [D_PROGRESS] = 'p', [D_ANSWER] = 'n' };
	if (update_kind[c->step]) {
		req.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
		req.pledge_update = fill_update(&m, update_kind[c->step], code, n, known[pi].indicator, "2021-Q3",
						"마감 주간", text);
	} else if (c->step == D_GET) {
		g.code = code;
		req.body_case = YK__REQUEST__BODY_PLEDGE_GET;
		req.pledge_get = &g;
	} else if (c->step == D_APPLY) {
		c->card->as_of = (char *)deadline_as_of;
		ap.pledge = c->card;
		req.body_case = YK__REQUEST__BODY_PLEDGE_APPLY;
		req.pledge_apply = &ap;
	} else {
		sub.code = code;
		sub.round = (char *)deadline_round;
		req.body_case = YK__REQUEST__BODY_SUBMIT;
		req.submit = &sub;
	}
	queue(c, &req, d_op[c->step], pi);
}

/* A department user's answer: keep the card a get brought, go on. */
static void deadline_answered(bconn_t *c, char op, int pi, bool ok, const uint8_t *payload, size_t len)
{
	if (op == 'g') {
		arena_free(c->arena);
		c->arena = arena_new(0);
		c->card = NULL;
		ProtobufCAllocator al = arena_pb_allocator(c->arena);
		Yk__Response *resp = ok && c->arena ? yk__response__unpack(&al, len, payload) : NULL;
		if (resp && resp->pledge_get) {
			c->card = resp->pledge_get;
			c->card->derived = NULL;
			c->card->updated_at = c->card->updated_by = NULL;
		}
	}
	if (op == 'u')
		known[pi].submitted = true;
	c->step++;
	if (c->step == D_SUBMIT && known[pi].submitted)
		c->step++;
	if (c->step >= D_STEPS) {
		c->step = D_GET;
		c->at = (c->at + 1) % c->nmine;
	}
}

static void queue_work(worker_t *w, bconn_t *c)
{
	if (w->write == 'd') {
		queue_deadline(w, c);
		return;
	}
	char code[32], text[48], key[64];
	int pi = (int)(rand_r(&w->seed) % (unsigned)w->pledges);
	if (w->write == 'a') {
		/* this connection's pledges are c->no, c->no + clients, ... */
		if (c->applying < 0) {
			int per = (w->pledges - 1 - c->no) / w->clients + 1;
			pi = c->no + (c->cycle++ % per) * w->clients;
		} else {
			pi = c->applying;
		}
	}
	snprintf(code, sizeof(code), w->fmt, 1 + pi);
	Yk__Request req = YK__REQUEST__INIT;
	req.token = (char *)w->token;
	Yk__PledgeGet g = YK__PLEDGE_GET__INIT;
	Yk__PledgeApply ap = YK__PLEDGE_APPLY__INIT;
	parts_t m;
	Yk__Value val = YK__VALUE__INIT;
	Yk__Decimal d = YK__DECIMAL__INIT;
	char num[16];
	bool read = (int)(rand_r(&w->seed) % 100) < w->read_pct;
	char op = read ? 'r' : 'w';
	if (w->write == 'a' && c->applying < 0) {
		read = true;
		op = 'g';
	}
	if (read) {
		g.code = code;
		req.body_case = YK__REQUEST__BODY_PLEDGE_GET;
		req.pledge_get = &g;
	} else if (w->write == 'a') {
		/* the card as read, one actual changed, based on its version */
		known_t *k = &known[pi];
		snprintf(num, sizeof(num), "%u", 1 + rand_r(&w->seed) % 99);
		d.value = num;
		val.kind_case = YK__VALUE__KIND_NUMBER;
		val.number = &d;
		k->actual->value = &val;
		k->card->has_version = 1;
		k->card->version = k->version;
		ap.pledge = k->card;
		req.body_case = YK__REQUEST__BODY_PLEDGE_APPLY;
		req.pledge_apply = &ap;
		snprintf(key, sizeof(key), "bench-%d-%d-%lu", (int)getpid(), c->no, c->sent);
		req.idempotency_key = key;
	} else {
		snprintf(text, sizeof(text), "b%d-%lu", c->no, c->sent);
		snprintf(key, sizeof(key), "bench-%d-%d-%lu", (int)getpid(), c->no, c->sent);
		/* the first indicator's 2021-Q2 actual reported again; a
		 * progress item under a heading of its own */
		bool progress = w->write == 'p';
		req.pledge_update = fill_update(&m, w->write, code, 1 + rand_r(&w->seed) % 99,
						progress ? "부하 시험" : known ? known[pi].indicator : NULL, "2021-Q2",
						"bench", text);
		req.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
		req.idempotency_key = key;
	}
	c->sent++;
	queue(c, &req, op, pi);
	if (w->write == 'a')
		c->applying = op == 'g' ? pi : -1;
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
		const uint8_t *payload = (const uint8_t *)c->in.data + off + FRAME_HEADER;
		if (!head_of(payload, len, &id, &status))
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
		if (w->write == 'd' && s.op != 'h') {
			if (c->nmine)
				deadline_answered(c, s.op, s.pledge, status == YK__CODE__OK, payload, len);
			if (counting)
				record(w, status == YK__CODE__OK ? s.op : (char)(s.op - 'a' + 'A'), now - s.t0);
			continue;
		}
		if (s.op == 'w' && w->write == 'a' && status == YK__CODE__OK)
			known[s.pledge].version++;
		if (s.op == 'r' && counting)
			w->read_bytes += len;
		if (counting && (s.op != 'g' || status != YK__CODE__OK))
			record(w, status != YK__CODE__OK ? 'e' : (s.op == 'r' ? 'r' : 'w'), now - s.t0);
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
		c->applying = -1;
		if (plan) {
			c->token = plan[c->no].token;
			c->mine = plan[c->no].mine;
			c->nmine = plan[c->no].nmine;
		}
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
		arena_free(cs[i].arena);
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

/* Reads every pledge once (indicator and apply): its first indicator's
 * name, its 2021-Q2 actual, its version and the card itself.  The cards
 * live in `a` until the end. */
static bool learn(arena_t *a, const char *token, const char *fmt, int pledges, bool add_evaluation)
{
	rpc_t rpc;
	const char *why;
	if (!(known = arena_calloc(a, (size_t)pledges * sizeof(*known))) ||
	    rpc_connect(&rpc, getenv("YK_SERVER"), getenv("YAKSOK_CACERT"), &why)) {
		fprintf(stderr, "bench: cannot read the pledges first\n");
		return false;
	}
	Yk__Request h;
	Yk__Hello hello;
	hello_request(&h, &hello);
	bool ok = call(&rpc, a, &h) != NULL;
	for (int i = 0; ok && i < pledges; i++) {
		char code[32];
		snprintf(code, sizeof(code), fmt, 1 + i);
		Yk__Request req = YK__REQUEST__INIT;
		Yk__PledgeGet g = YK__PLEDGE_GET__INIT;
		g.code = code;
		req.token = (char *)token;
		req.body_case = YK__REQUEST__BODY_PLEDGE_GET;
		req.pledge_get = &g;
		Yk__Response *resp = call(&rpc, a, &req);
		Yk__Pledge *p = resp ? resp->pledge_get : NULL;
		Yk__Indicator *ind = p && p->n_indicator_sets && p->indicator_sets[0]->n_indicators
					     ? p->indicator_sets[0]->indicators[0] : NULL;
		Yk__PeriodValue *q2 = NULL;
		for (size_t k = 0; ind && k < ind->n_actuals; k++)
			if (ind->actuals[k]->key && !strcmp(ind->actuals[k]->key, "2021-Q2"))
				q2 = ind->actuals[k];
		if (!q2) {
			fprintf(stderr, "bench: %s has no first indicator with a 2021-Q2 actual\n", code);
			ok = false;
			break;
		}
		if (add_evaluation) { /* for the departments to answer */
			Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
			Yk__EvaluationAdd ea = YK__EVALUATION_ADD__INIT;
			char key[64];
			snprintf(key, sizeof(key), "bench-%d-prep-%d", (int)getpid(), i);
			ea.suggestion = "마감 전 점검 의견";
			u.code = code;
			u.change_case = YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ADD;
			u.evaluation_add = &ea;
			Yk__Request ur = YK__REQUEST__INIT;
			ur.token = (char *)token;
			ur.idempotency_key = key;
			ur.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
			ur.pledge_update = &u;
			if (!call(&rpc, a, &ur)) {
				ok = false;
				break;
			}
		}
		/* what the server fills in is not sent back */
		p->derived = NULL;
		p->updated_at = p->updated_by = NULL;
		known[i] = (known_t){ p, ind->name, q2, p->version, p->department, false };
	}
	rpc_close(&rpc);
	return ok;
}

/* deadline: log every department's user in (BENCH_USERS: lines "login
 * password department", three connections each) and the public readers
 * (BENCH_VIEWER "login password", BENCH_READERS connections, default 16);
 * each user's share of the department's pledges.  Returns the number of
 * connections, or -1. */
static int deadline_plan(arena_t *a, int pledges)
{
	deadline_round = getenv("BENCH_ROUND");
	deadline_as_of = getenv("BENCH_AS_OF");
	const char *users = getenv("BENCH_USERS"), *viewer = getenv("BENCH_VIEWER");
	int readers = getenv("BENCH_READERS") ? atoi(getenv("BENCH_READERS")) : 16;
	FILE *f = users ? fopen(users, "r") : NULL;
	char vlogin[64], vpw[128];
	if (!deadline_round || !deadline_as_of || !f || !viewer || sscanf(viewer, "%63s %127s", vlogin, vpw) != 2 ||
	    readers < 0) {
		fprintf(stderr, "bench: deadline needs BENCH_ROUND, BENCH_AS_OF, BENCH_USERS (a file) and BENCH_VIEWER\n");
		if (f)
			fclose(f);
		return -1;
	}
	char line[512];
	int n = 0, cap = 0;
	plan = NULL;
	while (fgets(line, sizeof(line), f)) {
		char login[64], pw[128], dept[256];
		if (sscanf(line, "%63s %127s %255[^\n]", login, pw, dept) != 3)
			continue;
		char *token = arena_alloc(a, 80);
		int *all = arena_alloc(a, (size_t)pledges * sizeof(int)), nall = 0;
		if (!token || !all || (n + 3 > cap && !(plan = realloc(plan, (size_t)(cap = 2 * cap + 3 + readers) * sizeof(*plan))))) {
			fclose(f);
			return -1;
		}
		login_as(login, pw, token);
		for (int k = 0; k < pledges; k++)
			if (known[k].department && !strcmp(known[k].department, dept))
				all[nall++] = k;
		for (int u = 0; u < 3; u++) {
			int *mine = arena_alloc(a, (size_t)(nall + 1) * sizeof(int)), m = 0;
			if (!mine) {
				fclose(f);
				return -1;
			}
			for (int k = u; k < nall; k += 3)
				mine[m++] = all[k];
			plan[n++] = (plan_t){ token, mine, m };
		}
	}
	fclose(f);
	char *vtoken = arena_alloc(a, 80);
	if (!vtoken || !(plan = realloc(plan, (size_t)(n + readers) * sizeof(*plan))))
		return -1;
	login_as(vlogin, vpw, vtoken);
	for (int k = 0; k < readers; k++)
		plan[n++] = (plan_t){ vtoken, NULL, 0 };
	return n;
}

/* deadline: each operation's count, percentiles and errors, then
 *   deadline_summary <errors> <worst p99 ms> <its operation> */
static void report_deadline(worker_t *ws, int seconds)
{
	size_t total = 0;
	for (int t = 0; t < THREADS; t++)
		total += ws[t].n;
	float *v = malloc(sizeof(float) * (total + 1));
	size_t errors = 0;
	double worst = 0;
	const char *worst_op = "-";
	printf("%-10s %8s %9s %9s %9s %9s %7s\n", "operation", "count", "per s", "p50 ms", "p99 ms", "max ms", "errors");
	for (size_t o = 0; v && o < sizeof(d_names) / sizeof(d_names[0]); o++) {
		size_t n = 0, e = 0;
		char up = (char)(d_names[o].op - 'a' + 'A');
		for (int t = 0; t < THREADS; t++)
			for (size_t i = 0; i < ws[t].n; i++) {
				if (ws[t].kind[i] == d_names[o].op)
					v[n++] = ws[t].lat[i];
				else if (ws[t].kind[i] == up)
					e++;
			}
		errors += e;
		if (!n) {
			printf("%-10s %8d %9s %9s %9s %9s %7zu\n", d_names[o].name, 0, "-", "-", "-", "-", e);
			continue;
		}
		qsort(v, n, sizeof(*v), cmp);
		double p99 = v[n * 99 / 100] / 1e3;
		if (p99 > worst) {
			worst = p99;
			worst_op = d_names[o].name;
		}
		printf("%-10s %8zu %9.1f %9.2f %9.2f %9.2f %7zu\n", d_names[o].name, n, (double)n / seconds, v[n / 2] / 1e3,
		       p99, v[n - 1] / 1e3, e);
	}
	printf("deadline_summary %zu %.2f %s\n", errors, worst, worst_op);
	free(v);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: bench CLIENTS SECONDS READ_PERCENT PLEDGES  (env YK_SERVER, YK_ADMIN_PW, "
				"BENCH_CODE, BENCH_DEPTH, BENCH_WRITE=progress|status|budget|indicator|evaluation|apply, "
				"BENCH_NO_LOGIN)\n");
		return 2;
	}
	int clients = atoi(argv[1]), seconds = atoi(argv[2]), read_pct = atoi(argv[3]), pledges = atoi(argv[4]);
	int depth = getenv("BENCH_DEPTH") ? atoi(getenv("BENCH_DEPTH")) : 1;
	const char *kind = getenv("BENCH_WRITE") ? getenv("BENCH_WRITE") : "progress";
	static const struct {
		const char *name;
		char code;
	} kinds[] = { { "progress", 'p' }, { "status", 's' },	  { "budget", 'b' },
		      { "indicator", 'i' }, { "evaluation", 'v' }, { "apply", 'a' }, { "deadline", 'd' } };
	char write = 0;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].name))
			write = kinds[i].code;
	if (!write) {
		fprintf(stderr, "bench: BENCH_WRITE is progress, status, budget, indicator, evaluation, apply or deadline, "
				"not %s\n", kind);
		return 2;
	}
	if (write == 'd')
		depth = 1, read_pct = 0;  /* each user's operations follow one another */
	if (write == 'a' && (depth != 1 || read_pct != 0 || clients > pledges)) {
		fprintf(stderr, "bench: apply runs at depth 1, with no reads, and with no more clients than pledges\n");
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
	char token[80] = "none";
	const char *fmt = getenv("BENCH_CODE") ? getenv("BENCH_CODE") : "BENCH-%d";
	if (!getenv("BENCH_NO_LOGIN") || strcmp(getenv("BENCH_NO_LOGIN"), "1"))
		login(token);
	arena_t *cards = arena_new(0);
	if ((write == 'i' || write == 'a' || write == 'd') && read_pct < 100 &&
	    !learn(cards, token, fmt, pledges, write == 'd'))
		return 3;
	if (write == 'd' && (clients = deadline_plan(cards, pledges)) < THREADS)
		return 3;

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
				    .fmt = fmt,
				    .clients = clients,
				    .seed = (unsigned)time(NULL) ^ (unsigned)(t * 7919) };
		if (pthread_create(&th[t], NULL, drive, &ws[t])) {
			fprintf(stderr, "bench: no thread\n");
			return 1;
		}
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);

	if (write == 'd') {
		int broken = 0;
		printf("%d connections (three per department user, the rest public readers), %d s, round %s\n", clients,
		       seconds, deadline_round);
		report_deadline(ws, seconds);
		for (int t = 0; t < THREADS; t++) {
			broken += ws[t].broken;
			free(ws[t].lat);
			free(ws[t].kind);
		}
		free(plan);
		arena_free(cards);
		return broken ? 1 : 0;
	}
	float *r = malloc(sizeof(float) * MAX_SAMPLES), *w = malloc(sizeof(float) * MAX_SAMPLES);
	float *all = malloc(sizeof(float) * MAX_SAMPLES);
	size_t nr = 0, nw = 0, ne = 0, na = 0;
	int broken = 0;
	double read_bytes = 0;
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
		read_bytes += ws[t].read_bytes;
		free(ws[t].lat);
		free(ws[t].kind);
	}
	printf("%d connections (%d threads, %d in flight each), %d s, %d%% reads, %d pledges\n", clients, THREADS,
	       depth, seconds, read_pct, pledges);
	report("read", r, nr, seconds);
	report("write", w, nw, seconds);
	printf("total  %8.1f requests/s, %zu errors, %d connections broke\n", (double)(nr + nw) / seconds, ne, broken);
	if (nr)
		printf("read_bytes %.0f\n", read_bytes / (double)nr);  /* an answer's mean size, for echo */
	qsort(all, na, sizeof(*all), cmp);
	printf("summary %.1f %.2f %.2f %.2f %zu\n", (double)na / seconds, na ? all[na / 2] / 1e3 : 0,
	       na ? all[na * 99 / 100] / 1e3 : 0, na ? all[na - 1] / 1e3 : 0, ne + (size_t)broken);
	free(all);
	free(r);
	free(w);
	arena_free(cards);
	return broken ? 1 : 0;
}
