/*
 * HTTP tests of privacy-preserving releases from the API and the pages:
 * an imported CTDC dataset released in each mode with known counts checked
 * in the downloaded aggregates, every file downloaded with its type, the
 * cases as a source (a person whose data-sharing consent is withdrawn is
 * left out), the audit entry (who, source, k, L, mode; never data), 403 for
 * a caseworker, bad input answered 400 naming the field with nothing
 * stored, file names outside the fixed list (traversal) 404, and the pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;
static char *sec, *cw, *inv, *aud;
static json_int_t dataset;

static int setup(void **state)
{
    (void)state;
    if (server_start(&srv, NULL))
        return -1;
    sec = login(&srv, "secretariat");
    cw = login(&srv, "caseworker");
    inv = login(&srv, "investigator");
    aud = login(&srv, "auditor");
    if (!sec || !cw || !inv || !aud)
        return -1;
    /* 30 records: 20 F adult PH, 8 M adult VN, 2 M minor VN */
    char path[600];
    snprintf(path, sizeof path, "%s/small-ctdc.csv", srv.dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs("\"Terms of use\";sex;age;country\n", f);
    for (int i = 0; i < 30; i++)
        fputs(i < 20 ? ";F;adult;PH\n" : i < 28 ? ";M;adult;VN\n" : ";M;minor;VN\n", f);
    fclose(f);
    const char *const verb[] = {"import", NULL};
    const char *const args[] = {"--format", "ctdc", path, NULL};
    if (vigil_cli(&srv, NULL, verb, args, NULL, NULL) != 0)
        return -1;
    /* its id, from the form's source list */
    struct http_resp r;
    http_get(&srv, "/releases", sec, &r);
    const char *at = r.body ? strstr(r.body, "value=\"dataset:") : NULL;
    dataset = at ? strtoll(at + 15, NULL, 10) : 0;
    http_free(&r);
    return dataset > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(sec);
    free(cw);
    free(inv);
    free(aud);
    server_cleanup(&srv);
    return 0;
}

/* POST a release; its JSON (a new reference) on 201, else NULL with the
 * response checked as an error naming field. */
static json_t *run(const char *body, long want, const char *field)
{
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/releases", sec, body, NULL, &r);
    json_t *out = NULL;
    if (want == 201) {
        check_status(&r, 201);
        out = json_incref(check_json(&r));
    } else {
        check_error(&r, want, field);
    }
    http_free(&r);
    return out;
}

static char *download(json_int_t id, const char *name, long want, char *type, size_t typen)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/releases/%lld/files/%s", (long long)id, name);
    struct http_resp r;
    http_get(&srv, path, sec, &r);
    if (r.status != want)
        fprintf(stderr, "GET %s: %ld %s\n", path, r.status, r.body ? r.body : "");
    assert_int_equal(r.status, want);
    char *body = NULL;
    if (want == 200) {
        char disp[200];
        assert_non_null(http_header(&r, "Content-Disposition", disp, sizeof disp));
        assert_non_null(strstr(disp, "attachment"));
        assert_non_null(strstr(disp, name));
        if (type)
            assert_non_null(http_header(&r, "Content-Type", type, typen));
        body = strdup(r.body ? r.body : "");
    } else {
        check_error(&r, want, NULL);
    }
    http_free(&r);
    return body;
}

static json_int_t release_count(void)
{
    struct http_resp r;
    http_get(&srv, "/api/v1/releases", sec, &r);
    check_status(&r, 200);
    json_int_t n = (json_int_t)json_array_size(json_object_get(check_json(&r), "items"));
    http_free(&r);
    return n;
}

static void test_dataset_aggregates(void **state)
{
    (void)state;
    char body[200];
    snprintf(body, sizeof body,
             "{\"source\":\"dataset:%lld\",\"k\":5,\"length\":2,\"mode\":\"aggregates\"}",
             (long long)dataset);
    json_t *x = run(body, 201, NULL);
    json_int_t id = json_int(x, "id");
    assert_int_equal(json_int(x, "records"), 30);
    assert_string_equal(json_str(x, "mode"), "aggregates");
    json_t *pub = json_object_get(json_object_get(x, "evaluation"), "published_by_length");
    assert_int_equal(json_array_size(pub), 2);
    /* length 1: adult, PH, VN, F, M (minor: 2 < 5) */
    assert_int_equal(json_integer_value(json_array_get(pub, 0)), 5);
    json_decref(x);
    char type[100];
    char *agg = download(id, "aggregates.tsv", 200, type, sizeof type);
    assert_non_null(strstr(type, "text/tab-separated-values"));
    assert_non_null(strstr(agg, "selections\tprotected_count\nrecord_count\t30\n"));
    assert_non_null(strstr(agg, "\nsex:F\t20\n"));
    assert_non_null(strstr(agg, "\nsex:M\t10\n"));
    assert_non_null(strstr(agg, "\nage:adult\t25\n")); /* 28 rounded down to a multiple of 5 */
    assert_non_null(strstr(agg, "\nage:adult;sex:F\t20\n"));
    assert_null(strstr(agg, "minor"));
    free(agg);
    /* aggregates only: no synthesis, no evaluation files */
    assert_null(download(id, "synthetic.csv", 404, NULL, 0));
    assert_null(download(id, "dp.json", 404, NULL, 0));
    /* the metadata */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/releases/%lld", (long long)id);
    struct http_resp r;
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    json_t *g = check_json(&r);
    assert_int_equal(json_int(g, "k"), 5);
    assert_int_equal(json_int(g, "length"), 2);
    assert_string_equal(json_str(g, "created_by"), "secretariat");
    assert_int_equal(json_array_size(json_object_get(g, "files")), 1);
    http_free(&r);
    /* audited: who, source, k, L, mode, and no data (the whole log, page by page) */
    char obj[40], want[120];
    snprintf(obj, sizeof obj, "release:%lld", (long long)id);
    snprintf(want, sizeof want, "source=dataset:%lld k=5 length=2 mode=aggregates",
             (long long)dataset);
    int found = 0;
    json_int_t after = 0;
    for (;;) {
        char ap[80];
        snprintf(ap, sizeof ap, "/api/v1/audit?limit=1000&after=%lld", (long long)after);
        http_get(&srv, ap, aud, &r);
        check_status(&r, 200);
        json_t *items = json_object_get(check_json(&r), "items");
        size_t i, n = json_array_size(items);
        json_t *e;
        json_array_foreach(items, i, e)
        {
            const char *o = json_string_value(json_object_get(e, "object"));
            if (!o || strcmp(o, obj) != 0)
                continue;
            found++;
            assert_string_equal(json_str(e, "action"), "release.run");
            assert_string_equal(json_str(e, "user"), "secretariat");
            assert_string_equal(json_str(e, "detail"), want);
        }
        after = json_int(check_json(&r), "next_after");
        http_free(&r);
        if (n == 0)
            break;
    }
    assert_int_equal(found, 1);
}

static void test_dataset_synthetic_files(void **state)
{
    (void)state;
    char body[200];
    snprintf(body, sizeof body,
             "{\"source\":\"dataset:%lld\",\"k\":5,\"length\":3,\"mode\":\"synthetic\"}",
             (long long)dataset);
    json_t *x = run(body, 201, NULL);
    json_int_t id = json_int(x, "id");
    json_t *q = json_object_get(json_object_get(x, "evaluation"), "quality");
    assert_non_null(q);
    assert_int_equal(json_integer_value(json_object_get(q, "leaked_combinations")), 0);
    assert_int_equal(json_array_size(json_object_get(x, "files")), 4);
    json_decref(x);
    char type[100];
    char *s = download(id, "synthetic.csv", 200, type, sizeof type);
    assert_non_null(strstr(type, "text/csv"));
    assert_true(strncmp(s, "dataset;age;country;sex\n", 24) == 0);
    assert_null(strstr(s, "minor")); /* held by 2 < k records */
    free(s);
    s = download(id, "evaluation.json", 200, type, sizeof type);
    assert_non_null(strstr(type, "application/json"));
    json_t *ev = json_loads(s, 0, NULL);
    assert_non_null(ev);
    assert_int_equal(json_integer_value(json_object_get(ev, "records")), 30);
    json_decref(ev);
    free(s);
    s = download(id, "evaluation.svg", 200, type, sizeof type);
    assert_non_null(strstr(type, "image/svg+xml"));
    assert_true(strncmp(s, "<svg ", 5) == 0);
    free(s);
    free(download(id, "aggregates.tsv", 200, NULL, 0));
    assert_null(download(id, "dp.json", 404, NULL, 0));
}

static void test_dataset_dp(void **state)
{
    (void)state;
    char body[200];
    snprintf(body, sizeof body,
             "{\"source\":\"dataset:%lld\",\"k\":2,\"length\":2,\"mode\":\"dp\",\"epsilon\":50}",
             (long long)dataset);
    json_t *x = run(body, 201, NULL);
    json_int_t id = json_int(x, "id");
    assert_true(json_number_value(json_object_get(x, "epsilon")) == 50);
    assert_true(json_number_value(json_object_get(x, "delta")) == 1e-6);
    assert_non_null(json_object_get(json_object_get(x, "evaluation"), "dp"));
    json_decref(x);
    char *dp = download(id, "dp.json", 200, NULL, 0);
    json_t *j = json_loads(dp, 0, NULL);
    assert_non_null(j);
    assert_true(json_number_value(json_object_get(j, "epsilon")) == 50);
    assert_int_equal(json_array_size(json_object_get(j, "by_length")), 2);
    json_decref(j);
    free(dp);
    char *agg = download(id, "aggregates.tsv", 200, NULL, 0);
    /* epsilon 50: sigma below 1, so F is within a few of 20 */
    const char *f = strstr(agg, "\nsex:F\t");
    assert_non_null(f);
    long c = strtol(f + 7, NULL, 10);
    assert_true(c >= 15 && c <= 25);
    free(agg);
    assert_null(download(id, "synthetic.csv", 404, NULL, 0));
}

static json_int_t post_id(const char *path, const char *tok, const char *body)
{
    struct http_resp r;
    http_request(&srv, "POST", path, tok, body, NULL, &r);
    check_status(&r, 201);
    json_int_t id = json_int(check_json(&r), "id");
    http_free(&r);
    return id;
}

static json_int_t cases_records(void)
{
    json_t *x =
        run("{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"aggregates\"}", 201, NULL);
    json_int_t n = json_int(x, "records");
    json_decref(x);
    return n;
}

static void test_cases_source_and_consent(void **state)
{
    (void)state;
    json_int_t before = cases_records();
    json_int_t c =
        post_id("/api/v1/cases", inv, "{\"category\":\"trafficking\",\"source\":\"police\"}");
    char path[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)c);
    json_int_t p = post_id(path, inv,
                           "{\"role\":\"victim\",\"prs_FirstName\":\"Zed\",\"prs_SecondName\":"
                           "\"Unique\",\"prs_Gender\":\"Feminine\"}");
    assert_int_equal(cases_records(), before + 1);
    /* the cases' microdata carries no names */
    json_t *x =
        run("{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"synthetic\"}", 201, NULL);
    char *syn = download(json_int(x, "id"), "synthetic.csv", 200, NULL, 0);
    assert_null(strstr(syn, "Zed"));
    assert_null(strstr(syn, "prs_FirstName"));
    assert_non_null(strstr(syn, "prs_Gender"));
    free(syn);
    json_decref(x);
    /* consent to data sharing withdrawn: the person is left out */
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons/%lld/consents", (long long)c,
             (long long)p);
    post_id(path, inv, "{\"purpose\":\"data_sharing\",\"granted\":false}");
    assert_int_equal(cases_records(), before);
}

static void test_access_and_bad_input(void **state)
{
    (void)state;
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/releases", cw,
                 "{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"aggregates\"}", NULL, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/releases", cw, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/releases/1/files/aggregates.tsv", cw, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/releases", cw, &r);
    check_status(&r, 403);
    http_free(&r);

    json_int_t n = release_count();
    char ds[40];
    snprintf(ds, sizeof ds, "dataset:%lld", (long long)dataset);
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"source\":\"cases\",\"k\":1,\"length\":1,\"mode\":\"aggregates\"}", "k"},
        {"{\"source\":\"cases\",\"k\":1001,\"length\":1,\"mode\":\"aggregates\"}", "k"},
        {"{\"source\":\"cases\",\"k\":\"5\",\"length\":1,\"mode\":\"aggregates\"}", "k"},
        {"{\"source\":\"cases\",\"length\":1,\"mode\":\"aggregates\"}", "k"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":0,\"mode\":\"aggregates\"}", "length"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":6,\"mode\":\"aggregates\"}", "length"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1.5,\"mode\":\"aggregates\"}", "length"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"everything\"}", "mode"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1}", "mode"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"dp\"}", "epsilon"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"dp\",\"epsilon\":0}", "epsilon"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"dp\",\"epsilon\":-1}", "epsilon"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"dp\",\"epsilon\":101}", "epsilon"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"dp\",\"epsilon\":\"1\"}",
         "epsilon"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"dp\",\"epsilon\":1,\"delta\":1}",
         "delta"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"dp\",\"epsilon\":1,\"delta\":0}",
         "delta"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"aggregates\",\"epsilon\":1}",
         "epsilon"},
        {"{\"source\":\"dataset:999999\",\"k\":2,\"length\":1,\"mode\":\"aggregates\"}", "source"},
        {"{\"source\":\"dataset:x\",\"k\":2,\"length\":1,\"mode\":\"aggregates\"}", "source"},
        {"{\"source\":\"../etc\",\"k\":2,\"length\":1,\"mode\":\"aggregates\"}", "source"},
        {"{\"k\":2,\"length\":1,\"mode\":\"aggregates\"}", "source"},
        {"{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"aggregates\",\"seed\":3}", "seed"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        run(bad[i].body, 400, bad[i].field);
    run("[1]", 400, NULL);
    run("{\"source\":", 400, NULL);
    assert_int_equal(release_count(), n); /* nothing stored */
}

static void test_files_fixed_list(void **state)
{
    (void)state;
    json_t *x =
        run("{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"aggregates\"}", 201, NULL);
    json_int_t id = json_int(x, "id");
    json_decref(x);
    static const char *const names[] = {
        "passwd",
        "..",
        "%2e%2e%2fvigil.db",
        "..%2F..%2Fetc%2Fpasswd",
        "AGGREGATES.TSV",
        "aggregates.tsv.bak",
        ".aggregates.tsv",
        "evaluation.json%2F..%2F..%2Fin.csv",
        "in.csv",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[200];
        snprintf(path, sizeof path, "/api/v1/releases/%lld/files/%s", (long long)id, names[i]);
        struct http_resp r;
        http_get(&srv, path, sec, &r);
        if (r.status != 404 && r.status != 400)
            fprintf(stderr, "GET %s: %ld\n", path, r.status);
        assert_true(r.status == 404 || r.status == 400);
        assert_null(strstr(r.body ? r.body : "", "root:"));
        http_free(&r);
    }
    struct http_resp r;
    http_get(&srv, "/api/v1/releases/999999/files/aggregates.tsv", sec, &r);
    check_error(&r, 404, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/releases/999999", sec, &r);
    check_error(&r, 404, NULL);
    http_free(&r);
}

static void test_pages(void **state)
{
    (void)state;
    /* run one through the form, as the page does */
    struct http_resp lr;
    login_as(&srv, "secretariat", DEMO_PASSWORD, &lr);
    const char *tok = json_string_value(json_object_get(lr.json, "token"));
    const char *csrf = json_string_value(json_object_get(lr.json, "csrf"));
    assert_non_null(csrf);
    char body[400];
    snprintf(body, sizeof body,
             "csrf=%s&source=dataset%%3A%lld&k=5&length=2&mode=synthetic&epsilon=&delta=", csrf,
             (long long)dataset);
    struct http_req rq = {.method = "POST",
                          .path = "/releases",
                          .token = tok,
                          .body = body,
                          .content_type = "application/x-www-form-urlencoded"};
    struct http_resp r;
    http_do(&srv, &rq, &r);
    check_status(&r, 303);
    char loc[100];
    assert_non_null(http_header(&r, "Location", loc, sizeof loc));
    assert_true(strncmp(loc, "/releases/", 10) == 0);
    http_free(&r);
    http_get(&srv, loc, sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "id=\"evaluation\""));
    assert_non_null(strstr(r.body, "/files/evaluation.svg\""));
    assert_non_null(strstr(r.body, "<img src=\"/api/v1/releases/"));
    assert_non_null(strstr(r.body, "/files/synthetic.csv\" download"));
    assert_non_null(strstr(r.body, "small-ctdc.csv"));
    http_free(&r);
    /* a bad form: 400 with the form kept and the reason shown */
    snprintf(body, sizeof body,
             "csrf=%s&source=cases&k=1&length=2&mode=dp&epsilon=0.5&delta=", csrf);
    http_do(&srv, &rq, &r);
    check_status(&r, 400);
    assert_non_null(strstr(r.body, "role=\"alert\""));
    assert_non_null(strstr(r.body, "&#39;k&#39;"));
    assert_non_null(strstr(r.body, "value=\"0.5\""));
    http_free(&r);
    /* the list page in English */
    http_get(&srv, "/releases?lang=en", sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "Statistical releases"));
    assert_non_null(strstr(r.body, "name=\"epsilon\""));
    assert_non_null(strstr(r.body, "value=\"cases\""));
    assert_non_null(strstr(r.body, "href=\"/releases/"));
    http_free(&r);
    http_get(&srv, "/releases", sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "統計發布"));
    http_free(&r);
    http_free(&lr);
    check_healthy(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dataset_aggregates),
        cmocka_unit_test(test_dataset_synthetic_files),
        cmocka_unit_test(test_dataset_dp),
        cmocka_unit_test(test_cases_source_and_consent),
        cmocka_unit_test(test_access_and_bad_input),
        cmocka_unit_test(test_files_fixed_list),
        cmocka_unit_test(test_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
