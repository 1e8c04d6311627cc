/*
 * Driver selection, the statement cache, transactions and migrations: the
 * parts of the store that are the same for every database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "store/db.h"
#include "store/migrations.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/timeutil.h"

int store_open(const char *uri, struct store **out, char *err, size_t errlen)
{
    const struct driver *drv = &sqlite_driver;
    const char *target = uri;
    if (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0) {
        drv = &pg_driver;
    } else if (strncmp(uri, "sqlite:", 7) == 0) {
        target = uri + 7;
    }
    struct store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return VIGIL_ENOMEM;
    }
    st->drv = drv;
    int rc = drv->open(target, &st->conn, err, errlen);
    if (rc) {
        free(st);
        return rc;
    }
    *out = st;
    return VIGIL_OK;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    if (st->in_tx)
        store_rollback(st);
    store_read_end(st);
    for (int i = 0; i < STMT_CACHE; i++)
        if (st->cache[i].sql)
            st->drv->finalize(st->cache[i].st);
    st->drv->close(st->conn);
    free(st);
}

const char *store_errmsg(struct store *st)
{
    return st->err[0] ? st->err : "no error";
}

const char *store_kind(struct store *st)
{
    return st->drv->name;
}

int store_fail(struct store *st, int code)
{
    const char *m = st->drv->errmsg(st->conn);
    snprintf(st->err, sizeof st->err, "%s", m ? m : vigil_strerror(code));
    int mapped = st->drv->errcode(st->conn);
    if (st->in_tx)
        st->tx_failed = 1;
    return mapped ? mapped : code;
}

/* The slot of sql in the statement cache: where it is, or the empty slot
 * where it would go. */
static int slot_of(struct store *st, const char *sql)
{
    uint64_t h = (uint64_t)(uintptr_t)sql * 0x9E3779B97F4A7C15ull;
    int i = (int)(h >> 55) & (STMT_CACHE - 1);
    while (st->cache[i].sql && st->cache[i].sql != sql)
        i = (i + 1) & (STMT_CACHE - 1);
    return i;
}

int q_open(struct q *q, struct store *st, const char *sql)
{
    q->st = st;
    q->rc = 0;
    q->s = NULL;
    q->cached = 0;
    int i = slot_of(st, sql);
    if (st->cache[i].sql) {
        q->s = st->cache[i].st;
        q->cached = 1;
        return VIGIL_OK;
    }
    int rc = st->drv->prepare(st->conn, sql, &q->s);
    if (rc) {
        q->rc = store_fail(st, VIGIL_ESTORE);
        return q->rc;
    }
    if (st->ncache < STMT_CACHE / 2) {
        st->cache[i].sql = sql;
        st->cache[i].st = q->s;
        st->ncache++;
        q->cached = 1;
    }
    return VIGIL_OK;
}

int q_open_once(struct q *q, struct store *st, const char *sql)
{
    q->st = st;
    q->rc = 0;
    q->s = NULL;
    q->cached = 0;
    if (st->drv->prepare(st->conn, sql, &q->s)) {
        q->s = NULL;
        q->rc = store_fail(st, VIGIL_ESTORE);
        return q->rc;
    }
    return VIGIL_OK;
}

static void bound(struct q *q, int rc)
{
    if (rc && !q->rc)
        q->rc = store_fail(q->st, VIGIL_ESTORE);
}

void q_text(struct q *q, int i, const char *v)
{
    if (!q->s)
        return;
    bound(q, v ? q->st->drv->bind_text(q->s, i, v) : q->st->drv->bind_null(q->s, i));
}

void q_int(struct q *q, int i, int64_t v)
{
    if (q->s)
        bound(q, q->st->drv->bind_int(q->s, i, v));
}

void q_blob(struct q *q, int i, const void *v, size_t n)
{
    if (q->s)
        bound(q, q->st->drv->bind_blob(q->s, i, v, n));
}

void q_null(struct q *q, int i)
{
    if (q->s)
        bound(q, q->st->drv->bind_null(q->s, i));
}

int q_step(struct q *q)
{
    if (q->rc)
        return -q->rc;
    if (!q->s)
        return -VIGIL_ESTORE;
    int rc = q->st->drv->step(q->s);
    if (rc < 0) {
        q->rc = store_fail(q->st, -rc);
        return -q->rc;
    }
    return rc;
}

const char *q_col_text(struct q *q, int col)
{
    if (q->st->drv->is_null(q->s, col))
        return NULL;
    return q->st->drv->text(q->s, col);
}

int64_t q_col_int(struct q *q, int col)
{
    return q->st->drv->integer(q->s, col);
}

const void *q_col_blob(struct q *q, int col, size_t *n)
{
    return q->st->drv->blob(q->s, col, n);
}

int q_col_null(struct q *q, int col)
{
    return q->st->drv->is_null(q->s, col);
}

void q_done(struct q *q)
{
    if (!q->s)
        return;
    if (q->cached)
        q->st->drv->reset(q->s);
    else
        q->st->drv->finalize(q->s);
    q->s = NULL;
}

int q_rows(struct q *q, json_t *(*row)(struct q *), json_t **out)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = q_step(q)) == 1)
        json_array_append_new(arr, row(q));
    q_done(q);
    if (rc < 0) {
        json_decref(arr);
        return -rc;
    }
    *out = arr;
    return VIGIL_OK;
}

const char *obj_text(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

void obj_set_time(json_t *o, const char *key, int64_t t)
{
    char ts[21];
    time_iso(t, ts);
    json_object_set_new(o, key, json_string(ts));
}

int q_exec(struct q *q)
{
    int rc;
    while ((rc = q_step(q)) == 1)
        ;
    int r = rc < 0 ? -rc : VIGIL_OK;
    q_done(q);
    return r;
}

int store_read_begin(struct store *st)
{
    /* SQLite takes and drops its WAL read lock around every statement run
     * outside a transaction; a request's reads share one instead. PostgreSQL
     * gains nothing from it. */
    if (st->in_tx || st->in_read)
        return VIGIL_OK;
    st->memo_open = 1;
    st->memo_set = 0;
    if (strcmp(st->drv->name, "sqlite") != 0)
        return VIGIL_OK;
    static const char begin[] = "BEGIN";
    struct q q;
    if (q_open(&q, st, begin) == VIGIL_OK)
        q_exec(&q);
    if (q.rc)
        return q.rc;
    st->in_read = 1;
    return VIGIL_OK;
}

void store_read_end(struct store *st)
{
    st->memo_open = st->memo_set = 0;
    if (!st->in_read)
        return;
    /* COMMIT, not ROLLBACK: an opportunistic write made meanwhile (a
     * session's last-seen time) is kept. */
    static const char commit[] = "COMMIT";
    struct q q;
    if (q_open(&q, st, commit) == VIGIL_OK)
        q_exec(&q);
    if (q.rc)
        st->drv->exec(st->conn, "ROLLBACK");
    st->in_read = 0;
}

int store_data_version(struct store *st, struct store_version *out)
{
    if (!st->drv->version_sql)
        return VIGIL_EUNAVAIL;
    /* Once per request: the session and the kept answers both ask. Within a
     * SQLite snapshot data_version cannot move; on PostgreSQL a later commit
     * only means that what is stored under the earlier version is never
     * found again. This connection's own changes are always read afresh. */
    if (st->memo_set) {
        *out = st->memo;
        if (st->drv->changes)
            out->own = st->drv->changes(st->conn);
        return VIGIL_OK;
    }
    struct q q;
    if (q_open(&q, st, st->drv->version_sql))
        return q.rc;
    int rc = q_step(&q);
    if (rc == 1 && st->drv->changes) {
        /* SQLite: PRAGMA data_version moves when another connection commits
         * (it starts the read transaction if none is open); total_changes
         * moves with this connection's own writes, which it does not count. */
        out->others = q_col_int(&q, 0);
        out->own = st->drv->changes(st->conn);
    } else if (rc == 1) {
        /* PostgreSQL: the statement's snapshot as text. Two equal snapshots
         * see the same committed transactions, and a later snapshot never
         * equals an earlier one once anything has committed in between (own
         * commits included). Kept as its BLAKE2b-128. */
        const char *snap = q_col_text(&q, 0);
        unsigned char h[16];
        crypto_generichash(h, sizeof h, (const unsigned char *)(snap ? snap : ""),
                           snap ? strlen(snap) : 0, NULL, 0);
        memcpy(&out->others, h, 8);
        memcpy(&out->own, h + 8, 8);
    }
    q_done(&q);
    if (rc != 1)
        return rc < 0 ? -rc : VIGIL_ESTORE;
    if (st->memo_open) {
        st->memo = *out;
        st->memo_set = 1;
    }
    return VIGIL_OK;
}

int store_begin(struct store *st)
{
    store_read_end(st); /* a write starts from a fresh snapshot */
    if (st->in_tx) {
        snprintf(st->err, sizeof st->err, "a transaction is already open");
        return VIGIL_ESTORE;
    }
    /* Every transaction here may write, so it starts as the one writer:
     * SQLite takes its write lock at BEGIN IMMEDIATE. On PostgreSQL, the
     * transaction first takes the advisory lock that the audit chain uses
     * (store_audit_head), so that writers from all the servers on one
     * database queue here, as on SQLite. Case references (MAX(ref_seq) + 1)
     * and audit entries are then numbered one writer at a time, and no two
     * writers can deadlock by taking row locks and this lock in a different
     * order. Readers outside transactions never wait for it. Like SQLite's
     * busy timeout, a writer gives up after waiting 15 s for a lock. */
    const char *sql = strcmp(st->drv->name, "sqlite") == 0
                          ? "BEGIN IMMEDIATE"
                          : "BEGIN; SET LOCAL lock_timeout = '15s'; "
                            "SELECT pg_advisory_xact_lock(7340031)";
    if (st->drv->exec(st->conn, sql))
        return store_fail(st, VIGIL_ESTORE);
    st->in_tx = 1;
    st->tx_failed = 0;
    return VIGIL_OK;
}

int store_commit(struct store *st)
{
    if (!st->in_tx)
        return VIGIL_ESTORE;
    if (st->tx_failed) {
        store_rollback(st);
        return VIGIL_ESTORE;
    }
    if (st->drv->exec(st->conn, "COMMIT")) {
        int rc = store_fail(st, VIGIL_ESTORE);
        store_rollback(st);
        return rc;
    }
    st->in_tx = 0;
    return VIGIL_OK;
}

void store_rollback(struct store *st)
{
    if (!st->in_tx)
        return;
    st->drv->exec(st->conn, "ROLLBACK");
    st->in_tx = 0;
    st->tx_failed = 0;
}

int store_ping(struct store *st)
{
    struct q q;
    static const char sql[] = "SELECT 1";
    if (q_open(&q, st, sql))
        return VIGIL_EUNAVAIL;
    int rc = q_step(&q);
    q_done(&q);
    return rc == 1 ? VIGIL_OK : VIGIL_EUNAVAIL;
}

int store_backup(struct store *st, const char *path, char *err, size_t errlen)
{
    return st->drv->backup(st->conn, path, err, errlen);
}

int store_integrity(struct store *st, char *err, size_t errlen)
{
    return st->drv->integrity(st->conn, err, errlen);
}

/*
 * Expand a migration for this driver: {{ID}} and {{BLOB}} become the
 * dialect's types, and lines between "-- only: NAME" and "-- only: end"
 * are kept only for the driver called NAME.
 */
static char *expand(const char *sql, const char *drv)
{
    int pg = strcmp(drv, "postgresql") == 0;
    struct buf b;
    buf_init(&b, 1 << 24);
    int keep = 1;
    const char *p = sql;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (strncmp(p, "-- only: ", 9) == 0) {
            const char *name = p + 9;
            size_t len = n - 9;
            while (len && (name[len - 1] == '\n' || name[len - 1] == ' '))
                len--;
            keep = (len == 3 && strncmp(name, "end", 3) == 0) ||
                   (len == strlen(drv) && strncmp(name, drv, len) == 0);
        } else if (keep) {
            const char *line = p;
            const char *end = p + n;
            while (line < end) {
                const char *m = strstr(line, "{{");
                if (!m || m >= end) {
                    buf_add(&b, line, (size_t)(end - line));
                    break;
                }
                buf_add(&b, line, (size_t)(m - line));
                if (strncmp(m, "{{ID}}", 6) == 0) {
                    buf_puts(&b, pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY");
                    line = m + 6;
                } else if (strncmp(m, "{{BLOB}}", 8) == 0) {
                    buf_puts(&b, pg ? "BYTEA" : "BLOB");
                    line = m + 8;
                } else {
                    buf_add(&b, m, 2);
                    line = m + 2;
                }
            }
        }
        p += n;
    }
    if (buf_err(&b)) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b, NULL);
}

int store_schema_version(struct store *st, int *version)
{
    *version = 0;
    if (st->drv->exec(st->conn, "CREATE TABLE IF NOT EXISTS schema_version ("
                                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                "applied_at BIGINT NOT NULL)"))
        return store_fail(st, VIGIL_ESTORE);
    struct q q;
    static const char sql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    if (q_open(&q, st, sql))
        return q.rc;
    int rc = q_step(&q);
    if (rc == 1)
        *version = (int)q_col_int(&q, 0);
    q_done(&q);
    return rc < 0 ? -rc : VIGIL_OK;
}

/* 1 when migration version is recorded as applied, 0 when not, negative on
 * error. Each migration is checked by itself, so that one added later with a
 * lower number than the newest applied one is still applied. */
static int migration_done(struct store *st, int version)
{
    static const char sql[] = "SELECT 1 FROM schema_version WHERE version = ?1";
    struct q q;
    if (q_open(&q, st, sql))
        return -q.rc;
    q_int(&q, 1, version);
    int rc = q_step(&q);
    q_done(&q);
    return rc;
}

int store_migrate(struct store *st, int *applied)
{
    int have, rc, n = 0;
    /* In a transaction, so that servers starting together on one
     * PostgreSQL database take turns (see store_begin). */
    if ((rc = store_begin(st)))
        return rc;
    if ((rc = store_schema_version(st, &have)) || (rc = store_commit(st))) {
        store_rollback(st);
        return rc;
    }
    for (const struct migration *m = store_migrations; m->name; m++) {
        if (m->version <= have && (rc = migration_done(st, m->version)) != 0) {
            if (rc < 0)
                return -rc;
            continue;
        }
        char *sql = expand(m->sql, st->drv->name);
        if (!sql)
            return VIGIL_ENOMEM;
        if ((rc = store_begin(st))) {
            free(sql);
            return rc;
        }
        /* Another server may have applied it while this one waited. */
        if ((rc = migration_done(st, m->version)) != 0) {
            free(sql);
            store_rollback(st);
            if (rc < 0)
                return -rc;
            continue;
        }
        if (st->drv->exec(st->conn, sql)) {
            rc = store_fail(st, VIGIL_ESTORE);
            char detail[sizeof st->err];
            snprintf(detail, sizeof detail, "migration %s: %.400s", m->name, st->err);
            memcpy(st->err, detail, sizeof detail);
            free(sql);
            store_rollback(st);
            return rc;
        }
        free(sql);
        struct q q;
        static const char ins[] =
            "INSERT INTO schema_version(version, name, applied_at) VALUES (?1, ?2, ?3)";
        if (q_open(&q, st, ins) == VIGIL_OK) {
            q_int(&q, 1, m->version);
            q_text(&q, 2, m->name);
            q_int(&q, 3, (int64_t)time(NULL));
            rc = q_exec(&q);
        } else {
            rc = q.rc;
        }
        if (rc || (rc = store_commit(st))) {
            store_rollback(st);
            return rc;
        }
        n++;
    }
    if (applied)
        *applied = n;
    return VIGIL_OK;
}
