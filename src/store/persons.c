/* Persons, notes and referrals in the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/err.h"
#include "util/timeutil.h"

int store_person_add(struct store *st, int64_t case_id, const char *role, const void *sealed,
                     size_t sealed_len, json_t *plain, int age, int64_t user_id, int64_t now,
                     int64_t *id)
{
    static const char sql[] =
        "INSERT INTO persons(case_id, role, sealed, gender, age, attrs, created_by, "
        "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id";
    char *attrs = json_dumps(plain, JSON_COMPACT | JSON_SORT_KEYS);
    if (!attrs)
        return VIGIL_ENOMEM;
    struct q q;
    if (q_open(&q, st, sql)) {
        free(attrs);
        return q.rc;
    }
    q_int(&q, 1, case_id);
    q_text(&q, 2, role);
    q_blob(&q, 3, sealed, sealed_len);
    q_text(&q, 4, json_string_value(json_object_get(plain, "prs_Gender")));
    if (age >= 0)
        q_int(&q, 5, age);
    else
        q_null(&q, 5);
    q_text(&q, 6, attrs);
    if (user_id)
        q_int(&q, 7, user_id);
    else
        q_null(&q, 7);
    q_int(&q, 8, now);
    int rc = q_step(&q);
    if (rc == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    free(attrs);
    if (rc < 0)
        return -rc;
    /* Multi-selects are also kept one value per row, for statistics. */
    static const char val[] =
        "INSERT INTO person_values(person_id, field, value) VALUES (?1, ?2, ?3)";
    const char *key;
    json_t *v;
    json_object_foreach(plain, key, v)
    {
        if (!json_is_array(v))
            continue;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (q_open(&q, st, val))
                return q.rc;
            q_int(&q, 1, *id);
            q_text(&q, 2, key);
            q_text(&q, 3, json_string_value(x));
            if ((rc = q_exec(&q)))
                return rc;
        }
    }
    return VIGIL_OK;
}

int person_rows_read(struct q *q, struct person_row **out, size_t *n)
{
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = q_step(q)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            struct person_row *p = realloc(*out, cap * sizeof **out);
            if (!p) {
                rc = -VIGIL_ENOMEM;
                break;
            }
            *out = p;
        }
        struct person_row *r = &(*out)[*n];
        memset(r, 0, sizeof *r);
        (*n)++;
        r->id = q_col_int(q, 0);
        r->case_id = q_col_int(q, 1);
        snprintf(r->role, sizeof r->role, "%s", q_col_text(q, 2));
        size_t len = 0;
        const void *b = q_col_blob(q, 3, &len);
        r->sealed = malloc(len ? len : 1);
        if (r->sealed && len)
            memcpy(r->sealed, b, len);
        r->sealed_len = len;
        r->plain = json_loads(q_col_text(q, 4), 0, NULL);
        if (!r->plain)
            r->plain = json_object();
        const char *ts = q_col_text(q, 5);
        r->trafficking_status = ts ? strdup(ts) : NULL;
        r->created_at = q_col_int(q, 6);
    }
    q_done(q);
    if (rc < 0) {
        store_person_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -rc;
    }
    return VIGIL_OK;
}

int store_person_list(struct store *st, int64_t case_id, struct person_row **out, size_t *n)
{
    static const char sql[] = "SELECT " PERSON_COLS " FROM persons p WHERE p.case_id = ?1 "
                              "ORDER BY p.id";
    struct q q;
    *out = NULL;
    *n = 0;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    return person_rows_read(&q, out, n);
}

void store_person_rows_free(struct person_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].sealed);
        json_decref(rows[i].plain);
        free(rows[i].trafficking_status);
    }
    free(rows);
}

static json_t *note_row(struct q *q)
{
    char ts[21];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    json_object_set_new(o, "case_id", json_integer(q_col_int(q, 1)));
    const char *author = q_col_text(q, 2);
    json_object_set_new(o, "author", author ? json_string(author) : json_null());
    json_object_set_new(o, "text", json_string(q_col_text(q, 3)));
    time_iso(q_col_int(q, 4), ts);
    json_object_set_new(o, "created_at", json_string(ts));
    return o;
}

#define NOTE_SELECT                                                                                \
    "SELECT n.id, n.case_id, u.username, n.body, n.created_at FROM notes n "                       \
    "LEFT JOIN users u ON u.id = n.author_id "

int store_note_add(struct store *st, int64_t case_id, int64_t user_id, const char *text,
                   int64_t now, json_t **out)
{
    static const char sql[] = "INSERT INTO notes(case_id, author_id, body, created_at) "
                              "VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    if (user_id)
        q_int(&q, 2, user_id);
    else
        q_null(&q, 2);
    q_text(&q, 3, text);
    q_int(&q, 4, now);
    int64_t id = 0;
    int rc = q_step(&q);
    if (rc == 1)
        id = q_col_int(&q, 0);
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (!out)
        return VIGIL_OK;
    static const char get[] = NOTE_SELECT "WHERE n.id = ?1";
    if (q_open(&q, st, get))
        return q.rc;
    q_int(&q, 1, id);
    rc = q_step(&q);
    if (rc == 1)
        *out = note_row(&q);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ESTORE;
}

int store_note_list(struct store *st, int64_t case_id, json_t **out)
{
    static const char sql[] = NOTE_SELECT "WHERE n.case_id = ?1 ORDER BY n.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    return q_rows(&q, note_row, out);
}

#define REF_SELECT                                                                                 \
    "SELECT r.id, r.case_id, f.code, t.code, r.reason, r.details, r.state, r.created_at, "         \
    "r.decided_at, r.to_org FROM referrals r JOIN organisations f ON f.id = r.from_org "           \
    "JOIN organisations t ON t.id = r.to_org "

static json_t *ref_row(struct q *q)
{
    char ts[21];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    json_object_set_new(o, "case_id", json_integer(q_col_int(q, 1)));
    json_object_set_new(o, "from", json_string(q_col_text(q, 2)));
    json_object_set_new(o, "to", json_string(q_col_text(q, 3)));
    json_object_set_new(o, "reason", json_string(q_col_text(q, 4)));
    const char *d = q_col_text(q, 5);
    json_object_set_new(o, "details", d ? json_string(d) : json_null());
    json_object_set_new(o, "state", json_string(q_col_text(q, 6)));
    time_iso(q_col_int(q, 7), ts);
    json_object_set_new(o, "created_at", json_string(ts));
    if (!q_col_null(q, 8)) {
        time_iso(q_col_int(q, 8), ts);
        json_object_set_new(o, "decided_at", json_string(ts));
    } else {
        json_object_set_new(o, "decided_at", json_null());
    }
    json_object_set_new(o, "to_org_id", json_integer(q_col_int(q, 9)));
    return o;
}

int store_referral_get(struct store *st, int64_t id, json_t **out)
{
    static const char sql[] = REF_SELECT "WHERE r.id = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    int rc = q_step(&q);
    if (rc == 1)
        *out = ref_row(&q);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_referral_add(struct store *st, int64_t case_id, int64_t from_org, int64_t to_org,
                       const char *reason, const char *details, int64_t user_id, int64_t now,
                       json_t **out)
{
    static const char sql[] =
        "INSERT INTO referrals(case_id, from_org, to_org, reason, details, state, created_by, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    q_int(&q, 2, from_org);
    q_int(&q, 3, to_org);
    q_text(&q, 4, reason);
    q_text(&q, 5, details);
    q_int(&q, 6, user_id);
    q_int(&q, 7, now);
    int64_t id = 0;
    int rc = q_step(&q);
    if (rc == 1)
        id = q_col_int(&q, 0);
    q_done(&q);
    if (rc < 0)
        return -rc;
    return out ? store_referral_get(st, id, out) : VIGIL_OK;
}

int store_referral_decide(struct store *st, int64_t id, const char *state, int64_t user_id,
                          int64_t now, json_t **out)
{
    const char *from = strcmp(state, "completed") == 0 ? "accepted" : "pending";
    static const char sql[] = "UPDATE referrals SET state = ?2, decided_by = ?3, decided_at = ?4 "
                              "WHERE id = ?1 AND state = ?5 RETURNING case_id, to_org";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_text(&q, 2, state);
    q_int(&q, 3, user_id);
    q_int(&q, 4, now);
    q_text(&q, 5, from);
    int rc = q_step(&q);
    int64_t case_id = 0, to_org = 0;
    if (rc == 1) {
        case_id = q_col_int(&q, 0);
        to_org = q_col_int(&q, 1);
    }
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (rc == 0)
        return VIGIL_ECONFLICT;
    /* Accepting grants the receiving organisation access; completing or
     * rejecting ends it, unless it owns the case. */
    if (strcmp(state, "accepted") == 0) {
        if ((rc = store_access_grant(st, to_org, case_id)))
            return rc;
    } else {
        static const char revoke[] =
            "DELETE FROM case_access WHERE org_id = ?1 AND case_id = ?2 AND org_id <> "
            "(SELECT org_id FROM cases WHERE id = ?2) AND NOT EXISTS (SELECT 1 FROM referrals "
            "WHERE case_id = ?2 AND to_org = ?1 AND state = 'accepted')";
        if (q_open(&q, st, revoke))
            return q.rc;
        q_int(&q, 1, to_org);
        q_int(&q, 2, case_id);
        if ((rc = q_exec(&q)))
            return rc;
    }
    return out ? store_referral_get(st, id, out) : VIGIL_OK;
}

int store_referral_list(struct store *st, int64_t case_id, int64_t to_org, const char *state,
                        json_t **out)
{
    static const char sql[] = REF_SELECT "WHERE (?1 = 0 OR r.case_id = ?1) AND (?2 = 0 OR "
                                         "r.to_org = ?2) AND (CAST(?3 AS TEXT) IS NULL OR "
                                         "r.state = ?3) ORDER BY r.id DESC LIMIT 500";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    q_int(&q, 2, to_org);
    q_text(&q, 3, state);
    return q_rows(&q, ref_row, out);
}

int store_audit_head(struct store *st, int64_t *id, char hash[65])
{
    if (strcmp(st->drv->name, "postgresql") == 0) {
        /* Writers from several servers queue here, so the chain stays a chain. */
        static const char lock[] = "SELECT pg_advisory_xact_lock(7340031)";
        struct q l;
        if (q_open(&l, st, lock))
            return l.rc;
        int r = q_exec(&l);
        if (r)
            return r;
    }
    static const char sql[] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    *id = 0;
    hash[0] = '\0';
    int rc = q_step(&q);
    if (rc == 1) {
        *id = q_col_int(&q, 0);
        snprintf(hash, 65, "%s", q_col_text(&q, 1));
    }
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

int store_audit_insert(struct store *st, const struct audit_row *r)
{
    static const char sql[] =
        "INSERT INTO audit(id, at, user_id, username, action, object, detail, prev_hash, hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, r->id);
    q_int(&q, 2, r->at);
    if (r->user_id)
        q_int(&q, 3, r->user_id);
    else
        q_null(&q, 3);
    q_text(&q, 4, r->username);
    q_text(&q, 5, r->action);
    q_text(&q, 6, r->object);
    q_text(&q, 7, r->detail);
    q_text(&q, 8, r->prev_hash);
    q_text(&q, 9, r->hash);
    return q_exec(&q);
}

int store_audit_scan(struct store *st, int64_t after, int64_t limit,
                     int (*fn)(void *ctx, const struct audit_row *r), void *ctx)
{
    static const char sql[] = "SELECT id, at, user_id, username, action, object, detail, "
                              "prev_hash, hash FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, after);
    q_int(&q, 2, limit > 0 ? limit : INT64_MAX);
    int rc, stop = 0;
    while ((rc = q_step(&q)) == 1) {
        struct audit_row r;
        r.id = q_col_int(&q, 0);
        r.at = q_col_int(&q, 1);
        r.user_id = q_col_null(&q, 2) ? 0 : q_col_int(&q, 2);
        r.username = q_col_text(&q, 3);
        r.action = q_col_text(&q, 4);
        r.object = q_col_text(&q, 5);
        r.detail = q_col_text(&q, 6);
        snprintf(r.prev_hash, sizeof r.prev_hash, "%s", q_col_text(&q, 7) ? q_col_text(&q, 7) : "");
        snprintf(r.hash, sizeof r.hash, "%s", q_col_text(&q, 8) ? q_col_text(&q, 8) : "");
        if ((stop = fn(ctx, &r)))
            break;
    }
    q_done(&q);
    if (rc < 0)
        return -rc;
    return stop;
}
