/* The home page: my agency's open cases, referrals waiting for it, and
 * what is overdue. What appears follows the policy table. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth/policy.h"
#include "util/err.h"
#include "util/timeutil.h"
#include "web/page.h"

#define OVERDUE_DAYS 30

static void referral_inbox(struct req *r)
{
    json_t *arr = NULL;
    if (store_referral_list(r->st, 0, r->sess.user.org_id, "pending", &arr))
        return;
    P("<section class=\"card\" aria-labelledby=\"h-ref\"><h2 id=\"h-ref\">%h "
      "<span class=\"count\">%z</span></h2>",
      T("Referrals waiting for your agency"), json_array_size(arr));
    if (json_array_size(arr) == 0) {
        P("<p class=\"empty\">%h</p></section>", T("No referrals are waiting."));
        json_decref(arr);
        return;
    }
    int decide = policy_allows(r->sess.user.role, ACT_REFERRAL_DECIDE);
    P("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>",
      T("Received"), T("From"), T("Reason"));
    if (decide)
        P("<th scope=\"col\"><span class=\"sr-only\">%h</span></th>", T("Actions"));
    P("</tr></thead><tbody>");
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (i >= 20)
            break; /* the store lists newest first */
        P("<tr><td>");
        put_date(r, json_string_value(json_object_get(x, "created_at")));
        P("</td><td>%h</td><td>%h</td>", json_string_value(json_object_get(x, "from")),
          label_htcds(r, "cas_ReasonForOutgoingReferral",
                      json_string_value(json_object_get(x, "reason"))));
        if (decide) {
            json_int_t id = json_integer_value(json_object_get(x, "id"));
            P("<td class=\"nowrap\"><form method=\"post\" action=\"/referrals/%D/accept\" "
              "class=\"inline\">",
              (int64_t)id);
            layout_csrf(r);
            P("<button type=\"submit\" class=\"small\">%h</button></form> "
              "<form method=\"post\" action=\"/referrals/%D/reject\" class=\"inline\">",
              T("Accept"), (int64_t)id);
            layout_csrf(r);
            P("<button type=\"submit\" class=\"danger\">%h</button></form></td>", T("Reject"));
        }
        P("</tr>");
    }
    P("</tbody></table></div>");
    if (json_array_size(arr) > 20)
        P("<p class=\"muted\">%h</p>", T("The newest 20 are shown."));
    P("</section>");
    json_decref(arr);
}

static void cases_card(struct req *r, const char *id, const char *title, const char *empty,
                       const struct case_filter *f, const char *more)
{
    /* One row more than shown says whether there are more, without the cost
     * of counting them all (the list page counts). */
    struct case_filter g = *f;
    g.limit = f->limit + 1;
    json_t *items = NULL;
    if (store_case_list(r->st, &g, &items, NULL))
        return;
    size_t n = json_array_size(items);
    int over = n > (size_t)f->limit;
    if (over)
        json_array_remove(items, n - 1);
    P("<section class=\"card wide\" aria-labelledby=\"%a\"><h2 id=\"%a\">%h "
      "<span class=\"count\">%z%s</span></h2>",
      id, id, title, json_array_size(items), over ? "+" : "");
    case_table(r, items, title, empty);
    if (over && more)
        P("<p><a href=\"%U\">%h</a></p>", more, T("Show all"));
    P("</section>");
    json_decref(items);
}

/* The committee's measures past their due date, for every role that reads
 * them: the plenary follows them up. */
static void overdue_measures(struct req *r)
{
    char d[11];
    time_date(time_now(), d);
    json_t *items = NULL;
    if (store_measure_overdue(r->st, d, &items))
        return;
    P("<section class=\"card wide\" aria-labelledby=\"h-measures\" id=\"overdue-measures\">"
      "<h2 id=\"h-measures\">%h <span class=\"count\">%z</span></h2>",
      T("Overdue measures"), json_array_size(items));
    measure_table(r, items, T("No measure is overdue."));
    if (json_array_size(items))
        P("<p><a href=\"/measures?overdue=1\">%h</a></p>", T("Show all"));
    P("</section>");
    json_decref(items);
}

int page_home(struct req *r)
{
    layout_begin(r, T("Home"), "home");
    P("<h1>%h</h1>", T("Home"));
    int role = r->sess.user.role;
    if (policy_allows(role, ACT_CASE_LIST)) {
        struct case_filter f = {.viewer_org = r->sess.user.org_id, .status = "Active", .limit = 10};
        cases_card(r, "h-open", T("Open cases visible to your agency"), T("No open cases."), &f,
                   "/cases?status=Active");
    }
    if (policy_allows(role, ACT_COMMITTEE_READ))
        overdue_measures(r);
    P("<div class=\"grid\">");
    if (policy_allows(role, ACT_CASE_LIST)) {
        char cutoff[11];
        time_date(time_now() - OVERDUE_DAYS * 86400, cutoff);
        struct case_filter o = {.viewer_org = r->sess.user.org_id,
                                .status = "Active",
                                .stage = "intake",
                                .to = cutoff,
                                .limit = 10};
        char more[96];
        snprintf(more, sizeof more, "/cases?status=Active&stage=intake&to=%s", cutoff);
        cases_card(r, "h-overdue", T("Overdue: still at intake after 30 days"),
                   T("Nothing is overdue."), &o, more);
    }
    if (policy_allows(role, ACT_REFERRAL_READ))
        referral_inbox(r);
    if (policy_allows(role, ACT_USER_ADMIN))
        P("<section class=\"card\"><h2>%h</h2><p>%h</p><p><a href=\"/admin/users\">%h</a></p>"
          "</section>",
          T("Administration"), T("Add user accounts and disable those no longer needed."),
          T("Manage users"));
    if (policy_allows(role, ACT_AUDIT_READ))
        P("<section class=\"card\"><h2>%h</h2><p>%h</p><p><a href=\"/audit\">%h</a></p>"
          "</section>",
          T("Audit log"), T("Every login, read of personal data and change, in a hash chain."),
          T("Open the audit log"));
    if (!policy_allows(role, ACT_CASE_LIST) && !policy_allows(role, ACT_USER_ADMIN) &&
        !policy_allows(role, ACT_AUDIT_READ) && !policy_allows(role, ACT_COMMITTEE_READ))
        P("<section class=\"card\"><h2>%h</h2><p>%h</p></section>", T("Welcome"),
          T("Your role has no case work in this interface."));
    P("</div>");
    layout_end(r);
    return VIGIL_OK;
}
