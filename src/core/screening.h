/*
 * Victim screening: answers (yes / no / unknown, each with a note) to the
 * ILO's eleven indicators of forced labour and the Palermo Protocol's three
 * elements (act, means, purpose), and the recommendation vigil computes from
 * them. The rule is in docs/screening.md. A screening recommends; it never
 * sets a person's trafficking status (that is an explicit decision).
 */
#ifndef VIGIL_SCREENING_H
#define VIGIL_SCREENING_H

#include "core/record.h"

enum answer { ANS_UNKNOWN = 0, ANS_NO, ANS_YES };

enum {
    ILO_ABUSE_OF_VULNERABILITY,
    ILO_DECEPTION,
    ILO_RESTRICTION_OF_MOVEMENT,
    ILO_ISOLATION,
    ILO_PHYSICAL_SEXUAL_VIOLENCE,
    ILO_INTIMIDATION_THREATS,
    ILO_RETENTION_OF_DOCUMENTS,
    ILO_WITHHOLDING_OF_WAGES,
    ILO_DEBT_BONDAGE,
    ILO_ABUSIVE_CONDITIONS,
    ILO_EXCESSIVE_OVERTIME,
    ILO_COUNT
};

enum { PAL_ACT, PAL_MEANS, PAL_PURPOSE, PAL_COUNT };

enum recommendation { REC_NOT_INDICATED, REC_POSSIBLE_VICTIM, REC_LIKELY_VICTIM };

struct screening {
    enum answer ilo[ILO_COUNT];
    enum answer palermo[PAL_COUNT];
    int child; /* under 18 when the acts took place */
};

/* The JSON names of the indicators and elements, in enum order. */
extern const char *const screening_ilo_names[ILO_COUNT];
extern const char *const screening_palermo_names[PAL_COUNT];
const char *recommendation_name(enum recommendation r);

/* The recommendation for a screening (docs/screening.md). *complete is set to
 * 0 when every indicator and element is unknown. */
enum recommendation screening_recommend(const struct screening *s, int *complete);

/*
 * Validate a screening body: {"child": bool, "indicators": {NAME: {"answer":
 * "yes"|"no"|"unknown", "note": "..."}, ...}, "palermo": {"act": {...}, ...}}.
 * Missing indicators are unknown; unknown names are an error naming them.
 */
int screening_parse(json_t *in, struct screening *out, struct verr *err);

#endif
