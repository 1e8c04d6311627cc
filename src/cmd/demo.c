/*
 * vigil demo: believable synthetic data for a demonstration or a benchmark.
 * Macao's agencies, a user for every role, and N cases over ten years with a
 * declining trend, each with victims, suspects, notes and some referrals,
 * consents, a screening, status decisions, support plans, events and, for
 * police cases, a legal track under the court's supervision;
 * public statements in three languages (one not yet in Portuguese, one a
 * draft), a few anonymous tips and page feedback.
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
#include "core/screening.h"
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
    {"admin", "admin", "CMTE"},
    {"secretariat", "secretariat", "CMTE"},
    {"investigator", "investigator", "PJ"},
    {"police", "investigator", "PSP"},
    {"prosecutor", "prosecutor", "MP"},
    {"magistrate", "magistrate", "TJB"},
    {"caseworker", "caseworker", "IAS"},
    {"shelter", "caseworker", "GSC"},
    {"inspector", "inspector", "DSAL"},
    {"auditor", "auditor", "CMTE"},
};

#define N_ORGS  (sizeof demo_orgs / sizeof demo_orgs[0])
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
        printf("  %-13s %-13s %s\n", demo_users[i].username, demo_users[i].role, demo_users[i].org);
}

/* Add one victim or suspect; sealed under the server key. */
static int add_person(struct store *st, const struct vkey *key, int64_t case_id, int victim,
                      int labour, const char *opened, int64_t uid, int64_t now, int64_t *out_pid)
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
    char ad[48];
    snprintf(ad, sizeof ad, "vigil.person.case:%" PRId64, case_id);
    unsigned char *sealed = NULL;
    size_t slen = 0;
    int rc = crypto_seal(key, ad, text, strlen(text), &sealed, &slen);
    free(text);
    int64_t pid = 0;
    if (!rc)
        rc = store_person_add(st, case_id, victim ? "victim" : "suspect", sealed, slen, plain, age,
                              uid, now, &pid);
    if (out_pid)
        *out_pid = pid;
    free(sealed);
    json_decref(personal);
    json_decref(plain);
    return rc;
}

/* ---- victim protection and the legal track of a demo case ------------- */

struct demo_case {
    int64_t id;
    int oi, labour, victims;
    int64_t vids[2];
    int provider; /* index in demo_orgs of the agency that accepted a referral, or 0 */
    const char *opened, *closed, *stage;
    int64_t uid;
    const int64_t *org_ids, *user_ids;
    int64_t now;
};

/* A generator of its own, seeded by the case, so that the protection data
 * does not change the rest of the demo. */
static int ppick(uint64_t *s, int n)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (int)(*s % (uint64_t)n);
}

static int demo_seal(const struct vkey *key, int64_t case_id, const char *text, unsigned char **out,
                     size_t *n)
{
    char ad[48];
    snprintf(ad, sizeof ad, "vigil.protection.case:%" PRId64, case_id);
    return crypto_seal(key, ad, text, strlen(text), out, n);
}

static int demo_audit(struct store *st, const char *action, int64_t case_id, const char *what,
                      int64_t id, const char *detail)
{
    char obj[64];
    snprintf(obj, sizeof obj, "case:%" PRId64 "/%s:%" PRId64, case_id, what, id);
    return audit_append(st, 0, "demo", action, obj, detail);
}

/* A date months after d (day kept at most 28). */
static void add_months(const char *d, int months, char out[11])
{
    int y = 2000, m = 1, day = 1;
    parse_date(d, &y, &m, &day);
    m += months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m, day > 28 ? 28 : day);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

static int add_protection(struct store *st, const struct vkey *key, const struct demo_case *d)
{
    uint64_t s = 0x9e3779b97f4a7c15ULL ^ (uint64_t)d->id * 0x2545f4914f6cdd1dULL;
    int rc = VIGIL_OK;
    int64_t x = 0;
    int later = strcmp(d->stage, "intake") != 0;
    int legal = strcmp(d->stage, "investigation") == 0 || strcmp(d->stage, "prosecution") == 0 ||
                strcmp(d->stage, "closed") == 0;
    const char *end = d->closed[0] ? d->closed : d->opened;
    /* consent first: every victim of a referred case consented to it */
    for (int k = 0; !rc && k < d->victims; k++) {
        int64_t v = d->vids[k];
        if (!rc && (d->provider || ppick(&s, 3)))
            rc = store_consent_add(st, d->id, v, "referral", 1, d->uid, d->now, &x);
        if (!rc)
            rc = store_consent_add(st, d->id, v, "data_sharing", 1, d->uid, d->now, &x);
        if (!rc && ppick(&s, 12) == 0) /* a few withdraw from data sharing */
            rc = store_consent_add(st, d->id, v, "data_sharing", 0, d->uid, d->now, &x);
        if (!rc)
            rc = store_consent_add(st, d->id, v, "statistics", ppick(&s, 10) != 0, d->uid, d->now,
                                   &x);
    }
    /* a screening of the first victim once past intake */
    if (!rc && later) {
        struct screening sc = {0};
        sc.ilo[ILO_DECEPTION] = ANS_YES;
        sc.ilo[ILO_RETENTION_OF_DOCUMENTS] = ppick(&s, 2) ? ANS_YES : ANS_NO;
        sc.ilo[ILO_DEBT_BONDAGE] = d->labour ? ANS_YES : (ppick(&s, 2) ? ANS_YES : ANS_UNKNOWN);
        sc.ilo[ILO_ISOLATION] = ppick(&s, 2) ? ANS_YES : ANS_UNKNOWN;
        sc.ilo[ILO_EXCESSIVE_OVERTIME] = d->labour ? ANS_YES : ANS_NO;
        sc.palermo[PAL_ACT] = ANS_YES;
        sc.palermo[PAL_MEANS] = ppick(&s, 3) ? ANS_YES : ANS_UNKNOWN;
        sc.palermo[PAL_PURPOSE] = ANS_YES;
        int complete = 0;
        enum recommendation rec = screening_recommend(&sc, &complete);
        static const char *const ans[] = {"unknown", "no", "yes"};
        json_t *ind = json_object(), *pal = json_object();
        for (int i = 0; i < ILO_COUNT; i++)
            if (sc.ilo[i] != ANS_UNKNOWN)
                json_object_set_new(ind, screening_ilo_names[i],
                                    json_pack("{s:s}", "answer", ans[sc.ilo[i]]));
        json_object_set_new(json_object_get(ind, "deception"), "note",
                            json_string(d->labour
                                            ? "Promised a restaurant job with a monthly "
                                              "wage; paid nothing for three months"
                                            : "Recruited for a hotel job that did not exist"));
        for (int i = 0; i < PAL_COUNT; i++)
            json_object_set_new(pal, screening_palermo_names[i],
                                json_pack("{s:s}", "answer", ans[sc.palermo[i]]));
        json_t *a = json_pack("{s:o, s:o}", "indicators", ind, "palermo", pal);
        char *text = json_dumps(a, JSON_COMPACT);
        json_decref(a);
        unsigned char *sealed = NULL;
        size_t n = 0;
        rc = text ? demo_seal(key, d->id, text, &sealed, &n) : VIGIL_ENOMEM;
        free(text);
        if (!rc)
            rc = store_screening_add(st, d->id, d->vids[0], 0, sealed, n, recommendation_name(rec),
                                     complete, d->opened, d->uid, d->now, &x);
        free(sealed);
        if (!rc)
            rc =
                demo_audit(st, "screening.create", d->id, "screening", x, recommendation_name(rec));
    }
    /* status decisions: possible on screening, actual once the case goes on */
    static const char *const decider[] = {"Other",
                                          "Police",
                                          "Police",
                                          "NonPoliceGovernmentalOrganization",
                                          "NonPoliceGovernmentalOrganization",
                                          "Other",
                                          "Other",
                                          "Other",
                                          "NGO",
                                          "NGO"};
    if (!rc && later) {
        unsigned char *sealed = NULL;
        size_t n = 0;
        rc = demo_seal(key, d->id, "Screening indicators of deception and control", &sealed, &n);
        if (!rc)
            rc = store_status_decide(st, d->id, d->vids[0], "PossibleVictimOfTrafficking",
                                     decider[d->oi], d->opened, sealed, n, d->uid, d->now, &x);
        free(sealed);
        if (!rc && legal && ppick(&s, 3)) {
            rc =
                store_status_decide(st, d->id, d->vids[0], "ActualVictimOfTrafficking",
                                    "CourtOrProsecution", end, NULL, 0, d->user_ids[4], d->now, &x);
        }
    }
    /* a support plan by the agency that accepted the referral */
    if (!rc && d->provider) {
        static const char *const types[] = {"SocialCare", "Health", "Legal", "Livelihood",
                                            "SexualExploitationRehabilitation"};
        static const char *const goals[] = {
            "Safe accommodation and weekly counselling", "Medical check-up and follow-up",
            "Legal aid for the wage claim", "Vocational course and job placement",
            "Trauma-informed counselling"};
        int t = d->labour ? (ppick(&s, 2) ? 2 : 3) : ppick(&s, 5);
        char planned[11];
        add_months(d->opened, 2 + ppick(&s, 5), planned);
        const char *state = d->closed[0] ? "completed" : (ppick(&s, 3) ? "active" : "planned");
        unsigned char *sealed = NULL;
        size_t n = 0;
        rc = demo_seal(key, d->id, goals[t], &sealed, &n);
        if (!rc)
            rc = store_service_add(st, d->id, d->vids[0], types[t], sealed, n, planned,
                                   d->closed[0] ? d->closed : NULL, state, d->org_ids[d->provider],
                                   d->user_ids[d->provider == 4 ? 6 : 7], d->now, &x);
        free(sealed);
        if (!rc)
            rc = demo_audit(st, "service.create", d->id, "service", x, types[t]);
    }
    /* where it happened */
    if (!rc && later) {
        static const char *const towns[][2] = {{"Davao", "PH"},
                                               {"Hanoi", "VN"},
                                               {"Medan", "ID"},
                                               {"Zhanjiang", "CN"},
                                               {"Chiang Mai", "TH"}};
        int t = ppick(&s, 5);
        rc = store_event_add(st, d->id, "Recruitment", NULL, towns[t][0], towns[t][1], NULL, 0,
                             d->uid, d->now, &x);
        unsigned char *sealed = NULL;
        size_t n = 0;
        if (!rc)
            rc = demo_seal(key, d->id,
                           d->labour ? "Worked 14-hour shifts in a restaurant kitchen"
                                     : "Held in a rented flat and taken to clients",
                           &sealed, &n);
        if (!rc)
            rc = store_event_add(st, d->id, "Exploitation", d->opened, "Macao", "MO", sealed, n,
                                 d->uid, d->now, &x);
        free(sealed);
    }
    /* the legal track of police cases, under the court's supervision */
    if (!rc && legal && (d->oi == 1 || d->oi == 2)) {
        int64_t inv = d->uid, pro = d->user_ids[4];
        char ref[32], attrs[256];
        snprintf(ref, sizeof ref, "%s-INQ-%" PRId64, d->oi == 1 ? "PJ" : "PSP", d->id);
        snprintf(attrs, sizeof attrs, "{\"reference\":\"%s\"}", ref);
        rc = store_legal_add(st, d->id, "investigation_opened", d->opened, attrs, 0, inv, d->now,
                             &x);
        snprintf(attrs, sizeof attrs,
                 "{\"court\":\"TJB\",\"magistrate\":\"%s\",\"reference\":\"TJB-AUT-%" PRId64
                 "\",\"what\":\"%s\"}",
                 ppick(&s, 2) ? "Judge Leong Wai Man" : "Judge Ana Sequeira", d->id,
                 ppick(&s, 2) ? "interception of communications" : "search of premises");
        if (!rc)
            rc = store_legal_add(st, d->id, "authorisation", d->opened, attrs, d->org_ids[7], inv,
                                 d->now, &x);
        if (!rc)
            rc = store_case_grant(st, d->id, d->org_ids[7]); /* the court supervises */
        if (!rc)
            rc = demo_audit(st, "case.grant", d->id, "legal", x, "TJB");
        if (!rc && strcmp(d->stage, "investigation") != 0) {
            rc = store_legal_add(st, d->id, "prosecutor_referral", end, "{}", 0, inv, d->now, &x);
            snprintf(attrs, sizeof attrs,
                     "{\"article\":\"153-A\",\"exploitation\":\"%s\",\"statute\":\"Penal "
                     "Code\"}",
                     d->labour ? "labour" : "sexual");
            if (!rc)
                rc = store_legal_add(st, d->id, "charge", end, attrs, 0, pro, d->now, &x);
        }
        if (!rc && d->closed[0] && ppick(&s, 3)) {
            int convicted = ppick(&s, 4) != 0;
            snprintf(attrs, sizeof attrs, "{\"outcome\":\"%s\"}",
                     convicted ? "convicted" : "acquitted");
            rc = store_legal_add(st, d->id, "verdict", end, attrs, 0, pro, d->now, &x);
            if (!rc && convicted) {
                snprintf(attrs, sizeof attrs, "{\"months\":%d}", 36 + 6 * ppick(&s, 10));
                rc = store_legal_add(st, d->id, "sentence", end, attrs, 0, pro, d->now, &x);
            }
        }
        if (!rc)
            rc = demo_audit(st, "legal.create", d->id, "legal", x, "demo");
    }
    return rc;
}

static int add_case(struct store *st, const struct vkey *key, int year, int this_year,
                    int64_t *org_ids, int64_t *user_ids, int64_t now)
{
    static const int owners[] = {1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 8};  /* index in demo_orgs */
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
    static const char *const srcs_t[] = {"police", "police",   "hotline",
                                         "NGO",    "referral", "international"};
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
    int64_t vids[2] = {0, 0};
    for (int k = 0; !rc && k < victims; k++)
        rc = add_person(st, key, id, 1, labour, opened, uid, now, &vids[k]);
    int suspects = pick(3);
    for (int k = 0; !rc && k < suspects; k++)
        rc = add_person(st, key, id, 0, labour, opened, uid, now, NULL);
    int notes = 1 + pick(3);
    for (int k = 0; !rc && k < notes; k++)
        rc = store_note_add(st, id, uid, PICK(note_texts), now, NULL);
    int provider = 0; /* the agency that accepted a referral, if one did */
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
                provider = to;
            }
            json_decref(ref);
        }
    }
    if (!rc) {
        struct demo_case dc = {id,     oi,    labour, victims, {vids[0], vids[1]}, provider, opened,
                               closed, stage, uid,    org_ids, user_ids,           now};
        rc = add_protection(st, key, &dc);
    }
    return rc;
}

/* ---- the public side: statements, tips, page feedback ------------------ */

static const struct {
    int days_ago; /* published that many days ago; -1: a draft */
    const char *title_zh, *body_zh, *title_pt, *body_pt, *title_en, *body_en;
} demo_statements[] = {
    {62, "委員會呼籲市民留意勞動剝削的跡象",
     "阻嚇販賣人口措施關注委員會呼籲市民留意身邊勞動剝削的跡象，例如僱主扣押僱員的身份證明文件、"
     "限制其行動自由，或以債務控制其工作。\n\n如發現懷疑個案，可透過本網頁匿名舉報，或致電治安警察"
     "局。"
     "所有舉報均會保密處理。",
     "A Comissão apela à população para estar atenta aos sinais de exploração laboral",
     "A Comissão de Acompanhamento das Medidas de Dissuasão do Tráfico de Pessoas apela à "
     "população para estar atenta a sinais de exploração laboral, como a retenção dos documentos "
     "de identificação dos trabalhadores pelo empregador, a restrição da sua liberdade de "
     "movimentos ou o controlo do trabalho através de dívidas.\n\nQuem suspeitar de um caso pode "
     "denunciá-lo anonimamente nesta página ou contactar o Corpo de Polícia de Segurança Pública. "
     "Todas as denúncias são tratadas com confidencialidade.",
     "The Committee calls on residents to watch for signs of labour exploitation",
     "The Human Trafficking Deterrent Measures Concern Committee calls on residents to watch for "
     "signs of labour exploitation, such as an employer keeping workers' identity documents, "
     "restricting their freedom of movement or controlling their work through debt.\n\nAnyone "
     "who suspects a case can report it anonymously on this page or contact the Public Security "
     "Police. Every report is treated in confidence."},
    {9, "跨部門識別受害人培訓順利完成",
     "委員會聯同社會工作局及勞工事務局，為前線人員舉辦了識別販賣人口受害人的培訓，"
     "共有一百二十名人員參加。\n\n培訓內容包括國際勞工組織的強迫勞動指標及轉介受害人接受保護的程序"
     "。",
     "", "", "Cross-agency training on identifying victims completed",
     "Together with the Social Welfare Bureau and the Labour Affairs Bureau, the Committee held a "
     "training for front-line staff on identifying victims of trafficking; 120 staff took part."
     "\n\nThe training covered the ILO indicators of forced labour and the procedure for referring "
     "victims to protection."},
    {-1, "二〇二六年工作回顧（草稿）", "本年度委員會共召開十二次全體會議……",
     "Balanço do trabalho de 2026 (rascunho)",
     "Este ano a Comissão realizou doze reuniões "
     "plenárias…",
     "Review of the work of 2026 (draft)", "This year the Committee held twelve plenary meetings…"},
};

static const struct {
    const char *what, *where, *when;
    int days_ago;
    const char *state;
} demo_tips[] = {
    {"Several domestic workers in the building next to mine never leave the flat and the "
     "agent keeps their passports.",
     "Areia Preta", "for about two months", 20, "reviewing"},
    {"一間按摩店的員工說她們要先還清介紹費才可以離開。", "氹仔", "上星期", 6, "new"},
    {"Trabalhadores da construção dormem no estaleiro e dizem que não recebem salário há três "
     "meses.",
     "Cotai", "", 2, "new"},
};

static const struct {
    const char *page, *message, *lang;
    int days_ago;
} demo_feedback[] = {
    {"/public/", "The link to the statistics does not work yet.", "en", 15},
    {"/public/tip", "O formulário devia indicar o número da linha de apoio.", "pt", 7},
    {"/public/", "葡文版本的聲明有一篇未有翻譯。", "zh-Hant", 3},
};

/* Statements, tips (with follow-up codes drawn from the seeded generator)
 * and page feedback; each audited as "demo". The secretariat writes the
 * statements and an investigator has started reviewing a tip. */
static int add_public(struct store *st, const struct vkey *key, int64_t author, int64_t triager,
                      int64_t now)
{
    int rc = store_begin(st);
    char obj[48];
    for (size_t k = 0; !rc && k < sizeof demo_statements / sizeof demo_statements[0]; k++) {
        json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "title_zh",
                              demo_statements[k].title_zh, "body_zh", demo_statements[k].body_zh,
                              "title_pt", demo_statements[k].title_pt, "body_pt",
                              demo_statements[k].body_pt, "title_en", demo_statements[k].title_en,
                              "body_en", demo_statements[k].body_en);
        int64_t id = 0;
        int days = demo_statements[k].days_ago;
        int64_t at = now - (int64_t)(days < 0 ? 1 : days + 3) * 86400;
        rc = f ? store_statement_add(st, f, author, at, &id) : VIGIL_ENOMEM;
        json_decref(f);
        snprintf(obj, sizeof obj, "statement:%" PRId64, id);
        if (!rc)
            rc = audit_append(st, 0, "demo", "statement.create", obj, "draft");
        if (!rc && days >= 0) {
            json_t *out = NULL;
            rc = store_statement_publish(st, id, now - (int64_t)days * 86400, &out);
            json_decref(out);
            if (!rc)
                rc = audit_append(st, 0, "demo", "statement.publish", obj, "");
        }
    }
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (size_t k = 0; !rc && k < sizeof demo_tips / sizeof demo_tips[0]; k++) {
        char code[21], hash[65];
        for (int i = 0; i < 20; i++)
            code[i] = alphabet[rnd() % 32];
        code[20] = '\0';
        crypto_hash_hex(code, 20, hash);
        json_t *t = json_pack("{s:s, s:s}", "what", demo_tips[k].what, "where", demo_tips[k].where);
        if (t && *demo_tips[k].when)
            json_object_set_new(t, "when", json_string(demo_tips[k].when));
        char *text = t ? json_dumps(t, JSON_COMPACT) : NULL;
        json_decref(t);
        unsigned char *sealed = NULL;
        size_t n = 0;
        rc = text ? crypto_seal(key, "vigil.tip", text, strlen(text), &sealed, &n) : VIGIL_ENOMEM;
        free(text);
        int64_t id = 0, at = now - (int64_t)demo_tips[k].days_ago * 86400;
        if (!rc)
            rc = store_tip_add(st, hash, "web", sealed, n, 0, at, &id);
        free(sealed);
        snprintf(obj, sizeof obj, "tip:%" PRId64, id);
        if (!rc)
            rc = audit_append(st, 0, "demo", "tip.create", obj, "web");
        if (!rc && strcmp(demo_tips[k].state, "new") != 0) {
            rc = store_tip_triage(st, id, demo_tips[k].state, NULL, 0, triager, at + 86400);
            if (!rc)
                rc = audit_append(st, 0, "demo", "tip.triage", obj, demo_tips[k].state);
        }
    }
    for (size_t k = 0; !rc && k < sizeof demo_feedback / sizeof demo_feedback[0]; k++) {
        int64_t id = 0;
        rc = store_feedback_add(st, demo_feedback[k].page, demo_feedback[k].message, NULL, 0,
                                demo_feedback[k].lang,
                                now - (int64_t)demo_feedback[k].days_ago * 86400, &id);
        snprintf(obj, sizeof obj, "feedback:%" PRId64, id);
        if (!rc)
            rc = audit_append(st, 0, "demo", "feedback.create", obj, "");
    }
    if (!rc)
        rc = store_commit(st);
    else
        store_rollback(st);
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
        if (n > o.cases - made) /* the rounded shares may reach the total early */
            n = o.cases - made;
        if (n < 0)
            n = 0;
        int year = this_year - 9 + k;
        for (long j = 0; !rc && j < n; j++) {
            if (made % 2000 == 0 && (rc = store_begin(st)))
                break;
            rc = add_case(st, &key, year, this_year, org_ids, user_ids, now);
            made++;
            if (!rc && made % 2000 == 0)
                rc = store_commit(st);
            if (isatty(STDERR_FILENO) && made % 10000 == 0)
                fprintf(stderr, "\r%ld cases", made);
        }
    }
    if (!rc && made % 2000 != 0) /* the last batch */
        rc = store_commit(st);
    if (!rc)
        rc = add_public(st, &key, user_ids[1], user_ids[2], now); /* secretariat, investigator */
    if (!rc)
        rc = demo_committee(st, o.seed, now);
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
