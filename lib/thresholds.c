/*
 * thresholds.c: a team's load_thresholds row as a stint_thresholds, and
 * the rows as users list, set and delete them (issue 12).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
				  int *from_table, char *team, size_t teamsize)
{
	const char *p[2] = { sid, side }, *name;
	PGresult *res = NULL;
	stint_db_rc rc;

	stint_thresholds_default(out);
	*from_table = 0;
	if (teamsize > 0)
		team[0] = '\0';
	rc = stint_db_exec(db, STINT_SQL_REPORT_THRESHOLDS, 2, p, &res);
	if (rc != STINT_DB_OK || PQntuples(res) == 0) {
		PQclear(res);
		return rc;
	}
	*from_table = 1;
	if (teamsize > 0 && (name = stint_db_cell(res, 0, "team")) != NULL)
		snprintf(team, teamsize, "%s", name);
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

/* ---- the settings ---------------------------------------------------------- */

#define SPEED_ZONES "Speed zones: LaurieOnTracking's bands with the football cut-offs of 19.8 and 25.2 km/h (Pimenta et al.)"
#define HR_ZONES "Heart-rate zones in % of HRmax (Banister 1991; Morton, Fitz-Clarke & Banister 1990)"
#define SG "Savitzky-Golay smoothing as LaurieOnTracking's Metrica_Velocities.py (Savitzky & Golay, Anal. Chem. 1964)"

const stint_threshold_field stint_threshold_fields[] = {
	{ "max_speed_mps", "Glitch speed: faster samples are dropped", "m/s", 0, 50, 1, 0, 12,
	  "LaurieOnTracking's maximum speed of 12 m/s" },
	{ "gap_s", "Longest interval counted (a longer one is a pause)", "s", 0, 3600, 1, 0, 30,
	  "watches' smart recording leaves 10-20 s between points" },
	{ "sg_window", "Smoothing window (odd; 1 = none)", "samples", 1, 51, 0, 1, 7, SG },
	{ "sg_order", "Smoothing polynomial order (below the window)", "", 0, 5, 0, 1, 1, SG },
	{ "zone1_mps", "Speed zone 1 from (walking below)", "m/s", 0, 20, 1, 0, 2, SPEED_ZONES },
	{ "zone2_mps", "Speed zone 2 from", "m/s", 0, 20, 1, 0, 4, SPEED_ZONES },
	{ "zone3_mps", "Speed zone 3 from", "m/s", 0, 20, 1, 0, 5.5, SPEED_ZONES },
	{ "zone4_mps", "Speed zone 4 from (sprinting)", "m/s", 0, 20, 1, 0, 7, SPEED_ZONES },
	{ "hsr_mps", "High-speed running from", "m/s", 0, 20, 1, 0, 5.5,
	  "19.8 km/h (Pimenta et al.; no consensus: Gualtieri et al. 2023)" },
	{ "sprint_mps", "Sprint from", "m/s", 0, 20, 1, 0, 7,
	  "25.2 km/h (LaurieOnTracking; Pimenta et al.; Gualtieri et al. 2023)" },
	{ "sprint_min_s", "A sprint is held at least", "s", 0, 60, 0, 0, 1, "LaurieOnTracking" },
	{ "accel_mps2", "Acceleration effort from |a|", "m/s²", 0, 20, 1, 0, 3,
	  "no consensus (Gualtieri et al. 2023): a per-team setting" },
	{ "effort_min_s", "An acceleration effort is held at least", "s", 0, 60, 0, 0, 0.5,
	  "no consensus (Gualtieri et al. 2023): a per-team setting" },
	{ "hr_rest_bpm", "Resting heart rate", "bpm", 0, 250, 1, 0, 60, "Banister TRIMP (Banister 1991)" },
	{ "hr_max_bpm", "Maximum heart rate (above the resting one)", "bpm", 0, 250, 1, 0, 190,
	  "Banister TRIMP (Banister 1991)" },
	{ "hr_zone1_pct", "Heart-rate zone 1 from", "% of HRmax", 0, 100, 1, 0, 60, HR_ZONES },
	{ "hr_zone2_pct", "Heart-rate zone 2 from", "% of HRmax", 0, 100, 1, 0, 70, HR_ZONES },
	{ "hr_zone3_pct", "Heart-rate zone 3 from", "% of HRmax", 0, 100, 1, 0, 80, HR_ZONES },
	{ "hr_zone4_pct", "Heart-rate zone 4 from", "% of HRmax", 0, 100, 1, 0, 90, HR_ZONES },
	{ "trimp_a", "TRIMP factor a", "", 0, 10, 1, 0, 0.64,
	  "0.64 men, 0.86 women (Morton, Fitz-Clarke & Banister, J Appl Physiol 1990)" },
	{ "trimp_b", "TRIMP factor b", "", 0, 10, 1, 0, 1.92,
	  "1.92 men, 1.67 women (Morton, Fitz-Clarke & Banister, J Appl Physiol 1990)" },
	{ "wellness_flag_max", "Flag a wellness item (1-5, 1 worst) at or below", "points", 0, 5, 0, 1, 2,
	  "the PMSys questionnaire, as in PMData (Thambawita et al., MMSys 2020)" },
	{ "readiness_flag_max", "Flag readiness (0-10) at or below", "points", 0, 10, 0, 1, 3,
	  "the PMSys questionnaire, as in PMData (Thambawita et al., MMSys 2020)" },
	{ "sleep_flag_h", "Flag sleep shorter than", "h", 0, 24, 0, 0, 6, "the PMSys questionnaire, as in PMData (Thambawita et al., MMSys 2020)" },
	{ "acute_days", "Acute window of the workload ratio", "days", 1, 365, 0, 1, 7,
	  "7:28 days (Williams et al., BJSM 2017)" },
	{ "chronic_days", "Chronic window (longer than the acute one)", "days", 2, 730, 0, 1, 28,
	  "7:28 days (Williams et al., BJSM 2017)" },
};
const size_t stint_threshold_nfields = sizeof(stint_threshold_fields) / sizeof(stint_threshold_fields[0]);

int stint_thresholds_date_ok(const char *s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	char tail;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	return 0;
}

/* Add problem msg for field name to *errors (the first one a field gets is kept). */
static void problem(cJSON **errors, const char *name, const char *msg)
{
	if (*errors == NULL)
		*errors = cJSON_CreateObject();
	if (*errors != NULL && !cJSON_HasObjectItem(*errors, name))
		cJSON_AddStringToObject(*errors, name, msg);
}

static const stint_threshold_field *field_named(const char *name)
{
	for (size_t i = 0; i < stint_threshold_nfields; i++)
		if (strcmp(stint_threshold_fields[i].name, name) == 0)
			return &stint_threshold_fields[i];
	return NULL;
}

/* The range of f as a problem: "must be a number of m/s above 0 and at most 20". */
static void range_problem(const stint_threshold_field *f, char *out, size_t n)
{
	snprintf(out, n, "must be %s%s%s %s %g and at most %g", f->integer ? "an integer" : "a number",
		 f->unit[0] != '\0' ? " of " : "", f->unit, f->min_open ? "above" : "from", f->min, f->max);
}

/* v of field name in row (complete), or NAN. */
static double val(const cJSON *row, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, name);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* 0 when both values are there and lo's is not below hi's, else 1. */
static int below(const cJSON *row, const char *lo, const char *hi)
{
	double a = val(row, lo), b = val(row, hi);

	return !isfinite(a) || !isfinite(b) || a < b;
}

/*
 * The checks across fields (the table's CHECK constraints and stint_thresholds_check); a pair
 * whose value had a problem of its own (missing from row) is not compared.
 */
static void check_order(const cJSON *row, cJSON **errors)
{
	static const char *const zones[] = { "zone1_mps", "zone2_mps", "zone3_mps", "zone4_mps" };
	static const char *const hr[] = { "hr_zone1_pct", "hr_zone2_pct", "hr_zone3_pct", "hr_zone4_pct" };
	char msg[80];

	for (int i = 1; i < 4; i++) {
		if (!below(row, zones[i - 1], zones[i])) {
			snprintf(msg, sizeof(msg), "must be above %s (zones increase)", zones[i - 1]);
			problem(errors, zones[i], msg);
		}
		if (!below(row, hr[i - 1], hr[i])) {
			snprintf(msg, sizeof(msg), "must be above %s (zones increase)", hr[i - 1]);
			problem(errors, hr[i], msg);
		}
	}
	if (!below(row, "hr_rest_bpm", "hr_max_bpm"))
		problem(errors, "hr_max_bpm", "must be above hr_rest_bpm");
	if (!below(row, "acute_days", "chronic_days"))
		problem(errors, "chronic_days", "must be longer than acute_days");
	if (isfinite(val(row, "sg_window")) && fmod(val(row, "sg_window"), 2) != 1)
		problem(errors, "sg_window", "must be odd");
	if (val(row, "sg_window") > 1 && !below(row, "sg_order", "sg_window"))
		problem(errors, "sg_order", "must be below sg_window");
}

int stint_thresholds_validate(const cJSON *obj, cJSON **row, cJSON **errors)
{
	const cJSON *team, *from, *item;
	cJSON *out;
	char msg[120];
	int before = *errors != NULL ? cJSON_GetArraySize(*errors) : 0;

	*row = NULL;
	if (!cJSON_IsObject(obj)) {
		problem(errors, "(body)", "must be a JSON object");
		return 1;
	}
	out = cJSON_CreateObject();
	if (out == NULL)
		return -1;
	team = cJSON_GetObjectItemCaseSensitive(obj, "team");
	from = cJSON_GetObjectItemCaseSensitive(obj, "valid_from");
	if (team == NULL || !cJSON_IsString(team) || strlen(team->valuestring) > 200 ||
	    strchr(team->valuestring, '\n') != NULL)
		problem(errors, "team", "must be a team's name (one line) of at most 200 characters, or \"\" for every team");
	else
		cJSON_AddStringToObject(out, "team", team->valuestring);
	if (from == NULL || !cJSON_IsString(from) || stint_thresholds_date_ok(from->valuestring) != 0)
		problem(errors, "valid_from", "must be a date YYYY-MM-DD from 1900");
	else
		cJSON_AddStringToObject(out, "valid_from", from->valuestring);
	cJSON_ArrayForEach(item, obj) {
		if (strcmp(item->string, "team") != 0 && strcmp(item->string, "valid_from") != 0 &&
		    strcmp(item->string, "updated_at") != 0 && field_named(item->string) == NULL)
			problem(errors, item->string, "is not a threshold");
	}
	for (size_t i = 0; i < stint_threshold_nfields; i++) {
		const stint_threshold_field *f = &stint_threshold_fields[i];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, f->name);
		double d = f->def;

		if (v != NULL) {
			d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
			if (!isfinite(d) || (f->integer && d != floor(d)) || d > f->max ||
			    (f->min_open ? !(d > f->min) : !(d >= f->min))) {
				range_problem(f, msg, sizeof(msg));
				problem(errors, f->name, msg);
				continue;
			}
		}
		cJSON_AddNumberToObject(out, f->name, d);
	}
	check_order(out, errors);
	if (*errors != NULL && cJSON_GetArraySize(*errors) > before) {
		cJSON_Delete(out);
		return cJSON_GetArraySize(*errors) - before;
	}
	*row = out;
	return 0;
}

stint_db_rc stint_thresholds_list(stint_db *db, char **json)
{
	return stint_db_text(db, STINT_SQL_THRESHOLDS_LIST, 0, NULL, json);
}

stint_db_rc stint_thresholds_put(stint_tx *tx, const cJSON *row, char **json, int *created)
{
	char *text = cJSON_PrintUnformatted(row);
	const char *p[1] = { text };
	PGresult *res = NULL;
	const char *j, *c;
	char id[240];

	*json = NULL;
	*created = 0;
	if (text == NULL) {
		stint_tx_fail(tx, STINT_DB_ERROR);
		return tx->rc;
	}
	if (stint_tx_exec(tx, STINT_SQL_THRESHOLDS_PUT, 1, p, &res) == STINT_DB_OK && PQntuples(res) == 1) {
		j = stint_db_cell(res, 0, "j");
		c = stint_db_cell(res, 0, "created");
		*created = c != NULL && c[0] == 't';
		snprintf(id, sizeof(id), "%s@%s", cJSON_GetObjectItemCaseSensitive(row, "team")->valuestring,
			 cJSON_GetObjectItemCaseSensitive(row, "valid_from")->valuestring);
		if (j == NULL || (*json = strdup(j)) == NULL)
			stint_tx_fail(tx, STINT_DB_ERROR);
		else
			stint_tx_audit(tx, "thresholds.set", "thresholds", id, *json);
	}
	PQclear(res);
	cJSON_free(text);
	if (tx->rc != STINT_DB_OK) {
		free(*json);
		*json = NULL;
	}
	return tx->rc;
}

stint_db_rc stint_thresholds_delete(stint_tx *tx, const char *team, const char *valid_from, int *found)
{
	const char *p[2] = { team, valid_from };
	char *json = NULL;
	char id[240];

	*found = 0;
	if (stint_tx_text(tx, STINT_SQL_THRESHOLDS_DELETE, 2, p, &json) == STINT_DB_OK && json != NULL) {
		*found = 1;
		snprintf(id, sizeof(id), "%s@%s", team, valid_from);
		stint_tx_audit(tx, "thresholds.delete", "thresholds", id, json);
	}
	free(json);
	return tx->rc;
}

const char *stint_thresholds_refusal(int rc, const char *constraint, const char **problem)
{
	static const struct {
		const char *constraint, *field, *problem;
	} map[] = {
		/* the table's CHECKs on more than one column, named in the order of migration 0016 */
		{ "load_thresholds_check", "sg_order", "must be 0 to 5 and below sg_window" },
		{ "load_thresholds_check1", "zone2_mps", "speed zones must increase: zone1_mps < zone2_mps < zone3_mps < zone4_mps" },
		{ "load_thresholds_check2", "hr_zone2_pct", "heart-rate zones must increase" },
		{ "load_thresholds_check3", "hr_max_bpm", "must be above hr_rest_bpm" },
		{ "load_thresholds_check4", "chronic_days", "must be longer than acute_days" },
		{ "load_thresholds_sg_window_check", "sg_window", "must be odd, 1 to 51" },
	};
	static const char prefix[] = "load_thresholds_";
	const stint_threshold_field *f;
	char field[64];
	size_t n;

	if (rc != STINT_DB_INVALID || constraint == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(constraint, map[i].constraint) == 0) {
			*problem = map[i].problem;
			return map[i].field;
		}
	/* load_thresholds_<column>_check */
	n = strlen(constraint);
	if (strncmp(constraint, prefix, sizeof(prefix) - 1) == 0 && n > sizeof(prefix) - 1 + 6 &&
	    strcmp(constraint + n - 6, "_check") == 0 && n - 6 - (sizeof(prefix) - 1) < sizeof(field)) {
		snprintf(field, sizeof(field), "%.*s", (int)(n - 6 - (sizeof(prefix) - 1)), constraint + sizeof(prefix) - 1);
		f = field_named(field);
		if (f != NULL || strcmp(field, "team") == 0) {
			*problem = "is out of its range";
			return f != NULL ? f->name : "team";
		}
	}
	return NULL;
}
