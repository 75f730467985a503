/*
 * probe.h: what a media file holds, read with ffprobe (Debian's ffmpeg).
 */
#ifndef STINT_PROBE_H
#define STINT_PROBE_H

typedef struct stint_media_info {
	double duration_sec;   /* of the container; 0 when unknown */
	int has_video;         /* a moving picture: see stint_media_probe_parse() */
	int has_audio;         /* an audio stream */
	char format[64];       /* ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" */
} stint_media_info;

/*
 * Probe the file at path: runs `ffprobe -v error -show_entries
 * format=duration,format_name:stream=codec_type,codec_name,nb_frames,duration,avg_frame_rate
 * :stream_disposition=attached_pic -of json PATH` (no shell, at most 30 s)
 * and reads its answer with stint_media_probe_parse(). Returns 0, or -1 when
 * ffprobe is missing, fails, times out or finds neither a video nor an audio
 * stream (not a media file: a still picture is not one).
 */
int stint_media_probe(const char *path, stint_media_info *out);

/*
 * Read ffprobe's JSON answer (as stint_media_probe() asks for it) into out.
 * ffprobe calls every picture a video stream, a PNG's too; has_video is set
 * only for a stream that moves: codec_type video, not a cover picture
 * (disposition attached_pic), not an image-only codec (png, bmp, webp,
 * tiff, ...), not read by an image demuxer (image2, *_pipe), with a
 * positive duration and more than one frame (nb_frames, or duration times
 * avg_frame_rate where the container does not count frames), so a single
 * mjpeg, gif or h264 picture is no video either. has_audio is set for any
 * audio stream. Returns 0, or -1 when the text is not JSON or neither is set.
 */
int stint_media_probe_parse(const char *json, stint_media_info *out);

/*
 * 1 when info fits a clip of kind ("video": it has a moving picture;
 * "audio": it has an audio stream), else 0.
 */
int stint_media_fits_kind(const stint_media_info *info, const char *kind);

/*
 * The file extension (without the dot) and media type of a probed file, by
 * its container (ffprobe's format_name) and whether it has a moving
 * picture: "mp4" and video/mp4 or audio/mp4, webm, ogg, flac, mp3, wav;
 * "bin" and application/octet-stream for any other. Static strings.
 */
void stint_media_type(const stint_media_info *info, const char **ext, const char **ctype);

#endif
