/* The figures a report derives and nobody enters (docs/document-format.md, "Derived"
 * and "Read-only fields"): 소요예산 (a~g합계) per source and in all, the as-of
 * year's budget, the execution rate, and whether the pledge is overdue.
 * Computed in exact hundredths. */
#ifndef YK_DERIVED_H
#define YK_DERIVED_H

#include <stdbool.h>
#include <stdint.h>

#include "doc.h"

/* Add `derived` to the document tree (replacing one it has).  `today` (days
 * since 1970) stands in for a missing as_of.  0 or YK_ENOMEM. */
int derived_add(arena_t *a, doc_node_t *doc, int32_t today);

/* Whether indicator set i of `sets` is the 변경 rows of the table whose 당초
 * rows are set i-1: its basis is changed, set i-1's is original (or none),
 * and both have the same periods.  Such a pair is the one case in which two
 * sets share periods; the changed one counts (its targets, its 누적 추진율),
 * the original stays as the plan it replaced (docs/document-format.md). */
bool derived_set_changes(const doc_node_t *sets, size_t i);

#endif
