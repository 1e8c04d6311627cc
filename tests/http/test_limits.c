/*
 * HTTP tests of the server's configurable limits (DESIGN §7 "Limits: request
 * body size, header size, connections per IP … all set, configurable, and
 * tested"): --per-ip refuses connections beyond the limit and serves again
 * once one closes; the default allows several; --max-header lowers the
 * header limit (431). Body size limits are in test_badinput.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/harness.h"

static struct server srv; /* a server per test; cleaned up by teardown too */

static int teardown_one(void **state)
{
    (void)state;
    server_cleanup(&srv);
    return 0;
}

/* An idle TCP connection to the server, or -1. */
static int hold_connection(struct server *s)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)s->port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* GET /healthz until it answers 200, at most tries times; the last status.
 * (The server notices a closed connection asynchronously.) */
static long healthz_eventually(struct server *s, int tries)
{
    long st = 0;
    for (int i = 0; i < tries; i++) {
        struct http_resp r;
        st = http_get(s, "/healthz", NULL, &r);
        http_free(&r);
        if (st == 200)
            break;
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return st;
}

static void test_per_ip_limit(void **state)
{
    (void)state;
    const char *extra[] = {"--per-ip", "2", NULL};
    assert_int_equal(server_start(&srv, extra), 0);
    int a = hold_connection(&srv), b = hold_connection(&srv);
    assert_true(a >= 0 && b >= 0);
    /* Once the server has accepted the two idle connections (its threads
     * may take a moment under a sanitizer), a third is over the limit:
     * closed without an answer. */
    long refused = -1;
    for (int i = 0; i < 250 && refused != 0; i++) {
        struct http_resp r;
        http_get(&srv, "/healthz", NULL, &r);
        refused = r.status;
        http_free(&r);
        if (refused != 0) {
            struct timespec ts = {0, 20 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    close(a);
    /* With one closed, the server serves again. */
    long after = healthz_eventually(&srv, 250);
    close(b);
    assert_int_equal(refused, 0);
    assert_int_equal(after, 200);
    assert_int_equal(server_stop(&srv), 0);
}

static void test_default_limit_is_not_tiny(void **state)
{
    (void)state;
    /* With defaults, a handful of idle connections do not lock others out. */
    assert_int_equal(server_start(&srv, NULL), 0);
    int fds[8];
    for (int i = 0; i < 8; i++) {
        fds[i] = hold_connection(&srv);
        assert_true(fds[i] >= 0);
    }
    struct http_resp r;
    http_get(&srv, "/healthz", NULL, &r);
    long st = r.status;
    http_free(&r);
    for (int i = 0; i < 8; i++)
        close(fds[i]);
    assert_int_equal(st, 200);
    assert_int_equal(server_stop(&srv), 0);
}

static long get_with_header(struct server *s, size_t n)
{
    char *h = malloc(n + 16);
    assert_non_null(h);
    memcpy(h, "X-Pad: ", 7);
    memset(h + 7, 'p', n);
    h[7 + n] = '\0';
    const char *hdrs[] = {h, NULL};
    struct http_resp r;
    http_request(s, "GET", "/healthz", NULL, NULL, hdrs, &r);
    free(h);
    long st = r.status;
    http_free(&r);
    return st;
}

static void test_max_header_option(void **state)
{
    (void)state;
    /* 8 KB of header is fine by default (32 KB)… */
    assert_int_equal(server_start(&srv, NULL), 0);
    assert_int_equal(get_with_header(&srv, 8 * 1024), 200);
    assert_int_equal(server_stop(&srv), 0);
    server_cleanup(&srv);
    /* …and too much under --max-header 4096, while small requests pass. */
    const char *extra[] = {"--max-header", "4096", NULL};
    assert_int_equal(server_start(&srv, extra), 0);
    assert_int_equal(get_with_header(&srv, 8 * 1024), 431);
    assert_int_equal(get_with_header(&srv, 100), 200);
    char *tok = login(&srv, "investigator");
    assert_non_null(tok);
    free(tok);
    assert_int_equal(server_stop(&srv), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_per_ip_limit, teardown_one),
        cmocka_unit_test_teardown(test_default_limit_is_not_tiny, teardown_one),
        cmocka_unit_test_teardown(test_max_header_option, teardown_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
