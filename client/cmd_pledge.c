/* apply, get, list */
#include <getopt.h>
#include <unistd.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "text.h"
#include "doc_io.h"
#include "docmap.h"
#include "pdf.h"
#include "report.h"
#include "safeout.h"
#include "table.h"

static const char apply_usage[] =
	"usage: yaksok apply -f FILE|DIR [-f ...] [--force] [--reason TEXT]\n\n"
	"Create or update a pledge from a YAML or JSON document (yaksok/pledge/v1); FILE - reads stdin.\n"
	"Several -f, or a directory (its *.yaml, *.yml and *.json, in name order), apply many over one\n"
	"connection, each on its own, with a progress line on a terminal; the exit status is the\n"
	"worst of them.\n"
	"A document without `version` creates the pledge (exit 4 if the code exists); with `version`\n"
	"it updates the pledge only if that is still the stored version (exit 4 otherwise).\n"
	"--force overwrites an existing pledge without a version (admin, coordinator).\n"
	"--reason: a coordinator's correction of what a closed round reported needs one; it is\n"
	"recorded in section 5 (사업변경내역).  The quick updates take --reason alike.\n"
	"A refused document exits 6 with every problem listed by its path.\n\n"
	"example: yaksok get SW7-GOV-01 > p.yaml; $EDITOR p.yaml; yaksok apply -f p.yaml\n";

/* "[i/n] FILE" over the previous one on a terminal (n 0: clear it).  Written
 * to the descriptor itself: the filtered stderr (safeout.c) would show the
 * carriage return and the erase sequence as U+FFFD.  The name is made
 * printable first. */
int cmd_apply(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, apply_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "file", required_argument, NULL, 'f' },
					      { "force", no_argument, NULL, 'F' },
					      { "reason", required_argument, NULL, 'R' },
					      { 0 } };
	const char **files = arena_alloc(cli->arena, sizeof(*files) * (size_t)argc);
	size_t nfiles = 0;
	bool force = false;
	int c;
	if (!files)
		return EXIT_FAIL;
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (c == 'f')
			files[nfiles++] = optarg;
		else if (c == 'F')
			force = true;
		else if (c == 'R')
			cli->reason = optarg;
		else
			return cli_bad_option("apply", argv, opts);
	}
	if (optind != argc)
		return cli_usage_error("apply", "unexpected argument \"%s\"", argv[optind]);
	if (!nfiles)
		return cli_usage_error("apply", "give the document with -f FILE (- for stdin) or -f DIR");
	const char **list = NULL;
	size_t n = 0;
	static const char *const exts[] = { ".yaml", ".yml", ".json", NULL };
	int rc = cli_expand_files(cli, files, nfiles, exts, "*.yaml, *.yml or *.json document", &list, &n);
	if (rc)
		return rc;
	if (n == 1) {
		doc_node_t *doc = cli_read_doc(cli, list[0], &rc);
		return doc ? cli_apply_tree(cli, doc, force, list[0]) : rc;
	}
	/* many over one connection: each on its own, the worst exit status */
	bool tty = isatty(STDERR_FILENO);
	int worst = EXIT_OK;
	size_t failed = 0;
	for (size_t i = 0; i < n; i++) {
		if (tty)
			cli_progress(cli, i + 1, n, list[i]);
		doc_node_t *doc = cli_read_doc(cli, list[i], &rc);
		if (doc)
			rc = cli_apply_tree(cli, doc, force, list[i]);
		if (rc) {
			failed++;
			if (tty)
				cli_progress(cli, 0, 0, NULL);
			fprintf(stderr, "yaksok: %s was not applied\n", list[i]);
			if (rc > worst)
				worst = rc;
			if (rc == EXIT_UNAVAILABLE)
				break; /* the server is gone: the rest would fail the same way */
		}
	}
	if (tty)
		cli_progress(cli, 0, 0, NULL);
	fprintf(stderr, "yaksok: %zu of %zu documents applied%s\n", n - failed, n, failed ? "" : ", none refused");
	return worst;
}

doc_node_t *cli_read_doc(cli_t *cli, const char *file, int *rc)
{
	size_t len;
	char *text = cli_read_file(cli, file, &len);
	*rc = EXIT_FAIL;
	if (!text)
		return NULL;
	const char *err = NULL;
	doc_node_t *doc = doc_parse(cli->arena, text, len, &err);
	*rc = EXIT_INVALID;
	if (!doc) {
		fprintf(stderr, "yaksok: %s: %s\n", file, err);
		return NULL;
	}
	if (doc->type != DOC_MAP) {
		fprintf(stderr, "yaksok: %s: a pledge document is a mapping of keys\n", file);
		return NULL;
	}
	return doc;
}

Yk__Pledge *cli_pledge_of_tree(cli_t *cli, doc_node_t *doc, const char *what)
{
	/* What get adds may come back; the server decides those. */
	doc_del(doc, "updated_at");
	doc_del(doc, "updated_by");
	doc_del(doc, "derived");
	viol_list_t v;
	viol_init(&v, cli->arena);
	Yk__Pledge *p = (Yk__Pledge *)docmap_from_tree(cli->arena, doc, &yk__pledge__descriptor, "", 0, &v);
	if (!p || v.n) {
		fprintf(stderr, "yaksok: %s was refused (%zu problem%s)\n", what, v.n, v.n == 1 ? "" : "s");
		for (size_t i = 0; i < v.n; i++)
			fprintf(stderr, "  %s: %s\n", v.items[i].path, v.items[i].problem);
		return NULL;
	}
	return p;
}

int cli_apply_tree(cli_t *cli, doc_node_t *doc, bool force, const char *what)
{
	Yk__Pledge *p = cli_pledge_of_tree(cli, doc, what);
	if (!p)
		return EXIT_INVALID;
	Yk__Request req = YK__REQUEST__INIT;
	Yk__PledgeApply in = YK__PLEDGE_APPLY__INIT;
	in.pledge = p;
	in.has_force = force;
	in.force = force;
	in.reason = (char *)cli->reason;
	req.body_case = YK__REQUEST__BODY_PLEDGE_APPLY;
	req.pledge_apply = &in;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp) {
		/* what resolves a conflict, as change propose says it */
		if (rc == EXIT_CONFLICT && p->code && !cli_json(cli))
			fprintf(stderr, "yaksok: to resolve it: yaksok get %s > %s.yaml, make your edit there again, and "
					"yaksok apply -f %s.yaml (or --force, if you may, to overwrite)\n",
				p->code, p->code, p->code);
		return rc;
	}
	Yk__PledgeApplyReply *r = resp->pledge_apply;
	if (cli_json(cli))
		return cli_print_json(cli, &r->base);
	printf("%s %s (version %lld)%s\n", r->code, r->created ? "created" : "updated", (long long)r->version,
	       r->replayed ? " (already applied)" : "");
	return EXIT_OK;
}

static const char get_usage[] =
	"usage: yaksok get CODE [-o yaml|json] [--at TIME | --round NAME | --approved]\n\n"
	"Print the pledge document, read-only fields (version, updated_at, updated_by, derived)\n"
	"included.  --at gives the document as the server held it at that moment, with the version\n"
	"it had then: TIME is a date (the end of that day) or a time, e.g. 2021-04-01 or\n"
	"2021-04-01T09:00 (local time unless it carries Z or +09:00).  --round gives the snapshot\n"
	"approved in that reporting round; --approved the latest approved version.  A viewer reads\n"
	"approved versions only: the latest, or a round's.\n";

/* Fetch a pledge (as it is, as it was at `at`, as approved in `round`, or
 * its latest approved version); NULL after printing why. */
static Yk__Pledge *fetch(cli_t *cli, const char *code, const char *at, const char *round, bool approved, int *rc)
{
	Yk__Request req = YK__REQUEST__INIT;
	Yk__PledgeGet in = YK__PLEDGE_GET__INIT;
	in.code = (char *)code;
	in.at = (char *)at;
	in.round = (char *)round;
	in.has_approved = approved;
	in.approved = approved;
	req.body_case = YK__REQUEST__BODY_PLEDGE_GET;
	req.pledge_get = &in;
	Yk__Response *resp = cli_call(cli, &req, rc);
	return resp ? resp->pledge_get : NULL;
}

int cmd_get(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, get_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "output", required_argument, NULL, 'o' },
					      { "at", required_argument, NULL, 'a' },
					      { "round", required_argument, NULL, 'r' },
					      { "approved", no_argument, NULL, 'A' },
					      { 0 } };
	const char *at = NULL, *round = NULL;
	bool approved = false;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'o')
			cli->output = optarg;
		else if (c == 'r')
			round = optarg;
		else if (c == 'A')
			approved = true;
		else if (c == 'a' && !(at = cli_time_arg(cli, "get", optarg)))
			return EXIT_USAGE;
		else if (c != 'a')
			return cli_bad_option("get", argv, opts);
	}
	if (optind + 1 != argc)
		return cli_usage_error("get", "expected exactly one CODE");
	static const char *const formats[] = { "yaml", "json", NULL };
	const char *fmt = cli_output(cli, "get", formats);
	if (!fmt)
		return EXIT_USAGE;
	int rc;
	Yk__Pledge *p = fetch(cli, argv[optind], at, round, approved, &rc);
	if (!p)
		return rc;
	doc_node_t *doc = docmap_to_tree(cli->arena, &p->base);
	buf_t out = BUF_INIT;
	rc = strcmp(fmt, "json") ? doc_write_yaml(&out, doc) : doc_write_json(&out, doc, 2);
	if (!rc)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return rc ? EXIT_FAIL : EXIT_OK;
}

static const char show_usage[] =
	"usage: yaksok show CODE [--format text|markdown|html|pdf] [--at TIME | --round NAME | --approved]\n\n"
	"Render the pledge's report the way the city prints it: the header row, 1. 사업개요 to\n"
	"8. 향후추진계획, and the 정책실명제 table.  text is for a terminal (columns aligned by\n"
	"display width), markdown for documents, html is one self-contained printable page (A4\n"
	"when printed), pdf the card on A4 pages (to a file: redirect standard output).\n"
	"--at renders the pledge as the server held it at that moment (see yaksok get --help);\n"
	"--round renders the snapshot approved in that reporting round, --approved the latest\n"
	"approved version.  The working copy is marked when it is not the approved version\n"
	"(작성 중 — 승인본과 다름).\n\n"
	"example: yaksok show SW7-GOV-01 --format html > report.html\n"
	"         yaksok show SW7-GOV-01 --format pdf > SW7-GOV-01.pdf\n";

int cmd_show(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, show_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "format", required_argument, NULL, 'f' },
					      { "output", required_argument, NULL, 'o' },
					      { "at", required_argument, NULL, 'a' },
					      { "round", required_argument, NULL, 'r' },
					      { "approved", no_argument, NULL, 'A' },
					      { 0 } };
	const char *at = NULL, *round = NULL;
	bool approved = false;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'f' || c == 'o')
			cli->output = optarg;
		else if (c == 'A')
			approved = true;
		else if (c == 'r')
			round = optarg;
		else if (c == 'a' && !(at = cli_time_arg(cli, "show", optarg)))
			return EXIT_USAGE;
		else if (c != 'a')
			return cli_bad_option("show", argv, opts);
	}
	if (optind + 1 != argc)
		return cli_usage_error("show", "expected exactly one CODE");
	static const char *const formats[] = { "text", "markdown", "html", "md", "pdf", NULL };
	const char *fmt = cli_output(cli, "show", formats);
	if (!fmt)
		return EXIT_USAGE;
	if (!strcmp(fmt, "pdf") && isatty(STDOUT_FILENO))
		return cli_usage_error("show", "a PDF is not for the terminal: redirect it (> card.pdf)");
	int rc;
	Yk__Pledge *p = fetch(cli, argv[optind], at, round, approved, &rc);
	if (!p)
		return rc;
	doc_node_t *doc = docmap_to_tree(cli->arena, &p->base);
	report_t rep;
	if (!doc || report_pledge(&rep, cli->arena, doc))
		return EXIT_FAIL;
	/* the working copy says so when it is not what was approved (for a
	 * viewer both reads give the approved version) */
	if (!at && !round && !approved) {
		int qrc;
		cli->quiet = true;
		Yk__Pledge *ap = fetch(cli, argv[optind], NULL, NULL, true, &qrc);
		cli->quiet = false;
		if (!ap && qrc == EXIT_NOTFOUND)
			report_para_first(&rep, "※ 작성 중 — 아직 승인된 적 없음");
		else if (ap && ap->version != p->version)
			report_para_first(&rep, arena_printf(cli->arena, "※ 작성 중 — 승인본과 다름 (승인본: 버전 %lld)",
							     (long long)ap->version));
	}
	buf_t out = BUF_INIT;
	if (!strcmp(fmt, "pdf")) {
		rc = render_pdf(&rep, &out);
		if (!rc && safeout_write_raw(out.data, out.len)) {
			fprintf(stderr, "yaksok: cannot write to standard output: %s\n", strerror(errno));
			rc = -1;
		}
		buf_free(&out);
		return rc ? EXIT_FAIL : EXIT_OK;
	}
	if (!strcmp(fmt, "html"))
		rc = render_html(&rep, &out);
	else if (!strcmp(fmt, "markdown") || !strcmp(fmt, "md"))
		rc = render_markdown(&rep, &out);
	else
		rc = render_text(&rep, &out);
	if (!rc)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return rc ? EXIT_FAIL : EXIT_OK;
}
