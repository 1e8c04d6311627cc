/*
 * Passwords: Argon2id through libsodium's crypto_pwhash_str, at the
 * "interactive" cost. VIGIL_PWHASH_FAST=1 in the environment drops to the
 * minimum cost, for test suites only; the hash string records its own cost,
 * so verification works whatever the setting.
 */
#ifndef VIGIL_PASSWORD_H
#define VIGIL_PASSWORD_H

#define PASSWORD_HASH_BYTES 128
#define PASSWORD_MIN_LEN    10
#define PASSWORD_MAX_LEN    1024

int password_hash(const char *pw, char out[PASSWORD_HASH_BYTES]);
/* 1 when pw matches the stored hash. */
int password_verify(const char *hash, const char *pw);

#endif
