#include "frame.h"

int frame_peek(const uint8_t *p, size_t avail, uint32_t max, uint32_t *len)
{
	if (avail < FRAME_HEADER)
		return 0;
	uint32_t n = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
	*len = n;
	if (n > max)
		return YK_ETOOBIG;
	return avail - FRAME_HEADER >= n ? 1 : 0;
}

void frame_put_header(uint8_t *p, uint32_t len)
{
	p[0] = (uint8_t)(len >> 24);
	p[1] = (uint8_t)(len >> 16);
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
}

int frame_append(buf_t *out, const ProtobufCMessage *msg)
{
	size_t n = protobuf_c_message_get_packed_size(msg);
	if (n > UINT32_MAX)
		return YK_ETOOBIG;
	int rc = buf_reserve(out, FRAME_HEADER + n);
	if (rc)
		return rc;
	uint8_t *p = (uint8_t *)out->data + out->len;
	frame_put_header(p, (uint32_t)n);
	protobuf_c_message_pack(msg, p + FRAME_HEADER);
	out->len += FRAME_HEADER + n;
	out->data[out->len] = '\0';
	return YK_OK;
}
