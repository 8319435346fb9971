#include "pledge_check.h"

#include <regex.h>
#include <string.h>

#include "text.h"

void pledge_normalize(arena_t *a, doc_node_t *n, const char *path, viol_list_t *v)
{
	switch (n->type) {
	case DOC_STR: {
		const char *why = text_problem(n->s, n->len);
		if (why) {
			viol_add(v, path, "%s", why);
			return;
		}
		char *nfc = text_nfc(a, n->s, n->len);
		if (!nfc) {
			v->oom = 1;
			return;
		}
		n->s = nfc;
		n->len = strlen(nfc);
		return;
	}
	case DOC_SEQ:
		for (size_t i = 0; i < n->n; i++)
			pledge_normalize(a, n->items[i], path_index(a, path, i), v);
		return;
	case DOC_MAP:
		for (size_t i = 0; i < n->n; i++) {
			const char *p = path_key(a, path, n->keys[i]);
			const char *why = text_problem(n->keys[i], strlen(n->keys[i]));
			if (why) {
				viol_add(v, p, "key: %s", why);
				continue;
			}
			char *k = text_nfc(a, n->keys[i], strlen(n->keys[i]));
			if (k)
				n->keys[i] = k;
			pledge_normalize(a, n->items[i], p, v);
		}
		return;
	default:
		return;
	}
}

static const char *str(const doc_node_t *doc, const char *key)
{
	const doc_node_t *n = doc_get(doc, key);
	return n && n->type == DOC_STR ? n->s : NULL;
}

static bool matches(const char *s, const char *re)
{
	regex_t rx;
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
		return false;
	bool ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

void pledge_check(arena_t *a, const doc_node_t *doc, viol_list_t *v)
{
	(void)a;
	const char *schema = str(doc, "schema");
	if (!schema)
		viol_add(v, "schema", "is required (yaksok/pledge/v1)");
	else if (strcmp(schema, "yaksok/pledge/v1"))
		viol_add(v, "schema", "must be yaksok/pledge/v1, not \"%s\"", schema);
	const char *code = str(doc, "code");
	if (!code)
		viol_add(v, "code", "is required");
	else if (!matches(code, "^[A-Z0-9-]{2,32}$"))
		viol_add(v, "code", "\"%s\" must be 2 to 32 of A-Z, 0-9 and -", code);
	static const char *const required[] = { "title", "department", "status" };
	for (size_t i = 0; i < 3; i++) {
		const char *s = str(doc, required[i]);
		if (!s || !*s)
			viol_add(v, required[i], "is required");
	}
	if (!doc_get(doc, "progress_pct"))
		viol_add(v, "progress_pct", "is required");
}
