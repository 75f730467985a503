/*
 * timeline.h: a session's timeline, its events (what happened when, by
 * whom; t_sec in seconds on the session's timeline) and the rollups the
 * database keeps from them, with the clips events point at. Shared by the
 * JSON API (cgi-bin/events.c, cgi-bin/media.c) and the pages
 * (cgi-bin/pages-*.c), so both keep rollups exact and announce the same live
 * messages.
 *
 * Reads take the database; changes take an open unit of work (tx.h), run
 * in it with their audit_log row (as the tx's actor) and record their live
 * messages in it (event_added, event_updated or event_deleted, then
 * rollup_updated), published when the caller's stint_tx_end() commits:
 *
 *	stint_tx_begin(&tx, db, actor_id);
 *	stint_timeline_delete(&tx, sid, event_id, &found);
 *	rc = stint_tx_end(&tx);
 *
 * A change returns tx's result so far (see stint_tx_exec()); what it hands
 * back is only meaningful when stint_tx_end() then returns STINT_DB_OK.
 * Input is validated by the caller (events.h): session ids are canonical
 * UUIDs, event and clip ids 1 to 18 digits.
 */
#ifndef STINT_TIMELINE_H
#define STINT_TIMELINE_H

#include <cjson/cJSON.h>

#include "db.h"
#include "tx.h"

/* Which events of a session a list shows (GET .../events, the editor's table). */
typedef struct stint_timeline_query {
	const char *type;     /* event_type, or NULL for any */
	const char *team;     /* actor_team "A" or "B", or NULL for any */
	const char *player;   /* actor_number (1 to 3 digits, "00" is not "0"), or NULL for any */
	double from_sec;      /* t_sec at least, or NAN for no bound */
	double to_sec;        /* t_sec at most, or NAN for no bound */
	long limit;           /* events on the page, 1..10000 */
	long offset;          /* events skipped, ordered by t_sec then id */
} stint_timeline_query;

/*
 * The page of session sid's events that q selects, ordered by t_sec then
 * id, as JSON text {"items": [event...], "total": n, "limit": n,
 * "offset": n} in *json (caller frees); stint_timeline_list_json() gives
 * it parsed (caller deletes).
 */
stint_db_rc stint_timeline_list_text(stint_db *db, const char *sid, const stint_timeline_query *q,
				     char **json);
stint_db_rc stint_timeline_list_json(stint_db *db, const char *sid, const stint_timeline_query *q,
				     cJSON **page);

/*
 * Event event_id of session sid as JSON text in *json (caller frees), or
 * NULL when there is no such event; _json parsed (caller deletes). Reads
 * EVENT_GET with (sid, event_id): the statement a GET route prefetches.
 */
stint_db_rc stint_timeline_event_text(stint_db *db, const char *sid, const char *event_id, char **json);
stint_db_rc stint_timeline_event_json(stint_db *db, const char *sid, const char *event_id, cJSON **event);

/*
 * For the live view: {"recent": session sid's last n events, newest first,
 * "score": the newest event whose payload carries home_score and
 * visiting_score, or null} in *out (caller deletes).
 */
stint_db_rc stint_timeline_recent_json(stint_db *db, const char *sid, int n, cJSON **out);

/*
 * Session sid's rollup (stint_rollup_json: counts by team, player and
 * event type, and the KPIs) as JSON text in *json (caller frees), NULL when
 * there is no such session; _json parsed (caller deletes). Reads ROLLUP_GET
 * with (sid): the statement a GET route prefetches.
 */
stint_db_rc stint_timeline_rollup_text(stint_db *db, const char *sid, char **json);
stint_db_rc stint_timeline_rollup_json(stint_db *db, const char *sid, cJSON **rollup);

/*
 * Session sid's events, or its rollup, as the CSV text export/events.csv or
 * export/rollup.csv sends (RFC 4180, CRLF line ends, a header line) in
 * *csv (caller frees).
 */
stint_db_rc stint_timeline_events_csv(stint_db *db, const char *sid, char **csv);
stint_db_rc stint_timeline_rollup_csv(stint_db *db, const char *sid, char **csv);

/*
 * Events of a batch (a JSON array) that name a clip must name a clip of
 * session sid: each offender is added to *errors (created on demand) as
 * "events[i].clip_id" and counted in *bad.
 */
stint_db_rc stint_timeline_check_clips(stint_db *db, const char *sid, const cJSON *events,
				       cJSON **errors, int *bad);

/* What an Idempotency-Key said when a batch claimed it (stint_timeline_claim_key). */
typedef enum stint_timeline_key {
	STINT_TIMELINE_KEY_CLAIMED = 0, /* its first use: store the batch, then its answer */
	STINT_TIMELINE_KEY_REPLAY,      /* used before for the same body: answer that again */
	STINT_TIMELINE_KEY_REUSED       /* used before for another body: refuse */
} stint_timeline_key;

/*
 * In tx, claim Idempotency-Key key (1 to 200 visible ASCII characters) of
 * session sid for a request whose body has SHA-256 sha256 (64 hex digits).
 * The claim is a row of idempotency_keys written in tx: a concurrent
 * request with the same key waits for tx to end, and finds the stored
 * answer when it committed, or claims the key itself when it rolled back.
 * So the batch and stint_timeline_store_key() go in the same tx, and a tx
 * that did not claim is given up (stint_tx_cancel()). On a REPLAY *status
 * and *response (heap text, caller frees) are the first request's answer;
 * else *response is NULL. STINT_DB_CONFLICT when the key's row vanished
 * meanwhile (its session was deleted) or holds no answer.
 */
stint_db_rc stint_timeline_claim_key(stint_tx *tx, const char *sid, const char *key, const char *sha256,
				     stint_timeline_key *claim, int *status, char **response);

/* In tx, after the batch: store the answer (HTTP status, body text) under the claimed key. */
stint_db_rc stint_timeline_store_key(stint_tx *tx, const char *sid, const char *key, int status,
				     const char *response);

/*
 * In tx: store events_json (a validated JSON array, or an object whose
 * "events" is one; passed on as sent, so numbers keep their precision) for
 * session sid with source ("manual", "import:csv"), audit "events.add" and
 * record event_added and rollup_updated. *result is the heap text
 * {"inserted": n, "ids": [...]} (caller frees), or NULL.
 */
stint_db_rc stint_timeline_insert(stint_tx *tx, const char *sid, const char *events_json,
				  const char *source, char **result);

/*
 * As stint_timeline_insert() without the audit row, for a change that
 * writes its own (the importer's "session.import").
 */
stint_db_rc stint_timeline_add(stint_tx *tx, const char *sid, const char *events_json, const char *source,
			       char **result);

/*
 * In tx: replace the events of clip clip_id of session sid that came from
 * source (e.g. "plugin:scene-cuts") by events_json (a validated JSON array,
 * possibly empty, each event naming the clip): the old ones are removed
 * (one event_deleted {"id": n} each), the new ones added in one batch
 * (event_added), then rollup_updated; rollups stay exact by the triggers.
 * Audits "events.replace" on the clip with {source, removed, inserted}.
 * *removed and *inserted count them. A re-run of an analyzer uses it, so
 * re-analysis never duplicates.
 */
stint_db_rc stint_timeline_replace(stint_tx *tx, const char *sid, const char *clip_id, const char *source,
				   const char *events_json, long *removed, long *inserted);

/*
 * In tx: change event event_id of session sid by patch_json (a validated
 * object: only the keys present change), audit "event.update" and record
 * event_updated and rollup_updated. *result is the event's JSON text
 * afterwards (caller frees), or NULL when there is no such event (nothing
 * changed).
 */
stint_db_rc stint_timeline_patch(stint_tx *tx, const char *sid, const char *event_id,
				 const char *patch_json, char **result);

/*
 * In tx: remove event event_id of session sid, audit "event.delete" and
 * record event_deleted {"id": n} and rollup_updated; *found is 0 when there
 * is no such event (nothing changed).
 */
stint_db_rc stint_timeline_delete(stint_tx *tx, const char *sid, const char *event_id, int *found);

/*
 * In tx: count session sid's rollups again from its events, audit
 * "rollup.rebuild" and record rollup_updated.
 */
stint_db_rc stint_timeline_rebuild_rollup(stint_tx *tx, const char *sid);

/*
 * In tx: change clip clip_id of session sid by patch_json (validated:
 * title, offset_sec, duration_sec, meta); a new offset_sec moves the clip's
 * events with it. Audits "clip.update". *result is the clip's JSON text
 * (caller frees) or NULL when there is no such clip. STINT_DB_INVALID (the
 * constraint events_t_sec_check in tx->db) when the move would put an
 * event before 0 s.
 */
stint_db_rc stint_timeline_move_clip(stint_tx *tx, const char *sid, const char *clip_id,
				     const char *patch_json, char **result);

#endif
