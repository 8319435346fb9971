/* The city-wide picture: list with filters, stats. */
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "terms.h"
#include "doc_io.h"
#include "docmap.h"
#include "table.h"
#include "text.h"

static const char list_usage[] =
	"usage: yaksok list [--department D] [--status S] [--area A] [--overdue] [--lagging]\n"
	"                   [--search TEXT] [--round R [--submission missing|submitted|returned|approved]]\n"
	"                   [--sort code|title|department|status|progress|target|updated] [-o table|json|csv]\n\n"
	"One line per pledge; the filters combine.\n"
	"  --overdue    the month after the target month has begun and it is not completed\n"
	"  --lagging    cumulative progress below its target in the latest period that has both\n"
	"  --search     in title, target and contents (however the Hangul was typed)\n"
	"  --round R    the versions approved in reporting round R (as get, show and export read it)\n"
	"  --round R --submission S   where each working copy stands in round R (not for viewers)\n";

/* Filter flags shared by list and export; returns 0, 1 when not one of
 * them, or an exit code (>= 2) after a usage error. */
int cli_filter_option(cli_t *cli, const char *cmd, int c, const char *arg, Yk__PledgeList *f)
{
	(void)cli;
	(void)cmd;
	switch (c) {
	case 'd': f->department = (char *)arg; return 0;
	case 's': f->status = (char *)arg; return 0;
	case 'A': f->area = (char *)arg; return 0;
	case 'O': f->has_overdue = f->overdue = 1; return 0;
	case 'L': f->has_lagging = f->lagging = 1; return 0;
	case 'q': f->search = (char *)arg; return 0;
	case 'r': f->round = (char *)arg; return 0;
	case 'S': f->submission = (char *)arg; return 0;
	case 'y': f->sort = (char *)arg; return 0;
	default: return 1;
	}
}

#define FILTER_OPTIONS                                                                                              \
	{ "department", required_argument, NULL, 'd' }, { "status", required_argument, NULL, 's' },               \
	{ "area", required_argument, NULL, 'A' }, { "overdue", no_argument, NULL, 'O' },                          \
	{ "lagging", no_argument, NULL, 'L' }, { "search", required_argument, NULL, 'q' },                        \
	{ "round", required_argument, NULL, 'r' }, { "submission", required_argument, NULL, 'S' },                \
	{ "sort", required_argument, NULL, 'y' }

const struct option cli_filter_options[] = { FILTER_OPTIONS, { 0 } };

int cmd_list(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, list_usage))
		return EXIT_OK;
	Yk__PledgeList in = YK__PLEDGE_LIST__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", cli_filter_options, NULL)) != -1) {
		int rc = cli_filter_option(cli, "list", c, optarg, &in);
		if (rc == 1)
			return cli_bad_option("list", argv, cli_filter_options);
		if (rc)
			return rc;
	}
	if (optind != argc)
		return cli_usage_error("list", "unexpected argument \"%s\"", argv[optind]);
	static const char *const formats[] = { "table", "json", "csv", NULL };
	const char *fmt = cli_output(cli, "list", formats);
	if (!fmt)
		return EXIT_USAGE;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_PLEDGE_LIST;
	req.pledge_list = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	/* JSON: each PledgeSummary as the protocol has it, typed (the same
	 * shape wherever a pledge's summary is printed) */
	if (!strcmp(fmt, "json")) {
		doc_node_t *seq = doc_new(cli->arena, DOC_SEQ);
		for (size_t i = 0; seq && i < resp->pledge_list->n_pledges; i++)
			if (doc_push(cli->arena, seq, docmap_to_tree(cli->arena, &resp->pledge_list->pledges[i]->base)))
				seq = NULL;
		return cli_print_tree(seq);
	}
	table_col_t cols[] = {
		{ "code", "CODE", false },	       { "title", "TITLE", false },	     { "department", "DEPARTMENT", false },
		{ "area", "AREA", false },	       { "status", "STATUS", false },	     { "progress_pct", "PROGRESS(%)", true },
		{ "target_month", "TARGET", false },   { "overdue", "OVERDUE", false, true },	     { "lagging", "LAGGING", false },
		{ "version", "VERSION", true },	       { "submission", "SUBMISSION", false },
	};
	size_t ncols = in.round ? 11 : 10;
	table_t t;
	table_init(&t, cli->arena, cols, ncols);
	for (size_t i = 0; i < resp->pledge_list->n_pledges; i++) {
		Yk__PledgeSummary *s = resp->pledge_list->pledges[i];
		char ver[24];
		snprintf(ver, sizeof(ver), "%lld", (long long)s->version);
		const char *overdue = !strcmp(fmt, "table") ? (s->overdue ? "yes" : "") : (s->overdue ? "true" : "false");
		const char *status = cli->korean && !strcmp(fmt, "table") ? status_word(s->status) : s->status;
		const char *cells[] = { s->code,	 s->title,   s->department, s->area,	   status,
					s->progress_pct ? s->progress_pct->value : NULL, s->target_month, overdue,
					s->lagging, ver, s->submission };
		if (table_add(&t, cells))
			return EXIT_FAIL;
	}
	return table_print(&t, stdout, fmt) ? EXIT_FAIL : EXIT_OK;
}

static const char stats_usage[] =
	"usage: yaksok stats [--round R] [--year Y] [-o table|json]\n\n"
	"The city at a glance (the working copies; for a viewer the approved versions; with --round R\n"
	"the versions approved in R, and how many have none there): pledges by status; the completion rate as evaluations count it\n"
	"(completed + completed_ongoing over all not dropped); average progress; per department\n"
	"pledges, completed, lagging, overdue and (with --round) reported this round; budget\n"
	"secured, executed and planned by source with execution rates; the lagging pledges and why.\n"
	"And the annual evaluation's measures: 공약이행완료율 (completed of all pledges); completion\n"
	"by 정책분야; 재원 확보율 (prior + secured of what the cards require, by source); 연차별\n"
	"목표달성 for year Y (default this year: pledges whose every numeric target of Y is reached,\n"
	"and the indicators); 공약일치도 (what of the plan changed since each pledge's first\n"
	"approval, with the approved reasons).\n";

/* A funding source as the card names it (국비) with --lang ko, else its code. */
static const char *source_label(const cli_t *cli, const char *key)
{
	for (size_t i = 0; cli->korean && key && i < BUDGET_SOURCES; i++)
		if (!strcmp(key, budget_source_keys[i]))
			return budget_source_names[i];
	return key;
}

static const char *dec(const Yk__Decimal *d)
{
	return d && d->value ? d->value : "-";
}

int cmd_stats(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, stats_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "round", required_argument, NULL, 'r' },
					      { "year", required_argument, NULL, 'y' },
					      { 0 } };
	Yk__Stats in = YK__STATS__INIT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r') {
			in.round = optarg;
		} else if (c == 'y') {
			if (!cli_year_arg("stats", optarg, &in.year))
				return EXIT_USAGE;
			in.has_year = 1;
		} else {
			return cli_bad_option("stats", argv, opts);
		}
	}
	if (optind != argc)
		return cli_usage_error("stats", "unexpected argument \"%s\"", argv[optind]);
	static const char *const formats[] = { "table", "json", NULL };
	const char *fmt = cli_output(cli, "stats", formats);
	if (!fmt)
		return EXIT_USAGE;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_STATS;
	req.stats = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	Yk__StatsReply *s = resp->stats;
	if (!strcmp(fmt, "json"))
		return cli_print_json(cli, &s->base);
	if (in.round)
		printf("the versions approved in round %s: %u pledges (%u without one there, not counted)\n", in.round,
		       s->pledges, s->not_approved);
	printf("pledges: %u   completion rate: %s%% (of those not dropped)   average progress: %s%%   overdue: %u   "
	       "lagging: %u\n",
	       s->pledges, dec(s->completion_rate_pct), dec(s->average_progress_pct), s->overdue, s->lagging);
	printf("공약이행완료율 (the annual evaluation's: completed of all pledges, dropped included): %s%%\n\n",
	       dec(s->evaluation_completion_rate_pct));
	static const table_col_t st_cols[] = { { "status", "STATUS", false }, { "pledges", "PLEDGES", true } };
	table_t t;
	table_init(&t, cli->arena, st_cols, 2);
	for (size_t i = 0; i < s->n_by_status; i++) {
		char n[16];
		snprintf(n, sizeof(n), "%u", s->by_status[i]->value);
		const char *cells[] = { cli->korean ? status_word(s->by_status[i]->key) : s->by_status[i]->key, n };
		table_add(&t, cells);
	}
	table_print(&t, stdout, "table");
	putchar('\n');
	table_col_t d_cols[] = { { "department", "DEPARTMENT", false }, { "pledges", "PLEDGES", true },
				 { "completed", "COMPLETED", true },	 { "lagging", "LAGGING", true },
				 { "overdue", "OVERDUE", true },	 { "avg", "AVG PROGRESS(%)", true },
				 { "reported", "REPORTED", true } };
	table_init(&t, cli->arena, d_cols, in.round ? 7 : 6);
	for (size_t i = 0; i < s->n_departments; i++) {
		Yk__DepartmentStats *d = s->departments[i];
		char b[5][16];
		snprintf(b[0], 16, "%u", d->pledges);
		snprintf(b[1], 16, "%u", d->completed);
		snprintf(b[2], 16, "%u", d->lagging);
		snprintf(b[3], 16, "%u", d->overdue);
		snprintf(b[4], 16, "%u", d->reported);
		const char *cells[] = { d->department, b[0], b[1], b[2], b[3], dec(d->average_progress_pct), b[4] };
		table_add(&t, cells);
	}
	table_print(&t, stdout, "table");
	putchar('\n');
	static const table_col_t a_cols[] = { { "area", "AREA", false },	     { "pledges", "PLEDGES", true },
					      { "completed", "COMPLETED", true },  { "rate", "COMPLETION(%)", true },
					      { "avg", "AVG PROGRESS(%)", true } };
	table_init(&t, cli->arena, a_cols, 5);
	for (size_t i = 0; i < s->n_areas; i++) {
		Yk__AreaStats *ar = s->areas[i];
		char b[2][16];
		snprintf(b[0], 16, "%u", ar->pledges);
		snprintf(b[1], 16, "%u", ar->completed);
		const char *cells[] = { ar->area && *ar->area ? ar->area : "-", b[0], b[1], dec(ar->completion_rate_pct),
					dec(ar->average_progress_pct) };
		table_add(&t, cells);
	}
	table_print(&t, stdout, "table");
	putchar('\n');
	static const table_col_t b_cols[] = { { "source", "SOURCE", false },   { "secured", "SECURED", true },
					      { "executed", "EXECUTED", true }, { "planned", "PLANNED", true },
					      { "rate", "EXECUTION(%)", true } };
	table_init(&t, cli->arena, b_cols, 5);
	for (size_t i = 0; i <= s->n_budget; i++) {
		Yk__BudgetStats *b = i < s->n_budget ? s->budget[i] : s->budget_all;
		if (!b)
			continue;
		const char *cells[] = { i < s->n_budget ? source_label(cli, b->source) : cli->korean ? "계" : "all",
					dec(b->secured), dec(b->executed),
					dec(b->planned), dec(b->execution_rate_pct) };
		table_add(&t, cells);
	}
	table_print(&t, stdout, "table");
	if (s->n_lagging_list) {
		printf("\nlagging:\n");
		static const table_col_t l_cols[] = { { "code", "CODE", false },
						      { "department", "DEPARTMENT", false },
						      { "title", "TITLE", false },
						      { "reason", "WHY", false } };
		table_init(&t, cli->arena, l_cols, 4);
		for (size_t i = 0; i < s->n_lagging_list; i++) {
			Yk__PledgeNote *n = s->lagging_list[i];
			const char *cells[] = { n->code, n->department, n->title, n->reason };
			table_add(&t, cells);
		}
		table_print(&t, stdout, "table");
	}
	putchar('\n');
	static const table_col_t f_cols[] = { { "source", "SOURCE", false },
					      { "required", "REQUIRED(a~g)", true },
					      { "secured", "SECURED", true },
					      { "rate", "재원 확보율(%)", true } };
	table_init(&t, cli->arena, f_cols, 4);
	for (size_t i = 0; i <= s->n_finance; i++) {
		Yk__FinanceStats *f = i < s->n_finance ? s->finance[i] : s->finance_all;
		if (!f)
			continue;
		const char *cells[] = { i < s->n_finance ? source_label(cli, f->source) : cli->korean ? "계" : "all",
					dec(f->required), dec(f->secured), dec(f->secured_rate_pct) };
		table_add(&t, cells);
	}
	table_print(&t, stdout, "table");
	if (s->year_targets) {
		const Yk__YearTargets *y = s->year_targets;
		printf("\n연차별 목표달성 %u: %u of %u pledges (%s%%) reached every numeric target of the year or "
		       "were judged to (%u judged); %u of %u indicators (%s%%)\n",
		       y->year, y->pledges_met, y->pledges, dec(y->pledges_met_pct), y->judged, y->indicators_met,
		       y->indicators, dec(y->indicators_met_pct));
		for (size_t i = 0; i < s->n_year_unmet; i++)
			printf("  %s  %s\n", s->year_unmet[i]->code, s->year_unmet[i]->reason ? s->year_unmet[i]->reason : "");
		if (s->n_year_judged)
			printf("  judged (yaksok target judge):\n");
		for (size_t i = 0; i < s->n_year_judged; i++)
			printf("  %s  %s\n", s->year_judged[i]->code, s->year_judged[i]->reason ? s->year_judged[i]->reason : "");
	}
	if (s->consistency) {
		const Yk__Consistency *k = s->consistency;
		printf("\n공약일치도: of %u pledges approved, %u keep the plan as first approved; changed since: "
		       "target month %u, contents %u, indicators %u, planned budget %u, dropped %u\n",
		       k->pledges, k->unchanged, k->target_month, k->contents, k->indicators, k->budget, k->dropped);
		for (size_t i = 0; i < s->n_consistency_changed; i++)
			printf("  %s  %s\n", s->consistency_changed[i]->code,
			       s->consistency_changed[i]->reason ? s->consistency_changed[i]->reason : "");
	}
	if (s->n_unsummarised) {
		printf("\nleft out of the figures (stored values this view cannot use):\n");
		static const table_col_t u_cols[] = { { "code", "CODE", false },
						      { "department", "DEPARTMENT", false },
						      { "reason", "WHY", false } };
		table_init(&t, cli->arena, u_cols, 3);
		for (size_t i = 0; i < s->n_unsummarised; i++) {
			Yk__PledgeNote *n = s->unsummarised[i];
			const char *cells[] = { n->code, n->department, n->reason };
			table_add(&t, cells);
		}
		table_print(&t, stdout, "table");
	}
	return EXIT_OK;
}
