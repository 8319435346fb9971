#include "rpc.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "frame.h"

#define RESPONSE_MAX (64u * 1024 * 1024)

rpc_err_t rpc_connect(rpc_t *r, const char *server, const char **why)
{
	static char msg[300];
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->next_id = 1;
	r->max_frame = FRAME_DEFAULT_MAX;
	const char *t = getenv("YAKSOK_TIMEOUT_MS");
	r->timeout_ms = t && atoi(t) > 0 ? atoi(t) : 60000;
	char host[256];
	const char *colon = strrchr(server, ':');
	if (!colon || colon == server || (size_t)(colon - server) >= sizeof(host)) {
		snprintf(msg, sizeof(msg), "bad server address \"%s\": expected HOST:PORT", server);
		*why = msg;
		return RPC_CONNECT;
	}
	memcpy(host, server, (size_t)(colon - server));
	host[colon - server] = '\0';
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	int gai = getaddrinfo(host, colon + 1, &hints, &res);
	if (gai) {
		snprintf(msg, sizeof(msg), "cannot resolve %s: %s", server, gai_strerror(gai));
		*why = msg;
		return RPC_CONNECT;
	}
	int err = 0;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			r->fd = fd;
			break;
		}
		err = errno;
		close(fd);
	}
	freeaddrinfo(res);
	if (r->fd < 0) {
		snprintf(msg, sizeof(msg), "cannot connect to yaksokd at %s: %s", server, strerror(err ? err : ECONNREFUSED));
		*why = msg;
		return RPC_CONNECT;
	}
	int one = 1;
	setsockopt(r->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return RPC_OK;
}

void rpc_close(rpc_t *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

static rpc_err_t io_wait(rpc_t *r, short ev, const char **why)
{
	struct pollfd p = { .fd = r->fd, .events = ev };
	int n;
	do
		n = poll(&p, 1, r->timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n == 0) {
		*why = "the server did not answer in time";
		return RPC_IO;
	}
	if (n < 0) {
		*why = strerror(errno);
		return RPC_IO;
	}
	return RPC_OK;
}

static rpc_err_t write_all(rpc_t *r, const uint8_t *p, size_t n, const char **why)
{
	while (n) {
		ssize_t w = send(r->fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (io_wait(r, POLLOUT, why))
				return RPC_IO;
			continue;
		}
		if (w <= 0) {
			*why = "the connection to the server broke";
			return RPC_IO;
		}
		p += w;
		n -= (size_t)w;
	}
	return RPC_OK;
}

static rpc_err_t read_all(rpc_t *r, uint8_t *p, size_t n, const char **why)
{
	while (n) {
		if (io_wait(r, POLLIN, why))
			return RPC_IO;
		ssize_t got = recv(r->fd, p, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			*why = "the server closed the connection";
			return RPC_IO;
		}
		p += got;
		n -= (size_t)got;
	}
	return RPC_OK;
}

rpc_err_t rpc_call(rpc_t *r, arena_t *a, Yk__Request *req, Yk__Response **resp, const char **why)
{
	static char msg[200];
	req->has_id = 1;
	req->id = r->next_id++;
	size_t n = yk__request__get_packed_size(req);
	if (n > r->max_frame) {
		snprintf(msg, sizeof(msg), "the request is %zu bytes; the server accepts at most %u", n, r->max_frame);
		*why = msg;
		return RPC_TOO_BIG;
	}
	uint8_t *out = malloc(FRAME_HEADER + n);
	if (!out) {
		*why = "out of memory";
		return RPC_IO;
	}
	frame_put_header(out, (uint32_t)n);
	yk__request__pack(req, out + FRAME_HEADER);
	rpc_err_t e = write_all(r, out, FRAME_HEADER + n, why);
	free(out);
	if (e)
		return e;
	for (;;) {
		uint8_t hdr[FRAME_HEADER];
		uint32_t len = 0;
		if ((e = read_all(r, hdr, sizeof(hdr), why)))
			return e;
		if (frame_peek(hdr, sizeof(hdr), RESPONSE_MAX, &len) < 0) {
			*why = "the server sent an oversized frame";
			return RPC_PROTOCOL;
		}
		uint8_t *body = arena_alloc(a, len ? len : 1);
		if (!body) {
			*why = "out of memory";
			return RPC_IO;
		}
		if ((e = read_all(r, body, len, why)))
			return e;
		ProtobufCAllocator al = arena_pb_allocator(a);
		Yk__Response *m = yk__response__unpack(&al, len, body);
		if (!m) {
			*why = "the server sent a response this client cannot read";
			return RPC_PROTOCOL;
		}
		/* id 0 is a connection-level error: it answers whatever we sent. */
		if (m->id == req->id || m->id == 0) {
			*resp = m;
			return RPC_OK;
		}
	}
}
