/*
 * stint-spooler: runs the queued tasks (issue 11; docs/tasks.md, "The
 * spooler" and "The child protocol"). Several may run against one database,
 * on one host or many: a task is claimed with FOR UPDATE SKIP LOCKED under a
 * lease with a fencing token (lib/spool.h), so it runs once at a time.
 *
 * It wakes on NOTIFY tasks (its own connection LISTENs) and polls as well
 * (a notification is not durable). Each of its --concurrency slots claims
 * one task at a time and runs the task type's program (conf/tasks.conf) as
 * a child in its own process group: the task's params as JSON on stdin,
 * STINT_TASK_* in its environment, `progress N message` lines and a final
 * JSON line (the result) on its stdout, the tail of its stderr kept as the
 * error. While it runs the lease is extended (heartbeats), a cancel asked of
 * the task stops the group, and the type's time limit is enforced (SIGTERM,
 * then SIGKILL). Every spool_reap_s (a third of the lease) it re-queues the
 * tasks whose lease expired; every spool_sweep_s it removes the finished
 * records older than their type's retention_days (the retention sweep). A
 * task that ends has its type's record policy applied as it ends
 * (tracked, remove_on, keep_until; lib/tasks.h, stint_task_ended()).
 * When the recorder bucket is configured (s3_enabled), every
 * recorder_sync_interval_s (default 300; 0: never) it queues a
 * recorder_sync task, the periodic discovery (docs/recorder.md).
 *
 * `stint-spooler --sweep-once` runs one whole retention sweep and exits
 * (0, or 1 on an error), printing how many records it removed. The sweep
 * also purges archived (deleted) sessions older than archive_retention_days
 * (default 30) with their files, each audited (issue 20, docs/backup.md).
 *
 * SIGTERM: stop claiming, let the running children finish for
 * spool_grace_s, then stop them and hand their tasks back (queued again).
 *
 * Settings: database_url, tasks_config, var_dir (also `--var-dir DIR`),
 * spool_concurrency (also `--concurrency N`), spool_types, spool_lease_s,
 * spool_heartbeat_s, spool_poll_s, spool_backoff_s, spool_grace_s,
 * spool_kill_grace_s, spool_reap_s, spool_sweep_s, archive_retention_days; spool_trace (off by default: a file
 * that gets one line `task_id wall_clock_us` per child forked, for bench/tasks).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "conf.h"
#include "db.h"
#include "log.h"
#include "recorder.h"
#include "s3.h"
#include "spool.h"
#include "tasktypes.h"
#include "tx.h"
#include "upload.h"

#define SPOOL_MAX_SLOTS 64
#define SPOOL_LINE_MAX 65536     /* a stdout line's most bytes (a result line included) */
#define SPOOL_TAIL 2000          /* the stderr bytes kept as the error */
#define SPOOL_EXIT_PERMANENT 100 /* a child's exit status: failed, do not retry */
#define SPOOL_SWEEP_BATCH 500    /* records one unit of work of the retention sweep removes at most */

typedef enum { SLOT_IDLE, SLOT_RUNNING } slot_state;

typedef struct slot {
	slot_state state;
	stint_spool_task task;
	const stint_task_type *type;
	pid_t pid;                  /* the child, leader of its process group; 0 once reaped */
	pid_t pgid;                 /* its process group */
	int status;                 /* its wait status */
	int out, err;               /* its stdout and stderr (read ends), -1 when closed */
	int pidfd;                  /* readable once the child exits (pidfd_open), -1: none */
	char line[SPOOL_LINE_MAX];  /* the stdout line being read */
	size_t nline;
	int line_overflow;          /* the current line is too long: dropped */
	char *result;               /* the last JSON line (heap), or NULL */
	char tail[SPOOL_TAIL];      /* stderr's last bytes, a ring */
	size_t ntail, tailpos;
	double deadline;            /* the time limit */
	double next_heartbeat;
	double term_at;             /* when SIGTERM went to the group (0: not yet) */
	int cancelled;              /* a cancel was asked: stopping the group */
	int timed_out;
	int lost;                   /* the lease is not ours any more: write nothing */
	int handing_back;           /* shutting down: hand the task back */
	char owner[128];
} slot;

static volatile sig_atomic_t spool_stop;

static struct {
	double lease_s, heartbeat_s, poll_s, backoff_s, grace_s, kill_grace_s, reap_s, sweep_s, sync_s;
	const char *types;          /* spool_types: the types it claims (comma-separated), NULL: any */
	int trace_fd;               /* spool_trace's file (append), -1: off */
	char root[PATH_MAX];        /* relative programs are taken from here */
} cfg;

static void on_term(int sig)
{
	(void)sig;
	spool_stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Signal slot s's process group. */
static void signal_group(slot *s, int sig)
{
	if (s->pgid > 0)
		kill(-s->pgid, sig);
}

/* Start stopping s's group: SIGTERM now, SIGKILL after kill_grace_s (tick()). */
static void stop_group(slot *s, double now)
{
	if (s->term_at > 0)
		return;
	s->term_at = now;
	signal_group(s, SIGTERM);
}

/* The checkout: the parent of the directory holding this program (bin/). */
static void find_root(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	snprintf(cfg.root, sizeof(cfg.root), ".");
	if (n <= 0)
		return;
	exe[n] = '\0';
	for (int i = 0; i < 2 && (slash = strrchr(exe, '/')) != NULL; i++)
		*slash = '\0';
	if (exe[0] != '\0')
		snprintf(cfg.root, sizeof(cfg.root), "%s", exe);
}

/*
 * spool_trace: append "task_id wall_clock_us\n" (CLOCK_REALTIME in
 * microseconds, taken in the parent as fork() returns) to the trace file;
 * one write() of O_APPEND, so spoolers may share the file. bench/tasks
 * measures claim latency with it (insert's COMMIT to this line).
 */
static void trace_fork(const slot *s)
{
	char line[96];
	struct timespec ts;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	n = snprintf(line, sizeof(line), "%s %lld\n", s->task.task_id,
		     (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	if (n > 0 && write(cfg.trace_fd, line, (size_t)n) != n)
		stint_log(STINT_LOG_WARN, "spool_trace: write: %s", strerror(errno));
}

/* In the child: become the task's program. Never returns. */
static void exec_child(const slot *s, int in, int out, int err)
{
	char prog[PATH_MAX + 256], attempt[16];
	struct rlimit cpu, core = { 0, 0 };
	char *argv[2];

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);  /* a spooler killed with -9 takes its child along */
	dup2(in, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	close_range(3, ~0U, 0);  /* one call, not one per possible descriptor */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	cpu.rlim_cur = cpu.rlim_max = (rlim_t)(s->type->time_limit_s + (long)cfg.kill_grace_s + 1);
	setrlimit(RLIMIT_CPU, &cpu);
	setrlimit(RLIMIT_CORE, &core);
	if (s->type->program[0] == '/')
		snprintf(prog, sizeof(prog), "%s", s->type->program);
	else
		snprintf(prog, sizeof(prog), "%s/%s", cfg.root, s->type->program);
	snprintf(attempt, sizeof(attempt), "%d", s->task.attempts);
	setenv("STINT_TASK_ID", s->task.task_id, 1);
	setenv("STINT_TASK_TYPE", s->task.task_type, 1);
	setenv("STINT_TASK_SESSION_ID", s->task.session_id, 1);
	setenv("STINT_TASK_ATTEMPT", attempt, 1);
	argv[0] = prog;
	argv[1] = NULL;
	execv(prog, argv);
	fprintf(stderr, "cannot run %s: %s\n", prog, strerror(errno));
	_exit(127);
}

/*
 * A file in memory (memfd_create) holding text, read from its start: the
 * child's stdin. Not a file in /tmp: creating and removing an inode per
 * task cost more than the rest of a noop task's start (bench/tasks).
 * -1 on an error (errno set).
 */
static int params_file(const char *text)
{
	size_t len = strlen(text), done = 0;
	ssize_t n;
	int fd = memfd_create("stint-task-params", MFD_CLOEXEC);

	while (fd >= 0 && done < len) {
		n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	if (fd >= 0 && lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Start s's child; 0, or -1 with the reason in why. */
static int start_child(slot *s, double now, char *why, size_t whysize)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int in = params_file(s->task.params);
	pid_t pid;

	if (in < 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
		snprintf(why, whysize, "spooler: cannot prepare the child: %s", strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, whysize, "spooler: fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		exec_child(s, in, out[1], err[1]);
	if (cfg.trace_fd >= 0)
		trace_fork(s);
	setpgid(pid, pid);  /* as the child does: whichever runs first */
	close(in);
	close(out[1]);
	close(err[1]);
	s->pid = s->pgid = pid;
	s->pidfd = pidfd_open(pid, 0);  /* -1 on an old kernel: the 100 ms poll finds the exit */
	s->out = out[0];
	s->err = err[0];
	fcntl(s->out, F_SETFL, O_NONBLOCK);
	fcntl(s->err, F_SETFL, O_NONBLOCK);
	s->deadline = now + (double)s->type->time_limit_s;
	s->next_heartbeat = now + cfg.heartbeat_s;
	return 0;
fail:
	close_fd(&in);
	for (int i = 0; i < 2; i++) {
		close_fd(&out[i]);
		close_fd(&err[i]);
	}
	return -1;
}

/* One complete stdout line of s's child: progress, a result, or nothing we know. */
static void child_line(stint_db *db, slot *s, char *line)
{
	char *end;
	long pct;
	int held;
	cJSON *json;

	if (strncmp(line, "progress ", 9) == 0) {
		pct = strtol(line + 9, &end, 10);
		if (end == line + 9 || (*end != '\0' && *end != ' ') || pct < 0 || pct > 100)
			return;
		while (*end == ' ')
			end++;
		if (!s->lost && stint_spool_progress(db, s->task.task_id, s->task.token, (int)pct, end, &held) ==
		    STINT_DB_OK && !held)
			s->lost = 1;
		return;
	}
	if (line[0] != '{' && line[0] != '[')
		return;
	json = cJSON_Parse(line);
	if (json == NULL)
		return;
	cJSON_Delete(json);
	free(s->result);
	s->result = strdup(line);
}

/* Read what s's child wrote on stdout; EOF closes it. */
static void read_out(stint_db *db, slot *s)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(s->out, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				s->line[s->nline] = '\0';
				if (s->nline > 0 && s->line[s->nline - 1] == '\r')
					s->line[s->nline - 1] = '\0';
				if (!s->line_overflow)
					child_line(db, s, s->line);
				s->nline = 0;
				s->line_overflow = 0;
			} else if (s->nline + 1 < sizeof(s->line)) {
				s->line[s->nline++] = buf[i];
			} else {
				s->line_overflow = 1;
			}
		}
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		if (s->nline > 0 && !s->line_overflow) {  /* a last line without its newline */
			s->line[s->nline] = '\0';
			child_line(db, s, s->line);
		}
		s->nline = 0;
		close_fd(&s->out);
	}
}

/* Keep the tail of what s's child wrote on stderr; EOF closes it. */
static void read_err(slot *s)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(s->err, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			s->tail[s->tailpos] = buf[i];
			s->tailpos = (s->tailpos + 1) % SPOOL_TAIL;
			if (s->ntail < SPOOL_TAIL)
				s->ntail++;
		}
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		close_fd(&s->err);
}

/* The error of s's run: what happened, then stderr's tail. */
static void run_error(const slot *s, char *out, size_t size)
{
	char tail[SPOOL_TAIL + 1];
	size_t start = (s->tailpos + SPOOL_TAIL - s->ntail) % SPOOL_TAIL, len;

	for (size_t i = 0; i < s->ntail; i++)
		tail[i] = s->tail[(start + i) % SPOOL_TAIL];
	tail[s->ntail] = '\0';
	len = s->ntail;
	while (len > 0 && (tail[len - 1] == '\n' || tail[len - 1] == ' '))
		tail[--len] = '\0';
	if (s->timed_out)
		snprintf(out, size, "time limit of %ld s exceeded%s%s", s->type->time_limit_s, len ? "\n" : "", tail);
	else if (WIFSIGNALED(s->status))
		snprintf(out, size, "killed by signal %d%s%s", WTERMSIG(s->status), len ? "\n" : "", tail);
	else if (len > 0)
		snprintf(out, size, "%s", tail);
	else
		snprintf(out, size, "exit status %d", WEXITSTATUS(s->status));
}

/* s's child has exited and its output is read: record the end of the run (types: for its record policy). */
static void finish(stint_db *db, const stint_task_types *types, slot *s)
{
	char error[SPOOL_TAIL + 128];
	const char *id = s->task.task_id, *token = s->task.token;
	int held = 0, queued = 0, ok = WIFEXITED(s->status) && WEXITSTATUS(s->status) == 0;
	stint_db_rc rc = STINT_DB_OK;

	if (s->lost) {
		stint_log(STINT_LOG_WARN, "task %s: the lease was lost; its run is not recorded", id);
	} else if (s->cancelled) {
		rc = stint_spool_cancelled(db, types, id, token, &held);
		stint_log(STINT_LOG_INFO, "task %s: cancelled", id);
	} else if (s->handing_back) {
		rc = stint_spool_release(db, id, token, &held);
		stint_log(STINT_LOG_INFO, "task %s: handed back", id);
	} else if (ok && !s->timed_out) {
		rc = stint_spool_complete(db, types, id, token, s->result, &held);
		stint_log(STINT_LOG_INFO, "task %s (%s): completed", id, s->task.task_type);
	} else {
		run_error(s, error, sizeof(error));
		rc = stint_spool_fail(db, types, id, token, error,
				      !(WIFEXITED(s->status) && WEXITSTATUS(s->status) == SPOOL_EXIT_PERMANENT),
				      cfg.backoff_s, &held, &queued);
		stint_log(STINT_LOG_INFO, "task %s (%s): attempt %d failed%s", id, s->task.task_type,
			  s->task.attempts, queued ? ", queued again" : "");
	}
	if (!s->lost && rc == STINT_DB_OK && !held)
		stint_log(STINT_LOG_WARN, "task %s: the lease (token %s) was lost; the end was refused", id, token);
	free(s->result);
	stint_spool_task_free(&s->task);
	close_fd(&s->pidfd);
	memset(s, 0, offsetof(slot, owner));
	s->out = s->err = s->pidfd = -1;
	s->state = SLOT_IDLE;
}

/* Claim a task for idle slot s and start it; 1 when one was claimed. */
static int claim(stint_db *db, const stint_task_types *types, slot *s, double now)
{
	char why[512];
	int held = 0, queued = 0;

	if (stint_spool_claim(db, s->owner, cfg.lease_s, cfg.types, &s->task) != STINT_DB_OK || s->task.task_id[0] == '\0')
		return 0;
	s->type = stint_task_type_find(types, s->task.task_type);
	if (s->type == NULL) {
		snprintf(why, sizeof(why), "task type %s is not declared in this spooler's configuration",
			 s->task.task_type);
	} else if (start_child(s, now, why, sizeof(why)) == 0) {
		s->state = SLOT_RUNNING;
		stint_log(STINT_LOG_INFO, "task %s (%s): attempt %d of %d started (pid %ld)", s->task.task_id,
			  s->task.task_type, s->task.attempts, s->task.max_attempts, (long)s->pid);
		return 1;
	}
	stint_log(STINT_LOG_ERROR, "task %s: %s", s->task.task_id, why);
	stint_spool_fail(db, types, s->task.task_id, s->task.token, why, s->type != NULL, cfg.backoff_s, &held,
			 &queued);
	stint_spool_task_free(&s->task);
	return 1;
}

/* Timers of running slot s: heartbeat, cancel, time limit, SIGKILL; reaping the child. */
static void tick(stint_db *db, slot *s, double now)
{
	int held, cancel, status;

	if (s->pid > 0 && waitpid(s->pid, &status, WNOHANG) == s->pid) {
		s->status = status;
		s->pid = 0;
		close_fd(&s->pidfd);
		signal_group(s, SIGKILL);  /* what it left behind in its group */
	}
	if (s->pid > 0 && !s->lost && now >= s->next_heartbeat) {
		s->next_heartbeat = now + cfg.heartbeat_s;
		if (stint_spool_heartbeat(db, s->task.task_id, s->task.token, cfg.lease_s, &held, &cancel) ==
		    STINT_DB_OK) {
			if (!held) {
				stint_log(STINT_LOG_WARN, "task %s: lease lost; stopping its child", s->task.task_id);
				s->lost = 1;
				stop_group(s, now);
			} else if (cancel && !s->cancelled) {
				stint_log(STINT_LOG_INFO, "task %s: cancel asked; stopping its child", s->task.task_id);
				s->cancelled = 1;
				stop_group(s, now);
			}
		}
	}
	if (s->pid > 0 && now >= s->deadline && !s->timed_out && s->term_at == 0) {
		s->timed_out = 1;
		stop_group(s, now);
	}
	if (s->pid > 0 && s->term_at > 0 && now >= s->term_at + cfg.kill_grace_s)
		signal_group(s, SIGKILL);
}

/* (Re)LISTEN on the notification connection when it is not listening. */
static void listen_again(stint_db *ldb, PGconn **listening)
{
	if (*listening != NULL && ldb->conn == *listening && PQstatus(ldb->conn) == CONNECTION_OK)
		return;
	*listening = NULL;
	if (stint_db_exec(ldb, STINT_SQL_SPOOL_LISTEN, 0, NULL, NULL) == STINT_DB_OK)
		*listening = ldb->conn;
}

/* Drain the notifications: 1 when there was one. */
static int notified(PGconn **listening)
{
	PGnotify *n;
	int any = 0;

	if (*listening == NULL)
		return 0;
	if (PQconsumeInput(*listening) == 0) {
		*listening = NULL;
		return 1;  /* the connection broke: look for work and listen again */
	}
	while ((n = PQnotifies(*listening)) != NULL) {
		PQfreemem(n);
		any = 1;
	}
	return any;
}

static double setting_s(const char *key, long def, long min, long max)
{
	return (double)stint_config_int(key, def, min, max);
}

/*
 * The periodic discovery: queue a recorder_sync task, or find the one
 * queued or running (stint_recorder_sync_queue: one at a time, however many
 * spoolers ask). The task has no session and no user: admins see it.
 */
static void queue_recorder_sync(stint_db *db, const stint_task_types *types)
{
	const stint_task_type *type = stint_task_type_find(types, STINT_RECORDER_SYNC_TYPE);
	char *json = NULL;
	int created = 0;
	stint_tx tx;

	if (type == NULL)
		return;
	stint_tx_begin(&tx, db, NULL);
	stint_recorder_sync_queue(&tx, NULL, type->max_attempts, &json, &created);
	if (stint_tx_end(&tx) != STINT_DB_OK)
		stint_log(STINT_LOG_ERROR, "periodic recorder sync: the database refused the task");
	else if (created)
		stint_log(STINT_LOG_INFO, "periodic recorder sync queued");
	free(json);
}

/* recorder_sync_interval_s when the bucket is configured, else 0 (no periodic sync). */
static double recorder_sync_interval(void)
{
	stint_s3_conf c;
	char err[256];
	double every = 0;

	if (stint_s3_conf_load(&c, err, sizeof(err)) != 0)
		stint_log(STINT_LOG_WARN, "no periodic recorder sync: %s", err);
	else if (c.enabled)
		every = setting_s("recorder_sync_interval_s", 300, 0, 86400);
	stint_s3_conf_clear(&c);
	return every;
}

/*
 * One batch of the retention sweep: finished tasks (stint_spool_sweep) and
 * expired uploads with their part files (stint_upload_sweep); *more 1 when a
 * batch was full (there may be more). Returns how many were removed, -1 on
 * an error (logged).
 */
static long sweep_batch(stint_db *db, const stint_task_types *types, int *more)
{
	long n = 0, uploads = 0;

	*more = 0;
	if (stint_spool_sweep(db, types, SPOOL_SWEEP_BATCH, &n) != STINT_DB_OK ||
	    stint_upload_sweep(db, SPOOL_SWEEP_BATCH, &uploads) != STINT_DB_OK) {
		stint_log(STINT_LOG_ERROR, "retention sweep: the database refused it");
		return -1;
	}
	*more = n == SPOOL_SWEEP_BATCH || uploads == SPOOL_SWEEP_BATCH;
	return n + uploads;
}

/*
 * One batch of the archive retention (stint_spool_purge_archives): archived
 * sessions older than the setting archive_retention_days (default 30), with
 * their files; *more as sweep_batch. Returns how many, -1 on an error (logged).
 */
static long purge_batch(stint_db *db, int *more)
{
	long n = 0, days = stint_config_int("archive_retention_days", 30, 1, 36500);

	*more = 0;
	if (stint_spool_purge_archives(db, days, SPOOL_SWEEP_BATCH, &n) != STINT_DB_OK) {
		stint_log(STINT_LOG_ERROR, "archive retention: the database refused it");
		return -1;
	}
	*more = n == SPOOL_SWEEP_BATCH;
	return n;
}

/*
 * One batch of the report retention (stint_spool_purge_reports): report runs
 * older than archive_retention_days, except each session's current report;
 * *more as sweep_batch. Returns how many runs, -1 on an error (logged).
 */
static long report_batch(stint_db *db, int *more)
{
	long n = 0, days = stint_config_int("archive_retention_days", 30, 1, 36500);

	*more = 0;
	if (stint_spool_purge_reports(db, days, SPOOL_SWEEP_BATCH, &n) != STINT_DB_OK) {
		stint_log(STINT_LOG_ERROR, "report retention: the database refused it");
		return -1;
	}
	*more = n == SPOOL_SWEEP_BATCH;
	return n;
}

/* --sweep-once: sweep until nothing more is due; 0, or 1 on an error. */
static int sweep_once(stint_db *db, const stint_task_types *types)
{
	long n, total = 0, purged = 0, runs = 0;
	int more = 1;

	while (more) {
		if ((n = sweep_batch(db, types, &more)) < 0)
			return 1;
		total += n;
	}
	for (more = 1; more;) {
		if ((n = purge_batch(db, &more)) < 0)
			return 1;
		purged += n;
	}
	for (more = 1; more;) {
		if ((n = report_batch(db, &more)) < 0)
			return 1;
		runs += n;
	}
	stint_log(STINT_LOG_INFO, "retention sweep: removed %ld finished records", total);
	printf("removed %ld finished records\n", total);
	stint_log(STINT_LOG_INFO, "archive retention: purged %ld archived sessions", purged);
	if (purged > 0)  /* a second line only when there was any (the first is the sweep's own) */
		printf("purged %ld archived sessions\n", purged);
	stint_log(STINT_LOG_INFO, "report retention: purged %ld old report runs", runs);
	if (runs > 0)
		printf("purged %ld report runs\n", runs);
	return 0;
}

int main(int argc, char **argv)
{
	static slot slots[SPOOL_MAX_SLOTS];
	struct pollfd fds[3 * SPOOL_MAX_SLOTS + 1];
	slot *who[3 * SPOOL_MAX_SLOTS + 1];
	stint_task_types types = { NULL, 0 };
	struct sigaction sa;
	stint_db db, ldb;
	PGconn *listening = NULL;
	char err[512], host[64];
	const char *trace;
	double now, next_poll = 0, next_reap = 0, next_sweep = 0, next_sync = 0, next_listen = 0, stop_at = 0;
	long concurrency = 0, reaped, swept, purged;
	int nfds, running, want = 1, once = 0, more;

	stint_log_init("spooler");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--var-dir") == 0 && i + 1 < argc) {
			setenv("STINT_VAR_DIR", argv[++i], 1);
		} else if (strcmp(argv[i], "--sweep-once") == 0) {
			once = 1;
		} else if (strcmp(argv[i], "--concurrency") == 0 && i + 1 < argc) {
			concurrency = strtol(argv[++i], NULL, 10);
			if (concurrency < 1 || concurrency > SPOOL_MAX_SLOTS) {
				fprintf(stderr, "stint-spooler: --concurrency is 1..%d\n", SPOOL_MAX_SLOTS);
				return 2;
			}
		} else {
			fprintf(stderr, "usage: stint-spooler [--var-dir DIR] [--concurrency N | --sweep-once]\n");
			return 2;
		}
	}
	if (stint_config_load(NULL) != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	stint_log_configure();
	if (concurrency == 0)
		concurrency = stint_config_int("spool_concurrency", 1, 1, SPOOL_MAX_SLOTS);
	cfg.lease_s = setting_s("spool_lease_s", 30, 1, 3600);
	cfg.heartbeat_s = setting_s("spool_heartbeat_s", (long)(cfg.lease_s / 3 > 1 ? cfg.lease_s / 3 : 1), 1, 3600);
	cfg.poll_s = setting_s("spool_poll_s", 5, 1, 3600);
	cfg.backoff_s = setting_s("spool_backoff_s", 5, 0, 3600);
	cfg.grace_s = setting_s("spool_grace_s", 10, 0, 3600);
	cfg.kill_grace_s = setting_s("spool_kill_grace_s", 5, 0, 600);
	/* an expired lease is found within a third of a lease: a dead spooler's task waits at most 4/3 of one */
	cfg.reap_s = setting_s("spool_reap_s", (long)(cfg.lease_s / 3 > 1 ? cfg.lease_s / 3 : 1), 1, 3600);
	cfg.sweep_s = setting_s("spool_sweep_s", 60, 1, 86400);
	cfg.sync_s = recorder_sync_interval();
	cfg.types = stint_config_get("spool_types", NULL);
	if (cfg.types != NULL && *cfg.types == '\0')
		cfg.types = NULL;
	cfg.trace_fd = -1;
	trace = stint_config_get("spool_trace", NULL);
	if (trace != NULL && *trace != '\0' &&
	    (cfg.trace_fd = open(trace, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		stint_log(STINT_LOG_ERROR, "spool_trace: %s: %s", trace, strerror(errno));
		return 1;
	}
	find_root();
	if (stint_task_types_load(NULL, &types, err, sizeof(err)) != 0) {
		stint_log(STINT_LOG_ERROR, "%s", err);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (once) {
		if (stint_db_init(&db, stint_config_get("database_url", "")) != 0)
			return 1;
		once = sweep_once(&db, &types);
		stint_task_types_free(&types);
		stint_db_close(&db);
		curl_global_cleanup();
		return once;
	}
	if (stint_db_init(&db, stint_config_get("database_url", "")) != 0 ||
	    stint_db_init(&ldb, stint_config_get("database_url", "")) != 0)
		return 1;
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	for (long i = 0; i < concurrency; i++) {
		slots[i].out = slots[i].err = slots[i].pidfd = -1;
		snprintf(slots[i].owner, sizeof(slots[i].owner), "%s:%ld/%ld", host, (long)getpid(), i);
	}
	stint_log(STINT_LOG_INFO, "spooling %zu task types with %ld slots, lease %.0f s, reaping every %.0f s,"
		  " sweeping every %.0f s, programs from %s", types.n, concurrency, cfg.lease_s, cfg.reap_s,
		  cfg.sweep_s, cfg.root);
	for (;;) {
		now = now_s();
		if (spool_stop && stop_at == 0) {
			stop_at = now + cfg.grace_s;
			stint_log(STINT_LOG_INFO, "stopping: no more claims; running tasks have %.0f s", cfg.grace_s);
		}
		running = 0;
		for (long i = 0; i < concurrency; i++)
			running += slots[i].state == SLOT_RUNNING;
		if (stop_at > 0 && running == 0)
			break;
		if (stop_at > 0 && now >= stop_at) {
			for (long i = 0; i < concurrency; i++) {
				if (slots[i].state == SLOT_RUNNING && !slots[i].handing_back && !slots[i].cancelled) {
					slots[i].handing_back = 1;
					stop_group(&slots[i], now);
				}
			}
		}
		if (stop_at == 0) {
			if (listening != NULL || now >= next_listen) {
				listen_again(&ldb, &listening);
				if (listening == NULL)
					next_listen = now + 5;  /* the database is away: polling covers it */
			}
			if (now >= next_reap) {
				next_reap = now + cfg.reap_s;
				if (stint_spool_reap(&db, &types, &reaped) == STINT_DB_OK && reaped > 0) {
					stint_log(STINT_LOG_INFO, "ended or re-queued %ld tasks whose lease expired",
						  reaped);
					want = 1;
				}
			}
			if (now >= next_sweep) {  /* one batch a turn, so that running tasks are not kept waiting */
				swept = sweep_batch(&db, &types, &more);
				next_sweep = more ? now : now + cfg.sweep_s;
				if (swept > 0)
					stint_log(STINT_LOG_INFO, "retention sweep: removed %ld finished records",
						  swept);
				if (!more && (purged = purge_batch(&db, &more)) > 0) {
					next_sweep = more ? now : next_sweep;
					stint_log(STINT_LOG_INFO, "archive retention: purged %ld archived sessions",
						  purged);
				}
				if (!more && (purged = report_batch(&db, &more)) > 0) {
					next_sweep = more ? now : next_sweep;
					stint_log(STINT_LOG_INFO, "report retention: purged %ld old report runs",
						  purged);
				}
			}
			if (cfg.sync_s > 0 && now >= next_sync) {  /* at start, then every interval */
				next_sync = now + cfg.sync_s;
				queue_recorder_sync(&db, &types);
				want = 1;
			}
			if (now >= next_poll)
				want = 1;
			for (long i = 0; want && i < concurrency; i++) {
				if (slots[i].state == SLOT_IDLE && !claim(&db, &types, &slots[i], now))
					want = 0;
			}
			if (want == 0)
				next_poll = now + cfg.poll_s;
			want = 0;
		}
		nfds = 0;
		for (long i = 0; i < concurrency; i++) {
			slot *s = &slots[i];

			if (s->state != SLOT_RUNNING)
				continue;
			tick(&db, s, now);
			if (s->pid == 0 && s->out < 0 && s->err < 0) {
				finish(&db, &types, s);
				want = 1;
				continue;
			}
			if (s->pid == 0) {  /* exited: read what is left, without waiting for stragglers */
				if (s->out >= 0)
					read_out(&db, s);
				if (s->err >= 0)
					read_err(s);
				close_fd(&s->out);
				close_fd(&s->err);
				finish(&db, &types, s);
				want = 1;
				continue;
			}
			if (s->out >= 0) {
				fds[nfds] = (struct pollfd){ s->out, POLLIN, 0 };
				who[nfds++] = s;
			}
			if (s->err >= 0) {
				fds[nfds] = (struct pollfd){ s->err, POLLIN, 0 };
				who[nfds++] = s;
			}
			if (s->pidfd >= 0) {  /* its exit wakes the loop, whose tick() reaps it */
				fds[nfds] = (struct pollfd){ s->pidfd, POLLIN, 0 };
				who[nfds++] = s;
			}
		}
		if (want)
			continue;
		if (listening != NULL && stop_at == 0) {
			fds[nfds] = (struct pollfd){ PQsocket(listening), POLLIN, 0 };
			who[nfds++] = NULL;
		}
		if (poll(fds, (nfds_t)nfds, 100) <= 0)
			continue;
		for (int i = 0; i < nfds; i++) {
			if (fds[i].revents == 0)
				continue;
			if (who[i] == NULL)
				want |= notified(&listening);
			else if (fds[i].fd == who[i]->out)
				read_out(&db, who[i]);
			else if (fds[i].fd == who[i]->err)
				read_err(who[i]);
		}
	}
	stint_log(STINT_LOG_INFO, "stopped");
	stint_task_types_free(&types);
	if (cfg.trace_fd >= 0)
		close(cfg.trace_fd);
	stint_db_close(&ldb);
	stint_db_close(&db);
	curl_global_cleanup();
	return 0;
}
