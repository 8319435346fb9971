#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "ops.h"
#include "req.h"
#include "sql.h"
#include "srv.h"

/* One block: the entry, then its key and the five fields, NUL-terminated. */
struct session_entry {
	session_entry_t *next_in_bucket;
	session_entry_t *older, *newer;
	const char *fields[5];  /* account id, login, role, department id, department ("" for none) */
	char hash[];
};

static size_t hash_of(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

int session_cache_init(session_cache_t *c, size_t max)
{
	memset(c, 0, sizeof(*c));
	c->max = max;
	if (!max)
		return 0;
	c->nbuckets = 256;
	while (c->nbuckets < max && c->nbuckets < (1u << 20))
		c->nbuckets *= 2;
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	return c->buckets ? 0 : -1;
}

static session_entry_t **slot(const session_cache_t *c, const char *hash)
{
	session_entry_t **p = &c->buckets[hash_of(hash) % c->nbuckets];
	while (*p && strcmp((*p)->hash, hash))
		p = &(*p)->next_in_bucket;
	return p;
}

static void drop(session_cache_t *c, session_entry_t **at)
{
	session_entry_t *e = *at;
	*at = e->next_in_bucket;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	c->n--;
	free(e);
}

void session_cache_free(session_cache_t *c)
{
	while (c->oldest)
		drop(c, slot(c, c->oldest->hash));
	free(c->buckets);
	memset(c, 0, sizeof(*c));
}

void session_forget(session_cache_t *c, const char *hash)
{
	if (!c->max)
		return;
	session_entry_t **at = slot(c, hash);
	if (*at)
		drop(c, at);
}

void session_remember(session_cache_t *c, const char *hash, const principal_t *who)
{
	if (!c->max)
		return;
	session_forget(c, hash);
	const char *f[5] = { who->account_id, who->login, who->role, who->department_id, who->department };
	size_t klen = strlen(hash) + 1, n = sizeof(session_entry_t) + klen, len[5];
	for (int i = 0; i < 5; i++)
		n += (len[i] = f[i] ? strlen(f[i]) : 0) + 1;
	session_entry_t *e = malloc(n);
	if (!e)
		return;  /* the next request asks the database instead */
	memset(e, 0, sizeof(*e));
	memcpy(e->hash, hash, klen);
	char *p = e->hash + klen;
	for (int i = 0; i < 5; i++) {
		memcpy(p, f[i] ? f[i] : "", len[i] + 1);
		e->fields[i] = p;
		p += len[i] + 1;
	}
	while (c->n >= c->max && c->oldest)
		drop(c, slot(c, c->oldest->hash));
	session_entry_t **at = slot(c, hash);
	*at = e;
	e->older = c->newest;
	if (c->newest)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
	c->n++;
}

bool session_recall(session_cache_t *c, const char *hash, arena_t *a, principal_t *who)
{
	if (!c->max)
		return false;
	session_entry_t *e = *slot(c, hash);
	if (!e)
		return false;
	char *f[5];
	for (int i = 0; i < 5; i++)
		if (!(f[i] = arena_strdup(a, e->fields[i])))
			return false;
	who->account_id = f[0];
	who->login = f[1];
	who->role = f[2];
	who->department_id = *f[3] ? f[3] : NULL;
	who->department = *f[4] ? f[4] : NULL;
	who->role_bit = yk_role_bit(who->role);
	return true;
}

void session_expired(req_t *r)
{
	session_forget(&r->srv->sessions, r->session_hash);
	req_fail(r, YK__CODE__UNAUTHENTICATED, SESSION_EXPIRED_MESSAGE);
}

static void on_checked(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	if (PQntuples(res) != 1) {
		session_expired(r);
		return;
	}
	r->who.account_id = req_col(r, res, 0, SESSION_COL_ACCOUNT_ID);
	r->who.login = req_col(r, res, 0, SESSION_COL_LOGIN);
	r->who.role = req_col(r, res, 0, SESSION_COL_ROLE);
	r->who.department_id = req_col(r, res, 0, SESSION_COL_DEPARTMENT_ID);
	r->who.department = req_col(r, res, 0, SESSION_COL_DEPARTMENT);
	if (!r->who.account_id || !r->who.login || !r->who.role) {
		req_fail_oom(r);
		return;
	}
	r->who.role_bit = yk_role_bit(r->who.role);
	r->session_unchecked = false;
	conn_authenticated(r->conn);
	session_remember(&r->srv->sessions, r->session_hash, &r->who);
	void (*then)(req_t *) = r->after_session;
	r->after_session = NULL;
	then(r);
}

void session_check(req_t *r, void (*then)(req_t *r))
{
	r->after_session = then;
	req_db(r, SQL_SESSION_CHECK, on_checked, 1, r->session_hash);
}
