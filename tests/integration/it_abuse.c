/* Abuse against a running yaksokd (YK_SERVER=HOST:PORT, YK_ADMIN_PW) started
 * with small limits by test_abuse.sh: --max-conns 30 --max-conns-per-addr 8
 * --login-timeout 3 --send-buffer 65536 --send-timeout 1.  Connection floods
 * past both limits, the pre-login deadline, a client that pipelines without
 * reading, malformed frames (truncated, duplicated fields, huge repeated
 * fields, invalid UTF-8), and a login flood during which the loop must keep
 * answering.  After each, a fresh client from another address is served. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "text.h"
#include "wire_client.h"
#include "yaksok.pb-c.h"

static struct sockaddr_in server;

/* A connection from a loopback address of our choosing (127.0.0.0/8 is all
 * local on Linux), so that per-address limits can be told apart. */
static int dial_from(const char *src)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in me = { .sin_family = AF_INET };
	inet_pton(AF_INET, src, &me.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&server, sizeof(server)), 0);
	return fd;
}

/* The peer closed: EOF (or a reset) within the timeout. */
static bool closed_within(int fd, int timeout_ms)
{
	uint8_t junk[4096];
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		int left = timeout_ms - (int)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return false;
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (poll(&pf, 1, left) != 1)
			return false;
		ssize_t r = recv(fd, junk, sizeof(junk), 0);
		if (r <= 0)
			return true;
	}
}

static size_t login_frame(uint64_t id, const char *login, const char *pw, uint8_t *out)
{
	Yk__Request req = YK__REQUEST__INIT;
	Yk__Login l = YK__LOGIN__INIT;
	l.login = (char *)login;
	l.password = (char *)pw;
	req.has_id = 1;
	req.id = id;
	req.body_case = YK__REQUEST__BODY_LOGIN;
	req.login = &l;
	return wire_frame(&req, out);
}

/* Greets `fd` and logs it in as the admin, asserting it is let in; the
 * session token into `token` (len bytes) when it is not NULL. */
static void admin_login(int fd, char *token, size_t len)
{
	assert_true(wire_say_hello(fd));
	uint8_t f[512];
	assert_true(wire_send(fd, f, login_frame(2, "admin", getenv("YK_ADMIN_PW"), f)));
	Yk__Response *r = wire_response(fd);
	assert_non_null(r);
	assert_int_equal(r->status, YK__CODE__OK);
	if (token) {
		assert_true(strlen(r->login->token) < len);
		snprintf(token, len, "%s", r->login->token);
	}
	yk__response__free_unpacked(r, NULL);
}

/* A fresh client from `src` is served: Hello and a status with the database. */
static void served_from(const char *src)
{
	int fd = dial_from(src);
	assert_true(wire_say_hello(fd));
	uint8_t f[64];
	assert_true(wire_send(fd, f, wire_status(7, f)));
	Yk__Response *r = wire_response(fd);
	assert_non_null(r);
	assert_int_equal(r->id, 7);
	assert_int_equal(r->status, YK__CODE__OK);
	yk__response__free_unpacked(r, NULL);
	close(fd);
}

/* Refused at the door: one error frame (id 0, RESOURCE_EXHAUSTED), then EOF. */
static void expect_refused(int fd, const char *words)
{
	Yk__Response *r = wire_response(fd);
	assert_non_null(r);
	assert_int_equal(r->id, 0);
	assert_int_equal(r->status, YK__CODE__RESOURCE_EXHAUSTED);
	assert_non_null(strstr(r->message, words));
	yk__response__free_unpacked(r, NULL);
	assert_true(closed_within(fd, 5000));
}

/* Until the server has seen our closes: a fresh connection is let in. */
static void settle(void)
{
	for (int i = 0; i < 50; i++) {
		usleep(100 * 1000);
		int fd = dial_from("127.0.9.9");
		bool ok = wire_say_hello(fd);
		close(fd);
		if (ok)
			return;
	}
	fail_msg("the server still refuses connections");
}

static void test_per_address_limit(void **state)
{
	(void)state;
	int fds[8];
	for (int i = 0; i < 8; i++) {
		fds[i] = dial_from("127.0.0.1");
		assert_true(wire_say_hello(fds[i]));
	}
	int extra = dial_from("127.0.0.1");
	expect_refused(extra, "from your address");
	close(extra);
	served_from("127.0.0.2");
	/* the eight are still served */
	uint8_t f[64];
	assert_true(wire_send(fds[0], f, wire_status(9, f)));
	Yk__Response *r = wire_response(fds[0]);
	assert_non_null(r);
	assert_int_equal(r->status, YK__CODE__OK);
	yk__response__free_unpacked(r, NULL);
	for (int i = 0; i < 8; i++)
		close(fds[i]);
	settle();
}

/* A city hall reaches the server through one NAT address: its logged-in
 * staff are not refused by the per-address limit (8 here), which counts only
 * connections that have not logged in. */
static void test_logged_in_behind_one_address(void **state)
{
	(void)state;
	enum { STAFF = 12 };
	int fds[STAFF];
	for (int i = 0; i < STAFF; i++) {
		fds[i] = dial_from("127.0.9.1");
		admin_login(fds[i], NULL, 0);
	}
	/* and one more, not yet logged in, is still let in */
	int extra = dial_from("127.0.9.1");
	assert_true(wire_say_hello(extra));
	close(extra);
	for (int i = 0; i < STAFF; i++)
		close(fds[i]);
	settle();
}

static void test_total_limit(void **state)
{
	(void)state;
	int fds[30];
	int n = 0;
	for (int a = 0; a < 5; a++)
		for (int i = 0; i < 6; i++) {
			char src[32];
			snprintf(src, sizeof(src), "127.0.1.%d", a + 1);
			fds[n] = dial_from(src);
			assert_true(wire_say_hello(fds[n]));
			n++;
		}
	/* full: a newcomer from elsewhere is let in, and the oldest of those
	 * that have not logged in makes room (five addresses cannot keep
	 * everyone else out) */
	int extra = dial_from("127.0.1.9");
	assert_true(wire_say_hello(extra));
	Yk__Response *r = wire_response(fds[0]);
	assert_non_null(r);
	assert_int_equal(r->status, YK__CODE__RESOURCE_EXHAUSTED);
	assert_non_null(strstr(r->message, "had not logged in"));
	yk__response__free_unpacked(r, NULL);
	assert_true(closed_within(fds[0], 5000));
	/* ... but a flooder that holds the most cannot push others out for more */
	int more = dial_from("127.0.1.2");
	expect_refused(more, "too many connections");
	close(more);
	close(extra);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	settle();
	served_from("127.0.1.10");
}

static void test_login_deadline(void **state)
{
	(void)state;
	int idle = dial_from("127.0.2.1");
	assert_true(wire_say_hello(idle));
	int authed = dial_from("127.0.2.2");
	admin_login(authed, NULL, 0);
	/* --login-timeout 2: the one that never logged in is cut off */
	assert_true(closed_within(idle, 6000));
	close(idle);
	uint8_t f[512];
	assert_true(wire_send(authed, f, wire_status(3, f)));
	Yk__Response *r = wire_response(authed);
	assert_non_null(r);
	assert_int_equal(r->status, YK__CODE__OK);
	yk__response__free_unpacked(r, NULL);
	close(authed);
	settle();
}

/* Pipelines Hellos and never reads: the server stops reading from it once
 * --send-buffer is queued, and cuts it off after --send-timeout. */
static void test_client_that_does_not_read(void **state)
{
	(void)state;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int small = 4096;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	struct sockaddr_in me = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.3.1", &me.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&server, sizeof(server)), 0);
	/* let in, not refused at the door; logged in, so that only its unread
	 * answers can cut it off (a slow machine filling the kernel's buffers
	 * for more than --login-timeout had the login deadline do it first,
	 * and the stall went unlogged) */
	admin_login(fd, NULL, 0);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	uint8_t f[64];
	size_t n = wire_hello(1, f);
	/* Keep sending (while the server reads at all) until it gives up on us:
	 * it can only be cut off once its socket buffer is full and answers
	 * pile up in the daemon. */
	/* The time counted is the time our sends stay blocked, which a slow
	 * daemon (ASan, a loaded machine) makes long before its queue is
	 * full: the bound is generous, the test ends as soon as we are cut off. */
	bool closed = false, checked = false;
	for (int waited_ms = 0; waited_ms < 90000 && !closed;) {
		ssize_t w = send(fd, f, n, MSG_NOSIGNAL);
		if (w < 0 && errno != EAGAIN) {
			closed = true;
			break;
		}
		/* finish a frame begun, so that the stream stays well formed */
		for (size_t done = w > 0 ? (size_t)w : 0; w > 0 && done < n && !closed;) {
			ssize_t more = send(fd, f + done, n - done, MSG_NOSIGNAL);
			if (more > 0)
				done += (size_t)more;
			else if (more < 0 && errno != EAGAIN)
				closed = true;
			else
				usleep(5 * 1000), waited_ms += 5;
		}
		if (w > 0)
			continue;
		if (!checked) {
			/* blocked: the server has stopped reading us; others are served */
			served_from("127.0.3.2");
			checked = true;
		}
		usleep(20 * 1000);
		waited_ms += 20;
	}
	/* (the server may cut it off before our sends ever block) */
	for (int i = 0; i < 300 && !closed; i++) {
		usleep(100 * 1000);
		if (send(fd, f, n, MSG_NOSIGNAL) < 0 && errno != EAGAIN)
			closed = true;
	}
	assert_true(closed);
	close(fd);
	settle();
	served_from("127.0.3.3");
}

/* The daemon's resident memory, in KiB (YK_DAEMON_PID). */
static long daemon_rss_kb(void)
{
	const char *pid = getenv("YK_DAEMON_PID");
	assert_non_null(pid);
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	long kb = -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	fclose(f);
	assert_true(kb > 0);
	return kb;
}

#define FLOOD_CONNS 10
#define FLOOD_MAX_BYTES (16 * 1024 * 1024)
#define FLOOD_GROWTH_MAX_KB (64 * 1024)

/* Pipeline Hello frames without reading a single answer, until the server
 * stops reading (a send blocks for a second) or FLOOD_MAX_BYTES went out.
 * Returns the socket, left open: its answers stay queued in the daemon. */
static void *unread_pipeline(void *arg)
{
	bool logged_in = arg != NULL;
	int fd = dial_from("127.0.10.1");
	if (logged_in)
		admin_login(fd, NULL, 0);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	static uint8_t chunk[1024 * 16];
	size_t len = 0;
	while (len + 32 < sizeof(chunk))
		len += wire_hello(1, chunk + len);
	size_t sent = 0, off = 0;
	while (sent < FLOOD_MAX_BYTES) {
		ssize_t w = send(fd, chunk + off, len - off, MSG_NOSIGNAL);
		if (w > 0) {
			sent += (size_t)w;
			off = (off + (size_t)w) % len;
			continue;
		}
		if (w < 0 && errno != EAGAIN)
			break; /* cut off */
		struct pollfd pf = { .fd = fd, .events = POLLOUT };
		if (poll(&pf, 1, 1000) == 0)
			break; /* the server has stopped reading us */
	}
	return (void *)(intptr_t)fd;
}

/* FLOOD_CONNS clients pipeline without reading; the daemon's memory grows
 * by less than FLOOD_GROWTH_MAX_KB, and a fresh client is served meanwhile. */
static void unread_pipelines(bool logged_in)
{
	long before = daemon_rss_kb();
	pthread_t th[FLOOD_CONNS];
	for (int i = 0; i < FLOOD_CONNS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, unread_pipeline, logged_in ? "yes" : NULL), 0);
	int fds[FLOOD_CONNS];
	for (int i = 0; i < FLOOD_CONNS; i++) {
		void *fd;
		pthread_join(th[i], &fd);
		fds[i] = (int)(intptr_t)fd;
	}
	served_from("127.0.10.2");
	long after = daemon_rss_kb();
	print_message("daemon RSS %ld KiB before, %ld KiB with %d unread pipelines%s\n", before, after, FLOOD_CONNS,
		      logged_in ? " (logged in)" : "");
	assert_true(after - before < FLOOD_GROWTH_MAX_KB);
	for (int i = 0; i < FLOOD_CONNS; i++)
		close(fds[i]);
}

/* Strangers that pipeline requests and never read the answers pin only a
 * bounded amount of the daemon's memory (each tiny answer counted with its
 * bookkeeping, and little before a login).  Before that, each such
 * connection held ~80 MB. */
static void test_unread_pipelines_pin_little(void **state)
{
	(void)state;
	if (!getenv("YK_DAEMON_PID"))
		skip(); /* run on its own, against a daemon with the default limits */
	unread_pipelines(false);
}

/* Logged-in clients may each queue --send-buffer, but all of them together
 * no more than --send-buffer-total (the script sets it to 16 MiB, under the
 * 10 x 8 MiB they could otherwise hold). */
static void test_unread_pipelines_logged_in(void **state)
{
	(void)state;
	if (!getenv("YK_DAEMON_PID"))
		skip();
	unread_pipelines(true);
}

/* A city hall behind one NAT address at a deadline (run against a daemon
 * with --trusted-addrs 127.0.11.0/24 and the default limits): 150 staff
 * connect at the same moment, before any of them has logged in, and all are
 * served, while three strangers flooding from other addresses are held to
 * --max-conns-per-addr (64). */
#define STAFF_AT_ONCE 150
#define FLOOD_ADDRS 3
#define FLOOD_EACH 70

static void test_city_hall_behind_one_address(void **state)
{
	(void)state;
	if (!getenv("YK_TRUSTED_TEST"))
		skip(); /* run on its own, against a daemon that trusts 127.0.11.0/24 */
	/* one login gives the staff's token (each would have its own; one is
	 * enough to show the server) */
	int lfd = dial_from("127.0.11.1");
	char token[128];
	admin_login(lfd, token, sizeof(token));
	close(lfd);
	uint8_t f[512];

	static int staff[STAFF_AT_ONCE], flood[FLOOD_ADDRS][FLOOD_EACH];
	for (int i = 0; i < STAFF_AT_ONCE; i++) {
		staff[i] = dial_from("127.0.11.1");
		assert_true(wire_say_hello(staff[i]));
	}
	int refused = 0;
	for (int a = 0; a < FLOOD_ADDRS; a++) {
		char src[32];
		snprintf(src, sizeof(src), "127.0.12.%d", a + 1);
		for (int i = 0; i < FLOOD_EACH; i++) {
			flood[a][i] = dial_from(src);
			if (!wire_say_hello(flood[a][i]))
				refused++;
		}
	}
	/* each stranger got 64 in, the rest were refused */
	assert_int_equal(refused, FLOOD_ADDRS * (FLOOD_EACH - 64));
	/* every member of staff is served, with the token */
	for (int i = 0; i < STAFF_AT_ONCE; i++) {
		Yk__Request req = YK__REQUEST__INIT;
		Yk__WhoAmI w = YK__WHO_AM_I__INIT;
		req.has_id = 1;
		req.id = 3;
		req.token = token;
		req.body_case = YK__REQUEST__BODY_WHOAMI;
		req.whoami = &w;
		assert_true(wire_send(staff[i], f, wire_frame(&req, f)));
		Yk__Response *r = wire_response(staff[i]);
		assert_non_null(r);
		assert_int_equal(r->status, YK__CODE__OK);
		yk__response__free_unpacked(r, NULL);
	}
	for (int i = 0; i < STAFF_AT_ONCE; i++)
		close(staff[i]);
	for (int a = 0; a < FLOOD_ADDRS; a++)
		for (int i = 0; i < FLOOD_EACH; i++)
			close(flood[a][i]);
}

/* Password guesses from many connections do not make a real login wait
 * behind them (run against a daemon with --hash-workers 1): once an address
 * has failed, its further attempts wait behind everyone else's.  Counted in
 * answers, not in time: how many guesses are answered before the real
 * login that came after them. */
#define GUESS_CONNS 2
#define GUESSES_EACH 10

static void test_real_login_before_guesses(void **state)
{
	(void)state;
	if (!getenv("YK_HASH_TEST"))
		skip(); /* run on its own, against a daemon with one hash worker */
	uint8_t f[512];
	/* one failure makes the address a suspect one */
	int first = dial_from("127.0.13.1");
	assert_true(wire_say_hello(first));
	assert_true(wire_send(first, f, login_frame(2, "guess-0", "wrong-password", f)));
	Yk__Response *r = wire_response(first);
	assert_non_null(r);
	assert_int_equal(r->status, YK__CODE__UNAUTHENTICATED);
	yk__response__free_unpacked(r, NULL);
	/* then guesses pipelined on several connections, each name different
	 * (no pair is locked; the address stays under its own limit) */
	int g[GUESS_CONNS];
	for (int c = 0; c < GUESS_CONNS; c++) {
		g[c] = dial_from("127.0.13.1");
		assert_true(wire_say_hello(g[c]));
		for (int i = 0; i < GUESSES_EACH; i++) {
			char name[32];
			snprintf(name, sizeof(name), "guess-%d-%d", c, i);
			assert_true(wire_send(g[c], f, login_frame((uint64_t)(10 + i), name, "wrong-password", f)));
		}
	}
	/* the first guess answered: the rest are queued behind it by now (a
	 * hash takes far longer than looking up a name) */
	r = wire_response(g[0]);
	assert_non_null(r);
	yk__response__free_unpacked(r, NULL);
	int answered_before = 1;
	/* the real login, from elsewhere */
	int real = dial_from("127.0.13.2");
	assert_true(wire_say_hello(real));
	assert_true(wire_send(real, f, login_frame(2, "admin", getenv("YK_ADMIN_PW"), f)));
	bool real_done = false;
	int left[GUESS_CONNS] = { GUESSES_EACH - 1, GUESSES_EACH };
	while (!real_done) {
		struct pollfd pf[GUESS_CONNS + 1];
		for (int c = 0; c < GUESS_CONNS; c++)
			pf[c] = (struct pollfd){ .fd = g[c], .events = POLLIN };
		pf[GUESS_CONNS] = (struct pollfd){ .fd = real, .events = POLLIN };
		assert_true(poll(pf, GUESS_CONNS + 1, 60000) > 0);
		if (pf[GUESS_CONNS].revents & POLLIN) {
			r = wire_response(real);
			assert_non_null(r);
			assert_int_equal(r->status, YK__CODE__OK);
			yk__response__free_unpacked(r, NULL);
			real_done = true;
			break;
		}
		for (int c = 0; c < GUESS_CONNS; c++)
			if ((pf[c].revents & POLLIN) && left[c] > 0) {
				r = wire_response(g[c]);
				assert_non_null(r);
				yk__response__free_unpacked(r, NULL);
				left[c]--;
				answered_before++;
			}
	}
	print_message("%d of %d guesses answered before the real login\n", answered_before, GUESS_CONNS * GUESSES_EACH);
	/* the one being hashed when it came, and perhaps the next one taken */
	assert_true(answered_before <= 3);
	close(first);
	close(real);
	for (int c = 0; c < GUESS_CONNS; c++)
		close(g[c]);
}

static void test_truncated_header(void **state)
{
	(void)state;
	int fd = dial_from("127.0.4.1");
	assert_true(wire_say_hello(fd));
	uint8_t hdr[2] = { 0, 0 };
	assert_true(wire_send(fd, hdr, 2));
	close(fd);
	served_from("127.0.4.2");
}

static void test_duplicate_fields(void **state)
{
	(void)state;
	int fd = dial_from("127.0.4.3");
	assert_true(wire_say_hello(fd));
	/* two complete ServerStatus requests' bytes in one frame: every field
	 * twice.  Protobuf would keep the last; the server refuses instead. */
	uint8_t a[64], both[128];
	size_t n = wire_status(5, a) - 4;
	memcpy(both + 4, a + 4, n);
	memcpy(both + 4 + n, a + 4, n);
	frame_put_header(both, (uint32_t)(2 * n));
	assert_true(wire_send(fd, both, 4 + 2 * n));
	Yk__Response *r = wire_response(fd);
	assert_non_null(r);
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	assert_non_null(strstr(r->message, "repeated"));
	yk__response__free_unpacked(r, NULL);
	close(fd);
	served_from("127.0.4.4");
}

/* A frame under --max-frame whose repeated field unpacks to far more than a
 * request may use: half a million empty evidence entries. */
static void test_huge_repeated_field(void **state)
{
	(void)state;
	int fd = dial_from("127.0.4.5");
	assert_true(wire_say_hello(fd));
	size_t items = 500000;
	size_t body = 0;
	uint8_t *f = malloc(16 + items * 2);
	uint8_t *p = f + 4 + 8;
	for (size_t i = 0; i < items; i++) {
		*p++ = 0x22; /* ChangePropose.evidence (4), length-delimited */
		*p++ = 0x00;
	}
	size_t inner = items * 2;
	/* Request.change_propose (60): tag 60<<3|2 = 482 = e2 03, then length */
	uint8_t head[8];
	size_t h = 0;
	head[h++] = 0xe2;
	head[h++] = 0x03;
	size_t v = inner;
	while (v >= 0x80) {
		head[h++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	head[h++] = (uint8_t)v;
	memmove(f + 4 + h, f + 4 + 8, inner);
	memcpy(f + 4, head, h);
	body = h + inner;
	frame_put_header(f, (uint32_t)body);
	assert_true(wire_send(fd, f, 4 + body));
	free(f);
	Yk__Response *r = wire_response(fd);
	assert_non_null(r);
	assert_int_equal(r->status, YK__CODE__RESOURCE_EXHAUSTED);
	assert_non_null(strstr(r->message, "repeated"));
	yk__response__free_unpacked(r, NULL);
	assert_true(closed_within(fd, 5000));
	close(fd);
	served_from("127.0.4.6");
}

static void test_invalid_utf8_login(void **state)
{
	(void)state;
	int fd = dial_from("127.0.4.7");
	assert_true(wire_say_hello(fd));
	uint8_t f[128];
	assert_true(wire_send(fd, f, login_frame(4, "ad\xff\xfemin", "whatever-password", f)));
	Yk__Response *r = wire_response(fd);
	assert_non_null(r);
	assert_int_equal(r->id, 4);
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	yk__response__free_unpacked(r, NULL);
	close(fd);
	served_from("127.0.4.8");
}

static Yk__Code login_from(const char *src, const char *password, char *message, size_t len)
{
	int fd = dial_from(src);
	assert_true(wire_say_hello(fd));
	uint8_t f[512];
	assert_true(wire_send(fd, f, login_frame(2, "admin", password, f)));
	Yk__Response *r = wire_response(fd);
	assert_non_null(r);
	Yk__Code code = r->status;
	snprintf(message, len, "%s", r->message ? r->message : "");
	yk__response__free_unpacked(r, NULL);
	close(fd);
	return code;
}

/* Strangers guessing the admin's password from one address slow themselves
 * down, not the admin working from another. */
static void test_lockout_is_per_address(void **state)
{
	(void)state;
	char msg[256];
	for (int i = 0; i < 5; i++)
		assert_int_equal(login_from("127.0.11.1", "not-the-password", msg, sizeof(msg)), YK__CODE__UNAUTHENTICATED);
	assert_int_equal(login_from("127.0.11.1", getenv("YK_ADMIN_PW"), msg, sizeof(msg)), YK__CODE__UNAUTHENTICATED);
	assert_non_null(strstr(msg, "too many failed logins"));
	assert_int_equal(login_from("127.0.11.2", getenv("YK_ADMIN_PW"), msg, sizeof(msg)), YK__CODE__OK);
}

static bool valid_text(const char *s)
{
	return !s || text_problem(s, strlen(s)) == NULL;
}

/* Writes whose fields are not text are refused, audited like any refusal,
 * and answered in valid UTF-8 (test_abuse.sh then finds their audit rows and
 * no failed audit insert). */
static void test_invalid_utf8_writes(void **state)
{
	(void)state;
	int fd = dial_from("127.0.4.9");
	char token[128];
	admin_login(fd, token, sizeof(token));
	uint8_t f[1024];
	Yk__Response *r;

	Yk__Request req = YK__REQUEST__INIT;
	req.has_id = 1;
	req.token = token;
	/* a department whose name is not text */
	Yk__DepartmentAdd da = YK__DEPARTMENT_ADD__INIT;
	da.name = "\xff\xfe과";
	req.id = 10;
	req.idempotency_key = "utf8-dept-0001";
	req.body_case = YK__REQUEST__BODY_DEPARTMENT_ADD;
	req.department_add = &da;
	assert_true(wire_send(fd, f, wire_frame(&req, f)));
	/* a quick update of a pledge whose code is not text */
	Yk__PledgeUpdate pu = YK__PLEDGE_UPDATE__INIT;
	Yk__StatusSet ss = YK__STATUS_SET__INIT;
	ss.status = "in_progress";
	pu.code = "SW7-\xc3\x28\x1b[31m";
	pu.change_case = YK__PLEDGE_UPDATE__CHANGE_STATUS_SET;
	pu.status_set = &ss;
	req.id = 11;
	req.idempotency_key = "utf8-update-0001";
	req.body_case = YK__REQUEST__BODY_PLEDGE_UPDATE;
	req.pledge_update = &pu;
	assert_true(wire_send(fd, f, wire_frame(&req, f)));
	for (int i = 0; i < 2; i++) {
		r = wire_response(fd);
		assert_non_null(r);
		assert_true(r->id == 10 || r->id == 11);
		assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
		assert_true(valid_text(r->message));
		for (size_t k = 0; k < r->n_violations; k++) {
			assert_true(valid_text(r->violations[k]->path));
			assert_true(valid_text(r->violations[k]->problem));
		}
		yk__response__free_unpacked(r, NULL);
	}
	close(fd);
}

static volatile bool flood_stop;

static void *flood(void *arg)
{
	int k = (int)(intptr_t)arg;
	char src[32];
	snprintf(src, sizeof(src), "127.0.5.%d", k + 1);
	for (int i = 0; !flood_stop; i++) {
		/* no cmocka asserts off the main thread: a failed connect is
		 * just one attempt fewer */
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in me = { .sin_family = AF_INET };
		inet_pton(AF_INET, src, &me.sin_addr);
		if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) ||
		    connect(fd, (struct sockaddr *)&server, sizeof(server))) {
			if (fd >= 0)
				close(fd);
			usleep(10 * 1000);
			continue;
		}
		if (!wire_say_hello(fd)) {
			close(fd);
			continue;
		}
		char name[32];
		snprintf(name, sizeof(name), "nobody-%d-%d", k, i);
		uint8_t f[256];
		if (wire_send(fd, f, login_frame(2, name, "wrong-password-123", f))) {
			Yk__Response *r = wire_response(fd);
			if (r)
				yk__response__free_unpacked(r, NULL);
		}
		close(fd);
	}
	return NULL;
}

/* Wrong passwords from many addresses keep the hashing workers busy; the
 * loop must still serve meanwhile.  Shown by order, not by a stopwatch: on
 * one connection, a login that needs a password hash (an unknown name, so
 * the dummy hash) and right behind it a status; the status is answered
 * first (responses carry their request's id and may overtake each other),
 * every time. */
static void test_login_flood(void **state)
{
	(void)state;
	enum { THREADS = 8, PROBES = 30 };
	pthread_t t[THREADS];
	flood_stop = false;
	for (int k = 0; k < THREADS; k++)
		pthread_create(&t[k], NULL, flood, (void *)(intptr_t)k);
	int fd = dial_from("127.0.6.1");
	admin_login(fd, NULL, 0);
	uint8_t f[512];
	for (int i = 0; i < PROBES; i++) {
		char name[32];
		snprintf(name, sizeof(name), "nobody-%d", i);  /* each name once: no lockout answers early */
		uint64_t login_id = 1000 + (uint64_t)i, status_id = 2000 + (uint64_t)i;
		assert_true(wire_send(fd, f, login_frame(login_id, name, "wrong-password", f)));
		assert_true(wire_send(fd, f, wire_status(status_id, f)));
		Yk__Response *r = wire_response(fd);
		assert_non_null(r);
		assert_int_equal(r->id, status_id);  /* the status overtook the login's hash */
		assert_int_equal(r->status, YK__CODE__OK);
		yk__response__free_unpacked(r, NULL);
		r = wire_response(fd);
		assert_non_null(r);
		assert_int_equal(r->id, login_id);
		assert_int_equal(r->status, YK__CODE__UNAUTHENTICATED);
		yk__response__free_unpacked(r, NULL);
	}
	flood_stop = true;
	for (int k = 0; k < THREADS; k++)
		pthread_join(t[k], NULL);
	close(fd);
	printf("login flood: %d status probes each answered ahead of a login waiting for its hash\n", PROBES);
	settle();
}

int main(void)
{
	const char *s = getenv("YK_SERVER");
	if (!s || !strchr(s, ':') || !getenv("YK_ADMIN_PW"))
		return 2;
	server.sin_family = AF_INET;
	server.sin_port = htons((uint16_t)atoi(strchr(s, ':') + 1));
	inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
	/* ABUSE_ONLY / ABUSE_SKIP: cmocka test-name patterns, so that the
	 * script can run the pre-login deadline against a daemon of its own */
	if (getenv("ABUSE_ONLY"))
		cmocka_set_test_filter(getenv("ABUSE_ONLY"));
	if (getenv("ABUSE_SKIP"))
		cmocka_set_skip_filter(getenv("ABUSE_SKIP"));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_address_limit),
		cmocka_unit_test(test_logged_in_behind_one_address),	  cmocka_unit_test(test_total_limit),
		cmocka_unit_test(test_login_deadline),		  cmocka_unit_test(test_client_that_does_not_read),
		cmocka_unit_test(test_truncated_header),	  cmocka_unit_test(test_duplicate_fields),
		cmocka_unit_test(test_huge_repeated_field),	  cmocka_unit_test(test_invalid_utf8_login),
		cmocka_unit_test(test_invalid_utf8_writes),
		cmocka_unit_test(test_lockout_is_per_address),
		cmocka_unit_test(test_login_flood),
		cmocka_unit_test(test_unread_pipelines_pin_little),
		cmocka_unit_test(test_unread_pipelines_logged_in),
		cmocka_unit_test(test_city_hall_behind_one_address),
		cmocka_unit_test(test_real_login_before_guesses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
