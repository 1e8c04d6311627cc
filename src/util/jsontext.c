/* JSON text of a jansson value; see jsontext.h. */
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/jsontext.h"

void json_text_string(struct buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    buf_putc_fast(out, '"');
    size_t run = 0; /* bytes at s that need no escape, not yet copied */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_add_fast(out, s + run, i - run);
        run = i + 1;
        char esc[7] = {'\\', 0};
        size_t k = 2;
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            k = 6;
        }
        buf_add_fast(out, esc, k);
    }
    buf_add_fast(out, s + run, n - run);
    buf_putc_fast(out, '"');
}

void json_text_int(struct buf *out, long long n)
{
    char d[24], *p = d + sizeof d;
    /* digits from the end; unsigned so that the most negative works */
    unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (n < 0)
        *--p = '-';
    buf_add_fast(out, p, (size_t)(d + sizeof d - p));
}

static int put(const json_t *v, struct buf *out, int depth)
{
    if (depth > JSON_TEXT_DEPTH)
        return VIGIL_EINVAL;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *x;
        int first = 1;
        buf_putc_fast(out, '{');
        json_object_foreach((json_t *)v, k, x)
        {
            if (!first)
                buf_putc_fast(out, ',');
            first = 0;
            json_text_string(out, k, strlen(k));
            buf_putc_fast(out, ':');
            if (put(x, out, depth + 1))
                return VIGIL_EINVAL;
        }
        buf_putc_fast(out, '}');
        break;
    }
    case JSON_ARRAY: {
        buf_putc_fast(out, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                buf_putc_fast(out, ',');
            if (put(json_array_get(v, i), out, depth + 1))
                return VIGIL_EINVAL;
        }
        buf_putc_fast(out, ']');
        break;
    }
    case JSON_STRING:
        json_text_string(out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        json_text_int(out, json_integer_value(v));
        break;
    case JSON_REAL: {
        /* jansson's own rules for reals (rare here: rates in statistics) */
        char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!t)
            return VIGIL_ENOMEM;
        buf_puts(out, t);
        free(t);
        break;
    }
    case JSON_TRUE:
        buf_puts(out, "true");
        break;
    case JSON_FALSE:
        buf_puts(out, "false");
        break;
    case JSON_NULL:
        buf_puts(out, "null");
        break;
    }
    return VIGIL_OK;
}

int json_text(const json_t *v, struct buf *out)
{
    if (!v)
        return VIGIL_EINVAL;
    int rc = put(v, out, 0);
    return rc ? rc : buf_err(out);
}
