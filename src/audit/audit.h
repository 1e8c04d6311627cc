/*
 * The hash-chained audit log. Each entry's hash is BLAKE2b-256 over its own
 * fields and the previous entry's hash, so editing, deleting or reordering an
 * entry breaks the chain at that point, and audit_verify() names it.
 *
 * audit_append() must run inside the store transaction of the change it
 * records, so the change and its entry commit together or not at all. The
 * detail text must never hold personal data: ids, codes and field names only.
 */
#ifndef VIGIL_AUDIT_H
#define VIGIL_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

int audit_append(struct store *st, int64_t user_id, const char *username, const char *action,
                 const char *object, const char *detail);
/* Append in a transaction of its own (for reads and logins). */
int audit_record(struct store *st, int64_t user_id, const char *username, const char *action,
                 const char *object, const char *detail);
/* The entry's hash from its fields and prev_hash, as 64 hex digits. */
void audit_hash(const struct audit_row *r, char out[65]);
/* VIGIL_OK for an intact chain (*count entries); VIGIL_ECORRUPT with
 * *bad_id and msg naming the first bad entry. */
int audit_verify(struct store *st, int64_t *count, int64_t *bad_id, char *msg, size_t msglen);

#endif
