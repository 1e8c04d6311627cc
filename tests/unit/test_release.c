/*
 * Tests of the privacy-preserving release (src/share/release*.c): counts
 * checked against an independent brute-force recount (every subset of every
 * record), rounding and thresholds, --keep-zeros, the stable order, the
 * streamed and in-memory outputs agreeing for any thread count, synthesis
 * without leaks (every combination of every synthetic record recounted in
 * the sensitive data), errors on bad input, and the real CTDC sample.
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

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- an independent brute force -------------------------------------------- */

#define NC 7 /* attribute columns of the random data */

static const char *colname[NC] = {"year", "sex", "age", "cit", "fA", "fB", "fC"};

struct brec {
    int val[NC]; /* -1 empty, else a value index */
};

static void value_text(int c, int v, char *out, size_t n)
{
    if (c >= 4)
        snprintf(out, n, "%d", v); /* flags: 0 or 1 */
    else
        snprintf(out, n, "v%c%d", 'a' + c, v);
}

/* Random records with a few correlated, skewed columns. */
static struct brec *random_records(size_t n, int with_zero_flags)
{
    struct brec *r = calloc(n, sizeof *r);
    assert_non_null(r);
    for (size_t i = 0; i < n; i++) {
        int prof = (int)(rnd() % 3);
        for (int c = 0; c < NC; c++) {
            if (rnd() % 10 == 0) {
                r[i].val[c] = -1;
                continue;
            }
            if (c < 4) {
                int card = c == 0 ? 6 : c == 3 ? 9 : 3;
                int v = (int)(rnd() % (uint64_t)card);
                if (rnd() % 2)
                    v = (v + prof) % card; /* correlate with the profile */
                if (rnd() % 3 == 0)
                    v = 0; /* skew */
                r[i].val[c] = v;
            } else {
                int one = (int)(rnd() % 4) < (prof + c - 3);
                r[i].val[c] = one ? 1 : (with_zero_flags ? 0 : (rnd() % 2 ? 0 : -1));
            }
        }
    }
    return r;
}

static void write_records(const char *name, const struct brec *r, size_t n)
{
    char p[256];
    path(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs("By using this data you agree to the terms", f);
    for (int c = 0; c < NC; c++)
        fprintf(f, ";%s", colname[c]);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < NC; c++) {
            fputc(';', f);
            if (r[i].val[c] >= 0) {
                char v[16];
                value_text(c, r[i].val[c], v, sizeof v);
                fputs(v, f);
            }
        }
        fputc('\n', f);
    }
    fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Expected aggregates rows ("key\tcount", unordered) by brute force: every
 * subset of 1..L items of every record, counted by sorting the keys.
 */
static char **brute_rows(const struct brec *r, size_t n, int L, int k, int keep_zero_flags,
                         size_t *nrows)
{
    size_t cap = 1024, nk = 0;
    char **keys = malloc(cap * sizeof *keys);
    assert_non_null(keys);
    for (size_t i = 0; i < n; i++) {
        /* items in column order (one per column, so that is the item order) */
        char item[NC][32];
        int ni = 0;
        for (int c = 0; c < NC; c++) {
            int v = r[i].val[c];
            if (v < 0 || (c >= 4 && v == 0 && !keep_zero_flags))
                continue;
            char t[16];
            value_text(c, v, t, sizeof t);
            snprintf(item[ni++], sizeof item[0], "%s:%s", colname[c], t);
        }
        for (unsigned mask = 1; mask < (1u << ni); mask++) {
            if (__builtin_popcount(mask) > L)
                continue;
            char key[256] = "";
            size_t at = 0;
            for (int j = 0; j < ni; j++)
                if (mask & (1u << j))
                    at +=
                        (size_t)snprintf(key + at, sizeof key - at, "%s%s", at ? ";" : "", item[j]);
            if (nk == cap) {
                cap *= 2;
                keys = realloc(keys, cap * sizeof *keys);
                assert_non_null(keys);
            }
            keys[nk++] = strdup(key);
        }
    }
    qsort(keys, nk, sizeof *keys, cmp_str);
    char **rows = malloc((nk + 1) * sizeof *rows);
    assert_non_null(rows);
    size_t nr = 0;
    for (size_t i = 0; i < nk;) {
        size_t j = i;
        while (j < nk && strcmp(keys[i], keys[j]) == 0)
            j++;
        size_t c = j - i;
        if ((int)c >= k) {
            char line[300];
            snprintf(line, sizeof line, "%s\t%zu", keys[i], c / (size_t)k * (size_t)k);
            rows[nr++] = strdup(line);
        }
        i = j;
    }
    for (size_t i = 0; i < nk; i++)
        free(keys[i]);
    free(keys);
    qsort(rows, nr, sizeof *rows, cmp_str);
    *nrows = nr;
    return rows;
}

/* The data lines of an aggregates.tsv (after the two header lines). */
static char **tsv_rows(char *text, size_t *n, char *line1, char *line2, size_t ln)
{
    size_t cap = 1024, k = 0;
    char **rows = malloc(cap * sizeof *rows);
    assert_non_null(rows);
    int no = 0;
    for (char *s = text; *s;) {
        char *e = strchr(s, '\n');
        assert_non_null(e);
        *e = '\0';
        if (no == 0)
            snprintf(line1, ln, "%s", s);
        else if (no == 1)
            snprintf(line2, ln, "%s", s);
        else {
            if (k == cap) {
                cap *= 2;
                rows = realloc(rows, cap * sizeof *rows);
                assert_non_null(rows);
            }
            rows[k++] = s;
        }
        no++;
        s = e + 1;
    }
    *n = k;
    return rows;
}

static int col_index(const char *name, size_t len)
{
    for (int c = 0; c < NC; c++)
        if (strlen(colname[c]) == len && memcmp(colname[c], name, len) == 0)
            return c;
    return -1;
}

/* -1, 0, 1: the stable order of two rows (length, then items by column and value). */
static int row_order(const char *a, const char *b)
{
    int la = 1, lb = 1;
    for (const char *s = a; *s && *s != '\t'; s++)
        la += *s == ';';
    for (const char *s = b; *s && *s != '\t'; s++)
        lb += *s == ';';
    if (la != lb)
        return la < lb ? -1 : 1;
    while (*a != '\t' && *b != '\t') {
        const char *ca = strchr(a, ':'), *cb = strchr(b, ':');
        int ia = col_index(a, (size_t)(ca - a)), ib = col_index(b, (size_t)(cb - b));
        if (ia != ib)
            return ia < ib ? -1 : 1;
        size_t va = strcspn(ca + 1, ";\t"), vb = strcspn(cb + 1, ";\t");
        int c = strncmp(ca + 1, cb + 1, va < vb ? va : vb);
        if (c == 0 && va != vb)
            c = va < vb ? -1 : 1;
        if (c)
            return c;
        a = ca + 1 + va;
        b = cb + 1 + vb;
        if (*a == ';')
            a++;
        if (*b == ';')
            b++;
    }
    return 0;
}

static void check_against_brute(size_t n, int L, int k, int threads, int keep)
{
    struct brec *r = random_records(n, 0);
    write_records("rand.csv", r, n);
    char in[256], out[256], agg[300];
    path(in, sizeof in, "rand.csv");
    path(out, sizeof out, "out-brute");
    struct rel_opts o = {.in = in,
                         .out_dir = out,
                         .k = (uint64_t)k,
                         .len = L,
                         .threads = threads,
                         .seed = 7,
                         .only_aggregates = 1,
                         .keep_zeros = keep ? "fA,fB,fC" : NULL};
    char err[600];
    assert_int_equal(rel_run(&o, err, sizeof err), 0);
    snprintf(agg, sizeof agg, "%s/aggregates.tsv", out);
    char *text = slurp(agg);
    assert_non_null(text);
    char l1[128], l2[128];
    size_t nv, ne;
    char **got = tsv_rows(text, &nv, l1, l2, sizeof l1);
    assert_string_equal(l1, "selections\tprotected_count");
    char want2[64];
    snprintf(want2, sizeof want2, "record_count\t%zu", n / (size_t)k * (size_t)k);
    assert_string_equal(l2, want2);
    /* stable order: by length, then items by column order and value */
    for (size_t i = 1; i < nv; i++)
        assert_true(row_order(got[i - 1], got[i]) < 0);
    char **exp = brute_rows(r, n, L, k, keep, &ne);
    qsort(got, nv, sizeof *got, cmp_str);
    assert_int_equal(nv, ne);
    for (size_t i = 0; i < ne; i++) {
        assert_string_equal(got[i], exp[i]);
        free(exp[i]);
    }
    free(exp);
    free(got);
    free(text);
    free(r);
}

static void test_counts_match_brute_force(void **state)
{
    (void)state;
    check_against_brute(400, 3, 3, 1, 0);
    check_against_brute(500, 4, 2, 2, 0);
    check_against_brute(300, 7, 5, 3, 0); /* every length: whole records */
    check_against_brute(350, 2, 4, 1, 1);
    check_against_brute(200, 5, 2, 1, 1); /* pair matrix and deeper levels */
}

/* In-memory results do not depend on threads, and agree with the streamed file. */
static void test_threads_and_streaming_agree(void **state)
{
    (void)state;
    struct brec *r = random_records(800, 1);
    write_records("t.csv", r, 800);
    free(r);
    char in[256], err[600];
    path(in, sizeof in, "t.csv");
    struct rel_data d;
    assert_int_equal(rel_load_ctdc(in, "fA,fB,fC", &d, err, sizeof err), 0);
    struct rel_aggs a1, a3;
    assert_int_equal(rel_mine(&d.recs, d.nitems, 3, 4, 1, &a1), 0);
    assert_int_equal(rel_mine(&d.recs, d.nitems, 3, 4, 3, &a3), 0);
    for (int l = 1; l <= 4; l++) {
        assert_int_equal(a1.n[l], a3.n[l]);
        assert_memory_equal(a1.combos[l], a3.combos[l], a1.n[l] * (size_t)l * sizeof(uint32_t));
        assert_memory_equal(a1.count[l], a3.count[l], a1.n[l] * sizeof(uint64_t));
        /* sorted, and found by lookup */
        for (size_t i = 0; i < a1.n[l]; i++)
            assert_int_equal(rel_aggs_find(&a1, a1.combos[l] + i * (size_t)l, l), a1.count[l][i]);
    }
    char p1[300], p2[300];
    path(p1, sizeof p1, "mem.tsv");
    assert_int_equal(rel_write_aggregates(&d, &a1, 3, p1), 0);
    char out[256];
    path(out, sizeof out, "out-stream");
    for (int t = 1; t <= 3; t += 2) {
        struct rel_opts o = {.in = in,
                             .out_dir = out,
                             .k = 3,
                             .len = 4,
                             .threads = t,
                             .only_aggregates = 1,
                             .keep_zeros = "fA,fB,fC"};
        assert_int_equal(rel_run(&o, err, sizeof err), 0);
        snprintf(p2, sizeof p2, "%s/aggregates.tsv", out);
        char *x = slurp(p1), *y = slurp(p2);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    rel_aggs_free(&a1);
    rel_aggs_free(&a3);
    rel_data_free(&d);
}

static void test_rounding_and_threshold(void **state)
{
    (void)state;
    /* 23 records: a:x 12 times, a:y 7 times, a:z 4 times; b:1 on 10 of the a:x */
    char text[4096] = "terms;a;b\n";
    for (int i = 0; i < 23; i++) {
        const char *a = i < 12 ? "x" : i < 19 ? "y" : "z";
        size_t at = strlen(text);
        snprintf(text + at, sizeof text - at, ";%s;%s\n", a, i < 10 ? "1" : "");
    }
    write_file("round.csv", text);
    char in[256], out[256], p[300], err[600];
    path(in, sizeof in, "round.csv");
    path(out, sizeof out, "out-round");
    struct rel_opts o = {
        .in = in, .out_dir = out, .k = 5, .len = 2, .threads = 1, .only_aggregates = 1};
    assert_int_equal(rel_run(&o, err, sizeof err), 0);
    snprintf(p, sizeof p, "%s/aggregates.tsv", out);
    char *got = slurp(p);
    assert_string_equal(got, "selections\tprotected_count\n"
                             "record_count\t20\n"
                             "a:x\t10\n"
                             "a:y\t5\n"
                             "b:1\t10\n"
                             "a:x;b:1\t10\n");
    free(got);
}

static void test_keep_zeros_and_escaping(void **state)
{
    (void)state;
    char text[4096] = "terms;flag;what\n";
    for (int i = 0; i < 6; i++) {
        size_t at = strlen(text);
        snprintf(text + at, sizeof text - at, ";0;\"x;y\"\n");
    }
    write_file("kz.csv", text);
    char in[256], out[256], p[300], err[600];
    path(in, sizeof in, "kz.csv");
    path(out, sizeof out, "out-kz");
    struct rel_opts o = {
        .in = in, .out_dir = out, .k = 2, .len = 2, .threads = 1, .only_aggregates = 1};
    assert_int_equal(rel_run(&o, err, sizeof err), 0);
    snprintf(p, sizeof p, "%s/aggregates.tsv", out);
    char *got = slurp(p);
    assert_string_equal(got, "selections\tprotected_count\nrecord_count\t6\nwhat:x\\;y\t6\n");
    free(got);
    o.keep_zeros = "flag";
    assert_int_equal(rel_run(&o, err, sizeof err), 0);
    got = slurp(p);
    assert_string_equal(got, "selections\tprotected_count\nrecord_count\t6\n"
                             "flag:0\t6\nwhat:x\\;y\t6\nflag:0;what:x\\;y\t6\n");
    free(got);
    o.keep_zeros = "flag,nosuch";
    assert_int_equal(rel_run(&o, err, sizeof err), -1);
    assert_non_null(strstr(err, "nosuch"));
}

/* Records holding every item of ids[0..n), by scanning all records. */
static uint64_t recount(const struct rel_recs *r, const uint32_t *ids, int n)
{
    uint64_t c = 0;
    for (size_t i = 0; i < r->n; i++) {
        int found = 0;
        for (uint32_t p = r->off[i]; p < r->off[i + 1]; p++)
            for (int j = 0; j < n; j++)
                found += r->items[p] == ids[j];
        c += found == n;
    }
    return c;
}

static void test_synthesis_has_no_leak(void **state)
{
    (void)state;
    struct brec *r = random_records(600, 0);
    write_records("syn.csv", r, 600);
    free(r);
    char in[256], err[600];
    path(in, sizeof in, "syn.csv");
    struct rel_data d;
    assert_int_equal(rel_load_ctdc(in, NULL, &d, err, sizeof err), 0);
    const int L = 3;
    for (int variant = 0; variant < 4; variant++) {
        uint64_t k = variant % 2 ? 9 : 3;
        /* with and without the aggregates' shortcut (exact counts up to length 2) */
        struct rel_aggs ag;
        assert_int_equal(rel_mine(&d.recs, d.nitems, k, 2, 1, &ag), 0);
        struct rel_recs s;
        assert_int_equal(rel_synthesize(&d, k, variant < 2 ? NULL : &ag, 11, &s), 0);
        rel_aggs_free(&ag);
        assert_true(s.n > d.recs.n / 2);
        for (size_t i = 0; i < s.n; i++) {
            const uint32_t *it = s.items + s.off[i];
            int n = (int)(s.off[i + 1] - s.off[i]);
            assert_true(n > 0 && n <= NC);
            /* the whole record (every length), and every subset up to L */
            assert_true(recount(&d.recs, it, n) >= k);
            for (unsigned mask = 1; mask < (1u << n); mask++) {
                if (__builtin_popcount(mask) > L)
                    continue;
                uint32_t sub[NC];
                int m = 0;
                for (int j = 0; j < n; j++)
                    if (mask & (1u << j))
                        sub[m++] = it[j];
                assert_true(recount(&d.recs, sub, m) >= k);
            }
        }
        /* single-item counts are brought near the sensitive counts rounded to k */
        uint64_t *cnt = calloc(d.nitems, sizeof *cnt);
        for (size_t i = 0; i < s.n; i++)
            for (uint32_t p = s.off[i]; p < s.off[i + 1]; p++)
                cnt[s.items[p]]++;
        for (size_t v = 0; v < d.nitems; v++)
            assert_true(cnt[v] <= d.item_count[v] / k * k);
        free(cnt);
        rel_recs_free(&s);
    }
    rel_data_free(&d);
    /* the whole release, with its evaluation */
    char out[256], p[300];
    path(out, sizeof out, "out-full");
    struct rel_opts o = {.in = in, .out_dir = out, .k = 4, .len = 3, .threads = 2, .seed = 3};
    assert_int_equal(rel_run(&o, err, sizeof err), 0);
    snprintf(p, sizeof p, "%s/evaluation.json", out);
    char *j = slurp(p);
    assert_non_null(j);
    assert_non_null(strstr(j, "\"leaked_combinations\": 0"));
    assert_non_null(strstr(j, "\"preservation\""));
    free(j);
    snprintf(p, sizeof p, "%s/evaluation.svg", out);
    j = slurp(p);
    assert_non_null(j);
    assert_non_null(strstr(j, "<svg"));
    free(j);
    /* synthetic.csv loads back in the same layout */
    snprintf(p, sizeof p, "%s/synthetic.csv", out);
    assert_int_equal(rel_load_ctdc(p, NULL, &d, err, sizeof err), 0);
    assert_int_equal(d.ncols, NC);
    rel_data_free(&d);
}

static void expect_error(const char *name, const char *text, const char *needle)
{
    char in[256], out[256], err[600];
    if (text)
        write_file(name, text);
    path(in, sizeof in, name);
    path(out, sizeof out, "out-bad");
    struct rel_opts o = {
        .in = in, .out_dir = out, .k = 2, .len = 2, .threads = 1, .only_aggregates = 1};
    assert_int_equal(rel_run(&o, err, sizeof err), -1);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not name '%s'", err, needle);
    assert_null(strchr(err, '\n'));
}

static int run_cli(int n, ...)
{
    char *argv[24];
    va_list ap;
    va_start(ap, n);
    argv[0] = "release";
    for (int i = 0; i < n; i++)
        argv[i + 1] = va_arg(ap, char *);
    va_end(ap);
    argv[n + 1] = NULL;
    return cmd_release(n + 1, argv);
}

static void test_bad_input(void **state)
{
    (void)state;
    expect_error("missing.csv", NULL, "cannot open");
    expect_error("cols.csv", "t;a;b\n;1;2\n;1\n", "line 3: expected 3 fields, found 2");
    expect_error("quote.csv", "t;a;b\n;1;2\n;x\"y;2\n", "line 3: malformed CSV");
    expect_error("open.csv", "t;a;b\n;1;2\n;\"abc;2\n", "malformed CSV");
    expect_error("utf8.csv", "t;a;b\n;1;2\n;\xff\xfe;2\n", "line 3: field 2 is not valid UTF-8");
    expect_error("empty.csv", "", "no header");
    expect_error("onecol.csv", "t\n;\n", "header");
    expect_error("dup.csv", "t;a;a\n;1;2\n", "appears twice");
    /* a quoted field spanning lines: the next record's line is still right */
    expect_error("nl.csv", "t;a;b\n;\"x\ny\";2\n;1\n", "line 4: expected 3 fields");

    char in[256], out[256];
    write_file("ok.csv", "t;a\n;1\n;1\n");
    path(in, sizeof in, "ok.csv");
    path(out, sizeof out, "out-cli");
    assert_int_equal(
        run_cli(10, "--in", in, "--format", "ctdc", "--k", "2", "--length", "2", "-o", out), 0);
    assert_int_equal(
        run_cli(10, "--in", in, "--format", "ctdc", "--k", "1", "--length", "2", "-o", out), 1);
    assert_int_equal(
        run_cli(10, "--in", in, "--format", "ctdc", "--k", "x", "--length", "2", "-o", out), 1);
    assert_int_equal(
        run_cli(10, "--in", in, "--format", "ctdc", "--k", "2", "--length", "0", "-o", out), 1);
    assert_int_equal(
        run_cli(10, "--in", in, "--format", "ctdc", "--k", "2", "--length", "99", "-o", out), 1);
    assert_int_equal(run_cli(8, "--in", in, "--format", "ctdc", "--k", "2", "--length", "2"), 2);
    assert_int_equal(
        run_cli(10, "--in", in, "--format", "csv", "--k", "2", "--length", "2", "-o", out), 2);
    assert_int_equal(run_cli(12, "--in", in, "--format", "ctdc", "--k", "2", "--length", "2", "-o",
                             out, "--only", "everything"),
                     2);
    assert_int_equal(run_cli(11, "--in", in, "--format", "ctdc", "--k", "2", "--length", "2", "-o",
                             out, "--bogus"),
                     2);
    char missing[300];
    path(missing, sizeof missing, "nope.csv");
    assert_int_equal(
        run_cli(10, "--in", missing, "--format", "ctdc", "--k", "2", "--length", "2", "-o", out),
        1);
}

/* The real CTDC sample: every reported row recounted, nothing frequent missed. */
static void test_ctdc_sample(void **state)
{
    (void)state;
    const char *sample = "../shared/data/ctdc/ctdc_kanon_sample.csv";
    if (access(sample, R_OK) != 0)
        skip();
    struct rel_data d;
    char err[600];
    assert_int_equal(rel_load_ctdc(sample, NULL, &d, err, sizeof err), 0);
    assert_int_equal(d.recs.n, 4783);
    assert_int_equal(d.ncols, 63);
    const uint64_t k = 10;
    struct rel_aggs a;
    assert_int_equal(rel_mine(&d.recs, d.nitems, k, 3, 2, &a), 0);
    /* per-item record bitsets for the brute force */
    size_t W = (d.recs.n + 63) / 64;
    uint64_t *bits = calloc(d.nitems * W, sizeof *bits);
    assert_non_null(bits);
    for (size_t i = 0; i < d.recs.n; i++)
        for (uint32_t p = d.recs.off[i]; p < d.recs.off[i + 1]; p++)
            bits[d.recs.items[p] * W + i / 64] |= 1ULL << (i % 64);
    for (int l = 1; l <= 3; l++)
        for (size_t i = 0; i < a.n[l]; i++) {
            const uint32_t *ids = a.combos[l] + i * (size_t)l;
            uint64_t c = 0;
            for (size_t w = 0; w < W; w++) {
                uint64_t x = ~0ULL;
                for (int j = 0; j < l; j++)
                    x &= bits[ids[j] * W + w];
                c += (uint64_t)__builtin_popcountll(x);
            }
            assert_int_equal(c, a.count[l][i]);
            assert_true(c >= k);
        }
    /* completeness at lengths 1 and 2, over every item and every pair */
    size_t found1 = 0, found2 = 0;
    for (uint32_t x = 0; x < d.nitems; x++) {
        if (d.item_count[x] >= k) {
            found1++;
            assert_int_equal(rel_aggs_find(&a, &x, 1), d.item_count[x]);
        }
        for (uint32_t y = x + 1; y < d.nitems; y++) {
            uint64_t c = 0;
            for (size_t w = 0; w < W; w++)
                c += (uint64_t)__builtin_popcountll(bits[x * W + w] & bits[y * W + w]);
            uint32_t pair[2] = {x, y};
            if (c >= k) {
                found2++;
                assert_int_equal(rel_aggs_find(&a, pair, 2), c);
            }
        }
    }
    assert_int_equal(found1, a.n[1]);
    assert_int_equal(found2, a.n[2]);
    free(bits);
    rel_aggs_free(&a);
    rel_data_free(&d);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vigil-release-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_match_brute_force),
        cmocka_unit_test(test_threads_and_streaming_agree),
        cmocka_unit_test(test_rounding_and_threshold),
        cmocka_unit_test(test_keep_zeros_and_escaping),
        cmocka_unit_test(test_synthesis_has_no_leak),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_ctdc_sample),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
