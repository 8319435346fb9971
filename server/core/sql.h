/* Every SQL statement the daemon runs on the event loop, by name.  Each is
 * prepared once on every pooled connection when it connects.  Writes call the
 * functions of migrations/ (one statement, one transaction). */
#ifndef YK_SQL_H
#define YK_SQL_H

typedef enum {
	SQL_STATUS,
	SQL_SESSION_CHECK,
	SQL_ACCOUNT_BY_LOGIN,
	SQL_SESSION_CREATE,
	SQL_SESSION_DELETE,
	SQL_DEPARTMENT_ADD,
	SQL_DEPARTMENT_LIST,
	SQL_USER_ADD,
	SQL_USER_LIST,
	SQL_PLEDGE_APPLY,
	SQL_PLEDGE_GET,
	SQL_FRESHNESS,
	SQL_PROGRESS_ADD,
	SQL_PLEDGE_GET_AT,
	SQL_PLEDGE_GET_ROUND,
	SQL_PLEDGE_LIST,
	SQL_PLEDGE_EXPORT,
	SQL_STATS,
	SQL_IDEM_LOOKUP,
	SQL_AUDIT_REFUSED,
	SQL_AUDIT_VERIFY,
	SQL_HISTORY,
	SQL_ROUND_OPEN,
	SQL_ROUND_CLOSE,
	SQL_ROUND_GET,
	SQL_ROUND_STATUS,
	SQL_SUBMIT,
	SQL_REVIEW,
	SQL_CHANGE_PROPOSE,
	SQL_CHANGE_STEP,
	SQL_CHANGE_LOAD,
	SQL_CHANGE_GET,
	SQL_CHANGE_LIST,
	SQL_HOUSEKEEPING,
	SQL__COUNT
} sql_id_t;

typedef struct {
	const char *name;   /* prepared statement name */
	const char *text;
	int nparams;
} sql_stmt_t;

extern const sql_stmt_t sql_stmts[SQL__COUNT];

#endif
