/*
 * Fuzzes the CTDC global-dataset import (src/share/exchange.c ctdc_import):
 * ';'-separated CSV with the published header, into statistical records of
 * a temporary SQLite store.
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
    int rc = ctdc_import(st, path, "fuzz", &rep);
    if (rc == VIGIL_OK && rep.dataset_id <= 0)
        abort();
    env_check(&rep);
    return 0;
}
