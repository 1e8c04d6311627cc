/*
 * What a handler sees of a request, and the route table's shape.
 *
 * The gate (server.c) does everything a route declares before a handler
 * runs: it matches method and path, authenticates, asks the policy table,
 * checks the route's scope (the case or referral in the path is visible to
 * the caller's organisation, else 404), validates the declared query
 * parameters and parses the JSON body. Handlers never repeat those checks.
 */
#ifndef VIGIL_HTTP_H
#define VIGIL_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/policy.h"
#include "crypto/crypto.h"
#include "store/store.h"

struct server_cfg {
    const char *listen;     /* ADDR:PORT */
    size_t max_body;        /* bytes; 413 above */
    size_t max_header;      /* bytes of request line + headers; 431 above */
    unsigned per_ip;        /* connections per client address */
    unsigned max_conn;      /* connections in all */
    unsigned timeout;       /* seconds of inactivity before a connection is closed */
    unsigned threads;       /* worker threads */
    int64_t idle_timeout;   /* seconds a session may be idle */
    int64_t session_max;    /* seconds a session may last in all */
    int login_max_failures; /* failures per username in the window before 429 */
    int64_t login_window;   /* seconds */
    int secure_cookies;     /* add Secure (behind TLS) */
};

enum ptype {
    PT_INT,  /* strict integer in [min, max] */
    PT_ENUM, /* one of values */
    PT_DATE, /* YYYY-MM-DD */
    PT_TEXT, /* UTF-8, at most max code points */
};

struct param {
    const char *name;
    enum ptype type;
    long min, max;
    const char *const *values;
    const char *htcds; /* or values of this HTCDS picklist */
};

#define MAX_PARAMS 12

enum scope {
    SCOPE_NONE,
    SCOPE_CASE,        /* {id} is a case visible to the caller's organisation */
    SCOPE_REFERRAL_TO, /* {id} is a referral addressed to the caller's organisation */
};

enum body {
    BODY_NONE, /* a body is refused */
    BODY_JSON, /* a JSON object is required */
};

struct req;

struct route {
    const char *method;
    const char *path; /* "/api/v1/cases/{id}/notes": {id} is a positive integer */
    enum action action;
    enum scope scope;
    enum body body;
    const struct param *params; /* NULL-name terminated, or NULL */
    int (*handler)(struct req *r);
};

extern const struct route routes[];

struct req {
    const struct route *route;
    const struct server_cfg *cfg;
    struct store *st;
    const struct vkey *key;
    const char *method;
    int64_t id;            /* the {id} in the path, 0 if none */
    json_t *body;          /* the parsed JSON body (BODY_JSON), owned by the gate */
    const char *q[MAX_PARAMS]; /* declared query values by index, NULL when absent */
    int authed;
    struct session sess;   /* the caller, when authed */
    const char *token_hash;
    const char *if_match;  /* the raw If-Match header, or NULL */
    const char *client_ip; /* for in-memory rate limits only; never stored or logged */

    /* The response, filled by the handler. */
    int status;
    json_t *resp;          /* the JSON body, owned by the gate */
    char etag[32];
    char location[128];
    char cookie[256];      /* a Set-Cookie value */
    char retry_after[24];
    char allow[64];
    char err_field[64];
    char err_msg[256];
};

/* Set an error response: code is a VIGIL_ code; fmt names the problem. */
int req_fail(struct req *r, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The value of a declared query parameter, or NULL. */
const char *req_param(struct req *r, const char *name);
/* A header of the request, or NULL. */
const char *req_header(struct req *r, const char *name);
/* An audit entry for this request's user, inside the current transaction. */
int req_audit(struct req *r, const char *action, const char *object, const char *detail);

/* The verbs behind the routes (api_*.c). */
int api_healthz(struct req *r);
int api_session_create(struct req *r);
int api_session_get(struct req *r);
int api_session_delete(struct req *r);
int api_org_list(struct req *r);
int api_user_list(struct req *r);
int api_case_list(struct req *r);
int api_case_create(struct req *r);
int api_case_get(struct req *r);
int api_case_update(struct req *r);
int api_person_list(struct req *r);
int api_person_create(struct req *r);
int api_note_list(struct req *r);
int api_note_create(struct req *r);
int api_referral_list_case(struct req *r);
int api_referral_create(struct req *r);
int api_referral_inbox(struct req *r);
int api_referral_accept(struct req *r);
int api_referral_reject(struct req *r);
int api_referral_complete(struct req *r);
int api_audit_list(struct req *r);

/* Session cookie name. */
#define SESSION_COOKIE "vigil_session"

#endif
