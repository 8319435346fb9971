/* Session tokens: random, shown once, stored only as their SHA-256 (the half
 * of auth.h that needs no thread pool). */
#include <stdio.h>
#include <string.h>

#include "auth.h"

static void bytea_of_hash(const unsigned char *raw, size_t n, char hash_bytea[AUTH_BYTEA_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, raw, n);
	hash_bytea[0] = '\\';
	hash_bytea[1] = 'x';
	sodium_bin2hex(hash_bytea + 2, AUTH_BYTEA_HEX - 2, h, sizeof(h));
}

void auth_new_token(char hex[AUTH_TOKEN_HEX], char hash_bytea[AUTH_BYTEA_HEX])
{
	unsigned char raw[AUTH_TOKEN_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, AUTH_TOKEN_HEX, raw, sizeof(raw));
	bytea_of_hash(raw, sizeof(raw), hash_bytea);
	sodium_memzero(raw, sizeof(raw));
}

int auth_token_hash(const char *hex, char hash_bytea[AUTH_BYTEA_HEX])
{
	unsigned char raw[AUTH_TOKEN_BYTES];
	size_t n = 0;
	if (strlen(hex) != AUTH_TOKEN_BYTES * 2 ||
	    sodium_hex2bin(raw, sizeof(raw), hex, strlen(hex), NULL, &n, NULL) || n != sizeof(raw))
		return -1;
	bytea_of_hash(raw, sizeof(raw), hash_bytea);
	return 0;
}
