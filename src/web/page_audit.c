/* The audit log for auditors and magistrates: the latest entries, one case's
 * trail, and the section the case page shows. Entries name objects and
 * actions, never personal data. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "web/page.h"

#define AUDIT_PAGE 100
#define AUDIT_MAX  200

struct trail {
    char obj[32], prefix[40]; /* "case:ID" and "case:ID/", or "" for all */
    size_t n, limit;
    struct trail_row {
        int64_t id;
        char at[21];
        char user[65], action[40], object[64], detail[96];
    } rows[AUDIT_MAX];
};

static int trail_item(void *ctx, const struct audit_row *a)
{
    struct trail *t = ctx;
    if (t->obj[0] && strcmp(a->object, t->obj) != 0 &&
        strncmp(a->object, t->prefix, strlen(t->prefix)) != 0)
        return 0;
    if (t->n == t->limit) { /* keep the latest: drop the oldest */
        memmove(&t->rows[0], &t->rows[1], (t->limit - 1) * sizeof t->rows[0]);
        t->n--;
    }
    struct trail_row *c = &t->rows[t->n++];
    c->id = a->id;
    time_iso(a->at, c->at);
    snprintf(c->user, sizeof c->user, "%s", a->username);
    snprintf(c->action, sizeof c->action, "%s", a->action);
    snprintf(c->object, sizeof c->object, "%s", a->object);
    snprintf(c->detail, sizeof c->detail, "%s", a->detail);
    return 0;
}

void audit_section(struct req *r, int64_t case_id, int64_t after, size_t limit)
{
    struct trail *t = calloc(1, sizeof *t);
    if (!t)
        return;
    t->limit = limit < AUDIT_MAX ? limit : AUDIT_MAX;
    if (case_id > 0) {
        snprintf(t->obj, sizeof t->obj, "case:%" PRId64, case_id);
        snprintf(t->prefix, sizeof t->prefix, "case:%" PRId64 "/", case_id);
    }
    /* A case's trail needs the whole log; the log itself one page of it. */
    int rc = store_audit_scan(r->st, case_id > 0 ? 0 : after, case_id > 0 ? 0 : (int64_t)limit,
                              trail_item, t);
    P("<section class=\"card wide\" aria-labelledby=\"h-audit\"><h2 id=\"h-audit\">%h</h2>",
      T("Audit trail"));
    if (rc || t->n == 0) {
        P("<p class=\"empty\">%h</p></section>",
          rc ? T("The audit log could not be read.") : T("No entries."));
        free(t);
        return;
    }
    P("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">%h"
      "</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th></tr></thead><tbody>",
      T("When"), T("User"), T("Action"), T("Object"), T("Detail"));
    for (size_t i = t->n; i-- > 0;) {
        P("<tr><td>%D</td><td>", t->rows[i].id);
        put_date(r, t->rows[i].at);
        P("</td><td>%h</td><td><code>%h</code></td><td><code>%h</code></td><td>%h</td></tr>",
          t->rows[i].user, t->rows[i].action, t->rows[i].object, t->rows[i].detail);
    }
    P("</tbody></table></div></section>");
    free(t);
}

int page_audit(struct req *r)
{
    int64_t case_id = 0, after = -1, head = 0;
    if (req_param(r, "case"))
        parse_i64(req_param(r, "case"), 1, INT64_MAX, &case_id); /* validated by the gate */
    if (req_param(r, "after"))
        parse_i64(req_param(r, "after"), 0, INT64_MAX, &after);
    char hash[65];
    if (store_begin(r->st) == VIGIL_OK) {
        store_audit_head(r->st, &head, hash);
        store_rollback(r->st);
    }
    if (after < 0)
        after = head > AUDIT_PAGE ? head - AUDIT_PAGE : 0;

    layout_begin(r, T("Audit log"), "audit");
    P("<h1>%h</h1>", T("Audit log"));
    P("<form method=\"get\" action=\"/audit\" class=\"filters\" role=\"search\">"
      "<div class=\"field\"><label for=\"a-case\">%h</label><input type=\"number\" id=\"a-case\" "
      "name=\"case\" min=\"1\" value=\"%a\" aria-describedby=\"a-case-hint\">"
      "<p class=\"hint\" id=\"a-case-hint\">%h</p></div>"
      "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button>"
      "<a href=\"/audit\">%h</a></div></form>",
      T("Case number"), req_param(r, "case") ? req_param(r, "case") : "",
      T("The number in the case's address, /cases/NUMBER."), T("Filter"), T("Clear"));
    audit_section(r, case_id, after, case_id > 0 ? AUDIT_MAX : AUDIT_PAGE);
    if (case_id == 0) {
        P("<nav class=\"pager\" aria-label=\"%a\">", T("Pages"));
        char href[64];
        if (after > 0) {
            snprintf(href, sizeof href, "/audit?after=%" PRId64,
                     after > AUDIT_PAGE ? after - AUDIT_PAGE : 0);
            P("<a href=\"%U\" rel=\"prev\">%h</a>", href, T("Older entries"));
        }
        if (after + AUDIT_PAGE < head) {
            snprintf(href, sizeof href, "/audit?after=%" PRId64, after + AUDIT_PAGE);
            P("<a href=\"%U\" rel=\"next\">%h</a>", href, T("Newer entries"));
        }
        P("</nav>");
    }
    layout_end(r);
    return VIGIL_OK;
}
