/*
 * stint-simulate: realistic live traffic for one session, sent through the
 * public HTTP API only, for demos and load (bin/stint simulate).
 *
 *   stint-simulate (--session ID | --create) --duration SECONDS
 *                  --kind climb|volleyball|pose [--rate FPS]
 *
 * climb       session_update started, the route (start hold, 10 to 20
 *             normal holds, finish hold, all untouched), then each hold
 *             reached one by one at a human pace (log-normal moves, a rest
 *             now and then) scaled to the duration, each a climb_update
 *             (status completed, time now), then session_update completed.
 * volleyball  the rally of volleyball/190301_kats_beds-clip.dvw (openvolley's
 *             ovdata, GKS Katowice v MKS Bedzin) read with stint_dvw_parse:
 *             each skill event is POSTed to .../events at its video time
 *             t_sec relative to the first serve (the whole rally squeezed
 *             into the duration when it is shorter, repeated when it is
 *             longer), one event per request with its own Idempotency-Key.
 * pose        pose_update frames at --rate frames per second (default 30):
 *             17 COCO keypoints of a figure walking on the spot (sinusoids),
 *             sent every 100 ms as one data.frames batch, as a camera app
 *             would.
 *
 * Environment: STINT_SIM_URL the stack's base URL (http://127.0.0.1:8080);
 * STINT_SIM_TOKEN a write API token (taken from the environment so that it
 * never shows in ps); STINT_DATA_DIR the real-data folder (default
 * ../shared/data).
 *
 * Output: the first line is "session <uuid>", then one progress line a
 * second and a summary. A request that fails is retried (transport errors,
 * 429, 5xx: SIM_RETRIES times with backoff); one that still fails, or
 * answers another 4xx, ends the run. Exit status: 0 done, 1 failed, 2 usage.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "buf.h"
#include "dvw.h"
#include "validate.h"

#define SIM_RETRIES 3                 /* retries after a failed request */
#define SIM_TIMEOUT_MS 10000L         /* per request */
#define SIM_RESPONSE_MAX (1L << 20)   /* bytes of an answer kept */
#define SIM_DURATION_MAX_S 86400.0
#define SIM_POSE_TICK_S 0.1           /* a pose batch every 100 ms */
#define SIM_POSE_BATCH_MAX 300        /* frames per request the API takes */
#define SIM_RALLY_BREAK_S 6.0         /* from a rally's point to the next serve */
#define SIM_DVW_FILE "volleyball/190301_kats_beds-clip.dvw"
#define SIM_DVW_MAX_BYTES (4L << 20)

typedef enum sim_kind { SIM_CLIMB, SIM_VOLLEYBALL, SIM_POSE } sim_kind;

typedef enum sim_rc {
	SIM_OK = 0,
	SIM_FAILED = 1,   /* a request failed after its retries, or setup failed */
	SIM_USAGE = 2
} sim_rc;

typedef struct sim_opts {
	const char *session;   /* --session, or NULL with --create */
	int create;
	double duration_s;
	sim_kind kind;
	double rate_fps;       /* pose frames per second */
} sim_opts;

/* One run: the HTTP handle, the clock, the counters. */
typedef struct sim {
	CURL *curl;
	const char *url;          /* base URL without a trailing '/' */
	char *auth;               /* "Authorization: Bearer ..." (heap) */
	char session[37];
	sim_kind kind;
	double t0_s;              /* monotonic clock at the start */
	double next_report_s;     /* run time of the next progress line */
	uint64_t rng;             /* xorshift64* state */
	long requests, messages, retries, failed;
	stint_buf resp;           /* the last answer's body */
} sim;

/* Set by SIGINT/SIGTERM: the run stops at its next wait or request. */
static volatile sig_atomic_t sim_interrupted;

static const char *const kind_names[] = { "climb", "volleyball", "pose" };
/* What one message is, per kind (progress lines). */
static const char *const kind_units[] = { "updates", "events", "frames" };

static void on_signal(int sig)
{
	(void)sig;
	sim_interrupted = 1;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: stint-simulate (--session ID | --create) --duration SECONDS\n"
		"                      --kind climb|volleyball|pose [--rate FPS]\n"
		"environment: STINT_SIM_URL, STINT_SIM_TOKEN (write scope), STINT_DATA_DIR\n");
	return SIM_USAGE;
}

/* --- clock, randomness --------------------------------------------------- */

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double run_s(const sim *s)
{
	return mono_s() - s->t0_s;
}

/* Unix time in seconds, with the fraction. */
static double real_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* RFC 3339 UTC with milliseconds, e.g. 2026-11-22T18:00:09.250Z. */
static void rfc3339_now(char out[32])
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000L % 1000));
}

/* Uniform in [0, 1) from xorshift64* (Vigna, "An experimental exploration of
 * Marsaglia's xorshift generators", 2016). */
static double uniform(sim *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return (double)((s->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Standard normal (Box-Muller). */
static double gaussian(sim *s)
{
	double u = uniform(s);

	return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * uniform(s));
}

/* --- progress --------------------------------------------------------------- */

static void report(sim *s)
{
	double t = run_s(s);

	if (t < s->next_report_s)
		return;
	s->next_report_s = floor(t) + 1.0;
	printf("[%4.0f s] %ld requests, %ld %s, %ld retried, %ld failed\n",
	       floor(t), s->requests, s->messages, kind_units[s->kind], s->retries, s->failed);
	fflush(stdout);
}

/* Sleep until run time at_s (or an interruption), printing progress on the way. */
static void wait_until(sim *s, double at_s)
{
	struct timespec ts;
	double left;

	while (!sim_interrupted) {
		report(s);
		left = at_s - run_s(s);
		if (left <= 0)
			return;
		if (left > s->next_report_s - run_s(s))
			left = fmax(s->next_report_s - run_s(s), 0.001);
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !sim_interrupted)
			;
	}
}

/* --- HTTP ----------------------------------------------------------------------- */

static size_t keep_body(char *p, size_t size, size_t n, void *ctx)
{
	stint_buf *b = ctx;

	if (b->len + size * n <= (size_t)SIM_RESPONSE_MAX && stint_buf_append(b, p, size * n) != 0)
		return 0;
	return size * n;
}

/* One attempt (body NULL: a GET, else a POST): *status is the HTTP status,
 * 0 when the transport failed. */
static CURLcode perform(sim *s, const char *path, const char *body, const char *idem_key, long *status)
{
	char url[512], idem[256];
	struct curl_slist *h = NULL;
	CURLcode cc;

	snprintf(url, sizeof(url), "%s%s", s->url, path);
	h = curl_slist_append(h, s->auth);
	h = curl_slist_append(h, "Accept: application/json");
	h = curl_slist_append(h, "Expect:");
	if (body != NULL)
		h = curl_slist_append(h, "Content-Type: application/json");
	if (idem_key != NULL) {
		snprintf(idem, sizeof(idem), "Idempotency-Key: %s", idem_key);
		h = curl_slist_append(h, idem);
	}
	stint_buf_reset(&s->resp);
	curl_easy_setopt(s->curl, CURLOPT_URL, url);
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, h);
	if (body == NULL) {
		curl_easy_setopt(s->curl, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	*status = 0;
	cc = curl_easy_perform(s->curl);
	if (cc == CURLE_OK)
		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(h);
	return cc;
}

/*
 * Send a request (body NULL: a GET), retrying transport errors, 429 and 5xx
 * up to SIM_RETRIES times (0.25, 0.5, 1 s apart; 1 s after a 429). The
 * answer's body is in s->resp. Returns SIM_OK on 2xx, else SIM_FAILED after
 * saying why on stderr.
 */
static sim_rc request(sim *s, const char *path, const char *body, const char *idem_key)
{
	const char *method = body == NULL ? "GET" : "POST";
	long status = 0;
	CURLcode cc = CURLE_OK;
	int attempt;

	if (sim_interrupted) {
		fprintf(stderr, "stint-simulate: interrupted\n");
		return SIM_FAILED;
	}
	for (attempt = 0; attempt <= SIM_RETRIES; attempt++) {
		if (attempt > 0) {
			s->retries++;
			wait_until(s, run_s(s) + (status == 429 ? 1.0 : 0.25 * (double)(1 << (attempt - 1))));
		}
		cc = perform(s, path, body, idem_key, &status);
		if (status >= 200 && status < 300) {
			s->requests++;
			return SIM_OK;
		}
		if (cc == CURLE_OK && status != 429 && status < 500)
			break;
	}
	s->failed++;
	if (cc != CURLE_OK)
		fprintf(stderr, "stint-simulate: %s %s: %s\n", method, path, curl_easy_strerror(cc));
	else
		fprintf(stderr, "stint-simulate: %s %s answered HTTP %ld: %.300s\n", method, path, status,
			s->resp.data ? s->resp.data : "");
	return SIM_FAILED;
}

/* POST a JSON value (deleted here) to path; counts messages on success. */
static sim_rc post_json(sim *s, const char *path, cJSON *value, long messages, const char *idem_key)
{
	char *text = cJSON_PrintUnformatted(value);
	sim_rc rc = SIM_FAILED;

	cJSON_Delete(value);
	if (text == NULL) {
		fprintf(stderr, "stint-simulate: out of memory\n");
		return SIM_FAILED;
	}
	rc = request(s, path, text, idem_key);
	if (rc == SIM_OK)
		s->messages += messages;
	free(text);
	report(s);
	return rc;
}

/* POST {"type": type, "data": data} to the session's live endpoint. */
static sim_rc post_live(sim *s, const char *type, cJSON *data, long messages)
{
	char path[96];
	cJSON *body = cJSON_CreateObject();

	snprintf(path, sizeof(path), "/api/v1/sessions/%s/live", s->session);
	cJSON_AddStringToObject(body, "type", type);
	cJSON_AddItemToObject(body, "data", data);
	return post_json(s, path, body, messages, NULL);
}

/* --- the session ---------------------------------------------------------------- */

/* Create a session of this kind (title names the source); fills s->session. */
static sim_rc create_session(sim *s, sim_kind kind, const char *title)
{
	static const char *const session_kinds[] = { "climb", "match", "training" };
	cJSON *body = cJSON_CreateObject(), *answer;
	const char *id;
	char *text;
	sim_rc rc;

	cJSON_AddStringToObject(body, "title", title);
	cJSON_AddStringToObject(body, "kind", session_kinds[kind]);
	text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (text == NULL)
		return SIM_FAILED;
	rc = request(s, "/api/v1/sessions", text, NULL);
	free(text);
	if (rc != SIM_OK)
		return rc;
	answer = cJSON_Parse(s->resp.data ? s->resp.data : "");
	id = cJSON_GetStringValue(cJSON_GetObjectItem(answer, "id"));
	if (id == NULL || !stint_is_uuid(id)) {
		fprintf(stderr, "stint-simulate: the new session's answer holds no id\n");
		rc = SIM_FAILED;
	} else {
		snprintf(s->session, sizeof(s->session), "%s", id);
	}
	cJSON_Delete(answer);
	return rc;
}

/* --session: check it exists and we may see it before sending anything. */
static sim_rc check_session(sim *s)
{
	char path[80];

	snprintf(path, sizeof(path), "/api/v1/sessions/%s", s->session);
	return request(s, path, NULL, NULL);
}

/* --- climb ------------------------------------------------------------------------- */

static cJSON *hold(const char *id, const char *type, const char *status, const char *time)
{
	cJSON *h = cJSON_CreateObject();

	cJSON_AddStringToObject(h, "id", id);
	cJSON_AddStringToObject(h, "type", type);
	cJSON_AddStringToObject(h, "status", status);
	if (time != NULL)
		cJSON_AddStringToObject(h, "time", time);
	return h;
}

static void hold_name(int i, int n, char out[16])
{
	if (i == 0)
		snprintf(out, 16, "start");
	else if (i == n - 1)
		snprintf(out, 16, "top");
	else
		snprintf(out, 16, "h%02d", i);
}

static const char *hold_type(int i, int n)
{
	return i == 0 ? "start" : i == n - 1 ? "finish" : "normal";
}

static sim_rc session_update(sim *s, const char *status, const char *time_field)
{
	char now[32];
	cJSON *data = cJSON_CreateObject();

	rfc3339_now(now);
	cJSON_AddStringToObject(data, "status", status);
	cJSON_AddStringToObject(data, time_field, now);
	return post_live(s, "session_update", data, 1);
}

/*
 * A climber's moves take log-normal times (median 1, sigma 0.45) with a
 * rest (x2.5) every 4 to 6 holds; the holds are reached over the first 92 %
 * of the duration and the session completes at its end.
 */
static sim_rc run_climb(sim *s, const sim_opts *o)
{
	double at_s[22], total = 0;
	int n = 2 + 10 + (int)(uniform(s) * 11), i, rest_in = 4;
	char id[16], now[32];
	cJSON *route, *data;
	sim_rc rc;

	for (i = 0; i < n; i++) {
		at_s[i] = exp(0.45 * gaussian(s));
		if (i > 0 && --rest_in == 0) {
			at_s[i] *= 2.5;
			rest_in = 4 + (int)(uniform(s) * 3);
		}
		total += at_s[i];
		at_s[i] = total;
	}
	if ((rc = session_update(s, "started", "starts_at")) != SIM_OK)
		return rc;
	route = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		hold_name(i, n, id);
		cJSON_AddItemToArray(route, hold(id, hold_type(i, n), "untouched", NULL));
	}
	data = cJSON_CreateObject();
	cJSON_AddItemToObject(data, "holds", route);
	if ((rc = post_live(s, "climb_update", data, 1)) != SIM_OK)
		return rc;
	for (i = 0; i < n; i++) {
		wait_until(s, at_s[i] / total * 0.92 * o->duration_s);
		hold_name(i, n, id);
		rfc3339_now(now);
		route = cJSON_CreateArray();
		cJSON_AddItemToArray(route, hold(id, hold_type(i, n), "completed", now));
		data = cJSON_CreateObject();
		cJSON_AddItemToObject(data, "holds", route);
		if ((rc = post_live(s, "climb_update", data, 1)) != SIM_OK)
			return rc;
	}
	wait_until(s, o->duration_s);
	return session_update(s, "completed", "ends_at");
}

/* --- volleyball ------------------------------------------------------------------- */

static int is_skill(const char *event_type)
{
	static const char *const skills[] = {
		"serve", "reception", "set", "attack", "block", "dig", "freeball", NULL
	};
	int i;

	for (i = 0; event_type != NULL && skills[i] != NULL; i++)
		if (strcmp(event_type, skills[i]) == 0)
			return 1;
	return 0;
}

/* Read the whole file at path into b; 0 or -1 (said on stderr). */
static int read_file(const char *path, stint_buf *b)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc = 0;

	if (f == NULL) {
		fprintf(stderr, "stint-simulate: cannot open %s: %s (set STINT_DATA_DIR)\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (b->len + n > (size_t)SIM_DVW_MAX_BYTES || stint_buf_append(b, chunk, n) != 0)
			rc = -1;
	if (ferror(f) || rc != 0) {
		fprintf(stderr, "stint-simulate: cannot read %s\n", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

/*
 * The rally: the skill events of the clip file that have a video time, in
 * file order, as the events API takes them (t_sec, event_type, actor_team,
 * actor_number, payload). *end_t_sec is the last video time of any line
 * (the point). Returns a new array (caller deletes) or NULL (said why).
 */
static cJSON *load_rally(double *end_t_sec, char *title, size_t title_size)
{
	const char *dir = getenv("STINT_DATA_DIR");
	char path[4096];
	stint_buf data = STINT_BUF_INIT;
	cJSON *match = NULL, *rally = NULL, *e, *ev;
	const cJSON *t, *teams;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir != NULL && *dir != '\0' ? dir : "../shared/data", SIM_DVW_FILE);
	if (read_file(path, &data) != 0)
		goto out;
	rc = stint_dvw_parse(data.data, data.len, &match, NULL);
	if (rc != STINT_DVW_OK) {
		fprintf(stderr, "stint-simulate: %s: %s\n", path, stint_dvw_strerror(rc));
		goto out;
	}
	teams = cJSON_GetObjectItem(match, "teams");
	snprintf(title, title_size, "Simulated rally: %s v %s",
		 cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(teams, 0), "name")),
		 cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(teams, 1), "name")));
	rally = cJSON_CreateArray();
	*end_t_sec = 0;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(match, "events")) {
		t = cJSON_GetObjectItem(e, "t_sec");
		if (!cJSON_IsNumber(t) || t->valuedouble < 0)
			continue;
		*end_t_sec = fmax(*end_t_sec, t->valuedouble);
		if (!is_skill(cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type"))))
			continue;
		ev = cJSON_CreateObject();
		cJSON_AddNumberToObject(ev, "t_sec", t->valuedouble);
		cJSON_AddItemToObject(ev, "event_type", cJSON_DetachItemFromObject(e, "event_type"));
		cJSON_AddItemToObject(ev, "actor_team", cJSON_DetachItemFromObject(e, "actor_team"));
		cJSON_AddItemToObject(ev, "actor_number", cJSON_DetachItemFromObject(e, "actor_number"));
		cJSON_AddItemToObject(ev, "payload", cJSON_DetachItemFromObject(e, "payload"));
		cJSON_AddItemToArray(rally, ev);
	}
	if (cJSON_GetArraySize(rally) == 0) {
		fprintf(stderr, "stint-simulate: %s holds no skill events with a video time\n", path);
		cJSON_Delete(rally);
		rally = NULL;
	}
out:
	cJSON_Delete(match);
	stint_buf_free(&data);
	return rally;
}

/*
 * Post one event at wall time k * period + (t_sec - first) * scale: its
 * t_sec on the session timeline is t_sec + k * period (the clip's video
 * time on the first pass). The Idempotency-Key names the run, the pass and
 * the event, so a retry never stores it twice.
 */
static sim_rc post_event(sim *s, const cJSON *ev, int pass, int i, double t_sec, const char *run_id)
{
	char path[96], key[128];
	cJSON *batch = cJSON_CreateArray(), *copy = cJSON_Duplicate(ev, 1);

	cJSON_ReplaceItemInObject(copy, "t_sec", cJSON_CreateNumber(t_sec));
	cJSON_AddItemToArray(batch, copy);
	snprintf(path, sizeof(path), "/api/v1/sessions/%s/events", s->session);
	snprintf(key, sizeof(key), "simulate-%s-%d-%d", run_id, pass, i);
	return post_json(s, path, batch, 1, key);
}

/*
 * The rally from its first serve to its point (19 s in the clip) is squeezed
 * into a shorter duration; a longer one replays it every rally + 6 s until
 * the duration is up (the last pass may stop mid-rally).
 */
static sim_rc run_volleyball(sim *s, const sim_opts *o, cJSON *rally, double end_t_sec)
{
	const cJSON *ev;
	double first = cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(rally, 0), "t_sec"));
	double length = end_t_sec - first, period = length + SIM_RALLY_BREAK_S, scale = 1, t;
	char run_id[40];
	int pass, i;
	sim_rc rc;

	snprintf(run_id, sizeof(run_id), "%.8s-%lx-%ld", s->session, (unsigned long)s->rng & 0xffffffUL,
		 (long)getpid());
	if (length > o->duration_s)
		scale = o->duration_s / length;
	for (pass = 0; pass * period < o->duration_s; pass++) {
		i = 0;
		cJSON_ArrayForEach(ev, rally) {
			t = cJSON_GetNumberValue(cJSON_GetObjectItem(ev, "t_sec"));
			if (pass * period + (t - first) * scale > o->duration_s)
				break;
			wait_until(s, pass * period + (t - first) * scale);
			if ((rc = post_event(s, ev, pass, i++, t + pass * period, run_id)) != SIM_OK)
				return rc;
		}
	}
	wait_until(s, o->duration_s);
	return SIM_OK;
}

/* --- pose ----------------------------------------------------------------------- */

/* COCO's 17 keypoints and a standing figure, image coordinates 0..1 (y down). */
static const struct {
	const char *name;
	double x, y;
	int side;    /* +1 left limb, -1 right limb, 0 head */
	int part;    /* 0 head, 1 shoulder, 2 elbow, 3 wrist, 4 hip, 5 knee, 6 ankle */
} coco[17] = {
	{ "nose", 0.500, 0.200, 0, 0 },         { "left_eye", 0.515, 0.185, 0, 0 },
	{ "right_eye", 0.485, 0.185, 0, 0 },    { "left_ear", 0.535, 0.195, 0, 0 },
	{ "right_ear", 0.465, 0.195, 0, 0 },    { "left_shoulder", 0.570, 0.300, 1, 1 },
	{ "right_shoulder", 0.430, 0.300, -1, 1 }, { "left_elbow", 0.595, 0.420, 1, 2 },
	{ "right_elbow", 0.405, 0.420, -1, 2 }, { "left_wrist", 0.605, 0.530, 1, 3 },
	{ "right_wrist", 0.395, 0.530, -1, 3 }, { "left_hip", 0.550, 0.550, 1, 4 },
	{ "right_hip", 0.450, 0.550, -1, 4 },   { "left_knee", 0.555, 0.720, 1, 5 },
	{ "right_knee", 0.445, 0.720, -1, 5 },  { "left_ankle", 0.555, 0.880, 1, 6 },
	{ "right_ankle", 0.445, 0.880, -1, 6 },
};

static double round4(double v)
{
	return round(v * 1e4) / 1e4;
}

/*
 * The figure at t_s: walking on the spot at 0.9 strides a second, arms
 * swinging against the legs, a slow sway and a bob, a little detector
 * jitter; confidence lower on the face and on the far side.
 */
static cJSON *pose_frame(sim *s, long frame, double t_s, double stamp_s)
{
	static const double swing[7] = { 0, 0.005, 0.035, 0.070, 0.004, 0.040, 0.070 };
	static const double lift[7] = { 0, 0, 0.010, 0.030, 0, 0.035, 0.020 };
	double gait = 2 * M_PI * 0.9 * t_s, sway = 0.02 * sin(2 * M_PI * 0.15 * t_s);
	double bob = 0.006 * sin(2 * gait), phase, x, y, conf;
	cJSON *f = cJSON_CreateObject(), *kps = cJSON_CreateArray(), *kp;
	int k, arm;

	for (k = 0; k < 17; k++) {
		arm = coco[k].part >= 1 && coco[k].part <= 3;
		phase = gait + (arm ? 0 : M_PI) + (coco[k].side < 0 ? M_PI : 0);
		x = coco[k].x + sway + swing[coco[k].part] * sin(phase) + 0.002 * gaussian(s);
		y = coco[k].y + bob - lift[coco[k].part] * fmax(0, sin(phase)) + 0.002 * gaussian(s);
		conf = (coco[k].part == 0 ? 0.82 : 0.93) + 0.05 * sin(gait / 3 + k) * (coco[k].side > 0 ? 1.5 : 1);
		kp = cJSON_CreateObject();
		cJSON_AddStringToObject(kp, "name", coco[k].name);
		cJSON_AddNumberToObject(kp, "x", round4(x));
		cJSON_AddNumberToObject(kp, "y", round4(y));
		cJSON_AddNumberToObject(kp, "confidence", round4(fmin(1, fmax(0, conf))));
		cJSON_AddItemToArray(kps, kp);
	}
	cJSON_AddNumberToObject(f, "timestamp", round(stamp_s * 1e3) / 1e3);
	cJSON_AddNumberToObject(f, "frame", (double)frame);
	cJSON_AddItemToObject(f, "keypoints", kps);
	return f;
}

/* Frames are captured at frame / rate s and sent in the next 100 ms batch. */
static sim_rc run_pose(sim *s, const sim_opts *o)
{
	long total = (long)floor(o->duration_s * o->rate_fps), next = 0, due;
	double real0 = real_s() - run_s(s), tick;
	cJSON *data, *frames;
	sim_rc rc;

	for (tick = SIM_POSE_TICK_S; next < total; tick += SIM_POSE_TICK_S) {
		wait_until(s, fmin(tick, o->duration_s));
		due = (long)floor(run_s(s) * o->rate_fps) + 1;
		if (due > total)
			due = total;
		while (next < due) {
			frames = cJSON_CreateArray();
			while (next < due && cJSON_GetArraySize(frames) < SIM_POSE_BATCH_MAX) {
				double t = (double)next / o->rate_fps;

				cJSON_AddItemToArray(frames, pose_frame(s, next, t, real0 + t));
				next++;
			}
			data = cJSON_CreateObject();
			cJSON_AddItemToObject(data, "frames", frames);
			if ((rc = post_live(s, "pose_update", data, cJSON_GetArraySize(frames))) != SIM_OK)
				return rc;
		}
	}
	return SIM_OK;
}

/* --- main ------------------------------------------------------------------------- */

static int parse_number(const char *text, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !(v >= min && v <= max))
		return -1;
	*out = v;
	return 0;
}

static int parse_opts(int argc, char **argv, sim_opts *o)
{
	const char *kind = NULL, *duration = NULL, *rate = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--create") == 0)
			o->create = 1;
		else if (strcmp(argv[i], "--session") == 0 && i + 1 < argc)
			o->session = argv[++i];
		else if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc)
			kind = argv[++i];
		else if (strcmp(argv[i], "--duration") == 0 && i + 1 < argc)
			duration = argv[++i];
		else if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc)
			rate = argv[++i];
		else
			return -1;
	}
	if (o->create == (o->session != NULL) || kind == NULL || duration == NULL)
		return -1;
	if (o->session != NULL && !stint_is_uuid(o->session)) {
		fprintf(stderr, "stint-simulate: --session takes a session id (a UUID)\n");
		return -1;
	}
	for (i = 0; i < 3 && strcmp(kind, kind_names[i]) != 0; i++)
		;
	if (i == 3)
		return -1;
	o->kind = (sim_kind)i;
	if (parse_number(duration, 0.1, SIM_DURATION_MAX_S, &o->duration_s) != 0) {
		fprintf(stderr, "stint-simulate: --duration takes seconds, 0.1 to 86400\n");
		return -1;
	}
	if (rate != NULL && parse_number(rate, 0.1, 240, &o->rate_fps) != 0) {
		fprintf(stderr, "stint-simulate: --rate takes frames per second, 0.1 to 240\n");
		return -1;
	}
	return 0;
}

/* STINT_SIM_URL and STINT_SIM_TOKEN into s; 0 or -1 (said why). */
static int from_env(sim *s, char *url, size_t url_size)
{
	const char *u = getenv("STINT_SIM_URL"), *token = getenv("STINT_SIM_TOKEN");
	stint_buf auth = STINT_BUF_INIT;
	size_t n;

	if (u == NULL || (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0) ||
	    strlen(u) >= url_size - 1 || strpbrk(u, " \r\n") != NULL) {
		fprintf(stderr, "stint-simulate: STINT_SIM_URL must be the stack's http(s) base URL\n");
		return -1;
	}
	n = token != NULL ? strlen(token) : 0;
	if (n == 0 || n > 512 || strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					    "0123456789-._~+/=") != n) {
		fprintf(stderr, "stint-simulate: STINT_SIM_TOKEN must hold an API token (write scope)\n");
		return -1;
	}
	snprintf(url, url_size, "%s", u);
	while ((n = strlen(url)) > 0 && url[n - 1] == '/')
		url[n - 1] = '\0';
	s->url = url;
	if (stint_buf_printf(&auth, "Authorization: Bearer %s", token) != 0)
		return -1;
	s->auth = stint_buf_take(&auth);
	return s->auth != NULL ? 0 : -1;
}

static sim_rc run(sim *s, const sim_opts *o)
{
	char title[256], now[32];
	cJSON *rally = NULL;
	double end_t_sec = 0;
	sim_rc rc;

	if (o->kind == SIM_VOLLEYBALL && (rally = load_rally(&end_t_sec, title, sizeof(title))) == NULL)
		return SIM_FAILED;
	if (o->kind != SIM_VOLLEYBALL) {
		rfc3339_now(now);
		snprintf(title, sizeof(title), "Simulated %s %.16s", kind_names[o->kind], now);
	}
	if (o->create) {
		rc = create_session(s, o->kind, title);
	} else {
		snprintf(s->session, sizeof(s->session), "%s", o->session);
		rc = check_session(s);
	}
	if (rc == SIM_OK) {
		printf("session %s\n", s->session);
		fflush(stdout);
		s->t0_s = mono_s();
		s->next_report_s = 1;
		rc = o->kind == SIM_CLIMB ? run_climb(s, o) :
		     o->kind == SIM_POSE ? run_pose(s, o) : run_volleyball(s, o, rally, end_t_sec);
	}
	cJSON_Delete(rally);
	return rc;
}

int main(int argc, char **argv)
{
	sim_opts o = { NULL, 0, 0, SIM_CLIMB, 30 };
	struct sigaction sa;
	sim s;
	char url[1024];
	double took;
	sim_rc rc;

	memset(&s, 0, sizeof(s));
	if (parse_opts(argc, argv, &o) != 0)
		return usage();
	s.kind = o.kind;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (from_env(&s, url, sizeof(url)) != 0)
		return SIM_FAILED;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || (s.curl = curl_easy_init()) == NULL) {
		free(s.auth);
		return SIM_FAILED;
	}
	curl_easy_setopt(s.curl, CURLOPT_WRITEFUNCTION, keep_body);
	curl_easy_setopt(s.curl, CURLOPT_WRITEDATA, &s.resp);
	curl_easy_setopt(s.curl, CURLOPT_TIMEOUT_MS, SIM_TIMEOUT_MS);
	curl_easy_setopt(s.curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s.curl, CURLOPT_USERAGENT, "stint-simulate");
	s.rng = ((uint64_t)real_s() * 1000003u) ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ULL;
	s.t0_s = mono_s();
	rc = run(&s, &o);
	took = run_s(&s);
	printf("%s %s: %ld requests, %ld %s in %.1f s (%.1f/s), %ld retried, %ld failed\n",
	       rc == SIM_OK ? "done" : "stopped", kind_names[o.kind], s.requests, s.messages,
	       kind_units[o.kind], took, took > 0 ? (double)s.messages / took : 0.0, s.retries, s.failed);
	curl_easy_cleanup(s.curl);
	curl_global_cleanup();
	stint_buf_free(&s.resp);
	free(s.auth);
	return rc;
}
