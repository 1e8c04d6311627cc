/*
 * Tests of HTCDS export/import and CTDC import (src/share/exchange.c) on
 * temporary SQLite stores: round trips, XLSForm aliases, the report of
 * rejected rows, consent, and the CTDC sample accounted row by row.
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

#include <sodium.h>

#include "crypto/crypto.h"
#include "share/exchange.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

static char dir[64];
static struct vkey key;

static void path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static struct store *fresh_store(const char *name, int64_t *org_id)
{
    char p[256], err[256];
    path(p, sizeof p, name);
    unlink(p);
    struct store *st;
    assert_int_equal(store_open(p, &st, err, sizeof err), VIGIL_OK);
    assert_int_equal(store_migrate(st, NULL), VIGIL_OK);
    struct org o = {0};
    snprintf(o.code, sizeof o.code, "PJ");
    snprintf(o.type, sizeof o.type, "LawEnforcement");
    assert_int_equal(store_begin(st), VIGIL_OK);
    assert_int_equal(store_org_add(st, &o), VIGIL_OK);
    assert_int_equal(store_commit(st), VIGIL_OK);
    *org_id = o.id;
    return st;
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

static char *read_file(const char *name)
{
    char p[256];
    path(p, sizeof p, name);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static int do_import(struct store *st, int64_t org, const char *name, struct import_report *rep,
                     const char *report_name)
{
    char p[256], r[256];
    path(p, sizeof p, name);
    path(r, sizeof r, report_name);
    memset(rep, 0, sizeof *rep);
    rep->rejects = fopen(r, "w");
    int rc = htcds_import(st, &key, p, org, 0, "test", rep);
    fclose(rep->rejects);
    return rc;
}

static int do_export(struct store *st, int fmt, const char *name, int64_t *rows)
{
    char p[256];
    path(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    int rc = htcds_export(st, &key, fmt, f, rows);
    fclose(f);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lines of a CSV export with the first column (the pseudonymous case_ref)
 * replaced by the order in which each ref first appears, sorted: equal
 * between two exports exactly when the records and their grouping agree. */
static char *canonical_csv(const char *text)
{
    char *copy = strdup(text);
    char *lines[4096];
    int n = 0;
    char refs[512][32];
    int nrefs = 0;
    for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l && n < 4096;
         l = strtok_r(NULL, "\n", &save)) {
        char *comma = strchr(l, ',');
        assert_non_null(comma);
        *comma = '\0';
        int k;
        for (k = 0; k < nrefs; k++)
            if (strcmp(refs[k], l) == 0)
                break;
        if (k == nrefs)
            snprintf(refs[nrefs++], sizeof refs[0], "%s", l);
        size_t len = strlen(comma + 1) + 16;
        lines[n] = malloc(len);
        snprintf(lines[n], len, "%04d,%s", k, comma + 1);
        n++;
    }
    qsort(lines, (size_t)n, sizeof lines[0], cmp_str);
    struct buf b;
    buf_init(&b, 1 << 24);
    for (int i = 0; i < n; i++) {
        buf_printf(&b, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(copy);
    return buf_take(&b, NULL);
}

static void test_roundtrip_csv_and_json(void **state)
{
    (void)state;
    int64_t org;
    struct store *a = fresh_store("a.db", &org);
    write_file("in.csv",
               "case_ref,opened_month,cas_Status,category,source,role,prs_FirstName,"
               "prs_SecondName,prs_Gender,prs_Citizenship,vic_TypeOfExploitation,"
               "vic_AgeWhenTrafficked,per_RoleInProcess,vic_MethodsOfControl\n"
               "c1,2024-05,Active,trafficking,police,victim,Ana,Lee,Feminine,PH;VN,"
               "SexualExploitation,19,,DebtBondage;WithholdsDocuments\n"
               "c1,2024-05,Active,trafficking,police,suspect,Bo,Ng,Masculine,CN,,,"
               "RecruiterOrIntermediary,\n"
               "c2,2023-11,Closed,labour_exploitation,inspection,victim,Cy,Ho,Masculine,ID,"
               "ForcedLabour,30,,\n");
    struct import_report rep;
    assert_int_equal(do_import(a, org, "in.csv", &rep, "r1.tsv"), VIGIL_OK);
    assert_int_equal(rep.read, 3);
    assert_int_equal(rep.imported, 3);
    assert_int_equal(rep.rejected, 0);
    assert_int_equal(rep.cases, 2);

    int64_t rows;
    assert_int_equal(do_export(a, XFMT_CSV, "out1.csv", &rows), VIGIL_OK);
    assert_int_equal(rows, 3);
    char *out1 = read_file("out1.csv");
    /* de-identified: no names survive */
    assert_null(strstr(out1, "Ana"));
    assert_null(strstr(out1, "prs_FirstName"));
    assert_non_null(strstr(out1, "PH;VN"));
    assert_non_null(strstr(out1, "DebtBondage;WithholdsDocuments"));

    /* CSV: export -> import -> export is the same, grouping included */
    int64_t org2;
    struct store *b = fresh_store("b.db", &org2);
    assert_int_equal(do_import(b, org2, "out1.csv", &rep, "r2.tsv"), VIGIL_OK);
    assert_int_equal(rep.imported, 3);
    assert_int_equal(rep.cases, 2);
    assert_int_equal(do_export(b, XFMT_CSV, "out2.csv", &rows), VIGIL_OK);
    char *out2 = read_file("out2.csv");
    char *c1 = canonical_csv(out1), *c2 = canonical_csv(out2);
    assert_string_equal(c1, c2);

    /* JSON: the same records through the JSON form */
    assert_int_equal(do_export(a, XFMT_JSON, "out.json", &rows), VIGIL_OK);
    int64_t org3;
    struct store *c = fresh_store("c.db", &org3);
    assert_int_equal(do_import(c, org3, "out.json", &rep, "r3.tsv"), VIGIL_OK);
    assert_int_equal(rep.imported, 3);
    assert_int_equal(rep.cases, 2);
    assert_int_equal(do_export(c, XFMT_CSV, "out3.csv", &rows), VIGIL_OK);
    char *out3 = read_file("out3.csv");
    char *c3 = canonical_csv(out3);
    assert_string_equal(c1, c3);

    free(out1);
    free(out2);
    free(out3);
    free(c1);
    free(c2);
    free(c3);
    store_close(a);
    store_close(b);
    store_close(c);
}

static void test_rejects_and_aliases(void **state)
{
    (void)state;
    int64_t org;
    struct store *st = fresh_store("d.db", &org);
    /* XLSForm names (prs_First_Name, vic_Methods_of_Control), space-separated
     * select_multiple values, con_Consent; bad rows in between. */
    write_file("in2.csv", "con_Consent,prs_First_Name,prs_Gender,vic_Methods_of_Control,"
                          "prs_Citizenship,vic_AgeWhenTrafficked\n"
                          "TRUE,Ana,Feminine,DebtBondage FalsePromises,PH,20\n"
                          "TRUE,Bea,Robot,,PH,20\n"
                          "TRUE,Cid,Masculine,,XX,20\n"
                          "FALSE,Dee,Feminine,,PH,20\n"
                          "TRUE,Eve,Feminine,,PH\n"
                          "TRUE,Fay,Feminine,,PH,old\n"
                          "TRUE,G\xff,Feminine,,PH,20\n"
                          "TRUE,Hal,Masculine,,MO,44\n");
    struct import_report rep;
    assert_int_equal(do_import(st, org, "in2.csv", &rep, "rej.tsv"), VIGIL_OK);
    assert_int_equal(rep.read, 8);
    assert_int_equal(rep.imported, 2);
    assert_int_equal(rep.rejected, 6);
    char *r = read_file("rej.tsv");
    assert_non_null(strstr(r, "3\tprs_Gender\t"));
    assert_non_null(strstr(r, "4\tprs_Citizenship\t"));
    assert_non_null(strstr(r, "5\tcon_Consent\t"));
    assert_non_null(strstr(r, "6\t-\texpected 6 fields, found 5"));
    assert_non_null(strstr(r, "7\tvic_AgeWhenTrafficked\t"));
    assert_non_null(strstr(r, "8\t-\tthe row is not valid UTF-8"));
    free(r);
    int64_t rows;
    assert_int_equal(do_export(st, XFMT_JSON, "o.json", &rows), VIGIL_OK);
    assert_int_equal(rows, 2);
    char *o = read_file("o.json");
    assert_non_null(strstr(o, "[\"DebtBondage\",\"FalsePromises\"]"));
    free(o);
    store_close(st);
}

static void test_bad_files(void **state)
{
    (void)state;
    int64_t org;
    struct store *st = fresh_store("e.db", &org);
    write_file("bad.json", "[{\"prs_Gender\": \"Feminine\"},");
    struct import_report rep;
    assert_int_equal(do_import(st, org, "bad.json", &rep, "x.tsv"), VIGIL_EINVAL);
    assert_non_null(strstr(rep.err, "malformed JSON"));
    write_file("rec.json", "{\"records\": [1, {\"prs_Gender\": \"Feminine\"}]}");
    assert_int_equal(do_import(st, org, "rec.json", &rep, "y.tsv"), VIGIL_OK);
    assert_int_equal(rep.rejected, 1);
    assert_int_equal(rep.imported, 1);
    assert_int_equal(do_import(st, org, "missing.csv", &rep, "z.tsv"), VIGIL_EIO);
    store_close(st);
}

static void test_ctdc_sample(void **state)
{
    (void)state;
    const char *sample = "../shared/data/ctdc/ctdc_kanon_sample.csv";
    if (access(sample, R_OK) != 0) {
        skip();
        return;
    }
    /* Count the data records independently: lines after the header. */
    FILE *f = fopen(sample, "r");
    int64_t lines = 0;
    int ch, last = '\n';
    while ((ch = fgetc(f)) != EOF) {
        if (ch == '\n')
            lines++;
        last = ch;
    }
    if (last != '\n')
        lines++;
    fclose(f);
    int64_t org;
    struct store *st = fresh_store("f.db", &org);
    struct import_report rep = {0};
    char r[256];
    path(r, sizeof r, "ctdc.tsv");
    rep.rejects = fopen(r, "w");
    assert_int_equal(ctdc_import(st, sample, "test", &rep), VIGIL_OK);
    fclose(rep.rejects);
    assert_int_equal(rep.read, lines - 1);
    assert_int_equal(rep.read, rep.imported + rep.rejected);
    int64_t n = 0;
    assert_int_equal(store_stat_record_count(st, rep.dataset_id, &n), VIGIL_OK);
    assert_int_equal(n, rep.imported);
    store_close(st);
}

static void test_ctdc_bad_rows(void **state)
{
    (void)state;
    write_file("c.csv", "terms;yearOfRegistration;gender;citizenship\n"
                        ";2019;Female;PH\n"
                        ";2020;Male\n"
                        ";2021;\"Fe;male\";VN\n"
                        ";2022;\xc3;VN\n");
    int64_t org;
    struct store *st = fresh_store("g.db", &org);
    struct import_report rep = {0};
    char p[256];
    path(p, sizeof p, "c.csv");
    assert_int_equal(ctdc_import(st, p, "test", &rep), VIGIL_OK);
    assert_int_equal(rep.read, 4);
    assert_int_equal(rep.imported, 2);
    assert_int_equal(rep.rejected, 2);
    store_close(st);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vigil-exchange-XXXXXX");
    if (!mkdtemp(dir) || sodium_init() < 0)
        return -1;
    randombytes_buf(key.k, sizeof key.k);
    return 0;
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
        cmocka_unit_test(test_roundtrip_csv_and_json),
        cmocka_unit_test(test_rejects_and_aliases),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_ctdc_sample),
        cmocka_unit_test(test_ctdc_bad_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
