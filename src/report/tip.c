/* The annual TIP data pack from the store; see report.h. */
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report/stats.h"
#include "store/store.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/i18n.h"

static int bad(char *msg, size_t n, const char *what)
{
    if (msg && n)
        snprintf(msg, n, "%s", what);
    return VIGIL_EINVAL;
}

int tip_build(struct store *st, const char *year, int lang, int k, int64_t now, json_t **out,
              char *msg, size_t n)
{
    int y;
    *out = NULL;
    if (!year || strlen(year) != 4 || parse_int(year, 1971, 9999, &y))
        return bad(msg, n, "year: not a year YYYY");
    if (k < 1 || k > 1000)
        return bad(msg, n, "k: not an integer from 1 to 1000");
    if (lang < 0 || lang >= LANG_COUNT)
        lang = LANG_DEFAULT;
    /* The TIP report's reporting period: 1 April of the year before to 31 March. */
    char from[24], to[24], gen[21];
    snprintf(from, sizeof from, "%04d-04-01", y - 1);
    snprintf(to, sizeof to, "%04d-03-31", y);
    time_iso(now, gen);
    struct stats_query q = {from, to, k, 10};
    json_t *stats = NULL, *acts = NULL;
    int rc = stats_compute(st, &q, &stats);
    if (rc == VIGIL_EINVAL)
        bad(msg, n, "year: no statistics for this period");
    if (!rc && (rc = store_activity_list(st, from, to, NULL, &acts)))
        bad(msg, n, "the activities could not be read");
    if (rc) {
        json_decref(stats);
        return rc;
    }
    *out = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:i, s:o, s:o}", "kind", "tip", "lang",
                     i18n_code(lang), "period", "from", from, "to", to, "generated_at", gen, "k", k,
                     "stats", stats, "activities", acts);
    return *out ? VIGIL_OK : VIGIL_ENOMEM;
}
