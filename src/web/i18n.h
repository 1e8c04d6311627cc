/*
 * The interface's three languages: Traditional Chinese (zh-Hant, the
 * default), Portuguese and English. Strings are looked up in the compiled
 * gettext catalogues (po/LANG.po -> .mo, embedded by the build) with a small
 * reader of the .mo format, so the language is a per-request value and no
 * process-wide locale ever changes (docs/i18n.md says why).
 *
 * In page code, T("msgid") translates into the request's language (it uses
 * a variable r of type struct req * in scope) and N_("msgid") only marks a
 * string for xgettext. The catalogues are read once, on first use.
 */
#ifndef VIGIL_I18N_H
#define VIGIL_I18N_H

#include <stddef.h>
#include <stdint.h>

enum lang { LANG_ZH, LANG_PT, LANG_EN, LANG_COUNT };
#define LANG_DEFAULT LANG_ZH

/* "zh-Hant", "pt", "en": the value for <html lang> and ?lang=. */
const char *i18n_code(int lang);
/* The language's own name ("繁體中文", "Português", "English"). */
const char *i18n_name(int lang);
/* The language of a ?lang= or cookie value (exact codes, any case; "zh" and
 * "zh-TW"/"zh-HK"/"zh-MO" too), or -1. */
int i18n_parse(const char *code);
/* The language of an Accept-Language header: the supported one with the
 * highest q (ties: the first listed), or -1 when none is supported. */
int i18n_accept(const char *header);
/* The request's language: ?lang=, else the cookie, else Accept-Language,
 * else the default. Any argument may be NULL. */
int i18n_negotiate(const char *query, const char *cookie, const char *accept_language);

/* The translation of msgid, or msgid itself when the catalogue lacks it.
 * The result lives as long as the process. */
const char *i18n_get(int lang, const char *msgid);
/* 1 when the language's catalogue has a non-empty translation of msgid. */
int i18n_has(int lang, const char *msgid);

/* A date "YYYY-MM-DD" or timestamp "YYYY-MM-DDTHH:MM:SSZ" written the
 * language's way: 2026年11月28日 / 28/11/2026 / 28 Nov 2026 (timestamps add
 * " HH:MM UTC"). Anything else is copied as is. */
void i18n_date(int lang, const char *iso, char *out, size_t n);

/* ---- the .mo reader (exposed for tests) --------------------------------- */

struct mo {
    const unsigned char *data;
    size_t len;
    uint32_t n, orig, trans;
    int swap; /* the file's byte order is not ours */
};

/* Check a whole .mo image (magic, revision, every table entry and string in
 * bounds and NUL-terminated, originals sorted) and set m over it; the data
 * must outlive m. VIGIL_OK or VIGIL_ECORRUPT. */
int mo_open(struct mo *m, const void *data, size_t len);
/* The translation of msgid, or NULL. Binary search; no allocation. */
const char *mo_find(const struct mo *m, const char *msgid);

#define N_(s) (s)
#define T(s)  i18n_get(r->lang, (s))

#endif
