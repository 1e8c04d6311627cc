/*
 * HTTP tests of sessions (DESIGN §6, §7): logging in returns a bearer token
 * and sets an HttpOnly, SameSite=Strict cookie that alone authenticates;
 * wrong passwords and unknown users get the same 401; failed logins are
 * throttled (429 with Retry-After); logging out ends the session; a user
 * disabled from the command line loses their sessions and cannot log in;
 * malformed bearer tokens are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;      /* defaults */
static struct server throttle; /* --login-max-failures 3 */

static int setup(void **state)
{
    (void)state;
    const char *extra[] = {"--login-max-failures", "3", NULL};
    if (server_start(&srv, NULL))
        return -1;
    return server_start(&throttle, extra) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    int rc = server_stop(&srv);
    int rc2 = server_stop(&throttle);
    if (rc > 0 || rc2 > 0) /* -1: it was not running (setup failed) */
        fprintf(stderr, "a server exited with status %d/%d; see %s, %s\n", rc, rc2, srv.log,
                throttle.log);
    server_cleanup(&srv);
    server_cleanup(&throttle);
    return rc > 0 || rc2 > 0 ? -1 : 0;
}

static long whoami(struct server *s, const char *tok, const char *const headers[], char *user,
                   size_t n)
{
    struct http_resp r;
    http_request(s, "GET", "/api/v1/session", tok, NULL, headers, &r);
    long st = r.status;
    if (user) {
        const char *u =
            json_string_value(json_object_get(json_object_get(r.json, "user"), "username"));
        snprintf(user, n, "%s", u ? u : "");
    }
    if (st != 200)
        check_error(&r, st, NULL);
    http_free(&r);
    return st;
}

static void test_login_sets_token_and_cookie(void **state)
{
    (void)state;
    struct http_resp r;
    login_as(&srv, "investigator", DEMO_PASSWORD, &r);
    check_status(&r, 200);
    json_t *b = check_json(&r);
    const char *tok = json_str(b, "token");
    assert_int_equal(strlen(tok), 43);
    json_t *u = json_object_get(b, "user");
    assert_string_equal(json_str(u, "username"), "investigator");
    assert_string_equal(json_str(u, "role"), "investigator");
    assert_string_equal(json_str(u, "agency"), "PJ");
    assert_null(json_object_get(b, "password"));

    char cookie[512];
    assert_non_null(http_cookie(&r, "vigil_session", cookie, sizeof cookie));
    char want[128];
    snprintf(want, sizeof want, "vigil_session=%s;", tok);
    assert_true(strncmp(cookie, want, strlen(want)) == 0);
    assert_non_null(strstr(cookie, "; HttpOnly"));
    assert_non_null(strstr(cookie, "; SameSite=Strict"));
    assert_non_null(strstr(cookie, "Path=/"));
    assert_null(strstr(cookie, "Secure")); /* not behind TLS here */

    char who[64];
    assert_int_equal(whoami(&srv, tok, NULL, who, sizeof who), 200);
    assert_string_equal(who, "investigator");

    /* The cookie alone authenticates. */
    char line[128];
    snprintf(line, sizeof line, "Cookie: vigil_session=%s", tok);
    const char *hc[] = {line, NULL};
    assert_int_equal(whoami(&srv, NULL, hc, who, sizeof who), 200);
    assert_string_equal(who, "investigator");
    http_free(&r);

    /* Two logins are two different sessions. */
    char *t1 = login(&srv, "caseworker"), *t2 = login(&srv, "caseworker");
    assert_non_null(t1);
    assert_non_null(t2);
    assert_string_not_equal(t1, t2);
    free(t1);
    free(t2);
}

static void test_wrong_cookie(void **state)
{
    (void)state;
    char hex[24];
    random_hex(hex, 8);
    /* A well-formed token nobody was given. */
    char line[128];
    snprintf(line, sizeof line, "Cookie: vigil_session=AAAAAAAAAAAAAAAAAAAAAAAAAAA%s", hex);
    const char *hc[] = {line, NULL};
    assert_int_equal(whoami(&srv, NULL, hc, NULL, 0), 401);
}

static void test_wrong_password(void **state)
{
    (void)state;
    struct http_resp a, b, c;
    login_as(&srv, "investigator", "vigil-demo-2025", &a);
    check_error(&a, 401, NULL);
    char cookie[256];
    assert_null(http_cookie(&a, "vigil_session", cookie, sizeof cookie));
    assert_null(json_object_get(a.json, "token"));
    /* An unknown user gets the very same answer. */
    login_as(&srv, "nobody-here", "vigil-demo-2026", &b);
    check_error(&b, 401, NULL);
    assert_string_equal(a.body, b.body);
    /* Case matters. */
    login_as(&srv, "investigator", "VIGIL-DEMO-2026", &c);
    check_error(&c, 401, NULL);
    http_free(&a);
    http_free(&b);
    http_free(&c);
    /* And the right one still works. */
    char *t = login(&srv, "investigator");
    assert_non_null(t);
    free(t);
}

static void test_throttling(void **state)
{
    (void)state;
    struct http_resp r;
    for (int i = 0; i < 3; i++) {
        login_as(&throttle, "prosecutor", "wrong-password", &r);
        check_error(&r, 401, NULL);
        http_free(&r);
    }
    /* Now even the right password is refused for a while. */
    login_as(&throttle, "prosecutor", DEMO_PASSWORD, &r);
    check_error(&r, 429, NULL);
    assert_null(json_object_get(r.json, "token"));
    char ra[32];
    assert_non_null(http_header(&r, "Retry-After", ra, sizeof ra));
    char *end;
    long secs = strtol(ra, &end, 10);
    assert_true(*end == '\0' && end != ra);
    assert_true(secs >= 1 && secs <= 900);
    http_free(&r);
    login_as(&throttle, "prosecutor", "wrong-password", &r);
    check_error(&r, 429, NULL);
    http_free(&r);

    /* Per account: another user logs in as usual. */
    char *t = login(&throttle, "magistrate");
    assert_non_null(t);
    free(t);
    /* Below the limit, a success clears the count. */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 2; i++) {
            login_as(&throttle, "inspector", "wrong-password", &r);
            check_error(&r, 401, NULL);
            http_free(&r);
        }
        t = login(&throttle, "inspector");
        assert_non_null(t);
        free(t);
    }
}

static void test_logout(void **state)
{
    (void)state;
    char *t1 = login(&srv, "prosecutor"), *t2 = login(&srv, "prosecutor");
    assert_non_null(t1);
    assert_non_null(t2);
    assert_int_equal(whoami(&srv, t1, NULL, NULL, 0), 200);
    struct http_resp r;
    http_request(&srv, "DELETE", "/api/v1/session", t1, NULL, NULL, &r);
    check_status(&r, 204);
    char cookie[256];
    assert_non_null(http_cookie(&r, "vigil_session", cookie, sizeof cookie));
    assert_true(strncmp(cookie, "vigil_session=;", 15) == 0);
    assert_non_null(strstr(cookie, "Max-Age=0"));
    http_free(&r);
    assert_int_equal(whoami(&srv, t1, NULL, NULL, 0), 401);
    http_get(&srv, "/api/v1/cases", t1, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    http_request(&srv, "DELETE", "/api/v1/session", t1, NULL, NULL, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    /* The cookie of that session is dead too. */
    char line[128];
    snprintf(line, sizeof line, "Cookie: vigil_session=%s", t1);
    const char *hc[] = {line, NULL};
    assert_int_equal(whoami(&srv, NULL, hc, NULL, 0), 401);
    /* The user's other session lives on. */
    assert_int_equal(whoami(&srv, t2, NULL, NULL, 0), 200);
    free(t1);
    free(t2);
}

static void test_disabled_user(void **state)
{
    (void)state;
    char *t = login(&srv, "shelter");
    assert_non_null(t);
    assert_int_equal(whoami(&srv, t, NULL, NULL, 0), 200);
    const char *verb[] = {"user", "disable", NULL};
    const char *args[] = {"shelter", NULL};
    char *err = NULL;
    int rc = vigil_cli(&srv, NULL, verb, args, NULL, &err);
    if (rc != 0)
        print_error("vigil user disable: %d %s\n", rc, err ? err : "");
    free(err);
    assert_int_equal(rc, 0);
    assert_int_equal(whoami(&srv, t, NULL, NULL, 0), 401);
    struct http_resp r;
    http_get(&srv, "/api/v1/cases", t, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    login_as(&srv, "shelter", DEMO_PASSWORD, &r);
    check_error(&r, 401, NULL);
    assert_null(json_object_get(r.json, "token"));
    http_free(&r);
    free(t);
    /* Others are not affected. */
    t = login(&srv, "caseworker");
    assert_non_null(t);
    free(t);
}

static void test_malformed_bearer(void **state)
{
    (void)state;
    char *good = login(&srv, "inspector");
    assert_non_null(good);
    char longer[96], bad_char[96], lower[96];
    snprintf(longer, sizeof longer, "Authorization: Bearer %sA", good);
    snprintf(bad_char, sizeof bad_char, "Authorization: Bearer %.42s!", good);
    snprintf(lower, sizeof lower, "Authorization: Bearer %.42s", good);
    const char *const cases[] = {
        "Authorization: Bearer",
        "Authorization: Bearer ",
        "Authorization: Bearer abc",
        "Authorization: Bearer ../../../../etc/passwd",
        "Authorization: Bearer ' OR '1'='1",
        "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Authorization: Basic aW52ZXN0aWdhdG9yOnZpZ2lsLWRlbW8tMjAyNg==",
        "Authorization: Token abc",
        longer,
        bad_char,
        lower,
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *h[] = {cases[i], NULL};
        struct http_resp r;
        http_request(&srv, "GET", "/api/v1/session", NULL, NULL, h, &r);
        if (r.status != 401)
            print_error("header: %s\n", cases[i]);
        check_error(&r, 401, NULL);
        char www[128];
        assert_non_null(http_header(&r, "WWW-Authenticate", www, sizeof www));
        assert_true(strncmp(www, "Bearer", 6) == 0);
        http_free(&r);
        /* A public route ignores a bad token. */
        http_request(&srv, "GET", "/healthz", NULL, NULL, h, &r);
        check_status(&r, 200);
        http_free(&r);
    }
    /* The good token still works, in any case of the scheme name. */
    char line[96];
    snprintf(line, sizeof line, "Authorization: bearer %s", good);
    const char *h[] = {line, NULL};
    assert_int_equal(whoami(&srv, NULL, h, NULL, 0), 200);
    free(good);
}

static void test_logins_are_audited(void **state)
{
    (void)state;
    struct http_resp r;
    login_as(&srv, "secretariat", "not-the-password", &r);
    http_free(&r);
    char *t = login(&srv, "secretariat");
    char *aud = login(&srv, "auditor");
    assert_non_null(t);
    assert_non_null(aud);
    int failure = 0, success = 0;
    json_int_t after = 0;
    for (;;) {
        char path[96];
        snprintf(path, sizeof path, "/api/v1/audit?limit=1000&after=%lld", (long long)after);
        http_get(&srv, path, aud, &r);
        check_status(&r, 200);
        json_t *items = json_object_get(check_json(&r), "items");
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x)
        {
            if (strcmp(json_str(x, "user"), "secretariat") != 0)
                continue;
            if (strcmp(json_str(x, "action"), "login.failure") == 0)
                failure++;
            if (strcmp(json_str(x, "action"), "login.success") == 0)
                success++;
            /* The password is never in the log. */
            assert_null(strstr(json_str(x, "detail"), "not-the-password"));
        }
        size_t n = json_array_size(items);
        after = json_int(r.json, "next_after");
        http_free(&r);
        if (n < 1000)
            break;
    }
    assert_int_equal(failure, 1);
    assert_int_equal(success, 1);
    free(t);
    free(aud);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_sets_token_and_cookie),
        cmocka_unit_test(test_wrong_cookie),
        cmocka_unit_test(test_wrong_password),
        cmocka_unit_test(test_throttling),
        cmocka_unit_test(test_logout),
        cmocka_unit_test(test_disabled_user),
        cmocka_unit_test(test_malformed_bearer),
        cmocka_unit_test(test_logins_are_audited),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
