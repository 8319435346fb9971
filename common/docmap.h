/* Document tree <-> protobuf message, driven by protobuf-c descriptors.
 *
 * Field names are document keys.  Conventions of proto/yaksok.proto:
 *  - a message whose first field is `key` is a map entry: a repeated field of
 *    it is a mapping in the document; with exactly one other field named
 *    `value`, the mapping's values are that field, otherwise they are mappings
 *    of the entry's other fields;
 *  - yk.Decimal is a number (exact decimal text), yk.Value a number or text;
 *  - a bool field `<name>_null` records that `<name>` was given as null.
 * Anything the message does not have is refused as an unknown key, with its
 * path, so a typo never drops data silently. */
#ifndef YK_DOCMAP_H
#define YK_DOCMAP_H

#include <protobuf-c/protobuf-c.h>

#include "doc.h"
#include "viol.h"

/* Build a message of type `d` from `n`.  Problems go to `v` (every one of
 * them); the message is returned even when some fields were refused, so the
 * caller decides by v->n.  NULL only when memory ran out or n is not a map. */
/* With DOCMAP_STORED, `<name>_null: true` keys are taken as the flags
 * themselves (the form the database returns), not refused. */
#define DOCMAP_STORED 1u
ProtobufCMessage *docmap_from_tree(arena_t *a, const doc_node_t *n, const ProtobufCMessageDescriptor *d,
				   const char *path, unsigned flags, viol_list_t *v);

/* True when m or any message inside it holds fields this build does not
 * know (they would be dropped silently). */
bool docmap_has_unknown(const ProtobufCMessage *m);

/* The tree of a message; absent fields and empty lists are left out. */
doc_node_t *docmap_to_tree(arena_t *a, const ProtobufCMessage *m);

#endif
