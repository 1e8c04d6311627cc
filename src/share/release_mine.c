/*
 * Exact counting of every combination of up to L items that occurs in at
 * least minc records (see rel_mine in release.h).
 *
 * The method: items rarer than minc are dropped from the records (no
 * combination holding them can reach minc), identical records are merged
 * into one weighted record, and combinations are then grown depth first in
 * item order. A prefix P is represented by the list of positions, in the
 * merged records, of P's last item; the items after that position are P's
 * possible extensions. One pass over that list counts every extension P+j;
 * only the extensions reaching minc are reported and extended further
 * (apriori pruning, exact because a superset is never more frequent). The
 * last two levels are counted together in a small pair matrix, which avoids
 * building the deepest projections at all.
 *
 * The first items are cut into blocks of about equal weight; a block is one
 * task for a thread, which collects the positions of its items in one scan
 * and then searches their subtrees in item order. Results go either to
 * memory or, for the CLI, straight to text in one temporary file per thread
 * and length; either way they are joined in block order, so the output does
 * not depend on the number of threads, and memory stays near the size of
 * the merged records.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "share/release.h"

/* The pair matrix is used while the extensions of a prefix number at most
 * this many (PAIR_MAX^2 4-byte counters per thread). */
#define PAIR_MAX 1024

/* Child entry lists are built for as many children at once as fit in this
 * many entries (one child may exceed it alone). */
#define CHILD_BUDGET (1u << 18)

void rel_recs_free(struct rel_recs *r)
{
    free(r->off);
    free(r->items);
    memset(r, 0, sizeof *r);
}

int rel_recs_add(struct rel_recs *r, const uint32_t *items, size_t n)
{
    if (!r->off || r->n == r->cap_records) {
        size_t cap = r->cap_records ? r->cap_records * 2 : 1024;
        uint32_t *p = realloc(r->off, (cap + 1) * sizeof *p);
        if (!p)
            return -1;
        if (!r->off)
            p[0] = 0;
        r->off = p;
        r->cap_records = cap;
    }
    size_t used = r->off[r->n];
    if (used + n > UINT32_MAX)
        return -1;
    if (used + n > r->cap_items) {
        size_t cap = r->cap_items ? r->cap_items : 4096;
        while (cap < used + n)
            cap *= 2;
        uint32_t *p = realloc(r->items, cap * sizeof *p);
        if (!p)
            return -1;
        r->items = p;
        r->cap_items = cap;
    }
    if (n)
        memcpy(r->items + used, items, n * sizeof *items);
    r->off[r->n + 1] = (uint32_t)(used + n);
    r->n++;
    return 0;
}

void rel_aggs_free(struct rel_aggs *a)
{
    for (int l = 0; l <= REL_MAX_LEN; l++) {
        free(a->combos[l]);
        free(a->count[l]);
    }
    memset(a, 0, sizeof *a);
}

static int cmp_ids(const uint32_t *a, const uint32_t *b, int l)
{
    for (int i = 0; i < l; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

uint64_t rel_aggs_find(const struct rel_aggs *a, const uint32_t *items, int l)
{
    if (l < 1 || l > a->len)
        return 0;
    size_t lo = 0, hi = a->n[l];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_ids(a->combos[l] + mid * (size_t)l, items, l);
        if (c == 0)
            return a->count[l][mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* ---- the merged, filtered records ---------------------------------------- */

#define SENT 0x80000000u /* a record's end marker; the low bits hold its weight */

struct mdb {
    size_t m;        /* frequent items; compact ids 0..m-1, in the caller's order */
    uint32_t *orig;  /* compact id -> caller's id */
    size_t len;      /* entries in items, end markers included */
    uint32_t *items; /* each merged record's compact ids, then SENT | weight */
    uint64_t *ext;   /* m: positions of each item that have items after them */
};

static void mdb_free(struct mdb *b)
{
    free(b->orig);
    free(b->items);
    free(b->ext);
    memset(b, 0, sizeof *b);
}

struct rhash {
    uint64_t h;
    uint32_t idx;
};

static int cmp_rhash(const void *a, const void *b)
{
    const struct rhash *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* 1 when records a and c hold the same frequent items. */
static int same_filtered(const struct rel_recs *r, const uint32_t *cid, uint32_t a, uint32_t c)
{
    uint32_t p = r->off[a], pe = r->off[a + 1], q = r->off[c], qe = r->off[c + 1];
    for (;;) {
        while (p < pe && cid[r->items[p]] == UINT32_MAX)
            p++;
        while (q < qe && cid[r->items[q]] == UINT32_MAX)
            q++;
        if (p == pe || q == qe)
            return p == pe && q == qe;
        if (r->items[p] != r->items[q])
            return 0;
        p++;
        q++;
    }
}

/* Filter the records to frequent items (compact ids) and merge duplicates. */
static int mdb_build(const struct rel_recs *r, size_t nitems, const uint64_t *cnt, uint64_t minc,
                     struct mdb *b)
{
    memset(b, 0, sizeof *b);
    size_t ni = nitems ? nitems : 1;
    uint32_t *cid = malloc(ni * sizeof *cid);
    struct rhash *hs = malloc((r->n ? r->n : 1) * sizeof *hs);
    b->orig = malloc(ni * sizeof *b->orig);
    if (!cid || !hs || !b->orig)
        goto fail;
    for (size_t i = 0; i < nitems; i++) {
        cid[i] = UINT32_MAX;
        if (cnt[i] >= minc) {
            cid[i] = (uint32_t)b->m;
            b->orig[b->m++] = (uint32_t)i;
        }
    }
    size_t nf = 0, bound = 0;
    for (size_t i = 0; i < r->n; i++) {
        uint64_t h = 0x9e3779b97f4a7c15ULL;
        size_t fl = 0;
        for (uint32_t p = r->off[i]; p < r->off[i + 1]; p++) {
            uint32_t c = cid[r->items[p]];
            if (c != UINT32_MAX) {
                h = mix64(h ^ (c + 0x632be59bd9b4e019ULL));
                fl++;
            }
        }
        if (!fl)
            continue;
        hs[nf].h = h ^ fl;
        hs[nf].idx = (uint32_t)i;
        nf++;
        bound += fl + 1;
    }
    qsort(hs, nf, sizeof *hs, cmp_rhash);
    b->items = malloc((bound ? bound : 1) * sizeof *b->items);
    b->ext = calloc(b->m ? b->m : 1, sizeof *b->ext);
    if (!b->items || !b->ext)
        goto fail;
    size_t at = 0;
    for (size_t s = 0; s < nf;) {
        size_t e = s + 1;
        while (e < nf && hs[e].h == hs[s].h)
            e++;
        for (size_t i = s; i < e; i++) {
            if (hs[i].idx == UINT32_MAX)
                continue;
            uint32_t a = hs[i].idx, wgt = 1;
            for (size_t j = i + 1; j < e; j++)
                if (hs[j].idx != UINT32_MAX && same_filtered(r, cid, a, hs[j].idx)) {
                    wgt++;
                    hs[j].idx = UINT32_MAX;
                }
            size_t first = at;
            for (uint32_t p = r->off[a]; p < r->off[a + 1]; p++) {
                uint32_t c = cid[r->items[p]];
                if (c != UINT32_MAX)
                    b->items[at++] = c;
            }
            for (size_t q = first; q + 1 < at; q++)
                b->ext[b->items[q]]++;
            b->items[at++] = SENT | wgt;
        }
        s = e;
    }
    b->len = at;
    free(cid);
    free(hs);
    return 0;
fail:
    free(cid);
    free(hs);
    mdb_free(b);
    return -1;
}

/* ---- results ---------------------------------------------------------------- */

/* Combinations found in one block, by length (memory mode). */
struct chunk {
    size_t n[REL_MAX_LEN + 1], cap[REL_MAX_LEN + 1];
    uint32_t *ids[REL_MAX_LEN + 1];
    uint64_t *cnt[REL_MAX_LEN + 1];
};

static void chunk_free(struct chunk *c)
{
    for (int l = 0; l <= REL_MAX_LEN; l++) {
        free(c->ids[l]);
        free(c->cnt[l]);
    }
    memset(c, 0, sizeof *c);
}

/* Where one block's rows lie in its thread's files (text mode). */
struct seg {
    int thread;
    int64_t beg[REL_MAX_LEN + 1], end[REL_MAX_LEN + 1];
};

/* ---- the search ------------------------------------------------------------- */

struct worker {
    const struct mdb *b;
    uint64_t minc;
    int len;
    uint64_t *cnt;   /* m: weighted count of each extension */
    uint32_t *ecnt;  /* m: entries that can be extended further */
    int32_t *lidx;   /* m: local index (pair matrix, child lists), or -1 */
    uint32_t *touch; /* m: extensions seen in this pass */
    uint32_t *loc;   /* m: one record's extensions, as local indices */
    uint32_t *pairs; /* pcap^2 counters */
    size_t pcap;
    uint64_t *vbits; /* vertical pair counting: one bitset per extension */
    size_t vcap;     /* words allocated in vbits */
    uint32_t pre[REL_MAX_LEN + 1];
    struct chunk *out;         /* memory mode */
    const struct rel_text *tx; /* text mode */
    FILE **f;                  /* text mode: one file per length */
    int failed;
};

static void emit_text(struct worker *w, int l, const uint32_t *pre, uint32_t last, uint64_t count)
{
    FILE *f = w->f[l];
    for (int i = 0; i < l; i++) {
        uint32_t id = w->b->orig[i < l - 1 ? pre[i] : last];
        if (i)
            putc_unlocked(';', f);
        fwrite_unlocked(w->tx->labels[id], 1, w->tx->lens[id], f);
    }
    char num[24];
    size_t n = 0;
    uint64_t v = count / w->tx->k * w->tx->k;
    do {
        num[sizeof num - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    putc_unlocked('\t', f);
    fwrite_unlocked(num + sizeof num - n, 1, n, f);
    putc_unlocked('\n', f);
}

static void emit(struct worker *w, int l, const uint32_t *pre, uint32_t last, uint64_t count)
{
    if (w->tx) {
        emit_text(w, l, pre, last, count);
        return;
    }
    struct chunk *c = w->out;
    if (c->n[l] == c->cap[l]) {
        size_t cap = c->cap[l] ? c->cap[l] * 2 : 256;
        uint32_t *ids = realloc(c->ids[l], cap * (size_t)l * sizeof *ids);
        if (!ids) {
            w->failed = 1;
            return;
        }
        c->ids[l] = ids;
        uint64_t *cn = realloc(c->cnt[l], cap * sizeof *cn);
        if (!cn) {
            w->failed = 1;
            return;
        }
        c->cnt[l] = cn;
        c->cap[l] = cap;
    }
    uint32_t *dst = c->ids[l] + c->n[l] * (size_t)l;
    for (int i = 0; i < l - 1; i++)
        dst[i] = w->b->orig[pre[i]];
    dst[l - 1] = w->b->orig[last];
    c->cnt[l][c->n[l]] = count;
    c->n[l]++;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/*
 * Count the extensions of the current prefix over its entries E (positions
 * of the prefix's last item, each with at least one item after it). The
 * frequent extensions are left sorted in w->touch, their weighted counts in
 * w->cnt and their extensible entries in w->ecnt; returns how many.
 */
static size_t count_ext(struct worker *w, const uint32_t *E, size_t ne)
{
    const uint32_t *it = w->b->items;
    size_t nt = 0;
    for (size_t i = 0; i < ne; i++) {
        uint32_t p = E[i], end = p + 1;
        while (!(it[end] & SENT))
            end++;
        uint32_t wt = it[end] & ~SENT;
        for (uint32_t q = p + 1; q < end; q++) {
            uint32_t j = it[q];
            if (w->cnt[j] == 0)
                w->touch[nt++] = j;
            w->cnt[j] += wt;
            if (q + 1 < end)
                w->ecnt[j]++;
        }
    }
    size_t nf = 0;
    for (size_t i = 0; i < nt; i++) {
        uint32_t j = w->touch[i];
        if (w->cnt[j] >= w->minc)
            w->touch[nf++] = j;
        else
            w->cnt[j] = w->ecnt[j] = 0;
    }
    qsort(w->touch, nf, sizeof *w->touch, cmp_u32);
    return nf;
}

/*
 * Vertical pair counting, for prefixes whose records hold most of their
 * extensions: each extension gets a bitset over the prefix's records, and a
 * pair's count is the popcount of an AND, 64 records a step. A record of
 * weight w is set in the bit planes of w's one bits, each plane starting
 * on a word, so a count is the sum of each plane's popcount shifted by its
 * bit. Needs the CPU's popcount instruction (checked at run time).
 */
#if defined(__x86_64__) || defined(__i386__)
#define POPCNT_TARGET __attribute__((target("popcnt")))
#else
#define POPCNT_TARGET
#endif

POPCNT_TARGET static uint64_t and_popcount(const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t c0 = 0, c1 = 0;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        c0 += (uint64_t)__builtin_popcountll(a[i] & b[i]);
        c1 += (uint64_t)__builtin_popcountll(a[i + 1] & b[i + 1]);
    }
    if (i < n)
        c0 += (uint64_t)__builtin_popcountll(a[i] & b[i]);
    return c0 + c1;
}

static int have_popcount(void)
{
#if defined(__x86_64__) || defined(__i386__)
    static atomic_int known = -1;
    int k = atomic_load(&known);
    if (k < 0) {
        __builtin_cpu_init();
        k = __builtin_cpu_supports("popcnt") ? 1 : 0;
        atomic_store(&known, k);
    }
    return k;
#else
    return 1;
#endif
}

/* The most memory the vertical bitsets of one prefix may take, in words. */
#define VBITS_MAX (1u << 19)

/* Pairs of F over E by bitsets; 0, or -1 to leave it to the pair matrix. */
static int pairs_vertical(struct worker *w, int d, const uint32_t *E, size_t ne, const uint32_t *F,
                          uint32_t e)
{
    const uint32_t *it = w->b->items;
    size_t nb[32] = {0}, pw[32], ps[32], sc[32] = {0};
    uint64_t set = 0; /* bits set in all, to compare the two methods' work */
    for (size_t i = 0; i < ne; i++) {
        uint32_t q = E[i] + 1;
        for (; !(it[q] & SENT); q++)
            set += w->lidx[it[q]] >= 0;
        uint32_t wt = it[q] & ~SENT;
        for (int b = 0; b < 31; b++)
            nb[b] += (wt >> b) & 1;
    }
    size_t W = 0;
    int planes = 0;
    for (int b = 0; b < 31; b++) {
        ps[b] = W;
        pw[b] = (nb[b] + 63) / 64;
        W += pw[b];
        if (nb[b])
            planes = b + 1;
    }
    /* horizontal work ~ sum of rem^2/2; vertical ~ e^2/2 * W */
    double rem = ne ? (double)set / (double)ne : 0;
    double horiz = (double)ne * rem * rem / 2, vert = (double)e * e / 2 * (double)W + (double)set;
    if (vert > horiz * 2 || (size_t)e * W > VBITS_MAX || !have_popcount())
        return -1;
    if ((size_t)e * W > w->vcap) {
        free(w->vbits);
        w->vbits = malloc((size_t)e * W * sizeof *w->vbits);
        w->vcap = w->vbits ? (size_t)e * W : 0;
        if (!w->vbits)
            return -1;
    }
    uint64_t *bits = w->vbits;
    memset(bits, 0, (size_t)e * W * sizeof *bits);
    for (size_t i = 0; i < ne; i++) {
        uint32_t q = E[i] + 1, q0 = q;
        while (!(it[q] & SENT))
            q++;
        uint32_t wt = it[q] & ~SENT;
        for (int b = 0; b < planes; b++) {
            if (!((wt >> b) & 1))
                continue;
            size_t word = ps[b] + sc[b] / 64;
            uint64_t bit = 1ULL << (sc[b] % 64);
            sc[b]++;
            for (uint32_t x = q0; x < q; x++) {
                int32_t li = w->lidx[it[x]];
                if (li >= 0)
                    bits[(size_t)li * W + word] |= bit;
            }
        }
    }
    for (uint32_t a = 0; a < e; a++) {
        w->pre[d] = F[a];
        const uint64_t *ba = bits + (size_t)a * W;
        for (uint32_t c = a + 1; c < e; c++) {
            const uint64_t *bc = bits + (size_t)c * W;
            uint64_t n;
            if (planes <= 1)
                n = and_popcount(ba, bc, W);
            else {
                n = 0;
                for (int b = 0; b < planes; b++)
                    if (pw[b])
                        n += and_popcount(ba + ps[b], bc + ps[b], pw[b]) << b;
            }
            if (n >= w->minc)
                emit(w, d + 2, w->pre, F[c], n);
        }
    }
    return 0;
}

/* The last two levels at once: pairs j < l of the frequent extensions F. */
static void mine_pairs(struct worker *w, int d, const uint32_t *E, size_t ne, const uint32_t *F,
                       size_t nf)
{
    const uint32_t *it = w->b->items;
    uint32_t e = (uint32_t)nf;
    for (uint32_t a = 0; a < e; a++)
        w->lidx[F[a]] = (int32_t)a;
    if (pairs_vertical(w, d, E, ne, F, e) == 0) {
        for (uint32_t a = 0; a < e; a++)
            w->lidx[F[a]] = -1;
        return;
    }
    memset(w->pairs, 0, (size_t)e * e * sizeof *w->pairs);
    uint32_t *loc = w->loc;
    for (size_t i = 0; i < ne; i++) {
        uint32_t q = E[i] + 1, nl = 0;
        for (; !(it[q] & SENT); q++) {
            int32_t x = w->lidx[it[q]];
            if (x >= 0)
                loc[nl++] = (uint32_t)x;
        }
        uint32_t wt = it[q] & ~SENT;
        for (uint32_t s = 0; s + 1 < nl; s++) {
            uint32_t *rowp = w->pairs + (size_t)loc[s] * e;
            for (uint32_t t = s + 1; t < nl; t++)
                rowp[loc[t]] += wt;
        }
    }
    for (uint32_t a = 0; a < e; a++) {
        w->pre[d] = F[a];
        const uint32_t *rowp = w->pairs + (size_t)a * e;
        for (uint32_t c = a + 1; c < e; c++)
            if (rowp[c] >= w->minc)
                emit(w, d + 2, w->pre, F[c], rowp[c]);
    }
    for (uint32_t a = 0; a < e; a++)
        w->lidx[F[a]] = -1;
}

/* Prefix w->pre[0..d) with entries E; reports lengths d+1 .. len. */
static void mine(struct worker *w, int d, const uint32_t *E, size_t ne)
{
    const uint32_t *it = w->b->items;
    size_t nf = count_ext(w, E, ne);
    if (nf == 0)
        return;
    uint32_t *F = malloc(nf * sizeof *F);
    uint64_t *fc = malloc(nf * sizeof *fc);
    size_t *start = malloc((nf + 1) * sizeof *start);
    if (!F || !fc || !start) {
        for (size_t a = 0; a < nf; a++)
            w->cnt[w->touch[a]] = w->ecnt[w->touch[a]] = 0;
        w->failed = 1;
        goto out;
    }
    memcpy(F, w->touch, nf * sizeof *F);
    size_t total = 0;
    for (size_t a = 0; a < nf; a++) {
        fc[a] = w->cnt[F[a]];
        start[a] = total;
        total += w->ecnt[F[a]];
        w->cnt[F[a]] = 0;
        w->ecnt[F[a]] = 0;
    }
    start[nf] = total;
    for (size_t a = 0; a < nf; a++)
        emit(w, d + 1, w->pre, F[a], fc[a]);
    int rest = w->len - d - 1; /* levels left below the extensions */
    if (rest <= 0 || total == 0)
        goto out;
    if (rest == 1 && nf <= PAIR_MAX) {
        if (nf > w->pcap) {
            free(w->pairs);
            w->pairs = malloc(nf * nf * sizeof *w->pairs);
            w->pcap = w->pairs ? nf : 0;
            if (!w->pairs) {
                w->failed = 1;
                goto out;
            }
        }
        mine_pairs(w, d, E, ne, F, nf);
        goto out;
    }
    /* the children's entries, built for a group of children at a time so
     * that memory stays bounded however many rows share the prefix */
    size_t a0 = 0;
    while (a0 < nf && !w->failed) {
        size_t a1 = a0 + 1;
        while (a1 < nf && start[a1 + 1] - start[a0] <= CHILD_BUDGET)
            a1++;
        size_t base = start[a0], n = start[a1] - base;
        uint32_t *child = n ? malloc(n * sizeof *child) : NULL;
        size_t *fill = malloc((a1 - a0) * sizeof *fill);
        if ((n && !child) || !fill) {
            free(child);
            free(fill);
            w->failed = 1;
            break;
        }
        for (size_t a = a0; a < a1; a++) {
            w->lidx[F[a]] = (int32_t)(a - a0);
            fill[a - a0] = start[a] - base;
        }
        for (size_t i = 0; i < ne; i++)
            for (uint32_t q = E[i] + 1; !(it[q + 1] & SENT); q++) {
                int32_t x = w->lidx[it[q]];
                if (x >= 0)
                    child[fill[x]++] = q;
            }
        for (size_t a = a0; a < a1; a++)
            w->lidx[F[a]] = -1;
        free(fill);
        for (size_t a = a0; a < a1 && !w->failed; a++) {
            if (start[a + 1] == start[a])
                continue;
            w->pre[d] = F[a];
            mine(w, d + 1, child + (start[a] - base), start[a + 1] - start[a]);
        }
        free(child);
        a0 = a1;
    }
out:
    free(F);
    free(fc);
    free(start);
}

static int worker_init(struct worker *w, const struct mdb *b, uint64_t minc, int len)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    w->minc = minc;
    w->len = len;
    size_t m = b->m ? b->m : 1;
    w->cnt = calloc(m, sizeof *w->cnt);
    w->ecnt = calloc(m, sizeof *w->ecnt);
    w->lidx = malloc(m * sizeof *w->lidx);
    w->touch = malloc(m * sizeof *w->touch);
    w->loc = malloc(m * sizeof *w->loc);
    if (!w->cnt || !w->ecnt || !w->lidx || !w->touch || !w->loc)
        return -1;
    for (size_t i = 0; i < m; i++)
        w->lidx[i] = -1;
    return 0;
}

static void worker_free(struct worker *w)
{
    free(w->cnt);
    free(w->ecnt);
    free(w->lidx);
    free(w->touch);
    free(w->loc);
    free(w->pairs);
    free(w->vbits);
}

/* Blocks of first items: block i is items bstart[i] .. bstart[i+1]. */
struct pool {
    const struct mdb *b;
    uint64_t minc;
    int len;
    const size_t *bstart;
    size_t nblocks;
    struct chunk *chunks; /* memory mode, one per block */
    struct seg *segs;     /* text mode, one per block */
    const struct rel_text *tx;
    FILE *(*files)[REL_MAX_LEN + 1]; /* text mode, per thread */
    atomic_size_t next;
    atomic_int failed;
};

struct pool_arg {
    struct pool *pl;
    int thread;
};

/* Collect the positions of block items a0..a1 and search their subtrees. */
static void run_block(struct worker *w, size_t a0, size_t a1)
{
    const struct mdb *b = w->b;
    size_t total = 0;
    for (size_t a = a0; a < a1; a++)
        total += b->ext[a];
    if (total == 0)
        return;
    uint32_t *E = malloc(total * sizeof *E);
    size_t *fill = malloc((a1 - a0) * sizeof *fill);
    if (!E || !fill) {
        free(E);
        free(fill);
        w->failed = 1;
        return;
    }
    size_t at = 0;
    for (size_t a = a0; a < a1; a++) {
        fill[a - a0] = at;
        at += b->ext[a];
    }
    const uint32_t *it = b->items;
    for (size_t p = 0; p + 1 < b->len; p++) {
        uint32_t v = it[p];
        if (v >= a0 && v < a1 && !(it[p + 1] & SENT)) /* end markers are >= SENT */
            E[fill[v - a0]++] = (uint32_t)p;
    }
    at = 0;
    for (size_t a = a0; a < a1 && !w->failed; a++) {
        if (b->ext[a]) {
            w->pre[0] = (uint32_t)a;
            mine(w, 1, E + at, b->ext[a]);
        }
        at += b->ext[a];
    }
    free(E);
    free(fill);
}

static void *pool_run(void *arg)
{
    struct pool_arg *pa = arg;
    struct pool *pl = pa->pl;
    struct worker w;
    if (worker_init(&w, pl->b, pl->minc, pl->len)) {
        worker_free(&w);
        atomic_store(&pl->failed, 1);
        return NULL;
    }
    w.tx = pl->tx;
    if (pl->tx)
        w.f = pl->files[pa->thread];
    for (;;) {
        size_t blk = atomic_fetch_add(&pl->next, 1);
        if (blk >= pl->nblocks || atomic_load(&pl->failed))
            break;
        if (pl->tx) {
            struct seg *s = &pl->segs[blk];
            s->thread = pa->thread;
            for (int l = 2; l <= pl->len; l++)
                s->beg[l] = ftello(w.f[l]);
        } else {
            w.out = &pl->chunks[blk];
        }
        run_block(&w, pl->bstart[blk], pl->bstart[blk + 1]);
        if (pl->tx) {
            struct seg *s = &pl->segs[blk];
            for (int l = 2; l <= pl->len; l++)
                s->end[l] = ftello(w.f[l]);
        }
        if (w.failed)
            atomic_store(&pl->failed, 1);
    }
    worker_free(&w);
    return NULL;
}

/* Copy bytes [beg, end) of f to out; 0 or -1. */
static int copy_range(FILE *f, int64_t beg, int64_t end, FILE *out)
{
    char buf[1 << 14];
    if (end <= beg)
        return 0;
    if (fseeko(f, beg, SEEK_SET) != 0)
        return -1;
    int64_t left = end - beg;
    while (left > 0) {
        size_t want = left > (int64_t)sizeof buf ? sizeof buf : (size_t)left;
        size_t got = fread(buf, 1, want, f);
        if (got == 0 || fwrite(buf, 1, got, out) != got)
            return -1;
        left -= (int64_t)got;
    }
    return 0;
}

static int mine_any(struct rel_recs *r, int consume, size_t nitems, uint64_t minc, int len,
                    int threads, struct rel_aggs *out, const struct rel_text *tx)
{
    if (len < 1 || len > REL_MAX_LEN || minc < 1 || r->n >= SENT)
        return -1;
    if (out) {
        memset(out, 0, sizeof *out);
        out->len = len;
        out->minc = minc;
        out->nrecords = r->n;
    }
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    uint64_t *cnt = calloc(nitems ? nitems : 1, sizeof *cnt);
    if (!cnt)
        return -1;
    for (size_t i = 0; i < r->n; i++)
        for (uint32_t p = r->off[i]; p < r->off[i + 1]; p++)
            cnt[r->items[p]]++;
    struct mdb b;
    if (mdb_build(r, nitems, cnt, minc, &b)) {
        free(cnt);
        return -1;
    }
    if (consume)
        rel_recs_free(r);
    int rc = -1;
    size_t *bstart = NULL;
    struct chunk *chunks = NULL;
    struct seg *segs = NULL;
    FILE *(*files)[REL_MAX_LEN + 1] = NULL;
    size_t nblocks = 0;
    /* length 1 */
    if (out) {
        out->combos[1] = malloc((b.m ? b.m : 1) * sizeof(uint32_t));
        out->count[1] = malloc((b.m ? b.m : 1) * sizeof(uint64_t));
        if (!out->combos[1] || !out->count[1])
            goto done;
        for (size_t a = 0; a < b.m; a++) {
            out->combos[1][a] = b.orig[a];
            out->count[1][a] = cnt[b.orig[a]];
        }
        out->n[1] = b.m;
    } else {
        struct worker w1 = {.b = &b, .tx = tx};
        FILE *f1[REL_MAX_LEN + 1] = {0};
        f1[1] = tx->out;
        w1.f = f1;
        for (size_t a = 0; a < b.m; a++)
            emit_text(&w1, 1, NULL, (uint32_t)a, cnt[b.orig[a]]);
    }
    if (len == 1 || b.m == 0) {
        rc = 0;
        goto done;
    }
    /* blocks of about equal weight, several per thread for balance */
    uint64_t total = 0;
    for (size_t a = 0; a < b.m; a++)
        total += b.ext[a];
    uint64_t budget = total / (16 * (uint64_t)threads);
    if (budget < 65536)
        budget = 65536;
    bstart = malloc((b.m + 1) * sizeof *bstart);
    if (!bstart)
        goto done;
    uint64_t acc = 0;
    bstart[0] = 0;
    for (size_t a = 0; a < b.m; a++) {
        acc += b.ext[a];
        if (acc >= budget || a + 1 == b.m) {
            bstart[++nblocks] = a + 1;
            acc = 0;
        }
    }
    if (out)
        chunks = calloc(nblocks, sizeof *chunks);
    else {
        segs = calloc(nblocks, sizeof *segs);
        files = calloc((size_t)threads, sizeof *files);
        if (segs && files)
            for (int t = 0; t < threads; t++)
                for (int l = 2; l <= len; l++)
                    if (!(files[t][l] = tmpfile()))
                        goto done;
    }
    if (out ? !chunks : (!segs || !files))
        goto done;
    struct pool pl = {.b = &b,
                      .minc = minc,
                      .len = len,
                      .bstart = bstart,
                      .nblocks = nblocks,
                      .chunks = chunks,
                      .segs = segs,
                      .tx = tx,
                      .files = files};
    atomic_init(&pl.next, 0);
    atomic_init(&pl.failed, 0);
    pthread_t tid[64];
    struct pool_arg args[64];
    int started = 0;
    for (int t = 0; t < threads; t++)
        args[t] = (struct pool_arg){.pl = &pl, .thread = t};
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tid[started], NULL, pool_run, &args[t]) != 0)
            break;
        started++;
    }
    pool_run(&args[0]);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    if (atomic_load(&pl.failed))
        goto done;
    if (!out) {
        for (int l = 2; l <= len; l++)
            for (size_t k = 0; k < nblocks; k++) {
                const struct seg *s = &segs[k];
                if (fflush(files[s->thread][l]) != 0 ||
                    copy_range(files[s->thread][l], s->beg[l], s->end[l], tx->out))
                    goto done;
            }
        rc = ferror(tx->out) ? -1 : 0;
        goto done;
    }
    /* join the chunks in block order */
    for (int l = 2; l <= len; l++) {
        size_t n = 0;
        for (size_t k = 0; k < nblocks; k++)
            n += chunks[k].n[l];
        out->combos[l] = malloc((n ? n : 1) * (size_t)l * sizeof(uint32_t));
        out->count[l] = malloc((n ? n : 1) * sizeof(uint64_t));
        if (!out->combos[l] || !out->count[l])
            goto done;
        size_t at = 0;
        for (size_t k = 0; k < nblocks; k++) {
            struct chunk *c = &chunks[k];
            if (c->n[l]) {
                memcpy(out->combos[l] + at * (size_t)l, c->ids[l],
                       c->n[l] * (size_t)l * sizeof(uint32_t));
                memcpy(out->count[l] + at, c->cnt[l], c->n[l] * sizeof(uint64_t));
            }
            at += c->n[l];
            free(c->ids[l]);
            free(c->cnt[l]);
            c->ids[l] = NULL;
            c->cnt[l] = NULL;
        }
        out->n[l] = n;
    }
    rc = 0;
done:
    if (chunks)
        for (size_t k = 0; k < nblocks; k++)
            chunk_free(&chunks[k]);
    free(chunks);
    free(segs);
    if (files) {
        for (int t = 0; t < threads; t++)
            for (int l = 2; l <= len; l++)
                if (files[t][l])
                    fclose(files[t][l]);
        free(files);
    }
    free(bstart);
    free(cnt);
    mdb_free(&b);
    if (rc && out)
        rel_aggs_free(out);
    return rc;
}

int rel_mine(const struct rel_recs *r, size_t nitems, uint64_t minc, int len, int threads,
             struct rel_aggs *out)
{
    /* not consumed, so the cast only satisfies the shared signature */
    return mine_any((struct rel_recs *)r, 0, nitems, minc, len, threads, out, NULL);
}

int rel_mine_text(struct rel_recs *r, int consume, size_t nitems, uint64_t minc, int len,
                  int threads, const struct rel_text *tx)
{
    return mine_any(r, consume, nitems, minc, len, threads, NULL, tx);
}
