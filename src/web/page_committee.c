/*
 * The committee's pages: the plenary meetings (list, a new one, each with
 * its agenda, minutes, decisions and attendees, editable until the minutes
 * are approved), the measures (overdue ones marked with a label, not only a
 * colour) with their progress, and the prevention activities by month.
 * Writes go through the committee API's handlers (api_committee.c), so a
 * page and the API check, version and audit the same way; forms are first
 * checked with the same field tables to show translated errors.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/policy.h"
#include "core/committee.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/form.h"
#include "web/page.h"

static const struct {
    const char *value, *label;
} labels[] = {
    {"planned", N_("Planned")},
    {"held", N_("Held")},
    {"approved", N_("Minutes approved")},
    {"open", N_("Open")},
    {"in_progress", N_("In progress")},
    {"done", N_("Done")},
    {"dropped", N_("Dropped")},
    {"inspection", N_("Inspection")},
    {"training", N_("Training")},
    {"awareness", N_("Awareness campaign")},
    {"sites", N_("Sites visited")},
    {"workers_reached", N_("Workers reached")},
    {"officials_trained", N_("Officials trained")},
    {"people_reached", N_("People reached")},
};

static const char *label(struct req *r, const char *v)
{
    if (!v)
        return "";
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].value, v) == 0)
            return T(labels[i].label);
    return v;
}

static const char *s(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static int64_t n(json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

static void today(char out[11])
{
    time_date(time_now(), out);
}

static int may(struct req *r, enum action a)
{
    return policy_allows(r->sess.user.role, a);
}

static void state_tag(struct req *r, const char *state)
{
    const char *cls = strcmp(state, "approved") == 0 || strcmp(state, "done") == 0 ? "tag-Active"
                      : strcmp(state, "dropped") == 0                              ? "tag-Closed"
                                                                                   : "tag-FollowUp";
    P("<span class=\"tag %s\">%h</span>", cls, label(r, state));
}

/* An alert with the page's errors: the API's message for the field named,
 * or the form's translated ones. */
static void alert_box(struct req *r, const char *msg, const struct form_errs *errs)
{
    if (!msg && (!errs || !errs->n))
        return;
    P("<div class=\"alert\" role=\"alert\"><p>%h</p>",
      msg ? msg : T("Check the fields marked below."));
    if (errs && errs->n) {
        P("<ul>");
        for (size_t i = 0; i < errs->n; i++) {
            char text[256];
            snprintf(text, sizeof text, T(errs->e[i].msgid), errs->e[i].a, errs->e[i].b);
            P("<li><code>%h</code>: %h</li>", errs->e[i].field, text);
        }
        P("</ul>");
    }
    P("</div>");
}

/* The message to show for a failed write through the API. */
static const char *api_error(struct req *r)
{
    switch (r->status) {
    case 400:
        return r->err_field[0] ? r->err_msg : T("Check the fields marked below.");
    case 409:
        return r->err_msg;
    default:
        return NULL;
    }
}

static void org_options(struct req *r, const char *selected, int blank)
{
    struct org *orgs = NULL;
    size_t no = 0;
    if (store_org_list(r->st, &orgs, &no))
        return;
    if (blank)
        P("<option value=\"\">%h</option>", T("Any"));
    for (size_t i = 0; i < no; i++)
        P("<option value=\"%a\"%s>%h</option>", orgs[i].code,
          selected && strcmp(selected, orgs[i].code) == 0 ? " selected" : "", orgs[i].code);
    free(orgs);
}

static void field_begin(struct req *r, const char *id, const char *lbl, int req)
{
    P("<div class=\"field\"><label for=\"%a\">%h%s</label>", id, lbl,
      req ? " <span class=\"req\" aria-hidden=\"true\">*</span>" : "");
}

/* ---- measures ---------------------------------------------------------- */

void measure_table(struct req *r, json_t *items, const char *empty)
{
    if (json_array_size(items) == 0) {
        P("<p class=\"empty\">%h</p>", empty);
        return;
    }
    char d[11];
    today(d);
    P("<div class=\"table-wrap\"><table class=\"measures\"><thead><tr><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th></tr></thead><tbody>",
      T("Measure"), T("Owner"), T("Due"), T("State"), T("Latest progress"));
    size_t i;
    json_t *m;
    json_array_foreach(items, i, m)
    {
        int late = measure_overdue(s(m, "state"), s(m, "due_on"), d);
        P("<tr%s><th scope=\"row\"><a href=\"/measures/%D\">%h</a></th><td>%h</td><td "
          "class=\"nowrap\">",
          late ? " class=\"overdue\"" : "", n(m, "id"), s(m, "title"), s(m, "owner"));
        put_date(r, s(m, "due_on"));
        P("</td><td>");
        state_tag(r, s(m, "state"));
        if (late)
            P(" <span class=\"tag tag-overdue\">%h</span>", T("Overdue"));
        P("</td><td>");
        json_t *u = json_object_get(m, "last_update");
        if (json_is_object(u)) {
            put_date(r, s(u, "updated_on"));
            P(" · %h", s(u, "note"));
        } else {
            P("—");
        }
        P("</td></tr>");
    }
    P("</tbody></table></div>");
}

static void measure_new_form(struct req *r, int64_t meeting_id)
{
    P("<form method=\"post\" action=\"/measures\" class=\"card wide stack\" id=\"new-measure\">"
      "<h2>%h</h2>",
      T("New measure"));
    layout_csrf(r);
    if (meeting_id)
        P("<input type=\"hidden\" name=\"meeting_id\" value=\"%D\">", meeting_id);
    P("<div class=\"cols\">");
    field_begin(r, "ms-title", T("Measure"), 1);
    P("<input type=\"text\" id=\"ms-title\" name=\"title\" maxlength=\"300\"></div>");
    field_begin(r, "ms-owner", T("Owner"), 1);
    P("<select id=\"ms-owner\" name=\"owner\">");
    org_options(r, NULL, 0);
    P("</select></div>");
    field_begin(r, "ms-due", T("Due"), 1);
    P("<input type=\"date\" id=\"ms-due\" name=\"due_on\"></div></div>"
      "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div></form>",
      T("Add the measure"));
}

int page_measures(struct req *r)
{
    const char *state = req_param(r, "state"), *owner = req_param(r, "owner");
    const char *overdue = req_param(r, "overdue");
    json_t *items = NULL;
    char d[11];
    today(d);
    int rc = overdue ? store_measure_overdue(r->st, d, &items)
                     : store_measure_list(r->st, state, owner, &items);
    if (rc)
        return rc;
    if (overdue) /* the other filters over the overdue ones */
        for (size_t i = 0; i < json_array_size(items);) {
            json_t *m = json_array_get(items, i);
            if ((state && strcmp(state, s(m, "state"))) || (owner && strcmp(owner, s(m, "owner"))))
                json_array_remove(items, i);
            else
                i++;
        }
    layout_begin(r, T("Measures"), "measures");
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Measures"),
      T("The measures the plenary introduced, by due date, and how far each has come."));
    P("<form method=\"get\" action=\"/measures\" class=\"filters\">");
    field_begin(r, "f-state", T("State"), 0);
    P("<select id=\"f-state\" name=\"state\"><option value=\"\">%h</option>", T("Any"));
    for (int i = 0; measure_states[i]; i++)
        P("<option value=\"%a\"%s>%h</option>", measure_states[i],
          state && strcmp(state, measure_states[i]) == 0 ? " selected" : "",
          label(r, measure_states[i]));
    P("</select></div>");
    field_begin(r, "f-owner", T("Owner"), 0);
    P("<select id=\"f-owner\" name=\"owner\">");
    org_options(r, owner, 1);
    P("</select></div><div class=\"field\"><label class=\"check\"><input type=\"checkbox\" "
      "name=\"overdue\" value=\"1\"%s> %h</label></div>"
      "<div class=\"actions\"><button type=\"submit\">%h</button></div></form>",
      overdue ? " checked" : "", T("Overdue only"), T("Filter"));
    P("<section class=\"card wide\" aria-labelledby=\"h-measures\"><h2 id=\"h-measures\">%h "
      "<span class=\"count\">%z</span></h2>",
      T("Measures"), json_array_size(items));
    measure_table(r, items, T("No measures."));
    P("</section>");
    json_decref(items);
    if (may(r, ACT_COMMITTEE_WRITE))
        measure_new_form(r, 0);
    layout_end(r);
    return VIGIL_OK;
}

/* A form's measure fields as a JSON body, or NULL with errs. */
static json_t *measure_body(struct req *r, struct form_errs *errs)
{
    memset(errs, 0, sizeof *errs);
    json_t *b = form_record(r->body, measure_fields, "", 0, errs);
    const char *mid = form_str(r->body, "meeting_id");
    int64_t id;
    if (*mid) {
        if (parse_i64(mid, 1, INT32_MAX, &id) == 0)
            json_object_set_new(b, "meeting_id", json_integer(id));
    }
    if (errs->n) {
        json_decref(b);
        return NULL;
    }
    return b;
}

int page_measure_create(struct req *r)
{
    struct form_errs errs;
    json_t *b = measure_body(r, &errs);
    int rc = b ? page_call(r, api_measure_create, b) : VIGIL_EINVAL;
    json_decref(b);
    if (rc) {
        const char *msg = b ? api_error(r) : NULL;
        if (b && !msg)
            return rc;
        r->status = b ? r->status : 400;
        layout_begin(r, T("New measure"), "measures");
        P("<p class=\"crumbs\"><a href=\"/measures\">%h</a></p><h1>%h</h1>", T("Measures"),
          T("New measure"));
        alert_box(r, msg, b ? NULL : &errs);
        int64_t mid = 0;
        parse_i64(form_str(r->body, "meeting_id"), 1, INT32_MAX, &mid);
        measure_new_form(r, mid);
        layout_end(r);
        return VIGIL_OK;
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/measures/%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(r->resp, "id")));
    json_decref(r->resp);
    r->resp = NULL;
    r->location[0] = '\0';
    return page_redirect(r, loc);
}

static void measure_view(struct req *r, json_t *m, const char *msg, const struct form_errs *errs)
{
    char d[11];
    today(d);
    int late = measure_overdue(s(m, "state"), s(m, "due_on"), d);
    layout_begin(r, s(m, "title"), "measures");
    P("<p class=\"crumbs\"><a href=\"/measures\">%h</a></p><div class=\"head start\"><h1>%h</h1>",
      T("Measures"), s(m, "title"));
    state_tag(r, s(m, "state"));
    if (late)
        P(" <span class=\"tag tag-overdue\" id=\"overdue\">%h</span>", T("Overdue"));
    P("</div>");
    alert_box(r, msg, errs);
    P("<section class=\"card wide%s\"><dl class=\"kv\"><div><dt>%h</dt><dd>%h</dd></div>"
      "<div><dt>%h</dt><dd>",
      late ? " overdue" : "", T("Owner"), s(m, "owner"), T("Due"));
    put_date(r, s(m, "due_on"));
    P("</dd></div>");
    if (*s(m, "done_on")) {
        P("<div><dt>%h</dt><dd>", T("Done on"));
        put_date(r, s(m, "done_on"));
        P("</dd></div>");
    }
    if (json_is_integer(json_object_get(m, "meeting_id"))) {
        P("<div><dt>%h</dt><dd><a href=\"/meetings/%D\">", T("Introduced by"), n(m, "meeting_id"));
        put_date(r, s(m, "meeting_on"));
        P("</a></dd></div>");
    }
    P("</dl></section>");
    json_t *ups = json_object_get(m, "updates");
    P("<section class=\"card wide\" aria-labelledby=\"h-progress\"><h2 id=\"h-progress\">%h "
      "<span class=\"count\">%z</span></h2>",
      T("Progress"), json_array_size(ups));
    if (json_array_size(ups) == 0) {
        P("<p class=\"empty\">%h</p>", T("No progress reported yet."));
    } else {
        P("<ol class=\"timeline\" id=\"progress\">");
        size_t i;
        json_t *u;
        json_array_foreach(ups, i, u)
        {
            P("<li class=\"note\"><p class=\"meta\">");
            put_date(r, s(u, "updated_on"));
            P(" · ");
            state_tag(r, s(u, "state"));
            if (*s(u, "by"))
                P(" · %h", s(u, "by"));
            P("</p><p class=\"text\">%h</p></li>", s(u, "note"));
        }
        P("</ol>");
    }
    P("</section>");
    int mine = strcmp(s(m, "owner"), r->sess.user.org_code) == 0;
    if (may(r, ACT_MEASURE_PROGRESS) && (mine || may(r, ACT_COMMITTEE_WRITE)) &&
        !measure_final(s(m, "state"))) {
        P("<form method=\"post\" action=\"/measures/%D/progress\" class=\"card wide stack\" "
          "id=\"progress-form\"><h2>%h</h2>",
          n(m, "id"), T("Report progress"));
        layout_csrf(r);
        P("<div class=\"cols\">");
        field_begin(r, "pg-on", T("Date"), 0);
        P("<input type=\"date\" id=\"pg-on\" name=\"on\" value=\"%a\" max=\"%a\"></div>", d, d);
        field_begin(r, "pg-state", T("State"), 0);
        P("<select id=\"pg-state\" name=\"state\">");
        for (int i = 0; measure_states[i]; i++)
            P("<option value=\"%a\"%s>%h</option>", measure_states[i],
              strcmp(measure_states[i], s(m, "state")) == 0 ? " selected" : "",
              label(r, measure_states[i]));
        P("</select></div></div>");
        field_begin(r, "pg-note", T("What was done"), 1);
        P("<textarea id=\"pg-note\" name=\"note\" rows=\"4\" maxlength=\"4000\"></textarea></div>"
          "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div>"
          "</form>",
          T("Save"));
    }
    layout_end(r);
}

int page_measure(struct req *r)
{
    json_t *m;
    int rc = store_measure_get(r->st, r->id, &m);
    if (rc)
        return req_fail(r, rc, NULL, "no measure %" PRId64, r->id);
    measure_view(r, m, NULL, NULL);
    json_decref(m);
    return VIGIL_OK;
}

int page_measure_progress(struct req *r)
{
    struct form_errs errs;
    memset(&errs, 0, sizeof errs);
    json_t *b = form_record(r->body, progress_fields, "", 0, &errs);
    if (json_is_string(json_object_get(b, "note"))) {
        /* the CR LF of a textarea as LF */
        const char *t = s(b, "note");
        char *c = strdup(t);
        size_t k = 0;
        for (size_t i = 0; c && t[i]; i++)
            if (!(t[i] == '\r' && t[i + 1] == '\n'))
                c[k++] = t[i];
        if (c) {
            json_object_set_new(b, "note", json_stringn(c, k));
            free(c);
        }
    }
    int rc = errs.n ? VIGIL_EINVAL : page_call(r, api_measure_progress, b);
    json_decref(b);
    if (rc) {
        const char *msg = errs.n ? NULL : api_error(r);
        if (!errs.n && !msg)
            return rc;
        if (errs.n)
            r->status = 400;
        json_t *m;
        if (store_measure_get(r->st, r->id, &m))
            return rc;
        measure_view(r, m, msg, &errs);
        json_decref(m);
        return VIGIL_OK;
    }
    json_decref(r->resp);
    r->resp = NULL;
    r->location[0] = '\0';
    char loc[64];
    snprintf(loc, sizeof loc, "/measures/%" PRId64, r->id);
    return page_redirect(r, loc);
}

/* ---- meetings ---------------------------------------------------------- */

static void meeting_new_form(struct req *r)
{
    P("<form method=\"post\" action=\"/meetings\" class=\"card wide stack\" id=\"new-meeting\">"
      "<h2>%h</h2>",
      T("New meeting"));
    layout_csrf(r);
    P("<div class=\"cols\">");
    field_begin(r, "mt-date", T("Date"), 1);
    P("<input type=\"date\" id=\"mt-date\" name=\"held_on\"></div>");
    field_begin(r, "mt-title", T("Title"), 0);
    P("<input type=\"text\" id=\"mt-title\" name=\"title\" maxlength=\"200\"></div></div>"
      "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div></form>",
      T("Add the meeting"));
}

static void meetings_page(struct req *r, const char *msg, const struct form_errs *errs)
{
    json_t *arr = NULL;
    if (store_meeting_list(r->st, NULL, NULL, 500, &arr))
        arr = json_array();
    layout_begin(r, T("Meetings"), "meetings");
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Meetings"),
      T("The committee's monthly plenary: agenda, minutes, decisions and who attended."));
    alert_box(r, msg, errs);
    P("<section class=\"card wide\"><div class=\"table-wrap\"><table><thead><tr>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th></tr></thead><tbody>",
      T("Date"), T("Title"), T("State"), T("Attendees"));
    size_t i;
    json_t *m;
    json_array_foreach(arr, i, m)
    {
        P("<tr><td class=\"nowrap\"><a href=\"/meetings/%D\">", n(m, "id"));
        put_date(r, s(m, "held_on"));
        P("</a></td><td>%h</td><td>", *s(m, "title") ? s(m, "title") : T("Plenary meeting"));
        state_tag(r, s(m, "state"));
        P("</td><td>%z</td></tr>", json_array_size(json_object_get(m, "attendees")));
    }
    P("</tbody></table></div>");
    if (json_array_size(arr) == 0)
        P("<p class=\"empty\">%h</p>", T("No meetings yet."));
    P("</section>");
    json_decref(arr);
    if (may(r, ACT_COMMITTEE_WRITE))
        meeting_new_form(r);
    layout_end(r);
}

int page_meetings(struct req *r)
{
    meetings_page(r, NULL, NULL);
    return VIGIL_OK;
}

int page_meeting_create(struct req *r)
{
    struct form_errs errs;
    memset(&errs, 0, sizeof errs);
    json_t *b = form_record(r->body, meeting_fields, "", 0, &errs);
    int rc = errs.n ? VIGIL_EINVAL : page_call(r, api_meeting_create, b);
    json_decref(b);
    if (rc) {
        const char *msg = errs.n ? NULL : api_error(r);
        if (!errs.n && !msg)
            return rc;
        if (errs.n)
            r->status = 400;
        meetings_page(r, msg, &errs);
        return VIGIL_OK;
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/meetings/%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(r->resp, "id")));
    json_decref(r->resp);
    r->resp = NULL;
    r->location[0] = '\0';
    return page_redirect(r, loc);
}

static void text_list(struct req *r, json_t *arr, const char *id, int ordered)
{
    if (json_array_size(arr) == 0) {
        P("<p class=\"empty\">—</p>");
        return;
    }
    P("<%s id=\"%a\">", ordered ? "ol" : "ul", id);
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) P("<li>%h</li>", json_string_value(x));
    P("</%s>", ordered ? "ol" : "ul");
}

/* The lines of a text array, for a textarea. */
static void lines(struct req *r, json_t *arr)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) P("%h\n", json_string_value(x));
}

static int has_code(json_t *arr, const char *code)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) if (strcmp(json_string_value(x), code) == 0) return 1;
    return 0;
}

static void meeting_view(struct req *r, json_t *m, const char *msg, const struct form_errs *errs)
{
    const char *state = s(m, "state");
    const char *title = *s(m, "title") ? s(m, "title") : T("Plenary meeting");
    layout_begin(r, title, "meetings");
    P("<p class=\"crumbs\"><a href=\"/meetings\">%h</a></p><div class=\"head start\"><h1>%h</h1>",
      T("Meetings"), title);
    state_tag(r, state);
    P("</div>");
    alert_box(r, msg, errs);
    struct org *orgs = NULL;
    size_t no = 0;
    store_org_list(r->st, &orgs, &no);
    json_t *att = json_object_get(m, "attendees");
    P("<section class=\"card wide\"><dl class=\"kv\"><div><dt>%h</dt><dd>", T("Date"));
    put_date(r, s(m, "held_on"));
    P("</dd></div><div><dt>%h</dt><dd id=\"attendees\">", T("Attendees"));
    size_t i;
    json_t *x;
    json_array_foreach(att, i, x)
    {
        const char *name = json_string_value(x);
        for (size_t k = 0; k < no; k++)
            if (strcmp(orgs[k].code, json_string_value(x)) == 0)
                name = r->lang == LANG_PT   ? orgs[k].name_pt
                       : r->lang == LANG_EN ? orgs[k].name_en
                                            : orgs[k].name_zh;
        P("%s<abbr title=\"%a\">%h</abbr>", i ? ", " : "", name, json_string_value(x));
    }
    if (json_array_size(att) == 0)
        P("—");
    P("</dd></div></dl></section>");
    P("<div class=\"grid\"><section class=\"card\"><h2>%h</h2>", T("Agenda"));
    text_list(r, json_object_get(m, "agenda"), "agenda", 1);
    P("</section><section class=\"card\"><h2>%h</h2>", T("Decisions"));
    text_list(r, json_object_get(m, "decisions"), "decisions", 1);
    P("</section></div><section class=\"card wide\"><h2>%h</h2>", T("Minutes"));
    if (*s(m, "minutes"))
        P("<div class=\"note\"><p class=\"text\" id=\"minutes\">%h</p></div>", s(m, "minutes"));
    else
        P("<p class=\"empty\">%h</p>", T("No minutes yet."));
    P("</section>");

    /* the measures this meeting introduced */
    json_t *all = NULL;
    if (store_measure_list(r->st, NULL, NULL, &all) == 0) {
        json_t *mine = json_array();
        json_array_foreach(all, i, x) if (n(x, "meeting_id") == n(m, "id"))
            json_array_append(mine, x);
        P("<section class=\"card wide\"><h2>%h <span class=\"count\">%z</span></h2>",
          T("Measures introduced"), json_array_size(mine));
        measure_table(r, mine, T("No measures."));
        P("</section>");
        json_decref(mine);
        json_decref(all);
    }

    int write = may(r, ACT_COMMITTEE_WRITE);
    if (write && strcmp(state, "approved") == 0) {
        P("<p class=\"notice\" id=\"read-only\">%h</p>",
          T("The minutes of this meeting are approved: it can no longer be changed."));
    } else if (write) {
        P("<form method=\"post\" action=\"/meetings/%D\" class=\"card wide stack\" "
          "id=\"edit-meeting\"><h2>%h</h2>",
          n(m, "id"), T("Edit the meeting"));
        layout_csrf(r);
        P("<input type=\"hidden\" name=\"version\" value=\"%D\"><div class=\"cols\">",
          n(m, "version"));
        field_begin(r, "ed-date", T("Date"), 1);
        P("<input type=\"date\" id=\"ed-date\" name=\"held_on\" value=\"%a\"></div>",
          s(m, "held_on"));
        field_begin(r, "ed-title", T("Title"), 0);
        P("<input type=\"text\" id=\"ed-title\" name=\"title\" maxlength=\"200\" value=\"%a\">"
          "</div>",
          s(m, "title"));
        field_begin(r, "ed-state", T("State"), 0);
        P("<select id=\"ed-state\" name=\"state\">");
        for (int k = 0; meeting_states[k]; k++)
            if (meeting_transition_ok(state, meeting_states[k]))
                P("<option value=\"%a\"%s>%h</option>", meeting_states[k],
                  strcmp(state, meeting_states[k]) == 0 ? " selected" : "",
                  label(r, meeting_states[k]));
        P("</select><p class=\"hint\">%h</p></div></div>",
          T("Once the minutes are approved the meeting can no longer be changed."));
        P("<fieldset class=\"field\"><legend>%h</legend><div class=\"checks\">", T("Attendees"));
        for (size_t k = 0; k < no; k++)
            P("<label class=\"check\"><input type=\"checkbox\" name=\"attendees\" value=\"%a\"%s>"
              " %h</label>",
              orgs[k].code, has_code(att, orgs[k].code) ? " checked" : "", orgs[k].code);
        P("</div></fieldset>");
        field_begin(r, "ed-agenda", T("Agenda (one item per line)"), 0);
        P("<textarea id=\"ed-agenda\" name=\"agenda\" rows=\"5\">");
        lines(r, json_object_get(m, "agenda"));
        P("</textarea></div>");
        field_begin(r, "ed-minutes", T("Minutes"), 0);
        P("<textarea id=\"ed-minutes\" name=\"minutes\" rows=\"10\">%h</textarea></div>",
          s(m, "minutes"));
        field_begin(r, "ed-decisions", T("Decisions (one per line)"), 0);
        P("<textarea id=\"ed-decisions\" name=\"decisions\" rows=\"5\">");
        lines(r, json_object_get(m, "decisions"));
        P("</textarea></div><div class=\"actions\"><button type=\"submit\" class=\"primary\">%h"
          "</button></div></form>",
          T("Save"));
    }
    if (write)
        measure_new_form(r, n(m, "id"));
    free(orgs);
    layout_end(r);
}

int page_meeting(struct req *r)
{
    json_t *m;
    int rc = store_meeting_get(r->st, r->id, &m);
    if (rc)
        return req_fail(r, rc, NULL, "no meeting %" PRId64, r->id);
    meeting_view(r, m, NULL, NULL);
    json_decref(m);
    return VIGIL_OK;
}

int page_meeting_save(struct req *r)
{
    struct form_errs errs;
    memset(&errs, 0, sizeof errs);
    json_t *b = form_record(r->body, meeting_fields, "", 0, &errs);
    /* the form shows every field: what is left empty is cleared */
    static const char *const arrays[] = {"agenda", "decisions", "attendees"};
    for (int i = 0; i < 3; i++)
        if (!json_object_get(b, arrays[i]) && !form_err(&errs, arrays[i]))
            json_object_set_new(b, arrays[i], json_array());
    if (!json_object_get(b, "title") && !form_err(&errs, "title"))
        json_object_set_new(b, "title", json_string(""));
    if (!json_object_get(b, "minutes") && !form_err(&errs, "minutes"))
        json_object_set_new(b, "minutes", json_string(""));
    if (json_is_string(json_object_get(b, "minutes"))) {
        const char *t = s(b, "minutes");
        char *c = strdup(t);
        size_t k = 0;
        for (size_t i = 0; c && t[i]; i++)
            if (!(t[i] == '\r' && t[i + 1] == '\n'))
                c[k++] = t[i];
        if (c) {
            json_object_set_new(b, "minutes", json_stringn(c, k));
            free(c);
        }
    }
    char im[40];
    snprintf(im, sizeof im, "\"%.30s\"", form_str(r->body, "version"));
    r->if_match = im;
    int rc = errs.n ? VIGIL_EINVAL : page_call(r, api_meeting_update, b);
    json_decref(b);
    json_decref(r->resp);
    r->resp = NULL;
    if (rc) {
        const char *msg = errs.n ? NULL : api_error(r);
        if (rc == VIGIL_ECONFLICT && r->status == 409)
            msg = r->err_field[0]
                      ? T("The minutes of this meeting are approved: it can no longer be changed.")
                      : T("Someone else changed this meeting while you were editing it. Check "
                          "the saved version below and make your change again.");
        if (!errs.n && !msg)
            return rc;
        if (errs.n)
            r->status = 400;
        json_t *m;
        if (store_meeting_get(r->st, r->id, &m))
            return rc;
        meeting_view(r, m, msg, &errs);
        json_decref(m);
        return VIGIL_OK;
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/meetings/%" PRId64, r->id);
    return page_redirect(r, loc);
}

/* ---- activities -------------------------------------------------------- */

static void activity_form(struct req *r)
{
    char d[11];
    today(d);
    P("<form method=\"post\" action=\"/activities\" class=\"card wide stack\" "
      "id=\"new-activity\"><h2>%h</h2>",
      T("Record an activity"));
    layout_csrf(r);
    P("<div class=\"cols\">");
    field_begin(r, "ac-kind", T("Kind"), 1);
    P("<select id=\"ac-kind\" name=\"kind\">");
    for (int i = 0; activity_kinds[i]; i++)
        P("<option value=\"%a\">%h</option>", activity_kinds[i], label(r, activity_kinds[i]));
    P("</select></div>");
    field_begin(r, "ac-date", T("Date"), 1);
    P("<input type=\"date\" id=\"ac-date\" name=\"held_on\" max=\"%a\"></div>", d);
    field_begin(r, "ac-org", T("Organisation"), 0);
    P("<select id=\"ac-org\" name=\"org\">");
    org_options(r, r->sess.user.org_code, 0);
    P("</select></div>");
    field_begin(r, "ac-title", T("Title"), 0);
    P("<input type=\"text\" id=\"ac-title\" name=\"title\" maxlength=\"300\"></div></div>");
    P("<p class=\"hint\">%h</p><div class=\"cols\">",
      T("Fill in only the counts of the kind: sites and workers for an inspection, officials "
        "for a training, people for an awareness campaign."));
    for (int i = 0; activity_counts[i]; i++) {
        char id[40];
        snprintf(id, sizeof id, "ac-%s", activity_counts[i]);
        field_begin(r, id, label(r, activity_counts[i]), 0);
        P("<input type=\"number\" id=\"%a\" name=\"%a\" min=\"0\"></div>", id, activity_counts[i]);
    }
    P("</div><div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div>"
      "</form>",
      T("Save"));
}

static void activities_page(struct req *r, const char *msg, const struct form_errs *errs)
{
    char d[11];
    today(d);
    int year = 0;
    parse_date(d, &year, NULL, NULL);
    const char *ys = req_param(r, "year");
    if (ys)
        parse_int(ys, 1900, 2200, &year);
    const char *kind = req_param(r, "kind");
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    json_t *arr = NULL;
    if (store_activity_list(r->st, from, to, kind, &arr))
        arr = json_array();
    layout_begin(r, T("Activities"), "activities");
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Activities"),
      T("Inspections, trainings and awareness campaigns, month by month."));
    alert_box(r, msg, errs);
    P("<nav class=\"actions\" aria-label=\"%a\"><a href=\"/activities?year=%d\">← %d</a> "
      "<strong>%d</strong>",
      T("Year"), year - 1, year - 1, year);
    if (year < 2200)
        P(" <a href=\"/activities?year=%d\">%d →</a>", year + 1, year + 1);
    P("</nav>");
    int cur = 0;
    int64_t tot[4] = {0};
    json_t *a;
    static const char *const cols[] = {"sites", "workers_reached", "officials_trained",
                                       "people_reached"};
    /* newest month first: walk the list (oldest first) backwards */
    for (size_t k = json_array_size(arr); k-- > 0;) {
        a = json_array_get(arr, k);
        int y = 0, mo = 0;
        parse_date(s(a, "held_on"), &y, &mo, NULL);
        if (mo != cur) {
            if (cur)
                P("</tbody></table></div></section>");
            cur = mo;
            char ym[16];
            snprintf(ym, sizeof ym, "%04d-%02d", y % 10000, mo % 100);
            P("<section class=\"card wide month\" id=\"m-%a\"><h2>%h</h2>", ym, ym);
            P("<div class=\"table-wrap\"><table><thead><tr>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
              "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
              T("Date"), T("Kind"), T("Organisation"), T("Title"), T("Counts"));
        }
        P("<tr><td class=\"nowrap\">");
        put_date(r, s(a, "held_on"));
        P("</td><td>%h</td><td>%h</td><td>%h</td><td>", label(r, s(a, "kind")), s(a, "org"),
          s(a, "title"));
        int first = 1;
        for (int c = 0; c < 4; c++)
            if (activity_count_ok(s(a, "kind"), cols[c])) {
                P("%s%h: %D", first ? "" : "; ", label(r, cols[c]), n(a, cols[c]));
                tot[c] += n(a, cols[c]);
                first = 0;
            }
        P("</td></tr>");
    }
    if (cur)
        P("</tbody></table></div></section>");
    if (json_array_size(arr) == 0)
        P("<p class=\"empty\">%h</p>", T("No activities in this year."));
    else {
        P("<section class=\"card wide\"><h2>%h</h2><dl class=\"kv\" id=\"year-totals\">",
          T("The year in all"));
        for (int c = 0; c < 4; c++)
            P("<div><dt>%h</dt><dd>%D</dd></div>", label(r, cols[c]), tot[c]);
        P("</dl></section>");
    }
    json_decref(arr);
    if (may(r, ACT_ACTIVITY_WRITE))
        activity_form(r);
    layout_end(r);
}

int page_activities(struct req *r)
{
    activities_page(r, NULL, NULL);
    return VIGIL_OK;
}

int page_activity_create(struct req *r)
{
    struct form_errs errs;
    memset(&errs, 0, sizeof errs);
    json_t *b = form_record(r->body, activity_fields, "", 0, &errs);
    int rc = errs.n ? VIGIL_EINVAL : page_call(r, api_activity_create, b);
    json_decref(b);
    if (rc) {
        const char *msg = errs.n ? NULL : api_error(r);
        if (!errs.n && !msg)
            return rc;
        if (errs.n)
            r->status = 400;
        activities_page(r, msg, &errs);
        return VIGIL_OK;
    }
    int y = 0;
    parse_date(s(r->resp, "held_on"), &y, NULL, NULL);
    json_decref(r->resp);
    r->resp = NULL;
    char loc[64];
    snprintf(loc, sizeof loc, "/activities?year=%d", y % 10000);
    return page_redirect(r, loc);
}
