/*
 * pages-session-teams.h: the forms of the editor's teams panel (issue 18):
 * they write a session's teams as PUT /api/v1/sessions/<id>/teams does and
 * render the editor again (422) when a field has a problem.
 */
#ifndef STINT_PAGES_SESSION_TEAMS_H
#define STINT_PAGES_SESSION_TEAMS_H

#include "http.h"

void page_session_teams_save(stint_req *r);  /* POST /sessions/<id>/teams: both sides */
void page_session_teams_copy(stint_req *r);  /* POST /sessions/<id>/teams/copy: a side from a saved team */

#endif
