/* CSV cells as RFC 4180 writes them, safe to open in a spreadsheet. */
#ifndef YK_CSV_H
#define YK_CSV_H

#include "buf.h"

/* Append `s` as one cell (quoted when it holds a comma, a quote or a line
 * break).  A text that begins with = + - @, a tab or a carriage return is
 * what Excel and LibreOffice would run as a formula (a department's title
 * "=HYPERLINK(...)" in an official's export): it gets a leading apostrophe,
 * as OWASP advises, so it shows as the text it is.  Numbers ("-12.5") stay
 * numbers.  0 or -1 (out of memory). */
int csv_cell(buf_t *b, const char *s);

#endif
