/*
 * pages-teams.h: teams and rosters in pages (issue 18): the editor's teams
 * panel (both sides of a session: name, short name, colour, the roster
 * rows; a saved team to copy in), shown in the editor as a summary until
 * asked for, and the club's saved teams page, /teams.
 * Rendered by templates/teams-panel.mustache and templates/teams.mustache
 * (a team's fields: templates/teams-form.mustache); the forms write through
 * lib/teams.h as the API does, and a form with problems comes back (422)
 * with what was typed and each problem beside its field.
 */
#ifndef STINT_PAGES_TEAMS_H
#define STINT_PAGES_TEAMS_H

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"

/*
 * Add the editor's teams panel to data as "teams_panel": home and visiting
 * (each a team form: stored values, or form's when it came back with
 * errors, keyed by form field name), the saved teams to copy in. form and
 * errors may be NULL.
 */
stint_db_rc page_teams_panel_data(stint_req *r, cJSON *data, const stint_kvlist *form, const cJSON *errors);

/*
 * Add the editor's teams summary to data as "teams_panel": home and visiting,
 * each {prefix, legend, exists, name_shown ("No team yet" without one),
 * players_text ("12 players", "1 player", "no players"; "" without a team)}.
 * The full panel (page_teams_panel_data) loads when asked for: GET
 * /sessions/<id>/teams (pages-session-teams.h).
 */
stint_db_rc page_teams_summary_data(stint_req *r, cJSON *data);

#define PAGE_TEAM_ROWS_MAX 60   /* roster rows a form is read up to (more than a team may have: 422) */

/*
 * The team the form's fields under prefix describe ("home.name",
 * "home.p3.number", ...), as the API takes it (new object, caller deletes):
 * rows with neither number nor name are left out; rowmap[k] is the form row
 * of players[k]. *blank when nothing was typed at all (no name, no player).
 */
cJSON *page_team_from_form(const stint_kvlist *f, const char *prefix, int rowmap[PAGE_TEAM_ROWS_MAX], int *blank);

/*
 * The API's problems under at ("home"; NULL: all) added to out keyed by form
 * field under prefix: "home.players[3].number" -> "home.p5.number" through
 * rowmap (n players).
 */
void page_team_form_errors(const cJSON *errors, const char *at, const char *prefix, const int *rowmap, int n,
			   cJSON *out);

void page_teams(stint_req *r);               /* GET /teams: the saved teams and their forms */
void page_team_create(stint_req *r);         /* POST /teams */
void page_team_save(stint_req *r);           /* POST /teams/<id> */
void page_team_delete(stint_req *r);         /* POST /teams/<id>/delete */

#endif
