/* yaksok: the command-line client.  Global options may stand anywhere before
 * `--`; the first other word names the command. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "creds.h"
#include "safeout.h"
#include "table.h"

static const cli_cmd_t commands[] = {
	{ "status", cmd_status, "server status; status set CODE: a pledge's status and progress", "text json" },
	{ "login", cmd_login, "log in and save the session token", "" },
	{ "logout", cmd_logout, "end the session", "" },
	{ "whoami", cmd_whoami, "the account you are logged in as", "text json" },
	{ "apply", cmd_apply, "create or update a pledge from a YAML/JSON document", "text json" },
	{ "get", cmd_get, "print a pledge document (yaml or json)", "yaml json" },
	{ "show", cmd_show, "render a pledge's report (text, markdown, html, pdf)", "text markdown md html pdf" },
	{ "list", cmd_list, "one line per pledge, with filters", "table json csv" },
	{ "stats", cmd_stats, "the city at a glance: status, completion, budget, lagging", "table json" },
	{ "export", cmd_export, "all pledges as CSV, XLSX, JSON, an HTML dashboard or a PDF of the cards", "csv xlsx json html pdf" },
	{ "publish", cmd_publish, "the public site of the approved record, signed; keygen; verify", "" },
	{ "import", cmd_import, "read a quarterly report laid out like the city's into a pledge document", "yaml json" },
	{ "progress", cmd_progress, "progress add: append an item to section 4", "text json" },
	{ "indicator", cmd_indicator, "indicator set: set a target or actual of section 3", "text json" },
	{ "budget", cmd_budget, "budget set: set budget cells of section 2", "text json" },
	{ "evaluation", cmd_evaluation, "evaluation add|answer: section 6 suggestions and answers", "text json" },
	{ "round", cmd_round, "open, close a reporting round; its status", "text table json csv" },
	{ "submit", cmd_submit, "submit a pledge for a round", "text json" },
	{ "review", cmd_review, "approve or return a submission", "text json" },
	{ "target", cmd_target, "target judge: record whether a pledge met a year's target, and why", "text json" },
	{ "change", cmd_change, "propose a change to a pledge; review, deliberate, approve; list, show", "text table json csv" },
	{ "diff", cmd_diff, "what changed between two rounds' snapshots", "" },
	{ "history", cmd_history, "every change of a pledge: when, who, what", "table json" },
	{ "audit", cmd_audit, "audit verify: check the audit trail's hash chain", "text json" },
	{ "department", cmd_department, "add or list departments", "text table json csv" },
	{ "user", cmd_user, "add, list, disable, enable accounts; new passwords; sessions", "text table json csv" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char global_options[] =
	"  --server HOST:PORT  the daemon (env YAKSOK_SERVER; else the saved login's; default 127.0.0.1:7450)\n"
	"  --cacert FILE       talk TLS, trusting the CA certificates in FILE and checking that the\n"
	"                      server's certificate names HOST (env YAKSOK_CACERT); without it only a\n"
	"                      loopback server is reached, unless YAKSOK_ALLOW_PLAINTEXT=1\n"
	"  --token T           session token (env YAKSOK_TOKEN; else the saved credentials)\n"
	"  -o, --output F      output format where a command prints data; with -o json a refusal\n"
	"                      is one JSON line on stderr: {\"error\": {status, reason, message,\n"
	"                      violations}}, the reason a stable name (docs/protocol.md \"Reasons\")\n"
	"  --idempotency-key K the key of a write (default: a new random one); sending the same\n"
	"                      key again returns the first answer instead of applying twice\n"
	"  --wide              tables whole on a terminal too (else cut with … to its width)\n"
	"  --lang ko|en        statuses and funding sources in tables as the card's Korean words, or\n"
	"                      as codes (env YAKSOK_LANG; else the locale's language); JSON keeps codes\n"
	"  --version           print the version (also: yaksok version)\n";

static const char exit_codes[] =
	"exit status: 0 done, 1 failure, 2 usage, 3 not found, 4 conflict, 5 not logged in or\n"
	"not allowed, 6 invalid input, 7 server or database unavailable\n";

/* Every variable the client reads, in one place for --help and docs/cli.md. */
static const char environment[] =
	"  YAKSOK_SERVER           the daemon's HOST:PORT, when --server is not given\n"
	"  YAKSOK_TOKEN            the session token, when --token is not given\n"
	"  YAKSOK_CACERT           the CA file for TLS, when --cacert is not given\n"
	"  YAKSOK_ALLOW_PLAINTEXT  1: allow a plaintext connection to a non-loopback server\n"
	"  YAKSOK_TIMEOUT_MS       how long to wait for an answer (default 60000)\n"
	"  YAKSOK_LANG             ko or en: the labels of tables (else LC_ALL, LC_MESSAGES, LANG)\n"
	"  XDG_CONFIG_HOME         where `login` saves credentials (yaksok/credentials, mode 0600;\n"
	"                          default ~/.config)\n";

static void usage(FILE *out)
{
	fprintf(out, "usage: yaksok [--server HOST:PORT] [--cacert FILE] [--token T] [-o FORMAT] COMMAND [ARGS]\n\n"
		     "Track the mayor's pledges: the client of yaksokd.\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "  %-12s %s\n", "version", "the client's version");
	fprintf(out, "  %-12s %s\n", "completion", "bash|zsh: a shell completion script for yaksok");
	fprintf(out, "  %-12s %s\n\n", "help", "this text, or `yaksok help COMMAND`; --markdown: the reference");
	fprintf(out, "options:\n%s\nenvironment:\n%s\n%s", global_options, environment, exit_codes);
}

static int version(void)
{
	printf("yaksok %s (%s), protocol 1\n", YAKSOK_VERSION, YAKSOK_GIT);
	return EXIT_OK;
}

/* A command's --help text, caught from its stdout. */
static char *command_help(const cli_cmd_t *c)
{
	fflush(stdout);
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO);
	if (!tmp || saved < 0 || dup2(fileno(tmp), STDOUT_FILENO) < 0) {
		if (tmp)
			fclose(tmp);
		if (saved >= 0)
			close(saved);
		return NULL;
	}
	char *help_argv[] = { (char *)c->name, "--help", NULL };
	cli_t tmpcli = { .arena = arena_new(0) };
	if (tmpcli.arena)
		c->run(&tmpcli, 2, help_argv);
	arena_free(tmpcli.arena);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	long len = ftell(tmp);
	char *text = len > 0 ? malloc((size_t)len + 1) : NULL;
	if (text) {
		rewind(tmp);
		size_t got = fread(text, 1, (size_t)len, tmp);
		text[got] = '\0';
	}
	fclose(tmp);
	return text;
}

/* docs/cli.md: made from the command table and each command's own help,
 * so that the reference cannot fall behind the program (unit.cli_doc
 * compares the two). */
static int help_markdown(void)
{
	printf("# yaksok command reference\n\n"
	       "<!-- Generated by `yaksok help --markdown`; do not edit by hand "
	       "(scripts/gen-cli-doc.sh rewrites it, a test checks it is current). -->\n\n"
	       "`yaksok` is the command-line client of yaksokd.  Global options may stand anywhere before `--`;\n"
	       "the first other word names the command.  Every command takes `--help`.\n\n"
	       "```\nusage: yaksok [--server HOST:PORT] [--cacert FILE] [--token T] [-o FORMAT] COMMAND [ARGS]\n\n"
	       "options:\n%s```\n\n## Environment\n\n```\n%s```\n\n## Exit status\n\n"
	       "| code | meaning |\n|---|---|\n| 0 | done |\n| 1 | any other failure |\n"
	       "| 2 | usage error (bad flags or arguments) |\n| 3 | not found |\n"
	       "| 4 | conflict (stale version, code already exists, a rule of the workflow) |\n"
	       "| 5 | not logged in, bad credentials, or not allowed |\n"
	       "| 6 | invalid input (every problem printed, with its field) |\n"
	       "| 7 | server or database unavailable |\n\n"
	       "Errors go to standard error, one problem per line; data goes to standard output.\n\n"
	       "## Commands\n\n| command | does |\n|---|---|\n",
	       global_options, environment);
	for (size_t i = 0; i < N_COMMANDS; i++) {
		printf("| [`%s`](#yaksok-%s) | ", commands[i].name, commands[i].name);
		for (const char *p = commands[i].summary; *p; p++)
			fputs(*p == '|' ? "\\|" : (char[]){ *p, 0 }, stdout);
		printf(" |\n");
	}
	printf("| `version` | the client's version |\n| `completion bash\\|zsh` | a shell completion script |\n"
	       "| `help` | the command list, or one command's help |\n");
	for (size_t i = 0; i < N_COMMANDS; i++) {
		char *text = command_help(&commands[i]);
		if (!text)
			return EXIT_FAIL;
		printf("\n### yaksok %s\n\n%s.\n\n```\n%s```\n", commands[i].name, commands[i].summary, text);
		free(text);
	}
	return EXIT_OK;
}

/* ---------------------------------------------------------- completion */

/* The words that may follow a command: its subcommands (the word after
 * "yaksok CMD" on its usage lines, and after a "| "), and every --flag its
 * help names.  Taken from the help itself, so that completion follows the
 * commands as they change. */
static void completion_words(const cli_cmd_t *c, buf_t *out)
{
	char *help = command_help(c);
	if (!help)
		return;
	size_t cl = strlen(c->name);
	char seen[4096] = " ";
	/* subcommands only from the usage lines, before the first blank line
	 * (not from examples such as `echo PW | yaksok login admin`) */
	const char *usage_end = strstr(help, "\n\n");
	for (char *p = help; *p; p++) {
		const char *w = NULL;
		size_t n = 0;
		bool in_usage = !usage_end || p < usage_end;
		if (in_usage && !strncmp(p, "yaksok ", 7) && !strncmp(p + 7, c->name, cl) && p[7 + cl] == ' ' &&
		    p[8 + cl] >= 'a' && p[8 + cl] <= 'z') {
			w = p + 8 + cl;
		} else if (in_usage && p[0] == '|' && p[1] == ' ' && p[2] >= 'a' && p[2] <= 'z') {
			w = p + 2;
		} else if (p[0] == '-' && p[1] == '-' && p[2] >= 'a' && p[2] <= 'z' && (p == help || p[-1] == ' ' || p[-1] == '[' || p[-1] == '(' || p[-1] == '\n')) {
			w = p;
		}
		if (!w)
			continue;
		while ((w[n] >= 'a' && w[n] <= 'z') || w[n] == '-' || (w[n] >= '0' && w[n] <= '9'))
			n++;
		if (n < 2 || n > 40)
			continue;
		char word[48];
		snprintf(word, sizeof(word), " %.*s ", (int)n, w);
		if (strstr(seen, word) || strlen(seen) + n + 2 >= sizeof(seen))
			continue;
		strcat(seen, word + 1);
		if (buf_printf(out, "%s%.*s", out->len ? " " : "", (int)n, w))
			break; /* out of memory: fewer words */
	}
	free(help);
}

static const char global_flags[] = "--server --cacert --token -o --output --idempotency-key --version --help";

static int completion(const char *shell)
{
	bool zsh = !strcmp(shell, "zsh");
	if (!zsh && strcmp(shell, "bash")) {
		fprintf(stderr, "yaksok: completion for bash or zsh, not \"%s\"\n", shell);
		return EXIT_USAGE;
	}
	if (zsh)
		printf("#compdef yaksok\n# zsh completion for yaksok, made by `yaksok completion zsh`.\n\n_yaksok() {\n"
		       "\tlocal -a commands\n\tcommands=(\n");
	else
		printf("# bash completion for yaksok, made by `yaksok completion bash`.\n\n_yaksok() {\n"
		       "\tlocal cur=${COMP_WORDS[COMP_CWORD]} cmd= i w\n"
		       "\t# the command: the first word that is no option nor an option's value\n"
		       "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n\t\tw=${COMP_WORDS[i]}\n"
		       "\t\tcase $w in\n\t\t--server | --cacert | --token | -o | --output | --idempotency-key) ((i++)) ;;\n"
		       "\t\t-*) ;;\n\t\t*) cmd=$w; break ;;\n\t\tesac\n\tdone\n\tlocal words\n\tcase $cmd in\n"
		       "\t\t'') words=\"%s version help", global_flags);
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (zsh) {
			printf("\t\t'%s:", commands[i].name);
			for (const char *p = commands[i].summary; *p; p++)
				printf(*p == '\'' ? "'\\''" : *p == ':' ? "\\:" : "%c", *p);
			printf("'\n");
		} else {
			printf(" %s", commands[i].name);
		}
	}
	if (zsh)
		printf("\t\t'version:the client''s version'\n\t\t'help:the command list, or one command''s help'\n\t)\n"
		       "\tif (( CURRENT == 2 )); then\n\t\t_describe command commands\n\t\treturn\n\tfi\n"
		       "\tcase ${words[2]} in\n");
	else
		printf("\" ;;\n");
	for (size_t i = 0; i < N_COMMANDS; i++) {
		buf_t w = BUF_INIT;
		completion_words(&commands[i], &w);
		if (zsh)
			printf("\t%s) compadd -- %s ;;\n", commands[i].name, w.len ? w.data : "");
		else
			printf("\t\t%s) words=\"%s\" ;;\n", commands[i].name, w.len ? w.data : "");
		buf_free(&w);
	}
	if (zsh) {
		printf("\thelp) compadd --");
		for (size_t i = 0; i < N_COMMANDS; i++)
			printf(" %s", commands[i].name);
		printf(" ;;\n\tesac\n}\n\n_yaksok \"$@\"\n");
	} else {
		printf("\t\thelp) words=\"");
		for (size_t i = 0; i < N_COMMANDS; i++)
			printf("%s%s", i ? " " : "", commands[i].name);
		printf("\" ;;\n\tesac\n\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
		       "\t# file names for the options that take one\n"
		       "\tcase ${COMP_WORDS[COMP_CWORD - 1]} in\n"
		       "\t-f | --file | --evidence | --out | --cacert) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n\tesac\n}\n"
		       "complete -F _yaksok yaksok\n");
	}
	return EXIT_OK;
}

static const cli_cmd_t *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void no_such_command(const char *name)
{
	const char *names[N_COMMANDS + 2];
	for (size_t i = 0; i < N_COMMANDS; i++)
		names[i] = commands[i].name;
	names[N_COMMANDS] = "help";
	names[N_COMMANDS + 1] = "version";
	const char *near = cli_nearest(name, names, N_COMMANDS + 2);
	if (near)
		fprintf(stderr, "yaksok: no command \"%s\"; did you mean \"%s\"?\n", name, near);
	else
		fprintf(stderr, "yaksok: no command \"%s\" (yaksok --help lists them)\n", name);
}

/* Take a global option out of argv.  Returns how many words it used (0 when
 * argv[i] is not one), -1 when its value is missing. */
#define N_GLOBALS 6
static int take_global(char **argv, int i, int argc, const char **dsts[N_GLOBALS])
{
	static const struct {
		const char *lng, *shrt;
	} g[N_GLOBALS] = { { "--server", NULL }, { "--token", NULL }, { "--output", "-o" }, { "--idempotency-key", NULL },
			   { "--cacert", NULL }, { "--lang", NULL } };
	for (size_t k = 0; k < N_GLOBALS; k++) {
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
	const char *server = NULL, *token = NULL, *output = NULL, *idem = NULL, *cacert = NULL, *lang = NULL;
	const char **globals[N_GLOBALS] = { &server, &token, &output, &idem, &cacert, &lang };
	opterr = 0; /* the commands say what is wrong with an option, in one line */
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
		if (!rest && !strcmp(argv[i], "--wide")) {
			table_set_wide(true);
			continue;
		}
		int used = rest ? 0 : take_global(argv, i, argc, globals);
		if (used < 0) {
			fprintf(stderr, "yaksok: %s needs a value (yaksok --help)\n", argv[i]);
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
	if (!strcmp(args[0], "completion")) {
		int rc = n == 2 ? completion(args[1])
				: (fprintf(stderr, "usage: yaksok completion bash|zsh\n"), EXIT_USAGE);
		free(args);
		return rc;
	}
	if (!strcmp(args[0], "--version") || !strcmp(args[0], "version")) {
		free(args);
		return version();
	}
	if (!strcmp(args[0], "help")) {
		int rc = EXIT_OK;
		if (n > 1 && !strcmp(args[1], "--markdown")) {
			rc = help_markdown();
		} else if (n > 1 && (!strcmp(args[1], "--help") || !strcmp(args[1], "-h"))) {
			printf("usage: yaksok help [COMMAND | --markdown]\n\nThe list of commands, one command's help, or "
			       "(--markdown) the whole reference as docs/cli.md.\n");
		} else if (n > 1) {
			const cli_cmd_t *c = find(args[1]);
			char *text = c ? command_help(c) : NULL;
			if (text) {
				fputs(text, stdout);
				free(text);
			} else {
				no_such_command(args[1]);
				rc = EXIT_USAGE;
			}
		} else {
			usage(stdout);
		}
		free(args);
		return rc;
	}
	const cli_cmd_t *cmd = find(args[0]);
	if (!cmd) {
		no_such_command(args[0]);
		free(args);
		return EXIT_USAGE;
	}
	cli_t cli = { .arena = arena_new(0), .output = output, .idempotency_key = idem };
	/* tables' labels: --lang, else the locale's language (Korean for ko_*) */
	if (lang && strcmp(lang, "ko") && strcmp(lang, "en")) {
		fprintf(stderr, "yaksok: --lang takes ko or en, not \"%s\" (yaksok --help)\n", lang);
		arena_free(cli.arena);
		free(args);
		return EXIT_USAGE;
	}
	if (!lang || !*lang)
		lang = getenv("YAKSOK_LANG");
	if (!lang || !*lang) {
		const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
		for (size_t k = 0; k < 3 && (!lang || !*lang); k++)
			lang = getenv(vars[k]);
	}
	cli.korean = lang && !strncmp(lang, "ko", 2);
	cli.cacert = cacert ? cacert : getenv("YAKSOK_CACERT");
	if (!cli.arena) {
		free(args);
		return EXIT_FAIL;
	}
	creds_t saved;
	int loaded = creds_load(cli.arena, &saved);
	cli.saved = saved;
	cli.server = server ? server : getenv("YAKSOK_SERVER");
	if (!cli.server || !*cli.server)
		cli.server = loaded == 0 && saved.server ? saved.server : "127.0.0.1:7450";
	cli.token = token ? token : getenv("YAKSOK_TOKEN");
	if (!cli.token || !*cli.token) {
		/* A token saved for another server is no use here. */
		bool same = loaded == 0 && saved.server && !strcmp(saved.server, cli.server);
		cli.token = same ? saved.token : NULL;
	}
	/* the saved session's reads must see its writes, wherever they are read */
	cli.saved_here = loaded == 0 && saved.server && saved.token && !strcmp(saved.server, cli.server) &&
			 cli.token && !strcmp(cli.token, saved.token);
	cli.min_lsn = cli.saved_here ? saved.lsn : 0;
	/* -o names something this command prints, or nothing */
	if (output && cmd->outputs) {
		size_t ol = strlen(output);
		const char *p = cmd->outputs;
		bool ok = false;
		while (*p && !ok) {
			size_t wl = strcspn(p, " ");
			ok = wl == ol && !strncmp(p, output, ol);
			p += wl + (p[wl] == ' ');
		}
		if (!ok) {
			int urc = *cmd->outputs ? cli_usage_error(cmd->name, "-o %s: it prints %s", output, cmd->outputs)
						: cli_usage_error(cmd->name, "-o %s: it has no output to choose", output);
			arena_free(cli.arena);
			free(args);
			return urc;
		}
	}
	int rc = cmd->run(&cli, n, args);
	if (cli.connected)
		rpc_close(&cli.rpc);
	arena_free(cli.arena);
	free(args);
	return rc;
}
