/*
 * bench/gen-cases: adds N believable cases to a database that `vigil demo
 * --cases 0` has prepared (agencies and users), fast, for the benchmark.
 *
 *   gen-cases --db FILE [--key FILE] [--cases N] [--seed S] [--ids FILE]
 *
 * Like `vigil demo`: ten years with a declining trend, each case with one or
 * two victims and up to two suspects whose personal fields are sealed under
 * the server key, one to three notes, an audit entry, and for a third of the
 * cases a referral to the welfare bureau or the shelter. Unlike it, cases are
 * written in the order they were opened (as they would be in real life, so
 * the date indexes grow at their ends), in transactions of 25,000 cases, and
 * the notes' full-text index is built once at the end (see fts_suspend).
 * --ids writes the ids of the cases owned by PJ (the investigator's agency),
 * one per line, for the benchmark's random reads.
 */
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "audit/audit.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"

#define TX_CASES 25000

static uint64_t rng_state;

/* splitmix64: the same cases for the same seed. */
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a)  ((a)[pick((int)NELEM(a))])

static const char *const given[] = {
    "Lina", "Mai",  "Anh", "Rosa", "Dewi", "Siti", "Nara", "Olga",  "Ana", "Joy", "Mei",  "Hoa",
    "Tuya", "Sari", "Kim", "Leni", "Ayu",  "Rina", "Ivan", "Tomas", "Wei", "Jun", "Bayu", "Minh"};
static const char *const family[] = {
    "Santos", "Nguyen", "Reyes", "Wijaya", "Tran",   "Dela Cruz", "Suryani", "Batbayar", "Petrova",
    "Chan",   "Leong",  "Pham",  "Ramos",  "Kusuma", "Lopes",     "Ho",      "Vong",     "Garcia"};
static const char *const countries[] = {"CN", "VN", "PH", "ID", "TH", "MM", "MN",
                                        "RU", "UA", "NP", "KH", "CN", "VN", "PH"};
static const char *const places[] = {"Manila",      "Hanoi",       "Jakarta",
                                     "Ulaanbaatar", "Guangzhou",   "Ho Chi Minh City",
                                     "Bangkok",     "Vladivostok", "Zhuhai"};
static const char *const mo_places[] = {"Taipa", "NAPE",    "Areia Preta", "Coloane",
                                        "Cotai", "Iao Hon", "Fai Chi Kei"};
static const char *const note_texts[] = {
    "Initial interview held with an interpreter; the person appeared frightened.",
    "Passport reportedly kept by the employer; request sent to the immigration service.",
    "Shelter place arranged; medical check scheduled.",
    "Hotline caller described long working hours and unpaid wages.",
    "Debt to the recruitment agency said to exceed six months of wages.",
    "Inspection found workers sleeping at the workplace.",
    "Contact made with the consulate to confirm identity documents.",
    "Follow-up visit: the person is settled and attending counselling.",
    "Advertisement for hostess work on a social network was the first contact.",
    "Statement taken; the person agreed to cooperate with the investigation.",
};

/* The demo's agencies and one user of each that owns or receives cases. */
enum { O_PJ, O_PSP, O_DSAL, O_IAS, O_GSC, N_ORG };
static const char *const org_codes[N_ORG] = {"PJ", "PSP", "DSAL", "IAS", "GSC"};
static const char *const org_users[N_ORG] = {"investigator", "police", "inspector", "caseworker",
                                             "shelter"};

struct gen {
    struct store *st;
    struct vkey key;
    int64_t org[N_ORG], user[N_ORG];
    int64_t now;
    char today[11];
    int this_year;
    FILE *ids;
};

static int add_person(struct gen *g, int64_t case_id, int victim, int labour, int year, int64_t uid)
{
    char bd[32], idn[16], ad[48];
    int female = victim ? (labour ? pick(100) < 45 : pick(100) < 88) : pick(100) < 30;
    int age = victim ? 14 + pick(30) : 25 + pick(35);
    snprintf(bd, sizeof bd, "%04d-%02d-%02d", year - age, 1 + pick(12), 1 + pick(28));
    snprintf(idn, sizeof idn, "X%07d", pick(10000000));
    json_t *personal =
        json_pack("{s:s, s:s, s:s, s:s}", "prs_FirstName", PICK(given), "prs_SecondName",
                  PICK(family), "prs_Birthdate", bd, "prs_IdentityNumber", idn);
    json_t *plain =
        json_pack("{s:s, s:[s]}", "prs_Gender", female ? "Feminine" : "Masculine",
                  "prs_Citizenship", victim ? PICK(countries) : (pick(3) ? "CN" : "MO"));
    if (!personal || !plain) {
        json_decref(personal);
        json_decref(plain);
        return VIGIL_ENOMEM;
    }
    if (victim) {
        json_object_set_new(plain, "vic_TypeOfExploitation",
                            json_pack("[s]", labour ? "ForcedLabour" : "SexualExploitation"));
        if (labour)
            json_object_set_new(plain, "vic_ForcedLabourIndustry",
                                json_string(pick(2) ? "I_AccommodationAndFoodServiceActivities"
                                                    : "F_Construction"));
        else
            json_object_set_new(plain, "vic_TypeOfSexExploitation",
                                json_pack("[s]", "Prostitution"));
        json_object_set_new(plain, "vic_MethodsOfControl",
                            pick(2) ? json_pack("[s,s]", "DebtBondage", "WithholdsDocuments")
                                    : json_pack("[s]", "FalsePromises"));
        json_object_set_new(plain, "vic_AgeWhenTrafficked", json_integer(age));
    } else {
        json_object_set_new(plain, "per_RoleInProcess",
                            json_pack("[s]", pick(2) ? "RecruiterOrIntermediary" : "Exploiter"));
    }
    char *text = json_dumps(personal, JSON_COMPACT);
    snprintf(ad, sizeof ad, "vigil.person.case:%" PRId64, case_id);
    unsigned char *sealed = NULL;
    size_t slen = 0;
    int rc = text ? crypto_seal(&g->key, ad, text, strlen(text), &sealed, &slen) : VIGIL_ENOMEM;
    free(text);
    int64_t pid = 0;
    if (!rc)
        rc = store_person_add(g->st, case_id, victim ? "victim" : "suspect", sealed, slen, plain,
                              age, uid, g->now, &pid);
    free(sealed);
    json_decref(personal);
    json_decref(plain);
    return rc;
}

/* One case opened on the date opened (YYYY-MM-DD) of year. */
static int add_case(struct gen *g, const char *opened, int year)
{
    static const int owners[] = {O_PJ,  O_PJ,   O_PJ,   O_PJ,  O_PSP, O_PSP,
                                 O_PSP, O_DSAL, O_DSAL, O_IAS, O_GSC};
    static const char *const srcs_t[] = {"police", "police",   "hotline",
                                         "NGO",    "referral", "international"};
    static const char *const srcs_l[] = {"inspection", "inspection", "hotline", "police", "NGO"};
    static const char *const open_stages[] = {"intake", "screening", "protection", "investigation",
                                              "prosecution"};
    int oi = PICK(owners);
    int labour = oi == O_DSAL ? 1 : pick(100) < 30;
    int age_years = g->this_year - year;
    const char *status, *stage;
    char closed[32] = "";
    if (age_years >= 2 || (age_years == 1 && pick(2))) {
        int y = 0, m = 0, d = 0;
        parse_date(opened, &y, &m, &d);
        status = pick(5) ? "Closed" : "ClosedReferred";
        stage = "closed";
        snprintf(closed, sizeof closed, "%04d-%02d-%02d", y + (m > 9), 1 + (m + 2) % 12,
                 1 + pick(28));
        if (strcmp(closed, g->today) > 0 || strcmp(closed, opened) < 0)
            snprintf(closed, sizeof closed, "%s", opened);
    } else {
        status = pick(4) ? "Active" : "FollowUp";
        stage = PICK(open_stages);
    }
    json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "category",
                          labour ? "labour_exploitation" : "trafficking", "source",
                          labour ? PICK(srcs_l) : PICK(srcs_t), "cas_Status", status, "stage",
                          stage, "opened_on", opened, "place_of_recruitment", PICK(places),
                          "country_of_recruitment", PICK(countries), "place_of_exploitation",
                          PICK(mo_places), "country_of_exploitation", "MO");
    if (!c)
        return VIGIL_ENOMEM;
    if (closed[0])
        json_object_set_new(c, "closed_on", json_string(closed));
    int64_t uid = g->user[oi];
    json_t *out = NULL;
    int rc = store_case_create(g->st, c, g->org[oi], uid, g->now, &out);
    json_decref(c);
    if (rc)
        return rc;
    int64_t id = json_integer_value(json_object_get(out, "id"));
    char obj[32];
    snprintf(obj, sizeof obj, "case:%" PRId64, id);
    rc = audit_append(g->st, uid, org_users[oi], "case.create", obj,
                      json_string_value(json_object_get(out, "reference")));
    json_decref(out);
    if (!rc && oi == O_PJ && g->ids)
        fprintf(g->ids, "%" PRId64 "\n", id);
    int victims = 1 + (pick(4) == 0);
    for (int k = 0; !rc && k < victims; k++)
        rc = add_person(g, id, 1, labour, year, uid);
    int suspects = pick(3);
    for (int k = 0; !rc && k < suspects; k++)
        rc = add_person(g, id, 0, labour, year, uid);
    int notes = 1 + pick(3);
    for (int k = 0; !rc && k < notes; k++)
        rc = store_note_add(g->st, id, uid, PICK(note_texts), g->now, NULL);
    if (!rc && pick(3) == 0) {
        int to = pick(2) ? O_IAS : O_GSC;
        if (to != oi) {
            json_t *ref = NULL;
            rc = store_referral_add(g->st, id, g->org[oi], g->org[to], "AdditionalServicesRequired",
                                    "Shelter and counselling", uid, g->now, &ref);
            if (!rc && (age_years > 0 || pick(2)))
                rc = store_referral_decide(g->st, json_integer_value(json_object_get(ref, "id")),
                                           "accepted", g->user[to], g->now, NULL);
            json_decref(ref);
        }
    }
    return rc;
}

/*
 * FTS5 writes its pending index to disk at the end of every statement that
 * feeds it, so adding notes one by one through the notes_ai trigger is half
 * the time of the whole load. For the load the trigger is set aside (its SQL
 * kept as the database has it) and the index is rebuilt once at the end.
 * SQLite only; on other stores nothing is done.
 */
static char *fts_suspend(const char *db)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    char *sql = NULL;
    if (strncmp(db, "postgres", 8) == 0)
        return NULL;
    if (sqlite3_open_v2(strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db, &h, SQLITE_OPEN_READWRITE,
                        NULL) != SQLITE_OK)
        goto out;
    sqlite3_busy_timeout(h, 15000);
    if (sqlite3_prepare_v2(h,
                           "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND "
                           "name = 'notes_ai'",
                           -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW)
        goto out;
    sql = strdup((const char *)sqlite3_column_text(s, 0));
    if (sql && sqlite3_exec(h, "DROP TRIGGER notes_ai", NULL, NULL, NULL) != SQLITE_OK) {
        free(sql);
        sql = NULL;
    }
out:
    sqlite3_finalize(s);
    sqlite3_close(h);
    return sql;
}

static int fts_resume(const char *db, const char *trigger_sql)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db, &h,
                             SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(h, 15000);
        rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, trigger_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, "INSERT INTO notes_fts(notes_fts) VALUES ('rebuild')", NULL, NULL,
                          NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "gen-cases: cannot rebuild the notes index: %s\n",
                h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
    sqlite3_close(h);
    return rc == SQLITE_OK ? 0 : -1;
}

static int usage(void)
{
    fputs("usage: gen-cases --db FILE [--key FILE] [--cases N] [--seed S] [--ids FILE]\n"
          "Add N synthetic cases (default 1000000) to a database made by\n"
          "'vigil demo --cases 0'; --ids writes the ids of PJ's cases.\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *keyfile = NULL, *idsfile = NULL;
    int64_t ncases = 1000000, seed = 2026;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage();
        if (strcmp(a, "--db") == 0)
            db = v;
        else if (strcmp(a, "--key") == 0)
            keyfile = v;
        else if (strcmp(a, "--ids") == 0)
            idsfile = v;
        else if (strcmp(a, "--cases") == 0) {
            if (parse_i64(v, 0, 100000000, &ncases))
                return usage();
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_i64(v, 0, INT64_MAX, &seed))
                return usage();
        } else
            return usage();
        i++;
    }
    if (!db)
        return usage();
    /* glibc's default trimming gives freed heap back on every commit and takes
     * it again: a third of the time in brk(). Keep it. */
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    mallopt(M_MMAP_THRESHOLD, 64 << 20);

    char err[512], kbuf[4096];
    struct gen g = {0};
    if (!keyfile) {
        snprintf(kbuf, sizeof kbuf, "%s.key", strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db);
        keyfile = kbuf;
    }
    if (crypto_init() || key_load(keyfile, &g.key, err, sizeof err)) {
        fprintf(stderr, "gen-cases: %s\n", crypto_init() ? "cannot initialise libsodium" : err);
        return 1;
    }
    if (store_open(db, &g.st, err, sizeof err)) {
        fprintf(stderr, "gen-cases: %s\n", err);
        return 1;
    }
    int rc = store_migrate(g.st, NULL);
    for (int k = 0; !rc && k < N_ORG; k++) {
        struct org o;
        struct user u;
        rc = store_org_by_code(g.st, org_codes[k], &o);
        if (!rc)
            rc = store_user_by_name(g.st, org_users[k], &u);
        if (rc) {
            fprintf(stderr,
                    "gen-cases: %s has no demo agency %s or user %s; run 'vigil demo "
                    "--cases 0 --db %s' first\n",
                    db, org_codes[k], org_users[k], db);
            store_close(g.st);
            return 1;
        }
        g.org[k] = o.id;
        g.user[k] = u.id;
    }
    if (idsfile && !(g.ids = fopen(idsfile, "w"))) {
        fprintf(stderr, "gen-cases: cannot write %s\n", idsfile);
        store_close(g.st);
        return 1;
    }
    rng_state = (uint64_t)seed;
    g.now = time_now();
    time_date(g.now, g.today);
    int tm = 12, td = 28;
    parse_date(g.today, &g.this_year, &tm, &td);
    int64_t today_days = time_days_from_civil(g.this_year, tm, td);

    /* Ten years, declining like the demo's: year k gets weight 19 - 1.6k.
     * Within a year the dates run from 1 January to 31 December (today in
     * this year) in order, a case every span/n days. */
    double w[10], wsum = 0;
    for (int k = 0; k < 10; k++)
        wsum += (w[k] = 19.0 - 1.6 * k);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *fts_trigger = fts_suspend(db);
    int64_t made = 0, in_tx = 0;
    for (int k = 0; !rc && k < 10; k++) {
        int year = g.this_year - 9 + k;
        int64_t n = k == 9 ? ncases - made : (int64_t)((double)ncases * w[k] / wsum + 0.5);
        int64_t first = time_days_from_civil(year, 1, 1);
        int64_t last = k == 9 ? today_days : time_days_from_civil(year, 12, 31);
        for (int64_t j = 0; !rc && j < n; j++) {
            if (in_tx == 0 && (rc = store_begin(g.st)))
                break;
            char opened[11];
            int64_t day = first + (int64_t)((double)j * (double)(last - first + 1) / (double)n);
            time_date(day * 86400, opened);
            rc = add_case(&g, opened, year);
            made++;
            if (!rc && ++in_tx == TX_CASES) {
                rc = store_commit(g.st);
                in_tx = 0;
                fprintf(stderr, "\rgen-cases: %" PRId64 " cases", made);
            }
        }
    }
    if (!rc && in_tx)
        rc = store_commit(g.st);
    if (rc) {
        fprintf(stderr, "\ngen-cases: cannot write: %s\n", store_errmsg(g.st));
        store_rollback(g.st);
    }
    store_close(g.st);
    if (fts_trigger) {
        if (!rc)
            fprintf(stderr, "\rgen-cases: %" PRId64 " cases; indexing their notes\n", made);
        if (fts_resume(db, fts_trigger) && !rc)
            rc = VIGIL_ESTORE;
        free(fts_trigger);
    }
    if (g.ids && fclose(g.ids) != 0 && !rc) {
        fprintf(stderr, "gen-cases: cannot write %s\n", idsfile);
        rc = VIGIL_EIO;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (!rc)
        fprintf(stderr, "\rgen-cases: %" PRId64 " cases in %.1f s (%.0f cases/s)\n", made, secs,
                secs > 0 ? (double)made / secs : 0.0);
    return rc ? 1 : 0;
}
