/*
 * pages-season.h: the season page (pages-season.c), seed 000's
 * compare_sessions in the browser: pick matches by team and dates or by
 * ticking them, follow a team or a player over time (a table per session
 * and an inline SVG line chart of a chosen figure).
 */
#ifndef STINT_PAGES_SEASON_H
#define STINT_PAGES_SEASON_H

#include "http.h"

/*
 * GET /season: ?team=&from=&to= or ?sessions= (repeated, or comma
 * separated), ?figure= (a key figure of lib/vbstats.h's
 * stint_vbs_key_json), ?follow= (A, B, team, or a player as
 * "team|number|name"). Bad input: the form again with its problems, 422.
 */
void page_season(stint_req *r);

#endif
