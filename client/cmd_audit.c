/* history, audit verify, diff */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "doc_io.h"
#include "docmap.h"
#include "table.h"

static const char history_usage[] =
	"usage: yaksok history CODE [--refused] [--limit N] [--before VERSION] [-o table|json]\n\n"
	"The accepted changes of the pledge, oldest first: when, who (and from where), what, the\n"
	"version it made.  --refused adds the write attempts that were refused.  The newest N\n"
	"(default 50, at most 1000) are shown; --before VERSION shows those older than the change\n"
	"that made VERSION (the command for the next page is printed when there are more).\n";

int cmd_history(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, history_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "refused", no_argument, NULL, 'r' },
					      { "limit", required_argument, NULL, 'l' },
					      { "before", required_argument, NULL, 'b' },
					      { 0 } };
	Yk__PledgeHistory in = YK__PLEDGE_HISTORY__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		long long v;
		switch (c) {
		case 'r':
			in.has_refused = 1;
			in.refused = 1;
			break;
		case 'l':
			v = strtoll(optarg, &end, 10);
			if (*end || v < 1 || v > 1000)
				return cli_usage_error("history", "--limit takes a number from 1 to 1000, not \"%s\"", optarg);
			in.has_limit = 1;
			in.limit = (uint32_t)v;
			break;
		case 'b':
			v = strtoll(optarg, &end, 10);
			if (*end || v < 1)
				return cli_usage_error("history", "--before takes a version (1 or more), not \"%s\"", optarg);
			in.has_before_version = 1;
			in.before_version = v;
			break;
		default:
			return cli_bad_option("history", argv, opts);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("history", "expected exactly one CODE");
	static const char *const formats[] = { "table", "json", NULL };
	const char *fmt = cli_output(cli, "history", formats);
	if (!fmt)
		return EXIT_USAGE;
	in.code = argv[optind];
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_PLEDGE_HISTORY;
	req.pledge_history = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	Yk__PledgeHistoryReply *h = resp->pledge_history;
	/* the next page's command, on stderr so that the data stays clean */
	int64_t oldest = 0;
	for (size_t i = 0; i < h->n_entries && !oldest; i++)
		if (h->entries[i]->has_version && h->entries[i]->outcome && !strcmp(h->entries[i]->outcome, "accepted"))
			oldest = h->entries[i]->version;
	if (h->more && oldest)
		fprintf(stderr, "older entries: yaksok history %s --before %lld%s\n", in.code, (long long)oldest,
			in.refused ? " --refused" : "");
	if (!strcmp(fmt, "json")) {
		doc_node_t *seq = doc_new(cli->arena, DOC_SEQ);
		for (size_t i = 0; seq && i < h->n_entries; i++)
			if (doc_push(cli->arena, seq, docmap_to_tree(cli->arena, &h->entries[i]->base)))
				return EXIT_FAIL;
		return cli_print_tree(seq);
	}
	static const table_col_t cols[] = { { "at", "WHEN", false },	   { "login", "WHO", false },
					    { "peer", "FROM", false },	   { "version", "VERSION", true },
					    { "op", "WHAT", false },	   { "changes", "CHANGES", false } };
	table_t t;
	table_init(&t, cli->arena, cols, 6);
	for (size_t i = 0; i < h->n_entries; i++) {
		Yk__HistoryEntry *e = h->entries[i];
		char ver[24] = "";
		if (e->has_version)
			snprintf(ver, sizeof(ver), "%lld", (long long)e->version);
		const char *what = e->op;
		if (e->outcome && !strcmp(e->outcome, "refused"))
			what = arena_printf(cli->arena, "%s REFUSED (%s)", e->op, e->status ? e->status : "");
		else if (e->message && *e->message)
			what = arena_printf(cli->arena, "%s: %s", e->op, e->message);
		const char *changes = e->n_changes ? e->changes[0] : (e->outcome && !strcmp(e->outcome, "refused") ? e->message : "");
		const char *cells[] = { e->at, e->login ? e->login : "-", e->peer, ver, what, changes };
		if (table_add(&t, cells))
			return EXIT_FAIL;
		for (size_t k = 1; k < e->n_changes; k++) {
			const char *more[] = { "", "", "", "", "", e->changes[k] };
			if (table_add(&t, more))
				return EXIT_FAIL;
		}
	}
	return table_print(&t, stdout, "table") ? EXIT_FAIL : EXIT_OK;
}

static const char audit_usage[] =
	"usage: yaksok audit verify\n\n"
	"Check the audit trail's hash chain from its first row to its last; exit 1 naming the\n"
	"first row that was edited or whose predecessor was removed.  Breaks an administrator\n"
	"has looked into and recorded (docs/operations.md) are counted and passed.\n";

int cmd_audit(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, audit_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	if (strcmp(argv[1], "verify") || argc != 2)
		return cli_usage_error("audit", "expected: audit verify");
	Yk__AuditVerify in = YK__AUDIT_VERIFY__INIT;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_AUDIT_VERIFY;
	req.audit_verify = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	Yk__AuditVerifyReply *v = resp->audit_verify;
	if (cli_json(cli)) {
		int jrc = cli_print_json(cli, &v->base);
		return jrc ? jrc : v->ok ? EXIT_OK : EXIT_FAIL;
	}
	char repaired[96] = "";
	if (v->repaired)
		snprintf(repaired, sizeof(repaired), "; %llu recorded break%s passed (see audit_repairs)",
			 (unsigned long long)v->repaired, v->repaired == 1 ? "" : "s");
	if (v->ok) {
		printf("audit trail intact: %llu rows checked%s\n", (unsigned long long)v->checked, repaired);
		return EXIT_OK;
	}
	printf("audit trail BROKEN at row %llu: %s (%llu rows before it check out%s)\n", (unsigned long long)v->bad_id,
	       v->reason ? v->reason : "?", (unsigned long long)v->checked, repaired);
	return EXIT_FAIL;
}

/* ---------------------------------------------------------------- diff */

static const char diff_usage[] =
	"usage: yaksok diff CODE ROUND1 ROUND2\n\n"
	"What changed in the pledge between the snapshots approved in two rounds, field by field:\n"
	"  ~ path: old -> new      a value changed (an indicator value, a budget cell, ...)\n"
	"  + path: new             something was added (an activity, a plan, ...)\n"
	"  - path: old             something was removed\n"
	"Exit 0 when there are differences or not; 3 when a round has no approved snapshot.\n";

static void print_change(void *arg, const char *path, const doc_node_t *old, const doc_node_t *new_)
{
	cli_t *cli = arg;
	arena_t *a = cli->arena;
	static const char *const skip[] = { "version", "updated_at", "updated_by", NULL };
	for (size_t i = 0; skip[i]; i++)
		if (!strcmp(path, skip[i]) || !strncmp(path, "derived", 7))
			return;
	if (!old)
		printf("+ %s: %s\n", path, doc_summary(a, new_, 80));
	else if (!new_)
		printf("- %s: %s\n", path, doc_summary(a, old, 80));
	else
		printf("~ %s: %s -> %s\n", path, doc_summary(a, old, 80), doc_summary(a, new_, 80));
}

static doc_node_t *snapshot(cli_t *cli, const char *code, const char *round, int *rc)
{
	Yk__PledgeGet in = YK__PLEDGE_GET__INIT;
	in.code = (char *)code;
	in.round = (char *)round;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_PLEDGE_GET;
	req.pledge_get = &in;
	Yk__Response *resp = cli_call(cli, &req, rc);
	return resp ? docmap_to_tree(cli->arena, &resp->pledge_get->base) : NULL;
}

int cmd_diff(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, diff_usage))
		return EXIT_OK;
	if (argc != 4)
		return cli_usage_error("diff", "expected CODE ROUND1 ROUND2");
	int rc;
	doc_node_t *a = snapshot(cli, argv[1], argv[2], &rc);
	if (!a)
		return rc;
	doc_node_t *b = snapshot(cli, argv[1], argv[3], &rc);
	if (!b)
		return rc;
	const doc_node_t *va = doc_get(a, "version"), *vb = doc_get(b, "version");
	printf("%s: %s (version %s) -> %s (version %s)\n", argv[1], argv[2], va ? va->s : "?", argv[3], vb ? vb->s : "?");
	doc_diff(cli->arena, a, b, "", print_change, cli);
	return EXIT_OK;
}
