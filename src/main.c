/*
 * vigil: the command table. One row per verb, with its one-line help; the
 * verbs live in src/cmd/ and src/web/. See docs/vigil.1.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "crypto/crypto.h"
#include "share/release.h"

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"init", cmd_init, "create the database and its key file"},
    {"org", cmd_org, "add or list organisations (org add|list)"},
    {"user", cmd_user, "add, list or disable users (user add|list|disable)"},
    {"demo", cmd_demo, "fill a database with synthetic demo data"},
    {"serve", cmd_serve, "run the web server"},
    {"import", cmd_import, "import HTCDS records or a CTDC dataset"},
    {"export", cmd_export, "de-identified HTCDS export"},
    {"audit", cmd_audit, "check the audit chain (audit verify)"},
    {"backup", cmd_backup, "write a consistent copy of the database"},
    {"migrate", cmd_migrate, "copy a database to another store (SQLite to PostgreSQL)"},
    {"restore", cmd_restore, "replace the database with a backup"},
    {"key", cmd_keyfile, "re-seal the sealed values under a new key (key rotate)"},
    {"release", cmd_release, "privacy-preserving release of a microdata file"},
    {"report", cmd_report, "the committee's packs as files (report plenary|tip)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: vigil COMMAND [--db PATH|URI] [--key FILE] [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n'vigil COMMAND --help' describes a command; 'man vigil' all of them.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("vigil %s\n", VIGIL_VERSION);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    umask(077); /* databases, WAL files and backups hold sensitive data */
    if (crypto_init()) {
        fprintf(stderr, "vigil: cannot initialise libsodium\n");
        return EXIT_FAIL;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "vigil: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
