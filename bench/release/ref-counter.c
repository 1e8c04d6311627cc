/*
 * The reference for bench/release/run: a plain open-addressing hash counter
 * for the aggregates of `vigil release --only aggregates`. It maps each item
 * to an integer, packs every combination of up to L items of each record
 * into one 64-bit key, counts them all in a linear-probing table, and writes
 * the same aggregates.tsv as vigil (same item order, escaping and rounding),
 * so that the outputs can be compared byte for byte. Fair and
 * straightforward, not slow: -O2, a good 64-bit mix, a power-of-two table.
 *
 *   ref-counter FILE K L OUT.tsv [KEEP,ZEROS,...]
 */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- items ---------------------------------------------------------------- */

static char **cols;
static size_t ncols, nfields;
static char *keep;
static uint32_t *icol;
static char **ival;
static size_t nitems, icap;
static uint32_t *islot;
static size_t iscap;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static uint64_t shash(uint32_t col, const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ col;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return mix(h);
}

static uint32_t item_id(uint32_t col, const char *s, size_t n)
{
    if ((nitems + 1) * 2 > iscap) {
        size_t cap = iscap ? iscap * 2 : 1024;
        uint32_t *t = calloc(cap, sizeof *t);
        for (size_t i = 0; i < nitems; i++) {
            size_t p = shash(icol[i], ival[i], strlen(ival[i])) & (cap - 1);
            while (t[p])
                p = (p + 1) & (cap - 1);
            t[p] = (uint32_t)i + 1;
        }
        free(islot);
        islot = t;
        iscap = cap;
    }
    size_t p = shash(col, s, n) & (iscap - 1);
    while (islot[p]) {
        uint32_t i = islot[p] - 1;
        if (icol[i] == col && strlen(ival[i]) == n && memcmp(ival[i], s, n) == 0)
            return i;
        p = (p + 1) & (iscap - 1);
    }
    if (nitems == icap) {
        icap = icap ? icap * 2 : 256;
        icol = realloc(icol, icap * sizeof *icol);
        ival = realloc(ival, icap * sizeof *ival);
    }
    ival[nitems] = strndup(s, n);
    icol[nitems] = col;
    islot[p] = (uint32_t)nitems + 1;
    return (uint32_t)nitems++;
}

/* ---- the counter ---------------------------------------------------------- */

static uint64_t *keys;
static uint32_t *counts;
static size_t tcap, tn;
static int L, bits;
static uint64_t visits; /* combinations counted, reported on stderr */

static void table_grow(void)
{
    size_t cap = tcap ? tcap * 2 : (1u << 16);
    uint64_t *k = calloc(cap, sizeof *k);
    uint32_t *c = calloc(cap, sizeof *c);
    for (size_t i = 0; i < tcap; i++)
        if (keys[i]) {
            size_t p = mix(keys[i]) & (cap - 1);
            while (k[p])
                p = (p + 1) & (cap - 1);
            k[p] = keys[i];
            c[p] = counts[i];
        }
    free(keys);
    free(counts);
    keys = k;
    counts = c;
    tcap = cap;
}

static inline void bump(uint64_t key)
{
    visits++;
    if ((tn + 1) * 2 > tcap)
        table_grow();
    size_t p = mix(key) & (tcap - 1);
    while (keys[p] && keys[p] != key)
        p = (p + 1) & (tcap - 1);
    if (!keys[p]) {
        keys[p] = key;
        tn++;
    }
    counts[p]++;
}

static uint32_t rec[4096];
static size_t nrec;
static size_t field;
static int header_done;
static uint64_t nrecords;
static const char *kz; /* the --keep-zeros list */

/* Every combination of up to L items: items are packed as id+1 in `bits`
 * bits each, in ascending id order, so a key names one combination. */
static void enumerate(size_t start, int depth, uint64_t key)
{
    for (size_t i = start; i < nrec; i++) {
        uint64_t k = (key << bits) | (rec[i] + 1);
        bump(k);
        if (depth + 1 < L)
            enumerate(i + 1, depth + 1, k);
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void cb_field(void *s, size_t n, void *data)
{
    (void)data;
    const char *v = s ? s : "";
    size_t f = field++;
    if (!header_done) {
        cols = realloc(cols, (f + 1) * sizeof *cols);
        cols[f] = strndup(v, n);
        return;
    }
    if (f == 0)
        return;
    while (n && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (!n || (n == 1 && v[0] == '0' && !keep[f]))
        return;
    rec[nrec++] = item_id((uint32_t)(f - 1), v, n);
}

static void cb_row(int c, void *data)
{
    (void)c;
    (void)data;
    if (!header_done) {
        header_done = 1;
        nfields = field;
        ncols = field - 1;
        keep = calloc(nfields, 1);
        for (const char *q = kz; q && *q;) {
            const char *e = strchr(q, ',');
            size_t len = e ? (size_t)(e - q) : strlen(q);
            for (size_t i = 1; i < nfields; i++)
                if (strlen(cols[i]) == len && memcmp(cols[i], q, len) == 0)
                    keep[i] = 1;
            q = e ? e + 1 : NULL;
        }
        field = 0;
        return;
    }
    if (field != nfields) {
        fprintf(stderr, "ref-counter: a row has %zu fields, expected %zu\n", field, nfields);
        exit(1);
    }
    qsort(rec, nrec, sizeof *rec, cmp_u32);
    enumerate(0, 0, 0);
    nrecords++;
    nrec = 0;
    field = 0;
}

/* ---- output, in vigil's order --------------------------------------------- */

static uint32_t *rankof;

static int cmp_item(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (icol[x] != icol[y])
        return icol[x] < icol[y] ? -1 : 1;
    return strcmp(ival[x], ival[y]);
}

struct row {
    uint32_t it[8];
    uint32_t count;
    int len;
};

static int cmp_row(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->len != y->len)
        return x->len - y->len;
    for (int i = 0; i < x->len; i++)
        if (x->it[i] != y->it[i])
            return x->it[i] < y->it[i] ? -1 : 1;
    return 0;
}

static void put_label(FILE *f, uint32_t rank, uint32_t *byrank)
{
    uint32_t i = byrank[rank];
    fputs(cols[icol[i] + 1], f);
    fputc(':', f);
    for (const char *s = ival[i]; *s; s++) {
        switch (*s) {
        case '\\':
            fputs("\\\\", f);
            break;
        case ';':
            fputs("\\;", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: ref-counter FILE K L OUT.tsv [KEEP,ZEROS]\n");
        return 2;
    }
    char *e1, *e2;
    uint64_t k = strtoull(argv[2], &e1, 10);
    long len = strtol(argv[3], &e2, 10);
    L = (int)len;
    if (*e1 || *e2 || k < 1 || len < 1 || len > 8) {
        fprintf(stderr, "ref-counter: bad K or L\n");
        return 2;
    }
    bits = 64 / L;
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_delim(&p, ';');
    static char buf[1 << 16];
    size_t n;
    kz = argc > 5 ? argv[5] : NULL;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (csv_parse(&p, buf, n, cb_field, cb_row, NULL) != n) {
            fprintf(stderr, "ref-counter: malformed CSV\n");
            return 1;
        }
    }
    csv_fini(&p, cb_field, cb_row, NULL);
    fclose(in);
    if (bits < 32 && nitems + 1 >= (1ull << bits)) {
        fprintf(stderr, "ref-counter: too many items for %d-bit packing\n", bits);
        return 1;
    }
    /* ranks in (column, value) order */
    uint32_t *byrank = malloc(nitems * sizeof *byrank);
    rankof = malloc(nitems * sizeof *rankof);
    for (size_t i = 0; i < nitems; i++)
        byrank[i] = (uint32_t)i;
    qsort(byrank, nitems, sizeof *byrank, cmp_item);
    for (size_t i = 0; i < nitems; i++)
        rankof[byrank[i]] = (uint32_t)i;
    size_t nr = 0;
    for (size_t i = 0; i < tcap; i++)
        if (keys[i] && counts[i] >= k)
            nr++;
    struct row *rows = malloc((nr ? nr : 1) * sizeof *rows);
    nr = 0;
    uint64_t mask = bits == 64 ? ~0ULL : ((1ULL << bits) - 1);
    for (size_t i = 0; i < tcap; i++) {
        if (!keys[i] || counts[i] < k)
            continue;
        struct row *r = &rows[nr++];
        r->len = 0;
        r->count = counts[i];
        for (uint64_t x = keys[i]; x; x >>= bits)
            r->it[r->len++] = rankof[(x & mask) - 1];
        qsort(r->it, (size_t)r->len, sizeof r->it[0], cmp_u32);
    }
    qsort(rows, nr, sizeof *rows, cmp_row);
    FILE *out = fopen(argv[4], "wb");
    if (!out) {
        perror(argv[4]);
        return 1;
    }
    fprintf(out, "selections\tprotected_count\nrecord_count\t%llu\n",
            (unsigned long long)(nrecords / k * k));
    for (size_t i = 0; i < nr; i++) {
        for (int j = 0; j < rows[i].len; j++) {
            if (j)
                fputc(';', out);
            put_label(out, rows[i].it[j], byrank);
        }
        fprintf(out, "\t%llu\n", (unsigned long long)(rows[i].count / k * k));
    }
    fclose(out);
    fprintf(stderr, "combinations %llu\n", (unsigned long long)visits);
    return 0;
}
