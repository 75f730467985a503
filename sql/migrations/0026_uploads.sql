-- 0026_uploads: resumable media uploads (tus 1.0, issue 18; docs/uploads.md).
-- An upload is created with its declared length, then receives its bytes in
-- PATCH requests appended to var/uploads/tus/<id>.part; upload_offset is how
-- many bytes that file holds for sure. Complete, it is checked with ffprobe,
-- renamed into media/<session>/ and becomes a clip (clip_id); the row then
-- goes. The id is a random UUID (122 random bits): only the session's editor
-- who created it may use it. The spooler's retention sweep removes the rows
-- (and part files) past expires_at, which each PATCH pushes back.

CREATE TABLE uploads (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('video', 'audio')),
	filename text NOT NULL DEFAULT '' CHECK (length(filename) <= 200),
	title text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
	offset_sec double precision NOT NULL DEFAULT 0 CHECK (offset_sec BETWEEN -10000000 AND 10000000),
	upload_length bigint NOT NULL CHECK (upload_length > 0),
	upload_offset bigint NOT NULL DEFAULT 0 CHECK (upload_offset BETWEEN 0 AND upload_length),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL DEFAULT now() + interval '1 day'
);
CREATE INDEX uploads_session_idx ON uploads (session_id);
CREATE INDEX uploads_expires_idx ON uploads (expires_at);
