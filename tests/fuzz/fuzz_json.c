/*
 * Fuzzes JSON request bodies: json_loadb with the server's flags, then
 * record_validate against the case, person (each role), note and protection
 * field tables on create and update, and screening_parse. The first input
 * byte picks the table; the rest is the body. Every body that parses is also
 * written back by util/jsontext, which must give json_dumps's bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/case.h"
#include "core/note.h"
#include "core/person.h"
#include "core/protection.h"
#include "core/record.h"
#include "core/screening.h"
#include "util/buf.h"
#include "util/jsontext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct target {
    const struct field *spec;
    unsigned allow;
};

static void check(const struct field *spec, json_t *in, int mode, unsigned allow)
{
    json_t *out = NULL;
    struct verr e;
    memset(&e, 0, sizeof e);
    if (record_validate(spec, in, mode, allow, &out, &e) == 0) {
        if (!json_is_object(out))
            abort();
        /* every key of the result is a declared field the caller may set */
        const char *k;
        json_t *v;
        json_object_foreach(out, k, v)
        {
            const struct field *f = record_field(spec, k);
            if (!f || (f->flags & FF_READONLY))
                abort();
            if ((f->flags & FF_VICTIM) && !(allow & FF_VICTIM))
                abort();
            if ((f->flags & FF_SUSPECT) && !(allow & FF_SUSPECT))
                abort();
        }
        json_decref(out);
    } else if (memchr(e.field, '\0', sizeof e.field) == NULL ||
               memchr(e.msg, '\0', sizeof e.msg) == NULL) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct target targets[] = {
        {case_fields, 0},    {person_fields, FF_VICTIM}, {person_fields, FF_SUSPECT},
        {person_fields, 0},  {note_fields, 0},           {status_fields, 0},
        {service_fields, 0}, {consent_fields, 0},        {legal_fields, 0},
        {event_fields, 0},
    };
    enum { NTARGETS = sizeof targets / sizeof targets[0] };
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    json_error_t je;
    json_t *in = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &je);
    if (!in)
        return 0;
    {
        char *want = json_dumps(in, JSON_COMPACT | JSON_ENCODE_ANY);
        struct buf got;
        buf_init(&got, (size_t)1 << 30);
        int rc = json_text(in, &got);
        /* deeper than JSON_TEXT_DEPTH is refused; anything else is equal */
        if (want && rc == 0 && strcmp(buf_cstr(&got), want) != 0)
            abort();
        buf_free(&got);
        free(want);
    }
    if (sel % (NTARGETS + 1) == NTARGETS) {
        struct screening s;
        struct verr e;
        memset(&e, 0, sizeof e);
        if (screening_parse(in, &s, &e) == 0) {
            int complete;
            enum recommendation r = screening_recommend(&s, &complete);
            if (!recommendation_name(r))
                abort();
        }
    } else {
        const struct target *t = &targets[sel % (NTARGETS + 1)];
        check(t->spec, in, REC_CREATE, t->allow);
        check(t->spec, in, REC_UPDATE, t->allow);
    }
    json_decref(in);
    return 0;
}
