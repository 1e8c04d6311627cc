/* Timestamped log lines on stderr, written whole so that threads do not
 * interleave; the server buffers its access lines (log_set_buffered). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/timeutil.h"

static int log_level = LOG_INFO;

void log_set_level(int level)
{
    log_level = level;
}

/* Buffered lines (log_set_buffered): info and debug lines wait here, at
 * most a second; errors and warnings are written at once, after them. */
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static int buffered;
static char pending[16384];
static size_t npending;
static time_t pending_since;

static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, p, n);
        if (w <= 0)
            return; /* nowhere to tell */
        p += w;
        n -= (size_t)w;
    }
}

static void flush_locked(void)
{
    write_all(pending, npending);
    npending = 0;
}

void log_msg(int level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    if (level > log_level)
        return;
    char line[1024];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_iso(ts.tv_sec, line);
    line[20] = ' ';
    size_t n = 21;
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
    pthread_mutex_lock(&pending_lock);
    if (buffered && level >= LOG_INFO) {
        if (npending + n > sizeof pending)
            flush_locked();
        if (npending == 0)
            pending_since = ts.tv_sec;
        memcpy(pending + npending, line, n);
        npending += n;
        if (ts.tv_sec - pending_since >= 1)
            flush_locked();
    } else {
        flush_locked(); /* what came before goes first */
        write_all(line, n);
    }
    pthread_mutex_unlock(&pending_lock);
}

void log_set_buffered(int on)
{
    pthread_mutex_lock(&pending_lock);
    flush_locked();
    buffered = on;
    pthread_mutex_unlock(&pending_lock);
}

void log_flush(void)
{
    pthread_mutex_lock(&pending_lock);
    flush_locked();
    pthread_mutex_unlock(&pending_lock);
}
