/* Answers kept while the database is unchanged; see answers.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "web/answers.h"

#define ANSWERS_MAX 64

struct answer {
    char *key;
    char *text;
    size_t len;
};

/* One worker thread's answers, all read at one version of its store. */
struct answers {
    struct store *st;
    struct store_version at;
    struct answer a[ANSWERS_MAX]; /* a ring, oldest at next */
    int next;
    size_t bytes;
};

static pthread_key_t key_answers;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void drop(struct answer *a, size_t *bytes)
{
    if (!a->key)
        return;
    *bytes -= strlen(a->key) + a->len;
    free(a->key);
    free(a->text);
    memset(a, 0, sizeof *a);
}

static void destroy(void *p)
{
    struct answers *t = p;
    for (int i = 0; i < ANSWERS_MAX; i++)
        drop(&t->a[i], &t->bytes);
    free(t);
}

static void make_key(void)
{
    pthread_key_create(&key_answers, destroy);
}

/* This thread's answers, emptied unless they were read at st's version
 * now; NULL when there is nothing to keep or find. */
static struct answers *current(struct store *st, size_t limit)
{
    if (limit == 0)
        return NULL;
    struct store_version v;
    if (store_data_version(st, &v) != VIGIL_OK)
        return NULL;
    pthread_once(&key_once, make_key);
    struct answers *t = pthread_getspecific(key_answers);
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t || pthread_setspecific(key_answers, t)) {
            free(t);
            return NULL;
        }
        t->st = st;
        t->at = v;
    }
    if (t->st != st || t->at.others != v.others || t->at.own != v.own) {
        for (int i = 0; i < ANSWERS_MAX; i++)
            drop(&t->a[i], &t->bytes);
        t->st = st;
        t->at = v;
    }
    return t;
}

char *answers_get(struct store *st, size_t limit, const char *key, size_t *len)
{
    struct answers *t = current(st, limit);
    for (int i = 0; t && i < ANSWERS_MAX; i++) {
        struct answer *a = &t->a[i];
        if (!a->key || strcmp(a->key, key) != 0)
            continue;
        char *copy = malloc(a->len + 1);
        if (!copy)
            return NULL;
        memcpy(copy, a->text, a->len + 1);
        *len = a->len;
        return copy;
    }
    return NULL;
}

void answers_put(struct store *st, size_t limit, const char *key, const char *text, size_t len)
{
    size_t need = strlen(key) + len;
    struct answers *t = current(st, limit);
    if (!t || need > limit / 4)
        return;
    for (int i = 0; i < ANSWERS_MAX; i++)
        if (t->a[i].key && strcmp(t->a[i].key, key) == 0)
            return; /* another request of this thread kept it already */
    /* Make room: the slot to reuse, then the oldest after it. */
    drop(&t->a[t->next], &t->bytes);
    for (int k = 1; k < ANSWERS_MAX && t->bytes + need > limit; k++)
        drop(&t->a[(t->next + k) % ANSWERS_MAX], &t->bytes);
    struct answer *a = &t->a[t->next];
    a->key = strdup(key);
    a->text = malloc(len + 1);
    if (!a->key || !a->text) {
        free(a->key);
        free(a->text);
        memset(a, 0, sizeof *a);
        return;
    }
    memcpy(a->text, text, len);
    a->text[len] = '\0';
    a->len = len;
    t->bytes += need;
    t->next = (t->next + 1) % ANSWERS_MAX;
}
