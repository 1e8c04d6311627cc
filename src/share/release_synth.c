/*
 * Row-seeded synthesis of microdata, after synthetic-data-showcase (see
 * rel_synthesize in release.h and docs/privacy.md): each sensitive record
 * seeds one synthetic record grown item by item, each step choosing among
 * the seed's items whose addition keeps the whole combination held by at
 * least k sensitive records, weighted by that count; then consolidation
 * and suppression bring each item's synthetic count to its sensitive count
 * rounded down to k. Counts come from per-item bitsets over the records.
 */
#include <stdlib.h>
#include <string.h>

#include "share/release.h"

struct synth {
    const struct rel_data *d;
    const struct rel_aggs *a; /* exact counts >= k up to a->len items, or NULL */
    uint64_t k;
    size_t words;   /* 64-bit words per bitset */
    uint64_t *bits; /* nitems bitsets (NULL rows for rare items) */
    size_t *bit_of; /* item -> bitset index, or SIZE_MAX */
    uint64_t *cur;  /* records holding the combination grown so far */
    size_t lo, hi;  /* the words of cur that may be non-zero */
    uint64_t rng[4];
    uint32_t *cand;
    uint64_t *weight;
    char *col_used;
    uint32_t *rec; /* the record being grown */
    size_t nrec;
    uint32_t *srt;  /* the same items, ascending, and room for one more */
    size_t cur_n;   /* cur holds the records of rec[0..cur_n) */
    uint32_t *rows; /* when few enough: cur as a list of record indices */
    size_t nrows;
    int listed; /* rows, not cur, is up to date */
};

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** seeded through splitmix64. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

static void rng_seed(uint64_t *s, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        s[i] = z ^ (z >> 31);
    }
}

/* A uniform integer below n (n > 0), without modulo bias. */
static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do
        r = rng_next(s);
    while (r >= lim);
    return r % n;
}

/*
 * Bring cur up to date with every item of the grown record. Once it holds
 * fewer records than it has words, it becomes the list rows instead, and a
 * count costs one bit test per listed record.
 */
static void sync_cur(struct synth *y)
{
    for (; y->cur_n < y->nrec; y->cur_n++) {
        const uint64_t *b = y->bits + y->bit_of[y->rec[y->cur_n]] * y->words;
        if (y->listed) {
            size_t n = 0;
            for (size_t i = 0; i < y->nrows; i++) {
                uint32_t r = y->rows[i];
                if ((b[r / 64] >> (r % 64)) & 1)
                    y->rows[n++] = r;
            }
            y->nrows = n;
            continue;
        }
        if (y->cur_n == 0) {
            memcpy(y->cur, b, y->words * sizeof *b);
            y->lo = 0;
            y->hi = y->words;
        } else {
            for (size_t i = y->lo; i < y->hi; i++)
                y->cur[i] &= b[i];
        }
        while (y->lo < y->hi && !y->cur[y->lo])
            y->lo++;
        while (y->hi > y->lo && !y->cur[y->hi - 1])
            y->hi--;
        size_t n = 0;
        for (size_t i = y->lo; i < y->hi; i++)
            n += (size_t)__builtin_popcountll(y->cur[i]);
        if (n < y->hi - y->lo) {
            y->nrows = 0;
            for (size_t i = y->lo; i < y->hi; i++)
                for (uint64_t x = y->cur[i]; x; x &= x - 1)
                    y->rows[y->nrows++] = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(x));
            y->listed = 1;
        }
    }
}

/*
 * The number of records holding the grown combination plus item v: looked
 * up in the aggregates while the combination is short enough (a miss there
 * means fewer than k), else counted on the bitsets.
 */
static uint64_t count_with(struct synth *y, uint32_t v)
{
    if (y->nrec == 0)
        return y->d->item_count[v];
    if (y->a && (int)y->nrec + 1 <= y->a->len) {
        size_t n = y->nrec, i = n;
        while (i > 0 && y->srt[i - 1] > v) {
            y->srt[i] = y->srt[i - 1];
            i--;
        }
        y->srt[i] = v;
        uint64_t c = rel_aggs_find(y->a, y->srt, (int)n + 1);
        memmove(y->srt + i, y->srt + i + 1, (n - i) * sizeof *y->srt);
        return c;
    }
    sync_cur(y);
    const uint64_t *b = y->bits + y->bit_of[v] * y->words;
    uint64_t c = 0;
    if (y->listed) {
        for (size_t i = 0; i < y->nrows; i++)
            c += (b[y->rows[i] / 64] >> (y->rows[i] % 64)) & 1;
        return c;
    }
    for (size_t i = y->lo; i < y->hi; i++)
        c += (uint64_t)__builtin_popcountll(y->cur[i] & b[i]);
    return c;
}

static void add_item(struct synth *y, uint32_t v)
{
    size_t i = y->nrec;
    while (i > 0 && y->srt[i - 1] > v) {
        y->srt[i] = y->srt[i - 1];
        i--;
    }
    y->srt[i] = v;
    y->rec[y->nrec++] = v;
    y->col_used[y->d->item_col[v]] = 1;
}

/*
 * Grow one record from the candidate items seed[0..n) (those with allowed
 * NULL or allowed[item] > 0, which is decremented for each item taken).
 * Returns the number of items in y->rec.
 */
static size_t grow(struct synth *y, const uint32_t *seed, size_t n, int64_t *allowed)
{
    y->nrec = 0;
    y->cur_n = 0;
    y->listed = 0;
    for (;;) {
        size_t nc = 0;
        uint64_t total = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t v = seed[i];
            if (y->bit_of[v] == SIZE_MAX || y->col_used[y->d->item_col[v]])
                continue;
            if (allowed && allowed[v] <= 0)
                continue;
            uint64_t c = count_with(y, v);
            if (c >= y->k) {
                y->cand[nc] = v;
                y->weight[nc++] = c;
                total += c;
            }
        }
        if (nc == 0)
            break;
        uint64_t r = rng_below(y->rng, total);
        size_t pick = 0;
        while (r >= y->weight[pick]) {
            r -= y->weight[pick];
            pick++;
        }
        add_item(y, y->cand[pick]);
        if (allowed)
            allowed[y->cand[pick]]--;
    }
    for (size_t i = 0; i < y->nrec; i++)
        y->col_used[y->d->item_col[y->rec[i]]] = 0;
    return y->nrec;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int push_rec(struct synth *y, struct rel_recs *out)
{
    qsort(y->rec, y->nrec, sizeof *y->rec, cmp_u32);
    return rel_recs_add(out, y->rec, y->nrec);
}

static void synth_free(struct synth *y)
{
    free(y->bits);
    free(y->bit_of);
    free(y->cur);
    free(y->cand);
    free(y->weight);
    free(y->col_used);
    free(y->rec);
    free(y->srt);
    free(y->rows);
}

int rel_synthesize(const struct rel_data *d, uint64_t k, const struct rel_aggs *a, uint64_t seed,
                   struct rel_recs *out)
{
    memset(out, 0, sizeof *out);
    struct synth y = {.d = d, .a = a && a->minc <= k ? a : NULL, .k = k};
    const struct rel_recs *r = &d->recs;
    size_t ni = d->nitems ? d->nitems : 1;
    y.words = (r->n + 63) / 64;
    if (!y.words)
        y.words = 1;
    y.bit_of = malloc(ni * sizeof *y.bit_of);
    y.cand = malloc(ni * sizeof *y.cand);
    y.weight = malloc(ni * sizeof *y.weight);
    y.col_used = calloc(d->ncols ? d->ncols : 1, 1);
    y.rec = malloc((d->ncols + 1) * sizeof *y.rec);
    y.srt = malloc((d->ncols + 2) * sizeof *y.srt);
    y.cur = malloc(y.words * sizeof *y.cur);
    y.rows = malloc(y.words * sizeof *y.rows);
    int64_t *avail = calloc(ni, sizeof *avail);
    int64_t *syn = calloc(ni, sizeof *syn);
    uint32_t *list = malloc(ni * sizeof *list);
    size_t *order = NULL;
    struct rel_recs tmp = {0};
    int rc = -1;
    if (!y.bit_of || !y.cand || !y.weight || !y.col_used || !y.rec || !y.srt || !y.cur || !y.rows ||
        !avail || !syn || !list)
        goto done;
    size_t nb = 0;
    for (size_t i = 0; i < d->nitems; i++)
        y.bit_of[i] = d->item_count[i] >= k ? nb++ : SIZE_MAX;
    y.bits = calloc((nb ? nb : 1) * y.words, sizeof *y.bits);
    if (!y.bits)
        goto done;
    for (size_t i = 0; i < r->n; i++)
        for (uint32_t p = r->off[i]; p < r->off[i + 1]; p++) {
            size_t b = y.bit_of[r->items[p]];
            if (b != SIZE_MAX)
                y.bits[b * y.words + i / 64] |= 1ULL << (i % 64);
        }
    rng_seed(y.rng, seed);

    /* 1. one synthetic record per sensitive record */
    for (size_t i = 0; i < r->n; i++) {
        const uint32_t *s = r->items + r->off[i];
        size_t n = r->off[i + 1] - r->off[i];
        grow(&y, s, n, NULL);
        if (push_rec(&y, &tmp))
            goto done;
        /* the seed's items the synthetic record left out */
        const uint32_t *g = tmp.items + tmp.off[tmp.n - 1];
        size_t gn = tmp.off[tmp.n] - tmp.off[tmp.n - 1], gi = 0;
        for (size_t q = 0; q < n; q++) {
            while (gi < gn && g[gi] < s[q])
                gi++;
            if (gi == gn || g[gi] != s[q])
                avail[s[q]]++;
        }
    }
    /* 2. consolidation: targets are the counts rounded down to k */
    size_t nl = 0;
    for (size_t v = 0; v < d->nitems; v++) {
        uint64_t c = d->item_count[v];
        if (c < k) {
            avail[v] = 0;
            continue;
        }
        int64_t t = (int64_t)(c / k * k) - (int64_t)c + avail[v];
        avail[v] = t > 0 ? t : 0;
        if (avail[v] > 0)
            list[nl++] = (uint32_t)v;
    }
    for (;;) {
        size_t live = 0;
        for (size_t i = 0; i < nl; i++)
            if (avail[list[i]] > 0)
                list[live++] = list[i];
        nl = live;
        if (nl == 0)
            break;
        if (grow(&y, list, nl, avail) == 0)
            break; /* cannot happen: every listed item alone is held by >= k records */
        if (push_rec(&y, &tmp))
            goto done;
    }
    /* 3. suppression: drop items above their rounded count, in a random order */
    for (size_t i = 0; i < tmp.n; i++)
        for (uint32_t p = tmp.off[i]; p < tmp.off[i + 1]; p++)
            syn[tmp.items[p]]++;
    for (size_t v = 0; v < d->nitems; v++) {
        uint64_t c = d->item_count[v];
        int64_t t = syn[v] - (int64_t)(c / k * k);
        syn[v] = t > 0 ? t : 0; /* now: how many to remove */
    }
    order = malloc((tmp.n ? tmp.n : 1) * sizeof *order);
    if (!order)
        goto done;
    for (size_t i = 0; i < tmp.n; i++)
        order[i] = i;
    for (size_t i = tmp.n; i > 1; i--) {
        size_t j = (size_t)rng_below(y.rng, i);
        size_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < tmp.n; i++) {
        size_t ri = order[i];
        y.nrec = 0;
        for (uint32_t p = tmp.off[ri]; p < tmp.off[ri + 1]; p++) {
            uint32_t v = tmp.items[p];
            if (syn[v] > 0)
                syn[v]--;
            else
                y.rec[y.nrec++] = v;
        }
        if (y.nrec && rel_recs_add(out, y.rec, y.nrec))
            goto done;
    }
    rc = 0;
done:
    free(order);
    free(avail);
    free(syn);
    free(list);
    rel_recs_free(&tmp);
    synth_free(&y);
    if (rc)
        rel_recs_free(out);
    return rc;
}
