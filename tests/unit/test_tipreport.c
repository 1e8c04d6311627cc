/* Unit tests for the TIP report rules (src/core/tipreport.c): splitting a
 * pasted text into recommendations, the state rule, figures, periods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/tipreport.h"
#include "util/err.h"

static json_t *split(const char *text, size_t max, int want_rc)
{
    json_t *out = NULL;
    struct verr e;
    int rc = tipreport_split(text, strlen(text), max, &out, &e);
    assert_int_equal(rc, want_rc);
    if (rc)
        assert_string_equal(e.field, "text");
    return out;
}

static void test_split_paragraphs(void **state)
{
    (void)state;
    const char *text = "1. Increase efforts to investigate and prosecute trafficking crimes,\n"
                       "   including labour trafficking.\n"
                       "\n"
                       "\n"
                       "2) Screen vulnerable populations for indicators.\r\n"
                       "\r\n"
                       "• Train officials on victim-centred approaches.\n"
                       "   \n"
                       "- Amend the law\n"
                       "so that force is not required.";
    json_t *a = split(text, 10, VIGIL_OK);
    assert_int_equal(json_array_size(a), 4);
    assert_string_equal(json_string_value(json_array_get(a, 0)),
                        "Increase efforts to investigate and prosecute trafficking crimes, "
                        "including labour trafficking.");
    assert_string_equal(json_string_value(json_array_get(a, 1)),
                        "Screen vulnerable populations for indicators.");
    assert_string_equal(json_string_value(json_array_get(a, 2)),
                        "Train officials on victim-centred approaches.");
    assert_string_equal(json_string_value(json_array_get(a, 3)),
                        "Amend the law so that force is not required.");
    json_decref(a);
    /* a number that is not a list marker stays */
    a = split("2019 was the first year.", 10, VIGIL_OK);
    assert_string_equal(json_string_value(json_array_get(a, 0)), "2019 was the first year.");
    json_decref(a);
    /* Chinese text passes through */
    a = split("加強調查及檢控。\n\n為官員提供培訓。", 10, VIGIL_OK);
    assert_int_equal(json_array_size(a), 2);
    assert_string_equal(json_string_value(json_array_get(a, 1)), "為官員提供培訓。");
    json_decref(a);
}

static void test_split_rejects(void **state)
{
    (void)state;
    assert_null(split("", 10, VIGIL_EINVAL));
    assert_null(split("\n \n\t\n", 10, VIGIL_EINVAL));
    assert_null(split("1. \n\n- ", 10, VIGIL_EINVAL)); /* markers only */
    assert_null(split("a\n\nb\n\nc", 2, VIGIL_EINVAL));
    assert_null(split("bad \xff byte", 10, VIGIL_EINVAL));
    char big[4100];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_null(split(big, 10, VIGIL_EINVAL));
    big[4000] = '\0'; /* exactly 4000 characters is allowed */
    json_t *a = split(big, 10, VIGIL_OK);
    assert_int_equal(json_array_size(a), 1);
    json_decref(a);
}

static void test_state_rule(void **state)
{
    (void)state;
    /* from the measures */
    assert_string_equal(recommendation_state(NULL, 0, 0, 0), "not_started");
    assert_string_equal(recommendation_state(NULL, 2, 0, 0), "not_started");
    assert_string_equal(recommendation_state(NULL, 2, 1, 0), "in_progress");
    assert_string_equal(recommendation_state(NULL, 2, 2, 1), "in_progress");
    assert_string_equal(recommendation_state(NULL, 2, 2, 2), "met");
    assert_string_equal(recommendation_state("", 1, 1, 1), "met");
    /* an explicit assessment wins */
    assert_string_equal(recommendation_state("disputed", 2, 2, 2), "disputed");
    assert_string_equal(recommendation_state("met", 0, 0, 0), "met");
    assert_string_equal(recommendation_state("in_progress", 3, 0, 0), "in_progress");
}

static void test_figures_and_periods(void **state)
{
    (void)state;
    assert_true(figure_known("legal", "total"));
    assert_true(figure_known("legal", NULL));
    assert_true(figure_known("victims_by_sex", "count"));
    assert_true(figure_known("activities", "officials_trained"));
    assert_false(figure_known("legal", "count"));
    assert_false(figure_known("nope", NULL));
    assert_false(figure_known(NULL, NULL));
    assert_string_equal(figure_table(0), "cases_by_category");
    size_t n = 0;
    while (figure_table(n))
        n++;
    assert_int_equal(n, 15);
    char from[11], to[11];
    tipreport_period(2026, from, to);
    assert_string_equal(from, "2025-04-01");
    assert_string_equal(to, "2026-03-31");
    assert_int_equal(tipreport_tier_rank("tier1"), 1);
    assert_int_equal(tipreport_tier_rank("tier2_watch"), 3);
    assert_int_equal(tipreport_tier_rank("tier3"), 4);
    assert_int_equal(tipreport_tier_rank("special_case"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_paragraphs),
        cmocka_unit_test(test_split_rejects),
        cmocka_unit_test(test_state_rule),
        cmocka_unit_test(test_figures_and_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
