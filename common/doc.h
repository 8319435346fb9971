/* The document tree: what a YAML or JSON pledge document is once parsed, and
 * what get prints.  Numbers are kept as canonical decimal text ("31", "62.5",
 * "-0.25"), never as floating point, so amounts stay exact.  Maps keep their key
 * order.  Every node lives in the arena it was made from. */
#ifndef YK_DOC_H
#define YK_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "viol.h"
#include "yk_err.h"

typedef enum { DOC_NULL, DOC_BOOL, DOC_NUM, DOC_STR, DOC_SEQ, DOC_MAP } doc_type_t;

typedef struct doc_node doc_node_t;
struct doc_node {
	doc_type_t type;
	int line;              /* 1-based source line, 0 when unknown */
	bool b;                /* DOC_BOOL */
	const char *s;         /* DOC_NUM canonical text, DOC_STR bytes (NUL-terminated) */
	size_t len;            /* DOC_STR length in bytes; may cover an embedded NUL */
	size_t n, cap;         /* DOC_SEQ / DOC_MAP */
	doc_node_t **items;
	const char **keys;     /* DOC_MAP */
};

doc_node_t *doc_new(arena_t *a, doc_type_t t);
doc_node_t *doc_str(arena_t *a, const char *s, size_t len);
doc_node_t *doc_num(arena_t *a, const char *canonical);
doc_node_t *doc_bool(arena_t *a, bool b);

/* 0 or YK_ENOMEM. */
int doc_push(arena_t *a, doc_node_t *seq, doc_node_t *item);
int doc_set(arena_t *a, doc_node_t *map, const char *key, doc_node_t *val);
/* A copy of n in a (its strings too), or NULL when out of memory; with
 * `keys` (NULL-terminated), a map keeps only those keys at its top level. */
doc_node_t *doc_copy(arena_t *a, const doc_node_t *n, const char *const *keys);
const doc_node_t *doc_get(const doc_node_t *map, const char *key);
/* doc_get that takes any node (NULL when it is not a map). */
const doc_node_t *doc_field(const doc_node_t *map, const char *key);
/* The text of a string or number field, NULL otherwise. */
const char *doc_text(const doc_node_t *map, const char *key);
/* Items of a list or map; 0 for anything else or NULL. */
size_t doc_count(const doc_node_t *n);
/* The child of a map at key, made (as type) when it is missing or of
 * another type; NULL when out of memory. */
doc_node_t *doc_child(arena_t *a, doc_node_t *map, const char *key, doc_type_t type);

/* Remove a key from a map; returns true when it was there. */
bool doc_del(doc_node_t *map, const char *key);

/* The canonical form of a decimal or exponent number lexeme
 * ("+007.50" -> "7.5", "1e3" -> "1000"), or NULL when `lex` is not a number
 * or is absurdly large. */
char *doc_num_canon(arena_t *a, const char *lex, size_t len);
/* Whether a canonical number is one a document may hold: at most 15
 * significant digits and less than 10^15 in magnitude, so that every reader
 * (JSON's doubles included) gives back exactly the same number. */
#define DOC_NUM_DIGITS 15
bool doc_num_fits(const char *canon);

/* Compare two trees as the document contract does: maps by key regardless of
 * order, lists in order, numbers by value, and an absent key equal to an empty
 * value ("" , [], {}).  Differences are added to `v` with their paths
 * (may be NULL to just get the answer). */
bool doc_equal(const doc_node_t *a, const doc_node_t *b, const char *path, viol_list_t *v);

/* Every difference between two trees, at the deepest path where they differ:
 * a changed value (old and new), something added (old NULL) or removed
 * (new NULL).  Maps by key, lists item by item; an absent key and an empty
 * value are the same. */
typedef void (*doc_diff_cb)(void *arg, const char *path, const doc_node_t *old, const doc_node_t *new_);
void doc_diff(arena_t *a, const doc_node_t *x, const doc_node_t *y, const char *path, doc_diff_cb cb, void *arg);

/* A one-line description of a node: a scalar's text, a mapping's title (its
 * title, text, name, indicator, suggestion or problem field) or "{…}", a list's
 * length.  At most `max` characters. */
const char *doc_summary(arena_t *a, const doc_node_t *n, size_t max);
/* One doc_diff finding as a line: "path: old -> new", "path: + new" or
 * "path: - old" (summaries of at most 60 characters).  NULL without memory. */
const char *doc_diff_line(arena_t *a, const char *path, const doc_node_t *old, const doc_node_t *new_);

/* True for "", [], {}. */
bool doc_is_empty(const doc_node_t *n);

const char *doc_type_name(doc_type_t t);

#endif
