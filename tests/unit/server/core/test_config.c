/* core/config.c: defaults, then the environment, then flags; bounds and
 * types refused with exit 2; --help and --version stop with 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static int load(yk_config_t *cfg, int argc, const char **argv)
{
	char *copy[16];
	for (int i = 0; i < argc; i++)
		copy[i] = strdup(argv[i]);
	copy[argc] = NULL;
	int rc = config_load(cfg, argc, copy);
	for (int i = 0; i < argc; i++)
		free(copy[i]);
	return rc;
}

static void test_defaults_env_flags(void **state)
{
	(void)state;
	yk_config_t cfg;
	unsetenv("YAKSOK_DB_POOL");
	const char *argv[] = { "yaksokd", "--db", "dbname=x" };
	assert_int_equal(load(&cfg, 3, argv), 0);
	assert_string_equal(cfg.listen, "127.0.0.1:7450");
	assert_int_equal(cfg.db_pool, 4);
	assert_int_equal(cfg.session_cache, 20000);
	config_free(&cfg);
	setenv("YAKSOK_DB_POOL", "7", 1);
	assert_int_equal(load(&cfg, 3, argv), 0);
	assert_int_equal(cfg.db_pool, 7);
	config_free(&cfg);
	const char *flag[] = { "yaksokd", "--db", "dbname=x", "--db-pool", "9" };
	assert_int_equal(load(&cfg, 5, flag), 0);
	assert_int_equal(cfg.db_pool, 9);  /* a flag beats the environment */
	config_free(&cfg);
	unsetenv("YAKSOK_DB_POOL");
}

static void test_refused(void **state)
{
	(void)state;
	yk_config_t cfg;
	const char *low[] = { "yaksokd", "--db", "dbname=x", "--db-pool", "0" };
	assert_int_equal(load(&cfg, 5, low), -1);
	config_free(&cfg);
	const char *word[] = { "yaksokd", "--db", "dbname=x", "--max-frame", "big" };
	assert_int_equal(load(&cfg, 5, word), -1);
	config_free(&cfg);
	const char *unknown[] = { "yaksokd", "--db", "dbname=x", "--no-such-flag" };
	assert_int_equal(load(&cfg, 4, unknown), -1);
	config_free(&cfg);
	setenv("YAKSOK_ALLOW_PLAINTEXT", "maybe", 1);
	const char *plain[] = { "yaksokd", "--db", "dbname=x" };
	assert_int_equal(load(&cfg, 3, plain), -1);
	config_free(&cfg);
	unsetenv("YAKSOK_ALLOW_PLAINTEXT");
}

static void test_help(void **state)
{
	(void)state;
	yk_config_t cfg;
	const char *help[] = { "yaksokd", "--help" };
	assert_int_equal(load(&cfg, 2, help), 1);
	config_free(&cfg);
}

static void test_password_scrubbed(void **state)
{
	(void)state;
	yk_config_t cfg;
	char a0[] = "yaksokd", a1[] = "--db", a2[] = "host=/x password=secret dbname=y";
	char *argv[] = { a0, a1, a2, NULL };
	assert_int_equal(config_load(&cfg, 3, argv), 0);
	assert_string_equal(cfg.db, "host=/x password=secret dbname=y");  /* kept for libpq */
	assert_null(strstr(a2, "secret"));                                  /* gone from ps */
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_env_flags),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_password_scrubbed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
