/*
 * bench/ref-server: the benchmark's reference, a bare libmicrohttpd server
 * that answers every request with the same small JSON body. It is set up
 * like `vigil serve` (src/web/server.c): the same daemon flags, a thread pool
 * of the same size, the same connection limits, so that the ratio
 * vigil / reference measures what vigil does per request and nothing else.
 *
 *   ref-server [--listen ADDR:PORT] [--threads N]
 *
 * Prints "ref-server: listening on http://ADDR:PORT" and serves until
 * SIGINT or SIGTERM.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

static const char body[] = "{\"id\":1,\"reference\":\"2026-000001\",\"cas_Status\":\"Active\"}";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;
    if (!*con_cls) { /* first call: headers only, as vigil's gate sees it */
        *con_cls = c;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int usage(void)
{
    fputs("usage: ref-server [--listen ADDR:PORT] [--threads N]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *listen = "127.0.0.1:0";
    long threads = 4;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc)
            return usage();
        char *end;
        if (strcmp(argv[i], "--listen") == 0) {
            listen = argv[i + 1];
        } else if (strcmp(argv[i], "--threads") == 0) {
            threads = strtol(argv[i + 1], &end, 10);
            if (*end || threads < 1 || threads > 128)
                return usage();
        } else {
            return usage();
        }
    }
    struct sockaddr_in sa;
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return usage();
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        return usage();

    signal(SIGPIPE, SIG_IGN);
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_signal;
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGTERM, &act, NULL);

    /* The flags and options of vigil serve with its defaults. */
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        128u, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)32 * 1024, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "ref-server: cannot listen on %s\n", listen);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("ref-server: listening on http://%s:%u\n", host, info ? info->port : 0);
    fflush(stdout);
    while (!stop_flag)
        pause();
    MHD_stop_daemon(d);
    return 0;
}
