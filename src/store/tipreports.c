/* TIP reports, their recommendations, the measures that answer them and the
 * figures that evidence them (011_tip_reports.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/err.h"
#include "util/timeutil.h"

static void set_text(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, v ? json_string(v) : json_null());
}

/* ---- reports --------------------------------------------------------------- */

#define REPORT_SELECT                                                                              \
    "SELECT id, year, tier, published_on, period_from, period_to, notes_en, notes_zh, notes_pt, "  \
    "version, created_at, updated_at FROM tip_reports "

static json_t *report_row(struct q *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    json_object_set_new(o, "year", json_integer(q_col_int(q, 1)));
    set_text(o, "tier", q_col_text(q, 2));
    set_text(o, "published_on", q_col_text(q, 3));
    set_text(o, "period_from", q_col_text(q, 4));
    set_text(o, "period_to", q_col_text(q, 5));
    set_text(o, "notes_en", q_col_text(q, 6));
    set_text(o, "notes_zh", q_col_text(q, 7));
    set_text(o, "notes_pt", q_col_text(q, 8));
    json_object_set_new(o, "version", json_integer(q_col_int(q, 9)));
    obj_set_time(o, "created_at", q_col_int(q, 10));
    obj_set_time(o, "updated_at", q_col_int(q, 11));
    return o;
}

static int report_one(struct q *q, json_t **out)
{
    int rc = q_step(q);
    if (rc == 1)
        *out = report_row(q);
    q_done(q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_tipreport_add(struct store *st, json_t *f, const char *from, const char *to,
                        int64_t user_id, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO tip_reports(year, tier, published_on, period_from, period_to, notes_en, "
        "notes_zh, notes_pt, version, created_by, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10, ?10) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, json_integer_value(json_object_get(f, "year")));
    q_text(&q, 2, obj_text(f, "tier"));
    q_text(&q, 3, obj_text(f, "published_on"));
    q_text(&q, 4, from);
    q_text(&q, 5, to);
    const char *notes[] = {"notes_en", "notes_zh", "notes_pt"};
    for (int i = 0; i < 3; i++)
        q_text(&q, 6 + i, obj_text(f, notes[i]) ? obj_text(f, notes[i]) : "");
    if (user_id)
        q_int(&q, 9, user_id);
    else
        q_null(&q, 9);
    q_int(&q, 10, now);
    int rc = q_step(&q);
    if (rc == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ESTORE;
}

int store_tipreport_get(struct store *st, int64_t id, json_t **out)
{
    static const char sql[] = REPORT_SELECT "WHERE id = ?1";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    return report_one(&q, out);
}

int store_tipreport_by_year(struct store *st, int year, json_t **out)
{
    static const char sql[] = REPORT_SELECT "WHERE year = ?1";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, year);
    return report_one(&q, out);
}

int store_tipreport_list(struct store *st, json_t **out)
{
    static const char sql[] = REPORT_SELECT "ORDER BY year DESC";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    return q_rows(&q, report_row, out);
}

int store_tipreport_update(struct store *st, int64_t id, int64_t version, json_t *patch,
                           int64_t now, json_t **out)
{
    /* A NULL parameter keeps the column; ?4 = 1 clears the publication date. */
    static const char sql[] =
        "UPDATE tip_reports SET tier = COALESCE(?3, tier), "
        "published_on = CASE WHEN ?4 = 1 THEN NULL ELSE COALESCE(?5, published_on) END, "
        "notes_en = COALESCE(?6, notes_en), notes_zh = COALESCE(?7, notes_zh), "
        "notes_pt = COALESCE(?8, notes_pt), version = version + 1, updated_at = ?9 "
        "WHERE id = ?1 AND version = ?2 RETURNING id";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_int(&q, 2, version);
    q_text(&q, 3, obj_text(patch, "tier"));
    q_int(&q, 4, json_is_null(json_object_get(patch, "published_on")));
    q_text(&q, 5, obj_text(patch, "published_on"));
    const char *notes[] = {"notes_en", "notes_zh", "notes_pt"};
    for (int i = 0; i < 3; i++)
        q_text(&q, 6 + i,
               json_is_null(json_object_get(patch, notes[i])) ? "" : obj_text(patch, notes[i]));
    q_int(&q, 9, now);
    int rc = q_step(&q);
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (rc == 0) {
        json_t *cur = NULL;
        int g = store_tipreport_get(st, id, &cur);
        json_decref(cur);
        return g == VIGIL_OK ? VIGIL_ECONFLICT : g;
    }
    return store_tipreport_get(st, id, out);
}

/* ---- recommendations --------------------------------------------------------- */

static const char *const rec_text[] = {"text_en",     "text_zh",     "text_pt",
                                       "position_en", "position_zh", "position_pt"};
#define NREC_TEXT 6

#define REC_SELECT                                                                                 \
    "SELECT r.id, r.report_id, r.seq, r.text_en, r.text_zh, r.text_pt, r.position_en, "            \
    "r.position_zh, r.position_pt, r.assessment, r.version, r.created_at, r.updated_at, "          \
    "(SELECT COUNT(*) FROM recommendation_measures l WHERE l.recommendation_id = r.id), "          \
    "(SELECT COUNT(*) FROM recommendation_measures l JOIN measures m ON m.id = l.measure_id "      \
    " WHERE l.recommendation_id = r.id AND m.state IN ('in_progress', 'done')), "                  \
    "(SELECT COUNT(*) FROM recommendation_measures l JOIN measures m ON m.id = l.measure_id "      \
    " WHERE l.recommendation_id = r.id AND m.state = 'done') "                                     \
    "FROM tip_recommendations r "

static json_t *rec_row(struct q *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    json_object_set_new(o, "report_id", json_integer(q_col_int(q, 1)));
    json_object_set_new(o, "seq", json_integer(q_col_int(q, 2)));
    for (int i = 0; i < NREC_TEXT; i++) {
        const char *v = q_col_text(q, 3 + i);
        json_object_set_new(o, rec_text[i], json_string(v ? v : ""));
    }
    set_text(o, "assessment", q_col_text(q, 9));
    json_object_set_new(o, "version", json_integer(q_col_int(q, 10)));
    obj_set_time(o, "created_at", q_col_int(q, 11));
    obj_set_time(o, "updated_at", q_col_int(q, 12));
    json_object_set_new(o, "measures_total", json_integer(q_col_int(q, 13)));
    json_object_set_new(o, "measures_begun", json_integer(q_col_int(q, 14)));
    json_object_set_new(o, "measures_done", json_integer(q_col_int(q, 15)));
    return o;
}

/* The linked measures and the figures of a recommendation, added to o. */
static int rec_links(struct store *st, json_t *o)
{
    static const char ms[] =
        "SELECT m.id, m.title, m.state, o.code, m.due_on, m.done_on, "
        "(SELECT u.note FROM measure_updates u WHERE u.measure_id = m.id ORDER BY u.id DESC "
        " LIMIT 1), "
        "(SELECT u.updated_on FROM measure_updates u WHERE u.measure_id = m.id "
        " ORDER BY u.id DESC LIMIT 1) "
        "FROM recommendation_measures l JOIN measures m ON m.id = l.measure_id "
        "JOIN organisations o ON o.id = m.owner_org WHERE l.recommendation_id = ?1 "
        "ORDER BY m.due_on, m.id";
    static const char fs[] =
        "SELECT id, label_en, label_zh, label_pt, stat_table, stat_row, stat_column, period "
        "FROM recommendation_figures WHERE recommendation_id = ?1 ORDER BY id";
    int64_t id = json_integer_value(json_object_get(o, "id"));
    struct q q;
    if (q_open(&q, st, ms))
        return q.rc;
    q_int(&q, 1, id);
    json_t *arr = json_array();
    int rc;
    while ((rc = q_step(&q)) == 1) {
        json_t *m = json_object();
        json_object_set_new(m, "id", json_integer(q_col_int(&q, 0)));
        set_text(m, "title", q_col_text(&q, 1));
        set_text(m, "state", q_col_text(&q, 2));
        set_text(m, "owner", q_col_text(&q, 3));
        set_text(m, "due_on", q_col_text(&q, 4));
        set_text(m, "done_on", q_col_text(&q, 5));
        set_text(m, "last_note", q_col_text(&q, 6));
        set_text(m, "last_update_on", q_col_text(&q, 7));
        json_array_append_new(arr, m);
    }
    q_done(&q);
    json_object_set_new(o, "measures", arr);
    if (rc < 0)
        return -rc;
    if (q_open(&q, st, fs))
        return q.rc;
    q_int(&q, 1, id);
    arr = json_array();
    while ((rc = q_step(&q)) == 1) {
        json_t *f = json_object();
        json_object_set_new(f, "id", json_integer(q_col_int(&q, 0)));
        set_text(f, "label_en", q_col_text(&q, 1));
        set_text(f, "label_zh", q_col_text(&q, 2));
        set_text(f, "label_pt", q_col_text(&q, 3));
        set_text(f, "table", q_col_text(&q, 4));
        set_text(f, "row", q_col_text(&q, 5));
        set_text(f, "column", q_col_text(&q, 6));
        set_text(f, "period", q_col_text(&q, 7));
        json_array_append_new(arr, f);
    }
    q_done(&q);
    json_object_set_new(o, "figures", arr);
    return rc < 0 ? -rc : VIGIL_OK;
}

int store_recommendation_add(struct store *st, int64_t report_id, json_t *f, int64_t now,
                             int64_t *id)
{
    static const char sql[] =
        "INSERT INTO tip_recommendations(report_id, seq, text_en, text_zh, text_pt, position_en, "
        "position_zh, position_pt, assessment, version, created_at, updated_at) "
        "VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM tip_recommendations "
        "WHERE report_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, report_id);
    for (int i = 0; i < NREC_TEXT; i++)
        q_text(&q, 2 + i, obj_text(f, rec_text[i]) ? obj_text(f, rec_text[i]) : "");
    q_text(&q, 8, obj_text(f, "assessment"));
    q_int(&q, 9, now);
    int rc = q_step(&q);
    if (rc == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ESTORE;
}

int store_recommendation_get(struct store *st, int64_t id, json_t **out)
{
    static const char sql[] = REC_SELECT "WHERE r.id = ?1";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    int rc = q_step(&q);
    json_t *o = rc == 1 ? rec_row(&q) : NULL;
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (!o)
        return VIGIL_ENOTFOUND;
    if ((rc = rec_links(st, o))) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return VIGIL_OK;
}

int store_recommendation_list(struct store *st, int64_t report_id, json_t **out)
{
    static const char sql[] = REC_SELECT "WHERE r.report_id = ?1 ORDER BY r.seq";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, report_id);
    json_t *arr;
    int rc = q_rows(&q, rec_row, &arr);
    if (rc)
        return rc;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        if ((rc = rec_links(st, o))) {
            json_decref(arr);
            return rc;
        }
    }
    *out = arr;
    return VIGIL_OK;
}

int store_recommendation_update(struct store *st, int64_t id, int64_t version, json_t *patch,
                                int64_t now, json_t **out)
{
    /* A NULL text keeps the column ("" clears); ?9 = 1 sets the assessment
     * to ?10 (NULL: back to the measures' state). */
    static const char sql[] =
        "UPDATE tip_recommendations SET text_en = COALESCE(?3, text_en), "
        "text_zh = COALESCE(?4, text_zh), text_pt = COALESCE(?5, text_pt), "
        "position_en = COALESCE(?6, position_en), position_zh = COALESCE(?7, position_zh), "
        "position_pt = COALESCE(?8, position_pt), "
        "assessment = CASE WHEN ?9 = 1 THEN CAST(?10 AS TEXT) ELSE assessment END, "
        "version = version + 1, updated_at = ?11 WHERE id = ?1 AND version = ?2 RETURNING id";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_int(&q, 2, version);
    for (int i = 0; i < NREC_TEXT; i++)
        q_text(&q, 3 + i,
               json_is_null(json_object_get(patch, rec_text[i])) ? ""
                                                                 : obj_text(patch, rec_text[i]));
    q_int(&q, 9, json_object_get(patch, "assessment") != NULL);
    q_text(&q, 10, obj_text(patch, "assessment"));
    q_int(&q, 11, now);
    int rc = q_step(&q);
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (rc == 0) {
        json_t *cur = NULL;
        int g = store_recommendation_get(st, id, &cur);
        json_decref(cur);
        return g == VIGIL_OK ? VIGIL_ECONFLICT : g;
    }
    return store_recommendation_get(st, id, out);
}

int store_recommendation_set_measures(struct store *st, int64_t id, const int64_t *ids, size_t n)
{
    static const char del[] = "DELETE FROM recommendation_measures WHERE recommendation_id = ?1";
    static const char seen[] = "SELECT 1 FROM measures WHERE id = ?1";
    static const char ins[] =
        "INSERT INTO recommendation_measures(recommendation_id, measure_id) VALUES (?1, ?2) "
        "ON CONFLICT DO NOTHING";
    struct q q;
    if (q_open(&q, st, del))
        return q.rc;
    q_int(&q, 1, id);
    int rc = q_exec(&q);
    for (size_t i = 0; !rc && i < n; i++) {
        if (q_open(&q, st, seen))
            return q.rc;
        q_int(&q, 1, ids[i]);
        int found = q_step(&q);
        q_done(&q);
        if (found < 0)
            return -found;
        if (found == 0)
            return VIGIL_ENOTFOUND;
        if (q_open(&q, st, ins))
            return q.rc;
        q_int(&q, 1, id);
        q_int(&q, 2, ids[i]);
        rc = q_exec(&q);
    }
    return rc;
}

int store_recommendation_figure_add(struct store *st, int64_t rec_id, json_t *f, int64_t now,
                                    int64_t *id)
{
    static const char sql[] =
        "INSERT INTO recommendation_figures(recommendation_id, label_en, label_zh, label_pt, "
        "stat_table, stat_row, stat_column, period, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, rec_id);
    q_text(&q, 2, obj_text(f, "label_en"));
    q_text(&q, 3, obj_text(f, "label_zh") ? obj_text(f, "label_zh") : "");
    q_text(&q, 4, obj_text(f, "label_pt") ? obj_text(f, "label_pt") : "");
    q_text(&q, 5, obj_text(f, "table"));
    q_text(&q, 6, obj_text(f, "row"));
    q_text(&q, 7, obj_text(f, "column") ? obj_text(f, "column") : "count");
    q_text(&q, 8, obj_text(f, "period") ? obj_text(f, "period") : "tip");
    q_int(&q, 9, now);
    int rc = q_step(&q);
    if (rc == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ESTORE;
}
