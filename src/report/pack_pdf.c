/* The pack as an A4 PDF: cairo's PDF surface, text laid out by pango in
 * Noto CJK (so Chinese, Portuguese and English all set, and stay text that
 * can be searched and copied), and the charts drawn from the very SVG the
 * HTML pack shows (chart.c) through librsvg; see pack.h. */
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include "report/chart.h"
#include "report/pack.h"
#include "util/err.h"
#include "web/i18n.h"

#define TR(s) pack_tr(d->p->lang, NC_("pack", s))

#define PAGE_W  595.28
#define PAGE_H  841.89
#define M_LEFT  50.0
#define M_RIGHT 50.0
#define M_TOP   56.0
#define M_BOT   64.0
#define TEXT_W  (PAGE_W - M_LEFT - M_RIGHT)
#define SANS    "Noto Sans CJK TC"
#define SERIF   "Noto Serif CJK TC"
#define PAD     3.5

struct pdf {
    const struct pack_ctx *p;
    const struct buf *out;
    cairo_surface_t *surface;
    cairo_t *cr;
    double y;
    int page;
    int failed;
};

enum { LEFT, RIGHT, CENTRE };
enum { F_NORMAL = 0, F_BOLD = 1, F_ITALIC = 2, F_SERIF = 4 };

/* Lay s out in a box of width w at (x, y) and return its height; draws only
 * when draw is set. */
static double text_at(struct pdf *d, double x, double y, double w, const char *s, double size,
                      int flags, int align, double grey, int draw)
{
    PangoLayout *l = pango_cairo_create_layout(d->cr);
    PangoFontDescription *f = pango_font_description_new();
    pango_font_description_set_family(f, flags & F_SERIF ? SERIF : SANS);
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    pango_font_description_set_weight(f, flags & F_BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    if (flags & F_ITALIC)
        pango_font_description_set_style(f, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(l, f);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align == RIGHT    ? PANGO_ALIGN_RIGHT
                                  : align == CENTRE ? PANGO_ALIGN_CENTER
                                                    : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, s ? s : "", -1);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    if (draw) {
        cairo_save(d->cr);
        cairo_set_source_rgb(d->cr, grey, grey, grey);
        cairo_move_to(d->cr, x, y);
        pango_cairo_show_layout(d->cr, l);
        cairo_restore(d->cr);
    }
    pango_font_description_free(f);
    g_object_unref(l);
    return (double)ph / PANGO_SCALE;
}

static void footer(struct pdf *d)
{
    char n[16];
    snprintf(n, sizeof n, "%d", d->page);
    char left[512];
    snprintf(left, sizeof left, "%s \xC2\xB7 %s", d->p->title, d->p->period_label);
    cairo_save(d->cr);
    cairo_set_source_rgb(d->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(d->cr, 0.5);
    cairo_move_to(d->cr, M_LEFT, PAGE_H - M_BOT + 18);
    cairo_line_to(d->cr, PAGE_W - M_RIGHT, PAGE_H - M_BOT + 18);
    cairo_stroke(d->cr);
    cairo_restore(d->cr);
    text_at(d, M_LEFT, PAGE_H - M_BOT + 24, TEXT_W - 40, left, 8, F_NORMAL, LEFT, 0.35, 1);
    text_at(d, M_LEFT, PAGE_H - M_BOT + 24, TEXT_W, n, 8, F_NORMAL, RIGHT, 0.35, 1);
}

static void new_page(struct pdf *d)
{
    if (d->page > 0)
        cairo_show_page(d->cr);
    d->page++;
    d->y = M_TOP;
    if (d->page > 1)
        footer(d);
}

/* Start a new page unless h more points fit on this one. */
static void need(struct pdf *d, double h)
{
    if (d->y + h > PAGE_H - M_BOT)
        new_page(d);
}

static void heading(struct pdf *d, const char *s, int level)
{
    double size = level == 1 ? 17 : 12.5;
    double h = text_at(d, M_LEFT, 0, TEXT_W, s, size, F_BOLD, LEFT, 0, 0);
    /* Keep a heading with what follows it. */
    need(d, h + (level == 1 ? 90 : 60));
    if (level == 1 && d->y > M_TOP)
        d->y += 10;
    text_at(d, M_LEFT, d->y, TEXT_W, s, size, F_BOLD, LEFT, 0.07, 1);
    d->y += h + 2;
    if (level == 1) {
        cairo_save(d->cr);
        cairo_set_source_rgb(d->cr, 0.106, 0.165, 0.286);
        cairo_set_line_width(d->cr, 1.5);
        cairo_move_to(d->cr, M_LEFT, d->y);
        cairo_line_to(d->cr, PAGE_W - M_RIGHT, d->y);
        cairo_stroke(d->cr);
        cairo_restore(d->cr);
        d->y += 8;
    } else {
        d->y += 2;
    }
}

static void para(struct pdf *d, const char *s, double size, int flags, double grey)
{
    double h = text_at(d, M_LEFT, 0, TEXT_W, s, size, flags, LEFT, grey, 0);
    need(d, h);
    text_at(d, M_LEFT, d->y, TEXT_W, s, size, flags, LEFT, grey, 1);
    d->y += h + 4;
}

/* ---- tables ---------------------------------------------------------------- */

#define MAX_COLS 12

struct table {
    int n;
    double w[MAX_COLS]; /* widths, summing to TEXT_W */
    int num[MAX_COLS];  /* right-aligned figures */
    const char *head[MAX_COLS];
    double size;
};

enum { ROW_PLAIN, ROW_HEAD, ROW_TOTAL, ROW_OVERDUE };

static double row_height(struct pdf *d, const struct table *t, const char *const *cells, int style)
{
    double h = 0;
    for (int c = 0; c < t->n; c++) {
        double ch = text_at(d, 0, 0, t->w[c] - 2 * PAD, cells[c], t->size,
                            style != ROW_PLAIN ? F_BOLD : F_NORMAL, LEFT, 0, 0);
        if (ch > h)
            h = ch;
    }
    return h + 2 * PAD;
}

static void draw_row(struct pdf *d, const struct table *t, const char *const *cells, int style,
                     double h)
{
    cairo_t *cr = d->cr;
    double x = M_LEFT;
    if (style == ROW_HEAD || style == ROW_OVERDUE) {
        cairo_save(cr);
        if (style == ROW_HEAD)
            cairo_set_source_rgb(cr, 0.91, 0.918, 0.937);
        else
            cairo_set_source_rgb(cr, 0.99, 0.91, 0.894);
        cairo_rectangle(cr, M_LEFT, d->y, TEXT_W, h);
        cairo_fill(cr);
        cairo_restore(cr);
    }
    for (int c = 0; c < t->n; c++) {
        int sup = t->num[c] && style != ROW_HEAD && strcmp(cells[c], PACK_SUPPRESSED) == 0;
        if (sup) {
            /* A suppressed figure: hatched, so it reads as such in grey print. */
            cairo_save(cr);
            cairo_rectangle(cr, x, d->y, t->w[c], h);
            cairo_clip(cr);
            cairo_set_source_rgb(cr, 0.82, 0.82, 0.82);
            cairo_set_line_width(cr, 0.6);
            for (double k = -h; k < t->w[c]; k += 5) {
                cairo_move_to(cr, x + k, d->y + h);
                cairo_line_to(cr, x + k + h, d->y);
            }
            cairo_stroke(cr);
            cairo_restore(cr);
        }
        int flags = style != ROW_PLAIN ? F_BOLD : sup ? F_ITALIC : F_NORMAL;
        text_at(d, x + PAD, d->y + PAD, t->w[c] - 2 * PAD, cells[c], t->size, flags,
                t->num[c] ? RIGHT : LEFT, sup ? 0.3 : 0.07, 1);
        x += t->w[c];
    }
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, style == ROW_TOTAL ? 1.2 : 0.4);
    cairo_move_to(cr, M_LEFT, style == ROW_TOTAL ? d->y : d->y + h);
    cairo_line_to(cr, PAGE_W - M_RIGHT, style == ROW_TOTAL ? d->y : d->y + h);
    cairo_stroke(cr);
    cairo_restore(cr);
    d->y += h;
}

static void table_head(struct pdf *d, const struct table *t)
{
    double h = row_height(d, t, t->head, ROW_HEAD);
    draw_row(d, t, t->head, ROW_HEAD, h);
}

/* A row, breaking the page (and repeating the header) when it does not fit. */
static void table_row(struct pdf *d, const struct table *t, const char *const *cells, int style)
{
    double h = row_height(d, t, cells, style);
    if (d->y + h > PAGE_H - M_BOT) {
        new_page(d);
        table_head(d, t);
    }
    draw_row(d, t, cells, style, h);
}

/* Start a table: its header must fit with at least two rows after it. */
static void table_start(struct pdf *d, const struct table *t)
{
    double h = row_height(d, t, t->head, ROW_HEAD);
    need(d, h + 40);
    table_head(d, t);
}

static void legend(struct pdf *d)
{
    char s[512];
    snprintf(s, sizeof s, "%s = %s. %s (k = %d)", PACK_SUPPRESSED, TR("Suppressed"),
             TR("Counts below k are suppressed, and so is any figure that would reveal them."),
             d->p->k);
    d->y += 3;
    para(d, s, 8.5, F_NORMAL, 0.3);
}

/* ---- the sections ------------------------------------------------------------- */

static void date_range(struct pdf *d, const json_t *period, char *out, size_t n)
{
    char a[48], c[48];
    pack_date(d->p, pack_str(period, "from"), a, sizeof a);
    pack_date(d->p, pack_str(period, "to"), c, sizeof c);
    snprintf(out, n, "%s \xE2\x80\x93 %s", a, c);
}

static void cover(struct pdf *d)
{
    const struct pack_ctx *p = d->p;
    cairo_t *cr = d->cr;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.106, 0.165, 0.286);
    cairo_rectangle(cr, 0, 0, PAGE_W, 14);
    cairo_fill(cr);
    cairo_restore(cr);
    d->y = 230;
    d->y += text_at(d, M_LEFT, d->y, TEXT_W, pack_tr(p->lang, "Anti-trafficking committee"), 14,
                    F_NORMAL, LEFT, 0.25, 1) +
            14;
    d->y += text_at(d, M_LEFT, d->y, TEXT_W, p->title, 28, F_SERIF | F_BOLD, LEFT, 0.05, 1) + 16;
    d->y += text_at(d, M_LEFT, d->y, TEXT_W, p->period_label, 20, F_NORMAL, LEFT, 0.1, 1) + 10;
    char line[512], range[128], gen[64];
    date_range(d, json_object_get(p->pack, "period"), range, sizeof range);
    snprintf(line, sizeof line, "%s: %s", TR("Period"), range);
    d->y += text_at(d, M_LEFT, d->y, TEXT_W, line, 11, F_NORMAL, LEFT, 0.2, 1) + 4;
    pack_date(p, p->generated_at, gen, sizeof gen);
    if (*gen) {
        snprintf(line, sizeof line, "%s: %s", TR("Generated on"), gen);
        d->y += text_at(d, M_LEFT, d->y, TEXT_W, line, 11, F_NORMAL, LEFT, 0.2, 1) + 4;
    }
    snprintf(line, sizeof line, "%s: %d", TR("Suppression threshold k"), p->k);
    d->y += text_at(d, M_LEFT, d->y, TEXT_W, line, 11, F_NORMAL, LEFT, 0.2, 1) + 4;
    snprintf(line, sizeof line, "%s %s", TR("Figures only: the pack holds no personal data."),
             TR("Counts below k are suppressed, and so is any figure that would reveal them."));
    double h = text_at(d, M_LEFT + 8, 0, TEXT_W - 16, line, 10, F_NORMAL, LEFT, 0, 0);
    double y = PAGE_H - 150;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 0.8);
    cairo_rectangle(cr, M_LEFT, y, TEXT_W, h + 16);
    cairo_stroke(cr);
    cairo_restore(cr);
    text_at(d, M_LEFT + 8, y + 8, TEXT_W - 16, line, 10, F_NORMAL, LEFT, 0.15, 1);
}

static void key_figures(struct pdf *d)
{
    struct pack_figure f[16];
    size_t n = pack_figures(d->p, f, 16);
    heading(d, TR("Key figures"), 1);
    if (n == 0) {
        para(d, "\xE2\x80\x94", 10, F_NORMAL, 0);
        return;
    }
    struct table t = {
        6,
        {TEXT_W * 0.28, TEXT_W * 0.12, TEXT_W * 0.12, TEXT_W * 0.16, TEXT_W * 0.16, TEXT_W * 0.16},
        {0, 1, 1, 1, 1, 1},
        {TR("Figure"), TR("This period"), TR("Previous period"), TR("Change"),
         TR("Same period a year earlier"), TR("Change")},
        9.5};
    table_start(d, &t);
    for (size_t i = 0; i < n; i++) {
        char v[48], pv[48], ya[48], c1[48], c2[48];
        pack_cell(f[i].value, v, sizeof v);
        pack_cell(f[i].previous, pv, sizeof pv);
        pack_cell(f[i].year_ago, ya, sizeof ya);
        pack_change(f[i].value, f[i].previous, c1, sizeof c1);
        pack_change(f[i].value, f[i].year_ago, c2, sizeof c2);
        const char *cells[] = {f[i].label, v, pv, c1, ya, c2};
        table_row(d, &t, cells, ROW_PLAIN);
    }
    char r1[128], r2[128], line[512];
    date_range(d, json_object_get(d->p->stats, "previous"), r1, sizeof r1);
    date_range(d, json_object_get(d->p->stats, "year_ago"), r2, sizeof r2);
    snprintf(line, sizeof line, "%s: %s Â· %s: %s", TR("Previous period"), r1,
             TR("Same period a year earlier"), r2);
    d->y += 4;
    para(d, line, 9, F_NORMAL, 0.2);
    const json_t *ns = json_object_get(d->p->stats, "suppressed");
    if (json_is_integer(ns)) {
        char s[128];
        snprintf(s, sizeof s, "%s: %lld", TR("Figures suppressed"),
                 (long long)json_integer_value(ns));
        para(d, s, 9, F_NORMAL, 0.2);
    }
    legend(d);
}

static int draw_svg(struct pdf *d, const struct buf *svg, double ratio);

static int chart(struct pdf *d, const json_t *trend, size_t i)
{
    char id[32];
    snprintf(id, sizeof id, "trend%zu", i);
    struct buf svg;
    buf_init(&svg, 1 << 20);
    int rc = pack_chart(d->p, trend, id, &svg);
    if (rc != VIGIL_OK) {
        buf_free(&svg);
        return rc == VIGIL_EINVAL ? VIGIL_OK : rc; /* an empty trend has no chart */
    }
    rc = draw_svg(d, &svg, (double)CHART_HEIGHT / CHART_WIDTH);
    buf_free(&svg);
    return rc;
}

/* Draw an SVG the width of the text at the ratio height/width. */
static int draw_svg(struct pdf *d, const struct buf *svg, double ratio)
{
    if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS || buf_err(d->out))
        return VIGIL_EIO; /* the output already failed; pack_pdf says why */
    GError *err = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg->p, svg->len, &err);
    if (!h) {
        g_clear_error(&err);
        return VIGIL_EIO;
    }
    double w = TEXT_W, ht = TEXT_W * ratio;
    need(d, ht + 12);
    RsvgRectangle vp = {M_LEFT, d->y, w, ht};
    gboolean ok = rsvg_handle_render_document(h, d->cr, &vp, &err);
    g_clear_error(&err);
    g_object_unref(h);
    d->y += ht + 14;
    return ok ? VIGIL_OK : VIGIL_EIO;
}

static int trends(struct pdf *d)
{
    const json_t *list = json_object_get(d->p->stats, "trends");
    if (json_array_size(list) == 0)
        return VIGIL_OK;
    new_page(d);
    heading(d, TR("Trends"), 1);
    size_t i;
    const json_t *t;
    json_array_foreach(list, i, t)
    {
        int rc = chart(d, t, i);
        if (rc != VIGIL_OK)
            return rc;
    }
    struct buf svg;
    buf_init(&svg, 1 << 20);
    int rc = VIGIL_OK;
    if (pack_tier_chart(d->p, &svg) == VIGIL_OK) {
        heading(d, i18n_get(d->p->lang, "TIP report"), 2);
        rc = draw_svg(d, &svg, 260.0 / CHART_WIDTH);
    }
    buf_free(&svg);
    return rc;
}

static void stats_table(struct pdf *d, const json_t *st)
{
    const struct pack_ctx *p = d->p;
    const char *id = pack_str(st, "id");
    const json_t *cols = json_object_get(st, "columns");
    size_t nc = json_array_size(cols);
    int single = nc == 1, sup = 0;
    if (nc == 0 || nc > MAX_COLS - 1)
        return;
    heading(d, pack_table_title(p->lang, id), 2);
    struct table t = {.size = 9};
    t.head[0] = TR("Item");
    if (single) {
        t.n = 6;
        double w[] = {0.30, 0.13, 0.15, 0.14, 0.15, 0.13};
        const char *h[] = {TR("This period"), TR("Previous period"), TR("Change"),
                           TR("Same period a year earlier"), TR("Change")};
        for (int c = 0; c < 6; c++) {
            t.w[c] = TEXT_W * w[c];
            t.num[c] = c > 0;
            if (c > 0)
                t.head[c] = h[c - 1];
        }
    } else {
        t.n = (int)nc + 1;
        double first = nc > 4 ? 0.25 : 0.34;
        t.w[0] = TEXT_W * first;
        for (size_t c = 0; c < nc; c++) {
            t.w[c + 1] = TEXT_W * (1 - first) / (double)nc;
            t.num[c + 1] = 1;
            t.head[c + 1] =
                pack_column_label(p->lang, id, json_string_value(json_array_get(cols, c)));
        }
    }
    table_start(d, &t);
    const json_t *rows = json_object_get(st, "rows");
    size_t nr = json_array_size(rows);
    char cells[MAX_COLS][48];
    const char *cp[MAX_COLS];
    for (size_t r = 0; r <= nr; r++) {
        const json_t *row = r < nr ? json_array_get(rows, r) : json_object_get(st, "total");
        if (!json_is_object(row))
            continue;
        const json_t *v = json_object_get(row, "values");
        cp[0] = r < nr ? pack_row_label(p->lang, id, pack_str(row, "key")) : TR("Total");
        if (single) {
            const json_t *x = json_array_get(v, 0);
            const json_t *pv = json_array_get(json_object_get(row, "previous"), 0);
            const json_t *ya = json_array_get(json_object_get(row, "year_ago"), 0);
            pack_cell(x, cells[1], sizeof cells[1]);
            pack_cell(pv, cells[2], sizeof cells[2]);
            pack_change(x, pv, cells[3], sizeof cells[3]);
            pack_cell(ya, cells[4], sizeof cells[4]);
            pack_change(x, ya, cells[5], sizeof cells[5]);
            sup |= pack_is_suppressed(x) || pack_is_suppressed(pv) || pack_is_suppressed(ya);
        } else {
            for (size_t c = 0; c < nc; c++) {
                const json_t *x = json_array_get(v, c);
                pack_cell(x, cells[c + 1], sizeof cells[c + 1]);
                sup |= pack_is_suppressed(x);
            }
        }
        for (int c = 1; c < t.n; c++)
            cp[c] = cells[c];
        table_row(d, &t, cp, r < nr ? ROW_PLAIN : ROW_TOTAL);
    }
    if (sup)
        legend(d);
    d->y += 8;
}

static void tables(struct pdf *d)
{
    const json_t *list[64];
    size_t n = pack_tables(d->p, list, 64);
    if (n == 0)
        return;
    new_page(d);
    heading(d, TR("Tables"), 1);
    for (size_t i = 0; i < n; i++)
        stats_table(d, list[i]);
}

static void measures(struct pdf *d)
{
    const json_t *list = json_object_get(d->p->pack, "measures");
    if (!list)
        return;
    new_page(d);
    heading(d, TR("Measures"), 1);
    if (json_array_size(list) == 0) {
        para(d, TR("No measures."), 10, F_NORMAL, 0);
        return;
    }
    struct table t = {5,
                      {TEXT_W * 0.33, TEXT_W * 0.11, TEXT_W * 0.16, TEXT_W * 0.12, TEXT_W * 0.28},
                      {0},
                      {TR("Measure"), TR("Owner"), TR("Due"), TR("State"), TR("Last update")},
                      9};
    table_start(d, &t);
    size_t i;
    const json_t *m;
    json_array_foreach(list, i, m)
    {
        int late = pack_overdue(d->p, m);
        char due[128], upd[48], last[1024] = "";
        pack_date(d->p, pack_str(m, "due_on"), upd, sizeof upd);
        if (late)
            snprintf(due, sizeof due, "%s\n\xE2\x96\xB2 %s", upd, TR("Overdue"));
        else
            snprintf(due, sizeof due, "%s", upd);
        const json_t *lu = json_object_get(m, "last_update");
        if (json_is_object(lu)) {
            pack_date(d->p, pack_str(lu, "updated_on"), upd, sizeof upd);
            snprintf(last, sizeof last, "%s: %s", upd, pack_str(lu, "note"));
        }
        const char *cells[] = {pack_str(m, "title"), pack_str(m, "owner"), due,
                               pack_state_label(d->p->lang, pack_str(m, "state")), last};
        table_row(d, &t, cells, late ? ROW_OVERDUE : ROW_PLAIN);
    }
}

static void activities(struct pdf *d)
{
    const json_t *list = json_object_get(d->p->pack, "activities");
    if (!list)
        return;
    d->y += 12;
    heading(d, TR("Activities of the period"), 1);
    if (json_array_size(list) == 0) {
        para(d, TR("No activities in this period."), 10, F_NORMAL, 0);
        return;
    }
    struct table t = {8,
                      {TEXT_W * 0.15, TEXT_W * 0.09, TEXT_W * 0.08, TEXT_W * 0.24, TEXT_W * 0.08,
                       TEXT_W * 0.12, TEXT_W * 0.12, TEXT_W * 0.12},
                      {0, 0, 0, 0, 1, 1, 1, 1},
                      {TR("Date"), TR("Kind"), TR("Organisation"), TR("Title"), TR("Sites"),
                       TR("Workers reached"), TR("Officials trained"), TR("People reached")},
                      8.5};
    table_start(d, &t);
    size_t i;
    const json_t *a;
    json_array_foreach(list, i, a)
    {
        char date[48], n[4][32];
        pack_date(d->p, pack_str(a, "held_on"), date, sizeof date);
        static const char *const nums[] = {"sites", "workers_reached", "officials_trained",
                                           "people_reached"};
        for (int k = 0; k < 4; k++)
            pack_cell(json_object_get(a, nums[k]), n[k], sizeof n[k]);
        const char *cells[] = {date,
                               pack_kind_label(d->p->lang, pack_str(a, "kind")),
                               pack_str(a, "org"),
                               pack_str(a, "title"),
                               n[0],
                               n[1],
                               n[2],
                               n[3]};
        table_row(d, &t, cells, ROW_PLAIN);
    }
}

static void text_list(struct pdf *d, const json_t *l)
{
    if (json_array_size(l) == 0) {
        para(d, "\xE2\x80\x94", 10, F_NORMAL, 0);
        return;
    }
    size_t i;
    const json_t *s;
    json_array_foreach(l, i, s)
    {
        char line[4096];
        snprintf(line, sizeof line, "%zu. %s", i + 1,
                 json_string_value(s) ? json_string_value(s) : "");
        para(d, line, 10, F_NORMAL, 0.07);
    }
}

static void meeting(struct pdf *d)
{
    if (!json_object_get(d->p->pack, "meeting"))
        return;
    const json_t *m = json_object_get(d->p->pack, "meeting");
    d->y += 12;
    heading(d, TR("The meeting"), 1);
    if (!json_is_object(m)) {
        para(d, TR("No meeting was held in this period."), 10, F_NORMAL, 0);
        return;
    }
    char date[48], line[2048];
    pack_date(d->p, pack_str(m, "held_on"), date, sizeof date);
    snprintf(line, sizeof line, "%s \xC2\xB7 %s \xC2\xB7 %s", pack_str(m, "title"), date,
             pack_state_label(d->p->lang, pack_str(m, "state")));
    para(d, line, 11, F_BOLD, 0.07);
    struct buf att;
    buf_init(&att, 8192);
    buf_printf(&att, "%s: ", TR("Attendees"));
    size_t i;
    const json_t *a;
    json_array_foreach(json_object_get(m, "attendees"), i, a)
    {
        if (json_is_string(a))
            buf_printf(&att, "%s%s", i ? ", " : "", json_string_value(a));
    }
    para(d, buf_cstr(&att), 10, F_NORMAL, 0.07);
    buf_free(&att);
    heading(d, TR("Agenda"), 2);
    text_list(d, json_object_get(m, "agenda"));
    heading(d, TR("Decisions"), 2);
    text_list(d, json_object_get(m, "decisions"));
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_add(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int pack_pdf(const json_t *pack, struct buf *out)
{
    struct pack_ctx p;
    int rc = pack_check(pack, &p, NULL, 0);
    if (rc != VIGIL_OK)
        return rc;
    struct pdf d = {.p = &p, .out = out};
    d.surface = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
    if (cairo_surface_status(d.surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(d.surface);
        return VIGIL_EIO;
    }
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_TITLE, p.title);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_CREATOR, "vigil");
    d.cr = cairo_create(d.surface);

    new_page(&d);
    cover(&d);
    new_page(&d);
    key_figures(&d);
    rc = trends(&d);
    if (rc == VIGIL_OK) {
        tables(&d);
        measures(&d);
        activities(&d);
        meeting(&d);
    }
    cairo_show_page(d.cr);
    cairo_destroy(d.cr);
    cairo_surface_finish(d.surface);
    cairo_status_t st = cairo_surface_status(d.surface);
    cairo_surface_destroy(d.surface);
    if (buf_err(out))
        return buf_err(out);
    if (rc != VIGIL_OK)
        return rc;
    return st == CAIRO_STATUS_SUCCESS ? VIGIL_OK : VIGIL_EIO;
}
