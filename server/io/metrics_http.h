/* The Prometheus endpoint: GET /metrics on --metrics-listen, plain HTTP/1.0,
 * one answer per connection.  Everything a peer can make it hold is bounded:
 * a request of at most 4 KiB, arriving within 5 seconds, and at most
 * LIMIT_METRICS_CONNS connections at once (more are closed at once). */
#ifndef YK_METRICS_HTTP_H
#define YK_METRICS_HTTP_H

#include <stdbool.h>
#include <uv.h>

struct srv;

typedef struct {
	uv_tcp_t listener;
	struct srv *srv;
	int conns;
	bool listening;
} metrics_http_t;

/* Listen on addr (HOST:PORT); 0, or -1 after logging why. */
int metrics_http_start(metrics_http_t *m, struct srv *s, uv_loop_t *loop, const char *addr);
/* Stop listening; connections in progress finish on their own. */
void metrics_http_stop(metrics_http_t *m);

#endif
