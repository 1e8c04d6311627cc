/*
 * The HTML emitter: every page is written through html_printf(), whose
 * conversions escape by default, after Fossil's %h/%t. The conversion chosen
 * says where the value lands, and so how it is escaped:
 *
 *   %h  const char *  HTML text: & < > " ' become entities
 *   %a  const char *  an attribute value inside double quotes: as %h, and `
 *   %u  const char *  a URL component (query value, path segment): every byte
 *                     but A-Z a-z 0-9 - . _ ~ is percent-encoded
 *   %U  const char *  a whole URL for href/action/src: only a local path
 *                     ("/x", not "//x"), "?query", "#frag", http:, https: or
 *                     mailto: pass, then escaped as %a; anything else (such as
 *                     "javascript:") becomes the inert "about:invalid"
 *   %s  const char *  TRUSTED: written as is. Only for string literals of
 *                     markup in the source, never for data or translations
 *   %d  int    %D int64_t    %z size_t    %%  a percent sign
 *
 * A NULL string argument writes nothing. An unknown conversion is a
 * programming error: it writes "\xEF\xBF\xBD" (U+FFFD) and asserts in debug
 * builds. Output goes to a struct buf (util/buf.h), with its size limit.
 */
#ifndef VIGIL_HTML_H
#define VIGIL_HTML_H

#include <stdarg.h>

#include "util/buf.h"

int html_printf(struct buf *b, const char *fmt, ...);
int html_vprintf(struct buf *b, const char *fmt, va_list ap);

/* The conversions one at a time. Each returns buf_err(b). */
int html_text(struct buf *b, const char *s);
int html_attr(struct buf *b, const char *s);
int html_urlc(struct buf *b, const char *s);
int html_url(struct buf *b, const char *url);
/* 1 when url would pass %U unchanged (a local path, http(s), mailto). */
int html_url_safe(const char *url);

#endif
