/* Organisation and user name rules; see org.h. */
#include <string.h>

#include "core/htcds.h"
#include "core/org.h"

int org_code_valid(const char *c)
{
    size_t n = c ? strlen(c) : 0;
    if (n < 2 || n > 16)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '-' ||
              c[i] == '_'))
            return 0;
    return 1;
}

int org_type_valid(const char *t)
{
    const struct htcds_enum *e = htcds_enum_find("org_Type");
    return t && e && htcds_value_valid(e, t);
}

int user_name_valid(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 3 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= '0' && u[i] <= '9') || u[i] == '.' ||
              u[i] == '-' || u[i] == '_'))
            return 0;
    return 1;
}
