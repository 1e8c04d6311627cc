/*
 * HTTP tests of the case registry (DESIGN §7): the smallest valid requests
 * (create a case, add a victim, a suspect and a note), the case list with its
 * filters, text search and pagination, optimistic concurrency with If-Match,
 * and referrals between agencies with their states and the access they grant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"

static struct server srv;
static char *tok_inv; /* investigator, PJ */
static char *tok_cw;  /* caseworker, IAS */
static char *tok_sh;  /* shelter (caseworker), GSC */

static int setup(void **state)
{
    (void)state;
    if (server_start(&srv, NULL))
        return -1;
    tok_inv = login(&srv, "investigator");
    tok_cw = login(&srv, "caseworker");
    tok_sh = login(&srv, "shelter");
    return tok_inv && tok_cw && tok_sh ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tok_inv);
    free(tok_cw);
    free(tok_sh);
    int rc = server_stop(&srv); /* -1: it was not running (setup failed) */
    if (rc > 0)
        fprintf(stderr, "the server exited with status %d; see %s\n", rc, srv.log);
    server_cleanup(&srv);
    return rc > 0 ? -1 : 0;
}

/* POST a JSON body as tok and expect want; returns the body's "id". */
static json_int_t post_id(const char *path, const char *tok, const char *body, long want)
{
    struct http_resp r;
    http_request(&srv, "POST", path, tok, body, NULL, &r);
    check_status(&r, want);
    json_int_t id = json_int(check_json(&r), "id");
    http_free(&r);
    return id;
}

static json_int_t new_case(const char *tok, const char *body)
{
    return post_id("/api/v1/cases", tok,
                   body ? body
                        : "{\"category\":\"trafficking\",\"source\":"
                          "\"police\"}",
                   201);
}

static int is_reference(const char *ref, int year)
{
    char want[32];
    snprintf(want, sizeof want, "TIP-%04d-", year);
    if (strlen(ref) != 13 || strncmp(ref, want, 9) != 0)
        return 0;
    for (int i = 9; i < 13; i++)
        if (ref[i] < '0' || ref[i] > '9')
            return 0;
    return 1;
}

static void test_create_and_get(void **state)
{
    (void)state;
    struct http_resp r;
    char buf[256];
    http_request(&srv, "POST", "/api/v1/cases", tok_inv,
                 "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
    check_status(&r, 201);
    json_t *c = check_json(&r);
    json_int_t id = json_int(c, "id");
    assert_true(id > 0);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    const char *ref = json_str(c, "reference");
    assert_true(is_reference(ref, tm.tm_year + 1900));
    assert_int_equal(json_int(c, "version"), 1);
    assert_string_equal(json_str(c, "category"), "trafficking");
    assert_string_equal(json_str(c, "source"), "police");
    assert_string_equal(json_str(c, "cas_Status"), "Active");
    assert_string_equal(json_str(c, "stage"), "intake");
    assert_string_equal(json_str(c, "organisation"), "PJ");
    assert_non_null(http_header(&r, "ETag", buf, sizeof buf));
    assert_string_equal(buf, "\"1\"");
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/cases/%lld", (long long)id);
    assert_non_null(http_header(&r, "Location", buf, sizeof buf));
    assert_string_equal(buf, loc);
    char *refcopy = strdup(ref);
    http_free(&r);

    http_get(&srv, loc, tok_inv, &r);
    check_status(&r, 200);
    c = check_json(&r);
    assert_int_equal(json_int(c, "id"), id);
    assert_string_equal(json_str(c, "reference"), refcopy);
    assert_int_equal(json_int(c, "version"), 1);
    assert_non_null(http_header(&r, "ETag", buf, sizeof buf));
    assert_string_equal(buf, "\"1\"");
    http_free(&r);

    /* A second case gets the next reference. */
    json_int_t id2 = new_case(tok_inv, NULL);
    snprintf(loc, sizeof loc, "/api/v1/cases/%lld", (long long)id2);
    http_get(&srv, loc, tok_inv, &r);
    check_status(&r, 200);
    assert_true(id2 != id);
    assert_string_not_equal(json_str(check_json(&r), "reference"), refcopy);
    free(refcopy);
    http_free(&r);
}

static json_t *find_by_id(json_t *items, json_int_t id)
{
    size_t i;
    json_t *x;
    json_array_foreach(items, i,
                       x) if (json_integer_value(json_object_get(x, "id")) == id) return x;
    return NULL;
}

static void test_persons(void **state)
{
    (void)state;
    json_int_t id = new_case(tok_inv, NULL);
    char path[96], first[40];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)id);
    snprintf(first, sizeof first, "Maria");
    struct http_resp r;
    http_request(&srv, "POST", path, tok_inv,
                 "{\"role\":\"victim\",\"prs_FirstName\":\"Maria\",\"prs_SecondName\":\"Santos\","
                 "\"prs_Gender\":\"Feminine\",\"prs_Citizenship\":[\"PH\"]}",
                 NULL, &r);
    check_status(&r, 201);
    json_t *p = check_json(&r);
    json_int_t victim = json_int(p, "id");
    assert_string_equal(json_str(p, "role"), "victim");
    assert_string_equal(json_str(p, "prs_FirstName"), first);
    http_free(&r);

    json_int_t suspect =
        post_id(path, tok_inv,
                "{\"role\":\"suspect\",\"prs_FirstName\":\"Ken\",\"prs_SecondName\":\"Ho\","
                "\"per_RoleInProcess\":[\"RecruiterOrIntermediary\"]}",
                201);
    assert_true(suspect != victim);

    /* A suspect carries no victim context. */
    http_request(&srv, "POST", path, tok_inv, "{\"role\":\"suspect\",\"vic_AgeWhenTrafficked\":20}",
                 NULL, &r);
    check_error(&r, 400, "vic_AgeWhenTrafficked");
    http_free(&r);

    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    json_t *items = json_object_get(check_json(&r), "items");
    assert_int_equal(json_array_size(items), 2);
    json_t *v = find_by_id(items, victim), *s = find_by_id(items, suspect);
    assert_non_null(v);
    assert_non_null(s);
    assert_string_equal(json_str(v, "prs_FirstName"), "Maria");
    assert_string_equal(json_str(v, "prs_SecondName"), "Santos");
    assert_string_equal(json_str(v, "prs_Gender"), "Feminine");
    assert_string_equal(json_string_value(json_array_get(json_object_get(v, "prs_Citizenship"), 0)),
                        "PH");
    assert_int_equal(json_int(v, "case_id"), id);
    assert_string_equal(json_str(s, "role"), "suspect");
    assert_string_equal(json_str(s, "prs_SecondName"), "Ho");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(s, "per_RoleInProcess"), 0)),
        "RecruiterOrIntermediary");
    http_free(&r);
}

static void test_notes(void **state)
{
    (void)state;
    json_int_t id = new_case(tok_inv, NULL);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)id);
    json_int_t n1 = post_id(path, tok_inv, "{\"text\":\"First contact by the hotline.\"}", 201);
    json_int_t n2 =
        post_id(path, tok_inv, "{\"text\":\"澳門 — interview with an interpreter.\"}", 201);
    assert_true(n1 != n2);
    struct http_resp r;
    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    json_t *items = json_object_get(check_json(&r), "items");
    assert_int_equal(json_array_size(items), 2);
    json_t *a = find_by_id(items, n1), *b = find_by_id(items, n2);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(json_str(a, "text"), "First contact by the hotline.");
    assert_string_equal(json_str(b, "text"), "澳門 — interview with an interpreter.");
    http_free(&r);
}

/* GET a case list as tok; the response (checked 200) in r. */
static json_t *list(const char *query, const char *tok, struct http_resp *r)
{
    char path[512];
    snprintf(path, sizeof path, "/api/v1/cases%s", query);
    http_get(&srv, path, tok, r);
    check_status(r, 200);
    json_t *b = check_json(r);
    json_t *items = json_object_get(b, "items");
    assert_true(json_is_array(items));
    return b;
}

/* Every item has key == want. */
static void all_have(json_t *items, const char *key, const char *want)
{
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
    {
        const char *v = json_string_value(json_object_get(x, key));
        assert_non_null(v);
        assert_string_equal(v, want);
    }
}

static void test_list_filters(void **state)
{
    (void)state;
    struct http_resp r;
    /* A labour case opened on a date no other case of this suite uses. */
    json_int_t id = new_case(tok_inv, "{\"category\":\"labour_exploitation\",\"source\":"
                                      "\"inspection\",\"stage\":\"screening\","
                                      "\"cas_Status\":\"FollowUp\",\"opened_on\":\"2018-03-07\"}");

    json_t *b = list("?category=labour_exploitation&stage=screening&status=FollowUp", tok_inv, &r);
    json_t *items = json_object_get(b, "items");
    assert_non_null(find_by_id(items, id));
    all_have(items, "category", "labour_exploitation");
    all_have(items, "stage", "screening");
    all_have(items, "cas_Status", "FollowUp");
    assert_int_equal(json_int(b, "total"), json_array_size(items));
    http_free(&r);

    b = list("?category=trafficking", tok_inv, &r);
    assert_null(find_by_id(json_object_get(b, "items"), id));
    all_have(json_object_get(b, "items"), "category", "trafficking");
    http_free(&r);

    b = list("?source=inspection", tok_inv, &r);
    assert_non_null(find_by_id(json_object_get(b, "items"), id));
    all_have(json_object_get(b, "items"), "source", "inspection");
    http_free(&r);

    /* from/to bound opened_on, inclusively. */
    b = list("?from=2018-03-07&to=2018-03-07&per_page=200", tok_inv, &r);
    items = json_object_get(b, "items");
    assert_non_null(find_by_id(items, id));
    all_have(items, "opened_on", "2018-03-07");
    http_free(&r);
    b = list("?from=2018-03-08&per_page=200", tok_inv, &r);
    items = json_object_get(b, "items");
    assert_null(find_by_id(items, id));
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
        assert_true(strcmp(json_str(x, "opened_on"), "2018-03-08") >= 0);
    http_free(&r);
    b = list("?to=2018-03-06&per_page=200", tok_inv, &r);
    items = json_object_get(b, "items");
    assert_null(find_by_id(items, id));
    json_array_foreach(items, i, x)
        assert_true(strcmp(json_str(x, "opened_on"), "2018-03-06") <= 0);
    http_free(&r);

    /* organisation: the owning agency. */
    b = list("?organisation=PJ&per_page=200", tok_inv, &r);
    assert_non_null(find_by_id(json_object_get(b, "items"), id));
    all_have(json_object_get(b, "items"), "organisation", "PJ");
    http_free(&r);
    b = list("?organisation=IAS&per_page=200", tok_inv, &r);
    assert_null(find_by_id(json_object_get(b, "items"), id));
    all_have(json_object_get(b, "items"), "organisation", "IAS");
    http_free(&r);

    /* Only cases visible to the caller's agency: never in IAS's list. */
    b = list("?per_page=200", tok_cw, &r);
    assert_null(find_by_id(json_object_get(b, "items"), id));
    http_free(&r);
}

static void test_search(void **state)
{
    (void)state;
    struct http_resp r;
    char word[40], hex[17], body[128], query[128], path[96];
    random_hex(hex, 8);
    snprintf(word, sizeof word, "Quokka%s", hex);
    json_int_t id = new_case(tok_inv, NULL);
    json_int_t other = new_case(tok_inv, NULL);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)id);
    snprintf(body, sizeof body, "{\"text\":\"Met the worker near %s pier.\"}", word);
    post_id(path, tok_inv, body, 201);

    snprintf(query, sizeof query, "?q=%s", word);
    json_t *b = list(query, tok_inv, &r);
    assert_int_equal(json_int(b, "total"), 1);
    assert_int_equal(json_array_size(json_object_get(b, "items")), 1);
    assert_non_null(find_by_id(json_object_get(b, "items"), id));
    http_free(&r);

    /* Another agency does not find it through search either. */
    b = list(query, tok_cw, &r);
    assert_int_equal(json_int(b, "total"), 0);
    http_free(&r);

    /* By reference. */
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)other);
    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    snprintf(query, sizeof query, "?q=%s", json_str(check_json(&r), "reference"));
    http_free(&r);
    b = list(query, tok_inv, &r);
    assert_int_equal(json_int(b, "total"), 1);
    assert_non_null(find_by_id(json_object_get(b, "items"), other));
    http_free(&r);

    /* A word nobody wrote. */
    random_hex(hex, 8);
    snprintf(query, sizeof query, "?q=Nowhere%s", hex);
    b = list(query, tok_inv, &r);
    assert_int_equal(json_int(b, "total"), 0);
    assert_int_equal(json_array_size(json_object_get(b, "items")), 0);
    http_free(&r);
}

static void test_pagination(void **state)
{
    (void)state;
    struct http_resp r;
    json_t *b = list("?per_page=200", tok_inv, &r);
    json_int_t total = json_int(b, "total");
    json_t *all = json_deep_copy(json_object_get(b, "items"));
    assert_int_equal(json_array_size(all), (size_t)total);
    assert_true(total >= 5);
    http_free(&r);

    /* Walk pages of 3: the same total on each, no repeats, all cases seen. */
    json_t *seen = json_array();
    for (int page = 1; page <= (int)(total + 2) / 3; page++) {
        char q[64];
        snprintf(q, sizeof q, "?per_page=3&page=%d", page);
        b = list(q, tok_inv, &r);
        assert_int_equal(json_int(b, "total"), total);
        assert_int_equal(json_int(b, "page"), page);
        assert_int_equal(json_int(b, "per_page"), 3);
        json_t *items = json_object_get(b, "items");
        size_t want = page * 3 <= total ? 3 : (size_t)(total - (page - 1) * 3);
        assert_int_equal(json_array_size(items), want);
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x)
        {
            json_int_t id = json_int(x, "id");
            assert_null(find_by_id(seen, id));
            assert_non_null(find_by_id(all, id));
            json_array_append_new(seen, json_pack("{s:I}", "id", id));
        }
        http_free(&r);
    }
    assert_int_equal(json_array_size(seen), (size_t)total);
    json_decref(seen);
    json_decref(all);

    /* Past the end: no items, the same total. */
    b = list("?per_page=3&page=1000", tok_inv, &r);
    assert_int_equal(json_array_size(json_object_get(b, "items")), 0);
    assert_int_equal(json_int(b, "total"), total);
    http_free(&r);
}

static void test_patch_if_match(void **state)
{
    (void)state;
    json_int_t id = new_case(tok_inv, NULL);
    char path[64], buf[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    struct http_resp r;
    const char *v1[] = {"If-Match: \"1\"", NULL};
    http_request(&srv, "PATCH", path, tok_inv, "{\"stage\":\"screening\"}", v1, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "version"), 2);
    assert_string_equal(json_str(r.json, "stage"), "screening");
    assert_non_null(http_header(&r, "ETag", buf, sizeof buf));
    assert_string_equal(buf, "\"2\"");
    http_free(&r);

    /* The same stale version again: a conflict, nothing changed. */
    http_request(&srv, "PATCH", path, tok_inv, "{\"stage\":\"protection\"}", v1, &r);
    check_error(&r, 409, NULL);
    http_free(&r);
    /* No If-Match at all: 428. */
    http_request(&srv, "PATCH", path, tok_inv, "{\"stage\":\"protection\"}", NULL, &r);
    check_error(&r, 428, NULL);
    http_free(&r);

    http_get(&srv, path, tok_inv, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "version"), 2);
    assert_string_equal(json_str(r.json, "stage"), "screening");
    http_free(&r);

    /* The current version works, and closing sets closed_on. */
    const char *v2[] = {"If-Match: \"2\"", NULL};
    http_request(&srv, "PATCH", path, tok_inv, "{\"cas_Status\":\"Closed\",\"stage\":\"closed\"}",
                 v2, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "version"), 3);
    assert_string_equal(json_str(r.json, "cas_Status"), "Closed");
    assert_non_null(json_string_value(json_object_get(r.json, "closed_on")));
    http_free(&r);
}

static json_t *get_json(const char *path, const char *tok, long want, struct http_resp *r)
{
    http_get(&srv, path, tok, r);
    check_status(r, want);
    return r->json;
}

static void decide(json_int_t ref, const char *verb, const char *tok, long want)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/referrals/%lld/%s", (long long)ref, verb);
    struct http_resp r;
    http_request(&srv, "POST", path, tok, NULL, NULL, &r);
    check_status(&r, want);
    if (want == 200) {
        static const struct {
            const char *verb, *state;
        } states[] = {{"accept", "accepted"}, {"reject", "rejected"}, {"complete", "completed"}};
        for (size_t i = 0; i < 3; i++)
            if (strcmp(states[i].verb, verb) == 0)
                assert_string_equal(json_str(check_json(&r), "state"), states[i].state);
        assert_int_equal(json_int(r.json, "id"), ref);
    } else {
        check_error(&r, want, NULL);
    }
    http_free(&r);
}

static int inbox_has(const char *tok, const char *state, json_int_t ref)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/referrals%s%s", state ? "?state=" : "",
             state ? state : "");
    struct http_resp r;
    json_t *b = get_json(path, tok, 200, &r);
    json_t *items = json_object_get(b, "items");
    assert_true(json_is_array(items));
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) if (state) assert_string_equal(json_str(x, "state"), state);
    int found = find_by_id(items, ref) != NULL;
    http_free(&r);
    return found;
}

static void test_referral_accept_complete(void **state)
{
    (void)state;
    json_int_t id = new_case(tok_inv, NULL);
    char cpath[64], rpath[96];
    snprintf(cpath, sizeof cpath, "/api/v1/cases/%lld", (long long)id);
    snprintf(rpath, sizeof rpath, "%s/referrals", cpath);
    json_int_t ref =
        post_id(rpath, tok_inv, "{\"to\":\"IAS\",\"reason\":\"AdditionalServicesRequired\"}", 201);

    struct http_resp r;
    /* Before accepting, IAS does not see the case. */
    get_json(cpath, tok_cw, 404, &r);
    http_free(&r);
    /* The case lists its referral as pending. */
    json_t *b = get_json(rpath, tok_inv, 200, &r);
    json_t *x = find_by_id(json_object_get(b, "items"), ref);
    assert_non_null(x);
    assert_string_equal(json_str(x, "state"), "pending");
    http_free(&r);

    /* It is in IAS's inbox, not the shelter's; the sender cannot decide it. */
    assert_true(inbox_has(tok_cw, "pending", ref));
    assert_true(inbox_has(tok_cw, NULL, ref));
    assert_false(inbox_has(tok_cw, "accepted", ref));
    assert_false(inbox_has(tok_sh, NULL, ref));
    decide(ref, "accept", tok_inv, 404);
    decide(ref, "accept", tok_sh, 404);
    /* Completing needs an accepted referral. */
    decide(ref, "complete", tok_cw, 409);

    decide(ref, "accept", tok_cw, 200);
    b = get_json(cpath, tok_cw, 200, &r);
    assert_int_equal(json_int(b, "id"), id);
    http_free(&r);
    assert_true(inbox_has(tok_cw, "accepted", ref));
    assert_false(inbox_has(tok_cw, "pending", ref));
    /* The receiving agency now finds the case in its list. */
    b = get_json("/api/v1/cases?per_page=200", tok_cw, 200, &r);
    assert_non_null(find_by_id(json_object_get(b, "items"), id));
    http_free(&r);

    /* A second accept, or a reject after accepting, is a conflict. */
    decide(ref, "accept", tok_cw, 409);
    decide(ref, "reject", tok_cw, 409);

    decide(ref, "complete", tok_cw, 200);
    decide(ref, "complete", tok_cw, 409);
    b = get_json(rpath, tok_inv, 200, &r);
    x = find_by_id(json_object_get(b, "items"), ref);
    assert_non_null(x);
    assert_string_equal(json_str(x, "state"), "completed");
    http_free(&r);
}

static void test_referral_reject(void **state)
{
    (void)state;
    json_int_t id = new_case(tok_inv, NULL);
    char cpath[64], rpath[96];
    snprintf(cpath, sizeof cpath, "/api/v1/cases/%lld", (long long)id);
    snprintf(rpath, sizeof rpath, "%s/referrals", cpath);
    json_int_t ref = post_id(
        rpath, tok_inv,
        "{\"to\":\"GSC\",\"reason\":\"AdditionalServicesRequired\",\"details\":\"Shelter\"}", 201);
    decide(ref, "reject", tok_sh, 200);
    decide(ref, "accept", tok_sh, 409);
    decide(ref, "complete", tok_sh, 409);
    struct http_resp r;
    get_json(cpath, tok_sh, 404, &r);
    http_free(&r);
    assert_true(inbox_has(tok_sh, "rejected", ref));

    /* Not to one's own agency, nor to an agency that does not exist. */
    http_request(&srv, "POST", rpath, tok_inv,
                 "{\"to\":\"PJ\",\"reason\":\"AdditionalServicesRequired\"}", NULL, &r);
    check_error(&r, 400, "to");
    http_free(&r);
    http_request(&srv, "POST", rpath, tok_inv,
                 "{\"to\":\"NOPE\",\"reason\":\"AdditionalServicesRequired\"}", NULL, &r);
    check_error(&r, 400, "to");
    http_free(&r);
    http_request(&srv, "POST", rpath, tok_inv, "{\"to\":\"IAS\",\"reason\":\"Boredom\"}", NULL, &r);
    check_error(&r, 400, "reason");
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_get),  cmocka_unit_test(test_persons),
        cmocka_unit_test(test_notes),           cmocka_unit_test(test_list_filters),
        cmocka_unit_test(test_search),          cmocka_unit_test(test_pagination),
        cmocka_unit_test(test_patch_if_match),  cmocka_unit_test(test_referral_accept_complete),
        cmocka_unit_test(test_referral_reject),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
