/*
 * TIP report records and the recommendation state rule (tipreport.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/tipreport.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/parse.h"

const char *const tipreport_tiers[] = {"tier1", "tier2",        "tier2_watch",
                                       "tier3", "special_case", NULL};
const char *const recommendation_states[] = {"not_started", "in_progress", "met", "disputed", NULL};
const char *const figure_periods[] = {"tip", "year", NULL};

const struct field tipreport_fields[] = {
    {"year", FT_INT, FF_REQUIRED | FF_CREATEONLY, 2001, 2200, NULL, NULL},
    {"tier", FT_ENUM, FF_REQUIRED, 0, 0, tipreport_tiers, NULL},
    {"published_on", FT_DATE, 0, 0, 0, NULL, NULL},
    {"notes_en", FT_LONGTEXT, 0, 0, 8000, NULL, NULL},
    {"notes_zh", FT_LONGTEXT, 0, 0, 8000, NULL, NULL},
    {"notes_pt", FT_LONGTEXT, 0, 0, 8000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field recommendation_fields[] = {
    {"text_en", FT_LONGTEXT, FF_REQUIRED, 1, 4000, NULL, NULL},
    {"text_zh", FT_LONGTEXT, 0, 0, 4000, NULL, NULL},
    {"text_pt", FT_LONGTEXT, 0, 0, 4000, NULL, NULL},
    {"assessment", FT_ENUM, 0, 0, 0, recommendation_states, NULL},
    {"position_en", FT_LONGTEXT, 0, 0, 4000, NULL, NULL},
    {"position_zh", FT_LONGTEXT, 0, 0, 4000, NULL, NULL},
    {"position_pt", FT_LONGTEXT, 0, 0, 4000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct field figure_fields[] = {
    {"label_en", FT_TEXT, FF_REQUIRED, 1, 200, NULL, NULL},
    {"label_zh", FT_TEXT, 0, 0, 200, NULL, NULL},
    {"label_pt", FT_TEXT, 0, 0, 200, NULL, NULL},
    {"table", FT_TEXT, FF_REQUIRED, 1, 64, NULL, NULL},
    {"row", FT_TEXT, FF_REQUIRED, 1, 200, NULL, NULL},
    {"column", FT_TEXT, 0, 1, 64, NULL, NULL},
    {"period", FT_ENUM, 0, 0, 0, figure_periods, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

/* The tables of report/stats.h and their columns. */
static const struct {
    const char *table;
    const char *columns[6];
} stat_tables[] = {
    {"cases_by_category", {"count"}},
    {"cases_by_exploitation", {"count"}},
    {"cases_by_source", {"count"}},
    {"cases_by_org", {"count"}},
    {"victims_by_sex", {"count"}},
    {"victims_by_age_band", {"count"}},
    {"victims_by_citizenship", {"count"}},
    {"victims_by_exploitation", {"count"}},
    {"referrals_by_org", {"made", "accepted"}},
    {"services_by_type", {"count"}},
    {"legal", {"sexual", "labour", "other", "total"}},
    {"legal_by_statute", {"sexual", "labour", "other", "total"}},
    {"sentences", {"count"}},
    {"tips_by_channel", {"count"}},
    {"activities",
     {"activities", "sites", "workers_reached", "officials_trained", "people_reached"}},
};

const char *figure_table(size_t i)
{
    return i < sizeof stat_tables / sizeof stat_tables[0] ? stat_tables[i].table : NULL;
}

int figure_known(const char *table, const char *column)
{
    for (size_t i = 0; table && i < sizeof stat_tables / sizeof stat_tables[0]; i++) {
        if (strcmp(stat_tables[i].table, table) != 0)
            continue;
        if (!column)
            return 1;
        for (size_t c = 0; c < 6 && stat_tables[i].columns[c]; c++)
            if (strcmp(stat_tables[i].columns[c], column) == 0)
                return 1;
        return 0;
    }
    return 0;
}

int tipreport_tier_rank(const char *tier)
{
    static const char *const ranked[] = {"tier1", "tier2", "tier2_watch", "tier3"};
    for (int i = 0; tier && i < 4; i++)
        if (strcmp(tier, ranked[i]) == 0)
            return i + 1;
    return 0;
}

const char *recommendation_state(const char *assessment, int total, int begun, int done)
{
    if (assessment && *assessment)
        return assessment;
    if (total == 0 || begun == 0)
        return "not_started";
    if (done == total)
        return "met";
    return "in_progress";
}

void tipreport_period(int year, char from[11], char to[11])
{
    unsigned y = (unsigned)year % 10000u, p = (unsigned)(year - 1) % 10000u;
    snprintf(from, 11, "%04u-04-01", p);
    snprintf(to, 11, "%04u-03-31", y);
}

static int fail(struct verr *err, const char *msg)
{
    snprintf(err->field, sizeof err->field, "text");
    snprintf(err->msg, sizeof err->msg, "%s", msg);
    return VIGIL_EINVAL;
}

/* The length of a leading list marker and its space at p, or 0. */
static size_t marker(const char *p)
{
    size_t n = 0;
    if (strncmp(p, "\xe2\x80\xa2", 3) == 0) /* • */
        n = 3;
    else if (*p == '-' || *p == '*')
        n = 1;
    else {
        while (p[n] >= '0' && p[n] <= '9' && n < 3)
            n++;
        if (n == 0 || (p[n] != '.' && p[n] != ')'))
            return 0;
        n++;
    }
    if (p[n] != ' ' && p[n] != '\t' && p[n] != '\0')
        return 0;
    while (p[n] == ' ' || p[n] == '\t')
        n++;
    return n;
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int tipreport_split(const char *text, size_t len, size_t max, json_t **out, struct verr *err)
{
    memset(err, 0, sizeof *err);
    *out = NULL;
    if (!utf8_valid(text, len) || memchr(text, '\0', len))
        return fail(err, "the text is not valid UTF-8");
    json_t *arr = json_array();
    struct buf para;
    buf_init(&para, 64 * 1024);
    size_t i = 0;
    int rc = VIGIL_OK;
    while (i <= len && !rc) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        /* the line [i, e), without a carriage return and outer blanks */
        size_t a = i, b = e;
        if (b > a && text[b - 1] == '\r')
            b--;
        while (a < b && (text[a] == ' ' || text[a] == '\t'))
            a++;
        while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
            b--;
        if (a == b || e >= len) {
            if (a < b) { /* the last line */
                if (buf_len(&para))
                    buf_putc(&para, ' ');
                buf_add(&para, text + a, b - a);
            }
            if (buf_len(&para)) {
                const char *p = buf_cstr(&para);
                p += marker(p);
                if (*p) {
                    if (code_points(p) > 4000)
                        rc = fail(err, "a recommendation is longer than 4000 characters");
                    else if (json_array_size(arr) >= max)
                        rc = fail(err, "the text holds too many paragraphs");
                    else
                        json_array_append_new(arr, json_string(p));
                }
                buf_reset(&para);
            }
        } else {
            if (buf_len(&para))
                buf_putc(&para, ' ');
            buf_add(&para, text + a, b - a);
        }
        i = e + 1;
    }
    buf_free(&para);
    if (!rc && json_array_size(arr) == 0)
        rc = fail(err, "the text holds no recommendation (one per paragraph)");
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return VIGIL_OK;
}
