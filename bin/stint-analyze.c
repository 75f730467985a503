/*
 * stint-analyze: the program of an analyze_clip task (issue 11, "Clip
 * analysis plugins"; docs/tasks.md, "Clip analyzers"), run by
 * bin/stint-spooler as the child protocol says: params
 * {"analyzer": NAME, "clip_id": n} as JSON on stdin, STINT_TASK_SESSION_ID
 * in the environment.
 *
 * It looks the analyzer up (conf/analyzers.conf, lib/analyzers.h) and the
 * clip up (its stored file, kind, duration and offset on the session's
 * timeline), runs the analyzer's program with the clip's file, the session
 * id and the clip id, and reads what it prints: `progress N message` lines
 * are passed on, every other non-empty line must be one event as a JSON
 * object {"t_sec", "event_type", "actor_team"?, "actor_number"?,
 * "payload"?}, t_sec in seconds from the clip's start (0..duration). A bad
 * line fails the task naming its number, and nothing is added. Then, in one
 * unit of work (lib/tx.h), the clip's earlier events from this analyzer are
 * replaced by the new ones in one batch (lib/timeline.h,
 * stint_timeline_replace: source plugin:NAME, the clip's id, t_sec + the
 * clip's offset_sec), rollups exact, live messages sent. The last line it
 * prints is the result {"analyzer", "clip_id", "events_added",
 * "events_removed"}.
 *
 * The analyzer runs in a process group of its own, with the analyzer's
 * time_limit_s (SIGTERM, then SIGKILL 2 s later); a SIGTERM to this program
 * (the spooler's cancel or time limit) is passed on to that group.
 *
 * Exit status: 0 done; 100 (failed for good) for bad params, an unknown
 * analyzer, a clip that is gone or has no file, or a bad line; 1 (retried)
 * when the analyzer fails, times out or the database is away.
 * Settings: database_url, var_dir, analyzers_config.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analyzers.h"
#include "conf.h"
#include "db.h"
#include "events.h"
#include "media.h"
#include "store.h"
#include "timeline.h"
#include "tx.h"
#include "validate.h"

#define EXIT_RETRY 1
#define EXIT_PERMANENT 100       /* the child protocol's "failed, do not retry" */
#define LINE_MAX_BYTES 65536     /* an analyzer's line's most bytes */
#define PARAMS_MAX (64 * 1024)
#define KILL_GRACE_S 2

/* What one run is about. */
typedef struct run {
	const stint_analyzer *analyzer;
	const char *session_id;
	char clip_id[24];
	char file[PATH_MAX];         /* the clip's file, absolute */
	char rel[PATH_MAX];          /* its var-relative name (a key in the media bucket when s3) */
	int s3;                      /* the file is in the media bucket (storage s3, lib/store.h) */
	char kind[8];
	double duration_sec;         /* < 0: unknown */
	double offset_sec;
	char program[PATH_MAX + 256];
} run;

/* The analyzer's process group, for the SIGTERM handler (0: none running). */
static volatile sig_atomic_t analyzer_pgid;
static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
	if (analyzer_pgid > 0)
		kill(-(pid_t)analyzer_pgid, SIGTERM);
}

/* --- params and the clip ---------------------------------------------- */

typedef struct params_in {
	const char *analyzer;
	long long clip_id;
} params_in;

static const stint_field param_fields[] = {
	{ "analyzer", STINT_F_STRING, STINT_F_REQUIRED, 1, STINT_ANALYZER_NAME_LEN, NULL, STINT_DEST(params_in, analyzer) },
	{ "clip_id", STINT_F_INT, STINT_F_REQUIRED, 1, 9000000000000000000LL, NULL, STINT_DEST(params_in, clip_id) },
};

/* The problems in errors (field -> message) as one line "field: message; ..." into out. */
static void problems_text(const cJSON *errors, char *out, size_t size)
{
	const cJSON *e;
	size_t used = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(e, errors) {
		int n = snprintf(out + used, size - used, "%s%s: %s", used > 0 ? "; " : "", e->string,
				 cJSON_GetStringValue(e) ? cJSON_GetStringValue(e) : "is not valid");
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* Read stdin (the task's params, at most 64 KiB) into *json and in; 0, or -1 with the reason on stderr. */
static int read_params(cJSON **json, params_in *in)
{
	char *text = malloc(PARAMS_MAX + 1), why[512];
	cJSON *errors = NULL;
	size_t n;

	if (text == NULL)
		return -1;
	n = fread(text, 1, PARAMS_MAX, stdin);
	text[n] = '\0';
	*json = cJSON_Parse(text);
	free(text);
	if (*json == NULL) {
		fprintf(stderr, "stint-analyze: the params on stdin are not JSON\n");
		return -1;
	}
	if (stint_validate_json(*json, STINT_SPEC(param_fields), 0, in, &errors) != 0) {
		problems_text(errors, why, sizeof(why));
		fprintf(stderr, "stint-analyze: bad params: %s\n", why);
		cJSON_Delete(errors);
		return -1;
	}
	return 0;
}

/* The checkout: the parent of the directory holding this program (bin/), into root. */
static void find_root(char *root, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	snprintf(root, size, ".");
	if (n <= 0)
		return;
	exe[n] = '\0';
	for (int i = 0; i < 2 && (slash = strrchr(exe, '/')) != NULL; i++)
		*slash = '\0';
	if (exe[0] != '\0')
		snprintf(root, size, "%s", exe);
}

/*
 * Read the clip of ru (ANALYSIS_CLIP) on db, or inside tx when tx is not
 * NULL (the row then stays locked against a delete until tx ends). Returns
 * 0; EXIT_PERMANENT when it is gone, has no file or a kind the analyzer
 * does not take; EXIT_RETRY when the database failed. Reasons go to stderr.
 */
static int read_clip(stint_db *db, stint_tx *tx, run *ru)
{
	const char *p[2] = { ru->session_id, ru->clip_id }, *path, *kind, *duration, *offset;
	PGresult *res = NULL;
	stint_db_rc rc = tx != NULL ? stint_tx_exec(tx, STINT_SQL_ANALYSIS_CLIP, 2, p, &res) :
				      stint_db_exec(db, STINT_SQL_ANALYSIS_CLIP, 2, p, &res);
	char rel[PATH_MAX];
	int status = 0;

	if (rc != STINT_DB_OK) {
		fprintf(stderr, "stint-analyze: the database failed reading clip %s\n", ru->clip_id);
		return EXIT_RETRY;
	}
	path = stint_db_cell(res, 0, "path");
	kind = stint_db_cell(res, 0, "kind");
	duration = stint_db_cell(res, 0, "duration_sec");
	offset = stint_db_cell(res, 0, "offset_sec");
	if (PQntuples(res) == 0 || kind == NULL || offset == NULL) {
		fprintf(stderr, "stint-analyze: clip %s of session %s is gone\n", ru->clip_id, ru->session_id);
		status = EXIT_PERMANENT;
	} else if (path == NULL || snprintf(rel, sizeof(rel), "%s", path) >= (int)sizeof(rel) ||
		   stint_media_path(rel, ru->file, sizeof(ru->file)) != 0) {
		fprintf(stderr, "stint-analyze: clip %s has no stored file to analyze (a reference by uri)\n",
			ru->clip_id);
		status = EXIT_PERMANENT;
	} else if (!(ru->analyzer->kinds & stint_analyzer_kind(kind))) {
		fprintf(stderr, "stint-analyze: analyzer %s does not take %s clips\n", ru->analyzer->name, kind);
		status = EXIT_PERMANENT;
	} else {
		const char *storage = stint_db_cell(res, 0, "storage");

		snprintf(ru->rel, sizeof(ru->rel), "%s", rel);
		ru->s3 = storage != NULL && strcmp(storage, STINT_STORAGE_S3) == 0;
		snprintf(ru->kind, sizeof(ru->kind), "%s", kind);
		ru->duration_sec = duration != NULL ? strtod(duration, NULL) : -1;
		ru->offset_sec = strtod(offset, NULL);
	}
	PQclear(res);
	return status;
}

/* --- one line of the analyzer ------------------------------------------ */

static const char *const teams[] = { "A", "B", NULL };

/* What an analyzer's event line may hold (t_sec from the clip's start). */
static const stint_field line_fields[] = {
	{ "t_sec", STINT_F_NUMBER, STINT_F_REQUIRED, 0, 10000000, NULL, STINT_NO_DEST },
	{ "event_type", STINT_F_IDENT, STINT_F_REQUIRED, 1, 40, NULL, STINT_NO_DEST },
	{ "actor_team", STINT_F_ENUM, STINT_F_NULLABLE, 0, 0, teams, STINT_NO_DEST },
	{ "actor_number", STINT_F_SHIRT, STINT_F_NULLABLE, 0, 0, NULL, STINT_NO_DEST },
	{ "payload", STINT_F_OBJECT, STINT_F_NULLABLE, 0, 16384, NULL, STINT_NO_DEST },
};

/* A `progress N message` line (N 0..100): 1 when line is one. */
static int is_progress(const char *line)
{
	char *end;
	long n;

	if (strncmp(line, "progress ", 9) != 0)
		return 0;
	errno = 0;
	n = strtol(line + 9, &end, 10);
	return end != line + 9 && errno == 0 && n >= 0 && n <= 100 && (*end == '\0' || *end == ' ');
}

/*
 * Check event line text (number no) and add it to events as the timeline
 * takes it: t_sec placed on the session's timeline, the clip's id. Returns
 * 0, or -1 with the problem in why.
 */
static int add_event(const run *ru, const char *text, long no, cJSON *events, char *why, size_t size)
{
	cJSON *line = cJSON_Parse(text), *errors = NULL, *ev;
	const cJSON *v;
	char problems[400];
	double t;

	if (!cJSON_IsObject(line)) {
		snprintf(why, size, "line %ld is not `progress N message` nor an event (a JSON object)", no);
		cJSON_Delete(line);
		return -1;
	}
	if (stint_validate_json(line, STINT_SPEC(line_fields), 0, NULL, &errors) != 0) {
		problems_text(errors, problems, sizeof(problems));
		snprintf(why, size, "line %ld: %s", no, problems);
		cJSON_Delete(errors);
		cJSON_Delete(line);
		return -1;
	}
	t = cJSON_GetNumberValue(cJSON_GetObjectItem(line, "t_sec"));
	if (ru->duration_sec >= 0 && t > ru->duration_sec) {
		snprintf(why, size, "line %ld: t_sec: %.3f is after the clip's end (%.3f s)", no, t, ru->duration_sec);
		cJSON_Delete(line);
		return -1;
	}
	if (t + ru->offset_sec < 0) {
		snprintf(why, size, "line %ld: t_sec: %.3f is before the session's start (the clip starts at %.3f s)",
			 no, t, ru->offset_sec);
		cJSON_Delete(line);
		return -1;
	}
	if (cJSON_GetArraySize(events) >= STINT_EVENTS_MAX_BATCH) {
		snprintf(why, size, "line %ld: more than %d events", no, STINT_EVENTS_MAX_BATCH);
		cJSON_Delete(line);
		return -1;
	}
	ev = cJSON_CreateObject();
	cJSON_AddNumberToObject(ev, "t_sec", t + ru->offset_sec);
	cJSON_AddItemToObject(ev, "event_type", cJSON_DetachItemFromObject(line, "event_type"));
	v = cJSON_GetObjectItem(line, "actor_team");
	cJSON_AddItemToObject(ev, "actor_team", v ? cJSON_DetachItemFromObject(line, "actor_team") : cJSON_CreateNull());
	v = cJSON_GetObjectItem(line, "actor_number");
	cJSON_AddItemToObject(ev, "actor_number", v ? cJSON_DetachItemFromObject(line, "actor_number") : cJSON_CreateNull());
	cJSON_AddNumberToObject(ev, "clip_id", strtod(ru->clip_id, NULL));
	v = cJSON_GetObjectItem(line, "payload");
	cJSON_AddItemToObject(ev, "payload", cJSON_IsObject(v) ? cJSON_DetachItemFromObject(line, "payload") :
				       cJSON_CreateObject());
	cJSON_AddItemToArray(events, ev);
	cJSON_Delete(line);
	return 0;
}

/* One line of the analyzer's stdout (its number no, its newline cut): 0, or -1 with why. */
static int take_line(const run *ru, char *line, long no, cJSON *events, char *why, size_t size)
{
	size_t n = strlen(line);

	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	if (n == 0)
		return 0;
	if (is_progress(line)) {
		printf("%s\n", line);
		fflush(stdout);
		return 0;
	}
	return add_event(ru, line, no, events, why, size);
}

/* --- running the analyzer ---------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child: become the analyzer, stdout to out. Never returns. */
static void exec_analyzer(const run *ru, int out)
{
	char duration[32];

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	dup2(out, STDOUT_FILENO);
	close(out);
	if (freopen("/dev/null", "r", stdin) == NULL)
		_exit(127);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	snprintf(duration, sizeof(duration), "%.6f", ru->duration_sec);
	setenv("STINT_ANALYZER", ru->analyzer->name, 1);
	setenv("STINT_CLIP_FILE", ru->file, 1);
	setenv("STINT_CLIP_ID", ru->clip_id, 1);
	setenv("STINT_CLIP_KIND", ru->kind, 1);
	setenv("STINT_CLIP_DURATION_SEC", ru->duration_sec >= 0 ? duration : "", 1);
	setenv("STINT_SESSION_ID", ru->session_id, 1);
	execl(ru->program, ru->program, ru->file, ru->session_id, ru->clip_id, (char *)NULL);
	fprintf(stderr, "stint-analyze: cannot run %s: %s\n", ru->program, strerror(errno));
	_exit(127);
}

/* Stop the analyzer's group pid: SIGTERM, SIGKILL after the grace; then reap it into *status. */
static void stop_group(pid_t pid, int *status)
{
	double until = now_s() + KILL_GRACE_S;

	kill(-pid, SIGTERM);
	while (waitpid(pid, status, WNOHANG) == 0) {
		if (now_s() > until) {
			kill(-pid, SIGKILL);
			waitpid(pid, status, 0);
			break;
		}
		usleep(20000);
	}
}

/*
 * Read the analyzer's stdout (fd) line by line (in buf, LINE_MAX_BYTES + 1
 * bytes) into events until it ends, a line is bad (-1, why set), the time
 * limit passes (-2) or this program is asked to stop (-3). Returns 0 at the
 * end of its output.
 */
static int read_lines(const run *ru, int fd, char *buf, cJSON *events, char *why, size_t size)
{
	double limit = ru->analyzer->time_limit_s > 0 ? now_s() + (double)ru->analyzer->time_limit_s : 0;
	size_t used = 0;
	long no = 0;
	ssize_t got;
	char *nl;
	struct pollfd pfd = { fd, POLLIN, 0 };

	for (;;) {
		int wait_ms = limit > 0 ? (int)((limit - now_s()) * 1000) : 1000;

		if (stopping)
			return -3;
		if (limit > 0 && wait_ms <= 0)
			return -2;
		if (poll(&pfd, 1, wait_ms > 1000 ? 1000 : wait_ms) <= 0)
			continue;
		got = read(fd, buf + used, LINE_MAX_BYTES - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		used += (size_t)got;
		buf[used] = '\0';
		while ((nl = memchr(buf, '\n', used)) != NULL) {
			*nl = '\0';
			if (take_line(ru, buf, ++no, events, why, size) != 0)
				return -1;
			used -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, used);
		}
		if (used == LINE_MAX_BYTES) {
			snprintf(why, size, "line %ld is longer than %d bytes", no + 1, LINE_MAX_BYTES);
			return -1;
		}
	}
	buf[used] = '\0';
	return used > 0 ? take_line(ru, buf, ++no, events, why, size) : 0;
}

/*
 * Run the analyzer of ru over its clip, its events into events. Returns 0;
 * EXIT_PERMANENT for a bad line; EXIT_RETRY when it failed, timed out or
 * was stopped. Reasons go to stderr.
 */
static int run_analyzer(const run *ru, cJSON *events)
{
	int out[2], status = 0, got;
	char why[600] = "", *buf = malloc(LINE_MAX_BYTES + 1);
	pid_t pid;

	if (buf == NULL || pipe(out) != 0 || (pid = fork()) < 0) {
		fprintf(stderr, "stint-analyze: cannot start the analyzer: %s\n", strerror(errno));
		free(buf);
		return EXIT_RETRY;
	}
	if (pid == 0) {
		close(out[0]);
		exec_analyzer(ru, out[1]);
	}
	setpgid(pid, pid);  /* as the child does: whichever runs first */
	analyzer_pgid = pid;
	close(out[1]);
	got = read_lines(ru, out[0], buf, events, why, sizeof(why));
	free(buf);
	close(out[0]);
	if (got != 0)
		stop_group(pid, &status);
	else
		waitpid(pid, &status, 0);
	analyzer_pgid = 0;
	if (got == -1) {
		fprintf(stderr, "stint-analyze: analyzer %s: %s; no event was added\n", ru->analyzer->name, why);
		return EXIT_PERMANENT;
	}
	if (got == -2 || got == -3) {
		fprintf(stderr, "stint-analyze: analyzer %s %s\n", ru->analyzer->name,
			got == -2 ? "exceeded its time limit" : "was stopped");
		return EXIT_RETRY;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "stint-analyze: analyzer %s %s %d; no event was added\n", ru->analyzer->name,
			WIFEXITED(status) ? "exited with status" : "was killed by signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return EXIT_RETRY;
	}
	return 0;
}

/* --- storing ------------------------------------------------------------ */

/* Replace the clip's events from the analyzer by events, in one unit of work; prints the result. */
static int store(stint_db *db, run *ru, const cJSON *events)
{
	char source[64], *text = cJSON_PrintUnformatted(events);
	long removed = 0, inserted = 0;
	stint_tx tx;
	stint_db_rc rc;
	int status;

	snprintf(source, sizeof(source), "plugin:%s", ru->analyzer->name);
	stint_tx_begin(&tx, db, NULL);
	if (text == NULL)
		stint_tx_fail(&tx, STINT_DB_ERROR);
	status = read_clip(db, &tx, ru);
	if (status == 0)
		stint_timeline_replace(&tx, ru->session_id, ru->clip_id, source, text, &removed, &inserted);
	else
		stint_tx_cancel(&tx);
	rc = stint_tx_end(&tx);
	free(text);
	if (status != 0)
		return status;
	if (rc != STINT_DB_OK) {
		fprintf(stderr, "stint-analyze: the database refused the events (%d)\n", (int)rc);
		return EXIT_RETRY;
	}
	printf("{\"analyzer\":\"%s\",\"clip_id\":%s,\"events_added\":%ld,\"events_removed\":%ld}\n",
	       ru->analyzer->name, ru->clip_id, inserted, removed);
	return 0;
}

/*
 * A clip in the media bucket: copied into a temporary file (TMPDIR, else
 * /tmp) for the analyzer, whose name goes to ru->file and tmp. 0, or
 * EXIT_RETRY with the reason on stderr (S3 down: the task is retried).
 */
static int fetch_clip(run *ru, char *tmp, size_t size)
{
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	const char *ext = strrchr(ru->rel, '.');
	char why[512];
	int fd;

	if (snprintf(tmp, size, "%s/stint-clip-XXXXXX%s", dir, ext != NULL ? ext : "") >= (int)size ||
	    (fd = mkstemps(tmp, ext != NULL ? (int)strlen(ext) : 0)) < 0) {
		fprintf(stderr, "stint-analyze: cannot make a temporary file in %s for clip %s\n", dir, ru->clip_id);
		tmp[0] = '\0';
		return EXIT_RETRY;
	}
	close(fd);
	unlink(tmp);  /* stint_store_fetch creates it (O_EXCL) */
	if (stint_store_fetch(ru->rel, tmp, why, sizeof(why)) != STINT_STORE_OK) {
		fprintf(stderr, "stint-analyze: clip %s could not be read from the media bucket: %s\n", ru->clip_id, why);
		tmp[0] = '\0';
		return EXIT_RETRY;
	}
	snprintf(ru->file, sizeof(ru->file), "%s", tmp);
	return 0;
}

/* Everything after the settings: the run's status. */
static int analyze(stint_db *db, run *ru)
{
	cJSON *events = cJSON_CreateArray();
	char root[PATH_MAX], tmp[PATH_MAX] = "";
	int status;

	if (events == NULL)
		return EXIT_RETRY;
	if ((status = read_clip(db, NULL, ru)) != 0)
		goto out;
	if (ru->s3 && (status = fetch_clip(ru, tmp, sizeof(tmp))) != 0)
		goto out;
	find_root(root, sizeof(root));
	snprintf(ru->program, sizeof(ru->program), "%s%s%s", ru->analyzer->program[0] == '/' ? "" : root,
		 ru->analyzer->program[0] == '/' ? "" : "/", ru->analyzer->program);
	printf("progress 0 Running %s on clip %s\n", ru->analyzer->name, ru->clip_id);
	fflush(stdout);
	if ((status = run_analyzer(ru, events)) != 0)
		goto out;
	printf("progress 95 Adding %d events\n", cJSON_GetArraySize(events));
	fflush(stdout);
	status = store(db, ru, events);
out:
	if (tmp[0] != '\0')
		unlink(tmp);
	cJSON_Delete(events);
	return status;
}

int main(void)
{
	stint_analyzers analyzers = { NULL, 0 };
	params_in in = { NULL, 0 };
	cJSON *params = NULL;
	struct sigaction sa;
	run ru;
	stint_db db;
	char err[512];
	int status = EXIT_PERMANENT;

	memset(&ru, 0, sizeof(ru));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (stint_config_load(NULL) != 0 || read_params(&params, &in) != 0)
		goto out;
	ru.session_id = getenv("STINT_TASK_SESSION_ID");
	snprintf(ru.clip_id, sizeof(ru.clip_id), "%lld", in.clip_id);
	if (ru.session_id == NULL || strlen(ru.session_id) != 36) {
		fprintf(stderr, "stint-analyze: the task has no session (STINT_TASK_SESSION_ID)\n");
		goto out;
	}
	if (stint_analyzers_load(NULL, &analyzers, err, sizeof(err)) != 0) {
		fprintf(stderr, "stint-analyze: %s\n", err);
		goto out;
	}
	if ((ru.analyzer = stint_analyzer_find(&analyzers, in.analyzer)) == NULL) {
		fprintf(stderr, "stint-analyze: the analyzer %s is not declared in %s\n", in.analyzer,
			stint_config_get("analyzers_config", "conf/analyzers.conf"));
		goto out;
	}
	if (stint_db_init(&db, stint_config_get("database_url", "")) != 0) {
		status = EXIT_RETRY;
		goto out;
	}
	status = analyze(&db, &ru);
	stint_db_close(&db);
out:
	cJSON_Delete(params);
	stint_analyzers_free(&analyzers);
	return status;
}
