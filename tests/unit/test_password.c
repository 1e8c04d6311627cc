/* Unit tests for Argon2id password hashing in src/auth/password.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "auth/password.h"
#include "util/err.h"

/* The m= (KiB), t= and p= parameters recorded in an encoded hash. */
static long param(const char *hash, const char *name)
{
    const char *p = strstr(hash, name);
    if (!p)
        return -1;
    return strtol(p + strlen(name), NULL, 10);
}

static int fast(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    return setenv("VIGIL_PWHASH_FAST", "1", 1);
}

static void test_hash_verify(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_BYTES];
    assert_int_equal(password_hash("correct horse battery", h), VIGIL_OK);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_true(strlen(h) < PASSWORD_HASH_BYTES);
    assert_null(strstr(h, "correct horse")); /* the password is not in the hash */
    assert_true(password_verify(h, "correct horse battery"));
    assert_false(password_verify(h, "correct horse batterz"));
    assert_false(password_verify(h, "Correct horse battery"));
    assert_false(password_verify(h, "correct horse battery "));
    assert_false(password_verify(h, "correct horse"));
    assert_false(password_verify(h, ""));
}

static void test_unicode(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_BYTES];
    const char *pw = "\xe6\xbe\xb3\xe9\x96\x80-pa\xc3\xa7o-2026"; /* 澳門-paço-2026 */
    assert_int_equal(password_hash(pw, h), VIGIL_OK);
    assert_true(password_verify(h, pw));
    assert_false(password_verify(h, "\xe6\xbe\xb3\xe9\x96\x80-paco-2026"));
}

static void test_salted(void **state)
{
    (void)state;
    char a[PASSWORD_HASH_BYTES], b[PASSWORD_HASH_BYTES];
    assert_int_equal(password_hash("same password 1", a), VIGIL_OK);
    assert_int_equal(password_hash("same password 1", b), VIGIL_OK);
    assert_string_not_equal(a, b);
    assert_true(password_verify(a, "same password 1"));
    assert_true(password_verify(b, "same password 1"));
}

static void test_bad_hash(void **state)
{
    (void)state;
    assert_false(password_verify("", "whatever-password"));
    assert_false(password_verify("$argon2id$garbage", "whatever-password"));
    assert_false(password_verify("plain-text-password", "plain-text-password"));
    char h[PASSWORD_HASH_BYTES];
    assert_int_equal(password_hash("truncate me please", h), VIGIL_OK);
    h[strlen(h) - 5] = '\0';
    assert_false(password_verify(h, "truncate me please"));
}

static void test_default_cost(void **state)
{
    (void)state;
    char slow[PASSWORD_HASH_BYTES], quick[PASSWORD_HASH_BYTES];
    assert_int_equal(password_hash("cheap hash for tests", quick), VIGIL_OK);
    assert_int_equal(unsetenv("VIGIL_PWHASH_FAST"), 0);
    assert_int_equal(password_hash("real cost password", slow), VIGIL_OK);
    /* Anything but "1" means the real cost. */
    char other[PASSWORD_HASH_BYTES];
    assert_int_equal(setenv("VIGIL_PWHASH_FAST", "0", 1), 0);
    assert_int_equal(password_hash("real cost password", other), VIGIL_OK);
    assert_int_equal(setenv("VIGIL_PWHASH_FAST", "1", 1), 0);

    assert_true(strncmp(slow, "$argon2id$", 10) == 0);
    /* libsodium's "interactive" limits, as the header promises. */
    assert_int_equal(param(slow, "m="), (long)(crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024));
    assert_int_equal(param(slow, "t="), (long)crypto_pwhash_OPSLIMIT_INTERACTIVE);
    assert_int_equal(param(other, "m="), (long)(crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024));
    assert_true(param(quick, "m=") > 0);
    assert_true(param(quick, "m=") < param(slow, "m="));

    /* The hash records its own cost, so either verifies whatever the setting. */
    assert_true(password_verify(slow, "real cost password"));
    assert_false(password_verify(slow, "real cost passwore"));
    assert_int_equal(unsetenv("VIGIL_PWHASH_FAST"), 0);
    assert_true(password_verify(quick, "cheap hash for tests"));
    assert_int_equal(setenv("VIGIL_PWHASH_FAST", "1", 1), 0);
}

/* ASVS 2.1.1: 12 characters at least; 2.1.2/2.1.3: up to 1024 bytes, any
 * Unicode, no truncation. */
static void test_minimum_length(void **state)
{
    (void)state;
    assert_int_equal(PASSWORD_MIN_LEN, 12);
    assert_int_equal(password_check("abcdefghijk"), PASSWORD_TOO_SHORT); /* 11 */
    assert_int_equal(password_check("abcdefghijkl"), PASSWORD_OK);       /* 12 */
    assert_int_equal(password_check(""), PASSWORD_TOO_SHORT);
    assert_int_equal(password_check("vigil-demo-2026"), PASSWORD_OK); /* the demo password */
    /* Characters, not bytes: 11 Chinese characters are 33 bytes and too few. */
    assert_int_equal(password_check("澳門特別行政區政府們們"), PASSWORD_TOO_SHORT);
    assert_int_equal(password_check("澳門特別行政區政府們們們"), PASSWORD_OK);
    /* A run of spaces counts as one character. */
    assert_int_equal(password_check("abcde      fghij"), PASSWORD_TOO_SHORT); /* 11 */
    assert_int_equal(password_check("abcde fghijkl"), PASSWORD_OK);
    /* The upper bound, in bytes. */
    char *big = malloc(PASSWORD_MAX_LEN + 2);
    assert_non_null(big);
    memset(big, 'x', PASSWORD_MAX_LEN);
    big[PASSWORD_MAX_LEN] = '\0';
    assert_int_equal(password_check(big), PASSWORD_OK);
    big[PASSWORD_MAX_LEN] = 'x';
    big[PASSWORD_MAX_LEN + 1] = '\0';
    assert_int_equal(password_check(big), PASSWORD_TOO_LONG);
    free(big);
    assert_int_equal(password_check("abcdefghijk\xff"), PASSWORD_NOT_UTF8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_verify),  cmocka_unit_test(test_unicode),
        cmocka_unit_test(test_salted),       cmocka_unit_test(test_bad_hash),
        cmocka_unit_test(test_default_cost), cmocka_unit_test(test_minimum_length),
    };
    return cmocka_run_group_tests(tests, fast, NULL);
}
