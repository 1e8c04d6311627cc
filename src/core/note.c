/* Note fields; see note.h. */
#include "core/note.h"

const struct field note_fields[] = {
    {"text", FT_LONGTEXT, FF_REQUIRED, 1, 20000, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL},
};
