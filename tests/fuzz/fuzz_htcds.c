/*
 * Fuzzes the HTCDS import (src/share/exchange.c htcds_import): CSV with a
 * header row, or JSON records, into cases of a temporary SQLite store.
 */
#include "import_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t org;
    struct store *st = env_store(&org);
    const char *path = env_input(data, size);
    if (!path)
        return 0;
    struct import_report rep;
    memset(&rep, 0, sizeof rep);
    rep.rejects = env.rejects;
    int rc = htcds_import(st, &env.key, path, org, 0, "fuzz", &rep);
    (void)rc;
    env_check(&rep);
    return 0;
}
