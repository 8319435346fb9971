#include "wire_client.h"

#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "frame.h"

bool wire_send(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		b += w;
		n -= (size_t)w;
	}
	return true;
}

size_t wire_recv(int fd, uint8_t *p, size_t n, int timeout_ms)
{
	size_t got = 0;
	while (got < n) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (poll(&pf, 1, timeout_ms) != 1)
			return got;
		ssize_t r = recv(fd, p + got, n - got, 0);
		if (r <= 0)
			return got;
		got += (size_t)r;
	}
	return got;
}

Yk__Response *wire_response(int fd)
{
	uint8_t hdr[FRAME_HEADER];
	uint32_t len = 0;
	if (wire_recv(fd, hdr, sizeof(hdr), 10000) != sizeof(hdr) || frame_peek(hdr, sizeof(hdr), 1u << 24, &len) < 0)
		return NULL;
	uint8_t *body = malloc(len ? len : 1);
	Yk__Response *r = body && wire_recv(fd, body, len, 10000) == len ? yk__response__unpack(NULL, len, body) : NULL;
	free(body);
	return r;
}

size_t wire_frame(Yk__Request *req, uint8_t *out)
{
	size_t n = yk__request__get_packed_size(req);
	frame_put_header(out, (uint32_t)n);
	yk__request__pack(req, out + FRAME_HEADER);
	return n + FRAME_HEADER;
}

size_t wire_hello(uint64_t id, uint8_t *out)
{
	Yk__Request req = YK__REQUEST__INIT;
	Yk__Hello h = YK__HELLO__INIT;
	h.has_protocol_version = 1;
	h.protocol_version = 1;
	req.has_id = 1;
	req.id = id;
	req.body_case = YK__REQUEST__BODY_HELLO;
	req.hello = &h;
	return wire_frame(&req, out);
}

size_t wire_status(uint64_t id, uint8_t *out)
{
	Yk__Request req = YK__REQUEST__INIT;
	Yk__ServerStatus s = YK__SERVER_STATUS__INIT;
	req.has_id = 1;
	req.id = id;
	req.body_case = YK__REQUEST__BODY_SERVER_STATUS;
	req.server_status = &s;
	return wire_frame(&req, out);
}

bool wire_say_hello(int fd)
{
	uint8_t f[64];
	if (!wire_send(fd, f, wire_hello(1, f)))
		return false;
	Yk__Response *r = wire_response(fd);
	bool ok = r && r->status == YK__CODE__OK && r->id == 1;
	if (r)
		yk__response__free_unpacked(r, NULL);
	return ok;
}
