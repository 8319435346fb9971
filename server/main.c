/* yaksokd: start-up (config, listener), then one event loop until SIGTERM/
 * SIGINT has drained the in-flight requests.  Migrations and the first admin
 * are done by srv.c on a worker thread while the loop already answers. */
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "srv.h"

int main(int argc, char **argv)
{
	yk_config_t cfg;
	int rc = config_load(&cfg, argc, argv);
	if (rc) {
		config_free(&cfg);
		return rc > 0 ? 0 : 2;
	}
	if (cfg.check_config) {
		if (cfg.config)
			printf("yaksokd: the configuration is valid (with %s)\n", cfg.config);
		else
			printf("yaksokd: the configuration is valid\n");
		config_print(&cfg, stdout);
		config_free(&cfg);
		return 0;
	}
	log_threshold = (log_level_t)log_level_parse(cfg.log_level);
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0) {
		log_error("event=start_failed msg=\"libsodium could not initialise\"");
		return 1;
	}
	log_info("event=starting version=%s git=%s", YAKSOK_VERSION, YAKSOK_GIT);
	uv_loop_t loop;
	uv_loop_init(&loop);
	srv_t srv;
	if (srv_start(&srv, &loop, &cfg)) {
		config_free(&cfg);
		return 1;
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	rc = uv_loop_close(&loop);
	if (rc)
		log_error("event=loop_not_closed error=\"%s\"", uv_strerror(rc));
	config_free(&cfg);
	return rc ? 1 : srv.exit_code;
}
