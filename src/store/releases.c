/* Privacy-preserving releases in the store, and the imported datasets they
 * can be made from (see store.h, "releases"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/err.h"
#include "util/timeutil.h"

#define DATASET_SELECT                                                                             \
    "SELECT id, name, format, imported_at, imported_by, rows_imported FROM datasets "

static json_t *dataset_row(struct q *q)
{
    char ts[21];
    time_iso(q_col_int(q, 3), ts);
    const char *name = q_col_text(q, 1), *fmt = q_col_text(q, 2), *by = q_col_text(q, 4);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)q_col_int(q, 0), "name",
                     name ? name : "", "format", fmt ? fmt : "", "imported_at", ts, "imported_by",
                     by ? by : "", "rows_imported", (json_int_t)q_col_int(q, 5));
}

int store_dataset_list(struct store *st, json_t **out)
{
    static const char sql[] = DATASET_SELECT "ORDER BY id DESC";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    return q_rows(&q, dataset_row, out);
}

int store_dataset_get(struct store *st, int64_t id, json_t **out)
{
    static const char sql[] = DATASET_SELECT "WHERE id = ?1";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    int rc = q_step(&q);
    if (rc == 1)
        *out = dataset_row(&q);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_stat_record_scan(struct store *st, int64_t dataset_id,
                           int (*fn)(void *ctx, int64_t line, const char *attrs), void *ctx)
{
    static const char sql[] =
        "SELECT line, attrs FROM stat_records WHERE dataset_id = ?1 ORDER BY line";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, dataset_id);
    size_t n = 0, cap = 0;
    int64_t *lines = NULL;
    char **attrs = NULL;
    int rc;
    while ((rc = q_step(&q)) == 1) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 256;
            int64_t *l = realloc(lines, nc * sizeof *l);
            if (l)
                lines = l;
            char **a = realloc(attrs, nc * sizeof *a);
            if (a)
                attrs = a;
            if (!l || !a) {
                rc = -VIGIL_ENOMEM;
                break;
            }
            cap = nc;
        }
        const char *t = q_col_text(&q, 1);
        attrs[n] = strdup(t ? t : "{}");
        if (!attrs[n]) {
            rc = -VIGIL_ENOMEM;
            break;
        }
        lines[n++] = q_col_int(&q, 0);
    }
    q_done(&q);
    int stop = 0;
    for (size_t i = 0; rc >= 0 && i < n && !stop; i++)
        stop = fn(ctx, lines[i], attrs[i]);
    for (size_t i = 0; i < n; i++)
        free(attrs[i]);
    free(attrs);
    free(lines);
    if (rc < 0)
        return -rc;
    return stop;
}

int store_release_add(struct store *st, const struct release_meta *m, int64_t user_id, int64_t now,
                      int64_t *id)
{
    static const char sql[] =
        "INSERT INTO releases(source, mode, k, length, epsilon, delta, records, summary, "
        "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, m->source);
    q_text(&q, 2, m->mode);
    q_int(&q, 3, m->k);
    q_int(&q, 4, m->length);
    q_text(&q, 5, m->epsilon);
    q_text(&q, 6, m->delta);
    q_int(&q, 7, m->records);
    q_text(&q, 8, m->summary ? m->summary : "{}");
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

int store_release_file_add(struct store *st, int64_t release_id, const char *name, const void *data,
                           size_t len)
{
    static const char sql[] =
        "INSERT INTO release_files(release_id, name, content) VALUES (?1, ?2, ?3)";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, release_id);
    q_text(&q, 2, name);
    q_blob(&q, 3, len ? data : "", len);
    return q_exec(&q);
}

#define RELEASE_SELECT                                                                             \
    "SELECT r.id, r.source, r.mode, r.k, r.length, r.epsilon, r.delta, r.records, "                \
    "COALESCE(u.username, ''), r.created_at, r.summary FROM releases r "                           \
    "LEFT JOIN users u ON u.id = r.created_by "

static json_t *num_or_null(const char *s)
{
    if (!s)
        return json_null();
    char *end;
    double v = strtod(s, &end);
    return *end ? json_null() : json_real(v);
}

static json_t *release_row(struct q *q, int with_summary)
{
    char ts[21];
    time_iso(q_col_int(q, 9), ts);
    const char *src = q_col_text(q, 1), *mode = q_col_text(q, 2), *by = q_col_text(q, 8);
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:I,s:I,s:o,s:o,s:I,s:s,s:s}", "id", (json_int_t)q_col_int(q, 0),
                  "source", src ? src : "", "mode", mode ? mode : "", "k",
                  (json_int_t)q_col_int(q, 3), "length", (json_int_t)q_col_int(q, 4), "epsilon",
                  num_or_null(q_col_text(q, 5)), "delta", num_or_null(q_col_text(q, 6)), "records",
                  (json_int_t)q_col_int(q, 7), "created_by", by ? by : "", "created_at", ts);
    if (with_summary) {
        const char *s = q_col_text(q, 10);
        json_t *sum = s ? json_loads(s, 0, NULL) : NULL;
        json_object_set_new(o, "evaluation", sum ? sum : json_object());
    }
    return o;
}

int store_release_get(struct store *st, int64_t id, json_t **out)
{
    static const char sql[] = RELEASE_SELECT "WHERE r.id = ?1";
    static const char files_sql[] = "SELECT name, LENGTH(content) FROM release_files "
                                    "WHERE release_id = ?1 ORDER BY name";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    int rc = q_step(&q);
    json_t *o = rc == 1 ? release_row(&q, 1) : NULL;
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (!o)
        return VIGIL_ENOTFOUND;
    if (q_open(&q, st, files_sql)) {
        json_decref(o);
        return q.rc;
    }
    q_int(&q, 1, id);
    json_t *files = json_array();
    while ((rc = q_step(&q)) == 1)
        json_array_append_new(files, json_pack("{s:s,s:I}", "name", q_col_text(&q, 0), "size",
                                               (json_int_t)q_col_int(&q, 1)));
    q_done(&q);
    json_object_set_new(o, "files", files);
    if (rc < 0) {
        json_decref(o);
        return -rc;
    }
    *out = o;
    return VIGIL_OK;
}

int store_release_list(struct store *st, int64_t limit, json_t **out)
{
    static const char sql[] = RELEASE_SELECT "ORDER BY r.id DESC LIMIT ?1";
    struct q q;
    *out = NULL;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, limit);
    json_t *arr = json_array();
    int rc;
    while ((rc = q_step(&q)) == 1)
        json_array_append_new(arr, release_row(&q, 0));
    q_done(&q);
    if (rc < 0) {
        json_decref(arr);
        return -rc;
    }
    *out = arr;
    return VIGIL_OK;
}

int store_release_file(struct store *st, int64_t release_id, const char *name, void **data,
                       size_t *len)
{
    static const char sql[] =
        "SELECT content FROM release_files WHERE release_id = ?1 AND name = ?2";
    struct q q;
    *data = NULL;
    *len = 0;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, release_id);
    q_text(&q, 2, name);
    int rc = q_step(&q);
    if (rc == 1) {
        size_t n = 0;
        const void *b = q_col_blob(&q, 0, &n);
        *data = malloc(n ? n : 1);
        if (*data) {
            if (n)
                memcpy(*data, b, n);
            *len = n;
        } else {
            rc = -VIGIL_ENOMEM;
        }
    }
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}
