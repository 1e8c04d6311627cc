/* Organisations (agencies) and users: roles and their validation. */
#ifndef VIGIL_ORG_H
#define VIGIL_ORG_H

/* 1 when code is a valid organisation code: 2..16 of A-Z, 0-9, '-', '_'. */
int org_code_valid(const char *code);
/* 1 when t is an HTCDS org_Type value name. */
int org_type_valid(const char *t);
/* 1 when u is a valid username: 3..64 of a-z, 0-9, '.', '-', '_'. */
int user_name_valid(const char *u);

#endif
