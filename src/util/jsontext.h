/*
 * JSON text of a jansson value, compact, byte for byte what
 * json_dumps(v, JSON_COMPACT) writes (objects in insertion order, strings
 * as stored with \" \\ \b \f \n \r \t and \u00XX escapes), into a buf.
 *
 * Why not json_dumps: it checks for reference loops by formatting every
 * container's address into a hash table, and hands the text over a
 * character at a time through a callback; for the API's answers that was a
 * tenth of the server's time per request (bench/RESULTS.md). Reading JSON
 * stays with jansson.
 */
#ifndef VIGIL_JSONTEXT_H
#define VIGIL_JSONTEXT_H

#include <jansson.h>

#include "util/buf.h"

/* Append v's text to out; VIGIL_OK, or the buffer's error. Nesting deeper
 * than JSON_TEXT_DEPTH is VIGIL_EINVAL (the values are vigil's own). */
#define JSON_TEXT_DEPTH 64
int json_text(const json_t *v, struct buf *out);
/* The pieces, for writers that have no json_t (a case read from the store):
 * a string of n bytes (valid UTF-8) with its quotes, and an integer. */
void json_text_string(struct buf *out, const char *s, size_t n);
void json_text_int(struct buf *out, long long n);

#endif
