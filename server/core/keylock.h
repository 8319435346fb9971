/* One-at-a-time by key, on the loop: quick updates of the same pledge run in
 * turn inside this daemon, so they do not race each other to the database and
 * retry.  (Other daemons and whole-document writes are still caught by the
 * version check.)  No threads, no blocking: a waiter's run() is called when
 * its turn comes. */
#ifndef YK_KEYLOCK_H
#define YK_KEYLOCK_H

typedef struct keylock_waiter keylock_waiter_t;
struct keylock_waiter {
	void (*run)(keylock_waiter_t *w);
	keylock_waiter_t *next;
};

typedef struct keylock_entry keylock_entry_t;

typedef struct {
	keylock_entry_t *held;   /* keys held, each with its queue */
} keylock_t;

/* Run w now when key is free, else when the holders before it release. */
void keylock_acquire(keylock_t *l, const char *key, keylock_waiter_t *w);
/* The holder of key is done; the next waiter (if any) runs now. */
void keylock_release(keylock_t *l, const char *key);

#endif
