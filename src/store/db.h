/*
 * The statement layer inside src/store/: one small interface that the SQLite
 * and PostgreSQL drivers implement, and that the domain queries (cases.c,
 * users.c, audit.c ...) are written against. SQL is written once, with
 * numbered parameters ?1..?N; the PostgreSQL driver rewrites them to $1..$N.
 * Nothing here is visible outside src/store/.
 */
#ifndef VIGIL_STORE_DB_H
#define VIGIL_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct dstmt; /* a driver's prepared statement */

struct driver {
    const char *name; /* "sqlite" or "postgresql" */
    int (*open)(const char *uri, void **conn, char *err, size_t errlen);
    void (*close)(void *conn);
    /* Run one or more statements without parameters. */
    int (*exec)(void *conn, const char *sql);
    /* Prepare sql (kept for reuse when persistent). */
    int (*prepare)(void *conn, const char *sql, struct dstmt **out);
    int (*bind_text)(struct dstmt *s, int i, const char *v);
    int (*bind_int)(struct dstmt *s, int i, int64_t v);
    int (*bind_blob)(struct dstmt *s, int i, const void *v, size_t n);
    int (*bind_null)(struct dstmt *s, int i);
    /* 1 for a row, 0 when done, negative VIGIL_ error code on failure. */
    int (*step)(struct dstmt *s);
    int (*is_null)(struct dstmt *s, int col);
    const char *(*text)(struct dstmt *s, int col);
    int64_t (*integer)(struct dstmt *s, int col);
    const void *(*blob)(struct dstmt *s, int col, size_t *n);
    /* Make the statement ready to bind and run again. */
    void (*reset)(struct dstmt *s);
    void (*finalize)(struct dstmt *s);
    const char *(*errmsg)(void *conn);
    /* Last error as a project code (unique violation -> VIGIL_EEXIST ...). */
    int (*errcode)(void *conn);
    int (*backup)(void *conn, const char *path, char *err, size_t errlen);
    int (*integrity)(void *conn, char *err, size_t errlen);
    /* What store_data_version runs: one row, one column (NULL: the store
     * cannot tell, and nothing is kept). */
    const char *version_sql;
    /* Rows changed through this connection so far, when version_sql does
     * not see the connection's own commits (SQLite); NULL otherwise. */
    int64_t (*changes)(void *conn);
};

extern const struct driver sqlite_driver;
extern const struct driver pg_driver;

/* Prepared statements kept per connection: an open-addressed table keyed by
 * the SQL text's address, at most half full (vigil has about 130 static
 * statements; past the limit a statement is prepared for each use). */
#define STMT_CACHE    512
#define SESSION_CACHE 8

struct store {
    const struct driver *drv;
    void *conn;
    int in_tx;
    int in_read; /* a read snapshot (store_read_begin) is open */
    /* Between store_read_begin and store_read_end (one request's reads, on
     * either store) the version is read once: memo, when memo_set. */
    int memo_open, memo_set;
    struct store_version memo;
    int tx_failed;
    char err[512];
    struct {
        const char *sql; /* static SQL text: the cache key is its address */
        struct dstmt *st;
    } cache[STMT_CACHE];
    int ncache; /* slots in use */
    /* Sessions read at a version of the database (store_session_get); an
     * entry holds only while store_data_version is unchanged. */
    struct {
        struct store_version at;
        char token_hash[65];
        struct session s;
    } sessions[SESSION_CACHE];
    int sessions_next;
};

/* A statement borrowed from the cache; give it back with q_done(). */
struct q {
    struct store *st;
    struct dstmt *s;
    int rc;     /* first error, kept */
    int cached; /* s belongs to the cache (reset, not finalized, when done) */
};

/* Step q to its end, appending each row as row(q) to a new array in *out;
 * q is done after. The domain lists (cases' notes, measures, releases ...)
 * all read this way. */
int q_rows(struct q *q, json_t *(*row)(struct q *), json_t **out);
/* The string member key of a validated object, or NULL. */
const char *obj_text(json_t *o, const char *key);
/* o[key] = t as "2026-11-28T12:00:00Z". */
void obj_set_time(json_t *o, const char *key, int64_t t);

/* Prepare (or take from the cache) the static SQL text sql. The cache is
 * keyed by the text's address, so sql must be a static string. */
int q_open(struct q *q, struct store *st, const char *sql);
/* Prepare SQL built at run time; never cached, finalized by q_done(). */
int q_open_once(struct q *q, struct store *st, const char *sql);
void q_text(struct q *q, int i, const char *v); /* NULL binds NULL */
void q_int(struct q *q, int i, int64_t v);
void q_blob(struct q *q, int i, const void *v, size_t n);
void q_null(struct q *q, int i);
/* 1 row, 0 done, or a negative error (the message in st->err). */
int q_step(struct q *q);
const char *q_col_text(struct q *q, int col); /* NULL for SQL NULL */
int64_t q_col_int(struct q *q, int col);
const void *q_col_blob(struct q *q, int col, size_t *n);
int q_col_null(struct q *q, int col);
void q_done(struct q *q);
/* Run a statement expected to return no rows (or ignore them). */
int q_exec(struct q *q);
/* Give org_id access to a case, with copies of the case's filter columns;
 * nothing when it has access already. */
int store_access_grant(struct store *st, int64_t org_id, int64_t case_id);
/* Copy a case's date, status, category, stage and source to its access rows. */
int store_access_sync(struct store *st, int64_t case_id);
/* The columns person_rows_read() expects, from "persons p". */
#define PERSON_COLS "p.id, p.case_id, p.role, p.sealed, p.attrs, p.trafficking_status, p.created_at"
/* Step q (selecting PERSON_COLS) to the end into a new array of rows (free
 * with store_person_rows_free); q is done afterwards. */
int person_rows_read(struct q *q, struct person_row **out, size_t *n);
/* Set st->err from the driver and return the mapped code. */
int store_fail(struct store *st, int code);

#endif
