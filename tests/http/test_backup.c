/*
 * The backup drill (the reliability issue): `vigil backup -o FILE` is taken
 * while a writer thread streams case creates and notes at the running
 * server; the file is restored with `vigil restore` into a fresh path, which
 * must pass its integrity check and `vigil audit verify`, and a server on it
 * must show every write whose 2xx answer came before the backup began.
 *
 * On PostgreSQL the backup is pg_dump's job (docs/deploy.md): there the test
 * checks that `vigil backup` and `vigil restore` refuse and say so.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/harness.h"
#include "store/store.h"

#define MAX_WRITES 20000

static struct server srv;
static char *tok;

/* An answered write: a case (note 0) or a note on it. */
struct write {
    json_int_t case_id, note_id;
    char text[40];
};

static struct write writes[MAX_WRITES];
static atomic_int nwrites; /* published after the entry is filled in */
static atomic_int stop;
static char writer_error[512];

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Case creates and notes, one after another, until told to stop. */
static void *writer(void *arg)
{
    (void)arg;
    json_int_t case_id = 0;
    for (long seq = 0; !atomic_load(&stop) && atomic_load(&nwrites) < MAX_WRITES; seq++) {
        struct http_resp r;
        struct write w = {0};
        if (seq % 4 == 0) {
            http_request(&srv, "POST", "/api/v1/cases", tok,
                         "{\"category\":\"trafficking\",\"source\":\"police\"}", NULL, &r);
            w.case_id = json_integer_value(json_object_get(r.json, "id"));
        } else {
            char path[96], body[96];
            snprintf(w.text, sizeof w.text, "backup drill note %ld", seq);
            snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)case_id);
            snprintf(body, sizeof body, "{\"text\":\"%s\"}", w.text);
            http_request(&srv, "POST", path, tok, body, NULL, &r);
            w.case_id = case_id;
            w.note_id = json_integer_value(json_object_get(r.json, "id"));
        }
        if (r.status != 201 || (seq % 4 == 0 ? w.case_id : w.note_id) <= 0) {
            snprintf(writer_error, sizeof writer_error, "write %ld: %ld %.400s", seq, r.status,
                     r.body ? r.body : "");
            http_free(&r);
            break;
        }
        http_free(&r);
        if (seq % 4 == 0)
            case_id = w.case_id;
        int i = atomic_load(&nwrites);
        writes[i] = w;
        atomic_store(&nwrites, i + 1);
    }
    return NULL;
}

/* Whether write w is on server s. */
static int present(struct server *s, const struct write *w)
{
    char path[96];
    struct http_resp r;
    int ok = 0;
    if (!w->note_id) {
        snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)w->case_id);
        ok = http_get(s, path, tok, &r) == 200;
    } else {
        snprintf(path, sizeof path, "/api/v1/cases/%lld/notes", (long long)w->case_id);
        if (http_get(s, path, tok, &r) == 200) {
            size_t i;
            json_t *x;
            json_array_foreach(json_object_get(r.json, "items"), i, x)
            {
                const char *text = json_string_value(json_object_get(x, "text"));
                ok |= json_integer_value(json_object_get(x, "id")) == w->note_id && text &&
                      strcmp(text, w->text) == 0;
            }
        }
    }
    http_free(&r);
    return ok;
}

static void test_backup_under_writes(void **state)
{
    (void)state;
    char file[400], fresh[400];
    snprintf(file, sizeof file, "%s/drill-backup.db", srv.dir);
    snprintf(fresh, sizeof fresh, "%s/restored.db", srv.dir);
    if (!server_is_sqlite(&srv)) {
        /* PostgreSQL: vigil leaves backups to pg_dump / pg_basebackup. */
        static const char *const backup[] = {"backup", NULL};
        const char *const args[] = {"-o", file, NULL};
        char *err = NULL;
        assert_int_equal(vigil_cli(&srv, NULL, backup, args, NULL, &err), 1);
        assert_non_null(strstr(err, "pg_dump"));
        free(err);
        static const char *const restore[] = {"restore", NULL};
        const char *const rargs[] = {file, NULL};
        assert_int_equal(vigil_cli(&srv, NULL, restore, rargs, NULL, &err), 1);
        assert_non_null(strstr(err, "docs/deploy.md"));
        free(err);
        printf("PostgreSQL: vigil backup/restore refuse; pg_dump's job (docs/deploy.md)\n");
        return;
    }

    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, writer, NULL), 0);
    /* Let the stream get going, then back up in the middle of it. */
    while (atomic_load(&nwrites) < 200 && !writer_error[0])
        sleep_ms(5);
    int before = atomic_load(&nwrites);
    static const char *const backup[] = {"backup", NULL};
    const char *const args[] = {"-o", file, NULL};
    char *out = NULL, *err = NULL;
    int rc = vigil_cli(&srv, NULL, backup, args, &out, &err);
    int after = atomic_load(&nwrites);
    if (rc)
        print_error("backup: %s%s\n", out ? out : "", err ? err : "");
    free(out);
    free(err);
    assert_int_equal(rc, 0);
    /* Keep writing a little after the backup too. */
    while (atomic_load(&nwrites) < after + 100 && !writer_error[0])
        sleep_ms(5);
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    if (writer_error[0])
        print_error("writer: %s\n", writer_error);
    assert_string_equal(writer_error, "");
    int total = atomic_load(&nwrites);
    assert_true(after > before); /* the writes went on while the backup ran */

    /* Restore into a fresh path and check it. */
    static const char *const restore[] = {"restore", NULL};
    const char *const rargs[] = {file, NULL};
    rc = vigil_cli(&srv, fresh, restore, rargs, &out, &err);
    if (rc)
        print_error("restore: %s%s\n", out ? out : "", err ? err : "");
    free(out);
    free(err);
    assert_int_equal(rc, 0);
    struct store *st = NULL;
    char msg[512];
    assert_int_equal(store_open(fresh, &st, msg, sizeof msg), 0);
    rc = store_integrity(st, msg, sizeof msg);
    if (rc)
        print_error("integrity: %s\n", msg);
    store_close(st);
    assert_int_equal(rc, 0);
    static const char *const verify[] = {"audit", "verify", NULL};
    assert_int_equal(vigil_cli(&srv, fresh, verify, NULL, NULL, NULL), 0);

    /* A server on the restored database has every write answered before
     * the backup began; of those answered while it ran, some may be in it. */
    struct server like = srv, restored;
    snprintf(like.db, sizeof like.db, "%s", fresh);
    assert_int_equal(server_start_twin(&restored, &like, NULL), 0);
    int missing = 0, later = 0, leaked = 0;
    for (int i = 0; i < total; i++) {
        int p = present(&restored, &writes[i]);
        if (i < before && !p) {
            if (!missing++)
                print_error("write %d (case %lld, note %lld) answered before the backup is "
                            "missing\n",
                            i, (long long)writes[i].case_id, (long long)writes[i].note_id);
        }
        if (i >= before)
            later += p;
        /* Sent after the backup had ended (write `after` may have been in
         * flight then): it cannot be in the copy. */
        if (i > after && p) {
            if (!leaked++)
                print_error("write %d, sent after the backup ended, is in it\n", i);
        }
    }
    server_cleanup(&restored);
    printf("backup drill: %d writes answered before the backup began (all restored), %d while "
           "it ran, %d after; %d of the later ones in the backup\n",
           before, after - before, total - after, later);
    assert_int_equal(missing, 0);
    assert_int_equal(leaked, 0);
}

static int setup(void **state)
{
    (void)state;
    if (server_start(&srv, NULL))
        return -1;
    tok = login(&srv, "investigator");
    return tok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(tok);
    server_cleanup(&srv);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backup_under_writes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
