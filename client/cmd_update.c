/* Quick updates: progress add, indicator set, budget set, status set,
 * evaluation add|answer.  Each is one request the server applies to the
 * pledge as it is now. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "doc.h"

static int send_update(cli_t *cli, Yk__PledgeUpdate *u)
{
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
	req.pledge_update = u;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	Yk__PledgeApplyReply *r = resp->pledge_update;
	if (cli_json(cli))
		return cli_print_json(cli, &r->base);
	if (r->has_proposal) {
		printf("%s: completion proposed as change request #%llu; the coordinator confirms it "
		       "(yaksok change confirm %llu)%s\n",
		       r->code, (unsigned long long)r->proposal, (unsigned long long)r->proposal,
		       r->replayed ? " (already proposed)" : "");
		return EXIT_OK;
	}
	printf("%s updated (version %lld)%s\n", r->code, (long long)r->version, r->replayed ? " (already applied)" : "");
	return EXIT_OK;
}

static Yk__Decimal *decimal_arg(cli_t *cli, const char *cmd, const char *flag, const char *s)
{
	char *canon = doc_num_canon(cli->arena, s, strlen(s));
	if (!canon) {
		cli_usage_error(cmd, "%s %s: expected a number", flag, s);
		return NULL;
	}
	Yk__Decimal *d = arena_alloc(cli->arena, sizeof(*d));
	yk__decimal__init(d);
	d->value = canon;
	return d;
}

static bool version_arg(cli_t *cli, const char *cmd, const char *s, Yk__PledgeUpdate *u)
{
	(void)cli;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || v < 1) {
		cli_usage_error(cmd, "--if-version %s: expected a version number", s);
		return false;
	}
	u->has_if_version = 1;
	u->if_version = v;
	return true;
}

static const char progress_usage[] =
	"usage: yaksok progress add CODE --indicator NAME --text T [--date D] [--until D]\n"
	"                           [--label L] [--note N] [--activity TITLE] [--if-version N] [--reason TEXT]\n\n"
	"Append an item to section 4 (성과지표별 추진현황) under the indicator heading NAME\n"
	"(made if missing), in the activity TITLE (made if missing) or else the heading's last\n"
	"activity.  D is a date (2021-03-12) or a month (2021-03).  The server applies it to the\n"
	"pledge as it is now; --if-version refuses (exit 4) unless the pledge is at version N.\n\n"
	"example: yaksok progress add SW7-GOV-01 --indicator \"협치 계획 수립\" --date 2021-04-20 --text \"연구용역 착수\"\n";

int cmd_progress(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, progress_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	if (strcmp(argv[1], "add"))
		return cli_usage_error("progress", "unknown subcommand \"%s\" (add)", argv[1]);
	static const struct option opts[] = {
		{ "indicator", required_argument, NULL, 'i' }, { "text", required_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'd' },	{ "until", required_argument, NULL, 'u' },
		{ "label", required_argument, NULL, 'l' },	{ "note", required_argument, NULL, 'n' },
		{ "activity", required_argument, NULL, 'a' },	{ "if-version", required_argument, NULL, 'v' },
		{ "reason", required_argument, NULL, 'R' },
		{ 0 }
	};
	Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
	Yk__ProgressAdd p = YK__PROGRESS_ADD__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': p.indicator = optarg; break;
		case 't': p.text = optarg; break;
		case 'd': p.date = optarg; break;
		case 'u': p.until = optarg; break;
		case 'l': p.label = optarg; break;
		case 'n': p.note = optarg; break;
		case 'a': p.activity = optarg; break;
		case 'R': u.reason = optarg; break;
		case 'v':
			if (!version_arg(cli, "progress", optarg, &u))
				return EXIT_USAGE;
			break;
		default: return cli_bad_option("progress", argv + 1, opts);
		}
	}
	if (optind + 1 != argc - 1)
		return cli_usage_error("progress", "add takes exactly one CODE");
	if (!p.indicator || (!p.text && !p.label))
		return cli_usage_error("progress", "add needs --indicator and --text");
	u.code = argv[optind + 1];
	u.change_case = YK__PLEDGE_UPDATE__CHANGE_PROGRESS_ADD;
	u.progress_add = &p;
	return send_update(cli, &u);
}

static const char indicator_usage[] =
	"usage: yaksok indicator set CODE --indicator NAME --period P (--actual V | --target V) [--if-version N]\n"
	"                             [--reason TEXT]\n\n"
	"Set one cell of section 3 (연도별 성과지표): the indicator NAME in the indicator set whose\n"
	"columns include P (of a table with 당초 and 변경 rows, the 변경 one).  V is a number, or\n"
	"text such as 운영 or -.\n\n"
	"example: yaksok indicator set SW7-GOV-01 --indicator \"협치 계획 수립\" --period 2021-Q1 --actual 1\n";

int cmd_indicator(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, indicator_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	if (strcmp(argv[1], "set"))
		return cli_usage_error("indicator", "unknown subcommand \"%s\" (set)", argv[1]);
	static const struct option opts[] = { { "indicator", required_argument, NULL, 'i' },
					      { "period", required_argument, NULL, 'p' },
					      { "actual", required_argument, NULL, 'a' },
					      { "target", required_argument, NULL, 't' },
					      { "if-version", required_argument, NULL, 'v' },
					      { "reason", required_argument, NULL, 'R' },
					      { 0 } };
	Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
	Yk__IndicatorValueSet s = YK__INDICATOR_VALUE_SET__INIT;
	Yk__Value val = YK__VALUE__INIT;
	Yk__Decimal dec = YK__DECIMAL__INIT;
	const char *v = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': s.indicator = optarg; break;
		case 'p': s.period = optarg; break;
		case 'a':
		case 't':
			if (v)
				return cli_usage_error("indicator", "give one of --actual and --target");
			v = optarg;
			s.kind = c == 'a' ? "actual" : "target";
			break;
		case 'R': u.reason = optarg; break;
		case 'v':
			if (!version_arg(cli, "indicator", optarg, &u))
				return EXIT_USAGE;
			break;
		default: return cli_bad_option("indicator", argv + 1, opts);
		}
	}
	if (optind + 1 != argc - 1)
		return cli_usage_error("indicator", "set takes exactly one CODE");
	if (!s.indicator || !s.period || !v)
		return cli_usage_error("indicator", "set needs --indicator, --period and --actual or --target");
	char *num = doc_num_canon(cli->arena, v, strlen(v));
	if (num) {
		dec.value = num;
		val.kind_case = YK__VALUE__KIND_NUMBER;
		val.number = &dec;
	} else {
		val.kind_case = YK__VALUE__KIND_TEXT;
		val.text = (char *)v;
	}
	s.value = &val;
	u.code = argv[optind + 1];
	u.change_case = YK__PLEDGE_UPDATE__CHANGE_INDICATOR_SET;
	u.indicator_set = &s;
	return send_update(cli, &u);
}

static const char budget_usage[] =
	"usage: yaksok budget set CODE --source S --period P [--secured N] [--executed N] [--planned N] [--if-version N]\n"
	"                         [--reason TEXT]\n\n"
	"Set cells of section 2 (예산투자현황) for source S (national, provincial, city, private,\n"
	"other) and period P (one of the budget's periods).  Cells not given stay as they are.\n\n"
	"example: yaksok budget set SW7-GOV-01 --source city --period 2021 --executed 12.5\n";

int cmd_budget(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, budget_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	if (strcmp(argv[1], "set"))
		return cli_usage_error("budget", "unknown subcommand \"%s\" (set)", argv[1]);
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },   { "period", required_argument, NULL, 'p' },
		{ "secured", required_argument, NULL, 'S' },  { "executed", required_argument, NULL, 'E' },
		{ "planned", required_argument, NULL, 'P' },  { "if-version", required_argument, NULL, 'v' },
		{ "reason", required_argument, NULL, 'R' },
		{ 0 }
	};
	Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
	Yk__BudgetCellSet b = YK__BUDGET_CELL_SET__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': b.source = optarg; break;
		case 'p': b.period = optarg; break;
		case 'S':
			if (!(b.secured = decimal_arg(cli, "budget", "--secured", optarg)))
				return EXIT_USAGE;
			break;
		case 'E':
			if (!(b.executed = decimal_arg(cli, "budget", "--executed", optarg)))
				return EXIT_USAGE;
			break;
		case 'P':
			if (!(b.planned = decimal_arg(cli, "budget", "--planned", optarg)))
				return EXIT_USAGE;
			break;
		case 'R': u.reason = optarg; break;
		case 'v':
			if (!version_arg(cli, "budget", optarg, &u))
				return EXIT_USAGE;
			break;
		default: return cli_bad_option("budget", argv + 1, opts);
		}
	}
	if (optind + 1 != argc - 1)
		return cli_usage_error("budget", "set takes exactly one CODE");
	if (!b.source || !b.period || (!b.secured && !b.executed && !b.planned))
		return cli_usage_error("budget", "set needs --source, --period and --secured, --executed or --planned");
	u.code = argv[optind + 1];
	u.change_case = YK__PLEDGE_UPDATE__CHANGE_BUDGET_SET;
	u.budget_set = &b;
	return send_update(cli, &u);
}

static const char status_usage[] =
	"usage: yaksok status set CODE [--status S] [--progress N] [--reason TEXT] [--evidence FILE]...\n"
	"                         [--if-version N]\n\n"
	"Set the pledge's status (in_progress, completed, completed_ongoing, partial, delayed,\n"
	"on_hold, dropped, not_started) and/or its overall progress (0-100).\n"
	"From a department account, completed and completed_ongoing are a proposal (give\n"
	"--reason, and --evidence files: a completion is confirmed on evidence) that the\n"
	"coordinator confirms in a round (yaksok change confirm ID); on_hold\n"
	"and dropped need an approved change request (yaksok change propose).\n"
	"(yaksok status without arguments shows the server's status.)\n";

int cmd_status_set(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, status_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "status", required_argument, NULL, 's' },
					      { "progress", required_argument, NULL, 'p' },
					      { "if-version", required_argument, NULL, 'v' },
					      { "reason", required_argument, NULL, 'r' },
					      { "evidence", required_argument, NULL, 'e' },
					      { 0 } };
	Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
	Yk__StatusSet st = YK__STATUS_SET__INIT;
	Yk__Evidence **ev = arena_alloc(cli->arena, sizeof(*ev) * (size_t)argc);
	if (!ev)
		return EXIT_FAIL;
	st.evidence = ev;
	int c;
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': st.status = optarg; break;
		case 'r':
			st.reason = optarg; /* a completion's reason ... */
			u.reason = optarg;  /* ... or a correction's */
			break;
		case 'e': {
			int erc = cli_evidence(cli, "status", optarg, &ev[st.n_evidence]);
			if (erc)
				return erc;
			st.n_evidence++;
			break;
		}
		case 'p':
			if (!(st.progress_pct = decimal_arg(cli, "status", "--progress", optarg)))
				return EXIT_USAGE;
			break;
		case 'v':
			if (!version_arg(cli, "status", optarg, &u))
				return EXIT_USAGE;
			break;
		default: return cli_bad_option("status", argv + 1, opts);
		}
	}
	if (optind + 1 != argc - 1)
		return cli_usage_error("status", "set takes exactly one CODE");
	if (!st.status && !st.progress_pct)
		return cli_usage_error("status", "set needs --status, --progress or both");
	u.code = argv[optind + 1];
	u.change_case = YK__PLEDGE_UPDATE__CHANGE_STATUS_SET;
	u.status_set = &st;
	return send_update(cli, &u);
}

static const char evaluation_usage[] =
	"usage: yaksok evaluation add CODE --suggestion S [--round P] [--committee C]\n"
	"       yaksok evaluation answer CODE N --text T\n\n"
	"add: an evaluation committee's suggestion (section 6; evaluators and coordinators).\n"
	"answer: the department's action on suggestion number N (1 = the first).\n\n"
	"example: yaksok evaluation add SW7-GOV-01 --round 2021-H1 --committee 좋은시정위원회 --suggestion \"협치 백서 공개\"\n";

int cmd_evaluation(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, evaluation_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	bool add = !strcmp(argv[1], "add");
	if (!add && strcmp(argv[1], "answer"))
		return cli_usage_error("evaluation", "unknown subcommand \"%s\" (add, answer)", argv[1]);
	static const struct option opts[] = { { "suggestion", required_argument, NULL, 's' },
					      { "round", required_argument, NULL, 'r' },
					      { "committee", required_argument, NULL, 'c' },
					      { "text", required_argument, NULL, 't' },
					      { "if-version", required_argument, NULL, 'v' },
					      { 0 } };
	Yk__PledgeUpdate u = YK__PLEDGE_UPDATE__INIT;
	Yk__EvaluationAdd ea = YK__EVALUATION_ADD__INIT;
	Yk__EvaluationAnswer an = YK__EVALUATION_ANSWER__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': ea.suggestion = optarg; break;
		case 'r': ea.round = optarg; break;
		case 'c': ea.committee = optarg; break;
		case 't': an.text = optarg; break;
		case 'v':
			if (!version_arg(cli, "evaluation", optarg, &u))
				return EXIT_USAGE;
			break;
		default: return cli_bad_option("evaluation", argv + 1, opts);
		}
	}
	int operands = argc - 1 - optind;
	if (add) {
		if (operands != 1 || !ea.suggestion)
			return cli_usage_error("evaluation", "add takes one CODE and --suggestion");
		u.change_case = YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ADD;
		u.evaluation_add = &ea;
	} else {
		char *end;
		long long n = operands == 2 ? strtoll(argv[optind + 2], &end, 10) : 0;
		/* the protocol's index is 32 bits: a larger number would wrap onto
		 * another suggestion */
		if (operands != 2 || *end || n < 1 || n > (long long)UINT32_MAX + 1 || !an.text)
			return cli_usage_error("evaluation", "answer takes CODE, the suggestion's number (1, 2, ...) and --text");
		an.has_index = 1;
		an.index = (uint32_t)(n - 1);
		u.change_case = YK__PLEDGE_UPDATE__CHANGE_EVALUATION_ANSWER;
		u.evaluation_answer = &an;
	}
	u.code = argv[optind + 1];
	return send_update(cli, &u);
}
