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

-- stint_rollup_add, stint_rollup_remove: sql/functions/triggers.sql
CREATE TRIGGER events_rollup_insert AFTER INSERT ON events
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stint_rollup_add();
CREATE TRIGGER events_rollup_delete AFTER DELETE ON events
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stint_rollup_remove();
CREATE TRIGGER events_rollup_update_old AFTER UPDATE ON events
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stint_rollup_remove();
CREATE TRIGGER events_rollup_update_new AFTER UPDATE ON events
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stint_rollup_add();

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
