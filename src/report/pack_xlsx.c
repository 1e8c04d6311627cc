/* The pack as an XLSX workbook (libxlsxwriter): a summary sheet, one sheet
 * per table and per trend with every figure as a real number (suppressed
 * ones as the text mark and a note row saying why), and sheets for the
 * measures, the activities and the meeting; see pack.h. libxlsxwriter
 * writes to a file, so the workbook is made in a private temporary file
 * that is read back and removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "report/pack.h"
#include "util/err.h"

#define TR(s) pack_tr(x->p->lang, NC_("pack", s))

#define MAX_SHEETS 96
#define SHEET_NAME 31 /* Excel's limit, in characters */

struct xlsx {
    const struct pack_ctx *p;
    lxw_workbook *wb;
    lxw_format *bold, *head, *title, *num, *sup, *late, *date, *wrap, *note;
    char names[MAX_SHEETS][SHEET_NAME * 4 + 24];
    int n_names;
    int failed;
};

/* ---- sheet names ------------------------------------------------------------ */

/* Copy at most max code points of s into out (of n bytes). */
static void utf8_cut(char *out, size_t n, const char *s, size_t max)
{
    size_t i = 0, cps = 0;
    while (s[i] && cps < max) {
        size_t len = 1;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        if (i + len >= n)
            break;
        i += len;
        cps++;
    }
    memcpy(out, s, i);
    out[i] = '\0';
}

static int name_taken(struct xlsx *x, const char *name)
{
    for (int i = 0; i < x->n_names; i++)
        if (strcasecmp(x->names[i], name) == 0)
            return 1;
    return 0;
}

/* A new worksheet named after title: characters Excel refuses become
 * spaces, the name is cut to 31 characters and made unique with " (2)",
 * " (3)" ... */
static lxw_worksheet *add_sheet(struct xlsx *x, const char *title)
{
    if (x->n_names >= MAX_SHEETS)
        return NULL;
    char clean[512];
    size_t j = 0;
    for (const char *s = title; *s && j + 1 < sizeof clean; s++)
        clean[j++] = strchr("[]:*?/\\", *s) ? ' ' : *s;
    clean[j] = '\0';
    char *start = clean;
    while (*start == ' ' || *start == '\'')
        start++;
    size_t len = strlen(start);
    while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\''))
        start[--len] = '\0';
    if (!*start)
        start = "Sheet";
    char name[sizeof x->names[0] + 16];
    utf8_cut(name, sizeof name, start, SHEET_NAME);
    for (int k = 2; name_taken(x, name); k++) {
        char base[SHEET_NAME * 4 + 1], suffix[16];
        snprintf(suffix, sizeof suffix, " (%d)", k);
        utf8_cut(base, sizeof base, start, SHEET_NAME - strlen(suffix));
        snprintf(name, sizeof name, "%s%s", base, suffix);
    }
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) {
        x->failed = 1;
        return NULL;
    }
    size_t nl = strlen(name);
    if (nl >= sizeof x->names[0])
        nl = sizeof x->names[0] - 1;
    memcpy(x->names[x->n_names], name, nl);
    x->names[x->n_names++][nl] = '\0';
    return ws;
}

/* ---- cells ---------------------------------------------------------------------- */

static void put_str(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
    if (s && *s)
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f);
}

/* A figure: a number, the suppression mark, or nothing. Returns 1 when it
 * was suppressed. */
static int put_figure(struct xlsx *x, lxw_worksheet *ws, int row, int col, const json_t *v)
{
    if (json_is_number(v)) {
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, json_number_value(v), x->num);
    } else if (pack_is_suppressed(v)) {
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, PACK_SUPPRESSED, x->sup);
        return 1;
    }
    return 0;
}

static void put_change(struct xlsx *x, lxw_worksheet *ws, int row, int col, const json_t *v,
                       const json_t *w)
{
    if (json_is_number(v) && json_is_number(w))
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col,
                               json_number_value(v) - json_number_value(w), x->num);
}

static void put_date(struct xlsx *x, lxw_worksheet *ws, int row, int col, const char *iso)
{
    int y, m, d;
    char tail;
    if (iso && strlen(iso) == 10 && sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3) {
        lxw_datetime dt = {y, m, d, 0, 0, 0};
        worksheet_write_datetime(ws, (lxw_row_t)row, (lxw_col_t)col, &dt, x->date);
    } else {
        put_str(ws, row, col, iso, NULL);
    }
}

static void put_note(struct xlsx *x, lxw_worksheet *ws, int row)
{
    char s[512];
    snprintf(s, sizeof s, "%s = %s. %s (k = %d)", PACK_SUPPRESSED, TR("Suppressed"),
             TR("Counts below k are suppressed, and so is any figure that would reveal them."),
             x->p->k);
    put_str(ws, row, 0, s, x->note);
}

static void range_of(struct xlsx *x, const json_t *period, char *out, size_t n)
{
    char a[48], b[48];
    pack_date(x->p, pack_str(period, "from"), a, sizeof a);
    pack_date(x->p, pack_str(period, "to"), b, sizeof b);
    snprintf(out, n, "%s \xE2\x80\x93 %s", a, b);
}

/* ---- sheets ----------------------------------------------------------------------- */

static void summary(struct xlsx *x)
{
    const struct pack_ctx *p = x->p;
    lxw_worksheet *ws = add_sheet(x, TR("Summary"));
    if (!ws)
        return;
    char range[128], gen[64];
    range_of(x, json_object_get(p->pack, "period"), range, sizeof range);
    pack_date(p, p->generated_at, gen, sizeof gen);
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, 5, 18, NULL);
    put_str(ws, 0, 0, pack_tr(p->lang, "Anti-trafficking committee"), x->bold);
    put_str(ws, 1, 0, p->title, x->title);
    put_str(ws, 2, 0, TR("Period"), x->bold);
    put_str(ws, 2, 1, p->period_label, NULL);
    put_str(ws, 2, 2, range, NULL);
    put_str(ws, 3, 0, TR("Generated on"), x->bold);
    put_str(ws, 3, 1, gen, NULL);
    put_str(ws, 4, 0, TR("Suppression threshold k"), x->bold);
    worksheet_write_number(ws, 4, 1, p->k, x->num);
    const json_t *ns = json_object_get(p->stats, "suppressed");
    put_str(ws, 5, 0, TR("Figures suppressed"), x->bold);
    if (json_is_integer(ns))
        worksheet_write_number(ws, 5, 1, (double)json_integer_value(ns), x->num);

    int row = 7;
    const char *head[] = {TR("Figure"),
                          TR("This period"),
                          TR("Previous period"),
                          TR("Change"),
                          TR("Same period a year earlier"),
                          TR("Change")};
    for (int c = 0; c < 6; c++)
        put_str(ws, row, c, head[c], x->head);
    struct pack_figure f[16];
    size_t n = pack_figures(p, f, 16);
    for (size_t i = 0; i < n; i++) {
        row++;
        put_str(ws, row, 0, f[i].label, NULL);
        put_figure(x, ws, row, 1, f[i].value);
        put_figure(x, ws, row, 2, f[i].previous);
        put_change(x, ws, row, 3, f[i].value, f[i].previous);
        put_figure(x, ws, row, 4, f[i].year_ago);
        put_change(x, ws, row, 5, f[i].value, f[i].year_ago);
    }
    row += 2;
    put_note(x, ws, row);
    put_str(ws, row + 1, 0, TR("Figures only: the pack holds no personal data."), x->note);
}

static void stats_sheet(struct xlsx *x, const json_t *t)
{
    const struct pack_ctx *p = x->p;
    const char *id = pack_str(t, "id");
    const char *title = pack_table_title(p->lang, id);
    lxw_worksheet *ws = add_sheet(x, title);
    if (!ws)
        return;
    const json_t *cols = json_object_get(t, "columns");
    size_t nc = json_array_size(cols);
    int single = nc == 1;
    put_str(ws, 0, 0, TR("Item"), x->head);
    put_str(ws, 0, 1, TR("Code"), x->head);
    const char *when[3] = {TR("This period"), TR("Previous period"),
                           TR("Same period a year earlier")};
    for (size_t c = 0; c < nc; c++)
        for (int k = 0; k < 3; k++) {
            char h[512];
            if (single)
                snprintf(h, sizeof h, "%s", when[k]);
            else
                snprintf(h, sizeof h, "%s \xE2\x80\x94 %s",
                         pack_column_label(p->lang, id, json_string_value(json_array_get(cols, c))),
                         when[k]);
            put_str(ws, 0, (int)(2 + c * 3 + (size_t)k), h, x->head);
        }
    worksheet_set_column(ws, 0, 0, 30, NULL);
    worksheet_set_column(ws, 1, 1, 16, NULL);
    worksheet_set_column(ws, 2, (lxw_col_t)(1 + nc * 3), 16, NULL);
    worksheet_freeze_panes(ws, 1, 1);

    const json_t *rows = json_object_get(t, "rows");
    size_t nr = json_array_size(rows);
    int row = 0;
    for (size_t r = 0; r <= nr; r++) {
        const json_t *o = r < nr ? json_array_get(rows, r) : json_object_get(t, "total");
        if (!json_is_object(o))
            continue;
        row++;
        if (r < nr) {
            const char *key = pack_str(o, "key");
            put_str(ws, row, 0, pack_row_label(p->lang, id, key), NULL);
            put_str(ws, row, 1, key, NULL);
        } else {
            put_str(ws, row, 0, TR("Total"), x->bold);
        }
        static const char *const parts[3] = {"values", "previous", "year_ago"};
        for (size_t c = 0; c < nc; c++)
            for (int k = 0; k < 3; k++)
                put_figure(x, ws, row, (int)(2 + c * 3 + (size_t)k),
                           json_array_get(json_object_get(o, parts[k]), c));
    }
    char range[128];
    range_of(x, p->stats, range, sizeof range);
    put_str(ws, row + 2, 0, title, x->bold);
    put_str(ws, row + 3, 0, range, NULL);
    put_note(x, ws, row + 4);
}

static void trend_sheet(struct xlsx *x, const json_t *t)
{
    const struct pack_ctx *p = x->p;
    const char *id = pack_str(t, "id");
    lxw_worksheet *ws = add_sheet(x, pack_trend_title(p->lang, id));
    if (!ws)
        return;
    const json_t *periods = json_object_get(t, "periods");
    const json_t *series = json_object_get(t, "series");
    put_str(ws, 0, 0, TR("Period"), x->head);
    size_t i;
    const json_t *s;
    json_array_foreach(series, i, s)
    {
        put_str(ws, 0, (int)i + 1, pack_series_label(p->lang, id, pack_str(s, "key")), x->head);
    }
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)json_array_size(series), 18, NULL);
    worksheet_freeze_panes(ws, 1, 1);
    size_t np = json_array_size(periods);
    for (size_t r = 0; r < np; r++) {
        put_str(ws, (int)r + 1, 0, json_string_value(json_array_get(periods, r)), NULL);
        json_array_foreach(series, i, s)
        {
            put_figure(x, ws, (int)r + 1, (int)i + 1,
                       json_array_get(json_object_get(s, "values"), r));
        }
    }
    put_note(x, ws, (int)np + 2);
}

static void measures_sheet(struct xlsx *x)
{
    const json_t *list = json_object_get(x->p->pack, "measures");
    if (!list)
        return;
    lxw_worksheet *ws = add_sheet(x, TR("Measures"));
    if (!ws)
        return;
    const char *head[] = {TR("Measure"), TR("Owner"),       TR("Due"), TR("State"),
                          TR("Overdue"), TR("Last update"), TR("Note")};
    for (int c = 0; c < 7; c++)
        put_str(ws, 0, c, head[c], x->head);
    worksheet_set_column(ws, 0, 0, 48, x->wrap);
    worksheet_set_column(ws, 1, 5, 14, NULL);
    worksheet_set_column(ws, 6, 6, 48, x->wrap);
    worksheet_freeze_panes(ws, 1, 0);
    size_t i;
    const json_t *m;
    json_array_foreach(list, i, m)
    {
        int row = (int)i + 1, late = pack_overdue(x->p, m);
        put_str(ws, row, 0, pack_str(m, "title"), late ? x->late : x->wrap);
        put_str(ws, row, 1, pack_str(m, "owner"), NULL);
        put_date(x, ws, row, 2, pack_str(m, "due_on"));
        put_str(ws, row, 3, pack_state_label(x->p->lang, pack_str(m, "state")), NULL);
        if (late)
            put_str(ws, row, 4, TR("Overdue"), x->late);
        const json_t *lu = json_object_get(m, "last_update");
        if (json_is_object(lu)) {
            put_date(x, ws, row, 5, pack_str(lu, "updated_on"));
            put_str(ws, row, 6, pack_str(lu, "note"), x->wrap);
        }
    }
    if (json_array_size(list) == 0)
        put_str(ws, 1, 0, TR("No measures."), NULL);
}

static void activities_sheet(struct xlsx *x)
{
    const json_t *list = json_object_get(x->p->pack, "activities");
    if (!list)
        return;
    lxw_worksheet *ws = add_sheet(x, TR("Activities of the period"));
    if (!ws)
        return;
    const char *head[] = {TR("Date"),
                          TR("Kind"),
                          TR("Organisation"),
                          TR("Title"),
                          TR("Sites"),
                          TR("Workers reached"),
                          TR("Officials trained"),
                          TR("People reached")};
    for (int c = 0; c < 8; c++)
        put_str(ws, 0, c, head[c], x->head);
    worksheet_set_column(ws, 0, 2, 14, NULL);
    worksheet_set_column(ws, 3, 3, 44, x->wrap);
    worksheet_set_column(ws, 4, 7, 14, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    static const char *const nums[] = {"sites", "workers_reached", "officials_trained",
                                       "people_reached"};
    size_t i;
    const json_t *a;
    json_array_foreach(list, i, a)
    {
        int row = (int)i + 1;
        put_date(x, ws, row, 0, pack_str(a, "held_on"));
        put_str(ws, row, 1, pack_kind_label(x->p->lang, pack_str(a, "kind")), NULL);
        put_str(ws, row, 2, pack_str(a, "org"), NULL);
        put_str(ws, row, 3, pack_str(a, "title"), x->wrap);
        for (int k = 0; k < 4; k++)
            put_figure(x, ws, row, 4 + k, json_object_get(a, nums[k]));
    }
    if (json_array_size(list) == 0)
        put_str(ws, 1, 0, TR("No activities in this period."), NULL);
}

static int put_list(struct xlsx *x, lxw_worksheet *ws, int row, const char *label, const json_t *l)
{
    put_str(ws, row, 0, label, x->bold);
    size_t i;
    const json_t *s;
    json_array_foreach(l, i, s)
    {
        worksheet_write_number(ws, (lxw_row_t)row, 1, (double)(i + 1), x->num);
        put_str(ws, row, 2, json_string_value(s), x->wrap);
        row++;
    }
    return json_array_size(l) ? row : row + 1;
}

static void meeting_sheet(struct xlsx *x)
{
    const json_t *m = json_object_get(x->p->pack, "meeting");
    if (!m)
        return;
    lxw_worksheet *ws = add_sheet(x, TR("The meeting"));
    if (!ws)
        return;
    worksheet_set_column(ws, 0, 0, 20, NULL);
    worksheet_set_column(ws, 1, 1, 6, NULL);
    worksheet_set_column(ws, 2, 2, 80, x->wrap);
    if (!json_is_object(m)) {
        put_str(ws, 0, 0, TR("No meeting was held in this period."), NULL);
        return;
    }
    put_str(ws, 0, 0, TR("Title"), x->bold);
    put_str(ws, 0, 2, pack_str(m, "title"), NULL);
    put_str(ws, 1, 0, TR("Date"), x->bold);
    put_date(x, ws, 1, 2, pack_str(m, "held_on"));
    put_str(ws, 2, 0, TR("State"), x->bold);
    put_str(ws, 2, 2, pack_state_label(x->p->lang, pack_str(m, "state")), NULL);
    put_str(ws, 3, 0, TR("Attendees"), x->bold);
    struct buf att;
    buf_init(&att, 8192);
    size_t i;
    const json_t *a;
    json_array_foreach(json_object_get(m, "attendees"), i, a)
    {
        if (json_is_string(a))
            buf_printf(&att, "%s%s", i ? ", " : "", json_string_value(a));
    }
    put_str(ws, 3, 2, buf_cstr(&att), NULL);
    buf_free(&att);
    int row = put_list(x, ws, 5, TR("Agenda"), json_object_get(m, "agenda"));
    put_list(x, ws, row + 1, TR("Decisions"), json_object_get(m, "decisions"));
}

/* ---- the workbook ------------------------------------------------------------------- */

static void formats(struct xlsx *x)
{
    x->bold = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    x->title = workbook_add_format(x->wb);
    format_set_bold(x->title);
    format_set_font_size(x->title, 16);
    x->head = workbook_add_format(x->wb);
    format_set_bold(x->head);
    format_set_bg_color(x->head, 0xE8EAEF);
    format_set_bottom(x->head, LXW_BORDER_THIN);
    format_set_text_wrap(x->head);
    format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
    x->num = workbook_add_format(x->wb);
    format_set_num_format(x->num, "#,##0");
    x->sup = workbook_add_format(x->wb);
    format_set_italic(x->sup);
    format_set_font_color(x->sup, 0x555555);
    format_set_align(x->sup, LXW_ALIGN_RIGHT);
    format_set_pattern(x->sup, LXW_PATTERN_LIGHT_UP);
    format_set_fg_color(x->sup, 0xDDDDDD);
    x->late = workbook_add_format(x->wb);
    format_set_bold(x->late);
    format_set_bg_color(x->late, 0xFDE8E4);
    format_set_text_wrap(x->late);
    x->date = workbook_add_format(x->wb);
    format_set_num_format(x->date, "yyyy-mm-dd");
    format_set_align(x->date, LXW_ALIGN_LEFT);
    x->wrap = workbook_add_format(x->wb);
    format_set_text_wrap(x->wrap);
    format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
    x->note = workbook_add_format(x->wb);
    format_set_italic(x->note);
    format_set_font_color(x->note, 0x444444);
}

static int read_file(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return VIGIL_EIO;
    char chunk[65536];
    size_t n;
    int rc = VIGIL_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if ((rc = buf_add(out, chunk, n)) != 0)
            break;
    if (rc == VIGIL_OK && ferror(f))
        rc = VIGIL_EIO;
    fclose(f);
    return rc;
}

int pack_xlsx(const json_t *pack, struct buf *out)
{
    struct pack_ctx p;
    int rc = pack_check(pack, &p, NULL, 0);
    if (rc != VIGIL_OK)
        return rc;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/vigil-pack-XXXXXX", dir) >= sizeof path)
        return VIGIL_EIO;
    int fd = mkstemp(path);
    if (fd < 0)
        return VIGIL_EIO;
    close(fd);

    struct xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        unlink(path);
        return VIGIL_ENOMEM;
    }
    x->p = &p;
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = (char *)dir};
    x->wb = workbook_new_opt(path, &opt);
    if (!x->wb) {
        free(x);
        unlink(path);
        return VIGIL_EIO;
    }
    lxw_doc_properties props = {.title = (char *)p.title, .author = "vigil"};
    workbook_set_properties(x->wb, &props);
    formats(x);
    summary(x);
    const json_t *tables[64];
    size_t n = pack_tables(&p, tables, 64);
    for (size_t i = 0; i < n; i++)
        stats_sheet(x, tables[i]);
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(p.stats, "trends"), i, t)
    {
        if (json_is_object(t))
            trend_sheet(x, t);
    }
    measures_sheet(x);
    activities_sheet(x);
    meeting_sheet(x);
    lxw_error e = workbook_close(x->wb);
    rc = e != LXW_NO_ERROR || x->failed ? VIGIL_EIO : read_file(path, out);
    free(x);
    unlink(path);
    return rc;
}
