/* Timestamped log lines on stderr, one write() per line so threads do not interleave. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static int log_level = LOG_INFO;

void log_set_level(int level)
{
    log_level = level;
}

void log_msg(int level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    if (level > log_level)
        return;
    char line[1024];
    /* The time stamp is formatted once a second per thread. */
    static __thread time_t stamp_sec = -1;
    static __thread char stamp[32];
    static __thread size_t stamp_len;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != stamp_sec) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        stamp_len = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ ", &tm);
        stamp_sec = ts.tv_sec;
    }
    memcpy(line, stamp, stamp_len);
    size_t n = stamp_len;
    n += (size_t)snprintf(line + n, sizeof line - n, "%s ", names[level]);
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    n += (size_t)k;
    if (n > sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    if (write(STDERR_FILENO, line, n) < 0)
        return;
}
