/* One client connection: reads frames (each checked against --max-frame before
 * anything is allocated for it), hands complete ones to dispatch, writes
 * responses in any order, and stops reading while too many requests are in
 * flight or too much output is queued.  A connection is the unit of failure:
 * any protocol error closes that connection and nothing else. */
#ifndef YK_CONN_H
#define YK_CONN_H

#include <stdbool.h>
#include <uv.h>

#include "buf.h"
#include "srv.h"
#include "yaksok.pb-c.h"

struct conn {
	uv_tcp_t tcp;
	uv_timer_t idle;
	uv_timer_t frame;       /* runs while an incomplete frame is buffered */
	uv_timer_t login;       /* the pre-login deadline; stopped once authenticated */
	uv_timer_t stall;       /* runs while output stays above --send-buffer */
	srv_t *srv;
	uint64_t id;
	char peer[64];
	char addr[48];          /* the peer's address without the port */
	bool authed;            /* a login succeeded or a valid token was presented */
	bool trusted;           /* from a --trusted-addrs range */
	char token[AUTH_TOKEN_HEX];       /* the last token presented here ... */
	char token_hash[AUTH_BYTEA_HEX];  /* ... and its hash, so a client's every request does not hash it again */
	struct tls_conn *tls;   /* NULL on a plaintext listener */
	char *raw;              /* TLS: ciphertext as read */
	bool tls_started;       /* TLS: the first byte has been seen */
	buf_t rbuf;
	bool hello;             /* Hello done: other requests are allowed */
	bool reading;
	bool closing;
	int open_handles;       /* tcp and the timers, until their close callbacks ran */
	int inflight;           /* requests dispatched and not yet answered */
	size_t queued_bytes;    /* the cost of output handed to uv_write and not yet
				 * written: its bytes and each write's bookkeeping, so
				 * that a million tiny answers count as what they hold */
	bool close_after_write;
	bool in_process;
	conn_t *prev, *next;
	struct wreq *out;       /* this turn's answers, not yet handed to uv_write */
	size_t out_cap;
	conn_t *out_prev, *out_next; /* in srv->out_pending while `out` is set */
};

void conn_on_connection(uv_stream_t *listener, int status);

/* Queue a response frame, to be written with the connection's other answers
 * of this turn of the loop.  The connection may be closing: then the
 * response is dropped. */
void conn_send(conn_t *c, const Yk__Response *resp);
/* The same with one more field, `field`, whose value is `body`: a message
 * already packed (the read cache's), sent without unpacking it again. */
void conn_send_with(conn_t *c, const Yk__Response *resp, uint32_t field, const uint8_t *body, size_t len);
/* Hand every connection's output of this turn of the loop to uv_write: one
 * write for all the answers a connection was given since the last turn
 * (srv.c's prepare handle, before the loop waits again). */
void conn_flush_pending(srv_t *s);
/* A request of this connection has been answered (or dropped). */
void conn_request_done(conn_t *c);
void conn_close(conn_t *c, const char *reason);
/* The connection has shown a valid session: its pre-login deadline ends. */
void conn_authenticated(conn_t *c);
/* Draining: read nothing more; close once nothing is in flight. */
void conn_drain(conn_t *c);

#endif
