/*
 * Persons in a case (victim, suspect, witness) with the HTCDS prs_, vic_ and
 * per_ fields. Fields flagged FF_PERSONAL are identifying: they are sealed at
 * rest in one encrypted blob and shown only to roles allowed to read them.
 */
#ifndef VIGIL_PERSON_H
#define VIGIL_PERSON_H

#include "core/record.h"

extern const struct field person_fields[];
extern const char *const person_roles[];

/* The FF_VICTIM/FF_SUSPECT mask for a role name, or 0 for an unknown role. */
unsigned person_allow(const char *role);
/* Validate a create body (role decides which context fields may appear). */
int person_validate(json_t *in, int mode, const char *role, json_t **out, struct verr *err);
/* Split a validated person into personal (sealed) and other fields. Both are
 * new objects; the role key is dropped from both. */
void person_split(json_t *p, json_t **personal, json_t **plain);
/* Age in whole years on a date, from a YYYY-MM-DD birth date; -1 if unknown. */
int person_age(const char *birthdate, const char *on);

#endif
