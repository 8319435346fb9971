/* yaksok: the command-line client.  Global options may stand anywhere before
 * `--`; the first other word names the command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "creds.h"
#include "safeout.h"

static const cli_cmd_t commands[] = {
	{ "status", cmd_status, "server status; status set CODE: a pledge's status and progress" },
	{ "login", cmd_login, "log in and save the session token" },
	{ "logout", cmd_logout, "end the session" },
	{ "whoami", cmd_whoami, "the account you are logged in as" },
	{ "apply", cmd_apply, "create or update a pledge from a YAML/JSON document" },
	{ "get", cmd_get, "print a pledge document (yaml or json)" },
	{ "show", cmd_show, "render a pledge's report (text, markdown, html)" },
	{ "list", cmd_list, "one line per pledge, with filters" },
	{ "stats", cmd_stats, "the city at a glance: status, completion, budget, lagging" },
	{ "export", cmd_export, "all pledges as CSV, XLSX, JSON or an HTML dashboard" },
	{ "import", cmd_import, "read a quarterly report laid out like the city's into a pledge document" },
	{ "progress", cmd_progress, "progress add: append an item to section 4" },
	{ "indicator", cmd_indicator, "indicator set: set a target or actual of section 3" },
	{ "budget", cmd_budget, "budget set: set budget cells of section 2" },
	{ "evaluation", cmd_evaluation, "evaluation add|answer: section 6 suggestions and answers" },
	{ "round", cmd_round, "open, close a reporting round; its status" },
	{ "submit", cmd_submit, "submit a pledge for a round" },
	{ "review", cmd_review, "approve or return a submission" },
	{ "change", cmd_change, "propose a change to a pledge; review, deliberate, approve; list, show" },
	{ "diff", cmd_diff, "what changed between two rounds' snapshots" },
	{ "history", cmd_history, "every change of a pledge: when, who, what" },
	{ "audit", cmd_audit, "audit verify: check the audit trail's hash chain" },
	{ "department", cmd_department, "add or list departments" },
	{ "user", cmd_user, "add, list, disable, enable accounts; new passwords; sessions" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: yaksok [--server HOST:PORT] [--cacert FILE] [--token T] [-o FORMAT] COMMAND [ARGS]\n\n"
		     "Track the mayor's pledges: the client of yaksokd.\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "  %-12s %s\n\n", "help", "this text, or `yaksok help COMMAND`");
	fprintf(out, "options:\n"
		     "  --server HOST:PORT  the daemon (env YAKSOK_SERVER; else the saved login's; default 127.0.0.1:7450)\n"
		     "  --cacert FILE       talk TLS, trusting the CA certificates in FILE and checking that the\n"
		     "                      server's certificate names HOST (env YAKSOK_CACERT); without it only a\n"
		     "                      loopback server is reached, unless YAKSOK_ALLOW_PLAINTEXT=1\n"
		     "  --token T           session token (env YAKSOK_TOKEN; else the saved credentials)\n"
		     "  -o, --output F      output format where a command prints data\n"
		     "  --idempotency-key K the key of a write (default: a new random one); sending the same\n"
		     "                      key again returns the first answer instead of applying twice\n"
		     "  --version           print the version\n\n"
		     "exit status: 0 done, 1 failure, 2 usage, 3 not found, 4 conflict, 5 not logged in or\n"
		     "not allowed, 6 invalid input, 7 server or database unavailable\n");
}

static const cli_cmd_t *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Take a global option out of argv.  Returns how many words it used (0 when
 * argv[i] is not one), -1 when its value is missing. */
static int take_global(char **argv, int i, int argc, const char **dsts[5])
{
	static const struct {
		const char *lng, *shrt;
	} g[] = { { "--server", NULL }, { "--token", NULL }, { "--output", "-o" }, { "--idempotency-key", NULL },
		  { "--cacert", NULL } };
	for (size_t k = 0; k < 5; k++) {
		const char **dst = dsts[k];
		size_t ll = strlen(g[k].lng);
		if (!strncmp(argv[i], g[k].lng, ll) && argv[i][ll] == '=') {
			*dst = argv[i] + ll + 1;
			return 1;
		}
		if (!strcmp(argv[i], g[k].lng) || (g[k].shrt && !strcmp(argv[i], g[k].shrt))) {
			if (i + 1 >= argc)
				return -1;
			*dst = argv[i + 1];
			return 2;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *server = NULL, *token = NULL, *output = NULL, *idem = NULL, *cacert = NULL;
	const char **globals[5] = { &server, &token, &output, &idem, &cacert };
	/* other people's text never reaches the terminal as commands */
	if (safeout_install())
		return EXIT_FAIL;
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		return EXIT_FAIL;
	int n = 0;
	bool rest = false;
	for (int i = 1; i < argc; i++) {
		if (!rest && !strcmp(argv[i], "--")) {
			rest = true;
			continue;
		}
		int used = rest ? 0 : take_global(argv, i, argc, globals);
		if (used < 0) {
			fprintf(stderr, "yaksok: %s needs a value\nTry 'yaksok --help'.\n", argv[i]);
			free(args);
			return EXIT_USAGE;
		}
		if (used) {
			i += used - 1;
			continue;
		}
		args[n++] = argv[i];
	}
	if (n == 0 || !strcmp(args[0], "--help") || !strcmp(args[0], "-h")) {
		usage(n ? stdout : stderr);
		free(args);
		return n ? EXIT_OK : EXIT_USAGE;
	}
	if (!strcmp(args[0], "--version")) {
		printf("yaksok %s (%s), protocol 1\n", YAKSOK_VERSION, YAKSOK_GIT);
		free(args);
		return EXIT_OK;
	}
	if (!strcmp(args[0], "help")) {
		const cli_cmd_t *c = n > 1 ? find(args[1]) : NULL;
		int rc = EXIT_OK;
		if (c) {
			char *help_argv[] = { (char *)c->name, "--help", NULL };
			cli_t tmp = { .arena = arena_new(0) };
			rc = c->run(&tmp, 2, help_argv);
			arena_free(tmp.arena);
		} else if (n > 1) {
			fprintf(stderr, "yaksok: no command \"%s\"\n", args[1]);
			rc = EXIT_USAGE;
		} else {
			usage(stdout);
		}
		free(args);
		return rc;
	}
	const cli_cmd_t *cmd = find(args[0]);
	if (!cmd) {
		fprintf(stderr, "yaksok: no command \"%s\"\nTry 'yaksok --help'.\n", args[0]);
		free(args);
		return EXIT_USAGE;
	}
	cli_t cli = { .arena = arena_new(0), .output = output, .idempotency_key = idem };
	cli.cacert = cacert ? cacert : getenv("YAKSOK_CACERT");
	if (!cli.arena) {
		free(args);
		return EXIT_FAIL;
	}
	creds_t saved;
	int loaded = creds_load(cli.arena, &saved);
	cli.server = server ? server : getenv("YAKSOK_SERVER");
	if (!cli.server || !*cli.server)
		cli.server = loaded == 0 && saved.server ? saved.server : "127.0.0.1:7450";
	cli.token = token ? token : getenv("YAKSOK_TOKEN");
	if (!cli.token || !*cli.token) {
		/* A token saved for another server is no use here. */
		bool same = loaded == 0 && saved.server && !strcmp(saved.server, cli.server);
		cli.token = same ? saved.token : NULL;
	}
	int rc = cmd->run(&cli, n, args);
	if (cli.connected)
		rpc_close(&cli.rpc);
	arena_free(cli.arena);
	free(args);
	return rc;
}
