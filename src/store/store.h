/*
 * The store: the only interface the rest of vigil sees for persistence.
 * Behind it are SQLite (the default; a file path or "sqlite:PATH") and
 * PostgreSQL ("postgresql://..."). No database type leaks through here.
 *
 * A struct store is one connection: use it from one thread at a time.
 * Every function returns a VIGIL_ code; on failure store_errmsg() says why.
 * Objects returned as json_t are new references the caller must decref.
 */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct buf; /* util/buf.h */

struct store;

int store_open(const char *uri, struct store **out, char *err, size_t errlen);
void store_close(struct store *st);
/* Apply pending migrations; *applied (may be NULL) counts them. */
int store_migrate(struct store *st, int *applied);
int store_schema_version(struct store *st, int *version);
const char *store_errmsg(struct store *st);
const char *store_kind(struct store *st);
/* VIGIL_OK when the database answers. */
int store_ping(struct store *st);
/* A write transaction. Writes between begin and commit are atomic and, at
 * commit, durable. Only one may be open on a handle. */
int store_begin(struct store *st);
/* A read snapshot for a series of reads (one request's), ended by
 * store_read_end() or by the next store_begin(). A no-op where it brings
 * nothing (PostgreSQL) or inside a write transaction. */
int store_read_begin(struct store *st);
void store_read_end(struct store *st);
/* Where the database stands, for caches of what was read from it: two
 * values that are equal at two moments only if nothing was committed in
 * between, by this handle or by anybody else (another thread, another
 * process, another server). Read inside a read snapshot it belongs to that
 * snapshot. On SQLite: PRAGMA data_version and the connection's own changes;
 * on PostgreSQL: the statement's snapshot (xmin:xmax:in-progress), hashed.
 * VIGIL_OK, or an error: then nothing may be cached. */
struct store_version {
    int64_t others, own; /* opaque: compare both */
};
int store_data_version(struct store *st, struct store_version *out);
int store_commit(struct store *st);
void store_rollback(struct store *st);
/* A consistent copy of the whole database into path (SQLite), online. */
int store_backup(struct store *st, const char *path, char *err, size_t errlen);
/* The database's own integrity check. */
int store_integrity(struct store *st, char *err, size_t errlen);

/* Copy every row of from into to, which must be migrated and empty. Sealed
 * fields and audit hashes are copied as they are. *rows counts the rows. */
int store_copy(struct store *from, struct store *to, int64_t *rows, char *err, size_t errlen);

/* ---- organisations and users ------------------------------------------ */

struct org {
    int64_t id;
    char code[17];
    char type[48];
    char name_zh[160], name_pt[160], name_en[160];
};

int store_org_add(struct store *st, struct org *o);
int store_org_by_code(struct store *st, const char *code, struct org *out);
int store_org_by_id(struct store *st, int64_t id, struct org *out);
/* *out is malloc'd; free() it. */
int store_org_list(struct store *st, struct org **out, size_t *n);

struct user {
    int64_t id;
    char username[65];
    char pw_hash[128];
    int role;
    int64_t org_id;
    char org_code[17];
    int disabled;
    int64_t created_at;
};

int store_user_add(struct store *st, struct user *u);
int store_user_by_name(struct store *st, const char *username, struct user *out);
int store_user_by_id(struct store *st, int64_t id, struct user *out);
int store_user_list(struct store *st, struct user **out, size_t *n);
int store_user_set_disabled(struct store *st, const char *username, int disabled);

/* ---- sessions and login throttling ------------------------------------ */

struct session {
    struct user user;
    char csrf[44];
    int64_t created_at, last_seen, expires_at;
};

int store_session_add(struct store *st, const char *token_hash, int64_t user_id, const char *csrf,
                      int64_t now, int64_t expires_at);
/* VIGIL_ENOTFOUND when no such session. */
int store_session_get(struct store *st, const char *token_hash, struct session *out);
int store_session_touch(struct store *st, const char *token_hash, int64_t now);
int store_session_delete(struct store *st, const char *token_hash);
int store_session_purge(struct store *st, int64_t now);
/* A session as its owner may see it (the token hash stays in the web
 * layer, which never shows it). */
struct session_brief {
    char token_hash[65];
    int64_t created_at, last_seen, expires_at;
};
/* The sessions of a user, oldest first; *out is malloc'd (free it). Expired
 * sessions not yet purged are included: the caller filters. */
int store_session_list(struct store *st, int64_t user_id, struct session_brief **out, size_t *n);
/* End every session of user_id but keep_hash; *ended counts them. */
int store_session_end_others(struct store *st, int64_t user_id, const char *keep_hash,
                             int64_t *ended);
/* Replace a user's password hash; VIGIL_ENOTFOUND when there is no such user. */
int store_user_set_password(struct store *st, int64_t user_id, const char *pw_hash);
int store_login_failure_add(struct store *st, const char *username, int64_t now);
int store_login_failures(struct store *st, const char *username, int64_t since, int64_t *count,
                         int64_t *latest);
int store_login_failures_clear(struct store *st, const char *username);

/* ---- cases ------------------------------------------------------------ */

/* Create a case from a validated body (core/case.h); assigns its reference
 * for the year of opened_on. *out is the stored case. */
int store_case_create(struct store *st, json_t *c, int64_t org_id, int64_t user_id, int64_t now,
                      json_t **out);
int store_case_get(struct store *st, int64_t id, json_t **out);
/* The same case as JSON text, appended to out (the API's answer), and its
 * version. */
int store_case_get_text(struct store *st, int64_t id, struct buf *out, int64_t *version);
/* 1 when org may see the case: it owns it or accepted a referral of it. */
int store_case_visible(struct store *st, int64_t case_id, int64_t org_id);
/* Apply a validated patch when the stored version is expected_version;
 * VIGIL_ECONFLICT otherwise. The version goes up by one. */
int store_case_update(struct store *st, int64_t id, int64_t expected_version, json_t *patch,
                      int64_t now, json_t **out);

struct case_filter {
    int64_t viewer_org; /* only cases visible to this organisation */
    const char *status, *category, *stage, *source;
    const char *from, *to; /* opened_on range, inclusive, YYYY-MM-DD */
    const char *org_code;  /* owning organisation */
    const char *q;         /* text in the reference or the notes */
    int64_t limit, offset;
};

/* *items is a new array of cases; *total counts all matches, capped at
 * STORE_COUNT_CAP + 1 so that a count never scans more than that. */
#define STORE_COUNT_CAP 10000
int store_case_list(struct store *st, const struct case_filter *f, json_t **items, int64_t *total);

/* ---- persons ---------------------------------------------------------- */

struct person_row {
    int64_t id, case_id;
    char role[16];
    unsigned char *sealed; /* malloc'd */
    size_t sealed_len;
    json_t *plain; /* non-personal fields */
    char *trafficking_status;
    int64_t created_at;
};

int store_person_add(struct store *st, int64_t case_id, const char *role, const void *sealed,
                     size_t sealed_len, json_t *plain, int age, int64_t user_id, int64_t now,
                     int64_t *id);
int store_person_list(struct store *st, int64_t case_id, struct person_row **out, size_t *n);
void store_person_rows_free(struct person_row *rows, size_t n);

/* ---- notes ------------------------------------------------------------ */

int store_note_add(struct store *st, int64_t case_id, int64_t user_id, const char *text,
                   int64_t now, json_t **out);
int store_note_list(struct store *st, int64_t case_id, json_t **out);

/* ---- referrals -------------------------------------------------------- */

int store_referral_add(struct store *st, int64_t case_id, int64_t from_org, int64_t to_org,
                       const char *reason, const char *details, int64_t user_id, int64_t now,
                       json_t **out);
int store_referral_get(struct store *st, int64_t id, json_t **out);
/* Move a pending referral to state; VIGIL_ECONFLICT unless it is pending. */
int store_referral_decide(struct store *st, int64_t id, const char *state, int64_t user_id,
                          int64_t now, json_t **out);
int store_referral_list(struct store *st, int64_t case_id, int64_t to_org, const char *state,
                        json_t **out);

/* ---- victim protection and the legal track (protection.c) ------------ */

/* Lists are arrays of objects; a sealed column comes back hex-encoded under
 * "sealed" for the caller to open. */
/* The role of a person of the case; VIGIL_ENOTFOUND when not in the case. */
int store_person_role(struct store *st, int64_t case_id, int64_t person_id, char role[16]);
int store_screening_add(struct store *st, int64_t case_id, int64_t person_id, int child,
                        const void *sealed, size_t n, const char *recommendation, int complete,
                        const char *on, int64_t user_id, int64_t now, int64_t *id);
int store_screening_list(struct store *st, int64_t case_id, json_t **out);
/* Record a decision in the history and set the person's current status. */
int store_status_decide(struct store *st, int64_t case_id, int64_t person_id, const char *status,
                        const char *org, const char *on, const void *sealed, size_t n,
                        int64_t user_id, int64_t now, int64_t *id);
/* The decisions of a case (person_id 0) or of one person, oldest first. */
int store_status_history(struct store *st, int64_t case_id, int64_t person_id, json_t **out);
int store_service_add(struct store *st, int64_t case_id, int64_t person_id, const char *type,
                      const void *sealed, size_t n, const char *planned_end, const char *actual_end,
                      const char *state, int64_t provider_org, int64_t user_id, int64_t now,
                      int64_t *id);
int store_service_get(struct store *st, int64_t case_id, int64_t id, json_t **out);
/* Write every column (objectives only when set_sealed) while the service is
 * still at version, and add one to it; VIGIL_ECONFLICT when it no longer is. */
int store_service_update(struct store *st, int64_t id, int64_t version, const char *type,
                         int set_sealed, const void *sealed, size_t n, const char *planned_end,
                         const char *actual_end, const char *state, int64_t provider_org,
                         int64_t now);
int store_service_list(struct store *st, int64_t case_id, json_t **out);
/* Planned or active services of a provider past their planned end, in
 * cases the provider may see. */
int store_service_overdue(struct store *st, int64_t provider_org, const char *today, json_t **out);
int store_consent_add(struct store *st, int64_t case_id, int64_t person_id, const char *purpose,
                      int granted, int64_t user_id, int64_t now, int64_t *id);
int store_consent_history(struct store *st, int64_t person_id, json_t **out);
int store_consent_case(struct store *st, int64_t case_id, json_t **out);
/* The victims of a case whose latest answer for purpose is not a grant:
 * an array of {"person_id"}. */
int store_consent_missing(struct store *st, int64_t case_id, const char *purpose, json_t **out);
int store_consent_override_add(struct store *st, int64_t case_id, int64_t referral_id,
                               const char *purpose, const void *sealed, size_t n, int64_t user_id,
                               int64_t now, int64_t *id);
/* A legal step; attrs is its typed fields as a JSON object text. */
int store_legal_add(struct store *st, int64_t case_id, const char *type, const char *on,
                    const char *attrs, int64_t court_org, int64_t user_id, int64_t now,
                    int64_t *id);
int store_legal_list(struct store *st, int64_t case_id, json_t **out);
/* Let org see the case (case_access), if it does not already. */
int store_case_grant(struct store *st, int64_t case_id, int64_t org_id);
int store_event_add(struct store *st, int64_t case_id, const char *type, const char *date,
                    const char *city, const char *country, const void *sealed, size_t n,
                    int64_t user_id, int64_t now, int64_t *id);
int store_event_list(struct store *st, int64_t case_id, json_t **out);
/* The audit entries whose object is object or lies under "object/", oldest
 * first, at most limit (0: all): {"id","at","username","action","object",
 * "detail","hash"}. */
int store_audit_object(struct store *st, const char *object, int64_t limit, json_t **out);

/* ---- the public side: tips and page feedback ------------------------ */

struct tip_row {
    int64_t id, case_id, created_at, updated_at, additions;
    char channel[16], state[16];
    char *close_reason;    /* malloc'd or NULL */
    unsigned char *sealed; /* malloc'd */
    size_t sealed_len;
};

int store_tip_add(struct store *st, const char *code_hash, const char *channel, const void *sealed,
                  size_t n, int64_t logged_by, int64_t now, int64_t *id);
/* VIGIL_ENOTFOUND when no tip has that code. */
int store_tip_by_code(struct store *st, const char *code_hash, struct tip_row *out);
int store_tip_by_id(struct store *st, int64_t id, struct tip_row *out);
void store_tip_row_free(struct tip_row *r);
int store_tip_addition_add(struct store *st, int64_t tip_id, const void *sealed, size_t n,
                           int64_t now);
/* The additions of a tip, oldest first: an array of {"sealed": hex, "created_at"}. */
int store_tip_additions(struct store *st, int64_t tip_id, json_t **out);
/* Tips in the triage queue, newest first; state NULL for all. */
int store_tip_list(struct store *st, const char *state, int64_t limit, int64_t offset,
                   struct tip_row **out, size_t *n);
/* Move a tip to state (reviewing, promoted with case_id, closed with reason). */
int store_tip_triage(struct store *st, int64_t id, const char *state, const char *reason,
                     int64_t case_id, int64_t user_id, int64_t now);
int store_feedback_add(struct store *st, const char *page, const char *message,
                       const void *sealed_contact, size_t n, const char *lang, int64_t now,
                       int64_t *id);
/* Feedback, newest first, as objects {"id","page","message","lang","state",
 * "created_at","has_contact"}. */
int store_feedback_list(struct store *st, const char *state, int64_t limit, json_t **out);
/* Mark new feedback reviewed; VIGIL_ECONFLICT when it already is,
 * VIGIL_ENOTFOUND when there is no such feedback. */
int store_feedback_review(struct store *st, int64_t id, int64_t now);

/* ---- public statements (005_statements.sql) -------------------------- */

/* A statement as an object {"id","state","published_at","version",
 * "created_at","updated_at","title_zh","body_zh","title_pt","body_pt",
 * "title_en","body_en"}; a missing translation is "". */
/* A new draft from the text fields of fields (title_zh and body_zh set). */
int store_statement_add(struct store *st, json_t *fields, int64_t user_id, int64_t now,
                        int64_t *id);
/* VIGIL_ENOTFOUND when there is no such statement. */
int store_statement_get(struct store *st, int64_t id, json_t **out);
/* Change the text fields present in patch (null or "" clears a translation)
 * at version; VIGIL_ECONFLICT when the version is stale. */
int store_statement_update(struct store *st, int64_t id, int64_t version, json_t *patch,
                           int64_t now, json_t **out);
/* Publish a draft (a published statement stays as it is). */
int store_statement_publish(struct store *st, int64_t id, int64_t now, json_t **out);
/* Statements in state (NULL for all), newest first: an array. */
int store_statement_list(struct store *st, const char *state, int64_t limit, json_t **out);

/* ---- the committee (committee.c, 007_committee.sql) ------------------ */

/* A meeting as {"id","held_on","title","state","agenda":[text],"minutes",
 * "decisions":[text],"attendees":["CODE",...],"version","created_at",
 * "updated_at"}; state is planned, held or approved (core/committee.h). */
/* A new meeting from validated fields (attendees as organisation ids under
 * "attendee_ids"; store_meeting_update replaces them when its patch has
 * that key). */
int store_meeting_add(struct store *st, json_t *fields, int64_t user_id, int64_t now, int64_t *id);
/* VIGIL_ENOTFOUND when there is no such meeting. */
int store_meeting_get(struct store *st, int64_t id, json_t **out);
/* Change the fields present in patch at version; VIGIL_ECONFLICT when the
 * version is stale. */
int store_meeting_update(struct store *st, int64_t id, int64_t version, json_t *patch, int64_t now,
                         json_t **out);
/* Meetings held between from and to (inclusive; NULL: open), newest first. */
int store_meeting_list(struct store *st, const char *from, const char *to, int64_t limit,
                       json_t **out);

/* A measure as {"id","title","meeting_id","meeting_on","owner":"CODE",
 * "due_on","state","done_on","version","created_at","updated_at",
 * "last_update":{"updated_on","state","note"}|null}; store_measure_get adds
 * "updates":[{"id","updated_on","state","note","by","created_at"}], oldest
 * first. state is open, in_progress, done or dropped. */
/* The owner is "owner_id" (an organisation id) or else the code "owner"
 * (VIGIL_EINVAL when no organisation has it); the same in an update's patch,
 * where "meeting_id": null detaches the measure from its meeting. */
int store_measure_add(struct store *st, json_t *fields, int64_t user_id, int64_t now, int64_t *id);
int store_measure_get(struct store *st, int64_t id, json_t **out);
int store_measure_update(struct store *st, int64_t id, int64_t version, json_t *patch, int64_t now,
                         json_t **out);
/* A dated progress update; it also moves the measure to state (and sets
 * done_on when state is done) and bumps its version. */
int store_measure_progress(struct store *st, int64_t id, const char *on, const char *state,
                           const char *note, int64_t user_id, int64_t now, int64_t *update_id);
/* Measures in state (NULL: all) of owner (NULL: any), by due date. */
int store_measure_list(struct store *st, const char *state, const char *owner_code, json_t **out);
/* Open or in-progress measures whose due date is before today, by due date. */
int store_measure_overdue(struct store *st, const char *today, json_t **out);

/* An activity as {"id","kind","org":"CODE","held_on","title","sites",
 * "workers_reached","officials_trained","people_reached","created_at"};
 * kind is inspection, training or awareness. */
/* The organisation is "org_id" or else the code "org"; counts not in fields
 * are 0. */
int store_activity_add(struct store *st, json_t *fields, int64_t user_id, int64_t now, int64_t *id);
/* Activities held between from and to (inclusive; NULL: open) of kind
 * (NULL: all), oldest first. */
int store_activity_list(struct store *st, const char *from, const char *to, const char *kind,
                        json_t **out);

/* ---- exchange ---------------------------------------------------------- */

/* Call fn for every person with the case it belongs to, in case then person
 * order, leaving out persons whose latest data_sharing consent is a
 * withdrawal (this scan feeds data exchange); stops when fn returns non-zero
 * and returns that. */
int store_person_scan(struct store *st, int (*fn)(void *ctx, json_t *c, const struct person_row *p),
                      void *ctx);
int store_dataset_add(struct store *st, const char *name, const char *format, const char *by,
                      int64_t now, int64_t *id);
int store_dataset_finish(struct store *st, int64_t id, int64_t read, int64_t imported,
                         int64_t rejected);
/* One statistical record: attrs is a JSON object of attribute -> value. */
int store_stat_record_add(struct store *st, int64_t dataset_id, int64_t line, const char *attrs);
int store_stat_record_count(struct store *st, int64_t dataset_id, int64_t *n);

/* ---- audit ------------------------------------------------------------ */

struct audit_row {
    int64_t id, at, user_id;
    const char *username, *action, *object, *detail;
    char prev_hash[65], hash[65];
};

/* The last entry's id and hash ("" and 0 when empty). Call inside a
 * transaction; on PostgreSQL it also takes the chain lock. */
int store_audit_head(struct store *st, int64_t *id, char hash[65]);
int store_audit_insert(struct store *st, const struct audit_row *r);
/* Call fn for each entry with id > after, in id order, at most limit
 * (0: all); stops early when fn returns non-zero and returns that. */
int store_audit_scan(struct store *st, int64_t after, int64_t limit,
                     int (*fn)(void *ctx, const struct audit_row *r), void *ctx);

/* ---- TIP reports and the response (tipreports.c, 011_tip_reports.sql) --- */

/* A report as {"id","year","tier","published_on","period_from","period_to",
 * "notes_en","notes_zh","notes_pt","version","created_at","updated_at"}. */
int store_tipreport_add(struct store *st, json_t *fields, const char *period_from,
                        const char *period_to, int64_t user_id, int64_t now, int64_t *id);
int store_tipreport_get(struct store *st, int64_t id, json_t **out);
int store_tipreport_by_year(struct store *st, int year, json_t **out);
/* Every report, newest year first. */
int store_tipreport_list(struct store *st, json_t **out);
/* tier, published_on (null clears), notes_* at version; VIGIL_ECONFLICT when
 * stale. */
int store_tipreport_update(struct store *st, int64_t id, int64_t version, json_t *patch,
                           int64_t now, json_t **out);
/* A recommendation as {"id","report_id","seq","text_en","text_zh","text_pt",
 * "position_en","position_zh","position_pt","assessment"|null,"version",
 * "measures_total","measures_begun","measures_done","measures":[{"id",
 * "title","state","owner","due_on","done_on","last_note","last_update_on"}],
 * "figures":[{"id","label_en","label_zh","label_pt","table","row","column",
 * "period"}],"created_at","updated_at"}; the next seq of its report. */
int store_recommendation_add(struct store *st, int64_t report_id, json_t *fields, int64_t now,
                             int64_t *id);
int store_recommendation_get(struct store *st, int64_t id, json_t **out);
/* The recommendations of a report in seq order. */
int store_recommendation_list(struct store *st, int64_t report_id, json_t **out);
/* The text fields present in patch ("" or null clears a translation) and the
 * assessment when present (null: back to the measures' state), at version. */
int store_recommendation_update(struct store *st, int64_t id, int64_t version, json_t *patch,
                                int64_t now, json_t **out);
/* Replace the measures linked to a recommendation; VIGIL_ENOTFOUND when a
 * measure does not exist (call inside a transaction). */
int store_recommendation_set_measures(struct store *st, int64_t id, const int64_t *measure_ids,
                                      size_t n);
int store_recommendation_figure_add(struct store *st, int64_t rec_id, json_t *fields, int64_t now,
                                    int64_t *id);
/* ---- statistics (stats.c, 008_stats.sql) ----------------------------- */

/* The aggregate counts behind report/stats.h, one figure family per call.
 * Each family is one GROUP BY query over one period: from..to (dates
 * YYYY-MM-DD, inclusive) for what is dated, t0..t1 (Unix seconds, t0
 * included, t1 not) for what is timestamped. fn is called once per group
 * with the group's keys (never NULL; "unknown" where the value is missing)
 * and counts; when fn returns non-zero the scan stops and that is returned.
 * Victims whose latest "statistics" consent is a withdrawal are left out of
 * every family that looks at victims (docs/decisions.md). The families,
 * with their keys -> counts:
 *   STATS_CASES        cases opened:     category, source, org code -> cases
 *   STATS_CASE_EXPL    cases opened:     exploitation type -> cases (a case
 *                      once per type of its victims; "unknown" when none)
 *   STATS_VICTIMS      victims of cases opened: gender, age band -> persons
 *   STATS_VICTIM_CITIZENSHIP                  citizenship -> persons
 *   STATS_VICTIM_EXPL                         exploitation type -> persons
 *   STATS_REFERRALS    referrals made (t): receiving org code -> made, accepted
 *   STATS_SERVICES     services recorded (t), not cancelled: spl_Type -> services
 *   STATS_LEGAL        measure (investigations, prosecutions, convictions),
 *                      exploitation of the case's first charge -> cases
 *   STATS_STATUTES     charges: statute, article, exploitation -> charges
 *   STATS_SENTENCES    sentences: band ("<1y" ... "10y+") -> sentences
 *   STATS_TIPS         tips received (t): channel -> tips
 *   STATS_ACTIVITIES   activities held: kind -> activities, sites,
 *                      workers_reached, officials_trained, people_reached
 *   STATS_CASES_BY_YEAR / STATS_CASES_BY_MONTH: "YYYY" / "YYYY-MM",
 *                      category -> cases
 *   STATS_VICTIMS_BY_YEAR  "YYYY" of the case's opening, gender -> persons
 *   STATS_LEGAL_BY_YEAR    "YYYY", measure -> cases */
enum stats_family {
    STATS_CASES,
    STATS_CASE_EXPL,
    STATS_VICTIMS,
    STATS_VICTIM_CITIZENSHIP,
    STATS_VICTIM_EXPL,
    STATS_REFERRALS,
    STATS_SERVICES,
    STATS_LEGAL,
    STATS_STATUTES,
    STATS_SENTENCES,
    STATS_TIPS,
    STATS_ACTIVITIES,
    STATS_CASES_BY_YEAR,
    STATS_CASES_BY_MONTH,
    STATS_VICTIMS_BY_YEAR,
    STATS_LEGAL_BY_YEAR,
    STATS_NFAMILIES
};
typedef int (*stats_row_fn)(void *ctx, const char *const *keys, const int64_t *counts);
int store_stats(struct store *st, enum stats_family f, const char *from, const char *to, int64_t t0,
                int64_t t1, stats_row_fn fn, void *ctx);
/* One consistent state for a series of store_stats() calls: a read snapshot
 * on SQLite, a REPEATABLE READ, READ ONLY transaction on PostgreSQL. *began
 * says whether this call opened it; if so, end it with store_stats_end().
 * Nothing is opened inside a write transaction or an open read snapshot. */
int store_stats_begin(struct store *st, int *began);
void store_stats_end(struct store *st);
/* ---- sealed columns and key rotation (reseal.c) ---------------------- */

/* A sealed column: the value of row id was sealed under the associated data
 * ad_prefix followed by the row's ad_column as a number (NULL: the prefix
 * alone). */
struct sealed_column {
    const char *table, *column, *ad_prefix, *ad_column;
};
/* Every sealed column of the schema; ends with a NULL table. */
extern const struct sealed_column store_sealed_columns[];
/* Given a sealed value and its associated data: 0 with *out (malloc'd) to
 * store instead, 1 to keep it as it is, or a negative VIGIL_ code to stop. */
typedef int (*store_reseal_fn)(void *ctx, const struct sealed_column *c, int64_t id, const char *ad,
                               const void *sealed, size_t n, unsigned char **out, size_t *outn);
/* One batch in one transaction: the next (at most) limit rows of c with id >
 * after and a value, through fn; *last is the last id seen (== after when
 * there were none), *changed and *kept count them. On any failure the
 * batch is rolled back (*changed 0) and the code returned. */
int store_reseal_batch(struct store *st, const struct sealed_column *c, int64_t after,
                       int64_t limit, store_reseal_fn fn, void *ctx, int64_t *last,
                       int64_t *changed, int64_t *kept);
/* ---- releases (releases.c, 009_releases.sql) ---------------------------- */

/* Imported datasets, newest first: [{"id","name","format","imported_at",
 * "imported_by","rows_imported"}]. */
int store_dataset_list(struct store *st, json_t **out);
/* One dataset as in the list; VIGIL_ENOTFOUND when there is none. */
int store_dataset_get(struct store *st, int64_t id, json_t **out);
/* Call fn for each statistical record of a dataset, in line order (attrs is
 * its JSON object text); stops when fn returns non-zero and returns that.
 * The records are read first, so fn may use the store. */
int store_stat_record_scan(struct store *st, int64_t dataset_id,
                           int (*fn)(void *ctx, int64_t line, const char *attrs), void *ctx);

/* A release's metadata; epsilon and delta are decimal texts or NULL, summary
 * a JSON object text (the evaluation or the DP parameters). */
struct release_meta {
    const char *source; /* "cases" or "dataset:ID" */
    const char *mode;   /* aggregates, synthetic or dp */
    int64_t k, length;
    const char *epsilon, *delta;
    int64_t records;
    const char *summary;
};
int store_release_add(struct store *st, const struct release_meta *m, int64_t user_id, int64_t now,
                      int64_t *id);
int store_release_file_add(struct store *st, int64_t release_id, const char *name, const void *data,
                           size_t len);
/* A release as {"id","source","mode","k","length","epsilon","delta",
 * "records","created_by":"username","created_at","evaluation":{summary},
 * "files":[{"name","size"}]} (epsilon and delta numbers or null);
 * VIGIL_ENOTFOUND when there is none. */
int store_release_get(struct store *st, int64_t id, json_t **out);
/* Releases, newest first, as above without evaluation and files. */
int store_release_list(struct store *st, int64_t limit, json_t **out);
/* A release's file: *data is malloc'd (free() it); VIGIL_ENOTFOUND when the
 * release has no such file. */
int store_release_file(struct store *st, int64_t release_id, const char *name, void **data,
                       size_t *len);

#endif
