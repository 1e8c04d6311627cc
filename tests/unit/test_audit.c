/*
 * Unit tests for the hash-chained audit log (src/audit/audit.c) over a
 * temporary SQLite store: appending, verifying, and detecting entries that
 * were changed, deleted, swapped or rehashed behind the store's back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "audit/audit.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "util/err.h"

#define NENTRIES 5
#define ZEROS    "0000000000000000000000000000000000000000000000000000000000000000"

struct fx {
    char dir[64];
    char db[128];
    struct store *st;
};

/* Close the store and remove the temporary directory with its files. */
static int cleanup(struct fx *f)
{
    store_close(f->st);
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[160];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", f->db, suffix[i]);
        unlink(p);
    }
    int rc = rmdir(f->dir);
    free(f);
    return rc;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/vigil-test-audit-XXXXXX");
    if (crypto_init() != VIGIL_OK || !mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/audit.db", f->dir);
    char err[256];
    if (store_open(f->db, &f->st, err, sizeof err)) {
        print_error("store_open: %s\n", err);
        f->st = NULL;
        cleanup(f);
        return -1;
    }
    if (store_migrate(f->st, NULL)) {
        print_error("store_migrate: %s\n", store_errmsg(f->st));
        cleanup(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* setup, then NENTRIES entries. */
static int setup_filled(void **state)
{
    if (setup(state))
        return -1;
    struct fx *f = *state;
    static const char *const actions[] = {"login", "case.create", "person.read", "case.update",
                                          "logout"};
    for (int i = 0; i < NENTRIES; i++) {
        char obj[32], detail[64];
        snprintf(obj, sizeof obj, "case:%d", 10 + i);
        snprintf(detail, sizeof detail, "fields=stage,cas_Status entry=%d", i + 1);
        if (audit_record(f->st, i + 1, i % 2 ? "bruno" : "ana", actions[i], obj, detail)) {
            print_error("audit_record: %s\n", store_errmsg(f->st));
            cleanup(f);
            return -1;
        }
    }
    return 0;
}

static int teardown(void **state)
{
    return cleanup(*state);
}

/* Run SQL on a second connection, as someone with the file would. */
static void tamper(struct fx *f, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        print_error("tamper: %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
    assert_true(sqlite3_changes(db) > 0);
    sqlite3_close(db);
}

static int verify(struct fx *f, int64_t *count, int64_t *bad, char *msg, size_t n)
{
    *count = -1;
    *bad = -1;
    return audit_verify(f->st, count, bad, msg, n);
}

static void expect_broken_at(struct fx *f, int64_t id)
{
    int64_t count, bad;
    char msg[256];
    assert_int_equal(verify(f, &count, &bad, msg, sizeof msg), VIGIL_ECORRUPT);
    if (bad != id)
        print_error("expected entry %lld to be named, got %lld: %s\n", (long long)id,
                    (long long)bad, msg);
    assert_true(bad == id);
    assert_true(count == id - 1); /* the entries before it are fine */
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)id);
    assert_non_null(strstr(msg, num));
}

/* The row with this id, read back through the store. */
struct grab {
    int64_t id;
    struct audit_row row;
    char username[64], action[64], object[64], detail[128];
};

static int grab_one(void *ctx, const struct audit_row *r)
{
    struct grab *g = ctx;
    if (r->id != g->id)
        return 0;
    g->row = *r;
    snprintf(g->username, sizeof g->username, "%s", r->username);
    snprintf(g->action, sizeof g->action, "%s", r->action);
    snprintf(g->object, sizeof g->object, "%s", r->object);
    snprintf(g->detail, sizeof g->detail, "%s", r->detail);
    g->row.username = g->username;
    g->row.action = g->action;
    g->row.object = g->object;
    g->row.detail = g->detail;
    return 1;
}

static void grab(struct fx *f, int64_t id, struct grab *g)
{
    memset(g, 0, sizeof *g);
    g->id = id;
    assert_int_equal(store_audit_scan(f->st, 0, 0, grab_one, g), 1);
}

/* ---- tests -------------------------------------------------------------- */

static void test_empty(void **state)
{
    struct fx *f = *state;
    int64_t count, bad;
    char msg[256];
    assert_int_equal(verify(f, &count, &bad, msg, sizeof msg), VIGIL_OK);
    assert_true(count == 0);
}

static void test_append_verify(void **state)
{
    struct fx *f = *state;
    int64_t count, bad;
    char msg[256];
    assert_int_equal(verify(f, &count, &bad, msg, sizeof msg), VIGIL_OK);
    assert_true(count == NENTRIES);
    /* Appending more keeps the chain whole. */
    assert_int_equal(audit_record(f->st, 0, NULL, "export", NULL, NULL), VIGIL_OK);
    assert_int_equal(store_begin(f->st), VIGIL_OK);
    assert_int_equal(audit_append(f->st, 1, "ana", "case.update", "case:1", "stage"), VIGIL_OK);
    assert_int_equal(audit_append(f->st, 1, "ana", "note.create", "case:1", ""), VIGIL_OK);
    assert_int_equal(store_commit(f->st), VIGIL_OK);
    assert_int_equal(verify(f, &count, &bad, msg, sizeof msg), VIGIL_OK);
    assert_true(count == NENTRIES + 3);
    /* count and bad_id may be left out. */
    assert_int_equal(audit_verify(f->st, NULL, NULL, msg, sizeof msg), VIGIL_OK);
}

static void test_chain_links(void **state)
{
    struct fx *f = *state;
    struct grab prev, cur;
    grab(f, 1, &prev);
    assert_string_equal(prev.row.prev_hash, ZEROS);
    assert_string_equal(prev.username, "ana");
    assert_string_equal(prev.action, "login");
    assert_string_equal(prev.object, "case:10");
    assert_true(prev.row.user_id == 1);
    for (int64_t id = 2; id <= NENTRIES; id++) {
        grab(f, id, &cur);
        assert_string_equal(cur.row.prev_hash, prev.row.hash);
        assert_int_equal(strlen(cur.row.hash), 64);
        assert_string_not_equal(cur.row.hash, prev.row.hash);
        char h[65];
        audit_hash(&cur.row, h);
        assert_string_equal(h, cur.row.hash);
        prev = cur;
        prev.row.username = prev.username; /* keep pointers into prev's own copy */
        prev.row.action = prev.action;
        prev.row.object = prev.object;
        prev.row.detail = prev.detail;
    }
}

static void test_rolled_back(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->st), VIGIL_OK);
    assert_int_equal(audit_append(f->st, 1, "ana", "case.create", "case:99", ""), VIGIL_OK);
    store_rollback(f->st);
    int64_t count, bad;
    char msg[256];
    assert_int_equal(verify(f, &count, &bad, msg, sizeof msg), VIGIL_OK);
    assert_true(count == NENTRIES);
    /* The next entry takes the place the rolled-back one would have had. */
    assert_int_equal(audit_record(f->st, 1, "ana", "case.create", "case:99", ""), VIGIL_OK);
    assert_int_equal(verify(f, &count, &bad, msg, sizeof msg), VIGIL_OK);
    assert_true(count == NENTRIES + 1);
}

static void test_tamper_detail(void **state)
{
    struct fx *f = *state;
    tamper(f, "UPDATE audit SET detail = 'fields=nothing' WHERE id = 3");
    expect_broken_at(f, 3);
}

static void test_tamper_fields(void **state)
{
    struct fx *f = *state;
    /* Each column on its own breaks the entry it is in. */
    static const char *const sql[] = {
        "UPDATE audit SET at = at + 1 WHERE id = 4",
        "UPDATE audit SET user_id = 77 WHERE id = 4",
        "UPDATE audit SET user_id = NULL WHERE id = 4",
        "UPDATE audit SET username = 'mallory' WHERE id = 4",
        "UPDATE audit SET action = 'login' WHERE id = 4",
        "UPDATE audit SET object = 'case:1' WHERE id = 4",
        "UPDATE audit SET hash = '" ZEROS "' WHERE id = 4",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        struct grab g;
        grab(f, 4, &g);
        tamper(f, sql[i]);
        expect_broken_at(f, 4);
        /* Put it back exactly, and the chain is whole again. */
        char restore[1024];
        snprintf(restore, sizeof restore,
                 "UPDATE audit SET at = %lld, user_id = %lld, username = '%s', action = '%s', "
                 "object = '%s', detail = '%s', prev_hash = '%s', hash = '%s' WHERE id = 4",
                 (long long)g.row.at, (long long)g.row.user_id, g.username, g.action, g.object,
                 g.detail, g.row.prev_hash, g.row.hash);
        tamper(f, restore);
        int64_t count, bad;
        char msg[256];
        assert_int_equal(verify(f, &count, &bad, msg, sizeof msg), VIGIL_OK);
        assert_true(count == NENTRIES);
    }
}

static void test_tamper_rehash(void **state)
{
    struct fx *f = *state;
    /* Someone who changes an entry and recomputes its hash still breaks the
     * link to the next entry. */
    struct grab g;
    grab(f, 2, &g);
    g.row.detail = "fields=nothing";
    char h[65];
    audit_hash(&g.row, h);
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE audit SET detail = 'fields=nothing', hash = '%s' "
             "WHERE id = 2",
             h);
    tamper(f, sql);
    expect_broken_at(f, 3);
}

static void test_delete_middle(void **state)
{
    struct fx *f = *state;
    tamper(f, "DELETE FROM audit WHERE id = 3");
    expect_broken_at(f, 3);
}

static void test_delete_first(void **state)
{
    struct fx *f = *state;
    tamper(f, "DELETE FROM audit WHERE id = 1");
    expect_broken_at(f, 1);
}

static void test_delete_and_renumber(void **state)
{
    struct fx *f = *state;
    /* Closing the gap does not hide a deletion. */
    tamper(f, "DELETE FROM audit WHERE id = 2; UPDATE audit SET id = id - 1 WHERE id > 2");
    expect_broken_at(f, 2);
}

static void test_swap(void **state)
{
    struct fx *f = *state;
    tamper(f, "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE id IN (2, 3);"
              "UPDATE audit SET (at, user_id, username, action, object, detail, prev_hash, hash)"
              " = (SELECT at, user_id, username, action, object, detail, prev_hash, hash FROM t"
              " WHERE t.id = 5 - audit.id) WHERE id IN (2, 3);");
    struct grab g2;
    grab(f, 2, &g2);
    assert_string_equal(g2.action, "person.read"); /* the swap happened */
    expect_broken_at(f, 2);
}

static void test_insert_forged(void **state)
{
    struct fx *f = *state;
    /* A forged entry in the middle, with a made-up hash. */
    tamper(f, "UPDATE audit SET id = -id WHERE id >= 3; UPDATE audit SET id = 1 - id WHERE id < 0");
    tamper(f, "INSERT INTO audit(id, at, user_id, username, action, object, detail, prev_hash,"
              " hash) SELECT 3, at, user_id, username, 'login', object, detail, hash, hash FROM"
              " audit WHERE id = 2");
    expect_broken_at(f, 3);
}

static void test_hash_fields(void **state)
{
    (void)state;
    struct audit_row base = {.id = 7,
                             .at = 1700000000,
                             .user_id = 3,
                             .username = "ana",
                             .action = "case.update",
                             .object = "case:42",
                             .detail = "stage"};
    snprintf(base.prev_hash, sizeof base.prev_hash, "%s", ZEROS);
    char h0[65], h1[65];
    audit_hash(&base, h0);
    assert_int_equal(strlen(h0), 64);
    for (int i = 0; i < 64; i++)
        assert_non_null(strchr("0123456789abcdef", h0[i]));
    audit_hash(&base, h1);
    assert_string_equal(h0, h1); /* deterministic */

    struct audit_row r;
#define CHANGED(stmt)                                                                              \
    do {                                                                                           \
        r = base;                                                                                  \
        stmt;                                                                                      \
        audit_hash(&r, h1);                                                                        \
        assert_string_not_equal(h0, h1);                                                           \
    } while (0)
    CHANGED(r.id = 8);
    CHANGED(r.at = 1700000001);
    CHANGED(r.user_id = 4);
    CHANGED(r.user_id = 0);
    CHANGED(r.username = "anb");
    CHANGED(r.username = "");
    CHANGED(r.action = "case.read");
    CHANGED(r.object = "case:43");
    CHANGED(r.detail = "stage ");
    CHANGED(r.detail = "");
    CHANGED(r.prev_hash[63] = '1');
    CHANGED(r.prev_hash[0] = 'f');
    /* Moving text from one field to its neighbour changes the hash too. */
    CHANGED((r.username = "an", r.action = "acase.update"));
    CHANGED((r.object = "case:4", r.detail = "2stage"));
#undef CHANGED
    /* The stored hash itself is not an input. */
    r = base;
    snprintf(r.hash, sizeof r.hash, "%s", "abc");
    audit_hash(&r, h1);
    assert_string_equal(h0, h1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_verify, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_chain_links, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_rolled_back, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_detail, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_fields, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_rehash, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_delete_middle, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_delete_first, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_delete_and_renumber, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_swap, setup_filled, teardown),
        cmocka_unit_test_setup_teardown(test_insert_forged, setup_filled, teardown),
        cmocka_unit_test(test_hash_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
