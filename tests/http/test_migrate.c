/*
 * HTTP and CLI tests of `vigil migrate` (docs/deploy.md): a demo SQLite
 * database with a person added through a server is copied to a new SQLite
 * file and, when VIGIL_TEST_PG_URI is set, to a new PostgreSQL database; a
 * server on the copy with the same key file reads the person back decrypted,
 * the audit chain verifies with the source's entry count (plus the reads done
 * after), the person's name is not stored in plain text, and migrating again
 * into the now non-empty target fails with exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "http/harness.h"

static struct server src;  /* the SQLite source, with its own server */
static struct server dst;  /* a server on the migrated copy */
static char pg_name[96];   /* the PostgreSQL target, dropped by teardown */
static char name[40];      /* the unique first name of the added person */
static json_int_t case_id; /* the case it was added to */
static char reference[32]; /* that case's reference */
/* A meeting, a measure with a progress update and an activity made through
 * the server, and the numbers of meetings, measures and activities. */
static json_int_t meeting_id, measure_id;
static size_t n_meetings, n_measures, n_activities;

static const char *vigil_bin(void)
{
    const char *b = getenv("VIGIL_BIN");
    return b && *b ? b : "build/vigil";
}

/* The count printed by `vigil audit verify --db db` (which must exit 0). */
static long audit_count(const char *db)
{
    static const char *const verb[] = {"audit", "verify", NULL};
    char *out = NULL, *err = NULL;
    int rc = vigil_cli(&src, db, verb, NULL, &out, &err);
    if (rc != 0)
        print_error("audit verify on %s failed (%d): %s%s\n", db, rc, out ? out : "",
                    err ? err : "");
    assert_int_equal(rc, 0);
    const char *tag = "audit chain intact: ";
    const char *at = out ? strstr(out, tag) : NULL;
    assert_non_null(at);
    char *end;
    long n = strtol(at + strlen(tag), &end, 10);
    assert_true(end != at + strlen(tag) && n > 0);
    free(out);
    free(err);
    return n;
}

/* `vigil migrate --from sqlite:SRC --to to`; the exit status, with stdout
 * and stderr in out and err. */
static int migrate(const char *to, char **out, char **err)
{
    char from[600];
    snprintf(from, sizeof from, "sqlite:%s", src.db);
    const char *argv[] = {vigil_bin(), "migrate", "--from", from, "--to", to, NULL};
    return run_prog(argv, out, err);
}

static int teardown(void **state);

/* A demo SQLite database of 30 cases, whatever VIGIL_TEST_PG_URI says, and a
 * server on it that adds a victim with a unique name; then the server stops. */
static int setup_source(void)
{
    memset(&src, 0, sizeof src);
    memset(&dst, 0, sizeof dst);
    src.out_fd = dst.out_fd = -1;
    pg_name[0] = '\0';
    const char *tmp = getenv("TMPDIR");
    snprintf(src.dir, sizeof src.dir, "%s/vigil-http-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(src.dir)) {
        src.dir[0] = '\0';
        return -1;
    }
    snprintf(src.db, sizeof src.db, "%s/src.db", src.dir);
    snprintf(src.key, sizeof src.key, "%s/t.key", src.dir);
    snprintf(src.log, sizeof src.log, "%s/server.log", src.dir);
    static const char *const demo[] = {"demo", NULL};
    static const char *const demo_args[] = {"--cases", "30", NULL};
    char *err = NULL;
    int rc = vigil_cli(&src, NULL, demo, demo_args, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "vigil demo failed (%d): %s\n", rc, err ? err : "");
    free(err);
    if (rc != 0 || server_spawn(&src))
        return -1;

    /* A first name of letters only, unlikely to occur anywhere by chance. */
    char hex[33];
    random_hex(hex, 16);
    snprintf(name, sizeof name, "Zq");
    for (size_t i = 0; i < 16; i++)
        name[2 + i] = (char)('a' + (hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10));
    name[18] = '\0';

    char *tok = login(&src, "investigator");
    if (!tok)
        return -1;
    struct http_resp r;
    http_request(&src, "POST", "/api/v1/cases", tok,
                 "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
    json_t *id = json_object_get(r.json, "id");
    const char *ref = json_string_value(json_object_get(r.json, "reference"));
    rc = r.status == 201 && json_is_integer(id) && ref ? 0 : -1;
    if (!rc) {
        case_id = json_integer_value(id);
        snprintf(reference, sizeof reference, "%s", ref);
    }
    http_free(&r);
    char path[96], body[256];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    snprintf(body, sizeof body,
             "{\"role\":\"victim\",\"prs_FirstName\":\"%s\",\"prs_SecondName\":\"Migrated\","
             "\"prs_Gender\":\"Feminine\"}",
             name);
    if (!rc) {
        if (http_request(&src, "POST", path, tok, body, NULL, &r) != 201) {
            fprintf(stderr, "adding the person failed: %ld %s\n", r.status, r.body ? r.body : "");
            rc = -1;
        }
        http_free(&r);
    }
    free(tok);
    /* the committee's records */
    char *sec = rc ? NULL : login(&src, "secretariat");
    if (!rc && !sec)
        rc = -1;
    if (!rc) {
        http_request(&src, "POST", "/api/v1/meetings", sec,
                     "{\"held_on\":\"2026-03-05\",\"title\":\"遷移測試會議\","
                     "\"attendees\":[\"PJ\",\"DSAL\"],\"decisions\":[\"通過\"]}",
                     NULL, &r);
        meeting_id = r.status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
        http_free(&r);
        snprintf(body, sizeof body,
                 "{\"title\":\"遷移測試措施\",\"meeting_id\":%lld,\"owner\":\"DSAL\","
                 "\"due_on\":\"2026-09-30\"}",
                 (long long)meeting_id);
        http_request(&src, "POST", "/api/v1/measures", sec, body, NULL, &r);
        measure_id = r.status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
        http_free(&r);
        snprintf(path, sizeof path, "/api/v1/measures/%lld/progress", (long long)measure_id);
        long p =
            http_request(&src, "POST", path, sec,
                         "{\"note\":\"migrated progress\",\"state\":\"in_progress\"}", NULL, &r);
        http_free(&r);
        long a = http_request(&src, "POST", "/api/v1/activities", sec,
                              "{\"kind\":\"awareness\",\"held_on\":\"2026-03-06\","
                              "\"people_reached\":321,\"title\":\"遷移測試活動\"}",
                              NULL, &r);
        http_free(&r);
        if (!meeting_id || !measure_id || p != 201 || a != 201)
            rc = -1;
        static const char *const lists[] = {"/api/v1/meetings", "/api/v1/measures",
                                            "/api/v1/activities"};
        size_t *ns[] = {&n_meetings, &n_measures, &n_activities};
        for (int i = 0; !rc && i < 3; i++) {
            http_get(&src, lists[i], sec, &r);
            *ns[i] = json_array_size(json_object_get(r.json, "items"));
            http_free(&r);
        }
    }
    free(sec);
    if (server_stop(&src) != 0)
        return -1;
    return rc;
}

static int setup(void **state)
{
    if (setup_source() == 0)
        return 0;
    teardown(state); /* cmocka does not call the teardown when the setup fails */
    return -1;
}

static int teardown(void **state)
{
    (void)state;
    server_cleanup(&dst); /* leaves the database alone (pg_name is empty) */
    pg_db_drop(pg_name);
    pg_name[0] = '\0';
    server_cleanup(&src);
    return 0;
}

/* Serve the copy at db with the source's key, read the person back, stop. */
static void read_back(const char *db, int pg)
{
    struct server first;
    memset(&first, 0, sizeof first);
    snprintf(first.db, sizeof first.db, "%s", db);
    snprintf(first.key, sizeof first.key, "%s", src.key);
    first.pg = pg;
    assert_int_equal(server_start_twin(&dst, &first, NULL), 0);
    char *tok = login(&dst, "investigator");
    assert_non_null(tok);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_id);
    struct http_resp r;
    http_get(&dst, path, tok, &r);
    check_status(&r, 200);
    json_t *items = json_object_get(check_json(&r), "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *p = json_array_get(items, 0);
    assert_string_equal(json_str(p, "prs_FirstName"), name);
    assert_string_equal(json_str(p, "prs_SecondName"), "Migrated");
    http_free(&r);
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)case_id);
    http_get(&dst, path, tok, &r);
    check_status(&r, 200);
    assert_string_equal(json_str(check_json(&r), "reference"), reference);
    http_free(&r);
    /* the committee's records came across whole (reading them is not audited) */
    snprintf(path, sizeof path, "/api/v1/meetings/%lld", (long long)meeting_id);
    http_get(&dst, path, tok, &r);
    check_status(&r, 200);
    assert_string_equal(json_str(check_json(&r), "title"), "遷移測試會議");
    assert_int_equal(json_array_size(json_object_get(r.json, "attendees")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(r.json, "decisions"), 0)),
                        "通過");
    http_free(&r);
    snprintf(path, sizeof path, "/api/v1/measures/%lld", (long long)measure_id);
    http_get(&dst, path, tok, &r);
    check_status(&r, 200);
    assert_string_equal(json_str(check_json(&r), "state"), "in_progress");
    assert_int_equal(json_int(r.json, "meeting_id"), meeting_id);
    assert_string_equal(json_str(json_array_get(json_object_get(r.json, "updates"), 0), "note"),
                        "migrated progress");
    http_free(&r);
    http_get(&dst, "/api/v1/activities?from=2026-03-06&to=2026-03-06&kind=awareness", tok, &r);
    check_status(&r, 200);
    int found = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(check_json(&r), "items"), i, x) found |=
        json_integer_value(json_object_get(x, "people_reached")) == 321;
    assert_true(found);
    http_free(&r);
    static const char *const lists[] = {"/api/v1/meetings", "/api/v1/measures",
                                        "/api/v1/activities"};
    const size_t want[] = {n_meetings, n_measures, n_activities};
    for (int k = 0; k < 3; k++) {
        http_get(&dst, lists[k], tok, &r);
        check_status(&r, 200);
        assert_int_equal(json_array_size(json_object_get(check_json(&r), "items")), want[k]);
        http_free(&r);
    }
    free(tok);
    assert_int_equal(server_stop(&dst), 0);
}

/* The whole round trip into the empty target to (a URI or sqlite:PATH). */
static void round_trip(const char *to, const char *db, int pg)
{
    long before = audit_count(src.db);
    char *out = NULL, *err = NULL;
    int rc = migrate(to, &out, &err);
    if (rc != 0)
        print_error("migrate failed (%d): %s%s\n", rc, out ? out : "", err ? err : "");
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "audit chain verified"));
    free(out);
    free(err);
    /* The copy's chain verifies, with exactly the source's entries. */
    assert_int_equal(audit_count(db), before);
    assert_int_equal(audit_count(src.db), before);

    read_back(db, pg);
    /* The login and the read of personal data were recorded on the copy. */
    assert_int_equal(audit_count(db), before + 2);

    /* Migrating again into the same, now non-empty database fails. */
    out = err = NULL;
    rc = migrate(to, &out, &err);
    assert_int_equal(rc, 1);
    if (!err || !strstr(err, "not empty"))
        print_error("migrate into a non-empty database said: %s%s\n", out ? out : "",
                    err ? err : "");
    assert_non_null(err);
    assert_non_null(strstr(err, "not empty"));
    free(out);
    free(err);
    assert_int_equal(audit_count(db), before + 2);
}

static void test_sqlite_to_sqlite(void **state)
{
    (void)state;
    char db[600], to[620];
    snprintf(db, sizeof db, "%s/copy.db", src.dir);
    snprintf(to, sizeof to, "sqlite:%s", db);
    round_trip(to, db, 0);
    /* The name is sealed in the copy (the file and any WAL beside it). */
    const char *suffix[] = {"", "-wal"};
    for (int i = 0; i < 2; i++) {
        char path[640];
        snprintf(path, sizeof path, "%s%s", db, suffix[i]);
        size_t n = 0;
        char *bytes = read_file(path, &n);
        if (!bytes) {
            assert_int_equal(i, 1); /* only the WAL may be absent */
            continue;
        }
        if (i == 0)
            assert_true(mem_contains(bytes, n, reference)); /* the data is there */
        assert_false(mem_contains(bytes, n, name));
        free(bytes);
    }
}

static void test_sqlite_to_postgresql(void **state)
{
    (void)state;
    const char *pg = getenv("VIGIL_TEST_PG_URI");
    if (!pg || !*pg) {
        printf("test_sqlite_to_postgresql: skipped (VIGIL_TEST_PG_URI is not set; "
               "sh scripts/test-pg runs it)\n");
        skip();
    }
    char uri[512];
    assert_int_equal(pg_db_create("mig", pg_name, sizeof pg_name, uri, sizeof uri), 0);
    round_trip(uri, uri, 1);

    /* pg_dump holds the data, but not the name in plain text. */
    const char *argv[] = {"pg_dump", "--no-owner", uri, NULL};
    char *out = NULL, *err = NULL;
    int rc = run_prog(argv, &out, &err);
    if (rc != 0)
        print_error("pg_dump failed (%d): %s\n", rc, err ? err : "");
    assert_int_equal(rc, 0);
    assert_non_null(out);
    assert_true(mem_contains(out, strlen(out), reference));
    assert_false(mem_contains(out, strlen(out), name));
    free(out);
    free(err);
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) || sodium_init() < 0)
        return 1;
    setenv("VIGIL_PWHASH_FAST", "1", 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sqlite_to_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_to_postgresql, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
