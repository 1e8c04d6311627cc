/* Lookups over the generated HTCDS enumerations (htcds_data.c). */
#include <string.h>

#include "core/htcds.h"

const struct htcds_enum *htcds_enum_find(const char *field)
{
    for (const struct htcds_enum *e = htcds_enums; e->field; e++)
        if (strcmp(e->field, field) == 0)
            return e;
    return NULL;
}

int htcds_value_valid(const struct htcds_enum *e, const char *value)
{
    for (const char *const *v = e->values; *v; v++)
        if (strcmp(*v, value) == 0)
            return 1;
    return 0;
}
