/*
 * The SQLite driver: WAL journal, foreign keys on, synchronous=FULL so that a
 * committed write survives power loss, a busy timeout so that writers from
 * several threads queue instead of failing, and persistent prepared
 * statements for the hot queries.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/db.h"
#include "util/err.h"

#ifdef VIGIL_SQL_TRACE
/* Benchmark builds only (bench/plenary, never the installed binary): every
 * statement run, with its values bound, is appended to $VIGIL_SQL_TRACE so
 * that the benchmark can replay the same queries raw in sqlite3. */
static int trace_stmt(unsigned type, void *ctx, void *stmt, void *x)
{
    (void)type;
    (void)x;
    char *sql = sqlite3_expanded_sql(stmt);
    if (sql) {
        fprintf(ctx, "%s;\n", sql);
        sqlite3_free(sql);
    }
    return 0;
}

static void trace_open(sqlite3 *db)
{
    const char *path = getenv("VIGIL_SQL_TRACE");
    FILE *f = path ? fopen(path, "a") : NULL;
    if (f) {
        setvbuf(f, NULL, _IOLBF, 0);
        sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace_stmt, f);
    }
}
#endif

/* Before SQLite starts: no global memory statistics. They cost a process-wide
 * mutex on every allocation, which the worker threads then queue for, and
 * vigil never reads them. Too late if SQLite was already used (harmless). */
static void lite_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int lite_open(const char *path, void **conn, char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, lite_configure);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(
        path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return VIGIL_EIO;
    }
    sqlite3_busy_timeout(db, 15000);
    sqlite3_extended_result_codes(db, 1);
    char *msg = NULL;
    rc = sqlite3_exec(db,
                      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                      "PRAGMA synchronous=FULL; "
                      "PRAGMA cache_size=-4000;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db);
        return rc == SQLITE_NOTADB ? VIGIL_EINVAL : VIGIL_EIO;
    }
#ifdef VIGIL_SQL_TRACE
    trace_open(db);
#endif
    *conn = db;
    return VIGIL_OK;
}

static void lite_close(void *conn)
{
    sqlite3_close(conn);
}

static int lite_exec(void *conn, const char *sql)
{
    return sqlite3_exec(conn, sql, NULL, NULL, NULL) == SQLITE_OK ? VIGIL_OK : VIGIL_ESTORE;
}

static int lite_prepare(void *conn, const char *sql, struct dstmt **out)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
        return VIGIL_ESTORE;
    *out = (struct dstmt *)s;
    return VIGIL_OK;
}

#define S(x) ((sqlite3_stmt *)(x))

static int lite_bind_text(struct dstmt *s, int i, const char *v)
{
    return sqlite3_bind_text(S(s), i, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : VIGIL_ESTORE;
}

static int lite_bind_int(struct dstmt *s, int i, int64_t v)
{
    return sqlite3_bind_int64(S(s), i, v) == SQLITE_OK ? 0 : VIGIL_ESTORE;
}

static int lite_bind_blob(struct dstmt *s, int i, const void *v, size_t n)
{
    return sqlite3_bind_blob64(S(s), i, v, n, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : VIGIL_ESTORE;
}

static int lite_bind_null(struct dstmt *s, int i)
{
    return sqlite3_bind_null(S(s), i) == SQLITE_OK ? 0 : VIGIL_ESTORE;
}

static int lite_step(struct dstmt *s)
{
    int rc = sqlite3_step(S(s));
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return -VIGIL_ESTORE;
}

static int lite_is_null(struct dstmt *s, int col)
{
    return sqlite3_column_type(S(s), col) == SQLITE_NULL;
}

static const char *lite_text(struct dstmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(S(s), col);
    return t ? (const char *)t : "";
}

static int64_t lite_integer(struct dstmt *s, int col)
{
    return sqlite3_column_int64(S(s), col);
}

static const void *lite_blob(struct dstmt *s, int col, size_t *n)
{
    const void *p = sqlite3_column_blob(S(s), col);
    *n = (size_t)sqlite3_column_bytes(S(s), col);
    return p;
}

static void lite_reset(struct dstmt *s)
{
    sqlite3_reset(S(s));
    sqlite3_clear_bindings(S(s));
}

static void lite_finalize(struct dstmt *s)
{
    sqlite3_finalize(S(s));
}

static const char *lite_errmsg(void *conn)
{
    return sqlite3_errmsg(conn);
}

static int lite_errcode(void *conn)
{
    int rc = sqlite3_extended_errcode(conn);
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return VIGIL_EEXIST;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK:
        return VIGIL_EINVAL;
    case SQLITE_FULL:
    case SQLITE_IOERR:
        return VIGIL_EIO;
    }
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return VIGIL_EUNAVAIL;
    return 0;
}

static int lite_backup(void *conn, const char *path, char *err, size_t errlen)
{
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", path, dst ? sqlite3_errmsg(dst) : "?");
        sqlite3_close(dst);
        return VIGIL_EIO;
    }
    /* Copy in one step so the copy is one consistent snapshot, even while
     * other connections keep writing. */
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", conn, "main");
    int rc = VIGIL_EIO;
    if (b) {
        int s = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
        if (s == SQLITE_DONE)
            rc = VIGIL_OK;
    }
    if (rc)
        snprintf(err, errlen, "backup to %s failed: %s", path, sqlite3_errmsg(dst));
    else if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        rc = VIGIL_EIO;
    sqlite3_close(dst);
    return rc;
}

static int lite_integrity(void *conn, char *err, size_t errlen)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(conn, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(conn));
        return VIGIL_ESTORE;
    }
    int rc = VIGIL_ECORRUPT;
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(s, 0);
        if (r && strcmp(r, "ok") == 0)
            rc = VIGIL_OK;
        else
            snprintf(err, errlen, "integrity_check: %s", r ? r : "?");
    }
    sqlite3_finalize(s);
    return rc;
}

static int64_t lite_changes(void *conn)
{
    return sqlite3_total_changes64(conn);
}

const struct driver sqlite_driver = {
    .name = "sqlite",
    .open = lite_open,
    .close = lite_close,
    .exec = lite_exec,
    .prepare = lite_prepare,
    .bind_text = lite_bind_text,
    .bind_int = lite_bind_int,
    .bind_blob = lite_bind_blob,
    .bind_null = lite_bind_null,
    .step = lite_step,
    .is_null = lite_is_null,
    .text = lite_text,
    .integer = lite_integer,
    .blob = lite_blob,
    .reset = lite_reset,
    .finalize = lite_finalize,
    .errmsg = lite_errmsg,
    .errcode = lite_errcode,
    .backup = lite_backup,
    .integrity = lite_integrity,
    .version_sql = "PRAGMA data_version",
    .changes = lite_changes,
};
