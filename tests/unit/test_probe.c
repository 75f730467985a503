/*
 * test_probe.c: table-driven tests of lib/probe.c's reading of ffprobe's
 * answer: what ffprobe 5.1 (Debian 12) printed for files made with
 * ffmpeg's lavfi sources (a 1x1 PNG, a JPEG, still and moving GIFs, a
 * one-frame and a 25-frame H.264 MP4, a VP9 WebM that counts no frames, a
 * WAV tone, an M4A with a PNG cover) and damaged answers.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "probe.h"

#define STREAM(codec, type, rate, extra, pic) \
	"{\"codec_name\":\"" codec "\",\"codec_type\":\"" type "\",\"avg_frame_rate\":\"" rate "\"" \
	extra ",\"disposition\":{\"attached_pic\":" #pic "}}"
#define ANSWER(streams, format) "{\"programs\":[],\"streams\":[" streams "],\"format\":{" format "}}"
#define MP4 "\"format_name\":\"mov,mp4,m4a,3gp,3g2,mj2\""

typedef struct probe_case {
	const char *name, *json;
	int rc, has_video, has_audio;
	double duration_sec;
} probe_case;

static const probe_case cases[] = {
	{ "1x1 png", ANSWER(STREAM("png", "video", "25/1", "", 0), "\"format_name\":\"png_pipe\""), -1, 0, 0, 0 },
	{ "jpeg", ANSWER(STREAM("mjpeg", "video", "25/1", "", 0), "\"format_name\":\"jpeg_pipe\""), -1, 0, 0, 0 },
	{ "png named as image2", ANSWER(STREAM("png", "video", "25/1", ",\"duration\":\"0.040000\"", 0),
					"\"format_name\":\"image2\",\"duration\":\"0.040000\""), -1, 0, 0, 0.04 },
	{ "still gif", ANSWER(STREAM("gif", "video", "0/0", ",\"duration\":\"0.100000\",\"nb_frames\":\"1\"", 0),
			      "\"format_name\":\"gif\",\"duration\":\"0.100000\""), -1, 0, 0, 0.1 },
	{ "moving gif", ANSWER(STREAM("gif", "video", "25/1", ",\"duration\":\"1.000000\",\"nb_frames\":\"25\"", 0),
			       "\"format_name\":\"gif\",\"duration\":\"1.000000\""), 0, 1, 0, 1 },
	{ "one-frame mp4", ANSWER(STREAM("h264", "video", "25/1", ",\"duration\":\"0.040000\",\"nb_frames\":\"1\"", 0),
				  MP4 ",\"duration\":\"0.040000\""), -1, 0, 0, 0.04 },
	{ "png in an mp4 with many frames", ANSWER(STREAM("png", "video", "25/1", ",\"duration\":\"1.0\",\"nb_frames\":\"25\"", 0),
						   MP4 ",\"duration\":\"1.0\""), -1, 0, 0, 1 },
	{ "mp4", ANSWER(STREAM("h264", "video", "25/1", ",\"duration\":\"1.000000\",\"nb_frames\":\"25\"", 0),
			MP4 ",\"duration\":\"1.000000\""), 0, 1, 0, 1 },
	{ "mp4 of no duration", ANSWER(STREAM("h264", "video", "25/1", ",\"nb_frames\":\"25\"", 0), MP4), -1, 0, 0, 0 },
	{ "webm, frames from the rate", ANSWER(STREAM("vp9", "video", "25/1", "", 0),
					       "\"format_name\":\"matroska,webm\",\"duration\":\"1.000000\""), 0, 1, 0, 1 },
	{ "webm of one frame", ANSWER(STREAM("vp9", "video", "25/1", "", 0),
				      "\"format_name\":\"matroska,webm\",\"duration\":\"0.040000\""), -1, 0, 0, 0.04 },
	{ "wav", ANSWER(STREAM("pcm_s16le", "audio", "0/0", ",\"duration\":\"1.000000\"", 0),
			"\"format_name\":\"wav\",\"duration\":\"1.000000\""), 0, 0, 1, 1 },
	{ "m4a with a cover", ANSWER(STREAM("aac", "audio", "0/0", ",\"duration\":\"1.0\",\"nb_frames\":\"45\"", 0) ","
				     STREAM("h264", "video", "0/0", ",\"duration\":\"1.0\",\"nb_frames\":\"2\"", 1),
				     MP4 ",\"duration\":\"1.000000\""), 0, 0, 1, 1 },
	{ "duration N/A", ANSWER(STREAM("h264", "video", "25/1", ",\"duration\":\"N/A\",\"nb_frames\":\"N/A\"", 0),
				 MP4 ",\"duration\":\"N/A\""), -1, 0, 0, 0 },
	{ "no streams", ANSWER("", MP4 ",\"duration\":\"3.0\""), -1, 0, 0, 3 },
	{ "a stream of no codec", "{\"streams\":[{\"codec_type\":\"video\",\"nb_frames\":\"9\"}],"
				  "\"format\":{\"duration\":\"1\"}}", -1, 0, 0, 1 },
	{ "not json", "ffprobe: error", -1, 0, 0, 0 },
	{ "empty", "", -1, 0, 0, 0 },
};

START_TEST(test_parse)
{
	const probe_case *c = &cases[_i];
	stint_media_info info;
	int rc = stint_media_probe_parse(c->json, &info);

	ck_assert_msg(rc == c->rc, "%s: rc %d", c->name, rc);
	ck_assert_msg(info.has_video == c->has_video, "%s: has_video %d", c->name, info.has_video);
	ck_assert_msg(info.has_audio == c->has_audio, "%s: has_audio %d", c->name, info.has_audio);
	ck_assert_msg(fabs(info.duration_sec - c->duration_sec) < 1e-9, "%s: duration %g", c->name,
		      info.duration_sec);
}
END_TEST

START_TEST(test_fits_kind)
{
	stint_media_info video = { 1, 1, 0, "gif" }, audio = { 1, 0, 1, "wav" }, both = { 1, 1, 1, "mp4" };

	ck_assert_int_eq(stint_media_fits_kind(&video, "video"), 1);
	ck_assert_int_eq(stint_media_fits_kind(&video, "audio"), 0);
	ck_assert_int_eq(stint_media_fits_kind(&audio, "video"), 0);
	ck_assert_int_eq(stint_media_fits_kind(&audio, "audio"), 1);
	ck_assert_int_eq(stint_media_fits_kind(&both, "audio"), 1);
	ck_assert_int_eq(stint_media_fits_kind(&both, "hologram"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_fits_kind);
	suite_add_tcase(s, tc);
	return stint_check_run(s);
}
