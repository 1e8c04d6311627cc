/*
 * Public statements over HTTP: the published ones for everyone (in a chosen
 * language, the Chinese original standing in for a missing translation),
 * drafts, edits at a version and publishing for the secretariat. Every
 * write is audited inside its transaction.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/statements.h"

const struct field statement_fields[] = {
    {"title_zh", FT_TEXT, FF_REQUIRED, 1, 300, NULL, NULL},
    {"body_zh", FT_LONGTEXT, FF_REQUIRED, 1, 20000, NULL, NULL},
    {"title_pt", FT_TEXT, 0, 0, 300, NULL, NULL},
    {"body_pt", FT_LONGTEXT, 0, 0, 20000, NULL, NULL},
    {"title_en", FT_TEXT, 0, 0, 300, NULL, NULL},
    {"body_en", FT_LONGTEXT, 0, 0, 20000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

int statement_text(json_t *s, int lang, const char **title, const char **body)
{
    static const char *const keys[LANG_COUNT][2] = {
        [LANG_ZH] = {"title_zh", "body_zh"},
        [LANG_PT] = {"title_pt", "body_pt"},
        [LANG_EN] = {"title_en", "body_en"},
    };
    if (lang < 0 || lang >= LANG_COUNT)
        lang = LANG_ZH;
    const char *t = json_string_value(json_object_get(s, keys[lang][0]));
    const char *b = json_string_value(json_object_get(s, keys[lang][1]));
    if (lang != LANG_ZH && t && *t && b && *b) {
        *title = t;
        *body = b;
        return 1;
    }
    *title = json_string_value(json_object_get(s, "title_zh"));
    *body = json_string_value(json_object_get(s, "body_zh"));
    if (!*title)
        *title = "";
    if (!*body)
        *body = "";
    return lang == LANG_ZH;
}

/* Add "lang", "title", "body" and "translated" for the language asked. */
static void localise(json_t *s, const char *code)
{
    int lang = i18n_parse(code);
    const char *t, *b;
    int ok = statement_text(s, lang, &t, &b);
    json_object_set_new(s, "lang", json_string(ok ? i18n_code(lang) : "zh-Hant"));
    json_object_set_new(s, "title", json_string(t));
    json_object_set_new(s, "body", json_string(b));
    json_object_set_new(s, "translated", json_boolean(ok));
}

static int may_write(struct req *r)
{
    return r->authed && policy_allows(r->sess.user.role, ACT_STATEMENT_WRITE);
}

int api_statement_list(struct req *r)
{
    json_t *arr;
    int rc = store_statement_list(r->st, "published", 200, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list statements");
    const char *lang = req_param(r, "lang");
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        if (lang)
            localise(s, lang);
    }
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

/* The statement in the path; a draft only for those who may write. */
static int load(struct req *r, json_t **s)
{
    int rc = store_statement_get(r->st, r->id, s);
    if (rc == VIGIL_OK && !may_write(r) &&
        strcmp(json_string_value(json_object_get(*s, "state")), "published") != 0) {
        json_decref(*s);
        *s = NULL;
        rc = VIGIL_ENOTFOUND;
    }
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no statement %" PRId64, r->id);
    if (rc)
        return req_fail(r, rc, NULL, "the statement cannot be read now");
    return VIGIL_OK;
}

int api_statement_get(struct req *r)
{
    json_t *s;
    int rc = load(r, &s);
    if (rc)
        return rc;
    const char *lang = req_param(r, "lang");
    if (lang)
        localise(s, lang);
    req_etag(r, s);
    r->resp = s;
    return VIGIL_OK;
}

/* Begin, audit, commit; roll back on any failure. */
static int finish(struct req *r, int rc, const char *action, int64_t id, const char *detail)
{
    char obj[40];
    snprintf(obj, sizeof obj, "statement:%" PRId64, id);
    if (!rc)
        rc = req_audit(r, action, obj, detail);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    return rc;
}

int api_statement_create(struct req *r)
{
    json_t *f;
    struct verr e;
    if (record_validate(statement_fields, r->body, REC_CREATE, 0, &f, &e))
        return req_fail(r, VIGIL_EINVAL, e.field, "%s", e.msg);
    int64_t id = 0;
    int rc = store_begin(r->st);
    if (rc) {
        json_decref(f);
        return req_fail(r, rc, NULL, "the database is busy; try again");
    }
    rc = store_statement_add(r->st, f, r->sess.user.id, time_now(), &id);
    json_decref(f);
    if ((rc = finish(r, rc, "statement.create", id, "draft")))
        return req_fail(r, rc, NULL, "the statement could not be saved");
    json_t *s;
    if ((rc = store_statement_get(r->st, id, &s)))
        return req_fail(r, rc, NULL, "the statement cannot be read now");
    r->status = 201;
    snprintf(r->location, sizeof r->location, "/api/v1/statements/%" PRId64, id);
    req_etag(r, s);
    r->resp = s;
    return VIGIL_OK;
}

int api_statement_update(struct req *r)
{
    int64_t want;
    int rc0 = req_if_match(r, &want);
    if (rc0)
        return rc0;
    json_t *patch;
    struct verr e;
    if (record_validate(statement_fields, r->body, REC_UPDATE, 0, &patch, &e))
        return req_fail(r, VIGIL_EINVAL, e.field, "%s", e.msg);
    if (json_object_size(patch) == 0) {
        json_decref(patch);
        return req_fail(r, VIGIL_EINVAL, NULL, "nothing to change");
    }
    for (const char *k[] = {"title_zh", "body_zh", NULL}, **p = k; *p; p++)
        if (json_is_null(json_object_get(patch, *p))) {
            json_decref(patch);
            return req_fail(r, VIGIL_EINVAL, *p, "field '%s' cannot be cleared: it is the original",
                            *p);
        }
    char detail[128] = "";
    const char *key;
    json_t *v;
    json_object_foreach(patch, key, v)
    {
        size_t used = strlen(detail);
        snprintf(detail + used, sizeof detail - used, "%s%s", used ? "," : "", key);
    }
    int rc = store_begin(r->st);
    if (rc) {
        json_decref(patch);
        return req_fail(r, rc, NULL, "the database is busy; try again");
    }
    json_t *out = NULL;
    rc = store_statement_update(r->st, r->id, want, patch, time_now(), &out);
    json_decref(patch);
    rc = finish(r, rc, "statement.update", r->id, detail);
    if (rc) {
        json_decref(out);
        if (rc == VIGIL_ECONFLICT)
            return req_fail(r, rc, NULL,
                            "the statement was changed by someone else (you had version %" PRId64
                            "); reload it and try again",
                            want);
        if (rc == VIGIL_ENOTFOUND)
            return req_fail(r, rc, NULL, "no statement %" PRId64, r->id);
        return req_fail(r, rc, NULL, "the statement could not be saved");
    }
    req_etag(r, out);
    r->resp = out;
    return VIGIL_OK;
}

int api_statement_publish(struct req *r)
{
    int rc = store_begin(r->st);
    if (rc)
        return req_fail(r, rc, NULL, "the database is busy; try again");
    json_t *out = NULL;
    rc = store_statement_publish(r->st, r->id, time_now(), &out);
    rc = finish(r, rc, "statement.publish", r->id, "");
    if (rc) {
        json_decref(out);
        if (rc == VIGIL_ENOTFOUND)
            return req_fail(r, rc, NULL, "no statement %" PRId64, r->id);
        return req_fail(r, rc, NULL, "the statement could not be published");
    }
    req_etag(r, out);
    r->resp = out;
    return VIGIL_OK;
}
