/*
 * HTTP tests of the public side (DESIGN §7, the public-side issue): anonymous
 * tips with a follow-up code (see the state, add information, never anything
 * else), page feedback (the message is mandatory), the staff's tip queue and
 * triage, encryption of what a tip says, and the per-address limits on
 * public POSTs: 1,000 tips from one address are held back with 429 and
 * Retry-After while another address is still served.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"

static struct server srv;

static int setup(void **state)
{
    (void)state;
    return server_start(&srv, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    server_cleanup(&srv);
    return 0;
}

static char *post_tip(struct server *s, const char *body)
{
    struct http_resp r;
    http_request(s, "POST", "/api/v1/tips", NULL, body, NULL, &r);
    check_status(&r, 201);
    json_t *j = check_json(&r);
    const char *code = json_str(j, "code");
    assert_int_equal(strlen(code), 23); /* 20 characters in four groups of five */
    char *out = strdup(code);
    http_free(&r);
    return out;
}

static void test_tip_follow_up(void **state)
{
    (void)state;
    char word[32], body[256], path[128];
    random_hex(word, 8);
    snprintf(body, sizeof body, "{\"what\":\"Workers kept in %s\",\"where\":\"Taipa\"}", word);
    char *code = post_tip(&srv, body);
    char *other = post_tip(&srv, "{\"what\":\"something else\"}");
    assert_string_not_equal(code, other);

    struct http_resp r;
    snprintf(path, sizeof path, "/api/v1/tips/%s", code);
    http_get(&srv, path, NULL, &r);
    check_status(&r, 200);
    json_t *j = check_json(&r);
    assert_string_equal(json_str(j, "state"), "new");
    assert_int_equal(json_int(j, "additions"), 0);
    /* the submitter sees no content, no handler and no other tip */
    assert_null(strstr(r.body, word));
    assert_null(json_object_get(j, "handled_by"));
    assert_null(json_object_get(j, "what"));
    http_free(&r);

    /* the code works without dashes and in lower case too */
    char loose[32];
    int k = 0;
    for (const char *p = code; *p; p++)
        if (*p != '-')
            loose[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    loose[k] = '\0';
    snprintf(path, sizeof path, "/api/v1/tips/%s", loose);
    http_request(&srv, "POST", path, NULL, "{\"what\":\"They were moved last night\"}", NULL, &r);
    check_status(&r, 201);
    assert_int_equal(json_int(check_json(&r), "additions"), 1);
    http_free(&r);

    /* a wrong code is a plain 404 */
    http_get(&srv, "/api/v1/tips/AAAAA-BBBBB-CCCCC-DDDDD", NULL, &r);
    check_error(&r, 404, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/tips/not%20a%20code", NULL, &r);
    assert_true(r.status == 404);
    http_free(&r);

    /* the tip's words are sealed in the database and never in the log */
    server_stop(&srv);
    size_t n = 0;
    char *bytes = read_file(srv.log, &n);
    assert_false(mem_contains(bytes, n, word));
    free(bytes);
    if (server_is_sqlite(&srv)) {
        bytes = read_file(srv.db, &n);
        assert_false(mem_contains(bytes, n, word));
        free(bytes);
        char wal[600];
        snprintf(wal, sizeof wal, "%s-wal", srv.db);
        bytes = read_file(wal, &n);
        if (bytes)
            assert_false(mem_contains(bytes, n, word));
        free(bytes);
    }
    assert_int_equal(server_spawn(&srv), 0);

    /* staff see it in the queue, decrypted, and triage it */
    char *tok = login(&srv, "investigator");
    http_get(&srv, "/api/v1/tip-queue?state=new", tok, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, word));
    json_t *items = json_object_get(check_json(&r), "items");
    json_int_t id = 0;
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
    {
        const char *what = json_string_value(json_object_get(x, "what"));
        if (what && strstr(what, word))
            id = json_integer_value(json_object_get(x, "id"));
    }
    assert_true(id > 0);
    http_free(&r);
    snprintf(path, sizeof path, "/api/v1/tip-queue/%lld/triage", (long long)id);
    http_request(&srv, "POST", path, tok, "{\"state\":\"closed\"}", NULL, &r);
    check_error(&r, 400, "reason");
    http_free(&r);
    http_request(&srv, "POST", path, tok, "{\"state\":\"reviewing\"}", NULL, &r);
    check_status(&r, 200);
    http_free(&r);
    http_request(&srv, "POST", path, tok,
                 "{\"state\":\"closed\",\"reason\":\"Referred to the labour bureau\"}", NULL, &r);
    check_status(&r, 200);
    http_free(&r);
    http_request(&srv, "POST", path, tok, "{\"state\":\"reviewing\"}", NULL, &r);
    check_error(&r, 409, NULL);
    http_free(&r);

    /* the submitter sees the new state, and still not the reason or handler */
    snprintf(path, sizeof path, "/api/v1/tips/%s", code);
    http_get(&srv, path, NULL, &r);
    check_status(&r, 200);
    assert_string_equal(json_str(check_json(&r), "state"), "closed");
    assert_null(strstr(r.body, "labour bureau"));
    assert_null(strstr(r.body, "investigator"));
    http_free(&r);

    /* roles without the tip queue are refused; anonymous callers too */
    char *sec = login(&srv, "secretariat");
    http_get(&srv, "/api/v1/tip-queue", sec, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/tip-queue", NULL, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    free(sec);
    free(tok);
    free(code);
    free(other);
}

static void test_hotline_logging(void **state)
{
    (void)state;
    char *tok = login(&srv, "caseworker");
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/tip-queue", tok,
                 "{\"what\":\"Caller reports a minor working in a bar\",\"channel\":\"hotline\"}",
                 NULL, &r);
    check_status(&r, 201);
    json_t *j = check_json(&r);
    assert_true(json_int(j, "id") > 0);
    assert_int_equal(strlen(json_str(j, "code")), 23);
    http_free(&r);
    http_get(&srv, "/api/v1/tip-queue", tok, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "\"channel\":\"hotline\""));
    http_free(&r);
    free(tok);
}

static void test_tip_bad_input(void **state)
{
    (void)state;
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/tips", NULL, "{}", NULL, &r);
    check_error(&r, 400, "what");
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/tips", NULL, "{\"what\":\"\"}", NULL, &r);
    check_error(&r, 400, "what");
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/tips", NULL, "{\"what\":\"x\",\"ip\":\"1.2.3.4\"}", NULL,
                 &r);
    check_error(&r, 400, "ip");
    http_free(&r);
    char *big = malloc(6000 + 32);
    memcpy(big, "{\"what\":\"", 9);
    memset(big + 9, 'a', 6000);
    memcpy(big + 9 + 6000, "\"}", 3);
    http_request(&srv, "POST", "/api/v1/tips", NULL, big, NULL, &r);
    check_error(&r, 400, "what");
    http_free(&r);
    free(big);
    /* the honeypot: answered like a success, nothing kept */
    http_request(&srv, "POST", "/api/v1/tips", NULL,
                 "{\"what\":\"buy cheap watches\",\"website\":\"http://spam.example\"}", NULL, &r);
    check_status(&r, 201);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/tips/%s", json_str(check_json(&r), "code"));
    http_free(&r);
    http_get(&srv, path, NULL, &r);
    check_error(&r, 404, NULL);
    http_free(&r);
    check_healthy(&srv);
}

static void test_feedback(void **state)
{
    (void)state;
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/feedback", NULL,
                 "{\"page\":\"/public/\",\"message\":\"The Portuguese title has a typo\"}", NULL,
                 &r);
    check_status(&r, 201);
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/feedback", NULL, "{\"page\":\"/public/\"}", NULL, &r);
    check_error(&r, 400, "message");
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/feedback", NULL, "{\"page\":\"/public/\",\"message\":\"\"}",
                 NULL, &r);
    check_error(&r, 400, "message");
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/feedback", NULL,
                 "{\"page\":\"/public/\",\"message\":\"\xff\xfe\"}", NULL, &r);
    assert_int_equal(r.status, 400);
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/feedback", NULL,
                 "{\"page\":\"http://elsewhere/\",\"message\":\"hi\"}", NULL, &r);
    check_error(&r, 400, "page");
    http_free(&r);

    char *sec = login(&srv, "secretariat");
    http_get(&srv, "/api/v1/feedback", sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "The Portuguese title has a typo"));
    http_free(&r);
    char *inv = login(&srv, "investigator");
    http_get(&srv, "/api/v1/feedback", inv, &r);
    check_error(&r, 403, NULL);
    http_free(&r);

    /* reviewing: once, by the secretariat, audited; the queue filters by state */
    http_get(&srv, "/api/v1/feedback?state=new", sec, &r);
    json_int_t fid = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(check_json(&r), "items"), i,
                       x) if (strcmp(json_string_value(json_object_get(x, "message")),
                                     "The Portuguese title has a typo") == 0) fid =
        json_integer_value(json_object_get(x, "id"));
    assert_true(fid > 0);
    http_free(&r);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/feedback/%lld/review", (long long)fid);
    http_request(&srv, "POST", path, inv, NULL, NULL, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_request(&srv, "POST", path, sec, NULL, NULL, &r);
    check_status(&r, 200);
    assert_string_equal(json_string_value(json_object_get(check_json(&r), "state")), "reviewed");
    http_free(&r);
    http_request(&srv, "POST", path, sec, NULL, NULL, &r);
    check_error(&r, 409, NULL);
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/feedback/999999999/review", sec, NULL, NULL, &r);
    check_error(&r, 404, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/feedback?state=new", sec, &r);
    assert_null(strstr(r.body, "The Portuguese title has a typo"));
    http_free(&r);
    http_get(&srv, "/api/v1/feedback?state=reviewed", sec, &r);
    assert_non_null(strstr(r.body, "The Portuguese title has a typo"));
    http_free(&r);

    /* the page: a button for new feedback, which marks it reviewed */
    http_request(&srv, "POST", "/api/v1/feedback", NULL,
                 "{\"page\":\"/public/tip\",\"message\":\"The map link is broken\"}", NULL, &r);
    check_status(&r, 201);
    http_free(&r);
    struct http_resp lr;
    login_as(&srv, "secretariat", DEMO_PASSWORD, &lr);
    const char *tok = json_string_value(json_object_get(lr.json, "token"));
    const char *csrf = json_string_value(json_object_get(lr.json, "csrf"));
    http_get(&srv, "/feedback?state=new&lang=en", tok, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "The map link is broken"));
    assert_non_null(strstr(r.body, "Mark reviewed"));
    const char *at = strstr(r.body, "action=\"/feedback/");
    assert_non_null(at);
    char action[64];
    assert_int_equal(sscanf(at, "action=\"%63[^\"]\"", action), 1);
    http_free(&r);
    char body[128];
    snprintf(body, sizeof body, "csrf=%s", csrf);
    struct http_req rq = {.method = "POST",
                          .path = action,
                          .token = tok,
                          .body = body,
                          .content_type = "application/x-www-form-urlencoded"};
    assert_int_equal(http_do(&srv, &rq, &r), 303);
    http_free(&r);
    assert_int_equal(http_do(&srv, &rq, &r), 409); /* already reviewed */
    http_free(&r);
    http_get(&srv, "/feedback?state=new&lang=en", tok, &r);
    assert_null(strstr(r.body, "The map link is broken"));
    http_free(&r);
    http_free(&lr);
    free(sec);
    free(inv);
}

/* POST a form as a fresh session of username; the status (and *loc the
 * Location, when asked), the body kept in *out when out is not NULL. */
static long post_form_as(const char *username, const char *path, const char *fields,
                         struct http_resp *out)
{
    struct http_resp lr;
    login_as(&srv, username, DEMO_PASSWORD, &lr);
    const char *tok = json_string_value(json_object_get(lr.json, "token"));
    const char *csrf = json_string_value(json_object_get(lr.json, "csrf"));
    assert_non_null(tok);
    char body[2048];
    snprintf(body, sizeof body, "csrf=%s&%s", csrf, fields);
    struct http_req rq = {.method = "POST",
                          .path = path,
                          .token = tok,
                          .body = body,
                          .content_type = "application/x-www-form-urlencoded"};
    struct http_resp r;
    long st = http_do(&srv, &rq, &r);
    if (out)
        *out = r;
    else
        http_free(&r);
    http_free(&lr);
    return st;
}

/* The tip queue's pages: the list, one tip, logging a call (the code shown
 * once), triage by form; only for the agencies that triage. */
static void test_tip_pages(void **state)
{
    (void)state;
    char *code = post_tip(&srv, "{\"what\":\"Workers locked in a flat in Taipa\","
                                "\"where\":\"Taipa\",\"contact\":\"a neighbour\"}");
    assert_non_null(code);
    char *inv = login(&srv, "investigator"), *sec = login(&srv, "secretariat");
    struct http_resp r;
    http_get(&srv, "/tips?lang=en", sec, &r);
    check_status(&r, 403);
    http_free(&r);
    http_get(&srv, "/tips?state=new&lang=en", inv, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "Workers locked in a flat"));
    assert_non_null(strstr(r.body, "Log a hotline call"));
    const char *at = strstr(r.body, "Workers locked in a flat");
    /* the row's link is before its text */
    const char *link = NULL;
    for (const char *p = strstr(r.body, "href=\"/tips/"); p && p < at;
         p = strstr(p + 1, "href=\"/tips/"))
        link = p;
    assert_non_null(link);
    long long id = 0;
    assert_int_equal(sscanf(link, "href=\"/tips/%lld", &id), 1);
    http_free(&r);
    http_get(&srv, "/tips?state=bogus", inv, &r);
    check_status(&r, 400);
    http_free(&r);

    char path[64];
    snprintf(path, sizeof path, "/tips/%lld?lang=en", id);
    http_get(&srv, path, inv, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "a neighbour")); /* the contact, opened for triage */
    assert_non_null(strstr(r.body, "Start reviewing"));
    http_free(&r);

    /* triage by form: reviewing, then closing needs a reason */
    snprintf(path, sizeof path, "/tips/%lld/triage", id);
    assert_int_equal(post_form_as("investigator", path, "state=reviewing", NULL), 303);
    assert_int_equal(post_form_as("investigator", path, "state=closed&reason=", NULL), 400);
    assert_int_equal(post_form_as("investigator", path, "state=promoted&case_id=abc", NULL), 400);
    assert_int_equal(
        post_form_as("investigator", path, "state=closed&reason=Already+known+to+the+police", NULL),
        303);
    assert_int_equal(post_form_as("investigator", path, "state=reviewing", NULL), 409);
    snprintf(path, sizeof path, "/tips/%lld?lang=en", id);
    http_get(&srv, path, inv, &r);
    assert_non_null(strstr(r.body, "Already known to the police"));
    assert_null(strstr(r.body, "Start reviewing")); /* closed: no more triage */
    http_free(&r);

    /* a hotline call logged on the page: the code is shown once */
    struct http_resp lr;
    assert_int_equal(post_form_as("caseworker", "/tips",
                                  "what=Caller+reports+a+girl+kept+from+school&when=yesterday",
                                  &lr),
                     200);
    assert_null(strstr(lr.body, "Caller reports")); /* what was said is not echoed */
    const char *shown = strstr(lr.body, "<strong>");
    assert_non_null(shown);
    char follow[40];
    assert_int_equal(sscanf(shown, "<strong>%39[^<]", follow), 1);
    http_free(&lr);
    char fpath[96];
    snprintf(fpath, sizeof fpath, "/api/v1/tips/%s", follow);
    http_get(&srv, fpath, NULL, &r);
    check_status(&r, 200);
    assert_string_equal(json_string_value(json_object_get(check_json(&r), "state")), "new");
    http_free(&r);
    assert_int_equal(post_form_as("caseworker", "/tips", "what=", NULL), 400);
    free(code);
    free(inv);
    free(sec);
}

/* The public statistics: no login, three languages, the same yearly totals
 * as the committee's statistics, charts drawn as SVG, small counts marked. */
static void test_public_stats(void **state)
{
    (void)state;
    struct http_resp r;
    char *sec = login(&srv, "secretariat");
    char year[5];
    time_t now = time(NULL);
    strftime(year, sizeof year, "%Y", gmtime(&now));
    char path[96];
    snprintf(path, sizeof path, "/api/v1/stats?from=%s-01-01&to=%s-12-31&years=10", year, year);
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    json_t *trends = json_object_get(check_json(&r), "trends"), *t = NULL, *legal = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(trends, i, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "id")), "cases_yearly") == 0)
            t = x;
        if (strcmp(json_string_value(json_object_get(x, "id")), "legal_yearly") == 0)
            legal = x;
    }
    assert_non_null(t);
    assert_non_null(legal);
    json_t *tot = json_object_get(t, "total");
    assert_int_equal(json_array_size(tot), 10);
    /* the demo's cases of the first year, as the page must show them */
    char want[64];
    json_t *first = json_array_get(tot, 0);
    if (json_is_integer(first))
        snprintf(want, sizeof want, "<td class=\"n\">%lld</td>",
                 (long long)json_integer_value(first));
    else
        snprintf(want, sizeof want, "<td class=\"n suppressed\">&lt;");
    const char *y0 = json_string_value(json_array_get(json_object_get(t, "periods"), 0));
    char row[64];
    snprintf(row, sizeof row, "<th scope=\"row\">%s</th>", y0);
    /* is any legal figure below k, so that the page must mark one? */
    int small = 0;
    json_array_foreach(json_object_get(legal, "series"), i, x)
    {
        size_t j;
        json_t *v;
        json_array_foreach(json_object_get(x, "values"), j, v) small |= json_is_null(v);
    }
    http_free(&r);

    const char *langs[] = {"zh-Hant", "pt", "en"};
    const char *title[] = {"統計數字", "Estatísticas", "Statistics"};
    for (int l = 0; l < 3; l++) {
        snprintf(path, sizeof path, "/public/stats?lang=%s", langs[l]);
        http_get(&srv, path, NULL, &r);
        check_status(&r, 200);
        assert_non_null(strstr(r.body, title[l]));
        assert_non_null(strstr(r.body, "<svg"));
        const char *at = strstr(r.body, row);
        assert_non_null(at);
        const char *end = strstr(at, "</tr>");
        assert_non_null(end);
        const char *cell = strstr(at, want);
        assert_true(cell && cell < end);
        if (small)
            assert_non_null(strstr(r.body, "n suppressed"));
        assert_null(strstr(r.body, "prs_")); /* nothing about persons */
        http_free(&r);
    }
    free(sec);
}

/* 1,000 tips from one address: the limit holds (429 with Retry-After) and
 * another address is still served. */
static void test_rate_limit(void **state)
{
    (void)state;
    struct server s2;
    memset(&s2, 0, sizeof s2);
    const char *const extra[] = {"--public-rate", "20", NULL};
    assert_int_equal(server_start(&s2, extra), 0);
    int created = 0, limited = 0, other = 0;
    char retry[32] = "";
    for (int i = 0; i < 1000; i++) {
        struct http_resp r;
        http_request(&s2, "POST", "/api/v1/tips", NULL, "{\"what\":\"flood\"}", NULL, &r);
        if (r.status == 201)
            created++;
        else if (r.status == 429) {
            limited++;
            if (!retry[0])
                http_header(&r, "Retry-After", retry, sizeof retry);
        } else {
            other++;
        }
        http_free(&r);
    }
    assert_int_equal(other, 0);
    assert_true(created >= 20 && created <= 25); /* the burst, and what refills meanwhile */
    assert_int_equal(created + limited, 1000);
    assert_true(strtol(retry, NULL, 10) >= 1);

    /* another address is still served */
    struct http_req rq = {.method = "POST",
                          .path = "/api/v1/tips",
                          .body = "{\"what\":\"from a neighbour\"}",
                          .source = "127.0.0.2"};
    struct http_resp r;
    http_do(&s2, &rq, &r);
    check_status(&r, 201);
    http_free(&r);
    /* and reading needs no token from the bucket */
    check_healthy(&s2);
    server_cleanup(&s2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tip_follow_up), cmocka_unit_test(test_hotline_logging),
        cmocka_unit_test(test_tip_bad_input), cmocka_unit_test(test_feedback),
        cmocka_unit_test(test_tip_pages),     cmocka_unit_test(test_public_stats),
        cmocka_unit_test(test_rate_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
