/*
 * pages-shared.h: what the parts of the pages program share (as cgit's
 * ui-shared.h): labels, options, dates, flashes, redirects, the editor's
 * event-list view, team and player names. The parts (pages-<page>.c) use
 * it; it uses none of them.
 */
#ifndef STINT_PAGES_SHARED_H
#define STINT_PAGES_SHARED_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "http.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A value a form or a table shows with a label. */
typedef struct page_choice {
	const char *value, *label;
} page_choice;

/* [{value, label, selected}] for a <select>, marking current. */
cJSON *page_options(const page_choice *c, size_t n, const char *current);

/* The label of value in c, or value itself when it is not listed. */
const char *page_label(const page_choice *c, size_t n, const char *value);

/* The <select> options of a session's kind and status, marking current. */
cJSON *page_kind_options(const char *current);
cJSON *page_status_options(const char *current);

/* Adds kind_label, status_label and display dates to a session object. */
void page_decorate_session(cJSON *s);

/* Adds "flash" (the message of ?flash=key) to data when key is known. */
void page_add_flash(stint_req *r, cJSON *data);

/*
 * 303 to /sessions/<id>[suffix]?flash=flash[&view][#anchor]; view is a
 * query string the server built (page_view_query), or NULL.
 */
void page_redirect_session(stint_req *r, const char *id, const char *suffix, const char *flash,
			   const char *view, const char *anchor);

/*
 * 1 when the request asks for part of a page (?part=name): the fragment a
 * page's script swaps in, rather than the whole page in the layout.
 */
int page_part(stint_req *r, const char *name);

/* A time on the session's timeline as m:ss.s, or h:mm:ss from an hour on. */
void page_clock(double t_sec, char *out, size_t size);

/* An RFC 3339 time as pages show it (stint_time_show) into out; "" when it is not one. */
void page_time_text(const char *rfc3339, char *out, size_t size);

/*
 * An event type's label in the session's sport (labels.h: the sport's
 * table, then the generic one, else the name with spaces for '_'); NULL
 * session: generic.
 */
void page_type_label(const cJSON *session, const char *type, char *out, size_t size);

/*
 * The editor's view of the event list: ?who=A|B|A-<n>&type=&offset= and the
 * volleyball detail (issue 19): set (1-7), rot (the acting team's rotation,
 * 1-6), phase (serve|reception|transition), skill_type (a DataVolley type
 * letter), combo (a combination or setter call), from_zone and to_zone (1-9).
 * Invalid values are dropped.
 */
typedef struct page_view {
	const char *who, *team, *player, *type, *offset;
	const char *set, *rot, *phase, *skill_type, *combo, *from_zone, *to_zone;
} page_view;

/* 1 when v filters by any volleyball detail (set ... to_zone). */
int page_view_detail(const page_view *v);

/* Read the view from l (the page's query, or a form's "view" field parsed). */
void page_view_parse(stint_arena *a, const stint_kvlist *l, page_view *v);

/* "who=...&type=...&offset=..." for v (arena string, "" when all are unset). */
char *page_view_query(stint_arena *a, const page_view *v);

/* The name of team side ("A"/"B") in the session's teams, or "Team A". */
const char *page_team_name(const cJSON *session, const char *side, char *buf, size_t size);

/*
 * The name of the player with shirt number (text, "00" is not "0") in team
 * side's roster of the session, or "" (also when side or number is NULL).
 */
const char *page_player_name(const cJSON *session, const char *side, const char *number);

#endif
