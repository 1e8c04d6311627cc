/*
 * Answers kept for a while: the JSON text of GET routes that the route table
 * marks CACHE_ORG, whose answer depends on nothing but the database, the
 * caller's organisation and the declared query parameters (the case list).
 *
 * An answer holds only while the database is unchanged: every lookup reads
 * store_data_version() in the request's read snapshot, and the first commit
 * anywhere (this server, another one, the command line) drops every answer.
 * The cache is per worker thread, because it is tied to the thread's store
 * connection, and bounded in bytes (server_cfg.answer_cache; 0: none). A
 * store that cannot tell its version keeps nothing.
 */
#ifndef VIGIL_ANSWERS_H
#define VIGIL_ANSWERS_H

#include <stddef.h>

#include "store/store.h"

/* A copy (malloc'd, for the caller to free) of the answer kept under key
 * at the database's current version, or NULL. */
char *answers_get(struct store *st, size_t limit, const char *key, size_t *len);
/* Keep text (len bytes) under key; a text larger than a quarter of limit
 * is not kept. Call after answers_get in the same read snapshot. */
void answers_put(struct store *st, size_t limit, const char *key, const char *text, size_t len);

#endif
