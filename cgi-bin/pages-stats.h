/*
 * pages-stats.h: a session's statistics tables (pages-stats.c), a page of
 * their own and a part of the editor.
 */
#ifndef STINT_PAGES_STATS_H
#define STINT_PAGES_STATS_H

#include <cjson/cJSON.h>

#include "http.h"

/*
 * The stats tables of a session (rollup JSON from ROLLUP_GET, session
 * detail JSON for the names) as template data: types, teams, players,
 * kpi_teams, kpi_players, has_rows. A new object (caller deletes).
 */
cJSON *page_stats_data(const cJSON *rollup, const cJSON *session);

void page_stats(stint_req *r);  /* GET /sessions/<id>/stats: the stats tables alone */

#endif
