/* yaksok export: every pledge (or those a filter picks) as a CSV for Excel, an
 * XLSX workbook laid out like the report, a JSON array of the documents, or a
 * self-contained HTML dashboard with SVG charts. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "cli.h"
#include "csv.h"
#include "decimal.h"
#include "export.h"
#include "xlsx.h"
#include "doc_io.h"
#include "docmap.h"
#include "pdf.h"
#include "period.h"
#include "render.h"
#include "report.h"
#include "safeout.h"

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Σ secured, executed, planned over every source and period, in hundredths. */
static void budget_sums(const doc_node_t *doc, int64_t sum[3])
{
	static const char *const keys[] = { "secured", "executed", "planned" };
	sum[0] = sum[1] = sum[2] = 0;
	const doc_node_t *srcs = doc_field(doc_field(doc, "budget"), "sources");
	for (size_t s = 0; s < doc_count(srcs); s++) {
		const doc_node_t *am = doc_field(srcs->items[s], "amounts");
		for (size_t p = 0; p < doc_count(am); p++)
			for (int k = 0; k < 3; k++) {
				int64_t v;
				const char *x = doc_text(am->items[p], keys[k]);
				if (x && !dec_parse(x, &v))
					sum[k] += v;
			}
	}
}

int city_save(const char *path, const buf_t *b)
{
	if (!strcmp(path, "-")) {
		/* an XLSX is not text: past the terminal filter, as it is */
		bool ok = safeout_write_raw(b->data, b->len) == 0;
		if (!ok)
			fprintf(stderr, "yaksok: cannot write to standard output: %s\n", strerror(errno));
		return ok ? 0 : -1;
	}
	char *tmp = malloc(strlen(path) + 16);
	if (!tmp)
		return -1;
	sprintf(tmp, "%s.tmp%d", path, (int)getpid());
	FILE *f = fopen(tmp, "wb");
	int rc = -1;
	if (f) {
		bool ok = fwrite(b->data, 1, b->len, f) == b->len;
		ok = fclose(f) == 0 && ok;
		rc = ok && rename(tmp, path) == 0 ? 0 : -1;
	}
	if (rc) {
		fprintf(stderr, "yaksok: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* ------------------------------------------------------------------ CSV */

static int csv_field(buf_t *b, const char *s, bool last)
{
	return csv_cell(b, s) | buf_puts(b, last ? "\r\n" : ",");
}

bool city_overdue(const doc_node_t *doc)
{
	const doc_node_t *ov = doc_field(doc_field(doc, "derived"), "overdue");
	return ov && ov->type == DOC_BOOL && ov->b;
}

bool city_completed(const doc_node_t *doc)
{
	const char *s = doc_text(doc, "status");
	return s && (!strcmp(s, "completed") || !strcmp(s, "completed_ongoing"));
}

#define CSV_COLS 18

static const char *const csv_head[CSV_COLS] = {
		"코드", "공약명", "정책분야", "담당부서", "상태", "진도율(%)", "목표연월", "기준일", "기한경과", "부진 사유",
		"예산단위", "소요예산(백만원)", "기준연도", "기준연도 예산(백만원)", "확보 합계(백만원)", "집행 합계(백만원)",
		"계획 합계(백만원)", "집행률(%)"
};

static int csv_start(buf_t *out)
{
	int rc = buf_append(out, "\xEF\xBB\xBF", 3); /* Excel reads UTF-8 only with a BOM */
	for (int i = 0; i < CSV_COLS; i++)
		rc |= csv_field(out, csv_head[i], i == CSV_COLS - 1);
	return rc;
}

static int csv_rows(const city_t *c, buf_t *out)
{
	int rc = 0;
	for (size_t i = 0; i < c->n && !rc; i++) {
		const doc_node_t *d = c->docs[i], *der = doc_field(d, "derived");
		int64_t sum[3];
		char s0[32], s1[32], s2[32];
		budget_sums(d, sum);
		const char *cells[CSV_COLS] = {
			nz(doc_text(d, "code")), nz(doc_text(d, "title")), nz(doc_text(d, "area")), nz(doc_text(d, "department")),
			status_word(doc_text(d, "status")), nz(doc_text(d, "progress_pct")), nz(doc_text(d, "target_month")),
			nz(doc_text(d, "as_of")), city_overdue(d) ? "Y" : "N", "",
			nz(doc_text(doc_field(d, "budget"), "unit")), nz(doc_text(doc_field(der, "budget_total"), "all")),
			nz(doc_text(doc_field(der, "budget_year"), "year")), nz(doc_text(doc_field(der, "budget_year"), "amount")),
			dec_format(sum[0], s0), dec_format(sum[1], s1), dec_format(sum[2], s2),
			nz(doc_text(der, "execution_rate_pct")),
		};
		for (size_t k = 0; c->stats && k < c->stats->n_lagging_list; k++)
			if (!strcmp(c->stats->lagging_list[k]->code, cells[0]))
				cells[9] = nz(c->stats->lagging_list[k]->reason);
		if (!*cells[10])
			cells[10] = "백만원";
		for (int k = 0; k < CSV_COLS; k++)
			rc |= csv_field(out, cells[k], k == CSV_COLS - 1);
	}
	return rc ? -1 : 0;
}

int city_csv(const city_t *c, buf_t *out)
{
	return csv_start(out) || csv_rows(c, out) ? -1 : 0;
}

/* ------------------------------------------------------------------ JSON */

/* The array a document at a time, so that an export can write it page by
 * page: "[", each document indented inside it, "]".  A JSON string holds
 * no raw line break, so indenting every line is safe. */
static int json_item(buf_t *out, const doc_node_t *doc, bool first)
{
	buf_t one = BUF_INIT;
	int rc = doc_write_json(&one, doc, 2);
	rc |= buf_puts(out, first ? "\n  " : ",\n  ");
	for (size_t i = 0; !rc && i < one.len; i++) {
		if (one.data[i] == '\n' && i + 1 == one.len)
			break;
		rc = buf_putc(out, one.data[i]) | (one.data[i] == '\n' ? buf_puts(out, "  ") : 0);
	}
	buf_free(&one);
	return rc;
}

static int json_end(buf_t *out, bool empty)
{
	return buf_puts(out, empty ? "]\n" : "\n]\n");
}

int city_json(const city_t *c, buf_t *out)
{
	int rc = buf_putc(out, '[');
	for (size_t i = 0; i < c->n && !rc; i++)
		rc = json_item(out, c->docs[i], i == 0);
	return rc || json_end(out, c->n == 0) ? -1 : 0;
}

/* ------------------------------------------------------------------ XLSX */

const char *city_as_of(const city_t *c)
{
	const char *latest = "";
	for (size_t i = 0; i < c->n; i++) {
		const char *d = doc_text(c->docs[i], "as_of");
		if (d && strcmp(d, latest) > 0)
			latest = d;
	}
	return latest;
}

/* An XLSX of documents in memory (the public site's): into a temporary file
 * of our own, read back. */
int city_xlsx(const city_t *c, buf_t *out)
{
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *tmp = arena_printf(c->a, "%s/yaksok-xlsx-XXXXXX", dir);
	int fd = tmp ? mkstemp(tmp) : -1;
	if (fd < 0) {
		fprintf(stderr, "yaksok: cannot make a temporary file in %s: %s\n", dir, strerror(errno));
		return -1;
	}
	close(fd);
	xlsx_t *x = xlsx_new(c->a);
	int rc = !x || xlsx_scan(x, c->docs, c->n) || xlsx_open(x, tmp, c->stats) ? -1 : 0;
	rc = rc || xlsx_rows(x, c->docs, c->n) ? -1 : 0;
	rc = x && xlsx_close(x) ? -1 : rc;
	FILE *f = rc ? NULL : fopen(tmp, "rb");
	char chunk[65536];
	size_t got;
	if (!rc && !f)
		rc = -1;
	while (f && !rc && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = buf_append(out, chunk, got);
	if (f && (ferror(f) || fclose(f)))
		rc = -1;
	unlink(tmp);
	return rc;
}

/* ------------------------------------------------------------------ HTML */

static int write_html(const city_t *c, buf_t *out)
{
	return dashboard_html(c, out);
}

/* ------------------------------------------------------------------ PDF */

/* Every card of the export in one PDF, with its contents page. */
static int write_pdf(const city_t *c, buf_t *out)
{
	const report_t **cards = arena_alloc(c->a, sizeof(*cards) * (c->n ? c->n : 1));
	if (!cards)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		report_t *r = arena_alloc(c->a, sizeof(*r));
		if (!r || report_pledge(r, c->a, c->docs[i]))
			return -1;
		cards[i] = r;
	}
	return render_pdf_book(arena_printf(c->a, "공약 이행 카드 (%zu건)", c->n), cards, c->n, out) ? -1 : 0;
}

/* ------------------------------------------------------------------ fetching */

int city_stats(cli_t *cli, const char *round, const Yk__StatsReply **out)
{
	Yk__Stats st = YK__STATS__INIT;
	st.round = (char *)round;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_STATS;
	req.stats = &st;
	int rc;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	*out = resp ? resp->stats : NULL;
	return resp ? EXIT_OK : rc;
}

int city_fetch(cli_t *cli, const Yk__PledgeList *filter, bool approved, unsigned limit, arena_t *keep, city_page_fn fn,
	       void *arg)
{
	char *after = NULL;
	int rc = EXIT_OK;
	for (bool more = true; more && !rc;) {
		arena_t *page = keep ? keep : arena_new(0);
		if (!page) {
			rc = EXIT_FAIL;
			break;
		}
		Yk__PledgeExport in = YK__PLEDGE_EXPORT__INIT;
		in.filter = (Yk__PledgeList *)filter;
		in.has_approved = approved;
		in.approved = approved;
		in.after = after;
		in.has_limit = limit != 0;
		in.limit = limit;
		Yk__Request req = YK__REQUEST__INIT;
		req.body_case = YK__REQUEST__BODY_PLEDGE_EXPORT;
		req.pledge_export = &in;
		Yk__Response *resp = cli_call_in(cli, page, &req, &rc);
		const Yk__PledgeExportReply *rep = resp ? resp->pledge_export : NULL;
		size_t n = rep ? rep->n_pledges : 0;
		doc_node_t **docs = rep ? arena_alloc(page, sizeof(*docs) * (n ? n : 1)) : NULL;
		for (size_t i = 0; docs && i < n; i++)
			if (!(docs[i] = docmap_to_tree(page, &rep->pledges[i]->base)))
				docs = NULL;
		if (rep && !docs) {
			fprintf(stderr, "yaksok: out of memory\n");
			rc = EXIT_FAIL;
		}
		if (!rc)
			rc = fn(arg, docs, n);
		/* the next page starts after this one's last code; a page that
		 * says more but brought nothing, or did not move on, would loop or
		 * lose pledges: an error, never a short export */
		more = !rc && rep->more;
		if (more && (!n || (after && strcmp(rep->pledges[n - 1]->code, after) <= 0))) {
			fprintf(stderr, "yaksok: the daemon's pages of the export did not move on after %s\n",
				after ? after : "the first page");
			rc = EXIT_FAIL;
			more = false;
		}
		if (more) {
			free(after);
			if (!(after = strdup(rep->pledges[n - 1]->code)))
				rc = EXIT_FAIL;
		}
		if (!keep)
			arena_free(page);
	}
	free(after);
	return rc;
}

typedef struct {
	arena_t *a;
	doc_node_t **docs;
	size_t n, cap;
} gather_t;

static int gather_page(void *arg, doc_node_t **docs, size_t n)
{
	gather_t *g = arg;
	if (g->n + n > g->cap) {
		size_t cap = g->cap ? g->cap : 64;
		while (cap < g->n + n)
			cap *= 2;
		doc_node_t **grown = arena_grow(g->a, g->docs, g->cap * sizeof(*grown), cap * sizeof(*grown));
		if (!grown) {
			fprintf(stderr, "yaksok: out of memory\n");
			return EXIT_FAIL;
		}
		g->docs = grown;
		g->cap = cap;
	}
	memcpy(g->docs + g->n, docs, n * sizeof(*docs));
	g->n += n;
	return EXIT_OK;
}

/* The dashboard's part of each card (dashboard_part), copied out of the
 * page's arena before the page goes. */
static int gather_dashboard_page(void *arg, doc_node_t **docs, size_t n)
{
	gather_t *g = arg;
	for (size_t i = 0; i < n; i++)
		if (!(docs[i] = dashboard_part(g->a, docs[i]))) {
			fprintf(stderr, "yaksok: out of memory\n");
			return EXIT_FAIL;
		}
	return gather_page(arg, docs, n);
}

int city_fetch_all(cli_t *cli, const Yk__PledgeList *filter, bool approved, unsigned limit, doc_node_t ***docs,
		   size_t *n)
{
	gather_t g = { .a = cli->arena };
	int rc = city_fetch(cli, filter, approved, limit, cli->arena, gather_page, &g);
	*docs = g.docs;
	*n = g.n;
	if (!rc && !g.docs && !(*docs = arena_alloc(cli->arena, sizeof(**docs))))
		rc = EXIT_FAIL;
	return rc;
}

/* ------------------------------------------------------------------ streaming CSV and JSON */

typedef struct {
	const city_t *city;
	bool csv;
	const char *path, *tmp; /* "-": standard output */
	FILE *f;
	size_t n;
	buf_t b;
} stream_t;

static int stream_flush(stream_t *st)
{
	bool ok = !strcmp(st->path, "-") ? safeout_write_raw(st->b.data, st->b.len) == 0
					 : fwrite(st->b.data, 1, st->b.len, st->f) == st->b.len;
	st->b.len = 0;
	if (!ok)
		fprintf(stderr, "yaksok: cannot write %s: %s\n", !strcmp(st->path, "-") ? "standard output" : st->path,
			strerror(errno));
	return ok ? EXIT_OK : EXIT_FAIL;
}

static int stream_page(void *arg, doc_node_t **docs, size_t n)
{
	stream_t *st = arg;
	city_t page = *st->city;
	page.docs = docs;
	page.n = n;
	int rc = 0;
	if (st->csv)
		rc = csv_rows(&page, &st->b);
	for (size_t i = 0; !st->csv && i < n && !rc; i++)
		rc = json_item(&st->b, docs[i], st->n + i == 0);
	st->n += n;
	return rc ? EXIT_FAIL : stream_flush(st);
}

static int stream_export(cli_t *cli, const city_t *city, const Yk__PledgeList *filter, bool approved, unsigned limit,
			 bool csv, const char *path)
{
	stream_t st = { .city = city, .csv = csv, .path = path, .b = BUF_INIT };
	if (strcmp(path, "-")) {
		st.tmp = arena_printf(cli->arena, "%s.tmp%d", path, (int)getpid());
		if (!st.tmp || !(st.f = fopen(st.tmp, "wb"))) {
			fprintf(stderr, "yaksok: cannot write %s: %s\n", path, strerror(errno));
			return EXIT_FAIL;
		}
	}
	int rc = (csv ? csv_start(&st.b) : buf_putc(&st.b, '[')) ? EXIT_FAIL : stream_flush(&st);
	if (!rc)
		rc = city_fetch(cli, filter, approved, limit, NULL, stream_page, &st);
	if (!rc && !csv)
		rc = json_end(&st.b, st.n == 0) ? EXIT_FAIL : stream_flush(&st);
	buf_free(&st.b);
	if (st.f) {
		bool ok = fclose(st.f) == 0 && !rc;
		/* the file appears whole or not at all */
		if (ok && rename(st.tmp, path)) {
			fprintf(stderr, "yaksok: cannot write %s: %s\n", path, strerror(errno));
			ok = false;
		}
		if (!ok)
			unlink(st.tmp);
		rc = ok ? EXIT_OK : rc ? rc : EXIT_FAIL;
	}
	if (!rc)
		fprintf(stderr, "wrote %zu pledge%s to %s\n", st.n, st.n == 1 ? "" : "s", path);
	return rc;
}

/* ------------------------------------------------------------------ streaming XLSX */

typedef struct {
	xlsx_t *x;
	size_t n;
} xlsx_pass_t;

static int xlsx_scan_page(void *arg, doc_node_t **docs, size_t n)
{
	return xlsx_scan(((xlsx_pass_t *)arg)->x, docs, n) ? EXIT_FAIL : EXIT_OK;
}

static int xlsx_rows_page(void *arg, doc_node_t **docs, size_t n)
{
	xlsx_pass_t *p = arg;
	p->n += n;
	return xlsx_rows(p->x, docs, n) ? EXIT_FAIL : EXIT_OK;
}

/* Two passes over the pages (the budget periods make the columns), the
 * workbook in constant memory in a temporary file beside `path` (or in
 * TMPDIR for standard output), renamed into place whole. */
static int stream_xlsx(cli_t *cli, const city_t *city, const Yk__PledgeList *filter, bool approved, unsigned limit,
		       const char *path)
{
	bool to_stdout = !strcmp(path, "-");
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *tmp = to_stdout ? arena_printf(cli->arena, "%s/yaksok-xlsx-XXXXXX", dir)
			      : arena_printf(cli->arena, "%s.tmp%d", path, (int)getpid());
	int fd = !tmp ? -1 : to_stdout ? mkstemp(tmp) : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "yaksok: cannot write %s: %s\n", tmp ? tmp : path, strerror(errno));
		return EXIT_FAIL;
	}
	close(fd);
	xlsx_pass_t pass = { .x = xlsx_new(cli->arena) };
	int rc = pass.x ? city_fetch(cli, filter, approved, limit, NULL, xlsx_scan_page, &pass) : EXIT_FAIL;
	bool opened = !rc;
	if (!rc && xlsx_open(pass.x, tmp, city->stats))
		rc = EXIT_FAIL;
	if (!rc)
		rc = city_fetch(cli, filter, approved, limit, NULL, xlsx_rows_page, &pass);
	if (opened && xlsx_close(pass.x) && !rc)
		rc = EXIT_FAIL;
	if (!rc && to_stdout) {
		FILE *f = fopen(tmp, "rb");
		char chunk[65536];
		size_t got;
		rc = f ? EXIT_OK : EXIT_FAIL;
		while (f && !rc && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			if (safeout_write_raw(chunk, got)) {
				fprintf(stderr, "yaksok: cannot write to standard output: %s\n", strerror(errno));
				rc = EXIT_FAIL;
			}
		if (f)
			fclose(f);
	} else if (!rc && rename(tmp, path)) {
		fprintf(stderr, "yaksok: cannot write %s: %s\n", path, strerror(errno));
		rc = EXIT_FAIL;
	}
	if (rc || to_stdout)
		unlink(tmp);
	if (!rc)
		fprintf(stderr, "wrote %zu pledge%s to %s\n", pass.n, pass.n == 1 ? "" : "s", path);
	return rc;
}

/* ------------------------------------------------------------------ command */

static const char export_usage[] =
	"usage: yaksok export --format csv|xlsx|json|html|pdf --out FILE|- [--approved] [--page N] [list filters]\n\n"
	"  csv   one row per pledge, for Excel on Korean Windows (UTF-8 with BOM, CRLF, RFC 4180;\n"
	"        numbers raw, units in the header)\n"
	"  xlsx  sheets 요약 (the evaluation's measures; by department, by area; 재원 확보율), 공약,\n"
	"        예산 (the report's 확보/집행 under each period), 성과지표, 추진현황\n"
	"  json  every document, derived figures included\n"
	"  html  one self-contained dashboard: status, progress by department, budget secured vs\n"
	"        executed by source and year (inline SVG), and a table per department\n"
	"  pdf   every card on A4 pages (as yaksok show --format pdf), after a contents page\n"
	"The filters are those of yaksok list (--department, --status, --overdue, ...).  The\n"
	"documents are the working copies; --round R alone gives the versions approved in R,\n"
	"--approved the latest approved version of each (a viewer always gets approved versions).\n"
	"--out - writes to standard output.  The daemon sends the pledges in pages (--page N of\n"
	"them per request, default and at most 100); CSV and JSON are written a page at a time.\n\n"
	"example: yaksok export --format xlsx --out 공약.xlsx\n";

int cmd_export(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, export_usage))
		return EXIT_OK;
	struct option opts[16];
	size_t no = 0;
	for (; cli_filter_options[no].name; no++)
		opts[no] = cli_filter_options[no];
	opts[no++] = (struct option){ "format", required_argument, NULL, 'f' };
	opts[no++] = (struct option){ "out", required_argument, NULL, 'o' };
	opts[no++] = (struct option){ "approved", no_argument, NULL, 'P' };
	opts[no++] = (struct option){ "page", required_argument, NULL, 'g' };
	opts[no] = (struct option){ 0 };
	bool approved = false;
	unsigned page = 0;
	Yk__PledgeList filter = YK__PLEDGE_LIST__INIT;
	const char *format = cli->output, *out = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f') {
			format = optarg;
		} else if (c == 'o') {
			out = optarg;
		} else if (c == 'P') {
			approved = true;
		} else if (c == 'g') {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || !*optarg || v < 1 || v > 100)
				return cli_usage_error("export", "--page must be a number of pledges from 1 to 100");
			page = (unsigned)v;
		} else {
			int rc = cli_filter_option(cli, "export", c, optarg, &filter);
			if (rc == 1)
				return cli_bad_option("export", argv, opts);
			if (rc)
				return rc;
		}
	}
	if (optind != argc)
		return cli_usage_error("export", "unexpected argument \"%s\"", argv[optind]);
	if (!format || (strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "json") && strcmp(format, "html") &&
			strcmp(format, "pdf")))
		return cli_usage_error("export", "--format must be csv, xlsx, json, html or pdf");
	if (!out)
		return cli_usage_error("export", "--out FILE is required");
	/* The figures of stats (lagging reasons, completion rate) for the
	 * city as a whole: what the CSV, the workbook and the dashboard show
	 * beside the documents (the JSON is the documents alone). */
	city_t city = { .a = cli->arena };
	int rc = strcmp(format, "json") ? city_stats(cli, filter.round, &city.stats) : EXIT_OK;
	if (rc)
		return rc;
	/* CSV, JSON and XLSX go out a page at a time: the client's memory does
	 * not grow with the city */
	if (!strcmp(format, "csv") || !strcmp(format, "json"))
		return stream_export(cli, &city, &filter, approved, page, !strcmp(format, "csv"), out);
	if (!strcmp(format, "xlsx"))
		return stream_xlsx(cli, &city, &filter, approved, page, out);
	/* the book of cards is made of the whole city; the dashboard of its
	 * figures, the part of each card it reads kept as the pages go */
	if (!strcmp(format, "pdf")) {
		rc = city_fetch_all(cli, &filter, approved, page, &city.docs, &city.n);
	} else {
		gather_t g = { .a = cli->arena };
		rc = city_fetch(cli, &filter, approved, page, NULL, gather_dashboard_page, &g);
		city.docs = g.docs;
		city.n = g.n;
	}
	if (rc)
		return rc;
	buf_t b = BUF_INIT;
	if (!strcmp(format, "pdf"))
		rc = write_pdf(&city, &b);
	else
		rc = write_html(&city, &b);
	rc = rc ? -1 : city_save(out, &b);
	buf_free(&b);
	if (rc)
		return EXIT_FAIL;
	fprintf(stderr, "wrote %zu pledge%s to %s\n", city.n, city.n == 1 ? "" : "s", out);
	return EXIT_OK;
}
