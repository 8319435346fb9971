#include "metrics_http.h"

#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "buf.h"
#include "log.h"
#include "srv.h"

#define REQUEST_MAX 4096
#define REQUEST_TIMEOUT_MS 5000

typedef struct {
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_write_t write;
	metrics_http_t *owner;
	char in[REQUEST_MAX];
	size_t len;
	buf_t out;
	int open_handles;
	bool answered;
} mconn_t;

static void on_closed(uv_handle_t *h)
{
	mconn_t *c = h->data;
	if (--c->open_handles == 0) {
		c->owner->conns--;
		buf_free(&c->out);
		free(c);
	}
}

static void mconn_close(mconn_t *c)
{
	if (uv_is_closing((uv_handle_t *)&c->tcp))
		return;
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_closed);
	uv_close((uv_handle_t *)&c->tcp, on_closed);
}

static void on_written(uv_write_t *w, int status)
{
	(void)status;
	mconn_close(w->data);
}

static void answer(mconn_t *c, const char *status, const char *type, const char *body, size_t body_len)
{
	c->answered = true;
	uv_read_stop((uv_stream_t *)&c->tcp);
	buf_t head = BUF_INIT;
	if (buf_printf(&head, "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		       status, type, body_len) ||
	    buf_append(&c->out, head.data, head.len) || buf_append(&c->out, body, body_len)) {
		buf_free(&head);
		mconn_close(c);
		return;
	}
	buf_free(&head);
	uv_buf_t b = uv_buf_init(c->out.data, (unsigned)c->out.len);
	c->write.data = c;
	if (uv_write(&c->write, (uv_stream_t *)&c->tcp, &b, 1, on_written))
		mconn_close(c);
}

static void serve(mconn_t *c)
{
	srv_t *s = c->owner->srv;
	if (strncmp(c->in, "GET ", 4)) {
		static const char msg[] = "only GET\n";
		answer(c, "405 Method Not Allowed", "text/plain", msg, sizeof(msg) - 1);
		return;
	}
	const char *path = c->in + 4;
	size_t pl = strcspn(path, " \r\n");
	if (!((pl == 8 && !strncmp(path, "/metrics", 8)) || (pl > 8 && !strncmp(path, "/metrics?", 9)))) {
		static const char msg[] = "not found: GET /metrics\n";
		answer(c, "404 Not Found", "text/plain", msg, sizeof(msg) - 1);
		return;
	}
	buf_t body = BUF_INIT;
	metrics_now_t now;
	srv_metrics_now(s, &now);
	if (metrics_render(&s->metrics, &now, &body)) {
		buf_free(&body);
		static const char msg[] = "out of memory\n";
		answer(c, "500 Internal Server Error", "text/plain", msg, sizeof(msg) - 1);
		return;
	}
	answer(c, "200 OK", "text/plain; version=0.0.4; charset=utf-8", body.data ? body.data : "", body.len);
	buf_free(&body);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)suggested;
	mconn_t *c = h->data;
	*b = uv_buf_init(c->in + c->len, (unsigned)(REQUEST_MAX - 1 - c->len));
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
	(void)b;
	mconn_t *c = st->data;
	if (n < 0) {
		mconn_close(c);
		return;
	}
	c->len += (size_t)n;
	c->in[c->len] = '\0';
	if (strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n")) {
		serve(c);
		return;
	}
	if (c->len >= REQUEST_MAX - 1) {
		static const char msg[] = "request too large\n";
		answer(c, "431 Request Header Fields Too Large", "text/plain", msg, sizeof(msg) - 1);
	}
}

static void on_timeout(uv_timer_t *t)
{
	mconn_t *c = t->data;
	if (!c->answered)
		mconn_close(c);
}

static void on_connection(uv_stream_t *listener, int status)
{
	metrics_http_t *m = listener->data;
	if (status < 0)
		return;
	mconn_t *c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->owner = m;
	m->conns++;
	uv_tcp_init(listener->loop, &c->tcp);
	uv_timer_init(listener->loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	c->open_handles = 2;
	if (uv_accept(listener, (uv_stream_t *)&c->tcp) || m->conns > LIMIT_METRICS_CONNS || m->srv->draining) {
		mconn_close(c);
		return;
	}
	uv_timer_start(&c->timer, on_timeout, REQUEST_TIMEOUT_MS, 0);
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read))
		mconn_close(c);
}

static void on_listener_closed(uv_handle_t *h)
{
	(void)h;
}

int metrics_http_start(metrics_http_t *m, struct srv *s, uv_loop_t *loop, const char *addr)
{
	memset(m, 0, sizeof(*m));
	m->srv = s;
	char host[64];
	const char *colon = strrchr(addr, ':');
	struct sockaddr_storage sa;
	if (!colon || (size_t)(colon - addr) >= sizeof(host)) {
		log_error("event=start_failed msg=\"--metrics-listen %s: expected HOST:PORT\"", addr);
		return -1;
	}
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	int port = atoi(colon + 1);
	if (uv_ip4_addr(host, port, (struct sockaddr_in *)&sa) && uv_ip6_addr(host, port, (struct sockaddr_in6 *)&sa)) {
		log_error("event=start_failed msg=\"--metrics-listen %s: use a numeric address\"", addr);
		return -1;
	}
	uv_tcp_init(loop, &m->listener);
	m->listener.data = m;
	int rc = uv_tcp_bind(&m->listener, (struct sockaddr *)&sa, 0);
	if (!rc)
		rc = uv_listen((uv_stream_t *)&m->listener, 64, on_connection);
	if (rc) {
		log_error("event=start_failed msg=\"cannot listen on %s for metrics: %s\"", addr, uv_strerror(rc));
		uv_close((uv_handle_t *)&m->listener, on_listener_closed);
		return -1;
	}
	m->listening = true;
	struct sockaddr_storage bound;
	int len = sizeof(bound);
	uv_tcp_getsockname(&m->listener, (struct sockaddr *)&bound, &len);
	int bound_port = ntohs(bound.ss_family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
							  : ((struct sockaddr_in6 *)&bound)->sin6_port);
	log_info("event=metrics_listening addr=%s port=%d", addr, bound_port);
	return 0;
}

void metrics_http_stop(metrics_http_t *m)
{
	if (!m->listening)
		return;
	m->listening = false;
	uv_close((uv_handle_t *)&m->listener, on_listener_closed);
}
