/*
 * The committee's meetings, measures, progress updates and activities:
 * field tables and rules (core/committee.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/committee.h"
#include "util/err.h"

const char *const meeting_states[] = {"planned", "held", "approved", NULL};
const char *const measure_states[] = {"open", "in_progress", "done", "dropped", NULL};
const char *const activity_kinds[] = {"inspection", "training", "awareness", NULL};
const char *const activity_counts[] = {"sites", "workers_reached", "officials_trained",
                                       "people_reached", NULL};

/* Large enough for the whole population of Macao many times over; small
 * enough that a sum over ten years of activities stays far from overflow. */
#define COUNT_MAX 10000000

const struct field meeting_fields[] = {
    {"held_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, NULL},
    {"title", FT_TEXT, 0, 0, 200, NULL, NULL},
    {"state", FT_ENUM, 0, 0, 0, meeting_states, NULL},
    {"agenda", FT_TEXTS, 0, 1, 300, NULL, NULL},
    {"minutes", FT_LONGTEXT, 0, 0, 50000, NULL, NULL},
    {"decisions", FT_TEXTS, 0, 1, 1000, NULL, NULL},
    {"attendees", FT_TEXTS, 0, 2, 16, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field measure_fields[] = {
    {"title", FT_TEXT, FF_REQUIRED, 1, 300, NULL, NULL},
    {"meeting_id", FT_INT, 0, 1, INT32_MAX, NULL, NULL},
    {"owner", FT_TEXT, FF_REQUIRED, 2, 16, NULL, NULL},
    {"due_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, NULL},
    {"state", FT_ENUM, 0, 0, 0, measure_states, NULL},
    {"done_on", FT_DATE, FF_READONLY, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field progress_fields[] = {
    {"on", FT_DATE, 0, 0, 0, NULL, NULL},
    {"state", FT_ENUM, 0, 0, 0, measure_states, NULL},
    {"note", FT_LONGTEXT, FF_REQUIRED, 1, 4000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field activity_fields[] = {
    {"kind", FT_ENUM, FF_REQUIRED, 0, 0, activity_kinds, NULL},
    {"org", FT_TEXT, 0, 2, 16, NULL, NULL},
    {"held_on", FT_DATE, FF_REQUIRED, 0, 0, NULL, NULL},
    {"title", FT_TEXT, 0, 0, 300, NULL, NULL},
    {"sites", FT_INT, 0, 0, COUNT_MAX, NULL, NULL},
    {"workers_reached", FT_INT, 0, 0, COUNT_MAX, NULL, NULL},
    {"officials_trained", FT_INT, 0, 0, COUNT_MAX, NULL, NULL},
    {"people_reached", FT_INT, 0, 0, COUNT_MAX, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

static int fail(struct verr *err, int code, const char *field, const char *msg)
{
    snprintf(err->field, sizeof err->field, "%s", field);
    snprintf(err->msg, sizeof err->msg, "%s", msg);
    return code;
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int index_of(const char *const *vals, const char *v)
{
    for (int i = 0; v && vals[i]; i++)
        if (strcmp(vals[i], v) == 0)
            return i;
    return -1;
}

int meeting_transition_ok(const char *from, const char *to)
{
    int a = index_of(meeting_states, from), b = index_of(meeting_states, to);
    return a >= 0 && b >= a;
}

int meeting_validate(json_t *in, const json_t *cur, json_t **out, struct verr *err)
{
    memset(err, 0, sizeof *err);
    if (cur && strcmp(str(cur, "state") ? str(cur, "state") : "", "approved") == 0)
        return fail(err, VIGIL_ECONFLICT, "state",
                    "the minutes of this meeting are approved: it can no longer be changed");
    json_t *o;
    int rc = record_validate(meeting_fields, in, cur ? REC_UPDATE : REC_CREATE, 0, &o, err);
    if (rc)
        return rc;
    if (cur && json_object_size(o) == 0) {
        json_decref(o);
        return fail(err, VIGIL_EINVAL, "", "nothing to change");
    }
    /* null on update clears: to the column's empty value */
    static const struct {
        const char *name;
        int array;
    } clearable[] = {
        {"title", 0}, {"agenda", 1}, {"minutes", 0}, {"decisions", 1}, {"attendees", 1}};
    for (size_t i = 0; i < sizeof clearable / sizeof clearable[0]; i++)
        if (json_is_null(json_object_get(o, clearable[i].name)))
            json_object_set_new(o, clearable[i].name,
                                clearable[i].array ? json_array() : json_string(""));
    for (const char *const *k = (const char *const[]){"held_on", "state", NULL}; *k; k++)
        if (json_is_null(json_object_get(o, *k))) {
            json_decref(o);
            snprintf(err->field, sizeof err->field, "%s", *k);
            snprintf(err->msg, sizeof err->msg, "field '%s' cannot be cleared", *k);
            return VIGIL_EINVAL;
        }
    if (!cur && !json_object_get(o, "state"))
        json_object_set_new(o, "state", json_string("planned"));
    const char *from = cur ? str(cur, "state") : "planned";
    const char *to = str(o, "state") ? str(o, "state") : from;
    if (cur && !meeting_transition_ok(from, to)) {
        snprintf(err->field, sizeof err->field, "state");
        snprintf(err->msg, sizeof err->msg,
                 "a %s meeting cannot go back to %s (planned, held, approved)", from ? from : "?",
                 to);
        json_decref(o);
        return VIGIL_EINVAL;
    }
    *out = o;
    return VIGIL_OK;
}

int measure_final(const char *state)
{
    return state && (strcmp(state, "done") == 0 || strcmp(state, "dropped") == 0);
}

int measure_transition_ok(const char *from, const char *to)
{
    if (index_of(measure_states, from) < 0 || index_of(measure_states, to) < 0)
        return 0;
    return !measure_final(from) || strcmp(from, to) == 0;
}

int measure_overdue(const char *state, const char *due_on, const char *today)
{
    if (!state || !due_on || !today)
        return 0;
    if (strcmp(state, "open") != 0 && strcmp(state, "in_progress") != 0)
        return 0;
    return strcmp(due_on, today) < 0;
}

static int closed(struct verr *err, const char *state)
{
    snprintf(err->field, sizeof err->field, "state");
    snprintf(err->msg, sizeof err->msg, "the measure is %s: it is closed and no longer changes",
             state);
    return VIGIL_ECONFLICT;
}

int measure_validate(json_t *in, const json_t *cur, const char *today, json_t **out,
                     struct verr *err)
{
    memset(err, 0, sizeof *err);
    if (cur && measure_final(str(cur, "state")))
        return closed(err, str(cur, "state"));
    json_t *o;
    int rc = record_validate(measure_fields, in, cur ? REC_UPDATE : REC_CREATE, 0, &o, err);
    if (rc)
        return rc;
    if (cur && json_object_size(o) == 0) {
        json_decref(o);
        return fail(err, VIGIL_EINVAL, "", "nothing to change");
    }
    if (cur) {
        /* only the meeting may be cleared: a measure may stand on its own */
        static const char *const fixed[] = {"title", "owner", "due_on", "state"};
        for (int i = 0; i < 4; i++)
            if (json_is_null(json_object_get(o, fixed[i]))) {
                json_decref(o);
                snprintf(err->field, sizeof err->field, "%s", fixed[i]);
                snprintf(err->msg, sizeof err->msg, "field '%s' cannot be cleared", fixed[i]);
                return VIGIL_EINVAL;
            }
    } else if (!json_object_get(o, "state")) {
        json_object_set_new(o, "state", json_string("open"));
    }
    const char *from = cur ? str(cur, "state") : "open";
    const char *to = str(o, "state") ? str(o, "state") : from;
    if (cur && !measure_transition_ok(from, to)) {
        json_decref(o);
        return closed(err, from);
    }
    if (strcmp(to, "done") == 0 && (!cur || strcmp(from, "done") != 0))
        json_object_set_new(o, "done_on", json_string(today));
    *out = o;
    return VIGIL_OK;
}

int progress_validate(json_t *in, const char *cur_state, const char *today, json_t **out,
                      struct verr *err)
{
    memset(err, 0, sizeof *err);
    if (measure_final(cur_state))
        return closed(err, cur_state);
    json_t *o;
    int rc = record_validate(progress_fields, in, REC_CREATE, 0, &o, err);
    if (rc)
        return rc;
    const char *on = str(o, "on");
    if (!on)
        json_object_set_new(o, "on", json_string(today));
    else if (strcmp(on, today) > 0) {
        json_decref(o);
        return fail(err, VIGIL_EINVAL, "on", "field 'on' is in the future");
    }
    if (!str(o, "state"))
        json_object_set_new(o, "state", json_string(cur_state));
    if (!measure_transition_ok(cur_state, str(o, "state"))) {
        json_decref(o);
        return closed(err, cur_state);
    }
    *out = o;
    return VIGIL_OK;
}

/* Which counts each kind of activity carries. */
static const struct {
    const char *kind;
    const char *counts[3];
} kind_counts[] = {
    {"inspection", {"sites", "workers_reached", NULL}},
    {"training", {"officials_trained", NULL}},
    {"awareness", {"people_reached", NULL}},
};

int activity_count_ok(const char *kind, const char *count)
{
    for (size_t i = 0; kind && count && i < sizeof kind_counts / sizeof kind_counts[0]; i++)
        if (strcmp(kind_counts[i].kind, kind) == 0)
            for (int k = 0; kind_counts[i].counts[k]; k++)
                if (strcmp(kind_counts[i].counts[k], count) == 0)
                    return 1;
    return 0;
}

int activity_validate(json_t *in, const char *today, const char *default_org, json_t **out,
                      struct verr *err)
{
    json_t *o;
    int rc = record_validate(activity_fields, in, REC_CREATE, 0, &o, err);
    if (rc)
        return rc;
    const char *kind = str(o, "kind");
    for (int i = 0; activity_counts[i]; i++) {
        const char *c = activity_counts[i];
        if (!activity_count_ok(kind, c)) {
            if (json_object_get(o, c)) {
                snprintf(err->field, sizeof err->field, "%s", c);
                snprintf(err->msg, sizeof err->msg, "field '%s' does not apply to %s activities", c,
                         kind);
                json_decref(o);
                return VIGIL_EINVAL;
            }
        } else if (!json_object_get(o, c)) {
            json_object_set_new(o, c, json_integer(0));
        }
    }
    if (strcmp(str(o, "held_on"), today) > 0) {
        json_decref(o);
        return fail(err, VIGIL_EINVAL, "held_on", "field 'held_on' is in the future");
    }
    if (!json_object_get(o, "org") && default_org)
        json_object_set_new(o, "org", json_string(default_org));
    if (!json_object_get(o, "title"))
        json_object_set_new(o, "title", json_string(""));
    *out = o;
    return VIGIL_OK;
}
