/*
 * The committee's statistics: the figures of a period, their change against
 * the period before and the same period a year earlier, and trends over up
 * to ten years, with small counts suppressed. Every figure that leaves the
 * committee (plenary and TIP packs, /api/v1/stats, the public page) comes
 * from stats_compute(); pages and reports only render what it returns.
 *
 * The result is one JSON object (so the API can send it as it is):
 *
 *   {"from":"2026-10-01","to":"2026-10-31","k":3,
 *    "previous":{"from","to"},"year_ago":{"from","to"},
 *    "tables":[TABLE...], "trends":[TREND...], "suppressed":N}
 *
 * TABLE: {"id":"cases_by_category","columns":["count"],
 *         "rows":[{"key":"trafficking","values":[12],
 *                  "previous":[10],"year_ago":[15]}, ...],
 *         "total":{"values":[..],"previous":[..],"year_ago":[..]}}
 *   A value is an integer, or null when it was suppressed (see below).
 *   Keys are stable codes (HTCDS values, organisation codes, ISO 3166
 *   alpha-2, age bands "0-17" "18-24" "25-34" "35-44" "45-54" "55+"
 *   "unknown"); renderers translate them. Rows are sorted by the period's
 *   value, largest first, then key. The table ids:
 *     cases_by_category, cases_by_exploitation, cases_by_source,
 *     cases_by_org, victims_by_sex, victims_by_age_band,
 *     victims_by_citizenship, victims_by_exploitation,
 *     referrals_by_org (rows: receiving organisation; columns: made,
 *     accepted), services_by_type, legal (rows: investigations,
 *     prosecutions, convictions; columns: sexual, labour, other, total),
 *     legal_by_statute (rows: "statute article"; columns: sexual, labour,
 *     other, total), sentences (rows: bands "<1y" "1-3y" "3-5y" "5-10y"
 *     "10y+"), tips_by_channel, activities (rows: inspection, training,
 *     awareness; columns: activities, sites, workers_reached,
 *     officials_trained, people_reached).
 *
 * TREND: {"id":"cases_yearly","unit":"year"|"month",
 *         "periods":["2017",...,"2026"],
 *         "series":[{"key":"trafficking","values":[..]}, ...]}
 *   A trend whose series add up (all but legal_yearly) also has "total":
 *   [..], each period's sum, suppressed (null) on its own when below k.
 *   ids: cases_yearly (by category, trend_years calendar years ending with
 *   the year of to; the last may be partial), cases_monthly (by category,
 *   the 24 months ending with the month of to), victims_yearly (by sex),
 *   legal_yearly (investigations, prosecutions, convictions).
 *
 * Suppression: any count of cases, persons, proceedings or tips from 1 to
 * k-1 becomes null, and so does the next smallest non-zero value of the
 * same row set when only one was suppressed (so that a total cannot give it
 * back); zero is shown. Activity figures (how many trainings, how many
 * people reached) are not about individuals and are never suppressed.
 * "suppressed" counts the nulls. k = 1 suppresses nothing.
 */
#ifndef VIGIL_STATS_H
#define VIGIL_STATS_H

#include <jansson.h>

struct store;

#define STATS_K_DEFAULT 3

struct stats_query {
    const char *from, *to; /* the period, inclusive, YYYY-MM-DD */
    int k;                 /* suppression threshold, >= 1 */
    int trend_years;       /* 1..10 */
};

/* The period's figures; VIGIL_EINVAL for a bad period, k or span. */
int stats_compute(struct store *st, const struct stats_query *q, json_t **out);

#endif
