/* YAML <-> document tree.  Plain scalars are resolved with the YAML 1.2 core
 * schema (null, true/false, decimal numbers); everything else is text, so
 * `2019-01-10` stays the string it is in the spec and `yes` is not a bool. */
#include "doc_io.h"

#include <string.h>
#include <yaml.h>

#define YAML_MAX_DEPTH 64

typedef struct {
	arena_t *a;
	yaml_parser_t p;
	const char *err;
} yparse_t;

static bool is_null_word(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') || (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static int bool_word(const char *s, size_t n)
{
	if (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))
		return 1;
	if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))
		return 0;
	return -1;
}

static doc_node_t *resolve_plain(arena_t *a, const char *s, size_t n, const char **why)
{
	if (is_null_word(s, n))
		return doc_new(a, DOC_NULL);
	int b = bool_word(s, n);
	if (b >= 0)
		return doc_bool(a, b);
	char *num = doc_num_canon(a, s, n);
	if (num && !doc_num_fits(num)) {
		*why = "a number has more than 15 significant digits or is 10^15 or more (quote it if it is text)";
		return NULL;
	}
	if (num)
		return doc_num(a, num);
	return doc_str(a, s, n);
}

static doc_node_t *fail(yparse_t *y, int line, const char *what)
{
	if (!y->err)
		y->err = arena_printf(y->a, "line %d: %s", line, what);
	return NULL;
}

static bool next(yparse_t *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->p, ev)) {
		if (!y->err)
			y->err = arena_printf(y->a, "line %zu: %s%s%s", y->p.problem_mark.line + 1,
					      y->p.problem ? y->p.problem : "syntax error",
					      y->p.context ? " " : "", y->p.context ? y->p.context : "");
		return false;
	}
	return true;
}

static doc_node_t *parse_node(yparse_t *y, yaml_event_t *ev, int depth);

static doc_node_t *parse_scalar(yparse_t *y, yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	doc_node_t *node;
	if (tag && strcmp(tag, YAML_STR_TAG) == 0)
		node = doc_str(y->a, s, n);
	else if (ev->data.scalar.plain_implicit && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		const char *why = "out of memory";
		node = resolve_plain(y->a, s, n, &why);
		if (!node)
			return fail(y, (int)ev->start_mark.line + 1, why);
	} else if (tag && (strcmp(tag, YAML_INT_TAG) == 0 || strcmp(tag, YAML_FLOAT_TAG) == 0)) {
		char *num = doc_num_canon(y->a, s, n);
		node = num && doc_num_fits(num) ? doc_num(y->a, num)
						: fail(y, (int)ev->start_mark.line + 1, "not a number of at most 15 digits");
	} else
		node = doc_str(y->a, s, n);
	if (node)
		node->line = (int)ev->start_mark.line + 1;
	return node;
}

static doc_node_t *parse_seq(yparse_t *y, yaml_event_t *start, int depth)
{
	doc_node_t *seq = doc_new(y->a, DOC_SEQ);
	if (!seq)
		return fail(y, 0, "out of memory");
	seq->line = (int)start->start_mark.line + 1;
	for (;;) {
		yaml_event_t ev;
		if (!next(y, &ev))
			return NULL;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return seq;
		}
		doc_node_t *item = parse_node(y, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!item)
			return NULL;
		if (doc_push(y->a, seq, item))
			return fail(y, 0, "out of memory");
	}
}

static doc_node_t *parse_map(yparse_t *y, yaml_event_t *start, int depth)
{
	doc_node_t *map = doc_new(y->a, DOC_MAP);
	if (!map)
		return fail(y, 0, "out of memory");
	map->line = (int)start->start_mark.line + 1;
	for (;;) {
		yaml_event_t ev;
		if (!next(y, &ev))
			return NULL;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return map;
		}
		int line = (int)ev.start_mark.line + 1;
		if (ev.type != YAML_SCALAR_EVENT) {
			yaml_event_delete(&ev);
			return fail(y, line, "a key must be plain text");
		}
		char *key = arena_strndup(y->a, (const char *)ev.data.scalar.value, ev.data.scalar.length);
		bool has_nul = strlen(key) != ev.data.scalar.length;
		yaml_event_delete(&ev);
		if (has_nul)
			return fail(y, line, "a key contains a NUL byte");
		if (doc_get(map, key))
			return fail(y, line, arena_printf(y->a, "duplicate key \"%s\"", key));
		if (!next(y, &ev))
			return NULL;
		doc_node_t *val = parse_node(y, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!val)
			return NULL;
		if (doc_set(y->a, map, key, val))
			return fail(y, 0, "out of memory");
	}
}

static doc_node_t *parse_node(yparse_t *y, yaml_event_t *ev, int depth)
{
	int line = (int)ev->start_mark.line + 1;
	if (depth > YAML_MAX_DEPTH)
		return fail(y, line, "nested too deeply");
	switch (ev->type) {
	case YAML_SCALAR_EVENT: return parse_scalar(y, ev);
	case YAML_SEQUENCE_START_EVENT: return parse_seq(y, ev, depth);
	case YAML_MAPPING_START_EVENT: return parse_map(y, ev, depth);
	case YAML_ALIAS_EVENT: return fail(y, line, "aliases (*name) are not supported");
	default: return fail(y, line, "unexpected YAML event");
	}
}

doc_node_t *doc_parse_yaml(arena_t *a, const char *text, size_t len, const char **err)
{
	yparse_t y = { .a = a };
	*err = NULL;
	if (!yaml_parser_initialize(&y.p)) {
		*err = "out of memory";
		return NULL;
	}
	yaml_parser_set_input_string(&y.p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&y.p, YAML_UTF8_ENCODING);
	doc_node_t *root = NULL;
	yaml_event_t ev;
	bool ok = true;
	while (ok && next(&y, &ev)) {
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (t == YAML_DOCUMENT_START_EVENT) {
			if (root) {
				fail(&y, (int)ev.start_mark.line + 1, "only one document per file");
				ok = false;
			}
			yaml_event_delete(&ev);
			continue;
		}
		root = parse_node(&y, &ev, 0);
		yaml_event_delete(&ev);
		if (!root)
			ok = false;
	}
	yaml_parser_delete(&y.p);
	if (y.err) {
		*err = y.err;
		return NULL;
	}
	if (!root)
		*err = "the document is empty";
	return root;
}

/* ------------------------------------------------------------------ emit */

typedef struct {
	yaml_emitter_t e;
	buf_t *out;
	int failed;
} yemit_t;

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	yemit_t *y = data;
	if (buf_append(y->out, buffer, size)) {
		y->failed = 1;
		return 0;
	}
	return 1;
}

static bool emit(yemit_t *y, yaml_event_t *ev)
{
	if (!yaml_emitter_emit(&y->e, ev)) {
		y->failed = 1;
		return false;
	}
	return true;
}

static bool emit_scalar(yemit_t *y, const char *s, size_t n, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)n, 1, 1, style))
		return false;
	return emit(y, &ev);
}

/* Text that a YAML reader would take for something else must be quoted. */
static bool needs_quotes(const char *s, size_t n)
{
	if (is_null_word(s, n) || bool_word(s, n) >= 0)
		return true;
	arena_t *tmp = arena_new(0);
	bool num = tmp && doc_num_canon(tmp, s, n) != NULL;
	arena_free(tmp);
	if (num)
		return true;
	/* Leading or trailing blanks and a few indicator bytes the plain style
	 * keeps but a reader might trip over. */
	return n && (s[0] == ' ' || s[n - 1] == ' ' || strchr("-*&!|>'\"%@`#,[]{}?:", s[0]));
}

static bool flow_ok(const doc_node_t *n)
{
	if (n->n == 0)
		return true;
	size_t total = 0;
	for (size_t i = 0; i < n->n; i++) {
		const doc_node_t *c = n->items[i];
		if (c->type == DOC_SEQ || c->type == DOC_MAP)
			return false;
		if (c->type == DOC_STR && memchr(c->s, '\n', c->len))
			return false;
		total += (c->s ? c->len : 5) + (n->keys ? strlen(n->keys[i]) : 0) + 4;
	}
	return total <= 100;
}

static bool emit_node(yemit_t *y, const doc_node_t *n, int depth)
{
	yaml_event_t ev;
	switch (n->type) {
	case DOC_NULL: return emit_scalar(y, "null", 4, YAML_PLAIN_SCALAR_STYLE);
	case DOC_BOOL: return emit_scalar(y, n->b ? "true" : "false", n->b ? 4 : 5, YAML_PLAIN_SCALAR_STYLE);
	case DOC_NUM: return emit_scalar(y, n->s, n->len, YAML_PLAIN_SCALAR_STYLE);
	case DOC_STR:
		return emit_scalar(y, n->s, n->len,
				   needs_quotes(n->s, n->len) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
	case DOC_SEQ:
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  depth && flow_ok(n) ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE) ||
		    !emit(y, &ev))
			return false;
		for (size_t i = 0; i < n->n; i++)
			if (!emit_node(y, n->items[i], depth + 1))
				return false;
		return yaml_sequence_end_event_initialize(&ev) && emit(y, &ev);
	case DOC_MAP:
		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 depth && flow_ok(n) ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE) ||
		    !emit(y, &ev))
			return false;
		for (size_t i = 0; i < n->n; i++) {
			size_t kl = strlen(n->keys[i]);
			if (!emit_scalar(y, n->keys[i], kl,
					 needs_quotes(n->keys[i], kl) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE) ||
			    !emit_node(y, n->items[i], depth + 1))
				return false;
		}
		return yaml_mapping_end_event_initialize(&ev) && emit(y, &ev);
	}
	return false;
}

int doc_write_yaml(buf_t *out, const doc_node_t *n)
{
	yemit_t y = { .out = out };
	if (!yaml_emitter_initialize(&y.e))
		return YK_ENOMEM;
	yaml_emitter_set_output(&y.e, write_handler, &y);
	yaml_emitter_set_unicode(&y.e, 1);
	yaml_emitter_set_width(&y.e, -1);
	yaml_emitter_set_indent(&y.e, 2);
	yaml_event_t ev;
	bool ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && emit(&y, &ev) &&
		  yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && emit(&y, &ev) &&
		  emit_node(&y, n, 0) && yaml_document_end_event_initialize(&ev, 1) && emit(&y, &ev) &&
		  yaml_stream_end_event_initialize(&ev) && emit(&y, &ev) && yaml_emitter_flush(&y.e);
	yaml_emitter_delete(&y.e);
	return ok && !y.failed ? YK_OK : YK_EIO;
}
