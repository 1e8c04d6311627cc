/* The audit chain: hashing, appending and verification; see audit.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "util/err.h"
#include "util/timeutil.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void put_field(crypto_generichash_state *h, const char *s)
{
    /* Length-prefixed, so that no two field lists hash alike. */
    uint64_t n = strlen(s);
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(n >> (8 * i));
    crypto_generichash_update(h, len, sizeof len);
    crypto_generichash_update(h, (const unsigned char *)s, n);
}

void audit_hash(const struct audit_row *r, char out[65])
{
    crypto_generichash_state h;
    unsigned char d[32];
    char num[64];
    crypto_generichash_init(&h, NULL, 0, sizeof d);
    put_field(&h, "vigil-audit-v1");
    snprintf(num, sizeof num, "%" PRId64 ":%" PRId64 ":%" PRId64, r->id, r->at, r->user_id);
    put_field(&h, num);
    put_field(&h, r->username);
    put_field(&h, r->action);
    put_field(&h, r->object);
    put_field(&h, r->detail);
    put_field(&h, r->prev_hash);
    crypto_generichash_final(&h, d, sizeof d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

int audit_append(struct store *st, int64_t user_id, const char *username, const char *action,
                 const char *object, const char *detail)
{
    struct audit_row r;
    int64_t last = 0;
    int rc = store_audit_head(st, &last, r.prev_hash);
    if (rc)
        return rc;
    if (!r.prev_hash[0])
        memcpy(r.prev_hash, GENESIS, sizeof GENESIS);
    r.id = last + 1;
    r.at = time_now();
    r.user_id = user_id;
    r.username = username ? username : "";
    r.action = action;
    r.object = object ? object : "";
    r.detail = detail ? detail : "";
    audit_hash(&r, r.hash);
    return store_audit_insert(st, &r);
}

int audit_record(struct store *st, int64_t user_id, const char *username, const char *action,
                 const char *object, const char *detail)
{
    int rc = store_begin(st);
    if (rc)
        return rc;
    rc = audit_append(st, user_id, username, action, object, detail);
    if (rc) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}

struct verify {
    int64_t expect_id, count, bad_id;
    char prev[65];
    char *msg;
    size_t msglen;
};

static int verify_one(void *ctx, const struct audit_row *r)
{
    struct verify *v = ctx;
    char h[65];
    if (r->id != v->expect_id) {
        v->bad_id = v->expect_id;
        snprintf(v->msg, v->msglen,
                 "audit entry %" PRId64 " is missing (the next entry present is %" PRId64 ")",
                 v->expect_id, r->id);
        return 1;
    }
    if (strcmp(r->prev_hash, v->prev) != 0) {
        v->bad_id = r->id;
        snprintf(v->msg, v->msglen,
                 "audit entry %" PRId64 " does not follow entry %" PRId64
                 ": an entry was removed, reordered or changed",
                 r->id, r->id - 1);
        return 1;
    }
    audit_hash(r, h);
    if (strcmp(h, r->hash) != 0) {
        v->bad_id = r->id;
        snprintf(v->msg, v->msglen, "audit entry %" PRId64 " was modified (hash mismatch)", r->id);
        return 1;
    }
    memcpy(v->prev, r->hash, sizeof v->prev);
    v->expect_id++;
    v->count++;
    return 0;
}

int audit_verify(struct store *st, int64_t *count, int64_t *bad_id, char *msg, size_t msglen)
{
    struct verify v = {.expect_id = 1, .msg = msg, .msglen = msglen};
    memcpy(v.prev, GENESIS, sizeof GENESIS);
    msg[0] = '\0';
    int rc = store_audit_scan(st, 0, 0, verify_one, &v);
    if (count)
        *count = v.count;
    if (rc == 1) {
        if (bad_id)
            *bad_id = v.bad_id;
        return VIGIL_ECORRUPT;
    }
    return rc;
}
