/* A growable byte buffer.  The holder of a buf_t owns its data and frees it
 * with buf_free().  Used for connection read buffers and for text the client
 * builds (JSON, YAML, reports). */
#ifndef YK_BUF_H
#define YK_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "yk_err.h"

typedef struct {
	char *data;
	size_t len;
	size_t cap;
} buf_t;

#define BUF_INIT { NULL, 0, 0 }

/* Make room for `n` more bytes.  The data stays NUL-terminated after
 * every append so it can be used as a C string. */
YK_MUST_CHECK int buf_reserve(buf_t *b, size_t n);
YK_MUST_CHECK int buf_append(buf_t *b, const void *p, size_t n);
YK_MUST_CHECK int buf_puts(buf_t *b, const char *s);
YK_MUST_CHECK int buf_putc(buf_t *b, char c);
YK_MUST_CHECK int buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
YK_MUST_CHECK int buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* Drop the first n bytes. */
void buf_consume(buf_t *b, size_t n);
void buf_reset(buf_t *b);
void buf_free(buf_t *b);

#endif
