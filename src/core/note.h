/* Notes: free text on a case. Searchable, so never the place for identities. */
#ifndef VIGIL_NOTE_H
#define VIGIL_NOTE_H

#include "core/record.h"

extern const struct field note_fields[];

#endif
