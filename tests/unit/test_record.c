/*
 * Unit tests for declarative record validation (src/core/record.c) and the
 * record types built on it: cases, persons and notes, with the HTCDS
 * enumerations they take their values from.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/case.h"
#include "core/htcds.h"
#include "core/note.h"
#include "core/person.h"
#include "core/record.h"
#include "util/buf.h"
#include "util/err.h"

/* ---- helpers ------------------------------------------------------------ */

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j)
        print_error("bad test JSON: %s: %s\n", text, e.text);
    assert_non_null(j);
    return j;
}

/* Validate a JSON text against spec; returns the result code, and checks
 * that on failure the field named is field (when given) and appears in the
 * message, and that on success an output object is made. */
static int check(const struct field *spec, const char *text, int mode, unsigned allow,
                 const char *field)
{
    json_t *in = parse(text);
    json_t *out = NULL;
    struct verr err;
    int rc = record_validate(spec, in, mode, allow, &out, &err);
    if (rc == VIGIL_OK) {
        assert_non_null(out);
        json_decref(out);
    } else {
        assert_int_equal(rc, VIGIL_EINVAL);
        assert_null(out);
        assert_true(strlen(err.msg) > 0);
        if (field) {
            if (strcmp(err.field, field) != 0)
                print_error("for %s: expected field %s, got %s (%s)\n", text, field, err.field,
                            err.msg);
            assert_string_equal(err.field, field);
            assert_non_null(strstr(err.msg, field));
        }
    }
    json_decref(in);
    return rc;
}

static int check_case(const char *text, int mode, const char *field)
{
    return check(case_fields, text, mode, 0, field);
}

static int check_person(const char *text, const char *field)
{
    json_t *in = parse(text);
    json_t *out = NULL;
    struct verr err;
    int rc = person_validate(in, REC_CREATE, NULL, &out, &err);
    if (rc == VIGIL_OK) {
        json_decref(out);
    } else if (field) {
        if (strcmp(err.field, field) != 0)
            print_error("for %s: expected field %s, got %s (%s)\n", text, field, err.field,
                        err.msg);
        assert_string_equal(err.field, field);
        assert_non_null(strstr(err.msg, field));
    }
    json_decref(in);
    return rc;
}

/* A JSON document {"role":role, key: "<n copies of unit>"}. */
static int check_person_text(const char *role, const char *key, const char *unit, int n)
{
    json_t *in = json_object();
    struct buf b;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < n; i++)
        buf_puts(&b, unit);
    assert_int_equal(buf_err(&b), 0);
    json_object_set_new(in, "role", json_string(role));
    json_t *s = json_string(buf_cstr(&b));
    assert_non_null(s);
    json_object_set_new(in, key, s);
    buf_free(&b);
    json_t *out = NULL;
    struct verr err;
    int rc = person_validate(in, REC_CREATE, NULL, &out, &err);
    if (rc == VIGIL_OK)
        json_decref(out);
    else
        assert_string_equal(err.field, key);
    json_decref(in);
    return rc;
}

static int count_values(const char *const *v)
{
    int n = 0;
    while (v && v[n])
        n++;
    return n;
}

/* ---- generic rules, through the case record ----------------------------- */

static void test_required(void **state)
{
    (void)state;
    assert_int_equal(
        check_case("{\"category\":\"trafficking\",\"source\":\"police\"}", REC_CREATE, NULL),
        VIGIL_OK);
    assert_int_equal(check_case("{\"source\":\"police\"}", REC_CREATE, "category"), VIGIL_EINVAL);
    assert_int_equal(check_case("{\"category\":\"trafficking\"}", REC_CREATE, "source"),
                     VIGIL_EINVAL);
    assert_int_equal(
        check_case("{\"category\":null,\"source\":\"police\"}", REC_CREATE, "category"),
        VIGIL_EINVAL);
    /* On update every field is optional, but a required one cannot be cleared. */
    assert_int_equal(check_case("{}", REC_UPDATE, NULL), VIGIL_OK);
    assert_int_equal(check_case("{\"stage\":\"screening\"}", REC_UPDATE, NULL), VIGIL_OK);
    assert_int_equal(check_case("{\"source\":null}", REC_UPDATE, "source"), VIGIL_EINVAL);
    assert_int_equal(check(note_fields, "{}", REC_CREATE, 0, "text"), VIGIL_EINVAL);
}

static void test_not_object(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "[]", "[{\"category\":\"trafficking\"}]", "\"x\"", "42", "null", "true"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        json_t *in = json_loads(bodies[i], JSON_DECODE_ANY, NULL);
        assert_non_null(in);
        json_t *out = NULL;
        struct verr err;
        assert_int_equal(record_validate(case_fields, in, REC_CREATE, 0, &out, &err), VIGIL_EINVAL);
        assert_null(out);
        assert_true(strlen(err.msg) > 0);
        json_decref(in);
    }
}

static void test_unknown_field(void **state)
{
    (void)state;
    assert_int_equal(check_case("{\"category\":\"trafficking\",\"source\":\"police\","
                                "\"colour\":\"red\"}",
                                REC_CREATE, "colour"),
                     VIGIL_EINVAL);
    assert_int_equal(check_case("{\"Category\":\"trafficking\"}", REC_UPDATE, "Category"),
                     VIGIL_EINVAL);
    assert_int_equal(check_case("{\"cas_status\":\"Active\"}", REC_UPDATE, "cas_status"),
                     VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_Nickname\":\"x\"}", "prs_Nickname"),
                     VIGIL_EINVAL);
}

static void test_readonly(void **state)
{
    (void)state;
    static const char *const ro[] = {"id",           "version",    "reference",
                                     "organisation", "created_at", "updated_at"};
    for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++) {
        char text[200];
        const char *value =
            strcmp(ro[i], "id") == 0 || strcmp(ro[i], "version") == 0 ? "1" : "\"TIP-2026-0001\"";
        snprintf(text, sizeof text,
                 "{\"category\":\"trafficking\",\"source\":\"police\",\"%s\":%s}", ro[i], value);
        assert_int_equal(check_case(text, REC_CREATE, ro[i]), VIGIL_EINVAL);
        snprintf(text, sizeof text, "{\"%s\":%s}", ro[i], value);
        assert_int_equal(check_case(text, REC_UPDATE, ro[i]), VIGIL_EINVAL);
    }
    /* The trafficking status is decided through its own history, not set. */
    assert_int_equal(check_person("{\"role\":\"victim\",\"vic_TraffickingStatus\":"
                                  "\"ActualVictimOfTrafficking\"}",
                                  "vic_TraffickingStatus"),
                     VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"victim\",\"case_id\":3}", "case_id"), VIGIL_EINVAL);
}

static void test_wrong_types(void **state)
{
    (void)state;
    const char *base = "{\"category\":\"trafficking\",\"source\":\"police\",";
    static const struct {
        const char *tail, *field;
    } bad[] = {
        {"\"stage\":1}", "stage"},
        {"\"stage\":[\"intake\"]}", "stage"},
        {"\"opened_on\":20260101}", "opened_on"},
        {"\"opened_on\":\"2026-02-30\"}", "opened_on"},
        {"\"opened_on\":\"01/02/2026\"}", "opened_on"},
        {"\"closed_on\":true}", "closed_on"},
        {"\"place_of_recruitment\":12}", "place_of_recruitment"},
        {"\"place_of_recruitment\":{\"a\":1}}", "place_of_recruitment"},
        {"\"country_of_recruitment\":\"XX\"}", "country_of_recruitment"},
        {"\"country_of_recruitment\":\"ph\"}", "country_of_recruitment"},
        {"\"country_of_recruitment\":\"PHL\"}", "country_of_recruitment"},
        {"\"country_of_exploitation\":[\"MO\"]}", "country_of_exploitation"},
        {"\"cas_ReasonForCaseClosure\":false}", "cas_ReasonForCaseClosure"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[300];
        snprintf(text, sizeof text, "%s%s", base, bad[i].tail);
        assert_int_equal(check_case(text, REC_CREATE, bad[i].field), VIGIL_EINVAL);
    }
    char text[300];
    snprintf(text, sizeof text, "%s%s", base,
             "\"country_of_recruitment\":\"PH\",\"country_of_exploitation\":\"MO\","
             "\"opened_on\":\"2024-02-29\",\"place_of_recruitment\":\"Manila\"}");
    assert_int_equal(check_case(text, REC_CREATE, NULL), VIGIL_OK);
    assert_int_equal(check(note_fields, "{\"text\":5}", REC_CREATE, 0, "text"), VIGIL_EINVAL);
}

static void test_case_enums(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "{\"category\":\"labour_exploitation\",\"source\":\"NGO\"}",
        "{\"category\":\"trafficking\",\"source\":\"international\",\"cas_Status\":"
        "\"FollowUp\",\"stage\":\"prosecution\"}",
        "{\"category\":\"trafficking\",\"source\":\"hotline\",\"cas_Status\":"
        "\"ClosedReferred\"}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_int_equal(check_case(ok[i], REC_CREATE, NULL), VIGIL_OK);
    assert_int_equal(
        check_case("{\"category\":\"smuggling\",\"source\":\"police\"}", REC_CREATE, "category"),
        VIGIL_EINVAL);
    assert_int_equal(
        check_case("{\"category\":\"trafficking\",\"source\":\"Police\"}", REC_CREATE, "source"),
        VIGIL_EINVAL);
    assert_int_equal(check_case("{\"cas_Status\":\"Open\"}", REC_UPDATE, "cas_Status"),
                     VIGIL_EINVAL);
    assert_int_equal(check_case("{\"cas_Status\":\"active\"}", REC_UPDATE, "cas_Status"),
                     VIGIL_EINVAL);
    assert_int_equal(check_case("{\"stage\":\"done\"}", REC_UPDATE, "stage"), VIGIL_EINVAL);
    /* Every stage of the design's workflow is accepted. */
    static const char *const stages[] = {"intake",        "screening",   "protection",
                                         "investigation", "prosecution", "closed"};
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
        char text[80];
        snprintf(text, sizeof text, "{\"stage\":\"%s\"}", stages[i]);
        assert_int_equal(check_case(text, REC_UPDATE, NULL), VIGIL_OK);
    }
}

static void test_output_copy(void **state)
{
    (void)state;
    json_t *in = parse("{\"category\":\"trafficking\",\"source\":\"police\","
                       "\"closed_on\":null,\"place_of_recruitment\":\"Manila\"}");
    json_t *out = NULL;
    struct verr err;
    assert_int_equal(record_validate(case_fields, in, REC_CREATE, 0, &out, &err), VIGIL_OK);
    /* On create a null means absent and is dropped. */
    assert_int_equal(json_object_size(out), 3);
    assert_null(json_object_get(out, "closed_on"));
    assert_string_equal(json_string_value(json_object_get(out, "place_of_recruitment")), "Manila");
    assert_true(out != in);
    json_decref(out);
    /* On update a null is kept: it means "clear". */
    assert_int_equal(record_validate(case_fields, in, REC_UPDATE, 0, &out, &err), VIGIL_OK);
    assert_int_equal(json_object_size(out), 4);
    assert_true(json_is_null(json_object_get(out, "closed_on")));
    json_decref(out);
    json_decref(in);
}

static void test_text_rules(void **state)
{
    (void)state;
    /* Control characters: one-line text takes none but tab; long text also
     * takes newlines. */
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_FirstName\":\"Ana\\tMaria\"}", NULL),
                     VIGIL_OK);
    static const char *const ctl[] = {"\\n", "\\r", "\\u0001", "\\u001b", "\\u001f", "\\b"};
    for (size_t i = 0; i < sizeof ctl / sizeof ctl[0]; i++) {
        char text[120];
        snprintf(text, sizeof text, "{\"role\":\"victim\",\"prs_FirstName\":\"Ana%sMaria\"}",
                 ctl[i]);
        assert_int_equal(check_person(text, "prs_FirstName"), VIGIL_EINVAL);
    }
    assert_int_equal(check_case("{\"place_of_exploitation\":\"Cotai\\nStrip\"}", REC_UPDATE,
                                "place_of_exploitation"),
                     VIGIL_EINVAL);
    assert_int_equal(
        check_case("{\"cas_ReasonForCaseClosure\":\"line 1\\r\\nline 2\\tend\"}", REC_UPDATE, NULL),
        VIGIL_OK);
    assert_int_equal(check_case("{\"cas_ReasonForCaseClosure\":\"bell\\u0007\"}", REC_UPDATE,
                                "cas_ReasonForCaseClosure"),
                     VIGIL_EINVAL);
    assert_int_equal(check(note_fields, "{\"text\":\"a\\nb\"}", REC_CREATE, 0, NULL), VIGIL_OK);
    assert_int_equal(check(note_fields, "{\"text\":\"\"}", REC_CREATE, 0, "text"), VIGIL_EINVAL);

    /* Strings that jansson would not make from JSON text: bad UTF-8, NUL. */
    json_t *in = json_object();
    json_object_set_new(in, "text", json_string_nocheck("caf\xe9"));
    json_t *out = NULL;
    struct verr err;
    assert_int_equal(record_validate(note_fields, in, REC_CREATE, 0, &out, &err), VIGIL_EINVAL);
    assert_string_equal(err.field, "text");
    json_object_set_new(in, "text", json_stringn("a\0b", 3));
    assert_int_equal(record_validate(note_fields, in, REC_CREATE, 0, &out, &err), VIGIL_EINVAL);
    assert_string_equal(err.field, "text");
    assert_null(out);
    json_decref(in);
}

static void test_lengths_in_code_points(void **state)
{
    (void)state;
    const char *cjk = "\xe9\x99\xb3";       /* 陳, 3 bytes */
    const char *emoji = "\xf0\x9f\x98\x80"; /* 4 bytes */
    assert_int_equal(check_person_text("victim", "prs_FirstName", cjk, 200), VIGIL_OK);
    assert_int_equal(check_person_text("victim", "prs_FirstName", cjk, 201), VIGIL_EINVAL);
    assert_int_equal(check_person_text("victim", "prs_FirstName", emoji, 200), VIGIL_OK);
    assert_int_equal(check_person_text("victim", "prs_FirstName", emoji, 201), VIGIL_EINVAL);
    assert_int_equal(check_person_text("victim", "prs_FirstName", "a", 200), VIGIL_OK);
    assert_int_equal(check_person_text("victim", "prs_FirstName", "a", 201), VIGIL_EINVAL);
    assert_int_equal(check_person_text("victim", "prs_SecondName", cjk, 200), VIGIL_OK);
    assert_int_equal(check_person_text("victim", "prs_SecondName", cjk, 201), VIGIL_EINVAL);
    assert_int_equal(check_person_text("victim", "prs_Salutation", cjk, 40), VIGIL_OK);
    assert_int_equal(check_person_text("victim", "prs_Salutation", cjk, 41), VIGIL_EINVAL);
    assert_int_equal(check_person_text("victim", "prs_IdentityNumber", "7", 64), VIGIL_OK);
    assert_int_equal(check_person_text("victim", "prs_IdentityNumber", "7", 65), VIGIL_EINVAL);
    assert_int_equal(check_person_text("victim", "vic_DetailsOfVulnerabilities", cjk, 4000),
                     VIGIL_OK);
    assert_int_equal(check_person_text("victim", "vic_DetailsOfVulnerabilities", cjk, 4001),
                     VIGIL_EINVAL);
    /* The limit is stated in the message. */
    json_t *in = json_object();
    json_object_set_new(in, "place_of_recruitment", json_string(""));
    struct buf b;
    buf_init(&b, 4096);
    for (int i = 0; i < 201; i++)
        buf_puts(&b, cjk);
    json_object_set_new(in, "place_of_recruitment", json_string(buf_cstr(&b)));
    buf_free(&b);
    json_t *out = NULL;
    struct verr err;
    assert_int_equal(record_validate(case_fields, in, REC_UPDATE, 0, &out, &err), VIGIL_EINVAL);
    assert_non_null(strstr(err.msg, "200"));
    json_decref(in);
}

/* ---- persons ------------------------------------------------------------ */

static void test_person_minimal(void **state)
{
    (void)state;
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_FirstName\":\"Maria\","
                                  "\"prs_SecondName\":\"Santos\",\"prs_Gender\":\"Feminine\","
                                  "\"prs_Citizenship\":[\"PH\"]}",
                                  NULL),
                     VIGIL_OK);
    assert_int_equal(check_person("{\"role\":\"suspect\"}", NULL), VIGIL_OK);
    assert_int_equal(check_person("{\"role\":\"witness\"}", NULL), VIGIL_OK);
    assert_int_equal(check_person("{\"prs_FirstName\":\"Maria\"}", "role"), VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"bystander\"}", "role"), VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"Victim\"}", "role"), VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":1}", "role"), VIGIL_EINVAL);
}

static void test_person_enums(void **state)
{
    (void)state;
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_Gender\":\"Feminine\"}", NULL),
                     VIGIL_OK);
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_Gender\":\"Masculine\"}", NULL),
                     VIGIL_OK);
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_Gender\":\"Female\"}", "prs_Gender"),
                     VIGIL_EINVAL);
    assert_int_equal(
        check_person("{\"role\":\"victim\",\"prs_Gender\":\"feminine\"}", "prs_Gender"),
        VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_Gender\":\"\"}", "prs_Gender"),
                     VIGIL_EINVAL);
    assert_int_equal(
        check_person("{\"role\":\"victim\",\"prs_Gender\":[\"Feminine\"]}", "prs_Gender"),
        VIGIL_EINVAL);
    /* Every value of the HTCDS picklist is accepted, by value name. */
    const struct htcds_enum *g = htcds_enum_find("prs_Gender");
    assert_non_null(g);
    for (const char *const *v = g->values; *v; v++) {
        char text[160];
        snprintf(text, sizeof text, "{\"role\":\"witness\",\"prs_Gender\":\"%s\"}", *v);
        assert_int_equal(check_person(text, NULL), VIGIL_OK);
    }
}

static void test_person_multi(void **state)
{
    (void)state;
    assert_int_equal(
        check_person("{\"role\":\"victim\",\"prs_Citizenship\":[\"PH\",\"MO\"]}", NULL), VIGIL_OK);
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_Citizenship\":[]}", NULL), VIGIL_OK);
    assert_int_equal(
        check_person("{\"role\":\"victim\",\"prs_Citizenship\":[\"XX\"]}", "prs_Citizenship"),
        VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_Citizenship\":[\"PH\",\"XX\"]}",
                                  "prs_Citizenship"),
                     VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_Citizenship\":[\"PH\",\"PH\"]}",
                                  "prs_Citizenship"),
                     VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"victim\",\"prs_Citizenship\":[\"PH\",\"MO\","
                                  "\"PH\"]}",
                                  "prs_Citizenship"),
                     VIGIL_EINVAL);
    assert_int_equal(
        check_person("{\"role\":\"victim\",\"prs_Citizenship\":\"PH\"}", "prs_Citizenship"),
        VIGIL_EINVAL);
    assert_int_equal(
        check_person("{\"role\":\"victim\",\"prs_Citizenship\":[1]}", "prs_Citizenship"),
        VIGIL_EINVAL);
    assert_int_equal(
        check_person("{\"role\":\"victim\",\"prs_Citizenship\":[[\"PH\"]]}", "prs_Citizenship"),
        VIGIL_EINVAL);
    assert_int_equal(
        check_person("{\"role\":\"victim\",\"prs_Citizenship\":{\"PH\":1}}", "prs_Citizenship"),
        VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"victim\",\"vic_TypeOfExploitation\":"
                                  "[\"ForcedLabour\",\"SexualExploitation\"]}",
                                  NULL),
                     VIGIL_OK);
    assert_int_equal(check_person("{\"role\":\"victim\",\"vic_TypeOfExploitation\":"
                                  "[\"Slavery\"]}",
                                  "vic_TypeOfExploitation"),
                     VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"victim\",\"vic_TypeOfExploitation\":"
                                  "[\"ForcedLabour\",\"ForcedLabour\"]}",
                                  "vic_TypeOfExploitation"),
                     VIGIL_EINVAL);
    assert_int_equal(check_person("{\"role\":\"victim\",\"vic_TypeOfExploitation\":"
                                  "\"ForcedLabour\"}",
                                  "vic_TypeOfExploitation"),
                     VIGIL_EINVAL);
    /* Every value of the picklist, all at once. */
    const struct htcds_enum *e = htcds_enum_find("vic_TypeOfExploitation");
    assert_non_null(e);
    json_t *in = json_object();
    json_t *arr = json_array();
    for (const char *const *v = e->values; *v; v++)
        json_array_append_new(arr, json_string(*v));
    json_object_set_new(in, "role", json_string("victim"));
    json_object_set_new(in, "vic_TypeOfExploitation", arr);
    json_t *out = NULL;
    struct verr err;
    assert_int_equal(person_validate(in, REC_CREATE, NULL, &out, &err), VIGIL_OK);
    assert_true(json_equal(json_object_get(out, "vic_TypeOfExploitation"), arr));
    json_decref(out);
    json_decref(in);
}

static void test_person_context_fields(void **state)
{
    (void)state;
    const struct htcds_enum *pr = htcds_enum_find("per_RoleInProcess");
    assert_non_null(pr);
    assert_non_null(pr->values[0]);
    char per[200];
    snprintf(per, sizeof per, "\"per_RoleInProcess\":[\"%s\"]", pr->values[0]);
    static const char *const vic = "\"vic_TypeOfExploitation\":[\"ForcedLabour\"]";
    static const char *const vic2 = "\"vic_AgeWhenTrafficked\":17";
    static const char *const per2 = "\"per_RoleDetails\":\"recruiter\"";
    static const struct {
        const char *role;
        int victim_ok, suspect_ok;
    } roles[] = {{"victim", 1, 0}, {"suspect", 0, 1}, {"witness", 0, 0}};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        char text[400];
        const char *vfields[] = {vic, vic2};
        for (int k = 0; k < 2; k++) {
            snprintf(text, sizeof text, "{\"role\":\"%s\",%s}", roles[i].role, vfields[k]);
            const char *name = k ? "vic_AgeWhenTrafficked" : "vic_TypeOfExploitation";
            assert_int_equal(check_person(text, roles[i].victim_ok ? NULL : name),
                             roles[i].victim_ok ? VIGIL_OK : VIGIL_EINVAL);
        }
        const char *pfields[] = {per, per2};
        for (int k = 0; k < 2; k++) {
            snprintf(text, sizeof text, "{\"role\":\"%s\",%s}", roles[i].role, pfields[k]);
            const char *name = k ? "per_RoleDetails" : "per_RoleInProcess";
            assert_int_equal(check_person(text, roles[i].suspect_ok ? NULL : name),
                             roles[i].suspect_ok ? VIGIL_OK : VIGIL_EINVAL);
        }
    }
    assert_int_equal(person_allow("victim"), FF_VICTIM);
    assert_int_equal(person_allow("suspect"), FF_SUSPECT);
    assert_int_equal(person_allow("witness"), 0);
    assert_int_equal(person_allow("nobody"), 0);
    assert_int_equal(person_allow(NULL), 0);

    /* On update the stored role decides, and the role itself is fixed. */
    json_t *in = parse("{\"vic_AgeWhenTrafficked\":16}");
    json_t *out = NULL;
    struct verr err;
    assert_int_equal(person_validate(in, REC_UPDATE, "victim", &out, &err), VIGIL_OK);
    json_decref(out);
    out = NULL;
    assert_int_equal(person_validate(in, REC_UPDATE, "suspect", &out, &err), VIGIL_EINVAL);
    assert_string_equal(err.field, "vic_AgeWhenTrafficked");
    json_decref(in);
    in = parse("{\"role\":\"suspect\"}");
    assert_int_equal(person_validate(in, REC_UPDATE, "victim", &out, &err), VIGIL_EINVAL);
    assert_string_equal(err.field, "role");
    json_decref(in);
}

static void test_person_scalars(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        int ok;
    } cases[] = {
        {"\"prs_NumberOfChildren\":0", 1},
        {"\"prs_NumberOfChildren\":40", 1},
        {"\"prs_NumberOfChildren\":41", 0},
        {"\"prs_NumberOfChildren\":-1", 0},
        {"\"prs_NumberOfChildren\":\"3\"", 0},
        {"\"prs_NumberOfChildren\":3.0", 0},
        {"\"prs_NumberOfChildren\":true", 0},
        {"\"prs_NumberOfChildren\":9223372036854775807", 0},
        {"\"vic_AgeWhenTrafficked\":0", 1},
        {"\"vic_AgeWhenTrafficked\":120", 1},
        {"\"vic_AgeWhenTrafficked\":121", 0},
        {"\"prs_Deceased\":false", 1},
        {"\"prs_Deceased\":\"true\"", 0},
        {"\"prs_Deceased\":1", 0},
        {"\"prs_PrimaryLanguage\":\"pt\"", 1},
        {"\"prs_PrimaryLanguage\":\"zho\"", 1},
        {"\"prs_PrimaryLanguage\":\"PT\"", 0},
        {"\"prs_PrimaryLanguage\":\"portuguese\"", 0},
        {"\"prs_PrimaryLanguage\":\"p\"", 0},
        {"\"prs_Birthdate\":\"2000-02-29\"", 1},
        {"\"prs_Birthdate\":\"2001-02-29\"", 0},
        {"\"prs_Birthdate\":\"29/02/2000\"", 0},
        {"\"prs_Birthdate\":\"1899-12-31\"", 0},
        {"\"prs_MailingCountry\":\"MO\"", 1},
        {"\"prs_MailingCountry\":\"Macao\"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[200], name[64];
        snprintf(text, sizeof text, "{\"role\":\"victim\",%s}", cases[i].body);
        const char *q = strchr(cases[i].body + 1, '"');
        snprintf(name, sizeof name, "%.*s", (int)(q - cases[i].body - 1), cases[i].body + 1);
        int rc = check_person(text, cases[i].ok ? NULL : name);
        if (rc != (cases[i].ok ? VIGIL_OK : VIGIL_EINVAL))
            print_error("unexpected result for %s\n", text);
        assert_int_equal(rc, cases[i].ok ? VIGIL_OK : VIGIL_EINVAL);
    }
}

/* Every picklist field points at an HTCDS enumeration that exists, and
 * single/multi agree with the standard. */
static void spec_consistent(const struct field *spec)
{
    for (const struct field *f = spec; f->name; f++) {
        if (f->type != FT_ENUM && f->type != FT_MULTI)
            continue;
        const char *const *vals = record_values(f);
        if (!vals)
            print_error("field %s has no values\n", f->name);
        assert_non_null(vals);
        assert_true(count_values(vals) > 0);
        if (f->htcds) {
            const struct htcds_enum *e = htcds_enum_find(f->htcds);
            assert_non_null(e);
            if (e->multi != (f->type == FT_MULTI))
                print_error("field %s: HTCDS multi=%d\n", f->name, e->multi);
            assert_int_equal(e->multi, f->type == FT_MULTI);
        }
    }
}

static void test_specs(void **state)
{
    (void)state;
    spec_consistent(case_fields);
    spec_consistent(person_fields);
    spec_consistent(note_fields);
    assert_non_null(record_field(case_fields, "cas_Status"));
    assert_null(record_field(case_fields, "prs_FirstName"));
    assert_null(record_field(person_fields, "nope"));
}

/* ---- case rules --------------------------------------------------------- */

static void test_case_defaults(void **state)
{
    (void)state;
    json_t *c = parse("{\"category\":\"trafficking\",\"source\":\"police\"}");
    case_defaults(c, "2026-11-28");
    assert_string_equal(json_string_value(json_object_get(c, "cas_Status")), "Active");
    assert_string_equal(json_string_value(json_object_get(c, "stage")), "intake");
    assert_string_equal(json_string_value(json_object_get(c, "opened_on")), "2026-11-28");
    json_decref(c);
    /* Given values are kept. */
    c = parse("{\"category\":\"trafficking\",\"source\":\"police\",\"cas_Status\":"
              "\"FollowUp\",\"stage\":\"screening\",\"opened_on\":\"2025-01-02\"}");
    case_defaults(c, "2026-11-28");
    assert_string_equal(json_string_value(json_object_get(c, "cas_Status")), "FollowUp");
    assert_string_equal(json_string_value(json_object_get(c, "stage")), "screening");
    assert_string_equal(json_string_value(json_object_get(c, "opened_on")), "2025-01-02");
    json_decref(c);
}

static void test_case_reference(void **state)
{
    (void)state;
    char ref[32];
    case_reference(2026, 42, ref, sizeof ref);
    assert_string_equal(ref, "TIP-2026-0042");
    case_reference(2026, 1, ref, sizeof ref);
    assert_string_equal(ref, "TIP-2026-0001");
    case_reference(1999, 9999, ref, sizeof ref);
    assert_string_equal(ref, "TIP-1999-9999");
    case_reference(2026, 10000, ref, sizeof ref); /* past four digits: widens */
    assert_string_equal(ref, "TIP-2026-10000");
}

static int update(const char *cur_text, const char *patch_text, const char *field,
                  json_t **patch_out)
{
    json_t *cur = parse(cur_text);
    json_t *patch = parse(patch_text);
    struct verr err;
    int rc = case_check_update(cur, patch, "2026-03-01", &err);
    if (rc) {
        assert_int_equal(rc, VIGIL_EINVAL);
        if (field)
            assert_string_equal(err.field, field);
        assert_true(strlen(err.msg) > 0);
    }
    json_decref(cur);
    if (patch_out)
        *patch_out = patch;
    else
        json_decref(patch);
    return rc;
}

static void test_case_check_update(void **state)
{
    (void)state;
    const char *open = "{\"cas_Status\":\"Active\",\"opened_on\":\"2026-01-10\",\"closed_on\":"
                       "null}";
    json_t *p;
    /* Closing sets closed_on to today. */
    assert_int_equal(update(open, "{\"cas_Status\":\"Closed\"}", NULL, &p), VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(p, "closed_on")), "2026-03-01");
    json_decref(p);
    assert_int_equal(update(open, "{\"cas_Status\":\"ClosedReferred\"}", NULL, &p), VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(p, "closed_on")), "2026-03-01");
    json_decref(p);
    /* unless one is given. */
    assert_int_equal(
        update(open, "{\"cas_Status\":\"Closed\",\"closed_on\":\"2026-02-01\"}", NULL, &p),
        VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(p, "closed_on")), "2026-02-01");
    json_decref(p);
    /* Not closing adds nothing. */
    assert_int_equal(update(open, "{\"cas_Status\":\"FollowUp\"}", NULL, &p), VIGIL_OK);
    assert_null(json_object_get(p, "closed_on"));
    json_decref(p);
    assert_int_equal(update(open, "{\"stage\":\"screening\"}", NULL, &p), VIGIL_OK);
    assert_null(json_object_get(p, "closed_on"));
    json_decref(p);
    /* A case already closed keeps its date. */
    assert_int_equal(update("{\"cas_Status\":\"Closed\",\"opened_on\":\"2026-01-10\","
                            "\"closed_on\":\"2026-01-20\"}",
                            "{\"stage\":\"closed\"}", NULL, &p),
                     VIGIL_OK);
    assert_null(json_object_get(p, "closed_on"));
    json_decref(p);
    /* Closed before opened, from either side. */
    assert_int_equal(
        update(open, "{\"cas_Status\":\"Closed\",\"closed_on\":\"2026-01-09\"}", "closed_on", NULL),
        VIGIL_EINVAL);
    assert_int_equal(update(open, "{\"closed_on\":\"2025-12-31\"}", "closed_on", NULL),
                     VIGIL_EINVAL);
    assert_int_equal(update("{\"cas_Status\":\"Closed\",\"opened_on\":\"2026-01-10\","
                            "\"closed_on\":\"2026-01-20\"}",
                            "{\"opened_on\":\"2026-01-21\"}", "closed_on", NULL),
                     VIGIL_EINVAL);
    /* Closing and opening on the same day is fine. */
    assert_int_equal(
        update(open, "{\"cas_Status\":\"Closed\",\"closed_on\":\"2026-01-10\"}", NULL, NULL),
        VIGIL_OK);
    /* A case opened after today cannot be closed today. */
    assert_int_equal(update("{\"cas_Status\":\"Active\",\"opened_on\":\"2026-04-01\"}",
                            "{\"cas_Status\":\"Closed\"}", "closed_on", NULL),
                     VIGIL_EINVAL);
    /* opened_on cannot be cleared. */
    assert_int_equal(update(open, "{\"opened_on\":null}", "opened_on", NULL), VIGIL_EINVAL);
}

/* ---- person split and age ----------------------------------------------- */

static void test_person_split(void **state)
{
    (void)state;
    json_t *in =
        parse("{\"role\":\"victim\",\"prs_Salutation\":\"Ms\",\"prs_FirstName\":\"Maria\","
              "\"prs_MiddleName\":\"Luz\",\"prs_SecondName\":\"Santos\",\"prs_Birthdate\":"
              "\"2001-05-06\",\"prs_IdentityNumber\":\"P1234567\",\"prs_Email\":\"m@example.org\","
              "\"prs_HomePhone\":\"+853 2800 0000\",\"prs_MobilePhone\":\"+853 6600 0000\","
              "\"prs_MailingStreet\":\"Rua 1\",\"prs_MailingCity\":\"Macao\",\"prs_MailingState\":"
              "\"Se\",\"prs_MailingPostalCode\":\"999078\",\"prs_Gender\":\"Feminine\","
              "\"prs_Citizenship\":[\"PH\",\"MO\"],\"prs_NumberOfChildren\":2,"
              "\"prs_PrimaryLanguage\":\"tl\",\"vic_TypeOfExploitation\":[\"ForcedLabour\"],"
              "\"vic_DetailsOfVulnerabilities\":\"debt\"}");
    json_t *v = NULL;
    struct verr err;
    assert_int_equal(person_validate(in, REC_CREATE, NULL, &v, &err), VIGIL_OK);
    json_t *personal = NULL, *plain = NULL;
    person_split(v, &personal, &plain);
    assert_non_null(personal);
    assert_non_null(plain);
    static const char *const secret[] = {
        "prs_Salutation",
        "prs_FirstName",
        "prs_MiddleName",
        "prs_SecondName",
        "prs_Birthdate",
        "prs_IdentityNumber",
        "prs_Email",
        "prs_HomePhone",
        "prs_MobilePhone",
        "prs_MailingStreet",
        "prs_MailingCity",
        "prs_MailingState",
        "prs_MailingPostalCode",
        "vic_DetailsOfVulnerabilities",
    };
    static const char *const open[] = {"prs_Gender", "prs_Citizenship", "prs_NumberOfChildren",
                                       "prs_PrimaryLanguage", "vic_TypeOfExploitation"};
    for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++) {
        if (!json_object_get(personal, secret[i]))
            print_error("%s is not in the personal part\n", secret[i]);
        assert_true(
            json_equal(json_object_get(personal, secret[i]), json_object_get(v, secret[i])));
        assert_null(json_object_get(plain, secret[i]));
    }
    for (size_t i = 0; i < sizeof open / sizeof open[0]; i++) {
        assert_true(json_equal(json_object_get(plain, open[i]), json_object_get(v, open[i])));
        assert_null(json_object_get(personal, open[i]));
    }
    assert_null(json_object_get(personal, "role"));
    assert_null(json_object_get(plain, "role"));
    /* Nothing lost, nothing duplicated. */
    assert_int_equal(json_object_size(personal) + json_object_size(plain), json_object_size(v) - 1);
    /* No personal value shows up anywhere in the plain part. */
    char *dump = json_dumps(plain, JSON_COMPACT);
    assert_non_null(dump);
    assert_null(strstr(dump, "Maria"));
    assert_null(strstr(dump, "P1234567"));
    assert_null(strstr(dump, "2001-05-06"));
    assert_null(strstr(dump, "6600"));
    free(dump);
    json_decref(personal);
    json_decref(plain);
    json_decref(v);
    json_decref(in);
}

static void test_person_age(void **state)
{
    (void)state;
    assert_int_equal(person_age("2000-05-06", "2026-05-06"), 26); /* the birthday */
    assert_int_equal(person_age("2000-05-06", "2026-05-05"), 25); /* the day before */
    assert_int_equal(person_age("2000-05-06", "2026-04-30"), 25);
    assert_int_equal(person_age("2000-05-06", "2026-12-31"), 26);
    assert_int_equal(person_age("2000-02-29", "2026-02-28"), 25);
    assert_int_equal(person_age("2000-02-29", "2026-03-01"), 26);
    assert_int_equal(person_age("2000-02-29", "2028-02-29"), 28);
    assert_int_equal(person_age("2026-01-01", "2026-01-01"), 0);
    assert_int_equal(person_age("2025-12-31", "2026-01-01"), 0);
    assert_int_equal(person_age("2026-01-02", "2026-01-01"), -1); /* born later */
    assert_int_equal(person_age(NULL, "2026-01-01"), -1);
    assert_int_equal(person_age("2000-01-01", NULL), -1);
    assert_int_equal(person_age("2000-13-01", "2026-01-01"), -1);
    assert_int_equal(person_age("", "2026-01-01"), -1);
}

/* ---- HTCDS enumerations ------------------------------------------------- */

static int has(const struct htcds_enum *e, const char *v)
{
    for (const char *const *p = e->values; *p; p++)
        if (strcmp(*p, v) == 0)
            return 1;
    return 0;
}

static void test_htcds(void **state)
{
    (void)state;
    const struct htcds_enum *st = htcds_enum_find("cas_Status");
    assert_non_null(st);
    assert_string_equal(st->field, "cas_Status");
    assert_int_equal(st->multi, 0);
    /* DESIGN.md section 5: Active, FollowUp, Closed, ClosedReferred. */
    assert_int_equal(count_values(st->values), 4);
    assert_true(has(st, "Active"));
    assert_true(has(st, "FollowUp"));
    assert_true(has(st, "Closed"));
    assert_true(has(st, "ClosedReferred"));
    assert_false(has(st, "Open"));
    assert_int_equal(count_values(st->labels), 4);
    assert_true(htcds_value_valid(st, "FollowUp"));
    assert_false(htcds_value_valid(st, "Follow Up")); /* a label, not a value name */
    assert_false(htcds_value_valid(st, ""));

    const struct htcds_enum *ex = htcds_enum_find("vic_TypeOfExploitation");
    assert_non_null(ex);
    assert_int_equal(ex->multi, 1);
    assert_true(has(ex, "ForcedLabour"));
    assert_true(has(ex, "SexualExploitation"));
    assert_true(htcds_value_valid(ex, "ForcedLabour"));
    assert_false(htcds_value_valid(ex, "Forced labour"));
    assert_int_equal(count_values(ex->labels), count_values(ex->values));

    assert_null(htcds_enum_find("nope"));
    assert_null(htcds_enum_find(""));
    assert_null(htcds_enum_find("cas_status"));

    /* Every enumeration: labels parallel to values, values distinct. */
    for (const struct htcds_enum *e = htcds_enums; e->field; e++) {
        int n = count_values(e->values);
        assert_true(n > 0);
        assert_int_equal(count_values(e->labels), n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                assert_string_not_equal(e->values[i], e->values[j]);
        assert_true(htcds_enum_find(e->field) == e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_required),
        cmocka_unit_test(test_not_object),
        cmocka_unit_test(test_unknown_field),
        cmocka_unit_test(test_readonly),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_case_enums),
        cmocka_unit_test(test_output_copy),
        cmocka_unit_test(test_text_rules),
        cmocka_unit_test(test_lengths_in_code_points),
        cmocka_unit_test(test_person_minimal),
        cmocka_unit_test(test_person_enums),
        cmocka_unit_test(test_person_multi),
        cmocka_unit_test(test_person_context_fields),
        cmocka_unit_test(test_person_scalars),
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_case_defaults),
        cmocka_unit_test(test_case_reference),
        cmocka_unit_test(test_case_check_update),
        cmocka_unit_test(test_person_split),
        cmocka_unit_test(test_person_age),
        cmocka_unit_test(test_htcds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
