#include "change_card.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "derived.h"
#include "period.h"
#include "terms.h"

static const char *or_none(const char *s)
{
	return s && *s ? s : "없음";
}

static const char *month_text(arena_t *a, const doc_node_t *doc)
{
	const char *m = doc_text(doc, "target_month");
	int y, mo;
	if (m && strlen(m) == 7 && sscanf(m, "%4d-%2d", &y, &mo) == 2)
		return arena_printf(a, "%d.%02d.", y, mo);
	return or_none(m);
}

static const char *contents_text(arena_t *a, const doc_node_t *doc)
{
	const doc_node_t *c = doc_get(doc_get(doc, "overview"), "contents");
	buf_t b = BUF_INIT;
	int err = 0;
	for (size_t i = 0; c && c->type == DOC_SEQ && i < c->n; i++)
		if (c->items[i]->type == DOC_STR)
			err |= buf_printf(&b, "%s%s", b.len ? " / " : "", c->items[i]->s);
	const char *out = err ? NULL : b.len ? arena_strndup(a, b.data, b.len) : "없음";
	buf_free(&b);
	return out;
}

static const char *value_text(const doc_node_t *v)
{
	return v && (v->type == DOC_STR || v->type == DOC_NUM) ? v->s : "-";
}

/* The plan of the indicator sets: periods, basis, names, units, targets —
 * not the actuals a department reports each quarter. */
static const char *indicators_text(arena_t *a, const doc_node_t *doc)
{
	const doc_node_t *sets = doc_get(doc, "indicator_sets");
	buf_t b = BUF_INIT;
	int err = 0;
	for (size_t s = 0; sets && sets->type == DOC_SEQ && s < sets->n; s++) {
		const doc_node_t *set = sets->items[s];
		const doc_node_t *periods = doc_get(set, "periods");
		err |= buf_printf(&b, "%s[", b.len ? "; " : "");
		for (size_t k = 0; periods && periods->type == DOC_SEQ && k < periods->n; k++)
			err |= buf_printf(&b, "%s%s", k ? "·" : "", value_text(periods->items[k]));
		const char *basis = doc_text(set, "basis");
		err |= buf_printf(&b, "%s] ", basis && !strcmp(basis, "changed") ? " 변경" : "");
		const doc_node_t *inds = doc_get(set, "indicators");
		for (size_t i = 0; inds && inds->type == DOC_SEQ && i < inds->n; i++) {
			const doc_node_t *ind = inds->items[i];
			const char *unit = doc_text(ind, "unit");
			err |= buf_printf(&b, "%s%s", i ? ", " : "", or_none(doc_text(ind, "name")));
			if (unit && *unit)
				err |= buf_printf(&b, "(%s)", unit);
			const doc_node_t *t = doc_get(ind, "targets");
			for (size_t k = 0; t && t->type == DOC_MAP && k < t->n; k++)
				err |= buf_printf(&b, " %s %s", t->keys[k], value_text(t->items[k]));
		}
	}
	const char *out = err ? NULL : b.len ? arena_strndup(a, b.data, b.len) : "없음";
	buf_free(&b);
	return out;
}

static const char *budget_text(arena_t *a, doc_node_t *doc)
{
	if (!doc_get(doc, "derived") && derived_add(a, doc, day_today()))
		return NULL;
	const doc_node_t *all = doc_get(doc_get(doc_get(doc, "derived"), "budget_total"), "all");
	const char *unit = doc_text(doc_get(doc, "budget"), "unit");
	return arena_printf(a, "%s%s", value_text(all), unit ? unit : "");
}

static int add(arena_t *a, doc_node_t *out, const char *item, const char *before, const char *after)
{
	if (!before || !after)
		return YK_ENOMEM;
	if (!strcmp(before, after))
		return 0;
	doc_node_t *m = doc_new(a, DOC_MAP);
	if (!m || doc_set(a, m, "item", doc_str(a, item, strlen(item))) ||
	    doc_set(a, m, "before", doc_str(a, before, strlen(before))) ||
	    doc_set(a, m, "after", doc_str(a, after, strlen(after))) || doc_push(a, out, m))
		return YK_ENOMEM;
	return 0;
}

int change_card(arena_t *a, doc_node_t *before, doc_node_t *after, doc_node_t *out)
{
	if (add(a, out, "목표연월", month_text(a, before), month_text(a, after)) ||
	    add(a, out, "추진상태", status_word(doc_text(before, "status")), status_word(doc_text(after, "status"))) ||
	    add(a, out, "사업내용", contents_text(a, before), contents_text(a, after)) ||
	    add(a, out, "성과지표", indicators_text(a, before), indicators_text(a, after)) ||
	    add(a, out, "소요예산", budget_text(a, before), budget_text(a, after)))
		return YK_ENOMEM;
	return 0;
}

typedef struct {
	arena_t *a;
	doc_node_t *out;
	size_t max;
	int err;
} fields_t;

static void on_field(void *arg, const char *path, const doc_node_t *old, const doc_node_t *new_)
{
	fields_t *f = arg;
	static const char *const server_owned[] = { "version", "updated_at", "updated_by", "derived" };
	for (size_t i = 0; i < 4; i++)
		if (!strncmp(path, server_owned[i], strlen(server_owned[i])) &&
		    (path[strlen(server_owned[i])] == 0 || path[strlen(server_owned[i])] == '.'))
			return;
	if (f->out->n > f->max)
		return;
	const char *line = f->out->n == f->max ? "…" : doc_diff_line(f->a, path, old, new_);
	if (!line || doc_push(f->a, f->out, doc_str(f->a, line, strlen(line))))
		f->err = YK_ENOMEM;
}

int change_fields(arena_t *a, const doc_node_t *before, const doc_node_t *after, size_t max, doc_node_t *out)
{
	fields_t f = { a, out, max, 0 };
	doc_diff(a, before, after, "", on_field, &f);
	return f.err;
}
