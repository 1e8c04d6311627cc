/*
 * Victim protection and judicial supervision over HTTP: screenings, status
 * decisions, services, consent (and the consent rule on referrals), the
 * legal track, the magistrate's supervision view, events and the timeline.
 * Free text about persons is sealed under the case; every read is audited
 * before anything is shown.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "core/protection.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/http.h"

static void today(char out[11])
{
    time_date(time_now(), out);
}

static int begin(struct req *r)
{
    int rc = store_begin(r->st);
    if (rc)
        req_fail(r, rc, NULL, "the database is busy; try again");
    return rc;
}

/* Commit, or roll back when rc says the work failed. */
static int tx_end(struct req *r, int rc)
{
    if (rc) {
        store_rollback(r->st);
        return rc;
    }
    rc = store_commit(r->st);
    if (rc)
        return req_fail(r, rc, NULL, "the change could not be saved");
    return VIGIL_OK;
}

static int failed(struct req *r, int rc, const char *what)
{
    return r->status ? rc : req_fail(r, rc, NULL, "%s", what);
}

static void seal_ad(int64_t case_id, char ad[48])
{
    snprintf(ad, 48, "vigil.protection.case:%" PRId64, case_id);
}

/* Seal text (NULL: nothing to seal, *out NULL). */
static int seal(struct req *r, int64_t case_id, const char *text, unsigned char **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!text)
        return VIGIL_OK;
    char ad[48];
    seal_ad(case_id, ad);
    return crypto_seal(r->key, ad, text, strlen(text), out, n);
}

/* Replace the hex "sealed" member of each item by the opened text under key
 * (decoded as JSON when json is set). */
void open_items(struct req *r, int64_t case_id, json_t *arr, const char *key, int json)
{
    char ad[48];
    seal_ad(case_id, ad);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *hex = json_string_value(json_object_get(o, "sealed"));
        if (!hex) {
            if (!json)
                json_object_set_new(o, key, json_null());
            continue;
        }
        size_t hl = strlen(hex), bl = 0;
        unsigned char *bin = malloc(hl / 2 + 1);
        char *text = NULL;
        if (bin && sodium_hex2bin(bin, hl / 2 + 1, hex, hl, NULL, &bl, NULL) == 0 &&
            crypto_open(r->key, ad, bin, bl, &text, NULL) == 0) {
            if (json) {
                json_t *x = json_loads(text, 0, NULL);
                if (json_is_object(x))
                    json_object_update(o, x);
                json_decref(x);
            } else {
                json_object_set_new(o, key, json_string(text));
            }
            sodium_memzero(text, strlen(text));
        } else {
            json_object_set_new(o, "sealed_error",
                                json_string("the sealed fields cannot be decrypted with this key"));
        }
        free(text);
        free(bin);
        json_object_del(o, "sealed");
    }
}

/* An audit entry for a read, in its own transaction, before anything is
 * shown; on failure r carries the error. */
static int audit_read(struct req *r, const char *action, const char *detail)
{
    char obj[32];
    snprintf(obj, sizeof obj, "case:%" PRId64, r->id);
    int rc = audit_record(r->st, r->sess.user.id, r->sess.user.username, action, obj, detail);
    if (rc)
        return req_fail(r, rc, NULL, "cannot record the read; nothing is shown");
    return VIGIL_OK;
}

/* The {pid} of the path is a person of the case {id}; 404 otherwise. */
static int path_person(struct req *r, char role[16])
{
    int rc = store_person_role(r->st, r->id, r->sub, role);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no person %" PRId64 " in case %" PRId64, r->sub, r->id);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read the person");
    return VIGIL_OK;
}

static json_t *items(json_t *arr)
{
    return json_pack("{s:o}", "items", arr);
}

/* ---- screenings ---------------------------------------------------------- */

int api_screening_create(struct req *r)
{
    int64_t pid = 0;
    struct screening s;
    json_t *answers = NULL;
    struct verr e;
    if (screening_body(r->body, &pid, &s, &answers, &e))
        return req_invalid(r, &e);
    char role[16];
    int rc = store_person_role(r->st, r->id, pid, role);
    if (rc || strcmp(role, "suspect") == 0) {
        json_decref(answers);
        if (rc && rc != VIGIL_ENOTFOUND)
            return req_fail(r, rc, NULL, "cannot read the person");
        return req_fail(r, VIGIL_EINVAL, "person_id",
                        rc ? "field 'person_id' names no person of this case"
                           : "field 'person_id' names a suspect; screening is for possible "
                             "victims");
    }
    int complete = 0;
    enum recommendation rec = screening_recommend(&s, &complete);
    char d[11];
    today(d);
    /* the day of the interview, when it is not today */
    json_t *on = json_object_get(r->body, "screened_on");
    if (on) {
        const char *t = json_string_value(on);
        int y, m, dd;
        if (!t || parse_date(t, &y, &m, &dd) || strcmp(t, d) > 0) {
            json_decref(answers);
            return req_fail(r, VIGIL_EINVAL, "screened_on",
                            "field 'screened_on' must be a date (YYYY-MM-DD), not in the future");
        }
        snprintf(d, sizeof d, "%s", t);
    }
    char *text = json_dumps(answers, JSON_COMPACT);
    unsigned char *sealed = NULL;
    size_t n = 0;
    rc = text ? seal(r, r->id, text, &sealed, &n) : VIGIL_ENOMEM;
    if (text) {
        sodium_memzero(text, strlen(text));
        free(text);
    }
    int64_t id = 0;
    if (!rc && !(rc = begin(r))) {
        rc = store_screening_add(r->st, r->id, pid, s.child, sealed, n, recommendation_name(rec),
                                 complete, d, r->sess.user.id, time_now(), &id);
        if (!rc) {
            char obj[80];
            snprintf(obj, sizeof obj, "case:%" PRId64 "/person:%" PRId64 "/screening:%" PRId64,
                     r->id, pid, id);
            rc = req_audit(r, "screening.create", obj, recommendation_name(rec));
        }
        rc = tx_end(r, rc);
    }
    free(sealed);
    if (rc) {
        json_decref(answers);
        return failed(r, rc, "the screening could not be saved");
    }
    json_object_set_new(answers, "id", json_integer(id));
    json_object_set_new(answers, "person_id", json_integer(pid));
    json_object_set_new(answers, "child", json_boolean(s.child));
    json_object_set_new(answers, "recommendation", json_string(recommendation_name(rec)));
    json_object_set_new(answers, "complete", json_boolean(complete));
    json_object_set_new(answers, "assessor", json_string(r->sess.user.username));
    json_object_set_new(answers, "screened_on", json_string(d));
    r->status = 201;
    r->resp = answers;
    return VIGIL_OK;
}

int api_screening_list(struct req *r)
{
    json_t *arr;
    int rc = store_screening_list(r->st, r->id, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read screenings");
    char detail[32];
    snprintf(detail, sizeof detail, "screenings=%zu", json_array_size(arr));
    if ((rc = audit_read(r, "screening.read", detail))) {
        json_decref(arr);
        return rc;
    }
    open_items(r, r->id, arr, NULL, 1);
    r->resp = items(arr);
    return VIGIL_OK;
}

/* ---- status decisions ----------------------------------------------------- */

int api_status_decide(struct req *r)
{
    char role[16];
    int rc = path_person(r, role);
    if (rc)
        return rc;
    if (strcmp(role, "victim") != 0)
        return req_fail(r, VIGIL_ECONFLICT, NULL,
                        "person %" PRId64 " is a %s; a trafficking status is decided for "
                        "victims only",
                        r->sub, role);
    char d[11];
    today(d);
    json_t *b;
    struct verr e;
    if (status_validate(r->body, d, &b, &e))
        return req_invalid(r, &e);
    unsigned char *sealed = NULL;
    size_t n = 0;
    rc = seal(r, r->id, json_string_value(json_object_get(b, "reason")), &sealed, &n);
    int64_t id = 0;
    const char *status = json_string_value(json_object_get(b, "vic_TraffickingStatus"));
    if (!rc && !(rc = begin(r))) {
        rc = store_status_decide(
            r->st, r->id, r->sub, status,
            json_string_value(json_object_get(b, "vic_TraffickingStatusDecisionMakingOrg")),
            json_string_value(json_object_get(b, "decided_on")), sealed, n, r->sess.user.id,
            time_now(), &id);
        if (!rc) {
            char obj[80];
            snprintf(obj, sizeof obj, "case:%" PRId64 "/person:%" PRId64 "/status:%" PRId64, r->id,
                     r->sub, id);
            rc = req_audit(r, "status.decide", obj, status);
        }
        rc = tx_end(r, rc);
    }
    free(sealed);
    if (rc) {
        json_decref(b);
        return failed(r, rc, "the decision could not be saved");
    }
    json_object_set_new(b, "id", json_integer(id));
    json_object_set_new(b, "person_id", json_integer(r->sub));
    json_object_set_new(b, "decided_by", json_string(r->sess.user.username));
    if (!json_object_get(b, "reason"))
        json_object_set_new(b, "reason", json_null());
    r->status = 201;
    r->resp = b;
    return VIGIL_OK;
}

int api_status_history(struct req *r)
{
    char role[16];
    int rc = path_person(r, role);
    if (rc)
        return rc;
    json_t *arr;
    if ((rc = store_status_history(r->st, r->id, r->sub, &arr)))
        return req_fail(r, rc, NULL, "cannot read the decisions");
    char detail[48];
    snprintf(detail, sizeof detail, "person:%" PRId64 " decisions=%zu", r->sub,
             json_array_size(arr));
    if ((rc = audit_read(r, "status.read", detail))) {
        json_decref(arr);
        return rc;
    }
    open_items(r, r->id, arr, "reason", 0);
    json_t *last = json_array_get(arr, json_array_size(arr) - 1);
    json_t *cur = last ? json_object_get(last, "vic_TraffickingStatus") : NULL;
    r->resp =
        json_pack("{s:O, s:o}", "vic_TraffickingStatus", cur ? cur : json_null(), "items", arr);
    return VIGIL_OK;
}

/* ---- services and support plans ------------------------------------------ */

static void service_view(struct req *r, json_t *svc)
{
    json_t *one = json_array();
    json_array_append(one, svc);
    open_items(r, r->id, one, "spl_Objectives", 0);
    char d[11];
    today(d);
    json_object_set_new(svc, "overdue",
                        json_boolean(service_overdue(
                            json_string_value(json_object_get(svc, "state")),
                            json_string_value(json_object_get(svc, "spl_PlannedEndDate")), d)));
    json_decref(one);
}

static int service_stale(struct req *r, int64_t want)
{
    return req_fail(r, VIGIL_ECONFLICT, NULL,
                    "the service was changed by someone else (you had version %" PRId64
                    "); reload it and try again",
                    want);
}

/* The provider's organisation id from a validated body, 400 when unknown. */
static int provider_id(struct req *r, json_t *b, int64_t *id)
{
    struct org o;
    if (store_org_by_code(r->st, json_string_value(json_object_get(b, "provider")), &o))
        return req_fail(r, VIGIL_EINVAL, "provider",
                        "field 'provider' names no known organisation");
    *id = o.id;
    return VIGIL_OK;
}

int api_service_create(struct req *r)
{
    char d[11];
    today(d);
    json_t *b;
    struct verr e;
    if (service_validate(r->body, NULL, d, &b, &e))
        return req_invalid(r, &e);
    int64_t prov = 0, pid = json_integer_value(json_object_get(b, "person_id"));
    int rc = provider_id(r, b, &prov);
    char role[16];
    if (!rc && pid && store_person_role(r->st, r->id, pid, role))
        rc = req_fail(r, VIGIL_EINVAL, "person_id",
                      "field 'person_id' names no person of this case");
    if (rc) {
        json_decref(b);
        return rc;
    }
    unsigned char *sealed = NULL;
    size_t n = 0;
    rc = seal(r, r->id, json_string_value(json_object_get(b, "spl_Objectives")), &sealed, &n);
    int64_t id = 0;
    if (!rc && !(rc = begin(r))) {
        rc = store_service_add(
            r->st, r->id, pid, json_string_value(json_object_get(b, "spl_Type")), sealed, n,
            json_string_value(json_object_get(b, "spl_PlannedEndDate")),
            json_string_value(json_object_get(b, "spl_ActualEndDate")),
            json_string_value(json_object_get(b, "state")), prov, r->sess.user.id, time_now(), &id);
        if (!rc) {
            char obj[64];
            snprintf(obj, sizeof obj, "case:%" PRId64 "/service:%" PRId64, r->id, id);
            rc = req_audit(r, "service.create", obj,
                           json_string_value(json_object_get(b, "spl_Type")));
        }
        rc = tx_end(r, rc);
    }
    free(sealed);
    json_decref(b);
    if (rc)
        return failed(r, rc, "the service could not be saved");
    json_t *out;
    if ((rc = store_service_get(r->st, r->id, id, &out)))
        return req_fail(r, rc, NULL, "cannot read the service back");
    service_view(r, out);
    req_etag(r, out);
    r->status = 201;
    r->resp = out;
    return VIGIL_OK;
}

int api_service_update(struct req *r)
{
    int64_t want;
    int rc = req_if_match(r, &want);
    return rc ? rc : service_update(r, want);
}

int service_update(struct req *r, int64_t want)
{
    json_t *cur;
    int rc = store_service_get(r->st, r->id, r->sub, &cur);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no service %" PRId64 " in case %" PRId64, r->sub, r->id);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read the service");
    if (json_integer_value(json_object_get(cur, "version")) != want) {
        json_decref(cur);
        return service_stale(r, want);
    }
    char d[11];
    today(d);
    json_t *b;
    struct verr e;
    if (service_validate(r->body, cur, d, &b, &e)) {
        json_decref(cur);
        return req_invalid(r, &e);
    }
    int64_t prov = 0;
    if (json_object_get(b, "provider"))
        rc = provider_id(r, b, &prov);
    else {
        struct org o = {0};
        rc = store_org_by_code(r->st, json_string_value(json_object_get(cur, "provider")), &o);
        prov = o.id;
    }
    if (!rc && json_object_get(b, "person_id"))
        rc = req_fail(r, VIGIL_EINVAL, "person_id", "field 'person_id' cannot be changed");
    if (rc) {
        json_decref(b);
        json_decref(cur);
        return failed(r, rc, "cannot read the provider");
    }
    /* the stored service with the change applied */
    json_t *m = json_deep_copy(cur);
    json_object_update(m, b);
    const char *keys[] = {"spl_PlannedEndDate", "spl_ActualEndDate"};
    const char *vals[2];
    for (int i = 0; i < 2; i++)
        vals[i] = json_string_value(json_object_get(m, keys[i])); /* null clears */
    int set_sealed = json_object_get(b, "spl_Objectives") != NULL;
    unsigned char *sealed = NULL;
    size_t n = 0;
    if (set_sealed)
        rc = seal(r, r->id, json_string_value(json_object_get(b, "spl_Objectives")), &sealed, &n);
    if (!rc && !(rc = begin(r))) {
        rc = store_service_update(r->st, r->sub, want,
                                  json_string_value(json_object_get(m, "spl_Type")), set_sealed,
                                  sealed, n, vals[0], vals[1],
                                  json_string_value(json_object_get(m, "state")), prov, time_now());
        if (!rc) {
            char obj[64], detail[200] = "";
            snprintf(obj, sizeof obj, "case:%" PRId64 "/service:%" PRId64, r->id, r->sub);
            const char *key;
            json_t *v;
            size_t used = 0;
            json_object_foreach(b, key, v)
            {
                used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%s",
                                         used ? "," : "", key);
                if (used >= sizeof detail)
                    break;
            }
            rc = req_audit(r, "service.update", obj, detail);
        }
        rc = tx_end(r, rc);
    }
    free(sealed);
    json_decref(m);
    json_decref(b);
    json_decref(cur);
    if (rc == VIGIL_ECONFLICT)
        return service_stale(r, want);
    if (rc)
        return failed(r, rc, "the service could not be saved");
    json_t *out;
    if ((rc = store_service_get(r->st, r->id, r->sub, &out)))
        return req_fail(r, rc, NULL, "cannot read the service back");
    service_view(r, out);
    req_etag(r, out);
    r->resp = out;
    return VIGIL_OK;
}

int api_service_list(struct req *r)
{
    json_t *arr;
    int rc = store_service_list(r->st, r->id, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read services");
    char detail[32];
    snprintf(detail, sizeof detail, "services=%zu", json_array_size(arr));
    if ((rc = audit_read(r, "service.read", detail))) {
        json_decref(arr);
        return rc;
    }
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) service_view(r, o);
    r->resp = items(arr);
    return VIGIL_OK;
}

int api_service_overdue(struct req *r)
{
    /* references, types and dates only: no personal data */
    char d[11];
    today(d);
    json_t *arr;
    int rc = store_service_overdue(r->st, r->sess.user.org_id, d, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read services");
    r->resp =
        json_pack("{s:s, s:s, s:o}", "provider", r->sess.user.org_code, "today", d, "items", arr);
    return VIGIL_OK;
}

/* ---- consent ------------------------------------------------------------- */

int api_consent_create(struct req *r)
{
    char role[16];
    int rc = path_person(r, role);
    if (rc)
        return rc;
    json_t *b;
    struct verr e;
    if (consent_validate(r->body, &b, &e))
        return req_invalid(r, &e);
    const char *purpose = json_string_value(json_object_get(b, "purpose"));
    int granted = json_is_true(json_object_get(b, "granted"));
    int64_t id = 0;
    if (!(rc = begin(r))) {
        rc = store_consent_add(r->st, r->id, r->sub, purpose, granted, r->sess.user.id, time_now(),
                               &id);
        if (!rc) {
            char obj[80];
            snprintf(obj, sizeof obj, "case:%" PRId64 "/person:%" PRId64 "/consent:%" PRId64, r->id,
                     r->sub, id);
            rc = req_audit(r, granted ? "consent.grant" : "consent.withdraw", obj, purpose);
        }
        rc = tx_end(r, rc);
    }
    if (rc) {
        json_decref(b);
        return failed(r, rc, "the consent could not be saved");
    }
    char ts[21];
    time_iso(time_now(), ts);
    json_object_set_new(b, "id", json_integer(id));
    json_object_set_new(b, "person_id", json_integer(r->sub));
    json_object_set_new(b, "recorded_by", json_string(r->sess.user.username));
    json_object_set_new(b, "recorded_at", json_string(ts));
    r->status = 201;
    r->resp = b;
    return VIGIL_OK;
}

/* Each purpose's latest answer (null when never asked) from a history. */
static json_t *consent_current(json_t *hist)
{
    json_t *cur = json_object();
    for (const char *const *p = consent_purposes; *p; p++)
        json_object_set_new(cur, *p, json_null());
    size_t i;
    json_t *o;
    json_array_foreach(hist, i, o)
    {
        const char *p = json_string_value(json_object_get(o, "purpose"));
        if (p)
            json_object_set(cur, p, json_object_get(o, "granted"));
    }
    return cur;
}

int api_consent_list(struct req *r)
{
    char role[16];
    int rc = path_person(r, role);
    if (rc)
        return rc;
    json_t *arr;
    if ((rc = store_consent_history(r->st, r->sub, &arr)))
        return req_fail(r, rc, NULL, "cannot read consents");
    char detail[48];
    snprintf(detail, sizeof detail, "person:%" PRId64, r->sub);
    if ((rc = audit_read(r, "consent.read", detail))) {
        json_decref(arr);
        return rc;
    }
    r->resp = json_pack("{s:o, s:o}", "current", consent_current(arr), "items", arr);
    return VIGIL_OK;
}

int referral_consent_check(struct req *r, int64_t case_id, const char *override, int *needed)
{
    json_t *missing;
    *needed = 0;
    int rc = store_consent_missing(r->st, case_id, "referral", &missing);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read consents");
    size_t n = json_array_size(missing);
    json_int_t first = json_integer_value(json_object_get(json_array_get(missing, 0), "person_id"));
    json_decref(missing);
    if (n == 0)
        return VIGIL_OK;
    *needed = 1;
    if (override && *override)
        return VIGIL_OK;
    return req_fail(r, VIGIL_ECONFLICT, "consent",
                    "consent 'referral' is missing for %zu victim%s of the case (first: person "
                    "%" JSON_INTEGER_FORMAT "); record it, or give an override_reason",
                    n, n == 1 ? "" : "s", first);
}

int referral_consent_override(struct req *r, int64_t case_id, int64_t referral_id,
                              const char *reason)
{
    unsigned char *sealed = NULL;
    size_t n = 0;
    int rc = seal(r, case_id, reason, &sealed, &n);
    int64_t id = 0;
    if (!rc)
        rc = store_consent_override_add(r->st, case_id, referral_id, "referral", sealed, n,
                                        r->sess.user.id, time_now(), &id);
    free(sealed);
    if (!rc) {
        char obj[64];
        snprintf(obj, sizeof obj, "case:%" PRId64 "/referral:%" PRId64, case_id, referral_id);
        rc = req_audit(r, "consent.override", obj, "referral");
    }
    return rc;
}

/* ---- the legal track -------------------------------------------------------- */

int api_legal_create(struct req *r)
{
    char d[11];
    today(d);
    json_t *b;
    enum legal_side side;
    struct verr e;
    /* who may record the kind of step comes first, then its fields */
    const char *asked = json_string_value(json_object_get(r->body, "type"));
    if (asked && legal_side_of(asked, &side) == 0 &&
        !policy_allows(r->sess.user.role,
                       side == LEGAL_INVESTIGATION ? ACT_LEGAL_INVESTIGATE : ACT_LEGAL_PROSECUTE))
        return req_fail(r, VIGIL_EPERM, "type", "your role may not record a step of type %s",
                        asked);
    if (legal_validate(r->body, d, &b, &side, &e))
        return req_invalid(r, &e);
    const char *type = json_string_value(json_object_get(b, "type"));
    int64_t court = 0;
    const char *court_code = json_string_value(json_object_get(b, "court"));
    if (court_code) {
        struct org o;
        if (store_org_by_code(r->st, court_code, &o)) {
            json_decref(b);
            return req_fail(r, VIGIL_EINVAL, "court", "field 'court' names no known organisation");
        }
        court = o.id;
    }
    json_t *attrs = json_deep_copy(b);
    json_object_del(attrs, "type");
    json_object_del(attrs, "on");
    char *text = json_dumps(attrs, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(attrs);
    int64_t id = 0;
    int rc = text ? VIGIL_OK : VIGIL_ENOMEM;
    if (!rc && !(rc = begin(r))) {
        rc = store_legal_add(r->st, r->id, type, json_string_value(json_object_get(b, "on")), text,
                             court, r->sess.user.id, time_now(), &id);
        char obj[64];
        snprintf(obj, sizeof obj, "case:%" PRId64 "/legal:%" PRId64, r->id, id);
        if (!rc)
            rc = req_audit(r, "legal.create", obj, type);
        /* The court that granted an authorisation supervises the case from
         * then on: its magistrates see it (docs/decisions.md). */
        if (!rc && court && !store_case_visible(r->st, r->id, court)) {
            rc = store_case_grant(r->st, r->id, court);
            if (!rc)
                rc = req_audit(r, "case.grant", obj, court_code);
        }
        rc = tx_end(r, rc);
    }
    free(text);
    if (rc) {
        json_decref(b);
        return failed(r, rc, "the legal step could not be saved");
    }
    json_object_set_new(b, "id", json_integer(id));
    json_object_set_new(b, "recorded_by", json_string(r->sess.user.username));
    r->status = 201;
    r->resp = b;
    return VIGIL_OK;
}

int api_legal_list(struct req *r)
{
    json_t *arr;
    int rc = store_legal_list(r->st, r->id, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read the legal track");
    char detail[32];
    snprintf(detail, sizeof detail, "steps=%zu", json_array_size(arr));
    if ((rc = audit_read(r, "legal.read", detail))) {
        json_decref(arr);
        return rc;
    }
    r->resp = items(arr);
    return VIGIL_OK;
}

int api_supervision(struct req *r)
{
    /* The read is recorded first, so the trail shown includes it. */
    int rc = audit_read(r, "supervision.read", "");
    if (rc)
        return rc;
    json_t *c = NULL, *legal = NULL, *trail = NULL;
    char obj[32];
    snprintf(obj, sizeof obj, "case:%" PRId64, r->id);
    if ((rc = store_case_get(r->st, r->id, &c)) || (rc = store_legal_list(r->st, r->id, &legal)) ||
        (rc = store_audit_object(r->st, obj, 0, &trail))) {
        json_decref(c);
        json_decref(legal);
        return req_fail(r, rc, NULL, "cannot read the case's record");
    }
    r->resp = json_pack("{s:o, s:o, s:o}", "case", c, "legal", legal, "audit", trail);
    return VIGIL_OK;
}

/* ---- events ------------------------------------------------------------- */

int api_event_create(struct req *r)
{
    json_t *b;
    struct verr e;
    if (event_validate(r->body, &b, &e))
        return req_invalid(r, &e);
    char d[11];
    today(d);
    const char *date = json_string_value(json_object_get(b, "hte_Date"));
    if (date && strcmp(date, d) > 0) {
        json_decref(b);
        return req_fail(r, VIGIL_EINVAL, "hte_Date", "field 'hte_Date' is in the future");
    }
    unsigned char *sealed = NULL;
    size_t n = 0;
    int rc = seal(r, r->id, json_string_value(json_object_get(b, "hte_Description")), &sealed, &n);
    int64_t id = 0;
    const char *type = json_string_value(json_object_get(b, "hte_Type"));
    if (!rc && !(rc = begin(r))) {
        rc = store_event_add(r->st, r->id, type, date,
                             json_string_value(json_object_get(b, "hte_City")),
                             json_string_value(json_object_get(b, "hte_Country")), sealed, n,
                             r->sess.user.id, time_now(), &id);
        if (!rc) {
            char obj[64];
            snprintf(obj, sizeof obj, "case:%" PRId64 "/event:%" PRId64, r->id, id);
            rc = req_audit(r, "event.create", obj, type);
        }
        rc = tx_end(r, rc);
    }
    free(sealed);
    if (rc) {
        json_decref(b);
        return failed(r, rc, "the event could not be saved");
    }
    json_object_set_new(b, "id", json_integer(id));
    json_object_set_new(b, "recorded_by", json_string(r->sess.user.username));
    r->status = 201;
    r->resp = b;
    return VIGIL_OK;
}

int api_event_list(struct req *r)
{
    json_t *arr;
    int rc = store_event_list(r->st, r->id, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read events");
    char detail[32];
    snprintf(detail, sizeof detail, "events=%zu", json_array_size(arr));
    if ((rc = audit_read(r, "event.read", detail))) {
        json_decref(arr);
        return rc;
    }
    open_items(r, r->id, arr, "hte_Description", 0);
    r->resp = items(arr);
    return VIGIL_OK;
}

/* ---- the timeline ---------------------------------------------------------- */

/* Append one entry: kind, its date (YYYY-MM-DD), when it was recorded, the
 * item's id and a short summary of codes (never sealed text). */
static void tl_add(json_t *tl, const char *kind, json_t *item, const char *date_key,
                   const char *summary_key)
{
    const char *at = json_string_value(json_object_get(item, "created_at"));
    if (!at)
        at = json_string_value(json_object_get(item, "recorded_at"));
    const char *date = date_key ? json_string_value(json_object_get(item, date_key)) : NULL;
    char d[11] = "";
    if (!date && at)
        snprintf(d, sizeof d, "%.10s", at);
    json_t *sum = summary_key ? json_object_get(item, summary_key) : NULL;
    json_array_append_new(
        tl, json_pack("{s:s, s:s, s:s?, s:O, s:O}", "kind", kind, "date", date ? date : d, "at", at,
                      "id", json_object_get(item, "id"), "summary", sum ? sum : json_null()));
}

static int tl_cmp(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(json_string_value(json_object_get(x, "date")),
                   json_string_value(json_object_get(y, "date")));
    if (c)
        return c;
    const char *ax = json_string_value(json_object_get(x, "at"));
    const char *ay = json_string_value(json_object_get(y, "at"));
    return strcmp(ax ? ax : "", ay ? ay : "");
}

int api_timeline(struct req *r)
{
    int role = r->sess.user.role, rc = audit_read(r, "timeline.read", "");
    if (rc)
        return rc;
    json_t *tl = json_array(), *arr;
    size_t i;
    json_t *o;
#define TL_PART(act, call, kind, date_key, sum_key)                                                \
    if (!rc && policy_allows(role, act) && !(rc = (call))) {                                       \
        json_array_foreach(arr, i, o) tl_add(tl, kind, o, date_key, sum_key);                      \
        json_decref(arr);                                                                          \
    }
    TL_PART(ACT_SCREENING_READ, store_screening_list(r->st, r->id, &arr), "screening",
            "screened_on", "recommendation")
    TL_PART(ACT_STATUS_READ, store_status_history(r->st, r->id, 0, &arr), "status", "decided_on",
            "vic_TraffickingStatus")
    TL_PART(ACT_REFERRAL_READ, store_referral_list(r->st, r->id, 0, NULL, &arr), "referral", NULL,
            "to")
    TL_PART(ACT_SERVICE_READ, store_service_list(r->st, r->id, &arr), "service", NULL, "spl_Type")
    TL_PART(ACT_LEGAL_READ, store_legal_list(r->st, r->id, &arr), "legal", "on", "type")
    TL_PART(ACT_EVENT_READ, store_event_list(r->st, r->id, &arr), "event", "hte_Date", "hte_Type")
    TL_PART(ACT_NOTE_READ, store_note_list(r->st, r->id, &arr), "note", NULL, "text")
    TL_PART(ACT_CONSENT_READ, store_consent_case(r->st, r->id, &arr), "consent", NULL, "purpose")
#undef TL_PART
    if (rc) {
        json_decref(tl);
        return req_fail(r, rc, NULL, "cannot read the case's timeline");
    }
    size_t n = json_array_size(tl);
    json_t **v = n ? malloc(n * sizeof *v) : NULL;
    if (n && !v) {
        json_decref(tl);
        return req_fail(r, VIGIL_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(tl, i));
    qsort(v, n, sizeof *v, tl_cmp);
    json_t *sorted = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(sorted, v[i]);
    free(v);
    json_decref(tl);
    r->resp = items(sorted);
    return VIGIL_OK;
}
