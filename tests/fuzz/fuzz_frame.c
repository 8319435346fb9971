/* A fuzz target for the frame decoder as the daemon uses it: a byte stream
 * arriving in chunks of arbitrary sizes (the first input byte seeds the
 * chunking), frames taken out as soon as they are whole.  The property: the
 * frames found, and where a too-long frame stops the stream, do not depend on
 * how the bytes were split. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAME 4096
#define MAX_FRAMES 4096

typedef struct {
	uint32_t lens[MAX_FRAMES];
	size_t n;
	int end;  /* 0: ran out of bytes, 1: a frame over the limit */
} result_t;

/* Feed `s` in chunks whose sizes come from `seed`; decode like conn.c. */
static void decode(const uint8_t *s, size_t size, uint32_t seed, result_t *out)
{
	uint8_t *buf = malloc(size + 1);
	size_t have = 0, off = 0;
	memset(out, 0, sizeof(*out));
	while (off < size) {
		seed = seed * 1103515245u + 12345u;
		size_t chunk = 1 + (seed >> 16) % 97;
		if (chunk > size - off)
			chunk = size - off;
		memcpy(buf + have, s + off, chunk);
		have += chunk;
		off += chunk;
		for (;;) {
			uint32_t len = 0;
			int r = frame_peek(buf, have, MAX_FRAME, &len);
			if (r == YK_ETOOBIG) {
				if (len <= MAX_FRAME)
					abort();
				out->end = 1;
				free(buf);
				return;
			}
			if (r == 0)
				break;
			if (len > MAX_FRAME || (size_t)FRAME_HEADER + len > have)
				abort();
			if (out->n < MAX_FRAMES)
				out->lens[out->n++] = len;
			memmove(buf, buf + FRAME_HEADER + len, have - FRAME_HEADER - len);
			have -= FRAME_HEADER + len;
		}
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static result_t a, b;
	decode(data + 1, size - 1, data[0], &a);
	decode(data + 1, size - 1, 0xffffffffu ^ data[0], &b);
	if (a.n != b.n || a.end != b.end || memcmp(a.lens, b.lens, a.n * sizeof(a.lens[0])))
		abort();
	/* a header always reads back what was put */
	if (size >= 5) {
		uint32_t v;
		memcpy(&v, data + 1, 4);
		uint8_t h[FRAME_HEADER];
		frame_put_header(h, v % (MAX_FRAME + 1));
		uint32_t len = 0, want = v % (MAX_FRAME + 1);
		/* whole only when empty; the length is known either way */
		if (frame_peek(h, FRAME_HEADER, MAX_FRAME, &len) != (want == 0) || len != want)
			abort();
	}
	return 0;
}
