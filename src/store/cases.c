/* Cases, persons, notes and referrals in the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/case.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/jsontext.h"
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

#define CASE_SELECT                                                                                \
    "SELECT c.id, c.reference, c.version, o.code, c.created_at, c.updated_at, c.status, "          \
    "c.stage, c.category, c.source, c.opened_on, c.closed_on, c.recruitment_place, "               \
    "c.recruitment_country, c.exploitation_place, c.exploitation_country, c.closure_reason "       \
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

/* The same object as case_row, written straight as JSON text (the case
 * GET, the API's busiest answer, without building it in jansson first). */
static void case_text(struct q *q, struct buf *b)
{
    char ts[21];
    const char *ref = q_col_text(q, 1), *org = q_col_text(q, 3);
    buf_add_fast(b, "{\"id\":", 6);
    json_text_int(b, q_col_int(q, 0));
    buf_add_fast(b, ",\"reference\":", 13);
    json_text_string(b, ref ? ref : "", ref ? strlen(ref) : 0);
    buf_add_fast(b, ",\"version\":", 11);
    json_text_int(b, q_col_int(q, 2));
    buf_add_fast(b, ",\"organisation\":", 16);
    json_text_string(b, org ? org : "", org ? strlen(org) : 0);
    for (int k = 0; k < 2; k++) {
        time_iso(q_col_int(q, 4 + k), ts);
        buf_puts(b, k == 0 ? ",\"created_at\":" : ",\"updated_at\":");
        json_text_string(b, ts, strlen(ts));
    }
    for (size_t i = 0; i < NCASE_COLS; i++) {
        const char *v = q_col_text(q, CASE_FIRST_COL + (int)i);
        buf_putc_fast(b, ',');
        json_text_string(b, case_cols[i].key, strlen(case_cols[i].key));
        buf_putc_fast(b, ':');
        if (v)
            json_text_string(b, v, strlen(v));
        else
            buf_add_fast(b, "null", 4);
    }
    buf_putc_fast(b, '}');
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
    if ((rc = store_access_grant(st, org_id, id)))
        return rc;
    return out ? store_case_get(st, id, out) : VIGIL_OK;
}

/* Read case id as an object (obj) or as JSON text appended to text, with its
 * version. */
static int case_read(struct store *st, int64_t id, json_t **obj, struct buf *text, int64_t *version)
{
    static const char sql[] = CASE_SELECT "WHERE c.id = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    int rc = q_step(&q);
    if (rc == 1 && obj)
        *obj = case_row(&q);
    if (rc == 1 && text) {
        case_text(&q, text);
        *version = q_col_int(&q, 2);
    }
    q_done(&q);
    if (rc == 1 && text && buf_err(text))
        return buf_err(text);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_case_get(struct store *st, int64_t id, json_t **out)
{
    return case_read(st, id, out, NULL, NULL);
}

int store_case_get_text(struct store *st, int64_t id, struct buf *out, int64_t *version)
{
    return case_read(st, id, NULL, out, version);
}

int store_case_visible(struct store *st, int64_t case_id, int64_t org_id)
{
    /* The owner first: that reads the case's own row, which the request
     * reads next anyway; other organisations (referrals) by case_access.
     * The owner is always in case_access too (store_access_grant at
     * creation; a revoke spares it), so the answer is the same. */
    static const char sql[] = "SELECT 1 FROM cases WHERE id = ?2 AND org_id = ?1 UNION ALL "
                              "SELECT 1 FROM case_access WHERE org_id = ?1 AND case_id = ?2 "
                              "LIMIT 1";
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
    if ((rc = store_access_sync(st, id)))
        return rc;
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

/* Keep case_access's copies of the case's filter columns in step. */
int store_access_sync(struct store *st, int64_t case_id)
{
    static const char sql[] =
        "UPDATE case_access SET "
        "opened_on = (SELECT c.opened_on FROM cases c WHERE c.id = ?1), "
        "status = (SELECT c.status FROM cases c WHERE c.id = ?1), "
        "category = (SELECT c.category FROM cases c WHERE c.id = ?1), "
        "stage = (SELECT c.stage FROM cases c WHERE c.id = ?1), "
        "source = (SELECT c.source FROM cases c WHERE c.id = ?1) WHERE case_id = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    return q_exec(&q);
}

int store_access_grant(struct store *st, int64_t org_id, int64_t case_id)
{
    static const char sql[] =
        "INSERT INTO case_access(org_id, case_id, opened_on, status, category, stage, source) "
        "SELECT ?1, c.id, c.opened_on, c.status, c.category, c.stage, c.source FROM cases c "
        "WHERE c.id = ?2 ON CONFLICT DO NOTHING";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, org_id);
    q_int(&q, 2, case_id);
    return q_exec(&q);
}

/*
 * The list and its count are built for the filters given, so that each is
 * a plain equality the planner can serve from an index of case_access
 * ((org, status, date) or (org, category, date)); "?N IS NULL OR ..." for
 * absent filters would hide those indexes. Parameters are numbered in order.
 */
struct lparam {
    const char *text; /* NULL: an integer */
    int64_t num;
};

struct lsql {
    struct buf b;
    struct lparam p[16];
    int n;
};

static void add_text(struct lsql *l, const char *fmt, const char *v)
{
    l->p[l->n].text = v;
    l->n++;
    buf_printf(&l->b, fmt, l->n, l->n);
}

static void add_int(struct lsql *l, const char *fmt, int64_t v)
{
    l->p[l->n].text = NULL;
    l->p[l->n].num = v;
    l->n++;
    buf_printf(&l->b, fmt, l->n);
}

static void build_list(struct lsql *l, int pg, int count, const struct case_filter *f,
                       const char *like, const char *fts, int64_t limit)
{
    buf_init(&l->b, 8192);
    l->n = 0;
    if (count) {
        /* A count reads case_access alone unless a filter needs more. */
        buf_puts(&l->b, "SELECT COUNT(*) FROM (SELECT 1 FROM case_access a ");
        if (like || f->org_code)
            buf_puts(&l->b, "JOIN cases c ON c.id = a.case_id ");
        if (f->org_code)
            buf_puts(&l->b, "JOIN organisations o ON o.id = c.org_id ");
    } else
        buf_puts(&l->b, CASE_SELECT "JOIN case_access a ON a.case_id = c.id ");
    add_int(l, "WHERE a.org_id = ?%d", f->viewer_org);
    if (f->status)
        add_text(l, " AND a.status = ?%d", f->status);
    if (f->category)
        add_text(l, " AND a.category = ?%d", f->category);
    if (f->stage)
        add_text(l, " AND a.stage = ?%d", f->stage);
    if (f->source)
        add_text(l, " AND a.source = ?%d", f->source);
    if (f->from)
        add_text(l, " AND a.opened_on >= ?%d", f->from);
    if (f->to)
        add_text(l, " AND a.opened_on <= ?%d", f->to);
    if (f->org_code)
        add_text(l, " AND o.code = ?%d", f->org_code);
    if (like && pg) {
        /* ILIKE, served by the pg_trgm indexes; one IN over a UNION ALL lets
         * both be index scans. */
        add_text(l,
                 " AND c.id IN (SELECT id FROM cases WHERE reference ILIKE ?%d ESCAPE '\\' "
                 "UNION ALL SELECT case_id FROM notes WHERE body ILIKE ?%d ESCAPE '\\')",
                 like);
    } else if (like && fts) {
        /* trigram FTS5 for three characters or more */
        l->p[l->n++].text = like;
        l->p[l->n++].text = fts;
        buf_printf(&l->b,
                   " AND (c.reference LIKE ?%d ESCAPE '\\' OR c.id IN (SELECT n.case_id FROM "
                   "notes n WHERE n.id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH "
                   "?%d)))",
                   l->n - 1, l->n);
    } else if (like) {
        add_text(l,
                 " AND (c.reference LIKE ?%d ESCAPE '\\' OR c.id IN (SELECT case_id FROM notes "
                 "WHERE body LIKE ?%d ESCAPE '\\'))",
                 like);
    }
    buf_puts(&l->b, " ORDER BY a.opened_on DESC, a.case_id DESC");
    add_int(l, " LIMIT ?%d", limit);
    if (count)
        buf_puts(&l->b, ") AS capped");
    else
        add_int(l, " OFFSET ?%d", f->offset);
}

static int run_list(struct store *st, struct lsql *l, struct q *q)
{
    if (buf_err(&l->b))
        return VIGIL_ENOMEM;
    int rc = q_open_once(q, st, buf_cstr(&l->b));
    if (rc)
        return rc;
    for (int i = 0; i < l->n; i++) {
        if (l->p[i].text)
            q_text(q, i + 1, l->p[i].text);
        else
            q_int(q, i + 1, l->p[i].num);
    }
    return VIGIL_OK;
}

/* The total of a list filtered by status, category, stage and source only:
 * from case_counts (012_case_counts.sql), exact; the callers cap it. An
 * agency has at most a few hundred rows there, one per combination. */
static int count_kept(struct store *st, const struct case_filter *f, int64_t *total)
{
    static const char sql[] = "SELECT COALESCE(SUM(n), 0) FROM case_counts WHERE org_id = ?1 "
                              "AND (CAST(?2 AS TEXT) IS NULL OR status = ?2) "
                              "AND (CAST(?3 AS TEXT) IS NULL OR category = ?3) "
                              "AND (CAST(?4 AS TEXT) IS NULL OR stage = ?4) "
                              "AND (CAST(?5 AS TEXT) IS NULL OR source = ?5)";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, f->viewer_org);
    q_text(&q, 2, f->status);
    q_text(&q, 3, f->category);
    q_text(&q, 4, f->stage);
    q_text(&q, 5, f->source);
    int rc = q_step(&q);
    if (rc == 1)
        *total = q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ESTORE;
}

int store_case_list(struct store *st, const struct case_filter *f, json_t **items, int64_t *total)
{
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
    struct lsql l;
    json_t *arr = json_array();
    build_list(&l, pg, 0, f, like, fts, f->limit);
    rc = run_list(st, &l, &q);
    buf_free(&l.b);
    if (rc)
        goto out;
    int r;
    while ((r = q_step(&q)) == 1)
        json_array_append_new(arr, case_row(&q));
    q_done(&q);
    if (r < 0) {
        rc = -r;
        goto out;
    }
    if (total && !like && !f->from && !f->to && !f->org_code) {
        rc = count_kept(st, f, total);
    } else if (total) {
        build_list(&l, pg, 1, f, like, fts, STORE_COUNT_CAP + 1);
        rc = run_list(st, &l, &q);
        buf_free(&l.b);
        if (rc)
            goto out;
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
