/* Person fields and rules; see person.h. */
#include <stdio.h>
#include <string.h>

#include "core/person.h"
#include "util/err.h"
#include "util/parse.h"

const char *const person_roles[] = {"victim", "suspect", "witness", NULL};

#define P FF_PERSONAL
#define V FF_VICTIM
#define S FF_SUSPECT

const struct field person_fields[] = {
    {"role", FT_ENUM, FF_REQUIRED | FF_CREATEONLY, 0, 0, person_roles, NULL},
    {"prs_Salutation", FT_TEXT, P, 0, 40, NULL, NULL},
    {"prs_FirstName", FT_TEXT, P, 0, 200, NULL, NULL},
    {"prs_MiddleName", FT_TEXT, P, 0, 200, NULL, NULL},
    {"prs_SecondName", FT_TEXT, P, 0, 200, NULL, NULL},
    {"prs_Birthdate", FT_DATE, P, 0, 0, NULL, NULL},
    {"prs_IdentityNumber", FT_TEXT, P, 0, 64, NULL, NULL},
    {"prs_Email", FT_TEXT, P, 0, 254, NULL, NULL},
    {"prs_HomePhone", FT_TEXT, P, 0, 32, NULL, NULL},
    {"prs_MobilePhone", FT_TEXT, P, 0, 32, NULL, NULL},
    {"prs_MailingStreet", FT_TEXT, P, 0, 200, NULL, NULL},
    {"prs_MailingCity", FT_TEXT, P, 0, 100, NULL, NULL},
    {"prs_MailingState", FT_TEXT, P, 0, 100, NULL, NULL},
    {"prs_MailingPostalCode", FT_TEXT, P, 0, 20, NULL, NULL},
    {"prs_MailingCountry", FT_COUNTRY, 0, 0, 0, NULL, NULL},
    {"prs_Gender", FT_ENUM, 0, 0, 0, NULL, "prs_Gender"},
    {"prs_Deceased", FT_BOOL, 0, 0, 0, NULL, NULL},
    {"prs_MaritalStatus", FT_ENUM, 0, 0, 0, NULL, "prs_MaritalStatus"},
    {"prs_NumberOfChildren", FT_INT, 0, 0, 40, NULL, NULL},
    {"prs_PrimaryLanguage", FT_LANG, 0, 0, 0, NULL, NULL},
    {"prs_SecondaryLanguage", FT_LANG, 0, 0, 0, NULL, NULL},
    {"prs_HighestLevelOfEducation", FT_ENUM, 0, 0, 0, NULL, "prs_HighestLevelOfEducation"},
    {"prs_Citizenship", FT_COUNTRIES, 0, 0, 0, NULL, NULL},
    {"prs_Title", FT_TEXT, 0, 0, 100, NULL, NULL},
    {"vic_AgreementToManagePersonalData", FT_BOOL, V, 0, 0, NULL, NULL},
    {"vic_TraffickingStatus", FT_ENUM, FF_READONLY, 0, 0, NULL, "vic_TraffickingStatus"},
    {"vic_RelationshipToTrafficker", FT_ENUM, V, 0, 0, NULL, "vic_RelationshipToTrafficker"},
    {"vic_AgeWhenTrafficked", FT_INT, V, 0, 120, NULL, NULL},
    {"vic_RecruitmentWebsitesAndApps", FT_MULTI, V, 0, 0, NULL, "vic_RecruitmentWebsitesAndApps"},
    {"vic_MethodOfRecruitment", FT_MULTI, V, 0, 0, NULL, "vic_MethodOfRecruitment"},
    {"vic_MethodsOfControl", FT_MULTI, V, 0, 0, NULL, "vic_MethodsOfControl"},
    {"vic_TypeOfExploitation", FT_MULTI, V, 0, 0, NULL, "vic_TypeOfExploitation"},
    {"vic_ForcedLabourIndustry", FT_ENUM, V, 0, 0, NULL, "vic_ForcedLabourIndustry"},
    {"vic_TypeOfSexExploitation", FT_MULTI, V, 0, 0, NULL, "vic_TypeOfSexExploitation"},
    {"vic_ExploitationWebsitesAndApps", FT_MULTI, V, 0, 0, NULL, "vic_ExploitationWebsitesAndApps"},
    {"vic_Vulnerabilities", FT_MULTI, V, 0, 0, NULL, "vic_Vulnerabilities"},
    {"vic_DetailsOfVulnerabilities", FT_LONGTEXT, V | P, 0, 4000, NULL, NULL},
    {"per_RoleInProcess", FT_MULTI, S, 0, 0, NULL, "per_RoleInProcess"},
    {"per_RoleDetails", FT_LONGTEXT, S | P, 0, 4000, NULL, NULL},
    {"id", FT_INT, FF_READONLY, 0, 0, NULL, NULL},
    {"case_id", FT_INT, FF_READONLY, 0, 0, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};

unsigned person_allow(const char *role)
{
    if (!role)
        return 0;
    if (strcmp(role, "victim") == 0)
        return FF_VICTIM;
    if (strcmp(role, "suspect") == 0)
        return FF_SUSPECT;
    if (strcmp(role, "witness") == 0)
        return FF_VICTIM & 0; /* a witness carries neither context */
    return 0;
}

int person_validate(json_t *in, int mode, const char *role, json_t **out, struct verr *err)
{
    if (mode == REC_CREATE && json_is_object(in)) {
        json_t *r = json_object_get(in, "role");
        if (json_is_string(r))
            role = json_string_value(r);
    }
    return record_validate(person_fields, in, mode, person_allow(role), out, err);
}

void person_split(json_t *p, json_t **personal, json_t **plain)
{
    *personal = json_object();
    *plain = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(p, key, v)
    {
        const struct field *f = record_field(person_fields, key);
        if (!f || strcmp(key, "role") == 0)
            continue;
        json_object_set(f->flags & FF_PERSONAL ? *personal : *plain, key, v);
    }
}

int person_age(const char *birth, const char *on)
{
    int by, bm, bd, y, m, d;
    if (!birth || !on || parse_date(birth, &by, &bm, &bd) || parse_date(on, &y, &m, &d))
        return -1;
    int age = y - by - ((m < bm || (m == bm && d < bd)) ? 1 : 0);
    return age < 0 ? -1 : age;
}
