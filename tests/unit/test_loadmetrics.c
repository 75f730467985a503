/*
 * test_loadmetrics.c: the load metrics (lib/loadmetrics.c) on synthetic
 * tracks whose answers are worked out by hand in each test's comment.
 * Smoothing is off (sg_window 1) where the hand computation needs the raw
 * speeds, and on where it must leave a steady speed as it is. Then real
 * files through the parsers (lib/wearable.h) from $STINT_DATA_DIR/gps:
 * test.tcx's distance within 1 % of 4686.3 m (python-tcxparser's own
 * tests); without STINT_DATA_DIR that one is not run. And the settings'
 * validator (lib/thresholds.c): its defaults are stint_thresholds_default()'s
 * and a row it accepts passes stint_thresholds_check() (else a stored row
 * would stop the team's reports).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "loadmetrics.h"
#include "thresholds.h"
#include "wearable.h"

/* n empty samples (every quantity NAN) at rate_hz from t0 (heap). */
static stint_sample *track(size_t n, double t0, double rate_hz)
{
	stint_sample *s = calloc(n, sizeof(*s));
	size_t i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++) {
		s[i].t_s = t0 + (double)i / rate_hz;
		s[i].lat_deg = s[i].lon_deg = s[i].x_m = s[i].y_m = NAN;
		s[i].speed_mps = s[i].distance_m = NAN;
		s[i].ax_g = s[i].ay_g = s[i].az_g = s[i].hr_bpm = NAN;
	}
	return s;
}

static stint_thresholds raw_thresholds(void)
{
	stint_thresholds th;

	stint_thresholds_default(&th);
	th.sg_window = 1;
	return th;
}

/*
 * Device speed 5 m/s at 1 Hz, t = 0..60 s (61 samples): 60 intervals of
 * 1 s x 5 m/s = 300 m, all 60 s in zone 3 (4-5.5 m/s); max 5 m/s; below
 * HSR (5.5), no sprint; a steady speed has a = 0: no effort. Smoothing
 * (defaults: window 7, order 1) leaves a constant as it is.
 */
START_TEST(test_steady_device_speed)
{
	stint_sample *s = track(61, 1000, 1);
	stint_thresholds th;
	stint_load l;
	size_t i;

	stint_thresholds_default(&th);
	for (i = 0; i < 61; i++)
		s[i].speed_mps = 5;
	ck_assert_int_eq(stint_load_compute(s, 61, -INFINITY, INFINITY, &th, &l, NULL), 0);
	ck_assert_uint_eq(l.samples, 61);
	ck_assert(l.has_speed && !l.has_accel && !l.has_hr);
	ck_assert_double_eq_tol(l.distance_m, 300, 1e-9);
	ck_assert_double_eq_tol(l.duration_s, 60, 1e-9);
	ck_assert_double_eq_tol(l.max_speed_mps, 5, 1e-9);
	ck_assert_double_eq_tol(l.zone_distance_m[2], 300, 1e-9);
	ck_assert_double_eq_tol(l.zone_time_s[2], 60, 1e-9);
	ck_assert_double_eq_tol(l.zone_time_s[0] + l.zone_time_s[1] + l.zone_time_s[3] + l.zone_time_s[4], 0, 1e-9);
	ck_assert_double_eq_tol(l.hsr_distance_m, 0, 1e-9);
	ck_assert_int_eq(l.sprints, 0);
	ck_assert_int_eq(l.accelerations + l.decelerations, 0);
	ck_assert(isnan(l.trimp) && isnan(l.hr_avg_bpm));
	free(s);
}
END_TEST

/*
 * The window: the same track, window [1010, 1040): samples t = 1010..1039
 * (30 samples), 29 counted intervals (the first sample has no interval in
 * the window) -> 145 m.
 */
START_TEST(test_window)
{
	stint_sample *s = track(61, 1000, 1);
	stint_thresholds th = raw_thresholds();
	stint_load l;
	size_t i;

	for (i = 0; i < 61; i++)
		s[i].speed_mps = 5;
	ck_assert_int_eq(stint_load_compute(s, 61, 1010, 1040, &th, &l, NULL), 0);
	ck_assert_uint_eq(l.samples, 30);
	ck_assert_double_eq_tol(l.distance_m, 145, 1e-9);
	ck_assert_int_eq(stint_load_compute(s, 61, 2000, 3000, &th, &l, NULL), 0);
	ck_assert_uint_eq(l.samples, 0);
	ck_assert(!l.has_speed);
	free(s);
}
END_TEST

/*
 * Positions on a meridian, 0.00005 degrees of latitude a second at 1 Hz
 * for 60 s: haversine along a meridian is R x dlat (rad) =
 * 6371008.8 x 0.00005 x pi / 180 = 5.559754 m a second -> 5.559754 m/s,
 * zone 4 (5.5-7) and HSR; 60 s -> 333.585 m.
 */
START_TEST(test_latlon_speed)
{
	stint_sample *s = track(61, 0, 1);
	stint_thresholds th;
	stint_load l;
	const double step = 6371008.8 * 0.00005 * M_PI / 180;
	size_t i;

	stint_thresholds_default(&th);
	for (i = 0; i < 61; i++) {
		s[i].lat_deg = 46.0 + 0.00005 * (double)i;
		s[i].lon_deg = 14.5;
	}
	ck_assert_double_eq_tol(step, 5.559754, 1e-6);
	ck_assert_int_eq(stint_load_compute(s, 61, -INFINITY, INFINITY, &th, &l, NULL), 0);
	ck_assert_double_eq_tol(l.distance_m, 60 * step, 1e-6);
	ck_assert_double_eq_tol(l.zone_distance_m[3], 60 * step, 1e-6);
	ck_assert_double_eq_tol(l.hsr_distance_m, 60 * step, 1e-6);
	ck_assert_double_eq_tol(l.max_speed_mps, step, 1e-6);
	free(s);
}
END_TEST

/*
 * x/y metres at 10 Hz, 1 m/s along x for 10 s (101 samples), sample 50
 * moved 50 m aside (a glitch): the intervals into and out of it are
 * hypot(0.1, 50) / 0.1 ~ 500 m/s > 12 m/s, both dropped; the 98 others
 * count 0.1 m each -> 9.8 m, 9.8 s, zone 0 (< 2 m/s), max 1 m/s.
 */
START_TEST(test_glitch_dropped)
{
	stint_sample *s = track(101, 0, 10);
	stint_thresholds th = raw_thresholds();
	stint_load l;
	size_t i;

	for (i = 0; i < 101; i++) {
		s[i].x_m = 0.1 * (double)i;
		s[i].y_m = i == 50 ? 50 : 0;
	}
	ck_assert_int_eq(stint_load_compute(s, 101, -INFINITY, INFINITY, &th, &l, NULL), 0);
	ck_assert_uint_eq(l.dropped, 2);
	ck_assert_double_eq_tol(l.distance_m, 9.8, 1e-9);
	ck_assert_double_eq_tol(l.zone_time_s[0], 9.8, 1e-9);
	ck_assert_double_eq_tol(l.max_speed_mps, 1, 1e-9);
	free(s);
}
END_TEST

/*
 * Sprints at 10 Hz, unsmoothed device speed: samples 1..5 at 8 m/s
 * (0.5 s, too short), 6..20 at 3 m/s, 21..35 at 8 m/s (1.5 s: a sprint,
 * 15 x 0.1 x 8 = 12 m), then 3 m/s to sample 50. Distance:
 * 20 intervals x 0.8 m + 30 x 0.3 m = 16 + 9 = 25 m; HSR and zone 4
 * (>= 7) = 16 m; max 8. Accelerations: each step 3 -> 8 m/s in one 0.1 s
 * interval is a = 50 m/s^2 for 0.1 s < effort_min_s (0.5): none.
 */
START_TEST(test_sprints)
{
	stint_sample *s = track(51, 0, 10);
	stint_thresholds th = raw_thresholds();
	stint_load l;
	size_t i;

	for (i = 0; i < 51; i++)
		s[i].speed_mps = (i >= 1 && i <= 5) || (i >= 21 && i <= 35) ? 8 : 3;
	ck_assert_int_eq(stint_load_compute(s, 51, -INFINITY, INFINITY, &th, &l, NULL), 0);
	ck_assert_int_eq(l.sprints, 1);
	ck_assert_double_eq_tol(l.sprint_distance_m, 12, 1e-9);
	ck_assert_double_eq_tol(l.distance_m, 25, 1e-9);
	ck_assert_double_eq_tol(l.hsr_distance_m, 16, 1e-9);
	ck_assert_double_eq_tol(l.zone_distance_m[4], 16, 1e-9);
	ck_assert_double_eq_tol(l.zone_distance_m[1], 9, 1e-9);
	ck_assert_int_eq(l.accelerations + l.decelerations, 0);
	free(s);
}
END_TEST

/*
 * Efforts at 10 Hz: speed 0, then +0.4 m/s each 0.1 s (a = 4 m/s^2) for
 * 1 s (samples 1..10, to 4 m/s), steady 4 m/s to sample 30, then -0.4 m/s
 * each 0.1 s for 0.4 s (a = -4 for 0.4 s < 0.5 s: no deceleration), steady
 * 2.4 m/s to sample 40, then -0.4 each 0.1 s for 0.6 s (to 0: one
 * deceleration). One acceleration, one deceleration.
 */
START_TEST(test_efforts)
{
	stint_sample *s = track(51, 0, 10);
	stint_thresholds th = raw_thresholds();
	stint_load l;
	size_t i;

	for (i = 0; i < 51; i++) {
		double v = i <= 10 ? 0.4 * (double)i : 4;

		if (i > 30)
			v = 4 - 0.4 * (double)(i < 34 ? i - 30 : 4);
		if (i > 40)
			v = 2.4 - 0.4 * (double)(i < 46 ? i - 40 : 6);
		s[i].speed_mps = v;
	}
	ck_assert_double_eq_tol(s[34].speed_mps, 2.4, 1e-9);
	ck_assert_double_eq_tol(s[50].speed_mps, 0, 1e-9);
	ck_assert_int_eq(stint_load_compute(s, 51, -INFINITY, INFINITY, &th, &l, NULL), 0);
	ck_assert_int_eq(l.accelerations, 1);
	ck_assert_int_eq(l.decelerations, 1);
	free(s);
}
END_TEST

/*
 * PlayerLoad: ax alternates 0, 1, 0, 1 g (ay = az = 0) over 101 samples
 * at 100 Hz: 100 changes of 1 g -> sqrt(1) each -> 100 / 100 = 1.0 AU.
 */
START_TEST(test_player_load)
{
	stint_sample *s = track(101, 0, 100);
	stint_thresholds th;
	stint_load l;
	size_t i;

	stint_thresholds_default(&th);
	for (i = 0; i < 101; i++) {
		s[i].ax_g = (double)(i % 2);
		s[i].ay_g = s[i].az_g = 0;
	}
	ck_assert_int_eq(stint_load_compute(s, 101, -INFINITY, INFINITY, &th, &l, NULL), 0);
	ck_assert(l.has_accel && !l.has_speed);
	ck_assert_double_eq_tol(l.player_load, 1.0, 1e-9);
	ck_assert_double_eq_tol(l.distance_m, 0, 1e-9);
	free(s);
}
END_TEST

/*
 * Banister TRIMP, REFERENCES.md's worked example: 45 min at HR 150, rest
 * 60, max 190, men: dHR = 90 / 130 = 0.692308; 0.64 x e^(1.92 x 0.692308)
 * = 0.64 x 3.77800 = 2.41792; x 0.692308 x 45 = 75.33 (the reference
 * rounds to 75.36). As a track: HR 150 at 1 Hz for 45 min (2701 samples),
 * 150 / 190 = 78.9 % of HRmax: all 2700 s in zone 70-80 (index 2).
 */
START_TEST(test_trimp)
{
	stint_sample *s = track(2701, 0, 1);
	stint_thresholds th;
	stint_load l;
	size_t i;

	stint_thresholds_default(&th);
	ck_assert_double_eq_tol(stint_trimp_banister(45, 150, &th), 75.33, 0.01);
	for (i = 0; i < 2701; i++)
		s[i].hr_bpm = 150;
	ck_assert_int_eq(stint_load_compute(s, 2701, -INFINITY, INFINITY, &th, &l, NULL), 0);
	ck_assert(l.has_hr && !l.has_speed);
	ck_assert_double_eq_tol(l.hr_avg_bpm, 150, 1e-9);
	ck_assert_double_eq_tol(l.hr_max_bpm, 150, 1e-9);
	ck_assert_double_eq_tol(l.hr_zone_time_s[2], 2700, 1e-9);
	ck_assert_double_eq_tol(l.trimp, 75.33, 0.01);
	free(s);
}
END_TEST

/*
 * Savitzky-Golay: order 1 over a window of 5 is the moving mean of 5
 * (weights 1/5); order 2, window 5 has the classic centre weights
 * (-3, 12, 17, 12, -3) / 35 (Savitzky & Golay 1964, table I). A line is
 * kept exactly by any order >= 1, ends included.
 */
START_TEST(test_savgol)
{
	const double y[7] = { 0, 0, 35, 0, 0, 0, 0 };
	double out[7], line[9], lout[9];
	size_t i;

	ck_assert_int_eq(stint_savgol(y, 7, 5, 1, out), 0);
	ck_assert_double_eq_tol(out[2], 7, 1e-9);
	ck_assert_double_eq_tol(out[4], 7, 1e-9);
	ck_assert_double_eq_tol(out[5], 0, 1e-9);
	ck_assert_int_eq(stint_savgol(y, 7, 5, 2, out), 0);
	ck_assert_double_eq_tol(out[2], 17, 1e-9);
	ck_assert_double_eq_tol(out[3], 12, 1e-9);
	ck_assert_double_eq_tol(out[4], -3, 1e-9);
	for (i = 0; i < 9; i++)
		line[i] = 2 + 3 * (double)i;
	ck_assert_int_eq(stint_savgol(line, 9, 7, 1, lout), 0);
	for (i = 0; i < 9; i++)
		ck_assert_double_eq_tol(lout[i], line[i], 1e-9);
	ck_assert_int_eq(stint_savgol(y, 7, 4, 1, out), -1);
	ck_assert_int_eq(stint_savgol(y, 7, 5, 5, out), -1);
}
END_TEST

/* Thresholds: the defaults pass; zones out of order, an even window, HRmax <= HRrest fail. */
START_TEST(test_thresholds_check)
{
	stint_thresholds th;

	stint_thresholds_default(&th);
	ck_assert_int_eq(stint_thresholds_check(&th), 0);
	th.zone_mps[2] = 3;
	ck_assert_int_eq(stint_thresholds_check(&th), -1);
	stint_thresholds_default(&th);
	th.sg_window = 6;
	ck_assert_int_eq(stint_thresholds_check(&th), -1);
	stint_thresholds_default(&th);
	th.hr_max_bpm = 50;
	ck_assert_int_eq(stint_thresholds_check(&th), -1);
}
END_TEST

/* The value of field name in a validated row. */
static double row_val(const cJSON *row, const char *name)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(row, name));
}

/* A validated row as the report reads it (as stint_thresholds_read does). */
static void row_thresholds(const cJSON *row, stint_thresholds *t)
{
	static const char *const z[] = { "zone1_mps", "zone2_mps", "zone3_mps", "zone4_mps" };
	static const char *const h[] = { "hr_zone1_pct", "hr_zone2_pct", "hr_zone3_pct", "hr_zone4_pct" };

	t->max_speed_mps = row_val(row, "max_speed_mps");
	t->gap_s = row_val(row, "gap_s");
	t->sg_window = (int)row_val(row, "sg_window");
	t->sg_order = (int)row_val(row, "sg_order");
	for (int i = 0; i < 4; i++) {
		t->zone_mps[i] = row_val(row, z[i]);
		t->hr_zone_pct[i] = row_val(row, h[i]);
	}
	t->hsr_mps = row_val(row, "hsr_mps");
	t->sprint_mps = row_val(row, "sprint_mps");
	t->sprint_min_s = row_val(row, "sprint_min_s");
	t->accel_mps2 = row_val(row, "accel_mps2");
	t->effort_min_s = row_val(row, "effort_min_s");
	t->hr_rest_bpm = row_val(row, "hr_rest_bpm");
	t->hr_max_bpm = row_val(row, "hr_max_bpm");
	t->trimp_a = row_val(row, "trimp_a");
	t->trimp_b = row_val(row, "trimp_b");
	t->wellness_flag_max = (int)row_val(row, "wellness_flag_max");
	t->readiness_flag_max = (int)row_val(row, "readiness_flag_max");
	t->sleep_flag_h = row_val(row, "sleep_flag_h");
	t->acute_days = (int)row_val(row, "acute_days");
	t->chronic_days = (int)row_val(row, "chronic_days");
}

/*
 * The settings' validator: the defaults of its table are the literature
 * defaults; each field at its bounds and just outside them, alone: every
 * accepted row passes stint_thresholds_check(), every refused one names
 * the field (or the one it must stay below or above); dates.
 */
START_TEST(test_thresholds_validate)
{
	const double nudge[] = { 0, 1e-9, -1e-9 };
	stint_thresholds def, got;
	cJSON *in, *row = NULL, *errors = NULL;
	int accepted = 0, refused = 0;

	stint_thresholds_default(&def);
	in = cJSON_Parse("{\"team\": \"\", \"valid_from\": \"2026-08-01\"}");
	ck_assert_int_eq(stint_thresholds_validate(in, &row, &errors), 0);
	row_thresholds(row, &got);
#define SAME(m) ck_assert_msg(got.m == def.m, #m)
	SAME(max_speed_mps); SAME(gap_s); SAME(sg_window); SAME(sg_order); SAME(hsr_mps); SAME(sprint_mps);
	SAME(sprint_min_s); SAME(accel_mps2); SAME(effort_min_s); SAME(hr_rest_bpm); SAME(hr_max_bpm);
	SAME(trimp_a); SAME(trimp_b); SAME(wellness_flag_max); SAME(readiness_flag_max); SAME(sleep_flag_h);
	SAME(acute_days); SAME(chronic_days);
	for (int i = 0; i < 4; i++) {
		SAME(zone_mps[i]);
		SAME(hr_zone_pct[i]);
	}
#undef SAME
	cJSON_Delete(row);
	for (size_t i = 0; i < stint_threshold_nfields; i++) {
		const stint_threshold_field *f = &stint_threshold_fields[i];
		const double at[] = { f->min, f->max, f->def };

		for (size_t a = 0; a < 3; a++)
			for (size_t n = 0; n < 3; n++) {
				double v = at[a] + (f->integer ? (n == 0 ? 0 : nudge[n] > 0 ? 1 : -1) : nudge[n]);

				cJSON_DeleteItemFromObject(in, f->name);
				cJSON_AddNumberToObject(in, f->name, v);
				row = NULL;
				errors = NULL;
				if (stint_thresholds_validate(in, &row, &errors) == 0) {
					row_thresholds(row, &got);
					ck_assert_msg(stint_thresholds_check(&got) == 0, "%s = %g accepted, unusable", f->name, v);
					accepted++;
				} else {
					ck_assert_ptr_null(row);
					ck_assert_ptr_nonnull(errors);
					ck_assert_int_ge(cJSON_GetArraySize(errors), 1);
					refused++;
				}
				cJSON_Delete(row);
				cJSON_Delete(errors);
			}
		cJSON_DeleteItemFromObject(in, f->name);
	}
	ck_assert_int_gt(accepted, 26);
	ck_assert_int_gt(refused, 26);
	cJSON_Delete(in);

	ck_assert_int_eq(stint_thresholds_date_ok("2028-02-29"), 0);
	ck_assert_int_eq(stint_thresholds_date_ok("2026-02-29"), -1);
	ck_assert_int_eq(stint_thresholds_date_ok("1900-02-29"), -1);
	ck_assert_int_eq(stint_thresholds_date_ok("2026-8-01"), -1);
	ck_assert_int_eq(stint_thresholds_date_ok("2026-08-01x"), -1);
	ck_assert_int_eq(stint_thresholds_date_ok(NULL), -1);
}
END_TEST

/* The CHECK constraints of migration 0016 as fields. */
START_TEST(test_thresholds_refusal)
{
	const char *problem = NULL;

	ck_assert_str_eq(stint_thresholds_refusal(STINT_DB_INVALID, "load_thresholds_check1", &problem), "zone2_mps");
	ck_assert_str_eq(stint_thresholds_refusal(STINT_DB_INVALID, "load_thresholds_check4", &problem), "chronic_days");
	ck_assert_str_eq(stint_thresholds_refusal(STINT_DB_INVALID, "load_thresholds_trimp_a_check", &problem), "trimp_a");
	ck_assert_str_eq(stint_thresholds_refusal(STINT_DB_INVALID, "load_thresholds_team_check", &problem), "team");
	ck_assert_ptr_null(stint_thresholds_refusal(STINT_DB_INVALID, "load_thresholds_colour_check", &problem));
	ck_assert_ptr_null(stint_thresholds_refusal(STINT_DB_CONFLICT, "load_thresholds_check1", &problem));
	ck_assert_ptr_null(stint_thresholds_refusal(STINT_DB_INVALID, "participants_check", &problem));
}
END_TEST

/*
 * The speed-over-time series: the steady 5 m/s track in bins of 10 s from
 * t0: intervals ending at t0+1..t0+9 fall in bin 0 (45 m, 9 s), each of
 * bins 1..5 gets 10 intervals (50 m), bin 6 the last one (t0+60: 5 m).
 */
START_TEST(test_series)
{
	stint_sample *s = track(61, 1000, 1);
	stint_thresholds th;
	stint_load l;
	double dist[7], tim[7];
	stint_load_series ser = { 10, 7, dist, tim };
	size_t i;

	stint_thresholds_default(&th);
	for (i = 0; i < 61; i++)
		s[i].speed_mps = 5;
	ck_assert_int_eq(stint_load_compute(s, 61, 1000, INFINITY, &th, &l, &ser), 0);
	ck_assert_double_eq_tol(dist[0], 45, 1e-9);
	ck_assert_double_eq_tol(tim[0], 9, 1e-9);
	for (i = 1; i <= 5; i++)
		ck_assert_double_eq_tol(dist[i], 50, 1e-9);
	ck_assert_double_eq_tol(dist[6], 5, 1e-9);
	free(s);
}
END_TEST

/* The load of the one track of file (of format) in $STINT_DATA_DIR/gps with the default thresholds. */
static stint_load file_load(const char *file, const char *format)
{
	char path[4096], err[512];
	stint_wearable_format f;
	stint_tracks t = { 0 };
	stint_thresholds th;
	stint_load l;

	snprintf(path, sizeof(path), "%s/gps/%s", getenv("STINT_DATA_DIR"), file);
	ck_assert_int_eq(stint_wearable_format_parse(format, &f), 0);
	ck_assert_msg(stint_wearable_parse_file(path, f, &t, err, sizeof(err)) == 0, "%s: %s", file, err);
	ck_assert_uint_eq(t.n, 1);
	stint_thresholds_default(&th);
	ck_assert_int_eq(stint_load_compute(t.tracks[0].samples, t.tracks[0].n, -INFINITY, INFINITY, &th, &l, NULL), 0);
	stint_tracks_free(&t);
	return l;
}

/* test.tcx: distance 4686.31 m, heart rate 60..189 (python-tcxparser's tests). */
START_TEST(test_tcx_file)
{
	stint_load l = file_load("test.tcx", "tcx");

	ck_assert_msg(fabs(l.distance_m - 4686.3) / 4686.3 < 0.01, "distance %.1f", l.distance_m);
	ck_assert(l.has_hr && l.hr_max_bpm <= 189 && l.trimp > 0);
	ck_assert_uint_eq(l.dropped, 0);
}
END_TEST

/*
 * The device's own distance: speed 5 m/s at 1 Hz for 60 s while the unit's
 * cumulative distance grows 4.9 m a second: the distance is the unit's,
 * 60 x 4.9 = 294 m, in the zone of its speed (4-5.5).
 */
START_TEST(test_device_distance)
{
	stint_sample *s = track(61, 0, 1);
	stint_thresholds th;
	stint_load l;
	size_t i;

	stint_thresholds_default(&th);
	for (i = 0; i < 61; i++) {
		s[i].speed_mps = 5;
		s[i].distance_m = 4.9 * (double)i;
	}
	ck_assert_int_eq(stint_load_compute(s, 61, -INFINITY, INFINITY, &th, &l, NULL), 0);
	ck_assert_double_eq_tol(l.distance_m, 294, 1e-9);
	ck_assert_double_eq_tol(l.zone_distance_m[2], 294, 1e-9);
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("loadmetrics");
	TCase *tc = tcase_create("synthetic");

	tcase_add_test(tc, test_steady_device_speed);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_latlon_speed);
	tcase_add_test(tc, test_glitch_dropped);
	tcase_add_test(tc, test_sprints);
	tcase_add_test(tc, test_efforts);
	tcase_add_test(tc, test_player_load);
	tcase_add_test(tc, test_trimp);
	tcase_add_test(tc, test_savgol);
	tcase_add_test(tc, test_thresholds_check);
	tcase_add_test(tc, test_thresholds_validate);
	tcase_add_test(tc, test_thresholds_refusal);
	tcase_add_test(tc, test_series);
	tcase_add_test(tc, test_device_distance);
	suite_add_tcase(s, tc);
	if (getenv("STINT_DATA_DIR") == NULL || *getenv("STINT_DATA_DIR") == '\0') {
		fprintf(stderr, "STINT_DATA_DIR is not set: the real files are not read\n");
	} else {
		tc = tcase_create("files");
		tcase_set_timeout(tc, 30);
		tcase_add_test(tc, test_tcx_file);
		suite_add_tcase(s, tc);
	}
	return stint_check_run(s);
}
