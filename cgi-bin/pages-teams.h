/*
 * pages-teams.h: teams and rosters in pages (issue 18): the editor's teams
 * panel (both sides of a session: name, short name, colour, the roster
 * rows; a saved team to copy in) and the club's saved teams page, /teams.
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

void page_session_teams_save(stint_req *r);  /* POST /sessions/<id>/teams: both sides */
void page_session_teams_copy(stint_req *r);  /* POST /sessions/<id>/teams/copy: a side from a saved team */
void page_teams(stint_req *r);               /* GET /teams: the saved teams and their forms */
void page_team_create(stint_req *r);         /* POST /teams */
void page_team_save(stint_req *r);           /* POST /teams/<id> */
void page_team_delete(stint_req *r);         /* POST /teams/<id>/delete */

#endif
