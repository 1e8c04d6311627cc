/* Unit tests for the strict parsers in src/util/parse.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/err.h"
#include "util/parse.h"

static void test_parse_i64(void **state)
{
    (void)state;
    int64_t v = 7;
    assert_int_equal(parse_i64("42", 0, 100, &v), VIGIL_OK);
    assert_int_equal(v, 42);
    assert_int_equal(parse_i64("-5", -10, 10, &v), VIGIL_OK);
    assert_int_equal(v, -5);
    v = 7;
    assert_int_equal(parse_i64("42x", 0, 100, &v), VIGIL_EINVAL);
    assert_int_equal(parse_i64(" 42", 0, 100, &v), VIGIL_EINVAL);
    assert_int_equal(parse_i64("", 0, 100, &v), VIGIL_EINVAL);
    assert_int_equal(parse_i64("101", 0, 100, &v), VIGIL_EINVAL);
    assert_int_equal(parse_i64("99999999999999999999", 0, INT64_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(v, 7); /* untouched on failure */
}

static void test_parse_date(void **state)
{
    (void)state;
    int y, m, d;
    assert_int_equal(parse_date("2024-02-29", &y, &m, &d), VIGIL_OK);
    assert_int_equal(y * 10000 + m * 100 + d, 20240229);
    assert_int_equal(parse_date("2023-02-29", &y, &m, &d), VIGIL_EINVAL);
    assert_int_equal(parse_date("2023-13-01", &y, &m, &d), VIGIL_EINVAL);
    assert_int_equal(parse_date("2023-1-01", &y, &m, &d), VIGIL_EINVAL);
    assert_int_equal(parse_date("2023-01-01x", &y, &m, &d), VIGIL_EINVAL);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(utf8_valid("abc", 3));
    assert_true(utf8_valid("\xe6\xbe\xb3\xe9\x96\x80", 6)); /* 澳門 */
    assert_false(utf8_valid("\xff", 1));
    assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(utf8_valid("a\0b", 3));             /* NUL */
    assert_false(utf8_valid("\xe6\xbe", 2));         /* truncated */
    assert_int_equal(utf8_len("\xe6\xbe\xb3\xe9\x96\x80"), 2);
}

static void test_iso(void **state)
{
    (void)state;
    assert_true(iso3166_valid("MO"));
    assert_true(iso3166_valid("PH"));
    assert_false(iso3166_valid("XX"));
    assert_false(iso3166_valid("ph"));
    assert_false(iso3166_valid("PHL"));
    assert_true(iso639_valid("pt"));
    assert_true(iso639_valid("zho"));
    assert_false(iso639_valid("PT"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_i64),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_iso),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
