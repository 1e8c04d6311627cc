/* Accepting or rejecting a referral from the home page's inbox. The route
 * (SCOPE_REFERRAL_TO) has already checked that it is addressed to the
 * caller's organisation. */
#include <inttypes.h>
#include <stdio.h>

#include "util/err.h"
#include "util/timeutil.h"
#include "web/page.h"

static int decide(struct req *r, const char *state, const char *action)
{
    json_t *out = NULL;
    int rc = store_begin(r->st);
    if (!rc)
        rc = store_referral_decide(r->st, r->id, state, r->sess.user.id, time_now(), &out);
    if (!rc) {
        char obj[48];
        snprintf(obj, sizeof obj, "case:%" JSON_INTEGER_FORMAT "/referral:%" PRId64,
                 json_integer_value(json_object_get(out, "case_id")), r->id);
        rc = req_audit(r, action, obj, "");
    }
    if (!rc)
        rc = store_commit(r->st);
    else
        store_rollback(r->st);
    json_int_t case_id = json_integer_value(json_object_get(out, "case_id"));
    json_decref(out);
    if (rc == VIGIL_ECONFLICT)
        return page_redirect(r, "/"); /* decided meanwhile: the inbox shows the truth */
    if (rc)
        return req_fail(r, rc, NULL, "the referral could not be saved");
    if (case_id > 0 && state[0] == 'a') {
        char loc[48];
        snprintf(loc, sizeof loc, "/cases/%" JSON_INTEGER_FORMAT, case_id);
        return page_redirect(r, loc);
    }
    return page_redirect(r, "/");
}

int page_referral_accept(struct req *r)
{
    return decide(r, "accepted", "referral.accept");
}

int page_referral_reject(struct req *r)
{
    return decide(r, "rejected", "referral.reject");
}
