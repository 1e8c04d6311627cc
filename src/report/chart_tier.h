/*
 * The TIP report tier by year as an SVG chart (chart_tier.c), for the
 * committee's home page, the TIP report pages and the plenary pack.
 */
#ifndef VIGIL_CHART_TIER_H
#define VIGIL_CHART_TIER_H

#include <stddef.h>

#include "util/buf.h"

/* n years (ascending) with their tier codes (core/tipreport.h); band holds
 * the four bands' labels from Tier 1 down to Tier 3, translated. A year
 * whose tier has no rank (a special case) is a gap. */
int chart_tiers_svg(struct buf *b, const char *id, const char *title, const char *const band[4],
                    const int *years, const char *const *tiers, size_t n);

#endif
