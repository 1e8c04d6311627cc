/* The login page and logging out. */
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "util/err.h"
#include "web/form.h"
#include "web/page.h"

/* A local path to return to after logging in: "/..." but not "//" or "/\",
 * of plain characters; anything else becomes "/". */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 200)
        return "/";
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '\\' || (unsigned char)*p >= 0x7f)
            return "/";
    return next;
}

void presession_token(struct req *r, char tok[44])
{
    const char *c = req_cookie(r, CSRF_COOKIE);
    if (c && strlen(c) == 43 &&
        strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                  "0123456789-_") == 43) {
        snprintf(tok, 44, "%s", c);
        return;
    }
    crypto_token(tok);
    snprintf(r->cookie2[1], sizeof r->cookie2[1],
             CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", tok,
             r->cfg->secure_cookies ? "; Secure" : "");
}

static void login_form(struct req *r, const char *username, const char *next, const char *error)
{
    char tok[44];
    presession_token(r, tok);
    layout_begin(r, T("Log in"), NULL);
    P("<div class=\"login\"><h1>%h</h1><p class=\"lead\">%h</p>", T("Log in"),
      T("Anti-trafficking case management for the committee and its agencies."));
    if (error)
        P("<div class=\"alert\" role=\"alert\" id=\"login-error\">%h</div>", error);
    P("<form method=\"post\" action=\"/login\" class=\"stack\">"
      "<input type=\"hidden\" name=\"csrf\" value=\"%a\">"
      "<input type=\"hidden\" name=\"next\" value=\"%a\">",
      tok, next);
    P("<div class=\"field\"><label for=\"username\">%h</label>"
      "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required "
      "autocapitalize=\"none\" spellcheck=\"false\" value=\"%a\"%s></div>",
      T("Username"), username ? username : "",
      error ? " aria-describedby=\"login-error\" aria-invalid=\"true\"" : " autofocus");
    P("<div class=\"field\"><label for=\"password\">%h</label>"
      "<input id=\"password\" name=\"password\" type=\"password\" "
      "autocomplete=\"current-password\" required%s></div>",
      T("Password"), error ? " aria-describedby=\"login-error\"" : "");
    P("<button type=\"submit\" class=\"primary\">%h</button></form></div>", T("Log in"));
    layout_end(r);
}

int page_login(struct req *r)
{
    const char *next = safe_next(req_param(r, "next"));
    if (r->authed)
        return page_redirect(r, next);
    login_form(r, NULL, next, NULL);
    return VIGIL_OK;
}

int page_login_post(struct req *r)
{
    const char *username = form_str(r->body, "username");
    const char *password = form_str(r->body, "password");
    const char *next = safe_next(form_str(r->body, "next"));
    struct user u;
    char csrf[44], token[44];
    if (!*username || !*password) {
        r->status = 400;
        login_form(r, username, next, T("Enter your username and password."));
        return VIGIL_OK;
    }
    int rc = session_login(r, username, password, &u, csrf, token);
    memset(token, 0, sizeof token);
    if (rc == VIGIL_OK)
        return page_redirect(r, next);
    const char *msg = rc == VIGIL_ETHROTTLE
                          ? T("Too many failed attempts. Wait a few minutes and try again.")
                      : rc == VIGIL_EAUTH ? T("Wrong username or password.")
                                          : T("Logging in is not possible right now. Try "
                                              "again later.");
    /* r->status stays as session_login set it (401, 429, 503). A 401 would
     * send the browser back to the form without the message, so show 200. */
    if (r->status == 401)
        r->status = 200;
    login_form(r, username, next, msg);
    return VIGIL_OK;
}

int page_logout(struct req *r)
{
    int rc = session_logout(r);
    if (rc)
        return rc;
    return page_redirect(r, "/login");
}
