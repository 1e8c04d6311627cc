/*
 * The access policy: one table of role x action. Every route names the action
 * it needs (src/web/routes.c) and the gate asks policy_allows() once; no
 * handler checks roles itself. Agency scoping (a case is visible only to its
 * owning organisation and to organisations whose referral was accepted) is the
 * route's scope, also enforced by the gate.
 */
#ifndef VIGIL_POLICY_H
#define VIGIL_POLICY_H

enum role {
    ROLE_ADMIN,
    ROLE_SECRETARIAT,
    ROLE_INVESTIGATOR,
    ROLE_PROSECUTOR,
    ROLE_MAGISTRATE,
    ROLE_CASEWORKER,
    ROLE_INSPECTOR,
    ROLE_AUDITOR,
    ROLE_COUNT
};

enum action {
    ACT_PUBLIC,  /* no login needed */
    ACT_SESSION, /* any logged-in user */
    ACT_CASE_LIST,
    ACT_CASE_READ, /* a case's non-personal fields */
    ACT_CASE_CREATE,
    ACT_CASE_UPDATE,
    ACT_PERSON_READ, /* personal fields of persons */
    ACT_PERSON_WRITE,
    ACT_NOTE_READ,
    ACT_NOTE_WRITE,
    ACT_REFERRAL_READ,
    ACT_REFERRAL_CREATE,
    ACT_REFERRAL_DECIDE,
    ACT_AUDIT_READ,
    ACT_USER_ADMIN,
    ACT_ORG_READ,
    ACT_STATS_READ,
    ACT_TIP_TRIAGE,      /* the tip queue: read tips, log hotline calls, triage */
    ACT_FEEDBACK_READ,   /* the page-feedback queue */
    ACT_FEEDBACK_REVIEW, /* mark feedback reviewed */
    /* write and publish public statements (the secretariat) */
    ACT_STATEMENT_WRITE,
    /* victim protection and the legal track */
    ACT_SCREENING_READ, /* screenings (indicator notes about a person) */
    ACT_SCREENING_WRITE,
    ACT_STATUS_READ, /* trafficking status decisions and their history */
    ACT_STATUS_DECIDE,
    ACT_SERVICE_READ, /* services and support plans (health, shelter, ...) */
    ACT_SERVICE_WRITE,
    ACT_CONSENT_READ,
    ACT_CONSENT_WRITE,
    ACT_LEGAL_READ,        /* the legal track */
    ACT_LEGAL_WRITE,       /* the route; each step also needs one of the next two */
    ACT_LEGAL_INVESTIGATE, /* investigation, authorisations, referral to the prosecutor */
    ACT_LEGAL_PROSECUTE,   /* charges, verdict, sentence, appeal */
    ACT_SUPERVISE,         /* the legal track with the case's whole audit trail */
    ACT_EVENT_READ,        /* recruitment / transit / exploitation events */
    ACT_EVENT_WRITE,
    ACT_TIMELINE_READ, /* a case's timeline (each part only with its own read right) */
    /* the committee: meetings, measures, prevention activities */
    ACT_COMMITTEE_READ,
    ACT_COMMITTEE_WRITE,  /* meetings and measures */
    ACT_MEASURE_PROGRESS, /* a dated progress update on a measure */
    ACT_ACTIVITY_WRITE,   /* record an inspection, training or awareness activity */
    ACT_COUNT
};

const char *role_name(enum role r);
/* The role for a name, or -1. */
int role_parse(const char *name);
const char *action_name(enum action a);
/* 1 when role r may perform action a. ACT_PUBLIC is allowed to everyone and
 * ACT_SESSION to every role. */
int policy_allows(int r, enum action a);

#endif
