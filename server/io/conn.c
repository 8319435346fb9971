/* One client connection's life: accepting it, reading and framing, output
 * and backpressure, closing.  Over 600 lines on purpose: reading and
 * writing are one state machine here -- whether to read depends on what
 * waits to be written (update_reading), a write's end resumes reading and
 * processing (on_written -> pump), closing writes what was gathered -- and
 * split in two files each half would reach into the other's state through
 * a header of internals.  The interface is conn.h. */
#include "conn.h"

#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "dispatch.h"
#include "frame.h"
#include "log.h"
#include "reason.h"
#include "tls.h"

#define READ_CHUNK (64 * 1024)
#define TLS_RAW_CHUNK (16 * 1024)

typedef struct wreq {
	uv_write_t req;
	conn_t *conn;
	size_t len;
	char data[];
} wreq_t;

/* Answers are gathered per connection over a turn of the loop and written
 * once before the loop waits again (conn_flush_pending): a client's
 * pipelined reads answered from one freshness check were a write(2) each,
 * and on loopback each write also costs the kernel the receiving side's
 * work.  The buffer starts at OUT_MIN_CAP and doubles; an answer of
 * OUT_ALONE or more goes out on its own rather than being copied in. */
#define OUT_MIN_CAP (16 * 1024)
#define OUT_ALONE (64 * 1024)

static void start_reading(conn_t *c);
static void out_flush(conn_t *c);
static void out_unlink(conn_t *c);
static void pump(conn_t *c);
static void process(conn_t *c);
static bool tls_pull(conn_t *c);

static void free_conn(conn_t *c)
{
	srv_t *s = c->srv;
	if (c->out) {  /* conn_close wrote it; only a failed write leaves it */
		out_unlink(c);
		free(c->out);
	}
	sodium_memzero(c->token, sizeof(c->token));
	buf_free(&c->rbuf);
	tls_conn_free(c->tls);
	free(c->raw);
	free(c);
	srv_drain_progress(s);
}

static void on_handle_closed(uv_handle_t *h)
{
	conn_t *c = h->data;
	if (--c->open_handles > 0)
		return;
	if (c->inflight == 0)
		free_conn(c);
}

void conn_close(conn_t *c, const char *reason)
{
	if (c->closing)
		return;
	c->closing = true;
	out_flush(c);  /* what was answered goes out, as far as the socket takes it */
	log_info("event=conn_close conn=%llu peer=%s reason=\"%s\" inflight=%d", (unsigned long long)c->id, c->peer,
		 reason, c->inflight);
	srv_t *s = c->srv;
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	uv_timer_stop(&c->idle);
	uv_timer_stop(&c->frame);
	uv_timer_stop(&c->login);
	uv_timer_stop(&c->stall);
	uv_close((uv_handle_t *)&c->idle, on_handle_closed);
	uv_close((uv_handle_t *)&c->frame, on_handle_closed);
	uv_close((uv_handle_t *)&c->login, on_handle_closed);
	uv_close((uv_handle_t *)&c->stall, on_handle_closed);
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

/* What a queued write holds: its bytes, the write request around them, and
 * the allocator's own header. */
#define WRITE_COST(len) (sizeof(wreq_t) + (len) + 16)

/* The output this connection may leave unread. */
static size_t send_budget(const conn_t *c)
{
	size_t b = (size_t)c->srv->cfg->send_buffer;
	return c->authed || b < LIMIT_PRELOGIN_SEND_BUFFER ? b : LIMIT_PRELOGIN_SEND_BUFFER;
}

/* Too much output waits: this connection's own, or everyone's together --
 * then those with answers unread wait, and those that read theirs go on. */
static bool output_full(const conn_t *c)
{
	return c->queued_bytes >= send_budget(c) ||
	       (c->queued_bytes && c->srv->queued_total >= (size_t)c->srv->cfg->send_buffer_total);
}

static bool may_read(const conn_t *c)
{
	return !c->closing && !c->close_after_write && !c->srv->draining && c->inflight < c->srv->cfg->max_inflight &&
	       !output_full(c);
}

static void queued_add(conn_t *c, size_t cost)
{
	c->queued_bytes += cost;
	c->srv->queued_total += cost;
}

static void queued_sub(conn_t *c, size_t cost)
{
	c->queued_bytes -= cost;
	c->srv->queued_total -= cost;
}

static void on_stall(uv_timer_t *t)
{
	conn_t *c = t->data;
	log_warn("event=send_stalled conn=%llu peer=%s queued=%zu", (unsigned long long)c->id, c->peer, c->queued_bytes);
	conn_close(c, "the client does not read its answers");
}

static void update_reading(conn_t *c)
{
	/* A client that stops reading is not read from either; one that
	 * stays so past --send-timeout is cut off. */
	bool stalled = c->queued_bytes >= send_budget(c);
	if (stalled && !uv_is_active((uv_handle_t *)&c->stall))
		uv_timer_start(&c->stall, on_stall, (uint64_t)c->srv->cfg->send_timeout_s * 1000, 0);
	else if (!stalled)
		uv_timer_stop(&c->stall);
	bool want = may_read(c);
	if (want && !c->reading)
		start_reading(c);
	else if (!want && c->reading) {
		uv_read_stop((uv_stream_t *)&c->tcp);
		c->reading = false;
	}
}

static void on_written(uv_write_t *w, int status)
{
	wreq_t *wr = (wreq_t *)w;
	conn_t *c = wr->conn;
	queued_sub(c, WRITE_COST(wr->len));
	free(wr);
	if (c->closing)
		return;
	if (status < 0) {
		conn_close(c, uv_strerror(status));
		return;
	}
	if (c->close_after_write && c->queued_bytes == 0) {
		conn_close(c, "error frame sent");
		return;
	}
	if (c->srv->draining && c->inflight == 0 && c->queued_bytes == 0) {
		conn_close(c, "server shutting down");
		return;
	}
	pump(c);
}

/* Room for len bytes to go out; NULL (the connection closing) when there is none. */
static wreq_t *wreq_new(conn_t *c, size_t len)
{
	wreq_t *wr = malloc(sizeof(*wr) + len);
	if (!wr) {
		conn_close(c, "out of memory for a response");
		return NULL;
	}
	wr->conn = c;
	wr->len = len;
	return wr;
}

/* Hand wr, already counted in queued_bytes, to uv_write; wr is the write's now. */
static void write_counted(conn_t *c, wreq_t *wr)
{
	uv_buf_t b = uv_buf_init(wr->data, (unsigned)wr->len);
	int rc = uv_write(&wr->req, (uv_stream_t *)&c->tcp, &b, 1, on_written);
	if (rc) {
		queued_sub(c, WRITE_COST(wr->len));
		free(wr);
		conn_close(c, uv_strerror(rc));
		return;
	}
	c->srv->metrics.output_writes++;
}

/* Queue wr's bytes exactly as they go on the wire, after this turn's
 * gathered output; wr is the write's now. */
static void write_wreq(conn_t *c, wreq_t *wr)
{
	out_flush(c);
	queued_add(c, WRITE_COST(wr->len));
	write_counted(c, wr);
	if (!c->closing && output_full(c))
		update_reading(c);
}

static void out_unlink(conn_t *c)
{
	srv_t *s = c->srv;
	if (c->out_prev)
		c->out_prev->out_next = c->out_next;
	else
		s->out_pending = c->out_next;
	if (c->out_next)
		c->out_next->out_prev = c->out_prev;
	c->out_prev = c->out_next = NULL;
}

/* This turn's output to uv_write. */
static void out_flush(conn_t *c)
{
	wreq_t *wr = c->out;
	if (!wr)
		return;
	out_unlink(c);
	c->out = NULL;
	c->out_cap = 0;
	write_counted(c, wr);
}

void conn_flush_pending(srv_t *s)
{
	while (s->out_pending)
		out_flush(s->out_pending);
}

/* Room for len more bytes at the end of this turn's output, counted as
 * queued at once (the limits see it before it is written); NULL when there
 * is none (the connection is then closing). */
static uint8_t *out_reserve(conn_t *c, size_t len)
{
	wreq_t *wr = c->out;
	size_t used = wr ? wr->len : 0;
	if (!wr || used + len > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : OUT_MIN_CAP;
		while (cap < used + len)
			cap *= 2;
		wreq_t *grown = realloc(wr, sizeof(*grown) + cap);
		if (!grown) {
			conn_close(c, "out of memory for a response");
			return NULL;
		}
		if (!wr) {
			grown->conn = c;
			grown->len = 0;
			queued_add(c, WRITE_COST(0));
			srv_t *s = c->srv;
			c->out_prev = NULL;
			c->out_next = s->out_pending;
			if (s->out_pending)
				s->out_pending->out_prev = c;
			s->out_pending = c;
		}
		c->out = wr = grown;
		c->out_cap = cap;
	}
	uint8_t *p = (uint8_t *)wr->data + wr->len;
	wr->len += len;
	queued_add(c, len);
	return p;
}

static void write_raw(conn_t *c, const void *data, size_t len)
{
	wreq_t *wr = wreq_new(c, len);
	if (!wr)
		return;
	memcpy(wr->data, data, len);
	write_wreq(c, wr);
}

/* Send the TLS records OpenSSL has ready (handshake, alerts, data). */
static void tls_flush(conn_t *c)
{
	buf_t out = BUF_INIT;
	if (tls_take(c->tls, &out))
		conn_close(c, "out of memory for TLS output");
	else if (out.len)
		write_raw(c, out.data, out.len);
	buf_free(&out);
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* `resp`, and after it (when `body`) field `field` holding `body`, which is
 * an already packed message: protobuf fields may follow one another in any
 * order, so the two together are one Response. */
static void send_frame(conn_t *c, const Yk__Response *resp, uint32_t field, const uint8_t *body, size_t body_len,
		       bool plaintext)
{
	if (c->closing)
		return;
	uint8_t head[20];
	size_t hl = body ? put_varint(head, (uint64_t)field << 3 | 2) : 0;
	if (body)
		hl += put_varint(head + hl, body_len);
	size_t n = yk__response__get_packed_size(resp);
	size_t total = n + hl + (body ? body_len : 0);
	bool tls = c->tls && !plaintext;
	bool alone = !tls && FRAME_HEADER + total >= OUT_ALONE;
	/* in plaintext the frame is built where it waits to be written, with
	 * the turn's other answers or (a large one) on its own: one copy of a
	 * cached body */
	wreq_t *wr = alone ? wreq_new(c, FRAME_HEADER + total) : NULL;
	uint8_t *f = tls ? malloc(FRAME_HEADER + total)
		     : alone ? (uint8_t *)(wr ? wr->data : NULL) : out_reserve(c, FRAME_HEADER + total);
	if (!f) {
		if (tls)
			conn_close(c, "out of memory for a response");
		return;
	}
	c->srv->metrics.output_frames++;
	frame_put_header(f, (uint32_t)total);
	yk__response__pack(resp, f + FRAME_HEADER);
	if (body) {
		memcpy(f + FRAME_HEADER + n, head, hl);
		memcpy(f + FRAME_HEADER + n + hl, body, body_len);
	}
	if (alone) {
		write_wreq(c, wr);
		return;
	}
	if (!tls) {
		if (output_full(c))
			update_reading(c);
		if (!c->srv->out_gather)
			out_flush(c);
		return;
	}
	if (tls_write(c->tls, f, FRAME_HEADER + total))
		conn_close(c, tls_error(c->tls));
	else
		tls_flush(c);
	free(f);
}

void conn_send(conn_t *c, const Yk__Response *resp)
{
	send_frame(c, resp, 0, NULL, 0, false);
}

void conn_send_with(conn_t *c, const Yk__Response *resp, uint32_t field, const uint8_t *body, size_t len)
{
	send_frame(c, resp, field, body, len, false);
}

void conn_authenticated(conn_t *c)
{
	if (c->authed)
		return;
	c->authed = true;
	if (!c->closing)
		uv_timer_stop(&c->login);
}

static void on_login_deadline(uv_timer_t *t)
{
	conn_t *c = t->data;
	if (!c->authed && c->inflight == 0)
		conn_close(c, "no login within --login-timeout");
	else if (!c->authed)
		uv_timer_start(&c->login, on_login_deadline, 1000, 0);  /* let the login in flight finish */
}

/* A connection-level error: one frame with id 0, then close.  `plaintext`
 * for a client that did not speak TLS to a TLS listener. */
static void send_fatal_as(conn_t *c, Yk__Reason reason, const char *msg, bool plaintext)
{
	Yk__Response resp = YK__RESPONSE__INIT;
	resp.has_id = 1;
	resp.id = 0;
	resp.has_status = 1;
	resp.status = yk_reason_code(reason);
	resp.has_reason = 1;
	resp.reason = reason;
	resp.message = (char *)msg;
	c->close_after_write = true;
	update_reading(c);
	send_frame(c, &resp, 0, NULL, 0, plaintext);
}

static void send_fatal(conn_t *c, Yk__Reason reason, const char *msg)
{
	send_fatal_as(c, reason, msg, false);
}

void conn_request_done(conn_t *c)
{
	c->inflight--;
	c->srv->inflight--;
	if (c->closing) {
		if (c->open_handles == 0 && c->inflight == 0)
			free_conn(c);
		return;
	}
	if (c->srv->draining) {
		process(c);  /* what waited behind --max-inflight is answered too */
		if (!c->closing && c->inflight == 0 && c->queued_bytes == 0)
			conn_close(c, "server shutting down");
		srv_drain_progress(c->srv);
		return;
	}
	if (c->inflight == 0)
		uv_timer_again(&c->idle);
	pump(c);
}

static void on_frame_timeout(uv_timer_t *t)
{
	conn_t *c = t->data;
	log_warn("event=frame_timeout conn=%llu peer=%s buffered=%zu", (unsigned long long)c->id, c->peer, c->rbuf.len);
	conn_close(c, "a frame did not arrive whole in time");
}

/* Hand every complete frame in the buffer to dispatch, as long as the
 * connection may take more requests. */
static void process(conn_t *c)
{
	/* A request answered at once pumps again: the outer loop already
	 * does that work. */
	if (c->in_process)
		return;
	c->in_process = true;
	size_t off = 0;
	uint32_t max = (uint32_t)c->srv->cfg->max_frame;
	while (!c->closing && !c->close_after_write) {
		uint32_t len = 0;
		int r = frame_peek((const uint8_t *)c->rbuf.data + off, c->rbuf.len - off, max, &len);
		if (r == YK_ETOOBIG) {
			char msg[128];
			snprintf(msg, sizeof(msg), "frame of %u bytes exceeds the limit of %u bytes", len, max);
			log_warn("event=frame_too_big conn=%llu peer=%s len=%u max=%u", (unsigned long long)c->id, c->peer,
				 len, max);
			send_fatal(c, YK__REASON__REASON_TOO_LARGE, msg);
			break;
		}
		if (r == 0)
			break;
		/* while draining too: a request already here is answered (the
		 * dispatcher says the server is shutting down), not dropped */
		if (c->inflight >= c->srv->cfg->max_inflight)
			break;
		/* Frames already read wait too while the answers pile up: a
		 * read of 64 KiB holds thousands of tiny requests. */
		if (output_full(c))
			break;
		c->inflight++;
		c->srv->inflight++;
		uv_timer_stop(&c->idle);
		dispatch_frame(c, (const uint8_t *)c->rbuf.data + off + FRAME_HEADER, len);
		off += FRAME_HEADER + len;
	}
	buf_consume(&c->rbuf, off);
	/* An idle connection keeps no read buffer: a thousand of them would
	 * otherwise hold 64 KiB each. */
	if (c->rbuf.len == 0)
		buf_free(&c->rbuf);
	c->in_process = false;
	/* An incomplete frame has a deadline from its first byte, not from the
	 * last: a peer trickling bytes cannot hold the connection.  A frame
	 * taken whole just now means the one left incomplete is a new frame,
	 * with a deadline of its own (else a client keeping its pipeline full,
	 * every read ending inside a frame, was cut off --frame-timeout after
	 * its first). */
	uint32_t len;
	bool partial = !c->closing && c->rbuf.len &&
		       frame_peek((const uint8_t *)c->rbuf.data, c->rbuf.len, UINT32_MAX, &len) == 0;
	if (!partial)
		uv_timer_stop(&c->frame);
	else if (off > 0 || !uv_is_active((uv_handle_t *)&c->frame))
		uv_timer_start(&c->frame, on_frame_timeout, (uint64_t)c->srv->cfg->frame_timeout_s * 1000, 0);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *out)
{
	(void)suggested;
	conn_t *c = h->data;
	if (c->tls) {
		/* ciphertext; the plaintext goes to rbuf as it has room */
		*out = uv_buf_init(c->raw, TLS_RAW_CHUNK);
		return;
	}
	/* Never more than one maximal frame (plus its header) is buffered. */
	size_t limit = (size_t)c->srv->cfg->max_frame + FRAME_HEADER;
	size_t want = READ_CHUNK;
	if (c->rbuf.len >= limit || buf_reserve(&c->rbuf, want)) {
		*out = uv_buf_init(NULL, 0);
		return;
	}
	size_t room = c->rbuf.cap - c->rbuf.len - 1;
	*out = uv_buf_init(c->rbuf.data + c->rbuf.len, (unsigned)room);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *b)
{
	(void)b;
	conn_t *c = stream->data;
	if (nread == 0)
		return;
	if (nread < 0) {
		if (nread == UV_ENOBUFS)
			conn_close(c, "out of memory for the read buffer");
		else
			conn_close(c, nread == UV_EOF ? (c->rbuf.len ? "peer closed mid-frame" : "peer closed")
						     : uv_strerror((int)nread));
		return;
	}
	uv_timer_again(&c->idle);
	if (c->tls) {
		if (!c->tls_started) {
			c->tls_started = true;
			if ((uint8_t)c->raw[0] != TLS_RECORD_HANDSHAKE) {
				log_warn("event=plaintext_to_tls conn=%llu peer=%s", (unsigned long long)c->id, c->peer);
				send_fatal_as(c, YK__REASON__REASON_TLS_REQUIRED,
					      "this server speaks only TLS: connect with TLS (yaksok --cacert FILE, or YAKSOK_CACERT)",
					      true);
				return;
			}
		}
		if (tls_feed(c->tls, c->raw, (size_t)nread)) {
			conn_close(c, "out of memory for TLS input");
			return;
		}
		pump(c);
		return;
	}
	c->rbuf.len += (size_t)nread;
	c->rbuf.data[c->rbuf.len] = '\0';
	pump(c);
}

/* Move decrypted bytes into rbuf while it has room for them; what does not
 * fit stays inside OpenSSL until frames have been taken out.  false after
 * closing the connection. */
static bool tls_pull(conn_t *c)
{
	size_t limit = (size_t)c->srv->cfg->max_frame + FRAME_HEADER;
	while (c->rbuf.len < limit) {
		size_t want = limit - c->rbuf.len < READ_CHUNK ? limit - c->rbuf.len : READ_CHUNK;
		if (buf_reserve(&c->rbuf, want)) {
			conn_close(c, "out of memory for the read buffer");
			return false;
		}
		long n = tls_read(c->tls, c->rbuf.data + c->rbuf.len, want);
		if (n < 0) {
			tls_flush(c);  /* the alert, if any */
			conn_close(c, tls_error(c->tls));
			return false;
		}
		if (n == 0)
			break;
		c->rbuf.len += (size_t)n;
		c->rbuf.data[c->rbuf.len] = '\0';
	}
	tls_flush(c);  /* handshake records, session tickets */
	return !c->closing;
}

static void start_reading(conn_t *c)
{
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
		c->reading = true;
}

/* Serve what is buffered (frames may wait there while the connection is at
 * its in-flight limit), then read more only if there is room. */
static void pump(conn_t *c)
{
	if (c->tls && !c->closing && !tls_pull(c))
		return;
	process(c);
	if (!c->closing)
		update_reading(c);
}

static void on_idle(uv_timer_t *t)
{
	conn_t *c = t->data;
	if (c->inflight == 0)
		conn_close(c, "idle timeout");
}

void conn_drain(conn_t *c)
{
	update_reading(c);
	process(c);  /* answer what has arrived but not been read */
	if (!c->closing && c->inflight == 0 && c->queued_bytes == 0)
		conn_close(c, "server shutting down");
}

/* The server is full and `newc` has come: the connection that makes room,
 * or NULL.  Only one that has not logged in (nor is from a trusted range)
 * makes room -- the oldest such, from an address that holds more of those
 * than newc's does -- so that a handful of addresses flooding the server
 * cannot keep anyone else out, and a flooder cannot push others out to get
 * more for himself. */
static conn_t *eviction_victim(srv_t *s, const conn_t *newc)
{
	conn_t *victim = NULL;
	for (conn_t *o = s->conns; o; o = o->next)  /* newest first: the last seen is the oldest */
		if (o != newc && !o->authed && !o->trusted && !o->closing && !o->close_after_write &&
		    strcmp(o->addr, newc->addr))
			victim = o;
	if (!victim)
		return NULL;
	int64_t mine = 0, theirs = 0;
	for (conn_t *o = s->conns; o; o = o->next) {
		if (o == newc || o->authed || o->closing || o->close_after_write)
			continue;
		mine += !strcmp(o->addr, newc->addr);
		theirs += !strcmp(o->addr, victim->addr);
	}
	return mine < theirs ? victim : NULL;
}

void conn_on_connection(uv_stream_t *listener, int status)
{
	srv_t *s = listener->data;
	if (status < 0) {
		log_warn("event=accept_failed error=\"%s\"", uv_strerror(status));
		return;
	}
	conn_t *c = calloc(1, sizeof(*c));
	if (!c) {
		log_error("event=accept_failed error=\"out of memory\"");
		return;
	}
	c->srv = s;
	c->id = ++s->next_conn_id;
	uv_tcp_init(s->loop, &c->tcp);
	uv_timer_init(s->loop, &c->idle);
	uv_timer_init(s->loop, &c->frame);
	uv_timer_init(s->loop, &c->login);
	uv_timer_init(s->loop, &c->stall);
	c->tcp.data = c;
	c->idle.data = c;
	c->frame.data = c;
	c->login.data = c;
	c->stall.data = c;
	c->open_handles = 5;
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	if (uv_accept(listener, (uv_stream_t *)&c->tcp)) {
		conn_close(c, "accept failed");
		return;
	}
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	strcpy(c->peer, "?");
	strcpy(c->addr, "?");
	if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) == 0) {
		char ip[INET6_ADDRSTRLEN] = "";
		int port = 0;
		if (ss.ss_family == AF_INET) {
			uv_ip4_name((struct sockaddr_in *)&ss, ip, sizeof(ip));
			port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		} else {
			uv_ip6_name((struct sockaddr_in6 *)&ss, ip, sizeof(ip));
			port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		}
		snprintf(c->peer, sizeof(c->peer), "%s:%d", ip, port);
		snprintf(c->addr, sizeof(c->addr), "%s", ip);
		c->trusted = cidr_match_any(s->trusted, s->ntrusted, (struct sockaddr *)&ss);
	}
	uv_tcp_nodelay(&c->tcp, 1);
	if (s->tls) {
		c->tls = tls_conn_new(s->tls);
		c->raw = malloc(TLS_RAW_CHUNK);
		if (!c->tls || !c->raw) {
			conn_close(c, "out of memory for TLS");
			return;
		}
	}
	log_debug("event=conn_open conn=%llu peer=%s", (unsigned long long)c->id, c->peer);
	uint64_t idle_ms = (uint64_t)s->cfg->idle_timeout_s * 1000;
	uv_timer_start(&c->idle, on_idle, idle_ms, idle_ms);
	uv_timer_start(&c->login, on_login_deadline, (uint64_t)s->cfg->login_timeout_s * 1000, 0);
	if ((int64_t)s->nconns > s->cfg->max_conns) {
		conn_t *victim = eviction_victim(s, c);
		if (!victim) {
			s->metrics.conns_refused++;
			log_warn("event=conn_refused peer=%s reason=max_conns conns=%zu", c->peer, s->nconns);
			send_fatal(c, YK__REASON__REASON_OVERLOADED, "the server has too many connections; try again later");
			return;
		}
		s->metrics.conns_evicted++;
		log_warn("event=conn_evicted peer=%s for=%s reason=max_conns", victim->peer, c->peer);
		send_fatal(victim, YK__REASON__REASON_OVERLOADED,
			   "the server is full and this connection had not logged in; connect again");
	}
	/* The per-address limit is against floods, not against a city hall's
	 * staff behind one NAT address: only connections that have not logged
	 * in (nor shown a valid token) count, and none from the city's own
	 * NAT or proxy addresses (--trusted-addrs), where a whole department
	 * may connect at the same moment. */
	int64_t same = 0;
	for (conn_t *o = s->conns; o && !c->trusted; o = o->next)
		same += !o->authed && !strcmp(o->addr, c->addr);
	if (same > s->cfg->max_conns_per_addr) {
		s->metrics.conns_refused++;
		log_warn("event=conn_refused peer=%s reason=max_conns_per_addr conns=%lld", c->peer, (long long)same);
		send_fatal(c, YK__REASON__REASON_OVERLOADED, "too many connections from your address; close some and try again");
		return;
	}
	if (s->draining) {
		send_fatal(c, YK__REASON__REASON_SHUTTING_DOWN, "the server is shutting down");
		return;
	}
	s->metrics.conns_accepted++;
	start_reading(c);
}
