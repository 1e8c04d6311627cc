/*
 * HTCDS and CTDC data exchange: de-identified export of persons as HTCDS
 * records (CSV or JSON), import of HTCDS records into cases, and import of
 * the CTDC global dataset as statistical records (never cases).
 *
 * Imports never stop at a bad row: each rejected row is written to the
 * report as "line<TAB>field<TAB>reason" and the import goes on.
 */
#ifndef VIGIL_EXCHANGE_H
#define VIGIL_EXCHANGE_H

#include <stdint.h>
#include <stdio.h>

#include "crypto/crypto.h"
#include "store/store.h"

struct import_report {
    int64_t read, imported, rejected;
    int64_t cases;      /* HTCDS: cases created */
    int64_t dataset_id; /* CTDC: the dataset created */
    FILE *rejects;      /* where rejected rows are described; may be NULL */
    int progress;       /* draw a progress bar on stderr */
    char err[256];      /* a file-level error (cannot read, no header ...) */
};

enum { XFMT_CSV, XFMT_JSON };

/* Write every person as one de-identified HTCDS record. Personal fields are
 * left out; the case is named by a keyed pseudonym (case_ref). */
int htcds_export(struct store *st, const struct vkey *key, int fmt, FILE *out, int64_t *rows);
/* Read HTCDS records (CSV with a header row, or JSON) from path into new
 * cases owned by org_id. Rows sharing a case_ref become one case. */
int htcds_import(struct store *st, const struct vkey *key, const char *path, int64_t org_id,
                 int64_t user_id, const char *username, struct import_report *rep);
/* Read a CTDC global-dataset file (';'-separated, header as published). */
int ctdc_import(struct store *st, const char *path, const char *username,
                struct import_report *rep);

/*
 * Microdata for `vigil release` in CTDC layout (';'-separated, an empty first
 * column): cases_microdata writes one row per person of the cases, leaving
 * out those whose data-sharing consent is withdrawn (store_person_scan), with
 * the year the case was opened, the case's coded fields, the role and the
 * person's coded, non-personal fields (no free text); dataset_microdata
 * writes an imported dataset's records, its columns the attribute names in
 * byte order. Both stop with VIGIL_ETOOBIG past max rows; *rows counts them.
 */
int cases_microdata(struct store *st, const struct vkey *key, FILE *out, int64_t max,
                    int64_t *rows);
int dataset_microdata(struct store *st, int64_t dataset_id, FILE *out, int64_t max, int64_t *rows);

/* The canonical name of an HTCDS column, resolving the XLSForm's aliases
 * (prs_First_Name -> prs_FirstName ...); the name itself when no alias. */
const char *htcds_canonical(const char *name);

#endif
