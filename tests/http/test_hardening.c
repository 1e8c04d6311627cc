/*
 * HTTP tests of the ASVS Level 2 controls that are one-line promises in the
 * code: CSRF on a logged-in user's form (4.2.2), the security headers on
 * every kind of answer (8.1.1, 14.4.x), the login's `next` (5.1.5), and
 * refused requests in the audit log (7.1.x, 7.2.2).
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;

static int setup(void **state)
{
    (void)state;
    return server_start(&srv, NULL) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    int rc = server_stop(&srv);
    server_cleanup(&srv);
    return rc > 0 ? -1 : 0;
}

/* A fresh session of username: its token and CSRF token (malloc'd). */
static void session_of(const char *username, char **tok, char **csrf)
{
    struct http_resp r;
    login_as(&srv, username, DEMO_PASSWORD, &r);
    check_status(&r, 200);
    *tok = strdup(json_str(check_json(&r), "token"));
    *csrf = strdup(json_str(r.json, "csrf"));
    http_free(&r);
}

/* POST a form as a browser would: the session in its cookie. */
static long post_cookie_form(const char *path, const char *tok, const char *body,
                             struct http_resp *r)
{
    char cookie[128];
    snprintf(cookie, sizeof cookie, "Cookie: vigil_session=%s", tok);
    const char *const hdr[] = {cookie, NULL};
    struct http_req rq = {.method = "POST",
                          .path = path,
                          .body = body,
                          .content_type = "application/x-www-form-urlencoded",
                          .headers = hdr};
    return http_do(&srv, &rq, r);
}

static size_t note_count(const char *tok, json_int_t case_id)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)case_id);
    struct http_resp r;
    http_get(&srv, path, tok, &r);
    check_status(&r, 200);
    size_t n = json_array_size(json_object_get(check_json(&r), "items"));
    http_free(&r);
    return n;
}

/* 4.2.2: a logged-in user's form without its CSRF token, or with another
 * session's, is refused and stores nothing. */
static void test_csrf_on_logged_in_form(void **state)
{
    (void)state;
    char *tok, *csrf, *tok2, *csrf2, *tok3, *csrf3;
    session_of("investigator", &tok, &csrf);
    session_of("investigator", &tok2, &csrf2); /* the same user, another session */
    session_of("police", &tok3, &csrf3);       /* another user */
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/cases", tok,
                 "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
    check_status(&r, 201);
    json_int_t id = json_int(check_json(&r), "id");
    http_free(&r);
    char path[96], body[256];
    snprintf(path, sizeof path, "/cases/%lld/notes", (long long)id);

    post_cookie_form(path, tok, "text=forged+note", &r); /* no token */
    check_status(&r, 403);
    http_free(&r);
    post_cookie_form(path, tok, "csrf=&text=forged+note", &r); /* empty */
    check_status(&r, 403);
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s&text=forged+note", csrf2);
    post_cookie_form(path, tok, body, &r); /* another session's */
    check_status(&r, 403);
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s&text=forged+note", csrf3);
    post_cookie_form(path, tok, body, &r); /* another user's */
    check_status(&r, 403);
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%sx&text=forged+note", csrf);
    post_cookie_form(path, tok, body, &r); /* one character more */
    check_status(&r, 403);
    http_free(&r);
    assert_int_equal(note_count(tok, id), 0);

    /* The session's own token works, and stores one note. */
    snprintf(body, sizeof body, "csrf=%s&text=a+real+note", csrf);
    post_cookie_form(path, tok, body, &r);
    check_status(&r, 303);
    http_free(&r);
    assert_int_equal(note_count(tok, id), 1);
    free(tok);
    free(csrf);
    free(tok2);
    free(csrf2);
    free(tok3);
    free(csrf3);
}

/* 8.1.1, 14.4.1, 14.4.3–14.4.7, 14.3.3: the headers on a JSON answer, a
 * JSON error, a page, an error page and a static file. */
static void check_headers(const struct http_resp *r, const char *what, int cacheable)
{
    char v[512];
    if (cacheable) {
        /* static assets are the binary's own, the same for everyone */
        assert_non_null(http_header(r, "Cache-Control", v, sizeof v));
        assert_string_equal(v, "public, max-age=3600");
    } else {
        if (!http_header(r, "Cache-Control", v, sizeof v) || strcmp(v, "no-store") != 0)
            print_error("%s: Cache-Control is not no-store\n", what);
        assert_string_equal(v, "no-store");
    }
    assert_non_null(http_header(r, "X-Content-Type-Options", v, sizeof v));
    assert_string_equal(v, "nosniff");
    assert_non_null(http_header(r, "X-Frame-Options", v, sizeof v));
    assert_string_equal(v, "DENY");
    assert_non_null(http_header(r, "Referrer-Policy", v, sizeof v));
    assert_true(strcmp(v, "no-referrer") == 0 || strcmp(v, "same-origin") == 0);
    assert_non_null(http_header(r, "Content-Security-Policy", v, sizeof v));
    assert_non_null(strstr(v, "default-src 'none'"));
    assert_non_null(strstr(v, "frame-ancestors 'none'"));
    assert_null(strstr(v, "unsafe-inline"));
    assert_null(strstr(v, "unsafe-eval"));
    assert_null(strstr(v, "*"));
    assert_non_null(http_header(r, "Content-Type", v, sizeof v));
    if (strncmp(v, "image/", 6) != 0)
        assert_non_null(strstr(v, "charset=utf-8"));
    /* nothing that names the server's software or version */
    assert_null(http_header(r, "X-Powered-By", v, sizeof v));
    if (http_header(r, "Server", v, sizeof v))
        assert_null(strpbrk(v, "0123456789"));
}

static void test_security_headers(void **state)
{
    (void)state;
    char *tok = login(&srv, "investigator");
    assert_non_null(tok);
    static const struct {
        const char *path;
        int auth;
        long status;
        int cacheable;
        const char *type;
    } probes[] = {
        {"/api/v1/cases", 1, 200, 0, "application/json"},
        {"/api/v1/users", 1, 403, 0, "application/json"}, /* a JSON error */
        {"/api/v1/no-such-thing", 0, 404, 0, "application/json"},
        {"/healthz", 0, 200, 0, "application/json"},
        {"/cases?lang=en", 1, 200, 0, "text/html"},
        {"/login", 0, 200, 0, "text/html"},
        {"/public/", 0, 200, 0, "text/html"},
        {"/admin/users", 1, 403, 0, "text/html"}, /* an error page */
        {"/no-such-page", 0, 404, 0, "text/html"},
        {"/static/vigil.css", 0, 200, 1, "text/css"},
    };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        struct http_resp r;
        http_get(&srv, probes[i].path, probes[i].auth ? tok : NULL, &r);
        if (r.status != probes[i].status)
            print_error("%s: %ld\n", probes[i].path, r.status);
        assert_int_equal(r.status, probes[i].status);
        check_headers(&r, probes[i].path, probes[i].cacheable);
        char v[256];
        assert_non_null(http_header(&r, "Content-Type", v, sizeof v));
        assert_true(strncmp(v, probes[i].type, strlen(probes[i].type)) == 0);
        http_free(&r);
    }
    free(tok);
}

/* 5.1.5: after logging in, a local path in `next` is followed; anything
 * that could leave the site goes home instead. */
#define PRE "abcdefghijABCDEFGHIJ0123456789abcdefghij-_y"

static void login_next(const char *next_enc, const char *want)
{
    char body[512];
    snprintf(body, sizeof body, "csrf=" PRE "&username=investigator&password=%s&next=%s",
             DEMO_PASSWORD, next_enc);
    const char *const hdr[] = {"Cookie: vigil_csrf=" PRE, NULL};
    struct http_req rq = {.method = "POST",
                          .path = "/login",
                          .body = body,
                          .content_type = "application/x-www-form-urlencoded",
                          .headers = hdr};
    struct http_resp r;
    http_do(&srv, &rq, &r);
    check_status(&r, 303);
    char loc[256];
    assert_non_null(http_header(&r, "Location", loc, sizeof loc));
    if (strcmp(loc, want) != 0)
        print_error("next=%s: Location %s, want %s\n", next_enc, loc, want);
    assert_string_equal(loc, want);
    http_free(&r);

    /* The login page carries the same (cleaned) value into its form. */
    char path[300], field[300];
    snprintf(path, sizeof path, "/login?next=%s", next_enc);
    http_get(&srv, path, NULL, &r);
    check_status(&r, 200);
    snprintf(field, sizeof field, "name=\"next\" value=\"%s\"", want);
    if (!strstr(r.body, field))
        print_error("GET %s: no %s\n", path, field);
    assert_non_null(strstr(r.body, field));
    /* No attribute anywhere starts with the hostile value (the language
     * links keep the query, percent-encoded, on /login itself). */
    assert_null(strstr(r.body, "=\"//"));
    assert_null(strstr(r.body, "=\"http"));
    assert_null(strstr(r.body, "=\"/\\"));
    assert_null(strcasestr(r.body, "=\"javascript"));
    http_free(&r);
}

static void test_login_next(void **state)
{
    (void)state;
    login_next("%2Fcases%2F42", "/cases/42");
    login_next("%2Fcases%3Fstage%3Dscreening", "/cases?stage=screening");
    login_next("%2F%2Fevil.example", "/");
    login_next("%2F%2Fevil.example%2Fcases", "/");
    login_next("https%3A%2F%2Fevil.example", "/");
    login_next("http%3A%2F%2Fevil.example%2F", "/");
    login_next("%2F%5Cevil.example", "/");    /* /\evil */
    login_next("%2F%09%2Fevil.example", "/"); /* a tab, which browsers drop */
    login_next("javascript%3Aalert(1)", "/");
    login_next("JaVaScRiPt%3Aalert(1)", "/");
    login_next("evil.example", "/");
}

/* The audit entries of action; a new array. */
static json_t *audit_entries(const char *action)
{
    char *tok = login(&srv, "auditor");
    assert_non_null(tok);
    json_t *out = json_array();
    json_int_t after = 0;
    for (;;) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/audit?after=%lld&limit=1000", (long long)after);
        struct http_resp r;
        http_get(&srv, path, tok, &r);
        check_status(&r, 200);
        json_t *items = json_object_get(check_json(&r), "items");
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x)
        {
            if (!action || strcmp(json_str(x, "action"), action) == 0)
                json_array_append(out, x);
        }
        size_t n = json_array_size(items);
        after = json_int(r.json, "next_after");
        http_free(&r);
        if (n < 1000)
            break;
    }
    free(tok);
    return out;
}

static int has_entry(json_t *list, const char *user, const char *object, const char *detail)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        if (strcmp(json_str(x, "user"), user) == 0 && strcmp(json_str(x, "object"), object) == 0 &&
            strstr(json_str(x, "detail"), detail))
            return 1;
    }
    return 0;
}

/* 7.1.x, 7.2.2: what the policy refuses is in the audit log, with the route
 * and the user and nothing of the request's content. */
static void test_access_denied_is_audited(void **state)
{
    (void)state;
    char *cw = login(&srv, "caseworker"), *in = login(&srv, "investigator");
    assert_non_null(cw);
    assert_non_null(in);
    json_t *before = audit_entries("access.denied");
    size_t n0 = json_array_size(before);
    json_decref(before);

    struct http_resp r;
    http_get(&srv, "/api/v1/users", cw, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/statements", in,
                 "{\"title_zh\":\"Maria Secret-Name\",\"body_zh\":\"passport AB1234567\"}", NULL,
                 &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/admin/users?lang=en", in, &r); /* a page */
    check_status(&r, 403);
    http_free(&r);
    http_get(&srv, "/api/v1/cases/12345/supervision", in, &r); /* the {id} is named */
    check_error(&r, 403, NULL);
    http_free(&r);
    /* Not refused by the policy, so not access.denied: no login (401), a
     * case of another agency (404), a bad CSRF token (403 of the form). */
    http_get(&srv, "/api/v1/users", NULL, &r);
    check_error(&r, 401, NULL);
    http_free(&r);

    json_t *after = audit_entries("access.denied");
    assert_int_equal(json_array_size(after), n0 + 4);
    assert_true(has_entry(after, "caseworker", "GET /api/v1/users", "needs user.admin"));
    assert_true(has_entry(after, "caseworker", "GET /api/v1/users", "role caseworker"));
    assert_true(has_entry(after, "investigator", "POST /api/v1/statements", "statement.write"));
    assert_true(has_entry(after, "investigator", "GET /admin/users", "user.admin"));
    assert_true(
        has_entry(after, "investigator", "GET /api/v1/cases/{id}/supervision #12345", "supervise"));
    json_decref(after);
    /* Nothing of the body anywhere in the log. */
    json_t *all = audit_entries(NULL);
    char *text = json_dumps(all, 0);
    assert_null(strstr(text, "Secret-Name"));
    assert_null(strstr(text, "AB1234567"));
    free(text);
    json_decref(all);

    /* When the entry cannot be written, the refusal is answered all the
     * same, and the chain stays whole. */
    const char *block =
        srv.pg ? "CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                 "RAISE EXCEPTION 'audit refused'; END $$; CREATE TRIGGER no_audit BEFORE "
                 "INSERT ON audit FOR EACH ROW EXECUTE FUNCTION no_audit();"
               : "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN "
                 "SELECT RAISE(ABORT, 'audit refused'); END;";
    assert_int_equal(db_sql(&srv, srv.db, block, NULL), 0);
    http_get(&srv, "/api/v1/users", cw, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/admin/users", cw, &r);
    check_status(&r, 403);
    http_free(&r);
    const char *unblock = srv.pg ? "DROP TRIGGER no_audit ON audit; DROP FUNCTION no_audit();"
                                 : "DROP TRIGGER no_audit;";
    assert_int_equal(db_sql(&srv, srv.db, unblock, NULL), 0);
    size_t loglen = 0;
    char *log = read_file(srv.log, &loglen);
    assert_non_null(log);
    assert_true(mem_contains(log, loglen, "could not be audited"));
    free(log);
    after = audit_entries("access.denied");
    assert_int_equal(json_array_size(after), n0 + 4); /* the two were not written */
    json_decref(after);
    const char *verb[] = {"audit", "verify", NULL};
    assert_int_equal(vigil_cli(&srv, NULL, verb, NULL, NULL, NULL), 0);
    check_healthy(&srv);
    free(cw);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csrf_on_logged_in_form),
        cmocka_unit_test(test_security_headers),
        cmocka_unit_test(test_login_next),
        cmocka_unit_test(test_access_denied_is_audited),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
