/*
 * What the HTML pages share: the layout (head, header with navigation, the
 * language switcher and the logout form; the footer), the error page, and
 * the translated labels of picklist values. Everything is written through
 * the escaping emitter (web/html.h) into r->html.
 */
#ifndef VIGIL_PAGE_H
#define VIGIL_PAGE_H

#include "web/html.h"
#include "web/http.h"
#include "web/i18n.h"

/* Shorthand: html_printf into the request's page. */
#define P(...) html_printf(&r->html, __VA_ARGS__)

/* The start of a page: <head>, the header and <main>. title is already
 * translated; nav names the active navigation entry ("home", "cases",
 * "new", "users") or is NULL. */
void layout_begin(struct req *r, const char *title, const char *nav);
/* The end of <main>, the footer and the document. */
void layout_end(struct req *r);
/* The language switcher: this page in each other language. */
void layout_langs(struct req *r);
/* The pre-session CSRF token for forms used without a login (the login
 * form, the public forms): the cookie's when well formed, else a new one,
 * set as the CSRF_COOKIE cookie. */
void presession_token(struct req *r, char tok[44]);
/* The error page of the public side, in its layout (page_public.c). */
void public_error(struct req *r, const char *title, const char *msg);
/* A hidden input with the form's CSRF token (the session's). */
void layout_csrf(struct req *r);

/* The translated label of an HTCDS value (its English label through the
 * catalogue), or the value itself when the picklist does not have it. */
const char *label_htcds(struct req *r, const char *field, const char *value);
/* The translated label of one of vigil's own values: category, source,
 * stage, person role, referral state. */
const char *label_value(struct req *r, const char *value);
/* Write an ISO date or timestamp the language's way, escaped. */
void put_date(struct req *r, const char *iso);
/* A table of cases (store_case_list items) with its caption; or the empty
 * text when there are none. */
void case_table(struct req *r, json_t *items, const char *caption, const char *empty);
/* The audit entries of a case (case_id > 0: its own and its persons',
 * notes' and referrals') or of the whole log (entries after `after`), at
 * most limit of them, newest first, as a card with a table (page_audit.c). */
void audit_section(struct req *r, int64_t case_id, int64_t after, size_t limit);
/* The victim protection and legal track sections of the case page
 * (page_protection.c), each by its read action, audited as one read (unless
 * audited says protection_timeline already wrote the entry). */
void protection_sections(struct req *r, int audited);
/* The protection and legal items of the case that the role may read, for the
 * page's timeline: an array of {"at","what" (translated),"detail"}, after the
 * read's audit entry (*audited set); NULL when there are none to show. */
json_t *protection_timeline(struct req *r, int *audited);
/* The charts of the trends of stats_compute()'s answer (page_stats.c),
 * each as an inline SVG <figure>, in the request's language. */
void put_trend_charts(struct req *r, json_t *stats);
/* The tier chart of the TIP reports (a store_tipreport_list array, newest
 * first) as an inline SVG figure (page_tipreports.c). */
void put_tier_chart(struct req *r, json_t *reports);
/* A table of measures (store_measure_list items), overdue ones marked with
 * the row class "overdue" and a label; or the empty text (page_committee.c). */
void measure_table(struct req *r, json_t *items, const char *empty);
/* Run an API handler for a page and take its JSON answer (the status reset
 * for the page); NULL when it failed, r then carrying the error (layout.c). */
json_t *page_api(struct req *r, int (*fn)(struct req *));
/* Run an API handler with body (a JSON object) in place of the page's form,
 * which is put back after; the handler's return (layout.c). */
int page_call(struct req *r, int (*fn)(struct req *), json_t *body);
/* Redirect (303 See Other) to a local path. */
int page_redirect(struct req *r, const char *path);

#endif
