/*
 * The victim protection and legal track sections of the case page:
 * screenings, status decisions, services and support plans, events and the
 * legal steps, each shown only to roles whose policy lets them read it, after
 * one audit entry for the read. Sealed free text (notes, reasons,
 * objectives, descriptions) stays in the API; the page shows codes and dates.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/policy.h"
#include "core/protection.h"
#include "core/htcds.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/page.h"

static const struct {
    const char *value, *label;
} labels[] = {
    {"not_indicated", N_("Not indicated")},
    {"possible_victim", N_("Possible victim")},
    {"likely_victim", N_("Likely victim")},
    {"planned", N_("Planned")},
    {"active", N_("In progress")},
    {"cancelled", N_("Cancelled")},
    {"investigation_opened", N_("Investigation opened")},
    {"authorisation_requested", N_("Authorisation requested")},
    {"authorisation", N_("Judicial authorisation")},
    {"prosecutor_referral", N_("Referred to the prosecutor")},
    {"charge", N_("Charge")},
    {"verdict", N_("Verdict")},
    {"sentence", N_("Sentence")},
    {"appeal", N_("Appeal")},
    {"referral", N_("Referral")},
    {"data_sharing", N_("Data sharing")},
    {"statistics", N_("Statistics")},
    {"granted", N_("Granted")},
    {"withdrawn", N_("Withdrawn")},
    {"sexual", N_("Sexual exploitation")},
    {"labour", N_("Labour exploitation")},
    {"other", N_("Other")},
    {"convicted", N_("Convicted")},
    {"acquitted", N_("Acquitted")},
    {"partly_convicted", N_("Partly convicted")},
    {"dismissed", N_("Dismissed")},
    {"prosecution", N_("The prosecution")},
    {"defence", N_("The defence")},
};

static const char *label(struct req *r, const char *v)
{
    if (!v)
        return "";
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].value, v) == 0)
            return T(labels[i].label);
    return label_value(r, v);
}

static const char *s(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static void head(struct req *r, const char *title, const char *const cols[])
{
    P("<h3>%h</h3><table><thead><tr>", title);
    for (int i = 0; cols[i]; i++)
        P("<th scope=\"col\">%h</th>", cols[i]);
    P("</tr></thead><tbody>");
}

static void tail(struct req *r, size_t n)
{
    P("</tbody></table>");
    if (n == 0)
        P("<p class=\"empty\">%h</p>", T("None recorded."));
}

static void date_cell(struct req *r, const char *d)
{
    P("<td>");
    if (*d)
        put_date(r, d);
    P("</td>");
}

/* The details of a legal step, from its typed fields. */
static void step_details(struct req *r, json_t *x)
{
    const char *t = s(x, "type");
    if (strcmp(t, "charge") == 0)
        P("%h %h (%h)", s(x, "statute"), s(x, "article"), label(r, s(x, "exploitation")));
    else if (strcmp(t, "verdict") == 0)
        P("%h", label(r, s(x, "outcome")));
    else if (strcmp(t, "sentence") == 0)
        P("%D %h", (int64_t)json_integer_value(json_object_get(x, "months")), T("months"));
    else if (strcmp(t, "appeal") == 0)
        P("%h", label(r, s(x, "appeal_by")));
    else if (strcmp(t, "authorisation") == 0)
        P("%h · %h · %h · %h", s(x, "what"), s(x, "magistrate"), s(x, "court"), s(x, "reference"));
    else
        P("%h %h", s(x, "what"), s(x, "reference"));
}

/* ---- forms -------------------------------------------------------------- */

/* A select of values with their labels (HTCDS picklist field, or values
 * labelled by label()); the first option is "choose". */
static void select_field(struct req *r, const char *id, const char *name, const char *lbl,
                         const char *htcds, const char *const *values, int required)
{
    P("<div class=\"field\"><label for=\"%a\">%h</label><select id=\"%a\" name=\"%a\"%s>"
      "<option value=\"\">%h</option>",
      id, lbl, id, name, required ? " required" : "", T("— choose —"));
    const struct htcds_enum *e = htcds ? htcds_enum_find(htcds) : NULL;
    const char *const *v = e ? e->values : values;
    for (size_t k = 0; v && v[k]; k++)
        P("<option value=\"%a\">%h</option>", v[k],
          e ? label_htcds(r, htcds, v[k]) : label(r, v[k]));
    P("</select></div>");
}

static void input_field(struct req *r, const char *id, const char *name, const char *lbl,
                        const char *type, int max)
{
    P("<div class=\"field\"><label for=\"%a\">%h</label><input id=\"%a\" name=\"%a\" "
      "type=\"%a\" maxlength=\"%d\"></div>",
      id, lbl, id, name, type, max);
}

static void text_field(struct req *r, const char *id, const char *name, const char *lbl)
{
    P("<div class=\"field\"><label for=\"%a\">%h</label><textarea id=\"%a\" name=\"%a\" "
      "rows=\"2\" maxlength=\"4000\"></textarea></div>",
      id, lbl, id, name);
}

static void form_begin(struct req *r, const char *summary, const char *action, int64_t pid)
{
    P("<details class=\"refer\"><summary>%h</summary><form method=\"post\" action=\"/cases/%D",
      summary, r->id);
    if (pid)
        P("/persons/%D", pid);
    P("/%a\" class=\"stack\">", action);
    layout_csrf(r);
}

static void form_end(struct req *r)
{
    P("<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div>"
      "</form></details>",
      T("Save"));
}

/* The victims of the case, for the per-person forms (ids only). */
static size_t victims(struct req *r, int64_t out[], size_t max)
{
    struct person_row *rows = NULL;
    size_t n = 0, k = 0;
    if (store_person_list(r->st, r->id, &rows, &n))
        return 0;
    for (size_t i = 0; i < n && k < max; i++)
        if (strcmp(rows[i].role, "victim") == 0)
            out[k++] = rows[i].id;
    store_person_rows_free(rows, n);
    return k;
}

static const char *const granted_values[] = {"granted", "withdrawn", NULL};
static const char *const investigation_types[] = {"investigation_opened", "authorisation_requested",
                                                  "authorisation", "prosecutor_referral", NULL};
static const char *const prosecution_types[] = {"charge", "verdict", "sentence", "appeal", NULL};
static const char *const exploitation_values[] = {"sexual", "labour", "other", NULL};
static const char *const outcome_values[] = {"convicted", "acquitted", "partly_convicted",
                                             "dismissed", NULL};
static const char *const appeal_values[] = {"prosecution", "defence", NULL};

static void legal_form(struct req *r, int role)
{
    int inv = policy_allows(role, ACT_LEGAL_INVESTIGATE);
    form_begin(r, T("Record a legal step"), "legal", 0);
    select_field(r, "lg-type", "type", T("Step"), NULL,
                 inv ? investigation_types : prosecution_types, 1);
    input_field(r, "lg-on", "on", T("Date"), "date", 10);
    input_field(r, "lg-ref", "reference", T("Reference"), "text", 64);
    if (inv) {
        input_field(r, "lg-what", "what", T("Measure authorised or requested"), "text", 200);
        input_field(r, "lg-mag", "magistrate", T("Magistrate"), "text", 120);
        input_field(r, "lg-court", "court", T("Court (agency code)"), "text", 16);
    } else {
        input_field(r, "lg-statute", "statute", T("Statute"), "text", 120);
        input_field(r, "lg-article", "article", T("Article"), "text", 32);
        select_field(r, "lg-expl", "exploitation", T("Exploitation"), NULL, exploitation_values, 0);
        select_field(r, "lg-outcome", "outcome", T("Outcome"), NULL, outcome_values, 0);
        input_field(r, "lg-months", "months", T("Sentence in months"), "number", 4);
        select_field(r, "lg-appeal", "appeal_by", T("Appeal by"), NULL, appeal_values, 0);
    }
    form_end(r);
}

/* The form as a JSON body for the API handler: empty fields left out,
 * numbers and yes/no by name; then the handler, and back to the case. */
static int via_api(struct req *r, int (*fn)(struct req *))
{
    json_t *form = r->body, *body = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(form, key, v)
    {
        const char *t = json_string_value(v);
        if (!t || !*t || strcmp(key, "csrf") == 0)
            continue;
        if (strcmp(key, "months") == 0) {
            int m = -1;
            if (parse_int(t, 0, 1200, &m))
                return req_fail(r, VIGIL_EINVAL, "months", "field 'months' must be a number");
            json_object_set_new(body, key, json_integer(m));
        } else if (strcmp(key, "granted") == 0) {
            json_object_set_new(body, key, json_boolean(strcmp(t, "granted") == 0));
        } else {
            json_object_set(body, key, v);
        }
    }
    r->body = body;
    int rc = fn(r);
    r->body = form;
    json_decref(body);
    json_decref(r->resp);
    r->resp = NULL;
    if (rc || r->status >= 400)
        return rc ? rc : VIGIL_EINVAL;
    char loc[48];
    snprintf(loc, sizeof loc, "/cases/%" PRId64, r->id);
    return page_redirect(r, loc);
}

int page_status_create(struct req *r)
{
    return via_api(r, api_status_decide);
}

int page_consent_create(struct req *r)
{
    return via_api(r, api_consent_create);
}

int page_event_create(struct req *r)
{
    return via_api(r, api_event_create);
}

int page_legal_create(struct req *r)
{
    return via_api(r, api_legal_create);
}

/* One timeline entry. */
static void tl(json_t *arr, const char *at, const char *what, const char *detail)
{
    if (at && *at)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "at", at, "what", what, "detail",
                                             detail ? detail : ""));
}

json_t *protection_timeline(struct req *r, int *audited)
{
    int role = r->sess.user.role;
    *audited = 0;
    int scr = policy_allows(role, ACT_SCREENING_READ), sta = policy_allows(role, ACT_STATUS_READ),
        svc = policy_allows(role, ACT_SERVICE_READ), evt = policy_allows(role, ACT_EVENT_READ),
        leg = policy_allows(role, ACT_LEGAL_READ);
    if (!scr && !sta && !svc && !evt && !leg)
        return NULL;
    char obj[32];
    snprintf(obj, sizeof obj, "case:%" PRId64, r->id);
    if (audit_record(r->st, r->sess.user.id, r->sess.user.username, "protection.read", obj, "page"))
        return NULL; /* nothing is shown; protection_sections says so */
    *audited = 1;
    json_t *out = json_array(), *arr;
    size_t i;
    json_t *x;
    if (scr && !store_screening_list(r->st, r->id, &arr)) {
        json_array_foreach(arr, i, x)
            tl(out, s(x, "screened_on"), T("Screening"), label(r, s(x, "recommendation")));
        json_decref(arr);
    }
    if (sta && !store_status_history(r->st, r->id, 0, &arr)) {
        json_array_foreach(arr, i, x)
            tl(out, s(x, "decided_on"), T("Status decision"),
               label_htcds(r, "vic_TraffickingStatus", s(x, "vic_TraffickingStatus")));
        json_decref(arr);
    }
    if (svc && !store_service_list(r->st, r->id, &arr)) {
        json_array_foreach(arr, i, x) tl(out, s(x, "created_at"), T("Support plan"),
                                         label_htcds(r, "spl_Type", s(x, "spl_Type")));
        json_decref(arr);
    }
    if (evt && !store_event_list(r->st, r->id, &arr)) {
        json_array_foreach(arr, i, x)
            tl(out, *s(x, "hte_Date") ? s(x, "hte_Date") : s(x, "created_at"),
               label_htcds(r, "hte_Type", s(x, "hte_Type")), s(x, "hte_City"));
        json_decref(arr);
    }
    if (leg && !store_legal_list(r->st, r->id, &arr)) {
        json_array_foreach(arr, i, x) tl(out, s(x, "on"), label(r, s(x, "type")), "");
        json_decref(arr);
    }
    return out;
}

void protection_sections(struct req *r, int audited)
{
    int role = r->sess.user.role;
    int scr = policy_allows(role, ACT_SCREENING_READ), sta = policy_allows(role, ACT_STATUS_READ),
        svc = policy_allows(role, ACT_SERVICE_READ), evt = policy_allows(role, ACT_EVENT_READ),
        leg = policy_allows(role, ACT_LEGAL_READ), con = policy_allows(role, ACT_CONSENT_READ);
    if (!scr && !sta && !svc && !evt && !leg && !con)
        return;
    json_t *screenings = NULL, *decisions = NULL, *services = NULL, *events = NULL, *legal = NULL,
           *consents = NULL;
    int64_t vic[16];
    size_t nv = victims(r, vic, 16);
    int rc = VIGIL_OK;
    if (scr)
        rc = store_screening_list(r->st, r->id, &screenings);
    if (!rc && sta)
        rc = store_status_history(r->st, r->id, 0, &decisions);
    if (!rc && svc)
        rc = store_service_list(r->st, r->id, &services);
    if (!rc && evt)
        rc = store_event_list(r->st, r->id, &events);
    if (!rc && leg)
        rc = store_legal_list(r->st, r->id, &legal);
    if (!rc && con)
        rc = store_consent_case(r->st, r->id, &consents);
    char obj[32];
    snprintf(obj, sizeof obj, "case:%" PRId64, r->id);
    /* the read is recorded before anything is shown */
    if (!rc && !audited)
        rc = audit_record(r->st, r->sess.user.id, r->sess.user.username, "protection.read", obj,
                          "page");
    if (rc) {
        P("<p class=\"error\">%h</p>", T("This part of the case cannot be shown now."));
        goto out;
    }
    size_t i;
    json_t *x;
    if (scr || sta || svc || evt || con) {
        P("<section class=\"card wide\" aria-labelledby=\"h-prot\"><h2 id=\"h-prot\">%h</h2>",
          T("Victim protection"));
        if (screenings) {
            const char *cols[] = {T("Date"), T("Person"), T("Recommendation"), T("Assessor"), NULL};
            head(r, T("Screenings"), cols);
            json_array_foreach(screenings, i, x)
            {
                P("<tr>");
                date_cell(r, s(x, "screened_on"));
                P("<td>%D</td><td>%h%s%h</td><td>%h</td></tr>",
                  (int64_t)json_integer_value(json_object_get(x, "person_id")),
                  label(r, s(x, "recommendation")),
                  json_is_true(json_object_get(x, "complete")) ? "" : " · ",
                  json_is_true(json_object_get(x, "complete")) ? "" : T("Incomplete"),
                  s(x, "assessor"));
            }
            tail(r, json_array_size(screenings));
        }
        if (decisions) {
            const char *cols[] = {T("Date"),       T("Person"),      T("Trafficking status"),
                                  T("Decided by"), T("Recorded by"), NULL};
            head(r, T("Status decisions"), cols);
            json_array_foreach(decisions, i, x)
            {
                P("<tr>");
                date_cell(r, s(x, "decided_on"));
                P("<td>%D</td><td>%h</td><td>%h</td><td>%h</td></tr>",
                  (int64_t)json_integer_value(json_object_get(x, "person_id")),
                  label_htcds(r, "vic_TraffickingStatus", s(x, "vic_TraffickingStatus")),
                  label_htcds(r, "vic_TraffickingStatusDecisionMakingOrg",
                              s(x, "vic_TraffickingStatusDecisionMakingOrg")),
                  s(x, "decided_by"));
            }
            tail(r, json_array_size(decisions));
            for (size_t k = 0; policy_allows(role, ACT_STATUS_DECIDE) && k < nv; k++) {
                char sum[96], id[24];
                snprintf(sum, sizeof sum, "%s %" PRId64, T("Decide the status of person"), vic[k]);
                form_begin(r, sum, "status", vic[k]);
                snprintf(id, sizeof id, "st-%" PRId64, vic[k]);
                select_field(r, id, "vic_TraffickingStatus", T("Trafficking status"),
                             "vic_TraffickingStatus", NULL, 1);
                snprintf(id, sizeof id, "so-%" PRId64, vic[k]);
                select_field(r, id, "vic_TraffickingStatusDecisionMakingOrg", T("Decided by"),
                             "vic_TraffickingStatusDecisionMakingOrg", NULL, 1);
                snprintf(id, sizeof id, "sd-%" PRId64, vic[k]);
                input_field(r, id, "decided_on", T("Date"), "date", 10);
                snprintf(id, sizeof id, "sr-%" PRId64, vic[k]);
                text_field(r, id, "reason", T("Reason"));
                form_end(r);
            }
        }
        if (consents) {
            const char *cols[] = {T("Date"),    T("Person"),      T("Purpose"),
                                  T("Consent"), T("Recorded by"), NULL};
            head(r, T("Consent"), cols);
            json_array_foreach(consents, i, x)
            {
                P("<tr>");
                date_cell(r, s(x, "recorded_at"));
                P("<td>%D</td><td>%h</td><td>%h</td><td>%h</td></tr>",
                  (int64_t)json_integer_value(json_object_get(x, "person_id")),
                  label(r, s(x, "purpose")),
                  label(r, json_is_true(json_object_get(x, "granted")) ? "granted" : "withdrawn"),
                  s(x, "recorded_by"));
            }
            tail(r, json_array_size(consents));
            for (size_t k = 0; policy_allows(role, ACT_CONSENT_WRITE) && k < nv; k++) {
                char sum[96], id[24];
                snprintf(sum, sizeof sum, "%s %" PRId64, T("Record consent of person"), vic[k]);
                form_begin(r, sum, "consents", vic[k]);
                snprintf(id, sizeof id, "cp-%" PRId64, vic[k]);
                select_field(r, id, "purpose", T("Purpose"), NULL, consent_purposes, 1);
                snprintf(id, sizeof id, "cg-%" PRId64, vic[k]);
                select_field(r, id, "granted", T("Consent"), NULL, granted_values, 1);
                form_end(r);
            }
        }
        if (services) {
            char today[11];
            time_date(time_now(), today);
            const char *cols[] = {T("Type"),        T("Provider"),   T("State"),
                                  T("Planned end"), T("Actual end"), NULL};
            head(r, T("Services and support plans"), cols);
            json_array_foreach(services, i, x)
            {
                int late = service_overdue(s(x, "state"), s(x, "spl_PlannedEndDate"), today);
                P("<tr><td>%h</td><td>%h</td><td>%h%s%h%s</td>",
                  label_htcds(r, "spl_Type", s(x, "spl_Type")), s(x, "provider"),
                  label(r, s(x, "state")), late ? " <span class=\"tag tag-overdue\">" : "",
                  late ? T("Overdue") : "", late ? "</span>" : "");
                date_cell(r, s(x, "spl_PlannedEndDate"));
                date_cell(r, s(x, "spl_ActualEndDate"));
                P("</tr>");
            }
            tail(r, json_array_size(services));
        }
        if (events) {
            const char *cols[] = {T("Date"), T("Type"), T("City"), T("Country"), NULL};
            head(r, T("Events"), cols);
            json_array_foreach(events, i, x)
            {
                P("<tr>");
                date_cell(r, s(x, "hte_Date"));
                P("<td>%h</td><td>%h</td><td>%h</td></tr>",
                  label_htcds(r, "hte_Type", s(x, "hte_Type")), s(x, "hte_City"),
                  s(x, "hte_Country"));
            }
            tail(r, json_array_size(events));
            if (policy_allows(role, ACT_EVENT_WRITE)) {
                form_begin(r, T("Record an event"), "events", 0);
                select_field(r, "ev-type", "hte_Type", T("Type"), "hte_Type", NULL, 1);
                input_field(r, "ev-date", "hte_Date", T("Date"), "date", 10);
                input_field(r, "ev-city", "hte_City", T("City"), "text", 120);
                input_field(r, "ev-country", "hte_Country", T("Country"), "text", 2);
                text_field(r, "ev-desc", "hte_Description", T("Description"));
                form_end(r);
            }
        }
        P("</section>");
    }
    if (legal) {
        P("<section class=\"card wide\" aria-labelledby=\"h-legal\"><h2 id=\"h-legal\">%h</h2>",
          T("Legal track"));
        const char *cols[] = {T("Date"), T("Step"), T("Details"), T("Recorded by"), NULL};
        P("<table><thead><tr>");
        for (int k = 0; cols[k]; k++)
            P("<th scope=\"col\">%h</th>", cols[k]);
        P("</tr></thead><tbody>");
        json_array_foreach(legal, i, x)
        {
            P("<tr>");
            date_cell(r, s(x, "on"));
            P("<td>%h</td><td>", label(r, s(x, "type")));
            step_details(r, x);
            P("</td><td>%h</td></tr>", s(x, "recorded_by"));
        }
        tail(r, json_array_size(legal));
        if (policy_allows(role, ACT_LEGAL_WRITE))
            legal_form(r, role);
        P("</section>");
    }
out:
    json_decref(screenings);
    json_decref(decisions);
    json_decref(services);
    json_decref(events);
    json_decref(legal);
    json_decref(consents);
}
