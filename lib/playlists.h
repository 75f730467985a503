/*
 * playlists.h: a session's video playlists (issue 19, video review;
 * sql/migrations/0028_playlists.sql, sql/functions/playlists.sql). Used by
 * cgi-bin/playlists.c (the JSON API) and the pages program's review page
 * (cgi-bin/pages-review.c).
 *
 * A playlist is {name, filter, event_ids, pre_roll_sec, post_roll_sec}: the
 * events of its session that filter selects (in timeline order), or, when
 * event_ids is an array, those events in that order; each is played from
 * t_sec - pre_roll_sec to t_sec + post_roll_sec (seconds on the session's
 * timeline; defaults 3 and 2). A filter is an object of any of:
 *   type (event_type), team ("A" home, "B" visiting), player (shirt number
 *   as text, "00" is not "0"), evaluation (DataVolley code # + ! - / =),
 *   skill_type (payload.skill_type, e.g. "H"), attack_code (payload,
 *   e.g. "V6"), start_zone, end_zone (1..9), from, to (t_sec bounds),
 *   and, from the match state at the event (lib/matchstate.h, derived on
 *   every read): set (1..7), rotation (1..6, of the acting team), phase
 *   (serve, reception, transition).
 * Writes run in the caller's stint_tx and audit themselves (playlist.create,
 * playlist.update, playlist.delete).
 */
#ifndef STINT_PLAYLISTS_H
#define STINT_PLAYLISTS_H

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"
#include "tx.h"

#define STINT_PLAYLIST_MAX_IDS 2000     /* events in an explicit list (the table's check) */
#define STINT_PLAYLIST_PRE_ROLL_SEC 3.0
#define STINT_PLAYLIST_POST_ROLL_SEC 2.0

/*
 * A filter, read from JSON or a query string; NULL / 0 / NAN: any. Strings
 * are borrowed from the input (player may point into the struct itself).
 */
typedef struct stint_playlist_filter {
	const char *type, *team, *player, *evaluation, *skill_type, *attack_code, *phase;
	int set, rotation, start_zone, end_zone;
	double from_sec, to_sec;
	char player_text[4];    /* player, when it was given as a JSON integer */
} stint_playlist_filter;

/*
 * Read filter (a JSON object, NULL: none) found at path at ("filter") into
 * *f. Problems go to *errors (created on demand; caller deletes) named
 * "at.field". Returns the number of problems, -1 on out of memory.
 */
int stint_playlist_filter_json(const char *at, const cJSON *filter, stint_playlist_filter *f, cJSON **errors);

/*
 * Read the filter's fields from query q (the review page's ?team=A&player=16
 * &type=attack&set=3; others ignored) into *f, problems as above, named by
 * the field. The strings live as long as q.
 */
int stint_playlist_filter_query(const stint_kvlist *q, stint_playlist_filter *f, cJSON **errors);

/* The filter as a JSON object of the fields it sets (caller deletes). */
cJSON *stint_playlist_filter_to_json(const stint_playlist_filter *f);

/*
 * Check a playlist body (POST, or PATCH when partial): name 1..200
 * characters, filter an object (or null), event_ids an array of 1..
 * STINT_PLAYLIST_MAX_IDS event ids or null, pre_roll_sec and post_roll_sec
 * 0..60. Unknown fields are problems. Problems as above ("filter.set",
 * "event_ids[3]"). Returns their number, -1 on out of memory. A valid
 * filter.player sent as an integer is replaced in body by its text (16 ->
 * "16"), as shirt numbers are kept.
 */
int stint_playlist_validate(cJSON *body, int partial, cJSON **errors);

/*
 * The items of session sid that filter f selects, or, when event_ids is a
 * JSON array of ids, those events in that order (ids no longer in the
 * session left out), as a new JSON array in *items (caller deletes): each
 * {id, t_sec, clip_id, event_type, actor_team, actor_number, evaluation,
 * skill_type, attack_code, set, score: {A, B} before it, rotation (of the
 * acting team, null without one), phase}. STINT_DB_ERROR on out of memory.
 */
stint_db_rc stint_playlist_items(stint_db *db, const char *sid, const stint_playlist_filter *f,
				 const cJSON *event_ids, cJSON **items);

/* Session sid's playlists as JSON array text in *json (caller frees), without their items. */
stint_db_rc stint_playlist_list(stint_db *db, const char *sid, char **json);

/*
 * Playlist pid of session sid in *pl (caller deletes; NULL when absent)
 * with its items resolved now ("items", "count"), as stint_playlist_items().
 */
stint_db_rc stint_playlist_get(stint_db *db, const char *sid, const char *pid, cJSON **pl);

/*
 * In tx: write body (validated) as a new playlist of session sid made by
 * user_id (text; "0": none), or (pid not NULL) change playlist pid with
 * the fields body has. *json its JSON afterwards (caller frees; NULL when
 * pid is absent). When event_ids names events that are not the session's,
 * nothing is written, *bad is the index of the first (else -1) and the
 * change is cancelled.
 */
stint_db_rc stint_playlist_put(stint_tx *tx, const char *sid, const char *pid, const cJSON *body,
			       const char *user_id, int *bad, char **json);

/* In tx: remove playlist pid of session sid; *found 0 when absent. */
stint_db_rc stint_playlist_delete(stint_tx *tx, const char *sid, const char *pid, int *found);

#endif
