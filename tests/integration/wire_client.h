/* What the wire-level tests (it_wire.c, it_abuse.c) share: raw frames on a
 * socket, with no client library in between, so that they can send what a
 * real client never would. */
#ifndef YK_WIRE_CLIENT_H
#define YK_WIRE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "yaksok.pb-c.h"

/* Send all of it; false when the connection refuses. */
bool wire_send(int fd, const void *p, size_t n);
/* Read exactly n bytes; the count read before EOF, an error or the timeout. */
size_t wire_recv(int fd, uint8_t *p, size_t n, int timeout_ms);
/* The next response frame, unpacked (free with yk__response__free_unpacked);
 * NULL when none came whole within 10 s. */
Yk__Response *wire_response(int fd);
/* Frame `req` into `out` (room for it and the header); the frame's length. */
size_t wire_frame(Yk__Request *req, uint8_t *out);
size_t wire_hello(uint64_t id, uint8_t *out);
size_t wire_status(uint64_t id, uint8_t *out);
/* Send Hello (id 1) and read its answer: true when it is OK. */
bool wire_say_hello(int fd);

#endif
