/*
 * vigil's own SVG charts: no JavaScript, one look for pages, HTML packs and
 * (drawn through librsvg) PDF packs. Three kinds:
 *
 *   CHART_LINE       several series over the periods, one line each
 *   CHART_STACKED    one bar per period, the series stacked, the bar's
 *                    total written above it
 *   CHART_MULTIPLES  one small line chart per series, all on one scale
 *
 * Every chart has a title, an accessible <title>/<desc>, a legend (the
 * small multiples' panel titles are theirs), a y axis with round ticks and
 * a fixed size in user units (CHART_WIDTH x CHART_HEIGHT) with a viewBox,
 * so it scales. The palette stays apart in grey print: each series differs
 * in grey value and also in dash pattern and marker (lines) or hatch (bars).
 *
 * A suppressed value (null in stats.h) is CHART_GAP: a line breaks there, a
 * stacked segment is left out (its bar's label is then the published total
 * when there is one, else the sum drawn followed by "*", or "*" alone), and
 * the chart's gap note is written under it. All text is escaped for XML; bytes
 * that are not UTF-8 become U+FFFD and control characters are dropped.
 */
#ifndef VIGIL_CHART_H
#define VIGIL_CHART_H

#include <math.h>
#include <stddef.h>

#include "util/buf.h"

#define CHART_GAP    NAN
#define CHART_WIDTH  640
#define CHART_HEIGHT 360

enum chart_kind { CHART_LINE, CHART_STACKED, CHART_MULTIPLES };

struct chart_series {
    const char *label;    /* legend text, already translated */
    const double *values; /* n_periods values, CHART_GAP where suppressed */
};

struct chart {
    enum chart_kind kind;
    const char *id;       /* prefix of the ids inside the SVG; unique within a page */
    const char *title;    /* the heading and <title> */
    const char *desc;     /* <desc>; NULL: a summary of the data */
    const char *gap_note; /* written under the chart when a value is a gap */
    const char *const *periods;
    size_t n_periods;
    const struct chart_series *series;
    size_t n_series;
    /* Optional, stacked bars: each period's published total (CHART_GAP when
     * it was suppressed), written above the bar instead of the sum of what
     * is drawn. */
    const double *totals;
};

/* The y axis of counts up to hi: ticks 0, step, 2*step ... n*step = max,
 * with step 1, 2 or 5 times a power of ten (never below 1) and about target
 * ticks; max >= hi. hi <= 0 (or not finite) gives 0..1. */
struct chart_axis {
    double step, max;
    int n;
};
void chart_axis(double hi, int target, struct chart_axis *a);

/* s as XML character data or attribute value (quotes escaped too; bytes
 * that are not UTF-8 become U+FFFD, control characters are dropped). */
void chart_xml_text(struct buf *b, const char *s);

/* Append the SVG document of c to b. VIGIL_EINVAL when c has no periods or
 * no series (or more than CHART_MAX of either); otherwise buf_err(b). */
#define CHART_MAX 400
int chart_svg(struct buf *b, const struct chart *c);

#endif
