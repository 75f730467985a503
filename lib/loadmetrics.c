/*
 * loadmetrics.c: the load of one track within a window. The definitions and
 * their sources are in loadmetrics.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "loadmetrics.h"

#define EARTH_RADIUS_M 6371008.8   /* mean radius, IUGG */
#define SG_MAX_WINDOW 51
#define SG_MAX_ORDER 5

void stint_thresholds_default(stint_thresholds *t)
{
	static const stint_thresholds d = {
		.max_speed_mps = 12, .gap_s = 30, .sg_window = 7, .sg_order = 1,
		.zone_mps = { 2, 4, 5.5, 7 }, .hsr_mps = 5.5, .sprint_mps = 7, .sprint_min_s = 1,
		.accel_mps2 = 3, .effort_min_s = 0.5, .hr_rest_bpm = 60, .hr_max_bpm = 190,
		.hr_zone_pct = { 60, 70, 80, 90 }, .trimp_a = 0.64, .trimp_b = 1.92,
		.wellness_flag_max = 2, .readiness_flag_max = 3, .sleep_flag_h = 6,
		.acute_days = 7, .chronic_days = 28,
	};

	*t = d;
}

int stint_thresholds_check(const stint_thresholds *t)
{
	int i;

	if (!(t->max_speed_mps > 0) || !(t->gap_s > 0) || t->sg_window < 1 || t->sg_window > SG_MAX_WINDOW ||
	    t->sg_window % 2 == 0 || t->sg_order < 0 || t->sg_order > SG_MAX_ORDER ||
	    (t->sg_window > 1 && t->sg_order >= t->sg_window) || !(t->sprint_min_s >= 0) ||
	    !(t->accel_mps2 > 0) || !(t->effort_min_s >= 0) || !(t->hr_max_bpm > t->hr_rest_bpm) ||
	    t->acute_days < 1 || t->chronic_days <= t->acute_days)
		return -1;
	for (i = 0; i < STINT_SPEED_ZONES - 1; i++)
		if (!(t->zone_mps[i] > 0) || (i > 0 && !(t->zone_mps[i] > t->zone_mps[i - 1])))
			return -1;
	for (i = 0; i < STINT_HR_ZONES - 1; i++)
		if (!(t->hr_zone_pct[i] > 0) || (i > 0 && !(t->hr_zone_pct[i] > t->hr_zone_pct[i - 1])))
			return -1;
	return 0;
}

double stint_haversine_m(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg)
{
	const double rad = M_PI / 180.0;
	double dlat = (lat2_deg - lat1_deg) * rad, dlon = (lon2_deg - lon1_deg) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1_deg * rad) * cos(lat2_deg * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * EARTH_RADIUS_M * asin(sqrt(h < 1 ? h : 1));
}

double stint_trimp_banister(double minutes, double hr_avg, const stint_thresholds *th)
{
	double dhr;

	if (!(th->hr_max_bpm > th->hr_rest_bpm))
		return NAN;
	dhr = (hr_avg - th->hr_rest_bpm) / (th->hr_max_bpm - th->hr_rest_bpm);
	if (dhr < 0)
		dhr = 0;
	return minutes * dhr * th->trimp_a * exp(th->trimp_b * dhr);
}

/* Invert the (m x m) matrix a in place (Gauss-Jordan with partial pivoting). 0, or -1 when singular. */
static int invert(double a[SG_MAX_ORDER + 1][SG_MAX_ORDER + 1], int m)
{
	double inv[SG_MAX_ORDER + 1][SG_MAX_ORDER + 1] = { { 0 } };
	int i, j, k, piv;

	for (i = 0; i < m; i++)
		inv[i][i] = 1;
	for (k = 0; k < m; k++) {
		piv = k;
		for (i = k + 1; i < m; i++)
			if (fabs(a[i][k]) > fabs(a[piv][k]))
				piv = i;
		if (fabs(a[piv][k]) < 1e-12)
			return -1;
		for (j = 0; j < m; j++) {
			double t = a[k][j];

			a[k][j] = a[piv][j], a[piv][j] = t;
			t = inv[k][j], inv[k][j] = inv[piv][j], inv[piv][j] = t;
		}
		for (i = 0; i < m; i++) {
			double f = a[i][k] / a[k][k];

			if (i == k)
				continue;
			for (j = 0; j < m; j++) {
				a[i][j] -= f * a[k][j];
				inv[i][j] -= f * inv[k][j];
			}
		}
	}
	for (i = 0; i < m; i++) {
		double d = a[i][i];

		for (j = 0; j < m; j++)
			a[i][j] = inv[i][j] / d;
	}
	return 0;
}

/*
 * The Savitzky-Golay weights c[k][j] (k, j in 0..w): the least-squares
 * polynomial of order p through the window's points j, evaluated at point
 * k, is sum_j c[k][j] y[j]. c = E (A'A)^-1 A' with A[j][m] = (j - h)^m.
 */
static int savgol_weights(int w, int p, double *c)
{
	double ata[SG_MAX_ORDER + 1][SG_MAX_ORDER + 1] = { { 0 } };
	int h = w / 2, j, k, m, l;

	for (m = 0; m <= p; m++)
		for (l = 0; l <= p; l++)
			for (j = -h; j <= h; j++)
				ata[m][l] += pow(j, m + l);
	if (invert(ata, p + 1) != 0)
		return -1;
	for (k = -h; k <= h; k++)
		for (j = -h; j <= h; j++) {
			double s = 0;

			for (m = 0; m <= p; m++)
				for (l = 0; l <= p; l++)
					s += pow(k, m) * ata[m][l] * pow(j, l);
			c[(k + h) * w + (j + h)] = s;
		}
	return 0;
}

int stint_savgol(const double *y, size_t n, int w, int p, double *out)
{
	double c[SG_MAX_WINDOW * SG_MAX_WINDOW];
	size_t i, base;
	int h = w / 2, j, k;

	if (w < 1 || w > SG_MAX_WINDOW || w % 2 == 0 || p < 0 || p > SG_MAX_ORDER || (w > 1 && p >= w))
		return -1;
	if (n < (size_t)w || w == 1) {
		memmove(out, y, n * sizeof(*y));
		return 0;
	}
	if (savgol_weights(w, p, c) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		double s = 0;

		if (i < (size_t)h)
			base = 0, k = (int)i;                       /* the first window, point i */
		else if (i + (size_t)h >= n)
			base = n - (size_t)w, k = (int)(i - base);  /* the last window */
		else
			base = i - (size_t)h, k = h;
		for (j = 0; j < w; j++)
			s += c[k * w + j] * y[base + (size_t)j];
		out[i] = s;
	}
	return 0;
}

/* Raw speed at sample i (m/s) from the device, its distance or the positions; NAN when unknown. */
static double raw_speed(const stint_sample *s, size_t i, size_t first)
{
	const stint_sample *a, *b = &s[i];
	double dt;

	if (!isnan(b->speed_mps))
		return b->speed_mps;
	if (i == first)
		return NAN;
	a = &s[i - 1];
	dt = b->t_s - a->t_s;
	if (!(dt > 0))
		return NAN;
	if (!isnan(a->distance_m) && !isnan(b->distance_m))
		return fabs(b->distance_m - a->distance_m) / dt;
	if (!isnan(a->lat_deg) && !isnan(a->lon_deg) && !isnan(b->lat_deg) && !isnan(b->lon_deg))
		return stint_haversine_m(a->lat_deg, a->lon_deg, b->lat_deg, b->lon_deg) / dt;
	if (!isnan(a->x_m) && !isnan(a->y_m) && !isnan(b->x_m) && !isnan(b->y_m))
		return hypot(b->x_m - a->x_m, b->y_m - a->y_m) / dt;
	return NAN;
}

/* Smooth v[first..end) into sm, stretch by stretch of finite values. */
static int smooth(const double *v, double *sm, size_t first, size_t end, const stint_thresholds *th)
{
	size_t i = first, j;

	while (i < end) {
		if (isnan(v[i])) {
			sm[i++] = NAN;
			continue;
		}
		for (j = i; j < end && !isnan(v[j]); j++)
			;
		if (stint_savgol(v + i, j - i, th->sg_window, th->sg_order, sm + i) != 0)
			return -1;
		for (; i < j; i++)
			if (sm[i] < 0)
				sm[i] = 0;
	}
	return 0;
}

static int zone_of(double x, const double *bounds, int nzones)
{
	int z = 0;

	while (z < nzones - 1 && x >= bounds[z])
		z++;
	return z;
}

/* A stretch above a threshold (sprint, acceleration, deceleration) in progress. */
typedef struct stretch {
	double time_s, dist_m;
	int on;
} stretch;

/* Feed one interval: in (above the threshold) or not; returns 1 when a stretch of >= min_s just ended. */
static int stretch_step(stretch *st, int in, double dt, double dist, double min_s)
{
	int done = 0;

	if (in) {
		st->on = 1;
		st->time_s += dt;
		st->dist_m += dist;
		return 0;
	}
	if (st->on && st->time_s >= min_s - 1e-9)
		done = 1;
	st->on = 0;
	st->time_s = 0;
	if (!done)
		st->dist_m = 0;
	return done;
}

/* Speed metrics over the counted intervals, from the smoothed speeds sm. */
static void speed_metrics(const stint_sample *s, const double *sm, size_t first, size_t end, double from_s,
			  const stint_thresholds *th, stint_load *out, stint_load_series *series)
{
	stretch sprint = { 0, 0, 0 }, acc = { 0, 0, 0 }, dec = { 0, 0, 0 };
	size_t i;

	for (i = first; i < end; i++) {
		double dt = i > first ? s[i].t_s - s[i - 1].t_s : 0, v = sm[i], a = NAN, d;
		int ok = i > first && dt > 0 && dt <= th->gap_s && !isnan(v);
		/* the track's first sample: what the device counted from its start to there (see loadmetrics.h) */
		int lead = i == 0 && !isnan(v) && isfinite(s[0].distance_m) && s[0].distance_m > 0 &&
			   s[0].distance_m <= th->max_speed_mps * th->gap_s;
		int z;

		if (!isnan(v)) {
			out->has_speed = 1;
			if (v > out->max_speed_mps)
				out->max_speed_mps = v;
		}
		if (ok && !isnan(sm[i - 1]))
			a = (v - sm[i - 1]) / dt;
		d = ok ? v * dt : 0;
		if (ok && !isnan(s[i].distance_m) && !isnan(s[i - 1].distance_m) && s[i].distance_m >= s[i - 1].distance_m)
			d = s[i].distance_m - s[i - 1].distance_m;   /* the device's own measure */
		if (lead)
			d = s[0].distance_m;
		if (stretch_step(&sprint, ok && v >= th->sprint_mps, dt, d, th->sprint_min_s)) {
			out->sprints++;
			out->sprint_distance_m += sprint.dist_m;
			sprint.dist_m = 0;
		}
		out->accelerations += stretch_step(&acc, !isnan(a) && a >= th->accel_mps2, dt, 0, th->effort_min_s);
		out->decelerations += stretch_step(&dec, !isnan(a) && a <= -th->accel_mps2, dt, 0, th->effort_min_s);
		if (!ok && !lead)
			continue;
		z = zone_of(v, th->zone_mps, STINT_SPEED_ZONES);
		out->duration_s += dt;
		out->distance_m += d;
		out->zone_distance_m[z] += d;
		out->zone_time_s[z] += dt;
		if (v >= th->hsr_mps)
			out->hsr_distance_m += d;
		if (series != NULL && series->bin_s > 0 && isfinite(from_s) && s[i].t_s >= from_s) {
			size_t b = (size_t)((s[i].t_s - from_s) / series->bin_s);

			if (b < series->nbins) {
				series->dist_m[b] += d;
				series->time_s[b] += dt;
			}
		}
	}
	if (stretch_step(&sprint, 0, 0, 0, th->sprint_min_s)) {
		out->sprints++;
		out->sprint_distance_m += sprint.dist_m;
	}
	out->accelerations += stretch_step(&acc, 0, 0, 0, th->effort_min_s);
	out->decelerations += stretch_step(&dec, 0, 0, 0, th->effort_min_s);
}

/* PlayerLoad and the heart-rate metrics. */
static void body_metrics(const stint_sample *s, size_t first, size_t end, const stint_thresholds *th,
			 stint_load *out)
{
	double hr_sum = 0;
	size_t i;

	for (i = first; i < end; i++) {
		const stint_sample *a = i > first ? &s[i - 1] : NULL, *b = &s[i];
		double dt = a != NULL ? b->t_s - a->t_s : 0;
		int ok = a != NULL && dt > 0 && dt <= th->gap_s;

		if (!isnan(b->ax_g) && !isnan(b->ay_g) && !isnan(b->az_g)) {
			out->has_accel = 1;
			if (ok && !isnan(a->ax_g) && !isnan(a->ay_g) && !isnan(a->az_g)) {
				double dx = b->ax_g - a->ax_g, dy = b->ay_g - a->ay_g, dz = b->az_g - a->az_g;

				out->player_load += sqrt(dx * dx + dy * dy + dz * dz) / 100.0;
			}
		}
		if (isnan(b->hr_bpm))
			continue;
		out->has_hr = 1;
		if (isnan(out->hr_max_bpm) || b->hr_bpm > out->hr_max_bpm)
			out->hr_max_bpm = b->hr_bpm;
		if (ok) {
			double pct = 100.0 * b->hr_bpm / th->hr_max_bpm;

			out->hr_zone_time_s[zone_of(pct, th->hr_zone_pct, STINT_HR_ZONES)] += dt;
			out->hr_time_s += dt;
			hr_sum += b->hr_bpm * dt;
		}
	}
	if (out->hr_time_s > 0) {
		out->hr_avg_bpm = hr_sum / out->hr_time_s;
		out->trimp = stint_trimp_banister(out->hr_time_s / 60.0, out->hr_avg_bpm, th);
	}
}

int stint_load_compute(const stint_sample *s, size_t n, double from_s, double to_s, const stint_thresholds *th,
		       stint_load *out, stint_load_series *series)
{
	double *v = NULL, *sm = NULL;
	size_t first = 0, end = n, i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->hr_avg_bpm = out->hr_max_bpm = out->trimp = NAN;
	if (series != NULL && series->nbins > 0) {
		memset(series->dist_m, 0, series->nbins * sizeof(double));
		memset(series->time_s, 0, series->nbins * sizeof(double));
	}
	if (stint_thresholds_check(th) != 0)
		return -1;
	while (first < n && !(s[first].t_s >= from_s))
		first++;
	while (end > first && !(s[end - 1].t_s < to_s))
		end--;
	out->samples = end - first;
	if (end == first)
		return 0;
	v = malloc(n * sizeof(*v));
	sm = malloc(n * sizeof(*sm));
	if (v == NULL || sm == NULL)
		goto out;
	for (i = first; i < end; i++) {
		v[i] = raw_speed(s, i, first);
		if (v[i] > th->max_speed_mps) {
			v[i] = NAN;
			out->dropped++;
		}
	}
	if (smooth(v, sm, first, end, th) != 0)
		goto out;
	speed_metrics(s, sm, first, end, from_s, th, out, series);
	body_metrics(s, first, end, th, out);
	rc = 0;
out:
	free(v);
	free(sm);
	return rc;
}

double stint_acwr_rolling(const double *load, size_t ndays, int acute, int chronic)
{
	double a = 0, c = 0;
	size_t i;

	if (acute < 1 || chronic < acute || ndays < (size_t)chronic)
		return NAN;
	for (i = ndays - (size_t)chronic; i < ndays; i++) {
		c += load[i];
		if (i >= ndays - (size_t)acute)
			a += load[i];
	}
	return c > 0 ? (a / acute) / (c / chronic) : NAN;
}

double stint_acwr_ewma(const double *load, size_t ndays, int acute, int chronic)
{
	double la = 2.0 / (acute + 1), lc = 2.0 / (chronic + 1), ea, ec;
	size_t i;

	if (acute < 1 || chronic < acute || ndays < (size_t)chronic)
		return NAN;
	ea = ec = load[0];
	for (i = 1; i < ndays; i++) {
		ea = la * load[i] + (1 - la) * ea;
		ec = lc * load[i] + (1 - lc) * ec;
	}
	return ec > 0 ? ea / ec : NAN;
}
