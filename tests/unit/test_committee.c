/*
 * Unit tests for the committee's rules in src/core/committee.c: a meeting
 * moves forward only (planned, held, approved) and is read-only once its
 * minutes are approved; measures close for good when done or dropped and get
 * their done date; progress updates are dated, not in the future, and move
 * the state; each kind of activity carries its own counts only; and what
 * counts as overdue. Also the array-of-texts field type these records use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/committee.h"
#include "util/err.h"

#define TODAY "2026-06-15"

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j)
        print_error("bad JSON in the test: %s\n", text);
    assert_non_null(j);
    return j;
}

/* meeting_validate on text against cur (a JSON text or NULL): the code, the
 * field at fault in field, the result in *out when asked. */
static int meeting(const char *text, const char *cur, char field[64], json_t **out)
{
    json_t *in = J(text), *c = cur ? J(cur) : NULL, *o = NULL;
    struct verr e;
    int rc = meeting_validate(in, c, &o, &e);
    snprintf(field, 64, "%s", rc ? e.field : "");
    if (out)
        *out = o;
    else
        json_decref(o);
    json_decref(in);
    json_decref(c);
    return rc;
}

static void test_meeting_fields(void **state)
{
    (void)state;
    char f[64];
    json_t *o;
    assert_int_equal(meeting("{\"held_on\":\"2026-06-01\",\"agenda\":[\"一\",\"二\"],"
                             "\"attendees\":[\"PJ\",\"IAS\"],\"minutes\":\"line 1\\nline 2\"}",
                             NULL, f, &o),
                     VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(o, "state")), "planned");
    assert_int_equal(json_array_size(json_object_get(o, "agenda")), 2);
    json_decref(o);
    /* the date is required and must be a date */
    assert_int_equal(meeting("{\"title\":\"x\"}", NULL, f, NULL), VIGIL_EINVAL);
    assert_string_equal(f, "held_on");
    assert_int_equal(meeting("{\"held_on\":\"2026-02-30\"}", NULL, f, NULL), VIGIL_EINVAL);
    assert_string_equal(f, "held_on");
    /* arrays of texts: no numbers, no empty items, no newlines in an item */
    assert_int_equal(meeting("{\"held_on\":\"2026-06-01\",\"agenda\":[1]}", NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "agenda");
    assert_int_equal(meeting("{\"held_on\":\"2026-06-01\",\"decisions\":[\"\"]}", NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "decisions");
    assert_int_equal(meeting("{\"held_on\":\"2026-06-01\",\"agenda\":\"a\"}", NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "agenda");
    assert_int_equal(meeting("{\"held_on\":\"2026-06-01\",\"agenda\":[\"a\\nb\"]}", NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_int_equal(meeting("{\"held_on\":\"2026-06-01\",\"attendees\":[\"X\"]}", NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "attendees");
    assert_int_equal(meeting("{\"held_on\":\"2026-06-01\",\"state\":\"cancelled\"}", NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "state");
    assert_int_equal(meeting("{\"held_on\":\"2026-06-01\",\"where\":\"x\"}", NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "where");
}

static void test_meeting_transitions(void **state)
{
    (void)state;
    assert_true(meeting_transition_ok("planned", "planned"));
    assert_true(meeting_transition_ok("planned", "held"));
    assert_true(meeting_transition_ok("planned", "approved"));
    assert_true(meeting_transition_ok("held", "approved"));
    assert_false(meeting_transition_ok("held", "planned"));
    assert_false(meeting_transition_ok("approved", "held"));
    assert_false(meeting_transition_ok("approved", "planned"));
    assert_false(meeting_transition_ok("held", "cancelled"));
    assert_false(meeting_transition_ok(NULL, "held"));

    char f[64];
    const char *held = "{\"state\":\"held\",\"held_on\":\"2026-06-01\"}";
    assert_int_equal(meeting("{\"state\":\"approved\"}", held, f, NULL), VIGIL_OK);
    assert_int_equal(meeting("{\"state\":\"planned\"}", held, f, NULL), VIGIL_EINVAL);
    assert_string_equal(f, "state");
    /* nothing to change, and the date cannot be cleared */
    assert_int_equal(meeting("{}", held, f, NULL), VIGIL_EINVAL);
    assert_int_equal(meeting("{\"held_on\":null}", held, f, NULL), VIGIL_EINVAL);
    assert_string_equal(f, "held_on");
    /* null clears the texts to their empty values */
    json_t *o;
    assert_int_equal(meeting("{\"agenda\":null,\"minutes\":null}", held, f, &o), VIGIL_OK);
    assert_true(json_is_array(json_object_get(o, "agenda")));
    assert_int_equal(json_array_size(json_object_get(o, "agenda")), 0);
    assert_string_equal(json_string_value(json_object_get(o, "minutes")), "");
    json_decref(o);
}

static void test_meeting_approved_is_read_only(void **state)
{
    (void)state;
    char f[64];
    const char *approved = "{\"state\":\"approved\",\"held_on\":\"2026-06-01\"}";
    static const char *const changes[] = {
        "{\"minutes\":\"a late correction\"}",
        "{\"state\":\"approved\"}",
        "{\"state\":\"held\"}",
        "{\"attendees\":[\"PJ\"]}",
        "{\"title\":\"x\"}",
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        json_t *in = J(changes[i]), *c = J(approved), *o = NULL;
        struct verr e;
        assert_int_equal(meeting_validate(in, c, &o, &e), VIGIL_ECONFLICT);
        assert_null(o);
        assert_non_null(strstr(e.msg, "minutes"));
        assert_non_null(strstr(e.msg, "approved"));
        json_decref(in);
        json_decref(c);
    }
    (void)f;
}

static int measure(const char *text, const char *cur, char field[64], json_t **out)
{
    json_t *in = J(text), *c = cur ? J(cur) : NULL, *o = NULL;
    struct verr e;
    int rc = measure_validate(in, c, TODAY, &o, &e);
    snprintf(field, 64, "%s", rc ? e.field : "");
    if (out)
        *out = o;
    else
        json_decref(o);
    json_decref(in);
    json_decref(c);
    return rc;
}

static void test_measures(void **state)
{
    (void)state;
    char f[64];
    json_t *o;
    assert_int_equal(measure("{\"title\":\"t\",\"owner\":\"DSAL\",\"due_on\":\"2026-09-30\","
                             "\"meeting_id\":3}",
                             NULL, f, &o),
                     VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(o, "state")), "open");
    assert_null(json_object_get(o, "done_on"));
    json_decref(o);
    assert_int_equal(measure("{\"owner\":\"DSAL\",\"due_on\":\"2026-09-30\"}", NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "title");
    assert_int_equal(measure("{\"title\":\"t\",\"due_on\":\"2026-09-30\"}", NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "owner");
    assert_int_equal(measure("{\"title\":\"t\",\"owner\":\"PJ\"}", NULL, f, NULL), VIGIL_EINVAL);
    assert_string_equal(f, "due_on");
    assert_int_equal(
        measure("{\"title\":\"t\",\"owner\":\"PJ\",\"due_on\":\"2026-09-30\",\"state\":\"late\"}",
                NULL, f, NULL),
        VIGIL_EINVAL);
    assert_string_equal(f, "state");
    assert_int_equal(measure("{\"title\":\"t\",\"owner\":\"PJ\",\"due_on\":\"2026-09-30\","
                             "\"done_on\":\"2026-01-01\"}",
                             NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "done_on"); /* read-only: set by the rules */
    assert_int_equal(measure("{\"title\":\"t\",\"owner\":\"PJ\",\"due_on\":\"2026-09-30\","
                             "\"meeting_id\":0}",
                             NULL, f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "meeting_id");

    /* transitions: open and in progress move freely; done and dropped are final */
    assert_true(measure_transition_ok("open", "in_progress"));
    assert_true(measure_transition_ok("in_progress", "open"));
    assert_true(measure_transition_ok("open", "done"));
    assert_true(measure_transition_ok("in_progress", "dropped"));
    assert_false(measure_transition_ok("done", "open"));
    assert_false(measure_transition_ok("dropped", "in_progress"));
    assert_false(measure_transition_ok("done", "dropped"));
    assert_false(measure_transition_ok("open", "finished"));
    assert_true(measure_final("done"));
    assert_true(measure_final("dropped"));
    assert_false(measure_final("open"));

    /* becoming done sets done_on to today */
    const char *inprog = "{\"state\":\"in_progress\",\"due_on\":\"2026-09-30\"}";
    assert_int_equal(measure("{\"state\":\"done\"}", inprog, f, &o), VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(o, "done_on")), TODAY);
    json_decref(o);
    assert_int_equal(measure("{\"state\":\"dropped\"}", inprog, f, &o), VIGIL_OK);
    assert_null(json_object_get(o, "done_on"));
    json_decref(o);
    assert_int_equal(measure("{\"owner\":null}", inprog, f, NULL), VIGIL_EINVAL);
    assert_string_equal(f, "owner");
    assert_int_equal(measure("{\"meeting_id\":null}", inprog, f, NULL), VIGIL_OK);
    /* a closed measure no longer changes at all */
    assert_int_equal(measure("{\"title\":\"x\"}", "{\"state\":\"done\"}", f, NULL),
                     VIGIL_ECONFLICT);
    assert_int_equal(measure("{\"state\":\"open\"}", "{\"state\":\"dropped\"}", f, NULL),
                     VIGIL_ECONFLICT);
}

static int progress(const char *text, const char *cur, char field[64], json_t **out)
{
    json_t *in = J(text), *o = NULL;
    struct verr e;
    int rc = progress_validate(in, cur, TODAY, &o, &e);
    snprintf(field, 64, "%s", rc ? e.field : "");
    if (out)
        *out = o;
    else
        json_decref(o);
    json_decref(in);
    return rc;
}

static void test_progress(void **state)
{
    (void)state;
    char f[64];
    json_t *o;
    /* defaults: today, the state unchanged */
    assert_int_equal(progress("{\"note\":\"met the agencies\"}", "open", f, &o), VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(o, "on")), TODAY);
    assert_string_equal(json_string_value(json_object_get(o, "state")), "open");
    json_decref(o);
    assert_int_equal(
        progress("{\"note\":\"n\",\"on\":\"2026-06-01\",\"state\":\"done\"}", "in_progress", f, &o),
        VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(o, "state")), "done");
    assert_string_equal(json_string_value(json_object_get(o, "on")), "2026-06-01");
    json_decref(o);
    assert_int_equal(progress("{\"note\":\"n\",\"on\":\"2026-06-16\"}", "open", f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "on");
    assert_int_equal(progress("{\"on\":\"2026-06-01\"}", "open", f, NULL), VIGIL_EINVAL);
    assert_string_equal(f, "note");
    assert_int_equal(progress("{\"note\":\"\"}", "open", f, NULL), VIGIL_EINVAL);
    assert_string_equal(f, "note");
    assert_int_equal(progress("{\"note\":\"n\",\"state\":\"stalled\"}", "open", f, NULL),
                     VIGIL_EINVAL);
    assert_string_equal(f, "state");
    assert_int_equal(progress("{\"note\":\"n\"}", "done", f, NULL), VIGIL_ECONFLICT);
    assert_int_equal(progress("{\"note\":\"n\",\"state\":\"open\"}", "dropped", f, NULL),
                     VIGIL_ECONFLICT);
}

static int activity(const char *text, char field[64], json_t **out)
{
    json_t *in = J(text), *o = NULL;
    struct verr e;
    int rc = activity_validate(in, TODAY, "DSAL", &o, &e);
    snprintf(field, 64, "%s", rc ? e.field : "");
    if (out)
        *out = o;
    else
        json_decref(o);
    json_decref(in);
    return rc;
}

static void test_activity_counts(void **state)
{
    (void)state;
    assert_true(activity_count_ok("inspection", "sites"));
    assert_true(activity_count_ok("inspection", "workers_reached"));
    assert_false(activity_count_ok("inspection", "people_reached"));
    assert_true(activity_count_ok("training", "officials_trained"));
    assert_false(activity_count_ok("training", "sites"));
    assert_true(activity_count_ok("awareness", "people_reached"));
    assert_false(activity_count_ok("awareness", "officials_trained"));
    assert_false(activity_count_ok("party", "sites"));

    char f[64];
    json_t *o;
    assert_int_equal(activity("{\"kind\":\"inspection\",\"held_on\":\"2026-06-01\",\"sites\":4,"
                              "\"workers_reached\":120}",
                              f, &o),
                     VIGIL_OK);
    assert_string_equal(json_string_value(json_object_get(o, "org")), "DSAL"); /* the default */
    assert_int_equal(json_integer_value(json_object_get(o, "sites")), 4);
    assert_null(json_object_get(o, "people_reached"));
    json_decref(o);
    /* counts of the kind default to 0 */
    assert_int_equal(
        activity("{\"kind\":\"training\",\"held_on\":\"2026-06-01\",\"org\":\"PJ\"}", f, &o),
        VIGIL_OK);
    assert_int_equal(json_integer_value(json_object_get(o, "officials_trained")), 0);
    assert_string_equal(json_string_value(json_object_get(o, "org")), "PJ");
    json_decref(o);
    /* a count of another kind, even 0 */
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"kind\":\"training\",\"held_on\":\"2026-06-01\",\"sites\":3}", "sites"},
        {"{\"kind\":\"awareness\",\"held_on\":\"2026-06-01\",\"officials_trained\":0}",
         "officials_trained"},
        {"{\"kind\":\"inspection\",\"held_on\":\"2026-06-01\",\"people_reached\":10}",
         "people_reached"},
        {"{\"kind\":\"inspection\",\"held_on\":\"2026-06-01\",\"sites\":-1}", "sites"},
        {"{\"kind\":\"inspection\",\"held_on\":\"2026-06-01\",\"sites\":1.5}", "sites"},
        {"{\"kind\":\"inspection\",\"held_on\":\"2026-06-01\",\"sites\":\"3\"}", "sites"},
        {"{\"kind\":\"inspection\",\"held_on\":\"2026-06-16\"}", "held_on"},
        {"{\"kind\":\"inspection\"}", "held_on"},
        {"{\"kind\":\"raid\",\"held_on\":\"2026-06-01\"}", "kind"},
        {"{\"held_on\":\"2026-06-01\"}", "kind"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (activity(bad[i].body, f, NULL) != VIGIL_EINVAL || strcmp(f, bad[i].field) != 0)
            print_error("%s: field '%s'\n", bad[i].body, f);
        assert_int_equal(activity(bad[i].body, f, NULL), VIGIL_EINVAL);
        assert_string_equal(f, bad[i].field);
    }
}

static void test_overdue(void **state)
{
    (void)state;
    assert_true(measure_overdue("open", "2026-06-14", TODAY));
    assert_true(measure_overdue("in_progress", "2025-01-01", TODAY));
    assert_false(measure_overdue("open", TODAY, TODAY)); /* due today is not late yet */
    assert_false(measure_overdue("open", "2026-06-16", TODAY));
    assert_false(measure_overdue("done", "2025-01-01", TODAY));
    assert_false(measure_overdue("dropped", "2025-01-01", TODAY));
    assert_false(measure_overdue(NULL, "2025-01-01", TODAY));
    assert_false(measure_overdue("open", NULL, TODAY));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meeting_fields),
        cmocka_unit_test(test_meeting_transitions),
        cmocka_unit_test(test_meeting_approved_is_read_only),
        cmocka_unit_test(test_measures),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_activity_counts),
        cmocka_unit_test(test_overdue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
