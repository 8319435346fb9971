#include "docmap.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "yaksok.pb-c.h"

typedef struct {
	arena_t *a;
	viol_list_t *v;
	unsigned flags;
} ctx_t;

static bool is_entry(const ProtobufCMessageDescriptor *d)
{
	return d->n_fields >= 1 && strcmp(d->fields[0].name, "key") == 0 &&
	       d->fields[0].type == PROTOBUF_C_TYPE_STRING;
}

/* An entry {key, value} maps key -> value; other entries key -> {fields}. */
static const ProtobufCFieldDescriptor *entry_value_field(const ProtobufCMessageDescriptor *d)
{
	if (d->n_fields == 2 && strcmp(d->fields[1].name, "value") == 0)
		return &d->fields[1];
	return NULL;
}

static bool is_null_flag(const ProtobufCFieldDescriptor *f)
{
	size_t n = strlen(f->name);
	return f->type == PROTOBUF_C_TYPE_BOOL && n > 5 && strcmp(f->name + n - 5, "_null") == 0;
}

static const ProtobufCFieldDescriptor *null_flag_for(const ProtobufCMessageDescriptor *d, const char *name)
{
	char tmp[128];
	if (strlen(name) + 6 > sizeof(tmp))
		return NULL;
	strcpy(tmp, name);
	strcat(tmp, "_null");
	return protobuf_c_message_descriptor_get_field_by_name(d, tmp);
}

static size_t elem_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_BOOL: return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_ENUM: return 4;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_UINT64: return 8;
	default: return sizeof(void *);
	}
}

/* A node's path, formatted only when a problem is reported there: a
 * document of a thousand nodes usually has none, and formatting each path
 * up front was most of the time a stored document took to map. */
typedef struct lpath {
	const struct lpath *up;  /* NULL at the root */
	const char *key;         /* NULL: the index-th element */
	size_t index;
	const char *root;        /* the caller's path, at the root */
} lpath_t;

static const char *P(ctx_t *c, const lpath_t *p)
{
	if (!p->up)
		return p->root;
	const char *base = P(c, p->up);
	if (!base)
		return NULL;
	return p->key ? path_key(c->a, base, p->key) : path_index(c->a, base, p->index);
}

static ProtobufCMessage *new_msg(ctx_t *c, const ProtobufCMessageDescriptor *d)
{
	ProtobufCMessage *m = arena_alloc(c->a, d->sizeof_message);
	if (m)
		d->message_init(m);
	return m;
}

static ProtobufCMessage *msg_from_map(ctx_t *c, const doc_node_t *n, const ProtobufCMessageDescriptor *d,
				      const lpath_t *path, ProtobufCMessage *into, bool skip_key);

/* Convert a scalar or sub-document into the storage of one value of field f
 * at `slot` (the field itself, or one element of a repeated array). */
static bool value_into(ctx_t *c, const ProtobufCFieldDescriptor *f, const doc_node_t *n, const lpath_t *path, void *slot)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		if (n->type == DOC_STR || n->type == DOC_NUM) {
			/* A number where text is expected (a bare year, a phone
			 * typed without quotes) is taken as its digits. */
			const char *why = text_problem(n->s, n->len);
			if (why) {
				viol_add(c->v, P(c, path), "%s", why);
				return false;
			}
			*(const char **)slot = n->s;
			return true;
		}
		viol_add(c->v, P(c, path), "expected text, found %s", doc_type_name(n->type));
		return false;
	case PROTOBUF_C_TYPE_BOOL:
		if (n->type == DOC_BOOL) {
			*(protobuf_c_boolean *)slot = n->b;
			return true;
		}
		viol_add(c->v, P(c, path), "expected true or false, found %s", doc_type_name(n->type));
		return false;
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_UINT64: {
		if (n->type != DOC_NUM || strchr(n->s, '.')) {
			viol_add(c->v, P(c, path), "expected a whole number, found %s", n->type == DOC_NUM ? n->s : doc_type_name(n->type));
			return false;
		}
		errno = 0;
		long long x = strtoll(n->s, NULL, 10);
		bool neg_bad = x < 0 && (f->type == PROTOBUF_C_TYPE_UINT32 || f->type == PROTOBUF_C_TYPE_UINT64);
		bool small = f->type == PROTOBUF_C_TYPE_INT32 || f->type == PROTOBUF_C_TYPE_UINT32;
		if (errno || neg_bad || (small && (x > INT32_MAX || x < INT32_MIN))) {
			viol_add(c->v, P(c, path), "%s is out of range", n->s);
			return false;
		}
		if (small)
			*(int32_t *)slot = (int32_t)x;
		else
			*(int64_t *)slot = x;
		return true;
	}
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessageDescriptor *d = f->descriptor;
		if (d == &yk__decimal__descriptor) {
			if (n->type == DOC_STR && (c->flags & DOCMAP_STORED)) {
				const char *canon = doc_num_canon(c->a, n->s, n->len);
				if (!canon) {
					viol_add(c->v, P(c, path), "\"%s\" is not a decimal number", n->s);
					return false;
				}
				Yk__Decimal *dec = (Yk__Decimal *)new_msg(c, d);
				if (!dec)
					return false;
				dec->value = (char *)canon;
				*(ProtobufCMessage **)slot = &dec->base;
				return true;
			}
			if (n->type != DOC_NUM) {
				viol_add(c->v, P(c, path), "expected a number, found %s%s%s%s", doc_type_name(n->type),
					 n->type == DOC_STR ? " \"" : "", n->type == DOC_STR ? n->s : "",
					 n->type == DOC_STR ? "\"" : "");
				return false;
			}
			Yk__Decimal *dec = (Yk__Decimal *)new_msg(c, d);
			if (!dec)
				return false;
			dec->value = (char *)n->s;
			*(ProtobufCMessage **)slot = &dec->base;
			return true;
		}
		if (d == &yk__value__descriptor) {
			Yk__Value *val = (Yk__Value *)new_msg(c, d);
			if (!val)
				return false;
			if (n->type == DOC_STR) {
				const char *why = text_problem(n->s, n->len);
				if (why) {
					viol_add(c->v, P(c, path), "%s", why);
					return false;
				}
				val->kind_case = YK__VALUE__KIND_TEXT;
				val->text = (char *)n->s;
			} else if (n->type == DOC_NUM) {
				Yk__Decimal *dec = (Yk__Decimal *)new_msg(c, &yk__decimal__descriptor);
				if (!dec)
					return false;
				dec->value = (char *)n->s;
				val->kind_case = YK__VALUE__KIND_NUMBER;
				val->number = dec;
			} else {
				viol_add(c->v, P(c, path), "expected a number or text, found %s", doc_type_name(n->type));
				return false;
			}
			*(ProtobufCMessage **)slot = &val->base;
			return true;
		}
		ProtobufCMessage *m = msg_from_map(c, n, d, path, NULL, false);
		if (!m)
			return false;
		*(ProtobufCMessage **)slot = m;
		return true;
	}
	default:
		viol_add(c->v, P(c, path), "field type not supported");
		return false;
	}
}

static void set_present(const ProtobufCFieldDescriptor *f, ProtobufCMessage *m)
{
	if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_STRING &&
	    f->type != PROTOBUF_C_TYPE_MESSAGE && f->type != PROTOBUF_C_TYPE_BYTES)
		*(protobuf_c_boolean *)((char *)m + f->quantifier_offset) = 1;
}

static void set_repeated(ctx_t *c, const ProtobufCFieldDescriptor *f, ProtobufCMessage *m, const doc_node_t *n,
			 const lpath_t *path)
{
	const ProtobufCMessageDescriptor *ed = f->type == PROTOBUF_C_TYPE_MESSAGE ? f->descriptor : NULL;
	bool entry = ed && is_entry(ed);
	if (n->type == DOC_NULL)
		return;
	if (entry ? n->type != DOC_MAP : n->type != DOC_SEQ) {
		viol_add(c->v, P(c, path), "expected %s, found %s", entry ? "a mapping" : "a list", doc_type_name(n->type));
		return;
	}
	size_t es = elem_size(f);
	char *arr = arena_calloc(c->a, es * (n->n ? n->n : 1));
	if (!arr) {
		c->v->oom = 1;
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < n->n; i++) {
		if (entry) {
			const lpath_t sub = { path, n->keys[i], 0, NULL }, *p = &sub;
			const char *why = text_problem(n->keys[i], strlen(n->keys[i]));
			if (why) {
				viol_add(c->v, P(c, p), "key: %s", why);
				continue;
			}
			ProtobufCMessage *em = new_msg(c, ed);
			if (!em) {
				c->v->oom = 1;
				return;
			}
			*(const char **)((char *)em + ed->fields[0].offset) = n->keys[i];
			const ProtobufCFieldDescriptor *vf = entry_value_field(ed);
			bool ok;
			if (vf) {
				ok = n->items[i]->type == DOC_NULL ||
				     value_into(c, vf, n->items[i], p, (char *)em + vf->offset);
				if (ok && n->items[i]->type != DOC_NULL)
					set_present(vf, em);
			} else {
				ok = msg_from_map(c, n->items[i], ed, p, em, true) != NULL;
			}
			if (ok)
				((ProtobufCMessage **)arr)[k++] = em;
		} else {
			const lpath_t sub = { path, NULL, i, NULL }, *p = &sub;
			if (n->items[i]->type == DOC_NULL) {
				viol_add(c->v, P(c, p), "null is not allowed in this list");
				continue;
			}
			if (value_into(c, f, n->items[i], p, arr + k * es))
				k++;
		}
	}
	*(size_t *)((char *)m + f->quantifier_offset) = k;
	*(void **)((char *)m + f->offset) = arr;
}

static ProtobufCMessage *msg_from_map(ctx_t *c, const doc_node_t *n, const ProtobufCMessageDescriptor *d,
				      const lpath_t *path, ProtobufCMessage *into, bool skip_key)
{
	if (n->type != DOC_MAP) {
		viol_add(c->v, P(c, path), "expected a mapping, found %s", doc_type_name(n->type));
		return NULL;
	}
	ProtobufCMessage *m = into ? into : new_msg(c, d);
	if (!m) {
		c->v->oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < n->n; i++) {
		const char *key = n->keys[i];
		const lpath_t sub = { path, key, 0, NULL }, *p = &sub;
		const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(d, key);
		if (!f || (is_null_flag(f) && !(c->flags & DOCMAP_STORED)) || (skip_key && f == &d->fields[0])) {
			viol_add(c->v, P(c, p), "unknown key");
			continue;
		}
		const doc_node_t *val = n->items[i];
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			set_repeated(c, f, m, val, p);
			continue;
		}
		if (val->type == DOC_NULL) {
			const ProtobufCFieldDescriptor *nf = null_flag_for(d, key);
			if (nf) {
				*(protobuf_c_boolean *)((char *)m + nf->offset) = 1;
				*(protobuf_c_boolean *)((char *)m + nf->quantifier_offset) = 1;
			}
			continue; /* null elsewhere means "not given" */
		}
		if (value_into(c, f, val, p, (char *)m + f->offset))
			set_present(f, m);
	}
	return m;
}

ProtobufCMessage *docmap_from_tree(arena_t *a, const doc_node_t *n, const ProtobufCMessageDescriptor *d,
				   const char *path, unsigned flags, viol_list_t *v)
{
	ctx_t c = { .a = a, .v = v, .flags = flags };
	const lpath_t root = { NULL, NULL, 0, path ? path : "" };
	return msg_from_map(&c, n, d, &root, NULL, false);
}

/* ------------------------------------------------------------------ to tree */

static doc_node_t *msg_to_map(arena_t *a, const ProtobufCMessage *m, bool skip_key);

static doc_node_t *value_to_node(arena_t *a, const ProtobufCFieldDescriptor *f, const void *slot)
{
	char tmp[32];
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(char *const *)slot;
		return s ? doc_str(a, s, strlen(s)) : NULL;
	}
	case PROTOBUF_C_TYPE_BOOL: return doc_bool(a, *(const protobuf_c_boolean *)slot);
	case PROTOBUF_C_TYPE_INT32: snprintf(tmp, sizeof(tmp), "%d", *(const int32_t *)slot); return doc_num(a, tmp);
	case PROTOBUF_C_TYPE_UINT32: snprintf(tmp, sizeof(tmp), "%u", *(const uint32_t *)slot); return doc_num(a, tmp);
	case PROTOBUF_C_TYPE_INT64: snprintf(tmp, sizeof(tmp), "%lld", (long long)*(const int64_t *)slot); return doc_num(a, tmp);
	case PROTOBUF_C_TYPE_UINT64: snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)*(const uint64_t *)slot); return doc_num(a, tmp);
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *sub = *(ProtobufCMessage *const *)slot;
		if (!sub)
			return NULL;
		if (sub->descriptor == &yk__decimal__descriptor) {
			const Yk__Decimal *dec = (const Yk__Decimal *)sub;
			if (!dec->value)
				return NULL;
			/* not a number a document may hold: left as text, which
			 * the checks then refuse with its path */
			char *canon = doc_num_canon(a, dec->value, strlen(dec->value));
			return canon && doc_num_fits(canon) ? doc_num(a, canon) : doc_str(a, dec->value, strlen(dec->value));
		}
		if (sub->descriptor == &yk__value__descriptor) {
			const Yk__Value *val = (const Yk__Value *)sub;
			if (val->kind_case == YK__VALUE__KIND_TEXT && val->text)
				return doc_str(a, val->text, strlen(val->text));
			if (val->kind_case == YK__VALUE__KIND_NUMBER && val->number) {
				ProtobufCFieldDescriptor fake = { .type = PROTOBUF_C_TYPE_MESSAGE };
				const void *p = &val->number;
				return value_to_node(a, &fake, p);
			}
			return NULL;
		}
		doc_node_t *map = msg_to_map(a, sub, false);
		return map && map->n ? map : NULL;
	}
	default: return NULL;
	}
}

static bool field_present(const ProtobufCFieldDescriptor *f, const ProtobufCMessage *m)
{
	const char *base = (const char *)m;
	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		return *(const uint32_t *)(base + f->quantifier_offset) == f->id;
	if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE)
		return *(void *const *)(base + f->offset) != NULL;
	if (f->label == PROTOBUF_C_LABEL_OPTIONAL)
		return *(const protobuf_c_boolean *)(base + f->quantifier_offset);
	return true;
}

static doc_node_t *msg_to_map(arena_t *a, const ProtobufCMessage *m, bool skip_key)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	doc_node_t *map = doc_new(a, DOC_MAP);
	if (!map)
		return NULL;
	const char *base = (const char *)m;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if ((skip_key && i == 0) || is_null_flag(f))
			continue;
		doc_node_t *node = NULL;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			if (n == 0)
				continue;
			const char *arr = *(char *const *)(base + f->offset);
			const ProtobufCMessageDescriptor *ed = f->type == PROTOBUF_C_TYPE_MESSAGE ? f->descriptor : NULL;
			if (ed && is_entry(ed)) {
				node = doc_new(a, DOC_MAP);
				const ProtobufCFieldDescriptor *vf = entry_value_field(ed);
				for (size_t k = 0; node && k < n; k++) {
					const ProtobufCMessage *em = ((ProtobufCMessage *const *)arr)[k];
					const char *key = *(char *const *)((const char *)em + ed->fields[0].offset);
					doc_node_t *val = vf ? (field_present(vf, em) ? value_to_node(a, vf, (const char *)em + vf->offset) : NULL)
							     : msg_to_map(a, em, true);
					if (!val)
						val = vf ? doc_new(a, DOC_NULL) : doc_new(a, DOC_MAP);
					if (!key || doc_set(a, node, key, val))
						return NULL;
				}
			} else {
				node = doc_new(a, DOC_SEQ);
				size_t es = elem_size(f);
				for (size_t k = 0; node && k < n; k++) {
					doc_node_t *item = value_to_node(a, f, arr + k * es);
					if (!item)
						item = doc_new(a, f->type == PROTOBUF_C_TYPE_MESSAGE ? DOC_MAP : DOC_NULL);
					if (doc_push(a, node, item))
						return NULL;
				}
			}
		} else if (field_present(f, m)) {
			node = value_to_node(a, f, base + f->offset);
		} else {
			const ProtobufCFieldDescriptor *nf = null_flag_for(d, f->name);
			if (nf && *(const protobuf_c_boolean *)(base + nf->offset))
				node = doc_new(a, DOC_NULL);
		}
		if (node && doc_set(a, map, f->name, node))
			return NULL;
	}
	return map;
}

doc_node_t *docmap_to_tree(arena_t *a, const ProtobufCMessage *m)
{
	return msg_to_map(a, m, false);
}

bool docmap_has_unknown(const ProtobufCMessage *m)
{
	if (!m)
		return false;
	if (m->n_unknown_fields)
		return true;
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *base = (const char *)m;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		/* a oneof member's storage is shared: only the chosen one is valid */
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) && *(const uint32_t *)(base + f->quantifier_offset) != f->id)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *arr = *(ProtobufCMessage *const *const *)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				if (docmap_has_unknown(arr[k]))
					return true;
		} else if (docmap_has_unknown(*(ProtobufCMessage *const *)(base + f->offset))) {
			return true;
		}
	}
	return false;
}
