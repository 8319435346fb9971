#include "safeout.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "text.h"

typedef struct {
	int fd;
	unsigned char carry[4];  /* the start of a character the last write cut */
	size_t ncarry;
} sink_t;

static const char replacement[] = "\xEF\xBF\xBD";

static int put(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Bytes of the UTF-8 character that starts with b; 0 for a byte that cannot
 * start one. */
static size_t seq_len(unsigned char b)
{
	return b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
}

/* The code point of a whole sequence, or -1 when it is not valid UTF-8. */
static int32_t decode(const unsigned char *s, size_t n)
{
	utf8proc_int32_t cp;
	return utf8proc_iterate(s, (utf8proc_ssize_t)n, &cp) == (utf8proc_ssize_t)n ? cp : -1;
}

/* A byte that passes as it is, with nothing to decide: printable ASCII,
 * a tab, a line end. */
static bool plain(unsigned char b)
{
	return b < 0x80 && (b >= 0x20 ? b != 0x7f : b == '\t' || b == '\n');
}

/* Add n bytes to the output block `out` holding *o, writing it out to fd
 * whenever it is full. */
static int out_add(int fd, unsigned char *out, size_t cap, size_t *o, const void *p, size_t n)
{
	const unsigned char *s = p;
	while (n) {
		if (*o == cap) {
			if (put(fd, out, *o))
				return -1;
			*o = 0;
		}
		size_t take = n < cap - *o ? n : cap - *o;
		memcpy(out + *o, s, take);
		*o += take;
		s += take;
		n -= take;
	}
	return 0;
}

/* Filter `n` bytes of `in` (after the carried ones) to the sink's fd. */
static ssize_t sink_write(void *cookie, const char *buf, size_t size)
{
	sink_t *k = cookie;
	unsigned char out[4096];
	size_t o = 0;
	const unsigned char *in = (const unsigned char *)buf;
	size_t i = 0;
	while (i < size || k->ncarry) {
		/* a run of printable ASCII (and tabs and line ends) passes as it
		 * is: most of what the CLI prints, and a list or an export is
		 * megabytes of it */
		if (!k->ncarry && plain(in[i])) {
			size_t j = i;
			while (j < size && plain(in[j]))
				j++;
			if (out_add(k->fd, out, sizeof(out), &o, in + i, j - i))
				return -1;
			i = j;
			continue;
		}
		unsigned char ch[4];
		size_t have = 0;
		/* the next character: carried bytes first */
		unsigned char first = k->ncarry ? k->carry[0] : in[i];
		size_t need = seq_len(first);
		if (!need)
			need = 1;
		while (have < need && k->ncarry && have < k->ncarry)
			ch[have] = k->carry[have], have++;
		size_t from_carry = have;
		while (have < need && i + (have - from_carry) < size)
			ch[have] = in[i + (have - from_carry)], have++;
		if (have < need) {  /* cut by the end of this write: keep it for the next */
			memcpy(k->carry, ch, have);
			k->ncarry = have;
			i = size;
			break;
		}
		i += have - from_carry;
		if (from_carry) {
			memmove(k->carry, k->carry + from_carry, k->ncarry - from_carry);
			k->ncarry -= from_carry;
		}
		int32_t cp = seq_len(ch[0]) ? decode(ch, need) : -1;
		bool crlf = cp == '\r' && ((i < size && in[i] == '\n') || (k->ncarry && k->carry[0] == '\n'));
		if (cp == '\r' && !crlf && i == size && !k->ncarry) {
			/* a CR at the end of this write: decide with the next byte */
			k->carry[0] = '\r';
			k->ncarry = 1;
			break;
		}
		const void *emit = ch;
		size_t len = need;
		if (cp < 0 || (!crlf && text_is_control(cp, false))) {
			emit = replacement;
			len = 3;
		}
		if (out_add(k->fd, out, sizeof(out), &o, emit, len))
			return -1;
	}
	if (o && put(k->fd, out, o))
		return -1;
	return (ssize_t)size;
}

/* What is still carried at the end is an incomplete character (or a lone
 * CR): shown as one replacement. */
static int sink_close(void *cookie)
{
	sink_t *k = cookie;
	int rc = k->ncarry ? put(k->fd, replacement, 3) : 0;
	k->ncarry = 0;
	return rc;
}

/* One for stdout, one for stderr, for the life of the process. */
static sink_t sinks[2];

static FILE *filtered(int fd, int mode)
{
	sink_t *k = &sinks[fd == STDERR_FILENO];
	k->fd = fd;
	k->ncarry = 0;
	cookie_io_functions_t io = { .write = sink_write, .close = sink_close };
	FILE *f = fopencookie(k, "w", io);
	if (f)
		setvbuf(f, NULL, mode, BUFSIZ);
	return f;
}

int safeout_install(void)
{
	fflush(stdout);
	fflush(stderr);
	/* as the C library buffers them: stdout by lines on a terminal, stderr
	 * not at all (a prompt without a line end shows at once) */
	FILE *out = filtered(STDOUT_FILENO, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
	FILE *err = filtered(STDERR_FILENO, _IONBF);
	if (!out || !err) {
		if (out)
			fclose(out);
		if (err)
			fclose(err);
		return -1;
	}
	stdout = out;
	stderr = err;
	return 0;
}

int safeout_write_raw(const void *data, size_t len)
{
	return fflush(stdout) ? -1 : put(STDOUT_FILENO, data, len);
}
