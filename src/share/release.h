/*
 * Privacy-preserving release of a microdata file (DESIGN §8), with the
 * semantics of Microsoft's synthetic-data-showcase (sds): records are sets
 * of "attribute:value" items; the release holds k-anonymous aggregates of
 * every combination of up to L items, row-seeded synthetic microdata whose
 * every combination occurs at least k times in the sensitive data, and an
 * evaluation of the two. See docs/privacy.md.
 *
 * The engine is split in three files: release.c (loading, writing, the
 * evaluation and the CLI verb), release_mine.c (exact combination counting)
 * and release_synth.c (synthesis). All of them share the types below.
 */
#ifndef VIGIL_RELEASE_H
#define VIGIL_RELEASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The longest reporting length accepted (--length). */
#define REL_MAX_LEN 16

/* Records as sorted arrays of item ids (CSR layout). */
struct rel_recs {
    size_t n;           /* number of records */
    uint32_t *off;      /* n + 1 offsets into items */
    uint32_t *items;    /* each record's items, strictly ascending */
    size_t cap_items;   /* allocated length of items (builders only) */
    size_t cap_records; /* allocated length of off minus one (builders only) */
};

/*
 * A loaded microdata file. Item ids are ordered by attribute column, then by
 * value (bytewise), so sorting a record's ids sorts its items the way the
 * aggregates are written. A record holds at most one item per column.
 */
struct rel_data {
    char *path;
    char *terms;          /* the first header field (CTDC terms of use), kept verbatim */
    size_t ncols;         /* attribute columns: the file's columns minus the first */
    char **cols;          /* their names */
    size_t nitems;        /* distinct items */
    uint32_t *item_col;   /* the column of each item */
    char **item_val;      /* the value of each item */
    uint64_t *item_count; /* how many records hold each item */
    struct rel_recs recs;
};

/*
 * Load a CTDC-layout file: ';'-separated, '"'-quoted, a header whose first
 * field is ignored (the terms of use) and data rows of the same width.
 * Empty cells are not items, and neither is "0" unless the column is named
 * in keep_zeros (a comma-separated list of column names, or NULL).
 * Returns 0, or -1 with a one-line message in err naming the file and line.
 */
int rel_load_ctdc(const char *path, const char *keep_zeros, struct rel_data *d, char *err,
                  size_t errlen);
void rel_data_free(struct rel_data *d);

/* Append one record (ids strictly ascending) to r; 0 or -1 out of memory. */
int rel_recs_add(struct rel_recs *r, const uint32_t *items, size_t n);
void rel_recs_free(struct rel_recs *r);

/*
 * Every combination of 1..len items that occurs in at least minc records,
 * with its exact count. combos[l] holds n[l] combinations of length l, each
 * l item ids ascending, sorted lexicographically; count[l][i] is the count
 * of the i-th. nrecords is the number of records counted.
 */
struct rel_aggs {
    int len;
    uint64_t minc;
    uint64_t nrecords;
    size_t n[REL_MAX_LEN + 1];
    uint32_t *combos[REL_MAX_LEN + 1];
    uint64_t *count[REL_MAX_LEN + 1];
};

/*
 * Count the combinations of up to len items of the records in r (item ids
 * below nitems) occurring in at least minc >= 1 records, exactly, with up to
 * threads threads. The search extends combinations depth first over
 * projected, deduplicated records and prunes every branch whose count falls
 * below minc (a combination can only be as frequent as its parts).
 * r must hold fewer than 2^31 records. Returns 0, or -1 when memory runs
 * out (or len, minc or r is out of range).
 */
int rel_mine(const struct rel_recs *r, size_t nitems, uint64_t minc, int len, int threads,
             struct rel_aggs *out);
void rel_aggs_free(struct rel_aggs *a);

/* Text output for rel_mine_text: each combination becomes an aggregates.tsv
 * row, its items' labels (by the caller's item id) joined by ';', a tab and
 * the count rounded down to a multiple of k. */
struct rel_text {
    FILE *out;
    const char *const *labels;
    const size_t *lens;
    uint64_t k;
};

/*
 * rel_mine, but the rows (lengths 1..len, each length in the same order as
 * rel_mine's) are written to t->out as they are found, through one temporary
 * file per thread and length, so memory does not grow with the output.
 * The caller writes the header lines first. With consume set, r is freed
 * (rel_recs_free) as soon as it has been read.
 * Returns 0, or -1 when memory runs out or a write fails.
 */
int rel_mine_text(struct rel_recs *r, int consume, size_t nitems, uint64_t minc, int len,
                  int threads, const struct rel_text *t);
/* The count of a combination (l ids ascending), or 0 when it is not in a. */
uint64_t rel_aggs_find(const struct rel_aggs *a, const uint32_t *items, int l);

/*
 * Row-seeded synthesis as sds does it: one synthetic record per sensitive
 * record, built by adding the seed's items in a random order weighted by the
 * count of the grown combination, only while that whole combination occurs
 * at least k times in d; then consolidation (adding records that restore
 * each item's count rounded down to k) and suppression (removing items over
 * that count). Every synthetic record is therefore a combination held by at
 * least k sensitive records, and so is each of its subsets.
 * a, when not NULL, holds d's exact counts of combinations held by at least
 * k records (rel_mine with minc <= k): combinations up to a->len items are
 * then looked up there instead of counted, which is much faster.
 * out receives records over d's item ids. Returns 0 or -1 (out of memory).
 */
int rel_synthesize(const struct rel_data *d, uint64_t k, const struct rel_aggs *a, uint64_t seed,
                   struct rel_recs *out);

/* ---- differential privacy (release_dp.c) ---------------------------------
 *
 * Exact samplers after Canonne, Kamath & Steinke, "The Discrete Gaussian for
 * Differential Privacy" (2020), Algorithms 1-3: only integer and rational
 * arithmetic, uniform integers from libsodium (sodium_init must have been
 * called; rel_dp_plan does it). No floating point is involved in a draw.
 */

/* 1 with probability exp(-num/den), else 0. den >= 1. */
int rel_dp_bernoulli_exp(uint64_t num, uint64_t den);
/* The discrete Laplace distribution: P(y) proportional to exp(-|y| s/t),
 * y an integer. s, t >= 1. */
int64_t rel_dp_dlaplace(uint64_t s, uint64_t t);
/* The discrete Gaussian: P(y) proportional to exp(-y^2 / (2 sigma^2)) with
 * sigma^2 = num/den, y an integer. 1 <= den <= 2^20, 1 <= num <= 2^60. */
int64_t rel_dp_dgauss(uint64_t num, uint64_t den);

/* The denominator of every sigma^2 of a plan (sigma^2 is rounded up to it). */
#define REL_DP_DEN 1000

/*
 * The parameters of a DP release (docs/privacy.md, "Differential privacy"):
 * the budget (epsilon, delta) turned into zCDP rho, 5% of rho for the record
 * count and the rest split equally across lengths 1..len; each record adds
 * to at most contrib[l] combinations of length l; sigma^2 of length l is
 * s2_num[l] / REL_DP_DEN (index 0: the record count); a combination of
 * length l is published only when its noisy count exceeds threshold[l].
 */
struct rel_dp_params {
    double epsilon, delta;
    int len;
    uint64_t cap; /* --dp-cap: the most combinations a record adds to per length */
    uint64_t k;   /* thresholds are at least k - 1: nothing below k is published */
    double rho;
    double rho_len[REL_MAX_LEN + 1];
    uint64_t contrib[REL_MAX_LEN + 1];
    uint64_t s2_num[REL_MAX_LEN + 1];
    int64_t threshold[REL_MAX_LEN + 1];
};

/* Bounds of the DP options. */
#define REL_DP_EPS_MAX 100.0
#define REL_DP_CAP_MAX 256

/*
 * Plan a DP release of records over ncols attribute columns. epsilon in
 * (0, REL_DP_EPS_MAX], delta in (0, 1), cap in 1..REL_DP_CAP_MAX, len in
 * 1..REL_MAX_LEN. Returns 0, or -1 with a message naming the option in err
 * (also when epsilon is so small that sigma would exceed the sampler's range).
 */
int rel_dp_plan(double epsilon, double delta, int len, uint64_t cap, uint64_t k, size_t ncols,
                struct rel_dp_params *p, char *err, size_t errlen);

/*
 * The noisy, thresholded, consistent counts of d's combinations of 1..p->len
 * items: out->nrecords is the noisy record count, out->count[l][i] > 0 the
 * published count of out->combos[l][i], never above the count of any of its
 * parts (combinations one item shorter) nor above the record count.
 * Returns 0 or -1 (out of memory).
 */
int rel_dp_aggregate(const struct rel_data *d, const struct rel_dp_params *p, struct rel_aggs *out);

/* dp.json: the mechanism's parameters (no seed: the randomness is not reproducible). */
int rel_dp_write_params(const struct rel_dp_params *p, const struct rel_aggs *a, const char *path);

/* The options of one release run (the CLI verb fills them). */
struct rel_opts {
    const char *in;
    const char *out_dir;
    const char *keep_zeros; /* NULL or "A,B,..." */
    uint64_t k;
    int len;
    int threads;
    uint64_t seed;
    int only_aggregates;
    int dp; /* differentially private aggregates only: aggregates.tsv and dp.json */
    double epsilon, delta;
    uint64_t dp_cap;
};

/*
 * Run a whole release into o->out_dir (created when missing): aggregates.tsv,
 * and unless only_aggregates, synthetic.csv, evaluation.json and
 * evaluation.svg; with dp, aggregates.tsv (noisy counts, not rounded to k)
 * and dp.json. Returns 0, or -1 with a one-line message in err.
 */
int rel_run(const struct rel_opts *o, char *err, size_t errlen);

/*
 * Write the aggregates in sds layout: "selections\tprotected_count", then
 * "record_count\tN" with N rounded down to a multiple of k, then one row per
 * combination with count >= k, its count rounded down to a multiple of k.
 * Selections are "attr:value;attr:value" with '\\', ';', tab, CR and LF in
 * values escaped by a backslash. Returns 0 or -1 (I/O error).
 */
int rel_write_aggregates(const struct rel_data *d, const struct rel_aggs *a, uint64_t k,
                         const char *path);

/* The evaluation of synthetic against sensitive aggregates, by length. */
struct rel_eval_len {
    size_t sensitive;       /* combinations with sensitive count >= k */
    size_t synthetic;       /* distinct combinations in the synthetic data */
    double mean_sensitive;  /* mean sensitive count of the former */
    double mean_synthetic;  /* mean synthetic count of the latter */
    double preservation;    /* sds: mean of min(syn/sen, 1) over the union */
    double mean_prop_error; /* sds: mean of |syn-sen|/sen (1 when sen is 0) */
    size_t leaked;          /* synthetic combinations rarer than k in the sensitive data */
};
struct rel_eval {
    int len;
    uint64_t k;
    uint64_t records, synthetic_records;
    struct rel_eval_len by_len[REL_MAX_LEN + 1];
    size_t leaked;
};

/*
 * Compare sens (counted with minc = k) with syn (counted with minc = 1) over
 * the same items. Leakage counts synthetic combinations absent from sens.
 */
void rel_evaluate(const struct rel_aggs *sens, const struct rel_aggs *syn, uint64_t k,
                  struct rel_eval *e);

/* The CLI verb: vigil release --in FILE --format ctdc --k K --length L -o DIR ... */
int cmd_release(int argc, char **argv);

#endif
