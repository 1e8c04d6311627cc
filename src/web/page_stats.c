/*
 * The statistics page (/stats): a month's figures as stats_compute()
 * returns them, each table with its value and its change against the month
 * before and the same month a year earlier. Suppressed cells are shown as
 * "<k" and explained by a legend. The page only renders the JSON; the
 * figures and their definitions are report/stats.c's.
 */
#include <stdio.h>
#include <string.h>

#include "report/pack.h"
#include "util/err.h"
#include "util/timeutil.h"
#include "web/page.h"

static const struct {
    const char *id, *title, *key_head;
} titles[] = {
    {"cases_by_category", N_("New cases by category"), N_("Category")},
    {"cases_by_exploitation", N_("New cases by type of exploitation"), N_("Type of exploitation")},
    {"cases_by_source", N_("New cases by source"), N_("Source")},
    {"cases_by_org", N_("New cases by agency"), N_("Agency")},
    {"victims_by_sex", N_("Victims identified by sex"), N_("Sex")},
    {"victims_by_age_band", N_("Victims identified by age"), N_("Age")},
    {"victims_by_citizenship", N_("Victims identified by citizenship"), N_("Citizenship")},
    {"victims_by_exploitation", N_("Victims identified by type of exploitation"),
     N_("Type of exploitation")},
    {"referrals_by_org", N_("Referrals by receiving agency"), N_("Agency")},
    {"services_by_type", N_("Services started by type"), N_("Service")},
    {"legal", N_("Investigations, prosecutions and convictions"), N_("Measure")},
    {"legal_by_statute", N_("Charges by statute and article"), N_("Statute and article")},
    {"sentences", N_("Sentences"), N_("Length")},
    {"tips_by_channel", N_("Tips by channel"), N_("Channel")},
    {"activities", N_("Prevention activities"), N_("Kind")},
};

/* Labels of the codes the statistics own (bands, measures, columns). */
static const struct {
    const char *code, *label;
} codes[] = {
    {"unknown", N_("Unknown")},
    {"0-17", N_("Under 18")},
    {"18-24", N_("18 to 24")},
    {"25-34", N_("25 to 34")},
    {"35-44", N_("35 to 44")},
    {"45-54", N_("45 to 54")},
    {"55+", N_("55 and over")},
    {"<1y", N_("Under 1 year")},
    {"1-3y", N_("1 to 3 years")},
    {"3-5y", N_("3 to 5 years")},
    {"5-10y", N_("5 to 10 years")},
    {"10y+", N_("10 years or more")},
    {"investigations", N_("Investigations")},
    {"prosecutions", N_("Prosecutions")},
    {"convictions", N_("Convictions")},
    {"training", N_("Training")},
    {"awareness", N_("Awareness")},
    {"web", N_("Web form")},
    {"count", N_("Count")},
    {"made", N_("Made")},
    {"sexual", N_("Sexual exploitation")},
    {"labour", N_("Labour exploitation")},
    {"other", N_("Other")},
    {"total", N_("Total")},
    {"activities", N_("Activities")},
    {"sites", N_("Sites")},
    {"workers_reached", N_("Workers reached")},
    {"officials_trained", N_("Officials trained")},
    {"people_reached", N_("People reached")},
};

static const char *code_label(struct req *r, const char *code)
{
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(codes[i].code, code) == 0)
            return T(codes[i].label);
    return label_value(r, code); /* accepted, inspection, hotline, categories, sources */
}

/* A row key in the reader's language. */
static const char *row_label(struct req *r, const char *table, const char *key)
{
    if (strcmp(key, "unknown") == 0)
        return T("Unknown");
    if (strcmp(table, "victims_by_sex") == 0)
        return label_htcds(r, "prs_Gender", key);
    if (strcmp(table, "cases_by_exploitation") == 0 ||
        strcmp(table, "victims_by_exploitation") == 0)
        return label_htcds(r, "vic_TypeOfExploitation", key);
    if (strcmp(table, "services_by_type") == 0)
        return label_htcds(r, "spl_Type", key);
    if (strcmp(table, "cases_by_org") == 0 || strcmp(table, "referrals_by_org") == 0 ||
        strcmp(table, "victims_by_citizenship") == 0 || strcmp(table, "legal_by_statute") == 0)
        return key; /* agency codes, ISO 3166 codes, statutes */
    return code_label(r, key);
}

/* A change "+2", "−3", "0", or "–" when either side is suppressed. */
static void put_change(struct req *r, json_t *now, json_t *then)
{
    if (!json_is_integer(now) || !json_is_integer(then)) {
        P("–");
        return;
    }
    json_int_t d = json_integer_value(now) - json_integer_value(then);
    if (d > 0)
        P("+%D", (int64_t)d);
    else if (d < 0)
        P("−%D", (int64_t)-d);
    else
        P("0");
}

static void put_cell(struct req *r, json_t *o, size_t c, int k)
{
    json_t *v = json_array_get(json_object_get(o, "values"), c);
    json_t *pv = json_array_get(json_object_get(o, "previous"), c);
    json_t *ya = json_array_get(json_object_get(o, "year_ago"), c);
    P("<td class=\"num\">");
    if (json_is_integer(v))
        P("<span class=\"n\">%D</span>", (int64_t)json_integer_value(v));
    else
        P("<span class=\"n suppressed\" title=\"%a\">&lt;%d</span>", T("Suppressed"), k);
    P("<br><small class=\"chg\">");
    put_change(r, v, pv);
    P(" · ");
    put_change(r, v, ya);
    P("</small></td>");
}

static void put_table(struct req *r, json_t *t, int k)
{
    const char *id = json_string_value(json_object_get(t, "id"));
    const char *title = id, *head = "";
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
        if (strcmp(titles[i].id, id) == 0) {
            title = T(titles[i].title);
            head = T(titles[i].key_head);
        }
    json_t *cols = json_object_get(t, "columns"), *rows = json_object_get(t, "rows");
    json_t *total = json_object_get(t, "total");
    P("<section class=\"card wide stats-table\" id=\"t-%a\" aria-labelledby=\"h-%a\">"
      "<h2 id=\"h-%a\">%h</h2>",
      id, id, id, title);
    if (json_array_size(rows) == 0) {
        P("<p class=\"empty\">%h</p></section>", T("Nothing recorded in this period."));
        return;
    }
    P("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%h</th>", head);
    size_t c;
    json_t *col;
    json_array_foreach(cols, c, col)
    {
        const char *name = json_string_value(col);
        P("<th scope=\"col\" class=\"num\">%h</th>",
          strcmp(name, "count") == 0 ? T("Number") : code_label(r, name));
    }
    P("</tr></thead><tbody>");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        P("<tr><th scope=\"row\">%h</th>",
          row_label(r, id, json_string_value(json_object_get(row, "key"))));
        for (c = 0; c < json_array_size(cols); c++)
            put_cell(r, row, c, k);
        P("</tr>");
    }
    P("</tbody>");
    if (json_is_object(total)) {
        P("<tfoot><tr class=\"total\"><th scope=\"row\">%h</th>", T("Total"));
        for (c = 0; c < json_array_size(cols); c++)
            put_cell(r, total, c, k);
        P("</tr></tfoot>");
    }
    P("</table></div></section>");
}

void put_trend_charts(struct req *r, json_t *stats)
{
    char now[21];
    time_iso(time_now(), now);
    json_t *model = json_pack("{s:s, s:s, s:{s:O, s:O}, s:s, s:O, s:O}", "kind", "plenary", "lang",
                              i18n_code(r->lang), "period", "from", json_object_get(stats, "from"),
                              "to", json_object_get(stats, "to"), "generated_at", now, "k",
                              json_object_get(stats, "k"), "stats", stats);
    struct pack_ctx p;
    char msg[160];
    if (!model || pack_check(model, &p, msg, sizeof msg)) {
        json_decref(model);
        return;
    }
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(stats, "trends"), i, t)
    {
        char id[32];
        snprintf(id, sizeof id, "chart%zu", i);
        struct buf svg;
        buf_init(&svg, 1 << 20);
        if (pack_chart(&p, t, id, &svg) == VIGIL_OK && !buf_err(&svg))
            P("<figure class=\"chart\">%s</figure>", buf_cstr(&svg)); /* escaped by chart.c */
        buf_free(&svg);
    }
    json_decref(model);
}

int page_stats(struct req *r)
{
    json_t *s = NULL;
    int rc = stats_request(r, &s);
    if (rc)
        return rc;
    int k = (int)json_integer_value(json_object_get(s, "k"));
    const char *from = json_string_value(json_object_get(s, "from"));
    json_t *prev = json_object_get(s, "previous"), *ya = json_object_get(s, "year_ago");
    char month[8];
    snprintf(month, sizeof month, "%.7s", from);

    layout_begin(r, T("Statistics"), "stats");
    P("<h1>%h</h1>", T("Statistics"));
    P("<form method=\"get\" action=\"/stats\" class=\"filters\" role=\"search\">"
      "<div class=\"field\"><label for=\"s-month\">%h</label>"
      "<input type=\"month\" id=\"s-month\" name=\"month\" value=\"%a\" required "
      "pattern=\"[0-9]{4}-[0-9]{2}\"></div>"
      "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div></form>",
      T("Month"), month, T("Show"));

    P("<section class=\"card wide\" aria-labelledby=\"h-period\"><h2 id=\"h-period\">%h</h2><p>",
      T("Period"));
    put_date(r, from);
    P(" – ");
    put_date(r, json_string_value(json_object_get(s, "to")));
    P("</p><p class=\"hint\">%h ", T("Each figure is followed by its change against the previous "
                                     "period and against the same period a year earlier:"));
    put_date(r, json_string_value(json_object_get(prev, "from")));
    P(" – ");
    put_date(r, json_string_value(json_object_get(prev, "to")));
    P(" · ");
    put_date(r, json_string_value(json_object_get(ya, "from")));
    P(" – ");
    put_date(r, json_string_value(json_object_get(ya, "to")));
    P("</p><p class=\"legend\" id=\"stats-legend\"><span class=\"n suppressed\">&lt;%d</span> "
      "%h (k = %d). %h</p></section>",
      k, T("A count below the threshold, suppressed to protect the people counted"), k,
      T("One more count is withheld where a total could reveal a single suppressed one. "
        "Prevention activities are not about persons and are never suppressed."));

    /* The charts of the trends, drawn by the packs' chart code (one look
     * for pages and reports). */
    P("<section class=\"card wide stats-charts\" id=\"stats-charts\" aria-label=\"%a\">",
      T("Trends"));
    put_trend_charts(r, s);
    P("</section>");

    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(s, "tables"), i, t) put_table(r, t, k);
    layout_end(r);
    json_decref(s);
    return VIGIL_OK;
}
