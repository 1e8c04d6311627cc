/* Unit tests for field sealing, key files, tokens and hashes in src/crypto/crypto.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "crypto/crypto.h"
#include "util/err.h"

/* The sealed format from crypto.h: version byte, 24-byte nonce, tag. */
#define HDR 25
#define TAG 16

struct fixture {
    char dir[64];
    char path[128];
    struct vkey k1, k2;
};

static void path_in(struct fixture *f, const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", f->dir, name);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    assert_int_equal(chmod(path, mode), 0);
}

static int teardown(void **state);

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/vigil-test-crypto-XXXXXX");
    if (crypto_init() != VIGIL_OK || !mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    char err[256];
    char p1[128], p2[128];
    path_in(f, "k1", p1, sizeof p1);
    path_in(f, "k2", p2, sizeof p2);
    if (key_create(p1, err, sizeof err) || key_load(p1, &f->k1, err, sizeof err) ||
        key_create(p2, err, sizeof err) || key_load(p2, &f->k2, err, sizeof err)) {
        print_error("%s\n", err);
        teardown((void **)&f);
        return -1;
    }
    unlink(p1);
    unlink(p2);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    static const char *const names[] = {"k1",        "k2",         "new.key",
                                        "loose.key", "bad.key",    "short.key",
                                        "long.key",  "nothex.key", "known.key"};
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        path_in(f, names[i], p, sizeof p);
        unlink(p);
    }
    int rc = rmdir(f->dir);
    free(f);
    return rc;
}

static int contains(const unsigned char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; m <= n && i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

static void test_roundtrip(void **state)
{
    struct fixture *f = *state;
    static const char *const texts[] = {"", "a", "Maria Santos",
                                        "\xe9\x99\xb3\xe5\xa4\xa7\xe6\x96\x87", /* 陳大文 */
                                        "{\"prs_FirstName\":\"Ana\"}"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t n = strlen(texts[i]);
        unsigned char *ct = NULL;
        size_t ctlen = 0;
        assert_int_equal(crypto_seal(&f->k1, "person:42", texts[i], n, &ct, &ctlen), VIGIL_OK);
        assert_non_null(ct);
        assert_int_equal(ctlen, HDR + n + TAG);
        assert_int_equal(ct[0], 0x01);
        if (n >= 4) /* the plain text does not show through */
            assert_false(contains(ct, ctlen, texts[i], n));
        char *pt = NULL;
        size_t ptlen = 99;
        assert_int_equal(crypto_open(&f->k1, "person:42", ct, ctlen, &pt, &ptlen), VIGIL_OK);
        assert_non_null(pt);
        assert_int_equal(ptlen, n);
        assert_memory_equal(pt, texts[i], n);
        assert_int_equal(pt[n], '\0');
        free(pt);
        pt = NULL;
        /* outlen is optional */
        assert_int_equal(crypto_open(&f->k1, "person:42", ct, ctlen, &pt, NULL), VIGIL_OK);
        assert_string_equal(pt, texts[i]);
        free(pt);
        free(ct);
    }
}

static void test_binary_plaintext(void **state)
{
    struct fixture *f = *state;
    unsigned char in[256];
    for (int i = 0; i < 256; i++)
        in[i] = (unsigned char)i;
    unsigned char *ct;
    size_t ctlen;
    assert_int_equal(crypto_seal(&f->k1, "blob", in, sizeof in, &ct, &ctlen), VIGIL_OK);
    char *pt;
    size_t ptlen;
    assert_int_equal(crypto_open(&f->k1, "blob", ct, ctlen, &pt, &ptlen), VIGIL_OK);
    assert_int_equal(ptlen, sizeof in);
    assert_memory_equal(pt, in, sizeof in);
    free(pt);
    free(ct);
}

static void seal(struct fixture *f, const char *ad, const char *text, unsigned char **ct, size_t *n)
{
    assert_int_equal(crypto_seal(&f->k1, ad, text, strlen(text), ct, n), VIGIL_OK);
}

static void assert_corrupt(const struct vkey *k, const char *ad, const unsigned char *ct, size_t n)
{
    char *pt = NULL;
    size_t ptlen = 12345;
    assert_int_equal(crypto_open(k, ad, ct, n, &pt, &ptlen), VIGIL_ECORRUPT);
    assert_null(pt);
}

static void test_wrong_key(void **state)
{
    struct fixture *f = *state;
    unsigned char *ct;
    size_t n;
    seal(f, "person:42", "secret name", &ct, &n);
    assert_corrupt(&f->k2, "person:42", ct, n);
    free(ct);
}

static void test_wrong_ad(void **state)
{
    struct fixture *f = *state;
    unsigned char *ct;
    size_t n;
    seal(f, "person:42", "secret name", &ct, &n);
    assert_corrupt(&f->k1, "person:43", ct, n);
    assert_corrupt(&f->k1, "person:4", ct, n);
    assert_corrupt(&f->k1, "", ct, n);
    assert_corrupt(&f->k1, "person:42 ", ct, n);
    free(ct);
}

static void test_flipped_bytes(void **state)
{
    struct fixture *f = *state;
    unsigned char *ct;
    size_t n;
    seal(f, "person:42", "secret name", &ct, &n);
    /* Every byte matters: version, nonce, ciphertext and tag. */
    for (size_t i = 0; i < n; i++) {
        for (int bit = 0; bit < 8; bit += 7) {
            ct[i] ^= (unsigned char)(1u << bit);
            assert_corrupt(&f->k1, "person:42", ct, n);
            ct[i] ^= (unsigned char)(1u << bit);
        }
    }
    /* Restored, it opens again. */
    char *pt;
    assert_int_equal(crypto_open(&f->k1, "person:42", ct, n, &pt, NULL), VIGIL_OK);
    assert_string_equal(pt, "secret name");
    free(pt);
    free(ct);
}

static void test_truncated(void **state)
{
    struct fixture *f = *state;
    unsigned char *ct;
    size_t n;
    seal(f, "person:42", "secret name", &ct, &n);
    for (size_t len = 0; len < n; len++)
        assert_corrupt(&f->k1, "person:42", ct, len);
    /* Bytes appended are tampering too. */
    unsigned char *longer = malloc(n + 1);
    assert_non_null(longer);
    memcpy(longer, ct, n);
    longer[n] = 0;
    assert_corrupt(&f->k1, "person:42", longer, n + 1);
    free(longer);
    free(ct);
}

static void test_random_nonce(void **state)
{
    struct fixture *f = *state;
    unsigned char *a, *b;
    size_t na, nb;
    seal(f, "person:42", "same text", &a, &na);
    seal(f, "person:42", "same text", &b, &nb);
    assert_int_equal(na, nb);
    assert_memory_not_equal(a + 1, b + 1, 24); /* nonces */
    assert_memory_not_equal(a + HDR, b + HDR, na - HDR);
    free(a);
    free(b);
}

static void test_key_create(void **state)
{
    struct fixture *f = *state;
    char p[128], err[256] = "";
    path_in(f, "new.key", p, sizeof p);
    mode_t old = umask(0); /* the 0600 must come from key_create, not the umask */
    int rc = key_create(p, err, sizeof err);
    umask(old);
    assert_int_equal(rc, VIGIL_OK);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);

    /* 64 hex digits and a newline. */
    FILE *fp = fopen(p, "r");
    assert_non_null(fp);
    char text[200] = "";
    size_t got = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    assert_int_equal(got, 65);
    for (int i = 0; i < 64; i++)
        assert_non_null(strchr("0123456789abcdefABCDEF", text[i]));
    assert_int_equal(text[64], '\n');

    struct vkey k;
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_OK);
    /* A second key_create refuses, and leaves the key as it was. */
    err[0] = '\0';
    assert_int_equal(key_create(p, err, sizeof err), VIGIL_EEXIST);
    assert_true(strlen(err) > 0);
    struct vkey again;
    assert_int_equal(key_load(p, &again, err, sizeof err), VIGIL_OK);
    assert_memory_equal(k.k, again.k, VKEY_BYTES);

    /* Two new keys differ. */
    char p2[128];
    path_in(f, "known.key", p2, sizeof p2);
    assert_int_equal(key_create(p2, err, sizeof err), VIGIL_OK);
    assert_int_equal(key_load(p2, &again, err, sizeof err), VIGIL_OK);
    assert_memory_not_equal(k.k, again.k, VKEY_BYTES);
}

static void test_key_load_known(void **state)
{
    struct fixture *f = *state;
    char p[128], err[256];
    char hex[80] = "";
    for (int i = 0; i < VKEY_BYTES; i++) {
        char two[3];
        snprintf(two, sizeof two, "%02x", (unsigned)(i * 7 + 1) & 0xffu);
        memcpy(hex + 2 * i, two, 3);
    }
    path_in(f, "known.key", p, sizeof p);
    char line[90];
    snprintf(line, sizeof line, "%s\n", hex);
    write_file(p, line, 0600);
    struct vkey k;
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_OK);
    for (int i = 0; i < VKEY_BYTES; i++)
        assert_int_equal(k.k[i], (i * 7 + 1) & 0xff);
    /* Without the newline too. */
    write_file(p, hex, 0600);
    memset(&k, 0, sizeof k);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_OK);
    assert_int_equal(k.k[1], 8);
}

static void test_key_load_refuses(void **state)
{
    struct fixture *f = *state;
    char p[128], err[256];
    struct vkey k;
    char good[80] = "";
    for (int i = 0; i < 64; i++)
        good[i] = "0123456789abcdef"[i % 16];

    /* Readable by others: refused although the key itself is fine. */
    path_in(f, "loose.key", p, sizeof p);
    write_file(p, good, 0644);
    err[0] = '\0';
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_EPERM);
    assert_true(strlen(err) > 0);
    write_file(p, good, 0640);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_EPERM);
    write_file(p, good, 0604);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_EPERM);
    write_file(p, good, 0400);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_OK);

    path_in(f, "bad.key", p, sizeof p);
    write_file(p, "not a key\n", 0600);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_EINVAL);
    write_file(p, "", 0600);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_EINVAL);

    char shorter[96];
    snprintf(shorter, sizeof shorter, "%.63s", good);
    path_in(f, "short.key", p, sizeof p);
    write_file(p, shorter, 0600);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_EINVAL);

    char longer[96];
    snprintf(longer, sizeof longer, "%s00", good);
    path_in(f, "long.key", p, sizeof p);
    write_file(p, longer, 0600);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_EINVAL);

    char nothex[96];
    snprintf(nothex, sizeof nothex, "%.63sg", good);
    path_in(f, "nothex.key", p, sizeof p);
    write_file(p, nothex, 0600);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_EINVAL);

    path_in(f, "missing.key", p, sizeof p);
    assert_int_equal(key_load(p, &k, err, sizeof err), VIGIL_EIO);
}

static int cmp_tok(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void test_token(void **state)
{
    (void)state;
    enum { N = 1000 };
    char(*toks)[44] = calloc(N, sizeof *toks);
    assert_non_null(toks);
    for (int i = 0; i < N; i++) {
        memset(toks[i], '#', sizeof toks[i]);
        crypto_token(toks[i]);
        assert_int_equal(strlen(toks[i]), 43);
        for (int j = 0; j < 43; j++)
            assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                   "0123456789-_",
                                   toks[i][j]));
    }
    qsort(toks, N, sizeof *toks, cmp_tok);
    for (int i = 1; i < N; i++)
        assert_string_not_equal(toks[i - 1], toks[i]);
    free(toks);
}

static void test_hash_hex(void **state)
{
    (void)state;
    char out[65];
    /* Expected values from Python's hashlib.blake2b(data, digest_size=32). */
    crypto_hash_hex("abc", 3, out);
    assert_string_equal(out, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    crypto_hash_hex("", 0, out);
    assert_string_equal(out, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    /* Only the n bytes given count. */
    crypto_hash_hex("abcdef", 3, out);
    assert_string_equal(out, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

static void test_keyed_hex(void **state)
{
    struct fixture *f = *state;
    char plain[65], a[65], a2[65], b[65];
    crypto_hash_hex("abc", 3, plain);
    crypto_keyed_hex(&f->k1, "abc", 3, a);
    crypto_keyed_hex(&f->k1, "abc", 3, a2);
    crypto_keyed_hex(&f->k2, "abc", 3, b);
    assert_int_equal(strlen(a), 64);
    assert_string_equal(a, a2);        /* deterministic */
    assert_string_not_equal(a, b);     /* depends on the key */
    assert_string_not_equal(a, plain); /* not the unkeyed hash */
    crypto_keyed_hex(&f->k1, "abd", 3, a2);
    assert_string_not_equal(a, a2);
}

static void test_streq(void **state)
{
    (void)state;
    assert_true(crypto_streq("", ""));
    assert_true(crypto_streq("token-abc", "token-abc"));
    assert_false(crypto_streq("token-abc", "token-abd"));
    assert_false(crypto_streq("token-abc", "Token-abc"));
    assert_false(crypto_streq("token-abc", "token-ab"));
    assert_false(crypto_streq("token-ab", "token-abc"));
    assert_false(crypto_streq("", "x"));
    assert_false(crypto_streq("x", ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),      cmocka_unit_test(test_binary_plaintext),
        cmocka_unit_test(test_wrong_key),      cmocka_unit_test(test_wrong_ad),
        cmocka_unit_test(test_flipped_bytes),  cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_random_nonce),   cmocka_unit_test(test_key_create),
        cmocka_unit_test(test_key_load_known), cmocka_unit_test(test_key_load_refuses),
        cmocka_unit_test(test_token),          cmocka_unit_test(test_hash_hex),
        cmocka_unit_test(test_keyed_hex),      cmocka_unit_test(test_streq),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
