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

/* Codecs that only ever hold still pictures (ffmpeg's image codecs). */
static const char *const image_codecs[] = {
	"png", "apng", "bmp", "webp", "tiff", "jpeg2000", "jpegls", "targa", "sgi", "pam", "pbm",
	"pgm", "pgmyuv", "ppm", "pcx", "xbm", "xpm", "xwd", "dds", "qoi", "exr", "hdr", "photocd",
	"sunrast", "alias_pix", "dpx", "psd", NULL,
};

static int is_image_codec(const char *codec)
{
	size_t i;

	for (i = 0; image_codecs[i] != NULL; i++)
		if (strcmp(codec, image_codecs[i]) == 0)
			return 1;
	return 0;
}

/* A number ffprobe wrote as a string ("25", "1.000000"), or -1 when absent or "N/A". */
static double number_of(const cJSON *obj, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(obj, key));
	char *end;
	double d;

	if (v == NULL || *v == '\0')
		return -1;
	d = strtod(v, &end);
	return *end == '\0' ? d : -1;
}

/* A rate "num/den" as a number; 0 when absent or "0/0". */
static double rate_of(const cJSON *obj, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(obj, key));
	double num, den;

	if (v == NULL || sscanf(v, "%lf/%lf", &num, &den) != 2 || den <= 0 || num <= 0)
		return 0;
	return num / den;
}

/* 1 when stream s (of a file whose container lasts format_sec) is a moving picture. */
static int is_moving_video(const cJSON *s, double format_sec)
{
	const char *codec = cJSON_GetStringValue(cJSON_GetObjectItem(s, "codec_name"));
	const cJSON *disposition = cJSON_GetObjectItem(s, "disposition");
	double duration = number_of(s, "duration"), frames = number_of(s, "nb_frames");

	if (codec == NULL || is_image_codec(codec) ||
	    cJSON_GetNumberValue(cJSON_GetObjectItem(disposition, "attached_pic")) == 1)
		return 0;
	if (duration <= 0)
		duration = format_sec;
	if (frames < 0)
		frames = duration * rate_of(s, "avg_frame_rate");
	return duration > 0 && frames >= 2;
}

/* 1 when ffprobe read the file with an image demuxer (image2, png_pipe, jpeg_pipe, ...). */
static int is_image_format(const char *format)
{
	size_t n = strlen(format);

	return strcmp(format, "image2") == 0 || (n > 5 && strcmp(format + n - 5, "_pipe") == 0);
}

int stint_media_probe_parse(const char *json, stint_media_info *out)
{
	cJSON *root = cJSON_Parse(json), *s;
	const cJSON *fmt;
	const char *type;
	double format_sec;

	memset(out, 0, sizeof(*out));
	if (root == NULL)
		return -1;
	fmt = cJSON_GetObjectItem(root, "format");
	format_sec = number_of(fmt, "duration");
	out->duration_sec = format_sec > 0 ? format_sec : 0;
	type = cJSON_GetStringValue(cJSON_GetObjectItem(fmt, "format_name"));
	snprintf(out->format, sizeof(out->format), "%s", type ? type : "");
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(root, "streams")) {
		type = cJSON_GetStringValue(cJSON_GetObjectItem(s, "codec_type"));
		if (type != NULL && strcmp(type, "video") == 0 && !is_image_format(out->format) &&
		    is_moving_video(s, out->duration_sec))
			out->has_video = 1;
		if (type != NULL && strcmp(type, "audio") == 0)
			out->has_audio = 1;
	}
	cJSON_Delete(root);
	return out->has_video || out->has_audio ? 0 : -1;
}

int stint_media_fits_kind(const stint_media_info *info, const char *kind)
{
	if (strcmp(kind, "video") == 0)
		return info->has_video;
	return strcmp(kind, "audio") == 0 && info->has_audio;
}

int stint_media_probe(const char *path, stint_media_info *out)
{
	char *argv[] = { "ffprobe", "-v", "error", "-show_entries",
			 "format=duration,format_name:stream=codec_type,codec_name,nb_frames,duration,"
			 "avg_frame_rate:stream_disposition=attached_pic", "-of", "json",
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
		rc = stint_media_probe_parse(text.data, out);
	stint_buf_free(&text);
	return rc;
}

void stint_media_type(const stint_media_info *info, const char **ext, const char **ctype)
{
	static const struct { const char *format, *ext, *video, *audio; } types[] = {
		{ "mov,mp4", "mp4", "video/mp4", "audio/mp4" },
		{ "matroska,webm", "webm", "video/webm", "audio/webm" },
		{ "ogg", "ogg", "video/ogg", "audio/ogg" },
		{ "flac", "flac", "audio/flac", "audio/flac" },
		{ "mp3", "mp3", "audio/mpeg", "audio/mpeg" },
		{ "wav", "wav", "audio/wav", "audio/wav" },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strncmp(info->format, types[i].format, strlen(types[i].format)) == 0) {
			*ext = types[i].ext;
			*ctype = info->has_video ? types[i].video : types[i].audio;
			return;
		}
	}
	*ext = "bin";
	*ctype = "application/octet-stream";
}
