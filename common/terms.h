/* The card's words for the document's keys: statuses and funding sources, as
 * the report prints them and as section 5 (사업변경내역) records them. */
#ifndef YK_TERMS_H
#define YK_TERMS_H

#define PLEDGE_STATUSES 8
/* The key lists end in NULL too, for lookups that walk to it. */
extern const char *const pledge_status_keys[PLEDGE_STATUSES + 1];
extern const char *const pledge_status_words[PLEDGE_STATUSES];  /* 정상추진, 완료, ... */
/* The word for a status; the status itself when unknown, "" for NULL. */
const char *status_word(const char *status);

#define BUDGET_SOURCES 5
extern const char *const budget_source_keys[BUDGET_SOURCES + 1]; /* national ... other */
extern const char *const budget_source_names[BUDGET_SOURCES];   /* 국비 ... 기타 */

#endif
