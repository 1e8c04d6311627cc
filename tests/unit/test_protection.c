/*
 * Unit tests for the victim protection and legal track rules in
 * src/core/protection.c: status decisions, service states and end dates,
 * overdue plans, consent, the kinds of legal step with their fields and
 * sides, events, and the screening body.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/protection.h"
#include "util/err.h"

#define TODAY "2026-06-15"

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    assert_non_null(j);
    return j;
}

/* Validate text with fn; the code, the error field in field. */
static int status_of(const char *text, char field[64])
{
    json_t *in = J(text), *out = NULL;
    struct verr e;
    int rc = status_validate(in, TODAY, &out, &e);
    snprintf(field, 64, "%s", rc ? e.field : "");
    json_decref(in);
    json_decref(out);
    return rc;
}

static void test_status(void **state)
{
    (void)state;
    char f[64];
    json_t *in = J("{\"vic_TraffickingStatus\":\"ActualVictimOfTrafficking\","
                   "\"vic_TraffickingStatusDecisionMakingOrg\":\"NGO\"}");
    json_t *out;
    struct verr e;
    assert_int_equal(status_validate(in, TODAY, &out, &e), VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(out, "decided_on")), TODAY);
    json_decref(out);
    json_decref(in);
    assert_int_equal(status_of("{\"vic_TraffickingStatus\":\"Yes\","
                               "\"vic_TraffickingStatusDecisionMakingOrg\":\"NGO\"}",
                               f),
                     VIGIL_EINVAL);
    assert_string_equal(f, "vic_TraffickingStatus");
    assert_int_equal(status_of("{\"vic_TraffickingStatus\":\"ActualVictimOfTrafficking\"}", f),
                     VIGIL_EINVAL);
    assert_string_equal(f, "vic_TraffickingStatusDecisionMakingOrg");
    assert_int_equal(status_of("{\"vic_TraffickingStatus\":\"ActualVictimOfTrafficking\","
                               "\"vic_TraffickingStatusDecisionMakingOrg\":\"NGO\","
                               "\"decided_on\":\"2026-06-16\"}",
                               f),
                     VIGIL_EINVAL);
    assert_string_equal(f, "decided_on");
    assert_int_equal(status_of("{\"vic_TraffickingStatus\":\"ActualVictimOfTrafficking\","
                               "\"vic_TraffickingStatusDecisionMakingOrg\":\"NGO\","
                               "\"reason\":\"x\",\"extra\":1}",
                               f),
                     VIGIL_EINVAL);
    assert_string_equal(f, "extra");
}

static void test_service_transitions(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
        int ok;
    } t[] = {
        {"planned", "planned", 1},   {"planned", "active", 1},    {"planned", "completed", 1},
        {"planned", "cancelled", 1}, {"active", "completed", 1},  {"active", "cancelled", 1},
        {"active", "planned", 0},    {"completed", "active", 0},  {"completed", "cancelled", 0},
        {"cancelled", "active", 0},  {"cancelled", "planned", 0}, {"completed", "completed", 1},
        {"planned", "bogus", 0},     {NULL, "active", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_int_equal(service_transition_ok(t[i].from, t[i].to), t[i].ok);
}

static int service_of(const char *text, const char *cur_text, char field[64])
{
    json_t *in = J(text), *cur = cur_text ? J(cur_text) : NULL, *out = NULL;
    struct verr e;
    int rc = service_validate(in, cur, TODAY, &out, &e);
    snprintf(field, 64, "%s", rc ? e.field : "");
    json_decref(in);
    json_decref(cur);
    json_decref(out);
    return rc;
}

static void test_service_rules(void **state)
{
    (void)state;
    char f[64];
    json_t *in = J("{\"spl_Type\":\"Health\",\"provider\":\"IAS\"}"), *out;
    struct verr e;
    assert_int_equal(service_validate(in, NULL, TODAY, &out, &e), VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "planned");
    json_decref(out);
    json_decref(in);
    assert_int_equal(service_of("{\"spl_Type\":\"Spa\",\"provider\":\"IAS\"}", NULL, f),
                     VIGIL_EINVAL);
    assert_string_equal(f, "spl_Type");
    assert_int_equal(service_of("{\"spl_Type\":\"Health\"}", NULL, f), VIGIL_EINVAL);
    assert_string_equal(f, "provider");
    /* an actual end needs an ended service, and completing needs one */
    assert_int_equal(service_of("{\"spl_Type\":\"Health\",\"provider\":\"IAS\","
                                "\"spl_ActualEndDate\":\"2026-01-01\"}",
                                NULL, f),
                     VIGIL_EINVAL);
    assert_string_equal(f, "spl_ActualEndDate");
    const char *active = "{\"state\":\"active\",\"spl_Type\":\"Health\",\"provider\":\"IAS\"}";
    assert_int_equal(service_of("{\"state\":\"completed\"}", active, f), VIGIL_EINVAL);
    assert_string_equal(f, "spl_ActualEndDate");
    assert_int_equal(
        service_of("{\"state\":\"completed\",\"spl_ActualEndDate\":\"2026-06-16\"}", active, f),
        VIGIL_EINVAL);
    assert_string_equal(f, "spl_ActualEndDate");
    assert_int_equal(
        service_of("{\"state\":\"completed\",\"spl_ActualEndDate\":\"2026-06-15\"}", active, f),
        VIGIL_OK);
    assert_int_equal(service_of("{\"state\":\"cancelled\"}", active, f), VIGIL_OK);
    assert_int_equal(service_of("{\"state\":\"planned\"}", active, f), VIGIL_EINVAL);
    assert_string_equal(f, "state");
    assert_int_equal(service_of("{}", active, f), VIGIL_EINVAL);
    assert_int_equal(service_of("{\"provider\":null}", active, f), VIGIL_EINVAL);
    assert_string_equal(f, "provider");
    assert_int_equal(service_of("{\"person_id\":3}", active, f), VIGIL_EINVAL);
    assert_string_equal(f, "person_id");
    /* clearing the actual end of a completed service is refused */
    const char *done = "{\"state\":\"completed\",\"spl_ActualEndDate\":\"2026-06-01\"}";
    assert_int_equal(service_of("{\"spl_ActualEndDate\":null}", done, f), VIGIL_EINVAL);
    assert_int_equal(service_of("{\"spl_Objectives\":\"more\"}", done, f), VIGIL_OK);
}

static void test_overdue(void **state)
{
    (void)state;
    assert_true(service_overdue("planned", "2026-06-14", TODAY));
    assert_true(service_overdue("active", "2026-01-01", TODAY));
    assert_false(service_overdue("active", TODAY, TODAY));
    assert_false(service_overdue("completed", "2026-01-01", TODAY));
    assert_false(service_overdue("cancelled", "2026-01-01", TODAY));
    assert_false(service_overdue("active", NULL, TODAY));
}

static void test_consent(void **state)
{
    (void)state;
    json_t *out;
    struct verr e;
    for (const char *const *p = consent_purposes; *p; p++) {
        json_t *in = json_pack("{s:s, s:b}", "purpose", *p, "granted", 0);
        assert_int_equal(consent_validate(in, &out, &e), VIGIL_OK);
        json_decref(out);
        json_decref(in);
    }
    json_t *in = J("{\"purpose\":\"marketing\",\"granted\":true}");
    assert_int_equal(consent_validate(in, &out, &e), VIGIL_EINVAL);
    assert_string_equal(e.field, "purpose");
    json_decref(in);
    in = J("{\"purpose\":\"referral\"}");
    assert_int_equal(consent_validate(in, &out, &e), VIGIL_EINVAL);
    assert_string_equal(e.field, "granted");
    json_decref(in);
}

static int legal_of(const char *text, enum legal_side *side, char field[64])
{
    json_t *in = J(text), *out = NULL;
    struct verr e;
    int rc = legal_validate(in, TODAY, &out, side, &e);
    snprintf(field, 64, "%s", rc ? e.field : "");
    json_decref(in);
    json_decref(out);
    return rc;
}

static void test_legal(void **state)
{
    (void)state;
    char f[64];
    enum legal_side side;
    static const struct {
        const char *body;
        int rc;
        enum legal_side side;
        const char *field;
    } t[] = {
        {"{\"type\":\"investigation_opened\"}", VIGIL_OK, LEGAL_INVESTIGATION, ""},
        {"{\"type\":\"authorisation_requested\",\"what\":\"search\"}", VIGIL_OK,
         LEGAL_INVESTIGATION, ""},
        {"{\"type\":\"authorisation_requested\"}", VIGIL_EINVAL, 0, "what"},
        {"{\"type\":\"authorisation\",\"what\":\"search\",\"magistrate\":\"A\",\"reference\":"
         "\"R1\",\"court\":\"TJB\"}",
         VIGIL_OK, LEGAL_INVESTIGATION, ""},
        {"{\"type\":\"authorisation\",\"what\":\"search\",\"magistrate\":\"A\",\"reference\":"
         "\"R1\"}",
         VIGIL_EINVAL, 0, "court"},
        {"{\"type\":\"prosecutor_referral\"}", VIGIL_OK, LEGAL_INVESTIGATION, ""},
        {"{\"type\":\"charge\",\"statute\":\"Penal Code\",\"article\":\"153-A\","
         "\"exploitation\":\"sexual\"}",
         VIGIL_OK, LEGAL_PROSECUTION, ""},
        {"{\"type\":\"charge\",\"statute\":\"Penal Code\",\"article\":\"153-A\"}", VIGIL_EINVAL, 0,
         "exploitation"},
        {"{\"type\":\"charge\",\"statute\":\"Penal Code\",\"article\":\"153-A\","
         "\"exploitation\":\"organs\"}",
         VIGIL_EINVAL, 0, "exploitation"},
        {"{\"type\":\"verdict\",\"outcome\":\"convicted\"}", VIGIL_OK, LEGAL_PROSECUTION, ""},
        {"{\"type\":\"verdict\",\"outcome\":\"convicted\",\"months\":3}", VIGIL_EINVAL, 0,
         "months"},
        {"{\"type\":\"sentence\",\"months\":0}", VIGIL_OK, LEGAL_PROSECUTION, ""},
        {"{\"type\":\"sentence\",\"months\":1201}", VIGIL_EINVAL, 0, "months"},
        {"{\"type\":\"sentence\",\"months\":\"12\"}", VIGIL_EINVAL, 0, "months"},
        {"{\"type\":\"appeal\",\"appeal_by\":\"defence\"}", VIGIL_OK, LEGAL_PROSECUTION, ""},
        {"{\"type\":\"appeal\",\"appeal_by\":\"defence\",\"on\":\"2026-06-16\"}", VIGIL_EINVAL, 0,
         "on"},
        {"{\"type\":\"duel\"}", VIGIL_EINVAL, 0, "type"},
        {"{}", VIGIL_EINVAL, 0, "type"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int rc = legal_of(t[i].body, &side, f);
        if (rc != t[i].rc || strcmp(f, t[i].field) != 0)
            print_error("%s: rc %d field '%s'\n", t[i].body, rc, f);
        assert_int_equal(rc, t[i].rc);
        assert_string_equal(f, t[i].field);
        if (rc == VIGIL_OK)
            assert_int_equal(side, t[i].side);
    }
    /* every kind named by the enum is known to the rules */
    for (const char *const *k = legal_types; *k; k++) {
        json_t *in = json_pack("{s:s}", "type", *k), *out = NULL;
        struct verr e;
        int rc = legal_validate(in, TODAY, &out, &side, &e);
        assert_true(rc == VIGIL_OK || strcmp(e.field, "type") != 0);
        json_decref(out);
        json_decref(in);
    }
}

static void test_event_and_screening(void **state)
{
    (void)state;
    json_t *in = J("{\"hte_Type\":\"Transit\",\"hte_Country\":\"TH\",\"hte_City\":\"Bangkok\"}"),
           *out;
    struct verr e;
    assert_int_equal(event_validate(in, &out, &e), VIGIL_OK);
    json_decref(out);
    json_decref(in);
    in = J("{\"hte_Type\":\"Transit\",\"hte_Country\":\"Thailand\"}");
    assert_int_equal(event_validate(in, &out, &e), VIGIL_EINVAL);
    assert_string_equal(e.field, "hte_Country");
    json_decref(in);

    int64_t pid = 0;
    struct screening s;
    in = J("{\"person_id\":7,\"child\":true,\"indicators\":{\"deception\":{\"answer\":\"yes\","
           "\"note\":\"n\"}}}");
    assert_int_equal(screening_body(in, &pid, &s, &out, &e), VIGIL_OK);
    assert_int_equal(pid, 7);
    assert_int_equal(s.child, 1);
    assert_int_equal(s.ilo[ILO_DECEPTION], ANS_YES);
    assert_non_null(json_object_get(json_object_get(out, "indicators"), "deception"));
    assert_true(json_is_object(json_object_get(out, "palermo")));
    assert_null(json_object_get(out, "person_id"));
    json_decref(out);
    json_decref(in);
    in = J("{\"child\":true}");
    assert_int_equal(screening_body(in, &pid, &s, &out, &e), VIGIL_EINVAL);
    assert_string_equal(e.field, "person_id");
    json_decref(in);
    in = J("{\"person_id\":0}");
    assert_int_equal(screening_body(in, &pid, &s, &out, &e), VIGIL_EINVAL);
    json_decref(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_service_transitions),
        cmocka_unit_test(test_service_rules),
        cmocka_unit_test(test_overdue),
        cmocka_unit_test(test_consent),
        cmocka_unit_test(test_legal),
        cmocka_unit_test(test_event_and_screening),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
