/*
 * The tip queue for the agencies that triage tips: the list by state, one
 * tip with what its sender said (opened only after the read's audit entry,
 * by the API's handlers), the triage forms (review, promote to a case of the
 * agency, close with a reason), and the form hotline staff use to log a
 * call, which shows the caller's follow-up code once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"
#include "util/parse.h"
#include "web/form.h"
#include "web/page.h"

static const char *const states[] = {"new", "reviewing", "promoted", "closed", NULL};

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static const char *state_label(struct req *r, const char *s)
{
    if (strcmp(s, "new") == 0)
        return T("New");
    if (strcmp(s, "reviewing") == 0)
        return T("Under review");
    if (strcmp(s, "promoted") == 0)
        return T("Became a case");
    if (strcmp(s, "closed") == 0)
        return T("Closed");
    return s;
}

static const char *channel_label(struct req *r, const char *c)
{
    return strcmp(c, "hotline") == 0 ? T("Hotline") : T("Web form");
}

static void log_form(struct req *r)
{
    P("<details class=\"refer\"><summary>%h</summary>"
      "<form method=\"post\" action=\"/tips\" class=\"stack\">",
      T("Log a hotline call"));
    layout_csrf(r);
    P("<div class=\"field\"><label for=\"tl-what\">%h *</label><textarea id=\"tl-what\" "
      "name=\"what\" rows=\"4\" maxlength=\"5000\" required></textarea></div>"
      "<div class=\"field\"><label for=\"tl-where\">%h</label><input id=\"tl-where\" "
      "name=\"where\" maxlength=\"500\"></div>"
      "<div class=\"field\"><label for=\"tl-when\">%h</label><input id=\"tl-when\" "
      "name=\"when\" maxlength=\"200\"></div>"
      "<div class=\"field\"><label for=\"tl-contact\">%h</label><input id=\"tl-contact\" "
      "name=\"contact\" maxlength=\"300\"></div>"
      "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div>"
      "</form></details>",
      T("What happened"), T("Where"), T("When"), T("Contact (optional)"), T("Save"));
}

int page_tips(struct req *r)
{
    json_t *q = page_api(r, api_tip_queue);
    if (!q)
        return VIGIL_EIO;
    const char *sel = req_param(r, "state");
    layout_begin(r, T("Tips"), "tips");
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Tips"),
      T("Anonymous tips from the public form and calls logged by the hotline, newest first."));
    P("<nav class=\"filters\" aria-label=\"%a\"><a href=\"/tips\"%s>%h</a>", T("State"),
      sel ? "" : " aria-current=\"page\"", T("All"));
    for (size_t k = 0; states[k]; k++)
        P(" · <a href=\"/tips?state=%u\"%s>%h</a>", states[k],
          sel && strcmp(sel, states[k]) == 0 ? " aria-current=\"page\"" : "",
          state_label(r, states[k]));
    P("</nav>");
    log_form(r);
    json_t *items = json_object_get(q, "items");
    P("<section class=\"card wide\"><div class=\"table-wrap\"><table><thead><tr>"
      "<th scope=\"col\">#</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "</tr></thead><tbody>",
      T("Received"), T("Channel"), T("State"), T("What happened"), T("Additions"));
    size_t i;
    json_t *t;
    json_array_foreach(items, i, t)
    {
        int64_t id = (int64_t)json_integer_value(json_object_get(t, "id"));
        char what[160];
        const char *w = str(t, "what");
        size_t n = strlen(w);
        if (n > 120) { /* cut on a UTF-8 boundary */
            n = 120;
            while (n > 0 && ((unsigned char)w[n] & 0xC0) == 0x80)
                n--;
        }
        snprintf(what, sizeof what, "%.*s%s", (int)n, w, strlen(w) > n ? "…" : "");
        P("<tr class=\"tip-%a\"><td><a href=\"/tips/%D\">%D</a></td><td class=\"nowrap\">",
          str(t, "state"), id, id);
        put_date(r, str(t, "created_at"));
        P("</td><td>%h</td><td><span class=\"tag\">%h</span></td><td class=\"text\">%h</td>"
          "<td>%D</td></tr>",
          channel_label(r, str(t, "channel")), state_label(r, str(t, "state")), what,
          (int64_t)json_integer_value(json_object_get(t, "additions")));
    }
    P("</tbody></table></div>");
    if (json_array_size(items) == 0)
        P("<p class=\"empty\">%h</p>", T("No tips."));
    P("</section>");
    json_decref(q);
    layout_end(r);
    return VIGIL_OK;
}

static void triage_form(struct req *r, int64_t id, const char *state)
{
    P("<section class=\"card\"><h2>%h</h2>", T("Triage"));
    if (strcmp(state, "new") == 0) {
        P("<form method=\"post\" action=\"/tips/%D/triage\" class=\"stack\">", id);
        layout_csrf(r);
        P("<input type=\"hidden\" name=\"state\" value=\"reviewing\"><div class=\"actions\">"
          "<button type=\"submit\" class=\"primary\">%h</button></div></form>",
          T("Start reviewing"));
    }
    P("<form method=\"post\" action=\"/tips/%D/triage\" class=\"stack\">", id);
    layout_csrf(r);
    P("<input type=\"hidden\" name=\"state\" value=\"promoted\"><div class=\"field\">"
      "<label for=\"tp-case\">%h</label><input id=\"tp-case\" name=\"case_id\" type=\"number\" "
      "min=\"1\" required aria-describedby=\"tp-hint\"><p class=\"hint\" id=\"tp-hint\">%h "
      "<a href=\"/cases/new\">%h</a></p></div><div class=\"actions\"><button "
      "type=\"submit\">%h</button></div></form>",
      T("Case number"), T("A case of your agency. To open one first:"), T("New case"),
      T("Promote to the case"));
    P("<form method=\"post\" action=\"/tips/%D/triage\" class=\"stack\">", id);
    layout_csrf(r);
    P("<input type=\"hidden\" name=\"state\" value=\"closed\"><div class=\"field\">"
      "<label for=\"tc-reason\">%h *</label><textarea id=\"tc-reason\" name=\"reason\" rows=\"2\" "
      "maxlength=\"1000\" required></textarea></div><div class=\"actions\"><button "
      "type=\"submit\">%h</button></div></form></section>",
      T("Reason for closing"), T("Close the tip"));
}

int page_tip(struct req *r)
{
    json_t *t = page_api(r, api_tip_get);
    if (!t)
        return VIGIL_EIO;
    char title[64];
    snprintf(title, sizeof title, "%s %" PRId64, T("Tip"), r->id);
    layout_begin(r, title, "tips");
    P("<h1>%h</h1><p><a href=\"/tips\">%h</a></p>", title, T("Back to the tips"));
    P("<section class=\"card wide\"><dl class=\"facts\">");
    P("<dt>%h</dt><dd>", T("Received"));
    put_date(r, str(t, "created_at"));
    P("</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd><span class=\"tag\">%h</span></dd>", T("Channel"),
      channel_label(r, str(t, "channel")), T("State"), state_label(r, str(t, "state")));
    json_int_t case_id = json_integer_value(json_object_get(t, "case_id"));
    if (case_id)
        P("<dt>%h</dt><dd><a href=\"/cases/%D\">%D</a></dd>", T("Case"), (int64_t)case_id,
          (int64_t)case_id);
    if (*str(t, "close_reason"))
        P("<dt>%h</dt><dd>%h</dd>", T("Reason for closing"), str(t, "close_reason"));
    P("</dl>");
    if (json_object_get(t, "sealed_error"))
        P("<p class=\"error\">%h</p>", T("What the tip says cannot be decrypted with this key."));
    P("<h2>%h</h2><p class=\"text\">%h</p>", T("What happened"), str(t, "what"));
    P("<dl class=\"facts\"><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd>"
      "</dl>",
      T("Where"), str(t, "where"), T("When"), str(t, "when"), T("Contact (optional)"),
      str(t, "contact"));
    json_t *adds = json_object_get(t, "additions_list");
    if (json_array_size(adds)) {
        P("<h2>%h</h2><ul class=\"additions\">", T("Added later by the sender"));
        size_t i;
        json_t *a;
        json_array_foreach(adds, i, a)
        {
            P("<li>");
            put_date(r, str(a, "created_at"));
            P(": %h</li>", str(a, "what"));
        }
        P("</ul>");
    }
    P("</section>");
    const char *state = str(t, "state");
    if (strcmp(state, "new") == 0 || strcmp(state, "reviewing") == 0)
        triage_form(r, r->id, state);
    json_decref(t);
    layout_end(r);
    return VIGIL_OK;
}

/* The form's fields as the API's body (empty ones left out). */
static json_t *form_body(json_t *form, const char *const keys[])
{
    json_t *b = json_object();
    for (size_t k = 0; keys[k]; k++) {
        const char *v = form_str(form, keys[k]);
        if (v && *v)
            json_object_set_new(b, keys[k], json_string(v));
    }
    return b;
}

int page_tip_log(struct req *r)
{
    static const char *const keys[] = {"what", "where", "when", "contact", NULL};
    json_t *form = r->body;
    r->body = form_body(form, keys);
    json_t *out = page_api(r, api_tip_log);
    json_decref(r->body);
    r->body = form;
    if (!out)
        return VIGIL_EINVAL;
    int64_t id = (int64_t)json_integer_value(json_object_get(out, "id"));
    layout_begin(r, T("Tip logged"), "tips");
    P("<h1>%h</h1><section class=\"card\"><p>%h</p><p class=\"code\"><strong>%h</strong></p>"
      "<p><a href=\"/tips/%D\">%h</a> · <a href=\"/tips\">%h</a></p></section>",
      T("Tip logged"),
      T("Read this follow-up code to the caller now: it is shown only once. With it they can "
        "follow the tip and add information on the public site."),
      str(out, "code"), id, T("Open the tip"), T("Back to the tips"));
    json_decref(out);
    layout_end(r);
    return VIGIL_OK;
}

int page_tip_triage(struct req *r)
{
    json_t *form = r->body, *b = json_object();
    const char *state = form_str(form, "state"), *reason = form_str(form, "reason"),
               *case_id = form_str(form, "case_id");
    if (state && *state)
        json_object_set_new(b, "state", json_string(state));
    if (reason && *reason)
        json_object_set_new(b, "reason", json_string(reason));
    if (case_id && *case_id) {
        int64_t c = 0;
        if (parse_i64(case_id, 1, INT64_MAX, &c)) {
            json_decref(b);
            return req_fail(r, VIGIL_EINVAL, "case_id", "field 'case_id' must be a case number");
        }
        json_object_set_new(b, "case_id", json_integer(c));
    }
    r->body = b;
    json_t *out = page_api(r, api_tip_triage);
    json_decref(b);
    r->body = form;
    if (!out)
        return VIGIL_EINVAL;
    json_decref(out);
    char loc[48];
    snprintf(loc, sizeof loc, "/tips/%" PRId64, r->id);
    return page_redirect(r, loc);
}
