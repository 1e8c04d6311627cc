/*
 * HTTP tests of the TIP report and the response: a fixture year with three
 * recommendations (imported from text), measures linked to them, figures
 * that evidence them over the report's reporting period; the draft in the
 * three languages carries every recommendation with its figures, a figure
 * below k is suppressed, changing a measure's state changes the
 * recommendation's, and the draft becomes a public statement. Bad input and
 * who may do what. The fixture year (report 2004: 1 April 2003 to 31 March
 * 2004) lies before the demo data, so its figures are exact; the suite runs
 * on PostgreSQL too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;
static char *sec, *inv, *cw, *aud;

static json_t *req_json(const char *method, const char *path, const char *tok, const char *body,
                        const char *if_match, long want)
{
    char h[48];
    const char *hs[] = {h, NULL};
    if (if_match)
        snprintf(h, sizeof h, "If-Match: \"%s\"", if_match);
    struct http_resp r;
    http_request(&srv, method, path, tok, body, if_match ? hs : NULL, &r);
    if (r.status != want)
        print_error("%s %s: %ld %s\n", method, path, r.status, r.body ? r.body : "");
    assert_int_equal(r.status, want);
    json_t *j = json_incref(r.json);
    http_free(&r);
    return j;
}

static json_int_t id_of(json_t *j)
{
    json_int_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    return id;
}

static void field_error(const char *method, const char *path, const char *tok, const char *body,
                        const char *if_match, long want, const char *field)
{
    json_t *j = req_json(method, path, tok, body, if_match, want);
    if (field) {
        const char *f = json_string_value(json_object_get(json_object_get(j, "error"), "field"));
        if (!f || strcmp(f, field) != 0)
            fail_msg("%s %s: want the field %s named, got %s", method, path, field, f ? f : "none");
    }
    json_decref(j);
}

static int setup(void **state)
{
    (void)state;
    const char *const extra[] = {"--public-rate", "0", "--stats-k", "3", NULL};
    if (server_start(&srv, extra))
        return -1;
    sec = login(&srv, "secretariat");
    inv = login(&srv, "investigator");
    cw = login(&srv, "caseworker");
    aud = login(&srv, "auditor");
    return sec && inv && cw && aud ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(sec);
    free(inv);
    free(cw);
    free(aud);
    server_stop(&srv);
    return 0;
}

/* The recommendation of report rep with seq n. */
static json_t *rec(json_t *rep, int n)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(rep, "recommendations"), i,
                       x) if (json_integer_value(json_object_get(x, "seq")) == n) return x;
    fail_msg("no recommendation %d", n);
    return NULL;
}

static const char *rec_state(json_int_t report, int n)
{
    static char st[32];
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tip-reports/%lld", (long long)report);
    json_t *rep = req_json("GET", path, inv, NULL, NULL, 200);
    snprintf(st, sizeof st, "%s", json_string_value(json_object_get(rec(rep, n), "state")));
    json_decref(rep);
    return st;
}

static void test_tip_response(void **state)
{
    (void)state;
    /* the period's data: four victims (three women, one man) in cases opened
     * between April 2003 and March 2004, and one after the period */
    const char *opened[] = {"2003-04-01", "2003-09-15", "2004-03-31", "2004-04-01"};
    const char *sex[] = {"Feminine", "Feminine", "Masculine", "Feminine"};
    for (int i = 0; i < 4; i++) {
        char body[160], path[64];
        snprintf(body, sizeof body,
                 "{\"category\":\"trafficking\",\"source\":\"police\",\"opened_on\":\"%s\"}",
                 opened[i]);
        json_int_t c = id_of(req_json("POST", "/api/v1/cases", inv, body, NULL, 201));
        snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)c);
        snprintf(body, sizeof body,
                 "{\"role\":\"victim\",\"prs_FirstName\":\"A\",\"prs_Gender\":\"%s\"}", sex[i]);
        json_decref(req_json("POST", path, inv, body, NULL, 201));
        if (i == 1) { /* a second victim in the same case */
            snprintf(body, sizeof body,
                     "{\"role\":\"victim\",\"prs_FirstName\":\"B\",\"prs_Gender\":\"Feminine\"}");
            json_decref(req_json("POST", path, inv, body, NULL, 201));
        }
    }
    /* in the period: Feminine 3, Masculine 1; total 4 */

    /* measures of the committee that answer the recommendations */
    json_int_t m1 = id_of(req_json("POST", "/api/v1/measures", sec,
                                   "{\"title\":\"Joint inspections of recruitment agencies\","
                                   "\"owner\":\"DSAL\",\"due_on\":\"2030-12-31\"}",
                                   NULL, 201));
    json_int_t m2 = id_of(req_json("POST", "/api/v1/measures", sec,
                                   "{\"title\":\"Screening guide for frontline officers\","
                                   "\"owner\":\"PJ\",\"due_on\":\"2030-12-31\"}",
                                   NULL, 201));
    json_int_t m3 = id_of(req_json("POST", "/api/v1/measures", sec,
                                   "{\"title\":\"Interpreters for victim interviews\","
                                   "\"owner\":\"IAS\",\"due_on\":\"2030-12-31\","
                                   "\"state\":\"in_progress\"}",
                                   NULL, 201));

    /* the report, its recommendations imported from plain text */
    json_t *rep =
        req_json("POST", "/api/v1/tip-reports", sec,
                 "{\"year\":2004,\"tier\":\"tier2_watch\",\"published_on\":\"2004-06-14\","
                 "\"text\":\"1. Inspect recruitment agencies and ban worker-paid fees.\\n\\n"
                 "2. Screen migrant workers for trafficking indicators\\nand refer victims.\\n\\n"
                 "3. Criminalise child trafficking without proof of force.\"}",
                 NULL, 201);
    json_int_t report = json_integer_value(json_object_get(rep, "id"));
    assert_string_equal(json_string_value(json_object_get(rep, "period_from")), "2003-04-01");
    assert_string_equal(json_string_value(json_object_get(rep, "period_to")), "2004-03-31");
    assert_int_equal(json_array_size(json_object_get(rep, "recommendations")), 3);
    assert_string_equal(json_string_value(json_object_get(rec(rep, 2), "text_en")),
                        "Screen migrant workers for trafficking indicators and refer victims.");
    json_int_t r1 = json_integer_value(json_object_get(rec(rep, 1), "id"));
    json_int_t r2 = json_integer_value(json_object_get(rec(rep, 2), "id"));
    json_int_t r3 = json_integer_value(json_object_get(rec(rep, 3), "id"));
    json_decref(rep);

    /* translations, linked measures, a disputed claim */
    char path[96], body[600];
    snprintf(path, sizeof path, "/api/v1/recommendations/%lld", (long long)r1);
    snprintf(body, sizeof body,
             "{\"text_zh\":\"巡查職業介紹所並禁止向勞工收費。\",\"text_pt\":\"Fiscalizar as "
             "agências de emprego e proibir taxas pagas pelos trabalhadores.\","
             "\"measure_ids\":[%lld]}",
             (long long)m1);
    json_t *x = req_json("PATCH", path, sec, body, "1", 200);
    assert_string_equal(json_string_value(json_object_get(x, "state")), "not_started");
    json_decref(x);
    snprintf(path, sizeof path, "/api/v1/recommendations/%lld", (long long)r2);
    snprintf(body, sizeof body,
             "{\"text_zh\":\"甄別外地僱員的販運跡象並轉介受害人。\",\"text_pt\":\"Fazer a "
             "triagem dos trabalhadores migrantes e encaminhar as vítimas.\","
             "\"measure_ids\":[%lld,%lld]}",
             (long long)m2, (long long)m3);
    x = req_json("PATCH", path, sec, body, "1", 200);
    assert_string_equal(json_string_value(json_object_get(x, "state")), "in_progress");
    json_decref(x);
    snprintf(path, sizeof path, "/api/v1/recommendations/%lld", (long long)r3);
    x = req_json("PATCH", path, sec,
                 "{\"text_zh\":\"將不涉武力的兒童販運刑事化。\",\"text_pt\":\"Criminalizar o "
                 "tráfico de crianças sem prova de força.\",\"assessment\":\"disputed\","
                 "\"position_en\":\"Article 153-A already covers it.\",\"position_zh\":\"第153-A條"
                 "已涵蓋。\",\"position_pt\":\"O artigo 153.º-A já o prevê.\"}",
                 "1", 200);
    assert_string_equal(json_string_value(json_object_get(x, "state")), "disputed");
    json_decref(x);

    /* figures: victims identified (4, shown) and male victims (1, below k) */
    snprintf(path, sizeof path, "/api/v1/recommendations/%lld/figures", (long long)r2);
    json_decref(req_json("POST", path, sec,
                         "{\"label_en\":\"Victims identified\",\"label_zh\":\"已識別受害人\","
                         "\"label_pt\":\"Vítimas identificadas\",\"table\":\"victims_by_sex\","
                         "\"row\":\"total\"}",
                         NULL, 201));
    json_decref(req_json("POST", path, sec,
                         "{\"label_en\":\"Male victims\",\"label_zh\":\"男性受害人\","
                         "\"label_pt\":\"Vítimas do sexo masculino\",\"table\":\"victims_by_sex\","
                         "\"row\":\"Masculine\",\"column\":\"count\"}",
                         NULL, 201));

    /* the draft in each language: every recommendation, its figures, the
     * suppressed one as such, the committee's position */
    static const struct {
        const char *lang, *texts[3], *fig, *small, *position;
    } want[] = {
        {"en",
         {"Inspect recruitment agencies", "Screen migrant workers", "Criminalise child"},
         "Victims identified (1 Apr 2003 – 31 Mar 2004): 4",
         "Male victims (1 Apr 2003 – 31 Mar 2004): fewer than 3 (suppressed)",
         "Article 153-A already covers it."},
        {"zh-Hant",
         {"巡查職業介紹所", "甄別外地僱員", "將不涉武力的兒童販運"},
         "已識別受害人（2003年4月1日 – 2004年3月31日）：4",
         "男性受害人（2003年4月1日 – 2004年3月31日）：少於3（不予公布）",
         "第153-A條已涵蓋。"},
        {"pt",
         {"Fiscalizar as agências", "Fazer a triagem", "Criminalizar o tráfico"},
         "Vítimas identificadas (01/04/2003 – 31/03/2004): 4",
         "Vítimas do sexo masculino (01/04/2003 – 31/03/2004): menos de 3 (não publicado)",
         "O artigo 153.º-A já o prevê."},
    };
    for (size_t l = 0; l < sizeof want / sizeof want[0]; l++) {
        snprintf(path, sizeof path, "/api/v1/tip-reports/%lld/response?lang=%s", (long long)report,
                 want[l].lang);
        x = req_json("GET", path, inv, NULL, NULL, 200);
        const char *text = json_string_value(json_object_get(x, "text"));
        assert_non_null(text);
        for (int k = 0; k < 3; k++)
            if (!strstr(text, want[l].texts[k]))
                fail_msg("%s draft lacks \"%s\":\n%s", want[l].lang, want[l].texts[k], text);
        if (!strstr(text, want[l].fig) || !strstr(text, want[l].small) ||
            !strstr(text, want[l].position))
            fail_msg("%s draft lacks a figure or the position:\n%s", want[l].lang, text);
        assert_non_null(strstr(text, "Joint inspections of recruitment agencies"));
        assert_null(strstr(text, ": 1\n")); /* the one man is not written anywhere */
        json_decref(x);
    }

    /* a measure's state moves its recommendation's */
    assert_string_equal(rec_state(report, 1), "not_started");
    snprintf(path, sizeof path, "/api/v1/measures/%lld/progress", (long long)m1);
    json_decref(req_json("POST", path, sec,
                         "{\"note\":\"first inspections\","
                         "\"state\":\"in_progress\"}",
                         NULL, 201));
    assert_string_equal(rec_state(report, 1), "in_progress");
    json_decref(req_json("POST", path, sec,
                         "{\"note\":\"all agencies inspected\","
                         "\"state\":\"done\"}",
                         NULL, 201));
    assert_string_equal(rec_state(report, 1), "met");
    /* an explicit assessment wins, and null gives the measures' state back */
    snprintf(path, sizeof path, "/api/v1/recommendations/%lld", (long long)r1);
    x = req_json("PATCH", path, sec, "{\"assessment\":\"in_progress\"}", "2", 200);
    assert_string_equal(json_string_value(json_object_get(x, "state")), "in_progress");
    json_decref(x);
    x = req_json("PATCH", path, sec, "{\"assessment\":null}", "3", 200);
    assert_string_equal(json_string_value(json_object_get(x, "state")), "met");
    json_decref(x);

    /* the draft as a statement: a draft in the three languages */
    snprintf(path, sizeof path, "/api/v1/tip-reports/%lld/statement", (long long)report);
    json_int_t st = json_integer_value(
        json_object_get(x = req_json("POST", path, sec, NULL, NULL, 201), "statement_id"));
    json_decref(x);
    json_decref(req_json("POST", path, inv, NULL, NULL, 403));
    snprintf(path, sizeof path, "/api/v1/statements/%lld", (long long)st);
    x = req_json("GET", path, sec, NULL, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(x, "state")), "draft");
    assert_non_null(strstr(json_string_value(json_object_get(x, "body_pt")), "Fazer a triagem"));
    assert_non_null(strstr(json_string_value(json_object_get(x, "body_zh")), "甄別外地僱員"));
    assert_non_null(strstr(json_string_value(json_object_get(x, "title_en")), "2004"));
    json_decref(x);

    /* the pages: the report with its states, the drafts as files */
    struct http_resp r;
    snprintf(path, sizeof path, "/tip-reports/%lld?lang=en", (long long)report);
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "Screen migrant workers"));
    assert_non_null(strstr(r.body, "Disputed"));
    assert_non_null(strstr(r.body, "&lt;3"));
    http_free(&r);
    http_get(&srv, "/tip-reports?lang=en", inv, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "<svg"));
    http_free(&r);
    snprintf(path, sizeof path, "/tip-reports/%lld/response?format=pdf&lang=zh-Hant",
             (long long)report);
    http_get(&srv, path, inv, &r);
    check_status(&r, 200);
    assert_true(r.len > 1000 && memcmp(r.body, "%PDF", 4) == 0);
    http_free(&r);
    snprintf(path, sizeof path, "/tip-reports/%lld/response?format=txt&lang=pt", (long long)report);
    http_get(&srv, path, inv, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "menos de 3"));
    http_free(&r);
}

/* `vigil report tip-response`: each format, each language, and its errors.
 * Runs after test_tip_response, whose report of 2004 it writes. */
static void test_cli(void **state)
{
    (void)state;
    const char *const verb[] = {"report", "tip-response", NULL};
    static const struct {
        const char *format, *lang, *want;
    } f[] = {
        {"txt", "en", "Screen migrant workers"},
        {"txt", "pt", "menos de 3 (não publicado)"},
        {"html", "zh-Hant", "甄別外地僱員"},
        {"pdf", "zh-Hant", NULL},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/response-%zu.%s", srv.dir, i, f[i].format);
        const char *const args[] = {"--year",  "2004", "--format", f[i].format, "--lang",
                                    f[i].lang, "-o",   path,       NULL};
        char *err = NULL;
        int rc = vigil_cli(&srv, NULL, verb, args, NULL, &err);
        if (rc != 0)
            fail_msg("tip-response %s: %d %s", f[i].format, rc, err ? err : "");
        free(err);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf - 1, fp);
        fclose(fp);
        buf[n] = '\0';
        if (f[i].want)
            assert_non_null(strstr(buf, f[i].want));
        else
            assert_true(n > 1000 && memcmp(buf, "%PDF", 4) == 0);
    }
    /* errors: a year without a report (1), a bad format or no -o (2) */
    char out[600];
    snprintf(out, sizeof out, "%s/none.txt", srv.dir);
    const char *const none[] = {"--year", "2010", "--format", "txt", "-o", out, NULL};
    char *err = NULL;
    assert_int_equal(vigil_cli(&srv, NULL, verb, none, NULL, &err), 1);
    assert_non_null(strstr(err, "no TIP report is recorded for 2010"));
    free(err);
    const char *const bad[] = {"--year", "2004", "--format", "doc", "-o", out, NULL};
    assert_int_equal(vigil_cli(&srv, NULL, verb, bad, NULL, NULL), 2);
    const char *const noout[] = {"--year", "2004", "--format", "txt", NULL};
    assert_int_equal(vigil_cli(&srv, NULL, verb, noout, NULL, NULL), 2);
    FILE *fp = fopen(out, "rb");
    assert_null(fp); /* nothing written on failure */

    /* the plenary pack carries the tier chart once a report is recorded */
    const char *const pverb[] = {"report", "plenary", NULL};
    snprintf(out, sizeof out, "%s/plenary.html", srv.dir);
    const char *const pargs[] = {"--month", "2004-01", "--format", "html", "--lang",
                                 "en",      "-o",      out,        NULL};
    assert_int_equal(vigil_cli(&srv, NULL, pverb, pargs, NULL, NULL), 0);
    fp = fopen(out, "rb");
    assert_non_null(fp);
    static char html[1 << 21];
    size_t n = fread(html, 1, sizeof html - 1, fp);
    fclose(fp);
    html[n] = '\0';
    const char *at = strstr(html, "The TIP report&#39;s tier by year");
    if (!at)
        at = strstr(html, "The TIP report's tier by year");
    assert_non_null(at);
    assert_non_null(strstr(html, "Tier 2 Watch List"));
    assert_non_null(strstr(at, ">2004</text>"));
}

static void test_bad_input_and_access(void **state)
{
    (void)state;
    json_t *rep = req_json("POST", "/api/v1/tip-reports", sec,
                           "{\"year\":2005,\"tier\":\"tier2\",\"text\":\"Do more.\"}", NULL, 201);
    json_int_t report = json_integer_value(json_object_get(rep, "id"));
    json_int_t r1 = json_integer_value(json_object_get(rec(rep, 1), "id"));
    json_decref(rep);
    field_error("POST", "/api/v1/tip-reports", sec, "{\"year\":2005,\"tier\":\"tier2\"}", NULL, 409,
                "year");
    field_error("POST", "/api/v1/tip-reports", sec, "{\"year\":2006,\"tier\":\"tier9\"}", NULL, 400,
                "tier");
    field_error("POST", "/api/v1/tip-reports", sec, "{\"year\":\"2006\",\"tier\":\"tier1\"}", NULL,
                400, "year");
    field_error("POST", "/api/v1/tip-reports", sec,
                "{\"year\":2006,\"tier\":\"tier1\",\"text\":\"\\n \\n\"}", NULL, 400, "text");
    field_error("POST", "/api/v1/tip-reports", sec, "{\"year\":2006,\"tier\":\"tier1\",\"text\":7}",
                NULL, 400, "text");
    field_error("POST", "/api/v1/tip-reports", sec, "[1]", NULL, 400, NULL);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/recommendations/%lld", (long long)r1);
    field_error("PATCH", path, sec, "{\"assessment\":\"fine\"}", "1", 400, "assessment");
    field_error("PATCH", path, sec, "{\"measure_ids\":[999999]}", "1", 400, "measure_ids");
    field_error("PATCH", path, sec, "{\"measure_ids\":\"1\"}", "1", 400, "measure_ids");
    field_error("PATCH", path, sec, "{\"text_en\":null}", "1", 400, "text_en");
    field_error("PATCH", path, sec, "{\"text_zh\":\"x\"}", NULL, 428, NULL);
    json_decref(req_json("PATCH", path, sec, "{\"text_zh\":\"多做。\"}", "1", 200));
    field_error("PATCH", path, sec, "{\"text_zh\":\"stale\"}", "1", 409, NULL);
    snprintf(path, sizeof path, "/api/v1/recommendations/%lld/figures", (long long)r1);
    field_error("POST", path, sec, "{\"label_en\":\"x\",\"table\":\"nope\",\"row\":\"total\"}",
                NULL, 400, "table");
    field_error("POST", path, sec,
                "{\"label_en\":\"x\",\"table\":\"legal\",\"row\":\"total\",\"column\":\"count\"}",
                NULL, 400, "column");
    field_error("POST", path, sec, "{\"table\":\"legal\",\"row\":\"total\"}", NULL, 400,
                "label_en");
    /* nothing of that was stored */
    snprintf(path, sizeof path, "/api/v1/tip-reports/%lld", (long long)report);
    rep = req_json("GET", path, sec, NULL, NULL, 200);
    json_t *x = rec(rep, 1);
    assert_string_equal(json_string_value(json_object_get(x, "text_zh")), "多做。");
    assert_int_equal(json_array_size(json_object_get(x, "figures")), 0);
    assert_int_equal(json_array_size(json_object_get(x, "measures")), 0);
    assert_int_equal(json_integer_value(json_object_get(x, "version")), 2);
    json_decref(rep);
    /* who may: the agencies read, the secretariat writes, the auditor neither */
    json_decref(req_json("GET", "/api/v1/tip-reports", cw, NULL, NULL, 200));
    field_error("GET", "/api/v1/tip-reports", aud, NULL, NULL, 403, NULL);
    field_error("POST", "/api/v1/tip-reports", cw, "{\"year\":2007,\"tier\":\"tier1\"}", NULL, 403,
                NULL);
    snprintf(path, sizeof path, "/api/v1/tip-reports/%lld/recommendations", (long long)report);
    field_error("POST", path, cw, "{\"text\":\"More.\"}", NULL, 403, NULL);
    json_decref(req_json("POST", path, sec, "{\"text\":\"More.\\n\\nAnd more.\"}", NULL, 201));
    field_error("GET", "/api/v1/tip-reports/999999", sec, NULL, NULL, 404, NULL);
    field_error("GET", "/api/v1/tip-reports/999999/response", sec, NULL, NULL, 404, NULL);
    check_healthy(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tip_response),
        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_bad_input_and_access),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
