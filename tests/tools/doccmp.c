/* doccmp [--nfc] EXPECTED ACTUAL [KEY]...: compare two pledge documents (YAML
 * or JSON) as trees, the way the document contract does (doc_equal), leaving
 * out the read-only fields the server adds and any top-level KEY given.
 * --nfc normalises EXPECTED's text to NFC first (ACTUAL must already be).
 * Prints every difference with its path; exit 0 when equal, 1 when not, 2 on
 * a usage or read error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "text.h"

static void nfc(arena_t *a, doc_node_t *n)
{
	if (n->type == DOC_STR) {
		n->s = text_nfc(a, n->s, n->len);
		n->len = strlen(n->s);
	}
	for (size_t i = 0; (n->type == DOC_SEQ || n->type == DOC_MAP) && i < n->n; i++) {
		if (n->type == DOC_MAP)
			n->keys[i] = text_nfc(a, n->keys[i], strlen(n->keys[i]));
		nfc(a, n->items[i]);
	}
}

static doc_node_t *load(arena_t *a, const char *path)
{
	const char *err = NULL;
	doc_node_t *d = doc_read_file(a, path, &err);
	if (!d)
		fprintf(stderr, "%s: %s\n", path, err);
	return d;
}

int main(int argc, char **argv)
{
	bool want_nfc = argc > 1 && !strcmp(argv[1], "--nfc");
	if (want_nfc) {
		argv++;
		argc--;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: doccmp [--nfc] EXPECTED ACTUAL [KEY-TO-IGNORE]...\n");
		return 2;
	}
	arena_t *a = arena_new(0);
	doc_node_t *x = load(a, argv[1]), *y = load(a, argv[2]);
	if (!x || !y) {
		arena_free(a);
		return 2;
	}
	if (want_nfc)
		nfc(a, x);
	static const char *const readonly[] = { "version", "updated_at", "updated_by", "derived" };
	for (size_t i = 0; i < 4; i++) {
		doc_del(x, readonly[i]);
		doc_del(y, readonly[i]);
	}
	for (int i = 3; i < argc; i++) {
		doc_del(x, argv[i]);
		doc_del(y, argv[i]);
	}
	viol_list_t v;
	viol_init(&v, a);
	bool same = doc_equal(x, y, "", &v);
	for (size_t i = 0; i < v.n; i++)
		printf("%s: %s\n", v.items[i].path, v.items[i].problem);
	arena_free(a);
	return same ? 0 : 1;
}
