/*
 * Unit tests for the committee's statistics (src/report/stats.c,
 * src/report/suppress.c, src/store/stats.c): the suppression rule on
 * hand-made sets; the comparison periods; and a small dataset built by hand
 * in a temporary SQLite store whose figures are worked out by hand below
 * (each expected number with its reasoning), for the period, the month
 * before and the month a year earlier, a trend, and suppression at k = 3
 * against k = 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "report/stats.h"
#include "report/suppress.h"
#include "store/store.h"
#include "util/err.h"
#include "util/timeutil.h"

/* ---- the suppression rule --------------------------------------------- */

static void check_sup(const int64_t *v, size_t n, int k, const char *want, size_t marked)
{
    unsigned char sup[16] = {0};
    assert_int_equal(stats_suppress(v, n, k, sup), marked);
    for (size_t i = 0; i < n; i++) {
        if (sup[i] != (want[i] == 'x'))
            print_error("cell %zu (value %lld): want %c\n", i, (long long)v[i], want[i]);
        assert_int_equal(sup[i], want[i] == 'x');
    }
}

static void test_suppress_rule(void **state)
{
    (void)state;
    /* nothing below k: nothing hidden */
    check_sup((int64_t[]){10, 5, 3}, 3, 3, "...", 0);
    /* zero is shown; 1 and 2 are below 3; two hidden, no secondary */
    check_sup((int64_t[]){10, 2, 0, 1}, 4, 3, ".x.x", 2);
    /* one hidden (2): the next smallest non-zero (5, not the 0) goes too,
     * else 17 - 10 - 5 would give it back */
    check_sup((int64_t[]){10, 2, 0, 5}, 4, 3, ".x.x", 2);
    /* equal candidates: the first of them */
    check_sup((int64_t[]){7, 1, 7}, 3, 3, "xx.", 2);
    /* one hidden and no other non-zero cell: only it */
    check_sup((int64_t[]){0, 2, 0}, 3, 3, ".x.", 1);
    /* k = 1 hides nothing, not even 1 */
    check_sup((int64_t[]){1, 1, 0}, 3, 1, "...", 0);
    /* k = 5: 4 is hidden, then 5 as the next smallest */
    check_sup((int64_t[]){4, 5, 9}, 3, 5, "xx.", 2);
    /* an empty set */
    check_sup((int64_t[]){0}, 0, 3, "", 0);

    /* a cell already hidden by another set counts: with it there are two
     * hidden cells, so no secondary suppression is needed */
    unsigned char sup[3] = {1, 0, 0};
    assert_int_equal(stats_suppress((int64_t[]){8, 2, 6}, 3, 3, sup), 1);
    assert_int_equal(sup[0], 1);
    assert_int_equal(sup[1], 1);
    assert_int_equal(sup[2], 0);
    /* ... and one already hidden, alone, draws the smallest other */
    unsigned char sup2[3] = {1, 0, 0};
    assert_int_equal(stats_suppress((int64_t[]){8, 9, 6}, 3, 3, sup2), 1);
    assert_int_equal(sup2[2], 1);
    assert_int_equal(sup2[1], 0);
}

/* ---- a store with a dataset ------------------------------------------- */

struct fx {
    char dir[64], db[128];
    struct store *st;
    int64_t psp, ias, dsal, user;
    int ntips;
};

static int64_t T(int y, int m, int d, int h, int mi, int s)
{
    return time_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + s;
}

static int64_t add_org(struct fx *f, const char *code)
{
    struct org o;
    memset(&o, 0, sizeof o);
    snprintf(o.code, sizeof o.code, "%s", code);
    snprintf(o.type, sizeof o.type, "GovernmentAgency");
    assert_int_equal(store_org_add(f->st, &o), VIGIL_OK);
    return o.id;
}

static int64_t mk_case(struct fx *f, const char *opened, const char *category, const char *source,
                       int64_t org)
{
    json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "category", category, "source", source,
                          "opened_on", opened, "cas_Status", "Active", "stage", "intake",
                          "place_of_recruitment", "x");
    json_t *out = NULL;
    assert_int_equal(store_case_create(f->st, c, org, f->user, 1700000000, &out), VIGIL_OK);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    json_decref(c);
    return id;
}

/* A person of the case: gender (or NULL), age (-1 unknown), citizenships
 * and exploitation types as ";"-separated lists (or ""). */
static int64_t person(struct fx *f, int64_t case_id, const char *role, const char *gender, int age,
                      const char *cits, const char *expl)
{
    json_t *plain = json_object();
    if (gender)
        json_object_set_new(plain, "prs_Gender", json_string(gender));
    const char *lists[2] = {cits, expl};
    const char *names[2] = {"prs_Citizenship", "vic_TypeOfExploitation"};
    for (int i = 0; i < 2; i++) {
        if (!*lists[i])
            continue;
        json_t *a = json_array();
        char buf[128];
        snprintf(buf, sizeof buf, "%s", lists[i]);
        for (char *save = NULL, *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save))
            json_array_append_new(a, json_string(t));
        json_object_set_new(plain, names[i], a);
    }
    int64_t id = 0;
    assert_int_equal(
        store_person_add(f->st, case_id, role, "sealed", 6, plain, age, f->user, 1700000000, &id),
        VIGIL_OK);
    json_decref(plain);
    return id;
}

static void consent(struct fx *f, int64_t case_id, int64_t pid, int granted, int64_t at)
{
    int64_t id;
    assert_int_equal(
        store_consent_add(f->st, case_id, pid, "statistics", granted, f->user, at, &id), VIGIL_OK);
}

static void legal(struct fx *f, int64_t case_id, const char *type, const char *on,
                  const char *attrs)
{
    int64_t id;
    assert_int_equal(store_legal_add(f->st, case_id, type, on, attrs, 0, f->user, 1700000000, &id),
                     VIGIL_OK);
}

static void referral(struct fx *f, int64_t case_id, int64_t to, int64_t at, const char *state)
{
    json_t *out = NULL;
    assert_int_equal(store_referral_add(f->st, case_id, f->psp, to, "AdditionalServicesRequired",
                                        NULL, f->user, at, &out),
                     VIGIL_OK);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    if (state) {
        assert_int_equal(store_referral_decide(f->st, id, state, f->user, at + 60, &out), VIGIL_OK);
        json_decref(out);
    }
}

static void service(struct fx *f, int64_t case_id, const char *type, const char *state, int64_t at)
{
    int64_t id;
    assert_int_equal(store_service_add(f->st, case_id, 0, type, NULL, 0, NULL, NULL, state, f->ias,
                                       f->user, at, &id),
                     VIGIL_OK);
}

static void tip(struct fx *f, const char *channel, int64_t at)
{
    char hash[32];
    snprintf(hash, sizeof hash, "hash-%d", f->ntips++);
    int64_t id;
    assert_int_equal(store_tip_add(f->st, hash, channel, "sealed", 6, 0, at, &id), VIGIL_OK);
}

/*
 * The dataset. The period is October 2026; the month before is September
 * 2026 and the month a year earlier October 2025.
 *
 * cases (opened_on, category, source, owner):
 *   C1  2026-10-02 trafficking         police     PSP
 *   C2  2026-10-05 trafficking         police     PSP
 *   C3  2026-10-09 trafficking         hotline    PSP
 *   C4  2026-10-15 labour_exploitation inspection DSAL
 *   C5  2026-10-31 trafficking         NGO        IAS   (last day: in)
 *   C6  2026-09-30 trafficking         police     PSP   (previous)
 *   C7  2026-09-10 labour_exploitation inspection DSAL  (previous)
 *   C8  2025-10-01 trafficking         police     PSP   (a year ago)
 *   C9  2025-10-20 trafficking         police     PSP   (a year ago)
 *   C10 2025-10-25 labour_exploitation inspection DSAL  (a year ago)
 *   C11 2026-11-01 trafficking         police     PSP   (after: out)
 *   C12 2024-03-03 trafficking         police     PSP   (trend only)
 * victims (gender, age, citizenship, exploitation):
 *   C1: V1 Feminine 16 PH SexualExploitation;
 *       V2 Feminine 22 PH;CN SexualExploitation;ForcedLabour
 *   C2: V3 Masculine 30 VN ForcedLabour; V8 Feminine 60 PH, none (statistics
 *       consent withdrawn, then granted again: counted); a suspect (not counted)
 *   C3: V4 Feminine 40, none, none; V5 Masculine 50 VN ForcedLabour whose
 *       statistics consent was granted, then withdrawn: left out
 *   C4: V6 no gender, no age, MO ForcedLabour
 *   C5: no victims
 *   C6: V9 Masculine 35 CN ForcedLabour
 *   C8: V10 Feminine 19 PH SexualExploitation; V11 Feminine 20 PH SexualExploitation
 *   C9: V12 Feminine 17 PH SexualExploitation
 *   C11: V13 Feminine 25 (out)
 */
struct ids {
    int64_t c[13];
};

static void build(struct fx *f, struct ids *x)
{
    static const struct {
        const char *on, *cat, *src;
        int org; /* 0 PSP, 1 IAS, 2 DSAL */
    } cs[13] = {
        {NULL, NULL, NULL, 0},
        {"2026-10-02", "trafficking", "police", 0},
        {"2026-10-05", "trafficking", "police", 0},
        {"2026-10-09", "trafficking", "hotline", 0},
        {"2026-10-15", "labour_exploitation", "inspection", 2},
        {"2026-10-31", "trafficking", "NGO", 1},
        {"2026-09-30", "trafficking", "police", 0},
        {"2026-09-10", "labour_exploitation", "inspection", 2},
        {"2025-10-01", "trafficking", "police", 0},
        {"2025-10-20", "trafficking", "police", 0},
        {"2025-10-25", "labour_exploitation", "inspection", 2},
        {"2026-11-01", "trafficking", "police", 0},
        {"2024-03-03", "trafficking", "police", 0},
    };
    int64_t orgs[3] = {f->psp, f->ias, f->dsal};
    for (int i = 1; i <= 12; i++)
        x->c[i] = mk_case(f, cs[i].on, cs[i].cat, cs[i].src, orgs[cs[i].org]);
    int64_t *c = x->c;
    person(f, c[1], "victim", "Feminine", 16, "PH", "SexualExploitation");
    person(f, c[1], "victim", "Feminine", 22, "PH;CN", "SexualExploitation;ForcedLabour");
    person(f, c[2], "victim", "Masculine", 30, "VN", "ForcedLabour");
    int64_t v8 = person(f, c[2], "victim", "Feminine", 60, "PH", "");
    consent(f, c[2], v8, 0, 1700000000);
    consent(f, c[2], v8, 1, 1700000100);
    person(f, c[2], "suspect", "Masculine", 45, "CN", "");
    person(f, c[3], "victim", "Feminine", 40, "", "");
    int64_t v5 = person(f, c[3], "victim", "Masculine", 50, "VN", "ForcedLabour");
    consent(f, c[3], v5, 1, 1700000000);
    consent(f, c[3], v5, 0, 1700000100);
    person(f, c[4], "victim", NULL, -1, "MO", "ForcedLabour");
    person(f, c[6], "victim", "Masculine", 35, "CN", "ForcedLabour");
    person(f, c[8], "victim", "Feminine", 19, "PH", "SexualExploitation");
    person(f, c[8], "victim", "Feminine", 20, "PH", "SexualExploitation");
    person(f, c[9], "victim", "Feminine", 17, "PH", "SexualExploitation");
    person(f, c[11], "victim", "Feminine", 25, "PH", "SexualExploitation");

    /* legal steps */
    legal(f, c[1], "investigation_opened", "2026-10-03", "{}");
    legal(f, c[1], "charge", "2026-10-20",
          "{\"statute\":\"Penal Code\",\"article\":\"153-A\",\"exploitation\":\"sexual\"}");
    legal(f, c[1], "verdict", "2026-10-28", "{\"outcome\":\"convicted\"}");
    legal(f, c[1], "sentence", "2026-10-28", "{\"months\":40}");
    legal(f, c[2], "investigation_opened", "2026-10-06", "{}");
    legal(f, c[2], "charge", "2026-10-25",
          "{\"statute\":\"Penal Code\",\"article\":\"153-A\",\"exploitation\":\"labour\"}");
    legal(f, c[2], "charge", "2026-10-26",
          "{\"statute\":\"Law 6/2008\",\"article\":\"4\",\"exploitation\":\"labour\"}");
    legal(f, c[2], "verdict", "2026-10-30", "{\"outcome\":\"acquitted\"}");
    legal(f, c[4], "investigation_opened", "2026-10-16", "{}");
    legal(f, c[6], "investigation_opened", "2026-09-30", "{}");
    legal(f, c[6], "charge", "2026-10-02",
          "{\"statute\":\"Penal Code\",\"article\":\"153-A\",\"exploitation\":\"sexual\"}");
    legal(f, c[6], "verdict", "2026-10-29", "{\"outcome\":\"partly_convicted\"}");
    legal(f, c[6], "sentence", "2026-10-29", "{\"months\":8}");
    legal(f, c[6], "sentence", "2026-10-29", "{\"months\":130}");
    legal(f, c[8], "investigation_opened", "2025-10-02", "{}");
    legal(f, c[8], "charge", "2025-10-10",
          "{\"statute\":\"Penal Code\",\"article\":\"153-A\",\"exploitation\":\"sexual\"}");
    legal(f, c[8], "verdict", "2025-10-30", "{\"outcome\":\"convicted\"}");
    legal(f, c[8], "sentence", "2025-10-30", "{\"months\":12}");

    /* referrals (all from PSP), by the time they were made */
    referral(f, c[1], f->ias, T(2026, 10, 3, 9, 0, 0), "accepted");
    referral(f, c[1], f->ias, T(2026, 10, 4, 9, 0, 0), NULL);
    referral(f, c[2], f->dsal, T(2026, 10, 31, 23, 59, 0), "accepted");
    referral(f, c[1], f->ias, T(2026, 11, 1, 0, 0, 0), "accepted"); /* out */
    referral(f, c[6], f->ias, T(2026, 9, 15, 9, 0, 0), "rejected");
    /* services */
    service(f, c[1], "Health", "active", T(2026, 10, 2, 10, 0, 0));
    service(f, c[2], "Health", "planned", T(2026, 10, 20, 10, 0, 0));
    service(f, c[2], "Legal", "completed", T(2026, 10, 21, 10, 0, 0));
    service(f, c[3], "Legal", "cancelled", T(2026, 10, 22, 10, 0, 0)); /* never given */
    service(f, c[6], "Health", "active", T(2026, 9, 30, 23, 59, 59));
    /* tips */
    tip(f, "web", T(2026, 10, 1, 0, 0, 0)); /* the first second: in */
    tip(f, "web", T(2026, 10, 10, 12, 0, 0));
    tip(f, "hotline", T(2026, 10, 11, 12, 0, 0));
    tip(f, "web", T(2026, 9, 30, 23, 59, 59));
    tip(f, "hotline", T(2025, 10, 5, 12, 0, 0));
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/vigil-test-stats-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/test.db", f->dir);
    char err[256];
    if (store_open(f->db, &f->st, err, sizeof err) || store_migrate(f->st, NULL))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->st);
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[160];
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", f->db, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static json_t *compute(struct fx *f, const char *from, const char *to, int k, int years)
{
    struct stats_query q = {from, to, k, years};
    json_t *out = NULL;
    int rc = stats_compute(f->st, &q, &out);
    if (rc)
        print_error("stats_compute: %d %s\n", rc, store_errmsg(f->st));
    assert_int_equal(rc, VIGIL_OK);
    assert_non_null(out);
    return out;
}

static json_t *find(json_t *arr, const char *id)
{
    size_t i;
    json_t *t;
    json_array_foreach(arr, i, t)
    {
        if (strcmp(json_string_value(json_object_get(t, "id")), id) == 0)
            return t;
    }
    print_error("no table or trend %s\n", id);
    fail();
    return NULL;
}

#define NUL   -1 /* a suppressed cell */
#define NOROW -2

/* The cell of a table: row key (NULL: the total), which ("values",
 * "previous", "year_ago") and column; NUL when suppressed, NOROW when the
 * row is absent. */
static int64_t cell(json_t *out, const char *id, const char *key, const char *which, int col)
{
    json_t *t = find(json_object_get(out, "tables"), id);
    json_t *r = NULL;
    if (!key) {
        r = json_object_get(t, "total");
    } else {
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(t, "rows"), i, x)
        {
            if (strcmp(json_string_value(json_object_get(x, "key")), key) == 0)
                r = x;
        }
    }
    if (!r || json_is_null(r))
        return NOROW;
    json_t *v = json_array_get(json_object_get(r, which), (size_t)col);
    assert_non_null(v);
    return json_is_null(v) ? NUL : json_integer_value(v);
}

#define V(id, key, col)  cell(out, id, key, "values", col)
#define PV(id, key, col) cell(out, id, key, "previous", col)
#define YA(id, key, col) cell(out, id, key, "year_ago", col)

/* The keys of a table's rows in order, ","-joined. */
static void row_keys(json_t *out, const char *id, char *buf, size_t n)
{
    json_t *t = find(json_object_get(out, "tables"), id);
    buf[0] = '\0';
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(t, "rows"), i, x)
    {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%s", i ? "," : "",
                 json_string_value(json_object_get(x, "key")));
    }
}

static int64_t series(json_t *out, const char *id, const char *key, int i)
{
    json_t *t = find(json_object_get(out, "trends"), id);
    size_t j;
    json_t *x;
    json_array_foreach(json_object_get(t, "series"), j, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "key")), key) == 0) {
            json_t *v = json_array_get(json_object_get(x, "values"), (size_t)i);
            assert_non_null(v);
            return json_is_null(v) ? NUL : json_integer_value(v);
        }
    }
    return NOROW;
}

static void test_periods(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *from, *to, *pf, *pt, *yf, *yt;
    } cases[] = {
        /* a month: the month before, the same month a year back */
        {"2026-10-01", "2026-10-31", "2026-09-01", "2026-09-30", "2025-10-01", "2025-10-31"},
        /* a month of 31 days after one of 30: whole months, not 31 days */
        {"2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28", "2025-03-01", "2025-03-31"},
        /* February of a leap year: its last day stays the last day */
        {"2024-02-01", "2024-02-29", "2024-01-01", "2024-01-31", "2023-02-01", "2023-02-28"},
        {"2025-02-01", "2025-02-28", "2025-01-01", "2025-01-31", "2024-02-01", "2024-02-29"},
        /* a quarter: the quarter before; a year */
        {"2026-01-01", "2026-03-31", "2025-10-01", "2025-12-31", "2025-01-01", "2025-03-31"},
        {"2025-01-01", "2025-12-31", "2024-01-01", "2024-12-31", "2024-01-01", "2024-12-31"},
        /* ten days: the ten days before */
        {"2026-10-10", "2026-10-19", "2026-09-30", "2026-10-09", "2025-10-10", "2025-10-19"},
        /* one day */
        {"2026-03-01", "2026-03-01", "2026-02-28", "2026-02-28", "2025-03-01", "2025-03-01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *out = compute(f, cases[i].from, cases[i].to, 3, 1);
        json_t *p = json_object_get(out, "previous"), *y = json_object_get(out, "year_ago");
        assert_string_equal(json_string_value(json_object_get(out, "from")), cases[i].from);
        assert_string_equal(json_string_value(json_object_get(out, "to")), cases[i].to);
        assert_string_equal(json_string_value(json_object_get(p, "from")), cases[i].pf);
        assert_string_equal(json_string_value(json_object_get(p, "to")), cases[i].pt);
        assert_string_equal(json_string_value(json_object_get(y, "from")), cases[i].yf);
        assert_string_equal(json_string_value(json_object_get(y, "to")), cases[i].yt);
        assert_int_equal(json_integer_value(json_object_get(out, "k")), 3);
        json_decref(out);
    }
    /* bad periods, k and spans */
    static const struct stats_query bad[] = {
        {"2026-10-31", "2026-10-01", 3, 10}, /* from after to */
        {"2026-13-01", "2026-12-31", 3, 10}, {"2026-10-01", "2026-10-32", 3, 10},
        {NULL, "2026-10-31", 3, 10},         {"2026-10-01", "2026-10-31", 0, 10},
        {"2026-10-01", "2026-10-31", 3, 0},  {"2026-10-01", "2026-10-31", 3, 11},
        {"2010-01-01", "2026-10-31", 3, 10}, /* more than ten years */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *out = (json_t *)1;
        assert_int_equal(stats_compute(f->st, &bad[i], &out), VIGIL_EINVAL);
        assert_null(out);
    }
}

static void test_figures(void **state)
{
    struct fx *f = *state;
    f->psp = add_org(f, "PSP");
    f->ias = add_org(f, "IAS");
    f->dsal = add_org(f, "DSAL");
    struct user u;
    memset(&u, 0, sizeof u);
    snprintf(u.username, sizeof u.username, "ana");
    snprintf(u.pw_hash, sizeof u.pw_hash, "x");
    u.org_id = f->psp;
    u.created_at = 1700000000;
    assert_int_equal(store_user_add(f->st, &u), VIGIL_OK);
    f->user = u.id;
    struct ids x;
    build(f, &x);

    json_t *out = compute(f, "2026-10-01", "2026-10-31", 1, 3);
    char keys[256];
    assert_int_equal(json_integer_value(json_object_get(out, "suppressed")), 0);

    /* new cases: C1..C5 in the period (C11 opened the day after), C6, C7
     * the month before, C8..C10 a year before */
    assert_int_equal(V("cases_by_category", "trafficking", 0), 4);         /* C1 C2 C3 C5 */
    assert_int_equal(V("cases_by_category", "labour_exploitation", 0), 1); /* C4 */
    assert_int_equal(V("cases_by_category", NULL, 0), 5);
    assert_int_equal(PV("cases_by_category", "trafficking", 0), 1);         /* C6 */
    assert_int_equal(PV("cases_by_category", "labour_exploitation", 0), 1); /* C7 */
    assert_int_equal(PV("cases_by_category", NULL, 0), 2);
    assert_int_equal(YA("cases_by_category", "trafficking", 0), 2); /* C8 C9 */
    assert_int_equal(YA("cases_by_category", NULL, 0), 3);
    row_keys(out, "cases_by_category", keys, sizeof keys);
    assert_string_equal(keys, "trafficking,labour_exploitation"); /* largest first */
    assert_int_equal(V("cases_by_source", "police", 0), 2);       /* C1 C2 */
    assert_int_equal(V("cases_by_source", "hotline", 0), 1);
    assert_int_equal(V("cases_by_source", "inspection", 0), 1);
    assert_int_equal(V("cases_by_source", "NGO", 0), 1);
    assert_int_equal(YA("cases_by_source", "police", 0), 2); /* C8 C9 */
    row_keys(out, "cases_by_source", keys, sizeof keys);
    assert_string_equal(keys, "police,NGO,hotline,inspection"); /* then by key */
    assert_int_equal(V("cases_by_org", "PSP", 0), 3);           /* C1 C2 C3 */
    assert_int_equal(V("cases_by_org", "IAS", 0), 1);           /* C5 */
    assert_int_equal(V("cases_by_org", "DSAL", 0), 1);
    /* by exploitation, from the victims: C1 SexualExploitation (V1, V2) and
     * ForcedLabour (V2); C2 ForcedLabour (V3; V8 has none); C3 none (V4 has
     * none and V5 withdrew consent); C4 ForcedLabour (V6); C5 no victims */
    assert_int_equal(V("cases_by_exploitation", "SexualExploitation", 0), 1); /* C1 */
    assert_int_equal(V("cases_by_exploitation", "ForcedLabour", 0), 3);       /* C1 C2 C4 */
    assert_int_equal(V("cases_by_exploitation", "unknown", 0), 2);            /* C3 C5 */
    assert_int_equal(V("cases_by_exploitation", NULL, 0), 5);                 /* cases, not sum */
    assert_int_equal(PV("cases_by_exploitation", "ForcedLabour", 0), 1);      /* C6 (V9) */
    assert_int_equal(PV("cases_by_exploitation", "unknown", 0), 1);           /* C7 */

    /* victims: V1 V2 V3 V4 V6 V8 (V5 withdrew consent; the suspect is not
     * a victim) */
    assert_int_equal(V("victims_by_sex", "Feminine", 0), 4); /* V1 V2 V4 V8 */
    assert_int_equal(V("victims_by_sex", "Masculine", 0), 1);
    assert_int_equal(V("victims_by_sex", "unknown", 0), 1); /* V6 */
    assert_int_equal(V("victims_by_sex", NULL, 0), 6);
    assert_int_equal(PV("victims_by_sex", "Masculine", 0), 1); /* V9 */
    assert_int_equal(YA("victims_by_sex", "Feminine", 0), 3);  /* V10 V11 V12 */
    assert_int_equal(YA("victims_by_sex", NULL, 0), 3);
    /* age bands, in their order: 16, 22, 30, 40, (50 left out), 60, unknown */
    row_keys(out, "victims_by_age_band", keys, sizeof keys);
    assert_string_equal(keys, "0-17,18-24,25-34,35-44,45-54,55+,unknown");
    assert_int_equal(V("victims_by_age_band", "0-17", 0), 1);
    assert_int_equal(V("victims_by_age_band", "18-24", 0), 1);
    assert_int_equal(V("victims_by_age_band", "25-34", 0), 1);
    assert_int_equal(V("victims_by_age_band", "35-44", 0), 1);
    assert_int_equal(V("victims_by_age_band", "45-54", 0), 0);
    assert_int_equal(V("victims_by_age_band", "55+", 0), 1);
    assert_int_equal(V("victims_by_age_band", "unknown", 0), 1);
    assert_int_equal(YA("victims_by_age_band", "0-17", 0), 1);  /* V12 (17) */
    assert_int_equal(YA("victims_by_age_band", "18-24", 0), 2); /* V10 V11 */
    assert_int_equal(PV("victims_by_age_band", "35-44", 0), 1); /* V9 (35) */
    /* citizenship: a person once per citizenship; V2 is PH and CN */
    assert_int_equal(V("victims_by_citizenship", "PH", 0), 3); /* V1 V2 V8 */
    assert_int_equal(V("victims_by_citizenship", "CN", 0), 1); /* V2 */
    assert_int_equal(V("victims_by_citizenship", "VN", 0), 1); /* V3, not V5 */
    assert_int_equal(V("victims_by_citizenship", "MO", 0), 1);
    assert_int_equal(V("victims_by_citizenship", "unknown", 0), 1); /* V4 */
    assert_int_equal(V("victims_by_citizenship", NULL, 0), 6);      /* persons */
    assert_int_equal(YA("victims_by_citizenship", "PH", 0), 3);
    assert_int_equal(V("victims_by_exploitation", "SexualExploitation", 0), 2); /* V1 V2 */
    assert_int_equal(V("victims_by_exploitation", "ForcedLabour", 0), 3);       /* V2 V3 V6 */
    assert_int_equal(V("victims_by_exploitation", "unknown", 0), 2);            /* V4 V8 */

    /* referrals made in October: two to IAS (one accepted), one to DSAL
     * (accepted); the one of 1 November 00:00 is out */
    assert_int_equal(V("referrals_by_org", "IAS", 0), 2);
    assert_int_equal(V("referrals_by_org", "IAS", 1), 1);
    assert_int_equal(V("referrals_by_org", "DSAL", 0), 1);
    assert_int_equal(V("referrals_by_org", "DSAL", 1), 1);
    assert_int_equal(V("referrals_by_org", NULL, 0), 3);
    assert_int_equal(V("referrals_by_org", NULL, 1), 2);
    assert_int_equal(PV("referrals_by_org", "IAS", 0), 1); /* rejected */
    assert_int_equal(PV("referrals_by_org", "IAS", 1), 0);
    /* services: Health twice, Legal once (the cancelled one is left out) */
    assert_int_equal(V("services_by_type", "Health", 0), 2);
    assert_int_equal(V("services_by_type", "Legal", 0), 1);
    assert_int_equal(V("services_by_type", NULL, 0), 3);
    assert_int_equal(PV("services_by_type", "Health", 0), 1); /* 30 Sep 23:59:59 */

    /* legal, by the exploitation of the case's first charge:
     * investigations: C1 (sexual), C2 (labour), C4 (no charge: other);
     * prosecutions (charged in October): C1 sexual, C6 sexual, C2 labour
     * (charged twice: once); convictions: C1 convicted, C6 partly (both
     * sexual), C2 acquitted (not counted) */
    row_keys(out, "legal", keys, sizeof keys);
    assert_string_equal(keys, "investigations,prosecutions,convictions");
    assert_int_equal(V("legal", "investigations", 0), 1);
    assert_int_equal(V("legal", "investigations", 1), 1);
    assert_int_equal(V("legal", "investigations", 2), 1);
    assert_int_equal(V("legal", "investigations", 3), 3);
    assert_int_equal(V("legal", "prosecutions", 0), 2);
    assert_int_equal(V("legal", "prosecutions", 1), 1);
    assert_int_equal(V("legal", "prosecutions", 2), 0);
    assert_int_equal(V("legal", "prosecutions", 3), 3);
    assert_int_equal(V("legal", "convictions", 0), 2);
    assert_int_equal(V("legal", "convictions", 3), 2);
    assert_int_equal(PV("legal", "investigations", 0), 1); /* C6, 30 Sep */
    assert_int_equal(PV("legal", "prosecutions", 3), 0);
    assert_int_equal(YA("legal", "investigations", 0), 1); /* C8 */
    assert_int_equal(YA("legal", "prosecutions", 0), 1);
    assert_int_equal(YA("legal", "convictions", 0), 1);
    assert_int_equal(cell(out, "legal", NULL, "values", 0), NOROW); /* no total */
    /* charges by article, by the charge's own exploitation */
    assert_int_equal(V("legal_by_statute", "Penal Code 153-A", 0), 2); /* C1 C6 */
    assert_int_equal(V("legal_by_statute", "Penal Code 153-A", 1), 1); /* C2 */
    assert_int_equal(V("legal_by_statute", "Penal Code 153-A", 3), 3);
    assert_int_equal(V("legal_by_statute", "Law 6/2008 4", 1), 1);
    assert_int_equal(V("legal_by_statute", "Law 6/2008 4", 3), 1);
    assert_int_equal(V("legal_by_statute", NULL, 3), 4);
    row_keys(out, "legal_by_statute", keys, sizeof keys);
    assert_string_equal(keys, "Penal Code 153-A,Law 6/2008 4");
    /* sentences: 40 months (3-5y), 8 (<1y), 130 (10y+); a year ago 12 (1-3y) */
    row_keys(out, "sentences", keys, sizeof keys);
    assert_string_equal(keys, "<1y,1-3y,3-5y,5-10y,10y+");
    assert_int_equal(V("sentences", "<1y", 0), 1);
    assert_int_equal(V("sentences", "1-3y", 0), 0);
    assert_int_equal(V("sentences", "3-5y", 0), 1);
    assert_int_equal(V("sentences", "10y+", 0), 1);
    assert_int_equal(V("sentences", NULL, 0), 3);
    assert_int_equal(YA("sentences", "1-3y", 0), 1);
    /* tips: web at 1 Oct 00:00:00 and 10 Oct, hotline 11 Oct; 30 Sep
     * 23:59:59 is the month before */
    assert_int_equal(V("tips_by_channel", "web", 0), 2);
    assert_int_equal(V("tips_by_channel", "hotline", 0), 1);
    assert_int_equal(PV("tips_by_channel", "web", 0), 1);
    assert_int_equal(YA("tips_by_channel", "hotline", 0), 1);
    /* activities: the three kinds, none recorded */
    row_keys(out, "activities", keys, sizeof keys);
    assert_string_equal(keys, "inspection,training,awareness");
    assert_int_equal(V("activities", "training", 4), 0);

    /* the trend of three years (2024..2026, to 31 October 2026): C12;
     * C8 C9 C10; C1 C2 C3 C5 C6 and C4 C7 (C11 is after the period) */
    json_t *t = find(json_object_get(out, "trends"), "cases_yearly");
    assert_string_equal(json_string_value(json_object_get(t, "unit")), "year");
    assert_int_equal(json_array_size(json_object_get(t, "periods")), 3);
    assert_string_equal(json_string_value(json_array_get(json_object_get(t, "periods"), 0)),
                        "2024");
    assert_int_equal(series(out, "cases_yearly", "trafficking", 0), 1);
    assert_int_equal(series(out, "cases_yearly", "trafficking", 1), 2);
    assert_int_equal(series(out, "cases_yearly", "trafficking", 2), 5);
    assert_int_equal(series(out, "cases_yearly", "labour_exploitation", 0), 0);
    assert_int_equal(series(out, "cases_yearly", "labour_exploitation", 1), 1);
    assert_int_equal(series(out, "cases_yearly", "labour_exploitation", 2), 2);
    /* the years' totals: 1, 3, 7; legal_yearly's measures do not add up */
    json_t *tot = json_object_get(t, "total");
    assert_int_equal(json_integer_value(json_array_get(tot, 0)), 1);
    assert_int_equal(json_integer_value(json_array_get(tot, 1)), 3);
    assert_int_equal(json_integer_value(json_array_get(tot, 2)), 7);
    assert_null(json_object_get(find(json_object_get(out, "trends"), "legal_yearly"), "total"));
    /* 24 months to October 2026: the last is October, the one before September */
    t = find(json_object_get(out, "trends"), "cases_monthly");
    assert_int_equal(json_array_size(json_object_get(t, "periods")), 24);
    assert_string_equal(json_string_value(json_array_get(json_object_get(t, "periods"), 23)),
                        "2026-10");
    assert_string_equal(json_string_value(json_array_get(json_object_get(t, "periods"), 0)),
                        "2024-11");
    assert_int_equal(series(out, "cases_monthly", "trafficking", 23), 4);
    assert_int_equal(series(out, "cases_monthly", "trafficking", 22), 1);
    assert_int_equal(series(out, "cases_monthly", "trafficking", 11), 2); /* 2025-10 */
    /* victims by sex a year: 2026 is V1 V2 V4 V8 and V9 V3, V6 */
    assert_int_equal(series(out, "victims_yearly", "Feminine", 2), 4);
    assert_int_equal(series(out, "victims_yearly", "Masculine", 2), 2);
    assert_int_equal(series(out, "victims_yearly", "Feminine", 1), 3);
    /* legal a year: 2026 investigations C6 C1 C2 C4, prosecutions C1 C2 C6 */
    assert_int_equal(series(out, "legal_yearly", "investigations", 2), 4);
    assert_int_equal(series(out, "legal_yearly", "prosecutions", 2), 3);
    assert_int_equal(series(out, "legal_yearly", "convictions", 2), 2);
    assert_int_equal(series(out, "legal_yearly", "convictions", 1), 1);
    json_decref(out);

    /* The same at k = 3. */
    out = compute(f, "2026-10-01", "2026-10-31", 3, 3);
    assert_true(json_integer_value(json_object_get(out, "suppressed")) > 0);
    /* category: 1 is hidden, and then 4, the only other non-zero; the
     * total 5 stays */
    assert_int_equal(V("cases_by_category", "labour_exploitation", 0), NUL);
    assert_int_equal(V("cases_by_category", "trafficking", 0), NUL);
    assert_int_equal(V("cases_by_category", NULL, 0), 5);
    /* the month before: 1 and 1 hidden, and the total 2 */
    assert_int_equal(PV("cases_by_category", "trafficking", 0), NUL);
    assert_int_equal(PV("cases_by_category", NULL, 0), NUL);
    /* owners: IAS 1 and DSAL 1 hidden (two: no secondary), PSP 3 shown */
    assert_int_equal(V("cases_by_org", "PSP", 0), 3);
    assert_int_equal(V("cases_by_org", "IAS", 0), NUL);
    assert_int_equal(V("cases_by_org", "DSAL", 0), NUL);
    row_keys(out, "cases_by_org", keys, sizeof keys);
    assert_string_equal(keys, "PSP,DSAL,IAS"); /* shown, then hidden by key */
    /* exploitation: SexualExploitation 1, unknown 2 hidden; 3 shown */
    assert_int_equal(V("cases_by_exploitation", "ForcedLabour", 0), 3);
    assert_int_equal(V("cases_by_exploitation", "unknown", 0), NUL);
    /* victims by sex: Masculine 1, unknown 1 hidden; Feminine 4 shown */
    assert_int_equal(V("victims_by_sex", "Feminine", 0), 4);
    assert_int_equal(V("victims_by_sex", "Masculine", 0), NUL);
    assert_int_equal(V("victims_by_sex", "unknown", 0), NUL);
    assert_int_equal(V("victims_by_sex", NULL, 0), 6);
    /* zero stays zero */
    assert_int_equal(V("victims_by_age_band", "45-54", 0), 0);
    assert_int_equal(V("victims_by_citizenship", "PH", 0), 3);
    /* services: Health 2 and Legal 1 are both below 3; the total 3 stays */
    assert_int_equal(V("services_by_type", "Health", 0), NUL);
    assert_int_equal(V("services_by_type", "Legal", 0), NUL);
    assert_int_equal(V("services_by_type", NULL, 0), 3);
    /* legal: each part of 1 or 2 is hidden; the row totals 3 stay, as the
     * rows are different measures (no column total to protect); the
     * convictions' total 2 goes, and with it no other part (0, 0) */
    assert_int_equal(V("legal", "investigations", 3), 3);
    assert_int_equal(V("legal", "investigations", 0), NUL);
    assert_int_equal(V("legal", "prosecutions", 3), 3);
    assert_int_equal(V("legal", "prosecutions", 2), 0);
    assert_int_equal(V("legal", "convictions", 3), NUL);
    /* trends: 2024 {1, 0}: the 1; 2025 {2, 1} and 2026 {5, 2}: both */
    assert_int_equal(series(out, "cases_yearly", "trafficking", 0), NUL);
    assert_int_equal(series(out, "cases_yearly", "labour_exploitation", 0), 0);
    assert_int_equal(series(out, "cases_yearly", "trafficking", 1), NUL);
    assert_int_equal(series(out, "cases_yearly", "trafficking", 2), NUL);
    assert_int_equal(series(out, "cases_yearly", "labour_exploitation", 2), NUL);
    /* the totals 1, 3, 7 at k = 3: the 1 alone is below k */
    tot = json_object_get(find(json_object_get(out, "trends"), "cases_yearly"), "total");
    assert_true(json_is_null(json_array_get(tot, 0)));
    assert_int_equal(json_integer_value(json_array_get(tot, 1)), 3);
    assert_int_equal(json_integer_value(json_array_get(tot, 2)), 7);
    json_decref(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suppress_rule),
        cmocka_unit_test_setup_teardown(test_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
