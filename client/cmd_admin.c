/* department add|list, user add|list */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "table.h"

static const char department_usage[] =
	"usage: yaksok department add NAME\n"
	"       yaksok department list [-o table|json|csv]\n\n"
	"Add a department (admin) or list them.\n\n"
	"example: yaksok department add 정책기획과\n";

int cmd_department(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, department_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	Yk__Request req = YK__REQUEST__INIT;
	int rc;
	if (!strcmp(argv[1], "add")) {
		if (argc != 3)
			return cli_usage_error("department", "add takes exactly one NAME");
		Yk__DepartmentAdd in = YK__DEPARTMENT_ADD__INIT;
		in.name = argv[2];
		req.body_case = YK__REQUEST__BODY_DEPARTMENT_ADD;
		req.department_add = &in;
		Yk__Response *resp = cli_call(cli, &req, &rc);
		if (!resp)
			return rc;
		if (cli_json(cli))
			return cli_print_json(cli, &resp->department_add->base);
		printf("department %s added\n", resp->department_add->name);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "list")) {
		if (argc != 2)
			return cli_usage_error("department", "list takes no arguments");
		static const char *const formats[] = { "table", "json", "csv", NULL };
		const char *fmt = cli_output(cli, "department", formats);
		if (!fmt)
			return EXIT_USAGE;
		Yk__DepartmentList in = YK__DEPARTMENT_LIST__INIT;
		req.body_case = YK__REQUEST__BODY_DEPARTMENT_LIST;
		req.department_list = &in;
		Yk__Response *resp = cli_call(cli, &req, &rc);
		if (!resp)
			return rc;
		static const table_col_t cols[] = { { "name", "DEPARTMENT", false }, { "created_at", "CREATED", false } };
		table_t t;
		table_init(&t, cli->arena, cols, 2);
		for (size_t i = 0; i < resp->department_list->n_departments; i++) {
			Yk__Department *d = resp->department_list->departments[i];
			const char *cells[] = { d->name, d->created_at };
			if (table_add(&t, cells))
				return EXIT_FAIL;
		}
		return table_print(&t, stdout, fmt) ? EXIT_FAIL : EXIT_OK;
	}
	return cli_usage_error("department", "unknown subcommand \"%s\" (add, list)", argv[1]);
}

static const char user_usage[] =
	"usage: yaksok user add LOGIN --role ROLE [--department NAME] --password-stdin\n"
	"       yaksok user list [-o table|json|csv]\n"
	"       yaksok user passwd LOGIN --password-stdin\n"
	"       yaksok user disable LOGIN | enable LOGIN | revoke LOGIN | unlock LOGIN\n"
	"       yaksok user sessions [LOGIN] [-o table|json|csv]\n\n"
	"Manage accounts (admin).  Roles: admin, coordinator, department, evaluator,\n"
	"approver, viewer; a department account needs --department.  A password (at\n"
	"least 8 characters) is read as one line from stdin.  passwd sets a new one,\n"
	"disable keeps the account from logging in, enable lets it again, revoke ends\n"
	"its sessions; passwd and disable end its sessions too.  unlock clears the failed\n"
	"logins counted against the account (from every address) on the server you talk to,\n"
	"so that its owner may log in at once.  sessions lists the\n"
	"sessions that still hold (who, since when, until when, from where).  Every\n"
	"change is in the audit trail.\n\n"
	"example: echo \"$PW\" | yaksok user add kim --role department --department 정책기획과 --password-stdin\n"
	"         yaksok user disable kim\n";

/* passwd, disable, enable, revoke: one UserChange each. */
static int user_change(cli_t *cli, int argc, char **argv)
{
	const char *sub = argv[1];
	bool passwd = !strcmp(sub, "passwd");
	if (argc != 3 + (passwd ? 1 : 0) || (passwd && strcmp(argv[3], "--password-stdin")))
		return cli_usage_error("user", passwd ? "passwd takes LOGIN --password-stdin" : "%s takes exactly one LOGIN", sub);
	Yk__UserChange in = YK__USER_CHANGE__INIT;
	in.login = argv[2];
	char password[256] = "";
	if (passwd) {
		if (!fgets(password, sizeof(password), stdin)) {
			fprintf(stderr, "yaksok: no password on stdin\n");
			return EXIT_USAGE;
		}
		password[strcspn(password, "\r\n")] = '\0';
		in.password = password;
	} else if (!strcmp(sub, "revoke")) {
		in.has_end_sessions = 1;
		in.end_sessions = 1;
	} else if (!strcmp(sub, "unlock")) {
		in.has_unlock = 1;
		in.unlock = 1;
	} else {
		in.has_disabled = 1;
		in.disabled = !strcmp(sub, "disable");
	}
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_USER_CHANGE;
	req.user_change = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	memset(password, 0, sizeof(password));
	if (!resp)
		return rc;
	Yk__Account *a = resp->user_change;
	if (cli_json(cli))
		return cli_print_json(cli, &a->base);
	bool unlock = !strcmp(sub, "unlock");
	printf("account %s%s%s; %u session%s ended\n", a->login, passwd ? ": new password" : "",
	       unlock ? ": failed logins cleared" : !strcmp(sub, "revoke") || passwd ? "" : a->disabled ? ": disabled" : ": enabled",
	       a->sessions_ended, a->sessions_ended == 1 ? "" : "s");
	return EXIT_OK;
}

static int user_sessions(cli_t *cli, int argc, char **argv)
{
	if (argc > 3)
		return cli_usage_error("user", "sessions takes at most one LOGIN");
	static const char *const formats[] = { "table", "json", "csv", NULL };
	const char *fmt = cli_output(cli, "user", formats);
	if (!fmt)
		return EXIT_USAGE;
	Yk__SessionList in = YK__SESSION_LIST__INIT;
	in.login = argc == 3 ? argv[2] : NULL;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_SESSION_LIST;
	req.session_list = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	static const table_col_t cols[] = { { "login", "LOGIN", false },
					    { "created_at", "SINCE", false },
					    { "expires_at", "UNTIL", false },
					    { "peer", "FROM", false } };
	table_t t;
	table_init(&t, cli->arena, cols, 4);
	for (size_t i = 0; i < resp->session_list->n_sessions; i++) {
		Yk__Session *s = resp->session_list->sessions[i];
		const char *cells[] = { s->login, s->created_at, s->expires_at, s->peer };
		if (table_add(&t, cells))
			return EXIT_FAIL;
	}
	return table_print(&t, stdout, fmt) ? EXIT_FAIL : EXIT_OK;
}

int cmd_user(cli_t *cli, int argc, char **argv)
{
	int help_rc = cli_help(argc, argv, user_usage, 2);
	if (help_rc >= 0)
		return help_rc;
	Yk__Request req = YK__REQUEST__INIT;
	int rc;
	if (!strcmp(argv[1], "add")) {
		static const struct option opts[] = { { "role", required_argument, NULL, 'r' },
						      { "department", required_argument, NULL, 'd' },
						      { "password-stdin", no_argument, NULL, 'p' },
						      { 0 } };
		const char *role = NULL, *dept = NULL;
		bool from_stdin = false;
		int c;
		optind = 0;
		while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
			if (c == 'r')
				role = optarg;
			else if (c == 'd')
				dept = optarg;
			else if (c == 'p')
				from_stdin = true;
			else
				return cli_bad_option("user", argv + 1, opts);
		}
		if (optind + 1 != argc - 1)
			return cli_usage_error("user", "add takes exactly one LOGIN");
		if (!role)
			return cli_usage_error("user", "add needs --role");
		if (!from_stdin)
			return cli_usage_error("user", "add needs --password-stdin (the password is read from stdin)");
		char password[256];
		if (!fgets(password, sizeof(password), stdin)) {
			fprintf(stderr, "yaksok: no password on stdin\n");
			return EXIT_USAGE;
		}
		password[strcspn(password, "\r\n")] = '\0';
		Yk__UserAdd in = YK__USER_ADD__INIT;
		in.login = argv[optind + 1];
		in.role = (char *)role;
		in.department = (char *)dept;
		in.password = password;
		req.body_case = YK__REQUEST__BODY_USER_ADD;
		req.user_add = &in;
		Yk__Response *resp = cli_call(cli, &req, &rc);
		memset(password, 0, sizeof(password));
		if (!resp)
			return rc;
		Yk__Account *a = resp->user_add;
		if (cli_json(cli))
			return cli_print_json(cli, &a->base);
		printf("account %s added (%s%s%s)\n", a->login, a->role, a->department ? ", " : "",
		       a->department ? a->department : "");
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "list")) {
		if (argc != 2)
			return cli_usage_error("user", "list takes no arguments");
		static const char *const formats[] = { "table", "json", "csv", NULL };
		const char *fmt = cli_output(cli, "user", formats);
		if (!fmt)
			return EXIT_USAGE;
		Yk__UserList in = YK__USER_LIST__INIT;
		req.body_case = YK__REQUEST__BODY_USER_LIST;
		req.user_list = &in;
		Yk__Response *resp = cli_call(cli, &req, &rc);
		if (!resp)
			return rc;
		static const table_col_t cols[] = { { "login", "LOGIN", false },
						    { "role", "ROLE", false },
						    { "department", "DEPARTMENT", false },
						    { "created_at", "CREATED", false },
						    { "state", "STATE", false } };
		table_t t;
		table_init(&t, cli->arena, cols, 5);
		for (size_t i = 0; i < resp->user_list->n_accounts; i++) {
			Yk__Account *a = resp->user_list->accounts[i];
			const char *cells[] = { a->login, a->role, a->department, a->created_at,
						a->disabled ? "disabled" : "active" };
			if (table_add(&t, cells))
				return EXIT_FAIL;
		}
		return table_print(&t, stdout, fmt) ? EXIT_FAIL : EXIT_OK;
	}
	if (!strcmp(argv[1], "passwd") || !strcmp(argv[1], "disable") || !strcmp(argv[1], "enable") ||
	    !strcmp(argv[1], "revoke") || !strcmp(argv[1], "unlock"))
		return user_change(cli, argc, argv);
	if (!strcmp(argv[1], "sessions"))
		return user_sessions(cli, argc, argv);
	return cli_usage_error("user", "unknown subcommand \"%s\" (add, list, passwd, disable, enable, revoke, unlock, sessions)",
			       argv[1]);
}
