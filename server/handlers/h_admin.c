/* Departments and accounts (admin). */
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "text.h"


static Yk__Department *department_msg(req_t *r, const PGresult *res, int row)
{
	Yk__Department *d = arena_alloc(r->arena, sizeof(*d));
	if (!d)
		return NULL;
	yk__department__init(d);
	d->name = req_col(r, res, row, DEPARTMENT_COL_NAME);
	d->created_at = req_col(r, res, row, DEPARTMENT_COL_CREATED_AT);
	return d;
}

static Yk__Account *account_row(req_t *r, const PGresult *res, int row)
{
	Yk__Account *a = arena_alloc(r->arena, sizeof(*a));
	if (!a)
		return NULL;
	yk__account__init(a);
	a->login = req_col(r, res, row, USER_COL_LOGIN);
	a->role = req_col(r, res, row, USER_COL_ROLE);
	a->department = req_col(r, res, row, USER_COL_DEPARTMENT);
	a->created_at = req_col(r, res, row, USER_COL_CREATED_AT);
	a->has_disabled = 1;
	a->disabled = PQgetvalue(res, row, USER_COL_DISABLED)[0] == 't';
	return a;
}

int reply_department_add(req_t *r, const doc_node_t *result, bool replayed)
{
	(void)replayed;
	Yk__Department *d = arena_alloc(r->arena, sizeof(*d));
	if (!d)
		return -1;
	yk__department__init(d);
	d->name = result_str(r, result, "name");
	d->created_at = result_str(r, result, "created_at");
	r->resp.body_case = YK__RESPONSE__BODY_DEPARTMENT_ADD;
	r->resp.department_add = d;
	return 0;
}

void h_department_add(req_t *r)
{
	const char *name = r->msg->department_add->name;
	const char *why = text_check_name(name, 300);
	if (why) {
		viol_add(&r->viol, "name", "%s", why);
		req_fail_violations(r, "cannot add the department");
		return;
	}
	char *nfc = text_nfc(r->arena, name, strlen(name));
	if (!nfc) {
		req_fail_oom(r);
		return;
	}
	req_write(r, SQL_DEPARTMENT_ADD, 2, req_ctx(r), nfc);
}

static void on_department_list(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__DepartmentListReply *rep = arena_alloc(r->arena, sizeof(*rep));
	int n = PQntuples(res);
	Yk__Department **items = arena_alloc(r->arena, sizeof(*items) * (size_t)(n ? n : 1));
	if (!rep || !items) {
		req_fail_oom(r);
		return;
	}
	yk__department_list_reply__init(rep);
	for (int i = 0; i < n; i++)
		if (!(items[i] = department_msg(r, res, i))) {
			req_fail_oom(r);
			return;
		}
	rep->departments = items;
	rep->n_departments = (size_t)n;
	r->resp.body_case = YK__RESPONSE__BODY_DEPARTMENT_LIST;
	r->resp.department_list = rep;
	req_finish(r);
}

void h_department_list(req_t *r)
{
	req_db(r, SQL_DEPARTMENT_LIST, on_department_list, 0);
}

/* ------------------------------------------------------------ users */

/* A new password: at least LIMIT_PASSWORD_MIN characters, text as login
 * will check it, and room for it in the hashing job. */
static void check_password(req_t *r, const char *pw)
{
	const char *why;
	if (!pw || strlen(pw) < LIMIT_PASSWORD_MIN)
		viol_add(&r->viol, "password", "must be at least %d characters", LIMIT_PASSWORD_MIN);
	else if (strlen(pw) >= sizeof(r->auth.password))
		viol_add(&r->viol, "password", "is too long");
	else if ((why = text_check_field(pw, sizeof(r->auth.password) - 1)))
		viol_add(&r->viol, "password", "%s", why);
}

/* Hash a password off the loop, then `cb`. */
static void hash_password(req_t *r, const char *pw, void (*cb)(auth_job_t *aj))
{
	auth_job_t *aj = &r->auth;
	memset(aj, 0, sizeof(*aj));
	snprintf(aj->password, sizeof(aj->password), "%s", pw);
	aj->cb = cb;
	aj->data = r;
	(void)auth_submit(&r->srv->auth, aj); /* a plain job is always queued */
}

/* An account as a write function returned it. */
static Yk__Account *account_result(req_t *r, const doc_node_t *result)
{
	Yk__Account *a = arena_alloc(r->arena, sizeof(*a));
	if (!a)
		return NULL;
	yk__account__init(a);
	a->login = result_str(r, result, "login");
	a->role = result_str(r, result, "role");
	a->department = result_str(r, result, "department");
	a->created_at = result_str(r, result, "created_at");
	return a;
}

int reply_user_add(req_t *r, const doc_node_t *result, bool replayed)
{
	(void)replayed;
	Yk__Account *a = account_result(r, result);
	if (!a)
		return -1;
	r->resp.body_case = YK__RESPONSE__BODY_USER_ADD;
	r->resp.user_add = a;
	return 0;
}

static void on_hashed(auth_job_t *aj)
{
	req_t *r = aj->data;
	if (!aj->ok) {
		req_fail(r, YK__REASON__REASON_INTERNAL_ERROR, "the password could not be hashed");
		return;
	}
	Yk__UserAdd *in = r->msg->user_add;
	char *hash = arena_strdup(r->arena, aj->hash);
	req_write(r, SQL_USER_ADD, 5, req_ctx(r), in->login, in->role, (const char *)r->state, hash);
}

void h_user_add(req_t *r)
{
	Yk__UserAdd *in = r->msg->user_add;
	const char *why;
	if ((why = text_check_name(in->login, 64)))
		viol_add(&r->viol, "login", "%s", why);
	if (!yk_role_bit(in->role))
		viol_add(&r->viol, "role", "must be one of admin, coordinator, department, evaluator, approver, viewer");
	if (in->department && (why = text_check_name(in->department, 300)))
		viol_add(&r->viol, "department", "%s", why);
	if (in->role && !strcmp(in->role, "department") && (!in->department || !*in->department))
		viol_add(&r->viol, "department", "a department account needs its department");
	check_password(r, in->password);
	if (r->viol.n) {
		req_fail_violations(r, "cannot add the account");
		return;
	}
	r->state = in->department && *in->department ? text_nfc(r->arena, in->department, strlen(in->department)) : NULL;
	hash_password(r, in->password, on_hashed);
}

static void on_user_list(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	Yk__UserListReply *rep = arena_alloc(r->arena, sizeof(*rep));
	int n = PQntuples(res);
	Yk__Account **items = arena_alloc(r->arena, sizeof(*items) * (size_t)(n ? n : 1));
	if (!rep || !items) {
		req_fail_oom(r);
		return;
	}
	yk__user_list_reply__init(rep);
	for (int i = 0; i < n; i++)
		if (!(items[i] = account_row(r, res, i))) {
			req_fail_oom(r);
			return;
		}
	rep->accounts = items;
	rep->n_accounts = (size_t)n;
	r->resp.body_case = YK__RESPONSE__BODY_USER_LIST;
	r->resp.user_list = rep;
	req_finish(r);
}

void h_user_list(req_t *r)
{
	req_db(r, SQL_USER_LIST, on_user_list, 0);
}

/* ------------------------------------------------------------ account changes */

int reply_user_change(req_t *r, const doc_node_t *result, bool replayed)
{
	(void)replayed;
	Yk__Account *a = account_result(r, result);
	if (!a)
		return -1;
	a->has_disabled = 1;
	a->disabled = result_bool(result, "disabled");
	a->has_sessions_ended = 1;
	a->sessions_ended = (uint32_t)result_int(result, "sessions_ended");
	/* the counts live here, in memory: an owner locked out by strangers'
	 * guesses (from any address) may log in again at once */
	if (r->msg->user_change->unlock) {
		const char *suffix = arena_printf(r->arena, " %s", a->login);
		unsigned n = suffix ? throttle_forget_suffix(&r->srv->login_pairs, suffix) : 0;
		log_info("event=login_unlocked user=%s pairs=%u by=%s", a->login, n, r->who.login ? r->who.login : "-");
	}
	r->resp.body_case = YK__RESPONSE__BODY_USER_CHANGE;
	r->resp.user_change = a;
	return 0;
}

static void user_change_write(req_t *r, const char *hash)
{
	Yk__UserChange *in = r->msg->user_change;
	req_write(r, SQL_USER_CHANGE, 6, req_ctx(r), in->login, hash,
		  in->has_disabled ? (in->disabled ? "true" : "false") : NULL,
		  in->has_end_sessions && in->end_sessions ? "true" : "false", in->unlock ? "true" : "false");
}

static void on_change_hashed(auth_job_t *aj)
{
	req_t *r = aj->data;
	if (!aj->ok) {
		req_fail(r, YK__REASON__REASON_INTERNAL_ERROR, "the password could not be hashed");
		return;
	}
	user_change_write(r, arena_strdup(r->arena, aj->hash));
}

void h_user_change(req_t *r)
{
	Yk__UserChange *in = r->msg->user_change;
	const char *why;
	if ((why = text_check_name(in->login, 64)))
		viol_add(&r->viol, "login", "%s", why);
	if (in->password)
		check_password(r, in->password);
	if (!in->password && !in->has_disabled && !(in->has_end_sessions && in->end_sessions) && !in->unlock)
		viol_add(&r->viol, "", "nothing to change: give a password, disabled, end_sessions or unlock");
	if (r->viol.n) {
		req_fail_violations(r, "cannot change the account");
		return;
	}
	if (in->password)
		hash_password(r, in->password, on_change_hashed);
	else
		user_change_write(r, NULL);
}

static void on_session_list(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	req_t *r = job->data;
	if (!req_db_ok(r, outcome, res))
		return;
	int n = PQntuples(res);
	Yk__SessionListReply *rep = arena_alloc(r->arena, sizeof(*rep));
	Yk__Session **items = arena_alloc(r->arena, sizeof(*items) * (size_t)(n ? n : 1));
	if (!rep || !items) {
		req_fail_oom(r);
		return;
	}
	yk__session_list_reply__init(rep);
	for (int i = 0; i < n; i++) {
		Yk__Session *s = arena_alloc(r->arena, sizeof(*s));
		if (!s) {
			req_fail_oom(r);
			return;
		}
		yk__session__init(s);
		s->login = req_col(r, res, i, SESSION_LIST_COL_LOGIN);
		s->created_at = req_col(r, res, i, SESSION_LIST_COL_CREATED_AT);
		s->expires_at = req_col(r, res, i, SESSION_LIST_COL_EXPIRES_AT);
		s->peer = req_col(r, res, i, SESSION_LIST_COL_PEER);
		items[i] = s;
	}
	rep->sessions = items;
	rep->n_sessions = (size_t)n;
	r->resp.body_case = YK__RESPONSE__BODY_SESSION_LIST;
	r->resp.session_list = rep;
	req_finish(r);
}

void h_session_list(req_t *r)
{
	const char *login = r->msg->session_list->login;
	const char *why;
	if (login && *login && (why = text_check_name(login, 64))) {
		viol_add(&r->viol, "login", "%s", why);
		req_fail_violations(r, "cannot list sessions");
		return;
	}
	req_db(r, SQL_SESSION_LIST, on_session_list, 1, login && *login ? login : NULL);
}
