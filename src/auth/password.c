/* Argon2id password hashing; see password.h. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/password.h"
#include "util/err.h"
#include "util/parse.h"

static int fast_mode(void)
{
    const char *f = getenv("VIGIL_PWHASH_FAST");
    return f && strcmp(f, "1") == 0;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_BYTES])
{
    int fast = fast_mode();
    unsigned long long ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return VIGIL_ENOMEM;
    return VIGIL_OK;
}

int password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

enum password_verdict password_check(const char *pw)
{
    size_t len = strlen(pw);
    if (len > PASSWORD_MAX_LEN)
        return PASSWORD_TOO_LONG;
    if (!utf8_valid(pw, len))
        return PASSWORD_NOT_UTF8;
    /* Code points, with a run of spaces counted once, so that "a    b"
     * does not pass for a long password. */
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        if (*p == ' ' && p > (const unsigned char *)pw && p[-1] == ' ')
            continue;
        n++;
    }
    return n < PASSWORD_MIN_LEN ? PASSWORD_TOO_SHORT : PASSWORD_OK;
}
