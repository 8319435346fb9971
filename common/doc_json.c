/* JSON <-> document tree.  jansson parses (it refuses invalid UTF-8 and
 * duplicate keys); its reals are doubles, so they are turned back into the
 * shortest decimal text that reads as the same double, which is the number the
 * writer meant for anything up to 15 significant digits.  Output is written
 * here so that decimal text goes out exactly as stored. */
#include "doc_io.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static doc_node_t *from_json(arena_t *a, json_t *j, const char **err)
{
	switch (json_typeof(j)) {
	case JSON_NULL: return doc_new(a, DOC_NULL);
	case JSON_TRUE: return doc_bool(a, true);
	case JSON_FALSE: return doc_bool(a, false);
	case JSON_STRING: return doc_str(a, json_string_value(j), json_string_length(j));
	case JSON_INTEGER: {
		char tmp[32];
		snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		if (!doc_num_fits(tmp)) {
			*err = "a number has more than 15 significant digits or is 10^15 or more";
			return NULL;
		}
		return doc_num(a, tmp);
	}
	case JSON_REAL: {
		double d = json_real_value(j);
		char tmp[40];
		/* A number that needs more than 15 digits to come back was not
		 * written with 15 or fewer: it has lost digits already. */
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
			if (strtod(tmp, NULL) == d)
				break;
		}
		char *canon = doc_num_canon(a, tmp, strlen(tmp));
		if (!canon || !doc_num_fits(canon)) {
			*err = "a number has more than 15 significant digits or is 10^15 or more";
			return NULL;
		}
		return doc_num(a, canon);
	}
	case JSON_ARRAY: {
		doc_node_t *seq = doc_new(a, DOC_SEQ);
		size_t i;
		json_t *v;
		if (!seq)
			return NULL;
		json_array_foreach(j, i, v) {
			doc_node_t *c = from_json(a, v, err);
			if (!c || doc_push(a, seq, c))
				return NULL;
		}
		return seq;
	}
	case JSON_OBJECT: {
		doc_node_t *map = doc_new(a, DOC_MAP);
		const char *k;
		json_t *v;
		if (!map)
			return NULL;
		json_object_foreach(j, k, v) {
			doc_node_t *c = from_json(a, v, err);
			if (!c || doc_set(a, map, k, c))
				return NULL;
		}
		return map;
	}
	}
	return NULL;
}

doc_node_t *doc_parse_json(arena_t *a, const char *text, size_t len, const char **err)
{
	json_error_t je;
	*err = NULL;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!j) {
		*err = arena_printf(a, "line %d: %s", je.line, je.text);
		return NULL;
	}
	doc_node_t *n = from_json(a, j, err);
	json_decref(j);
	if (!n && !*err)
		*err = "out of memory";
	return n;
}

doc_node_t *doc_parse(arena_t *a, const char *text, size_t len, const char **err)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		i = 3; /* a BOM, as some Windows editors write */
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	if (i < len && (text[i] == '{' || text[i] == '[')) {
		/* JSON, or YAML in flow style: JSON's messages are the better
		 * ones when neither reads it. */
		doc_node_t *n = doc_parse_json(a, text + i, len - i, err);
		if (n)
			return n;
		const char *json_err = *err;
		n = doc_parse_yaml(a, text + i, len - i, err);
		if (!n)
			*err = json_err;
		return n;
	}
	return doc_parse_yaml(a, text + i, len - i, err);
}

doc_node_t *doc_read_file(arena_t *a, const char *path, const char **err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		*err = arena_printf(a, "cannot open %s", path);
		return NULL;
	}
	buf_t b = BUF_INIT;
	char chunk[65536];
	size_t n;
	int rc = 0;
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = buf_append(&b, chunk, n);
	if (f != stdin)
		fclose(f);
	doc_node_t *d = rc ? NULL : doc_parse(a, b.data ? b.data : "", b.len, err);
	if (rc)
		*err = "out of memory";
	buf_free(&b);
	return d;
}

/* A byte JSON writes as itself inside a string. */
static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\';
}

static int put_string(buf_t *out, const char *s, size_t n)
{
	int rc = buf_putc(out, '"');
	for (size_t i = 0; i < n && !rc;) {
		/* a run of bytes that need no escape goes in one copy: a city's
		 * export is hundreds of megabytes of them */
		size_t j = i;
		while (j < n && json_plain((unsigned char)s[j]))
			j++;
		if (j > i) {
			rc = buf_append(out, s + i, j - i);
			i = j;
			continue;
		}
		unsigned char c = (unsigned char)s[i++];
		switch (c) {
		case '"': rc = buf_puts(out, "\\\""); break;
		case '\\': rc = buf_puts(out, "\\\\"); break;
		case '\n': rc = buf_puts(out, "\\n"); break;
		case '\r': rc = buf_puts(out, "\\r"); break;
		case '\t': rc = buf_puts(out, "\\t"); break;
		default: rc = buf_printf(out, "\\u%04x", c);
		}
	}
	return rc ? rc : buf_putc(out, '"');
}

static int newline(buf_t *out, int indent, int depth)
{
	if (indent <= 0)
		return 0;
	static const char spaces[] = "                                ";
	int rc = buf_putc(out, '\n');
	for (int left = indent * depth; left > 0 && !rc; left -= (int)sizeof(spaces) - 1)
		rc = buf_append(out, spaces, left < (int)sizeof(spaces) - 1 ? (size_t)left : sizeof(spaces) - 1);
	return rc;
}

static int write_node(buf_t *out, const doc_node_t *n, int indent, int depth)
{
	int rc = 0;
	switch (n->type) {
	case DOC_NULL: return buf_puts(out, "null");
	case DOC_BOOL: return buf_puts(out, n->b ? "true" : "false");
	case DOC_NUM: return buf_append(out, n->s, n->len);
	case DOC_STR: return put_string(out, n->s, n->len);
	case DOC_SEQ:
	case DOC_MAP: {
		bool map = n->type == DOC_MAP;
		rc = buf_putc(out, map ? '{' : '[');
		for (size_t i = 0; i < n->n && !rc; i++) {
			if (i)
				rc = buf_putc(out, ',');
			if (!rc)
				rc = newline(out, indent, depth + 1);
			if (!rc && map) {
				rc = put_string(out, n->keys[i], strlen(n->keys[i]));
				if (!rc)
					rc = buf_puts(out, indent > 0 ? ": " : ":");
			}
			if (!rc)
				rc = write_node(out, n->items[i], indent, depth + 1);
		}
		if (!rc && n->n)
			rc = newline(out, indent, depth);
		return rc ? rc : buf_putc(out, map ? '}' : ']');
	}
	}
	return YK_EINVAL;
}

int doc_write_json(buf_t *out, const doc_node_t *n, int indent)
{
	int rc = write_node(out, n, indent, 0);
	if (!rc && indent > 0)
		rc = buf_putc(out, '\n');
	return rc;
}

char *doc_json_text(arena_t *a, const doc_node_t *n)
{
	buf_t b = BUF_INIT;
	char *out = doc_write_json(&b, n, 0) ? NULL : arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return out;
}
