/* The result-code table: one row per code, with its name and HTTP status. */
#include "util/err.h"

static const struct {
    const char *name;
    const char *text;
    int http;
} errtab[VIGIL_NERR] = {
    [VIGIL_OK] = {"ok", "success", 200},
    [VIGIL_EINVAL] = {"invalid_input", "invalid input", 400},
    [VIGIL_EAUTH] = {"unauthenticated", "authentication required", 401},
    [VIGIL_EPERM] = {"forbidden", "not allowed", 403},
    [VIGIL_ENOTFOUND] = {"not_found", "not found", 404},
    [VIGIL_ECONFLICT] = {"conflict", "conflict with the current state", 409},
    [VIGIL_EEXIST] = {"already_exists", "already exists", 409},
    [VIGIL_ETOOBIG] = {"too_large", "too large", 413},
    [VIGIL_EMEDIA] = {"unsupported_media_type", "unsupported media type", 415},
    [VIGIL_EPRECOND] = {"precondition_required", "precondition required", 428},
    [VIGIL_ETHROTTLE] = {"too_many_requests", "too many requests", 429},
    [VIGIL_ESTORE] = {"store_error", "database error", 500},
    [VIGIL_EIO] = {"io_error", "input/output error", 500},
    [VIGIL_ENOMEM] = {"out_of_memory", "out of memory", 500},
    [VIGIL_EUNAVAIL] = {"unavailable", "service unavailable", 503},
    [VIGIL_ECORRUPT] = {"corrupt", "integrity check failed", 500},
};

const char *vigil_strerror(int code)
{
    if (code < 0 || code >= VIGIL_NERR)
        return "unknown error";
    return errtab[code].text;
}

const char *vigil_errname(int code)
{
    if (code < 0 || code >= VIGIL_NERR)
        return "internal_error";
    return errtab[code].name;
}

int vigil_http_status(int code)
{
    if (code < 0 || code >= VIGIL_NERR)
        return 500;
    return errtab[code].http;
}
