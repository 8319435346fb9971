/* From one complete frame to the handler that answers it: unpack into the
 * request's arena, check the envelope, authenticate the token, check the
 * account's role for the operation, then call the handler. */
#ifndef YK_DISPATCH_H
#define YK_DISPATCH_H

#include <stdint.h>

#include "conn.h"
#include "req.h"

void dispatch_frame(conn_t *c, const uint8_t *payload, uint32_t len);


#endif
