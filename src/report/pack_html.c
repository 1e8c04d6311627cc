/* The pack as one self-contained, printable HTML page: inline CSS, the
 * charts as inline SVG, no script and nothing fetched; see pack.h. Every
 * value goes through the escaping emitter (web/html.h). */
#include <stdio.h>
#include <string.h>

#include "report/pack.h"
#include "util/err.h"
#include "web/html.h"
#include "web/i18n.h"

#define TR(s) pack_tr(p->lang, NC_("pack", s))

static const char css[] =
    "body{font-family:\"Noto Sans CJK TC\",\"Noto Sans TC\",\"Noto Sans\",sans-serif;"
    "color:#111;margin:0 auto;max-width:190mm;padding:0 8mm;line-height:1.45}"
    "h1{font-family:\"Noto Serif CJK TC\",\"Noto Serif TC\",serif;font-size:2em;margin:.4em 0}"
    "h2{border-bottom:2px solid #1b2a49;padding-bottom:.2em;margin-top:1.6em;break-after:avoid}"
    "h3{margin:1.2em 0 .4em;break-after:avoid}"
    ".cover{min-height:240mm;display:flex;flex-direction:column;justify-content:center;"
    "break-after:page;page-break-after:always}"
    ".cover .committee{font-size:1.2em;color:#333}.cover .period{font-size:1.5em}"
    ".cover .meta{color:#333}.notice{border:1px solid #999;padding:.5em .8em;"
    "background:#f4f4f4}"
    "table{border-collapse:collapse;width:100%;margin:.3em 0 .6em;font-size:.92em}"
    "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#e8eaef}tbody th{background:none;font-weight:normal}"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}"
    "tr{break-inside:avoid}tr.total td{font-weight:bold;border-top:2px solid #555}"
    "td.sup{color:#555;font-style:italic;background:repeating-linear-gradient(45deg,#fff,"
    "#fff 3px,#eee 3px,#eee 6px)}"
    "tr.overdue td{background:#fde8e4;font-weight:bold}"
    ".badge{display:inline-block;border:1.5px solid #8b1a10;color:#8b1a10;padding:0 .4em;"
    "font-size:.85em;margin-left:.4em}"
    ".legend{font-size:.88em;color:#333}"
    "figure{margin:1em 0;break-inside:avoid}figure svg{width:100%;height:auto}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{max-width:none;padding:0}h2{break-before:auto}}";

static void legend(struct buf *b, const struct pack_ctx *p)
{
    html_printf(b, "<p class=\"legend\"><strong>%h</strong> = %h. %h (k = %d)</p>", PACK_SUPPRESSED,
                TR("Suppressed"),
                TR("Counts below k are suppressed, and so is any figure that would reveal them."),
                p->k);
}

static void cell(struct buf *b, const struct pack_ctx *p, const json_t *v, int *sup)
{
    char t[48];
    pack_cell(v, t, sizeof t);
    if (pack_is_suppressed(v)) {
        html_printf(b, "<td class=\"num sup\"><abbr title=\"%a\">%h</abbr></td>", TR("Suppressed"),
                    t);
        if (sup)
            *sup = 1;
    } else {
        html_printf(b, "<td class=\"num\">%h</td>", t);
    }
}

static void date_range(const struct pack_ctx *p, const json_t *period, char *out, size_t n)
{
    char a[48], c[48];
    pack_date(p, pack_str(period, "from"), a, sizeof a);
    pack_date(p, pack_str(period, "to"), c, sizeof c);
    snprintf(out, n, "%s \xE2\x80\x93 %s", a, c);
}

static void cover(struct buf *b, const struct pack_ctx *p)
{
    char range[128], gen[64];
    date_range(p, json_object_get(p->pack, "period"), range, sizeof range);
    pack_date(p, p->generated_at, gen, sizeof gen);
    html_printf(b, "<section class=\"cover\"><p class=\"committee\">%h</p><h1>%h</h1>",
                pack_tr(p->lang, "Anti-trafficking committee"), p->title);
    html_printf(b, "<p class=\"period\">%h</p><p class=\"meta\">%h: %h</p>", p->period_label,
                TR("Period"), range);
    if (*gen)
        html_printf(b, "<p class=\"meta\">%h: %h</p>", TR("Generated on"), gen);
    html_printf(b, "<p class=\"meta\">%h: %d</p>", TR("Suppression threshold k"), p->k);
    html_printf(b, "<p class=\"notice\">%h %h</p></section>\n",
                TR("Figures only: the pack holds no personal data."),
                TR("Counts below k are suppressed, and so is any figure that would reveal them."));
}

static void key_figures(struct buf *b, const struct pack_ctx *p)
{
    struct pack_figure f[16];
    size_t n = pack_figures(p, f, 16);
    char prev[128], ago[128];
    date_range(p, json_object_get(p->stats, "previous"), prev, sizeof prev);
    date_range(p, json_object_get(p->stats, "year_ago"), ago, sizeof ago);
    html_printf(b, "<section id=\"summary\"><h2>%h</h2>", TR("Key figures"));
    if (n == 0) {
        html_printf(b, "<p>\xE2\x80\x94</p></section>\n");
        return;
    }
    html_printf(b,
                "<table class=\"figures\"><thead><tr><th scope=\"col\">%h</th>"
                "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h<br>"
                "<small>%h</small></th><th scope=\"col\" class=\"num\">%h</th>"
                "<th scope=\"col\" class=\"num\">%h<br><small>%h</small></th>"
                "<th scope=\"col\" class=\"num\">%h</th></tr></thead><tbody>",
                TR("Figure"), TR("This period"), TR("Previous period"), prev, TR("Change"),
                TR("Same period a year earlier"), ago, TR("Change"));
    for (size_t i = 0; i < n; i++) {
        char c1[48], c2[48];
        pack_change(f[i].value, f[i].previous, c1, sizeof c1);
        pack_change(f[i].value, f[i].year_ago, c2, sizeof c2);
        html_printf(b, "<tr><th scope=\"row\">%h</th>", f[i].label);
        cell(b, p, f[i].value, NULL);
        cell(b, p, f[i].previous, NULL);
        html_printf(b, "<td class=\"num\">%h</td>", c1);
        cell(b, p, f[i].year_ago, NULL);
        html_printf(b, "<td class=\"num\">%h</td></tr>", c2);
    }
    html_printf(b, "</tbody></table>");
    const json_t *ns = json_object_get(p->stats, "suppressed");
    if (json_is_integer(ns))
        html_printf(b, "<p class=\"legend\">%h: %D</p>", TR("Figures suppressed"),
                    (int64_t)json_integer_value(ns));
    legend(b, p);
    html_printf(b, "</section>\n");
}

static void trends(struct buf *b, const struct pack_ctx *p)
{
    const json_t *list = json_object_get(p->stats, "trends");
    if (json_array_size(list) == 0)
        return;
    html_printf(b, "<section id=\"trends\"><h2>%h</h2>", TR("Trends"));
    size_t i;
    const json_t *t;
    json_array_foreach(list, i, t)
    {
        char id[32];
        snprintf(id, sizeof id, "trend%zu", i);
        struct buf svg;
        buf_init(&svg, 1 << 20);
        if (pack_chart(p, t, id, &svg) == VIGIL_OK) {
            html_printf(b, "<figure>");
            buf_add(b, svg.p, svg.len); /* generated and escaped by chart.c */
            html_printf(b, "</figure>");
        }
        buf_free(&svg);
    }
    html_printf(b, "</section>\n");
}

static void table(struct buf *b, const struct pack_ctx *p, const json_t *t)
{
    const char *id = pack_str(t, "id");
    const json_t *cols = json_object_get(t, "columns");
    size_t nc = json_array_size(cols);
    int single = nc == 1, sup = 0;
    html_printf(
        b, "<h3 id=\"t-%a\">%h</h3><table class=\"stats\"><thead><tr><th scope=\"col\">%h</th>", id,
        pack_table_title(p->lang, id), TR("Item"));
    if (single)
        html_printf(b,
                    "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                    "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                    "<th scope=\"col\" class=\"num\">%h</th>",
                    TR("This period"), TR("Previous period"), TR("Change"),
                    TR("Same period a year earlier"), TR("Change"));
    else
        for (size_t c = 0; c < nc; c++)
            html_printf(b, "<th scope=\"col\" class=\"num\">%h</th>",
                        pack_column_label(p->lang, id, json_string_value(json_array_get(cols, c))));
    html_printf(b, "</tr></thead><tbody>");
    const json_t *rows = json_object_get(t, "rows");
    size_t nr = json_array_size(rows);
    for (size_t r = 0; r <= nr; r++) {
        const json_t *row = r < nr ? json_array_get(rows, r) : json_object_get(t, "total");
        if (!json_is_object(row))
            continue;
        const json_t *v = json_object_get(row, "values");
        if (r < nr)
            html_printf(b, "<tr><th scope=\"row\">%h</th>",
                        pack_row_label(p->lang, id, pack_str(row, "key")));
        else
            html_printf(b, "<tr class=\"total\"><th scope=\"row\">%h</th>", TR("Total"));
        if (single) {
            const json_t *pv = json_array_get(json_object_get(row, "previous"), 0);
            const json_t *ya = json_array_get(json_object_get(row, "year_ago"), 0);
            char c1[48], c2[48];
            pack_change(json_array_get(v, 0), pv, c1, sizeof c1);
            pack_change(json_array_get(v, 0), ya, c2, sizeof c2);
            cell(b, p, json_array_get(v, 0), &sup);
            cell(b, p, pv, &sup);
            html_printf(b, "<td class=\"num\">%h</td>", c1);
            cell(b, p, ya, &sup);
            html_printf(b, "<td class=\"num\">%h</td>", c2);
        } else {
            for (size_t c = 0; c < nc; c++)
                cell(b, p, json_array_get(v, c), &sup);
        }
        html_printf(b, "</tr>");
    }
    if (nr == 0)
        html_printf(b, "<tr><td colspan=\"%d\">\xE2\x80\x94</td></tr>", single ? 6 : (int)nc + 1);
    html_printf(b, "</tbody></table>");
    if (sup)
        legend(b, p);
    html_printf(b, "\n");
}

static void tables(struct buf *b, const struct pack_ctx *p)
{
    const json_t *list[64];
    size_t n = pack_tables(p, list, 64);
    if (n == 0)
        return;
    html_printf(b, "<section id=\"tables\"><h2>%h</h2>", TR("Tables"));
    for (size_t i = 0; i < n; i++)
        table(b, p, list[i]);
    html_printf(b, "</section>\n");
}

static void measures(struct buf *b, const struct pack_ctx *p)
{
    const json_t *list = json_object_get(p->pack, "measures");
    if (!list)
        return;
    html_printf(b, "<section id=\"measures\"><h2>%h</h2>", TR("Measures"));
    if (json_array_size(list) == 0) {
        html_printf(b, "<p>%h</p></section>\n", TR("No measures."));
        return;
    }
    html_printf(b,
                "<table class=\"measures\"><thead><tr><th scope=\"col\">%h</th><th "
                "scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th "
                "scope=\"col\">%h</th></tr></thead><tbody>",
                TR("Measure"), TR("Owner"), TR("Due"), TR("State"), TR("Last update"));
    size_t i;
    const json_t *m;
    json_array_foreach(list, i, m)
    {
        int late = pack_overdue(p, m);
        char due[48], upd[48];
        pack_date(p, pack_str(m, "due_on"), due, sizeof due);
        html_printf(b, "<tr%s><td>%h</td><td>%h</td><td>%h", late ? " class=\"overdue\"" : "",
                    pack_str(m, "title"), pack_str(m, "owner"), due);
        if (late)
            html_printf(b, "<span class=\"badge\">%h</span>", TR("Overdue"));
        html_printf(b, "</td><td>%h</td><td>", pack_state_label(p->lang, pack_str(m, "state")));
        const json_t *lu = json_object_get(m, "last_update");
        if (json_is_object(lu)) {
            pack_date(p, pack_str(lu, "updated_on"), upd, sizeof upd);
            html_printf(b, "%h: %h", upd, pack_str(lu, "note"));
        }
        html_printf(b, "</td></tr>");
    }
    html_printf(b, "</tbody></table></section>\n");
}

static void activities(struct buf *b, const struct pack_ctx *p)
{
    const json_t *list = json_object_get(p->pack, "activities");
    if (!list)
        return;
    html_printf(b, "<section id=\"activities\"><h2>%h</h2>", TR("Activities of the period"));
    if (json_array_size(list) == 0) {
        html_printf(b, "<p>%h</p></section>\n", TR("No activities in this period."));
        return;
    }
    html_printf(b,
                "<table class=\"activities\"><thead><tr><th scope=\"col\">%h</th>"
                "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th>"
                "</tr></thead><tbody>",
                TR("Date"), TR("Kind"), TR("Organisation"), TR("Title"), TR("Sites"),
                TR("Workers reached"), TR("Officials trained"), TR("People reached"));
    size_t i;
    const json_t *a;
    json_array_foreach(list, i, a)
    {
        char d[48];
        pack_date(p, pack_str(a, "held_on"), d, sizeof d);
        html_printf(b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td>", d,
                    pack_kind_label(p->lang, pack_str(a, "kind")), pack_str(a, "org"),
                    pack_str(a, "title"));
        static const char *const nums[] = {"sites", "workers_reached", "officials_trained",
                                           "people_reached"};
        for (size_t k = 0; k < 4; k++)
            cell(b, p, json_object_get(a, nums[k]), NULL);
        html_printf(b, "</tr>");
    }
    html_printf(b, "</tbody></table></section>\n");
}

static void text_list(struct buf *b, const json_t *l)
{
    if (json_array_size(l) == 0) {
        html_printf(b, "<p>\xE2\x80\x94</p>");
        return;
    }
    html_printf(b, "<ol>");
    size_t i;
    const json_t *s;
    json_array_foreach(l, i, s)
    {
        if (json_is_string(s))
            html_printf(b, "<li>%h</li>", json_string_value(s));
    }
    html_printf(b, "</ol>");
}

static void meeting(struct buf *b, const struct pack_ctx *p)
{
    if (!json_object_get(p->pack, "meeting"))
        return;
    const json_t *m = json_object_get(p->pack, "meeting");
    html_printf(b, "<section id=\"meeting\"><h2>%h</h2>", TR("The meeting"));
    if (!json_is_object(m)) {
        html_printf(b, "<p>%h</p></section>\n", TR("No meeting was held in this period."));
        return;
    }
    char d[48];
    pack_date(p, pack_str(m, "held_on"), d, sizeof d);
    html_printf(b, "<p><strong>%h</strong> \xC2\xB7 %h \xC2\xB7 %h</p>", pack_str(m, "title"), d,
                pack_state_label(p->lang, pack_str(m, "state")));
    html_printf(b, "<p>%h: ", TR("Attendees"));
    size_t i;
    const json_t *a;
    json_array_foreach(json_object_get(m, "attendees"), i, a)
    {
        if (json_is_string(a))
            html_printf(b, "%h%h", i ? ", " : "", json_string_value(a));
    }
    html_printf(b, "</p><h3>%h</h3>", TR("Agenda"));
    text_list(b, json_object_get(m, "agenda"));
    html_printf(b, "<h3>%h</h3>", TR("Decisions"));
    text_list(b, json_object_get(m, "decisions"));
    html_printf(b, "</section>\n");
}

int pack_html(const json_t *pack, struct buf *b)
{
    struct pack_ctx p;
    int rc = pack_check(pack, &p, NULL, 0);
    if (rc != VIGIL_OK)
        return rc;
    html_printf(b,
                "<!DOCTYPE html>\n<html lang=\"%a\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>%h \xE2\x80\x94 %h</title><style>%s</style></head><body>\n",
                i18n_code(p.lang), p.title, p.period_label, css);
    cover(b, &p);
    key_figures(b, &p);
    trends(b, &p);
    {
        struct buf svg;
        buf_init(&svg, 1 << 20);
        if (pack_tier_chart(&p, &svg) == VIGIL_OK)
            html_printf(b, "<section id=\"tiers\"><h2>%h</h2><figure>%s</figure></section>\n",
                        i18n_get(p.lang, "TIP report"),
                        buf_cstr(&svg)); /* escaped by chart_tier.c */
        buf_free(&svg);
    }
    tables(b, &p);
    measures(b, &p);
    activities(b, &p);
    meeting(b, &p);
    html_printf(b, "</body></html>\n");
    return buf_err(b);
}
