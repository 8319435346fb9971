/* What the CLI prints never reaches a terminal as a command.  A pledge's
 * title, a department's name, a server's message are other people's text:
 * an escape sequence in them would recolour, retitle or rewrite the screen
 * of whoever lists or shows it.  safeout_install() puts a filter in front of
 * stdout and stderr that prints every control character (text_is_control:
 * C0 but tab and line feed, DEL, C1, bidirectional overrides) and every
 * invalid byte as U+FFFD; a carriage return passes only as part of CRLF (the
 * CSV's line ends).  JSON and YAML output escape such characters themselves,
 * so data printed as data is unchanged. */
#ifndef YK_SAFEOUT_H
#define YK_SAFEOUT_H

#include <stddef.h>

/* 0, or -1 (the streams are left as they were). */
int safeout_install(void);
/* A file that is not text (an XLSX, a PDF) written to standard output as it
 * is, past the filter: what was printed before it goes out first.  0, or -1
 * with errno set. */
int safeout_write_raw(const void *data, size_t len);

#endif
