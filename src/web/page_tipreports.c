/*
 * The TIP report pages: the reports by year with their tiers, one report
 * with each recommendation's state, the measures that answer it and the
 * live figures that evidence it, the secretariat's forms (record a report,
 * import recommendations from text, assess, link measures, add figures),
 * and the draft response in each language as HTML, text or PDF. Every
 * change goes through the API's handlers (api_tipreports.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth/policy.h"
#include "core/tipreport.h"
#include "report/chart_tier.h"
#include "report/stats.h"
#include "report/tipresponse.h"
#include "util/err.h"
#include "util/parse.h"
#include "web/form.h"
#include "web/page.h"

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static const char *tier_label(struct req *r, const char *tier)
{
    if (strcmp(tier, "tier1") == 0)
        return T("Tier 1");
    if (strcmp(tier, "tier2") == 0)
        return T("Tier 2");
    if (strcmp(tier, "tier2_watch") == 0)
        return T("Tier 2 Watch List");
    if (strcmp(tier, "tier3") == 0)
        return T("Tier 3");
    if (strcmp(tier, "special_case") == 0)
        return T("Special Case");
    return tier;
}

/* The field in the page's language ("text" → "text_pt"), else English. */
static const char *in_lang(struct req *r, json_t *o, const char *key)
{
    char k[32];
    snprintf(k, sizeof k, "%s_%s", key,
             r->lang == LANG_PT   ? "pt"
             : r->lang == LANG_EN ? "en"
                                  : "zh");
    const char *v = str(o, k);
    if (!*v) {
        snprintf(k, sizeof k, "%s_en", key);
        v = str(o, k);
    }
    return v;
}

static void tier_options(struct req *r, const char *sel)
{
    for (size_t i = 0; tipreport_tiers[i]; i++)
        P("<option value=\"%a\"%s>%h</option>", tipreport_tiers[i],
          sel && strcmp(sel, tipreport_tiers[i]) == 0 ? " selected" : "",
          tier_label(r, tipreport_tiers[i]));
}

void put_tier_chart(struct req *r, json_t *reports)
{
    size_t n = json_array_size(reports);
    if (n == 0)
        return;
    if (n > 30)
        n = 30;
    int years[30];
    const char *tiers[30];
    /* the list is newest first; the chart runs oldest first */
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(reports, n - 1 - i);
        years[i] = (int)json_integer_value(json_object_get(x, "year"));
        tiers[i] = str(x, "tier");
    }
    const char *band[4] = {T("Tier 1"), T("Tier 2"), T("Tier 2 Watch List"), T("Tier 3")};
    struct buf svg;
    buf_init(&svg, 1 << 20);
    if (chart_tiers_svg(&svg, "tiers", T("The TIP report's tier by year"), band, years, tiers, n) ==
        VIGIL_OK)
        P("<figure class=\"chart\">%s</figure>", buf_cstr(&svg)); /* escaped by chart_tier.c */
    buf_free(&svg);
}

int page_tipreports(struct req *r)
{
    json_t *q = page_api(r, api_tipreport_list);
    if (!q)
        return VIGIL_EIO;
    layout_begin(r, T("TIP reports"), "tipreports");
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("TIP reports"),
      T("The US Trafficking in Persons Report of each year: the tier, the prioritised "
        "recommendations, and how the committee answers each."));
    json_t *items = json_object_get(q, "items");
    P("<section class=\"card wide\"><div class=\"table-wrap\"><table><thead><tr>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th></tr></thead><tbody>",
      T("Year"), T("Tier"), T("Published"), T("Reporting period"));
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
    {
        P("<tr><td><a href=\"/tip-reports/%D\">%D</a></td><td>%h</td><td>",
          (int64_t)json_integer_value(json_object_get(x, "id")),
          (int64_t)json_integer_value(json_object_get(x, "year")), tier_label(r, str(x, "tier")));
        put_date(r, str(x, "published_on"));
        P("</td><td>");
        put_date(r, str(x, "period_from"));
        P(" – ");
        put_date(r, str(x, "period_to"));
        P("</td></tr>");
    }
    P("</tbody></table></div>");
    if (json_array_size(items) == 0)
        P("<p class=\"empty\">%h</p>", T("No report recorded yet."));
    put_tier_chart(r, items);
    P("</section>");
    if (policy_allows(r->sess.user.role, ACT_TIPREPORT_WRITE)) {
        P("<section class=\"card\"><h2>%h</h2><form method=\"post\" action=\"/tip-reports\" "
          "class=\"stack\">",
          T("Record a report"));
        layout_csrf(r);
        P("<div class=\"field\"><label for=\"tr-year\">%h *</label><input id=\"tr-year\" "
          "name=\"year\" type=\"number\" min=\"2001\" max=\"2200\" required></div>"
          "<div class=\"field\"><label for=\"tr-tier\">%h *</label><select id=\"tr-tier\" "
          "name=\"tier\" required>",
          T("Year"), T("Tier"));
        tier_options(r, NULL);
        P("</select></div><div class=\"field\"><label for=\"tr-pub\">%h</label><input "
          "id=\"tr-pub\" name=\"published_on\" type=\"date\"></div>"
          "<div class=\"field\"><label for=\"tr-text\">%h</label><textarea id=\"tr-text\" "
          "name=\"text\" rows=\"8\" aria-describedby=\"tr-hint\"></textarea><p class=\"hint\" "
          "id=\"tr-hint\">%h</p></div><div class=\"actions\"><button type=\"submit\" "
          "class=\"primary\">%h</button></div></form></section>",
          T("Published"), T("Prioritised recommendations (English)"),
          T("Paste the report's recommendations, one per paragraph (a blank line between "
            "them)."),
          T("Save"));
    }
    json_decref(q);
    layout_end(r);
    return VIGIL_OK;
}

/* The statistics of the report's period and of the calendar year before the
 * report, computed once for the page's figures. */
struct fig_stats {
    json_t *tip, *year;
};

static void figure_line(struct req *r, json_t *f, json_t *rep, struct fig_stats *fs)
{
    int yearly = strcmp(str(f, "period"), "year") == 0;
    json_t **slot = yearly ? &fs->year : &fs->tip;
    char from[11], to[11];
    int year = (int)json_integer_value(json_object_get(rep, "year"));
    if (yearly) {
        unsigned y = (unsigned)(year - 1) % 10000u;
        snprintf(from, sizeof from, "%04u-01-01", y);
        snprintf(to, sizeof to, "%04u-12-31", y);
    } else {
        snprintf(from, sizeof from, "%s", str(rep, "period_from"));
        snprintf(to, sizeof to, "%s", str(rep, "period_to"));
    }
    if (!*slot) {
        struct stats_query q = {.from = from, .to = to, .k = r->cfg->stats_k, .trend_years = 1};
        if (stats_compute(r->st, &q, slot))
            *slot = json_null();
    }
    long long v = 0;
    int sup = 0;
    int rc = json_is_object(*slot) ? tipresponse_figure_in(*slot, str(f, "table"), str(f, "row"),
                                                           str(f, "column"), &v, &sup)
                                   : VIGIL_EIO;
    P("<li>%h (%h): ", in_lang(r, f, "label"), yearly ? from : T("the reporting period"));
    if (rc)
        P("<em>%h</em>", T("not available"));
    else if (sup)
        P("<span class=\"suppressed\">&lt;%d</span> <small>%h</small>", r->cfg->stats_k,
          T("(suppressed)"));
    else
        P("<strong>%D</strong>", (int64_t)v);
    P(" <small><code>%h · %h · %h</code></small></li>", str(f, "table"), str(f, "row"),
      str(f, "column"));
}

static void assess_options(struct req *r, const char *sel)
{
    P("<option value=\"\"%s>%h</option>", sel && *sel ? "" : " selected",
      T("— from its measures —"));
    for (size_t i = 0; recommendation_states[i]; i++)
        P("<option value=\"%a\"%s>%h</option>", recommendation_states[i],
          sel && strcmp(sel, recommendation_states[i]) == 0 ? " selected" : "",
          tipresponse_state_label(r->lang, recommendation_states[i]));
}

static void rec_forms(struct req *r, json_t *rec, json_t *measures)
{
    int64_t id = (int64_t)json_integer_value(json_object_get(rec, "id"));
    P("<details class=\"refer\"><summary>%h</summary><form method=\"post\" "
      "action=\"/tip-reports/%D/recommendations/%D\" class=\"stack\">",
      T("Assess, translate and link measures"), r->id, id);
    layout_csrf(r);
    P("<input type=\"hidden\" name=\"version\" value=\"%D\">",
      (int64_t)json_integer_value(json_object_get(rec, "version")));
    P("<div class=\"field\"><label for=\"ra-%D\">%h</label><select id=\"ra-%D\" "
      "name=\"assessment\">",
      id, T("Assessment"), id);
    assess_options(r, str(rec, "assessment"));
    P("</select></div>");
    static const struct {
        const char *name, *label;
    } texts[] = {
        {"text_zh", N_("Recommendation in Chinese")},
        {"text_pt", N_("Recommendation in Portuguese")},
        {"position_en", N_("The committee's position (English)")},
        {"position_zh", N_("The committee's position (Chinese)")},
        {"position_pt", N_("The committee's position (Portuguese)")},
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
        P("<div class=\"field\"><label for=\"%a-%D\">%h</label><textarea id=\"%a-%D\" name=\"%a\" "
          "rows=\"2\" maxlength=\"4000\">%h</textarea></div>",
          texts[k].name, id, T(texts[k].label), texts[k].name, id, texts[k].name,
          str(rec, texts[k].name));
    P("<fieldset><legend>%h</legend>", T("Measures that answer it"));
    size_t i;
    json_t *m;
    json_array_foreach(measures, i, m)
    {
        int64_t mid = (int64_t)json_integer_value(json_object_get(m, "id"));
        int on = 0;
        size_t j;
        json_t *l;
        json_array_foreach(json_object_get(rec, "measures"), j, l) on |=
            json_integer_value(json_object_get(l, "id")) == mid;
        P("<div class=\"field check\"><input type=\"checkbox\" id=\"rm-%D-%D\" name=\"m-%D\" "
          "value=\"1\"%s><label for=\"rm-%D-%D\">%h <small>(%h · %h)</small></label></div>",
          id, mid, mid, on ? " checked" : "", id, mid, str(m, "title"), str(m, "owner"),
          tipresponse_state_label(r->lang, str(m, "state")));
    }
    if (json_array_size(measures) == 0)
        P("<p class=\"empty\">%h</p>", T("No measure recorded yet."));
    P("</fieldset><div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button>"
      "</div></form></details>",
      T("Save"));

    P("<details class=\"refer\"><summary>%h</summary><form method=\"post\" "
      "action=\"/tip-reports/%D/recommendations/%D/figures\" class=\"stack\">",
      T("Add an evidencing figure"), r->id, id);
    layout_csrf(r);
    P("<div class=\"field\"><label for=\"fl-%D\">%h *</label><input id=\"fl-%D\" "
      "name=\"label_en\" maxlength=\"200\" required></div>"
      "<div class=\"field\"><label for=\"fz-%D\">%h</label><input id=\"fz-%D\" name=\"label_zh\" "
      "maxlength=\"200\"></div><div class=\"field\"><label for=\"fp-%D\">%h</label><input "
      "id=\"fp-%D\" name=\"label_pt\" maxlength=\"200\"></div>"
      "<div class=\"field\"><label for=\"ft-%D\">%h *</label><select id=\"ft-%D\" name=\"table\" "
      "required>",
      id, T("Label (English)"), id, id, T("Label (Chinese)"), id, id, T("Label (Portuguese)"), id,
      id, T("Statistics table"), id);
    for (size_t k = 0; figure_table(k); k++)
        P("<option>%h</option>", figure_table(k));
    P("</select></div><div class=\"field\"><label for=\"fr-%D\">%h *</label><input id=\"fr-%D\" "
      "name=\"row\" maxlength=\"200\" required aria-describedby=\"fh-%D\"><p class=\"hint\" "
      "id=\"fh-%D\">%h</p></div><div class=\"field\"><label for=\"fc-%D\">%h</label><input "
      "id=\"fc-%D\" name=\"column\" maxlength=\"64\" placeholder=\"count\"></div>"
      "<div class=\"field\"><label for=\"fd-%D\">%h</label><select id=\"fd-%D\" name=\"period\">"
      "<option value=\"tip\">%h</option><option value=\"year\">%h</option></select></div>"
      "<div class=\"actions\"><button type=\"submit\">%h</button></div></form></details>",
      id, T("Row"), id, id, id,
      T("A row key of the table, e.g. prosecutions (legal), 153-A (legal_by_statute), or total."),
      id, T("Column"), id, id, T("Period"), id, T("The report's reporting period"),
      T("The calendar year before the report"), T("Add"));
}

int page_tipreport(struct req *r)
{
    json_t *rep = page_api(r, api_tipreport_get);
    if (!rep)
        return VIGIL_EIO;
    int write = policy_allows(r->sess.user.role, ACT_TIPREPORT_WRITE);
    json_t *measures = NULL;
    if (write && store_measure_list(r->st, NULL, NULL, &measures))
        measures = json_array();
    char title[96];
    snprintf(title, sizeof title, "%s %" JSON_INTEGER_FORMAT, T("TIP report"),
             json_integer_value(json_object_get(rep, "year")));
    layout_begin(r, title, "tipreports");
    P("<h1>%h</h1><p><a href=\"/tip-reports\">%h</a></p>", title, T("All reports"));
    P("<section class=\"card wide\"><dl class=\"facts\"><dt>%h</dt><dd><strong>%h</strong></dd>"
      "<dt>%h</dt><dd>",
      T("Tier"), tier_label(r, str(rep, "tier")), T("Published"));
    put_date(r, str(rep, "published_on"));
    P("</dd><dt>%h</dt><dd>", T("Reporting period"));
    put_date(r, str(rep, "period_from"));
    P(" – ");
    put_date(r, str(rep, "period_to"));
    P("</dd></dl>");
    const char *notes = in_lang(r, rep, "notes");
    if (*notes)
        P("<h2>%h</h2><p class=\"text\">%h</p>", T("Where the report is mistaken"), notes);
    P("<p>%h: <a href=\"/tip-reports/%D/response?format=html&amp;lang=zh-Hant\">中文</a> · "
      "<a href=\"/tip-reports/%D/response?format=html&amp;lang=pt\">Português</a> · "
      "<a href=\"/tip-reports/%D/response?format=html&amp;lang=en\">English</a> · "
      "<a href=\"/tip-reports/%D/response?format=pdf\">PDF</a> · "
      "<a href=\"/tip-reports/%D/response?format=txt\">%h</a></p>",
      T("Draft response"), r->id, r->id, r->id, r->id, r->id, T("Text"));
    if (policy_allows(r->sess.user.role, ACT_STATEMENT_WRITE)) {
        P("<form method=\"post\" action=\"/tip-reports/%D/statement\">", r->id);
        layout_csrf(r);
        P("<button type=\"submit\">%h</button> <small>%h</small></form>",
          T("Make a statement of the draft"),
          T("A draft public statement in the three languages, to edit and publish."));
    }
    P("</section>");

    struct fig_stats fs = {0};
    size_t i;
    json_t *rec;
    json_array_foreach(json_object_get(rep, "recommendations"), i, rec)
    {
        const char *state = str(rec, "state");
        P("<section class=\"card wide rec rec-%a\"><h2>%h %D <span class=\"tag tag-%a\">%h</span>"
          "</h2><p class=\"text\">%h</p>",
          state, T("Recommendation"), (int64_t)json_integer_value(json_object_get(rec, "seq")),
          state, tipresponse_state_label(r->lang, state), in_lang(r, rec, "text"));
        const char *pos = in_lang(r, rec, "position");
        if (*pos)
            P("<p><strong>%h:</strong> %h</p>", T("The committee's position"), pos);
        P("<h3>%h</h3><ul>", T("Measures that answer it"));
        size_t j;
        json_t *m;
        json_array_foreach(json_object_get(rec, "measures"), j, m)
            P("<li><a href=\"/measures/%D\">%h</a> — %h (%h)</li>",
              (int64_t)json_integer_value(json_object_get(m, "id")), str(m, "title"),
              tipresponse_state_label(r->lang, str(m, "state")), str(m, "owner"));
        if (json_array_size(json_object_get(rec, "measures")) == 0)
            P("<li class=\"empty\">%h</li>", T("No measure answers it yet."));
        P("</ul><h3>%h</h3><ul>", T("Figures"));
        json_t *f;
        json_array_foreach(json_object_get(rec, "figures"), j, f) figure_line(r, f, rep, &fs);
        if (json_array_size(json_object_get(rec, "figures")) == 0)
            P("<li class=\"empty\">%h</li>", T("No figure yet."));
        P("</ul>");
        if (write)
            rec_forms(r, rec, measures);
        P("</section>");
    }
    json_decref(fs.tip);
    json_decref(fs.year);
    if (write) {
        P("<section class=\"card\"><h2>%h</h2><form method=\"post\" "
          "action=\"/tip-reports/%D/recommendations\" class=\"stack\">",
          T("Add recommendations"), r->id);
        layout_csrf(r);
        P("<div class=\"field\"><label for=\"ri-text\">%h *</label><textarea id=\"ri-text\" "
          "name=\"text\" rows=\"6\" required aria-describedby=\"ri-hint\"></textarea><p "
          "class=\"hint\" id=\"ri-hint\">%h</p></div><div class=\"actions\"><button "
          "type=\"submit\">%h</button></div></form></section>",
          T("Prioritised recommendations (English)"),
          T("Paste the report's recommendations, one per paragraph (a blank line between "
            "them)."),
          T("Add"));
    }
    json_decref(measures);
    json_decref(rep);
    layout_end(r);
    return VIGIL_OK;
}

/* ---- forms ------------------------------------------------------------------ */

static int redirect_report(struct req *r, int64_t id)
{
    char loc[48];
    snprintf(loc, sizeof loc, "/tip-reports/%" PRId64, id);
    return page_redirect(r, loc);
}

/* Call fn with body in place of the form; 0 when it succeeded. */
static int with_body(struct req *r, json_t *body, int (*fn)(struct req *))
{
    json_t *form = r->body;
    r->body = body;
    json_t *out = page_api(r, fn);
    r->body = form;
    json_decref(body);
    if (!out)
        return r->status ? VIGIL_EINVAL : VIGIL_EIO;
    json_decref(out);
    return VIGIL_OK;
}

int page_tipreport_create(struct req *r)
{
    json_t *b = json_object();
    int year = 0;
    if (parse_int(form_str(r->body, "year"), 2001, 2200, &year)) {
        json_decref(b);
        return req_fail(r, VIGIL_EINVAL, "year", "field 'year' must be a year");
    }
    json_object_set_new(b, "year", json_integer(year));
    const char *keys[] = {"tier", "published_on", "text", NULL};
    for (size_t k = 0; keys[k]; k++) {
        const char *v = form_str(r->body, keys[k]);
        if (v && *v)
            json_object_set_new(b, keys[k], json_string(v));
    }
    int rc = with_body(r, b, api_tipreport_create);
    if (rc)
        return rc;
    json_t *rep = NULL;
    if (store_tipreport_by_year(r->st, year, &rep))
        return page_redirect(r, "/tip-reports");
    int64_t id = json_integer_value(json_object_get(rep, "id"));
    json_decref(rep);
    return redirect_report(r, id);
}

int page_recommendation_import(struct req *r)
{
    const char *t = form_str(r->body, "text");
    json_t *b = json_pack("{s:s}", "text", t ? t : "");
    int rc = with_body(r, b, api_recommendation_create);
    return rc ? rc : redirect_report(r, r->id);
}

/* The recommendation {sid} of the report {id}; 404 otherwise. */
static int own_rec(struct req *r)
{
    json_t *rec;
    int rc = store_recommendation_get(r->st, r->sub, &rec);
    if (!rc && json_integer_value(json_object_get(rec, "report_id")) != r->id)
        rc = VIGIL_ENOTFOUND;
    json_decref(rec);
    if (rc)
        return req_fail(r, rc, NULL, "no recommendation %" PRId64 " in this report", r->sub);
    return VIGIL_OK;
}

int page_recommendation_save(struct req *r)
{
    int rc = own_rec(r);
    if (rc)
        return rc;
    int64_t version = 0;
    if (parse_i64(form_str(r->body, "version"), 1, INT64_MAX, &version))
        return req_fail(r, VIGIL_EINVAL, "version", "the form has no version");
    json_t *b = json_object(), *ids = json_array();
    const char *a = form_str(r->body, "assessment");
    json_object_set_new(b, "assessment", a && *a ? json_string(a) : json_null());
    const char *texts[] = {"text_zh", "text_pt", "position_en", "position_zh", "position_pt", NULL};
    for (size_t k = 0; texts[k]; k++) {
        const char *v = form_str(r->body, texts[k]);
        if (v)
            json_object_set_new(b, texts[k], json_string(v));
    }
    const char *key;
    json_t *v;
    json_object_foreach(r->body, key, v)
    {
        int64_t mid = 0;
        if (strncmp(key, "m-", 2) == 0 && parse_i64(key + 2, 1, INT64_MAX, &mid) == 0)
            json_array_append_new(ids, json_integer(mid));
    }
    json_object_set_new(b, "measure_ids", ids);
    char im[32];
    snprintf(im, sizeof im, "%" PRId64, version);
    int64_t report = r->id;
    const char *saved = r->if_match;
    r->if_match = im;
    r->id = r->sub;
    rc = with_body(r, b, api_recommendation_update);
    r->id = report;
    r->if_match = saved;
    return rc ? rc : redirect_report(r, report);
}

int page_recommendation_figure(struct req *r)
{
    int rc = own_rec(r);
    if (rc)
        return rc;
    json_t *b = json_object();
    const char *keys[] = {"label_en", "label_zh", "label_pt", "table",
                          "row",      "column",   "period",   NULL};
    for (size_t k = 0; keys[k]; k++) {
        const char *v = form_str(r->body, keys[k]);
        if (v && *v)
            json_object_set_new(b, keys[k], json_string(v));
    }
    int64_t report = r->id;
    r->id = r->sub;
    rc = with_body(r, b, api_recommendation_figure);
    r->id = report;
    return rc ? rc : redirect_report(r, report);
}

int page_tipreport_statement(struct req *r)
{
    json_t *out = page_api(r, api_tipreport_statement);
    if (!out)
        return r->status ? VIGIL_EINVAL : VIGIL_EIO;
    char loc[48];
    snprintf(loc, sizeof loc, "/statements/%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(out, "statement_id")));
    json_decref(out);
    r->location[0] = '\0';
    return page_redirect(r, loc);
}

/* The draft response as a page, a text or a PDF. */
int page_tipreport_response(struct req *r)
{
    json_t *rep;
    int rc = store_tipreport_get(r->st, r->id, &rep);
    if (rc)
        return req_fail(r, rc, NULL, "no such TIP report");
    int year = (int)json_integer_value(json_object_get(rep, "year"));
    json_decref(rep);
    const char *l = req_param(r, "lang"), *fmt = req_param(r, "format");
    int lang = l ? i18n_parse(l) : r->lang;
    json_t *doc;
    char err[256];
    if ((rc = tipresponse_build(r->st, year, lang, r->cfg->stats_k, &doc, err, sizeof err)))
        return req_fail(r, rc, NULL, "%s", err);
    if (!fmt || strcmp(fmt, "html") == 0) {
        rc = tipresponse_html(doc, &r->html);
    } else if (strcmp(fmt, "txt") == 0) {
        rc = tipresponse_txt(doc, &r->html);
        r->html_type = "text/plain; charset=utf-8";
    } else {
        rc = tipresponse_pdf_buf(doc, &r->html);
        r->html_type = "application/pdf";
    }
    json_decref(doc);
    if (rc) {
        buf_reset(&r->html);
        return req_fail(r, rc, NULL, "the draft could not be written");
    }
    return VIGIL_OK;
}
