/*
 * Stored hostile input rendered inert (the web interface issue, item 4): the
 * three classic payloads — a script element, an attribute break-out with an
 * onerror handler, and a javascript: URL — are stored through the API in
 * every text field a page can show (case, persons of each role, notes,
 * referral details, page feedback, statements), then every page that shows
 * them is fetched as the users who may see it. Each page must show the text
 * escaped, and contain no script element, no injected img element and no
 * javascript: URL in an attribute.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;

#define P_SCRIPT "<script>alert(1)</script>"
#define P_ATTR   "\"><img src=x onerror=alert(1)>"
#define P_URL    "javascript:alert(1)"
/* JSON-escaped forms for request bodies */
#define J_SCRIPT "<script>alert(1)</script>"
#define J_ATTR   "\\\"><img src=x onerror=alert(1)>"

static int setup(void **state)
{
    (void)state;
    const char *const extra[] = {"--public-rate", "0", NULL};
    return server_start(&srv, extra) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    server_cleanup(&srv);
    return 0;
}

static char *lower(const char *s)
{
    char *t = strdup(s ? s : "");
    for (char *p = t; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return t;
}

/* The page at path, as the holder of tok (a cookie session; NULL: anonymous),
 * must be 200 and inert. Returns the body (free it). */
static char *inert_page(const char *path, const char *tok)
{
    char cookie[128];
    snprintf(cookie, sizeof cookie, "Cookie: vigil_session=%s", tok ? tok : "none");
    const char *const hdr[] = {cookie, NULL};
    struct http_resp r;
    http_request(&srv, "GET", path, NULL, NULL, hdr, &r);
    if (r.status != 200)
        print_error("GET %s: %ld\n", path, r.status);
    assert_int_equal(r.status, 200);
    char *b = lower(r.body);
    if (strstr(b, "<script") || strstr(b, "<img") || strstr(b, "href=\"javascript:") ||
        strstr(b, "src=\"javascript:") || strstr(b, "action=\"javascript:"))
        print_error("%s is not inert:\n%.2000s\n", path, r.body);
    assert_null(strstr(b, "<script"));
    assert_null(strstr(b, "<img"));
    assert_null(strstr(b, "href=\"javascript:"));
    assert_null(strstr(b, "src=\"javascript:"));
    assert_null(strstr(b, "action=\"javascript:"));
    free(b);
    char *body = strdup(r.body ? r.body : "");
    http_free(&r);
    return body;
}

static json_int_t post_id(const char *path, const char *tok, const char *body, long want)
{
    struct http_resp r;
    http_request(&srv, "POST", path, tok, body, NULL, &r);
    if (r.status != want)
        print_error("POST %s: %ld %s\n", path, r.status, r.body);
    assert_int_equal(r.status, want);
    json_int_t id = json_integer_value(json_object_get(r.json, "id"));
    http_free(&r);
    return id;
}

static void test_every_field_every_page(void **state)
{
    (void)state;
    char *inv = login(&srv, "investigator");
    char body[4096], path[128];

    /* the case's own text fields */
    snprintf(body, sizeof body,
             "{\"category\":\"trafficking\",\"source\":\"police\","
             "\"place_of_recruitment\":\"%s\",\"place_of_exploitation\":\"%s\","
             "\"cas_ReasonForCaseClosure\":\"%s\"}",
             J_SCRIPT, J_ATTR, P_URL);
    json_int_t cid = post_id("/api/v1/cases", inv, body, 201);

    /* a victim, a suspect and a witness with every text field */
    static const char *const roles[] = {"victim", "suspect", "witness"};
    for (int i = 0; i < 3; i++) {
        const char *extra = i == 0   ? ",\"vic_DetailsOfVulnerabilities\":\"" J_ATTR "\""
                            : i == 1 ? ",\"per_RoleDetails\":\"" J_SCRIPT "\""
                                     : "";
        snprintf(body, sizeof body,
                 "{\"role\":\"%s\",\"prs_Salutation\":\"%s\",\"prs_FirstName\":\"%s\","
                 "\"prs_MiddleName\":\"%s\",\"prs_SecondName\":\"%s\",\"prs_IdentityNumber\":"
                 "\"%s\",\"prs_Email\":\"%s\",\"prs_HomePhone\":\"%s\",\"prs_MobilePhone\":\"%s\","
                 "\"prs_MailingStreet\":\"%s\",\"prs_MailingCity\":\"%s\",\"prs_MailingState\":"
                 "\"%s\",\"prs_Title\":\"%s\"%s}",
                 roles[i], "x", J_SCRIPT, J_ATTR, J_SCRIPT, "ID" P_URL, P_URL, "1", "2", J_ATTR,
                 J_SCRIPT, P_URL, J_ATTR, extra);
        snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)cid);
        post_id(path, inv, body, 201);
    }
    /* notes and referral details */
    snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)cid);
    post_id(path, inv, "{\"text\":\"" J_SCRIPT " " J_ATTR " " P_URL "\"}", 201);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/referrals", (long long)cid);
    post_id(path, inv,
            "{\"to\":\"IAS\",\"reason\":\"AdditionalServicesRequired\",\"details\":\"" J_ATTR
            "\",\"override_reason\":\"" J_SCRIPT "\"}",
            201);

    /* page feedback and a published statement */
    post_id("/api/v1/feedback", NULL,
            "{\"page\":\"/public/" J_ATTR "\",\"message\":\"" J_SCRIPT "\",\"contact\":\"" P_URL
            "\"}",
            201);
    char *sec = login(&srv, "secretariat");
    json_int_t sid = post_id("/api/v1/statements", sec,
                             "{\"title_zh\":\"" J_SCRIPT "\",\"body_zh\":\"" J_ATTR
                             "\",\"title_pt\":\"" J_ATTR "\",\"body_pt\":\"" P_URL
                             "\",\"title_en\":\"" P_URL "\",\"body_en\":\"" J_SCRIPT "\"}",
                             201);
    snprintf(path, sizeof path, "/api/v1/statements/%lld/publish", (long long)sid);
    post_id(path, sec, NULL, 200);

    /* the investigator's pages */
    char *p = inert_page("/", inv);
    free(p);
    p = inert_page("/cases", inv);
    free(p);
    p = inert_page("/cases?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", inv);
    free(p);
    snprintf(path, sizeof path, "/cases/%lld", (long long)cid);
    p = inert_page(path, inv);
    /* the text is there, escaped */
    assert_non_null(strstr(p, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(p, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    free(p);
    snprintf(path, sizeof path, "/cases/%lld/persons/new", (long long)cid);
    p = inert_page(path, inv);
    free(p);
    p = inert_page("/cases/new", inv);
    free(p);

    /* the receiving agency's inbox shows the referral */
    char *cw = login(&srv, "caseworker");
    p = inert_page("/", cw);
    free(p);

    /* the auditor's trail of that case */
    char *aud = login(&srv, "auditor");
    snprintf(path, sizeof path, "/audit?case=%lld", (long long)cid);
    p = inert_page(path, aud);
    free(p);

    /* the secretariat's queues */
    p = inert_page("/feedback", sec);
    assert_non_null(strstr(p, "&lt;script&gt;"));
    free(p);
    p = inert_page("/statements", sec);
    free(p);
    snprintf(path, sizeof path, "/statements/%lld", (long long)sid);
    p = inert_page(path, sec);
    free(p);

    /* the public pages in each language */
    static const char *const langs[] = {"zh-Hant", "pt", "en"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/public/?lang=%s", langs[i]);
        p = inert_page(path, NULL);
        free(p);
        snprintf(path, sizeof path, "/public/statements/%lld?lang=%s", (long long)sid, langs[i]);
        p = inert_page(path, NULL);
        free(p);
        snprintf(path, sizeof path, "/public/statements.atom?lang=%s", langs[i]);
        p = inert_page(path, NULL);
        free(p);
    }
    free(inv);
    free(sec);
    free(cw);
    free(aud);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_field_every_page),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
