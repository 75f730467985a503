-- 0012_wearables: a session's participants (a player with the GPS/heart-rate
-- unit they wore and the time window that counts), the device files uploaded
-- for them, and the players' surveys (RPE and wellness) (issue 12;
-- ARCHITECTURE.md, "Data model").

CREATE TABLE participants (
	id bigserial PRIMARY KEY,
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	player text NOT NULL CHECK (length(player) BETWEEN 1 AND 200),
	team_side char(1) CHECK (team_side IN ('A', 'B')),
	number text CHECK (number ~ '^[0-9]{1,3}$'),
	device_id text CHECK (length(device_id) BETWEEN 1 AND 100),
	window_from timestamptz,          -- NULL: the session's starts_at
	window_to timestamptz,            -- NULL: the session's ends_at
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (window_to IS NULL OR window_from IS NULL OR window_to > window_from),
	UNIQUE (id, session_id)
);
CREATE INDEX participants_session_idx ON participants (session_id, player);
-- one participant per unit in a session
CREATE UNIQUE INDEX participants_device_idx ON participants (session_id, device_id) WHERE device_id IS NOT NULL;

CREATE TABLE device_files (
	id bigserial PRIMARY KEY,
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	device_id text NOT NULL CHECK (length(device_id) BETWEEN 1 AND 100),
	path text NOT NULL,               -- under the prefix: uploads/raw/<session>/<name>
	original_name text NOT NULL DEFAULT '' CHECK (length(original_name) <= 255),
	format text NOT NULL CHECK (format IN ('csv', 'gpx', 'tcx', 'fit', 'metrica', 'epts')),
	size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
	sha256 text,
	samples bigint CHECK (samples IS NULL OR samples >= 0),
	t_from timestamptz,
	t_to timestamptz,
	parse_status text NOT NULL DEFAULT 'ok' CHECK (parse_status IN ('ok', 'warning', 'error')),
	error text,                       -- with parse_status error: the line and the reason
	warnings jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(warnings) = 'array'),
	user_id bigint REFERENCES users (id) ON DELETE SET NULL,
	uploaded_at timestamptz NOT NULL DEFAULT now()
);
-- a device's file is replaced by a new upload, never doubled
CREATE UNIQUE INDEX device_files_device_idx ON device_files (session_id, device_id);

CREATE TABLE surveys (
	id bigserial PRIMARY KEY,
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	player text NOT NULL CHECK (length(player) BETWEEN 1 AND 200),
	rpe numeric(3, 1) CHECK (rpe BETWEEN 0 AND 10),                      -- CR-10
	duration_min numeric(6, 1) CHECK (duration_min IS NULL OR duration_min >= 0),
	fatigue smallint CHECK (fatigue BETWEEN 1 AND 5),
	mood smallint CHECK (mood BETWEEN 1 AND 5),
	readiness smallint CHECK (readiness BETWEEN 0 AND 10),
	sleep_duration_h numeric(4, 1) CHECK (sleep_duration_h BETWEEN 0 AND 24),
	sleep_quality smallint CHECK (sleep_quality BETWEEN 1 AND 5),
	soreness smallint CHECK (soreness BETWEEN 1 AND 5),
	stress smallint CHECK (stress BETWEEN 1 AND 5),
	answered_at timestamptz NOT NULL DEFAULT now(),
	user_id bigint REFERENCES users (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX surveys_session_idx ON surveys (session_id, player, answered_at);
CREATE INDEX surveys_player_idx ON surveys (player, answered_at);

-- stint_touch_updated_at: sql/functions/triggers.sql
CREATE TRIGGER participants_touch BEFORE UPDATE ON participants
	FOR EACH ROW EXECUTE FUNCTION stint_touch_updated_at();
