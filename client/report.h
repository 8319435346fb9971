/* The pledge report as the city prints it (the order and words of
 * tests/fixtures/suwon-governance-2021Q1.txt), built from a pledge document
 * tree that carries the server's `derived` figures. */
#ifndef YK_REPORT_H
#define YK_REPORT_H

#include "doc.h"
#include "render.h"
#include "terms.h"

/* 0, or YK_ENOMEM. */
int report_pledge(report_t *r, arena_t *a, const doc_node_t *doc);

/* Dates and periods in the report's style. */
const char *fmt_date(arena_t *a, const char *iso);          /* 2019-01-10 -> "2019. 1.10." */
const char *fmt_budget_period(arena_t *a, const char *p);   /* 2018-H2 -> "2018.7월~12월" */
const char *fmt_round(arena_t *a, const char *p);           /* 2020-H2 -> "2020년 하반기" */

#endif
