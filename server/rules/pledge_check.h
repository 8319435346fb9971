/* What the daemon checks in a pledge document before it goes to the
 * database: every string valid UTF-8 and NFC-normalised in place, and the
 * fields the spec requires.  The schema's constraints refuse the rest. */
#ifndef YK_PLEDGE_CHECK_H
#define YK_PLEDGE_CHECK_H

#include <stdbool.h>

#include "doc.h"
#include "viol.h"

/* The statuses the spec allows, NULL-terminated. */
/* True when s is one of the NULL-terminated set. */
bool one_of(const char *s, const char *const *set);

/* True for the keys whose text may run over lines (an item's text, a
 * paragraph of contents, remarks, reasons); every other string is one line
 * (titles, names, codes, units, labels) and may hold no line break, tab or
 * invisible character. */
bool pledge_text_is_paragraph(const char *key);

/* Normalise every string (keys included) of the tree to NFC; invalid text
 * and control characters (text_control_problem) are reported with their
 * paths. */
void pledge_normalize(arena_t *a, doc_node_t *n, const char *path, viol_list_t *v);

/* Check the document (a tree of a yk.Pledge); problems go to v. */
void pledge_check(arena_t *a, const doc_node_t *doc, viol_list_t *v);

/* Check one item of section 4 or 6 (and its sub-items) on its own, as the
 * whole-document check would; path prefixes the problems' paths. */
void pledge_check_item(arena_t *a, const doc_node_t *item, const char *path, viol_list_t *v);

/* Normalise and check one cell of an indicator's targets or actuals (a
 * number or a short text) on its own, as the whole-document check would. */
void pledge_check_cell(arena_t *a, doc_node_t *cell, const char *path, viol_list_t *v);

/* The same of a budget cell ({secured, executed, planned}, any of them) of
 * `source` for `period`: the source's name and each amount (whether the
 * period is one of the card's and no more is executed than secured needs
 * the card: functions/progress.sql's yk_budget_cell checks them). */
void pledge_check_budget_cell(arena_t *a, const char *source, const char *period, const doc_node_t *cell, viol_list_t *v);

/* The same of a status and an overall progress ({status, progress_pct},
 * either), normalised in place. */
void pledge_check_status(arena_t *a, doc_node_t *doc, viol_list_t *v);

/* The same of a suggestion of section 6 ({round, committee, suggestion}),
 * normalised in place; problems' paths are its keys. */
void pledge_check_suggestion(arena_t *a, doc_node_t *ev, viol_list_t *v);

#endif
