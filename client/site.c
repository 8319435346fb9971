/* The public site's files (site.h).  Pages link to each other by relative
 * addresses, so that the folder works from any web server path and from a
 * disk; only the feed and the sitemap, which leave the site, use the base
 * address.  Layout:
 *
 *   index.html                 every pledge; filters and search (site.js)
 *   status/KEY.html            the same list, one status (filters without JavaScript)
 *   dept/NNN.html, area/NNN.html  a department's, an area's pledges and figures
 *   pledge/CODE.html           the card as printed, its changes, its earlier rounds
 *   pledge/CODE/ROUND.html     the card as approved in an earlier round
 *   dashboard.html             the city-wide figures and charts
 *   data/index.html            the open data and what every column means
 *   data/pledges.{csv,json,xlsx}, data/pledge/CODE.json
 *   feed.atom, sitemap.xml, 404.html, assets/site.css, assets/site.js */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "doc_io.h"
#include "render.h"
#include "report.h"
#include "site.h"
#include "terms.h"

#define FEED_ENTRIES 200  /* the newest; the data files hold everything */

typedef struct {
	const char *name;     /* department or area ("" for none) */
	const char *file;     /* dept/001.html */
	size_t pledges, completed, overdue;
	int64_t progress_sum; /* hundredths */
} group_t;

typedef struct {
	site_t *s;
	arena_t *a;
	group_t *depts, *areas;
	size_t nd, na;
	const char *as_of;
} build_t;

/* ------------------------------------------------------------ helpers */

const char *site_file_name(arena_t *a, const char *name)
{
	bool plain = name && *name && *name != '.' && strlen(name) <= 64;
	for (const char *p = name; plain && *p; p++)
		plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
			*p == '_' || *p == '-';
	if (plain)
		return name;
	buf_t b = BUF_INIT;
	int rc = buf_putc(&b, 'x');
	for (const char *p = name ? name : ""; *p && b.len < 129; p++)
		rc |= buf_printf(&b, "%02x", (unsigned char)*p);
	const char *out = rc ? NULL : arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return out;
}

void site_scrub(doc_node_t *doc)
{
	doc_del(doc, "updated_by");
	doc_node_t *ch = (doc_node_t *)doc_field(doc, "changes");
	for (size_t i = 0; ch && ch->type == DOC_SEQ && i < ch->n; i++)
		if (ch->items[i]->type == DOC_MAP)
			doc_del(ch->items[i], "decided_by");
}

static buf_t *file_new(build_t *b, const char *path)
{
	site_t *s = b->s;
	if (!path)
		return NULL;
	if (s->nfiles == s->capfiles) {
		size_t cap = s->capfiles ? s->capfiles * 2 : 256;
		site_file_t *f = realloc(s->files, cap * sizeof(*f));
		if (!f)
			return NULL;
		s->files = f;
		s->capfiles = cap;
	}
	site_file_t *f = &s->files[s->nfiles++];
	f->path = path;
	f->data = (buf_t)BUF_INIT;
	return &f->data;
}

void site_free(site_t *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		buf_free(&s->files[i].data);
	free(s->files);
	s->files = NULL;
	s->nfiles = s->capfiles = 0;
}

static int esc(buf_t *o, const char *s)
{
	return html_escape(o, s ? s : "");
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* "../" once per folder the page is in. */
static const char *root_of(const char *path)
{
	static const char *const ups[] = { "", "../", "../../", "../../../" };
	size_t depth = 0;
	for (const char *p = path; *p; p++)
		depth += *p == '/';
	return ups[depth < 3 ? depth : 3];
}

static const char *pledge_file(build_t *b, const doc_node_t *doc)
{
	return arena_printf(b->a, "pledge/%s.html", site_file_name(b->a, nz(doc_text(doc, "code"))));
}

static group_t *group_of(group_t *g, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(g[i].name, nz(name)))
			return &g[i];
	return NULL;
}

static const char *area_label(const char *area)
{
	return area && *area ? area : "(분야 없음)";
}

/* ------------------------------------------------------------ page frame */

/* How a page reaches the site's root: up its folders, or for the page of
 * missing addresses (served at any depth) the base address when there is one. */
static const char *page_root(const build_t *b, const char *path)
{
	return !strcmp(path, "404.html") && b->s->base_url ? b->s->base_url : root_of(path);
}

/* A new page of the site at `path`, its head and header written; NULL when
 * out of memory. */
static buf_t *page_begin(build_t *b, const char *path, const char *title)
{
	buf_t *o = file_new(b, path);
	if (!o)
		return NULL;
	const char *root = page_root(b, path);
	int rc = buf_puts(o, "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n"
			     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	rc |= esc(o, title);
	rc |= buf_puts(o, " | ");
	rc |= esc(o, b->s->city.city);
	rc |= buf_printf(o, " 공약 이행</title>\n<link rel=\"stylesheet\" href=\"%sassets/site.css\">\n"
			    "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"새 소식\" href=\"%sfeed.atom\">\n",
			 root, root);
	if (b->s->base_url) {
		rc |= buf_puts(o, "<link rel=\"canonical\" href=\"");
		rc |= esc(o, b->s->base_url);
		rc |= esc(o, path);
		rc |= buf_puts(o, "\">\n");
	}
	rc |= buf_printf(o, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">본문 바로가기</a>\n<header class=\"site\">\n"
			    "<p class=\"name\"><a href=\"%sindex.html\">",
			 root);
	rc |= esc(o, b->s->city.city);
	rc |= buf_printf(o, " 공약 이행 현황</a></p>\n<nav aria-label=\"사이트\"><ul>"
			    "<li><a href=\"%sindex.html\">공약 목록</a></li><li><a href=\"%sdashboard.html\">이행 현황</a></li>"
			    "<li><a href=\"%sdata/index.html\">공개 데이터</a></li><li><a href=\"%sfeed.atom\">새 소식 (Atom)</a></li>"
			    "</ul></nav>\n</header>\n<main id=\"main\">\n",
			 root, root, root, root);
	return rc ? NULL : o;
}

/* The footer says the date the page's figures speak of: a card's own, or
 * the city's for the lists, so that a card's page changes only with it. */
static int page_end(build_t *b, buf_t *o, const char *path, const char *as_of, bool script)
{
	int rc = buf_puts(o, "</main>\n<footer class=\"site\"><p>");
	rc |= esc(o, b->s->city.city);
	rc |= buf_puts(o, " 공약 이행 현황");
	if (as_of && *as_of)
		rc |= buf_printf(o, " · 기준일 %s", fmt_date(b->a, as_of));
	if (b->s->round)
		rc |= buf_printf(o, " · %s 보고 승인본", fmt_round(b->a, b->s->round));
	rc |= buf_printf(o, " · 승인된 기록만 싣습니다. 파일 목록과 서명: <a href=\"%smanifest.json\">manifest.json</a></p>"
			    "</footer>\n",
			 page_root(b, path));
	if (script)
		rc |= buf_printf(o, "<script src=\"%sassets/site.js\"></script>\n", page_root(b, path));
	return rc | buf_puts(o, "</body>\n</html>\n");
}

/* ------------------------------------------------------------ lists */

static int group_links(build_t *b, buf_t *o, const char *root, const char *current)
{
	int rc = buf_puts(o, "<div class=\"facets\">\n<nav aria-labelledby=\"f-st\"><h2 id=\"f-st\">상태별</h2><ul>");
	for (int k = 0; k < PLEDGE_STATUSES; k++) {
		size_t n = 0;
		for (size_t i = 0; i < b->s->city.n; i++)
			n += !strcmp(nz(doc_text(b->s->city.docs[i], "status")), pledge_status_keys[k]);
		if (!n)
			continue;
		const char *file = arena_printf(b->a, "status/%s.html", pledge_status_keys[k]);
		rc |= buf_printf(o, "<li><a href=\"%s%s\"%s>%s (%zu)</a></li>", root, file,
				 current && !strcmp(current, file) ? " aria-current=\"page\"" : "", pledge_status_words[k], n);
	}
	rc |= buf_puts(o, "</ul></nav>\n<nav aria-labelledby=\"f-dp\"><h2 id=\"f-dp\">부서별</h2><ul>");
	for (size_t k = 0; k < b->nd; k++) {
		rc |= buf_printf(o, "<li><a href=\"%s%s\"%s>", root, b->depts[k].file,
				 current && !strcmp(current, b->depts[k].file) ? " aria-current=\"page\"" : "");
		rc |= esc(o, b->depts[k].name);
		rc |= buf_printf(o, " (%zu)</a></li>", b->depts[k].pledges);
	}
	rc |= buf_puts(o, "</ul></nav>\n<nav aria-labelledby=\"f-ar\"><h2 id=\"f-ar\">분야별</h2><ul>");
	for (size_t k = 0; k < b->na; k++) {
		rc |= buf_printf(o, "<li><a href=\"%s%s\"%s>", root, b->areas[k].file,
				 current && !strcmp(current, b->areas[k].file) ? " aria-current=\"page\"" : "");
		rc |= esc(o, area_label(b->areas[k].name));
		rc |= buf_printf(o, " (%zu)</a></li>", b->areas[k].pledges);
	}
	return rc | buf_puts(o, "</ul></nav>\n</div>\n");
}

/* The filter form: hidden until site.js shows it (without JavaScript the
 * pages per status, department and area do its work). */
static int filter_form(build_t *b, buf_t *o)
{
	int rc = buf_puts(o, "<form id=\"filters\" class=\"filters\" hidden>\n"
			     "<div><label for=\"f-q\">검색</label><input id=\"f-q\" name=\"q\" type=\"search\" "
			     "autocomplete=\"off\" placeholder=\"공약명, 코드, 부서\"></div>\n"
			     "<div><label for=\"f-status\">상태</label><select id=\"f-status\" name=\"status\">"
			     "<option value=\"\">전체</option>");
	for (int k = 0; k < PLEDGE_STATUSES; k++)
		rc |= buf_printf(o, "<option value=\"%s\">%s</option>", pledge_status_keys[k], pledge_status_words[k]);
	rc |= buf_puts(o, "</select></div>\n<div><label for=\"f-dept\">담당부서</label><select id=\"f-dept\" name=\"dept\">"
			  "<option value=\"\">전체</option>");
	for (size_t k = 0; k < b->nd; k++) {
		rc |= buf_printf(o, "<option value=\"%zu\">", k + 1);
		rc |= esc(o, b->depts[k].name);
		rc |= buf_puts(o, "</option>");
	}
	rc |= buf_puts(o, "</select></div>\n<div><label for=\"f-area\">정책분야</label><select id=\"f-area\" name=\"area\">"
			  "<option value=\"\">전체</option>");
	for (size_t k = 0; k < b->na; k++) {
		rc |= buf_printf(o, "<option value=\"%zu\">", k + 1);
		rc |= esc(o, area_label(b->areas[k].name));
		rc |= buf_puts(o, "</option>");
	}
	return rc | buf_puts(o, "</select></div>\n</form>\n");
}

/* The pledges `keep` accepts, one row each. */
static int pledge_table(build_t *b, buf_t *o, const char *root, const char *label,
			bool (*keep)(const doc_node_t *doc, const void *arg), const void *arg)
{
	static const char *const head[] = { "코드", "공약명", "상태", "진도율(%)", "담당부서", "정책분야", "목표연월" };
	size_t n = 0;
	for (size_t i = 0; i < b->s->city.n; i++)
		n += !keep || keep(b->s->city.docs[i], arg);
	int rc = buf_printf(o, "<p id=\"count\" role=\"status\">%zu건</p>\n", n);
	rc |= html_table_open(o, label);
	rc |= buf_puts(o, "<thead><tr>");
	for (size_t k = 0; k < 7; k++)
		rc |= buf_printf(o, "<th scope=\"col\">%s</th>", head[k]);
	rc |= buf_puts(o, "</tr></thead>\n<tbody id=\"pledges\">\n");
	for (size_t i = 0; i < b->s->city.n; i++) {
		const doc_node_t *d = b->s->city.docs[i];
		if (keep && !keep(d, arg))
			continue;
		const char *dept = doc_text(d, "department"), *area = doc_text(d, "area");
		group_t *dg = group_of(b->depts, b->nd, dept), *ag = group_of(b->areas, b->na, area);
		rc |= buf_printf(o, "<tr data-status=\"%s\" data-dept=\"%zu\" data-area=\"%zu\"><td>",
				 site_file_name(b->a, nz(doc_text(d, "status"))), dg ? (size_t)(dg - b->depts) + 1 : 0,
				 ag ? (size_t)(ag - b->areas) + 1 : 0);
		rc |= esc(o, doc_text(d, "code"));
		rc |= buf_printf(o, "</td><td><a href=\"%s%s\">", root, pledge_file(b, d));
		rc |= esc(o, doc_text(d, "title"));
		rc |= buf_puts(o, "</a></td><td>");
		rc |= esc(o, status_word(doc_text(d, "status")));
		if (city_overdue(d))
			rc |= buf_puts(o, " <span class=\"flag\">(기한경과)</span>");
		rc |= buf_puts(o, "</td><td class=\"num\">");
		rc |= esc(o, doc_text(d, "progress_pct"));
		rc |= buf_puts(o, "</td><td>");
		if (dg) {
			rc |= buf_printf(o, "<a href=\"%s%s\">", root, dg->file);
			rc |= esc(o, dept);
			rc |= buf_puts(o, "</a>");
		}
		rc |= buf_puts(o, "</td><td>");
		if (ag) {
			rc |= buf_printf(o, "<a href=\"%s%s\">", root, ag->file);
			rc |= esc(o, area_label(area));
			rc |= buf_puts(o, "</a>");
		}
		rc |= buf_puts(o, "</td><td>");
		rc |= esc(o, doc_text(d, "target_month"));
		rc |= buf_puts(o, "</td></tr>\n");
	}
	if (!n)
		rc |= buf_puts(o, "<tr><td colspan=\"7\">해당 공약이 없습니다.</td></tr>\n");
	return rc | buf_puts(o, "</tbody>") | html_table_close(o);
}

static int index_page(build_t *b)
{
	const char *path = "index.html";
	buf_t *o = page_begin(b, path, "공약 목록");
	if (!o)
		return -1;
	int rc = buf_puts(o, "<h1>");
	rc |= esc(o, b->s->city.city);
	rc |= buf_printf(o, " 공약 이행 현황</h1>\n<p>공약 %zu건", b->s->city.n);
	if (*b->as_of)
		rc |= buf_printf(o, " · 기준일 <time datetime=\"%s\">%s</time>", b->as_of, fmt_date(b->a, b->as_of));
	rc |= buf_puts(o, " · <a href=\"dashboard.html\">이행 현황 (통계와 그래프)</a></p>\n");
	rc |= group_links(b, o, "", NULL);
	rc |= buf_puts(o, "<h2>공약 목록</h2>\n");
	rc |= filter_form(b, o);
	rc |= pledge_table(b, o, "", "공약 목록", NULL, NULL);
	return rc | page_end(b, o, path, b->as_of, true);
}

static bool has_status(const doc_node_t *doc, const void *arg)
{
	return !strcmp(nz(doc_text(doc, "status")), arg);
}

static bool in_dept(const doc_node_t *doc, const void *arg)
{
	return !strcmp(nz(doc_text(doc, "department")), arg);
}

static bool in_area(const doc_node_t *doc, const void *arg)
{
	return !strcmp(nz(doc_text(doc, "area")), arg);
}

static int status_pages(build_t *b)
{
	int rc = 0;
	for (int k = 0; k < PLEDGE_STATUSES && !rc; k++) {
		size_t n = 0;
		for (size_t i = 0; i < b->s->city.n; i++)
			n += has_status(b->s->city.docs[i], pledge_status_keys[k]);
		if (!n)
			continue;
		const char *path = arena_printf(b->a, "status/%s.html", pledge_status_keys[k]);
		const char *title = arena_printf(b->a, "상태: %s", pledge_status_words[k]);
		buf_t *o = page_begin(b, path, title);
		if (!o)
			return -1;
		rc |= buf_printf(o, "<h1>%s</h1>\n", title);
		rc |= group_links(b, o, "../", path);
		rc |= buf_puts(o, "<h2>공약 목록</h2>\n");
		rc |= pledge_table(b, o, "../", title, has_status, pledge_status_keys[k]);
		rc |= page_end(b, o, path, b->as_of, false);
	}
	return rc;
}

/* A department's or an area's page: its figures, then its pledges. */
static int group_page(build_t *b, const group_t *g, const char *kind, bool (*keep)(const doc_node_t *, const void *))
{
	const char *label = !strcmp(kind, "정책분야") ? area_label(g->name) : g->name;
	buf_t *o = page_begin(b, g->file, label);
	if (!o)
		return -1;
	int rc = buf_puts(o, "<h1>");
	rc |= esc(o, label);
	rc |= buf_printf(o, " <span class=\"kind\">(%s)</span></h1>\n", kind);
	char avg[32] = "-";
	if (g->pledges)
		dec_format((2 * g->progress_sum + (int64_t)g->pledges) / (2 * (int64_t)g->pledges), avg);
	rc |= buf_printf(o, "<ul class=\"cards\"><li>공약 수<b>%zu건</b></li><li>완료<b>%zu건</b></li>"
			    "<li>기한경과<b>%zu건</b></li><li>평균 진도율<b>%s%%</b></li></ul>\n",
			 g->pledges, g->completed, g->overdue, avg);
	rc |= group_links(b, o, "../", g->file);
	rc |= buf_puts(o, "<h2>공약 목록</h2>\n");
	rc |= pledge_table(b, o, "../", label, keep, g->name);
	return rc | page_end(b, o, g->file, b->as_of, false);
}

/* ------------------------------------------------------------ a pledge */

static int timeline(build_t *b, buf_t *o, const doc_node_t *doc)
{
	const doc_node_t *ch = doc_field(doc, "changes");
	int rc = buf_puts(o, "<h2 id=\"changes\">변경 이력</h2>\n");
	if (!doc_count(ch))
		return rc | buf_puts(o, "<p>승인된 사업변경이 없습니다.</p>\n");
	rc |= buf_puts(o, "<ol class=\"timeline\">\n");
	for (size_t i = 0; i < ch->n; i++) {
		const doc_node_t *e = ch->items[i];
		const char *date = doc_text(e, "date"), *before = doc_text(e, "before"), *after = doc_text(e, "after");
		rc |= buf_printf(o, "<li><time datetime=\"%s\">%s</time> <strong>", nz(date), fmt_date(b->a, date));
		rc |= esc(o, doc_text(e, "item"));
		rc |= buf_puts(o, "</strong>");
		if (before || after) {
			rc |= buf_puts(o, "<br>변경 전: ");
			rc |= esc(o, before ? before : "-");
			rc |= buf_puts(o, "<br>변경 후: ");
			rc |= esc(o, after ? after : "-");
		}
		if (doc_text(e, "reason")) {
			rc |= buf_puts(o, "<br>사유: ");
			rc |= esc(o, doc_text(e, "reason"));
		}
		rc |= buf_puts(o, "</li>\n");
	}
	return rc | buf_puts(o, "</ol>\n");
}

static int crumbs(build_t *b, buf_t *o, const char *root, const doc_node_t *doc)
{
	group_t *dg = group_of(b->depts, b->nd, doc_text(doc, "department"));
	int rc = buf_printf(o, "<nav aria-label=\"현재 위치\" class=\"crumbs\"><a href=\"%sindex.html\">공약 목록</a>", root);
	if (dg) {
		rc |= buf_printf(o, " › <a href=\"%s%s\">", root, dg->file);
		rc |= esc(o, dg->name);
		rc |= buf_puts(o, "</a>");
	}
	return rc | buf_puts(o, "</nav>\n");
}

static int card(build_t *b, buf_t *o, const doc_node_t *doc)
{
	report_t r;
	if (report_pledge(&r, b->a, doc))
		return -1;
	return render_html_body(&r, o) ? -1 : 0;
}

static int pledge_pages(build_t *b, const doc_node_t *doc)
{
	const char *code = nz(doc_text(doc, "code")), *fcode = site_file_name(b->a, code);
	const char *path = pledge_file(b, doc);
	buf_t *o = fcode ? page_begin(b, path, arena_printf(b->a, "%s (%s)", nz(doc_text(doc, "title")), code)) : NULL;
	if (!o)
		return -1;
	int rc = crumbs(b, o, "../", doc);
	rc |= card(b, o, doc);
	rc |= timeline(b, o, doc);
	/* the earlier rounds' approved cards, newest first */
	rc |= buf_puts(o, "<h2 id=\"rounds\">보고 이력 (회차별 승인본)</h2>\n");
	size_t listed = 0;
	for (size_t k = b->s->nrounds; k-- > 0 && !rc;) {
		const site_round_t *rd = &b->s->rounds[k];
		for (size_t i = 0; i < rd->n; i++) {
			if (strcmp(nz(doc_text(rd->docs[i], "code")), code))
				continue;
			const char *rfile = arena_printf(b->a, "pledge/%s/%s.html", fcode, site_file_name(b->a, rd->name));
			rc |= buf_puts(o, listed ? "" : "<ul>\n");
			rc |= buf_printf(o, "<li><a href=\"%s/%s.html\">%s 보고</a> (기준일 %s)</li>\n", fcode,
					 site_file_name(b->a, rd->name), fmt_round(b->a, rd->name), fmt_date(b->a, rd->as_of));
			listed++;
			const doc_node_t *old = rd->docs[i];
			buf_t *ro = page_begin(b, rfile, arena_printf(b->a, "%s (%s) %s 보고", nz(doc_text(old, "title")), code,
								      fmt_round(b->a, rd->name)));
			if (!ro)
				return -1;
			rc |= crumbs(b, ro, "../../", old);
			rc |= buf_printf(ro, "<p class=\"note\">%s 보고에서 승인된 카드입니다. <a href=\"../%s.html\">최신 승인본 보기</a></p>\n",
					 fmt_round(b->a, rd->name), fcode);
			rc |= card(b, ro, old);
			rc |= page_end(b, ro, rfile, doc_text(old, "as_of"), false);
			break;
		}
	}
	rc |= buf_puts(o, listed ? "</ul>\n" : "<p>회차별 승인본이 없습니다.</p>\n");
	rc |= buf_printf(o, "<h2 id=\"data\">데이터</h2>\n<ul><li><a href=\"%sdata/pledge/%s.json\">이 공약의 JSON</a></li>"
			    "<li><a href=\"%sdata/index.html\">공개 데이터 전체와 항목 설명</a></li></ul>\n",
			 root_of(path), fcode, root_of(path));
	rc |= page_end(b, o, path, doc_text(doc, "as_of"), false);

	buf_t *j = file_new(b, arena_printf(b->a, "data/pledge/%s.json", fcode));
	return rc || !j || doc_write_json(j, doc, 2) ? -1 : 0;
}

/* ------------------------------------------------------------ dashboard, data */

static int dashboard_page(build_t *b)
{
	const char *path = "dashboard.html";
	buf_t *o = page_begin(b, path, "이행 현황");
	if (!o)
		return -1;
	int rc = dashboard_body(&b->s->city, o);
	return rc | page_end(b, o, path, b->as_of, false);
}

static const struct {
	const char *col, *meaning;
} csv_columns[] = {
	{ "코드", "공약의 고유 코드 (예: SW7-GOV-01)" },
	{ "공약명", "공약의 이름" },
	{ "정책분야", "공약이 속한 정책분야 (없으면 빈칸)" },
	{ "담당부서", "공약을 맡은 부서" },
	{ "상태", "정상추진, 완료, 완료지속추진, 일부추진, 지연, 보류, 폐기, 미착수 가운데 하나" },
	{ "진도율(%)", "부서가 보고한 전체 진도율" },
	{ "목표연월", "완료 목표 연월 (YYYY-MM)" },
	{ "기준일", "카드가 보고하는 날짜 (YYYY-MM-DD)" },
	{ "기한경과", "목표연월이 지났는데 완료되지 않았으면 Y" },
	{ "부진 사유", "부진(진도율이 기간에 비해 뒤처짐)으로 판정된 공약의 사유; 아니면 빈칸" },
	{ "예산단위", "금액의 단위 (백만원)" },
	{ "소요예산(백만원)", "모든 재원과 기간의 소요예산 합계" },
	{ "기준연도", "기준일이 속한 연도" },
	{ "기준연도 예산(백만원)", "기준연도의 소요예산" },
	{ "확보 합계(백만원)", "확보한 예산의 합계 (모든 재원, 모든 기간)" },
	{ "집행 합계(백만원)", "집행한 예산의 합계" },
	{ "계획 합계(백만원)", "앞으로의 기간에 계획된 예산의 합계" },
	{ "집행률(%)", "집행 합계 ÷ 확보 합계" },
};

static const struct {
	const char *key, *meaning;
} json_fields[] = {
	{ "code, title, term, category", "공약의 코드, 이름, 민선 기수, 구분 (약속, 공약 등)" },
	{ "department, area", "담당부서와 정책분야" },
	{ "status, progress_pct, target_month", "상태 코드 (in_progress, completed, completed_ongoing, partial, delayed, "
						"on_hold, dropped, not_started), 진도율, 목표연월" },
	{ "as_of, reporting_from", "기준일과 보고가 시작된 연월" },
	{ "version, updated_at", "이 승인본의 판 번호와 기록된 시각 (UTC)" },
	{ "overview", "1. 사업개요: 기간, 목표, 주요내용" },
	{ "budget", "2. 소요예산: 단위, 기간, 재원별(national 국비, provincial 도비, city 시비, private 민간자본, "
		    "other 기타) 기투자(prior)와 기간별 확보(secured)·집행(executed)·계획(planned)" },
	{ "indicator_sets", "3. 성과지표: 기간별 목표(targets)와 실적(actuals), 누적 추진율" },
	{ "progress", "4. 추진실적: 성과지표별 추진내용과 일자" },
	{ "changes", "5. 사업변경내역: 일자, 항목, 변경 전·후, 사유, 위원회 심의" },
	{ "evaluations", "6. 평가 지적사항과 조치결과" },
	{ "problems, plans", "문제점과 향후 계획" },
	{ "officials", "정책실명제: 카드에 이름이 오른 담당 공무원 (부서, 직위, 이름, 전화)" },
	{ "derived", "서버가 계산한 값: 소요예산 합계, 기준연도 예산, 집행률, 기한경과 여부 등" },
};

static int data_page(build_t *b)
{
	const char *path = "data/index.html";
	buf_t *o = page_begin(b, path, "공개 데이터");
	if (!o)
		return -1;
	int rc = buf_puts(o, "<h1>공개 데이터</h1>\n<p>이 사이트에 실린 승인된 공약 카드 전체를 내려받을 수 있습니다. "
			  "어느 파일이든 manifest.json에 크기와 SHA-256이 적혀 있고, 그 목록에 시의 전자서명이 있습니다.</p>\n"
			  "<ul>\n<li><a href=\"pledges.csv\">pledges.csv</a>: 공약마다 한 줄 (UTF-8, BOM 포함, 엑셀에서 바로 열림)</li>\n"
			  "<li><a href=\"pledges.xlsx\">pledges.xlsx</a>: 요약, 공약, 예산, 성과지표, 추진현황 시트</li>\n"
			  "<li><a href=\"pledges.json\">pledges.json</a>: 모든 공약 카드 (아래 항목)</li>\n"
			  "<li>공약별 JSON: data/pledge/코드.json (각 공약 쪽의 ‘데이터’에서 연결)</li>\n"
			  "<li><a href=\"");
	rc |= buf_puts(o, root_of(path));
	rc |= buf_puts(o, "feed.atom\">feed.atom</a>: 승인된 변경, 완료, 새로 승인된 보고 회차</li>\n</ul>\n"
			  "<h2>pledges.csv의 열</h2>\n");
	rc |= html_table_open(o, "pledges.csv의 열");
	rc |= buf_puts(o, "<thead><tr><th scope=\"col\">열</th><th scope=\"col\">뜻</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < sizeof(csv_columns) / sizeof(csv_columns[0]); i++)
		rc |= buf_printf(o, "<tr><th scope=\"row\">%s</th><td>%s</td></tr>\n", csv_columns[i].col, csv_columns[i].meaning);
	rc |= buf_puts(o, "</tbody>");
	rc |= html_table_close(o);
	rc |= buf_puts(o, "<h2>JSON의 항목</h2>\n<p>pledges.json은 공약 카드의 배열이고, 공약별 JSON은 카드 하나입니다. "
			  "카드의 번호(1.~6.)는 인쇄된 카드의 절입니다. 계정 이름(작성자, 승인자의 로그인)은 싣지 않습니다.</p>\n");
	rc |= html_table_open(o, "JSON의 항목");
	rc |= buf_puts(o, "<thead><tr><th scope=\"col\">항목</th><th scope=\"col\">뜻</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < sizeof(json_fields) / sizeof(json_fields[0]); i++)
		rc |= buf_printf(o, "<tr><th scope=\"row\"><code>%s</code></th><td>%s</td></tr>\n", json_fields[i].key,
				 json_fields[i].meaning);
	rc |= buf_puts(o, "</tbody>");
	rc |= html_table_close(o);
	rc |= buf_puts(o, "<h2>낱말</h2>\n<dl><dt>지연</dt><dd>부서가 보고한 상태가 ‘지연’인 공약</dd>"
			  "<dt>부진</dt><dd>기간에 비해 진도율이 뒤처진 것으로 판정된 공약</dd>"
			  "<dt>기한경과</dt><dd>목표연월이 지났는데 완료되지 않은 공약</dd></dl>\n");
	return rc | page_end(b, o, path, NULL, false);
}

static int open_data(build_t *b)
{
	buf_t *csv = file_new(b, "data/pledges.csv");
	if (!csv || city_csv(&b->s->city, csv))
		return -1;
	buf_t *json = file_new(b, "data/pledges.json");
	if (!json || city_json(&b->s->city, json))
		return -1;
	buf_t *xlsx = file_new(b, "data/pledges.xlsx");
	return !xlsx || city_xlsx(&b->s->city, xlsx) ? -1 : 0;
}

/* ------------------------------------------------------------ feed, sitemap, 404 */

typedef struct {
	const char *date;     /* YYYY-MM-DD */
	const char *id;       /* unique within the feed, stable between publishes */
	const char *title;
	const char *link;     /* site path */
	const char *summary;
} entry_t;

static int by_newest(const void *x, const void *y)
{
	const entry_t *a = x, *b = y;
	int c = strcmp(b->date, a->date);
	return c ? c : strcmp(a->id, b->id);
}

static const char *absolute(build_t *b, const char *path)
{
	return b->s->base_url ? arena_printf(b->a, "%s%s", b->s->base_url, path) : path;
}

/* The day a pledge was first approved as complete: the earliest round in
 * which its approved card says so. */
static const char *completed_on(build_t *b, const doc_node_t *doc)
{
	for (size_t k = 0; k < b->s->nrounds; k++)
		for (size_t i = 0; i < b->s->rounds[k].n; i++)
			if (!strcmp(nz(doc_text(b->s->rounds[k].docs[i], "code")), nz(doc_text(doc, "code"))) &&
			    city_completed(b->s->rounds[k].docs[i]))
				return b->s->rounds[k].as_of;
	return doc_text(doc, "as_of");
}

static int feed(build_t *b)
{
	size_t cap = b->s->nrounds + b->s->city.n;
	for (size_t i = 0; i < b->s->city.n; i++)
		cap += doc_count(doc_field(b->s->city.docs[i], "changes"));
	entry_t *e = arena_calloc(b->a, sizeof(*e) * (cap ? cap : 1));
	size_t n = 0;
	if (!e)
		return -1;
	for (size_t k = 0; k < b->s->nrounds; k++) {
		const site_round_t *rd = &b->s->rounds[k];
		if (!rd->n || !rd->as_of)
			continue;
		e[n++] = (entry_t){ rd->as_of, arena_printf(b->a, "round/%s", rd->name),
				    arena_printf(b->a, "%s 보고 승인 (%zu건)", fmt_round(b->a, rd->name), rd->n), "index.html",
				    arena_printf(b->a, "%s 보고(기준일 %s)의 공약 카드 %zu건이 승인되었습니다.", fmt_round(b->a, rd->name),
						 fmt_date(b->a, rd->as_of), rd->n) };
	}
	for (size_t i = 0; i < b->s->city.n; i++) {
		const doc_node_t *d = b->s->city.docs[i];
		const char *code = nz(doc_text(d, "code")), *title = nz(doc_text(d, "title"));
		const char *when = city_completed(d) ? completed_on(b, d) : NULL;
		if (when)
			e[n++] = (entry_t){ when, arena_printf(b->a, "completed/%s", code),
					    arena_printf(b->a, "완료: %s (%s)", title, code), pledge_file(b, d),
					    arena_printf(b->a, "%s 공약이 %s(으)로 보고되어 승인되었습니다.", title,
							 status_word(doc_text(d, "status"))) };
		const doc_node_t *ch = doc_field(d, "changes");
		for (size_t k = 0; k < doc_count(ch); k++) {
			const char *date = doc_text(ch->items[k], "date");
			if (!date)
				continue;
			e[n++] = (entry_t){ date, arena_printf(b->a, "change/%s/%zu", code, k + 1),
					    arena_printf(b->a, "사업변경: %s — %s", title, nz(doc_text(ch->items[k], "item"))),
					    arena_printf(b->a, "%s#changes", pledge_file(b, d)),
					    arena_printf(b->a, "변경 전: %s / 변경 후: %s / 사유: %s",
							 nz(doc_text(ch->items[k], "before")), nz(doc_text(ch->items[k], "after")),
							 nz(doc_text(ch->items[k], "reason"))) };
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!e[i].id || !e[i].title || !e[i].link || !e[i].summary)
			return -1;
	qsort(e, n, sizeof(*e), by_newest);
	buf_t *o = file_new(b, "feed.atom");
	if (!o)
		return -1;
	const char *updated = n ? e[0].date : (*b->as_of ? b->as_of : "1970-01-01");
	int rc = buf_puts(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ko\">\n<title>");
	rc |= xml_escape(o, b->s->city.city);
	rc |= buf_puts(o, " 공약 이행 소식</title>\n<id>");
	rc |= xml_escape(o, b->s->base_url ? b->s->base_url : "urn:yaksok:site");
	rc |= buf_printf(o, "</id>\n<updated>%sT00:00:00+09:00</updated>\n<author><name>", updated);
	rc |= xml_escape(o, b->s->city.city);
	rc |= buf_puts(o, "</name></author>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	rc |= xml_escape(o, absolute(b, "index.html"));
	rc |= buf_puts(o, "\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	rc |= xml_escape(o, absolute(b, "feed.atom"));
	rc |= buf_puts(o, "\"/>\n");
	for (size_t i = 0; i < n && i < FEED_ENTRIES; i++) {
		rc |= buf_puts(o, "<entry>\n<id>");
		rc |= xml_escape(o, b->s->base_url ? absolute(b, arena_printf(b->a, "feed.atom#%s", e[i].id))
						   : arena_printf(b->a, "urn:yaksok:%s", e[i].id));
		rc |= buf_puts(o, "</id>\n<title>");
		rc |= xml_escape(o, e[i].title);
		rc |= buf_printf(o, "</title>\n<updated>%sT00:00:00+09:00</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"",
				 e[i].date);
		rc |= xml_escape(o, absolute(b, e[i].link));
		rc |= buf_puts(o, "\"/>\n<summary>");
		rc |= xml_escape(o, e[i].summary);
		rc |= buf_puts(o, "</summary>\n</entry>\n");
	}
	return rc | buf_puts(o, "</feed>\n");
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const site_file_t *)x)->path, ((const site_file_t *)y)->path);
}

static int sitemap(build_t *b)
{
	/* every page but the one for missing pages, in path order */
	qsort(b->s->files, b->s->nfiles, sizeof(*b->s->files), by_path);
	size_t pages = b->s->nfiles;
	buf_t *o = file_new(b, "sitemap.xml");
	if (!o)
		return -1;
	int rc = buf_puts(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t i = 0; i < pages; i++) {
		const char *p = b->s->files[i].path;
		size_t len = strlen(p);
		if (len < 5 || strcmp(p + len - 5, ".html") || !strcmp(p, "404.html"))
			continue;
		rc |= buf_puts(o, "<url><loc>");
		rc |= xml_escape(o, absolute(b, p));
		rc |= buf_puts(o, "</loc></url>\n");
	}
	return rc | buf_puts(o, "</urlset>\n");
}

static int not_found(build_t *b)
{
	/* served for any missing address: links from the site's root */
	const char *path = "404.html";
	buf_t *o = page_begin(b, path, "페이지를 찾을 수 없습니다");
	if (!o)
		return -1;
	const char *home = b->s->base_url ? b->s->base_url : "";
	int rc = buf_puts(o, "<h1>페이지를 찾을 수 없습니다</h1>\n<p>주소가 바뀌었거나 없는 페이지입니다. <a href=\"");
	rc |= esc(o, home);
	rc |= buf_puts(o, "index.html\">공약 목록</a>에서 찾아 주십시오.</p>\n");
	return rc | page_end(b, o, path, NULL, false);
}

/* ------------------------------------------------------------ assets */

static const char site_css[] =
	".skip{position:absolute;left:-999em;top:0}.skip:focus{left:1em;top:1em;background:#fff;padding:.5em 1em;"
	"z-index:10;border:2px solid #1a5fb4}"
	"body{padding:0 1em;margin-top:0}"
	"a{color:#0b4f9c}a:hover{color:#062f5e}"
	"a:focus-visible,input:focus-visible,select:focus-visible,[tabindex]:focus-visible{outline:3px solid #1a5fb4;"
	"outline-offset:2px}"
	"header.site{border-bottom:1px solid #ccc;margin-bottom:1em;padding-top:.6em}header.site .name{font-weight:700;"
	"margin:0}header.site .name a{color:#111;text-decoration:none}"
	"nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.3em 1.2em;padding:0;margin:.4em 0}"
	"footer.site{border-top:1px solid #ccc;margin-top:2em;font-size:.9em;color:#333}"
	".facets{display:flex;flex-wrap:wrap;gap:0 2.5em}.facets h2{font-size:1em;margin:.6em 0 .2em}"
	".facets ul{display:block}.facets li{display:inline-block;margin-right:1em}"
	"[aria-current=page]{font-weight:700;color:#111}"
	".filters{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:flex-end;margin:.6em 0}"
	".filters label{display:block;font-size:.9em;font-weight:600}"
	".filters input,.filters select{font:inherit;padding:.25em .4em;border:1px solid #555;border-radius:3px;max-width:100%}"
	".kind{font-weight:400;font-size:.8em;color:#333}"
	".crumbs{margin:.5em 0;font-size:.92em}.note{background:#fff6d5;border-left:4px solid #8a6d00;padding:.4em .8em}"
	".timeline{list-style:none;border-left:3px solid #2f5d8a;padding-left:1em;margin-left:.4em}"
	".timeline li{margin:.2em 0 .9em}.timeline time{font-weight:700;margin-right:.5em}"
	"[hidden]{display:none!important}"
	/* on a phone a table keeps a readable width and scrolls in its box */
	"@media (max-width:40em){body{padding:0 .6em;margin:0}h1{font-size:1.25em}.scroll table{min-width:34em}"
	".scroll th,.scroll td{overflow-wrap:normal}}"
	"@media print{header.site nav,.skip,.filters,.facets{display:none}a{color:#111;text-decoration:none}}";

/* Filters and search on the list, in place; the form is there (hidden) in
 * the page, so that without this script nothing is half-shown. */
static const char site_js[] =
	"(function () {\n"
	"  'use strict';\n"
	"  var form = document.getElementById('filters');\n"
	"  var body = document.getElementById('pledges');\n"
	"  var count = document.getElementById('count');\n"
	"  if (!form || !body || !count) return;\n"
	"  var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.hasAttribute('data-status'); });\n"
	"  var norm = function (s) { return (s || '').normalize('NFC').toLowerCase(); };\n"
	"  var text = rows.map(function (r) { return norm(r.textContent); });\n"
	"  var f = form.elements;\n"
	"  function apply() {\n"
	"    var q = norm(f.q.value.trim()), n = 0;\n"
	"    rows.forEach(function (r, i) {\n"
	"      var show = (!f.status.value || r.getAttribute('data-status') === f.status.value) &&\n"
	"        (!f.dept.value || r.getAttribute('data-dept') === f.dept.value) &&\n"
	"        (!f.area.value || r.getAttribute('data-area') === f.area.value) &&\n"
	"        (!q || text[i].indexOf(q) >= 0);\n"
	"      r.hidden = !show;\n"
	"      if (show) n++;\n"
	"    });\n"
	"    count.textContent = n + '건';\n"
	"  }\n"
	"  form.addEventListener('input', apply);\n"
	"  form.addEventListener('change', apply);\n"
	"  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });\n"
	"  form.hidden = false;\n"
	"  apply();\n"
	"})();\n";

static int assets(build_t *b)
{
	buf_t *css = file_new(b, "assets/site.css");
	buf_t *js = file_new(b, "assets/site.js");
	if (!css || !js)
		return -1;
	return buf_puts(css, html_style) | buf_puts(css, dashboard_style) | buf_puts(css, site_css) | buf_puts(css, "\n") |
	       buf_puts(js, site_js);
}

/* ------------------------------------------------------------ build */

static int by_name(const void *x, const void *y)
{
	return strcmp(((const group_t *)x)->name, ((const group_t *)y)->name);
}

/* Departments and areas, in name order, with their figures. */
static int groups(build_t *b, const char *key, const char *folder, group_t **out, size_t *nout)
{
	size_t n = 0, max = b->s->city.n ? b->s->city.n : 1;
	group_t *g = arena_calloc(b->a, sizeof(*g) * max);
	if (!g)
		return -1;
	for (size_t i = 0; i < b->s->city.n; i++) {
		const doc_node_t *d = b->s->city.docs[i];
		group_t *x = group_of(g, n, doc_text(d, key));
		if (!x) {
			x = &g[n++];
			x->name = nz(doc_text(d, key));
		}
		x->pledges++;
		x->completed += city_completed(d);
		x->overdue += city_overdue(d);
		int64_t p = 0;
		if (doc_text(d, "progress_pct"))
			dec_parse(doc_text(d, "progress_pct"), &p);
		x->progress_sum += p;
	}
	qsort(g, n, sizeof(*g), by_name);
	for (size_t k = 0; k < n; k++)
		if (!(g[k].file = arena_printf(b->a, "%s/%03zu.html", folder, k + 1)))
			return -1;
	*out = g;
	*nout = n;
	return 0;
}

int site_build(site_t *s)
{
	build_t b = { .s = s, .a = s->city.a, .as_of = city_as_of(&s->city) };
	if (groups(&b, "department", "dept", &b.depts, &b.nd) || groups(&b, "area", "area", &b.areas, &b.na))
		return -1;
	int rc = index_page(&b) | status_pages(&b) | dashboard_page(&b) | data_page(&b) | open_data(&b) | assets(&b);
	for (size_t k = 0; k < b.nd && !rc; k++)
		rc |= group_page(&b, &b.depts[k], "담당부서", in_dept);
	for (size_t k = 0; k < b.na && !rc; k++)
		rc |= group_page(&b, &b.areas[k], "정책분야", in_area);
	for (size_t i = 0; i < s->city.n && !rc; i++)
		rc |= pledge_pages(&b, s->city.docs[i]);
	rc = rc ? rc : feed(&b) | not_found(&b);
	rc = rc ? rc : sitemap(&b);
	if (rc)
		return -1;
	qsort(s->files, s->nfiles, sizeof(*s->files), by_path);
	/* two pledges whose codes make the same file name would overwrite */
	for (size_t i = 1; i < s->nfiles; i++)
		if (!strcmp(s->files[i - 1].path, s->files[i].path)) {
			fprintf(stderr, "yaksok: two pages would be %s\n", s->files[i].path);
			return -1;
		}
	return 0;
}
