/* User administration for admins: the list of accounts, adding one and
 * disabling one. The route table gives these pages to ACT_USER_ADMIN only. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "auth/policy.h"
#include "core/org.h"
#include "util/err.h"
#include "util/timeutil.h"
#include "web/form.h"
#include "web/page.h"

struct user_form_errs {
    const char *username, *role, *agency, *password;
};

static void err_p(struct req *r, const char *id, const char *msg)
{
    if (msg)
        P("<p class=\"err\" id=\"%a\">%h</p>", id, msg);
}

/* aria-describedby / aria-invalid for a control whose error id is id. */
static void err_attrs(struct req *r, const char *id, const char *msg)
{
    if (msg)
        P(" aria-describedby=\"%a\" aria-invalid=\"true\"", id);
}

static void users_page(struct req *r, json_t *form, const struct user_form_errs *e,
                       const char *notice)
{
    struct user *list = NULL;
    size_t n = 0;
    struct org *orgs = NULL;
    size_t no = 0;
    store_user_list(r->st, &list, &n);
    store_org_list(r->st, &orgs, &no);
    layout_begin(r, T("Users"), "users");
    P("<h1>%h</h1>", T("Users"));
    if (notice)
        P("<div class=\"notice\" role=\"status\">%h</div>", notice);
    P("<section class=\"card wide\" aria-labelledby=\"h-list\"><h2 id=\"h-list\">%h "
      "<span class=\"count\">%z</span></h2><div class=\"table-wrap\"><table><thead><tr>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\"><span "
      "class=\"sr-only\">%h</span></th></tr></thead><tbody>",
      T("Accounts"), n, T("Username"), T("Role"), T("Agency"), T("Created"), T("State"),
      T("Actions"));
    char ts[21];
    for (size_t i = 0; i < n; i++) {
        time_iso(list[i].created_at, ts);
        P("<tr><th scope=\"row\">%h</th><td>%h</td><td>%h</td><td>", list[i].username,
          label_value(r, role_name(list[i].role)), list[i].org_code);
        put_date(r, ts);
        P("</td><td>%s%h</span></td><td>",
          list[i].disabled ? "<span class=\"tag tag-Closed\">" : "<span class=\"tag tag-Active\">",
          list[i].disabled ? T("Disabled") : T("Enabled"));
        if (!list[i].disabled && list[i].id != r->sess.user.id) {
            P("<form method=\"post\" action=\"/admin/users/%D/disable\" class=\"inline\">",
              list[i].id);
            layout_csrf(r);
            char label[128];
            snprintf(label, sizeof label, "%s", T("Disable"));
            P("<button type=\"submit\" class=\"danger\" aria-label=\"%a %a\">%h</button></form>",
              label, list[i].username, label);
        }
        P("</td></tr>");
    }
    P("</tbody></table></div></section>");

    const char *cur_role = form ? form_str(form, "role") : "";
    const char *cur_org = form ? form_str(form, "agency") : "";
    P("<section class=\"card wide\" aria-labelledby=\"h-add\"><h2 id=\"h-add\">%h</h2>"
      "<form method=\"post\" action=\"/admin/users\" class=\"stack\" novalidate>",
      T("Add a user"));
    layout_csrf(r);
    P("<div class=\"cols\"><div class=\"field%s\"><label for=\"u-name\">%h</label>"
      "<p class=\"hint\" id=\"u-name-hint\">%h</p><input type=\"text\" id=\"u-name\" "
      "name=\"username\" "
      "required autocomplete=\"off\" spellcheck=\"false\" value=\"%a\"",
      e && e->username ? " has-error" : "", T("Username"),
      T("3 to 64 of a-z, 0-9, dot, hyphen, underscore."), form ? form_str(form, "username") : "");
    if (e && e->username)
        P(" aria-describedby=\"u-name-hint u-name-err\" aria-invalid=\"true\">");
    else
        P(" aria-describedby=\"u-name-hint\">");
    err_p(r, "u-name-err", e ? e->username : NULL);
    P("</div><div class=\"field%s\"><label for=\"u-role\">%h</label><select id=\"u-role\" "
      "name=\"role\" required",
      e && e->role ? " has-error" : "", T("Role"));
    err_attrs(r, "u-role-err", e ? e->role : NULL);
    P("><option value=\"\">%h</option>", T("— choose —"));
    for (int k = 0; k < ROLE_COUNT; k++)
        P("<option value=\"%a\"%s>%h</option>", role_name(k),
          strcmp(cur_role, role_name(k)) == 0 ? " selected" : "", label_value(r, role_name(k)));
    P("</select>");
    err_p(r, "u-role-err", e ? e->role : NULL);
    P("</div><div class=\"field%s\"><label for=\"u-org\">%h</label><select id=\"u-org\" "
      "name=\"agency\" required",
      e && e->agency ? " has-error" : "", T("Agency"));
    err_attrs(r, "u-org-err", e ? e->agency : NULL);
    P("><option value=\"\">%h</option>", T("— choose —"));
    for (size_t k = 0; k < no; k++) {
        const char *name = r->lang == LANG_PT   ? orgs[k].name_pt
                           : r->lang == LANG_EN ? orgs[k].name_en
                                                : orgs[k].name_zh;
        P("<option value=\"%a\"%s>%h — %h</option>", orgs[k].code,
          strcmp(cur_org, orgs[k].code) == 0 ? " selected" : "", orgs[k].code, name);
    }
    P("</select>");
    err_p(r, "u-org-err", e ? e->agency : NULL);
    char pwhint[128];
    snprintf(pwhint, sizeof pwhint, T("At least %d characters."), PASSWORD_MIN_LEN);
    P("</div><div class=\"field%s\"><label for=\"u-pw\">%h</label><p class=\"hint\" "
      "id=\"u-pw-hint\">%h</p><input id=\"u-pw\" name=\"password\" type=\"password\" required "
      "autocomplete=\"new-password\"",
      e && e->password ? " has-error" : "", T("Password"), pwhint);
    if (e && e->password)
        P(" aria-describedby=\"u-pw-hint u-pw-err\" aria-invalid=\"true\">");
    else
        P(" aria-describedby=\"u-pw-hint\">");
    err_p(r, "u-pw-err", e ? e->password : NULL);
    P("</div></div><div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button>"
      "</div></form></section>",
      T("Add user"));
    layout_end(r);
    free(list);
    free(orgs);
}

int page_users(struct req *r)
{
    users_page(r, NULL, NULL, NULL);
    return VIGIL_OK;
}

int page_user_create(struct req *r)
{
    struct user_form_errs e = {0};
    const char *username = form_str(r->body, "username");
    const char *role = form_str(r->body, "role");
    const char *agency = form_str(r->body, "agency");
    const char *pw = form_str(r->body, "password");
    struct org g;
    if (!*username)
        e.username = T("This field is required.");
    else if (!user_name_valid(username))
        e.username = T("3 to 64 of a-z, 0-9, dot, hyphen, underscore.");
    if (role_parse(role) < 0)
        e.role = T("Choose from the list.");
    if (!org_code_valid(agency) || store_org_by_code(r->st, agency, &g))
        e.agency = T("Choose from the list.");
    enum password_verdict pv = password_check(pw);
    if (pv == PASSWORD_TOO_SHORT)
        e.password = T("The password is too short.");
    else if (pv != PASSWORD_OK)
        e.password = T("The password is too long or not valid text.");
    struct user u = {0};
    int rc = VIGIL_OK;
    if (!e.username && !e.role && !e.agency && !e.password) {
        snprintf(u.username, sizeof u.username, "%s", username);
        u.role = role_parse(role);
        u.org_id = g.id;
        u.created_at = time_now();
        rc = password_hash(pw, u.pw_hash) ? VIGIL_ENOMEM : store_begin(r->st);
        if (!rc)
            rc = store_user_add(r->st, &u);
        if (!rc) {
            char obj[64];
            snprintf(obj, sizeof obj, "user:%" PRId64, u.id);
            rc = req_audit(r, "user.add", obj, role_name(u.role));
        }
        if (!rc)
            rc = store_commit(r->st);
        else
            store_rollback(r->st);
        if (rc == VIGIL_EEXIST)
            e.username = T("This username is taken.");
        else if (rc)
            return req_fail(r, rc, NULL, "the user could not be saved");
    }
    if (e.username || e.role || e.agency || e.password) {
        json_object_del(r->body, "password"); /* never echoed back */
        r->status = 400;
        users_page(r, r->body, &e, NULL);
        return VIGIL_OK;
    }
    return page_redirect(r, "/admin/users");
}

int page_user_disable(struct req *r)
{
    struct user u;
    int rc = store_user_by_id(r->st, r->id, &u);
    if (rc)
        return req_fail(r, VIGIL_ENOTFOUND, NULL, "no such user");
    if (u.id == r->sess.user.id)
        return req_fail(r, VIGIL_ECONFLICT, NULL, "you cannot disable your own account");
    rc = store_begin(r->st);
    if (!rc)
        rc = store_user_set_disabled(r->st, u.username, 1);
    if (!rc) {
        char obj[64];
        snprintf(obj, sizeof obj, "user:%" PRId64, u.id);
        rc = req_audit(r, "user.disable", obj, "");
    }
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    if (rc)
        return req_fail(r, rc, NULL, "the user could not be disabled");
    return page_redirect(r, "/admin/users");
}
