/*
 * The committee's statistics (report/stats.h): the figures of a period and
 * of the two periods it is compared with, trends, and small-count
 * suppression. The counting is the store's (store_stats, one GROUP BY per
 * figure family and period, all from one snapshot); here the groups become
 * tables, totals are added, cells are suppressed and rows ordered. The
 * definitions are in docs/decisions.md ("The committee's statistics").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case.h"
#include "report/stats.h"
#include "report/suppress.h"
#include "store/store.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"

enum { CUR, PREV, YAGO, NP };
#define MAXC 5
/* the longest period asked for: ten years */
#define MAX_DAYS 3653
#define MAX_K    1000

struct period {
    char from[16], to[16];
    int64_t t0, t1; /* [t0, t1) in Unix seconds */
};

struct row {
    char key[160];
    int64_t v[NP][MAXC];
    unsigned char sup[NP][MAXC];
    int cls;    /* for ordering: 0 shown and positive, 1 suppressed, 2 zero */
    int64_t sv; /* the value ordered by */
};

enum total_kind {
    TOTAL_SUM,  /* the rows are disjoint: the column's sum */
    TOTAL_SET,  /* a row may share units with another: set by the caller */
    TOTAL_NONE, /* the rows are different measures: "total" is null */
};

struct table {
    const char *id;
    const char *const *cols;
    int ncols;
    int total_col; /* the last column is the sum of the others */
    enum total_kind total;
    int exempt;               /* never suppressed (activities) */
    const char *const *fixed; /* these rows, in this order, always */
    struct row *rows;
    size_t n, cap;
    int64_t tot[NP][MAXC];
    unsigned char tsup[NP][MAXC];
};

enum {
    T_CAT,
    T_EXPL,
    T_SRC,
    T_ORG,
    T_SEX,
    T_AGE,
    T_CIT,
    T_VEXPL,
    T_REF,
    T_SERV,
    T_LEGAL,
    T_STAT,
    T_SENT,
    T_TIPS,
    T_ACT,
    NT
};

static const char *const col_count[] = {"count", NULL};
static const char *const col_referrals[] = {"made", "accepted", NULL};
static const char *const col_legal[] = {"sexual", "labour", "other", "total", NULL};
static const char *const col_activities[] = {
    "activities", "sites", "workers_reached", "officials_trained", "people_reached", NULL};
static const char *const age_bands[] = {"0-17",  "18-24", "25-34",   "35-44",
                                        "45-54", "55+",   "unknown", NULL};
static const char *const legal_rows[] = {"investigations", "prosecutions", "convictions", NULL};
static const char *const sentence_bands[] = {"<1y", "1-3y", "3-5y", "5-10y", "10y+", NULL};
static const char *const activity_kinds[] = {"inspection", "training", "awareness", NULL};

static const struct table table_defs[NT] = {
    [T_CAT] = {"cases_by_category", col_count, 1, 0, TOTAL_SUM, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_EXPL] =
        {"cases_by_exploitation", col_count, 1, 0, TOTAL_SET, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_SRC] = {"cases_by_source", col_count, 1, 0, TOTAL_SUM, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_ORG] = {"cases_by_org", col_count, 1, 0, TOTAL_SUM, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_SEX] = {"victims_by_sex", col_count, 1, 0, TOTAL_SUM, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_AGE] =
        {"victims_by_age_band", col_count, 1, 0, TOTAL_SUM, 0, age_bands, NULL, 0, 0, {{0}}, {{0}}},
    [T_CIT] =
        {"victims_by_citizenship", col_count, 1, 0, TOTAL_SET, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_VEXPL] =
        {"victims_by_exploitation", col_count, 1, 0, TOTAL_SET, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_REF] =
        {"referrals_by_org", col_referrals, 2, 0, TOTAL_SUM, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_SERV] = {"services_by_type", col_count, 1, 0, TOTAL_SUM, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_LEGAL] = {"legal", col_legal, 4, 1, TOTAL_NONE, 0, legal_rows, NULL, 0, 0, {{0}}, {{0}}},
    [T_STAT] = {"legal_by_statute", col_legal, 4, 1, TOTAL_SUM, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_SENT] =
        {"sentences", col_count, 1, 0, TOTAL_SUM, 0, sentence_bands, NULL, 0, 0, {{0}}, {{0}}},
    [T_TIPS] = {"tips_by_channel", col_count, 1, 0, TOTAL_SUM, 0, NULL, NULL, 0, 0, {{0}}, {{0}}},
    [T_ACT] = {"activities",
               col_activities,
               5,
               0,
               TOTAL_SUM,
               1,
               activity_kinds,
               NULL,
               0,
               0,
               {{0}},
               {{0}}},
};

/* ---- trends --------------------------------------------------------------- */

#define MAXPER 24

struct tseries {
    char key[64];
    int64_t v[MAXPER];
    unsigned char sup[MAXPER];
};

struct trend {
    const char *id, *unit;
    int np;
    char per[MAXPER][16];
    struct tseries *rows;
    size_t n, cap;
};

enum { R_CASES_Y, R_CASES_M, R_VICTIMS_Y, R_LEGAL_Y, NR };

struct stats {
    struct table t[NT];
    struct trend r[NR];
    int64_t cases[NP], victims[NP];
};

/* ---- dates ---------------------------------------------------------------- */

static int mdays(int y, int m)
{
    return (int)(time_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                 time_days_from_civil(y, m, 1));
}

static void set_period(struct period *p, int64_t a, int64_t b)
{
    time_date(a * 86400, p->from);
    time_date(b * 86400, p->to);
    p->t0 = a * 86400;
    p->t1 = (b + 1) * 86400;
}

/* The same day a year earlier; the last day of a month stays the last day
 * (2025-02-28 -> 2024-02-29) and a day the month lacks becomes its last. */
static int64_t year_back(int y, int m, int d)
{
    int last = d == mdays(y, m);
    y--;
    if (last || d > mdays(y, m))
        d = mdays(y, m);
    return time_days_from_civil(y, m, d);
}

/* ---- filling -------------------------------------------------------------- */

static struct row *table_row(struct table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].key, key) == 0)
            return &t->rows[i];
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct row *r = realloc(t->rows, cap * sizeof *r);
        if (!r)
            return NULL;
        t->rows = r;
        t->cap = cap;
    }
    struct row *r = &t->rows[t->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    return r;
}

static int add(struct table *t, const char *key, int p, int col, int64_t n)
{
    struct row *r = table_row(t, key);
    if (!r)
        return VIGIL_ENOMEM;
    r->v[p][col] += n;
    return 0;
}

static struct tseries *trend_row(struct trend *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].key, key) == 0)
            return &t->rows[i];
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        struct tseries *r = realloc(t->rows, cap * sizeof *r);
        if (!r)
            return NULL;
        t->rows = r;
        t->cap = cap;
    }
    struct tseries *r = &t->rows[t->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    return r;
}

static int trend_add(struct trend *t, const char *per, const char *key, int64_t n)
{
    for (int i = 0; i < t->np; i++)
        if (strcmp(t->per[i], per) == 0) {
            struct tseries *r = trend_row(t, key);
            if (!r)
                return VIGIL_ENOMEM;
            r->v[i] += n;
            return 0;
        }
    return 0; /* outside the trend's periods: cannot happen, and not counted */
}

/* The column of an exploitation kind in the legal tables. */
static int expl_col(const char *e)
{
    if (strcmp(e, "sexual") == 0)
        return 0;
    if (strcmp(e, "labour") == 0)
        return 1;
    return 2;
}

struct fill {
    struct stats *s;
    enum stats_family f;
    int p;
};

static int on_row(void *ctx, const char *const *k, const int64_t *n)
{
    struct fill *x = ctx;
    struct stats *s = x->s;
    struct table *t = s->t;
    int p = x->p, rc = 0;
    switch (x->f) {
    case STATS_CASES:
        s->cases[p] += n[0];
        rc = add(&t[T_CAT], k[0], p, 0, n[0]) || add(&t[T_SRC], k[1], p, 0, n[0]) ||
             add(&t[T_ORG], k[2], p, 0, n[0]);
        break;
    case STATS_CASE_EXPL:
        rc = add(&t[T_EXPL], k[0], p, 0, n[0]);
        break;
    case STATS_VICTIMS:
        s->victims[p] += n[0];
        rc = add(&t[T_SEX], k[0], p, 0, n[0]) || add(&t[T_AGE], k[1], p, 0, n[0]);
        break;
    case STATS_VICTIM_CITIZENSHIP:
        rc = add(&t[T_CIT], k[0], p, 0, n[0]);
        break;
    case STATS_VICTIM_EXPL:
        rc = add(&t[T_VEXPL], k[0], p, 0, n[0]);
        break;
    case STATS_REFERRALS:
        rc = add(&t[T_REF], k[0], p, 0, n[0]) || add(&t[T_REF], k[0], p, 1, n[1]);
        break;
    case STATS_SERVICES:
        rc = add(&t[T_SERV], k[0], p, 0, n[0]);
        break;
    case STATS_LEGAL:
        rc = add(&t[T_LEGAL], k[0], p, expl_col(k[1]), n[0]) || add(&t[T_LEGAL], k[0], p, 3, n[0]);
        break;
    case STATS_STATUTES: {
        char key[160];
        snprintf(key, sizeof key, "%s %s", k[0], k[1]);
        rc = add(&t[T_STAT], key, p, expl_col(k[2]), n[0]) || add(&t[T_STAT], key, p, 3, n[0]);
        break;
    }
    case STATS_SENTENCES:
        rc = add(&t[T_SENT], k[0], p, 0, n[0]);
        break;
    case STATS_TIPS:
        rc = add(&t[T_TIPS], k[0], p, 0, n[0]);
        break;
    case STATS_ACTIVITIES:
        for (int c = 0; c < 5 && !rc; c++)
            rc = add(&t[T_ACT], k[0], p, c, n[c]);
        break;
    case STATS_CASES_BY_YEAR:
        rc = trend_add(&s->r[R_CASES_Y], k[0], k[1], n[0]);
        break;
    case STATS_CASES_BY_MONTH:
        rc = trend_add(&s->r[R_CASES_M], k[0], k[1], n[0]);
        break;
    case STATS_VICTIMS_BY_YEAR:
        rc = trend_add(&s->r[R_VICTIMS_Y], k[0], k[1], n[0]);
        break;
    case STATS_LEGAL_BY_YEAR:
        rc = trend_add(&s->r[R_LEGAL_Y], k[0], k[1], n[0]);
        break;
    case STATS_NFAMILIES:
        break;
    }
    return rc ? VIGIL_ENOMEM : 0;
}

/* The families that fill the tables, each run for every period. */
static const enum stats_family table_families[] = {
    STATS_CASES,       STATS_CASE_EXPL, STATS_VICTIMS,  STATS_VICTIM_CITIZENSHIP,
    STATS_VICTIM_EXPL, STATS_REFERRALS, STATS_SERVICES, STATS_LEGAL,
    STATS_STATUTES,    STATS_SENTENCES, STATS_TIPS,     STATS_ACTIVITIES,
};

/* ---- suppression ---------------------------------------------------------- */

/* Suppress one period of a table: the cells of each column (their total is
 * published; in the legal table, whose rows are different measures, each
 * cell alone), and in tables with a total column the parts of each row
 * (including the total row), until nothing more changes. */
static int suppress_table(struct table *t, int p, int k)
{
    size_t n = t->n > (size_t)MAXC ? t->n : (size_t)MAXC;
    int64_t *v = malloc(n * sizeof *v);
    unsigned char *sup = malloc(n);
    if (!v || !sup) {
        free(v);
        free(sup);
        return VIGIL_ENOMEM;
    }
    if (t->total != TOTAL_NONE)
        for (int c = 0; c < t->ncols; c++)
            if (k > 1 && t->tot[p][c] >= 1 && t->tot[p][c] < k)
                t->tsup[p][c] = 1;
    size_t changed = 1;
    for (int round = 0; changed && round < 64; round++) {
        changed = 0;
        for (int c = 0; c < t->ncols; c++) {
            if (t->total == TOTAL_NONE) {
                /* different measures: no column adds up to anything */
                for (size_t i = 0; i < t->n; i++)
                    changed += stats_suppress(&t->rows[i].v[p][c], 1, k, &t->rows[i].sup[p][c]);
                continue;
            }
            for (size_t i = 0; i < t->n; i++) {
                v[i] = t->rows[i].v[p][c];
                sup[i] = t->rows[i].sup[p][c];
            }
            changed += stats_suppress(v, t->n, k, sup);
            for (size_t i = 0; i < t->n; i++)
                t->rows[i].sup[p][c] = sup[i];
        }
        if (!t->total_col)
            continue;
        int parts = t->ncols - 1;
        for (size_t i = 0; i < t->n; i++)
            changed += stats_suppress(t->rows[i].v[p], (size_t)parts, k, t->rows[i].sup[p]);
        if (t->total != TOTAL_NONE)
            changed += stats_suppress(t->tot[p], (size_t)parts, k, t->tsup[p]);
    }
    free(v);
    free(sup);
    return VIGIL_OK;
}

/* Each period's values across the series add up to a published figure
 * (the year's cases or victims), except in legal_yearly, whose series are
 * different measures: there each value stands alone. */
static void suppress_trend(struct trend *t, int k, int measures)
{
    int64_t v[64];
    unsigned char sup[64];
    size_t n = t->n < 64 ? t->n : 64;
    for (int i = 0; i < t->np; i++) {
        if (measures) {
            for (size_t j = 0; j < n; j++)
                stats_suppress(&t->rows[j].v[i], 1, k, &t->rows[j].sup[i]);
            continue;
        }
        for (size_t j = 0; j < n; j++) {
            v[j] = t->rows[j].v[i];
            sup[j] = t->rows[j].sup[i];
        }
        stats_suppress(v, n, k, sup);
        for (size_t j = 0; j < n; j++)
            t->rows[j].sup[i] = sup[j];
    }
}

/* ---- ordering and output -------------------------------------------------- */

static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls - y->cls;
    if (x->sv != y->sv)
        return x->sv > y->sv ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* By the period's published value, largest first, suppressed values after
 * the shown ones (they are at least 1) and zeros last, then by key; the
 * rows of the band and measure tables keep their natural order. */
static void order_rows(struct table *t)
{
    if (t->fixed || t->n < 2)
        return;
    int c = t->total_col ? t->ncols - 1 : 0;
    for (size_t i = 0; i < t->n; i++) {
        struct row *r = &t->rows[i];
        r->sv = r->sup[CUR][c] ? 0 : r->v[CUR][c];
        r->cls = r->sup[CUR][c] ? 1 : r->v[CUR][c] > 0 ? 0 : 2;
    }
    qsort(t->rows, t->n, sizeof *t->rows, row_cmp);
}

static json_t *cells(const int64_t *v, const unsigned char *sup, int n, int64_t *nulls)
{
    json_t *a = json_array();
    for (int c = 0; c < n; c++) {
        if (sup[c])
            (*nulls)++;
        json_array_append_new(a, sup[c] ? json_null() : json_integer(v[c]));
    }
    return a;
}

static const char *const pkey[NP] = {"values", "previous", "year_ago"};

static json_t *table_json(struct table *t, int64_t *nulls)
{
    json_t *cols = json_array();
    for (int c = 0; c < t->ncols; c++)
        json_array_append_new(cols, json_string(t->cols[c]));
    json_t *rows = json_array();
    for (size_t i = 0; i < t->n; i++) {
        json_t *r = json_pack("{s:s}", "key", t->rows[i].key);
        for (int p = 0; p < NP; p++)
            json_object_set_new(r, pkey[p],
                                cells(t->rows[i].v[p], t->rows[i].sup[p], t->ncols, nulls));
        json_array_append_new(rows, r);
    }
    json_t *total = json_null();
    if (t->total != TOTAL_NONE) {
        total = json_object();
        for (int p = 0; p < NP; p++)
            json_object_set_new(total, pkey[p], cells(t->tot[p], t->tsup[p], t->ncols, nulls));
    }
    return json_pack("{s:s, s:o, s:o, s:o}", "id", t->id, "columns", cols, "rows", rows, "total",
                     total);
}

/* A trend whose series add up (measures == 0) also carries each period's
 * total, itself suppressed when below k. */
static json_t *trend_json(struct trend *t, int measures, int k, int64_t *nulls)
{
    json_t *per = json_array();
    for (int i = 0; i < t->np; i++)
        json_array_append_new(per, json_string(t->per[i]));
    json_t *series = json_array();
    for (size_t j = 0; j < t->n; j++)
        json_array_append_new(series, json_pack("{s:s, s:o}", "key", t->rows[j].key, "values",
                                                cells(t->rows[j].v, t->rows[j].sup, t->np, nulls)));
    json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "id", t->id, "unit", t->unit, "periods", per,
                          "series", series);
    if (!measures) {
        int64_t tot[MAXPER] = {0};
        unsigned char sup[MAXPER] = {0};
        for (int i = 0; i < t->np; i++) {
            for (size_t j = 0; j < t->n; j++)
                tot[i] += t->rows[j].v[i];
            stats_suppress(&tot[i], 1, k, &sup[i]);
        }
        json_object_set_new(o, "total", cells(tot, sup, t->np, nulls));
    }
    return o;
}

static json_t *period_json(const struct period *p)
{
    return json_pack("{s:s, s:s}", "from", p->from, "to", p->to);
}

/* ---- the whole ------------------------------------------------------------ */

static void stats_free(struct stats *s)
{
    for (int i = 0; i < NT; i++)
        free(s->t[i].rows);
    for (int i = 0; i < NR; i++)
        free(s->r[i].rows);
}

/* The trends' periods and the range they read. */
static void trends_init(struct stats *s, const struct stats_query *q, int ty, int tm,
                        struct period rng[NR])
{
    static const struct {
        const char *id, *unit;
    } defs[NR] = {
        [R_CASES_Y] = {"cases_yearly", "year"},
        [R_CASES_M] = {"cases_monthly", "month"},
        [R_VICTIMS_Y] = {"victims_yearly", "year"},
        [R_LEGAL_Y] = {"legal_yearly", "year"},
    };
    int y0 = ty - q->trend_years + 1;
    int m0 = ty * 12 + (tm - 1) - 23; /* months since year 0 */
    for (int i = 0; i < NR; i++) {
        struct trend *t = &s->r[i];
        t->id = defs[i].id;
        t->unit = defs[i].unit;
        if (i == R_CASES_M) {
            t->np = 24;
            for (int j = 0; j < 24; j++)
                snprintf(t->per[j], sizeof t->per[j], "%04d-%02d", ((m0 + j) / 12) % 10000,
                         (m0 + j) % 12 + 1);
            snprintf(rng[i].from, sizeof rng[i].from, "%04d-%02d-01", (m0 / 12) % 10000,
                     m0 % 12 + 1);
        } else {
            t->np = q->trend_years;
            for (int j = 0; j < t->np; j++)
                snprintf(t->per[j], sizeof t->per[j], "%04d", (y0 + j) % 10000);
            snprintf(rng[i].from, sizeof rng[i].from, "%04d-01-01", y0 % 10000);
        }
        snprintf(rng[i].to, sizeof rng[i].to, "%s", q->to);
    }
    /* series that charts always have, in this order */
    for (int i = 0; case_categories[i]; i++) {
        trend_row(&s->r[R_CASES_Y], case_categories[i]);
        trend_row(&s->r[R_CASES_M], case_categories[i]);
    }
    for (int i = 0; legal_rows[i]; i++)
        trend_row(&s->r[R_LEGAL_Y], legal_rows[i]);
}

static const enum stats_family trend_families[NR] = {
    [R_CASES_Y] = STATS_CASES_BY_YEAR,
    [R_CASES_M] = STATS_CASES_BY_MONTH,
    [R_VICTIMS_Y] = STATS_VICTIMS_BY_YEAR,
    [R_LEGAL_Y] = STATS_LEGAL_BY_YEAR,
};

int stats_compute(struct store *st, const struct stats_query *q, json_t **out)
{
    int fy, fm, fd, ty, tm, td;
    *out = NULL;
    if (!q || parse_date(q->from, &fy, &fm, &fd) || parse_date(q->to, &ty, &tm, &td) || q->k < 1 ||
        q->k > MAX_K || q->trend_years < 1 || q->trend_years > 10)
        return VIGIL_EINVAL;
    int64_t a = time_days_from_civil(fy, fm, fd), b = time_days_from_civil(ty, tm, td);
    if (a > b || b - a + 1 > MAX_DAYS)
        return VIGIL_EINVAL;

    /* The period, the one before it (as many whole months when the period
     * is whole months, else as many days) and the same period a year back. */
    struct period per[NP];
    set_period(&per[CUR], a, b);
    if (fd == 1 && td == mdays(ty, tm)) {
        int months = (ty * 12 + tm) - (fy * 12 + fm) + 1;
        int pm = fy * 12 + (fm - 1) - months;
        set_period(&per[PREV], time_days_from_civil(pm / 12, pm % 12 + 1, 1), a - 1);
    } else {
        set_period(&per[PREV], a - (b - a + 1), a - 1);
    }
    set_period(&per[YAGO], year_back(fy, fm, fd), year_back(ty, tm, td));

    struct stats *s = calloc(1, sizeof *s);
    if (!s)
        return VIGIL_ENOMEM;
    for (int i = 0; i < NT; i++) {
        s->t[i] = table_defs[i];
        for (int j = 0; s->t[i].fixed && s->t[i].fixed[j]; j++)
            table_row(&s->t[i], s->t[i].fixed[j]);
    }
    struct period rng[NR];
    trends_init(s, q, ty, tm, rng);

    int began = 0;
    int rc = store_stats_begin(st, &began);
    for (size_t f = 0; !rc && f < sizeof table_families / sizeof table_families[0]; f++)
        for (int p = 0; !rc && p < NP; p++) {
            struct fill x = {s, table_families[f], p};
            rc = store_stats(st, table_families[f], per[p].from, per[p].to, per[p].t0, per[p].t1,
                             on_row, &x);
        }
    for (int i = 0; !rc && i < NR; i++) {
        struct fill x = {s, trend_families[i], CUR};
        rc = store_stats(st, trend_families[i], rng[i].from, rng[i].to, 0, 0, on_row, &x);
    }
    if (began)
        store_stats_end(st);
    if (rc) {
        stats_free(s);
        free(s);
        return rc;
    }

    for (int p = 0; p < NP; p++)
        for (int i = 0; i < NT; i++) {
            struct table *t = &s->t[i];
            for (int c = 0; c < t->ncols; c++) {
                if (t->total == TOTAL_SUM)
                    for (size_t j = 0; j < t->n; j++)
                        t->tot[p][c] += t->rows[j].v[p][c];
                else if (i == T_EXPL)
                    t->tot[p][c] = s->cases[p];
                else if (i == T_CIT || i == T_VEXPL)
                    t->tot[p][c] = s->victims[p];
            }
            if (!t->exempt && (rc = suppress_table(t, p, q->k)))
                break;
        }
    for (int i = 0; i < NR; i++)
        suppress_trend(&s->r[i], q->k, i == R_LEGAL_Y);

    int64_t nulls = 0;
    json_t *tables = json_array(), *trends = json_array();
    for (int i = 0; i < NT; i++) {
        order_rows(&s->t[i]);
        json_array_append_new(tables, table_json(&s->t[i], &nulls));
    }
    for (int i = 0; i < NR; i++)
        json_array_append_new(trends, trend_json(&s->r[i], i == R_LEGAL_Y, q->k, &nulls));
    *out = json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:I}", "from", per[CUR].from, "to",
                     per[CUR].to, "k", q->k, "previous", period_json(&per[PREV]), "year_ago",
                     period_json(&per[YAGO]), "tables", tables, "trends", trends, "suppressed",
                     (json_int_t)nulls);
    stats_free(s);
    free(s);
    if (rc || !*out) {
        json_decref(*out);
        *out = NULL;
        return rc ? rc : VIGIL_ENOMEM;
    }
    return VIGIL_OK;
}
