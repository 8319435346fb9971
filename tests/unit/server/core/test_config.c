/* core/config.c: defaults, then the environment, then flags; bounds and
 * types refused with exit 2; --help and --version stop with 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static int load(yk_config_t *cfg, int argc, const char **argv)
{
	char *copy[32];
	for (int i = 0; i < argc; i++)
		copy[i] = strdup(argv[i]);
	copy[argc] = NULL;
	int rc = config_load(cfg, argc, copy);
	for (int i = 0; i < argc; i++)
		free(copy[i]);
	return rc;
}

static const char *write_file(const char *text)
{
	static char path[] = "/tmp/yaksokd-config-XXXXXX";
	strcpy(path, "/tmp/yaksokd-config-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* A --config file sits between the defaults and the environment; flags win
 * over both; a bad line is refused with its file and line. */
static void test_config_file(void **state)
{
	(void)state;
	yk_config_t cfg;
	unsetenv("YAKSOK_DB_POOL");
	unsetenv("YAKSOK_CONFIG");
	const char *path = write_file("# yaksokd\n\ndb = host=/run/postgresql user=yaksok dbname=yaksok\n"
				      "db-pool = 6\nlisten = \"127.0.0.1:7999\"\nmax-conns=100\n");
	const char *argv[] = { "yaksokd", "--config", path };
	assert_int_equal(load(&cfg, 3, argv), 0);
	assert_string_equal(cfg.db, "host=/run/postgresql user=yaksok dbname=yaksok");
	assert_int_equal(cfg.db_pool, 6);
	assert_int_equal(cfg.max_conns, 100);
	assert_string_equal(cfg.listen, "127.0.0.1:7999");
	config_free(&cfg);
	setenv("YAKSOK_DB_POOL", "7", 1);
	const char *argv2[] = { "yaksokd", "--config", path, "--listen", "127.0.0.1:1" };
	assert_int_equal(load(&cfg, 5, argv2), 0);
	assert_int_equal(cfg.db_pool, 7);                 /* the environment over the file */
	assert_string_equal(cfg.listen, "127.0.0.1:1");  /* flags over both */
	config_free(&cfg);
	unsetenv("YAKSOK_DB_POOL");
	unlink(path);
	path = write_file("db = x\nno-such-option = 1\n");
	const char *argv3[] = { "yaksokd", "--config", path };
	assert_int_equal(load(&cfg, 3, argv3), -1);
	config_free(&cfg);
	unlink(path);
	path = write_file("db-pool = 999\n");
	const char *argv4[] = { "yaksokd", "--config", path, "--db", "x" };
	assert_int_equal(load(&cfg, 5, argv4), -1);
	config_free(&cfg);
	unlink(path);
	const char *argv5[] = { "yaksokd", "--config", "/nonexistent/yaksokd.conf", "--db", "x" };
	assert_int_equal(load(&cfg, 5, argv5), -1);
	config_free(&cfg);
	/* --check-config loads and validates, and says so: a bad range is refused */
	const char *argv6[] = { "yaksokd", "--db", "x", "--check-config", "--trusted-addrs", "10.0.0.0/33" };
	assert_int_equal(load(&cfg, 6, argv6), -1);
	config_free(&cfg);
	const char *argv7[] = { "yaksokd", "--db", "x", "--check-config" };
	assert_int_equal(load(&cfg, 4, argv7), 0);
	assert_int_equal(cfg.check_config, 1);
	config_free(&cfg);
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

/* --db-replica is given once per replica: repeated in one place (flags, the
 * file) the values add up, one a line; a later place replaces them. */
static void test_replicas_repeat(void **state)
{
	(void)state;
	yk_config_t cfg;
	unsetenv("YAKSOK_DB_REPLICA");
	const char *path = write_file("db = x\ndb-replica = host=r1\ndb-replica = host=r2\n");
	const char *argv[] = { "yaksokd", "--config", path };
	assert_int_equal(load(&cfg, 3, argv), 0);
	assert_string_equal(cfg.db_replica, "host=r1\nhost=r2");
	config_free(&cfg);
	setenv("YAKSOK_DB_REPLICA", "host=env", 1);
	assert_int_equal(load(&cfg, 3, argv), 0);
	assert_string_equal(cfg.db_replica, "host=env");  /* the environment replaces the file's */
	config_free(&cfg);
	const char *flags[] = { "yaksokd", "--config", path, "--db-replica", "host=a", "--db-replica", "host=b password=s" };
	assert_int_equal(load(&cfg, 7, flags), 0);
	assert_string_equal(cfg.db_replica, "host=a\nhost=b password=s");  /* flags replace both */
	char out[1024] = "";
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");
	config_print(&cfg, f);
	fclose(f);
	assert_non_null(strstr(out, "db-replica = host=a\n"));
	assert_non_null(strstr(out, "db-replica = (set; holds a password)\n"));
	assert_null(strstr(out, "password=s"));
	config_free(&cfg);
	unsetenv("YAKSOK_DB_REPLICA");
	const char *nine[] = { "yaksokd", "--db", "x", "--db-replica", "1", "--db-replica", "2", "--db-replica", "3",
			       "--db-replica", "4", "--db-replica", "5", "--db-replica", "6", "--db-replica", "7",
			       "--db-replica", "8", "--db-replica", "9" };
	assert_int_equal(load(&cfg, 21, nine), -1);  /* more than LIMIT_REPLICAS */
	config_free(&cfg);
	unlink(path);
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
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_replicas_repeat),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_password_scrubbed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
