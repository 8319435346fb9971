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
	keyed_node_t node;      /* keyed by token hash */
	const char *fields[5];  /* account id, login, role, department id, department ("" for none) */
	size_t fields_len;      /* the five, one after the other, with their NULs */
	char hash[];
};

int session_cache_init(session_cache_t *c, size_t max)
{
	memset(c, 0, sizeof(*c));
	c->max = max;
	return max ? keyed_init(&c->table, max) : 0;
}

static void drop(session_cache_t *c, session_entry_t *e)
{
	keyed_remove(&c->table, &e->node);
	free(e);
}

void session_cache_free(session_cache_t *c)
{
	while (c->table.oldest)
		drop(c, (session_entry_t *)c->table.oldest);
	keyed_release(&c->table);
}

void session_forget(session_cache_t *c, const char *hash)
{
	session_entry_t *e = (session_entry_t *)keyed_find(&c->table, hash);
	if (e)
		drop(c, e);
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
	e->fields_len = (size_t)(p - e->fields[0]);
	while (c->table.n >= c->max && c->table.oldest)
		drop(c, (session_entry_t *)c->table.oldest);
	e->node.key = e->hash;
	keyed_add(&c->table, &e->node);
}

bool session_recall(session_cache_t *c, const char *hash, arena_t *a, principal_t *who)
{
	session_entry_t *e = (session_entry_t *)keyed_find(&c->table, hash);
	if (!e)
		return false;
	/* one copy of the five, on every cached read */
	char *copy = arena_alloc(a, e->fields_len);
	if (!copy)
		return false;
	memcpy(copy, e->fields[0], e->fields_len);
	char *f[5];
	for (int i = 0; i < 5; i++)
		f[i] = copy + (e->fields[i] - e->fields[0]);
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
	req_fail(r, YK__REASON__REASON_SESSION_EXPIRED, SESSION_EXPIRED_MESSAGE);
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
