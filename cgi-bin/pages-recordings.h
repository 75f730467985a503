/*
 * pages-recordings.h: the editor's recordings panel (issue 13;
 * pages-recordings.c): the session's linked recording with a player on a
 * fresh presigned URL, its overview image, its place on the session's
 * timeline, and the picker of recordings near the session's start, with
 * the link and unlink forms it posts.
 */
#ifndef STINT_PAGES_RECORDINGS_H
#define STINT_PAGES_RECORDINGS_H

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"

/*
 * Once per worker: let the pages load the recorder bucket's files (its
 * public endpoint into the Content-Security-Policy). Returns 0 (a bucket
 * that is not configured is not an error).
 */
int page_recordings_init(void);

/*
 * Add "rec" to the editor's data: the panel's recording (from session's
 * "recording", with its URLs), the timeline axis shared with the events
 * already in data ("events"), the candidates and the panel's message.
 */
stint_db_rc page_add_recordings(stint_req *r, cJSON *data, const cJSON *session);

void page_recording_link(stint_req *r);    /* POST /sessions/<id>/recorder */
void page_recording_unlink(stint_req *r);  /* POST /sessions/<id>/recorder/unlink */

#endif
