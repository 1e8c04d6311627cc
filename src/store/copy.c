/*
 * Copying a whole database from one store to another (vigil migrate), for
 * example from an agency's SQLite file to the committee's PostgreSQL. Rows
 * are copied as they are: sealed personal fields stay sealed under the same
 * key, and audit entries keep their ids and hashes, so the chain verifies on
 * the other side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/err.h"

/* Tables in an order that satisfies the foreign keys; each column with its
 * kind: i integer, t text, b blob. */
static const struct {
    const char *table;
    const char *cols; /* "name:kind,..." */
    int serial;       /* has an id sequence to move on (PostgreSQL) */
} tables[] = {
    {"organisations", "id:i,code:t,org_type:t,name_zh:t,name_pt:t,name_en:t,created_at:i", 1},
    {"users", "id:i,username:t,pw_hash:t,role:t,org_id:i,disabled:i,totp_secret:b,created_at:i", 1},
    {"sessions", "token_hash:t,user_id:i,csrf:t,created_at:i,last_seen:i,expires_at:i", 0},
    {"login_failures", "id:i,username:t,at:i", 1},
    {"cases",
     "id:i,reference:t,ref_year:i,ref_seq:i,opened_on:t,closed_on:t,status:t,stage:t,"
     "category:t,source:t,org_id:i,recruitment_place:t,recruitment_country:t,"
     "exploitation_place:t,exploitation_country:t,closure_reason:t,version:i,"
     "created_by:i,created_at:i,updated_at:i",
     1},
    {"case_access", "org_id:i,case_id:i,opened_on:t,status:t,category:t,stage:t,source:t", 0},
    {"case_assignees", "case_id:i,user_id:i", 0},
    {"persons",
     "id:i,case_id:i,role:t,sealed:b,gender:t,age:i,attrs:t,trafficking_status:t,"
     "created_by:i,created_at:i,updated_at:i",
     1},
    {"person_values", "person_id:i,field:t,value:t", 0},
    {"notes", "id:i,case_id:i,author_id:i,body:t,created_at:i", 1},
    {"referrals",
     "id:i,case_id:i,from_org:i,to_org:i,reason:t,details:t,state:t,created_by:i,"
     "created_at:i,decided_by:i,decided_at:i",
     1},
    /* victim protection and the legal track (004_protection.sql) */
    {"screenings",
     "id:i,case_id:i,person_id:i,child:i,sealed:b,recommendation:t,complete:i,"
     "assessor_id:i,screened_on:t,created_at:i",
     1},
    {"status_decisions",
     "id:i,case_id:i,person_id:i,status:t,decision_org:t,decided_on:t,"
     "sealed_reason:b,decided_by:i,created_at:i",
     1},
    {"services",
     "id:i,case_id:i,person_id:i,spl_type:t,sealed_objectives:b,planned_end:t,"
     "actual_end:t,state:t,provider_org:i,created_by:i,created_at:i,updated_at:i,version:i",
     1},
    {"consents", "id:i,case_id:i,person_id:i,purpose:t,granted:i,recorded_by:i,recorded_at:i", 1},
    {"consent_overrides",
     "id:i,case_id:i,referral_id:i,purpose:t,sealed_reason:b,created_by:i,"
     "created_at:i",
     1},
    {"legal_steps",
     "id:i,case_id:i,step_type:t,step_on:t,attrs:t,court_org:i,created_by:i,"
     "created_at:i,exploitation:t,statute:t,article:t,outcome:t,months:i",
     1},
    {"events",
     "id:i,case_id:i,hte_type:t,hte_date:t,hte_city:t,hte_country:t,"
     "sealed_description:b,created_by:i,created_at:i",
     1},
    /* the public side (003_public.sql, 005_statements.sql) */
    {"tips",
     "id:i,code_hash:t,channel:t,sealed:b,state:t,close_reason:t,case_id:i,logged_by:i,"
     "handled_by:i,created_at:i,updated_at:i",
     1},
    {"tip_additions", "id:i,tip_id:i,sealed:b,created_at:i", 1},
    {"feedback", "id:i,page:t,message:t,sealed_contact:b,lang:t,state:t,created_at:i", 1},
    {"statements",
     "id:i,title_zh:t,body_zh:t,title_pt:t,body_pt:t,title_en:t,body_en:t,state:t,"
     "published_at:i,version:i,created_by:i,created_at:i,updated_at:i",
     1},
    /* the committee (007_committee.sql) */
    {"meetings",
     "id:i,held_on:t,title:t,state:t,agenda:t,minutes:t,decisions:t,version:i,created_by:i,"
     "created_at:i,updated_at:i",
     1},
    {"meeting_attendees", "meeting_id:i,org_id:i", 0},
    {"measures",
     "id:i,title:t,meeting_id:i,owner_org:i,due_on:t,state:t,done_on:t,version:i,created_by:i,"
     "created_at:i,updated_at:i",
     1},
    {"measure_updates", "id:i,measure_id:i,updated_on:t,state:t,note:t,created_by:i,created_at:i",
     1},
    {"activities",
     "id:i,kind:t,org_id:i,held_on:t,title:t,sites:i,workers_reached:i,officials_trained:i,"
     "people_reached:i,created_by:i,created_at:i",
     1},
    {"audit", "id:i,at:i,user_id:i,username:t,action:t,object:t,detail:t,prev_hash:t,hash:t", 1},
    {"datasets",
     "id:i,name:t,format:t,imported_at:i,imported_by:t,rows_read:i,rows_imported:i,"
     "rows_rejected:i",
     1},
    {"stat_records", "dataset_id:i,line:i,attrs:t", 0},
};

static int copy_table(struct store *from, struct store *to, int t, int64_t *rows)
{
    char names[64][40];
    char kinds[64];
    int n = 0;
    const char *p = tables[t].cols;
    while (*p && n < 64) {
        size_t len = strcspn(p, ":");
        snprintf(names[n], sizeof names[n], "%.*s", (int)len, p);
        kinds[n] = p[len + 1];
        n++;
        p += len + 2;
        if (*p == ',')
            p++;
    }
    struct buf sel, ins;
    buf_init(&sel, 8192);
    buf_init(&ins, 8192);
    buf_puts(&sel, "SELECT ");
    buf_printf(&ins, "INSERT INTO %s(", tables[t].table);
    for (int i = 0; i < n; i++) {
        buf_printf(&sel, "%s%s", i ? ", " : "", names[i]);
        buf_printf(&ins, "%s%s", i ? ", " : "", names[i]);
    }
    buf_printf(&sel, " FROM %s ORDER BY 1", tables[t].table);
    buf_puts(&ins, ") VALUES (");
    for (int i = 0; i < n; i++)
        buf_printf(&ins, "%s?%d", i ? ", " : "", i + 1);
    buf_puts(&ins, ")");
    int rc = VIGIL_OK;
    struct q qs, qi;
    if ((rc = q_open_once(&qs, from, buf_cstr(&sel))))
        goto out;
    if ((rc = q_open_once(&qi, to, buf_cstr(&ins)))) {
        q_done(&qs);
        goto out;
    }
    int r;
    while ((r = q_step(&qs)) == 1) {
        for (int i = 0; i < n; i++) {
            if (q_col_null(&qs, i)) {
                q_null(&qi, i + 1);
            } else if (kinds[i] == 'i') {
                q_int(&qi, i + 1, q_col_int(&qs, i));
            } else if (kinds[i] == 'b') {
                size_t len = 0;
                const void *b = q_col_blob(&qs, i, &len);
                q_blob(&qi, i + 1, b, len);
            } else {
                q_text(&qi, i + 1, q_col_text(&qs, i));
            }
        }
        int w = q_step(&qi);
        if (w < 0) {
            rc = -w;
            break;
        }
        to->drv->reset(qi.s);
        (*rows)++;
    }
    if (r < 0 && !rc)
        rc = -r;
    q_done(&qs);
    q_done(&qi);
    if (!rc && tables[t].serial && strcmp(to->drv->name, "postgresql") == 0) {
        /* Move the id sequence past the copied ids. */
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
                 "COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)",
                 tables[t].table, tables[t].table);
        if (to->drv->exec(to->conn, sql))
            rc = store_fail(to, VIGIL_ESTORE);
    }
out:
    buf_free(&sel);
    buf_free(&ins);
    return rc;
}

int store_copy(struct store *from, struct store *to, int64_t *rows, char *err, size_t errlen)
{
    *rows = 0;
    static const char probe[] = "SELECT COUNT(*) FROM organisations";
    struct q q;
    int rc = q_open(&q, to, probe);
    int64_t existing = 0;
    if (!rc && q_step(&q) == 1)
        existing = q_col_int(&q, 0);
    q_done(&q);
    if (rc) {
        snprintf(err, errlen, "the target cannot be read: %s", store_errmsg(to));
        return rc;
    }
    if (existing) {
        snprintf(err, errlen, "the target database is not empty; migrate into a new one");
        return VIGIL_EEXIST;
    }
    if ((rc = store_begin(to))) {
        snprintf(err, errlen, "%s", store_errmsg(to));
        return rc;
    }
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        if ((rc = copy_table(from, to, (int)t, rows))) {
            snprintf(err, errlen, "copying %s: %s", tables[t].table,
                     store_errmsg(rc == VIGIL_ESTORE || rc == VIGIL_EEXIST ? to : from));
            store_rollback(to);
            return rc;
        }
    }
    if ((rc = store_commit(to)))
        snprintf(err, errlen, "%s", store_errmsg(to));
    return rc;
}
