/*
 * Differentially private aggregates (DESIGN §8, docs/privacy.md
 * "Differential privacy"): exact samplers for the discrete Laplace and
 * discrete Gaussian distributions after Canonne, Kamath & Steinke (2020),
 * the budget plan (zCDP split across lengths and converted to (epsilon,
 * delta)), and the noisy, thresholded, consistent counts of every
 * combination of 1..L items, with each record's contribution capped.
 *
 * The samplers use integers and rationals only; a draw never touches a
 * floating-point number, so there is no rounding for an attacker to read
 * (Mironov 2012). Uniform integers come from libsodium (a ChaCha20 stream
 * keyed by randombytes_buf), by rejection, without modulo bias. Doubles
 * are used only to plan sigma and the thresholds, and every rounding there
 * goes towards more noise and higher thresholds.
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "share/release.h"

__extension__ typedef unsigned __int128 u128;

/* ---- uniform integers ---------------------------------------------------- */

/*
 * Random bytes: ChaCha20 (libsodium's crypto_stream_chacha20) keyed once per
 * thread from randombytes_buf, read 4 KiB at a time. libsodium's
 * randombytes_buf may make a system call per call, and a release draws
 * millions of small integers; the stream is the same CSPRNG construction
 * libsodium uses internally.
 */
struct rstream {
    unsigned char key[crypto_stream_chacha20_KEYBYTES];
    uint64_t nonce;
    unsigned char buf[4096];
    size_t pos;
    int ready;
};
static _Thread_local struct rstream rs;

static void random_bytes(void *out, size_t n)
{
    unsigned char *o = out;
    while (n) {
        if (!rs.ready || rs.pos == sizeof rs.buf) {
            if (!rs.ready) {
                randombytes_buf(rs.key, sizeof rs.key);
                randombytes_buf(&rs.nonce, sizeof rs.nonce);
                rs.ready = 1;
            }
            unsigned char nonce[crypto_stream_chacha20_NONCEBYTES];
            memcpy(nonce, &rs.nonce, sizeof nonce);
            rs.nonce++;
            crypto_stream_chacha20(rs.buf, sizeof rs.buf, nonce, rs.key);
            rs.pos = 0;
        }
        size_t take = sizeof rs.buf - rs.pos < n ? sizeof rs.buf - rs.pos : n;
        memcpy(o, rs.buf + rs.pos, take);
        sodium_memzero(rs.buf + rs.pos, take); /* no byte is handed out twice */
        rs.pos += take;
        o += take;
        n -= take;
    }
}

/* Uniform in [0, n), n >= 1, by rejection (no modulo bias). */
static uint64_t uniform64(uint64_t n)
{
    if (n <= UINT32_MAX) {
        uint32_t m = (uint32_t)n, lim = (0 - m) % m; /* 2^32 mod n */
        for (;;) {
            uint32_t r;
            random_bytes(&r, sizeof r);
            if (r >= lim)
                return r % m;
        }
    }
    uint64_t lim = (0 - n) % n; /* 2^64 mod n: [lim, 2^64) is a multiple of n long */
    for (;;) {
        uint64_t r;
        random_bytes(&r, sizeof r);
        if (r >= lim)
            return r % n;
    }
}

static u128 uniform128(u128 n)
{
    if (n <= UINT64_MAX)
        return uniform64((uint64_t)n);
    u128 lim = (0 - n) % n;
    for (;;) {
        u128 r;
        random_bytes(&r, sizeof r);
        if (r >= lim)
            return r % n;
    }
}

/* ---- Bernoulli(exp(-gamma)), gamma = num/den (CKS Algorithm 1) ------------ */

/* gamma in [0, 1]: K counts the successes of Bernoulli(gamma/K) in a row; the
 * result is 1 when the first failure comes at an odd K. Bernoulli(num/(den K))
 * is drawn as u1 == 0 and u2 < num with u1 in [0, K) and u2 in [0, den), which
 * is a uniform draw from [0, den K) compared with num, without the product. */
static int bern_exp_le1(u128 num, u128 den)
{
    uint64_t k = 1;
    for (;;) {
        if (k > 1 && uniform64(k) != 0)
            break;
        if (uniform128(den) >= num)
            break;
        k++;
    }
    return (int)(k & 1);
}

static int bern_exp(u128 num, u128 den)
{
    if (num <= den)
        return bern_exp_le1(num, den);
    u128 whole = num / den;
    for (u128 i = 0; i < whole; i++)
        if (!bern_exp_le1(1, 1))
            return 0;
    return bern_exp_le1(num % den, den);
}

int rel_dp_bernoulli_exp(uint64_t num, uint64_t den)
{
    return bern_exp(num, den);
}

/* ---- discrete Laplace (CKS Algorithm 2) ---------------------------------- */

int64_t rel_dp_dlaplace(uint64_t s, uint64_t t)
{
    for (;;) {
        uint64_t u = uniform64(t);
        if (!bern_exp(u, t))
            continue;
        uint64_t v = 0;
        while (bern_exp(1, 1))
            v++;
        u128 y = ((u128)u + (u128)t * v) / s;
        int neg = (int)uniform64(2);
        if (neg && y == 0)
            continue;
        if (y > INT64_MAX) /* beyond any reachable value: P < exp(-2^63 s/t) */
            continue;
        return neg ? -(int64_t)y : (int64_t)y;
    }
}

/* ---- discrete Gaussian (CKS Algorithm 3) --------------------------------- */

/* floor(sqrt(num / den)) */
static uint64_t isqrt_ratio(uint64_t num, uint64_t den)
{
    uint64_t lo = 0, hi = 1ULL << 32;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2;
        if ((u128)mid * mid * den <= num)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/*
 * Y from the discrete Laplace of scale t = floor(sigma) + 1, accepted with
 * probability exp(-(|Y| - sigma^2/t)^2 / (2 sigma^2)). With sigma^2 = a/b,
 * that exponent is (|Y| b t - a)^2 / (2 a b t^2), exact in 128 bits for the
 * documented ranges (a <= 2^42, b <= 2^10, t <= 2^16 + 1). |Y| > 64 t is
 * rejected without drawing: its acceptance probability is below exp(-1900).
 */
int64_t rel_dp_dgauss(uint64_t num, uint64_t den)
{
    uint64_t t = isqrt_ratio(num, den) + 1;
    for (;;) {
        int64_t y = rel_dp_dlaplace(1, t);
        uint64_t ay = y < 0 ? (uint64_t)0 - (uint64_t)y : (uint64_t)y;
        if (ay > 64 * t)
            continue;
        u128 a = (u128)ay * den * t;
        u128 diff = a > num ? a - num : num - a;
        u128 gn = diff * diff;
        u128 gd = (u128)2 * num * den * t * t;
        if (bern_exp(gn, gd))
            return y;
    }
}

/* ---- the plan ------------------------------------------------------------- */

/* C(n, k), saturating at UINT64_MAX. */
static uint64_t binom_sat(uint64_t n, uint64_t k)
{
    if (k > n)
        return 0;
    u128 r = 1;
    for (uint64_t i = 1; i <= k; i++) {
        r = r * (n - k + i) / i; /* exact: r is C(n - k + i, i) after the step */
        if (r > UINT64_MAX)
            return UINT64_MAX;
    }
    return (uint64_t)r;
}

/* An upper bound on P(Z >= tau) for Z discrete Gaussian with sigma: the
 * continuous N(0, sigma^2) tail from tau - 1 (docs/privacy.md). */
static double dg_tail_bound(double sigma, int64_t tau)
{
    return 0.5 * erfc((double)(tau - 1) / (sigma * sqrt(2.0)));
}

int rel_dp_plan(double epsilon, double delta, int len, uint64_t cap, uint64_t k, size_t ncols,
                struct rel_dp_params *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    if (!(epsilon > 0 && epsilon <= REL_DP_EPS_MAX)) {
        snprintf(err, errlen, "--epsilon must be greater than 0 and at most %g", REL_DP_EPS_MAX);
        return -1;
    }
    if (!(delta > 0 && delta < 1)) {
        snprintf(err, errlen, "--delta must be greater than 0 and less than 1");
        return -1;
    }
    if (cap < 1 || cap > REL_DP_CAP_MAX) {
        snprintf(err, errlen, "--dp-cap must be from 1 to %d", REL_DP_CAP_MAX);
        return -1;
    }
    if (len < 1 || len > REL_MAX_LEN || ncols < 1) {
        snprintf(err, errlen, "invalid length");
        return -1;
    }
    if (sodium_init() < 0) {
        snprintf(err, errlen, "cannot initialise libsodium");
        return -1;
    }
    p->epsilon = epsilon;
    p->delta = delta;
    p->len = len;
    p->cap = cap;
    p->k = k;
    /* Half of delta converts zCDP, half pays for the thresholds. The
     * thresholds also cost ln(1 / (1 - delta/2)) of epsilon (see the doc). */
    double eps_z = epsilon + log1p(-delta / 2);
    double lg = log(2 / delta);
    if (!(eps_z > 0)) {
        snprintf(err, errlen, "--epsilon is too small for this --delta");
        return -1;
    }
    /* rho with rho + 2 sqrt(rho ln(2/delta)) = eps_z, written without cancellation */
    double root = sqrt(lg + eps_z) + sqrt(lg);
    p->rho = eps_z * eps_z / (root * root);
    p->rho_len[0] = p->rho * 0.05;
    for (int l = 1; l <= len; l++)
        p->rho_len[l] = p->rho * 0.95 / len;
    p->contrib[0] = 1;
    for (int l = 1; l <= len; l++) {
        uint64_t b = binom_sat(ncols, (uint64_t)l);
        p->contrib[l] = b < cap ? b : cap;
        if (p->contrib[l] == 0)
            p->contrib[l] = 1; /* a length longer than the columns: nothing to count */
    }
    double dsel = delta / 2 / len;
    for (int l = 0; l <= len; l++) {
        double s2 = (double)p->contrib[l] / (2 * p->rho_len[l]);
        if (!(s2 <= 4294967296.0)) {
            snprintf(err, errlen,
                     "--epsilon is too small: the noise would exceed the sampler's range "
                     "(sigma above 65536)");
            return -1;
        }
        p->s2_num[l] = (uint64_t)ceil(s2 * REL_DP_DEN) + 1; /* round sigma^2 up */
        if (l == 0)
            continue;
        double sigma = sqrt((double)p->s2_num[l] / REL_DP_DEN);
        int64_t lo = 1, hi = (int64_t)1 << 40;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if ((double)p->contrib[l] * dg_tail_bound(sigma, mid) <= dsel)
                hi = mid;
            else
                lo = mid + 1;
        }
        p->threshold[l] = lo > (int64_t)k - 1 ? lo : (int64_t)k - 1;
    }
    return 0;
}

/* ---- counting with capped contributions --------------------------------- */

/* Combinations of one length and their exact (capped) counts. */
struct ctab {
    int l;
    size_t cap, n;
    uint32_t *keys; /* cap * l */
    uint64_t *cnt;  /* 0: an empty slot */
};

static uint64_t hash_ids(const uint32_t *a, int l)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < l; i++) {
        h ^= a[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 31;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

static int ctab_grow(struct ctab *t)
{
    size_t cap = t->cap ? t->cap * 2 : 256;
    uint32_t *keys = malloc(cap * (size_t)t->l * sizeof *keys);
    uint64_t *cnt = calloc(cap, sizeof *cnt);
    if (!keys || !cnt) {
        free(keys);
        free(cnt);
        return -1;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->cnt[i])
            continue;
        const uint32_t *k = t->keys + i * (size_t)t->l;
        size_t s = hash_ids(k, t->l) & (cap - 1);
        while (cnt[s])
            s = (s + 1) & (cap - 1);
        memcpy(keys + s * (size_t)t->l, k, (size_t)t->l * sizeof *k);
        cnt[s] = t->cnt[i];
    }
    free(t->keys);
    free(t->cnt);
    t->keys = keys;
    t->cnt = cnt;
    t->cap = cap;
    return 0;
}

static int ctab_add(struct ctab *t, const uint32_t *ids)
{
    if ((t->n + 1) * 2 > t->cap && ctab_grow(t))
        return -1;
    size_t s = hash_ids(ids, t->l) & (t->cap - 1);
    while (t->cnt[s]) {
        if (memcmp(t->keys + s * (size_t)t->l, ids, (size_t)t->l * sizeof *ids) == 0) {
            t->cnt[s]++;
            return 0;
        }
        s = (s + 1) & (t->cap - 1);
    }
    memcpy(t->keys + s * (size_t)t->l, ids, (size_t)t->l * sizeof *ids);
    t->cnt[s] = 1;
    t->n++;
    return 0;
}

static void ctab_free(struct ctab *t)
{
    free(t->keys);
    free(t->cnt);
    memset(t, 0, sizeof *t);
}

/* Advance idx (l ascending indices below m) to the next combination; 0 at the end. */
static int next_comb(uint32_t *idx, int l, uint32_t m)
{
    int i = l - 1;
    while (i >= 0 && idx[i] == m - (uint32_t)(l - i))
        i--;
    if (i < 0)
        return 0;
    idx[i]++;
    for (int j = i + 1; j < l; j++)
        idx[j] = idx[j - 1] + 1;
    return 1;
}

static void sort_small(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/*
 * Add one record's combinations of length l to t: all of them when there
 * are at most c, else c of them drawn uniformly without replacement. work
 * holds at least m + 4 * c * l + l entries.
 */
static int add_record(struct ctab *t, const uint32_t *items, uint32_t m, int l, uint64_t c,
                      uint32_t *work)
{
    uint64_t total = binom_sat(m, (uint64_t)l);
    uint32_t idx[REL_MAX_LEN], ids[REL_MAX_LEN];
    if (total <= 4 * c) {
        /* enumerate; when there are too many, keep a uniform c of them
         * (a partial Fisher-Yates shuffle over the enumeration) */
        uint32_t *all = work; /* total * l */
        size_t n = 0;
        for (int i = 0; i < l; i++)
            idx[i] = (uint32_t)i;
        do {
            for (int i = 0; i < l; i++)
                all[n * (size_t)l + (size_t)i] = items[idx[i]];
            n++;
        } while (next_comb(idx, l, m));
        size_t keep = total <= c ? n : (size_t)c;
        for (size_t i = 0; i < keep; i++) {
            if (keep < n) {
                size_t j = i + (size_t)uniform64(n - i);
                for (int q = 0; q < l; q++) {
                    uint32_t x = all[i * (size_t)l + (size_t)q];
                    all[i * (size_t)l + (size_t)q] = all[j * (size_t)l + (size_t)q];
                    all[j * (size_t)l + (size_t)q] = x;
                }
            }
            if (ctab_add(t, all + i * (size_t)l))
                return -1;
        }
        return 0;
    }
    /* many more combinations than c: draw uniform l-subsets, skipping repeats
     * (each draw is new with probability above 3/4) */
    uint32_t *perm = work;       /* m */
    uint32_t *chosen = work + m; /* c * l */
    for (uint32_t i = 0; i < m; i++)
        perm[i] = i;
    size_t have = 0;
    while (have < c) {
        for (int i = 0; i < l; i++) {
            uint32_t j = (uint32_t)i + (uint32_t)uniform64(m - (uint32_t)i);
            uint32_t x = perm[i];
            perm[i] = perm[j];
            perm[j] = x;
            idx[i] = perm[i];
        }
        sort_small(idx, l);
        for (int i = 0; i < l; i++)
            ids[i] = items[idx[i]];
        int dup = 0;
        for (size_t h = 0; h < have && !dup; h++)
            dup = memcmp(chosen + h * (size_t)l, ids, (size_t)l * sizeof *ids) == 0;
        if (dup)
            continue;
        memcpy(chosen + have * (size_t)l, ids, (size_t)l * sizeof *ids);
        have++;
        if (ctab_add(t, ids))
            return -1;
    }
    return 0;
}

static _Thread_local int sort_len; /* qsort has no context argument */

static int cmp_entry(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    for (int i = 0; i < sort_len; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

/* The counted combinations of t, sorted, as (l ids, count low, count high) rows. */
static uint32_t *ctab_sorted(const struct ctab *t)
{
    size_t w = (size_t)t->l + 2;
    uint32_t *rows = malloc((t->n ? t->n : 1) * w * sizeof *rows);
    if (!rows)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->cnt[i])
            continue;
        uint32_t *r = rows + n * w;
        memcpy(r, t->keys + i * (size_t)t->l, (size_t)t->l * sizeof *r);
        r[t->l] = (uint32_t)t->cnt[i];
        r[t->l + 1] = (uint32_t)(t->cnt[i] >> 32);
        n++;
    }
    sort_len = t->l;
    qsort(rows, n, w * sizeof *rows, cmp_entry);
    return rows;
}

int rel_dp_aggregate(const struct rel_data *d, const struct rel_dp_params *p, struct rel_aggs *out)
{
    memset(out, 0, sizeof *out);
    int L = p->len;
    struct ctab tab[REL_MAX_LEN + 1];
    memset(tab, 0, sizeof tab);
    for (int l = 1; l <= L; l++)
        tab[l].l = l;
    uint64_t maxc = 1;
    for (int l = 1; l <= L; l++)
        if (p->contrib[l] > maxc)
            maxc = p->contrib[l];
    size_t maxm = 0;
    for (size_t r = 0; r < d->recs.n; r++) {
        size_t m = d->recs.off[r + 1] - d->recs.off[r];
        if (m > maxm)
            maxm = m;
    }
    uint32_t *work = malloc((maxm + 4 * maxc * (size_t)L + (size_t)L + 1) * sizeof *work);
    int rc = work ? 0 : -1;
    for (size_t r = 0; !rc && r < d->recs.n; r++) {
        const uint32_t *items = d->recs.items + d->recs.off[r];
        uint32_t m = d->recs.off[r + 1] - d->recs.off[r];
        for (int l = 1; !rc && l <= L && (uint32_t)l <= m; l++)
            rc = add_record(&tab[l], items, m, l, p->contrib[l], work);
    }
    free(work);

    /* the record count: sensitivity 1 */
    int64_t nrec = (int64_t)d->recs.n + rel_dp_dgauss(p->s2_num[0], REL_DP_DEN);
    out->nrecords = nrec > 0 ? (uint64_t)nrec : 0;
    out->minc = 1;
    for (int l = 1; !rc && l <= L; l++) {
        uint32_t *rows = ctab_sorted(&tab[l]);
        size_t n = tab[l].n, w = (size_t)l + 2;
        out->combos[l] = malloc((n ? n : 1) * (size_t)l * sizeof *out->combos[l]);
        out->count[l] = malloc((n ? n : 1) * sizeof *out->count[l]);
        if (!rows || !out->combos[l] || !out->count[l]) {
            free(rows);
            rc = -1;
            break;
        }
        size_t kept = 0;
        uint32_t parent[REL_MAX_LEN];
        for (size_t i = 0; i < n; i++) {
            const uint32_t *row = rows + i * w;
            uint64_t exact = row[l] | (uint64_t)row[l + 1] << 32;
            /* every counted combination is noised, whatever becomes of it */
            int64_t noisy = (int64_t)exact + rel_dp_dgauss(p->s2_num[l], REL_DP_DEN);
            if (noisy <= p->threshold[l])
                continue;
            /* consistency: never above a part one item shorter */
            uint64_t bound = out->nrecords;
            for (int drop = 0; l > 1 && drop < l && bound; drop++) {
                int q = 0;
                for (int j = 0; j < l; j++)
                    if (j != drop)
                        parent[q++] = row[j];
                uint64_t pc = rel_aggs_find(out, parent, l - 1);
                if (pc < bound)
                    bound = pc;
            }
            uint64_t v = (uint64_t)noisy < bound ? (uint64_t)noisy : bound;
            if ((int64_t)v <= p->threshold[l])
                continue;
            memcpy(out->combos[l] + kept * (size_t)l, row, (size_t)l * sizeof *row);
            out->count[l][kept++] = v;
        }
        free(rows);
        out->n[l] = kept;
        out->len = l; /* makes this length visible to rel_aggs_find for the next */
    }
    for (int l = 1; l <= L; l++)
        ctab_free(&tab[l]);
    if (rc) {
        rel_aggs_free(out);
        return -1;
    }
    out->len = L;
    return 0;
}

int rel_dp_write_params(const struct rel_dp_params *p, const struct rel_aggs *a, const char *path)
{
    json_t *root = json_object();
    json_object_set_new(root, "mechanism",
                        json_string("discrete Gaussian (Canonne, Kamath & Steinke 2020), "
                                    "zCDP, thresholds, consistency"));
    json_object_set_new(root, "epsilon", json_real(p->epsilon));
    json_object_set_new(root, "delta", json_real(p->delta));
    json_object_set_new(root, "rho", json_real(p->rho));
    json_object_set_new(root, "length", json_integer(p->len));
    json_object_set_new(root, "k", json_integer((json_int_t)p->k));
    json_object_set_new(root, "contribution_cap", json_integer((json_int_t)p->cap));
    json_t *rcnt = json_object();
    json_object_set_new(rcnt, "rho", json_real(p->rho_len[0]));
    json_object_set_new(rcnt, "sigma2", json_real((double)p->s2_num[0] / REL_DP_DEN));
    json_object_set_new(rcnt, "sigma2_rational",
                        json_pack("[I,I]", (json_int_t)p->s2_num[0], (json_int_t)REL_DP_DEN));
    json_object_set_new(rcnt, "noisy_record_count", json_integer((json_int_t)a->nrecords));
    json_object_set_new(root, "record_count", rcnt);
    json_t *arr = json_array();
    for (int l = 1; l <= p->len; l++) {
        json_t *x = json_object();
        json_object_set_new(x, "length", json_integer(l));
        json_object_set_new(x, "rho", json_real(p->rho_len[l]));
        json_object_set_new(x, "max_contributions", json_integer((json_int_t)p->contrib[l]));
        json_object_set_new(x, "sigma", json_real(sqrt((double)p->s2_num[l] / REL_DP_DEN)));
        json_object_set_new(x, "sigma2_rational",
                            json_pack("[I,I]", (json_int_t)p->s2_num[l], (json_int_t)REL_DP_DEN));
        json_object_set_new(x, "threshold", json_integer((json_int_t)p->threshold[l]));
        json_object_set_new(x, "published_combinations",
                            json_integer((json_int_t)(l <= a->len ? a->n[l] : 0)));
        json_array_append_new(arr, x);
    }
    json_object_set_new(root, "by_length", arr);
    int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(8));
    json_decref(root);
    return rc ? -1 : 0;
}
