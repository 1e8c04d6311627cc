/*
 * Shared by the import fuzzers (fuzz_htcds.c, fuzz_ctdc.c): a temporary
 * SQLite store with one organisation, created once and recreated every
 * STORE_RUNS inputs so it stays small, and the input written to a temporary
 * file, which is how the importers read (they take a path).
 */
#ifndef VIGIL_FUZZ_IMPORT_COMMON_H
#define VIGIL_FUZZ_IMPORT_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "share/exchange.h"
#include "store/store.h"
#include "util/err.h"

#define STORE_RUNS 2000

struct fuzz_env {
    char dir[64];
    char db[96];
    char input[96];
    struct store *st;
    int64_t org_id;
    long runs;
    FILE *rejects;
    struct vkey key;
};

static struct fuzz_env env;

static void env_cleanup(void)
{
    if (env.st)
        store_close(env.st);
    unlink(env.db);
    unlink(env.input);
    rmdir(env.dir);
}

static struct store *env_store(int64_t *org_id)
{
    char err[256];
    if (!env.dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(env.dir, sizeof env.dir, "%.40s/vigil-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(env.dir) || crypto_init())
            abort();
        snprintf(env.db, sizeof env.db, "%s/store.db", env.dir);
        snprintf(env.input, sizeof env.input, "%s/input", env.dir);
        env.rejects = fopen("/dev/null", "w");
        memset(env.key.k, 0x5a, sizeof env.key.k);
        atexit(env_cleanup);
    }
    if (env.st && env.runs++ % STORE_RUNS == STORE_RUNS - 1) {
        store_close(env.st);
        env.st = NULL;
    }
    if (!env.st) {
        unlink(env.db);
        if (store_open(env.db, &env.st, err, sizeof err) || store_migrate(env.st, NULL))
            abort();
        struct org o;
        memset(&o, 0, sizeof o);
        snprintf(o.code, sizeof o.code, "PJ");
        snprintf(o.type, sizeof o.type, "LawEnforcement");
        if (store_begin(env.st) || store_org_add(env.st, &o) || store_commit(env.st))
            abort();
        env.org_id = o.id;
    }
    *org_id = env.org_id;
    return env.st;
}

/* Write the input to the temporary file; its path, or NULL. */
static const char *env_input(const uint8_t *data, size_t size)
{
    FILE *f = fopen(env.input, "wb");
    if (!f)
        return NULL;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return NULL;
    }
    if (fclose(f))
        return NULL;
    return env.input;
}

/* The report's counts add up, and a file-level error is a string. */
static void env_check(const struct import_report *rep)
{
    if (rep->read < 0 || rep->imported < 0 || rep->rejected < 0 ||
        rep->imported + rep->rejected > rep->read)
        abort();
    if (!memchr(rep->err, '\0', sizeof rep->err))
        abort();
}

#endif
