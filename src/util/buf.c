/* Bounded growable buffers; see buf.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

void buf_init(struct buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void buf_free(struct buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->err = 0;
    if (b->p)
        b->p[0] = '\0';
}

int buf_add(struct buf *b, const void *data, size_t n)
{
    if (b->err)
        return b->err;
    if (n > b->max || b->len > b->max - n) {
        b->err = VIGIL_ETOOBIG;
        return b->err;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->err = VIGIL_ENOMEM;
            return b->err;
        }
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int buf_reserve(struct buf *b, size_t n)
{
    if (b->err || b->cap >= n || n > b->max)
        return b->err;
    char *p = realloc(b->p, n);
    if (!p)
        return b->err = VIGIL_ENOMEM;
    if (!b->p)
        p[0] = '\0';
    b->p = p;
    b->cap = n;
    return 0;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
    return buf_add(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    char tmp[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        b->err = VIGIL_EINVAL;
        return b->err;
    }
    if ((size_t)n < sizeof tmp) {
        va_end(ap2);
        return buf_add(b, tmp, (size_t)n);
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        va_end(ap2);
        b->err = VIGIL_ENOMEM;
        return b->err;
    }
    vsnprintf(big, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    int rc = buf_add(b, big, (size_t)n);
    free(big);
    return rc;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *buf_cstr(struct buf *b)
{
    return b->p ? b->p : "";
}

char *buf_take(struct buf *b, size_t *len)
{
    char *p = b->p;
    if (!p)
        p = calloc(1, 1);
    if (len)
        *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}
