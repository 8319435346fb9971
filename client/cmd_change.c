/* change propose|review|deliberate|approve|reject|confirm|withdraw|list|show */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "doc_io.h"
#include "docmap.h"
#include "ops.h"
#include "table.h"

#define EVIDENCE_FILE_MAX (512u * 1024)

static const char change_usage[] =
	"usage: yaksok change propose CODE -f FILE --reason TEXT [--evidence FILE]... [--resubmit ID]\n"
	"       yaksok change review ID --forward [--comment TEXT] | --return --comment TEXT\n"
	"       yaksok change deliberate ID --opinion TEXT [--for N] [--against N] [--abstain N]\n"
	"       yaksok change approve ID [--effective DATE] [--comment TEXT]\n"
	"       yaksok change reject ID --comment TEXT\n"
	"       yaksok change confirm ID [--round NAME] [--effective DATE] [--comment TEXT]\n"
	"       yaksok change withdraw ID [--comment TEXT]\n"
	"       yaksok change list [--state S] [--department D] [--code CODE] [--kind K] [-o table|json|csv]\n"
	"       yaksok change show ID [-o text|json]\n\n"
	"A department may not change, shelve or drop its pledge on its own (사업변경).  It proposes\n"
	"a new version of the document (FILE, as from yaksok get) with its reason and evidence\n"
	"files (at most 512 KiB each); the pledge itself does not change.  The coordinator\n"
	"forwards the request or returns it with a comment; the committee (an evaluator account)\n"
	"records its opinion and vote; the approver approves (the new version is applied, and\n"
	"section 5 records each changed item with the day it was decided -- --effective DATE, or\n"
	"the approval's day --, before, after, reason, the approver, and the committee's opinion\n"
	"and vote) or rejects.\n"
	"Approval needs the pledge unchanged since the proposal; otherwise the department\n"
	"proposes again against the current version with --resubmit ID.  A returned request is\n"
	"resubmitted the same way.\n\n"
	"The target month, status on_hold or dropped, the indicator plan (periods, indicators,\n"
	"targets) and the contents change only this way for a department.  Its completion is\n"
	"proposed with yaksok status set CODE --status completed --reason TEXT and confirmed by\n"
	"the coordinator with change confirm, in the open round unless --round names one.\n\n"
	"states: proposed, returned, forwarded, deliberated, approved, rejected, confirmed, withdrawn\n\n"
	"example: yaksok get SW7-GOV-01 > p.yaml; $EDITOR p.yaml\n"
	"         yaksok change propose SW7-GOV-01 -f p.yaml --reason \"국비 확보 지연\" --evidence 회의록.pdf\n";

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static const char *u64_text(cli_t *cli, bool has, uint64_t v)
{
	return has ? arena_printf(cli->arena, "%llu", (unsigned long long)v) : "";
}

static void print_result(const Yk__ChangeRequest *c)
{
	printf("change request #%llu (%s) for %s: %s%s\n", (unsigned long long)c->id, c->kind ? c->kind : "?",
	       c->code ? c->code : "?", c->state ? c->state : "?", c->replayed ? " (already done)" : "");
	if (c->has_applied_version)
		printf("applied as version %lld%s%s\n", (long long)c->applied_version, c->round ? ", confirmed in " : "",
		       c->round ? c->round : "");
	for (size_t i = 0; i < c->n_card; i++)
		printf("  %s: %s -> %s\n", c->card[i]->item, c->card[i]->before, c->card[i]->after);
	if (c->stale)
		printf("note: the pledge has changed since this proposal; propose again with --resubmit %llu\n",
		       (unsigned long long)c->id);
}

static bool parse_id(const char *s, uint64_t *id)
{
	char *end;
	if (*s == '#')
		s++;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || v == 0)
		return false;
	*id = v;
	return true;
}

static bool parse_count(const char *s, uint32_t *n)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || v > 100000 || *s == '-')
		return false;
	*n = (uint32_t)v;
	return true;
}

static int call(cli_t *cli, Yk__Request *req, Yk__ChangeRequest *(*pick)(Yk__Response *))
{
	int rc;
	Yk__Response *resp = cli_call(cli, req, &rc);
	if (!resp)
		return rc;
	if (cli_json(cli))
		return cli_print_json(cli, &pick(resp)->base);
	print_result(pick(resp));
	return EXIT_OK;
}

int cli_evidence(cli_t *cli, const char *cmd, const char *path, Yk__Evidence **out)
{
	size_t len;
	char *data = cli_read_file(cli, path, &len);
	if (!data)
		return EXIT_FAIL;
	if (len > EVIDENCE_FILE_MAX)
		return cli_usage_error(cmd, "--evidence %s is %zu bytes; at most 512 KiB each (name larger documents in the reason)",
				       path, len);
	Yk__Evidence *e = arena_alloc(cli->arena, sizeof(*e));
	if (!e)
		return EXIT_FAIL;
	yk__evidence__init(e);
	e->name = (char *)basename_of(path);
	e->has_content = 1;
	e->content.data = (uint8_t *)data;
	e->content.len = len;
	*out = e;
	return EXIT_OK;
}

static Yk__ChangeRequest *pick_propose(Yk__Response *r) { return r->change_propose; }
static Yk__ChangeRequest *pick_step(Yk__Response *r) { return r->change_step; }

static int propose(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "file", required_argument, NULL, 'f' },
					      { "reason", required_argument, NULL, 'r' },
					      { "evidence", required_argument, NULL, 'e' },
					      { "resubmit", required_argument, NULL, 'R' },
					      { 0 } };
	Yk__ChangePropose in = YK__CHANGE_PROPOSE__INIT;
	const char *file = NULL;
	Yk__Evidence **ev = arena_alloc(cli->arena, sizeof(*ev) * (size_t)argc);
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'r': in.reason = optarg; break;
		case 'R':
			if (!parse_id(optarg, &in.resubmit))
				return cli_usage_error("change", "--resubmit %s: expected a change request number", optarg);
			in.has_resubmit = 1;
			break;
		case 'e': {
			int erc = cli_evidence(cli, "change", optarg, &ev[in.n_evidence]);
			if (erc)
				return erc;
			in.n_evidence++;
			break;
		}
		default: return cli_bad_option("change", argv, opts);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("change", "propose takes exactly one CODE");
	if (!file || !in.reason)
		return cli_usage_error("change", "propose needs -f FILE and --reason TEXT");
	in.code = argv[optind];
	in.evidence = ev;
	int rc;
	doc_node_t *doc = cli_read_doc(cli, file, &rc);
	if (!doc)
		return rc;
	if (!(in.pledge = cli_pledge_of_tree(cli, doc, file)))
		return EXIT_INVALID;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_CHANGE_PROPOSE;
	req.change_propose = &in;
	return call(cli, &req, pick_propose);
}

/* review, deliberate, approve, reject, confirm, withdraw */
static int step(cli_t *cli, const char *sub, int argc, char **argv)
{
	static const struct option opts[] = { { "forward", no_argument, NULL, 'F' },
					      { "return", no_argument, NULL, 'R' },
					      { "comment", required_argument, NULL, 'c' },
					      { "opinion", required_argument, NULL, 'o' },
					      { "for", required_argument, NULL, '+' },
					      { "against", required_argument, NULL, '-' },
					      { "abstain", required_argument, NULL, '0' },
					      { "round", required_argument, NULL, 'r' },
					      { "effective", required_argument, NULL, 'e' },
					      { 0 } };
	Yk__ChangeStep in = YK__CHANGE_STEP__INIT;
	bool review = !strcmp(sub, "review"), deliberate = !strcmp(sub, "deliberate"), confirm = !strcmp(sub, "confirm");
	if (!review) {
		in.has_step = 1;
		in.step = yk_change_step_parse(sub);
	}
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
		case 'R':
			if (!review)
				return cli_usage_error("change", "--forward and --return belong to change review");
			if (in.has_step)
				return cli_usage_error("change", "give one of --forward and --return");
			in.has_step = 1;
			in.step = c == 'F' ? YK__CHANGE_STEP_KIND__STEP_FORWARD : YK__CHANGE_STEP_KIND__STEP_RETURN;
			break;
		case 'c': in.comment = optarg; break;
		case 'o':
			if (!deliberate)
				return cli_usage_error("change", "--opinion belongs to change deliberate");
			in.comment = optarg;
			break;
		case '+':
		case '-':
		case '0': {
			uint32_t n;
			if (!deliberate)
				return cli_usage_error("change", "votes belong to change deliberate");
			if (!parse_count(optarg, &n))
				return cli_usage_error("change", "%s: expected a number of votes", optarg);
			if (c == '+')
				in.has_votes_for = 1, in.votes_for = n;
			else if (c == '-')
				in.has_votes_against = 1, in.votes_against = n;
			else
				in.has_votes_abstain = 1, in.votes_abstain = n;
			break;
		}
		case 'r':
			if (!confirm)
				return cli_usage_error("change", "--round belongs to change confirm");
			in.round = optarg;
			break;
		case 'e':
			if (!confirm && strcmp(sub, "approve"))
				return cli_usage_error("change", "--effective belongs to change approve and confirm");
			in.effective = optarg;
			break;
		default: return cli_bad_option("change", argv, opts);
		}
	}
	if (optind + 1 != argc || !parse_id(argv[optind], &in.id))
		return cli_usage_error("change", "%s takes exactly one change request number", sub);
	in.has_id = 1;
	if (!in.has_step)
		return cli_usage_error("change", "review needs --forward or --return");
	if ((in.step == YK__CHANGE_STEP_KIND__STEP_RETURN || in.step == YK__CHANGE_STEP_KIND__STEP_REJECT) && !in.comment)
		return cli_usage_error("change", "%s needs --comment saying why", yk_change_step_name(in.step));
	if (deliberate && !in.comment)
		return cli_usage_error("change", "deliberate needs --opinion: the committee's opinion");
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_CHANGE_STEP;
	req.change_step = &in;
	return call(cli, &req, pick_step);
}

static const char *items_of(cli_t *cli, const Yk__ChangeRequest *c)
{
	buf_t b = BUF_INIT;
	int err = 0;
	for (size_t i = 0; i < c->n_card; i++)
		err |= buf_printf(&b, "%s%s", i ? ", " : "", c->card[i]->item);
	const char *out = err ? "" : b.len ? arena_strndup(cli->arena, b.data, b.len) : "";
	buf_free(&b);
	return out;
}

static int list(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "state", required_argument, NULL, 's' },
					      { "department", required_argument, NULL, 'd' },
					      { "code", required_argument, NULL, 'c' },
					      { "kind", required_argument, NULL, 'k' },
					      { 0 } };
	static const char *const formats[] = { "table", "json", "csv", NULL };
	const char *fmt = cli_output(cli, "change", formats);
	if (!fmt)
		return EXIT_USAGE;
	Yk__ChangeList in = YK__CHANGE_LIST__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': in.state = optarg; break;
		case 'd': in.department = optarg; break;
		case 'c': in.code = optarg; break;
		case 'k': in.kind = optarg; break;
		default: return cli_bad_option("change", argv, opts);
		}
	}
	if (optind != argc)
		return cli_usage_error("change", "list takes no arguments, only filters");
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_CHANGE_LIST;
	req.change_list = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	Yk__ChangeListReply *l = resp->change_list;
	if (!strcmp(fmt, "json")) {
		doc_node_t *tree = docmap_to_tree(cli->arena, &l->base);
		doc_node_t *reqs = tree ? (doc_node_t *)doc_get(tree, "requests") : NULL;
		if (!reqs)
			reqs = doc_new(cli->arena, DOC_SEQ);
		return cli_print_tree(reqs);
	}
	static const table_col_t cols[] = { { "id", "ID", true },	      { "kind", "KIND", false },
					    { "code", "CODE", false },	      { "department", "DEPARTMENT", false },
					    { "state", "STATE", false },      { "items", "ITEMS", false },
					    { "proposed_by", "BY", false },   { "updated_at", "UPDATED", false } };
	table_t t;
	table_init(&t, cli->arena, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < l->n_requests; i++) {
		Yk__ChangeRequest *r = l->requests[i];
		const char *state = r->stale ? arena_printf(cli->arena, "%s (stale)", r->state) : r->state;
		const char *cells[] = { u64_text(cli, true, r->id), r->kind, r->code, r->department, state,
					items_of(cli, r), r->proposed_by, r->updated_at };
		if (table_add(&t, cells))
			return EXIT_FAIL;
	}
	return table_print(&t, stdout, fmt) ? EXIT_FAIL : EXIT_OK;
}

static int show(cli_t *cli, int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", NULL };
	const char *fmt = cli_output(cli, "change", formats);
	if (!fmt)
		return EXIT_USAGE;
	Yk__ChangeGet in = YK__CHANGE_GET__INIT;
	if (argc != 2 || !parse_id(argv[1], &in.id))
		return cli_usage_error("change", "show takes exactly one change request number");
	in.has_id = 1;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_CHANGE_GET;
	req.change_get = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	Yk__ChangeRequest *c = resp->change_get;
	if (!strcmp(fmt, "json"))
		return cli_print_json(cli, &c->base);
	printf("사업변경 요청 #%llu (%s): %s %s — %s\n", (unsigned long long)c->id,
	       c->kind && !strcmp(c->kind, "completion") ? "완료 확인" : "사업변경", c->code, c->title ? c->title : "",
	       c->department ? c->department : "");
	printf("state:    %s%s\n", c->state, c->stale ? " (stale: the pledge has changed since the proposal)" : "");
	printf("based on: version %lld", (long long)c->base_version);
	if (c->has_applied_version)
		printf(", applied as version %lld", (long long)c->applied_version);
	if (c->round)
		printf(", confirmed in %s", c->round);
	printf("\nreason:   %s\n", c->reason);
	printf("proposed: %s by %s\n", c->proposed_at, c->proposed_by ? c->proposed_by : "?");
	if (c->n_card) {
		printf("\n사업변경내역 (as section 5 records it)\n");
		static const table_col_t cols[] = { { "item", "구분", false }, { "before", "변경 전", false },
						    { "after", "변경 후", false } };
		table_t t;
		table_init(&t, cli->arena, cols, 3);
		for (size_t i = 0; i < c->n_card; i++) {
			const char *cells[] = { c->card[i]->item, c->card[i]->before, c->card[i]->after };
			if (table_add(&t, cells))
				return EXIT_FAIL;
		}
		if (table_print(&t, stdout, "table"))
			return EXIT_FAIL;
	}
	printf("\nfields:\n");
	for (size_t i = 0; i < c->n_fields; i++)
		printf("  %s\n", c->fields[i]);
	if (c->n_evidence) {
		printf("\nevidence:\n");
		for (size_t i = 0; i < c->n_evidence; i++)
			printf("  %s  %llu bytes  sha256 %s\n", c->evidence[i]->name, (unsigned long long)c->evidence[i]->size,
			       c->evidence[i]->sha256 ? c->evidence[i]->sha256 : "");
	}
	printf("\nsteps:\n");
	static const table_col_t scols[] = { { "at", "WHEN", false },	  { "step", "STEP", false },
					     { "login", "WHO", false },	  { "role", "ROLE", false },
					     { "votes", "VOTES", false }, { "comment", "COMMENT", false } };
	table_t t;
	table_init(&t, cli->arena, scols, 6);
	for (size_t i = 0; i < c->n_steps; i++) {
		Yk__ChangeStepRecord *s = c->steps[i];
		const char *votes = s->has_votes_for || s->has_votes_against || s->has_votes_abstain
					    ? arena_printf(cli->arena, "찬성 %u, 반대 %u, 기권 %u", s->votes_for,
							   s->votes_against, s->votes_abstain)
					    : "";
		const char *cells[] = { s->at, s->step, s->login, s->role, votes, s->comment };
		if (table_add(&t, cells))
			return EXIT_FAIL;
	}
	return table_print(&t, stdout, "table") ? EXIT_FAIL : EXIT_OK;
}

int cmd_change(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, change_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	const char *sub = argv[1];
	if (!strcmp(sub, "propose"))
		return propose(cli, argc - 1, argv + 1);
	if (!strcmp(sub, "list"))
		return list(cli, argc - 1, argv + 1);
	if (!strcmp(sub, "show"))
		return show(cli, argc - 1, argv + 1);
	static const char *const steps[] = { "review", "deliberate", "approve", "reject", "confirm", "withdraw" };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (!strcmp(sub, steps[i]))
			return step(cli, sub, argc - 1, argv + 1);
	return cli_usage_error("change", "unknown subcommand \"%s\" (propose, review, deliberate, approve, reject, "
					 "confirm, withdraw, list, show)",
			       sub);
}
