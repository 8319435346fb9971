/* TLS on the listener, through OpenSSL memory BIOs: libuv moves the bytes,
 * OpenSSL only transforms them, so nothing here ever blocks or touches a
 * socket.  A connection feeds what it read (tls_feed), takes out the
 * plaintext (tls_read), puts plaintext in (tls_write) and sends whatever
 * ciphertext is waiting (tls_take) — handshake records included. */
#ifndef YK_TLS_H
#define YK_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct tls_ctx tls_ctx_t;
typedef struct tls_conn tls_conn_t;

/* Load the certificate chain and key (PEM).  NULL after logging why. */
tls_ctx_t *tls_ctx_new(const char *cert_file, const char *key_file);
void tls_ctx_free(tls_ctx_t *ctx);

tls_conn_t *tls_conn_new(tls_ctx_t *ctx);
void tls_conn_free(tls_conn_t *t);

/* Ciphertext from the peer.  0 or -1 (out of memory). */
int tls_feed(tls_conn_t *t, const void *data, size_t len);
/* Plaintext into `out`, at most `cap` bytes: the count, 0 when nothing is
 * ready yet, -1 on a TLS error or a close by the peer (tls_error says which). */
long tls_read(tls_conn_t *t, void *out, size_t cap);
/* Encrypt `len` bytes.  0 or -1 (tls_error). */
int tls_write(tls_conn_t *t, const void *data, size_t len);
/* Append the ciphertext waiting to be sent to `out`.  0 or -1 (no memory). */
int tls_take(tls_conn_t *t, buf_t *out);
/* Plaintext already decrypted and not yet read. */
bool tls_has_plaintext(const tls_conn_t *t);
const char *tls_error(const tls_conn_t *t);

/* The first byte of a TLS connection (a handshake record). */
#define TLS_RECORD_HANDSHAKE 0x16

#endif
