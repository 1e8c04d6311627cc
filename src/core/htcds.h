/*
 * The HTCDS 2.0 enumerations (picklists), generated from the standard, and
 * lookups over them. Values are the standard's value names ("Feminine"),
 * labels its English labels ("Feminine").
 */
#ifndef VIGIL_HTCDS_H
#define VIGIL_HTCDS_H

struct htcds_enum {
    const char *field;         /* "prs_Gender" */
    const char *const *values; /* NULL-terminated */
    const char *const *labels; /* parallel to values */
    int multi;                 /* a multiselect picklist */
};

extern const struct htcds_enum htcds_enums[];

/* The enumeration of a field, or NULL when the field has none. */
const struct htcds_enum *htcds_enum_find(const char *field);
/* 1 when value is one of the field's value names. */
int htcds_value_valid(const struct htcds_enum *e, const char *value);

#endif
