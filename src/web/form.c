/* Form bodies and their bridge to record validation; see form.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/parse.h"
#include "web/form.h"
#include "web/i18n.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode s[0..n) ('+' is a space) into out (n + 1 bytes); -1 on a bad escape. */
static int decode(const char *s, size_t n, char *out, size_t *outlen)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[k++] = ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= n)
                return -1;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            out[k++] = (char)(h * 16 + l);
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    *outlen = k;
    return 0;
}

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > FORM_MAX_NAME)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

static int value_ok(const char *s, size_t n)
{
    if (!utf8_valid(s, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* Copy the n bytes at s into a new string with every byte that is not part
 * of valid UTF-8, and every control character but tab/CR/LF, replaced by
 * U+FFFD; NULL when out of memory. */
static char *sanitise(const char *s, size_t n, size_t *outlen)
{
    char *o = malloc(n * 3 + 1);
    size_t k = 0;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80                 ? 1
                     : c >= 0xc2 && c <= 0xdf ? 2
                     : c >= 0xe0 && c <= 0xef ? 3
                     : c >= 0xf0 && c <= 0xf4 ? 4
                                              : 0;
        int ok = len && i + len <= n && utf8_valid(s + i, len) &&
                 (c >= 0x20 || c == '\t' || c == '\r' || c == '\n');
        if (ok) {
            memcpy(o + k, s + i, len);
            k += len;
            i += len;
        } else {
            memcpy(o + k, "\xEF\xBF\xBD", 3);
            k += 3;
            i++;
        }
    }
    o[k] = '\0';
    *outlen = k;
    return o;
}

static int parse(const char *body, size_t len, json_t **out, char *why, size_t whylen, int lenient);

int form_parse(const char *body, size_t len, json_t **out, char *why, size_t whylen)
{
    return parse(body, len, out, why, whylen, 0);
}

int form_parse_lenient(const char *body, size_t len, json_t **out, char *why, size_t whylen)
{
    return parse(body, len, out, why, whylen, 1);
}

static int parse(const char *body, size_t len, json_t **out, char *why, size_t whylen, int lenient)
{
    json_t *o = json_object();
    char *tmp = malloc(len + 1);
    size_t nfields = 0;
    const char *p = body, *end = body + len;
    if (!o || !tmp) {
        json_decref(o);
        free(tmp);
        snprintf(why, whylen, "out of memory");
        return VIGIL_ENOMEM;
    }
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        if (!amp)
            amp = end;
        if (amp == p) {
            p++;
            continue;
        }
        if (++nfields > FORM_MAX_FIELDS) {
            snprintf(why, whylen, "the form has more than %d fields", FORM_MAX_FIELDS);
            goto bad;
        }
        const char *eq = memchr(p, '=', (size_t)(amp - p));
        const char *vs = eq ? eq + 1 : amp;
        size_t nl, vl;
        char name[FORM_MAX_NAME * 3 + 1];
        size_t rawn = (size_t)((eq ? eq : amp) - p);
        if (rawn >= sizeof name || decode(p, rawn, name, &nl) || strlen(name) != nl ||
            !name_ok(name)) {
            snprintf(why, whylen, "the form has an invalid field name");
            goto bad;
        }
        if (decode(vs, (size_t)(amp - vs), tmp, &vl) || (!lenient && !value_ok(tmp, vl))) {
            snprintf(why, whylen, "form field '%s' is not valid text", name);
            goto bad;
        }
        json_t *v;
        if (!value_ok(tmp, vl)) {
            size_t sl = 0;
            char *clean = sanitise(tmp, vl, &sl);
            v = clean ? json_stringn(clean, sl) : NULL;
            free(clean);
            json_t *inv = json_object_get(o, FORM_INVALID);
            if (!json_is_array(inv)) {
                inv = json_array();
                json_object_set_new(o, FORM_INVALID, inv);
            }
            json_array_append_new(inv, json_string(name));
        } else {
            v = json_stringn(tmp, vl);
        }
        if (!v) {
            snprintf(why, whylen, "out of memory");
            goto bad;
        }
        json_t *old = json_object_get(o, name);
        if (!old) {
            json_object_set_new(o, name, v);
        } else if (json_is_array(old)) {
            if (json_array_size(old) >= FORM_MAX_VALUES) {
                json_decref(v);
                snprintf(why, whylen, "form field '%s' is repeated too often", name);
                goto bad;
            }
            json_array_append_new(old, v);
        } else {
            json_t *arr = json_array();
            json_array_append(arr, old);
            json_array_append_new(arr, v);
            json_object_set_new(o, name, arr);
        }
        p = amp + 1;
    }
    free(tmp);
    *out = o;
    return VIGIL_OK;
bad:
    free(tmp);
    json_decref(o);
    return VIGIL_EINVAL;
}

const char *form_str(json_t *form, const char *name)
{
    json_t *v = json_object_get(form, name);
    if (json_is_array(v))
        v = json_array_get(v, 0);
    return json_is_string(v) ? json_string_value(v) : "";
}

static void add_err(struct form_errs *errs, const char *field, const char *msgid, long a, long b)
{
    if (errs->n >= sizeof errs->e / sizeof errs->e[0])
        return;
    errs->e[errs->n].field = field;
    errs->e[errs->n].msgid = msgid;
    errs->e[errs->n].a = a;
    errs->e[errs->n].b = b;
    errs->n++;
}

const char *form_err(const struct form_errs *errs, const char *field)
{
    for (size_t i = 0; i < errs->n; i++)
        if (strcmp(errs->e[i].field, field) == 0)
            return errs->e[i].msgid;
    return NULL;
}

/* The message for a value of f that record_validate refused. */
static const char *type_msg(const struct field *f)
{
    switch (f->type) {
    case FT_TEXT:
    case FT_TEXTS:
        return N_("Use at most %ld characters, on one line.");
    case FT_LONGTEXT:
        return N_("Use at most %ld characters.");
    case FT_ENUM:
    case FT_MULTI:
        return N_("Choose from the list.");
    case FT_DATE:
        return N_("Enter a date as YYYY-MM-DD.");
    case FT_INT:
        return N_("Enter a whole number from %ld to %ld.");
    case FT_BOOL:
        return N_("Choose yes or no.");
    case FT_COUNTRY:
    case FT_COUNTRIES:
        return N_("Enter two-letter country codes such as PH or MO.");
    case FT_LANG:
        return N_("Enter a language code such as zh, pt or en.");
    }
    return N_("This value is not valid.");
}

/* The form's values for name as a JSON array of strings (split on commas and
 * spaces for countries), or NULL when there are none. */
static json_t *multi_values(json_t *form, const char *name, int split)
{
    json_t *v = json_object_get(form, name);
    json_t *arr = json_array();
    json_t *list = json_is_array(v) ? json_incref(v) : json_pack("[O]", v ? v : json_null());
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        const char *s = json_string_value(x);
        if (!s)
            continue;
        while (*s) {
            size_t n = split ? strcspn(s, ", ") : strlen(s);
            if (n)
                json_array_append_new(arr, json_stringn(s, n));
            s += n;
            while (split && (*s == ',' || *s == ' '))
                s++;
        }
    }
    json_decref(list);
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* The form's values for name as a JSON array of strings, one per non-blank
 * line of each value (a textarea or repeated inputs), trimmed; NULL when
 * there are none. */
static json_t *line_values(json_t *form, const char *name)
{
    json_t *v = json_object_get(form, name);
    json_t *arr = json_array();
    json_t *list = json_is_array(v) ? json_incref(v) : json_pack("[O]", v ? v : json_null());
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        const char *s = json_string_value(x);
        while (s && *s) {
            size_t n = strcspn(s, "\r\n");
            const char *a = s, *e = s + n;
            while (a < e && (*a == ' ' || *a == '\t'))
                a++;
            while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            if (e > a)
                json_array_append_new(arr, json_stringn(a, (size_t)(e - a)));
            s += n;
            while (*s == '\r' || *s == '\n')
                s++;
        }
    }
    json_decref(list);
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

json_t *form_record(json_t *form, const struct field *spec, const char *prefix, unsigned allow,
                    struct form_errs *errs)
{
    json_t *rec = json_object();
    for (const struct field *f = spec; f->name; f++) {
        if (f->flags & (FF_READONLY | FF_CREATEONLY))
            continue; /* the page sets create-only fields itself */
        if ((f->flags & FF_VICTIM) && !(allow & FF_VICTIM))
            continue;
        if ((f->flags & FF_SUSPECT) && !(allow & FF_SUSPECT))
            continue;
        char name[FORM_MAX_NAME + 1];
        snprintf(name, sizeof name, "%s%s", prefix, f->name);
        json_t *v = NULL;
        if (f->type == FT_MULTI || f->type == FT_COUNTRIES) {
            v = multi_values(form, name, f->type == FT_COUNTRIES);
        } else if (f->type == FT_TEXTS) {
            v = line_values(form, name);
        } else {
            const char *s = form_str(form, name);
            if (!*s) {
                v = NULL;
            } else if (f->type == FT_INT) {
                int64_t n;
                if (parse_i64(s, INT32_MIN, INT32_MAX, &n)) {
                    add_err(errs, f->name, type_msg(f), f->min, f->max);
                    continue;
                }
                v = json_integer(n);
            } else if (f->type == FT_BOOL) {
                v = json_boolean(strcmp(s, "1") == 0 || strcmp(s, "on") == 0 ||
                                 strcmp(s, "true") == 0);
            } else {
                v = json_string(s);
            }
        }
        if (!v) {
            if (f->flags & FF_REQUIRED)
                add_err(errs, f->name, N_("This field is required."), 0, 0);
            continue;
        }
        json_t *one = json_object(), *ok = NULL;
        json_object_set(one, f->name, v);
        struct verr e;
        if (record_validate(spec, one, REC_UPDATE, allow, &ok, &e))
            add_err(errs, f->name, type_msg(f), f->type == FT_INT ? f->min : f->max, f->max);
        else
            json_object_set(rec, f->name, v);
        json_decref(ok);
        json_decref(one);
        json_decref(v);
    }
    return rec;
}
