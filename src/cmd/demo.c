/*
 * vigil demo: believable synthetic data for a demonstration or a benchmark.
 * Macao's agencies, a user for every role, and N cases over ten years with a
 * declining trend, each with victims, suspects, notes and some referrals.
 * Every name is made up from short syllable lists; no real person is here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "cmd/cmd.h"
#include "core/case.h"
#include "core/person.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"

#define DEMO_PASSWORD "vigil-demo-2026"

static const struct {
    const char *code, *type, *zh, *pt, *en;
} demo_orgs[] = {
    {"CMTE", "CentralGovernmentOrganisation", "阻嚇販賣人口措施關注委員會",
     "Comissão de Acompanhamento das Medidas de Dissuasão do Tráfico de Pessoas",
     "Human Trafficking Deterrent Measures Concern Committee"},
    {"PJ", "LawEnforcement", "司法警察局", "Polícia Judiciária", "Judiciary Police"},
    {"PSP", "LawEnforcement", "治安警察局", "Corpo de Polícia de Segurança Pública",
     "Public Security Police Force"},
    {"DSAL", "LocalGovernmentOrganisation", "勞工事務局",
     "Direcção dos Serviços para os Assuntos Laborais", "Labour Affairs Bureau"},
    {"IAS", "LocalGovernmentOrganisation", "社會工作局", "Instituto de Acção Social",
     "Social Welfare Bureau"},
    {"SSM", "HealthServiceOrganisation", "衛生局", "Serviços de Saúde", "Health Bureau"},
    {"MP", "LegalService", "檢察院", "Ministério Público", "Public Prosecutions Office"},
    {"TJB", "LegalService", "初級法院", "Tribunal Judicial de Base", "Court of First Instance"},
    {"GSC", "NGO", "善牧中心", "Centro do Bom Pastor", "Good Shepherd Centre"},
    {"CARITAS", "NGO", "澳門明愛", "Cáritas de Macau", "Caritas Macau"},
};

static const struct {
    const char *username, *role, *org;
} demo_users[] = {
    {"admin", "admin", "CMTE"},           {"secretariat", "secretariat", "CMTE"},
    {"investigator", "investigator", "PJ"}, {"police", "investigator", "PSP"},
    {"prosecutor", "prosecutor", "MP"},   {"magistrate", "magistrate", "TJB"},
    {"caseworker", "caseworker", "IAS"},  {"shelter", "caseworker", "GSC"},
    {"inspector", "inspector", "DSAL"},   {"auditor", "auditor", "CMTE"},
};

#define N_ORGS (sizeof demo_orgs / sizeof demo_orgs[0])
#define N_USERS (sizeof demo_users / sizeof demo_users[0])

/* splitmix64: small, fast, and the same sequence for the same --seed. */
static uint64_t rng_state;

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

#define PICK(arr) (arr[pick((int)(sizeof arr / sizeof arr[0]))])

static const char *const given[] = {"Lina", "Mai", "Anh", "Rosa", "Dewi", "Siti", "Nara",
                                    "Olga", "Ana", "Joy", "Mei", "Hoa", "Tuya", "Sari",
                                    "Kim", "Leni", "Ayu", "Rina", "Ivan", "Tomas", "Wei",
                                    "Jun", "Bayu", "Minh"};
static const char *const family[] = {"Santos", "Nguyen", "Reyes", "Wijaya", "Tran", "Dela Cruz",
                                     "Suryani", "Batbayar", "Petrova", "Chan", "Leong", "Pham",
                                     "Ramos", "Kusuma", "Lopes", "Ho", "Vong", "Garcia"};
static const char *const countries[] = {"CN", "VN", "PH", "ID", "TH", "MM", "MN",
                                        "RU", "UA", "NP", "KH", "CN", "VN", "PH"};
static const char *const places[] = {"Manila", "Hanoi", "Jakarta", "Ulaanbaatar", "Guangzhou",
                                     "Ho Chi Minh City", "Bangkok", "Vladivostok", "Zhuhai"};
static const char *const mo_places[] = {"Taipa", "NAPE", "Areia Preta", "Coloane", "Cotai",
                                        "Iao Hon", "Fai Chi Kei"};
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

struct demo_opts {
    long cases;
    uint64_t seed;
    int accounts;
};

static int demo_opt(void *ud, const char *name, const char *arg)
{
    struct demo_opts *o = ud;
    int64_t v;
    if (strcmp(name, "cases") == 0) {
        if (parse_i64(arg, 0, 10000000, &v)) {
            cmd_err("--cases takes a whole number from 0 to 10000000");
            return -1;
        }
        o->cases = (long)v;
        return 0;
    }
    if (strcmp(name, "seed") == 0) {
        if (parse_i64(arg, 0, INT64_MAX, &v)) {
            cmd_err("--seed takes a whole number");
            return -1;
        }
        o->seed = (uint64_t)v;
        return 0;
    }
    if (strcmp(name, "accounts") == 0) {
        o->accounts = 1;
        return 0;
    }
    return -1;
}

static void print_accounts(void)
{
    printf("Demo accounts (password for all: %s):\n", DEMO_PASSWORD);
    for (size_t i = 0; i < N_USERS; i++)
        printf("  %-13s %-13s %s\n", demo_users[i].username, demo_users[i].role,
               demo_users[i].org);
}

/* Add one victim or suspect; sealed under the server key. */
static int add_person(struct store *st, const struct vkey *key, int64_t case_id, int victim,
                      int labour, const char *opened, int64_t uid, int64_t now)
{
    json_t *personal = json_object(), *plain = json_object();
    int female = victim ? (labour ? pick(100) < 45 : pick(100) < 88) : pick(100) < 30;
    int age = victim ? 14 + pick(30) : 25 + pick(35);
    int by = 2000;
    parse_date(opened, &by, NULL, NULL);
    by -= age;
    char bd[32];
    snprintf(bd, sizeof bd, "%04d-%02d-%02d", by, 1 + pick(12), 1 + pick(28));
    json_object_set_new(personal, "prs_FirstName", json_string(PICK(given)));
    json_object_set_new(personal, "prs_SecondName", json_string(PICK(family)));
    json_object_set_new(personal, "prs_Birthdate", json_string(bd));
    char idn[24];
    snprintf(idn, sizeof idn, "X%07d", pick(10000000));
    json_object_set_new(personal, "prs_IdentityNumber", json_string(idn));
    json_object_set_new(plain, "prs_Gender", json_string(female ? "Feminine" : "Masculine"));
    const char *cty = victim ? PICK(countries) : (pick(3) ? "CN" : "MO");
    json_object_set_new(plain, "prs_Citizenship", json_pack("[s]", cty));
    if (victim) {
        json_object_set_new(plain, "vic_TypeOfExploitation",
                            json_pack("[s]", labour ? "ForcedLabour" : "SexualExploitation"));
        if (labour)
            json_object_set_new(plain, "vic_ForcedLabourIndustry",
                                json_string(pick(2) ? "I_AccommodationAndFoodServiceActivities"
                                                    : "F_Construction"));
        else
            json_object_set_new(plain, "vic_TypeOfSexExploitation", json_pack("[s]", "Prostitution"));
        json_object_set_new(plain, "vic_MethodsOfControl",
                            pick(2) ? json_pack("[s,s]", "DebtBondage", "WithholdsDocuments")
                                    : json_pack("[s]", "FalsePromises"));
        json_object_set_new(plain, "vic_AgeWhenTrafficked", json_integer(age));
    } else {
        json_object_set_new(plain, "per_RoleInProcess",
                            json_pack("[s]", pick(2) ? "RecruiterOrIntermediary" : "Exploiter"));
    }
    char *text = json_dumps(personal, JSON_COMPACT);
    char ad[48];
    snprintf(ad, sizeof ad, "vigil.person.case:%" PRId64, case_id);
    unsigned char *sealed = NULL;
    size_t slen = 0;
    int rc = crypto_seal(key, ad, text, strlen(text), &sealed, &slen);
    free(text);
    int64_t pid = 0;
    if (!rc)
        rc = store_person_add(st, case_id, victim ? "victim" : "suspect", sealed, slen, plain,
                              age, uid, now, &pid);
    free(sealed);
    json_decref(personal);
    json_decref(plain);
    return rc;
}

static int add_case(struct store *st, const struct vkey *key, int year, int this_year,
                    int64_t *org_ids, int64_t *user_ids, int64_t now)
{
    static const int owners[] = {1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 8};   /* index in demo_orgs */
    static const int owner_user[] = {0, 2, 3, 8, 6, 0, 0, 0, 7, 0}; /* a user of each org */
    int oi = owners[pick((int)(sizeof owners / sizeof owners[0]))];
    int labour = oi == 3 ? 1 : pick(100) < 30;
    char opened[32];
    int month = 1 + pick(12);
    int64_t lastday = time_now();
    char todays[11];
    time_date(lastday, todays);
    if (year == this_year) {
        int tm = 12;
        parse_date(todays, NULL, &tm, NULL);
        month = 1 + pick(tm);
    }
    snprintf(opened, sizeof opened, "%04d-%02d-%02d", year, month, 1 + pick(28));
    if (strcmp(opened, todays) > 0)
        memcpy(opened, todays, sizeof todays);
    int age_years = this_year - year;
    const char *status, *stage;
    char closed[32] = "";
    if (age_years >= 2 || (age_years == 1 && pick(2))) {
        status = pick(5) ? "Closed" : "ClosedReferred";
        stage = "closed";
        snprintf(closed, sizeof closed, "%04d-%02d-%02d", year + (month > 9), 1 + (month + 2) % 12,
                 1 + pick(28));
        if (strcmp(closed, todays) > 0 || strcmp(closed, opened) < 0)
            memcpy(closed, opened, sizeof todays);
    } else {
        static const char *const open_stages[] = {"intake", "screening", "protection",
                                                  "investigation", "prosecution"};
        status = pick(4) ? "Active" : "FollowUp";
        stage = PICK(open_stages);
    }
    static const char *const srcs_t[] = {"police", "police", "hotline", "NGO", "referral",
                                         "international"};
    static const char *const srcs_l[] = {"inspection", "inspection", "hotline", "police", "NGO"};
    json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "category",
                          labour ? "labour_exploitation" : "trafficking", "source",
                          labour ? PICK(srcs_l) : PICK(srcs_t), "cas_Status", status, "stage",
                          stage, "opened_on", opened, "place_of_recruitment", PICK(places),
                          "country_of_recruitment", PICK(countries), "place_of_exploitation",
                          PICK(mo_places), "country_of_exploitation", "MO");
    if (closed[0])
        json_object_set_new(c, "closed_on", json_string(closed));
    int64_t uid = user_ids[owner_user[oi]];
    json_t *out = NULL;
    int rc = store_case_create(st, c, org_ids[oi], uid, now, &out);
    json_decref(c);
    if (rc)
        return rc;
    int64_t id = json_integer_value(json_object_get(out, "id"));
    char obj[32];
    snprintf(obj, sizeof obj, "case:%" PRId64, id);
    rc = audit_append(st, 0, "demo", "case.create", obj,
                      json_string_value(json_object_get(out, "reference")));
    json_decref(out);
    int victims = 1 + (pick(4) == 0);
    for (int k = 0; !rc && k < victims; k++)
        rc = add_person(st, key, id, 1, labour, opened, uid, now);
    int suspects = pick(3);
    for (int k = 0; !rc && k < suspects; k++)
        rc = add_person(st, key, id, 0, labour, opened, uid, now);
    int notes = 1 + pick(3);
    for (int k = 0; !rc && k < notes; k++)
        rc = store_note_add(st, id, uid, PICK(note_texts), now, NULL);
    if (!rc && pick(3) == 0) {
        int to = pick(2) ? 4 : 8; /* IAS or the shelter NGO */
        if (to != oi) {
            json_t *ref = NULL;
            rc = store_referral_add(st, id, org_ids[oi], org_ids[to], "AdditionalServicesRequired",
                                    "Shelter and counselling", uid, now, &ref);
            if (!rc && (age_years > 0 || pick(2))) {
                int64_t rid = json_integer_value(json_object_get(ref, "id"));
                rc = store_referral_decide(st, rid, "accepted", user_ids[to == 4 ? 6 : 7], now,
                                           NULL);
            }
            json_decref(ref);
        }
    }
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    static const char help[] =
        "usage: vigil demo [--cases N] [--seed S] [--accounts]\n"
        "Fill a new database with synthetic demo data: Macao's agencies, a user for every\n"
        "role (password " DEMO_PASSWORD "), and N cases (default 300) over ten years.\n"
        "--accounts only prints the demo accounts.\n";
    static const struct cmd_opt opts[] = {{"cases", 1}, {"seed", 1}, {"accounts", 0}, {NULL, 0}};
    struct cmd_ctx c = {0};
    struct demo_opts o = {300, 2026, 0};
    int i = cmd_parse(argc, argv, &c, opts, demo_opt, &o, help);
    if (i < 0)
        return i == -2 ? EXIT_OK : EXIT_USAGE;
    if (o.accounts) {
        print_accounts();
        return EXIT_OK;
    }
    char err[512];
    c.create = 1;
    struct store *st = cmd_store(&c); /* first, so that the folder exists for the key */
    if (!st)
        return EXIT_FAIL;
    if (c.key && access(c.key, F_OK) != 0 && key_create(c.key, err, sizeof err)) {
        store_close(st);
        cmd_err("%s", err);
        return EXIT_FAIL;
    }
    struct vkey key;
    if (cmd_key(&c, &key)) {
        store_close(st);
        return EXIT_FAIL;
    }
    struct org probe;
    if (store_org_by_code(st, "PJ", &probe) == VIGIL_OK) {
        cmd_err("%s already holds demo data", c.db);
        store_close(st);
        return EXIT_FAIL;
    }
    rng_state = o.seed;
    int64_t now = time_now();
    int64_t org_ids[N_ORGS], user_ids[N_USERS];
    char hash[PASSWORD_HASH_BYTES];
    if (password_hash(DEMO_PASSWORD, hash)) {
        store_close(st);
        return EXIT_FAIL;
    }
    int rc = store_begin(st);
    for (size_t k = 0; !rc && k < N_ORGS; k++) {
        struct org g = {0};
        snprintf(g.code, sizeof g.code, "%s", demo_orgs[k].code);
        snprintf(g.type, sizeof g.type, "%s", demo_orgs[k].type);
        snprintf(g.name_zh, sizeof g.name_zh, "%s", demo_orgs[k].zh);
        snprintf(g.name_pt, sizeof g.name_pt, "%s", demo_orgs[k].pt);
        snprintf(g.name_en, sizeof g.name_en, "%s", demo_orgs[k].en);
        rc = store_org_add(st, &g);
        org_ids[k] = g.id;
        if (!rc)
            rc = audit_append(st, 0, "demo", "org.add", g.code, "");
    }
    for (size_t k = 0; !rc && k < N_USERS; k++) {
        struct user u = {0};
        snprintf(u.username, sizeof u.username, "%s", demo_users[k].username);
        memcpy(u.pw_hash, hash, sizeof u.pw_hash);
        u.role = role_parse(demo_users[k].role);
        for (size_t g = 0; g < N_ORGS; g++)
            if (strcmp(demo_orgs[g].code, demo_users[k].org) == 0)
                u.org_id = org_ids[g];
        u.created_at = now;
        rc = store_user_add(st, &u);
        user_ids[k] = u.id;
        if (!rc)
            rc = audit_append(st, 0, "demo", "user.add", u.username, demo_users[k].role);
    }
    if (!rc)
        rc = store_commit(st);
    else
        store_rollback(st);

    /* Ten years, declining: year k of 10 gets weight 19 - k*1.6, roughly
     * from about 3.5x the current level down to it. */
    char today[11];
    time_date(now, today);
    int this_year = 2026;
    parse_date(today, &this_year, NULL, NULL);
    double w[10], wsum = 0;
    for (int k = 0; k < 10; k++) {
        w[k] = 19.0 - 1.6 * k;
        wsum += w[k];
    }
    long made = 0;
    for (int k = 0; !rc && k < 10; k++) {
        long n = k == 9 ? o.cases - made : (long)(o.cases * w[k] / wsum + 0.5);
        if (n < 0)
            n = 0;
        int year = this_year - 9 + k;
        for (long j = 0; !rc && j < n; j++) {
            if (made % 2000 == 0 && (rc = store_begin(st)))
                break;
            rc = add_case(st, &key, year, this_year, org_ids, user_ids, now);
            made++;
            if (!rc && (made % 2000 == 0 || (k == 9 && j == n - 1)))
                rc = store_commit(st);
            if (isatty(STDERR_FILENO) && made % 10000 == 0)
                fprintf(stderr, "\r%ld cases", made);
        }
    }
    if (rc) {
        store_rollback(st);
        cmd_err("cannot write demo data: %s", store_errmsg(st));
        store_close(st);
        return EXIT_FAIL;
    }
    if (isatty(STDERR_FILENO) && made >= 10000)
        fputc('\n', stderr);
    store_close(st);
    printf("demo database %s: %zu organisations, %zu users, %ld cases\n", c.db, N_ORGS, N_USERS,
           made);
    return EXIT_OK;
}
