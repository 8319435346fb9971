/* Every line accounted for.  The section readers mark the lines they read;
 * a reader can still read a line and keep only part of it (a bullet style
 * it does not know, a second date).  So, once the document is built, every
 * word of every line read must be found again in what the document prints
 * as -- the card rendered by report.c, whose headings, labels and column
 * words are the printed card's -- or in the document's own text, or among
 * the labels a reader turned into codes (시군구비 is city: imp_known).  A word
 * that is in neither was lost: the line is reported with it, and the import
 * fails as for a line not understood.  Words are runs of Hangul syllables or
 * Latin letters, two or more long (figures and dates are checked where they
 * are read, and their spelling changes on the way: '19. 1. 10. is
 * 2019-01-10); spacing is ignored, since the card and the rendering space
 * words differently. */
#include <string.h>

#include "doc_io.h"
#include "import.h"
#include "render.h"
#include "report.h"

/* The length of the UTF-8 sequence at s when it is a Hangul syllable
 * (U+AC00..U+D7A3) or an ASCII letter, else 0. */
static size_t word_char(const unsigned char *s)
{
	if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
		return 1;
	if (s[0] >= 0xEA && s[0] <= 0xED && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		unsigned cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return cp >= 0xAC00 && cp <= 0xD7A3 ? 3 : 0;
	}
	return 0;
}

/* `b` without whitespace, NUL-terminated, in the arena. */
static char *squeeze(arena_t *a, const buf_t *b)
{
	char *out = arena_alloc(a, b->len + 1);
	size_t n = 0;
	for (size_t i = 0; out && i < b->len; i++)
		if (b->data[i] != ' ' && b->data[i] != '\t' && b->data[i] != '\n' && b->data[i] != '\r')
			out[n++] = b->data[i];
	if (out)
		out[n] = '\0';
	return out;
}

void imp_known(imp_t *im, const char *label)
{
	if (im->nknown == im->capknown) {
		size_t cap = im->capknown ? im->capknown * 2 : 16;
		const char **grown = arena_grow(im->a, im->known, im->capknown * sizeof(*grown), cap * sizeof(*grown));
		if (!grown)
			return; /* the word is then reported: never the other way round */
		im->known = grown;
		im->capknown = cap;
	}
	im->known[im->nknown++] = label;
}

size_t imp_account(imp_t *im, const doc_node_t *doc)
{
	report_t r;
	buf_t seen = BUF_INIT;
	int rc = report_pledge(&r, im->a, doc) || render_markdown(&r, &seen) || doc_write_json(&seen, doc, 0);
	for (size_t i = 0; i < im->nknown && !rc; i++)
		rc = buf_printf(&seen, "\n%s", im->known[i]);
	char *hay = rc ? NULL : squeeze(im->a, &seen);
	buf_free(&seen);
	if (!hay) {
		imp_warn(im, 0, "%s", "cannot check that every line was kept (out of memory)");
		return 1;
	}
	size_t lost = 0;
	for (size_t i = 0; i < im->n; i++) {
		if (!im->used[i])
			continue;
		const unsigned char *s = (const unsigned char *)im->lines[i];
		while (*s) {
			/* markup (<ul style=...>) is the card's layout, not its text */
			if (*s == '<' && strchr((const char *)s, '>')) {
				s = (const unsigned char *)strchr((const char *)s, '>') + 1;
				continue;
			}
			size_t len = 0, chars = 0, step;
			while ((step = word_char(s + len)) > 0) {
				len += step;
				chars++;
			}
			if (!len) {
				s++;
				continue;
			}
			char *word = chars >= 2 ? arena_strndup(im->a, (const char *)s, len) : NULL;
			if (word && !strstr(hay, word)) {
				imp_warn(im, i, "\"%s\" was read but is not in the document", word);
				lost++;
				break; /* one report a line */
			}
			s += len;
		}
	}
	return lost;
}
