/*
 * Operational logging to stderr. Never pass personal data: log route
 * patterns, ids, codes and counts, not names, query strings or bodies.
 */
#ifndef VIGIL_LOG_H
#define VIGIL_LOG_H

enum { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(int level);
/* Buffer info and debug lines (the server's line per request) and write
 * them in batches: when 16 KB are waiting, when the oldest is a second old,
 * before any error or warning, and at log_flush(). Off by default. */
void log_set_buffered(int on);
void log_flush(void);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
