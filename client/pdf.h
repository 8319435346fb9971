/* A report (render.h) as an A4 PDF: Cairo draws it, Pango shapes the text. */
#ifndef YK_PDF_H
#define YK_PDF_H

#include "buf.h"
#include "render.h"

/* The PDF appended to out; 0 or YK_ENOMEM. */
int render_pdf(const report_t *r, buf_t *out);

#endif
