/* Declarative record validation; see record.h. */
#include <stdio.h>
#include <string.h>

#include "core/htcds.h"
#include "core/record.h"
#include "util/err.h"
#include "util/parse.h"

static int fail(struct verr *err, const char *field, const char *fmt, const char *a)
{
    snprintf(err->field, sizeof err->field, "%s", field);
    snprintf(err->msg, sizeof err->msg, fmt, field, a ? a : "");
    return VIGIL_EINVAL;
}

const struct field *record_field(const struct field *spec, const char *name)
{
    for (; spec->name; spec++)
        if (strcmp(spec->name, name) == 0)
            return spec;
    return NULL;
}

const char *const *record_values(const struct field *f)
{
    if (f->values)
        return f->values;
    if (f->htcds) {
        const struct htcds_enum *e = htcds_enum_find(f->htcds);
        if (e)
            return e->values;
    }
    return NULL;
}

static int in_list(const char *const *vals, const char *v)
{
    for (; vals && *vals; vals++)
        if (strcmp(*vals, v) == 0)
            return 1;
    return 0;
}

static int check_text(const struct field *f, json_t *v, struct verr *err)
{
    if (!json_is_string(v))
        return fail(err, f->name, "field '%s' must be a string", NULL);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n || !utf8_valid(s, n))
        return fail(err, f->name, "field '%s' is not valid UTF-8 text", NULL);
    size_t cps = utf8_len(s);
    if (f->max && cps > (size_t)f->max) {
        char lim[32];
        snprintf(lim, sizeof lim, "%ld", f->max);
        return fail(err, f->name, "field '%s' is longer than %s characters", lim);
    }
    if ((long)cps < f->min)
        return fail(err, f->name, "field '%s' must not be empty", NULL);
    if (f->type == FT_TEXT)
        for (const char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20 && *p != '\t')
                return fail(err, f->name, "field '%s' must be a single line", NULL);
    if (f->type == FT_LONGTEXT)
        for (const char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                return fail(err, f->name, "field '%s' holds a control character", NULL);
    return VIGIL_OK;
}

static int check_scalar(const struct field *f, json_t *v, enum ftype t, struct verr *err)
{
    switch (t) {
    case FT_TEXT:
    case FT_LONGTEXT:
        return check_text(f, v, err);
    case FT_TEXTS: {
        /* one item of the array: a line of min (at least 1) to max */
        struct field item = *f;
        item.type = FT_TEXT;
        item.min = f->min > 0 ? f->min : 1;
        return check_text(&item, v, err);
    }
    case FT_ENUM:
    case FT_MULTI:
        if (!json_is_string(v))
            return fail(err, f->name, "field '%s' must be a string", NULL);
        if (!in_list(record_values(f), json_string_value(v)))
            return fail(err, f->name, "field '%s' has an unknown value '%.60s'",
                        json_string_value(v));
        return VIGIL_OK;
    case FT_DATE:
        if (!json_is_string(v) || parse_date(json_string_value(v), NULL, NULL, NULL))
            return fail(err, f->name, "field '%s' must be a date YYYY-MM-DD", NULL);
        return VIGIL_OK;
    case FT_INT:
        if (!json_is_integer(v) || json_integer_value(v) < f->min ||
            json_integer_value(v) > f->max) {
            char lim[64];
            snprintf(lim, sizeof lim, "%ld to %ld", f->min, f->max);
            return fail(err, f->name, "field '%s' must be a whole number from %s", lim);
        }
        return VIGIL_OK;
    case FT_BOOL:
        if (!json_is_boolean(v))
            return fail(err, f->name, "field '%s' must be true or false", NULL);
        return VIGIL_OK;
    case FT_COUNTRY:
    case FT_COUNTRIES:
        if (!json_is_string(v) || !iso3166_valid(json_string_value(v)))
            return fail(err, f->name, "field '%s' must be an ISO 3166-1 alpha-2 country code",
                        NULL);
        return VIGIL_OK;
    case FT_LANG:
        if (!json_is_string(v) || !iso639_valid(json_string_value(v)))
            return fail(err, f->name, "field '%s' must be an ISO 639 language code", NULL);
        return VIGIL_OK;
    }
    return VIGIL_EINVAL;
}

static int check_field(const struct field *f, json_t *v, struct verr *err)
{
    if (f->type != FT_MULTI && f->type != FT_COUNTRIES && f->type != FT_TEXTS)
        return check_scalar(f, v, f->type, err);
    if (!json_is_array(v))
        return fail(err, f->name, "field '%s' must be an array", NULL);
    if (json_array_size(v) > 64)
        return fail(err, f->name, "field '%s' has too many values", NULL);
    size_t i, j;
    json_t *x, *y;
    json_array_foreach(v, i, x)
    {
        int rc = check_scalar(f, x, f->type, err);
        if (rc)
            return rc;
        if (f->type == FT_TEXTS)
            continue; /* a list of texts may say the same thing twice */
        json_array_foreach(v, j, y)
        {
            if (j < i && strcmp(json_string_value(x), json_string_value(y)) == 0)
                return fail(err, f->name, "field '%s' repeats the value '%.60s'",
                            json_string_value(x));
        }
    }
    return VIGIL_OK;
}

int record_validate(const struct field *spec, json_t *in, int mode, unsigned allow, json_t **out,
                    struct verr *err)
{
    memset(err, 0, sizeof *err);
    if (!json_is_object(in))
        return fail(err, "", "the body must be a JSON object%s", NULL);
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
    {
        const struct field *f = record_field(spec, key);
        if (!f)
            return fail(err, key, "unknown field '%.60s'", NULL);
        if (f->flags & FF_READONLY)
            return fail(err, key, "field '%s' is read-only", NULL);
        if (mode == REC_UPDATE && (f->flags & FF_CREATEONLY))
            return fail(err, key, "field '%s' cannot be changed", NULL);
        if ((f->flags & FF_VICTIM) && !(allow & FF_VICTIM))
            return fail(err, key, "field '%s' applies to victims only", NULL);
        if ((f->flags & FF_SUSPECT) && !(allow & FF_SUSPECT))
            return fail(err, key, "field '%s' applies to suspects only", NULL);
        if (json_is_null(v)) {
            if (f->flags & FF_REQUIRED)
                return fail(err, key, "field '%s' is required", NULL);
            continue;
        }
        int rc = check_field(f, v, err);
        if (rc)
            return rc;
    }
    if (mode == REC_CREATE)
        for (const struct field *f = spec; f->name; f++)
            if ((f->flags & FF_REQUIRED) && !json_object_get(in, f->name))
                return fail(err, f->name, "field '%s' is required", NULL);
    json_t *o = json_object();
    json_object_foreach(in, key, v)
    {
        if (json_is_null(v) && mode == REC_CREATE)
            continue;
        json_object_set(o, key, v);
    }
    *out = o;
    return VIGIL_OK;
}
