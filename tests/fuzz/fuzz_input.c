/* A fuzz target for everything that reads untrusted bytes: the frame header,
 * a yk.Request (then, for a pledge, the document mapping and every validation
 * rule), and a YAML/JSON document (then its mapping onto yk.Pledge).
 *
 * With clang -fsanitize=fuzzer this is a libFuzzer target (LLVMFuzzerTestOneInput).
 * Built normally it has its own main: it runs the files given as arguments,
 * then mutates the seeds in tests/fuzz/corpus for a number of rounds
 * (FUZZ_ROUNDS, default 20000) from a fixed seed (FUZZ_SEED), so that ctest
 * runs it under ASan and UBSan on every change. */
#include <dirent.h>
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

#ifndef YK_LIBFUZZER
static unsigned long rng;

static unsigned next(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return n ? (unsigned)((rng >> 33) % n) : 0;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *d = malloc(1 << 20);
	*n = d ? fread(d, 1, 1 << 20, f) : 0;
	fclose(f);
	return d;
}

/* Flip, insert, delete, duplicate or overwrite a few bytes. */
static size_t mutate(uint8_t *d, size_t n, size_t cap)
{
	unsigned k = 1 + next(8);
	for (unsigned i = 0; i < k; i++) {
		switch (next(6)) {
		case 0:
			if (n)
				d[next((unsigned)n)] ^= (uint8_t)(1u << next(8));
			break;
		case 1:
			if (n < cap) {
				size_t at = next((unsigned)n + 1);
				memmove(d + at + 1, d + at, n - at);
				d[at] = (uint8_t)next(256);
				n++;
			}
			break;
		case 2:
			if (n) {
				size_t at = next((unsigned)n);
				memmove(d + at, d + at + 1, n - at - 1);
				n--;
			}
			break;
		case 3:
			if (n && n * 2 < cap) {
				size_t at = next((unsigned)n), l = 1 + next((unsigned)(n - at));
				memmove(d + at + l, d + at, n - at);
				n += l;
			}
			break;
		case 4:
			if (n)
				d[next((unsigned)n)] = (uint8_t)"\0\xff\x80{}[]:,\"-\n\t0 9"[next(16)];
			break;
		default:
			if (n > 4)
				n -= next((unsigned)(n / 4));
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *s = getenv("FUZZ_SEED"), *r = getenv("FUZZ_ROUNDS");
	rng = s ? strtoul(s, NULL, 10) : 1;
	long rounds = r ? atol(r) : 20000;
	const char *dir = argc > 1 ? argv[1] : ".";
	uint8_t *seeds[64];
	size_t sizes[64], nseeds = 0;
	DIR *dp = opendir(dir);
	struct dirent *e;
	while (dp && (e = readdir(dp)) && nseeds < 64) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		uint8_t *d = slurp(path, &sizes[nseeds]);
		if (d) {
			LLVMFuzzerTestOneInput(d, sizes[nseeds]);
			seeds[nseeds++] = d;
		}
	}
	if (dp)
		closedir(dp);
	if (!nseeds) {
		fprintf(stderr, "fuzz: no seeds in %s\n", dir);
		return 2;
	}
	size_t cap = 1 << 20;
	uint8_t *buf = malloc(cap);
	for (long i = 0; i < rounds; i++) {
		size_t k = next((unsigned)nseeds), n = sizes[k] < cap / 2 ? sizes[k] : cap / 2;
		memcpy(buf, seeds[k], n);
		n = mutate(buf, n, cap);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz: %ld mutated inputs from %zu seeds (FUZZ_SEED=%lu), no crash\n", rounds, nseeds, s ? strtoul(s, NULL, 10) : 1UL);
	free(buf);
	for (size_t i = 0; i < nseeds; i++)
		free(seeds[i]);
	return 0;
}
#endif
