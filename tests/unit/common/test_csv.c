/* common/csv.c: RFC 4180 quoting, and no cell a spreadsheet would run as a
 * formula, while numbers stay numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

static const char *cell(const char *s)
{
	static buf_t b = BUF_INIT;
	buf_reset(&b);
	assert_int_equal(csv_cell(&b, s), 0);
	assert_int_equal(buf_putc(&b, '\0'), 0);
	return (const char *)b.data;
}

static void test_quoting(void **state)
{
	(void)state;
	assert_string_equal(cell("협치 계획"), "협치 계획");
	assert_string_equal(cell(""), "");
	assert_string_equal(cell("a,b"), "\"a,b\"");
	assert_string_equal(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(cell("two\nlines"), "\"two\nlines\"");
}

static void test_formulas_neutralised(void **state)
{
	(void)state;
	assert_string_equal(cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	assert_string_equal(cell("+1+2"), "\"'+1+2\"");
	assert_string_equal(cell("-2+3"), "\"'-2+3\"");
	assert_string_equal(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
	assert_string_equal(cell("\tcmd"), "\"'\tcmd\"");
	assert_string_equal(cell("\rcmd"), "\"'\rcmd\"");
	/* numbers stay numbers */
	assert_string_equal(cell("-12.5"), "-12.5");
	assert_string_equal(cell("46.03"), "46.03");
	assert_string_equal(cell("-"), "\"'-\"");  /* a lone sign is no number */
	/* only the first character matters */
	assert_string_equal(cell("a=b"), "a=b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_formulas_neutralised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
