/*
 * Fuzzes the escaping template emitter (src/web/html.c): html_printf with
 * fuzzed strings in %h (text), %a (attribute), %u (URL component) and %U
 * (whole URL). Asserts that no raw '<', '>', quote or backtick from the input
 * reaches the page, that a URL component is only unreserved characters and
 * %XX, and that %U never yields a javascript: (or any other unsafe) URL.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "web/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count(const char *s, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == c;
    return k;
}

static int url_ok(const char *u, size_t n)
{
    if (n == 13 && memcmp(u, "about:invalid", 13) == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)u[i] < 0x20 || u[i] == 0x7f || u[i] == '\\')
            return 0;
    if (n >= 1 && u[0] == '/')
        return n == 1 || u[1] != '/';
    if (n >= 1 && (u[0] == '?' || u[0] == '#'))
        return 1;
    return (n >= 8 && strncasecmp(u, "https://", 8) == 0) ||
           (n >= 7 && strncasecmp(u, "http://", 7) == 0) ||
           (n >= 7 && strncasecmp(u, "mailto:", 7) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* four NUL-separated strings: text, attribute, URL component, URL */
    char *s = malloc(size + 4);
    if (!s)
        return 0;
    memcpy(s, data, size);
    memset(s + size, 0, 4);
    const char *arg[4];
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        arg[i] = p;
        if (p < s + size)
            p += strlen(p) + 1;
    }

    struct buf b;
    buf_init(&b, 1 << 22);
    /* the literal markup has 6 '<', 6 '>', 6 '"' and no ' */
    static const char fmt[] = "<p title=\"%a\">%h<a href=\"/c?q=%u\">x</a><a href=\"%U\">y</a></p>";
    if (html_printf(&b, fmt, arg[1], arg[0], arg[2], arg[3]) == 0) {
        const char *o = buf_cstr(&b);
        size_t n = buf_len(&b);
        if (count(o, n, '<') != 6 || count(o, n, '>') != 6 || count(o, n, '"') != 6 ||
            count(o, n, '\'') != 0)
            abort();
    }
    buf_free(&b);

    /* an attribute value holds no quote, backtick or angle bracket */
    buf_init(&b, 1 << 22);
    if (html_attr(&b, arg[1]) == 0) {
        const char *o = buf_cstr(&b);
        if (strpbrk(o, "\"'`<>"))
            abort();
    }
    buf_free(&b);

    buf_init(&b, 1 << 22);
    if (html_urlc(&b, arg[2]) == 0) {
        const char *o = buf_cstr(&b);
        size_t n = buf_len(&b);
        if (strspn(o, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%") != n)
            abort();
    }
    buf_free(&b);

    buf_init(&b, 1 << 22);
    if (html_url(&b, arg[3]) == 0) {
        const char *o = buf_cstr(&b);
        size_t n = buf_len(&b);
        if (!url_ok(o, n) || count(o, n, '"') || count(o, n, '<') || count(o, n, '`'))
            abort();
        /* "javascript:" may only appear after a safe start, never as the scheme */
        if (n >= 11 && strncasecmp(o, "javascript:", 11) == 0)
            abort();
        if (html_url_safe(arg[3]) != (strcmp(o, "about:invalid") != 0))
            abort();
    }
    buf_free(&b);
    free(s);
    return 0;
}
