/*
 * The policy table. Rows are actions, columns roles, in enum order:
 *   ad = admin, se = secretariat, in = investigator, pr = prosecutor,
 *   ma = magistrate, cw = caseworker, is = inspector, au = auditor.
 * Need-to-know: the secretariat sees statistics, never personal data; the
 * admin manages accounts, not cases; the auditor reads the audit log only;
 * the magistrate reads (supervision) but never writes. Tips may name
 * victims, so their queue is for the agencies that act on them (police,
 * social work, labour inspection); page feedback is the secretariat's (and
 * the admin's, for pages that are broken).
 */
#include <string.h>

#include "auth/policy.h"

static const char *const role_names[ROLE_COUNT] = {
    "admin",      "secretariat", "investigator", "prosecutor",
    "magistrate", "caseworker",  "inspector",    "auditor",
};

static const char *const action_names[ACT_COUNT] = {
    [ACT_PUBLIC] = "public",
    [ACT_SESSION] = "session",
    [ACT_CASE_LIST] = "case.list",
    [ACT_CASE_READ] = "case.read",
    [ACT_CASE_CREATE] = "case.create",
    [ACT_CASE_UPDATE] = "case.update",
    [ACT_PERSON_READ] = "person.read",
    [ACT_PERSON_WRITE] = "person.write",
    [ACT_NOTE_READ] = "note.read",
    [ACT_NOTE_WRITE] = "note.write",
    [ACT_REFERRAL_READ] = "referral.read",
    [ACT_REFERRAL_CREATE] = "referral.create",
    [ACT_REFERRAL_DECIDE] = "referral.decide",
    [ACT_AUDIT_READ] = "audit.read",
    [ACT_USER_ADMIN] = "user.admin",
    [ACT_ORG_READ] = "org.read",
    [ACT_STATS_READ] = "stats.read",
    [ACT_TIP_TRIAGE] = "tip.triage",
    [ACT_FEEDBACK_READ] = "feedback.read",
    [ACT_FEEDBACK_REVIEW] = "feedback.review",
    [ACT_STATEMENT_WRITE] = "statement.write",
    [ACT_SCREENING_READ] = "screening.read",
    [ACT_SCREENING_WRITE] = "screening.write",
    [ACT_STATUS_READ] = "status.read",
    [ACT_STATUS_DECIDE] = "status.decide",
    [ACT_SERVICE_READ] = "service.read",
    [ACT_SERVICE_WRITE] = "service.write",
    [ACT_CONSENT_READ] = "consent.read",
    [ACT_CONSENT_WRITE] = "consent.write",
    [ACT_LEGAL_READ] = "legal.read",
    [ACT_LEGAL_WRITE] = "legal.write",
    [ACT_LEGAL_INVESTIGATE] = "legal.investigate",
    [ACT_LEGAL_PROSECUTE] = "legal.prosecute",
    [ACT_SUPERVISE] = "supervise",
    [ACT_EVENT_READ] = "event.read",
    [ACT_EVENT_WRITE] = "event.write",
    [ACT_TIMELINE_READ] = "timeline.read",
    [ACT_COMMITTEE_READ] = "committee.read",
    [ACT_COMMITTEE_WRITE] = "committee.write",
    [ACT_MEASURE_PROGRESS] = "measure.progress",
    [ACT_ACTIVITY_WRITE] = "activity.write",
};

/* clang-format off */
static const unsigned char policy[ACT_COUNT][ROLE_COUNT] = {
    /*                        ad se in pr ma cw is au */
    [ACT_PUBLIC]          = { 1, 1, 1, 1, 1, 1, 1, 1 },
    [ACT_SESSION]         = { 1, 1, 1, 1, 1, 1, 1, 1 },
    [ACT_CASE_LIST]       = { 0, 0, 1, 1, 1, 1, 1, 0 },
    [ACT_CASE_READ]       = { 0, 0, 1, 1, 1, 1, 1, 0 },
    [ACT_CASE_CREATE]     = { 0, 0, 1, 0, 0, 1, 1, 0 },
    [ACT_CASE_UPDATE]     = { 0, 0, 1, 1, 0, 1, 1, 0 },
    [ACT_PERSON_READ]     = { 0, 0, 1, 1, 1, 1, 1, 0 },
    [ACT_PERSON_WRITE]    = { 0, 0, 1, 0, 0, 1, 1, 0 },
    [ACT_NOTE_READ]       = { 0, 0, 1, 1, 1, 1, 1, 0 },
    [ACT_NOTE_WRITE]      = { 0, 0, 1, 1, 0, 1, 1, 0 },
    [ACT_REFERRAL_READ]   = { 0, 0, 1, 1, 1, 1, 1, 0 },
    [ACT_REFERRAL_CREATE] = { 0, 0, 1, 1, 0, 1, 1, 0 },
    [ACT_REFERRAL_DECIDE] = { 0, 0, 1, 1, 0, 1, 1, 0 },
    [ACT_AUDIT_READ]      = { 0, 0, 0, 0, 1, 0, 0, 1 },
    [ACT_USER_ADMIN]      = { 1, 0, 0, 0, 0, 0, 0, 0 },
    [ACT_ORG_READ]        = { 1, 1, 1, 1, 1, 1, 1, 1 },
    [ACT_STATS_READ]      = { 0, 1, 1, 1, 1, 1, 1, 0 },
    [ACT_TIP_TRIAGE]      = { 0, 0, 1, 0, 0, 1, 1, 0 },
    [ACT_FEEDBACK_READ]   = { 1, 1, 0, 0, 0, 0, 0, 0 },
    [ACT_FEEDBACK_REVIEW] = { 1, 1, 0, 0, 0, 0, 0, 0 },
    /* the committee speaks through its secretariat, and only through it */
    [ACT_STATEMENT_WRITE] = { 0, 1, 0, 0, 0, 0, 0, 0 },
    /* Victim protection: the agencies that work with victims screen them,
     * decide their status, arrange services and record consent. The
     * prosecution reads screenings, decisions and consent (evidence of
     * victim status, and what may be shared); the magistrate reads them as
     * supervision. Services and support plans (health, shelter,
     * rehabilitation) are for the agencies that provide them, not for the
     * prosecution or the court. Status decisions are also the prosecution's
     * ("CourtOrProsecution" in HTCDS). */
    [ACT_SCREENING_READ]  = { 0, 0, 1, 1, 1, 1, 1, 0 },
    [ACT_SCREENING_WRITE] = { 0, 0, 1, 0, 0, 1, 1, 0 },
    [ACT_STATUS_READ]     = { 0, 0, 1, 1, 1, 1, 1, 0 },
    [ACT_STATUS_DECIDE]   = { 0, 0, 1, 1, 0, 1, 1, 0 },
    [ACT_SERVICE_READ]    = { 0, 0, 1, 0, 0, 1, 1, 0 },
    [ACT_SERVICE_WRITE]   = { 0, 0, 1, 0, 0, 1, 1, 0 },
    [ACT_CONSENT_READ]    = { 0, 0, 1, 1, 1, 1, 1, 0 },
    [ACT_CONSENT_WRITE]   = { 0, 0, 1, 0, 0, 1, 1, 0 },
    /* The legal track is the police's, the prosecution's and the court's:
     * social workers and labour inspectors do not need it. The police
     * record the investigation, the authorisations the court granted them
     * and the referral to the prosecutor; the prosecution the charges,
     * verdict, sentence and appeal; the magistrate only reads. */
    [ACT_LEGAL_READ]      = { 0, 0, 1, 1, 1, 0, 0, 0 },
    [ACT_LEGAL_WRITE]     = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [ACT_LEGAL_INVESTIGATE] = { 0, 0, 1, 0, 0, 0, 0, 0 },
    [ACT_LEGAL_PROSECUTE] = { 0, 0, 0, 1, 0, 0, 0, 0 },
    /* judicial supervision: the legal steps and who read or changed what */
    [ACT_SUPERVISE]       = { 0, 0, 0, 0, 1, 0, 0, 0 },
    [ACT_EVENT_READ]      = { 0, 0, 1, 1, 1, 1, 1, 0 },
    [ACT_EVENT_WRITE]     = { 0, 0, 1, 0, 0, 1, 1, 0 },
    [ACT_TIMELINE_READ]   = { 0, 0, 1, 1, 1, 1, 1, 0 },
    /* The committee's meetings, measures and activities hold no personal
     * data: every member may read them, but the auditor, whose work is the
     * audit log alone. The secretariat keeps the minutes and the measures;
     * the agencies that own measures (police, prosecution, social work,
     * labour inspection) report their progress; the agencies that inspect,
     * train and campaign record their activities. The magistrate, the
     * admin and the auditor write none of it. */
    [ACT_COMMITTEE_READ]  = { 1, 1, 1, 1, 1, 1, 1, 0 },
    [ACT_COMMITTEE_WRITE] = { 0, 1, 0, 0, 0, 0, 0, 0 },
    [ACT_MEASURE_PROGRESS] = { 0, 1, 1, 1, 0, 1, 1, 0 },
    [ACT_ACTIVITY_WRITE]  = { 0, 1, 1, 0, 0, 1, 1, 0 },
};
/* clang-format on */

const char *role_name(enum role r)
{
    return (unsigned)r < ROLE_COUNT ? role_names[r] : "unknown";
}

int role_parse(const char *name)
{
    for (int i = 0; name && i < ROLE_COUNT; i++)
        if (strcmp(role_names[i], name) == 0)
            return i;
    return -1;
}

const char *action_name(enum action a)
{
    return (unsigned)a < ACT_COUNT ? action_names[a] : "unknown";
}

int policy_allows(int r, enum action a)
{
    if ((unsigned)a >= ACT_COUNT)
        return 0;
    if (a == ACT_PUBLIC)
        return 1;
    if (r < 0 || r >= ROLE_COUNT)
        return 0;
    return policy[a][r];
}
