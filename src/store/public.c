/* Tips and page feedback in the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/db.h"
#include "util/err.h"
#include "util/timeutil.h"

int store_tip_add(struct store *st, const char *code_hash, const char *channel, const void *sealed,
                  size_t n, int64_t logged_by, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO tips(code_hash, channel, sealed, state, logged_by, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, 'new', ?4, ?5, ?5) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, code_hash);
    q_text(&q, 2, channel);
    q_blob(&q, 3, sealed, n);
    if (logged_by)
        q_int(&q, 4, logged_by);
    else
        q_null(&q, 4);
    q_int(&q, 5, now);
    int rc = q_step(&q);
    if (rc == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

#define TIP_COLS                                                                                   \
    "SELECT t.id, t.case_id, t.created_at, t.updated_at, t.channel, t.state, t.close_reason, "     \
    "t.sealed, (SELECT COUNT(*) FROM tip_additions a WHERE a.tip_id = t.id) FROM tips t "

static void tip_row(struct q *q, struct tip_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = q_col_int(q, 0);
    r->case_id = q_col_null(q, 1) ? 0 : q_col_int(q, 1);
    r->created_at = q_col_int(q, 2);
    r->updated_at = q_col_int(q, 3);
    snprintf(r->channel, sizeof r->channel, "%s", q_col_text(q, 4));
    snprintf(r->state, sizeof r->state, "%s", q_col_text(q, 5));
    const char *cr = q_col_text(q, 6);
    r->close_reason = cr ? strdup(cr) : NULL;
    size_t len = 0;
    const void *b = q_col_blob(q, 7, &len);
    r->sealed = malloc(len ? len : 1);
    if (r->sealed && len)
        memcpy(r->sealed, b, len);
    r->sealed_len = len;
    r->additions = q_col_int(q, 8);
}

void store_tip_row_free(struct tip_row *r)
{
    free(r->close_reason);
    free(r->sealed);
    r->close_reason = NULL;
    r->sealed = NULL;
}

static int tip_one(struct store *st, const char *sql, const char *text, int64_t id,
                   struct tip_row *out)
{
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    if (text)
        q_text(&q, 1, text);
    else
        q_int(&q, 1, id);
    int rc = q_step(&q);
    if (rc == 1)
        tip_row(&q, out);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_tip_by_code(struct store *st, const char *code_hash, struct tip_row *out)
{
    static const char sql[] = TIP_COLS "WHERE t.code_hash = ?1";
    return tip_one(st, sql, code_hash, 0, out);
}

int store_tip_by_id(struct store *st, int64_t id, struct tip_row *out)
{
    static const char sql[] = TIP_COLS "WHERE t.id = ?1";
    return tip_one(st, sql, NULL, id, out);
}

int store_tip_addition_add(struct store *st, int64_t tip_id, const void *sealed, size_t n,
                           int64_t now)
{
    static const char sql[] =
        "INSERT INTO tip_additions(tip_id, sealed, created_at) VALUES (?1, ?2, ?3)";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, tip_id);
    q_blob(&q, 2, sealed, n);
    q_int(&q, 3, now);
    int rc = q_exec(&q);
    if (rc)
        return rc;
    static const char upd[] = "UPDATE tips SET updated_at = ?2 WHERE id = ?1";
    if (q_open(&q, st, upd))
        return q.rc;
    q_int(&q, 1, tip_id);
    q_int(&q, 2, now);
    return q_exec(&q);
}

int store_tip_additions(struct store *st, int64_t tip_id, json_t **out)
{
    static const char sql[] =
        "SELECT sealed, created_at FROM tip_additions WHERE tip_id = ?1 ORDER BY id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, tip_id);
    json_t *arr = json_array();
    int rc;
    while ((rc = q_step(&q)) == 1) {
        size_t len = 0;
        const unsigned char *b = q_col_blob(&q, 0, &len);
        char *hex = malloc(len * 2 + 1);
        if (!hex) {
            rc = -VIGIL_ENOMEM;
            break;
        }
        sodium_bin2hex(hex, len * 2 + 1, b, len);
        char ts[21];
        time_iso(q_col_int(&q, 1), ts);
        json_array_append_new(arr, json_pack("{s:s, s:s}", "sealed", hex, "created_at", ts));
        free(hex);
    }
    q_done(&q);
    if (rc < 0) {
        json_decref(arr);
        return -rc;
    }
    *out = arr;
    return VIGIL_OK;
}

int store_tip_list(struct store *st, const char *state, int64_t limit, int64_t offset,
                   struct tip_row **out, size_t *n)
{
    static const char sql[] = TIP_COLS "WHERE (CAST(?1 AS TEXT) IS NULL OR t.state = ?1) "
                                       "ORDER BY t.created_at DESC, t.id DESC LIMIT ?2 OFFSET ?3";
    struct q q;
    *out = NULL;
    *n = 0;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, state);
    q_int(&q, 2, limit);
    q_int(&q, 3, offset);
    size_t cap = 0;
    int rc;
    while ((rc = q_step(&q)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            struct tip_row *p = realloc(*out, cap * sizeof **out);
            if (!p) {
                rc = -VIGIL_ENOMEM;
                break;
            }
            *out = p;
        }
        tip_row(&q, &(*out)[(*n)++]);
    }
    q_done(&q);
    if (rc < 0) {
        for (size_t i = 0; i < *n; i++)
            store_tip_row_free(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
        return -rc;
    }
    return VIGIL_OK;
}

int store_tip_triage(struct store *st, int64_t id, const char *state, const char *reason,
                     int64_t case_id, int64_t user_id, int64_t now)
{
    /* A closed or promoted tip is final. */
    static const char sql[] =
        "UPDATE tips SET state = ?2, close_reason = ?3, case_id = ?4, handled_by = ?5, "
        "updated_at = ?6 WHERE id = ?1 AND state IN ('new', 'reviewing') RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_text(&q, 2, state);
    q_text(&q, 3, reason);
    if (case_id)
        q_int(&q, 4, case_id);
    else
        q_null(&q, 4);
    q_int(&q, 5, user_id);
    q_int(&q, 6, now);
    int rc = q_step(&q);
    q_done(&q);
    if (rc < 0)
        return -rc;
    return rc == 1 ? VIGIL_OK : VIGIL_ECONFLICT;
}

int store_feedback_add(struct store *st, const char *page, const char *message,
                       const void *sealed_contact, size_t n, const char *lang, int64_t now,
                       int64_t *id)
{
    static const char sql[] =
        "INSERT INTO feedback(page, message, sealed_contact, lang, state, created_at) "
        "VALUES (?1, ?2, ?3, ?4, 'new', ?5) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, page);
    q_text(&q, 2, message);
    if (sealed_contact)
        q_blob(&q, 3, sealed_contact, n);
    else
        q_null(&q, 3);
    q_text(&q, 4, lang);
    q_int(&q, 5, now);
    int rc = q_step(&q);
    if (rc == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

int store_feedback_list(struct store *st, const char *state, int64_t limit, json_t **out)
{
    static const char sql[] =
        "SELECT id, page, message, lang, state, created_at, sealed_contact IS NOT NULL "
        "FROM feedback WHERE (CAST(?1 AS TEXT) IS NULL OR state = ?1) ORDER BY id DESC LIMIT ?2";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, state);
    q_int(&q, 2, limit);
    json_t *arr = json_array();
    int rc;
    while ((rc = q_step(&q)) == 1) {
        char ts[21];
        time_iso(q_col_int(&q, 5), ts);
        const char *lang = q_col_text(&q, 3);
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:b}", "id",
                                             (json_int_t)q_col_int(&q, 0), "page",
                                             q_col_text(&q, 1), "message", q_col_text(&q, 2),
                                             "lang", lang ? json_string(lang) : json_null(),
                                             "state", q_col_text(&q, 4), "created_at", ts,
                                             "has_contact", (int)q_col_int(&q, 6)));
    }
    q_done(&q);
    if (rc < 0) {
        json_decref(arr);
        return -rc;
    }
    *out = arr;
    return VIGIL_OK;
}

int store_feedback_review(struct store *st, int64_t id, int64_t now)
{
    (void)now;
    static const char sql[] =
        "UPDATE feedback SET state = 'reviewed' WHERE id = ?1 AND state = 'new' RETURNING id";
    static const char seen[] = "SELECT 1 FROM feedback WHERE id = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    int rc = q_step(&q);
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (rc == 1)
        return VIGIL_OK;
    if (q_open(&q, st, seen))
        return q.rc;
    q_int(&q, 1, id);
    rc = q_step(&q);
    q_done(&q);
    if (rc < 0)
        return -rc;
    return rc == 1 ? VIGIL_ECONFLICT : VIGIL_ENOTFOUND;
}
