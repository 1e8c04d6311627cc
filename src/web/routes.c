/*
 * The route table: per route, method, path, the policy action it needs, its
 * scope, its body and its query parameters with their types and limits.
 * This table and the policy table (src/auth/policy.c) are the whole of
 * access control.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/case.h"
#include "core/committee.h"
#include "web/http.h"

static const char *const referral_states[] = {"pending", "accepted", "rejected", "completed", NULL};

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

static const char *const tip_states[] = {"new", "reviewing", "promoted", "closed", NULL};
static const char *const feedback_states[] = {"new", "reviewed", NULL};

static const struct param tip_queue_params[] = {
    {"state", PT_ENUM, 0, 0, tip_states, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param feedback_params[] = {
    {"state", PT_ENUM, 0, 0, feedback_states, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const char *const statement_langs[] = {"zh-Hant", "pt", "en", NULL};
static const char *const response_formats[] = {"html", "txt", "pdf", NULL};

static const struct param statement_params[] = {
    {"lang", PT_ENUM, 0, 0, statement_langs, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param response_params[] = {
    {"lang", PT_ENUM, 0, 0, statement_langs, NULL},
    {"format", PT_ENUM, 0, 0, response_formats, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const char *const one[] = {"1", NULL};

static const struct param meeting_list_params[] = {
    {"from", PT_DATE, 0, 0, NULL, NULL},
    {"to", PT_DATE, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param measure_list_params[] = {
    {"state", PT_ENUM, 0, 0, measure_states, NULL},
    {"owner", PT_TEXT, 2, 16, NULL, NULL},
    {"overdue", PT_ENUM, 0, 0, one, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param activity_list_params[] = {
    {"from", PT_DATE, 0, 0, NULL, NULL},
    {"to", PT_DATE, 0, 0, NULL, NULL},
    {"kind", PT_ENUM, 0, 0, activity_kinds, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param activity_page_params[] = {
    {"year", PT_INT, 1900, 2200, NULL, NULL},
    {"kind", PT_ENUM, 0, 0, activity_kinds, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param audit_params[] = {
    {"after", PT_INT, 0, INT32_MAX, NULL, NULL},
    {"limit", PT_INT, 1, 1000, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param login_params[] = {
    {"next", PT_TEXT, 1, 200, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param audit_page_params[] = {
    {"case", PT_INT, 1, INT32_MAX, NULL, NULL},
    {"after", PT_INT, 0, INT32_MAX, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param stats_params[] = {
    {"month", PT_TEXT, 1, 7, NULL, NULL}, {"year", PT_INT, 1900, 2200, NULL, NULL},
    {"from", PT_DATE, 0, 0, NULL, NULL},  {"to", PT_DATE, 0, 0, NULL, NULL},
    {"k", PT_INT, 1, 1000, NULL, NULL},   {"years", PT_INT, 1, 10, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param stats_page_params[] = {
    {"month", PT_TEXT, 1, 7, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

/* The committee's packs (page_reports.c): the month or year is checked by
 * the pack's builder, which names it. */
static const char *const pack_langs[] = {"zh-Hant", "pt", "en", NULL};
static const char *const plenary_formats[] = {"html", "pdf", "xlsx", NULL};
static const char *const tip_formats[] = {"pdf", "xlsx", "json", NULL};

static const struct param report_plenary_params[] = {
    {"month", PT_TEXT, 1, 7, NULL, NULL},
    {"format", PT_ENUM, 0, 0, plenary_formats, NULL},
    {"lang", PT_ENUM, 0, 0, pack_langs, NULL},
    {"k", PT_INT, 1, 1000, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

static const struct param report_tip_params[] = {
    {"year", PT_INT, 1971, 9999, NULL, NULL},
    {"format", PT_ENUM, 0, 0, tip_formats, NULL},
    {"lang", PT_ENUM, 0, 0, pack_langs, NULL},
    {"k", PT_INT, 1, 1000, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL},
};

#define JSON KIND_JSON
#define KEPT KIND_JSON_KEPT
#define HTML KIND_HTML

/* clang-format off */
const struct route routes[] = {
    {"GET",    "/healthz",                        ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, NULL, api_healthz, JSON},
    {"POST",   "/api/v1/session",                 ACT_PUBLIC,          SCOPE_NONE, BODY_JSON, NULL, api_session_create, JSON},
    {"GET",    "/api/v1/session",                 ACT_SESSION,         SCOPE_NONE, BODY_NONE, NULL, api_session_get, JSON},
    {"DELETE", "/api/v1/session",                 ACT_SESSION,         SCOPE_NONE, BODY_NONE, NULL, api_session_delete, JSON},
    {"POST",   "/api/v1/session/password",        ACT_SESSION,         SCOPE_NONE, BODY_JSON, NULL, api_session_password, JSON},
    {"GET",    "/api/v1/session/list",            ACT_SESSION,         SCOPE_NONE, BODY_NONE, NULL, api_session_list, JSON},
    {"POST",   "/api/v1/session/end-others",      ACT_SESSION,         SCOPE_NONE, BODY_NONE, NULL, api_session_end_others, JSON},
    {"GET",    "/api/v1/organisations",           ACT_ORG_READ,        SCOPE_NONE, BODY_NONE, NULL, api_org_list, JSON},
    {"GET",    "/api/v1/users",                   ACT_USER_ADMIN,      SCOPE_NONE, BODY_NONE, NULL, api_user_list, JSON},
    {"GET",    "/api/v1/cases",                   ACT_CASE_LIST,       SCOPE_NONE, BODY_NONE, case_list_params, api_case_list, KEPT},
    {"POST",   "/api/v1/cases",                   ACT_CASE_CREATE,     SCOPE_NONE, BODY_JSON, NULL, api_case_create, JSON},
    {"GET",    "/api/v1/cases/{id}",              ACT_CASE_READ,       SCOPE_CASE, BODY_NONE, NULL, api_case_get, JSON},
    {"PATCH",  "/api/v1/cases/{id}",              ACT_CASE_UPDATE,     SCOPE_CASE, BODY_JSON, NULL, api_case_update, JSON},
    {"GET",    "/api/v1/cases/{id}/persons",      ACT_PERSON_READ,     SCOPE_CASE, BODY_NONE, NULL, api_person_list, JSON},
    {"POST",   "/api/v1/cases/{id}/persons",      ACT_PERSON_WRITE,    SCOPE_CASE, BODY_JSON, NULL, api_person_create, JSON},
    {"GET",    "/api/v1/cases/{id}/notes",        ACT_NOTE_READ,       SCOPE_CASE, BODY_NONE, NULL, api_note_list, JSON},
    {"POST",   "/api/v1/cases/{id}/notes",        ACT_NOTE_WRITE,      SCOPE_CASE, BODY_JSON, NULL, api_note_create, JSON},
    {"GET",    "/api/v1/cases/{id}/referrals",    ACT_REFERRAL_READ,   SCOPE_CASE, BODY_NONE, NULL, api_referral_list_case, JSON},
    {"POST",   "/api/v1/cases/{id}/referrals",    ACT_REFERRAL_CREATE, SCOPE_CASE, BODY_JSON, NULL, api_referral_create, JSON},
    {"GET",    "/api/v1/referrals",               ACT_REFERRAL_READ,   SCOPE_NONE, BODY_NONE, inbox_params, api_referral_inbox, JSON},
    {"POST",   "/api/v1/referrals/{id}/accept",   ACT_REFERRAL_DECIDE, SCOPE_REFERRAL_TO, BODY_NONE, NULL, api_referral_accept, JSON},
    {"POST",   "/api/v1/referrals/{id}/reject",   ACT_REFERRAL_DECIDE, SCOPE_REFERRAL_TO, BODY_NONE, NULL, api_referral_reject, JSON},
    {"POST",   "/api/v1/referrals/{id}/complete", ACT_REFERRAL_DECIDE, SCOPE_REFERRAL_TO, BODY_NONE, NULL, api_referral_complete, JSON},
    {"GET",    "/api/v1/audit",                   ACT_AUDIT_READ,      SCOPE_NONE, BODY_NONE, audit_params, api_audit_list, JSON},
    {"POST",   "/api/v1/tips",                    ACT_PUBLIC,          SCOPE_NONE, BODY_JSON, NULL, api_tip_create, JSON},
    {"GET",    "/api/v1/tips/{code}",             ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, NULL, api_tip_status, JSON},
    {"POST",   "/api/v1/tips/{code}",             ACT_PUBLIC,          SCOPE_NONE, BODY_JSON, NULL, api_tip_add, JSON},
    {"POST",   "/api/v1/feedback",                ACT_PUBLIC,          SCOPE_NONE, BODY_JSON, NULL, api_feedback_create, JSON},
    {"GET",    "/api/v1/feedback",                ACT_FEEDBACK_READ,   SCOPE_NONE, BODY_NONE, feedback_params, api_feedback_list, JSON},
    {"POST",   "/api/v1/feedback/{id}/review",    ACT_FEEDBACK_REVIEW, SCOPE_NONE, BODY_NONE, NULL, api_feedback_review, JSON},
    /* the TIP report of each year and the response to it */
    {"GET",    "/api/v1/tip-reports",             ACT_TIPREPORT_READ,  SCOPE_NONE, BODY_NONE, NULL, api_tipreport_list, JSON},
    {"POST",   "/api/v1/tip-reports",             ACT_TIPREPORT_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_tipreport_create, JSON},
    {"GET",    "/api/v1/tip-reports/{id}",        ACT_TIPREPORT_READ,  SCOPE_NONE, BODY_NONE, NULL, api_tipreport_get, JSON},
    {"PATCH",  "/api/v1/tip-reports/{id}",        ACT_TIPREPORT_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_tipreport_update, JSON},
    {"POST",   "/api/v1/tip-reports/{id}/recommendations", ACT_TIPREPORT_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_recommendation_create, JSON},
    {"GET",    "/api/v1/tip-reports/{id}/response", ACT_TIPREPORT_READ, SCOPE_NONE, BODY_NONE, response_params, api_tipreport_response, JSON},
    {"POST",   "/api/v1/tip-reports/{id}/statement", ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_NONE, NULL, api_tipreport_statement, JSON},
    {"PATCH",  "/api/v1/recommendations/{id}",    ACT_TIPREPORT_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_recommendation_update, JSON},
    {"POST",   "/api/v1/recommendations/{id}/figures", ACT_TIPREPORT_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_recommendation_figure, JSON},
    {"GET",    "/api/v1/tip-queue",               ACT_TIP_TRIAGE,      SCOPE_NONE, BODY_NONE, tip_queue_params, api_tip_queue, JSON},
    {"POST",   "/api/v1/tip-queue",               ACT_TIP_TRIAGE,      SCOPE_NONE, BODY_JSON, NULL, api_tip_log, JSON},
    {"GET",    "/api/v1/tip-queue/{id}",          ACT_TIP_TRIAGE,      SCOPE_NONE, BODY_NONE, NULL, api_tip_get, JSON},
    {"POST",   "/api/v1/tip-queue/{id}/triage",   ACT_TIP_TRIAGE,      SCOPE_NONE, BODY_JSON, NULL, api_tip_triage, JSON},
    {"GET",    "/api/v1/statements",              ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, statement_params, api_statement_list, JSON},
    {"POST",   "/api/v1/statements",              ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_statement_create, JSON},
    {"GET",    "/api/v1/statements/{id}",         ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, statement_params, api_statement_get, JSON},
    {"PATCH",  "/api/v1/statements/{id}",         ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_statement_update, JSON},
    {"POST",   "/api/v1/statements/{id}/publish", ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_NONE, NULL, api_statement_publish, JSON},
    {"GET",    "/api/v1/stats",                   ACT_STATS_READ,      SCOPE_NONE, BODY_NONE, stats_params, api_stats, JSON},
    /* the committee's packs, as files (audited: they leave the committee) */
    {"GET",    "/api/v1/reports/plenary",         ACT_STATS_READ,      SCOPE_NONE, BODY_NONE, report_plenary_params, api_report_plenary, JSON},
    {"GET",    "/api/v1/reports/tip",             ACT_STATS_READ,      SCOPE_NONE, BODY_NONE, report_tip_params, api_report_tip, JSON},
    /* victim protection, the legal track and judicial supervision */
    {"GET",    "/api/v1/cases/{id}/screenings",   ACT_SCREENING_READ,  SCOPE_CASE, BODY_NONE, NULL, api_screening_list, JSON},
    {"POST",   "/api/v1/cases/{id}/screenings",   ACT_SCREENING_WRITE, SCOPE_CASE, BODY_JSON, NULL, api_screening_create, JSON},
    {"GET",    "/api/v1/cases/{id}/persons/{pid}/status", ACT_STATUS_READ, SCOPE_CASE, BODY_NONE, NULL, api_status_history, JSON},
    {"POST",   "/api/v1/cases/{id}/persons/{pid}/status", ACT_STATUS_DECIDE, SCOPE_CASE, BODY_JSON, NULL, api_status_decide, JSON},
    {"GET",    "/api/v1/cases/{id}/persons/{pid}/consents", ACT_CONSENT_READ, SCOPE_CASE, BODY_NONE, NULL, api_consent_list, JSON},
    {"POST",   "/api/v1/cases/{id}/persons/{pid}/consents", ACT_CONSENT_WRITE, SCOPE_CASE, BODY_JSON, NULL, api_consent_create, JSON},
    {"GET",    "/api/v1/cases/{id}/services",     ACT_SERVICE_READ,    SCOPE_CASE, BODY_NONE, NULL, api_service_list, JSON},
    {"POST",   "/api/v1/cases/{id}/services",     ACT_SERVICE_WRITE,   SCOPE_CASE, BODY_JSON, NULL, api_service_create, JSON},
    {"PATCH",  "/api/v1/cases/{id}/services/{sid}", ACT_SERVICE_WRITE, SCOPE_CASE, BODY_JSON, NULL, api_service_update, JSON},
    {"GET",    "/api/v1/services/overdue",        ACT_SERVICE_READ,    SCOPE_NONE, BODY_NONE, NULL, api_service_overdue, JSON},
    {"GET",    "/api/v1/cases/{id}/legal",        ACT_LEGAL_READ,      SCOPE_CASE, BODY_NONE, NULL, api_legal_list, JSON},
    {"POST",   "/api/v1/cases/{id}/legal",        ACT_LEGAL_WRITE,     SCOPE_CASE, BODY_JSON, NULL, api_legal_create, JSON},
    {"GET",    "/api/v1/cases/{id}/supervision",  ACT_SUPERVISE,       SCOPE_CASE, BODY_NONE, NULL, api_supervision, JSON},
    {"GET",    "/api/v1/cases/{id}/events",       ACT_EVENT_READ,      SCOPE_CASE, BODY_NONE, NULL, api_event_list, JSON},
    {"POST",   "/api/v1/cases/{id}/events",       ACT_EVENT_WRITE,     SCOPE_CASE, BODY_JSON, NULL, api_event_create, JSON},
    {"GET",    "/api/v1/cases/{id}/timeline",     ACT_TIMELINE_READ,   SCOPE_CASE, BODY_NONE, NULL, api_timeline, JSON},
    /* the committee: meetings, measures and prevention activities */
    {"GET",    "/api/v1/meetings",                ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, meeting_list_params, api_meeting_list, JSON},
    {"POST",   "/api/v1/meetings",                ACT_COMMITTEE_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_meeting_create, JSON},
    {"GET",    "/api/v1/meetings/{id}",           ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, NULL, api_meeting_get, JSON},
    {"PATCH",  "/api/v1/meetings/{id}",           ACT_COMMITTEE_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_meeting_update, JSON},
    {"GET",    "/api/v1/measures",                ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, measure_list_params, api_measure_list, JSON},
    {"POST",   "/api/v1/measures",                ACT_COMMITTEE_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_measure_create, JSON},
    {"GET",    "/api/v1/measures/{id}",           ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, NULL, api_measure_get, JSON},
    {"PATCH",  "/api/v1/measures/{id}",           ACT_COMMITTEE_WRITE, SCOPE_NONE, BODY_JSON, NULL, api_measure_update, JSON},
    {"POST",   "/api/v1/measures/{id}/progress",  ACT_MEASURE_PROGRESS, SCOPE_MEASURE_OWNER, BODY_JSON, NULL, api_measure_progress, JSON},
    {"GET",    "/api/v1/activities",              ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, activity_list_params, api_activity_list, JSON},
    {"POST",   "/api/v1/activities",              ACT_ACTIVITY_WRITE,  SCOPE_NONE, BODY_JSON, NULL, api_activity_create, JSON},
    /* privacy-preserving releases (the body is checked by release_run) */
    {"GET",    "/api/v1/releases",                ACT_RELEASE_READ,    SCOPE_NONE, BODY_NONE, NULL, api_release_list, JSON},
    {"POST",   "/api/v1/releases",                ACT_RELEASE_RUN,     SCOPE_NONE, BODY_JSON, NULL, api_release_create, JSON},
    {"GET",    "/api/v1/releases/{id}",           ACT_RELEASE_READ,    SCOPE_NONE, BODY_NONE, NULL, api_release_get, JSON},
    {"GET",    "/api/v1/releases/{id}/files/{file}", ACT_RELEASE_READ, SCOPE_NONE, BODY_NONE, NULL, api_release_file, JSON},

    /* The HTML pages. Every form (BODY_FORM) is CSRF-checked by the gate. */
    {"GET",    "/static/{file}",                  ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, NULL, page_static, HTML},
    {"GET",    "/login",                          ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, login_params, page_login, HTML},
    {"POST",   "/login",                          ACT_PUBLIC,          SCOPE_NONE, BODY_FORM, NULL, page_login_post, HTML},
    {"POST",   "/logout",                         ACT_SESSION,         SCOPE_NONE, BODY_FORM, NULL, page_logout, HTML},
    {"GET",    "/",                               ACT_SESSION,         SCOPE_NONE, BODY_NONE, NULL, page_home, HTML},
    {"GET",    "/cases",                          ACT_CASE_LIST,       SCOPE_NONE, BODY_NONE, case_list_params, page_cases, HTML},
    {"GET",    "/cases/new",                      ACT_CASE_CREATE,     SCOPE_NONE, BODY_NONE, NULL, page_case_new, HTML},
    {"POST",   "/cases/new",                      ACT_CASE_CREATE,     SCOPE_NONE, BODY_FORM, NULL, page_case_create, HTML},
    {"GET",    "/cases/{id}",                     ACT_CASE_READ,       SCOPE_CASE, BODY_NONE, NULL, page_case, HTML},
    {"POST",   "/cases/{id}",                     ACT_CASE_UPDATE,     SCOPE_CASE, BODY_FORM, NULL, page_case_update, HTML},
    {"GET",    "/cases/{id}/persons/new",         ACT_PERSON_WRITE,    SCOPE_CASE, BODY_NONE, NULL, page_person_new, HTML},
    {"POST",   "/cases/{id}/persons",             ACT_PERSON_WRITE,    SCOPE_CASE, BODY_FORM, NULL, page_person_create, HTML},
    {"POST",   "/cases/{id}/notes",               ACT_NOTE_WRITE,      SCOPE_CASE, BODY_FORM, NULL, page_note_create, HTML},
    {"GET",    "/admin/users",                    ACT_USER_ADMIN,      SCOPE_NONE, BODY_NONE, NULL, page_users, HTML},
    {"POST",   "/admin/users",                    ACT_USER_ADMIN,      SCOPE_NONE, BODY_FORM, NULL, page_user_create, HTML},
    {"POST",   "/admin/users/{id}/disable",       ACT_USER_ADMIN,      SCOPE_NONE, BODY_FORM, NULL, page_user_disable, HTML},
    {"POST",   "/cases/{id}/referrals",           ACT_REFERRAL_CREATE, SCOPE_CASE, BODY_FORM, NULL, page_referral_create, HTML},
    {"POST",   "/referrals/{id}/accept",          ACT_REFERRAL_DECIDE, SCOPE_REFERRAL_TO, BODY_FORM, NULL, page_referral_accept, HTML},
    {"POST",   "/referrals/{id}/reject",          ACT_REFERRAL_DECIDE, SCOPE_REFERRAL_TO, BODY_FORM, NULL, page_referral_reject, HTML},
    {"POST",   "/cases/{id}/persons/{pid}/status", ACT_STATUS_DECIDE, SCOPE_CASE, BODY_FORM, NULL, page_status_create, HTML},
    {"POST",   "/cases/{id}/persons/{pid}/consents", ACT_CONSENT_WRITE, SCOPE_CASE, BODY_FORM, NULL, page_consent_create, HTML},
    {"POST",   "/cases/{id}/events",              ACT_EVENT_WRITE,     SCOPE_CASE, BODY_FORM, NULL, page_event_create, HTML},
    {"POST",   "/cases/{id}/legal",               ACT_LEGAL_WRITE,     SCOPE_CASE, BODY_FORM, NULL, page_legal_create, HTML},
    {"POST",   "/cases/{id}/screenings",          ACT_SCREENING_WRITE, SCOPE_CASE, BODY_FORM, NULL, page_screening_create, HTML},
    {"POST",   "/cases/{id}/services",            ACT_SERVICE_WRITE,   SCOPE_CASE, BODY_FORM, NULL, page_service_create, HTML},
    {"POST",   "/cases/{id}/services/{sid}",      ACT_SERVICE_WRITE,   SCOPE_CASE, BODY_FORM, NULL, page_service_update, HTML},
    {"GET",    "/cases/{id}/supervision",         ACT_SUPERVISE,       SCOPE_CASE, BODY_NONE, NULL, page_supervision, HTML},
    {"GET",    "/stats",                          ACT_STATS_READ,      SCOPE_NONE, BODY_NONE, stats_page_params, page_stats, HTML},
    {"GET",    "/reports",                        ACT_STATS_READ,      SCOPE_NONE, BODY_NONE, NULL, page_reports, HTML},
    {"GET",    "/reports/plenary",                ACT_STATS_READ,      SCOPE_NONE, BODY_NONE, report_plenary_params, page_report_plenary, HTML},
    {"GET",    "/reports/tip",                    ACT_STATS_READ,      SCOPE_NONE, BODY_NONE, report_tip_params, page_report_tip, HTML},
    {"GET",    "/account",                        ACT_SESSION,         SCOPE_NONE, BODY_NONE, NULL, page_account, HTML},
    {"POST",   "/account/password",               ACT_SESSION,         SCOPE_NONE, BODY_FORM, NULL, page_account_password, HTML},
    {"POST",   "/account/end-others",             ACT_SESSION,         SCOPE_NONE, BODY_FORM, NULL, page_account_end_others, HTML},
    {"GET",    "/audit",                          ACT_AUDIT_READ,      SCOPE_NONE, BODY_NONE, audit_page_params, page_audit, HTML},

    /* The public side (no login; forms use the pre-session CSRF cookie) and
     * the secretariat's statements and feedback queue. */
    {"GET",    "/public/",                        ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, NULL, page_public_home, HTML},
    {"GET",    "/public/stats",                   ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, NULL, page_public_stats, HTML},
    {"GET",    "/public/statements/{id}",         ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, NULL, page_public_statement, HTML},
    {"GET",    "/public/statements.atom",         ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, statement_params, page_public_atom, HTML},
    {"GET",    "/public/tip",                     ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, NULL, page_public_tip, HTML},
    {"POST",   "/public/tip",                     ACT_PUBLIC,          SCOPE_NONE, BODY_FORM, NULL, page_public_tip_post, HTML},
    {"GET",    "/public/tip/follow",              ACT_PUBLIC,          SCOPE_NONE, BODY_NONE, NULL, page_public_follow, HTML},
    {"POST",   "/public/tip/follow",              ACT_PUBLIC,          SCOPE_NONE, BODY_FORM, NULL, page_public_follow_post, HTML},
    {"POST",   "/public/feedback",                ACT_PUBLIC,          SCOPE_NONE, BODY_FORM, NULL, page_public_feedback, HTML},
    {"GET",    "/statements",                     ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_NONE, NULL, page_statements, HTML},
    {"GET",    "/statements/new",                 ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_NONE, NULL, page_statement_new, HTML},
    {"POST",   "/statements/new",                 ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_statement_create, HTML},
    {"GET",    "/statements/{id}",                ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_NONE, NULL, page_statement_edit, HTML},
    {"POST",   "/statements/{id}",                ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_statement_save, HTML},
    {"POST",   "/statements/{id}/publish",        ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_statement_publish, HTML},
    /* the TIP report of each year and the response to it */
    {"GET",    "/tip-reports",                    ACT_TIPREPORT_READ,  SCOPE_NONE, BODY_NONE, NULL, page_tipreports, HTML},
    {"POST",   "/tip-reports",                    ACT_TIPREPORT_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_tipreport_create, HTML},
    {"GET",    "/tip-reports/{id}",               ACT_TIPREPORT_READ,  SCOPE_NONE, BODY_NONE, NULL, page_tipreport, HTML},
    {"GET",    "/tip-reports/{id}/response",      ACT_TIPREPORT_READ,  SCOPE_NONE, BODY_NONE, response_params, page_tipreport_response, HTML},
    {"POST",   "/tip-reports/{id}/recommendations", ACT_TIPREPORT_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_recommendation_import, HTML},
    {"POST",   "/tip-reports/{id}/recommendations/{sid}", ACT_TIPREPORT_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_recommendation_save, HTML},
    {"POST",   "/tip-reports/{id}/recommendations/{sid}/figures", ACT_TIPREPORT_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_recommendation_figure, HTML},
    {"POST",   "/tip-reports/{id}/statement",     ACT_STATEMENT_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_tipreport_statement, HTML},
    {"GET",    "/feedback",                       ACT_FEEDBACK_READ,   SCOPE_NONE, BODY_NONE, feedback_params, page_feedback_queue, HTML},
    {"POST",   "/feedback/{id}/review",           ACT_FEEDBACK_REVIEW, SCOPE_NONE, BODY_FORM, NULL, page_feedback_review, HTML},
    /* the tip queue of the agencies that triage tips */
    {"GET",    "/tips",                           ACT_TIP_TRIAGE,      SCOPE_NONE, BODY_NONE, tip_queue_params, page_tips, HTML},
    {"POST",   "/tips",                           ACT_TIP_TRIAGE,      SCOPE_NONE, BODY_FORM, NULL, page_tip_log, HTML},
    {"GET",    "/tips/{id}",                      ACT_TIP_TRIAGE,      SCOPE_NONE, BODY_NONE, NULL, page_tip, HTML},
    {"POST",   "/tips/{id}/triage",               ACT_TIP_TRIAGE,      SCOPE_NONE, BODY_FORM, NULL, page_tip_triage, HTML},

    /* The committee's pages. */
    {"GET",    "/meetings",                       ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, NULL, page_meetings, HTML},
    {"POST",   "/meetings",                       ACT_COMMITTEE_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_meeting_create, HTML},
    {"GET",    "/meetings/{id}",                  ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, NULL, page_meeting, HTML},
    {"POST",   "/meetings/{id}",                  ACT_COMMITTEE_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_meeting_save, HTML},
    {"GET",    "/measures",                       ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, measure_list_params, page_measures, HTML},
    {"POST",   "/measures",                       ACT_COMMITTEE_WRITE, SCOPE_NONE, BODY_FORM, NULL, page_measure_create, HTML},
    {"GET",    "/measures/{id}",                  ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, NULL, page_measure, HTML},
    {"POST",   "/measures/{id}/progress",         ACT_MEASURE_PROGRESS, SCOPE_MEASURE_OWNER, BODY_FORM, NULL, page_measure_progress, HTML},
    {"GET",    "/activities",                     ACT_COMMITTEE_READ,  SCOPE_NONE, BODY_NONE, activity_page_params, page_activities, HTML},
    {"POST",   "/activities",                     ACT_ACTIVITY_WRITE,  SCOPE_NONE, BODY_FORM, NULL, page_activity_create, HTML},
    {"GET",    "/releases",                       ACT_RELEASE_READ,    SCOPE_NONE, BODY_NONE, NULL, page_releases, HTML},
    {"POST",   "/releases",                       ACT_RELEASE_RUN,     SCOPE_NONE, BODY_FORM, NULL, page_release_create, HTML},
    {"GET",    "/releases/{id}",                  ACT_RELEASE_READ,    SCOPE_NONE, BODY_NONE, NULL, page_release, HTML},
    {NULL, NULL, 0, 0, 0, NULL, NULL, 0},
};
/* clang-format on */
