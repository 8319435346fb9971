/* Exact numbers in a workbook libxlsxwriter wrote.  Debian's libxlsxwriter
 * (1.1.4) prints every number with "%.16G", so a cell of 95.32 holds
 * 95.31999999999999 -- the same double, but not the figure the card has,
 * and it is what a reader of the XML or a careless importer sees.  Each
 * worksheet's <v> values are rewritten, streaming, with the shortest text
 * that reads back as the same double (95.32); every other entry is copied
 * as it is, with its own date, so the same workbook gives the same bytes.
 * libzip rewrites the archive beside the file and renames it into place. */
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define CHUNK 65536
#define MAX_V 40 /* a number's <v>…</v> is shorter than this */

typedef struct {
	zip_file_t *in;
	zip_stat_t st;     /* the entry's own, for its date */
	char buf[CHUNK + MAX_V];
	size_t have;       /* bytes in buf not yet looked at */
	bool eof;
	char *out;         /* what is ready to go */
	size_t out_len, out_at, out_cap;
	zip_error_t error;
} exact_t;

static bool put(exact_t *x, const char *s, size_t n)
{
	if (x->out_len + n > x->out_cap) {
		size_t cap = x->out_cap ? x->out_cap * 2 : CHUNK * 2;
		while (cap < x->out_len + n)
			cap *= 2;
		char *p = realloc(x->out, cap);
		if (!p)
			return false;
		x->out = p;
		x->out_cap = cap;
	}
	memcpy(x->out + x->out_len, s, n);
	x->out_len += n;
	return true;
}

/* The shortest text of the number `s` (n bytes) that reads back as the same
 * double; `s` itself when it is not a plain number or is no longer. */
static bool put_number(exact_t *x, const char *s, size_t n)
{
	char in[MAX_V], outb[32];
	if (n >= sizeof(in) || strspn(s, "0123456789.eE+-") < n)
		return put(x, s, n);
	memcpy(in, s, n);
	in[n] = '\0';
	char *end;
	double d = strtod(in, &end);
	if (*end)
		return put(x, s, n);
	for (int prec = 1; prec <= 17; prec++) {
		int len = snprintf(outb, sizeof(outb), "%.*G", prec, d);
		if (len > 0 && (size_t)len < sizeof(outb) && strtod(outb, NULL) == d)
			return (size_t)len < n ? put(x, outb, (size_t)len) : put(x, s, n);
	}
	return put(x, s, n);
}

/* Look at what buf holds: everything up to a <v> whose end may not have
 * arrived yet goes out, the rest waits for the next chunk. */
static bool transform(exact_t *x)
{
	size_t at = 0;
	while (at < x->have) {
		char *v = memmem(x->buf + at, x->have - at, "<v>", 3);
		if (!v) {
			/* keep a tail that may begin "<v>" */
			size_t keep = x->eof ? 0 : 2;
			size_t upto = x->have - at > keep ? x->have - keep : at;
			if (!put(x, x->buf + at, upto - at))
				return false;
			at = upto;
			break;
		}
		size_t vpos = (size_t)(v - x->buf);
		char *close = memmem(v + 3, x->have - vpos - 3, "</v>", 4);
		if (!close && !x->eof && x->have - vpos - 3 < MAX_V) {
			/* its end is in the next chunk: up to it now, the rest then */
			if (!put(x, x->buf + at, vpos - at))
				return false;
			at = vpos;
			break;
		}
		if (!put(x, x->buf + at, vpos + 3 - at))
			return false;
		if (!close) { /* too long for a number: as it is */
			at = vpos + 3;
			continue;
		}
		if (!put_number(x, v + 3, (size_t)(close - v - 3)) || !put(x, "</v>", 4))
			return false;
		at = (size_t)(close - x->buf) + 4;
	}
	memmove(x->buf, x->buf + at, x->have - at);
	x->have -= at;
	return true;
}

static zip_int64_t source_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	exact_t *x = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		return 0;
	case ZIP_SOURCE_READ:
		while (x->out_len - x->out_at < len && !(x->eof && !x->have)) {
			if (x->out_at) { /* what went out makes room */
				memmove(x->out, x->out + x->out_at, x->out_len - x->out_at);
				x->out_len -= x->out_at;
				x->out_at = 0;
			}
			if (!x->eof) {
				zip_int64_t got = zip_fread(x->in, x->buf + x->have, CHUNK);
				if (got < 0) {
					zip_error_set(&x->error, ZIP_ER_READ, 0);
					return -1;
				}
				x->have += (size_t)got;
				x->eof = got == 0;
			}
			if (!transform(x)) {
				zip_error_set(&x->error, ZIP_ER_MEMORY, 0);
				return -1;
			}
		}
		{
			size_t n = x->out_len - x->out_at < len ? x->out_len - x->out_at : (size_t)len;
			memcpy(data, x->out + x->out_at, n);
			x->out_at += n;
			return (zip_int64_t)n;
		}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		zip_stat_init(st);
		st->mtime = x->st.mtime;
		st->valid = ZIP_STAT_MTIME;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&x->error, data, len);
	case ZIP_SOURCE_FREE:
		if (x->in)
			zip_fclose(x->in);
		zip_error_fini(&x->error);
		free(x->out);
		free(x);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&x->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

int xlsx_exact(const char *path)
{
	int e = 0;
	zip_t *in = zip_open(path, ZIP_RDONLY, &e), *out = in ? zip_open(path, 0, &e) : NULL;
	if (!in || !out) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, e);
		fprintf(stderr, "yaksok: cannot reopen %s to make its numbers exact: %s\n", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		if (in)
			zip_discard(in);
		return -1;
	}
	zip_int64_t n = zip_get_num_entries(in, 0);
	int rc = 0;
	for (zip_int64_t i = 0; i < n && !rc; i++) {
		const char *name = zip_get_name(in, (zip_uint64_t)i, 0);
		if (!name || strncmp(name, "xl/worksheets/sheet", 19) || strcmp(name + strlen(name) - 4, ".xml"))
			continue;
		exact_t *x = calloc(1, sizeof(*x));
		if (!x) {
			rc = -1;
			break;
		}
		zip_error_init(&x->error);
		zip_stat_index(in, (zip_uint64_t)i, 0, &x->st);
		x->in = zip_fopen_index(in, (zip_uint64_t)i, 0);
		zip_source_t *src = x->in ? zip_source_function(out, source_cb, x) : NULL;
		if (!src) {
			if (x->in)
				zip_fclose(x->in);
			free(x);
			rc = -1;
			break;
		}
		time_t mtime = x->st.mtime;
		if (zip_file_replace(out, (zip_uint64_t)i, src, 0) < 0) {
			zip_source_free(src); /* still ours: the archive did not take it */
			rc = -1;
		} else if (zip_set_file_compression(out, (zip_uint64_t)i, ZIP_CM_DEFLATE, 0) < 0 ||
			   zip_file_set_mtime(out, (zip_uint64_t)i, mtime, 0) < 0) {
			rc = -1;
		}
	}
	if (rc) {
		fprintf(stderr, "yaksok: cannot rewrite the numbers of %s: %s\n", path, zip_strerror(out));
		zip_discard(out);
	} else if (zip_close(out) < 0) {
		fprintf(stderr, "yaksok: cannot write %s: %s\n", path, zip_strerror(out));
		zip_discard(out);
		rc = -1;
	}
	zip_discard(in);
	return rc;
}
