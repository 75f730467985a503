/*
 * test_wearable_fit.c: Stint's FIT decoder (lib/wearable-fit.c) against the
 * five FIT files in $STINT_DATA_DIR/gps and their `*-records.csv`, which the
 * ANT FIT SDK decoded (data/SOURCES.md): each CSV is read here with plain
 * stdio, independently of the decoder. Then truncated, bit-flipped and
 * hand-made files, which must give an error naming the byte, never a crash.
 * Exits 77 (skipped) when STINT_DATA_DIR is not set.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "loadmetrics.h"
#include "wearable-fit.h"
#include "wearable.h"

static const char *const FILES[] = { "garmin-edge-820-bike", "garmin-fenix-5-bike", "garmin-fenix-5-run",
				     "garmin-fenix-5-walk", "compressed-speed-distance" };

static void data_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/gps/%s", getenv("STINT_DATA_DIR"), name);
}

/* The whole data file into memory (heap). */
static uint8_t *load(const char *name, size_t *n)
{
	char path[1024];
	uint8_t *buf;
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
	fclose(f);
	*n = (size_t)len;
	return buf;
}

/*
 * A records CSV's time: a FIT timestamp integer (compressed-speed-distance,
 * + 631065600 s), or "Mon Jun 12 09:10:15 PDT 2017" (PDT = UTC-7, PST = UTC-8).
 */
static double csv_time(const char *field)
{
	struct tm tm = { 0 };
	char zone[8];
	int year;

	if (strchr(field, ' ') == NULL)
		return strtod(field, NULL) + 631065600.0;
	ck_assert_msg(strptime(field, "%a %b %d %H:%M:%S", &tm) != NULL, "%s", field);
	ck_assert_int_eq(sscanf(field + 20, "%7s %d", zone, &year), 2);
	tm.tm_year = year - 1900;
	ck_assert_msg(strcmp(zone, "PDT") == 0 || strcmp(zone, "PST") == 0, "%s", zone);
	return (double)timegm(&tm) + (strcmp(zone, "PDT") == 0 ? 7 : 8) * 3600.0;
}

/* From name-records.csv: the rows, the first row's time, the last non-empty `distance`. */
static void records(const char *name, size_t *rows, double *first_t, double *last_distance)
{
	char path[1024], line[512];
	int col = -1;
	FILE *f;

	snprintf(line, sizeof(line), "%s-records.csv", name);
	data_path(path, sizeof(path), line);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	*rows = 0;
	*first_t = *last_distance = NAN;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line;
		int i = 0;

		if (col < 0) {
			for (char *tok = strtok(line, ",\r\n"); tok != NULL; tok = strtok(NULL, ",\r\n"), i++)
				if (strstr(tok, "istance") != NULL)
					col = i;
			ck_assert_int_ge(col, 0);
			continue;
		}
		if ((*rows)++ == 0) {
			line[strcspn(line, ",")] = '\0';
			*first_t = csv_time(line);
			continue;
		}
		for (i = 0; i < col && p != NULL; i++)
			p = strchr(p, ',') != NULL ? strchr(p, ',') + 1 : NULL;
		if (p != NULL && *p != ',' && strncmp(p, "null", 4) != 0)
			*last_distance = strtod(p, NULL);
	}
	fclose(f);
}

/*
 * Each FIT file: as many samples as its records CSV has rows, the same first
 * time, and the last sample's device distance within 1 % of the CSV's last
 * `distance` (in fact equal: both are the record's distance field, or the
 * accumulated compressed_speed_distance); so is the distance the report's
 * load metrics (lib/loadmetrics.c) give for the whole file.
 */
START_TEST(test_fit_files)
{
	for (size_t f = 0; f < sizeof(FILES) / sizeof(FILES[0]); f++) {
		char path[1024], name[256], err[256] = "";
		stint_tracks t = { 0 };
		double first_t, want;
		size_t rows, hr = 0, positions = 0;
		const stint_track *tr;
		stint_thresholds th;
		stint_load load;

		snprintf(name, sizeof(name), "%s.fit", FILES[f]);
		data_path(path, sizeof(path), name);
		ck_assert_msg(stint_wearable_parse_file(path, STINT_WEARABLE_FIT, &t, err, sizeof(err)) == 0, "%s: %s",
			      name, err);
		ck_assert_uint_eq(t.n, 1);
		tr = &t.tracks[0];
		records(FILES[f], &rows, &first_t, &want);
		for (size_t i = 0; i < tr->n; i++) {
			hr += !isnan(tr->samples[i].hr_bpm);
			positions += !isnan(tr->samples[i].lat_deg);
		}
		fprintf(stderr, "%s: %zu samples (CSV %zu), %zu with position, %zu with hr; distance %.3f m, SDK %.3f m "
			"(%+.3f %%)\n", FILES[f], tr->n, rows, positions, hr, tr->samples[tr->n - 1].distance_m, want,
			100 * (tr->samples[tr->n - 1].distance_m - want) / want);
		ck_assert_uint_eq(tr->n, rows);
		ck_assert_double_eq_tol(tr->samples[0].t_s, first_t, 0.5);
		ck_assert_double_eq_tol(tr->samples[tr->n - 1].distance_m, want, 0.01 * want);
		/* the report's distance (default thresholds, the whole file) is the device's too */
		stint_thresholds_default(&th);
		ck_assert_int_eq(stint_load_compute(tr->samples, tr->n, -INFINITY, INFINITY, &th, &load, NULL), 0);
		fprintf(stderr, "  load distance %.3f m (%+.3f %%)\n", load.distance_m, 100 * (load.distance_m - want) / want);
		ck_assert_double_eq_tol(load.distance_m, want, 0.01 * want);
		ck_assert_uint_eq(hr, rows);
		if (strcmp(FILES[f], "compressed-speed-distance") == 0) {
			/* no positions; its times (17217869...) are FIT system time: a warning says so */
			ck_assert_uint_eq(positions, 0);
			ck_assert_uint_eq(t.n_warnings, 1);
			ck_assert_msg(strstr(t.warnings[0], "754 record times are seconds since the device started") != NULL,
				      "%s", t.warnings[0]);
		} else {
			ck_assert_uint_eq(positions, rows);
			ck_assert_uint_eq(t.n_warnings, 0);
		}
		stint_tracks_free(&t);
	}
}
END_TEST

/* The first garmin record, decoded: Edge 820 at 37.41 N 122.07 W, 6.951 m/s, 6.95 m, 101 bpm. */
START_TEST(test_fit_first_record)
{
	char path[1024], err[256] = "";
	stint_tracks t = { 0 };
	const stint_sample *s;

	data_path(path, sizeof(path), "garmin-edge-820-bike.fit");
	ck_assert_msg(stint_wearable_parse_file(path, STINT_WEARABLE_FIT, &t, err, sizeof(err)) == 0, "%s", err);
	s = &t.tracks[0].samples[0];
	ck_assert_double_eq_tol(s->lat_deg, 446375435 * 180.0 / 2147483648.0, 1e-9);
	ck_assert_double_eq_tol(s->lon_deg, -1456338541 * 180.0 / 2147483648.0, 1e-9);
	ck_assert_double_eq_tol(s->speed_mps, 6.951, 1e-9);
	ck_assert_double_eq_tol(s->distance_m, 6.95, 1e-9);
	ck_assert_double_eq_tol(s->hr_bpm, 101, 1e-9);
	ck_assert_msg(isnan(s->x_m) && isnan(s->ax_g), "no pitch position, no accelerometer");
	stint_tracks_free(&t);
}
END_TEST

/* Decode bytes in memory, which must fail with "byte N: ..." (N <= n) containing want (may be NULL). */
static void fails(const uint8_t *data, size_t n, const char *want, const char *what)
{
	char err[256] = "";
	stint_tracks t = { 0 };
	size_t at = SIZE_MAX;

	ck_assert_msg(stint_wearable_parse_fit_data(data, n, &t, err, sizeof(err)) == -1, "%s: parsed", what);
	ck_assert_msg(sscanf(err, "byte %zu:", &at) == 1 && at <= n, "%s: no byte in \"%s\"", what, err);
	if (want != NULL)
		ck_assert_msg(strstr(err, want) != NULL, "%s: \"%s\" lacks \"%s\"", what, err, want);
	stint_tracks_free(&t);
}

/* Set the file CRC (and header CRC) of a one-file FIT image of n bytes after an edit. */
static void fix_crc(uint8_t *d, size_t n)
{
	uint16_t crc;

	if (d[0] == 14) {
		crc = stint_fit_crc(0, d, 12);
		d[12] = (uint8_t)crc, d[13] = (uint8_t)(crc >> 8);
	}
	crc = stint_fit_crc(0, d, n - 2);
	d[n - 2] = (uint8_t)crc, d[n - 1] = (uint8_t)(crc >> 8);
}

/*
 * Every file cut at 12 offsets (header, records, CRC): "truncated"; every
 * file with one bit flipped at 40 places: "CRC" (header or file); and with the
 * CRC made right again after the flip, the records themselves are decoded:
 * parsed or refused with "byte N", never a crash (the program would die).
 * Through the upload path too: the error names the byte, not the temp path.
 */
START_TEST(test_fit_corrupt)
{
	for (size_t f = 0; f < sizeof(FILES) / sizeof(FILES[0]); f++) {
		char name[256], what[300];
		size_t n;
		uint8_t *d;

		snprintf(name, sizeof(name), "%s.fit", FILES[f]);
		d = load(name, &n);
		for (size_t k = 0; k < 12; k++) {
			size_t cut = k == 0 ? 0 : k == 1 ? 11 : k == 2 ? 13 : k == 11 ? n - 1 : n * k / 11;

			snprintf(what, sizeof(what), "%s cut at %zu", name, cut);
			fails(d, cut, cut < 12 ? "header" : "truncated", what);
		}
		for (size_t k = 0; k < 40; k++) {
			size_t at = k * (n - 1) / 39;
			unsigned bit = 1u << (k % 8);
			stint_tracks t = { 0 };
			char err[256] = "";

			d[at] ^= (uint8_t)bit;
			snprintf(what, sizeof(what), "%s bit %zu of byte %zu flipped", name, k % 8, at);
			if (at >= 8 && at < 12)
				fails(d, n, "not a FIT file", what);
			else if (at == 0)
				fails(d, n, NULL, what);
			else
				fails(d, n, "CRC", what);
			fix_crc(d, n);
			if (stint_wearable_parse_fit_data(d, n, &t, err, sizeof(err)) != 0)
				ck_assert_msg(strncmp(err, "byte ", 5) == 0 || strcmp(err, "out of memory") == 0, "%s: %s",
					      what, err);
			stint_tracks_free(&t);
			free(d);
			d = load(name, &n);
		}
		free(d);
	}
}
END_TEST

/* Through stint_wearable_parse_file: a cut file names the byte, and no server path. */
START_TEST(test_fit_file_errors)
{
	char path[] = "/tmp/stint-fit-XXXXXX", err[256] = "";
	stint_tracks t = { 0 };
	size_t n;
	uint8_t *d = load("garmin-fenix-5-walk.fit", &n);
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, d, n / 2), (ssize_t)(n / 2));
	close(fd);
	ck_assert_int_eq(stint_wearable_parse_file(path, STINT_WEARABLE_FIT, &t, err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "byte ", 5) == 0 && strstr(err, "truncated") != NULL && strstr(err, path) == NULL,
		      "%s", err);
	unlink(path);
	ck_assert_int_eq(stint_wearable_parse_file(path, STINT_WEARABLE_FIT, &t, err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "cannot open the file", 20) == 0, "%s", err);
	free(d);
}
END_TEST

/* Little-endian bytes of v into p. */
static void put(uint8_t *p, uint64_t v, size_t size)
{
	for (size_t i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * A hand-made file: a big-endian record definition with a developer field,
 * records with full and compressed timestamps (one rolling over the 32 s
 * boundary), invalid values, chained to a second file; then the same
 * records without their definition, and a definition with architecture 2.
 */
START_TEST(test_fit_handmade)
{
	uint8_t d[512];
	size_t n = 14, start;
	char err[256] = "";
	stint_tracks t = { 0 };
	const stint_sample *s;

	memset(d, 0, sizeof(d));
	d[0] = 14, d[1] = 0x20, memcpy(d + 8, ".FIT", 4);
	/* definition, local 0, developer flag: big-endian, record (20), timestamp u32, hr u8, distance u32; 1 dev field of 2 bytes */
	memcpy(d + n, (const uint8_t[]){ 0x60, 0, 1, 0, 20, 3, 253, 4, 0x86, 3, 1, 0x02, 5, 4, 0x86, 1, 0, 2, 0 }, 19);
	n += 19;
	/* data: t = 1000000030 (0x3B9ACA1E), hr 120, distance 12.34 m (1234), dev bytes */
	memcpy(d + n, (const uint8_t[]){ 0x00, 0x3B, 0x9A, 0xCA, 0x1E, 120, 0, 0, 0x04, 0xD2, 0xAA, 0xBB }, 12);
	n += 12;
	/* compressed timestamp, local 0, offset 3: rolls over to 1000000035; hr invalid (0xFF), distance 20 m */
	memcpy(d + n, (const uint8_t[]){ 0x83, 0, 0, 0, 0, 0xFF, 0, 0, 0x07, 0xD0, 0, 0 }, 12);
	n += 12;
	/* a record with everything invalid: no sample */
	memcpy(d + n, (const uint8_t[]){ 0x84, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0 }, 12);
	n += 12;
	put(d + 4, n - 14, 4);
	n += 2;
	fix_crc(d, n);
	/* a second, chained file: 12-byte header, little-endian, hr only, t = 1000000040 */
	start = n;
	d[n] = 12, d[n + 1] = 0x10, memcpy(d + n + 8, ".FIT", 4);
	n += 12;
	memcpy(d + n, (const uint8_t[]){ 0x41, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x02 }, 12);
	n += 12;
	memcpy(d + n, (const uint8_t[]){ 0x01, 0x28, 0xCA, 0x9A, 0x3B, 130 }, 6);
	n += 6;
	put(d + start + 4, n - start - 12, 4);
	n += 2;
	fix_crc(d + start, n - start);

	ck_assert_msg(stint_wearable_parse_fit_data(d, n, &t, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(t.tracks[0].n, 3);
	s = t.tracks[0].samples;
	ck_assert_double_eq(s[0].t_s, 1000000030.0 + 631065600.0);
	ck_assert_double_eq(s[0].hr_bpm, 120);
	ck_assert_double_eq_tol(s[0].distance_m, 12.34, 1e-9);
	ck_assert_double_eq(s[1].t_s, 1000000035.0 + 631065600.0);
	ck_assert_msg(isnan(s[1].hr_bpm) && isnan(s[1].lat_deg), "invalid values are NAN");
	ck_assert_double_eq_tol(s[1].distance_m, 20, 1e-9);
	ck_assert_double_eq(s[2].t_s, 1000000040.0 + 631065600.0);
	ck_assert_double_eq(s[2].hr_bpm, 130);
	ck_assert_uint_eq(t.n_warnings, 0);
	stint_tracks_free(&t);

	/* the second file alone without its definition: local type 1 undefined */
	d[start + 12] = 0x01;
	fix_crc(d + start, n - start);
	fails(d + start, n - start, "without a definition", "undefined local type");
	/* architecture 2 in the first file */
	d[16] = 2;
	fix_crc(d, start);
	fails(d, start, "architecture 2", "architecture");
	/* trailing bytes after the first file are a warning */
	d[16] = 1;
	fix_crc(d, start);
	ck_assert_int_eq(stint_wearable_parse_fit_data(d, start + 5, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.n_warnings, 1);
	ck_assert_msg(strstr(t.warnings[0], "5 bytes after the FIT data") != NULL, "%s", t.warnings[0]);
	stint_tracks_free(&t);
}
END_TEST

/* The CRC of the protocol's example: "123456789" gives 0xBB3D (CRC-16/ARC's check value). */
START_TEST(test_fit_crc)
{
	ck_assert_uint_eq(stint_fit_crc(0, (const uint8_t *)"123456789", 9), 0xBB3D);
}
END_TEST

/*
 * The load metrics' lead-in (lib/loadmetrics.h): 61 samples at 1 Hz, 5 m/s,
 * the device's distance growing 5 m a second from d0 at the first sample.
 * d0 = 5 m (counted before the first record) gives 305 m; an odometer of
 * 5000 m at the start (more than one interval could carry) gives 300 m; a
 * window that begins after the first sample 295 m.
 */
START_TEST(test_fit_load_lead_in)
{
	stint_sample s[61];
	stint_thresholds th;
	stint_load l;
	static const struct { double d0, from_s, want; } cases[] = {
		{ 5, -INFINITY, 305 }, { 5000, -INFINITY, 300 }, { 5, 1000.5, 295 }, { 0, -INFINITY, 300 },
	};

	stint_thresholds_default(&th);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (size_t i = 0; i < 61; i++) {
			memset(&s[i], 0, sizeof(s[i]));
			s[i].lat_deg = s[i].lon_deg = s[i].x_m = s[i].y_m = s[i].hr_bpm = NAN;
			s[i].ax_g = s[i].ay_g = s[i].az_g = NAN;
			s[i].t_s = 1000 + (double)i;
			s[i].speed_mps = 5;
			s[i].distance_m = cases[c].d0 + 5 * (double)i;
		}
		ck_assert_int_eq(stint_load_compute(s, 61, cases[c].from_s, INFINITY, &th, &l, NULL), 0);
		ck_assert_msg(fabs(l.distance_m - cases[c].want) < 1e-9, "d0 %.0f: %.3f m, want %.0f", cases[c].d0,
			      l.distance_m, cases[c].want);
	}
}
END_TEST

static Suite *fit_suite(void)
{
	Suite *s = suite_create("wearable-fit");
	TCase *tc = tcase_create("wearable-fit");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fit_crc);
	tcase_add_test(tc, test_fit_files);
	tcase_add_test(tc, test_fit_first_record);
	tcase_add_test(tc, test_fit_corrupt);
	tcase_add_test(tc, test_fit_file_errors);
	tcase_add_test(tc, test_fit_handmade);
	tcase_add_test(tc, test_fit_load_lead_in);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (getenv("STINT_DATA_DIR") == NULL)
		return 77;
	return stint_check_run(fit_suite());
}
