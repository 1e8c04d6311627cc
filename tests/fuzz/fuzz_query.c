/*
 * Fuzzes query strings and request paths: the gate's path_match against every
 * pattern of the route table, arg_iter (the declared-parameter check) on each
 * route that takes parameters, and the strict parsers it relies on
 * (src/util/parse.c: parse_i64, parse_int, parse_date, parse_size,
 * utf8_valid, utf8_len, iso3166_valid, iso639_valid). path_match and
 * arg_iter are static, so src/web/server.c is compiled into this harness.
 */
#include "web/server.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_path(const char *path)
{
    for (const struct route *rt = routes; rt->method; rt++) {
        int64_t id = 0, sub = 0;
        const char *file = NULL;
        char code[65] = "";
        if (!path_match(rt->path, path, &id, &sub, &file, code))
            continue;
        if (strstr(rt->path, "{id}") && id <= 0)
            abort();
        if ((strstr(rt->path, "{pid}") || strstr(rt->path, "{sid}")) && sub <= 0)
            abort();
        if (strstr(rt->path, "{file}") && (!file || file[0] == '.' || strstr(file, "..")))
            abort();
        if (strstr(rt->path, "{code}") && (!code[0] || strlen(code) > 64))
            abort();
    }
}

static void fuzz_arg(unsigned sel, const char *key, const char *value)
{
    size_t nwith = 0;
    for (const struct route *rt = routes; rt->method; rt++)
        if (rt->params)
            nwith++;
    if (!nwith)
        return;
    size_t want = sel % nwith;
    for (const struct route *rt = routes; rt->method; rt++) {
        if (!rt->params || want--)
            continue;
        struct req r;
        memset(&r, 0, sizeof r);
        r.route = rt;
        struct argscan a;
        memset(&a, 0, sizeof a);
        a.r = &r;
        /* twice: the second call sees the first value and must refuse it */
        for (int k = 0; k < 2; k++) {
            enum MHD_Result res = arg_iter(&a, MHD_GET_ARGUMENT_KIND, key, value);
            if (res == MHD_NO && !a.bad)
                abort();
        }
        for (int i = 0; i < MAX_PARAMS; i++)
            if (r.q[i] && !utf8_valid(r.q[i], strlen(r.q[i])))
                abort();
        break;
    }
}

static void fuzz_parsers(const char *s, size_t n)
{
    int64_t v = 7;
    if (parse_i64(s, -1000, 1000000, &v) == 0 && (v < -1000 || v > 1000000))
        abort();
    int iv;
    if (parse_int(s, INT32_MIN, INT32_MAX, &iv) == 0 && !*s)
        abort();
    int y, m, d;
    if (parse_date(s, &y, &m, &d) == 0 &&
        (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 || strlen(s) != 10))
        abort();
    size_t sz;
    if (parse_size(s, 1, SIZE_MAX, &sz) == 0 && sz < 1)
        abort();
    if (utf8_valid(s, n)) {
        if (utf8_len(s) > n)
            abort();
    }
    if (iso3166_valid(s) && strlen(s) != 2)
        abort();
    if (iso639_valid(s) && strlen(s) != 2 && strlen(s) != 3)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    switch (data[0] % 3) {
    case 0:
        fuzz_path(s);
        break;
    case 1: {
        /* key=value, the value as libmicrohttpd hands it over (decoded) */
        char *eq = strchr(s, '=');
        const char *value = NULL;
        if (eq) {
            *eq = '\0';
            value = eq + 1;
        }
        fuzz_arg(data[0] / 3u, s, value);
        break;
    }
    default:
        fuzz_parsers(s, strlen(s));
        break;
    }
    free(s);
    return 0;
}
