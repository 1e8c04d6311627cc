/*
 * HTTP tests of public statements and the public pages (DESIGN §5, §7; the
 * public-side issue): the statements API (a draft is not public, publishing,
 * languages with the Chinese original standing in for a missing
 * translation, a stale If-Match is 409, only the secretariat writes), the
 * pages under /public/ without a login (each carries the translation notice
 * and the page-feedback form), the Atom feed per language, and the public
 * forms with bad input: an empty, too long or not-UTF-8 message gets a 400
 * page in the reader's language that keeps what was typed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

static struct server srv;
static char *sec, *inv;
/* A pre-session CSRF token: the public forms are double-submit. */
#define CSRF "abcdefghijABCDEFGHIJ0123456789abcdefghij-_x"

static const char *const notice[3] = {
    "以中文文本為準，其他語言版本僅為譯本，只供參考。",
    "O texto em chinês é o original; as outras versões são traduções apenas para referência.",
    "The Chinese text is the original; the other versions are translations for reference only.",
};
static const char *const codes[3] = {"zh-Hant", "pt", "en"};

static int setup(void **state)
{
    (void)state;
    const char *const extra[] = {"--public-rate", "0", NULL};
    if (server_start(&srv, extra))
        return -1;
    sec = login(&srv, "secretariat");
    inv = login(&srv, "investigator");
    return sec && inv ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(sec);
    free(inv);
    server_cleanup(&srv);
    return 0;
}

static json_int_t create(const char *body, json_t **out)
{
    struct http_resp r;
    http_request(&srv, "POST", "/api/v1/statements", sec, body, NULL, &r);
    check_status(&r, 201);
    json_t *j = check_json(&r);
    json_int_t id = json_int(j, "id");
    if (out)
        *out = json_incref(j);
    http_free(&r);
    return id;
}

static void publish(json_int_t id)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/statements/%lld/publish", (long long)id);
    struct http_resp r;
    http_request(&srv, "POST", path, sec, NULL, NULL, &r);
    check_status(&r, 200);
    assert_string_equal(json_str(check_json(&r), "state"), "published");
    http_free(&r);
}

/* Whether a published statement with this id is in the public list. */
static json_t *listed(json_int_t id, const char *lang)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/statements%s%s", lang ? "?lang=" : "", lang ? lang : "");
    struct http_resp r;
    http_get(&srv, path, NULL, &r);
    check_status(&r, 200);
    json_t *items = json_object_get(check_json(&r), "items");
    json_t *found = NULL;
    size_t i;
    json_t *s;
    json_array_foreach(items, i, s)
    {
        if (json_integer_value(json_object_get(s, "id")) == id)
            found = json_incref(s);
    }
    http_free(&r);
    return found;
}

static void test_api(void **state)
{
    (void)state;
    json_t *s;
    json_int_t id = create("{\"title_zh\":\"打擊強迫勞動聲明\",\"body_zh\":\"委員會關注。\","
                           "\"title_en\":\"Statement on forced labour\","
                           "\"body_en\":\"The committee is concerned.\"}",
                           &s);
    assert_string_equal(json_str(s, "state"), "draft");
    assert_int_equal(json_int(s, "version"), 1);
    assert_true(json_is_null(json_object_get(s, "published_at")));
    json_decref(s);

    /* a draft is not public */
    assert_null(listed(id, NULL));
    char path[96];
    snprintf(path, sizeof path, "/api/v1/statements/%lld", (long long)id);
    struct http_resp r;
    http_get(&srv, path, NULL, &r);
    check_error(&r, 404, NULL);
    http_free(&r);
    http_get(&srv, path, inv, &r);
    check_error(&r, 404, NULL);
    http_free(&r);
    http_get(&srv, path, sec, &r);
    check_status(&r, 200);
    http_free(&r);

    /* roles: only the secretariat writes */
    http_request(&srv, "POST", "/api/v1/statements", NULL, "{\"title_zh\":\"x\",\"body_zh\":\"y\"}",
                 NULL, &r);
    check_error(&r, 401, NULL);
    http_free(&r);
    http_request(&srv, "POST", "/api/v1/statements", inv, "{\"title_zh\":\"x\",\"body_zh\":\"y\"}",
                 NULL, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_request(&srv, "PATCH", path, inv, "{\"title_pt\":\"x\"}", NULL, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    /* the original is required */
    http_request(&srv, "POST", "/api/v1/statements", sec, "{\"title_en\":\"x\",\"body_en\":\"y\"}",
                 NULL, &r);
    check_error(&r, 400, "title_zh");
    http_free(&r);

    /* edits at a version */
    http_request(&srv, "PATCH", path, sec, "{\"body_en\":\"The committee is deeply concerned.\"}",
                 NULL, &r);
    check_error(&r, 428, "If-Match");
    http_free(&r);
    const char *const v1[] = {"If-Match: \"1\"", NULL};
    http_request(&srv, "PATCH", path, sec, "{\"body_en\":\"The committee is deeply concerned.\"}",
                 v1, &r);
    check_status(&r, 200);
    assert_int_equal(json_int(check_json(&r), "version"), 2);
    http_free(&r);
    http_request(&srv, "PATCH", path, sec, "{\"title_en\":\"Lost update\"}", v1, &r);
    check_error(&r, 409, NULL);
    http_free(&r);
    const char *const v2[] = {"If-Match: \"2\"", NULL};
    http_request(&srv, "PATCH", path, sec, "{\"title_zh\":null}", v2, &r);
    check_error(&r, 400, "title_zh");
    http_free(&r);

    /* publishing, and what each language sees */
    publish(id);
    json_t *en = listed(id, "en");
    assert_non_null(en);
    assert_string_equal(json_str(en, "title"), "Statement on forced labour");
    assert_string_equal(json_str(en, "body"), "The committee is deeply concerned.");
    assert_true(json_is_true(json_object_get(en, "translated")));
    assert_non_null(json_string_value(json_object_get(en, "published_at")));
    json_decref(en);
    json_t *pt = listed(id, "pt");
    assert_non_null(pt);
    assert_string_equal(json_str(pt, "title"), "打擊強迫勞動聲明"); /* the original */
    assert_string_equal(json_str(pt, "lang"), "zh-Hant");
    assert_true(json_is_false(json_object_get(pt, "translated")));
    json_decref(pt);
    http_get(&srv, path, NULL, &r);
    check_status(&r, 200);
    assert_string_equal(json_str(check_json(&r), "title_en"), "Statement on forced labour");
    http_free(&r);
    snprintf(path, sizeof path, "/api/v1/statements/%lld/publish", (long long)id);
    http_request(&srv, "POST", path, inv, NULL, NULL, &r);
    check_error(&r, 403, NULL);
    http_free(&r);
    http_get(&srv, "/api/v1/statements?lang=fr", NULL, &r);
    check_error(&r, 400, "lang");
    http_free(&r);
}

/* GET a page in a language: 200 (or want) with the notice and the form. */
static void page_ok(const char *path, int lang, long want, const char *needle)
{
    char full[256];
    snprintf(full, sizeof full, "%s%slang=%s", path, strchr(path, '?') ? "&" : "?", codes[lang]);
    struct http_resp r;
    http_get(&srv, full, NULL, &r);
    if (r.status != want || !strstr(r.body, notice[lang]) ||
        !strstr(r.body, "action=\"/public/feedback\"") || !strstr(r.body, "name=\"website\"") ||
        (needle && !strstr(r.body, needle)))
        print_error("GET %s: %ld\n%s\n", full, r.status, r.body);
    assert_int_equal(r.status, want);
    assert_non_null(strstr(r.body, notice[lang]));
    assert_non_null(strstr(r.body, "action=\"/public/feedback\""));
    assert_non_null(strstr(r.body, "class=\"hp\""));
    if (needle)
        assert_non_null(strstr(r.body, needle));
    char h[128];
    assert_non_null(http_header(&r, "Content-Type", h, sizeof h));
    assert_non_null(strstr(h, "text/html"));
    http_free(&r);
}

static void test_public_pages(void **state)
{
    (void)state;
    json_int_t pub =
        create("{\"title_zh\":\"關於外地僱員權益的聲明\",\"body_zh\":\"第一段。\\n\\n第二段。\","
               "\"title_en\":\"On the rights of non-resident workers\","
               "\"body_en\":\"First paragraph.\"}",
               NULL);
    publish(pub);
    json_int_t draft = create("{\"title_zh\":\"未發佈的草稿\",\"body_zh\":\"草稿\"}", NULL);
    char spath[64], dpath[64];
    snprintf(spath, sizeof spath, "/public/statements/%lld", (long long)pub);
    snprintf(dpath, sizeof dpath, "/public/statements/%lld", (long long)draft);
    char link[96];
    snprintf(link, sizeof link, "href=\"%s\"", spath);
    for (int l = 0; l < 3; l++) {
        page_ok("/public/", l, 200, link);
        page_ok("/public/tip", l, 200, "name=\"what\"");
        page_ok("/public/tip/follow", l, 200, "name=\"code\"");
        page_ok(dpath, l, 404, NULL);
        page_ok("/public/statements/999999", l, 404, NULL);
    }
    page_ok(spath, 0, 200, "<p>第一段。</p><p>第二段。</p>");
    page_ok(spath, 2, 200, "On the rights of non-resident workers");
    /* Portuguese is missing: the original, with a note in Portuguese */
    page_ok(spath, 1, 200, "Este comunicado ainda não foi traduzido");
    page_ok(spath, 1, 200, "lang=\"zh-Hant\"><h1>關於外地僱員權益的聲明</h1>");
    page_ok("/public/?x=1", 1, 400, NULL); /* unknown parameter: 400 page, same layout */

    /* the secretariat's pages */
    struct http_resp r;
    http_get(&srv, "/statements", sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "未發佈的草稿"));
    http_free(&r);
    http_get(&srv, "/statements", inv, &r);
    check_status(&r, 403);
    http_free(&r);
    http_get(&srv, "/feedback", sec, &r);
    check_status(&r, 200);
    http_free(&r);
}

static void test_atom(void **state)
{
    (void)state;
    json_int_t id = create("{\"title_zh\":\"中文標題 <b>&\",\"body_zh\":\"內容\","
                           "\"title_en\":\"Tom & Jerry <script>\",\"body_en\":\"a < b\"}",
                           NULL);
    publish(id);
    json_int_t draft = create("{\"title_zh\":\"草稿不在訂閱\",\"body_zh\":\"x\"}", NULL);
    (void)draft;
    for (int l = 0; l < 3; l++) {
        char path[96];
        snprintf(path, sizeof path, "/public/statements.atom?lang=%s", codes[l]);
        struct http_resp r;
        http_get(&srv, path, NULL, &r);
        check_status(&r, 200);
        char h[128];
        assert_non_null(http_header(&r, "Content-Type", h, sizeof h));
        assert_non_null(strstr(h, "application/atom+xml"));
        assert_true(strncmp(r.body, "<?xml version=\"1.0\" encoding=\"utf-8\"?>", 38) == 0);
        assert_non_null(strstr(r.body, "<feed xmlns=\"http://www.w3.org/2005/Atom\""));
        char lang[64];
        snprintf(lang, sizeof lang, "xml:lang=\"%s\"", codes[l]);
        assert_non_null(strstr(r.body, lang));
        char eid[64];
        snprintf(eid, sizeof eid, "<id>urn:vigil:statement:%lld</id>", (long long)id);
        assert_non_null(strstr(r.body, eid));
        assert_null(strstr(r.body, "草稿不在訂閱"));
        assert_null(strstr(r.body, "<script>"));
        assert_null(strstr(r.body, "<b>"));
        if (l == 2)
            assert_non_null(strstr(r.body, "<title>Tom &amp; Jerry &lt;script&gt;</title>"));
        else
            assert_non_null(strstr(r.body, "<title>中文標題 &lt;b&gt;&amp;</title>"));
        assert_non_null(strstr(r.body, "</feed>\n"));
        /* well-formed XML, when xmllint is there */
        char file[600];
        snprintf(file, sizeof file, "%s/feed.xml", srv.dir);
        FILE *f = fopen(file, "w");
        assert_non_null(f);
        fwrite(r.body, 1, r.len, f);
        fclose(f);
        const char *const lint[] = {"xmllint", "--noout", file, NULL};
        int rc = run_prog(lint, NULL, NULL);
        assert_true(rc == 0 || rc == -1 || rc == 127);
        http_free(&r);
    }
}

/* POST a public form (urlencoded, with the pre-session CSRF cookie). */
static long post_form(const char *path, const char *body, int with_cookie, struct http_resp *r)
{
    const char *const hdr[] = {"Cookie: vigil_csrf=" CSRF, NULL};
    struct http_req rq = {.method = "POST",
                          .path = path,
                          .body = body,
                          .content_type = "application/x-www-form-urlencoded",
                          .headers = with_cookie ? hdr : NULL};
    return http_do(&srv, &rq, r);
}

static void test_feedback_form(void **state)
{
    (void)state;
    struct http_resp r;
    /* empty message, in Portuguese: the error in Portuguese, the contact kept */
    post_form("/public/feedback?lang=pt",
              "csrf=" CSRF "&page=%2Fpublic%2F&lang=pt&message=++&contact=ana%40example.org", 1,
              &r);
    check_status(&r, 400);
    assert_non_null(strstr(r.body, "este campo é obrigatório"));
    assert_non_null(strstr(r.body, "value=\"ana@example.org\""));
    assert_non_null(strstr(r.body, notice[1]));
    assert_non_null(strstr(r.body, "<html lang=\"pt\""));
    http_free(&r);

    /* too long, in Chinese: the text kept */
    size_t n = 2001;
    char *body = malloc(n + 200);
    int k = snprintf(body, 200, "csrf=" CSRF "&page=%%2Fpublic%%2Ftip&message=");
    memset(body + k, 'x', n);
    body[k + n] = '\0';
    post_form("/public/feedback?lang=zh-Hant", body, 1, &r);
    check_status(&r, 400);
    assert_non_null(strstr(r.body, "文字過長：最多 2000 字。"));
    char *kept = malloc(n + 1);
    memset(kept, 'x', n);
    kept[n] = '\0';
    assert_non_null(strstr(r.body, kept));
    assert_non_null(strstr(r.body, "name=\"page\" value=\"/public/tip\""));
    free(kept);
    free(body);
    http_free(&r);

    /* not UTF-8, in English: the readable part kept, the bad byte marked */
    post_form("/public/feedback?lang=en", "csrf=" CSRF "&page=%2Fpublic%2F&message=caf%E9+menu", 1,
              &r);
    check_status(&r, 400);
    assert_non_null(strstr(r.body, "it is not valid UTF-8 text"));
    assert_non_null(strstr(r.body, "caf\xEF\xBF\xBD menu"));
    http_free(&r);

    /* a control character is refused the same way */
    post_form("/public/feedback?lang=en", "csrf=" CSRF "&page=%2Fpublic%2F&message=a%01b", 1, &r);
    check_status(&r, 400);
    http_free(&r);

    /* without the CSRF cookie: 403, in the same layout */
    post_form("/public/feedback?lang=en", "csrf=" CSRF "&page=%2Fpublic%2F&message=hello", 0, &r);
    check_status(&r, 403);
    assert_non_null(strstr(r.body, notice[2]));
    http_free(&r);

    /* a good message is stored, and the secretariat sees it */
    char word[24], good[256];
    random_hex(word, 6);
    snprintf(
        good, sizeof good,
        "csrf=" CSRF "&page=%%2Fpublic%%2F&lang=en&message=Typo+in+%s&contact=&website=", word);
    post_form("/public/feedback?lang=en", good, 1, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "id=\"feedback-sent\""));
    http_free(&r);
    http_get(&srv, "/api/v1/feedback", sec, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, word));
    http_free(&r);
    /* the honeypot: answered the same, nothing kept */
    char bot[24], botb[256];
    random_hex(bot, 6);
    snprintf(botb, sizeof botb,
             "csrf=" CSRF "&page=%%2Fpublic%%2F&message=spam+%s&website=http%%3A%%2F%%2Fx", bot);
    post_form("/public/feedback?lang=en", botb, 1, &r);
    check_status(&r, 200);
    http_free(&r);
    http_get(&srv, "/api/v1/feedback", sec, &r);
    assert_null(strstr(r.body, bot));
    http_free(&r);
}

static void test_tip_form(void **state)
{
    (void)state;
    struct http_resp r;
    post_form("/public/tip?lang=pt", "csrf=" CSRF "&what=&where=Taipa&when=ontem", 1, &r);
    check_status(&r, 400);
    assert_non_null(strstr(r.body, "Descreva o que aconteceu"));
    assert_non_null(strstr(r.body, "value=\"Taipa\""));
    http_free(&r);

    post_form("/public/tip?lang=en",
              "csrf=" CSRF "&what=Workers+locked+in+a+flat&where=Taipa&when=&contact=&website=", 1,
              &r);
    check_status(&r, 200);
    const char *at = strstr(r.body, "id=\"follow-code\">");
    assert_non_null(at);
    char code[32];
    assert_int_equal(sscanf(at + strlen("id=\"follow-code\">"), "%23[A-Z0-9-]", code), 1);
    assert_int_equal(strlen(code), 23);
    assert_non_null(strstr(r.body, "It is shown only once"));
    http_free(&r);

    char body[256];
    snprintf(body, sizeof body, "csrf=" CSRF "&code=%s", code);
    post_form("/public/tip/follow?lang=en", body, 1, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "Received, not yet reviewed"));
    assert_non_null(strstr(r.body, "id=\"tip-additions\">0<"));
    assert_null(strstr(r.body, "Workers locked")); /* never what the tip said */
    http_free(&r);

    snprintf(body, sizeof body, "csrf=" CSRF "&code=%s&what=", code);
    post_form("/public/tip/follow?lang=en", body, 1, &r);
    check_status(&r, 400);
    assert_non_null(strstr(r.body, "Write the information you want to add"));
    http_free(&r);

    snprintf(body, sizeof body, "csrf=" CSRF "&code=%s&what=They+moved+them+today", code);
    post_form("/public/tip/follow?lang=en", body, 1, &r);
    check_status(&r, 200);
    assert_non_null(strstr(r.body, "id=\"tip-added\""));
    assert_non_null(strstr(r.body, "id=\"tip-additions\">1<"));
    http_free(&r);

    post_form("/public/tip/follow?lang=zh-Hant", "csrf=" CSRF "&code=AAAAA-BBBBB-CCCCC-DDDDD", 1,
              &r);
    check_status(&r, 404);
    assert_non_null(strstr(r.body, "沒有舉報使用此跟進編號"));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api),      cmocka_unit_test(test_public_pages),
        cmocka_unit_test(test_atom),     cmocka_unit_test(test_feedback_form),
        cmocka_unit_test(test_tip_form),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
