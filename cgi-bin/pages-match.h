/*
 * pages-match.h: the editor's match state (pages-match.c): the score, set,
 * server and rotations now, each event row's set, score before it and
 * server, and the starting line-up form.
 */
#ifndef STINT_PAGES_MATCH_H
#define STINT_PAGES_MATCH_H

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"

/*
 * For a match session: data's "match" (the state now, the stored line-ups,
 * the form's values) and an "ms" object on each of the page's events
 * (items, the API's event JSON) with set, a, b (score before) and serving.
 * Nothing for other kinds.
 */
stint_db_rc page_match_data(stint_req *r, cJSON *data, const cJSON *session, cJSON *items);

void page_lineup_save(stint_req *r);   /* POST /sessions/<id>/lineups */
void page_rules_save(stint_req *r);    /* POST /sessions/<id>/rules */

#endif
