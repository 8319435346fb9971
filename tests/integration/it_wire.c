/* The wire protocol against a running yaksokd (YK_SERVER=HOST:PORT): framing
 * split and merged, zero-length, oversized and absurd lengths, garbage,
 * clients that vanish mid-frame, Hello first, pipelining and ids. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "wire_client.h"
#include "yaksok.pb-c.h"

static struct sockaddr_in server;

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&server, sizeof(server)), 0);
	return fd;
}

static void send_all(int fd, const void *p, size_t n)
{
	assert_true(wire_send(fd, p, n));
}

static size_t recv_n(int fd, uint8_t *p, size_t n)
{
	return wire_recv(fd, p, n, 10000);
}

static Yk__Response *recv_response(int fd)
{
	Yk__Response *r = wire_response(fd);
	assert_non_null(r);
	return r;
}

static void expect_eof(int fd)
{
	uint8_t b;
	assert_int_equal(recv_n(fd, &b, 1), 0);
}

static void hello(int fd)
{
	assert_true(wire_say_hello(fd));
}

/* A ServerStatus on fd is answered OK, with the database reachable. */
static void status_ok(int fd, uint64_t id)
{
	uint8_t f[64];
	send_all(fd, f, wire_status(id, f));
	Yk__Response *r = recv_response(fd);
	assert_int_equal(r->id, id);
	assert_int_equal(r->status, YK__CODE__OK);
	assert_true(r->server_status->database_ok);
	yk__response__free_unpacked(r, NULL);
}

/* The server still answers a fresh client. */
static void still_serving(void)
{
	int fd = dial();
	hello(fd);
	status_ok(fd, 7);
	close(fd);
}

static void test_split_frame(void **state)
{
	(void)state;
	int fd = dial();
	uint8_t f[64];
	size_t n = wire_hello(42, f);
	for (size_t i = 0; i < n; i++) {
		send_all(fd, f + i, 1);
		usleep(2000);
	}
	Yk__Response *r = recv_response(fd);
	assert_int_equal(r->id, 42);
	assert_int_equal(r->status, YK__CODE__OK);
	assert_int_equal(r->body_case, YK__RESPONSE__BODY_HELLO);
	assert_int_equal(r->hello->protocol_version, 1);
	assert_true(r->hello->max_frame >= 1024);
	yk__response__free_unpacked(r, NULL);
	close(fd);
}

static void test_merged_frames(void **state)
{
	(void)state;
	int fd = dial();
	uint8_t f[128];
	size_t n = wire_hello(1, f);
	n += wire_status(2, f + n);
	send_all(fd, f, n);
	int seen = 0;
	for (int i = 0; i < 2; i++) {
		Yk__Response *r = recv_response(fd);
		assert_int_equal(r->status, YK__CODE__OK);
		seen |= 1 << r->id;
		yk__response__free_unpacked(r, NULL);
	}
	assert_int_equal(seen, (1 << 1) | (1 << 2));
	close(fd);
}

static size_t whoami_frame(uint64_t id, uint8_t *out)
{
	Yk__Request req = YK__REQUEST__INIT;
	Yk__WhoAmI w = YK__WHO_AM_I__INIT;
	req.has_id = 1;
	req.id = id;
	req.body_case = YK__REQUEST__BODY_WHOAMI;
	req.whoami = &w;
	return wire_frame(&req, out);
}

static void test_hello_first(void **state)
{
	(void)state;
	int fd = dial();
	uint8_t f[64];
	send_all(fd, f, whoami_frame(5, f));
	Yk__Response *r = recv_response(fd);
	assert_int_equal(r->id, 5);
	assert_int_equal(r->status, YK__CODE__FAILED_PRECONDITION);
	assert_int_equal(r->reason, YK__REASON__REASON_HELLO_REQUIRED);
	yk__response__free_unpacked(r, NULL);
	hello(fd); /* the connection is still usable */
	close(fd);
}

/* A load balancer's health check is one ServerStatus frame on a fresh
 * connection: no Hello, no session (docs/operations.md). */
static void test_health_check_without_hello(void **state)
{
	(void)state;
	int fd = dial();
	status_ok(fd, 6);
	close(fd);
}

/* A client that speaks another version of the protocol is told which this
 * server speaks, and may not go on as if it had been understood. */
static void test_hello_version(void **state)
{
	(void)state;
	int fd = dial();
	Yk__Request req = YK__REQUEST__INIT;
	Yk__Hello h = YK__HELLO__INIT;
	h.has_protocol_version = 1;
	h.protocol_version = 2;
	req.has_id = 1;
	req.id = 3;
	req.body_case = YK__REQUEST__BODY_HELLO;
	req.hello = &h;
	uint8_t f[64];
	send_all(fd, f, wire_frame(&req, f));
	Yk__Response *r = recv_response(fd);
	assert_int_equal(r->status, YK__CODE__FAILED_PRECONDITION);
	assert_int_equal(r->reason, YK__REASON__REASON_PROTOCOL_VERSION);
	assert_non_null(strstr(r->message, "protocol version 2"));
	assert_non_null(strstr(r->message, "speaks 1"));
	yk__response__free_unpacked(r, NULL);
	send_all(fd, f, whoami_frame(4, f));  /* still before a Hello that worked */
	r = recv_response(fd);
	assert_int_equal(r->status, YK__CODE__FAILED_PRECONDITION);
	yk__response__free_unpacked(r, NULL);
	hello(fd);
	close(fd);
}

static void test_zero_length(void **state)
{
	(void)state;
	int fd = dial();
	hello(fd);
	uint8_t zero[4] = { 0, 0, 0, 0 };
	send_all(fd, zero, 4);
	Yk__Response *r = recv_response(fd);
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	assert_int_equal(r->reason, YK__REASON__REASON_MALFORMED);
	yk__response__free_unpacked(r, NULL);
	uint8_t f[64];
	send_all(fd, f, wire_status(9, f));
	r = recv_response(fd);
	assert_int_equal(r->id, 9);
	assert_int_equal(r->status, YK__CODE__OK);
	yk__response__free_unpacked(r, NULL);
	close(fd);
}

static void oversized(uint32_t len)
{
	int fd = dial();
	hello(fd);
	uint8_t hdr[4];
	frame_put_header(hdr, len);
	send_all(fd, hdr, 4);
	Yk__Response *r = recv_response(fd);
	assert_int_equal(r->id, 0);
	assert_int_equal(r->status, YK__CODE__RESOURCE_EXHAUSTED);
	assert_int_equal(r->reason, YK__REASON__REASON_TOO_LARGE);
	assert_non_null(strstr(r->message, "exceeds the limit"));
	yk__response__free_unpacked(r, NULL);
	expect_eof(fd);
	close(fd);
	still_serving();
}

static void test_oversized_frame(void **state)
{
	(void)state;
	oversized(1024 * 1024 + 1); /* the default --max-frame plus one */
}

static void test_absurd_length(void **state)
{
	(void)state;
	oversized(0xFFFFFFFFu);
}

static void test_garbage(void **state)
{
	(void)state;
	int fd = dial();
	uint8_t junk[] = { 0, 0, 0, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	send_all(fd, junk, sizeof(junk));
	Yk__Response *r = recv_response(fd);
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	assert_int_equal(r->reason, YK__REASON__REASON_MALFORMED);
	yk__response__free_unpacked(r, NULL);
	expect_eof(fd);
	close(fd);
	still_serving();
}

static void test_disconnect_mid_frame(void **state)
{
	(void)state;
	int fd = dial();
	hello(fd);
	uint8_t part[14] = { 0, 0, 0, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	send_all(fd, part, sizeof(part));
	close(fd);
	fd = dial();
	send_all(fd, part, 2); /* half a header */
	close(fd);
	still_serving();
}

static void test_embedded_nul(void **state)
{
	(void)state;
	int fd = dial();
	hello(fd);
	/* Request{id=3, login=Login{login="ad\0min", password="x"}} by hand:
	 * protobuf-c would cut the string at the NUL. */
	uint8_t body[] = { 0x08, 0x03, 0x5a, 0x0b, 0x0a, 0x06, 'a', 'd', 0, 'm', 'i', 'n', 0x12, 0x01, 'x' };
	uint8_t f[64];
	frame_put_header(f, sizeof(body));
	memcpy(f + 4, body, sizeof(body));
	send_all(fd, f, 4 + sizeof(body));
	Yk__Response *r = recv_response(fd);
	assert_int_equal(r->id, 3);
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	assert_int_equal(r->reason, YK__REASON__REASON_MALFORMED);
	assert_non_null(strstr(r->message, "NUL"));
	yk__response__free_unpacked(r, NULL);
	close(fd);
}

static void test_pipelining(void **state)
{
	(void)state;
	int fd = dial();
	hello(fd);
	enum { N = 200 };
	uint8_t *f = malloc(N * 64);
	size_t n = 0;
	for (int i = 0; i < N; i++)
		n += wire_status(1000 + (uint64_t)i, f + n);
	send_all(fd, f, n);
	free(f);
	char seen[N] = { 0 };
	for (int i = 0; i < N; i++) {
		Yk__Response *r = recv_response(fd);
		assert_int_equal(r->status, YK__CODE__OK);
		assert_true(r->id >= 1000 && r->id < 1000 + N);
		assert_int_equal(seen[r->id - 1000], 0);
		seen[r->id - 1000] = 1;
		yk__response__free_unpacked(r, NULL);
	}
	close(fd);
}

/* Log in as admin (YK_ADMIN_PW) on fd; returns the token (static). */
static const char *login(int fd)
{
	static char token[80];
	Yk__Request req = YK__REQUEST__INIT;
	Yk__Login l = YK__LOGIN__INIT;
	l.login = "admin";
	l.password = getenv("YK_ADMIN_PW");
	req.has_id = 1;
	req.id = 50;
	req.body_case = YK__REQUEST__BODY_LOGIN;
	req.login = &l;
	uint8_t f[256];
	send_all(fd, f, wire_frame(&req, f));
	Yk__Response *r = recv_response(fd);
	assert_int_equal(r->status, YK__CODE__OK);
	snprintf(token, sizeof(token), "%s", r->login->token);
	yk__response__free_unpacked(r, NULL);
	return token;
}

static Yk__Response *apply_keyed(int fd, const char *token, Yk__Pledge *p, const char *key)
{
	Yk__Request req = YK__REQUEST__INIT;
	Yk__PledgeApply a = YK__PLEDGE_APPLY__INIT;
	Yk__Decimal pct = YK__DECIMAL__INIT;
	pct.value = "10";
	p->schema = "yaksok/pledge/v1";
	p->code = "WIRE-1";
	p->department = "정책기획과";
	p->status = "in_progress";
	p->progress_pct = &pct;
	a.pledge = p;
	req.has_id = 1;
	req.id = 51;
	req.token = (char *)token;
	req.idempotency_key = (char *)key;
	req.body_case = YK__REQUEST__BODY_PLEDGE_APPLY;
	req.pledge_apply = &a;
	size_t n = yk__request__get_packed_size(&req);
	uint8_t *f = malloc(n + 4);
	wire_frame(&req, f);
	send_all(fd, f, n + 4);
	free(f);
	return recv_response(fd);
}

static Yk__Response *apply(int fd, const char *token, Yk__Pledge *p)
{
	static int n;
	char key[32];
	snprintf(key, sizeof(key), "wire-test-%d-%d", (int)getpid(), ++n);
	return apply_keyed(fd, token, p, key);
}

/* A write without an idempotency key is refused before anything runs. */
static void test_write_needs_key(void **state)
{
	(void)state;
	int fd = dial();
	hello(fd);
	const char *token = login(fd);
	Yk__Pledge p = YK__PLEDGE__INIT;
	p.title = "제목";
	Yk__Response *r = apply_keyed(fd, token, &p, NULL);
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	assert_int_equal(r->reason, YK__REASON__REASON_INVALID);
	assert_non_null(strstr(r->message, "idempotency_key"));
	yk__response__free_unpacked(r, NULL);
	r = apply_keyed(fd, token, &p, "short");
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	yk__response__free_unpacked(r, NULL);
	close(fd);
}

/* Text the client did not check: the daemon refuses it with its path. */
static void test_invalid_utf8_in_document(void **state)
{
	(void)state;
	int fd = dial();
	hello(fd);
	const char *token = login(fd);
	Yk__Pledge p = YK__PLEDGE__INIT;
	p.title = "\xed\xa0\x80 surrogate";
	Yk__Response *r = apply(fd, token, &p);
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	assert_int_equal(r->reason, YK__REASON__REASON_INVALID);
	assert_int_equal(r->n_violations, 1);
	assert_string_equal(r->violations[0]->path, "title");
	assert_non_null(strstr(r->violations[0]->problem, "invalid UTF-8"));
	yk__response__free_unpacked(r, NULL);
	close(fd);
}

/* Fields a newer client sends that this server would drop are refused. */
static void test_unknown_field_in_document(void **state)
{
	(void)state;
	int fd = dial();
	hello(fd);
	const char *token = login(fd);
	Yk__Pledge p = YK__PLEDGE__INIT;
	Yk__Overview ov = YK__OVERVIEW__INIT;
	ProtobufCMessageUnknownField uf = { .tag = 99, .wire_type = PROTOBUF_C_WIRE_TYPE_VARINT, .len = 1 };
	uint8_t one = 1;
	uf.data = &one;
	ov.base.n_unknown_fields = 1;
	ov.base.unknown_fields = &uf;
	p.title = "새 기능";
	p.overview = &ov;
	Yk__Response *r = apply(fd, token, &p);
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	assert_non_null(strstr(r->message, "does not know"));
	yk__response__free_unpacked(r, NULL);
	close(fd);
}

/* A protobuf map may carry a key twice (two SourceBudget entries "city"); the
 * document would hold it twice and the tables refuse it as a broken key.
 * Refused as the writer's mistake, with its path, and nothing stored. */
static void test_map_key_twice(void **state)
{
	(void)state;
	int fd = dial();
	hello(fd);
	const char *token = login(fd);
	Yk__Pledge p = YK__PLEDGE__INIT;
	Yk__Budget b = YK__BUDGET__INIT;
	Yk__SourceBudget s1 = YK__SOURCE_BUDGET__INIT, s2 = YK__SOURCE_BUDGET__INIT;
	Yk__Decimal d1 = YK__DECIMAL__INIT, d2 = YK__DECIMAL__INIT;
	d1.value = "10";
	d2.value = "20";
	s1.key = "city";
	s1.prior = &d1;
	s2.key = "city";
	s2.prior = &d2;
	Yk__SourceBudget *srcs[] = { &s1, &s2 };
	b.n_sources = 2;
	b.sources = srcs;
	p.title = "두 번 쓴 재원";
	p.budget = &b;
	Yk__Response *r = apply(fd, token, &p);
	assert_int_equal(r->status, YK__CODE__INVALID_ARGUMENT);
	assert_int_equal(r->reason, YK__REASON__REASON_INVALID);
	assert_true(r->n_violations >= 1);
	assert_string_equal(r->violations[0]->path, "budget.sources.city");
	assert_non_null(strstr(r->violations[0]->problem, "twice"));
	yk__response__free_unpacked(r, NULL);
	close(fd);
}

/* A frame trickled a byte at a time is cut off at the frame deadline
 * (the daemon runs with --frame-timeout 2), though every byte resets the
 * idle timer. */
static void test_trickle_is_cut_off(void **state)
{
	(void)state;
	int fd = dial();
	hello(fd);
	uint8_t hdr[4];
	frame_put_header(hdr, 100);
	send_all(fd, hdr, 4);
	bool closed = false;
	for (int i = 0; i < 12 && !closed; i++) {
		usleep(500 * 1000);
		uint8_t b = 'x';
		if (send(fd, &b, 1, MSG_NOSIGNAL) != 1)
			closed = true;
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (poll(&pf, 1, 0) == 1) {
			uint8_t junk;
			if (recv(fd, &junk, 1, 0) <= 0)
				closed = true;
		}
	}
	assert_true(closed);
	close(fd);
	still_serving();
}

/* The next n answers on fd are OK, for ids first, first + 1, ... in order. */
static void expect_ok_in_order(int fd, uint64_t first, int n)
{
	for (int i = 0; i < n; i++) {
		Yk__Response *r = recv_response(fd);
		assert_int_equal(r->id, first + (uint64_t)i);
		assert_int_equal(r->status, YK__CODE__OK);
		yk__response__free_unpacked(r, NULL);
	}
}

/* A client that keeps its pipeline full for longer than --frame-timeout
 * (2 s here) is not cut off: each frame has the deadline, counted from its
 * own first byte, not the stream.  The bytes go so that every read the
 * daemon makes ends inside a frame (half a frame, then a frame's worth at a
 * time).  Before the fix the deadline ran from the first partial frame for
 * as long as there was always one behind the last whole frame, and a busy
 * pipelining client was closed after 2 s ("a frame did not arrive whole in
 * time"). */
static void test_long_pipeline_is_not_cut_off(void **state)
{
	(void)state;
	enum { FRAMES = 80 };
	int fd = dial();
	hello(fd);
	uint8_t one[64];
	size_t n = wire_hello(2, one);
	static uint8_t stream[FRAMES * 64];
	size_t len = 0;
	for (int i = 0; i < FRAMES; i++) {
		assert_int_equal(wire_hello((uint64_t)(2 + i), stream + len), n);  /* ids < 128: one size */
		len += n;
	}
	size_t sent = n / 2;
	send_all(fd, stream, sent);
	while (sent + n < len) {
		usleep(50 * 1000);  /* 80 x 50 ms: twice the deadline */
		send_all(fd, stream + sent, n);
		sent += n;
	}
	send_all(fd, stream + sent, len - sent);
	expect_ok_in_order(fd, 2, FRAMES);
	close(fd);
}

/* Answered without the database, 200 pipelined Hellos sent at once are
 * answered in one turn of the daemon's loop or a few (as many as its reads
 * of them): test_wire.sh checks that they went out in about as many writes,
 * not one each. */
static void test_pipelined_hellos_answered_together(void **state)
{
	(void)state;
	enum { N = 200 };
	int fd = dial();
	static uint8_t stream[N * 64];
	size_t len = 0;
	for (int i = 0; i < N; i++)
		len += wire_hello((uint64_t)(1 + i), stream + len);
	send_all(fd, stream, len);
	expect_ok_in_order(fd, 1, N);
	close(fd);
}

int main(void)
{
	const char *s = getenv("YK_SERVER");
	if (!s || !strchr(s, ':'))
		return 2;
	server.sin_family = AF_INET;
	server.sin_port = htons((uint16_t)atoi(strchr(s, ':') + 1));
	inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_frame),	    cmocka_unit_test(test_merged_frames),
		cmocka_unit_test(test_hello_first),
		cmocka_unit_test(test_health_check_without_hello),
		cmocka_unit_test(test_hello_version),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_oversized_frame),	    cmocka_unit_test(test_absurd_length),
		cmocka_unit_test(test_garbage),		    cmocka_unit_test(test_disconnect_mid_frame),
		cmocka_unit_test(test_embedded_nul),	    cmocka_unit_test(test_pipelining),
		cmocka_unit_test(test_invalid_utf8_in_document), cmocka_unit_test(test_unknown_field_in_document),
		cmocka_unit_test(test_map_key_twice),
		cmocka_unit_test(test_write_needs_key),	    cmocka_unit_test(test_trickle_is_cut_off),
		cmocka_unit_test(test_long_pipeline_is_not_cut_off),
		cmocka_unit_test(test_pipelined_hellos_answered_together),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
