/* echo PORT BYTES: the network path's ceiling for scripts/bench's ECHO.
 * A libuv server on 127.0.0.1:PORT (0: any free port; it prints
 * "listening PORT" when it is ready) with one loop, as yaksokd has, that
 * answers every length-prefixed frame at once with a yk.Response of BYTES
 * bytes carrying the request's id and status OK (padding in a field no
 * client reads), so that bench's READ workload can run against it
 * unchanged: framing, reading, writing and the kernel's TCP path with
 * nothing behind them -- no unpacking, no cache, no database.  READ's rate
 * over ECHO's is the share of that ceiling yaksokd reaches.  Not a test. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <uv.h>

#define MAX_FRAME (1u << 20)

typedef struct {
	uv_tcp_t tcp;
	char *in;
	size_t len, cap;
} econn_t;

typedef struct {
	uv_write_t req;
	char *data;
} ewrite_t;

static size_t answer_bytes;

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	do {
		p[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			p[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

/* The request's id: field 1 (varint) of yk.Request, 0 when absent. */
static uint64_t request_id(const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	while (p < end) {
		uint64_t key = 0, v = 0;
		for (int s = 0; p < end && s < 64; s += 7) {
			key |= (uint64_t)(*p & 0x7f) << s;
			if (!(*p++ & 0x80))
				break;
		}
		int type = (int)(key & 7);
		if (type == 0 || type == 2) {
			for (int s = 0; p < end && s < 64; s += 7) {
				v |= (uint64_t)(*p & 0x7f) << s;
				if (!(*p++ & 0x80))
					break;
			}
			if (type == 0 && key >> 3 == 1)
				return v;
			if (type == 2)
				p += v <= (uint64_t)(end - p) ? v : (uint64_t)(end - p);
		} else if (type == 1) {
			p += end - p >= 8 ? 8 : end - p;
		} else if (type == 5) {
			p += end - p >= 4 ? 4 : end - p;
		} else {
			return 0;
		}
	}
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	econn_t *c = (econn_t *)h;
	free(c->in);
	free(c);
}

static void on_written(uv_write_t *w, int status)
{
	(void)status;
	ewrite_t *ew = (ewrite_t *)w;
	free(ew->data);
	free(ew);
}

static void alloc_cb(uv_handle_t *h, size_t want, uv_buf_t *b)
{
	econn_t *c = (econn_t *)h;
	if (c->cap - c->len < want) {
		size_t cap = c->len + want;
		char *p = realloc(c->in, cap);
		if (!p) {
			*b = uv_buf_init(NULL, 0);
			return;
		}
		c->in = p;
		c->cap = cap;
	}
	*b = uv_buf_init(c->in + c->len, (unsigned)(c->cap - c->len));
}

/* One answer per whole frame, all of this read's answers in one write. */
static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	(void)b;
	econn_t *c = (econn_t *)s;
	if (n < 0) {
		uv_close((uv_handle_t *)s, on_closed);
		return;
	}
	c->len += (size_t)n;
	size_t off = 0, nout = 0;
	char *out = NULL;
	for (;;) {
		if (c->len - off < 4)
			break;
		const uint8_t *h = (const uint8_t *)c->in + off;
		uint32_t flen = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
		if (flen > MAX_FRAME) {
			uv_close((uv_handle_t *)s, on_closed);
			free(out);
			return;
		}
		if (c->len - off < 4 + (size_t)flen)
			break;
		uint64_t id = request_id(h + 4, flen);
		char *grown = realloc(out, nout + answer_bytes + 64);
		if (!grown) {
			free(out);
			uv_close((uv_handle_t *)s, on_closed);
			return;
		}
		out = grown;
		uint8_t *p = (uint8_t *)out + nout + 4, *start = p;
		*p++ = 0x08; /* id */
		p += put_varint(p, id);
		*p++ = 0x10; /* status OK */
		*p++ = 0x00;
		/* padding to the answer's size: field 1000, length-delimited */
		size_t head = (size_t)(p - start) + 3 + 3, pad = answer_bytes > head ? answer_bytes - head : 0;
		p += put_varint(p, (1000u << 3) | 2);
		p += put_varint(p, pad);
		memset(p, 'x', pad);
		p += pad;
		uint32_t alen = (uint32_t)(p - start);
		uint8_t *fh = (uint8_t *)out + nout;
		fh[0] = (uint8_t)(alen >> 24);
		fh[1] = (uint8_t)(alen >> 16);
		fh[2] = (uint8_t)(alen >> 8);
		fh[3] = (uint8_t)alen;
		nout += 4 + alen;
		off += 4 + (size_t)flen;
	}
	memmove(c->in, c->in + off, c->len - off);
	c->len -= off;
	if (!nout)
		return;
	ewrite_t *w = malloc(sizeof(*w));
	if (!w) {
		free(out);
		uv_close((uv_handle_t *)s, on_closed);
		return;
	}
	w->data = out;
	uv_buf_t ob = uv_buf_init(out, (unsigned)nout);
	if (uv_write(&w->req, s, &ob, 1, on_written)) {
		free(out);
		free(w);
		uv_close((uv_handle_t *)s, on_closed);
	}
}

static void on_connection(uv_stream_t *server, int status)
{
	if (status < 0)
		return;
	econn_t *c = calloc(1, sizeof(*c));
	if (!c)
		return;
	uv_tcp_init(server->loop, &c->tcp);
	if (uv_accept(server, (uv_stream_t *)&c->tcp)) {
		uv_close((uv_handle_t *)&c->tcp, on_closed);
		return;
	}
	uv_tcp_nodelay(&c->tcp, 1);
	uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, on_read);
}

int main(int argc, char **argv)
{
	if (argc != 3 || atoi(argv[1]) < 0 || atoi(argv[1]) > 65535 || atol(argv[2]) <= 0 || atol(argv[2]) > (long)MAX_FRAME) {
		fprintf(stderr, "usage: echo PORT BYTES  (answers every frame with a Response of BYTES bytes)\n");
		return 2;
	}
	answer_bytes = (size_t)atol(argv[2]);
	uv_loop_t *loop = uv_default_loop();
	uv_tcp_t server;
	struct sockaddr_in addr;
	uv_ip4_addr("127.0.0.1", atoi(argv[1]), &addr);
	int rc;
	if ((rc = uv_tcp_init(loop, &server)) || (rc = uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0)) ||
	    (rc = uv_listen((uv_stream_t *)&server, 1024, on_connection))) {
		fprintf(stderr, "echo: %s\n", uv_strerror(rc));
		return 1;
	}
	struct sockaddr_in bound;
	int blen = sizeof(bound);
	if (uv_tcp_getsockname(&server, (struct sockaddr *)&bound, &blen))
		return 1;
	printf("listening %d\n", ntohs(bound.sin_port));
	fflush(stdout);
	return uv_run(loop, UV_RUN_DEFAULT);
}
