/* libsodium wrappers for field sealing, key files, tokens and passwords. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/crypto.h"
#include "util/err.h"

#define SEAL_VERSION 0x01
#define NONCE_BYTES  crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES    crypto_aead_xchacha20poly1305_ietf_ABYTES

int crypto_init(void)
{
    if (sodium_init() < 0)
        return VIGIL_EIO;
    return VIGIL_OK;
}

int key_create(const char *path, char *err, size_t errlen)
{
    unsigned char k[VKEY_BYTES];
    char hex[VKEY_BYTES * 2 + 2];
    randombytes_buf(k, sizeof k);
    sodium_bin2hex(hex, sizeof hex, k, sizeof k);
    sodium_memzero(k, sizeof k);
    size_t n = strlen(hex);
    hex[n++] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
        return errno == EEXIST ? VIGIL_EEXIST : VIGIL_EIO;
    }
    int rc = VIGIL_OK;
    if (write(fd, hex, n) != (ssize_t)n || fsync(fd) != 0) {
        snprintf(err, errlen, "cannot write key file %s: %s", path, strerror(errno));
        rc = VIGIL_EIO;
    }
    close(fd);
    sodium_memzero(hex, sizeof hex);
    return rc;
}

int key_load(const char *path, struct vkey *out, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open key file %s: %s", path, strerror(errno));
        return VIGIL_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
        close(fd);
        snprintf(err, errlen, "key file %s must be mode 0600 (readable by its owner only)", path);
        return VIGIL_EPERM;
    }
    char hex[200];
    ssize_t n = read(fd, hex, sizeof hex - 1);
    close(fd);
    if (n < 0) {
        snprintf(err, errlen, "cannot read key file %s", path);
        return VIGIL_EIO;
    }
    hex[n] = '\0';
    while (n > 0 && (hex[n - 1] == '\n' || hex[n - 1] == '\r' || hex[n - 1] == ' '))
        hex[--n] = '\0';
    size_t binlen = 0;
    if (n != VKEY_BYTES * 2 ||
        sodium_hex2bin(out->k, sizeof out->k, hex, (size_t)n, NULL, &binlen, NULL) != 0 ||
        binlen != VKEY_BYTES) {
        sodium_memzero(hex, sizeof hex);
        snprintf(err, errlen, "key file %s does not hold a 256-bit hex key", path);
        return VIGIL_EINVAL;
    }
    sodium_memzero(hex, sizeof hex);
    return VIGIL_OK;
}

int crypto_seal(const struct vkey *key, const char *ad, const void *pt, size_t n,
                unsigned char **out, size_t *outlen)
{
    size_t len = 1 + NONCE_BYTES + n + TAG_BYTES;
    unsigned char *c = malloc(len);
    if (!c)
        return VIGIL_ENOMEM;
    c[0] = SEAL_VERSION;
    randombytes_buf(c + 1, NONCE_BYTES);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(c + 1 + NONCE_BYTES, &clen, pt, n,
                                               (const unsigned char *)ad, strlen(ad), NULL, c + 1,
                                               key->k);
    *out = c;
    *outlen = 1 + NONCE_BYTES + (size_t)clen;
    return VIGIL_OK;
}

int crypto_open(const struct vkey *key, const char *ad, const unsigned char *ct, size_t n,
                char **out, size_t *outlen)
{
    if (n < 1 + NONCE_BYTES + TAG_BYTES || ct[0] != SEAL_VERSION)
        return VIGIL_ECORRUPT;
    size_t mlen = n - 1 - NONCE_BYTES - TAG_BYTES;
    char *m = malloc(mlen + 1);
    if (!m)
        return VIGIL_ENOMEM;
    unsigned long long got = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            (unsigned char *)m, &got, NULL, ct + 1 + NONCE_BYTES, n - 1 - NONCE_BYTES,
            (const unsigned char *)ad, strlen(ad), ct + 1, key->k) != 0) {
        free(m);
        return VIGIL_ECORRUPT;
    }
    m[got] = '\0';
    *out = m;
    if (outlen)
        *outlen = (size_t)got;
    return VIGIL_OK;
}

void crypto_token(char out[44])
{
    unsigned char r[32];
    randombytes_buf(r, sizeof r);
    sodium_bin2base64(out, 44, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void crypto_hash_hex(const void *s, size_t n, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, s, n, NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void crypto_keyed_hex(const struct vkey *key, const void *s, size_t n, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, s, n, key->k, sizeof key->k);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int crypto_streq(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return 0;
    return sodium_memcmp(a, b, n) == 0;
}
