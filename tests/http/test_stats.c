/*
 * HTTP tests of the committee's statistics (GET /api/v1/stats and the
 * /stats page): figures of a small dataset entered over the API, worked out
 * by hand below, for a month, the month before and the month a year back,
 * and a trend; suppression at k = 3 against k = 1; the figures of the day
 * that are timestamped (referrals, services, tips) as changes; bad
 * parameters (400 naming the parameter); who may read them; and the page in
 * the three languages with its suppression marker.
 *
 * Two servers share the database: the first with --stats-k 2 on the command
 * line, the second with stats_k = 1 from an INI file, so that exact small
 * counts can be read there. The dataset lies in 2002 and 2003, before the
 * demo data, so its figures are exact; the same suite runs on PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"
#include "util/timeutil.h"

static struct server srv, twin;
static char *sec, *inv, *pro, *aud, *adm;

static json_int_t post_id(const char *path, const char *tok, const char *body)
{
    struct http_resp r;
    http_request(&srv, "POST", path, tok, body, NULL, &r);
    if (r.status != 201)
        print_error("POST %s %s: %ld %s\n", path, body ? body : "", r.status, r.body);
    assert_int_equal(r.status, 201);
    json_int_t id = json_integer_value(json_object_get(r.json, "id"));
    http_free(&r);
    return id;
}

static json_int_t mk_case(const char *opened, const char *category, const char *source)
{
    char body[160];
    snprintf(body, sizeof body, "{\"category\":\"%s\",\"source\":\"%s\",\"opened_on\":\"%s\"}",
             category, source, opened);
    return post_id("/api/v1/cases", inv, body);
}

static json_int_t victim(json_int_t case_id, const char *fields)
{
    char path[96], body[320];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    snprintf(body, sizeof body, "{\"role\":\"victim\",\"prs_FirstName\":\"A\"%s%s}",
             *fields ? "," : "", fields);
    return post_id(path, inv, body);
}

static void legal(json_int_t case_id, const char *tok, const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/legal", (long long)case_id);
    post_id(path, tok, body);
}

/* Refer the case to the prosecutor's office, accepted, so that the
 * prosecutor may record its charges. */
static void to_prosecutor(json_int_t case_id)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/referrals", (long long)case_id);
    json_int_t ref =
        post_id(path, inv, "{\"to\":\"MP\",\"reason\":\"AdditionalServicesRequired\"}");
    snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", (long long)ref);
    struct http_resp r;
    http_request(&srv, "POST", path, pro, NULL, NULL, &r);
    check_status(&r, 200);
    http_free(&r);
}

/* GET path on server s as tok: the JSON (a new reference). */
static json_t *get_stats(struct server *s, const char *query)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/stats?%s", query);
    struct http_resp r;
    http_get(s, path, sec, &r);
    check_status(&r, 200);
    json_t *j = json_incref(check_json(&r));
    http_free(&r);
    return j;
}

#define NUL   -1
#define NOROW -2

static int64_t cell(json_t *out, const char *id, const char *key, const char *which, int col)
{
    size_t i;
    json_t *t, *found = NULL;
    json_array_foreach(json_object_get(out, "tables"), i, t)
    {
        if (strcmp(json_string_value(json_object_get(t, "id")), id) == 0)
            found = t;
    }
    assert_non_null(found);
    json_t *r = NULL, *x;
    if (!key)
        r = json_object_get(found, "total");
    else
        json_array_foreach(json_object_get(found, "rows"), i, x)
        {
            if (strcmp(json_string_value(json_object_get(x, "key")), key) == 0)
                r = x;
        }
    if (!r || json_is_null(r))
        return NOROW;
    json_t *v = json_array_get(json_object_get(r, which), (size_t)col);
    assert_non_null(v);
    return json_is_null(v) ? NUL : json_integer_value(v);
}

/* A cell that may be absent (no row yet): 0 then. */
static int64_t count0(json_t *out, const char *id, const char *key, int col)
{
    int64_t v = cell(out, id, key, "values", col);
    return v == NOROW ? 0 : v;
}

static int64_t series(json_t *out, const char *id, const char *key, int i)
{
    size_t j;
    json_t *t, *x;
    json_array_foreach(json_object_get(out, "trends"), j, t)
    {
        if (strcmp(json_string_value(json_object_get(t, "id")), id) != 0)
            continue;
        json_array_foreach(json_object_get(t, "series"), j, x)
        {
            if (strcmp(json_string_value(json_object_get(x, "key")), key) == 0) {
                json_t *v = json_array_get(json_object_get(x, "values"), (size_t)i);
                assert_non_null(v);
                return json_is_null(v) ? NUL : json_integer_value(v);
            }
        }
    }
    return NOROW;
}

#define V(id, key, col)  cell(out, id, key, "values", col)
#define PV(id, key, col) cell(out, id, key, "previous", col)
#define YA(id, key, col) cell(out, id, key, "year_ago", col)

static json_t *today_before; /* the figures of today before the dataset */
static char today[11];

static int setup(void **state)
{
    (void)state;
    const char *const extra[] = {"--public-rate", "0", "--stats-k", "2", NULL};
    if (server_start(&srv, extra))
        return -1;
    char ini[600];
    snprintf(ini, sizeof ini, "%s/stats.ini", srv.dir);
    FILE *fp = fopen(ini, "w");
    if (!fp)
        return -1;
    fputs("[server]\nstats_k = 1\n", fp);
    fclose(fp);
    const char *const textra[] = {"--config", ini, NULL};
    if (server_start_twin(&twin, &srv, textra))
        return -1;
    sec = login(&srv, "secretariat");
    inv = login(&srv, "investigator");
    pro = login(&srv, "prosecutor");
    aud = login(&srv, "auditor");
    adm = login(&srv, "admin");
    if (!sec || !inv || !pro || !aud || !adm)
        return -1;
    time_date(time_now(), today);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(today_before);
    free(sec);
    free(inv);
    free(pro);
    free(aud);
    free(adm);
    server_cleanup(&twin);
    server_cleanup(&srv);
    return 0;
}

/*
 * The dataset (all cases by the investigator's agency, PJ):
 *   A 2003-05-10 trafficking police: V1 Feminine 20 PH SexualExploitation,
 *     V2 Feminine 40 PH;CN SexualExploitation;ForcedLabour
 *   B 2003-05-31 labour_exploitation inspection: V3 Masculine 30 VN
 *     ForcedLabour; V4 Masculine, who withdrew consent to statistics
 *   C 2003-04-30 trafficking hotline (the month before): V5 Masculine
 *   D 2002-05-01 trafficking police (a year before): V6 Feminine PH
 *   E 2003-06-01 trafficking police (after May: out)
 * legal: A investigation opened 2003-05-11, charged 2003-05-25 (Penal Code
 * 153-A, sexual), convicted 2003-05-30, sentenced to 50 months; B
 * investigation opened 2003-05-31 (no charge: "other"); D investigation
 * opened 2002-05-02.
 * Ages are those on the day the person is recorded (birth dates in June).
 */
static void test_figures(void **state)
{
    (void)state;
    today_before = get_stats(&twin, "from=2000-01-01&to=2000-01-01"); /* warm up */
    json_decref(today_before);
    char q[96];
    snprintf(q, sizeof q, "from=%s&to=%s", today, today);
    today_before = get_stats(&twin, q);

    json_int_t a = mk_case("2003-05-10", "trafficking", "police");
    json_int_t b = mk_case("2003-05-31", "labour_exploitation", "inspection");
    json_int_t c = mk_case("2003-04-30", "trafficking", "hotline");
    json_int_t d = mk_case("2002-05-01", "trafficking", "police");
    json_int_t e = mk_case("2003-06-01", "trafficking", "police");
    to_prosecutor(a); /* before its victims: no referral consent needed */
    int y;
    sscanf(today, "%d", &y);
    char f[256];
    snprintf(f, sizeof f,
             "\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"%d-06-01\","
             "\"prs_Citizenship\":[\"PH\"],\"vic_TypeOfExploitation\":[\"SexualExploitation\"]",
             y - 21 + (strcmp(today + 5, "06-01") >= 0));
    victim(a, f);
    snprintf(f, sizeof f,
             "\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"%d-06-01\","
             "\"prs_Citizenship\":[\"PH\",\"CN\"],"
             "\"vic_TypeOfExploitation\":[\"SexualExploitation\",\"ForcedLabour\"]",
             y - 41 + (strcmp(today + 5, "06-01") >= 0));
    victim(a, f);
    snprintf(f, sizeof f,
             "\"prs_Gender\":\"Masculine\",\"prs_Birthdate\":\"%d-06-01\","
             "\"prs_Citizenship\":[\"VN\"],\"vic_TypeOfExploitation\":[\"ForcedLabour\"]",
             y - 31 + (strcmp(today + 5, "06-01") >= 0));
    victim(b, f);
    json_int_t v4 = victim(b, "\"prs_Gender\":\"Masculine\",\"prs_Citizenship\":[\"VN\"]");
    char path[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons/%lld/consents", (long long)b,
             (long long)v4);
    post_id(path, inv, "{\"purpose\":\"statistics\",\"granted\":false}");
    victim(c, "\"prs_Gender\":\"Masculine\"");
    victim(d, "\"prs_Gender\":\"Feminine\",\"prs_Citizenship\":[\"PH\"]");
    victim(e, "\"prs_Gender\":\"Feminine\"");
    legal(a, inv, "{\"type\":\"investigation_opened\",\"on\":\"2003-05-11\"}");
    legal(a, pro,
          "{\"type\":\"charge\",\"on\":\"2003-05-25\",\"statute\":\"Penal Code\","
          "\"article\":\"153-A\",\"exploitation\":\"sexual\"}");
    legal(a, pro, "{\"type\":\"verdict\",\"on\":\"2003-05-30\",\"outcome\":\"convicted\"}");
    legal(a, pro, "{\"type\":\"sentence\",\"on\":\"2003-05-30\",\"months\":50}");
    legal(b, inv, "{\"type\":\"investigation_opened\",\"on\":\"2003-05-31\"}");
    legal(d, inv, "{\"type\":\"investigation_opened\",\"on\":\"2002-05-02\"}");

    /* k = 1 (the twin's threshold) */
    json_t *out = get_stats(&twin, "month=2003-05&k=1&years=2");
    assert_string_equal(json_str(out, "from"), "2003-05-01");
    assert_string_equal(json_str(out, "to"), "2003-05-31");
    assert_string_equal(json_str(json_object_get(out, "previous"), "from"), "2003-04-01");
    assert_string_equal(json_str(json_object_get(out, "previous"), "to"), "2003-04-30");
    assert_string_equal(json_str(json_object_get(out, "year_ago"), "from"), "2002-05-01");
    assert_int_equal(json_int(out, "k"), 1);
    assert_int_equal(json_int(out, "suppressed"), 0);
    /* cases: A and B; C the month before; D a year before; E is June */
    assert_int_equal(V("cases_by_category", "trafficking", 0), 1);
    assert_int_equal(V("cases_by_category", "labour_exploitation", 0), 1);
    assert_int_equal(V("cases_by_category", NULL, 0), 2);
    assert_int_equal(PV("cases_by_category", "trafficking", 0), 1);
    assert_int_equal(PV("cases_by_category", NULL, 0), 1);
    assert_int_equal(YA("cases_by_category", "trafficking", 0), 1);
    assert_int_equal(V("cases_by_source", "police", 0), 1);
    assert_int_equal(V("cases_by_source", "inspection", 0), 1);
    assert_int_equal(PV("cases_by_source", "hotline", 0), 1);
    assert_int_equal(V("cases_by_org", "PJ", 0), 2);
    /* A: SexualExploitation and ForcedLabour (V2); B: ForcedLabour (V3) */
    assert_int_equal(V("cases_by_exploitation", "SexualExploitation", 0), 1);
    assert_int_equal(V("cases_by_exploitation", "ForcedLabour", 0), 2);
    assert_int_equal(PV("cases_by_exploitation", "unknown", 0), 1); /* C: V5 has none */
    /* victims V1 V2 V3 (V4 withdrew consent) */
    assert_int_equal(V("victims_by_sex", "Feminine", 0), 2);
    assert_int_equal(V("victims_by_sex", "Masculine", 0), 1);
    assert_int_equal(V("victims_by_sex", NULL, 0), 3);
    assert_int_equal(PV("victims_by_sex", "Masculine", 0), 1);
    assert_int_equal(YA("victims_by_sex", "Feminine", 0), 1);
    assert_int_equal(V("victims_by_age_band", "18-24", 0), 1);
    assert_int_equal(V("victims_by_age_band", "25-34", 0), 1);
    assert_int_equal(V("victims_by_age_band", "35-44", 0), 1);
    assert_int_equal(V("victims_by_age_band", "unknown", 0), 0);
    assert_int_equal(PV("victims_by_age_band", "unknown", 0), 1); /* V5: no birth date */
    assert_int_equal(V("victims_by_citizenship", "PH", 0), 2);
    assert_int_equal(V("victims_by_citizenship", "CN", 0), 1);
    assert_int_equal(V("victims_by_citizenship", "VN", 0), 1); /* V3, not V4 */
    assert_int_equal(V("victims_by_citizenship", NULL, 0), 3);
    assert_int_equal(V("victims_by_exploitation", "ForcedLabour", 0), 2);
    assert_int_equal(V("victims_by_exploitation", "SexualExploitation", 0), 2);
    /* legal: A investigated, charged, convicted (sexual); B investigated
     * without a charge (other) */
    assert_int_equal(V("legal", "investigations", 0), 1);
    assert_int_equal(V("legal", "investigations", 2), 1);
    assert_int_equal(V("legal", "investigations", 3), 2);
    assert_int_equal(V("legal", "prosecutions", 0), 1);
    assert_int_equal(V("legal", "convictions", 0), 1);
    assert_int_equal(V("legal", "convictions", 1), 0);
    assert_int_equal(YA("legal", "investigations", 2), 1); /* D */
    assert_int_equal(V("legal_by_statute", "Penal Code 153-A", 0), 1);
    assert_int_equal(V("sentences", "3-5y", 0), 1);
    assert_int_equal(V("sentences", NULL, 0), 1);
    /* the trend of two years: 2002 D; 2003 C A (E is after May) and B */
    assert_int_equal(series(out, "cases_yearly", "trafficking", 0), 1);
    assert_int_equal(series(out, "cases_yearly", "trafficking", 1), 2);
    assert_int_equal(series(out, "cases_yearly", "labour_exploitation", 1), 1);
    assert_int_equal(series(out, "legal_yearly", "investigations", 1), 2);
    json_decref(out);

    /* the same at k = 3: 1 and 1 hidden, the total 2 too; victims 2 and 1
     * hidden, their total 3 shown */
    out = get_stats(&srv, "month=2003-05&k=3&years=2");
    assert_int_equal(json_int(out, "k"), 3);
    assert_true(json_int(out, "suppressed") > 0);
    assert_int_equal(V("cases_by_category", "trafficking", 0), NUL);
    assert_int_equal(V("cases_by_category", NULL, 0), NUL);
    assert_int_equal(V("victims_by_sex", "Feminine", 0), NUL);
    assert_int_equal(V("victims_by_sex", "Masculine", 0), NUL);
    assert_int_equal(V("victims_by_sex", NULL, 0), 3);
    assert_int_equal(V("victims_by_age_band", "55+", 0), 0); /* zero is shown */
    assert_int_equal(series(out, "cases_yearly", "trafficking", 1), NUL);
    json_decref(out);
    /* the server's own threshold (2) when k is not given */
    out = get_stats(&srv, "from=2003-05-01&to=2003-05-31");
    assert_int_equal(json_int(out, "k"), 2);
    assert_int_equal(V("cases_by_category", "trafficking", 0), NUL);
    /* sex: Masculine 1 hidden alone, so Feminine 2 too; citizenship: CN 1
     * and VN 1 hidden, PH 2 shown */
    assert_int_equal(V("victims_by_sex", "Feminine", 0), NUL);
    assert_int_equal(V("victims_by_citizenship", "PH", 0), 2);
    assert_int_equal(V("victims_by_citizenship", "CN", 0), NUL);
    json_decref(out);
}

/* What is timestamped counts on the day it is recorded: a referral, a
 * service and two tips now are today's, as changes on today's figures. */
static void test_today(void **state)
{
    (void)state;
    assert_non_null(today_before);
    json_int_t a = mk_case("2003-05-12", "trafficking", "police");
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/services", (long long)a);
    post_id(path, inv, "{\"spl_Type\":\"Legal\",\"provider\":\"IAS\"}");
    to_prosecutor(a);
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/tips", NULL, "{\"what\":\"stats test\"}", NULL, &r);
    check_status(&r, 201);
    http_free(&r);
    post_id("/api/v1/tip-queue", inv, "{\"what\":\"a hotline call\"}");

    char q[96];
    snprintf(q, sizeof q, "from=%s&to=%s&k=1", today, today);
    json_t *out = get_stats(&twin, q);
    json_t *b = today_before;
    /* test_figures referred case A to MP too, also today: two in all */
    assert_int_equal(
        count0(out, "referrals_by_org", "MP", 0) - count0(b, "referrals_by_org", "MP", 0), 2);
    assert_int_equal(
        count0(out, "referrals_by_org", "MP", 1) - count0(b, "referrals_by_org", "MP", 1), 2);
    assert_int_equal(
        count0(out, "services_by_type", "Legal", 0) - count0(b, "services_by_type", "Legal", 0), 1);
    assert_int_equal(
        count0(out, "tips_by_channel", "web", 0) - count0(b, "tips_by_channel", "web", 0), 1);
    assert_int_equal(count0(out, "tips_by_channel", "hotline", 0) -
                         count0(b, "tips_by_channel", "hotline", 0),
                     1);
    json_decref(out);
}

static void bad(const char *query, const char *field)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/stats?%s", query);
    struct http_resp r;
    http_get(&srv, path, sec, &r);
    check_error(&r, 400, field);
    http_free(&r);
}

static void test_bad_parameters(void **state)
{
    (void)state;
    bad("month=2026-13", "month");
    bad("month=May", "month");
    bad("month=2026-1x", "month");
    bad("from=2026-10-31&to=2026-10-01", "from");
    bad("from=2026-10-01", "to");
    bad("to=2026-10-01", "from");
    bad("from=2026-02-30&to=2026-03-01", "from");
    bad("month=2026-10&year=2026", "year");
    bad("year=26", "year");
    bad("k=1", "k"); /* below this server's 2 */
    bad("k=0", "k");
    bad("k=abc", "k");
    bad("years=0", "years");
    bad("years=11", "years");
    bad("from=2000-01-01&to=2026-01-01", "from"); /* more than ten years */
    /* who may read: not the auditor, nor the administrator; not anonymous */
    struct http_resp r;
    http_get(&srv, "/api/v1/stats", aud, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/stats", adm, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/stats", NULL, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    /* the default: the last full month */
    http_get(&srv, "/api/v1/stats", inv, &r);
    check_status(&r, 200);
    const char *from = json_str(check_json(&r), "from");
    assert_int_equal(strlen(from), 10);
    assert_string_equal(from + 8, "01");
    assert_true(strcmp(from, today) < 0);
    http_free(&r);
}

static void test_page(void **state)
{
    (void)state;
    static const char *const langs[3] = {"zh-Hant", "pt", "en"};
    static const char *const title[3] = {"統計數字", "Estatísticas", "Statistics"};
    static const char *const table[3] = {"按類別劃分的新案件", "Novos casos por categoria",
                                         "New cases by category"};
    static const char *const legal[3] = {"偵查", "Investigações", "Investigations"};
    for (int l = 0; l < 3; l++) {
        char path[96];
        snprintf(path, sizeof path, "/stats?month=2003-05&lang=%s", langs[l]);
        struct http_resp r;
        http_get(&srv, path, sec, &r);
        check_status(&r, 200);
        assert_non_null(strstr(r.body, title[l]));
        assert_non_null(strstr(r.body, table[l]));
        assert_non_null(strstr(r.body, legal[l]));
        /* the marker (this server's k is 2) and its legend */
        assert_non_null(strstr(r.body, "&lt;2</span>"));
        assert_non_null(strstr(r.body, "id=\"stats-legend\""));
        assert_non_null(strstr(r.body, "value=\"2003-05\""));
        assert_non_null(strstr(r.body, "href=\"/stats\""));
        assert_non_null(strstr(r.body, "id=\"stats-charts\""));
        /* the trends drawn as SVG by report/chart.c, titled in the language */
        assert_non_null(strstr(r.body, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_non_null(strstr(r.body, "id=\"chart0-title\""));
        assert_null(strstr(r.body, "<script"));
        http_free(&r);
    }
    struct http_resp r;
    http_get(&srv, "/stats?lang=en", sec, &r); /* the last full month */
    check_status(&r, 200);
    http_free(&r);
    http_get(&srv, "/stats?month=2003-13", sec, &r);
    assert_int_equal(r.status, 400);
    http_free(&r);
    http_get(&srv, "/stats", aud, &r);
    assert_int_equal(r.status, 403);
    http_free(&r);
    /* no link for a role that may not read them */
    http_get(&srv, "/", aud, &r);
    check_status(&r, 200);
    assert_null(strstr(r.body, "href=\"/stats\""));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures),
        cmocka_unit_test(test_today),
        cmocka_unit_test(test_bad_parameters),
        cmocka_unit_test(test_page),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
