/* From one complete frame to the handler that answers it: unpack into the
 * request's arena, check the envelope, authenticate the token, check the
 * account's role for the operation, then call the handler. */
#ifndef YK_DISPATCH_H
#define YK_DISPATCH_H

#include <stdint.h>

#include "conn.h"
#include "req.h"

void dispatch_frame(conn_t *c, const uint8_t *payload, uint32_t len);

/* For a session_in_query handler that cannot confirm the session in its own
 * query after all: check it now, then call `then` (or fail the request). */
void dispatch_check_session(req_t *r, void (*then)(req_t *r));
/* The session of this hash is gone (logout, or found expired). */
void dispatch_forget_session(srv_t *s, const char *hash);

#endif
