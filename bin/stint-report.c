/*
 * stint-report: a session's team report (issue 12; ARCHITECTURE.md, "Report
 * builder"; docs/report.md).
 *
 *   stint-report SESSION_ID
 *
 * or, as the process_report task (docs/tasks.md, "The child protocol"),
 * without arguments: the session is the task's (STINT_TASK_SESSION_ID), or
 * "session_id" of the params object on standard input.
 *
 * It reads the session's participants and their device files (each parsed
 * with stint_wearable_parse_file on one of report_threads threads, default
 * the processors online; each thread holds one file at a time, so memory
 * stays that of a few files), their surveys and acute:chronic workload
 * ratios (the document of GET .../surveys), the thresholds of their
 * team (load_thresholds) and the event counts by player; computes the load
 * metrics (lib/loadmetrics.h) and writes report.html, metrics.json and
 * metrics.csv under the var folder's reports/<session>/<run>/: each file
 * to a temporary name then renamed, in a hidden folder renamed to <run>
 * once all three are complete. Then one unit of work records the three
 * artifacts (report, report_data), sets the session's report_url,
 * processing_status completed and last_processed_at, and announces
 * session_updated and report_ready. The session is processing while it
 * runs. A failure leaves the previous report as it was, the session failed,
 * and the reason (naming the device and the line for a device file) on
 * standard error.
 *
 * Standard output speaks the spooler's protocol: "progress N message"
 * lines and a last JSON result line {"report_url", "artifact_id", "run",
 * "players", "samples"}. Exit status: 0 done; 100 a failure that another
 * run would repeat (a corrupt or missing device file, no such session, bad
 * thresholds); 1 another failure (the database away: the spooler retries).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "log.h"
#include "loadmetrics.h"
#include "media.h"
#include "report.h"
#include "store.h"
#include "thresholds.h"
#include "tx.h"
#include "validate.h"
#include "view.h"
#include "wearable.h"

#define EXIT_PERMANENT 100
#define MAX_BINS 600
#define PARAMS_MAX (64 * 1024)
#define MAX_THREADS 16

typedef struct report {
	stint_db db;
	const char *sid;
	cJSON *metrics;             /* the metrics.json document */
	stint_thresholds th[3];     /* by side: A, B, none */
	int th_read[3];
	double from_s, to_s;        /* the session's times (NAN when unset) */
	PGresult *events;           /* REPORT_EVENT_COUNTS */
	size_t samples;             /* parsed in all files */
	char err[1024];
	int permanent;              /* the failure would repeat */
	char fetch_dir[4096];       /* local copies of device files in the media bucket ("" until one is needed) */
} report;

static void progress(int pct, const char *msg, size_t i, size_t n)
{
	if (n > 0)
		printf("progress %d %s %zu of %zu\n", pct, msg, i, n);
	else
		printf("progress %d %s\n", pct, msg);
	fflush(stdout);
}

/* A number rounded to decimals, or null when it is not finite. */
static void put(cJSON *o, const char *key, double v, int decimals)
{
	double f = pow(10, decimals);

	if (isfinite(v))
		cJSON_AddNumberToObject(o, key, round(v * f) / f);
	else
		cJSON_AddNullToObject(o, key);
}

static double cell_num(const PGresult *res, int row, const char *col)
{
	const char *s = stint_db_cell(res, row, col);

	return s != NULL ? strtod(s, NULL) : NAN;
}

/* Epoch seconds as "2012-12-26 21:29:53Z" into buf (size 32), or "" for none. */
static const char *iso(double t, char *buf)
{
	time_t s;
	struct tm tm;

	buf[0] = '\0';
	if (!isfinite(t))
		return buf;
	s = (time_t)floor(t);
	if (gmtime_r(&s, &tm) != NULL)
		strftime(buf, 32, "%Y-%m-%d %H:%M:%SZ", &tm);
	return buf;
}

static int side_index(const char *side)
{
	return side == NULL || *side == '\0' ? 2 : side[0] == 'A' ? 0 : 1;
}

/* The thresholds of side (read once per side), also listed in metrics.thresholds. */
static const stint_thresholds *thresholds(report *r, const char *side)
{
	int i = side_index(side), from_table;
	stint_thresholds *t = &r->th[i];
	cJSON *o, *list;
	char team[256];

	if (r->th_read[i])
		return t;
	if (stint_thresholds_read(&r->db, r->sid, i == 2 ? NULL : (i == 0 ? "A" : "B"), t, &from_table, team,
				  sizeof(team)) != STINT_DB_OK) {
		snprintf(r->err, sizeof(r->err), "cannot read the thresholds");
		return NULL;
	}
	if (stint_thresholds_check(t) != 0) {
		snprintf(r->err, sizeof(r->err), "the thresholds of side %s are not usable", i == 2 ? "-" : side);
		r->permanent = 1;
		return NULL;
	}
	r->th_read[i] = 1;
	list = cJSON_GetObjectItemCaseSensitive(r->metrics, "thresholds");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "side", i == 2 ? "" : side);
	cJSON_AddStringToObject(o, "team", team);
	cJSON_AddBoolToObject(o, "from_table", from_table);
	put(o, "max_speed_mps", t->max_speed_mps, 3);
	put(o, "gap_s", t->gap_s, 3);
	put(o, "sg_window", t->sg_window, 0);
	put(o, "sg_order", t->sg_order, 0);
	cJSON_AddItemToObject(o, "zone_mps", cJSON_CreateDoubleArray(t->zone_mps, STINT_SPEED_ZONES - 1));
	put(o, "hsr_mps", t->hsr_mps, 3);
	put(o, "sprint_mps", t->sprint_mps, 3);
	put(o, "sprint_min_s", t->sprint_min_s, 3);
	put(o, "accel_mps2", t->accel_mps2, 3);
	put(o, "effort_min_s", t->effort_min_s, 3);
	put(o, "hr_rest_bpm", t->hr_rest_bpm, 1);
	put(o, "hr_max_bpm", t->hr_max_bpm, 1);
	cJSON_AddItemToObject(o, "hr_zone_pct", cJSON_CreateDoubleArray(t->hr_zone_pct, STINT_HR_ZONES - 1));
	put(o, "trimp_a", t->trimp_a, 4);
	put(o, "trimp_b", t->trimp_b, 4);
	put(o, "wellness_flag_max", t->wellness_flag_max, 0);
	put(o, "readiness_flag_max", t->readiness_flag_max, 0);
	put(o, "sleep_flag_h", t->sleep_flag_h, 1);
	put(o, "acute_days", t->acute_days, 0);
	put(o, "chronic_days", t->chronic_days, 0);
	cJSON_AddItemToArray(list, o);
	return t;
}

/* --- surveys ------------------------------------------------------------- */

/* Flag a wellness item v (a number, NAN when unanswered) when bad says so. */
static void flag(cJSON *flags, const char *name, double v, int bad)
{
	if (isfinite(v) && bad)
		cJSON_AddItemToArray(flags, cJSON_CreateString(name));
}

/*
 * The ACWRs of player from stint_session_surveys_json's "players" (players,
 * an array; SURVEY_LIST, the surveys API's own document): the one definition
 * of the ratios is SQL's stint_player_acwr (sql/functions/surveys.sql: rolling
 * 7:28 coupled, and EWMA after Williams et al. 2017, with the team's windows),
 * so the report and GET .../surveys show the same figures. history_days: days
 * from the player's first load to the session's day (days_of_history - 1).
 */
static void acwr(cJSON *s, const cJSON *players, const char *player)
{
	const cJSON *p, *found = NULL, *v;

	cJSON_ArrayForEach(p, players) {
		v = cJSON_GetObjectItemCaseSensitive(p, "player");
		if (cJSON_IsString(v) && strcmp(v->valuestring, player) == 0)
			found = p;
	}
	v = cJSON_GetObjectItemCaseSensitive(found, "acwr_rolling");
	put(s, "acwr_rolling", cJSON_IsNumber(v) ? v->valuedouble : NAN, 3);
	v = cJSON_GetObjectItemCaseSensitive(found, "acwr_ewma");
	put(s, "acwr_ewma", cJSON_IsNumber(v) ? v->valuedouble : NAN, 3);
	v = cJSON_GetObjectItemCaseSensitive(found, "days_of_history");
	put(s, "history_days", cJSON_IsNumber(v) && v->valuedouble >= 1 ? v->valuedouble - 1 : 0, 0);
}

/* metrics.surveys: each player's survey of this session, sRPE, flags and ACWRs. */
static int read_surveys(report *r, const PGresult *parts)
{
	PGresult *res = NULL, *doc_res = NULL;
	cJSON *list = cJSON_AddArrayToObject(r->metrics, "surveys"), *doc = NULL;
	const cJSON *players;
	double minutes = isfinite(r->from_s) && isfinite(r->to_s) ? (r->to_s - r->from_s) / 60 : NAN;
	const char *p[1] = { r->sid };
	int i, j;

	if (stint_db_exec(&r->db, STINT_SQL_REPORT_SURVEYS, 1, p, &res) != STINT_DB_OK ||
	    stint_db_exec(&r->db, STINT_SQL_SURVEY_LIST, 1, p, &doc_res) != STINT_DB_OK || PQntuples(doc_res) != 1 ||
	    (doc = cJSON_Parse(PQgetvalue(doc_res, 0, 0))) == NULL) {
		PQclear(res);
		PQclear(doc_res);
		snprintf(r->err, sizeof(r->err), "cannot read the surveys");
		return -1;
	}
	PQclear(doc_res);
	doc_res = NULL;
	players = cJSON_GetObjectItemCaseSensitive(doc, "players");
	for (i = 0; i < PQntuples(res); i++) {
		const char *player = stint_db_cell(res, i, "player"), *side = NULL;
		const stint_thresholds *t;
		cJSON *s = cJSON_CreateObject(), *flags;
		double rpe = cell_num(res, i, "rpe"), dur = cell_num(res, i, "duration_min");

		for (j = 0; j < PQntuples(parts); j++)
			if (strcmp(stint_db_cell(parts, j, "player"), player) == 0)
				side = stint_db_cell(parts, j, "team_side");
		if ((t = thresholds(r, side)) == NULL) {
			cJSON_Delete(s);
			cJSON_Delete(doc);
			PQclear(res);
			return -1;
		}
		if (!isfinite(dur))
			dur = minutes;
		cJSON_AddStringToObject(s, "player", player);
		put(s, "rpe", rpe, 1);
		put(s, "duration_min", dur, 1);
		put(s, "srpe", rpe * dur, 1);
		put(s, "fatigue", cell_num(res, i, "fatigue"), 0);
		put(s, "mood", cell_num(res, i, "mood"), 0);
		put(s, "readiness", cell_num(res, i, "readiness"), 0);
		put(s, "sleep_duration_h", cell_num(res, i, "sleep_duration_h"), 1);
		put(s, "sleep_quality", cell_num(res, i, "sleep_quality"), 0);
		put(s, "soreness", cell_num(res, i, "soreness"), 0);
		put(s, "stress", cell_num(res, i, "stress"), 0);
		cJSON_AddStringToObject(s, "answered_at", stint_db_cell(res, i, "answered_at") != NULL ?
					stint_db_cell(res, i, "answered_at") : "");
		flags = cJSON_AddArrayToObject(s, "flags");
		{
			static const char *const items[] = { "fatigue", "mood", "sleep_quality", "soreness", "stress" };
			size_t k;

			for (k = 0; k < sizeof(items) / sizeof(items[0]); k++) {
				double v = cell_num(res, i, items[k]);

				flag(flags, items[k], v, v <= t->wellness_flag_max);
			}
			flag(flags, "readiness", cell_num(res, i, "readiness"),
			     cell_num(res, i, "readiness") <= t->readiness_flag_max);
			flag(flags, "sleep", cell_num(res, i, "sleep_duration_h"),
			     cell_num(res, i, "sleep_duration_h") < t->sleep_flag_h);
		}
		acwr(s, players, player);
		cJSON_AddItemToArray(list, s);
	}
	cJSON_Delete(doc);
	PQclear(res);
	return 0;
}

/* --- one participant -------------------------------------------------------- */

/*
 * A device file that several participants read (a team file: Metrica, EPTS):
 * parsed once, by the first of its jobs to run, under lock; the others wait
 * for it and take their own track; the last one frees it.
 */
typedef struct shared_file {
	pthread_mutex_t lock;
	int parsed;                    /* 1 once parse was tried: rc, err, tracks */
	int rc;
	char err[512];
	stint_tracks tracks;
	size_t users;                  /* jobs still to use it */
} shared_file;

/* One device file to parse and measure (a participant with a device), on a worker thread. */
typedef struct job {
	shared_file *shared;           /* the file shared with other jobs (NULL: its own) */
	char path[4096];               /* absolute */
	stint_wearable_format format;
	char *number, *label;          /* the participant's number, and the device id's part after its last ':' (heap) */
	double from, to;               /* the window (NAN: unbounded) */
	const stint_thresholds *th;
	/* results */
	int rc;                        /* 0, or -1 with err */
	char err[512];
	stint_load load;
	double bins[2 * MAX_BINS];
	stint_load_series series;
	char **warnings;               /* (heap) */
	size_t n_warnings;
	size_t samples;
} job;

/* The work shared by the threads: the next job to take, and the progress lines. */
typedef struct pool {
	job **jobs;
	size_t n, next;
	pthread_mutex_t lock;
} pool;

/* The track of a file for job j: the only one, else the one labelled with its device's suffix or number. */
static const stint_track *pick_track(const stint_tracks *t, const job *j)
{
	size_t k, ln, nn = j->number != NULL ? strlen(j->number) : 0;

	if (t->n == 1)
		return &t->tracks[0];
	for (k = 0; k < t->n; k++) {
		const char *label = t->tracks[k].label != NULL ? t->tracks[k].label : "";

		if (j->label != NULL && strcmp(label, j->label) == 0)
			return &t->tracks[k];
		ln = strlen(label);
		if (nn > 0 && ln > nn && strcmp(label + ln - nn, j->number) == 0 && label[ln - nn - 1] == '_')
			return &t->tracks[k];
	}
	return NULL;
}

/*
 * Parse job j's file and compute the load of its track in the window, with
 * its speed series (bins of a minute, more for long windows, starting at the
 * window's start or, unbounded, at the track's first sample).
 */
static void run_job(job *j)
{
	stint_tracks own = { 0 }, *t = &own;
	shared_file *sh = j->shared;
	const stint_track *tr;
	double lo, hi, span;
	size_t k;

	j->rc = -1;
	if (sh != NULL) {
		/* a team file: parse it once for all its participants */
		pthread_mutex_lock(&sh->lock);
		if (!sh->parsed) {
			sh->rc = stint_wearable_parse_file(j->path, j->format, &sh->tracks, sh->err, sizeof(sh->err));
			sh->parsed = 1;
		}
		pthread_mutex_unlock(&sh->lock);
		t = &sh->tracks;
		if (sh->rc != 0) {
			snprintf(j->err, sizeof(j->err), "%s", sh->err);
			goto out;
		}
	} else if (stint_wearable_parse_file(j->path, j->format, t, j->err, sizeof(j->err)) != 0) {
		goto out;
	}
	if ((tr = pick_track(t, j)) != NULL)
		j->samples = t->n > 1 ? tr->n : stint_tracks_samples(t);   /* a team file: the player's own */
	if (t->n_warnings > 0 && (j->warnings = calloc(t->n_warnings, sizeof(char *))) != NULL)
		for (k = 0; k < t->n_warnings; k++)
			if ((j->warnings[j->n_warnings] = strdup(t->warnings[k])) != NULL)
				j->n_warnings++;
	if (tr == NULL || tr->n == 0) {
		snprintf(j->err, sizeof(j->err), "the file has %zu tracks and none for number %s", t->n,
			 j->number != NULL ? j->number : "-");
		goto out;
	}
	lo = isfinite(j->from) ? j->from : tr->samples[0].t_s;
	hi = isfinite(j->to) ? j->to : tr->samples[tr->n - 1].t_s;
	span = hi > lo ? hi - lo : 0;
	j->series = (stint_load_series){ 60, 0, j->bins, j->bins + MAX_BINS };
	if (span / j->series.bin_s > MAX_BINS)
		j->series.bin_s = ceil(span / MAX_BINS);
	j->series.nbins = (size_t)ceil(span / j->series.bin_s);
	if (j->series.nbins > MAX_BINS)
		j->series.nbins = MAX_BINS;
	if (stint_load_compute(tr->samples, tr->n, lo, isfinite(j->to) ? j->to : INFINITY, j->th, &j->load,
			       &j->series) != 0) {
		snprintf(j->err, sizeof(j->err), "out of memory computing the load");
		goto out;
	}
	j->rc = 0;
out:
	stint_tracks_free(&own);
	if (sh != NULL) {
		pthread_mutex_lock(&sh->lock);
		if (--sh->users == 0)
			stint_tracks_free(&sh->tracks);   /* the last of its participants: the file's samples go */
		pthread_mutex_unlock(&sh->lock);
	}
}

/* A worker: take the next job until none is left; "progress N Parsing device i of n" as each starts. */
static void *worker(void *arg)
{
	pool *pl = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&pl->lock);
		i = pl->next++;
		if (i < pl->n)
			progress(5 + (int)(80 * i / pl->n), "Parsing device", i + 1, pl->n);
		pthread_mutex_unlock(&pl->lock);
		if (i >= pl->n)
			return NULL;
		run_job(pl->jobs[i]);
	}
}

/* Run the jobs on up to the report_threads setting's threads (default: the processors online). */
static void run_jobs(job **jobs, size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int want = (int)stint_config_int("report_threads", cpus > 0 ? cpus : 1, 1, MAX_THREADS), k, started = 0;
	pthread_t th[MAX_THREADS];
	pool pl = { jobs, n, 0, PTHREAD_MUTEX_INITIALIZER };

	if ((size_t)want > n)
		want = (int)n;
	for (k = 1; k < want; k++)
		if (pthread_create(&th[started], NULL, worker, &pl) == 0)
			started++;
	worker(&pl);
	for (k = 0; k < started; k++)
		pthread_join(th[k], NULL);
}

static void job_free(job *j)
{
	size_t k;

	if (j == NULL)
		return;
	for (k = 0; k < j->n_warnings; k++)
		free(j->warnings[k]);
	free(j->warnings);
	free(j->number);
	free(j->label);
	free(j);
}

/* The load of player p as metrics fields. */
static void put_load(cJSON *p, const stint_load *l, const stint_thresholds *t, const stint_load_series *ser)
{
	cJSON *zones, *z, *hr, *a;
	size_t k;

	put(p, "samples", (double)l->samples, 0);
	put(p, "dropped", (double)l->dropped, 0);
	put(p, "duration_s", l->duration_s, 1);
	put(p, "duration_min", l->duration_s / 60, 1);
	cJSON_AddBoolToObject(p, "has_speed", l->has_speed);
	cJSON_AddBoolToObject(p, "has_accel", l->has_accel);
	cJSON_AddBoolToObject(p, "has_hr", l->has_hr);
	cJSON_AddItemToObject(p, "zone_bounds_mps", cJSON_CreateDoubleArray(t->zone_mps, STINT_SPEED_ZONES - 1));
	if (l->has_speed) {
		put(p, "distance_m", l->distance_m, 2);
		put(p, "max_speed_mps", l->max_speed_mps, 3);
		put(p, "max_speed_kmh", l->max_speed_mps * 3.6, 2);
		put(p, "hsr_distance_m", l->hsr_distance_m, 2);
		put(p, "sprints", l->sprints, 0);
		put(p, "sprint_distance_m", l->sprint_distance_m, 2);
		put(p, "accelerations", l->accelerations, 0);
		put(p, "decelerations", l->decelerations, 0);
		zones = cJSON_AddArrayToObject(p, "zones");
		for (k = 0; k < STINT_SPEED_ZONES; k++) {
			z = cJSON_CreateObject();
			put(z, "from_mps", k == 0 ? 0 : t->zone_mps[k - 1], 3);
			put(z, "to_mps", k + 1 < STINT_SPEED_ZONES ? t->zone_mps[k] : NAN, 3);
			put(z, "distance_m", l->zone_distance_m[k], 2);
			put(z, "time_s", l->zone_time_s[k], 1);
			cJSON_AddItemToArray(zones, z);
		}
		z = cJSON_AddObjectToObject(p, "speed_series");
		put(z, "bin_s", ser->bin_s, 1);
		a = cJSON_AddArrayToObject(z, "mean_mps");
		for (k = 0; k < ser->nbins; k++) {
			cJSON *v = ser->time_s[k] > 0 ? cJSON_CreateNumber(round(ser->dist_m[k] / ser->time_s[k] * 100) / 100)
						      : cJSON_CreateNull();

			cJSON_AddItemToArray(a, v);
		}
	}
	put(p, "player_load", l->has_accel ? l->player_load : NAN, 2);
	if (!l->has_hr) {
		cJSON_AddNullToObject(p, "hr");
		return;
	}
	hr = cJSON_AddObjectToObject(p, "hr");
	put(hr, "avg_bpm", l->hr_avg_bpm, 1);
	put(hr, "max_bpm", l->hr_max_bpm, 0);
	put(hr, "trimp", l->trimp, 2);
	zones = cJSON_AddArrayToObject(hr, "zones");
	for (k = 0; k < STINT_HR_ZONES; k++) {
		z = cJSON_CreateObject();
		put(z, "from_pct", k == 0 ? 0 : t->hr_zone_pct[k - 1], 1);
		put(z, "to_pct", k + 1 < STINT_HR_ZONES ? t->hr_zone_pct[k] : NAN, 1);
		put(z, "time_s", l->hr_zone_time_s[k], 1);
		cJSON_AddItemToArray(zones, z);
	}
}

/* The events of participant row i (side, number) as an object; event types collected in types. */
static void put_events(report *r, const PGresult *parts, int i, cJSON *p, cJSON *types)
{
	const char *side = stint_db_cell(parts, i, "team_side"), *no = stint_db_cell(parts, i, "number");
	cJSON *ev = cJSON_AddObjectToObject(p, "events"), *t;
	int k, known;

	for (k = 0; side != NULL && no != NULL && k < PQntuples(r->events); k++) {
		const char *type = stint_db_cell(r->events, k, "event_type");

		if (strcmp(stint_db_cell(r->events, k, "team_side"), side) != 0 ||
		    strcmp(stint_db_cell(r->events, k, "number"), no) != 0)
			continue;
		cJSON_AddNumberToObject(ev, type, cell_num(r->events, k, "count"));
		known = 0;
		cJSON_ArrayForEach(t, types)
			known |= strcmp(t->valuestring, type) == 0;
		if (!known)
			cJSON_AddItemToArray(types, cJSON_CreateString(type));
	}
}

/*
 * A device file stored in the media bucket (rel, var-relative; an EPTS
 * file's metadata .xml beside it): copied once per report into r->fetch_dir
 * (a new folder in TMPDIR, else /tmp), its local name in out. 0, or -1
 * with r->err (retryable: S3 may be back next time).
 */
static int fetch_device_file(report *r, const char *dev, const char *rel, int epts, char *out, size_t size)
{
	const char *tmp = getenv("TMPDIR") != NULL && *getenv("TMPDIR") != '\0' ? getenv("TMPDIR") : "/tmp";
	const char *base = strrchr(rel, '/') != NULL ? strrchr(rel, '/') + 1 : rel;
	char why[512], xml_rel[700], xml_out[4096];
	struct stat st;
	int n;

	if (r->fetch_dir[0] == '\0') {
		snprintf(r->fetch_dir, sizeof(r->fetch_dir), "%s/stint-report-XXXXXX", tmp);
		if (mkdtemp(r->fetch_dir) == NULL) {
			snprintf(r->err, sizeof(r->err), "cannot make a temporary folder in %s: %s", tmp, strerror(errno));
			r->fetch_dir[0] = '\0';
			return -1;
		}
	}
	n = snprintf(out, size, "%s/%s", r->fetch_dir, base);
	if (n < 0 || (size_t)n >= size || strlen(rel) + 1 > sizeof(xml_rel))
		return -1;
	if (stat(out, &st) == 0)  /* a team file, already here for another player */
		return 0;
	if (stint_store_fetch(rel, out, why, sizeof(why)) != STINT_STORE_OK) {
		snprintf(r->err, sizeof(r->err), "device %s: its file could not be read from the media bucket: %s", dev, why);
		return -1;
	}
	if (epts && strrchr(base, '.') != NULL) {
		snprintf(xml_rel, sizeof(xml_rel), "%.*s.xml", (int)(strrchr(rel, '.') - rel), rel);
		snprintf(xml_out, sizeof(xml_out), "%.*s.xml", (int)(strrchr(out, '.') - out), out);
		if (stint_store_fetch(xml_rel, xml_out, why, sizeof(why)) != STINT_STORE_OK) {
			unlink(out);
			snprintf(r->err, sizeof(r->err), "device %s: its metadata could not be read from the media bucket: %s",
				 dev, why);
			return -1;
		}
	}
	return 0;
}

/* The local copies of fetch_device_file() removed, with their folder. */
static void remove_fetched(report *r)
{
	DIR *d;
	struct dirent *e;
	char path[4400];

	if (r->fetch_dir[0] == '\0' || (d = opendir(r->fetch_dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", r->fetch_dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(r->fetch_dir);
	r->fetch_dir[0] = '\0';
}

/*
 * Participant row i: its player object in metrics.players, and the job for
 * its device file in *out (NULL without a device). -1 with r->err for a
 * device without a usable file record.
 */
static int participant(report *r, const PGresult *parts, int i, job **out)
{
	const char *player = stint_db_cell(parts, i, "player"), *dev = stint_db_cell(parts, i, "device_id");
	const char *side = stint_db_cell(parts, i, "team_side"), *path = stint_db_cell(parts, i, "path");
	const char *format = stint_db_cell(parts, i, "format"), *no = stint_db_cell(parts, i, "number");
	const stint_thresholds *t = thresholds(r, side);
	cJSON *p = cJSON_CreateObject(), *w;
	char a[32];
	job *j;

	*out = NULL;
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(r->metrics, "players"), p);
	cJSON_AddStringToObject(p, "participant_id", stint_db_cell(parts, i, "id"));
	cJSON_AddStringToObject(p, "player", player);
	cJSON_AddStringToObject(p, "team_side", side != NULL ? side : "");
	cJSON_AddStringToObject(p, "number", no != NULL ? no : "");
	cJSON_AddStringToObject(p, "device_id", dev != NULL ? dev : "");
	cJSON_AddStringToObject(p, "format", format != NULL ? format : "");
	w = cJSON_AddObjectToObject(p, "window");
	cJSON_AddStringToObject(w, "from", iso(cell_num(parts, i, "from_s"), a));
	cJSON_AddStringToObject(w, "to", iso(cell_num(parts, i, "to_s"), a));
	cJSON_AddArrayToObject(p, "warnings");
	put_events(r, parts, i, p, cJSON_GetObjectItemCaseSensitive(r->metrics, "event_types"));
	if (t == NULL)
		return -1;
	if (dev == NULL) {
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(p, "warnings"),
				     cJSON_CreateString("no device: surveys and events only"));
		cJSON_AddBoolToObject(p, "has_speed", 0);
		cJSON_AddNullToObject(p, "hr");
		return 0;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		return -1;
	}
	*out = j;
	j->from = cell_num(parts, i, "from_s");
	j->to = cell_num(parts, i, "to_s");
	j->th = t;
	j->number = no != NULL ? strdup(no) : NULL;
	j->label = strrchr(dev, ':') != NULL ? strdup(strrchr(dev, ':') + 1) : NULL;   /* "<device>:<track label>" */
	r->permanent = 1;
	if (path == NULL || format == NULL) {
		snprintf(r->err, sizeof(r->err), "device %s (%s): no device file uploaded", dev, player);
		return -1;
	}
	if (!stint_is_safe_relpath(path) || stint_media_path(path, j->path, sizeof(j->path)) != 0 ||
	    stint_wearable_format_parse(format, &j->format) != 0) {
		snprintf(r->err, sizeof(r->err), "device %s (%s): the file's record is not usable", dev, player);
		return -1;
	}
	r->permanent = 0;
	if (strcmp(stint_db_cell(parts, i, "storage"), STINT_STORAGE_S3) == 0 &&
	    fetch_device_file(r, dev, path, j->format == STINT_WEARABLE_EPTS, j->path, sizeof(j->path)) != 0)
		return -1;
	return 0;
}

/* Job j's results into player p; -1 with r->err naming the device when it failed. */
static int player_results(report *r, cJSON *p, const job *j)
{
	cJSON *warn = cJSON_GetObjectItemCaseSensitive(p, "warnings");
	size_t k;

	for (k = 0; k < j->n_warnings; k++)
		cJSON_AddItemToArray(warn, cJSON_CreateString(j->warnings[k]));
	r->samples += j->samples;
	if (j->rc != 0) {
		snprintf(r->err, sizeof(r->err), "device %s (%s): %s", cJSON_GetObjectItemCaseSensitive(p, "device_id")->valuestring,
			 cJSON_GetObjectItemCaseSensitive(p, "player")->valuestring, j->err);
		r->permanent = 1;
		return -1;
	}
	put_load(p, &j->load, j->th, &j->series);
	return 0;
}

/* Every participant: rows first, then the device files parsed on the threads, then their results. */
static int participants(report *r, const PGresult *parts)
{
	int n = PQntuples(parts), i, rc = -1;
	job **jobs = calloc((size_t)n + 1, sizeof(job *)), **todo = calloc((size_t)n + 1, sizeof(job *));
	shared_file **shared = calloc((size_t)n + 1, sizeof(shared_file *));
	size_t ntodo = 0, nshared = 0;

	if (jobs == NULL || todo == NULL || shared == NULL) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (participant(r, parts, i, &jobs[i]) != 0)
			goto out;
		if (jobs[i] != NULL)
			todo[ntodo++] = jobs[i];
	}
	/* jobs of the same team file share one parse of it */
	for (size_t a = 0; a < ntodo; a++) {
		if (todo[a]->shared != NULL || (todo[a]->format != STINT_WEARABLE_METRICA &&
						 todo[a]->format != STINT_WEARABLE_EPTS))
			continue;
		for (size_t b = a + 1; b < ntodo; b++) {
			if (todo[b]->shared != NULL || strcmp(todo[a]->path, todo[b]->path) != 0)
				continue;
			if (todo[a]->shared == NULL) {
				if ((todo[a]->shared = calloc(1, sizeof(shared_file))) == NULL) {
					snprintf(r->err, sizeof(r->err), "out of memory");
					goto out;
				}
				pthread_mutex_init(&todo[a]->shared->lock, NULL);
				todo[a]->shared->users = 1;
				shared[nshared++] = todo[a]->shared;
			}
			todo[b]->shared = todo[a]->shared;
			todo[a]->shared->users++;
		}
	}
	run_jobs(todo, ntodo);
	for (i = 0; i < n; i++)
		if (jobs[i] != NULL &&
		    player_results(r, cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r->metrics, "players"), i), jobs[i]) != 0)
			goto out;
	rc = 0;
out:
	for (i = 0; jobs != NULL && i < n; i++)
		job_free(jobs[i]);
	for (size_t k = 0; k < nshared; k++) {
		stint_tracks_free(&shared[k]->tracks);   /* a job that never ran leaves it */
		pthread_mutex_destroy(&shared[k]->lock);
		free(shared[k]);
	}
	free(shared);
	free(jobs);
	free(todo);
	return rc;
}

/* metrics.team: the mean of the players with speed (maximum of their max speed). */
static void team(report *r)
{
	static const char *const keys[] = { "distance_m", "hsr_distance_m", "sprints", "accelerations",
					    "decelerations", "player_load" };
	cJSON *tm = cJSON_AddObjectToObject(r->metrics, "team"), *p, *o;
	double sum, max = NAN, trimp = 0, srpe = 0, total = 0;
	int n, nt = 0, ns = 0;
	size_t k;

	cJSON_AddStringToObject(tm, "player", "Team");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		sum = 0;
		n = 0;
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r->metrics, "players")) {
			o = cJSON_GetObjectItemCaseSensitive(p, keys[k]);
			if (cJSON_IsNumber(o)) {
				sum += o->valuedouble;
				n++;
			}
		}
		if (k == 0)
			total = sum;
		put(tm, keys[k], n > 0 ? sum / n : NAN, 2);
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r->metrics, "players")) {
		o = cJSON_GetObjectItemCaseSensitive(p, "max_speed_kmh");
		if (cJSON_IsNumber(o) && (isnan(max) || o->valuedouble > max))
			max = o->valuedouble;
		o = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p, "hr"), "trimp");
		if (cJSON_IsNumber(o))
			trimp += o->valuedouble, nt++;
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r->metrics, "surveys")) {
		o = cJSON_GetObjectItemCaseSensitive(p, "srpe");
		if (cJSON_IsNumber(o))
			srpe += o->valuedouble, ns++;
	}
	put(tm, "distance_m_total", total, 2);
	put(tm, "max_speed_kmh", max, 2);
	put(cJSON_AddObjectToObject(tm, "hr"), "trimp", nt > 0 ? trimp / nt : NAN, 2);
	put(cJSON_AddObjectToObject(tm, "survey"), "srpe", ns > 0 ? srpe / ns : NAN, 1);
}

/* Attach each player's survey (by name) to its player object. */
static void link_surveys(report *r)
{
	cJSON *p, *s;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r->metrics, "players")) {
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(r->metrics, "surveys"))
			if (strcmp(cJSON_GetObjectItemCaseSensitive(s, "player")->valuestring,
				   cJSON_GetObjectItemCaseSensitive(p, "player")->valuestring) == 0)
				cJSON_AddItemReferenceToObject(p, "survey", s);
	}
}

/* The whole metrics document of the session. */
static int build(report *r, const char *run)
{
	const char *p[1] = { r->sid };
	PGresult *ses = NULL, *parts = NULL;
	cJSON *s;
	char now[32];
	int rc = -1;

	progress(2, "Reading the session", 0, 0);
	if (stint_db_exec(&r->db, STINT_SQL_REPORT_SESSION, 1, p, &ses) != STINT_DB_OK ||
	    stint_db_exec(&r->db, STINT_SQL_REPORT_PARTICIPANTS, 1, p, &parts) != STINT_DB_OK ||
	    stint_db_exec(&r->db, STINT_SQL_REPORT_EVENT_COUNTS, 1, p, &r->events) != STINT_DB_OK) {
		snprintf(r->err, sizeof(r->err), "cannot read the session");
		goto out;
	}
	if (PQntuples(ses) == 0) {
		snprintf(r->err, sizeof(r->err), "there is no session %s", r->sid);
		r->permanent = 1;
		goto out;
	}
	r->from_s = cell_num(ses, 0, "from_s");
	r->to_s = cell_num(ses, 0, "to_s");
	s = cJSON_AddObjectToObject(r->metrics, "session");
	cJSON_AddStringToObject(s, "id", r->sid);
	cJSON_AddStringToObject(s, "title", stint_db_cell(ses, 0, "title"));
	cJSON_AddStringToObject(s, "kind", stint_db_cell(ses, 0, "kind"));
	cJSON_AddStringToObject(s, "day", stint_db_cell(ses, 0, "day"));
	cJSON_AddStringToObject(s, "starts_at", iso(r->from_s, now));
	cJSON_AddStringToObject(s, "ends_at", iso(r->to_s, now));
	cJSON_AddStringToObject(r->metrics, "run", run);
	cJSON_AddStringToObject(r->metrics, "generated_at", iso((double)time(NULL), now));
	cJSON_AddArrayToObject(r->metrics, "thresholds");
	cJSON_AddArrayToObject(r->metrics, "players");
	cJSON_AddArrayToObject(r->metrics, "event_types");
	if (participants(r, parts) != 0)
		goto out;
	progress(86, "Reading the surveys", 0, 0);
	if (read_surveys(r, parts) != 0)
		goto out;
	link_surveys(r);
	team(r);
	rc = 0;
out:
	PQclear(ses);
	PQclear(parts);
	return rc;
}

/* --- files ---------------------------------------------------------------- */

/* Remove the run folder dir and what is in it (only the names this program writes). */
static const char *const files[] = { "report.html", "metrics.json", "metrics.csv" };
static const char *const types[] = { "text/html; charset=utf-8", "application/json", "text/csv; charset=utf-8" };

/*
 * With media_storage s3, the run's files into the media bucket (lib/store.h)
 * under the same names (reports/<sid>/<run>/...); 0, or -1 with r->err
 * saying why (the objects sent so far removed again).
 */
static int store_run(report *r, const char *run)
{
	char rel[256], abs[4096], why[512];
	int k, j;

	for (k = 0; k < 3; k++) {
		snprintf(rel, sizeof(rel), "reports/%s/%s/%s", r->sid, run, files[k]);
		if (stint_media_path(rel, abs, sizeof(abs)) != 0 ||
		    stint_store_put(abs, rel, types[k], why, sizeof(why)) != STINT_STORE_OK) {
			snprintf(r->err, sizeof(r->err), "cannot store the report in the media bucket (media_storage s3): %s", why);
			for (j = 0; j < k; j++) {
				snprintf(rel, sizeof(rel), "reports/%s/%s/%s", r->sid, run, files[j]);
				stint_store_remove(rel);
			}
			return -1;
		}
	}
	return 0;
}

/* The run's objects out of the media bucket again (its record failed). */
static void unstore_run(report *r, const char *run)
{
	char rel[256];
	int k;

	for (k = 0; k < 3; k++) {
		snprintf(rel, sizeof(rel), "reports/%s/%s/%s", r->sid, run, files[k]);
		stint_store_remove(rel);
	}
}

static void remove_run(const char *dir)
{
	static const char *const names[] = { "report.html", "metrics.json", "metrics.csv", ".report.html.tmp",
					     ".metrics.json.tmp", ".metrics.csv.tmp" };
	char path[4096];
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, names[k]) < (int)sizeof(path))
			unlink(path);
	}
	rmdir(dir);
}

static int mkdir_p(const char *dir)
{
	return mkdir(dir, 0750) == 0 || errno == EEXIST ? 0 : -1;
}

/* The three files under var/reports/<sid>/<run>/ (a hidden folder until complete); sizes in sizes[3]. */
static int write_files(report *r, const char *run, long long sizes[3])
{
	stint_buf html = STINT_BUF_INIT, csv = STINT_BUF_INIT, err = STINT_BUF_INIT;
	char *json = cJSON_PrintUnformatted(r->metrics);
	char rel[256], reports[4096], sdir[4096], tmpdir[4096], dir[4096];
	int rc = -1;

	progress(90, "Writing the report", 0, 0);
	snprintf(rel, sizeof(rel), "reports/%s", r->sid);
	if (stint_media_path("reports", reports, sizeof(reports)) != 0 || stint_media_path(rel, sdir, sizeof(sdir)) != 0 ||
	    mkdir_p(reports) != 0 || mkdir_p(sdir) != 0) {
		snprintf(r->err, sizeof(r->err), "cannot make the folder %s", rel);
		goto out;
	}
	if (snprintf(tmpdir, sizeof(tmpdir), "%s/.%s.tmp", sdir, run) >= (int)sizeof(tmpdir) ||
	    snprintf(dir, sizeof(dir), "%s/%s", sdir, run) >= (int)sizeof(dir)) {
		snprintf(r->err, sizeof(r->err), "the folder's name is too long");
		goto out;
	}
	if (json == NULL || stint_report_html(r->metrics, &html, &err) != 0 || stint_report_csv(r->metrics, &csv) != 0) {
		snprintf(r->err, sizeof(r->err), "cannot render the report: %s", err.data ? err.data : "out of memory");
		r->permanent = 1;
		goto out;
	}
	if (mkdir(tmpdir, 0750) != 0 || stint_media_write_file(tmpdir, "report.html", html.data, html.len) != 0 ||
	    stint_media_write_file(tmpdir, "metrics.json", json, strlen(json)) != 0 ||
	    stint_media_write_file(tmpdir, "metrics.csv", csv.data, csv.len) != 0 || rename(tmpdir, dir) != 0) {
		snprintf(r->err, sizeof(r->err), "cannot write the report under %s: %s", rel, strerror(errno));
		remove_run(tmpdir);
		goto out;
	}
	sizes[0] = (long long)html.len;
	sizes[1] = (long long)strlen(json);
	sizes[2] = (long long)csv.len;
	rc = 0;
out:
	free(json);
	stint_buf_free(&html);
	stint_buf_free(&csv);
	stint_buf_free(&err);
	return rc;
}

/* --- the session's status ---------------------------------------------------- */

static stint_db_rc set_status(report *r, const char *status)
{
	const char *p[2] = { r->sid, status };
	stint_tx tx;

	stint_tx_begin(&tx, &r->db, NULL);
	stint_tx_exec(&tx, STINT_SQL_REPORT_STATUS, 2, p, NULL);
	stint_tx_announce(&tx, STINT_SQL_LIVE_RECORD_SESSION, 1, p);
	return stint_tx_end(&tx);
}

/* One unit of work: the artifacts, the session's report_url and status, session_updated and report_ready. */
static int record(report *r, const char *run, const long long sizes[3], const char *storage, char *url,
		  size_t urlsize, char *aid, size_t aidsize)
{
	char path[3][256], name[3][64], *json[3] = { NULL, NULL, NULL }, *ready = NULL;
	const char *day = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r->metrics, "session"),
							   "day")->valuestring;
	cJSON *msg, *id;
	stint_tx tx;
	stint_db_rc rc;
	int k;

	progress(96, "Recording the report", 0, 0);
	stint_tx_begin(&tx, &r->db, NULL);
	for (k = 0; k < 3; k++) {
		stint_artifact_new a = { k == 0 ? "report" : "report_data", name[k], path[k], types[k], sizes[k] };

		snprintf(path[k], sizeof(path[k]), "reports/%s/%s/%s", r->sid, run, files[k]);
		snprintf(name[k], sizeof(name[k]), "report-%s-%s", day, files[k]);
		if (stint_artifact_attach_stored(&tx, r->sid, &a, storage, NULL, NULL, &json[k]) == STINT_DB_OK &&
		    json[k] == NULL)
			stint_tx_fail(&tx, STINT_DB_ERROR);
	}
	msg = json[0] != NULL ? cJSON_Parse(json[0]) : NULL;
	id = cJSON_GetObjectItemCaseSensitive(msg, "id");
	if (cJSON_IsNumber(id))
		snprintf(aid, aidsize, "%.0f", id->valuedouble);
	else if (cJSON_IsString(id))
		snprintf(aid, aidsize, "%s", id->valuestring);
	else
		stint_tx_fail(&tx, STINT_DB_ERROR);
	snprintf(url, urlsize, "/media/sessions/%s/artifacts/%s", r->sid, aid);
	{
		const char *p[2] = { r->sid, url };

		stint_tx_exec(&tx, STINT_SQL_REPORT_DONE, 2, p, NULL);
		stint_tx_announce(&tx, STINT_SQL_LIVE_RECORD_SESSION, 1, p);
		if (msg != NULL) {
			cJSON_AddStringToObject(msg, "report_url", url);
			cJSON_AddStringToObject(msg, "run", run);
			ready = cJSON_PrintUnformatted(msg);
		}
		p[1] = ready;
		if (ready != NULL)
			stint_tx_announce(&tx, STINT_SQL_LIVE_RECORD_REPORT_READY, 2, p);
	}
	rc = stint_tx_end(&tx);
	cJSON_Delete(msg);
	free(ready);
	for (k = 0; k < 3; k++)
		free(json[k]);
	if (rc != STINT_DB_OK)
		snprintf(r->err, sizeof(r->err), "cannot record the report");
	return rc == STINT_DB_OK ? 0 : -1;
}

/* --- main ------------------------------------------------------------------------ */

/* The session: argv[1], else STINT_TASK_SESSION_ID, else params.session_id on stdin. */
static int session_id(int argc, char **argv, char *out, size_t size)
{
	const char *env = getenv("STINT_TASK_SESSION_ID");
	char *buf;
	size_t n = 0, got;
	cJSON *params, *v;

	if (argc > 1) {
		snprintf(out, size, "%s", argv[1]);
		return stint_is_uuid(out) ? 0 : -1;
	}
	if (env != NULL && *env != '\0') {
		snprintf(out, size, "%s", env);
		return stint_is_uuid(out) ? 0 : -1;
	}
	if ((buf = malloc(PARAMS_MAX + 1)) == NULL)
		return -1;
	while (n < PARAMS_MAX && (got = fread(buf + n, 1, PARAMS_MAX - n, stdin)) > 0)
		n += got;
	buf[n] = '\0';
	params = cJSON_Parse(buf);
	free(buf);
	v = cJSON_GetObjectItemCaseSensitive(params, "session_id");
	snprintf(out, size, "%s", cJSON_IsString(v) ? v->valuestring : "");
	cJSON_Delete(params);
	return stint_is_uuid(out) ? 0 : -1;
}

/* A run's name: the UTC time and 8 random hex digits ("20261207T021500Z-1a2b3c4d"). */
static void run_name(char *out, size_t size)
{
	unsigned char rnd[4];
	char hex[9];
	time_t now = time(NULL);
	struct tm tm;

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	gmtime_r(&now, &tm);
	strftime(out, size, "%Y%m%dT%H%M%SZ-", &tm);
	strncat(out, hex, size - strlen(out) - 1);
}

static int fail(report *r, const char *run_dir)
{
	if (run_dir != NULL)
		remove_run(run_dir);
	fprintf(stderr, "stint-report: %s\n", r->err);
	if (set_status(r, "failed") != STINT_DB_OK)
		fprintf(stderr, "stint-report: cannot mark the session failed\n");
	return r->permanent ? EXIT_PERMANENT : 1;
}

int main(int argc, char **argv)
{
	report r = { .from_s = NAN, .to_s = NAN };
	char sid[64], run[64], url[256], aid[32] = "", dir[4096], rel[256];
	long long sizes[3];
	int rc;

	stint_log_init("stint-report");
	if (session_id(argc, argv, sid, sizeof(sid)) != 0) {
		fprintf(stderr, "usage: stint-report SESSION_ID (or params {\"session_id\"} on stdin)\n");
		return argc > 1 ? 2 : EXIT_PERMANENT;
	}
	xmlInitParser();   /* once, before the parser threads (libxml2 is thread-safe once initialised) */
	if (stint_config_load(NULL) != 0 || sodium_init() < 0 ||
	    stint_view_load(stint_config_get("template_dir", "templates")) != 0)
		return 1;
	if (stint_db_init(&r.db, stint_config_get("database_url", "")) != 0)
		return 1;
	r.sid = sid;
	r.metrics = cJSON_CreateObject();
	run_name(run, sizeof(run));
	if (set_status(&r, "processing") != STINT_DB_OK) {
		snprintf(r.err, sizeof(r.err), "cannot mark the session processing (is there such a session?)");
		rc = fail(&r, NULL);
	} else if (build(&r, run) != 0 || write_files(&r, run, sizes) != 0) {
		rc = fail(&r, NULL);
	} else {
		int s3 = stint_store_is_s3();

		snprintf(rel, sizeof(rel), "reports/%s/%s", sid, run);
		stint_media_path(rel, dir, sizeof(dir));
		if (s3 && store_run(&r, run) != 0) {
			rc = fail(&r, dir);
		} else if (record(&r, run, sizes, s3 ? STINT_STORAGE_S3 : STINT_STORAGE_LOCAL, url, sizeof(url), aid,
				  sizeof(aid)) != 0) {
			if (s3)
				unstore_run(&r, run);
			rc = fail(&r, dir);
		} else {
			if (s3) {  /* in the bucket now: no web host keeps a copy */
				remove_run(dir);
				if (stint_media_path(rel, dir, sizeof(dir)) == 0 && strrchr(dir, '/') != NULL) {
					*strrchr(dir, '/') = '\0';
					rmdir(dir);  /* the session's folder, when no local run is left in it */
				}
			}
			printf("{\"report_url\":\"%s\",\"artifact_id\":%s,\"run\":\"%s\",\"players\":%d,\"samples\":%zu}\n",
			       url, aid, run, cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r.metrics, "players")),
			       r.samples);
			rc = 0;
		}
	}
	fflush(stdout);
	remove_fetched(&r);
	PQclear(r.events);
	cJSON_Delete(r.metrics);
	stint_db_close(&r.db);
	return rc;
}
