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
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(department_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (cli_wants_help(argc, argv, department_usage))
		return EXIT_OK;
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
	"       yaksok user list [-o table|json|csv]\n\n"
	"Add an account (admin) or list them.  Roles: admin, coordinator, department,\n"
	"evaluator, approver, viewer; a department account needs --department.\n"
	"The password (at least 8 characters) is read as one line from stdin.\n\n"
	"example: echo \"$PW\" | yaksok user add kim --role department --department 정책기획과 --password-stdin\n";

int cmd_user(cli_t *cli, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(user_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (cli_wants_help(argc, argv, user_usage))
		return EXIT_OK;
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
				return cli_usage_error("user", "unknown option");
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
						    { "created_at", "CREATED", false } };
		table_t t;
		table_init(&t, cli->arena, cols, 4);
		for (size_t i = 0; i < resp->user_list->n_accounts; i++) {
			Yk__Account *a = resp->user_list->accounts[i];
			const char *cells[] = { a->login, a->role, a->department, a->created_at };
			if (table_add(&t, cells))
				return EXIT_FAIL;
		}
		return table_print(&t, stdout, fmt) ? EXIT_FAIL : EXIT_OK;
	}
	return cli_usage_error("user", "unknown subcommand \"%s\" (add, list)", argv[1]);
}
