/* Unit tests for the SVG charts (src/report/chart.c): every kind is
 * well-formed XML (checked by xmllint), ticks are round, hostile labels are
 * inert, suppressed values leave gaps with a note, and stacked bars carry
 * their totals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "report/chart.h"
#include "util/err.h"

static const char *const years[] = {"2017", "2018", "2019", "2020", "2021",
                                    "2022", "2023", "2024", "2025", "2026"};

static char *render(const struct chart *c)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(chart_svg(&b, c), VIGIL_OK);
    size_t n;
    return buf_take(&b, &n);
}

/* 1 when xmllint accepts the document as well-formed XML. */
static int well_formed(const char *svg)
{
    char path[] = "/tmp/vigil-chart-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(svg);
    assert_int_equal(write(fd, svg, n), (ssize_t)n);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "xmllint --noout %s 2>/dev/null", path);
    int rc = system(cmd);
    unlink(path);
    return rc == 0;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_axis(void **state)
{
    (void)state;
    struct chart_axis a;
    chart_axis(37, 5, &a);
    assert_true(a.step == 10 && a.n == 4 && a.max == 40);
    chart_axis(40, 5, &a);
    assert_true(a.step == 10 && a.n == 4 && a.max == 40);
    chart_axis(1234, 5, &a);
    assert_true(a.step == 500 && a.n == 3 && a.max == 1500);
    chart_axis(7, 5, &a);
    assert_true(a.step == 2 && a.n == 4 && a.max == 8);
    chart_axis(3, 5, &a); /* counts: never a step below one */
    assert_true(a.step == 1 && a.n == 3 && a.max == 3);
    chart_axis(0, 5, &a);
    assert_true(a.step == 1 && a.n == 1 && a.max == 1);
    chart_axis(NAN, 5, &a);
    assert_true(a.step == 1 && a.max == 1);
    chart_axis(99999, 4, &a);
    assert_true(a.step == 50000 && a.n == 2 && a.max == 100000);
    /* Every step is 1, 2 or 5 times a power of ten and covers hi. */
    for (double hi = 1; hi < 1e7; hi = hi * 1.37 + 1) {
        chart_axis(hi, 5, &a);
        double m = a.step;
        while (m >= 10)
            m /= 10;
        assert_true(m == 1 || m == 2 || m == 5);
        assert_true(a.max >= hi && a.max - a.step < hi);
        assert_true(a.n >= 1 && a.n <= 10);
    }
}

static void test_line_well_formed(void **state)
{
    (void)state;
    double a[10] = {40, 38, 35, 33, 30, 28, 25, 22, 20, 9};
    double b[10] = {12, 11, 12, 10, 9, 9, 8, 7, 6, 3};
    struct chart_series s[] = {{"人口販運", a}, {"Exploração laboral", b}};
    struct chart c = {CHART_LINE, "cy", "個案 / Cases", NULL, "note", years, 10, s, 2, NULL};
    char *svg = render(&c);
    assert_true(well_formed(svg));
    assert_non_null(strstr(svg, "viewBox=\"0 0 640 360\""));
    assert_non_null(strstr(svg, "<title id=\"cy-title\">個案 / Cases</title>"));
    assert_non_null(strstr(svg, "aria-labelledby=\"cy-title cy-desc\""));
    /* The summary in <desc> carries the data. */
    assert_non_null(strstr(svg, "人口販運: 40, 38, 35"));
    /* Ticks 0..40 by 10, each labelled. */
    assert_non_null(strstr(svg, ">40</text>"));
    assert_non_null(strstr(svg, ">20</text>"));
    /* Two styles apart in dash, not only in colour; a legend entry each. */
    assert_non_null(strstr(svg, "stroke-dasharray=\"8 4\""));
    assert_int_equal(count(svg, ">人口販運</text>"), 1);
    assert_int_equal(count(svg, ">Exploração laboral</text>"), 1);
    /* No gap, no note. */
    assert_null(strstr(svg, ">note</text>"));
    free(svg);
}

static void test_hostile_label(void **state)
{
    (void)state;
    double a[3] = {1, 2, 3};
    const char *hostile = "</text><script>alert(1)</script>&amp;\"'<!--]]>\x01\xff\xc0\xaf";
    const char *periods[] = {"<b>2024</b>", "2025&", "2026\""};
    struct chart_series s[] = {{hostile, a}};
    struct chart c = {CHART_LINE, "x\"><script>", hostile, NULL, hostile, periods, 3, s, 1, NULL};
    for (int k = CHART_LINE; k <= CHART_MULTIPLES; k++) {
        c.kind = (enum chart_kind)k;
        char *svg = render(&c);
        assert_true(well_formed(svg));
        assert_null(strstr(svg, "<script"));
        assert_null(strstr(svg, "<b>"));
        assert_null(strstr(svg, "<!--"));
        assert_null(strstr(svg, "\x01"));
        assert_non_null(strstr(svg, "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;"
                                    "&quot;&#39;&lt;!--]]&gt;\xEF\xBF\xBD\xEF\xBF\xBD"));
        assert_non_null(strstr(svg, "id=\"x___script_-title\""));
        free(svg);
    }
}

static void test_gap(void **state)
{
    (void)state;
    double a[5] = {10, 8, CHART_GAP, 6, 5};
    const char *p[] = {"2022", "2023", "2024", "2025", "2026"};
    struct chart_series s[] = {{"A", a}};
    struct chart c = {CHART_LINE, "g", "Gaps", NULL, "Counts below k are suppressed.",
                      p,          5,   s,      1,    NULL};
    char *svg = render(&c);
    assert_true(well_formed(svg));
    /* The line is drawn in two pieces: it moves (M) twice and never joins
     * across the gap. */
    const char *line = strstr(svg, "stroke-linejoin");
    assert_non_null(line);
    const char *path = line;
    while (path > svg && strncmp(path, "<path d=\"", 9) != 0)
        path--;
    const char *end = strchr(path + 9, '"');
    size_t moves = 0;
    for (const char *q = path + 9; q < end; q++)
        moves += *q == 'M';
    assert_int_equal(moves, 2);
    /* Four markers (circles) for four values, and the legend's. */
    assert_int_equal(count(svg, "<circle"), 4 + 1);
    assert_non_null(strstr(svg, ">Counts below k are suppressed.</text>"));
    assert_non_null(strstr(svg, "A: 10, 8, \xE2\x80\x93, 6, 5."));
    free(svg);

    /* Stacked: the segment is left out and the bar's total is marked. */
    double b[5] = {1, 2, 3, 4, 5};
    struct chart_series s2[] = {{"A", a}, {"B", b}};
    c.kind = CHART_STACKED;
    c.series = s2;
    c.n_series = 2;
    svg = render(&c);
    assert_true(well_formed(svg));
    assert_non_null(strstr(svg, ">3*</text>"));
    assert_non_null(strstr(svg, ">* Counts below k are suppressed.</text>"));
    free(svg);

    /* With the published totals, the label is the total; a suppressed
     * total falls back to the sum drawn; nothing drawn and unknown: "*". */
    double t[5] = {11, 10, 5, 10, 10};
    c.totals = t;
    svg = render(&c);
    assert_non_null(strstr(svg, "class=\"total\" x=\""));
    assert_non_null(strstr(svg, ">5</text>"));
    assert_null(strstr(svg, ">3*</text>"));
    t[2] = CHART_GAP;
    free(svg);
    svg = render(&c);
    assert_non_null(strstr(svg, ">3*</text>"));
    free(svg);
    double z[5] = {CHART_GAP, 0, 0, 0, 0};
    struct chart_series s3[] = {{"Z", z}};
    c.series = s3;
    c.n_series = 1;
    c.totals = NULL;
    svg = render(&c);
    assert_true(well_formed(svg));
    assert_non_null(strstr(svg, "fill=\"#222\">*</text>"));
    free(svg);
}

static void test_stacked_totals(void **state)
{
    (void)state;
    double a[4] = {3, 0, 7, 12};
    double b[4] = {4, 5, 0, 13};
    double d[4] = {2, 1, 1, 0};
    const char *p[] = {"2026-07", "2026-08", "2026-09", "2026-10"};
    struct chart_series s[] = {{"Feminine", a}, {"Masculine", b}, {"Unknown", d}};
    struct chart c = {CHART_STACKED, "st", "Victims", NULL, "note", p, 4, s, 3, NULL};
    char *svg = render(&c);
    assert_true(well_formed(svg));
    assert_non_null(strstr(svg, "class=\"total\""));
    const char *totals[] = {">9</text>", ">6</text>", ">8</text>", ">25</text>"};
    for (int i = 0; i < 4; i++)
        assert_non_null(strstr(svg, totals[i]));
    /* Scale from the largest bar (0..25 by 5), not the largest segment:
     * 25 is both the top tick and the last total. */
    assert_int_equal(count(svg, ">25</text>"), 2);
    assert_non_null(strstr(svg, ">15</text>"));
    /* One rect per non-zero segment (9 of them) and a legend swatch per
     * series; the first series is plain, the others hatched with patterns
     * defined in the chart (3 segments + 1 swatch each). */
    assert_int_equal(count(svg, "fill=\"url(#st-h"), 4 + 4);
    assert_int_equal(count(svg, "fill=\"#1b2a49\" stroke"), 3 + 1);
    assert_int_equal(count(svg, "<pattern id=\"st-h"), 3);
    free(svg);
}

static void test_multiples(void **state)
{
    (void)state;
    double a[10] = {5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    double b[10] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    double d[10] = {0, 0, 1, 1, 1, CHART_GAP, 2, 2, 2, 50};
    struct chart_series s[] = {{"Investigations", a}, {"Prosecutions", b}, {"Convictions", d}};
    struct chart c = {CHART_MULTIPLES, "sm", "Legal", NULL, "gap", years, 10, s, 3, NULL};
    char *svg = render(&c);
    assert_true(well_formed(svg));
    /* One shared scale: each of the three panels has the same top tick. */
    assert_int_equal(count(svg, ">60</text>"), 3);
    assert_int_equal(count(svg, ">Investigations</text>"), 1);
    assert_int_equal(count(svg, ">2017</text>"), 3);
    assert_int_equal(count(svg, ">2026</text>"), 3);
    assert_non_null(strstr(svg, ">gap</text>"));
    free(svg);
}

static void test_many_periods(void **state)
{
    (void)state;
    char labels[24][16];
    const char *p[24];
    double v[24];
    for (int i = 0; i < 24; i++) {
        snprintf(labels[i], sizeof labels[i], "%04d-%02d", 2024 + (i + 10) / 12, (i + 10) % 12 + 1);
        p[i] = labels[i];
        v[i] = i % 5;
    }
    struct chart_series s[] = {{"A", v}};
    struct chart c = {CHART_STACKED, "m", "Monthly", NULL, NULL, p, 24, s, 1, NULL};
    char *svg = render(&c);
    assert_true(well_formed(svg));
    /* Labels are thinned, the last one always shown. */
    assert_non_null(strstr(svg, ">2026-10</text>"));
    assert_true(count(svg, "text-anchor=\"middle\" fill=\"#333\">20") < 24);
    free(svg);
}

static void test_invalid(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 16);
    double a[1] = {-1};
    const char *p[] = {"x"};
    struct chart_series s[] = {{"A", a}};
    struct chart c = {CHART_LINE, "i", "t", NULL, NULL, p, 1, s, 1, NULL};
    assert_int_equal(chart_svg(&b, &c), VIGIL_EINVAL); /* negative count */
    c.n_series = 0;
    assert_int_equal(chart_svg(&b, &c), VIGIL_EINVAL);
    c.n_series = 1;
    c.n_periods = 0;
    assert_int_equal(chart_svg(&b, &c), VIGIL_EINVAL);
    buf_free(&b);
    /* A document larger than the buffer's limit reports it. */
    buf_init(&b, 256);
    a[0] = 1;
    c.n_periods = 1;
    assert_int_equal(chart_svg(&b, &c), VIGIL_ETOOBIG);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axis),           cmocka_unit_test(test_line_well_formed),
        cmocka_unit_test(test_hostile_label),  cmocka_unit_test(test_gap),
        cmocka_unit_test(test_stacked_totals), cmocka_unit_test(test_multiples),
        cmocka_unit_test(test_many_periods),   cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
