/*
 * The committee's packs — the monthly plenary pack and the annual TIP data
 * pack — as one JSON model rendered three ways: a printable HTML page
 * (pack_html.c), an A4 PDF (pack_pdf.c, cairo + pango, charts drawn from
 * the same SVG through librsvg) and an XLSX workbook (pack_xlsx.c,
 * libxlsxwriter). plenary.c and tip.c build the model from the store; the
 * renderers only read it, so every figure comes from stats_compute().
 *
 * The pack model:
 *
 *   {"kind": "plenary" | "tip",
 *    "lang": "zh-Hant" | "pt" | "en",         the language of every label
 *    "title": "...",                          optional; default by kind
 *    "period": {"from":"2026-10-01", "to":"2026-10-31",
 *               "label":"2026年10月"},         label optional (default from-to)
 *    "generated_at": "2026-11-02T09:00:00Z",
 *    "k": 3,                                  the suppression threshold used
 *    "stats": {...},                          stats_compute()'s object as is
 *                                             (report/stats.h): tables with
 *                                             null = suppressed, and trends
 *    "measures": [MEASURE...],                optional: store measure objects
 *                                             (store.h); "overdue":true on one,
 *                                             or its id in "overdue", marks it
 *    "overdue": [id | {"id":..}...],          optional
 *    "activities": [ACTIVITY...],             optional: store activity objects
 *    "meeting": MEETING | null,               optional: store meeting object
 *    "tiers": [{"year":2025,"tier":"tier2"}...]}  optional: the TIP report's
 *                                             tier by year, oldest first
 *
 * A section whose member is absent is left out (the TIP pack has no
 * measures or meeting); a present but empty list says "none". Free text
 * (titles, notes) is the store's and is escaped by each renderer. Labels
 * are gettext msgids with the context "pack" (NC_ below), so the packs'
 * short words ("Open", "Total") never clash with the same words elsewhere.
 */
#ifndef VIGIL_PACK_H
#define VIGIL_PACK_H

#include <stddef.h>
#include <jansson.h>

#include "util/buf.h"

/* Render pack (checked first with pack_check) as format "html", "pdf",
 * "xlsx" or "json" (the model itself) into out. VIGIL_EINVAL with msg
 * naming the member for a bad model or format; VIGIL_EIO when a library
 * fails; VIGIL_ETOOBIG past out's limit. */
int pack_render(const json_t *pack, const char *format, struct buf *out, char *msg, size_t n);

int pack_html(const json_t *pack, struct buf *out);
int pack_pdf(const json_t *pack, struct buf *out);
int pack_xlsx(const json_t *pack, struct buf *out);

/* The content type and file extension of a format (NULL for an unknown one). */
const char *pack_content_type(const char *format);

/* ---- shared by the renderers ---------------------------------------------- */

/* A msgid with a gettext context, as glib's NC_: xgettext --keyword=NC_:1c,2. */
#define NC_(c, s) (c "\004" s)

/* The translation of msgid (which may carry a context) into lang; without
 * one, the msgid (without its context). */
const char *pack_tr(int lang, const char *msgid);

/* The i-th msgid the packs use, or NULL past the last: for the test that
 * every one is translated. */
const char *pack_msgid(size_t i);

enum pack_kind { PACK_PLENARY, PACK_TIP };

/* What every renderer reads from a checked model; the pointers are into it. */
struct pack_ctx {
    const json_t *pack, *stats;
    int lang, kind, k;
    const char *title, *period_label, *from, *to, *generated_at;
    char period_buf[128];
};

/* Check the model and fill p. VIGIL_EINVAL with msg naming the member. */
int pack_check(const json_t *pack, struct pack_ctx *p, char *msg, size_t n);

/* The stats tables in the order the pack shows them (known ids first, in
 * the kind's order, then any others as given). Returns how many. */
size_t pack_tables(const struct pack_ctx *p, const json_t **out, size_t max);
const char *pack_table_title(int lang, const char *id);
const char *pack_column_label(int lang, const char *table, const char *col);
/* A row key in words where it is a vigil or HTCDS code; otherwise the key
 * itself (organisation codes, countries, statutes, age bands). */
const char *pack_row_label(int lang, const char *table, const char *key);
const char *pack_trend_title(int lang, const char *id);
const char *pack_series_label(int lang, const char *trend, const char *key);
/* Measure and meeting states, activity kinds. */
const char *pack_state_label(int lang, const char *state);
const char *pack_kind_label(int lang, const char *kind);

/* The mark written for a suppressed (null) figure. */
#define PACK_SUPPRESSED "x"
/* A figure: the integer, PACK_SUPPRESSED for null, "" when absent. */
void pack_cell(const json_t *v, char *out, size_t n);
/* 1 when v is null (suppressed). */
int pack_is_suppressed(const json_t *v);
/* The change from w to v: "+3 (+12%)", "-2 (-40%)", "0", "+4" (from 0);
 * "" when either is suppressed or absent. */
void pack_change(const json_t *v, const json_t *w, char *out, size_t n);

/* The headline figures of the period with their comparisons. */
struct pack_figure {
    const char *label; /* translated */
    const json_t *value, *previous, *year_ago;
};
size_t pack_figures(const struct pack_ctx *p, struct pack_figure *out, size_t max);

/* The chart of a stats trend (the kind chosen by its id) as SVG, labelled
 * in lang; id prefixes the ids inside it. VIGIL_EINVAL for an empty trend.
 * The /stats page draws its trends with it too. */
int pack_trend_chart(int lang, const json_t *trend, const char *id, struct buf *svg);
int pack_chart(const struct pack_ctx *p, const json_t *trend, const char *id, struct buf *svg);

/* The chart of the model's "tiers" as SVG; VIGIL_EINVAL when it has none. */
int pack_tier_chart(const struct pack_ctx *p, struct buf *svg);

/* 1 when the model marks the measure overdue. */
int pack_overdue(const struct pack_ctx *p, const json_t *measure);

/* A date or timestamp written the language's way. */
void pack_date(const struct pack_ctx *p, const char *iso, char *out, size_t n);

/* A string member of o, or "" (never NULL). */
const char *pack_str(const json_t *o, const char *key);

#endif
