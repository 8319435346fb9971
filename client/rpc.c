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

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/time.h>

#include "frame.h"

#define RESPONSE_MAX (64u * 1024 * 1024)

static bool is_loopback(const char *host)
{
	return !strncmp(host, "127.", 4) || !strcmp(host, "::1") || !strcmp(host, "localhost");
}

static rpc_err_t tls_start(rpc_t *r, const char *host, const char *cacert, char *msg, size_t msglen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	r->ssl_ctx = ctx;
	if (!ctx) {
		snprintf(msg, msglen, "cannot set up TLS");
		return RPC_CONNECT;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_load_verify_locations(ctx, cacert, NULL) != 1) {
		snprintf(msg, msglen, "cannot read the CA certificates in %s", cacert);
		return RPC_CONNECT;
	}
	SSL *ssl = SSL_new(ctx);
	r->ssl = ssl;
	if (!ssl || SSL_set_fd(ssl, r->fd) != 1) {
		snprintf(msg, msglen, "cannot set up TLS");
		return RPC_CONNECT;
	}
	/* The certificate must name the host we were told to reach. */
	unsigned char ip[16];
	if (inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1) {
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
	} else {
		SSL_set1_host(ssl, host);
		SSL_set_tlsext_host_name(ssl, host);
	}
	struct timeval tv = { .tv_sec = r->timeout_ms / 1000, .tv_usec = (r->timeout_ms % 1000) * 1000 };
	setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(r->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (SSL_connect(ssl) != 1) {
		long v = SSL_get_verify_result(ssl);
		unsigned long e = ERR_get_error();
		char detail[160] = "";
		if (e)
			ERR_error_string_n(e, detail, sizeof(detail));
		if (v != X509_V_OK)
			snprintf(msg, msglen, "the server's certificate was not accepted: %s", X509_verify_cert_error_string(v));
		else
			snprintf(msg, msglen, "TLS handshake with %.200s failed (%.160s); does the server speak TLS?", host,
				 *detail ? detail : "connection closed");
		ERR_clear_error();
		return RPC_CONNECT;
	}
	return RPC_OK;
}

rpc_err_t rpc_connect(rpc_t *r, const char *server, const char *cacert, const char **why)
{
	static char msg[768];
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
	const char *force = getenv("YAKSOK_ALLOW_PLAINTEXT");
	if (!(cacert && *cacert) && !is_loopback(host) && !(force && !strcmp(force, "1"))) {
		snprintf(msg, sizeof(msg),
			 "%.200s is not a loopback address: connect with TLS (--cacert FILE or YAKSOK_CACERT), or set "
			 "YAKSOK_ALLOW_PLAINTEXT=1 to send your password in the clear",
			 host);
		*why = msg;
		return RPC_CONNECT;
	}
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
	if (cacert && *cacert) {
		rpc_err_t e = tls_start(r, host, cacert, msg, sizeof(msg));
		if (e) {
			rpc_close(r);
			*why = msg;
		}
		return e;
	}
	return RPC_OK;
}

void rpc_close(rpc_t *r)
{
	if (r->ssl)
		SSL_free(r->ssl);
	if (r->ssl_ctx)
		SSL_CTX_free(r->ssl_ctx);
	r->ssl = r->ssl_ctx = NULL;
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
		if (r->ssl) {
			int w = SSL_write(r->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
			if (w <= 0) {
				ERR_clear_error();
				*why = "the TLS connection to the server broke";
				return RPC_IO;
			}
			p += w;
			n -= (size_t)w;
			continue;
		}
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
		if (!(r->ssl && SSL_pending(r->ssl) > 0) && io_wait(r, POLLIN, why))
			return RPC_IO;
		if (r->ssl) {
			int got = SSL_read(r->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
			if (got <= 0) {
				int e = SSL_get_error(r->ssl, got);
				ERR_clear_error();
				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
					continue;
				*why = "the server closed the connection";
				return RPC_IO;
			}
			p += got;
			n -= (size_t)got;
			continue;
		}
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
