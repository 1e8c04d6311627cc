/* Cases, persons, notes and referrals in the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/case.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"

/* JSON key <-> column, for the case fields a client may set. */
static const struct {
    const char *key, *col;
} case_cols[] = {
    {"cas_Status", "status"},
    {"stage", "stage"},
    {"category", "category"},
    {"source", "source"},
    {"opened_on", "opened_on"},
    {"closed_on", "closed_on"},
    {"place_of_recruitment", "recruitment_place"},
    {"country_of_recruitment", "recruitment_country"},
    {"place_of_exploitation", "exploitation_place"},
    {"country_of_exploitation", "exploitation_country"},
    {"cas_ReasonForCaseClosure", "closure_reason"},
};
#define NCASE_COLS (sizeof case_cols / sizeof case_cols[0])

#define CASE_SELECT                                                                           \
    "SELECT c.id, c.reference, c.version, o.code, c.created_at, c.updated_at, c.status, "     \
    "c.stage, c.category, c.source, c.opened_on, c.closed_on, c.recruitment_place, "          \
    "c.recruitment_country, c.exploitation_place, c.exploitation_country, c.closure_reason "   \
    "FROM cases c JOIN organisations o ON o.id = c.org_id "
#define CASE_FIRST_COL 6

static json_t *case_row(struct q *q)
{
    char ts[21];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q_col_int(q, 0)));
    json_object_set_new(o, "reference", json_string(q_col_text(q, 1)));
    json_object_set_new(o, "version", json_integer(q_col_int(q, 2)));
    json_object_set_new(o, "organisation", json_string(q_col_text(q, 3)));
    time_iso(q_col_int(q, 4), ts);
    json_object_set_new(o, "created_at", json_string(ts));
    time_iso(q_col_int(q, 5), ts);
    json_object_set_new(o, "updated_at", json_string(ts));
    for (size_t i = 0; i < NCASE_COLS; i++) {
        const char *v = q_col_text(q, CASE_FIRST_COL + (int)i);
        json_object_set_new(o, case_cols[i].key, v ? json_string(v) : json_null());
    }
    return o;
}

static int next_seq(struct store *st, int year, int64_t *seq)
{
    static const char sql[] = "SELECT COALESCE(MAX(ref_seq), 0) + 1 FROM cases WHERE ref_year = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, year);
    int rc = q_step(&q);
    if (rc == 1)
        *seq = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

int store_case_create(struct store *st, json_t *c, int64_t org_id, int64_t user_id, int64_t now,
                      json_t **out)
{
    const char *opened = json_string_value(json_object_get(c, "opened_on"));
    int year = 1970;
    if (!opened || parse_date(opened, &year, NULL, NULL))
        return VIGIL_EINVAL; /* validated by core/case.c before it gets here */
    int64_t seq = 0;
    int rc = next_seq(st, year, &seq);
    if (rc)
        return rc;
    char ref[32];
    case_reference(year, (long)seq, ref, sizeof ref);
    static const char sql[] =
        "INSERT INTO cases(reference, ref_year, ref_seq, org_id, created_by, created_at, "
        "updated_at, version, status, stage, category, source, opened_on, closed_on, "
        "recruitment_place, recruitment_country, exploitation_place, exploitation_country, "
        "closure_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "?14, ?15, ?16, ?17) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_text(&q, 1, ref);
    q_int(&q, 2, year);
    q_int(&q, 3, seq);
    q_int(&q, 4, org_id);
    if (user_id)
        q_int(&q, 5, user_id);
    else
        q_null(&q, 5);
    q_int(&q, 6, now);
    for (size_t i = 0; i < NCASE_COLS; i++)
        q_text(&q, 7 + (int)i, json_string_value(json_object_get(c, case_cols[i].key)));
    int64_t id = 0;
    rc = q_step(&q);
    if (rc == 1)
        id = q_col_int(&q, 0);
    q_done(&q);
    if (rc < 0)
        return -rc;
    static const char acc[] =
        "INSERT INTO case_access(org_id, case_id, opened_on) VALUES (?1, ?2, ?3)";
    if (q_open(&q, st, acc))
        return q.rc;
    q_int(&q, 1, org_id);
    q_int(&q, 2, id);
    q_text(&q, 3, opened);
    if ((rc = q_exec(&q)))
        return rc;
    return out ? store_case_get(st, id, out) : VIGIL_OK;
}

int store_case_get(struct store *st, int64_t id, json_t **out)
{
    static const char sql[] = CASE_SELECT "WHERE c.id = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    int rc = q_step(&q);
    if (rc == 1)
        *out = case_row(&q);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_case_visible(struct store *st, int64_t case_id, int64_t org_id)
{
    static const char sql[] = "SELECT 1 FROM case_access WHERE org_id = ?1 AND case_id = ?2";
    struct q q;
    if (q_open(&q, st, sql))
        return 0;
    q_int(&q, 1, org_id);
    q_int(&q, 2, case_id);
    int rc = q_step(&q);
    q_done(&q);
    return rc == 1;
}

int store_case_update(struct store *st, int64_t id, int64_t expected, json_t *patch, int64_t now,
                      json_t **out)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_puts(&b, "UPDATE cases SET version = version + 1, updated_at = ?1");
    int n = 3;
    size_t used[NCASE_COLS];
    size_t nused = 0;
    for (size_t i = 0; i < NCASE_COLS; i++) {
        if (!json_object_get(patch, case_cols[i].key))
            continue;
        buf_printf(&b, ", %s = ?%d", case_cols[i].col, ++n);
        used[nused++] = i;
    }
    buf_puts(&b, " WHERE id = ?2 AND version = ?3 RETURNING id");
    if (buf_err(&b)) {
        buf_free(&b);
        return VIGIL_ENOMEM;
    }
    struct q q;
    int rc = q_open_once(&q, st, buf_cstr(&b));
    buf_free(&b);
    if (rc)
        return rc;
    q_int(&q, 1, now);
    q_int(&q, 2, id);
    q_int(&q, 3, expected);
    for (size_t k = 0; k < nused; k++)
        q_text(&q, 4 + (int)k, json_string_value(json_object_get(patch, case_cols[used[k]].key)));
    rc = q_step(&q);
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (rc == 0) /* no row at that version: stale, or gone */
        return VIGIL_ECONFLICT;
    json_t *od = json_object_get(patch, "opened_on");
    if (json_is_string(od)) {
        static const char sql[] = "UPDATE case_access SET opened_on = ?1 WHERE case_id = ?2";
        if (q_open(&q, st, sql))
            return q.rc;
        q_text(&q, 1, json_string_value(od));
        q_int(&q, 2, id);
        if ((rc = q_exec(&q)))
            return rc;
    }
    return out ? store_case_get(st, id, out) : VIGIL_OK;
}

/* Escape LIKE wildcards with '\' and wrap in %...%. */
static char *like_pattern(const char *s)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_putc(&b, '%');
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *s);
    }
    buf_putc(&b, '%');
    if (buf_err(&b)) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b, NULL);
}

/* An FTS5 phrase: the text in double quotes, inner quotes doubled. */
static char *fts_phrase(const char *s)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_putc(&b, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(&b, '"');
        buf_putc(&b, *s);
    }
    buf_putc(&b, '"');
    if (buf_err(&b)) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b, NULL);
}

/* The CASTs give PostgreSQL the type of a parameter whose first use is
 * "IS NULL"; SQLite ignores them. */
#define LIST_WHERE                                                                            \
    "WHERE a.org_id = ?1 "                                                                    \
    "AND (CAST(?2 AS TEXT) IS NULL OR c.status = ?2) "                                        \
    "AND (CAST(?3 AS TEXT) IS NULL OR c.category = ?3) "                                      \
    "AND (CAST(?4 AS TEXT) IS NULL OR c.stage = ?4) "                                         \
    "AND (CAST(?5 AS TEXT) IS NULL OR c.source = ?5) "                                        \
    "AND (CAST(?6 AS TEXT) IS NULL OR a.opened_on >= ?6) "                                    \
    "AND (CAST(?7 AS TEXT) IS NULL OR a.opened_on <= ?7) "                                    \
    "AND (CAST(?8 AS TEXT) IS NULL OR o.code = ?8) "

/* SQLite: trigram FTS5 for three characters or more, LIKE below that. */
#define LIST_Q_SQLITE                                                                         \
    "AND (?9 IS NULL OR c.reference LIKE ?9 ESCAPE '\\' "                                     \
    "OR (?10 IS NOT NULL AND c.id IN (SELECT n.case_id FROM notes n WHERE n.id IN "           \
    "(SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?10))) "                              \
    "OR (?10 IS NULL AND c.id IN (SELECT case_id FROM notes WHERE body LIKE ?9 ESCAPE '\\'))) "
/* PostgreSQL: ILIKE, served by the pg_trgm indexes (one IN over a UNION ALL
 * lets both be index scans, where "reference ILIKE ... OR" scans every case).
 * ?10 is only there to give PostgreSQL a type for each parameter number. */
#define LIST_Q_PG                                                                             \
    "AND (CAST(?9 AS TEXT) IS NULL OR c.id IN (SELECT id FROM cases "                         \
    "WHERE reference ILIKE ?9 ESCAPE '\\' UNION ALL "                                         \
    "SELECT case_id FROM notes WHERE body ILIKE ?9 ESCAPE '\\') OR ?10 = '') "

#define LIST_FROM                                                                             \
    "FROM case_access a JOIN cases c ON c.id = a.case_id "                                    \
    "JOIN organisations o ON o.id = c.org_id "

static void bind_filter(struct q *q, const struct case_filter *f, const char *like,
                        const char *fts)
{
    q_int(q, 1, f->viewer_org);
    q_text(q, 2, f->status);
    q_text(q, 3, f->category);
    q_text(q, 4, f->stage);
    q_text(q, 5, f->source);
    q_text(q, 6, f->from);
    q_text(q, 7, f->to);
    q_text(q, 8, f->org_code);
    q_text(q, 9, like);
    q_text(q, 10, fts);
}

int store_case_list(struct store *st, const struct case_filter *f, json_t **items,
                    int64_t *total)
{
    static const char list_sqlite[] =
        CASE_SELECT "JOIN case_access a ON a.case_id = c.id " LIST_WHERE LIST_Q_SQLITE
                    "ORDER BY a.opened_on DESC, a.case_id DESC LIMIT ?11 OFFSET ?12";
    /* The capped count walks the cases in the list's order, newest first:
     * the same number, but open cases (what lists filter for) are the recent
     * ones, so the cap is reached after a few rows, not after all of an
     * agency's closed cases (bench/RESULTS.md: 200 ms -> 17 ms at 1M cases). */
    static const char count_sqlite[] = "SELECT COUNT(*) FROM (SELECT 1 " LIST_FROM LIST_WHERE
        LIST_Q_SQLITE "ORDER BY a.opened_on DESC, a.case_id DESC LIMIT ?11)";
    static const char list_pg[] =
        CASE_SELECT "JOIN case_access a ON a.case_id = c.id " LIST_WHERE LIST_Q_PG
                    "ORDER BY a.opened_on DESC, a.case_id DESC LIMIT ?11 OFFSET ?12";
    static const char count_pg[] = "SELECT COUNT(*) FROM (SELECT 1 " LIST_FROM LIST_WHERE
        LIST_Q_PG "ORDER BY a.opened_on DESC, a.case_id DESC LIMIT ?11) AS capped";
    int pg = strcmp(st->drv->name, "postgresql") == 0;
    char *like = NULL, *fts = NULL;
    int rc = VIGIL_OK;
    if (f->q && *f->q) {
        like = like_pattern(f->q);
        if (!pg && utf8_len(f->q) >= 3) /* trigrams need three characters */
            fts = fts_phrase(f->q);
        if (!like || (!pg && utf8_len(f->q) >= 3 && !fts)) {
            free(like);
            free(fts);
            return VIGIL_ENOMEM;
        }
    }
    struct q q;
    json_t *arr = json_array();
    if (q_open(&q, st, pg ? list_pg : list_sqlite)) {
        rc = q.rc;
        goto out;
    }
    bind_filter(&q, f, like, pg ? (like ? "x" : NULL) : fts);
    q_int(&q, 11, f->limit);
    q_int(&q, 12, f->offset);
    int r;
    while ((r = q_step(&q)) == 1)
        json_array_append_new(arr, case_row(&q));
    q_done(&q);
    if (r < 0) {
        rc = -r;
        goto out;
    }
    if (total) {
        if (q_open(&q, st, pg ? count_pg : count_sqlite)) {
            rc = q.rc;
            goto out;
        }
        bind_filter(&q, f, like, pg ? (like ? "x" : NULL) : fts);
        q_int(&q, 11, STORE_COUNT_CAP + 1);
        r = q_step(&q);
        if (r == 1)
            *total = q_col_int(&q, 0);
        q_done(&q);
        if (r < 0)
            rc = -r;
    }
out:
    free(like);
    free(fts);
    if (rc)
        json_decref(arr);
    else
        *items = arr;
    return rc;
}
