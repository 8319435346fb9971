#include "tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

struct tls_ctx {
	SSL_CTX *ssl;
};

struct tls_conn {
	SSL *ssl;
	BIO *in;   /* network -> OpenSSL */
	BIO *out;  /* OpenSSL -> network */
	char err[160];
};

static void last_error(char *out, size_t n, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[120] = "";
	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(out, n, "%s%s%s", what, e ? ": " : "", buf);
	ERR_clear_error();
}

tls_ctx_t *tls_ctx_new(const char *cert_file, const char *key_file)
{
	tls_ctx_t *c = calloc(1, sizeof(*c));
	char why[200];
	if (!c)
		return NULL;
	c->ssl = SSL_CTX_new(TLS_server_method());
	if (!c->ssl) {
		last_error(why, sizeof(why), "cannot create the TLS context");
		goto fail;
	}
	SSL_CTX_set_min_proto_version(c->ssl, TLS1_2_VERSION);
	/* the whole response is one SSL_write; it may move between buffers */
	SSL_CTX_set_mode(c->ssl, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
	if (SSL_CTX_use_certificate_chain_file(c->ssl, cert_file) != 1) {
		last_error(why, sizeof(why), "cannot load --tls-cert");
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(c->ssl, key_file, SSL_FILETYPE_PEM) != 1) {
		last_error(why, sizeof(why), "cannot load --tls-key");
		goto fail;
	}
	if (SSL_CTX_check_private_key(c->ssl) != 1) {
		last_error(why, sizeof(why), "--tls-key does not match --tls-cert");
		goto fail;
	}
	return c;
fail:
	log_error("event=tls_failed msg=\"%s\"", why);
	tls_ctx_free(c);
	return NULL;
}

void tls_ctx_free(tls_ctx_t *c)
{
	if (!c)
		return;
	SSL_CTX_free(c->ssl);
	free(c);
}

tls_conn_t *tls_conn_new(tls_ctx_t *ctx)
{
	tls_conn_t *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ssl = SSL_new(ctx->ssl);
	t->in = BIO_new(BIO_s_mem());
	t->out = BIO_new(BIO_s_mem());
	if (!t->ssl || !t->in || !t->out) {
		SSL_free(t->ssl);
		BIO_free(t->in);
		BIO_free(t->out);
		free(t);
		return NULL;
	}
	/* an empty input BIO means "come back later", not end of stream */
	BIO_set_mem_eof_return(t->in, -1);
	BIO_set_mem_eof_return(t->out, -1);
	SSL_set_bio(t->ssl, t->in, t->out);  /* the SSL owns both now */
	SSL_set_accept_state(t->ssl);
	return t;
}

void tls_conn_free(tls_conn_t *t)
{
	if (!t)
		return;
	SSL_free(t->ssl);
	free(t);
}

int tls_feed(tls_conn_t *t, const void *data, size_t len)
{
	while (len) {
		int n = BIO_write(t->in, data, len > INT32_MAX ? INT32_MAX : (int)len);
		if (n <= 0)
			return -1;
		data = (const char *)data + n;
		len -= (size_t)n;
	}
	return 0;
}

long tls_read(tls_conn_t *t, void *out, size_t cap)
{
	int n = SSL_read(t->ssl, out, cap > INT32_MAX ? INT32_MAX : (int)cap);
	if (n > 0)
		return n;
	switch (SSL_get_error(t->ssl, n)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE: return 0;
	case SSL_ERROR_ZERO_RETURN: snprintf(t->err, sizeof(t->err), "the peer closed the TLS session"); return -1;
	default: last_error(t->err, sizeof(t->err), "TLS error"); return -1;
	}
}

int tls_write(tls_conn_t *t, const void *data, size_t len)
{
	while (len) {
		int n = SSL_write(t->ssl, data, len > INT32_MAX ? INT32_MAX : (int)len);
		if (n <= 0) {
			last_error(t->err, sizeof(t->err), "TLS write failed");
			return -1;
		}
		data = (const char *)data + n;
		len -= (size_t)n;
	}
	return 0;
}

int tls_take(tls_conn_t *t, buf_t *out)
{
	size_t pending = BIO_ctrl_pending(t->out);
	if (!pending)
		return 0;
	if (buf_reserve(out, pending))
		return -1;
	int n = BIO_read(t->out, out->data + out->len, (int)pending);
	if (n > 0)
		out->len += (size_t)n;
	return 0;
}

bool tls_has_plaintext(const tls_conn_t *t)
{
	return SSL_pending(t->ssl) > 0 || BIO_ctrl_pending(t->in) > 0;
}

const char *tls_error(const tls_conn_t *t)
{
	return t->err[0] ? t->err : "TLS error";
}
