/*
 * Fuzzes application/x-www-form-urlencoded bodies: form_parse and
 * form_parse_lenient (src/web/form.c), then form_record on the parsed form
 * against the case, person and note tables as the pages use them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/case.h"
#include "core/note.h"
#include "core/person.h"
#include "util/parse.h"
#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every value of a strictly parsed form is valid UTF-8 text. */
static void check_strings(json_t *form)
{
    const char *k;
    json_t *v;
    json_object_foreach(form, k, v)
    {
        size_t n = strlen(k);
        if (n == 0 || n > FORM_MAX_NAME)
            abort();
        if (json_is_string(v)) {
            if (!utf8_valid(json_string_value(v), json_string_length(v)) &&
                json_string_length(v) != 0)
                abort();
        } else if (json_is_array(v)) {
            if (json_array_size(v) > FORM_MAX_VALUES)
                abort();
        } else {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    char why[160];
    json_t *form = NULL;
    if (form_parse(body, size, &form, why, sizeof why) == 0) {
        check_strings(form);
        struct form_errs errs;
        memset(&errs, 0, sizeof errs);
        json_t *c = form_record(form, case_fields, "", 0, &errs);
        json_decref(c);
        memset(&errs, 0, sizeof errs);
        json_t *p = form_record(form, person_fields, "p.", FF_VICTIM | FF_SUSPECT, &errs);
        json_decref(p);
        memset(&errs, 0, sizeof errs);
        json_t *n = form_record(form, note_fields, "", 0, &errs);
        for (size_t i = 0; i < errs.n; i++)
            if (!form_err(&errs, errs.e[i].field))
                abort();
        json_decref(n);
        (void)form_str(form, "csrf");
        json_decref(form);
    } else if (memchr(why, '\0', sizeof why) == NULL) {
        abort();
    }
    form = NULL;
    if (form_parse_lenient(body, size, &form, why, sizeof why) == 0) {
        (void)form_str(form, "body");
        json_decref(form);
    }
    return 0;
}
