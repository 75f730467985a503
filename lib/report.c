/*
 * report.c: the team report's page and CSV from its metrics document.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "report.h"
#include "view.h"

#define SVG_W 600
#define NUM_LEN 48

static const char *const zone_colors[] = { "#c6dbef", "#6baed6", "#fdae6b", "#f16913", "#a63603" };

/* The footnotes: each formula's definition and source (lib/loadmetrics.h has the same). */
static const char *const footnotes[] = {
	"Speed: the unit's own speed where it has one, else from its cumulative distance, else from positions "
	"(great-circle distance by the haversine formula with the mean Earth radius 6,371,008.8 m for GPS, metres "
	"on the pitch for tracking data) over the time between samples. Speeds above the maximum plausible speed "
	"are dropped as glitches, then smoothed with a Savitzky-Golay filter (Savitzky and Golay, Anal. Chem. 1964, "
	"36:1627) per stretch without gaps, as LaurieOnTracking's Metrica_Velocities.py does (window 7, order 1).",
	"Distance is the sum of speed x time (or the unit's own distance increments, where it records them) over "
	"intervals shorter than the gap limit (longer ones are pauses). "
	"Speed zones, high-speed running (from 19.8 km/h, 5.5 m/s) and sprints (from 25.2 km/h, 7 m/s, held at "
	"least 1 s) follow the common football cut-offs (Pimenta et al.) and LaurieOnTracking's bands; a systematic "
	"review finds no consensus (Gualtieri et al., Front. Sports Act. Living 2023, doi 10.3389/fspor.2023.1116293), "
	"so every threshold is the team's setting, listed below.",
	"Accelerations and decelerations: the change of the smoothed speed over time; an effort is a stretch at or "
	"beyond the threshold held at least the minimum time, counted once.",
	"PlayerLoad: the sum over consecutive samples of the square root of the squared changes of the three "
	"accelerometer axes (in g), divided by 100 (Boyd, Ball and Aughey, IJSPP 2011, 6:311; Catapult), at the "
	"file's own sampling rate. Catapult's own figures have been measured about 15 % below this manual "
	"computation (Nicolella et al.).",
	"Heart rate: time in zones of % of HRmax; Banister TRIMP = minutes x dHR x a x e^(b x dHR), dHR = "
	"(HRavg - HRrest) / (HRmax - HRrest), a = 0.64 and b = 1.92 for men, 0.86 and 1.67 for women (Banister 1991; "
	"Morton, Fitz-Clarke and Banister, J Appl Physiol 1990, 69:1171).",
	"Session RPE load (sRPE) = CR-10 rating x duration in minutes, in arbitrary units (Foster et al., J Strength "
	"Cond Res 2001, 15:109).",
	"Acute:chronic workload ratio of daily sRPE loads (UTC days; a day without a survey counts 0), where the "
	"player's surveys in other sessions cover the chronic window: rolling = mean of the last 7 days / mean of the "
	"last 28 days (coupled: the chronic window includes the acute one); EWMA = exponentially weighted moving "
	"averages with lambda = 2 / (N + 1), N = 7 and 28, started at 0 the day before the first load (Williams et al., "
	"BJSM 2017, 51:209). The windows are the team's (thresholds); the same figures as the surveys API.",
	"Wellness items as the player reported them: fatigue, mood, sleep quality, soreness and stress on 1-5 with 1 the "
	"worst, readiness 0-10, sleep in hours (the PMSys questionnaire, as in PMData: Thambawita et al., MMSys 2020). "
	"An item at or below the team's flag value is flagged.",
};

/* v (a JSON number, or anything else: missing) formatted with decimals into buf (size NUM_LEN). */
static const char *fmt(const cJSON *v, int decimals, char *buf)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return "\xe2\x80\x93";  /* an en dash */
	snprintf(buf, NUM_LEN, "%.*f", decimals, v->valuedouble);
	return buf;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Add o[key] formatted as key to view object to. */
static void add_fmt(cJSON *to, const char *name, const cJSON *o, const char *key, int decimals)
{
	char buf[NUM_LEN];

	cJSON_AddStringToObject(to, name, fmt(cJSON_GetObjectItemCaseSensitive(o, key), decimals, buf));
}

/* A player's label: "#7 Ana (A)" style parts into buf. */
static void player_label(const cJSON *p, stint_buf *b)
{
	const char *no = str(p, "number"), *side = str(p, "team_side");

	if (*no)
		stint_buf_printf(b, "#%s ", no);
	stint_buf_puts(b, str(p, "player"));
	if (*side)
		stint_buf_printf(b, " (%s)", side);
}

/* The speed-over-time chart: mean speed per bin, the zone bounds dashed. */
static void svg_speed(const cJSON *p, stint_buf *b)
{
	const cJSON *series = cJSON_GetObjectItemCaseSensitive(p, "speed_series");
	const cJSON *bins = cJSON_GetObjectItemCaseSensitive(series, "mean_mps");
	const cJSON *bounds = cJSON_GetObjectItemCaseSensitive(p, "zone_bounds_mps"), *v;
	const double h = 150, left = 34, bottom = 20, top = 6;
	double ymax = 8, bin_s = num(series, "bin_s"), x, y;
	int n = cJSON_GetArraySize(bins), i, open = 0;

	cJSON_ArrayForEach(v, bins)
		if (cJSON_IsNumber(v) && v->valuedouble > ymax)
			ymax = ceil(v->valuedouble);
	stint_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" width=\"%d\" height=\"%.0f\""
			 " role=\"img\" aria-label=\"Mean speed per %.0f s\"><title>Speed over time</title>",
			 SVG_W, h, SVG_W, h, bin_s);
	stint_buf_printf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%d\" y2=\"%.0f\" stroke=\"#444\"></line>",
			 left, h - bottom, SVG_W, h - bottom);
	cJSON_ArrayForEach(v, bounds) {
		y = h - bottom - (h - bottom - top) * v->valuedouble / ymax;
		stint_buf_printf(b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\""
				 " stroke-dasharray=\"3 3\"></line><text x=\"2\" y=\"%.1f\" font-size=\"9\">%.1f</text>",
				 left, y, SVG_W, y, y + 3, v->valuedouble);
	}
	stint_buf_printf(b, "<text x=\"2\" y=\"%.0f\" font-size=\"9\">m/s</text>", top + 6);
	for (i = 0; i < n; i++) {
		v = cJSON_GetArrayItem(bins, i);
		if (!cJSON_IsNumber(v)) {
			if (open)
				stint_buf_puts(b, "\"></polyline>");
			open = 0;
			continue;
		}
		x = left + (SVG_W - left) * (i + 0.5) / (n > 0 ? n : 1);
		y = h - bottom - (h - bottom - top) * v->valuedouble / ymax;
		if (!open)
			stint_buf_puts(b, "<polyline fill=\"none\" stroke=\"#08519c\" stroke-width=\"1.5\" points=\"");
		stint_buf_printf(b, "%s%.1f,%.1f", open ? " " : "", x, y);
		open = 1;
	}
	if (open)
		stint_buf_puts(b, "\"></polyline>");
	stint_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"9\">0 min</text>"
			 "<text x=\"%d\" y=\"%.0f\" font-size=\"9\" text-anchor=\"end\">%.0f min</text></svg>",
			 left, h - 6, SVG_W - 2, h - 6, n * bin_s / 60);
}

/* The zone bar: the distance in each speed zone, stacked. */
static void svg_zones(const cJSON *p, stint_buf *b)
{
	const cJSON *zones = cJSON_GetObjectItemCaseSensitive(p, "zones"), *z;
	double total = 0, x = 0, w;
	int i = 0;

	cJSON_ArrayForEach(z, zones)
		total += num(z, "distance_m");
	stint_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d 24\" width=\"%d\" height=\"24\""
			 " role=\"img\" aria-label=\"Distance per speed zone\"><title>Distance per speed zone</title>",
			 SVG_W, SVG_W);
	cJSON_ArrayForEach(z, zones) {
		w = total > 0 ? SVG_W * num(z, "distance_m") / total : 0;
		stint_buf_printf(b, "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"20\" fill=\"%s\"></rect>", x, w,
				 zone_colors[i++ % 5]);
		x += w;
	}
	stint_buf_puts(b, "</svg>");
}

/* A player's label HTML-escaped, for the svg (player_label writes it raw, for the view's {{ }}). */
static void player_label_escaped(const cJSON *p, stint_buf *b)
{
	stint_buf raw = STINT_BUF_INIT;

	player_label(p, &raw);
	stint_html_txt(b, raw.data != NULL ? raw.data : "");
	stint_buf_free(&raw);
}

/* The team chart: distance per player, one bar each. */
static void svg_distance(const cJSON *players, stint_buf *b)
{
	const cJSON *p;
	const double row = 18, left = 160;
	double max = 0, y = 0;
	int n = cJSON_GetArraySize(players);

	cJSON_ArrayForEach(p, players)
		if (num(p, "distance_m") > max)
			max = num(p, "distance_m");
	stint_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" width=\"%d\" height=\"%.0f\""
			 " role=\"img\" aria-label=\"Distance per player\"><title>Distance per player</title>",
			 SVG_W, row * n + 4, SVG_W, row * n + 4);
	cJSON_ArrayForEach(p, players) {
		double d = num(p, "distance_m"), w = max > 0 && isfinite(d) ? (SVG_W - left - 70) * d / max : 0;

		stint_buf_printf(b, "<text x=\"0\" y=\"%.0f\" font-size=\"11\">", y + 13);
		player_label_escaped(p, b);
		stint_buf_printf(b, "</text><rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\" fill=\"#6baed6\">"
				 "</rect><text x=\"%.1f\" y=\"%.0f\" font-size=\"11\">%.0f m</text>", left, y + 3, w,
				 row - 5, left + w + 4, y + 13, isfinite(d) ? d : 0);
		y += row;
	}
	stint_buf_puts(b, "</svg>");
}

/* An svg written into a buf, escaped text only: added raw ({{{ }}}) to the view. */
static void add_svg(cJSON *to, const char *name, stint_buf *b)
{
	cJSON_AddStringToObject(to, name, b->data != NULL ? b->data : "");
	stint_buf_reset(b);
}

/* A summary row (the team table) of player p. */
static cJSON *summary_row(const cJSON *p)
{
	cJSON *r = cJSON_CreateObject();
	const cJSON *hr = cJSON_GetObjectItemCaseSensitive(p, "hr"), *sv = cJSON_GetObjectItemCaseSensitive(p, "survey");
	stint_buf b = STINT_BUF_INIT;

	player_label(p, &b);
	cJSON_AddStringToObject(r, "label", b.data != NULL ? b.data : "");
	stint_buf_free(&b);
	add_fmt(r, "distance", p, "distance_m", 0);
	add_fmt(r, "hsr", p, "hsr_distance_m", 0);
	add_fmt(r, "sprints", p, "sprints", 0);
	add_fmt(r, "max_kmh", p, "max_speed_kmh", 1);
	add_fmt(r, "acc", p, "accelerations", 0);
	add_fmt(r, "dec", p, "decelerations", 0);
	add_fmt(r, "player_load", p, "player_load", 1);
	add_fmt(r, "trimp", hr, "trimp", 1);
	add_fmt(r, "srpe", sv, "srpe", 0);
	return r;
}

/* The zone table of a player: one row per zone. */
static cJSON *zone_rows(const cJSON *p)
{
	const cJSON *zones = cJSON_GetObjectItemCaseSensitive(p, "zones"), *z;
	cJSON *rows = cJSON_CreateArray();
	char buf[NUM_LEN * 3], a[NUM_LEN], c[NUM_LEN];
	int i = 0;

	cJSON_ArrayForEach(z, zones) {
		cJSON *r = cJSON_CreateObject();
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(z, "to_mps");

		if (cJSON_IsNumber(to))
			snprintf(buf, sizeof(buf), "%s\xe2\x80\x93%s m/s", fmt(cJSON_GetObjectItemCaseSensitive(z, "from_mps"), 1, a),
				 fmt(to, 1, c));
		else
			snprintf(buf, sizeof(buf), "\xe2\x89\xa5 %s m/s", fmt(cJSON_GetObjectItemCaseSensitive(z, "from_mps"), 1, a));
		cJSON_AddStringToObject(r, "range", buf);
		cJSON_AddStringToObject(r, "color", zone_colors[i++ % 5]);
		add_fmt(r, "distance", z, "distance_m", 0);
		add_fmt(r, "time", z, "time_s", 0);
		cJSON_AddItemToArray(rows, r);
	}
	return rows;
}

/* The page of one player. */
static cJSON *player_view(const cJSON *p, stint_buf *svg)
{
	cJSON *v = summary_row(p), *stats, *ev;
	const cJSON *hr = cJSON_GetObjectItemCaseSensitive(p, "hr"), *e;

	cJSON_AddStringToObject(v, "device", str(p, "device_id"));
	cJSON_AddStringToObject(v, "format", str(p, "format"));
	cJSON_AddStringToObject(v, "window_from", str(cJSON_GetObjectItemCaseSensitive(p, "window"), "from"));
	cJSON_AddStringToObject(v, "window_to", str(cJSON_GetObjectItemCaseSensitive(p, "window"), "to"));
	add_fmt(v, "samples", p, "samples", 0);
	add_fmt(v, "minutes", p, "duration_min", 1);
	add_fmt(v, "max_mps", p, "max_speed_mps", 2);
	add_fmt(v, "sprint_distance", p, "sprint_distance_m", 0);
	add_fmt(v, "dropped", p, "dropped", 0);
	cJSON_AddBoolToObject(v, "has_speed", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "has_speed")));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "has_speed"))) {
		svg_speed(p, svg);
		add_svg(v, "speed_svg", svg);
		svg_zones(p, svg);
		add_svg(v, "zones_svg", svg);
		cJSON_AddItemToObject(v, "zones", zone_rows(p));
	}
	if (cJSON_IsObject(hr)) {
		stats = cJSON_AddObjectToObject(v, "hr");
		add_fmt(stats, "avg", hr, "avg_bpm", 0);
		add_fmt(stats, "max", hr, "max_bpm", 0);
		add_fmt(stats, "trimp", hr, "trimp", 1);
		ev = cJSON_AddArrayToObject(stats, "zones");
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(hr, "zones")) {
			cJSON *r = cJSON_CreateObject();
			char a[NUM_LEN], b[NUM_LEN], range[NUM_LEN * 3];
			const cJSON *to = cJSON_GetObjectItemCaseSensitive(e, "to_pct");

			snprintf(range, sizeof(range), cJSON_IsNumber(to) ? "%s\xe2\x80\x93%s %%" : "\xe2\x89\xa5 %s %%",
				 fmt(cJSON_GetObjectItemCaseSensitive(e, "from_pct"), 0, a), fmt(to, 0, b));
			cJSON_AddStringToObject(r, "range", range);
			add_fmt(r, "time", e, "time_s", 0);
			cJSON_AddItemToArray(ev, r);
		}
	}
	ev = cJSON_AddArrayToObject(v, "events");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "events")) {
		cJSON *r = cJSON_CreateObject();
		char buf[NUM_LEN];

		cJSON_AddStringToObject(r, "type", e->string);
		cJSON_AddStringToObject(r, "count", fmt(e, 0, buf));
		cJSON_AddItemToArray(ev, r);
	}
	cJSON_AddBoolToObject(v, "has_events", cJSON_GetArraySize(ev) > 0);
	cJSON_AddItemReferenceToObject(v, "warnings", cJSON_GetObjectItemCaseSensitive(p, "warnings"));
	cJSON_AddBoolToObject(v, "has_warnings", cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "warnings")) > 0);
	return v;
}

/* The survey table's rows, with the flagged items named. */
static cJSON *survey_rows(const cJSON *metrics)
{
	cJSON *rows = cJSON_CreateArray();
	const cJSON *s, *f;

	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(metrics, "surveys")) {
		cJSON *r = cJSON_CreateObject();
		stint_buf flags = STINT_BUF_INIT;

		cJSON_AddStringToObject(r, "player", str(s, "player"));
		add_fmt(r, "rpe", s, "rpe", 1);
		add_fmt(r, "minutes", s, "duration_min", 0);
		add_fmt(r, "srpe", s, "srpe", 0);
		add_fmt(r, "fatigue", s, "fatigue", 0);
		add_fmt(r, "mood", s, "mood", 0);
		add_fmt(r, "readiness", s, "readiness", 0);
		add_fmt(r, "sleep_h", s, "sleep_duration_h", 1);
		add_fmt(r, "sleep_quality", s, "sleep_quality", 0);
		add_fmt(r, "soreness", s, "soreness", 0);
		add_fmt(r, "stress", s, "stress", 0);
		add_fmt(r, "acwr_rolling", s, "acwr_rolling", 2);
		add_fmt(r, "acwr_ewma", s, "acwr_ewma", 2);
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(s, "flags"))
			stint_buf_printf(&flags, "%s%s", flags.len ? ", " : "", f->valuestring);
		cJSON_AddBoolToObject(r, "flagged", flags.len > 0);
		cJSON_AddStringToObject(r, "flags", flags.data != NULL ? flags.data : "");
		stint_buf_free(&flags);
		cJSON_AddItemToArray(rows, r);
	}
	return rows;
}

/* The thresholds used, as label/value rows. */
static cJSON *threshold_rows(const cJSON *metrics)
{
	static const struct { const char *key, *label; int dec; } keys[] = {
		{ "max_speed_mps", "Maximum plausible speed (m/s)", 1 }, { "gap_s", "Gap limit (s)", 1 },
		{ "sg_window", "Savitzky-Golay window (samples)", 0 }, { "sg_order", "Savitzky-Golay order", 0 },
		{ "hsr_mps", "High-speed running from (m/s)", 1 }, { "sprint_mps", "Sprint from (m/s)", 1 },
		{ "sprint_min_s", "Sprint held at least (s)", 1 }, { "accel_mps2", "Acceleration effort from (m/s\xc2\xb2)", 1 },
		{ "effort_min_s", "Effort held at least (s)", 1 }, { "hr_rest_bpm", "HRrest (bpm)", 0 },
		{ "hr_max_bpm", "HRmax (bpm)", 0 }, { "trimp_a", "TRIMP a", 2 }, { "trimp_b", "TRIMP b", 2 },
		{ "wellness_flag_max", "Wellness item flagged at or below", 0 },
		{ "readiness_flag_max", "Readiness flagged at or below", 0 }, { "sleep_flag_h", "Sleep flagged under (h)", 1 },
	};
	cJSON *out = cJSON_CreateArray();
	const cJSON *t;
	size_t i;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(metrics, "thresholds")) {
		cJSON *set = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(set, "rows");

		cJSON_AddStringToObject(set, "team", *str(t, "team") ? str(t, "team") : "every team (defaults)");
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			cJSON *r = cJSON_CreateObject();

			cJSON_AddStringToObject(r, "label", keys[i].label);
			add_fmt(r, "value", t, keys[i].key, keys[i].dec);
			cJSON_AddItemToArray(rows, r);
		}
		cJSON_AddItemToArray(out, set);
	}
	return out;
}

/* The event KPI table: one column per event type, one row per player with events. */
static void event_table(const cJSON *metrics, cJSON *view)
{
	const cJSON *types = cJSON_GetObjectItemCaseSensitive(metrics, "event_types"), *p, *t;
	cJSON *rows = cJSON_AddArrayToObject(view, "event_rows");
	char buf[NUM_LEN];

	cJSON_AddItemReferenceToObject(view, "event_types", (cJSON *)types);
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(metrics, "players")) {
		const cJSON *ev = cJSON_GetObjectItemCaseSensitive(p, "events");
		cJSON *r, *cells;
		stint_buf b = STINT_BUF_INIT;

		if (cJSON_GetArraySize(ev) == 0)
			continue;
		r = cJSON_CreateObject();
		player_label(p, &b);
		cJSON_AddStringToObject(r, "label", b.data != NULL ? b.data : "");
		stint_buf_free(&b);
		cells = cJSON_AddArrayToObject(r, "counts");
		cJSON_ArrayForEach(t, types) {
			const cJSON *c = cJSON_GetObjectItemCaseSensitive(ev, t->valuestring);

			cJSON_AddItemToArray(cells, cJSON_CreateString(cJSON_IsNumber(c) ? fmt(c, 0, buf) : "0"));
		}
		cJSON_AddItemToArray(rows, r);
	}
	cJSON_AddBoolToObject(view, "has_events", cJSON_GetArraySize(rows) > 0);
}

int stint_report_html(const cJSON *metrics, stint_buf *out, stint_buf *err)
{
	const cJSON *players = cJSON_GetObjectItemCaseSensitive(metrics, "players"), *p;
	const cJSON *session = cJSON_GetObjectItemCaseSensitive(metrics, "session");
	cJSON *view = cJSON_CreateObject(), *rows, *pages, *notes;
	stint_buf svg = STINT_BUF_INIT, label = STINT_BUF_INIT;
	size_t i;
	int rc;

	if (view == NULL)
		return -1;
	cJSON_AddStringToObject(view, "title", str(session, "title"));
	cJSON_AddStringToObject(view, "kind", str(session, "kind"));
	cJSON_AddStringToObject(view, "day", str(session, "day"));
	cJSON_AddStringToObject(view, "generated_at", str(metrics, "generated_at"));
	cJSON_AddStringToObject(view, "run", str(metrics, "run"));
	rows = cJSON_AddArrayToObject(view, "summary");
	pages = cJSON_AddArrayToObject(view, "players");
	cJSON_ArrayForEach(p, players) {
		cJSON_AddItemToArray(rows, summary_row(p));
		cJSON_AddItemToArray(pages, player_view(p, &svg));
	}
	cJSON_AddItemToObject(view, "team", summary_row(cJSON_GetObjectItemCaseSensitive(metrics, "team")));
	svg_distance(players, &label);
	add_svg(view, "distance_svg", &label);
	cJSON_AddItemToObject(view, "surveys", survey_rows(metrics));
	cJSON_AddBoolToObject(view, "has_surveys", cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(view, "surveys")) > 0);
	cJSON_AddItemToObject(view, "thresholds", threshold_rows(metrics));
	event_table(metrics, view);
	notes = cJSON_AddArrayToObject(view, "footnotes");
	for (i = 0; i < sizeof(footnotes) / sizeof(footnotes[0]); i++) {
		cJSON *n = cJSON_CreateObject();

		cJSON_AddNumberToObject(n, "n", (double)(i + 1));
		cJSON_AddStringToObject(n, "text", footnotes[i]);
		cJSON_AddItemToArray(notes, n);
	}
	rc = stint_view_render("report", view, out, err);
	cJSON_Delete(view);
	stint_buf_free(&svg);
	stint_buf_free(&label);
	return rc;
}

/* One CSV cell: RFC 4180 quoting, a leading ' before a formula character. */
static void csv_cell(stint_buf *b, const char *s, int first)
{
	const char *c;

	if (!first)
		stint_buf_putc(b, ',');
	if (strpbrk(s, ",\"\r\n") == NULL && strchr("=+-@\t\r", s[0]) == NULL) {
		stint_buf_puts(b, s);
		return;
	}
	stint_buf_putc(b, '"');
	if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		stint_buf_putc(b, '\'');
	for (c = s; *c; c++) {
		if (*c == '"')
			stint_buf_putc(b, '"');
		stint_buf_putc(b, *c);
	}
	stint_buf_putc(b, '"');
}

static void csv_num(stint_buf *b, const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsNumber(v) && isfinite(v->valuedouble))
		stint_buf_printf(b, ",%.10g", v->valuedouble);
	else
		stint_buf_putc(b, ',');
}

int stint_report_csv(const cJSON *metrics, stint_buf *out)
{
	static const char *const cols[] = { "samples", "duration_s", "distance_m", "max_speed_mps", "max_speed_kmh",
					    "hsr_distance_m", "sprints", "sprint_distance_m", "accelerations",
					    "decelerations", "player_load" };
	const cJSON *p, *z;
	size_t i;
	int k;

	stint_buf_puts(out, "player,team_side,number,device_id");
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		stint_buf_printf(out, ",%s", cols[i]);
	for (k = 1; k <= 5; k++)
		stint_buf_printf(out, ",zone%d_distance_m,zone%d_time_s", k, k);
	stint_buf_puts(out, ",hr_avg_bpm,hr_max_bpm,trimp,rpe,duration_min,srpe,acwr_rolling,acwr_ewma\r\n");
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(metrics, "players")) {
		const cJSON *hr = cJSON_GetObjectItemCaseSensitive(p, "hr");
		const cJSON *sv = cJSON_GetObjectItemCaseSensitive(p, "survey");

		csv_cell(out, str(p, "player"), 1);
		csv_cell(out, str(p, "team_side"), 0);
		csv_cell(out, str(p, "number"), 0);
		csv_cell(out, str(p, "device_id"), 0);
		for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
			csv_num(out, p, cols[i]);
		k = 0;
		cJSON_ArrayForEach(z, cJSON_GetObjectItemCaseSensitive(p, "zones")) {
			csv_num(out, z, "distance_m");
			csv_num(out, z, "time_s");
			k++;
		}
		for (; k < 5; k++)
			stint_buf_puts(out, ",,");
		csv_num(out, hr, "avg_bpm");
		csv_num(out, hr, "max_bpm");
		csv_num(out, hr, "trimp");
		csv_num(out, sv, "rpe");
		csv_num(out, sv, "duration_min");
		csv_num(out, sv, "srpe");
		csv_num(out, sv, "acwr_rolling");
		csv_num(out, sv, "acwr_ewma");
		if (stint_buf_puts(out, "\r\n") != 0)
			return -1;
	}
	return 0;
}
