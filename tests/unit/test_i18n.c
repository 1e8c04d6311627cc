/* Unit tests for the interface languages (src/web/i18n.c): every string of
 * po/vigil.pot and every HTCDS label is translated in all three languages,
 * the .mo reader refuses damaged catalogues, negotiation and date formats.
 * Run from the repository root (tests/run-all does), where po/ is. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/htcds.h"
#include "util/err.h"
#include "web/assets.h"
#include "web/i18n.h"

/* Unescape the C-style body of a PO string ("...") into out. */
static void po_unquote(const char *s, char *out, size_t n)
{
    size_t k = 0;
    const char *end = strrchr(s, '"');
    for (s = strchr(s, '"') + 1; s < end && k + 1 < n; s++) {
        if (*s == '\\' && s + 1 < end) {
            s++;
            out[k++] = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
        } else {
            out[k++] = *s;
        }
    }
    out[k] = '\0';
}

/* Call fn for every msgid of po/vigil.pot (multi-line ones joined). */
static int each_pot_msgid(void (*fn)(const char *id, int *missing), int *missing)
{
    FILE *f = fopen("po/vigil.pot", "r");
    if (!f)
        return -1;
    char line[2048], id[4096] = "", part[2048], ctx[256] = "";
    int in_id = 0, count = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "msgctxt ", 8) == 0) {
            /* A context is looked up as "context\004msgid", as gettext stores it. */
            po_unquote(line + 8, ctx, sizeof ctx);
        } else if (strncmp(line, "msgid ", 6) == 0) {
            if (ctx[0]) {
                snprintf(id, sizeof id, "%s\004", ctx);
                po_unquote(line + 6, part, sizeof part);
                size_t used = strlen(id);
                snprintf(id + used, sizeof id - used, "%s", part);
                ctx[0] = '\0';
            } else {
                po_unquote(line + 6, id, sizeof id);
            }
            in_id = 1;
        } else if (line[0] == '"' && in_id) {
            po_unquote(line, part, sizeof part);
            size_t used = strlen(id);
            snprintf(id + used, sizeof id - used, "%s", part);
        } else if (strncmp(line, "msgstr ", 7) == 0) {
            if (in_id && id[0]) {
                fn(id, missing);
                count++;
            }
            in_id = 0;
        }
    }
    fclose(f);
    return count;
}

static void check_all_langs(const char *id, int *missing)
{
    for (int l = 0; l < LANG_COUNT; l++)
        if (!i18n_has(l, id)) {
            print_error("no %s translation for \"%s\"\n", i18n_code(l), id);
            (*missing)++;
        }
}

static void test_every_msgid_translated(void **state)
{
    (void)state;
    int missing = 0;
    int n = each_pot_msgid(check_all_langs, &missing);
    assert_true(n > 100); /* po/vigil.pot was found and read */
    assert_int_equal(missing, 0);
}

static void test_every_htcds_label_translated(void **state)
{
    (void)state;
    int missing = 0;
    for (const struct htcds_enum *e = htcds_enums; e->field; e++)
        for (size_t i = 0; e->labels[i]; i++)
            check_all_langs(e->labels[i], &missing);
    assert_int_equal(missing, 0);
}

static void test_translations_differ(void **state)
{
    (void)state;
    assert_string_equal(i18n_get(LANG_EN, "Cases"), "Cases");
    assert_string_equal(i18n_get(LANG_PT, "Cases"), "Casos");
    assert_string_equal(i18n_get(LANG_ZH, "Cases"), "個案");
    assert_string_equal(i18n_get(LANG_PT, "Feminine"), "Feminino");
    /* Unknown strings fall back to the msgid. */
    assert_string_equal(i18n_get(LANG_PT, "no such msgid"), "no such msgid");
    assert_false(i18n_has(LANG_PT, "no such msgid"));
    assert_string_equal(i18n_get(99, "Cases"), "個案");
}

static void test_negotiation(void **state)
{
    (void)state;
    assert_int_equal(i18n_parse("pt"), LANG_PT);
    assert_int_equal(i18n_parse("PT-br"), LANG_PT);
    assert_int_equal(i18n_parse("zh-Hant"), LANG_ZH);
    assert_int_equal(i18n_parse("zh-TW"), LANG_ZH);
    assert_int_equal(i18n_parse("zh-MO"), LANG_ZH);
    assert_int_equal(i18n_parse("zh-Hans"), -1);
    assert_int_equal(i18n_parse("zh-CN"), -1);
    assert_int_equal(i18n_parse("fr"), -1);
    assert_int_equal(i18n_parse("english"), -1);
    assert_int_equal(i18n_parse(""), -1);
    assert_int_equal(i18n_parse(NULL), -1);
    assert_int_equal(i18n_accept("fr-FR,fr;q=0.9,en;q=0.8,pt;q=0.7"), LANG_EN);
    assert_int_equal(i18n_accept("pt-PT, en;q=0.5"), LANG_PT);
    assert_int_equal(i18n_accept("en;q=0.2, zh-HK;q=0.9"), LANG_ZH);
    assert_int_equal(i18n_accept("de, fr"), -1);
    assert_int_equal(i18n_accept("en;q=0, pt;q=0.1"), LANG_PT);
    assert_int_equal(i18n_accept("*"), -1);
    assert_int_equal(i18n_accept(";;;,,,q=,"), -1);
    /* ?lang= beats the cookie, which beats Accept-Language; zh-Hant is the default. */
    assert_int_equal(i18n_negotiate("en", "pt", "pt"), LANG_EN);
    assert_int_equal(i18n_negotiate("xx", "pt", "en"), LANG_PT);
    assert_int_equal(i18n_negotiate(NULL, NULL, "en-GB"), LANG_EN);
    assert_int_equal(i18n_negotiate(NULL, "bogus", "de"), LANG_ZH);
    assert_int_equal(i18n_negotiate(NULL, NULL, NULL), LANG_ZH);
    assert_string_equal(i18n_code(LANG_ZH), "zh-Hant");
    assert_string_equal(i18n_code(LANG_PT), "pt");
    assert_string_equal(i18n_code(LANG_EN), "en");
}

static void test_dates(void **state)
{
    (void)state;
    char d[64];
    i18n_date(LANG_ZH, "2026-03-07", d, sizeof d);
    assert_string_equal(d, "2026年3月7日");
    i18n_date(LANG_PT, "2026-03-07", d, sizeof d);
    assert_string_equal(d, "07/03/2026");
    i18n_date(LANG_EN, "2026-03-07", d, sizeof d);
    assert_string_equal(d, "7 Mar 2026");
    i18n_date(LANG_EN, "2026-11-28T09:05:00Z", d, sizeof d);
    assert_string_equal(d, "28 Nov 2026 09:05 UTC");
    i18n_date(LANG_PT, "not a date", d, sizeof d);
    assert_string_equal(d, "not a date");
    i18n_date(LANG_PT, "2026-13-01", d, sizeof d);
    assert_string_equal(d, "2026-13-01");
    i18n_date(LANG_PT, NULL, d, sizeof d);
    assert_string_equal(d, "");
}

/* A .mo image of n sorted pairs, little-endian, for the reader's tests. */
static size_t make_mo(unsigned char *out, const char *const *orig, const char *const *tr, int n)
{
    uint32_t hdr[7] = {0x950412de, 0, (uint32_t)n, 28, (uint32_t)(28 + 8 * n), 0, 0};
    memcpy(out, hdr, sizeof hdr);
    size_t off = 28 + 16 * (size_t)n;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            const char *s = pass ? tr[i] : orig[i];
            uint32_t e[2] = {(uint32_t)strlen(s), (uint32_t)off};
            memcpy(out + 28 + (size_t)pass * 8 * n + 8 * (size_t)i, e, 8);
            memcpy(out + off, s, strlen(s) + 1);
            off += strlen(s) + 1;
        }
    return off;
}

static void test_mo_reader(void **state)
{
    (void)state;
    const char *orig[] = {"", "Cases", "Home"};
    const char *tr[] = {"Content-Type: text/plain; charset=UTF-8\n", "Casos", "Início"};
    unsigned char mo[512];
    size_t n = make_mo(mo, orig, tr, 3);
    struct mo m;
    assert_int_equal(mo_open(&m, mo, n), VIGIL_OK);
    assert_string_equal(mo_find(&m, "Cases"), "Casos");
    assert_string_equal(mo_find(&m, "Home"), "Início");
    assert_null(mo_find(&m, "Nope"));
    /* Truncated, wrong magic, strings out of bounds, unsorted: refused. */
    assert_int_equal(mo_open(&m, mo, n - 1), VIGIL_ECORRUPT);
    assert_int_equal(mo_open(&m, mo, 20), VIGIL_ECORRUPT);
    unsigned char bad[512];
    memcpy(bad, mo, n);
    bad[0] ^= 1;
    assert_int_equal(mo_open(&m, bad, n), VIGIL_ECORRUPT);
    memcpy(bad, mo, n);
    uint32_t huge = 0x7fffffff;
    memcpy(bad + 8, &huge, 4); /* n */
    assert_int_equal(mo_open(&m, bad, n), VIGIL_ECORRUPT);
    memcpy(bad, mo, n);
    memcpy(bad + 28 + 8 + 4, &huge, 4); /* offset of "Cases" */
    assert_int_equal(mo_open(&m, bad, n), VIGIL_ECORRUPT);
    const char *unsorted[] = {"", "Home", "Cases"};
    n = make_mo(bad, unsorted, tr, 3);
    assert_int_equal(mo_open(&m, bad, n), VIGIL_ECORRUPT);
    assert_int_equal(mo_open(&m, NULL, 0), VIGIL_ECORRUPT);
    /* Every embedded catalogue opens. */
    const char *names[] = {"locale/zh_Hant.mo", "locale/pt.mo", "locale/en.mo"};
    for (int i = 0; i < 3; i++) {
        const struct asset *a = asset_find(names[i]);
        assert_non_null(a);
        assert_int_equal(mo_open(&m, a->data, a->len), VIGIL_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_msgid_translated),
        cmocka_unit_test(test_every_htcds_label_translated),
        cmocka_unit_test(test_translations_differ),
        cmocka_unit_test(test_negotiation),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_mo_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
