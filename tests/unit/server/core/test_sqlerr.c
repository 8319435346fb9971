/* core/sqlerr.c: each SQLSTATE of core/sqlstate.h becomes its protocol
 * reason and status; a constraint or domain becomes a violation at its path; a busy or
 * restarting database is UNAVAILABLE; anything else INTERNAL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reason.h"
#include "sqlerr.h"
#include "sqlstate.h"

static arena_t *a;
static viol_list_t v;

static int setup(void **state)
{
	(void)state;
	a = arena_new(0);
	viol_init(&v, a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	return 0;
}

static sqlerr_t map(const char *state, const char *msg, const char *constraint, const char *column, const char *type)
{
	return sqlerr_map_fields(a, state, msg, constraint, column, type, &v);
}

static void test_own_states(void **state)
{
	(void)state;
	static const struct {
		const char *state;
		Yk__Code code;
		const char *reason;
	} cases[] = {
		{ YK_SQLSTATE_SESSION, YK__CODE__UNAUTHENTICATED, "REASON_SESSION_EXPIRED" },
		{ YK_SQLSTATE_FORBIDDEN, YK__CODE__PERMISSION_DENIED, "REASON_FORBIDDEN" },
		{ YK_SQLSTATE_NOT_FOUND, YK__CODE__NOT_FOUND, "REASON_NOT_FOUND" },
		{ YK_SQLSTATE_CONFLICT, YK__CODE__FAILED_PRECONDITION, "REASON_VERSION_CONFLICT" },
		{ YK_SQLSTATE_EXISTS, YK__CODE__ALREADY_EXISTS, "REASON_ALREADY_EXISTS" },
		{ YK_SQLSTATE_STATE, YK__CODE__FAILED_PRECONDITION, "REASON_WRONG_STATE" },
		{ YK_SQLSTATE_REFUSED, YK__CODE__INVALID_ARGUMENT, "REASON_REFUSED" },
		{ YK_SQLSTATE_GUARDED, YK__CODE__PERMISSION_DENIED, "REASON_CHANGE_REQUEST_REQUIRED" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sqlerr_t e = map(cases[i].state, "the function's words", "", "", "");
		assert_int_equal(yk_reason_code(e.reason), cases[i].code);
		assert_string_equal(yk_reason_name(e.reason), cases[i].reason);
		assert_string_equal(e.message, "the function's words");
	}
	assert_int_equal(v.n, 0);
	sqlerr_t e = map(YK_SQLSTATE_INVALID, "department \"x\" does not exist", "", "department", "");
	assert_int_equal(yk_reason_code(e.reason), YK__CODE__INVALID_ARGUMENT);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.items[0].path, "department");
}

static void test_constraints(void **state)
{
	(void)state;
	sqlerr_t e = map("23514", "violates check", "budget_amounts_executed_le_secured", "", "");
	assert_int_equal(yk_reason_code(e.reason), YK__CODE__INVALID_ARGUMENT);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.items[0].path, "budget.sources");
	/* a domain, named by its type, at the column's path */
	e = map("23514", "value for domain yk_month violates check", "", "target_month", "yk_month");
	assert_int_equal(yk_reason_code(e.reason), YK__CODE__INVALID_ARGUMENT);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.items[1].path, "target_month");
	/* duplicates say what exists */
	e = map("23505", "duplicate key", "pledges_code_key", "", "");
	assert_int_equal(yk_reason_code(e.reason), YK__CODE__ALREADY_EXISTS);
	assert_string_equal(e.message, "a pledge with this code already exists");
	/* an unknown constraint still names itself, and is the client's */
	e = map("23514", "violates check \"x\"", "some_new_check", "", "");
	assert_int_equal(yk_reason_code(e.reason), YK__CODE__INVALID_ARGUMENT);
	assert_non_null(strstr(e.message, "violates check"));
}

static void test_unavailable_and_internal(void **state)
{
	(void)state;
	const char *busy[] = { "40001", "40P01", "08006", "57P01", "53300" };
	for (size_t i = 0; i < sizeof(busy) / sizeof(busy[0]); i++)
		assert_int_equal(yk_reason_code(map(busy[i], "x", "", "", "").reason), YK__CODE__UNAVAILABLE);
	sqlerr_t e = map("42883", "function yk_nothing() does not exist", "", "", "");
	assert_int_equal(yk_reason_code(e.reason), YK__CODE__INTERNAL);
	assert_null(strstr(e.message, "yk_nothing"));  /* the database's internals stay in the log */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_own_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_constraints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unavailable_and_internal, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
