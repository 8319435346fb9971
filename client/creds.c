#include "creds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *config_dir(arena_t *a)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	/* The XDG spec says to ignore a relative path. */
	if (x && x[0] == '/')
		return arena_printf(a, "%s/yaksok", x);
	const char *home = getenv("HOME");
	return arena_printf(a, "%s/.config/yaksok", home && *home ? home : ".");
}

const char *creds_path(arena_t *a)
{
	return arena_printf(a, "%s/credentials", config_dir(a));
}

int creds_load(arena_t *a, creds_t *c)
{
	memset(c, 0, sizeof(*c));
	const char *path = creds_path(a);
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 1 : (fprintf(stderr, "yaksok: cannot read %s: %s\n", path, strerror(errno)), -1);
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
		fprintf(stderr, "yaksok: warning: %s is readable by others; run chmod 600 on it\n", path);
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		const char *v = arena_strdup(a, eq + 1);
		if (!strcmp(line, "server"))
			c->server = v;
		else if (!strcmp(line, "login"))
			c->login = v;
		else if (!strcmp(line, "token"))
			c->token = v;
		else if (!strcmp(line, "lsn"))
			c->lsn = strtoull(v, NULL, 10);
	}
	fclose(f);
	return 0;
}

static int mkdir_p(const char *dir)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return -1;
	return 0;
}

int creds_save(const creds_t *c)
{
	arena_t *a = arena_new(0);
	if (!a)
		return -1;
	const char *dir = config_dir(a);
	const char *path = creds_path(a);
	int rc = -1;
	if (mkdir_p(dir)) {
		fprintf(stderr, "yaksok: cannot create %s: %s\n", dir, strerror(errno));
		goto out;
	}
	char *tmp = arena_printf(a, "%s/.credentials.XXXXXX", dir);
	int fd = mkstemp(tmp); /* created 0600 */
	if (fd < 0) {
		fprintf(stderr, "yaksok: cannot write in %s: %s\n", dir, strerror(errno));
		goto out;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		goto out;
	}
	fprintf(f, "server=%s\nlogin=%s\ntoken=%s\nlsn=%llu\n", c->server, c->login, c->token, c->lsn);
	if (fflush(f) || fsync(fileno(f)) || fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "yaksok: cannot save %s: %s\n", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	arena_free(a);
	return rc;
}

int creds_remove(void)
{
	arena_t *a = arena_new(0);
	if (!a)
		return -1;
	int rc = unlink(creds_path(a)) == 0 || errno == ENOENT ? 0 : -1;
	arena_free(a);
	return rc;
}
