/*
 * probe.h: what a media file holds, read with ffprobe (Debian's ffmpeg).
 */
#ifndef STINT_PROBE_H
#define STINT_PROBE_H

typedef struct stint_media_info {
	double duration_sec;   /* of the container; 0 when unknown */
	int has_video, has_audio;
	char format[64];       /* ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" */
} stint_media_info;

/*
 * Probe the file at path: runs `ffprobe -v error -show_entries
 * format=duration,format_name:stream=codec_type -of json PATH` (no shell,
 * at most 30 s). Returns 0, or -1 when ffprobe is missing, fails, times out
 * or finds no audio or video stream (not a media file).
 */
int stint_media_probe(const char *path, stint_media_info *out);

#endif
