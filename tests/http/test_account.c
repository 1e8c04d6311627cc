/*
 * HTTP tests of a user's own account (ASVS 2.1.1, 2.1.5, 2.1.6, 3.3.3,
 * 3.3.4): the 12-character minimum in the CLI and the users page; changing
 * one's own password (POST /api/v1/session/password: the current password
 * verifies and is throttled like a login, the new one meets the policy and
 * differs, the other sessions end, the audit entry holds no secret); the
 * list of one's sessions and ending the others; the /account page.
 */
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

/* `printf '%s\n' PW | vigil user add --username U …`: the exit status and
 * stderr in *err. */
static int cli_user_add(const char *username, const char *pw, char **err)
{
    const char *bin = getenv("VIGIL_BIN") ? getenv("VIGIL_BIN") : "build/vigil";
    const char *const argv[] = {"sh",
                                "-c",
                                "printf '%s\\n' \"$1\" | \"$2\" user add --db \"$3\" --key \"$4\" "
                                "--username \"$5\" --role caseworker --agency IAS",
                                "sh",
                                pw,
                                bin,
                                srv.db,
                                srv.key,
                                username,
                                NULL};
    return run_prog(argv, NULL, err);
}

static void test_cli_minimum(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(cli_user_add("short.one", "abcdefghijk", &err), 1); /* 11 */
    assert_non_null(strstr(err, "at least 12 characters"));
    free(err);
    err = NULL;
    struct http_resp r;
    login_as(&srv, "short.one", "abcdefghijk", &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    int rc = cli_user_add("long.one", "abcdefghijkl", &err); /* 12 */
    if (rc != 0)
        print_error("vigil user add: %s\n", err ? err : "");
    free(err);
    assert_int_equal(rc, 0);
    login_as(&srv, "long.one", "abcdefghijkl", &r);
    check_status(&r, 200);
    http_free(&r);
    /* The demo password meets the policy: every demo account logs in. */
    login_as(&srv, "auditor", DEMO_PASSWORD, &r);
    check_status(&r, 200);
    http_free(&r);
}

/* POST a form with a session's token and the given CSRF value (NULL: none). */
static long post_form(const char *path, const char *tok, const char *csrf, const char *fields,
                      struct http_resp *r)
{
    char body[1024];
    if (csrf)
        snprintf(body, sizeof body, "csrf=%s&%s", csrf, fields);
    else
        snprintf(body, sizeof body, "%s", fields);
    struct http_req rq = {.method = "POST",
                          .path = path,
                          .token = tok,
                          .body = body,
                          .content_type = "application/x-www-form-urlencoded"};
    return http_do(&srv, &rq, r);
}

/* A fresh session of username: its token and CSRF token (malloc'd). */
static void session_of(const char *username, const char *pw, char **tok, char **csrf)
{
    struct http_resp r;
    login_as(&srv, username, pw, &r);
    check_status(&r, 200);
    *tok = strdup(json_str(check_json(&r), "token"));
    if (csrf)
        *csrf = strdup(json_str(r.json, "csrf"));
    http_free(&r);
}

static void test_users_page_minimum(void **state)
{
    (void)state;
    char *tok, *csrf;
    session_of("admin", DEMO_PASSWORD, &tok, &csrf);
    struct http_resp r;
    post_form("/admin/users?lang=en", tok, csrf,
              "username=page.short&role=caseworker&agency=IAS&password=abcdefghijk", &r);
    check_status(&r, 400);
    assert_non_null(strstr(r.body, "The password is too short."));
    assert_non_null(strstr(r.body, "At least 12 characters."));
    assert_null(strstr(r.body, "abcdefghijk")); /* never echoed */
    http_free(&r);
    post_form("/admin/users?lang=en", tok, csrf,
              "username=page.long&role=caseworker&agency=IAS&password=abcdefghijkl", &r);
    check_status(&r, 303);
    http_free(&r);
    login_as(&srv, "page.long", "abcdefghijkl", &r);
    check_status(&r, 200);
    http_free(&r);
    free(tok);
    free(csrf);
}

static long change(const char *tok, const char *body, struct http_resp *r)
{
    return http_request(&srv, "POST", "/api/v1/session/password", tok, body, NULL, r);
}

/* The audit entries of action (as the auditor sees them); a new array. */
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
            if (strcmp(json_str(x, "action"), action) == 0)
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

static void test_change_password(void **state)
{
    (void)state;
    const char *newpw = "a new passphrase for 2027";
    char *a, *b;
    session_of("prosecutor", DEMO_PASSWORD, &a, NULL);
    session_of("prosecutor", DEMO_PASSWORD, &b, NULL);
    char *other = login(&srv, "investigator");
    struct http_resp r;

    /* Bad input: named fields, nothing changed. */
    change(a, "{\"current\":\"" DEMO_PASSWORD "\"}", &r);
    check_error(&r, 400, "new");
    http_free(&r);
    change(a, "{\"new\":\"whatever whatever\"}", &r);
    check_error(&r, 400, "current");
    http_free(&r);
    change(a, "{\"current\":\"" DEMO_PASSWORD "\",\"new\":\"abcdefghijk\"}", &r);
    check_error(&r, 400, "new"); /* 11 characters */
    http_free(&r);
    change(a, "{\"current\":\"" DEMO_PASSWORD "\",\"new\":\"" DEMO_PASSWORD "\"}", &r);
    check_error(&r, 400, "new"); /* the same */
    http_free(&r);
    change(a, "{\"current\":\"" DEMO_PASSWORD "\",\"new\":12}", &r);
    check_error(&r, 400, "new");
    http_free(&r);
    change(a, "{\"current\":\"" DEMO_PASSWORD "\",\"new\":\"abcdefghijklm\",\"user\":\"admin\"}",
           &r);
    check_error(&r, 400, "user");
    http_free(&r);
    change(a, "{\"current\":\"not the password\",\"new\":\"abcdefghijklm\"}", &r);
    check_error(&r, 403, "current");
    http_free(&r);
    change(NULL, "{\"current\":\"" DEMO_PASSWORD "\",\"new\":\"abcdefghijklm\"}", &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    login_as(&srv, "prosecutor", DEMO_PASSWORD, &r);
    check_status(&r, 200); /* still the old password */
    char *c = strdup(json_str(check_json(&r), "token"));
    http_free(&r);

    /* The change: the other sessions (b, c) end; a and other users' stay. */
    char body[256];
    snprintf(body, sizeof body, "{\"current\":\"%s\",\"new\":\"%s\"}", DEMO_PASSWORD, newpw);
    change(a, body, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "sessions_ended"), 2);
    http_free(&r);
    http_get(&srv, "/api/v1/session", a, &r);
    check_status(&r, 200);
    http_free(&r);
    http_get(&srv, "/api/v1/session", b, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/session", c, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/session", other, &r);
    check_status(&r, 200);
    http_free(&r);
    login_as(&srv, "prosecutor", DEMO_PASSWORD, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    login_as(&srv, "prosecutor", newpw, &r);
    check_status(&r, 200);
    http_free(&r);

    /* Audited, with no secret in any entry. */
    json_t *ok = audit_entries("user.password");
    assert_int_equal(json_array_size(ok), 1);
    json_t *e = json_array_get(ok, 0);
    assert_string_equal(json_str(e, "user"), "prosecutor");
    assert_non_null(strstr(json_str(e, "detail"), "2"));
    json_t *bad = audit_entries("user.password.failure");
    assert_int_equal(json_array_size(bad), 1);
    char *all = json_dumps(ok, 0), *all2 = json_dumps(bad, 0);
    assert_null(strstr(all, "passphrase"));
    assert_null(strstr(all, DEMO_PASSWORD));
    assert_null(strstr(all2, "not the password"));
    free(all);
    free(all2);
    json_decref(ok);
    json_decref(bad);
    free(a);
    free(b);
    free(c);
    free(other);
}

static void test_wrong_current_is_throttled(void **state)
{
    (void)state;
    char *tok = login(&srv, "inspector");
    assert_non_null(tok);
    struct http_resp r;
    for (int i = 0; i < 5; i++) { /* --login-max-failures defaults to 5 */
        change(tok, "{\"current\":\"wrong guess 1234\",\"new\":\"abcdefghijklm\"}", &r);
        check_error(&r, 403, "current");
        http_free(&r);
    }
    /* Now even the right password is refused, and so is a login. */
    change(tok, "{\"current\":\"" DEMO_PASSWORD "\",\"new\":\"abcdefghijklm\"}", &r);
    check_error(&r, 429, NULL);
    char ra[32];
    assert_non_null(http_header(&r, "Retry-After", ra, sizeof ra));
    http_free(&r);
    login_as(&srv, "inspector", DEMO_PASSWORD, &r);
    check_error(&r, 429, NULL);
    http_free(&r);
    json_t *t = audit_entries("user.password.throttled");
    assert_int_equal(json_array_size(t), 1);
    json_decref(t);
    free(tok);
}

static void test_sessions(void **state)
{
    (void)state;
    char *s1 = login(&srv, "caseworker"), *s2 = login(&srv, "caseworker"),
         *s3 = login(&srv, "caseworker"), *other = login(&srv, "shelter");
    assert_non_null(s3);
    struct http_resp r;
    http_get(&srv, "/api/v1/session/list", s2, &r);
    check_status(&r, 200);
    json_t *items = json_object_get(check_json(&r), "items");
    assert_int_equal(json_array_size(items), 3);
    int current = 0;
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
    {
        current += json_is_true(json_object_get(x, "current"));
        assert_non_null(json_string_value(json_object_get(x, "created_at")));
        assert_non_null(json_string_value(json_object_get(x, "last_seen")));
        assert_int_equal(json_object_size(x), 4); /* created, last seen, expires, current */
    }
    assert_int_equal(current, 1);
    /* Never a token (or its hash). */
    assert_null(strstr(r.body, s1));
    assert_null(strstr(r.body, s2));
    assert_null(strstr(r.body, s3));
    assert_null(strstr(r.body, "token"));
    http_free(&r);

    http_request(&srv, "POST", "/api/v1/session/end-others", s2, NULL, NULL, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "ended"), 2);
    http_free(&r);
    http_get(&srv, "/api/v1/cases", s1, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/cases", s3, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/cases", other, &r); /* another user's session stays */
    check_status(&r, 200);
    http_free(&r);
    http_get(&srv, "/api/v1/session/list", s2, &r);
    check_status(&r, 200);
    items = json_object_get(check_json(&r), "items");
    assert_int_equal(json_array_size(items), 1);
    assert_true(json_is_true(json_object_get(json_array_get(items, 0), "current")));
    http_free(&r);
    json_t *a = audit_entries("session.end_others");
    assert_int_equal(json_array_size(a), 1);
    assert_string_equal(json_str(json_array_get(a, 0), "user"), "caseworker");
    json_decref(a);
    free(s1);
    free(s2);
    free(s3);
    free(other);
}

static void test_account_page(void **state)
{
    (void)state;
    char *tok, *csrf, *second;
    session_of("magistrate", DEMO_PASSWORD, &tok, &csrf);
    session_of("magistrate", DEMO_PASSWORD, &second, NULL);
    static const struct {
        const char *lang, *title, *button;
    } langs[] = {
        {"en", "My account", "End all other sessions"},
        {"pt", "A minha conta", "Terminar todas as outras sessões"},
        {"zh-Hant", "我的帳戶", "結束所有其他工作階段"},
    };
    struct http_resp r;
    for (size_t k = 0; k < 3; k++) {
        char path[64];
        snprintf(path, sizeof path, "/account?lang=%s", langs[k].lang);
        http_get(&srv, path, tok, &r);
        check_status(&r, 200);
        assert_non_null(strstr(r.body, langs[k].title));
        assert_non_null(strstr(r.body, langs[k].button));
        assert_non_null(strstr(r.body, "action=\"/account/password\""));
        assert_non_null(strstr(r.body, csrf)); /* the forms carry the CSRF token */
        assert_null(strstr(r.body, tok));
        http_free(&r);
    }
    /* Without the CSRF token: 403, nothing changed. */
    post_form("/account/password?lang=en", tok, NULL,
              "current=" DEMO_PASSWORD "&new=page+pass+phrase+1", &r);
    check_status(&r, 403);
    http_free(&r);
    /* A wrong current password: the form again, with the error. */
    post_form("/account/password?lang=en", tok, csrf,
              "current=wrong+wrong+wrong&new=page+pass+1234", &r);
    check_status(&r, 403);
    assert_non_null(strstr(r.body, "The current password is wrong."));
    assert_non_null(strstr(r.body, "action=\"/account/password\""));
    assert_null(strstr(r.body, "wrong+wrong"));
    assert_null(strstr(r.body, "wrong wrong"));
    http_free(&r);
    post_form("/account/password?lang=en", tok, csrf, "current=" DEMO_PASSWORD "&new=short", &r);
    check_status(&r, 400);
    assert_non_null(strstr(r.body, "The password is too short."));
    http_free(&r);
    login_as(&srv, "magistrate", DEMO_PASSWORD, &r);
    check_status(&r, 200);
    http_free(&r);
    /* The change. */
    post_form("/account/password?lang=en", tok, csrf,
              "current=" DEMO_PASSWORD "&new=page+pass+phrase+1", &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "Your password has been changed."));
    http_free(&r);
    http_get(&srv, "/api/v1/session", second, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    login_as(&srv, "magistrate", "page pass phrase 1", &r);
    check_status(&r, 200);
    http_free(&r);
    /* Ending the other sessions from the page (one was just opened). */
    post_form("/account/end-others", tok, NULL, "", &r);
    check_status(&r, 403);
    http_free(&r);
    post_form("/account/end-others", tok, csrf, "", &r);
    check_status(&r, 303);
    http_free(&r);
    http_get(&srv, "/account?lang=en", tok, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "You have no other sessions."));
    http_free(&r);
    free(tok);
    free(csrf);
    free(second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_minimum),     cmocka_unit_test(test_users_page_minimum),
        cmocka_unit_test(test_change_password), cmocka_unit_test(test_wrong_current_is_throttled),
        cmocka_unit_test(test_sessions),        cmocka_unit_test(test_account_page),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
