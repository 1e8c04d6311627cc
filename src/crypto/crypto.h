/*
 * Field encryption and tokens, on libsodium.
 *
 * Personal fields are sealed with XChaCha20-Poly1305 (IETF) under a 256-bit
 * key kept in a key file outside the database. A sealed value is
 *   0x01 || 24-byte random nonce || ciphertext || 16-byte tag
 * and is bound to its place by the associated data (for example "person:42"),
 * so a ciphertext moved to another row fails to open.
 */
#ifndef VIGIL_CRYPTO_H
#define VIGIL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define VKEY_BYTES 32

struct vkey {
    unsigned char k[VKEY_BYTES];
};

/* Call once before anything else here; VIGIL_OK or VIGIL_EIO. */
int crypto_init(void);

/* Create a new random key file with mode 0600; fails if it exists. */
int key_create(const char *path, char *err, size_t errlen);
/* Read a key file (64 hex digits); refuses files readable by group or others. */
int key_load(const char *path, struct vkey *out, char *err, size_t errlen);

/* Seal n bytes; *out is malloc'd (free it), *outlen set. */
int crypto_seal(const struct vkey *key, const char *ad, const void *pt, size_t n,
                unsigned char **out, size_t *outlen);
/* Open a sealed value; *out is malloc'd and NUL-terminated. VIGIL_ECORRUPT on
 * a wrong key, wrong associated data or tampered bytes. */
int crypto_open(const struct vkey *key, const char *ad, const unsigned char *ct, size_t n,
                char **out, size_t *outlen);

/* 32 random bytes as 43 characters of unpadded base64url, NUL-terminated. */
void crypto_token(char out[44]);
/* BLAKE2b-256 of s as 64 hex digits, NUL-terminated. */
void crypto_hash_hex(const void *s, size_t n, char out[65]);
/* BLAKE2b-256 keyed with the vigil key: a pseudonym that only holders of the
 * key can recompute. */
void crypto_keyed_hex(const struct vkey *key, const void *s, size_t n, char out[65]);
/* Constant-time string comparison; 1 when equal. */
int crypto_streq(const char *a, const char *b);

#endif
