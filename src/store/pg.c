/*
 * The PostgreSQL driver (libpq). Until it is complete, opening a
 * postgresql:// URI fails with a clear message.
 */
#include <stdio.h>

#include "store/db.h"
#include "util/err.h"

static int pg_open(const char *uri, void **conn, char *err, size_t errlen)
{
    (void)uri;
    (void)conn;
    snprintf(err, errlen, "the PostgreSQL store is not available in this build");
    return VIGIL_EUNAVAIL;
}

const struct driver pg_driver = {
    .name = "postgresql",
    .open = pg_open,
};
