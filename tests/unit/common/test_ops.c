/* common/ops.c: every body the protocol has is an operation with a name and
 * roles; writes and reads as the daemon and the CLI rely on; roles and change
 * steps by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ops.h"

static void test_every_body_is_an_operation(void **state)
{
	(void)state;
	const ProtobufCMessageDescriptor *d = &yk__request__descriptor;
	size_t bodies = 0;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (!(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
			continue;
		bodies++;
		const yk_op_t *op = yk_op_find((Yk__Request__BodyCase)f->id);
		assert_non_null(op);
		assert_non_null(op->name);
		assert_true(op->roles != 0);
		assert_true((op->roles & ~(unsigned)YK_ROLE_ANY) == 0);
		/* a write is always someone's, never anonymous */
		if (op->writes)
			assert_true(op->needs_auth);
	}
	assert_true(bodies >= 26);
	assert_null(yk_op_find(YK__REQUEST__BODY__NOT_SET));
	assert_null(yk_op_find((Yk__Request__BodyCase)9999));
	assert_null(yk_op_find((Yk__Request__BodyCase)-1));
}

static void test_which_write(void **state)
{
	(void)state;
	assert_true(yk_op_find(YK__REQUEST__BODY_PLEDGE_APPLY)->writes);
	assert_true(yk_op_find(YK__REQUEST__BODY_PLEDGE_UPDATE)->writes);
	assert_true(yk_op_find(YK__REQUEST__BODY_CHANGE_STEP)->writes);
	assert_false(yk_op_find(YK__REQUEST__BODY_PLEDGE_GET)->writes);
	assert_false(yk_op_find(YK__REQUEST__BODY_LOGIN)->writes);
	assert_false(yk_op_find(YK__REQUEST__BODY_HELLO)->needs_auth);
	assert_string_equal(yk_op_find(YK__REQUEST__BODY_PLEDGE_HISTORY)->name, "history");
	/* viewers read, never write */
	assert_false(yk_op_find(YK__REQUEST__BODY_CHANGE_STEP)->roles & YK_ROLE_VIEWER);
	assert_false(yk_op_find(YK__REQUEST__BODY_PLEDGE_APPLY)->roles & YK_ROLE_VIEWER);
}

static void test_roles(void **state)
{
	(void)state;
	assert_int_equal(yk_role_bit("admin"), YK_ROLE_ADMIN);
	assert_int_equal(yk_role_bit("viewer"), YK_ROLE_VIEWER);
	assert_int_equal(yk_role_bit("Admin"), 0);
	assert_int_equal(yk_role_bit(""), 0);
	assert_int_equal(yk_role_bit(NULL), 0);
}

static void test_change_steps(void **state)
{
	(void)state;
	const ProtobufCEnumDescriptor *d = &yk__change_step_kind__descriptor;
	for (unsigned i = 0; i < d->n_values; i++) {
		Yk__ChangeStepKind k = (Yk__ChangeStepKind)d->values[i].value;
		if (k == YK__CHANGE_STEP_KIND__STEP_UNSPECIFIED) {
			assert_null(yk_change_step_name(k));
			assert_int_equal(yk_change_step_roles(k), 0);
			continue;
		}
		const char *name = yk_change_step_name(k);
		assert_non_null(name);
		assert_int_equal(yk_change_step_parse(name), k);
		assert_true(yk_change_step_roles(k) & YK_ROLE_ADMIN);
	}
	assert_int_equal(yk_change_step_parse("propose"), YK__CHANGE_STEP_KIND__STEP_UNSPECIFIED);
	assert_int_equal(yk_change_step_parse(NULL), YK__CHANGE_STEP_KIND__STEP_UNSPECIFIED);
	assert_null(yk_change_step_name((Yk__ChangeStepKind)99));
	assert_true(yk_change_step_roles(YK__CHANGE_STEP_KIND__STEP_APPROVE) & YK_ROLE_APPROVER);
	assert_false(yk_change_step_roles(YK__CHANGE_STEP_KIND__STEP_APPROVE) & YK_ROLE_DEPARTMENT);
	assert_true(yk_change_step_roles(YK__CHANGE_STEP_KIND__STEP_WITHDRAW) & YK_ROLE_DEPARTMENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_body_is_an_operation),
		cmocka_unit_test(test_which_write),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_change_steps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
