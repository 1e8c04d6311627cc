/*
 * HTTP and CLI tests of the committee's packs: `vigil report plenary|tip`
 * end to end on the demo database (every format, read back with pdftotext
 * and unzip; usage and user errors with their exit codes and one-line
 * messages; the audit entry), the routes that return the file
 * (/api/v1/reports/... and /reports/..., Content-Type, Content-Disposition,
 * bad parameters naming the field, the server's threshold as a floor, who
 * may), and the /reports page. Runs on PostgreSQL too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/harness.h"
#include "util/timeutil.h"

static struct server srv;
static char *sec, *inv, *aud, *adm;
static char month[16], year[16];

static int setup(void **state)
{
    (void)state;
    if (server_start(&srv, NULL))
        return -1;
    sec = login(&srv, "secretariat");
    inv = login(&srv, "investigator");
    aud = login(&srv, "auditor");
    adm = login(&srv, "admin");
    /* The month just ended and this year's TIP period (demo data covers both). */
    char today[11];
    time_date(time_now(), today);
    int y = atoi(today) % 10000, m = atoi(today + 5) % 100;
    snprintf(month, sizeof month, "%04d-%02d", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1);
    snprintf(year, sizeof year, "%04d", m >= 4 ? y : y - 1);
    return sec && inv && aud && adm ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(sec);
    free(inv);
    free(aud);
    free(adm);
    server_cleanup(&srv);
    return 0;
}

/* The text of a PDF file, by pdftotext. */
static char *pdf_text(const char *path)
{
    const char *const argv[] = {"pdftotext", "-enc", "UTF-8", path, "-", NULL};
    char *out = NULL;
    assert_int_equal(run_prog(argv, &out, NULL), 0);
    return out;
}

static char *pdf_text_of(const char *data, size_t len)
{
    char path[600];
    snprintf(path, sizeof path, "%s/resp.pdf", srv.dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    char *t = pdf_text(path);
    unlink(path);
    return t;
}

/* Run `vigil report KIND ARGS...`: the exit status, stderr in *err. */
static int report(const char *kind, const char *const args[], char **err)
{
    const char *const verb[] = {"report", kind, NULL};
    char *out = NULL;
    int rc = vigil_cli(&srv, NULL, verb, args, &out, err);
    free(out);
    return rc;
}

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

static void test_cli_plenary(void **state)
{
    (void)state;
    static const struct {
        const char *format, *magic;
    } f[] = {{"pdf", "%PDF-"}, {"xlsx", "PK\x03\x04"}, {"html", "<!DOCTYPE html>"}};
    for (size_t i = 0; i < 3; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/plenary.%s", srv.dir, f[i].format);
        const char *const args[] = {"--month", month, "--format", f[i].format, "--lang",
                                    "en",      "-o",  path,       NULL};
        char *err = NULL;
        int rc = report("plenary", args, &err);
        if (rc != 0)
            fail_msg("report plenary %s: %d %s", f[i].format, rc, err ? err : "");
        free(err);
        size_t len;
        char *data = read_file(path, &len);
        assert_non_null(data);
        assert_memory_equal(data, f[i].magic, strlen(f[i].magic));
        if (strcmp(f[i].format, "pdf") == 0) {
            char *t = pdf_text(path);
            assert_non_null(strstr(t, "Plenary review and assessment pack"));
            assert_non_null(strstr(t, "Key figures"));
            assert_non_null(strstr(t, "Cases by year")); /* a chart, drawn by librsvg */
            assert_non_null(strstr(t, "Measures"));
            free(t);
        } else if (strcmp(f[i].format, "html") == 0) {
            assert_true(mem_contains(data, len, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert_true(mem_contains(data, len, "<h2>Measures</h2>"));
            assert_true(mem_contains(data, len, "<h2>Activities of the period</h2>"));
            assert_false(mem_contains(data, len, "<script"));
        } else {
            const char *const argv[] = {"unzip", "-p", path, "xl/workbook.xml", NULL};
            char *wb = NULL;
            assert_int_equal(run_prog(argv, &wb, NULL), 0);
            assert_non_null(strstr(wb, "name=\"Summary\""));
            assert_non_null(strstr(wb, "name=\"Measures\""));
            free(wb);
        }
        free(data);
        unlink(path);
    }
    /* The default language is Traditional Chinese. */
    char path[600];
    snprintf(path, sizeof path, "%s/plenary-zh.pdf", srv.dir);
    const char *const args[] = {"--month", month, "--format", "pdf", "-o", path, NULL};
    assert_int_equal(report("plenary", args, NULL), 0);
    char *t = pdf_text(path);
    assert_non_null(strstr(t, "全體會議檢討及評估資料"));
    assert_non_null(strstr(t, "主要數字"));
    free(t);
    unlink(path);
}

static void test_cli_tip(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s/tip.json", srv.dir);
    const char *const args[] = {"--year", year, "--format", "json", "-o", path, NULL};
    char *err = NULL;
    int rc = report("tip", args, &err);
    if (rc)
        fail_msg("report tip: %d %s", rc, err ? err : "");
    free(err);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    assert_non_null(j);
    assert_string_equal(json_str(j, "kind"), "tip");
    char from[32], to[32];
    snprintf(from, sizeof from, "%d-04-01", atoi(year) - 1);
    snprintf(to, sizeof to, "%s-03-31", year);
    json_t *period = json_object_get(j, "period");
    assert_string_equal(json_str(period, "from"), from);
    assert_string_equal(json_str(period, "to"), to);
    json_t *stats = json_object_get(j, "stats");
    assert_string_equal(json_str(stats, "from"), from);
    assert_int_equal(json_int(stats, "k"), 3);
    /* The TIP figures are all there. */
    static const char *const want[] = {"legal",
                                       "legal_by_statute",
                                       "sentences",
                                       "victims_by_sex",
                                       "victims_by_age_band",
                                       "victims_by_citizenship",
                                       "referrals_by_org",
                                       "services_by_type",
                                       "activities"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int found = 0;
        size_t k;
        json_t *t;
        json_array_foreach(json_object_get(stats, "tables"), k, t)
        {
            found |= strcmp(json_string_value(json_object_get(t, "id")), want[i]) == 0;
        }
        if (!found)
            fail_msg("no table %s in the TIP pack", want[i]);
    }
    assert_true(json_is_array(json_object_get(j, "activities")));
    assert_null(json_object_get(j, "measures"));
    json_decref(j);

    snprintf(path, sizeof path, "%s/tip.pdf", srv.dir);
    const char *const pargs[] = {"--year", year, "--format", "pdf", "--lang", "pt",
                                 "--k",    "5",  "-o",       path,  NULL};
    assert_int_equal(report("tip", pargs, NULL), 0);
    char *t = pdf_text(path);
    assert_non_null(strstr(t, "Dados anuais para o Relatório sobre o Tráfico de Pessoas"));
    assert_non_null(strstr(t, "Investigações, acusações e condenações"));
    assert_non_null(strstr(t, "k: 5"));
    free(t);
}

static void test_cli_errors(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s/bad.pdf", srv.dir);
    static const struct {
        const char *kind;
        const char *args[10];
        int rc;
        const char *says;
    } cases[] = {
        {"plenary", {"--format", "pdf", "-o", NULL}, 2, "--month"},
        {"plenary", {"--month", "2026-10", "-o", NULL}, 2, "--format"},
        {"plenary", {"--month", "2026-10", "--format", "docx", "-o", NULL}, 2, "docx"},
        {"plenary", {"--month", "2026-10", "--format", "json", "-o", NULL}, 2, "json"},
        {"plenary", {"--month", "2026-10", "--format", "pdf", "--lang", "fr", "-o", NULL}, 2, "fr"},
        {"plenary", {"--month", "2026-13", "--format", "pdf", "-o", NULL}, 1, "month"},
        {"plenary", {"--month", "October", "--format", "pdf", "-o", NULL}, 1, "month"},
        {"plenary", {"--month", "2026-10", "--format", "pdf", "--k", "0", "-o", NULL}, 1, "--k"},
        {"plenary", {"--month", "2026-10", "--format", "pdf", "--bogus", "-o", NULL}, 2, "bogus"},
        {"tip", {"--year", "26", "--format", "pdf", "-o", NULL}, 1, "year"},
        {"tip", {"--year", "2026", "--format", "html", "-o", NULL}, 2, "html"},
        {"weekly", {"--month", "2026-10", "-o", NULL}, 2, "weekly"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[12];
        size_t n = 0;
        for (; cases[i].args[n]; n++)
            args[n] = cases[i].args[n];
        args[n++] = path; /* after the final "-o" */
        args[n] = NULL;
        char *err = NULL;
        int rc = report(cases[i].kind, args, &err);
        if (rc != cases[i].rc || !err || !strstr(err, cases[i].says))
            fail_msg("case %zu: exit %d (want %d), stderr: %s", i, rc, cases[i].rc, err ? err : "");
        if (cases[i].rc == 1)
            assert_int_equal(lines(err), 1); /* one line */
        free(err);
        assert_int_equal(access(path, F_OK), -1); /* nothing written */
    }
    /* A file that cannot be written: exit 1, and nothing left behind. */
    const char *const args[] = {"--month", month, "--format", "pdf", "-o", "/nonexistent/x.pdf",
                                NULL};
    char *err = NULL;
    assert_int_equal(report("plenary", args, &err), 1);
    assert_non_null(strstr(err, "/nonexistent/x.pdf"));
    free(err);
    /* --help is not an error. */
    const char *const help[] = {"--help", NULL};
    char *out = NULL;
    const char *const verb[] = {"report", "plenary", NULL};
    assert_int_equal(vigil_cli(&srv, NULL, verb, help, &out, NULL), 0);
    assert_non_null(strstr(out, "--month YYYY-MM"));
    free(out);
}

/* The audit log has an entry for a pack (action and object), by who. */
static int audited(const char *action, const char *object, const char *who)
{
    int found = 0;
    json_int_t after = 0;
    for (;;) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/audit?limit=1000&after=%lld", (long long)after);
        struct http_resp r;
        http_get(&srv, path, aud, &r);
        check_status(&r, 200);
        json_t *body = check_json(&r);
        json_t *items = json_object_get(body, "items");
        size_t i;
        json_t *e;
        json_array_foreach(items, i, e)
        {
            const char *a = json_string_value(json_object_get(e, "action"));
            const char *o = json_string_value(json_object_get(e, "object"));
            const char *u = json_string_value(json_object_get(e, "user"));
            if (a && o && u && strcmp(a, action) == 0 && strcmp(o, object) == 0 &&
                strcmp(u, who) == 0)
                found = 1;
        }
        size_t n = json_array_size(items);
        after = json_integer_value(json_object_get(body, "next_after"));
        http_free(&r);
        if (n == 0 || found)
            return found;
    }
}

static void test_cli_audited(void **state)
{
    (void)state;
    char obj[64];
    snprintf(obj, sizeof obj, "report:plenary:%s", month);
    assert_true(audited("report.plenary", obj, "cli"));
    snprintf(obj, sizeof obj, "report:tip:%s", year);
    assert_true(audited("report.tip", obj, "cli"));
}

static void test_api(void **state)
{
    (void)state;
    char path[160], hdr[256];
    struct http_resp r;
    snprintf(path, sizeof path, "/api/v1/reports/plenary?month=%s&format=pdf&lang=en", month);
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    assert_string_equal(http_header(&r, "Content-Type", hdr, sizeof hdr), "application/pdf");
    char want[128];
    snprintf(want, sizeof want, "attachment; filename=\"vigil-plenary-%s-en.pdf\"", month);
    assert_string_equal(http_header(&r, "Content-Disposition", hdr, sizeof hdr), want);
    assert_memory_equal(r.body, "%PDF-", 5);
    char *t = pdf_text_of(r.body, r.len);
    assert_non_null(strstr(t, "Key figures"));
    free(t);
    http_free(&r);
    char obj[64];
    snprintf(obj, sizeof obj, "report:plenary:%s", month);
    assert_true(audited("report.plenary", obj, "secretariat"));

    snprintf(path, sizeof path, "/api/v1/reports/plenary?month=%s&format=xlsx", month);
    http_get(&srv, path, inv, &r);
    check_status(&r, 200);
    assert_non_null(strstr(http_header(&r, "Content-Type", hdr, sizeof hdr), "spreadsheetml"));
    assert_memory_equal(r.body, "PK\x03\x04", 4);
    http_free(&r);

    snprintf(path, sizeof path, "/api/v1/reports/plenary?month=%s&format=html&lang=pt", month);
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(http_header(&r, "Content-Type", hdr, sizeof hdr), "text/html"));
    assert_non_null(strstr(r.body, "<svg xmlns="));
    assert_non_null(strstr(r.body, "Principais números"));
    /* Opened in a browser, the pack runs nothing. */
    assert_non_null(strstr(http_header(&r, "Content-Security-Policy", hdr, sizeof hdr), "sandbox"));
    http_free(&r);

    snprintf(path, sizeof path, "/api/v1/reports/tip?year=%s&format=json&k=4", year);
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    json_t *j = check_json(&r);
    assert_string_equal(json_str(j, "kind"), "tip");
    assert_int_equal(json_int(j, "k"), 4);
    http_free(&r);
    snprintf(obj, sizeof obj, "report:tip:%s", year);
    assert_true(audited("report.tip", obj, "secretariat"));
}

/* The plenary pack shows every open measure, the overdue ones marked, and
 * their titles escaped. */
static void test_measures(void **state)
{
    (void)state;
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/measures", sec,
                 "{\"title\":\"Late <b>shelter</b> review\",\"owner\":\"IAS\","
                 "\"due_on\":\"2020-01-31\"}",
                 NULL, &r);
    check_status(&r, 201);
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/measures", sec,
                 "{\"title\":\"Hotline leaflet in Tagalog\",\"owner\":\"DSAL\","
                 "\"due_on\":\"2099-12-31\"}",
                 NULL, &r);
    check_status(&r, 201);
    http_free(&r);
    char path[160];
    snprintf(path, sizeof path, "/api/v1/reports/plenary?month=%s&format=html&lang=en", month);
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "<tr class=\"overdue\"><td>Late &lt;b&gt;shelter&lt;/b&gt; "
                                   "review</td><td>IAS</td><td>31 Jan 2020"
                                   "<span class=\"badge\">Overdue</span>"));
    assert_non_null(strstr(r.body, "<tr><td>Hotline leaflet in Tagalog</td><td>DSAL</td>"));
    assert_null(strstr(r.body, "<b>shelter"));
    http_free(&r);
}

static void test_api_errors(void **state)
{
    (void)state;
    static const struct {
        const char *path, *field;
    } bad[] = {
        {"/api/v1/reports/plenary?format=pdf", "month"},
        {"/api/v1/reports/plenary?month=2026-13&format=pdf", "month"},
        {"/api/v1/reports/plenary?month=x&format=pdf", "month"},
        {"/api/v1/reports/plenary?month=2026-10", "format"},
        {"/api/v1/reports/plenary?month=2026-10&format=docx", "format"},
        {"/api/v1/reports/plenary?month=2026-10&format=json", "format"},
        {"/api/v1/reports/plenary?month=2026-10&format=pdf&lang=fr", "lang"},
        {"/api/v1/reports/plenary?month=2026-10&format=pdf&k=0", "k"},
        {"/api/v1/reports/plenary?month=2026-10&format=pdf&k=2", "k"}, /* below the server's 3 */
        {"/api/v1/reports/plenary?month=2026-10&format=pdf&color=red", "color"},
        {"/api/v1/reports/tip?year=12345&format=pdf", "year"},
        {"/api/v1/reports/tip?year=2026&format=html", "format"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct http_resp r;
        http_get(&srv, bad[i].path, sec, &r);
        check_error(&r, 400, bad[i].field);
        http_free(&r);
    }
    /* Who may: stats.read (not the administrator, not the auditor), and a login. */
    char path[160];
    snprintf(path, sizeof path, "/api/v1/reports/plenary?month=%s&format=pdf", month);
    struct http_resp r;
    http_get(&srv, path, aud, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, path, adm, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, path, NULL, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
}

static void test_pages(void **state)
{
    (void)state;
    struct http_resp r;
    http_get(&srv, "/reports?lang=en", sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "action=\"/reports/plenary\""));
    assert_non_null(strstr(r.body, "action=\"/reports/tip\""));
    assert_non_null(strstr(r.body, "name=\"month\""));
    assert_non_null(strstr(r.body, "name=\"year\""));
    assert_non_null(strstr(r.body, "href=\"/reports\""));
    http_free(&r);
    http_get(&srv, "/reports", aud, &r);
    assert_int_equal(r.status, 403);
    http_free(&r);
    http_get(&srv, "/", aud, &r);
    check_status(&r, 200);
    assert_null(strstr(r.body, "href=\"/reports\""));
    http_free(&r);

    /* The form's target returns the file; the pack's language does not
     * change the interface's. */
    char path[160], hdr[256];
    snprintf(path, sizeof path, "/reports/plenary?month=%s&format=pdf&lang=pt&k=3", month);
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    assert_string_equal(http_header(&r, "Content-Type", hdr, sizeof hdr), "application/pdf");
    assert_non_null(strstr(http_header(&r, "Content-Disposition", hdr, sizeof hdr),
                           "attachment; filename=\"vigil-plenary-"));
    assert_null(http_cookie(&r, "vigil_lang", hdr, sizeof hdr));
    char *t = pdf_text_of(r.body, r.len);
    assert_non_null(strstr(t, "Principais números"));
    free(t);
    http_free(&r);
    snprintf(path, sizeof path, "/reports/tip?year=%s&format=xlsx", year);
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    assert_memory_equal(r.body, "PK\x03\x04", 4);
    http_free(&r);
    /* Errors are pages. */
    http_get(&srv, "/reports/plenary?month=2026-13&format=pdf", sec, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(http_header(&r, "Content-Type", hdr, sizeof hdr), "text/html"));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_plenary), cmocka_unit_test(test_cli_tip),
        cmocka_unit_test(test_cli_errors),  cmocka_unit_test(test_cli_audited),
        cmocka_unit_test(test_api),         cmocka_unit_test(test_measures),
        cmocka_unit_test(test_api_errors),  cmocka_unit_test(test_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
