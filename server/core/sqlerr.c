#include "sqlerr.h"

#include <string.h>

#include "log.h"
#include "sqlstate.h"

/* What a constraint means, in the user's terms.  Domains are named by their
 * type, table constraints by their name. */
static const struct {
	const char *name;
	const char *path;
	const char *problem;
} known[] = {
	{ "pledges_code_check", "code", "must be 2 to 32 of A-Z, 0-9 and -" },
	{ "pledges_status_check", "status", "must be one of in_progress, completed, completed_ongoing, partial, delayed, on_hold, dropped, not_started" },
	{ "pledges_title_check", "title", "must not be empty" },
	{ "pledges_parent_not_self", "parent", "a pledge cannot be its own parent" },
	{ "pledges_overview_period", "overview.period", "end comes before start" },
	{ "budget_sources_source_check", "budget.sources", "a source must be one of national, provincial, city, private, other" },
	{ "budget_amounts_executed_le_secured", "budget.sources", "executed exceeds secured in a period" },
	{ "budget_amounts_pledge_id_period_fkey", "budget.sources", "an amounts period is not one of budget.periods" },
	{ "budget_periods_pledge_id_period_key", "budget.periods", "a period is listed twice" },
	{ "indicator_sets_basis_check", "indicator_sets", "basis must be original or changed" },
	{ "indicator_sets_changed_needs_reason", "indicator_sets", "a changed set needs its change_reason" },
	{ "indicator_set_periods_pledge_id_set_seq_period_key", "indicator_sets", "a period is listed twice in one set" },
	{ "indicator_values_pledge_id_set_seq_period_fkey", "indicator_sets", "a target or actual uses a period that is not one of its set's periods" },
	{ "cumulative_progress_pledge_id_set_seq_period_fkey", "indicator_sets", "cumulative_progress uses a period that is not one of its set's periods" },
	{ "activity_items_until_needs_date", "progress.by_indicator", "an item has until without date" },
	{ "activity_items_date_or_dates", "progress.by_indicator", "an item has both date and dates" },
	{ "activity_items_until_after", "progress.by_indicator", "an item ends before it starts" },
	{ "plans_to_after_from", "plans", "a plan ends before it starts" },
	{ "accounts_login_check", "login", "must be 2 to 32 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit" },
	{ "accounts_role_check", "role", "must be one of admin, coordinator, department, evaluator, approver, viewer" },
	{ "accounts_department_role", "department", "a department account needs --department" },
	{ "departments_name_check", "name", "must be 1 to 100 characters without leading or trailing blanks" },
	{ "yk_month", "", "a month must look like 2019-12" },
	{ "yk_month_or_date", "", "must be a month (2019-12) or a date (2019-12-03)" },
	{ "yk_period", "", "a period must be YYYY, YYYY-H1/H2, YYYY-Q1..Q4 or YYYY-MM+" },
	{ "yk_amount", "", "an amount must be 0 or more, with at most 2 decimals" },
	{ "yk_pct", "", "a percentage must be from 0 to 100, with at most 2 decimals" },
	{ "yk_text", "", "text must be NFC-normalised" },
};

static const char *field(const PGresult *res, int code)
{
	const char *s = PQresultErrorField(res, code);
	return s ? s : "";
}

sqlerr_t sqlerr_map(arena_t *a, const PGresult *res, viol_list_t *v)
{
	return sqlerr_map_fields(a, field(res, PG_DIAG_SQLSTATE), field(res, PG_DIAG_MESSAGE_PRIMARY),
				 field(res, PG_DIAG_CONSTRAINT_NAME), field(res, PG_DIAG_COLUMN_NAME),
				 field(res, PG_DIAG_DATATYPE_NAME), v);
}

/* yaksok's own SQLSTATEs (sqlstate.h) and the reason each is answered with;
 * the message is the function's own. */
static const struct {
	const char *state;
	Yk__Reason reason;
} own[] = {
	{ YK_SQLSTATE_SESSION, YK__REASON__REASON_SESSION_EXPIRED },
	{ YK_SQLSTATE_FORBIDDEN, YK__REASON__REASON_FORBIDDEN },
	{ YK_SQLSTATE_NOT_FOUND, YK__REASON__REASON_NOT_FOUND },
	{ YK_SQLSTATE_CONFLICT, YK__REASON__REASON_VERSION_CONFLICT },
	{ YK_SQLSTATE_EXISTS, YK__REASON__REASON_ALREADY_EXISTS },
	{ YK_SQLSTATE_STATE, YK__REASON__REASON_WRONG_STATE },
	{ YK_SQLSTATE_REFUSED, YK__REASON__REASON_REFUSED },
	{ YK_SQLSTATE_INVALID, YK__REASON__REASON_INVALID },
	{ YK_SQLSTATE_GUARDED, YK__REASON__REASON_CHANGE_REQUEST_REQUIRED },
};

sqlerr_t sqlerr_map_fields(arena_t *a, const char *state, const char *primary, const char *constraint,
			   const char *column, const char *datatype, viol_list_t *v)
{
	sqlerr_t e = { YK__REASON__REASON_INTERNAL_ERROR, "the database refused the request" };

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		if (strcmp(state, own[i].state))
			continue;
		/* a field the function names is a violation at that path too */
		if (own[i].reason == YK__REASON__REASON_INVALID)
			viol_add(v, column, "%s", primary);
		return (sqlerr_t){ own[i].reason, arena_strdup(a, primary) };
	}
	if (!strncmp(state, "23", 2) || !strncmp(state, "22", 2)) {
		const char *key = *constraint ? constraint : datatype;
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
			if (strcmp(known[i].name, key) && !(strncmp(known[i].name, key, strlen(known[i].name)) == 0 &&
							   !strcmp(key + strlen(known[i].name), "_check")))
				continue;
			viol_add(v, *known[i].path ? known[i].path : column, "%s", known[i].problem);
			e.reason = !strcmp(state, "23505") ? YK__REASON__REASON_ALREADY_EXISTS : YK__REASON__REASON_INVALID;
			e.message = "the document was refused";
			return e;
		}
		if (!strcmp(state, "23505")) {
			e.reason = YK__REASON__REASON_ALREADY_EXISTS;
			if (!strcmp(constraint, "pledges_code_key"))
				e.message = "a pledge with this code already exists";
			else if (!strcmp(constraint, "departments_name_key"))
				e.message = "a department with this name already exists";
			else if (!strcmp(constraint, "accounts_login_key"))
				e.message = "an account with this login already exists";
			else
				e.message = arena_printf(a, "already exists (%s)", constraint);
			return e;
		}
		e.reason = YK__REASON__REASON_INVALID;
		e.message = arena_printf(a, "the database refused a value: %s", primary);
		if (*column)
			viol_add(v, column, "%s", primary);
		return e;
	}
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strncmp(state, "08", 2) ||
	    !strncmp(state, "57", 2) || !strcmp(state, "53300")) {
		e.reason = YK__REASON__REASON_DATABASE_UNAVAILABLE;
		e.message = "the database is busy or restarting; try again";
		return e;
	}
	log_error("event=sql_error sqlstate=%s error=\"%s\"", state, primary);
	return e;
}
