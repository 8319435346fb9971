#include "throttle.h"

#include <string.h>

void throttle_init(throttle_t *t, unsigned max_fails, uint64_t window_ms, uint64_t lock_ms, uint64_t lock_max_ms)
{
	memset(t, 0, sizeof(*t));
	t->max_fails = max_fails;
	t->window_ms = window_ms;
	t->lock_ms = lock_ms;
	t->lock_max_ms = lock_max_ms;
}

static throttle_slot_t *find(throttle_t *t, const char *key, bool make, uint64_t now)
{
	throttle_slot_t *oldest = &t->slots[0];
	for (size_t i = 0; i < THROTTLE_SLOTS; i++) {
		throttle_slot_t *s = &t->slots[i];
		if (s->key[0] && !strncmp(s->key, key, sizeof(s->key) - 1))
			return s;
		if (!s->key[0] || s->last_seen < oldest->last_seen)
			oldest = s;
	}
	if (!make)
		return NULL;
	memset(oldest, 0, sizeof(*oldest));
	strncpy(oldest->key, key, sizeof(oldest->key) - 1);
	oldest->window_start = now;
	return oldest;
}

unsigned throttle_wait(throttle_t *t, const char *key, uint64_t now)
{
	throttle_slot_t *s = find(t, key, false, now);
	if (!s || s->locked_until <= now)
		return 0;
	return (unsigned)((s->locked_until - now + 999) / 1000);
}

bool throttle_suspect(throttle_t *t, const char *key, uint64_t now)
{
	throttle_slot_t *s = find(t, key, false, now);
	return s && ((s->fails && now - s->window_start <= t->window_ms) || s->lockouts);
}

void throttle_fail(throttle_t *t, const char *key, uint64_t now)
{
	throttle_slot_t *s = find(t, key, true, now);
	s->last_seen = now;
	if (now - s->window_start > t->window_ms) {
		s->window_start = now;
		s->fails = 0;
	}
	if (++s->fails < t->max_fails)
		return;
	uint64_t lock = t->lock_ms;
	for (unsigned i = 0; i < s->lockouts && lock < t->lock_max_ms; i++)
		lock *= 2;
	if (lock > t->lock_max_ms)
		lock = t->lock_max_ms;
	s->locked_until = now + lock;
	s->lockouts++;
	s->fails = 0;
	s->window_start = now;
}

void throttle_forget(throttle_t *t, const char *key)
{
	throttle_slot_t *s = find(t, key, false, 0);
	if (s)
		memset(s, 0, sizeof(*s));
}

unsigned throttle_forget_suffix(throttle_t *t, const char *suffix)
{
	size_t sl = strlen(suffix);
	unsigned n = 0;
	for (size_t i = 0; i < THROTTLE_SLOTS; i++) {
		size_t kl = strnlen(t->slots[i].key, sizeof(t->slots[i].key));
		if (kl >= sl && kl && !memcmp(t->slots[i].key + kl - sl, suffix, sl)) {
			memset(&t->slots[i], 0, sizeof(t->slots[i]));
			n++;
		}
	}
	return n;
}
