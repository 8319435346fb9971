/* The client side of the protocol: one blocking TCP connection, requests
 * numbered from 1, responses matched by id. */
#ifndef YK_RPC_H
#define YK_RPC_H

#include <stdint.h>

#include "arena.h"
#include "yaksok.pb-c.h"

typedef struct {
	int fd;
	void *ssl;                /* SSL *, when talking TLS */
	void *ssl_ctx;            /* SSL_CTX * */
	uint64_t next_id;
	uint32_t max_frame;       /* the server's, from Hello */
	int timeout_ms;
} rpc_t;

typedef enum {
	RPC_OK = 0,
	RPC_CONNECT,     /* could not connect */
	RPC_IO,          /* connection broke or timed out */
	RPC_PROTOCOL,    /* the server sent something unreadable */
	RPC_TOO_BIG,     /* the request exceeds the server's max frame */
} rpc_err_t;

/* Connect to HOST:PORT; with `cacert` (a PEM file of trusted CAs) over TLS,
 * verifying that the server's certificate names HOST (a DNS name or an IP
 * address).  Without it, only a loopback HOST is allowed unless
 * YAKSOK_ALLOW_PLAINTEXT=1.  *why gets a message on failure. */
rpc_err_t rpc_connect(rpc_t *r, const char *server, const char *cacert, const char **why);
void rpc_close(rpc_t *r);
/* Fill req->id, send it, wait for its response (unpacked into the arena). */
rpc_err_t rpc_call(rpc_t *r, arena_t *a, Yk__Request *req, Yk__Response **resp, const char **why);

#endif
