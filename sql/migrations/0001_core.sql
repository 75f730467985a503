-- 0001_core: users (owners), sports sessions with teams and rosters, and
-- backups of deleted sessions. Names follow ARCHITECTURE.md's data model.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
	id bigserial PRIMARY KEY,
	email text NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
	name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
	role text NOT NULL CHECK (role IN ('admin', 'coach', 'analyst', 'viewer')),
	password_hash text,
	disabled_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	kind text NOT NULL DEFAULT 'other'
		CHECK (kind IN ('match', 'training', 'climb', 'dj_set', 'other')),
	venue text NOT NULL DEFAULT '' CHECK (length(venue) <= 200),
	status text NOT NULL DEFAULT 'planned'
		CHECK (status IN ('planned', 'live', 'completed', 'abandoned')),
	starts_at timestamptz,
	ends_at timestamptz,
	owner_id bigint REFERENCES users (id) ON DELETE SET NULL,
	meta jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(meta) = 'object'),
	data jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
	processing_status text NOT NULL DEFAULT 'pending'
		CHECK (processing_status IN ('pending', 'queued', 'processing', 'completed', 'failed')),
	report_url text,
	last_processed_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	CONSTRAINT sessions_time_order CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at)
);
CREATE INDEX sessions_listing_idx ON sessions ((coalesce(starts_at, created_at)) DESC, id);
CREATE INDEX sessions_search_idx ON sessions USING gin ((title || ' ' || venue) gin_trgm_ops);

CREATE TABLE teams (
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	side char(1) NOT NULL CHECK (side IN ('A', 'B')),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	PRIMARY KEY (session_id, side)
);

CREATE TABLE roster (
	session_id uuid NOT NULL,
	side char(1) NOT NULL,
	number integer NOT NULL CHECK (number BETWEEN 0 AND 999),
	player_name text NOT NULL CHECK (length(player_name) <= 200),
	role text NOT NULL DEFAULT '' CHECK (length(role) <= 50),
	PRIMARY KEY (session_id, side, number),
	FOREIGN KEY (session_id, side) REFERENCES teams (session_id, side) ON DELETE CASCADE
);

CREATE TABLE backups (
	id bigserial PRIMARY KEY,
	session_id uuid NOT NULL,
	title text NOT NULL,
	data jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	restored_at timestamptz
);
CREATE INDEX backups_session_idx ON backups (session_id, id DESC);

CREATE FUNCTION stint_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END $$;
CREATE TRIGGER sessions_touch BEFORE UPDATE ON sessions
	FOR EACH ROW EXECUTE FUNCTION stint_touch_updated_at();

-- Escape LIKE metacharacters so user text matches literally.
CREATE FUNCTION stint_like_escape(q text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_')
$$;

-- The API's JSON for one session row (lists and details share it).
CREATE FUNCTION stint_session_json(s sessions) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'id', s.id, 'title', s.title, 'kind', s.kind, 'venue', s.venue,
		'status', s.status, 'starts_at', s.starts_at, 'ends_at', s.ends_at,
		'owner_id', s.owner_id, 'meta', s.meta, 'data', s.data,
		'processing_status', s.processing_status, 'report_url', s.report_url,
		'last_processed_at', s.last_processed_at,
		'created_at', s.created_at, 'updated_at', s.updated_at)
$$;

-- Details: the row plus its teams with their rosters.
CREATE FUNCTION stint_session_detail_json(sid uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT stint_session_json(s) || jsonb_build_object('teams', coalesce((
		SELECT jsonb_agg(jsonb_build_object('side', t.side, 'name', t.name,
			'roster', coalesce((SELECT jsonb_agg(jsonb_build_object(
				'number', r.number, 'player_name', r.player_name, 'role', r.role)
				ORDER BY r.number)
			FROM roster r WHERE r.session_id = t.session_id AND r.side = t.side), '[]'))
			ORDER BY t.side)
		FROM teams t WHERE t.session_id = s.id), '[]'))
	FROM sessions s WHERE s.id = sid
$$;

-- Everything that belongs to a session, as one JSON document. A later
-- migration that adds a session's tables renames this function (and
-- stint_session_restore_rows) with its version and wraps it.
CREATE FUNCTION stint_session_document(sid uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'version', 1,
		'session', to_jsonb(s),
		'teams', coalesce((SELECT jsonb_agg(to_jsonb(t)) FROM teams t WHERE t.session_id = sid), '[]'),
		'roster', coalesce((SELECT jsonb_agg(to_jsonb(r)) FROM roster r WHERE r.session_id = sid), '[]'))
	FROM sessions s WHERE s.id = sid
$$;

-- Archive a session whole in backups, then remove it. Returns the backup id,
-- or NULL when there is no such session.
CREATE FUNCTION stint_session_archive(sid uuid) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	doc jsonb;
	bid bigint;
BEGIN
	PERFORM 1 FROM sessions WHERE id = sid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	doc := stint_session_document(sid);
	INSERT INTO backups (session_id, title, data)
		VALUES (sid, doc->'session'->>'title', doc) RETURNING id INTO bid;
	DELETE FROM sessions WHERE id = sid;
	RETURN bid;
END $$;

-- Put back the rows of the newest unrestored backup of a session. Returns
-- false when there is none; raises unique_violation if the id is in use.
CREATE FUNCTION stint_session_restore_rows(doc jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sessions SELECT * FROM jsonb_populate_record(NULL::sessions, doc->'session');
	INSERT INTO teams SELECT * FROM jsonb_populate_recordset(NULL::teams, doc->'teams');
	INSERT INTO roster SELECT * FROM jsonb_populate_recordset(NULL::roster, doc->'roster');
END $$;

CREATE FUNCTION stint_session_restore(sid uuid) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	b backups;
BEGIN
	SELECT * INTO b FROM backups WHERE session_id = sid AND restored_at IS NULL
		ORDER BY id DESC LIMIT 1 FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF b.data->'session'->>'owner_id' IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM users WHERE id = (b.data->'session'->>'owner_id')::bigint) THEN
		b.data := jsonb_set(b.data, '{session,owner_id}', 'null');
	END IF;
	PERFORM stint_session_restore_rows(b.data);
	UPDATE backups SET restored_at = now() WHERE id = b.id;
	RETURN true;
END $$;
