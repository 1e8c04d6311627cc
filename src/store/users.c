/* Organisations, users, sessions and login failures in the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/policy.h"
#include "store/db.h"
#include "util/err.h"

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

int store_org_add(struct store *st, struct org *o)
{
    static const char sql[] =
        "INSERT INTO organisations(code, org_type, name_zh, name_pt, name_en, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, o->code);
    q_text(&q, 2, o->type);
    q_text(&q, 3, o->name_zh);
    q_text(&q, 4, o->name_pt);
    q_text(&q, 5, o->name_en);
    q_int(&q, 6, (int64_t)time(NULL));
    int rc = q_step(&q);
    if (rc == 1)
        o->id = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

#define ORG_COLS "id, code, org_type, name_zh, name_pt, name_en"

static void org_row(struct q *q, struct org *o)
{
    o->id = q_col_int(q, 0);
    copy(o->code, sizeof o->code, q_col_text(q, 1));
    copy(o->type, sizeof o->type, q_col_text(q, 2));
    copy(o->name_zh, sizeof o->name_zh, q_col_text(q, 3));
    copy(o->name_pt, sizeof o->name_pt, q_col_text(q, 4));
    copy(o->name_en, sizeof o->name_en, q_col_text(q, 5));
}

static int org_one(struct store *st, const char *sql, const char *code, int64_t id, struct org *out)
{
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    if (code)
        q_text(&q, 1, code);
    else
        q_int(&q, 1, id);
    int rc = q_step(&q);
    if (rc == 1)
        org_row(&q, out);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_org_by_code(struct store *st, const char *code, struct org *out)
{
    static const char sql[] = "SELECT " ORG_COLS " FROM organisations WHERE code = ?1";
    return org_one(st, sql, code, 0, out);
}

int store_org_by_id(struct store *st, int64_t id, struct org *out)
{
    static const char sql[] = "SELECT " ORG_COLS " FROM organisations WHERE id = ?1";
    return org_one(st, sql, NULL, id, out);
}

int store_org_list(struct store *st, struct org **out, size_t *n)
{
    static const char sql[] = "SELECT " ORG_COLS " FROM organisations ORDER BY code";
    struct q q;
    *out = NULL;
    *n = 0;
    if (q_open(&q, st, sql))
        return q.rc;
    size_t cap = 0;
    int rc;
    while ((rc = q_step(&q)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct org *p = realloc(*out, cap * sizeof **out);
            if (!p) {
                rc = -VIGIL_ENOMEM;
                break;
            }
            *out = p;
        }
        org_row(&q, &(*out)[(*n)++]);
    }
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

int store_user_add(struct store *st, struct user *u)
{
    static const char sql[] =
        "INSERT INTO users(username, pw_hash, role, org_id, disabled, created_at) "
        "VALUES (?1, ?2, ?3, ?4, 0, ?5) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, u->username);
    q_text(&q, 2, u->pw_hash);
    q_text(&q, 3, role_name(u->role));
    q_int(&q, 4, u->org_id);
    q_int(&q, 5, u->created_at);
    int rc = q_step(&q);
    if (rc == 1)
        u->id = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

#define USER_COLS "u.id, u.username, u.pw_hash, u.role, u.org_id, o.code, u.disabled, u.created_at"
#define USER_FROM " FROM users u JOIN organisations o ON o.id = u.org_id "

static void user_row(struct q *q, struct user *u, int off)
{
    u->id = q_col_int(q, off + 0);
    copy(u->username, sizeof u->username, q_col_text(q, off + 1));
    copy(u->pw_hash, sizeof u->pw_hash, q_col_text(q, off + 2));
    u->role = role_parse(q_col_text(q, off + 3));
    u->org_id = q_col_int(q, off + 4);
    copy(u->org_code, sizeof u->org_code, q_col_text(q, off + 5));
    u->disabled = (int)q_col_int(q, off + 6);
    u->created_at = q_col_int(q, off + 7);
}

static int user_one(struct store *st, const char *sql, const char *name, int64_t id,
                    struct user *out)
{
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    if (name)
        q_text(&q, 1, name);
    else
        q_int(&q, 1, id);
    int rc = q_step(&q);
    if (rc == 1)
        user_row(&q, out, 0);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_user_by_name(struct store *st, const char *username, struct user *out)
{
    static const char sql[] = "SELECT " USER_COLS USER_FROM "WHERE u.username = ?1";
    return user_one(st, sql, username, 0, out);
}

int store_user_by_id(struct store *st, int64_t id, struct user *out)
{
    static const char sql[] = "SELECT " USER_COLS USER_FROM "WHERE u.id = ?1";
    return user_one(st, sql, NULL, id, out);
}

int store_user_list(struct store *st, struct user **out, size_t *n)
{
    static const char sql[] = "SELECT " USER_COLS USER_FROM "ORDER BY u.username";
    struct q q;
    *out = NULL;
    *n = 0;
    if (q_open(&q, st, sql))
        return q.rc;
    size_t cap = 0;
    int rc;
    while ((rc = q_step(&q)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct user *p = realloc(*out, cap * sizeof **out);
            if (!p) {
                rc = -VIGIL_ENOMEM;
                break;
            }
            *out = p;
        }
        user_row(&q, &(*out)[(*n)++], 0);
    }
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

static int exec1(struct store *st, const char *sql, const char *t, int64_t i, int changes)
{
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, t);
    q_int(&q, 2, i);
    int rc = q_step(&q);
    int found = rc == 1;
    q_done(&q);
    if (rc < 0)
        return -rc;
    return changes && !found ? VIGIL_ENOTFOUND : VIGIL_OK;
}

int store_user_set_disabled(struct store *st, const char *username, int disabled)
{
    static const char sql[] = "UPDATE users SET disabled = ?2 WHERE username = ?1 RETURNING id";
    int rc = exec1(st, sql, username, disabled, 1);
    if (rc == VIGIL_OK && disabled) {
        static const char del[] =
            "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = ?1) "
            "AND ?2 = ?2";
        rc = exec1(st, del, username, 0, 0);
    }
    return rc;
}

int store_session_add(struct store *st, const char *token_hash, int64_t user_id, const char *csrf,
                      int64_t now, int64_t expires_at)
{
    static const char sql[] = "INSERT INTO sessions(token_hash, user_id, csrf, created_at, "
                              "last_seen, expires_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5)";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, token_hash);
    q_int(&q, 2, user_id);
    q_text(&q, 3, csrf);
    q_int(&q, 4, now);
    q_int(&q, 5, expires_at);
    return q_exec(&q);
}

int store_session_get(struct store *st, const char *token_hash, struct session *out)
{
    static const char sql[] = "SELECT " USER_COLS ", s.csrf, s.created_at, s.last_seen, "
                              "s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
                              "JOIN organisations o ON o.id = u.org_id WHERE s.token_hash = ?1";
    /* Every request asks for its session; while nothing at all has been
     * written to the database the answer cannot have changed, so it is
     * kept per connection for as long as that holds (a logout, a disabled
     * user, a touch or any other commit ends it). */
    struct store_version v;
    int known = store_data_version(st, &v) == VIGIL_OK;
    for (int i = 0; known && i < SESSION_CACHE; i++) {
        if (st->sessions[i].token_hash[0] && st->sessions[i].at.others == v.others &&
            st->sessions[i].at.own == v.own &&
            strcmp(st->sessions[i].token_hash, token_hash) == 0) {
            *out = st->sessions[i].s;
            return VIGIL_OK;
        }
    }
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, token_hash);
    int rc = q_step(&q);
    if (rc == 1) {
        user_row(&q, &out->user, 0);
        copy(out->csrf, sizeof out->csrf, q_col_text(&q, 8));
        out->created_at = q_col_int(&q, 9);
        out->last_seen = q_col_int(&q, 10);
        out->expires_at = q_col_int(&q, 11);
    }
    q_done(&q);
    if (rc == 1 && known && strlen(token_hash) < sizeof st->sessions[0].token_hash) {
        int i = st->sessions_next;
        st->sessions_next = (i + 1) % SESSION_CACHE;
        st->sessions[i].at = v;
        copy(st->sessions[i].token_hash, sizeof st->sessions[i].token_hash, token_hash);
        st->sessions[i].s = *out;
    }
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_session_touch(struct store *st, const char *token_hash, int64_t now)
{
    static const char sql[] = "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1";
    return exec1(st, sql, token_hash, now, 0);
}

int store_session_delete(struct store *st, const char *token_hash)
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1 AND ?2 = ?2";
    return exec1(st, sql, token_hash, 0, 0);
}

int store_session_purge(struct store *st, int64_t now)
{
    static const char sql[] = "DELETE FROM sessions WHERE expires_at < ?2 AND ?1 = ?1";
    return exec1(st, sql, "", now, 0);
}

int store_login_failure_add(struct store *st, const char *username, int64_t now)
{
    static const char sql[] = "INSERT INTO login_failures(username, at) VALUES (?1, ?2)";
    return exec1(st, sql, username, now, 0);
}

int store_login_failures(struct store *st, const char *username, int64_t since, int64_t *count,
                         int64_t *latest)
{
    static const char sql[] = "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failures "
                              "WHERE username = ?1 AND at >= ?2";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, username);
    q_int(&q, 2, since);
    int rc = q_step(&q);
    if (rc == 1) {
        *count = q_col_int(&q, 0);
        *latest = q_col_int(&q, 1);
    }
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

int store_login_failures_clear(struct store *st, const char *username)
{
    static const char sql[] = "DELETE FROM login_failures WHERE username = ?1 AND ?2 = ?2";
    return exec1(st, sql, username, 0, 0);
}

int store_user_set_password(struct store *st, int64_t user_id, const char *pw_hash)
{
    static const char sql[] = "UPDATE users SET pw_hash = ?1 WHERE id = ?2 RETURNING id";
    return exec1(st, sql, pw_hash, user_id, 1);
}

int store_session_list(struct store *st, int64_t user_id, struct session_brief **out, size_t *n)
{
    static const char sql[] = "SELECT token_hash, created_at, last_seen, expires_at FROM sessions "
                              "WHERE user_id = ?1 ORDER BY created_at, token_hash";
    *out = NULL;
    *n = 0;
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, user_id);
    size_t cap = 0;
    int rc;
    while ((rc = q_step(&q)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            struct session_brief *p = realloc(*out, cap * sizeof **out);
            if (!p) {
                rc = -VIGIL_ENOMEM;
                break;
            }
            *out = p;
        }
        struct session_brief *b = &(*out)[(*n)++];
        copy(b->token_hash, sizeof b->token_hash, q_col_text(&q, 0));
        b->created_at = q_col_int(&q, 1);
        b->last_seen = q_col_int(&q, 2);
        b->expires_at = q_col_int(&q, 3);
    }
    q_done(&q);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -rc;
    }
    return VIGIL_OK;
}

int store_session_end_others(struct store *st, int64_t user_id, const char *keep_hash,
                             int64_t *ended)
{
    static const char sql[] =
        "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2 RETURNING user_id";
    *ended = 0;
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, user_id);
    q_text(&q, 2, keep_hash);
    int rc;
    while ((rc = q_step(&q)) == 1)
        (*ended)++;
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}
