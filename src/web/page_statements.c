/*
 * The secretariat's pages for public statements (list, new, edit at a
 * version, publish) and for the page-feedback queue. Writes go through the
 * statements API's handlers (api_statements.c), so a page and the API audit
 * and check versions the same way; forms are validated with the same field
 * table to show translated errors beside each field.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/policy.h"
#include "util/err.h"
#include "web/form.h"
#include "web/page.h"
#include "web/statements.h"

static const struct {
    const char *name, *label;
    int lang;
    int body;
} st_inputs[] = {
    {"title_zh", N_("Title in Chinese (the original)"), LANG_ZH, 0},
    {"body_zh", N_("Text in Chinese (the original)"), LANG_ZH, 1},
    {"title_pt", N_("Title in Portuguese"), LANG_PT, 0},
    {"body_pt", N_("Text in Portuguese"), LANG_PT, 1},
    {"title_en", N_("Title in English"), LANG_EN, 0},
    {"body_en", N_("Text in English"), LANG_EN, 1},
};
#define NINPUTS (sizeof st_inputs / sizeof st_inputs[0])

static void state_tag(struct req *r, const char *state)
{
    int pub = strcmp(state, "published") == 0;
    P("<span class=\"tag %s\">%h</span>", pub ? "tag-Active" : "tag-FollowUp",
      pub ? T("Published") : T("Draft"));
}

int page_statements(struct req *r)
{
    json_t *arr = NULL;
    int rc = store_statement_list(r->st, NULL, 500, &arr);
    if (rc)
        return rc;
    layout_begin(r, T("Statements"), "statements");
    P("<div class=\"head\"><h1>%h</h1><a class=\"button primary\" href=\"/statements/new\">%h"
      "</a></div>",
      T("Statements"), T("New statement"));
    P("<section class=\"card wide\"><div class=\"table-wrap\"><table><thead><tr>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th></tr></thead><tbody>",
      T("Title"), T("State"), T("Translations"), T("Date"));
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        const char *st = json_string_value(json_object_get(s, "state"));
        P("<tr><th scope=\"row\"><a href=\"/statements/%D\" lang=\"zh-Hant\">%h</a></th><td>",
          (int64_t)json_integer_value(json_object_get(s, "id")),
          json_string_value(json_object_get(s, "title_zh")));
        state_tag(r, st);
        P("</td><td>");
        for (int l = LANG_PT; l <= LANG_EN; l++) {
            const char *t, *b;
            int has = statement_text(s, l, &t, &b);
            P("<span class=\"tag%s\">%h %s</span> ", has ? " tag-Active" : "", i18n_code(l),
              has ? "✓" : "—");
        }
        P("</td><td>");
        json_t *d = json_object_get(s, "published_at");
        put_date(r, json_is_string(d) ? json_string_value(d)
                                      : json_string_value(json_object_get(s, "updated_at")));
        P("</td></tr>");
    }
    P("</tbody></table></div>");
    if (json_array_size(arr) == 0)
        P("<p class=\"empty\">%h</p>", T("No statements yet."));
    P("</section>");
    json_decref(arr);
    layout_end(r);
    return VIGIL_OK;
}

/* The form for a new statement (s NULL) or for editing s; form holds what
 * was typed after an error, errs the errors. */
static void statement_form(struct req *r, json_t *s, json_t *form, const struct form_errs *errs,
                           const char *alert)
{
    int64_t id = s ? json_integer_value(json_object_get(s, "id")) : 0;
    const char *title = s ? T("Edit statement") : T("New statement");
    layout_begin(r, title, "statements");
    P("<p class=\"crumbs\"><a href=\"/statements\">%h</a></p><div class=\"head start\"><h1>%h</h1>",
      T("Statements"), title);
    if (s)
        state_tag(r, json_string_value(json_object_get(s, "state")));
    P("</div>");
    if (alert)
        P("<div class=\"alert\" role=\"alert\">%h</div>", alert);
    if (s)
        P("<form method=\"post\" action=\"/statements/%D\" class=\"stack\" novalidate>", id);
    else
        P("<form method=\"post\" action=\"/statements/new\" class=\"stack\" novalidate>");
    layout_csrf(r);
    if (s)
        P("<input type=\"hidden\" name=\"version\" value=\"%D\">",
          (int64_t)json_integer_value(json_object_get(s, "version")));
    for (int l = 0; l < LANG_COUNT; l++) {
        P("<fieldset class=\"group\" lang=\"%a\"><legend>%h</legend>", i18n_code(l), i18n_name(l));
        if (l != LANG_ZH)
            P("<p class=\"hint\">%h</p>",
              T("Optional. Until it is written, readers see the Chinese original."));
        for (size_t i = 0; i < NINPUTS; i++) {
            if (st_inputs[i].lang != l)
                continue;
            const char *name = st_inputs[i].name;
            const char *v = form ? form_str(form, name)
                            : s  ? json_string_value(json_object_get(s, name))
                                 : "";
            const char *err = errs ? form_err(errs, name) : NULL;
            char errtext[256] = "";
            for (size_t k = 0; err && k < errs->n; k++)
                if (strcmp(errs->e[k].field, name) == 0)
                    snprintf(errtext, sizeof errtext, T(err), errs->e[k].a, errs->e[k].b);
            P("<div class=\"field%s\"><label for=\"f-%a\">%h%s</label>", err ? " has-error" : "",
              name, T(st_inputs[i].label),
              l == LANG_ZH ? " <span class=\"req\" aria-hidden=\"true\">*</span>" : "");
            if (err)
                P("<p class=\"err\" id=\"f-%a-err\">%h</p>", name, errtext);
            if (st_inputs[i].body)
                P("<textarea id=\"f-%a\" name=\"%a\" rows=\"8\"%s>%h</textarea></div>", name, name,
                  err ? " aria-invalid=\"true\"" : "", v ? v : "");
            else
                P("<input type=\"text\" id=\"f-%a\" name=\"%a\" value=\"%a\"%s></div>", name, name,
                  v ? v : "", err ? " aria-invalid=\"true\"" : "");
        }
        P("</fieldset>");
    }
    P("<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button>"
      "<a href=\"/statements\">%h</a></div></form>",
      s ? T("Save") : T("Save as draft"), T("Cancel"));
    if (s && strcmp(json_string_value(json_object_get(s, "state")), "draft") == 0) {
        P("<form method=\"post\" action=\"/statements/%D/publish\" class=\"card wide\">", id);
        layout_csrf(r);
        P("<h2>%h</h2><p>%h</p><button type=\"submit\" class=\"primary\" id=\"publish\">%h"
          "</button></form>",
          T("Publish"),
          T("Publishing puts the statement on the public pages and in the feed, in every "
            "language. It cannot be undone."),
          T("Publish now"));
    } else if (s) {
        P("<p><a href=\"/public/statements/%D\">%h</a></p>", id, T("See it on the public pages"));
    }
    layout_end(r);
}

int page_statement_new(struct req *r)
{
    statement_form(r, NULL, NULL, NULL, NULL);
    return VIGIL_OK;
}

/* A JSON string of s with the CR LF line ends browsers send turned into LF. */
static json_t *lf_string(const char *s)
{
    size_t n = strlen(s), k = 0;
    char *t = malloc(n + 1);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '\r' && s[i + 1] == '\n'))
            t[k++] = s[i];
    json_t *j = json_stringn(t, k);
    free(t);
    return j;
}

/* Validate the form; on success a JSON body with all six texts. */
static json_t *statement_body(struct req *r, struct form_errs *errs)
{
    memset(errs, 0, sizeof *errs);
    json_t *rec = form_record(r->body, statement_fields, "", 0, errs);
    json_decref(rec);
    for (const char *k[] = {"title_zh", "body_zh", NULL}, **p = k; *p; p++)
        if (!*form_str(r->body, *p) && !form_err(errs, *p) &&
            errs->n < sizeof errs->e / sizeof errs->e[0]) {
            errs->e[errs->n].field = *p;
            errs->e[errs->n].msgid = N_("This field is required.");
            errs->n++;
        }
    if (errs->n)
        return NULL;
    json_t *b = json_object();
    for (size_t i = 0; i < NINPUTS; i++)
        json_object_set_new(b, st_inputs[i].name, lf_string(form_str(r->body, st_inputs[i].name)));
    return b;
}

int page_statement_create(struct req *r)
{
    struct form_errs errs;
    json_t *b = statement_body(r, &errs);
    if (!b) {
        r->status = 400;
        statement_form(r, NULL, r->body, &errs, T("Check the fields marked below."));
        return VIGIL_OK;
    }
    int rc = page_call(r, api_statement_create, b);
    json_decref(b);
    if (rc)
        return rc;
    char loc[64];
    snprintf(loc, sizeof loc, "/statements/%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(r->resp, "id")));
    json_decref(r->resp);
    r->resp = NULL;
    r->location[0] = '\0';
    return page_redirect(r, loc);
}

int page_statement_edit(struct req *r)
{
    json_t *s;
    int rc = store_statement_get(r->st, r->id, &s);
    if (rc)
        return req_fail(r, rc, NULL, "no statement %" PRId64, r->id);
    statement_form(r, s, NULL, NULL, NULL);
    json_decref(s);
    return VIGIL_OK;
}

int page_statement_save(struct req *r)
{
    json_t *s;
    int rc = store_statement_get(r->st, r->id, &s);
    if (rc)
        return req_fail(r, rc, NULL, "no statement %" PRId64, r->id);
    struct form_errs errs;
    json_t *b = statement_body(r, &errs);
    if (!b) {
        r->status = 400;
        statement_form(r, s, r->body, &errs, T("Check the fields marked below."));
        json_decref(s);
        return VIGIL_OK;
    }
    char im[40];
    snprintf(im, sizeof im, "\"%s\"", form_str(r->body, "version"));
    r->if_match = im;
    rc = page_call(r, api_statement_update, b);
    json_decref(b);
    json_decref(r->resp);
    r->resp = NULL;
    if (rc == VIGIL_ECONFLICT) {
        /* someone saved first: the saved version, with this user's text kept */
        json_t *cur = NULL;
        store_statement_get(r->st, r->id, &cur);
        r->status = 409;
        statement_form(r, cur ? cur : s, r->body, NULL,
                       T("Someone else changed this statement while you were editing it. Your "
                         "text is below; check it against the saved version and save again."));
        json_decref(cur);
        json_decref(s);
        return VIGIL_OK;
    }
    json_decref(s);
    if (rc)
        return rc;
    char loc[64];
    snprintf(loc, sizeof loc, "/statements/%" PRId64, r->id);
    return page_redirect(r, loc);
}

int page_statement_publish(struct req *r)
{
    int rc = api_statement_publish(r);
    json_decref(r->resp);
    r->resp = NULL;
    if (rc)
        return rc;
    char loc[64];
    snprintf(loc, sizeof loc, "/statements/%" PRId64, r->id);
    return page_redirect(r, loc);
}

int page_feedback_queue(struct req *r)
{
    json_t *arr = NULL;
    const char *sel = req_param(r, "state");
    int rc = store_feedback_list(r->st, sel, 500, &arr);
    if (rc)
        return rc;
    int review = policy_allows(r->sess.user.role, ACT_FEEDBACK_REVIEW);
    layout_begin(r, T("Page feedback"), "feedback");
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Page feedback"),
      T("What visitors of the public pages said was wrong, newest first."));
    P("<nav class=\"filters\" aria-label=\"%a\"><a href=\"/feedback\"%s>%h</a> · <a "
      "href=\"/feedback?state=new\"%s>%h</a> · <a href=\"/feedback?state=reviewed\"%s>%h</a></nav>",
      T("State"), sel ? "" : " aria-current=\"page\"", T("All"),
      sel && strcmp(sel, "new") == 0 ? " aria-current=\"page\"" : "", T("To review"),
      sel && strcmp(sel, "reviewed") == 0 ? " aria-current=\"page\"" : "", T("Reviewed"));
    P("<section class=\"card wide\"><div class=\"table-wrap\"><table><thead><tr>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "</tr></thead><tbody>",
      T("Received"), T("Page"), T("Message"), T("Language"), T("Contact"), T("State"));
    size_t i;
    json_t *f;
    json_array_foreach(arr, i, f)
    {
        P("<tr><td class=\"nowrap\">");
        put_date(r, json_string_value(json_object_get(f, "created_at")));
        const char *lang = json_string_value(json_object_get(f, "lang"));
        const char *state = json_string_value(json_object_get(f, "state"));
        int fresh = state && strcmp(state, "new") == 0;
        P("</td><td><code>%h</code></td><td class=\"text\">%h</td><td>%h</td><td>%h</td><td>",
          json_string_value(json_object_get(f, "page")),
          json_string_value(json_object_get(f, "message")), lang ? lang : "—",
          json_is_true(json_object_get(f, "has_contact")) ? T("Given (encrypted)") : "—");
        if (fresh && review) {
            P("<form method=\"post\" action=\"/feedback/%D/review\">",
              (int64_t)json_integer_value(json_object_get(f, "id")));
            layout_csrf(r);
            P("<button type=\"submit\">%h</button></form>", T("Mark reviewed"));
        } else {
            P("%h", fresh ? T("To review") : T("Reviewed"));
        }
        P("</td></tr>");
    }
    P("</tbody></table></div>");
    if (json_array_size(arr) == 0)
        P("<p class=\"empty\">%h</p>", T("No feedback yet."));
    P("</section>");
    json_decref(arr);
    layout_end(r);
    return VIGIL_OK;
}

int page_feedback_review(struct req *r)
{
    int rc = api_feedback_review(r);
    json_decref(r->resp);
    r->resp = NULL;
    if (rc || r->status >= 400)
        return rc ? rc : VIGIL_EINVAL;
    r->status = 0;
    return page_redirect(r, "/feedback?state=new");
}
