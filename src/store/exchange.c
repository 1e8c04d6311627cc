/* The store side of data exchange: scanning persons for export, and imported
 * statistical datasets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/err.h"

int store_person_scan(struct store *st, int (*fn)(void *ctx, json_t *c, const struct person_row *p),
                      void *ctx)
{
    static const char sql[] =
        "SELECT " PERSON_COLS " FROM persons p WHERE COALESCE((SELECT k.granted FROM consents k "
        "WHERE k.person_id = p.id AND k.purpose = 'data_sharing' ORDER BY k.id DESC LIMIT 1), "
        "1) = 1 ORDER BY p.case_id, p.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    int rc, stop = 0;
    int64_t cur_case = 0;
    json_t *c = NULL;
    /* All rows first, then the cases: a second statement cannot run while this
     * one is open on every driver. */
    struct person_row *rows;
    size_t n;
    if ((rc = person_rows_read(&q, &rows, &n)))
        return rc;
    for (size_t i = 0; i < n && !stop; i++) {
        if (rows[i].case_id != cur_case) {
            json_decref(c);
            c = NULL;
            cur_case = rows[i].case_id;
            if ((rc = store_case_get(st, cur_case, &c)))
                break;
        }
        stop = fn(ctx, c, &rows[i]);
    }
    json_decref(c);
    store_person_rows_free(rows, n);
    if (rc > 0)
        return rc;
    return stop;
}

int store_dataset_add(struct store *st, const char *name, const char *format, const char *by,
                      int64_t now, int64_t *id)
{
    static const char sql[] = "INSERT INTO datasets(name, format, imported_at, imported_by) "
                              "VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, name);
    q_text(&q, 2, format);
    q_int(&q, 3, now);
    q_text(&q, 4, by);
    int rc = q_step(&q);
    if (rc == 1)
        *id = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

int store_dataset_finish(struct store *st, int64_t id, int64_t read, int64_t imported,
                         int64_t rejected)
{
    static const char sql[] = "UPDATE datasets SET rows_read = ?2, rows_imported = ?3, "
                              "rows_rejected = ?4 WHERE id = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_int(&q, 2, read);
    q_int(&q, 3, imported);
    q_int(&q, 4, rejected);
    return q_exec(&q);
}

int store_stat_record_add(struct store *st, int64_t dataset_id, int64_t line, const char *attrs)
{
    static const char sql[] =
        "INSERT INTO stat_records(dataset_id, line, attrs) VALUES (?1, ?2, ?3)";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, dataset_id);
    q_int(&q, 2, line);
    q_text(&q, 3, attrs);
    return q_exec(&q);
}

int store_stat_record_count(struct store *st, int64_t dataset_id, int64_t *n)
{
    static const char sql[] = "SELECT COUNT(*) FROM stat_records WHERE dataset_id = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, dataset_id);
    int rc = q_step(&q);
    if (rc == 1)
        *n = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}
