/* The caller's own account (any logged-in user): change the password and
 * see or end the other sessions. The work is api_session.c's
 * (session_password_change, session_list, session_end_others); these pages
 * are its forms. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "util/err.h"
#include "web/form.h"
#include "web/page.h"

struct account_errs {
    const char *current, *newpw;
};

static void field(struct req *r, const char *id, const char *name, const char *label,
                  const char *hint, const char *autocomplete, const char *err)
{
    P("<div class=\"field%s\"><label for=\"%a\">%h</label>", err ? " has-error" : "", id, label);
    if (hint)
        P("<p class=\"hint\" id=\"%a-hint\">%h</p>", id, hint);
    P("<input id=\"%a\" name=\"%a\" type=\"password\" required autocomplete=\"%a\"", id, name,
      autocomplete);
    if (err)
        P(" aria-invalid=\"true\" aria-describedby=\"%a-err\"", id);
    else if (hint)
        P(" aria-describedby=\"%a-hint\"", id);
    P(">");
    if (err)
        P("<p class=\"err\" id=\"%a-err\">%h</p>", id, err);
    P("</div>");
}

static void account_page(struct req *r, const struct account_errs *e, const char *notice)
{
    layout_begin(r, T("My account"), "account");
    P("<h1>%h</h1>", T("My account"));
    if (notice)
        P("<div class=\"notice\" role=\"status\">%h</div>", notice);

    P("<section class=\"card wide\" aria-labelledby=\"h-pw\"><h2 id=\"h-pw\">%h</h2>"
      "<form method=\"post\" action=\"/account/password\" class=\"stack\" novalidate>",
      T("Change your password"));
    layout_csrf(r);
    char hint[160];
    snprintf(hint, sizeof hint, T("At least %d characters."), PASSWORD_MIN_LEN);
    field(r, "a-current", "current", T("Current password"), NULL, "current-password",
          e ? e->current : NULL);
    field(r, "a-new", "new", T("New password"), hint, "new-password", e ? e->newpw : NULL);
    P("<p class=\"hint\">%h</p><div class=\"actions\"><button type=\"submit\" "
      "class=\"primary\">%h</button></div></form></section>",
      T("Your other sessions end when the password changes."), T("Change password"));

    json_t *list = NULL;
    size_t others = 0;
    P("<section class=\"card wide\" aria-labelledby=\"h-sess\"><h2 id=\"h-sess\">%h</h2>",
      T("Your sessions"));
    int status = r->status;
    int listed = session_list(r, &list) == VIGIL_OK;
    r->status = status; /* a failed list shows no table, not an error page */
    if (listed) {
        P("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%h</th>"
          "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
          "</tr></thead><tbody>",
          T("Started"), T("Last seen"), T("Expires"), T("This session"));
        size_t i;
        json_t *x;
        json_array_foreach(list, i, x)
        {
            int cur = json_is_true(json_object_get(x, "current"));
            others += !cur;
            P("<tr><td>");
            put_date(r, json_string_value(json_object_get(x, "created_at")));
            P("</td><td>");
            put_date(r, json_string_value(json_object_get(x, "last_seen")));
            P("</td><td>");
            put_date(r, json_string_value(json_object_get(x, "expires_at")));
            P("</td><td>%h</td></tr>", cur ? T("This session") : "");
        }
        P("</tbody></table></div>");
        json_decref(list);
    }
    if (others) {
        P("<form method=\"post\" action=\"/account/end-others\" class=\"inline\">");
        layout_csrf(r);
        P("<button type=\"submit\" class=\"danger\">%h</button></form>",
          T("End all other sessions"));
    } else {
        P("<p>%h</p>", T("You have no other sessions."));
    }
    P("</section>");
    layout_end(r);
}

int page_account(struct req *r)
{
    account_page(r, NULL, NULL);
    return VIGIL_OK;
}

int page_account_password(struct req *r)
{
    const char *current = form_str(r->body, "current");
    const char *newpw = form_str(r->body, "new");
    int64_t ended = 0;
    int rc = *newpw ? session_password_change(r, current, newpw, &ended)
                    : req_fail(r, VIGIL_EINVAL, "new", "field 'new' is required");
    if (rc == VIGIL_OK) {
        account_page(r, NULL, T("Your password has been changed."));
        return VIGIL_OK;
    }
    /* An error about a field is shown on the form; others (429, 5xx) get
     * the error page. */
    struct account_errs e = {0};
    if (strcmp(r->err_field, "current") == 0)
        e.current = *current ? T("The current password is wrong.") : T("This field is required.");
    else if (strcmp(r->err_field, "new") == 0)
        e.newpw = !*newpw ? T("This field is required.")
                  : password_check(newpw) == PASSWORD_OK
                      ? T("Choose a password you do not use now.")
                  : password_check(newpw) == PASSWORD_TOO_SHORT
                      ? T("The password is too short.")
                      : T("The password is too long or not valid text.");
    else
        return rc;
    int status = r->status;
    account_page(r, &e, NULL);
    r->status = status;
    return VIGIL_OK;
}

int page_account_end_others(struct req *r)
{
    int64_t ended = 0;
    int rc = session_end_others(r, &ended);
    if (rc)
        return rc;
    return page_redirect(r, "/account");
}
