/* Clock helpers: UTC timestamps as ISO 8601 text and Unix seconds. */
#ifndef VIGIL_TIMEUTIL_H
#define VIGIL_TIMEUTIL_H

#include <stdint.h>

/* "2026-11-28T12:00:00Z" into out (at least 21 bytes). */
void time_iso(int64_t unix_secs, char out[21]);
/* "2026-11-28" into out (at least 11 bytes). */
void time_date(int64_t unix_secs, char out[11]);
int64_t time_now(void);
/* Monotonic milliseconds, for durations. */
int64_t time_ms(void);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t time_days_from_civil(int y, int m, int d);

#endif
