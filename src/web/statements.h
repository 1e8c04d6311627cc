/*
 * What the statements API (api_statements.c) and the pages (page_public.c,
 * page_statements.c) share: the statement record's fields and the choice of
 * the text to show in a language, falling back to the Chinese original.
 */
#ifndef VIGIL_STATEMENTS_H
#define VIGIL_STATEMENTS_H

#include <jansson.h>

#include "core/record.h"

/* title_zh, body_zh (required on create), title_pt, body_pt, title_en, body_en. */
extern const struct field statement_fields[];

/* The title and body of statement s in lang (enum lang); when that language
 * has no translation, the Chinese original. Returns 1 when the text is in
 * lang (or lang is Chinese), 0 when it is the original instead. */
int statement_text(json_t *s, int lang, const char **title, const char **body);

#endif
