-- The timeline: events, clips and artifacts as JSON, rollups and KPIs.

-- A shirt number sent in JSON as the text it is stored as (events.actor_number,
-- roster.number: 1 to 3 digits, issue 14): a string as sent ("00" stays
-- "00"), an integer as its decimal text (7 -> "7"); NULL for null or absent.
-- The caller validated it (lib/validate.c, STINT_F_SHIRT); the columns'
-- checks refuse anything else.
CREATE OR REPLACE FUNCTION stint_shirt(j jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE jsonb_typeof(j) WHEN 'number' THEN (j::numeric)::integer::text
		WHEN 'string' THEN j #>> '{}' END
$$;

-- The API's JSON for one event.
CREATE OR REPLACE FUNCTION stint_event_json(e events) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', e.id, 'session_id', e.session_id, 'clip_id', e.clip_id,
		't_sec', e.t_sec, 'event_type', e.event_type, 'actor_team', e.actor_team,
		'actor_number', e.actor_number, 'payload', e.payload, 'source', e.source,
		'created_at', e.created_at)
$$;

CREATE OR REPLACE FUNCTION stint_clip_json(c clips) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', c.id, 'session_id', c.session_id, 'kind', c.kind,
		'title', c.title, 'uri', c.uri, 'path', c.path, 'content_type', c.content_type,
		'size_bytes', c.size_bytes, 'duration_sec', c.duration_sec, 'offset_sec', c.offset_sec,
		'meta', c.meta, 'created_at', c.created_at,
		'media_url', CASE WHEN c.path IS NOT NULL
			THEN '/media/sessions/' || c.session_id || '/clips/' || c.id END)
$$;

CREATE OR REPLACE FUNCTION stint_artifact_json(a artifacts) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', a.id, 'session_id', a.session_id, 'type', a.type,
		'name', a.name, 'content_type', a.content_type, 'size_bytes', a.size_bytes,
		'clip_id', a.clip_id, 'meta', a.meta, 'created_at', a.created_at,
		'download_url', '/media/sessions/' || a.session_id || '/artifacts/' || a.id)
$$;

-- Recompute a session's rollups from its events (must give the same rows).
CREATE OR REPLACE FUNCTION stint_rollup_rebuild(sid uuid) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	PERFORM 1 FROM sessions WHERE id = sid FOR UPDATE;
	DELETE FROM rollups WHERE session_id = sid;
	DELETE FROM rollup_evaluations WHERE session_id = sid;
	INSERT INTO rollups (session_id, team_side, number, event_type, count)
		SELECT session_id, actor_team, actor_number, event_type, count(*)
		FROM events WHERE session_id = sid GROUP BY 1, 2, 3, 4;
	GET DIAGNOSTICS n = ROW_COUNT;
	INSERT INTO rollup_evaluations (session_id, team_side, number, event_type, evaluation, count)
		SELECT session_id, actor_team, actor_number, event_type, payload->>'evaluation', count(*)
		FROM events WHERE session_id = sid AND payload ? 'evaluation'
		  AND jsonb_typeof(payload->'evaluation') = 'string'
		GROUP BY 1, 2, 3, 4, 5;
	RETURN n;
END $$;

-- Shirt numbers (text) sort as people read them: by value ("9" before "10"),
-- then as written ("0" before "00").
-- Rollup rows and volleyball KPIs (openvolley volleyreport definitions):
-- attack kill% = kills / attempts; efficiency = (kills - errors - blocked) /
-- attempts with kill '#', error '=', blocked '/'; serve ace% '#' and error% '='
-- of serves; reception positive% ('#' or '+') and perfect% ('#').
CREATE OR REPLACE FUNCTION stint_rollup_json(sid uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
	WITH totals AS (
		SELECT team_side AS team, number, event_type, count AS n, NULL::text AS ev
		FROM rollups WHERE session_id = sid AND team_side IS NOT NULL
		  AND event_type IN ('attack', 'serve', 'reception')
		UNION ALL
		SELECT team_side, number, event_type, count, evaluation
		FROM rollup_evaluations WHERE session_id = sid AND team_side IS NOT NULL
		  AND event_type IN ('attack', 'serve', 'reception')),
	per AS (
		SELECT team, number, GROUPING(number) AS is_team,
			coalesce(sum(n) FILTER (WHERE event_type = 'attack' AND ev IS NULL), 0) AS att,
			coalesce(sum(n) FILTER (WHERE event_type = 'attack' AND ev = '#'), 0) AS att_kill,
			coalesce(sum(n) FILTER (WHERE event_type = 'attack' AND ev = '='), 0) AS att_err,
			coalesce(sum(n) FILTER (WHERE event_type = 'attack' AND ev = '/'), 0) AS att_blocked,
			coalesce(sum(n) FILTER (WHERE event_type = 'serve' AND ev IS NULL), 0) AS srv,
			coalesce(sum(n) FILTER (WHERE event_type = 'serve' AND ev = '#'), 0) AS srv_ace,
			coalesce(sum(n) FILTER (WHERE event_type = 'serve' AND ev = '='), 0) AS srv_err,
			coalesce(sum(n) FILTER (WHERE event_type = 'reception' AND ev IS NULL), 0) AS rec,
			coalesce(sum(n) FILTER (WHERE event_type = 'reception' AND ev IN ('#', '+')), 0) AS rec_pos,
			coalesce(sum(n) FILTER (WHERE event_type = 'reception' AND ev = '#'), 0) AS rec_perf
		FROM totals GROUP BY GROUPING SETS ((team, number), (team))),
	kpi AS (
		SELECT team, number, is_team, jsonb_build_object(
			'team_side', team, 'number', number,
			'attack_attempts', att, 'attack_kills', att_kill, 'attack_errors', att_err,
			'attack_blocked', att_blocked,
			'attack_kill_pct', round(100.0 * att_kill / nullif(att, 0), 1),
			'attack_efficiency', round((att_kill - att_err - att_blocked)::numeric / nullif(att, 0), 3),
			'serves', srv, 'serve_aces', srv_ace, 'serve_errors', srv_err,
			'serve_ace_pct', round(100.0 * srv_ace / nullif(srv, 0), 1),
			'serve_error_pct', round(100.0 * srv_err / nullif(srv, 0), 1),
			'receptions', rec,
			'reception_positive_pct', round(100.0 * rec_pos / nullif(rec, 0), 1),
			'reception_perfect_pct', round(100.0 * rec_perf / nullif(rec, 0), 1)) AS j
		FROM per)
	SELECT jsonb_build_object(
		'rows', coalesce((SELECT jsonb_agg(jsonb_build_object('team_side', team_side,
			'number', number, 'event_type', event_type, 'count', count)
			ORDER BY team_side NULLS LAST, number::integer NULLS FIRST, number, event_type)
			FROM rollups WHERE session_id = sid), '[]'),
		'players', coalesce((SELECT jsonb_agg(j || jsonb_build_object('player_name', r.player_name)
			ORDER BY k.team, k.number::integer, k.number)
			FROM kpi k LEFT JOIN roster r ON r.session_id = sid AND r.side = k.team AND r.number = k.number
			WHERE k.is_team = 0 AND k.number IS NOT NULL), '[]'),
		'teams', coalesce((SELECT jsonb_agg(j - 'number' ORDER BY team)
			FROM kpi WHERE is_team = 1), '[]'))
$$;
