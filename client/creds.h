/* Saved credentials: $XDG_CONFIG_HOME/yaksok/credentials (default
 * ~/.config/yaksok/credentials), mode 0600 in a 0700 directory, written
 * atomically.  Lines of key=value: server, login, token, and lsn (the
 * highest commit LSN the server has given this client, sent back as min_lsn
 * so that reads from a replica see this client's writes). */
#ifndef YK_CREDS_H
#define YK_CREDS_H

#include "arena.h"

typedef struct {
	const char *server;
	const char *login;
	const char *token;
	unsigned long long lsn;  /* 0: none */
} creds_t;

/* 0 when read, 1 when there is no file, -1 on error (printed). */
int creds_load(arena_t *a, creds_t *c);
int creds_save(const creds_t *c);
int creds_remove(void);
/* The path, for messages. */
const char *creds_path(arena_t *a);

#endif
