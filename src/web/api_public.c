/*
 * The public side over HTTP: anonymous tips with a follow-up code, "is there
 * anything wrong with this page?" feedback, and the staff's queues for both.
 * What a tip says and any contact details are sealed like personal fields;
 * the follow-up code is kept only as a hash. Nothing here stores or logs the
 * submitter's address.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "core/record.h"
#include "util/err.h"
#include "util/timeutil.h"
#include "web/http.h"

#define TIP_AD "vigil.tip"

static const char *const tip_channels[] = {"web", "hotline", NULL};
static const char *const tip_states[] = {"new", "reviewing", "promoted", "closed", NULL};
static const char *const langs[] = {"zh-Hant", "pt", "en", NULL};

static const struct field tip_fields[] = {
    {"what", FT_LONGTEXT, FF_REQUIRED, 1, 5000, NULL, NULL},
    {"where", FT_LONGTEXT, 0, 0, 500, NULL, NULL},
    {"when", FT_TEXT, 0, 0, 200, NULL, NULL},
    {"contact", FT_TEXT, 0, 0, 300, NULL, NULL},
    {"lang", FT_ENUM, 0, 0, 0, langs, NULL},
    {"website", FT_TEXT, 0, 0, 500, NULL, NULL}, /* the honeypot: people leave it empty */
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field staff_tip_fields[] = {
    {"what", FT_LONGTEXT, FF_REQUIRED, 1, 5000, NULL, NULL},
    {"where", FT_LONGTEXT, 0, 0, 500, NULL, NULL},
    {"when", FT_TEXT, 0, 0, 200, NULL, NULL},
    {"contact", FT_TEXT, 0, 0, 300, NULL, NULL},
    {"channel", FT_ENUM, 0, 0, 0, tip_channels, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field addition_fields[] = {
    {"what", FT_LONGTEXT, FF_REQUIRED, 1, 5000, NULL, NULL},
    {"website", FT_TEXT, 0, 0, 500, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field triage_fields[] = {
    {"state", FT_ENUM, FF_REQUIRED, 0, 0, tip_states, NULL},
    {"reason", FT_LONGTEXT, 0, 1, 1000, NULL, NULL},
    {"case_id", FT_INT, 0, 1, INT32_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static const struct field feedback_fields[] = {
    {"page", FT_TEXT, FF_REQUIRED, 1, 500, NULL, NULL},
    {"message", FT_LONGTEXT, FF_REQUIRED, 1, 2000, NULL, NULL},
    {"contact", FT_TEXT, 0, 0, 300, NULL, NULL},
    {"lang", FT_ENUM, 0, 0, 0, langs, NULL},
    {"website", FT_TEXT, 0, 0, 500, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static int honeypot(json_t *b)
{
    const char *w = json_string_value(json_object_get(b, "website"));
    return w && *w;
}

/* 20 characters of base32 (100 bits), shown as four groups of five. */
static void new_code(char shown[24], char plain[21])
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    int k = 0;
    for (int i = 0; i < 20; i++) {
        char ch = alphabet[randombytes_uniform(32)];
        plain[i] = ch;
        if (i && i % 5 == 0)
            shown[k++] = '-';
        shown[k++] = ch;
    }
    plain[20] = '\0';
    shown[k] = '\0';
}

/* The code as typed, without dashes or spaces, upper-cased; -1 if it cannot
 * be a code. */
static int normalise_code(const char *in, char out[21])
{
    int k = 0;
    for (; *in; in++) {
        if (*in == '-' || *in == ' ')
            continue;
        if (!isalnum((unsigned char)*in) || k == 20)
            return -1;
        out[k++] = (char)toupper((unsigned char)*in);
    }
    out[k] = '\0';
    return k == 20 ? 0 : -1;
}

static int seal_json(struct req *r, json_t *o, const char *ad, unsigned char **out, size_t *n)
{
    char *text = json_dumps(o, JSON_COMPACT);
    if (!text)
        return VIGIL_ENOMEM;
    int rc = crypto_seal(r->key, ad, text, strlen(text), out, n);
    sodium_memzero(text, strlen(text));
    free(text);
    return rc;
}

static json_t *open_json(struct req *r, const unsigned char *b, size_t n, const char *ad)
{
    char *text = NULL;
    if (crypto_open(r->key, ad, b, n, &text, NULL))
        return NULL;
    json_t *o = json_loads(text, 0, NULL);
    sodium_memzero(text, strlen(text));
    free(text);
    return o;
}

/* Store a tip (from the public form or logged by hotline staff). */
static int tip_store(struct req *r, json_t *t, const char *channel, int64_t logged_by)
{
    char shown[24], plain[21], hash[65];
    new_code(shown, plain);
    crypto_hash_hex(plain, strlen(plain), hash);
    json_t *content = json_object();
    for (const char *k[] = {"what", "where", "when", "contact", NULL}, **p = k; *p; p++)
        if (json_object_get(t, *p))
            json_object_set(content, *p, json_object_get(t, *p));
    unsigned char *sealed = NULL;
    size_t n = 0;
    int rc = seal_json(r, content, TIP_AD, &sealed, &n);
    json_decref(content);
    if (rc)
        return req_fail(r, rc, NULL, "the tip could not be saved");
    int64_t id = 0;
    rc = store_begin(r->st);
    if (!rc)
        rc = store_tip_add(r->st, hash, channel, sealed, n, logged_by, time_now(), &id);
    char obj[32];
    snprintf(obj, sizeof obj, "tip:%" PRId64, id);
    if (!rc)
        rc = req_audit(r, "tip.create", obj, channel);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    free(sealed);
    if (rc)
        return req_fail(r, rc, NULL, "the tip could not be saved; please try again");
    r->status = 201;
    r->resp = json_pack("{s:s, s:s, s:s}", "code", shown, "state", "new", "message",
                        "Keep this code: it is shown only once. With it you can follow the tip "
                        "and add information.");
    if (logged_by)
        json_object_set_new(r->resp, "id", json_integer(id));
    return VIGIL_OK;
}

int api_tip_create(struct req *r)
{
    json_t *t;
    struct verr e;
    if (record_validate(tip_fields, r->body, REC_CREATE, 0, &t, &e))
        return req_invalid(r, &e);
    if (honeypot(t)) {
        /* A bot: answer as if it worked, keep nothing. */
        json_decref(t);
        char shown[24], plain[21];
        new_code(shown, plain);
        r->status = 201;
        r->resp = json_pack("{s:s, s:s}", "code", shown, "state", "new");
        return VIGIL_OK;
    }
    int rc = tip_store(r, t, "web", 0);
    json_decref(t);
    return rc;
}

static int tip_for_code(struct req *r, struct tip_row *row)
{
    char plain[21], hash[65];
    if (normalise_code(r->code, plain))
        return req_fail(r, VIGIL_ENOTFOUND, NULL, "no tip has this follow-up code");
    crypto_hash_hex(plain, strlen(plain), hash);
    int rc = store_tip_by_code(r->st, hash, row);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no tip has this follow-up code");
    if (rc)
        return req_fail(r, rc, NULL, "the tip cannot be read now");
    return VIGIL_OK;
}

/* What the submitter may see: the state and dates, never who handled it. */
static json_t *tip_public_json(const struct tip_row *t)
{
    char c[21], u[21];
    time_iso(t->created_at, c);
    time_iso(t->updated_at, u);
    return json_pack("{s:s, s:s, s:s, s:I}", "state", t->state, "submitted_at", c, "updated_at", u,
                     "additions", (json_int_t)t->additions);
}

int api_tip_status(struct req *r)
{
    struct tip_row t;
    int rc = tip_for_code(r, &t);
    if (rc)
        return rc;
    r->resp = tip_public_json(&t);
    store_tip_row_free(&t);
    return VIGIL_OK;
}

int api_tip_add(struct req *r)
{
    json_t *a;
    struct verr e;
    if (record_validate(addition_fields, r->body, REC_CREATE, 0, &a, &e))
        return req_invalid(r, &e);
    struct tip_row t;
    int rc = tip_for_code(r, &t);
    if (rc) {
        json_decref(a);
        return rc;
    }
    if (honeypot(a)) {
        json_decref(a);
        r->status = 201;
        r->resp = tip_public_json(&t);
        store_tip_row_free(&t);
        return VIGIL_OK;
    }
    char ad[48];
    snprintf(ad, sizeof ad, TIP_AD ":%" PRId64, t.id);
    json_object_del(a, "website");
    unsigned char *sealed = NULL;
    size_t n = 0;
    rc = seal_json(r, a, ad, &sealed, &n);
    json_decref(a);
    char obj[32];
    snprintf(obj, sizeof obj, "tip:%" PRId64, t.id);
    if (!rc)
        rc = store_begin(r->st);
    if (!rc) {
        rc = store_tip_addition_add(r->st, t.id, sealed, n, time_now());
        if (!rc)
            rc = req_audit(r, "tip.add", obj, "");
        if (!rc)
            rc = store_commit(r->st);
        else
            store_rollback(r->st);
    }
    free(sealed);
    store_tip_row_free(&t);
    if (rc)
        return req_fail(r, rc, NULL, "the information could not be saved; please try again");
    if ((rc = tip_for_code(r, &t)))
        return rc;
    r->status = 201;
    r->resp = tip_public_json(&t);
    store_tip_row_free(&t);
    return VIGIL_OK;
}

int api_feedback_create(struct req *r)
{
    json_t *f;
    struct verr e;
    if (record_validate(feedback_fields, r->body, REC_CREATE, 0, &f, &e))
        return req_invalid(r, &e);
    const char *page = json_string_value(json_object_get(f, "page"));
    if (page[0] != '/') {
        json_decref(f);
        return req_fail(r, VIGIL_EINVAL, "page", "field 'page' must be a path on this site");
    }
    int rc = VIGIL_OK;
    int64_t id = 0;
    if (!honeypot(f)) {
        unsigned char *sealed = NULL;
        size_t n = 0;
        json_t *contact = json_object_get(f, "contact");
        if (contact && json_string_length(contact)) {
            json_t *c = json_pack("{s:O}", "contact", contact);
            rc = seal_json(r, c, "vigil.feedback", &sealed, &n);
            json_decref(c);
        }
        if (!rc)
            rc = store_begin(r->st);
        if (!rc) {
            rc = store_feedback_add(r->st, page, json_string_value(json_object_get(f, "message")),
                                    sealed, n, json_string_value(json_object_get(f, "lang")),
                                    time_now(), &id);
            char obj[32];
            snprintf(obj, sizeof obj, "feedback:%" PRId64, id);
            if (!rc)
                rc = req_audit(r, "feedback.create", obj, "");
            if (!rc)
                rc = store_commit(r->st);
            else
                store_rollback(r->st);
        }
        free(sealed);
    }
    json_decref(f);
    if (rc)
        return req_fail(r, rc, NULL, "the message could not be saved; please try again");
    r->status = 201;
    r->resp = json_pack("{s:s}", "status", "received");
    return VIGIL_OK;
}

/* ---- staff: the tip queue and the feedback queue ------------------------ */

static json_t *tip_staff_json(struct req *r, const struct tip_row *t)
{
    char c[21], u[21];
    time_iso(t->created_at, c);
    time_iso(t->updated_at, u);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)t->id, "channel",
                          t->channel, "state", t->state, "created_at", c, "updated_at", u,
                          "additions", (json_int_t)t->additions);
    json_object_set_new(o, "case_id", t->case_id ? json_integer(t->case_id) : json_null());
    json_object_set_new(o, "close_reason",
                        t->close_reason ? json_string(t->close_reason) : json_null());
    json_t *content = open_json(r, t->sealed, t->sealed_len, TIP_AD);
    if (content)
        json_object_update(o, content);
    else
        json_object_set_new(o, "sealed_error", json_string("cannot be decrypted with this key"));
    json_decref(content);
    return o;
}

int api_tip_queue(struct req *r)
{
    struct tip_row *rows;
    size_t n;
    int rc = store_tip_list(r->st, req_param(r, "state"), 200, 0, &rows, &n);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list tips");
    char detail[32];
    snprintf(detail, sizeof detail, "tips=%zu", n);
    rc = audit_record(r->st, r->sess.user.id, r->sess.user.username, "tip.read", "tips", detail);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!rc)
            json_array_append_new(arr, tip_staff_json(r, &rows[i]));
        store_tip_row_free(&rows[i]);
    }
    free(rows);
    if (rc) {
        json_decref(arr);
        return req_fail(r, rc, NULL, "cannot record the read; nothing is shown");
    }
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

int api_tip_get(struct req *r)
{
    struct tip_row t;
    int rc = store_tip_by_id(r->st, r->id, &t);
    if (rc)
        return req_fail(r, rc, NULL, "no tip %" PRId64, r->id);
    char obj[32];
    snprintf(obj, sizeof obj, "tip:%" PRId64, t.id);
    if ((rc = audit_record(r->st, r->sess.user.id, r->sess.user.username, "tip.read", obj, ""))) {
        store_tip_row_free(&t);
        return req_fail(r, rc, NULL, "cannot record the read; nothing is shown");
    }
    json_t *o = tip_staff_json(r, &t);
    json_t *adds = NULL;
    if (store_tip_additions(r->st, t.id, &adds) == VIGIL_OK) {
        char ad[48];
        snprintf(ad, sizeof ad, TIP_AD ":%" PRId64, t.id);
        json_t *out = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(adds, i, x)
        {
            const char *hex = json_string_value(json_object_get(x, "sealed"));
            size_t hl = strlen(hex), bl = 0;
            unsigned char *bin = malloc(hl / 2 + 1);
            json_t *content = NULL;
            if (bin && sodium_hex2bin(bin, hl / 2 + 1, hex, hl, NULL, &bl, NULL) == 0)
                content = open_json(r, bin, bl, ad);
            free(bin);
            json_t *item = content ? content : json_object();
            json_object_set(item, "created_at", json_object_get(x, "created_at"));
            json_array_append_new(out, item);
        }
        json_object_set_new(o, "additions_list", out);
        json_decref(adds);
    }
    store_tip_row_free(&t);
    r->resp = o;
    return VIGIL_OK;
}

int api_tip_log(struct req *r)
{
    json_t *t;
    struct verr e;
    if (record_validate(staff_tip_fields, r->body, REC_CREATE, 0, &t, &e))
        return req_invalid(r, &e);
    const char *channel = json_string_value(json_object_get(t, "channel"));
    int rc = tip_store(r, t, channel ? channel : "hotline", r->sess.user.id);
    json_decref(t);
    return rc;
}

int api_tip_triage(struct req *r)
{
    json_t *b;
    struct verr e;
    if (record_validate(triage_fields, r->body, REC_CREATE, 0, &b, &e))
        return req_invalid(r, &e);
    const char *state = json_string_value(json_object_get(b, "state"));
    const char *reason = json_string_value(json_object_get(b, "reason"));
    int64_t case_id = json_integer_value(json_object_get(b, "case_id"));
    int rc = VIGIL_OK;
    if (strcmp(state, "new") == 0)
        rc = req_fail(r, VIGIL_EINVAL, "state", "a tip cannot go back to 'new'");
    else if (strcmp(state, "closed") == 0 && !reason)
        rc = req_fail(r, VIGIL_EINVAL, "reason", "closing a tip needs a reason");
    else if (strcmp(state, "promoted") == 0 &&
             (!case_id || !store_case_visible(r->st, case_id, r->sess.user.org_id)))
        rc = req_fail(r, VIGIL_EINVAL, "case_id",
                      "promoting a tip needs the id of a case of your agency");
    json_decref(b);
    if (rc)
        return rc;
    char obj[32];
    snprintf(obj, sizeof obj, "tip:%" PRId64, r->id);
    rc = store_begin(r->st);
    if (!rc)
        rc = store_tip_triage(r->st, r->id, state, reason, case_id, r->sess.user.id, time_now());
    if (!rc)
        rc = req_audit(r, "tip.triage", obj, state);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    if (rc == VIGIL_ECONFLICT)
        return req_fail(r, rc, NULL, "tip %" PRId64 " is already promoted or closed", r->id);
    if (rc)
        return req_fail(r, rc, NULL, "the tip could not be saved");
    struct tip_row t;
    if ((rc = store_tip_by_id(r->st, r->id, &t)))
        return req_fail(r, rc, NULL, "no tip %" PRId64, r->id);
    r->resp = tip_staff_json(r, &t);
    store_tip_row_free(&t);
    return VIGIL_OK;
}

int api_feedback_list(struct req *r)
{
    json_t *arr;
    int rc = store_feedback_list(r->st, req_param(r, "state"), 500, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list feedback");
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

int api_feedback_review(struct req *r)
{
    char obj[32];
    snprintf(obj, sizeof obj, "feedback:%" PRId64, r->id);
    int rc = store_begin(r->st);
    if (!rc)
        rc = store_feedback_review(r->st, r->id, time_now());
    if (!rc)
        rc = req_audit(r, "feedback.review", obj, "");
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no feedback %" PRId64, r->id);
    if (rc == VIGIL_ECONFLICT)
        return req_fail(r, rc, NULL, "feedback %" PRId64 " is already reviewed", r->id);
    if (rc)
        return req_fail(r, rc, NULL, "the feedback could not be saved");
    r->resp = json_pack("{s:I, s:s}", "id", (json_int_t)r->id, "state", "reviewed");
    return VIGIL_OK;
}
