/* The administrative verbs: init, org, user, audit verify, backup, restore. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "cmd/cmd.h"
#include "core/org.h"
#include "util/err.h"
#include "util/timeutil.h"

static int no_opt(void *ud, const char *name, const char *arg)
{
    (void)ud;
    (void)name;
    (void)arg;
    return -1;
}

static int parsed(int i)
{
    return i == -2 ? EXIT_OK : EXIT_USAGE;
}

int cmd_init(int argc, char **argv)
{
    struct cmd_ctx c = {0};
    int i = cmd_parse(argc, argv, &c, NULL, no_opt, NULL,
                      "usage: vigil init [--db PATH|URI] [--key FILE]\n"
                      "Create the database (applying every migration) and, unless it exists,\n"
                      "a new random key file (mode 0600) for the encrypted personal fields.\n");
    if (i < 0)
        return parsed(i);
    if (i < argc) {
        cmd_err("init takes no operands");
        return EXIT_USAGE;
    }
    char err[512];
    c.create = 1;
    struct store *st = cmd_store(&c); /* first: it makes the folder the key goes in */
    if (!st)
        return EXIT_FAIL;
    if (c.key && access(c.key, F_OK) != 0) {
        if (key_create(c.key, err, sizeof err)) {
            cmd_err("%s", err);
            store_close(st);
            return EXIT_FAIL;
        }
        printf("created key file %s (keep it safe: without it the personal fields cannot be "
               "read)\n",
               c.key);
    }
    struct vkey k;
    if (cmd_key(&c, &k)) {
        store_close(st);
        return EXIT_FAIL;
    }
    int v = 0;
    store_schema_version(st, &v);
    printf("database %s ready (schema version %d)\n", c.db, v);
    store_close(st);
    return EXIT_OK;
}

struct org_opts {
    const char *code, *type, *name, *name_zh, *name_pt;
};

static int org_opt(void *ud, const char *name, const char *arg)
{
    struct org_opts *o = ud;
    if (strcmp(name, "code") == 0)
        o->code = arg;
    else if (strcmp(name, "type") == 0)
        o->type = arg;
    else if (strcmp(name, "name") == 0)
        o->name = arg;
    else if (strcmp(name, "name-zh") == 0)
        o->name_zh = arg;
    else if (strcmp(name, "name-pt") == 0)
        o->name_pt = arg;
    else
        return -1;
    return 0;
}

int cmd_org(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil org add --code CODE --type ORG_TYPE --name NAME [--name-zh N] [--name-pt N]\n"
        "       vigil org list\n"
        "ORG_TYPE is an HTCDS org_Type value: NGO, LawEnforcement, HealthServiceOrganisation,\n"
        "CentralGovernmentOrganisation, LocalGovernmentOrganisation, ImmigrationService,\n"
        "LegalService, CorporateBusiness, SchoolOrCollege.\n";
    static const struct cmd_opt opts[] = {{"code", 1},    {"type", 1},    {"name", 1},
                                          {"name-zh", 1}, {"name-pt", 1}, {NULL, 0}};
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    struct cmd_ctx c = {0};
    struct org_opts o = {0};
    int i = cmd_parse(argc - 1, argv + 1, &c, opts, org_opt, &o, help);
    if (i < 0)
        return parsed(i);
    if (strcmp(sub, "add") == 0) {
        if (!o.code || !o.type || !o.name) {
            cmd_err("org add needs --code, --type and --name");
            return EXIT_USAGE;
        }
        if (!org_code_valid(o.code)) {
            cmd_err("invalid organisation code '%s' (2 to 16 of A-Z, 0-9, '-', '_')", o.code);
            return EXIT_FAIL;
        }
        if (!org_type_valid(o.type)) {
            cmd_err("unknown organisation type '%s' (an HTCDS org_Type value)", o.type);
            return EXIT_FAIL;
        }
        struct store *st = cmd_store(&c);
        if (!st)
            return EXIT_FAIL;
        struct org g = {0};
        snprintf(g.code, sizeof g.code, "%s", o.code);
        snprintf(g.type, sizeof g.type, "%s", o.type);
        snprintf(g.name_en, sizeof g.name_en, "%s", o.name);
        snprintf(g.name_zh, sizeof g.name_zh, "%s", o.name_zh ? o.name_zh : o.name);
        snprintf(g.name_pt, sizeof g.name_pt, "%s", o.name_pt ? o.name_pt : o.name);
        int rc = store_begin(st);
        if (!rc)
            rc = store_org_add(st, &g);
        char obj[64];
        snprintf(obj, sizeof obj, "org:%" PRId64, g.id);
        if (!rc)
            rc = audit_append(st, 0, "cli", "org.add", obj, g.code);
        if (!rc)
            rc = store_commit(st);
        else
            store_rollback(st);
        if (rc == VIGIL_EEXIST)
            cmd_err("organisation '%s' already exists", o.code);
        else if (rc)
            cmd_err("cannot add organisation: %s", store_errmsg(st));
        else
            printf("added organisation %s\n", g.code);
        store_close(st);
        return rc ? EXIT_FAIL : EXIT_OK;
    }
    if (strcmp(sub, "list") == 0) {
        struct store *st = cmd_store(&c);
        if (!st)
            return EXIT_FAIL;
        struct org *list;
        size_t n;
        int rc = store_org_list(st, &list, &n);
        if (rc)
            cmd_err("%s", store_errmsg(st));
        for (size_t k = 0; !rc && k < n; k++)
            printf("%-10s %-32s %s\n", list[k].code, list[k].type, list[k].name_en);
        if (!rc)
            free(list);
        store_close(st);
        return rc ? EXIT_FAIL : EXIT_OK;
    }
    cmd_err("unknown org command '%s' (add or list)", sub);
    return EXIT_USAGE;
}

struct user_opts {
    const char *username, *role, *agency;
};

static int user_opt(void *ud, const char *name, const char *arg)
{
    struct user_opts *o = ud;
    if (strcmp(name, "username") == 0)
        o->username = arg;
    else if (strcmp(name, "role") == 0)
        o->role = arg;
    else if (strcmp(name, "agency") == 0)
        o->agency = arg;
    else
        return -1;
    return 0;
}

/* Read the password from the first line of stdin. */
static int read_password(char *pw, size_t n)
{
    if (!fgets(pw, (int)n, stdin))
        return -1;
    size_t len = strlen(pw);
    if (len == n - 1 && pw[len - 1] != '\n')
        return -1; /* longer than we take */
    while (len && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
        pw[--len] = '\0';
    return 0;
}

static int user_add(struct cmd_ctx *c, struct user_opts *o)
{
    if (!o->username || !o->role || !o->agency) {
        cmd_err("user add needs --username, --role and --agency");
        return EXIT_USAGE;
    }
    if (!user_name_valid(o->username)) {
        cmd_err("invalid username '%s' (3 to 64 of a-z, 0-9, '.', '-', '_')", o->username);
        return EXIT_FAIL;
    }
    int role = role_parse(o->role);
    if (role < 0) {
        cmd_err("unknown role '%s' (admin, secretariat, investigator, prosecutor, magistrate, "
                "caseworker, inspector, auditor)",
                o->role);
        return EXIT_FAIL;
    }
    char pw[PASSWORD_MAX_LEN + 2];
    if (read_password(pw, sizeof pw)) {
        cmd_err("give the password on standard input (one line, at most %d bytes)",
                PASSWORD_MAX_LEN);
        return EXIT_FAIL;
    }
    switch (password_check(pw)) {
    case PASSWORD_OK:
        break;
    case PASSWORD_TOO_SHORT:
        cmd_err("the password must be at least %d characters", PASSWORD_MIN_LEN);
        return EXIT_FAIL;
    case PASSWORD_TOO_LONG:
    case PASSWORD_NOT_UTF8:
        cmd_err("the password must be valid UTF-8 of at most %d bytes", PASSWORD_MAX_LEN);
        return EXIT_FAIL;
    }
    struct store *st = cmd_store(c);
    if (!st)
        return EXIT_FAIL;
    struct org g;
    int rc = store_org_by_code(st, o->agency, &g);
    if (rc) {
        cmd_err("unknown agency '%s' (see 'vigil org list')", o->agency);
        store_close(st);
        return EXIT_FAIL;
    }
    struct user u = {0};
    snprintf(u.username, sizeof u.username, "%s", o->username);
    u.role = role;
    u.org_id = g.id;
    u.created_at = time_now();
    if (password_hash(pw, u.pw_hash)) {
        cmd_err("cannot hash the password");
        store_close(st);
        return EXIT_FAIL;
    }
    rc = store_begin(st);
    if (!rc)
        rc = store_user_add(st, &u);
    char obj[64];
    snprintf(obj, sizeof obj, "user:%" PRId64, u.id);
    if (!rc)
        rc = audit_append(st, 0, "cli", "user.add", obj, role_name(role));
    if (!rc)
        rc = store_commit(st);
    else
        store_rollback(st);
    if (rc == VIGIL_EEXIST)
        cmd_err("user '%s' already exists", o->username);
    else if (rc)
        cmd_err("cannot add user: %s", store_errmsg(st));
    else
        printf("added user %s (%s, %s)\n", u.username, role_name(role), g.code);
    store_close(st);
    return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil user add --username U --role ROLE --agency CODE   (password on stdin)\n"
        "       vigil user list\n"
        "       vigil user disable USERNAME\n"
        "ROLE: admin, secretariat, investigator, prosecutor, magistrate, caseworker,\n"
        "inspector, auditor.\n";
    static const struct cmd_opt opts[] = {{"username", 1}, {"role", 1}, {"agency", 1}, {NULL, 0}};
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    struct cmd_ctx c = {0};
    struct user_opts o = {0};
    int i = cmd_parse(argc - 1, argv + 1, &c, opts, user_opt, &o, help);
    if (i < 0)
        return parsed(i);
    i++; /* operands follow the subcommand */
    if (strcmp(sub, "add") == 0)
        return user_add(&c, &o);
    if (strcmp(sub, "list") == 0) {
        struct store *st = cmd_store(&c);
        if (!st)
            return EXIT_FAIL;
        struct user *list;
        size_t n;
        int rc = store_user_list(st, &list, &n);
        if (rc)
            cmd_err("%s", store_errmsg(st));
        for (size_t k = 0; !rc && k < n; k++)
            printf("%-20s %-13s %-8s %s\n", list[k].username, role_name(list[k].role),
                   list[k].org_code, list[k].disabled ? "disabled" : "active");
        if (!rc)
            free(list);
        store_close(st);
        return rc ? EXIT_FAIL : EXIT_OK;
    }
    if (strcmp(sub, "disable") == 0) {
        const char *name = i < argc ? argv[i] : o.username;
        if (!name) {
            cmd_err("user disable needs a USERNAME");
            return EXIT_USAGE;
        }
        struct store *st = cmd_store(&c);
        if (!st)
            return EXIT_FAIL;
        struct user u;
        int rc = store_user_by_name(st, name, &u);
        if (!rc)
            rc = store_begin(st);
        if (!rc)
            rc = store_user_set_disabled(st, name, 1);
        char obj[64];
        snprintf(obj, sizeof obj, "user:%" PRId64, u.id);
        if (!rc)
            rc = audit_append(st, 0, "cli", "user.disable", obj, "");
        if (!rc)
            rc = store_commit(st);
        else
            store_rollback(st);
        if (rc == VIGIL_ENOTFOUND)
            cmd_err("no user '%s'", name);
        else if (rc)
            cmd_err("cannot disable user: %s", store_errmsg(st));
        else
            printf("disabled user %s; their sessions are ended\n", name);
        store_close(st);
        return rc ? EXIT_FAIL : EXIT_OK;
    }
    cmd_err("unknown user command '%s' (add, list or disable)", sub);
    return EXIT_USAGE;
}

int cmd_audit(int argc, char **argv)
{
    static const char help[] = "usage: vigil audit verify\n"
                               "Check the hash chain of the audit log. Exit 0 when intact; exit 1 "
                               "naming the\nfirst entry that was edited, deleted or reordered.\n";
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    struct cmd_ctx c = {0};
    int i = cmd_parse(argc - 1, argv + 1, &c, NULL, no_opt, NULL, help);
    if (i < 0)
        return parsed(i);
    if (strcmp(argv[1], "verify") != 0) {
        cmd_err("unknown audit command '%s' (verify)", argv[1]);
        return EXIT_USAGE;
    }
    struct store *st = cmd_store(&c);
    if (!st)
        return EXIT_FAIL;
    int64_t count = 0, bad = 0;
    char msg[256];
    int rc = audit_verify(st, &count, &bad, msg, sizeof msg);
    if (rc == VIGIL_ECORRUPT)
        cmd_err("%s", msg);
    else if (rc)
        cmd_err("cannot read the audit log: %s", store_errmsg(st));
    else
        printf("audit chain intact: %" PRId64 " entries\n", count);
    store_close(st);
    return rc ? EXIT_FAIL : EXIT_OK;
}

struct out_opt {
    const char *out;
};

static int out_opt(void *ud, const char *name, const char *arg)
{
    (void)name;
    ((struct out_opt *)ud)->out = arg;
    return 0;
}

int cmd_backup(int argc, char **argv)
{
    static const char help[] = "usage: vigil backup -o FILE\n"
                               "Write a consistent copy of the database to FILE while it is in "
                               "use.\nThe key file is not copied: keep it apart from backups.\n";
    static const struct cmd_opt opts[] = {{"o", 1}, {"output", 1}, {NULL, 0}};
    /* accept the short "-o FILE" too */
    struct out_opt o = {0};
    for (int k = 1; k + 1 < argc; k++)
        if (strcmp(argv[k], "-o") == 0) {
            o.out = argv[k + 1];
            for (int j = k; j + 2 <= argc; j++)
                argv[j] = argv[j + 2];
            argc -= 2;
            break;
        }
    struct cmd_ctx c = {0};
    int i = cmd_parse(argc, argv, &c, opts, out_opt, &o, help);
    if (i < 0)
        return parsed(i);
    if (!o.out) {
        cmd_err("backup needs -o FILE");
        return EXIT_USAGE;
    }
    if (access(o.out, F_OK) == 0) {
        cmd_err("%s exists; refusing to overwrite it", o.out);
        return EXIT_FAIL;
    }
    struct store *st = cmd_store(&c);
    if (!st)
        return EXIT_FAIL;
    char err[512];
    int rc = audit_record(st, 0, "cli", "backup", "database", "");
    if (!rc)
        rc = store_backup(st, o.out, err, sizeof err);
    else
        snprintf(err, sizeof err, "%s", store_errmsg(st));
    if (rc)
        cmd_err("%s", err);
    else
        printf("backup written to %s\n", o.out);
    store_close(st);
    return rc ? EXIT_FAIL : EXIT_OK;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return -1;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) {
            rc = -1;
            break;
        }
    if (ferror(in))
        rc = -1;
    fclose(in);
    if (fflush(out) != 0 || fsync(fileno(out)) != 0)
        rc = -1;
    if (fclose(out) != 0)
        rc = -1;
    return rc;
}

int cmd_restore(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil restore FILE\n"
        "Check FILE (integrity and audit chain), then replace the database with it.\n"
        "Stop the server first. The database it replaces is kept as PATH.before-restore.\n";
    struct cmd_ctx c = {0};
    int i = cmd_parse(argc, argv, &c, NULL, no_opt, NULL, help);
    if (i < 0)
        return parsed(i);
    if (i >= argc) {
        cmd_err("restore needs a FILE");
        return EXIT_USAGE;
    }
    const char *file = argv[i];
    if (strncmp(c.db, "postgres", 8) == 0) {
        cmd_err("restore works on SQLite databases; for PostgreSQL see docs/deploy.md");
        return EXIT_FAIL;
    }
    const char *db = strncmp(c.db, "sqlite:", 7) == 0 ? c.db + 7 : c.db;
    if (access(file, R_OK) != 0) {
        cmd_err("cannot read %s: %s", file, strerror(errno));
        return EXIT_FAIL;
    }
    char tmp[4200], old[4200], err[512];
    snprintf(tmp, sizeof tmp, "%s.restoring", db);
    unlink(tmp);
    if (copy_file(file, tmp)) {
        cmd_err("cannot copy %s: %s", file, strerror(errno));
        unlink(tmp);
        return EXIT_FAIL;
    }
    struct store *st;
    if (store_open(tmp, &st, err, sizeof err)) {
        cmd_err("%s is not a vigil database: %s", file, err);
        unlink(tmp);
        return EXIT_FAIL;
    }
    int64_t count, bad;
    char msg[256];
    int rc = store_integrity(st, err, sizeof err);
    if (rc)
        cmd_err("%s fails its integrity check: %s", file, err);
    else if ((rc = audit_verify(st, &count, &bad, msg, sizeof msg)))
        cmd_err("%s: %s", file, rc == VIGIL_ECORRUPT ? msg : store_errmsg(st));
    store_close(st);
    if (rc) {
        unlink(tmp);
        return EXIT_FAIL;
    }
    char side[4200];
    snprintf(old, sizeof old, "%s.before-restore", db);
    if (access(db, F_OK) == 0 && rename(db, old) != 0) {
        cmd_err("cannot move the old database aside: %s", strerror(errno));
        unlink(tmp);
        return EXIT_FAIL;
    }
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
    snprintf(side, sizeof side, "%s.restoring-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s.restoring-shm", db);
    unlink(side);
    if (rename(tmp, db) != 0) {
        cmd_err("cannot put the restored database in place: %s", strerror(errno));
        return EXIT_FAIL;
    }
    printf("restored %s from %s (%" PRId64 " audit entries verified)\n", db, file, count);
    return EXIT_OK;
}

struct migrate_opts {
    const char *from, *to;
};

static int migrate_opt(void *ud, const char *name, const char *arg)
{
    struct migrate_opts *o = ud;
    if (strcmp(name, "from") == 0)
        o->from = arg;
    else if (strcmp(name, "to") == 0)
        o->to = arg;
    else
        return -1;
    return 0;
}

int cmd_migrate(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil migrate --from sqlite:PATH --to postgresql://...\n"
        "Copy a whole database into a new, empty one (any store to any store). Personal\n"
        "fields stay encrypted under the same key; the audit chain is copied entry by entry\n"
        "and verified on the target.\n";
    static const struct cmd_opt opts[] = {{"from", 1}, {"to", 1}, {NULL, 0}};
    struct cmd_ctx c = {0};
    struct migrate_opts o = {0};
    int i = cmd_parse(argc, argv, &c, opts, migrate_opt, &o, help);
    if (i < 0)
        return parsed(i);
    if (!o.from || !o.to) {
        cmd_err("migrate needs --from and --to");
        return EXIT_USAGE;
    }
    struct cmd_ctx cf = {.db = o.from}, ct = {.db = o.to, .create = 1};
    struct store *from = cmd_store(&cf);
    if (!from)
        return EXIT_FAIL;
    struct store *to = cmd_store(&ct);
    if (!to) {
        store_close(from);
        return EXIT_FAIL;
    }
    int64_t count = 0, bad = 0, rows = 0;
    char msg[512];
    int rc = audit_verify(from, &count, &bad, msg, sizeof msg);
    if (rc)
        cmd_err("the source audit chain does not verify: %s", msg);
    if (!rc && (rc = store_copy(from, to, &rows, msg, sizeof msg)))
        cmd_err("%s", msg);
    int64_t count2 = 0;
    if (!rc && (rc = audit_verify(to, &count2, &bad, msg, sizeof msg)))
        cmd_err("the copied audit chain does not verify: %s", msg);
    if (!rc && count2 != count) {
        cmd_err("the copy holds %" PRId64 " audit entries, the source %" PRId64, count2, count);
        rc = VIGIL_ECORRUPT;
    }
    if (!rc)
        printf("copied %" PRId64 " rows; audit chain verified on the target (%" PRId64
               " entries)\n",
               rows, count2);
    store_close(from);
    store_close(to);
    return rc ? EXIT_FAIL : EXIT_OK;
}
