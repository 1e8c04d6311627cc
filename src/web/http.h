/*
 * What a handler sees of a request, and the route table's shape.
 *
 * The gate (server.c) does everything a route declares before a handler
 * runs: it matches method and path, authenticates, asks the policy table,
 * checks the route's scope (the case or referral in the path is visible to
 * the caller's organisation, else 404), validates the declared query
 * parameters and parses the JSON or form body, checking the CSRF token of
 * every form. Handlers never repeat those checks.
 *
 * A route's kind says what it answers: JSON (the API) or HTML (pages). For
 * HTML routes the gate also accepts ?lang= everywhere, sends a visitor who
 * is not logged in to /login (303) instead of a 401, and answers errors with
 * an HTML page in the visitor's language (page_error).
 */
#ifndef VIGIL_HTTP_H
#define VIGIL_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/policy.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "util/buf.h"

struct server_cfg {
    const char *listen;     /* ADDR:PORT */
    size_t max_body;        /* bytes; 413 above */
    size_t max_header;      /* bytes of request line + headers; 431 above */
    unsigned per_ip;        /* connections per client address */
    unsigned public_rate;   /* public POSTs per client address per minute (burst the same) */
    unsigned max_conn;      /* connections in all */
    unsigned timeout;       /* seconds of inactivity before a connection is closed */
    unsigned threads;       /* worker threads */
    int64_t idle_timeout;   /* seconds a session may be idle */
    int64_t session_max;    /* seconds a session may last in all */
    int login_max_failures; /* failures per username in the window before 429 */
    int64_t login_window;   /* seconds */
    int secure_cookies;     /* add Secure (behind TLS) */
    int stats_k;            /* the statistics' suppression threshold (report/stats.h) */
    size_t answer_cache;    /* bytes of kept answers per worker thread (web/answers.h) */
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
    /* {id} is a measure (else 404) that the caller's organisation owns, or
     * the caller may write the committee's records (the secretariat); else
     * 403: an agency reports progress on its own measures only */
    SCOPE_MEASURE_OWNER,
};

enum body {
    BODY_NONE, /* a body is refused */
    BODY_JSON, /* a JSON object is required */
    BODY_FORM, /* application/x-www-form-urlencoded, parsed into an object of
                  strings (a repeated name: an array of strings); its "csrf"
                  field must match the session's token (on public routes the
                  pre-session cookie CSRF_COOKIE), else 403 */
};

enum kind {
    KIND_JSON = 0, /* the API: JSON bodies, JSON errors */
    KIND_HTML,     /* pages: HTML bodies, HTML errors, redirect to /login */
    /* The API, for a GET whose JSON answer depends on nothing but the
     * database, the caller's organisation and the declared parameters: the
     * gate may answer it from web/answers.h while the database is
     * unchanged. Its handler sets nothing but r->resp. */
    KIND_JSON_KEPT,
};

struct req;

struct route {
    const char *method;
    const char *path; /* "/api/v1/cases/{id}/notes": {id} is a positive integer,
                         and so are {pid} and {sid} (r->sub);
                         "/static/{file}": one segment of [A-Za-z0-9_-] with at
                         most one dot, and no other */
    enum action action;
    enum scope scope;
    enum body body;
    const struct param *params; /* NULL-name terminated, or NULL */
    int (*handler)(struct req *r);
    enum kind kind; /* KIND_JSON, KIND_HTML or KIND_JSON_KEPT */
};

extern const struct route routes[];

struct req {
    const struct route *route;
    const struct server_cfg *cfg;
    struct store *st;
    const struct vkey *key;
    const char *method;
    int64_t id;                /* the {id} in the path, 0 if none */
    int64_t sub;               /* the {pid} or {sid} in the path (a person or service of
                                  the case {id}; the handler checks it belongs), 0 if none */
    json_t *body;              /* the parsed JSON or form body, owned by the gate */
    const char *q[MAX_PARAMS]; /* declared query values by index, NULL when absent */
    int authed;
    struct session sess; /* the caller, when authed */
    const char *token_hash;
    const char *if_match;  /* the raw If-Match header, or NULL */
    const char *client_ip; /* for in-memory rate limits only; never stored or logged */
    const char *path;      /* the request path (without the query) */
    const char *file;      /* the {file} in the path, NULL if none */
    char code[65];         /* the {code} in the path (a tip's follow-up code), "" if none */
    int lang;              /* enum lang (web/i18n.h), negotiated by the gate */

    /* The response, filled by the handler. */
    int status;
    json_t *resp;    /* the JSON body, owned by the gate */
    char *resp_text; /* or the body as JSON text already (a kept answer), malloc'd */
    size_t resp_len;
    int kept; /* the answer came from web/answers.h (the access log says so) */
    char etag[32];
    char location[128];
    char cookie[256]; /* a Set-Cookie value */
    char retry_after[24];
    char allow[64];
    char err_field[64];
    char err_msg[256];
    /* HTML routes: the page (Content-Type text/html) or, for static files,
     * raw bytes that outlive the request with their content type. */
    struct buf html;
    const void *raw;
    size_t raw_len;
    const char *raw_type;
    const char *html_type; /* the Content-Type of r->html when not text/html (Atom) */
    char cookie2[2][160];  /* more Set-Cookie values (language, pre-session CSRF) */
    /* A download: r->html (of type html_type) is sent as an attachment with
     * this file name, on JSON routes as well as pages ([A-Za-z0-9._-] only). */
    char download[96];
};

/* Set an error response: code is a VIGIL_ code; fmt names the problem. */
int req_fail(struct req *r, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Update the case r->id at version with a validated patch, in one
 * transaction with its audit entry (api_cases.c). *out is the stored case;
 * on failure r carries the error, or the code is VIGIL_ECONFLICT. */
int case_update(struct req *r, int64_t version, json_t *patch, json_t **out);
/* Apply the service {sid} of case {id} change in r->body at version want
 * (api_protection.c); the handler behind PATCH and the case page's form. */
int service_update(struct req *r, int64_t want);
/* Replace the hex "sealed" member of each item of arr (protection rows of
 * case_id) by its opened text under key, or merge it in when json is set;
 * an item that cannot be opened gets "sealed_error". */
void open_items(struct req *r, int64_t case_id, json_t *arr, const char *key, int json);
/* ETag: the object's "version" member, quoted (the value If-Match sends back). */
void req_etag(struct req *r, json_t *obj);
/* Fail with 400 naming the field a validation rule refused (core/record.h). */
struct verr;
int req_invalid(struct req *r, const struct verr *e);
/* The version the client changes, from If-Match ("3", W/"3" or 3); fails the
 * request with 428 when the header is missing and 400 when it is malformed. */
int req_if_match(struct req *r, int64_t *version);
/* The value of a declared query parameter, or NULL. */
const char *req_param(struct req *r, const char *name);
/* A cookie of the request, or NULL. */
const char *req_cookie(struct req *r, const char *name);
/* A header of the request, or NULL. */
const char *req_header(struct req *r, const char *name);
/* An audit entry for this request's user, inside the current transaction. */
int req_audit(struct req *r, const char *action, const char *object, const char *detail);

/* The verbs behind the routes (api_*.c). */
int api_healthz(struct req *r);
int api_session_create(struct req *r);
int api_session_get(struct req *r);
int api_session_delete(struct req *r);
int api_session_password(struct req *r);
int api_session_list(struct req *r);
int api_session_end_others(struct req *r);
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
int api_tip_create(struct req *r);
int api_tip_status(struct req *r);
int api_tip_add(struct req *r);
int api_feedback_create(struct req *r);
int api_tip_queue(struct req *r);
int api_tip_get(struct req *r);
int api_tip_log(struct req *r);
int api_tip_triage(struct req *r);
int api_feedback_list(struct req *r);
/* The TIP report and the response (api_tipreports.c). */
int api_tipreport_list(struct req *r);
int api_tipreport_create(struct req *r);
int api_tipreport_get(struct req *r);
int api_tipreport_update(struct req *r);
int api_recommendation_create(struct req *r);
int api_recommendation_update(struct req *r);
int api_recommendation_figure(struct req *r);
int api_tipreport_response(struct req *r);
int api_tipreport_statement(struct req *r);
int api_feedback_review(struct req *r);
/* victim protection and judicial supervision (api_protection.c) */
int api_screening_create(struct req *r);
int api_screening_list(struct req *r);
int api_status_decide(struct req *r);
int api_status_history(struct req *r);
int api_service_create(struct req *r);
int api_service_list(struct req *r);
int api_service_update(struct req *r);
int api_service_overdue(struct req *r);
int api_consent_create(struct req *r);
int api_consent_list(struct req *r);
int api_legal_create(struct req *r);
int api_legal_list(struct req *r);
int api_supervision(struct req *r);
int api_event_create(struct req *r);
int api_event_list(struct req *r);
int api_timeline(struct req *r);
/* Before a referral of case_id: VIGIL_OK when every victim of the case has
 * granted referral consent (*needed 0) or override is a reason (*needed 1);
 * else r carries a 409 naming the missing consent. */
int referral_consent_check(struct req *r, int64_t case_id, const char *override, int *needed);
/* After storing a referral made under an override: seal and keep the reason,
 * audit "consent.override". Inside the referral's transaction. */
int referral_consent_override(struct req *r, int64_t case_id, int64_t referral_id,
                              const char *reason);
int api_statement_list(struct req *r);
int api_statement_get(struct req *r);
int api_statement_create(struct req *r);
int api_statement_update(struct req *r);
int api_statement_publish(struct req *r);
/* The committee's statistics (api_stats.c, page_stats.c). */
int api_stats(struct req *r);
int page_stats(struct req *r);
/* The statistics of the period the request asks for (month=YYYY-MM,
 * year=YYYY, or from and to; the last full month when none) at its k (not
 * below the server's threshold) and years; *out is new. On failure r
 * carries the error, naming the parameter. */
int stats_request(struct req *r, json_t **out);
/* "YYYY-MM" into *y, *m; VIGIL_EINVAL when it is not a month. */
int stats_month_parse(const char *s, int *y, int *m);
/* The last full month before today (UTC), "YYYY-MM". */
void stats_last_month(char out[8]);
/* The committee's packs as files, and the /reports page (page_reports.c). */
int api_report_plenary(struct req *r);
int api_report_tip(struct req *r);
int page_reports(struct req *r);
int page_report_plenary(struct req *r);
int page_report_tip(struct req *r);
/* the committee: meetings, measures, activities (api_committee.c) */
int api_meeting_list(struct req *r);
int api_meeting_get(struct req *r);
int api_meeting_create(struct req *r);
int api_meeting_update(struct req *r);
int api_measure_list(struct req *r);
int api_measure_get(struct req *r);
int api_measure_create(struct req *r);
int api_measure_update(struct req *r);
int api_measure_progress(struct req *r);
int api_activity_list(struct req *r);
int api_activity_create(struct req *r);
/* privacy-preserving releases (api_releases.c) */
int api_release_list(struct req *r);
int api_release_create(struct req *r);
int api_release_get(struct req *r);
int api_release_file(struct req *r);
/* Validate a release request (body: JSON numbers, or with from_form the
 * strings of a form), build the source's microdata, run the release, store
 * it with its files and audit it in one transaction. On failure r carries
 * the error (400 naming the field, 413 for a source over the size cap). */
int release_run(struct req *r, json_t *body, int from_form, int64_t *id);

/* The pages behind the HTML routes (page_*.c, static.c). */
int page_login(struct req *r);
int page_login_post(struct req *r);
int page_logout(struct req *r);
int page_home(struct req *r);
int page_cases(struct req *r);
int page_case_new(struct req *r);
int page_case_create(struct req *r);
int page_case(struct req *r);
int page_case_update(struct req *r);
int page_person_new(struct req *r);
int page_person_create(struct req *r);
int page_note_create(struct req *r);
int page_users(struct req *r);
int page_user_create(struct req *r);
int page_user_disable(struct req *r);
int page_referral_create(struct req *r);
int page_referral_accept(struct req *r);
int page_referral_reject(struct req *r);
int page_audit(struct req *r);
/* the caller's own account: password and sessions (page_account.c) */
int page_account(struct req *r);
int page_account_password(struct req *r);
int page_account_end_others(struct req *r);
int page_static(struct req *r);
/* the forms of the case page's protection and legal sections (page_protection.c) */
int page_status_create(struct req *r);
int page_consent_create(struct req *r);
int page_event_create(struct req *r);
int page_legal_create(struct req *r);
int page_screening_create(struct req *r);
int page_service_create(struct req *r);
int page_service_update(struct req *r);
int page_supervision(struct req *r);
/* The public pages (page_public.c) and the secretariat's (page_statements.c). */
int page_public_home(struct req *r);
int page_public_statement(struct req *r);
int page_public_atom(struct req *r);
int page_public_tip(struct req *r);
int page_public_tip_post(struct req *r);
int page_public_follow(struct req *r);
int page_public_follow_post(struct req *r);
int page_public_feedback(struct req *r);
int page_public_stats(struct req *r);
int page_statements(struct req *r);
/* The TIP report pages (page_tipreports.c). */
int page_tipreports(struct req *r);
int page_tipreport(struct req *r);
int page_tipreport_create(struct req *r);
int page_recommendation_import(struct req *r);
int page_recommendation_save(struct req *r);
int page_recommendation_figure(struct req *r);
int page_tipreport_statement(struct req *r);
int page_tipreport_response(struct req *r);
/* The tip queue's pages (page_tips.c). */
int page_tips(struct req *r);
int page_tip(struct req *r);
int page_tip_log(struct req *r);
int page_tip_triage(struct req *r);
int page_feedback_review(struct req *r);
int page_statement_new(struct req *r);
int page_statement_create(struct req *r);
int page_statement_edit(struct req *r);
int page_statement_save(struct req *r);
int page_statement_publish(struct req *r);
int page_feedback_queue(struct req *r);
/* The committee's pages (page_committee.c). */
int page_meetings(struct req *r);
int page_meeting_create(struct req *r);
int page_meeting(struct req *r);
int page_meeting_save(struct req *r);
int page_measures(struct req *r);
int page_measure_create(struct req *r);
int page_measure(struct req *r);
int page_measure_progress(struct req *r);
int page_activities(struct req *r);
int page_activity_create(struct req *r);
/* The secretariat's releases (page_releases.c). */
int page_releases(struct req *r);
int page_release_create(struct req *r);
int page_release(struct req *r);
/* Fill r->html with the error page for r->status (layout.c). */
void page_error(struct req *r);

/* Seal and store a validated person (with its "role") in case_id, with its
 * audit entry; call inside a transaction. */
int case_person_add(struct req *r, int64_t case_id, json_t *person, int64_t *id);
/* The persons of a case with their personal fields opened, after writing
 * the person.read audit entry (nothing is returned if that fails). *out is
 * a new array; on failure r carries the error. */
int case_persons_read(struct req *r, int64_t case_id, json_t **out);

/* Log in with a username and password as POST /api/v1/session does
 * (throttling, audit, the session cookie in r->cookie). On success *u is the
 * user and csrf its session's CSRF token; otherwise r carries the error. */
int session_login(struct req *r, const char *username, const char *password, struct user *u,
                  char csrf[44], char token[44]);
/* End the caller's session (audit, the clearing cookie in r->cookie). */
int session_logout(struct req *r);
/* Change the caller's password: current must verify (a wrong one counts
 * towards the login throttle of the user), newpw must meet the policy
 * (auth/password.h) and differ from it. Every other session of the user
 * ends (*ended counts them); audited as user.password. On failure r
 * carries the error, its field "current" or "new" when it is about one. */
int session_password_change(struct req *r, const char *current, const char *newpw, int64_t *ended);
/* End every session of the caller but this one (audited). */
int session_end_others(struct req *r, int64_t *ended);
/* The caller's live sessions, oldest first: a new array of {"created_at",
 * "last_seen","expires_at","current"} (never a token or its hash). */
int session_list(struct req *r, json_t **out);

/* Session cookie name. */
#define SESSION_COOKIE "vigil_session"
/* The pre-session cookie whose value the login form must echo. */
#define CSRF_COOKIE "vigil_csrf"
/* The language cookie set by ?lang=. */
#define LANG_COOKIE "vigil_lang"

#endif
