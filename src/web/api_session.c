/* Sessions (log in, who am I, log out), organisations, users, health, audit. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

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

/* Count an attempt at a password (a login, or the current password of a
 * change) as a failure of username before the password is checked, under
 * the write lock; a success forgives it (store_login_failures_clear). So
 * parallel guesses, on one server or several, cannot get past the limit.
 * VIGIL_OK, or r carries the 429 (audited as throttled) or 503. */
static int attempt_count(struct req *r, int64_t user_id, const char *username,
                         const char *throttled)
{
    int64_t now = time_now();
    int64_t fails = 0, latest = 0;
    int rc = store_begin(r->st);
    if (!rc)
        rc = store_login_failures(r->st, username, now - r->cfg->login_window, &fails, &latest);
    if (!rc && fails >= r->cfg->login_max_failures) {
        store_rollback(r->st);
        int64_t wait = latest + r->cfg->login_window - now;
        snprintf(r->retry_after, sizeof r->retry_after, "%" PRId64, wait > 0 ? wait : 1);
        audit_record(r->st, user_id, username, throttled, "session", "");
        return req_fail(r, VIGIL_ETHROTTLE, NULL,
                        "too many failed attempts for this account; try again later");
    }
    if (!rc)
        rc = store_login_failure_add(r->st, username, now);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    if (rc)
        return req_fail(r, rc, NULL, "cannot check the password now; try again");
    return VIGIL_OK;
}

int session_login(struct req *r, const char *username, const char *password, struct user *out,
                  char csrf[44], char token[44])
{
    if (strlen(username) > 64 || strlen(password) > PASSWORD_MAX_LEN)
        return req_fail(r, VIGIL_EAUTH, NULL, "wrong username or password");

    int64_t now = time_now();
    int rc = attempt_count(r, 0, username, "login.throttled");
    if (rc)
        return rc;

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

/* ---- the caller's own account: password and sessions (ASVS 2.1.5, 2.1.6,
 * 3.3.3, 3.3.4) ----------------------------------------------------------- */

int session_password_change(struct req *r, const char *current, const char *newpw, int64_t *ended)
{
    const struct user *me = &r->sess.user;
    *ended = 0;
    if (!*current)
        return req_fail(r, VIGIL_EINVAL, "current", "field 'current' is required");
    switch (password_check(newpw)) {
    case PASSWORD_OK:
        break;
    case PASSWORD_TOO_SHORT:
        return req_fail(r, VIGIL_EINVAL, "new", "the new password must be at least %d characters",
                        PASSWORD_MIN_LEN);
    case PASSWORD_TOO_LONG:
    case PASSWORD_NOT_UTF8:
        return req_fail(r, VIGIL_EINVAL, "new",
                        "the new password must be valid UTF-8 of at most %d bytes",
                        PASSWORD_MAX_LEN);
    }
    if (strcmp(current, newpw) == 0)
        return req_fail(r, VIGIL_EINVAL, "new",
                        "the new password must differ from the current one");
    if (strlen(current) > PASSWORD_MAX_LEN)
        return req_fail(r, VIGIL_EPERM, "current", "the current password is wrong");

    /* A wrong current password counts like a failed login of this user. */
    int rc = attempt_count(r, me->id, me->username, "user.password.throttled");
    if (rc)
        return rc;
    char obj[48];
    snprintf(obj, sizeof obj, "user:%" PRId64, me->id);
    if (!password_verify(me->pw_hash, current)) {
        audit_record(r->st, me->id, me->username, "user.password.failure", obj,
                     "wrong current password");
        return req_fail(r, VIGIL_EPERM, "current", "the current password is wrong");
    }
    char hash[PASSWORD_HASH_BYTES];
    if (password_hash(newpw, hash))
        return req_fail(r, VIGIL_ENOMEM, NULL, "cannot hash the password");
    rc = store_begin(r->st);
    if (!rc)
        rc = store_user_set_password(r->st, me->id, hash);
    if (!rc)
        rc = store_session_end_others(r->st, me->id, r->token_hash, ended);
    if (!rc)
        rc = store_login_failures_clear(r->st, me->username);
    char detail[64];
    snprintf(detail, sizeof detail, "other sessions ended: %" PRId64, *ended);
    if (!rc)
        rc = req_audit(r, "user.password", obj, detail);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    sodium_memzero(hash, sizeof hash);
    if (rc)
        return req_fail(r, rc, NULL, "the password could not be changed");
    return VIGIL_OK;
}

int session_end_others(struct req *r, int64_t *ended)
{
    int rc = store_begin(r->st);
    if (!rc)
        rc = store_session_end_others(r->st, r->sess.user.id, r->token_hash, ended);
    char obj[48], detail[48];
    snprintf(obj, sizeof obj, "user:%" PRId64, r->sess.user.id);
    snprintf(detail, sizeof detail, "ended: %" PRId64, *ended);
    if (!rc)
        rc = req_audit(r, "session.end_others", obj, detail);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    if (rc)
        return req_fail(r, rc, NULL, "cannot end the other sessions");
    return VIGIL_OK;
}

int session_list(struct req *r, json_t **out)
{
    struct session_brief *list;
    size_t n;
    int rc = store_session_list(r->st, r->sess.user.id, &list, &n);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list the sessions");
    int64_t now = time_now();
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct session_brief *b = &list[i];
        if (now - b->last_seen > r->cfg->idle_timeout || now > b->expires_at)
            continue; /* over, and purged at the next use or start */
        char created[21], seen[21], expires[21];
        time_iso(b->created_at, created);
        time_iso(b->last_seen, seen);
        time_iso(b->expires_at, expires);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "created_at", created,
                                             "last_seen", seen, "expires_at", expires, "current",
                                             strcmp(b->token_hash, r->token_hash) == 0));
    }
    free(list);
    *out = arr;
    return VIGIL_OK;
}

/* {"current","new"}: both strings, nothing else. */
int api_session_password(struct req *r)
{
    const char *key;
    json_t *v;
    json_object_foreach(r->body, key, v)
    {
        if (strcmp(key, "current") != 0 && strcmp(key, "new") != 0)
            return req_fail(r, VIGIL_EINVAL, key, "unknown field '%.60s'", key);
        if (!json_is_string(v))
            return req_fail(r, VIGIL_EINVAL, key, "field '%s' must be a string", key);
        if (strlen(json_string_value(v)) != json_string_length(v))
            return req_fail(r, VIGIL_EINVAL, key, "field '%s' holds a NUL character", key);
    }
    json_t *jc = json_object_get(r->body, "current");
    json_t *jn = json_object_get(r->body, "new");
    if (!jc || json_string_length(jc) == 0)
        return req_fail(r, VIGIL_EINVAL, "current", "field 'current' is required");
    if (!jn || json_string_length(jn) == 0)
        return req_fail(r, VIGIL_EINVAL, "new", "field 'new' is required");
    int64_t ended;
    int rc = session_password_change(r, json_string_value(jc), json_string_value(jn), &ended);
    if (rc)
        return rc;
    r->resp = json_pack("{s:I}", "sessions_ended", (json_int_t)ended);
    return VIGIL_OK;
}

int api_session_list(struct req *r)
{
    json_t *arr;
    int rc = session_list(r, &arr);
    if (rc)
        return rc;
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

int api_session_end_others(struct req *r)
{
    int64_t ended;
    int rc = session_end_others(r, &ended);
    if (rc)
        return rc;
    r->resp = json_pack("{s:I}", "ended", (json_int_t)ended);
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
