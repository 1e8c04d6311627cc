/* The case registry over HTTP: cases, persons, notes and referrals. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/case.h"
#include "core/htcds.h"
#include "core/note.h"
#include "core/person.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/http.h"

static void today(char out[11])
{
    time_date(time_now(), out);
}

/* Run a write: begin, the work, commit; roll back on failure. */
#define TX_BEGIN(r)                                                                                \
    do {                                                                                           \
        int tx_rc_ = store_begin((r)->st);                                                         \
        if (tx_rc_)                                                                                \
            return req_fail((r), tx_rc_, NULL, "the database is busy; try again");                 \
    } while (0)

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

int api_case_list(struct req *r)
{
    struct case_filter f = {0};
    f.viewer_org = r->sess.user.org_id;
    f.status = req_param(r, "status");
    f.category = req_param(r, "category");
    f.stage = req_param(r, "stage");
    f.source = req_param(r, "source");
    f.from = req_param(r, "from");
    f.to = req_param(r, "to");
    f.org_code = req_param(r, "organisation");
    f.q = req_param(r, "q");
    int page = 1, per = 50;
    if (req_param(r, "page"))
        parse_int(req_param(r, "page"), 1, 100000, &page);
    if (req_param(r, "per_page"))
        parse_int(req_param(r, "per_page"), 1, 200, &per);
    f.limit = per;
    f.offset = (int64_t)(page - 1) * per;
    json_t *items;
    int64_t total = 0;
    int rc = store_case_list(r->st, &f, &items, &total);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list cases");
    r->resp = json_pack("{s:o, s:I, s:b, s:i, s:i}", "items", items, "total",
                        (json_int_t)(total > STORE_COUNT_CAP ? STORE_COUNT_CAP : total),
                        "total_capped", total > STORE_COUNT_CAP, "page", page, "per_page", per);
    return VIGIL_OK;
}

int api_case_create(struct req *r)
{
    json_t *c;
    struct verr e;
    if (record_validate(case_fields, r->body, REC_CREATE, 0, &c, &e))
        return req_invalid(r, &e);
    char d[11];
    today(d);
    case_defaults(c, d);
    const char *closed = json_string_value(json_object_get(c, "closed_on"));
    if (closed && strcmp(closed, json_string_value(json_object_get(c, "opened_on"))) < 0) {
        json_decref(c);
        return req_fail(r, VIGIL_EINVAL, "closed_on", "field 'closed_on' is before 'opened_on'");
    }
    TX_BEGIN(r);
    json_t *out = NULL;
    int rc = store_case_create(r->st, c, r->sess.user.org_id, r->sess.user.id, time_now(), &out);
    json_decref(c);
    if (!rc) {
        char obj[32];
        snprintf(obj, sizeof obj, "case:%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(out, "id")));
        rc = req_audit(r, "case.create", obj, json_string_value(json_object_get(out, "reference")));
    }
    if ((rc = tx_end(r, rc))) {
        json_decref(out);
        return req_fail(r, rc, NULL, "the case could not be saved");
    }
    r->status = 201;
    req_etag(r, out);
    snprintf(r->location, sizeof r->location, "/api/v1/cases/%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(out, "id")));
    r->resp = out;
    return VIGIL_OK;
}

int api_case_get(struct req *r)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_reserve(&b, 1024);
    int64_t version = 0;
    int rc = store_case_get_text(r->st, r->id, &b, &version);
    if (rc) {
        buf_free(&b);
        return req_fail(r, rc, NULL, "no case %" PRId64, r->id);
    }
    snprintf(r->etag, sizeof r->etag, "\"%" PRId64 "\"", version);
    r->resp_text = buf_take(&b, &r->resp_len);
    return VIGIL_OK;
}

int case_update(struct req *r, int64_t version, json_t *patch, json_t **out)
{
    int rc = store_begin(r->st);
    if (rc)
        return req_fail(r, rc, NULL, "the database is busy; try again");
    json_t *cur = NULL;
    struct verr e;
    rc = store_case_get(r->st, r->id, &cur);
    if (!rc) {
        char d[11];
        today(d);
        if ((rc = case_check_update(cur, patch, d, &e)))
            req_invalid(r, &e);
    }
    if (!rc)
        rc = store_case_update(r->st, r->id, version, patch, time_now(), out);
    if (!rc) {
        struct buf b;
        buf_init(&b, 1024);
        const char *key;
        json_t *v;
        json_object_foreach(patch, key, v)
        {
            buf_printf(&b, "%s%s", buf_len(&b) ? "," : "", key);
        }
        char obj[32];
        snprintf(obj, sizeof obj, "case:%" PRId64, r->id);
        rc = req_audit(r, "case.update", obj, buf_cstr(&b));
        buf_free(&b);
    }
    json_decref(cur);
    rc = tx_end(r, rc);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int api_case_update(struct req *r)
{
    int64_t want;
    int rc0 = req_if_match(r, &want);
    if (rc0)
        return rc0;
    json_t *patch;
    struct verr e;
    if (record_validate(case_fields, r->body, REC_UPDATE, 0, &patch, &e))
        return req_invalid(r, &e);
    if (json_object_size(patch) == 0) {
        json_decref(patch);
        return req_fail(r, VIGIL_EINVAL, NULL, "nothing to change");
    }
    for (const char *req[] = {"category", "source", "cas_Status", "stage", "opened_on", NULL},
                    **k = req;
         *k; k++)
        if (json_is_null(json_object_get(patch, *k))) {
            json_decref(patch);
            return req_fail(r, VIGIL_EINVAL, *k, "field '%s' cannot be cleared", *k);
        }
    json_t *out = NULL;
    int rc = case_update(r, want, patch, &out);
    json_decref(patch);
    if (rc == VIGIL_ECONFLICT)
        return req_fail(r, rc, NULL,
                        "the case was changed by someone else (you had version %" PRId64
                        "); reload it and try again",
                        want);
    if (rc) {
        json_decref(out);
        return r->status ? rc : req_fail(r, rc, NULL, "the case could not be saved");
    }
    req_etag(r, out);
    r->resp = out;
    return VIGIL_OK;
}

static void person_ad(int64_t case_id, char ad[48])
{
    snprintf(ad, 48, "vigil.person.case:%" PRId64, case_id);
}

int case_person_add(struct req *r, int64_t case_id, json_t *p, int64_t *id)
{
    const char *role = json_string_value(json_object_get(p, "role"));
    json_t *personal, *plain;
    person_split(p, &personal, &plain);
    char d[11];
    today(d);
    int age = person_age(json_string_value(json_object_get(personal, "prs_Birthdate")), d);
    char *text = json_dumps(personal, JSON_COMPACT);
    unsigned char *sealed = NULL;
    size_t slen = 0;
    char ad[48];
    person_ad(case_id, ad);
    int rc = text ? crypto_seal(r->key, ad, text, strlen(text), &sealed, &slen) : VIGIL_ENOMEM;
    if (text) {
        memset(text, 0, strlen(text));
        free(text);
    }
    if (!rc)
        rc = store_person_add(r->st, case_id, role, sealed, slen, plain, age, r->sess.user.id,
                              time_now(), id);
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "case:%" PRId64 "/person:%" PRId64, case_id, *id);
        rc = req_audit(r, "person.create", obj, role);
    }
    free(sealed);
    json_decref(personal);
    json_decref(plain);
    return rc;
}

int api_person_create(struct req *r)
{
    json_t *p;
    struct verr e;
    if (person_validate(r->body, REC_CREATE, NULL, &p, &e))
        return req_invalid(r, &e);
    int64_t id = 0;
    TX_BEGIN(r);
    int rc = tx_end(r, case_person_add(r, r->id, p, &id));
    if (rc) {
        json_decref(p);
        return r->status ? rc : req_fail(r, rc, NULL, "the person could not be saved");
    }
    json_object_set_new(p, "id", json_integer(id));
    json_object_set_new(p, "case_id", json_integer(r->id));
    json_object_set_new(p, "vic_TraffickingStatus", json_null());
    r->status = 201;
    snprintf(r->location, sizeof r->location, "/api/v1/cases/%" PRId64 "/persons", r->id);
    r->resp = p;
    return VIGIL_OK;
}

int api_person_list(struct req *r)
{
    json_t *arr;
    int rc = case_persons_read(r, r->id, &arr);
    if (rc)
        return rc;
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

int case_persons_read(struct req *r, int64_t case_id, json_t **out)
{
    struct person_row *rows;
    size_t n;
    int rc = store_person_list(r->st, case_id, &rows, &n);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read persons");
    /* Reading personal data is recorded before it is shown. */
    char obj[32], detail[32];
    snprintf(obj, sizeof obj, "case:%" PRId64, case_id);
    snprintf(detail, sizeof detail, "persons=%zu", n);
    if ((rc = audit_record(r->st, r->sess.user.id, r->sess.user.username, "person.read", obj,
                           detail))) {
        store_person_rows_free(rows, n);
        return req_fail(r, rc, NULL, "cannot record the read; nothing is shown");
    }
    char ad[48];
    person_ad(case_id, ad);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_deep_copy(rows[i].plain);
        char *text = NULL;
        if (crypto_open(r->key, ad, rows[i].sealed, rows[i].sealed_len, &text, NULL) == 0) {
            json_t *personal = json_loads(text, 0, NULL);
            if (personal)
                json_object_update(p, personal);
            json_decref(personal);
            memset(text, 0, strlen(text));
            free(text);
        } else {
            json_object_set_new(p, "sealed_error",
                                json_string("the personal fields cannot be "
                                            "decrypted with this key"));
        }
        json_object_set_new(p, "id", json_integer(rows[i].id));
        json_object_set_new(p, "case_id", json_integer(rows[i].case_id));
        json_object_set_new(p, "role", json_string(rows[i].role));
        json_object_set_new(p, "vic_TraffickingStatus",
                            rows[i].trafficking_status ? json_string(rows[i].trafficking_status)
                                                       : json_null());
        json_array_append_new(arr, p);
    }
    store_person_rows_free(rows, n);
    *out = arr;
    return VIGIL_OK;
}

int api_note_create(struct req *r)
{
    json_t *n;
    struct verr e;
    if (record_validate(note_fields, r->body, REC_CREATE, 0, &n, &e))
        return req_invalid(r, &e);
    TX_BEGIN(r);
    json_t *out = NULL;
    int rc = store_note_add(r->st, r->id, r->sess.user.id,
                            json_string_value(json_object_get(n, "text")), time_now(), &out);
    json_decref(n);
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "case:%" PRId64 "/note:%" JSON_INTEGER_FORMAT, r->id,
                 json_integer_value(json_object_get(out, "id")));
        rc = req_audit(r, "note.create", obj, "");
    }
    if ((rc = tx_end(r, rc))) {
        json_decref(out);
        return r->status ? rc : req_fail(r, rc, NULL, "the note could not be saved");
    }
    r->status = 201;
    r->resp = out;
    return VIGIL_OK;
}

int api_note_list(struct req *r)
{
    json_t *arr;
    int rc = store_note_list(r->st, r->id, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read notes");
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

static const struct field referral_fields[] = {
    {"to", FT_TEXT, FF_REQUIRED, 2, 16, NULL, NULL},
    {"reason", FT_ENUM, FF_REQUIRED, 0, 0, NULL, "cas_ReasonForOutgoingReferral"},
    {"details", FT_LONGTEXT, 0, 0, 4000, NULL, NULL},
    /* referring victims who have not consented: why (sealed, audited) */
    {"override_reason", FT_LONGTEXT, 0, 1, 2000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

int api_referral_create(struct req *r)
{
    json_t *b;
    struct verr e;
    if (record_validate(referral_fields, r->body, REC_CREATE, 0, &b, &e))
        return req_invalid(r, &e);
    struct org to;
    const char *code = json_string_value(json_object_get(b, "to"));
    if (store_org_by_code(r->st, code, &to)) {
        json_decref(b);
        return req_fail(r, VIGIL_EINVAL, "to", "field 'to' names no known organisation");
    }
    if (to.id == r->sess.user.org_id) {
        json_decref(b);
        return req_fail(r, VIGIL_EINVAL, "to", "a case cannot be referred to its own agency");
    }
    const char *override = json_string_value(json_object_get(b, "override_reason"));
    TX_BEGIN(r);
    json_t *out = NULL;
    /* Victims must have consented to being referred (api_protection.c). */
    int needed = 0;
    int rc = referral_consent_check(r, r->id, override, &needed);
    if (!rc)
        rc = store_referral_add(r->st, r->id, r->sess.user.org_id, to.id,
                                json_string_value(json_object_get(b, "reason")),
                                json_string_value(json_object_get(b, "details")), r->sess.user.id,
                                time_now(), &out);
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "case:%" PRId64 "/referral:%" JSON_INTEGER_FORMAT, r->id,
                 json_integer_value(json_object_get(out, "id")));
        rc = req_audit(r, "referral.create", obj, to.code);
    }
    if (!rc && needed)
        rc = referral_consent_override(r, r->id, json_integer_value(json_object_get(out, "id")),
                                       override);
    json_decref(b);
    if ((rc = tx_end(r, rc))) {
        json_decref(out);
        return r->status ? rc : req_fail(r, rc, NULL, "the referral could not be saved");
    }
    json_object_del(out, "to_org_id");
    r->status = 201;
    r->resp = out;
    return VIGIL_OK;
}

static json_t *strip_refs(json_t *arr)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) json_object_del(x, "to_org_id");
    return arr;
}

int api_referral_list_case(struct req *r)
{
    json_t *arr;
    int rc = store_referral_list(r->st, r->id, 0, NULL, &arr);
    if (rc)
        return rc;
    r->resp = json_pack("{s:o}", "items", strip_refs(arr));
    return VIGIL_OK;
}

int api_referral_inbox(struct req *r)
{
    json_t *arr;
    int rc = store_referral_list(r->st, 0, r->sess.user.org_id, req_param(r, "state"), &arr);
    if (rc)
        return rc;
    r->resp = json_pack("{s:o}", "items", strip_refs(arr));
    return VIGIL_OK;
}

static int decide(struct req *r, const char *state, const char *action)
{
    TX_BEGIN(r);
    json_t *out = NULL;
    int rc = store_referral_decide(r->st, r->id, state, r->sess.user.id, time_now(), &out);
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "case:%" JSON_INTEGER_FORMAT "/referral:%" PRId64,
                 json_integer_value(json_object_get(out, "case_id")), r->id);
        rc = req_audit(r, action, obj, "");
    }
    rc = tx_end(r, rc);
    if (rc == VIGIL_ECONFLICT)
        return req_fail(r, rc, NULL, "referral %" PRId64 " cannot become %s from its state", r->id,
                        state);
    if (rc) {
        json_decref(out);
        return r->status ? rc : req_fail(r, rc, NULL, "the referral could not be saved");
    }
    json_object_del(out, "to_org_id");
    r->resp = out;
    return VIGIL_OK;
}

int api_referral_accept(struct req *r)
{
    return decide(r, "accepted", "referral.accept");
}

int api_referral_reject(struct req *r)
{
    return decide(r, "rejected", "referral.reject");
}

int api_referral_complete(struct req *r)
{
    return decide(r, "completed", "referral.complete");
}
