/*
 * `vigil key rotate` (ASVS 1.6.3, 6.2.4) on the store the suite runs on
 * (SQLite, or PostgreSQL through scripts/test-pg): every sealed column is
 * re-sealed under a new key with its associated data unchanged, so the
 * server on the new key reads back what was written under the old one; the
 * old key no longer opens anything; the old key file is untouched; the
 * rotation is audited and the chain verifies; an interrupted rotation is
 * finished by running it again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static json_int_t case_id, tip_id;

/* What the investigator reads of the case's persons and of the tip. */
static char *read_back(void)
{
    char *tok = login(&srv, "investigator");
    assert_non_null(tok);
    char path[96];
    struct http_resp a, b;
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    http_get(&srv, path, tok, &a);
    check_status(&a, 200);
    snprintf(path, sizeof path, "/api/v1/tip-queue/%lld", (long long)tip_id);
    http_get(&srv, path, tok, &b);
    check_status(&b, 200);
    size_t n = strlen(a.body) + strlen(b.body) + 2;
    char *out = malloc(n);
    snprintf(out, n, "%s\n%s", a.body, b.body);
    http_free(&a);
    http_free(&b);
    free(tok);
    return out;
}

static int rotate(const char *new_key, const char *batch, char **out, char **err)
{
    const char *verb[] = {"key", "rotate", NULL};
    const char *args[] = {"--new-key", new_key, "--batch", batch, NULL};
    return vigil_cli(&srv, NULL, verb, args, out, err);
}

/* The persons line of the rotation's report: re-sealed and already. */
static void persons_counts(const char *out, long *changed, long *kept)
{
    const char *p = strstr(out, "  persons ");
    assert_non_null(p);
    assert_int_equal(sscanf(p, " persons sealed %ld re-sealed %ld already", changed, kept), 2);
}

static void test_rotate(void **state)
{
    (void)state;
    char *tok = login(&srv, "investigator");
    assert_non_null(tok);
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/cases", tok,
                 "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
    check_status(&r, 201);
    case_id = json_int(check_json(&r), "id");
    http_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    http_request(&srv, "POST", path, tok,
                 "{\"role\":\"victim\",\"prs_FirstName\":\"Rotaria\",\"prs_SecondName\":\"Keyes\","
                 "\"prs_Gender\":\"Feminine\",\"prs_Citizenship\":[\"PH\"]}",
                 NULL, &r);
    check_status(&r, 201);
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/tips", NULL,
                 "{\"what\":\"rotation tip text\",\"contact\":\"tip@example.org\"}", NULL, &r);
    check_status(&r, 201);
    snprintf(path, sizeof path, "/api/v1/tips/%s", json_str(check_json(&r), "code"));
    http_free(&r);
    http_request(&srv, "POST", path, NULL, "{\"what\":\"rotation addition text\"}", NULL, &r);
    check_status(&r, 201);
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/feedback", NULL,
                 "{\"page\":\"/public/\",\"message\":\"hello\",\"contact\":\"fb@example.org\"}",
                 NULL, &r);
    check_status(&r, 201);
    http_free(&r);
    http_get(&srv, "/api/v1/tip-queue", tok, &r);
    check_status(&r, 200);
    tip_id = json_int(json_array_get(json_object_get(check_json(&r), "items"), 0), "id");
    http_free(&r);
    free(tok);
    char *before = read_back();
    assert_non_null(strstr(before, "Rotaria"));
    assert_non_null(strstr(before, "rotation tip text"));
    assert_non_null(strstr(before, "rotation addition text"));
    assert_int_equal(server_stop(&srv), 0);

    size_t oldn = 0;
    char *old_bytes = read_file(srv.key, &oldn);
    assert_non_null(old_bytes);
    char old_key[512], new_key[512];
    snprintf(old_key, sizeof old_key, "%s", srv.key);
    snprintf(new_key, sizeof new_key, "%s/new.key", srv.dir);

    /* An interruption: the newest tip cannot be opened, so the rotation
     * stops there, after committing the batches before it. */
    char *hex = NULL;
    assert_int_equal(db_sql(&srv, srv.db,
                            srv.pg
                                ? "SELECT encode(sealed, 'hex') FROM tips ORDER BY id DESC LIMIT 1"
                                : "SELECT hex(sealed) FROM tips ORDER BY id DESC LIMIT 1",
                            &hex),
                     0);
    hex[strcspn(hex, "\r\n")] = '\0';
    assert_true(strlen(hex) > 80);
    char sql[4096];
    snprintf(sql, sizeof sql, "UPDATE tips SET sealed = %s WHERE id = (SELECT MAX(id) FROM tips)",
             srv.pg ? "decode('00', 'hex')" : "X'00'");
    assert_int_equal(db_sql(&srv, srv.db, sql, NULL), 0);
    char *out = NULL, *err = NULL;
    assert_int_equal(rotate(new_key, "2", &out, &err), 1);
    assert_non_null(strstr(err, "tips.sealed of row"));
    assert_non_null(strstr(err, "run the same command again"));
    long changed, kept;
    persons_counts(out, &changed, &kept);
    assert_true(changed > 0); /* committed before the failure */
    free(out);
    free(err);
    /* The tip as it was; the same command finishes the rotation. */
    snprintf(sql, sizeof sql,
             "UPDATE tips SET sealed = %s%s%s WHERE id = (SELECT MAX(id) FROM tips)",
             srv.pg ? "decode('" : "X'", hex, srv.pg ? "', 'hex')" : "'");
    assert_int_equal(db_sql(&srv, srv.db, sql, NULL), 0);
    free(hex);
    int rc = rotate(new_key, "2", &out, &err);
    if (rc != 0)
        print_error("key rotate: %s\n", err ? err : "");
    assert_int_equal(rc, 0);
    persons_counts(out, &changed, &kept);
    assert_int_equal(changed, 0); /* all done by the first run */
    assert_true(kept > 0);
    assert_non_null(strstr(out, "verified"));
    free(out);
    free(err);

    /* The old key file is untouched; the new one is the owner's only. */
    size_t n2 = 0;
    char *again = read_file(old_key, &n2);
    assert_int_equal(n2, oldn);
    assert_memory_equal(again, old_bytes, oldn);
    free(again);
    free(old_bytes);
    struct stat sb;
    assert_int_equal(stat(new_key, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    /* Audited, and the chain verifies. */
    char *audit = NULL;
    assert_int_equal(
        db_sql(&srv, srv.db, "SELECT COUNT(*) FROM audit WHERE action = 'key.rotate'", &audit), 0);
    assert_int_equal(atoi(audit), 1);
    free(audit);
    assert_int_equal(
        db_sql(&srv, srv.db, "SELECT detail FROM audit WHERE action = 'key.rotate'", &audit), 0);
    assert_non_null(strstr(audit, "verified"));
    free(audit);
    const char *verb[] = {"audit", "verify", NULL};
    assert_int_equal(vigil_cli(&srv, NULL, verb, NULL, NULL, NULL), 0);

    /* The old key opens nothing any more. */
    assert_int_equal(server_spawn(&srv), 0);
    char *stale = read_back();
    assert_null(strstr(stale, "Rotaria"));
    assert_null(strstr(stale, "rotation tip text"));
    assert_non_null(strstr(stale, "sealed_error"));
    free(stale);
    assert_int_equal(server_stop(&srv), 0);

    /* The new key reads back exactly what was written. */
    snprintf(srv.key, sizeof srv.key, "%s", new_key);
    assert_int_equal(server_spawn(&srv), 0);
    char *after = read_back();
    assert_string_equal(after, before);
    free(after);
    free(before);

    /* Running it once more changes nothing; the current key as the new one
     * is refused. */
    assert_int_equal(server_stop(&srv), 0);
    char newer[512];
    snprintf(newer, sizeof newer, "%s/newer.key", srv.dir);
    snprintf(srv.key, sizeof srv.key, "%s", old_key);
    assert_int_equal(rotate(newer, "500", NULL, &err), 1); /* the old key opens nothing */
    assert_non_null(strstr(err, "opens under neither"));
    free(err);
    snprintf(srv.key, sizeof srv.key, "%s", new_key);
    assert_int_equal(rotate(new_key, "500", NULL, &err), 1);
    assert_non_null(strstr(err, "the new key is the current key"));
    free(err);
    assert_int_equal(server_spawn(&srv), 0);
    check_healthy(&srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rotate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
