/*
 * thresholds.c: a team's load_thresholds row as a stint_thresholds.
 */
#include <stdlib.h>

#include "thresholds.h"

/* Column col of res's first row as a number into *v, when it is there. */
static void num(const PGresult *res, const char *col, double *v)
{
	const char *s = stint_db_cell(res, 0, col);

	if (s != NULL)
		*v = strtod(s, NULL);
}

static void integer(const PGresult *res, const char *col, int *v)
{
	const char *s = stint_db_cell(res, 0, col);

	if (s != NULL)
		*v = (int)strtol(s, NULL, 10);
}

stint_db_rc stint_thresholds_read(stint_db *db, const char *sid, const char *side, stint_thresholds *out,
				  int *from_table)
{
	const char *p[2] = { sid, side };
	PGresult *res = NULL;
	stint_db_rc rc;

	stint_thresholds_default(out);
	*from_table = 0;
	rc = stint_db_exec(db, STINT_SQL_REPORT_THRESHOLDS, 2, p, &res);
	if (rc != STINT_DB_OK || PQntuples(res) == 0) {
		PQclear(res);
		return rc;
	}
	*from_table = 1;
	num(res, "max_speed_mps", &out->max_speed_mps);
	num(res, "gap_s", &out->gap_s);
	integer(res, "sg_window", &out->sg_window);
	integer(res, "sg_order", &out->sg_order);
	num(res, "zone1_mps", &out->zone_mps[0]);
	num(res, "zone2_mps", &out->zone_mps[1]);
	num(res, "zone3_mps", &out->zone_mps[2]);
	num(res, "zone4_mps", &out->zone_mps[3]);
	num(res, "hsr_mps", &out->hsr_mps);
	num(res, "sprint_mps", &out->sprint_mps);
	num(res, "sprint_min_s", &out->sprint_min_s);
	num(res, "accel_mps2", &out->accel_mps2);
	num(res, "effort_min_s", &out->effort_min_s);
	num(res, "hr_rest_bpm", &out->hr_rest_bpm);
	num(res, "hr_max_bpm", &out->hr_max_bpm);
	num(res, "hr_zone1_pct", &out->hr_zone_pct[0]);
	num(res, "hr_zone2_pct", &out->hr_zone_pct[1]);
	num(res, "hr_zone3_pct", &out->hr_zone_pct[2]);
	num(res, "hr_zone4_pct", &out->hr_zone_pct[3]);
	num(res, "trimp_a", &out->trimp_a);
	num(res, "trimp_b", &out->trimp_b);
	integer(res, "wellness_flag_max", &out->wellness_flag_max);
	integer(res, "readiness_flag_max", &out->readiness_flag_max);
	num(res, "sleep_flag_h", &out->sleep_flag_h);
	integer(res, "acute_days", &out->acute_days);
	integer(res, "chronic_days", &out->chronic_days);
	PQclear(res);
	return STINT_DB_OK;
}
