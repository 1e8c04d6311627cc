/*
 * The draft of the government's response to a year's TIP report, built
 * from the live record: for each recommendation the measures that answer
 * it, the figures that evidence it (statistics with small counts
 * suppressed), the committee's position where it disputes a claim, and the
 * measures that continue. The draft is a list of blocks that render as
 * plain text, HTML or PDF, in any of the three languages.
 */
#ifndef VIGIL_TIPRESPONSE_H
#define VIGIL_TIPRESPONSE_H

#include <stddef.h>

#include <jansson.h>

#include "util/buf.h"

struct store;

/*
 * The draft for the report of year in lang (enum lang of web/i18n.h), with
 * counts below k suppressed, as {"year","lang","title","blocks":[{"kind":
 * "h1"|"h2"|"h3"|"p"|"li"|"note","text"}]}. VIGIL_ENOTFOUND when there is
 * no report for year; err says why on failure.
 */
int tipresponse_build(struct store *st, int year, int lang, int k, json_t **out, char *err,
                      size_t errlen);
/* A recommendation's or a measure's state in words, in lang. */
const char *tipresponse_state_label(int lang, const char *state);
/* Write a draft as text, as a self-contained HTML page, or as a PDF file. */
int tipresponse_txt(json_t *doc, struct buf *out);
int tipresponse_html(json_t *doc, struct buf *out);
int tipresponse_pdf(json_t *doc, const char *path, char *err, size_t errlen);
int tipresponse_pdf_buf(json_t *doc, struct buf *out);

/* The value of one figure (stats_compute's table, row key and column) over
 * from..to with threshold k: *value, or *suppressed when the count is
 * below k; a row that is absent counts 0. VIGIL_EINVAL when the table or
 * column does not exist. */
int tipresponse_figure(struct store *st, const char *table, const char *row, const char *column,
                       const char *from, const char *to, int k, long long *value, int *suppressed);

/* The same, from statistics stats_compute() already returned. */
int tipresponse_figure_in(json_t *stats, const char *table, const char *row, const char *column,
                          long long *value, int *suppressed);

#endif
