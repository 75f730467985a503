-- 0001_core: users (owners), sports sessions with teams and rosters, and
-- backups of deleted sessions. Names follow ARCHITECTURE.md's data model.
-- Migrations change the schema only; functions have their one current
-- definition in sql/functions/ (its README says how to change one).

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

-- stint_touch_updated_at: sql/functions/triggers.sql
CREATE TRIGGER sessions_touch BEFORE UPDATE ON sessions
	FOR EACH ROW EXECUTE FUNCTION stint_touch_updated_at();
