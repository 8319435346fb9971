/* it_concurrency CLIENTS SECONDS: many clients at once against YK_SERVER,
 * logged in as admin (YK_ADMIN_PW), on pledges CC-1 (hot: half of all
 * requests) to CC-4.  Each client appends progress items, sets budget cells
 * and writes whole documents (get, add a plan, apply with the version read).
 * Every acknowledged write is printed as
 *     ack CODE VERSION KIND MARKER
 * and refusals as "conflict CODE" (a whole document based on a stale
 * version) -- anything else is an error and fails the run.  The script that
 * runs this checks the acks against the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpc.h"

static rpc_t rpc;
static arena_t *A;
static char token[80];
static int me;
static unsigned long seq;

static void key(Yk__Request *req)
{
	req->idempotency_key = arena_printf(A, "cc-%d-%d-%lu", (int)getpid(), me, ++seq);
}

static Yk__Response *call(Yk__Request *req)
{
	Yk__Response *resp = NULL;
	const char *why = NULL;
	req->token = token;
	if (rpc_call(&rpc, A, req, &resp, &why)) {
		fprintf(stderr, "client %d: %s\n", me, why);
		exit(3);
	}
	return resp;
}

static void expect_ok(Yk__Response *r, const char *what)
{
	if (r->status != YK__CODE__OK) {
		fprintf(stderr, "client %d: %s: status %d: %s\n", me, what, r->status, r->message ? r->message : "");
		exit(4);
	}
}

static void progress(const char *code)
{
	Yk__Request req = YK__REQUEST__INIT;
	Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
	Yk__ProgressAdd p = YK__PROGRESS_ADD__INIT;
	char *marker = arena_printf(A, "c%d-%lu", me, seq + 1);
	p.indicator = "동시성 시험";
	p.activity = "부하";
	p.text = marker;
	u.code = (char *)code;
	u.change_case = YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD;
	u.progress_add = &p;
	req.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
	req.pledge_update = &u;
	key(&req);
	Yk__Response *r = call(&req);
	expect_ok(r, "progress add");
	printf("ack %s %lld progress %s\n", code, (long long)r->pledge_update->version, marker);
}

static void budget(const char *code)
{
	Yk__Request req = YK__REQUEST__INIT;
	Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
	Yk__BudgetCellSet b = YK__BUDGET_CELL_SET__INIT;
	Yk__Decimal d = YK__DECIMAL__INIT;
	d.value = arena_printf(A, "%d", rand() % 30);
	b.source = "city";
	b.period = "2021";
	b.executed = &d;
	u.code = (char *)code;
	u.change_case = YK__PLEDGE_UPDATE__CHANGE_BUDGET_SET;
	u.budget_set = &b;
	req.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
	req.pledge_update = &u;
	key(&req);
	Yk__Response *r = call(&req);
	expect_ok(r, "budget set");
	printf("ack %s %lld budget %s\n", code, (long long)r->pledge_update->version, d.value);
}

static void whole(const char *code)
{
	Yk__Request req = YK__REQUEST__INIT;
	Yk__PledgeGet g = YK__PLEDGE_GET__INIT;
	g.code = (char *)code;
	req.body_case = YK__REQUEST__BODY_PLEDGE_GET;
	req.pledge_get = &g;
	Yk__Response *r = call(&req);
	expect_ok(r, "get");
	Yk__Pledge *p = r->pledge_get;
	Yk__Plan **plans = arena_alloc(A, sizeof(*plans) * (p->n_plans + 1));
	memcpy(plans, p->plans, sizeof(*plans) * p->n_plans);
	Yk__Plan *plan = arena_alloc(A, sizeof(*plan));
	yk__plan__init(plan);
	char *marker = arena_printf(A, "plan-c%d-%lu", me, seq + 1);
	plan->text = marker;
	plan->from = "2021-04";
	plans[p->n_plans] = plan;
	p->plans = plans;
	p->n_plans++;
	Yk__Request ap = YK__REQUEST__INIT;
	Yk__PledgeApply a = YK__PLEDGE_APPLY__INIT;
	a.pledge = p;
	ap.body_case = YK__REQUEST__BODY_PLEDGE_APPLY;
	ap.pledge_apply = &a;
	key(&ap);
	Yk__Response *w = call(&ap);
	if (w->status == YK__CODE__FAILED_PRECONDITION) {
		printf("conflict %s\n", code);
		return;
	}
	expect_ok(w, "apply");
	printf("ack %s %lld whole %s\n", code, (long long)w->pledge_apply->version, marker);
}

static int client(int id, int seconds)
{
	me = id;
	srand((unsigned)(time(NULL) ^ (id * 7919)));
	A = arena_new(0);
	const char *why;
	if (rpc_connect(&rpc, getenv("YK_SERVER"), getenv("YAKSOK_CACERT"), &why)) {
		fprintf(stderr, "client %d: %s\n", id, why);
		return 2;
	}
	Yk__Request req = YK__REQUEST__INIT;
	Yk__Hello h = YK__HELLO__INIT;
	h.has_protocol_version = 1;
	h.protocol_version = 1;
	req.body_case = YK__REQUEST__BODY_HELLO;
	req.hello = &h;
	expect_ok(call(&req), "hello");
	Yk__Request lr = YK__REQUEST__INIT;
	Yk__Login l = YK__LOGIN__INIT;
	l.login = "admin";
	l.password = getenv("YK_ADMIN_PW");
	lr.body_case = YK__REQUEST__BODY_LOGIN;
	lr.login = &l;
	Yk__Response *r = call(&lr);
	expect_ok(r, "login");
	snprintf(token, sizeof(token), "%s", r->login->token);
	time_t end = time(NULL) + seconds;
	while (time(NULL) < end) {
		char code[8];
		snprintf(code, sizeof(code), "CC-%d", rand() % 2 ? 1 : 2 + rand() % 3);
		int dice = rand() % 10;
		if (dice < 7)
			progress(code);
		else if (dice < 9)
			budget(code);
		else
			whole(code);
		fflush(stdout);
		/* The arena only grows; start a new one now and then. */
		if (seq % 64 == 0) {
			arena_free(A);
			A = arena_new(0);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int clients = argc > 1 ? atoi(argv[1]) : 16;
	int seconds = argc > 2 ? atoi(argv[2]) : 10;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < clients; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(client(i, seconds));
		if (pid < 0) {
			perror("fork");
			return 1;
		}
	}
	int failed = 0;
	for (int i = 0; i < clients; i++) {
		int st;
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			failed++;
	}
	if (failed)
		fprintf(stderr, "%d client(s) failed\n", failed);
	return failed ? 1 : 0;
}
