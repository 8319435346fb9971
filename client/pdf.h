/* A report (render.h) as an A4 PDF: Cairo draws it, Pango shapes the text. */
#ifndef YK_PDF_H
#define YK_PDF_H

#include "buf.h"
#include "render.h"

/* The PDF appended to out; 0 or YK_ENOMEM. */
int render_pdf(const report_t *r, buf_t *out);
/* Several cards in one PDF: a contents page (each card's title and page,
 * a link to it) and then the cards, each from a new page and an entry of the
 * PDF's outline. */
int render_pdf_book(const char *title, const report_t *const *cards, size_t n, buf_t *out);

#endif
