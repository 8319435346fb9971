/* Reading and writing document trees as YAML (libyaml) and JSON (jansson in,
 * our own writer out, because jansson cannot print an exact decimal). */
#ifndef YK_DOC_IO_H
#define YK_DOC_IO_H

#include <stddef.h>

#include "buf.h"
#include "doc.h"

/* Parse one YAML document.  On failure returns NULL and sets *err to a message
 * with the line ("line 12: mapping values are not allowed here"). */
doc_node_t *doc_parse_yaml(arena_t *a, const char *text, size_t len, const char **err);
/* Parse one JSON value. */
doc_node_t *doc_parse_json(arena_t *a, const char *text, size_t len, const char **err);
/* JSON when the first non-blank byte is '{' or '[', YAML otherwise. */
doc_node_t *doc_parse(arena_t *a, const char *text, size_t len, const char **err);

/* Read and parse a whole file ("-" = stdin); *err says why on NULL. */
doc_node_t *doc_read_file(arena_t *a, const char *path, const char **err);

YK_MUST_CHECK int doc_write_json(buf_t *out, const doc_node_t *n, int indent);
/* The same, compact, as a string in the arena; NULL without memory. */
char *doc_json_text(arena_t *a, const doc_node_t *n);
YK_MUST_CHECK int doc_write_yaml(buf_t *out, const doc_node_t *n);

#endif
