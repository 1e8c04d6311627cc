/*
 * The route table: per route, method, path, the policy action it needs, its
 * scope, its body and its query parameters with their types and limits.
 * This table and the policy table (src/auth/policy.c) are the whole of
 * access control.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/case.h"
#include "web/http.h"

static const char *const referral_states[] = {"pending", "accepted", "rejected", "completed",
                                              NULL};

static const struct param case_list_params[] = {
    {"status", PT_ENUM, 0, 0, NULL, "cas_Status"},
    {"category", PT_ENUM, 0, 0, case_categories, NULL},
    {"stage", PT_ENUM, 0, 0, case_stages, NULL},
    {"source", PT_ENUM, 0, 0, case_sources, NULL},
    {"from", PT_DATE, 0, 0, NULL, NULL},
    {"to", PT_DATE, 0, 0, NULL, NULL},
    {"organisation", PT_TEXT, 2, 16, NULL, NULL},
    {"q", PT_TEXT, 1, 200, NULL, NULL},
    {"page", PT_INT, 1, 100000, NULL, NULL},
    {"per_page", PT_INT, 1, 200, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param inbox_params[] = {
    {"state", PT_ENUM, 0, 0, referral_states, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param audit_params[] = {
    {"after", PT_INT, 0, INT32_MAX, NULL, NULL},
    {"limit", PT_INT, 1, 1000, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

/* clang-format off */
const struct route routes[] = {
    {"GET",    "/healthz",                        ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, NULL, api_healthz},
    {"POST",   "/api/v1/session",                 ACT_PUBLIC,          SCOPE_NONE, BODY_JSON, NULL, api_session_create},
    {"GET",    "/api/v1/session",                 ACT_SESSION,         SCOPE_NONE, BODY_NONE, NULL, api_session_get},
    {"DELETE", "/api/v1/session",                 ACT_SESSION,         SCOPE_NONE, BODY_NONE, NULL, api_session_delete},
    {"GET",    "/api/v1/organisations",           ACT_ORG_READ,        SCOPE_NONE, BODY_NONE, NULL, api_org_list},
    {"GET",    "/api/v1/users",                   ACT_USER_ADMIN,      SCOPE_NONE, BODY_NONE, NULL, api_user_list},
    {"GET",    "/api/v1/cases",                   ACT_CASE_LIST,       SCOPE_NONE, BODY_NONE, case_list_params, api_case_list},
    {"POST",   "/api/v1/cases",                   ACT_CASE_CREATE,     SCOPE_NONE, BODY_JSON, NULL, api_case_create},
    {"GET",    "/api/v1/cases/{id}",              ACT_CASE_READ,       SCOPE_CASE, BODY_NONE, NULL, api_case_get},
    {"PATCH",  "/api/v1/cases/{id}",              ACT_CASE_UPDATE,     SCOPE_CASE, BODY_JSON, NULL, api_case_update},
    {"GET",    "/api/v1/cases/{id}/persons",      ACT_PERSON_READ,     SCOPE_CASE, BODY_NONE, NULL, api_person_list},
    {"POST",   "/api/v1/cases/{id}/persons",      ACT_PERSON_WRITE,    SCOPE_CASE, BODY_JSON, NULL, api_person_create},
    {"GET",    "/api/v1/cases/{id}/notes",        ACT_NOTE_READ,       SCOPE_CASE, BODY_NONE, NULL, api_note_list},
    {"POST",   "/api/v1/cases/{id}/notes",        ACT_NOTE_WRITE,      SCOPE_CASE, BODY_JSON, NULL, api_note_create},
    {"GET",    "/api/v1/cases/{id}/referrals",    ACT_REFERRAL_READ,   SCOPE_CASE, BODY_NONE, NULL, api_referral_list_case},
    {"POST",   "/api/v1/cases/{id}/referrals",    ACT_REFERRAL_CREATE, SCOPE_CASE, BODY_JSON, NULL, api_referral_create},
    {"GET",    "/api/v1/referrals",               ACT_REFERRAL_READ,   SCOPE_NONE, BODY_NONE, inbox_params, api_referral_inbox},
    {"POST",   "/api/v1/referrals/{id}/accept",   ACT_REFERRAL_DECIDE, SCOPE_REFERRAL_TO, BODY_NONE, NULL, api_referral_accept},
    {"POST",   "/api/v1/referrals/{id}/reject",   ACT_REFERRAL_DECIDE, SCOPE_REFERRAL_TO, BODY_NONE, NULL, api_referral_reject},
    {"POST",   "/api/v1/referrals/{id}/complete", ACT_REFERRAL_DECIDE, SCOPE_REFERRAL_TO, BODY_NONE, NULL, api_referral_complete},
    {"GET",    "/api/v1/audit",                   ACT_AUDIT_READ,      SCOPE_NONE, BODY_NONE, audit_params, api_audit_list},
    {NULL, NULL, 0, 0, 0, NULL, NULL},
};
/* clang-format on */
