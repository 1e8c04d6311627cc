/*
 * The HTTP test harness: starts a real `vigil serve` on an ephemeral loopback
 * port over a fresh demo database (SQLite in a temporary directory, or a new
 * PostgreSQL database when VIGIL_TEST_PG_URI is set), drives it with libcurl,
 * runs `vigil` CLI verbs against the same database, and offers checks that
 * report failures at the caller's line. It includes cmocka and jansson.
 *
 * VIGIL_BIN names the binary (default build/vigil); VIGIL_SERVER_WRAPPER, when
 * set, is a command line the server is started under ("valgrind
 * --leak-check=full …"; words split on blanks; make valgrind uses it).
 */
#ifndef VIGIL_TEST_HARNESS_H
#define VIGIL_TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>
#include <jansson.h>

#define DEMO_PASSWORD "vigil-demo-2026"

struct server {
    pid_t pid; /* the `vigil serve` process, 0 when stopped */
    int port;
    int out_fd;         /* the read end of its stdout */
    char dir[256];      /* the temporary directory (removed by server_cleanup) */
    char db[512];       /* --db: an SQLite path in dir, or a PostgreSQL URI */
    char key[512];      /* --key: the key file in dir */
    char log[512];      /* the server's stderr */
    char base[64];      /* http://127.0.0.1:PORT */
    int pg;             /* 1 when db is a PostgreSQL URI */
    char pg_name[64];   /* the database created for this server */
    char *extra[16];    /* extra serve arguments, kept for restarts */
    char copies[8][80]; /* PostgreSQL databases made by db_copy */
    int ncopies;
};

/* Create the temp dir and demo database, then start the server with the
 * NULL-terminated extra serve arguments (or NULL). 0 on success. */
int server_start(struct server *s, const char *const extra[]);
/* Start a second server on the SAME database and key file as first (which
 * must have been started with server_start), with its own temporary
 * directory for its log and the NULL-terminated extra serve arguments (or
 * NULL). server_cleanup(twin) stops it and removes its directory but leaves
 * the database to first. 0 on success. */
int server_start_twin(struct server *twin, const struct server *first, const char *const extra[]);
/* Create an empty PostgreSQL database (on VIGIL_TEST_PG_URI's server) named
 * after suffix; its name and URI in name and uri. 0 on success. Drop it
 * with pg_db_drop. */
int pg_db_create(const char *suffix, char *name, size_t name_n, char *uri, size_t uri_n);
void pg_db_drop(const char *name);
/* Start (again) the server over the existing database. 0 on success. */
int server_spawn(struct server *s);
/* SIGKILL and wait (a crash: nothing is flushed or closed); 0 when the
 * server died of the signal, -1 when it was not running or had exited. */
int server_kill(struct server *s);
/* SIGTERM and wait; the exit status, or -1 when it was not running. */
int server_stop(struct server *s);
/* Stop the server, drop the PostgreSQL database, remove the temp dir. */
void server_cleanup(struct server *s);
/* Whether the database is SQLite (so files can be inspected). */
int server_is_sqlite(const struct server *s);

/* An HTTP response. */
struct http_resp {
    long status; /* 0 when the transfer failed */
    char *body;  /* NUL-terminated */
    size_t len;
    char *headers; /* the raw response head */
    json_t *json;  /* the body parsed as JSON, or NULL */
    char err[256]; /* curl's error when status is 0 */
};

/* A request in full. */
struct http_req {
    const char *method;         /* GET, POST, PATCH, DELETE … */
    const char *path;           /* "/api/v1/cases?page=2" */
    const char *token;          /* bearer token, or NULL */
    const void *body;           /* or NULL for no body */
    size_t body_len;            /* bytes of body; strlen(body) when 0 and body != NULL */
    const char *content_type;   /* NULL: application/json when there is a body */
    const char *const *headers; /* extra "Name: value" lines, NULL-terminated, or NULL */
    size_t chunk;               /* > 0: send the body chunked, this many bytes per read */
    const char *source;         /* a local address to send from ("127.0.0.2"), or NULL */
};

/* Perform a request; returns the status (0 when the transfer failed).
 * Always free out with http_free. */
long http_do(struct server *s, const struct http_req *rq, struct http_resp *out);
/* A JSON request: body (a JSON text or NULL) as application/json; headers as above. */
long http_request(struct server *s, const char *method, const char *path, const char *token,
                  const char *body, const char *const headers[], struct http_resp *out);
/* GET path. */
long http_get(struct server *s, const char *path, const char *token, struct http_resp *out);
void http_free(struct http_resp *r);
/* The value of a response header (case-insensitive name; the first one),
 * copied into buf; NULL when absent. */
const char *http_header(const struct http_resp *r, const char *name, char *buf, size_t n);

/* The Set-Cookie header that sets the cookie name ("name=…; attributes"),
 * copied into buf; NULL when the response sets no such cookie. */
const char *http_cookie(const struct http_resp *r, const char *name, char *buf, size_t n);

/* Log in; returns a malloc'd bearer token, or NULL. */
char *login(struct server *s, const char *username);
/* Log in with a password; the status, and the response in out. */
long login_as(struct server *s, const char *username, const char *password, struct http_resp *out);

/* Run `vigil VERB… --db DB --key KEY ARGS…` and wait. db NULL means s->db.
 * Returns the exit status (-1 when it could not run); stdout and stderr are
 * returned malloc'd when out/err are not NULL. */
int vigil_cli(const struct server *s, const char *db, const char *const verb[],
              const char *const args[], char **out, char **err);
/* Run a program (argv[0] looked up in PATH) and wait; exit status or -1. */
int run_prog(const char *const argv[], char **out, char **err);

/* Copy the (stopped) server's database to a new one named after suffix: a
 * file beside it with its WAL (SQLite), or a database made from it as a
 * template (PostgreSQL; dropped by server_cleanup). Its path or URI in out.
 * 0 on success. */
int db_copy(struct server *s, const char *suffix, char *out, size_t n);
/* Run SQL on db (a path or URI) with the sqlite3 or psql client; the output
 * (unaligned, no headers) in *out when out is not NULL. The exit status. */
int db_sql(const struct server *s, const char *db, const char *sql, char **out);

/* Read a whole file; NULL when it does not exist. */
char *read_file(const char *path, size_t *len);
/* Whether needle occurs in the n bytes at hay. */
int mem_contains(const void *hay, size_t n, const char *needle);
/* A fresh random hex string of 2*nbytes characters into out. */
void random_hex(char *out, size_t nbytes);
/* Copy a file; 0 on success. */
int copy_file(const char *from, const char *to);

/* ---- assertions, reported at the caller's line ------------------------ */

void check_status_(const struct http_resp *r, long want, const char *file, int line);
void check_error_(const struct http_resp *r, long want, const char *field, const char *file,
                  int line);
json_t *check_json_(const struct http_resp *r, const char *file, int line);
void check_healthy_(struct server *s, const char *file, int line);
const char *json_str_(json_t *o, const char *key, const char *file, int line);
json_int_t json_int_(json_t *o, const char *key, const char *file, int line);

/* The status is want; on failure the body is printed. */
#define check_status(r, want) check_status_((r), (want), __FILE__, __LINE__)
/* The status is want and the body is {"error":{"code","message"[,"field"]}};
 * when field is not NULL the error names it (in "field" or the message). */
#define check_error(r, want, field) check_error_((r), (want), (field), __FILE__, __LINE__)
/* The body is a JSON object; returns it (owned by r). */
#define check_json(r) check_json_((r), __FILE__, __LINE__)
/* GET /healthz answers 200. */
#define check_healthy(s) check_healthy_((s), __FILE__, __LINE__)
/* o[key] is a string / integer; returns it. */
#define json_str(o, key) json_str_((o), (key), __FILE__, __LINE__)
#define json_int(o, key) json_int_((o), (key), __FILE__, __LINE__)

#endif
