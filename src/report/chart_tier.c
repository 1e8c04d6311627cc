/*
 * The tier chart: the jurisdiction's TIP report tier by year, a step line
 * over four named bands (Tier 1 at the top, Tier 3 at the bottom), in the
 * look of chart.c (same font, ink and size) and readable in grey print: the
 * bands alternate in grey and each year's tier is also written as a label.
 */
#include <stdio.h>
#include <string.h>

#include "core/tipreport.h"
#include "report/chart.h"
#include "report/chart_tier.h"
#include "util/err.h"

#define FONT "Noto Sans CJK TC, Noto Sans, DejaVu Sans, sans-serif"

int chart_tiers_svg(struct buf *b, const char *id, const char *title, const char *const band[4],
                    const int *years, const char *const *tiers, size_t n)
{
    if (n == 0 || n > CHART_MAX)
        return VIGIL_EINVAL;
    const double W = CHART_WIDTH, H = 260, left = 150, right = 20, top = 44, bottom = 34;
    const double bh = (H - top - bottom) / 4, step = (W - left - right) / (double)n;
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" width=\"%g\" "
               "height=\"%g\" role=\"img\" aria-labelledby=\"",
               W, H, W, H);
    chart_xml_text(b, id);
    buf_puts(b, "-t\" font-family=\"" FONT "\" class=\"chart\">\n<title id=\"");
    chart_xml_text(b, id);
    buf_puts(b, "-t\">");
    chart_xml_text(b, title);
    buf_puts(b, "</title>\n<text x=\"16\" y=\"26\" font-size=\"15\" font-weight=\"bold\" "
                "fill=\"#1b1b1b\">");
    chart_xml_text(b, title);
    buf_puts(b, "</text>\n");
    for (int i = 0; i < 4; i++) { /* the bands, best at the top */
        double y = top + i * bh;
        buf_printf(b,
                   "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"%s\"/>\n"
                   "<text x=\"%g\" y=\"%g\" font-size=\"11\" text-anchor=\"end\" "
                   "fill=\"#222\">",
                   left, y, W - left - right, bh, i % 2 ? "#eeeeee" : "#f8f8f8", left - 8,
                   y + bh / 2 + 4);
        chart_xml_text(b, band[i]);
        buf_puts(b, "</text>\n");
    }
    /* the step line through each year's band, a marker and the year */
    buf_puts(b, "<path fill=\"none\" stroke=\"#1b2a49\" stroke-width=\"2.5\" d=\"");
    int drawn = 0;
    for (size_t i = 0; i < n; i++) {
        int rank = tipreport_tier_rank(tiers[i]);
        if (rank == 0) {
            drawn = 0; /* not ranked that year: a gap */
            continue;
        }
        double y = top + (rank - 0.5) * bh, x0 = left + i * step, x1 = x0 + step;
        if (drawn)
            buf_printf(b, "V%g H%g ", y, x1);
        else
            buf_printf(b, "M%g %g H%g ", x0, y, x1);
        drawn = 1;
    }
    buf_puts(b, "\"/>\n");
    for (size_t i = 0; i < n; i++) {
        int rank = tipreport_tier_rank(tiers[i]);
        double xc = left + (i + 0.5) * step;
        if (rank)
            buf_printf(b, "<circle cx=\"%g\" cy=\"%g\" r=\"4\" fill=\"#1b2a49\"/>\n", xc,
                       top + (rank - 0.5) * bh);
        buf_printf(b,
                   "<text x=\"%g\" y=\"%g\" font-size=\"11\" text-anchor=\"middle\" "
                   "fill=\"#222\">%d</text>\n",
                   xc, H - bottom + 16, years[i]);
    }
    buf_puts(b, "</svg>\n");
    return buf_err(b);
}
