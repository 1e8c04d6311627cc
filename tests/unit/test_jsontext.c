/* json_text against jansson's json_dumps(JSON_COMPACT): the same bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/err.h"
#include "util/jsontext.h"

static void same(json_t *v)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(want);
    struct buf b;
    buf_init(&b, 1 << 24);
    assert_int_equal(json_text(v, &b), VIGIL_OK);
    assert_string_equal(buf_cstr(&b), want);
    buf_free(&b);
    free(want);
}

static void test_scalars(void **state)
{
    (void)state;
    json_t *v[] = {
        json_integer(0),
        json_integer(-1),
        json_integer(42),
        json_integer(INT64_MAX),
        json_integer(INT64_MIN),
        json_real(1.5),
        json_real(0.1),
        json_real(3.0),
        json_real(-1e300),
        json_true(),
        json_false(),
        json_null(),
        json_string(""),
        json_string("TIP-2026-0042"),
        json_string("a\"b\\c/d"),
        json_string("\b\f\n\r\t\x01\x1f\x7f"),
        json_string("S\xc3\xa3o Paulo \xe6\xbe\xb3\xe9\x96\x80 \xe2\x80\xa8 \xf0\x9f\x98\x80"),
        json_stringn("nul\0inside", 10)};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        same(v[i]);
        json_decref(v[i]);
    }
}

/* Every byte below 0x80 in every position, and random UTF-8 text. */
static void test_strings(void **state)
{
    (void)state;
    char s[8];
    for (int c = 1; c < 0x80; c++) {
        snprintf(s, sizeof s, "x%cy%c", c, c);
        json_t *v = json_string(s);
        same(v);
        json_decref(v);
    }
    static const char *const pieces[] = {
        "a", "\"", "\\", "\n", "\x01", "\xc3\xa9", "\xe6\xbe\xb3", "\xf0\x9f\x98\x80", " ", "/"};
    srand(7);
    for (int n = 0; n < 500; n++) {
        char t[256] = "";
        int len = rand() % 30;
        for (int k = 0; k < len; k++)
            strcat(t, pieces[rand() % 10]);
        json_t *v = json_pack("{s:s, s:[s, i]}", t, t, "k", t, n);
        assert_non_null(v);
        same(v);
        json_decref(v);
    }
}

static void test_containers(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:{}, s:[], s:[{}, [], n, i, s], s:{s:{s:[i]}}}", "e", "a", "m", 1, "2",
                          "deep", "x", "y", -7);
    assert_non_null(v);
    same(v);
    json_decref(v);
    /* insertion order, not sorted */
    v = json_object();
    json_object_set_new(v, "zeta", json_integer(1));
    json_object_set_new(v, "alpha", json_integer(2));
    json_object_set_new(v, "mid", json_string("3"));
    same(v);
    json_decref(v);
    /* a case as the API answers it */
    v = json_pack("{s:i, s:s, s:i, s:s, s:s, s:s, s:o, s:s}", "id", 7, "reference", "TIP-2026-0007",
                  "version", 3, "organisation", "PJ", "created_at", "2026-11-28T12:00:00Z",
                  "cas_Status", "Active", "closed_on", json_null(), "place_of_recruitment",
                  "'; DROP TABLE cases; --");
    assert_non_null(v);
    same(v);
    json_decref(v);
}

static void test_limits(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(json_text(NULL, &b), VIGIL_EINVAL);
    json_t *deep = json_array();
    json_t *cur = deep;
    for (int i = 0; i < JSON_TEXT_DEPTH + 2; i++) {
        json_t *a = json_array();
        json_array_append_new(cur, a);
        cur = a;
    }
    assert_int_equal(json_text(deep, &b), VIGIL_EINVAL);
    buf_free(&b);
    /* a buffer too small for the text reports it */
    buf_init(&b, 8);
    json_t *s = json_string("longer than eight bytes");
    assert_int_equal(json_text(s, &b), VIGIL_ETOOBIG);
    buf_free(&b);
    json_decref(s);
    json_decref(deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_containers),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
