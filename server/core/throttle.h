/* Failed logins, counted per login name and per client address, in memory:
 * after too many within a window, further attempts are refused for a while
 * (doubling each time, up to a cap) without checking the password at all.
 * The same answer for every name, known or not, so it reveals nothing. */
#ifndef YK_THROTTLE_H
#define YK_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#define THROTTLE_SLOTS 1024

typedef struct {
	char key[96];
	unsigned fails;          /* within the window */
	unsigned lockouts;       /* how many times locked, for the doubling */
	uint64_t window_start;   /* ms */
	uint64_t locked_until;   /* ms */
	uint64_t last_seen;      /* ms, to reuse the oldest slot */
} throttle_slot_t;

typedef struct {
	unsigned max_fails;      /* failures allowed in a window */
	uint64_t window_ms;
	uint64_t lock_ms;        /* first lockout; doubles up to lock_max_ms */
	uint64_t lock_max_ms;
	throttle_slot_t slots[THROTTLE_SLOTS];
} throttle_t;

void throttle_init(throttle_t *t, unsigned max_fails, uint64_t window_ms, uint64_t lock_ms, uint64_t lock_max_ms);
/* Seconds until key may try again; 0 when it may now. */
unsigned throttle_wait(throttle_t *t, const char *key, uint64_t now);
void throttle_fail(throttle_t *t, const char *key, uint64_t now);
/* Whether key failed within the window, or was locked out: its next
 * attempt is a suspect one. */
bool throttle_suspect(throttle_t *t, const char *key, uint64_t now);
void throttle_forget(throttle_t *t, const char *key);
/* Forget every key that ends with `suffix` (all of a login's pairs, from
 * every address: an admin's unlock); how many were forgotten. */
unsigned throttle_forget_suffix(throttle_t *t, const char *suffix);

#endif
