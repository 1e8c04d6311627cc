/* The case pages: the list with search and filters, the intake form, one
 * case (persons, notes, referrals, timeline, audit trail) and adding a note. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/policy.h"
#include "core/case.h"
#include "core/htcds.h"
#include "core/note.h"
#include "core/person.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/form.h"
#include "web/page.h"

#define PER_PAGE 25

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* ---- labels of fields ------------------------------------------------- */

static const struct {
    const char *field, *label, *hint;
} field_labels[] = {
    {"role", N_("Role"), NULL},
    {"category", N_("Category"), NULL},
    {"source", N_("Source"), NULL},
    {"cas_Status", N_("Status"), NULL},
    {"stage", N_("Stage"), NULL},
    {"opened_on", N_("Opened on"), NULL},
    {"closed_on", N_("Closed on"), NULL},
    {"place_of_recruitment", N_("Place of recruitment"), NULL},
    {"country_of_recruitment", N_("Country of recruitment"), N_("Two-letter code, e.g. PH")},
    {"place_of_exploitation", N_("Place of exploitation"), NULL},
    {"country_of_exploitation", N_("Country of exploitation"), N_("Two-letter code, e.g. MO")},
    {"prs_FirstName", N_("Given name"), NULL},
    {"prs_SecondName", N_("Family name"), NULL},
    {"prs_Gender", N_("Gender"), NULL},
    {"prs_Birthdate", N_("Date of birth"), NULL},
    {"prs_Citizenship", N_("Citizenship"), N_("Two-letter codes, e.g. PH, VN")},
    {"prs_PrimaryLanguage", N_("Primary language"), N_("Language code, e.g. tl")},
    {"vic_TypeOfExploitation", N_("Type of exploitation"), NULL},
    {"vic_ForcedLabourIndustry", N_("Forced labour industry"), NULL},
    {"vic_RelationshipToTrafficker", N_("Relationship to the trafficker"), NULL},
    {"vic_TraffickingStatus", N_("Trafficking status"), NULL},
    {"prs_IdentityNumber", N_("Identity document number"), NULL},
    {"prs_MobilePhone", N_("Mobile phone"), NULL},
    {"prs_MaritalStatus", N_("Marital status"), NULL},
    {"prs_HighestLevelOfEducation", N_("Highest level of education"), NULL},
    {"prs_NumberOfChildren", N_("Number of children"), NULL},
    {"vic_AgeWhenTrafficked", N_("Age when trafficked"), NULL},
    {"vic_AgreementToManagePersonalData", N_("Agrees to the handling of personal data"), NULL},
    {"vic_MethodOfRecruitment", N_("Method of recruitment"), NULL},
    {"vic_MethodsOfControl", N_("Methods of control"), NULL},
    {"vic_Vulnerabilities", N_("Vulnerabilities"), NULL},
    {"vic_RecruitmentWebsitesAndApps", N_("Recruitment websites and apps"), NULL},
    {"vic_ExploitationWebsitesAndApps", N_("Exploitation websites and apps"), NULL},
    {"vic_TypeOfSexExploitation", N_("Type of sexual exploitation"), NULL},
    {"vic_DetailsOfVulnerabilities", N_("Details of vulnerabilities"), NULL},
    {"prs_SecondaryLanguage", N_("Secondary language"), NULL},
    {"prs_Email", N_("Email"), NULL},
    {"prs_Title", N_("Occupation"), NULL},
    {"prs_Salutation", N_("Salutation"), NULL},
    {"prs_MiddleName", N_("Middle name"), NULL},
    {"prs_HomePhone", N_("Home phone"), NULL},
    {"prs_MailingStreet", N_("Street"), NULL},
    {"prs_MailingCity", N_("City"), NULL},
    {"prs_MailingState", N_("State or region"), NULL},
    {"prs_MailingPostalCode", N_("Postal code"), NULL},
    {"prs_MailingCountry", N_("Country of address"), NULL},
    {"prs_Deceased", N_("Deceased"), NULL},
    {"per_RoleInProcess", N_("Role in the trafficking process"), NULL},
    {"per_RoleDetails", N_("Details of the role"), NULL},
    {"text", N_("Summary"), N_("What happened, without names or identity numbers.")},
    {"q", N_("Search"), N_("Case reference or words in the notes")},
    {"from", N_("Opened from"), NULL},
    {"to", N_("Opened until"), NULL},
};

static const char *field_label(struct req *r, const char *field)
{
    for (size_t i = 0; i < sizeof field_labels / sizeof field_labels[0]; i++)
        if (strcmp(field_labels[i].field, field) == 0)
            return T(field_labels[i].label);
    return field;
}

static const char *field_hint(struct req *r, const char *field)
{
    for (size_t i = 0; i < sizeof field_labels / sizeof field_labels[0]; i++)
        if (strcmp(field_labels[i].field, field) == 0 && field_labels[i].hint)
            return T(field_labels[i].hint);
    return NULL;
}

/* The label of a value of field f (an HTCDS picklist or vigil's own). */
static const char *value_label(struct req *r, const struct field *f, const char *v)
{
    return f->htcds ? label_htcds(r, f->htcds, v) : label_value(r, v);
}

/* ---- the case table ----------------------------------------------------- */

void case_table(struct req *r, json_t *items, const char *caption, const char *empty)
{
    if (json_array_size(items) == 0) {
        P("<p class=\"empty\">%h</p>", empty);
        return;
    }
    P("<div class=\"table-wrap\"><table class=\"cases\"><caption class=\"sr-only\">%h</caption>"
      "<thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead>"
      "<tbody>",
      caption, T("Reference"), T("Opened on"), T("Category"), T("Stage"), T("Status"), T("Agency"));
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c)
    {
        char href[48];
        snprintf(href, sizeof href, "/cases/%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(c, "id")));
        P("<tr><th scope=\"row\"><a href=\"%U\">%h</a></th><td>", href, str(c, "reference"));
        put_date(r, str(c, "opened_on"));
        P("</td><td>%h</td><td>%h</td><td><span class=\"tag tag-%a\">%h</span></td><td>%h</td>"
          "</tr>",
          label_value(r, str(c, "category")), label_value(r, str(c, "stage")), str(c, "cas_Status"),
          label_htcds(r, "cas_Status", str(c, "cas_Status")), str(c, "organisation"));
    }
    P("</tbody></table></div>");
}

/* ---- form controls -------------------------------------------------------- */

/* One control for field f, named prefix+f->name, showing the submitted value
 * (form, may be NULL) and its error. */
static void control(struct req *r, const struct field *f, const char *prefix, json_t *form,
                    const struct form_errs *errs, int required)
{
    char name[80], id[80], err_id[96], hint_id[96];
    snprintf(name, sizeof name, "%s%s", prefix, f->name);
    snprintf(id, sizeof id, "f-%s%s", prefix[0] ? "v-" : "", f->name);
    snprintf(err_id, sizeof err_id, "%s-err", id);
    snprintf(hint_id, sizeof hint_id, "%s-hint", id);
    const char *label = field_label(r, f->name);
    const char *hint = field_hint(r, f->name);
    const char *err = errs ? form_err(errs, f->name) : NULL;
    char errtext[256] = "";
    if (err) {
        for (size_t i = 0; i < errs->n; i++)
            if (strcmp(errs->e[i].field, f->name) == 0)
                snprintf(errtext, sizeof errtext, T(err), errs->e[i].a, errs->e[i].b);
    }
    char described[200] = "";
    if (hint || err)
        snprintf(described, sizeof described, "%s%s%s", hint ? hint_id : "", hint && err ? " " : "",
                 err ? err_id : "");
    const char *value = form ? form_str(form, name) : "";
    const char *const *vals = record_values(f);

    if (f->type == FT_MULTI) {
        P("<fieldset class=\"field%s\"", err ? " has-error" : "");
        if (described[0])
            P(" aria-describedby=\"%a\"", described);
        P("><legend>%h</legend><div class=\"checks\">", label);
        json_t *chosen = form ? json_object_get(form, name) : NULL;
        for (size_t i = 0; vals && vals[i]; i++) {
            int on = 0;
            if (json_is_string(chosen))
                on = strcmp(json_string_value(chosen), vals[i]) == 0;
            size_t k;
            json_t *x;
            if (json_is_array(chosen))
                json_array_foreach(chosen, k, x) on |= strcmp(json_string_value(x), vals[i]) == 0;
            P("<label class=\"check\"><input type=\"checkbox\" name=\"%a\" value=\"%a\"%s> %h"
              "</label>",
              name, vals[i], on ? " checked" : "", value_label(r, f, vals[i]));
        }
        P("</div>");
        if (err)
            P("<p class=\"err\" id=\"%a\">%h</p>", err_id, errtext);
        P("</fieldset>");
        return;
    }

    if (f->type == FT_BOOL) {
        int on = strcmp(value, "1") == 0 || strcmp(value, "on") == 0;
        P("<div class=\"field\"><label class=\"check\" for=\"%a\"><input type=\"checkbox\" "
          "id=\"%a\" name=\"%a\" value=\"1\"%s> %h</label></div>",
          id, id, name, on ? " checked" : "", label);
        return;
    }
    P("<div class=\"field%s\"><label for=\"%a\">%h%s</label>", err ? " has-error" : "", id, label,
      required ? " <span class=\"req\" aria-hidden=\"true\">*</span>" : "");
    if (hint)
        P("<p class=\"hint\" id=\"%a\">%h</p>", hint_id, hint);
    /* Attributes every control shares. */
    struct buf common;
    buf_init(&common, 512);
    html_printf(&common, "id=\"%a\" name=\"%a\"%s", id, name, required ? " required" : "");
    if (described[0])
        html_printf(&common, " aria-describedby=\"%a\"", described);
    if (err)
        html_printf(&common, " aria-invalid=\"true\"");
    const char *attrs = buf_cstr(&common); /* already escaped: written with %s */
    switch (f->type) {
    case FT_ENUM:
        P("<select %s><option value=\"\">%h</option>", attrs, T("— choose —"));
        for (size_t i = 0; vals && vals[i]; i++)
            P("<option value=\"%a\"%s>%h</option>", vals[i],
              strcmp(value, vals[i]) == 0 ? " selected" : "", value_label(r, f, vals[i]));
        P("</select>");
        break;
    case FT_DATE:
        P("<input type=\"date\" %s value=\"%a\">", attrs, value);
        break;
    case FT_LONGTEXT:
        P("<textarea %s rows=\"4\" maxlength=\"%d\">%h</textarea>", attrs, (int)f->max, value);
        break;
    case FT_INT:
        P("<input type=\"number\" %s min=\"%d\" max=\"%d\" value=\"%a\">", attrs, (int)f->min,
          (int)f->max, value);
        break;
    case FT_COUNTRY:
    case FT_COUNTRIES:
    case FT_LANG:
        P("<input type=\"text\" class=\"short\" %s value=\"%a\" autocapitalize=\"characters\" "
          "spellcheck=\"false\">",
          attrs, value);
        break;
    default:
        P("<input type=\"text\" %s value=\"%a\" maxlength=\"%d\">", attrs, value, (int)f->max);
        break;
    }
    buf_free(&common);
    if (err)
        P("<p class=\"err\" id=\"%a\">%h</p>", err_id, errtext);
    P("</div>");
}

/* ---- /cases ----------------------------------------------------------- */

static void filter_select(struct req *r, const char *name, const char *label,
                          const char *const *vals, const char *htcds)
{
    const char *cur = req_param(r, name);
    P("<div class=\"field\"><label for=\"q-%a\">%h</label><select id=\"q-%a\" name=\"%a\">"
      "<option value=\"\">%h</option>",
      name, label, name, name, T("Any"));
    for (size_t i = 0; vals && vals[i]; i++)
        P("<option value=\"%a\"%s>%h</option>", vals[i],
          cur && strcmp(cur, vals[i]) == 0 ? " selected" : "",
          htcds ? label_htcds(r, htcds, vals[i]) : label_value(r, vals[i]));
    P("</select></div>");
}

/* The list URL with the current filters and another page number. */
static void page_link(struct req *r, struct buf *b, int page)
{
    buf_puts(b, "/cases?");
    const struct param *p = r->route->params;
    for (int i = 0; p && p[i].name; i++)
        if (r->q[i] && strcmp(p[i].name, "page") != 0) {
            html_urlc(b, p[i].name);
            buf_putc(b, '=');
            html_urlc(b, r->q[i]);
            buf_putc(b, '&');
        }
    buf_printf(b, "page=%d", page);
}

int page_cases(struct req *r)
{
    struct case_filter f = {0};
    f.viewer_org = r->sess.user.org_id;
    f.status = req_param(r, "status");
    f.category = req_param(r, "category");
    f.stage = req_param(r, "stage");
    f.source = req_param(r, "source");
    f.from = req_param(r, "from");
    f.to = req_param(r, "to");
    f.org_code = req_param(r, "organisation");
    f.q = req_param(r, "q");
    int page = 1, per = PER_PAGE;
    if (req_param(r, "page"))
        parse_int(req_param(r, "page"), 1, 100000, &page); /* validated by the gate */
    if (req_param(r, "per_page"))
        parse_int(req_param(r, "per_page"), 1, 200, &per);
    f.limit = per;
    f.offset = (int64_t)(page - 1) * per;
    json_t *items = NULL;
    int64_t total = 0;
    int rc = store_case_list(r->st, &f, &items, &total);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list cases");

    layout_begin(r, T("Cases"), "cases");
    P("<div class=\"head\"><h1>%h</h1>", T("Cases"));
    if (policy_allows(r->sess.user.role, ACT_CASE_CREATE))
        P("<a class=\"button primary\" href=\"/cases/new\">%h</a>", T("New case"));
    P("</div>");
    P("<form method=\"get\" action=\"/cases\" class=\"filters\" role=\"search\">"
      "<div class=\"field grow\"><label for=\"q-q\">%h</label>"
      "<input type=\"search\" id=\"q-q\" name=\"q\" value=\"%a\" maxlength=\"200\" "
      "aria-describedby=\"q-q-hint\"><p class=\"hint\" id=\"q-q-hint\">%h</p></div>",
      T("Search"), f.q ? f.q : "", T("Case reference or words in the notes"));
    const struct htcds_enum *st = htcds_enum_find("cas_Status");
    filter_select(r, "status", T("Status"), st ? st->values : NULL, "cas_Status");
    filter_select(r, "category", T("Category"), case_categories, NULL);
    filter_select(r, "stage", T("Stage"), case_stages, NULL);
    filter_select(r, "source", T("Source"), case_sources, NULL);
    P("<div class=\"field\"><label for=\"q-from\">%h</label><input type=\"date\" id=\"q-from\" "
      "name=\"from\" value=\"%a\"></div>"
      "<div class=\"field\"><label for=\"q-to\">%h</label><input type=\"date\" id=\"q-to\" "
      "name=\"to\" value=\"%a\"></div>",
      T("Opened from"), f.from ? f.from : "", T("Opened until"), f.to ? f.to : "");
    P("<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button>"
      "<a href=\"/cases\">%h</a></div></form>",
      T("Filter"), T("Clear"));

    int64_t shown = total > STORE_COUNT_CAP ? STORE_COUNT_CAP : total;
    int64_t pages = (shown + per - 1) / per;
    char summary[160];
    snprintf(summary, sizeof summary, T("Cases found: %lld"), (long long)shown);
    P("<p class=\"summary\" role=\"status\">%h%s</p>", summary, total > STORE_COUNT_CAP ? "+" : "");
    case_table(r, items, T("Cases"), T("No case matches these filters."));
    json_decref(items);
    if (pages > 1) {
        char where[96];
        snprintf(where, sizeof where, T("Page %d of %lld"), page, (long long)pages);
        P("<nav class=\"pager\" aria-label=\"%a\">", T("Pages"));
        struct buf u;
        buf_init(&u, 4096);
        if (page > 1) {
            page_link(r, &u, page - 1);
            P("<a href=\"%U\" rel=\"prev\">%h</a>", buf_cstr(&u), T("Previous"));
        }
        P("<span>%h</span>", where);
        if (page < pages) {
            buf_reset(&u);
            page_link(r, &u, page + 1);
            P("<a href=\"%U\" rel=\"next\">%h</a>", buf_cstr(&u), T("Next"));
        }
        buf_free(&u);
        P("</nav>");
    }
    layout_end(r);
    return VIGIL_OK;
}

/* ---- /cases/new ------------------------------------------------------- */

static const char *const intake_case[] = {"category",
                                          "source",
                                          "opened_on",
                                          "place_of_recruitment",
                                          "country_of_recruitment",
                                          "place_of_exploitation",
                                          "country_of_exploitation",
                                          NULL};
static const char *const intake_victim[] = {"prs_FirstName",
                                            "prs_SecondName",
                                            "prs_Gender",
                                            "prs_Birthdate",
                                            "prs_Citizenship",
                                            "prs_PrimaryLanguage",
                                            "prs_IdentityNumber",
                                            "prs_MobilePhone",
                                            "prs_MaritalStatus",
                                            "prs_HighestLevelOfEducation",
                                            "prs_NumberOfChildren",
                                            "vic_AgeWhenTrafficked",
                                            "vic_RelationshipToTrafficker",
                                            "vic_ForcedLabourIndustry",
                                            "vic_AgreementToManagePersonalData",
                                            "vic_TypeOfExploitation",
                                            "vic_MethodOfRecruitment",
                                            "vic_MethodsOfControl",
                                            "vic_Vulnerabilities",
                                            NULL};

static void intake_form(struct req *r, json_t *form, const struct form_errs *errs)
{
    layout_begin(r, T("New case"), "new");
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("New case"),
      T("Record what is known now; everything can be completed later."));
    if (errs && errs->n) {
        P("<div class=\"alert\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><h2>%h</h2><ul>",
          T("Please correct the marked fields."));
        for (size_t i = 0; i < errs->n; i++) {
            int victim = strncmp(errs->e[i].field, "prs_", 4) == 0 ||
                         strncmp(errs->e[i].field, "vic_", 4) == 0;
            char href[96];
            snprintf(href, sizeof href, "#f-%s%s", victim ? "v-" : "", errs->e[i].field);
            P("<li><a href=\"%U\">%h</a></li>", href, field_label(r, errs->e[i].field));
        }
        P("</ul></div>");
    }
    char today[11];
    time_date(time_now(), today);
    int fresh = form == NULL;
    json_t *defaults = NULL;
    if (fresh) {
        defaults = json_pack("{s:s}", "opened_on", today);
        form = defaults;
    }
    P("<form method=\"post\" action=\"/cases/new\" class=\"stack\" novalidate>");
    layout_csrf(r);
    P("<fieldset class=\"group\"><legend>%h</legend><div class=\"cols\">", T("The case"));
    for (const char *const *k = intake_case; *k; k++) {
        const struct field *f = record_field(case_fields, *k);
        control(r, f, "", form, errs, (f->flags & FF_REQUIRED) != 0);
    }
    P("</div></fieldset>");
    P("<fieldset class=\"group\"><legend>%h</legend><p class=\"hint\">%h</p><div class=\"cols\">",
      T("Victim"), T("Leave empty if no victim is known yet. Names are encrypted."));
    for (const char *const *k = intake_victim; *k; k++)
        control(r, record_field(person_fields, *k), "v.", form, errs, 0);
    P("</div></fieldset>");
    P("<fieldset class=\"group\"><legend>%h</legend>", T("Summary"));
    control(r, record_field(note_fields, "text"), "", form, errs, 0);
    P("</fieldset><div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button>"
      "<a href=\"/cases\">%h</a></div></form>",
      T("Create case"), T("Cancel"));
    layout_end(r);
    json_decref(defaults);
}

int page_case_new(struct req *r)
{
    intake_form(r, NULL, NULL);
    return VIGIL_OK;
}

/* Whether the form has any victim field filled in. */
static int has_victim(json_t *form)
{
    const char *key;
    json_t *v;
    json_object_foreach(form, key, v)
    {
        if (strncmp(key, "v.", 2) != 0)
            continue;
        if (json_is_array(v) || (json_is_string(v) && json_string_length(v) > 0))
            return 1;
    }
    return 0;
}

int page_case_create(struct req *r)
{
    struct form_errs errs = {0};
    json_t *c = form_record(r->body, case_fields, "", 0, &errs);
    json_t *victim = NULL;
    if (has_victim(r->body)) {
        victim = form_record(r->body, person_fields, "v.", FF_VICTIM, &errs);
        json_object_set_new(victim, "role", json_string("victim"));
    }
    json_t *note =
        *form_str(r->body, "text") ? form_record(r->body, note_fields, "", 0, &errs) : NULL;
    json_t *person = NULL, *vc = NULL;
    struct verr e;
    /* Each field passed on its own; these catch rules across fields. */
    if (!errs.n && record_validate(case_fields, c, REC_CREATE, 0, &vc, &e)) {
        const struct field *f = record_field(case_fields, e.field);
        errs.e[0].field = f ? f->name : "category";
        errs.e[0].msgid = N_("This value is not valid.");
        errs.n = 1;
    }
    if (!errs.n && victim && person_validate(victim, REC_CREATE, NULL, &person, &e)) {
        const struct field *f = record_field(person_fields, e.field);
        errs.e[0].field = f ? f->name : "prs_FirstName";
        errs.e[0].msgid = N_("This value is not valid.");
        errs.n = 1;
    }
    if (errs.n) {
        json_decref(c);
        json_decref(vc);
        json_decref(victim);
        json_decref(person);
        json_decref(note);
        r->status = 400;
        intake_form(r, r->body, &errs);
        return VIGIL_OK;
    }
    char today[11];
    time_date(time_now(), today);
    case_defaults(vc, today);

    json_t *out = NULL;
    int rc = store_begin(r->st);
    if (!rc)
        rc = store_case_create(r->st, vc, r->sess.user.org_id, r->sess.user.id, time_now(), &out);
    int64_t id = out ? json_integer_value(json_object_get(out, "id")) : 0;
    char obj[48];
    snprintf(obj, sizeof obj, "case:%" PRId64, id);
    if (!rc)
        rc = req_audit(r, "case.create", obj, str(out, "reference"));
    if (!rc && person) {
        int64_t pid;
        rc = case_person_add(r, id, person, &pid);
    }
    if (!rc && str(note, "text")) {
        json_t *n = NULL;
        rc = store_note_add(r->st, id, r->sess.user.id, str(note, "text"), time_now(), &n);
        if (!rc) {
            snprintf(obj, sizeof obj, "case:%" PRId64 "/note:%" JSON_INTEGER_FORMAT, id,
                     json_integer_value(json_object_get(n, "id")));
            rc = req_audit(r, "note.create", obj, "");
        }
        json_decref(n);
    }
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    json_decref(c);
    json_decref(vc);
    json_decref(victim);
    json_decref(person);
    json_decref(note);
    json_decref(out);
    if (rc)
        return req_fail(r, rc, NULL, "the case could not be saved");
    char loc[48];
    snprintf(loc, sizeof loc, "/cases/%" PRId64, id);
    return page_redirect(r, loc);
}

/* ---- /cases/{id} ------------------------------------------------------ */

struct event {
    char at[21];
    size_t seq;       /* the order found, to break ties in time */
    const char *what; /* translated */
    char detail[160];
};

static int event_cmp(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    int c = strcmp(y->at, x->at);
    if (c)
        return c;
    return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

static void dl_row(struct req *r, const char *label, const char *value)
{
    if (value && *value)
        P("<div><dt>%h</dt><dd>%h</dd></div>", label, value);
}

/* One field of a person as a row of the description list, when it has a
 * value. Names are in the heading; internal fields are left out. */
static void person_value(struct req *r, const struct field *f, json_t *v)
{
    static const char *const skip[] = {"role",           "id", "case_id", "prs_FirstName",
                                       "prs_SecondName", NULL};
    for (const char *const *k = skip; *k; k++)
        if (strcmp(*k, f->name) == 0)
            return;
    if (!v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0))
        return;
    P("<div><dt>%h</dt><dd>", field_label(r, f->name));
    if (json_is_array(v)) {
        size_t k;
        json_t *x;
        json_array_foreach(v, k, x)
        {
            P("%s%h", k ? ", " : "", value_label(r, f, json_string_value(x)));
        }
    } else if (json_is_integer(v)) {
        P("%D", (int64_t)json_integer_value(v));
    } else if (json_is_boolean(v)) {
        P("%h", json_is_true(v) ? T("Yes") : T("No"));
    } else if (f->type == FT_DATE) {
        put_date(r, json_string_value(v));
    } else if (f->type == FT_ENUM) {
        P("%h", value_label(r, f, json_string_value(v)));
    } else {
        P("%h", json_string_value(v));
    }
    P("</dd></div>");
}

static void persons_section(struct req *r)
{
    json_t *arr = NULL;
    if (case_persons_read(r, r->id, &arr)) {
        P("<section class=\"card\"><h2>%h</h2><p class=\"empty\">%h</p></section>", T("Persons"),
          T("The persons could not be shown."));
        r->status = 0;
        r->err_msg[0] = '\0';
        return;
    }
    P("<section class=\"card\" aria-labelledby=\"h-persons\"><h2 id=\"h-persons\">%h "
      "<span class=\"count\">%z</span></h2>",
      T("Persons"), json_array_size(arr));
    if (policy_allows(r->sess.user.role, ACT_PERSON_WRITE))
        P("<p><a href=\"/cases/%D/persons/new\">%h</a></p>", r->id, T("Add a person"));
    if (json_array_size(arr) == 0)
        P("<p class=\"empty\">%h</p>", T("No persons recorded."));
    size_t i;
    json_t *p;
    json_array_foreach(arr, i, p)
    {
        P("<article class=\"person\"><h3>%h %h <span class=\"tag\">%h</span></h3><dl class=\"kv\">",
          str(p, "prs_FirstName") ? str(p, "prs_FirstName") : "",
          str(p, "prs_SecondName") ? str(p, "prs_SecondName") : "", label_value(r, str(p, "role")));
        for (const struct field *f = person_fields; f->name; f++)
            person_value(r, f, json_object_get(p, f->name));
        P("</dl></article>");
    }
    P("</section>");
    json_decref(arr);
}

/* The form to move the case on: its stage and status, at the version shown
 * (a change by someone else in between is a 409, not a silent overwrite). */
static void update_form(struct req *r, json_t *c)
{
    P("<details class=\"refer\"><summary>%h</summary><form method=\"post\" action=\"/cases/%D\" "
      "class=\"stack\">",
      T("Change stage or status"), r->id);
    layout_csrf(r);
    P("<input type=\"hidden\" name=\"version\" value=\"%D\">",
      (int64_t)json_integer_value(json_object_get(c, "version")));
    P("<div class=\"field\"><label for=\"up-stage\">%h</label><select id=\"up-stage\" "
      "name=\"stage\">",
      T("Stage"));
    for (size_t k = 0; case_stages[k]; k++)
        P("<option value=\"%a\"%s>%h</option>", case_stages[k],
          strcmp(case_stages[k], str(c, "stage")) == 0 ? " selected" : "",
          label_value(r, case_stages[k]));
    P("</select></div><div class=\"field\"><label for=\"up-status\">%h</label><select "
      "id=\"up-status\" name=\"cas_Status\">",
      T("Status"));
    const struct htcds_enum *e = htcds_enum_find("cas_Status");
    for (size_t k = 0; e && e->values[k]; k++)
        P("<option value=\"%a\"%s>%h</option>", e->values[k],
          strcmp(e->values[k], str(c, "cas_Status")) == 0 ? " selected" : "", T(e->labels[k]));
    P("</select></div><div class=\"actions\"><button type=\"submit\" class=\"primary\">%h"
      "</button></div></form></details>",
      T("Save"));
}

int page_case_update(struct req *r)
{
    int64_t version;
    if (parse_i64(form_str(r->body, "version"), 1, INT64_MAX, &version))
        return req_fail(r, VIGIL_EINVAL, "version", "the form has no version");
    json_t *in = json_object();
    for (const char *const *k = (const char *const[]){"stage", "cas_Status", NULL}; *k; k++)
        if (*form_str(r->body, *k))
            json_object_set_new(in, *k, json_string(form_str(r->body, *k)));
    json_t *patch = NULL, *out = NULL;
    struct verr e;
    int rc = record_validate(case_fields, in, REC_UPDATE, 0, &patch, &e);
    json_decref(in);
    if (rc)
        return req_fail(r, rc, e.field, "%s", e.msg);
    char loc[48];
    snprintf(loc, sizeof loc, "/cases/%" PRId64, r->id);
    rc = case_update(r, version, patch, &out);
    json_decref(patch);
    json_decref(out);
    if (rc == VIGIL_ECONFLICT)
        return req_fail(r, rc, NULL, "the case was changed by someone else");
    if (rc)
        return r->status ? rc : req_fail(r, rc, NULL, "the case could not be saved");
    return page_redirect(r, loc);
}

/* The form to refer the case to another agency. */
static void referral_form(struct req *r)
{
    struct org *orgs = NULL;
    size_t no = 0;
    if (store_org_list(r->st, &orgs, &no))
        return;
    P("<details class=\"refer\"><summary>%h</summary><form method=\"post\" "
      "action=\"/cases/%D/referrals\" class=\"stack\">",
      T("Refer to another agency"), r->id);
    layout_csrf(r);
    P("<div class=\"field\"><label for=\"ref-to\">%h</label><select id=\"ref-to\" name=\"to\" "
      "required><option value=\"\">%h</option>",
      T("To"), T("— choose —"));
    for (size_t k = 0; k < no; k++) {
        if (orgs[k].id == r->sess.user.org_id)
            continue;
        const char *name = r->lang == LANG_PT   ? orgs[k].name_pt
                           : r->lang == LANG_EN ? orgs[k].name_en
                                                : orgs[k].name_zh;
        P("<option value=\"%a\">%h — %h</option>", orgs[k].code, orgs[k].code, name);
    }
    free(orgs);
    P("</select></div><div class=\"field\"><label for=\"ref-reason\">%h</label><select "
      "id=\"ref-reason\" name=\"reason\" required><option value=\"\">%h</option>",
      T("Reason"), T("— choose —"));
    const struct htcds_enum *e = htcds_enum_find("cas_ReasonForOutgoingReferral");
    for (size_t k = 0; e && e->values[k]; k++)
        P("<option value=\"%a\">%h</option>", e->values[k], T(e->labels[k]));
    P("</select></div><div class=\"field\"><label for=\"ref-details\">%h</label>"
      "<textarea id=\"ref-details\" name=\"details\" rows=\"2\" maxlength=\"4000\">"
      "</textarea></div><div class=\"field\"><label for=\"ref-override\">%h</label>"
      "<p class=\"hint\" id=\"ref-override-hint\">%h</p><textarea id=\"ref-override\" "
      "name=\"override_reason\" rows=\"2\" maxlength=\"2000\" "
      "aria-describedby=\"ref-override-hint\"></textarea></div>"
      "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h"
      "</button></div></form></details>",
      T("Details"), T("Reason for going ahead without consent"),
      T("Needed only when a victim has not consented to referral."), T("Refer"));
}

int page_referral_create(struct req *r)
{
    const char *to = form_str(r->body, "to");
    const char *reason = form_str(r->body, "reason");
    const char *details = form_str(r->body, "details");
    char loc[48];
    snprintf(loc, sizeof loc, "/cases/%" PRId64, r->id);
    struct org g;
    const struct htcds_enum *e = htcds_enum_find("cas_ReasonForOutgoingReferral");
    if (store_org_by_code(r->st, to, &g) || g.id == r->sess.user.org_id ||
        !htcds_value_valid(e, reason) || utf8_len(details) > 4000)
        return req_fail(r, VIGIL_EINVAL, "to", "choose an agency and a reason");
    /* the consent rule of the API (api_protection.c), with its override */
    const char *override = form_str(r->body, "override_reason");
    if (utf8_len(override) > 2000)
        return req_fail(r, VIGIL_EINVAL, "override_reason", "the reason is too long");
    json_t *out = NULL;
    int needed = 0;
    int rc = store_begin(r->st);
    if (!rc && (rc = referral_consent_check(r, r->id, override, &needed))) {
        store_rollback(r->st);
        return rc;
    }
    if (!rc)
        rc = store_referral_add(r->st, r->id, r->sess.user.org_id, g.id, reason,
                                *details ? details : NULL, r->sess.user.id, time_now(), &out);
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "case:%" PRId64 "/referral:%" JSON_INTEGER_FORMAT, r->id,
                 json_integer_value(json_object_get(out, "id")));
        rc = req_audit(r, "referral.create", obj, g.code);
    }
    if (!rc && needed)
        rc = referral_consent_override(r, r->id, json_integer_value(json_object_get(out, "id")),
                                       override);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    json_decref(out);
    if (rc)
        return req_fail(r, rc, NULL, "the referral could not be saved");
    return page_redirect(r, loc);
}

int page_case(struct req *r)
{
    json_t *c;
    int rc = store_case_get(r->st, r->id, &c);
    if (rc)
        return req_fail(r, rc, NULL, "no case %" PRId64, r->id);
    int role = r->sess.user.role;
    json_t *notes = NULL, *refs = NULL;
    if (policy_allows(role, ACT_NOTE_READ))
        store_note_list(r->st, r->id, &notes);
    if (policy_allows(role, ACT_REFERRAL_READ))
        store_referral_list(r->st, r->id, 0, NULL, &refs);

    layout_begin(r, str(c, "reference"), "cases");
    P("<nav class=\"crumbs\" aria-label=\"%a\"><a href=\"/cases\">%h</a> › <span>%h</span></nav>",
      T("Breadcrumb"), T("Cases"), str(c, "reference"));
    P("<div class=\"head start\"><h1>%h</h1><span class=\"tag tag-%a\">%h</span></div>",
      str(c, "reference"), str(c, "cas_Status"),
      label_htcds(r, "cas_Status", str(c, "cas_Status")));
    P("<div class=\"grid\"><section class=\"card\" aria-labelledby=\"h-case\"><h2 id=\"h-case\">%h"
      "</h2><dl class=\"kv\">",
      T("The case"));
    dl_row(r, T("Category"), label_value(r, str(c, "category")));
    dl_row(r, T("Stage"), label_value(r, str(c, "stage")));
    dl_row(r, T("Source"), label_value(r, str(c, "source")));
    P("<div><dt>%h</dt><dd>", T("Opened on"));
    put_date(r, str(c, "opened_on"));
    P("</dd></div>");
    if (str(c, "closed_on")) {
        P("<div><dt>%h</dt><dd>", T("Closed on"));
        put_date(r, str(c, "closed_on"));
        P("</dd></div>");
    }
    dl_row(r, T("Agency"), str(c, "organisation"));
    dl_row(r, T("Place of recruitment"), str(c, "place_of_recruitment"));
    dl_row(r, T("Country of recruitment"), str(c, "country_of_recruitment"));
    dl_row(r, T("Place of exploitation"), str(c, "place_of_exploitation"));
    dl_row(r, T("Country of exploitation"), str(c, "country_of_exploitation"));
    P("</dl>");
    if (policy_allows(role, ACT_CASE_UPDATE))
        update_form(r, c);
    P("</section>");

    if (policy_allows(role, ACT_PERSON_READ))
        persons_section(r);

    /* The timeline: the case, its notes and referrals, and the protection and
     * legal items the role may read (page_protection.c), newest first. */
    int prot_audited = 0;
    json_t *prot = protection_timeline(r, &prot_audited);
    size_t nn = json_array_size(notes), nr = json_array_size(refs), np = json_array_size(prot);
    struct event *ev = calloc(1 + nn + 2 * nr + np, sizeof *ev);
    size_t ne = 0;
    if (ev) {
        size_t pi;
        json_t *px;
        json_array_foreach(prot, pi, px)
        {
            snprintf(ev[ne].at, sizeof ev[ne].at, "%s", str(px, "at"));
            ev[ne].what = str(px, "what");
            snprintf(ev[ne++].detail, sizeof ev[0].detail, "%s", str(px, "detail"));
        }
        snprintf(ev[ne].at, sizeof ev[ne].at, "%s", str(c, "created_at"));
        ev[ne].what = T("Case opened");
        snprintf(ev[ne++].detail, sizeof ev[0].detail, "%s", str(c, "organisation"));
        size_t i;
        json_t *x;
        json_array_foreach(notes, i, x)
        {
            snprintf(ev[ne].at, sizeof ev[ne].at, "%s", str(x, "created_at"));
            ev[ne].what = T("Note added");
            snprintf(ev[ne++].detail, sizeof ev[0].detail, "%s",
                     str(x, "author") ? str(x, "author") : "");
        }
        json_array_foreach(refs, i, x)
        {
            snprintf(ev[ne].at, sizeof ev[ne].at, "%s", str(x, "created_at"));
            ev[ne].what = T("Referred");
            snprintf(ev[ne++].detail, sizeof ev[0].detail, "%s → %s", str(x, "from"), str(x, "to"));
            if (str(x, "decided_at")) {
                snprintf(ev[ne].at, sizeof ev[ne].at, "%s", str(x, "decided_at"));
                ev[ne].what = label_value(r, str(x, "state"));
                snprintf(ev[ne++].detail, sizeof ev[0].detail, "%s", str(x, "to"));
            }
        }
        for (size_t k = 0; k < ne; k++)
            ev[k].seq = k;
        qsort(ev, ne, sizeof *ev, event_cmp);
        P("<section class=\"card\" aria-labelledby=\"h-time\"><h2 id=\"h-time\">%h</h2>"
          "<ol class=\"timeline\">",
          T("Timeline"));
        for (size_t k = 0; k < ne; k++) {
            P("<li>");
            put_date(r, ev[k].at);
            P(" <strong>%h</strong> <span class=\"muted\">%h</span></li>", ev[k].what,
              ev[k].detail);
        }
        P("</ol></section>");
        free(ev);
    }

    if (refs) {
        P("<section class=\"card\" aria-labelledby=\"h-refs\"><h2 id=\"h-refs\">%h</h2>",
          T("Referrals"));
        if (nr == 0)
            P("<p class=\"empty\">%h</p>", T("No referrals."));
        else
            P("<table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
              T("To"), T("Reason"), T("State"), T("Date"));
        size_t i;
        json_t *x;
        json_array_foreach(refs, i, x)
        {
            P("<tr><td>%h</td><td>%h</td><td>%h</td><td>", str(x, "to"),
              label_htcds(r, "cas_ReasonForOutgoingReferral", str(x, "reason")),
              label_value(r, str(x, "state")));
            put_date(r, str(x, "created_at"));
            P("</td></tr>");
        }
        if (nr)
            P("</tbody></table>");
        if (policy_allows(role, ACT_REFERRAL_CREATE))
            referral_form(r);
        P("</section>");
    }
    P("</div>");

    if (notes) {
        P("<section class=\"card wide\" aria-labelledby=\"h-notes\"><h2 id=\"h-notes\">%h</h2>",
          T("Notes"));
        if (nn == 0)
            P("<p class=\"empty\">%h</p>", T("No notes yet."));
        size_t i;
        json_t *x;
        json_array_foreach(notes, i, x)
        {
            P("<article class=\"note\"><p class=\"meta\">%h · ",
              str(x, "author") ? str(x, "author") : "");
            put_date(r, str(x, "created_at"));
            P("</p><p class=\"text\">%h</p></article>", str(x, "text"));
        }
        if (policy_allows(role, ACT_NOTE_WRITE)) {
            P("<form method=\"post\" action=\"/cases/%D/notes\" class=\"stack\">", r->id);
            layout_csrf(r);
            P("<div class=\"field\"><label for=\"note-text\">%h</label>"
              "<p class=\"hint\" id=\"note-hint\">%h</p>"
              "<textarea id=\"note-text\" name=\"text\" rows=\"3\" maxlength=\"20000\" required "
              "aria-describedby=\"note-hint\"></textarea></div>"
              "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div>"
              "</form>",
              T("New note"), T("What happened, without names or identity numbers."), T("Add note"));
        }
        P("</section>");
    }
    protection_sections(r, prot_audited);
    if (policy_allows(role, ACT_AUDIT_READ))
        audit_section(r, r->id, 0, 200);
    layout_end(r);
    json_decref(notes);
    json_decref(refs);
    json_decref(prot);
    json_decref(c);
    return VIGIL_OK;
}

int page_note_create(struct req *r)
{
    struct form_errs errs = {0};
    json_t *n = form_record(r->body, note_fields, "", 0, &errs);
    char loc[48];
    snprintf(loc, sizeof loc, "/cases/%" PRId64, r->id);
    if (errs.n || !str(n, "text")) {
        json_decref(n);
        return page_redirect(r, loc); /* an empty note is no note */
    }
    json_t *out = NULL;
    int rc = store_begin(r->st);
    if (!rc)
        rc = store_note_add(r->st, r->id, r->sess.user.id, str(n, "text"), time_now(), &out);
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "case:%" PRId64 "/note:%" JSON_INTEGER_FORMAT, r->id,
                 json_integer_value(json_object_get(out, "id")));
        rc = req_audit(r, "note.create", obj, "");
    }
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    json_decref(out);
    json_decref(n);
    if (rc)
        return req_fail(r, rc, NULL, "the note could not be saved");
    return page_redirect(r, loc);
}

/* ---- /cases/{id}/persons/new ------------------------------------------ */

static const char *const person_general[] = {
    "prs_FirstName", "prs_MiddleName",      "prs_SecondName",     "prs_Gender",
    "prs_Birthdate", "prs_Citizenship",     "prs_IdentityNumber", "prs_MobilePhone",
    "prs_Email",     "prs_PrimaryLanguage", "prs_Title",          NULL};
static const char *const person_victim[] = {"vic_RelationshipToTrafficker",
                                            "vic_AgeWhenTrafficked",
                                            "vic_ForcedLabourIndustry",
                                            "vic_AgreementToManagePersonalData",
                                            "vic_TypeOfExploitation",
                                            "vic_MethodOfRecruitment",
                                            "vic_MethodsOfControl",
                                            "vic_Vulnerabilities",
                                            NULL};
static const char *const person_suspect[] = {"per_RoleInProcess", "per_RoleDetails", NULL};

static void person_form(struct req *r, json_t *form, const struct form_errs *errs)
{
    json_t *c = NULL;
    store_case_get(r->st, r->id, &c);
    const char *ref = c ? str(c, "reference") : "";
    layout_begin(r, T("Add a person"), "cases");
    P("<nav class=\"crumbs\" aria-label=\"%a\"><a href=\"/cases\">%h</a> › "
      "<a href=\"/cases/%D\">%h</a> › <span>%h</span></nav><h1>%h</h1>",
      T("Breadcrumb"), T("Cases"), r->id, ref, T("Add a person"), T("Add a person"));
    if (errs && errs->n) {
        P("<div class=\"alert\" role=\"alert\" id=\"errors\"><h2>%h</h2><ul>",
          T("Please correct the marked fields."));
        for (size_t i = 0; i < errs->n; i++) {
            char href[96];
            snprintf(href, sizeof href, "#f-v-%s", errs->e[i].field);
            P("<li><a href=\"%U\">%h</a></li>", href, field_label(r, errs->e[i].field));
        }
        P("</ul></div>");
    }
    P("<form method=\"post\" action=\"/cases/%D/persons\" class=\"stack\" novalidate>", r->id);
    layout_csrf(r);
    const char *role = form ? form_str(form, "p.role") : "";
    const char *rerr = errs ? form_err(errs, "role") : NULL;
    P("<fieldset class=\"group\"><legend>%h</legend><div class=\"cols\"><div class=\"field%s\">"
      "<label for=\"f-v-role\">%h <span class=\"req\" aria-hidden=\"true\">*</span></label>"
      "<select id=\"f-v-role\" name=\"p.role\" required%s><option value=\"\">%h</option>",
      T("The person"), rerr ? " has-error" : "", T("Role"),
      rerr ? " aria-invalid=\"true\" aria-describedby=\"f-v-role-err\"" : "", T("— choose —"));
    for (size_t k = 0; person_roles[k]; k++)
        P("<option value=\"%a\"%s>%h</option>", person_roles[k],
          strcmp(role, person_roles[k]) == 0 ? " selected" : "", label_value(r, person_roles[k]));
    P("</select>");
    if (rerr)
        P("<p class=\"err\" id=\"f-v-role-err\">%h</p>", T(rerr));
    P("</div>");
    for (const char *const *k = person_general; *k; k++)
        control(r, record_field(person_fields, *k), "p.", form, errs, 0);
    P("</div></fieldset><fieldset class=\"group\"><legend>%h</legend><p class=\"hint\">%h</p>"
      "<div class=\"cols\">",
      T("Victim"), T("Only for a victim."));
    for (const char *const *k = person_victim; *k; k++)
        control(r, record_field(person_fields, *k), "p.", form, errs, 0);
    P("</div></fieldset><fieldset class=\"group\"><legend>%h</legend><p class=\"hint\">%h</p>"
      "<div class=\"cols\">",
      T("Suspect"), T("Only for a suspect."));
    for (const char *const *k = person_suspect; *k; k++)
        control(r, record_field(person_fields, *k), "p.", form, errs, 0);
    P("</div></fieldset><div class=\"actions\"><button type=\"submit\" class=\"primary\">%h"
      "</button><a href=\"/cases/%D\">%h</a></div></form>",
      T("Add person"), r->id, T("Cancel"));
    layout_end(r);
    json_decref(c);
}

int page_person_new(struct req *r)
{
    person_form(r, NULL, NULL);
    return VIGIL_OK;
}

int page_person_create(struct req *r)
{
    struct form_errs errs = {0};
    const char *role = form_str(r->body, "p.role");
    unsigned allow = person_allow(role);
    int role_ok = 0;
    for (size_t k = 0; person_roles[k]; k++)
        role_ok |= strcmp(role, person_roles[k]) == 0;
    if (!role_ok) {
        errs.e[0].field = "role";
        errs.e[0].msgid = N_("This field is required.");
        errs.n = 1;
    }
    json_t *p = form_record(r->body, person_fields, "p.", allow, &errs);
    json_object_set_new(p, "role", json_string(role));
    json_t *valid = NULL;
    struct verr e;
    if (!errs.n && person_validate(p, REC_CREATE, NULL, &valid, &e)) {
        const struct field *f = record_field(person_fields, e.field);
        errs.e[0].field = f ? f->name : "role";
        errs.e[0].msgid = N_("This value is not valid.");
        errs.n = 1;
    }
    json_decref(p);
    if (errs.n) {
        json_decref(valid);
        r->status = 400;
        person_form(r, r->body, &errs);
        return VIGIL_OK;
    }
    int64_t pid = 0;
    int rc = store_begin(r->st);
    if (!rc)
        rc = case_person_add(r, r->id, valid, &pid);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    json_decref(valid);
    if (rc)
        return req_fail(r, rc, NULL, "the person could not be saved");
    char loc[48];
    snprintf(loc, sizeof loc, "/cases/%" PRId64, r->id);
    return page_redirect(r, loc);
}
