/*
 * sql.h: the statement catalogue. Every SQL statement Stint's C code runs
 * is here, with its parameter count; nothing else builds SQL. Statements
 * return JSON text built by PostgreSQL where the caller only passes it on.
 *
 * X(id, number of parameters, text)
 */
#ifndef STINT_SQL_H
#define STINT_SQL_H

/* the sessions user $6 may see (all when $7, an admin) */
#define STINT_SESSION_FILTER \
	" FROM sessions s WHERE ($7::boolean OR s.owner_id = $6::bigint OR EXISTS (SELECT 1" \
	" FROM session_shares sh WHERE sh.session_id = s.id AND sh.user_id = $6::bigint))" \
	" AND ($1::text IS NULL OR (s.title || ' ' || s.venue)" \
	" ILIKE '%' || stint_like_escape($1) || '%')" \
	" AND ($2::text IS NULL OR s.status = $2) AND ($3::text IS NULL OR s.kind = $3)"

/* session row s as json_build_object() arguments: stint_session_json(s)'s keys */
#define STINT_SESSION_FIELDS \
	"'id', s.id, 'title', s.title, 'kind', s.kind, 'venue', s.venue, 'status', s.status," \
	" 'starts_at', s.starts_at, 'ends_at', s.ends_at, 'owner_id', s.owner_id, 'meta', s.meta," \
	" 'data', s.data, 'processing_status', s.processing_status, 'report_url', s.report_url," \
	" 'last_processed_at', s.last_processed_at, 'created_at', s.created_at, 'updated_at', s.updated_at," \
	" 'live_at', s.live_at"

/* session row s as the season view's columns (lib/season.h; SEASON_PICK, SEASON_FIND) */
#define STINT_SEASON_FIELDS \
	" s.id::text AS id, coalesce(s.starts_at, s.created_at) AS at," \
	" to_char(coalesce(s.starts_at, s.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS day," \
	" s.title, (SELECT name FROM teams WHERE session_id = s.id AND side = 'A') AS team_a," \
	" (SELECT name FROM teams WHERE session_id = s.id AND side = 'B') AS team_b," \
	" (s.meta->'match_rules')::text AS rules, (s.meta->'lineups')::text AS lineups," \
	" (SELECT json_object_agg(r.side || '-' || r.number, r.player_name) FROM roster r" \
	" WHERE r.session_id = s.id)::text AS roster"

/* whether status to (SQL text) restarts the session row being updated: an ended one made live again */
#define STINT_SESSION_RESTART(to) "(" to ") = 'live' AND status IN ('completed', 'abandoned')"

/*
 * One "column = value" of a PATCH statement's SET list: value when the patch
 * j (a validated JSON object: only the keys present change) has the key
 * col, else current (the column as it is). TEXT: the key's string; EMPTY:
 * the string, '' for null; AS: the string cast to type; JSON: the jsonb.
 */
#define STINT_PATCH_KEY(j, col, value, current) \
	" " col " = CASE WHEN " j " ? '" col "' THEN " value " ELSE " current " END"
#define STINT_PATCH_TEXT(j, col) STINT_PATCH_KEY(j, col, j "->>'" col "'", col)
#define STINT_PATCH_EMPTY(j, col) STINT_PATCH_KEY(j, col, "coalesce(" j "->>'" col "', '')", col)
#define STINT_PATCH_AS(j, col, type) STINT_PATCH_KEY(j, col, "(" j "->>'" col "')::" type, col)
#define STINT_PATCH_JSON(j, col) STINT_PATCH_KEY(j, col, j "->'" col "'", col)

/*
 * the tasks user $7 may see (all when $8, an admin): a session's with the
 * session (its owner, its shares), one without a session its maker's; then
 * the filters $1 session, $2 group, $3 type, $4 status (NULL: any)
 */
#define STINT_TASK_FILTER \
	" FROM tasks t WHERE ($8::boolean OR CASE WHEN t.session_id IS NULL THEN t.user_id = $7::bigint" \
	" ELSE EXISTS (SELECT 1 FROM sessions s WHERE s.id = t.session_id AND (s.owner_id = $7::bigint" \
	" OR EXISTS (SELECT 1 FROM session_shares sh WHERE sh.session_id = s.id AND sh.user_id = $7::bigint))) END)" \
	" AND ($1::uuid IS NULL OR t.session_id = $1::uuid) AND ($2::text IS NULL OR t.group_key = $2)" \
	" AND ($3::text IS NULL OR t.task_type = $3) AND ($4::text IS NULL OR t.status = $4)"

#define STINT_EVENT_FILTER \
	" FROM events e WHERE e.session_id = $1::uuid AND ($2::text IS NULL OR e.event_type = $2)" \
	" AND ($3::text IS NULL OR e.actor_team = $3) AND ($4::text IS NULL OR e.actor_number = $4)" \
	" AND ($5::float8 IS NULL OR e.t_sec >= $5) AND ($6::float8 IS NULL OR e.t_sec <= $6)"

/*
 * Recorder links (issue 13; lib/recorder-links.h). The recording rs (of
 * recorder_sessions, its recorder rr) linked to session s, as
 * json_build_object() arguments: the recording's ids and names, its times
 * (start_time, end_time, duration_s), is_closed, deleted (gone from the
 * bucket), files (which of ogg, flac, waveform, overview it has), error (a
 * malformed metadata.json), offset_sec (its start on s's timeline: seconds
 * after s.starts_at, NULL when s has none), linked_by and linked_at.
 */
#define STINT_RECORDING_FIELDS \
	"'id', rs.id, 'recorder_id', rs.recorder_id, 'recorder_name', rr.name, 'recording_id', rs.recording_id," \
	" 'name', rs.name, 'start_time', rs.start_time, 'end_time', rs.end_time," \
	" 'duration_s', (rs.duration_ns / 1e9)::float8, 'is_closed', rs.is_closed, 'deleted', rs.deleted_at IS NOT NULL," \
	" 'files', (SELECT coalesce(json_agg(f.k ORDER BY f.k), '[]') FROM jsonb_object_keys(rs.object_keys) f(k)" \
	" WHERE f.k IN ('ogg', 'flac', 'waveform', 'overview')), 'error', rs.error," \
	" 'offset_sec', extract(epoch FROM rs.start_time - s.starts_at)::float8," \
	" 'linked_by', s.recorder_linked_by, 'linked_at', s.recorder_linked_at"
/* session s's linked recording (STINT_RECORDING_FIELDS) as a JSON object, or NULL when it has none */
#define STINT_RECORDING_LINKED(fields) \
	"(SELECT json_build_object(" fields ") FROM recorder_sessions rs" \
	" JOIN recorders rr ON rr.recorder_id = rs.recorder_id WHERE rs.id = s.recorder_session_id)"
/* the same with its object_keys, which stint_recording_add_urls() turns into URLs (and drops) */
#define STINT_RECORDING_OF_SESSION STINT_RECORDING_LINKED(STINT_RECORDING_FIELDS ", 'object_keys', rs.object_keys")
/*
 * a recording's end: end_time, else start_time + duration, else its start;
 * and its overlap in seconds with session s's span (starts_at to ends_at,
 * open-ended while ends_at is NULL)
 */
#define STINT_RECORDING_END \
	"coalesce(rs.end_time, rs.start_time + make_interval(secs => rs.duration_ns / 1e9), rs.start_time)"
#define STINT_RECORDING_OVERLAP \
	"greatest(0, extract(epoch FROM least(" STINT_RECORDING_END ", coalesce(s.ends_at, 'infinity'))" \
	" - greatest(rs.start_time, s.starts_at)))"
/* participant row p (lib/participants.h) as json, with its unit's device file (null when none) */
/*
 * The team file's device of a player's device id "<device>:<track label>" (a Metrica or EPTS file
 * uploaded as <device> gives each player the device id <device>:<label>): the id without its last
 * ":..." part. A participant's file is the device_files row of its own device id, else of this one.
 */
#define STINT_TEAM_DEVICE(col) "regexp_replace(" col ", ':[^:]*$', '')"

#define STINT_PARTICIPANT_JSON \
	"json_build_object('id', p.id, 'session_id', p.session_id, 'player', p.player, 'team_side', p.team_side," \
	" 'number', p.number, 'device_id', p.device_id, 'window_from', p.window_from, 'window_to', p.window_to," \
	" 'created_at', p.created_at, 'updated_at', p.updated_at, 'device_file', (SELECT json_build_object(" \
	"'id', f.id, 'format', f.format, 'samples', f.samples, 'parse_status', f.parse_status, 'original_name'," \
	" f.original_name, 'uploaded_at', f.uploaded_at) FROM device_files f WHERE f.session_id = p.session_id" \
	" AND f.device_id IN (p.device_id, " STINT_TEAM_DEVICE("p.device_id") ")" \
	" ORDER BY f.device_id = p.device_id DESC LIMIT 1))"

/* device_files row f as json (the path stays inside: downloads go through the handler) */
#define STINT_DEVICE_FILE_JSON \
	"json_build_object('id', f.id, 'session_id', f.session_id, 'device_id', f.device_id, 'original_name'," \
	" f.original_name, 'format', f.format, 'size_bytes', f.size_bytes, 'sha256', f.sha256, 'samples', f.samples," \
	" 't_from', f.t_from, 't_to', f.t_to, 'parse_status', f.parse_status, 'error', f.error, 'warnings'," \
	" f.warnings, 'user_id', f.user_id, 'uploaded_at', f.uploaded_at, 'download_url', '/api/v1/sessions/'" \
	" || f.session_id || '/device-data/' || f.id || '/download')"

#define STINT_SQL_CATALOGUE(X) \
	/* no parameters, no rows: a unit of work's ends (lib/tx.c, lib/db.c) */ \
	X(BEGIN, 0, "BEGIN") \
	X(COMMIT, 0, "COMMIT") \
	X(ROLLBACK, 0, "ROLLBACK") \
	/* no parameters -> one cell, 1: the database answers (/readyz) */ \
	X(PING, 0, "SELECT 1") \
	/* in a transaction: its COMMIT does not wait for the disk (live updates, */ \
	/* publish marks: a crash loses at most the last moment, never consistency); */ \
	/* no parameters, no rows */ \
	X(ASYNC_COMMIT, 0, "SET LOCAL synchronous_commit = off") \
	/* q, status, kind, limit, offset, user id, is admin -> one JSON page */ \
	/* (the JSON is built for the page's rows only, after the LIMIT) */ \
	X(SESSION_LIST, 7, \
	  "SELECT json_build_object('items', coalesce((SELECT json_agg(json_build_object(" \
	  STINT_SESSION_FIELDS ") ORDER BY coalesce(s.starts_at, s.created_at) DESC, s.id) FROM (SELECT s.*" \
	  STINT_SESSION_FILTER " ORDER BY coalesce(s.starts_at, s.created_at) DESC, s.id LIMIT $4 OFFSET $5) s), '[]')," \
	  " 'total', (SELECT count(*)" STINT_SESSION_FILTER "), 'limit', $4::int, 'offset', $5::int)::text") \
	/* $1 session id -> one cell: the session with its teams and rosters, counts and */ \
	/* rollup summary and its linked recording (STINT_RECORDING_FIELDS, or null; lib/sessions.c adds its file URLs), as JSON text | no row when absent; json, not jsonb (whose objects sort their keys), and no SQL function calls */ \
	/* (a SQL function with subqueries is planned again at every call) */ \
	X(SESSION_GET, 1, \
	  "SELECT json_build_object(" STINT_SESSION_FIELDS ", 'teams', coalesce((" \
	  "SELECT json_agg(json_build_object('side', t.side, 'name', t.name, 'roster', coalesce((" \
	  "SELECT json_agg(json_build_object('number', r.number, 'player_name', r.player_name, 'position', r.position," \
	  " 'libero', r.libero, 'captain', r.captain) ORDER BY r.number::int, r.number)" \
	  " FROM roster r WHERE r.session_id = t.session_id AND r.side = t.side), '[]')," \
	  " 'short_name', t.short_name, 'colour', t.colour)" \
	  " ORDER BY t.side) FROM teams t WHERE t.session_id = s.id), '[]')," \
	  " 'counts', json_build_object('events', x.events," \
	  " 'clips', (SELECT count(*) FROM clips WHERE session_id = s.id)," \
	  " 'artifacts', (SELECT count(*) FROM artifacts WHERE session_id = s.id))," \
	  " 'rollup_summary', x.summary, 'recording', " STINT_RECORDING_OF_SESSION "," \
	  /* the clips as GET .../clips lists them (seed 000's load_session iterates them, issue 14) */ \
	  " 'clips', coalesce((SELECT json_agg(stint_clip_json(c) ORDER BY c.offset_sec, c.id) FROM clips c" \
	  " WHERE c.session_id = s.id), '[]'))::text FROM sessions s, LATERAL (" \
	  /* rollup_summary: total_events first, then the count of each event type */ \
	  "SELECT coalesce(sum(n) FILTER (WHERE o = 0), 0) AS events, json_object_agg(k, n ORDER BY o, k) AS summary FROM (" \
	  "SELECT 0 AS o, 'total_events' AS k, coalesce(sum(count), 0) AS n FROM rollups WHERE session_id = s.id" \
	  " UNION ALL SELECT 1, event_type, sum(count) FROM rollups WHERE session_id = s.id AND event_type <> 'total_events'" \
	  " GROUP BY event_type) g) x" \
	  " WHERE s.id = $1::uuid") \
	/* $1 session ids (a uuid[] literal) -> one cell: {"<id>": {"events": n, "clips": n}} for the dashboard */ \
	X(SESSION_COUNTS, 1, \
	  "SELECT coalesce(json_object_agg(x.id, json_build_object(" \
	  "'events', (SELECT count(*) FROM events e WHERE e.session_id = x.id)," \
	  " 'clips', (SELECT count(*) FROM clips c WHERE c.session_id = x.id))), '{}')::text" \
	  " FROM unnest($1::uuid[]) AS x(id)") \
	/* $1 body (validated JSON object), $2 owner_id or NULL -> id (the new session's) */ \
	X(SESSION_CREATE, 2, \
	  "INSERT INTO sessions (title, kind, venue, status, starts_at, ends_at, meta, data, owner_id)" \
	  " SELECT b->>'title', coalesce(b->>'kind', 'other'), coalesce(b->>'venue', '')," \
	  " coalesce(b->>'status', 'planned'), (b->>'starts_at')::timestamptz," \
	  " (b->>'ends_at')::timestamptz, coalesce(b->'meta', '{}'), coalesce(b->'data', '{}'), $2::bigint" \
	  " FROM (SELECT $1::jsonb AS b) x RETURNING id::text") \
	/* $1 id, $2 patch (validated JSON object: only the keys present change) */ \
	/* -> id | no row when there is no such session */ \
	/* (a restart, an ended session made live again, clears ends_at unless the patch gives one) */ \
	X(SESSION_PATCH, 2, \
	  "UPDATE sessions SET" STINT_PATCH_TEXT("$2::jsonb", "title") "," STINT_PATCH_TEXT("$2::jsonb", "kind") "," \
	  STINT_PATCH_EMPTY("$2::jsonb", "venue") "," STINT_PATCH_TEXT("$2::jsonb", "status") "," \
	  STINT_PATCH_AS("$2::jsonb", "starts_at", "timestamptz") "," \
	  STINT_PATCH_KEY("$2::jsonb", "ends_at", "($2::jsonb->>'ends_at')::timestamptz", \
			  "CASE WHEN " STINT_SESSION_RESTART("$2::jsonb->>'status'") " THEN NULL ELSE ends_at END") "," \
	  STINT_PATCH_JSON("$2::jsonb", "meta") "," STINT_PATCH_JSON("$2::jsonb", "data") \
	  " WHERE id = $1::uuid RETURNING id::text") \
	/* $1 session id -> its status, the row locked until the transaction ends (the status rule, */ \
	/* lib/sessions.c: stint_session_status_lock) | no row when there is no such session */ \
	X(SESSION_STATUS_LOCK, 1, "SELECT status FROM sessions WHERE id = $1::uuid FOR UPDATE") \
	/* $1 session id -> one cell: the backup's id | NULL when there is no such session */ \
	X(SESSION_ARCHIVE, 1, "SELECT stint_session_archive($1::uuid)") \
	/* $1 session id -> one cell: true when restored | false when it has no backup; */ \
	/* a unique violation when a session with that id exists */ \
	X(SESSION_RESTORE, 1, "SELECT stint_session_restore($1::uuid)") \
	/* $1 session id, $2 user id -> title, when that user may restore the session | no row */ \
	X(SESSION_BACKUP_TITLE, 2, \
	  "SELECT title FROM backups WHERE session_id = $1::uuid AND restored_at IS NULL" \
	  " AND stint_session_access($1::uuid, $2::bigint, true) = 'edit' ORDER BY id DESC LIMIT 1") \
	/* $1 session id, $2 retention days -> one cell: the day (UTC, YYYY-MM-DD) its newest */ \
	/* unrestored backup is purged (archived_at + $2 days; issue 20) | no row when there is none */ \
	X(SESSION_BACKUP_EXPIRES, 2, \
	  "SELECT to_char((created_at + make_interval(days => $2::int)) AT TIME ZONE 'UTC', 'YYYY-MM-DD')" \
	  " FROM backups WHERE session_id = $1::uuid AND restored_at IS NULL ORDER BY id DESC LIMIT 1") \
	/* --- recorder links (issue 13; lib/recorder-links.h) --- */ \
	/* $1 session id -> one cell: {"session_id", "recording": STINT_RECORDING_FIELDS or null} */ \
	/* | no row when there is no such session */ \
	X(RECORDER_LINK_GET, 1, \
	  "SELECT json_build_object('session_id', s.id, 'recording', " STINT_RECORDING_OF_SESSION ")::text" \
	  " FROM sessions s WHERE s.id = $1::uuid") \
	/* $1 recorder_id, $2 recording_id -> id (of recorder_sessions) | no row when the bucket has */ \
	/* no such recording (or it is gone from it) */ \
	X(RECORDER_FIND, 2, \
	  "SELECT id::text FROM recorder_sessions WHERE recorder_id = $1 AND recording_id = $2 AND deleted_at IS NULL") \
	/* $1 session id, $2 tolerance (s) -> has_start, then up to 3 candidates (id, start_s: seconds */ \
	/* from the session's start, overlap_s with its span) starting within the tolerance of it, */ \
	/* best first: nearest to the second, then the longest overlap, then the nearest, then the */ \
	/* first discovered; one row with id NULL when there is none | no row when no such session */ \
	X(RECORDER_AUTO_CANDIDATES, 2, \
	  "SELECT s.starts_at IS NOT NULL AS has_start, c.id::text, c.start_s, c.overlap_s FROM sessions s" \
	  " LEFT JOIN LATERAL (SELECT rs.id, abs(extract(epoch FROM rs.start_time - s.starts_at))::float8 AS start_s," \
	  " " STINT_RECORDING_OVERLAP "::float8 AS overlap_s FROM recorder_sessions rs WHERE rs.deleted_at IS NULL" \
	  " AND rs.start_time BETWEEN s.starts_at - make_interval(secs => $2::float8)" \
	  " AND s.starts_at + make_interval(secs => $2::float8)" \
	  " ORDER BY round(abs(extract(epoch FROM rs.start_time - s.starts_at))), overlap_s DESC, start_s, rs.id" \
	  " LIMIT 3) c ON true WHERE s.id = $1::uuid") \
	/* $1 session id, $2 recorder_sessions id, $3 linked_by (manual, auto, create) -> the */ \
	/* recording's recorder_id, recording_id | no row when there is no such session or recording */ \
	/* (or it is gone from the bucket) */ \
	X(RECORDER_LINK_SET, 3, \
	  "UPDATE sessions s SET recorder_session_id = rs.id, recorder_linked_by = $3, recorder_linked_at = now()" \
	  " FROM recorder_sessions rs WHERE s.id = $1::uuid AND rs.id = $2::bigint AND rs.deleted_at IS NULL" \
	  " RETURNING rs.recorder_id, rs.recording_id") \
	/* $1 session id -> one cell: the recording it was linked to, {"recorder_id", "recording_id"} */ \
	/* (the audit row's detail) | no row when it had none (or there is no such session) */ \
	X(RECORDER_UNLINK, 1, \
	  "UPDATE sessions s SET recorder_session_id = NULL, recorder_linked_by = NULL, recorder_linked_at = NULL" \
	  " FROM (SELECT id, recorder_session_id FROM sessions WHERE id = $1::uuid FOR UPDATE) o" \
	  " WHERE s.id = o.id AND o.recorder_session_id IS NOT NULL RETURNING coalesce((SELECT json_build_object(" \
	  "'recorder_id', rs.recorder_id, 'recording_id', rs.recording_id) FROM recorder_sessions rs" \
	  " WHERE rs.id = o.recorder_session_id), '{}')::text") \
	/* $1 session id -> one cell: the stored recorder_linked message's text; its data is */ \
	/* {"recording": STINT_RECORDING_FIELDS, or null once unlinked} | no row when no such session */ \
	X(RECORDER_LINK_ANNOUNCE, 1, \
	  "SELECT stint_live_record($1::uuid, 'recorder_linked', jsonb_build_object('recording', " \
	  STINT_RECORDING_LINKED(STINT_RECORDING_FIELDS) ")) FROM sessions s WHERE s.id = $1::uuid") \
	/* $1 session id, $2 window (s), $3 limit -> one cell: {"session_id", "starts_at", "items": */ \
	/* [STINT_RECORDING_FIELDS + start_s (seconds from the session's start), linked]} the */ \
	/* recordings in the bucket starting within the window of the session's start, nearest first */ \
	/* (none when it has no start) | no row when there is no such session */ \
	X(RECORDER_CANDIDATES, 3, \
	  "SELECT json_build_object('session_id', s.id, 'starts_at', s.starts_at, 'items', coalesce((" \
	  "SELECT json_agg(c.j ORDER BY c.d, c.id) FROM (SELECT rs.id, abs(extract(epoch FROM rs.start_time - s.starts_at)) AS d," \
	  " json_build_object(" STINT_RECORDING_FIELDS ", 'start_s', abs(extract(epoch FROM rs.start_time - s.starts_at))::float8," \
	  " 'linked', rs.id IS NOT DISTINCT FROM s.recorder_session_id) AS j" \
	  " FROM recorder_sessions rs JOIN recorders rr ON rr.recorder_id = rs.recorder_id WHERE rs.deleted_at IS NULL" \
	  " AND rs.start_time BETWEEN s.starts_at - make_interval(secs => $2::float8)" \
	  " AND s.starts_at + make_interval(secs => $2::float8)" \
	  " ORDER BY d, rs.id LIMIT $3::int) c), '[]'))::text FROM sessions s WHERE s.id = $1::uuid") \
	/* $1 session id, $2 format (ogg, flac, waveform, overview) -> key (NULL when the recording */ \
	/* has no such file), recorder_id, recording_id, name | no row when no recording is linked */ \
	X(RECORDER_FILE, 2, \
	  "SELECT rs.object_keys->>$2 AS key, rs.recorder_id, rs.recording_id, rs.name FROM sessions s" \
	  " JOIN recorder_sessions rs ON rs.id = s.recorder_session_id WHERE s.id = $1::uuid") \
	/* $1 session id, $2 user id, $3 deleted -> one cell: 'edit' | 'view' | 'none' | NULL (no such session) */ \
	X(SESSION_ACCESS, 3, "SELECT stint_session_access($1::uuid, $2::bigint, $3::boolean) AS grant") \
	/* $1 session id -> one cell: the JSON array of shares, [{user_id, email, name, role, created_at}] */ \
	X(SHARE_LIST, 1, \
	  "SELECT coalesce(json_agg(json_build_object('user_id', u.id, 'email', u.email, 'name', u.name," \
	  " 'role', sh.role, 'created_at', sh.created_at) ORDER BY u.email), '[]')::text" \
	  " FROM session_shares sh JOIN users u ON u.id = sh.user_id WHERE sh.session_id = $1::uuid") \
	/* $1 session id, $2 email, $3 role -> user_id, or no row when there is no such user */ \
	X(SHARE_PUT, 3, \
	  "INSERT INTO session_shares (session_id, user_id, role)" \
	  " SELECT $1::uuid, id, $3 FROM users WHERE lower(email) = lower($2) AND disabled_at IS NULL" \
	  " ON CONFLICT (session_id, user_id) DO UPDATE SET role = EXCLUDED.role RETURNING user_id::text") \
	/* $1 session id, $2 user id -> user_id | no row when there was no such share */ \
	X(SHARE_DELETE, 2, \
	  "DELETE FROM session_shares WHERE session_id = $1::uuid AND user_id = $2::bigint" \
	  " RETURNING user_id::text") \
	/* $1 token hash (bytea hex), $2 session id or NULL, $3 deleted -> id, role, email, name, */ \
	/* scope, grant (what the token's user may do with that session: edit, view, none, or */ \
	/* NULL), touch_id (the token's id when its last use is over a minute old: TOKEN_TOUCH */ \
	/* then notes it) | no row for an unknown or revoked token or a disabled user */ \
	X(AUTH_TOKEN, 3, \
	  "SELECT u.id::text AS id, u.role, u.email, u.name, t.scope, CASE WHEN $2::uuid IS NULL THEN NULL" \
	  " WHEN $3::boolean THEN stint_session_access($2::uuid, u.id, true)" \
	  /* stint_session_access() for a session that exists, written inline (one plan, no PL/pgSQL) */ \
	  " ELSE (SELECT CASE WHEN u.role = 'admin' OR s.owner_id = u.id OR sh.role = 'editor'" \
	  " THEN CASE WHEN u.role = 'viewer' THEN 'view' ELSE 'edit' END" \
	  " WHEN sh.role = 'viewer' THEN 'view' ELSE 'none' END FROM sessions s LEFT JOIN session_shares sh" \
	  " ON sh.session_id = s.id AND sh.user_id = u.id WHERE s.id = $2::uuid) END AS grant," \
	  " CASE WHEN t.last_used_at IS NULL OR t.last_used_at < now() - interval '60 seconds' THEN t.id::text END" \
	  " AS touch_id" \
	  " FROM api_tokens t JOIN users u ON u.id = t.user_id" \
	  " WHERE t.token_hash = $1::bytea AND t.revoked_at IS NULL AND u.disabled_at IS NULL") \
	/* $1 token id -> no rows: notes its last use (at most once a minute, see AUTH_TOKEN) */ \
	X(TOKEN_TOUCH, 1, "UPDATE api_tokens SET last_used_at = now() WHERE id = $1::bigint") \
	/* $1 cookie token hash -> id, role, email, name, login_id, rotate (t: due for a new */ \
	/* value) | no row for an unknown or expired login or a disabled user */ \
	X(AUTH_WEB_SESSION, 1, \
	  "SELECT u.id::text AS id, u.role, u.email, u.name, w.id::text AS login_id," \
	  " w.rotated_at < now() - interval '15 minutes' AS rotate" \
	  " FROM web_sessions w JOIN users u ON u.id = w.user_id" \
	  " WHERE w.token_hash = $1::bytea AND w.expires_at > now() AND u.disabled_at IS NULL") \
	/* $1 login id, $2 new cookie token hash -> no rows: a new cookie value, expiry slides */ \
	X(WEB_SESSION_ROTATE, 2, \
	  "UPDATE web_sessions SET token_hash = $2::bytea, rotated_at = now()," \
	  " expires_at = now() + interval '12 hours' WHERE id = $1::bigint") \
	/* $1 user id, $2 cookie token hash -> id: a browser login for 12 hours */ \
	X(WEB_SESSION_CREATE, 2, \
	  "INSERT INTO web_sessions (user_id, token_hash, expires_at)" \
	  " VALUES ($1::bigint, $2::bytea, now() + interval '12 hours') RETURNING id::text") \
	/* $1 cookie token hash -> no rows: the login ends (sign-out) */ \
	X(WEB_SESSION_DELETE, 1, "DELETE FROM web_sessions WHERE token_hash = $1::bytea") \
	/* $1 email -> id ('' when none), password_hash ('' when none), locked_s (seconds the */ \
	/* email stays locked, 0 when not): one row, whether or not an enabled user has the email */ \
	X(USER_FOR_LOGIN, 1, \
	  "SELECT coalesce(u.id::text, '') AS id, coalesce(u.password_hash, '') AS password_hash," \
	  " coalesce(greatest(0, ceil(extract(epoch FROM f.locked_until - now())))::int, 0) AS locked_s" \
	  " FROM (SELECT lower($1) AS email) e" \
	  " LEFT JOIN users u ON lower(u.email) = e.email AND u.disabled_at IS NULL" \
	  " LEFT JOIN login_failures f ON f.email = e.email") \
	/* $1 email (known or not), after a wrong password: from the 5th failure on, lock it for */ \
	/* 30 s doubling to 1 h; other emails idle for a day and unlocked are forgotten -> no rows */ \
	X(USER_LOGIN_FAILED, 1, \
	  "WITH old AS (DELETE FROM login_failures WHERE last_failed_at < now() - interval '1 day'" \
	  " AND (locked_until IS NULL OR locked_until < now()) AND email <> lower($1))" \
	  " INSERT INTO login_failures AS f (email, failures) VALUES (lower($1), 1)" \
	  " ON CONFLICT (email) DO UPDATE SET failures = f.failures + 1, last_failed_at = now()," \
	  " locked_until = CASE WHEN f.failures + 1 >= 5 THEN now() + least(interval '1 hour'," \
	  " interval '30 seconds' * power(2, least(f.failures + 1 - 5, 10))) END") \
	/* $1 email, after a right password: its failures are forgotten -> no rows */ \
	X(USER_LOGIN_OK, 1, "DELETE FROM login_failures WHERE email = lower($1)") \
	/* $1 email, $2 name, $3 role, $4 password hash -> id; a unique violation when the email is taken */ \
	X(USER_CREATE, 4, \
	  "INSERT INTO users (email, name, role, password_hash) VALUES (lower($1), $2, $3, $4) RETURNING id::text") \
	/* $1 email, $2 password hash -> id | no row when there is no such user */ \
	X(USER_SET_PASSWORD, 2, \
	  "WITH u AS (UPDATE users SET password_hash = $2 WHERE lower(email) = lower($1) RETURNING id)," \
	  " f AS (DELETE FROM login_failures WHERE email = lower($1))" \
	  " SELECT id::text FROM u") \
	/* $1 email: disable a user and end their logins and tokens at once -> id | no row when absent */ \
	X(USER_DISABLE, 1, \
	  "WITH u AS (UPDATE users SET disabled_at = now() WHERE lower(email) = lower($1) RETURNING id)," \
	  " w AS (DELETE FROM web_sessions WHERE user_id IN (SELECT id FROM u))," \
	  " t AS (UPDATE api_tokens SET revoked_at = now() WHERE user_id IN (SELECT id FROM u) AND revoked_at IS NULL)" \
	  " SELECT id::text FROM u") \
	/* $1 email -> id | no row when there is no such user */ \
	X(USER_ID_BY_EMAIL, 1, "SELECT id::text FROM users WHERE lower(email) = lower($1)") \
	/* $1 user id, $2 name, $3 hash, $4 scope -> token: the token's JSON (without the secret) */ \
	X(TOKEN_CREATE, 4, \
	  "INSERT INTO api_tokens (user_id, name, token_hash, scope) VALUES ($1::bigint, $2, $3::bytea, $4)" \
	  " RETURNING json_build_object('id', id, 'name', name, 'scope', scope, 'created_at', created_at," \
	  " 'last_used_at', last_used_at)::text AS token") \
	/* $1 user id -> one cell: the JSON array of the user's live tokens, newest first */ \
	X(TOKEN_LIST, 1, \
	  "SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'scope', scope," \
	  " 'created_at', created_at, 'last_used_at', last_used_at) ORDER BY id DESC), '[]')::text" \
	  " FROM api_tokens WHERE user_id = $1::bigint AND revoked_at IS NULL") \
	/* $1 token id, $2 user id (its owner) -> id | no row when absent or revoked already */ \
	X(TOKEN_REVOKE, 2, \
	  "UPDATE api_tokens SET revoked_at = now() WHERE id = $1::bigint AND user_id = $2::bigint" \
	  " AND revoked_at IS NULL RETURNING id::text") \
	/* $1 token hash (bytea hex) -> id, user_id, of the token it revoked | no row when none */ \
	X(TOKEN_REVOKE_SECRET, 1, \
	  "UPDATE api_tokens SET revoked_at = now() WHERE token_hash = $1::bytea" \
	  " AND revoked_at IS NULL RETURNING id::text, user_id::text") \
	/* $1 session id, $2 events (validated: an array, or an object whose "events" is one), $3 source */ \
	/* -> one cell: {"inserted": n, "ids": [...]} */ \
	X(EVENTS_INSERT, 3, \
	  "WITH ins AS (INSERT INTO events (session_id, clip_id, t_sec, event_type, actor_team, actor_number," \
	  " payload, source) SELECT $1::uuid, (e->>'clip_id')::bigint, (e->>'t_sec')::float8, e->>'event_type'," \
	  " e->>'actor_team', stint_shirt(e->'actor_number'), coalesce(e->'payload', '{}'), $3" \
	  " FROM jsonb_array_elements(CASE jsonb_typeof($2::jsonb) WHEN 'array' THEN $2::jsonb ELSE $2::jsonb->'events' END)" \
	  " WITH ORDINALITY AS x(e, i) ORDER BY i RETURNING id)" \
	  " SELECT json_build_object('inserted', count(*), 'ids', coalesce(json_agg(id ORDER BY id), '[]'))::text FROM ins") \
	/* $1 session id, $2 clip id, $3 source (plugin:NAME) -> one cell: the JSON array [{"id": n}...] of */ \
	/* the clip's events from that source, removed (re-analysis replaces them; rollups by trigger) */ \
	X(EVENTS_DELETE_SOURCE, 3, \
	  "WITH d AS (DELETE FROM events WHERE session_id = $1::uuid AND clip_id = $2::bigint AND source = $3" \
	  " RETURNING id) SELECT coalesce(json_agg(json_build_object('id', id) ORDER BY id), '[]')::text FROM d") \
	/* $1 session id, $2 clip ids (a bigint[] literal) -> one cell: the JSON array of those that are */ \
	/* clips of the session */ \
	X(CLIPS_OF_SESSION, 2, \
	  "SELECT coalesce(json_agg(id), '[]')::text FROM clips WHERE session_id = $1::uuid AND id = ANY($2::bigint[])") \
	/* $1 session id, $2 type, $3 team, $4 player, $5 from t_sec, $6 to t_sec (NULL: any), $7 limit, */ \
	/* $8 offset -> one cell: the JSON page {"items", "total", "limit", "offset"} */ \
	X(EVENTS_LIST, 8, \
	  "SELECT json_build_object('items', coalesce((SELECT json_agg(j ORDER BY t_sec, id) FROM (" \
	  "SELECT stint_event_json(e) AS j, e.t_sec, e.id" STINT_EVENT_FILTER \
	  " ORDER BY e.t_sec, e.id LIMIT $7 OFFSET $8) p), '[]'), 'total', (SELECT count(*)" STINT_EVENT_FILTER \
	  "), 'limit', $7::int, 'offset', $8::int)::text") \
	/* $1 session id, $2 event id -> one cell: the event's JSON | no row when absent */ \
	X(EVENT_GET, 2, "SELECT stint_event_json(e)::text FROM events e WHERE e.session_id = $1::uuid AND e.id = $2::bigint") \
	/* $1 session id, $2 n -> one cell: {"recent": the n newest stored events (highest id first), */ \
	/* "score": the latest event on the timeline whose payload carries home_score and visiting_score, */ \
	/* or null} for the live view */ \
	X(EVENTS_RECENT, 2, \
	  "SELECT json_build_object('recent', coalesce((SELECT json_agg(stint_event_json(e) ORDER BY e.id DESC)" \
	  " FROM (SELECT * FROM events WHERE session_id = $1::uuid ORDER BY id DESC LIMIT $2::int) e), '[]')," \
	  " 'score', (SELECT stint_event_json(e) FROM events e WHERE e.session_id = $1::uuid" \
	  " AND e.payload ? 'home_score' AND e.payload ? 'visiting_score' ORDER BY e.t_sec DESC, e.id DESC LIMIT 1))::text") \
	/* $1 session id, $2 event id, $3 patch (validated JSON object: only the keys present change) */ \
	/* -> one cell: the event's JSON afterwards | no row when absent */ \
	X(EVENT_PATCH, 3, \
	  "UPDATE events SET" STINT_PATCH_AS("$3::jsonb", "t_sec", "float8") "," \
	  STINT_PATCH_TEXT("$3::jsonb", "event_type") "," STINT_PATCH_TEXT("$3::jsonb", "actor_team") "," \
	  STINT_PATCH_KEY("$3::jsonb", "actor_number", "stint_shirt($3::jsonb->'actor_number')", "actor_number") "," STINT_PATCH_AS("$3::jsonb", "clip_id", "bigint") "," \
	  STINT_PATCH_JSON("$3::jsonb", "payload") \
	  " WHERE session_id = $1::uuid AND id = $2::bigint RETURNING stint_event_json(events)::text") \
	/* $1 session id, $2 event id -> one cell: the removed event's id | no row when absent */ \
	X(EVENT_DELETE, 2, "DELETE FROM events WHERE session_id = $1::uuid AND id = $2::bigint RETURNING id::text") \
	/* $1 session id -> one cell: the rollup's JSON (stint_rollup_json) */ \
	X(ROLLUP_GET, 1, "SELECT stint_rollup_json($1::uuid)::text") \
	/* $1 session id: its rollups counted again from its events -> nothing to read */ \
	X(ROLLUP_REBUILD, 1, "SELECT stint_rollup_rebuild($1::uuid)") \
	/* RFC 4180: CRLF line ends; every text cell through stint_csv_field (quoted as needed, */ \
	/* a leading ' before = + - @ tab CR: never a formula), numbers bare (a shirt */ \
	/* number too: its digits as stored, "00" not "0") */ \
	/* $1 session id -> one cell: the events as CSV, a header line first */ \
	X(EXPORT_EVENTS_CSV, 1, \
	  "SELECT 'clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload' || E'\\r\\n' ||" \
	  " coalesce(string_agg(concat_ws(',', coalesce(e.clip_id::text, ''), e.t_sec::text," \
	  " stint_csv_field(e.event_type), stint_csv_field(e.actor_team), coalesce(e.actor_number, '')," \
	  " stint_csv_field(r.player_name), stint_csv_field(e.payload::text)) || E'\\r\\n', '' ORDER BY e.t_sec, e.id), '')" \
	  " FROM events e LEFT JOIN roster r ON r.session_id = e.session_id AND r.side = e.actor_team" \
	  " AND r.number = e.actor_number WHERE e.session_id = $1::uuid") \
	/* $1 session id -> one cell: the rollup rows as CSV, a header line first */ \
	X(EXPORT_ROLLUP_CSV, 1, \
	  "SELECT 'team_side,number,event_type,count' || E'\\r\\n' || coalesce(string_agg(concat_ws(','," \
	  " stint_csv_field(team_side), coalesce(number, ''), stint_csv_field(event_type), count::text) || E'\\r\\n', ''" \
	  " ORDER BY team_side NULLS LAST, number::int NULLS FIRST, number, event_type), '') FROM rollups WHERE session_id = $1::uuid") \
	/* $1 session id, $2 key, $3 body SHA-256 (hex) -> a row when this request claimed the key */ \
	/* (a concurrent claim of the same key waits for the first to end) */ \
	X(IDEM_CLAIM, 3, \
	  "INSERT INTO idempotency_keys (session_id, key, request_sha256) VALUES ($1::uuid, $2, $3)" \
	  " ON CONFLICT DO NOTHING RETURNING 1") \
	/* $1 session id, $2 key -> request_sha256, status, response (the stored answer) | no row when absent */ \
	X(IDEM_GET, 2, \
	  "SELECT request_sha256, status, response FROM idempotency_keys WHERE session_id = $1::uuid AND key = $2") \
	/* $1 session id, $2 key, $3 HTTP status, $4 response body -> nothing to read */ \
	X(IDEM_STORE, 4, \
	  "UPDATE idempotency_keys SET status = $3::int, response = $4 WHERE session_id = $1::uuid AND key = $2") \
	/* $1 session, $2 teams (the .dvw parser's JSON array) -> no rows */ \
	X(TEAMS_IMPORT, 2, \
	  "INSERT INTO teams (session_id, side, name) SELECT $1::uuid, t->>'side'," \
	  " left(coalesce(nullif(t->>'name', ''), 'Team ' || (t->>'side')), 200)" \
	  " FROM jsonb_array_elements($2::jsonb) t") \
	/* $1 session, $2 players (the parser's JSON array) -> no rows; a shirt number */ \
	/* given twice is kept once */ \
	X(ROSTER_IMPORT, 2, \
	  "INSERT INTO roster (session_id, side, number, player_name, position, libero, captain)" \
	  " SELECT $1::uuid, p->>'side', p->>'number', left(coalesce(p->>'name', ''), 200)," \
	  " left(coalesce(p->>'role', ''), 50), coalesce(p->>'role', '') = 'libero'," \
	  " coalesce(p->>'captain', '') = 'true' FROM jsonb_array_elements($2::jsonb) p" \
	  " WHERE (p->>'number') ~ '^[0-9]{1,3}$' ON CONFLICT DO NOTHING") \
	/* Teams and rosters (issue 18; sql/functions/teams.sql). Side A is home, B visiting. */ \
	/* $1 session id -> one cell: {"session_id", "home", "visiting"} (a side null when absent) */ \
	X(TEAMS_GET, 1, "SELECT stint_session_teams_json($1::uuid)::text") \
	/* $1 session id, $2 side (A, B), $3 team (validated JSON, or NULL: remove) -> one cell: */ \
	/* the side's JSON afterwards (NULL when removed) */ \
	X(TEAMS_SIDE_PUT, 3, "SELECT stint_session_side_put($1::uuid, $2, $3::jsonb)::text") \
	/* $1 session id, $2 side, $3 saved team id -> one cell: the side's JSON, NULL when there */ \
	/* is no such saved team (nothing changed) */ \
	X(TEAMS_SIDE_COPY, 3, "SELECT stint_session_side_copy($1::uuid, $2, $3::bigint)::text") \
	/* -> one cell: every saved team (stint_saved_team_json), by name */ \
	X(SAVED_TEAM_LIST, 0, \
	  "SELECT coalesce(jsonb_agg(stint_saved_team_json(id) ORDER BY lower(name), id), '[]')::text FROM saved_teams") \
	/* $1 saved team id -> one cell: its JSON, NULL when absent */ \
	X(SAVED_TEAM_GET, 1, "SELECT stint_saved_team_json($1::bigint)::text") \
	/* $1 saved team id ('' for a new one), $2 team (validated JSON), $3 owner (users.id; */ \
	/* '0': none) -> one cell: the team's JSON, NULL when $1 is absent */ \
	X(SAVED_TEAM_PUT, 3, \
	  "SELECT stint_saved_team_put(nullif($1, '')::bigint, $2::jsonb, nullif($3, '0')::bigint)::text") \
	/* $1 saved team id -> id when it was deleted | no row when absent */ \
	X(SAVED_TEAM_DELETE, 1, "DELETE FROM saved_teams WHERE id = $1::bigint RETURNING id::text") \
	/* Playlists (issue 19; lib/playlists.h). $1 session id -> one cell: the JSON array of its */ \
	/* playlists by id ('[]' when none) */ \
	X(PLAYLIST_LIST, 1, \
	  "SELECT coalesce(json_agg(stint_playlist_json(p) ORDER BY p.id), '[]')::text" \
	  " FROM playlists p WHERE p.session_id = $1::uuid") \
	/* $1 session id, $2 playlist id -> one cell: its JSON | no row when absent */ \
	X(PLAYLIST_GET, 2, \
	  "SELECT stint_playlist_json(p)::text FROM playlists p WHERE p.session_id = $1::uuid AND p.id = $2::bigint") \
	/* $1 session id, $2 playlist (validated JSON: name, filter, event_ids, pre_roll_sec, */ \
	/* post_roll_sec), $3 maker (users.id; '0': none) -> one cell: the new playlist's JSON */ \
	X(PLAYLIST_CREATE, 3, \
	  "INSERT INTO playlists (session_id, name, filter, event_ids, pre_roll_sec, post_roll_sec, created_by)" \
	  " SELECT $1::uuid, j->>'name', coalesce(nullif(j->'filter', 'null'), '{}')," \
	  " CASE WHEN jsonb_typeof(j->'event_ids') = 'array' THEN ARRAY(SELECT x::bigint" \
	  " FROM jsonb_array_elements_text(j->'event_ids') x) END," \
	  " coalesce((j->>'pre_roll_sec')::float8, 3), coalesce((j->>'post_roll_sec')::float8, 2)," \
	  " nullif($3, '0')::bigint FROM (SELECT $2::jsonb AS j) b RETURNING stint_playlist_json(playlists)::text") \
	/* $1 session id, $2 playlist id, $3 patch (validated JSON: only the keys present change; */ \
	/* filter null is {}, event_ids null: the filter decides) -> one cell: its JSON | no row when absent */ \
	X(PLAYLIST_PATCH, 3, \
	  "UPDATE playlists p SET" STINT_PATCH_TEXT("$3::jsonb", "name") "," \
	  STINT_PATCH_KEY("$3::jsonb", "filter", "coalesce(nullif($3::jsonb->'filter', 'null'), '{}')", "filter") "," \
	  STINT_PATCH_KEY("$3::jsonb", "event_ids", "CASE WHEN jsonb_typeof($3::jsonb->'event_ids') = 'array'" \
	  " THEN ARRAY(SELECT x::bigint FROM jsonb_array_elements_text($3::jsonb->'event_ids') x) END", "event_ids") "," \
	  STINT_PATCH_AS("$3::jsonb", "pre_roll_sec", "float8") "," STINT_PATCH_AS("$3::jsonb", "post_roll_sec", "float8") \
	  " WHERE p.session_id = $1::uuid AND p.id = $2::bigint RETURNING stint_playlist_json(p)::text") \
	/* $1 session id, $2 playlist id -> its id when it was deleted | no row when absent */ \
	X(PLAYLIST_DELETE, 2, \
	  "DELETE FROM playlists WHERE session_id = $1::uuid AND id = $2::bigint RETURNING id::text") \
	/* $1 session id, $2 a JSON array of event ids -> one cell: the JSON array of the indexes */ \
	/* (from 0) of those that are not events of the session ('[]' when all are) */ \
	X(PLAYLIST_EVENTS_MISSING, 2, \
	  "SELECT coalesce(json_agg(x.i - 1 ORDER BY x.i), '[]')::text FROM jsonb_array_elements_text($2::jsonb)" \
	  " WITH ORDINALITY AS x(id, i) WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.session_id = $1::uuid" \
	  " AND e.id = x.id::bigint)") \
	/* $1 session id, then the stored fields of a playlist filter, each NULL for any: $2 event_type, */ \
	/* $3 actor_team, $4 actor_number, $5 payload evaluation, $6 payload skill_type, $7 payload */ \
	/* attack_code, $8 payload start_zone, $9 payload end_zone, $10 t_sec at least, $11 at most -> */ \
	/* one cell: the JSON array of the events that match, by t_sec then id, each {id, t_sec, clip_id, */ \
	/* event_type, actor_team, actor_number, evaluation, skill_type, attack_code} */ \
	X(PLAYLIST_CANDIDATES, 11, \
	  "SELECT coalesce(json_agg(json_build_object('id', e.id, 't_sec', e.t_sec, 'clip_id', e.clip_id," \
	  " 'event_type', e.event_type, 'actor_team', e.actor_team, 'actor_number', e.actor_number," \
	  " 'evaluation', e.payload->>'evaluation', 'skill_type', e.payload->>'skill_type'," \
	  " 'attack_code', e.payload->>'attack_code') ORDER BY e.t_sec, e.id), '[]')::text FROM events e" \
	  " WHERE e.session_id = $1::uuid AND ($2::text IS NULL OR e.event_type = $2)" \
	  " AND ($3::text IS NULL OR e.actor_team = $3) AND ($4::text IS NULL OR e.actor_number = $4)" \
	  " AND ($5::text IS NULL OR e.payload->>'evaluation' = $5)" \
	  " AND ($6::text IS NULL OR e.payload->>'skill_type' = $6)" \
	  " AND ($7::text IS NULL OR e.payload->>'attack_code' = $7)" \
	  " AND ($8::text IS NULL OR e.payload->>'start_zone' = $8)" \
	  " AND ($9::text IS NULL OR e.payload->>'end_zone' = $9)" \
	  " AND ($10::float8 IS NULL OR e.t_sec >= $10::float8) AND ($11::float8 IS NULL OR e.t_sec <= $11::float8)") \
	/* $1 demo key -> id: the session imported under it | no row when none */ \
	X(SESSION_BY_DEMO_KEY, 1, "SELECT id::text FROM sessions WHERE meta->>'demo_key' = $1") \
	/* $1 session id -> one cell: the JSON array of its clips by offset_sec, id ('[]' when none) */ \
	X(CLIP_LIST, 1, \
	  "SELECT coalesce(json_agg(stint_clip_json(c) ORDER BY c.offset_sec, c.id), '[]')::text" \
	  " FROM clips c WHERE c.session_id = $1::uuid") \
	/* $1 session id, $2 clip id -> one cell: the clip's JSON | no row when absent */ \
	X(CLIP_GET, 2, "SELECT stint_clip_json(c)::text FROM clips c WHERE c.session_id = $1::uuid AND c.id = $2::bigint") \
	/* $1 session id, $2 clip (validated JSON: kind, title, uri or path, content_type, size_bytes, */ \
	/* duration_sec, offset_sec, meta) -> one cell: the new clip's JSON | no row when path is not */ \
	/* in the session's own folder media/<session id>/ (a file belongs to the session it lies in) */ \
	/* (storage: 'local' unless the caller, never a client, put "storage": "s3" in; migration 0029) */ \
	X(CLIP_CREATE, 2, \
	  "INSERT INTO clips (session_id, kind, title, uri, path, content_type, size_bytes, duration_sec, offset_sec, meta," \
	  " storage)" \
	  " SELECT $1::uuid, c->>'kind', coalesce(c->>'title', ''), c->>'uri', c->>'path', c->>'content_type'," \
	  " (c->>'size_bytes')::bigint, (c->>'duration_sec')::float8, coalesce((c->>'offset_sec')::float8, 0)," \
	  " coalesce(c->'meta', '{}'), coalesce(c->>'storage', 'local') FROM (SELECT $2::jsonb AS c) x" \
	  " WHERE c->>'path' IS NULL OR starts_with(lower(c->>'path'), 'media/' || $1::uuid || '/')" \
	  " RETURNING stint_clip_json(clips)::text") \
	/* $1 session id, $2 clip id, $3 patch (validated JSON): a new offset moves the clip's events with it */ \
	/* -> j: the clip's JSON afterwards | no row when absent */ \
	X(CLIP_PATCH, 3, \
	  "WITH old AS (SELECT id, offset_sec FROM clips WHERE session_id = $1::uuid AND id = $2::bigint FOR UPDATE)," \
	  " upd AS (UPDATE clips c SET" STINT_PATCH_EMPTY("$3::jsonb", "title") "," \
	  /* c.: old has an offset_sec too */ \
	  STINT_PATCH_KEY("$3::jsonb", "offset_sec", "($3::jsonb->>'offset_sec')::float8", "c.offset_sec") "," \
	  STINT_PATCH_AS("$3::jsonb", "duration_sec", "float8") "," STINT_PATCH_JSON("$3::jsonb", "meta") \
	  " FROM old WHERE c.id = old.id RETURNING c.id, c.offset_sec - old.offset_sec AS shift, stint_clip_json(c)::text AS j)," \
	  " moved AS (UPDATE events e SET t_sec = e.t_sec + upd.shift FROM upd" \
	  " WHERE e.session_id = $1::uuid AND e.clip_id = upd.id AND upd.shift <> 0)" \
	  " SELECT j FROM upd") \
	/* $1 session id, $2 clip id -> one cell: the file to remove after commit, '' unless it is */ \
	/* this session's own upload and no other clip or artifact points at it | no row when absent */ \
	X(CLIP_DELETE, 2, \
	  "WITH d AS (DELETE FROM clips WHERE session_id = $1::uuid AND id = $2::bigint RETURNING path)" \
	  " SELECT CASE WHEN d.path LIKE 'media/' || $1 || '/%' AND NOT EXISTS (SELECT 1 FROM clips c" \
	  " WHERE c.path = d.path AND c.id <> $2::bigint) AND NOT EXISTS (SELECT 1 FROM artifacts a" \
	  " WHERE a.path = d.path) THEN d.path ELSE '' END FROM d") \
	/* $1 session id, $2 clip id -> path (var-relative; NULL: a uri reference), content_type */ \
	/* ('' when unknown), storage (local|s3) | no row when absent */ \
	X(CLIP_FILE, 2, \
	  "SELECT path, coalesce(content_type, '') AS content_type, coalesce(storage, 'local') AS storage" \
	  " FROM clips WHERE session_id = $1::uuid AND id = $2::bigint") \
	/* --- clip analysis (lib/analysis.h, bin/stint-analyze) --- */ \
	/* $1 session id, $2 clip id or NULL (all) -> id, kind, stored ("t" when it has a file to */ \
	/* analyze, "f" for a reference by uri), one row per clip by offset_sec, id */ \
	X(ANALYSIS_CLIPS, 2, \
	  "SELECT id::text, kind, path IS NOT NULL AS stored FROM clips WHERE session_id = $1::uuid" \
	  " AND ($2::bigint IS NULL OR id = $2::bigint) ORDER BY offset_sec, id") \
	/* $1 session id, $2 clip id -> path (var-relative; NULL: a reference), kind, duration_sec (NULL: */ \
	/* unknown), offset_sec, storage (local|s3: where path is), the clip locked against a delete until the transaction ends | no row */ \
	/* when absent */ \
	X(ANALYSIS_CLIP, 2, \
	  "SELECT path, kind, duration_sec, offset_sec, coalesce(storage, 'local') AS storage FROM clips" \
	  " WHERE session_id = $1::uuid AND id = $2::bigint FOR SHARE") \
	/* $1 session id -> one cell: the JSON array of its artifacts by id ('[]' when none) */ \
	X(ARTIFACT_LIST, 1, \
	  "SELECT coalesce(json_agg(stint_artifact_json(a) ORDER BY a.id), '[]')::text" \
	  " FROM artifacts a WHERE a.session_id = $1::uuid") \
	/* $1 session id, $2 artifact id -> one cell: the artifact's JSON | no row when absent */ \
	X(ARTIFACT_GET, 2, \
	  "SELECT stint_artifact_json(a)::text FROM artifacts a WHERE a.session_id = $1::uuid AND a.id = $2::bigint") \
	/* $1 session id, $2 type, $3 name, $4 path (under the var folder), $5 content type, */ \
	/* $6 size in bytes, $7 meta (a JSON object's text, NULL: {}), $8 clip id (NULL: none), */ \
	/* $9 storage (local|s3, NULL: local) */ \
	/* -> one cell: the new artifact's JSON | no row when $8 is no clip of the session */ \
	X(ARTIFACT_CREATE, 9, \
	  "INSERT INTO artifacts (session_id, type, name, path, content_type, size_bytes, meta, clip_id, storage)" \
	  " SELECT $1::uuid, $2, $3, $4, $5, $6::bigint, coalesce($7::jsonb, '{}'), $8::bigint, coalesce($9, 'local')" \
	  " WHERE $8::bigint IS NULL OR EXISTS (SELECT 1 FROM clips WHERE id = $8::bigint AND session_id = $1::uuid)" \
	  " RETURNING stint_artifact_json(artifacts)::text") \
	/* $1 session id, $2 artifact id -> one cell: the file to remove after commit, '' unless it */ \
	/* is this session's own upload and no clip points at it | no row when absent */ \
	X(ARTIFACT_DELETE, 2, \
	  "WITH d AS (DELETE FROM artifacts WHERE session_id = $1::uuid AND id = $2::bigint RETURNING path)" \
	  " SELECT CASE WHEN d.path LIKE 'media/' || $1 || '/%' AND NOT EXISTS (SELECT 1 FROM clips c" \
	  " WHERE c.path = d.path) THEN d.path ELSE '' END FROM d") \
	/* $1 session id, $2 artifact id -> path (var-relative), content_type, name (the download */ \
	/* name), storage (local|s3) | no row when absent */ \
	X(ARTIFACT_FILE, 2, \
	  "SELECT path, content_type, name, coalesce(storage, 'local') AS storage FROM artifacts" \
	  " WHERE session_id = $1::uuid AND id = $2::bigint") \
	/* $1 session, $2 type, $3 data (JSON) -> one cell: the stored message's text */ \
	X(LIVE_RECORD, 3, "SELECT stint_live_record($1::uuid, $2, $3::jsonb)") \
	/* $1 session, $2 type, $3 data array -> one row per element, in order: */ \
	/* the stored message's text (one message per element) */ \
	X(LIVE_RECORD_MANY, 3, \
	  "SELECT stint_live_record($1::uuid, $2, f) FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(f, i) ORDER BY i") \
	/* $1 session, $2 event ids (a bigint[] literal) -> one cell: the stored */ \
	/* event_added message's text; its data is the events, or a count for big batches */ \
	X(LIVE_RECORD_EVENTS, 2, \
	  "SELECT stint_live_record($1::uuid, 'event_added', CASE WHEN cardinality($2::bigint[]) <= 500" \
	  " THEN jsonb_build_object('events', (SELECT jsonb_agg(stint_event_json(e) ORDER BY e.t_sec, e.id)" \
	  " FROM events e WHERE e.session_id = $1::uuid AND e.id = ANY($2::bigint[])))" \
	  " ELSE jsonb_build_object('count', cardinality($2::bigint[]), 'truncated', true) END)") \
	/* $1 session -> one cell: the stored rollup_updated message's text; its data */ \
	/* is the session's rollup (after events changed) */ \
	X(LIVE_RECORD_ROLLUP, 1, "SELECT stint_live_record($1::uuid, 'rollup_updated', stint_rollup_json($1::uuid))") \
	/* $1 session -> one cell: the stored session_updated message's text; its data */ \
	/* is the session (after it changed) | no row when there is no such session */ \
	X(LIVE_RECORD_SESSION, 1, \
	  "SELECT stint_live_record($1::uuid, 'session_updated', stint_session_json(s)) FROM sessions s WHERE s.id = $1::uuid") \
	/* $1 session, $2 seq list (a bigint[] literal) -> no rows */ \
	X(LIVE_MARK_PUBLISHED, 2, \
	  "UPDATE live_messages SET published_at = clock_timestamp()" \
	  " WHERE session_id = $1::uuid AND seq = ANY($2::bigint[]) AND published_at IS NULL") \
	/* $1 minimum age (s) -> session_id, seq, type, body: messages nchan has not */ \
	/* taken yet, oldest first (by session, then seq), claimed by this flusher */ \
	X(LIVE_UNPUBLISHED, 1, \
	  "SELECT session_id::text, seq::text, type, body::text FROM live_messages" \
	  " WHERE published_at IS NULL AND at < clock_timestamp() - make_interval(secs => $1::float8)" \
	  " ORDER BY session_id, seq LIMIT 500 FOR UPDATE SKIP LOCKED") \
	/* $1 session, $2 after seq, $3 limit -> one cell: {"messages": [...], */ \
	/* "last_seq": n} (n the session's highest seq so far, 0 when none) */ \
	X(LIVE_TIMELINE, 3, \
	  "SELECT json_build_object('messages', coalesce((SELECT json_agg(body ORDER BY seq) FROM (" \
	  "SELECT body, seq FROM live_messages WHERE session_id = $1::uuid AND seq > $2::bigint" \
	  " ORDER BY seq LIMIT $3::int) m), '[]'), 'last_seq', coalesce((SELECT last FROM live_seq" \
	  " WHERE session_id = $1::uuid), 0))::text") \
	/* $1 session, $2 holds (validated JSON array) -> one cell: {"holds": all */ \
	/* holds after the merge} */ \
	X(CLIMB_MERGE, 2, "SELECT stint_climb_merge($1::uuid, $2::jsonb)::text") \
	/* $1 session, $2 the climb's own state (a JSON object: startTime, endTime, status) */ \
	/* -> one empty cell: merged into sessions.data.climb */ \
	X(CLIMB_STATE, 2, "SELECT stint_climb_state($1::uuid, $2::jsonb)") \
	/* $1 session, $2 status, $3 starts_at, $4 ends_at (a live session_update, its status change */ \
	/* checked by stint_session_status_lock: a restart clears ends_at unless $4 gives one) */ \
	/* -> id | no row when absent; STINT_DB_INVALID when ends_at is before starts_at */ \
	X(SESSION_LIVE_STATUS, 4, \
	  "UPDATE sessions SET status = $2," \
	  " starts_at = coalesce($3::timestamptz, CASE WHEN $2 = 'live' THEN coalesce(starts_at, now()) ELSE starts_at END)," \
	  " ends_at = coalesce($4::timestamptz, CASE WHEN $2 IN ('completed', 'abandoned') THEN coalesce(ends_at, now())" \
	  " WHEN " STINT_SESSION_RESTART("$2") " THEN NULL ELSE ends_at END)" \
	  " WHERE id = $1::uuid RETURNING id::text") \
	/* $1 session id or NULL, $2 group_key or NULL, $3 task_type, $4 dedupe_key, $5 params (a JSON */ \
	/* object) or NULL, $6 priority or NULL, $7 max_attempts, $8 user id -> task_id, session_id, */ \
	/* task (its JSON text) | no row when the session has an active task of that type and key */ \
	/* (tasks_one_active_idx); NOTIFY tasks with the new task's id wakes a spooler at COMMIT */ \
	X(TASK_CREATE, 8, \
	  "WITH ins AS (INSERT INTO tasks (session_id, group_key, task_type, dedupe_key, params, priority," \
	  " max_attempts, user_id) VALUES ($1::uuid, $2, $3, $4, coalesce($5::jsonb, '{}'), coalesce($6::int, 100)," \
	  " $7::int, $8::bigint) ON CONFLICT (session_id, task_type, dedupe_key)" \
	  " WHERE status IN ('queued', 'running') AND session_id IS NOT NULL DO NOTHING" \
	  " RETURNING task_id, session_id, stint_task_json(tasks) AS task)" \
	  " SELECT task_id::text, session_id::text, task::text, pg_notify('tasks', task_id::text) FROM ins") \
	/* $1 session id, $2 task_type, $3 dedupe_key -> one cell: the JSON text of the session's */ \
	/* queued or running task of that type and key | no row when there is none */ \
	X(TASK_ACTIVE, 3, \
	  "SELECT stint_task_json(t)::text FROM tasks t WHERE t.session_id = $1::uuid AND t.task_type = $2" \
	  " AND t.dedupe_key = $3 AND t.status IN ('queued', 'running')") \
	/* $1 task id, $2 user id -> grant: what the user may do with the task (edit, view, */ \
	/* none), NULL when there is no such task */ \
	X(TASK_ACCESS, 2, "SELECT stint_task_access($1::uuid, $2::bigint) AS grant") \
	/* $1 task id -> one cell: the task's JSON text | no row when absent */ \
	X(TASK_GET, 1, "SELECT stint_task_json(t)::text FROM tasks t WHERE t.task_id = $1::uuid") \
	/* $1 session, $2 group, $3 type, $4 status (each NULL: any), $5 limit, $6 offset, $7 user id, */ \
	/* $8 is admin -> one cell: {"items": [...], "total": n, "limit": n, "offset": n}, newest first */ \
	X(TASK_LIST, 8, \
	  "SELECT json_build_object('items', coalesce((SELECT json_agg(stint_task_json(t) ORDER BY t.created_at DESC," \
	  " t.task_id) FROM tasks t JOIN (SELECT t.task_id" STINT_TASK_FILTER \
	  " ORDER BY t.created_at DESC, t.task_id LIMIT $5 OFFSET $6) page USING (task_id)), '[]')," \
	  " 'total', (SELECT count(*)" STINT_TASK_FILTER "), 'limit', $5::int, 'offset', $6::int)::text") \
	/* $1 task id -> status, session_id, task_type, group_key of the task, locked for a cancel | no */ \
	/* row when absent */ \
	X(TASK_LOCK, 1, "SELECT status, session_id::text, task_type, group_key FROM tasks WHERE task_id = $1::uuid" \
	  " FOR UPDATE") \
	/* $1 task id -> task (the cancelled task's JSON text) | no row unless it was queued */ \
	X(TASK_CANCEL_QUEUED, 1, \
	  "UPDATE tasks SET status = 'cancelled', finished_at = now() WHERE task_id = $1::uuid" \
	  " AND status = 'queued' RETURNING stint_task_json(tasks)::text AS task") \
	/* $1 task id -> task (its JSON text, cancel_requested_at set) | no row unless it is running */ \
	X(TASK_CANCEL_RUNNING, 1, \
	  "UPDATE tasks SET cancel_requested_at = coalesce(cancel_requested_at, now()) WHERE task_id = $1::uuid" \
	  " AND status = 'running' RETURNING stint_task_json(tasks)::text AS task") \
	/* $1 task id -> task (the removed record's JSON text, with "removed": true) | no row */ \
	/* unless it was finished (completed, failed or cancelled) */ \
	X(TASK_REMOVE, 1, \
	  "DELETE FROM tasks WHERE task_id = $1::uuid AND status IN ('completed', 'failed', 'cancelled')" \
	  " RETURNING (stint_task_json(tasks) || '{\"removed\": true}')::text AS task") \
	/* $1 group_key, $2 task types (a comma-separated list) -> task_id, session_id, task_type, task */ \
	/* (the removed record's JSON text, with "removed": true), one row per finished task of the */ \
	/* group of one of the types, removed: the records a follow-up's completion releases (keep_until) */ \
	X(TASK_RELEASE_GROUP, 2, \
	  "DELETE FROM tasks WHERE group_key = $1 AND task_type = ANY (string_to_array($2, ','))" \
	  " AND status IN ('completed', 'failed', 'cancelled')" \
	  " RETURNING task_id::text, session_id::text, task_type," \
	  " (stint_task_json(tasks) || '{\"removed\": true}')::text AS task") \
	/* $1 retention days, $2 batch -> session_id, run (the folder name under reports/<session>/), */ \
	/* detail (the audit detail's JSON text: run, created_at, artifact_ids, names, size_bytes, */ \
	/* retention_days), one row per purged report run: its report and report_data artifacts */ \
	/* (paths reports/<session>/<run>/...) removed when the newest is older than $1 days, oldest */ \
	/* first, except the run of the artifact the session's report_url points to (issue 20) */ \
	X(REPORT_RUN_PURGE, 2, \
	  "WITH runs AS (SELECT a.session_id, split_part(a.path, '/', 3) AS run, max(a.created_at) AS created_at" \
	  " FROM artifacts a WHERE a.type IN ('report', 'report_data') AND a.path LIKE 'reports/%'" \
	  " AND split_part(a.path, '/', 2) = a.session_id::text GROUP BY a.session_id, split_part(a.path, '/', 3))," \
	  " old AS (SELECT r.session_id, r.run, r.created_at FROM runs r" \
	  " WHERE r.created_at < now() - make_interval(days => $1::int) AND r.run <> ''" \
	  " AND NOT EXISTS (SELECT 1 FROM sessions s JOIN artifacts c ON c.session_id = s.id" \
	  " AND c.id::text = substring(s.report_url from '/artifacts/([0-9]+)$')" \
	  " WHERE s.id = r.session_id AND split_part(c.path, '/', 3) = r.run)" \
	  " ORDER BY r.created_at LIMIT $2::int)," \
	  " gone AS (DELETE FROM artifacts a USING old o WHERE a.session_id = o.session_id" \
	  " AND a.type IN ('report', 'report_data') AND a.path LIKE 'reports/%'" \
	  " AND split_part(a.path, '/', 2) = a.session_id::text AND split_part(a.path, '/', 3) = o.run" \
	  " RETURNING a.id, a.session_id, a.name, a.size_bytes, o.run, o.created_at)" \
	  " SELECT session_id::text AS session_id, run, json_build_object('run', run, 'created_at', created_at," \
	  " 'artifact_ids', json_agg(id ORDER BY id), 'names', json_agg(name ORDER BY id)," \
	  " 'size_bytes', sum(size_bytes), 'retention_days', $1::int)::text AS detail" \
	  " FROM gone GROUP BY session_id, run, created_at ORDER BY created_at") \
	/* $1 retention days, $2 batch -> session_id, remove_files (true when no session or younger */ \
	/* archive of that id needs its files), detail (the audit detail's JSON text: backup_id, */ \
	/* title, archived_at, restored_at, retention_days), one row per purged archive (backups row) */ \
	/* older than $1 days, oldest first, skipping rows another transaction holds (issue 20) */ \
	X(ARCHIVE_PURGE, 2, \
	  "WITH old AS (SELECT id FROM backups WHERE created_at < now() - make_interval(days => $1::int)" \
	  " ORDER BY created_at LIMIT $2::int FOR UPDATE SKIP LOCKED)," \
	  " gone AS (DELETE FROM backups b USING old WHERE b.id = old.id" \
	  " RETURNING b.id, b.session_id, b.title, b.created_at, b.restored_at)" \
	  " SELECT g.session_id::text AS session_id," \
	  " (NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = g.session_id) AND NOT EXISTS" \
	  " (SELECT 1 FROM backups k WHERE k.session_id = g.session_id AND k.id NOT IN (SELECT id FROM old)))" \
	  " AS remove_files," \
	  " json_build_object('backup_id', g.id, 'title', g.title, 'archived_at', g.created_at," \
	  " 'restored_at', g.restored_at, 'retention_days', $1::int)::text AS detail" \
	  " FROM gone g ORDER BY g.created_at") \
	/* $1 the types' policies (a JSON array of {task_type, retention_days, held}: held, records of the */ \
	/* type with a group_key are kept by keep_until), $2 the most rows -> task_id, session_id, */ \
	/* task_type, task (the removed record's JSON text, with "removed": true), one row per removed */ \
	/* record: finished longer ago than its type's retention_days, oldest first, skipping rows */ \
	/* another transaction holds; a type not in $1 is left alone */ \
	X(TASK_SWEEP, 2, \
	  "WITH p AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS p (task_type text, retention_days int," \
	  " held boolean)), old AS (SELECT t.task_id FROM tasks t JOIN p ON p.task_type = t.task_type" \
	  " WHERE t.status IN ('completed', 'failed', 'cancelled')" \
	  " AND t.finished_at < now() - make_interval(days => p.retention_days)" \
	  " AND NOT (p.held AND t.group_key IS NOT NULL)" \
	  " ORDER BY t.finished_at LIMIT $2::int FOR UPDATE OF t SKIP LOCKED)" \
	  " DELETE FROM tasks t USING old WHERE t.task_id = old.task_id" \
	  " RETURNING t.task_id::text, t.session_id::text, t.task_type," \
	  " (stint_task_json(t) || '{\"removed\": true}')::text AS task") \
	/* $1 task id -> task (its JSON text): a failed or cancelled task queued again as a new attempt */ \
	/* cycle (attempts 0, run_after now; error, result, progress, cancel request and times */ \
	/* cleared), NOTIFY tasks at COMMIT | no row unless it was failed or cancelled; */ \
	/* STINT_DB_CONFLICT when its session has another active task of its type and key */ \
	/* (tasks_one_active_idx) */ \
	X(TASK_RETRY, 1, \
	  "UPDATE tasks SET status = 'queued', attempts = 0, run_after = now(), error = NULL, result = NULL," \
	  " progress = 0, progress_message = '', cancel_requested_at = NULL, started_at = NULL, finished_at = NULL" \
	  " WHERE task_id = $1::uuid AND status IN ('failed', 'cancelled')" \
	  " RETURNING stint_task_json(tasks)::text AS task, pg_notify('tasks', task_id::text)") \
	/* $1 session id -> id | no row when absent: its processing_status is now queued (a report was asked) */ \
	X(SESSION_PROCESS_QUEUED, 1, \
	  "UPDATE sessions SET processing_status = 'queued' WHERE id = $1::uuid RETURNING id::text") \
	/* $1 session id -> one cell: {session_id, processing_status, progress, progress_message, */ \
	/* report_url, last_processed_at, task (the newest process_report task, or null)} as JSON text */ \
	/* | no row when absent */ \
	X(SESSION_PROCESSING, 1, \
	  "SELECT json_build_object('session_id', s.id, 'processing_status', s.processing_status," \
	  " 'progress', coalesce(x.progress, 0), 'progress_message', coalesce(x.progress_message, '')," \
	  " 'report_url', s.report_url, 'last_processed_at', s.last_processed_at," \
	  " 'task', CASE WHEN x.task_id IS NOT NULL THEN stint_task_json(x.task) END)::text" \
	  " FROM sessions s LEFT JOIN LATERAL (SELECT t AS task, t.task_id, t.progress, t.progress_message FROM tasks t" \
	  " WHERE t.session_id = s.id AND t.task_type = 'process_report' ORDER BY t.created_at DESC, t.task_id LIMIT 1) x" \
	  " ON true WHERE s.id = $1::uuid") \
	/* --- the spooler (lib/spool.c): every change but the claim is fenced by the lease token --- */ \
	/* no parameters, no rows: wake on NOTIFY tasks (bin/stint-spooler's own connection) */ \
	X(SPOOL_LISTEN, 0, "LISTEN tasks") \
	/* $1 lease owner ("host:pid/slot"), $2 lease seconds, $3 the types it runs (a comma-separated */ \
	/* list, NULL: any) -> task_id, session_id, task_type, params (JSON text), attempts (this run's */ \
	/* number), max_attempts, lease_token, task (its JSON text) | no row when no queued task is due: */ \
	/* the next by priority then age, locked with SKIP LOCKED so that concurrent spoolers never */ \
	/* claim one task twice */ \
	X(SPOOL_CLAIM, 3, \
	  "UPDATE tasks SET status = 'running', attempts = attempts + 1, lease_owner = $1," \
	  " lease_token = nextval('task_lease_tokens'), lease_expires_at = now() + make_interval(secs => $2::float8)," \
	  " started_at = now(), finished_at = NULL, progress = 0, progress_message = '', cancel_requested_at = NULL" \
	  " WHERE task_id = (SELECT task_id FROM tasks WHERE status = 'queued' AND run_after <= now()" \
	  " AND ($3::text IS NULL OR task_type = ANY (string_to_array($3, ',')))" \
	  " ORDER BY priority, created_at LIMIT 1 FOR UPDATE SKIP LOCKED) AND status = 'queued'" \
	  " RETURNING task_id::text, session_id::text, task_type, params::text, attempts, max_attempts," \
	  " lease_token::text, stint_task_json(tasks)::text AS task") \
	/* $1 task id, $2 lease token, $3 lease seconds -> cancel ("t" when a cancel was asked) | no */ \
	/* row when the lease is no longer this token's */ \
	X(SPOOL_HEARTBEAT, 3, \
	  "UPDATE tasks SET lease_expires_at = now() + make_interval(secs => $3::float8) WHERE task_id = $1::uuid" \
	  " AND lease_token = $2::bigint AND status = 'running' RETURNING cancel_requested_at IS NOT NULL AS cancel") \
	/* $1 task id, $2 lease token, $3 progress (0..100), $4 message -> session_id, task (JSON text) */ \
	/* | no row when the lease is no longer this token's */ \
	X(SPOOL_PROGRESS, 4, \
	  "UPDATE tasks SET progress = $3::int, progress_message = left($4, 500) WHERE task_id = $1::uuid" \
	  " AND lease_token = $2::bigint AND status = 'running'" \
	  " RETURNING session_id::text, stint_task_json(tasks)::text AS task") \
	/* $1 task id, $2 lease token, $3 result (JSON) or NULL -> session_id, status, task_type, */ \
	/* group_key, task (JSON text) */ \
	/* | no row when the lease is no longer this token's (a stale completion changes nothing) */ \
	X(SPOOL_COMPLETE, 3, \
	  "UPDATE tasks SET status = 'completed', result = $3::jsonb, progress = 100, error = NULL," \
	  " finished_at = now(), lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL" \
	  " WHERE task_id = $1::uuid AND lease_token = $2::bigint AND status = 'running'" \
	  " RETURNING session_id::text, status, task_type, group_key, stint_task_json(tasks)::text AS task") \
	/* $1 task id, $2 lease token, $3 error, $4 retry (boolean), $5 backoff base seconds -> */ \
	/* session_id, status (queued again when $4 and attempts < max_attempts, run_after now + */ \
	/* base * 2^(attempts-1) (at most an hour) times 0.5..1.5; else failed), task_type, group_key, */ \
	/* task (JSON text) */ \
	/* | no row when the lease is no longer this token's */ \
	X(SPOOL_FAIL, 5, \
	  "UPDATE tasks SET status = CASE WHEN $4::boolean AND attempts < max_attempts THEN 'queued' ELSE 'failed' END," \
	  " run_after = CASE WHEN $4::boolean AND attempts < max_attempts THEN now() + make_interval(secs =>" \
	  " least(3600, $5::float8 * power(2, greatest(attempts - 1, 0))) * (0.5 + random())) ELSE run_after END," \
	  " finished_at = CASE WHEN $4::boolean AND attempts < max_attempts THEN NULL ELSE now() END," \
	  " error = left($3, 4000), lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL" \
	  " WHERE task_id = $1::uuid AND lease_token = $2::bigint AND status = 'running'" \
	  " RETURNING session_id::text, status, task_type, group_key, stint_task_json(tasks)::text AS task") \
	/* $1 task id, $2 lease token -> session_id, status, task_type, group_key, task (JSON text): */ \
	/* cancelled as asked | no row when the lease is no longer this token's */ \
	X(SPOOL_CANCELLED, 2, \
	  "UPDATE tasks SET status = 'cancelled', error = 'cancelled', finished_at = now(), lease_owner = NULL," \
	  " lease_token = NULL, lease_expires_at = NULL WHERE task_id = $1::uuid AND lease_token = $2::bigint" \
	  " AND status = 'running'" \
	  " RETURNING session_id::text, status, task_type, group_key, stint_task_json(tasks)::text AS task") \
	/* $1 task id, $2 lease token -> session_id, status, task (JSON text): handed back (queued, the */ \
	/* attempt not counted; NOTIFY tasks wakes another spooler at COMMIT) | no row when the lease */ \
	/* is no longer this token's */ \
	X(SPOOL_RELEASE, 2, \
	  "UPDATE tasks SET status = 'queued', attempts = greatest(attempts - 1, 0), run_after = now()," \
	  " lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL WHERE task_id = $1::uuid" \
	  " AND lease_token = $2::bigint AND status = 'running'" \
	  " RETURNING session_id::text, status, stint_task_json(tasks)::text AS task, pg_notify('tasks', task_id::text)") \
	/* no parameters -> task_id, session_id, status, task_type, group_key, task (JSON text), one row */ \
	/* per running task whose lease expired: cancelled when a cancel was asked, queued again while */ \
	/* attempts < max_attempts (NOTIFY tasks), else failed */ \
	X(SPOOL_REAP, 0, \
	  "UPDATE tasks SET status = CASE WHEN cancel_requested_at IS NOT NULL THEN 'cancelled'" \
	  " WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END," \
	  " finished_at = CASE WHEN cancel_requested_at IS NULL AND attempts < max_attempts THEN NULL ELSE now() END," \
	  " run_after = now(), error = 'lease expired (held by ' || coalesce(lease_owner, '?') || ')'," \
	  " lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL" \
	  " WHERE task_id IN (SELECT task_id FROM tasks WHERE status = 'running' AND lease_expires_at < now()" \
	  " FOR UPDATE SKIP LOCKED) AND status = 'running' AND lease_expires_at < now()" \
	  " RETURNING task_id::text, session_id::text, status, task_type, group_key," \
	  " stint_task_json(tasks)::text AS task, pg_notify('tasks', task_id::text)") \
	/* ---- the recorder bucket (lib/recorder.c; issue 13) ---- */ \
	/* no parameters -> id ("recorder_id" of a recorder, "recorder_id/recording_id" of a recording), */ \
	/* etag (its metadata.json's stored ETag, '' when none): what a sync compares the listing with */ \
	X(RECORDER_KNOWN, 0, \
	  "SELECT recorder_id AS id, coalesce(metadata_etag, '') AS etag FROM recorders" \
	  " UNION ALL SELECT recorder_id || '/' || recording_id, coalesce(metadata_etag, '') FROM recorder_sessions") \
	/* $1 a lock name -> nothing: serialises syncs (or sync queueing) until the transaction ends */ \
	X(RECORDER_SYNC_LOCK, 1, "SELECT pg_advisory_xact_lock(hashtext($1))::text") \
	/* no parameters -> one cell: the queued or running recorder_sync task's JSON text | no row */ \
	X(RECORDER_SYNC_ACTIVE, 0, \
	  "SELECT stint_task_json(t)::text FROM tasks t WHERE t.task_type = 'recorder_sync'" \
	  " AND t.status IN ('queued', 'running') ORDER BY t.created_at LIMIT 1") \
	/* $1 JSON array of {recorder_id, fetched, name, metadata_etag, error}: each listed recorder, seen */ \
	/* now; name, etag and error change only when its metadata.json was read (fetched) -> nothing */ \
	X(RECORDER_UPSERT_RECORDERS, 1, \
	  "WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x (recorder_id text, fetched boolean," \
	  " name text, metadata_etag text, error text))," \
	  " upd AS (UPDATE recorders r SET seen_at = now()," \
	  " name = CASE WHEN x.fetched THEN coalesce(x.name, '') ELSE r.name END," \
	  " metadata_etag = CASE WHEN x.fetched THEN x.metadata_etag ELSE r.metadata_etag END," \
	  " error = CASE WHEN x.fetched THEN x.error ELSE r.error END" \
	  " FROM x WHERE r.recorder_id = x.recorder_id RETURNING r.recorder_id)" \
	  " INSERT INTO recorders (recorder_id, name, metadata_etag, error)" \
	  " SELECT x.recorder_id, coalesce(x.name, ''), x.metadata_etag, x.error FROM x" \
	  " WHERE x.recorder_id NOT IN (SELECT recorder_id FROM upd)") \
	/* $1 JSON array of recordings whose metadata.json was read (or is missing): {recorder_id, */ \
	/* recording_id, name, start_time, end_time, duration_ns, is_closed, keep, object_keys, metadata, */ \
	/* metadata_etag, error} -> created (boolean), one row per recording inserted or changed */ \
	X(RECORDER_UPSERT_SESSIONS, 1, \
	  "INSERT INTO recorder_sessions AS rs (recorder_id, recording_id, name, start_time, end_time, duration_ns," \
	  " is_closed, keep, object_keys, metadata, metadata_etag, error)" \
	  " SELECT x.recorder_id, x.recording_id, coalesce(x.name, ''), x.start_time, x.end_time, x.duration_ns," \
	  " coalesce(x.is_closed, false), coalesce(x.keep, false), coalesce(x.object_keys, '{}'), x.metadata," \
	  " x.metadata_etag, x.error FROM jsonb_to_recordset($1::jsonb) AS x (recorder_id text, recording_id text," \
	  " name text, start_time timestamptz, end_time timestamptz, duration_ns bigint, is_closed boolean," \
	  " keep boolean, object_keys jsonb, metadata jsonb, metadata_etag text, error text)" \
	  " ON CONFLICT (recorder_id, recording_id) DO UPDATE SET name = EXCLUDED.name," \
	  " start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time, duration_ns = EXCLUDED.duration_ns," \
	  " is_closed = EXCLUDED.is_closed, keep = EXCLUDED.keep, object_keys = EXCLUDED.object_keys," \
	  " metadata = EXCLUDED.metadata, metadata_etag = EXCLUDED.metadata_etag, error = EXCLUDED.error," \
	  " deleted_at = NULL" \
	  " WHERE (rs.name, rs.start_time, rs.end_time, rs.duration_ns, rs.is_closed, rs.keep, rs.object_keys," \
	  " rs.metadata, rs.metadata_etag, rs.error, rs.deleted_at) IS DISTINCT FROM (EXCLUDED.name," \
	  " EXCLUDED.start_time, EXCLUDED.end_time, EXCLUDED.duration_ns, EXCLUDED.is_closed, EXCLUDED.keep," \
	  " EXCLUDED.object_keys, EXCLUDED.metadata, EXCLUDED.metadata_etag, EXCLUDED.error, NULL::timestamptz)" \
	  " RETURNING (xmax = 0) AS created") \
	/* $1 JSON array of recordings whose metadata.json is unchanged: {recorder_id, recording_id, */ \
	/* object_keys, has_chunks} -> id, one row per recording whose keys, closed state or presence */ \
	/* changed (closed: its stored metadata says is_closed and chunks/ is gone) */ \
	X(RECORDER_TOUCH_SESSIONS, 1, \
	  "UPDATE recorder_sessions rs SET object_keys = x.object_keys, deleted_at = NULL," \
	  " is_closed = rs.error IS NULL AND coalesce(rs.metadata->'is_closed' = 'true'::jsonb, false)" \
	  " AND NOT x.has_chunks" \
	  " FROM jsonb_to_recordset($1::jsonb) AS x (recorder_id text, recording_id text, object_keys jsonb," \
	  " has_chunks boolean)" \
	  " WHERE rs.recorder_id = x.recorder_id AND rs.recording_id = x.recording_id" \
	  " AND (rs.object_keys, rs.is_closed, rs.deleted_at) IS DISTINCT FROM (x.object_keys," \
	  " rs.error IS NULL AND coalesce(rs.metadata->'is_closed' = 'true'::jsonb, false) AND NOT x.has_chunks," \
	  " NULL::timestamptz)" \
	  " RETURNING rs.id") \
	/* $1 JSON array of {recorder_id, recording_id}: every recording listed -> id, one row per */ \
	/* recording gone from the bucket, now marked deleted_at */ \
	X(RECORDER_MARK_DELETED, 1, \
	  "UPDATE recorder_sessions SET deleted_at = now() WHERE deleted_at IS NULL" \
	  " AND (recorder_id, recording_id) NOT IN (SELECT x.recorder_id, x.recording_id" \
	  " FROM jsonb_to_recordset($1::jsonb) AS x (recorder_id text, recording_id text)) RETURNING id") \
	/* no parameters -> malformed, open: the recordings in the bucket (not deleted) with an error, */ \
	/* and those not closed */ \
	X(RECORDER_COUNTS, 0, \
	  "SELECT count(*) FILTER (WHERE error IS NOT NULL) AS malformed, count(*) FILTER (WHERE NOT is_closed) AS open" \
	  " FROM recorder_sessions WHERE deleted_at IS NULL") \
	/* $1 recorder_id, $2 from, $3 to (start_time in [from, to)), $4 closed, $5 deleted too (each NULL: */ \
	/* any), $6 limit, $7 offset -> one cell: {"items": [...], "total", "limit", "offset"} (JSON text), */ \
	/* newest start first; an item is stint_recording_json()'s (sql/functions/recorder.sql) */ \
	X(RECORDER_LIST, 7, \
	  "WITH f AS (SELECT rs.id, rs.start_time FROM recorder_sessions rs WHERE ($1::text IS NULL OR rs.recorder_id = $1)" \
	  " AND ($2::timestamptz IS NULL OR rs.start_time >= $2::timestamptz)" \
	  " AND ($3::timestamptz IS NULL OR rs.start_time < $3::timestamptz)" \
	  " AND ($4::boolean IS NULL OR rs.is_closed = $4::boolean)" \
	  " AND (coalesce($5::boolean, false) OR rs.deleted_at IS NULL))" \
	  " SELECT json_build_object('items', coalesce((SELECT json_agg(stint_recording_json(rs)" \
	  " ORDER BY rs.start_time DESC NULLS LAST, rs.id DESC) FROM recorder_sessions rs WHERE rs.id IN" \
	  " (SELECT id FROM f ORDER BY start_time DESC NULLS LAST, id DESC LIMIT $6::int OFFSET $7::int)), '[]')," \
	  " 'total', (SELECT count(*) FROM f), 'limit', $6::int, 'offset', $7::int)::text") \
	/* --- surveys (issue 12; lib/surveys.c, sql/functions/surveys.sql) --- */ \
	/* $1 session id -> one cell: {"items": [survey...], "players": [per-player sRPE load and */ \
	/* acute:chronic workload ratios]} (JSON text, stint_session_surveys_json) | NULL when no session */ \
	X(SURVEY_LIST, 1, "SELECT stint_session_surveys_json($1::uuid)::text") \
	/* $1 session id, $2 JSON array of validated surveys (player, rpe, duration_min, fatigue, mood, */ \
	/* readiness, sleep_duration_h, sleep_quality, soreness, stress, answered_at: absent = NULL, */ \
	/* answered_at now), $3 user id -> one cell: {"items": [the stored surveys], "count": n} */ \
	X(SURVEY_INSERT, 3, \
	  "WITH ins AS (INSERT INTO surveys (session_id, player, rpe, duration_min, fatigue, mood, readiness," \
	  " sleep_duration_h, sleep_quality, soreness, stress, answered_at, user_id)" \
	  " SELECT $1::uuid, x.player, x.rpe, x.duration_min, x.fatigue, x.mood, x.readiness, x.sleep_duration_h," \
	  " x.sleep_quality, x.soreness, x.stress, coalesce(x.answered_at, now()), nullif($3, '0')::bigint" \
	  " FROM jsonb_to_recordset($2::jsonb) AS x (player text, rpe numeric, duration_min numeric, fatigue smallint," \
	  " mood smallint, readiness smallint, sleep_duration_h numeric, sleep_quality smallint, soreness smallint," \
	  " stress smallint, answered_at timestamptz) RETURNING *)" \
	  " SELECT json_build_object('items', coalesce(json_agg(stint_survey_json(ins) ORDER BY ins.id), '[]')," \
	  " 'count', count(*))::text FROM ins") \
	/* $1 session id, $2 survey id -> one cell: the removed survey's id | no row when absent */ \
	X(SURVEY_DELETE, 2, "DELETE FROM surveys WHERE session_id = $1::uuid AND id = $2::bigint RETURNING id::text") \
	/* --- the team report (bin/stint-report, lib/thresholds.c; issue 12) --- */ \
	/* $1 session id -> title, kind, starts_at, ends_at (ISO text or NULL), from_s, to_s (epoch */ \
	/* seconds or NULL), day (the session's day, YYYY-MM-DD), owner_id | no row when absent */ \
	X(REPORT_SESSION, 1, \
	  "SELECT title, kind, starts_at, ends_at, extract(epoch FROM starts_at)::float8 AS from_s," \
	  " extract(epoch FROM ends_at)::float8 AS to_s, coalesce(starts_at, created_at)::date::text AS day," \
	  " owner_id::text FROM sessions WHERE id = $1::uuid AND deleted_at IS NULL") \
	/* $1 session id, $2 side ('A', 'B' or NULL) -> the load_thresholds row that applies (every */ \
	/* column): the side's team's own, else team '', the latest valid_from on or before the */ \
	/* session's day | no row when absent */ \
	X(REPORT_THRESHOLDS, 2, \
	  "SELECT t.* FROM sessions s LEFT JOIN teams tm ON tm.session_id = s.id AND tm.side = $2::char(1)" \
	  " JOIN load_thresholds t ON t.team IN (coalesce(tm.name, ''), '')" \
	  " AND t.valid_from <= coalesce(s.starts_at, s.created_at)::date" \
	  " WHERE s.id = $1::uuid ORDER BY (t.team <> '') DESC, t.valid_from DESC LIMIT 1") \
	/* $1 session id -> id, player, team_side, number, device_id, from_s, to_s (the window in */ \
	/* epoch seconds, the session's when the participant has none; NULL: unbounded), file_id, */ \
	/* path, format, original_name, storage (of the device's file; NULL when none), one row a participant */ \
	X(REPORT_PARTICIPANTS, 1, \
	  "SELECT p.id::text, p.player, p.team_side, p.number, p.device_id," \
	  " extract(epoch FROM coalesce(p.window_from, s.starts_at))::float8 AS from_s," \
	  " extract(epoch FROM coalesce(p.window_to, s.ends_at))::float8 AS to_s," \
	  " d.id::text AS file_id, d.path, d.format, d.original_name, coalesce(d.storage, 'local') AS storage" \
	  " FROM participants p JOIN sessions s ON s.id = p.session_id" \
	  " LEFT JOIN LATERAL (SELECT * FROM device_files f WHERE f.session_id = p.session_id" \
	  " AND f.device_id IN (p.device_id, " STINT_TEAM_DEVICE("p.device_id") ")" \
	  " ORDER BY f.device_id = p.device_id DESC LIMIT 1) d ON true" \
	  " WHERE p.session_id = $1::uuid ORDER BY p.team_side NULLS LAST, p.number::int NULLS LAST, p.number, p.player, p.id") \
	/* $1 session id -> player, rpe, duration_min, fatigue, mood, readiness, sleep_duration_h, */ \
	/* sleep_quality, soreness, stress, answered_at: for each player answering in the session, the */ \
	/* RPE and minutes of their latest survey with an RPE and the wellness items of their latest one */ \
	/* with any wellness item (PMData's sRPE and wellness come as separate rows), answered_at the */ \
	/* later of the two */ \
	X(REPORT_SURVEYS, 1, \
	  "SELECT p.player, r.rpe::text, r.duration_min::text, w.fatigue, w.mood, w.readiness," \
	  " w.sleep_duration_h::text, w.sleep_quality, w.soreness, w.stress," \
	  " greatest(r.answered_at, w.answered_at) AS answered_at" \
	  " FROM (SELECT DISTINCT player FROM surveys WHERE session_id = $1::uuid) p" \
	  " LEFT JOIN LATERAL (SELECT v.rpe, v.duration_min, v.answered_at FROM surveys v" \
	  " WHERE v.session_id = $1::uuid AND v.player = p.player AND v.rpe IS NOT NULL" \
	  " ORDER BY v.answered_at DESC, v.id DESC LIMIT 1) r ON true" \
	  " LEFT JOIN LATERAL (SELECT v.fatigue, v.mood, v.readiness, v.sleep_duration_h, v.sleep_quality," \
	  " v.soreness, v.stress, v.answered_at FROM surveys v WHERE v.session_id = $1::uuid AND v.player = p.player" \
	  " AND num_nonnulls(v.fatigue, v.mood, v.readiness, v.sleep_duration_h, v.sleep_quality, v.soreness," \
	  " v.stress) > 0 ORDER BY v.answered_at DESC, v.id DESC LIMIT 1) w ON true ORDER BY p.player") \
	/* $1 session id -> team_side, number, event_type, count: the session's event counts by player */ \
	X(REPORT_EVENT_COUNTS, 1, \
	  "SELECT team_side, number, event_type, count FROM rollups" \
	  " WHERE session_id = $1::uuid AND team_side IS NOT NULL AND number IS NOT NULL" \
	  " ORDER BY team_side, number::int, number, event_type") \
	/* $1 session id, $2 status (processing, failed) -> id | no row when absent */ \
	X(REPORT_STATUS, 2, \
	  "UPDATE sessions SET processing_status = $2 WHERE id = $1::uuid RETURNING id::text") \
	/* $1 session id, $2 report_url -> id: the report is ready (completed, last_processed_at now) */ \
	X(REPORT_DONE, 2, \
	  "UPDATE sessions SET processing_status = 'completed', report_url = $2, last_processed_at = now()" \
	  " WHERE id = $1::uuid RETURNING id::text") \
	/* $1 session id, $2 the artifact's JSON -> one row (the message): report_ready recorded */ \
	X(LIVE_RECORD_REPORT_READY, 2, "SELECT stint_live_record($1::uuid, 'report_ready', $2::jsonb)") \
	/* $1 session id -> participants, with_file (participants whose device has a file), */ \
	/* empty_windows (participants whose window, theirs or the session's, is empty) | no row */ \
	X(REPORT_READINESS, 1, \
	  "SELECT count(p.id) AS participants, count(d.id) AS with_file, count(p.id) FILTER (WHERE" \
	  " coalesce(p.window_to, s.ends_at) <= coalesce(p.window_from, s.starts_at)) AS empty_windows" \
	  " FROM sessions s LEFT JOIN participants p ON p.session_id = s.id LEFT JOIN LATERAL (SELECT f.id" \
	  " FROM device_files f WHERE f.session_id = s.id AND f.device_id IN (p.device_id, " \
	  STINT_TEAM_DEVICE("p.device_id") ") LIMIT 1) d ON true WHERE s.id = $1::uuid GROUP BY s.id") \
	/* ---- participants and device files (issue 12; lib/participants.c) ---- */ \
	/* $1 session id -> one cell: the JSON array of its participants by side, number, player */ \
	X(PARTICIPANT_LIST, 1, \
	  "SELECT coalesce(json_agg(" STINT_PARTICIPANT_JSON " ORDER BY p.team_side NULLS LAST," \
	  " p.number::int NULLS LAST, p.number, p.player, p.id), '[]')::text FROM participants p" \
	  " WHERE p.session_id = $1::uuid") \
	/* $1 session id, $2 participant id -> one cell: its JSON | no row when absent */ \
	X(PARTICIPANT_GET, 2, \
	  "SELECT " STINT_PARTICIPANT_JSON "::text FROM participants p WHERE p.session_id = $1::uuid" \
	  " AND p.id = $2::bigint") \
	/* $1 session id, $2 participant (validated JSON: player, team_side, number, device_id, */ \
	/* window_from, window_to) -> id, j: the new participant's JSON */ \
	X(PARTICIPANT_CREATE, 2, \
	  "INSERT INTO participants AS p (session_id, player, team_side, number, device_id, window_from, window_to)" \
	  " SELECT $1::uuid, j->>'player', j->>'team_side', j->>'number', j->>'device_id'," \
	  " (j->>'window_from')::timestamptz, (j->>'window_to')::timestamptz FROM (SELECT $2::jsonb AS j) x" \
	  " RETURNING p.id::text AS id, " STINT_PARTICIPANT_JSON "::text AS j") \
	/* $1 session id, $2 participant id, $3 patch (validated JSON: only its keys change) */ \
	/* -> one cell: the participant's JSON afterwards | no row when absent */ \
	X(PARTICIPANT_PATCH, 3, \
	  "UPDATE participants p SET" STINT_PATCH_TEXT("$3::jsonb", "player") "," \
	  STINT_PATCH_TEXT("$3::jsonb", "team_side") "," STINT_PATCH_TEXT("$3::jsonb", "number") "," \
	  STINT_PATCH_TEXT("$3::jsonb", "device_id") "," STINT_PATCH_AS("$3::jsonb", "window_from", "timestamptz") "," \
	  STINT_PATCH_AS("$3::jsonb", "window_to", "timestamptz") \
	  " WHERE p.session_id = $1::uuid AND p.id = $2::bigint RETURNING " STINT_PARTICIPANT_JSON "::text") \
	/* $1 session id, $2 device id "<device>:<track label>", $3 side ('A', 'B' or NULL), $4 number */ \
	/* (or NULL), $5 player name, $6 the team file's device: one player of a team file (Metrica, EPTS) */ \
	/* as a participant -> action, id, j (the participant's JSON). The participant wearing $2 already, */ \
	/* else the one of side $3 and number $4 without a device or with one of the same file, is reused */ \
	/* (action "reused", or "linked" when its device id is set to $2); else, when no participant has */ \
	/* that side and number, one is created ("created"); else that participant wears another unit and */ \
	/* is left as it is ("skipped"). Run after PARTICIPANT_TEAM_LOCK. */ \
	X(PARTICIPANT_FROM_TRACK, 6, \
	  "WITH found AS (SELECT p.id FROM participants p WHERE p.session_id = $1::uuid AND (p.device_id = $2" \
	  " OR ($4::text IS NOT NULL AND p.team_side IS NOT DISTINCT FROM $3::char(1) AND p.number = $4" \
	  " AND (p.device_id IS NULL OR starts_with(p.device_id, $6 || ':'))))" \
	  " ORDER BY p.device_id IS NOT DISTINCT FROM $2 DESC, p.id LIMIT 1 FOR UPDATE)," \
	  " upd AS (UPDATE participants p SET device_id = $2 FROM found WHERE p.id = found.id" \
	  " AND p.device_id IS DISTINCT FROM $2 RETURNING p.*)," \
	  " ins AS (INSERT INTO participants AS p (session_id, player, team_side, number, device_id)" \
	  " SELECT $1::uuid, $5, $3::char(1), $4, $2 WHERE NOT EXISTS (SELECT 1 FROM found) AND NOT EXISTS" \
	  " (SELECT 1 FROM participants q WHERE q.session_id = $1::uuid AND $4::text IS NOT NULL" \
	  " AND q.team_side IS NOT DISTINCT FROM $3::char(1) AND q.number = $4) RETURNING p.*)" \
	  " SELECT 'created' AS action, p.id::text AS id, " STINT_PARTICIPANT_JSON "::text AS j FROM ins p" \
	  " UNION ALL SELECT 'linked', p.id::text, " STINT_PARTICIPANT_JSON "::text FROM upd p" \
	  " UNION ALL SELECT 'reused', p.id::text, " STINT_PARTICIPANT_JSON "::text FROM participants p" \
	  " WHERE p.id IN (SELECT id FROM found) AND NOT EXISTS (SELECT 1 FROM upd)" \
	  " UNION ALL (SELECT 'skipped', p.id::text, " STINT_PARTICIPANT_JSON "::text FROM participants p" \
	  " WHERE NOT EXISTS (SELECT 1 FROM found) AND p.session_id = $1::uuid AND $4::text IS NOT NULL" \
	  " AND p.team_side IS NOT DISTINCT FROM $3::char(1) AND p.number = $4 ORDER BY p.id LIMIT 1)") \
	/* $1 session id: one team file's participants written at a time in the session (until the */ \
	/* transaction ends), so two uploads do not both create the same side and number */ \
	X(PARTICIPANT_TEAM_LOCK, 1, "SELECT pg_advisory_xact_lock(hashtextextended($1 || '/participants', 0))") \
	/* $1 session id, $2 participant id -> one cell: its id | no row when absent */ \
	X(PARTICIPANT_DELETE, 2, \
	  "DELETE FROM participants WHERE session_id = $1::uuid AND id = $2::bigint RETURNING id::text") \
	/* $1 session id -> one cell: the JSON array of its device files by device */ \
	X(DEVICE_FILE_LIST, 1, \
	  "SELECT coalesce(json_agg(" STINT_DEVICE_FILE_JSON " ORDER BY f.device_id), '[]')::text" \
	  " FROM device_files f WHERE f.session_id = $1::uuid") \
	/* $1 session id, $2 device file id -> path (under the prefix), format, original_name, storage */ \
	/* (local|s3) | no row */ \
	X(DEVICE_FILE_FILE, 2, \
	  "SELECT path, format, original_name AS name, coalesce(storage, 'local') AS storage FROM device_files" \
	  " WHERE session_id = $1::uuid" \
	  " AND id = $2::bigint") \
	/* $1 session id, $2 device id: one upload of that device at a time until the transaction ends */ \
	/* (the next DEVICE_FILE_PUT, a new statement, then sees the path the one before stored) */ \
	X(DEVICE_FILE_LOCK, 2, "SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))") \
	/* $1 session id, $2 device id, $3 path (uploads/raw/<session>/...), $4 original name, $5 format, */ \
	/* $6 size in bytes, $7 sha256 (hex), $8 samples, $9 first, $10 last sample time (epoch s), */ \
	/* $11 parse status, $12 warnings (JSON array), $13 user id, $14 storage (local|s3, NULL: local): */ \
	/* the device's file, new or replacing */ \
	/* the one before (row kept, its id too) -> id, j: its JSON, old_path: the file replaced or NULL */ \
	/* | no row when $3 is outside the session's folder; run after DEVICE_FILE_LOCK */ \
	X(DEVICE_FILE_PUT, 14, \
	  "WITH old AS (SELECT path FROM device_files WHERE session_id = $1::uuid AND device_id = $2)," \
	  " put AS (INSERT INTO device_files AS f (session_id, device_id, path, original_name, format, size_bytes," \
	  " sha256, samples, t_from, t_to, parse_status, warnings, user_id, storage)" \
	  " SELECT $1::uuid, $2, $3, $4, $5, $6::bigint, $7, $8::bigint, to_timestamp($9::float8)," \
	  " to_timestamp($10::float8), $11, $12::jsonb, nullif($13, '0')::bigint, coalesce($14, 'local')" \
	  " WHERE starts_with($3, 'uploads/raw/' || $1::uuid || '/')" \
	  " ON CONFLICT (session_id, device_id) DO UPDATE SET path = EXCLUDED.path," \
	  " original_name = EXCLUDED.original_name, format = EXCLUDED.format, size_bytes = EXCLUDED.size_bytes," \
	  " sha256 = EXCLUDED.sha256, samples = EXCLUDED.samples, t_from = EXCLUDED.t_from, t_to = EXCLUDED.t_to," \
	  " parse_status = EXCLUDED.parse_status, error = NULL, warnings = EXCLUDED.warnings," \
	  " user_id = EXCLUDED.user_id, storage = EXCLUDED.storage, uploaded_at = now()" \
	  " RETURNING f.id::text AS id, " STINT_DEVICE_FILE_JSON "::text AS j)" \
	  " SELECT put.id, put.j, (SELECT path FROM old) AS old_path FROM put") \
	/* ---- load thresholds, the settings (issue 12; lib/thresholds.c) ---- */ \
	/* -> one cell: the JSON array of every load_thresholds row (every column), by team, valid_from */ \
	X(THRESHOLDS_LIST, 0, \
	  "SELECT coalesce(json_agg(to_jsonb(t) ORDER BY t.team, t.valid_from), '[]')::text FROM load_thresholds t") \
	/* $1 a complete row (validated JSON: team, valid_from and every threshold) -> created (the row */ \
	/* is new), j: the row's JSON as stored; replaces the row of (team, valid_from) */ \
	X(THRESHOLDS_PUT, 1, \
	  "INSERT INTO load_thresholds AS t SELECT r.* FROM jsonb_populate_record(NULL::load_thresholds," \
	  " $1::jsonb || jsonb_build_object('updated_at', now())) r" \
	  " ON CONFLICT (team, valid_from) DO UPDATE SET max_speed_mps = EXCLUDED.max_speed_mps," \
	  " gap_s = EXCLUDED.gap_s, sg_window = EXCLUDED.sg_window, sg_order = EXCLUDED.sg_order," \
	  " zone1_mps = EXCLUDED.zone1_mps, zone2_mps = EXCLUDED.zone2_mps, zone3_mps = EXCLUDED.zone3_mps," \
	  " zone4_mps = EXCLUDED.zone4_mps, hsr_mps = EXCLUDED.hsr_mps, sprint_mps = EXCLUDED.sprint_mps," \
	  " sprint_min_s = EXCLUDED.sprint_min_s, accel_mps2 = EXCLUDED.accel_mps2," \
	  " effort_min_s = EXCLUDED.effort_min_s, hr_rest_bpm = EXCLUDED.hr_rest_bpm," \
	  " hr_max_bpm = EXCLUDED.hr_max_bpm, hr_zone1_pct = EXCLUDED.hr_zone1_pct," \
	  " hr_zone2_pct = EXCLUDED.hr_zone2_pct, hr_zone3_pct = EXCLUDED.hr_zone3_pct," \
	  " hr_zone4_pct = EXCLUDED.hr_zone4_pct, trimp_a = EXCLUDED.trimp_a, trimp_b = EXCLUDED.trimp_b," \
	  " wellness_flag_max = EXCLUDED.wellness_flag_max, readiness_flag_max = EXCLUDED.readiness_flag_max," \
	  " sleep_flag_h = EXCLUDED.sleep_flag_h, acute_days = EXCLUDED.acute_days," \
	  " chronic_days = EXCLUDED.chronic_days, updated_at = EXCLUDED.updated_at" \
	  " RETURNING (t.xmax = 0) AS created, to_jsonb(t)::text AS j") \
	/* $1 team, $2 valid_from (YYYY-MM-DD) -> one cell: the deleted row's JSON | no row when absent */ \
	X(THRESHOLDS_DELETE, 2, \
	  "DELETE FROM load_thresholds t WHERE t.team = $1 AND t.valid_from = $2::date RETURNING to_jsonb(t)::text") \
	/* --- resumable uploads (tus 1.0; cgi-bin/uploads.c, lib/upload.h) --- */ \
	/* $1 session id, $2 user id, $3 kind, $4 filename, $5 title, $6 offset_sec, $7 upload_length, */ \
	/* $8 hours until it expires -> id | no row when the session is gone */ \
	X(UPLOAD_CREATE, 8, \
	  "INSERT INTO uploads (session_id, user_id, kind, filename, title, offset_sec, upload_length, expires_at)" \
	  " SELECT s.id, $2::bigint, $3, $4, $5, $6::float8, $7::bigint, now() + make_interval(hours => $8::int)" \
	  " FROM sessions s WHERE s.id = $1::uuid AND s.deleted_at IS NULL RETURNING id::text") \
	/* $1 session id, $2 upload id, $3 user id -> kind, filename, title, offset_sec, upload_length, */ \
	/* upload_offset, expires (RFC 7231 date), finished ('t' | 'f'), clip_id ('' when none) */ \
	/* | no row when absent, expired or another user's */ \
	X(UPLOAD_GET, 3, \
	  "SELECT kind, filename, title, offset_sec::text, upload_length::text, upload_offset::text," \
	  " to_char(expires_at AT TIME ZONE 'UTC', 'Dy, DD Mon YYYY HH24:MI:SS \"GMT\"') AS expires," \
	  " finished_at IS NOT NULL AS finished, coalesce(clip_id::text, '') AS clip_id" \
	  " FROM uploads WHERE session_id = $1::uuid AND id = $2::uuid AND user_id = $3::bigint AND expires_at > now()") \
	/* As UPLOAD_GET, the row locked until the end of the transaction (one PATCH at a time) */ \
	X(UPLOAD_LOCK, 3, \
	  "SELECT kind, filename, title, offset_sec::text, upload_length::text, upload_offset::text," \
	  " to_char(expires_at AT TIME ZONE 'UTC', 'Dy, DD Mon YYYY HH24:MI:SS \"GMT\"') AS expires," \
	  " finished_at IS NOT NULL AS finished, coalesce(clip_id::text, '') AS clip_id" \
	  " FROM uploads WHERE session_id = $1::uuid AND id = $2::uuid AND user_id = $3::bigint AND expires_at > now()" \
	  " FOR UPDATE") \
	/* $1 upload id, $2 the clip it made, $3 hours the record is kept -> no rows */ \
	X(UPLOAD_FINISH, 3, \
	  "UPDATE uploads SET upload_offset = upload_length, finished_at = now(), clip_id = $2::bigint," \
	  " updated_at = now(), expires_at = now() + make_interval(hours => $3::int) WHERE id = $1::uuid") \
	/* $1 upload id, $2 new upload_offset, $3 hours until it expires -> expires (RFC 7231 date) */ \
	X(UPLOAD_ADVANCE, 3, \
	  "UPDATE uploads SET upload_offset = $2::bigint, updated_at = now()," \
	  " expires_at = now() + make_interval(hours => $3::int) WHERE id = $1::uuid" \
	  " RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'Dy, DD Mon YYYY HH24:MI:SS \"GMT\"')") \
	/* $1 session id, $2 upload id, $3 user id -> id | no row when absent or another user's */ \
	X(UPLOAD_DELETE, 3, \
	  "DELETE FROM uploads WHERE session_id = $1::uuid AND id = $2::uuid AND user_id = $3::bigint RETURNING id::text") \
	/* $1 the most rows -> id, one row per removed upload past its expires_at, oldest first */ \
	X(UPLOAD_SWEEP, 1, \
	  "WITH old AS (SELECT id FROM uploads WHERE expires_at <= now() ORDER BY expires_at LIMIT $1::int" \
	  " FOR UPDATE SKIP LOCKED) DELETE FROM uploads u USING old WHERE u.id = old.id RETURNING u.id::text") \
	/* $1 session id -> one cell: what the match state derives from (lib/matchstate.h): */ \
	/* {"match_rules": meta.match_rules, "lineups": meta.lineups, "events": [{id, t_sec, event_type, */ \
	/* actor_team, actor_number, evaluation (payload.evaluation, for lib/vbstats.h), payload: only */ \
	/* the keys the match state reads, of the types that carry them}] in timeline order */ \
	/* (t_sec, id)} | no row when there is no such session */ \
	X(MATCH_STATE_INPUT, 1, \
	  "SELECT json_build_object('match_rules', s.meta->'match_rules', 'lineups', s.meta->'lineups'," \
	  " 'events', coalesce((SELECT json_agg(json_build_object('id', e.id, 't_sec', e.t_sec," \
	  " 'event_type', e.event_type, 'actor_team', e.actor_team, 'actor_number', e.actor_number," \
	  " 'evaluation', e.payload->'evaluation'," \
	  " 'payload', CASE WHEN e.event_type IN ('point', 'substitution', 'lineup', 'setter_assignment'," \
	  " 'setter_position') THEN jsonb_strip_nulls(jsonb_build_object('point_won_by', e.payload->'point_won_by'," \
	  " 'player_out', e.payload->'player_out', 'player_in', e.payload->'player_in', 'lineup', e.payload->'lineup'," \
	  " 'home_rotation', e.payload->'home_rotation', 'visiting_rotation', e.payload->'visiting_rotation'," \
	  " 'setter_position', e.payload->'setter_position', 'players', e.payload->'players'," \
	  " 'setter', e.payload->'setter', 'set', e.payload->'set')) ELSE '{}' END) ORDER BY e.t_sec, e.id)" \
	  " FROM events e WHERE e.session_id = s.id), '[]'))::text FROM sessions s WHERE s.id = $1::uuid") \
	/* $1 session id, $2 set (text), $3 team (A|B), $4 the line-up as a JSON object {set, team, players, */ \
	/* setter}: meta.lineups keeps one line-up per set and team, this one replacing any before */ \
	/* -> one cell: the session id | no row when absent */ \
	X(SESSION_LINEUP_PUT, 4, \
	  "UPDATE sessions SET meta = jsonb_set(coalesce(meta, '{}'), '{lineups}', coalesce((SELECT jsonb_agg(l)" \
	  " FROM jsonb_array_elements(CASE WHEN jsonb_typeof(meta->'lineups') = 'array' THEN meta->'lineups'" \
	  " ELSE '[]' END) l WHERE NOT (l->>'set' = $2 AND l->>'team' = $3)), '[]') || jsonb_build_array($4::jsonb))," \
	  " updated_at = now() WHERE id = $1::uuid RETURNING id::text") \
	/* $1 session id, $2 the match rules (a validated JSON object, lib/matchstate.h) -> one cell: */ \
	/* the session id | no row when absent */ \
	X(SESSION_RULES_PUT, 2, \
	  "UPDATE sessions SET meta = jsonb_set(coalesce(meta, '{}'), '{match_rules}', $2::jsonb)" \
	  " WHERE id = $1::uuid RETURNING id::text") \
	/* $1 session id -> one cell: what the match report, charts and spreadsheet exports read */ \
	/* (lib/matchreport.h): {"session": {id, title, venue, starts_at, match: meta.match, sets: meta.sets}, */ \
	/* "match_rules", "lineups", "teams": [{side, name, roster: [{number, player_name}]}], "events": [{id, */ \
	/* t_sec, event_type, actor_team, actor_number, evaluation, payload (whole), source}] in timeline */ \
	/* order (t_sec, id)} | no row when there is no such session */ \
	X(MATCH_REPORT_INPUT, 1, \
	  "SELECT json_build_object('session', json_build_object('id', s.id, 'title', s.title, 'venue', s.venue," \
	  " 'starts_at', s.starts_at, 'match', s.meta->'match', 'sets', s.meta->'sets')," \
	  " 'match_rules', s.meta->'match_rules', 'lineups', s.meta->'lineups', 'teams', coalesce((" \
	  "SELECT json_agg(json_build_object('side', t.side, 'name', t.name, 'roster', coalesce((" \
	  "SELECT json_agg(json_build_object('number', r.number, 'player_name', r.player_name)" \
	  " ORDER BY r.number::int, r.number) FROM roster r WHERE r.session_id = t.session_id AND r.side = t.side)," \
	  " '[]')) ORDER BY t.side) FROM teams t WHERE t.session_id = s.id), '[]')," \
	  " 'events', coalesce((SELECT json_agg(json_build_object('id', e.id, 't_sec', e.t_sec," \
	  " 'event_type', e.event_type, 'actor_team', e.actor_team, 'actor_number', e.actor_number," \
	  " 'evaluation', e.payload->'evaluation', 'payload', e.payload, 'source', e.source) ORDER BY e.t_sec, e.id)" \
	  " FROM events e WHERE e.session_id = s.id), '[]'))::text FROM sessions s WHERE s.id = $1::uuid") \
	/* the season view (lib/season.h): a session's row as it reads it: id, grant (stint_session_access), */ \
	/* day (its starts_at, else created_at, RFC 3339 UTC), title, team_a, team_b (names or NULL), */ \
	/* rules and lineups (meta.match_rules, meta.lineups as JSON text or NULL), roster (JSON */ \
	/* {"A-7": name, ...}) */ \
	/* $1 session ids (text, comma separated uuids), $2 user id -> the rows of the sessions that exist, */ \
	/* by date */ \
	X(SEASON_PICK, 2, \
	  "SELECT" STINT_SEASON_FIELDS ", stint_session_access(s.id, $2::bigint, false) AS grant" \
	  " FROM sessions s WHERE s.id = ANY (string_to_array($1, ',')::uuid[]) ORDER BY at, s.id") \
	/* $1 team name (either side, case-insensitive), $2 from, $3 to (RFC 3339 or YYYY-MM-DD: a whole */ \
	/* day; NULL: open), $4 user id, $5 limit -> the rows of the sessions the user may view, by date */ \
	X(SEASON_FIND, 5, \
	  "SELECT * FROM (SELECT" STINT_SEASON_FIELDS ", 'view' AS grant FROM sessions s" \
	  " WHERE EXISTS (SELECT 1 FROM teams t WHERE t.session_id = s.id AND lower(t.name) = lower($1))" \
	  " AND stint_session_access(s.id, $4::bigint, false) IN ('edit', 'view')) x" \
	  " WHERE ($2::text IS NULL OR x.at >= CASE WHEN length($2) = 10 THEN ($2 || 'T00:00:00Z')::timestamptz" \
	  " ELSE $2::timestamptz END)" \
	  " AND ($3::text IS NULL OR CASE WHEN length($3) = 10 THEN x.at < ($3 || 'T00:00:00Z')::timestamptz" \
	  " + interval '1 day' ELSE x.at <= $3::timestamptz END) ORDER BY x.at, x.id LIMIT $5::int") \
	/* $1 session ids (text, comma separated uuids) -> a row per session: n (its place in $1, from 1), */ \
	/* events (NULL when none): its events in timeline order as MATCH_STATE_INPUT, separated by */ \
	/* chr(30), each six fields separated by chr(31), '' for none: event_type, actor_team, */ \
	/* actor_number, evaluation (payload.evaluation as JSON text, of the actions lib/vbstats.h */ \
	/* counts: nothing else reads it), point_won_by (a point's payload.point_won_by when "A" or "B", */ \
	/* the point has no actor_team, which it stands for, and its payload is no line-up), payload */ \
	/* (MATCH_STATE_INPUT's payload as JSON text where it holds more than point_won_by: */ \
	/* substitutions, line-ups, lines with "lineup"). One statement for every session of a season; */ \
	/* a text per session, as 41,000 rows cost more to send than to read (JSON text escapes the */ \
	/* control characters, event types and shirt numbers cannot hold them) */ \
	X(SEASON_EVENTS, 1, \
	  "SELECT s.n, x.events FROM unnest(string_to_array($1, ',')::uuid[]) WITH ORDINALITY s (id, n)" \
	  " CROSS JOIN LATERAL (SELECT string_agg(e.event_type || chr(31) || coalesce(e.actor_team, '') || chr(31)" \
	  " || coalesce(e.actor_number, '') || chr(31)" \
	  " || coalesce(CASE WHEN e.event_type IN ('serve', 'reception', 'attack', 'block', 'dig')" \
	  " THEN (e.payload->'evaluation')::text END, '') || chr(31)" \
	  " || coalesce(CASE WHEN e.event_type = 'point' AND e.actor_team IS NULL" \
	  " AND e.payload->>'point_won_by' IN ('A', 'B') AND NOT e.payload ? 'lineup'" \
	  " THEN e.payload->>'point_won_by' END, '') || chr(31)" \
	  " || coalesce(CASE WHEN e.event_type IN ('substitution', 'lineup') OR (e.event_type IN ('point'," \
	  " 'setter_assignment', 'setter_position') AND e.payload ? 'lineup')" \
	  " THEN jsonb_strip_nulls(jsonb_build_object('point_won_by', e.payload->'point_won_by'," \
	  " 'player_out', e.payload->'player_out', 'player_in', e.payload->'player_in', 'lineup', e.payload->'lineup'," \
	  " 'home_rotation', e.payload->'home_rotation', 'visiting_rotation', e.payload->'visiting_rotation'," \
	  " 'setter_position', e.payload->'setter_position', 'players', e.payload->'players'," \
	  " 'setter', e.payload->'setter', 'set', e.payload->'set'))::text END, ''), chr(30) ORDER BY e.t_sec, e.id)" \
	  " AS events FROM events e WHERE e.session_id = s.id) x ORDER BY s.n") \
	/* the season page's choices: $1 user id, $2 limit -> one cell: the JSON array of the matches */ \
	/* (kind 'match') the user may view, newest first, [{id, title, day, at, team_a, team_b}] */ \
	X(SEASON_CHOICES, 2, \
	  "SELECT coalesce(json_agg(json_build_object('id', x.id, 'title', x.title, 'day', x.day," \
	  " 'at', extract(epoch FROM x.at), 'team_a', x.team_a, 'team_b', x.team_b) ORDER BY x.at DESC, x.id), '[]')::text" \
	  " FROM (SELECT" STINT_SEASON_FIELDS " FROM sessions s WHERE s.kind = 'match'" \
	  " AND stint_session_access(s.id, $1::bigint, false) IN ('edit', 'view')" \
	  " ORDER BY coalesce(s.starts_at, s.created_at) DESC, s.id LIMIT $2::int) x") \
	/* /metrics (cgi-bin/health.c) -> rows kind ('tasks' | 'live'), task type, status, count */ \
	X(METRICS_DB, 0, \
	  "SELECT 'tasks' AS kind, task_type, status, count(*)::text AS n FROM tasks GROUP BY task_type, status" \
	  " UNION ALL SELECT 'live', '', '', count(*)::text FROM live_messages WHERE published_at IS NULL") \
	/* user id, action, target type, target id, detail (JSON) */ \
	X(AUDIT, 5, \
	  "INSERT INTO audit_log (user_id, action, target_type, target_id, detail)" \
	  " VALUES (nullif($1, '0')::bigint, $2, $3, $4, coalesce($5::jsonb, '{}'))")

typedef enum stint_sql {
#define STINT_SQL_ENUM(id, n, text) STINT_SQL_##id,
	STINT_SQL_CATALOGUE(STINT_SQL_ENUM)
#undef STINT_SQL_ENUM
	STINT_SQL__COUNT
} stint_sql;

#endif
