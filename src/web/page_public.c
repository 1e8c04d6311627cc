/*
 * The public side's pages under /public/, for everyone without a login:
 * the committee's statements (in the reader's language, the Chinese
 * original standing in for a missing translation), their Atom feed per
 * language, the anonymous tip form and its follow-up with the code, and on
 * every page the translation notice and the "Is there anything wrong with
 * this page?" form. Forms carry the pre-session CSRF token; what a visitor
 * typed is kept and shown back when it cannot be accepted. Tips and
 * feedback are stored by the same code as the JSON API (api_public.c).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "report/chart.h"
#include "report/stats.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/form.h"
#include "web/page.h"
#include "web/statements.h"

#define MESSAGE_MAX 2000
#define TIP_MAX     5000

/* ---- the layout ------------------------------------------------------- */

static void public_begin(struct req *r, const char *title)
{
    P("<!DOCTYPE html>\n<html lang=\"%a\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>%h · %h</title><link rel=\"stylesheet\" href=\"/static/vigil.css\">"
      "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
      "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"%a\" "
      "href=\"/public/statements.atom?lang=%u\">"
      "</head><body class=\"public\">",
      i18n_code(r->lang), title, T("Anti-trafficking committee"), T("Statements"),
      i18n_code(r->lang));
    P("<a class=\"skip\" href=\"#main\">%h</a>", T("Skip to content"));
    P("<header class=\"top\"><div class=\"bar\"><a class=\"brand\" href=\"/public/\">"
      "<span class=\"logo\" aria-hidden=\"true\">◆</span> %h"
      "<span class=\"sub\">%h</span></a>",
      T("Anti-trafficking committee"), T("Public information"));
    layout_langs(r);
    P("</div><div class=\"bar nav\"><nav aria-label=\"%a\"><ul>", T("Main"));
    P("<li><a href=\"/public/\">%h</a></li><li><a href=\"/public/tip\">%h</a></li>"
      "<li><a href=\"/public/tip/follow\">%h</a></li></ul></nav></div></header>",
      T("Statements"), T("Report a suspected case"), T("Follow up a report"));
    P("<main id=\"main\" tabindex=\"-1\">");
}

/* The feedback form; message and contact are what the visitor typed (kept
 * after an error), page the page it is about. */
static void feedback_form(struct req *r, const char *page, const char *message, const char *contact,
                          const char *error)
{
    char tok[44];
    presession_token(r, tok);
    P("<section class=\"card feedback\" aria-labelledby=\"fb-title\">"
      "<h2 id=\"fb-title\">%h</h2>",
      T("Is there anything wrong with this page?"));
    if (error)
        P("<div class=\"alert\" role=\"alert\" id=\"fb-error\">%h</div>", error);
    P("<form method=\"post\" action=\"/public/feedback\" class=\"stack\">"
      "<input type=\"hidden\" name=\"csrf\" value=\"%a\">"
      "<input type=\"hidden\" name=\"page\" value=\"%a\">"
      "<input type=\"hidden\" name=\"lang\" value=\"%a\">",
      tok, page, i18n_code(r->lang));
    P("<div class=\"field%s\"><label for=\"fb-message\">%h <span class=\"req\" "
      "aria-hidden=\"true\">*</span></label><p class=\"hint\" id=\"fb-hint\">%h</p>"
      "<textarea id=\"fb-message\" name=\"message\" rows=\"3\" aria-required=\"true\" "
      "aria-describedby=\"fb-hint%s\"%s>%h</textarea></div>",
      error ? " has-error" : "", T("What is wrong?"),
      T("Required. At most 2000 characters. Do not write personal information here."),
      error ? " fb-error" : "", error ? " aria-invalid=\"true\" autofocus" : "",
      message ? message : "");
    P("<div class=\"field\"><label for=\"fb-contact\">%h</label>"
      "<input type=\"text\" id=\"fb-contact\" name=\"contact\" class=\"short\" "
      "autocomplete=\"email\" value=\"%a\"></div>",
      T("Your e-mail or telephone (optional, if you want an answer)"), contact ? contact : "");
    P("<div class=\"hp\" aria-hidden=\"true\"><label for=\"fb-website\">%h</label>"
      "<input type=\"text\" id=\"fb-website\" name=\"website\" tabindex=\"-1\" "
      "autocomplete=\"off\"></div>",
      T("Leave this field empty"));
    P("<p class=\"hint\">%h</p><div class=\"actions\"><button type=\"submit\">%h</button></div>"
      "</form></section>",
      T("Fields marked * are required."), T("Send"));
}

static void public_end_with(struct req *r, const char *page, const char *message,
                            const char *contact, const char *error)
{
    feedback_form(r, page, message, contact, error);
    P("</main><footer class=\"public\"><p class=\"translation-notice\" id=\"translation-notice\">"
      "%h</p><p>%h · <a href=\"/public/statements.atom?lang=%u\">%h</a> · "
      "<a href=\"/login\">%h</a></p></footer></body></html>\n",
      T("The Chinese text is the original; the other versions are translations for reference "
        "only."),
      T("Anti-trafficking committee"), i18n_code(r->lang), T("Atom feed"), T("Staff login"));
}

static void public_end(struct req *r)
{
    public_end_with(r, r->path, NULL, NULL, NULL);
}

void public_error(struct req *r, const char *title, const char *msg)
{
    public_begin(r, title);
    P("<div class=\"error-page\"><p class=\"code\">%d</p><h1>%h</h1><p>%h</p>"
      "<p><a href=\"/public/\">%h</a></p></div>",
      r->status, title, msg, T("Go to the public home page"));
    public_end(r);
}

/* ---- helpers ---------------------------------------------------------- */

/* Text as paragraphs: blank lines separate them, single newlines are kept
 * by the stylesheet. */
static void paragraphs(struct req *r, const char *text)
{
    const char *p = text;
    while (*p) {
        while (*p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char chunk[4096];
        /* long paragraphs are written in pieces inside one <p> */
        P("<p>");
        for (size_t off = 0; off < n;) {
            size_t k = n - off < sizeof chunk - 1 ? n - off : sizeof chunk - 1;
            /* do not cut a UTF-8 sequence */
            while (k < n - off && k > 0 && ((unsigned char)p[off + k] & 0xc0) == 0x80)
                k--;
            if (k == 0) /* not UTF-8 after all: cut anywhere rather than stop */
                k = n - off < sizeof chunk - 1 ? n - off : sizeof chunk - 1;
            memcpy(chunk, p + off, k);
            chunk[k] = '\0';
            P("%h", chunk);
            off += k;
        }
        P("</p>");
        p += n;
    }
}

/* The first characters of a text (at most max code points), for a list. */
static void excerpt(const char *text, char *out, size_t n, size_t max)
{
    size_t k = 0, cps = 0;
    while (text[k] && k < n - 4 && cps < max) {
        k++;
        while (text[k] && ((unsigned char)text[k] & 0xc0) == 0x80 && k < n - 4)
            k++;
        cps++;
    }
    memcpy(out, text, k);
    if (text[k]) {
        memcpy(out + k, "…", 3);
        k += 3;
    }
    out[k] = '\0';
    for (char *c = out; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
}

/* Whether the form field name was not valid text (kept with U+FFFD). */
static int invalid_field(struct req *r, const char *name)
{
    json_t *inv = json_object_get(r->body, FORM_INVALID);
    size_t i;
    json_t *v;
    json_array_foreach(inv, i, v)
    {
        if (strcmp(json_string_value(v), name) == 0)
            return 1;
    }
    return 0;
}

/* The error for a free-text field, or NULL when it is good. */
static const char *text_error(struct req *r, const char *name, const char *value, int required,
                              size_t max, const char *missing)
{
    if (invalid_field(r, name))
        return T("The text contains characters that cannot be read (it is not valid UTF-8 "
                 "text). Check it and send it again.");
    const char *p = value;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    if (required && !*p)
        return missing;
    if (utf8_len(value) > max)
        return max == MESSAGE_MAX ? T("The text is too long: at most 2000 characters.")
               : max == TIP_MAX   ? T("The text is too long: at most 5000 "
                                        "characters.")
                                  : T("The text is too long.");
    return NULL;
}

/* Replace the gate's parsed form with a JSON body for the API's handlers. */
static void set_body(struct req *r, json_t *body)
{
    json_decref(r->body);
    r->body = body;
}

/* ---- statements -------------------------------------------------------- */

/* The day of a timestamp, the language's way (a statement's date). */
static void put_day(struct req *r, const char *iso)
{
    char day[11];
    snprintf(day, sizeof day, "%s", iso ? iso : "");
    put_date(r, day);
}

int page_public_home(struct req *r)
{
    json_t *arr = NULL;
    int rc = store_statement_list(r->st, "published", 20, &arr);
    if (rc)
        return rc;
    public_begin(r, T("Public information"));
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Against trafficking in persons"),
      T("Statements of the committee, how to report a suspected case, and what happens next."));
    P("<div class=\"grid\"><section class=\"card\"><h2>%h</h2><p>%h</p>"
      "<p><a class=\"button primary\" href=\"/public/tip\">%h</a></p>"
      "<p><a href=\"/public/tip/follow\">%h</a></p></section>",
      T("Report a suspected case"),
      T("You can report anonymously. You will get a follow-up code to see what happens and to "
        "add information."),
      T("Report a suspected case"), T("I already have a follow-up code"));
    P("<section class=\"card\"><h2>%h</h2><p>%h</p><p><a href=\"/public/stats\">%h</a></p>"
      "</section></div>",
      T("Statistics"),
      T("Yearly figures on the cases, the victims identified, prosecutions and convictions."),
      T("See the statistics"));
    P("<section class=\"card wide\" aria-labelledby=\"st-title\"><div class=\"head\">"
      "<h2 id=\"st-title\">%h</h2><a href=\"/public/statements.atom?lang=%u\">%h</a></div>",
      T("Latest statements"), i18n_code(r->lang), T("Atom feed"));
    if (json_array_size(arr) == 0)
        P("<p class=\"empty\">%h</p>", T("No statements have been published yet."));
    else
        P("<ul class=\"statements\">");
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        const char *title, *body;
        int own = statement_text(s, r->lang, &title, &body);
        char ex[700];
        excerpt(body, ex, sizeof ex, 160);
        P("<li><h3><a href=\"/public/statements/%D\"%s>%h</a></h3><p class=\"meta\">",
          (int64_t)json_integer_value(json_object_get(s, "id")), own ? "" : " lang=\"zh-Hant\"",
          title);
        put_day(r, json_string_value(json_object_get(s, "published_at")));
        if (!own)
            P(" · <span class=\"tag\">%h</span>", T("Chinese original"));
        P("</p><p%s>%h</p></li>", own ? "" : " lang=\"zh-Hant\"", ex);
    }
    if (json_array_size(arr))
        P("</ul>");
    P("</section>");
    json_decref(arr);
    public_end(r);
    return VIGIL_OK;
}

int page_public_statement(struct req *r)
{
    json_t *s = NULL;
    int rc = store_statement_get(r->st, r->id, &s);
    if (rc == VIGIL_OK && strcmp(json_string_value(json_object_get(s, "state")), "published")) {
        json_decref(s);
        rc = VIGIL_ENOTFOUND;
    }
    if (rc)
        return req_fail(r, rc, NULL, "no statement %" PRId64, r->id);
    const char *title, *body;
    int own = statement_text(s, r->lang, &title, &body);
    public_begin(r, title);
    P("<p class=\"crumbs\"><a href=\"/public/\">%h</a></p>", T("Statements"));
    P("<article class=\"card statement\"%s><h1>%h</h1><p class=\"meta\">%h ",
      own ? "" : " lang=\"zh-Hant\"", title, T("Published"));
    put_day(r, json_string_value(json_object_get(s, "published_at")));
    P("</p>");
    if (!own)
        P("<p class=\"untranslated\" lang=\"%a\" role=\"note\">%h</p>", i18n_code(r->lang),
          T("This statement has not been translated into your language yet. The Chinese "
            "original is shown."));
    P("<div class=\"body\">");
    paragraphs(r, body);
    P("</div></article>");
    json_decref(s);
    public_end(r);
    return VIGIL_OK;
}

int page_public_atom(struct req *r)
{
    json_t *arr = NULL;
    int rc = store_statement_list(r->st, "published", 50, &arr);
    if (rc)
        return rc;
    const char *code = i18n_code(r->lang);
    const char *updated = "1970-01-01T00:00:00Z";
    if (json_array_size(arr))
        updated = json_string_value(json_object_get(json_array_get(arr, 0), "published_at"));
    r->html_type = "application/atom+xml; charset=utf-8";
    P("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%a\">\n"
      "<title>%h · %h</title>\n<id>urn:vigil:statements:%h</id>\n<updated>%h</updated>\n"
      "<link rel=\"self\" type=\"application/atom+xml\" "
      "href=\"/public/statements.atom?lang=%u\"/>\n"
      "<link rel=\"alternate\" type=\"text/html\" href=\"/public/?lang=%u\"/>\n"
      "<author><name>%h</name></author>\n",
      code, T("Anti-trafficking committee"), T("Statements"), code, updated, code, code,
      T("Anti-trafficking committee"));
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        const char *title, *body;
        int own = statement_text(s, r->lang, &title, &body);
        int64_t id = json_integer_value(json_object_get(s, "id"));
        const char *pub = json_string_value(json_object_get(s, "published_at"));
        P("<entry%s>\n<title>%h</title>\n<id>urn:vigil:statement:%D</id>\n"
          "<published>%h</published>\n<updated>%h</updated>\n"
          "<link rel=\"alternate\" type=\"text/html\" href=\"/public/statements/%D?lang=%u\"/>\n"
          "<content type=\"text\">%h</content>\n</entry>\n",
          own ? "" : " xml:lang=\"zh-Hant\"", title, id, pub, pub, id, code, body);
    }
    P("</feed>\n");
    json_decref(arr);
    return VIGIL_OK;
}

/* ---- page feedback ------------------------------------------------------ */

int page_public_feedback(struct req *r)
{
    const char *page = form_str(r->body, "page");
    if (page[0] != '/' || page[1] == '/' || strlen(page) > 500 || invalid_field(r, "page"))
        page = "/public/";
    const char *message = form_str(r->body, "message");
    const char *contact = form_str(r->body, "contact");
    const char *err = text_error(r, "message", message, 1, MESSAGE_MAX,
                                 T("Write what is wrong with the page: this field is required."));
    if (!err && invalid_field(r, "contact"))
        err = T("The contact contains characters that cannot be read. Check it and send it "
                "again.");
    if (!err && utf8_len(contact) > 300)
        err = T("The contact is too long: at most 300 characters.");
    if (err) {
        r->status = 400;
        public_begin(r, T("Is there anything wrong with this page?"));
        P("<h1>%h</h1><p class=\"lead\">%h</p><p><a href=\"%U\">%h</a></p>",
          T("Your message was not sent"),
          T("Correct the form below and send it again. What you typed is kept."), page,
          T("Back to the page"));
        public_end_with(r, page, message, contact, err);
        return VIGIL_OK;
    }
    char keep_page[512];
    snprintf(keep_page, sizeof keep_page, "%s", page);
    json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "page", page, "message", message, "lang",
                          i18n_code(r->lang), "website", form_str(r->body, "website"));
    if (*contact)
        json_object_set_new(b, "contact", json_string(contact));
    set_body(r, b);
    int rc = api_feedback_create(r);
    json_decref(r->resp);
    r->resp = NULL;
    if (rc)
        return rc;
    r->status = 200;
    public_begin(r, T("Thank you"));
    P("<div class=\"notice\" role=\"status\" id=\"feedback-sent\"><h1>%h</h1><p>%h</p></div>"
      "<p><a href=\"%U\">%h</a></p>",
      T("Thank you"), T("Your message has been received. It helps us improve these pages."),
      keep_page, T("Back to the page"));
    public_end(r);
    return VIGIL_OK;
}

/* ---- tips --------------------------------------------------------------- */

struct tip_form {
    const char *what, *where, *when, *contact;
    const char *err_what, *err_other;
};

static void tip_form(struct req *r, const struct tip_form *f)
{
    char tok[44];
    presession_token(r, tok);
    public_begin(r, T("Report a suspected case"));
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Report a suspected case"),
      T("You do not have to give your name. If someone is in immediate danger, call 999 or "
        "110 now."));
    if (f->err_what || f->err_other)
        P("<div class=\"alert\" role=\"alert\" id=\"tip-error\"><h2>%h</h2><p>%h</p></div>",
          T("Your report was not sent"), f->err_what ? f->err_what : f->err_other);
    P("<form method=\"post\" action=\"/public/tip\" class=\"stack card\" id=\"tip-form\">"
      "<input type=\"hidden\" name=\"csrf\" value=\"%a\">",
      tok);
    P("<div class=\"field%s\"><label for=\"tip-what\">%h <span class=\"req\" "
      "aria-hidden=\"true\">*</span></label><p class=\"hint\" id=\"tip-what-hint\">%h</p>"
      "<textarea id=\"tip-what\" name=\"what\" rows=\"6\" aria-required=\"true\" "
      "aria-describedby=\"tip-what-hint\"%s>%h</textarea></div>",
      f->err_what ? " has-error" : "", T("What happened?"),
      T("Required. Who is involved, what you saw or heard. At most 5000 characters."),
      f->err_what ? " aria-invalid=\"true\"" : "", f->what ? f->what : "");
    P("<div class=\"cols\"><div class=\"field\"><label for=\"tip-where\">%h</label>"
      "<input type=\"text\" id=\"tip-where\" name=\"where\" value=\"%a\"></div>"
      "<div class=\"field\"><label for=\"tip-when\">%h</label>"
      "<input type=\"text\" id=\"tip-when\" name=\"when\" value=\"%a\"></div></div>",
      T("Where?"), f->where ? f->where : "", T("When?"), f->when ? f->when : "");
    P("<div class=\"field\"><label for=\"tip-contact\">%h</label><p class=\"hint\">%h</p>"
      "<input type=\"text\" id=\"tip-contact\" name=\"contact\" class=\"short\" value=\"%a\">"
      "</div>",
      T("How can we contact you? (optional)"),
      T("Leave it empty to stay anonymous. It is stored encrypted."), f->contact ? f->contact : "");
    P("<div class=\"hp\" aria-hidden=\"true\"><label for=\"tip-website\">%h</label>"
      "<input type=\"text\" id=\"tip-website\" name=\"website\" tabindex=\"-1\" "
      "autocomplete=\"off\"></div>",
      T("Leave this field empty"));
    P("<p class=\"hint\">%h</p><div class=\"actions\"><button type=\"submit\" "
      "class=\"primary\">%h</button></div></form>",
      T("Fields marked * are required."), T("Send the report"));
    public_end(r);
}

int page_public_tip(struct req *r)
{
    struct tip_form f = {0};
    tip_form(r, &f);
    return VIGIL_OK;
}

int page_public_tip_post(struct req *r)
{
    struct tip_form f = {form_str(r->body, "what"),
                         form_str(r->body, "where"),
                         form_str(r->body, "when"),
                         form_str(r->body, "contact"),
                         NULL,
                         NULL};
    f.err_what = text_error(r, "what", f.what, 1, TIP_MAX,
                            T("Describe what happened: this field is required."));
    static const struct {
        const char *name;
        size_t max;
    } other[] = {{"where", 500}, {"when", 200}, {"contact", 300}};
    for (size_t i = 0; i < 3 && !f.err_what && !f.err_other; i++) {
        const char *v = form_str(r->body, other[i].name);
        if (invalid_field(r, other[i].name))
            f.err_other = T("The text contains characters that cannot be read (it is not valid "
                            "UTF-8 text). Check it and send it again.");
        else if (utf8_len(v) > other[i].max)
            f.err_other = T("One of the answers is too long. Shorten it and send the report "
                            "again.");
    }
    if (f.err_what || f.err_other) {
        r->status = 400;
        tip_form(r, &f);
        return VIGIL_OK;
    }
    json_t *b = json_pack("{s:s, s:s, s:s}", "what", f.what, "lang", i18n_code(r->lang), "website",
                          form_str(r->body, "website"));
    for (const char *k[] = {"where", "when", "contact", NULL}, **p = k; *p; p++)
        if (*form_str(r->body, *p))
            json_object_set_new(b, *p, json_string(form_str(r->body, *p)));
    set_body(r, b);
    int rc = api_tip_create(r);
    if (rc)
        return rc;
    char code[32];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(r->resp, "code")));
    json_decref(r->resp);
    r->resp = NULL;
    r->status = 200;
    public_begin(r, T("Thank you for your report"));
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Thank you for your report"),
      T("Your report has been received and will be reviewed by the competent agencies."));
    P("<section class=\"card code-card\" aria-labelledby=\"code-title\"><h2 id=\"code-title\">"
      "%h</h2><p class=\"code\" id=\"follow-code\">%h</p>"
      "<div class=\"alert warn\" role=\"alert\"><strong>%h</strong> %h</div>"
      "<p><a href=\"/public/tip/follow\">%h</a></p></section>",
      T("Your follow-up code"), code, T("Write this code down now."),
      T("It is shown only once and cannot be recovered. With it you can see what happens to "
        "your report and add information."),
      T("Follow up a report"));
    public_end(r);
    return VIGIL_OK;
}

static const char *tip_state_label(struct req *r, const char *state)
{
    if (strcmp(state, "new") == 0)
        return T("Received, not yet reviewed");
    if (strcmp(state, "reviewing") == 0)
        return T("Being reviewed");
    if (strcmp(state, "promoted") == 0)
        return T("Passed on to an agency for action");
    if (strcmp(state, "closed") == 0)
        return T("Closed");
    return state;
}

static void follow_form(struct req *r, const char *code, const char *error)
{
    char tok[44];
    presession_token(r, tok);
    if (error)
        P("<div class=\"alert\" role=\"alert\" id=\"follow-error\">%h</div>", error);
    P("<form method=\"post\" action=\"/public/tip/follow\" class=\"stack card\">"
      "<input type=\"hidden\" name=\"csrf\" value=\"%a\">"
      "<div class=\"field\"><label for=\"follow-code-input\">%h</label>"
      "<input type=\"text\" id=\"follow-code-input\" name=\"code\" class=\"short\" "
      "autocomplete=\"off\" spellcheck=\"false\" placeholder=\"XXXXX-XXXXX-XXXXX-XXXXX\" "
      "value=\"%a\"></div><div class=\"actions\"><button type=\"submit\" class=\"primary\">%h"
      "</button></div></form>",
      tok, T("Follow-up code"), code ? code : "", T("Show the state"));
}

int page_public_follow(struct req *r)
{
    public_begin(r, T("Follow up a report"));
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Follow up a report"),
      T("Enter the follow-up code you were given to see the state of your report and to add "
        "information."));
    follow_form(r, NULL, NULL);
    public_end(r);
    return VIGIL_OK;
}

int page_public_follow_post(struct req *r)
{
    const char *code = form_str(r->body, "code");
    const char *what = form_str(r->body, "what");
    int adding = json_object_get(r->body, "what") != NULL;
    const char *add_err = NULL;
    int added = 0;
    if (strlen(code) >= sizeof r->code || invalid_field(r, "code"))
        code = "";
    snprintf(r->code, sizeof r->code, "%s", code);
    char keep_code[65];
    snprintf(keep_code, sizeof keep_code, "%s", code);
    if (adding)
        add_err = text_error(r, "what", what, 1, TIP_MAX,
                             T("Write the information you want to add: this field is required."));
    /* shown back after an error; the form is still r->body then */
    const char *keep_what = add_err ? what : "";
    int rc;
    if (adding && !add_err) {
        set_body(r, json_pack("{s:s, s:s}", "what", what, "website", form_str(r->body, "website")));
        rc = api_tip_add(r);
        added = rc == VIGIL_OK;
    } else {
        rc = api_tip_status(r);
    }
    if (rc && rc != VIGIL_ENOTFOUND)
        return rc;
    if (rc == VIGIL_ENOTFOUND) {
        r->status = 404;
        public_begin(r, T("Follow up a report"));
        P("<h1>%h</h1>", T("Follow up a report"));
        follow_form(r, keep_code,
                    T("No report has this follow-up code. Check the code and try again."));
        public_end(r);
        return VIGIL_OK;
    }
    json_t *t = r->resp;
    r->resp = NULL;
    r->status = add_err ? 400 : 200;
    public_begin(r, T("Follow up a report"));
    P("<h1>%h</h1>", T("Your report"));
    if (added)
        P("<div class=\"notice\" role=\"status\" id=\"tip-added\">%h</div>",
          T("Thank you: your information has been added to the report."));
    P("<section class=\"card\"><dl class=\"kv\"><div><dt>%h</dt><dd id=\"tip-state\">"
      "<span class=\"tag\">%h</span></dd></div><div><dt>%h</dt><dd>",
      T("State"), tip_state_label(r, json_string_value(json_object_get(t, "state"))),
      T("Received"));
    put_date(r, json_string_value(json_object_get(t, "submitted_at")));
    P("</dd></div><div><dt>%h</dt><dd>", T("Last change"));
    put_date(r, json_string_value(json_object_get(t, "updated_at")));
    P("</dd></div><div><dt>%h</dt><dd id=\"tip-additions\">%D</dd></div></dl></section>",
      T("Information added"), (int64_t)json_integer_value(json_object_get(t, "additions")));
    json_decref(t);
    char tok[44];
    presession_token(r, tok);
    P("<section class=\"card\" aria-labelledby=\"add-title\"><h2 id=\"add-title\">%h</h2>",
      T("Add information"));
    if (add_err)
        P("<div class=\"alert\" role=\"alert\" id=\"add-error\">%h</div>", add_err);
    P("<form method=\"post\" action=\"/public/tip/follow\" class=\"stack\">"
      "<input type=\"hidden\" name=\"csrf\" value=\"%a\">"
      "<input type=\"hidden\" name=\"code\" value=\"%a\">"
      "<div class=\"field%s\"><label for=\"add-what\">%h <span class=\"req\" "
      "aria-hidden=\"true\">*</span></label>"
      "<textarea id=\"add-what\" name=\"what\" rows=\"4\" aria-required=\"true\"%s>%h</textarea>"
      "</div><div class=\"hp\" aria-hidden=\"true\"><label for=\"add-website\">%h</label>"
      "<input type=\"text\" id=\"add-website\" name=\"website\" tabindex=\"-1\" "
      "autocomplete=\"off\"></div><div class=\"actions\"><button type=\"submit\" "
      "class=\"primary\">%h</button></div></form></section>",
      tok, keep_code, add_err ? " has-error" : "", T("What do you want to add?"),
      add_err ? " aria-invalid=\"true\"" : "", keep_what, T("Leave this field empty"),
      T("Add to the report"));
    public_end(r);
    return VIGIL_OK;
}

/* ---- the public statistics ------------------------------------------------- */

/* The figures of the public page are the committee's statistics of the
 * last ten calendar years (this year so far), small counts suppressed. The
 * page needs no login, so one computation serves every visitor for a few
 * minutes (the cache is per process and holds no personal data). */
#define PUBLIC_STATS_TTL 300

static pthread_mutex_t pub_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *pub_stats;
static int64_t pub_at;
static int pub_k;

static json_t *public_stats(struct req *r)
{
    int64_t now = time_now();
    json_t *s = NULL;
    /* The lock is held while the figures are computed, so that visitors who
     * arrive meanwhile wait for that one computation instead of each
     * starting their own. */
    pthread_mutex_lock(&pub_lock);
    if (pub_stats && now - pub_at < PUBLIC_STATS_TTL && pub_k == r->cfg->stats_k) {
        s = json_incref(pub_stats);
    } else {
        char to[11], from[11];
        time_date(now, to);
        snprintf(from, sizeof from, "%.4s-01-01", to);
        struct stats_query q = {.from = from, .to = to, .k = r->cfg->stats_k, .trend_years = 10};
        if (stats_compute(r->st, &q, &s) == VIGIL_OK) {
            json_decref(pub_stats);
            pub_stats = json_incref(s);
            pub_at = now;
            pub_k = r->cfg->stats_k;
        } else {
            s = NULL;
        }
    }
    pthread_mutex_unlock(&pub_lock);
    return s;
}

static json_t *trend_of(json_t *stats, const char *id)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(stats, "trends"), i,
                       t) if (strcmp(json_string_value(json_object_get(t, "id")), id) ==
                              0) return t;
    return NULL;
}

static json_t *series_of(json_t *trend, const char *key)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(trend, "series"), i,
                       s) if (strcmp(json_string_value(json_object_get(s, "key")), key) ==
                              0) return json_object_get(s, "values");
    return NULL;
}

int page_public_stats(struct req *r)
{
    json_t *s = public_stats(r);
    if (!s)
        return req_fail(r, VIGIL_EIO, NULL, "the statistics cannot be computed now");
    int k = (int)json_integer_value(json_object_get(s, "k"));
    json_t *cases = trend_of(s, "cases_yearly"), *victims = trend_of(s, "victims_yearly"),
           *legal = trend_of(s, "legal_yearly");
    json_t *periods = json_object_get(cases, "periods");
    size_t np = json_array_size(periods);
    /* the four yearly figures: cases and victims are the trends' totals */
    const json_t *rows[4] = {json_object_get(cases, "total"), json_object_get(victims, "total"),
                             series_of(legal, "prosecutions"), series_of(legal, "convictions")};
    const char *labels[4] = {T("Cases"), T("Victims identified"), T("Prosecutions"),
                             T("Convictions")};
    public_begin(r, T("Statistics"));
    P("<h1>%h</h1><p class=\"lead\">%h</p>", T("Statistics"),
      T("Each year's cases registered, victims identified, and cases prosecuted and convicted, "
        "from the records of the agencies the committee coordinates. This year's figures are "
        "for the year so far."));
    /* the charts, drawn by vigil (no JavaScript) */
    if (np > 0 && np <= 10) {
        const char *pl[10];
        double v[4][10];
        for (size_t i = 0; i < np; i++) {
            pl[i] = json_string_value(json_array_get(periods, i));
            for (int f = 0; f < 4; f++) {
                json_t *x = json_array_get(rows[f], i);
                v[f][i] = json_is_integer(x) ? (double)json_integer_value(x) : CHART_GAP;
            }
        }
        struct chart_series people[2] = {{labels[0], v[0]}, {labels[1], v[1]}};
        struct chart_series courts[2] = {{labels[2], v[2]}, {labels[3], v[3]}};
        struct chart c1 = {.kind = CHART_LINE,
                           .id = "pub1",
                           .title = T("Cases and victims identified"),
                           .gap_note = T("Gaps mark counts too small to publish."),
                           .periods = pl,
                           .n_periods = np,
                           .series = people,
                           .n_series = 2};
        struct chart c2 = c1;
        c2.id = "pub2";
        c2.title = T("Prosecutions and convictions");
        c2.series = courts;
        const struct chart *cs[2] = {&c1, &c2};
        P("<div class=\"grid\">");
        for (int i = 0; i < 2; i++) {
            struct buf svg;
            buf_init(&svg, 1 << 20);
            if (chart_svg(&svg, cs[i]) == VIGIL_OK)
                P("<figure class=\"card chart\">%s</figure>", buf_cstr(&svg)); /* escaped */
            buf_free(&svg);
        }
        P("</div>");
    }
    P("<section class=\"card wide\"><div class=\"table-wrap\"><table class=\"stats\"><caption>"
      "%h</caption><thead><tr><th scope=\"col\">%h</th>",
      T("Yearly figures"), T("Year"));
    for (int f = 0; f < 4; f++)
        P("<th scope=\"col\" class=\"n\">%h</th>", labels[f]);
    P("</tr></thead><tbody>");
    for (size_t i = np; i-- > 0;) {
        P("<tr><th scope=\"row\">%h</th>", json_string_value(json_array_get(periods, i)));
        for (int f = 0; f < 4; f++) {
            json_t *x = json_array_get(rows[f], i);
            if (json_is_integer(x))
                P("<td class=\"n\">%D</td>", (int64_t)json_integer_value(x));
            else
                P("<td class=\"n suppressed\">&lt;%d</td>", k);
        }
        P("</tr>");
    }
    P("</tbody></table></div><p class=\"legend\"><span class=\"n suppressed\">&lt;%d</span> "
      "%h</p></section>",
      k,
      T("Fewer than this many: small counts are not published, to protect the people behind "
        "them."));
    json_decref(s);
    public_end(r);
    return VIGIL_OK;
}
