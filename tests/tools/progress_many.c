/* progress_many CODE N CLIENTS: N progress items added to pledge CODE through
 * the daemon at YK_SERVER (admin, YK_ADMIN_PW), by CLIENTS processes at once
 * so that group commit gathers them as it does under load.  Each item is its
 * own PledgeUpdate with its own idempotency key, as the CLI sends it; every
 * answer must be OK.  Prints "ok N" on success; exits non-zero naming the
 * first failure otherwise.  For tests that need many versions made the way
 * the daemon makes them (the fast path), faster than N processes of the CLI. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rpc.h"

static Yk__Response *call(rpc_t *rpc, arena_t *a, Yk__Request *req, const char *what)
{
	Yk__Response *resp = NULL;
	const char *why = NULL;
	if (rpc_call(rpc, a, req, &resp, &why)) {
		fprintf(stderr, "progress_many: %s: %s\n", what, why);
		exit(3);
	}
	if (resp->status != YK__CODE__OK) {
		fprintf(stderr, "progress_many: %s: status %d: %s\n", what, resp->status, resp->message ? resp->message : "");
		exit(4);
	}
	return resp;
}

static int client(const char *code, int me, int count)
{
	rpc_t rpc;
	arena_t *a = arena_new(0);
	const char *why = NULL;
	if (!a || rpc_connect(&rpc, getenv("YK_SERVER"), getenv("YAKSOK_CACERT"), &why)) {
		fprintf(stderr, "progress_many: connect: %s\n", why ? why : "out of memory");
		return 2;
	}
	Yk__Request req = YK__REQUEST__INIT;
	Yk__Hello hello = YK__HELLO__INIT;
	hello.has_protocol_version = 1;
	hello.protocol_version = 1;
	req.body_case = YK__REQUEST__BODY_HELLO;
	req.hello = &hello;
	call(&rpc, a, &req, "hello");
	Yk__Login login = YK__LOGIN__INIT;
	login.login = "admin";
	login.password = getenv("YK_ADMIN_PW");
	yk__request__init(&req);
	req.body_case = YK__REQUEST__BODY_LOGIN;
	req.login = &login;
	char *token = call(&rpc, a, &req, "login")->login->token;
	for (int i = 0; i < count; i++) {
		Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
		Yk__ProgressAdd p = YK__PROGRESS_ADD__INIT;
		p.indicator = "이력 시험";
		p.activity = "주간 보고";
		/* a week's report is a few sentences: documents grow as a real
		 * card's do */
		p.text = arena_printf(a, "보고 %d-%d: 주민참여 협의체 정례회의를 열어 분과별 추진 상황을 점검하고, "
					 "시민 제안 과제의 예산 반영 여부와 다음 분기 일정을 논의하였으며, 회의 결과는 "
					 "누리집에 공개하고 관계 부서에 통보함",
				      me, i);
		u.code = (char *)code;
		u.change_case = YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD;
		u.progress_add = &p;
		yk__request__init(&req);
		req.token = token;
		req.idempotency_key = arena_printf(a, "many-%d-%d-%d", (int)getpid(), me, i);
		req.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
		req.pledge_update = &u;
		call(&rpc, a, &req, "progress add");
	}
	rpc_close(&rpc);
	arena_free(a);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4 || atoi(argv[2]) < 1 || atoi(argv[3]) < 1) {
		fprintf(stderr, "usage: progress_many CODE N CLIENTS\n");
		return 2;
	}
	int n = atoi(argv[2]), clients = atoi(argv[3]);
	for (int c = 0; c < clients; c++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(client(argv[1], c, n / clients + (c < n % clients)));
		if (pid < 0) {
			perror("progress_many: fork");
			return 1;
		}
	}
	int failed = 0;
	for (int c = 0; c < clients; c++) {
		int st;
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			failed++;
	}
	if (failed) {
		fprintf(stderr, "progress_many: %d client(s) failed\n", failed);
		return 1;
	}
	printf("ok %d\n", n);
	return 0;
}
