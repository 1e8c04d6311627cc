/* The exchange verbs: vigil import and vigil export. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "share/exchange.h"
#include "util/err.h"

struct xopts {
    const char *format, *out, *agency, *report;
};

static int x_opt(void *ud, const char *name, const char *arg)
{
    struct xopts *o = ud;
    if (strcmp(name, "format") == 0)
        o->format = arg;
    else if (strcmp(name, "o") == 0 || strcmp(name, "output") == 0)
        o->out = arg;
    else if (strcmp(name, "agency") == 0)
        o->agency = arg;
    else if (strcmp(name, "report") == 0)
        o->report = arg;
    else
        return -1;
    return 0;
}

/* Accept the short "-o FILE" as well as "--output FILE". */
static int take_short_o(int *argc, char **argv, struct xopts *o)
{
    for (int k = 1; k + 1 < *argc; k++)
        if (strcmp(argv[k], "-o") == 0) {
            o->out = argv[k + 1];
            for (int j = k; j + 2 <= *argc; j++)
                argv[j] = argv[j + 2];
            *argc -= 2;
            return 1;
        }
    return 0;
}

int cmd_import(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil import --format htcds|ctdc FILE [--agency CODE] [--report OUT]\n"
        "htcds: HTCDS records (CSV with a header row, multi-selects ';'-separated, or JSON)\n"
        "       become cases owned by --agency; rows sharing a case_ref form one case.\n"
        "ctdc:  the CTDC global dataset (';'-separated) becomes statistical records.\n"
        "Rejected rows never stop an import; they are listed in the report (default\n"
        "FILE.rejected.tsv) as line, field and reason.\n";
    static const struct cmd_opt opts[] = {{"format", 1}, {"agency", 1}, {"report", 1}, {NULL, 0}};
    struct cmd_ctx c = {0};
    struct xopts o = {0};
    int i = cmd_parse(argc, argv, &c, opts, x_opt, &o, help);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (!o.format || i >= argc) {
        cmd_err("import needs --format htcds|ctdc and a FILE");
        return EXIT_USAGE;
    }
    int ctdc = strcmp(o.format, "ctdc") == 0;
    if (!ctdc && strcmp(o.format, "htcds") != 0) {
        cmd_err("unknown import format '%s' (htcds or ctdc)", o.format);
        return EXIT_USAGE;
    }
    if (!ctdc && !o.agency) {
        cmd_err("an HTCDS import needs --agency CODE: the agency that will own the cases");
        return EXIT_USAGE;
    }
    const char *file = argv[i];
    if (access(file, R_OK) != 0) {
        cmd_err("cannot read %s", file);
        return EXIT_FAIL;
    }
    struct vkey key;
    if (!ctdc && cmd_key(&c, &key))
        return EXIT_FAIL;
    struct store *st = cmd_store(&c);
    if (!st)
        return EXIT_FAIL;
    struct org g = {0};
    if (!ctdc && store_org_by_code(st, o.agency, &g)) {
        cmd_err("unknown agency '%s' (see 'vigil org list')", o.agency);
        store_close(st);
        return EXIT_FAIL;
    }
    char report[4200];
    snprintf(report, sizeof report, "%s", o.report ? o.report : "");
    if (!o.report)
        snprintf(report, sizeof report, "%s.rejected.tsv", file);
    struct import_report rep = {0};
    rep.rejects = fopen(report, "w");
    if (!rep.rejects) {
        cmd_err("cannot write the report %s", report);
        store_close(st);
        return EXIT_FAIL;
    }
    fputs("line\tfield\treason\n", rep.rejects);
    rep.progress = isatty(STDERR_FILENO);
    int rc = ctdc ? ctdc_import(st, file, "cli", &rep)
                  : htcds_import(st, &key, file, g.id, 0, "cli", &rep);
    fclose(rep.rejects);
    if (rc) {
        cmd_err("%s", rep.err[0] ? rep.err : store_errmsg(st));
        store_close(st);
        return EXIT_FAIL;
    }
    if (ctdc)
        printf("read %" PRId64 " rows: %" PRId64 " imported as dataset %" PRId64 ", %" PRId64
               " rejected (report: %s)\n",
               rep.read, rep.imported, rep.dataset_id, rep.rejected, report);
    else
        printf("read %" PRId64 " rows: %" PRId64 " persons imported into %" PRId64
               " cases, %" PRId64 " rejected (report: %s)\n",
               rep.read, rep.imported, rep.cases, rep.rejected, report);
    store_close(st);
    return EXIT_OK;
}

int cmd_export(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil export --format htcds|json -o FILE\n"
        "A de-identified export of every person as an HTCDS record: no names, birth dates,\n"
        "identity numbers, contacts, addresses or free text; the case is a keyed pseudonym\n"
        "(case_ref) and its opening date is cut to the month. htcds writes CSV with\n"
        "multi-selects ';'-separated; json writes {\"records\": [...]}.\n";
    static const struct cmd_opt opts[] = {{"format", 1}, {"output", 1}, {NULL, 0}};
    struct xopts o = {0};
    take_short_o(&argc, argv, &o);
    struct cmd_ctx c = {0};
    int i = cmd_parse(argc, argv, &c, opts, x_opt, &o, help);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (!o.format || !o.out) {
        cmd_err("export needs --format htcds|json and -o FILE");
        return EXIT_USAGE;
    }
    int fmt;
    if (strcmp(o.format, "htcds") == 0)
        fmt = XFMT_CSV;
    else if (strcmp(o.format, "json") == 0)
        fmt = XFMT_JSON;
    else {
        cmd_err("unknown export format '%s' (htcds or json)", o.format);
        return EXIT_USAGE;
    }
    struct vkey key;
    if (cmd_key(&c, &key))
        return EXIT_FAIL;
    struct store *st = cmd_store(&c);
    if (!st)
        return EXIT_FAIL;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.part", o.out);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        cmd_err("cannot write %s", o.out);
        store_close(st);
        return EXIT_FAIL;
    }
    int64_t rows = 0;
    int rc = htcds_export(st, &key, fmt, f, &rows);
    if (fclose(f) != 0 && !rc)
        rc = VIGIL_EIO;
    char detail[64];
    snprintf(detail, sizeof detail, "format=%s rows=%" PRId64, o.format, rows);
    if (!rc)
        rc = audit_record(st, 0, "cli", "export", "persons", detail);
    if (!rc && rename(tmp, o.out) != 0)
        rc = VIGIL_EIO;
    if (rc) {
        unlink(tmp);
        cmd_err("export failed: %s", rc == VIGIL_EIO ? "cannot write the file" : store_errmsg(st));
    } else {
        printf("exported %" PRId64 " records to %s\n", rows, o.out);
    }
    store_close(st);
    return rc ? EXIT_FAIL : EXIT_OK;
}
