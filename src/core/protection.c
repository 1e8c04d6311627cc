/*
 * Victim protection and the legal track: field tables and rules for status
 * decisions, services, consent, legal steps and events (core/protection.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/protection.h"
#include "util/err.h"

const char *const service_states[] = {"planned", "active", "completed", "cancelled", NULL};
const char *const consent_purposes[] = {"referral", "data_sharing", "statistics", NULL};
const char *const legal_types[] = {
    "investigation_opened",
    "authorisation_requested",
    "authorisation",
    "prosecutor_referral",
    "charge",
    "verdict",
    "sentence",
    "appeal",
    NULL,
};
static const char *const exploitation_kinds[] = {"sexual", "labour", "other", NULL};
static const char *const verdict_outcomes[] = {"convicted", "acquitted", "partly_convicted",
                                               "dismissed", NULL};
static const char *const appeal_parties[] = {"prosecution", "defence", NULL};

const struct field status_fields[] = {
    {"vic_TraffickingStatus", FT_ENUM, FF_REQUIRED, 0, 0, NULL, "vic_TraffickingStatus"},
    {"vic_TraffickingStatusDecisionMakingOrg", FT_ENUM, FF_REQUIRED, 0, 0, NULL,
     "vic_TraffickingStatusDecisionMakingOrg"},
    {"decided_on", FT_DATE, 0, 0, 0, NULL, NULL},
    {"reason", FT_LONGTEXT, FF_PERSONAL, 0, 4000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field service_fields[] = {
    {"person_id", FT_INT, FF_CREATEONLY, 1, INT32_MAX, NULL, NULL},
    {"spl_Type", FT_ENUM, FF_REQUIRED, 0, 0, NULL, "spl_Type"},
    {"spl_Objectives", FT_LONGTEXT, FF_PERSONAL, 0, 4000, NULL, NULL},
    {"spl_PlannedEndDate", FT_DATE, 0, 0, 0, NULL, NULL},
    {"spl_ActualEndDate", FT_DATE, 0, 0, 0, NULL, NULL},
    {"state", FT_ENUM, 0, 0, 0, service_states, NULL},
    {"provider", FT_TEXT, FF_REQUIRED, 2, 16, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field consent_fields[] = {
    {"purpose", FT_ENUM, FF_REQUIRED, 0, 0, consent_purposes, NULL},
    {"granted", FT_BOOL, FF_REQUIRED, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field legal_fields[] = {
    {"type", FT_ENUM, FF_REQUIRED, 0, 0, legal_types, NULL},
    {"on", FT_DATE, 0, 0, 0, NULL, NULL},
    {"what", FT_TEXT, 0, 1, 200, NULL, NULL},
    {"magistrate", FT_TEXT, 0, 1, 120, NULL, NULL},
    {"reference", FT_TEXT, 0, 1, 64, NULL, NULL},
    {"court", FT_TEXT, 0, 2, 16, NULL, NULL},
    {"statute", FT_TEXT, 0, 1, 120, NULL, NULL},
    {"article", FT_TEXT, 0, 1, 32, NULL, NULL},
    {"exploitation", FT_ENUM, 0, 0, 0, exploitation_kinds, NULL},
    {"outcome", FT_ENUM, 0, 0, 0, verdict_outcomes, NULL},
    {"months", FT_INT, 0, 0, 1200, NULL, NULL},
    {"appeal_by", FT_ENUM, 0, 0, 0, appeal_parties, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field event_fields[] = {
    {"hte_Type", FT_ENUM, FF_REQUIRED, 0, 0, NULL, "hte_Type"},
    {"hte_Date", FT_DATE, 0, 0, 0, NULL, NULL},
    {"hte_City", FT_TEXT, 0, 1, 120, NULL, NULL},
    {"hte_Country", FT_COUNTRY, 0, 0, 0, NULL, NULL},
    {"hte_Description", FT_LONGTEXT, FF_PERSONAL, 0, 4000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* The kinds of legal step: who records each, the fields it needs and the
 * fields it may carry besides "type" and "on". */
static const struct {
    const char *type;
    enum legal_side side;
    const char *need[5];
    const char *may[5];
} legal_kinds[] = {
    {"investigation_opened", LEGAL_INVESTIGATION, {NULL}, {"reference", NULL}},
    {"authorisation_requested", LEGAL_INVESTIGATION, {"what", NULL}, {"what", "reference", NULL}},
    /* a judicial authorisation as the court granted it, recorded by the
     * police that asked for it; "court" names the court's organisation */
    {"authorisation",
     LEGAL_INVESTIGATION,
     {"what", "magistrate", "reference", "court", NULL},
     {"what", "magistrate", "reference", "court", NULL}},
    {"prosecutor_referral", LEGAL_INVESTIGATION, {NULL}, {"reference", NULL}},
    {"charge",
     LEGAL_PROSECUTION,
     {"statute", "article", "exploitation", NULL},
     {"statute", "article", "exploitation", NULL}},
    {"verdict", LEGAL_PROSECUTION, {"outcome", NULL}, {"outcome", "reference", NULL}},
    {"sentence", LEGAL_PROSECUTION, {"months", NULL}, {"months", "reference", NULL}},
    {"appeal", LEGAL_PROSECUTION, {"appeal_by", NULL}, {"appeal_by", "reference", NULL}},
};

static int fail(struct verr *err, const char *field, const char *msg)
{
    snprintf(err->field, sizeof err->field, "%s", field);
    snprintf(err->msg, sizeof err->msg, "%s", msg);
    return VIGIL_EINVAL;
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

int screening_body(json_t *in, int64_t *person_id, struct screening *s, json_t **answers,
                   struct verr *err)
{
    memset(err, 0, sizeof *err);
    if (!json_is_object(in))
        return fail(err, "", "the body must be a JSON object");
    json_t *pid = json_object_get(in, "person_id");
    if (!json_is_integer(pid) || json_integer_value(pid) < 1 || json_integer_value(pid) > INT32_MAX)
        return fail(err, "person_id", "field 'person_id' must name a person of the case");
    int rc = screening_parse(in, s, err);
    if (rc)
        return rc;
    *person_id = json_integer_value(pid);
    json_t *a = json_object();
    static const char *const groups[] = {"indicators", "palermo"};
    for (int i = 0; i < 2; i++) {
        json_t *g = json_object_get(in, groups[i]);
        json_object_set_new(a, groups[i], g ? json_deep_copy(g) : json_object());
    }
    *answers = a;
    return VIGIL_OK;
}

int status_validate(json_t *in, const char *today, json_t **out, struct verr *err)
{
    json_t *o;
    int rc = record_validate(status_fields, in, REC_CREATE, 0, &o, err);
    if (rc)
        return rc;
    const char *d = str(o, "decided_on");
    if (!d)
        json_object_set_new(o, "decided_on", json_string(today));
    else if (strcmp(d, today) > 0) {
        json_decref(o);
        return fail(err, "decided_on", "field 'decided_on' is in the future");
    }
    *out = o;
    return VIGIL_OK;
}

int service_transition_ok(const char *from, const char *to)
{
    if (!from || !to)
        return 0;
    if (strcmp(from, to) == 0)
        return 1;
    if (strcmp(from, "planned") == 0)
        return strcmp(to, "active") == 0 || strcmp(to, "completed") == 0 ||
               strcmp(to, "cancelled") == 0;
    if (strcmp(from, "active") == 0)
        return strcmp(to, "completed") == 0 || strcmp(to, "cancelled") == 0;
    return 0; /* completed and cancelled are final */
}

int service_overdue(const char *state, const char *planned_end, const char *today)
{
    if (!state || !planned_end || !today)
        return 0;
    if (strcmp(state, "planned") && strcmp(state, "active"))
        return 0;
    return strcmp(planned_end, today) < 0;
}

int service_validate(json_t *in, const json_t *cur, const char *today, json_t **out,
                     struct verr *err)
{
    json_t *o;
    int rc = record_validate(service_fields, in, cur ? REC_UPDATE : REC_CREATE, 0, &o, err);
    if (rc)
        return rc;
    if (cur) {
        if (json_object_size(o) == 0) {
            json_decref(o);
            return fail(err, "", "nothing to change");
        }
        static const char *const fixed[] = {"spl_Type", "provider", "state"};
        for (int i = 0; i < 3; i++)
            if (json_is_null(json_object_get(o, fixed[i]))) {
                json_decref(o);
                snprintf(err->field, sizeof err->field, "%s", fixed[i]);
                snprintf(err->msg, sizeof err->msg, "field '%s' cannot be cleared", fixed[i]);
                return VIGIL_EINVAL;
            }
    } else if (!json_object_get(o, "state")) {
        json_object_set_new(o, "state", json_string("planned"));
    }
    const char *from = cur ? str(cur, "state") : "planned";
    const char *to = str(o, "state") ? str(o, "state") : from;
    if (!service_transition_ok(from, to)) {
        json_decref(o);
        snprintf(err->field, sizeof err->field, "state");
        snprintf(err->msg, sizeof err->msg, "a %s service cannot become %s", from ? from : "?",
                 to ? to : "?");
        return VIGIL_EINVAL;
    }
    /* the actual end as it will be after this change */
    json_t *ae = json_object_get(o, "spl_ActualEndDate");
    const char *actual = ae ? json_string_value(ae) : cur ? str(cur, "spl_ActualEndDate") : NULL;
    int ended = strcmp(to, "completed") == 0 || strcmp(to, "cancelled") == 0;
    if (actual && !ended) {
        json_decref(o);
        return fail(err, "spl_ActualEndDate",
                    "field 'spl_ActualEndDate' is only for a completed or cancelled service");
    }
    if (strcmp(to, "completed") == 0 && !actual) {
        json_decref(o);
        return fail(err, "spl_ActualEndDate",
                    "field 'spl_ActualEndDate' is required to complete "
                    "a service");
    }
    if (actual && strcmp(actual, today) > 0) {
        json_decref(o);
        return fail(err, "spl_ActualEndDate", "field 'spl_ActualEndDate' is in the future");
    }
    *out = o;
    return VIGIL_OK;
}

int consent_validate(json_t *in, json_t **out, struct verr *err)
{
    return record_validate(consent_fields, in, REC_CREATE, 0, out, err);
}

int legal_validate(json_t *in, const char *today, json_t **out, enum legal_side *side,
                   struct verr *err)
{
    json_t *o;
    int rc = record_validate(legal_fields, in, REC_CREATE, 0, &o, err);
    if (rc)
        return rc;
    const char *type = str(o, "type");
    size_t k = 0;
    while (k < sizeof legal_kinds / sizeof legal_kinds[0] && strcmp(legal_kinds[k].type, type))
        k++;
    if (k == sizeof legal_kinds / sizeof legal_kinds[0]) { /* the enum and the table agree */
        json_decref(o);
        return fail(err, "type", "field 'type' names no kind of legal step");
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        if (strcmp(key, "type") == 0 || strcmp(key, "on") == 0)
            continue;
        int ok = 0;
        for (int i = 0; legal_kinds[k].may[i]; i++)
            ok |= strcmp(legal_kinds[k].may[i], key) == 0;
        if (!ok) {
            snprintf(err->field, sizeof err->field, "%s", key);
            snprintf(err->msg, sizeof err->msg, "field '%s' does not belong to a step of type %s",
                     key, type);
            json_decref(o);
            return VIGIL_EINVAL;
        }
    }
    for (int i = 0; legal_kinds[k].need[i]; i++)
        if (!json_object_get(o, legal_kinds[k].need[i])) {
            snprintf(err->field, sizeof err->field, "%s", legal_kinds[k].need[i]);
            snprintf(err->msg, sizeof err->msg, "field '%s' is required for a step of type %s",
                     legal_kinds[k].need[i], type);
            json_decref(o);
            return VIGIL_EINVAL;
        }
    const char *on = str(o, "on");
    if (!on)
        json_object_set_new(o, "on", json_string(today));
    else if (strcmp(on, today) > 0) {
        json_decref(o);
        return fail(err, "on", "field 'on' is in the future");
    }
    *side = legal_kinds[k].side;
    *out = o;
    return VIGIL_OK;
}

int legal_side_of(const char *type, enum legal_side *side)
{
    for (size_t k = 0; type && k < sizeof legal_kinds / sizeof legal_kinds[0]; k++)
        if (strcmp(legal_kinds[k].type, type) == 0) {
            *side = legal_kinds[k].side;
            return 0;
        }
    return -1;
}

int event_validate(json_t *in, json_t **out, struct verr *err)
{
    return record_validate(event_fields, in, REC_CREATE, 0, out, err);
}
