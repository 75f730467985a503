/*
 * pages.h: the pages program's parts (as cgit splits its pages into
 * ui-<page>.c files): pages.c holds the route table, main, the dashboard
 * and the helpers below; pages-import.c the .dvw upload form;
 * pages-editor.c the session editor; pages-stats.c its statistics tables
 * (also a fragment of their own); pages-events.c the editor's forms
 * (events, clips); pages-live.c the live view. Only pages.c has an entry
 * point; these declarations are private to the program.
 */
#ifndef STINT_PAGES_H
#define STINT_PAGES_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "db.h"
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

/* A time on the session's timeline as m:ss.s, or h:mm:ss from an hour on. */
void page_clock(double t_sec, char *out, size_t size);

/* An event type's label: the known ones by name, others with spaces for '_'. */
void page_type_label(const char *type, char *out, size_t size);

/*
 * The dashboard with status; extra (consumed, may be NULL) is merged into
 * the template data: "form"/"errors" for the create form sent back,
 * "import"/"import_errors" for the import form.
 */
void page_render_dashboard(stint_req *r, int status, cJSON *extra);

/* POST /sessions/import: a .dvw file (and optional video) from a multipart form. */
void page_import(stint_req *r);

/* The editor's view of the event list: ?who=A|B|A-<n>&type=&offset= (invalid values dropped). */
typedef struct page_view {
	const char *who, *team, *player, *type, *offset;
} page_view;

/* Read the view from l (the page's query, or a form's "view" field parsed). */
void page_view_parse(stint_arena *a, const stint_kvlist *l, page_view *v);

/* "who=...&type=...&offset=..." for v (arena string, "" when all are unset). */
char *page_view_query(stint_arena *a, const page_view *v);

/* What an editor form sent back with problems; the cJSON parts are consumed. */
typedef struct page_problems {
	cJSON *details_form, *details_errors;  /* the Details form */
	cJSON *event_form, *event_errors;      /* the tag form, or the edit form of edit_id */
	cJSON *clip_errors;                    /* the clip form of clip_id */
	const char *edit_id, *clip_id;
} page_problems;

/* Render the editor of session r->params[0] with status (problems may be NULL). */
void page_render_editor(stint_req *r, int status, page_problems *problems);

void page_editor(stint_req *r);        /* GET /sessions/<id> */
void page_stats(stint_req *r);         /* GET /sessions/<id>/stats: the stats tables alone */
void page_event_add(stint_req *r);     /* POST /sessions/<id>/events */
void page_event_edit(stint_req *r);    /* POST /sessions/<id>/events/<event id> */
void page_event_delete(stint_req *r);  /* POST /sessions/<id>/events/<event id>/delete */
void page_clip_edit(stint_req *r);     /* POST /sessions/<id>/clips/<clip id> */
void page_live(stint_req *r);          /* GET /sessions/<id>/live */
void page_board(stint_req *r);         /* GET /sessions/<id>/board: the live view's board alone */
void page_replay(stint_req *r);        /* GET /sessions/<id>/replay: the stored messages at their pace */

/*
 * The stats tables of a session (rollup JSON from ROLLUP_GET, session
 * detail JSON for the names) as template data: types, teams, players,
 * kpi_teams, kpi_players, has_rows. A new object (caller deletes).
 */
cJSON *page_stats_data(const cJSON *rollup, const cJSON *session);

/* The name of team side ("A"/"B") in the session's teams, or "Team A". */
const char *page_team_name(const cJSON *session, const char *side, char *buf, size_t size);

/* The player's name in the session's roster, or "". */
const char *page_player_name(const cJSON *session, const char *side, double number);

#endif
