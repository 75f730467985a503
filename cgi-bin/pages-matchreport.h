/*
 * pages-matchreport.h: a volleyball match's one-page report (printable,
 * A4) and the charts of the stats page, from lib/matchreport.h; the form
 * and API that store the report, the charts and the spreadsheet CSVs as
 * the session's artifacts.
 */
#ifndef STINT_PAGES_MATCHREPORT_H
#define STINT_PAGES_MATCHREPORT_H

#include <cjson/cJSON.h>

#include "http.h"

void page_match_report(stint_req *r);        /* GET /sessions/<id>/report */
void page_match_report_store(stint_req *r);  /* POST /sessions/<id>/report: store, then 303 to the stats page */
void api_match_report_store(stint_req *r);   /* POST /api/v1/sessions/<id>/match-report: 201 {"artifacts"} */

/*
 * The stats page's charts part for session sid (team and number: one
 * player's, else the match's): {"charts": [{name, title, svg, file}],
 * "player": {team, number} or absent, "downloads": [artifacts of types
 * match_report, chart, export, newest first], "team_b", "number": the form's values, "can_edit": whether the
 * caller may store}. NULL when the session is
 * gone, has no serve, reception, attack, block, dig or point to chart, or on a database failure (*rc
 * says which).
 */
cJSON *page_match_charts(stint_req *r, const char *sid, char team, const char *number, int *rc);

#endif
