/* What a change request changes, two ways: field by field ("path: old -> new",
 * as history shows it) and in the card's terms — the entries that section 5
 * (사업변경내역) records on approval: 목표연월, 추진상태, 사업내용, 성과지표 and
 * 소요예산, each with its before and after as the report prints them. */
#ifndef YK_CHANGE_CARD_H
#define YK_CHANGE_CARD_H

#include "doc.h"

/* Append {item, before, after} maps to `out` (a DOC_SEQ) for each card item
 * that differs between the two documents.  Both get their `derived` figures
 * (the budget total comes from there).  0 or YK_ENOMEM. */
int change_card(arena_t *a, doc_node_t *before, doc_node_t *after, doc_node_t *out);

/* Append "path: old -> new" strings to `out` for every field that differs,
 * leaving out the server's own fields; at most `max` lines, then "…".
 * 0 or YK_ENOMEM. */
int change_fields(arena_t *a, const doc_node_t *before, const doc_node_t *after, size_t max, doc_node_t *out);

#endif
