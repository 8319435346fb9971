/* idle N SECONDS: open N connections to yaksokd (YK_SERVER), from loopback
 * addresses 127.0.x.y in turn, 100 per address; on each send Hello and, with
 * YK_TOKEN, a WhoAmI so that the connection counts as logged in; print
 * "open N" once every one has answered, keep them SECONDS, close them all and
 * print "closed".  For scripts/bench's memory figures. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire_client.h"

int main(int argc, char **argv)
{
	const char *s = getenv("YK_SERVER");
	if (argc != 3 || !s || !strchr(s, ':')) {
		fprintf(stderr, "usage: YK_SERVER=HOST:PORT [YK_TOKEN=T] idle N SECONDS\n");
		return 2;
	}
	int n = atoi(argv[1]), secs = atoi(argv[2]);
	struct sockaddr_in server = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(strchr(s, ':') + 1)) };
	inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
	int *fds = calloc((size_t)n, sizeof(int));
	const char *token = getenv("YK_TOKEN");
	int ok = 0;
	for (int i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in me = { .sin_family = AF_INET };
		char src[32];
		snprintf(src, sizeof(src), "127.0.%d.%d", 100 + i / 100 / 250, 1 + (i / 100) % 250);
		inet_pton(AF_INET, src, &me.sin_addr);
		if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) ||
		    connect(fd, (struct sockaddr *)&server, sizeof(server))) {
			perror("idle: connect");
			return 1;
		}
		fds[i] = fd;
		uint8_t f[256];
		size_t len = wire_hello(1, f);
		if (token) {
			Yk__Request req = YK__REQUEST__INIT;
			Yk__WhoAmI w = YK__WHO_AM_I__INIT;
			req.has_id = 1;
			req.id = 2;
			req.token = (char *)token;
			req.body_case = YK__REQUEST__BODY_WHOAMI;
			req.whoami = &w;
			len += wire_frame(&req, f + len);
		}
		if (!wire_send(fd, f, len)) {
			fprintf(stderr, "idle: send failed on connection %d\n", i);
			return 1;
		}
	}
	for (int i = 0; i < n; i++) {
		int good = 1;
		for (int k = 0; k < (token ? 2 : 1); k++) {
			Yk__Response *r = wire_response(fds[i]);
			good &= r && r->status == YK__CODE__OK;
			if (r)
				yk__response__free_unpacked(r, NULL);
		}
		ok += good;
	}
	printf("open %d (%d answered OK)\n", n, ok);
	fflush(stdout);
	sleep((unsigned)secs);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	printf("closed\n");
	free(fds);
	return ok == n ? 0 : 1;
}
