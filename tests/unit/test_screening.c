/* Tests of the screening recommendation rule (src/core/screening.c) against
 * docs/screening.md, branch by branch, and of parsing screening bodies. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/screening.h"
#include "util/err.h"

static struct screening blank(void)
{
    struct screening s;
    memset(&s, 0, sizeof s);
    return s;
}

static void test_all_unknown(void **state)
{
    (void)state;
    struct screening s = blank();
    int complete = 1;
    assert_int_equal(screening_recommend(&s, &complete), REC_NOT_INDICATED);
    assert_int_equal(complete, 0);
    s.child = 1; /* a child with nothing known is still nothing known */
    assert_int_equal(screening_recommend(&s, &complete), REC_NOT_INDICATED);
    assert_int_equal(complete, 0);
}

static void test_palermo_adult(void **state)
{
    (void)state;
    struct screening s = blank();
    int complete;
    s.palermo[PAL_ACT] = ANS_YES;
    s.palermo[PAL_MEANS] = ANS_YES;
    s.palermo[PAL_PURPOSE] = ANS_YES;
    assert_int_equal(screening_recommend(&s, &complete), REC_LIKELY_VICTIM);
    assert_int_equal(complete, 1);
    s.palermo[PAL_MEANS] = ANS_NO; /* an adult needs the means */
    assert_int_equal(screening_recommend(&s, &complete), REC_NOT_INDICATED);
    s.palermo[PAL_MEANS] = ANS_UNKNOWN; /* two yes, none no: possible */
    assert_int_equal(screening_recommend(&s, &complete), REC_POSSIBLE_VICTIM);
}

static void test_child_rule(void **state)
{
    (void)state;
    struct screening s = blank();
    s.child = 1;
    s.palermo[PAL_ACT] = ANS_YES;
    s.palermo[PAL_PURPOSE] = ANS_YES;
    s.palermo[PAL_MEANS] = ANS_NO; /* not required for a child */
    assert_int_equal(screening_recommend(&s, NULL), REC_LIKELY_VICTIM);
    s.palermo[PAL_MEANS] = ANS_UNKNOWN;
    assert_int_equal(screening_recommend(&s, NULL), REC_LIKELY_VICTIM);
    s.palermo[PAL_PURPOSE] = ANS_NO;
    assert_int_equal(screening_recommend(&s, NULL), REC_NOT_INDICATED);
    s.palermo[PAL_PURPOSE] = ANS_UNKNOWN; /* act yes, means ignored: possible */
    assert_int_equal(screening_recommend(&s, NULL), REC_POSSIBLE_VICTIM);
    s.child = 0;
    s.palermo[PAL_MEANS] = ANS_NO; /* the same for an adult with means no */
    assert_int_equal(screening_recommend(&s, NULL), REC_NOT_INDICATED);
}

static void test_ilo_indicators(void **state)
{
    (void)state;
    struct screening s = blank();
    s.ilo[ILO_EXCESSIVE_OVERTIME] = ANS_YES; /* one weak indicator */
    assert_int_equal(screening_recommend(&s, NULL), REC_NOT_INDICATED);
    s.ilo[ILO_ISOLATION] = ANS_YES; /* two indicators */
    assert_int_equal(screening_recommend(&s, NULL), REC_POSSIBLE_VICTIM);
    s = blank();
    s.ilo[ILO_RETENTION_OF_DOCUMENTS] = ANS_YES; /* one strong indicator */
    assert_int_equal(screening_recommend(&s, NULL), REC_POSSIBLE_VICTIM);
    s.palermo[PAL_ACT] = ANS_NO; /* a strong indicator still stands */
    assert_int_equal(screening_recommend(&s, NULL), REC_POSSIBLE_VICTIM);
    s = blank();
    for (int i = 0; i < ILO_COUNT; i++)
        s.ilo[i] = ANS_NO;
    s.palermo[PAL_ACT] = ANS_YES;
    s.palermo[PAL_PURPOSE] = ANS_NO;
    assert_int_equal(screening_recommend(&s, NULL), REC_NOT_INDICATED);
}

static void test_parse(void **state)
{
    (void)state;
    struct screening s;
    struct verr e;
    json_t *in = json_pack("{s:b, s:{s:{s:s, s:s}, s:s}, s:{s:s, s:s}}", "child", 1, "indicators",
                           "debt_bondage", "answer", "yes", "note", "owes the agency", "isolation",
                           "no", "palermo", "act", "yes", "purpose", "yes");
    assert_int_equal(screening_parse(in, &s, &e), VIGIL_OK);
    assert_int_equal(s.child, 1);
    assert_int_equal(s.ilo[ILO_DEBT_BONDAGE], ANS_YES);
    assert_int_equal(s.ilo[ILO_ISOLATION], ANS_NO);
    assert_int_equal(s.ilo[ILO_DECEPTION], ANS_UNKNOWN);
    assert_int_equal(screening_recommend(&s, NULL), REC_LIKELY_VICTIM);
    json_decref(in);

    in = json_pack("{s:{s:s}}", "indicators", "telepathy", "yes");
    assert_int_equal(screening_parse(in, &s, &e), VIGIL_EINVAL);
    assert_string_equal(e.field, "telepathy");
    json_decref(in);
    in = json_pack("{s:{s:s}}", "palermo", "act", "maybe");
    assert_int_equal(screening_parse(in, &s, &e), VIGIL_EINVAL);
    assert_string_equal(e.field, "act");
    json_decref(in);
    in = json_pack("{s:s}", "child", "yes");
    assert_int_equal(screening_parse(in, &s, &e), VIGIL_EINVAL);
    assert_string_equal(e.field, "child");
    json_decref(in);
    assert_string_equal(recommendation_name(REC_POSSIBLE_VICTIM), "possible_victim");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_unknown), cmocka_unit_test(test_palermo_adult),
        cmocka_unit_test(test_child_rule),  cmocka_unit_test(test_ilo_indicators),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
