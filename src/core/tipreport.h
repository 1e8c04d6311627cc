/*
 * The US Trafficking in Persons Report as the committee answers it: a
 * report per year (tier, publication date, reporting period, notes on the
 * claims the committee disputes), its prioritised recommendations, the
 * measures that answer each, the figures that evidence it, and the rule
 * that gives each recommendation its state. No SQL, no HTTP.
 */
#ifndef VIGIL_TIPREPORT_H
#define VIGIL_TIPREPORT_H

#include <stddef.h>

#include "core/record.h"

extern const struct field tipreport_fields[];
extern const struct field recommendation_fields[];
extern const struct field figure_fields[];
/* tier1 tier2 tier2_watch tier3 special_case */
extern const char *const tipreport_tiers[];
/* not_started in_progress met disputed */
extern const char *const recommendation_states[];
/* tip (the report's reporting period) year (the calendar year before the
 * report's, when the response is written) */
extern const char *const figure_periods[];

/* The tier's rank for charts: 1 for Tier 1 ... 4 for Tier 3; 0 for others. */
int tipreport_tier_rank(const char *tier);

/*
 * The state of a recommendation. An explicit assessment ("met",
 * "disputed", "in_progress", "not_started") wins; without one the state
 * follows the linked measures: none linked or none begun → not_started;
 * every one done → met; otherwise (some in progress or done) in_progress.
 * Dropped measures count as not begun. total counts the linked measures,
 * done those done, begun those in progress or done.
 */
const char *recommendation_state(const char *assessment, int total, int begun, int done);

/*
 * Split a plain text into recommendations: one per paragraph (paragraphs
 * are separated by blank lines); lines of a paragraph are joined with a
 * space; a leading list marker ("1.", "2)", "-", "*", "•") is dropped; an
 * empty paragraph is skipped. *out is a new array of strings. VIGIL_EINVAL
 * (err says why) when the text is not UTF-8, holds no paragraph, holds more
 * than max paragraphs, or a paragraph is longer than 4000 code points.
 */
int tipreport_split(const char *text, size_t len, size_t max, json_t **out, struct verr *err);

/* 1 when table names a table of the statistics (report/stats.h) and column
 * (NULL: any) one of its columns ("count" for one-column tables). */
int figure_known(const char *table, const char *column);
/* The i-th table name of the statistics, or NULL past the last. */
const char *figure_table(size_t i);

/* The reporting period of a report year: 1 April of year-1 to 31 March of
 * year, as two dates. */
void tipreport_period(int year, char from[11], char to[11]);

#endif
