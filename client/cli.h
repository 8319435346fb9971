/* What every yaksok command shares: the global options, the connection to
 * the daemon, exit codes (docs/cli.md) and error printing. */
#ifndef YK_CLI_H
#define YK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "doc.h"
#include "creds.h"
#include "rpc.h"
#include "yaksok.pb-c.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_NOTFOUND = 3,
	EXIT_CONFLICT = 4,
	EXIT_AUTH = 5,
	EXIT_INVALID = 6,
	EXIT_UNAVAILABLE = 7,
};

typedef struct {
	const char *server;   /* HOST:PORT */
	const char *cacert;   /* TLS with these CAs; NULL: plaintext (loopback only) */
	const char *token;    /* NULL when not logged in */
	const char *output;   /* -o, NULL for the command's default */
	const char *idempotency_key; /* --idempotency-key, else one is made per write */
	arena_t *arena;       /* lives as long as the command */
	rpc_t rpc;
	bool connected;
	bool quiet;           /* cli_call: a refusal is returned as an exit code, not printed */
	const char *reason;   /* apply --reason: why a closed round's record is corrected */
	bool korean;          /* --lang ko: tables say 정상추진, 국비 (JSON keeps the codes) */
	unsigned long long min_lsn; /* the highest commit LSN given us: sent as Request.min_lsn */
	creds_t saved;        /* the saved login, when it is this server's: its lsn kept up to date */
	bool saved_here;
} cli_t;

typedef struct {
	const char *name;
	int (*run)(cli_t *cli, int argc, char **argv);
	const char *summary;
	const char *outputs;  /* what -o may be, space-separated ("" : nothing to choose) */
} cli_cmd_t;

/* Connect (and say Hello) on first use.  0 or an exit code (printed). */
int cli_connect(cli_t *cli);
/* Send `req` (its body set by the caller) and wait for the answer.  Returns
 * the response (in cli->arena) or NULL with *exit_code set and the problem
 * printed.  A response whose status is not OK is printed and turned into
 * its exit code as well. */
Yk__Response *cli_call(cli_t *cli, Yk__Request *req, int *exit_code);
/* The same, the answer unpacked into `arena` (one the caller frees). */
Yk__Response *cli_call_in(cli_t *cli, arena_t *arena, Yk__Request *req, int *exit_code);

int cli_exit_for(Yk__Code code);
/* A failed answer on stderr: its message and violations; with -o json, the
 * answer's status, reason, message and violations as one JSON object
 * ({"error": …}) for a program to act on. */
void cli_print_error(cli_t *cli, const Yk__Response *resp);
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* --year's value, 1000 to 9999, into *year; false after the usage error. */
bool cli_year_arg(const char *cmd, const char *arg, uint32_t *year);

/* -o json was asked for. */
bool cli_json(const cli_t *cli);
/* A reply as JSON on stdout (the protocol's field names); an exit code. */
int cli_print_json(cli_t *cli, const ProtobufCMessage *m);
/* A document tree as JSON on stdout; NULL (a failed build) is EXIT_FAIL. */
int cli_print_tree(const doc_node_t *tree);

/* qsort's comparison of two strings (char *), in byte order. */
int cli_by_name(const void *a, const void *b);
/* The files named, a directory standing for its files ending in one of
 * `exts` (NULL-terminated: ".yaml", ".json") in name order, `what` naming
 * them when it holds none ("*.txt report"); 0, or an exit code after
 * printing why. */
int cli_expand_files(cli_t *cli, const char *const *names, size_t n, const char *const *exts, const char *what,
		     const char ***out, size_t *nout);

/* Read a whole file ("-" = stdin) into the arena; NULL on error (printed). */
char *cli_read_file(cli_t *cli, const char *path, size_t *len);

/* An -o value among the allowed ones (NULL-terminated), default first.
 * Returns it, or NULL after printing a usage error. */
const char *cli_output(cli_t *cli, const char *cmd, const char *const *allowed);

/* A --at TIME argument as RFC 3339: a date means the end of that day, and a
 * time without a zone is local time.  NULL (after a usage error) when TIME
 * is none of YYYY-MM-DD, YYYY-MM-DD[T ]HH:MM[:SS][Z|+hh:mm]. */
const char *cli_time_arg(cli_t *cli, const char *cmd, const char *in);

/* Send a pledge document tree as PledgeApply and print the outcome; `what`
 * names it in messages.  Returns the exit code. */
int cli_apply_tree(cli_t *cli, doc_node_t *doc, bool force, const char *what);
/* A YAML or JSON document file ("-" = stdin) as a tree; NULL with *rc set
 * after printing why. */
doc_node_t *cli_read_doc(cli_t *cli, const char *file, int *rc);
/* A document tree as a Pledge message, without the fields the server sets;
 * NULL after printing every problem (exit EXIT_INVALID). */
Yk__Pledge *cli_pledge_of_tree(cli_t *cli, doc_node_t *doc, const char *what);

/* An evidence file (at most 512 KiB) for a change or completion request;
 * 0, or an exit code after printing why. */
int cli_evidence(cli_t *cli, const char *cmd, const char *path, Yk__Evidence **out);

/* Commands, by group. */
int cmd_status(cli_t *cli, int argc, char **argv);
int cmd_login(cli_t *cli, int argc, char **argv);
int cmd_logout(cli_t *cli, int argc, char **argv);
int cmd_whoami(cli_t *cli, int argc, char **argv);
int cmd_department(cli_t *cli, int argc, char **argv);
int cmd_user(cli_t *cli, int argc, char **argv);
int cmd_apply(cli_t *cli, int argc, char **argv);
int cmd_get(cli_t *cli, int argc, char **argv);
int cmd_list(cli_t *cli, int argc, char **argv);
int cmd_show(cli_t *cli, int argc, char **argv);
int cmd_stats(cli_t *cli, int argc, char **argv);
int cmd_export(cli_t *cli, int argc, char **argv);
int cmd_import(cli_t *cli, int argc, char **argv);
int cmd_publish(cli_t *cli, int argc, char **argv);

/* The list filters (cmd_city.c), shared with export. */
#include <getopt.h>
extern const struct option cli_filter_options[];
int cli_filter_option(cli_t *cli, const char *cmd, int c, const char *arg, Yk__PledgeList *f);
int cmd_progress(cli_t *cli, int argc, char **argv);
int cmd_indicator(cli_t *cli, int argc, char **argv);
int cmd_budget(cli_t *cli, int argc, char **argv);
int cmd_status_set(cli_t *cli, int argc, char **argv);
int cmd_evaluation(cli_t *cli, int argc, char **argv);
int cmd_round(cli_t *cli, int argc, char **argv);
int cmd_submit(cli_t *cli, int argc, char **argv);
int cmd_review(cli_t *cli, int argc, char **argv);
int cmd_target(cli_t *cli, int argc, char **argv);
int cmd_history(cli_t *cli, int argc, char **argv);
int cmd_audit(cli_t *cli, int argc, char **argv);
int cmd_diff(cli_t *cli, int argc, char **argv);
int cmd_change(cli_t *cli, int argc, char **argv);

/* On a terminal: "[i/n] name" in place on stderr (n 0: erase it).  Only
 * when stderr is a terminal (the caller asks isatty). */
void cli_progress(cli_t *cli, size_t i, size_t n, const char *name);

/* True when argv holds -h/--help; prints `usage` to stdout. */
bool cli_wants_help(int argc, char **argv, const char *usage);
/* The start of a command that needs min_args words (its name included):
 * too few prints `usage` to stderr (EXIT_USAGE), -h/--help prints it to
 * stdout (EXIT_OK); -1 means go on. */
/* The candidate closest to a mistyped word (edit distance at most a third
 * of its length, at least 1, or a prefix of it), or NULL. */
const char *cli_nearest(const char *word, const char *const *candidates, size_t n);
/* getopt_long said '?' (opterr is off): one line naming the unknown option
 * and the nearest of `opts`, or the option that needs a value; EXIT_USAGE.
 * `argv` is the vector getopt_long was given. */
struct option;
int cli_bad_option(const char *cmd, char *const *argv, const struct option *opts);
int cli_help(int argc, char **argv, const char *usage, int min_args);

#endif
