/*
 * The committee in the store: meetings with their attendees, measures with
 * their dated progress updates, and prevention activities (store.h, "the
 * committee"; 007_committee.sql). Agenda and decisions are kept as JSON
 * arrays in text columns: they are read and written whole, never queried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/err.h"
#include "util/timeutil.h"

static void set_text(json_t *o, const char *key, struct q *q, int col)
{
    json_object_set_new(o, key, q_col_null(q, col) ? json_null() : json_string(q_col_text(q, col)));
}

/* A JSON array column; a damaged value reads as []. */
static void set_array(json_t *o, const char *key, struct q *q, int col)
{
    const char *s = q_col_text(q, col);
    json_t *a = s ? json_loads(s, 0, NULL) : NULL;
    if (!json_is_array(a)) {
        json_decref(a);
        a = json_array();
    }
    json_object_set_new(o, key, a);
}

/* The text of an array in o for a JSON column, malloc'd; NULL when absent. */
static char *array_text(json_t *o, const char *key)
{
    json_t *a = json_object_get(o, key);
    return json_is_array(a) ? json_dumps(a, JSON_COMPACT) : NULL;
}

/* ---- meetings ---------------------------------------------------------- */

#define MEETING_SELECT                                                                             \
    "SELECT id, held_on, title, state, agenda, minutes, decisions, version, created_at, "          \
    "updated_at FROM meetings "

static int attendees_of(struct store *st, int64_t meeting_id, json_t **out)
{
    static const char sql[] = "SELECT o.code FROM meeting_attendees a JOIN organisations o ON "
                              "o.id = a.org_id WHERE a.meeting_id = ?1 ORDER BY o.code";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, meeting_id);
    json_t *arr = json_array();
    int rc;
    while ((rc = q_step(&q)) == 1)
        json_array_append_new(arr, json_string(q_col_text(&q, 0)));
    q_done(&q);
    if (rc < 0) {
        json_decref(arr);
        return -rc;
    }
    *out = arr;
    return VIGIL_OK;
}

/* A meeting row; attendees are added after the statement is done (a second
 * statement may not run while a PostgreSQL result is being read). */
static json_t *meeting_row(struct q *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    set_text(o, "held_on", q, 1);
    set_text(o, "title", q, 2);
    set_text(o, "state", q, 3);
    set_array(o, "agenda", q, 4);
    set_text(o, "minutes", q, 5);
    set_array(o, "decisions", q, 6);
    json_object_set_new(o, "version", json_integer(q_col_int(q, 7)));
    obj_set_time(o, "created_at", q_col_int(q, 8));
    obj_set_time(o, "updated_at", q_col_int(q, 9));
    return o;
}

static int add_attendees(struct store *st, json_t *meetings)
{
    size_t i;
    json_t *m;
    json_array_foreach(meetings, i, m)
    {
        json_t *a;
        int rc = attendees_of(st, json_integer_value(json_object_get(m, "id")), &a);
        if (rc)
            return rc;
        json_object_set_new(m, "attendees", a);
    }
    return VIGIL_OK;
}

static int set_attendees(struct store *st, int64_t meeting_id, json_t *ids)
{
    static const char del[] = "DELETE FROM meeting_attendees WHERE meeting_id = ?1";
    static const char ins[] = "INSERT INTO meeting_attendees(meeting_id, org_id) VALUES (?1, ?2)";
    struct q q;
    if (q_open(&q, st, del))
        return q.rc;
    q_int(&q, 1, meeting_id);
    int rc = q_exec(&q);
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        if (rc)
            break;
        /* a repeated organisation attends once */
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_array_get(ids, j)) == json_integer_value(v))
                seen = 1;
        if (seen)
            continue;
        if (q_open(&q, st, ins))
            return q.rc;
        q_int(&q, 1, meeting_id);
        q_int(&q, 2, json_integer_value(v));
        rc = q_exec(&q);
    }
    return rc;
}

int store_meeting_add(struct store *st, json_t *fields, int64_t user_id, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO meetings(held_on, title, state, agenda, minutes, decisions, version, "
        "created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?8) "
        "RETURNING id";
    char *agenda = array_text(fields, "agenda"), *decisions = array_text(fields, "decisions");
    const char *title = obj_text(fields, "title"), *minutes = obj_text(fields, "minutes");
    const char *state = obj_text(fields, "state");
    struct q q;
    int rc = q_open(&q, st, sql);
    if (!rc) {
        q_text(&q, 1, obj_text(fields, "held_on"));
        q_text(&q, 2, title ? title : "");
        q_text(&q, 3, state ? state : "planned");
        q_text(&q, 4, agenda ? agenda : "[]");
        q_text(&q, 5, minutes ? minutes : "");
        q_text(&q, 6, decisions ? decisions : "[]");
        if (user_id)
            q_int(&q, 7, user_id);
        else
            q_null(&q, 7);
        q_int(&q, 8, now);
        int s = q_step(&q);
        if (s == 1)
            *id = q_col_int(&q, 0);
        q_done(&q);
        rc = s < 0 ? -s : s == 1 ? VIGIL_OK : VIGIL_ESTORE;
    }
    free(agenda);
    free(decisions);
    json_t *ids = json_object_get(fields, "attendee_ids");
    if (!rc && json_is_array(ids))
        rc = set_attendees(st, *id, ids);
    return rc;
}

int store_meeting_get(struct store *st, int64_t id, json_t **out)
{
    static const char sql[] = MEETING_SELECT "WHERE id = ?1";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    json_t *arr;
    int rc = q_rows(&q, meeting_row, &arr);
    if (rc)
        return rc;
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return VIGIL_ENOTFOUND;
    }
    rc = add_attendees(st, arr);
    if (!rc)
        *out = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return rc;
}

int store_meeting_update(struct store *st, int64_t id, int64_t version, json_t *patch, int64_t now,
                         json_t **out)
{
    /* A NULL parameter keeps the column. */
    static const char sql[] =
        "UPDATE meetings SET held_on = COALESCE(?3, held_on), title = COALESCE(?4, title), "
        "state = COALESCE(?5, state), agenda = COALESCE(?6, agenda), "
        "minutes = COALESCE(?7, minutes), decisions = COALESCE(?8, decisions), "
        "version = version + 1, updated_at = ?9 WHERE id = ?1 AND version = ?2 RETURNING id";
    *out = NULL;
    char *agenda = array_text(patch, "agenda"), *decisions = array_text(patch, "decisions");
    struct q q;
    int rc = q_open(&q, st, sql);
    int s = 0;
    if (!rc) {
        q_int(&q, 1, id);
        q_int(&q, 2, version);
        q_text(&q, 3, obj_text(patch, "held_on"));
        q_text(&q, 4, obj_text(patch, "title"));
        q_text(&q, 5, obj_text(patch, "state"));
        q_text(&q, 6, agenda);
        q_text(&q, 7, obj_text(patch, "minutes"));
        q_text(&q, 8, decisions);
        q_int(&q, 9, now);
        s = q_step(&q);
        q_done(&q);
        if (s < 0)
            rc = -s;
    }
    free(agenda);
    free(decisions);
    if (rc)
        return rc;
    if (s == 0) { /* stale, or no such meeting */
        json_t *cur = NULL;
        int g = store_meeting_get(st, id, &cur);
        json_decref(cur);
        return g == VIGIL_OK ? VIGIL_ECONFLICT : g;
    }
    json_t *ids = json_object_get(patch, "attendee_ids");
    if (json_is_array(ids) && (rc = set_attendees(st, id, ids)))
        return rc;
    return store_meeting_get(st, id, out);
}

int store_meeting_list(struct store *st, const char *from, const char *to, int64_t limit,
                       json_t **out)
{
    static const char sql[] = MEETING_SELECT
        "WHERE (CAST(?1 AS TEXT) IS NULL OR held_on >= ?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR held_on <= ?2) ORDER BY held_on DESC, id DESC LIMIT ?3";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, from);
    q_text(&q, 2, to);
    q_int(&q, 3, limit > 0 ? limit : 1000);
    json_t *arr;
    int rc = q_rows(&q, meeting_row, &arr);
    if (!rc && (rc = add_attendees(st, arr)) != VIGIL_OK)
        json_decref(arr);
    if (!rc)
        *out = arr;
    return rc;
}

/* ---- measures ---------------------------------------------------------- */

/* The measure with its meeting's date and its latest progress update. */
#define MEASURE_SELECT                                                                             \
    "SELECT m.id, m.title, m.meeting_id, g.held_on, o.code, m.due_on, m.state, m.done_on, "        \
    "m.version, m.created_at, m.updated_at, u.updated_on, u.state, u.note "                        \
    "FROM measures m JOIN organisations o ON o.id = m.owner_org "                                  \
    "LEFT JOIN meetings g ON g.id = m.meeting_id "                                                 \
    "LEFT JOIN measure_updates u ON u.id = "                                                       \
    "(SELECT MAX(x.id) FROM measure_updates x WHERE x.measure_id = m.id) "

static json_t *measure_row(struct q *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    set_text(o, "title", q, 1);
    json_object_set_new(o, "meeting_id",
                        q_col_null(q, 2) ? json_null() : json_integer(q_col_int(q, 2)));
    set_text(o, "meeting_on", q, 3);
    set_text(o, "owner", q, 4);
    set_text(o, "due_on", q, 5);
    set_text(o, "state", q, 6);
    set_text(o, "done_on", q, 7);
    json_object_set_new(o, "version", json_integer(q_col_int(q, 8)));
    obj_set_time(o, "created_at", q_col_int(q, 9));
    obj_set_time(o, "updated_at", q_col_int(q, 10));
    if (q_col_null(q, 11)) {
        json_object_set_new(o, "last_update", json_null());
    } else {
        json_t *u = json_object();
        set_text(u, "updated_on", q, 11);
        set_text(u, "state", q, 12);
        set_text(u, "note", q, 13);
        json_object_set_new(o, "last_update", u);
    }
    return o;
}

/* The organisation id for fields[id_key], else for the code fields[code_key]
 * (VIGIL_EINVAL when no organisation has it). */
static int org_of(struct store *st, json_t *fields, const char *id_key, const char *code_key,
                  int64_t *org)
{
    json_t *v = json_object_get(fields, id_key);
    if (json_is_integer(v)) {
        *org = json_integer_value(v);
        return VIGIL_OK;
    }
    const char *code = obj_text(fields, code_key);
    struct org o;
    if (!code)
        return VIGIL_EINVAL;
    int rc = store_org_by_code(st, code, &o);
    if (rc == VIGIL_ENOTFOUND) {
        snprintf(st->err, sizeof st->err, "no organisation has the code %s", code);
        return VIGIL_EINVAL;
    }
    *org = o.id;
    return rc;
}

int store_measure_add(struct store *st, json_t *fields, int64_t user_id, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO measures(title, meeting_id, owner_org, due_on, state, done_on, version, "
        "created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?8) "
        "RETURNING id";
    int64_t owner = 0;
    int rc = org_of(st, fields, "owner_id", "owner", &owner);
    if (rc)
        return rc;
    const char *state = obj_text(fields, "state");
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, obj_text(fields, "title"));
    json_t *mid = json_object_get(fields, "meeting_id");
    if (json_is_integer(mid))
        q_int(&q, 2, json_integer_value(mid));
    else
        q_null(&q, 2);
    q_int(&q, 3, owner);
    q_text(&q, 4, obj_text(fields, "due_on"));
    q_text(&q, 5, state ? state : "open");
    q_text(&q, 6, obj_text(fields, "done_on"));
    if (user_id)
        q_int(&q, 7, user_id);
    else
        q_null(&q, 7);
    q_int(&q, 8, now);
    int s = q_step(&q);
    if (s == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    return s < 0 ? -s : s == 1 ? VIGIL_OK : VIGIL_ESTORE;
}

static json_t *update_row(struct q *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    set_text(o, "updated_on", q, 1);
    set_text(o, "state", q, 2);
    set_text(o, "note", q, 3);
    set_text(o, "by", q, 4);
    obj_set_time(o, "created_at", q_col_int(q, 5));
    return o;
}

int store_measure_get(struct store *st, int64_t id, json_t **out)
{
    static const char sql[] = MEASURE_SELECT "WHERE m.id = ?1";
    static const char upd[] =
        "SELECT u.id, u.updated_on, u.state, u.note, s.username, u.created_at FROM "
        "measure_updates u LEFT JOIN users s ON s.id = u.created_by WHERE u.measure_id = ?1 "
        "ORDER BY u.id";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    json_t *arr;
    int rc = q_rows(&q, measure_row, &arr);
    if (rc)
        return rc;
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return VIGIL_ENOTFOUND;
    }
    json_t *m = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    json_t *updates;
    if ((rc = q_open(&q, st, upd)) != VIGIL_OK) {
        json_decref(m);
        return rc;
    }
    q_int(&q, 1, id);
    if ((rc = q_rows(&q, update_row, &updates)) != VIGIL_OK) {
        json_decref(m);
        return rc;
    }
    json_object_set_new(m, "updates", updates);
    *out = m;
    return VIGIL_OK;
}

int store_measure_update(struct store *st, int64_t id, int64_t version, json_t *patch, int64_t now,
                         json_t **out)
{
    /* ?4: 1 sets the meeting to ?3 (which may be NULL: none), 0 keeps it. */
    static const char sql[] =
        "UPDATE measures SET title = COALESCE(?5, title), "
        "meeting_id = CASE WHEN ?4 = 1 THEN ?3 ELSE meeting_id END, "
        "owner_org = COALESCE(?6, owner_org), due_on = COALESCE(?7, due_on), "
        "state = COALESCE(?8, state), done_on = COALESCE(?9, done_on), "
        "version = version + 1, updated_at = ?10 WHERE id = ?1 AND version = ?2 RETURNING id";
    *out = NULL;
    int64_t owner = 0;
    if (json_object_get(patch, "owner") || json_object_get(patch, "owner_id")) {
        int rc = org_of(st, patch, "owner_id", "owner", &owner);
        if (rc)
            return rc;
    }
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_int(&q, 2, version);
    json_t *mid = json_object_get(patch, "meeting_id");
    if (json_is_integer(mid))
        q_int(&q, 3, json_integer_value(mid));
    else
        q_null(&q, 3);
    q_int(&q, 4, mid ? 1 : 0);
    q_text(&q, 5, obj_text(patch, "title"));
    if (owner)
        q_int(&q, 6, owner);
    else
        q_null(&q, 6);
    q_text(&q, 7, obj_text(patch, "due_on"));
    q_text(&q, 8, obj_text(patch, "state"));
    q_text(&q, 9, obj_text(patch, "done_on"));
    q_int(&q, 10, now);
    int s = q_step(&q);
    q_done(&q);
    if (s < 0)
        return -s;
    if (s == 0) {
        json_t *cur = NULL;
        int g = store_measure_get(st, id, &cur);
        json_decref(cur);
        return g == VIGIL_OK ? VIGIL_ECONFLICT : g;
    }
    return store_measure_get(st, id, out);
}

int store_measure_progress(struct store *st, int64_t id, const char *on, const char *state,
                           const char *note, int64_t user_id, int64_t now, int64_t *update_id)
{
    static const char ins[] =
        "INSERT INTO measure_updates(measure_id, updated_on, state, note, created_by, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    static const char upd[] =
        "UPDATE measures SET state = ?2, done_on = COALESCE(?3, done_on), version = version + 1, "
        "updated_at = ?4 WHERE id = ?1";
    struct q q;
    if (q_open(&q, st, ins))
        return q.rc;
    q_int(&q, 1, id);
    q_text(&q, 2, on);
    q_text(&q, 3, state);
    q_text(&q, 4, note ? note : "");
    if (user_id)
        q_int(&q, 5, user_id);
    else
        q_null(&q, 5);
    q_int(&q, 6, now);
    int s = q_step(&q);
    if (s == 1)
        *update_id = q_col_int(&q, 0);
    q_done(&q);
    if (s != 1)
        return s < 0 ? -s : VIGIL_ESTORE;
    if (q_open(&q, st, upd))
        return q.rc;
    q_int(&q, 1, id);
    q_text(&q, 2, state);
    q_text(&q, 3, strcmp(state, "done") == 0 ? on : NULL);
    q_int(&q, 4, now);
    return q_exec(&q);
}

int store_measure_list(struct store *st, const char *state, const char *owner_code, json_t **out)
{
    static const char sql[] = MEASURE_SELECT "WHERE (CAST(?1 AS TEXT) IS NULL OR m.state = ?1) "
                                             "AND (CAST(?2 AS TEXT) IS NULL OR o.code = ?2) "
                                             "ORDER BY m.due_on, m.id";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, state);
    q_text(&q, 2, owner_code);
    return q_rows(&q, measure_row, out);
}

int store_measure_overdue(struct store *st, const char *today, json_t **out)
{
    static const char sql[] = MEASURE_SELECT "WHERE m.state IN ('open', 'in_progress') "
                                             "AND m.due_on < ?1 ORDER BY m.due_on, m.id";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, today);
    return q_rows(&q, measure_row, out);
}

/* ---- activities -------------------------------------------------------- */

static json_t *activity_row(struct q *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    set_text(o, "kind", q, 1);
    set_text(o, "org", q, 2);
    set_text(o, "held_on", q, 3);
    set_text(o, "title", q, 4);
    static const char *const counts[] = {"sites", "workers_reached", "officials_trained",
                                         "people_reached"};
    for (int i = 0; i < 4; i++)
        json_object_set_new(o, counts[i], json_integer(q_col_int(q, 5 + i)));
    obj_set_time(o, "created_at", q_col_int(q, 9));
    return o;
}

int store_activity_add(struct store *st, json_t *fields, int64_t user_id, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO activities(kind, org_id, held_on, title, sites, workers_reached, "
        "officials_trained, people_reached, created_by, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id";
    int64_t org = 0;
    int rc = org_of(st, fields, "org_id", "org", &org);
    if (rc)
        return rc;
    const char *title = obj_text(fields, "title");
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, obj_text(fields, "kind"));
    q_int(&q, 2, org);
    q_text(&q, 3, obj_text(fields, "held_on"));
    q_text(&q, 4, title ? title : "");
    static const char *const counts[] = {"sites", "workers_reached", "officials_trained",
                                         "people_reached"};
    for (int i = 0; i < 4; i++)
        q_int(&q, 5 + i, json_integer_value(json_object_get(fields, counts[i])));
    if (user_id)
        q_int(&q, 9, user_id);
    else
        q_null(&q, 9);
    q_int(&q, 10, now);
    int s = q_step(&q);
    if (s == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    return s < 0 ? -s : s == 1 ? VIGIL_OK : VIGIL_ESTORE;
}

int store_activity_list(struct store *st, const char *from, const char *to, const char *kind,
                        json_t **out)
{
    static const char sql[] =
        "SELECT a.id, a.kind, o.code, a.held_on, a.title, a.sites, a.workers_reached, "
        "a.officials_trained, a.people_reached, a.created_at FROM activities a "
        "JOIN organisations o ON o.id = a.org_id "
        "WHERE (CAST(?1 AS TEXT) IS NULL OR a.held_on >= ?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR a.held_on <= ?2) "
        "AND (CAST(?3 AS TEXT) IS NULL OR a.kind = ?3) ORDER BY a.held_on, a.id";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, from);
    q_text(&q, 2, to);
    q_text(&q, 3, kind);
    return q_rows(&q, activity_row, out);
}
