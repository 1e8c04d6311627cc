/*
 * The victim protection and legal track sections of the case page:
 * screenings, status decisions, services and support plans, events and the
 * legal steps, each shown only to roles whose policy lets them read it, after
 * one audit entry for the read; sealed free text (screening notes, decision
 * reasons, service objectives, event descriptions) is opened for the page
 * after that entry. The forms post to routes of their own whose handlers
 * turn the form into the API's JSON body and call the API's handler, so the
 * page and the API share one validation. The magistrate's supervision page
 * is here too.
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
#include "web/form.h"
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
    {"abuse_of_vulnerability", N_("Abuse of vulnerability")},
    {"deception", N_("Deception")},
    {"restriction_of_movement", N_("Restriction of movement")},
    {"isolation", N_("Isolation")},
    {"physical_sexual_violence", N_("Physical and sexual violence")},
    {"intimidation_threats", N_("Intimidation and threats")},
    {"retention_of_identity_documents", N_("Retention of identity documents")},
    {"withholding_of_wages", N_("Withholding of wages")},
    {"debt_bondage", N_("Debt bondage")},
    {"abusive_working_living_conditions", N_("Abusive working and living conditions")},
    {"excessive_overtime", N_("Excessive overtime")},
    {"act", N_("Act: recruitment, transport, transfer, harbouring or receipt")},
    {"means", N_("Means: threat, force, deception, abuse of power or vulnerability")},
    {"purpose", N_("Purpose: exploitation")},
    {"yes", N_("Yes")},
    {"no", N_("No")},
    {"unknown", N_("Unknown")},
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

/* After a handler ran on a JSON body in place of the form: the form back in
 * place (the body freed), and the case page, or the handler's error. */
static int back_to_case(struct req *r, json_t *form, int rc)
{
    json_decref(r->body);
    r->body = form;
    json_decref(r->resp);
    r->resp = NULL;
    if (rc || r->status >= 400)
        return rc ? rc : VIGIL_EINVAL;
    char loc[48];
    snprintf(loc, sizeof loc, "/cases/%" PRId64, r->id);
    return page_redirect(r, loc);
}

/* Call the API's handler fn with body in place of the form (taken), then
 * back to the case page. */
static int with_body(struct req *r, json_t *body, int (*fn)(struct req *))
{
    json_t *form = r->body;
    r->body = body;
    return back_to_case(r, form, fn(r));
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
            if (parse_int(t, 0, 1200, &m)) {
                json_decref(body);
                return req_fail(r, VIGIL_EINVAL, "months", "field 'months' must be a number");
            }
            json_object_set_new(body, key, json_integer(m));
        } else if (strcmp(key, "person_id") == 0) {
            int64_t id = 0;
            if (parse_i64(t, 1, INT64_MAX, &id)) {
                json_decref(body);
                return req_fail(r, VIGIL_EINVAL, "person_id", "choose a person of the case");
            }
            json_object_set_new(body, key, json_integer(id));
        } else if (strcmp(key, "granted") == 0) {
            json_object_set_new(body, key, json_boolean(strcmp(t, "granted") == 0));
        } else {
            json_object_set(body, key, v);
        }
    }
    return with_body(r, body, fn);
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

/* The screening form: "person_id", "child" (yes), "screened_on", and per
 * indicator NAME an answer "ilo-NAME" with a note "ilo-NAME-note" (Palermo
 * elements: "pal-NAME"); unanswered ones are left out (unknown). */
static void answers_from(json_t *form, const char *prefix, const char *const names[], size_t n,
                         json_t *out)
{
    for (size_t i = 0; i < n; i++) {
        char key[80];
        snprintf(key, sizeof key, "%s-%s", prefix, names[i]);
        const char *a = form_str(form, key);
        if (!a || !*a)
            continue;
        json_t *o = json_pack("{s:s}", "answer", a);
        snprintf(key, sizeof key, "%s-%s-note", prefix, names[i]);
        const char *note = form_str(form, key);
        if (note && *note)
            json_object_set_new(o, "note", json_string(note));
        json_object_set_new(out, names[i], o);
    }
}

int page_screening_create(struct req *r)
{
    json_t *form = r->body;
    int64_t pid = 0;
    if (parse_i64(form_str(form, "person_id"), 1, INT64_MAX, &pid))
        return req_fail(r, VIGIL_EINVAL, "person_id", "choose the person screened");
    const char *child = form_str(form, "child"), *on = form_str(form, "screened_on");
    json_t *ind = json_object(), *pal = json_object();
    answers_from(form, "ilo", screening_ilo_names, ILO_COUNT, ind);
    answers_from(form, "pal", screening_palermo_names, PAL_COUNT, pal);
    json_t *body = json_pack("{s:I, s:b, s:o, s:o}", "person_id", (json_int_t)pid, "child",
                             child && strcmp(child, "yes") == 0, "indicators", ind, "palermo", pal);
    if (on && *on)
        json_object_set_new(body, "screened_on", json_string(on));
    return with_body(r, body, api_screening_create);
}

int page_service_create(struct req *r)
{
    return via_api(r, api_service_create);
}

/* A service's form: the change (state, actual end, planned end) at the
 * version the form was drawn from. */
int page_service_update(struct req *r)
{
    json_t *form = r->body;
    int64_t version = 0;
    if (parse_i64(form_str(form, "version"), 1, INT64_MAX, &version))
        return req_fail(r, VIGIL_EINVAL, "version", "the form has no version");
    json_t *body = json_object();
    const char *keys[] = {"state", "spl_ActualEndDate", "spl_PlannedEndDate"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = form_str(form, keys[i]);
        if (v && *v)
            json_object_set_new(body, keys[i], json_string(v));
    }
    r->body = body;
    return back_to_case(r, form, service_update(r, version));
}

/* The answers of a screening (opened), those given yes or no, with notes. */
static void screening_answers(struct req *r, json_t *x)
{
    if (json_object_get(x, "sealed_error")) {
        P("%h", T("The answers cannot be decrypted with this key."));
        return;
    }
    const char *groups[] = {"indicators", "palermo"};
    int any = 0;
    for (int g = 0; g < 2; g++) {
        const char *key;
        json_t *a;
        json_object_foreach(json_object_get(x, groups[g]), key, a)
        {
            const char *ans = s(a, "answer"), *note = s(a, "note");
            if (strcmp(ans, "unknown") == 0 && !*note)
                continue;
            P("%s<span class=\"answer\">%h: <strong>%h</strong>%s%h</span>", any ? "<br>" : "",
              label(r, key), label(r, ans), *note ? " — " : "", note);
            any = 1;
        }
    }
    if (!any)
        P("%h", T("All unknown"));
}

static const char *const answer_values[] = {"unknown", "yes", "no", NULL};

/* A select of the victims of the case by their number. */
static void person_select(struct req *r, const char *id, const int64_t vic[], size_t nv,
                          int required)
{
    P("<div class=\"field\"><label for=\"%a\">%h</label><select id=\"%a\" name=\"person_id\"%s>",
      id, T("Person"), id, required ? " required" : "");
    if (!required)
        P("<option value=\"\">%h</option>", T("— choose —"));
    for (size_t k = 0; k < nv; k++)
        P("<option value=\"%D\">%h %D</option>", vic[k], T("Person"), vic[k]);
    P("</select></div>");
}

/* One answer (yes / no / unknown) and its note. */
static void answer_field(struct req *r, const char *prefix, const char *name)
{
    char id[80];
    snprintf(id, sizeof id, "%s-%s", prefix, name);
    P("<div class=\"field answer\"><label for=\"%a\">%h</label><select id=\"%a\" name=\"%a\">", id,
      label(r, name), id, id);
    for (size_t k = 0; answer_values[k]; k++)
        P("<option value=\"%a\">%h</option>", answer_values[k], label(r, answer_values[k]));
    P("</select><label for=\"%a-note\" class=\"sub\">%h</label><input id=\"%a-note\" "
      "name=\"%a-note\" type=\"text\" maxlength=\"500\"></div>",
      id, T("Note"), id, id);
}

static void screening_form(struct req *r, const int64_t vic[], size_t nv)
{
    form_begin(r, T("Screen a person"), "screenings", 0);
    person_select(r, "sc-person", vic, nv, 1);
    P("<div class=\"field\"><input id=\"sc-child\" name=\"child\" type=\"checkbox\" "
      "value=\"yes\"><label for=\"sc-child\">%h</label></div>",
      T("Under 18 when the acts took place (the means need not be shown)"));
    input_field(r, "sc-on", "screened_on", T("Date"), "date", 10);
    P("<fieldset><legend>%h</legend>", T("ILO indicators of forced labour"));
    for (size_t i = 0; i < ILO_COUNT; i++)
        answer_field(r, "ilo", screening_ilo_names[i]);
    P("</fieldset><fieldset><legend>%h</legend>", T("Palermo Protocol elements"));
    for (size_t i = 0; i < PAL_COUNT; i++)
        answer_field(r, "pal", screening_palermo_names[i]);
    P("</fieldset><p class=\"hint\">%h</p>",
      T("vigil recommends from the answers; it never sets the trafficking status. That is a "
        "decision of its own."));
    form_end(r);
}

/* Change a service's state or dates, at the version shown. */
static void service_form(struct req *r, json_t *x)
{
    const char *st = s(x, "state");
    if (strcmp(st, "completed") == 0 || strcmp(st, "cancelled") == 0)
        return;
    int64_t sid = (int64_t)json_integer_value(json_object_get(x, "id"));
    char sum[160], action[32], id[32];
    snprintf(sum, sizeof sum, "%s: %s", T("Update the support plan"),
             label_htcds(r, "spl_Type", s(x, "spl_Type")));
    snprintf(action, sizeof action, "services/%" PRId64, sid);
    form_begin(r, sum, action, 0);
    P("<input type=\"hidden\" name=\"version\" value=\"%D\">",
      (int64_t)json_integer_value(json_object_get(x, "version")));
    snprintf(id, sizeof id, "sv-state-%" PRId64, sid);
    select_field(r, id, "state", T("State"), NULL, service_states, 0);
    snprintf(id, sizeof id, "sv-plan-%" PRId64, sid);
    input_field(r, id, "spl_PlannedEndDate", T("Planned end"), "date", 10);
    snprintf(id, sizeof id, "sv-end-%" PRId64, sid);
    input_field(r, id, "spl_ActualEndDate", T("Actual end"), "date", 10);
    form_end(r);
}

static void service_new_form(struct req *r, const int64_t vic[], size_t nv)
{
    form_begin(r, T("Arrange a service or support plan"), "services", 0);
    person_select(r, "sn-person", vic, nv, 0);
    select_field(r, "sn-type", "spl_Type", T("Type"), "spl_Type", NULL, 1);
    P("<div class=\"field\"><label for=\"sn-prov\">%h</label><input id=\"sn-prov\" "
      "name=\"provider\" type=\"text\" maxlength=\"16\" required value=\"%a\"></div>",
      T("Provider (agency code)"), r->sess.user.org_code);
    input_field(r, "sn-plan", "spl_PlannedEndDate", T("Planned end"), "date", 10);
    text_field(r, "sn-obj", "spl_Objectives", T("Objectives"));
    form_end(r);
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
    /* the free text, now that the read is on record */
    if (screenings)
        open_items(r, r->id, screenings, NULL, 1);
    if (decisions)
        open_items(r, r->id, decisions, "reason", 0);
    if (services)
        open_items(r, r->id, services, "spl_Objectives", 0);
    if (events)
        open_items(r, r->id, events, "hte_Description", 0);
    size_t i;
    json_t *x;
    if (scr || sta || svc || evt || con) {
        P("<section class=\"card wide\" aria-labelledby=\"h-prot\"><h2 id=\"h-prot\">%h</h2>",
          T("Victim protection"));
        if (screenings) {
            const char *cols[] = {T("Date"),     T("Person"),  T("Recommendation"),
                                  T("Assessor"), T("Answers"), NULL};
            head(r, T("Screenings"), cols);
            json_array_foreach(screenings, i, x)
            {
                P("<tr>");
                date_cell(r, s(x, "screened_on"));
                P("<td>%D</td><td>%h%s%h</td><td>%h</td><td>",
                  (int64_t)json_integer_value(json_object_get(x, "person_id")),
                  label(r, s(x, "recommendation")),
                  json_is_true(json_object_get(x, "complete")) ? "" : " · ",
                  json_is_true(json_object_get(x, "complete")) ? "" : T("Incomplete"),
                  s(x, "assessor"));
                screening_answers(r, x);
                P("</td></tr>");
            }
            tail(r, json_array_size(screenings));
        }
        if (policy_allows(role, ACT_SCREENING_WRITE) && nv > 0)
            screening_form(r, vic, nv);
        if (decisions) {
            const char *cols[] = {T("Date"),
                                  T("Person"),
                                  T("Trafficking status"),
                                  T("Decided by"),
                                  T("Reason"),
                                  T("Recorded by"),
                                  NULL};
            head(r, T("Status decisions"), cols);
            json_array_foreach(decisions, i, x)
            {
                P("<tr>");
                date_cell(r, s(x, "decided_on"));
                P("<td>%D</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>",
                  (int64_t)json_integer_value(json_object_get(x, "person_id")),
                  label_htcds(r, "vic_TraffickingStatus", s(x, "vic_TraffickingStatus")),
                  label_htcds(r, "vic_TraffickingStatusDecisionMakingOrg",
                              s(x, "vic_TraffickingStatusDecisionMakingOrg")),
                  s(x, "reason"), s(x, "decided_by"));
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
            const char *cols[] = {T("Type"),        T("Provider"),   T("State"), T("Objectives"),
                                  T("Planned end"), T("Actual end"), NULL};
            head(r, T("Services and support plans"), cols);
            int write = policy_allows(role, ACT_SERVICE_WRITE);
            json_array_foreach(services, i, x)
            {
                int late = service_overdue(s(x, "state"), s(x, "spl_PlannedEndDate"), today);
                P("<tr><td>%h</td><td>%h</td><td>%h%s%h%s</td><td>%h</td>",
                  label_htcds(r, "spl_Type", s(x, "spl_Type")), s(x, "provider"),
                  label(r, s(x, "state")), late ? " <span class=\"tag tag-overdue\">" : "",
                  late ? T("Overdue") : "", late ? "</span>" : "", s(x, "spl_Objectives"));
                date_cell(r, s(x, "spl_PlannedEndDate"));
                date_cell(r, s(x, "spl_ActualEndDate"));
                P("</tr>");
            }
            tail(r, json_array_size(services));
            json_array_foreach(services, i, x) if (write) service_form(r, x);
            if (write)
                service_new_form(r, vic, nv);
        }
        if (events) {
            const char *cols[] = {T("Date"),    T("Type"),        T("City"),
                                  T("Country"), T("Description"), NULL};
            head(r, T("Events"), cols);
            json_array_foreach(events, i, x)
            {
                P("<tr>");
                date_cell(r, s(x, "hte_Date"));
                P("<td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>",
                  label_htcds(r, "hte_Type", s(x, "hte_Type")), s(x, "hte_City"),
                  s(x, "hte_Country"), s(x, "hte_Description"));
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
        if (policy_allows(role, ACT_SUPERVISE))
            P("<p><a href=\"/cases/%D/supervision\">%h</a></p>", r->id,
              T("Supervision: the legal steps and the whole audit trail"));
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

/* ---- the magistrate's supervision ----------------------------------------- */

/* The case's legal steps and its whole audit trail, read-only; the read is
 * recorded first, so the trail shown includes it. */
int page_supervision(struct req *r)
{
    char obj[32];
    snprintf(obj, sizeof obj, "case:%" PRId64, r->id);
    json_t *c = NULL, *legal = NULL;
    int rc = audit_record(r->st, r->sess.user.id, r->sess.user.username, "supervision.read", obj,
                          "page");
    if (!rc)
        rc = store_case_get(r->st, r->id, &c);
    if (!rc)
        rc = store_legal_list(r->st, r->id, &legal);
    if (rc) {
        json_decref(c);
        return req_fail(r, rc, NULL, "cannot read the case's record");
    }
    char title[160];
    snprintf(title, sizeof title, "%s · %s", T("Supervision"), s(c, "reference"));
    layout_begin(r, title, "cases");
    P("<h1>%h <span class=\"ref\">%h</span></h1><p class=\"hint\">%h</p>", T("Supervision"),
      s(c, "reference"),
      T("Read-only: the legal steps of the case and every entry of its audit trail, who read or "
        "changed what and when. This visit is recorded too."));
    P("<p><a href=\"/cases/%D\">%h</a></p>", r->id, T("Back to the case"));
    P("<section class=\"card wide\" aria-labelledby=\"h-legal\"><h2 id=\"h-legal\">%h</h2>",
      T("Legal track"));
    const char *cols[] = {T("Date"), T("Step"), T("Details"), T("Recorded by"), NULL};
    P("<table><thead><tr>");
    for (int k = 0; cols[k]; k++)
        P("<th scope=\"col\">%h</th>", cols[k]);
    P("</tr></thead><tbody>");
    size_t i;
    json_t *x;
    json_array_foreach(legal, i, x)
    {
        P("<tr>");
        date_cell(r, s(x, "on"));
        P("<td>%h</td><td>", label(r, s(x, "type")));
        step_details(r, x);
        P("</td><td>%h</td></tr>", s(x, "recorded_by"));
    }
    tail(r, json_array_size(legal));
    P("</section>");
    audit_section(r, r->id, 0, 1000);
    layout_end(r);
    json_decref(c);
    json_decref(legal);
    return VIGIL_OK;
}
