/* SVG charts (line, stacked bars, small multiples); see chart.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/chart.h"
#include "util/err.h"

/* Each series' look: a colour whose grey value differs from its
 * neighbours', a dash pattern and marker for lines, a hatch for bars, and
 * whether marks drawn over the fill should be light or dark. */
static const struct style {
    const char *colour, *dash;
    int marker; /* 0 circle, 1 square, 2 triangle, 3 diamond, 4 cross, 5 plus */
    int hatch;  /* 0 none, 1 diagonal, 2 dots, 3 horizontal, 4 crosshatch, 5 back diagonal,
                   6 vertical, 7 grid */
    const char *ink;
} styles[] = {
    {"#1b2a49", "", 0, 0, "#ffffff"},     {"#e39b2d", "8 4", 1, 1, "#1b1b1b"},
    {"#2e86c1", "2 3", 2, 2, "#ffffff"},  {"#6c3483", "8 3 2 3", 3, 3, "#ffffff"},
    {"#7fb069", "12 3", 4, 4, "#1b1b1b"}, {"#b03a2e", "4 2", 5, 5, "#ffffff"},
    {"#c7c7c7", "1 2", 0, 6, "#1b1b1b"},  {"#16a085", "6 2 1 2", 1, 7, "#ffffff"},
};
#define N_STYLES (sizeof styles / sizeof styles[0])

#define FONT    "Noto Sans CJK TC, Noto Sans, DejaVu Sans, sans-serif"
#define MARGIN  16.0
#define TITLE_Y 26.0
#define LEG_ROW 18.0
#define NOTE_H  18.0

/* ---- text ---------------------------------------------------------------- */

/* The next code point of s (advancing *s), or -1 for a byte that does not
 * start a well-formed UTF-8 sequence (then *s moves one byte). */
static long utf8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    long c;
    int n;
    if (p[0] < 0x80) {
        *s = p + 1;
        return p[0];
    } else if ((p[0] & 0xE0) == 0xC0) {
        c = p[0] & 0x1F;
        n = 1;
    } else if ((p[0] & 0xF0) == 0xE0) {
        c = p[0] & 0x0F;
        n = 2;
    } else if ((p[0] & 0xF8) == 0xF0) {
        c = p[0] & 0x07;
        n = 3;
    } else {
        *s = p + 1;
        return -1;
    }
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s = p + 1;
            return -1;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    static const long min[] = {0, 0x80, 0x800, 0x10000};
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *s = p + 1;
        return -1;
    }
    *s = p + n + 1;
    return c;
}

void chart_xml_text(struct buf *b, const char *s)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *start = p;
        long c = utf8_next(&p);
        switch (c) {
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&#39;");
            break;
        case '\t':
        case '\n':
        case '\r':
            buf_putc(b, ' ');
            break;
        default:
            if (c < 0 || c == 0xFFFE || c == 0xFFFF)
                buf_puts(b, "\xEF\xBF\xBD");
            else if (c >= 0x20 && !(c >= 0x7F && c < 0xA0))
                buf_add(b, start, (size_t)(p - start));
        }
    }
}

/* A rough width of s in user units at font size px: CJK and other wide
 * characters are an em, the rest a little over half. Used only to lay out
 * legends and to thin axis labels, so erring wide is fine. */
static double text_width(const char *s, double px)
{
    double w = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        long c = utf8_next(&p);
        w += (c >= 0x1100 && !(c >= 0x2000 && c < 0x2E80)) ? px : 0.6 * px;
    }
    return w;
}

/* A number as the charts write it: whole numbers without decimals. */
static void fmt_num(char *out, size_t n, double v)
{
    if (fabs(v - round(v)) < 1e-9)
        snprintf(out, n, "%.0f", v);
    else
        snprintf(out, n, "%.1f", v);
}

/* ---- axis ---------------------------------------------------------------- */

void chart_axis(double hi, int target, struct chart_axis *a)
{
    if (target < 1)
        target = 1;
    if (!(hi > 0) || !isfinite(hi)) {
        a->step = 1;
        a->n = 1;
        a->max = 1;
        return;
    }
    double raw = hi / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    double step = nice * mag;
    if (step < 1)
        step = 1;
    int n = (int)ceil(hi / step - 1e-9);
    if (n < 1)
        n = 1;
    a->step = step;
    a->n = n;
    a->max = step * n;
}

/* ---- the parts every chart shares ------------------------------------------ */

struct frame {
    const struct chart *c;
    const char *id;
    double left, right, top, bottom; /* the plot area */
    double leg_top;                  /* the legend's first row */
    int leg_rows;
    int any_gap;
    struct chart_axis ax;
};

static int is_gap(double v)
{
    return isnan(v);
}

static void put_id(struct buf *b, const char *id)
{
    for (const char *p = id; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '_';
        buf_putc(b, ok ? ch : '_');
    }
}

static void put_num(struct buf *b, double v)
{
    char t[32];
    snprintf(t, sizeof t, "%.2f", v);
    /* "12.50" -> "12.5", "12.00" -> "12": shorter documents. */
    char *dot = strchr(t, '.');
    if (dot) {
        char *e = t + strlen(t) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    buf_puts(b, strcmp(t, "-0") == 0 ? "0" : t);
}

/* A <text> element: x, y, anchor ("start", "middle", "end"), size, weight. */
static void put_text(struct buf *b, double x, double y, const char *anchor, double size, int bold,
                     const char *fill, const char *s)
{
    buf_puts(b, "<text x=\"");
    put_num(b, x);
    buf_puts(b, "\" y=\"");
    put_num(b, y);
    buf_printf(b, "\" font-size=\"%g\"", size);
    if (strcmp(anchor, "start") != 0)
        buf_printf(b, " text-anchor=\"%s\"", anchor);
    if (bold)
        buf_puts(b, " font-weight=\"bold\"");
    if (fill)
        buf_printf(b, " fill=\"%s\"", fill);
    buf_putc(b, '>');
    chart_xml_text(b, s);
    buf_puts(b, "</text>\n");
}

static void put_marker(struct buf *b, const struct style *s, double x, double y)
{
    double r = 3.2;
    switch (s->marker) {
    case 0:
        buf_puts(b, "<circle cx=\"");
        put_num(b, x);
        buf_puts(b, "\" cy=\"");
        put_num(b, y);
        buf_printf(b, "\" r=\"%g\" fill=\"%s\"/>", r, s->colour);
        break;
    case 1:
        buf_puts(b, "<rect x=\"");
        put_num(b, x - r);
        buf_puts(b, "\" y=\"");
        put_num(b, y - r);
        buf_printf(b, "\" width=\"%g\" height=\"%g\" fill=\"%s\"/>", 2 * r, 2 * r, s->colour);
        break;
    case 2:
    case 3:
        buf_puts(b, "<path d=\"M");
        if (s->marker == 2) {
            put_num(b, x);
            buf_putc(b, ' ');
            put_num(b, y - r - 0.8);
            buf_puts(b, "L");
            put_num(b, x + r + 0.6);
            buf_putc(b, ' ');
            put_num(b, y + r);
            buf_puts(b, "L");
            put_num(b, x - r - 0.6);
            buf_putc(b, ' ');
            put_num(b, y + r);
        } else {
            put_num(b, x);
            buf_putc(b, ' ');
            put_num(b, y - r - 1);
            buf_puts(b, "L");
            put_num(b, x + r + 1);
            buf_putc(b, ' ');
            put_num(b, y);
            buf_puts(b, "L");
            put_num(b, x);
            buf_putc(b, ' ');
            put_num(b, y + r + 1);
            buf_puts(b, "L");
            put_num(b, x - r - 1);
            buf_putc(b, ' ');
            put_num(b, y);
        }
        buf_printf(b, "Z\" fill=\"%s\"/>", s->colour);
        break;
    default:
        buf_puts(b, "<path d=\"M");
        if (s->marker == 4) {
            put_num(b, x - r);
            buf_putc(b, ' ');
            put_num(b, y - r);
            buf_puts(b, "L");
            put_num(b, x + r);
            buf_putc(b, ' ');
            put_num(b, y + r);
            buf_puts(b, "M");
            put_num(b, x - r);
            buf_putc(b, ' ');
            put_num(b, y + r);
            buf_puts(b, "L");
            put_num(b, x + r);
            buf_putc(b, ' ');
            put_num(b, y - r);
        } else {
            put_num(b, x - r - 1);
            buf_putc(b, ' ');
            put_num(b, y);
            buf_puts(b, "L");
            put_num(b, x + r + 1);
            buf_putc(b, ' ');
            put_num(b, y);
            buf_puts(b, "M");
            put_num(b, x);
            buf_putc(b, ' ');
            put_num(b, y - r - 1);
            buf_puts(b, "L");
            put_num(b, x);
            buf_putc(b, ' ');
            put_num(b, y + r + 1);
        }
        buf_printf(b, "\" stroke=\"%s\" stroke-width=\"2\" fill=\"none\"/>", s->colour);
    }
    buf_putc(b, '\n');
}

/* The hatch patterns of the stacked bars, one per style. */
static void put_patterns(struct buf *b, const char *id, size_t n)
{
    buf_puts(b, "<defs>\n");
    for (size_t i = 0; i < n && i < N_STYLES; i++) {
        const struct style *s = &styles[i];
        buf_puts(b, "<pattern id=\"");
        put_id(b, id);
        buf_printf(b, "-h%zu\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\">", i);
        buf_printf(b, "<rect width=\"8\" height=\"8\" fill=\"%s\"/>", s->colour);
        const char *ink = s->ink;
        switch (s->hatch) {
        case 1:
            buf_printf(
                b, "<path d=\"M-2 2L2 -2M0 8L8 0M6 10L10 6\" stroke=\"%s\" stroke-width=\"1.4\"/>",
                ink);
            break;
        case 2:
            buf_printf(b,
                       "<circle cx=\"2\" cy=\"2\" r=\"1.3\" fill=\"%s\"/>"
                       "<circle cx=\"6\" cy=\"6\" r=\"1.3\" fill=\"%s\"/>",
                       ink, ink);
            break;
        case 3:
            buf_printf(b, "<path d=\"M0 2H8M0 6H8\" stroke=\"%s\" stroke-width=\"1.2\"/>", ink);
            break;
        case 4:
            buf_printf(b, "<path d=\"M0 0L8 8M8 0L0 8\" stroke=\"%s\" stroke-width=\"1\"/>", ink);
            break;
        case 5:
            buf_printf(
                b, "<path d=\"M-2 6L2 10M0 0L8 8M6 -2L10 2\" stroke=\"%s\" stroke-width=\"1.4\"/>",
                ink);
            break;
        case 6:
            buf_printf(b, "<path d=\"M2 0V8M6 0V8\" stroke=\"%s\" stroke-width=\"1.2\"/>", ink);
            break;
        case 7:
            buf_printf(b, "<path d=\"M0 4H8M4 0V8\" stroke=\"%s\" stroke-width=\"1\"/>", ink);
            break;
        default:
            break;
        }
        buf_puts(b, "</pattern>\n");
    }
    buf_puts(b, "</defs>\n");
}

static void put_fill(struct buf *b, const char *id, size_t i)
{
    /* A plain fill needs no pattern (whose tiles can show seams when a PDF
     * is rasterised). */
    if (i < N_STYLES && styles[i].hatch != 0) {
        buf_puts(b, "url(#");
        put_id(b, id);
        buf_printf(b, "-h%zu)", i);
    } else {
        buf_puts(b, styles[i % N_STYLES].colour);
    }
}

/* How many rows the legend needs across the chart's width. */
static int legend_rows(const struct chart *c)
{
    double x = MARGIN;
    int rows = 1;
    for (size_t i = 0; i < c->n_series; i++) {
        double w = 34 + text_width(c->series[i].label, 12) + 16;
        if (x > MARGIN && x + w > CHART_WIDTH - MARGIN) {
            rows++;
            x = MARGIN;
        }
        x += w;
    }
    return rows;
}

static void put_legend(struct buf *b, const struct frame *f)
{
    const struct chart *c = f->c;
    double x = MARGIN, y = f->leg_top;
    for (size_t i = 0; i < c->n_series; i++) {
        const struct style *s = &styles[i % N_STYLES];
        double w = 34 + text_width(c->series[i].label, 12) + 16;
        if (x > MARGIN && x + w > CHART_WIDTH - MARGIN) {
            y += LEG_ROW;
            x = MARGIN;
        }
        if (c->kind == CHART_STACKED) {
            buf_puts(b, "<rect x=\"");
            put_num(b, x + 6);
            buf_puts(b, "\" y=\"");
            put_num(b, y - 10);
            buf_puts(b, "\" width=\"16\" height=\"12\" fill=\"");
            put_fill(b, f->id, i);
            buf_puts(b, "\" stroke=\"#333\" stroke-width=\"0.5\"/>\n");
        } else {
            buf_puts(b, "<path d=\"M");
            put_num(b, x);
            buf_putc(b, ' ');
            put_num(b, y - 4);
            buf_puts(b, "H");
            put_num(b, x + 28);
            buf_printf(b, "\" stroke=\"%s\" stroke-width=\"2\" fill=\"none\"", s->colour);
            if (*s->dash)
                buf_printf(b, " stroke-dasharray=\"%s\"", s->dash);
            buf_puts(b, "/>\n");
            put_marker(b, s, x + 14, y - 4);
        }
        put_text(b, x + 34, y, "start", 12, 0, "#222", c->series[i].label);
        x += w;
    }
}

/* Horizontal grid lines with tick labels at the left of the plot. */
static void put_y_axis(struct buf *b, const struct frame *f, double left, double right, double top,
                       double bottom)
{
    for (int t = 0; t <= f->ax.n; t++) {
        double v = t * f->ax.step;
        double y = bottom - (bottom - top) * v / f->ax.max;
        buf_puts(b, "<path d=\"M");
        put_num(b, left);
        buf_putc(b, ' ');
        put_num(b, y);
        buf_puts(b, "H");
        put_num(b, right);
        buf_printf(b, "\" stroke=\"%s\" stroke-width=\"%s\"/>\n", t == 0 ? "#333" : "#d9d9d9",
                   t == 0 ? "1" : "0.7");
        char num[32];
        fmt_num(num, sizeof num, v);
        put_text(b, left - 6, y + 4, "end", 11, 0, "#333", num);
    }
}

/* Period labels under the plot, thinned so they do not overlap; the last
 * period is always labelled. */
static void put_x_labels(struct buf *b, const struct chart *c, double left, double right, double y)
{
    double band = (right - left) / (double)c->n_periods;
    double widest = 0;
    for (size_t i = 0; i < c->n_periods; i++) {
        double w = text_width(c->periods[i], 11) + 8;
        if (w > widest)
            widest = w;
    }
    size_t every = (size_t)ceil(widest / band);
    if (every < 1)
        every = 1;
    for (size_t i = 0; i < c->n_periods; i++) {
        if ((c->n_periods - 1 - i) % every != 0)
            continue;
        put_text(b, left + band * ((double)i + 0.5), y, "middle", 11, 0, "#333", c->periods[i]);
    }
}

static double x_of(double left, double right, size_t n, size_t i)
{
    return left + (right - left) / (double)n * ((double)i + 0.5);
}

static double y_of(const struct frame *f, double top, double bottom, double v)
{
    return bottom - (bottom - top) * v / f->ax.max;
}

/* One series as a line broken at gaps, with a marker on every value. */
static void put_line(struct buf *b, const struct frame *f, size_t si, double left, double right,
                     double top, double bottom)
{
    const struct chart *c = f->c;
    const struct style *s = &styles[si % N_STYLES];
    const double *v = c->series[si].values;
    int pen = 0, any = 0;
    for (size_t i = 0; i < c->n_periods; i++) {
        if (is_gap(v[i])) {
            pen = 0;
            continue;
        }
        if (!any)
            buf_puts(b, "<path d=\"");
        any = 1;
        buf_putc(b, pen ? 'L' : 'M');
        put_num(b, x_of(left, right, c->n_periods, i));
        buf_putc(b, ' ');
        put_num(b, y_of(f, top, bottom, v[i]));
        pen = 1;
    }
    if (any) {
        buf_printf(b, "\" stroke=\"%s\" stroke-width=\"2\" fill=\"none\" stroke-linejoin=\"round\"",
                   s->colour);
        if (*s->dash)
            buf_printf(b, " stroke-dasharray=\"%s\"", s->dash);
        buf_puts(b, "/>\n");
    }
    for (size_t i = 0; i < c->n_periods; i++)
        if (!is_gap(v[i]))
            put_marker(b, s, x_of(left, right, c->n_periods, i), y_of(f, top, bottom, v[i]));
}

/* ---- the three kinds -------------------------------------------------------- */

static void draw_line(struct buf *b, struct frame *f)
{
    put_y_axis(b, f, f->left, f->right, f->top, f->bottom);
    put_x_labels(b, f->c, f->left, f->right, f->bottom + 16);
    for (size_t si = 0; si < f->c->n_series; si++)
        put_line(b, f, si, f->left, f->right, f->top, f->bottom);
    put_legend(b, f);
}

static void draw_stacked(struct buf *b, struct frame *f)
{
    const struct chart *c = f->c;
    put_y_axis(b, f, f->left, f->right, f->top, f->bottom);
    put_x_labels(b, c, f->left, f->right, f->bottom + 16);
    double band = (f->right - f->left) / (double)c->n_periods;
    double bw = band * 0.7;
    for (size_t i = 0; i < c->n_periods; i++) {
        double x = f->left + band * (double)i + (band - bw) / 2, cum = 0;
        int gap = 0;
        for (size_t si = 0; si < c->n_series; si++) {
            double v = c->series[si].values[i];
            if (is_gap(v)) {
                gap = 1;
                continue;
            }
            if (v <= 0)
                continue;
            double y0 = y_of(f, f->top, f->bottom, cum), y1 = y_of(f, f->top, f->bottom, cum + v);
            buf_puts(b, "<rect x=\"");
            put_num(b, x);
            buf_puts(b, "\" y=\"");
            put_num(b, y1);
            buf_puts(b, "\" width=\"");
            put_num(b, bw);
            buf_puts(b, "\" height=\"");
            put_num(b, y0 - y1);
            buf_puts(b, "\" fill=\"");
            put_fill(b, f->id, si);
            buf_puts(b, "\" stroke=\"#ffffff\" stroke-width=\"0.6\"/>\n");
            cum += v;
        }
        char num[40];
        if (c->totals && !is_gap(c->totals[i]) && c->totals[i] >= cum)
            fmt_num(num, sizeof num, c->totals[i]); /* the published total */
        else if (gap && cum == 0)
            snprintf(num, sizeof num, "*");
        else {
            char digits[32];
            fmt_num(digits, sizeof digits, cum);
            snprintf(num, sizeof num, "%s%s", digits, gap ? "*" : "");
        }
        if (bw >= text_width(num, 10) - 4 || c->n_periods <= 12) {
            buf_puts(b, "<text class=\"total\" x=\"");
            put_num(b, x + bw / 2);
            buf_puts(b, "\" y=\"");
            put_num(b, y_of(f, f->top, f->bottom, cum) - 4);
            buf_printf(b, "\" font-size=\"10\" text-anchor=\"middle\" fill=\"#222\">%s</text>\n",
                       num);
        }
    }
    put_legend(b, f);
}

static void draw_multiples(struct buf *b, struct frame *f)
{
    const struct chart *c = f->c;
    size_t n = c->n_series;
    size_t cols = n <= 3 ? n : n == 4 ? 2 : 3;
    size_t rows = (n + cols - 1) / cols;
    double area_top = f->top - 8, area_bottom = f->bottom + 22;
    double pw = (CHART_WIDTH - 2 * MARGIN) / (double)cols;
    double ph = (area_bottom - area_top) / (double)rows;
    for (size_t si = 0; si < n; si++) {
        size_t col = si % cols, row = si / cols;
        double px = MARGIN + pw * (double)col, py = area_top + ph * (double)row;
        double left = px + f->left - MARGIN, right = px + pw - 10;
        double top = py + 28, bottom = py + ph - 22;
        put_text(b, px + 4, py + 13, "start", 12, 1, "#222", c->series[si].label);
        put_y_axis(b, f, left, right, top, bottom);
        put_text(b, x_of(left, right, c->n_periods, 0), bottom + 15, "middle", 10, 0, "#333",
                 c->periods[0]);
        if (c->n_periods > 1)
            put_text(b, x_of(left, right, c->n_periods, c->n_periods - 1), bottom + 15, "middle",
                     10, 0, "#333", c->periods[c->n_periods - 1]);
        put_line(b, f, si, left, right, top, bottom);
    }
}

/* ---- the document ------------------------------------------------------------ */

static void put_desc(struct buf *b, const struct chart *c)
{
    if (c->desc) {
        chart_xml_text(b, c->desc);
        return;
    }
    chart_xml_text(b, c->periods[0]);
    if (c->n_periods > 1) {
        buf_puts(b, " \xE2\x80\x93 ");
        chart_xml_text(b, c->periods[c->n_periods - 1]);
    }
    buf_puts(b, ". ");
    for (size_t si = 0; si < c->n_series; si++) {
        chart_xml_text(b, c->series[si].label);
        buf_puts(b, ": ");
        for (size_t i = 0; i < c->n_periods; i++) {
            double v = c->series[si].values[i];
            char num[32];
            if (is_gap(v))
                snprintf(num, sizeof num, "\xE2\x80\x93");
            else
                fmt_num(num, sizeof num, v);
            buf_printf(b, "%s%s", i ? ", " : "", num);
        }
        buf_puts(b, si + 1 < c->n_series ? "; " : ".");
    }
}

int chart_svg(struct buf *b, const struct chart *c)
{
    if (!c || c->n_periods == 0 || c->n_series == 0 || c->n_periods > CHART_MAX ||
        c->n_series > CHART_MAX || !c->periods || !c->series)
        return VIGIL_EINVAL;
    for (size_t si = 0; si < c->n_series; si++)
        if (!c->series[si].values)
            return VIGIL_EINVAL;

    struct frame f = {.c = c, .id = c->id && *c->id ? c->id : "chart"};

    /* The scale: the largest value, or the largest bar for stacked bars. */
    double hi = 0;
    for (size_t i = 0; i < c->n_periods; i++) {
        double sum = 0;
        for (size_t si = 0; si < c->n_series; si++) {
            double v = c->series[si].values[i];
            if (is_gap(v)) {
                f.any_gap = 1;
                continue;
            }
            if (!isfinite(v) || v < 0)
                return VIGIL_EINVAL;
            sum += v;
            if (v > hi)
                hi = v;
        }
        if (c->kind == CHART_STACKED && sum > hi)
            hi = sum;
    }
    chart_axis(hi, c->kind == CHART_MULTIPLES ? 3 : 5, &f.ax);

    char maxl[32];
    fmt_num(maxl, sizeof maxl, f.ax.max);
    double note_h = f.any_gap && c->gap_note ? NOTE_H : 0;
    f.leg_rows = c->kind == CHART_MULTIPLES ? 0 : legend_rows(c);
    double leg_h = f.leg_rows * LEG_ROW;
    f.leg_top = CHART_HEIGHT - 8 - note_h - leg_h + 12;
    f.left = MARGIN + text_width(maxl, 11) + 8;
    f.right = CHART_WIDTH - MARGIN;
    f.top = TITLE_Y + 24;
    f.bottom = CHART_HEIGHT - 8 - note_h - leg_h - 26;
    if (c->kind == CHART_STACKED)
        f.top += 6; /* room for the totals */

    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
               "height=\"%d\" role=\"img\" aria-labelledby=\"",
               CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT);
    put_id(b, f.id);
    buf_puts(b, "-title ");
    put_id(b, f.id);
    buf_printf(b, "-desc\" font-family=\"%s\" class=\"chart\">\n<title id=\"", FONT);
    put_id(b, f.id);
    buf_puts(b, "-title\">");
    chart_xml_text(b, c->title);
    buf_puts(b, "</title>\n<desc id=\"");
    put_id(b, f.id);
    buf_puts(b, "-desc\">");
    put_desc(b, c);
    buf_puts(b, "</desc>\n");
    if (c->kind == CHART_STACKED)
        put_patterns(b, f.id, c->n_series);
    buf_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", CHART_WIDTH,
               CHART_HEIGHT);
    put_text(b, MARGIN, TITLE_Y, "start", 16, 1, "#111", c->title);

    switch (c->kind) {
    case CHART_STACKED:
        draw_stacked(b, &f);
        break;
    case CHART_MULTIPLES:
        draw_multiples(b, &f);
        break;
    default:
        draw_line(b, &f);
    }
    if (note_h > 0) {
        struct buf note;
        buf_init(&note, 4096);
        if (c->kind == CHART_STACKED)
            buf_puts(&note, "* ");
        buf_puts(&note, c->gap_note);
        put_text(b, MARGIN, CHART_HEIGHT - 10, "start", 11, 0, "#444", buf_cstr(&note));
        buf_free(&note);
    }
    buf_puts(b, "</svg>\n");
    return buf_err(b);
}
