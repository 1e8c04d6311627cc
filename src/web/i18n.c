/* Languages, catalogue look-up and the .mo reader; see i18n.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"
#include "util/log.h"
#include "web/assets.h"
#include "web/i18n.h"

static const char *const codes[LANG_COUNT] = {"zh-Hant", "pt", "en"};
static const char *const names[LANG_COUNT] = {"繁體中文", "Português", "English"};
static const char *const mo_names[LANG_COUNT] = {"locale/zh_Hant.mo", "locale/pt.mo",
                                                 "locale/en.mo"};

const char *i18n_code(int lang)
{
    return (unsigned)lang < LANG_COUNT ? codes[lang] : codes[LANG_DEFAULT];
}

const char *i18n_name(int lang)
{
    return (unsigned)lang < LANG_COUNT ? names[lang] : names[LANG_DEFAULT];
}

/* ---- .mo ------------------------------------------------------------- */

#define MO_MAGIC 0x950412deu

static uint32_t rd32(const struct mo *m, size_t off)
{
    const unsigned char *p = m->data + off;
    if (m->swap)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* The i-th string of the table at tab, or NULL when out of bounds. */
static const char *mo_str(const struct mo *m, uint32_t tab, uint32_t i)
{
    size_t e = (size_t)tab + (size_t)i * 8;
    uint32_t len = rd32(m, e), off = rd32(m, e + 4);
    if ((size_t)off + len >= m->len || m->data[(size_t)off + len] != '\0')
        return NULL;
    return (const char *)m->data + off;
}

int mo_open(struct mo *m, const void *data, size_t len)
{
    struct mo t = {.data = data, .len = len};
    if (!data || len < 28)
        return VIGIL_ECORRUPT;
    t.swap = 0;
    if (rd32(&t, 0) != MO_MAGIC) {
        t.swap = 1;
        if (rd32(&t, 0) != MO_MAGIC)
            return VIGIL_ECORRUPT;
    }
    if (rd32(&t, 4) >> 16 != 0) /* major revision 0 only */
        return VIGIL_ECORRUPT;
    t.n = rd32(&t, 8);
    t.orig = rd32(&t, 12);
    t.trans = rd32(&t, 16);
    if (t.n > len / 16 || (size_t)t.orig + (size_t)t.n * 8 > len ||
        (size_t)t.trans + (size_t)t.n * 8 > len || (t.orig & 3) || (t.trans & 3))
        return VIGIL_ECORRUPT;
    const char *prev = NULL;
    for (uint32_t i = 0; i < t.n; i++) {
        const char *o = mo_str(&t, t.orig, i);
        if (!o || !mo_str(&t, t.trans, i))
            return VIGIL_ECORRUPT;
        if (prev && strcmp(prev, o) >= 0)
            return VIGIL_ECORRUPT; /* binary search needs sorted, distinct originals */
        prev = o;
    }
    *m = t;
    return VIGIL_OK;
}

const char *mo_find(const struct mo *m, const char *msgid)
{
    if (!m || !m->data || !msgid)
        return NULL;
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(msgid, mo_str(m, m->orig, mid));
        if (c == 0) {
            const char *s = mo_str(m, m->trans, mid);
            return s && *s ? s : NULL;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- catalogues ------------------------------------------------------- */

static struct mo catalogues[LANG_COUNT];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void)
{
    for (int l = 0; l < LANG_COUNT; l++) {
        const struct asset *a = asset_find(mo_names[l]);
        if (!a || mo_open(&catalogues[l], a->data, a->len))
            log_error("the %s catalogue is missing or damaged; showing English", codes[l]);
    }
}

const char *i18n_get(int lang, const char *msgid)
{
    pthread_once(&load_once, load);
    if ((unsigned)lang >= LANG_COUNT)
        lang = LANG_DEFAULT;
    const char *s = mo_find(&catalogues[lang], msgid);
    return s ? s : msgid;
}

int i18n_has(int lang, const char *msgid)
{
    pthread_once(&load_once, load);
    return (unsigned)lang < LANG_COUNT && mo_find(&catalogues[lang], msgid) != NULL;
}

/* ---- negotiation ------------------------------------------------------ */

/* The language of a tag of length n, or -1. */
static int tag_lang(const char *s, size_t n)
{
    char t[24];
    if (n == 0 || n >= sizeof t)
        return -1;
    memcpy(t, s, n);
    t[n] = '\0';
    for (int l = 0; l < LANG_COUNT; l++)
        if (strcasecmp(t, codes[l]) == 0)
            return l;
    if (strncasecmp(t, "zh", 2) == 0) {
        /* Simplified Chinese is not Traditional; everything else falls to zh-Hant. */
        if (strncasecmp(t, "zh-hans", 7) == 0 || strcasecmp(t, "zh-CN") == 0 ||
            strcasecmp(t, "zh-SG") == 0)
            return -1;
        return (t[2] == '\0' || t[2] == '-') ? LANG_ZH : -1;
    }
    if (strncasecmp(t, "pt", 2) == 0 && (t[2] == '\0' || t[2] == '-'))
        return LANG_PT;
    if (strncasecmp(t, "en", 2) == 0 && (t[2] == '\0' || t[2] == '-'))
        return LANG_EN;
    return -1;
}

int i18n_parse(const char *code)
{
    return code ? tag_lang(code, strlen(code)) : -1;
}

/* q in thousandths from ";q=0.8" parameters; 1000 when absent, -1 if bad. */
static int parse_q(const char *p, const char *end)
{
    while (p < end) {
        while (p < end && (*p == ';' || *p == ' '))
            p++;
        if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            p += 2;
            int q = 0, digits = 0;
            if (p < end && (*p == '0' || *p == '1'))
                q = (*p++ - '0') * 1000;
            else
                return -1;
            if (p < end && *p == '.') {
                p++;
                for (int scale = 100; p < end && *p >= '0' && *p <= '9' && digits < 3;
                     scale /= 10, digits++)
                    q += (*p++ - '0') * scale;
            }
            return q > 1000 ? 1000 : q;
        }
        while (p < end && *p != ';')
            p++;
    }
    return 1000;
}

int i18n_accept(const char *h)
{
    if (!h)
        return -1;
    int best = -1, bestq = 0;
    const char *p = h;
    for (int items = 0; *p && items < 32; items++) {
        const char *end = p + strcspn(p, ",");
        while (p < end && *p == ' ')
            p++;
        size_t tn = strcspn(p, ";, ");
        if (p + tn > end)
            tn = (size_t)(end - p);
        int l = tag_lang(p, tn);
        int q = parse_q(p + tn, end);
        if (l >= 0 && q > bestq) {
            best = l;
            bestq = q;
        }
        p = *end ? end + 1 : end;
    }
    return best;
}

int i18n_negotiate(const char *query, const char *cookie, const char *accept)
{
    int l = i18n_parse(query);
    if (l < 0)
        l = i18n_parse(cookie);
    if (l < 0)
        l = i18n_accept(accept);
    return l < 0 ? LANG_DEFAULT : l;
}

/* ---- dates ------------------------------------------------------------ */

void i18n_date(int lang, const char *iso, char *out, size_t n)
{
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, m, d, hh = -1, mm = -1;
    char tail;
    if (!iso) {
        snprintf(out, n, "%s", "");
        return;
    }
    size_t len = strlen(iso);
    if ((len != 10 && len != 20) || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 ||
        m > 12 || d < 1 || d > 31 ||
        (len == 20 && (sscanf(iso + 10, "T%2d:%2d:%*2d%c", &hh, &mm, &tail) != 3 || tail != 'Z'))) {
        snprintf(out, n, "%s", iso);
        return;
    }
    char time[24] = "";
    if (hh >= 0)
        snprintf(time, sizeof time, " %02d:%02d UTC", hh, mm);
    switch (lang) {
    case LANG_PT:
        snprintf(out, n, "%02d/%02d/%04d%s", d, m, y, time);
        break;
    case LANG_EN:
        snprintf(out, n, "%d %s %04d%s", d, mon[m - 1], y, time);
        break;
    default:
        snprintf(out, n, "%04d年%d月%d日%s", y, m, d, time);
        break;
    }
}
