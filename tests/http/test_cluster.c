/*
 * HTTP tests of two `vigil serve` processes on ONE database (DESIGN §2, the
 * PostgreSQL deployment of docs/deploy.md; on SQLite, two processes on one
 * WAL-mode file): a token from server A works on server B and a logout on B
 * ends it on A; login throttling counts failures on both; concurrent PATCHes
 * with the same If-Match through both servers give exactly one 200; and
 * concurrent writers on both servers leave an audit chain that verifies, with
 * every acknowledged case present under a distinct reference.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

#define N_PATCH       16 /* concurrent PATCHes with the same If-Match */
#define N_ROUNDS      3  /* rounds of them, one version each */
#define N_WRITERS     4  /* writer threads per server */
#define WRITES_PER_TH 25 /* cases (each with a note) per writer thread */

static struct server srv_a, srv_b;

static int setup(void **state)
{
    (void)state;
    static const char *const extra[] = {"--login-max-failures", "3", NULL};
    if (server_start(&srv_a, extra) == 0 && server_start_twin(&srv_b, &srv_a, extra) == 0)
        return 0;
    server_cleanup(&srv_b); /* cmocka does not call the teardown when the setup fails */
    server_cleanup(&srv_a);
    return -1;
}

static int teardown(void **state)
{
    (void)state;
    int rb = server_stop(&srv_b), ra = server_stop(&srv_a);
    if (ra > 0 || rb > 0)
        fprintf(stderr, "a server exited with status %d/%d; see %s, %s\n", ra, rb, srv_a.log,
                srv_b.log);
    server_cleanup(&srv_b);
    server_cleanup(&srv_a);
    return ra > 0 || rb > 0 ? -1 : 0;
}

/* The count printed by `vigil audit verify` (which must exit 0). */
static long audit_count(const struct server *s)
{
    static const char *const verb[] = {"audit", "verify", NULL};
    char *out = NULL, *err = NULL;
    int rc = vigil_cli(s, NULL, verb, NULL, &out, &err);
    if (rc != 0)
        fprintf(stderr, "audit verify failed (%d): %s%s\n", rc, out ? out : "", err ? err : "");
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

static json_int_t new_case(struct server *s, const char *tok)
{
    struct http_resp r;
    http_request(s, "POST", "/api/v1/cases", tok,
                 "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
    check_status(&r, 201);
    json_int_t id = json_int(check_json(&r), "id");
    http_free(&r);
    return id;
}

/* (a) A session made on A is valid on B; ending it on B ends it on A. */
static void test_session_shared(void **state)
{
    (void)state;
    char *tok = login(&srv_a, "investigator");
    assert_non_null(tok);
    struct http_resp r;
    http_get(&srv_b, "/api/v1/session", tok, &r);
    check_status(&r, 200);
    json_t *u = json_object_get(check_json(&r), "user");
    assert_string_equal(json_str(u, "username"), "investigator");
    http_free(&r);

    json_int_t id = new_case(&srv_a, tok);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    http_get(&srv_b, path, tok, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "id"), id);
    http_free(&r);

    http_request(&srv_b, "DELETE", "/api/v1/session", tok, NULL, NULL, &r);
    check_status(&r, 204);
    http_free(&r);
    http_get(&srv_a, "/api/v1/session", tok, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    http_get(&srv_a, path, tok, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    http_get(&srv_b, "/api/v1/session", tok, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    free(tok);
}

/* Login throttling lives in the database: failures on A count on B. */
static void test_throttle_shared(void **state)
{
    (void)state;
    struct http_resp r;
    login_as(&srv_a, "auditor", "not-the-password-1", &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    login_as(&srv_a, "auditor", "not-the-password-2", &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    login_as(&srv_b, "auditor", "not-the-password-3", &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    /* The fourth attempt is refused on either server, even with the password. */
    char buf[32];
    login_as(&srv_b, "auditor", DEMO_PASSWORD, &r);
    check_error(&r, 429, NULL);
    assert_non_null(http_header(&r, "Retry-After", buf, sizeof buf));
    http_free(&r);
    login_as(&srv_a, "auditor", DEMO_PASSWORD, &r);
    check_error(&r, 429, NULL);
    http_free(&r);
    /* Another account is not affected. */
    char *tok = login(&srv_b, "secretariat");
    assert_non_null(tok);
    free(tok);
}

struct guess_job {
    struct server *s;
    pthread_barrier_t *start;
    long status;
};

static void *guess_main(void *ud)
{
    struct guess_job *j = ud;
    struct http_resp r;
    pthread_barrier_wait(j->start);
    j->status = login_as(j->s, "inspector", "a-wrong-guess", &r);
    http_free(&r);
    return NULL;
}

/* Parallel guesses through both servers: the limit holds. Each attempt is
 * counted before its password is checked, so no more than the limit (3)
 * are checked at all; the rest get 429. */
static void test_throttle_parallel(void **state)
{
    (void)state;
    enum { N_GUESS = 16 };
    struct guess_job jobs[N_GUESS];
    pthread_t th[N_GUESS];
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, N_GUESS), 0);
    for (int i = 0; i < N_GUESS; i++) {
        jobs[i] = (struct guess_job){i % 2 ? &srv_b : &srv_a, &start, 0};
        assert_int_equal(pthread_create(&th[i], NULL, guess_main, &jobs[i]), 0);
    }
    int checked = 0, throttled = 0;
    for (int i = 0; i < N_GUESS; i++) {
        pthread_join(th[i], NULL);
        checked += jobs[i].status == 401;
        throttled += jobs[i].status == 429;
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(checked + throttled, N_GUESS);
    assert_true(checked <= 3);
    assert_true(throttled >= N_GUESS - 3);
}

struct patch_job {
    struct server *s;
    const char *tok;
    const char *path;
    int n;        /* which job: picks the body */
    long version; /* the If-Match version */
    pthread_barrier_t *start;
    long status;
    char body[256];
};

static const char *const stages[] = {"screening", "protection", "investigation", "prosecution"};

static void *patch_main(void *ud)
{
    struct patch_job *j = ud;
    char body[96], hdr0[48];
    snprintf(body, sizeof body, "{\"stage\":\"%s\"}", stages[j->n % 4]);
    snprintf(hdr0, sizeof hdr0, "If-Match: \"%ld\"", j->version);
    const char *const hdr[] = {hdr0, NULL};
    struct http_resp r;
    pthread_barrier_wait(j->start);
    j->status = http_request(j->s, "PATCH", j->path, j->tok, body, hdr, &r);
    snprintf(j->body, sizeof j->body, "%s", r.body ? r.body : r.err);
    http_free(&r);
    return NULL;
}

/* (b) N PATCHes with the same If-Match through both servers at once: exactly
 * one wins, the others get 409; a few rounds, one version each. */
static void test_patch_race(void **state)
{
    (void)state;
    char *tok = login(&srv_a, "investigator");
    assert_non_null(tok);
    json_int_t id = new_case(&srv_a, tok);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    struct http_resp r;
    http_get(&srv_b, path, tok, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "version"), 1);
    http_free(&r);

    for (long version = 1; version <= N_ROUNDS; version++) {
        pthread_barrier_t start;
        assert_int_equal(pthread_barrier_init(&start, NULL, N_PATCH), 0);
        struct patch_job jobs[N_PATCH];
        pthread_t th[N_PATCH];
        for (int i = 0; i < N_PATCH; i++) {
            jobs[i] = (struct patch_job){
                i % 2 ? &srv_b : &srv_a, tok, path, i + (int)version, version, &start, 0, ""};
            assert_int_equal(pthread_create(&th[i], NULL, patch_main, &jobs[i]), 0);
        }
        for (int i = 0; i < N_PATCH; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&start);
        int ok = 0, conflict = 0, winner = -1;
        for (int i = 0; i < N_PATCH; i++) {
            if (jobs[i].status == 200) {
                ok++;
                winner = jobs[i].n;
            } else if (jobs[i].status == 409) {
                conflict++;
            } else {
                print_error("PATCH %d on server %c: %ld %s\n", i, i % 2 ? 'B' : 'A', jobs[i].status,
                            jobs[i].body);
            }
        }
        if (ok != 1)
            print_error("%d PATCHes with If-Match \"%ld\" answered 200\n", ok, version);
        assert_int_equal(ok, 1);
        assert_int_equal(conflict, N_PATCH - 1);

        /* Both servers show the winner's change, once. */
        for (int k = 0; k < 2; k++) {
            http_get(k ? &srv_b : &srv_a, path, tok, &r);
            check_status(&r, 200);
            assert_int_equal(json_int(check_json(&r), "version"), version + 1);
            assert_string_equal(json_str(r.json, "stage"), stages[winner % 4]);
            http_free(&r);
        }
    }
    free(tok);
}

struct write_job {
    struct server *s;
    const char *tok;
    int acked;                     /* acknowledged writes (201s) */
    json_int_t ids[WRITES_PER_TH]; /* acknowledged cases */
    char refs[WRITES_PER_TH][24];
    int ncases;
    int failures; /* answers other than 201 */
    char last_error[256];
};

static void *write_main(void *ud)
{
    struct write_job *j = ud;
    for (int i = 0; i < WRITES_PER_TH; i++) {
        struct http_resp r;
        http_request(j->s, "POST", "/api/v1/cases", j->tok,
                     "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
        json_t *id = json_object_get(r.json, "id");
        const char *ref = json_string_value(json_object_get(r.json, "reference"));
        if (r.status != 201 || !json_is_integer(id) || !ref) {
            j->failures++;
            snprintf(j->last_error, sizeof j->last_error, "POST case: %ld %.200s", r.status,
                     r.body && *r.body ? r.body : r.err);
            http_free(&r);
            continue;
        }
        j->acked++;
        json_int_t cid = json_integer_value(id);
        j->ids[j->ncases] = cid;
        snprintf(j->refs[j->ncases], sizeof j->refs[0], "%s", ref);
        j->ncases++;
        http_free(&r);

        char path[96];
        snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)cid);
        http_request(j->s, "POST", path, j->tok, "{\"text\":\"Written by a concurrent writer.\"}",
                     NULL, &r);
        if (r.status == 201) {
            j->acked++;
        } else {
            j->failures++;
            snprintf(j->last_error, sizeof j->last_error, "POST note: %ld %.200s", r.status,
                     r.body && *r.body ? r.body : r.err);
        }
        http_free(&r);
    }
    return NULL;
}

/* Whether the newline-separated list holds the line want. */
static int has_line(const char *list, const char *want)
{
    size_t n = strlen(want);
    for (const char *p = list; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len == n && strncmp(p, want, n) == 0)
            return 1;
        p = eol ? eol + 1 : NULL;
    }
    return 0;
}

/* (c) Writers on both servers at once; then the chain verifies offline. */
static void test_concurrent_writers(void **state)
{
    (void)state;
    char *tok_a = login(&srv_a, "investigator");
    char *tok_b = login(&srv_b, "police");
    assert_non_null(tok_a);
    assert_non_null(tok_b);
    long before = audit_count(&srv_a);

    struct write_job jobs[2 * N_WRITERS];
    pthread_t th[2 * N_WRITERS];
    for (int i = 0; i < 2 * N_WRITERS; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].s = i % 2 ? &srv_b : &srv_a;
        jobs[i].tok = i % 2 ? tok_b : tok_a;
        assert_int_equal(pthread_create(&th[i], NULL, write_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 2 * N_WRITERS; i++)
        pthread_join(th[i], NULL);
    int acked = 0, failures = 0;
    for (int i = 0; i < 2 * N_WRITERS; i++) {
        acked += jobs[i].acked;
        failures += jobs[i].failures;
        if (jobs[i].failures)
            print_error("writer %d (server %c): %d failed; last: %s\n", i, i % 2 ? 'B' : 'A',
                        jobs[i].failures, jobs[i].last_error);
    }
    assert_int_equal(failures, 0);
    assert_int_equal(acked, 2 * N_WRITERS * WRITES_PER_TH * 2);
    free(tok_a);
    free(tok_b);

    assert_int_equal(server_stop(&srv_b), 0);
    assert_int_equal(server_stop(&srv_a), 0);
    /* One audit entry per acknowledged write (case.create, note.create). */
    long after = audit_count(&srv_a);
    assert_int_equal(after, before + acked);

    /* Every acknowledged case is in the database, under its reference, and
     * the references are distinct. */
    char *ids = NULL, *refs = NULL;
    assert_int_equal(db_sql(&srv_a, srv_a.db, "SELECT id || ' ' || reference FROM cases", &ids), 0);
    assert_int_equal(db_sql(&srv_a, srv_a.db,
                            "SELECT count(*) FROM (SELECT reference FROM cases "
                            "GROUP BY reference HAVING count(*) > 1) d",
                            &refs),
                     0);
    assert_int_equal(strtol(refs, NULL, 10), 0);
    int seen = 0;
    for (int i = 0; i < 2 * N_WRITERS; i++) {
        for (int k = 0; k < jobs[i].ncases; k++) {
            char line[64];
            snprintf(line, sizeof line, "%lld %s", (long long)jobs[i].ids[k], jobs[i].refs[k]);
            if (!has_line(ids, line))
                print_error("acknowledged case %s is not in the database\n", line);
            assert_true(has_line(ids, line));
            for (int i2 = 0; i2 <= i; i2++)
                for (int k2 = 0; k2 < (i2 == i ? k : jobs[i2].ncases); k2++)
                    assert_string_not_equal(jobs[i2].refs[k2], jobs[i].refs[k]);
            seen++;
        }
    }
    assert_int_equal(seen, 2 * N_WRITERS * WRITES_PER_TH);
    free(ids);
    free(refs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_shared),     cmocka_unit_test(test_throttle_shared),
        cmocka_unit_test(test_patch_race),         cmocka_unit_test(test_throttle_parallel),
        cmocka_unit_test(test_concurrent_writers), /* stops the servers: keep it last */
    };
    printf("test_cluster: two servers on %s\n",
           getenv("VIGIL_TEST_PG_URI") && *getenv("VIGIL_TEST_PG_URI") ? "one PostgreSQL database"
                                                                       : "one SQLite file");
    return cmocka_run_group_tests(tests, setup, teardown);
}
