/*
 * Victim protection and the legal track in the store: screenings, status
 * decisions, services, consent, consent overrides, legal steps, events, and
 * the audit trail of one case. Sealed columns are returned hex-encoded under
 * "sealed"; the caller opens them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/db.h"
#include "util/err.h"
#include "util/timeutil.h"

/* One row as an object, by a spec of "name:kind" pairs in column order:
 * i integer, t text, b blob (hex under "sealed"), s a time (ISO 8601),
 * B a boolean, o a JSON object whose members are merged in. */
static json_t *row_obj(struct q *q, const char *spec)
{
    json_t *o = json_object();
    int col = 0;
    const char *p = spec;
    while (*p) {
        size_t len = strcspn(p, ":");
        char name[48];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        char kind = p[len + 1];
        p += len + 2;
        if (*p == ',')
            p++;
        if (q_col_null(q, col)) {
            if (kind != 'b' && kind != 'o')
                json_object_set_new(o, name, json_null());
            col++;
            continue;
        }
        switch (kind) {
        case 'i':
            json_object_set_new(o, name, json_integer(q_col_int(q, col)));
            break;
        case 'B':
            json_object_set_new(o, name, json_boolean(q_col_int(q, col) != 0));
            break;
        case 's': {
            char ts[21];
            time_iso(q_col_int(q, col), ts);
            json_object_set_new(o, name, json_string(ts));
            break;
        }
        case 'b': {
            size_t n = 0;
            const unsigned char *b = q_col_blob(q, col, &n);
            char *hex = malloc(n * 2 + 1);
            if (hex) {
                sodium_bin2hex(hex, n * 2 + 1, b, n);
                json_object_set_new(o, "sealed", json_string(hex));
                free(hex);
            }
            break;
        }
        case 'o': {
            json_t *x = json_loads(q_col_text(q, col), 0, NULL);
            if (json_is_object(x))
                json_object_update(o, x);
            json_decref(x);
            break;
        }
        default:
            json_object_set_new(o, name, json_string(q_col_text(q, col)));
        }
        col++;
    }
    return o;
}

/* Run an opened statement and collect its rows by spec. */
static int rows(struct q *q, const char *spec, json_t **out)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = q_step(q)) == 1)
        json_array_append_new(arr, row_obj(q, spec));
    q_done(q);
    if (rc < 0) {
        json_decref(arr);
        return -rc;
    }
    *out = arr;
    return VIGIL_OK;
}

static void opt_blob(struct q *q, int i, const void *b, size_t n)
{
    if (b)
        q_blob(q, i, b, n);
    else
        q_null(q, i);
}

static void opt_int(struct q *q, int i, int64_t v)
{
    if (v)
        q_int(q, i, v);
    else
        q_null(q, i);
}

static int insert_id(struct q *q, int64_t *id)
{
    int rc = q_step(q);
    if (rc == 1 && id)
        *id = q_col_int(q, 0);
    q_done(q);
    return rc < 0 ? -rc : VIGIL_OK;
}

int store_person_role(struct store *st, int64_t case_id, int64_t person_id, char role[16])
{
    static const char sql[] = "SELECT role FROM persons WHERE id = ?1 AND case_id = ?2";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, person_id);
    q_int(&q, 2, case_id);
    int rc = q_step(&q);
    if (rc == 1)
        snprintf(role, 16, "%s", q_col_text(&q, 0));
    q_done(&q);
    return rc < 0 ? -rc : rc == 1 ? VIGIL_OK : VIGIL_ENOTFOUND;
}

int store_screening_add(struct store *st, int64_t case_id, int64_t person_id, int child,
                        const void *sealed, size_t n, const char *recommendation, int complete,
                        const char *on, int64_t user_id, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO screenings(case_id, person_id, child, sealed, recommendation, complete, "
        "assessor_id, screened_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    q_int(&q, 2, person_id);
    q_int(&q, 3, child != 0);
    q_blob(&q, 4, sealed, n);
    q_text(&q, 5, recommendation);
    q_int(&q, 6, complete != 0);
    opt_int(&q, 7, user_id);
    q_text(&q, 8, on);
    q_int(&q, 9, now);
    return insert_id(&q, id);
}

int store_screening_list(struct store *st, int64_t case_id, json_t **out)
{
    static const char sql[] =
        "SELECT s.id, s.person_id, s.child, s.sealed, s.recommendation, s.complete, "
        "u.username, s.screened_on, s.created_at FROM screenings s "
        "LEFT JOIN users u ON u.id = s.assessor_id WHERE s.case_id = ?1 ORDER BY s.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    return rows(&q,
                "id:i,person_id:i,child:B,sealed:b,recommendation:t,complete:B,assessor:t,"
                "screened_on:t,created_at:s",
                out);
}

int store_status_decide(struct store *st, int64_t case_id, int64_t person_id, const char *status,
                        const char *org, const char *on, const void *sealed, size_t n,
                        int64_t user_id, int64_t now, int64_t *id)
{
    static const char ins[] =
        "INSERT INTO status_decisions(case_id, person_id, status, decision_org, decided_on, "
        "sealed_reason, decided_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        "RETURNING id";
    static const char upd[] =
        "UPDATE persons SET trafficking_status = ?1, updated_at = ?2 WHERE id = ?3";
    struct q q;
    if (q_open(&q, st, ins))
        return q.rc;
    q_int(&q, 1, case_id);
    q_int(&q, 2, person_id);
    q_text(&q, 3, status);
    q_text(&q, 4, org);
    q_text(&q, 5, on);
    opt_blob(&q, 6, sealed, n);
    opt_int(&q, 7, user_id);
    q_int(&q, 8, now);
    int rc = insert_id(&q, id);
    if (rc)
        return rc;
    if (q_open(&q, st, upd))
        return q.rc;
    q_text(&q, 1, status);
    q_int(&q, 2, now);
    q_int(&q, 3, person_id);
    return q_exec(&q);
}

int store_status_history(struct store *st, int64_t case_id, int64_t person_id, json_t **out)
{
    static const char sql[] =
        "SELECT d.id, d.person_id, d.status, d.decision_org, d.decided_on, d.sealed_reason, "
        "u.username, d.created_at FROM status_decisions d "
        "LEFT JOIN users u ON u.id = d.decided_by "
        "WHERE d.case_id = ?1 AND (?2 = 0 OR d.person_id = ?2) ORDER BY d.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    q_int(&q, 2, person_id);
    return rows(&q,
                "id:i,person_id:i,vic_TraffickingStatus:t,"
                "vic_TraffickingStatusDecisionMakingOrg:t,decided_on:t,sealed:b,decided_by:t,"
                "created_at:s",
                out);
}

#define SERVICE_SELECT                                                                             \
    "SELECT s.id, s.case_id, s.person_id, s.spl_type, s.sealed_objectives, s.planned_end, "        \
    "s.actual_end, s.state, o.code, s.version, s.created_at, s.updated_at FROM services s "        \
    "JOIN organisations o ON o.id = s.provider_org "
#define SERVICE_SPEC                                                                               \
    "id:i,case_id:i,person_id:i,spl_Type:t,sealed:b,spl_PlannedEndDate:t,"                         \
    "spl_ActualEndDate:t,state:t,provider:t,version:i,created_at:s,updated_at:s"

int store_service_add(struct store *st, int64_t case_id, int64_t person_id, const char *type,
                      const void *sealed, size_t n, const char *planned_end, const char *actual_end,
                      const char *state, int64_t provider_org, int64_t user_id, int64_t now,
                      int64_t *id)
{
    static const char sql[] =
        "INSERT INTO services(case_id, person_id, spl_type, sealed_objectives, planned_end, "
        "actual_end, state, provider_org, created_by, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    opt_int(&q, 2, person_id);
    q_text(&q, 3, type);
    opt_blob(&q, 4, sealed, n);
    q_text(&q, 5, planned_end);
    q_text(&q, 6, actual_end);
    q_text(&q, 7, state);
    q_int(&q, 8, provider_org);
    opt_int(&q, 9, user_id);
    q_int(&q, 10, now);
    return insert_id(&q, id);
}

int store_service_get(struct store *st, int64_t case_id, int64_t id, json_t **out)
{
    static const char sql[] = SERVICE_SELECT "WHERE s.id = ?1 AND s.case_id = ?2";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_int(&q, 2, case_id);
    json_t *arr;
    int rc = rows(&q, SERVICE_SPEC, &arr);
    if (rc)
        return rc;
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return VIGIL_ENOTFOUND;
    }
    *out = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return VIGIL_OK;
}

int store_service_update(struct store *st, int64_t id, int64_t version, const char *type,
                         int set_sealed, const void *sealed, size_t n, const char *planned_end,
                         const char *actual_end, const char *state, int64_t provider_org,
                         int64_t now)
{
    /* Every column is written: the caller merges the change into the stored
     * service first. */
    static const char sql[] =
        "UPDATE services SET spl_type = ?2, planned_end = ?3, actual_end = ?4, state = ?5, "
        "provider_org = ?6, updated_at = ?7, version = version + 1 "
        "WHERE id = ?1 AND version = ?8 RETURNING id";
    static const char seal[] = "UPDATE services SET sealed_objectives = ?2 WHERE id = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, id);
    q_text(&q, 2, type);
    q_text(&q, 3, planned_end);
    q_text(&q, 4, actual_end);
    q_text(&q, 5, state);
    q_int(&q, 6, provider_org);
    q_int(&q, 7, now);
    q_int(&q, 8, version);
    int rc = q_step(&q);
    q_done(&q);
    if (rc < 0)
        return -rc;
    if (rc == 0) /* changed by someone else since it was read */
        return VIGIL_ECONFLICT;
    if (!set_sealed)
        return VIGIL_OK;
    if (q_open(&q, st, seal))
        return q.rc;
    q_int(&q, 1, id);
    opt_blob(&q, 2, sealed, n);
    return q_exec(&q);
}

int store_service_list(struct store *st, int64_t case_id, json_t **out)
{
    static const char sql[] = SERVICE_SELECT "WHERE s.case_id = ?1 ORDER BY s.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    return rows(&q, SERVICE_SPEC, out);
}

int store_service_overdue(struct store *st, int64_t provider_org, const char *today, json_t **out)
{
    static const char sql[] =
        "SELECT s.id, s.case_id, c.reference, s.spl_type, s.planned_end, s.state "
        "FROM services s JOIN cases c ON c.id = s.case_id "
        "WHERE s.provider_org = ?1 AND s.state IN ('planned', 'active') "
        "AND s.planned_end IS NOT NULL AND s.planned_end < ?2 "
        "AND EXISTS (SELECT 1 FROM case_access a WHERE a.org_id = ?1 AND a.case_id = s.case_id) "
        "ORDER BY s.planned_end, s.id LIMIT 1000";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, provider_org);
    q_text(&q, 2, today);
    return rows(&q, "id:i,case_id:i,reference:t,spl_Type:t,spl_PlannedEndDate:t,state:t", out);
}

int store_consent_add(struct store *st, int64_t case_id, int64_t person_id, const char *purpose,
                      int granted, int64_t user_id, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO consents(case_id, person_id, purpose, granted, recorded_by, recorded_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    q_int(&q, 2, person_id);
    q_text(&q, 3, purpose);
    q_int(&q, 4, granted != 0);
    opt_int(&q, 5, user_id);
    q_int(&q, 6, now);
    return insert_id(&q, id);
}

int store_consent_history(struct store *st, int64_t person_id, json_t **out)
{
    static const char sql[] =
        "SELECT k.id, k.person_id, k.purpose, k.granted, u.username, k.recorded_at "
        "FROM consents k LEFT JOIN users u ON u.id = k.recorded_by "
        "WHERE k.person_id = ?1 ORDER BY k.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, person_id);
    return rows(&q, "id:i,person_id:i,purpose:t,granted:B,recorded_by:t,recorded_at:s", out);
}

int store_consent_case(struct store *st, int64_t case_id, json_t **out)
{
    static const char sql[] =
        "SELECT k.id, k.person_id, k.purpose, k.granted, u.username, k.recorded_at "
        "FROM consents k LEFT JOIN users u ON u.id = k.recorded_by "
        "WHERE k.case_id = ?1 ORDER BY k.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    return rows(&q, "id:i,person_id:i,purpose:t,granted:B,recorded_by:t,recorded_at:s", out);
}

int store_consent_missing(struct store *st, int64_t case_id, const char *purpose, json_t **out)
{
    /* a victim whose latest answer for the purpose is not a grant */
    static const char sql[] =
        "SELECT p.id FROM persons p WHERE p.case_id = ?1 AND p.role = 'victim' "
        "AND COALESCE((SELECT k.granted FROM consents k WHERE k.person_id = p.id "
        "AND k.purpose = ?2 ORDER BY k.id DESC LIMIT 1), 0) = 0 ORDER BY p.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    q_text(&q, 2, purpose);
    return rows(&q, "person_id:i", out);
}

int store_consent_override_add(struct store *st, int64_t case_id, int64_t referral_id,
                               const char *purpose, const void *sealed, size_t n, int64_t user_id,
                               int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO consent_overrides(case_id, referral_id, purpose, sealed_reason, "
        "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    q_int(&q, 2, referral_id);
    q_text(&q, 3, purpose);
    q_blob(&q, 4, sealed, n);
    opt_int(&q, 5, user_id);
    q_int(&q, 6, now);
    return insert_id(&q, id);
}

int store_legal_add(struct store *st, int64_t case_id, const char *type, const char *on,
                    const char *attrs, int64_t court_org, int64_t user_id, int64_t now, int64_t *id)
{
    /* The fields the statistics group on are also kept in columns
     * (008_stats.sql). */
    static const char sql[] =
        "INSERT INTO legal_steps(case_id, step_type, step_on, attrs, court_org, created_by, "
        "created_at, exploitation, statute, article, outcome, months) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id";
    json_t *a = json_loads(attrs, 0, NULL);
    json_t *months = json_object_get(a, "months");
    struct q q;
    if (q_open(&q, st, sql)) {
        json_decref(a);
        return q.rc;
    }
    q_int(&q, 1, case_id);
    q_text(&q, 2, type);
    q_text(&q, 3, on);
    q_text(&q, 4, attrs);
    opt_int(&q, 5, court_org);
    opt_int(&q, 6, user_id);
    q_int(&q, 7, now);
    q_text(&q, 8, json_string_value(json_object_get(a, "exploitation")));
    q_text(&q, 9, json_string_value(json_object_get(a, "statute")));
    q_text(&q, 10, json_string_value(json_object_get(a, "article")));
    q_text(&q, 11, json_string_value(json_object_get(a, "outcome")));
    if (json_is_integer(months))
        q_int(&q, 12, json_integer_value(months));
    else
        q_null(&q, 12);
    json_decref(a);
    return insert_id(&q, id);
}

int store_legal_list(struct store *st, int64_t case_id, json_t **out)
{
    static const char sql[] =
        "SELECT l.id, l.step_type, l.step_on, l.attrs, u.username, l.created_at "
        "FROM legal_steps l LEFT JOIN users u ON u.id = l.created_by "
        "WHERE l.case_id = ?1 ORDER BY l.step_on, l.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    return rows(&q, "id:i,type:t,on:t,attrs:o,recorded_by:t,created_at:s", out);
}

int store_case_grant(struct store *st, int64_t case_id, int64_t org_id)
{
    return store_access_grant(st, org_id, case_id);
}

int store_event_add(struct store *st, int64_t case_id, const char *type, const char *date,
                    const char *city, const char *country, const void *sealed, size_t n,
                    int64_t user_id, int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO events(case_id, hte_type, hte_date, hte_city, hte_country, "
        "sealed_description, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        "RETURNING id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    q_text(&q, 2, type);
    q_text(&q, 3, date);
    q_text(&q, 4, city);
    q_text(&q, 5, country);
    opt_blob(&q, 6, sealed, n);
    opt_int(&q, 7, user_id);
    q_int(&q, 8, now);
    return insert_id(&q, id);
}

int store_event_list(struct store *st, int64_t case_id, json_t **out)
{
    static const char sql[] =
        "SELECT e.id, e.hte_type, e.hte_date, e.hte_city, e.hte_country, e.sealed_description, "
        "u.username, e.created_at FROM events e LEFT JOIN users u ON u.id = e.created_by "
        "WHERE e.case_id = ?1 ORDER BY e.hte_date, e.id";
    struct q q;
    if (q_open(&q, st, sql))
        return q.rc;
    q_int(&q, 1, case_id);
    return rows(&q,
                "id:i,hte_Type:t,hte_Date:t,hte_City:t,hte_Country:t,sealed:b,recorded_by:t,"
                "created_at:s",
                out);
}

int store_audit_object(struct store *st, const char *object, int64_t limit, json_t **out)
{
    /* object itself, or anything under "object/": GLOB on SQLite and LIKE on
     * PostgreSQL (text_pattern_ops), so that both use the audit_object index. */
    static const char sql_sqlite[] =
        "SELECT id, at, username, action, object, detail, hash FROM audit "
        "WHERE object = ?1 OR object GLOB ?2 ORDER BY id LIMIT ?3";
    static const char sql_pg[] = "SELECT id, at, username, action, object, detail, hash FROM audit "
                                 "WHERE object = ?1 OR object LIKE ?2 ORDER BY id LIMIT ?3";
    int pg = strcmp(st->drv->name, "postgresql") == 0;
    /* the object names vigil writes ("case:12") hold no wildcard characters */
    if (strpbrk(object, "*?[%_\\"))
        return VIGIL_EINVAL;
    char pat[128];
    snprintf(pat, sizeof pat, "%s/%s", object, pg ? "%" : "*");
    struct q q;
    if (q_open(&q, st, pg ? sql_pg : sql_sqlite))
        return q.rc;
    q_text(&q, 1, object);
    q_text(&q, 2, pat);
    q_int(&q, 3, limit > 0 ? limit : INT64_MAX);
    return rows(&q, "id:i,at:s,username:t,action:t,object:t,detail:t,hash:t", out);
}
