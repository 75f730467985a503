/*
 * test_wearable.c: the device-file parsers (lib/wearable*.c) against the
 * real files in $STINT_DATA_DIR/gps and tracking and their known answers
 * (data/SOURCES.md), and corrupt or truncated copies of each made here in a
 * temp dir. Exits 77 (skipped) when STINT_DATA_DIR is not set.
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "wearable.h"

static char tmpdir[256];


static void data_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", getenv("STINT_DATA_DIR"), name);
}

/* Parse a data file (relative to STINT_DATA_DIR), which must succeed. */
static void parse_ok(const char *name, stint_wearable_format format, stint_tracks *t)
{
	char path[1024], err[256] = "";
	int rc;

	data_path(path, sizeof(path), name);
	rc = stint_wearable_parse_file(path, format, t, err, sizeof(err));
	ck_assert_msg(rc == 0, "%s: %s", name, err);
	ck_assert_uint_gt(t->n, 0);
}

/* Write n bytes of text to tmpdir/name; its path in path. */
static void write_tmp(const char *name, const char *text, size_t n, char *path, size_t size)
{
	FILE *f;

	snprintf(path, size, "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	fclose(f);
}

/* The whole data file into memory (heap, NUL-terminated). */
static char *load(const char *name, size_t *n)
{
	char path[1024], *buf;
	FILE *f;
	long len;

	data_path(path, sizeof(path), name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return buf;
}

/* Parse text written to a temp file, which must fail with an error starting "line N:" (N >= 1). */
static void parse_fails(const char *name, const char *text, size_t n, stint_wearable_format format, const char *want)
{
	char path[1024], err[256] = "";
	stint_tracks t = { 0 };
	unsigned long line = 0;

	write_tmp(name, text, n, path, sizeof(path));
	ck_assert_msg(stint_wearable_parse_file(path, format, &t, err, sizeof(err)) == -1, "%s: parsed", name);
	ck_assert_msg(sscanf(err, "line %lu:", &line) == 1 && line >= 1, "%s: no line in \"%s\"", name, err);
	if (want != NULL)
		ck_assert_msg(strstr(err, want) != NULL, "%s: \"%s\" lacks \"%s\"", name, err, want);
	stint_tracks_free(&t);
	unlink(path);
}

/* Great-circle distance in metres between two WGS 84 points (haversine, mean radius 6371008.8 m). */
static double haversine_m(double lat1, double lon1, double lat2, double lon2)
{
	double r = M_PI / 180, dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * 6371008.8 * asin(sqrt(a));
}

static int has_warning(const stint_tracks *t, const char *part)
{
	for (size_t i = 0; i < t->n_warnings; i++)
		if (strstr(t->warnings[i], part) != NULL)
			return 1;
	return 0;
}

START_TEST(test_format_names)
{
	stint_wearable_format f;
	const char *names[] = { "csv", "gpx", "tcx", "fit", "metrica", "epts" };

	for (size_t i = 0; i < 6; i++) {
		ck_assert_int_eq(stint_wearable_format_parse(names[i], &f), 0);
		ck_assert_str_eq(stint_wearable_format_name(f), names[i]);
	}
	ck_assert_int_eq(stint_wearable_format_parse("kml", &f), -1);
	ck_assert_int_eq(stint_wearable_format_parse("", &f), -1);
}
END_TEST

/*
 * test.tcx: the known distance (4686.31 m, python-tcxparser) is the file's
 * own cumulative DistanceMeters of the last trackpoint that has one; the haversine sum
 * of the positions is checked too, within 2 %. Duration: the laps'
 * TotalTimeSeconds add up to 1992.78 s; the trackpoints' times (whole
 * seconds) span 21:29:53 to 22:03:05 = 1992 s, within 1 s of it.
 */
START_TEST(test_tcx_known_answers)
{
	stint_tracks t = { 0 };
	const stint_track *tr;
	double last_distance = NAN, sum = 0, hr_min = 1e9, hr_max = 0, prev_lat = NAN, prev_lon = NAN;

	parse_ok("gps/test.tcx", STINT_WEARABLE_TCX, &t);
	ck_assert_uint_eq(t.n, 1);
	tr = &t.tracks[0];
	ck_assert_uint_eq(tr->n, 384);    /* grep -c "<Trackpoint>" */
	for (size_t i = 0; i < tr->n; i++)
		if (!isnan(tr->samples[i].distance_m))
			last_distance = tr->samples[i].distance_m;
	ck_assert_double_eq_tol(last_distance, 4686.3, 46.863);
	ck_assert_double_eq_tol(tr->samples[tr->n - 1].t_s - tr->samples[0].t_s, 1992.78, 1.0);
	ck_assert_double_eq(tr->samples[0].t_s, 1356557393.0);    /* 2012-12-26T21:29:53Z */
	for (size_t i = 0; i < tr->n; i++) {
		const stint_sample *s = &tr->samples[i];

		if (!isnan(s->lat_deg) && !isnan(prev_lat))
			sum += haversine_m(prev_lat, prev_lon, s->lat_deg, s->lon_deg);
		if (!isnan(s->lat_deg))
			prev_lat = s->lat_deg, prev_lon = s->lon_deg;
		if (!isnan(s->hr_bpm))
			hr_min = fmin(hr_min, s->hr_bpm), hr_max = fmax(hr_max, s->hr_bpm);
		ck_assert(i == 0 || s->t_s >= tr->samples[i - 1].t_s);
	}
	ck_assert_double_eq_tol(sum, 4686.3, 0.02 * 4686.3);
	ck_assert_double_eq(hr_min, 60);
	ck_assert_double_eq(hr_max, 189);
	ck_assert_uint_eq(t.n_warnings, 0);
	stint_tracks_free(&t);
}
END_TEST

/* no_hr.tcx: a file without heart rate gives NAN there, never 0. */
START_TEST(test_tcx_no_hr)
{
	stint_tracks t = { 0 };

	parse_ok("gps/no_hr.tcx", STINT_WEARABLE_TCX, &t);
	for (size_t i = 0; i < t.tracks[0].n; i++)
		ck_assert(isnan(t.tracks[0].samples[i].hr_bpm));
	stint_tracks_free(&t);
}
END_TEST

/* Every GPX file in gps/ parses; the two edge cases give warnings. */
START_TEST(test_every_gpx)
{
	char path[1024], err[256];
	DIR *d;
	struct dirent *e;
	int files = 0;

	data_path(path, sizeof(path), "gps");
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		stint_tracks t = { 0 };
		char file[1400];

		if (len < 5 || strcmp(e->d_name + len - 4, ".gpx") != 0)
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		err[0] = '\0';
		ck_assert_msg(stint_wearable_parse_file(file, STINT_WEARABLE_GPX, &t, err, sizeof(err)) == 0, "%s: %s",
			      e->d_name, err);
		ck_assert_uint_eq(t.n, 1);
		ck_assert_uint_gt(t.tracks[0].n, 0);
		if (strcmp(e->d_name, "Mojstrovka.gpx") == 0)
			ck_assert_msg(has_warning(&t, "before 1980"), "Mojstrovka.gpx: no warning for 1901");
		if (strcmp(e->d_name, "korita-zbevnica.gpx") == 0)
			ck_assert_msg(has_warning(&t, "without a time"), "korita-zbevnica.gpx: no warning");
		stint_tracks_free(&t);
		files++;
	}
	closedir(d);
	ck_assert_int_eq(files, 6);
}
END_TEST

/* track_with_speed.gpx: GPX 1.0 <speed> in m/s, three points. */
START_TEST(test_gpx_speed)
{
	stint_tracks t = { 0 };

	parse_ok("gps/track_with_speed.gpx", STINT_WEARABLE_GPX, &t);
	ck_assert_uint_eq(t.tracks[0].n, 3);
	ck_assert_double_eq_tol(t.tracks[0].samples[0].speed_mps, 1.2, 1e-9);
	ck_assert_double_eq_tol(t.tracks[0].samples[2].speed_mps, 3.2, 1e-9);
	ck_assert_double_eq_tol(t.tracks[0].samples[0].lat_deg, 52.330848, 1e-9);
	ck_assert(isnan(t.tracks[0].samples[0].hr_bpm));
	stint_tracks_free(&t);
}
END_TEST

/* korita-zbevnica.gpx: 871 points, 514 <time> elements (one in <metadata>, two in waypoints?): the timed ones kept. */
START_TEST(test_gpx_points_without_time)
{
	stint_tracks t = { 0 };
	size_t n;
	char *text = load("gps/korita-zbevnica.gpx", &n), *p = text;
	size_t timed = 0, in_trkpt = 0;

	/* count independently: trkpt elements that contain a <time> */
	while ((p = strstr(p, "<trkpt")) != NULL) {
		char *end = strstr(p, "</trkpt>"), *tm = strstr(p, "<time>");

		in_trkpt++;
		if (tm != NULL && end != NULL && tm < end)
			timed++;
		p++;
	}
	free(text);
	parse_ok("gps/korita-zbevnica.gpx", STINT_WEARABLE_GPX, &t);
	ck_assert_uint_eq(in_trkpt, 871);
	ck_assert_uint_eq(t.tracks[0].n, timed);
	stint_tracks_free(&t);
}
END_TEST

/* A GPX with Garmin's TrackPointExtension (heart rate) written here. */
START_TEST(test_gpx_hr_extension)
{
	static const char gpx[] =
		"<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\"\n"
		" xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">\n<trk><trkseg>\n"
		"<trkpt lat=\"46.05\" lon=\"14.5\"><time>2024-05-01T10:00:00.5Z</time><extensions>"
		"<gpxtpx:TrackPointExtension><gpxtpx:hr>141</gpxtpx:hr><gpxtpx:speed>3.5</gpxtpx:speed>"
		"</gpxtpx:TrackPointExtension></extensions></trkpt>\n"
		"<trkpt lat=\"46.0501\" lon=\"14.5\"><time>2024-05-01T12:00:01+02:00</time><extensions>"
		"<gpxtpx:TrackPointExtension><gpxtpx:hr>143</gpxtpx:hr></gpxtpx:TrackPointExtension>"
		"</extensions></trkpt>\n</trkseg></trk></gpx>\n";
	char path[1024], err[256];
	stint_tracks t = { 0 };

	write_tmp("hr.gpx", gpx, sizeof(gpx) - 1, path, sizeof(path));
	ck_assert_int_eq(stint_wearable_parse_file(path, STINT_WEARABLE_GPX, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.tracks[0].n, 2);
	ck_assert_double_eq(t.tracks[0].samples[0].hr_bpm, 141);
	ck_assert_double_eq(t.tracks[0].samples[0].speed_mps, 3.5);
	ck_assert_double_eq(t.tracks[0].samples[1].t_s - t.tracks[0].samples[0].t_s, 0.5);
	stint_tracks_free(&t);
}
END_TEST

/* Truncated copies of a real file at several lengths, and damaged ones: -1 with "line N: ...". */
static void truncations(const char *name, const char *tmpname, stint_wearable_format format)
{
	size_t n;
	char *text = load(name, &n);
	static const double cuts[] = { 0.1, 0.33, 0.5, 0.77, 0.999 };

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		parse_fails(tmpname, text, (size_t)(n * cuts[i]), format, NULL);
	free(text);
}

START_TEST(test_xml_corrupt)
{
	size_t n;
	char *text, *p;

	truncations("gps/test.tcx", "cut.tcx", STINT_WEARABLE_TCX);
	truncations("gps/cerknicko-jezero.gpx", "cut.gpx", STINT_WEARABLE_GPX);
	text = load("gps/test.tcx", &n);
	p = strstr(text, "<LatitudeDegrees>35.9518799465");
	ck_assert_ptr_nonnull(p);
	memcpy(p + 17, "3x.", 3);
	parse_fails("bad.tcx", text, n, STINT_WEARABLE_TCX, "line 36: LatitudeDegrees \"3x.95");
	p = strstr(text, "<Time>2012-12-26T21:29:54Z");
	memcpy(p + 6, "2012-13", 7);
	parse_fails("bad.tcx", text, n, STINT_WEARABLE_TCX, "line 34: Time");
	free(text);
	parse_fails("root.gpx", "<kml></kml>", 11, STINT_WEARABLE_GPX, "root element");
	parse_fails("tcx.gpx", "<TrainingCenterDatabase/>", 25, STINT_WEARABLE_GPX, "root element");
	parse_fails("bin.gpx", "\x0e\x10\x00\x01.FIT", 9, STINT_WEARABLE_GPX, NULL);
	parse_fails("empty.tcx", "", 0, STINT_WEARABLE_TCX, NULL);
	parse_fails("lat.gpx", "<gpx><trk><trkseg><trkpt lat=\"91\" lon=\"0\"/></trkseg></trk></gpx>", 63,
		    STINT_WEARABLE_GPX, "line 1: lat/lon");
}
END_TEST

/* A well-formed file without a single timed point is refused. */
START_TEST(test_no_samples)
{
	char path[1024], err[256];
	stint_tracks t = { 0 };
	static const char gpx[] = "<gpx version=\"1.1\"><wpt lat=\"1\" lon=\"2\"/></gpx>";

	write_tmp("wpt.gpx", gpx, sizeof(gpx) - 1, path, sizeof(path));
	ck_assert_int_eq(stint_wearable_parse_file(path, STINT_WEARABLE_GPX, &t, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "no sample") != NULL, "%s", err);
	ck_assert_uint_eq(t.n, 0);
	stint_tracks_free(&t);
	stint_tracks_free(&t);
	snprintf(path, sizeof(path), "%s/missing.gpx", tmpdir);
	ck_assert_int_eq(stint_wearable_parse_file(path, STINT_WEARABLE_GPX, &t, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "cannot open") != NULL, "%s", err);
}
END_TEST

START_TEST(test_detect)
{
	static const char semicolons[] = " Time; Lat; Lon\r\n18:30:00,0;46,1;14,5\r\n";
	stint_wearable_format f;
	size_t n;
	char *text;
	static const struct { const char *file; stint_wearable_format format; } cases[] = {
		{ "gps/test.tcx", STINT_WEARABLE_TCX }, { "gps/Mojstrovka.gpx", STINT_WEARABLE_GPX },
		{ "gps/garmin-fenix-5-run.fit", STINT_WEARABLE_FIT },
		{ "tracking/metrica_home.csv", STINT_WEARABLE_METRICA },
		{ "tracking/epts_metrica_tracking.txt", STINT_WEARABLE_EPTS },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text = load(cases[i].file, &n);
		ck_assert_int_eq(stint_wearable_detect(text, n < 4096 ? n : 4096, NULL, &f), 0);
		ck_assert_msg(f == cases[i].format, "%s: %s", cases[i].file, stint_wearable_format_name(f));
		free(text);
	}
	ck_assert_int_eq(stint_wearable_detect("time,hr\n", 8, "unit7.CSV", &f), 0);
	ck_assert_int_eq(f, STINT_WEARABLE_CSV);
	ck_assert_int_eq(stint_wearable_detect("hello", 5, "notes.doc", &f), -1);
	ck_assert_int_eq(stint_wearable_detect(semicolons, strlen(semicolons), NULL, &f), 0);
	ck_assert_int_eq(f, STINT_WEARABLE_CSV);
	ck_assert_int_eq(stint_wearable_detect("a,b\x01\n", 5, NULL, &f), -1);
}
END_TEST

/*
 * Metrica: each player's distance (sum of the steps between frames where
 * both are on the pitch) from the parsed tracks, against the same sum
 * computed here from the raw CSV with strtod, and the team's total.
 */
static double metrica_raw(const char *name, double *per_field, size_t max_fields, size_t *n_fields, size_t *rows)
{
	size_t n;
	char *text = load(name, &n), *line = text, *next;
	double prev[512], team = 0;
	int row = 0;

	for (size_t i = 0; i < 512; i++)
		prev[i] = NAN, per_field[i < max_fields ? i : 0] = 0;
	for (; line != NULL && *line != '\0'; line = next, row++) {
		char *p = line;
		double cur[512];
		size_t k = 0;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (row < 3)
			continue;
		(*rows)++;
		while (k < 512) {
			char *end;

			cur[k] = strtod(p, &end);
			if (end == p)
				cur[k] = NAN;
			k++;
			p = strchr(p, ',');
			if (p == NULL)
				break;
			p++;
		}
		*n_fields = k;
		/* players are the pairs from field 3 up to the ball (the last pair and a trailing empty field) */
		for (size_t i = 3; i + 3 < k; i += 2) {
			double dx = (cur[i] - prev[i]) * 105, dy = (cur[i + 1] - prev[i + 1]) * 68;

			if (!isnan(dx) && !isnan(dy)) {
				per_field[i] += sqrt(dx * dx + dy * dy);
				team += sqrt(dx * dx + dy * dy);
			}
		}
		memcpy(prev, cur, sizeof(cur));
	}
	free(text);
	return team;
}

static void check_metrica(const char *name, const char *first_label)
{
	stint_tracks t = { 0 };
	double raw[512], team_raw, team = 0;
	size_t n_fields = 0, rows = 0;

	parse_ok(name, STINT_WEARABLE_METRICA, &t);
	team_raw = metrica_raw(name, raw, 512, &n_fields, &rows);
	ck_assert_uint_eq(t.n, (n_fields - 5) / 2);
	ck_assert_str_eq(t.tracks[0].label, first_label);
	for (size_t p = 0; p < t.n; p++) {
		const stint_track *tr = &t.tracks[p];
		double d = 0;

		ck_assert_uint_eq(tr->n, rows);
		for (size_t i = 1; i < tr->n; i++) {
			double dx = tr->samples[i].x_m - tr->samples[i - 1].x_m;
			double dy = tr->samples[i].y_m - tr->samples[i - 1].y_m;

			if (!isnan(dx) && !isnan(dy))
				d += hypot(dx, dy);
			ck_assert_double_gt(tr->samples[i].t_s, tr->samples[i - 1].t_s);    /* 25 Hz, a gap between periods */
		}
		ck_assert_double_eq_tol(d, raw[3 + 2 * p], 1e-9);
		team += d;
	}
	fprintf(stderr, "%s: %zu players, team distance %.3f m (raw CSV %.3f m)\n", name, t.n, team, team_raw);
	ck_assert_double_eq_tol(team, team_raw, 1e-9);
	ck_assert_double_gt(team, 0);
	stint_tracks_free(&t);
}

START_TEST(test_metrica)
{
	stint_tracks t = { 0 };

	check_metrica("tracking/metrica_home.csv", "home_11");
	check_metrica("tracking/metrica_away.csv", "away_25");
	/* NaN players are kept with NAN positions: home_13 (Player13) is off the pitch in the first frame */
	parse_ok("tracking/metrica_home.csv", STINT_WEARABLE_METRICA, &t);
	ck_assert(isnan(t.tracks[12].samples[0].x_m));
	ck_assert_str_eq(t.tracks[12].label, "home_13");
	ck_assert_double_eq_tol(t.tracks[0].samples[0].x_m, 0.00082 * 105, 1e-9);
	ck_assert_double_eq_tol(t.tracks[0].samples[0].y_m, 0.48238 * 68, 1e-9);
	stint_tracks_free(&t);
}
END_TEST

START_TEST(test_metrica_corrupt)
{
	size_t n;
	char *text = load("tracking/metrica_home.csv", &n), *p;

	parse_fails("cut.csv", text, (size_t)(n * 0.9), STINT_WEARABLE_METRICA, "fields, the header has 33");
	parse_fails("cut.csv", text, 100, STINT_WEARABLE_METRICA, "line ");
	p = strstr(text, "0.32648");
	memcpy(p, "0.3x648", 7);
	parse_fails("bad.csv", text, n, STINT_WEARABLE_METRICA, "line 4: field 6: \"0.3x648\"");
	free(text);
	parse_fails("gps.csv", "time,hr\n1,2\n3,4\n", 16, STINT_WEARABLE_METRICA, "line 3: not the Metrica header");
}
END_TEST

/* A STATSports-like export: header with leading spaces, ";" separators, decimal commas, km/h, a date column. */
START_TEST(test_csv_statsports)
{
	static const char csv[] =
		" Player Display Name; Date; Time; Lat; Lon; Speed (km/h); Heart Rate (bpm); Accl X; Accl Y; Accl Z\r\n"
		"A. Novak;14/03/2025;18:30:00,0;46,056946;14,505751;0,00;92;0,02;-0,98;0,11\r\n"
		"A. Novak;14/03/2025;18:30:00,1;46,056950;14,505760;7,20;93;0,05;-1,01;0,09\r\n"
		"A. Novak;14/03/2025;18:30:00,2;46,056955;14,505771;14,40;;0,10;-1,03;0,07\r\n";
	char path[1024], err[256];
	stint_tracks t = { 0 };
	const stint_sample *s;

	write_tmp("statsports.csv", csv, sizeof(csv) - 1, path, sizeof(path));
	ck_assert_msg(stint_wearable_parse_file(path, STINT_WEARABLE_CSV, &t, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(t.tracks[0].n, 3);
	s = t.tracks[0].samples;
	ck_assert_double_eq_tol(s[0].t_s, 1741977000.0, 1e-6);    /* 2025-03-14T18:30:00Z */
	ck_assert_double_eq_tol(s[2].t_s - s[0].t_s, 0.2, 1e-6);
	ck_assert_double_eq_tol(s[1].lat_deg, 46.05695, 1e-9);
	ck_assert_double_eq_tol(s[1].speed_mps, 2.0, 1e-9);
	ck_assert_double_eq_tol(s[2].speed_mps, 4.0, 1e-9);
	ck_assert_double_eq(s[1].hr_bpm, 93);
	ck_assert(isnan(s[2].hr_bpm));
	ck_assert_double_eq_tol(s[1].ay_g, -1.01, 1e-9);
	ck_assert(isnan(s[0].x_m));
	stint_tracks_free(&t);
}
END_TEST

/* A Catapult-like export: metadata lines before the header, m/s, x/y, odometer, elapsed seconds. */
START_TEST(test_csv_catapult)
{
	static const char csv[] =
		"# OpenField Export : Activity 12\n# Athlete: B. Kranjc\n# Period: Session\n\n"
		"Timestamp,Seconds,Velocity,Odometer,X,Y,Heart Rate,Player Load\n"
		"2025-03-14T18:30:00.00Z,0.0,3.10,0.00,10.5,20.1,141,0\n"
		"2025-03-14T18:30:00.10Z,0.1,3.20,0.32,10.8,20.2,141,0.1\n";
	char path[1024], err[256];
	stint_tracks t = { 0 };

	write_tmp("catapult.csv", csv, sizeof(csv) - 1, path, sizeof(path));
	ck_assert_msg(stint_wearable_parse_file(path, STINT_WEARABLE_CSV, &t, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(t.tracks[0].n, 2);
	ck_assert_double_eq_tol(t.tracks[0].samples[1].t_s, 1741977000.1, 1e-6);
	ck_assert_double_eq_tol(t.tracks[0].samples[1].speed_mps, 3.2, 1e-9);
	ck_assert_double_eq_tol(t.tracks[0].samples[1].distance_m, 0.32, 1e-9);
	ck_assert_double_eq_tol(t.tracks[0].samples[1].x_m, 10.8, 1e-9);
	ck_assert(isnan(t.tracks[0].samples[1].lat_deg));
	stint_tracks_free(&t);
}
END_TEST

/* A heart-rate strap: no positions at all, times from the start (a warning). */
START_TEST(test_csv_hr_only)
{
	static const char csv[] = "time,hr\n0,80\n1,82\n2,85\n";
	char path[1024], err[256];
	stint_tracks t = { 0 };

	write_tmp("hr.csv", csv, sizeof(csv) - 1, path, sizeof(path));
	ck_assert_msg(stint_wearable_parse_file(path, STINT_WEARABLE_CSV, &t, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(t.tracks[0].n, 3);
	ck_assert_double_eq(t.tracks[0].samples[2].hr_bpm, 85);
	ck_assert(isnan(t.tracks[0].samples[2].lat_deg) && isnan(t.tracks[0].samples[2].speed_mps));
	ck_assert(has_warning(&t, "without a date"));
	stint_tracks_free(&t);
}
END_TEST

START_TEST(test_csv_corrupt)
{
	static const char good[] = "Time;Lat;Lon;Speed (m/s)\n2025-03-14T18:30:00Z;46,1;14,5;3,0\n"
				   "2025-03-14T18:30:01Z;46,1;14,5;3,1\n2025-03-14T18:30:02Z;46,1;14,5;3,2\n";

	parse_fails("cut.csv", good, sizeof(good) - 8, STINT_WEARABLE_CSV, "line 4: 3 fields, the header has 4");
	parse_fails("bad.csv", "time,hr\n0,80\n1,eighty\n", 22, STINT_WEARABLE_CSV,
		    "line 3: column \"hr\": \"eighty\" is not a number");
	parse_fails("time.csv", "time,hr\n0,80\nnoon,81\n", 21, STINT_WEARABLE_CSV, "line 3: column \"time\"");
	parse_fails("nohead.csv", "a,b\n1,2\n", 8, STINT_WEARABLE_CSV, "line 1: no header");
	parse_fails("quote.csv", "time,hr\n0,\"80\n", 14, STINT_WEARABLE_CSV, "quoted");
	parse_fails("date.csv", "date,time,hr\n31/02/2025,10:00:00,80\n", 36, STINT_WEARABLE_CSV, "line 2: column \"date\"");
	parse_fails("nan.csv", "time,lat,lon\n0,inf,3\n", 21, STINT_WEARABLE_CSV, "line 2: column \"lat\"");
}
END_TEST

/*
 * EPTS: 22 players (the metadata's DataFormatSpecification), one sample a
 * frame at 25 Hz (t = frame / 25); each player's distance against the sum
 * computed here from the raw text (fields split with strtod: frame, then
 * per player x,y,id,speed separated by ";").
 */
START_TEST(test_epts)
{
	stint_tracks t = { 0 };
	size_t n, frames = 0;
	char *text = load("tracking/epts_metrica_tracking.txt", &n), *line = text, *next;
	double raw[22] = { 0 }, prev_x[22], prev_y[22], team = 0, team_raw = 0;

	for (int i = 0; i < 22; i++)
		prev_x[i] = prev_y[i] = NAN;
	for (; line != NULL && *line != '\0'; line = next) {
		char *p = strchr(line, ':') + 1;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		frames++;
		for (int i = 0; i < 22; i++) {
			char *end;
			double x = strtod(p, &end) * 105, y = strtod(end + 1, NULL) * 68;

			if (!isnan(x) && !isnan(prev_x[i]) && !isnan(y) && !isnan(prev_y[i]))
				raw[i] += hypot(x - prev_x[i], y - prev_y[i]);
			prev_x[i] = x, prev_y[i] = y;
			p = strpbrk(p, ";:") + 1;
		}
	}
	free(text);
	parse_ok("tracking/epts_metrica_tracking.txt", STINT_WEARABLE_EPTS, &t);
	ck_assert_uint_eq(t.n, 22);
	ck_assert_str_eq(t.tracks[0].label, "team_a_1");
	for (size_t i = 0; i < t.n; i++) {
		const stint_track *tr = &t.tracks[i];
		double d = 0;

		ck_assert_uint_eq(tr->n, frames);
		for (size_t k = 1; k < tr->n; k++) {
			double dx = tr->samples[k].x_m - tr->samples[k - 1].x_m, dy = tr->samples[k].y_m - tr->samples[k - 1].y_m;

			if (!isnan(dx) && !isnan(dy))
				d += hypot(dx, dy);
		}
		ck_assert_double_eq_tol(d, raw[i], 1e-6);
		team += d;
		team_raw += raw[i];
	}
	ck_assert_double_eq_tol(t.tracks[0].samples[0].t_s, 450 / 25.0, 1e-9);
	ck_assert_double_eq_tol(t.tracks[0].samples[0].speed_mps, 1.1127902269363403, 1e-9);
	fprintf(stderr, "EPTS: %zu players, %zu frames, team distance %.3f m (raw text %.3f m)\n", t.n, frames, team,
		team_raw);
	ck_assert_double_eq_tol(team, team_raw, 1e-6);
	stint_tracks_free(&t);
}
END_TEST

/* Copy the EPTS metadata into tmpdir and write text as the tracking file beside it. */
static void epts_fails(const char *text, size_t n, const char *want)
{
	size_t mn;
	char *meta = load("tracking/epts_metrica_metadata.xml", &mn), path[1024];

	write_tmp("match.xml", meta, mn, path, sizeof(path));
	free(meta);
	parse_fails("match.txt", text, n, STINT_WEARABLE_EPTS, want);
}

START_TEST(test_epts_corrupt)
{
	size_t n;
	char *text = load("tracking/epts_metrica_tracking.txt", &n), *p, path[1024], err[400];
	stint_tracks t = { 0 };

	epts_fails(text, n / 3, "line 34: 3 parts separated by \":\" expected, 2 found");
	p = strstr(text, "0.48496");
	memcpy(p, "0.4849x", 7);
	epts_fails(text, n, "line 1: \"0.4849x\" is not a number");
	epts_fails("450:1,2,3,4:0.5,0.5,NaN\n", 24, "line 1: 22 parts separated by \";\" expected, 1 found");
	free(text);
	/* no metadata beside it */
	write_tmp("lonely.txt", "450:NaN\n", 8, path, sizeof(path));
	snprintf(err, sizeof(err), "%s/match.xml", tmpdir);
	unlink(err);
	ck_assert_int_eq(stint_wearable_parse_file(path, STINT_WEARABLE_EPTS, &t, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "no EPTS metadata") != NULL, "%s", err);
	/* broken metadata */
	write_tmp("lonely.xml", "<main><Metadata>", 16, path, sizeof(path));
	write_tmp("lonely.txt", "450:NaN\n", 8, path, sizeof(path));
	ck_assert_int_eq(stint_wearable_parse_file(path, STINT_WEARABLE_EPTS, &t, err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "metadata line 1: ", 17) == 0, "%s", err);
}
END_TEST

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/stint-wearable-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[1024];

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(tmpdir);
}

static Suite *wearable_suite(void)
{
	Suite *s = suite_create("wearable");
	TCase *tc = tcase_create("wearable");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_add_test(tc, test_format_names);
	tcase_add_test(tc, test_tcx_known_answers);
	tcase_add_test(tc, test_tcx_no_hr);
	tcase_add_test(tc, test_every_gpx);
	tcase_add_test(tc, test_gpx_speed);
	tcase_add_test(tc, test_gpx_points_without_time);
	tcase_add_test(tc, test_gpx_hr_extension);
	tcase_add_test(tc, test_xml_corrupt);
	tcase_add_test(tc, test_no_samples);
	tcase_add_test(tc, test_detect);
	tcase_add_test(tc, test_metrica);
	tcase_add_test(tc, test_metrica_corrupt);
	tcase_add_test(tc, test_csv_statsports);
	tcase_add_test(tc, test_csv_catapult);
	tcase_add_test(tc, test_csv_hr_only);
	tcase_add_test(tc, test_csv_corrupt);
	tcase_add_test(tc, test_epts);
	tcase_add_test(tc, test_epts_corrupt);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (getenv("STINT_DATA_DIR") == NULL || *getenv("STINT_DATA_DIR") == '\0') {
		fprintf(stderr, "STINT_DATA_DIR is not set: skipping\n");
		return 77;
	}
	return stint_check_run(wearable_suite());
}
