/*
 * Every sealed column of the schema, with the associated data it was sealed
 * under, and the batch re-sealing behind `vigil key rotate`. The store does
 * no cryptography: a callback given the associated data and the sealed
 * bytes answers with the new bytes (or "already done").
 *
 * The associated data must be exactly what the writers used: persons
 * (api_cases.c person_ad, share/exchange.c, cmd/demo.c), the protection
 * tables (api_protection.c seal_ad, cmd/demo.c demo_seal), tips and their
 * additions and feedback contacts (api_public.c TIP_AD, "vigil.feedback").
 * tests/unit/test_reseal.c finds every sealed column in the migrations and
 * checks it is listed here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/err.h"

/* clang-format off */
const struct sealed_column store_sealed_columns[] = {
    {"persons",           "sealed",             "vigil.person.case:",     "case_id"},
    {"screenings",        "sealed",             "vigil.protection.case:", "case_id"},
    {"status_decisions",  "sealed_reason",      "vigil.protection.case:", "case_id"},
    {"services",          "sealed_objectives",  "vigil.protection.case:", "case_id"},
    {"consent_overrides", "sealed_reason",      "vigil.protection.case:", "case_id"},
    {"events",            "sealed_description", "vigil.protection.case:", "case_id"},
    {"tips",              "sealed",             "vigil.tip",              NULL},
    {"tip_additions",     "sealed",             "vigil.tip:",             "tip_id"},
    {"feedback",          "sealed_contact",     "vigil.feedback",         NULL},
    {NULL, NULL, NULL, NULL},
};
/* clang-format on */

int store_reseal_batch(struct store *st, const struct sealed_column *c, int64_t after,
                       int64_t limit, store_reseal_fn fn, void *ctx, int64_t *last,
                       int64_t *changed, int64_t *kept)
{
    char sel[256], upd[160];
    snprintf(sel, sizeof sel,
             "SELECT id, %s, %s FROM %s WHERE id > ?1 AND %s IS NOT NULL ORDER BY id LIMIT ?2",
             c->column, c->ad_column ? c->ad_column : "0", c->table, c->column);
    snprintf(upd, sizeof upd, "UPDATE %s SET %s = ?1 WHERE id = ?2", c->table, c->column);
    *last = after;
    *changed = *kept = 0;

    /* Read the batch first (a statement is not stepped while another
     * writes on some drivers), then write it in one transaction. */
    struct item {
        int64_t id;
        unsigned char *out;
        size_t n;
    } *items = calloc((size_t)limit, sizeof *items);
    if (!items)
        return VIGIL_ENOMEM;
    size_t n = 0;
    int rc = store_begin(st);
    if (rc) {
        free(items);
        return rc;
    }
    struct q q;
    if (q_open_once(&q, st, sel)) {
        rc = q.rc;
        goto out;
    }
    q_int(&q, 1, after);
    q_int(&q, 2, limit);
    int step;
    while ((step = q_step(&q)) == 1) {
        int64_t id = q_col_int(&q, 0);
        size_t blen = 0;
        const void *b = q_col_blob(&q, 1, &blen);
        char ad[80];
        if (c->ad_column)
            snprintf(ad, sizeof ad, "%s%" PRId64, c->ad_prefix, q_col_int(&q, 2));
        else
            snprintf(ad, sizeof ad, "%s", c->ad_prefix);
        unsigned char *out = NULL;
        size_t outn = 0;
        int r = fn(ctx, c, id, ad, b, blen, &out, &outn);
        if (r < 0) {
            rc = -r;
            break;
        }
        *last = id;
        if (r == 1) {
            (*kept)++;
            continue;
        }
        items[n].id = id;
        items[n].out = out;
        items[n].n = outn;
        n++;
    }
    q_done(&q);
    if (!rc && step < 0)
        rc = -step;
    for (size_t i = 0; !rc && i < n; i++) {
        if (q_open_once(&q, st, upd)) {
            rc = q.rc;
            break;
        }
        q_blob(&q, 1, items[i].out, items[i].n);
        q_int(&q, 2, items[i].id);
        rc = q_exec(&q);
        if (!rc)
            (*changed)++;
    }
out:
    if (!rc)
        rc = store_commit(st);
    else
        store_rollback(st);
    for (size_t i = 0; i < n; i++)
        free(items[i].out);
    free(items);
    if (rc)
        *changed = 0;
    return rc;
}
