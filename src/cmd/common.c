/* Shared command-line plumbing; see cmd.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/err.h"

void cmd_err(const char *fmt, ...)
{
    va_list ap;
    fputs("vigil: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int is_sqlite(const char *db)
{
    return strncmp(db, "postgresql://", 13) != 0 && strncmp(db, "postgres://", 11) != 0;
}

void cmd_defaults(struct cmd_ctx *c)
{
    if (!c->db)
        c->db = getenv("VIGIL_DB");
    if (!c->db || !*c->db)
        c->db = "var/vigil.db";
    if (!c->key)
        c->key = getenv("VIGIL_KEY_FILE");
    if ((!c->key || !*c->key) && is_sqlite(c->db)) {
        const char *path = strncmp(c->db, "sqlite:", 7) == 0 ? c->db + 7 : c->db;
        snprintf(c->keybuf, sizeof c->keybuf, "%s.key", path);
        c->key = c->keybuf;
    }
}

struct store *cmd_store(struct cmd_ctx *c)
{
    struct store *st;
    char err[512];
    if (is_sqlite(c->db)) {
        const char *path = strncmp(c->db, "sqlite:", 7) == 0 ? c->db + 7 : c->db;
        if (!c->create && access(path, F_OK) != 0) {
            cmd_err("no database at %s (create one with 'vigil init --db %s')", path, path);
            return NULL;
        }
        /* init and demo make the folder of a new database, like var/ */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (c->create && slash && slash != dir) {
            *slash = '\0';
            if (access(dir, F_OK) != 0 && mkdir(dir, 0700) != 0) {
                cmd_err("cannot create the folder %s: %s", dir, strerror(errno));
                return NULL;
            }
        }
    }
    if (store_open(c->db, &st, err, sizeof err)) {
        cmd_err("%s", err);
        return NULL;
    }
    if (store_migrate(st, NULL)) {
        cmd_err("cannot prepare the database: %s", store_errmsg(st));
        store_close(st);
        return NULL;
    }
    return st;
}

int cmd_key(struct cmd_ctx *c, struct vkey *key)
{
    char err[512];
    if (!c->key || !*c->key) {
        cmd_err("no key file: give --key FILE or set VIGIL_KEY_FILE");
        return EXIT_FAIL;
    }
    if (key_load(c->key, key, err, sizeof err)) {
        cmd_err("%s", err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cmd_parse(int argc, char **argv, struct cmd_ctx *c, const struct cmd_opt *opts,
              int (*opt)(void *ud, const char *name, const char *arg), void *ud, const char *help)
{
    /* Options and operands may come in any order, as with GNU getopt:
     * operands are moved behind the options, and their first index is
     * returned. "--" ends the options. */
    char *operands[256];
    int nops = 0;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc && nops < 256; i++)
                operands[nops++] = argv[i];
            break;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (nops == 256) {
                cmd_err("too many operands");
                return -1;
            }
            operands[nops++] = argv[i];
            continue;
        }
        if (strcmp(a, "--help") == 0) {
            fputs(help, stdout);
            return -2;
        }
        char name[64];
        const char *eq = strchr(a + 2, '=');
        size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (n >= sizeof name) {
            cmd_err("unknown option '%s'", a);
            return -1;
        }
        memcpy(name, a + 2, n);
        name[n] = '\0';
        int has_arg = 0, known = 0;
        if (strcmp(name, "db") == 0 || strcmp(name, "key") == 0) {
            known = has_arg = 1;
        } else {
            for (const struct cmd_opt *o = opts; o && o->name; o++)
                if (strcmp(o->name, name) == 0) {
                    known = 1;
                    has_arg = o->has_arg;
                }
        }
        if (!known) {
            cmd_err("unknown option '--%s' (see --help)", name);
            return -1;
        }
        const char *arg = NULL;
        if (has_arg) {
            if (eq)
                arg = eq + 1;
            else if (i + 1 < argc)
                arg = argv[++i];
            else {
                cmd_err("option '--%s' needs a value", name);
                return -1;
            }
        } else if (eq) {
            cmd_err("option '--%s' takes no value", name);
            return -1;
        }
        if (strcmp(name, "db") == 0)
            c->db = arg;
        else if (strcmp(name, "key") == 0)
            c->key = arg;
        else if (opt(ud, name, arg) != 0)
            return -1;
    }
    int first = argc - nops;
    for (int k = 0; k < nops; k++)
        argv[first + k] = operands[k];
    cmd_defaults(c);
    return first;
}
