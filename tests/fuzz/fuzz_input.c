/* A fuzz target for everything that reads untrusted bytes: the frame header,
 * a yk.Request (then, for a pledge, the document mapping and every validation
 * rule), and a YAML/JSON document (then its mapping onto yk.Pledge).
 *
 * A libFuzzer target (scripts/fuzz.sh); built without it, standalone.c gives
 * it a main that mutates the corpus under ASan/UBSan in ctest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_io.h"
#include "docmap.h"
#include "frame.h"
#include "pledge_check.h"
#include "yaksok.pb-c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t len;
	(void)frame_peek(data, size, 1u << 20, &len);

	arena_t *a = arena_new(16u << 20);
	if (!a)
		return 0;
	ProtobufCAllocator al = arena_pb_allocator(a);
	Yk__Request *req = yk__request__unpack(&al, size, data);
	if (req) {
		(void)yk__request__get_packed_size(req);
		if (req->body_case == YK__REQUEST__BODY_PLEDGE_APPLY && req->pledge_apply->pledge) {
			(void)docmap_has_unknown(&req->pledge_apply->pledge->base);
			doc_node_t *doc = docmap_to_tree(a, &req->pledge_apply->pledge->base);
			if (doc) {
				viol_list_t v;
				viol_init(&v, a);
				pledge_normalize(a, doc, "", &v);
				pledge_check(a, doc, &v);
				buf_t b = BUF_INIT;
				if (doc_write_json(&b, doc, 0) == 0 && b.len == 0)
					abort(); /* a document always writes something */
				buf_free(&b);
			}
		}
	}
	arena_free(a);

	a = arena_new(16u << 20);
	if (!a)
		return 0;
	const char *err = NULL;
	doc_node_t *doc = doc_parse(a, (const char *)data, size, &err);
	if (doc) {
		viol_list_t v;
		viol_init(&v, a);
		ProtobufCMessage *m = docmap_from_tree(a, doc, &yk__pledge__descriptor, "", 0, &v);
		if (m) {
			doc_node_t *back = docmap_to_tree(a, m);
			if (back) {
				pledge_normalize(a, back, "", &v);
				pledge_check(a, back, &v);
			}
		}
		/* what is read must write back and read again as the same tree */
		buf_t b = BUF_INIT;
		if (doc_write_json(&b, doc, 2) == 0) {
			const char *e2 = NULL;
			doc_node_t *again = doc_parse_json(a, b.data, b.len, &e2);
			if (!again || !doc_equal(doc, again, "", NULL))
				abort();
		}
		buf_reset(&b);
		if (doc_write_yaml(&b, doc) == 0) {
			const char *e2 = NULL;
			doc_node_t *again = doc_parse_yaml(a, b.data, b.len, &e2);
			if (!again || !doc_equal(doc, again, "", NULL)) {
				fprintf(stderr, "yaml round trip failed: %s\n%.*s\n", e2 ? e2 : "differs", (int)b.len, b.data);
				abort();
			}
		}
		buf_free(&b);
	}
	arena_free(a);
	return 0;
}

