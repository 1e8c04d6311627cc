/*
 * The draft response to a TIP report (tipresponse.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/tipreport.h"
#include "report/stats.h"
#include "report/tipresponse.h"
#include "store/store.h"
#include "util/err.h"
#include "util/timeutil.h"
#include "web/i18n.h"

static const char *suffix(int lang)
{
    return lang == LANG_PT ? "pt" : lang == LANG_EN ? "en" : "zh";
}

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* The text of key in lang ("text" → "text_zh"), else the English. *fallback
 * says the English was taken. */
static const char *in_lang(json_t *o, const char *key, int lang, int *fallback)
{
    char k[32];
    snprintf(k, sizeof k, "%s_%s", key, suffix(lang));
    const char *v = str(o, k);
    *fallback = 0;
    if (!*v && lang != LANG_EN) {
        snprintf(k, sizeof k, "%s_en", key);
        v = str(o, k);
        *fallback = *v != '\0';
    }
    return v;
}

static void block(json_t *blocks, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void block(json_t *blocks, const char *kind, const char *fmt, ...)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (!buf_err(&b))
        json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", kind, "text", buf_cstr(&b)));
    buf_free(&b);
}

static const char *tier_label(int lang, const char *tier)
{
    static const struct {
        const char *tier, *label;
    } t[] = {
        {"tier1", N_("Tier 1")},
        {"tier2", N_("Tier 2")},
        {"tier2_watch", N_("the Tier 2 Watch List")},
        {"tier3", N_("Tier 3")},
        {"special_case", N_("Special Case")},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].tier, tier) == 0)
            return i18n_get(lang, t[i].label);
    return tier;
}

const char *tipresponse_state_label(int lang, const char *state)
{
    static const struct {
        const char *state, *label;
    } t[] = {
        {"not_started", N_("Not started")},
        {"in_progress", N_("In progress")},
        {"met", N_("Met")},
        {"disputed", N_("Disputed")},
        {"open", N_("Open")},
        {"done", N_("Done")},
        {"dropped", N_("Dropped")},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].state, state) == 0)
            return i18n_get(lang, t[i].label);
    return state;
}

/* ---- figures ------------------------------------------------------------------ */

int tipresponse_figure_in(json_t *stats, const char *table, const char *row, const char *column,
                          long long *value, int *suppressed)
{
    *value = 0;
    *suppressed = 0;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(stats, "tables"), i, t)
    {
        if (strcmp(str(t, "id"), table) != 0)
            continue;
        json_t *cols = json_object_get(t, "columns");
        size_t c, nc = json_array_size(cols), col = nc;
        for (c = 0; c < nc; c++)
            if (strcmp(json_string_value(json_array_get(cols, c)), column) == 0)
                col = c;
        if (col == nc && nc == 1 && strcmp(column, "count") == 0)
            col = 0;
        if (col == nc)
            return VIGIL_EINVAL;
        json_t *vals = NULL;
        if (strcmp(row, "total") == 0) {
            vals = json_object_get(json_object_get(t, "total"), "values");
        } else {
            size_t j;
            json_t *rw;
            json_array_foreach(json_object_get(t, "rows"), j,
                               rw) if (strcmp(str(rw, "key"), row) == 0) vals =
                json_object_get(rw, "values");
        }
        json_t *v = json_array_get(vals, col);
        if (vals && json_is_null(v))
            *suppressed = 1;
        else if (json_is_integer(v))
            *value = json_integer_value(v);
        return VIGIL_OK;
    }
    return VIGIL_EINVAL;
}

int tipresponse_figure(struct store *st, const char *table, const char *row, const char *column,
                       const char *from, const char *to, int k, long long *value, int *suppressed)
{
    struct stats_query q = {.from = from, .to = to, .k = k, .trend_years = 1};
    json_t *stats = NULL;
    int rc = stats_compute(st, &q, &stats);
    if (rc)
        return rc;
    rc = tipresponse_figure_in(stats, table, row, column, value, suppressed);
    json_decref(stats);
    return rc;
}

/* ---- the draft ------------------------------------------------------------------ */

struct periods {
    char tip_from[11], tip_to[11], year_from[11], year_to[11];
    json_t *tip, *year; /* statistics of each, computed when first needed */
};

static json_t *stats_of(struct store *st, struct periods *p, int year_period, int k)
{
    json_t **slot = year_period ? &p->year : &p->tip;
    if (!*slot) {
        struct stats_query q = {.from = year_period ? p->year_from : p->tip_from,
                                .to = year_period ? p->year_to : p->tip_to,
                                .k = k,
                                .trend_years = 1};
        if (stats_compute(st, &q, slot))
            *slot = NULL;
    }
    return *slot;
}

static void add_measure(json_t *blocks, int lang, json_t *m)
{
    const char *note = str(m, "last_note");
    const char *when = *str(m, "done_on") ? str(m, "done_on") : str(m, "due_on");
    char date[64];
    i18n_date(lang, when, date, sizeof date);
    block(blocks, "li", "%s — %s (%s, %s %s)%s%s", str(m, "title"),
          tipresponse_state_label(lang, str(m, "state")), str(m, "owner"),
          *str(m, "done_on") ? i18n_get(lang, "done on") : i18n_get(lang, "due"), date,
          *note ? ": " : "", note);
}

int tipresponse_build(struct store *st, int year, int lang, int k, json_t **out, char *err,
                      size_t errlen)
{
    *out = NULL;
    json_t *rep = NULL, *recs = NULL, *measures = NULL;
    int rc = store_tipreport_by_year(st, year, &rep);
    if (rc) {
        snprintf(err, errlen,
                 rc == VIGIL_ENOTFOUND ? "no TIP report is recorded for %d"
                                       : "cannot read the "
                                         "TIP report of %d",
                 year);
        return rc;
    }
    if ((rc = store_recommendation_list(st, json_integer_value(json_object_get(rep, "id")),
                                        &recs)) ||
        (rc = store_measure_list(st, NULL, NULL, &measures))) {
        snprintf(err, errlen, "cannot read the recommendations and measures: %s", store_errmsg(st));
        json_decref(rep);
        json_decref(recs);
        return rc;
    }
    struct periods p = {0};
    snprintf(p.tip_from, sizeof p.tip_from, "%s", str(rep, "period_from"));
    snprintf(p.tip_to, sizeof p.tip_to, "%s", str(rep, "period_to"));
    unsigned prev = (unsigned)(year - 1) % 10000u;
    snprintf(p.year_from, sizeof p.year_from, "%04u-01-01", prev);
    snprintf(p.year_to, sizeof p.year_to, "%04u-12-31", prev);

    json_t *blocks = json_array();
    char title[256], d1[64], d2[64], today[11];
    snprintf(title, sizeof title,
             i18n_get(lang, "Response to the %d Trafficking in Persons Report"), year);
    block(blocks, "h1", "%s", title);
    time_date(time_now(), today);
    i18n_date(lang, today, d1, sizeof d1);
    block(blocks, "note",
          i18n_get(lang, "Draft prepared by vigil on %s from the committee's "
                         "records. Edit it before it is published."),
          d1);
    i18n_date(lang, p.tip_from, d1, sizeof d1);
    i18n_date(lang, p.tip_to, d2, sizeof d2);
    block(blocks, "p",
          i18n_get(lang, "The report placed the jurisdiction on %s. Its reporting period ran from "
                         "%s to %s. Figures below come from the committee's live records; counts "
                         "below %d are not shown, to protect the persons behind them."),
          tier_label(lang, str(rep, "tier")), d1, d2, k);

    size_t i;
    json_t *r;
    json_array_foreach(recs, i, r)
    {
        int fb = 0;
        const char *state =
            recommendation_state(json_string_value(json_object_get(r, "assessment")),
                                 (int)json_integer_value(json_object_get(r, "measures_total")),
                                 (int)json_integer_value(json_object_get(r, "measures_begun")),
                                 (int)json_integer_value(json_object_get(r, "measures_done")));
        block(blocks, "h2", "%s %d", i18n_get(lang, "Recommendation"),
              (int)json_integer_value(json_object_get(r, "seq")));
        const char *text = in_lang(r, "text", lang, &fb);
        block(blocks, "p", "%s%s", text, fb ? i18n_get(lang, " (the report's English text)") : "");
        block(blocks, "p", "%s: %s", i18n_get(lang, "State"), tipresponse_state_label(lang, state));
        block(blocks, "h3", "%s", i18n_get(lang, "Actions taken"));
        size_t j;
        json_t *m;
        json_array_foreach(json_object_get(r, "measures"), j, m) add_measure(blocks, lang, m);
        if (json_array_size(json_object_get(r, "measures")) == 0)
            block(blocks, "li", "%s", i18n_get(lang, "No measure answers it yet."));
        json_t *figs = json_object_get(r, "figures");
        if (json_array_size(figs)) {
            block(blocks, "h3", "%s", i18n_get(lang, "Figures"));
            json_t *f;
            json_array_foreach(figs, j, f)
            {
                int year_period = strcmp(str(f, "period"), "year") == 0;
                json_t *stats = stats_of(st, &p, year_period, k);
                long long v = 0;
                int sup = 0;
                int frc = stats ? tipresponse_figure_in(stats, str(f, "table"), str(f, "row"),
                                                        str(f, "column"), &v, &sup)
                                : VIGIL_EIO;
                const char *label = in_lang(f, "label", lang, &fb);
                char when[160];
                if (year_period)
                    snprintf(when, sizeof when, "%d", year - 1);
                else
                    snprintf(when, sizeof when, "%s – %s", d1, d2);
                if (frc)
                    block(blocks, "li", "%s (%s): %s", label, when,
                          i18n_get(lang, "not available"));
                else if (sup)
                    block(blocks, "li", i18n_get(lang, "%s (%s): fewer than %d (suppressed)"),
                          label, when, k);
                else
                    block(blocks, "li", i18n_get(lang, "%s (%s): %lld"), label, when, v);
            }
        }
        const char *pos = in_lang(r, "position", lang, &fb);
        if (*pos || strcmp(state, "disputed") == 0) {
            block(blocks, "h3", "%s", i18n_get(lang, "The committee's position"));
            block(blocks, "p", "%s",
                  *pos ? pos
                       : i18n_get(lang, "The committee disputes this "
                                        "recommendation."));
        }
    }
    int fb = 0;
    const char *notes = in_lang(rep, "notes", lang, &fb);
    if (*notes) {
        block(blocks, "h2", "%s", i18n_get(lang, "Where the report is mistaken"));
        block(blocks, "p", "%s", notes);
    }
    block(blocks, "h2", "%s", i18n_get(lang, "The work continues"));
    size_t open = 0;
    json_t *m;
    json_array_foreach(measures, i, m)
    {
        const char *s = str(m, "state");
        if (strcmp(s, "open") && strcmp(s, "in_progress"))
            continue;
        add_measure(blocks, lang, m);
        open++;
    }
    if (open == 0)
        block(blocks, "p", "%s", i18n_get(lang, "Every measure the committee introduced is done."));
    *out = json_pack("{s:i, s:s, s:s, s:o}", "year", year, "lang", i18n_code(lang), "title", title,
                     "blocks", blocks);
    json_decref(p.tip);
    json_decref(p.year);
    json_decref(rep);
    json_decref(recs);
    json_decref(measures);
    return VIGIL_OK;
}

/* ---- rendering ----------------------------------------------------------------- */

int tipresponse_txt(json_t *doc, struct buf *out)
{
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(doc, "blocks"), i, b)
    {
        const char *k = str(b, "kind"), *t = str(b, "text");
        if (strcmp(k, "h1") == 0)
            buf_printf(out, "%s\n\n", t);
        else if (strcmp(k, "h2") == 0)
            buf_printf(out, "\n%s\n\n", t);
        else if (strcmp(k, "h3") == 0)
            buf_printf(out, "%s:\n", t);
        else if (strcmp(k, "li") == 0)
            buf_printf(out, "  - %s\n", t);
        else
            buf_printf(out, "%s\n\n", t);
    }
    return buf_err(out);
}

static void html_text(struct buf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            buf_puts(out, "&lt;");
            break;
        case '>':
            buf_puts(out, "&gt;");
            break;
        case '&':
            buf_puts(out, "&amp;");
            break;
        case '"':
            buf_puts(out, "&quot;");
            break;
        default:
            buf_putc(out, *s);
        }
    }
}

int tipresponse_html(json_t *doc, struct buf *out)
{
    buf_puts(out, "<!DOCTYPE html>\n<html lang=\"");
    html_text(out, str(doc, "lang"));
    buf_puts(out, "\"><head><meta charset=\"utf-8\"><title>");
    html_text(out, str(doc, "title"));
    buf_puts(out, "</title><style>body{font-family:\"Noto Sans CJK TC\",\"Noto Sans\",sans-serif;"
                  "max-width:48em;margin:2em auto;line-height:1.5;color:#111}"
                  "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid "
                  "#999}h3{font-size:1em;margin-bottom:.2em}.note{color:#555;font-style:italic}"
                  "</style></head><body>\n");
    size_t i;
    json_t *b;
    int in_list = 0;
    json_array_foreach(json_object_get(doc, "blocks"), i, b)
    {
        const char *k = str(b, "kind");
        int li = strcmp(k, "li") == 0;
        if (li && !in_list)
            buf_puts(out, "<ul>\n");
        if (!li && in_list)
            buf_puts(out, "</ul>\n");
        in_list = li;
        if (strcmp(k, "note") == 0)
            buf_puts(out, "<p class=\"note\">");
        else
            buf_printf(out, "<%s>", k);
        html_text(out, str(b, "text"));
        buf_printf(out, "</%s>\n", strcmp(k, "note") == 0 ? "p" : k);
    }
    if (in_list)
        buf_puts(out, "</ul>\n");
    buf_puts(out, "</body></html>\n");
    return buf_err(out);
}

/* A4 in points, and the margins. */
#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 56.0

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int n)
{
    return buf_add(closure, data, n) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static int render_pdf(json_t *doc, cairo_surface_t *s);

int tipresponse_pdf(json_t *doc, const char *path, char *err, size_t errlen)
{
    struct buf b;
    buf_init(&b, 64u << 20);
    int rc = tipresponse_pdf_buf(doc, &b);
    FILE *f = rc ? NULL : fopen(path, "wb");
    if (!rc && (!f || fwrite(b.p, 1, buf_len(&b), f) != buf_len(&b)))
        rc = VIGIL_EIO;
    if (f && fclose(f))
        rc = VIGIL_EIO;
    buf_free(&b);
    if (rc)
        snprintf(err, errlen, "cannot write %s", path);
    return rc;
}

int tipresponse_pdf_buf(json_t *doc, struct buf *out)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return VIGIL_ENOMEM;
    }
    return render_pdf(doc, s);
}

static int render_pdf(json_t *doc, cairo_surface_t *s)
{
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, str(doc, "title"));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "vigil");
    cairo_t *cr = cairo_create(s);
    PangoLayout *lay = pango_cairo_create_layout(cr);
    pango_layout_set_width(lay, (int)((PAGE_W - 2 * MARGIN) * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    double y = MARGIN;
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(doc, "blocks"), i, b)
    {
        const char *k = str(b, "kind");
        const char *font = "Noto Sans CJK TC 10.5";
        double before = 4, indent = 0;
        char text[4200];
        snprintf(text, sizeof text, "%s", str(b, "text"));
        if (strcmp(k, "h1") == 0) {
            font = "Noto Sans CJK TC Bold 18";
            before = 0;
        } else if (strcmp(k, "h2") == 0) {
            font = "Noto Sans CJK TC Bold 13.5";
            before = 14;
        } else if (strcmp(k, "h3") == 0) {
            font = "Noto Sans CJK TC Bold 10.5";
            before = 8;
        } else if (strcmp(k, "li") == 0) {
            indent = 14;
            snprintf(text, sizeof text, "• %s", str(b, "text"));
        } else if (strcmp(k, "note") == 0) {
            font = "Noto Sans CJK TC Italic 9";
        }
        PangoFontDescription *fd = pango_font_description_from_string(font);
        pango_layout_set_font_description(lay, fd);
        pango_font_description_free(fd);
        pango_layout_set_width(lay, (int)((PAGE_W - 2 * MARGIN - indent) * PANGO_SCALE));
        pango_layout_set_text(lay, text, -1);
        int w, h;
        pango_layout_get_size(lay, &w, &h);
        double height = (double)h / PANGO_SCALE;
        if (y + before + height > PAGE_H - MARGIN && y > MARGIN) {
            cairo_show_page(cr);
            y = MARGIN;
            before = 0;
        }
        y += before;
        cairo_set_source_rgb(cr, 0.07, 0.07, 0.07);
        cairo_move_to(cr, MARGIN + indent, y);
        pango_cairo_show_layout(cr, lay);
        y += height + 4;
    }
    g_object_unref(lay);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return bad ? VIGIL_EIO : VIGIL_OK;
}
