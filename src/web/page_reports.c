/*
 * The committee's packs over HTTP: the /reports page (a form per pack) and
 * the routes that return the file — /reports/plenary and /reports/tip for
 * the pages, /api/v1/reports/plenary and /api/v1/reports/tip for API
 * clients. A pack leaves the committee, so each one is audited before it
 * is sent. The figures are report/stats.c's; the files are report/pack*.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "report/pack.h"
#include "report/report.h"
#include "report/stats.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/page.h"

/* The page's words carry the packs' gettext context (report/pack.h). */
#define TP(s) pack_tr(r->lang, NC_("pack", s))

/* Build, render, audit and hand over one pack as a download. */
static int report_send(struct req *r, int tip)
{
    const char *period = req_param(r, tip ? "year" : "month");
    const char *format = req_param(r, "format");
    const char *k_s = req_param(r, "k");
    int k = r->cfg->stats_k;
    if (k_s) {
        parse_int(k_s, 1, 1000, &k); /* a whole number by the gate */
        if (k < r->cfg->stats_k)
            return req_fail(r, VIGIL_EINVAL, "k",
                            "query parameter 'k' must be at least %d, this server's threshold",
                            r->cfg->stats_k);
    }
    int lang = r->lang; /* ?lang= first, as the gate negotiated it */
    if (!period)
        return req_fail(r, VIGIL_EINVAL, tip ? "year" : "month", "query parameter '%s' is required",
                        tip ? "year" : "month");
    if (!format)
        return req_fail(r, VIGIL_EINVAL, "format", "query parameter 'format' is required");
    char msg[256] = "";
    json_t *pack = NULL;
    int rc = tip ? tip_build(r->st, period, lang, k, time_now(), &pack, msg, sizeof msg)
                 : plenary_build(r->st, period, lang, k, time_now(), &pack, msg, sizeof msg);
    if (rc == VIGIL_EINVAL) {
        char field[16];
        snprintf(field, sizeof field, "%.*s", (int)strcspn(msg, ":"), msg);
        return req_fail(r, rc, field, "%s", msg);
    }
    if (rc)
        return req_fail(r, rc, NULL, "the pack could not be built");
    buf_reset(&r->html);
    rc = pack_render(pack, format, &r->html, msg, sizeof msg);
    json_decref(pack);
    if (rc) {
        buf_reset(&r->html);
        return req_fail(r, rc == VIGIL_EINVAL ? rc : VIGIL_EIO, NULL, "the pack could not be made");
    }
    char obj[64], detail[96];
    snprintf(obj, sizeof obj, "report:%s:%s", tip ? "tip" : "plenary", period);
    snprintf(detail, sizeof detail, "format=%s lang=%s k=%d", format, i18n_code(lang), k);
    rc = audit_record(r->st, r->sess.user.id, r->sess.user.username,
                      tip ? "report.tip" : "report.plenary", obj, detail);
    if (rc) {
        buf_reset(&r->html);
        return req_fail(r, rc, NULL, "the report could not be recorded in the audit log");
    }
    r->html_type = pack_content_type(format);
    snprintf(r->download, sizeof r->download, "vigil-%s-%s-%s.%s", tip ? "tip" : "plenary", period,
             i18n_code(lang), format);
    /* Choosing the pack's language is not choosing the interface's. */
    r->cookie2[0][0] = '\0';
    r->status = 200;
    return VIGIL_OK;
}

int page_report_plenary(struct req *r)
{
    return report_send(r, 0);
}

int page_report_tip(struct req *r)
{
    return report_send(r, 1);
}

int api_report_plenary(struct req *r)
{
    return report_send(r, 0);
}

int api_report_tip(struct req *r)
{
    return report_send(r, 1);
}

static void lang_select(struct req *r, const char *id)
{
    P("<div class=\"field\"><label for=\"%a\">%h</label><select id=\"%a\" name=\"lang\">", id,
      TP("Language of the pack"), id);
    for (int l = 0; l < LANG_COUNT; l++)
        P("<option value=\"%a\"%s>%h</option>", i18n_code(l), l == r->lang ? " selected" : "",
          i18n_name(l));
    P("</select></div>");
}

static void format_select(struct req *r, const char *id, const char *const *formats)
{
    P("<div class=\"field\"><label for=\"%a\">%h</label><select id=\"%a\" name=\"format\">", id,
      TP("Format"), id);
    for (size_t i = 0; formats[i]; i += 2)
        P("<option value=\"%a\">%h</option>", formats[i], pack_tr(r->lang, formats[i + 1]));
    P("</select></div>");
}

int page_reports(struct req *r)
{
    static const char *const plenary_formats[] = {
        "pdf",  NC_("pack", "PDF (to print)"),  "xlsx", NC_("pack", "Spreadsheet (XLSX)"),
        "html", NC_("pack", "Web page (HTML)"), NULL};
    static const char *const tip_formats[] = {
        "pdf",  NC_("pack", "PDF (to print)"), "xlsx", NC_("pack", "Spreadsheet (XLSX)"),
        "json", NC_("pack", "Data (JSON)"),    NULL};
    /* The month just ended, and the TIP year whose period ended last 31 March. */
    char today[11], month[8], year[8];
    time_date(time_now(), today);
    stats_last_month(month);
    int y = 0, m = 0;
    parse_date(today, &y, &m, NULL);
    snprintf(year, sizeof year, "%04d", (m >= 4 ? y : y - 1) % 10000);

    layout_begin(r, TP("Reports"), "reports");
    P("<h1>%h</h1><p class=\"hint\">%h</p>", TP("Reports"),
      TP("Each pack is made from the statistics at the moment you ask for it. Counts below the "
         "threshold k are suppressed. Every pack you take is recorded in the audit log."));

    P("<section class=\"card\" aria-labelledby=\"h-plenary\"><h2 id=\"h-plenary\">%h</h2>"
      "<p>%h</p><form method=\"get\" action=\"/reports/plenary\" class=\"stacked\">",
      TP("Plenary pack"),
      TP("The month's figures with their change, ten years of trends, every table, the state of "
         "every measure and the month's activities and meeting."));
    P("<div class=\"field\"><label for=\"p-month\">%h</label><input type=\"month\" id=\"p-month\" "
      "name=\"month\" value=\"%a\" required pattern=\"[0-9]{4}-[0-9]{2}\"></div>",
      TP("Month"), month);
    format_select(r, "p-format", plenary_formats);
    lang_select(r, "p-lang");
    P("<div class=\"field\"><label for=\"p-k\">%h</label><input type=\"number\" id=\"p-k\" "
      "name=\"k\" value=\"%d\" min=\"%d\" max=\"1000\"></div>",
      TP("Suppression threshold k"), r->cfg->stats_k, r->cfg->stats_k);
    P("<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div>"
      "</form></section>",
      TP("Make the plenary pack"));

    P("<section class=\"card\" aria-labelledby=\"h-tip\"><h2 id=\"h-tip\">%h</h2>"
      "<p>%h</p><form method=\"get\" action=\"/reports/tip\" class=\"stacked\">",
      TP("TIP data pack"),
      TP("The figures the US Trafficking in Persons Report asks for, over its reporting period: "
         "1 April of the year before to 31 March."));
    P("<div class=\"field\"><label for=\"t-year\">%h</label><input type=\"number\" id=\"t-year\" "
      "name=\"year\" value=\"%a\" required min=\"1971\" max=\"9999\"></div>",
      TP("Reporting year"), year);
    format_select(r, "t-format", tip_formats);
    lang_select(r, "t-lang");
    P("<div class=\"field\"><label for=\"t-k\">%h</label><input type=\"number\" id=\"t-k\" "
      "name=\"k\" value=\"%d\" min=\"%d\" max=\"1000\"></div>",
      TP("Suppression threshold k"), r->cfg->stats_k, r->cfg->stats_k);
    P("<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div>"
      "</form></section>",
      TP("Make the TIP data pack"));
    layout_end(r);
    return VIGIL_OK;
}
