/* Sessions (log in, who am I, log out), organisations, users, health, audit. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "util/err.h"
#include "util/timeutil.h"
#include "web/http.h"

int api_healthz(struct req *r)
{
    if (store_ping(r->st))
        return req_fail(r, VIGIL_EUNAVAIL, NULL, "the database does not answer");
    r->resp = json_pack("{s:s, s:s}", "status", "ok", "store", store_kind(r->st));
    return VIGIL_OK;
}

static json_t *user_json(const struct user *u)
{
    return json_pack("{s:s, s:s, s:s}", "username", u->username, "role", role_name(u->role),
                     "agency", u->org_code);
}

/* A hash that verifies nothing, so unknown users cost as much as known ones. */
static const char *dummy_hash(void)
{
    static char h[PASSWORD_HASH_BYTES];
    static int made;
    if (!made) {
        password_hash("vigil-timing-equaliser", h);
        made = 1;
    }
    return h;
}

int api_session_create(struct req *r)
{
    json_t *ju = json_object_get(r->body, "username");
    json_t *jp = json_object_get(r->body, "password");
    const char *key;
    json_t *v;
    json_object_foreach(r->body, key, v)
    {
        if (strcmp(key, "username") != 0 && strcmp(key, "password") != 0)
            return req_fail(r, VIGIL_EINVAL, key, "unknown field '%.60s'", key);
    }
    if (!json_is_string(ju) || json_string_length(ju) == 0)
        return req_fail(r, VIGIL_EINVAL, "username", "field 'username' is required");
    if (!json_is_string(jp) || json_string_length(jp) == 0)
        return req_fail(r, VIGIL_EINVAL, "password", "field 'password' is required");
    if (strlen(json_string_value(ju)) != json_string_length(ju) ||
        strlen(json_string_value(jp)) != json_string_length(jp))
        return req_fail(r, VIGIL_EAUTH, NULL, "wrong username or password");
    struct user u;
    char token[44], csrf[44];
    int rc = session_login(r, json_string_value(ju), json_string_value(jp), &u, csrf, token);
    if (rc)
        return rc;
    char exp[21];
    time_iso(time_now() + r->cfg->session_max, exp);
    r->resp = json_pack("{s:s, s:s, s:s, s:o}", "token", token, "csrf", csrf, "expires_at", exp,
                        "user", user_json(&u));
    r->status = 200;
    return VIGIL_OK;
}

int session_login(struct req *r, const char *username, const char *password, struct user *out,
                  char csrf[44], char token[44])
{
    if (strlen(username) > 64 || strlen(password) > PASSWORD_MAX_LEN)
        return req_fail(r, VIGIL_EAUTH, NULL, "wrong username or password");

    /* The attempt is counted as a failure before the password is checked,
     * under the write lock, and forgiven only when it succeeds: parallel
     * guesses (on one server or several) cannot get past the limit. */
    int64_t now = time_now();
    int64_t fails = 0, latest = 0;
    int rc = store_begin(r->st);
    if (!rc)
        rc = store_login_failures(r->st, username, now - r->cfg->login_window, &fails, &latest);
    if (!rc && fails >= r->cfg->login_max_failures) {
        store_rollback(r->st);
        int64_t wait = latest + r->cfg->login_window - now;
        snprintf(r->retry_after, sizeof r->retry_after, "%" PRId64, wait > 0 ? wait : 1);
        audit_record(r->st, 0, username, "login.throttled", "session", "");
        return req_fail(r, VIGIL_ETHROTTLE, NULL,
                        "too many failed logins for this account; try again later");
    }
    if (!rc)
        rc = store_login_failure_add(r->st, username, now);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    if (rc)
        return req_fail(r, rc, NULL, "cannot check the login now; try again");

    struct user u;
    int found = store_user_by_name(r->st, username, &u) == VIGIL_OK;
    int ok = password_verify(found ? u.pw_hash : dummy_hash(), password);
    if (!found || !ok || u.disabled) {
        audit_record(r->st, found ? u.id : 0, username, "login.failure", "session",
                     !found       ? "unknown user"
                     : u.disabled ? "disabled"
                                  : "bad password");
        return req_fail(r, VIGIL_EAUTH, NULL, "wrong username or password");
    }

    char hash[65];
    crypto_token(token);
    crypto_token(csrf);
    crypto_hash_hex(token, strlen(token), hash);
    rc = store_begin(r->st);
    if (!rc)
        rc = store_login_failures_clear(r->st, username);
    if (!rc)
        rc = store_session_add(r->st, hash, u.id, csrf, now, now + r->cfg->session_max);
    if (!rc)
        rc = audit_append(r->st, u.id, u.username, "login.success", "session", "");
    if (!rc)
        rc = store_commit(r->st);
    if (rc)
        return req_fail(r, rc, NULL, "cannot start a session");
    snprintf(r->cookie, sizeof r->cookie,
             SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%" PRId64 "%s", token,
             r->cfg->session_max, r->cfg->secure_cookies ? "; Secure" : "");
    *out = u;
    return VIGIL_OK;
}

int api_session_get(struct req *r)
{
    r->resp = json_pack("{s:o, s:s}", "user", user_json(&r->sess.user), "csrf", r->sess.csrf);
    return VIGIL_OK;
}

int api_session_delete(struct req *r)
{
    int rc = session_logout(r);
    if (rc)
        return rc;
    r->status = 204;
    return VIGIL_OK;
}

int session_logout(struct req *r)
{
    int rc = store_begin(r->st);
    if (!rc)
        rc = store_session_delete(r->st, r->token_hash);
    if (!rc)
        rc = req_audit(r, "logout", "session", "");
    if (!rc)
        rc = store_commit(r->st);
    if (rc)
        return req_fail(r, rc, NULL, "cannot end the session");
    snprintf(r->cookie, sizeof r->cookie,
             SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             r->cfg->secure_cookies ? "; Secure" : "");
    return VIGIL_OK;
}

int api_org_list(struct req *r)
{
    struct org *list;
    size_t n;
    int rc = store_org_list(r->st, &list, &n);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:{s:s, s:s, s:s}}", "code", list[i].code,
                                             "org_Type", list[i].type, "name", "zh-Hant",
                                             list[i].name_zh, "pt", list[i].name_pt, "en",
                                             list[i].name_en));
    free(list);
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

int api_user_list(struct req *r)
{
    struct user *list;
    size_t n;
    int rc = store_user_list(r->st, &list, &n);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *u = user_json(&list[i]);
        json_object_set_new(u, "disabled", json_boolean(list[i].disabled));
        json_array_append_new(arr, u);
    }
    free(list);
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

struct audit_list {
    json_t *arr;
    int64_t last;
};

static int audit_item(void *ctx, const struct audit_row *a)
{
    struct audit_list *l = ctx;
    char ts[21];
    time_iso(a->at, ts);
    json_array_append_new(l->arr,
                          json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id,
                                    "at", ts, "user", a->username, "action", a->action, "object",
                                    a->object, "detail", a->detail, "hash", a->hash));
    l->last = a->id;
    return 0;
}

int api_audit_list(struct req *r)
{
    int64_t after = 0, limit = 100;
    const char *a = req_param(r, "after");
    const char *l = req_param(r, "limit");
    if (a)
        after = strtoll(a, NULL, 10); /* validated by the gate */
    if (l)
        limit = strtoll(l, NULL, 10);
    struct audit_list list = {json_array(), after};
    int rc = store_audit_scan(r->st, after, limit, audit_item, &list);
    if (rc) {
        json_decref(list.arr);
        return rc;
    }
    r->resp = json_pack("{s:o, s:I}", "items", list.arr, "next_after", (json_int_t)list.last);
    return VIGIL_OK;
}
