/* yaksok import: a quarterly report laid out like the city's (the seed:
 * tab-separated tables, <ul>/<li> fragments, ○ • - bullets, dates such as
 * "2019. 1.10.", "2019.3.21.~4.2.", "2020.8.12./8.14./8.19") read into a
 * pledge document.  Every line is either mapped, known boilerplate, or reported
 * with its number: nothing is dropped silently. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "cli.h"
#include "doc_io.h"
#include "docmap.h"
#include "import.h"
#include "text.h"

/* What converted cards spell several ways, spelled one way before any
 * reader sees it: the ideographic space (U+3000) as a space, the wave
 * dashes ∼ and ～ as ~, and a leader of ellipses (……) between a label and
 * its value as " : ".  Done in place: each replacement is no longer than
 * what it replaces. */
static void normalise(char *line)
{
	static const struct {
		const char *from, *to;
		bool run; /* a run of them is one */
	} subs[] = { { "\xE3\x80\x80", " ", false }, { "\xE2\x88\xBC", "~", false }, { "\xEF\xBD\x9E", "~", false },
		     { "\xE2\x80\xA6", " : ", true } };
	char *w = line;
	for (const char *r = line; *r;) {
		bool done = false;
		for (size_t k = 0; k < sizeof(subs) / sizeof(subs[0]) && !done; k++) {
			size_t fl = strlen(subs[k].from);
			if (strncmp(r, subs[k].from, fl))
				continue;
			r += fl;
			while (subs[k].run && !strncmp(r, subs[k].from, fl))
				r += fl;
			size_t tl = strlen(subs[k].to);
			/* " : " for a leader of one ellipsis (3 bytes) fits; trim
			 * the spaces around it that the card already has */
			if (subs[k].run && w > line && w[-1] == ' ')
				w--;
			memcpy(w, subs[k].to, tl);
			w += tl;
			if (subs[k].run)
				while (*r == ' ')
					r++;
			done = true;
		}
		if (!done)
			*w++ = *r++;
	}
	*w = '\0';
}

static doc_node_t *import_text(imp_t *im, char *text, const char *code)
{
	/* lines */
	size_t cap = 64;
	im->lines = arena_alloc(im->a, sizeof(char *) * cap);
	for (char *p = text; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (im->n == cap) {
			im->lines = arena_grow(im->a, im->lines, sizeof(char *) * cap, sizeof(char *) * cap * 2);
			cap *= 2;
		}
		size_t l = strlen(p);
		if (l && p[l - 1] == '\r')
			p[l - 1] = '\0';
		normalise(p);
		im->lines[im->n++] = p;
		p = nl ? nl + 1 : NULL;
	}
	imp_untable(im);
	if (!code)
		code = im->code ? im->code : "IMPORTED";
	im->used = arena_calloc(im->a, im->n + 1);
	arena_t *a = im->a;
	im->doc = doc_new(a, DOC_MAP);
	im->overview = doc_new(a, DOC_MAP);
	im->contents = doc_new(a, DOC_SEQ);
	im->budget = doc_new(a, DOC_MAP);
	im->sets = doc_new(a, DOC_SEQ);
	im->progress = doc_new(a, DOC_MAP);
	im->groups = doc_new(a, DOC_SEQ);
	im->changes = doc_new(a, DOC_SEQ);
	im->evaluations = doc_new(a, DOC_SEQ);
	im->problems = doc_new(a, DOC_SEQ);
	im->plans = doc_new(a, DOC_SEQ);
	im->officials = doc_new(a, DOC_SEQ);
	doc_node_t *top = doc_new(a, DOC_MAP); /* the header's fields, collected first */
	im->doc = top;
	imp_header_rows(im);
	/* sections by their headings */
	size_t starts_at[10] = { 0 }, ends_at[10] = { 0 };
	size_t officials_at = im->n;
	int last = 0;
	for (size_t i = 0; i < im->n; i++) {
		int s = imp_section_of(im, im->lines[i]);
		if (strstr(im->lines[i], "정책실명제") && officials_at == im->n) {
			officials_at = i;
			if (last)
				ends_at[last] = i;
			last = 0;
			continue;
		}
		if (s >= 1 && s <= 8 && !starts_at[s]) {
			if (last)
				ends_at[last] = i;
			starts_at[s] = i + 1;
			im->used[i] = true;
			last = s;
		}
	}
	if (last)
		ends_at[last] = officials_at;
	if (!last && !starts_at[8] && officials_at == im->n && !doc_get(top, "department")) {
		/* not a card at all: an empty document is not what it holds */
		fprintf(im->err, "line 1: no card here: none of its sections (1. 사업개요 ... 8. 향후추진계획), its header row "
				 "or its 정책실명제 table was found\n");
		im->warnings++;
		im->total_problems++;
	}
	for (int s = 1; s <= 8; s++) {
		if (!starts_at[s])
			continue;
		const char *h = imp_heading(im, im->lines[starts_at[s] - 1]);
		im->i = starts_at[s];
		size_t end = ends_at[s];
		switch (s) {
		case 1: imp_overview(im, end); break;
		case 2: imp_budget(im, end); break;
		case 3: imp_indicators(im, end); break;
		case 4:
			imp_span_of(im, h, 4);
			imp_progress(im, end);
			break;
		case 5:
			imp_span_of(im, h, 5);
			if (!strstr(h, "해당없음"))
				imp_read_changes(im, end);
			break;
		case 6: imp_evaluations(im, h, end); break;
		case 7: imp_problems(im, end); break;
		case 8: imp_plans(im, end); break;
		}
	}
	im->i = officials_at;
	imp_officials(im);

	/* a card that gives its period only over section 4 (as cards of other
	 * cities do) reports from where that narrative begins; our own
	 * rendering gives it over section 5 when the document has one */
	if (!im->span5 && !im->title_line && doc_get(im->progress, "from"))
		imp_set(im, top, "reporting_from", (doc_node_t *)doc_get(im->progress, "from"));
	if (im->area && *im->area)
		imp_set(im, top, "area", imp_str(im, im->area));
	if (im->parent && *im->parent)
		imp_set(im, top, "parent", imp_str(im, im->parent));
	/* the document in the spec's key order */
	doc_node_t *doc = doc_new(a, DOC_MAP);
	imp_set(im, doc, "schema", imp_str(im, "yaksok/pledge/v1"));
	imp_set(im, doc, "code", imp_str(im, code));
	if (im->term)
		imp_set(im, doc, "term", imp_str(im, im->term));
	imp_set(im, doc, "title", imp_str(im, im->title_line ? im->title_line : im->title ? im->title : ""));
	static const char *const head_keys[] = { "category", "area", "parent", "department", "status", "progress_pct",
						 "target_month", "remarks", "as_of", "reporting_from" };
	for (size_t k = 0; k < sizeof(head_keys) / sizeof(head_keys[0]); k++)
		imp_set(im, doc, head_keys[k], (doc_node_t *)doc_get(top, head_keys[k]));
	if (im->contents->n)
		imp_set(im, im->overview, "contents", im->contents);
	imp_set(im, doc, "overview", im->overview);
	imp_set(im, doc, "budget", im->budget);
	imp_set(im, doc, "indicator_sets", im->sets);
	imp_set(im, im->progress, "by_indicator", im->groups);
	imp_set(im, doc, "progress", im->progress);
	imp_set(im, doc, "changes", im->changes);
	imp_set(im, doc, "evaluations", im->evaluations);
	imp_set(im, doc, "problems", im->problems);
	imp_set(im, doc, "plans", im->plans);
	imp_set(im, doc, "officials", im->officials);
	for (size_t i = 0; i < im->n; i++)
		if (!im->used[i] && !imp_blank(im->lines[i]))
		{
			/* the line's first 40 columns, cut between characters */
			const char *l = im->lines[i];
			size_t cut = text_prefix_fitting(l, 40);
			imp_warn(im, i, "not understood: %s",
				 l[cut] ? arena_printf(im->a, "%.*s…", (int)cut, l) : l);
		}
	imp_check_derived(im, doc);
	imp_account(im, doc);
	return doc;
}

static const char import_usage[] =
	"usage: yaksok import FILE [--code CODE] [--apply [--force]] [options] [-o yaml|json]\n"
	"       yaksok import FILE|DIR... [--apply [--force]] [options]\n\n"
	"Read a quarterly pledge report laid out like the city's (the header row, 1. 사업개요 ...\n"
	"8. 향후추진계획, the 정책실명제 table; tab-separated tables, <ul>/<li> fragments, ○ • -\n"
	"ㅇ □ ▪ bullets) into a pledge document and print it, or apply it with --apply.  Every line\n"
	"it cannot map, and every line it read a word of which is not in the document, is reported\n"
	"on stderr with its number; then the exit status is 6 and --apply refuses (nothing is\n"
	"dropped silently).  The card's printed totals are checked: the budget table's 계 row\n"
	"against the rows above it, each row's 소요예산 (a~g합계) and section 1's 소요예산 (and its\n"
	"year) against what the budget's figures make.  A printed total that differs is a problem\n"
	"too (the document keeps no totals of its own, only derived ones).  A card that yaksok\n"
	"itself printed (show --format text: tables with | between cells) is read the same way,\n"
	"its title and code from its first line.  CODE defaults to that code, else IMPORTED.\n\n"
	"Several files, or a directory (its *.txt in name order), are a city's cards: each is read\n"
	"on its own, its code its file name (SW7-GOV-02.txt is SW7-GOV-02), with one line each\n"
	"(lines, unmapped, problems, what was done) and a count at the end; one bad card does not\n"
	"stop the others, and a card with problems is not applied.  Without --apply they are only\n"
	"checked.  The exit status is the worst of them.\n\n"
	"  --allow-unmapped         store (or print) a card even with lines it could not map, still\n"
	"                           listing them\n"
	"  --accept-derived-totals  a printed total that differs is a note, not a problem\n";

typedef struct {
	bool apply, force, allow_unmapped, accept_totals, quiet;
	const char *fmt;
} import_opts_t;

typedef struct {
	size_t lines, unmapped, problems;
} import_count_t;

static int import_one(cli_t *cli, const char *file, const char *code, const import_opts_t *o, import_count_t *count);
static int import_many(cli_t *cli, const char *const *names, size_t n, const import_opts_t *o);

int cmd_import(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, import_usage))
		return EXIT_OK;
	static const struct option opts[] = { { "code", required_argument, NULL, 'c' },
					      { "apply", no_argument, NULL, 'a' },
					      { "force", no_argument, NULL, 'f' },
					      { "accept-derived-totals", no_argument, NULL, 't' },
					      { "allow-unmapped", no_argument, NULL, 'u' },
					      { 0 } };
	const char *code = NULL;
	import_opts_t o = { 0 };
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': code = optarg; break;
		case 'a': o.apply = true; break;
		case 'f': o.force = true; break;
		case 't': o.accept_totals = true; break;
		case 'u': o.allow_unmapped = true; break;
		default: return cli_bad_option("import", argv, opts);
		}
	}
	if (optind == argc)
		return cli_usage_error("import", "name a report FILE (or several, or a DIR)");
	static const char *const formats[] = { "yaml", "json", NULL };
	if (!(o.fmt = cli_output(cli, "import", formats)))
		return EXIT_USAGE;
	struct stat st;
	bool dir = strcmp(argv[optind], "-") && stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode);
	if (optind + 1 == argc && !dir) {
		import_count_t count;
		return import_one(cli, argv[optind], code, &o, &count);
	}
	if (code)
		return cli_usage_error("import", "--code is for one file: several take their codes from their names");
	return import_many(cli, (const char *const *)argv + optind, (size_t)(argc - optind), &o);
}

/* The code of a report file: its name without the folder and .txt, in
 * upper case. */
static const char *code_of(arena_t *a, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t l = strlen(base);
	if (l > 4 && !strcmp(base + l - 4, ".txt"))
		l -= 4;
	char *code = arena_strndup(a, base, l < 40 ? l : 40);
	for (char *p = code; p && *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return code;
}

/* A city's cards: the files named, a directory standing for its *.txt. */
static int import_many(cli_t *cli, const char *const *names, size_t nnames, const import_opts_t *o)
{
	static const char *const exts[] = { ".txt", NULL };
	const char **files;
	size_t n;
	int worst = cli_expand_files(cli, names, nnames, exts, "*.txt report", &files, &n);
	if (worst)
		return worst;
	size_t refused = 0;
	import_opts_t each = *o;
	each.quiet = true;
	bool tty = isatty(STDERR_FILENO);
	for (size_t i = 0; i < n; i++) {
		if (tty)
			cli_progress(cli, i + 1, n, files[i]);
		import_count_t count = { 0 };
		int rc = import_one(cli, files[i], code_of(cli->arena, files[i]), &each, &count);
		if (tty)
			cli_progress(cli, 0, 0, NULL);
		fprintf(stderr, "%s: %zu lines, %zu unmapped, %zu problem%s: %s\n", files[i], count.lines, count.unmapped,
			count.problems, count.problems == 1 ? "" : "s",
			rc ? (o->apply ? "not applied" : "refused") : (o->apply ? "applied" : "complete"));
		if (rc) {
			refused++;
			worst = rc > worst ? rc : worst;
			if (rc == EXIT_UNAVAILABLE)
				break; /* the server is gone: the rest would fail the same way */
		}
	}
	fprintf(stderr, "yaksok: %zu of %zu reports %s%s\n", n - refused, n, o->apply ? "imported" : "complete",
		refused ? "" : ", none refused");
	return worst;
}

static int import_one(cli_t *cli, const char *file, const char *code, const import_opts_t *o, import_count_t *count)
{
	size_t n;
	char *text = cli_read_file(cli, file, &n);
	if (!text)
		return EXIT_FAIL;
	if (text_problem(text, n)) {
		fprintf(stderr, "yaksok: %s: %s (the report must be UTF-8)\n", file, text_problem(text, n));
		return EXIT_INVALID;
	}
	char *nfc = text_nfc(cli->arena, text, n);
	imp_t im = { .a = cli->arena, .err = stderr, .accept_totals = o->accept_totals };
	doc_node_t *doc = import_text(&im, nfc ? nfc : text, code);
	count->lines = im.n;
	count->problems = im.total_problems;
	count->unmapped = im.warnings - im.total_problems;
	if (count->unmapped && !o->quiet)
		fprintf(stderr, "yaksok: %zu line%s of %s could not be mapped (listed above)%s\n", count->unmapped,
			count->unmapped == 1 ? "" : "s", file, o->allow_unmapped ? "; kept anyway (--allow-unmapped)" : "");
	bool refuse = count->problems || (count->unmapped && !o->allow_unmapped);
	if (!o->apply) {
		if (o->quiet)
			return refuse ? EXIT_INVALID : EXIT_OK;
		buf_t out = BUF_INIT;
		int rc = strcmp(o->fmt, "json") ? doc_write_yaml(&out, doc) : doc_write_json(&out, doc, 2);
		if (!rc)
			fwrite(out.data, 1, out.len, stdout);
		buf_free(&out);
		return rc ? EXIT_FAIL : refuse ? EXIT_INVALID : EXIT_OK;
	}
	if (refuse) {
		if (!o->quiet)
			fprintf(stderr, "yaksok: not applied: fix the report or write the document by hand\n");
		return EXIT_INVALID;
	}
	return cli_apply_tree(cli, doc, o->force, file);
}
