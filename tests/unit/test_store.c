/*
 * Unit tests for the store (src/store/) on a temporary SQLite file:
 * migrations, organisations, users, sessions, login throttling, cases and
 * their numbering, listing, visibility, persons, notes, referrals, backup
 * and transactions. Each test gets a fresh database.
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

#include <jansson.h>
#include <sqlite3.h>

#include "util/buf.h"
#include "util/jsontext.h"
#include "auth/policy.h"
#include "core/case.h"
#include "core/person.h"
#include "crypto/crypto.h"
#include "store/migrations.h"
#include "store/store.h"
#include "util/err.h"

struct fx {
    char dir[64];
    char db[128];
    char backup[128];
    struct store *st;
    int64_t org_a, org_b, org_c; /* PSP, IAS, DSAL */
    int64_t user_a, user_b;
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
        snprintf(p, sizeof p, "%s%s", f->backup, suffix[i]);
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
    snprintf(f->dir, sizeof f->dir, "/tmp/vigil-test-store-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/test.db", f->dir);
    snprintf(f->backup, sizeof f->backup, "%s/backup.db", f->dir);
    char err[256];
    if (store_open(f->db, &f->st, err, sizeof err) != VIGIL_OK) {
        print_error("store_open: %s\n", err);
        f->st = NULL;
        cleanup(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    return cleanup(*state);
}

static int64_t add_org(struct store *st, const char *code, const char *type, const char *en)
{
    struct org o;
    memset(&o, 0, sizeof o);
    snprintf(o.code, sizeof o.code, "%s", code);
    snprintf(o.type, sizeof o.type, "%s", type);
    snprintf(o.name_en, sizeof o.name_en, "%s", en);
    assert_int_equal(store_org_add(st, &o), VIGIL_OK);
    assert_true(o.id > 0);
    return o.id;
}

static int64_t add_user(struct store *st, const char *name, int role, int64_t org)
{
    struct user u;
    memset(&u, 0, sizeof u);
    snprintf(u.username, sizeof u.username, "%s", name);
    snprintf(u.pw_hash, sizeof u.pw_hash, "$argon2id$hash-of-%s", name);
    u.role = role;
    u.org_id = org;
    u.created_at = 1700000000;
    assert_int_equal(store_user_add(st, &u), VIGIL_OK);
    assert_true(u.id > 0);
    return u.id;
}

/* A migrated store with three organisations and a user in each of two. */
static int setup_full(void **state)
{
    if (setup(state))
        return -1;
    struct fx *f = *state;
    if (store_migrate(f->st, NULL) != VIGIL_OK) {
        print_error("store_migrate: %s\n", store_errmsg(f->st));
        cleanup(f);
        return -1;
    }
    f->org_a = add_org(f->st, "PSP", "LawEnforcement", "Public Security Police");
    f->org_b = add_org(f->st, "IAS", "GovernmentAgency", "Social Welfare Bureau");
    f->org_c = add_org(f->st, "DSAL", "GovernmentAgency", "Labour Affairs Bureau");
    f->user_a = add_user(f->st, "ana", ROLE_INVESTIGATOR, f->org_a);
    f->user_b = add_user(f->st, "bruno", ROLE_CASEWORKER, f->org_b);
    return 0;
}

static const char *sget(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t iget(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* Create a case as a validated, defaulted body would reach the store. */
static int64_t mk_case(struct fx *f, int64_t org, const char *opened, const char *category,
                       const char *source, const char *status, const char *stage, char ref[32])
{
    json_t *c = json_object();
    json_object_set_new(c, "category", json_string(category));
    json_object_set_new(c, "source", json_string(source));
    json_object_set_new(c, "opened_on", json_string(opened));
    if (status)
        json_object_set_new(c, "cas_Status", json_string(status));
    if (stage)
        json_object_set_new(c, "stage", json_string(stage));
    case_defaults(c, opened);
    json_t *out = NULL;
    assert_int_equal(
        store_case_create(f->st, c, org, org == f->org_b ? f->user_b : f->user_a, 1700000000, &out),
        VIGIL_OK);
    assert_non_null(out);
    int64_t id = iget(out, "id");
    assert_true(id > 0);
    if (ref)
        snprintf(ref, 32, "%s", sget(out, "reference"));
    json_decref(out);
    json_decref(c);
    return id;
}

/* ---- schema ------------------------------------------------------------- */

static void test_migrate(void **state)
{
    struct fx *f = *state;
    int n = 0, last = 0;
    for (const struct migration *m = store_migrations; m->name; m++) {
        n++;
        last = m->version;
    }
    assert_true(n >= 1);
    int v = -1;
    assert_int_equal(store_schema_version(f->st, &v), VIGIL_OK);
    assert_int_equal(v, 0);
    int applied = -1;
    assert_int_equal(store_migrate(f->st, &applied), VIGIL_OK);
    assert_int_equal(applied, n);
    assert_int_equal(store_schema_version(f->st, &v), VIGIL_OK);
    assert_int_equal(v, last);
    applied = -1;
    assert_int_equal(store_migrate(f->st, &applied), VIGIL_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(store_migrate(f->st, NULL), VIGIL_OK);
    assert_int_equal(store_ping(f->st), VIGIL_OK);
    assert_string_equal(store_kind(f->st), "sqlite");

    /* Reopening sees the same schema and applies nothing. */
    store_close(f->st);
    char err[256];
    assert_int_equal(store_open(f->db, &f->st, err, sizeof err), VIGIL_OK);
    applied = -1;
    assert_int_equal(store_migrate(f->st, &applied), VIGIL_OK);
    assert_int_equal(applied, 0);
}

static void test_open_bad_path(void **state)
{
    struct fx *f = *state;
    char p[200], err[256] = "";
    struct store *st = NULL;
    snprintf(p, sizeof p, "%s/no/such/dir/x.db", f->dir);
    assert_int_not_equal(store_open(p, &st, err, sizeof err), VIGIL_OK);
    assert_null(st);
    assert_true(strlen(err) > 0);
}

static void test_foreign_keys(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_migrate(f->st, NULL), VIGIL_OK);
    struct user u;
    memset(&u, 0, sizeof u);
    snprintf(u.username, sizeof u.username, "orphan");
    snprintf(u.pw_hash, sizeof u.pw_hash, "x");
    u.role = ROLE_ADMIN;
    u.org_id = 9999;
    assert_int_not_equal(store_user_add(f->st, &u), VIGIL_OK);
    assert_int_equal(store_user_by_name(f->st, "orphan", &u), VIGIL_ENOTFOUND);
    struct user *list = NULL;
    size_t n = 99;
    assert_int_equal(store_user_list(f->st, &list, &n), VIGIL_OK);
    assert_int_equal(n, 0);
    free(list);
    /* A note on a case that does not exist is refused too. */
    assert_int_not_equal(store_note_add(f->st, 12345, 0, "text", 1, NULL), VIGIL_OK);
}

/* ---- organisations and users -------------------------------------------- */

static void test_orgs(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_migrate(f->st, NULL), VIGIL_OK);
    struct org o;
    memset(&o, 0, sizeof o);
    snprintf(o.code, sizeof o.code, "PSP");
    snprintf(o.type, sizeof o.type, "LawEnforcement");
    snprintf(o.name_zh, sizeof o.name_zh,
             "\xe6\xb2\xbb\xe5\xae\x89\xe8\xad\xa6\xe5\xaf\x9f"
             "\xe5\xb1\x80"); /* 治安警察局 */
    snprintf(o.name_pt, sizeof o.name_pt,
             "Corpo de Pol\xc3\xad"
             "cia de Seguran\xc3\xa7"
             "a "
             "P\xc3\xba"
             "blica");
    snprintf(o.name_en, sizeof o.name_en, "Public Security Police");
    assert_int_equal(store_org_add(f->st, &o), VIGIL_OK);
    int64_t psp = o.id;
    int64_t ias = add_org(f->st, "IAS", "GovernmentAgency", "Social Welfare Bureau");
    int64_t dsal = add_org(f->st, "DSAL", "GovernmentAgency", "Labour Affairs Bureau");
    assert_true(psp != ias && ias != dsal && psp != dsal);

    struct org got;
    assert_int_equal(store_org_by_code(f->st, "PSP", &got), VIGIL_OK);
    assert_true(got.id == psp);
    assert_string_equal(got.code, "PSP");
    assert_string_equal(got.type, "LawEnforcement");
    assert_string_equal(got.name_zh, o.name_zh);
    assert_string_equal(got.name_pt, o.name_pt);
    assert_string_equal(got.name_en, o.name_en);
    assert_int_equal(store_org_by_id(f->st, ias, &got), VIGIL_OK);
    assert_string_equal(got.code, "IAS");
    assert_int_equal(store_org_by_code(f->st, "NOPE", &got), VIGIL_ENOTFOUND);
    assert_int_equal(store_org_by_code(f->st, "psp", &got), VIGIL_ENOTFOUND);
    assert_int_equal(store_org_by_id(f->st, 9999, &got), VIGIL_ENOTFOUND);

    /* Duplicate code. */
    struct org dup;
    memset(&dup, 0, sizeof dup);
    snprintf(dup.code, sizeof dup.code, "IAS");
    snprintf(dup.type, sizeof dup.type, "NGO");
    assert_int_equal(store_org_add(f->st, &dup), VIGIL_EEXIST);

    struct org *list = NULL;
    size_t n = 0;
    assert_int_equal(store_org_list(f->st, &list, &n), VIGIL_OK);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].code, "DSAL"); /* by code */
    assert_string_equal(list[1].code, "IAS");
    assert_string_equal(list[2].code, "PSP");
    assert_true(list[1].id == ias);
    assert_string_equal(list[1].type, "GovernmentAgency"); /* not the duplicate's */
    free(list);
}

static void test_users(void **state)
{
    struct fx *f = *state;
    struct user u;
    assert_int_equal(store_user_by_name(f->st, "ana", &u), VIGIL_OK);
    assert_true(u.id == f->user_a);
    assert_string_equal(u.username, "ana");
    assert_string_equal(u.pw_hash, "$argon2id$hash-of-ana");
    assert_int_equal(u.role, ROLE_INVESTIGATOR);
    assert_true(u.org_id == f->org_a);
    assert_string_equal(u.org_code, "PSP");
    assert_int_equal(u.disabled, 0);
    assert_true(u.created_at == 1700000000);
    struct user by_id;
    assert_int_equal(store_user_by_id(f->st, f->user_b, &by_id), VIGIL_OK);
    assert_string_equal(by_id.username, "bruno");
    assert_int_equal(by_id.role, ROLE_CASEWORKER);
    assert_string_equal(by_id.org_code, "IAS");
    assert_int_equal(store_user_by_name(f->st, "nobody", &u), VIGIL_ENOTFOUND);
    assert_int_equal(store_user_by_name(f->st, "Ana", &u), VIGIL_ENOTFOUND);
    assert_int_equal(store_user_by_id(f->st, 9999, &u), VIGIL_ENOTFOUND);

    /* Every role survives the round trip. */
    for (int r = 0; r < ROLE_COUNT; r++) {
        char name[32];
        snprintf(name, sizeof name, "role%d", r);
        add_user(f->st, name, r, f->org_c);
        assert_int_equal(store_user_by_name(f->st, name, &u), VIGIL_OK);
        assert_int_equal(u.role, r);
    }

    struct user dup;
    memset(&dup, 0, sizeof dup);
    snprintf(dup.username, sizeof dup.username, "ana");
    snprintf(dup.pw_hash, sizeof dup.pw_hash, "x");
    dup.org_id = f->org_b;
    assert_int_equal(store_user_add(f->st, &dup), VIGIL_EEXIST);

    struct user *list = NULL;
    size_t n = 0;
    assert_int_equal(store_user_list(f->st, &list, &n), VIGIL_OK);
    assert_int_equal(n, 2 + ROLE_COUNT);
    assert_string_equal(list[0].username, "ana"); /* by username */
    assert_string_equal(list[1].username, "bruno");
    assert_string_equal(list[2].username, "role0");
    free(list);

    assert_int_equal(store_user_set_disabled(f->st, "bruno", 1), VIGIL_OK);
    assert_int_equal(store_user_by_name(f->st, "bruno", &u), VIGIL_OK);
    assert_int_equal(u.disabled, 1);
    assert_int_equal(store_user_by_name(f->st, "ana", &u), VIGIL_OK);
    assert_int_equal(u.disabled, 0);
    assert_int_equal(store_user_set_disabled(f->st, "bruno", 0), VIGIL_OK);
    assert_int_equal(store_user_by_name(f->st, "bruno", &u), VIGIL_OK);
    assert_int_equal(u.disabled, 0);
    assert_int_equal(store_user_set_disabled(f->st, "nobody", 1), VIGIL_ENOTFOUND);
}

/* ---- sessions and throttling -------------------------------------------- */

static void test_sessions(void **state)
{
    struct fx *f = *state;
    char tok[44], hash[65], csrf[44];
    crypto_token(tok);
    crypto_hash_hex(tok, strlen(tok), hash);
    crypto_token(csrf);
    assert_int_equal(store_session_add(f->st, hash, f->user_a, csrf, 1000, 5000), VIGIL_OK);
    struct session s;
    memset(&s, 0, sizeof s);
    assert_int_equal(store_session_get(f->st, hash, &s), VIGIL_OK);
    assert_true(s.user.id == f->user_a);
    assert_string_equal(s.user.username, "ana");
    assert_string_equal(s.user.org_code, "PSP");
    assert_int_equal(s.user.role, ROLE_INVESTIGATOR);
    assert_string_equal(s.csrf, csrf);
    assert_true(s.created_at == 1000);
    assert_true(s.last_seen == 1000);
    assert_true(s.expires_at == 5000);
    /* Looked up by the hash, never by the token itself. */
    assert_int_equal(store_session_get(f->st, tok, &s), VIGIL_ENOTFOUND);

    assert_int_equal(store_session_touch(f->st, hash, 1500), VIGIL_OK);
    assert_int_equal(store_session_get(f->st, hash, &s), VIGIL_OK);
    assert_true(s.last_seen == 1500);
    assert_true(s.created_at == 1000);

    /* A second session, expiring later; purge removes only the expired. */
    char hash2[65];
    crypto_hash_hex("second", 6, hash2);
    assert_int_equal(store_session_add(f->st, hash2, f->user_b, csrf, 1000, 9000), VIGIL_OK);
    assert_int_equal(store_session_add(f->st, hash2, f->user_b, csrf, 1000, 9000), VIGIL_EEXIST);
    assert_int_equal(store_session_purge(f->st, 4999), VIGIL_OK);
    assert_int_equal(store_session_get(f->st, hash, &s), VIGIL_OK);
    assert_int_equal(store_session_purge(f->st, 5001), VIGIL_OK);
    assert_int_equal(store_session_get(f->st, hash, &s), VIGIL_ENOTFOUND);
    assert_int_equal(store_session_get(f->st, hash2, &s), VIGIL_OK);
    assert_string_equal(s.user.username, "bruno");

    assert_int_equal(store_session_delete(f->st, hash2), VIGIL_OK);
    assert_int_equal(store_session_get(f->st, hash2, &s), VIGIL_ENOTFOUND);

    /* Disabling a user ends the user's sessions. */
    assert_int_equal(store_session_add(f->st, hash, f->user_a, csrf, 1000, 9000), VIGIL_OK);
    assert_int_equal(store_session_add(f->st, hash2, f->user_b, csrf, 1000, 9000), VIGIL_OK);
    assert_int_equal(store_user_set_disabled(f->st, "ana", 1), VIGIL_OK);
    assert_int_equal(store_session_get(f->st, hash, &s), VIGIL_ENOTFOUND);
    assert_int_equal(store_session_get(f->st, hash2, &s), VIGIL_OK);
}

static void test_login_failures(void **state)
{
    struct fx *f = *state;
    int64_t count = -1, latest = -1;
    assert_int_equal(store_login_failures(f->st, "ana", 0, &count, &latest), VIGIL_OK);
    assert_true(count == 0 && latest == 0);
    assert_int_equal(store_login_failure_add(f->st, "ana", 100), VIGIL_OK);
    assert_int_equal(store_login_failure_add(f->st, "ana", 300), VIGIL_OK);
    assert_int_equal(store_login_failure_add(f->st, "ana", 200), VIGIL_OK);
    assert_int_equal(store_login_failure_add(f->st, "bruno", 250), VIGIL_OK);
    /* Unknown usernames are counted too, so guessing names is throttled. */
    assert_int_equal(store_login_failure_add(f->st, "ghost", 250), VIGIL_OK);
    assert_int_equal(store_login_failures(f->st, "ana", 0, &count, &latest), VIGIL_OK);
    assert_true(count == 3);
    assert_true(latest == 300);
    assert_int_equal(store_login_failures(f->st, "ana", 150, &count, &latest), VIGIL_OK);
    assert_true(count == 2);
    assert_int_equal(store_login_failures(f->st, "ana", 300, &count, &latest), VIGIL_OK);
    assert_true(count == 1); /* since is inclusive */
    assert_int_equal(store_login_failures(f->st, "ana", 301, &count, &latest), VIGIL_OK);
    assert_true(count == 0);
    assert_int_equal(store_login_failures(f->st, "ghost", 0, &count, &latest), VIGIL_OK);
    assert_true(count == 1);

    assert_int_equal(store_login_failures_clear(f->st, "ana"), VIGIL_OK);
    assert_int_equal(store_login_failures(f->st, "ana", 0, &count, &latest), VIGIL_OK);
    assert_true(count == 0 && latest == 0);
    assert_int_equal(store_login_failures(f->st, "bruno", 0, &count, &latest), VIGIL_OK);
    assert_true(count == 1 && latest == 250);
}

/* ---- cases -------------------------------------------------------------- */

static void test_case_numbering(void **state)
{
    struct fx *f = *state;
    char r1[32], r2[32], r3[32], r4[32], r5[32];
    mk_case(f, f->org_a, "2026-01-05", "trafficking", "police", NULL, NULL, r1);
    mk_case(f, f->org_b, "2026-03-07", "trafficking", "NGO", NULL, NULL, r2);
    mk_case(f, f->org_a, "2025-12-31", "trafficking", "police", NULL, NULL, r3);
    mk_case(f, f->org_a, "2026-02-01", "labour_exploitation", "inspection", NULL, NULL, r4);
    mk_case(f, f->org_a, "2024-02-29", "trafficking", "hotline", NULL, NULL, r5);
    assert_string_equal(r1, "TIP-2026-0001");
    assert_string_equal(r2, "TIP-2026-0002"); /* one sequence for every organisation */
    assert_string_equal(r3, "TIP-2025-0001"); /* each year starts again */
    assert_string_equal(r4, "TIP-2026-0003");
    assert_string_equal(r5, "TIP-2024-0001");
}

static void test_case_get(void **state)
{
    struct fx *f = *state;
    json_t *c = json_object();
    json_object_set_new(c, "category", json_string("labour_exploitation"));
    json_object_set_new(c, "source", json_string("inspection"));
    json_object_set_new(c, "place_of_recruitment", json_string("Cebu"));
    json_object_set_new(c, "country_of_recruitment", json_string("PH"));
    json_object_set_new(c, "country_of_exploitation", json_string("MO"));
    case_defaults(c, "2026-04-02");
    json_t *out = NULL;
    assert_int_equal(store_case_create(f->st, c, f->org_a, f->user_a, 1770000000, &out), VIGIL_OK);
    int64_t id = iget(out, "id");
    json_decref(out);
    json_decref(c);

    json_t *g = NULL;
    assert_int_equal(store_case_get(f->st, id, &g), VIGIL_OK);
    assert_true(iget(g, "id") == id);
    assert_string_equal(sget(g, "reference"), "TIP-2026-0001");
    assert_true(iget(g, "version") == 1);
    assert_string_equal(sget(g, "organisation"), "PSP");
    assert_string_equal(sget(g, "category"), "labour_exploitation");
    assert_string_equal(sget(g, "source"), "inspection");
    assert_string_equal(sget(g, "cas_Status"), "Active");
    assert_string_equal(sget(g, "stage"), "intake");
    assert_string_equal(sget(g, "opened_on"), "2026-04-02");
    assert_true(json_is_null(json_object_get(g, "closed_on")));
    assert_string_equal(sget(g, "place_of_recruitment"), "Cebu");
    assert_string_equal(sget(g, "country_of_recruitment"), "PH");
    assert_string_equal(sget(g, "country_of_exploitation"), "MO");
    assert_true(json_is_null(json_object_get(g, "place_of_exploitation")));
    assert_non_null(sget(g, "created_at"));
    assert_non_null(sget(g, "updated_at"));
    assert_string_equal(sget(g, "created_at"), sget(g, "updated_at"));
    json_decref(g);

    g = NULL;
    assert_int_equal(store_case_get(f->st, id + 100, &g), VIGIL_ENOTFOUND);
    assert_null(g);

    /* The same case as text (the API's answer): byte for byte the JSON of
     * the object, nulls and characters that need escaping included. */
    c = json_object();
    json_object_set_new(c, "category", json_string("trafficking"));
    json_object_set_new(c, "source", json_string("police"));
    json_object_set_new(c, "place_of_exploitation",
                        json_string("Rua \"Central\"\\ 2\n\t\x01 \xe6\xbe\xb3\xe9\x96\x80"));
    case_defaults(c, "2026-04-03");
    assert_int_equal(store_case_create(f->st, c, f->org_a, f->user_a, 1770000000, &out), VIGIL_OK);
    json_decref(c);
    int64_t ids[] = {id, iget(out, "id")};
    json_decref(out);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(store_case_get(f->st, ids[k], &g), VIGIL_OK);
        struct buf want, got;
        buf_init(&want, 1 << 20);
        buf_init(&got, 1 << 20);
        assert_int_equal(json_text(g, &want), VIGIL_OK);
        int64_t version = 0;
        assert_int_equal(store_case_get_text(f->st, ids[k], &got, &version), VIGIL_OK);
        assert_string_equal(buf_cstr(&got), buf_cstr(&want));
        assert_true(version == iget(g, "version"));
        buf_free(&want);
        buf_free(&got);
        json_decref(g);
    }
    struct buf none;
    buf_init(&none, 1 << 20);
    int64_t v = 0;
    assert_int_equal(store_case_get_text(f->st, id + 100, &none, &v), VIGIL_ENOTFOUND);
    assert_int_equal(buf_len(&none), 0);
    buf_free(&none);
}

static void test_case_update(void **state)
{
    struct fx *f = *state;
    int64_t id = mk_case(f, f->org_a, "2026-01-10", "trafficking", "police", NULL, NULL, NULL);
    json_t *before = NULL;
    assert_int_equal(store_case_get(f->st, id, &before), VIGIL_OK);

    json_t *patch = json_pack("{s:s, s:s}", "stage", "screening", "place_of_exploitation", "Cotai");
    json_t *out = NULL;
    assert_int_equal(store_case_update(f->st, id, 1, patch, 1800000000, &out), VIGIL_OK);
    assert_true(iget(out, "version") == 2);
    assert_string_equal(sget(out, "stage"), "screening");
    assert_string_equal(sget(out, "place_of_exploitation"), "Cotai");
    assert_string_equal(sget(out, "category"), "trafficking"); /* untouched fields stay */
    assert_string_equal(sget(out, "reference"), sget(before, "reference"));
    assert_string_not_equal(sget(out, "updated_at"), sget(before, "updated_at"));
    assert_string_equal(sget(out, "created_at"), sget(before, "created_at"));
    json_decref(out);
    json_decref(patch);

    /* A stale version changes nothing. */
    patch = json_pack("{s:s}", "stage", "protection");
    out = NULL;
    assert_int_equal(store_case_update(f->st, id, 1, patch, 1800000100, &out), VIGIL_ECONFLICT);
    assert_null(out);
    assert_int_equal(store_case_update(f->st, id, 3, patch, 1800000100, NULL), VIGIL_ECONFLICT);
    json_t *g = NULL;
    assert_int_equal(store_case_get(f->st, id, &g), VIGIL_OK);
    assert_true(iget(g, "version") == 2);
    assert_string_equal(sget(g, "stage"), "screening");
    json_decref(g);
    /* The right version goes through. */
    assert_int_equal(store_case_update(f->st, id, 2, patch, 1800000100, &out), VIGIL_OK);
    assert_true(iget(out, "version") == 3);
    assert_string_equal(sget(out, "stage"), "protection");
    json_decref(out);
    json_decref(patch);

    /* null clears a field. */
    patch = json_pack("{s:n}", "place_of_exploitation");
    assert_int_equal(store_case_update(f->st, id, 3, patch, 1800000200, &out), VIGIL_OK);
    assert_true(json_is_null(json_object_get(out, "place_of_exploitation")));
    assert_true(iget(out, "version") == 4);
    json_decref(out);
    json_decref(patch);

    /* A case that does not exist. */
    patch = json_pack("{s:s}", "stage", "protection");
    assert_int_not_equal(store_case_update(f->st, id + 50, 1, patch, 1, NULL), VIGIL_OK);
    json_decref(patch);
    json_decref(before);
}

/* Run a list query and return the references in order, joined by spaces. */
static void list_refs(struct fx *f, struct case_filter *flt, char *out, size_t n, int64_t *total)
{
    json_t *items = NULL;
    if (!flt->limit)
        flt->limit = 100;
    assert_int_equal(store_case_list(f->st, flt, &items, total), VIGIL_OK);
    assert_true(json_is_array(items));
    out[0] = '\0';
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c)
    {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s", len ? " " : "", sget(c, "reference"));
    }
    json_decref(items);
}

struct listing {
    int64_t c1, c2, c3, c4;
};

/* Four cases: three of PSP (org A), one of IAS (org B). */
static void make_listing(struct fx *f, struct listing *l)
{
    l->c1 = mk_case(f, f->org_a, "2024-03-01", "trafficking", "police", "Active", "intake",
                    NULL); /* TIP-2024-0001 */
    l->c2 = mk_case(f, f->org_a, "2025-06-15", "labour_exploitation", "inspection", "FollowUp",
                    "screening", NULL); /* TIP-2025-0001 */
    l->c3 = mk_case(f, f->org_a, "2026-01-10", "trafficking", "hotline", "Closed", "closed",
                    NULL); /* TIP-2026-0001 */
    l->c4 = mk_case(f, f->org_b, "2025-01-01", "trafficking", "NGO", "Active", "protection",
                    NULL); /* TIP-2025-0002 */
    assert_int_equal(store_note_add(f->st, l->c1, f->user_a,
                                    "Found at a construction site in Cotai; debt bondage.", 1,
                                    NULL),
                     VIGIL_OK);
    assert_int_equal(
        store_note_add(f->st, l->c2, f->user_a, "Interview planned for Monday.", 2, NULL),
        VIGIL_OK);
    assert_int_equal(store_note_add(f->st, l->c4, f->user_b,
                                    "Shelter place arranged near the construction area.", 3, NULL),
                     VIGIL_OK);
}

static void test_case_list_filters(void **state)
{
    struct fx *f = *state;
    struct listing l;
    make_listing(f, &l);
    char refs[512];
    int64_t total = -1;
    static const char *const all_a = "TIP-2026-0001 TIP-2025-0001 TIP-2024-0001";

    struct case_filter flt = {.viewer_org = f->org_a};
    list_refs(f, &flt, refs, sizeof refs, &total);
    assert_string_equal(refs, all_a); /* newest first */
    assert_true(total == 3);

    static const struct {
        const char *status, *category, *stage, *source, *from, *to, *org_code, *want;
    } cases[] = {
        {"Closed", NULL, NULL, NULL, NULL, NULL, NULL, "TIP-2026-0001"},
        {"Active", NULL, NULL, NULL, NULL, NULL, NULL, "TIP-2024-0001"},
        {"Open", NULL, NULL, NULL, NULL, NULL, NULL, ""},
        {NULL, "labour_exploitation", NULL, NULL, NULL, NULL, NULL, "TIP-2025-0001"},
        {NULL, "trafficking", NULL, NULL, NULL, NULL, NULL, "TIP-2026-0001 TIP-2024-0001"},
        {NULL, NULL, "screening", NULL, NULL, NULL, NULL, "TIP-2025-0001"},
        {NULL, NULL, "protection", NULL, NULL, NULL, NULL, ""}, /* only B has one */
        {NULL, NULL, NULL, "police", NULL, NULL, NULL, "TIP-2024-0001"},
        {NULL, NULL, NULL, "NGO", NULL, NULL, NULL, ""},
        {NULL, NULL, NULL, NULL, "2025-01-01", NULL, NULL, "TIP-2026-0001 TIP-2025-0001"},
        {NULL, NULL, NULL, NULL, NULL, "2025-06-15", NULL, "TIP-2025-0001 TIP-2024-0001"},
        {NULL, NULL, NULL, NULL, NULL, "2025-06-14", NULL, "TIP-2024-0001"},
        {NULL, NULL, NULL, NULL, "2025-06-15", "2025-06-15", NULL, "TIP-2025-0001"},
        {NULL, NULL, NULL, NULL, "2026-01-11", NULL, NULL, ""},
        {NULL, NULL, NULL, NULL, NULL, NULL, "PSP", "TIP-2026-0001 TIP-2025-0001 TIP-2024-0001"},
        {NULL, NULL, NULL, NULL, NULL, NULL, "IAS", ""}, /* B's own, not visible to A */
        {"Active", "trafficking", "intake", "police", "2024-01-01", "2024-12-31", "PSP",
         "TIP-2024-0001"},
        {"Active", "trafficking", "intake", "police", "2024-01-01", "2024-12-31", "IAS", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct case_filter q = {.viewer_org = f->org_a,
                                .status = cases[i].status,
                                .category = cases[i].category,
                                .stage = cases[i].stage,
                                .source = cases[i].source,
                                .from = cases[i].from,
                                .to = cases[i].to,
                                .org_code = cases[i].org_code};
        total = -1;
        list_refs(f, &q, refs, sizeof refs, &total);
        if (strcmp(refs, cases[i].want) != 0)
            print_error("filter row %zu: got '%s', want '%s'\n", i, refs, cases[i].want);
        assert_string_equal(refs, cases[i].want);
        /* The count agrees with the list. */
        int64_t words = refs[0] ? 1 : 0;
        for (const char *p = refs; *p; p++)
            words += *p == ' ';
        assert_true(total == words);
    }
}

static void test_case_list_text(void **state)
{
    struct fx *f = *state;
    struct listing l;
    make_listing(f, &l);
    char refs[512];
    int64_t total = -1;
    static const struct {
        const char *q, *want;
    } cases[] = {
        {"construction", "TIP-2024-0001"}, /* in a note (full-text), not B's note */
        {"CONSTRUCTION", "TIP-2024-0001"}, /* case-insensitive */
        {"debt bondage", "TIP-2024-0001"},
        {"bondage; debt", ""},
        {"Monday", "TIP-2025-0001"},
        {"Interview", "TIP-2025-0001"},
        {"shelter", ""},         /* B's note, B's case */
        {"Co", "TIP-2024-0001"}, /* two characters: not full-text, still found */
        {"Mo", "TIP-2025-0001"},
        {"2025-0001", "TIP-2025-0001"}, /* part of a reference */
        {"TIP-2026", "TIP-2026-0001"},
        {"TIP-", "TIP-2026-0001 TIP-2025-0001 TIP-2024-0001"},
        {"2025-0002", ""}, /* B's case */
        {"%", ""},         /* wildcards are literal */
        {"_", ""},
        {"TIP_2026", ""},
        {"20%", ""},
        {"\"", ""}, /* quotes cannot break the query */
        {"a\"b", ""},
        {"\"construction\"", ""},
        {"zzz", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct case_filter q = {.viewer_org = f->org_a, .q = cases[i].q};
        total = -1;
        list_refs(f, &q, refs, sizeof refs, &total);
        if (strcmp(refs, cases[i].want) != 0)
            print_error("q '%s': got '%s', want '%s'\n", cases[i].q, refs, cases[i].want);
        assert_string_equal(refs, cases[i].want);
        int64_t words = refs[0] ? 1 : 0;
        for (const char *p = refs; *p; p++)
            words += *p == ' ';
        assert_true(total == words);
    }
    /* B finds its own note. */
    struct case_filter qb = {.viewer_org = f->org_b, .q = "shelter"};
    list_refs(f, &qb, refs, sizeof refs, &total);
    assert_string_equal(refs, "TIP-2025-0002");
    /* Combined with another filter. */
    struct case_filter qc = {.viewer_org = f->org_a, .q = "TIP-", .status = "FollowUp"};
    list_refs(f, &qc, refs, sizeof refs, &total);
    assert_string_equal(refs, "TIP-2025-0001");
    assert_true(total == 1);
}

static void test_case_visibility(void **state)
{
    struct fx *f = *state;
    struct listing l;
    make_listing(f, &l);
    assert_true(store_case_visible(f->st, l.c1, f->org_a));
    assert_false(store_case_visible(f->st, l.c1, f->org_b));
    assert_false(store_case_visible(f->st, l.c1, f->org_c));
    assert_true(store_case_visible(f->st, l.c4, f->org_b));
    assert_false(store_case_visible(f->st, l.c4, f->org_a));
    assert_false(store_case_visible(f->st, 9999, f->org_a));
    char refs[512];
    int64_t total = -1;
    struct case_filter fb = {.viewer_org = f->org_b};
    list_refs(f, &fb, refs, sizeof refs, &total);
    assert_string_equal(refs, "TIP-2025-0002");
    assert_true(total == 1);
    struct case_filter fc = {.viewer_org = f->org_c};
    list_refs(f, &fc, refs, sizeof refs, &total);
    assert_string_equal(refs, "");
    assert_true(total == 0);
}

static void test_case_pagination(void **state)
{
    struct fx *f = *state;
    struct listing l;
    make_listing(f, &l);
    char refs[512];
    int64_t total = -1;
    struct case_filter q = {.viewer_org = f->org_a, .limit = 2, .offset = 0};
    list_refs(f, &q, refs, sizeof refs, &total);
    assert_string_equal(refs, "TIP-2026-0001 TIP-2025-0001");
    assert_true(total == 3);
    q.offset = 2;
    list_refs(f, &q, refs, sizeof refs, &total);
    assert_string_equal(refs, "TIP-2024-0001");
    assert_true(total == 3);
    q.offset = 3;
    list_refs(f, &q, refs, sizeof refs, &total);
    assert_string_equal(refs, "");
    assert_true(total == 3);
    q.offset = 1;
    q.limit = 1;
    list_refs(f, &q, refs, sizeof refs, &total);
    assert_string_equal(refs, "TIP-2025-0001");
    /* total is optional */
    json_t *items = NULL;
    assert_int_equal(store_case_list(f->st, &q, &items, NULL), VIGIL_OK);
    assert_int_equal(json_array_size(items), 1);
    json_decref(items);

    /* Same opening date: the newer case first, stable across pages. */
    mk_case(f, f->org_a, "2026-01-10", "trafficking", "police", NULL, NULL, NULL);
    struct case_filter p = {.viewer_org = f->org_a, .limit = 1};
    list_refs(f, &p, refs, sizeof refs, &total);
    assert_string_equal(refs, "TIP-2026-0002");
    p.offset = 1;
    list_refs(f, &p, refs, sizeof refs, &total);
    assert_string_equal(refs, "TIP-2026-0001");
    assert_true(total == 4);
}

/* ---- persons ------------------------------------------------------------ */

static void test_persons(void **state)
{
    struct fx *f = *state;
    int64_t cid = mk_case(f, f->org_a, "2026-02-02", "trafficking", "police", NULL, NULL, NULL);
    assert_int_equal(crypto_init(), VIGIL_OK);
    struct vkey key;
    for (int i = 0; i < VKEY_BYTES; i++)
        key.k[i] = (unsigned char)(i * 13 + 5);

    json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:[s,s], s:[s], s:s}", "role", "victim",
                           "prs_FirstName", "Maria", "prs_Birthdate", "2001-05-06", "prs_Gender",
                           "Feminine", "prs_Citizenship", "PH", "MO", "vic_TypeOfExploitation",
                           "ForcedLabour", "prs_IdentityNumber", "P7654321");
    assert_non_null(in);
    json_t *valid = NULL;
    struct verr err;
    assert_int_equal(person_validate(in, REC_CREATE, NULL, &valid, &err), VIGIL_OK);
    json_t *personal, *plain;
    person_split(valid, &personal, &plain);
    char *pj = json_dumps(personal, JSON_COMPACT | JSON_SORT_KEYS);
    unsigned char *sealed;
    size_t sealed_len;
    assert_int_equal(crypto_seal(&key, "person", pj, strlen(pj), &sealed, &sealed_len), VIGIL_OK);
    int64_t pid = 0;
    int age = person_age("2001-05-06", "2026-02-02");
    assert_int_equal(store_person_add(f->st, cid, "victim", sealed, sealed_len, plain, age,
                                      f->user_a, 1234, &pid),
                     VIGIL_OK);
    assert_true(pid > 0);
    /* A second, with no multi-values and unknown age. */
    json_t *plain2 = json_pack("{s:s}", "prs_Gender", "Masculine");
    int64_t pid2 = 0;
    assert_int_equal(
        store_person_add(f->st, cid, "suspect", sealed, sealed_len, plain2, -1, 0, 1235, &pid2),
        VIGIL_OK);
    assert_true(pid2 > pid);

    struct person_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(store_person_list(f->st, cid, &rows, &n), VIGIL_OK);
    assert_int_equal(n, 2);
    assert_true(rows[0].id == pid);
    assert_true(rows[0].case_id == cid);
    assert_string_equal(rows[0].role, "victim");
    assert_int_equal(rows[0].sealed_len, sealed_len);
    assert_memory_equal(rows[0].sealed, sealed, sealed_len);
    assert_true(json_equal(rows[0].plain, plain));
    assert_null(rows[0].trafficking_status);
    assert_true(rows[0].created_at == 1234);
    assert_string_equal(rows[1].role, "suspect");
    assert_true(json_equal(rows[1].plain, plain2));
    /* The stored bytes open to the personal part. */
    char *opened = NULL;
    assert_int_equal(crypto_open(&key, "person", rows[0].sealed, rows[0].sealed_len, &opened, NULL),
                     VIGIL_OK);
    json_t *back = json_loads(opened, 0, NULL);
    assert_true(json_equal(back, personal));
    json_decref(back);
    free(opened);
    store_person_rows_free(rows, n);

    /* No persons on another case. */
    rows = NULL;
    assert_int_equal(store_person_list(f->st, cid + 1, &rows, &n), VIGIL_OK);
    assert_int_equal(n, 0);
    store_person_rows_free(rows, n);

    /* Multi-selects are also stored one value a row; no personal data in the
     * plain columns. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT field || '=' || value FROM person_values "
                                        "WHERE person_id = ?1 ORDER BY field, value",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, pid);
    char got[256] = "";
    while (sqlite3_step(s) == SQLITE_ROW) {
        size_t len = strlen(got);
        snprintf(got + len, sizeof got - len, "%s;", (const char *)sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    assert_string_equal(got, "prs_Citizenship=MO;prs_Citizenship=PH;"
                             "vic_TypeOfExploitation=ForcedLabour;");
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT gender, age, attrs FROM persons WHERE id = ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, pid);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "Feminine");
    assert_int_equal(sqlite3_column_int(s, 1), 24);
    const char *attrs = (const char *)sqlite3_column_text(s, 2);
    assert_null(strstr(attrs, "Maria"));
    assert_null(strstr(attrs, "P7654321"));
    assert_null(strstr(attrs, "2001"));
    sqlite3_finalize(s);
    sqlite3_close(db);

    /* A person on a case that does not exist. */
    int64_t bad = 0;
    assert_int_not_equal(
        store_person_add(f->st, 99999, "victim", sealed, sealed_len, plain2, -1, 0, 1, &bad),
        VIGIL_OK);

    json_decref(plain2);
    free(sealed);
    free(pj);
    json_decref(personal);
    json_decref(plain);
    json_decref(valid);
    json_decref(in);
}

/* ---- notes -------------------------------------------------------------- */

static void test_notes(void **state)
{
    struct fx *f = *state;
    int64_t cid = mk_case(f, f->org_a, "2026-02-02", "trafficking", "police", NULL, NULL, NULL);
    int64_t other = mk_case(f, f->org_a, "2026-02-03", "trafficking", "police", NULL, NULL, NULL);
    json_t *n1 = NULL;
    const char *text = "First visit.\nVictim speaks Tagalog; \xe9\x9c\x80\xe8\xa6\x81\xe7\xbf\xbb"
                       "\xe8\xad\xaf.";
    assert_int_equal(store_note_add(f->st, cid, f->user_a, text, 1700000000, &n1), VIGIL_OK);
    assert_true(iget(n1, "id") > 0);
    assert_true(iget(n1, "case_id") == cid);
    assert_string_equal(sget(n1, "text"), text);
    assert_string_equal(sget(n1, "author"), "ana");
    assert_string_equal(sget(n1, "created_at"), "2023-11-14T22:13:20Z");
    assert_int_equal(store_note_add(f->st, cid, 0, "System note.", 1700000001, NULL), VIGIL_OK);
    assert_int_equal(store_note_add(f->st, other, f->user_a, "Elsewhere.", 1700000002, NULL),
                     VIGIL_OK);
    json_t *list = NULL;
    assert_int_equal(store_note_list(f->st, cid, &list), VIGIL_OK);
    assert_int_equal(json_array_size(list), 2);
    assert_true(json_equal(json_array_get(list, 0), n1));
    assert_string_equal(sget(json_array_get(list, 1), "text"), "System note.");
    assert_true(json_is_null(json_object_get(json_array_get(list, 1), "author")));
    json_decref(list);
    assert_int_equal(store_note_list(f->st, 99999, &list), VIGIL_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    json_decref(n1);
}

/* ---- totals from case_counts --------------------------------------------- */

static const char *const cc_status[] = {"Active", "Closed", "FollowUp", NULL};
static const char *const cc_category[] = {"trafficking", "labour_exploitation", NULL};
static const char *const cc_stage[] = {"intake", "screening", "protection", NULL};
static const char *const cc_source[] = {"police", "NGO", "inspection", NULL};

/* For each viewer and every combination of the four filters (each absent or
 * one of its values), the total equals the number of cases the list gives. */
static void check_totals(struct fx *f)
{
    int64_t viewers[] = {f->org_a, f->org_b, f->org_c};
    for (int v = 0; v < 3; v++)
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 3; b++)
                for (int c = 0; c < 4; c++)
                    for (int d = 0; d < 4; d++) {
                        struct case_filter q = {.viewer_org = viewers[v],
                                                .status = cc_status[a],
                                                .category = cc_category[b],
                                                .stage = cc_stage[c],
                                                .source = cc_source[d],
                                                .limit = 1000};
                        json_t *items = NULL;
                        int64_t total = -1;
                        assert_int_equal(store_case_list(f->st, &q, &items, &total), VIGIL_OK);
                        assert_true(total == (int64_t)json_array_size(items));
                        json_decref(items);
                    }
}

static void test_case_counts(void **state)
{
    struct fx *f = *state;
    int64_t ids[48];
    srand(12);
    for (int i = 0; i < 48; i++) {
        char opened[32];
        snprintf(opened, sizeof opened, "20%02d-0%d-1%d", 16 + i % 10, 1 + i % 9, i % 10);
        ids[i] = mk_case(f, i % 3 == 0 ? f->org_b : f->org_a, opened, cc_category[rand() % 2],
                         cc_source[rand() % 3], cc_status[rand() % 3], cc_stage[rand() % 3], NULL);
    }
    check_totals(f);
    /* changes of status and stage move a case from one count to another */
    for (int i = 0; i < 48; i += 5) {
        json_t *patch = json_pack("{s:s, s:s}", "cas_Status", cc_status[rand() % 3], "stage",
                                  cc_stage[rand() % 3]);
        json_t *cur = NULL;
        assert_int_equal(store_case_get(f->st, ids[i], &cur), VIGIL_OK);
        assert_int_equal(
            store_case_update(f->st, ids[i], iget(cur, "version"), patch, 1700000100, NULL),
            VIGIL_OK);
        json_decref(cur);
        json_decref(patch);
    }
    check_totals(f);
    /* a referral accepted shares the case with DSAL; completed, it ends */
    int64_t shared[3];
    for (int k = 0; k < 3; k++) {
        int64_t cid = ids[1 + 3 * k]; /* PSP's */
        json_t *r = NULL;
        assert_int_equal(store_referral_add(f->st, cid, f->org_a, f->org_c, "shelter", NULL,
                                            f->user_a, 1700000000, &r),
                         VIGIL_OK);
        shared[k] = iget(r, "id");
        json_decref(r);
        assert_int_equal(
            store_referral_decide(f->st, shared[k], "accepted", f->user_b, 1700000500, NULL),
            VIGIL_OK);
    }
    check_totals(f);
    struct case_filter dsal = {.viewer_org = f->org_c, .limit = 100};
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_case_list(f->st, &dsal, &items, &total), VIGIL_OK);
    assert_true(total == 3);
    json_decref(items);
    assert_int_equal(
        store_referral_decide(f->st, shared[0], "completed", f->user_b, 1700000600, NULL),
        VIGIL_OK);
    check_totals(f);
    assert_int_equal(store_case_list(f->st, &dsal, &items, &total), VIGIL_OK);
    assert_true(total == 2);
    json_decref(items);
}

/* ---- referrals ---------------------------------------------------------- */

static int64_t refer(struct fx *f, int64_t cid, int64_t to, const char *reason)
{
    json_t *r = NULL;
    assert_int_equal(
        store_referral_add(f->st, cid, f->org_a, to, reason, NULL, f->user_a, 1700000000, &r),
        VIGIL_OK);
    int64_t id = iget(r, "id");
    assert_true(id > 0);
    assert_string_equal(sget(r, "state"), "pending");
    assert_string_equal(sget(r, "from"), "PSP");
    assert_string_equal(sget(r, "reason"), reason);
    assert_true(json_is_null(json_object_get(r, "decided_at")));
    json_decref(r);
    return id;
}

static int listed(struct fx *f, int64_t org, int64_t cid)
{
    struct case_filter q = {.viewer_org = org, .limit = 100};
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_case_list(f->st, &q, &items, &total), VIGIL_OK);
    int found = 0;
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c)
    {
        if (iget(c, "id") == cid)
            found = 1;
    }
    json_decref(items);
    return found;
}

static void decide(struct fx *f, int64_t id, const char *state_, int want)
{
    json_t *r = NULL;
    int rc = store_referral_decide(f->st, id, state_, f->user_b, 1700000500, &r);
    assert_int_equal(rc, want);
    if (rc == VIGIL_OK) {
        assert_string_equal(sget(r, "state"), state_);
        assert_false(json_is_null(json_object_get(r, "decided_at")));
        json_decref(r);
    } else {
        assert_null(r);
    }
}

static void test_referrals(void **state)
{
    struct fx *f = *state;
    int64_t cid = mk_case(f, f->org_a, "2026-02-02", "trafficking", "police", NULL, NULL, NULL);
    int64_t rid = refer(f, cid, f->org_b, "AdditionalServicesRequired");
    json_t *r = NULL;
    assert_int_equal(store_referral_get(f->st, rid, &r), VIGIL_OK);
    assert_string_equal(sget(r, "to"), "IAS");
    assert_true(iget(r, "case_id") == cid);
    assert_true(iget(r, "to_org_id") == f->org_b);
    json_decref(r);
    assert_int_equal(store_referral_get(f->st, rid + 100, &r), VIGIL_ENOTFOUND);

    /* Pending grants nothing. */
    assert_false(store_case_visible(f->st, cid, f->org_b));
    assert_false(listed(f, f->org_b, cid));
    /* Completing is only for an accepted referral. */
    decide(f, rid, "completed", VIGIL_ECONFLICT);

    decide(f, rid, "accepted", VIGIL_OK);
    assert_true(store_case_visible(f->st, cid, f->org_b));
    assert_true(listed(f, f->org_b, cid));
    assert_true(store_case_visible(f->st, cid, f->org_a)); /* the owner keeps it */
    assert_false(store_case_visible(f->st, cid, f->org_c));
    /* Deciding twice. */
    decide(f, rid, "accepted", VIGIL_ECONFLICT);
    decide(f, rid, "rejected", VIGIL_ECONFLICT);
    assert_true(store_case_visible(f->st, cid, f->org_b));

    decide(f, rid, "completed", VIGIL_OK);
    assert_false(store_case_visible(f->st, cid, f->org_b));
    assert_false(listed(f, f->org_b, cid));
    assert_true(store_case_visible(f->st, cid, f->org_a));
    decide(f, rid, "completed", VIGIL_ECONFLICT);
    decide(f, rid, "accepted", VIGIL_ECONFLICT);

    /* Rejected: never visible, and final. */
    int64_t rid2 = refer(f, cid, f->org_c, "LegalAssistance");
    decide(f, rid2, "rejected", VIGIL_OK);
    assert_false(store_case_visible(f->st, cid, f->org_c));
    decide(f, rid2, "accepted", VIGIL_ECONFLICT);
    decide(f, rid2, "rejected", VIGIL_ECONFLICT);
    assert_false(store_case_visible(f->st, cid, f->org_c));

    /* Two accepted referrals to the same agency: completing one keeps the
     * access the other grants. */
    int64_t r3 = refer(f, cid, f->org_b, "AdditionalServicesRequired");
    int64_t r4 = refer(f, cid, f->org_b, "Shelter");
    decide(f, r3, "accepted", VIGIL_OK);
    decide(f, r4, "accepted", VIGIL_OK);
    decide(f, r3, "completed", VIGIL_OK);
    assert_true(store_case_visible(f->st, cid, f->org_b));
    decide(f, r4, "completed", VIGIL_OK);
    assert_false(store_case_visible(f->st, cid, f->org_b));

    /* A referral back to the owner never takes the owner's access away. */
    int64_t r5 = refer(f, cid, f->org_a, "Other");
    decide(f, r5, "accepted", VIGIL_OK);
    decide(f, r5, "completed", VIGIL_OK);
    assert_true(store_case_visible(f->st, cid, f->org_a));
    int64_t r6 = refer(f, cid, f->org_a, "Other");
    decide(f, r6, "rejected", VIGIL_OK);
    assert_true(store_case_visible(f->st, cid, f->org_a));

    decide(f, 99999, "accepted", VIGIL_ECONFLICT);

    /* Listing by receiver and by state. */
    json_t *list = NULL;
    assert_int_equal(store_referral_list(f->st, cid, 0, NULL, &list), VIGIL_OK);
    assert_int_equal(json_array_size(list), 6);
    assert_true(iget(json_array_get(list, 0), "id") == r6); /* newest first */
    json_decref(list);
    assert_int_equal(store_referral_list(f->st, 0, f->org_c, NULL, &list), VIGIL_OK);
    assert_int_equal(json_array_size(list), 1);
    assert_true(iget(json_array_get(list, 0), "id") == rid2);
    json_decref(list);
    assert_int_equal(store_referral_list(f->st, cid, f->org_b, "completed", &list), VIGIL_OK);
    assert_int_equal(json_array_size(list), 3);
    json_decref(list);
    assert_int_equal(store_referral_list(f->st, cid, 0, "pending", &list), VIGIL_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
}

/* ---- backup, integrity and transactions --------------------------------- */

static void test_backup(void **state)
{
    struct fx *f = *state;
    struct listing l;
    make_listing(f, &l);
    char err[256] = "";
    assert_int_equal(store_integrity(f->st, err, sizeof err), VIGIL_OK);
    assert_int_equal(store_backup(f->st, f->backup, err, sizeof err), VIGIL_OK);
    /* Later writes do not reach the copy. */
    mk_case(f, f->org_a, "2026-05-05", "trafficking", "police", NULL, NULL, NULL);

    struct store *copy = NULL;
    assert_int_equal(store_open(f->backup, &copy, err, sizeof err), VIGIL_OK);
    assert_int_equal(store_integrity(copy, err, sizeof err), VIGIL_OK);
    int v1 = 0, v2 = 0;
    assert_int_equal(store_schema_version(f->st, &v1), VIGIL_OK);
    assert_int_equal(store_schema_version(copy, &v2), VIGIL_OK);
    assert_int_equal(v1, v2);
    int applied = -1;
    assert_int_equal(store_migrate(copy, &applied), VIGIL_OK);
    assert_int_equal(applied, 0);
    json_t *a = NULL, *b = NULL;
    assert_int_equal(store_case_get(f->st, l.c2, &a), VIGIL_OK);
    assert_int_equal(store_case_get(copy, l.c2, &b), VIGIL_OK);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    struct user u;
    assert_int_equal(store_user_by_name(copy, "bruno", &u), VIGIL_OK);
    assert_string_equal(u.org_code, "IAS");
    struct case_filter q = {.viewer_org = f->org_a, .q = "construction", .limit = 10};
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_case_list(copy, &q, &items, &total), VIGIL_OK);
    assert_true(total == 1); /* the full-text index came along */
    json_decref(items);
    struct case_filter all = {.viewer_org = f->org_a, .limit = 10};
    assert_int_equal(store_case_list(copy, &all, &items, &total), VIGIL_OK);
    assert_true(total == 3);
    json_decref(items);
    store_close(copy);

    /* A file that is not a database fails the check (or does not open). */
    FILE *fp = fopen(f->backup, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
    assert_int_equal(fwrite("garbage garbage garbage!", 1, 24, fp), 24);
    fclose(fp);
    copy = NULL;
    int rc = store_open(f->backup, &copy, err, sizeof err);
    if (rc == VIGIL_OK) {
        assert_int_not_equal(store_integrity(copy, err, sizeof err), VIGIL_OK);
        store_close(copy);
    }
}

static void test_transactions(void **state)
{
    struct fx *f = *state;
    char ref[32];
    /* Rolled back: nothing is left, not even the reference number. */
    assert_int_equal(store_begin(f->st), VIGIL_OK);
    assert_int_equal(store_begin(f->st), VIGIL_ESTORE); /* one at a time */
    int64_t id = mk_case(f, f->org_a, "2026-02-02", "trafficking", "police", NULL, NULL, ref);
    assert_int_equal(store_note_add(f->st, id, f->user_a, "note inside", 1, NULL), VIGIL_OK);
    store_rollback(f->st);
    json_t *g = NULL;
    assert_int_equal(store_case_get(f->st, id, &g), VIGIL_ENOTFOUND);
    assert_false(store_case_visible(f->st, id, f->org_a));
    assert_false(listed(f, f->org_a, id));
    json_t *notes = NULL;
    assert_int_equal(store_note_list(f->st, id, &notes), VIGIL_OK);
    assert_int_equal(json_array_size(notes), 0);
    json_decref(notes);
    mk_case(f, f->org_a, "2026-02-03", "trafficking", "police", NULL, NULL, ref);
    assert_string_equal(ref, "TIP-2026-0001");

    /* Committed: kept. */
    assert_int_equal(store_begin(f->st), VIGIL_OK);
    id = mk_case(f, f->org_a, "2026-02-04", "trafficking", "police", NULL, NULL, ref);
    assert_int_equal(store_commit(f->st), VIGIL_OK);
    assert_int_equal(store_case_get(f->st, id, &g), VIGIL_OK);
    assert_string_equal(sget(g, "reference"), "TIP-2026-0002");
    json_decref(g);
    assert_int_equal(store_commit(f->st), VIGIL_ESTORE); /* none open */
    store_rollback(f->st);                               /* harmless */

    /* A failed statement dooms the transaction: commit rolls it all back. */
    assert_int_equal(store_begin(f->st), VIGIL_OK);
    int64_t org = add_org(f->st, "NGO1", "NGO", "Shelter");
    struct user u;
    memset(&u, 0, sizeof u);
    snprintf(u.username, sizeof u.username, "orphan");
    u.org_id = 424242;
    assert_int_not_equal(store_user_add(f->st, &u), VIGIL_OK);
    assert_int_not_equal(store_commit(f->st), VIGIL_OK);
    struct org o;
    assert_int_equal(store_org_by_id(f->st, org, &o), VIGIL_ENOTFOUND);
    assert_int_equal(store_org_by_code(f->st, "NGO1", &o), VIGIL_ENOTFOUND);
    /* and the handle works again afterwards. */
    assert_int_equal(store_begin(f->st), VIGIL_OK);
    add_org(f->st, "NGO1", "NGO", "Shelter");
    assert_int_equal(store_commit(f->st), VIGIL_OK);
    assert_int_equal(store_org_by_code(f->st, "NGO1", &o), VIGIL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_bad_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_orgs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_login_failures, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_case_numbering, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_case_get, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_case_update, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_case_list_filters, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_case_counts, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_case_list_text, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_case_visibility, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_case_pagination, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_persons, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_notes, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_referrals, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_backup, setup_full, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup_full, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
