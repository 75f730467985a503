/* wearable-fit.c: FIT files through gpsbabel (see wearable-fit.h). */
#include "wearable-fit.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wearable-build.h"
#include "wearable-csv.h"

#define FIT_MAX_OUTPUT (256L * 1024 * 1024)
#define FIT_CPU_S 30

/* The child: stdout and stderr to the pipes, stdin from /dev/null, then gpsbabel. Never returns. */
static void run_child(const char *path, int out_fd, int err_fd)
{
	struct rlimit cpu = { FIT_CPU_S, FIT_CPU_S };
	int null_fd = open("/dev/null", O_RDONLY);
	char *const argv[] = { STINT_GPSBABEL, "-t", "-i", "garmin_fit,allpoints=1", "-f", (char *)path,
			       "-o", "unicsv,utc=0", "-F", "-", NULL };

	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		_exit(126);
	setrlimit(RLIMIT_CPU, &cpu);
	execvp(argv[0], argv);
	_exit(127);
}

/* Read both pipes to their end; stdout into *out (heap, NUL-terminated), stderr's start into errtext. */
static int drain(int out_fd, int err_fd, char **out, size_t *n, char *errtext, size_t errsize)
{
	struct pollfd fds[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
	size_t len = 0, cap = 0, elen = 0;
	char *buf = NULL, *grown, chunk[65536];
	int open_fds = 2;

	while (open_fds > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t got;

			if (fds[i].fd < 0 || fds[i].revents == 0)
				continue;
			got = read(fds[i].fd, chunk, sizeof(chunk));
			if (got <= 0) {
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 1) {
				size_t take = elen + 1 < errsize ? errsize - 1 - elen : 0;

				take = take < (size_t)got ? take : (size_t)got;
				memcpy(errtext + elen, chunk, take);
				elen += take;
				continue;
			}
			if (len + (size_t)got + 1 > cap) {
				cap = 2 * (len + (size_t)got + 1);
				if (cap > (size_t)FIT_MAX_OUTPUT || (grown = realloc(buf, cap)) == NULL) {
					free(buf);
					return -1;
				}
				buf = grown;
			}
			memcpy(buf + len, chunk, (size_t)got);
			len += (size_t)got;
		}
	}
	if (errsize > 0)
		errtext[elen] = '\0';
	if (buf == NULL && (buf = malloc(1)) == NULL)
		return -1;
	buf[len] = '\0';
	*out = buf;
	*n = len;
	return 0;
}

/* gpsbabel's message: its first line, without the trailing newline, " in file PATH" dropped (no server paths in answers). */
static void first_line(char *text, const char *path)
{
	char *at;

	text[strcspn(text, "\r\n")] = '\0';
	if ((at = strstr(text, " in file ")) != NULL && strncmp(at + 9, path, strlen(path)) == 0)
		memmove(at, at + 9 + strlen(path), strlen(at + 9 + strlen(path)) + 1);
	else if (strstr(text, path) != NULL)
		snprintf(text, 64, "cannot read the file");
}

int stint_wearable_parse_fit(const char *path, stint_tracks *out, char *err, size_t errsize)
{
	int out_pipe[2], err_pipe[2], status = 0, rc = -1;
	char *csv = NULL, errtext[512] = "";
	size_t n = 0;
	pid_t pid;

	if (pipe2(out_pipe, O_CLOEXEC) != 0)
		return stint_wearable_err(err, errsize, "cannot run gpsbabel: %s", strerror(errno));
	if (pipe2(err_pipe, O_CLOEXEC) != 0) {
		close(out_pipe[0]), close(out_pipe[1]);
		return stint_wearable_err(err, errsize, "cannot run gpsbabel: %s", strerror(errno));
	}
	pid = fork();
	if (pid == 0)
		run_child(path, out_pipe[1], err_pipe[1]);
	close(out_pipe[1]);
	close(err_pipe[1]);
	if (pid < 0) {
		close(out_pipe[0]), close(err_pipe[0]);
		return stint_wearable_err(err, errsize, "cannot run gpsbabel: %s", strerror(errno));
	}
	if (drain(out_pipe[0], err_pipe[0], &csv, &n, errtext, sizeof(errtext)) != 0) {
		kill(pid, SIGKILL);
		stint_wearable_err(err, errsize, "gpsbabel's output is too large");
	}
	close(out_pipe[0]);
	close(err_pipe[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (csv == NULL)
		goto out;
	first_line(errtext, path);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		stint_wearable_err(err, errsize, "gpsbabel not found (Debian: apt-get install gpsbabel)");
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		stint_wearable_err(err, errsize, "gpsbabel: %s", errtext[0] != '\0' ? errtext : "cannot read the file");
		goto out;
	}
	if (stint_wearable_parse_csv(csv, n, out, err, errsize) != 0)
		goto out;
	for (size_t t = 0; t < out->n; t++)
		for (size_t i = 0; i < out->tracks[t].n; i++) {
			stint_sample *s = &out->tracks[t].samples[i];

			if (s->lat_deg == 0 && s->lon_deg == 0)
				s->lat_deg = s->lon_deg = NAN;
		}
	rc = 0;
out:
	free(csv);
	return rc;
}
