/* round open|close|status, submit, review, target judge */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "table.h"

static const char round_usage[] =
	"usage: yaksok round open NAME --as-of DATE --due DATE\n"
	"       yaksok round close NAME\n"
	"       yaksok round status NAME [-o table|json|csv]\n"
	"       yaksok round list [-o table|json|csv]\n\n"
	"A reporting round (NAME like 2021-Q1, 2021-H2 or 2021): the coordinating department opens\n"
	"it with the date it reports on and the date submissions are due, and closes it.  status\n"
	"shows, per department and pledge, what is missing, submitted, returned or approved, and\n"
	"what is late.  list shows every round, oldest first.\n\n"
	"example: yaksok round open 2021-Q1 --as-of 2021-03-31 --due 2021-04-10\n";

static int print_round(cli_t *cli, const Yk__Round *r, const char *verb)
{
	if (cli_json(cli))
		return cli_print_json(cli, &r->base);
	printf("round %s %s (as of %s, due %s)\n", r->name, verb, r->as_of ? r->as_of : "?", r->due ? r->due : "?");
	return EXIT_OK;
}

int cmd_round(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, round_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	Yk__Request req = YK__REQUEST__INIT;
	int rc;
	if (!strcmp(argv[1], "open")) {
		static const struct option opts[] = { { "as-of", required_argument, NULL, 'a' },
						      { "due", required_argument, NULL, 'd' },
						      { 0 } };
		Yk__RoundOpen in = YK__ROUND_OPEN__INIT;
		int c;
		optind = 0;
		while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
			if (c == 'a')
				in.as_of = optarg;
			else if (c == 'd')
				in.due = optarg;
			else
				return cli_bad_option("round", argv + 1, opts);
		}
		if (optind + 1 != argc - 1 || !in.as_of || !in.due)
			return cli_usage_error("round", "open takes NAME, --as-of DATE and --due DATE");
		in.name = argv[optind + 1];
		req.body_case = YK__REQUEST__BODY_ROUND_OPEN;
		req.round_open = &in;
		Yk__Response *resp = cli_call(cli, &req, &rc);
		if (!resp)
			return rc;
		return print_round(cli, resp->round_open, "opened");
	}
	if (!strcmp(argv[1], "close")) {
		if (argc != 3)
			return cli_usage_error("round", "close takes exactly one NAME");
		Yk__RoundClose in = YK__ROUND_CLOSE__INIT;
		in.name = argv[2];
		req.body_case = YK__REQUEST__BODY_ROUND_CLOSE;
		req.round_close = &in;
		Yk__Response *resp = cli_call(cli, &req, &rc);
		if (!resp)
			return rc;
		return print_round(cli, resp->round_close, "closed");
	}
	if (!strcmp(argv[1], "status")) {
		if (argc != 3)
			return cli_usage_error("round", "status takes exactly one NAME");
		static const char *const formats[] = { "table", "json", "csv", NULL };
		const char *fmt = cli_output(cli, "round", formats);
		if (!fmt)
			return EXIT_USAGE;
		Yk__RoundStatus in = YK__ROUND_STATUS__INIT;
		in.name = argv[2];
		req.body_case = YK__REQUEST__BODY_ROUND_STATUS;
		req.round_status = &in;
		Yk__Response *resp = cli_call(cli, &req, &rc);
		if (!resp)
			return rc;
		Yk__RoundStatusReply *st = resp->round_status;
		static const table_col_t cols[] = {
			{ "department", "DEPARTMENT", false }, { "code", "CODE", false },
			{ "title", "TITLE", false },	       { "state", "STATE", false },
			{ "version", "VERSION", true },	       { "submitted_at", "SUBMITTED", false },
			{ "late", "LATE", false },	       { "comment", "COMMENT", false },
		};
		table_t t;
		table_init(&t, cli->arena, cols, sizeof(cols) / sizeof(cols[0]));
		size_t count[4] = { 0 }, late = 0;
		for (size_t i = 0; i < st->n_rows; i++) {
			Yk__RoundStatusRow *row = st->rows[i];
			char ver[24] = "";
			if (row->has_version)
				snprintf(ver, sizeof(ver), "%lld", (long long)row->version);
			const char *cells[] = { row->department, row->code,	 row->title,		     row->state,
						ver,		 row->submitted_at, row->late ? "late" : "", row->comment };
			if (table_add(&t, cells))
				return EXIT_FAIL;
			static const char *const states[] = { "missing", "submitted", "returned", "approved" };
			for (size_t k = 0; k < 4; k++)
				count[k] += !strcmp(row->state, states[k]);
			late += row->late;
		}
		if (!strcmp(fmt, "table") && st->round)
			printf("round %s (%s), as of %s, due %s: %zu missing, %zu submitted, %zu returned, %zu approved, %zu late\n\n",
			       st->round->name, st->round->state, st->round->as_of, st->round->due, count[0], count[1],
			       count[2], count[3], late);
		return table_print(&t, stdout, fmt) ? EXIT_FAIL : EXIT_OK;
	}
	if (!strcmp(argv[1], "list")) {
		if (argc != 2)
			return cli_usage_error("round", "list takes no arguments");
		static const char *const formats[] = { "table", "json", "csv", NULL };
		const char *fmt = cli_output(cli, "round", formats);
		if (!fmt)
			return EXIT_USAGE;
		Yk__RoundList in = YK__ROUND_LIST__INIT;
		req.body_case = YK__REQUEST__BODY_ROUND_LIST;
		req.round_list = &in;
		Yk__Response *resp = cli_call(cli, &req, &rc);
		if (!resp)
			return rc;
		static const table_col_t cols[] = {
			{ "name", "ROUND", false }, { "as_of", "AS OF", false },
			{ "due", "DUE", false },    { "state", "STATE", false },
		};
		table_t t;
		table_init(&t, cli->arena, cols, sizeof(cols) / sizeof(cols[0]));
		for (size_t i = 0; i < resp->round_list->n_rounds; i++) {
			const Yk__Round *rd = resp->round_list->rounds[i];
			const char *cells[] = { rd->name, rd->as_of, rd->due, rd->state };
			if (table_add(&t, cells))
				return EXIT_FAIL;
		}
		return table_print(&t, stdout, fmt) ? EXIT_FAIL : EXIT_OK;
	}
	return cli_usage_error("round", "unknown subcommand \"%s\" (open, close, status, list)", argv[1]);
}

static const char submit_usage[] =
	"usage: yaksok submit CODE --round NAME\n\n"
	"Submit the pledge, as it is now, for review in the round (a department account submits\n"
	"its own department's pledges).  A returned submission can be submitted again.\n";

static int print_submission(cli_t *cli, const Yk__Submission *s, const char *verb)
{
	if (cli_json(cli))
		return cli_print_json(cli, &s->base);
	printf("%s %s for %s (version %lld)%s%s\n", s->code, verb, s->round, (long long)s->version, s->late ? ", late" : "",
	       s->replayed ? " (already done)" : "");
	return EXIT_OK;
}

int cmd_submit(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, submit_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "round", required_argument, NULL, 'r' }, { 0 } };
	Yk__Submit in = YK__SUBMIT__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			in.round = optarg;
		else
			return cli_bad_option("submit", argv, opts);
	}
	if (optind + 1 != argc || !in.round)
		return cli_usage_error("submit", "expected CODE --round NAME");
	in.code = argv[optind];
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_SUBMIT;
	req.submit = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	return print_submission(cli, resp->submit, "submitted");
}

static const char review_usage[] =
	"usage: yaksok review CODE --round NAME --approve [--comment C]\n"
	"       yaksok review CODE --round NAME --return --comment C\n\n"
	"Approve a submitted pledge (its submitted version becomes the round's frozen snapshot)\n"
	"or return it to the department with a comment saying what to fix.\n";

int cmd_review(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, review_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "round", required_argument, NULL, 'r' },
					      { "approve", no_argument, NULL, 'a' },
					      { "return", no_argument, NULL, 'R' },
					      { "comment", required_argument, NULL, 'c' },
					      { 0 } };
	Yk__Review in = YK__REVIEW__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': in.round = optarg; break;
		case 'a':
		case 'R':
			if (in.has_approve)
				return cli_usage_error("review", "give one of --approve and --return");
			in.has_approve = 1;
			in.approve = c == 'a';
			break;
		case 'c': in.comment = optarg; break;
		default: return cli_bad_option("review", argv, opts);
		}
	}
	if (optind + 1 != argc || !in.round || !in.has_approve)
		return cli_usage_error("review", "expected CODE --round NAME and --approve or --return");
	in.code = argv[optind];
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_REVIEW;
	req.review = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	return print_submission(cli, resp->review, in.approve ? "approved" : "returned");
}

static const char target_usage[] =
	"usage: yaksok target judge CODE --year Y (--met | --not-met) --reason TEXT\n\n"
	"Record the coordinator's judgement of whether pledge CODE met year Y's target (연차별\n"
	"목표달성), and why: for a pledge whose targets are not numbers, or whose numbers do not\n"
	"tell the whole story.  stats --year Y counts it in place of what the indicators say and\n"
	"lists it with its reason; judging the same year again replaces it (the audit trail keeps\n"
	"each).  Coordinators and admins.\n\n"
	"example: yaksok target judge SW7-GOV-01 --year 2021 --met --reason \"조례 제정으로 목표 달성(정성)\"\n";

int cmd_target(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, target_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	if (strcmp(argv[1], "judge"))
		return cli_usage_error("target", "unknown subcommand \"%s\" (judge)", argv[1]);
	static const struct option opts[] = { { "year", required_argument, NULL, 'y' },
					      { "met", no_argument, NULL, 'm' },
					      { "not-met", no_argument, NULL, 'n' },
					      { "reason", required_argument, NULL, 'R' },
					      { 0 } };
	Yk__TargetJudge in = YK__TARGET_JUDGE__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'y':
			if (!cli_year_arg("target", optarg, &in.year))
				return EXIT_USAGE;
			in.has_year = 1;
			break;
		case 'm':
		case 'n':
			if (in.has_met)
				return cli_usage_error("target", "give one of --met and --not-met");
			in.has_met = 1;
			in.met = c == 'm';
			break;
		case 'R': in.reason = optarg; break;
		default: return cli_bad_option("target", argv + 1, opts);
		}
	}
	if (optind + 1 != argc - 1 || !in.has_year || !in.has_met || !in.reason)
		return cli_usage_error("target", "judge needs CODE, --year, --met or --not-met, and --reason");
	in.code = argv[optind + 1];
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_TARGET_JUDGE;
	req.target_judge = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	const Yk__TargetJudgement *j = resp->target_judge;
	if (cli_json(cli))
		return cli_print_json(cli, &j->base);
	printf("%s: %u target %s (%s)%s\n", j->code, j->year, j->met ? "met" : "not met", j->reason,
	       j->replayed ? " (already done)" : "");
	return EXIT_OK;
}
