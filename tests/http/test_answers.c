/*
 * What the server keeps between requests while the database is unchanged
 * (web/answers.h, and the sessions in store_session_get): the case list's
 * answers and the callers' sessions. Whatever is kept must never outlive a
 * change: a write through the API, a write by another process (the sqlite3
 * shell or psql, `vigil user disable`), a logout. One worker thread, so that
 * every request meets what the one before it kept. Both stores keep (SQLite
 * by its data_version, PostgreSQL by its snapshot).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;
static char *tok_inv; /* investigator, PJ */
static char *tok_cw;  /* caseworker, IAS */

static int setup(void **state)
{
    (void)state;
    const char *extra[] = {"--threads", "1", NULL};
    if (server_start(&srv, extra))
        return -1;
    tok_inv = login(&srv, "investigator");
    tok_cw = login(&srv, "caseworker");
    return tok_inv && tok_cw ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tok_inv);
    free(tok_cw);
    int rc = server_stop(&srv);
    if (rc > 0)
        fprintf(stderr, "the server exited with status %d; see %s\n", rc, srv.log);
    server_cleanup(&srv);
    return rc > 0 ? -1 : 0;
}

#define LIST "/api/v1/cases?status=Active&category=trafficking&per_page=200"

/* The list's body as text, and whether the case id is in it. */
static char *list_text(const char *tok, long long id, int *has)
{
    struct http_resp r;
    http_get(&srv, LIST, tok, &r);
    check_status(&r, 200);
    json_t *items = json_object_get(check_json(&r), "items");
    assert_true(json_is_array(items));
    *has = 0;
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
    {
        if (json_integer_value(json_object_get(x, "id")) == id)
            *has = 1;
    }
    char *text = strdup(r.body);
    http_free(&r);
    return text;
}

/* How many lines of the server's log (after stopping it) contain what and
 * end with tail. */
static int log_lines(const char *what, const char *tail)
{
    size_t n = 0;
    char *log = read_file(srv.log, &n);
    assert_non_null(log);
    int count = 0;
    for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
        size_t a = strlen(line), b = strlen(tail);
        if (strstr(line, what) && a >= b && strcmp(line + a - b, tail) == 0)
            count++;
    }
    free(log);
    return count;
}

static void test_list_follows_every_write(void **state)
{
    (void)state;
    int has;
    /* A new Active trafficking case of PJ's, through the API. */
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/cases", tok_inv,
                 "{\"category\":\"trafficking\",\"source\":\"police\",\"cas_Status\":\"Active\"}",
                 NULL, &r);
    check_status(&r, 201);
    long long id = (long long)json_integer_value(json_object_get(check_json(&r), "id"));
    http_free(&r);

    char *a = list_text(tok_inv, id, &has);
    assert_true(has);
    char *b = list_text(tok_inv, id, &has); /* kept (SQLite) */
    assert_true(has);
    assert_string_equal(a, b);
    free(b);

    /* Another organisation asks the same: its own cases, never PJ's answer. */
    char *c = list_text(tok_cw, id, &has);
    assert_false(has);
    assert_string_not_equal(a, c);
    free(c);

    /* A change through the API: closed, so no longer in the Active list. */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", id);
    const char *hdr[] = {"If-Match: \"1\"", NULL};
    http_request(&srv, "PATCH", path, tok_inv, "{\"cas_Status\":\"Closed\"}", hdr, &r);
    check_status(&r, 200);
    http_free(&r);
    free(list_text(tok_inv, id, &has));
    assert_false(has);

    /* A change by another process, straight into the database: Active again. */
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE cases SET status = 'Active' WHERE id = %lld;", id);
    assert_int_equal(db_sql(&srv, srv.db, sql, NULL), 0);
    snprintf(sql, sizeof sql, "UPDATE case_access SET status = 'Active' WHERE case_id = %lld;", id);
    assert_int_equal(db_sql(&srv, srv.db, sql, NULL), 0);
    b = list_text(tok_inv, id, &has);
    assert_true(has);
    free(b);
    free(a);
}

static void test_session_follows_every_write(void **state)
{
    (void)state;
    char *t = login(&srv, "shelter");
    assert_non_null(t);
    struct http_resp r;
    for (int i = 0; i < 3; i++) { /* the session is kept after the first */
        http_get(&srv, "/api/v1/session", t, &r);
        check_status(&r, 200);
        http_free(&r);
    }
    /* Disabled by another process: refused at once. */
    const char *verb[] = {"user", "disable", NULL};
    const char *args[] = {"shelter", NULL};
    assert_int_equal(vigil_cli(&srv, NULL, verb, args, NULL, NULL), 0);
    http_get(&srv, "/api/v1/session", t, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    free(t);

    /* Logged out through the API: refused at once. */
    t = login(&srv, "prosecutor");
    assert_non_null(t);
    http_get(&srv, "/api/v1/session", t, &r);
    check_status(&r, 200);
    http_free(&r);
    http_get(&srv, "/api/v1/session", t, &r);
    check_status(&r, 200);
    http_free(&r);
    http_request(&srv, "DELETE", "/api/v1/session", t, NULL, NULL, &r);
    check_status(&r, 204);
    http_free(&r);
    http_get(&srv, "/api/v1/session", t, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    free(t);

    /* A session ended in the database by another process (an administrator
     * clearing sessions by hand): refused at once. */
    t = login(&srv, "auditor");
    assert_non_null(t);
    http_get(&srv, "/api/v1/session", t, &r);
    check_status(&r, 200);
    http_free(&r);
    assert_int_equal(db_sql(&srv, srv.db,
                            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE "
                            "username = 'auditor');",
                            NULL),
                     0);
    http_get(&srv, "/api/v1/session", t, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    free(t);
}

/* Last: the log tells which answers were kept: the second of two identical
 * lists with nothing written between is, and only lists are. */
static void test_kept_in_the_log(void **state)
{
    (void)state;
    int has;
    free(list_text(tok_inv, 0, &has));
    free(list_text(tok_inv, 0, &has));
    free(list_text(tok_inv, 0, &has));
    assert_int_equal(server_stop(&srv), 0);
    int kept = log_lines("GET /api/v1/cases 200 ", " kept");
    int sessions = log_lines("GET /api/v1/session ", " kept");
    assert_int_equal(sessions, 0);
    assert_true(kept >= 3); /* one in the first test, two here */
    assert_int_equal(server_spawn(&srv), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_follows_every_write),
        cmocka_unit_test(test_session_follows_every_write),
        cmocka_unit_test(test_kept_in_the_log),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
