/*
 * Growable byte buffers with a maximum size, after curl's dynbuf. Appending
 * past the maximum, or failing to allocate, puts the buffer in a sticky error
 * state: later appends do nothing and buf_err() reports why. The contents are
 * always NUL-terminated when buf_len() > 0 or after buf_cstr().
 */
#ifndef VIGIL_BUF_H
#define VIGIL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
    char *p;
    size_t len, cap, max;
    int err; /* 0, VIGIL_ETOOBIG or VIGIL_ENOMEM */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
int buf_add(struct buf *b, const void *data, size_t n);
/* Room for n bytes in all, ahead of appends (a size known in advance). */
int buf_reserve(struct buf *b, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* The contents as a C string (never NULL; "" when empty). Owned by b. */
const char *buf_cstr(struct buf *b);
/* Hand the contents to the caller (free() them); b is left empty. */
char *buf_take(struct buf *b, size_t *len);
static inline size_t buf_len(const struct buf *b)
{
    return b->len;
}
static inline int buf_err(const struct buf *b)
{
    return b->err;
}
/* buf_add and buf_putc without a call when the bytes fit in what is
 * allocated (writers of many small pieces: util/jsontext.c). */
static inline int buf_add_fast(struct buf *b, const void *data, size_t n)
{
    if (b->err || n >= b->cap - b->len || n > b->max - b->len)
        return buf_add(b, data, n);
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}
static inline int buf_putc_fast(struct buf *b, char c)
{
    return buf_add_fast(b, &c, 1);
}

#endif
