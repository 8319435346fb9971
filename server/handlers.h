/* The handlers, one per request type, grouped by resource in h_*.c.  Each
 * answers its request exactly once, through req_finish() or req_fail(). */
#ifndef YK_HANDLERS_H
#define YK_HANDLERS_H

#include "req.h"

/* h_session.c */
void h_hello(req_t *r);
void h_login(req_t *r);
void h_logout(req_t *r);
void h_whoami(req_t *r);
void h_server_status(req_t *r);

/* h_admin.c */
void h_department_add(req_t *r);
void h_department_list(req_t *r);
void h_user_add(req_t *r);
void h_user_list(req_t *r);

/* h_pledge.c */
void h_pledge_apply(req_t *r);
void h_pledge_get(req_t *r);
void h_pledge_list(req_t *r);

/* Shared checks for request fields: NULL when fine, else the problem. */
const char *check_text(const char *s, size_t max);

#endif
