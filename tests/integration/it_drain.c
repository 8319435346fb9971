/* it_drain: one connection that pipelines Hello and three ServerStatus
 * requests in one write, then prints every answer it gets as "ID STATUS"
 * until the server closes.  test_drain.sh runs it against a daemon that
 * serves one request at a time per connection (--max-inflight 1) while the
 * first status waits on a lock, so the other two are still unread in the
 * daemon's buffer when SIGTERM comes. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire_client.h"

int main(void)
{
	const char *s = getenv("YK_SERVER");
	if (!s || !strchr(s, ':'))
		return 2;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(strchr(s, ':') + 1)) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return 2;
	uint8_t f[256];
	size_t n = wire_hello(1, f);
	for (uint64_t id = 2; id <= 4; id++)
		n += wire_status(id, f + n);
	if (!wire_send(fd, f, n))
		return 2;
	Yk__Response *r;
	while ((r = wire_response(fd))) {
		printf("%llu %s\n", (unsigned long long)r->id,
		       protobuf_c_enum_descriptor_get_value(&yk__code__descriptor, r->status)->name);
		fflush(stdout);
		yk__response__free_unpacked(r, NULL);
	}
	close(fd);
	return 0;
}
