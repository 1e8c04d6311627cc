/* Unit tests for the escaping HTML emitter (src/web/html.c) and the form
 * parser (src/web/form.c): hostile values must come out inert in text,
 * attribute and URL contexts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/err.h"
#include "web/form.h"
#include "web/html.h"

static const char *const hostile[] = {
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "`x` &amp; <b>",
};

static char *render(const char *fmt, const char *v)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    html_printf(&b, fmt, v);
    size_t n;
    return buf_take(&b, &n);
}

/* No raw markup character of the value survives. */
static void assert_inert(const char *out)
{
    assert_null(strstr(out, "<script"));
    assert_null(strstr(out, "<img"));
    assert_null(strstr(out, "\"><"));
    assert_null(strstr(out, "'"));
    assert_null(strstr(out, "<b>"));
}

static void test_text(void **state)
{
    (void)state;
    char *s = render("%h", "<script>alert(1)</script>");
    assert_string_equal(s, "&lt;script&gt;alert(1)&lt;/script&gt;");
    free(s);
    s = render("%h", "\"><img src=x onerror=alert(1)>");
    assert_string_equal(s, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    free(s);
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        s = render("<p>%h</p>", hostile[i]);
        assert_inert(s + 3);
        free(s);
    }
    s = render("%h", "A & B: 澳門 São");
    assert_string_equal(s, "A &amp; B: 澳門 São");
    free(s);
}

static void test_attr(void **state)
{
    (void)state;
    char *s = render("<input value=\"%a\">", "\"><img src=x onerror=alert(1)>");
    assert_string_equal(s, "<input value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">");
    free(s);
    s = render("<a title=\"%a\">", "`x` ' \"");
    assert_string_equal(s, "<a title=\"&#96;x&#96; &#39; &quot;\">");
    free(s);
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        s = render("%a", hostile[i]);
        assert_inert(s);
        assert_null(strchr(s, '"'));
        assert_null(strchr(s, '`'));
        free(s);
    }
}

static void test_url_component(void **state)
{
    (void)state;
    char *s = render("/cases?q=%u", "a b&c=d/<x>\"'");
    assert_string_equal(s, "/cases?q=a%20b%26c%3Dd%2F%3Cx%3E%22%27");
    free(s);
    s = render("%u", "javascript:alert(1)");
    assert_string_equal(s, "javascript%3Aalert%281%29");
    free(s);
    s = render("%u", "澳");
    assert_string_equal(s, "%E6%BE%B3");
    free(s);
    s = render("%u", "Az09-._~");
    assert_string_equal(s, "Az09-._~");
    free(s);
}

static void test_url(void **state)
{
    (void)state;
    char *s = render("<a href=\"%U\">", "javascript:alert(1)");
    assert_string_equal(s, "<a href=\"about:invalid\">");
    free(s);
    const char *bad[] = {"JavaScript:alert(1)",
                         " javascript:alert(1)",
                         "java\tscript:alert(1)",
                         "data:text/html,<script>alert(1)</script>",
                         "//evil.example/",
                         "/\\evil.example",
                         "vbscript:x",
                         "",
                         NULL};
    for (int i = 0; bad[i]; i++) {
        assert_false(html_url_safe(bad[i]));
        s = render("%U", bad[i]);
        assert_string_equal(s, "about:invalid");
        free(s);
    }
    s = render("%U", "/cases?q=1&page=2");
    assert_string_equal(s, "/cases?q=1&amp;page=2");
    free(s);
    s = render("%U", "/x\"><script>alert(1)</script>");
    assert_inert(s);
    free(s);
    assert_true(html_url_safe("/cases/1"));
    assert_true(html_url_safe("https://example.org/a"));
    assert_true(html_url_safe("?lang=pt"));
    assert_true(html_url_safe("#main"));
}

static void test_numbers_and_literals(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    html_printf(&b, "%s|%d|%D|%z|100%%|%h", "<b>", -3, (int64_t)1 << 40, (size_t)7, NULL);
    assert_string_equal(buf_cstr(&b), "<b>|-3|1099511627776|7|100%|");
    buf_free(&b);
}

static void test_limit(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 16);
    assert_int_equal(html_printf(&b, "%h", "<<<<<<<<<<"), VIGIL_ETOOBIG);
    buf_free(&b);
}

static void test_form_parse(void **state)
{
    (void)state;
    json_t *o = NULL;
    char why[160];
    const char body[] = "csrf=abc&text=a+b%26c%3D&v.x=1&v.x=2&empty=&flag";
    assert_int_equal(form_parse(body, strlen(body), &o, why, sizeof why), VIGIL_OK);
    assert_string_equal(form_str(o, "text"), "a b&c=");
    assert_true(json_is_array(json_object_get(o, "v.x")));
    assert_int_equal(json_array_size(json_object_get(o, "v.x")), 2);
    assert_string_equal(form_str(o, "empty"), "");
    assert_string_equal(form_str(o, "flag"), "");
    assert_string_equal(form_str(o, "absent"), "");
    json_decref(o);
    const char *bad[] = {"a=%zz", "a=%4",  "a=%00", "a=%C3%28", "b%20c=1",
                         "=1",    "<x>=1", "a=%01", NULL};
    for (int i = 0; bad[i]; i++) {
        o = NULL;
        assert_int_equal(form_parse(bad[i], strlen(bad[i]), &o, why, sizeof why), VIGIL_EINVAL);
        assert_null(o);
    }
    char many[4 * (FORM_MAX_FIELDS + 1) + 1];
    for (int i = 0; i < FORM_MAX_FIELDS + 1; i++)
        memcpy(many + 4 * i, "a=1&", 4);
    many[4 * (FORM_MAX_FIELDS + 1)] = '\0';
    assert_int_equal(form_parse(many, strlen(many), &o, why, sizeof why), VIGIL_EINVAL);
    o = NULL;
    assert_int_equal(form_parse("", 0, &o, why, sizeof why), VIGIL_OK);
    assert_int_equal(json_object_size(o), 0);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_attr),
        cmocka_unit_test(test_url_component),
        cmocka_unit_test(test_url),
        cmocka_unit_test(test_numbers_and_literals),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_form_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
