/*
 * HTTP tests of the committee's meetings, measures and activities (the
 * committee issue): create, read and update over the API with If-Match
 * (428 without, 409 when stale); a meeting whose minutes are approved is
 * read-only (409, and nothing changes); bad input is a 400 naming the field
 * and stores nothing; only the secretariat writes meetings and measures;
 * progress moves a measure's state and is for the owning agency; the
 * overdue and activity filters; and the pages, with the overdue highlight,
 * in Chinese, English and Portuguese, and their forms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;
static char *sec, *cw, *ins, *aud, *inv;

static int setup(void **state)
{
    (void)state;
    if (server_start(&srv, NULL))
        return -1;
    sec = login(&srv, "secretariat");
    cw = login(&srv, "caseworker");
    ins = login(&srv, "inspector");
    aud = login(&srv, "auditor");
    inv = login(&srv, "investigator");
    return sec && cw && ins && aud && inv ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(sec);
    free(cw);
    free(ins);
    free(aud);
    free(inv);
    server_cleanup(&srv);
    return 0;
}

/* POST body to path as tok, expecting 201; the new object (decref it). */
static json_t *create(const char *path, const char *tok, const char *body)
{
    struct http_resp r;
    http_request(&srv, "POST", path, tok, body, NULL, &r);
    check_status(&r, 201);
    json_t *j = json_incref(check_json(&r));
    http_free(&r);
    return j;
}

/* GET path as tok (200); the answer (decref it). */
static json_t *get(const char *path, const char *tok)
{
    struct http_resp r;
    http_get(&srv, path, tok, &r);
    check_status(&r, 200);
    json_t *j = json_incref(check_json(&r));
    http_free(&r);
    return j;
}

static size_t count(const char *path)
{
    json_t *j = get(path, sec);
    size_t n = json_array_size(json_object_get(j, "items"));
    json_decref(j);
    return n;
}

/* A request that must fail with want naming field, and change nothing at
 * list (the number of items there stays the same). */
static void refused(const char *method, const char *path, const char *tok, const char *body,
                    const char *const hdr[], long want, const char *field, const char *list)
{
    size_t before = list ? count(list) : 0;
    struct http_resp r;
    http_request(&srv, method, path, tok, body, hdr, &r);
    if (r.status != want)
        print_error("%s %s %s\n", method, path, body ? body : "");
    check_error(&r, want, field);
    http_free(&r);
    if (list)
        assert_int_equal(count(list), before);
}

static void test_meetings(void **state)
{
    (void)state;
    json_t *m =
        create("/api/v1/meetings", sec,
               "{\"held_on\":\"2026-01-15\",\"title\":\"特別會議\","
               "\"agenda\":[\"審議年度報告\",\"其他事項\"],\"attendees\":[\"PJ\",\"IAS\"]}");
    json_int_t id = json_int(m, "id");
    assert_string_equal(json_str(m, "state"), "planned");
    assert_int_equal(json_int(m, "version"), 1);
    json_t *att = json_object_get(m, "attendees");
    assert_int_equal(json_array_size(att), 2);
    assert_string_equal(json_string_value(json_array_get(att, 0)), "IAS");
    assert_string_equal(json_string_value(json_array_get(att, 1)), "PJ");
    json_decref(m);

    char path[64];
    snprintf(path, sizeof path, "/api/v1/meetings/%lld", (long long)id);
    struct http_resp r;
    http_get(&srv, path, cw, &r); /* every role but the auditor reads */
    check_status(&r, 200);
    char etag[32];
    assert_non_null(http_header(&r, "ETag", etag, sizeof etag));
    assert_string_equal(etag, "\"1\"");
    assert_string_equal(json_str(check_json(&r), "title"), "特別會議");
    http_free(&r);
    http_get(&srv, path, aud, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/meetings/987654", sec, &r);
    check_error(&r, 404, NULL);
    http_free(&r);

    /* If-Match: 428 without, 409 when stale */
    refused("PATCH", path, sec, "{\"state\":\"held\"}", NULL, 428, "If-Match", NULL);
    const char *const v1[] = {"If-Match: \"1\"", NULL};
    http_request(&srv, "PATCH", path, sec,
                 "{\"state\":\"held\",\"minutes\":\"會議紀錄。\\nAta.\","
                 "\"decisions\":[\"通過報告\"],\"attendees\":[\"PJ\",\"IAS\",\"DSAL\"]}",
                 v1, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "version"), 2);
    assert_int_equal(json_array_size(json_object_get(r.json, "attendees")), 3);
    http_free(&r);
    refused("PATCH", path, sec, "{\"title\":\"lost update\"}", v1, 409, NULL, NULL);
    const char *const v2[] = {"If-Match: \"2\"", NULL};
    /* no going back */
    refused("PATCH", path, sec, "{\"state\":\"planned\"}", v2, 400, "state", NULL);
    /* a caseworker may not write meetings */
    refused("PATCH", path, cw, "{\"title\":\"x\"}", v2, 403, NULL, NULL);
    refused("POST", "/api/v1/meetings", cw, "{\"held_on\":\"2026-01-20\"}", NULL, 403, NULL,
            "/api/v1/meetings");

    /* approving the minutes makes it read-only */
    http_request(&srv, "PATCH", path, sec, "{\"state\":\"approved\"}", v2, &r);
    check_status(&r, 200);
    http_free(&r);
    const char *const v3[] = {"If-Match: \"3\"", NULL};
    static const char *const late[] = {"{\"minutes\":\"changed afterwards\"}",
                                       "{\"state\":\"held\"}", "{\"attendees\":[]}"};
    for (int i = 0; i < 3; i++) {
        http_request(&srv, "PATCH", path, sec, late[i], v3, &r);
        check_error(&r, 409, NULL);
        assert_non_null(strstr(r.body, "minutes"));
        assert_non_null(strstr(r.body, "approved"));
        http_free(&r);
    }
    m = get(path, sec);
    assert_int_equal(json_int(m, "version"), 3);
    assert_string_equal(json_str(m, "state"), "approved");
    assert_string_equal(json_str(m, "minutes"), "會議紀錄。\nAta.");
    assert_int_equal(json_array_size(json_object_get(m, "attendees")), 3);
    json_decref(m);

    /* bad input: 400 naming the field, nothing stored */
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"title\":\"no date\"}", "held_on"},
        {"{\"held_on\":\"2026-13-01\"}", "held_on"},
        {"{\"held_on\":\"2026-01-01\",\"attendees\":[\"PJ\",\"NOPE\"]}", "attendees"},
        {"{\"held_on\":\"2026-01-01\",\"agenda\":\"one item\"}", "agenda"},
        {"{\"held_on\":\"2026-01-01\",\"decisions\":[7]}", "decisions"},
        {"{\"held_on\":\"2026-01-01\",\"state\":\"cancelled\"}", "state"},
        {"{\"held_on\":\"2026-01-01\",\"chair\":\"x\"}", "chair"},
        {"[1]", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused("POST", "/api/v1/meetings", sec, bad[i].body, NULL, 400, bad[i].field,
                "/api/v1/meetings");
    http_request(&srv, "POST", "/api/v1/meetings", sec,
                 "{\"held_on\":\"2026-01-01\",\"attendees\":[\"NOPE\"]}", NULL, &r);
    assert_non_null(strstr(r.body, "NOPE"));
    http_free(&r);
    /* the list by date */
    json_t *l = get("/api/v1/meetings?from=2026-01-15&to=2026-01-15", cw);
    int found = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(l, "items"), i, x) found |= json_int(x, "id") == id;
    assert_true(found);
    json_decref(l);
    refused("GET", "/api/v1/meetings?from=2026-1-1", sec, NULL, NULL, 400, "from", NULL);
}

static json_int_t new_measure(const char *body)
{
    json_t *m = create("/api/v1/measures", sec, body);
    json_int_t id = json_int(m, "id");
    json_decref(m);
    return id;
}

static int listed(const char *path, json_int_t id)
{
    json_t *l = get(path, sec);
    int found = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(l, "items"), i, x) found |= json_int(x, "id") == id;
    json_decref(l);
    return found;
}

static void test_measures(void **state)
{
    (void)state;
    json_t *m = create("/api/v1/meetings", sec, "{\"held_on\":\"2025-03-10\"}");
    json_int_t mid = json_int(m, "id");
    json_decref(m);
    char body[256];
    snprintf(body, sizeof body,
             "{\"title\":\"巡查中介所\",\"meeting_id\":%lld,\"owner\":\"DSAL\","
             "\"due_on\":\"2025-06-30\"}",
             (long long)mid);
    m = create("/api/v1/measures", sec, body);
    json_int_t id = json_int(m, "id");
    assert_string_equal(json_str(m, "state"), "open");
    assert_string_equal(json_str(m, "owner"), "DSAL");
    assert_string_equal(json_str(m, "meeting_on"), "2025-03-10");
    assert_true(json_is_true(json_object_get(m, "overdue")));
    json_decref(m);
    json_int_t later = new_measure("{\"title\":\"future\",\"owner\":\"DSAL\","
                                   "\"due_on\":\"2099-01-01\"}");

    /* bad input: nothing stored */
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"owner\":\"DSAL\",\"due_on\":\"2026-01-01\"}", "title"},
        {"{\"title\":\"t\",\"owner\":\"NOPE\",\"due_on\":\"2026-01-01\"}", "owner"},
        {"{\"title\":\"t\",\"owner\":\"DSAL\",\"due_on\":\"tomorrow\"}", "due_on"},
        {"{\"title\":\"t\",\"owner\":\"DSAL\",\"due_on\":\"2026-01-01\",\"meeting_id\":987654}",
         "meeting_id"},
        {"{\"title\":\"t\",\"owner\":\"DSAL\",\"due_on\":\"2026-01-01\",\"meeting_id\":\"1\"}",
         "meeting_id"},
        {"{\"title\":\"t\",\"owner\":\"DSAL\",\"due_on\":\"2026-01-01\",\"state\":\"late\"}",
         "state"},
        {"{\"title\":\"t\",\"owner\":\"DSAL\",\"due_on\":\"2026-01-01\",\"done_on\":"
         "\"2026-01-01\"}",
         "done_on"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused("POST", "/api/v1/measures", sec, bad[i].body, NULL, 400, bad[i].field,
                "/api/v1/measures");
    refused("POST", "/api/v1/measures", cw,
            "{\"title\":\"t\",\"owner\":\"IAS\",\"due_on\":\"2026-01-01\"}", NULL, 403, NULL,
            "/api/v1/measures");

    /* the overdue filter: the old one, not the future one */
    assert_true(listed("/api/v1/measures?overdue=1", id));
    assert_false(listed("/api/v1/measures?overdue=1", later));
    assert_true(listed("/api/v1/measures?overdue=1&owner=DSAL", id));
    assert_false(listed("/api/v1/measures?overdue=1&owner=PJ", id));
    assert_true(listed("/api/v1/measures?owner=DSAL", later));
    refused("GET", "/api/v1/measures?overdue=yes", sec, NULL, NULL, 400, "overdue", NULL);
    refused("GET", "/api/v1/measures?state=late", sec, NULL, NULL, 400, "state", NULL);

    /* PATCH at a version */
    char path[96], ppath[128];
    snprintf(path, sizeof path, "/api/v1/measures/%lld", (long long)id);
    snprintf(ppath, sizeof ppath, "/api/v1/measures/%lld/progress", (long long)id);
    refused("PATCH", path, sec, "{\"due_on\":\"2025-07-31\"}", NULL, 428, "If-Match", NULL);
    const char *const v1[] = {"If-Match: \"1\"", NULL};
    struct http_resp r;
    http_request(&srv, "PATCH", path, sec, "{\"due_on\":\"2025-07-31\"}", v1, &r);
    check_status(&r, 200);
    assert_string_equal(json_str(check_json(&r), "due_on"), "2025-07-31");
    assert_int_equal(json_int(r.json, "version"), 2);
    http_free(&r);
    refused("PATCH", path, sec, "{\"title\":\"stale\"}", v1, 409, NULL, NULL);

    /* progress: by the owner (DSAL's inspector) or the secretariat, not IAS */
    json_t *p = create(ppath, ins,
                       "{\"note\":\"首次巡查已完成\",\"state\":\"in_progress\","
                       "\"on\":\"2025-05-02\"}");
    json_t *pm = json_object_get(p, "measure");
    assert_string_equal(json_str(pm, "state"), "in_progress");
    assert_int_equal(json_int(pm, "version"), 3);
    assert_string_equal(json_str(json_object_get(pm, "last_update"), "note"), "首次巡查已完成");
    json_decref(p);
    refused("POST", ppath, cw, "{\"note\":\"not ours\"}", NULL, 403, NULL, NULL);
    refused("POST", ppath, aud, "{\"note\":\"x\"}", NULL, 403, NULL, NULL);
    refused("POST", ppath, ins, "{\"note\":\"x\",\"on\":\"2099-01-01\"}", NULL, 400, "on", NULL);
    refused("POST", ppath, ins, "{\"on\":\"2025-05-03\"}", NULL, 400, "note", NULL);
    refused("POST", ppath, ins, "{\"note\":\"x\",\"state\":\"stalled\"}", NULL, 400, "state", NULL);
    refused("POST", "/api/v1/measures/987654/progress", ins, "{\"note\":\"x\"}", NULL, 404, NULL,
            NULL);
    m = get(path, cw);
    assert_int_equal(json_array_size(json_object_get(m, "updates")), 1);
    json_decref(m);

    /* done: the date is recorded, it is no longer overdue, and it is closed */
    p = create(ppath, sec, "{\"note\":\"全部完成\",\"state\":\"done\",\"on\":\"2025-07-20\"}");
    pm = json_object_get(p, "measure");
    assert_string_equal(json_str(pm, "state"), "done");
    assert_string_equal(json_str(pm, "done_on"), "2025-07-20");
    assert_true(json_is_false(json_object_get(pm, "overdue")));
    json_decref(p);
    assert_false(listed("/api/v1/measures?overdue=1", id));
    assert_true(listed("/api/v1/measures?state=done", id));
    m = get(path, sec);
    assert_int_equal(json_array_size(json_object_get(m, "updates")), 2);
    assert_string_equal(json_str(json_array_get(json_object_get(m, "updates"), 0), "state"),
                        "in_progress");
    json_decref(m);
    refused("POST", ppath, ins, "{\"note\":\"more\"}", NULL, 409, NULL, NULL);
    const char *const v5[] = {"If-Match: \"5\"", NULL};
    refused("PATCH", path, sec, "{\"state\":\"open\"}", v5, 409, NULL, NULL);
    m = get(path, sec);
    assert_string_equal(json_str(m, "state"), "done");
    assert_int_equal(json_array_size(json_object_get(m, "updates")), 2);
    json_decref(m);
}

static void test_activities(void **state)
{
    (void)state;
    const char *y2000 = "/api/v1/activities?from=2000-01-01&to=2000-12-31";
    json_t *a = create("/api/v1/activities", ins,
                       "{\"kind\":\"inspection\",\"held_on\":\"2000-01-05\",\"sites\":4,"
                       "\"workers_reached\":85,\"title\":\"地盤巡查\"}");
    assert_string_equal(json_str(a, "org"), "DSAL"); /* the caller's organisation */
    assert_int_equal(json_int(a, "workers_reached"), 85);
    json_decref(a);
    a = create("/api/v1/activities", sec,
               "{\"kind\":\"training\",\"held_on\":\"2000-02-10\",\"org\":\"PJ\","
               "\"officials_trained\":40}");
    assert_string_equal(json_str(a, "org"), "PJ");
    json_decref(a);
    a = create("/api/v1/activities", cw,
               "{\"kind\":\"awareness\",\"held_on\":\"2000-03-01\",\"people_reached\":1200}");
    json_decref(a);

    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"kind\":\"training\",\"held_on\":\"2000-01-05\",\"sites\":3}", "sites"},
        {"{\"kind\":\"awareness\",\"held_on\":\"2000-01-05\",\"workers_reached\":3}",
         "workers_reached"},
        {"{\"kind\":\"inspection\",\"held_on\":\"2000-01-05\",\"sites\":-2}", "sites"},
        {"{\"kind\":\"inspection\",\"held_on\":\"2099-01-05\"}", "held_on"},
        {"{\"kind\":\"inspection\",\"held_on\":\"2000-01-05\",\"org\":\"NOPE\"}", "org"},
        {"{\"kind\":\"parade\",\"held_on\":\"2000-01-05\"}", "kind"},
        {"{\"held_on\":\"2000-01-05\"}", "kind"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused("POST", "/api/v1/activities", ins, bad[i].body, NULL, 400, bad[i].field, y2000);
    refused("POST", "/api/v1/activities", aud, "{\"kind\":\"training\",\"held_on\":\"2000-01-05\"}",
            NULL, 403, NULL, y2000);

    /* the filters */
    assert_int_equal(count(y2000), 3);
    assert_int_equal(count("/api/v1/activities?from=2000-02-01&to=2000-12-31"), 2);
    assert_int_equal(count("/api/v1/activities?from=2000-01-01&to=2000-12-31&kind=training"), 1);
    assert_int_equal(count("/api/v1/activities?to=2000-01-31"), 1);
    json_t *l = get("/api/v1/activities?from=2000-01-01&to=2000-12-31", cw);
    json_t *items = json_object_get(l, "items"); /* oldest first */
    assert_string_equal(json_str(json_array_get(items, 0), "held_on"), "2000-01-05");
    assert_string_equal(json_str(json_array_get(items, 2), "kind"), "awareness");
    json_decref(l);
    refused("GET", "/api/v1/activities?kind=parade", sec, NULL, NULL, 400, "kind", NULL);
    refused("GET", "/api/v1/activities", aud, NULL, NULL, 403, NULL, NULL);
    /* the demo's ten years of activities are there */
    assert_true(count("/api/v1/activities?kind=inspection") > 100);
}

/* GET a page as tok (a cookie session): its body (free it) when 200. */
static char *page(const char *path, const char *tok, long want)
{
    char cookie[128];
    snprintf(cookie, sizeof cookie, "Cookie: vigil_session=%s", tok);
    const char *const hdr[] = {cookie, NULL};
    struct http_resp r;
    http_request(&srv, "GET", path, NULL, NULL, hdr, &r);
    if (r.status != want)
        print_error("GET %s: %ld\n%s\n", path, r.status, r.body ? r.body : "");
    assert_int_equal(r.status, want);
    char *b = strdup(r.body ? r.body : "");
    http_free(&r);
    return b;
}

/* POST a form as tok with its session's CSRF token; the status and body. */
static long post_form(const char *path, const char *tok, const char *fields, char **body,
                      char *location, size_t loc_n)
{
    json_t *s = get("/api/v1/session", tok);
    char form[2048], cookie[128];
    snprintf(form, sizeof form, "csrf=%s&%s", json_str(s, "csrf"), fields);
    json_decref(s);
    snprintf(cookie, sizeof cookie, "Cookie: vigil_session=%s", tok);
    const char *const hdr[] = {cookie, NULL};
    struct http_req rq = {.method = "POST",
                          .path = path,
                          .body = form,
                          .content_type = "application/x-www-form-urlencoded",
                          .headers = hdr};
    struct http_resp r;
    long st = http_do(&srv, &rq, &r);
    if (body)
        *body = strdup(r.body ? r.body : "");
    if (location && !http_header(&r, "Location", location, loc_n))
        location[0] = '\0';
    http_free(&r);
    return st;
}

static void test_pages(void **state)
{
    (void)state;
    json_int_t id = new_measure("{\"title\":\"逾期測試措施\",\"owner\":\"DSAL\","
                                "\"due_on\":\"2021-01-31\"}");
    char mpath[64];
    snprintf(mpath, sizeof mpath, "/measures/%lld", (long long)id);
    static const struct {
        const char *q, *label, *lang;
    } langs[] = {
        {"", "逾期", "zh-Hant"}, {"?lang=en", "Overdue", "en"}, {"?lang=pt", "Em atraso", "pt"}};
    for (int l = 0; l < 3; l++) {
        char path[96], want[96];
        snprintf(want, sizeof want, "<html lang=\"%s\"", langs[l].lang);
        char label[96];
        snprintf(label, sizeof label, "<span class=\"tag tag-overdue\">%s</span>", langs[l].label);
        /* the list: the overdue row has its class and its label */
        snprintf(path, sizeof path, "/measures%s", langs[l].q);
        char *b = page(path, sec, 200);
        assert_non_null(strstr(b, want));
        assert_non_null(strstr(b, "<tr class=\"overdue\">"));
        assert_non_null(strstr(b, label));
        assert_non_null(strstr(b, "逾期測試措施"));
        free(b);
        /* the home page shows the overdue measures to every reader */
        snprintf(path, sizeof path, "/%s", langs[l].q);
        b = page(path, cw, 200);
        assert_non_null(strstr(b, "id=\"overdue-measures\""));
        assert_non_null(strstr(b, "逾期測試措施"));
        assert_non_null(strstr(b, label));
        assert_non_null(strstr(b, "href=\"/meetings\""));
        free(b);
        snprintf(path, sizeof path, "%s%s", mpath, langs[l].q);
        b = page(path, sec, 200);
        assert_non_null(strstr(b, "id=\"overdue\""));
        assert_non_null(strstr(b, "id=\"progress-form\""));
        free(b);
        snprintf(path, sizeof path, "/meetings%s", langs[l].q);
        b = page(path, sec, 200);
        assert_non_null(strstr(b, want));
        assert_non_null(strstr(b, "id=\"new-meeting\""));
        free(b);
        snprintf(path, sizeof path, "/activities%s", langs[l].q);
        free(page(path, sec, 200));
    }
    /* the auditor sees neither the pages nor the home card nor the links */
    free(page("/measures", aud, 403));
    char *b = page("/", aud, 200);
    assert_null(strstr(b, "overdue-measures"));
    assert_null(strstr(b, "href=\"/meetings\""));
    free(b);
    /* IAS does not own the measure: no progress form; the caseworker no new meeting */
    b = page(mpath, cw, 200);
    assert_null(strstr(b, "id=\"progress-form\""));
    free(b);
    b = page("/meetings", cw, 200);
    assert_null(strstr(b, "id=\"new-meeting\""));
    free(b);

    /* the forms: a meeting, then its edit form with the attendees as checkboxes */
    char loc[256];
    long st =
        post_form("/meetings", sec, "held_on=2024-05-09&title=Form+meeting", NULL, loc, sizeof loc);
    assert_int_equal(st, 303);
    assert_true(strncmp(loc, "/meetings/", 10) == 0);
    b = page(loc, sec, 200);
    assert_non_null(strstr(b, "id=\"edit-meeting\""));
    assert_non_null(strstr(b, "name=\"attendees\" value=\"DSAL\""));
    free(b);
    char mloc[256];
    snprintf(mloc, sizeof mloc, "%s", loc);
    st = post_form(mloc, sec,
                   "version=1&held_on=2024-05-09&title=Form+meeting&state=approved&attendees=PJ"
                   "&attendees=DSAL&agenda=First+item%0D%0ASecond+item%0D%0A&minutes=Done."
                   "&decisions=Agreed",
                   NULL, loc, sizeof loc);
    assert_int_equal(st, 303);
    char api[300];
    snprintf(api, sizeof api, "/api/v1%s", mloc);
    json_t *m = get(api, sec);
    assert_string_equal(json_str(m, "state"), "approved");
    assert_int_equal(json_array_size(json_object_get(m, "agenda")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(m, "agenda"), 1)),
                        "Second item");
    assert_int_equal(json_array_size(json_object_get(m, "attendees")), 2);
    json_decref(m);
    /* approved: no edit form, a notice; a late form post is refused and changes nothing */
    b = page(mloc, sec, 200);
    assert_null(strstr(b, "id=\"edit-meeting\""));
    assert_non_null(strstr(b, "id=\"read-only\""));
    free(b);
    char *resp = NULL;
    st = post_form(mloc, sec, "version=2&held_on=2024-05-09&minutes=Changed", &resp, NULL, 0);
    assert_int_equal(st, 409);
    assert_non_null(strstr(resp, "本次會議紀錄已通過，不能再作修改。"));
    free(resp);
    m = get(api, sec);
    assert_string_equal(json_str(m, "minutes"), "Done.");
    json_decref(m);

    /* progress through the page, by the owner */
    char ppath[96];
    snprintf(ppath, sizeof ppath, "%s/progress", mpath);
    st = post_form(ppath, ins, "on=2024-01-10&state=in_progress&note=Started+by+form", NULL, NULL,
                   0);
    assert_int_equal(st, 303);
    b = page(mpath, sec, 200);
    assert_non_null(strstr(b, "Started by form"));
    free(b);
    st = post_form(ppath, ins, "on=2024-01-10&state=in_progress&note=", &resp, NULL, 0);
    assert_int_equal(st, 400);
    free(resp);
    st = post_form(ppath, cw, "note=not+ours", NULL, NULL, 0);
    assert_int_equal(st, 403);

    /* an activity through the page; a count of another kind is refused */
    st = post_form("/activities", ins, "kind=training&held_on=2001-04-02&sites=3", &resp, NULL, 0);
    assert_int_equal(st, 400);
    assert_non_null(strstr(resp, "sites"));
    free(resp);
    assert_int_equal(count("/api/v1/activities?from=2001-01-01&to=2001-12-31"), 0);
    st = post_form("/activities", ins,
                   "kind=inspection&held_on=2001-04-02&org=DSAL&title=Page+inspection&sites=2"
                   "&workers_reached=30",
                   NULL, loc, sizeof loc);
    assert_int_equal(st, 303);
    assert_string_equal(loc, "/activities?year=2001");
    b = page("/activities?year=2001&lang=en", sec, 200);
    assert_non_null(strstr(b, "Page inspection"));
    assert_non_null(strstr(b, "id=\"m-2001-04\""));
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meetings),
        cmocka_unit_test(test_measures),
        cmocka_unit_test(test_activities),
        cmocka_unit_test(test_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
