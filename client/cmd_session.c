/* status, login, logout, whoami */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "creds.h"

int cmd_status(cli_t *cli, int argc, char **argv)
{
	static const char usage[] = "usage: yaksok status [-o text|json]\n"
				    "       yaksok status set CODE [--status S] [--progress N] [--if-version N]\n\n"
				    "Show the server's version, its protocol version, and whether its database is reachable.\n"
				    "(status set changes a pledge: see yaksok status set --help.)\n"
				    "Exit status 7 when the server or its database cannot be reached.\n";
	if (argc > 1 && !strcmp(argv[1], "set"))
		return cmd_status_set(cli, argc, argv);
	if (cli_wants_help(argc, argv, usage))
		return EXIT_OK;
	if (argc > 1)
		return cli_usage_error("status", "unexpected argument \"%s\"", argv[1]);
	static const char *const formats[] = { "text", "json", NULL };
	const char *fmt = cli_output(cli, "status", formats);
	if (!fmt)
		return EXIT_USAGE;
	Yk__Request req = YK__REQUEST__INIT;
	Yk__ServerStatus st = YK__SERVER_STATUS__INIT;
	req.body_case = YK__REQUEST__BODY_SERVER_STATUS;
	req.server_status = &st;
	int rc = cli_connect(cli);
	if (rc)
		return rc;
	Yk__Response *resp = NULL;
	const char *why;
	if (rpc_call(&cli->rpc, cli->arena, &req, &resp, &why)) {
		fprintf(stderr, "yaksok: %s\n", why);
		return EXIT_UNAVAILABLE;
	}
	if (resp->body_case != YK__RESPONSE__BODY_SERVER_STATUS) {
		cli_print_error(cli, resp);
		return cli_exit_for(resp->status);
	}
	Yk__ServerStatusReply *s = resp->server_status;
	if (!strcmp(fmt, "json")) {
		int jrc = cli_print_json(cli, &s->base);
		return jrc ? jrc : s->database_ok ? EXIT_OK : EXIT_UNAVAILABLE;
	}
	printf("server:    %s\n", cli->server);
	printf("version:   yaksokd %s\n", s->server_version ? s->server_version : "?");
	printf("protocol:  %u\n", s->protocol_version);
	if (s->database_ok)
		printf("database:  reachable (PostgreSQL %s, schema %u)\n", s->database_version, s->schema_version);
	else
		printf("database:  NOT reachable\n");
	const Yk__ServerFigures *f = s->figures;
	if (f) {
		printf("requests:  %llu answered, %llu not OK; %llu in flight\n", (unsigned long long)f->requests,
		       (unsigned long long)f->requests_failed, (unsigned long long)f->in_flight);
		printf("clients:   %llu connected (%llu not logged in)\n", (unsigned long long)f->connections,
		       (unsigned long long)f->connections_unauthenticated);
		printf("pool:      %llu connections ready, %llu statements waiting, %llu connections lost\n",
		       (unsigned long long)f->db_pool_ready, (unsigned long long)f->db_pool_queued,
		       (unsigned long long)f->db_connection_losses);
		printf("cache:     %llu hits, %llu misses; group commit: %llu writes in %llu groups\n",
		       (unsigned long long)f->cache_hits, (unsigned long long)f->cache_misses,
		       (unsigned long long)f->group_writes, (unsigned long long)f->group_commits);
	}
	for (size_t i = 0; i < s->n_pools; i++) {
		const Yk__PoolStatus *p = s->pools[i];
		printf("%-10s %s, %s, %llu reads", i ? "replica:" : "primary:", p->host ? p->host : "-",
		       p->connected ? "connected" : "NOT connected", (unsigned long long)p->reads);
		if (p->has_fallbacks)
			printf(" (%llu sent to the primary instead)", (unsigned long long)p->fallbacks);
		if (p->has_lag_bytes)
			printf("; replay lag %llu bytes, %.1f s since its last replayed commit", (unsigned long long)p->lag_bytes,
			       p->lag_seconds);
		putchar('\n');
	}
	return s->database_ok ? EXIT_OK : EXIT_UNAVAILABLE;
}

static int read_password(char *buf, size_t size, bool prompt)
{
	struct termios old, quiet;
	bool tty = prompt && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fputs("Password: ", stderr);
		fflush(stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *ok = fgets(buf, (int)size, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!ok)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

int cmd_login(cli_t *cli, int argc, char **argv)
{
	static const char usage[] =
		"usage: yaksok login LOGIN [--password-stdin]\n\n"
		"Log in and save the session token to $XDG_CONFIG_HOME/yaksok/credentials (mode 0600).\n"
		"The password is asked for without echo on a terminal; with --password-stdin (or when\n"
		"stdin is not a terminal) it is read as one line from stdin.\n\n"
		"example: echo \"$PW\" | yaksok login admin --password-stdin\n";
	if (cli_wants_help(argc, argv, usage))
		return EXIT_OK;
	static const struct option opts[] = { { "password-stdin", no_argument, NULL, 'p' }, { 0 } };
	bool from_stdin = false;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			from_stdin = true;
		else
			return cli_bad_option("login", argv, opts);
	}
	if (optind + 1 != argc)
		return cli_usage_error("login", "expected exactly one LOGIN");
	const char *login = argv[optind];
	char password[256];
	if (read_password(password, sizeof(password), !from_stdin)) {
		fprintf(stderr, "yaksok: no password given\n");
		return EXIT_USAGE;
	}
	Yk__Request req = YK__REQUEST__INIT;
	Yk__Login in = YK__LOGIN__INIT;
	in.login = (char *)login;
	in.password = password;
	req.body_case = YK__REQUEST__BODY_LOGIN;
	req.login = &in;
	req.token = "";
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	memset(password, 0, sizeof(password));
	if (!resp)
		return rc;
	creds_t cr = { .server = cli->server, .login = login, .token = resp->login->token,
		       .lsn = resp->has_commit_lsn ? resp->commit_lsn : 0 };
	if (creds_save(&cr))
		return EXIT_FAIL;
	Yk__Account *a = resp->login->account;
	printf("logged in to %s as %s (%s%s%s), until %s\n", cli->server, login, a && a->role ? a->role : "?",
	       a && a->department ? ", " : "", a && a->department ? a->department : "",
	       resp->login->expires_at ? resp->login->expires_at : "?");
	return EXIT_OK;
}

int cmd_logout(cli_t *cli, int argc, char **argv)
{
	static const char usage[] = "usage: yaksok logout\n\nEnd the session on the server and forget the saved token.\n";
	if (cli_wants_help(argc, argv, usage))
		return EXIT_OK;
	if (argc > 1)
		return cli_usage_error("logout", "unexpected argument \"%s\"", argv[1]);
	int rc = EXIT_OK;
	if (cli->token) {
		Yk__Request req = YK__REQUEST__INIT;
		Yk__Logout out = YK__LOGOUT__INIT;
		req.body_case = YK__REQUEST__BODY_LOGOUT;
		req.logout = &out;
		Yk__Response *resp = cli_call(cli, &req, &rc);
		/* An expired session is as good as ended. */
		if (!resp && rc == EXIT_AUTH)
			rc = EXIT_OK;
	}
	if (creds_remove()) {
		fprintf(stderr, "yaksok: cannot remove %s\n", creds_path(cli->arena));
		return EXIT_FAIL;
	}
	if (rc == EXIT_OK)
		printf("logged out\n");
	return rc;
}

int cmd_whoami(cli_t *cli, int argc, char **argv)
{
	static const char usage[] = "usage: yaksok whoami [-o text|json]\n\nShow the account the saved (or given) token belongs to.\n";
	if (cli_wants_help(argc, argv, usage))
		return EXIT_OK;
	if (argc > 1)
		return cli_usage_error("whoami", "unexpected argument \"%s\"", argv[1]);
	static const char *const formats[] = { "text", "json", NULL };
	const char *fmt = cli_output(cli, "whoami", formats);
	if (!fmt)
		return EXIT_USAGE;
	Yk__Request req = YK__REQUEST__INIT;
	Yk__WhoAmI w = YK__WHO_AM_I__INIT;
	req.body_case = YK__REQUEST__BODY_WHOAMI;
	req.whoami = &w;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	Yk__Account *a = resp->whoami;
	if (!strcmp(fmt, "json"))
		return cli_print_json(cli, &a->base);
	printf("%s (%s%s%s) on %s\n", a->login, a->role, a->department ? ", " : "", a->department ? a->department : "",
	       cli->server);
	return EXIT_OK;
}
