#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

/* 협치 typed in NFD (as macOS input methods produce it) */
static const char nfd[] = "\xe1\x84\x92\xe1\x85\xa7\xe1\x86\xb8\xe1\x84\x8e\xe1\x85\xb5";

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("정책기획과"), 10);
	assert_int_equal(text_width("협치위원회 구성"), 15);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("○ 2021년"), 8);
	assert_int_equal(text_width(nfd), 4); /* jamo vowels and finals take no column */
	assert_int_equal(text_width(""), 0);
}

static void test_nfc(void **state)
{
	(void)state;
	arena_t *a = arena_new(0);
	char *s = text_nfc(a, nfd, strlen(nfd));
	assert_string_equal(s, "협치");
	assert_true(text_is_nfc("협치"));
	assert_false(text_is_nfc(nfd));
	assert_string_equal(text_nfc(a, "plain", 5), "plain");
	arena_free(a);
}

static void test_problems(void **state)
{
	(void)state;
	assert_null(text_problem("정책", strlen("정책")));
	assert_non_null(text_problem("\xf0\x80", 2));
	assert_non_null(strstr(text_problem("ab\xff", 3), "byte 2"));
	assert_string_equal(text_problem("a\0b", 3), "contains a NUL byte");
	arena_t *a = arena_new(0);
	assert_null(text_nfc(a, "\xc3", 1));
	arena_free(a);
}

static void test_arena_cap(void **state)
{
	(void)state;
	arena_t *a = arena_new(1000);
	assert_non_null(arena_alloc(a, 500));
	assert_null(arena_alloc(a, 600));
	assert_non_null(arena_alloc(a, 100));
	assert_true(arena_used(a) <= 1000);
	assert_null(arena_alloc(a, (size_t)-1));
	arena_free(a);
	a = arena_new(0);
	char *big = arena_alloc(a, 100000); /* bigger than a chunk */
	assert_non_null(big);
	memset(big, 1, 100000);
	assert_string_equal(arena_printf(a, "%d-%s", 7, "x"), "7-x");
	arena_free(a);
}

static void test_prefix_fitting(void **state)
{
	(void)state;
	assert_int_equal(text_prefix_fitting("abcdef", 3), 3);
	assert_int_equal(text_prefix_fitting("abc", 10), 3);
	/* Hangul syllables are two columns: a width of 5 holds two of them */
	assert_int_equal(text_prefix_fitting("수원시청", 5), 6);
	assert_int_equal(text_prefix_fitting("수원시청", 4), 6);
	assert_int_equal(text_prefix_fitting("수원시청", 1), 0);
	assert_int_equal(text_prefix_fitting("", 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_fitting),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_arena_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
