/*
 * HTML forms: the application/x-www-form-urlencoded parser the gate uses for
 * BODY_FORM routes, and the bridge from a form's strings to a record's JSON
 * types (core/record.h) so that pages validate with the same tables as the
 * API, field by field, to show every error beside its field.
 */
#ifndef VIGIL_FORM_H
#define VIGIL_FORM_H

#include <stddef.h>

#include <jansson.h>

#include "core/record.h"

#define FORM_MAX_FIELDS 256
#define FORM_MAX_VALUES 64 /* of one repeated name */
#define FORM_MAX_NAME   64

/*
 * Parse a urlencoded body of len bytes into *out: an object whose values are
 * strings, or arrays of strings for a name given more than once. Names are
 * 1..FORM_MAX_NAME of [A-Za-z0-9_.-]; values must decode to UTF-8 without
 * NUL or other control characters but tab, CR and LF. VIGIL_OK, or
 * VIGIL_EINVAL with why filled (nothing in *out).
 */
int form_parse(const char *body, size_t len, json_t **out, char *why, size_t whylen);

/*
 * As form_parse, but a value that is not valid text is kept with U+FFFD in
 * place of each bad byte or control character, and its field name is listed
 * in the array FORM_INVALID of *out: the public forms use it to show the
 * visitor an error while keeping what they typed.
 */
int form_parse_lenient(const char *body, size_t len, json_t **out, char *why, size_t whylen);
#define FORM_INVALID "_invalid"

/* The string value of a form field ("" when absent; the first of an array). */
const char *form_str(json_t *form, const char *name);

/* One error per field, in the order found. */
struct form_errs {
    size_t n;
    struct {
        const char *field; /* the spec's field name (static) */
        const char *msgid; /* an untranslated message, e.g. "This field is required." */
        long a, b;         /* the numbers for the message's %ld conversions, if any */
    } e[32];
};

/*
 * Build a record from the form fields named prefix+field for each field of
 * spec that is neither FF_READONLY nor FF_CREATEONLY (and, unless allow has them, not FF_VICTIM /
 * FF_SUSPECT): empty values are left out, FT_INT parsed, FT_BOOL from "1"/"on",
 * FT_MULTI/FT_COUNTRIES from repeated values (or one value split on ',' and
 * spaces), FT_TEXTS one item per non-blank line (of a textarea, or of
 * repeated inputs). Each field is then checked with record_validate; failures go to
 * errs. Returns the record (new reference) even when errs->n > 0.
 */
json_t *form_record(json_t *form, const struct field *spec, const char *prefix, unsigned allow,
                    struct form_errs *errs);
/* The message for a field, or NULL. */
const char *form_err(const struct form_errs *errs, const char *field);

#endif
