/* The pack model: checking it, its labels in three languages, and the
 * pieces every renderer shares (figures, changes, charts); see pack.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/htcds.h"
#include "report/chart.h"
#include "report/chart_tier.h"
#include "report/pack.h"
#include "util/err.h"
#include "web/i18n.h"

/* ---- labels ---------------------------------------------------------------- */

/* Codes in words. group: "table", "col", "row", "trend", "state", "kind". */
static const struct label {
    const char *group, *code, *msgid;
} labels[] = {
    {"table", "cases_by_category", NC_("pack", "Cases by category")},
    {"table", "cases_by_exploitation", NC_("pack", "Cases by type of exploitation")},
    {"table", "cases_by_source", NC_("pack", "Cases by source")},
    {"table", "cases_by_org", NC_("pack", "Cases by organisation")},
    {"table", "victims_by_sex", NC_("pack", "Victims by sex")},
    {"table", "victims_by_age_band", NC_("pack", "Victims by age")},
    {"table", "victims_by_citizenship", NC_("pack", "Victims by citizenship")},
    {"table", "victims_by_exploitation", NC_("pack", "Victims by type of exploitation")},
    {"table", "referrals_by_org", NC_("pack", "Referrals by receiving organisation")},
    {"table", "services_by_type", NC_("pack", "Services by type")},
    {"table", "legal", NC_("pack", "Investigations, prosecutions and convictions")},
    {"table", "legal_by_statute", NC_("pack", "Proceedings by statute")},
    {"table", "sentences", NC_("pack", "Sentences")},
    {"table", "tips_by_channel", NC_("pack", "Tips by channel")},
    {"table", "activities", NC_("pack", "Prevention activities")},

    {"col", "count", NC_("pack", "Count")},
    {"col", "made", NC_("pack", "Made")},
    {"col", "accepted", NC_("pack", "Accepted")},
    {"col", "sexual", NC_("pack", "Sexual exploitation")},
    {"col", "labour", NC_("pack", "Labour exploitation")},
    {"col", "other", NC_("pack", "Other")},
    {"col", "total", NC_("pack", "Total")},
    {"col", "activities", NC_("pack", "Activities")},
    {"col", "sites", NC_("pack", "Sites")},
    {"col", "workers_reached", NC_("pack", "Workers reached")},
    {"col", "officials_trained", NC_("pack", "Officials trained")},
    {"col", "people_reached", NC_("pack", "People reached")},

    {"row", "trafficking", NC_("pack", "Trafficking in persons")},
    {"row", "labour_exploitation", NC_("pack", "Labour exploitation")},
    {"row", "hotline", NC_("pack", "Hotline")},
    {"row", "police", NC_("pack", "Police")},
    {"row", "inspection", NC_("pack", "Inspection")},
    {"row", "NGO", NC_("pack", "NGO")},
    {"row", "referral", NC_("pack", "Referral")},
    {"row", "international", NC_("pack", "International")},
    {"row", "web", NC_("pack", "Website")},
    {"row", "training", NC_("pack", "Training")},
    {"row", "awareness", NC_("pack", "Awareness")},
    {"row", "investigations", NC_("pack", "Investigations")},
    {"row", "prosecutions", NC_("pack", "Prosecutions")},
    {"row", "convictions", NC_("pack", "Convictions")},
    {"row", "<1y", NC_("pack", "Under 1 year")},
    {"row", "1-3y", NC_("pack", "1 to 3 years")},
    {"row", "3-5y", NC_("pack", "3 to 5 years")},
    {"row", "5-10y", NC_("pack", "5 to 10 years")},
    {"row", "10y+", NC_("pack", "10 years or more")},
    {"row", "unknown", NC_("pack", "Unknown")},

    {"trend", "cases_yearly", NC_("pack", "Cases by year")},
    {"trend", "cases_monthly", NC_("pack", "Cases by month")},
    {"trend", "victims_yearly", NC_("pack", "Victims by year")},
    {"trend", "legal_yearly", NC_("pack", "Investigations, prosecutions and convictions by year")},

    {"state", "open", NC_("pack", "Open")},
    {"state", "in_progress", NC_("pack", "In progress")},
    {"state", "done", NC_("pack", "Done")},
    {"state", "dropped", NC_("pack", "Dropped")},
    {"state", "planned", NC_("pack", "Planned")},
    {"state", "held", NC_("pack", "Held")},
    {"state", "approved", NC_("pack", "Minutes approved")},

    {"kind", "inspection", NC_("pack", "Inspection")},
    {"kind", "training", NC_("pack", "Training")},
    {"kind", "awareness", NC_("pack", "Awareness")},
};
#define N_LABELS (sizeof labels / sizeof labels[0])

static const char *const ui_msgids[] = {
    /* headings and words of the renderers */
    NC_("pack", "Plenary review and assessment pack"),
    NC_("pack", "Annual data for the Trafficking in Persons Report"),
    "Anti-trafficking committee",
    NC_("pack", "Period"),
    NC_("pack", "Generated on"),
    NC_("pack", "Key figures"),
    NC_("pack", "Figure"),
    NC_("pack", "This period"),
    NC_("pack", "Previous period"),
    NC_("pack", "Same period a year earlier"),
    NC_("pack", "Change"),
    NC_("pack", "Trends"),
    NC_("pack", "Tables"),
    NC_("pack", "Measures"),
    NC_("pack", "Measure"),
    NC_("pack", "Owner"),
    NC_("pack", "Due"),
    NC_("pack", "State"),
    NC_("pack", "Last update"),
    NC_("pack", "Overdue"),
    NC_("pack", "No measures."),
    NC_("pack", "Activities of the period"),
    NC_("pack", "No activities in this period."),
    NC_("pack", "Date"),
    NC_("pack", "Kind"),
    NC_("pack", "Organisation"),
    NC_("pack", "Title"),
    NC_("pack", "The meeting"),
    NC_("pack", "No meeting was held in this period."),
    NC_("pack", "Agenda"),
    NC_("pack", "Decisions"),
    NC_("pack", "Attendees"),
    NC_("pack", "Item"),
    NC_("pack", "Code"),
    NC_("pack", "Suppressed"),
    NC_("pack", "Counts below k are suppressed, and so is any figure that would reveal them."),
    NC_("pack", "Gaps mark counts below k, which are suppressed."),
    NC_("pack", "Summary"),
    NC_("pack", "Note"),
    NC_("pack", "Suppression threshold k"),
    NC_("pack", "Figures suppressed"),
    NC_("pack", "Figures only: the pack holds no personal data."),
    NC_("pack", "New cases"),
    NC_("pack", "Victims identified"),
    NC_("pack", "Referrals made"),
    NC_("pack", "Tips received"),
    NC_("pack", "Officials trained"),
    NC_("pack", "Prevention activities"),
    NC_("pack", "Investigations"),
    NC_("pack", "Prosecutions"),
    NC_("pack", "Convictions"),
    NULL,
};

const char *pack_msgid(size_t i)
{
    if (i < N_LABELS)
        return labels[i].msgid;
    i -= N_LABELS;
    return i < sizeof ui_msgids / sizeof ui_msgids[0] ? ui_msgids[i] : NULL;
}

const char *pack_tr(int lang, const char *msgid)
{
    if (!msgid)
        return "";
    if (i18n_has(lang, msgid))
        return i18n_get(lang, msgid);
    const char *eot = strchr(msgid, '\004');
    return eot ? eot + 1 : msgid;
}

static const char *label_of(int lang, const char *group, const char *code)
{
    if (!code)
        return "";
    for (size_t i = 0; i < N_LABELS; i++)
        if (strcmp(labels[i].group, group) == 0 && strcmp(labels[i].code, code) == 0)
            return pack_tr(lang, labels[i].msgid);
    return NULL;
}

/* An HTCDS value in words (its English label is the msgid). */
static const char *htcds_label(int lang, const char *field, const char *value)
{
    const struct htcds_enum *e = htcds_enum_find(field);
    for (size_t i = 0; e && e->values[i]; i++)
        if (strcmp(e->values[i], value) == 0)
            return pack_tr(lang, e->labels[i]);
    return NULL;
}

const char *pack_table_title(int lang, const char *id)
{
    const char *s = label_of(lang, "table", id);
    return s ? s : id ? id : "";
}

const char *pack_column_label(int lang, const char *table, const char *col)
{
    (void)table;
    const char *s = label_of(lang, "col", col);
    return s ? s : col ? col : "";
}

static const char *htcds_field_of(const char *table)
{
    if (!table)
        return NULL;
    if (strcmp(table, "victims_by_sex") == 0 || strcmp(table, "victims_yearly") == 0)
        return "prs_Gender";
    if (strstr(table, "_by_exploitation"))
        return "vic_TypeOfExploitation";
    if (strcmp(table, "services_by_type") == 0)
        return "spl_Type";
    return NULL;
}

const char *pack_row_label(int lang, const char *table, const char *key)
{
    if (!key)
        return "";
    const char *field = htcds_field_of(table), *s = NULL;
    if (field)
        s = htcds_label(lang, field, key);
    if (!s)
        s = label_of(lang, "row", key);
    return s ? s : key;
}

const char *pack_trend_title(int lang, const char *id)
{
    const char *s = label_of(lang, "trend", id);
    return s ? s : id ? id : "";
}

const char *pack_series_label(int lang, const char *trend, const char *key)
{
    return pack_row_label(lang, trend, key);
}

const char *pack_state_label(int lang, const char *state)
{
    const char *s = label_of(lang, "state", state);
    return s ? s : state ? state : "";
}

const char *pack_kind_label(int lang, const char *kind)
{
    const char *s = label_of(lang, "kind", kind);
    return s ? s : kind ? kind : "";
}

/* ---- the model ---------------------------------------------------------------- */

const char *pack_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int bad(char *msg, size_t n, const char *what)
{
    if (msg && n)
        snprintf(msg, n, "%s", what);
    return VIGIL_EINVAL;
}

static int valid_date(const char *s)
{
    int y, m, d;
    char tail;
    return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 &&
           m <= 12 && d >= 1 && d <= 31;
}

int pack_check(const json_t *pack, struct pack_ctx *p, char *msg, size_t n)
{
    memset(p, 0, sizeof *p);
    if (!json_is_object(pack))
        return bad(msg, n, "pack: not an object");
    p->pack = pack;
    const char *kind = json_string_value(json_object_get(pack, "kind"));
    if (kind && strcmp(kind, "plenary") == 0)
        p->kind = PACK_PLENARY;
    else if (kind && strcmp(kind, "tip") == 0)
        p->kind = PACK_TIP;
    else
        return bad(msg, n, "kind: not plenary or tip");
    const char *lang = json_string_value(json_object_get(pack, "lang"));
    p->lang = lang ? i18n_parse(lang) : LANG_DEFAULT;
    if (p->lang < 0)
        return bad(msg, n, "lang: not zh-Hant, pt or en");
    const json_t *period = json_object_get(pack, "period");
    p->from = json_string_value(json_object_get(period, "from"));
    p->to = json_string_value(json_object_get(period, "to"));
    if (!valid_date(p->from))
        return bad(msg, n, "period.from: not a date");
    if (!valid_date(p->to))
        return bad(msg, n, "period.to: not a date");
    p->stats = json_object_get(pack, "stats");
    if (!json_is_object(p->stats))
        return bad(msg, n, "stats: not an object");
    const json_t *tables = json_object_get(p->stats, "tables");
    if (tables && !json_is_array(tables))
        return bad(msg, n, "stats.tables: not an array");
    const json_t *trends = json_object_get(p->stats, "trends");
    if (trends && !json_is_array(trends))
        return bad(msg, n, "stats.trends: not an array");
    const json_t *k = json_object_get(pack, "k");
    if (k && (!json_is_integer(k) || json_integer_value(k) < 1 || json_integer_value(k) > 1000))
        return bad(msg, n, "k: not an integer from 1 to 1000");
    p->k = k ? (int)json_integer_value(k) : (int)json_integer_value(json_object_get(p->stats, "k"));
    if (p->k < 1)
        p->k = 1;
    static const char *const lists[] = {"measures", "overdue", "activities"};
    for (size_t i = 0; i < 3; i++) {
        const json_t *l = json_object_get(pack, lists[i]);
        if (l && !json_is_array(l)) {
            char what[64];
            snprintf(what, sizeof what, "%s: not an array", lists[i]);
            return bad(msg, n, what);
        }
    }
    const json_t *meeting = json_object_get(pack, "meeting");
    if (meeting && !json_is_object(meeting) && !json_is_null(meeting))
        return bad(msg, n, "meeting: not an object or null");
    const char *title = json_string_value(json_object_get(pack, "title"));
    p->title =
        title && *title ? title
        : p->kind == PACK_TIP
            ? pack_tr(p->lang, NC_("pack", "Annual data for the Trafficking in Persons Report"))
            : pack_tr(p->lang, NC_("pack", "Plenary review and assessment pack"));
    const char *label = json_string_value(json_object_get(period, "label"));
    if (label && *label) {
        p->period_label = label;
    } else {
        char a[48], b[48];
        i18n_date(p->lang, p->from, a, sizeof a);
        i18n_date(p->lang, p->to, b, sizeof b);
        snprintf(p->period_buf, sizeof p->period_buf, "%s \xE2\x80\x93 %s", a, b);
        p->period_label = p->period_buf;
    }
    const char *gen = json_string_value(json_object_get(pack, "generated_at"));
    p->generated_at = gen ? gen : "";
    return VIGIL_OK;
}

void pack_date(const struct pack_ctx *p, const char *iso, char *out, size_t n)
{
    i18n_date(p->lang, iso ? iso : "", out, n);
}

/* ---- tables and figures ------------------------------------------------------------ */

static const char *const order_plenary[] = {"cases_by_category",
                                            "cases_by_exploitation",
                                            "cases_by_source",
                                            "cases_by_org",
                                            "victims_by_sex",
                                            "victims_by_age_band",
                                            "victims_by_citizenship",
                                            "victims_by_exploitation",
                                            "referrals_by_org",
                                            "services_by_type",
                                            "legal",
                                            "legal_by_statute",
                                            "sentences",
                                            "tips_by_channel",
                                            "activities",
                                            NULL};
static const char *const order_tip[] = {"legal",
                                        "legal_by_statute",
                                        "sentences",
                                        "victims_by_sex",
                                        "victims_by_age_band",
                                        "victims_by_citizenship",
                                        "victims_by_exploitation",
                                        "referrals_by_org",
                                        "services_by_type",
                                        "activities",
                                        "cases_by_category",
                                        "cases_by_exploitation",
                                        "cases_by_source",
                                        "cases_by_org",
                                        "tips_by_channel",
                                        NULL};

static const json_t *find_table(const json_t *tables, const char *id)
{
    size_t i;
    const json_t *t;
    json_array_foreach(tables, i, t)
    {
        const char *tid = json_string_value(json_object_get(t, "id"));
        if (tid && strcmp(tid, id) == 0)
            return t;
    }
    return NULL;
}

static int known_id(const char *const *order, const char *id)
{
    for (size_t i = 0; order[i]; i++)
        if (strcmp(order[i], id) == 0)
            return 1;
    return 0;
}

size_t pack_tables(const struct pack_ctx *p, const json_t **out, size_t max)
{
    const json_t *tables = json_object_get(p->stats, "tables");
    const char *const *order = p->kind == PACK_TIP ? order_tip : order_plenary;
    size_t n = 0;
    for (size_t i = 0; order[i] && n < max; i++) {
        const json_t *t = find_table(tables, order[i]);
        if (json_is_object(t))
            out[n++] = t;
    }
    size_t i;
    const json_t *t;
    json_array_foreach(tables, i, t)
    {
        const char *id = json_string_value(json_object_get(t, "id"));
        if (n < max && json_is_object(t) && id && !known_id(order, id))
            out[n++] = t;
    }
    return n;
}

int pack_is_suppressed(const json_t *v)
{
    return v && json_is_null(v);
}

void pack_cell(const json_t *v, char *out, size_t n)
{
    if (json_is_integer(v))
        snprintf(out, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        snprintf(out, n, "%.1f", json_real_value(v));
    else if (pack_is_suppressed(v))
        snprintf(out, n, "%s", PACK_SUPPRESSED);
    else
        snprintf(out, n, "%s", "");
}

void pack_change(const json_t *v, const json_t *w, char *out, size_t n)
{
    if (!json_is_number(v) || !json_is_number(w)) {
        snprintf(out, n, "%s", "");
        return;
    }
    double a = json_number_value(v), b = json_number_value(w), d = a - b;
    if (d == 0)
        snprintf(out, n, "0");
    else if (b > 0)
        snprintf(out, n, "%+.0f (%+.0f%%)", d, 100.0 * d / b);
    else
        snprintf(out, n, "%+.0f", d);
}

/* The index of column col in table t, or -1. */
static int column_index(const json_t *t, const char *col)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(t, "columns"), i, c)
    {
        const char *s = json_string_value(c);
        if (s && strcmp(s, col) == 0)
            return (int)i;
    }
    return -1;
}

/* A figure from the total of a table (row NULL) or one of its rows, in
 * column col (NULL: the first). */
static int figure(const json_t *tables, const char *table, const char *row, const char *col,
                  const char *label, struct pack_figure *f)
{
    const json_t *t = find_table(tables, table);
    if (!t)
        return 0;
    int ci = col ? column_index(t, col) : 0;
    if (ci < 0)
        return 0;
    const json_t *src = NULL;
    if (!row) {
        src = json_object_get(t, "total");
    } else {
        size_t i;
        const json_t *r;
        json_array_foreach(json_object_get(t, "rows"), i, r)
        {
            const char *key = json_string_value(json_object_get(r, "key"));
            if (key && strcmp(key, row) == 0)
                src = r;
        }
    }
    if (!json_is_object(src))
        return 0;
    f->label = label;
    f->value = json_array_get(json_object_get(src, "values"), (size_t)ci);
    f->previous = json_array_get(json_object_get(src, "previous"), (size_t)ci);
    f->year_ago = json_array_get(json_object_get(src, "year_ago"), (size_t)ci);
    return f->value != NULL;
}

size_t pack_figures(const struct pack_ctx *p, struct pack_figure *out, size_t max)
{
    const json_t *tables = json_object_get(p->stats, "tables");
    static const struct {
        const char *table, *row, *col, *msgid;
    } defs[] = {
        {"cases_by_category", NULL, NULL, NC_("pack", "New cases")},
        {"victims_by_sex", NULL, NULL, NC_("pack", "Victims identified")},
        {"legal", "investigations", "total", NC_("pack", "Investigations")},
        {"legal", "prosecutions", "total", NC_("pack", "Prosecutions")},
        {"legal", "convictions", "total", NC_("pack", "Convictions")},
        {"referrals_by_org", NULL, "made", NC_("pack", "Referrals made")},
        {"tips_by_channel", NULL, NULL, NC_("pack", "Tips received")},
        {"activities", NULL, "activities", NC_("pack", "Prevention activities")},
        {"activities", NULL, "officials_trained", NC_("pack", "Officials trained")},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof defs / sizeof defs[0] && n < max; i++)
        n += (size_t)figure(tables, defs[i].table, defs[i].row, defs[i].col,
                            pack_tr(p->lang, defs[i].msgid), &out[n]);
    return n;
}

/* ---- charts ---------------------------------------------------------------------------- */

int pack_chart(const struct pack_ctx *p, const json_t *trend, const char *id, struct buf *svg)
{
    return pack_trend_chart(p->lang, trend, id, svg);
}

int pack_trend_chart(int lang, const json_t *trend, const char *id, struct buf *svg)
{
    const char *tid = pack_str(trend, "id");
    const json_t *periods = json_object_get(trend, "periods");
    const json_t *series = json_object_get(trend, "series");
    size_t np = json_array_size(periods), ns = json_array_size(series);
    if (np == 0 || ns == 0 || np > CHART_MAX || ns > CHART_MAX)
        return VIGIL_EINVAL;
    const char **pl = calloc(np, sizeof *pl);
    struct chart_series *cs = calloc(ns, sizeof *cs);
    double *vals = calloc(np * (ns + 1), sizeof *vals);
    int rc = VIGIL_ENOMEM;
    if (!pl || !cs || !vals)
        goto out;
    /* The trend's published totals (stats.h), when it has them. */
    const json_t *total = json_object_get(trend, "total");
    double *totals = json_array_size(total) == np ? vals + ns * np : NULL;
    for (size_t i = 0; totals && i < np; i++) {
        const json_t *x = json_array_get(total, i);
        totals[i] = json_is_number(x) ? json_number_value(x) : CHART_GAP;
    }
    for (size_t i = 0; i < np; i++) {
        const char *s = json_string_value(json_array_get(periods, i));
        pl[i] = s ? s : "";
    }
    for (size_t si = 0; si < ns; si++) {
        const json_t *s = json_array_get(series, si);
        const json_t *v = json_object_get(s, "values");
        cs[si].label = pack_series_label(lang, tid, pack_str(s, "key"));
        cs[si].values = vals + si * np;
        for (size_t i = 0; i < np; i++) {
            const json_t *x = json_array_get(v, i);
            vals[si * np + i] = json_is_number(x) ? json_number_value(x) : CHART_GAP;
        }
    }
    enum chart_kind kind = CHART_LINE;
    if (strcmp(tid, "cases_monthly") == 0 || strcmp(tid, "victims_yearly") == 0)
        kind = CHART_STACKED;
    else if (strcmp(tid, "legal_yearly") == 0)
        kind = CHART_MULTIPLES;
    struct chart c = {
        .kind = kind,
        .id = id,
        .title = pack_trend_title(lang, tid),
        .gap_note = pack_tr(lang, NC_("pack", "Gaps mark counts below k, which are suppressed.")),
        .periods = pl,
        .n_periods = np,
        .series = cs,
        .n_series = ns,
        .totals = totals,
    };
    rc = chart_svg(svg, &c);
out:
    free(pl);
    free(cs);
    free(vals);
    return rc;
}

/* ---- measures ---------------------------------------------------------------------------- */

int pack_overdue(const struct pack_ctx *p, const json_t *measure)
{
    if (json_is_true(json_object_get(measure, "overdue")))
        return 1;
    const json_t *id = json_object_get(measure, "id");
    if (!json_is_integer(id))
        return 0;
    size_t i;
    const json_t *o;
    json_array_foreach(json_object_get(p->pack, "overdue"), i, o)
    {
        const json_t *oid = json_is_object(o) ? json_object_get(o, "id") : o;
        if (json_is_integer(oid) && json_integer_value(oid) == json_integer_value(id))
            return 1;
    }
    return 0;
}

/* ---- formats --------------------------------------------------------------------------------- */

const char *pack_content_type(const char *format)
{
    if (!format)
        return NULL;
    if (strcmp(format, "html") == 0)
        return "text/html; charset=utf-8";
    if (strcmp(format, "pdf") == 0)
        return "application/pdf";
    if (strcmp(format, "xlsx") == 0)
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (strcmp(format, "json") == 0)
        return "application/json";
    return NULL;
}

int pack_render(const json_t *pack, const char *format, struct buf *out, char *msg, size_t n)
{
    struct pack_ctx p;
    int rc = pack_check(pack, &p, msg, n);
    if (rc != VIGIL_OK)
        return rc;
    if (!pack_content_type(format))
        return bad(msg, n, "format: not html, pdf, xlsx or json");
    if (strcmp(format, "html") == 0)
        rc = pack_html(pack, out);
    else if (strcmp(format, "pdf") == 0)
        rc = pack_pdf(pack, out);
    else if (strcmp(format, "xlsx") == 0)
        rc = pack_xlsx(pack, out);
    else {
        char *s = json_dumps(pack, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        if (!s)
            return VIGIL_ENOMEM;
        buf_puts(out, s);
        buf_putc(out, '\n');
        free(s);
        rc = buf_err(out);
    }
    if (rc == VIGIL_ETOOBIG)
        bad(msg, n, "the pack is larger than the limit");
    else if (rc == VIGIL_EIO)
        bad(msg, n, "the pack could not be rendered");
    return rc;
}

int pack_tier_chart(const struct pack_ctx *p, struct buf *svg)
{
    const json_t *list = json_object_get(p->pack, "tiers");
    size_t n = json_array_size(list);
    if (n == 0 || n > 40)
        return VIGIL_EINVAL;
    int years[40];
    const char *tiers[40];
    for (size_t i = 0; i < n; i++) {
        const json_t *x = json_array_get(list, i);
        years[i] = (int)json_integer_value(json_object_get(x, "year"));
        tiers[i] = pack_str(x, "tier");
    }
    const char *band[4] = {i18n_get(p->lang, "Tier 1"), i18n_get(p->lang, "Tier 2"),
                           i18n_get(p->lang, "Tier 2 Watch List"), i18n_get(p->lang, "Tier 3")};
    return chart_tiers_svg(svg, "tiers", i18n_get(p->lang, "The TIP report's tier by year"), band,
                           years, tiers, n);
}
