/* The escaping HTML emitter; see html.h. */
#include <assert.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "web/html.h"

/* Write s escaped for HTML; attr adds the backtick (old IE attribute quote). */
static int escape(struct buf *b, const char *s, int attr)
{
    if (!s)
        return buf_err(b);
    const char *run = s;
    for (; *s; s++) {
        const char *ent = NULL;
        switch (*s) {
        case '&':
            ent = "&amp;";
            break;
        case '<':
            ent = "&lt;";
            break;
        case '>':
            ent = "&gt;";
            break;
        case '"':
            ent = "&quot;";
            break;
        case '\'':
            ent = "&#39;";
            break;
        case '`':
            ent = attr ? "&#96;" : NULL;
            break;
        default:
            break;
        }
        if (!ent)
            continue;
        buf_add(b, run, (size_t)(s - run));
        buf_puts(b, ent);
        run = s + 1;
    }
    buf_add(b, run, (size_t)(s - run));
    return buf_err(b);
}

int html_text(struct buf *b, const char *s)
{
    return escape(b, s, 0);
}

int html_attr(struct buf *b, const char *s)
{
    return escape(b, s, 1);
}

int html_urlc(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s)
        return buf_err(b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            buf_putc(b, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_add(b, e, 3);
        }
    }
    return buf_err(b);
}

int html_url_safe(const char *u)
{
    if (!u)
        return 0;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
            return 0; /* browsers drop tabs and newlines inside schemes */
    if (u[0] == '/')
        return u[1] != '/';
    if (u[0] == '?' || u[0] == '#')
        return 1;
    return strncasecmp(u, "https://", 8) == 0 || strncasecmp(u, "http://", 7) == 0 ||
           strncasecmp(u, "mailto:", 7) == 0;
}

int html_url(struct buf *b, const char *url)
{
    if (!url)
        return buf_err(b);
    return escape(b, html_url_safe(url) ? url : "about:invalid", 1);
}

int html_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        buf_add(b, run, (size_t)(p - run));
        p++;
        char num[32];
        switch (*p) {
        case 'h':
            html_text(b, va_arg(ap, const char *));
            break;
        case 'a':
            html_attr(b, va_arg(ap, const char *));
            break;
        case 'u':
            html_urlc(b, va_arg(ap, const char *));
            break;
        case 'U':
            html_url(b, va_arg(ap, const char *));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s)
                buf_puts(b, s);
            break;
        }
        case 'd':
            snprintf(num, sizeof num, "%d", va_arg(ap, int));
            buf_puts(b, num);
            break;
        case 'D':
            snprintf(num, sizeof num, "%" PRId64, va_arg(ap, int64_t));
            buf_puts(b, num);
            break;
        case 'z':
            snprintf(num, sizeof num, "%zu", va_arg(ap, size_t));
            buf_puts(b, num);
            break;
        case '%':
            buf_putc(b, '%');
            break;
        default:
            assert(!"unknown html_printf conversion");
            buf_puts(b, "\xEF\xBF\xBD");
            if (!*p)
                return buf_err(b);
            break;
        }
        run = p + 1;
    }
    buf_puts(b, run);
    return buf_err(b);
}

int html_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = html_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}
