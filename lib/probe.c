/* probe.c: ffprobe as a child process (see probe.h). */
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "log.h"

#define PROBE_TIMEOUT_MS 30000
#define PROBE_OUTPUT_MAX 65536

extern char **environ;

/* Read fd until EOF, the cap or the deadline; 0 on EOF. */
static int read_all(int fd, stint_buf *out)
{
	struct timespec start, now;
	struct pollfd p = { fd, POLLIN, 0 };
	char chunk[4096];
	ssize_t n;
	long waited;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= PROBE_TIMEOUT_MS || poll(&p, 1, (int)(PROBE_TIMEOUT_MS - waited)) <= 0)
			return -1;
		n = read(fd, chunk, sizeof(chunk));
		if (n == 0)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || out->len + (size_t)n > PROBE_OUTPUT_MAX ||
		    stint_buf_append(out, chunk, (size_t)n) != 0)
			return -1;
	}
}

static int parse(const char *json, stint_media_info *out)
{
	cJSON *root = cJSON_Parse(json), *s;
	const cJSON *fmt, *v;

	if (root == NULL)
		return -1;
	fmt = cJSON_GetObjectItem(root, "format");
	v = cJSON_GetObjectItem(fmt, "duration");
	out->duration_sec = cJSON_IsString(v) ? strtod(v->valuestring, NULL) : 0;
	v = cJSON_GetObjectItem(fmt, "format_name");
	snprintf(out->format, sizeof(out->format), "%s", cJSON_IsString(v) ? v->valuestring : "");
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(root, "streams")) {
		v = cJSON_GetObjectItem(s, "codec_type");
		if (cJSON_IsString(v) && strcmp(v->valuestring, "video") == 0)
			out->has_video = 1;
		if (cJSON_IsString(v) && strcmp(v->valuestring, "audio") == 0)
			out->has_audio = 1;
	}
	cJSON_Delete(root);
	return out->has_video || out->has_audio ? 0 : -1;
}

int stint_media_probe(const char *path, stint_media_info *out)
{
	char *argv[] = { "ffprobe", "-v", "error", "-show_entries",
			 "format=duration,format_name:stream=codec_type", "-of", "json",
			 (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	stint_buf text = STINT_BUF_INIT;
	int fds[2], status = -1, rc = -1, read_rc;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (posix_spawnp(&pid, "ffprobe", &fa, NULL, argv, environ) != 0) {
		stint_log(STINT_LOG_ERROR, "cannot run ffprobe (apt-get install ffmpeg)");
		pid = -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	read_rc = read_all(fds[0], &text);
	close(fds[0]);
	if (read_rc != 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (read_rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && text.data != NULL)
		rc = parse(text.data, out);
	stint_buf_free(&text);
	return rc;
}
