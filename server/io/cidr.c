#include "cidr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

int cidr_parse(const char *s, cidr_t *out)
{
	char host[64];
	const char *slash = strchr(s, '/');
	size_t hl = slash ? (size_t)(slash - s) : strlen(s);
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(out, 0, sizeof(*out));
	int max;
	if (inet_pton(AF_INET, host, out->addr) == 1) {
		out->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, out->addr) == 1) {
		out->family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	out->bits = max;
	if (slash) {
		char *end;
		long bits = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || bits < 0 || bits > max)
			return -1;
		out->bits = (int)bits;
	}
	return 0;
}

int cidr_parse_list(const char *s, cidr_t *out, int max, const char **bad)
{
	int n = 0;
	while (s && *s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		char one[80];
		if (len >= sizeof(one) || n >= max) {
			*bad = s;
			return -1;
		}
		memcpy(one, s, len);
		one[len] = '\0';
		if (cidr_parse(one, &out[n])) {
			*bad = s;
			return -1;
		}
		n++;
		s = comma ? comma + 1 : NULL;
	}
	return n;
}

static bool prefix_equal(const uint8_t *a, const uint8_t *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)whole))
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xFF << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

bool cidr_match_any(const cidr_t *ranges, int n, const struct sockaddr *sa)
{
	uint8_t v4[4], v6[16];
	bool has4 = false, has6 = false;
	if (sa->sa_family == AF_INET) {
		memcpy(v4, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		has4 = true;
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		memcpy(v6, a, 16);
		has6 = true;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			memcpy(v4, v6 + 12, 4);
			has4 = true;
		}
	}
	for (int i = 0; i < n; i++) {
		if (ranges[i].family == AF_INET && has4 && prefix_equal(ranges[i].addr, v4, ranges[i].bits))
			return true;
		if (ranges[i].family == AF_INET6 && has6 && prefix_equal(ranges[i].addr, v6, ranges[i].bits))
			return true;
	}
	return false;
}
