/* Unit tests for the pack renderers (src/report/pack*.c) on a hand-written
 * model (tests/data/pack_plenary.json: Chinese text, suppressed cells, an
 * overdue measure with a hostile title): the PDF is read back with
 * pdftotext and rasterised with pdftoppm, the XLSX is unzipped and read
 * cell by cell with libxml2, the HTML is searched. Run from the repository
 * root (tests/run-all does). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cairo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "report/pack.h"
#include "util/err.h"
#include "web/i18n.h"

#define FIXTURE "tests/data/pack_plenary.json"

static json_t *fixture(const char *lang)
{
    json_error_t e;
    json_t *p = json_load_file(FIXTURE, 0, &e);
    if (!p)
        fail_msg("%s: %s", FIXTURE, e.text);
    json_object_set_new(p, "lang", json_string(lang));
    if (strcmp(lang, "zh-Hant") != 0)
        json_object_del(p, "title"); /* the default title, translated */
    return p;
}

static char *render(const json_t *pack, const char *format, size_t *len)
{
    struct buf b;
    buf_init(&b, 64 << 20);
    char msg[128] = "";
    int rc = pack_render(pack, format, &b, msg, sizeof msg);
    if (rc != VIGIL_OK)
        fail_msg("pack_render %s: %d %s", format, rc, msg);
    return buf_take(&b, len);
}

/* Write data to a new temporary file whose name ends in suffix. */
static void write_tmp(char *path, size_t n, const char *suffix, const char *data, size_t len)
{
    snprintf(path, n, "/tmp/vigil-pack-test-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}

/* The standard output of a shell command. */
static char *run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    struct buf b;
    buf_init(&b, 64 << 20);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    int rc = pclose(f);
    if (rc != 0)
        fail_msg("%s: exit %d", cmd, rc);
    size_t len;
    char *s = buf_take(&b, &len);
    return s ? s : strdup("");
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- translations and the model --------------------------------------------- */

static void test_every_label_translated(void **state)
{
    (void)state;
    int missing = 0;
    size_t n = 0;
    for (const char *id; (id = pack_msgid(n)) != NULL; n++)
        for (int l = 0; l < LANG_COUNT; l++)
            if (!i18n_has(l, id)) {
                const char *eot = strchr(id, '\004');
                print_error("no %s translation for \"%s\"\n", i18n_code(l), eot ? eot + 1 : id);
                missing++;
            }
    assert_true(n > 90);
    assert_int_equal(missing, 0);
    /* Context keeps the packs' words apart, and falls back to the msgid. */
    assert_string_equal(pack_tr(LANG_ZH, NC_("pack", "Overdue")), "逾期");
    assert_string_equal(pack_tr(LANG_PT, NC_("pack", "Overdue")), "Em atraso");
    assert_string_equal(pack_tr(LANG_PT, NC_("pack", "no such words")), "no such words");
    assert_string_equal(pack_row_label(LANG_ZH, "victims_by_sex", "Feminine"), "女性");
    assert_string_equal(pack_row_label(LANG_PT, "sentences", "10y+"), "10 anos ou mais");
    assert_string_equal(pack_row_label(LANG_EN, "victims_by_citizenship", "PH"), "PH");
}

static void test_bad_model(void **state)
{
    (void)state;
    static const struct {
        const char *patch, *field;
    } cases[] = {
        {"{\"kind\":\"weekly\"}", "kind"},
        {"{\"kind\":3}", "kind"},
        {"{\"lang\":\"fr\"}", "lang"},
        {"{\"period\":{\"from\":\"2026-13-01\",\"to\":\"2026-10-31\"}}", "period.from"},
        {"{\"period\":{\"from\":\"2026-10-01\",\"to\":\"31/10/2026\"}}", "period.to"},
        {"{\"stats\":[]}", "stats"},
        {"{\"stats\":{\"tables\":{}}}", "stats.tables"},
        {"{\"k\":0}", "k"},
        {"{\"k\":\"3\"}", "k"},
        {"{\"measures\":{}}", "measures"},
        {"{\"activities\":\"none\"}", "activities"},
        {"{\"meeting\":\"yesterday\"}", "meeting"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *p = fixture("en");
        json_t *patch = json_loads(cases[i].patch, 0, NULL);
        assert_non_null(patch);
        json_object_update(p, patch);
        json_decref(patch);
        struct buf b;
        buf_init(&b, 1 << 20);
        char msg[128] = "";
        assert_int_equal(pack_render(p, "html", &b, msg, sizeof msg), VIGIL_EINVAL);
        assert_int_equal(strncmp(msg, cases[i].field, strlen(cases[i].field)), 0);
        assert_int_equal(buf_len(&b), 0); /* nothing written */
        buf_free(&b);
        json_decref(p);
    }
    json_t *p = fixture("en");
    struct buf b;
    buf_init(&b, 1 << 20);
    char msg[128] = "";
    assert_int_equal(pack_render(p, "docx", &b, msg, sizeof msg), VIGIL_EINVAL);
    assert_non_null(strstr(msg, "format"));
    assert_int_equal(pack_render(NULL, "pdf", &b, msg, sizeof msg), VIGIL_EINVAL);
    /* A limit too small for the document is reported, not overrun. */
    buf_free(&b);
    buf_init(&b, 4096);
    assert_int_equal(pack_render(p, "pdf", &b, msg, sizeof msg), VIGIL_ETOOBIG);
    assert_int_equal(pack_render(p, "html", &b, msg, sizeof msg), VIGIL_ETOOBIG);
    buf_free(&b);
    json_decref(p);
}

static void test_changes(void **state)
{
    (void)state;
    char s[48];
    json_t *a = json_integer(12), *b = json_integer(10), *z = json_integer(0), *n = json_null();
    pack_change(a, b, s, sizeof s);
    assert_string_equal(s, "+2 (+20%)");
    pack_change(b, a, s, sizeof s);
    assert_string_equal(s, "-2 (-17%)");
    pack_change(a, z, s, sizeof s);
    assert_string_equal(s, "+12");
    pack_change(a, a, s, sizeof s);
    assert_string_equal(s, "0");
    pack_change(a, n, s, sizeof s); /* nothing can be said against a suppressed figure */
    assert_string_equal(s, "");
    pack_change(a, NULL, s, sizeof s);
    assert_string_equal(s, "");
    pack_cell(n, s, sizeof s);
    assert_string_equal(s, PACK_SUPPRESSED);
    pack_cell(a, s, sizeof s);
    assert_string_equal(s, "12");
    json_decref(a);
    json_decref(b);
    json_decref(z);
    json_decref(n);
}

/* ---- HTML ------------------------------------------------------------------------ */

static void test_html(void **state)
{
    (void)state;
    json_t *p = fixture("zh-Hant");
    size_t len;
    char *h = render(p, "html", &len);
    assert_non_null(strstr(h, "<html lang=\"zh-Hant\">"));
    assert_non_null(strstr(h, "<h1>全體會議檢討資料：二〇二六年十月</h1>"));
    assert_non_null(strstr(h, "阻嚇販賣人口措施關注委員會"));
    assert_non_null(strstr(h, "主要數字"));
    assert_non_null(strstr(h, ">按性別劃分的受害者</h3>"));
    assert_non_null(strstr(h, "<th scope=\"row\">女性</th>"));
    /* Three charts, inline SVG, each with its own ids; no script at all. */
    assert_int_equal(count(h, "<svg xmlns=\"http://www.w3.org/2000/svg\""), 3);
    assert_non_null(strstr(h, "id=\"trend0-title\">每年個案</title>"));
    assert_non_null(strstr(h, "id=\"trend2-title\""));
    assert_null(strstr(h, "<script"));
    assert_non_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    /* Suppressed cells are marked and explained. */
    assert_true(count(h, "<td class=\"num sup\"><abbr title=\"不予公布\">x</abbr></td>") >= 3);
    assert_non_null(strstr(h, "少於 k 的數字不予公布"));
    /* The overdue measure stands out, the others do not. */
    assert_int_equal(count(h, "<tr class=\"overdue\">"), 1);
    assert_non_null(strstr(h, "<span class=\"badge\">逾期</span>"));
    assert_non_null(strstr(h, "進行中"));
    assert_non_null(strstr(h, "建築工地聯合巡查"));
    assert_non_null(strstr(h, "第四次全體會議"));
    /* Every inline chart is well-formed XML on its own. */
    for (const char *s = strstr(h, "<svg "); s; s = strstr(s + 1, "<svg ")) {
        const char *e = strstr(s, "</svg>");
        assert_non_null(e);
        char path[64], cmd[128];
        write_tmp(path, sizeof path, ".svg", s, (size_t)(e + 6 - s));
        snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
        assert_int_equal(system(cmd), 0);
        unlink(path);
    }
    free(h);
    json_decref(p);

    p = fixture("en");
    h = render(p, "html", &len);
    assert_non_null(strstr(h, "<h1>Plenary review and assessment pack</h1>"));
    assert_non_null(strstr(h, "Key figures"));
    assert_non_null(strstr(h, ">Victims by sex</h3>"));
    assert_non_null(strstr(h, "<span class=\"badge\">Overdue</span>"));
    free(h);
    json_decref(p);

    p = fixture("pt");
    h = render(p, "html", &len);
    assert_non_null(strstr(h, "Principais números"));
    assert_non_null(strstr(h, ">Vítimas por sexo</h3>"));
    assert_non_null(strstr(h, "<th scope=\"row\">Feminino</th>"));
    free(h);
    json_decref(p);
}

/* ---- PDF --------------------------------------------------------------------------- */

static char *pdf_text(const char *pdf, size_t len, char *path, size_t n)
{
    write_tmp(path, n, ".pdf", pdf, len);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", path);
    return run(cmd);
}

static void test_pdf_text(void **state)
{
    (void)state;
    static const struct {
        const char *lang;
        const char *want[8];
    } langs[] = {
        {"zh-Hant",
         {"全體會議檢討資料", "主要數字", "按性別劃分的受害者", "逾期", "每年個案", "女性",
          "建築工地聯合巡查", NULL}},
        {"pt",
         {"Dossiê de revisão e avaliação do plenário", "Principais números", "Vítimas por sexo",
          "Em atraso", "Casos por ano", "Feminino", "建築工地聯合巡查", NULL}},
        {"en",
         {"Plenary review and assessment pack", "Key figures", "Victims by sex", "Overdue",
          "Cases by year", "Feminine", "Identifying victims", NULL}},
    };
    for (size_t i = 0; i < 3; i++) {
        json_t *p = fixture(langs[i].lang);
        size_t len;
        char *pdf = render(p, "pdf", &len);
        assert_memory_equal(pdf, "%PDF-", 5);
        char path[64];
        char *txt = pdf_text(pdf, len, path, sizeof path);
        for (size_t k = 0; langs[i].want[k]; k++)
            if (!strstr(txt, langs[i].want[k]))
                fail_msg("%s: \"%s\" not in the PDF's text", langs[i].lang, langs[i].want[k]);
        /* The hostile title is plain text in a PDF. */
        assert_non_null(strstr(txt, "<script>alert(1)</script>"));
        /* Cover, summary, trends, tables, measures: at least five pages. */
        assert_true(count(txt, "\f") >= 5);
        free(txt);
        unlink(path);
        free(pdf);
        json_decref(p);
    }
}

/* Pixels of a PNG that are not white, and those close to rgb. */
static void png_pixels(const char *path, int rgb, long *ink, long *near)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    assert_true(w > 100 && h > 100);
    *ink = *near = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t px;
            memcpy(&px, d + y * stride + x * 4, 4);
            int r = (px >> 16) & 0xFF, g = (px >> 8) & 0xFF, b = px & 0xFF;
            if (r < 240 || g < 240 || b < 240)
                (*ink)++;
            if (abs(r - ((rgb >> 16) & 0xFF)) < 40 && abs(g - ((rgb >> 8) & 0xFF)) < 40 &&
                abs(b - (rgb & 0xFF)) < 40)
                (*near)++;
        }
    cairo_surface_destroy(s);
}

static void test_pdf_pixels(void **state)
{
    (void)state;
    json_t *p = fixture("zh-Hant");
    size_t len;
    char *pdf = render(p, "pdf", &len);
    char path[64], cmd[256], png[80];
    write_tmp(path, sizeof path, ".pdf", pdf, len);
    /* Page 3 holds the charts, drawn from chart.c's SVG by librsvg. */
    snprintf(cmd, sizeof cmd, "pdftoppm -r 30 -png -f 3 -l 3 -singlefile %s %s-p3", path, path);
    assert_int_equal(system(cmd), 0);
    snprintf(png, sizeof png, "%s-p3.png", path);
    long ink, navy;
    png_pixels(png, 0x1b2a49, &ink, &navy);
    long total = (long)(595.28 * 30 / 72) * (long)(841.89 * 30 / 72);
    assert_true(ink > total / 50); /* not blank */
    assert_true(navy > 50);        /* the first series' colour is there */
    unlink(png);
    /* The cover is not blank either (title, band, notice). */
    snprintf(cmd, sizeof cmd, "pdftoppm -r 30 -png -f 1 -l 1 -singlefile %s %s-p1", path, path);
    assert_int_equal(system(cmd), 0);
    snprintf(png, sizeof png, "%s-p1.png", path);
    png_pixels(png, 0x1b2a49, &ink, &navy);
    assert_true(ink > total / 200);
    unlink(png);
    unlink(path);
    free(pdf);
    json_decref(p);
}

/* ---- XLSX -------------------------------------------------------------------------- */

struct xlsx {
    char path[64];
    char names[64][160]; /* sheet names, in order */
    int n_sheets;
    char **strings; /* the shared strings */
    int n_strings;
};

static char *unzip(const struct xlsx *x, const char *member)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "unzip -p %s %s", x->path, member);
    return run(cmd);
}

static xmlDoc *parse(const char *xml)
{
    xmlDoc *d = xmlReadMemory(xml, (int)strlen(xml), "x.xml", "UTF-8", XML_PARSE_NONET);
    assert_non_null(d);
    return d;
}

/* The text of an <si>: its <t> elements (rich text has several). */
static void si_text(xmlNode *si, struct buf *b)
{
    for (xmlNode *n = si->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "t") == 0) {
            xmlChar *t = xmlNodeGetContent(n);
            buf_puts(b, (const char *)t);
            xmlFree(t);
        } else {
            si_text(n, b);
        }
    }
}

static void xlsx_open(struct xlsx *x, const char *data, size_t len)
{
    memset(x, 0, sizeof *x);
    write_tmp(x->path, sizeof x->path, ".xlsx", data, len);
    char *wb = unzip(x, "xl/workbook.xml");
    xmlDoc *d = parse(wb);
    for (xmlNode *n = xmlDocGetRootElement(d)->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "sheets") == 0)
            for (xmlNode *s = n->children; s; s = s->next)
                if (s->type == XML_ELEMENT_NODE && x->n_sheets < 64) {
                    xmlChar *name = xmlGetProp(s, (const xmlChar *)"name");
                    snprintf(x->names[x->n_sheets++], sizeof x->names[0], "%s", (char *)name);
                    xmlFree(name);
                }
    xmlFreeDoc(d);
    free(wb);
    char *ss = unzip(x, "xl/sharedStrings.xml");
    d = parse(ss);
    for (xmlNode *n = xmlDocGetRootElement(d)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        struct buf b;
        buf_init(&b, 1 << 16);
        si_text(n, &b);
        x->strings = realloc(x->strings, sizeof *x->strings * (size_t)(x->n_strings + 1));
        x->strings[x->n_strings++] = strdup(buf_cstr(&b));
        buf_free(&b);
    }
    xmlFreeDoc(d);
    free(ss);
}

static void xlsx_close(struct xlsx *x)
{
    for (int i = 0; i < x->n_strings; i++)
        free(x->strings[i]);
    free(x->strings);
    unlink(x->path);
}

static int sheet_index(const struct xlsx *x, const char *name)
{
    for (int i = 0; i < x->n_sheets; i++)
        if (strcmp(x->names[i], name) == 0)
            return i;
    fail_msg("no sheet \"%s\"", name);
    return -1;
}

enum { CELL_NONE, CELL_NUMBER, CELL_STRING };

/* The cell at ref ("C2") of the named sheet: its type, and its text or
 * number. */
static int cell(const struct xlsx *x, const char *sheet, const char *ref, char *text, size_t n,
                double *num)
{
    char member[64];
    snprintf(member, sizeof member, "xl/worksheets/sheet%d.xml", sheet_index(x, sheet) + 1);
    char *xml = unzip(x, member);
    xmlDoc *d = parse(xml);
    int type = CELL_NONE;
    for (xmlNode *sd = xmlDocGetRootElement(d)->children; sd; sd = sd->next) {
        if (sd->type != XML_ELEMENT_NODE || strcmp((const char *)sd->name, "sheetData") != 0)
            continue;
        for (xmlNode *row = sd->children; row; row = row->next)
            for (xmlNode *c = row->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE)
                    continue;
                xmlChar *r = xmlGetProp(c, (const xmlChar *)"r");
                xmlChar *t = xmlGetProp(c, (const xmlChar *)"t");
                if (r && strcmp((const char *)r, ref) == 0) {
                    xmlChar *v = NULL;
                    for (xmlNode *k = c->children; k; k = k->next)
                        if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, "v") == 0)
                            v = xmlNodeGetContent(k);
                    if (v && t && strcmp((const char *)t, "s") == 0) {
                        int i = atoi((const char *)v);
                        assert_true(i >= 0 && i < x->n_strings);
                        snprintf(text, n, "%s", x->strings[i]);
                        type = CELL_STRING;
                    } else if (v && !t) {
                        *num = strtod((const char *)v, NULL);
                        type = CELL_NUMBER;
                    }
                    xmlFree(v);
                }
                xmlFree(r);
                xmlFree(t);
            }
    }
    xmlFreeDoc(d);
    free(xml);
    return type;
}

static void assert_str_cell(const struct xlsx *x, const char *sheet, const char *ref,
                            const char *want)
{
    char t[1024] = "";
    double v;
    int type = cell(x, sheet, ref, t, sizeof t, &v);
    if (type != CELL_STRING || strcmp(t, want) != 0)
        fail_msg("%s!%s: want text \"%s\", got type %d \"%s\"", sheet, ref, want, type, t);
}

static void assert_num_cell(const struct xlsx *x, const char *sheet, const char *ref, double want)
{
    char t[1024] = "";
    double v = -1;
    int type = cell(x, sheet, ref, t, sizeof t, &v);
    if (type != CELL_NUMBER || v != want)
        fail_msg("%s!%s: want the number %g, got type %d (%g, \"%s\")", sheet, ref, want, type, v,
                 t);
}

static void assert_empty_cell(const struct xlsx *x, const char *sheet, const char *ref)
{
    char t[1024] = "";
    double v;
    assert_int_equal(cell(x, sheet, ref, t, sizeof t, &v), CELL_NONE);
}

static void test_xlsx_cells(void **state)
{
    (void)state;
    json_t *p = fixture("zh-Hant");
    size_t len;
    char *data = render(p, "xlsx", &len);
    assert_memory_equal(data, "PK", 2);
    struct xlsx x;
    xlsx_open(&x, data, len);
    assert_string_equal(x.names[0], "摘要");
    const char *s = "按性別劃分的受害者";
    /* Header row. */
    assert_str_cell(&x, s, "A1", "項目");
    assert_str_cell(&x, s, "B1", "代碼");
    assert_str_cell(&x, s, "C1", "本期");
    assert_str_cell(&x, s, "D1", "上期");
    assert_str_cell(&x, s, "E1", "去年同期");
    /* Rows in the model's order, figures as numbers. */
    assert_str_cell(&x, s, "A2", "女性");
    assert_str_cell(&x, s, "B2", "Feminine");
    assert_num_cell(&x, s, "C2", 14);
    assert_num_cell(&x, s, "D2", 11);
    assert_num_cell(&x, s, "E2", 16);
    assert_str_cell(&x, s, "A3", "男性");
    assert_str_cell(&x, s, "C3", PACK_SUPPRESSED); /* suppressed: the mark, as text */
    assert_num_cell(&x, s, "D3", 4);
    assert_str_cell(&x, s, "C4", PACK_SUPPRESSED);
    assert_num_cell(&x, s, "D4", 0); /* zero is shown */
    assert_str_cell(&x, s, "A5", "總數");
    assert_num_cell(&x, s, "C5", 18);
    assert_num_cell(&x, s, "E5", 22);
    /* The note rows under the table say what the mark means. */
    char t[1024] = "";
    double v;
    assert_int_equal(cell(&x, s, "A9", t, sizeof t, &v), CELL_STRING);
    assert_non_null(strstr(t, "x = 不予公布"));
    assert_non_null(strstr(t, "k = 3"));

    /* A table of several columns: three figures per column. */
    const char *legal = "調查、檢控及定罪";
    assert_str_cell(&x, legal, "C1", "性剝削 \xE2\x80\x94 本期");
    assert_str_cell(&x, legal, "A2", "調查");
    assert_num_cell(&x, legal, "C2", 6);  /* sexual, this period */
    assert_num_cell(&x, legal, "D2", 5);  /* sexual, previous */
    assert_num_cell(&x, legal, "I2", 0);  /* other, this period */
    assert_num_cell(&x, legal, "L2", 11); /* total, this period */
    assert_num_cell(&x, legal, "N2", 14); /* total, a year earlier */

    /* Summary: key figures with numeric changes; none against a suppressed figure. */
    assert_str_cell(&x, "摘要", "A9", "新個案");
    assert_num_cell(&x, "摘要", "B9", 19);
    assert_num_cell(&x, "摘要", "D9", 7);
    assert_num_cell(&x, "摘要", "F9", -5);
    assert_num_cell(&x, "摘要", "B5", 3); /* k */

    /* Trends: one sheet each, periods down, series across, gaps marked. */
    assert_str_cell(&x, "每年個案", "A1", "期間");
    assert_str_cell(&x, "每年個案", "B1", "販賣人口");
    assert_str_cell(&x, "每年個案", "A2", "2017");
    assert_num_cell(&x, "每年個案", "B2", 160);
    assert_str_cell(&x, "每年個案", "C7", PACK_SUPPRESSED);

    /* Measures: overdue marked; activities: numbers. */
    assert_str_cell(&x, "措施", "A1", "措施");
    assert_str_cell(&x, "措施", "A2",
                    "修訂《打擊販賣人口犯罪》法律的建議 <script>alert(1)</script>");
    assert_str_cell(&x, "措施", "E2", "逾期");
    assert_empty_cell(&x, "措施", "E3");
    assert_str_cell(&x, "措施", "D4", "已完成");
    assert_str_cell(&x, "本期活動", "B2", "巡查");
    assert_num_cell(&x, "本期活動", "E2", 12);
    assert_num_cell(&x, "本期活動", "F2", 230);
    assert_num_cell(&x, "本期活動", "G3", 40);
    assert_str_cell(&x, "會議", "C1", "第四次全體會議");
    xlsx_close(&x);
    free(data);
    json_decref(p);
}

/* Sheet names: at most 31 characters, none of []:*?/\, unique. */
static void test_xlsx_sheet_names(void **state)
{
    (void)state;
    for (int l = 0; l < LANG_COUNT; l++) {
        json_t *p = fixture(i18n_code(l));
        /* Two tables whose names collide once cut, and one with bad characters. */
        json_t *tables = json_object_get(json_object_get(p, "stats"), "tables");
        json_array_append_new(tables, json_pack("{s:s, s:[s], s:[], s:{s:[i]}}", "id",
                                                "some_new_table_with_a_very_long_name_1", "columns",
                                                "count", "rows", "total", "values", 1));
        json_array_append_new(tables, json_pack("{s:s, s:[s], s:[], s:{s:[i]}}", "id",
                                                "some_new_table_with_a_very_long_name_2", "columns",
                                                "count", "rows", "total", "values", 2));
        json_array_append_new(tables,
                              json_pack("{s:s, s:[s], s:[], s:{s:[i]}}", "id", "a/b:c*d?[e]",
                                        "columns", "count", "rows", "total", "values", 3));
        size_t len;
        char *data = render(p, "xlsx", &len);
        struct xlsx x;
        xlsx_open(&x, data, len);
        assert_true(x.n_sheets >= 14);
        for (int i = 0; i < x.n_sheets; i++) {
            size_t cps = 0;
            for (const unsigned char *c = (const unsigned char *)x.names[i]; *c; c++)
                cps += (*c & 0xC0) != 0x80;
            assert_true(cps >= 1 && cps <= 31);
            assert_null(strpbrk(x.names[i], "[]:*?/\\"));
            for (int j = 0; j < i; j++)
                assert_int_not_equal(strcasecmp(x.names[i], x.names[j]), 0);
        }
        sheet_index(&x, "some_new_table_with_a_very_long");
        sheet_index(&x, "some_new_table_with_a_very_ (2)");
        sheet_index(&x, "a b c d  e");
        if (l == LANG_EN)
            sheet_index(&x, "Investigations, prosecutions an");
        xlsx_close(&x);
        free(data);
        json_decref(p);
    }
}

static void test_json_and_sections(void **state)
{
    (void)state;
    /* A TIP pack without measures or meeting: those sections are left out. */
    json_t *p = fixture("en");
    json_object_set_new(p, "kind", json_string("tip"));
    json_object_del(p, "measures");
    json_object_del(p, "meeting");
    json_object_set_new(p, "activities", json_array());
    size_t len;
    char *h = render(p, "html", &len);
    assert_non_null(strstr(h, "<h1>Annual data for the Trafficking in Persons Report</h1>"));
    assert_null(strstr(h, "id=\"measures\""));
    assert_null(strstr(h, "id=\"meeting\""));
    assert_non_null(strstr(h, "No activities in this period."));
    /* The TIP order puts the legal tables first. */
    assert_true(strstr(h, ">Investigations, prosecutions and convictions</h3>") <
                strstr(h, ">Cases by category</h3>"));
    free(h);
    char *j = render(p, "json", &len);
    json_t *back = json_loads(j, 0, NULL);
    assert_non_null(back);
    assert_true(json_equal(back, p));
    json_decref(back);
    free(j);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_label_translated),
        cmocka_unit_test(test_bad_model),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_pdf_text),
        cmocka_unit_test(test_pdf_pixels),
        cmocka_unit_test(test_xlsx_cells),
        cmocka_unit_test(test_xlsx_sheet_names),
        cmocka_unit_test(test_json_and_sections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
