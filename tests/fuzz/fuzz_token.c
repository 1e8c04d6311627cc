/*
 * Fuzzes the session token and cookie values the gate reads from outside:
 * token_shape_ok (the Bearer token and the session and CSRF cookies), the
 * language cookie, ?lang= and Accept-Language (i18n_negotiate, i18n_parse,
 * i18n_accept), and the Content-Type checks. They are static in
 * src/web/server.c, so that file is compiled into this harness.
 */
#include "web/server.c"

#include "web/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The shape the gate must insist on: 43 characters of base64url. */
static int shape(const char *t)
{
    size_t n = strlen(t);
    if (n != 43)
        return 0;
    return strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* three NUL-separated strings: token/cookie, lang query, Accept-Language */
    char *s = malloc(size + 3);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = s[size + 1] = s[size + 2] = '\0';
    const char *a = s;
    const char *b = a + strlen(a) + 1;
    const char *c = b <= s + size ? b + strlen(b) + 1 : b;
    if (c > s + size + 2)
        c = s + size + 2;

    if (token_shape_ok(a) != shape(a))
        abort();
    /* "Authorization: Bearer <token>" */
    if (strncasecmp(a, "Bearer ", 7) == 0 && token_shape_ok(a + 7) != shape(a + 7))
        abort();

    int l = i18n_negotiate(b, a, c);
    if (l < 0 || !i18n_code(l))
        abort();
    int p = i18n_parse(a);
    if (p >= 0 && !i18n_code(p))
        abort();
    int q = i18n_accept(c);
    if (q >= 0 && !i18n_code(q))
        abort();

    if (json_content_type(a) && form_content_type(a))
        abort();
    free(s);
    return 0;
}
