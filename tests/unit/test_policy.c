/*
 * Unit tests for the access policy table in src/auth/policy.c: every action
 * for every role, against a matrix written here from the need-to-know rules
 * (DESIGN.md section 6), not copied from the table under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "auth/policy.h"

/*
 * What each role may do, by the rules:
 *  - everyone: public pages; any logged-in user has a session and may read
 *    the directory of organisations (names and codes, no case data);
 *  - admin manages user accounts only: no cases, no statistics, no audit;
 *  - secretariat: committee statistics only, never personal data or cases;
 *  - investigator, caseworker, inspector: work cases (list, read, create,
 *    update; persons read and write; notes; referrals create and decide);
 *  - prosecutor: reads cases and persons, updates cases, writes notes and
 *    referrals (and decides those sent to the prosecution), creates no case
 *    and writes no person;
 *  - magistrate: read-only supervision, including the audit trail;
 *  - auditor: the audit log only.
 */
struct grant {
    enum action act;
    const char *roles; /* space-separated role names */
};

#define ALL     "admin secretariat investigator prosecutor magistrate caseworker inspector auditor"
#define WORKERS "investigator caseworker inspector"

static const struct grant expected[] = {
    {ACT_PUBLIC, ALL},
    {ACT_SESSION, ALL},
    {ACT_CASE_LIST, WORKERS " prosecutor magistrate"},
    {ACT_CASE_READ, WORKERS " prosecutor magistrate"},
    {ACT_CASE_CREATE, WORKERS},
    {ACT_CASE_UPDATE, WORKERS " prosecutor"},
    {ACT_PERSON_READ, WORKERS " prosecutor magistrate"},
    {ACT_PERSON_WRITE, WORKERS},
    {ACT_NOTE_READ, WORKERS " prosecutor magistrate"},
    {ACT_NOTE_WRITE, WORKERS " prosecutor"},
    {ACT_REFERRAL_READ, WORKERS " prosecutor magistrate"},
    {ACT_REFERRAL_CREATE, WORKERS " prosecutor"},
    {ACT_REFERRAL_DECIDE, WORKERS " prosecutor"},
    {ACT_AUDIT_READ, "magistrate auditor"},
    {ACT_USER_ADMIN, "admin"},
    {ACT_ORG_READ, ALL},
    {ACT_STATS_READ, "secretariat " WORKERS " prosecutor magistrate"},
    /* tips may name victims: the agencies that act on them */
    {ACT_TIP_TRIAGE, WORKERS},
    {ACT_FEEDBACK_READ, "admin secretariat"},
    {ACT_FEEDBACK_REVIEW, "admin secretariat"},
    /* public statements: the secretariat alone */
    {ACT_STATEMENT_WRITE, "secretariat"},
    /* victim protection: those who work with victims write; the
     * prosecution and the magistrate read; services are the providers' */
    {ACT_SCREENING_READ, WORKERS " prosecutor magistrate"},
    {ACT_SCREENING_WRITE, WORKERS},
    {ACT_STATUS_READ, WORKERS " prosecutor magistrate"},
    {ACT_STATUS_DECIDE, WORKERS " prosecutor"},
    {ACT_SERVICE_READ, WORKERS},
    {ACT_SERVICE_WRITE, WORKERS},
    {ACT_CONSENT_READ, WORKERS " prosecutor magistrate"},
    {ACT_CONSENT_WRITE, WORKERS},
    /* the legal track: police, prosecution and court only */
    {ACT_LEGAL_READ, "investigator prosecutor magistrate"},
    {ACT_LEGAL_WRITE, "investigator prosecutor"},
    {ACT_LEGAL_INVESTIGATE, "investigator"},
    {ACT_LEGAL_PROSECUTE, "prosecutor"},
    {ACT_SUPERVISE, "magistrate"},
    {ACT_EVENT_READ, WORKERS " prosecutor magistrate"},
    {ACT_EVENT_WRITE, WORKERS},
    {ACT_TIMELINE_READ, WORKERS " prosecutor magistrate"},
    /* the committee's work is not personal data: all but the auditor read
     * it; the secretariat keeps meetings and measures; the agencies that
     * own measures report progress; those that inspect, train and campaign
     * record activities */
    {ACT_COMMITTEE_READ, "admin secretariat " WORKERS " prosecutor magistrate"},
    {ACT_COMMITTEE_WRITE, "secretariat"},
    {ACT_MEASURE_PROGRESS, "secretariat " WORKERS " prosecutor"},
    {ACT_ACTIVITY_WRITE, "secretariat " WORKERS},
};

static int granted(const char *roles, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = roles; (p = strstr(p, role)) != NULL; p += n)
        if ((p == roles || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

static const struct grant *row_for(enum action a)
{
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (expected[i].act == a)
            return &expected[i];
    return NULL;
}

static void test_matrix(void **state)
{
    (void)state;
    static const char *const roles[] = {"admin",      "secretariat", "investigator", "prosecutor",
                                        "magistrate", "caseworker",  "inspector",    "auditor"};
    assert_int_equal(sizeof roles / sizeof roles[0], ROLE_COUNT);
    /* Every action has a row here, so a new action cannot go untested. */
    assert_int_equal(sizeof expected / sizeof expected[0], ACT_COUNT);
    int mismatches = 0;
    for (int a = 0; a < ACT_COUNT; a++) {
        const struct grant *g = row_for((enum action)a);
        assert_non_null(g);
        for (size_t r = 0; r < ROLE_COUNT; r++) {
            int role = role_parse(roles[r]);
            assert_true(role >= 0);
            int want = granted(g->roles, roles[r]);
            int got = policy_allows(role, (enum action)a);
            if (want != got) {
                print_error("policy: %s %s: expected %s, table says %s\n", roles[r],
                            action_name((enum action)a), want ? "allow" : "deny",
                            got ? "allow" : "deny");
                mismatches++;
            }
        }
    }
    assert_int_equal(mismatches, 0);
}

static void test_need_to_know(void **state)
{
    (void)state;
    /* The same rules seen from the other side: no role outside the case
     * workers, the prosecution and the magistrate reads personal data. */
    for (int r = 0; r < ROLE_COUNT; r++) {
        const char *n = role_name((enum role)r);
        int reads = policy_allows(r, ACT_PERSON_READ);
        assert_int_equal(reads, granted(WORKERS " prosecutor magistrate", n));
        if (!policy_allows(r, ACT_CASE_READ)) /* no person data without the case */
            assert_false(reads);
        if (policy_allows(r, ACT_PERSON_WRITE))
            assert_true(policy_allows(r, ACT_PERSON_READ));
        if (policy_allows(r, ACT_NOTE_WRITE))
            assert_true(policy_allows(r, ACT_NOTE_READ));
        if (policy_allows(r, ACT_CASE_UPDATE))
            assert_true(policy_allows(r, ACT_CASE_READ));
    }
    assert_false(policy_allows(ROLE_MAGISTRATE, ACT_CASE_UPDATE));
    assert_false(policy_allows(ROLE_MAGISTRATE, ACT_NOTE_WRITE));
    assert_false(policy_allows(ROLE_ADMIN, ACT_AUDIT_READ));
    /* The magistrate supervises and writes nothing of the protection or
     * legal track; every write right comes with its read right. */
    static const enum action writes[][2] = {
        {ACT_SCREENING_WRITE, ACT_SCREENING_READ}, {ACT_STATUS_DECIDE, ACT_STATUS_READ},
        {ACT_SERVICE_WRITE, ACT_SERVICE_READ},     {ACT_CONSENT_WRITE, ACT_CONSENT_READ},
        {ACT_LEGAL_WRITE, ACT_LEGAL_READ},         {ACT_LEGAL_INVESTIGATE, ACT_LEGAL_WRITE},
        {ACT_LEGAL_PROSECUTE, ACT_LEGAL_WRITE},    {ACT_EVENT_WRITE, ACT_EVENT_READ},
    };
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
        assert_false(policy_allows(ROLE_MAGISTRATE, writes[i][0]));
        for (int r = 0; r < ROLE_COUNT; r++)
            if (policy_allows(r, writes[i][0]))
                assert_true(policy_allows(r, writes[i][1]));
    }
    /* Supervision is the magistrate's alone; no one both investigates and
     * prosecutes. */
    for (int r = 0; r < ROLE_COUNT; r++) {
        assert_int_equal(policy_allows(r, ACT_SUPERVISE), r == ROLE_MAGISTRATE);
        assert_false(policy_allows(r, ACT_LEGAL_INVESTIGATE) &&
                     policy_allows(r, ACT_LEGAL_PROSECUTE));
    }
}

static void test_role_names(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const char *n = role_name((enum role)r);
        assert_non_null(n);
        assert_string_not_equal(n, "unknown");
        assert_int_equal(role_parse(n), r);
        for (int s = 0; s < r; s++)
            assert_string_not_equal(n, role_name((enum role)s));
    }
    assert_int_equal(role_parse("admin"), ROLE_ADMIN);
    assert_int_equal(role_parse("auditor"), ROLE_AUDITOR);
    assert_int_equal(role_parse("magistrate"), ROLE_MAGISTRATE);
    assert_int_equal(role_parse("root"), -1);
    assert_int_equal(role_parse(""), -1);
    assert_int_equal(role_parse(NULL), -1);
    assert_int_equal(role_parse("Admin"), -1);
    assert_int_equal(role_parse("admin "), -1);
    assert_int_equal(role_parse("adm"), -1);
    assert_string_equal(role_name(ROLE_COUNT), "unknown");
    assert_string_equal(role_name((enum role) - 1), "unknown");
}

static void test_action_names(void **state)
{
    (void)state;
    for (int a = 0; a < ACT_COUNT; a++) {
        const char *n = action_name((enum action)a);
        assert_non_null(n);
        assert_string_not_equal(n, "unknown");
        for (int b = 0; b < a; b++)
            assert_string_not_equal(n, action_name((enum action)b));
    }
    assert_string_equal(action_name(ACT_COUNT), "unknown");
}

static void test_out_of_range(void **state)
{
    (void)state;
    for (int r = -1; r <= ROLE_COUNT; r++) {
        assert_false(policy_allows(r, ACT_COUNT));
        assert_false(policy_allows(r, (enum action)(ACT_COUNT + 5)));
        assert_false(policy_allows(r, (enum action) - 1));
        /* Public is open to everyone, even without a valid role. */
        assert_true(policy_allows(r, ACT_PUBLIC));
    }
    /* An unknown role gets nothing beyond public. */
    for (int a = 0; a < ACT_COUNT; a++) {
        if (a == ACT_PUBLIC)
            continue;
        assert_false(policy_allows(-1, (enum action)a));
        assert_false(policy_allows(ROLE_COUNT, (enum action)a));
        assert_false(policy_allows(1000, (enum action)a));
        assert_false(policy_allows(-1000, (enum action)a));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),       cmocka_unit_test(test_need_to_know),
        cmocka_unit_test(test_role_names),   cmocka_unit_test(test_action_names),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
