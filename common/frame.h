/* Framing: every message on the wire is a 4-byte big-endian length followed by
 * that many bytes of one protobuf message.  These functions are pure (no I/O,
 * no allocation) so the decoder can be fuzzed on its own. */
#ifndef YK_FRAME_H
#define YK_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "buf.h"
#include "yk_err.h"

#define FRAME_HEADER 4
#define FRAME_DEFAULT_MAX (1024u * 1024u)

/* Look at the start of `p` (avail bytes).  Returns 1 and sets *len when a whole
 * frame is there (its payload starts at p + FRAME_HEADER), 0 when more bytes are
 * needed (*len is set once the header is complete, so the caller can reserve),
 * YK_ETOOBIG when the announced length (in *len) exceeds `max`: the caller
 * must not allocate for it. */
int frame_peek(const uint8_t *p, size_t avail, uint32_t max, uint32_t *len);

void frame_put_header(uint8_t *p, uint32_t len);

/* Append one framed message to `out`. */
YK_MUST_CHECK int frame_append(buf_t *out, const ProtobufCMessage *msg);

#endif
