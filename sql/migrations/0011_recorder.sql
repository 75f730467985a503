-- 0011_recorder: recordings an external recorder (the session-recorder
-- project) wrote into an S3/MinIO bucket, as discovered by a sync, and a
-- sports session's link to one (issue 13; ARCHITECTURE.md, "Data model").
--
-- The bucket's layout: <recorder_id>/metadata.json ({"id","name"}) and, per
-- recording, <recorder_id>/sessions/<recording_id>/ with metadata.json,
-- data.ogg, data.flac, waveform.dat, overview.png, and chunks/ while open.

CREATE TABLE recorders (
	recorder_id text PRIMARY KEY CHECK (length(recorder_id) BETWEEN 1 AND 200),
	name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
	metadata_etag text,               -- of <recorder_id>/metadata.json, for If-None-Match
	error text,                       -- why its metadata.json could not be read, or NULL
	seen_at timestamptz NOT NULL DEFAULT now()   -- the last sync that listed it
);

CREATE TABLE recorder_sessions (
	id bigserial PRIMARY KEY,
	recorder_id text NOT NULL REFERENCES recorders (recorder_id) ON DELETE CASCADE,
	recording_id text NOT NULL CHECK (length(recording_id) BETWEEN 1 AND 200),
	name text NOT NULL DEFAULT '' CHECK (length(name) <= 500),
	start_time timestamptz,           -- NULL while its metadata is malformed
	end_time timestamptz,
	duration_ns bigint CHECK (duration_ns IS NULL OR duration_ns >= 0),
	is_closed boolean NOT NULL DEFAULT false,
	keep boolean NOT NULL DEFAULT false,
	-- the object keys found under its prefix: {"ogg","flac","waveform","overview","metadata"} -> key
	object_keys jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(object_keys) = 'object'),
	metadata jsonb,                   -- its metadata.json as read, or NULL
	metadata_etag text,               -- for If-None-Match on the next sync
	error text,                       -- a malformed metadata.json: why; NULL when read
	deleted_at timestamptz,           -- gone from the bucket (kept while a session links it)
	discovered_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (recorder_id, recording_id)
);
CREATE INDEX recorder_sessions_start_idx ON recorder_sessions (start_time) WHERE deleted_at IS NULL;

-- a session's linked recording (one at most)
ALTER TABLE sessions ADD COLUMN recorder_session_id bigint
	REFERENCES recorder_sessions (id) ON DELETE SET NULL;
CREATE INDEX sessions_recorder_idx ON sessions (recorder_session_id) WHERE recorder_session_id IS NOT NULL;

-- stint_touch_updated_at: sql/functions/triggers.sql
CREATE TRIGGER recorder_sessions_touch BEFORE UPDATE ON recorder_sessions
	FOR EACH ROW EXECUTE FUNCTION stint_touch_updated_at();
