/*
 * HTTP tests of victim protection and judicial supervision: screenings (a
 * recommendation, never a status), status decisions and their history,
 * services and their states, consent and the referral consent rule (with
 * its audited override) and the export that drops a withdrawn person, the
 * legal track by role, the magistrate's read-only supervision, events, the
 * timeline, what each agency sees around a referral, and bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;
static char *tok_inv; /* investigator, PJ */
static char *tok_cw;  /* caseworker, IAS */
static char *tok_sh;  /* shelter (caseworker), GSC */
static char *tok_pr;  /* prosecutor, MP */
static char *tok_ma;  /* magistrate, TJB */

static int setup(void **state)
{
    (void)state;
    if (server_start(&srv, NULL))
        return -1;
    tok_inv = login(&srv, "investigator");
    tok_cw = login(&srv, "caseworker");
    tok_sh = login(&srv, "shelter");
    tok_pr = login(&srv, "prosecutor");
    tok_ma = login(&srv, "magistrate");
    return tok_inv && tok_cw && tok_sh && tok_pr && tok_ma ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tok_inv);
    free(tok_cw);
    free(tok_sh);
    free(tok_pr);
    free(tok_ma);
    int rc = server_stop(&srv);
    if (rc > 0)
        fprintf(stderr, "the server exited with status %d; see %s\n", rc, srv.log);
    server_cleanup(&srv);
    return rc > 0 ? -1 : 0;
}

/* A request with a printf-formatted path; the status. */
static long req(const char *method, const char *tok, const char *body, struct http_resp *r,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static long req(const char *method, const char *tok, const char *body, struct http_resp *r,
                const char *fmt, ...)
{
    char path[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    return http_request(&srv, method, path, tok, body, NULL, r);
}

/* Expect want; the status. */
static long expect(long want, const char *method, const char *tok, const char *body,
                   const char *path)
{
    struct http_resp r;
    http_request(&srv, method, path, tok, body, NULL, &r);
    if (r.status != want)
        fprintf(stderr, "%s %s: got %ld, want %ld: %s\n", method, path, r.status, want,
                r.body ? r.body : "");
    long st = r.status;
    http_free(&r);
    assert_int_equal(st, want);
    return st;
}

static json_int_t post_id(const char *path, const char *tok, const char *body)
{
    struct http_resp r;
    http_request(&srv, "POST", path, tok, body, NULL, &r);
    check_status(&r, 201);
    json_int_t id = json_int(check_json(&r), "id");
    http_free(&r);
    return id;
}

static json_int_t new_case(void)
{
    return post_id("/api/v1/cases", tok_inv,
                   "{\"category\":\"trafficking\",\"source\":\"police\"}");
}

static json_int_t add_person(json_int_t c, const char *role)
{
    char path[96], body[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)c);
    snprintf(body, sizeof body, "{\"role\":\"%s\",\"prs_Gender\":\"Feminine\"}", role);
    return post_id(path, tok_inv, body);
}

static void consent(json_int_t c, json_int_t p, const char *purpose, int granted)
{
    char path[128], body[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons/%lld/consents", (long long)c,
             (long long)p);
    snprintf(body, sizeof body, "{\"purpose\":\"%s\",\"granted\":%s}", purpose,
             granted ? "true" : "false");
    post_id(path, tok_inv, body);
}

/* Refer case c to agency `to` (with victims' consent) and return the id. */
static json_int_t refer(json_int_t c, const char *to)
{
    char path[96], body[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/referrals", (long long)c);
    snprintf(body, sizeof body, "{\"to\":\"%s\",\"reason\":\"AdditionalServicesRequired\"}", to);
    return post_id(path, tok_inv, body);
}

static void decide(json_int_t ref, const char *verb, const char *tok)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/referrals/%lld/%s", (long long)ref, verb);
    expect(200, "POST", tok, NULL, path);
}

/* The audit actions on objects under case c, one per line. */
static char *case_audit(json_int_t c)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT action || ' ' || object FROM audit WHERE object = 'case:%lld' OR object "
             "LIKE 'case:%lld/%%' ORDER BY id",
             (long long)c, (long long)c);
    char *out = NULL;
    assert_int_equal(db_sql(&srv, srv.db, sql, &out), 0);
    assert_non_null(out);
    return out;
}

static void test_screening_recommends_only(void **state)
{
    (void)state;
    json_int_t c = new_case(), v = add_person(c, "victim"), s = add_person(c, "suspect");
    char path[96], body[512];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/screenings", (long long)c);
    snprintf(body, sizeof body,
             "{\"person_id\":%lld,\"child\":false,\"indicators\":{\"deception\":{\"answer\":"
             "\"yes\",\"note\":\"promised a hotel "
             "job\"},\"retention_of_identity_documents\":{\"answer\":"
             "\"yes\"},\"debt_bondage\":{\"answer\":\"yes\"}},\"palermo\":{\"act\":{\"answer\":"
             "\"yes\"},\"means\":{\"answer\":\"yes\"},\"purpose\":{\"answer\":\"yes\"}}}",
             (long long)v);
    struct http_resp r;
    http_request(&srv, "POST", path, tok_inv, body, NULL, &r);
    check_status(&r, 201);
    json_t *b = check_json(&r);
    assert_string_equal(json_str(b, "recommendation"), "likely_victim");
    assert_true(json_is_true(json_object_get(b, "complete")));
    assert_string_equal(json_str(b, "assessor"), "investigator");
    http_free(&r);

    /* an empty screening is incomplete */
    snprintf(body, sizeof body, "{\"person_id\":%lld}", (long long)v);
    http_request(&srv, "POST", path, tok_inv, body, NULL, &r);
    check_status(&r, 201);
    assert_true(json_is_false(json_object_get(check_json(&r), "complete")));
    http_free(&r);

    /* the list opens the notes */
    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    json_t *items = json_object_get(check_json(&r), "items");
    assert_int_equal(json_array_size(items), 2);
    json_t *first = json_array_get(items, 0);
    json_t *dec = json_object_get(json_object_get(first, "indicators"), "deception");
    assert_string_equal(json_str(dec, "note"), "promised a hotel job");
    assert_null(json_object_get(first, "sealed"));
    http_free(&r);

    /* the status is untouched */
    req("GET", tok_inv, NULL, &r, "/api/v1/cases/%lld/persons", (long long)c);
    check_status(&r, 200);
    json_t *p = json_array_get(json_object_get(check_json(&r), "items"), 0);
    assert_true(json_is_null(json_object_get(p, "vic_TraffickingStatus")));
    http_free(&r);

    /* the note is sealed at rest, and the read was audited */
    if (server_is_sqlite(&srv)) {
        size_t len = 0;
        char *db = read_file(srv.db, &len);
        assert_non_null(db);
        assert_false(mem_contains(db, len, "promised a hotel job"));
        free(db);
    }
    char *trail = case_audit(c);
    assert_non_null(strstr(trail, "screening.create"));
    assert_non_null(strstr(trail, "screening.read"));
    free(trail);

    /* bad input */
    snprintf(body, sizeof body,
             "{\"person_id\":%lld,\"indicators\":{\"nonsense\":{\"answer\":"
             "\"yes\"}}}",
             (long long)v);
    http_request(&srv, "POST", path, tok_inv, body, NULL, &r);
    check_error(&r, 400, "nonsense");
    http_free(&r);
    snprintf(body, sizeof body, "{\"person_id\":%lld}", (long long)s);
    http_request(&srv, "POST", path, tok_inv, body, NULL, &r);
    check_error(&r, 400, "person_id");
    http_free(&r);
    http_request(&srv, "POST", path, tok_inv, "{\"person_id\":99999999}", NULL, &r);
    check_error(&r, 400, "person_id");
    http_free(&r);
    http_request(&srv, "POST", path, tok_inv, "{}", NULL, &r);
    check_error(&r, 400, "person_id");
    http_free(&r);
}

static void test_status_decisions(void **state)
{
    (void)state;
    json_int_t c = new_case(), v = add_person(c, "victim"), w = add_person(c, "witness");
    char path[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons/%lld/status", (long long)c,
             (long long)v);
    struct http_resp r;
    http_request(&srv, "POST", path, tok_inv,
                 "{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\","
                 "\"vic_TraffickingStatusDecisionMakingOrg\":\"Police\",\"decided_on\":"
                 "\"2026-01-10\",\"reason\":\"indicators of deception\"}",
                 NULL, &r);
    check_status(&r, 201);
    assert_string_equal(json_str(check_json(&r), "decided_by"), "investigator");
    http_free(&r);
    http_request(&srv, "POST", path, tok_inv,
                 "{\"vic_TraffickingStatus\":\"ActualVictimOfTrafficking\","
                 "\"vic_TraffickingStatusDecisionMakingOrg\":\"CourtOrProsecution\"}",
                 NULL, &r);
    check_status(&r, 201);
    http_free(&r);

    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    json_t *b = check_json(&r);
    assert_string_equal(json_str(b, "vic_TraffickingStatus"), "ActualVictimOfTrafficking");
    json_t *items = json_object_get(b, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(json_str(json_array_get(items, 0), "reason"), "indicators of deception");
    assert_string_equal(json_str(json_array_get(items, 0), "decided_on"), "2026-01-10");
    assert_true(json_is_null(json_object_get(json_array_get(items, 1), "reason")));
    http_free(&r);

    /* the person carries the current status */
    req("GET", tok_inv, NULL, &r, "/api/v1/cases/%lld/persons", (long long)c);
    json_t *p = json_array_get(json_object_get(check_json(&r), "items"), 0);
    assert_string_equal(json_str(p, "vic_TraffickingStatus"), "ActualVictimOfTrafficking");
    http_free(&r);

    /* victims only; bad input; another case's person; the magistrate may not */
    req("POST", tok_inv,
        "{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\","
        "\"vic_TraffickingStatusDecisionMakingOrg\":\"Police\"}",
        &r, "/api/v1/cases/%lld/persons/%lld/status", (long long)c, (long long)w);
    check_error(&r, 409, NULL);
    http_free(&r);
    http_request(&srv, "POST", path, tok_inv,
                 "{\"vic_TraffickingStatus\":\"Maybe\","
                 "\"vic_TraffickingStatusDecisionMakingOrg\":\"Police\"}",
                 NULL, &r);
    check_error(&r, 400, "vic_TraffickingStatus");
    http_free(&r);
    http_request(&srv, "POST", path, tok_inv,
                 "{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\","
                 "\"vic_TraffickingStatusDecisionMakingOrg\":\"Police\",\"decided_on\":"
                 "\"2999-01-01\"}",
                 NULL, &r);
    check_error(&r, 400, "decided_on");
    http_free(&r);
    http_request(&srv, "POST", path, tok_inv,
                 "{\"vic_TraffickingStatus\":\"Possible"
                 "VictimOfTrafficking\"}",
                 NULL, &r);
    check_error(&r, 400, "vic_TraffickingStatusDecisionMakingOrg");
    http_free(&r);
    json_int_t other = new_case();
    req("GET", tok_inv, NULL, &r, "/api/v1/cases/%lld/persons/%lld/status", (long long)other,
        (long long)v);
    check_error(&r, 404, NULL);
    http_free(&r);
    expect(403, "POST", tok_ma, "{}", path);
    char *trail = case_audit(c);
    assert_non_null(strstr(trail, "status.decide"));
    assert_non_null(strstr(trail, "status.read"));
    free(trail);
}

static void test_services(void **state)
{
    (void)state;
    json_int_t c = new_case(), v = add_person(c, "victim");
    char path[96], body[256], one[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/services", (long long)c);
    snprintf(body, sizeof body,
             "{\"person_id\":%lld,\"spl_Type\":\"Health\",\"spl_Objectives\":\"trauma "
             "counselling\",\"spl_PlannedEndDate\":\"2026-01-31\",\"provider\":\"PJ\"}",
             (long long)v);
    struct http_resp r;
    http_request(&srv, "POST", path, tok_inv, body, NULL, &r);
    check_status(&r, 201);
    json_t *b = check_json(&r);
    json_int_t id = json_int(b, "id");
    assert_string_equal(json_str(b, "state"), "planned");
    assert_string_equal(json_str(b, "spl_Objectives"), "trauma counselling");
    assert_string_equal(json_str(b, "provider"), "PJ");
    assert_true(json_is_true(json_object_get(b, "overdue")));
    http_free(&r);
    snprintf(one, sizeof one, "%s/%lld", path, (long long)id);

    /* overdue for its provider */
    http_get(&srv, "/api/v1/services/overdue", tok_inv, &r);
    check_status(&r, 200);
    int found = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(check_json(&r), "items"), i, x) found |=
        json_integer_value(json_object_get(x, "id")) == id;
    assert_true(found);
    assert_null(strstr(r.body, "trauma"));
    http_free(&r);

    /* transitions, each at the version it changes (If-Match) */
    const char *v1[] = {"If-Match: \"1\"", NULL}, *v2[] = {"If-Match: \"2\"", NULL},
               *v3[] = {"If-Match: \"3\"", NULL};
    http_request(&srv, "PATCH", one, tok_inv, "{\"state\":\"active\"}", NULL, &r);
    check_status(&r, 428);
    http_free(&r);
    http_request(&srv, "PATCH", one, tok_inv, "{\"state\":\"active\"}", v1, &r);
    check_status(&r, 200);
    char etag[16];
    assert_non_null(http_header(&r, "ETag", etag, sizeof etag));
    assert_string_equal(etag, "\"2\"");
    assert_int_equal(json_int(check_json(&r), "version"), 2);
    http_free(&r);
    /* a stale version is refused and changes nothing */
    http_request(&srv, "PATCH", one, tok_inv,
                 "{\"state\":\"cancelled\",\"spl_ActualEndDate\":\"2026-01-20\"}", v1, &r);
    check_error(&r, 409, NULL);
    http_free(&r);
    http_request(&srv, "PATCH", one, tok_inv, "{\"state\":\"planned\"}", v2, &r);
    check_error(&r, 400, "state");
    http_free(&r);
    http_request(&srv, "PATCH", one, tok_inv, "{\"state\":\"completed\"}", v2, &r);
    check_error(&r, 400, "spl_ActualEndDate");
    http_free(&r);
    http_request(&srv, "PATCH", one, tok_inv, "{\"spl_ActualEndDate\":\"2026-01-20\"}", v2, &r);
    check_error(&r, 400, "spl_ActualEndDate");
    http_free(&r);
    http_request(&srv, "PATCH", one, tok_inv,
                 "{\"state\":\"completed\",\"spl_ActualEndDate\":\"2026-01-20\"}", v2, &r);
    check_status(&r, 200);
    assert_string_equal(json_str(check_json(&r), "state"), "completed");
    assert_string_equal(json_str(check_json(&r), "spl_Objectives"), "trauma counselling");
    assert_true(json_is_false(json_object_get(check_json(&r), "overdue")));
    assert_int_equal(json_int(check_json(&r), "version"), 3);
    http_free(&r);
    http_request(&srv, "PATCH", one, tok_inv, "{\"state\":\"active\"}", v3, &r);
    check_error(&r, 400, "state");
    http_free(&r);

    /* no longer overdue */
    http_get(&srv, "/api/v1/services/overdue", tok_inv, &r);
    found = 0;
    json_array_foreach(json_object_get(check_json(&r), "items"), i, x) found |=
        json_integer_value(json_object_get(x, "id")) == id;
    assert_false(found);
    http_free(&r);

    /* bad input */
    http_request(&srv, "POST", path, tok_inv, "{\"spl_Type\":\"Health\",\"provider\":\"NOPE\"}",
                 NULL, &r);
    check_error(&r, 400, "provider");
    http_free(&r);
    http_request(&srv, "POST", path, tok_inv, "{\"spl_Type\":\"Spa\",\"provider\":\"IAS\"}", NULL,
                 &r);
    check_error(&r, 400, "spl_Type");
    http_free(&r);
    http_request(&srv, "POST", path, tok_inv,
                 "{\"spl_Type\":\"Legal\",\"provider\":\"IAS\",\"person_id\":99999999}", NULL, &r);
    check_error(&r, 400, "person_id");
    http_free(&r);
    http_request(&srv, "PATCH", one, tok_inv, "{\"provider\":null}", v3, &r);
    check_error(&r, 400, "provider");
    http_free(&r);
    snprintf(body, sizeof body, "%s/99999999", path);
    http_request(&srv, "PATCH", body, tok_inv, "{\"state\":\"active\"}", v1, &r);
    check_error(&r, 404, NULL);
    http_free(&r);
    /* the prosecution and the court do not read support plans */
    expect(403, "GET", tok_pr, NULL, path);
    expect(403, "GET", tok_ma, NULL, path);
}

static void test_consent_and_referrals(void **state)
{
    (void)state;
    json_int_t c = new_case(), v = add_person(c, "victim");
    char rpath[96];
    snprintf(rpath, sizeof rpath, "/api/v1/cases/%lld/referrals", (long long)c);
    const char *to_ias = "{\"to\":\"IAS\",\"reason\":\"AdditionalServicesRequired\"}";
    struct http_resp r;
    /* no consent: refused, naming it */
    http_request(&srv, "POST", rpath, tok_inv, to_ias, NULL, &r);
    check_error(&r, 409, "consent");
    assert_non_null(strstr(r.body, "referral"));
    http_free(&r);
    consent(c, v, "referral", 1);
    json_int_t ref1 = post_id(rpath, tok_inv, to_ias);
    assert_true(ref1 > 0);
    /* withdrawn: refused again */
    consent(c, v, "referral", 0);
    http_request(&srv, "POST", rpath, tok_inv, to_ias, NULL, &r);
    check_error(&r, 409, "consent");
    http_free(&r);
    /* history and current */
    req("GET", tok_inv, NULL, &r, "/api/v1/cases/%lld/persons/%lld/consents", (long long)c,
        (long long)v);
    check_status(&r, 200);
    json_t *b = check_json(&r);
    assert_int_equal(json_array_size(json_object_get(b, "items")), 2);
    json_t *cur = json_object_get(b, "current");
    assert_true(json_is_false(json_object_get(cur, "referral")));
    assert_true(json_is_null(json_object_get(cur, "statistics")));
    assert_string_equal(json_str(json_array_get(json_object_get(b, "items"), 0), "recorded_by"),
                        "investigator");
    http_free(&r);
    /* an override with a reason: made, sealed, audited apart */
    json_int_t ref2 = post_id(rpath, tok_inv,
                              "{\"to\":\"GSC\",\"reason\":\"AdditionalServicesRequired\","
                              "\"override_reason\":\"immediate danger to the child\"}");
    char *trail = case_audit(c);
    char want[64];
    snprintf(want, sizeof want, "consent.override case:%lld/referral:%lld", (long long)c,
             (long long)ref2);
    assert_non_null(strstr(trail, want));
    assert_non_null(strstr(trail, "consent.withdraw"));
    assert_non_null(strstr(trail, "consent.grant"));
    assert_null(strstr(trail, "immediate danger"));
    free(trail);
    if (server_is_sqlite(&srv)) {
        size_t len = 0;
        char *db = read_file(srv.db, &len);
        assert_false(mem_contains(db, len, "immediate danger"));
        free(db);
    }
    /* bad input */
    req("POST", tok_inv, "{\"purpose\":\"marketing\",\"granted\":true}", &r,
        "/api/v1/cases/%lld/persons/%lld/consents", (long long)c, (long long)v);
    check_error(&r, 400, "purpose");
    http_free(&r);
    req("POST", tok_inv, "{\"purpose\":\"referral\",\"granted\":\"yes\"}", &r,
        "/api/v1/cases/%lld/persons/%lld/consents", (long long)c, (long long)v);
    check_error(&r, 400, "granted");
    http_free(&r);
    http_request(&srv, "POST", rpath, tok_inv,
                 "{\"to\":\"IAS\",\"reason\":\"AdditionalServicesRequired\",\"override_reason\":"
                 "\"\"}",
                 NULL, &r);
    check_error(&r, 400, "override_reason");
    http_free(&r);
}

/* The JSON export's record count, through the CLI. */
static size_t export_count(void)
{
    char out[600];
    snprintf(out, sizeof out, "%s/export.json", srv.dir);
    const char *const verb[] = {"export", NULL};
    const char *const args[] = {"--format", "json", "-o", out, NULL};
    assert_int_equal(vigil_cli(&srv, NULL, verb, args, NULL, NULL), 0);
    json_error_t e;
    json_t *doc = json_load_file(out, 0, &e);
    assert_non_null(doc);
    size_t n = json_array_size(json_object_get(doc, "records"));
    json_decref(doc);
    return n;
}

static void test_withdrawn_person_leaves_the_export(void **state)
{
    (void)state;
    json_int_t c = new_case(), v1 = add_person(c, "victim");
    add_person(c, "victim");
    size_t before = export_count();
    consent(c, v1, "data_sharing", 1);
    assert_int_equal(export_count(), before);
    consent(c, v1, "data_sharing", 0);
    assert_int_equal(export_count(), before - 1);
    consent(c, v1, "data_sharing", 1);
    assert_int_equal(export_count(), before);
}

static void test_referral_sides(void **state)
{
    (void)state;
    json_int_t c = new_case(), v = add_person(c, "victim");
    consent(c, v, "referral", 1);
    char sp[96], ev[96];
    snprintf(sp, sizeof sp, "/api/v1/cases/%lld/screenings", (long long)c);
    snprintf(ev, sizeof ev, "/api/v1/cases/%lld/events", (long long)c);
    char body[64];
    snprintf(body, sizeof body, "{\"person_id\":%lld}", (long long)v);
    post_id(sp, tok_inv, body);
    json_int_t accepted = refer(c, "IAS"), rejected = refer(c, "GSC");
    /* pending: neither side of the referral sees anything */
    expect(404, "GET", tok_cw, NULL, sp);
    expect(404, "GET", tok_sh, NULL, sp);
    decide(rejected, "reject", tok_sh);
    decide(accepted, "accept", tok_cw);
    /* accepted: IAS sees and works the case; rejected: GSC still does not */
    expect(200, "GET", tok_cw, NULL, sp);
    expect(201, "POST", tok_cw, "{\"hte_Type\":\"Exploitation\",\"hte_City\":\"Macao\"}", ev);
    expect(404, "GET", tok_sh, NULL, sp);
    expect(404, "POST", tok_sh, "{\"hte_Type\":\"Exploitation\"}", ev);
    /* the owner sees what IAS added */
    struct http_resp r;
    http_get(&srv, ev, tok_inv, &r);
    check_status(&r, 200);
    assert_int_equal(json_array_size(json_object_get(check_json(&r), "items")), 1);
    http_free(&r);
    /* completed: IAS's access ends, the owner keeps it */
    decide(accepted, "complete", tok_cw);
    expect(404, "GET", tok_cw, NULL, sp);
    expect(200, "GET", tok_inv, NULL, sp);
}

static void test_legal_roles_and_supervision(void **state)
{
    (void)state;
    json_int_t c = new_case();
    char lp[96], cp[64], sv[96], np[96];
    snprintf(cp, sizeof cp, "/api/v1/cases/%lld", (long long)c);
    snprintf(lp, sizeof lp, "%s/legal", cp);
    snprintf(sv, sizeof sv, "%s/supervision", cp);
    snprintf(np, sizeof np, "%s/notes", cp);
    post_id(lp, tok_inv, "{\"type\":\"investigation_opened\",\"reference\":\"PJ-2026-77\"}");
    /* the prosecutor sees the case once the referral to MP is accepted */
    json_int_t ref = refer(c, "MP");
    expect(404, "GET", tok_pr, NULL, lp);
    decide(ref, "accept", tok_pr);
    expect(200, "GET", tok_pr, NULL, lp);
    /* each side records its own steps only */
    struct http_resp r;
    http_request(&srv, "POST", lp, tok_pr, "{\"type\":\"investigation_opened\"}", NULL, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_request(&srv, "POST", lp, tok_inv,
                 "{\"type\":\"charge\",\"statute\":\"Penal Code\",\"article\":\"153-A\","
                 "\"exploitation\":\"sexual\"}",
                 NULL, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    post_id(lp, tok_pr,
            "{\"type\":\"charge\",\"statute\":\"Penal Code\",\"article\":\"153-A\","
            "\"exploitation\":\"labour\",\"on\":\"2026-02-01\"}");
    post_id(lp, tok_pr, "{\"type\":\"sentence\",\"months\":36}");
    post_id(lp, tok_inv, "{\"type\":\"prosecutor_referral\"}");
    /* bad steps */
    http_request(&srv, "POST", lp, tok_pr, "{\"type\":\"charge\",\"statute\":\"Penal Code\"}", NULL,
                 &r);
    check_error(&r, 400, "article");
    http_free(&r);
    http_request(&srv, "POST", lp, tok_pr,
                 "{\"type\":\"sentence\",\"months\":36,\"magistrate\":"
                 "\"X\"}",
                 NULL, &r);
    check_error(&r, 400, "magistrate");
    http_free(&r);
    http_request(&srv, "POST", lp, tok_pr, "{\"type\":\"sentence\",\"months\":-1}", NULL, &r);
    check_error(&r, 400, "months");
    http_free(&r);
    http_request(&srv, "POST", lp, tok_pr, "{\"type\":\"coronation\"}", NULL, &r);
    check_error(&r, 400, "type");
    http_free(&r);
    http_request(&srv, "POST", lp, tok_inv,
                 "{\"type\":\"authorisation\",\"what\":\"phone interception\",\"magistrate\":"
                 "\"Judge Example\",\"reference\":\"TJB-AUT-1\",\"court\":\"NOPE\"}",
                 NULL, &r);
    check_error(&r, 400, "court");
    http_free(&r);

    /* the court sees the case once an authorisation names it */
    expect(404, "GET", tok_ma, NULL, cp);
    post_id(lp, tok_inv,
            "{\"type\":\"authorisation\",\"what\":\"phone interception\",\"magistrate\":\"Judge "
            "Example\",\"reference\":\"TJB-AUT-1\",\"court\":\"TJB\",\"on\":\"2026-01-15\"}");
    expect(200, "GET", tok_ma, NULL, cp);
    expect(200, "GET", tok_ma, NULL, lp);
    /* and reads the whole trail, reads included, but writes nothing */
    http_get(&srv, sv, tok_ma, &r);
    check_status(&r, 200);
    json_t *b = check_json(&r);
    json_t *legal = json_object_get(b, "legal");
    assert_int_equal(json_array_size(legal), 5);
    /* in date order: the authorisation of 2026-01-15 before the charge of 2026-02-01 */
    json_t *auth = NULL, *x;
    size_t i;
    json_array_foreach(legal, i, x) if (strcmp(json_str(x, "type"), "authorisation") == 0) auth = x;
    assert_non_null(auth);
    assert_string_equal(json_str(auth, "magistrate"), "Judge Example");
    assert_string_equal(json_str(auth, "court"), "TJB");
    int creates = 0, reads = 0, sup = 0, grant = 0;
    json_array_foreach(json_object_get(b, "audit"), i, x)
    {
        const char *a = json_str(x, "action");
        creates += strcmp(a, "legal.create") == 0;
        reads += strcmp(a, "legal.read") == 0;
        sup += strcmp(a, "supervision.read") == 0;
        grant += strcmp(a, "case.grant") == 0;
    }
    assert_int_equal(creates, 5);
    assert_true(reads >= 2);
    assert_int_equal(sup, 1);
    assert_int_equal(grant, 1);
    http_free(&r);
    expect(403, "POST", tok_ma, "{\"type\":\"verdict\",\"outcome\":\"convicted\"}", lp);
    expect(403, "POST", tok_ma, "{\"text\":\"x\"}", np);
    expect(403, "PATCH", tok_ma, "{\"stage\":\"prosecution\"}", cp);
    char sc[96];
    snprintf(sc, sizeof sc, "%s/screenings", cp);
    expect(403, "POST", tok_ma, "{\"person_id\":1}", sc);
    /* supervision is the magistrate's */
    expect(403, "GET", tok_inv, NULL, sv);
    expect(403, "GET", tok_pr, NULL, sv);
    /* the case page shows the legal track to those who may read it */
    char page[64];
    snprintf(page, sizeof page, "/cases/%lld?lang=en", (long long)c);
    http_get(&srv, page, tok_ma, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "id=\"h-legal\""));
    assert_non_null(strstr(r.body, "153-A"));
    assert_non_null(strstr(r.body, "Judicial authorisation"));
    assert_null(strstr(r.body, "Services and support plans")); /* not the court's */
    http_free(&r);
    http_get(&srv, page, tok_inv, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "Services and support plans"));
    assert_non_null(strstr(r.body, "name=\"override_reason\""));
    http_free(&r);
}

static void test_events_and_timeline(void **state)
{
    (void)state;
    json_int_t c = new_case(), v = add_person(c, "victim");
    char ev[96], tl[96], sp[128], np[96];
    snprintf(ev, sizeof ev, "/api/v1/cases/%lld/events", (long long)c);
    snprintf(tl, sizeof tl, "/api/v1/cases/%lld/timeline", (long long)c);
    snprintf(np, sizeof np, "/api/v1/cases/%lld/notes", (long long)c);
    snprintf(sp, sizeof sp, "/api/v1/cases/%lld/persons/%lld/status", (long long)c, (long long)v);
    post_id(ev, tok_inv,
            "{\"hte_Type\":\"Exploitation\",\"hte_Date\":\"2025-11-02\",\"hte_City\":\"Macao\","
            "\"hte_Country\":\"MO\",\"hte_Description\":\"held in a flat above the bar\"}");
    post_id(ev, tok_inv,
            "{\"hte_Type\":\"Recruitment\",\"hte_Date\":\"2025-09-01\",\"hte_City\":\"Davao\","
            "\"hte_Country\":\"PH\"}");
    post_id(sp, tok_inv,
            "{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\","
            "\"vic_TraffickingStatusDecisionMakingOrg\":\"Police\",\"decided_on\":\"2025-12-01\"}");
    post_id(np, tok_inv, "{\"text\":\"timeline note\"}");
    struct http_resp r;
    http_get(&srv, ev, tok_inv, &r);
    check_status(&r, 200);
    json_t *items = json_object_get(check_json(&r), "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(json_str(json_array_get(items, 0), "hte_Type"), "Recruitment");
    assert_true(json_is_null(json_object_get(json_array_get(items, 0), "hte_Description")));
    assert_string_equal(json_str(json_array_get(items, 1), "hte_Description"),
                        "held in a flat above the bar");
    http_free(&r);

    http_get(&srv, tl, tok_inv, &r);
    check_status(&r, 200);
    items = json_object_get(check_json(&r), "items");
    assert_true(json_array_size(items) >= 4);
    const char *prev = "";
    size_t i;
    json_t *x;
    const char *kinds[4];
    json_array_foreach(items, i, x)
    {
        const char *d = json_str(x, "date");
        assert_true(strcmp(prev, d) <= 0);
        prev = d;
        if (i < 4)
            kinds[i] = json_str(x, "kind");
    }
    assert_string_equal(kinds[0], "event");  /* 2025-09-01 */
    assert_string_equal(kinds[1], "event");  /* 2025-11-02 */
    assert_string_equal(kinds[2], "status"); /* 2025-12-01 */
    assert_null(strstr(r.body, "flat above the bar"));
    http_free(&r);
    /* the prosecutor of another agency sees nothing; bad input */
    expect(404, "GET", tok_pr, NULL, tl);
    http_request(&srv, "POST", ev, tok_inv, "{\"hte_Type\":\"Holiday\"}", NULL, &r);
    check_error(&r, 400, "hte_Type");
    http_free(&r);
    http_request(&srv, "POST", ev, tok_inv, "{\"hte_Type\":\"Transit\",\"hte_Country\":\"XX\"}",
                 NULL, &r);
    check_error(&r, 400, "hte_Country");
    http_free(&r);
    http_request(&srv, "POST", ev, tok_inv,
                 "{\"hte_Type\":\"Transit\",\"hte_Date\":\"2999-01-01\"}", NULL, &r);
    check_error(&r, 400, "hte_Date");
    http_free(&r);
    http_request(&srv, "POST", ev, tok_inv, "[1]", NULL, &r);
    check_error(&r, 400, NULL);
    http_free(&r);
    char *trail = case_audit(c);
    assert_non_null(strstr(trail, "timeline.read"));
    assert_non_null(strstr(trail, "event.read"));
    free(trail);
    check_healthy(&srv);
}

/* POST a form as a fresh investigator session (bearer token and its CSRF
 * token); the status, the body printed when it is not want. */
static long post_form(const char *path, const char *fields, long want)
{
    struct http_resp lr;
    login_as(&srv, "investigator", DEMO_PASSWORD, &lr);
    const char *tok = json_string_value(json_object_get(lr.json, "token"));
    const char *csrf = json_string_value(json_object_get(lr.json, "csrf"));
    assert_non_null(tok);
    assert_non_null(csrf);
    char body[1024];
    snprintf(body, sizeof body, "csrf=%s&%s", csrf, fields);
    struct http_req rq = {.method = "POST",
                          .path = path,
                          .token = tok,
                          .body = body,
                          .content_type = "application/x-www-form-urlencoded"};
    struct http_resp r;
    long st = http_do(&srv, &rq, &r);
    if (st != want)
        fprintf(stderr, "POST %s: %ld %s\n", path, st, r.body ? r.body : "");
    http_free(&r);
    http_free(&lr);
    return st;
}

static void test_case_page_forms(void **state)
{
    (void)state;
    json_int_t c = new_case(), v = add_person(c, "victim"), w = add_person(c, "witness");
    char path[128];
    snprintf(path, sizeof path, "/cases/%lld/legal", (long long)c);
    assert_int_equal(post_form(path,
                               "type=authorisation&on=2026-01-05&what=search+of+premises&"
                               "magistrate=Judge+Example&reference=TJB-9&court=TJB&"
                               "statute=&months=",
                               303),
                     303);
    assert_int_equal(post_form(path, "type=charge&statute=Penal+Code&article=153-A", 403), 403);
    snprintf(path, sizeof path, "/cases/%lld/events", (long long)c);
    assert_int_equal(post_form(path,
                               "hte_Type=Transit&hte_Country=TH&hte_City=Bangkok&"
                               "hte_Description=by+bus",
                               303),
                     303);
    assert_int_equal(post_form(path, "hte_Type=Transit&hte_Country=Thailand", 400), 400);
    snprintf(path, sizeof path, "/cases/%lld/persons/%lld/status", (long long)c, (long long)v);
    assert_int_equal(post_form(path,
                               "vic_TraffickingStatus=PossibleVictimOfTrafficking&"
                               "vic_TraffickingStatusDecisionMakingOrg=Police&reason=x",
                               303),
                     303);
    snprintf(path, sizeof path, "/cases/%lld/persons/%lld/status", (long long)c, (long long)w);
    assert_int_equal(post_form(path,
                               "vic_TraffickingStatus=PossibleVictimOfTrafficking&"
                               "vic_TraffickingStatusDecisionMakingOrg=Police",
                               409),
                     409);
    snprintf(path, sizeof path, "/cases/%lld/persons/%lld/consents", (long long)c, (long long)v);
    assert_int_equal(post_form(path, "purpose=referral&granted=granted", 303), 303);
    /* what the forms stored, through the API */
    struct http_resp r;
    req("GET", tok_inv, NULL, &r, "/api/v1/cases/%lld/legal", (long long)c);
    assert_int_equal(json_array_size(json_object_get(check_json(&r), "items")), 1);
    http_free(&r);
    req("GET", tok_inv, NULL, &r, "/api/v1/cases/%lld/persons/%lld/consents", (long long)c,
        (long long)v);
    assert_true(
        json_is_true(json_object_get(json_object_get(check_json(&r), "current"), "referral")));
    http_free(&r);
    /* and the page shows them, with the forms */
    req("GET", tok_inv, NULL, &r, "/cases/%lld?lang=en", (long long)c);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "Bangkok"));
    assert_non_null(strstr(r.body, "TJB-9"));
    assert_non_null(strstr(r.body, "Record a legal step"));
    assert_non_null(strstr(r.body, "Status decision")); /* in the timeline */
    http_free(&r);

    /* one page view, one protection.read entry */
    char *trail = case_audit(c);
    const char *p = trail;
    int reads = 0;
    while ((p = strstr(p, "protection.read")) != NULL) {
        reads++;
        p++;
    }
    assert_int_equal(reads, 1);
    free(trail);

    /* the screening form: answers and notes, the child rule, a recommendation */
    snprintf(path, sizeof path, "/cases/%lld/screenings", (long long)c);
    char form[512];
    snprintf(form, sizeof form,
             "person_id=%lld&child=yes&screened_on=2026-01-06&pal-act=yes&pal-purpose=yes&"
             "ilo-deception=yes&ilo-deception-note=promised+a+hotel+job&ilo-debt_bondage=no",
             (long long)v);
    assert_int_equal(post_form(path, form, 303), 303);
    assert_int_equal(post_form(path, "person_id=&pal-act=yes", 400), 400);
    snprintf(form, sizeof form, "person_id=%lld&ilo-deception=perhaps", (long long)v);
    assert_int_equal(post_form(path, form, 400), 400);
    req("GET", tok_inv, NULL, &r, "/api/v1/cases/%lld/screenings", (long long)c);
    json_t *sc = json_array_get(json_object_get(check_json(&r), "items"), 0);
    assert_non_null(sc);
    assert_true(json_is_true(json_object_get(sc, "child")));
    assert_string_equal(json_str(sc, "screened_on"), "2026-01-06");
    assert_string_equal(json_str(sc, "recommendation"), "likely_victim");
    assert_string_equal(
        json_str(json_object_get(json_object_get(sc, "indicators"), "deception"), "note"),
        "promised a hotel job");
    http_free(&r);

    /* services: arranged on the page, changed at the version the form showed */
    snprintf(path, sizeof path, "/cases/%lld/services", (long long)c);
    snprintf(form, sizeof form,
             "person_id=%lld&spl_Type=Health&provider=PJ&spl_PlannedEndDate=2026-03-01&"
             "spl_Objectives=weekly+counselling+sessions",
             (long long)v);
    assert_int_equal(post_form(path, form, 303), 303);
    req("GET", tok_inv, NULL, &r, "/api/v1/cases/%lld/services", (long long)c);
    json_t *sv = json_array_get(json_object_get(check_json(&r), "items"), 0);
    assert_non_null(sv);
    json_int_t sid = json_int(sv, "id");
    assert_int_equal(json_int(sv, "version"), 1);
    http_free(&r);
    snprintf(path, sizeof path, "/cases/%lld/services/%lld", (long long)c, (long long)sid);
    assert_int_equal(post_form(path, "version=1&state=active", 303), 303);
    /* a second form drawn before that change is stale */
    assert_int_equal(post_form(path, "version=1&state=cancelled&spl_ActualEndDate=2026-01-07", 409),
                     409);
    assert_int_equal(post_form(path, "state=active", 400), 400);
    req("GET", tok_inv, NULL, &r, "/api/v1/cases/%lld/services", (long long)c);
    sv = json_array_get(json_object_get(check_json(&r), "items"), 0);
    assert_string_equal(json_str(sv, "state"), "active");
    assert_int_equal(json_int(sv, "version"), 2);
    http_free(&r);

    /* the page opens the sealed free text for those who may read it */
    req("GET", tok_inv, NULL, &r, "/cases/%lld?lang=en", (long long)c);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "by bus"));               /* event description */
    assert_non_null(strstr(r.body, "promised a hotel job")); /* screening note */
    assert_non_null(strstr(r.body, "weekly counselling"));   /* service objectives */
    assert_non_null(strstr(r.body, "Screen a person"));
    assert_non_null(strstr(r.body, "name=\"version\" value=\"2\""));
    assert_null(strstr(r.body, "/supervision\"")); /* not the investigator's */
    http_free(&r);
    /* the magistrate's supervision page: legal steps and the whole trail,
     * its own visit included; nobody else's */
    req("GET", tok_ma, NULL, &r, "/cases/%lld/supervision?lang=en", (long long)c);
    check_status(&r, 200); /* the court was granted the case by its authorisation */
    {
        assert_non_null(strstr(r.body, "TJB-9"));
        assert_non_null(strstr(r.body, "screening.create"));
        assert_non_null(strstr(r.body, "service.update"));
        assert_non_null(strstr(r.body, "supervision.read"));
        assert_null(strstr(r.body, "action=\"/cases/")); /* read-only: no case form */
    }
    http_free(&r);
    req("GET", tok_inv, NULL, &r, "/cases/%lld/supervision", (long long)c);
    check_status(&r, 403);
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screening_recommends_only),
        cmocka_unit_test(test_status_decisions),
        cmocka_unit_test(test_services),
        cmocka_unit_test(test_consent_and_referrals),
        cmocka_unit_test(test_withdrawn_person_leaves_the_export),
        cmocka_unit_test(test_referral_sides),
        cmocka_unit_test(test_legal_roles_and_supervision),
        cmocka_unit_test(test_events_and_timeline),
        cmocka_unit_test(test_case_page_forms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
