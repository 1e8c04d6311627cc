/*
 * The packs built from the store: the monthly plenary pack (plenary.c) and
 * the annual TIP data pack (tip.c). Each returns the pack model of
 * report/pack.h, ready for pack_render(); the figures come from
 * stats_compute() and nothing else.
 */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct store;

/* The plenary pack of month "YYYY-MM" in language lang (enum lang), with
 * suppression threshold k, as generated at now (Unix seconds):
 *   - stats_compute() for the month, with ten years of trends;
 *   - the measures: every open or in-progress one, and those changed,
 *     finished or introduced in the month; overdue ones (store_measure_overdue
 *     as of the day of now) flagged;
 *   - the month's activities and the meeting held in it (or null).
 * VIGIL_EINVAL with msg naming "month" or "k" for bad input; a store error
 * otherwise. *out is the caller's. */
int plenary_build(struct store *st, const char *month, int lang, int k, int64_t now, json_t **out,
                  char *msg, size_t n);

/* The TIP data pack of reporting year "YYYY" (1 April of the year before to
 * 31 March of it): stats_compute() over that span (legal figures with the
 * sexual/labour split, statutes, sentences, victims by sex, age and
 * citizenship, referrals and services, officials trained, prevention
 * activities) with ten years of trends, and the span's activities. */
int tip_build(struct store *st, const char *year, int lang, int k, int64_t now, json_t **out,
              char *msg, size_t n);

#endif
