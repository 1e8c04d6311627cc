/* Public statements in the store: drafts, edits at a version, publishing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/err.h"
#include "util/timeutil.h"

/* The text columns, in the order of STATEMENT_SELECT and of the update's
 * parameters ?3..?8. */
static const char *const text_cols[] = {"title_zh", "body_zh",  "title_pt",
                                        "body_pt",  "title_en", "body_en"};
#define NTEXT 6

#define STATEMENT_SELECT                                                                           \
    "SELECT id, state, published_at, version, created_at, updated_at, title_zh, body_zh, "         \
    "title_pt, body_pt, title_en, body_en FROM statements "

static json_t *statement_row(struct q *q)
{
    char ts[21];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    json_object_set_new(o, "state", json_string(q_col_text(q, 1)));
    if (q_col_null(q, 2)) {
        json_object_set_new(o, "published_at", json_null());
    } else {
        time_iso(q_col_int(q, 2), ts);
        json_object_set_new(o, "published_at", json_string(ts));
    }
    json_object_set_new(o, "version", json_integer(q_col_int(q, 3)));
    time_iso(q_col_int(q, 4), ts);
    json_object_set_new(o, "created_at", json_string(ts));
    time_iso(q_col_int(q, 5), ts);
    json_object_set_new(o, "updated_at", json_string(ts));
    for (int i = 0; i < NTEXT; i++) {
        const char *v = q_col_text(q, 6 + i);
        json_object_set_new(o, text_cols[i], json_string(v ? v : ""));
    }
    return o;
}

int store_statement_add(struct store *st, json_t *fields, int64_t user_id, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO statements(title_zh, body_zh, title_pt, body_pt, title_en, body_en, "
        "state, version, created_by, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', 1, ?7, ?8, ?8) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    for (int i = 0; i < NTEXT; i++) {
        const char *v = obj_text(fields, text_cols[i]);
        q_text(&q, i + 1, v ? v : "");
    }
    if (user_id)
        q_int(&q, 7, user_id);
    else
        q_null(&q, 7);
    q_int(&q, 8, now);
    int rc = q_step(&q);
    if (rc == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ESTORE;
}

int store_statement_get(struct store *st, int64_t id, json_t **out)
{
    static const char sql[] = STATEMENT_SELECT "WHERE id = ?1";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    int rc = q_step(&q);
    if (rc == 1)
        *out = statement_row(&q);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_statement_update(struct store *st, int64_t id, int64_t version, json_t *patch,
                           int64_t now, json_t **out)
{
    /* A NULL parameter keeps the column; "" clears a translation. */
    static const char sql[] =
        "UPDATE statements SET title_zh = COALESCE(?3, title_zh), body_zh = COALESCE(?4, body_zh), "
        "title_pt = COALESCE(?5, title_pt), body_pt = COALESCE(?6, body_pt), "
        "title_en = COALESCE(?7, title_en), body_en = COALESCE(?8, body_en), "
        "version = version + 1, updated_at = ?9 WHERE id = ?1 AND version = ?2 RETURNING id";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_int(&q, 2, version);
    for (int i = 0; i < NTEXT; i++) {
        json_t *v = json_object_get(patch, text_cols[i]);
        if (json_is_null(v))
            q_text(&q, i + 3, "");
        else
            q_text(&q, i + 3, obj_text(patch, text_cols[i]));
    }
    q_int(&q, 9, now);
    int rc = q_step(&q);
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (rc == 0) { /* stale, or no such statement */
        json_t *cur = NULL;
        int g = store_statement_get(st, id, &cur);
        json_decref(cur);
        return g == VIGIL_OK ? VIGIL_ECONFLICT : g;
    }
    return store_statement_get(st, id, out);
}

int store_statement_publish(struct store *st, int64_t id, int64_t now, json_t **out)
{
    /* Publishing again keeps the first publication date and the version. */
    static const char sql[] =
        "UPDATE statements SET state = 'published', published_at = ?2, version = version + 1, "
        "updated_at = ?2 WHERE id = ?1 AND state = 'draft'";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_int(&q, 2, now);
    int rc = q_exec(&q);
    if (rc)
        return rc;
    return store_statement_get(st, id, out);
}

int store_statement_list(struct store *st, const char *state, int64_t limit, json_t **out)
{
    static const char sql[] =
        STATEMENT_SELECT "WHERE (CAST(?1 AS TEXT) IS NULL OR state = ?1) "
                         "ORDER BY COALESCE(published_at, updated_at) DESC, id DESC LIMIT ?2";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, state);
    q_int(&q, 2, limit);
    return q_rows(&q, statement_row, out);
}
