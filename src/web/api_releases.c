/*
 * Privacy-preserving releases over HTTP (docs/privacy.md, docs/api.md): the
 * secretariat picks a source (the cases in vigil, de-identified and without
 * the persons who withdrew data-sharing consent, or an imported dataset), K,
 * L and a mode; the release engine (src/share/release*.c) runs on a
 * temporary CTDC file, synchronously and bounded, and the release's files and
 * evaluation are stored with an audit entry in one transaction. Downloads
 * take a name from a fixed list only.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "share/exchange.h"
#include "share/release.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/http.h"

/* Bounds of a release made from the web: it runs inside a request. */
#define WEB_MAX_RECORDS 100000
#define WEB_MAX_K       1000
#define WEB_MAX_LEN     5

/* The files a release may have, and their types: nothing else is served. */
static const struct {
    const char *name, *type;
} release_files[] = {
    {"aggregates.tsv", "text/tab-separated-values; charset=utf-8"},
    {"synthetic.csv", "text/csv; charset=utf-8"},
    {"evaluation.json", "application/json; charset=utf-8"},
    {"evaluation.svg", "image/svg+xml"},
    {"dp.json", "application/json; charset=utf-8"},
};
#define NFILES (sizeof release_files / sizeof release_files[0])

static const char *const modes[] = {"aggregates", "synthetic", "dp", NULL};
static const char *const body_keys[] = {"source", "k", "length", "mode", "epsilon", "delta", NULL};

/* ---- reading the request ---------------------------------------------------- */

/* An integer field: a JSON integer, or (forms) a decimal string. 1 when absent. */
static int get_int(struct req *r, json_t *body, int from_form, const char *name, int64_t min,
                   int64_t max, int64_t *out)
{
    json_t *v = json_object_get(body, name);
    if (!v || (from_form && json_is_string(v) && !*json_string_value(v)))
        return 1;
    int64_t x;
    if (json_is_integer(v))
        x = json_integer_value(v);
    else if (from_form && json_is_string(v) && parse_i64(json_string_value(v), min, max, &x) == 0)
        ;
    else {
        req_fail(r, VIGIL_EINVAL, name,
                 "field '%s' must be an integer from %" PRId64 " to %" PRId64, name, min, max);
        return -1;
    }
    if (x < min || x > max) {
        req_fail(r, VIGIL_EINVAL, name,
                 "field '%s' must be an integer from %" PRId64 " to %" PRId64, name, min, max);
        return -1;
    }
    *out = x;
    return 0;
}

/* A number field: a JSON number, or (forms) a plain decimal string. 1 when absent. */
static int get_real(struct req *r, json_t *body, int from_form, const char *name, double *out)
{
    json_t *v = json_object_get(body, name);
    if (!v || (from_form && json_is_string(v) && !*json_string_value(v)))
        return 1;
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 0;
    }
    if (from_form && json_is_string(v)) {
        const char *s = json_string_value(v);
        int ok = strlen(s) <= 32 && strspn(s, "0123456789.eE-+") == strlen(s);
        char *end;
        errno = 0;
        double x = ok ? strtod(s, &end) : 0;
        if (ok && !*end && !errno && isfinite(x)) {
            *out = x;
            return 0;
        }
    }
    req_fail(r, VIGIL_EINVAL, name, "field '%s' must be a number", name);
    return -1;
}

struct run_req {
    char source[40];
    int64_t dataset; /* 0: the cases */
    int64_t k, len;
    const char *mode;
    double epsilon, delta;
    int dp;
};

static int parse_body(struct req *r, json_t *body, int from_form, struct run_req *q)
{
    memset(q, 0, sizeof *q);
    if (!json_is_object(body))
        return req_fail(r, VIGIL_EINVAL, NULL, "the body must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        int known = 0;
        for (int i = 0; body_keys[i]; i++)
            known |= strcmp(body_keys[i], key) == 0;
        if (!known)
            return req_fail(r, VIGIL_EINVAL, key, "unknown field '%.40s'", key);
    }
    const char *src = json_string_value(json_object_get(body, "source"));
    if (!src)
        return req_fail(r, VIGIL_EINVAL, "source",
                        "field 'source' is required: \"cases\" or \"dataset:ID\"");
    if (strcmp(src, "cases") == 0) {
        snprintf(q->source, sizeof q->source, "cases");
    } else if (strncmp(src, "dataset:", 8) == 0 &&
               parse_i64(src + 8, 1, INT32_MAX, &q->dataset) == 0) {
        snprintf(q->source, sizeof q->source, "dataset:%" PRId64, q->dataset);
    } else {
        return req_fail(r, VIGIL_EINVAL, "source",
                        "field 'source' must be \"cases\" or \"dataset:ID\"");
    }
    int rc = get_int(r, body, from_form, "k", 2, WEB_MAX_K, &q->k);
    if (rc < 0)
        return VIGIL_EINVAL;
    if (rc > 0)
        return req_fail(r, VIGIL_EINVAL, "k", "field 'k' is required (2 to %d)", WEB_MAX_K);
    rc = get_int(r, body, from_form, "length", 1, WEB_MAX_LEN, &q->len);
    if (rc < 0)
        return VIGIL_EINVAL;
    if (rc > 0)
        return req_fail(r, VIGIL_EINVAL, "length", "field 'length' is required (1 to %d)",
                        WEB_MAX_LEN);
    const char *mode = json_string_value(json_object_get(body, "mode"));
    for (int i = 0; mode && modes[i]; i++)
        if (strcmp(modes[i], mode) == 0)
            q->mode = modes[i];
    if (!q->mode)
        return req_fail(r, VIGIL_EINVAL, "mode",
                        "field 'mode' must be \"aggregates\", \"synthetic\" or \"dp\"");
    q->dp = strcmp(q->mode, "dp") == 0;
    int has_e = get_real(r, body, from_form, "epsilon", &q->epsilon);
    if (has_e < 0)
        return VIGIL_EINVAL;
    int has_d = get_real(r, body, from_form, "delta", &q->delta);
    if (has_d < 0)
        return VIGIL_EINVAL;
    if (!q->dp) {
        if (has_e == 0 || has_d == 0)
            return req_fail(r, VIGIL_EINVAL, has_e == 0 ? "epsilon" : "delta",
                            "field '%s' is only for mode \"dp\"", has_e == 0 ? "epsilon" : "delta");
        return VIGIL_OK;
    }
    if (has_e > 0)
        return req_fail(r, VIGIL_EINVAL, "epsilon", "field 'epsilon' is required for mode \"dp\"");
    if (!(q->epsilon > 0 && q->epsilon <= REL_DP_EPS_MAX))
        return req_fail(r, VIGIL_EINVAL, "epsilon",
                        "field 'epsilon' must be greater than 0 and at most %g", REL_DP_EPS_MAX);
    if (has_d > 0)
        q->delta = 1e-6;
    if (!(q->delta > 0 && q->delta < 1e-2))
        return req_fail(r, VIGIL_EINVAL, "delta",
                        "field 'delta' must be greater than 0 and less than 0.01");
    return VIGIL_OK;
}

/* ---- running ---------------------------------------------------------------- */

static int slurp(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    char tmp[1 << 14];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(&b, tmp, n);
    int bad = ferror(f) || buf_err(&b);
    fclose(f);
    if (bad) {
        buf_free(&b);
        return -1;
    }
    *data = buf_take(&b, len);
    if (!*data) {
        *data = malloc(1);
        *len = 0;
    }
    return *data ? 0 : -1;
}

/* The number of published rows of each length in an aggregates.tsv. */
static json_t *published_by_length(const char *tsv, size_t len, int maxlen)
{
    size_t counts[REL_MAX_LEN + 1] = {0};
    const char *p = tsv, *end = tsv + len;
    int line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (line++ >= 2 && e > p) { /* after the header and record_count */
            int items = 1;
            for (const char *c = p; c < e && *c != '\t'; c++) {
                if (*c == '\\')
                    c++;
                else if (*c == ';')
                    items++;
            }
            if (items <= REL_MAX_LEN)
                counts[items]++;
        }
        p = nl ? nl + 1 : end;
    }
    json_t *arr = json_array();
    for (int l = 1; l <= maxlen; l++)
        json_array_append_new(arr, json_integer((json_int_t)counts[l]));
    return arr;
}

static void remove_tree(const char *dir, const char *out)
{
    char p[512];
    for (size_t i = 0; i < NFILES; i++) {
        snprintf(p, sizeof p, "%s/%s", out, release_files[i].name);
        unlink(p);
    }
    rmdir(out);
    snprintf(p, sizeof p, "%s/in.csv", dir);
    unlink(p);
    rmdir(dir);
}

int release_run(struct req *r, json_t *body, int from_form, int64_t *id)
{
    struct run_req q;
    int rc = parse_body(r, body, from_form, &q);
    if (rc)
        return rc;
    if (q.dataset) {
        json_t *ds;
        rc = store_dataset_get(r->st, q.dataset, &ds);
        json_decref(ds);
        if (rc == VIGIL_ENOTFOUND)
            return req_fail(r, VIGIL_EINVAL, "source", "field 'source': no dataset %" PRId64,
                            q.dataset);
        if (rc)
            return req_fail(r, rc, NULL, "the dataset cannot be read now");
    }
    const char *tmp = getenv("TMPDIR");
    char dir[256], in[300], out[300];
    snprintf(dir, sizeof dir, "%s/vigil-release-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return req_fail(r, VIGIL_EIO, NULL, "cannot create a working directory");
    snprintf(in, sizeof in, "%s/in.csv", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    FILE *f = fopen(in, "wb");
    int64_t rows = 0;
    if (!f) {
        remove_tree(dir, out);
        return req_fail(r, VIGIL_EIO, NULL, "cannot create a working file");
    }
    rc = q.dataset ? dataset_microdata(r->st, q.dataset, f, WEB_MAX_RECORDS, &rows)
                   : cases_microdata(r->st, r->key, f, WEB_MAX_RECORDS, &rows);
    if (fclose(f) != 0 && !rc)
        rc = VIGIL_EIO;
    if (rc) {
        remove_tree(dir, out);
        if (rc == VIGIL_ETOOBIG)
            return req_fail(r, rc, "source",
                            "the source has more than %d records: release it with the "
                            "command line (vigil release)",
                            WEB_MAX_RECORDS);
        return req_fail(r, rc, NULL, "the source cannot be read now");
    }
    struct rel_opts o = {.in = in,
                         .out_dir = out,
                         .k = (uint64_t)q.k,
                         .len = (int)q.len,
                         .threads = 1,
                         .seed = 1,
                         .only_aggregates = strcmp(q.mode, "aggregates") == 0,
                         .dp = q.dp,
                         .epsilon = q.epsilon,
                         .delta = q.delta,
                         .dp_cap = 10};
    char err[600];
    if (rel_run(&o, err, sizeof err)) {
        remove_tree(dir, out);
        return req_fail(r, VIGIL_EINVAL, q.dp ? "epsilon" : NULL, "the release failed: %s", err);
    }
    /* the files, and the summary: what was published, with the evaluation
     * (k-anonymous modes) or the DP parameters */
    char *data[NFILES] = {0};
    size_t len[NFILES] = {0};
    json_t *summary = json_object();
    for (size_t i = 0; i < NFILES; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", out, release_files[i].name);
        if (access(p, F_OK) != 0)
            continue;
        if (slurp(p, &data[i], &len[i])) {
            rc = VIGIL_EIO;
            break;
        }
        if (i == 0)
            json_object_set_new(summary, "published_by_length",
                                published_by_length(data[i], len[i], (int)q.len));
        if (strcmp(release_files[i].name, "evaluation.json") == 0 ||
            strcmp(release_files[i].name, "dp.json") == 0) {
            json_t *j = json_loadb(data[i], len[i], 0, NULL);
            if (j)
                json_object_set_new(summary, i == 2 ? "quality" : "dp", j);
        }
    }
    remove_tree(dir, out);
    char *sum = rc ? NULL : json_dumps(summary, JSON_COMPACT);
    json_decref(summary);
    char eps[40] = "", del[40] = "", detail[200];
    if (q.dp) {
        snprintf(eps, sizeof eps, "%.17g", q.epsilon);
        snprintf(del, sizeof del, "%.17g", q.delta);
    }
    struct release_meta m = {q.source,          q.mode, q.k, q.len, q.dp ? eps : NULL,
                             q.dp ? del : NULL, rows,   sum};
    if (!rc)
        rc = store_begin(r->st);
    if (!rc)
        rc = store_release_add(r->st, &m, r->sess.user.id, time_now(), id);
    for (size_t i = 0; !rc && i < NFILES; i++)
        if (data[i])
            rc = store_release_file_add(r->st, *id, release_files[i].name, data[i], len[i]);
    if (!rc) {
        /* who (the entry's user), source, k, L, mode: never data */
        char obj[40];
        snprintf(obj, sizeof obj, "release:%" PRId64, *id);
        snprintf(detail, sizeof detail,
                 "source=%s k=%" PRId64 " length=%" PRId64 " mode=%s%s%s%s%s", q.source, q.k, q.len,
                 q.mode, q.dp ? " epsilon=" : "", q.dp ? eps : "", q.dp ? " delta=" : "",
                 q.dp ? del : "");
        rc = req_audit(r, "release.run", obj, detail);
    }
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    for (size_t i = 0; i < NFILES; i++)
        free(data[i]);
    free(sum);
    if (rc)
        return req_fail(r, rc, NULL, "the release could not be saved");
    return VIGIL_OK;
}

/* ---- the routes --------------------------------------------------------------- */

int api_release_list(struct req *r)
{
    json_t *arr;
    int rc = store_release_list(r->st, 200, &arr);
    if (rc)
        return req_fail(r, rc, NULL, "cannot list releases");
    r->resp = json_pack("{s:o}", "items", arr);
    return VIGIL_OK;
}

int api_release_create(struct req *r)
{
    int64_t id = 0;
    int rc = release_run(r, r->body, 0, &id);
    if (rc)
        return rc;
    json_t *o;
    if ((rc = store_release_get(r->st, id, &o)))
        return req_fail(r, rc, NULL, "the release cannot be read now");
    r->status = 201;
    snprintf(r->location, sizeof r->location, "/api/v1/releases/%" PRId64, id);
    r->resp = o;
    return VIGIL_OK;
}

int api_release_get(struct req *r)
{
    json_t *o;
    int rc = store_release_get(r->st, r->id, &o);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "no release %" PRId64, r->id);
    if (rc)
        return req_fail(r, rc, NULL, "the release cannot be read now");
    r->resp = o;
    return VIGIL_OK;
}

int api_release_file(struct req *r)
{
    size_t i = 0;
    while (i < NFILES && strcmp(release_files[i].name, r->file) != 0)
        i++;
    if (i == NFILES)
        return req_fail(r, VIGIL_ENOTFOUND, NULL, "no such file");
    void *data;
    size_t len;
    int rc = store_release_file(r->st, r->id, release_files[i].name, &data, &len);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, rc, NULL, "release %" PRId64 " has no file %s", r->id,
                        release_files[i].name);
    if (rc)
        return req_fail(r, rc, NULL, "the file cannot be read now");
    /* sent by the gate as an attachment, like the reports (r->download); the
     * body's usual limit is for pages, not for a release's files */
    buf_free(&r->html);
    buf_init(&r->html, len + 1);
    rc = buf_add(&r->html, data, len);
    free(data);
    if (rc)
        return req_fail(r, rc, NULL, "the file is too large to send");
    r->html_type = release_files[i].type;
    snprintf(r->download, sizeof r->download, "release-%" PRId64 "-%s", r->id,
             release_files[i].name);
    r->status = 200;
    return VIGIL_OK;
}
