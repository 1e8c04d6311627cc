/* vigil report: the committee's packs (plenary, tip) and the draft response to the TIP
 * report (tip-response) as files; see docs/vigil.1. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "report/pack.h"
#include "report/report.h"
#include "report/stats.h"
#include "report/tipresponse.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/i18n.h"

struct ropts {
    const char *month, *year, *format, *lang, *k, *out;
};

static int r_opt(void *ud, const char *name, const char *arg)
{
    struct ropts *o = ud;
    if (strcmp(name, "month") == 0)
        o->month = arg;
    else if (strcmp(name, "year") == 0)
        o->year = arg;
    else if (strcmp(name, "format") == 0)
        o->format = arg;
    else if (strcmp(name, "lang") == 0)
        o->lang = arg;
    else if (strcmp(name, "k") == 0)
        o->k = arg;
    else if (strcmp(name, "output") == 0)
        o->out = arg;
    else
        return -1;
    return 0;
}

/* Accept the short "-o FILE" as well as "--output FILE". */
static void take_short_o(int *argc, char **argv, struct ropts *o)
{
    for (int k = 1; k + 1 < *argc; k++)
        if (strcmp(argv[k], "-o") == 0) {
            o->out = argv[k + 1];
            for (int j = k; j + 2 <= *argc; j++)
                argv[j] = argv[j + 2];
            *argc -= 2;
            return;
        }
}

static int one_of(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* Write data to path through a temporary file beside it, so a failed run
 * never leaves half a pack under the name asked for. */
static int write_file(const char *path, const struct buf *b)
{
    char tmp[4200];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.part", path) >= sizeof tmp)
        return VIGIL_EIO;
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return VIGIL_EIO;
    int ok = fwrite(b->p ? b->p : "", 1, b->len, f) == b->len;
    if (fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp, path) == 0)
        return VIGIL_OK;
    unlink(tmp);
    return VIGIL_EIO;
}

static int report_pack(int argc, char **argv, int tip)
{
    static const char help_plenary[] =
        "usage: vigil report plenary --month YYYY-MM --format html|pdf|xlsx [--lang "
        "zh-Hant|pt|en]\n"
        "                            [--k K] -o FILE\n"
        "The monthly plenary pack: the month's figures against the month before and the same\n"
        "month a year earlier, ten years of trends, every table (counts from 1 to K-1 are\n"
        "suppressed; K defaults to 3), the state of every open measure (overdue ones marked),\n"
        "the month's activities and its meeting.\n";
    static const char help_tip[] =
        "usage: vigil report tip --year YYYY --format pdf|xlsx|json [--lang zh-Hant|pt|en]\n"
        "                        [--k K] -o FILE\n"
        "The annual data pack for the US Trafficking in Persons Report, over its reporting\n"
        "period (1 April YYYY-1 to 31 March YYYY): investigations, prosecutions and\n"
        "convictions split by sexual and labour exploitation, statutes, sentences, victims by\n"
        "sex, age and citizenship, referrals and services, officials trained and prevention\n"
        "activities. json writes the pack's model (docs/api.md).\n";
    static const struct cmd_opt opts[] = {{"month", 1}, {"year", 1},   {"format", 1}, {"lang", 1},
                                          {"k", 1},     {"output", 1}, {NULL, 0}};
    static const char *const plenary_formats[] = {"html", "pdf", "xlsx", NULL};
    static const char *const tip_formats[] = {"pdf", "xlsx", "json", NULL};
    struct ropts o = {0};
    take_short_o(&argc, argv, &o);
    struct cmd_ctx c = {0};
    int i = cmd_parse(argc, argv, &c, opts, r_opt, &o, tip ? help_tip : help_plenary);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (i < argc) {
        cmd_err("unexpected operand '%s' (see --help)", argv[i]);
        return EXIT_USAGE;
    }
    if ((tip ? !o.year : !o.month) || !o.format || !o.out) {
        cmd_err(tip ? "report tip needs --year YYYY, --format pdf|xlsx|json and -o FILE"
                    : "report plenary needs --month YYYY-MM, --format html|pdf|xlsx and -o FILE");
        return EXIT_USAGE;
    }
    if (!one_of(o.format, tip ? tip_formats : plenary_formats)) {
        cmd_err("unknown format '%s' (%s)", o.format,
                tip ? "pdf, xlsx or json" : "html, pdf or xlsx");
        return EXIT_USAGE;
    }
    int lang = o.lang ? i18n_parse(o.lang) : LANG_DEFAULT;
    if (lang < 0) {
        cmd_err("unknown language '%s' (zh-Hant, pt or en)", o.lang);
        return EXIT_USAGE;
    }
    int k = STATS_K_DEFAULT;
    if (o.k && parse_int(o.k, 1, 1000, &k)) {
        cmd_err("--k must be an integer from 1 to 1000");
        return EXIT_FAIL;
    }
    cmd_defaults(&c);
    struct store *st = cmd_store(&c);
    if (!st)
        return EXIT_FAIL;
    char msg[256] = "";
    json_t *pack = NULL;
    int64_t now = time_now();
    int rc = tip ? tip_build(st, o.year, lang, k, now, &pack, msg, sizeof msg)
                 : plenary_build(st, o.month, lang, k, now, &pack, msg, sizeof msg);
    struct buf b;
    buf_init(&b, (size_t)256 << 20);
    if (!rc)
        rc = pack_render(pack, o.format, &b, msg, sizeof msg);
    if (!rc) {
        /* A pack leaves the committee: say so in the audit log, before it is written. */
        char obj[64], detail[96];
        snprintf(obj, sizeof obj, "report:%s:%s", tip ? "tip" : "plenary", tip ? o.year : o.month);
        snprintf(detail, sizeof detail, "format=%s lang=%s k=%d", o.format, i18n_code(lang), k);
        rc = audit_record(st, 0, "cli", tip ? "report.tip" : "report.plenary", obj, detail);
        if (rc)
            snprintf(msg, sizeof msg, "cannot record the report in the audit log: %s",
                     store_errmsg(st));
    }
    if (!rc && (rc = write_file(o.out, &b)) != VIGIL_OK)
        snprintf(msg, sizeof msg, "cannot write %s", o.out);
    if (rc) {
        if (!msg[0])
            snprintf(msg, sizeof msg, "%s",
                     rc == VIGIL_ESTORE ? store_errmsg(st) : vigil_strerror(rc));
        cmd_err("report failed: %s", msg);
    } else {
        printf("wrote the %s pack (%s, %zu bytes) to %s\n", tip ? "TIP" : "plenary", o.format,
               buf_len(&b), o.out);
    }
    buf_free(&b);
    json_decref(pack);
    store_close(st);
    return rc ? EXIT_FAIL : EXIT_OK;
}

/* The draft response to a year's TIP report (report/tipresponse.h). */
static int report_response(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil report tip-response --year YYYY --format html|pdf|txt [--lang "
        "zh-Hant|pt|en]\n"
        "                                 [--k K] -o FILE\n"
        "The draft of the government's response to that year's TIP report: for each\n"
        "recommendation the measures that answer it and the figures that evidence it (live,\n"
        "counts from 1 to K-1 suppressed; K defaults to 3), the committee's position where it\n"
        "disputes a claim, and the measures that continue.\n";
    static const struct cmd_opt opts[] = {{"year", 1}, {"format", 1}, {"lang", 1},
                                          {"k", 1},    {"output", 1}, {NULL, 0}};
    static const char *const formats[] = {"html", "pdf", "txt", NULL};
    struct ropts o = {0};
    take_short_o(&argc, argv, &o);
    struct cmd_ctx c = {0};
    int i = cmd_parse(argc, argv, &c, opts, r_opt, &o, help);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (i < argc) {
        cmd_err("unexpected operand '%s' (see --help)", argv[i]);
        return EXIT_USAGE;
    }
    if (!o.year || !o.format || !o.out) {
        cmd_err("report tip-response needs --year YYYY, --format html|pdf|txt and -o FILE");
        return EXIT_USAGE;
    }
    if (!one_of(o.format, formats)) {
        cmd_err("unknown format '%s' (html, pdf or txt)", o.format);
        return EXIT_USAGE;
    }
    int lang = o.lang ? i18n_parse(o.lang) : LANG_DEFAULT;
    if (lang < 0) {
        cmd_err("unknown language '%s' (zh-Hant, pt or en)", o.lang);
        return EXIT_USAGE;
    }
    int year = 0, k = STATS_K_DEFAULT;
    if (parse_int(o.year, 2001, 2200, &year)) {
        cmd_err("--year must be a year such as 2026");
        return EXIT_FAIL;
    }
    if (o.k && parse_int(o.k, 1, 1000, &k)) {
        cmd_err("--k must be an integer from 1 to 1000");
        return EXIT_FAIL;
    }
    cmd_defaults(&c);
    struct store *st = cmd_store(&c);
    if (!st)
        return EXIT_FAIL;
    char msg[256] = "";
    json_t *doc = NULL;
    int rc = tipresponse_build(st, year, lang, k, &doc, msg, sizeof msg);
    struct buf b;
    buf_init(&b, (size_t)64 << 20);
    if (!rc) {
        rc = strcmp(o.format, "html") == 0  ? tipresponse_html(doc, &b)
             : strcmp(o.format, "txt") == 0 ? tipresponse_txt(doc, &b)
                                            : tipresponse_pdf_buf(doc, &b);
        if (rc)
            snprintf(msg, sizeof msg, "the draft could not be written as %s", o.format);
    }
    if (!rc) {
        char obj[48], detail[96];
        snprintf(obj, sizeof obj, "report:tip-response:%d", year);
        snprintf(detail, sizeof detail, "format=%s lang=%s k=%d", o.format, i18n_code(lang), k);
        rc = audit_record(st, 0, "cli", "report.tip_response", obj, detail);
        if (rc)
            snprintf(msg, sizeof msg, "cannot record the report in the audit log: %s",
                     store_errmsg(st));
    }
    if (!rc && (rc = write_file(o.out, &b)) != VIGIL_OK)
        snprintf(msg, sizeof msg, "cannot write %s", o.out);
    if (rc)
        cmd_err("report failed: %s", msg[0] ? msg : vigil_strerror(rc));
    else
        printf("wrote the draft response to the %d TIP report (%s, %zu bytes) to %s\n", year,
               o.format, buf_len(&b), o.out);
    buf_free(&b);
    json_decref(doc);
    store_close(st);
    return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil report plenary|tip|tip-response [options] -o FILE\n"
        "  plenary --month YYYY-MM --format html|pdf|xlsx   the monthly plenary pack\n"
        "  tip --year YYYY --format pdf|xlsx|json            the annual TIP data pack\n"
        "  tip-response --year YYYY --format html|pdf|txt    the draft response to the TIP report\n"
        "Both take --lang zh-Hant|pt|en (default zh-Hant) and --k K (default 3).\n"
        "'vigil report plenary --help' says more.\n";
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "plenary") == 0)
        return report_pack(argc - 1, argv + 1, 0);
    if (strcmp(argv[1], "tip") == 0)
        return report_pack(argc - 1, argv + 1, 1);
    if (strcmp(argv[1], "tip-response") == 0)
        return report_response(argc - 1, argv + 1);
    cmd_err("unknown report '%s' (plenary, tip or tip-response)", argv[1]);
    return EXIT_USAGE;
}
