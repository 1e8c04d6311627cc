/* The layout every page shares, the error page and picklist labels; see page.h. */
#include <string.h>

#include "auth/policy.h"
#include "core/htcds.h"
#include "report/pack.h"
#include "web/page.h"

static const struct {
    const char *value, *label;
} own_labels[] = {
    {"trafficking", N_("Trafficking in persons")},
    {"labour_exploitation", N_("Labour exploitation")},
    {"hotline", N_("Hotline")},
    {"police", N_("Police")},
    {"inspection", N_("Inspection")},
    {"NGO", N_("NGO")},
    {"referral", N_("Referral")},
    {"international", N_("International")},
    {"intake", N_("Intake")},
    {"screening", N_("Screening")},
    {"protection", N_("Protection")},
    {"investigation", N_("Investigation")},
    {"prosecution", N_("Prosecution")},
    {"closed", N_("Closed")},
    {"victim", N_("Victim")},
    {"suspect", N_("Suspect")},
    {"witness", N_("Witness")},
    {"pending", N_("Pending")},
    {"accepted", N_("Accepted")},
    {"rejected", N_("Rejected")},
    {"completed", N_("Completed")},
    {"admin", N_("Administrator")},
    {"secretariat", N_("Secretariat")},
    {"investigator", N_("Investigator")},
    {"prosecutor", N_("Prosecutor")},
    {"magistrate", N_("Magistrate")},
    {"caseworker", N_("Caseworker")},
    {"inspector", N_("Inspector")},
    {"auditor", N_("Auditor")},
};

const char *label_value(struct req *r, const char *value)
{
    if (!value)
        return "";
    for (size_t i = 0; i < sizeof own_labels / sizeof own_labels[0]; i++)
        if (strcmp(own_labels[i].value, value) == 0)
            return T(own_labels[i].label);
    return value;
}

const char *label_htcds(struct req *r, const char *field, const char *value)
{
    const struct htcds_enum *e = htcds_enum_find(field);
    if (!value)
        return "";
    for (size_t i = 0; e && e->values[i]; i++)
        if (strcmp(e->values[i], value) == 0)
            return T(e->labels[i]);
    return value;
}

void put_date(struct req *r, const char *iso)
{
    char d[64];
    i18n_date(r->lang, iso, d, sizeof d);
    P("<time datetime=\"%a\">%h</time>", iso, d);
}

int page_redirect(struct req *r, const char *path)
{
    snprintf(r->location, sizeof r->location, "%s", path);
    r->status = 303;
    return 0;
}

void layout_csrf(struct req *r)
{
    P("<input type=\"hidden\" name=\"csrf\" value=\"%a\">", r->sess.csrf);
}

/* The language switcher: the current page with the current query, in another
 * language. */
void layout_langs(struct req *r)
{
    P("<nav class=\"langs\" aria-label=\"%a\"><ul>", T("Language"));
    for (int l = 0; l < LANG_COUNT; l++) {
        if (l == r->lang) {
            P("<li><span aria-current=\"true\" lang=\"%a\">%h</span></li>", i18n_code(l),
              i18n_name(l));
            continue;
        }
        P("<li><a lang=\"%a\" hreflang=\"%a\" href=\"%U?", i18n_code(l), i18n_code(l),
          r->path ? r->path : "/");
        const struct param *p = r->route && strcmp(r->method, "GET") == 0 ? r->route->params : NULL;
        for (int i = 0; p && p[i].name; i++)
            if (r->q[i])
                P("%u=%u&amp;", p[i].name, r->q[i]);
        P("lang=%u\">%h</a></li>", i18n_code(l), i18n_name(l));
    }
    P("</ul></nav>");
}

static void nav_item(struct req *r, const char *nav, const char *key, const char *href,
                     const char *label)
{
    int on = nav && strcmp(nav, key) == 0;
    P("<li><a href=\"%U\"%s>%h</a></li>", href, on ? " aria-current=\"page\"" : "", label);
}

void layout_begin(struct req *r, const char *title, const char *nav)
{
    P("<!DOCTYPE html>\n<html lang=\"%a\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>%h · %h</title><link rel=\"stylesheet\" href=\"/static/vigil.css\">"
      "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
      "</head><body>",
      i18n_code(r->lang), title, T("vigil"));
    P("<a class=\"skip\" href=\"#main\">%h</a>", T("Skip to content"));
    P("<header class=\"top\"><div class=\"bar\"><a class=\"brand\" href=\"/\">"
      "<span class=\"logo\" aria-hidden=\"true\">◆</span> %h"
      "<span class=\"sub\">%h</span></a>",
      T("vigil"), T("Anti-trafficking case management"));
    layout_langs(r);
    P("</div>");
    if (r->authed) {
        P("<div class=\"bar nav\"><nav aria-label=\"%a\"><ul>", T("Main"));
        nav_item(r, nav, "home", "/", T("Home"));
        if (policy_allows(r->sess.user.role, ACT_CASE_LIST))
            nav_item(r, nav, "cases", "/cases", T("Cases"));
        if (policy_allows(r->sess.user.role, ACT_CASE_CREATE))
            nav_item(r, nav, "new", "/cases/new", T("New case"));
        if (policy_allows(r->sess.user.role, ACT_STATS_READ)) {
            nav_item(r, nav, "stats", "/stats", T("Statistics"));
            nav_item(r, nav, "reports", "/reports", pack_tr(r->lang, NC_("pack", "Reports")));
        }
        if (policy_allows(r->sess.user.role, ACT_COMMITTEE_READ)) {
            nav_item(r, nav, "meetings", "/meetings", T("Meetings"));
            nav_item(r, nav, "measures", "/measures", T("Measures"));
            nav_item(r, nav, "activities", "/activities", T("Activities"));
        }
        if (policy_allows(r->sess.user.role, ACT_AUDIT_READ))
            nav_item(r, nav, "audit", "/audit", T("Audit log"));
        if (policy_allows(r->sess.user.role, ACT_USER_ADMIN))
            nav_item(r, nav, "users", "/admin/users", T("Users"));
        if (policy_allows(r->sess.user.role, ACT_STATEMENT_WRITE))
            nav_item(r, nav, "statements", "/statements", T("Statements"));
        if (policy_allows(r->sess.user.role, ACT_TIP_TRIAGE))
            nav_item(r, nav, "tips", "/tips", T("Tips"));
        if (policy_allows(r->sess.user.role, ACT_TIPREPORT_READ))
            nav_item(r, nav, "tipreports", "/tip-reports", T("TIP reports"));
        if (policy_allows(r->sess.user.role, ACT_FEEDBACK_READ))
            nav_item(r, nav, "feedback", "/feedback", T("Page feedback"));
        if (policy_allows(r->sess.user.role, ACT_RELEASE_READ))
            nav_item(r, nav, "releases", "/releases", T("Statistical releases"));
        P("</ul></nav><div class=\"who\"><span><a href=\"/account\"%s>%h</a> · %h · %h</span>"
          "<form method=\"post\" action=\"/logout\">",
          nav && strcmp(nav, "account") == 0 ? " aria-current=\"page\"" : "", r->sess.user.username,
          label_value(r, role_name(r->sess.user.role)), r->sess.user.org_code);
        layout_csrf(r);
        P("<button type=\"submit\" class=\"link\">%h</button></form></div></div>", T("Log out"));
    }
    P("</header><main id=\"main\" tabindex=\"-1\">");
}

void layout_end(struct req *r)
{
    P("</main><footer><p>%h · vigil %h</p></footer></body></html>\n",
      T("Restricted: authorised staff only. Every access is recorded."), VIGIL_VERSION);
}

void page_error(struct req *r)
{
    const char *title, *msg;
    switch (r->status) {
    case 400:
        title = T("The request is not valid");
        msg = T("Something in the address or the form is not valid. Go back and check it.");
        break;
    case 403:
        if (strcmp(r->err_field, "csrf") == 0) {
            title = T("This form has expired");
            msg = T("For your security the form could not be accepted. Go back, reload the "
                    "page and send it again.");
        } else {
            title = T("Access denied");
            msg = T("Your role does not allow this page.");
        }
        break;
    case 404:
        title = T("Page not found");
        msg = T("There is no such page, or it is not visible to your agency.");
        break;
    case 405:
        title = T("The request is not valid");
        msg = T("This page cannot be used that way.");
        break;
    case 409:
        title = T("The change was not made");
        msg = T("It conflicts with the current state of the record. Go back, reload the page "
                "and check it.");
        break;
    case 413:
        title = T("The request is too large");
        msg = T("The form you sent is too large.");
        break;
    case 415:
        title = T("The request is not valid");
        msg = T("Something in the address or the form is not valid. Go back and check it.");
        break;
    case 429:
        title = T("Too many attempts");
        msg = T("Too many failed attempts. Wait a few minutes and try again.");
        break;
    default:
        title = T("Something went wrong");
        msg = T("The server could not complete the request. Try again; if it keeps "
                "happening, tell your administrator.");
        break;
    }
    buf_reset(&r->html);
    r->html_type = NULL;
    if (r->path && strncmp(r->path, "/public/", 8) == 0) {
        public_error(r, title, msg); /* the public side's own layout */
        return;
    }
    layout_begin(r, title, NULL);
    P("<div class=\"error-page\"><p class=\"code\">%d</p><h1>%h</h1><p>%h</p>"
      "<p><a href=\"/\">%h</a></p></div>",
      r->status, title, msg, T("Go to the home page"));
    layout_end(r);
}

int page_call(struct req *r, int (*fn)(struct req *), json_t *body)
{
    json_t *form = r->body;
    r->body = body;
    int rc = fn(r);
    r->body = form;
    return rc;
}

json_t *page_api(struct req *r, int (*fn)(struct req *))
{
    int rc = fn(r);
    json_t *out = r->resp;
    r->resp = NULL;
    if (rc || r->status >= 400) {
        json_decref(out);
        return NULL;
    }
    r->status = 0;
    return out;
}
