/*
 * pages-session-teams.h: the editor's teams panel on its own and its forms
 * (issue 18). The editor shows a summary of the teams; the full panel is
 * GET /sessions/<id>/teams, a page in the layout (without a script) or, with
 * ?part=panel, the panel alone for static/teams.js to put in the summary's
 * place. The forms write a session's teams as PUT /api/v1/sessions/<id>/teams
 * does and render the editor again, with the full panel (422), when a field
 * has a problem.
 */
#ifndef STINT_PAGES_SESSION_TEAMS_H
#define STINT_PAGES_SESSION_TEAMS_H

#include "http.h"

/*
 * GET /sessions/<id>/teams: templates/session-teams (crumbs, the panel) or,
 * with ?part=panel, templates/teams-panel alone; the forms for the session's
 * editors, the rosters read only for its viewers. 404 when there is no such
 * session.
 */
void page_session_teams(stint_req *r);
void page_session_teams_save(stint_req *r);  /* POST /sessions/<id>/teams: both sides */
void page_session_teams_copy(stint_req *r);  /* POST /sessions/<id>/teams/copy: a side from a saved team */

#endif
