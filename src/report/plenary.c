/* The monthly plenary pack from the store; see report.h. */
#include <stdio.h>
#include <string.h>

#include "report/pack.h"
#include "report/report.h"
#include "report/stats.h"
#include "store/store.h"
#include "util/err.h"
#include "util/timeutil.h"
#include "web/i18n.h"

static int bad(char *msg, size_t n, const char *what)
{
    if (msg && n)
        snprintf(msg, n, "%s", what);
    return VIGIL_EINVAL;
}

/* "YYYY-MM" with a month from 1 to 12 and a year from 1970 to 9999. */
static int parse_month(const char *s, int *y, int *m)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return -1;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    return *y >= 1970 && *m >= 1 && *m <= 12 ? 0 : -1;
}

/* The month's name the language's way: 2026年10月, outubro de 2026, October 2026. */
static void month_label(int lang, int y, int m, char *out, size_t n)
{
    static const char *const en[12] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};
    static const char *const pt[12] = {"Janeiro",  "Fevereiro", "Março",    "Abril",
                                       "Maio",     "Junho",     "Julho",    "Agosto",
                                       "Setembro", "Outubro",   "Novembro", "Dezembro"};
    if (lang == LANG_EN)
        snprintf(out, n, "%s %d", en[m - 1], y);
    else if (lang == LANG_PT)
        snprintf(out, n, "%s de %d", pt[m - 1], y);
    else
        snprintf(out, n, "%d年%d月", y, m);
}

static int in_period(const char *date, const char *from, const char *to)
{
    if (!date || strlen(date) < 10)
        return 0;
    return strncmp(date, from, 10) >= 0 && strncmp(date, to, 10) <= 0;
}

/* Keep the measures still open, and those the month touched. */
static json_t *month_measures(json_t *all, const char *from, const char *to)
{
    json_t *keep = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(all, i, m)
    {
        const char *state = pack_str(m, "state");
        const json_t *lu = json_object_get(m, "last_update");
        int open = strcmp(state, "open") == 0 || strcmp(state, "in_progress") == 0;
        int touched = in_period(pack_str(m, "done_on"), from, to) ||
                      in_period(pack_str(lu, "updated_on"), from, to) ||
                      in_period(pack_str(m, "created_at"), from, to) ||
                      in_period(pack_str(m, "updated_at"), from, to);
        if (open || touched)
            json_array_append(keep, m);
    }
    return keep;
}

int plenary_build(struct store *st, const char *month, int lang, int k, int64_t now, json_t **out,
                  char *msg, size_t n)
{
    int y, m;
    *out = NULL;
    if (parse_month(month, &y, &m))
        return bad(msg, n, "month: not a month YYYY-MM");
    if (k < 1 || k > 1000)
        return bad(msg, n, "k: not an integer from 1 to 1000");
    if (lang < 0 || lang >= LANG_COUNT)
        lang = LANG_DEFAULT;
    int64_t days = time_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                   time_days_from_civil(y, m, 1);
    char from[16], to[16], today[11], gen[21], label[64];
    snprintf(from, sizeof from, "%04d-%02d-01", y, m);
    snprintf(to, sizeof to, "%04d-%02d-%02d", y, m, (int)days);
    time_date(now, today);
    time_iso(now, gen);
    month_label(lang, y, m, label, sizeof label);

    struct stats_query q = {from, to, k, 10};
    json_t *stats = NULL, *all = NULL, *overdue = NULL, *acts = NULL, *meetings = NULL;
    int rc = stats_compute(st, &q, &stats);
    if (rc == VIGIL_EINVAL)
        bad(msg, n, "month: no statistics for this period");
    if (!rc && (rc = store_measure_list(st, NULL, NULL, &all)))
        bad(msg, n, "the measures could not be read");
    if (!rc && (rc = store_measure_overdue(st, today, &overdue)))
        bad(msg, n, "the overdue measures could not be read");
    if (!rc && (rc = store_activity_list(st, from, to, NULL, &acts)))
        bad(msg, n, "the activities could not be read");
    if (!rc && (rc = store_meeting_list(st, from, to, 10, &meetings)))
        bad(msg, n, "the meetings could not be read");
    if (rc) {
        json_decref(stats);
        json_decref(all);
        json_decref(overdue);
        json_decref(acts);
        json_decref(meetings);
        return rc;
    }
    json_t *measures = month_measures(all, from, to);
    json_t *ids = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(overdue, i, o)
    {
        json_array_append(ids, json_object_get(o, "id"));
    }
    json_array_foreach(measures, i, o)
    {
        json_t *id = json_object_get(o, "id");
        size_t j;
        json_t *x;
        json_array_foreach(ids, j, x)
        {
            if (json_equal(x, id))
                json_object_set_new(o, "overdue", json_true());
        }
    }
    /* Newest first: the month's meeting is the last one held in it. */
    json_t *meeting =
        json_array_size(meetings) ? json_incref(json_array_get(meetings, 0)) : json_null();
    *out = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "kind",
                     "plenary", "lang", i18n_code(lang), "period", "from", from, "to", to, "label",
                     label, "generated_at", gen, "k", k, "stats", stats, "measures", measures,
                     "overdue", ids, "activities", acts, "meeting", meeting);
    /* the TIP report's tier over the years, oldest first, for its chart */
    json_t *reports = NULL;
    if (*out && store_tipreport_list(st, &reports) == VIGIL_OK && json_array_size(reports)) {
        json_t *tiers = json_array();
        for (size_t j = json_array_size(reports); j-- > 0;) {
            json_t *x = json_array_get(reports, j);
            json_array_append_new(tiers, json_pack("{s:O, s:O}", "year", json_object_get(x, "year"),
                                                   "tier", json_object_get(x, "tier")));
        }
        json_object_set_new(*out, "tiers", tiers);
    }
    json_decref(reports);
    json_decref(all);
    json_decref(overdue);
    json_decref(meetings);
    return *out ? VIGIL_OK : VIGIL_ENOMEM;
}
