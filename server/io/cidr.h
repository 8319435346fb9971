/* Address ranges (CIDR, "10.0.0.0/8", "2001:db8::/32", or one address):
 * the city's own NAT and proxy addresses, which --trusted-addrs names. */
#ifndef YK_CIDR_H
#define YK_CIDR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct {
	int family;          /* AF_INET or AF_INET6 */
	uint8_t addr[16];    /* network order; 4 bytes for AF_INET */
	int bits;            /* prefix length */
} cidr_t;

/* One range; 0, or -1 when s is none. */
int cidr_parse(const char *s, cidr_t *out);
/* A comma-separated list into out (capacity max); the count, or -1 naming
 * the first bad entry in *bad (a pointer into s, up to its comma). */
int cidr_parse_list(const char *s, cidr_t *out, int max, const char **bad);
/* Whether the address (AF_INET or AF_INET6; an IPv4-mapped IPv6 address
 * matches IPv4 ranges) lies in any of the n ranges. */
bool cidr_match_any(const cidr_t *ranges, int n, const struct sockaddr *sa);

#endif
