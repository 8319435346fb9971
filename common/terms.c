#include "terms.h"

#include <stddef.h>
#include <string.h>

const char *const pledge_status_keys[PLEDGE_STATUSES + 1] = { "in_progress", "completed", "completed_ongoing",
							      "partial",     "delayed",	  "on_hold",
							      "dropped",     "not_started", NULL };
const char *const pledge_status_words[PLEDGE_STATUSES] = { "정상추진", "완료", "완료지속추진", "일부추진",
							   "지연",     "보류", "폐기",	       "미착수" };
const char *const budget_source_keys[BUDGET_SOURCES + 1] = { "national", "provincial", "city", "private", "other", NULL };
const char *const budget_source_names[BUDGET_SOURCES] = { "국비", "도비", "시비", "민간자본", "기타" };

const char *status_word(const char *s)
{
	for (size_t i = 0; s && i < PLEDGE_STATUSES; i++)
		if (!strcmp(s, pledge_status_keys[i]))
			return pledge_status_words[i];
	return s ? s : "";
}
