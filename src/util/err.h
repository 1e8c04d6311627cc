/*
 * The project's one set of result codes. Every fallible function returns one
 * of these; detail, where there is any, goes in a message the caller can show.
 * web/ maps each code to an HTTP status in one table (vigil_http_status).
 */
#ifndef VIGIL_ERR_H
#define VIGIL_ERR_H

enum vigil_err {
    VIGIL_OK = 0,
    VIGIL_EINVAL,    /* invalid input; the message names the field */
    VIGIL_EAUTH,     /* not authenticated, or the session expired */
    VIGIL_EPERM,     /* authenticated but not allowed */
    VIGIL_ENOTFOUND, /* no such object, or not visible to the caller */
    VIGIL_ECONFLICT, /* stale version or a state that forbids the change */
    VIGIL_EEXIST,    /* a unique value is already taken */
    VIGIL_ETOOBIG,   /* body or field over its limit */
    VIGIL_EMEDIA,    /* unsupported content type */
    VIGIL_EPRECOND,  /* a required precondition header is missing */
    VIGIL_ETHROTTLE, /* too many attempts; try again later */
    VIGIL_ESTORE,    /* the store failed */
    VIGIL_EIO,       /* a file or socket failed */
    VIGIL_ENOMEM,    /* out of memory */
    VIGIL_EUNAVAIL,  /* the store does not answer */
    VIGIL_ECORRUPT,  /* integrity check failed (audit chain, ciphertext) */
    VIGIL_NERR
};

/* A short English description of the code; never NULL. */
const char *vigil_strerror(int code);
/* The stable machine name used in JSON error bodies ("invalid_input"). */
const char *vigil_errname(int code);
/* The HTTP status for the code. */
int vigil_http_status(int code);

#endif
