/*
 * Cases: the fields a client may send, their rules, and the workflow.
 * JSON keys are HTCDS names where HTCDS has the concept (cas_Status),
 * vigil's own snake_case names elsewhere.
 */
#ifndef VIGIL_CASE_H
#define VIGIL_CASE_H

#include "core/record.h"

extern const struct field case_fields[];
extern const char *const case_categories[];
extern const char *const case_sources[];
extern const char *const case_stages[];

/* Fill defaults on a validated create body: cas_Status Active, stage intake,
 * opened_on today. */
void case_defaults(json_t *c, const char *today);
/* "TIP-2026-0042" from year and sequence; out holds at least 24 bytes. */
void case_reference(int year, long seq, char *out, size_t n);
/* Check that a (validated) update is allowed from the case's current state:
 * closing needs closed_on or sets it; VIGIL_OK or VIGIL_EINVAL with err. */
int case_check_update(json_t *current, json_t *patch, const char *today, struct verr *err);

#endif
