/* The figures a report derives and nobody enters (docs/document-format.md, "Derived"
 * and "Read-only fields"): 소요예산 (a~g합계) per source and in all, the as-of
 * year's budget, the execution rate, and whether the pledge is overdue.
 * Computed in exact hundredths. */
#ifndef YK_DERIVED_H
#define YK_DERIVED_H

#include <stdint.h>

#include "doc.h"

/* Add `derived` to the document tree (replacing one it has).  `today` (days
 * since 1970) stands in for a missing as_of.  0 or YK_ENOMEM. */
int derived_add(arena_t *a, doc_node_t *doc, int32_t today);

#endif
