/*
 * The HTTP server: libmicrohttpd with a pool of worker threads, each with its
 * own store connection. One gate (dispatch) does everything a route declares
 * before its handler runs; see http.h.
 */
#include <ctype.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ini.h>
#include <microhttpd.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "core/htcds.h"
#include "core/record.h"
#include "report/stats.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/jsontext.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/answers.h"
#include "web/form.h"
#include "web/http.h"
#include "web/i18n.h"

static struct server_cfg cfg = {
    .listen = "127.0.0.1:8080",
    .max_body = 1 << 20,
    .max_header = 32 * 1024,
    .per_ip = 128,
    .public_rate = 60,
    .max_conn = 1024,
    .timeout = 30,
    .threads = 4,
    .idle_timeout = 30 * 60,
    .session_max = 12 * 3600,
    .login_max_failures = 5,
    .login_window = 15 * 60,
    .secure_cookies = 0,
    .stats_k = STATS_K_DEFAULT,
    .answer_cache = 1 << 20,
};

static const char *db_uri;
static struct vkey server_key;

/* ---- per-thread store connections ------------------------------------ */

static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store *stores[256];
static int nstores;
static __thread struct store *tls_store;

static struct store *thread_store(void)
{
    if (tls_store)
        return tls_store;
    char err[512];
    struct store *st;
    if (store_open(db_uri, &st, err, sizeof err)) {
        log_error("cannot open the store: %s", err);
        return NULL;
    }
    pthread_mutex_lock(&stores_lock);
    if (nstores < (int)(sizeof stores / sizeof stores[0]))
        stores[nstores++] = st;
    pthread_mutex_unlock(&stores_lock);
    tls_store = st;
    return st;
}

/* ---- helpers for handlers -------------------------------------------- */

struct conn_ctx {
    struct buf body;
    int too_big;
    int64_t t0;
    struct MHD_Connection *conn;
};

static __thread struct MHD_Connection *cur_conn;

int req_fail(struct req *r, int code, const char *field, const char *fmt, ...)
{
    r->status = vigil_http_status(code);
    snprintf(r->err_field, sizeof r->err_field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err_msg, sizeof r->err_msg, fmt, ap);
    va_end(ap);
    return code;
}

void req_etag(struct req *r, json_t *obj)
{
    snprintf(r->etag, sizeof r->etag, "\"%" JSON_INTEGER_FORMAT "\"",
             json_integer_value(json_object_get(obj, "version")));
}

int req_invalid(struct req *r, const struct verr *e)
{
    return req_fail(r, VIGIL_EINVAL, e->field, "%s", e->msg);
}

int req_if_match(struct req *r, int64_t *version)
{
    if (!r->if_match)
        return req_fail(r, VIGIL_EPRECOND, "If-Match",
                        "send If-Match with the version you are changing");
    /* "3", W/"3" or 3 */
    const char *h = r->if_match;
    char num[32];
    while (*h == ' ')
        h++;
    if (strncmp(h, "W/", 2) == 0)
        h += 2;
    size_t n = strlen(h);
    while (n && h[n - 1] == ' ')
        n--;
    if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
        h++;
        n -= 2;
    }
    if (n > 0 && n < sizeof num) {
        memcpy(num, h, n);
        num[n] = '\0';
        if (parse_i64(num, 1, INT64_MAX, version) == 0)
            return VIGIL_OK;
    }
    return req_fail(r, VIGIL_EINVAL, "If-Match", "If-Match must be a version like \"3\"");
}

const char *req_param(struct req *r, const char *name)
{
    const struct param *p = r->route->params;
    for (int i = 0; p && p[i].name; i++)
        if (strcmp(p[i].name, name) == 0)
            return r->q[i];
    return NULL;
}

const char *req_cookie(struct req *r, const char *name)
{
    (void)r;
    return MHD_lookup_connection_value(cur_conn, MHD_COOKIE_KIND, name);
}

const char *req_header(struct req *r, const char *name)
{
    (void)r;
    return MHD_lookup_connection_value(cur_conn, MHD_HEADER_KIND, name);
}

int req_audit(struct req *r, const char *action, const char *object, const char *detail)
{
    return audit_append(r->st, r->authed ? r->sess.user.id : 0,
                        r->authed ? r->sess.user.username : "anonymous", action, object, detail);
}

/* ---- per-address rate limits on public POSTs --------------------------- */

/*
 * A token bucket per client address, in memory only: the address is never
 * stored or logged, and a bucket is forgotten when idle. Addresses map to a
 * fixed table of buckets; two addresses that collide share one, which only
 * ever makes the limit stricter.
 */
#define RL_SLOTS 4096

static struct {
    char addr[48];
    double tokens;
    int64_t last_ms;
} rl[RL_SLOTS];
static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;

/* 0 when allowed; otherwise the seconds to wait. */
static int rate_limit(const char *addr)
{
    if (!addr || cfg.public_rate == 0)
        return 0;
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = addr; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    double rate = cfg.public_rate / 60000.0; /* tokens per millisecond */
    double burst = cfg.public_rate;
    int64_t now = time_ms();
    int wait = 0;
    pthread_mutex_lock(&rl_lock);
    size_t i = h % RL_SLOTS;
    if (strcmp(rl[i].addr, addr) != 0 && now - rl[i].last_ms > 10 * 60 * 1000) {
        snprintf(rl[i].addr, sizeof rl[i].addr, "%s", addr); /* an idle bucket is reused */
        rl[i].tokens = burst;
        rl[i].last_ms = now;
    }
    double t = rl[i].tokens + (double)(now - rl[i].last_ms) * rate;
    if (t > burst)
        t = burst;
    if (t >= 1.0) {
        rl[i].tokens = t - 1.0;
    } else {
        rl[i].tokens = t;
        wait = (int)((1.0 - t) / rate / 1000.0) + 1;
    }
    rl[i].last_ms = now;
    pthread_mutex_unlock(&rl_lock);
    return wait;
}

static void client_address(struct MHD_Connection *c, char out[48])
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out, 48);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, out, 48);
}

/* ---- routing ---------------------------------------------------------- */

/* A static file name: [A-Za-z0-9_-]+ with at most one '.', not first. */
static int file_name_ok(const char *s, size_t n)
{
    int dots = 0;
    if (n == 0 || n > 64 || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && ++dots > 1)
            return 0;
        if (s[i] != '.' && s[i] != '_' && s[i] != '-' && !isalnum((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

/* Match path against a pattern; {id} takes a positive integer, {file} a
 * static file name (*file points at it in path). */
static int path_match(const char *pat, const char *path, int64_t *id, int64_t *sub,
                      const char **file, char code[65])
{
    while (*pat && *path) {
        if (*pat != '{') {
            if (*pat != *path)
                return 0;
            pat++;
            path++;
            continue;
        }
        if (strncmp(pat, "{code}", 6) == 0) {
            /* a follow-up code as typed: letters, digits and dashes */
            size_t n = strcspn(path, "/");
            if (n == 0 || n > 64)
                return 0;
            for (size_t k = 0; k < n; k++)
                if (!isalnum((unsigned char)path[k]) && path[k] != '-')
                    return 0;
            memcpy(code, path, n);
            code[n] = '\0';
            pat += 6;
            path += n;
            continue;
        }
        if (strncmp(pat, "{file}", 6) == 0) {
            size_t n = strcspn(path, "/");
            if (!file_name_ok(path, n))
                return 0;
            *file = path;
            pat += 6;
            path += n;
            continue;
        }
        int is_sub = strncmp(pat, "{pid}", 5) == 0 || strncmp(pat, "{sid}", 5) == 0;
        if (strncmp(pat, "{id}", 4) == 0 || is_sub) {
            char num[24];
            size_t n = strcspn(path, "/");
            if (n == 0 || n >= sizeof num)
                return 0;
            memcpy(num, path, n);
            num[n] = '\0';
            if (num[0] == '+' || num[0] == '-' || parse_i64(num, 1, INT64_MAX, is_sub ? sub : id))
                return 0;
            pat += is_sub ? 5 : 4;
            path += n;
            continue;
        }
        if (*pat != *path)
            return 0;
        pat++;
        path++;
    }
    return *pat == '\0' && *path == '\0';
}

struct argscan {
    struct req *r;
    int bad;
    char name[64];
    char why[160];
};

static enum MHD_Result arg_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    struct argscan *a = cls;
    if (a->bad)
        return MHD_NO;
    const struct param *p = a->r->route->params;
    if (a->r->route->kind == KIND_HTML && strcmp(key, "lang") == 0)
        return MHD_YES; /* every page takes ?lang=; the gate has read it */
    if (a->r->route->kind == KIND_HTML && value && !*value)
        return MHD_YES; /* a form's empty field is no value */
    int i;
    for (i = 0; p && p[i].name; i++)
        if (strcmp(p[i].name, key) == 0)
            break;
    snprintf(a->name, sizeof a->name, "%.60s", key);
    if (!p || !p[i].name) {
        a->bad = 1;
        snprintf(a->why, sizeof a->why, "unknown query parameter '%.60s'", key);
        return MHD_NO;
    }
    if (a->r->q[i]) {
        a->bad = 1;
        snprintf(a->why, sizeof a->why, "query parameter '%s' is given twice", p[i].name);
        return MHD_NO;
    }
    const struct param *d = &p[i];
    if (!value || !utf8_valid(value, strlen(value))) {
        a->bad = 1;
        snprintf(a->why, sizeof a->why, "query parameter '%s' needs a valid value", d->name);
        return MHD_NO;
    }
    int ok = 1;
    int64_t v;
    switch (d->type) {
    case PT_INT:
        ok = parse_i64(value, d->min, d->max, &v) == 0;
        if (!ok)
            snprintf(a->why, sizeof a->why,
                     "query parameter '%s' must be a whole number from %ld "
                     "to %ld",
                     d->name, d->min, d->max);
        break;
    case PT_DATE:
        ok = parse_date(value, NULL, NULL, NULL) == 0;
        if (!ok)
            snprintf(a->why, sizeof a->why, "query parameter '%s' must be a date YYYY-MM-DD",
                     d->name);
        break;
    case PT_ENUM: {
        ok = 0;
        const char *const *vals = d->values;
        if (!vals && d->htcds) {
            const struct htcds_enum *e = htcds_enum_find(d->htcds);
            vals = e ? e->values : NULL;
        }
        for (; vals && *vals; vals++)
            if (strcmp(*vals, value) == 0)
                ok = 1;
        if (!ok)
            snprintf(a->why, sizeof a->why, "query parameter '%s' has an unknown value", d->name);
        break;
    }
    case PT_TEXT: {
        size_t n = utf8_len(value);
        ok = n >= (size_t)d->min && n <= (size_t)d->max;
        if (!ok)
            snprintf(a->why, sizeof a->why, "query parameter '%s' must be %ld to %ld characters",
                     d->name, d->min, d->max);
        break;
    }
    }
    if (!ok) {
        a->bad = 1;
        return MHD_NO;
    }
    a->r->q[i] = value;
    return MHD_YES;
}

/* ---- authentication --------------------------------------------------- */

static int token_shape_ok(const char *t)
{
    size_t n = strlen(t);
    if (n != 43)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)t[i]) && t[i] != '-' && t[i] != '_')
            return 0;
    return 1;
}

/* Find the caller's session from "Authorization: Bearer" or the cookie.
 * Returns VIGIL_OK (authed), VIGIL_ENOTFOUND (no credentials) or
 * VIGIL_EAUTH with a message. */
static int authenticate(struct req *r, char hash[65])
{
    const char *tok = NULL;
    const char *authz = MHD_lookup_connection_value(cur_conn, MHD_HEADER_KIND, "Authorization");
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0)
        tok = authz + 7;
    else
        tok = MHD_lookup_connection_value(cur_conn, MHD_COOKIE_KIND, SESSION_COOKIE);
    if (!tok)
        return VIGIL_ENOTFOUND;
    if (!token_shape_ok(tok))
        return req_fail(r, VIGIL_EAUTH, NULL, "the session token is not valid");
    crypto_hash_hex(tok, strlen(tok), hash);
    int rc = store_session_get(r->st, hash, &r->sess);
    if (rc == VIGIL_ENOTFOUND)
        return req_fail(r, VIGIL_EAUTH, NULL, "the session is not valid or has ended");
    if (rc)
        return req_fail(r, rc, NULL, "the session could not be checked");
    int64_t now = time_now();
    if (r->sess.user.disabled || now - r->sess.last_seen > r->cfg->idle_timeout ||
        now > r->sess.expires_at) {
        store_session_delete(r->st, hash);
        return req_fail(r, VIGIL_EAUTH, NULL, "the session has expired; log in again");
    }
    int64_t every = r->cfg->idle_timeout / 2 < 60 ? r->cfg->idle_timeout / 2 : 60;
    if (now - r->sess.last_seen >= every)
        store_session_touch(r->st, hash, now);
    r->authed = 1;
    r->token_hash = hash;
    return VIGIL_OK;
}

/* ---- the gate --------------------------------------------------------- */

static int json_content_type(const char *ct)
{
    if (!ct)
        return 0;
    while (*ct == ' ')
        ct++;
    if (strncasecmp(ct, "application/json", 16) != 0)
        return 0;
    return ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ';
}

static int form_content_type(const char *ct)
{
    static const char t[] = "application/x-www-form-urlencoded";
    if (!ct)
        return 0;
    while (*ct == ' ')
        ct++;
    if (strncasecmp(ct, t, sizeof t - 1) != 0)
        return 0;
    return ct[sizeof t - 1] == '\0' || ct[sizeof t - 1] == ';' || ct[sizeof t - 1] == ' ';
}

/* Parse a BODY_FORM body into r->body and check its CSRF token: the
 * session's, or on public routes the pre-session cookie's. 0 when good. */
static int check_form(struct req *r, struct conn_ctx *cc)
{
    const char *ct = MHD_lookup_connection_value(cur_conn, MHD_HEADER_KIND, "Content-Type");
    if (!form_content_type(ct)) {
        req_fail(r, VIGIL_EMEDIA, NULL, "send the form as application/x-www-form-urlencoded");
        return -1;
    }
    char why[160];
    const char *fb = cc->body.p ? cc->body.p : "";
    /* Public pages keep a visitor's text even when it is not valid UTF-8, to
     * show it back with an error (form_parse_lenient); others refuse it. */
    int lenient = r->route->action == ACT_PUBLIC && strncmp(r->route->path, "/public/", 8) == 0;
    if (lenient ? form_parse_lenient(fb, buf_len(&cc->body), &r->body, why, sizeof why)
                : form_parse(fb, buf_len(&cc->body), &r->body, why, sizeof why)) {
        req_fail(r, VIGIL_EINVAL, NULL, "%s", why);
        return -1;
    }
    json_t *jc = json_object_get(r->body, "csrf");
    const char *sent = json_is_string(jc) ? json_string_value(jc) : NULL;
    const char *want = r->route->action == ACT_PUBLIC
                           ? MHD_lookup_connection_value(cur_conn, MHD_COOKIE_KIND, CSRF_COOKIE)
                           : r->sess.csrf;
    if (!sent || !want || !token_shape_ok(want) || !crypto_streq(sent, want)) {
        req_fail(r, VIGIL_EPERM, "csrf", "the form's security token is missing or out of date");
        return -1;
    }
    json_object_del(r->body, "csrf");
    return 0;
}

/* A request the policy refused, in the audit log (ASVS 7.1.x, 7.2.2): who,
 * the route (its pattern and the {id} in the path) and the action it needs;
 * never the body, the query or anything personal. Its own transaction, after
 * the answer is decided: when the entry cannot be written (a busy or broken
 * store) the caller still gets the 403, and the log says so. */
static void access_denied(struct req *r)
{
    char object[160], detail[96];
    if (r->id)
        snprintf(object, sizeof object, "%s %s #%" PRId64, r->route->method, r->route->path, r->id);
    else
        snprintf(object, sizeof object, "%s %s", r->route->method, r->route->path);
    snprintf(detail, sizeof detail, "needs %s; role %s", action_name(r->route->action),
             role_name(r->sess.user.role));
    store_read_end(r->st); /* a GET's snapshot: the entry is a write */
    if (audit_record(r->st, r->sess.user.id, r->sess.user.username, "access.denied", object,
                     detail))
        log_warn("access.denied for %s could not be audited: %s", r->route->path,
                 store_errmsg(r->st));
}

/* The JSON text of an answer (malloc'd), or NULL. */
static char *json_body(const json_t *v, size_t *len)
{
    struct buf b;
    buf_init(&b, (size_t)1 << 31);
    buf_reserve(&b, 2048); /* a case is about 600 bytes */
    if (json_text(v, &b) || buf_len(&b) == 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b, len);
}

/* What a KIND_JSON_KEPT answer depends on: the route, the caller's
 * organisation and each declared parameter (absent or its text). */
static char *answer_key(struct req *r)
{
    struct buf b;
    buf_init(&b, 8192);
    buf_printf(&b, "%s %" PRId64, r->route->path, r->sess.user.org_id);
    const struct param *p = r->route->params;
    for (int i = 0; p && p[i].name; i++) {
        if (r->q[i])
            buf_printf(&b, " %zu:%s", strlen(r->q[i]), r->q[i]);
        else
            buf_puts(&b, " -");
    }
    if (buf_err(&b)) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b, NULL);
}

static void dispatch(struct req *r, const char *path, struct conn_ctx *cc)
{
    {
        const char *q = MHD_lookup_connection_value(cur_conn, MHD_GET_ARGUMENT_KIND, "lang");
        const char *c = MHD_lookup_connection_value(cur_conn, MHD_COOKIE_KIND, LANG_COOKIE);
        r->lang = i18n_negotiate(
            q, c, MHD_lookup_connection_value(cur_conn, MHD_HEADER_KIND, "Accept-Language"));
        if (q && i18n_parse(q) >= 0 && (!c || i18n_parse(c) != r->lang))
            snprintf(r->cookie2[0], sizeof r->cookie2[0],
                     LANG_COOKIE "=%s; Path=/; SameSite=Strict; Max-Age=31536000%s",
                     i18n_code(r->lang), r->cfg->secure_cookies ? "; Secure" : "");
    }
    /* Find the route; remember whether the path exists under another method. */
    const struct route *rt = NULL;
    int path_known = 0;
    char allow[64] = "";
    r->path = path;
    for (const struct route *x = routes; x->method; x++) {
        int64_t id = 0, sub = 0;
        const char *file = NULL;
        char code[65] = "";
        if (!path_match(x->path, path, &id, &sub, &file, code))
            continue;
        path_known = 1;
        size_t used = strlen(allow);
        snprintf(allow + used, sizeof allow - used, "%s%s", used ? ", " : "", x->method);
        if (strcmp(x->method, r->method) == 0) {
            rt = x;
            r->id = id;
            r->sub = sub;
            r->file = file;
            memcpy(r->code, code, sizeof code);
            break;
        }
    }
    if (!rt) {
        if (path_known) {
            r->status = 405;
            snprintf(r->err_msg, sizeof r->err_msg, "method %s is not allowed here (allowed: %s)",
                     r->method, allow);
            snprintf(r->allow, sizeof r->allow, "%s", allow);
        } else {
            req_fail(r, VIGIL_ENOTFOUND, NULL, "no such resource");
        }
        return;
    }
    r->route = rt;
    if (rt->action == ACT_PUBLIC && strcmp(rt->method, "POST") == 0) {
        char addr[48];
        client_address(cur_conn, addr);
        int wait = rate_limit(addr);
        if (wait) {
            snprintf(r->retry_after, sizeof r->retry_after, "%d", wait);
            req_fail(r, VIGIL_ETHROTTLE, NULL,
                     "too many requests from your address; try again in %d seconds", wait);
            return;
        }
    }
    if (cc->too_big) {
        req_fail(r, VIGIL_ETOOBIG, NULL, "the request body is larger than %zu bytes",
                 r->cfg->max_body);
        return;
    }
    r->st = thread_store();
    if (!r->st) {
        req_fail(r, VIGIL_EUNAVAIL, NULL, "the database is not available");
        return;
    }
    if (strcmp(r->method, "GET") == 0)
        store_read_begin(r->st); /* ended in on_request, after dispatch */

    char hash[65];
    int rc = authenticate(r, hash);
    if (rc == VIGIL_EAUTH || (rc && rc != VIGIL_ENOTFOUND)) {
        if (rt->action != ACT_PUBLIC)
            return;    /* r carries the 401 */
        r->status = 0; /* public routes ignore a bad token */
        r->err_msg[0] = '\0';
    }
    if (rt->action != ACT_PUBLIC) {
        if (!r->authed) {
            req_fail(r, VIGIL_EAUTH, NULL, "log in first");
            return;
        }
        if (!policy_allows(r->sess.user.role, rt->action)) {
            req_fail(r, VIGIL_EPERM, NULL, "your role may not do this");
            access_denied(r);
            return;
        }
    }

    struct argscan a = {.r = r};
    MHD_get_connection_values(cur_conn, MHD_GET_ARGUMENT_KIND, arg_iter, &a);
    if (a.bad) {
        req_fail(r, VIGIL_EINVAL, a.name, "%s", a.why);
        return;
    }

    if (rt->scope == SCOPE_CASE && !store_case_visible(r->st, r->id, r->sess.user.org_id)) {
        req_fail(r, VIGIL_ENOTFOUND, NULL, "no case %" PRId64, r->id);
        return;
    }
    if (rt->scope == SCOPE_REFERRAL_TO) {
        json_t *ref = NULL;
        int ok = store_referral_get(r->st, r->id, &ref) == VIGIL_OK &&
                 json_integer_value(json_object_get(ref, "to_org_id")) == r->sess.user.org_id;
        json_decref(ref);
        if (!ok) {
            req_fail(r, VIGIL_ENOTFOUND, NULL, "no referral %" PRId64, r->id);
            return;
        }
    }

    if (rt->scope == SCOPE_MEASURE_OWNER) {
        json_t *m = NULL;
        char owner[17] = "";
        int found = store_measure_get(r->st, r->id, &m) == VIGIL_OK;
        const char *code = found ? json_string_value(json_object_get(m, "owner")) : NULL;
        snprintf(owner, sizeof owner, "%s", code ? code : "");
        json_decref(m);
        if (!found) {
            req_fail(r, VIGIL_ENOTFOUND, NULL, "no measure %" PRId64, r->id);
            return;
        }
        if (strcmp(owner, r->sess.user.org_code) != 0 &&
            !policy_allows(r->sess.user.role, ACT_COMMITTEE_WRITE)) {
            req_fail(r, VIGIL_EPERM, NULL,
                     "only the organisation that owns this measure (%s) reports its progress",
                     owner);
            return;
        }
    }

    if (rt->body == BODY_FORM && check_form(r, cc))
        return;

    if (rt->body == BODY_JSON) {
        const char *ct = MHD_lookup_connection_value(cur_conn, MHD_HEADER_KIND, "Content-Type");
        if (!json_content_type(ct)) {
            req_fail(r, VIGIL_EMEDIA, NULL, "send the body as application/json");
            return;
        }
        if (buf_len(&cc->body) == 0) {
            req_fail(r, VIGIL_EINVAL, NULL, "the request body is empty");
            return;
        }
        if (!utf8_valid(cc->body.p, buf_len(&cc->body))) {
            req_fail(r, VIGIL_EINVAL, NULL, "the request body is not valid UTF-8");
            return;
        }
        json_error_t je;
        r->body = json_loadb(cc->body.p, buf_len(&cc->body), JSON_REJECT_DUPLICATES, &je);
        if (!r->body) {
            req_fail(r, VIGIL_EINVAL, NULL, "malformed JSON at line %d column %d: %s", je.line,
                     je.column, je.text);
            return;
        }
        if (!json_is_object(r->body)) {
            req_fail(r, VIGIL_EINVAL, NULL, "the body must be a JSON object");
            return;
        }
    } else if (rt->body == BODY_NONE && buf_len(&cc->body) > 0) {
        req_fail(r, VIGIL_EINVAL, NULL, "this request takes no body");
        return;
    }

    r->if_match = MHD_lookup_connection_value(cur_conn, MHD_HEADER_KIND, "If-Match");
    char *key = NULL;
    if (rt->kind == KIND_JSON_KEPT && r->cfg->answer_cache && strcmp(r->method, "GET") == 0) {
        key = answer_key(r);
        if (key && (r->resp_text = answers_get(r->st, r->cfg->answer_cache, key, &r->resp_len))) {
            free(key);
            r->status = 200;
            r->kept = 1;
            return;
        }
    }
    rc = rt->handler(r);
    if (rc)
        store_rollback(r->st); /* a handler that failed mid-transaction */
    if (rc && !r->status)
        req_fail(r, rc, NULL, "%s", vigil_strerror(rc));
    if (!rc && !r->status)
        r->status = 200;
    if (key && r->status == 200 && r->resp && !r->etag[0] && !r->location[0]) {
        r->resp_text = json_body(r->resp, &r->resp_len);
        if (r->resp_text) {
            answers_put(r->st, r->cfg->answer_cache, key, r->resp_text, r->resp_len);
            json_decref(r->resp);
            r->resp = NULL;
        }
    }
    free(key);
}

static void add_common_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; frame-ancestors 'none'");
}

/* Whether the answer is a page: an HTML route, or an unknown path outside
 * the API. */
static int wants_html(const struct req *r)
{
    if (r->route)
        return r->route->kind == KIND_HTML;
    return r->path && strncmp(r->path, "/api/", 5) != 0 && strcmp(r->path, "/api") != 0 &&
           strcmp(r->path, "/healthz") != 0;
}

static enum MHD_Result respond_html(struct MHD_Connection *c, struct req *r)
{
    if (r->status == 401) {
        /* Not logged in (or the session ended): to the login page, and back. */
        struct buf loc;
        buf_init(&loc, sizeof r->location);
        buf_puts(&loc, "/login");
        if (strcmp(r->method, "GET") == 0 && r->path && strcmp(r->path, "/") != 0) {
            buf_puts(&loc, "?next=");
            for (const unsigned char *p = (const unsigned char *)r->path; *p; p++)
                buf_printf(
                    &loc, isalnum(*p) || *p == '/' || *p == '-' || *p == '_' ? "%c" : "%%%02X", *p);
        }
        snprintf(r->location, sizeof r->location, "%s", buf_err(&loc) ? "/login" : buf_cstr(&loc));
        buf_free(&loc);
        if (MHD_lookup_connection_value(c, MHD_COOKIE_KIND, SESSION_COOKIE))
            snprintf(r->cookie, sizeof r->cookie,
                     SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                     r->cfg->secure_cookies ? "; Secure" : "");
        r->status = 303;
        buf_reset(&r->html);
    }
    if (r->status >= 500)
        buf_reset(&r->html); /* never half a page: the error page instead */
    if (r->status >= 400 && buf_len(&r->html) == 0 && !r->raw)
        page_error(r);
    struct MHD_Response *resp;
    if (r->raw) {
        resp = MHD_create_response_from_buffer(r->raw_len, (void *)r->raw, MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len = 0;
        char *text = buf_err(&r->html) ? NULL : buf_take(&r->html, &len);
        resp = MHD_create_response_from_buffer(
            len, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (!resp)
            free(text);
    }
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            r->raw         ? r->raw_type
                            : r->html_type ? r->html_type
                                           : "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", r->raw ? "public, max-age=3600" : "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; style-src 'self'; img-src 'self'; "
                            "script-src 'self'; form-action 'self'; base-uri 'none'; "
                            "frame-ancestors 'none'");
    if (r->location[0])
        MHD_add_response_header(resp, "Location", r->location);
    if (r->cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", r->cookie);
    for (int k = 0; k < 2; k++)
        if (r->cookie2[k][0])
            MHD_add_response_header(resp, "Set-Cookie", r->cookie2[k]);
    if (r->allow[0])
        MHD_add_response_header(resp, "Allow", r->allow);
    if (r->retry_after[0])
        MHD_add_response_header(resp, "Retry-After", r->retry_after);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A file handed over (a report): its bytes as an attachment. Whatever it
 * is, a browser that opens it in place may run nothing and fetch nothing
 * (CSP sandbox); the packs' HTML needs only its inline style. */
static enum MHD_Result respond_file(struct MHD_Connection *c, struct req *r)
{
    size_t len = 0;
    char *data = buf_take(&r->html, &len);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, data ? data : (char *)"", data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    char disp[160];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", r->download);
    MHD_add_response_header(resp, "Content-Type",
                            r->html_type ? r->html_type : "application/octet-stream");
    MHD_add_response_header(resp, "Content-Disposition", disp);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; "
                            "frame-ancestors 'none'; sandbox");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result respond(struct MHD_Connection *c, struct req *r)
{
    if (r->download[0] && r->status == 200 && !buf_err(&r->html))
        return respond_file(c, r);
    if (wants_html(r))
        return respond_html(c, r);
    json_t *body = r->resp;
    if (r->status >= 400) {
        json_t *e = json_object();
        const char *code;
        switch (r->status) {
        case 405:
            code = "method_not_allowed";
            break;
        case 431:
            code = "headers_too_large";
            break;
        default: {
            code = "internal_error";
            for (int k = 1; k < VIGIL_NERR; k++)
                if (vigil_http_status(k) == r->status) {
                    code = vigil_errname(k);
                    break;
                }
        }
        }
        json_object_set_new(e, "code", json_string(code));
        json_object_set_new(e, "message", json_string(r->err_msg[0] ? r->err_msg : "error"));
        if (r->err_field[0])
            json_object_set_new(e, "field", json_string(r->err_field));
        json_decref(body);
        body = json_pack("{s:o}", "error", e);
    }
    char *text = NULL;
    size_t len = 0;
    if (r->resp_text && r->status < 400) {
        text = r->resp_text;
        len = r->resp_len;
        r->resp_text = NULL;
    } else if (body && r->status != 204) {
        text = json_body(body, &len);
    }
    free(r->resp_text);
    r->resp_text = NULL;
    json_decref(body);
    r->resp = NULL;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    add_common_headers(resp);
    if (r->etag[0])
        MHD_add_response_header(resp, "ETag", r->etag);
    if (r->location[0])
        MHD_add_response_header(resp, "Location", r->location);
    if (r->cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", r->cookie);
    if (r->allow[0])
        MHD_add_response_header(resp, "Allow", r->allow);
    if (r->retry_after[0])
        MHD_add_response_header(resp, "Retry-After", r->retry_after);
    if (r->status == 401)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"vigil\"");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct conn_ctx *cc = *con_cls;
    if (!cc) {
        cc = calloc(1, sizeof *cc);
        if (!cc)
            return MHD_NO;
        buf_init(&cc->body, cfg.max_body);
        cc->t0 = time_ms();
        *con_cls = cc;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        size_t n;
        if (cl && parse_size(cl, 0, SIZE_MAX / 2, &n) == 0 && n > cfg.max_body)
            cc->too_big = 1; /* answered below, without reading the body */
        if (!cc->too_big)
            return MHD_YES;
    }
    if (*upload_size) {
        /* Past the limit (a chunked body has no Content-Length to refuse
         * up front) the rest is read and dropped: libmicrohttpd takes a
         * response only before the body or after all of it, and the 413
         * is sent when the upload ends. */
        if (!cc->too_big && buf_add(&cc->body, upload_data, *upload_size))
            cc->too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }

    struct req r;
    memset(&r, 0, sizeof r);
    buf_init(&r.html, 8u << 20);
    r.cfg = &cfg;
    r.key = &server_key;
    r.method = method;
    cur_conn = c;
    dispatch(&r, url, cc);
    if (r.st)
        store_read_end(r.st);
    enum MHD_Result ret = respond(c, &r);
    free(r.resp_text); /* NULL unless the answer was not JSON after all */
    log_info("%s %s %d %" PRId64 "ms%s", method, r.route ? r.route->path : "-", r.status,
             time_ms() - cc->t0, r.kept ? " kept" : "");
    json_decref(r.body);
    buf_free(&r.html);
    cur_conn = NULL;
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct conn_ctx *cc = *con_cls;
    if (!cc)
        return;
    buf_free(&cc->body);
    free(cc);
    *con_cls = NULL;
}

/* ---- configuration and the serve verb -------------------------------- */

static int set_option(const char *name, const char *v, char *err, size_t errlen)
{
    size_t sz;
    int n;
    if (strcmp(name, "listen") == 0) {
        cfg.listen = strdup(v);
        return 0;
    }
    if (strcmp(name, "max-body") == 0 && parse_size(v, 1024, (size_t)1 << 30, &sz) == 0) {
        cfg.max_body = sz;
        return 0;
    }
    if (strcmp(name, "max-header") == 0 && parse_size(v, 4096, (size_t)1 << 20, &sz) == 0) {
        cfg.max_header = sz;
        return 0;
    }
    if (strcmp(name, "per-ip") == 0 && parse_int(v, 1, 100000, &n) == 0) {
        cfg.per_ip = (unsigned)n;
        return 0;
    }
    if (strcmp(name, "public-rate") == 0 && parse_int(v, 0, 100000, &n) == 0) {
        cfg.public_rate = (unsigned)n;
        return 0;
    }
    if (strcmp(name, "max-connections") == 0 && parse_int(v, 1, 100000, &n) == 0) {
        cfg.max_conn = (unsigned)n;
        return 0;
    }
    if (strcmp(name, "timeout") == 0 && parse_int(v, 1, 3600, &n) == 0) {
        cfg.timeout = (unsigned)n;
        return 0;
    }
    if (strcmp(name, "threads") == 0 && parse_int(v, 1, 128, &n) == 0) {
        cfg.threads = (unsigned)n;
        return 0;
    }
    if (strcmp(name, "idle-timeout") == 0 && parse_int(v, 1, 7 * 86400, &n) == 0) {
        cfg.idle_timeout = n;
        return 0;
    }
    if (strcmp(name, "session-max") == 0 && parse_int(v, 1, 30 * 86400, &n) == 0) {
        cfg.session_max = n;
        return 0;
    }
    if (strcmp(name, "login-max-failures") == 0 && parse_int(v, 1, 1000, &n) == 0) {
        cfg.login_max_failures = n;
        return 0;
    }
    if (strcmp(name, "login-window") == 0 && parse_int(v, 1, 86400, &n) == 0) {
        cfg.login_window = n;
        return 0;
    }
    if (strcmp(name, "stats-k") == 0 && parse_int(v, 1, 1000, &n) == 0) {
        cfg.stats_k = n;
        return 0;
    }
    if (strcmp(name, "answer-cache") == 0 && parse_size(v, 0, (size_t)1 << 30, &sz) == 0) {
        cfg.answer_cache = sz;
        return 0;
    }
    if (strcmp(name, "secure-cookies") == 0 && parse_int(v, 0, 1, &n) == 0) {
        cfg.secure_cookies = n;
        return 0;
    }
    snprintf(err, errlen, "invalid value '%.40s' for %s", v, name);
    return -1;
}

struct ini_ctx {
    char err[256];
    int bad;
};

static int config_line(void *user, const char *section, const char *name, const char *value)
{
    struct ini_ctx *x = user;
    if (strcmp(section, "server") != 0)
        return 1;
    char key[64];
    snprintf(key, sizeof key, "%s", name);
    for (char *p = key; *p; p++)
        if (*p == '_')
            *p = '-';
    if (set_option(key, value, x->err, sizeof x->err)) {
        x->bad = 1;
        return 0;
    }
    return 1;
}

struct serve_opts {
    char err[256];
};

static int serve_opt(void *ud, const char *name, const char *arg)
{
    struct serve_opts *o = ud;
    if (strcmp(name, "config") == 0) {
        struct ini_ctx x = {0};
        int rc = ini_parse(arg, config_line, &x);
        if (rc < 0) {
            cmd_err("cannot read config file %s", arg);
            return -1;
        }
        if (rc > 0 || x.bad) {
            cmd_err("config file %s, line %d: %s", arg, rc, x.bad ? x.err : "syntax error");
            return -1;
        }
        return 0;
    }
    if (strcmp(name, "secure-cookies") == 0)
        arg = "1";
    if (set_option(name, arg, o->err, sizeof o->err)) {
        cmd_err("%s", o->err);
        return -1;
    }
    return 0;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    int port;
    if (parse_int(colon + 1, 0, 65535, &port))
        return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return -1;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil serve [--listen ADDR:PORT] [--config FILE] [options]\n"
        "Run the web server (default 127.0.0.1:8080; port 0 picks a free one).\n"
        "  --max-body SIZE         largest request body (default 1M; 413 above)\n"
        "  --max-header SIZE       largest request head (default 32k; 431 above)\n"
        "  --per-ip N              connections per client address (default 128)\n"
        "  --public-rate N         public POSTs (tips, feedback, logins) per address per\n"
        "                          minute (default 60; 0 turns the limit off)\n"
        "  --max-connections N     connections in all (default 1024)\n"
        "  --timeout SECONDS       idle connection timeout (default 30)\n"
        "  --threads N             worker threads (default 4)\n"
        "  --idle-timeout SECONDS  session idle timeout (default 1800)\n"
        "  --session-max SECONDS   session lifetime (default 43200)\n"
        "  --login-max-failures N  failed logins per user before 429 (default 5)\n"
        "  --login-window SECONDS  window for counting failures (default 900)\n"
        "  --secure-cookies        mark cookies Secure (when served behind TLS)\n"
        "  --stats-k N             suppress statistics counts below N (default 3; a\n"
        "                          request may ask for more, never less)\n"
        "  --answer-cache SIZE     case lists kept per worker thread while the database\n"
        "                          is unchanged (default 1M; 0 keeps none)\n"
        "  --config FILE           read these settings from an INI file, section [server]\n";
    static const struct cmd_opt opts[] = {{"listen", 1},
                                          {"max-body", 1},
                                          {"max-header", 1},
                                          {"per-ip", 1},
                                          {"public-rate", 1},
                                          {"max-connections", 1},
                                          {"timeout", 1},
                                          {"threads", 1},
                                          {"idle-timeout", 1},
                                          {"session-max", 1},
                                          {"login-max-failures", 1},
                                          {"login-window", 1},
                                          {"secure-cookies", 0},
                                          {"stats-k", 1},
                                          {"answer-cache", 1},
                                          {"config", 1},
                                          {NULL, 0}};
    struct cmd_ctx c = {0};
    struct serve_opts so = {0};
    int i = cmd_parse(argc, argv, &c, opts, serve_opt, &so, help);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    struct sockaddr_in sa;
    if (parse_listen(cfg.listen, &sa)) {
        cmd_err("invalid --listen '%s' (want ADDR:PORT, e.g. 127.0.0.1:8080)", cfg.listen);
        return EXIT_USAGE;
    }
    if (cfg.max_conn < cfg.threads) {
        /* libmicrohttpd splits the limit between its threads; a thread with
         * none never stops cleanly. */
        cmd_err("--max-connections (%u) must be at least --threads (%u)", cfg.max_conn,
                cfg.threads);
        return EXIT_USAGE;
    }
    if (cmd_key(&c, &server_key))
        return EXIT_FAIL;
    struct store *st = cmd_store(&c);
    if (!st)
        return EXIT_FAIL;
    store_session_purge(st, time_now());
    store_close(st);
    db_uri = c.db;

    signal(SIGPIPE, SIG_IGN);
    /* SIGINT and SIGTERM are blocked in every thread (libmicrohttpd's
     * inherit the mask) and taken by sigwait() below: a process-directed
     * signal may go to any thread that does not block it, and one caught
     * by a worker would never wake a main thread in pause(). */
    sigset_t stop_sigs;
    sigemptyset(&stop_sigs);
    sigaddset(&stop_sigs, SIGINT);
    sigaddset(&stop_sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_sigs, NULL);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        cfg.threads, MHD_OPTION_CONNECTION_LIMIT, cfg.max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        cfg.per_ip, MHD_OPTION_CONNECTION_TIMEOUT, cfg.timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        cfg.max_header, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
    if (!d) {
        cmd_err("cannot listen on %s (in use, or not an address of this machine)", cfg.listen);
        return EXIT_FAIL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[64];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    printf("vigil: listening on http://%s:%u\n", host, info ? info->port : 0);
    fflush(stdout);
    log_info("serving with %u threads", cfg.threads);
    /* The request lines are written in batches (util/log.h); this thread
     * writes what waits at least once a second while it waits for a stop. */
    log_set_buffered(1);
    const struct timespec second = {1, 0};
    while (sigtimedwait(&stop_sigs, NULL, &second) < 0)
        log_flush();
    log_info("stopping");
    MHD_stop_daemon(d);
    pthread_mutex_lock(&stores_lock);
    for (int k = 0; k < nstores; k++)
        store_close(stores[k]);
    nstores = 0;
    pthread_mutex_unlock(&stores_lock);
    log_set_buffered(0);
    return EXIT_OK;
}
