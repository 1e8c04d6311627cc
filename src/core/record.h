/*
 * Declarative record validation. A record type (case, person, note) is a
 * table of fields with a type, limits, flags and, for picklists, the allowed
 * values. record_validate() checks a JSON object against such a table and
 * returns a canonical copy; handlers never check fields by hand.
 */
#ifndef VIGIL_RECORD_H
#define VIGIL_RECORD_H

#include <stddef.h>
#include <jansson.h>

enum ftype {
    FT_TEXT,     /* one line of text, at most max code points */
    FT_LONGTEXT, /* free text, may hold newlines */
    FT_ENUM,     /* one of values */
    FT_MULTI,    /* an array of distinct values */
    FT_DATE,     /* YYYY-MM-DD */
    FT_INT,      /* integer in [min, max] */
    FT_BOOL,
    FT_COUNTRY,   /* ISO 3166-1 alpha-2 */
    FT_COUNTRIES, /* an array of ISO 3166-1 alpha-2 */
    FT_LANG,      /* ISO 639 code */
    FT_TEXTS,     /* an array of one-line texts, each min (at least 1) to max code points */
};

enum {
    FF_REQUIRED = 1 << 0,   /* must be present on create */
    FF_PERSONAL = 1 << 1,   /* sealed at rest, shown only to roles that may */
    FF_VICTIM = 1 << 2,     /* only for persons with role victim */
    FF_SUSPECT = 1 << 3,    /* only for persons with role suspect */
    FF_READONLY = 1 << 4,   /* shown, never accepted from a client */
    FF_CREATEONLY = 1 << 5, /* accepted on create, not on update */
};

struct field {
    const char *name;
    enum ftype type;
    unsigned flags;
    long min, max;             /* code points for text; range for FT_INT */
    const char *const *values; /* for FT_ENUM and FT_MULTI; NULL: see htcds */
    const char *htcds;         /* take values from this HTCDS picklist */
};

/* A validation failure: the field at fault and a message naming it. */
struct verr {
    char field[64];
    char msg[256];
};

enum { REC_CREATE = 0, REC_UPDATE = 1 };

/*
 * Validate in against spec (terminated by a row with a NULL name). mode is
 * REC_CREATE (required fields must be present) or REC_UPDATE (any subset).
 * allow is a mask of FF_VICTIM/FF_SUSPECT that the record may carry. On
 * success *out is a new object holding only declared fields (null values
 * removed on create, kept on update to mean "clear"). Returns VIGIL_OK or
 * VIGIL_EINVAL with err filled.
 */
int record_validate(const struct field *spec, json_t *in, int mode, unsigned allow, json_t **out,
                    struct verr *err);

const struct field *record_field(const struct field *spec, const char *name);
const char *const *record_values(const struct field *f);

#endif
