/* Screening answers and the recommendation rule; see screening.h and
 * docs/screening.md. */
#include <stdio.h>
#include <string.h>

#include "core/screening.h"
#include "util/err.h"
#include "util/parse.h"

const char *const screening_ilo_names[ILO_COUNT] = {
    "abuse_of_vulnerability",
    "deception",
    "restriction_of_movement",
    "isolation",
    "physical_sexual_violence",
    "intimidation_threats",
    "retention_of_identity_documents",
    "withholding_of_wages",
    "debt_bondage",
    "abusive_working_living_conditions",
    "excessive_overtime",
};

const char *const screening_palermo_names[PAL_COUNT] = {"act", "means", "purpose"};

/* Indicators that on their own point to coercion (ILO: menace of penalty or
 * involuntariness that is hard to explain otherwise). */
static const int strong[] = {ILO_PHYSICAL_SEXUAL_VIOLENCE, ILO_RESTRICTION_OF_MOVEMENT,
                             ILO_RETENTION_OF_DOCUMENTS, ILO_DEBT_BONDAGE,
                             ILO_INTIMIDATION_THREATS};

const char *recommendation_name(enum recommendation r)
{
    switch (r) {
    case REC_LIKELY_VICTIM:
        return "likely_victim";
    case REC_POSSIBLE_VICTIM:
        return "possible_victim";
    default:
        return "not_indicated";
    }
}

enum recommendation screening_recommend(const struct screening *s, int *complete)
{
    int ilo_yes = 0, strong_yes = 0, known = 0;
    for (int i = 0; i < ILO_COUNT; i++) {
        if (s->ilo[i] != ANS_UNKNOWN)
            known++;
        if (s->ilo[i] == ANS_YES)
            ilo_yes++;
    }
    for (size_t k = 0; k < sizeof strong / sizeof strong[0]; k++)
        if (s->ilo[strong[k]] == ANS_YES)
            strong_yes++;
    int pal_yes = 0, pal_no = 0;
    for (int i = 0; i < PAL_COUNT; i++) {
        if (s->palermo[i] != ANS_UNKNOWN)
            known++;
        /* For a child the means element is not required: it neither counts
         * against nor is needed. */
        if (i == PAL_MEANS && s->child)
            continue;
        if (s->palermo[i] == ANS_YES)
            pal_yes++;
        if (s->palermo[i] == ANS_NO)
            pal_no++;
    }
    if (complete)
        *complete = known > 0;
    int means_ok = s->child || s->palermo[PAL_MEANS] == ANS_YES;
    if (s->palermo[PAL_ACT] == ANS_YES && s->palermo[PAL_PURPOSE] == ANS_YES && means_ok)
        return REC_LIKELY_VICTIM;
    if (strong_yes >= 1 || ilo_yes >= 2 || (pal_yes >= 1 && pal_no == 0))
        return REC_POSSIBLE_VICTIM;
    return REC_NOT_INDICATED;
}

static int fail(struct verr *err, const char *field, const char *msg)
{
    snprintf(err->field, sizeof err->field, "%s", field);
    snprintf(err->msg, sizeof err->msg, "%s", msg);
    return VIGIL_EINVAL;
}

static int parse_answer(json_t *v, const char *name, enum answer *out, struct verr *err)
{
    char msg[160];
    json_t *a = json_is_object(v) ? json_object_get(v, "answer") : v;
    const char *s = json_string_value(a);
    if (!s) {
        snprintf(msg, sizeof msg, "'%s' needs an answer: yes, no or unknown", name);
        return fail(err, name, msg);
    }
    if (strcmp(s, "yes") == 0)
        *out = ANS_YES;
    else if (strcmp(s, "no") == 0)
        *out = ANS_NO;
    else if (strcmp(s, "unknown") == 0)
        *out = ANS_UNKNOWN;
    else {
        snprintf(msg, sizeof msg, "'%s' must be yes, no or unknown", name);
        return fail(err, name, msg);
    }
    if (json_is_object(v)) {
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x)
        {
            if (strcmp(key, "answer") == 0)
                continue;
            if (strcmp(key, "note") != 0) {
                snprintf(msg, sizeof msg, "unknown field '%.40s' in '%s'", key, name);
                return fail(err, name, msg);
            }
            if (!json_is_string(x) || json_string_length(x) > 2000 ||
                !utf8_valid(json_string_value(x), json_string_length(x))) {
                snprintf(msg, sizeof msg, "the note of '%s' must be text of at most 2000 bytes",
                         name);
                return fail(err, name, msg);
            }
        }
    }
    return VIGIL_OK;
}

static int parse_group(json_t *g, const char *group, const char *const *names, int n,
                       enum answer *out, struct verr *err)
{
    if (!g)
        return VIGIL_OK;
    if (!json_is_object(g))
        return fail(err, group, "must be an object of answers");
    const char *key;
    json_t *v;
    json_object_foreach(g, key, v)
    {
        int i;
        for (i = 0; i < n; i++)
            if (strcmp(names[i], key) == 0)
                break;
        if (i == n) {
            char msg[160];
            snprintf(msg, sizeof msg, "unknown %s '%.60s'", group, key);
            return fail(err, key, msg);
        }
        int rc = parse_answer(v, key, &out[i], err);
        if (rc)
            return rc;
    }
    return VIGIL_OK;
}

int screening_parse(json_t *in, struct screening *out, struct verr *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    if (!json_is_object(in))
        return fail(err, "", "the screening must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
    {
        if (strcmp(key, "child") && strcmp(key, "indicators") && strcmp(key, "palermo") &&
            strcmp(key, "person_id") && strcmp(key, "screened_on"))
            return fail(err, key, "unknown field in the screening");
    }
    json_t *child = json_object_get(in, "child");
    if (child && !json_is_boolean(child))
        return fail(err, "child", "field 'child' must be true or false");
    out->child = json_is_true(child);
    int rc = parse_group(json_object_get(in, "indicators"), "indicator", screening_ilo_names,
                         ILO_COUNT, out->ilo, err);
    if (!rc)
        rc = parse_group(json_object_get(in, "palermo"), "element", screening_palermo_names,
                         PAL_COUNT, out->palermo, err);
    return rc;
}
