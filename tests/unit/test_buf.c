/* Unit tests for the bounded growable buffers in src/util/buf.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/err.h"

static void test_empty(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_int_equal(buf_len(&b), 0);
    assert_int_equal(buf_err(&b), 0);
    assert_non_null(buf_cstr(&b));
    assert_string_equal(buf_cstr(&b), "");
    buf_free(&b);
    /* buf_free leaves a buffer that is safe to free again. */
    buf_free(&b);
}

static void test_growth(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    /* Byte by byte well past any initial capacity: every append must keep
     * the earlier bytes and the terminating NUL. */
    for (int i = 0; i < 5000; i++) {
        assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
        assert_int_equal(buf_len(&b), (size_t)i + 1);
        assert_int_equal(b.p[buf_len(&b)], '\0');
        assert_true(b.cap > buf_len(&b));
    }
    const char *s = buf_cstr(&b);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(s[i], 'a' + i % 26);
    assert_int_equal(strlen(s), 5000);

    /* One large append in a single call. */
    size_t big = 300000;
    char *chunk = malloc(big);
    assert_non_null(chunk);
    memset(chunk, 'z', big);
    assert_int_equal(buf_add(&b, chunk, big), 0);
    assert_int_equal(buf_len(&b), 5000 + big);
    assert_int_equal(buf_cstr(&b)[4999], 'a' + 4999 % 26);
    assert_int_equal(buf_cstr(&b)[5000], 'z');
    assert_int_equal(buf_cstr(&b)[5000 + big - 1], 'z');
    assert_int_equal(buf_cstr(&b)[5000 + big], '\0');
    free(chunk);
    buf_free(&b);
}

static void test_binary(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 64);
    assert_int_equal(buf_add(&b, "a\0b", 3), 0);
    assert_int_equal(buf_add(&b, "", 0), 0);
    assert_int_equal(buf_len(&b), 3);
    assert_memory_equal(b.p, "a\0b", 4);
    assert_int_equal(buf_puts(&b, "cd"), 0);
    assert_int_equal(buf_len(&b), 5);
    assert_memory_equal(b.p, "a\0bcd", 6);
    buf_free(&b);
}

static void test_max_exact(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 5);
    assert_int_equal(buf_puts(&b, "abc"), 0);
    assert_int_equal(buf_puts(&b, "de"), 0); /* exactly at the maximum */
    assert_int_equal(buf_len(&b), 5);
    assert_string_equal(buf_cstr(&b), "abcde");
    assert_int_equal(buf_add(&b, "", 0), 0); /* nothing more is still fine */
    assert_int_equal(buf_err(&b), 0);
    assert_int_equal(buf_putc(&b, 'f'), VIGIL_ETOOBIG);
    assert_int_equal(buf_len(&b), 5);
    assert_string_equal(buf_cstr(&b), "abcde");
    buf_free(&b);
}

static void test_max_sticky(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_int_equal(buf_puts(&b, "0123456"), 0);
    /* An append that would cross the maximum fails whole, not in part. */
    assert_int_equal(buf_puts(&b, "789A"), VIGIL_ETOOBIG);
    assert_int_equal(buf_err(&b), VIGIL_ETOOBIG);
    assert_int_equal(buf_len(&b), 7);
    assert_string_equal(buf_cstr(&b), "0123456");
    /* Sticky: even appends that would fit now fail, and change nothing. */
    assert_int_equal(buf_putc(&b, '7'), VIGIL_ETOOBIG);
    assert_int_equal(buf_puts(&b, ""), VIGIL_ETOOBIG);
    assert_int_equal(buf_printf(&b, "%d", 7), VIGIL_ETOOBIG);
    assert_int_equal(buf_len(&b), 7);
    assert_int_equal(buf_err(&b), VIGIL_ETOOBIG);
    /* reset clears the error and the contents. */
    buf_reset(&b);
    assert_int_equal(buf_err(&b), 0);
    assert_int_equal(buf_len(&b), 0);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(buf_puts(&b, "0123456789"), 0);
    assert_string_equal(buf_cstr(&b), "0123456789");
    buf_free(&b);
}

static void test_max_overflow(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_int_equal(buf_puts(&b, "x"), 0);
    /* A length near SIZE_MAX must be refused without wrapping around (the
     * data pointer is never read when the length is refused). */
    assert_int_equal(buf_add(&b, "y", SIZE_MAX), VIGIL_ETOOBIG);
    assert_int_equal(buf_len(&b), 1);
    buf_free(&b);

    buf_init(&b, SIZE_MAX);
    assert_int_equal(buf_puts(&b, "x"), 0);
    assert_int_equal(buf_add(&b, "y", SIZE_MAX), VIGIL_ETOOBIG);
    assert_int_equal(buf_len(&b), 1);
    assert_string_equal(buf_cstr(&b), "x");
    buf_free(&b);

    buf_init(&b, 0); /* a zero maximum holds nothing */
    assert_int_equal(buf_putc(&b, 'a'), VIGIL_ETOOBIG);
    assert_int_equal(buf_len(&b), 0);
    assert_string_equal(buf_cstr(&b), "");
    buf_free(&b);
}

static void test_printf(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 16);
    assert_int_equal(buf_printf(&b, "%s-%04d", "TIP", 42), 0);
    assert_string_equal(buf_cstr(&b), "TIP-0042");
    assert_int_equal(buf_printf(&b, "%c%ld", '/', -7L), 0);
    assert_string_equal(buf_cstr(&b), "TIP-0042/-7");

    /* Longer than any small internal scratch space. */
    char longs[1001];
    for (int i = 0; i < 1000; i++)
        longs[i] = (char)('A' + i % 26);
    longs[1000] = '\0';
    buf_reset(&b);
    assert_int_equal(buf_printf(&b, "[%s|%d]", longs, 12345), 0);
    assert_int_equal(buf_len(&b), 1000 + 8);
    const char *s = buf_cstr(&b);
    assert_int_equal(s[0], '[');
    assert_memory_equal(s + 1, longs, 1000);
    assert_string_equal(s + 1001, "|12345]");
    buf_free(&b);

    /* printf honours the maximum too, leaving the old contents. */
    buf_init(&b, 8);
    assert_int_equal(buf_printf(&b, "%s", "abc"), 0);
    assert_int_equal(buf_printf(&b, "%s", longs), VIGIL_ETOOBIG);
    assert_string_equal(buf_cstr(&b), "abc");
    buf_free(&b);
}

static void test_take(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 64);
    assert_int_equal(buf_puts(&b, "hello"), 0);
    size_t len = 0;
    char *p = buf_take(&b, &len);
    assert_non_null(p);
    assert_int_equal(len, 5);
    assert_string_equal(p, "hello");
    /* The buffer is left empty and usable, with the same maximum. */
    assert_int_equal(buf_len(&b), 0);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(buf_puts(&b, "again"), 0);
    assert_string_equal(buf_cstr(&b), "again");
    assert_string_equal(p, "hello"); /* the taken copy is independent */
    free(p);
    buf_free(&b);

    /* Taking an empty buffer gives an empty string to free, not NULL. */
    buf_init(&b, 64);
    len = 99;
    p = buf_take(&b, &len);
    assert_non_null(p);
    assert_int_equal(len, 0);
    assert_string_equal(p, "");
    free(p);
    p = buf_take(&b, NULL); /* len may be NULL */
    assert_non_null(p);
    free(p);
    buf_free(&b);

    buf_init(&b, 4);
    assert_int_equal(buf_puts(&b, "abcd"), 0);
    p = buf_take(&b, NULL);
    assert_int_equal(buf_puts(&b, "abcd"), 0); /* the maximum still applies */
    assert_int_equal(buf_putc(&b, 'e'), VIGIL_ETOOBIG);
    free(p);
    buf_free(&b);
}

static void test_reset_keeps_memory(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    for (int i = 0; i < 100; i++)
        assert_int_equal(buf_puts(&b, "0123456789"), 0);
    size_t cap = b.cap;
    buf_reset(&b);
    assert_int_equal(buf_len(&b), 0);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(b.cap, cap);
    assert_int_equal(buf_puts(&b, "x"), 0);
    assert_string_equal(buf_cstr(&b), "x");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_max_exact),
        cmocka_unit_test(test_max_sticky),
        cmocka_unit_test(test_max_overflow),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_take),
        cmocka_unit_test(test_reset_keeps_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
