/* HTCDS export/import and CTDC import; see exchange.h. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "audit/audit.h"
#include "core/case.h"
#include "core/person.h"
#include "share/exchange.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"

/* ---- columns ------------------------------------------------------------ */

/* Case fields carried in an HTCDS record, besides the pseudonymous case_ref
 * and opened_month (the opening date cut to its month). */
static const char *const case_cols[] = {
    "cas_Status", "category", "source", "country_of_recruitment", "country_of_exploitation", NULL};

static const struct {
    const char *alias, *name;
} aliases[] = {
    {"prs_First_Name", "prs_FirstName"},
    {"prs_Second_Name", "prs_SecondName"},
    {"prs_Middle_Name", "prs_MiddleName"},
    {"vic_Methods_of_Control", "vic_MethodsOfControl"},
};

const char *htcds_canonical(const char *name)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].alias, name) == 0)
            return aliases[i].name;
    return name;
}

/* The person fields that survive de-identification. */
static int exported_person_field(const struct field *f)
{
    return !(f->flags & (FF_PERSONAL | FF_READONLY));
}

/* ---- export ------------------------------------------------------------- */

struct export_ctx {
    const struct vkey *key;
    int fmt;
    FILE *out;
    int64_t rows;
    int first;
};

static void csv_cell(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n;") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* A JSON value as cell text: strings as they are, arrays joined with ';'. */
static void value_text(json_t *v, struct buf *b)
{
    buf_reset(b);
    if (json_is_string(v)) {
        buf_puts(b, json_string_value(v));
    } else if (json_is_integer(v)) {
        buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_boolean(v)) {
        buf_puts(b, json_is_true(v) ? "TRUE" : "FALSE");
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (i)
                buf_putc(b, ';');
            buf_puts(b, json_string_value(x) ? json_string_value(x) : "");
        }
    }
}

static json_t *export_record(const struct export_ctx *x, json_t *c, const struct person_row *p)
{
    json_t *o = json_object();
    char ref[65], idtext[32];
    snprintf(idtext, sizeof idtext, "case:%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(c, "id")));
    crypto_keyed_hex(x->key, idtext, strlen(idtext), ref);
    ref[16] = '\0';
    json_object_set_new(o, "case_ref", json_string(ref));
    const char *opened = json_string_value(json_object_get(c, "opened_on"));
    if (opened && strlen(opened) >= 7)
        json_object_set_new(o, "opened_month", json_stringn(opened, 7));
    for (int i = 0; case_cols[i]; i++) {
        json_t *v = json_object_get(c, case_cols[i]);
        if (v && !json_is_null(v))
            json_object_set(o, case_cols[i], v);
    }
    json_object_set_new(o, "role", json_string(p->role));
    for (const struct field *f = person_fields; f->name; f++) {
        if (!exported_person_field(f) || strcmp(f->name, "role") == 0)
            continue;
        json_t *v = json_object_get(p->plain, f->name);
        if (v && !json_is_null(v))
            json_object_set(o, f->name, v);
    }
    return o;
}

static void csv_header(FILE *out)
{
    fputs("case_ref,opened_month", out);
    for (int i = 0; case_cols[i]; i++)
        fprintf(out, ",%s", case_cols[i]);
    fputs(",role", out);
    for (const struct field *f = person_fields; f->name; f++)
        if (exported_person_field(f) && strcmp(f->name, "role") != 0)
            fprintf(out, ",%s", f->name);
    fputc('\n', out);
}

static int export_one(void *ctx, json_t *c, const struct person_row *p)
{
    struct export_ctx *x = ctx;
    json_t *o = export_record(x, c, p);
    if (x->fmt == XFMT_JSON) {
        char *s = json_dumps(o, JSON_COMPACT);
        fprintf(x->out, "%s\n    %s", x->first ? "" : ",", s ? s : "{}");
        free(s);
    } else {
        struct buf b;
        buf_init(&b, 1 << 20);
        value_text(json_object_get(o, "case_ref"), &b);
        csv_cell(x->out, buf_cstr(&b));
        value_text(json_object_get(o, "opened_month"), &b);
        fputc(',', x->out);
        csv_cell(x->out, buf_cstr(&b));
        for (int i = 0; case_cols[i]; i++) {
            value_text(json_object_get(o, case_cols[i]), &b);
            fputc(',', x->out);
            csv_cell(x->out, buf_cstr(&b));
        }
        fputc(',', x->out);
        csv_cell(x->out, p->role);
        for (const struct field *f = person_fields; f->name; f++) {
            if (!exported_person_field(f) || strcmp(f->name, "role") == 0)
                continue;
            value_text(json_object_get(o, f->name), &b);
            fputc(',', x->out);
            csv_cell(x->out, buf_cstr(&b));
        }
        fputc('\n', x->out);
        buf_free(&b);
    }
    json_decref(o);
    x->first = 0;
    x->rows++;
    return 0;
}

int htcds_export(struct store *st, const struct vkey *key, int fmt, FILE *out, int64_t *rows)
{
    struct export_ctx x = {key, fmt, out, 0, 1};
    if (fmt == XFMT_JSON)
        fputs("{\"format\": \"htcds-2.0\", \"records\": [", out);
    else
        csv_header(out);
    int rc = store_person_scan(st, export_one, &x);
    if (fmt == XFMT_JSON)
        fputs("\n]}\n", out);
    if (rows)
        *rows = x.rows;
    if (rc)
        return rc;
    return ferror(out) ? VIGIL_EIO : VIGIL_OK;
}

/* ---- import: shared ----------------------------------------------------- */

static void reject(struct import_report *rep, int64_t line, const char *field, const char *why)
{
    rep->rejected++;
    if (rep->rejects)
        fprintf(rep->rejects, "%" PRId64 "\t%s\t%s\n", line, field && *field ? field : "-", why);
}

static void progress(struct import_report *rep, long done, long total)
{
    if (!rep->progress || total <= 0)
        return;
    int pct = (int)(100.0 * (double)done / (double)total);
    int bar = pct / 4;
    char line[80];
    memset(line, '#', (size_t)bar);
    memset(line + bar, '.', (size_t)(25 - bar));
    line[25] = '\0';
    fprintf(stderr, "\r[%s] %3d%%  %" PRId64 " rows", line, pct, rep->read);
    if (done >= total)
        fputc('\n', stderr);
}

/* Case references seen in this import, mapped to the new case ids. */
struct refmap {
    char **keys;
    int64_t *ids;
    size_t cap, n;
};

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int64_t *refmap_slot(struct refmap *m, const char *key, int create)
{
    if (create && (m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        char **keys = calloc(cap, sizeof *keys);
        int64_t *ids = calloc(cap, sizeof *ids);
        if (!keys || !ids) {
            free(keys);
            free(ids);
            return NULL;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = str_hash(m->keys[i]) & (cap - 1);
            while (keys[j])
                j = (j + 1) & (cap - 1);
            keys[j] = m->keys[i];
            ids[j] = m->ids[i];
        }
        free(m->keys);
        free(m->ids);
        m->keys = keys;
        m->ids = ids;
        m->cap = cap;
    }
    if (!m->cap)
        return NULL;
    size_t j = str_hash(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0)
            return &m->ids[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (!create)
        return NULL;
    m->keys[j] = strdup(key);
    if (!m->keys[j])
        return NULL;
    m->ids[j] = 0;
    m->n++;
    return &m->ids[j];
}

static void refmap_free(struct refmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->ids);
}

/* ---- import: HTCDS ------------------------------------------------------ */

struct himport {
    struct store *st;
    const struct vkey *key;
    int64_t org_id, user_id;
    const char *username;
    struct import_report *rep;
    struct refmap refs;
    char today[11];
};

static int truthy(const char *s, int *out)
{
    static const char *const yes[] = {"TRUE", "true", "True", "1", "yes", "Yes", NULL};
    static const char *const no[] = {"FALSE", "false", "False", "0", "no", "No", NULL};
    for (int i = 0; yes[i]; i++)
        if (strcmp(s, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
    for (int i = 0; no[i]; i++)
        if (strcmp(s, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    return -1;
}

/* Turn the text of a cell into the JSON value its field wants; NULL with
 * why set when it cannot. */
static json_t *cell_value(const struct field *f, const char *text, const char **why)
{
    int64_t n;
    int b;
    switch (f->type) {
    case FT_INT:
        if (parse_i64(text, f->min, f->max, &n)) {
            *why = "not a whole number in range";
            return NULL;
        }
        return json_integer(n);
    case FT_BOOL:
        if (truthy(text, &b)) {
            *why = "not TRUE or FALSE";
            return NULL;
        }
        return json_boolean(b);
    case FT_MULTI:
    case FT_COUNTRIES: {
        /* ';'-separated (HTCDS CSV) or space-separated (XLSForm select_multiple) */
        json_t *arr = json_array();
        const char *sep = strchr(text, ';') ? ";" : " ";
        const char *p = text;
        while (*p) {
            size_t len = strcspn(p, sep);
            const char *s = p, *e = p + len;
            while (s < e && isspace((unsigned char)*s))
                s++;
            while (e > s && isspace((unsigned char)e[-1]))
                e--;
            if (e > s)
                json_array_append_new(arr, json_stringn(s, (size_t)(e - s)));
            p += len;
            if (*p)
                p++;
        }
        return arr;
    }
    default:
        return json_string(text);
    }
}

static int set_field(json_t *c, json_t *person, const char *name, json_t *v, const char *text,
                     const char **why, int *consent_no)
{
    if (strcmp(name, "con_Consent") == 0) {
        int yes = 1;
        if (text && truthy(text, &yes)) {
            *why = "not TRUE or FALSE";
            return -1;
        }
        if (json_is_boolean(v))
            yes = json_is_true(v);
        if (!yes)
            *consent_no = 1;
        return 0;
    }
    if (strcmp(name, "opened_month") == 0) {
        const char *m = text ? text : json_string_value(v);
        char d[16] = "";
        if (m && strlen(m) == 7)
            snprintf(d, sizeof d, "%s-01", m);
        if (!d[0] || parse_date(d, NULL, NULL, NULL)) {
            *why = "not a month YYYY-MM";
            return -1;
        }
        json_object_set_new(c, "opened_on", json_string(d));
        return 0;
    }
    const struct field *f = NULL;
    json_t *target = NULL;
    for (int i = 0; case_cols[i]; i++)
        if (strcmp(case_cols[i], name) == 0) {
            f = record_field(case_fields, name);
            target = c;
        }
    if (!f && (f = record_field(person_fields, name)) != NULL)
        target = person;
    if (!f || (f->flags & FF_READONLY))
        return 1; /* not a column we take */
    json_t *val = text ? cell_value(f, text, why) : json_incref(v);
    if (!val)
        return -1;
    /* multi-select values sent as one ';'-string in JSON */
    if (!text && json_is_string(val) && (f->type == FT_MULTI || f->type == FT_COUNTRIES)) {
        json_t *arr = cell_value(f, json_string_value(val), why);
        json_decref(val);
        val = arr;
    }
    json_object_set_new(target, name, val);
    return 0;
}

/* Import one record: c and person hold the raw values; ref may be NULL. */
static void import_record(struct himport *h, int64_t line, json_t *c_in, json_t *p_in,
                          const char *ref)
{
    struct import_report *rep = h->rep;
    if (!json_object_get(c_in, "category"))
        json_object_set_new(c_in, "category", json_string("trafficking"));
    if (!json_object_get(c_in, "source"))
        json_object_set_new(c_in, "source", json_string("international"));
    if (!json_object_get(p_in, "role"))
        json_object_set_new(p_in, "role", json_string("victim"));
    json_t *c = NULL, *p = NULL;
    struct verr e;
    if (record_validate(case_fields, c_in, REC_CREATE, 0, &c, &e) ||
        person_validate(p_in, REC_CREATE, NULL, &p, &e)) {
        reject(rep, line, e.field, e.msg);
        json_decref(c);
        return;
    }
    case_defaults(c, h->today);
    json_t *personal, *plain;
    person_split(p, &personal, &plain);
    int rc = store_begin(h->st);
    int64_t *slot = ref && *ref ? refmap_slot(&h->refs, ref, 1) : NULL;
    int64_t case_id = slot ? *slot : 0;
    char obj[64];
    if (!rc && !case_id) {
        json_t *out = NULL;
        rc = store_case_create(h->st, c, h->org_id, h->user_id, time_now(), &out);
        if (!rc) {
            case_id = json_integer_value(json_object_get(out, "id"));
            snprintf(obj, sizeof obj, "case:%" PRId64, case_id);
            rc = audit_append(h->st, h->user_id, h->username, "import.case", obj,
                              json_string_value(json_object_get(out, "reference")));
        }
        json_decref(out);
    }
    char *text = rc ? NULL : json_dumps(personal, JSON_COMPACT);
    unsigned char *sealed = NULL;
    size_t slen = 0;
    char ad[48];
    snprintf(ad, sizeof ad, "vigil.person.case:%" PRId64, case_id);
    if (!rc)
        rc = text ? crypto_seal(h->key, ad, text, strlen(text), &sealed, &slen) : VIGIL_ENOMEM;
    int64_t pid = 0;
    if (!rc)
        rc = store_person_add(
            h->st, case_id, json_string_value(json_object_get(p, "role")), sealed, slen, plain,
            person_age(json_string_value(json_object_get(personal, "prs_Birthdate")), h->today),
            h->user_id, time_now(), &pid);
    if (!rc) {
        snprintf(obj, sizeof obj, "case:%" PRId64 "/person:%" PRId64, case_id, pid);
        rc = audit_append(h->st, h->user_id, h->username, "import.person", obj, "");
    }
    if (!rc)
        rc = store_commit(h->st);
    else
        store_rollback(h->st);
    if (rc) {
        reject(rep, line, "", store_errmsg(h->st));
    } else {
        rep->imported++;
        if (slot && !*slot) {
            *slot = case_id;
            rep->cases++;
        } else if (!slot) {
            rep->cases++;
        }
    }
    free(sealed);
    if (text) {
        memset(text, 0, strlen(text));
        free(text);
    }
    json_decref(personal);
    json_decref(plain);
    json_decref(c);
    json_decref(p);
}

/* CSV reading with libcsv: fields collected per record. */
struct csvrow {
    char **f;
    size_t n, cap;
    int bad_utf8;
};

static void row_clear(struct csvrow *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->f[i]);
    r->n = 0;
    r->bad_utf8 = 0;
}

static void row_add(struct csvrow *r, const char *s, size_t len)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        char **p = realloc(r->f, cap * sizeof *p);
        if (!p)
            return;
        r->f = p;
        r->cap = cap;
    }
    if (s && !utf8_valid(s, len))
        r->bad_utf8 = 1;
    char *v = malloc(len + 1);
    if (!v)
        return;
    if (len)
        memcpy(v, s, len);
    v[len] = '\0';
    r->f[r->n++] = v;
}

struct csvread {
    struct csvrow row;
    char **header;
    size_t nheader;
    int64_t line; /* record number; the header is 1 */
    void (*on_row)(struct csvread *x);
    void *ud;
};

static void cb_field(void *s, size_t len, void *data)
{
    struct csvread *x = data;
    row_add(&x->row, s, s ? len : 0);
}

static void cb_row(int c, void *data)
{
    (void)c;
    struct csvread *x = data;
    x->line++;
    if (!x->header) {
        x->header = x->row.f;
        x->nheader = x->row.n;
        x->row.f = NULL;
        x->row.n = x->row.cap = 0;
        return;
    }
    if (!(x->row.n == 1 && x->row.f[0][0] == '\0')) /* skip blank lines */
        x->on_row(x);
    row_clear(&x->row);
}

/* Parse the whole file; VIGIL_OK or VIGIL_EIO with rep->err set. */
static int csv_read_file(const char *path, unsigned char delim, struct csvread *x,
                         struct import_report *rep)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(rep->err, sizeof rep->err, "cannot open %s", path);
        return VIGIL_EIO;
    }
    struct stat sb;
    long total = fstat(fileno(f), &sb) == 0 ? (long)sb.st_size : 0;
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        fclose(f);
        return VIGIL_ENOMEM;
    }
    csv_set_delim(&p, delim);
    char buf[65536];
    size_t n;
    long done = 0;
    int rc = VIGIL_OK;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, n, cb_field, cb_row, x) != n) {
            snprintf(rep->err, sizeof rep->err, "%s: malformed CSV near record %" PRId64 ": %s",
                     path, x->line + 1, csv_strerror(csv_error(&p)));
            rc = VIGIL_EINVAL;
            break;
        }
        done += (long)n;
        progress(rep, done, total);
    }
    if (!rc)
        csv_fini(&p, cb_field, cb_row, x);
    if (!rc && ferror(f)) {
        snprintf(rep->err, sizeof rep->err, "cannot read %s", path);
        rc = VIGIL_EIO;
    }
    if (!rc && !x->header) {
        snprintf(rep->err, sizeof rep->err, "%s: no header row", path);
        rc = VIGIL_EINVAL;
    }
    csv_free(&p);
    fclose(f);
    row_clear(&x->row);
    free(x->row.f);
    for (size_t i = 0; i < x->nheader; i++)
        free(x->header[i]);
    free(x->header);
    return rc;
}

static void htcds_csv_row(struct csvread *x)
{
    struct himport *h = x->ud;
    h->rep->read++;
    if (x->row.bad_utf8) {
        reject(h->rep, x->line, "", "the row is not valid UTF-8");
        return;
    }
    if (x->row.n != x->nheader) {
        char why[96];
        snprintf(why, sizeof why, "expected %zu fields, found %zu", x->nheader, x->row.n);
        reject(h->rep, x->line, "", why);
        return;
    }
    json_t *c = json_object(), *p = json_object();
    const char *ref = NULL;
    int consent_no = 0, bad = 0;
    for (size_t i = 0; i < x->row.n && !bad; i++) {
        const char *name = htcds_canonical(x->header[i]);
        const char *v = x->row.f[i];
        if (!*v)
            continue;
        if (strcmp(name, "case_ref") == 0) {
            ref = v;
            continue;
        }
        const char *why = NULL;
        if (set_field(c, p, name, NULL, v, &why, &consent_no) < 0) {
            reject(h->rep, x->line, name, why);
            bad = 1;
        }
    }
    if (!bad && consent_no)
        reject(h->rep, x->line, "con_Consent", "no consent to manage personal data");
    else if (!bad)
        import_record(h, x->line, c, p, ref);
    json_decref(c);
    json_decref(p);
}

static int htcds_json(struct himport *h, const char *path)
{
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        snprintf(h->rep->err, sizeof h->rep->err, "%s: malformed JSON at line %d: %s", path,
                 je.line, je.text);
        return VIGIL_EINVAL;
    }
    json_t *recs = json_is_array(doc) ? doc : json_object_get(doc, "records");
    if (!json_is_array(recs)) {
        json_decref(doc);
        snprintf(h->rep->err, sizeof h->rep->err,
                 "%s: want an array of records or {\"records\": [...]}", path);
        return VIGIL_EINVAL;
    }
    size_t i;
    json_t *r;
    json_array_foreach(recs, i, r)
    {
        int64_t line = (int64_t)i + 1;
        h->rep->read++;
        if (!json_is_object(r)) {
            reject(h->rep, line, "", "the record is not an object");
            continue;
        }
        json_t *c = json_object(), *p = json_object();
        const char *ref = NULL, *key;
        int consent_no = 0, bad = 0;
        json_t *v;
        json_object_foreach(r, key, v)
        {
            const char *name = htcds_canonical(key);
            if (bad || json_is_null(v))
                continue;
            if (strcmp(name, "case_ref") == 0) {
                ref = json_string_value(v);
                continue;
            }
            const char *why = NULL;
            int s = set_field(c, p, name, v, NULL, &why, &consent_no);
            if (s < 0) {
                reject(h->rep, line, name, why);
                bad = 1;
            }
        }
        if (!bad && consent_no)
            reject(h->rep, line, "con_Consent", "no consent to manage personal data");
        else if (!bad)
            import_record(h, line, c, p, ref);
        json_decref(c);
        json_decref(p);
        progress(h->rep, (long)i + 1, (long)json_array_size(recs));
    }
    json_decref(doc);
    return VIGIL_OK;
}

int htcds_import(struct store *st, const struct vkey *key, const char *path, int64_t org_id,
                 int64_t user_id, const char *username, struct import_report *rep)
{
    struct himport h = {st, key, org_id, user_id, username, rep, {0}, ""};
    time_date(time_now(), h.today);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(rep->err, sizeof rep->err, "cannot open %s", path);
        return VIGIL_EIO;
    }
    int c;
    while ((c = fgetc(f)) != EOF && isspace(c))
        ;
    fclose(f);
    int rc;
    if (c == '[' || c == '{') {
        rc = htcds_json(&h, path);
    } else {
        struct csvread x = {.on_row = htcds_csv_row, .ud = &h};
        rc = csv_read_file(path, ',', &x, rep);
    }
    refmap_free(&h.refs);
    return rc;
}

/* ---- import: CTDC ------------------------------------------------------- */

struct cimport {
    struct store *st;
    struct import_report *rep;
    int in_tx;
    int failed;
};

static void ctdc_row(struct csvread *x)
{
    struct cimport *ci = x->ud;
    struct import_report *rep = ci->rep;
    rep->read++;
    if (ci->failed)
        return;
    if (x->row.bad_utf8) {
        reject(rep, x->line, "", "the row is not valid UTF-8");
        return;
    }
    if (x->row.n != x->nheader) {
        char why[96];
        snprintf(why, sizeof why, "expected %zu fields, found %zu", x->nheader, x->row.n);
        reject(rep, x->line, "", why);
        return;
    }
    /* The first column holds the terms-of-use sentence in the header and
     * nothing in data rows; it is not an attribute. */
    json_t *o = json_object();
    for (size_t i = 1; i < x->row.n; i++)
        if (x->row.f[i][0])
            json_object_set_new(o, x->header[i], json_string(x->row.f[i]));
    char *attrs = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!ci->in_tx) {
        if (store_begin(ci->st)) {
            ci->failed = 1;
            free(attrs);
            return;
        }
        ci->in_tx = 1;
    }
    if (!attrs || store_stat_record_add(ci->st, rep->dataset_id, x->line, attrs)) {
        reject(rep, x->line, "", "cannot store the record");
    } else {
        rep->imported++;
    }
    free(attrs);
    if (rep->read % 5000 == 0) {
        if (store_commit(ci->st))
            ci->failed = 1;
        ci->in_tx = 0;
    }
}

int ctdc_import(struct store *st, const char *path, const char *username, struct import_report *rep)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int rc = store_begin(st);
    if (!rc)
        rc = store_dataset_add(st, base, "ctdc", username, time_now(), &rep->dataset_id);
    if (!rc)
        rc = store_commit(st);
    if (rc) {
        snprintf(rep->err, sizeof rep->err, "cannot create the dataset: %s", store_errmsg(st));
        return rc;
    }
    struct cimport ci = {st, rep, 0, 0};
    struct csvread x = {.on_row = ctdc_row, .ud = &ci};
    rc = csv_read_file(path, ';', &x, rep);
    if (ci.in_tx) {
        if (rc || ci.failed)
            store_rollback(st);
        else if (store_commit(st))
            ci.failed = 1;
    }
    if (!rc && ci.failed) {
        snprintf(rep->err, sizeof rep->err, "cannot store records: %s", store_errmsg(st));
        rc = VIGIL_ESTORE;
    }
    if (!rc) {
        char obj[48], detail[96];
        snprintf(obj, sizeof obj, "dataset:%" PRId64, rep->dataset_id);
        snprintf(detail, sizeof detail, "read=%" PRId64 " imported=%" PRId64 " rejected=%" PRId64,
                 rep->read, rep->imported, rep->rejected);
        rc = store_begin(st);
        if (!rc)
            rc = store_dataset_finish(st, rep->dataset_id, rep->read, rep->imported, rep->rejected);
        if (!rc)
            rc = audit_append(st, 0, username, "import.ctdc", obj, detail);
        if (!rc)
            rc = store_commit(st);
        else
            store_rollback(st);
    }
    return rc;
}

/* ---- microdata for privacy-preserving releases ------------------------- */

/* The person fields a release counts: coded values only (no free text, even
 * where it is not personal), as de-identified as the export. */
static int release_person_field(const struct field *f)
{
    return exported_person_field(f) && strcmp(f->name, "role") != 0 && f->type != FT_TEXT &&
           f->type != FT_LONGTEXT;
}

struct micro_ctx {
    struct export_ctx x;
    FILE *out;
    int64_t max, rows;
    int too_many;
    struct buf b;
};

/* A CTDC-layout cell (';'-separated): quoted when it holds ';', '"' or a line break. */
static void ctdc_cell(FILE *out, const char *s)
{
    if (!strpbrk(s, ";\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static int micro_one(void *ctx, json_t *c, const struct person_row *p)
{
    struct micro_ctx *m = ctx;
    if (m->rows >= m->max) {
        m->too_many = 1;
        return 1;
    }
    json_t *o = export_record(&m->x, c, p);
    const char *month = json_string_value(json_object_get(o, "opened_month"));
    fputc(';', m->out); /* the terms-of-use column stays empty */
    if (month && strlen(month) >= 4)
        fprintf(m->out, "%.4s", month);
    for (int i = 0; case_cols[i]; i++) {
        value_text(json_object_get(o, case_cols[i]), &m->b);
        fputc(';', m->out);
        ctdc_cell(m->out, buf_cstr(&m->b));
    }
    fputc(';', m->out);
    ctdc_cell(m->out, p->role);
    for (const struct field *f = person_fields; f->name; f++) {
        if (!release_person_field(f))
            continue;
        value_text(json_object_get(o, f->name), &m->b);
        fputc(';', m->out);
        ctdc_cell(m->out, buf_cstr(&m->b));
    }
    fputc('\n', m->out);
    json_decref(o);
    m->rows++;
    return 0;
}

int cases_microdata(struct store *st, const struct vkey *key, FILE *out, int64_t max, int64_t *rows)
{
    struct micro_ctx m = {.x = {key, XFMT_CSV, out, 0, 1}, .out = out, .max = max};
    buf_init(&m.b, 1 << 20);
    fputs("vigil cases (de-identified);opened_year", out);
    for (int i = 0; case_cols[i]; i++)
        fprintf(out, ";%s", case_cols[i]);
    fputs(";role", out);
    for (const struct field *f = person_fields; f->name; f++)
        if (release_person_field(f))
            fprintf(out, ";%s", f->name);
    fputc('\n', out);
    int rc = store_person_scan(st, micro_one, &m);
    buf_free(&m.b);
    *rows = m.rows;
    if (m.too_many)
        return VIGIL_ETOOBIG;
    if (rc)
        return rc;
    return ferror(out) ? VIGIL_EIO : VIGIL_OK;
}

struct ds_ctx {
    json_t *records; /* array of objects */
    json_t *cols;    /* object: name -> true */
    int64_t max;
    int too_many, bad;
};

static int ds_collect(void *ctx, int64_t line, const char *attrs)
{
    (void)line;
    struct ds_ctx *d = ctx;
    if ((int64_t)json_array_size(d->records) >= d->max) {
        d->too_many = 1;
        return 1;
    }
    json_t *o = json_loads(attrs, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        d->bad = 1;
        return 1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        json_object_set_new(d->cols, k, json_true());
    }
    json_array_append_new(d->records, o);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int dataset_microdata(struct store *st, int64_t dataset_id, FILE *out, int64_t max, int64_t *rows)
{
    struct ds_ctx d = {json_array(), json_object(), max, 0, 0};
    int rc = store_stat_record_scan(st, dataset_id, ds_collect, &d);
    *rows = (int64_t)json_array_size(d.records);
    size_t nc = json_object_size(d.cols);
    const char **names = malloc((nc ? nc : 1) * sizeof *names);
    if (!rc && d.too_many)
        rc = VIGIL_ETOOBIG;
    if (!rc && d.bad)
        rc = VIGIL_ECORRUPT;
    if (!rc && !names)
        rc = VIGIL_ENOMEM;
    if (!rc) {
        size_t i = 0;
        const char *k;
        json_t *v;
        json_object_foreach(d.cols, k, v)
        {
            names[i++] = k;
        }
        qsort(names, nc, sizeof *names, cmp_str);
        fputs("dataset", out);
        for (i = 0; i < nc; i++) {
            fputc(';', out);
            ctdc_cell(out, names[i]);
        }
        if (nc == 0)
            fputs(";none", out); /* a release needs one attribute column */
        fputc('\n', out);
        size_t r;
        json_t *o;
        json_array_foreach(d.records, r, o)
        {
            for (i = 0; i < nc; i++) {
                fputc(';', out);
                const char *s = json_string_value(json_object_get(o, names[i]));
                if (s)
                    ctdc_cell(out, s);
            }
            if (nc == 0)
                fputc(';', out);
            fputc('\n', out);
        }
        if (ferror(out))
            rc = VIGIL_EIO;
    }
    free(names);
    json_decref(d.records);
    json_decref(d.cols);
    return rc;
}
