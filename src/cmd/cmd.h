/*
 * What the command-line verbs share: the --db/--key resolution of DESIGN §4,
 * opening the store with migrations applied, and the exit codes
 * (0 success, 1 a user error with a one-line message, 2 a usage error).
 */
#ifndef VIGIL_CMD_H
#define VIGIL_CMD_H

#include <stdint.h>

#include "crypto/crypto.h"
#include "store/store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cmd_ctx {
    const char *db;  /* --db, $VIGIL_DB, or var/vigil.db */
    const char *key; /* --key, $VIGIL_KEY_FILE, or DB.key beside an SQLite file */
    char keybuf[4096];
    int create; /* may create a new SQLite file (init, demo, migrate's target) */
};

/* Resolve defaults for db and key after option parsing. */
void cmd_defaults(struct cmd_ctx *c);
/* Open the store and apply migrations; prints the error and returns NULL.
 * An SQLite file must already exist unless c->create is set, so that a
 * mistyped --db is an error rather than a new empty database. */
struct store *cmd_store(struct cmd_ctx *c);
/* Load the key; prints the error and returns non-zero on failure. */
int cmd_key(struct cmd_ctx *c, struct vkey *key);
/* Print "vigil: msg" on stderr. */
void cmd_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Common option parsing: fills c from --db and --key, calls opt() for every
 * other option (return 0 if it took it, -1 to reject), and returns the index
 * of the first operand, or -1 after printing a usage error. "--help" prints
 * help and returns -2.
 */
struct cmd_opt {
    const char *name; /* "cases" for --cases */
    int has_arg;
};
int cmd_parse(int argc, char **argv, struct cmd_ctx *c, const struct cmd_opt *opts,
              int (*opt)(void *ud, const char *name, const char *arg), void *ud, const char *help);

int cmd_init(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_demo(int argc, char **argv);
/* The committee's demo data (demo_committee.c): meetings, measures with
 * progress and ten years of activities, from seed; one transaction. */
int demo_committee(struct store *st, uint64_t seed, int64_t now);
int cmd_serve(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* Demo TIP reports with recommendations linked to the demo measures
 * (demo_tip.c); its own transaction. */
int demo_tip_reports(struct store *st, int64_t secretariat, int64_t now);
int cmd_report(int argc, char **argv);
/* key rotate (key.c) */
int cmd_keyfile(int argc, char **argv);

#endif
