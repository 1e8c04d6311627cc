/*
 * Tests of the hash-chained audit log (DESIGN §2, §4 `vigil audit verify`):
 * writes made over HTTP leave a chain that verifies; on copies of the
 * database (SQLite files, or PostgreSQL databases made from it as a
 * template), editing an entry, deleting one or swapping two is detected —
 * verify exits 1 and names the broken entry. Tampering uses the sqlite3 or
 * psql client, as an intruder would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;
static long long n_entries; /* rows in the audit table */

static int setup(void **state)
{
    (void)state;
    if (server_start(&srv, NULL))
        return -1;
    /* Some writes and reads over HTTP, so the chain is not just the demo's. */
    char *tok = login(&srv, "investigator");
    if (!tok)
        return -1;
    int rc = -1;
    struct http_resp r;
    for (int i = 0; i < 3; i++) {
        http_request(&srv, "POST", "/api/v1/cases", tok,
                     "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
        json_int_t id = r.status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
        http_free(&r);
        if (!id)
            goto out;
        char path[96];
        snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)id);
        if (http_request(&srv, "POST", path, tok, "{\"text\":\"audit me\"}", NULL, &r) != 201)
            goto out;
        http_free(&r);
        snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)id);
        if (http_request(&srv, "POST", path, tok, "{\"role\":\"witness\"}", NULL, &r) != 201)
            goto out;
        http_free(&r);
        if (http_get(&srv, path, tok, &r) != 200)
            goto out;
        http_free(&r);
    }
    rc = 0;
out:
    http_free(&r);
    free(tok);
    if (rc == 0 && server_stop(&srv) != 0)
        rc = -1;
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    server_cleanup(&srv);
    return 0;
}

static void copy_db(const char *name, char *out, size_t n)
{
    assert_int_equal(db_copy(&srv, name, out, n), 0);
}

static void sql(const char *db, const char *text)
{
    assert_int_equal(db_sql(&srv, db, text, NULL), 0);
}

/* The first line of a query's answer as a number. */
static long long scalar(const char *db, const char *text)
{
    char *out = NULL;
    assert_int_equal(db_sql(&srv, db, text, &out), 0);
    assert_non_null(out);
    char *end;
    long long v = strtoll(out, &end, 10);
    assert_true(end != out && (*end == '\n' || *end == '\0'));
    free(out);
    return v;
}

static char *text_of(const char *db, const char *text)
{
    char *out = NULL;
    assert_int_equal(db_sql(&srv, db, text, &out), 0);
    assert_non_null(out);
    out[strcspn(out, "\n")] = '\0';
    return out;
}

/* Run audit verify on db; its exit status, and stderr in *err. */
static int verify(const char *db, char **err)
{
    const char *verb[] = {"audit", "verify", NULL};
    return vigil_cli(&srv, db, verb, NULL, NULL, err);
}

/* Whether text names "entry ID" (not a longer number). */
static int names_entry(const char *text, long long id)
{
    char want[48];
    snprintf(want, sizeof want, "entry %lld", id);
    for (const char *p = text ? strstr(text, want) : NULL; p; p = strstr(p + 1, want)) {
        char next = p[strlen(want)];
        if (next < '0' || next > '9')
            return 1;
    }
    return 0;
}

static void test_intact_chain_verifies(void **state)
{
    (void)state;
    char *err = NULL;
    int rc = verify(NULL, &err);
    if (rc != 0)
        print_error("verify: %s\n", err ? err : "");
    free(err);
    assert_int_equal(rc, 0);
    n_entries = scalar(srv.db, "SELECT count(*) FROM audit");
    assert_true(n_entries >= 20);
    /* Ids are 1..n in an intact chain. */
    assert_int_equal(scalar(srv.db, "SELECT max(id) FROM audit"), n_entries);
    /* A plain copy verifies too (the control for the tamper tests). */
    char copy[600];
    copy_db("copy", copy, sizeof copy);
    assert_int_equal(verify(copy, NULL), 0);
}

static void test_edited_entry(void **state)
{
    (void)state;
    long long k = n_entries / 2;
    assert_true(k > 1);
    char copy[600], q[200], *err = NULL;
    copy_db("edited", copy, sizeof copy);
    snprintf(q, sizeof q, "UPDATE audit SET detail = detail || ' (edited)' WHERE id = %lld", k);
    sql(copy, q);
    snprintf(q, sizeof q, "SELECT count(*) FROM audit WHERE id = %lld AND detail LIKE '%%(edited)'",
             k);
    assert_int_equal(scalar(copy, q), 1);
    int rc = verify(copy, &err);
    if (rc != 1 || !names_entry(err, k))
        print_error("verify after editing entry %lld: %d %s\n", k, rc, err ? err : "");
    assert_int_equal(rc, 1);
    assert_true(names_entry(err, k));
    free(err);

    /* Another column, another entry: the user who did it. */
    copy_db("edited2", copy, sizeof copy);
    snprintf(q, sizeof q, "UPDATE audit SET username = 'someone' WHERE id = %lld", k + 1);
    sql(copy, q);
    err = NULL;
    rc = verify(copy, &err);
    assert_int_equal(rc, 1);
    assert_true(names_entry(err, k + 1));
    free(err);
    /* The original is untouched. */
    assert_int_equal(verify(NULL, NULL), 0);
}

static void test_deleted_entry(void **state)
{
    (void)state;
    long long k = n_entries / 2;
    char copy[600], q[200], *err = NULL;
    copy_db("deleted", copy, sizeof copy);
    snprintf(q, sizeof q, "DELETE FROM audit WHERE id = %lld", k);
    sql(copy, q);
    assert_int_equal(scalar(copy, "SELECT count(*) FROM audit"), n_entries - 1);
    int rc = verify(copy, &err);
    if (rc != 1 || !names_entry(err, k))
        print_error("verify after deleting entry %lld: %d %s\n", k, rc, err ? err : "");
    assert_int_equal(rc, 1);
    assert_true(names_entry(err, k));
    free(err);

    /* Deleting the first entry is caught too. */
    copy_db("deleted1", copy, sizeof copy);
    sql(copy, "DELETE FROM audit WHERE id = 1");
    err = NULL;
    rc = verify(copy, &err);
    assert_int_equal(rc, 1);
    assert_true(names_entry(err, 1));
    free(err);
}

static void test_reordered_entries(void **state)
{
    (void)state;
    long long a = n_entries / 2, b = a + 1;
    char copy[600], q[1200], *err = NULL;
    copy_db("swapped", copy, sizeof copy);
    /* Swap the contents of two rows, keeping their ids. */
    snprintf(q, sizeof q,
             "BEGIN;"
             "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE id IN (%lld, %lld);"
             "UPDATE audit SET (at, user_id, username, action, object, detail, prev_hash, hash) ="
             " (SELECT at, user_id, username, action, object, detail, prev_hash, hash FROM t"
             "  WHERE t.id = CASE audit.id WHEN %lld THEN %lld ELSE %lld END)"
             " WHERE id IN (%lld, %lld);"
             "COMMIT;",
             a, b, a, b, a, a, b);
    sql(copy, q);
    /* The rows really moved. */
    snprintf(q, sizeof q, "SELECT hash FROM audit WHERE id = %lld", a);
    char *orig = text_of(srv.db, q);
    snprintf(q, sizeof q, "SELECT hash FROM audit WHERE id = %lld", b);
    char *moved = text_of(copy, q);
    assert_true(strlen(orig) >= 32);
    assert_string_equal(moved, orig);
    free(orig);
    free(moved);

    int rc = verify(copy, &err);
    if (rc != 1)
        print_error("verify after swapping entries %lld and %lld: %d %s\n", a, b, rc,
                    err ? err : "");
    assert_int_equal(rc, 1);
    assert_true(names_entry(err, a) || names_entry(err, b));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intact_chain_verifies),
        cmocka_unit_test(test_edited_entry),
        cmocka_unit_test(test_deleted_entry),
        cmocka_unit_test(test_reordered_entries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
