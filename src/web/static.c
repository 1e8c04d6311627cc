/* Static files (static/), served from the copies compiled into the binary. */
#include <stdio.h>
#include <string.h>

#include "util/err.h"
#include "web/assets.h"
#include "web/http.h"

const struct asset *asset_find(const char *name)
{
    for (const struct asset *a = web_assets; a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

static const struct {
    const char *ext, *type;
} types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
};

int page_static(struct req *r)
{
    char name[80];
    /* The gate matched {file}: one path segment, no '/', at most one dot. */
    snprintf(name, sizeof name, "static/%s", r->file);
    const struct asset *a = asset_find(name);
    const char *dot = strrchr(r->file, '.');
    const char *type = NULL;
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            type = types[i].type;
    if (!a || !type)
        return req_fail(r, VIGIL_ENOTFOUND, NULL, "no such file");
    r->raw = a->data;
    r->raw_len = a->len;
    r->raw_type = type;
    r->status = 200;
    return VIGIL_OK;
}
