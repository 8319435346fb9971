/* The client side of the protocol: one blocking TCP connection, requests
 * numbered from 1, responses matched by id. */
#ifndef YK_RPC_H
#define YK_RPC_H

#include <stdint.h>

#include "arena.h"
#include "yaksok.pb-c.h"

typedef struct {
	int fd;
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

/* Connect to HOST:PORT.  *why gets a message on failure. */
rpc_err_t rpc_connect(rpc_t *r, const char *server, const char **why);
void rpc_close(rpc_t *r);
/* Fill req->id, send it, wait for its response (unpacked into the arena). */
rpc_err_t rpc_call(rpc_t *r, arena_t *a, Yk__Request *req, Yk__Response **resp, const char **why);

#endif
