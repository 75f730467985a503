/*
 * liveupdate.h: the live updates devices and apps send for a session
 * (POST /api/v1/sessions/<id>/live; ARCHITECTURE.md, "Live"): its status,
 * a climb's holds, pose frames. Each is written on the caller's stint_tx and
 * recorded as live messages, published when stint_tx_end() commits. They
 * come many a second, so their COMMIT does not wait for the disk (a crash
 * loses at most the last moment, never consistency).
 */
#ifndef STINT_LIVEUPDATE_H
#define STINT_LIVEUPDATE_H

#include <stddef.h>

#include "db.h"
#include "tx.h"

/*
 * Set session sid's status (sessions.status: "live", "completed" or
 * "abandoned") and, when given (RFC 3339 text, else NULL), starts_at and
 * ends_at; going live without a start sets it to now, ending without an end
 * likewise. Records one session_updated message (none when there is no
 * such session). *messages gets the count recorded. A ends_at before the
 * start fails tx with STINT_DB_INVALID. The change follows the status rule
 * (lib/sessions.h, stint_session_status_lock): a refused one fails tx with
 * STINT_DB_CONFLICT; a restart (an ended session going live) clears ends_at
 * unless one is given.
 */
stint_db_rc stint_liveupdate_session(stint_tx *tx, const char *sid, const char *status,
				     const char *starts_at, const char *ends_at, size_t *messages);

/*
 * Merge holds_json (a validated JSON array of holds: id, type, status,
 * time) into session sid's climb (sessions.data) and record one
 * climb_updated message whose data is {"holds": all holds after the merge}.
 * *messages gets the count recorded.
 */
stint_db_rc stint_liveupdate_climb(stint_tx *tx, const char *sid, const char *holds_json,
				   size_t *messages);

/*
 * As stint_liveupdate_climb(), first merging state_json (a validated JSON
 * object: the climb's own startTime, endTime, status, as seed 001 sends
 * them; NULL for none) into the stored climb (sessions.data.climb); the
 * climb_updated message's data then carries them beside the holds. With
 * holds_json NULL only the state changes (the message still goes out).
 */
stint_db_rc stint_liveupdate_climb_state(stint_tx *tx, const char *sid, const char *holds_json,
					 const char *state_json, size_t *messages);

/*
 * Record one pose_updated message per frame of frames_json (a validated
 * JSON array of frames: timestamp in s, frame number, keypoints), in order.
 * Nothing else is stored. *messages gets the count recorded.
 */
stint_db_rc stint_liveupdate_pose(stint_tx *tx, const char *sid, const char *frames_json,
				  size_t *messages);

#endif
