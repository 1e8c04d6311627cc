/* Clock helpers; see timeutil.h. */
#include <stdio.h>
#include <time.h>

#include "util/timeutil.h"

/* Howard Hinnant's civil_from_days: the date of a day number (days since
 * 1970-01-01). gmtime_r would do, but it takes glibc's time zone lock on
 * every call, and the API formats two time stamps for each case it lists. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Two digits at p. */
static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD" at out; years outside 0..9999 are clamped (never stored). */
static void put_date(int64_t days, char *out)
{
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0)
        y = 0;
    if (y > 9999)
        y = 9999;
    put2(out, (int)(y / 100));
    put2(out + 2, (int)(y % 100));
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
}

void time_iso(int64_t t, char out[21])
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    put_date(days, out);
    out[10] = 'T';
    put2(out + 11, (int)(secs / 3600));
    out[13] = ':';
    put2(out + 14, (int)(secs / 60 % 60));
    out[16] = ':';
    put2(out + 17, (int)(secs % 60));
    out[19] = 'Z';
    out[20] = '\0';
}

void time_date(int64_t t, char out[11])
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    put_date(days, out);
    out[10] = '\0';
}

int64_t time_now(void)
{
    return (int64_t)time(NULL);
}

int64_t time_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Howard Hinnant's days_from_civil. */
int64_t time_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
