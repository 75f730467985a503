/*
 * loadmetrics.h: the physical load of one track (lib/wearable.h) within a
 * time window, as the team report shows it (issue 12; ARCHITECTURE.md,
 * "Report builder"). Pure computation: no database, no files.
 *
 * Definitions and their sources (also printed in the report's footnotes):
 *   - Speed: the device's own speed where a sample has one; else from the
 *     device's cumulative distance; else from positions: great-circle
 *     distance (haversine, mean Earth radius 6,371,008.8 m, IUGG) for
 *     lat/lon, Euclidean metres for x/y (tracking formats), divided by the
 *     time since the previous sample. A speed above max_speed_mps (12 m/s)
 *     is a glitch and set missing; then Savitzky-Golay smoothing (window 7,
 *     order 1) over each stretch without gaps, as LaurieOnTracking's
 *     Metrica_Velocities.py does (Savitzky & Golay, Anal. Chem. 1964,
 *     36:1627); stretches shorter than the window are left as measured
 *     (as floodlight does), and the ends of a stretch are fitted on its
 *     first or last window (scipy's savgol_filter mode "interp").
 *   - Each interval between two samples (0 < dt <= gap_s, 30 s: watches'
 *     "smart recording" leaves 10-20 s between points) counts with the
 *     later sample's smoothed speed: distance += v * dt, or the device's
 *     own distance increment when both samples have one (a unit's
 *     cumulative distance is its best measure). A longer pause is not
 *     counted (the unit was off or the player left the window). When the
 *     window holds the track's first sample and the device's cumulative
 *     distance there is above 0, that distance (covered between the unit's
 *     start and its first record, e.g. 6.95 m in garmin-edge-820-bike.fit)
 *     counts too, in the zone of the first speed and with no time, if one
 *     interval could carry it (<= max_speed_mps x gap_s, 360 m): so a whole
 *     FIT file's distance is the device's own total, its last `distance`.
 *   - Speed zones: < 2, 2-4, 4-5.5, 5.5-7, >= 7 m/s (LaurieOnTracking's
 *     walk/jog/run/sprint bands with the football cut-offs of 19.8 and
 *     25.2 km/h, Pimenta et al.); high-speed running >= 5.5 m/s; a sprint is
 *     a stretch at >= 7 m/s held >= 1 s (LaurieOnTracking). Gualtieri et al.
 *     (Front. Sports Act. Living 2023, doi 10.3389/fspor.2023.1116293) find
 *     no consensus, so every value is a per-team setting.
 *   - Accelerations and decelerations: a = dv/dt of the smoothed speed; an
 *     effort is a stretch with a >= 3 m/s^2 (or <= -3) held >= effort_min_s
 *     (0.5 s), counted once.
 *   - PlayerLoad: sum over consecutive samples of
 *     sqrt(dax^2 + day^2 + daz^2) / 100 with the axes in g (Boyd, Ball &
 *     Aughey, IJSPP 2011, 6:311; Catapult), at the file's own sampling rate;
 *     Nicolella et al. measured Catapult's output ~15 % below this manual
 *     computation.
 *   - Heart rate: time in zones of % of HRmax (< 60, 60-70, 70-80, 80-90,
 *     >= 90); Banister TRIMP = minutes x dHR x a x e^(b x dHR),
 *     dHR = (HRavg - HRrest) / (HRmax - HRrest), a = 0.64 and b = 1.92 for
 *     men, 0.86 and 1.67 for women (Banister 1991; Morton, Fitz-Clarke &
 *     Banister, J Appl Physiol 1990, 69:1171), HRavg time-weighted.
 */
#ifndef STINT_LOADMETRICS_H
#define STINT_LOADMETRICS_H

#include <stddef.h>

#include "wearable-sample.h"

#define STINT_SPEED_ZONES 5
#define STINT_HR_ZONES 5

/* Every threshold of the load metrics and the survey flags (a load_thresholds row). */
typedef struct stint_thresholds {
	double max_speed_mps;                     /* above: a glitch, dropped (12) */
	double gap_s;                             /* a longer interval is a pause, not counted (30) */
	int sg_window;                            /* Savitzky-Golay window, odd, 1 (none)..51 (7) */
	int sg_order;                             /* its polynomial order, < window, <= 5 (1) */
	double zone_mps[STINT_SPEED_ZONES - 1];   /* zone bounds, increasing (2, 4, 5.5, 7) */
	double hsr_mps;                           /* high-speed running from (5.5) */
	double sprint_mps;                        /* sprint from (7) */
	double sprint_min_s;                      /* held at least (1) */
	double accel_mps2;                        /* acceleration effort from |a| (3) */
	double effort_min_s;                      /* held at least (0.5) */
	double hr_rest_bpm, hr_max_bpm;           /* for zones and TRIMP (60, 190) */
	double hr_zone_pct[STINT_HR_ZONES - 1];   /* zone bounds in % of HRmax (60, 70, 80, 90) */
	double trimp_a, trimp_b;                  /* Banister's factors (0.64, 1.92: men) */
	int wellness_flag_max;                    /* a 1-5 item (1 worst) at or below is flagged (2) */
	int readiness_flag_max;                   /* readiness 0-10 at or below is flagged (3) */
	double sleep_flag_h;                      /* sleep under this is flagged (6) */
	int acute_days, chronic_days;             /* ACWR windows (7, 28) */
} stint_thresholds;

/* The literature defaults above into *t (the same as migration 0016's default row). */
void stint_thresholds_default(stint_thresholds *t);

/* 0 when t's values are usable (zones increasing, window odd, ...), else -1. */
int stint_thresholds_check(const stint_thresholds *t);

/* What one track gave. Sums count only intervals with a speed (or heart rate, for hr_*). */
typedef struct stint_load {
	size_t samples;                           /* in the window */
	size_t dropped;                           /* speeds above max_speed_mps */
	double duration_s;                        /* counted intervals (0 < dt <= gap_s) */
	int has_speed, has_accel, has_hr;         /* what the data allowed */
	double distance_m;
	double max_speed_mps;
	double zone_distance_m[STINT_SPEED_ZONES];
	double zone_time_s[STINT_SPEED_ZONES];
	double hsr_distance_m;
	double sprint_distance_m;
	int sprints;
	int accelerations, decelerations;
	double player_load;                       /* arbitrary units */
	double hr_avg_bpm, hr_max_bpm;            /* time-weighted mean; NAN without heart rate */
	double hr_zone_time_s[STINT_HR_ZONES];
	double hr_time_s;                         /* intervals with heart rate */
	double trimp;                             /* Banister; NAN without heart rate */
} stint_load;

/*
 * Optional per-bin output for the speed-over-time chart: bins of bin_s
 * seconds from the window's start; dist_m[i] and time_s[i] (caller's
 * arrays of nbins, zeroed here) receive the distance and counted time of
 * the intervals ending in bin i (mean speed = dist_m / time_s).
 */
typedef struct stint_load_series {
	double bin_s;
	size_t nbins;
	double *dist_m;
	double *time_s;
} stint_load_series;

/*
 * The load of the samples s[0..n) (time order) whose t_s lies in
 * [from_s, to_s) (seconds since the epoch; -INFINITY / INFINITY for no
 * bound), with thresholds th, into *out; series may be NULL. Returns 0, or
 * -1 when th fails stint_thresholds_check() or memory runs out (*out zeroed).
 * Uses two arrays of n doubles while it runs.
 */
int stint_load_compute(const stint_sample *s, size_t n, double from_s, double to_s, const stint_thresholds *th,
		       stint_load *out, stint_load_series *series);

/* Great-circle distance in metres between two WGS 84 points (haversine, mean radius 6,371,008.8 m). */
double stint_haversine_m(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg);

/*
 * Banister TRIMP for minutes at mean heart rate hr_avg (bpm) with th's rest,
 * max and factors: minutes x dHR x a x e^(b x dHR). NAN when HRmax <= HRrest.
 */
double stint_trimp_banister(double minutes, double hr_avg, const stint_thresholds *th);

/*
 * Savitzky-Golay smoothing of y[0..n) into out[0..n) (may not alias), window
 * w (odd) and order p (< w, <= 5): each point is the least-squares
 * polynomial of its window evaluated there; the first and last w/2 points
 * use the first or last window. n < w copies y. Returns 0, or -1 for a bad
 * w or p.
 */
int stint_savgol(const double *y, size_t n, int w, int p, double *out);

/*
 * Acute:chronic workload ratios of daily loads load[0..ndays) (arbitrary
 * units, e.g. sRPE), load[ndays - 1] the day of the session, days without
 * training 0. Rolling ("coupled": the chronic window includes the acute
 * one): (sum of the last acute days / acute) / (sum of the last chronic days
 * / chronic). EWMA (Williams et al., BJSM 2017, 51:209):
 * EWMA_d = lambda x load_d + (1 - lambda) x EWMA_(d-1), lambda = 2 / (N + 1)
 * with N = acute and chronic, started at load[0]; the ratio of the two on
 * the last day. NAN when ndays < chronic or the chronic figure is 0.
 */
double stint_acwr_rolling(const double *load, size_t ndays, int acute, int chronic);
double stint_acwr_ewma(const double *load, size_t ndays, int acute, int chronic);

#endif
