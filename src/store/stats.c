/*
 * The statistics' aggregate queries (store.h, "statistics"): one GROUP BY
 * per figure family and period, written once for SQLite and PostgreSQL.
 * report/stats.c turns the groups into tables, trends and suppression.
 * Each query reads its period through an index (008_stats.sql): cases by
 * opening date, their victims by case, legal steps by type and date, and
 * referrals, services and tips by the time they were recorded.
 */
#include <string.h>

#include "store/db.h"
#include "util/err.h"

/* A victim counts unless their latest answer for "statistics" is a
 * withdrawal (no answer at all counts as consent; docs/decisions.md). */
#define CONSENTED                                                                                  \
    "COALESCE((SELECT s.granted FROM consents s WHERE s.person_id = p.id "                         \
    "AND s.purpose = 'statistics' ORDER BY s.id DESC LIMIT 1), 1) = 1"

#define AGE_BAND                                                                                   \
    "CASE WHEN p.age IS NULL THEN 'unknown' WHEN p.age < 18 THEN '0-17' "                          \
    "WHEN p.age < 25 THEN '18-24' WHEN p.age < 35 THEN '25-34' WHEN p.age < 45 THEN '35-44' "      \
    "WHEN p.age < 55 THEN '45-54' ELSE '55+' END"

/* Investigations opened, charges and convictions, and the exploitation of
 * the case's first charge ("other" when it has none). */
#define LEGAL_MEASURE                                                                              \
    "CASE l.step_type WHEN 'investigation_opened' THEN 'investigations' "                          \
    "WHEN 'charge' THEN 'prosecutions' ELSE 'convictions' END"
#define LEGAL_STEPS                                                                                \
    "l.step_type IN ('investigation_opened', 'charge', 'verdict') AND l.step_on BETWEEN ?1 AND "   \
    "?2 "                                                                                          \
    "AND (l.step_type <> 'verdict' OR l.outcome IN ('convicted', 'partly_convicted'))"

#define VICTIMS_OF_PERIOD "FROM cases c JOIN persons p ON p.case_id = c.id AND p.role = 'victim' "

static const struct family {
    const char *sql;
    int nkeys, ncounts;
    int timed; /* ?1, ?2 are t0, t1 (else from, to) */
} families[STATS_NFAMILIES] = {
    [STATS_CASES] = {"SELECT c.category, c.source, o.code, COUNT(*) FROM cases c "
                     "JOIN organisations o ON o.id = c.org_id "
                     "WHERE c.opened_on BETWEEN ?1 AND ?2 GROUP BY c.category, c.source, o.code",
                     3, 1, 0},
    /* A case once per type of its victims, then the cases with none. The
     * first part walks the period's cases and their victims (the test on
     * COALESCE keeps the joins in that order); the second looks up each
     * case's victims. */
    [STATS_CASE_EXPL] = {"SELECT COALESCE(v.value, ''), COUNT(DISTINCT c.id) " VICTIMS_OF_PERIOD
                         "LEFT JOIN person_values v ON v.person_id = p.id "
                         "AND v.field = 'vic_TypeOfExploitation' "
                         "WHERE c.opened_on BETWEEN ?1 AND ?2 AND COALESCE(v.value, '') <> '' "
                         "AND " CONSENTED " GROUP BY COALESCE(v.value, '') "
                         "UNION ALL SELECT 'unknown', COUNT(*) FROM cases c "
                         "WHERE c.opened_on BETWEEN ?1 AND ?2 AND NOT EXISTS (SELECT 1 "
                         "FROM persons p LEFT JOIN person_values v ON v.person_id = p.id "
                         "AND v.field = 'vic_TypeOfExploitation' WHERE p.case_id = c.id "
                         "AND p.role = 'victim' AND COALESCE(v.value, '') <> '' "
                         "AND " CONSENTED ") "
                         "HAVING COUNT(*) > 0",
                         1, 1, 0},
    [STATS_VICTIMS] = {"SELECT COALESCE(p.gender, 'unknown'), " AGE_BAND
                       ", COUNT(*) " VICTIMS_OF_PERIOD
                       "WHERE c.opened_on BETWEEN ?1 AND ?2 AND " CONSENTED " GROUP BY 1, 2",
                       2, 1, 0},
    [STATS_VICTIM_CITIZENSHIP] = {"SELECT COALESCE(v.value, 'unknown'), COUNT(*) " VICTIMS_OF_PERIOD
                                  "LEFT JOIN person_values v ON v.person_id = p.id "
                                  "AND v.field = 'prs_Citizenship' "
                                  "WHERE c.opened_on BETWEEN ?1 AND ?2 AND " CONSENTED
                                  " GROUP BY 1",
                                  1, 1, 0},
    [STATS_VICTIM_EXPL] = {"SELECT COALESCE(v.value, 'unknown'), COUNT(*) " VICTIMS_OF_PERIOD
                           "LEFT JOIN person_values v ON v.person_id = p.id "
                           "AND v.field = 'vic_TypeOfExploitation' "
                           "WHERE c.opened_on BETWEEN ?1 AND ?2 AND " CONSENTED " GROUP BY 1",
                           1, 1, 0},
    /* accepted: the referrals of the period that the receiver accepted
     * (completed ones were accepted first) */
    [STATS_REFERRALS] = {"SELECT o.code, COUNT(*), "
                         "SUM(CASE WHEN r.state IN ('accepted', 'completed') THEN 1 ELSE 0 END) "
                         "FROM referrals r JOIN organisations o ON o.id = r.to_org "
                         "WHERE r.created_at >= ?1 AND r.created_at < ?2 GROUP BY o.code",
                         1, 2, 1},
    [STATS_SERVICES] = {"SELECT spl_type, COUNT(*) FROM services "
                        "WHERE created_at >= ?1 AND created_at < ?2 AND state <> 'cancelled' "
                        "GROUP BY spl_type",
                        1, 1, 1},
    [STATS_LEGAL] = {"SELECT m, e, COUNT(DISTINCT cid) FROM (SELECT " LEGAL_MEASURE " AS m, "
                     "COALESCE((SELECT f.exploitation FROM legal_steps f "
                     "WHERE f.case_id = l.case_id AND f.step_type = 'charge' "
                     "ORDER BY f.step_on, f.id LIMIT 1), 'other') AS e, "
                     "l.case_id AS cid FROM legal_steps l WHERE " LEGAL_STEPS ") x "
                     "GROUP BY m, e",
                     2, 1, 0},
    [STATS_STATUTES] = {"SELECT COALESCE(statute, ''), COALESCE(article, ''), "
                        "COALESCE(exploitation, 'other'), COUNT(*) FROM legal_steps "
                        "WHERE step_type = 'charge' AND step_on BETWEEN ?1 AND ?2 "
                        "GROUP BY 1, 2, 3",
                        3, 1, 0},
    [STATS_SENTENCES] = {"SELECT CASE WHEN months IS NULL THEN 'unknown' "
                         "WHEN months < 12 THEN '<1y' WHEN months < 36 THEN '1-3y' "
                         "WHEN months < 60 THEN '3-5y' WHEN months < 120 THEN '5-10y' "
                         "ELSE '10y+' END, COUNT(*) FROM legal_steps "
                         "WHERE step_type = 'sentence' AND step_on BETWEEN ?1 AND ?2 GROUP BY 1",
                         1, 1, 0},
    [STATS_TIPS] = {"SELECT channel, COUNT(*) FROM tips "
                    "WHERE created_at >= ?1 AND created_at < ?2 GROUP BY channel",
                    1, 1, 1},
    [STATS_ACTIVITIES] = {"SELECT kind, COUNT(*), CAST(SUM(sites) AS BIGINT), "
                          "CAST(SUM(workers_reached) AS BIGINT), "
                          "CAST(SUM(officials_trained) AS BIGINT), "
                          "CAST(SUM(people_reached) AS BIGINT) FROM activities "
                          "WHERE held_on BETWEEN ?1 AND ?2 GROUP BY kind",
                          1, 5, 0},
    [STATS_CASES_BY_YEAR] = {"SELECT SUBSTR(opened_on, 1, 4), category, COUNT(*) FROM cases "
                             "WHERE opened_on BETWEEN ?1 AND ?2 GROUP BY 1, 2",
                             2, 1, 0},
    [STATS_CASES_BY_MONTH] = {"SELECT SUBSTR(opened_on, 1, 7), category, COUNT(*) FROM cases "
                              "WHERE opened_on BETWEEN ?1 AND ?2 GROUP BY 1, 2",
                              2, 1, 0},
    [STATS_VICTIMS_BY_YEAR] = {"SELECT SUBSTR(c.opened_on, 1, 4), COALESCE(p.gender, 'unknown'), "
                               "COUNT(*) " VICTIMS_OF_PERIOD
                               "WHERE c.opened_on BETWEEN ?1 AND ?2 AND " CONSENTED
                               " GROUP BY 1, 2",
                               2, 1, 0},
    [STATS_LEGAL_BY_YEAR] = {"SELECT y, m, COUNT(DISTINCT cid) FROM (SELECT "
                             "SUBSTR(l.step_on, 1, 4) AS y, " LEGAL_MEASURE " AS m, "
                             "l.case_id AS cid FROM legal_steps l WHERE " LEGAL_STEPS ") x "
                             "GROUP BY y, m",
                             2, 1, 0},
};

#define MAX_KEYS   3
#define MAX_COUNTS 5

int store_stats(struct store *st, enum stats_family f, const char *from, const char *to, int64_t t0,
                int64_t t1, stats_row_fn fn, void *ctx)
{
    if ((unsigned)f >= STATS_NFAMILIES || !from || !to || !fn)
        return VIGIL_EINVAL;
    const struct family *fam = &families[f];
    struct q q;
    if (q_open(&q, st, fam->sql))
        return q.rc;
    if (fam->timed) {
        q_int(&q, 1, t0);
        q_int(&q, 2, t1);
    } else {
        q_text(&q, 1, from);
        q_text(&q, 2, to);
    }
    int rc, stop = 0;
    while ((rc = q_step(&q)) == 1) {
        const char *keys[MAX_KEYS];
        int64_t counts[MAX_COUNTS];
        for (int i = 0; i < fam->nkeys; i++) {
            keys[i] = q_col_text(&q, i);
            if (!keys[i])
                keys[i] = "unknown";
        }
        for (int i = 0; i < fam->ncounts; i++)
            counts[i] = q_col_int(&q, fam->nkeys + i);
        if ((stop = fn(ctx, keys, counts)))
            break;
    }
    q_done(&q);
    if (stop)
        return stop;
    return rc < 0 ? -rc : VIGIL_OK;
}

int store_stats_begin(struct store *st, int *began)
{
    *began = 0;
    if (st->in_tx || st->in_read)
        return VIGIL_OK;
    if (strcmp(st->drv->name, "postgresql") != 0) {
        int rc = store_read_begin(st);
        *began = rc == VIGIL_OK;
        return rc;
    }
    /* PostgreSQL reads each statement from a snapshot of its own unless
     * the transaction is REPEATABLE READ. */
    if (st->drv->exec(st->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        return store_fail(st, VIGIL_ESTORE);
    st->in_read = 1;
    *began = 1;
    return VIGIL_OK;
}

void store_stats_end(struct store *st)
{
    store_read_end(st);
}
