/*
 * Victim protection and the legal track: the fields a client may send for
 * status decisions, services (support plans), consent, legal steps and
 * events, and the rules over them (service state transitions, which fields
 * each kind of legal step carries, who records it). No SQL, no HTTP.
 */
#ifndef VIGIL_PROTECTION_H
#define VIGIL_PROTECTION_H

#include <stdint.h>

#include "core/record.h"
#include "core/screening.h"

extern const struct field status_fields[];
extern const struct field service_fields[];
extern const struct field consent_fields[];
extern const struct field legal_fields[];
extern const struct field event_fields[];

extern const char *const service_states[];   /* planned active completed cancelled */
extern const char *const consent_purposes[]; /* referral data_sharing statistics */
extern const char *const legal_types[];

/* Who records a kind of legal step: the investigation (police) or the
 * prosecution. The policy table says which roles those are. */
enum legal_side { LEGAL_INVESTIGATION, LEGAL_PROSECUTION };

/*
 * Validate a screening body: "person_id" (required) and "screened_on"
 * (a date, default today) besides what screening_parse() takes. On success
 * *answers is a new object {"indicators","palermo"} (with their notes) to be
 * sealed, *s the parsed screening.
 */
int screening_body(json_t *in, int64_t *person_id, struct screening *s, json_t **answers,
                   struct verr *err);

/* A status decision body; decided_on defaults to today and may not be later. */
int status_validate(json_t *in, const char *today, json_t **out, struct verr *err);

/* A service body on create (state defaults to planned) or update (cur is the
 * stored service with its "state"); checks the state transition and the end
 * dates: an actual end only once completed or cancelled, and not in the
 * future; completing needs an actual end. */
int service_validate(json_t *in, const json_t *cur, const char *today, json_t **out,
                     struct verr *err);
/* 1 when a service may go from state from to state to. */
int service_transition_ok(const char *from, const char *to);
/* 1 when a planned/active service is past its planned end on today. */
int service_overdue(const char *state, const char *planned_end, const char *today);

int consent_validate(json_t *in, json_t **out, struct verr *err);

/* A legal step: "type" names the kind, which decides the fields it needs and
 * allows; "on" defaults to today. *side says who records it. */
int legal_validate(json_t *in, const char *today, json_t **out, enum legal_side *side,
                   struct verr *err);

/* Who records a kind of legal step; -1 when type names no kind. */
int legal_side_of(const char *type, enum legal_side *side);

int event_validate(json_t *in, json_t **out, struct verr *err);

#endif
