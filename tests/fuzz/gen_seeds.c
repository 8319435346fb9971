/* gen_seeds DIR: write the seed corpora of fuzz_frame and fuzz_dispatch into
 * DIR/frame and DIR/dispatch (both must exist): one well-formed request of
 * every kind the protocol has, from each role that may send it.  The output
 * is committed under tests/fuzz/corpus; run this again when the protocol
 * grows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "docmap.h"
#include "frame.h"
#include "yaksok.pb-c.h"

static const char *dir;

static void put(const char *sub, const char *name, const uint8_t *data, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

/* role byte (0 admin .. 5 viewer) + the packed request */
static void seed(const char *name, int role, Yk__Request *req)
{
	size_t n = yk__request__get_packed_size(req);
	uint8_t *b = malloc(n + 1);
	b[0] = (uint8_t)role;
	yk__request__pack(req, b + 1);
	put("dispatch", name, b, n + 1);
	/* the same request framed, twice, for the frame decoder */
	uint8_t *f = malloc(1 + 2 * (FRAME_HEADER + n));
	f[0] = (uint8_t)(role * 37 + 1);
	for (int k = 0; k < 2; k++) {
		frame_put_header(f + 1 + k * (FRAME_HEADER + n), (uint32_t)n);
		memcpy(f + 1 + k * (FRAME_HEADER + n) + FRAME_HEADER, b + 1, n);
	}
	put("frame", name, f, 1 + 2 * (FRAME_HEADER + n));
	free(f);
	free(b);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen_seeds EXAMPLE.yaml DIR\n");
		return 2;
	}
	dir = argv[2];
	arena_t *a = arena_new(0);
	const char *err = NULL;
	doc_node_t *doc = doc_read_file(a, argv[1], &err);
	viol_list_t v;
	viol_init(&v, a);
	Yk__Pledge *p = doc ? (Yk__Pledge *)docmap_from_tree(a, doc, &yk__pledge__descriptor, "", 0, &v) : NULL;
	if (!p) {
		fprintf(stderr, "gen_seeds: %s\n", err ? err : "cannot map the example");
		return 1;
	}
	Yk__Request r;
	char *key = "seed-key-0001";

#define BODY(field, CASE, msg)                           \
	do {                                             \
		yk__request__init(&r);                   \
		r.has_id = 1;                            \
		r.id = 7;                                \
		r.token = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"; \
		r.idempotency_key = key;                 \
		r.body_case = YK__REQUEST__BODY_##CASE;  \
		r.field = msg;                           \
	} while (0)

	Yk__Hello hello = YK__HELLO__INIT;
	hello.has_protocol_version = 1;
	hello.protocol_version = 1;
	BODY(hello, HELLO, &hello);
	seed("hello", 5, &r);
	Yk__Login login = YK__LOGIN__INIT;
	login.login = "admin";
	login.password = "a-password-1";
	BODY(login, LOGIN, &login);
	seed("login", 0, &r);
	Yk__ServerStatus st = YK__SERVER_STATUS__INIT;
	BODY(server_status, SERVER_STATUS, &st);
	seed("status", 5, &r);
	Yk__UserAdd ua = YK__USER_ADD__INIT;
	ua.login = "kim";
	ua.role = "department";
	ua.department = "정책기획과";
	ua.password = "a-password-2";
	BODY(user_add, USER_ADD, &ua);
	seed("user_add", 0, &r);
	Yk__PledgeApply ap = YK__PLEDGE_APPLY__INIT;
	ap.pledge = p;
	BODY(pledge_apply, PLEDGE_APPLY, &ap);
	seed("apply", 2, &r);
	Yk__PledgeGet get = YK__PLEDGE_GET__INIT;
	get.code = "SW7-GOV-01";
	get.at = "2021-04-01T09:00:00+09:00";
	BODY(pledge_get, PLEDGE_GET, &get);
	seed("get_at", 5, &r);
	Yk__PledgeList list = YK__PLEDGE_LIST__INIT;
	list.department = "정책기획과";
	list.status = "in_progress";
	list.search = "협치";
	list.round = "2021-Q1";
	list.submission = "missing";
	list.sort = "progress";
	BODY(pledge_list, PLEDGE_LIST, &list);
	seed("list", 5, &r);

	Yk__PledgeUpdate up = YK__PLEDGE_UPDATE__INIT;
	up.code = "SW7-GOV-01";
	Yk__ProgressAdd pa = YK__PROGRESS_ADD__INIT;
	pa.indicator = "협치 계획 수립";
	pa.text = "연구용역 착수";
	pa.date = "2021-04-20";
	up.change_case = YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD;
	up.progress_add = &pa;
	BODY(pledge_update, PLEDGE_UPDATE, &up);
	seed("progress_add", 2, &r);
	Yk__IndicatorValueSet is = YK__INDICATOR_VALUE_SET__INIT;
	Yk__Value val = YK__VALUE__INIT;
	Yk__Decimal one = YK__DECIMAL__INIT;
	one.value = "1";
	val.kind_case = YK__VALUE__KIND_NUMBER;
	val.number = &one;
	is.indicator = "협치 계획 수립";
	is.period = "2021-Q1";
	is.kind = "actual";
	is.value = &val;
	up.change_case = YK__PLEDGE_UPDATE__CHANGE_INDICATOR_SET;
	up.indicator_set = &is;
	seed("indicator_set", 2, &r);
	Yk__BudgetCellSet bs = YK__BUDGET_CELL_SET__INIT;
	bs.source = "city";
	bs.period = "2021";
	bs.executed = &one;
	up.change_case = YK__PLEDGE_UPDATE__CHANGE_BUDGET_SET;
	up.budget_set = &bs;
	seed("budget_set", 1, &r);
	Yk__StatusSet ss = YK__STATUS_SET__INIT;
	ss.status = "completed";
	ss.reason = "준공";
	up.change_case = YK__PLEDGE_UPDATE__CHANGE_STATUS_SET;
	up.status_set = &ss;
	seed("status_completed", 2, &r);
	Yk__EvaluationAdd ea = YK__EVALUATION_ADD__INIT;
	ea.suggestion = "협치 백서 공개";
	ea.round = "2021-H1";
	up.change_case = YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ADD;
	up.evaluation_add = &ea;
	seed("evaluation_add", 3, &r);
	Yk__EvaluationAnswer ans = YK__EVALUATION_ANSWER__INIT;
	ans.text = "추진";
	up.change_case = YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ANSWER;
	up.evaluation_answer = &ans;
	seed("evaluation_answer", 2, &r);

	Yk__RoundOpen ro = YK__ROUND_OPEN__INIT;
	ro.name = "2021-Q2";
	ro.as_of = "2021-06-30";
	ro.due = "2021-07-10";
	BODY(round_open, ROUND_OPEN, &ro);
	seed("round_open", 1, &r);
	Yk__Review rv = YK__REVIEW__INIT;
	rv.code = "SW7-GOV-01";
	rv.round = "2021-Q2";
	rv.has_approve = 1;
	rv.comment = "보완";
	BODY(review, REVIEW, &rv);
	seed("review", 4, &r);

	Yk__ChangePropose cp = YK__CHANGE_PROPOSE__INIT;
	Yk__Evidence ev = YK__EVIDENCE__INIT;
	Yk__Evidence *evs[] = { &ev };
	ev.name = "회의록.txt";
	ev.has_content = 1;
	ev.content.data = (uint8_t *)"minutes";
	ev.content.len = 7;
	cp.code = "SW7-GOV-01";
	cp.reason = "국비 확보 지연";
	p->target_month = "2022-06";
	cp.pledge = p;
	cp.n_evidence = 1;
	cp.evidence = evs;
	BODY(change_propose, CHANGE_PROPOSE, &cp);
	seed("change_propose", 2, &r);
	Yk__ChangeStep cs = YK__CHANGE_STEP__INIT;
	cs.has_id = 1;
	cs.id = 1;
	cs.has_step = 1;
	cs.step = YK__CHANGE_STEP_KIND__STEP_APPROVE;
	BODY(change_step, CHANGE_STEP, &cs);
	seed("change_approve", 4, &r);
	cs.has_step = 1;
	cs.step = YK__CHANGE_STEP_KIND__STEP_DELIBERATE;
	cs.comment = "타당";
	cs.has_votes_for = 1;
	cs.votes_for = 7;
	seed("change_deliberate", 3, &r);
	Yk__ChangeList cl = YK__CHANGE_LIST__INIT;
	cl.state = "proposed";
	BODY(change_list, CHANGE_LIST, &cl);
	seed("change_list", 5, &r);
	arena_free(a);
	return 0;
}
