/* Text at the boundary: UTF-8 validity, NUL, NFC normalisation (utf8proc) and
 * terminal display width.  Every string that enters the system goes through
 * text_clean(); tables are laid out with text_width(). */
#ifndef YK_TEXT_H
#define YK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* NULL when `s` (len bytes) is valid UTF-8 without NUL; otherwise a short
 * reason ("invalid UTF-8 at byte 3", "contains a NUL byte"). */
const char *text_problem(const char *s, size_t len);

/* Characters a terminal obeys instead of showing, or that make text read
 * other than it is: C0 controls, DEL, C1 controls (ESC and CSI start the
 * sequences that move the cursor, recolour or retitle a terminal), and the
 * bidirectional overrides and isolates.  In a line of text (`line`: a title,
 * a name, a code) tab, line feed and the invisible zero-width characters too,
 * so that two names that look alike are alike.  True for such a code point. */
bool text_is_control(int32_t cp, bool line);
/* NULL when `s` (valid UTF-8) holds none of them; else the problem, naming
 * the character ("contains the control character U+001B"). */
const char *text_control_problem(const char *s, size_t len, bool line);

/* True when s holds nothing but white space (Unicode's: spaces, ideographic
 * space U+3000, no-break space, …). */
bool text_is_blank(const char *s);

/* `s` as text anyone may be shown: itself when it is valid UTF-8 without
 * control characters (line breaks and tabs allowed), else a copy in `a` with
 * each invalid byte and control character as U+FFFD.  For what a client
 * sent that goes back into an answer or into the audit trail.  NULL only for
 * NULL or when memory ran out. */
const char *text_printable(arena_t *a, const char *s);

/* The NFC form of a valid UTF-8 string, allocated from `a`; NULL when
 * the text is invalid (see text_problem) or memory ran out. */
char *text_nfc(arena_t *a, const char *s, size_t len);

/* Code points in s (valid UTF-8). */
size_t text_chars(const char *s);

/* True when s is already in NFC. */
bool text_is_nfc(const char *s);

/* Columns a terminal uses for s: Hangul syllables and other wide characters
 * count 2, combining marks and conjoining jamo vowels/finals 0. */
size_t text_width(const char *s);
/* The bytes of the longest prefix of s (whole characters) whose display
 * width is at most `width`. */
size_t text_prefix_fitting(const char *s, size_t width);
/* Width of the first `len` bytes. */
size_t text_width_n(const char *s, size_t len);

/* A text field of a request: NULL when it is there, at most `max` bytes,
 * valid text (text_problem) and free of control characters (line breaks and
 * tabs allowed: a comment, a reason); otherwise the problem ("is required",
 * "is too long", …), for a violation at the field's path. */
const char *text_check_field(const char *s, size_t max);
/* The same for a name, a code or a login: one line, nothing invisible. */
const char *text_check_name(const char *s, size_t max);

#endif
