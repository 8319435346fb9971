#include "keylock.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

struct keylock_entry {
	char *key;
	keylock_waiter_t *head, *tail;   /* waiting, not the holder */
	keylock_entry_t *next;
};

static keylock_entry_t **find(keylock_t *l, const char *key)
{
	keylock_entry_t **pp = &l->held;
	while (*pp && strcmp((*pp)->key, key))
		pp = &(*pp)->next;
	return pp;
}

void keylock_acquire(keylock_t *l, const char *key, keylock_waiter_t *w)
{
	w->next = NULL;
	keylock_entry_t **pp = find(l, key);
	if (*pp) {
		if ((*pp)->tail)
			(*pp)->tail->next = w;
		else
			(*pp)->head = w;
		(*pp)->tail = w;
		return;
	}
	keylock_entry_t *e = calloc(1, sizeof(*e));
	if (e)
		e->key = strdup(key);
	if (!e || !e->key) {
		/* Without memory for the lock the update still runs; the
		 * version check keeps it safe, it may just retry. */
		free(e);
		log_warn("event=keylock_oom key=%s", key);
		w->run(w);
		return;
	}
	e->next = l->held;
	l->held = e;
	w->run(w);
}

void keylock_release(keylock_t *l, const char *key)
{
	keylock_entry_t **pp = find(l, key);
	keylock_entry_t *e = *pp;
	if (!e)
		return;
	keylock_waiter_t *w = e->head;
	if (w) {
		e->head = w->next;
		if (!e->head)
			e->tail = NULL;
		w->run(w);
		return;
	}
	*pp = e->next;
	free(e->key);
	free(e);
}
