/*
 * The committee's own work: its plenary meetings (planned, held, then
 * approved minutes), the measures they introduce with their dated progress,
 * and prevention activities (inspections, trainings, awareness campaigns)
 * with their counts. The fields a client may send and the rules over them;
 * no SQL, no HTTP. Nothing here is about a person.
 */
#ifndef VIGIL_COMMITTEE_H
#define VIGIL_COMMITTEE_H

#include "core/record.h"

extern const struct field meeting_fields[];
extern const struct field measure_fields[];
extern const struct field progress_fields[];
extern const struct field activity_fields[];

extern const char *const meeting_states[];  /* planned held approved */
extern const char *const measure_states[];  /* open in_progress done dropped */
extern const char *const activity_kinds[];  /* inspection training awareness */
extern const char *const activity_counts[]; /* sites workers_reached officials_trained
                                               people_reached */

/* 1 when a meeting may go from state from to state to: forward only
 * (planned -> held -> approved, a step may be skipped), or staying. */
int meeting_transition_ok(const char *from, const char *to);

/*
 * A meeting body on create (cur NULL: state defaults to planned) or update
 * (cur is the stored meeting). On success *out is a canonical copy: on
 * update null clears title, agenda, minutes, decisions and attendees ("",
 * [] ...). Returns VIGIL_EINVAL (err names the field), or VIGIL_ECONFLICT
 * when cur is approved: its minutes are approved and it no longer changes.
 * Attendees are only checked for shape; the caller resolves the codes.
 */
int meeting_validate(json_t *in, const json_t *cur, json_t **out, struct verr *err);

/* 1 when state is done or dropped. */
int measure_final(const char *state);
/* 1 when a measure may go from state from to state to: a final state never
 * changes; the others may go to any state. */
int measure_transition_ok(const char *from, const char *to);
/* 1 when an open or in-progress measure is past its due date on today. */
int measure_overdue(const char *state, const char *due_on, const char *today);

/*
 * A measure body on create (cur NULL: state defaults to open) or update.
 * When the state becomes done, *out gets "done_on" = today. VIGIL_EINVAL, or
 * VIGIL_ECONFLICT when cur is done or dropped (a closed measure no longer
 * changes). The owner code is only checked for shape.
 */
int measure_validate(json_t *in, const json_t *cur, const char *today, json_t **out,
                     struct verr *err);

/*
 * A progress update on a measure in state cur_state: "on" defaults to today
 * and may not be later, "state" defaults to cur_state, "note" is required.
 * VIGIL_EINVAL, or VIGIL_ECONFLICT when the measure is already closed.
 */
int progress_validate(json_t *in, const char *cur_state, const char *today, json_t **out,
                      struct verr *err);

/* The counts a kind of activity carries ("sites" and "workers_reached" for
 * an inspection ...): 1 when count belongs to kind. */
int activity_count_ok(const char *kind, const char *count);

/*
 * An activity body: "org" defaults to default_org, "held_on" may not be
 * after today, a count that does not belong to the kind is refused, the
 * counts it does carry default to 0.
 */
int activity_validate(json_t *in, const char *today, const char *default_org, json_t **out,
                      struct verr *err);

#endif
