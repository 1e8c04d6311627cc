/*
 * HTTP tests of access control (DESIGN §6): every route of src/web/routes.c
 * for every role, an anonymous caller and a user of another agency, against
 * expectations written out here from the policy table in src/auth/policy.c —
 * 401 without a session, 403 when the role may not, 404 when the case or
 * referral is not the caller's agency's, else the route's own answer. Also:
 * a case of another agency is indistinguishable from one that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"
#include "web/http.h"

static struct server srv;

/* The callers: each role of the demo, an anonymous caller, and an
 * investigator of another agency (PSP) than the case's owner (PJ). */
enum caller { AD, SE, IN, PR, MA, CW, IS, AU, ANON, OTHER, NCALLERS };
static const char *const usernames[NCALLERS] = {
    "admin",      "secretariat", "investigator", "prosecutor", "magistrate",
    "caseworker", "inspector",   "auditor",      NULL,         "police",
};
static char *tokens[NCALLERS];

/* The agencies that see case A: its owner PJ, and MP, IAS and DSAL, which
 * accepted referrals of it. TJB (magistrate) and PSP (police) do not. */
static const int sees_case_a[NCALLERS] = {0, 0, 1, 1, 0, 1, 1, 0, 0, 0};
/* Referrals addressed to IAS: only the caseworker's agency may decide them. */
static const int is_ias[NCALLERS] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

static json_int_t case_a, ref_pending_a, ref_pending_b, ref_accepted, tip_id, statement_id,
    release_id;
/* A meeting, and a measure owned by PJ (the investigator's agency). */
static json_int_t meeting_id, measure_id;
static const int owns_measure[NCALLERS] = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0};
static char tip_code[32];

enum target {
    T_NONE,
    T_CASE,
    T_REF_ACCEPT,
    T_REF_REJECT,
    T_REF_COMPLETE,
    T_TIP,
    T_TIP_CODE,
    T_STATEMENT,
    T_MEETING,
    T_MEASURE,
    T_MEASURE_PROGRESS, /* only the owner's agency (PJ) or the secretariat */
    T_RELEASE,
    T_RELEASE_FILE,
    T_CASE_PERSON,
    T_CASE_SERVICE,
    T_CASE_LEGAL,
    T_MISSING /* an id that names nothing: 404 once the gate lets the caller through */
};
/* In case A: a victim (who consented to referral) and a service, for the
 * {pid} and {sid} of the protection routes. */
static json_int_t victim_a, service_a;

/* One route: who may (roles in policy order: ad se in pr ma cw is au), the
 * answer once the gate lets the caller through, and the body to send. */
struct row {
    const char *method;
    const char *path; /* as in routes.c */
    int pub;          /* ACT_PUBLIC: no login needed */
    const char *may;  /* "ad se in pr ma cw is au" as 0/1, 8 characters */
    enum target target;
    long ok; /* the status when allowed */
    const char *body;
};

/* clang-format off */
static const struct row table[] = {
    {"GET",    "/healthz",                        1, "11111111", T_NONE, 200, NULL},
    {"POST",   "/api/v1/session",                 1, "11111111", T_NONE, 200,
     "{\"username\":\"auditor\",\"password\":\"" DEMO_PASSWORD "\"}"},
    {"GET",    "/api/v1/session",                 0, "11111111", T_NONE, 200, NULL},
    {"DELETE", "/api/v1/session",                 0, "11111111", T_NONE, 204, NULL},
    /* an empty body: 400 (field 'current') once the gate lets the caller through */
    {"POST",   "/api/v1/session/password",        0, "11111111", T_NONE, 400, "{}"},
    {"GET",    "/api/v1/session/list",            0, "11111111", T_NONE, 200, NULL},
    {"POST",   "/api/v1/session/end-others",      0, "11111111", T_NONE, 200, NULL},
    {"GET",    "/api/v1/organisations",           0, "11111111", T_NONE, 200, NULL},
    {"GET",    "/api/v1/users",                   0, "10000000", T_NONE, 200, NULL},
    {"GET",    "/api/v1/cases",                   0, "00111110", T_NONE, 200, NULL},
    {"POST",   "/api/v1/cases",                   0, "00100110", T_NONE, 201,
     "{\"category\":\"trafficking\",\"source\":\"hotline\"}"},
    {"GET",    "/api/v1/cases/{id}",              0, "00111110", T_CASE, 200, NULL},
    /* Without If-Match: 428 shows the gate let the caller through. */
    {"PATCH",  "/api/v1/cases/{id}",              0, "00110110", T_CASE, 428,
     "{\"stage\":\"screening\"}"},
    {"GET",    "/api/v1/cases/{id}/persons",      0, "00111110", T_CASE, 200, NULL},
    {"POST",   "/api/v1/cases/{id}/persons",      0, "00100110", T_CASE, 201,
     "{\"role\":\"witness\",\"prs_Gender\":\"Masculine\"}"},
    {"GET",    "/api/v1/cases/{id}/notes",        0, "00111110", T_CASE, 200, NULL},
    {"POST",   "/api/v1/cases/{id}/notes",        0, "00110110", T_CASE, 201,
     "{\"text\":\"access test\"}"},
    {"GET",    "/api/v1/cases/{id}/referrals",    0, "00111110", T_CASE, 200, NULL},
    {"POST",   "/api/v1/cases/{id}/referrals",    0, "00110110", T_CASE, 201,
     "{\"to\":\"SSM\",\"reason\":\"AdditionalServicesRequired\"}"},
    {"GET",    "/api/v1/referrals",               0, "00111110", T_NONE, 200, NULL},
    {"POST",   "/api/v1/referrals/{id}/accept",   0, "00110110", T_REF_ACCEPT, 200, NULL},
    {"POST",   "/api/v1/referrals/{id}/reject",   0, "00110110", T_REF_REJECT, 200, NULL},
    {"POST",   "/api/v1/referrals/{id}/complete", 0, "00110110", T_REF_COMPLETE, 200, NULL},
    {"GET",    "/api/v1/audit",                   0, "00001001", T_NONE, 200, NULL},
    {"POST",   "/api/v1/tips",                    1, "11111111", T_NONE, 201,
     "{\"what\":\"access test\"}"},
    {"GET",    "/api/v1/tips/{code}",             1, "11111111", T_TIP_CODE, 200, NULL},
    {"POST",   "/api/v1/tips/{code}",             1, "11111111", T_TIP_CODE, 201,
     "{\"what\":\"more\"}"},
    {"POST",   "/api/v1/feedback",                1, "11111111", T_NONE, 201,
     "{\"page\":\"/public/\",\"message\":\"access test\"}"},
    {"GET",    "/api/v1/feedback",                0, "11000000", T_NONE, 200, NULL},
    {"POST",   "/api/v1/feedback/{id}/review",    0, "11000000", T_MISSING, 404, NULL},
    /* the TIP report: read by the committee's members, written by the
     * secretariat; an id that names nothing answers 404 (428 for a PATCH
     * without If-Match) once the gate lets the caller through */
    {"GET",    "/api/v1/tip-reports",             0, "01111110", T_NONE, 200, NULL},
    {"POST",   "/api/v1/tip-reports",             0, "01000000", T_NONE, 201,
     "{\"year\":2002,\"tier\":\"tier1\",\"text\":\"Keep going.\"}"},
    {"GET",    "/api/v1/tip-reports/{id}",        0, "01111110", T_MISSING, 404, NULL},
    {"PATCH",  "/api/v1/tip-reports/{id}",        0, "01000000", T_MISSING, 428, "{\"tier\":\"tier2\"}"},
    {"POST",   "/api/v1/tip-reports/{id}/recommendations", 0, "01000000", T_MISSING, 404,
     "{\"text_en\":\"More.\"}"},
    {"GET",    "/api/v1/tip-reports/{id}/response", 0, "01111110", T_MISSING, 404, NULL},
    {"POST",   "/api/v1/tip-reports/{id}/statement", 0, "01000000", T_MISSING, 404, NULL},
    {"PATCH",  "/api/v1/recommendations/{id}",    0, "01000000", T_MISSING, 428, "{\"text_zh\":\"x\"}"},
    {"POST",   "/api/v1/recommendations/{id}/figures", 0, "01000000", T_MISSING, 404,
     "{\"label_en\":\"x\",\"table\":\"legal\",\"row\":\"total\",\"column\":\"total\"}"},
    {"GET",    "/api/v1/tip-queue",               0, "00100110", T_NONE, 200, NULL},
    {"POST",   "/api/v1/tip-queue",               0, "00100110", T_NONE, 201,
     "{\"what\":\"a hotline call\"}"},
    {"GET",    "/api/v1/tip-queue/{id}",          0, "00100110", T_TIP, 200, NULL},
    {"POST",   "/api/v1/tip-queue/{id}/triage",   0, "00100110", T_TIP, 200,
     "{\"state\":\"reviewing\"}"},
    {"GET",    "/api/v1/statements",              1, "11111111", T_NONE, 200, NULL},
    {"POST",   "/api/v1/statements",              0, "01000000", T_NONE, 201,
     "{\"title_zh\":\"聲明\",\"body_zh\":\"內容\"}"},
    {"GET",    "/api/v1/statements/{id}",         1, "11111111", T_STATEMENT, 200, NULL},
    /* without If-Match (the matrix sends none): 428 once the gate lets it through */
    {"PATCH",  "/api/v1/statements/{id}",         0, "01000000", T_STATEMENT, 428,
     "{\"title_pt\":\"Comunicado\"}"},
    {"POST",   "/api/v1/statements/{id}/publish", 0, "01000000", T_STATEMENT, 200, NULL},
    {"GET",    "/api/v1/stats",                   0, "01111110", T_NONE, 200, NULL},
    /* the packs: without ?month / ?year, 400 once the gate lets the caller through */
    {"GET",    "/api/v1/reports/plenary",         0, "01111110", T_NONE, 400, NULL},
    {"GET",    "/api/v1/reports/tip",             0, "01111110", T_NONE, 400, NULL},
    /* victim protection, the legal track and supervision ({pid} in a body is
     * the victim of case A) */
    {"GET",    "/api/v1/cases/{id}/screenings",   0, "00111110", T_CASE, 200, NULL},
    {"POST",   "/api/v1/cases/{id}/screenings",   0, "00100110", T_CASE, 201,
     "{\"person_id\":{pid},\"indicators\":{\"deception\":{\"answer\":\"yes\"}}}"},
    {"GET",    "/api/v1/cases/{id}/persons/{pid}/status", 0, "00111110", T_CASE_PERSON, 200, NULL},
    {"POST",   "/api/v1/cases/{id}/persons/{pid}/status", 0, "00110110", T_CASE_PERSON, 201,
     "{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\","
     "\"vic_TraffickingStatusDecisionMakingOrg\":\"Police\"}"},
    {"GET",    "/api/v1/cases/{id}/persons/{pid}/consents", 0, "00111110", T_CASE_PERSON, 200, NULL},
    {"POST",   "/api/v1/cases/{id}/persons/{pid}/consents", 0, "00100110", T_CASE_PERSON, 201,
     "{\"purpose\":\"statistics\",\"granted\":true}"},
    {"GET",    "/api/v1/cases/{id}/services",     0, "00100110", T_CASE, 200, NULL},
    {"POST",   "/api/v1/cases/{id}/services",     0, "00100110", T_CASE, 201,
     "{\"spl_Type\":\"Health\",\"provider\":\"IAS\"}"},
    /* without If-Match (the matrix sends none): 428 once the gate lets it through */
    {"PATCH",  "/api/v1/cases/{id}/services/{sid}", 0, "00100110", T_CASE_SERVICE, 428,
     "{\"spl_PlannedEndDate\":\"2030-01-01\"}"},
    {"GET",    "/api/v1/services/overdue",        0, "00100110", T_NONE, 200, NULL},
    {"GET",    "/api/v1/cases/{id}/legal",        0, "00111000", T_CASE, 200, NULL},
    /* the prosecutor passes the gate but may not open an investigation: 403 */
    {"POST",   "/api/v1/cases/{id}/legal",        0, "00110000", T_CASE_LEGAL, 201,
     "{\"type\":\"investigation_opened\"}"},
    {"GET",    "/api/v1/cases/{id}/supervision",  0, "00001000", T_CASE, 200, NULL},
    {"GET",    "/api/v1/cases/{id}/events",       0, "00111110", T_CASE, 200, NULL},
    {"POST",   "/api/v1/cases/{id}/events",       0, "00100110", T_CASE, 201,
     "{\"hte_Type\":\"Recruitment\",\"hte_Country\":\"PH\"}"},
    {"GET",    "/api/v1/cases/{id}/timeline",     0, "00111110", T_CASE, 200, NULL},
    /* the committee: all but the auditor read; the secretariat keeps
     * meetings and measures; the owning agency reports progress */
    {"GET",    "/api/v1/meetings",                0, "11111110", T_NONE, 200, NULL},
    {"POST",   "/api/v1/meetings",                0, "01000000", T_NONE, 201,
     "{\"held_on\":\"2026-01-05\"}"},
    {"GET",    "/api/v1/meetings/{id}",           0, "11111110", T_MEETING, 200, NULL},
    {"PATCH",  "/api/v1/meetings/{id}",           0, "01000000", T_MEETING, 428,
     "{\"state\":\"held\"}"},
    {"GET",    "/api/v1/measures",                0, "11111110", T_NONE, 200, NULL},
    {"POST",   "/api/v1/measures",                0, "01000000", T_NONE, 201,
     "{\"title\":\"access\",\"owner\":\"PJ\",\"due_on\":\"2030-01-01\"}"},
    {"GET",    "/api/v1/measures/{id}",           0, "11111110", T_MEASURE, 200, NULL},
    {"PATCH",  "/api/v1/measures/{id}",           0, "01000000", T_MEASURE, 428,
     "{\"title\":\"x\"}"},
    {"POST",   "/api/v1/measures/{id}/progress",  0, "01110110", T_MEASURE_PROGRESS, 201,
     "{\"note\":\"access test\"}"},
    {"GET",    "/api/v1/activities",              0, "11111110", T_NONE, 200, NULL},
    {"POST",   "/api/v1/activities",              0, "01100110", T_NONE, 201,
     "{\"kind\":\"training\",\"held_on\":\"2020-01-01\"}"},
    /* privacy-preserving releases: the secretariat alone */
    {"GET",    "/api/v1/releases",                0, "01000000", T_NONE, 200, NULL},
    {"POST",   "/api/v1/releases",                0, "01000000", T_NONE, 201,
     "{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"aggregates\"}"},
    {"GET",    "/api/v1/releases/{id}",           0, "01000000", T_RELEASE, 200, NULL},
    {"GET",    "/api/v1/releases/{id}/files/{file}", 0, "01000000", T_RELEASE_FILE, 200, NULL},
};
/* clang-format on */
#define NROWS (sizeof table / sizeof table[0])

static const int caller_role[NCALLERS] = {0, 1, 2, 3, 4, 5, 6, 7, -1, 2};

static json_int_t post_id(const char *path, const char *tok, const char *body)
{
    struct http_resp r;
    http_request(&srv, "POST", path, tok, body, NULL, &r);
    json_int_t id = r.status == 201 ? json_integer_value(json_object_get(r.json, "id")) : 0;
    if (!id)
        fprintf(stderr, "setup: POST %s: %ld %s\n", path, r.status, r.body);
    http_free(&r);
    return id;
}

static int accept_as(json_int_t ref, const char *tok)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", (long long)ref);
    struct http_resp r;
    long st = http_request(&srv, "POST", path, tok, NULL, NULL, &r);
    http_free(&r);
    return st == 200 ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    /* Many public POSTs from one address: the per-address limit is tested
     * in test_public, and off here. */
    const char *const extra[] = {"--public-rate", "0", NULL};
    if (server_start(&srv, extra))
        return -1;
    for (int c = 0; c < NCALLERS; c++)
        if (usernames[c] && !(tokens[c] = login(&srv, usernames[c])))
            return -1;
    const char *basic = "{\"category\":\"trafficking\",\"source\":\"police\"}";
    case_a = post_id("/api/v1/cases", tokens[IN], basic);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/referrals", (long long)case_a);
    static const struct {
        const char *to;
        enum caller by;
    } grants[] = {{"MP", PR}, {"IAS", CW}, {"DSAL", IS}};
    for (size_t i = 0; i < 3; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"to\":\"%s\",\"reason\":\"AdditionalServicesRequired\"}",
                 grants[i].to);
        json_int_t ref = post_id(path, tokens[IN], body);
        if (!ref || accept_as(ref, tokens[grants[i].by]))
            return -1;
    }
    /* Case B holds the referrals the decide routes act on, all to IAS. */
    json_int_t case_b = post_id("/api/v1/cases", tokens[IN], basic);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/referrals", (long long)case_b);
    const char *to_ias = "{\"to\":\"IAS\",\"reason\":\"AdditionalServicesRequired\"}";
    ref_pending_a = post_id(path, tokens[IN], to_ias);
    ref_pending_b = post_id(path, tokens[IN], to_ias);
    ref_accepted = post_id(path, tokens[IN], to_ias);
    tip_id = post_id("/api/v1/tip-queue", tokens[IN], "{\"what\":\"setup\"}");
    struct http_resp tr;
    http_request(&srv, "POST", "/api/v1/tips", NULL, "{\"what\":\"setup\"}", NULL, &tr);
    const char *code = tr.status == 201 ? json_string_value(json_object_get(tr.json, "code")) : 0;
    snprintf(tip_code, sizeof tip_code, "%s", code ? code : "");
    http_free(&tr);
    if (!tip_id || !tip_code[0])
        return -1;
    /* A published statement for the statement routes. */
    statement_id =
        post_id("/api/v1/statements", tokens[SE], "{\"title_zh\":\"聲明\",\"body_zh\":\"內容\"}");
    snprintf(path, sizeof path, "/api/v1/statements/%lld/publish", (long long)statement_id);
    http_request(&srv, "POST", path, tokens[SE], NULL, NULL, &tr);
    long published = tr.status;
    http_free(&tr);
    if (!statement_id || published != 200)
        return -1;
    /* A meeting and a measure of PJ's for the committee routes. */
    meeting_id = post_id("/api/v1/meetings", tokens[SE], "{\"held_on\":\"2026-02-05\"}");
    measure_id = post_id("/api/v1/measures", tokens[SE],
                         "{\"title\":\"m\",\"owner\":\"PJ\",\"due_on\":\"2030-01-01\"}");
    if (!meeting_id || !measure_id)
        return -1;
    /* A release for the release routes. */
    release_id = post_id("/api/v1/releases", tokens[SE],
                         "{\"source\":\"cases\",\"k\":2,\"length\":1,\"mode\":\"aggregates\"}");
    if (!release_id)
        return -1;
    /* A victim in case A who consented to referral, and a service. */
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)case_a);
    victim_a = post_id(path, tokens[IN], "{\"role\":\"victim\",\"prs_Gender\":\"Feminine\"}");
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons/%lld/consents", (long long)case_a,
             (long long)victim_a);
    if (!victim_a || !post_id(path, tokens[IN], "{\"purpose\":\"referral\",\"granted\":true}"))
        return -1;
    snprintf(path, sizeof path, "/api/v1/cases/%lld/services", (long long)case_a);
    service_a = post_id(path, tokens[IN], "{\"spl_Type\":\"Health\",\"provider\":\"IAS\"}");
    if (!service_a)
        return -1;
    if (!case_a || !case_b || !ref_pending_a || !ref_pending_b || !ref_accepted ||
        accept_as(ref_accepted, tokens[CW]))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int c = 0; c < NCALLERS; c++) {
        free(tokens[c]);
        tokens[c] = NULL;
    }
    int rc = server_stop(&srv); /* -1: it was not running (setup failed) */
    if (rc > 0)
        fprintf(stderr, "the server exited with status %d; see %s\n", rc, srv.log);
    server_cleanup(&srv);
    return rc > 0 ? -1 : 0;
}

/* The path of a row with its {id} filled in. */
static void fill_path(const struct row *w, char *out, size_t n)
{
    json_int_t id = 0;
    switch (w->target) {
    case T_NONE:
        snprintf(out, n, "%s", w->path);
        return;
    case T_CASE:
        id = case_a;
        break;
    case T_REF_ACCEPT:
        id = ref_pending_a;
        break;
    case T_REF_REJECT:
        id = ref_pending_b;
        break;
    case T_REF_COMPLETE:
        id = ref_accepted;
        break;
    case T_TIP:
        id = tip_id;
        break;
    case T_CASE_PERSON:
    case T_CASE_SERVICE:
    case T_CASE_LEGAL:
        id = case_a;
        break;
    case T_STATEMENT:
        id = statement_id;
        break;
    case T_MISSING:
        id = 999999999;
        break;
    case T_MEETING:
        id = meeting_id;
        break;
    case T_MEASURE:
    case T_MEASURE_PROGRESS:
        id = measure_id;
        break;
    case T_RELEASE:
    case T_RELEASE_FILE:
        id = release_id;
        break;
    case T_TIP_CODE: {
        const char *at = strstr(w->path, "{code}");
        snprintf(out, n, "%.*s%s%s", (int)(at - w->path), w->path, tip_code, at + 6);
        return;
    }
    }
    const char *at = strstr(w->path, "{id}");
    snprintf(out, n, "%.*s%lld%s", (int)(at - w->path), w->path, (long long)id, at + 4);
    char *file = strstr(out, "{file}");
    if (file)
        snprintf(file, n - (size_t)(file - out), "aggregates.tsv");
    char *sub = strstr(out, "{pid}") ? strstr(out, "{pid}") : strstr(out, "{sid}");
    if (sub) {
        char rest[128];
        snprintf(rest, sizeof rest, "%s", sub + 5);
        snprintf(sub, n - (size_t)(sub - out), "%lld%s",
                 (long long)(w->target == T_CASE_SERVICE ? service_a : victim_a), rest);
    }
}

/* A row's body with {pid} replaced by the victim of case A. */
static const char *fill_body(const struct row *w, char *out, size_t n)
{
    const char *at = w->body ? strstr(w->body, "{pid}") : NULL;
    if (!at)
        return w->body;
    snprintf(out, n, "%.*s%lld%s", (int)(at - w->body), w->body, (long long)victim_a, at + 5);
    return out;
}

/* What the caller must get on this row. */
static long expected(const struct row *w, enum caller c)
{
    if (w->pub)
        return w->ok;
    if (c == ANON)
        return 401;
    if (w->may[caller_role[c]] != '1')
        return 403;
    if ((w->target == T_CASE || (w->target >= T_CASE_PERSON && w->target <= T_CASE_LEGAL)) &&
        !sees_case_a[c])
        return 404;
    if (w->target == T_CASE_LEGAL && caller_role[c] == 3) /* prosecutor: not an investigation */
        return 403;
    if (w->target >= T_REF_ACCEPT && w->target <= T_REF_COMPLETE && !is_ias[c])
        return 404;
    if (w->target == T_MEASURE_PROGRESS && !owns_measure[c])
        return 403;
    return w->ok;
}

/* The JSON API and /healthz; the HTML pages have a suite of their own. */
static int is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/healthz") == 0;
}

static void test_every_route_is_in_the_table(void **state)
{
    (void)state;
    size_t n = 0;
    for (const struct route *x = routes; x->method; x++) {
        if (!is_api(x->path))
            continue;
        n++;
        int found = 0;
        for (size_t i = 0; i < NROWS; i++) {
            if (strcmp(table[i].method, x->method) != 0 || strcmp(table[i].path, x->path) != 0)
                continue;
            found = 1;
            /* Public routes are exactly those declared ACT_PUBLIC. */
            assert_int_equal(table[i].pub, x->action == ACT_PUBLIC);
            /* The policy table grants this route's action to the roles
             * written here, and to no others. */
            for (int role = 0; role < 8; role++) {
                int want = table[i].may[role] == '1';
                if (policy_allows(role, x->action) != want)
                    print_error("%s %s: the policy %s role %s\n", x->method, x->path,
                                want ? "refuses" : "grants", usernames[role]);
                assert_int_equal(policy_allows(role, x->action), want);
            }
        }
        if (!found)
            print_error("route %s %s has no row in the access table\n", x->method, x->path);
        assert_true(found);
    }
    assert_int_equal(n, NROWS);
}

static void test_matrix(void **state)
{
    (void)state;
    int bad = 0;
    /* The callers whose org may decide referrals go last, so that a
     * decision does not change what the others see. */
    static const enum caller order[NCALLERS] = {AD, SE, IN, PR, MA, IS, AU, ANON, OTHER, CW};
    for (size_t i = 0; i < NROWS; i++) {
        const struct row *w = &table[i];
        char path[128];
        fill_path(w, path, sizeof path);
        for (int k = 0; k < NCALLERS; k++) {
            enum caller c = order[k];
            const char *tok = tokens[c];
            char *fresh = NULL;
            if (strcmp(w->method, "DELETE") == 0 && usernames[c]) {
                /* Logging out ends the session: use a session of its own. */
                fresh = login(&srv, usernames[c]);
                assert_non_null(fresh);
                tok = fresh;
            }
            long want = expected(w, c);
            struct http_resp r;
            char body[512];
            http_request(&srv, w->method, path, tok, fill_body(w, body, sizeof body), NULL, &r);
            if (r.status != want) {
                print_error("%s %s as %s: got %ld, want %ld: %s\n", w->method, path,
                            usernames[c] ? usernames[c] : "anonymous", r.status, want,
                            r.body ? r.body : "");
                bad++;
            } else if (want >= 400) {
                check_error(&r, want, NULL);
            }
            http_free(&r);
            if (fresh && want == 204) {
                /* And that session is over. */
                http_get(&srv, "/api/v1/session", fresh, &r);
                check_error(&r, 401, NULL);
                http_free(&r);
            }
            free(fresh);
        }
    }
    assert_int_equal(bad, 0);
}

/* The error of a response with every run of digits replaced by '#'. */
static char *error_shape(const struct http_resp *r)
{
    json_t *e = json_object_get(r->json, "error");
    char *text = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
    assert_non_null(text);
    char *w = text;
    for (const char *p = text; *p;) {
        if (*p >= '0' && *p <= '9') {
            while (*p >= '0' && *p <= '9')
                p++;
            *w++ = '#';
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    return text;
}

static void test_other_agency_case_is_not_found(void **state)
{
    (void)state;
    static const struct {
        const char *method, *suffix, *body;
    } probes[] = {
        {"GET", "", NULL},
        {"PATCH", "", "{\"stage\":\"screening\"}"},
        {"GET", "/persons", NULL},
        {"POST", "/persons", "{\"role\":\"victim\",\"prs_FirstName\":\"X\"}"},
        {"GET", "/notes", NULL},
        {"POST", "/notes", "{\"text\":\"probe\"}"},
        {"GET", "/referrals", NULL},
        {"POST", "/referrals", "{\"to\":\"SSM\",\"reason\":\"AdditionalServicesRequired\"}"},
    };
    const char *if_match[] = {"If-Match: \"1\"", NULL};
    /* A case of PJ with nothing shared: PSP (same role) and IAS (caseworker). */
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/cases", tokens[IN],
                 "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
    check_status(&r, 201);
    json_int_t hidden = json_int(check_json(&r), "id");
    http_free(&r);
    const json_int_t missing = 987654321;
    const enum caller outsiders[] = {OTHER, CW};
    for (size_t o = 0; o < 2; o++) {
        for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
            char p1[128], p2[128];
            snprintf(p1, sizeof p1, "/api/v1/cases/%lld%s", (long long)hidden, probes[i].suffix);
            snprintf(p2, sizeof p2, "/api/v1/cases/%lld%s", (long long)missing, probes[i].suffix);
            const char *const *h = strcmp(probes[i].method, "PATCH") == 0 ? if_match : NULL;
            struct http_resp a, b;
            http_request(&srv, probes[i].method, p1, tokens[outsiders[o]], probes[i].body, h, &a);
            http_request(&srv, probes[i].method, p2, tokens[outsiders[o]], probes[i].body, h, &b);
            check_error(&a, 404, NULL);
            check_error(&b, 404, NULL);
            char *sa = error_shape(&a), *sb = error_shape(&b);
            if (strcmp(sa, sb) != 0)
                print_error("%s %s: %s differs from %s\n", probes[i].method, p1, sa, sb);
            assert_string_equal(sa, sb);
            free(sa);
            free(sb);
            http_free(&a);
            http_free(&b);
        }
    }
    /* The owner still sees it unchanged: nothing was written by the probes. */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)hidden);
    http_get(&srv, path, tokens[IN], &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "version"), 1);
    http_free(&r);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)hidden);
    http_get(&srv, path, tokens[IN], &r);
    check_status(&r, 200);
    assert_int_equal(json_array_size(json_object_get(check_json(&r), "items")), 0);
    http_free(&r);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/persons", (long long)hidden);
    http_get(&srv, path, tokens[IN], &r);
    check_status(&r, 200);
    assert_int_equal(json_array_size(json_object_get(check_json(&r), "items")), 0);
    http_free(&r);
}

static void test_other_agency_cannot_see_referrals(void **state)
{
    (void)state;
    /* A referral addressed to IAS is 404 to every other agency, even with
     * a role that may decide referrals, and the same as a missing one. */
    const enum caller others[] = {IN, PR, IS, OTHER};
    for (size_t i = 0; i < 4; i++) {
        char p1[96], p2[96];
        snprintf(p1, sizeof p1, "/api/v1/referrals/%lld/accept", (long long)ref_accepted);
        snprintf(p2, sizeof p2, "/api/v1/referrals/%lld/accept", 987654321LL);
        struct http_resp a, b;
        http_request(&srv, "POST", p1, tokens[others[i]], NULL, NULL, &a);
        http_request(&srv, "POST", p2, tokens[others[i]], NULL, NULL, &b);
        check_error(&a, 404, NULL);
        check_error(&b, 404, NULL);
        char *sa = error_shape(&a), *sb = error_shape(&b);
        assert_string_equal(sa, sb);
        free(sa);
        free(sb);
        http_free(&a);
        http_free(&b);
    }
}

static void test_list_is_scoped(void **state)
{
    (void)state;
    /* Case A is in the lists of the agencies that see it, not the others. */
    for (int c = IN; c <= IS; c++) {
        struct http_resp r;
        http_get(&srv, "/api/v1/cases?per_page=200", tokens[c], &r);
        check_status(&r, 200);
        json_t *items = json_object_get(check_json(&r), "items");
        int found = 0;
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x) if (json_integer_value(json_object_get(x, "id")) == case_a)
            found = 1;
        if (found != sees_case_a[c])
            print_error("%s: case A %s in the list\n", usernames[c], found ? "is" : "is not");
        assert_int_equal(found, sees_case_a[c]);
        http_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_is_in_the_table),
        cmocka_unit_test(test_other_agency_case_is_not_found),
        cmocka_unit_test(test_other_agency_cannot_see_referrals),
        cmocka_unit_test(test_list_is_scoped),
        cmocka_unit_test(test_matrix),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
