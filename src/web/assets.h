/*
 * Files compiled into the binary (scripts/embed-files): the stylesheet and
 * other files of static/, and the compiled gettext catalogues. Serving only
 * from this table means no request can name a file outside static/.
 */
#ifndef VIGIL_ASSETS_H
#define VIGIL_ASSETS_H

#include <stddef.h>

struct asset {
    const char *name;          /* "static/vigil.css", "locale/pt.mo" */
    const unsigned char *data; /* len bytes, then a NUL */
    size_t len;
};

extern const struct asset web_assets[]; /* NULL-name terminated */

/* The asset of that exact name, or NULL. */
const struct asset *asset_find(const char *name);

#endif
