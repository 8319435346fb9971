/* One line per event on stderr: a timestamp, level=..., then key=value pairs.
 * The level is checked before anything is formatted.  Never log a password
 * or a token. */
#ifndef YK_LOG_H
#define YK_LOG_H

typedef enum { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG } log_level_t;

extern log_level_t log_threshold;

void log_emit(log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses "error|warn|info|debug"; returns -1 when unknown. */
int log_level_parse(const char *s);

#define log_at(lvl, ...) do { if ((lvl) <= log_threshold) log_emit((lvl), __VA_ARGS__); } while (0)
#define log_error(...) log_at(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_at(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_at(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)

#endif
