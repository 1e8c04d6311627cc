/*
 * Tests of the differentially private release (src/share/release_dp.c):
 * the exact samplers against their exact distributions (mean, variance,
 * tail frequencies and a chi-square test over a central range, with
 * tolerances of six standard errors or more, so that they never flake but
 * catch any wrong parameter), the tail bound the thresholds rest on, the
 * budget plan, the contribution cap, thresholds and consistency on small
 * data sets, and the CLI's errors.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "share/release.h"

static char dir[64];

static void path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text)
{
    char p[256];
    path(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* ---- Bernoulli(exp(-gamma)) ------------------------------------------------ */

static void check_bernoulli(uint64_t num, uint64_t den, int n)
{
    double p = exp(-(double)num / (double)den);
    long ones = 0;
    for (int i = 0; i < n; i++) {
        int b = rel_dp_bernoulli_exp(num, den);
        assert_true(b == 0 || b == 1);
        ones += b;
    }
    double ph = (double)ones / n;
    double tol = 6 * sqrt(p * (1 - p) / n) + 1e-12;
    if (fabs(ph - p) > tol)
        fail_msg("Bernoulli(exp(-%llu/%llu)): %.5f drawn, %.5f expected (tolerance %.5f)",
                 (unsigned long long)num, (unsigned long long)den, ph, p, tol);
}

static void test_bernoulli_exp(void **state)
{
    (void)state;
    check_bernoulli(0, 1, 2000); /* exactly 1: every draw is 1 */
    check_bernoulli(1, 3, 100000);
    check_bernoulli(1, 1, 100000);
    check_bernoulli(5, 2, 100000);
    check_bernoulli(7, 1, 100000);
    check_bernoulli(999, 1000, 100000);
}

/* ---- distributions over the integers ------------------------------------- */

#define RANGE 4000 /* pmf support considered: |y| <= RANGE (the rest is below 1e-300) */

struct dist {
    double pmf[2 * RANGE + 1]; /* index y + RANGE, normalised numerically */
    double mean, var, mu4;
};

static void dist_from_logw(struct dist *d, double (*logw)(int64_t, const void *), const void *arg)
{
    double z = 0;
    for (int64_t y = -RANGE; y <= RANGE; y++) {
        d->pmf[y + RANGE] = exp(logw(y, arg));
        z += d->pmf[y + RANGE];
    }
    d->mean = d->var = d->mu4 = 0;
    for (int64_t y = -RANGE; y <= RANGE; y++) {
        d->pmf[y + RANGE] /= z;
        d->mean += (double)y * d->pmf[y + RANGE];
    }
    for (int64_t y = -RANGE; y <= RANGE; y++) {
        double c = (double)y - d->mean;
        d->var += c * c * d->pmf[y + RANGE];
        d->mu4 += c * c * c * c * d->pmf[y + RANGE];
    }
}

static double logw_lap(int64_t y, const void *arg)
{
    const double *st = arg; /* s / t */
    return -fabs((double)y) * st[0];
}

static double logw_gauss(int64_t y, const void *arg)
{
    const double *s2 = arg;
    return -(double)y * (double)y / (2 * s2[0]);
}

/*
 * Draw n values, then compare the empirical mean, variance, the frequency
 * of |Y| >= tail and a chi-square statistic over the bins of expected count
 * >= 20 (the rest pooled in one bin) with the exact distribution.
 */
static void check_samples(const struct dist *d, int64_t (*draw)(const void *), const void *arg,
                          int n, int64_t tail, const char *what)
{
    long *hist = calloc(2 * RANGE + 1, sizeof *hist);
    assert_non_null(hist);
    double sum = 0, sum2 = 0;
    long outside = 0, tails = 0;
    for (int i = 0; i < n; i++) {
        int64_t y = draw(arg);
        sum += (double)y;
        sum2 += (double)y * (double)y;
        if (y < -RANGE || y > RANGE)
            outside++;
        else
            hist[y + RANGE]++;
        if (y >= tail || y <= -tail)
            tails++;
    }
    assert_int_equal(outside, 0);
    double mean = sum / n, var = sum2 / n - mean * mean;
    double tol_mean = 6 * sqrt(d->var / n);
    if (fabs(mean - d->mean) > tol_mean)
        fail_msg("%s: mean %.4f, expected %.4f (tolerance %.4f)", what, mean, d->mean, tol_mean);
    double tol_var = 6 * sqrt((d->mu4 - d->var * d->var) / n) + 6 * d->var / n;
    if (fabs(var - d->var) > tol_var)
        fail_msg("%s: variance %.4f, expected %.4f (tolerance %.4f)", what, var, d->var, tol_var);
    double pt = 0;
    for (int64_t y = -RANGE; y <= RANGE; y++)
        if (y >= tail || y <= -tail)
            pt += d->pmf[y + RANGE];
    double tol_t = 6 * sqrt(pt * (1 - pt) / n) + 1e-12;
    if (fabs((double)tails / n - pt) > tol_t)
        fail_msg("%s: P(|Y| >= %lld) %.5f, expected %.5f", what, (long long)tail, (double)tails / n,
                 pt);
    /* chi-square */
    double x2 = 0, pooled_e = 0;
    long pooled_o = 0;
    int bins = 0;
    for (int64_t y = -RANGE; y <= RANGE; y++) {
        double e = d->pmf[y + RANGE] * n;
        if (e >= 20) {
            double o = (double)hist[y + RANGE];
            x2 += (o - e) * (o - e) / e;
            bins++;
        } else {
            pooled_e += e;
            pooled_o += hist[y + RANGE];
        }
    }
    if (pooled_e >= 20) {
        x2 += ((double)pooled_o - pooled_e) * ((double)pooled_o - pooled_e) / pooled_e;
        bins++;
    } else {
        /* too rare to test by chi-square: expected below 20, allow a wide margin */
        assert_true((double)pooled_o <= pooled_e + 6 * sqrt(pooled_e + 1) + 6);
    }
    int df = bins - 1;
    assert_true(df >= 2);
    /* P(X2 > df + 12 sqrt(2 df) + 30) is below 1e-15 for these df */
    double crit = df + 12 * sqrt(2.0 * df) + 30;
    if (x2 > crit)
        fail_msg("%s: chi-square %.1f over %d degrees of freedom (critical %.1f)", what, x2, df,
                 crit);
    free(hist);
}

struct lap_arg {
    uint64_t s, t;
};

static int64_t draw_lap(const void *arg)
{
    const struct lap_arg *a = arg;
    return rel_dp_dlaplace(a->s, a->t);
}

static void test_discrete_laplace(void **state)
{
    (void)state;
    static struct dist d;
    static const struct lap_arg cases[] = {{1, 1}, {1, 3}, {2, 5}, {3, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double st = (double)cases[i].s / (double)cases[i].t;
        dist_from_logw(&d, logw_lap, &st);
        /* the variance has a closed form: 2 e^-a / (1 - e^-a)^2 */
        double ea = exp(-st);
        assert_true(fabs(d.var - 2 * ea / ((1 - ea) * (1 - ea))) < 1e-9 * (1 + d.var));
        char what[64];
        snprintf(what, sizeof what, "DLap(s=%llu,t=%llu)", (unsigned long long)cases[i].s,
                 (unsigned long long)cases[i].t);
        check_samples(&d, draw_lap, &cases[i], 100000, (int64_t)(2 * cases[i].t / cases[i].s) + 1,
                      what);
    }
}

struct gauss_arg {
    uint64_t num, den;
};

static int64_t draw_gauss(const void *arg)
{
    const struct gauss_arg *a = arg;
    return rel_dp_dgauss(a->num, a->den);
}

static void test_discrete_gaussian(void **state)
{
    (void)state;
    static struct dist d;
    /* sigma^2 = 1/2, 1, 5/2, 4, 30.25 (an integer t after floor(sigma) + 1), 100 */
    static const struct gauss_arg cases[] = {{1, 2}, {1, 1}, {5, 2}, {4, 1}, {121, 4}, {100, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double s2 = (double)cases[i].num / (double)cases[i].den;
        dist_from_logw(&d, logw_gauss, &s2);
        char what[64];
        snprintf(what, sizeof what, "DGauss(sigma^2=%llu/%llu)", (unsigned long long)cases[i].num,
                 (unsigned long long)cases[i].den);
        check_samples(&d, draw_gauss, &cases[i], 100000, (int64_t)ceil(2 * sqrt(s2)), what);
    }
    /* a large sigma, as in real releases: mean and variance only (fewer draws) */
    double s2 = 947655.0 / 1000;
    struct gauss_arg big = {947655, 1000};
    double sum = 0, sum2 = 0;
    const int n = 40000;
    for (int i = 0; i < n; i++) {
        double y = (double)draw_gauss(&big);
        sum += y;
        sum2 += y * y;
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    /* the discrete Gaussian's variance is sigma^2 to within 1e-100 at this sigma */
    assert_true(fabs(mean) <= 6 * sqrt(s2 / n));
    assert_true(fabs(var - s2) <= 6 * sqrt(2 * s2 * s2 / n));
    /* a tiny sigma: every draw is 0 (P(Y != 0) is about 2 e^-500) */
    for (int i = 0; i < 1000; i++)
        assert_int_equal(rel_dp_dgauss(1, 1000), 0);
}

/* The thresholds rest on P(Z >= m) <= P(N(0, sigma^2) >= m - 1) for m >= 1. */
static void test_tail_bound(void **state)
{
    (void)state;
    static struct dist d;
    static const double s2s[] = {0.3, 1, 2.5, 11, 100, 900};
    for (size_t i = 0; i < sizeof s2s / sizeof s2s[0]; i++) {
        dist_from_logw(&d, logw_gauss, &s2s[i]);
        double sigma = sqrt(s2s[i]);
        for (int64_t m = 1; m <= (int64_t)(12 * sigma) + 2 && m < RANGE; m++) {
            double exact = 0;
            for (int64_t y = m; y <= RANGE; y++)
                exact += d.pmf[y + RANGE];
            double bound = 0.5 * erfc((double)(m - 1) / (sigma * sqrt(2.0)));
            assert_true(exact <= bound * (1 + 1e-12) + 1e-300);
        }
    }
}

/* ---- the plan ---------------------------------------------------------------- */

static void test_plan(void **state)
{
    (void)state;
    struct rel_dp_params p;
    char err[256];
    assert_int_equal(rel_dp_plan(1.0, 1e-6, 3, 10, 10, 63, &p, err, sizeof err), 0);
    /* rho from the conversion rho + 2 sqrt(rho ln(2/delta)) = epsilon - ln(1/(1 - delta/2)) */
    double e = 1.0 + log1p(-0.5e-6), lg = log(2 / 1e-6);
    assert_true(fabs(p.rho + 2 * sqrt(p.rho * lg) - e) < 1e-9);
    double total = 0;
    for (int l = 0; l <= 3; l++)
        total += p.rho_len[l];
    assert_true(fabs(total - p.rho) < 1e-12);
    assert_true(fabs(p.rho_len[0] - 0.05 * p.rho) < 1e-12);
    for (int l = 1; l <= 3; l++) {
        assert_int_equal(p.contrib[l], 10);
        double s2 = (double)p.s2_num[l] / REL_DP_DEN;
        /* sigma^2 rounded up: the zCDP of this length is at most its share */
        assert_true((double)p.contrib[l] / (2 * s2) <= p.rho_len[l]);
        assert_true(s2 - (double)p.contrib[l] / (2 * p.rho_len[l]) < 3.0 / REL_DP_DEN);
        /* the threshold is the smallest meeting the selection share of delta */
        double sigma = sqrt(s2), dl = 1e-6 / 2 / 3;
        int64_t t = p.threshold[l];
        assert_true(10 * 0.5 * erfc((double)(t - 1) / (sigma * sqrt(2.0))) <= dl);
        assert_true(10 * 0.5 * erfc((double)(t - 2) / (sigma * sqrt(2.0))) > dl);
    }
    assert_int_equal(p.s2_num[0], (uint64_t)ceil(1 / (2 * p.rho_len[0]) * REL_DP_DEN) + 1);
    /* few columns: a record cannot add to more combinations than exist */
    assert_int_equal(rel_dp_plan(1.0, 1e-6, 3, 10, 2, 3, &p, err, sizeof err), 0);
    assert_int_equal(p.contrib[1], 3);
    assert_int_equal(p.contrib[2], 3);
    assert_int_equal(p.contrib[3], 1);
    /* a large k raises the thresholds */
    assert_int_equal(rel_dp_plan(50.0, 1e-3, 1, 1, 1000, 3, &p, err, sizeof err), 0);
    assert_int_equal(p.threshold[1], 999);
    /* bad parameters */
    assert_int_equal(rel_dp_plan(0, 1e-6, 3, 10, 2, 5, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "--epsilon"));
    assert_int_equal(rel_dp_plan(-1, 1e-6, 3, 10, 2, 5, &p, err, sizeof err), -1);
    assert_int_equal(rel_dp_plan(101, 1e-6, 3, 10, 2, 5, &p, err, sizeof err), -1);
    assert_int_equal(rel_dp_plan(NAN, 1e-6, 3, 10, 2, 5, &p, err, sizeof err), -1);
    assert_int_equal(rel_dp_plan(1, 0, 3, 10, 2, 5, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "--delta"));
    assert_int_equal(rel_dp_plan(1, 1, 3, 10, 2, 5, &p, err, sizeof err), -1);
    assert_int_equal(rel_dp_plan(1, 1e-6, 3, 0, 2, 5, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "--dp-cap"));
    assert_int_equal(rel_dp_plan(1e-9, 1e-6, 3, 10, 2, 5, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "too small"));
}

/* ---- aggregates ---------------------------------------------------------------- */

/* A plan with hand-set noise and thresholds (the tests' control over both). */
static void manual_plan(struct rel_dp_params *p, int len, uint64_t cap, uint64_t s2_num,
                        int64_t threshold)
{
    memset(p, 0, sizeof *p);
    p->len = len;
    p->cap = cap;
    p->contrib[0] = 1;
    p->s2_num[0] = s2_num;
    for (int l = 1; l <= len; l++) {
        p->contrib[l] = cap;
        p->s2_num[l] = s2_num;
        p->threshold[l] = threshold;
    }
}

static const char *label(const struct rel_data *d, uint32_t id, char *buf, size_t n)
{
    snprintf(buf, n, "%s:%s", d->cols[d->item_col[id]], d->item_val[id]);
    return buf;
}

/* The count of the combination of the given labels ("a:x"), 0 when absent. */
static uint64_t count_of(const struct rel_data *d, const struct rel_aggs *a, int l, ...)
{
    uint32_t ids[REL_MAX_LEN];
    va_list ap;
    va_start(ap, l);
    for (int i = 0; i < l; i++) {
        const char *want = va_arg(ap, const char *);
        ids[i] = UINT32_MAX;
        char buf[128];
        for (uint32_t it = 0; it < d->nitems; it++)
            if (strcmp(label(d, it, buf, sizeof buf), want) == 0)
                ids[i] = it;
        assert_true(ids[i] != UINT32_MAX);
    }
    va_end(ap);
    return rel_aggs_find(a, ids, l);
}

/* Every published combination is above its length's threshold, and no
 * larger than the record count or any of its parts (which are published). */
static void check_consistent(const struct rel_aggs *a, const struct rel_dp_params *p)
{
    for (int l = 1; l <= a->len; l++)
        for (size_t i = 0; i < a->n[l]; i++) {
            uint64_t c = a->count[l][i];
            assert_true((int64_t)c > p->threshold[l]);
            assert_true(c <= a->nrecords);
            const uint32_t *ids = a->combos[l] + i * (size_t)l;
            for (int drop = 0; l > 1 && drop < l; drop++) {
                uint32_t parent[REL_MAX_LEN];
                int q = 0;
                for (int j = 0; j < l; j++)
                    if (j != drop)
                        parent[q++] = ids[j];
                uint64_t pc = rel_aggs_find(a, parent, l - 1);
                assert_true(pc > 0);
                assert_true(c <= pc);
            }
        }
}

static void load(const char *name, const char *text, struct rel_data *d)
{
    char p[256], err[600];
    write_file(name, text);
    path(p, sizeof p, name);
    if (rel_load_ctdc(p, NULL, d, err, sizeof err) != 0)
        fail_msg("%s", err);
}

static void test_thresholds_exact(void **state)
{
    (void)state;
    /* 40 x records: 30 x;y;z, 10 x;y;w; and 3 records v;y;w (rare) */
    char *text = malloc(8192);
    assert_non_null(text);
    strcpy(text, "terms;a;b;c\n");
    for (int i = 0; i < 30; i++)
        strcat(text, ";x;y;z\n");
    for (int i = 0; i < 10; i++)
        strcat(text, ";x;y;w\n");
    for (int i = 0; i < 3; i++)
        strcat(text, ";v;y;w\n");
    struct rel_data d;
    load("small.csv", text, &d);
    free(text);
    /* sigma^2 = 1/1000: every draw is 0 (P(Z != 0) about 1e-217) */
    struct rel_dp_params p;
    manual_plan(&p, 3, 3, 1, 5);
    struct rel_aggs a;
    assert_int_equal(rel_dp_aggregate(&d, &p, &a), 0);
    assert_int_equal(a.nrecords, 43);
    assert_int_equal(count_of(&d, &a, 1, "a:x"), 40);
    assert_int_equal(count_of(&d, &a, 1, "b:y"), 43);
    assert_int_equal(count_of(&d, &a, 1, "c:z"), 30);
    assert_int_equal(count_of(&d, &a, 1, "c:w"), 13);
    assert_int_equal(count_of(&d, &a, 1, "a:v"), 0); /* 3 <= threshold 5 */
    assert_int_equal(count_of(&d, &a, 2, "a:x", "c:w"), 10);
    assert_int_equal(count_of(&d, &a, 2, "b:y", "c:w"), 13);
    assert_int_equal(count_of(&d, &a, 3, "a:x", "b:y", "c:w"), 10);
    assert_int_equal(count_of(&d, &a, 2, "a:v", "b:y"), 0);
    assert_int_equal(a.n[1], 4);
    assert_int_equal(a.n[2], 5); /* xy xz xw yz yw */
    assert_int_equal(a.n[3], 2); /* xyz xyw */
    check_consistent(&a, &p);
    rel_aggs_free(&a);
    /* with threshold 10, "x;y;w" (10) is not published, nor is anything above it */
    manual_plan(&p, 3, 3, 1, 10);
    assert_int_equal(rel_dp_aggregate(&d, &p, &a), 0);
    assert_int_equal(count_of(&d, &a, 2, "a:x", "c:w"), 0);
    assert_int_equal(count_of(&d, &a, 3, "a:x", "b:y", "c:w"), 0);
    assert_int_equal(count_of(&d, &a, 3, "a:x", "b:y", "c:z"), 30);
    check_consistent(&a, &p);
    rel_aggs_free(&a);
    rel_data_free(&d);
}

/* Large noise and a zero threshold: many children would exceed their parents
 * before the clip; after it none does, over many runs. */
static void test_consistency_under_noise(void **state)
{
    (void)state;
    char *text = malloc(1 << 16);
    assert_non_null(text);
    strcpy(text, "terms;a;b;c;d\n");
    uint32_t r = 12345;
    for (int i = 0; i < 400; i++) {
        char row[64];
        r = r * 1103515245u + 12345u;
        snprintf(row, sizeof row, ";%u;%u;%u;%u\n", (r >> 8) % 3 + 1, (r >> 12) % 2 + 1,
                 (r >> 16) % 4 + 1, (r >> 20) % 2 + 1);
        strcat(text, row);
    }
    struct rel_data d;
    load("noisy.csv", text, &d);
    free(text);
    struct rel_dp_params p;
    manual_plan(&p, 4, 16, 400 * REL_DP_DEN, 0); /* sigma = 20 */
    size_t published = 0;
    for (int run = 0; run < 30; run++) {
        struct rel_aggs a;
        assert_int_equal(rel_dp_aggregate(&d, &p, &a), 0);
        check_consistent(&a, &p);
        for (int l = 1; l <= 4; l++)
            published += a.n[l];
        rel_aggs_free(&a);
    }
    assert_true(published > 100); /* the check saw real rows */
    rel_data_free(&d);
}

/* Each record adds to at most cap combinations per length, chosen uniformly:
 * through the enumeration (few combinations) and the rejection path (many). */
static void test_contribution_cap(void **state)
{
    (void)state;
    char *text = malloc(1 << 20);
    assert_non_null(text);
    /* 5 columns: 5 items and 10 pairs a record; cap 3 enumerates and keeps 3
     * (items are then counted about 180 times, pairs about 90: no clipping) */
    strcpy(text, "t;a;b;c;d;e\n");
    for (int i = 0; i < 300; i++)
        strcat(text, ";1;2;3;4;5\n");
    struct rel_data d;
    load("cap5.csv", text, &d);
    struct rel_dp_params p;
    manual_plan(&p, 2, 3, 1, 0);
    struct rel_aggs a;
    assert_int_equal(rel_dp_aggregate(&d, &p, &a), 0);
    uint64_t s1 = 0, s2 = 0;
    assert_int_equal(a.n[1], 5);
    assert_int_equal(a.n[2], 10);
    for (size_t i = 0; i < a.n[1]; i++)
        s1 += a.count[1][i];
    for (size_t i = 0; i < a.n[2]; i++)
        s2 += a.count[2][i];
    assert_int_equal(s1, 900);
    assert_int_equal(s2, 900);
    rel_aggs_free(&a);
    rel_data_free(&d);

    /* 12 columns: 66 pairs a record, cap 2 draws 2 distinct pairs at random */
    strcpy(text, "t;c1;c2;c3;c4;c5;c6;c7;c8;c9;c10;c11;c12\n");
    const int n = 3300;
    for (int i = 0; i < n; i++)
        strcat(text, ";1;1;1;1;1;1;1;1;1;1;1;1\n");
    load("cap12.csv", text, &d);
    free(text);
    manual_plan(&p, 2, 2, 1, 0);
    assert_int_equal(rel_dp_aggregate(&d, &p, &a), 0);
    s2 = 0;
    assert_int_equal(a.n[2], 66);
    /* each pair is chosen with probability 2/66: about 100 times, sd about 9.8 */
    for (size_t i = 0; i < a.n[2]; i++) {
        s2 += a.count[2][i];
        assert_true(a.count[2][i] >= 100 - 60 && a.count[2][i] <= 100 + 60);
    }
    assert_int_equal(s2, 2 * (uint64_t)n);
    s1 = 0;
    for (size_t i = 0; i < a.n[1]; i++)
        s1 += a.count[1][i];
    assert_int_equal(s1, 2 * (uint64_t)n);
    check_consistent(&a, &p);
    rel_aggs_free(&a);
    rel_data_free(&d);
}

/* ---- the CLI ---------------------------------------------------------------- */

static int run_cli(int n, ...)
{
    char *argv[32];
    va_list ap;
    va_start(ap, n);
    argv[0] = "release";
    for (int i = 0; i < n; i++)
        argv[i + 1] = va_arg(ap, char *);
    va_end(ap);
    argv[n + 1] = NULL;
    return cmd_release(n + 1, argv);
}

#define BASE "--in", in, "--format", "ctdc", "--k", "2", "--length", "2", "-o", out

static void test_cli(void **state)
{
    (void)state;
    char *text = malloc(1 << 16);
    assert_non_null(text);
    strcpy(text, "t;a;b\n");
    for (int i = 0; i < 2000; i++)
        strcat(text, i < 1500 ? ";x;y\n" : ";z;y\n");
    write_file("cli.csv", text);
    free(text);
    char in[256], out[256], p[300];
    path(in, sizeof in, "cli.csv");
    path(out, sizeof out, "out-dp");
    assert_int_equal(run_cli(13, BASE, "--dp", "--epsilon", "50"), 0);
    snprintf(p, sizeof p, "%s/aggregates.tsv", out);
    char *agg = slurp(p);
    assert_non_null(agg);
    assert_true(strncmp(agg, "selections\tprotected_count\nrecord_count\t", 40) == 0);
    /* epsilon 50: sigma is about 1, so x:y is within a few units of 1500 */
    const char *row = strstr(agg, "\na:x;b:y\t");
    assert_non_null(row);
    long c = strtol(row + 9, NULL, 10);
    assert_true(c > 1470 && c <= 1530);
    free(agg);
    snprintf(p, sizeof p, "%s/dp.json", out);
    char *js = slurp(p);
    assert_non_null(js);
    assert_non_null(strstr(js, "\"epsilon\": 50"));
    assert_non_null(strstr(js, "\"threshold\""));
    assert_null(strstr(js, "seed"));
    free(js);
    snprintf(p, sizeof p, "%s/synthetic.csv", out);
    assert_int_equal(access(p, F_OK), -1); /* --dp: aggregates only */

    /* bad values: exit 1 with a message */
    assert_int_equal(run_cli(13, BASE, "--dp", "--epsilon", "0"), 1);
    assert_int_equal(run_cli(13, BASE, "--dp", "--epsilon", "-1"), 1);
    assert_int_equal(run_cli(13, BASE, "--dp", "--epsilon", "abc"), 1);
    assert_int_equal(run_cli(13, BASE, "--dp", "--epsilon", "1x"), 1);
    assert_int_equal(run_cli(13, BASE, "--dp", "--epsilon", "nan"), 1);
    assert_int_equal(run_cli(13, BASE, "--dp", "--epsilon", "inf"), 1);
    assert_int_equal(run_cli(13, BASE, "--dp", "--epsilon", "1e999"), 1);
    assert_int_equal(run_cli(13, BASE, "--dp", "--epsilon", "101"), 1);
    assert_int_equal(run_cli(15, BASE, "--dp", "--epsilon", "1", "--delta", "0"), 1);
    assert_int_equal(run_cli(15, BASE, "--dp", "--epsilon", "1", "--delta", "1"), 1);
    assert_int_equal(run_cli(15, BASE, "--dp", "--epsilon", "1", "--delta", "-0.1"), 1);
    assert_int_equal(run_cli(15, BASE, "--dp", "--epsilon", "1", "--delta", "x"), 1);
    assert_int_equal(run_cli(15, BASE, "--dp", "--epsilon", "1", "--dp-cap", "0"), 1);
    /* usage errors: exit 2 */
    assert_int_equal(run_cli(11, BASE, "--dp"), 2);
    assert_int_equal(run_cli(12, BASE, "--epsilon", "1"), 2);
    assert_int_equal(run_cli(14, BASE, "--dp", "--epsilon", "1", "--dp=yes"), 2);
}

static int setup(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    snprintf(dir, sizeof dir, "/tmp/vigil-dp-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bernoulli_exp),
        cmocka_unit_test(test_discrete_laplace),
        cmocka_unit_test(test_discrete_gaussian),
        cmocka_unit_test(test_tail_bound),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_thresholds_exact),
        cmocka_unit_test(test_consistency_under_noise),
        cmocka_unit_test(test_contribution_cap),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
