/*
 * wearable-csv.c: CSV device files through libcsv (see wearable-csv.h).
 * The bytes are fed to libcsv one line at a time, so that every row it
 * completes is known by the line it ends on.
 */
#include "wearable-csv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "wearable-build.h"

#define CSV_MAX_FIELDS 512
#define CSV_MAX_FIELD 256
#define CSV_HEADER_SEARCH 30    /* rows looked at for the header */

/* One row as libcsv gives it (fields cut at CSV_MAX_FIELD - 1 bytes). */
struct csv_row {
	char fields[CSV_MAX_FIELDS][CSV_MAX_FIELD];
	size_t n;
	int too_many;
};

/* The columns a GPS export may have. */
enum col {
	COL_TIME, COL_DATE, COL_LAT, COL_LON, COL_X, COL_Y, COL_SPEED, COL_DISTANCE,
	COL_AX, COL_AY, COL_AZ, COL_HR, N_COLS
};

static const struct col_name {
	const char *key;    /* the header without blanks, punctuation and unit, lower case */
	enum col col;
} col_names[] = {
	{ "time", COL_TIME }, { "timestamp", COL_TIME }, { "utc", COL_TIME }, { "utctime", COL_TIME },
	{ "timeutc", COL_TIME }, { "datetime", COL_TIME }, { "gpstime", COL_TIME }, { "elapsedtime", COL_TIME },
	{ "seconds", COL_TIME }, { "localtime", COL_TIME },
	{ "date", COL_DATE },
	{ "lat", COL_LAT }, { "latitude", COL_LAT },
	{ "lon", COL_LON }, { "long", COL_LON }, { "longitude", COL_LON }, { "lng", COL_LON },
	{ "x", COL_X }, { "posx", COL_X }, { "positionx", COL_X },
	{ "y", COL_Y }, { "posy", COL_Y }, { "positiony", COL_Y },
	{ "speed", COL_SPEED }, { "velocity", COL_SPEED }, { "vel", COL_SPEED },
	{ "distance", COL_DISTANCE }, { "odometer", COL_DISTANCE }, { "totaldistance", COL_DISTANCE },
	{ "accelx", COL_AX }, { "acclx", COL_AX }, { "accx", COL_AX }, { "ax", COL_AX }, { "accelerometerx", COL_AX },
	{ "accelerationx", COL_AX },
	{ "accely", COL_AY }, { "accly", COL_AY }, { "accy", COL_AY }, { "ay", COL_AY }, { "accelerometery", COL_AY },
	{ "accelerationy", COL_AY },
	{ "accelz", COL_AZ }, { "acclz", COL_AZ }, { "accz", COL_AZ }, { "az", COL_AZ }, { "accelerometerz", COL_AZ },
	{ "accelerationz", COL_AZ },
	{ "hr", COL_HR }, { "heartrate", COL_HR }, { "pulse", COL_HR },
};

/* Unit suffixes written without brackets ("Speed km/h", "HR bpm"), after punctuation is dropped. */
static const char *const unit_suffixes[] = { "kmh", "kph", "mph", "ms2", "ms", "bpm", "km", "m", "s", "g" };

/* Row-level reader state shared by both formats. */
struct csv_reader {
	struct csv_parser parser;
	struct csv_row row;
	unsigned long line;      /* the line being fed */
	int (*on_row)(struct csv_reader *r);
	void *ctx;
	int failed;
	char *err;
	size_t errsize;
};

static void on_field(void *s, size_t len, void *arg)
{
	struct csv_reader *r = arg;
	char *dst;

	if (r->row.n >= CSV_MAX_FIELDS) {
		r->row.too_many = 1;
		return;
	}
	dst = r->row.fields[r->row.n++];
	if (len >= CSV_MAX_FIELD)
		len = CSV_MAX_FIELD - 1;
	if (s != NULL)
		memcpy(dst, s, len);
	else
		len = 0;
	dst[len] = '\0';
}

static void on_row_end(int c, void *arg)
{
	struct csv_reader *r = arg;

	(void)c;
	if (!r->failed) {
		if (r->row.too_many)
			r->failed = 1, stint_wearable_err(r->err, r->errsize, "line %lu: more than %d fields",
							  r->line, CSV_MAX_FIELDS);
		else if (r->on_row(r) != 0)
			r->failed = 1;
	}
	r->row.n = 0;
	r->row.too_many = 0;
}

/* The delimiter of the first non-empty line: the most frequent of , ; and tab outside quotes. */
static unsigned char guess_delim(const char *data, size_t n)
{
	size_t counts[3] = { 0, 0, 0 }, i = 0;
	int quoted = 0;

	while (i < n && (data[i] == '\n' || data[i] == '\r'))
		i++;
	for (; i < n && data[i] != '\n'; i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			counts[0] += data[i] == ',', counts[1] += data[i] == ';', counts[2] += data[i] == '\t';
	}
	if (counts[1] > counts[0] && counts[1] >= counts[2])
		return ';';
	if (counts[2] > counts[0])
		return '\t';
	return ',';
}

/* Feed data to libcsv line by line, calling r->on_row for each row; 0 or -1 (err set). */
static int csv_read(struct csv_reader *r, const char *data, size_t n, unsigned char delim)
{
	size_t start = 0, end;
	int rc = 0;

	if (csv_init(&r->parser, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0)
		return stint_wearable_err(r->err, r->errsize, "out of memory");
	csv_set_delim(&r->parser, delim);
	r->line = 0;
	while (start < n && !r->failed) {
		const char *nl = memchr(data + start, '\n', n - start);

		end = nl != NULL ? (size_t)(nl - data) + 1 : n;
		r->line++;
		if (csv_parse(&r->parser, data + start, end - start, on_field, on_row_end, r) != end - start && !r->failed) {
			r->failed = 1;
			stint_wearable_err(r->err, r->errsize, "line %lu: %s", r->line, csv_strerror(csv_error(&r->parser)));
		}
		start = end;
	}
	if (!r->failed && csv_fini(&r->parser, on_field, on_row_end, r) != 0 && !r->failed) {
		r->failed = 1;
		stint_wearable_err(r->err, r->errsize, "line %lu: the file ends inside a quoted field", r->line);
	}
	if (r->failed)
		rc = -1;
	csv_free(&r->parser);
	return rc;
}

/* ---- GPS unit exports ---------------------------------------------------- */

struct gps_csv {
	int have_header;
	size_t n_fields;                  /* of the header */
	int col[N_COLS];                  /* field index, or -1 */
	double speed_scale, distance_scale, accel_scale;
	int relative_warned;
	stint_tracks *out;
	stint_track *track;
	stint_wearable_skips skips;
	char names[N_COLS][64];           /* the header's own names, for errors */
};

/* Lower-case alphanumerics of name into key, the bracketed unit ("(km/h)", "[m/s]") into unit. */
static void header_key(const char *name, char *key, size_t keysize, char *unit, size_t unitsize)
{
	size_t k = 0, u = 0;
	int in_unit = 0;

	for (const char *p = name; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '(' || c == '[')
			in_unit = 1;
		else if (c == ')' || c == ']')
			in_unit = 0;
		else if (in_unit && u + 1 < unitsize && !isspace(c))
			unit[u++] = (char)tolower(c);
		else if (!in_unit && isalnum(c) && k + 1 < keysize)
			key[k++] = (char)tolower(c);
	}
	key[k] = unit[u] = '\0';
}

/* The column key names (an unbracketed unit suffix moved to unit when the rest is a known name). */
static int column_of(char *key, char *unit, size_t unitsize)
{
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof(col_names) / sizeof(col_names[0]); i++)
			if (strcmp(key, col_names[i].key) == 0)
				return (int)col_names[i].col;
		if (pass == 1 || unit[0] != '\0')
			break;
		for (size_t i = 0; i < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); i++) {
			size_t kl = strlen(key), sl = strlen(unit_suffixes[i]);

			if (kl > sl && sl < unitsize && strcmp(key + kl - sl, unit_suffixes[i]) == 0) {
				memcpy(unit, unit_suffixes[i], sl + 1);
				key[kl - sl] = '\0';
				break;
			}
		}
	}
	return -1;
}

static double speed_scale_of(const char *unit)
{
	if (strstr(unit, "km") != NULL || strcmp(unit, "kph") == 0)
		return 1 / 3.6;
	if (strstr(unit, "mph") != NULL)
		return 0.44704;
	return 1;
}

/* Read the row as the header if it names a time column and at least one other known one. */
static int gps_try_header(struct gps_csv *g, const struct csv_row *row)
{
	int found = 0;

	for (int c = 0; c < N_COLS; c++)
		g->col[c] = -1;
	g->speed_scale = g->distance_scale = g->accel_scale = 1;
	for (size_t i = 0; i < row->n; i++) {
		char key[64], unit[32];
		int c;

		header_key(row->fields[i], key, sizeof(key), unit, sizeof(unit));
		if ((c = column_of(key, unit, sizeof(unit))) < 0 || g->col[c] >= 0)
			continue;
		g->col[c] = (int)i;
		snprintf(g->names[c], sizeof(g->names[c]), "%s", row->fields[i]);
		found++;
		if (c == COL_SPEED)
			g->speed_scale = speed_scale_of(unit);
		else if (c == COL_DISTANCE && strcmp(unit, "km") == 0)
			g->distance_scale = 1000;
		else if ((c == COL_AX || c == COL_AY || c == COL_AZ) && strncmp(unit, "ms", 2) == 0)
			g->accel_scale = 1 / 9.80665;
	}
	if (g->col[COL_TIME] < 0 || found < 2)
		return 0;
	g->have_header = 1;
	g->n_fields = row->n;
	return 1;
}

/* 1 when only blanks follow position used of value. */
static int rest_blank(const char *value, int used)
{
	return value[used + (int)strspn(value + used, " \t\r")] == '\0';
}

/* Seconds of the day of "hh:mm:ss[.f]" (or minutes and seconds "mm:ss.f"); -1 when value is not one. */
static int clock_seconds(const char *value, double *out)
{
	int h, m, used = 0;
	double sec;

	if (sscanf(value, " %2d:%2d:%lf%n", &h, &m, &sec, &used) == 3 && used > 0 && rest_blank(value, used) &&
	    h >= 0 && h < 24 && m >= 0 && m < 60 && sec >= 0 && sec < 61) {
		*out = h * 3600.0 + m * 60.0 + sec;
		return 0;
	}
	used = 0;
	if (sscanf(value, " %2d:%lf%n", &m, &sec, &used) == 2 && used > 0 && rest_blank(value, used) && m >= 0 &&
	    m < 60 && sec >= 0 && sec < 61) {
		*out = m * 60.0 + sec;
		return 0;
	}
	return -1;
}

/* Midnight UTC of a date "YYYY-MM-DD", "YYYY/MM/DD" (gpsbabel), "DD/MM/YYYY" or "DD.MM.YYYY"; -1 when not one. */
static int date_epoch(const char *value, double *out)
{
	char iso[40];
	int y, m, d, u1 = 0, u2 = 0, u3 = 0, u4 = 0;

	if ((sscanf(value, " %4d-%2d-%2d%n", &y, &m, &d, &u1) == 3 && u1 > 0 && rest_blank(value, u1)) ||
	    (sscanf(value, " %4d/%2d/%2d%n", &y, &m, &d, &u2) == 3 && u2 > 0 && rest_blank(value, u2)) ||
	    (sscanf(value, " %2d/%2d/%4d%n", &d, &m, &y, &u3) == 3 && u3 > 0 && rest_blank(value, u3)) ||
	    (sscanf(value, " %2d.%2d.%4d%n", &d, &m, &y, &u4) == 3 && u4 > 0 && rest_blank(value, u4))) {
		snprintf(iso, sizeof(iso), "%04d-%02d-%02dT00:00:00Z", y, m, d);
		return stint_wearable_time(iso, out);
	}
	return -1;
}

static int gps_fail(struct csv_reader *r, struct gps_csv *g, int c, const char *value, const char *what)
{
	return stint_wearable_err(r->err, r->errsize, "line %lu: column \"%s\": \"%.40s\" is not %s", r->line,
				  g->names[c], value, what);
}

/* The time of the row (t_s), from the time column and the date column if any. */
static int gps_time(struct csv_reader *r, struct gps_csv *g, double *t)
{
	const char *value = r->row.fields[g->col[COL_TIME]];
	char clock[CSV_MAX_FIELD], *comma;
	double v, day = 0;

	if (stint_wearable_time(value, t) == 0)
		return 0;
	snprintf(clock, sizeof(clock), "%s", value);
	if ((comma = strchr(clock, ',')) != NULL)    /* "18:30:00,1": a decimal comma */
		*comma = '.';
	if (clock_seconds(clock, &v) == 0) {
		if (g->col[COL_DATE] >= 0 && date_epoch(r->row.fields[g->col[COL_DATE]], &day) != 0)
			return gps_fail(r, g, COL_DATE, r->row.fields[g->col[COL_DATE]], "a date");
		*t = day + v;
	} else if (stint_wearable_number(value, &v) == 0 && !isnan(v)) {
		*t = v > 1e11 ? v / 1000 : v;
	} else {
		return gps_fail(r, g, COL_TIME, value, "a time");
	}
	if (*t < 1e8 && !g->relative_warned) {
		g->relative_warned = 1;
		stint_wearable_warn(g->out, "line %lu: times without a date: seconds from the start of the recording",
				    r->line);
	}
	return 0;
}

/* Column c of the row as a number times scale into *dst (empty: NAN). */
static int gps_number(struct csv_reader *r, struct gps_csv *g, int c, double scale, double *dst)
{
	const char *value;
	double v;

	if (g->col[c] < 0)
		return 0;
	value = r->row.fields[g->col[c]];
	if (value[strspn(value, " \t\r")] == '\0')
		return 0;
	if (stint_wearable_number(value, &v) != 0)
		return gps_fail(r, g, c, value, "a number");
	*dst = v * scale;
	return 0;
}

static int gps_row(struct csv_reader *r)
{
	struct gps_csv *g = r->ctx;
	stint_sample s;

	if (r->row.n == 1 && r->row.fields[0][strspn(r->row.fields[0], " \t\r")] == '\0')
		return 0;    /* a blank line */
	if (!g->have_header) {
		if (gps_try_header(g, &r->row) || r->line < CSV_HEADER_SEARCH)
			return 0;
		return stint_wearable_err(r->err, r->errsize, "line 1: no header line with a time column "
					  "(time, timestamp, utc, datetime, elapsed time) in the first %d lines",
					  CSV_HEADER_SEARCH);
	}
	if (r->row.n != g->n_fields)
		return stint_wearable_err(r->err, r->errsize, "line %lu: %zu fields, the header has %zu", r->line,
					  r->row.n, g->n_fields);
	stint_sample_clear(&s);
	if (gps_time(r, g, &s.t_s) || gps_number(r, g, COL_LAT, 1, &s.lat_deg) ||
	    gps_number(r, g, COL_LON, 1, &s.lon_deg) || gps_number(r, g, COL_X, 1, &s.x_m) ||
	    gps_number(r, g, COL_Y, 1, &s.y_m) || gps_number(r, g, COL_SPEED, g->speed_scale, &s.speed_mps) ||
	    gps_number(r, g, COL_DISTANCE, g->distance_scale, &s.distance_m) ||
	    gps_number(r, g, COL_AX, g->accel_scale, &s.ax_g) || gps_number(r, g, COL_AY, g->accel_scale, &s.ay_g) ||
	    gps_number(r, g, COL_AZ, g->accel_scale, &s.az_g) || gps_number(r, g, COL_HR, 1, &s.hr_bpm))
		return -1;
	if (fabs(s.lat_deg) > 90 || fabs(s.lon_deg) > 180)
		return stint_wearable_err(r->err, r->errsize, "line %lu: latitude/longitude out of range", r->line);
	if (stint_track_append(g->track, &s, r->line, &g->skips) != 0)
		return stint_wearable_err(r->err, r->errsize, "out of memory");
	return 0;
}

int stint_wearable_parse_csv(const char *data, size_t n, stint_tracks *out, char *err, size_t errsize)
{
	struct gps_csv *g = calloc(1, sizeof(*g));
	struct csv_reader *r = calloc(1, sizeof(*r));
	int rc = -1;

	if (g == NULL || r == NULL || (g->track = stint_tracks_add(out, "")) == NULL) {
		stint_wearable_err(err, errsize, "out of memory");
		goto out;
	}
	g->out = out;
	r->on_row = gps_row;
	r->ctx = g;
	r->err = err;
	r->errsize = errsize;
	if (csv_read(r, data, n, guess_delim(data, n)) != 0)
		goto out;
	if (!g->have_header) {
		stint_wearable_err(err, errsize, "line 1: no header line with a time column "
				   "(time, timestamp, utc, datetime, elapsed time)");
		goto out;
	}
	stint_wearable_skips_warn(out, &g->skips);
	rc = 0;
out:
	free(g);
	free(r);
	return rc;
}

/* ---- Metrica tracking ------------------------------------------------------ */

struct metrica {
	char teams[CSV_MAX_FIELDS][32];    /* row 1 */
	char jerseys[CSV_MAX_FIELDS][16];  /* row 2 */
	size_t n_fields;
	int rows;                          /* rows read so far */
	int track_of[CSV_MAX_FIELDS];      /* field index of a player's x -> track, or -1 */
	stint_tracks *out;
	stint_wearable_skips skips;
};

/* The header row: "Period,Frame,Time [s]", then PlayerN,<empty> pairs, then Ball,<empty>. */
static int metrica_header(struct csv_reader *r, struct metrica *m)
{
	const struct csv_row *row = &r->row;

	if (row->n < 5 || strcmp(row->fields[0], "Period") != 0 || strcmp(row->fields[1], "Frame") != 0 ||
	    strncmp(row->fields[2], "Time", 4) != 0)
		return stint_wearable_err(r->err, r->errsize, "line %lu: not the Metrica header "
					  "\"Period,Frame,Time [s],Player...\"", r->line);
	m->n_fields = row->n;
	for (size_t i = 0; i < row->n; i++)
		m->track_of[i] = -1;
	for (size_t i = 3; i + 1 < row->n; i += 2) {
		char label[64];

		if (strncmp(row->fields[i], "Player", 6) != 0)
			continue;
		snprintf(label, sizeof(label), "%s_%s", m->teams[i][0] != '\0' ? m->teams[i] : "team",
			 m->jerseys[i][0] != '\0' ? m->jerseys[i] : row->fields[i] + 6);
		for (char *p = label; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		if (stint_tracks_add(m->out, label) == NULL)
			return stint_wearable_err(r->err, r->errsize, "out of memory");
		m->track_of[i] = (int)m->out->n - 1;
	}
	if (m->out->n == 0)
		return stint_wearable_err(r->err, r->errsize, "line %lu: no Player column", r->line);
	return 0;
}

static int metrica_number(struct csv_reader *r, size_t i, double *v)
{
	if (stint_wearable_number(r->row.fields[i], v) != 0)
		return stint_wearable_err(r->err, r->errsize, "line %lu: field %zu: \"%.40s\" is not a number", r->line,
					  i + 1, r->row.fields[i]);
	return 0;
}

static int metrica_row(struct csv_reader *r)
{
	struct metrica *m = r->ctx;
	double t;

	if (m->rows < 2) {
		for (size_t i = 0; i < r->row.n; i++)
			snprintf(m->rows == 0 ? m->teams[i] : m->jerseys[i], m->rows == 0 ? 32 : 16, "%s",
				 r->row.fields[i]);
		m->rows++;
		return 0;
	}
	if (m->rows++ == 2)
		return metrica_header(r, m);
	if (r->row.n != m->n_fields)
		return stint_wearable_err(r->err, r->errsize, "line %lu: %zu fields, the header has %zu", r->line,
					  r->row.n, m->n_fields);
	if (metrica_number(r, 2, &t) != 0)
		return -1;
	for (size_t i = 3; i + 1 < r->row.n; i += 2) {
		stint_sample s;
		double fx, fy;

		if (m->track_of[i] < 0)
			continue;
		if (metrica_number(r, i, &fx) != 0 || metrica_number(r, i + 1, &fy) != 0)
			return -1;
		stint_sample_clear(&s);
		s.t_s = t;
		s.x_m = fx * STINT_PITCH_LENGTH_M;
		s.y_m = fy * STINT_PITCH_WIDTH_M;
		if (stint_track_append(&m->out->tracks[m->track_of[i]], &s, r->line, &m->skips) != 0)
			return stint_wearable_err(r->err, r->errsize, "out of memory");
	}
	return 0;
}

int stint_wearable_parse_metrica(const char *data, size_t n, stint_tracks *out, char *err, size_t errsize)
{
	struct metrica *m = calloc(1, sizeof(*m));
	struct csv_reader *r = calloc(1, sizeof(*r));
	int rc = -1;

	if (m == NULL || r == NULL) {
		stint_wearable_err(err, errsize, "out of memory");
		goto out;
	}
	m->out = out;
	r->on_row = metrica_row;
	r->ctx = m;
	r->err = err;
	r->errsize = errsize;
	if (csv_read(r, data, n, ',') != 0)
		goto out;
	if (m->rows < 3) {
		stint_wearable_err(err, errsize, "line %lu: the file ends before the Metrica header (line 3)",
				   r->line > 0 ? r->line : 1);
		goto out;
	}
	stint_wearable_skips_warn(out, &m->skips);
	rc = 0;
out:
	free(m);
	free(r);
	return rc;
}
