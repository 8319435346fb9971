/* docedit FILE [PATH=JSON | PATH=-]... : print FILE (YAML or JSON) as JSON
 * after setting each PATH to a JSON value, or deleting it with "-".  Paths
 * are keys joined by dots with [i] for list items (budget.periods[1],
 * budget.sources.city.amounts.2019.executed).  Tests use it to make one bad
 * document after another from a good one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"

static doc_node_t *load(arena_t *a, const char *path)
{
	const char *err = NULL;
	doc_node_t *d = doc_read_file(a, path, &err);
	if (!d)
		fprintf(stderr, "%s: %s\n", path, err);
	return d;
}

/* Walk to the parent of the last step; create maps on the way. */
static int edit(arena_t *a, doc_node_t *root, char *path, doc_node_t *val)
{
	doc_node_t *cur = root;
	char *p = path;
	for (;;) {
		char key[256];
		long index = -1;
		size_t k = 0;
		if (*p == '[') {
			index = strtol(p + 1, &p, 10);
			if (*p++ != ']')
				return -1;
		} else {
			while (*p && *p != '.' && *p != '[' && k < sizeof(key) - 1)
				key[k++] = *p++;
			key[k] = '\0';
		}
		if (*p == '.')
			p++;
		bool last = *p == '\0';
		if (index >= 0) {
			if (cur->type != DOC_SEQ || (size_t)index > cur->n)
				return -1;
			if (last) {
				if (!val) {
					memmove(cur->items + index, cur->items + index + 1,
						(cur->n - (size_t)index - 1) * sizeof(*cur->items));
					cur->n--;
				} else if ((size_t)index == cur->n) {
					return doc_push(a, cur, val);
				} else {
					cur->items[index] = val;
				}
				return 0;
			}
			cur = cur->items[index];
			continue;
		}
		if (cur->type != DOC_MAP)
			return -1;
		if (last) {
			doc_del(cur, key);
			return val ? doc_set(a, cur, key, val) : 0;
		}
		doc_node_t *next = (doc_node_t *)doc_get(cur, key);
		if (!next) {
			next = doc_new(a, *p == '[' ? DOC_SEQ : DOC_MAP);
			if (!next || doc_set(a, cur, key, next))
				return -1;
		}
		cur = next;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: docedit FILE [PATH=JSON|PATH=-]...\n");
		return 2;
	}
	arena_t *a = arena_new(0);
	doc_node_t *d = load(a, argv[1]);
	int rc = 2;
	if (!d)
		goto out;
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) {
			fprintf(stderr, "docedit: %s: expected PATH=JSON\n", argv[i]);
			goto out;
		}
		*eq = '\0';
		doc_node_t *val = NULL;
		if (strcmp(eq + 1, "-")) {
			const char *err = NULL;
			val = doc_parse_json(a, eq + 1, strlen(eq + 1), &err);
			if (!val) {
				fprintf(stderr, "docedit: %s: %s\n", eq + 1, err);
				goto out;
			}
		}
		if (edit(a, d, argv[i], val)) {
			fprintf(stderr, "docedit: cannot edit %s\n", argv[i]);
			goto out;
		}
	}
	buf_t b = BUF_INIT;
	rc = doc_write_json(&b, d, 2) ? 1 : 0;
	if (!rc)
		fputs(b.data, stdout);
	buf_free(&b);
out:
	arena_free(a);
	return rc;
}
