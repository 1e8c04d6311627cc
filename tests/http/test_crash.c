/*
 * Crash safety (the reliability issue): a writer streams case creates, notes
 * and versioned patches at a running `vigil serve` while the test kills the
 * server with SIGKILL at 100 random moments (seeded; the seed is printed and
 * VIGIL_CRASH_SEED replays it). After each kill the database must pass its
 * integrity check and `vigil audit verify`, and once restarted on the same
 * database every write whose 2xx answer reached the client must read back
 * over HTTP. On PostgreSQL it is vigil that is killed, not the database.
 *
 * Then `vigil import` is killed mid-file, for HTCDS and for CTDC. What the
 * code defines (src/share/exchange.c; docs/security.md "Crash safety"):
 * an HTCDS import commits record by record (a case or person with its audit
 * entry, or nothing), so a kill leaves a prefix of whole records; a CTDC
 * import commits its statistical records in batches of 5000 and marks the
 * dataset finished (rows_read, the import.ctdc audit entry) only at the end,
 * so a kill leaves whole batches in a dataset that is visibly unfinished.
 * Neither resumes: running the import again starts from the first row.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http/harness.h"
#include "store/store.h"

#define KILLS     100
#define MAX_CASES 8192
#define MAX_NOTES 32768
#define MAX_PEND  8

static struct server srv;
static char *tok;

/* What the client knows of a case it created. */
struct kase {
    json_int_t id;
    json_int_t version;         /* the last version a 2xx answer (or a GET) showed */
    char place[24];             /* place_of_exploitation at that version ("" none) */
    char pending[MAX_PEND][24]; /* patches sent since, without an answer */
    int npending;
    int round; /* the last round that wrote to it */
};

struct note {
    int kase; /* index into cases */
    json_int_t id;
    char text[40];
};

static struct kase cases[MAX_CASES];
static int ncases;
static int cur_round;
static struct note notes[MAX_NOTES];
static int nnotes;

/* The tally of the writer's requests. */
static struct {
    long creates, notes, patches, conflicts, refreshes, unanswered;
    long unexpected; /* answers other than the expected 2xx or 409 */
    char first_unexpected[512];
} tally;

/* xorshift64*: a reproducible stream of random numbers from the seed. */
static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 2685821657736338717ULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void unexpected(const char *what, const struct http_resp *r)
{
    if (!tally.unexpected++)
        snprintf(tally.first_unexpected, sizeof tally.first_unexpected, "%s: %ld %.400s", what,
                 r->status, r->body ? r->body : "");
}

/* Refresh a case's known state with a GET (after a 409: a patch whose
 * answer was lost to a kill may have committed). 0, or -1 when the server
 * did not answer. */
static int refresh(struct kase *k)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)k->id);
    struct http_resp r;
    http_get(&srv, path, tok, &r);
    int rc = 0;
    if (r.status == 0) {
        rc = -1;
    } else if (r.status != 200 || !r.json) {
        unexpected("GET case", &r);
    } else {
        const char *place = json_string_value(json_object_get(r.json, "place_of_exploitation"));
        json_int_t v = json_integer_value(json_object_get(r.json, "version"));
        /* The GET shows what is committed; the client may rely on it. */
        k->version = v;
        snprintf(k->place, sizeof k->place, "%s", place ? place : "");
        k->npending = 0;
        tally.refreshes++;
    }
    http_free(&r);
    return rc;
}

/* One write; -1 once the server no longer answers. */
static int write_one(uint64_t *rng, long seq)
{
    unsigned pick = (unsigned)(rng_next(rng) % 10);
    struct http_resp r;
    if (ncases < 4 || (pick < 3 && ncases < MAX_CASES)) {
        http_request(&srv, "POST", "/api/v1/cases", tok,
                     "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
        if (r.status == 0) {
            http_free(&r);
            return -1;
        }
        json_int_t id = json_integer_value(json_object_get(r.json, "id"));
        if (r.status == 201 && id > 0) {
            struct kase *k = &cases[ncases++];
            memset(k, 0, sizeof *k);
            k->id = id;
            k->version = json_integer_value(json_object_get(r.json, "version"));
            k->round = cur_round;
            tally.creates++;
        } else {
            unexpected("POST case", &r);
        }
        http_free(&r);
        return 0;
    }
    int ki = (int)(rng_next(rng) % (uint64_t)ncases);
    struct kase *k = &cases[ki];
    char path[96], body[128];
    if (pick < 7 && nnotes < MAX_NOTES) {
        struct note *n = &notes[nnotes];
        snprintf(n->text, sizeof n->text, "crash drill note %ld", seq);
        snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)k->id);
        snprintf(body, sizeof body, "{\"text\":\"%s\"}", n->text);
        http_request(&srv, "POST", path, tok, body, NULL, &r);
        if (r.status == 0) {
            http_free(&r);
            return -1;
        }
        json_int_t id = json_integer_value(json_object_get(r.json, "id"));
        if (r.status == 201 && id > 0) {
            n->kase = ki;
            n->id = id;
            nnotes++;
            tally.notes++;
        } else {
            unexpected("POST note", &r);
        }
        http_free(&r);
        return 0;
    }
    char place[24], ifm[48];
    snprintf(place, sizeof place, "p-%ld", seq);
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)k->id);
    snprintf(body, sizeof body, "{\"place_of_exploitation\":\"%s\"}", place);
    snprintf(ifm, sizeof ifm, "If-Match: \"%lld\"", (long long)k->version);
    const char *const hdr[] = {ifm, NULL};
    k->round = cur_round;
    if (k->npending < MAX_PEND)
        snprintf(k->pending[k->npending++], sizeof k->pending[0], "%s", place);
    http_request(&srv, "PATCH", path, tok, body, hdr, &r);
    long st = r.status;
    if (st == 200) {
        k->version = json_integer_value(json_object_get(r.json, "version"));
        snprintf(k->place, sizeof k->place, "%s", place);
        k->npending = 0;
        tally.patches++;
    } else if (st == 409) {
        tally.conflicts++; /* not an error: our picture of the case was stale */
    } else if (st != 0) {
        unexpected("PATCH case", &r);
    }
    http_free(&r);
    if (st == 0)
        return -1;
    if (st == 409)
        return refresh(k);
    return 0;
}

struct burst {
    uint64_t rng;
    long seq;
};

/* The writer: writes until the server stops answering. */
static void *writer(void *arg)
{
    struct burst *b = arg;
    while (write_one(&b->rng, b->seq++) == 0)
        ;
    tally.unanswered++;
    return NULL;
}

/* The database passes its integrity check and `vigil audit verify`. */
static void check_database(int round)
{
    struct store *st = NULL;
    char err[512];
    if (store_open(srv.db, &st, err, sizeof err)) {
        print_error("round %d: cannot open the database: %s\n", round, err);
        fail();
    }
    int rc = store_integrity(st, err, sizeof err);
    if (rc)
        print_error("round %d: integrity check failed: %s\n", round, err);
    store_close(st);
    assert_int_equal(rc, 0);
    static const char *const verify[] = {"audit", "verify", NULL};
    char *out = NULL, *e = NULL;
    rc = vigil_cli(&srv, NULL, verify, NULL, &out, &e);
    if (rc != 0)
        print_error("round %d: audit verify: %s%s\n", round, out ? out : "", e ? e : "");
    free(out);
    free(e);
    assert_int_equal(rc, 0);
}

/* Every answered write to the cases written in round (all when round is 0)
 * and to notes [nfrom, nnotes) is there; a case shows its last answered
 * patch or a later one that was sent. */
static void check_writes(int round, int nfrom)
{
    for (int i = 0; i < ncases; i++) {
        struct kase *k = &cases[i];
        if (round && k->round != round)
            continue;
        char path[64];
        snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)k->id);
        struct http_resp r;
        http_get(&srv, path, tok, &r);
        if (r.status != 200)
            print_error("round %d: case %lld lost\n", round, (long long)k->id);
        check_status(&r, 200);
        json_t *j = check_json(&r);
        json_int_t v = json_int(j, "version");
        const char *place = json_string_value(json_object_get(j, "place_of_exploitation"));
        place = place ? place : "";
        int ok = v >= k->version;
        if (ok && strcmp(place, k->place) != 0) {
            ok = v > k->version;
            int sent = 0;
            for (int p = 0; p < k->npending; p++)
                sent |= strcmp(place, k->pending[p]) == 0;
            ok = ok && sent;
        }
        if (!ok)
            print_error("round %d: case %lld is at version %lld '%s'; the client was answered "
                        "version %lld '%s'\n",
                        round, (long long)k->id, (long long)v, place, (long long)k->version,
                        k->place);
        assert_true(ok);
        http_free(&r);
    }
    /* notes, case by case */
    int last = -1;
    struct http_resp r = {0};
    for (int i = nfrom; i < nnotes; i++) {
        struct note *n = &notes[i];
        if (n->kase != last) {
            http_free(&r);
            char path[96];
            snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)cases[n->kase].id);
            http_get(&srv, path, tok, &r);
            check_status(&r, 200);
            last = n->kase;
        }
        json_t *items = json_object_get(check_json(&r), "items");
        size_t at;
        json_t *x;
        int found = 0;
        json_array_foreach(items, at, x)
        {
            const char *text = json_string_value(json_object_get(x, "text"));
            found |= json_integer_value(json_object_get(x, "id")) == n->id && text &&
                     strcmp(text, n->text) == 0;
        }
        if (!found)
            print_error("round %d: note %lld on case %lld lost\n", round, (long long)n->id,
                        (long long)cases[n->kase].id);
        assert_true(found);
    }
    http_free(&r);
}

static int cmp_note(const void *a, const void *b)
{
    const struct note *x = a, *y = b;
    return x->kase < y->kase ? -1 : x->kase > y->kase;
}

static void test_kill_during_writes(void **state)
{
    (void)state;
    uint64_t seed;
    const char *env = getenv("VIGIL_CRASH_SEED");
    if (env && *env)
        seed = strtoull(env, NULL, 0);
    else
        seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    if (!seed)
        seed = 1;
    printf("crash drill: seed %" PRIu64 " (VIGIL_CRASH_SEED=%" PRIu64 " replays the kill times)\n",
           seed, seed);
    uint64_t rng = seed;
    long seq = 0;
    for (int round = 1; round <= KILLS; round++) {
        int nfrom = nnotes;
        cur_round = round;
        struct burst b = {rng_next(&rng) | 1, seq};
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, writer, &b), 0);
        /* A random moment in the stream: 5 to 300 ms into the burst. */
        sleep_ms(5 + (long)(rng_next(&rng) % 296));
        assert_int_equal(server_kill(&srv), 0);
        pthread_join(t, NULL);
        seq = b.seq;
        check_database(round);
        assert_int_equal(server_spawn(&srv), 0);
        /* The writes of this burst. */
        check_writes(round, nfrom);
        if (tally.unexpected)
            print_error("unexpected answer: %s\n", tally.first_unexpected);
        assert_int_equal(tally.unexpected, 0);
    }
    /* Everything once more at the end, notes grouped by case. */
    qsort(notes, (size_t)nnotes, sizeof notes[0], cmp_note);
    check_writes(0, 0);
    check_healthy(&srv);
    printf("crash drill: %d kills; answered writes: %ld case creates, %ld notes, %ld patches; "
           "%ld stale-version 409s (refreshed), %ld writes cut off by a kill; all present\n",
           KILLS, tally.creates, tally.notes, tally.patches, tally.conflicts, tally.unanswered);
    assert_true(tally.creates > 0 && tally.notes > 0 && tally.patches > 0);
}

/* ---- imports killed mid-file ----------------------------------------- */

/* A count from an SQL query on the server's database; -1 on failure. */
static long sql_count(const char *sql)
{
    char *out = NULL;
    long n = -1;
    if (db_sql(&srv, srv.db, sql, &out) == 0 && out) {
        char *end;
        n = strtol(out, &end, 10);
        if (end == out)
            n = -1;
    }
    free(out);
    return n;
}

/* Start `vigil import ARGS…` in the background; its pid. */
static pid_t start_import(const char *const args[])
{
    const char *bin = getenv("VIGIL_BIN");
    const char *argv[24];
    int n = 0;
    argv[n++] = bin && *bin ? bin : "build/vigil";
    argv[n++] = "import";
    argv[n++] = "--db";
    argv[n++] = srv.db;
    argv[n++] = "--key";
    argv[n++] = srv.key;
    for (int i = 0; args[i] && n < 23; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Poll sql until it counts at least want, then SIGKILL pid. 0 when the
 * import was killed while still running; -1 when it ended first. */
static int kill_when(pid_t pid, const char *sql, long want, long *seen)
{
    int st;
    for (;;) {
        long n = sql_count(sql);
        if (n >= want) {
            *seen = n;
            break;
        }
        if (waitpid(pid, &st, WNOHANG) == pid) {
            *seen = n;
            return -1;
        }
        sleep_ms(2);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : -1;
}

static void test_kill_import(void **state)
{
    (void)state;
    server_stop(&srv); /* the CLI works on the database alone */
    char path[600];

    /* HTCDS: 200 000 records, two per case_ref (a victim and a suspect). */
    snprintf(path, sizeof path, "%s/big-htcds.csv", srv.dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("case_ref,con_Consent,category,source,role,prs_FirstName,prs_SecondName,prs_Gender,"
          "prs_Citizenship\n",
          f);
    for (long i = 0; i < 200000; i++)
        fprintf(f, "r%ld,TRUE,trafficking,international,%s,Ana%ld,Lee,%s,PH\n", i / 2,
                i % 2 ? "suspect" : "victim", i, i % 2 ? "Masculine" : "Feminine");
    assert_int_equal(fclose(f), 0);
    long cases0 = sql_count("SELECT count(*) FROM cases");
    long persons0 = sql_count("SELECT count(*) FROM persons");
    assert_true(cases0 > 0 && persons0 > 0);
    const char *const h_args[] = {"--format", "htcds", "--agency", "PJ", path, NULL};
    pid_t pid = start_import(h_args);
    assert_true(pid > 0);
    long seen = 0;
    int killed =
        kill_when(pid, "SELECT count(*) FROM audit WHERE action = 'import.person'", 300, &seen);
    if (killed)
        print_error("the HTCDS import ended before it could be killed (%ld records seen)\n", seen);
    assert_int_equal(killed, 0);
    check_database(0);
    /* A prefix of whole records: each case and person came with its audit entry. */
    long icases = sql_count("SELECT count(*) FROM audit WHERE action = 'import.case'");
    long ipersons = sql_count("SELECT count(*) FROM audit WHERE action = 'import.person'");
    long cases1 = sql_count("SELECT count(*) FROM cases");
    long persons1 = sql_count("SELECT count(*) FROM persons");
    printf("HTCDS import killed after %ld of 200000 records: %ld cases, %ld persons committed\n",
           ipersons, icases, ipersons);
    assert_true(ipersons >= 300 && ipersons < 200000);
    assert_int_equal(cases1 - cases0, icases);
    assert_int_equal(persons1 - persons0, ipersons);
    /* Two records per case_ref: every case has its victim, and at most the
     * last case lacks its suspect. */
    assert_true(icases == (ipersons + 1) / 2);

    /* CTDC: 400 000 rows, committed 5000 at a time. */
    snprintf(path, sizeof path, "%s/big-ctdc.csv", srv.dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("terms;yearOfRegistration;gender;citizenship;ageBroad\n", f);
    for (long i = 0; i < 400000; i++)
        fprintf(f, ";%ld;%s;PH;%ld\n", 2010 + i % 12, i % 3 ? "Female" : "Male", i % 7);
    assert_int_equal(fclose(f), 0);
    long audit0 = sql_count("SELECT count(*) FROM audit");
    const char *const c_args[] = {"--format", "ctdc", path, NULL};
    pid = start_import(c_args);
    assert_true(pid > 0);
    killed = kill_when(pid, "SELECT count(*) FROM stat_records", 5000, &seen);
    if (killed)
        print_error("the CTDC import ended before it could be killed (%ld rows seen)\n", seen);
    assert_int_equal(killed, 0);
    check_database(0);
    long recs = sql_count("SELECT count(*) FROM stat_records");
    printf("CTDC import killed after %ld of 400000 rows were committed\n", recs);
    assert_true(recs >= 5000 && recs < 400000);
    assert_int_equal(recs % 5000, 0); /* whole batches only */
    /* The dataset is visibly unfinished: no row counts, no import.ctdc entry. */
    assert_int_equal(sql_count("SELECT count(*) FROM datasets"), 1);
    assert_int_equal(sql_count("SELECT rows_read FROM datasets"), 0);
    assert_int_equal(sql_count("SELECT count(*) FROM audit WHERE action = 'import.ctdc'"), 0);
    assert_int_equal(sql_count("SELECT count(*) FROM audit"), audit0);

    /* The server comes back over what the imports left. */
    assert_int_equal(server_spawn(&srv), 0);
    check_healthy(&srv);
}

static int setup(void **state)
{
    (void)state;
    if (server_start(&srv, NULL))
        return -1;
    tok = login(&srv, "investigator");
    return tok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tok);
    server_cleanup(&srv);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_during_writes),
        cmocka_unit_test(test_kill_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
