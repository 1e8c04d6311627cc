/*
 * HTTP tests of victim privacy (DESIGN §2, §5): personal fields are
 * encrypted at rest — a unique name planted through the API reads back
 * correctly, yet appears in neither the database file, its WAL, nor the
 * server's log; only the right key opens it; reading personal data is
 * recorded in the audit log, and the audit chain verifies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;
static char first[64], second[64], idnum[64], email[96];
static json_int_t case_id, person_id;

static int setup(void **state)
{
    (void)state;
    char hex[33];
    random_hex(hex, 12);
    snprintf(first, sizeof first, "Zyxwvut%s", hex);
    random_hex(hex, 12);
    snprintf(second, sizeof second, "Qlorbax%s", hex);
    random_hex(hex, 8);
    snprintf(idnum, sizeof idnum, "ID%s", hex);
    random_hex(hex, 8);
    snprintf(email, sizeof email, "v%s@example.org", hex);
    return server_start(&srv, NULL) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    server_cleanup(&srv);
    return 0;
}

static json_t *find_person(json_t *items, json_int_t id)
{
    size_t i;
    json_t *x;
    json_array_foreach(items, i,
                       x) if (json_integer_value(json_object_get(x, "id")) == id) return x;
    return NULL;
}

static void test_plant_and_read_back(void **state)
{
    (void)state;
    char *tok = login(&srv, "investigator");
    assert_non_null(tok);
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/cases", tok,
                 "{\"category\":\"trafficking\",\"source\":\"hotline\"}", NULL, &r);
    check_status(&r, 201);
    case_id = json_int(check_json(&r), "id");
    http_free(&r);

    json_t *p =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "role", "victim", "prs_FirstName", first,
                  "prs_SecondName", second, "prs_IdentityNumber", idnum, "prs_Email", email,
                  "prs_Gender", "Feminine", "prs_Citizenship", "PH");
    char *body = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    http_request(&srv, "POST", path, tok, body, NULL, &r);
    free(body);
    check_status(&r, 201);
    person_id = json_int(check_json(&r), "id");
    http_free(&r);

    http_get(&srv, path, tok, &r);
    check_status(&r, 200);
    json_t *x = find_person(json_object_get(check_json(&r), "items"), person_id);
    assert_non_null(x);
    assert_string_equal(json_str(x, "prs_FirstName"), first);
    assert_string_equal(json_str(x, "prs_SecondName"), second);
    assert_string_equal(json_str(x, "prs_IdentityNumber"), idnum);
    assert_string_equal(json_str(x, "prs_Email"), email);
    assert_string_equal(json_str(x, "prs_Gender"), "Feminine");
    assert_null(json_object_get(x, "sealed_error"));
    http_free(&r);
    free(tok);
}

static void test_person_read_is_audited(void **state)
{
    (void)state;
    char *aud = login(&srv, "auditor");
    assert_non_null(aud);
    char object[48];
    snprintf(object, sizeof object, "case:%lld", (long long)case_id);
    int reads = 0, creates = 0;
    json_int_t after = 0;
    struct http_resp r;
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
            const char *action = json_str(x, "action"), *obj = json_str(x, "object");
            if (strcmp(action, "person.read") == 0 && strcmp(obj, object) == 0) {
                assert_string_equal(json_str(x, "user"), "investigator");
                reads++;
            }
            if (strcmp(action, "person.create") == 0 && strncmp(obj, object, strlen(object)) == 0)
                creates++;
            /* No personal data in the log itself. */
            char *text = json_dumps(x, JSON_COMPACT);
            assert_null(strstr(text, first));
            assert_null(strstr(text, second));
            assert_null(strstr(text, idnum));
            free(text);
        }
        size_t n = json_array_size(items);
        after = json_int(r.json, "next_after");
        http_free(&r);
        if (n < 1000)
            break;
    }
    assert_int_equal(reads, 1);
    assert_int_equal(creates, 1);
    free(aud);
}

static void scan(const char *path, int must_exist)
{
    size_t n = 0;
    char *p = read_file(path, &n);
    if (!p) {
        if (must_exist)
            print_error("cannot read %s\n", path);
        assert_false(must_exist);
        return;
    }
    const char *secrets[] = {first, second, idnum, email};
    for (size_t i = 0; i < 4; i++) {
        if (mem_contains(p, n, secrets[i]))
            print_error("%s holds '%s' in clear\n", path, secrets[i]);
        assert_false(mem_contains(p, n, secrets[i]));
    }
    free(p);
}

static void test_nothing_in_clear_at_rest(void **state)
{
    (void)state;
    assert_int_equal(server_stop(&srv), 0);
    scan(srv.log, 1);
    if (server_is_sqlite(&srv)) {
        char path[600];
        scan(srv.db, 1);
        snprintf(path, sizeof path, "%s-wal", srv.db);
        scan(path, 0);
        snprintf(path, sizeof path, "%s-shm", srv.db);
        scan(path, 0);
        snprintf(path, sizeof path, "%s-journal", srv.db);
        scan(path, 0);
        /* And the scan works: the case reference is stored in clear. */
        size_t n;
        char *db = read_file(srv.db, &n);
        assert_non_null(db);
        assert_true(mem_contains(db, n, "TIP-"));
        free(db);
    } else {
        const char *argv[] = {"pg_dump", srv.db, NULL};
        char *out = NULL;
        int rc = run_prog(argv, &out, NULL);
        assert_int_equal(rc, 0);
        assert_non_null(out);
        assert_non_null(strstr(out, "TIP-"));
        assert_null(strstr(out, first));
        assert_null(strstr(out, second));
        assert_null(strstr(out, idnum));
        free(out);
    }
}

static void test_audit_chain_verifies(void **state)
{
    (void)state;
    const char *verb[] = {"audit", "verify", NULL};
    char *out = NULL, *err = NULL;
    int rc = vigil_cli(&srv, NULL, verb, NULL, &out, &err);
    if (rc != 0)
        print_error("audit verify: %d %s %s\n", rc, out ? out : "", err ? err : "");
    assert_int_equal(rc, 0);
    free(out);
    free(err);
}

static void test_only_the_right_key_opens(void **state)
{
    (void)state;
    /* Another key, made by a demo database of its own. */
    char other_db[600], other_key[512], right_key[512];
    snprintf(other_db, sizeof other_db, "%s/other.db", srv.dir);
    snprintf(other_key, sizeof other_key, "%.200s/other.key", srv.dir);
    const char *argv[] = {getenv("VIGIL_BIN") ? getenv("VIGIL_BIN") : "build/vigil",
                          "demo",
                          "--db",
                          other_db,
                          "--key",
                          other_key,
                          "--cases",
                          "0",
                          NULL};
    char *err = NULL;
    int rc = run_prog(argv, NULL, &err);
    if (rc != 0)
        print_error("demo for a second key: %s\n", err ? err : "");
    free(err);
    assert_int_equal(rc, 0);
    snprintf(right_key, sizeof right_key, "%s", srv.key);
    snprintf(srv.key, sizeof srv.key, "%s", other_key);
    rc = server_spawn(&srv);
    snprintf(srv.key, sizeof srv.key, "%s", right_key);
    if (rc == 0) {
        /* The server may run, but cannot read the personal fields. */
        char *tok = login(&srv, "investigator");
        assert_non_null(tok);
        char path[96];
        snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
        struct http_resp r;
        http_get(&srv, path, tok, &r);
        if (r.status == 200) {
            json_t *x = find_person(json_object_get(check_json(&r), "items"), person_id);
            assert_non_null(x);
            assert_null(json_object_get(x, "prs_FirstName"));
            assert_non_null(json_object_get(x, "sealed_error"));
        }
        assert_null(strstr(r.body, first));
        http_free(&r);
        free(tok);
        server_stop(&srv);
    }

    /* With the right key, after a restart, the name is back. */
    assert_int_equal(server_spawn(&srv), 0);
    char *tok = login(&srv, "investigator");
    assert_non_null(tok);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    struct http_resp r;
    http_get(&srv, path, tok, &r);
    check_status(&r, 200);
    json_t *x = find_person(json_object_get(check_json(&r), "items"), person_id);
    assert_non_null(x);
    assert_string_equal(json_str(x, "prs_FirstName"), first);
    http_free(&r);
    free(tok);
    assert_int_equal(server_stop(&srv), 0);
    scan(srv.log, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plant_and_read_back),
        cmocka_unit_test(test_person_read_is_audited),
        cmocka_unit_test(test_nothing_in_clear_at_rest),
        cmocka_unit_test(test_audit_chain_verifies),
        cmocka_unit_test(test_only_the_right_key_opens),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
