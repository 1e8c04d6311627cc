/*
 * HTTP tests of hostile and malformed input (DESIGN §2 "every input is
 * hostile", §7 errors and limits): each bad request must get the right status
 * and an {"error":{"code","message"}} body naming the field where there is
 * one, must leave the server running (GET /healthz 200) and must change
 * nothing that was stored (case count, the case's version, its notes,
 * persons and referrals). Also: limits on body and header size, idle session
 * expiry, and SQL-looking text stored verbatim.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/harness.h"

static struct server srv;
static char *tok_inv, *tok_cw, *tok_aud, *tok_police;
static json_int_t case_id;  /* investigator's (PJ) case, version 2 */
static json_int_t other_id; /* police's (PSP) case */

enum who { W_INV, W_CW, W_AUD, W_NONE };

static const char *tok_of(enum who w)
{
    switch (w) {
    case W_INV:
        return tok_inv;
    case W_CW:
        return tok_cw;
    case W_AUD:
        return tok_aud;
    default:
        return NULL;
    }
}

static json_int_t create(const char *tok, const char *path, const char *body)
{
    struct http_resp r;
    http_request(&srv, "POST", path, tok, body, NULL, &r);
    json_int_t id = r.status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
    if (!id)
        fprintf(stderr, "setup: POST %s: %ld %s\n", path, r.status, r.body);
    http_free(&r);
    return id;
}

static int setup(void **state)
{
    (void)state;
    if (server_start(&srv, NULL))
        return -1;
    tok_inv = login(&srv, "investigator");
    tok_cw = login(&srv, "caseworker");
    tok_aud = login(&srv, "auditor");
    tok_police = login(&srv, "police");
    if (!tok_inv || !tok_cw || !tok_aud || !tok_police)
        return -1;
    const char *basic = "{\"category\":\"trafficking\",\"source\":\"police\"}";
    case_id = create(tok_inv, "/api/v1/cases", basic);
    other_id = create(tok_police, "/api/v1/cases", basic);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)case_id);
    if (!case_id || !other_id || !create(tok_inv, path, "{\"text\":\"first note\"}"))
        return -1;
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    if (!create(tok_inv, path, "{\"role\":\"victim\",\"prs_FirstName\":\"Ana\"}"))
        return -1;
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)case_id);
    const char *if1[] = {"If-Match: \"1\"", NULL};
    struct http_resp r;
    long st = http_request(&srv, "PATCH", path, tok_inv, "{\"stage\":\"screening\"}", if1, &r);
    http_free(&r);
    return st == 200 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tok_inv);
    free(tok_cw);
    free(tok_aud);
    free(tok_police);
    int rc = server_stop(&srv); /* -1: it was not running (setup failed) */
    if (rc > 0)
        fprintf(stderr, "the server exited with status %d; see %s\n", rc, srv.log);
    server_cleanup(&srv);
    return rc > 0 ? -1 : 0;
}

/* What is stored, as seen over HTTP. */
struct snap {
    json_int_t total, version;
    size_t notes, persons, referrals;
};

static size_t count_items(const char *suffix)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/%s", (long long)case_id, suffix);
    struct http_resp r;
    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    size_t n = json_array_size(json_object_get(check_json(&r), "items"));
    http_free(&r);
    return n;
}

static void take_snap(struct snap *s)
{
    struct http_resp r;
    http_get(&srv, "/api/v1/cases?per_page=1", tok_inv, &r);
    check_status(&r, 200);
    s->total = json_int(check_json(&r), "total");
    http_free(&r);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)case_id);
    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    s->version = json_int(check_json(&r), "version");
    http_free(&r);
    s->notes = count_items("notes");
    s->persons = count_items("persons");
    s->referrals = count_items("referrals");
}

static void check_unchanged(const struct snap *a, const char *what)
{
    struct snap b;
    take_snap(&b);
    if (a->total != b.total || a->version != b.version || a->notes != b.notes ||
        a->persons != b.persons || a->referrals != b.referrals)
        print_error("%s changed what was stored: total %lld→%lld version %lld→%lld notes "
                    "%zu→%zu persons %zu→%zu referrals %zu→%zu\n",
                    what, (long long)a->total, (long long)b.total, (long long)a->version,
                    (long long)b.version, a->notes, b.notes, a->persons, b.persons, a->referrals,
                    b.referrals);
    assert_int_equal(a->total, b.total);
    assert_int_equal(a->version, b.version);
    assert_int_equal(a->notes, b.notes);
    assert_int_equal(a->persons, b.persons);
    assert_int_equal(a->referrals, b.referrals);
}

/* A bad request and what it must get. */
struct bad {
    enum who who;
    const char *method;
    const char *path;  /* {case}: the case; {other}: another agency's case */
    const char *ctype; /* NULL: application/json */
    const char *body;
    size_t len;      /* 0: strlen(body) */
    const char *hdr; /* one more header, or NULL */
    long want;
    const char *field; /* the field the error must name, or NULL */
};

static void expand(const char *tpl, char *out, size_t n)
{
    const char *c = strstr(tpl, "{case}"), *o = strstr(tpl, "{other}");
    if (c)
        snprintf(out, n, "%.*s%lld%s", (int)(c - tpl), tpl, (long long)case_id, c + 6);
    else if (o)
        snprintf(out, n, "%.*s%lld%s", (int)(o - tpl), tpl, (long long)other_id, o + 7);
    else
        snprintf(out, n, "%s", tpl);
}

/* Send one bad request (chunked in pieces of chunk bytes when > 0) and check
 * the answer, the server's health and that nothing stored changed. */
static void run_one(const struct bad *b, size_t chunk)
{
    char path[256];
    expand(b->path, path, sizeof path);
    struct snap before;
    take_snap(&before);
    const char *hdrs[] = {b->hdr, NULL};
    struct http_req rq = {.method = b->method,
                          .path = path,
                          .token = tok_of(b->who),
                          .body = b->body,
                          .body_len = b->len,
                          .content_type = b->ctype,
                          .headers = hdrs,
                          .chunk = chunk};
    struct http_resp r;
    http_do(&srv, &rq, &r);
    if (r.status != b->want)
        print_error("%s %s %.80s\n", b->method, path, b->body ? b->body : "");
    check_error(&r, b->want, b->field);
    http_free(&r);
    check_healthy(&srv);
    char what[300];
    snprintf(what, sizeof what, "%s %s", b->method, path);
    check_unchanged(&before, what);
}

static void run_bad(const struct bad *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        run_one(&rows[i], 0);
}

#define RUN(rows) run_bad(rows, sizeof rows / sizeof rows[0])
#define CASES     "/api/v1/cases"
#define NOTES     "/api/v1/cases/{case}/notes"
#define PERSONS   "/api/v1/cases/{case}/persons"

static void test_malformed_json(void **state)
{
    (void)state;
    static const struct bad rows[] = {
        {W_INV, "POST", CASES, NULL, "{\"category\":", 0, NULL, 400, NULL},
        {W_INV, "POST", CASES, NULL, "{category:\"trafficking\"}", 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, "{\"text\": \"unterminated}", 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, "{\"text\":\"x\"} trailing", 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, "{\"text\":\"x\",}", 0, NULL, 400, NULL},
        {W_INV, "POST", "/api/v1/session", NULL, "{\"username\":", 0, NULL, 400, NULL},
    };
    RUN(rows);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    size_t depth = 100000;
    char *body = malloc(2 * depth + 1);
    assert_non_null(body);
    memset(body, '[', depth);
    memset(body + depth, ']', depth);
    body[2 * depth] = '\0';
    const struct bad rows[] = {{W_INV, "POST", CASES, NULL, body, 0, NULL, 400, NULL}};
    RUN(rows);
    free(body);
}

static void test_wrong_types(void **state)
{
    (void)state;
    static const struct bad rows[] = {
        {W_INV, "POST", CASES, NULL, "[{\"category\":\"trafficking\",\"source\":\"police\"}]", 0,
         NULL, 400, NULL},
        {W_INV, "POST", CASES, NULL, "\"trafficking\"", 0, NULL, 400, NULL},
        {W_INV, "POST", CASES, NULL, "null", 0, NULL, 400, NULL},
        {W_INV, "POST", CASES, NULL, "42", 0, NULL, 400, NULL},
        {W_INV, "POST", CASES, NULL, "{\"category\":5,\"source\":\"police\"}", 0, NULL, 400,
         "category"},
        {W_INV, "POST", CASES, NULL, "{\"category\":\"trafficking\",\"source\":[\"police\"]}", 0,
         NULL, 400, "source"},
        {W_INV, "POST", CASES, NULL, "{\"category\":null,\"source\":\"police\"}", 0, NULL, 400,
         "category"},
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"victim\",\"prs_Citizenship\":\"PH\"}", 0, NULL,
         400, "prs_Citizenship"},
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"victim\",\"prs_FirstName\":[\"Ana\"]}", 0, NULL,
         400, "prs_FirstName"},
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"victim\",\"vic_AgeWhenTrafficked\":\"20\"}", 0,
         NULL, 400, "vic_AgeWhenTrafficked"},
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"victim\",\"vic_AgeWhenTrafficked\":20.5}", 0,
         NULL, 400, "vic_AgeWhenTrafficked"},
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"victim\",\"prs_Deceased\":\"no\"}", 0, NULL,
         400, "prs_Deceased"},
        {W_INV, "POST", NOTES, NULL, "{\"text\":5}", 0, NULL, 400, "text"},
        {W_INV, "POST", NOTES, NULL, "{\"text\":{\"a\":1}}", 0, NULL, 400, "text"},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{\"stage\":7}", 0, "If-Match: \"2\"", 400,
         "stage"},
        {W_NONE, "POST", "/api/v1/session", NULL, "{\"username\":1,\"password\":\"x\"}", 0, NULL,
         400, "username"},
    };
    RUN(rows);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char ff[] = "{\"text\":\"bad \xff byte\"}";
    static const char overlong[] = "{\"text\":\"\xc0\xaf\"}";
    static const char surrogate[] = "{\"text\":\"\xed\xa0\x80\"}";
    static const char truncated[] = "{\"text\":\"\xe6\xbe\"}";
    static const char in_case[] = "{\"category\":\"trafficking\",\"source\":\"police\","
                                  "\"place_of_recruitment\":\"Ma\xff\xfe\"}";
    static const char nul[] = "{\"text\":\"a\0b\"}";
    static const struct bad rows[] = {
        {W_INV, "POST", NOTES, NULL, ff, 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, overlong, 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, surrogate, 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, truncated, 0, NULL, 400, NULL},
        {W_INV, "POST", CASES, NULL, in_case, 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, nul, sizeof nul - 1, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, "{\"text\":\"a\\u0000b\"}", 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, "{\"text\":\"\\ud800\"}", 0, NULL, 400, NULL},
    };
    RUN(rows);
}

static void test_unknown_enum_values(void **state)
{
    (void)state;
    static const struct bad rows[] = {
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"victim\",\"prs_Gender\":\"Robot\"}", 0, NULL,
         400, "prs_Gender"},
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"victim\",\"prs_Gender\":\"feminine\"}", 0, NULL,
         400, "prs_Gender"},
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"victim\",\"prs_Citizenship\":[\"XX\"]}", 0,
         NULL, 400, "prs_Citizenship"},
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"boss\"}", 0, NULL, 400, "role"},
        {W_INV, "POST", PERSONS, NULL,
         "{\"role\":\"victim\",\"vic_TypeOfExploitation\":[\"ForcedLabour\",\"Nope\"]}", 0, NULL,
         400, "vic_TypeOfExploitation"},
        {W_INV, "POST", CASES, NULL, "{\"category\":\"x\",\"source\":\"police\"}", 0, NULL, 400,
         "category"},
        {W_INV, "POST", CASES, NULL, "{\"category\":\"trafficking\",\"source\":\"Police\"}", 0,
         NULL, 400, "source"},
        {W_INV, "POST", CASES, NULL,
         "{\"category\":\"trafficking\",\"source\":\"police\",\"cas_Status\":\"Open\"}", 0, NULL,
         400, "cas_Status"},
        {W_INV, "POST", CASES, NULL,
         "{\"category\":\"trafficking\",\"source\":\"police\",\"opened_on\":\"2023-02-30\"}", 0,
         NULL, 400, "opened_on"},
        {W_INV, "POST", "/api/v1/cases/{case}/referrals", NULL,
         "{\"to\":\"IAS\",\"reason\":\"Boredom\"}", 0, NULL, 400, "reason"},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{\"stage\":\"limbo\"}", 0,
         "If-Match: \"2\"", 400, "stage"},
    };
    RUN(rows);
}

static void test_unknown_fields(void **state)
{
    (void)state;
    static const struct bad rows[] = {
        {W_INV, "POST", CASES, NULL,
         "{\"category\":\"trafficking\",\"source\":\"police\",\"colour\":\"red\"}", 0, NULL, 400,
         "colour"},
        {W_INV, "POST", CASES, NULL,
         "{\"category\":\"trafficking\",\"source\":\"police\",\"id\":5}", 0, NULL, 400, "id"},
        {W_INV, "POST", CASES, NULL,
         "{\"category\":\"trafficking\",\"source\":\"police\",\"version\":9}", 0, NULL, 400,
         "version"},
        {W_INV, "POST", PERSONS, NULL, "{\"role\":\"victim\",\"prs_ShoeSize\":42}", 0, NULL, 400,
         "prs_ShoeSize"},
        {W_INV, "POST", PERSONS, NULL,
         "{\"role\":\"victim\",\"vic_TraffickingStatus\":\"Confirmed\"}", 0, NULL, 400,
         "vic_TraffickingStatus"},
        {W_INV, "POST", NOTES, NULL, "{\"text\":\"x\",\"pinned\":true}", 0, NULL, 400, "pinned"},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{\"organisation\":\"IAS\"}", 0,
         "If-Match: \"2\"", 400, "organisation"},
        {W_NONE, "POST", "/api/v1/session", NULL,
         "{\"username\":\"investigator\",\"password\":\"" DEMO_PASSWORD "\",\"otp\":\"1\"}", 0,
         NULL, 400, "otp"},
    };
    RUN(rows);
}

static void test_missing_fields(void **state)
{
    (void)state;
    static const struct bad rows[] = {
        {W_INV, "POST", CASES, NULL, "{\"source\":\"police\"}", 0, NULL, 400, "category"},
        {W_INV, "POST", CASES, NULL, "{\"category\":\"trafficking\"}", 0, NULL, 400, "source"},
        {W_INV, "POST", CASES, NULL, "{}", 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, "{}", 0, NULL, 400, "text"},
        {W_INV, "POST", NOTES, NULL, "{\"text\":\"\"}", 0, NULL, 400, "text"},
        {W_INV, "POST", PERSONS, NULL, "{\"prs_FirstName\":\"Ana\"}", 0, NULL, 400, "role"},
        {W_INV, "POST", "/api/v1/cases/{case}/referrals", NULL, "{\"to\":\"IAS\"}", 0, NULL, 400,
         "reason"},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{}", 0, "If-Match: \"2\"", 400, NULL},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{\"category\":null}", 0, "If-Match: \"2\"",
         400, "category"},
        {W_NONE, "POST", "/api/v1/session", NULL, "{\"username\":\"investigator\"}", 0, NULL, 400,
         "password"},
    };
    RUN(rows);
}

static char *long_string(size_t n, const char *pre, const char *post)
{
    size_t a = strlen(pre), b = strlen(post);
    char *s = malloc(a + n + b + 1);
    assert_non_null(s);
    memcpy(s, pre, a);
    memset(s + a, 'x', n);
    memcpy(s + a + n, post, b + 1);
    return s;
}

static void test_too_long_fields(void **state)
{
    (void)state;
    char *name = long_string(10000, "{\"role\":\"victim\",\"prs_FirstName\":\"", "\"}");
    char *note = long_string(20001, "{\"text\":\"", "\"}");
    char *place = long_string(201,
                              "{\"category\":\"trafficking\",\"source\":\"police\","
                              "\"place_of_recruitment\":\"",
                              "\"}");
    char *user = long_string(5000, "{\"username\":\"", "\",\"password\":\"x\"}");
    const struct bad rows[] = {
        {W_INV, "POST", PERSONS, NULL, name, 0, NULL, 400, "prs_FirstName"},
        {W_INV, "POST", NOTES, NULL, note, 0, NULL, 400, "text"},
        {W_INV, "POST", CASES, NULL, place, 0, NULL, 400, "place_of_recruitment"},
        /* An overlong username is just a failed login, not a crash. */
        {W_NONE, "POST", "/api/v1/session", NULL, user, 0, NULL, 401, NULL},
    };
    RUN(rows);
    free(name);
    free(note);
    free(place);
    free(user);
}

static void test_oversized_body(void **state)
{
    (void)state;
    /* Just over the default 1 MiB, declared up front and sent chunked. */
    char *big = long_string((1 << 20) + 16, "{\"text\":\"", "\"}");
    const struct bad rows[] = {
        {W_INV, "POST", NOTES, NULL, big, 0, NULL, 413, NULL},
        {W_INV, "POST", CASES, NULL, big, 0, NULL, 413, NULL},
        {W_NONE, "POST", "/api/v1/session", NULL, big, 0, NULL, 413, NULL},
    };
    RUN(rows);
    /* Sent chunked, the size is not known up front. */
    run_one(&rows[0], 16384);
    run_one(&rows[1], 1000);
    free(big);
}

static void test_max_body_option(void **state)
{
    (void)state;
    struct server small;
    const char *extra[] = {"--max-body", "2048", NULL};
    if (server_start(&small, extra)) {
        server_cleanup(&small);
        fail();
    }
    char *tok = login(&small, "investigator");
    struct http_resp r;
    if (!tok)
        goto out;
    http_request(&small, "POST", CASES, tok, "{\"category\":\"trafficking\",\"source\":\"police\"}",
                 NULL, &r);
    json_int_t id = r.status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
    http_free(&r);
    if (!id)
        goto out;
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)id);
    char *fits = long_string(1500, "{\"text\":\"", "\"}");
    char *over = long_string(3000, "{\"text\":\"", "\"}");
    http_request(&small, "POST", path, tok, fits, NULL, &r);
    long fits_status = r.status;
    http_free(&r);
    http_request(&small, "POST", path, tok, over, NULL, &r);
    long over_status = r.status;
    int shape = json_is_string(json_object_get(json_object_get(r.json, "error"), "code"));
    http_free(&r);
    struct http_req rq = {.method = "POST", .path = path, .token = tok, .body = over, .chunk = 512};
    http_do(&small, &rq, &r);
    long chunked_status = r.status;
    http_free(&r);
    /* A small body sent chunked is fine. */
    struct http_req rq2 = {
        .method = "POST", .path = path, .token = tok, .body = fits, .chunk = 100};
    http_do(&small, &rq2, &r);
    long chunked_fits = r.status;
    http_free(&r);
    http_get(&small, path, tok, &r);
    size_t notes = json_array_size(json_object_get(r.json, "items"));
    http_free(&r);
    long health = http_get(&small, "/healthz", NULL, &r);
    http_free(&r);
    free(fits);
    free(over);
    free(tok);
    int stopped = server_stop(&small);
    server_cleanup(&small);
    assert_int_equal(stopped, 0);
    assert_int_equal(fits_status, 201);
    assert_int_equal(over_status, 413);
    assert_true(shape);
    assert_int_equal(chunked_status, 413);
    assert_int_equal(chunked_fits, 201);
    assert_int_equal(notes, 2);
    assert_int_equal(health, 200);
    return;
out:
    free(tok);
    server_cleanup(&small);
    fail();
}

static void test_content_type(void **state)
{
    (void)state;
    static const char *body = "{\"text\":\"right body, wrong type\"}";
    const struct bad rows[] = {
        {W_INV, "POST", NOTES, "text/plain", body, 0, NULL, 415, NULL},
        {W_INV, "POST", NOTES, "application/x-www-form-urlencoded", body, 0, NULL, 415, NULL},
        {W_INV, "POST", NOTES, "", body, 0, NULL, 415, NULL},
        {W_INV, "POST", NOTES, "application/jsonp", body, 0, NULL, 415, NULL},
        {W_INV, "POST", NOTES, "multipart/form-data; boundary=x", body, 0, NULL, 415, NULL},
        {W_INV, "POST", CASES, "text/json", "{\"category\":\"trafficking\",\"source\":\"police\"}",
         0, NULL, 415, NULL},
    };
    RUN(rows);
    /* With charset the type is right. */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)case_id);
    struct http_req rq = {.method = "POST",
                          .path = path,
                          .token = tok_inv,
                          .body = body,
                          .content_type = "application/json; charset=utf-8"};
    struct http_resp r;
    http_do(&srv, &rq, &r);
    check_status(&r, 201);
    http_free(&r);
}

static void test_empty_body(void **state)
{
    (void)state;
    const struct bad rows[] = {
        {W_INV, "POST", NOTES, NULL, "", 0, NULL, 400, NULL},
        {W_INV, "POST", CASES, NULL, "", 0, NULL, 400, NULL},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "", 0, "If-Match: \"2\"", 400, NULL},
        {W_NONE, "POST", "/api/v1/session", NULL, "", 0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, "   ", 0, NULL, 400, NULL},
    };
    RUN(rows);
}

static void test_query_parameters(void **state)
{
    (void)state;
    static const struct bad rows[] = {
        {W_INV, "GET", "/api/v1/cases?colour=red", NULL, NULL, 0, NULL, 400, "colour"},
        {W_INV, "GET", "/api/v1/cases?page=abc", NULL, NULL, 0, NULL, 400, "page"},
        {W_INV, "GET", "/api/v1/cases?page=0", NULL, NULL, 0, NULL, 400, "page"},
        {W_INV, "GET", "/api/v1/cases?page=-1", NULL, NULL, 0, NULL, 400, "page"},
        {W_INV, "GET", "/api/v1/cases?page=1e3", NULL, NULL, 0, NULL, 400, "page"},
        {W_INV, "GET", "/api/v1/cases?page=99999999999999999999", NULL, NULL, 0, NULL, 400, "page"},
        {W_INV, "GET", "/api/v1/cases?page=1&page=2", NULL, NULL, 0, NULL, 400, "page"},
        {W_INV, "GET", "/api/v1/cases?per_page=0", NULL, NULL, 0, NULL, 400, "per_page"},
        {W_INV, "GET", "/api/v1/cases?per_page=201", NULL, NULL, 0, NULL, 400, "per_page"},
        {W_INV, "GET", "/api/v1/cases?from=2023-02-30", NULL, NULL, 0, NULL, 400, "from"},
        {W_INV, "GET", "/api/v1/cases?to=2023-13-01", NULL, NULL, 0, NULL, 400, "to"},
        {W_INV, "GET", "/api/v1/cases?from=yesterday", NULL, NULL, 0, NULL, 400, "from"},
        {W_INV, "GET", "/api/v1/cases?status=Bogus", NULL, NULL, 0, NULL, 400, "status"},
        {W_INV, "GET", "/api/v1/cases?category=", NULL, NULL, 0, NULL, 400, "category"},
        {W_INV, "GET", "/api/v1/cases?q=", NULL, NULL, 0, NULL, 400, "q"},
        {W_INV, "GET", "/api/v1/cases?q=%FF%FE", NULL, NULL, 0, NULL, 400, "q"},
        {W_INV, "GET", "/api/v1/referrals?state=lost", NULL, NULL, 0, NULL, 400, "state"},
        {W_INV, "GET", "/api/v1/cases/{case}?page=1", NULL, NULL, 0, NULL, 400, "page"},
        {W_AUD, "GET", "/api/v1/audit?limit=0", NULL, NULL, 0, NULL, 400, "limit"},
        {W_AUD, "GET", "/api/v1/audit?after=-5", NULL, NULL, 0, NULL, 400, "after"},
        {W_NONE, "GET", "/healthz?x=1", NULL, NULL, 0, NULL, 400, "x"},
    };
    RUN(rows);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    static const struct bad rows[] = {
        {W_INV, "POST", CASES, NULL,
         "{\"category\":\"trafficking\",\"category\":\"labour_exploitation\",\"source\":"
         "\"police\"}",
         0, NULL, 400, NULL},
        {W_INV, "POST", NOTES, NULL, "{\"text\":\"a\",\"text\":\"b\"}", 0, NULL, 400, NULL},
        {W_NONE, "POST", "/api/v1/session", NULL,
         "{\"username\":\"x\",\"username\":\"investigator\",\"password\":\"" DEMO_PASSWORD "\"}", 0,
         NULL, 400, NULL},
    };
    RUN(rows);
}

static void test_concurrency_and_scope(void **state)
{
    (void)state;
    static const struct bad rows[] = {
        /* The case is at version 2. */
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{\"stage\":\"protection\"}", 0,
         "If-Match: \"1\"", 409, NULL},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{\"stage\":\"protection\"}", 0,
         "If-Match: \"3\"", 409, NULL},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{\"stage\":\"protection\"}", 0, NULL, 428,
         NULL},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{\"stage\":\"protection\"}", 0,
         "If-Match: \"abc\"", 400, "If-Match"},
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL, "{\"stage\":\"protection\"}", 0,
         "If-Match: \"-2\"", 400, "If-Match"},
        /* Closing before it opened. */
        {W_INV, "PATCH", "/api/v1/cases/{case}", NULL,
         "{\"opened_on\":\"2020-05-01\",\"closed_on\":\"2020-04-01\"}", 0, "If-Match: \"2\"", 400,
         "closed_on"},
        /* Another agency's case, and ours to another agency. */
        {W_INV, "GET", "/api/v1/cases/{other}", NULL, NULL, 0, NULL, 404, NULL},
        {W_INV, "PATCH", "/api/v1/cases/{other}", NULL, "{\"stage\":\"protection\"}", 0,
         "If-Match: \"1\"", 404, NULL},
        {W_INV, "POST", "/api/v1/cases/{other}/notes", NULL, "{\"text\":\"x\"}", 0, NULL, 404,
         NULL},
        {W_CW, "PATCH", "/api/v1/cases/{case}", NULL, "{\"stage\":\"protection\"}", 0,
         "If-Match: \"2\"", 404, NULL},
        {W_CW, "POST", NOTES, NULL, "{\"text\":\"x\"}", 0, NULL, 404, NULL},
        {W_CW, "POST", PERSONS, NULL, "{\"role\":\"victim\"}", 0, NULL, 404, NULL},
        /* Paths that name nothing. */
        {W_INV, "GET", "/api/v1/cases/abc", NULL, NULL, 0, NULL, 404, NULL},
        {W_INV, "GET", "/api/v1/cases/0", NULL, NULL, 0, NULL, 404, NULL},
        {W_INV, "GET", "/api/v1/cases/-1", NULL, NULL, 0, NULL, 404, NULL},
        {W_INV, "GET", "/api/v1/cases/+1", NULL, NULL, 0, NULL, 404, NULL},
        {W_INV, "GET", "/api/v1/cases/99999999999999999999999", NULL, NULL, 0, NULL, 404, NULL},
        {W_INV, "GET", "/api/v1/cases/{case}/", NULL, NULL, 0, NULL, 404, NULL},
        {W_INV, "GET", "/api/v1/nothing", NULL, NULL, 0, NULL, 404, NULL},
        {W_INV, "DELETE", "/api/v1/cases/{case}", NULL, NULL, 0, NULL, 405, NULL},
        {W_INV, "PUT", "/api/v1/cases", NULL, "{}", 0, NULL, 405, NULL},
    };
    RUN(rows);
    /* 405 names the allowed methods. */
    char path[64], allow[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)case_id);
    struct http_resp r;
    http_request(&srv, "DELETE", path, tok_inv, NULL, NULL, &r);
    check_status(&r, 405);
    assert_non_null(http_header(&r, "Allow", allow, sizeof allow));
    assert_non_null(strstr(allow, "GET"));
    assert_non_null(strstr(allow, "PATCH"));
    http_free(&r);
}

static void test_body_where_none_is_taken(void **state)
{
    (void)state;
    /* A referral to IAS of a case of its own; accepting takes no body, so
     * one is refused and the referral stays pending. */
    json_int_t id = create(tok_inv, CASES, "{\"category\":\"trafficking\",\"source\":\"NGO\"}");
    assert_true(id > 0);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/referrals", (long long)id);
    json_int_t ref =
        create(tok_inv, path, "{\"to\":\"IAS\",\"reason\":\"AdditionalServicesRequired\"}");
    assert_true(ref > 0);
    snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", (long long)ref);
    struct http_resp r;
    http_request(&srv, "POST", path, tok_cw, "{\"state\":\"completed\"}", NULL, &r);
    check_error(&r, 400, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/referrals?state=pending", tok_cw, &r);
    check_status(&r, 200);
    int pending = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(check_json(&r), "items"), i, x)
    {
        if (json_integer_value(json_object_get(x, "id")) == ref)
            pending = 1;
    }
    http_free(&r);
    assert_true(pending);
    /* Without the body it works. */
    http_request(&srv, "POST", path, tok_cw, NULL, NULL, &r);
    check_status(&r, 200);
    http_free(&r);
}

static void test_sql_text_stored_verbatim(void **state)
{
    (void)state;
    static const char *const nasty[] = {
        "Robert'); DROP TABLE cases;--",       "' OR '1'='1",
        "\"; DELETE FROM notes; --",           "100% _match_ \\ back\\slash",
        "x'||(SELECT password FROM users)||'",
    };
    char path[96];
    struct http_resp r;
    struct snap before;
    take_snap(&before);
    for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++) {
        json_t *b = json_pack("{s:s}", "text", nasty[i]);
        char *text = json_dumps(b, JSON_COMPACT);
        json_decref(b);
        snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)case_id);
        http_request(&srv, "POST", path, tok_inv, text, NULL, &r);
        free(text);
        check_status(&r, 201);
        assert_string_equal(json_str(check_json(&r), "text"), nasty[i]);
        http_free(&r);
    }
    json_t *p = json_pack("{s:s, s:s, s:s}", "role", "victim", "prs_FirstName", nasty[0],
                          "prs_SecondName", nasty[1]);
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    http_request(&srv, "POST", path, tok_inv, text, NULL, &r);
    free(text);
    check_status(&r, 201);
    json_int_t pid = json_int(check_json(&r), "id");
    http_free(&r);

    /* Read back identical. */
    snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)case_id);
    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    json_t *items = json_object_get(check_json(&r), "items");
    for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++) {
        int found = 0;
        size_t k;
        json_t *x;
        json_array_foreach(items, k, x) if (strcmp(json_str(x, "text"), nasty[i]) == 0) found = 1;
        assert_true(found);
    }
    http_free(&r);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    int found = 0;
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(check_json(&r), "items"), k, x)
    {
        if (json_integer_value(json_object_get(x, "id")) == pid) {
            found = 1;
            assert_string_equal(json_str(x, "prs_FirstName"), nasty[0]);
            assert_string_equal(json_str(x, "prs_SecondName"), nasty[1]);
        }
    }
    assert_true(found);
    http_free(&r);

    /* The tables are all still there, and nothing else changed. */
    struct snap after;
    take_snap(&after);
    assert_int_equal(after.total, before.total);
    assert_int_equal(after.version, before.version);
    assert_int_equal(after.notes, before.notes + 5);
    assert_int_equal(after.persons, before.persons + 1);

    /* Search with the same strings: LIKE wildcards and quotes are literal. */
    static const char *const queries[] = {
        "?q=Robert%27%29%3B%20DROP%20TABLE%20cases%3B--",
        "?q=%25%20_match_",
        "?q=%27%20OR%20%271%27%3D%271",
    };
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char q[128];
        snprintf(q, sizeof q, "/api/v1/cases%s", queries[i]);
        http_get(&srv, q, tok_inv, &r);
        check_status(&r, 200);
        assert_int_equal(json_int(check_json(&r), "total"), 1);
        assert_int_equal(json_integer_value(json_object_get(
                             json_array_get(json_object_get(r.json, "items"), 0), "id")),
                         case_id);
        http_free(&r);
    }
    /* A lone wildcard character matches only text that holds it. */
    http_get(&srv, "/api/v1/cases?q=%25", tok_inv, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "total"), 1);
    http_free(&r);
    http_get(&srv, "/api/v1/cases?q=_", tok_inv, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "total"), 1);
    http_free(&r);
    check_healthy(&srv);
}

static void test_huge_headers(void **state)
{
    (void)state;
    struct snap before;
    take_snap(&before);
    size_t n = 100 * 1024;
    char *h = malloc(n + 16);
    assert_non_null(h);
    memcpy(h, "X-Big: ", 7);
    memset(h + 7, 'a', n);
    h[7 + n] = '\0';
    const char *hdrs[] = {h, NULL};
    struct http_resp r;
    http_request(&srv, "GET", "/api/v1/cases", tok_inv, NULL, hdrs, &r);
    free(h);
    assert_true(r.status == 431 || r.status == 413);
    http_free(&r);
    /* Many headers adding up to too much. */
    const char *many[401];
    char lines[400][300];
    for (int i = 0; i < 400; i++) {
        snprintf(lines[i], sizeof lines[i], "X-H%d: %0250d", i, i);
        many[i] = lines[i];
    }
    many[400] = NULL;
    http_request(&srv, "GET", "/healthz", NULL, NULL, many, &r);
    assert_true(r.status == 431 || r.status == 413);
    http_free(&r);
    check_healthy(&srv);
    check_unchanged(&before, "huge headers");
}

static void test_expired_session(void **state)
{
    (void)state;
    struct server idle;
    const char *extra[] = {"--idle-timeout", "2", NULL};
    if (server_start(&idle, extra)) {
        server_cleanup(&idle);
        fail();
    }
    char *tok = login(&idle, "investigator");
    struct http_resp r;
    long fresh = tok ? http_get(&idle, "/api/v1/session", tok, &r) : 0;
    if (tok)
        http_free(&r);
    sleep(3);
    long stale = 0, again = 0;
    int shape = 0;
    if (tok) {
        stale = http_get(&idle, "/api/v1/cases", tok, &r);
        shape = json_is_string(json_object_get(json_object_get(r.json, "error"), "code"));
        http_free(&r);
        again = http_get(&idle, "/api/v1/session", tok, &r);
        http_free(&r);
    }
    /* A new login works. */
    char *tok2 = login(&idle, "investigator");
    long relogin = tok2 ? http_get(&idle, "/api/v1/session", tok2, &r) : 0;
    if (tok2)
        http_free(&r);
    free(tok);
    free(tok2);
    int stopped = server_stop(&idle);
    server_cleanup(&idle);
    assert_int_equal(stopped, 0);
    assert_int_equal(fresh, 200);
    assert_int_equal(stale, 401);
    assert_true(shape);
    assert_int_equal(again, 401);
    assert_int_equal(relogin, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_json),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_unknown_enum_values),
        cmocka_unit_test(test_unknown_fields),
        cmocka_unit_test(test_missing_fields),
        cmocka_unit_test(test_too_long_fields),
        cmocka_unit_test(test_oversized_body),
        cmocka_unit_test(test_max_body_option),
        cmocka_unit_test(test_content_type),
        cmocka_unit_test(test_empty_body),
        cmocka_unit_test(test_query_parameters),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_concurrency_and_scope),
        cmocka_unit_test(test_body_where_none_is_taken),
        cmocka_unit_test(test_sql_text_stored_verbatim),
        cmocka_unit_test(test_huge_headers),
        cmocka_unit_test(test_expired_session),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
