/*
 * Passwords: Argon2id through libsodium's crypto_pwhash_str, at the
 * "interactive" cost. VIGIL_PWHASH_FAST=1 in the environment drops to the
 * minimum cost, for test suites only; the hash string records its own cost,
 * so verification works whatever the setting.
 */
#ifndef VIGIL_PASSWORD_H
#define VIGIL_PASSWORD_H

#define PASSWORD_HASH_BYTES 128
/* ASVS 2.1.1: at least 12 characters (code points, a run of spaces
 * counting as one); at most 1024 bytes, never truncated. */
#define PASSWORD_MIN_LEN 12
#define PASSWORD_MAX_LEN 1024

enum password_verdict {
    PASSWORD_OK,
    PASSWORD_TOO_SHORT,
    PASSWORD_TOO_LONG,
    PASSWORD_NOT_UTF8, /* not valid UTF-8, or holds a NUL */
};

/* Whether pw may be a new password: the length policy above and nothing
 * else (no composition rules, ASVS 2.1.9). */
enum password_verdict password_check(const char *pw);

int password_hash(const char *pw, char out[PASSWORD_HASH_BYTES]);
/* 1 when pw matches the stored hash. */
int password_verify(const char *hash, const char *pw);

#endif
