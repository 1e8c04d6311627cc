/*
 * `vigil key rotate --new-key FILE`: re-seal every sealed value of the
 * database under a new key (ASVS 1.6.3, 6.2.4).
 *
 * Each value is opened under the current key (--key) with the associated
 * data it was sealed under (store_sealed_columns) and sealed again under the
 * new key, table by table, in batches of one transaction each. A value that
 * already opens under the new key is left alone, so a rotation that was
 * interrupted is finished by running the same command again: it is
 * resumable, not all-or-nothing. Then every sealed value is opened under the
 * new key (all of them, not a sample), and the rotation is audited as
 * key.rotate. The old key file is only read; the new one is created (0600)
 * when it does not exist.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "crypto/crypto.h"
#include "util/err.h"
#include "util/parse.h"

struct rotate_opts {
    const char *new_key;
    int batch;
};

static int rotate_opt(void *ud, const char *name, const char *arg)
{
    struct rotate_opts *o = ud;
    if (strcmp(name, "new-key") == 0) {
        o->new_key = arg;
        return 0;
    }
    if (strcmp(name, "batch") == 0 && parse_int(arg, 1, 100000, &o->batch) == 0)
        return 0;
    cmd_err("--%s needs a number from 1 to 100000", name);
    return -1;
}

struct rotate_ctx {
    const struct vkey *old_key, *new_key;
    int verify; /* only check that each value opens under new_key */
    char why[160];
};

static int reseal_one(void *ctx, const struct sealed_column *c, int64_t id, const char *ad,
                      const void *sealed, size_t n, unsigned char **out, size_t *outn)
{
    struct rotate_ctx *x = ctx;
    char *pt = NULL;
    size_t ptn = 0;
    if (crypto_open(x->new_key, ad, sealed, n, &pt, &ptn) == VIGIL_OK) {
        sodium_memzero(pt, ptn);
        free(pt);
        return 1; /* already under the new key */
    }
    if (x->verify) {
        snprintf(x->why, sizeof x->why, "%s.%s of row %" PRId64 " does not open under the new key",
                 c->table, c->column, id);
        return -VIGIL_ECORRUPT;
    }
    if (crypto_open(x->old_key, ad, sealed, n, &pt, &ptn) != VIGIL_OK) {
        snprintf(x->why, sizeof x->why,
                 "%s.%s of row %" PRId64 " opens under neither the current nor the new key",
                 c->table, c->column, id);
        return -VIGIL_ECORRUPT;
    }
    int rc = crypto_seal(x->new_key, ad, pt, ptn, out, outn);
    sodium_memzero(pt, ptn);
    free(pt);
    if (rc)
        snprintf(x->why, sizeof x->why, "cannot seal %s.%s of row %" PRId64, c->table, c->column,
                 id);
    return rc ? -rc : 0;
}

/* Run fn over every sealed column; the counts added to *changed, *kept. */
static int pass(struct store *st, struct rotate_ctx *x, int batch, int print, int64_t *changed,
                int64_t *kept)
{
    for (const struct sealed_column *c = store_sealed_columns; c->table; c++) {
        int64_t after = 0, tc = 0, tk = 0;
        for (;;) {
            int64_t last, ch, kp;
            int rc = store_reseal_batch(st, c, after, batch, reseal_one, x, &last, &ch, &kp);
            if (rc) {
                if (!x->why[0])
                    snprintf(x->why, sizeof x->why, "%s.%s: %s", c->table, c->column,
                             store_errmsg(st));
                return rc;
            }
            tc += ch;
            tk += kp;
            if (last == after)
                break;
            after = last;
        }
        if (print)
            printf("  %-18s %-19s %8" PRId64 " re-sealed %8" PRId64 " already\n", c->table,
                   c->column, tc, tk);
        *changed += tc;
        *kept += tk;
    }
    return VIGIL_OK;
}

static int rotate(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil key rotate --new-key FILE [--batch N]\n"
        "Re-seal every sealed value of the database under the key in FILE (created,\n"
        "mode 0600, when it does not exist), opening each under the current key\n"
        "(--key). Batches of N rows (default 500) commit one by one; a value already\n"
        "under the new key is skipped, so an interrupted rotation is finished by\n"
        "running the same command again. Every value is then checked to open under\n"
        "the new key, and the rotation is audited. The current key file is not\n"
        "changed. Stop the server first; serve with --key FILE afterwards.\n";
    static const struct cmd_opt opts[] = {{"new-key", 1}, {"batch", 1}, {NULL, 0}};
    struct cmd_ctx c = {0};
    struct rotate_opts o = {NULL, 500};
    int i = cmd_parse(argc, argv, &c, opts, rotate_opt, &o, help);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (!o.new_key) {
        cmd_err("key rotate needs --new-key FILE");
        return EXIT_USAGE;
    }
    struct vkey old_key, new_key;
    if (cmd_key(&c, &old_key))
        return EXIT_FAIL;
    char err[512];
    struct stat sb;
    if (stat(o.new_key, &sb) != 0) {
        if (errno != ENOENT || key_create(o.new_key, err, sizeof err)) {
            cmd_err("%s", errno != ENOENT ? strerror(errno) : err);
            return EXIT_FAIL;
        }
        printf("created the new key file %s\n", o.new_key);
    }
    if (key_load(o.new_key, &new_key, err, sizeof err)) {
        cmd_err("%s", err);
        return EXIT_FAIL;
    }
    if (sodium_memcmp(old_key.k, new_key.k, VKEY_BYTES) == 0) {
        cmd_err("the new key is the current key; give a new key file");
        return EXIT_FAIL;
    }
    struct store *st = cmd_store(&c);
    if (!st)
        return EXIT_FAIL;
    struct rotate_ctx x = {&old_key, &new_key, 0, ""};
    int64_t changed = 0, kept = 0, verified = 0, none = 0;
    printf("re-sealing under %s:\n", o.new_key);
    int rc = pass(st, &x, o.batch, 1, &changed, &kept);
    if (rc) {
        cmd_err("%s; the batches before it are committed: fix it and run the same command "
                "again to finish",
                x.why);
        goto out;
    }
    x.verify = 1;
    rc = pass(st, &x, o.batch, 0, &none, &verified);
    if (rc) {
        cmd_err("check failed: %s", x.why);
        goto out;
    }
    char detail[160];
    snprintf(detail, sizeof detail,
             "re-sealed %" PRId64 ", already under the new key %" PRId64 ", verified %" PRId64,
             changed, kept, verified);
    rc = audit_record(st, 0, "cli", "key.rotate", "key", detail);
    if (rc) {
        cmd_err("the values are re-sealed, but the audit entry could not be written: %s",
                store_errmsg(st));
        goto out;
    }
    printf("%s\nevery sealed value opens under the new key; serve with --key %s\n"
           "(keep the old key file as long as backups made before now are kept)\n",
           detail, o.new_key);
out:
    sodium_memzero(&old_key, sizeof old_key);
    sodium_memzero(&new_key, sizeof new_key);
    store_close(st);
    return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_keyfile(int argc, char **argv)
{
    static const char help[] = "usage: vigil key rotate --new-key FILE [--batch N]\n"
                               "Re-seal the database's sealed values under a new key.\n";
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "rotate") != 0) {
        cmd_err("unknown key command '%s' (rotate)", argv[1]);
        return EXIT_USAGE;
    }
    return rotate(argc - 1, argv + 1);
}
