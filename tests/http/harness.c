/*
 * The HTTP test harness (see harness.h): a real `vigil serve` on an ephemeral
 * port over a fresh demo database, libcurl requests, CLI runs, and checks.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "http/harness.h"

#define START_TIMEOUT_MS 60000 /* a guard against a hung start, not a timing check */
#define STOP_TIMEOUT_MS  30000

static int curl_ready;
static unsigned db_counter;

static const char *vigil_bin(void)
{
    const char *b = getenv("VIGIL_BIN");
    return b && *b ? b : "build/vigil";
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- files and processes --------------------------------------------- */

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *p = malloc(cap + 1);
    size_t got;
    while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *q = realloc(p, cap * 2 + 1);
            if (!q) {
                free(p);
                p = NULL;
                break;
            }
            p = q;
            cap *= 2;
        }
    }
    fclose(f);
    if (!p)
        return NULL;
    p[n] = '\0';
    if (len)
        *len = n;
    return p;
}

int mem_contains(const void *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    const unsigned char *h = hay;
    if (m == 0)
        return 1;
    for (size_t i = 0; i + m <= n; i++)
        if (h[i] == (unsigned char)needle[0] && memcmp(h + i, needle, m) == 0)
            return 1;
    return 0;
}

void random_hex(char *out, size_t nbytes)
{
    unsigned char b[64];
    if (nbytes > sizeof b)
        nbytes = sizeof b;
    randombytes_buf(b, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, b, nbytes);
}

int copy_file(const char *from, const char *to)
{
    size_t n;
    char *p = read_file(from, &n);
    if (!p)
        return -1;
    FILE *f = fopen(to, "wb");
    int rc = -1;
    if (f) {
        rc = fwrite(p, 1, n, f) == n ? 0 : -1;
        if (fclose(f))
            rc = -1;
    }
    free(p);
    return rc;
}

static char *slurp_stream(FILE *f)
{
    size_t cap = 4096, n = 0, got;
    char *p = malloc(cap + 1);
    if (!p)
        return NULL;
    rewind(f);
    while ((got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *q = realloc(p, cap * 2 + 1);
            if (!q)
                break;
            p = q;
            cap *= 2;
        }
    }
    p[n] = '\0';
    return p;
}

int run_prog(const char *const argv[], char **out, char **err)
{
    FILE *fo = tmpfile(), *fe = tmpfile();
    if (!fo || !fe) {
        if (fo)
            fclose(fo);
        if (fe)
            fclose(fe);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        fclose(fo);
        fclose(fe);
        return -1;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(fileno(fo), 1);
        dup2(fileno(fe), 2);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (out)
        *out = slurp_stream(fo);
    if (err)
        *err = slurp_stream(fe);
    fclose(fo);
    fclose(fe);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int vigil_cli(const struct server *s, const char *db, const char *const verb[],
              const char *const args[], char **out, char **err)
{
    const char *argv[48];
    int n = 0;
    argv[n++] = vigil_bin();
    for (int i = 0; verb && verb[i] && n < 40; i++)
        argv[n++] = verb[i];
    argv[n++] = "--db";
    argv[n++] = db ? db : s->db;
    argv[n++] = "--key";
    argv[n++] = s->key;
    for (int i = 0; args && args[i] && n < 46; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return run_prog(argv, out, err);
}

/* Remove a flat directory and what is in it. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* ---- the server -------------------------------------------------------- */

int server_is_sqlite(const struct server *s)
{
    return !s->pg;
}

/* The URI of database name on the PostgreSQL server of base. */
static int pg_uri_for(const char *base, const char *name, char *out, size_t n)
{
    const char *scheme = strstr(base, "://");
    if (!scheme)
        return -1;
    const char *slash = strchr(scheme + 3, '/');
    const char *query = strchr(scheme + 3, '?');
    size_t head = slash ? (size_t)(slash - base) : query ? (size_t)(query - base) : strlen(base);
    int w = snprintf(out, n, "%.*s/%s%s", (int)head, base, name, query ? query : "");
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int pg_sql(const char *sql)
{
    const char *uri = getenv("VIGIL_TEST_PG_URI");
    const char *argv[] = {"psql", uri, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql, NULL};
    char *err = NULL;
    int rc = run_prog(argv, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "harness: psql failed (%d): %s\n", rc, err ? err : "");
    free(err);
    return rc;
}

/* The end of the server's log, to stderr. */
static void print_log(const struct server *s)
{
    size_t n = 0;
    char *log = read_file(s->log, &n);
    if (log) {
        size_t from = n > 8192 ? n - 8192 : 0;
        fprintf(stderr, "---- server log %s ----\n%s---- end of log ----\n", s->log, log + from);
        free(log);
    }
}

/* Split VIGIL_SERVER_WRAPPER ("valgrind --leak-check=full …") on blanks into
 * argv; the words point into buf. The count of words. */
static int wrapper_words(char *buf, size_t n, const char **argv, int max)
{
    const char *w = getenv("VIGIL_SERVER_WRAPPER");
    int k = 0;
    if (!w || !*w)
        return 0;
    snprintf(buf, n, "%s", w);
    for (char *p = buf; *p && k < max;) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        argv[k++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    return k;
}

int server_spawn(struct server *s)
{
    const char *argv[56];
    char wrap[1024];
    int n = wrapper_words(wrap, sizeof wrap, argv, 16);
    argv[n++] = vigil_bin();
    argv[n++] = "serve";
    argv[n++] = "--db";
    argv[n++] = s->db;
    argv[n++] = "--key";
    argv[n++] = s->key;
    argv[n++] = "--listen";
    argv[n++] = "127.0.0.1:0";
    for (int i = 0; s->extra[i] && n < 54; i++)
        argv[n++] = s->extra[i];
    argv[n] = NULL;

    int p[2];
    if (pipe(p))
        return -1;
    int logfd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (logfd < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        close(logfd);
        return -1;
    }
    if (pid == 0) {
        /* A test that crashes must not leave its server running. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(p[1], 1);
        dup2(logfd, 2);
        close(p[0]);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(p[1]);
    close(logfd);
    s->pid = pid;
    s->out_fd = p[0];

    /* Read the line "vigil: listening on http://127.0.0.1:PORT". */
    char line[256];
    size_t len = 0;
    int waited = 0;
    while (len + 1 < sizeof line) {
        struct pollfd pf = {p[0], POLLIN, 0};
        int r = poll(&pf, 1, 250);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0) {
            waited += 250;
            if (waited >= START_TIMEOUT_MS)
                break;
            continue;
        }
        char c;
        ssize_t got = read(p[0], &c, 1);
        if (got <= 0)
            break;
        if (c == '\n')
            break;
        line[len++] = c;
    }
    line[len] = '\0';
    const char *tag = "listening on http://127.0.0.1:";
    const char *at = strstr(line, tag);
    int port = 0;
    if (at) {
        char *end;
        long v = strtol(at + strlen(tag), &end, 10);
        if (*end == '\0' && v > 0 && v < 65536)
            port = (int)v;
    }
    if (!port) {
        fprintf(stderr, "harness: the server did not start (stdout: '%s')\n", line);
        if (server_stop(s) == 0) /* else server_stop showed the log */
            print_log(s);
        return -1;
    }
    s->port = port;
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", port);
    return 0;
}

int server_start(struct server *s, const char *const extra[])
{
    memset(s, 0, sizeof *s);
    s->out_fd = -1;
    setenv("VIGIL_PWHASH_FAST", "1", 0);
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) || sodium_init() < 0)
            return -1;
        curl_ready = 1;
    }
    for (int i = 0; extra && extra[i] && i < 15; i++)
        s->extra[i] = strdup(extra[i]);
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/vigil-http-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->dir)) {
        fprintf(stderr, "harness: mkdtemp %s: %s\n", s->dir, strerror(errno));
        s->dir[0] = '\0';
        return -1;
    }
    snprintf(s->key, sizeof s->key, "%s/t.key", s->dir);
    snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
    const char *pg = getenv("VIGIL_TEST_PG_URI");
    if (pg && *pg) {
        s->pg = 1;
        snprintf(s->pg_name, sizeof s->pg_name, "vigil_t_%ld_%u", (long)getpid(), ++db_counter);
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", s->pg_name);
        pg_sql(sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", s->pg_name);
        if (pg_sql(sql) || pg_uri_for(pg, s->pg_name, s->db, sizeof s->db)) {
            s->pg_name[0] = '\0';
            return -1;
        }
    } else {
        snprintf(s->db, sizeof s->db, "%s/t.db", s->dir);
    }
    static const char *const demo[] = {"demo", NULL};
    static const char *const demo_args[] = {"--cases", "20", NULL};
    char *err = NULL;
    int rc = vigil_cli(s, NULL, demo, demo_args, NULL, &err);
    if (rc != 0) {
        fprintf(stderr, "harness: vigil demo failed (%d): %s\n", rc, err ? err : "");
        free(err);
        return -1;
    }
    free(err);
    return server_spawn(s);
}

int server_start_twin(struct server *twin, const struct server *first, const char *const extra[])
{
    memset(twin, 0, sizeof *twin);
    twin->out_fd = -1;
    for (int i = 0; extra && extra[i] && i < 15; i++)
        twin->extra[i] = strdup(extra[i]);
    const char *tmp = getenv("TMPDIR");
    snprintf(twin->dir, sizeof twin->dir, "%s/vigil-http-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(twin->dir)) {
        fprintf(stderr, "harness: mkdtemp %s: %s\n", twin->dir, strerror(errno));
        twin->dir[0] = '\0';
        return -1;
    }
    snprintf(twin->log, sizeof twin->log, "%s/server.log", twin->dir);
    snprintf(twin->db, sizeof twin->db, "%s", first->db);
    snprintf(twin->key, sizeof twin->key, "%s", first->key);
    twin->pg = first->pg; /* pg_name stays empty: the database is first's to drop */
    return server_spawn(twin);
}

int pg_db_create(const char *suffix, char *name, size_t name_n, char *uri, size_t uri_n)
{
    const char *pg = getenv("VIGIL_TEST_PG_URI");
    if (!pg || !*pg)
        return -1;
    int w = snprintf(name, name_n, "vigil_t_%ld_%u_%s", (long)getpid(), ++db_counter, suffix);
    if (w < 0 || (size_t)w >= name_n)
        return -1;
    char sql[200];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
    pg_sql(sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (pg_sql(sql))
        return -1;
    return pg_uri_for(pg, name, uri, uri_n);
}

void pg_db_drop(const char *name)
{
    if (!name || !*name)
        return;
    char sql[200];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    pg_sql(sql);
}

int server_stop(struct server *s)
{
    if (s->out_fd > 0) { /* 0 in a server that was never started */
        close(s->out_fd);
        s->out_fd = -1;
    }
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    int st = 0, waited = 0;
    pid_t r;
    /* Under a wrapper (valgrind) the exit, with its leak check, is slow. */
    const char *w = getenv("VIGIL_SERVER_WRAPPER");
    int limit = w && *w ? 10 * STOP_TIMEOUT_MS : STOP_TIMEOUT_MS;
    while ((r = waitpid(s->pid, &st, WNOHANG)) == 0 && waited < limit) {
        sleep_ms(20);
        waited += 20;
    }
    if (r == 0) {
        fprintf(stderr, "harness: the server did not stop on SIGTERM; killing it\n");
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &st, 0);
    }
    s->pid = 0;
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    if (rc != 0) {
        fprintf(stderr, "harness: the server exited with status %d\n", rc);
        print_log(s);
    }
    return rc;
}

int server_kill(struct server *s)
{
    if (s->out_fd > 0) {
        close(s->out_fd);
        s->out_fd = -1;
    }
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGKILL);
    int st = 0;
    while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
        ;
    s->pid = 0;
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : -1;
}

int db_copy(struct server *s, const char *suffix, char *out, size_t n)
{
    if (!s->pg) {
        snprintf(out, n, "%s/%s.db", s->dir, suffix);
        if (copy_file(s->db, out))
            return -1;
        char from[600], to[600];
        snprintf(from, sizeof from, "%s-wal", s->db);
        snprintf(to, sizeof to, "%s-wal", out);
        unlink(to);
        if (access(from, F_OK) == 0 && copy_file(from, to))
            return -1;
        return 0;
    }
    if (s->ncopies >= 8)
        return -1;
    char *name = s->copies[s->ncopies];
    snprintf(name, sizeof s->copies[0], "%s_%s", s->pg_name, suffix);
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", name, s->pg_name);
    if (pg_sql(sql))
        return -1;
    s->ncopies++;
    return pg_uri_for(getenv("VIGIL_TEST_PG_URI"), name, out, n);
}

int db_sql(const struct server *s, const char *db, const char *sql, char **out)
{
    char *err = NULL;
    int rc;
    if (s->pg) {
        const char *argv[] = {"psql", db,  "-v", "ON_ERROR_STOP=1", "-q", "-A", "-t",
                              "-c",   sql, NULL};
        rc = run_prog(argv, out, &err);
    } else {
        const char *argv[] = {"sqlite3", "-bail", db, sql, NULL};
        rc = run_prog(argv, out, &err);
    }
    if (rc != 0)
        fprintf(stderr, "harness: SQL failed (%d): %s\n%s\n", rc, sql, err ? err : "");
    free(err);
    return rc;
}

void server_cleanup(struct server *s)
{
    server_stop(s);
    for (int i = 0; i < s->ncopies; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", s->copies[i]);
        pg_sql(sql);
    }
    s->ncopies = 0;
    if (s->pg && s->pg_name[0]) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", s->pg_name);
        pg_sql(sql);
        s->pg_name[0] = '\0';
    }
    if (s->dir[0] && !getenv("VIGIL_TEST_KEEP"))
        remove_dir(s->dir);
    s->dir[0] = '\0';
    for (int i = 0; i < 16; i++) {
        free(s->extra[i]);
        s->extra[i] = NULL;
    }
}

/* ---- HTTP -------------------------------------------------------------- */

struct sink {
    char *p;
    size_t n;
};

static int sink_add(struct sink *k, const char *data, size_t n)
{
    char *q = realloc(k->p, k->n + n + 1);
    if (!q)
        return -1;
    memcpy(q + k->n, data, n);
    k->p = q;
    k->n += n;
    k->p[k->n] = '\0';
    return 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    return sink_add(ud, data, size * nmemb) ? 0 : size * nmemb;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct sink *k = ud;
    size_t n = size * nmemb;
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
        k->n = 0; /* a new response head (after 100 Continue): keep only the last */
    return sink_add(k, data, n) ? 0 : n;
}

struct source {
    const char *p;
    size_t left, chunk;
};

static size_t on_read(char *dst, size_t size, size_t nmemb, void *ud)
{
    struct source *src = ud;
    size_t n = size * nmemb;
    if (n > src->chunk)
        n = src->chunk;
    if (n > src->left)
        n = src->left;
    memcpy(dst, src->p, n);
    src->p += n;
    src->left -= n;
    return n;
}

long http_do(struct server *s, const struct http_req *rq, struct http_resp *out)
{
    memset(out, 0, sizeof *out);
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(out->err, sizeof out->err, "curl_easy_init failed");
        return 0;
    }
    char url[4096];
    snprintf(url, sizeof url, "%s%s", s->base, rq->path);
    struct curl_slist *h = NULL;
    char line[512];
    if (rq->token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", rq->token);
        h = curl_slist_append(h, line);
    }
    const char *method = rq->method ? rq->method : "GET";
    struct source src = {rq->body, 0, rq->chunk};
    if (rq->body && rq->chunk) {
        src.left = rq->body_len ? rq->body_len : strlen(rq->body);
        const char *ct = rq->content_type ? rq->content_type : "application/json";
        snprintf(line, sizeof line, "Content-Type:%s%s", *ct ? " " : "", ct);
        h = curl_slist_append(h, line);
        h = curl_slist_append(h, "Transfer-Encoding: chunked");
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(c, CURLOPT_READDATA, &src);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    } else if (rq->body) {
        size_t n = rq->body_len ? rq->body_len : strlen(rq->body);
        const char *ct = rq->content_type ? rq->content_type : "application/json";
        snprintf(line, sizeof line, "Content-Type:%s%s", *ct ? " " : "", ct);
        h = curl_slist_append(h, line);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    } else if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    }
    for (int i = 0; rq->headers && rq->headers[i]; i++)
        h = curl_slist_append(h, rq->headers[i]);
    struct sink body = {NULL, 0}, head = {NULL, 0};
    sink_add(&body, "", 0);
    sink_add(&head, "", 0);
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (rq->source)
        curl_easy_setopt(c, CURLOPT_INTERFACE, rq->source);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &head);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L); /* a guard against a hung server */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    } else {
        /* A server that answers early (413, 431) and closes may cut the
         * upload short; the answer it sent still counts. */
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        out->status = code;
        snprintf(out->err, sizeof out->err, "%s", curl_easy_strerror(rc));
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    out->body = body.p;
    out->len = body.n;
    out->headers = head.p;
    if (out->len)
        out->json = json_loadb(out->body, out->len, 0, NULL);
    return out->status;
}

long http_request(struct server *s, const char *method, const char *path, const char *token,
                  const char *body, const char *const headers[], struct http_resp *out)
{
    struct http_req rq = {
        .method = method, .path = path, .token = token, .body = body, .headers = headers};
    return http_do(s, &rq, out);
}

long http_get(struct server *s, const char *path, const char *token, struct http_resp *out)
{
    return http_request(s, "GET", path, token, NULL, NULL, out);
}

void http_free(struct http_resp *r)
{
    free(r->body);
    free(r->headers);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

const char *http_header(const struct http_resp *r, const char *name, char *buf, size_t n)
{
    size_t m = strlen(name);
    const char *p = r->headers;
    while (p && *p) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > m && strncasecmp(p, name, m) == 0 && p[m] == ':') {
            const char *v = p + m + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            size_t vl = len - (size_t)(v - p);
            snprintf(buf, n, "%.*s", (int)vl, v);
            return buf;
        }
        p = eol ? eol + 2 : NULL;
    }
    return NULL;
}

const char *http_cookie(const struct http_resp *r, const char *name, char *buf, size_t n)
{
    size_t m = strlen(name);
    const char *p = r->headers;
    while (p && *p) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > 11 && strncasecmp(p, "Set-Cookie:", 11) == 0) {
            const char *v = p + 11;
            while (*v == ' ' || *v == '\t')
                v++;
            size_t vl = len - (size_t)(v - p);
            if (vl > m && strncmp(v, name, m) == 0 && v[m] == '=') {
                snprintf(buf, n, "%.*s", (int)vl, v);
                return buf;
            }
        }
        p = eol ? eol + 2 : NULL;
    }
    return NULL;
}

long login_as(struct server *s, const char *username, const char *password, struct http_resp *out)
{
    json_t *b = json_pack("{s:s, s:s}", "username", username, "password", password);
    char *text = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    long st = http_request(s, "POST", "/api/v1/session", NULL, text, NULL, out);
    free(text);
    return st;
}

char *login(struct server *s, const char *username)
{
    struct http_resp r;
    char *tok = NULL;
    if (login_as(s, username, DEMO_PASSWORD, &r) == 200 && r.json) {
        const char *t = json_string_value(json_object_get(r.json, "token"));
        if (t)
            tok = strdup(t);
    }
    if (!tok)
        fprintf(stderr, "harness: login as %s failed: %ld %s\n", username, r.status,
                r.body ? r.body : "");
    http_free(&r);
    return tok;
}

/* ---- checks ------------------------------------------------------------ */

static void failed(const struct http_resp *r, const char *file, int line, const char *fmt,
                   const char *a, long x)
{
    print_error("%s:%d: ", file, line);
    print_error(fmt, a, x);
    if (r)
        print_error("\n  response: %ld %s%s%s\n", r->status, r->body ? r->body : "",
                    r->err[0] ? " curl: " : "", r->err);
    else
        print_error("\n");
    _fail(file, line);
}

void check_status_(const struct http_resp *r, long want, const char *file, int line)
{
    if (r->status != want)
        failed(r, file, line, "%sexpected status %ld", "", want);
}

json_t *check_json_(const struct http_resp *r, const char *file, int line)
{
    if (!json_is_object(r->json))
        failed(r, file, line, "%sthe body is not a JSON object (status %ld)", "", r->status);
    return r->json;
}

void check_error_(const struct http_resp *r, long want, const char *field, const char *file,
                  int line)
{
    check_status_(r, want, file, line);
    json_t *e = json_object_get(r->json, "error");
    if (!json_is_object(r->json) || json_object_size(r->json) != 1 || !json_is_object(e))
        failed(r, file, line, "%sthe body is not {\"error\":{…}} (status %ld)", "", r->status);
    const char *code = json_string_value(json_object_get(e, "code"));
    const char *msg = json_string_value(json_object_get(e, "message"));
    if (!code || !*code || !msg || !*msg)
        failed(r, file, line, "%sthe error lacks a code or message (status %ld)", "", r->status);
    if (field) {
        const char *f = json_string_value(json_object_get(e, "field"));
        if (!(f && strcmp(f, field) == 0))
            failed(r, file, line, "the error does not name the field '%s' (status %ld)", field,
                   r->status);
    }
}

void check_healthy_(struct server *s, const char *file, int line)
{
    struct http_resp r;
    http_get(s, "/healthz", NULL, &r);
    if (r.status != 200 || !json_is_string(json_object_get(r.json, "status")) ||
        strcmp(json_string_value(json_object_get(r.json, "status")), "ok") != 0) {
        struct http_resp copy = r;
        failed(&copy, file, line, "%sthe server is not healthy (status %ld)", "", r.status);
    }
    http_free(&r);
}

const char *json_str_(json_t *o, const char *key, const char *file, int line)
{
    const char *v = json_string_value(json_object_get(o, key));
    if (!v)
        failed(NULL, file, line, "the JSON has no string '%s'%.0ld", key, 0L);
    return v;
}

json_int_t json_int_(json_t *o, const char *key, const char *file, int line)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        failed(NULL, file, line, "the JSON has no integer '%s'%.0ld", key, 0L);
    return json_integer_value(v);
}
