-- 0003_timeline: clips, events, exact rollups, artifacts, idempotent batches.

CREATE TABLE clips (
	id bigserial PRIMARY KEY,
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('video', 'audio')),
	title text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
	uri text,                 -- an outside reference (https://, s3://), or
	path text,                -- a file under the media folder (relative)
	content_type text,
	size_bytes bigint,
	duration_sec double precision CHECK (duration_sec IS NULL OR duration_sec >= 0),
	offset_sec double precision NOT NULL DEFAULT 0,
	meta jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(meta) = 'object'),
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (id, session_id),
	CHECK ((uri IS NULL) <> (path IS NULL))
);
CREATE INDEX clips_session_idx ON clips (session_id, offset_sec);

CREATE TABLE events (
	id bigserial PRIMARY KEY,
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	clip_id bigint,
	t_sec double precision NOT NULL CHECK (t_sec >= 0),
	event_type text NOT NULL CHECK (event_type ~ '^[a-z][a-z0-9_]{0,39}$'),
	actor_team char(1) CHECK (actor_team IN ('A', 'B')),
	actor_number integer CHECK (actor_number BETWEEN 0 AND 999),
	payload jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
	source text NOT NULL DEFAULT 'manual' CHECK (source ~ '^(manual|import:[a-z0-9]+|plugin:[a-z0-9_-]+)$'),
	created_at timestamptz NOT NULL DEFAULT now(),
	-- an event's clip belongs to the same session
	FOREIGN KEY (clip_id, session_id) REFERENCES clips (id, session_id) ON DELETE SET NULL (clip_id)
);
CREATE INDEX events_session_time_idx ON events (session_id, t_sec, id);
CREATE INDEX events_session_type_idx ON events (session_id, event_type);

-- Per-player counts, kept exact in the transaction of every change to events
-- (statement triggers below). No player: number NULL; no team: team_side NULL.
CREATE TABLE rollups (
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	team_side char(1),
	number integer,
	event_type text NOT NULL,
	count bigint NOT NULL CHECK (count > 0)
);
CREATE UNIQUE INDEX rollups_key ON rollups (session_id, team_side, number, event_type) NULLS NOT DISTINCT;

-- The same counts split by evaluation (payload.evaluation, DataVolley's
-- # + ! - / =), kept the same way: the KPIs are computed from these small
-- rows instead of scanning every event of a session.
CREATE TABLE rollup_evaluations (
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	team_side char(1),
	number integer,
	event_type text NOT NULL,
	evaluation text NOT NULL,
	count bigint NOT NULL CHECK (count > 0)
);
CREATE UNIQUE INDEX rollup_evaluations_key
	ON rollup_evaluations (session_id, team_side, number, event_type, evaluation) NULLS NOT DISTINCT;

CREATE FUNCTION stint_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO rollups AS r (session_id, team_side, number, event_type, count)
		SELECT session_id, actor_team, actor_number, event_type, count(*)
		FROM new_rows GROUP BY 1, 2, 3, 4
	ON CONFLICT (session_id, team_side, number, event_type)
		DO UPDATE SET count = r.count + EXCLUDED.count;
	INSERT INTO rollup_evaluations AS r (session_id, team_side, number, event_type, evaluation, count)
		SELECT session_id, actor_team, actor_number, event_type, payload->>'evaluation', count(*)
		FROM new_rows WHERE payload ? 'evaluation' AND jsonb_typeof(payload->'evaluation') = 'string'
		GROUP BY 1, 2, 3, 4, 5
	ON CONFLICT (session_id, team_side, number, event_type, evaluation)
		DO UPDATE SET count = r.count + EXCLUDED.count;
	RETURN NULL;
END $$;

CREATE FUNCTION stint_rollup_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- one statement, one snapshot: rows that drop to zero are deleted, the
	-- others decremented (disjoint sets of rows)
	WITH gone AS (
		SELECT session_id, actor_team, actor_number, event_type, count(*) AS n
		FROM old_rows GROUP BY 1, 2, 3, 4),
	dropped AS (
		DELETE FROM rollups r USING gone g
		WHERE r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
		  AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type
		  AND r.count <= g.n)
	UPDATE rollups r SET count = r.count - g.n FROM gone g
	WHERE r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
	  AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type
	  AND r.count > g.n;
	WITH gone AS (
		SELECT session_id, actor_team, actor_number, event_type, payload->>'evaluation' AS ev, count(*) AS n
		FROM old_rows WHERE payload ? 'evaluation' AND jsonb_typeof(payload->'evaluation') = 'string'
		GROUP BY 1, 2, 3, 4, 5),
	dropped AS (
		DELETE FROM rollup_evaluations r USING gone g
		WHERE r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
		  AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type
		  AND r.evaluation = g.ev AND r.count <= g.n)
	UPDATE rollup_evaluations r SET count = r.count - g.n FROM gone g
	WHERE r.session_id = g.session_id AND r.team_side IS NOT DISTINCT FROM g.actor_team
	  AND r.number IS NOT DISTINCT FROM g.actor_number AND r.event_type = g.event_type
	  AND r.evaluation = g.ev AND r.count > g.n;
	RETURN NULL;
END $$;

CREATE TRIGGER events_rollup_insert AFTER INSERT ON events
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stint_rollup_add();
CREATE TRIGGER events_rollup_delete AFTER DELETE ON events
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stint_rollup_remove();
CREATE TRIGGER events_rollup_update_old AFTER UPDATE ON events
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stint_rollup_remove();
CREATE TRIGGER events_rollup_update_new AFTER UPDATE ON events
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stint_rollup_add();

-- Recompute a session's rollups from its events (must give the same rows).
CREATE FUNCTION stint_rollup_rebuild(sid uuid) RETURNS bigint LANGUAGE plpgsql AS $$
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

CREATE TABLE artifacts (
	id bigserial PRIMARY KEY,
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	type text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_]{0,39}$'),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	path text NOT NULL,        -- relative to the var folder
	content_type text NOT NULL DEFAULT 'application/octet-stream',
	size_bytes bigint NOT NULL DEFAULT 0,
	meta jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(meta) = 'object'),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX artifacts_session_idx ON artifacts (session_id, id);

-- A batch POST with an Idempotency-Key is stored once: a retry with the same
-- key and body gets the first answer again.
CREATE TABLE idempotency_keys (
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
	request_sha256 text NOT NULL,
	status integer,
	response text,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (session_id, key)
);

-- One CSV field (RFC 4180): quoted when it holds a comma, quote or line end.
CREATE FUNCTION stint_csv_field(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN v IS NULL THEN ''
		WHEN v ~ '[",\r\n]' THEN '"' || replace(v, '"', '""') || '"'
		ELSE v END
$$;

-- The API's JSON for one event.
CREATE FUNCTION stint_event_json(e events) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', e.id, 'session_id', e.session_id, 'clip_id', e.clip_id,
		't_sec', e.t_sec, 'event_type', e.event_type, 'actor_team', e.actor_team,
		'actor_number', e.actor_number, 'payload', e.payload, 'source', e.source,
		'created_at', e.created_at)
$$;

CREATE FUNCTION stint_clip_json(c clips) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', c.id, 'session_id', c.session_id, 'kind', c.kind,
		'title', c.title, 'uri', c.uri, 'path', c.path, 'content_type', c.content_type,
		'size_bytes', c.size_bytes, 'duration_sec', c.duration_sec, 'offset_sec', c.offset_sec,
		'meta', c.meta, 'created_at', c.created_at,
		'media_url', CASE WHEN c.path IS NOT NULL
			THEN '/media/sessions/' || c.session_id || '/clips/' || c.id END)
$$;

CREATE FUNCTION stint_artifact_json(a artifacts) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', a.id, 'session_id', a.session_id, 'type', a.type,
		'name', a.name, 'content_type', a.content_type, 'size_bytes', a.size_bytes,
		'meta', a.meta, 'created_at', a.created_at,
		'download_url', '/media/sessions/' || a.session_id || '/artifacts/' || a.id)
$$;

-- Rollup rows and volleyball KPIs (openvolley volleyreport definitions):
-- attack kill% = kills / attempts; efficiency = (kills - errors - blocked) /
-- attempts with kill '#', error '=', blocked '/'; serve ace% '#' and error% '='
-- of serves; reception positive% ('#' or '+') and perfect% ('#').
CREATE FUNCTION stint_rollup_json(sid uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
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
			ORDER BY team_side NULLS LAST, number NULLS FIRST, event_type)
			FROM rollups WHERE session_id = sid), '[]'),
		'players', coalesce((SELECT jsonb_agg(j || jsonb_build_object('player_name', r.player_name)
			ORDER BY k.team, k.number)
			FROM kpi k LEFT JOIN roster r ON r.session_id = sid AND r.side = k.team AND r.number = k.number
			WHERE k.is_team = 0 AND k.number IS NOT NULL), '[]'),
		'teams', coalesce((SELECT jsonb_agg(j - 'number' ORDER BY team)
			FROM kpi WHERE is_team = 1), '[]'))
$$;

-- Session details (teams, counts, rollup summary) are one statement in
-- lib/sql.h (SESSION_GET): written inline there, PostgreSQL plans it once per
-- connection, where a SQL function with subqueries is planned at every call.
DROP FUNCTION stint_session_detail_json(uuid);

-- Archives now hold clips, events, artifacts and shares too (rollups are
-- rebuilt by the events' triggers): version 1's document and restore, wrapped.
ALTER FUNCTION stint_session_document(uuid) RENAME TO stint_session_document_1;
CREATE FUNCTION stint_session_document(sid uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT stint_session_document_1(sid) || jsonb_build_object(
		'version', 2,
		'clips', coalesce((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.id) FROM clips c WHERE c.session_id = sid), '[]'),
		'events', coalesce((SELECT jsonb_agg(to_jsonb(e) ORDER BY e.id) FROM events e WHERE e.session_id = sid), '[]'),
		'artifacts', coalesce((SELECT jsonb_agg(to_jsonb(a) ORDER BY a.id) FROM artifacts a WHERE a.session_id = sid), '[]'),
		'shares', coalesce((SELECT jsonb_agg(to_jsonb(sh)) FROM session_shares sh WHERE sh.session_id = sid), '[]'))
$$;

ALTER FUNCTION stint_session_restore_rows(jsonb) RENAME TO stint_session_restore_rows_1;
CREATE FUNCTION stint_session_restore_rows(doc jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stint_session_restore_rows_1(doc);
	INSERT INTO clips SELECT * FROM jsonb_populate_recordset(NULL::clips, coalesce(doc->'clips', '[]'));
	INSERT INTO events SELECT * FROM jsonb_populate_recordset(NULL::events, coalesce(doc->'events', '[]'));
	INSERT INTO artifacts SELECT * FROM jsonb_populate_recordset(NULL::artifacts, coalesce(doc->'artifacts', '[]'));
	INSERT INTO session_shares SELECT sh.* FROM jsonb_populate_recordset(NULL::session_shares,
		coalesce(doc->'shares', '[]')) sh WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = sh.user_id);
END $$;
