/*
 * The committee's statistics over HTTP: GET /api/v1/stats answers what
 * stats_compute() returns for the period asked (a month, a year, or from
 * and to), at the server's suppression threshold or a stricter one. The
 * /stats page reads its period the same way (stats_request).
 */
#include <stdio.h>
#include <string.h>

#include "report/stats.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/http.h"

static int last_day(int y, int m)
{
    return (int)(time_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                 time_days_from_civil(y, m, 1));
}

int stats_month_parse(const char *s, int *y, int *m)
{
    char d[16];
    if (!s || strlen(s) != 7)
        return VIGIL_EINVAL;
    snprintf(d, sizeof d, "%s-01", s);
    return parse_date(d, y, m, NULL);
}

void stats_last_month(char out[8])
{
    char today[11];
    int y, m;
    time_date(time_now(), today);
    parse_date(today, &y, &m, NULL);
    if (--m == 0) {
        m = 12;
        y--;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%04d-%02d", y, m);
    memcpy(out, buf, 7);
    out[7] = '\0';
}

int stats_request(struct req *r, json_t **out)
{
    const char *month = req_param(r, "month"), *year = req_param(r, "year");
    const char *from = req_param(r, "from"), *to = req_param(r, "to");
    const char *k = req_param(r, "k"), *years = req_param(r, "years");
    char f[16], t[16], last[8];
    int y, m;
    *out = NULL;
    if ((month != NULL) + (year != NULL) + (from || to) > 1)
        return req_fail(r, VIGIL_EINVAL, month ? (year ? "year" : "from") : "from",
                        "give one period: month, year, or from and to");
    if (!month && !year && !from && !to) {
        stats_last_month(last);
        month = last;
    }
    if (month) {
        if (stats_month_parse(month, &y, &m))
            return req_fail(r, VIGIL_EINVAL, "month", "query parameter 'month' must be YYYY-MM");
        snprintf(f, sizeof f, "%04d-%02d-01", y % 10000, m % 100);
        snprintf(t, sizeof t, "%04d-%02d-%02d", y % 10000, m % 100, last_day(y, m) % 100);
    } else if (year) {
        snprintf(f, sizeof f, "%s-01-01", year); /* 1900..2200 by the gate */
        snprintf(t, sizeof t, "%s-12-31", year);
    } else {
        if (!from || !to)
            return req_fail(r, VIGIL_EINVAL, from ? "to" : "from",
                            "query parameters 'from' and 'to' go together");
        if (strcmp(from, to) > 0)
            return req_fail(r, VIGIL_EINVAL, "from", "query parameter 'from' is after 'to'");
        snprintf(f, sizeof f, "%s", from);
        snprintf(t, sizeof t, "%s", to);
    }
    struct stats_query q = {f, t, r->cfg->stats_k, 10};
    if (k) {
        parse_int(k, 1, 1000, &q.k); /* a whole number by the gate */
        if (q.k < r->cfg->stats_k)
            return req_fail(r, VIGIL_EINVAL, "k",
                            "query parameter 'k' must be at least %d, this server's threshold",
                            r->cfg->stats_k);
    }
    if (years)
        parse_int(years, 1, 10, &q.trend_years);
    int rc = stats_compute(r->st, &q, out);
    if (rc == VIGIL_EINVAL)
        return req_fail(r, rc, "from", "the period may be at most ten years long");
    if (rc)
        return req_fail(r, rc, NULL, "the statistics could not be computed");
    return VIGIL_OK;
}

int api_stats(struct req *r)
{
    json_t *out;
    int rc = stats_request(r, &out);
    if (rc)
        return rc;
    r->resp = out;
    return VIGIL_OK;
}
