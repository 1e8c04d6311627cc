/*
 * The TIP report of each year over HTTP: reports, their recommendations
 * (one by one or imported from plain text), the measures that answer each
 * and the figures that evidence it, and the draft response, which the
 * secretariat can turn into a public statement to edit and publish.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tipreport.h"
#include "report/stats.h"
#include "report/tipresponse.h"
#include "util/err.h"
#include "util/timeutil.h"
#include "web/http.h"
#include "web/i18n.h"
#include "web/statements.h"

/* Each recommendation's state, from its assessment and its measures. */
static void add_states(json_t *recs)
{
    size_t i;
    json_t *r;
    json_array_foreach(recs, i, r)
    {
        const char *s =
            recommendation_state(json_string_value(json_object_get(r, "assessment")),
                                 (int)json_integer_value(json_object_get(r, "measures_total")),
                                 (int)json_integer_value(json_object_get(r, "measures_begun")),
                                 (int)json_integer_value(json_object_get(r, "measures_done")));
        json_object_set_new(r, "state", json_string(s));
    }
}

/* Commit with an audit entry, or roll back when rc says the work failed. */
static int finish(struct req *r, int rc, const char *action, const char *obj, const char *detail)
{
    if (!rc)
        rc = req_audit(r, action, obj, detail);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    return rc;
}

static int failed(struct req *r, int rc, const char *what)
{
    return r->status ? rc : req_fail(r, rc, NULL, "%s", what);
}

int api_tipreport_list(struct req *r)
{
    json_t *arr;
    int rc = store_tipreport_list(r->st, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list TIP reports");
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

/* Add recommendations from texts (strings) to report id; inside a transaction. */
static int add_texts(struct req *r, int64_t id, json_t *texts, int64_t now)
{
    size_t i;
    json_t *t;
    json_array_foreach(texts, i, t)
    {
        json_t *f = json_pack("{s:O}", "text_en", t);
        int64_t rid;
        int rc = store_recommendation_add(r->st, id, f, now, &rid);
        json_decref(f);
        if (rc)
            return rc;
    }
    return VIGIL_OK;
}

/* "text": plain text, one recommendation per paragraph, split and checked. */
static int texts_of(struct req *r, json_t **texts)
{
    *texts = NULL;
    json_t *t = json_object_get(r->body, "text");
    if (!t)
        return VIGIL_OK;
    if (!json_is_string(t))
        return req_fail(r, VIGIL_EINVAL, "text", "field 'text' must be a string");
    struct verr e;
    if (tipreport_split(json_string_value(t), json_string_length(t), 100, texts, &e))
        return req_invalid(r, &e);
    return VIGIL_OK;
}

int api_tipreport_create(struct req *r)
{
    json_t *texts = NULL;
    int rc = texts_of(r, &texts);
    if (rc)
        return rc;
    json_t *body = json_deep_copy(r->body);
    json_object_del(body, "text");
    json_t *f;
    struct verr e;
    rc = record_validate(tipreport_fields, body, REC_CREATE, 0, &f, &e);
    json_decref(body);
    if (rc) {
        json_decref(texts);
        return req_invalid(r, &e);
    }
    int year = (int)json_integer_value(json_object_get(f, "year"));
    char from[11], to[11];
    tipreport_period(year, from, to);
    int64_t id = 0, now = time_now();
    rc = store_begin(r->st);
    if (!rc)
        rc = store_tipreport_add(r->st, f, from, to, r->sess.user.id, now, &id);
    if (!rc && texts)
        rc = add_texts(r, id, texts, now);
    char obj[32], detail[32];
    snprintf(obj, sizeof obj, "tip_report:%" PRId64, id);
    snprintf(detail, sizeof detail, "year=%d", year);
    if (rc)
        store_rollback(r->st);
    else
        rc = finish(r, rc, "tip_report.create", obj, detail);
    json_decref(f);
    json_decref(texts);
    if (rc == VIGIL_EEXIST || rc == VIGIL_ECONFLICT)
        return req_fail(r, VIGIL_ECONFLICT, "year", "the TIP report of %d is already recorded",
                        year);
    if (rc)
        return failed(r, rc, "the report could not be saved");
    r->id = id;
    rc = api_tipreport_get(r);
    if (!rc)
        r->status = 201;
    return rc;
}

int api_tipreport_get(struct req *r)
{
    json_t *rep, *recs;
    int rc = store_tipreport_get(r->st, r->id, &rep);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no TIP report %" PRId64, r->id);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read the report");
    if ((rc = store_recommendation_list(r->st, r->id, &recs))) {
        json_decref(rep);
        return req_fail(r, rc, NULL, "cannot read the recommendations");
    }
    add_states(recs);
    json_object_set_new(rep, "recommendations", recs);
    req_etag(r, rep);
    r->resp = rep;
    return VIGIL_OK;
}

int api_tipreport_update(struct req *r)
{
    int64_t want;
    int rc = req_if_match(r, &want);
    if (rc)
        return rc;
    json_t *p;
    struct verr e;
    if (record_validate(tipreport_fields, r->body, REC_UPDATE, 0, &p, &e))
        return req_invalid(r, &e);
    if (json_object_get(p, "year")) {
        json_decref(p);
        return req_fail(r, VIGIL_EINVAL, "year", "field 'year' cannot be changed");
    }
    if (json_is_null(json_object_get(p, "tier"))) {
        json_decref(p);
        return req_fail(r, VIGIL_EINVAL, "tier", "field 'tier' cannot be cleared");
    }
    json_t *out = NULL;
    char obj[32];
    snprintf(obj, sizeof obj, "tip_report:%" PRId64, r->id);
    rc = store_begin(r->st);
    if (!rc)
        rc = finish(r, store_tipreport_update(r->st, r->id, want, p, time_now(), &out),
                    "tip_report.update", obj, "");
    json_decref(p);
    json_decref(out);
    if (rc == VIGIL_ECONFLICT)
        return req_fail(r, rc, NULL,
                        "the report was changed by someone else (you had version %" PRId64
                        "); reload it and try again",
                        want);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no TIP report %" PRId64, r->id);
    if (rc)
        return failed(r, rc, "the report could not be saved");
    return api_tipreport_get(r);
}

/* One recommendation ({"text_en",...}) or many ({"text": paragraphs}). */
int api_recommendation_create(struct req *r)
{
    json_t *rep;
    int rc = store_tipreport_get(r->st, r->id, &rep);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no TIP report %" PRId64, r->id);
    if (rc)
        return req_fail(r, rc, NULL, "cannot read the report");
    json_decref(rep);
    json_t *texts = NULL, *f = NULL;
    if ((rc = texts_of(r, &texts)))
        return rc;
    if (!texts) {
        struct verr e;
        if (record_validate(recommendation_fields, r->body, REC_CREATE, 0, &f, &e))
            return req_invalid(r, &e);
    } else if (json_object_size(r->body) != 1) {
        json_decref(texts);
        return req_fail(r, VIGIL_EINVAL, "text",
                        "send either 'text' (one recommendation per paragraph) or the fields of "
                        "one recommendation");
    }
    int64_t now = time_now(), id = 0;
    rc = store_begin(r->st);
    if (!rc)
        rc = texts ? add_texts(r, r->id, texts, now)
                   : store_recommendation_add(r->st, r->id, f, now, &id);
    char obj[40], detail[32];
    snprintf(obj, sizeof obj, "tip_report:%" PRId64, r->id);
    snprintf(detail, sizeof detail, "added=%zu", texts ? json_array_size(texts) : (size_t)1);
    if (rc)
        store_rollback(r->st);
    else
        rc = finish(r, rc, "recommendation.create", obj, detail);
    json_decref(texts);
    json_decref(f);
    if (rc)
        return failed(r, rc, "the recommendations could not be saved");
    rc = api_tipreport_get(r);
    if (!rc)
        r->status = 201;
    return rc;
}

int api_recommendation_update(struct req *r)
{
    int64_t want;
    int rc = req_if_match(r, &want);
    if (rc)
        return rc;
    json_t *body = json_deep_copy(r->body), *ids = json_object_get(r->body, "measure_ids");
    json_object_del(body, "measure_ids");
    int64_t mids[200];
    size_t n = 0;
    if (ids) {
        if (!json_is_array(ids) || json_array_size(ids) > 200) {
            json_decref(body);
            return req_fail(r, VIGIL_EINVAL, "measure_ids",
                            "field 'measure_ids' must be an array of at most 200 measure ids");
        }
        size_t i;
        json_t *x;
        json_array_foreach(ids, i, x)
        {
            if (!json_is_integer(x) || json_integer_value(x) < 1) {
                json_decref(body);
                return req_fail(r, VIGIL_EINVAL, "measure_ids",
                                "field 'measure_ids' must hold measure ids");
            }
            mids[n++] = json_integer_value(x);
        }
    }
    json_t *p;
    struct verr e;
    rc = record_validate(recommendation_fields, body, REC_UPDATE, 0, &p, &e);
    json_decref(body);
    if (rc)
        return req_invalid(r, &e);
    if (json_is_null(json_object_get(p, "text_en"))) {
        json_decref(p);
        return req_fail(r, VIGIL_EINVAL, "text_en", "field 'text_en' cannot be cleared");
    }
    json_t *out = NULL;
    char obj[40];
    snprintf(obj, sizeof obj, "recommendation:%" PRId64, r->id);
    rc = store_begin(r->st);
    if (!rc) {
        rc = store_recommendation_update(r->st, r->id, want, p, time_now(), &out);
        if (!rc && ids)
            rc = store_recommendation_set_measures(r->st, r->id, mids, n);
        if (rc == VIGIL_ENOTFOUND && out)
            rc = req_fail(r, VIGIL_EINVAL, "measure_ids",
                          "a measure in 'measure_ids' does not "
                          "exist");
        rc = finish(r, rc, "recommendation.update", obj, ids ? "measures" : "");
    }
    json_decref(p);
    json_decref(out);
    if (rc == VIGIL_ECONFLICT)
        return req_fail(r, rc, NULL,
                        "the recommendation was changed by someone else (you had version %" PRId64
                        "); reload it and try again",
                        want);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no recommendation %" PRId64, r->id);
    if (rc)
        return failed(r, rc, "the recommendation could not be saved");
    if ((rc = store_recommendation_get(r->st, r->id, &out)))
        return req_fail(r, rc, NULL, "cannot read the recommendation back");
    json_t *one = json_array();
    json_array_append(one, out);
    add_states(one);
    json_decref(one);
    req_etag(r, out);
    r->resp = out;
    return VIGIL_OK;
}

int api_recommendation_figure(struct req *r)
{
    json_t *f;
    struct verr e;
    if (record_validate(figure_fields, r->body, REC_CREATE, 0, &f, &e))
        return req_invalid(r, &e);
    const char *table = json_string_value(json_object_get(f, "table"));
    const char *column = json_string_value(json_object_get(f, "column"));
    if (!figure_known(table, column ? column : "count")) {
        json_decref(f);
        return req_fail(r, VIGIL_EINVAL, figure_known(table, NULL) ? "column" : "table",
                        "no statistics table '%s' with column '%s' (docs/api.md lists them)", table,
                        column ? column : "count");
    }
    json_t *cur;
    int rc = store_recommendation_get(r->st, r->id, &cur);
    if (rc) {
        json_decref(f);
        return req_fail(r, rc, NULL,
                        rc == VIGIL_ENOTFOUND ? "no such recommendation"
                                              : "cannot read the recommendation");
    }
    json_decref(cur);
    int64_t id = 0;
    char obj[40];
    snprintf(obj, sizeof obj, "recommendation:%" PRId64, r->id);
    rc = store_begin(r->st);
    if (!rc)
        rc = finish(r, store_recommendation_figure_add(r->st, r->id, f, time_now(), &id),
                    "recommendation.figure", obj, table);
    json_decref(f);
    if (rc)
        return failed(r, rc, "the figure could not be saved");
    if ((rc = store_recommendation_get(r->st, r->id, &cur)))
        return req_fail(r, rc, NULL, "cannot read the recommendation back");
    r->status = 201;
    r->resp = cur;
    return VIGIL_OK;
}

/* The year of the report in the path; fails the request when there is none. */
static int report_year(struct req *r, int *year)
{
    json_t *rep;
    int rc = store_tipreport_get(r->st, r->id, &rep);
    if (rc)
        return req_fail(r, rc, NULL,
                        rc == VIGIL_ENOTFOUND ? "no such TIP report" : "cannot read the report");
    *year = (int)json_integer_value(json_object_get(rep, "year"));
    json_decref(rep);
    return VIGIL_OK;
}

int api_tipreport_response(struct req *r)
{
    int year;
    int rc = report_year(r, &year);
    if (rc)
        return rc;
    const char *l = req_param(r, "lang");
    int lang = l ? i18n_parse(l) : r->lang;
    json_t *doc;
    char err[256];
    if ((rc = tipresponse_build(r->st, year, lang, r->cfg->stats_k, &doc, err, sizeof err)))
        return req_fail(r, rc, NULL, "%s", err);
    struct buf b;
    buf_init(&b, 1u << 20);
    tipresponse_txt(doc, &b);
    json_object_set_new(doc, "text", json_string(buf_cstr(&b)));
    buf_free(&b);
    r->resp = doc;
    return VIGIL_OK;
}

int api_tipreport_statement(struct req *r)
{
    int year;
    int rc = report_year(r, &year);
    if (rc)
        return rc;
    static const char *const keys[LANG_COUNT][2] = {
        [LANG_ZH] = {"title_zh", "body_zh"},
        [LANG_PT] = {"title_pt", "body_pt"},
        [LANG_EN] = {"title_en", "body_en"},
    };
    json_t *f = json_object();
    char err[256] = "";
    for (int lang = 0; !rc && lang < LANG_COUNT; lang++) {
        json_t *doc;
        if ((rc = tipresponse_build(r->st, year, lang, r->cfg->stats_k, &doc, err, sizeof err)))
            break;
        /* the title is the statement's title, not part of its body */
        json_array_remove(json_object_get(doc, "blocks"), 0);
        struct buf b;
        buf_init(&b, 1u << 20);
        tipresponse_txt(doc, &b);
        json_object_set_new(f, keys[lang][0],
                            json_string(json_string_value(json_object_get(doc, "title"))));
        json_object_set_new(f, keys[lang][1], json_string(buf_cstr(&b)));
        buf_free(&b);
        json_decref(doc);
    }
    if (rc) {
        json_decref(f);
        return req_fail(r, rc, NULL, "%s", err);
    }
    json_t *v;
    struct verr e;
    if (record_validate(statement_fields, f, REC_CREATE, 0, &v, &e)) {
        json_decref(f);
        return req_fail(r, VIGIL_ETOOBIG, e.field, "the draft does not fit a statement: %s", e.msg);
    }
    json_decref(f);
    int64_t id = 0;
    char obj[40], detail[48];
    snprintf(obj, sizeof obj, "tip_report:%" PRId64, r->id);
    rc = store_begin(r->st);
    if (!rc)
        rc = store_statement_add(r->st, v, r->sess.user.id, time_now(), &id);
    snprintf(detail, sizeof detail, "statement:%" PRId64, id);
    if (rc)
        store_rollback(r->st);
    else
        rc = finish(r, rc, "tip_report.statement", obj, detail);
    json_decref(v);
    if (rc)
        return failed(r, rc, "the statement could not be saved");
    r->status = 201;
    r->resp = json_pack("{s:I, s:s}", "statement_id", (json_int_t)id, "state", "draft");
    snprintf(r->location, sizeof r->location, "/statements/%" PRId64, id);
    return VIGIL_OK;
}
