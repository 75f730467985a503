/*
 * timeline.h: changes to a session's timeline (its events and the clips
 * they point at), shared by the JSON API (cgi-bin/events.c) and the pages
 * (cgi-bin/pages.c) so both keep rollups exact and announce the same live
 * messages. Each change writes its audit_log row as r->user and records
 * its messages (event_added, event_updated or event_deleted, then
 * rollup_updated) in the change's transaction; stint_live_finish()
 * publishes them after COMMIT. Input is validated by the caller (events.h).
 */
#ifndef STINT_TIMELINE_H
#define STINT_TIMELINE_H

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"

/*
 * Events of a batch (a JSON array) that name a clip must name a clip of
 * session sid: each offender is added to *errors (created on demand) as
 * "events[i].clip_id" and counted in *bad.
 */
stint_db_rc stint_timeline_check_clips(stint_req *r, const char *sid, const cJSON *events,
				       cJSON **errors, int *bad);

/*
 * In r's open transaction (the caller begins, commits with
 * stint_live_finish() or rolls back): store events_json (a validated JSON
 * array) for session sid with source ("manual", "import:csv"), audit
 * "events.add" and record event_added and rollup_updated. *result is the
 * heap text {"inserted": n, "ids": [...]} (caller frees).
 */
stint_db_rc stint_timeline_insert(stint_req *r, const char *sid, const char *events_json,
				  const char *source, char **result);

/*
 * In one transaction of its own: change event event_id of session sid by
 * patch_json (a validated object: only the keys present change), audit
 * "event.update", record event_updated and rollup_updated, commit and
 * publish. *result is the event's JSON text afterwards (caller frees), or
 * NULL when there is no such event (nothing changed).
 */
stint_db_rc stint_timeline_patch(stint_req *r, const char *sid, const char *event_id,
				 const char *patch_json, char **result);

/*
 * As stint_timeline_patch() for removing event event_id (audit
 * "event.delete", message event_deleted {"id": n}); *found is 0 when there
 * is no such event.
 */
stint_db_rc stint_timeline_delete(stint_req *r, const char *sid, const char *event_id, int *found);

/*
 * In one transaction of its own: change clip clip_id of session sid by
 * patch_json (validated: title, offset_sec, duration_sec, meta); a new
 * offset_sec moves the clip's events with it. Audits "clip.update".
 * *result is the clip's JSON text (caller frees) or NULL when there is no
 * such clip. STINT_DB_INVALID when the move would put an event before 0 s.
 */
stint_db_rc stint_timeline_move_clip(stint_req *r, const char *sid, const char *clip_id,
				     const char *patch_json, char **result);

#endif
