/* The embedded migrations, generated from src/store/migrations/NNN_name.sql. */
#ifndef VIGIL_MIGRATIONS_H
#define VIGIL_MIGRATIONS_H

struct migration {
    int version;
    const char *name;
    const char *sql;
};

/* Ordered by version; ends with a row whose name is NULL. */
extern const struct migration store_migrations[];

#endif
