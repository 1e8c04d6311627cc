/* Argon2id password hashing; see password.h. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/password.h"
#include "util/err.h"

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
