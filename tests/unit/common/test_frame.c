#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"
#include "yaksok.pb-c.h"

static void test_needs_header(void **state)
{
	(void)state;
	uint8_t p[3] = { 0, 0, 0 };
	uint32_t len = 99;
	for (size_t n = 0; n < 4; n++)
		assert_int_equal(frame_peek(p, n < 3 ? n : 3, 100, &len), 0);
}

static void test_partial_and_complete(void **state)
{
	(void)state;
	uint8_t p[4 + 5] = { 0, 0, 0, 5, 'a', 'b', 'c', 'd', 'e' };
	uint32_t len = 0;
	assert_int_equal(frame_peek(p, 6, 100, &len), 0);
	assert_int_equal(len, 5);
	assert_int_equal(frame_peek(p, 9, 100, &len), 1);
	assert_int_equal(len, 5);
}

static void test_zero_length(void **state)
{
	(void)state;
	uint8_t p[4] = { 0 };
	uint32_t len = 7;
	assert_int_equal(frame_peek(p, 4, 100, &len), 1);
	assert_int_equal(len, 0);
}

static void test_too_big(void **state)
{
	(void)state;
	uint8_t p[4] = { 0xff, 0xff, 0xff, 0xff };
	uint32_t len = 0;
	assert_int_equal(frame_peek(p, 4, 1024 * 1024, &len), YK_ETOOBIG);
	assert_int_equal(len, 0xffffffffu);
	uint8_t q[4];
	frame_put_header(q, 101);
	assert_int_equal(frame_peek(q, 4, 100, &len), YK_ETOOBIG);
	assert_int_equal(frame_peek(q, 4, 101, &len), 0);
}

static void test_header_is_big_endian(void **state)
{
	(void)state;
	uint8_t p[4];
	frame_put_header(p, 0x01020304);
	assert_memory_equal(p, "\x01\x02\x03\x04", 4);
}

static void test_append_round_trip(void **state)
{
	(void)state;
	Yk__Request req = YK__REQUEST__INIT;
	Yk__Hello h = YK__HELLO__INIT;
	h.has_protocol_version = 1;
	h.protocol_version = 1;
	h.client_name = "테스트";
	req.has_id = 1;
	req.id = 77;
	req.body_case = YK__REQUEST__BODY_HELLO;
	req.hello = &h;
	buf_t b = BUF_INIT;
	assert_int_equal(frame_append(&b, &req.base), 0);
	assert_int_equal(frame_append(&b, &req.base), 0);
	uint32_t len;
	assert_int_equal(frame_peek((uint8_t *)b.data, b.len, 1000, &len), 1);
	assert_int_equal(b.len, 2 * (4 + len));
	Yk__Request *back = yk__request__unpack(NULL, len, (uint8_t *)b.data + 4);
	assert_non_null(back);
	assert_int_equal(back->id, 77);
	assert_string_equal(back->hello->client_name, "테스트");
	yk__request__free_unpacked(back, NULL);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needs_header), cmocka_unit_test(test_partial_and_complete),
		cmocka_unit_test(test_zero_length),  cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_header_is_big_endian), cmocka_unit_test(test_append_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
