/* Unit tests for the strict parsers in src/util/parse.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <cmocka.h>

#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include <time.h>
#include <string.h>

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
    assert_false(utf8_valid("\xc0\xaf", 2));     /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
    assert_false(utf8_valid("a\0b", 3));         /* NUL */
    assert_false(utf8_valid("\xe6\xbe", 2));     /* truncated */
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

static void test_parse_int_ranges(void **state)
{
    (void)state;
    int v = 7;
    assert_int_equal(parse_int("0", 0, 10, &v), VIGIL_OK);
    assert_int_equal(v, 0);
    assert_int_equal(parse_int("10", 0, 10, &v), VIGIL_OK); /* bounds are inclusive */
    assert_int_equal(v, 10);
    assert_int_equal(parse_int("-10", -10, 0, &v), VIGIL_OK);
    assert_int_equal(v, -10);
    assert_int_equal(parse_int("2147483647", INT_MIN, INT_MAX, &v), VIGIL_OK);
    assert_int_equal(v, INT_MAX);
    assert_int_equal(parse_int("-2147483648", INT_MIN, INT_MAX, &v), VIGIL_OK);
    assert_int_equal(v, INT_MIN);
    v = 7;
    assert_int_equal(parse_int("11", 0, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("-1", 0, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("2147483648", INT_MIN, INT_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("-2147483649", INT_MIN, INT_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("4294967296", INT_MIN, INT_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("", 0, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int(NULL, 0, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("-", 0, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("5 ", 0, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("0x5", 0, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("5.0", 0, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("--5", -10, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("+-5", -10, 10, &v), VIGIL_EINVAL);
    assert_int_equal(parse_int("\t5", 0, 10, &v), VIGIL_EINVAL);
    assert_int_equal(v, 7); /* untouched on failure */

    int64_t w = 3;
    assert_int_equal(parse_i64("9223372036854775807", INT64_MIN, INT64_MAX, &w), VIGIL_OK);
    assert_true(w == INT64_MAX);
    assert_int_equal(parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &w), VIGIL_OK);
    assert_true(w == INT64_MIN);
    w = 3;
    assert_int_equal(parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &w), VIGIL_EINVAL);
    assert_int_equal(parse_i64("-9223372036854775809", INT64_MIN, INT64_MAX, &w), VIGIL_EINVAL);
    assert_int_equal(w, 3);
}

static void test_parse_size(void **state)
{
    (void)state;
    size_t v = 7;
    assert_int_equal(parse_size("1048576", 0, SIZE_MAX, &v), VIGIL_OK);
    assert_int_equal(v, 1048576);
    assert_int_equal(parse_size("0", 0, SIZE_MAX, &v), VIGIL_OK);
    assert_int_equal(v, 0);
    assert_int_equal(parse_size("64k", 0, SIZE_MAX, &v), VIGIL_OK);
    assert_int_equal(v, 64 * 1024);
    assert_int_equal(parse_size("64K", 0, SIZE_MAX, &v), VIGIL_OK);
    assert_int_equal(v, 64 * 1024);
    assert_int_equal(parse_size("1M", 0, SIZE_MAX, &v), VIGIL_OK);
    assert_int_equal(v, 1024 * 1024);
    assert_int_equal(parse_size("3m", 0, SIZE_MAX, &v), VIGIL_OK);
    assert_int_equal(v, 3 * 1024 * 1024);
    /* The range applies to the value after the suffix. */
    assert_int_equal(parse_size("1k", 1024, 1024, &v), VIGIL_OK);
    assert_int_equal(v, 1024);
    v = 7;
    assert_int_equal(parse_size("1k", 0, 1000, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("1k", 1025, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("1023", 1024, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size(NULL, 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("k", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("M", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("-1", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("-1k", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("1G", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("1kb", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("1kk", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("1.5M", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size(" 1k", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("1 k", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("12x", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    /* Multiplying must not wrap around. */
    assert_int_equal(parse_size("9223372036854775807M", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("99999999999999999999", 0, SIZE_MAX, &v), VIGIL_EINVAL);
    assert_int_equal(parse_size("0000000000000000000000000000000000000001", 0, SIZE_MAX, &v),
                     VIGIL_EINVAL); /* longer than any size needs */
    assert_int_equal(v, 7);
}

static int date_ok(const char *s)
{
    int y = 0, m = 0, d = 0;
    return parse_date(s, &y, &m, &d) == VIGIL_OK;
}

static void test_parse_date_calendar(void **state)
{
    (void)state;
    /* Leap years: every fourth, except centuries, except every fourth century. */
    assert_true(date_ok("2000-02-29"));
    assert_true(date_ok("2024-02-29"));
    assert_true(date_ok("1904-02-29"));
    assert_false(date_ok("1900-02-29"));
    assert_false(date_ok("2100-02-29"));
    assert_false(date_ok("2025-02-29"));
    assert_true(date_ok("2025-02-28"));
    assert_false(date_ok("2024-02-30"));
    /* Month lengths. */
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++) {
        char s[32], t[32];
        snprintf(s, sizeof s, "2023-%02d-%02d", m, days[m - 1]);
        snprintf(t, sizeof t, "2023-%02d-%02d", m, days[m - 1] + 1);
        assert_true(date_ok(s));
        assert_false(date_ok(t));
    }
    assert_false(date_ok("2023-00-10"));
    assert_false(date_ok("2023-01-00"));
    assert_false(date_ok("2023-01-32"));
    /* The supported years. */
    assert_true(date_ok("1900-01-01"));
    assert_true(date_ok("2200-12-31"));
    assert_false(date_ok("1899-12-31"));
    assert_false(date_ok("2201-01-01"));
    assert_false(date_ok("0000-01-01"));
    /* Shape. */
    assert_false(date_ok(NULL));
    assert_false(date_ok(""));
    assert_false(date_ok("2024/02/29"));
    assert_false(date_ok("20240229"));
    assert_false(date_ok("2024-2-029"));
    assert_false(date_ok("+024-01-01"));
    assert_false(date_ok("2024-01- 1"));
    assert_false(date_ok("2024-01-01T00:00:00Z"));
    assert_false(date_ok(" 2024-01-01"));

    int y = 1, m = 2, d = 3;
    assert_int_equal(parse_date("2023-02-29", &y, &m, &d), VIGIL_EINVAL);
    assert_int_equal(y * 10000 + m * 100 + d, 10203); /* untouched on failure */
    assert_int_equal(parse_date("1999-12-31", &y, &m, &d), VIGIL_OK);
    assert_int_equal(y, 1999);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    /* The outputs are optional. */
    assert_int_equal(parse_date("2024-02-29", NULL, NULL, NULL), VIGIL_OK);
    assert_int_equal(parse_date("2023-02-29", NULL, NULL, NULL), VIGIL_EINVAL);
}

static void test_utf8_edges(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("\xc2\x80", 2));          /* U+0080, smallest 2-byte */
    assert_false(utf8_valid("\xc1\xbf", 2));         /* overlong U+007F */
    assert_true(utf8_valid("\xe0\xa0\x80", 3));      /* U+0800, smallest 3-byte */
    assert_false(utf8_valid("\xe0\x80\xaf", 3));     /* overlong '/' */
    assert_false(utf8_valid("\xe0\x9f\xbf", 3));     /* overlong U+07FF */
    assert_true(utf8_valid("\xed\x9f\xbf", 3));      /* U+D7FF, just below surrogates */
    assert_false(utf8_valid("\xed\xbf\xbf", 3));     /* U+DFFF, last surrogate */
    assert_true(utf8_valid("\xee\x80\x80", 3));      /* U+E000, just above */
    assert_true(utf8_valid("\xef\xbf\xbf", 3));      /* U+FFFF */
    assert_true(utf8_valid("\xf0\x90\x80\x80", 4));  /* U+10000, smallest 4-byte */
    assert_false(utf8_valid("\xf0\x8f\xbf\xbf", 4)); /* overlong U+FFFF */
    assert_true(utf8_valid("\xf4\x8f\xbf\xbf", 4));  /* U+10FFFF, the last code point */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* U+110000 */
    assert_false(utf8_valid("\xf5\x80\x80\x80", 4));
    assert_false(utf8_valid("\xf8\x88\x80\x80\x80", 5)); /* 5-byte forms are gone */
    assert_false(utf8_valid("\x80", 1));                 /* lone continuation byte */
    assert_false(utf8_valid("a\xbf", 2));
    assert_false(utf8_valid("\xc3\x28", 2)); /* bad continuation */
    assert_false(utf8_valid("\xe6\x28\xb3", 3));
    assert_false(utf8_valid("\xf0\x9f\x98", 3)); /* truncated 4-byte */
    assert_false(utf8_valid("\xfe", 1));
    /* Only the first n bytes count. */
    assert_true(utf8_valid("ab\xff", 2));
    assert_false(utf8_valid("ab\xff", 3));
    assert_false(utf8_valid("\xe6\xbe\xb3", 2)); /* a character cut by n */

    assert_int_equal(utf8_len(""), 0);
    assert_int_equal(utf8_len("abc"), 3);
    assert_int_equal(utf8_len("a\xf0\x9f\x98\x80"
                              "b"),
                     3);                               /* a, emoji, b */
    assert_int_equal(utf8_len("S\xc3\xa3o Paulo"), 9); /* São Paulo */
    assert_int_equal(utf8_len("\xe6\xbe\xb3\xe9\x96\x80"
                              "MO"),
                     4);
}

/* time_iso and time_date against the C library's gmtime_r and strftime,
 * over every day from 1900 to 2200 at a changing time of day, and at the
 * edges of days, leap days and the epoch. */
static void test_time_format(void **state)
{
    (void)state;
    char got[21], want[32], gd[11];
    int64_t edges[] = {0,           -1,
                       1,           86399,
                       86400,       951782400 /* 2000-02-29 */,
                       951868799,   4107456000 /* 2100-02-28 */,
                       4107542400,  -2208988800 /* 1900-01-01 */,
                       253402300799 /* 9999-12-31T23:59:59 */};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        time_t tt = (time_t)edges[i];
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        time_iso(edges[i], got);
        assert_string_equal(got, want);
    }
    for (int64_t t = -2208988800; t < 7258118400; t += 86400 + 3607) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        time_iso(t, got);
        assert_string_equal(got, want);
        time_date(t, gd);
        assert_int_equal(strlen(gd), 10);
        assert_memory_equal(gd, want, 10);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_i64),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_iso),
        cmocka_unit_test(test_parse_int_ranges),
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_parse_date_calendar),
        cmocka_unit_test(test_utf8_edges),
        cmocka_unit_test(test_time_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
