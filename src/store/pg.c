/*
 * The PostgreSQL driver (libpq) behind the statement layer in db.h. The SQL
 * is the same as for SQLite: ?N placeholders are rewritten to $N, a
 * statement runs unnamed the first time (PQexecParams) and is prepared under
 * a name unique to its connection the second time (PQprepare), so one-shot
 * statements leave nothing behind on the server and cached ones are parsed
 * once. Parameters go as text (blobs as binary bytea), results come back as
 * text, every result is read whole, and errors are mapped to project codes
 * through their SQLSTATE. A connection that broke is re-opened before the
 * next statement outside a transaction, and its statements are prepared
 * again.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/parse.h"

#define BYTEA_OID 17

struct pgconn {
    PGconn *db;
    unsigned long next_name; /* statement names: v1, v2, ... */
    unsigned long gen;       /* bumped when the connection is re-opened */
    int in_tx;               /* BEGIN seen, COMMIT or ROLLBACK not yet */
    int code;                /* last error as a project code, 0 when unmapped */
    char err[512];           /* last error, one line */
};

struct dstmt {
    struct pgconn *c;
    char *sql;          /* with $N placeholders */
    int nparams;        /* the highest N in the text */
    char name[24];      /* "" until prepared */
    unsigned long gen;  /* connection generation it was prepared in */
    unsigned long runs; /* executions so far */
    char **vals;        /* nparams bound values (NULL: SQL NULL), owned */
    int *lens, *fmts;
    Oid *types;    /* what the server is told of each parameter */
    PGresult *res; /* the result being read, NULL before the first step */
    int row, nrows, ncols;
    unsigned char **blobs; /* decoded bytea of the current row, per column */
    size_t *blob_lens;
};

/* ---- errors ------------------------------------------------------------ */

/* Copy msg into c->err on one line: newlines and tabs become spaces,
 * trailing space is dropped. */
static void set_err(struct pgconn *c, int code, const char *msg)
{
    size_t n = 0;
    for (const char *p = msg ? msg : "unknown PostgreSQL error"; *p && n + 1 < sizeof c->err; p++) {
        char ch = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
        if (ch == ' ' && (n == 0 || c->err[n - 1] == ' '))
            continue;
        c->err[n++] = ch;
    }
    while (n && c->err[n - 1] == ' ')
        n--;
    c->err[n] = '\0';
    c->code = code;
}

static int map_sqlstate(const char *s)
{
    if (!s || strlen(s) != 5)
        return 0;
    if (strcmp(s, "23505") == 0)
        return VIGIL_EEXIST;
    if (strcmp(s, "23503") == 0 || strcmp(s, "23502") == 0 || strcmp(s, "23514") == 0)
        return VIGIL_EINVAL;
    if (strncmp(s, "22", 2) == 0) /* data exception: bad value for its type */
        return VIGIL_EINVAL;
    /* Serialization failure and deadlock: the transaction is gone; the
     * client may try again with fresh data. */
    if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0)
        return VIGIL_ECONFLICT;
    /* Connection problems, shutdown, too many connections, lock or
     * statement timeouts: the store does not answer (in time). */
    if (strncmp(s, "08", 2) == 0 || strncmp(s, "57P", 3) == 0 || strncmp(s, "53", 2) == 0 ||
        strcmp(s, "55P03") == 0 || strcmp(s, "57014") == 0)
        return VIGIL_EUNAVAIL;
    return 0;
}

/* Record the error of res (or of the connection when res is NULL). */
static void res_err(struct pgconn *c, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg && res)
        msg = PQresultErrorMessage(res);
    if (!msg || !*msg)
        msg = PQerrorMessage(c->db);
    int code = map_sqlstate(state);
    if (PQstatus(c->db) == CONNECTION_BAD)
        code = VIGIL_EUNAVAIL;
    set_err(c, code, msg);
}

/* ---- connections ------------------------------------------------------- */

static void quiet(void *arg, const char *msg)
{
    (void)arg; /* NOTICEs such as "relation already exists, skipping" */
    (void)msg;
}

static int pg_open(const char *uri, void **conn, char *err, size_t errlen)
{
    struct pgconn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return VIGIL_ENOMEM;
    }
    /* Defaults first: anything the URI says overrides them. */
    const char *const keys[] = {"fallback_application_name", "client_encoding", "connect_timeout",
                                "dbname", NULL};
    const char *const vals[] = {"vigil", "UTF8", "10", uri, NULL};
    c->db = PQconnectdbParams(keys, vals, 1);
    if (!c->db) {
        free(c);
        snprintf(err, errlen, "out of memory");
        return VIGIL_ENOMEM;
    }
    if (PQstatus(c->db) != CONNECTION_OK) {
        set_err(c, VIGIL_EUNAVAIL, PQerrorMessage(c->db));
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", c->err);
        PQfinish(c->db);
        free(c);
        return VIGIL_EUNAVAIL;
    }
    PQsetNoticeProcessor(c->db, quiet, NULL);
    *conn = c;
    return VIGIL_OK;
}

static void pg_close(void *conn)
{
    struct pgconn *c = conn;
    if (!c)
        return;
    PQfinish(c->db);
    free(c);
}

/* Before a statement: a connection that broke is opened again, unless a
 * transaction was open on it (then the caller's ROLLBACK comes first, and
 * the work of that transaction is reported lost, not silently split). */
static void revive(struct pgconn *c)
{
    if (c->in_tx)
        return;
    /* A server that restarted has sent a last message and closed the
     * socket: reading what is pending (without waiting) notices that
     * before the statement is sent, so the statement does not fail. */
    for (int i = 0; i < 4 && PQstatus(c->db) == CONNECTION_OK; i++) {
        struct pollfd p = {.fd = PQsocket(c->db), .events = POLLIN};
        if (p.fd < 0 || poll(&p, 1, 0) != 1 || !PQconsumeInput(c->db))
            break;
    }
    if (PQstatus(c->db) != CONNECTION_BAD)
        return;
    PQreset(c->db);
    if (PQstatus(c->db) == CONNECTION_OK) {
        PQsetNoticeProcessor(c->db, quiet, NULL);
        c->gen++; /* every named statement is gone with the old session */
    }
}

static int word(const char *sql, const char *w)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t')
        sql++;
    size_t n = strlen(w);
    return strncmp(sql, w, n) == 0 && (sql[n] == '\0' || sql[n] == ';' || sql[n] == ' ');
}

static int pg_exec(void *conn, const char *sql)
{
    struct pgconn *c = conn;
    int ending = word(sql, "COMMIT") || word(sql, "ROLLBACK");
    int beginning = word(sql, "BEGIN");
    int was_in_tx = c->in_tx;
    if (ending)
        c->in_tx = 0; /* whatever happens, the transaction is over */
    revive(c);
    PGresult *res = PQexec(c->db, sql);
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
    if (!ok)
        res_err(c, res);
    PQclear(res);
    if (ok) {
        if (beginning)
            c->in_tx = 1;
        return VIGIL_OK;
    }
    /* A failed "BEGIN; ..." leaves the session inside an aborted
     * transaction that nobody else knows about: end it here. */
    if (!was_in_tx && !ending && PQstatus(c->db) == CONNECTION_OK &&
        PQtransactionStatus(c->db) != PQTRANS_IDLE)
        PQclear(PQexec(c->db, "ROLLBACK"));
    return c->code == VIGIL_EUNAVAIL ? VIGIL_EUNAVAIL : VIGIL_ESTORE;
}

/* ---- statements -------------------------------------------------------- */

/* ?N -> $N outside string literals, quoted identifiers and comments. A bare
 * "?" (SQLite's anonymous parameter) is refused: the SQL is written with
 * numbered parameters only. Returns NULL with c->err set on failure. */
static char *rewrite(struct pgconn *c, const char *sql, int *nparams)
{
    struct buf b;
    buf_init(&b, (size_t)1 << 24);
    int max = 0;
    const char *p = sql;
    while (*p) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            const char *e = p + 1;
            while (*e && !(*e == q && e[1] != q))
                e += *e == q ? 2 : 1; /* a doubled quote stays inside */
            if (*e)
                e++;
            buf_add(&b, p, (size_t)(e - p));
            p = e;
        } else if (p[0] == '-' && p[1] == '-') {
            size_t n = strcspn(p, "\n");
            buf_add(&b, p, n);
            p += n;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            e = e ? e + 2 : p + strlen(p);
            buf_add(&b, p, (size_t)(e - p));
            p = e;
        } else if (*p == '?') {
            const char *d = p + 1;
            int n = 0;
            while (*d >= '0' && *d <= '9' && n <= 65535)
                n = n * 10 + (*d++ - '0');
            if (d == p + 1 || n < 1 || n > 65535) {
                buf_free(&b);
                set_err(c, 0, "SQL parameters must be numbered (?1, ?2 ...)");
                return NULL;
            }
            if (n > max)
                max = n;
            buf_printf(&b, "$%d", n);
            p = d;
        } else {
            buf_putc(&b, *p++);
        }
    }
    if (buf_err(&b)) {
        buf_free(&b);
        set_err(c, VIGIL_ENOMEM, "out of memory");
        return NULL;
    }
    *nparams = max;
    return buf_take(&b, NULL);
}

static void drop_blobs(struct dstmt *s)
{
    if (!s->blobs)
        return;
    for (int i = 0; i < s->ncols; i++) {
        if (s->blobs[i])
            PQfreemem(s->blobs[i]);
        s->blobs[i] = NULL;
    }
}

static void drop_result(struct dstmt *s)
{
    drop_blobs(s);
    free(s->blobs);
    free(s->blob_lens);
    s->blobs = NULL;
    s->blob_lens = NULL;
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->nrows = s->ncols = 0;
}

static void drop_binds(struct dstmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->lens[i] = 0;
        s->fmts[i] = 0;
    }
}

static int pg_prepare(void *conn, const char *sql, struct dstmt **out)
{
    struct pgconn *c = conn;
    struct dstmt *s = calloc(1, sizeof *s);
    if (!s) {
        set_err(c, VIGIL_ENOMEM, "out of memory");
        return VIGIL_ENOMEM;
    }
    s->c = c;
    s->row = -1;
    s->sql = rewrite(c, sql, &s->nparams);
    if (!s->sql) {
        free(s);
        return VIGIL_ESTORE;
    }
    size_t n = s->nparams ? (size_t)s->nparams : 1;
    s->vals = calloc(n, sizeof *s->vals);
    s->lens = calloc(n, sizeof *s->lens);
    s->fmts = calloc(n, sizeof *s->fmts);
    s->types = calloc(n, sizeof *s->types);
    if (!s->vals || !s->lens || !s->fmts || !s->types) {
        free(s->vals);
        free(s->lens);
        free(s->fmts);
        free(s->types);
        free(s->sql);
        free(s);
        set_err(c, VIGIL_ENOMEM, "out of memory");
        return VIGIL_ENOMEM;
    }
    *out = s;
    return VIGIL_OK;
}

static int bind(struct dstmt *s, int i, const void *v, size_t n, int binary)
{
    if (i < 1 || i > s->nparams) {
        set_err(s->c, 0, "bind index out of range");
        return VIGIL_ESTORE;
    }
    if (s->res) /* bound after running: start over, like sqlite3_reset */
        drop_result(s);
    char *copy = NULL;
    if (v) {
        if (n > 0x7fffffff) {
            set_err(s->c, VIGIL_ETOOBIG, "parameter too large");
            return VIGIL_ETOOBIG;
        }
        copy = malloc(n + 1);
        if (!copy) {
            set_err(s->c, VIGIL_ENOMEM, "out of memory");
            return VIGIL_ENOMEM;
        }
        memcpy(copy, v, n);
        copy[n] = '\0';
    }
    free(s->vals[i - 1]);
    s->vals[i - 1] = copy;
    s->lens[i - 1] = (int)n;
    s->fmts[i - 1] = binary;
    return VIGIL_OK;
}

static int pg_bind_text(struct dstmt *s, int i, const char *v)
{
    return bind(s, i, v, v ? strlen(v) : 0, 0);
}

static int pg_bind_int(struct dstmt *s, int i, int64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", (long long)v);
    return bind(s, i, t, (size_t)n, 0);
}

static int pg_bind_blob(struct dstmt *s, int i, const void *v, size_t n)
{
    static const char empty[1];
    return bind(s, i, v ? v : empty, v ? n : 0, 1);
}

static int pg_bind_null(struct dstmt *s, int i)
{
    return bind(s, i, NULL, 0, 0);
}

/* Run the statement with its bound values; sets s->res on success. */
static int run(struct dstmt *s)
{
    struct pgconn *c = s->c;
    revive(c);
    int n = s->nparams;
    /* Text parameters are left for the server to type from their context
     * (like a quoted literal); blobs are sent as binary bytea. */
    Oid *types = s->types;
    for (int i = 0; i < n; i++)
        types[i] = s->fmts[i] ? BYTEA_OID : 0;
    const char *const *vals = (const char *const *)s->vals;
    PGresult *res;
    if (s->name[0] && s->gen == c->gen) {
        res = PQexecPrepared(c->db, s->name, n, vals, s->lens, s->fmts, 0);
    } else if (s->runs == 0) {
        res = PQexecParams(c->db, s->sql, n, types, vals, s->lens, s->fmts, 0);
    } else {
        /* The second run: worth a named server-side statement. */
        snprintf(s->name, sizeof s->name, "v%lu", ++c->next_name);
        PGresult *p = PQprepare(c->db, s->name, s->sql, n, types);
        if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) {
            res_err(c, p);
            PQclear(p);
            s->name[0] = '\0';
            return c->code ? c->code : VIGIL_ESTORE;
        }
        PQclear(p);
        s->gen = c->gen;
        res = PQexecPrepared(c->db, s->name, n, vals, s->lens, s->fmts, 0);
    }
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        res_err(c, res);
        PQclear(res);
        return c->code ? c->code : VIGIL_ESTORE;
    }
    s->runs++;
    s->res = res;
    s->row = -1;
    s->nrows = st == PGRES_TUPLES_OK ? PQntuples(res) : 0;
    s->ncols = st == PGRES_TUPLES_OK ? PQnfields(res) : 0;
    if (s->ncols) {
        s->blobs = calloc((size_t)s->ncols, sizeof *s->blobs);
        s->blob_lens = calloc((size_t)s->ncols, sizeof *s->blob_lens);
        if (!s->blobs || !s->blob_lens) {
            drop_result(s);
            set_err(c, VIGIL_ENOMEM, "out of memory");
            return VIGIL_ENOMEM;
        }
    }
    return VIGIL_OK;
}

static int pg_step(struct dstmt *s)
{
    if (!s->res) {
        int rc = run(s);
        if (rc)
            return -rc;
    }
    drop_blobs(s);
    if (s->row < s->nrows)
        s->row++;
    return s->row < s->nrows ? 1 : 0;
}

static int have(struct dstmt *s, int col)
{
    return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < s->ncols;
}

static int pg_is_null(struct dstmt *s, int col)
{
    return !have(s, col) || PQgetisnull(s->res, s->row, col);
}

static const char *pg_text(struct dstmt *s, int col)
{
    return have(s, col) ? PQgetvalue(s->res, s->row, col) : "";
}

static int64_t pg_integer(struct dstmt *s, int col)
{
    if (pg_is_null(s, col))
        return 0;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (strcmp(v, "t") == 0) /* a boolean expression */
        return 1;
    int64_t x = 0;
    if (parse_i64(v, INT64_MIN, INT64_MAX, &x))
        return 0;
    return x;
}

static const void *pg_blob(struct dstmt *s, int col, size_t *n)
{
    *n = 0;
    if (pg_is_null(s, col))
        return NULL;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) != BYTEA_OID) {
        *n = (size_t)PQgetlength(s->res, s->row, col);
        return v;
    }
    if (!s->blobs[col]) {
        size_t len = 0;
        s->blobs[col] = PQunescapeBytea((const unsigned char *)v, &len);
        if (!s->blobs[col])
            return NULL;
        s->blob_lens[col] = len;
    }
    *n = s->blob_lens[col];
    return s->blobs[col];
}

static void pg_reset(struct dstmt *s)
{
    drop_result(s);
    drop_binds(s);
}

static void pg_finalize(struct dstmt *s)
{
    if (!s)
        return;
    drop_result(s);
    drop_binds(s);
    struct pgconn *c = s->c;
    if (s->name[0] && s->gen == c->gen && PQstatus(c->db) == CONNECTION_OK &&
        PQtransactionStatus(c->db) != PQTRANS_INERROR) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        PQclear(PQexec(c->db, sql)); /* errors here change nothing */
    }
    free(s->vals);
    free(s->lens);
    free(s->fmts);
    free(s->types);
    free(s->sql);
    free(s);
}

static const char *pg_errmsg(void *conn)
{
    struct pgconn *c = conn;
    return c->err[0] ? c->err : NULL;
}

static int pg_errcode(void *conn)
{
    struct pgconn *c = conn;
    return c->code;
}

static int pg_backup(void *conn, const char *path, char *err, size_t errlen)
{
    (void)conn;
    (void)path;
    snprintf(err, errlen,
             "vigil backup works on SQLite files only; back up a PostgreSQL store with "
             "pg_dump (a logical copy) or pg_basebackup (see docs/deploy.md)");
    return VIGIL_EUNAVAIL;
}

/* A cheap check: the server answers and the schema is there. The server
 * checks its own pages (data checksums, amcheck); that is the DBA's part. */
static int pg_integrity(void *conn, char *err, size_t errlen)
{
    struct pgconn *c = conn;
    revive(c);
    PGresult *res = PQexec(c->db, "SELECT 1");
    int ok = res && PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok) {
        res_err(c, res);
        PQclear(res);
        snprintf(err, errlen, "PostgreSQL does not answer: %s", c->err);
        return VIGIL_EUNAVAIL;
    }
    PQclear(res);
    res = PQexec(c->db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    ok = res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    int64_t v = 0;
    if (ok && parse_i64(PQgetvalue(res, 0, 0), 0, INT64_MAX, &v) == VIGIL_OK && v > 0) {
        PQclear(res);
        return VIGIL_OK;
    }
    if (!ok)
        res_err(c, res);
    PQclear(res);
    snprintf(err, errlen, "the vigil schema is missing: %s", ok ? "no migration applied" : c->err);
    return VIGIL_ECORRUPT;
}

const struct driver pg_driver = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .is_null = pg_is_null,
    .text = pg_text,
    .integer = pg_integer,
    .blob = pg_blob,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .errmsg = pg_errmsg,
    .errcode = pg_errcode,
    .backup = pg_backup,
    .integrity = pg_integrity,
    .version_sql = "SELECT pg_current_snapshot()::text",
};
