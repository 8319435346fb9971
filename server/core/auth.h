/* Passwords and tokens.  Passwords are hashed with argon2id
 * (crypto_pwhash_str); the hashing runs on libuv's thread pool, never on the
 * loop, and at most `workers` at once (each needs 64 MiB).  Tokens are 32
 * random bytes; the database keeps only their SHA-256. */
#ifndef YK_AUTH_H
#define YK_AUTH_H

#include <stdbool.h>
#include <sodium.h>
#include <uv.h>

#define AUTH_HASH_MAX crypto_pwhash_STRBYTES
#define AUTH_TOKEN_BYTES 32
#define AUTH_TOKEN_HEX (AUTH_TOKEN_BYTES * 2 + 1)
/* "\x" + 64 hex digits + NUL: a bytea literal for a token hash */
#define AUTH_BYTEA_HEX (2 + crypto_hash_sha256_BYTES * 2 + 1)

typedef struct auth_job auth_job_t;
typedef void (*auth_cb)(auth_job_t *job);

/* A hash or verify request.  Owned by the caller until its callback runs. */
struct auth_job {
	uv_work_t work;
	bool verify;                  /* verify password against hash, else hash it */
	char password[256];
	char hash[AUTH_HASH_MAX];     /* in for verify, out for hash */
	bool ok;                      /* result */
	bool low;                     /* a login from an address or name with recent failures: waits
				       * behind everyone else's, in a bounded line */
	auth_cb cb;
	void *data;
	/* the queue's */
	auth_job_t *next;
	struct auth_queue *owner;
};

typedef struct auth_queue {
	uv_loop_t *loop;
	int workers, running;
	auth_job_t *head, *tail;          /* first come, first served ... */
	auth_job_t *low_head, *low_tail;  /* ... then these */
	size_t nlow;
	char dummy_hash[AUTH_HASH_MAX];
} auth_t;

int auth_init(auth_t *a, uv_loop_t *loop, int workers);
/* Queue a job; cb runs on the loop.  -1 (nothing queued) when it is a low
 * one and LIMIT_AUTH_LOW_QUEUE of those already wait: someone guessing
 * passwords from many connections cannot make real logins wait behind his
 * guesses, nor queue without bound. */
int auth_submit(auth_t *a, auth_job_t *job);

/* Blocking: only for start-up (the first admin). */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX]);

/* A new token as hex, and the bytea literal of its hash. */
void auth_new_token(char hex[AUTH_TOKEN_HEX], char hash_bytea[AUTH_BYTEA_HEX]);
/* The bytea literal of a presented token's hash; -1 when it is not 64 hex digits. */
int auth_token_hash(const char *hex, char hash_bytea[AUTH_BYTEA_HEX]);

#endif
