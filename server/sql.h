/* Every SQL statement the daemon runs on the event loop, by name.  Each is
 * prepared once on every pooled connection when it connects. */
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
	SQL_PLEDGE_GET_AT,
	SQL_PLEDGE_LIST,
	SQL__COUNT
} sql_id_t;

typedef struct {
	const char *name;   /* prepared statement name */
	const char *text;
	int nparams;
} sql_stmt_t;

extern const sql_stmt_t sql_stmts[SQL__COUNT];

#endif
