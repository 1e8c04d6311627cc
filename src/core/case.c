/* Case fields and rules; see case.h. */
#include <stdio.h>
#include <string.h>

#include "core/case.h"
#include "util/err.h"

const char *const case_categories[] = {"trafficking", "labour_exploitation", NULL};
const char *const case_sources[] = {"hotline",  "police",        "inspection", "NGO",
                                    "referral", "international", NULL};
const char *const case_stages[] = {"intake",      "screening", "protection", "investigation",
                                   "prosecution", "closed",    NULL};

const struct field case_fields[] = {
    {"category", FT_ENUM, FF_REQUIRED, 0, 0, case_categories, NULL},
    {"source", FT_ENUM, FF_REQUIRED, 0, 0, case_sources, NULL},
    {"cas_Status", FT_ENUM, 0, 0, 0, NULL, "cas_Status"},
    {"stage", FT_ENUM, 0, 0, 0, case_stages, NULL},
    {"opened_on", FT_DATE, 0, 0, 0, NULL, NULL},
    {"closed_on", FT_DATE, 0, 0, 0, NULL, NULL},
    {"place_of_recruitment", FT_TEXT, 0, 0, 200, NULL, NULL},
    {"country_of_recruitment", FT_COUNTRY, 0, 0, 0, NULL, NULL},
    {"place_of_exploitation", FT_TEXT, 0, 0, 200, NULL, NULL},
    {"country_of_exploitation", FT_COUNTRY, 0, 0, 0, NULL, NULL},
    {"cas_ReasonForCaseClosure", FT_LONGTEXT, 0, 0, 4000, NULL, NULL},
    {"id", FT_INT, FF_READONLY, 0, 0, NULL, NULL},
    {"reference", FT_TEXT, FF_READONLY, 0, 0, NULL, NULL},
    {"version", FT_INT, FF_READONLY, 0, 0, NULL, NULL},
    {"organisation", FT_TEXT, FF_READONLY, 0, 0, NULL, NULL},
    {"created_at", FT_TEXT, FF_READONLY, 0, 0, NULL, NULL},
    {"updated_at", FT_TEXT, FF_READONLY, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

void case_defaults(json_t *c, const char *today)
{
    if (!json_object_get(c, "cas_Status"))
        json_object_set_new(c, "cas_Status", json_string("Active"));
    if (!json_object_get(c, "stage"))
        json_object_set_new(c, "stage", json_string("intake"));
    if (!json_object_get(c, "opened_on"))
        json_object_set_new(c, "opened_on", json_string(today));
}

void case_reference(int year, long seq, char *out, size_t n)
{
    snprintf(out, n, "TIP-%04d-%04ld", year, seq);
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

int case_check_update(json_t *cur, json_t *patch, const char *today, struct verr *err)
{
    memset(err, 0, sizeof *err);
    const char *status =
        json_object_get(patch, "cas_Status") ? str(patch, "cas_Status") : str(cur, "cas_Status");
    const char *opened =
        json_object_get(patch, "opened_on") ? str(patch, "opened_on") : str(cur, "opened_on");
    json_t *closed = json_object_get(patch, "closed_on");
    const char *closed_on = closed ? json_string_value(closed) : str(cur, "closed_on");
    if (!opened) {
        snprintf(err->field, sizeof err->field, "opened_on");
        snprintf(err->msg, sizeof err->msg, "field 'opened_on' cannot be cleared");
        return VIGIL_EINVAL;
    }
    int closing = status && strncmp(status, "Closed", 6) == 0;
    if (closing && !closed_on) {
        json_object_set_new(patch, "closed_on", json_string(today));
        closed_on = today;
    }
    if (closed_on && strcmp(closed_on, opened) < 0) {
        snprintf(err->field, sizeof err->field, "closed_on");
        snprintf(err->msg, sizeof err->msg, "field 'closed_on' is before 'opened_on'");
        return VIGIL_EINVAL;
    }
    return VIGIL_OK;
}
