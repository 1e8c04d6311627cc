/*
 * Privacy-preserving release (DESIGN §8): loading a CTDC-layout file with
 * libcsv into item sets, writing the sds-layout aggregates and the
 * synthetic microdata, the evaluation (JSON and a hand-drawn SVG), and the
 * CLI verb `vigil release`. Counting is in release_mine.c, synthesis in
 * release_synth.c; the semantics are described in docs/privacy.md.
 */
#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cmd.h"
#include "share/release.h"
#include "util/buf.h"
#include "util/parse.h"

/* ---- loading ---------------------------------------------------------------- */

/* Interned (column, value) pairs: open addressing over provisional ids. */
struct intern {
    uint32_t *slot; /* provisional id + 1, or 0 */
    size_t cap;
    size_t n, ncap;
    uint32_t *col;
    char **val;
    uint64_t *hash;
};

static uint64_t hash_item(uint32_t col, const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL ^ col;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 32);
}

static int intern_grow(struct intern *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint32_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t s = t->hash[i] & (cap - 1);
        while (slot[s])
            s = (s + 1) & (cap - 1);
        slot[s] = (uint32_t)i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->cap = cap;
    return 0;
}

/* The provisional id of (col, s), added when new; UINT32_MAX out of memory. */
static uint32_t intern_get(struct intern *t, uint32_t col, const char *s, size_t len)
{
    if ((t->n + 1) * 2 > t->cap && intern_grow(t))
        return UINT32_MAX;
    uint64_t h = hash_item(col, s, len);
    size_t i = h & (t->cap - 1);
    while (t->slot[i]) {
        uint32_t id = t->slot[i] - 1;
        if (t->hash[id] == h && t->col[id] == col && strlen(t->val[id]) == len &&
            memcmp(t->val[id], s, len) == 0)
            return id;
        i = (i + 1) & (t->cap - 1);
    }
    if (t->n == t->ncap) {
        size_t nc = t->ncap ? t->ncap * 2 : 256;
        uint32_t *c = realloc(t->col, nc * sizeof *c);
        if (!c)
            return UINT32_MAX;
        t->col = c;
        char **v = realloc(t->val, nc * sizeof *v);
        if (!v)
            return UINT32_MAX;
        t->val = v;
        uint64_t *hh = realloc(t->hash, nc * sizeof *hh);
        if (!hh)
            return UINT32_MAX;
        t->hash = hh;
        t->ncap = nc;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return UINT32_MAX;
    memcpy(copy, s, len);
    copy[len] = '\0';
    uint32_t id = (uint32_t)t->n++;
    t->col[id] = col;
    t->val[id] = copy;
    t->hash[id] = h;
    t->slot[i] = id + 1;
    return id;
}

struct loader {
    const char *path;
    struct rel_data *d;
    struct intern it;
    char *keep;     /* per file column: keep "0" as an item */
    const char *kz; /* --keep-zeros as given */
    size_t nfields; /* header width */
    size_t field;   /* index of the next field in the current record */
    int header_done;
    long line;     /* physical line being parsed */
    long rec_line; /* line where the current record started */
    uint32_t *cur; /* provisional ids of the current record */
    size_t ncur;
    char **hdr; /* header fields while reading the header */
    char err[512];
    int failed;
};

static void fail(struct loader *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct loader *x, const char *fmt, ...)
{
    if (x->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err, sizeof x->err, fmt, ap);
    va_end(ap);
    x->failed = 1;
}

static void cb_field(void *s, size_t len, void *data)
{
    struct loader *x = data;
    if (x->failed)
        return;
    const char *v = s ? s : "";
    if (!s)
        len = 0;
    size_t fi = x->field++;
    if (fi == 0)
        x->rec_line = x->line;
    if (!utf8_valid(v, len)) {
        fail(x, "%s: line %ld: field %zu is not valid UTF-8", x->path, x->rec_line, fi + 1);
        return;
    }
    if (!x->header_done) {
        if (fi >= 4096) {
            fail(x, "%s: line %ld: too many columns", x->path, x->rec_line);
            return;
        }
        char **h = realloc(x->hdr, (fi + 1) * sizeof *h);
        if (!h) {
            fail(x, "out of memory");
            return;
        }
        x->hdr = h;
        x->hdr[fi] = strndup(v, len);
        if (!x->hdr[fi])
            fail(x, "out of memory");
        return;
    }
    if (fi == 0 || fi >= x->nfields)
        return; /* the terms-of-use column; surplus fields are counted at the row end */
    /* trim spaces and tabs around the value */
    while (len && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    if (len == 0)
        return;
    if (len == 1 && v[0] == '0' && !x->keep[fi])
        return;
    uint32_t id = intern_get(&x->it, (uint32_t)(fi - 1), v, len);
    if (id == UINT32_MAX) {
        fail(x, "out of memory");
        return;
    }
    x->cur[x->ncur++] = id;
}

static int setup_header(struct loader *x)
{
    size_t n = x->field;
    if (n < 2) {
        fail(x,
             "%s: line %ld: the header has %zu field(s); expected the terms-of-use field "
             "and at least one attribute",
             x->path, x->rec_line, n);
        return -1;
    }
    struct rel_data *d = x->d;
    x->nfields = n;
    d->terms = x->hdr[0];
    x->hdr[0] = NULL;
    d->ncols = n - 1;
    d->cols = calloc(d->ncols, sizeof *d->cols);
    x->keep = calloc(n, 1);
    x->cur = malloc(n * sizeof *x->cur);
    if (!d->cols || !x->keep || !x->cur) {
        fail(x, "out of memory");
        return -1;
    }
    for (size_t i = 1; i < n; i++) {
        d->cols[i - 1] = x->hdr[i];
        x->hdr[i] = NULL;
        if (!d->cols[i - 1][0]) {
            fail(x, "%s: line %ld: column %zu has no name", x->path, x->rec_line, i + 1);
            return -1;
        }
        for (size_t j = 1; j < i; j++)
            if (strcmp(d->cols[j - 1], d->cols[i - 1]) == 0) {
                fail(x, "%s: line %ld: column name '%s' appears twice", x->path, x->rec_line,
                     d->cols[i - 1]);
                return -1;
            }
    }
    /* --keep-zeros names attribute columns */
    const char *p = x->kz;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t found = 0;
        for (size_t i = 0; i < d->ncols; i++)
            if (strlen(d->cols[i]) == len && memcmp(d->cols[i], p, len) == 0)
                found = i + 1;
        if (len && !found) {
            fail(x, "--keep-zeros: no column named '%.*s' in %s", (int)(len > 200 ? 200 : len), p,
                 x->path);
            return -1;
        }
        if (found)
            x->keep[found] = 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static int cmp_u32p(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void cb_row(int c, void *data)
{
    (void)c;
    struct loader *x = data;
    if (x->failed)
        return;
    if (!x->header_done) {
        x->header_done = 1;
        setup_header(x);
        for (size_t i = 0; i < x->field; i++)
            free(x->hdr[i]); /* the names not taken over on an error */
        free(x->hdr);
        x->hdr = NULL;
        x->field = 0;
        return;
    }
    if (x->field != x->nfields) {
        fail(x, "%s: line %ld: expected %zu fields, found %zu", x->path, x->rec_line, x->nfields,
             x->field);
        return;
    }
    if (x->d->recs.n >= 0x7fffffff) {
        fail(x, "%s: line %ld: too many records", x->path, x->rec_line);
        return;
    }
    if (rel_recs_add(&x->d->recs, x->cur, x->ncur))
        fail(x, "out of memory");
    x->ncur = 0;
    x->field = 0;
}

static const struct intern *sort_t; /* qsort has no context argument; loads are serial */

static int cmp_items(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (sort_t->col[x] != sort_t->col[y])
        return sort_t->col[x] < sort_t->col[y] ? -1 : 1;
    return strcmp(sort_t->val[x], sort_t->val[y]);
}

static int finish_items(struct loader *x)
{
    struct rel_data *d = x->d;
    struct intern *t = &x->it;
    size_t n = t->n;
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank);
    d->item_col = malloc((n ? n : 1) * sizeof *d->item_col);
    d->item_val = malloc((n ? n : 1) * sizeof *d->item_val);
    d->item_count = calloc(n ? n : 1, sizeof *d->item_count);
    if (!order || !rank || !d->item_col || !d->item_val || !d->item_count) {
        free(order);
        free(rank);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    sort_t = t;
    qsort(order, n, sizeof *order, cmp_items);
    for (size_t i = 0; i < n; i++) {
        rank[order[i]] = (uint32_t)i;
        d->item_col[i] = t->col[order[i]];
        d->item_val[i] = t->val[order[i]];
        t->val[order[i]] = NULL;
    }
    d->nitems = n;
    struct rel_recs *r = &d->recs;
    if (r->n && r->off[r->n] < r->cap_items) { /* give back the growth slack */
        uint32_t *p = realloc(r->items, (r->off[r->n] ? r->off[r->n] : 1) * sizeof *p);
        if (p) {
            r->items = p;
            r->cap_items = r->off[r->n];
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        uint32_t *it = r->items + r->off[i];
        size_t len = r->off[i + 1] - r->off[i];
        for (size_t k = 0; k < len; k++)
            it[k] = rank[it[k]];
        qsort(it, len, sizeof *it, cmp_u32p);
        for (size_t k = 0; k < len; k++)
            d->item_count[it[k]]++;
    }
    free(order);
    free(rank);
    return 0;
}

static void loader_free(struct loader *x)
{
    free(x->it.slot);
    free(x->it.col);
    if (x->it.val)
        for (size_t i = 0; i < x->it.n; i++)
            free(x->it.val[i]);
    free(x->it.val);
    free(x->it.hash);
    free(x->keep);
    free(x->cur);
    if (x->hdr)
        for (size_t i = 0; i < x->field; i++)
            free(x->hdr[i]);
    free(x->hdr);
}

int rel_load_ctdc(const char *path, const char *keep_zeros, struct rel_data *d, char *err,
                  size_t errlen)
{
    memset(d, 0, sizeof *d);
    struct loader x = {.path = path, .d = d, .kz = keep_zeros, .line = 1};
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    d->path = strdup(path);
    struct csv_parser p;
    if (!d->path || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        rel_data_free(d);
        return -1;
    }
    csv_set_delim(&p, ';');
    csv_set_quote(&p, '"');
    char buf[1 << 14];
    size_t n;
    while (!x.failed && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        /* feed line by line so that errors can name the physical line */
        size_t at = 0;
        while (at < n && !x.failed) {
            const char *nl = memchr(buf + at, '\n', n - at);
            size_t seg = nl ? (size_t)(nl - (buf + at)) + 1 : n - at;
            if (csv_parse(&p, buf + at, seg, cb_field, cb_row, &x) != seg) {
                fail(&x, "%s: line %ld: malformed CSV (%s)", path, x.line,
                     csv_strerror(csv_error(&p)));
                break;
            }
            at += seg;
            if (nl)
                x.line++;
        }
    }
    if (!x.failed && ferror(f))
        fail(&x, "cannot read %s: %s", path, strerror(errno));
    if (!x.failed && csv_fini(&p, cb_field, cb_row, &x) != 0)
        fail(&x, "%s: line %ld: malformed CSV (%s)", path, x.rec_line ? x.rec_line : x.line,
             csv_strerror(csv_error(&p)));
    if (!x.failed && !x.header_done)
        fail(&x, "%s: no header row", path);
    csv_free(&p);
    fclose(f);
    if (!x.failed && finish_items(&x))
        fail(&x, "out of memory");
    if (x.failed) {
        snprintf(err, errlen, "%s", x.err);
        loader_free(&x);
        rel_data_free(d);
        return -1;
    }
    loader_free(&x);
    return 0;
}

void rel_data_free(struct rel_data *d)
{
    free(d->path);
    free(d->terms);
    if (d->cols)
        for (size_t i = 0; i < d->ncols; i++)
            free(d->cols[i]);
    free(d->cols);
    if (d->item_val)
        for (size_t i = 0; i < d->nitems; i++)
            free(d->item_val[i]);
    free(d->item_val);
    free(d->item_col);
    free(d->item_count);
    rel_recs_free(&d->recs);
    memset(d, 0, sizeof *d);
}

/* ---- writing ------------------------------------------------------------------ */

/* "attr:value" with the value's '\\', ';', tab, CR and LF escaped. */
static char *item_label(const struct rel_data *d, uint32_t i)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_puts(&b, d->cols[d->item_col[i]]);
    buf_putc(&b, ':');
    for (const char *s = d->item_val[i]; *s; s++) {
        switch (*s) {
        case '\\':
            buf_puts(&b, "\\\\");
            break;
        case ';':
            buf_puts(&b, "\\;");
            break;
        case '\t':
            buf_puts(&b, "\\t");
            break;
        case '\r':
            buf_puts(&b, "\\r");
            break;
        case '\n':
            buf_puts(&b, "\\n");
            break;
        default:
            buf_putc(&b, *s);
        }
    }
    if (buf_err(&b)) {
        buf_free(&b);
        return NULL;
    }
    buf_cstr(&b);
    return buf_take(&b, NULL);
}

static size_t u64_str(char *out, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* Every item's label, or NULL when memory runs out (free with free_labels). */
static char **all_labels(const struct rel_data *d, size_t **lens)
{
    char **lab = calloc(d->nitems ? d->nitems : 1, sizeof *lab);
    *lens = calloc(d->nitems ? d->nitems : 1, sizeof **lens);
    if (!lab || !*lens) {
        free(lab);
        free(*lens);
        return NULL;
    }
    for (size_t i = 0; i < d->nitems; i++) {
        lab[i] = item_label(d, (uint32_t)i);
        if (!lab[i]) {
            for (size_t j = 0; j < i; j++)
                free(lab[j]);
            free(lab);
            free(*lens);
            return NULL;
        }
        (*lens)[i] = strlen(lab[i]);
    }
    return lab;
}

static void free_labels(char **lab, size_t *lens, size_t n)
{
    if (lab)
        for (size_t i = 0; i < n; i++)
            free(lab[i]);
    free(lab);
    free(lens);
}

/* --only aggregates: count straight into the file, releasing the records. */
static int stream_aggregates(struct rel_data *d, const struct rel_opts *o, const char *path)
{
    size_t *lens;
    char **lab = all_labels(d, &lens);
    if (!lab)
        return -1;
    FILE *f = fopen(path, "wb");
    if (!f) {
        free_labels(lab, lens, d->nitems);
        return -1;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 18);
    fprintf(f, "selections\tprotected_count\nrecord_count\t%" PRIu64 "\n",
            (uint64_t)d->recs.n / o->k * o->k);
    struct rel_text t = {.out = f, .labels = (const char *const *)lab, .lens = lens, .k = o->k};
    int rc = rel_mine_text(&d->recs, 1, d->nitems, o->k, o->len, o->threads, &t);
    if (ferror(f))
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    free_labels(lab, lens, d->nitems);
    return rc;
}

int rel_write_aggregates(const struct rel_data *d, const struct rel_aggs *a, uint64_t k,
                         const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    setvbuf(f, NULL, _IOFBF, 1 << 18);
    char **lab = calloc(d->nitems ? d->nitems : 1, sizeof *lab);
    size_t *llen = calloc(d->nitems ? d->nitems : 1, sizeof *llen);
    int rc = lab && llen ? 0 : -1;
    char num[24];
    if (!rc) {
        fputs("selections\tprotected_count\nrecord_count\t", f);
        size_t nn = u64_str(num, a->nrecords / k * k);
        num[nn++] = '\n';
        fwrite(num, 1, nn, f);
    }
    for (int l = 1; !rc && l <= a->len; l++) {
        for (size_t i = 0; i < a->n[l]; i++) {
            uint64_t c = a->count[l][i];
            if (c < k)
                continue;
            const uint32_t *ids = a->combos[l] + i * (size_t)l;
            for (int j = 0; j < l; j++) {
                uint32_t it = ids[j];
                if (!lab[it]) {
                    lab[it] = item_label(d, it);
                    if (!lab[it]) {
                        rc = -1;
                        break;
                    }
                    llen[it] = strlen(lab[it]);
                }
                if (j)
                    fputc(';', f);
                fwrite(lab[it], 1, llen[it], f);
            }
            num[0] = '\t';
            size_t nn = 1 + u64_str(num + 1, c / k * k);
            num[nn++] = '\n';
            fwrite(num, 1, nn, f);
        }
    }
    if (lab)
        for (size_t i = 0; i < d->nitems; i++)
            free(lab[i]);
    free(lab);
    free(llen);
    if (ferror(f))
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* One CSV cell: quoted when it holds the delimiter, a quote or a line break. */
static void csv_cell(FILE *f, const char *s)
{
    if (!strpbrk(s, ";\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The synthetic records in the input's own layout (terms column first, empty). */
static int write_synthetic(const struct rel_data *d, const struct rel_recs *s, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    csv_cell(f, d->terms ? d->terms : "");
    for (size_t c = 0; c < d->ncols; c++) {
        fputc(';', f);
        csv_cell(f, d->cols[c]);
    }
    fputc('\n', f);
    for (size_t r = 0; r < s->n; r++) {
        uint32_t p = s->off[r], end = s->off[r + 1];
        for (size_t c = 0; c < d->ncols; c++) {
            fputc(';', f);
            if (p < end && d->item_col[s->items[p]] == c) {
                csv_cell(f, d->item_val[s->items[p]]);
                p++;
            }
        }
        fputc('\n', f);
    }
    int rc = ferror(f) ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* ---- evaluation ---------------------------------------------------------------- */

void rel_evaluate(const struct rel_aggs *sens, const struct rel_aggs *syn, uint64_t k,
                  struct rel_eval *e)
{
    memset(e, 0, sizeof *e);
    e->len = sens->len < syn->len ? sens->len : syn->len;
    e->k = k;
    e->records = sens->nrecords;
    e->synthetic_records = syn->nrecords;
    for (int l = 1; l <= e->len; l++) {
        struct rel_eval_len *b = &e->by_len[l];
        size_t i = 0, j = 0, n = 0;
        double sum_sen = 0, sum_syn = 0, pres = 0, perr = 0;
        while (i < sens->n[l] || j < syn->n[l]) {
            int c;
            if (i == sens->n[l])
                c = 1;
            else if (j == syn->n[l])
                c = -1;
            else {
                c = 0;
                const uint32_t *x = sens->combos[l] + i * (size_t)l;
                const uint32_t *y = syn->combos[l] + j * (size_t)l;
                for (int q = 0; q < l && !c; q++)
                    if (x[q] != y[q])
                        c = x[q] < y[q] ? -1 : 1;
            }
            uint64_t sen = 0, sy = 0;
            if (c <= 0) {
                sen = sens->count[l][i++];
                if (sen < k) /* counted below k: treat as not reportable */
                    sen = 0;
            }
            if (c >= 0)
                sy = syn->count[l][j++];
            if (sen == 0 && sy == 0)
                continue;
            n++;
            if (sen) {
                b->sensitive++;
                sum_sen += (double)sen;
                double r = (double)sy / (double)sen;
                pres += r < 1 ? r : 1;
                perr += (double)(sy > sen ? sy - sen : sen - sy) / (double)sen;
            } else {
                perr += 1;
            }
            if (sy) {
                b->synthetic++;
                sum_syn += (double)sy;
                if (!sen)
                    b->leaked++;
            }
        }
        b->mean_sensitive = b->sensitive ? sum_sen / (double)b->sensitive : 0;
        b->mean_synthetic = b->synthetic ? sum_syn / (double)b->synthetic : 0;
        b->preservation = n ? pres / (double)n : 0;
        b->mean_prop_error = n ? perr / (double)n : 0;
        e->leaked += b->leaked;
    }
}

static int write_eval_json(const struct rel_eval *e, const struct rel_opts *o, const char *path)
{
    json_t *root = json_object();
    json_object_set_new(root, "k", json_integer((json_int_t)e->k));
    json_object_set_new(root, "length", json_integer(e->len));
    json_object_set_new(root, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(root, "records", json_integer((json_int_t)e->records));
    json_object_set_new(root, "synthetic_records", json_integer((json_int_t)e->synthetic_records));
    json_object_set_new(root, "leaked_combinations", json_integer((json_int_t)e->leaked));
    json_t *arr = json_array();
    for (int l = 1; l <= e->len; l++) {
        const struct rel_eval_len *b = &e->by_len[l];
        json_t *x = json_object();
        json_object_set_new(x, "length", json_integer(l));
        json_object_set_new(x, "sensitive_combinations", json_integer((json_int_t)b->sensitive));
        json_object_set_new(x, "synthetic_combinations", json_integer((json_int_t)b->synthetic));
        json_object_set_new(x, "mean_sensitive_count", json_real(b->mean_sensitive));
        json_object_set_new(x, "mean_synthetic_count", json_real(b->mean_synthetic));
        json_object_set_new(x, "preservation", json_real(b->preservation));
        json_object_set_new(x, "mean_proportional_error", json_real(b->mean_prop_error));
        json_object_set_new(x, "leaked_combinations", json_integer((json_int_t)b->leaked));
        json_array_append_new(arr, x);
    }
    json_object_set_new(root, "by_length", arr);
    int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    json_decref(root);
    return rc ? -1 : 0;
}

/* Two bars per length: preservation and mean proportional error (capped at 1). */
static int write_eval_svg(const struct rel_eval *e, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    const int W = 640, H = 360, left = 60, right = 20, top = 50, bottom = 60;
    int pw = W - left - right, ph = H - top - bottom;
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fprintf(f, "<title>Release evaluation: k=%" PRIu64 ", length %d</title>\n", e->k, e->len);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", W, H);
    fprintf(f,
            "<text x=\"%d\" y=\"22\" font-size=\"15\">Preservation and error by combination "
            "length (k=%" PRIu64 ", leaked combinations: %zu)</text>\n",
            left, e->k, e->leaked);
    for (int t = 0; t <= 4; t++) {
        double y = top + ph - ph * t / 4.0;
        fprintf(f,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>\n",
                left, y, left + pw, y, left - 6, y + 4, t * 25);
    }
    int n = e->len > 0 ? e->len : 1;
    double slot = (double)pw / n, bw = slot / 3;
    for (int l = 1; l <= e->len; l++) {
        const struct rel_eval_len *b = &e->by_len[l];
        double x0 = left + slot * (l - 1) + slot / 6;
        double p = b->preservation, er = b->mean_prop_error > 1 ? 1 : b->mean_prop_error;
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2b6cb0\">"
                "<title>length %d preservation %.1f%%</title></rect>\n",
                x0, top + ph * (1 - p), bw, ph * p, l, p * 100);
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#dd6b20\">"
                "<title>length %d mean proportional error %.1f%%</title></rect>\n",
                x0 + bw, top + ph * (1 - er), bw, ph * er, l, b->mean_prop_error * 100);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", x0 + bw,
                top + ph + 18, l);
    }
    fprintf(f,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">combination length</text>\n"
            "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#2b6cb0\"/>"
            "<text x=\"%d\" y=\"%d\">preservation</text>\n"
            "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#dd6b20\"/>"
            "<text x=\"%d\" y=\"%d\">mean proportional error</text>\n</svg>\n",
            left + pw / 2, H - 28, left, H - 18, left + 16, H - 8, left + 130, H - 18, left + 146,
            H - 8);
    int rc = ferror(f) ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* ---- the whole run -------------------------------------------------------------- */

static void join(char *out, size_t n, const char *dir, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

/* --dp: noisy aggregates and their parameters; no synthesis (docs/privacy.md). */
static int run_dp(const struct rel_data *d, const struct rel_opts *o, char *err, size_t errlen)
{
    struct rel_dp_params p;
    if (rel_dp_plan(o->epsilon, o->delta, o->len, o->dp_cap, o->k, d->ncols, &p, err, errlen))
        return -1;
    struct rel_aggs a;
    if (rel_dp_aggregate(d, &p, &a)) {
        snprintf(err, errlen, "out of memory while counting combinations");
        return -1;
    }
    char path[4200];
    int rc = 0;
    join(path, sizeof path, o->out_dir, "aggregates.tsv");
    if (rel_write_aggregates(d, &a, 1, path)) {
        snprintf(err, errlen, "cannot write %s", path);
        rc = -1;
    }
    join(path, sizeof path, o->out_dir, "dp.json");
    if (!rc && rel_dp_write_params(&p, &a, path)) {
        snprintf(err, errlen, "cannot write %s", path);
        rc = -1;
    }
    rel_aggs_free(&a);
    return rc;
}

int rel_run(const struct rel_opts *o, char *err, size_t errlen)
{
    if (o->k < 2 || o->len < 1 || o->len > REL_MAX_LEN) {
        snprintf(err, errlen, "invalid k or length");
        return -1;
    }
    struct rel_data d;
    if (rel_load_ctdc(o->in, o->keep_zeros, &d, err, errlen))
        return -1;
    if (mkdir(o->out_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", o->out_dir, strerror(errno));
        rel_data_free(&d);
        return -1;
    }
    char path[4200];
    struct rel_aggs a;
    int rc = -1;
    if (o->dp) {
        rc = run_dp(&d, o, err, errlen);
        rel_data_free(&d);
        return rc;
    }
    if (o->only_aggregates) {
        join(path, sizeof path, o->out_dir, "aggregates.tsv");
        rc = stream_aggregates(&d, o, path);
        if (rc)
            snprintf(err, errlen, "cannot count into %s (out of memory or disk space)", path);
        rel_data_free(&d);
        return rc;
    }
    if (rel_mine(&d.recs, d.nitems, o->k, o->len, o->threads, &a)) {
        snprintf(err, errlen, "out of memory while counting combinations");
        rel_data_free(&d);
        return -1;
    }
    join(path, sizeof path, o->out_dir, "aggregates.tsv");
    if (rel_write_aggregates(&d, &a, o->k, path)) {
        snprintf(err, errlen, "cannot write %s", path);
        goto out;
    }
    struct rel_recs s = {0};
    if (rel_synthesize(&d, o->k, &a, o->seed, &s)) {
        snprintf(err, errlen, "out of memory while synthesizing");
        goto out;
    }
    join(path, sizeof path, o->out_dir, "synthetic.csv");
    if (write_synthetic(&d, &s, path)) {
        snprintf(err, errlen, "cannot write %s", path);
        rel_recs_free(&s);
        goto out;
    }
    struct rel_aggs sa;
    if (rel_mine(&s, d.nitems, 1, o->len, o->threads, &sa)) {
        snprintf(err, errlen, "out of memory while evaluating");
        rel_recs_free(&s);
        goto out;
    }
    struct rel_eval ev;
    rel_evaluate(&a, &sa, o->k, &ev);
    rel_aggs_free(&sa);
    rel_recs_free(&s);
    join(path, sizeof path, o->out_dir, "evaluation.json");
    if (write_eval_json(&ev, o, path)) {
        snprintf(err, errlen, "cannot write %s", path);
        goto out;
    }
    join(path, sizeof path, o->out_dir, "evaluation.svg");
    if (write_eval_svg(&ev, path)) {
        snprintf(err, errlen, "cannot write %s", path);
        goto out;
    }
    if (ev.leaked) {
        snprintf(err, errlen, "internal error: %zu synthetic combinations are rarer than k",
                 ev.leaked);
        goto out;
    }
    rc = 0;
out:
    rel_aggs_free(&a);
    rel_data_free(&d);
    return rc;
}

/* ---- the CLI verb ----------------------------------------------------------------- */

struct ropts {
    const char *in, *format, *k, *len, *out, *keep, *only, *threads, *seed;
    const char *epsilon, *delta, *cap;
    int dp;
};

/* A finite decimal number, the whole string; 0 or -1. */
static int parse_real(const char *s, double *out)
{
    if (!s || !*s || strlen(s) > 64 || strchr(" \t\n+", s[0]))
        return -1;
    for (const char *c = s; *c; c++)
        if (!strchr("0123456789.-eE+", *c))
            return -1; /* no "inf", "nan" or hexadecimal */
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int r_opt(void *ud, const char *name, const char *arg)
{
    struct ropts *o = ud;
    if (strcmp(name, "in") == 0)
        o->in = arg;
    else if (strcmp(name, "format") == 0)
        o->format = arg;
    else if (strcmp(name, "k") == 0)
        o->k = arg;
    else if (strcmp(name, "length") == 0)
        o->len = arg;
    else if (strcmp(name, "output") == 0)
        o->out = arg;
    else if (strcmp(name, "keep-zeros") == 0)
        o->keep = arg;
    else if (strcmp(name, "only") == 0)
        o->only = arg;
    else if (strcmp(name, "threads") == 0)
        o->threads = arg;
    else if (strcmp(name, "seed") == 0)
        o->seed = arg;
    else if (strcmp(name, "dp") == 0)
        o->dp = 1;
    else if (strcmp(name, "epsilon") == 0)
        o->epsilon = arg;
    else if (strcmp(name, "delta") == 0)
        o->delta = arg;
    else if (strcmp(name, "dp-cap") == 0)
        o->cap = arg;
    else
        return -1;
    return 0;
}

int cmd_release(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil release --in FILE --format ctdc --k K --length L -o DIR\n"
        "                     [--keep-zeros A,B,...] [--only aggregates] [--threads N]\n"
        "                     [--seed S] [--dp --epsilon E [--delta D] [--dp-cap C]]\n"
        "A privacy-preserving release of a microdata file, as Microsoft's\n"
        "synthetic-data-showcase makes it. Records are sets of attribute:value items\n"
        "(empty cells are not items, nor is 0 unless its column is in --keep-zeros).\n"
        "DIR receives aggregates.tsv (every combination of up to L items held by at\n"
        "least K records, counts rounded down to a multiple of K), synthetic.csv\n"
        "(records whose every combination is held by at least K records),\n"
        "evaluation.json and evaluation.svg. --only aggregates writes the first only.\n"
        "K is 2..1000000, L is 1..16; --threads (default 1) counts in parallel;\n"
        "--seed (default 1) makes the synthesis reproducible.\n"
        "--dp writes differentially private aggregates instead (aggregates.tsv with\n"
        "noisy counts, and dp.json): (E, D)-DP, 0 < E <= 100, 0 < D < 1 (default 1e-6),\n"
        "each record adding to at most C (default 10, at most 256) combinations of\n"
        "each length; no synthesis. See docs/privacy.md.\n";
    static const struct cmd_opt opts[] = {
        {"in", 1},         {"format", 1}, {"k", 1},       {"length", 1}, {"output", 1},
        {"keep-zeros", 1}, {"only", 1},   {"threads", 1}, {"seed", 1},   {"dp", 0},
        {"epsilon", 1},    {"delta", 1},  {"dp-cap", 1},  {NULL, 0}};
    struct ropts ro = {0};
    /* accept the short "-o DIR" as well as "--output DIR" */
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "-o") == 0) {
            ro.out = argv[i + 1];
            for (int j = i; j + 2 < argc; j++)
                argv[j] = argv[j + 2];
            argc -= 2;
            break;
        }
    struct cmd_ctx c = {0};
    int first = cmd_parse(argc, argv, &c, opts, r_opt, &ro, help);
    if (first < 0)
        return first == -2 ? EXIT_OK : EXIT_USAGE;
    if (first < argc) {
        cmd_err("release takes no operands ('%s'); see --help", argv[first]);
        return EXIT_USAGE;
    }
    if (!ro.in || !ro.format || !ro.k || !ro.len || !ro.out) {
        cmd_err("release needs --in FILE --format ctdc --k K --length L -o DIR (see --help)");
        return EXIT_USAGE;
    }
    if (strcmp(ro.format, "ctdc") != 0) {
        cmd_err("unknown release format '%s' (only ctdc)", ro.format);
        return EXIT_USAGE;
    }
    if (ro.only && strcmp(ro.only, "aggregates") != 0) {
        cmd_err("--only takes 'aggregates', not '%s'", ro.only);
        return EXIT_USAGE;
    }
    struct rel_opts o = {.in = ro.in,
                         .out_dir = ro.out,
                         .keep_zeros = ro.keep,
                         .threads = 1,
                         .seed = 1,
                         .only_aggregates = ro.only != NULL};
    int64_t v;
    if (parse_i64(ro.k, 2, 1000000, &v)) {
        cmd_err("invalid --k '%s': expected an integer from 2 to 1000000", ro.k);
        return EXIT_FAIL;
    }
    o.k = (uint64_t)v;
    if (parse_i64(ro.len, 1, REL_MAX_LEN, &v)) {
        cmd_err("invalid --length '%s': expected an integer from 1 to %d", ro.len, REL_MAX_LEN);
        return EXIT_FAIL;
    }
    o.len = (int)v;
    if (ro.threads) {
        if (parse_i64(ro.threads, 1, 64, &v)) {
            cmd_err("invalid --threads '%s': expected 1 to 64", ro.threads);
            return EXIT_USAGE;
        }
        o.threads = (int)v;
    }
    if (ro.seed) {
        if (parse_i64(ro.seed, 0, INT64_MAX, &v)) {
            cmd_err("invalid --seed '%s': expected a non-negative integer", ro.seed);
            return EXIT_USAGE;
        }
        o.seed = (uint64_t)v;
    }
    if (!ro.dp && (ro.epsilon || ro.delta || ro.cap)) {
        cmd_err("--epsilon, --delta and --dp-cap need --dp");
        return EXIT_USAGE;
    }
    if (ro.dp) {
        if (ro.only && strcmp(ro.only, "aggregates") != 0) {
            cmd_err("--dp writes aggregates only");
            return EXIT_USAGE;
        }
        if (!ro.epsilon) {
            cmd_err("--dp needs --epsilon E (see --help)");
            return EXIT_USAGE;
        }
        o.dp = 1;
        o.delta = 1e-6;
        o.dp_cap = 10;
        if (parse_real(ro.epsilon, &o.epsilon) || !(o.epsilon > 0) || o.epsilon > REL_DP_EPS_MAX) {
            cmd_err("invalid --epsilon '%s': expected a number greater than 0 and at most %g",
                    ro.epsilon, REL_DP_EPS_MAX);
            return EXIT_FAIL;
        }
        if (ro.delta && (parse_real(ro.delta, &o.delta) || !(o.delta > 0) || !(o.delta < 1))) {
            cmd_err("invalid --delta '%s': expected a number greater than 0 and less than 1",
                    ro.delta);
            return EXIT_FAIL;
        }
        if (ro.cap) {
            if (parse_i64(ro.cap, 1, REL_DP_CAP_MAX, &v)) {
                cmd_err("invalid --dp-cap '%s': expected an integer from 1 to %d", ro.cap,
                        REL_DP_CAP_MAX);
                return EXIT_FAIL;
            }
            o.dp_cap = (uint64_t)v;
        }
    }
    char err[600];
    if (rel_run(&o, err, sizeof err)) {
        cmd_err("release: %s", err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
