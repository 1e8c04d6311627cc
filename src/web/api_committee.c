/*
 * The committee over HTTP: its plenary meetings (edited at a version until
 * the minutes are approved), the measures they introduce with their dated
 * progress, and prevention activities. The rules are core/committee.c's;
 * this file resolves organisation codes, runs each write in a transaction
 * with its audit entry, and shapes the answers. The pages (page_committee.c)
 * write through these handlers too.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/committee.h"
#include "util/err.h"
#include "util/timeutil.h"
#include "web/http.h"

static void today(char out[11])
{
    time_date(time_now(), out);
}

static int rule_failed(struct req *r, int rc, const struct verr *e)
{
    return req_fail(r, rc, e->field, "%s", e->msg);
}

static int begin(struct req *r)
{
    int rc = store_begin(r->st);
    if (rc)
        req_fail(r, rc, NULL, "the database is busy; try again");
    return rc;
}

/* Audit, then commit; roll back on any failure. */
static int finish(struct req *r, int rc, const char *action, const char *what, int64_t id,
                  const char *detail)
{
    char obj[48];
    snprintf(obj, sizeof obj, "%s:%" PRId64, what, id);
    if (!rc)
        rc = req_audit(r, action, obj, detail);
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    return rc;
}

/* The keys of o, comma-separated, for an audit entry. */
static void keys_of(json_t *o, char *out, size_t n)
{
    const char *key;
    json_t *v;
    out[0] = '\0';
    json_object_foreach(o, key, v)
    {
        size_t used = strlen(out);
        snprintf(out + used, n - used, "%s%s", used ? "," : "", key);
    }
}

/* The organisation of code, or a 400 naming field. */
static int org_id_of(struct req *r, const char *field, const char *code, int64_t *id)
{
    struct org o;
    int rc = store_org_by_code(r->st, code, &o);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, VIGIL_EINVAL, field, "field '%s' names no organisation '%.40s'", field,
                        code);
    if (rc)
        return req_fail(r, rc, NULL, "the organisations cannot be read now");
    *id = o.id;
    return VIGIL_OK;
}

/* ---- meetings ---------------------------------------------------------- */

/* Turn the validated "attendees" codes into "attendee_ids". */
static int resolve_attendees(struct req *r, json_t *f)
{
    json_t *codes = json_object_get(f, "attendees");
    if (!codes)
        return VIGIL_OK;
    json_t *ids = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(codes, i, c)
    {
        int64_t id;
        int rc = org_id_of(r, "attendees", json_string_value(c), &id);
        if (rc) {
            json_decref(ids);
            return rc;
        }
        json_array_append_new(ids, json_integer(id));
    }
    json_object_set_new(f, "attendee_ids", ids);
    return VIGIL_OK;
}

int api_meeting_list(struct req *r)
{
    json_t *arr;
    int rc = store_meeting_list(r->st, req_param(r, "from"), req_param(r, "to"), 1000, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list meetings");
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

int api_meeting_get(struct req *r)
{
    json_t *m;
    int rc = store_meeting_get(r->st, r->id, &m);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no meeting %" PRId64, r->id);
    if (rc)
        return req_fail(r, rc, NULL, "the meeting cannot be read now");
    req_etag(r, m);
    r->resp = m;
    return VIGIL_OK;
}

int api_meeting_create(struct req *r)
{
    json_t *f;
    struct verr e;
    int rc = meeting_validate(r->body, NULL, &f, &e);
    if (rc)
        return rule_failed(r, rc, &e);
    if ((rc = resolve_attendees(r, f)) || (rc = begin(r))) {
        json_decref(f);
        return rc;
    }
    int64_t id = 0;
    rc = store_meeting_add(r->st, f, r->sess.user.id, time_now(), &id);
    rc = finish(r, rc, "meeting.create", "meeting", id,
                json_string_value(json_object_get(f, "state")));
    json_decref(f);
    if (rc)
        return req_fail(r, rc, NULL, "the meeting could not be saved");
    json_t *m;
    if ((rc = store_meeting_get(r->st, id, &m)))
        return req_fail(r, rc, NULL, "the meeting cannot be read now");
    r->status = 201;
    snprintf(r->location, sizeof r->location, "/api/v1/meetings/%" PRId64, id);
    req_etag(r, m);
    r->resp = m;
    return VIGIL_OK;
}

int api_meeting_update(struct req *r)
{
    int64_t want;
    int rc = req_if_match(r, &want);
    if (rc)
        return rc;
    json_t *cur;
    if ((rc = store_meeting_get(r->st, r->id, &cur)))
        return req_fail(r, rc, NULL,
                        rc == VIGIL_ENOTFOUND ? "no such meeting"
                                              : "the meeting cannot be read now");
    json_t *patch;
    struct verr e;
    rc = meeting_validate(r->body, cur, &patch, &e);
    json_decref(cur);
    if (rc)
        return rule_failed(r, rc, &e);
    char detail[128];
    keys_of(patch, detail, sizeof detail);
    if ((rc = resolve_attendees(r, patch)) || (rc = begin(r))) {
        json_decref(patch);
        return rc;
    }
    json_t *out = NULL;
    rc = store_meeting_update(r->st, r->id, want, patch, time_now(), &out);
    json_decref(patch);
    rc = finish(r, rc, "meeting.update", "meeting", r->id, detail);
    if (rc) {
        json_decref(out);
        if (rc == VIGIL_ECONFLICT)
            return req_fail(r, rc, NULL,
                            "the meeting was changed by someone else (you had version %" PRId64
                            "); reload it and try again",
                            want);
        return req_fail(r, rc, NULL, "the meeting could not be saved");
    }
    req_etag(r, out);
    r->resp = out;
    return VIGIL_OK;
}

/* ---- measures ---------------------------------------------------------- */

/* Check the meeting named by "meeting_id" and resolve "owner" to "owner_id". */
static int measure_refs(struct req *r, json_t *f)
{
    json_t *mid = json_object_get(f, "meeting_id");
    if (json_is_integer(mid)) {
        json_t *m = NULL;
        int rc = store_meeting_get(r->st, json_integer_value(mid), &m);
        json_decref(m);
        if (rc == VIGIL_ENOTFOUND)
            return req_fail(r, VIGIL_EINVAL, "meeting_id",
                            "field 'meeting_id' names no meeting %" JSON_INTEGER_FORMAT,
                            json_integer_value(mid));
        if (rc)
            return req_fail(r, rc, NULL, "the meeting cannot be read now");
    }
    const char *owner = json_string_value(json_object_get(f, "owner"));
    if (owner) {
        int64_t id;
        int rc = org_id_of(r, "owner", owner, &id);
        if (rc)
            return rc;
        json_object_set_new(f, "owner_id", json_integer(id));
    }
    return VIGIL_OK;
}

int api_measure_list(struct req *r)
{
    const char *state = req_param(r, "state"), *owner = req_param(r, "owner");
    const char *overdue = req_param(r, "overdue");
    json_t *arr;
    int rc;
    char d[11];
    today(d);
    if (overdue && strcmp(overdue, "1") == 0) {
        rc = store_measure_overdue(r->st, d, &arr);
        /* the other filters over the overdue ones */
        for (size_t i = 0; !rc && i < json_array_size(arr);) {
            json_t *m = json_array_get(arr, i);
            const char *s = json_string_value(json_object_get(m, "state"));
            const char *o = json_string_value(json_object_get(m, "owner"));
            if ((state && strcmp(state, s) != 0) || (owner && strcmp(owner, o) != 0))
                json_array_remove(arr, i);
            else
                i++;
        }
    } else {
        rc = store_measure_list(r->st, state, owner, &arr);
    }
    if (rc)
        return req_fail(r, rc, NULL, "cannot list measures");
    size_t i;
    json_t *m;
    json_array_foreach(arr, i, m)
    {
        json_object_set_new(
            m, "overdue",
            json_boolean(measure_overdue(json_string_value(json_object_get(m, "state")),
                                         json_string_value(json_object_get(m, "due_on")), d)));
    }
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

/* The measure r->id with "overdue", or the error. */
static int load_measure(struct req *r, json_t **m)
{
    int rc = store_measure_get(r->st, r->id, m);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no measure %" PRId64, r->id);
    if (rc)
        return req_fail(r, rc, NULL, "the measure cannot be read now");
    char d[11];
    today(d);
    json_object_set_new(
        *m, "overdue",
        json_boolean(measure_overdue(json_string_value(json_object_get(*m, "state")),
                                     json_string_value(json_object_get(*m, "due_on")), d)));
    return VIGIL_OK;
}

int api_measure_get(struct req *r)
{
    json_t *m;
    int rc = load_measure(r, &m);
    if (rc)
        return rc;
    req_etag(r, m);
    r->resp = m;
    return VIGIL_OK;
}

int api_measure_create(struct req *r)
{
    json_t *f;
    struct verr e;
    char d[11];
    today(d);
    int rc = measure_validate(r->body, NULL, d, &f, &e);
    if (rc)
        return rule_failed(r, rc, &e);
    if ((rc = measure_refs(r, f)) || (rc = begin(r))) {
        json_decref(f);
        return rc;
    }
    int64_t id = 0;
    rc = store_measure_add(r->st, f, r->sess.user.id, time_now(), &id);
    rc = finish(r, rc, "measure.create", "measure", id,
                json_string_value(json_object_get(f, "state")));
    json_decref(f);
    if (rc)
        return req_fail(r, rc, NULL, "the measure could not be saved");
    json_t *m;
    r->id = id;
    if ((rc = load_measure(r, &m)))
        return rc;
    r->status = 201;
    snprintf(r->location, sizeof r->location, "/api/v1/measures/%" PRId64, id);
    req_etag(r, m);
    r->resp = m;
    return VIGIL_OK;
}

int api_measure_update(struct req *r)
{
    int64_t want;
    int rc = req_if_match(r, &want);
    if (rc)
        return rc;
    json_t *cur;
    if ((rc = load_measure(r, &cur)))
        return rc;
    json_t *patch;
    struct verr e;
    char d[11];
    today(d);
    rc = measure_validate(r->body, cur, d, &patch, &e);
    json_decref(cur);
    if (rc)
        return rule_failed(r, rc, &e);
    char detail[128];
    keys_of(patch, detail, sizeof detail);
    if ((rc = measure_refs(r, patch)) || (rc = begin(r))) {
        json_decref(patch);
        return rc;
    }
    json_t *out = NULL;
    rc = store_measure_update(r->st, r->id, want, patch, time_now(), &out);
    json_decref(out);
    json_decref(patch);
    rc = finish(r, rc, "measure.update", "measure", r->id, detail);
    if (rc == VIGIL_ECONFLICT)
        return req_fail(r, rc, NULL,
                        "the measure was changed by someone else (you had version %" PRId64
                        "); reload it and try again",
                        want);
    if (rc)
        return req_fail(r, rc, NULL, "the measure could not be saved");
    json_t *m;
    if ((rc = load_measure(r, &m)))
        return rc;
    req_etag(r, m);
    r->resp = m;
    return VIGIL_OK;
}

int api_measure_progress(struct req *r)
{
    json_t *cur;
    int rc = load_measure(r, &cur);
    if (rc)
        return rc;
    json_t *p;
    struct verr e;
    char d[11];
    today(d);
    rc = progress_validate(r->body, json_string_value(json_object_get(cur, "state")), d, &p, &e);
    json_decref(cur);
    if (rc)
        return rule_failed(r, rc, &e);
    if ((rc = begin(r))) {
        json_decref(p);
        return rc;
    }
    int64_t uid = 0;
    const char *state = json_string_value(json_object_get(p, "state"));
    rc = store_measure_progress(r->st, r->id, json_string_value(json_object_get(p, "on")), state,
                                json_string_value(json_object_get(p, "note")), r->sess.user.id,
                                time_now(), &uid);
    rc = finish(r, rc, "measure.progress", "measure", r->id, state);
    json_decref(p);
    if (rc)
        return req_fail(r, rc, NULL, "the progress could not be saved");
    json_t *m;
    if ((rc = load_measure(r, &m)))
        return rc;
    r->status = 201;
    snprintf(r->location, sizeof r->location, "/api/v1/measures/%" PRId64, r->id);
    req_etag(r, m);
    r->resp = json_pack("{s:I, s:o}", "id", (json_int_t)uid, "measure", m);
    return VIGIL_OK;
}

/* ---- activities -------------------------------------------------------- */

int api_activity_list(struct req *r)
{
    json_t *arr;
    int rc = store_activity_list(r->st, req_param(r, "from"), req_param(r, "to"),
                                 req_param(r, "kind"), &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list activities");
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

int api_activity_create(struct req *r)
{
    json_t *f;
    struct verr e;
    char d[11];
    today(d);
    if (activity_validate(r->body, d, r->sess.user.org_code, &f, &e))
        return req_invalid(r, &e);
    int64_t org;
    int rc = org_id_of(r, "org", json_string_value(json_object_get(f, "org")), &org);
    if (!rc) {
        json_object_set_new(f, "org_id", json_integer(org));
        rc = begin(r);
    }
    if (rc) {
        json_decref(f);
        return rc;
    }
    int64_t id = 0;
    rc = store_activity_add(r->st, f, r->sess.user.id, time_now(), &id);
    rc = finish(r, rc, "activity.create", "activity", id,
                json_string_value(json_object_get(f, "kind")));
    if (rc) {
        json_decref(f);
        return req_fail(r, rc, NULL, "the activity could not be saved");
    }
    json_object_del(f, "org_id");
    json_object_set_new(f, "id", json_integer(id));
    r->status = 201;
    r->resp = f;
    return VIGIL_OK;
}
