/*
 * Strict parsers for outside input. Each rejects leading or trailing garbage,
 * empty input and out-of-range values, and leaves *out untouched on failure.
 * They return VIGIL_OK or VIGIL_EINVAL.
 */
#ifndef VIGIL_PARSE_H
#define VIGIL_PARSE_H

#include <stddef.h>
#include <stdint.h>

int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
int parse_int(const char *s, int min, int max, int *out);
/* A calendar date "YYYY-MM-DD" (years 1900..2200), checked for a real day. */
int parse_date(const char *s, int *y, int *m, int *d);
/* A size like "1048576", "64k", "1M". */
int parse_size(const char *s, size_t min, size_t max, size_t *out);
/* 1 when s[0..n) is well-formed UTF-8 with no NUL and no overlong forms. */
int utf8_valid(const char *s, size_t n);
/* The number of code points in a valid UTF-8 string. */
size_t utf8_len(const char *s);
/* 1 for an ISO 3166-1 alpha-2 code that is assigned. */
int iso3166_valid(const char *s);
/* 1 for an ISO 639-1 (two-letter) or ISO 639-2 (three-letter) code shape. */
int iso639_valid(const char *s);

#endif
