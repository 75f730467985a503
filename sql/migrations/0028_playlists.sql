-- 0028_playlists: a session's saved video playlists (issue 19, video review).
-- A playlist is a filter of the session's events (filter, as
-- lib/playlists.h reads it: team, player, type, evaluation, set, ...) or an
-- explicit ordered list of event ids (event_ids; NULL: the filter decides),
-- played with pre_roll_sec before and post_roll_sec after each event. It
-- belongs to the session: whoever may view the session sees it, its
-- editors change it; it goes with the session.

CREATE TABLE playlists (
	id bigserial PRIMARY KEY,
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	filter jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(filter) = 'object'),
	event_ids bigint[] CHECK (cardinality(event_ids) <= 2000),
	pre_roll_sec double precision NOT NULL DEFAULT 3 CHECK (pre_roll_sec BETWEEN 0 AND 60),
	post_roll_sec double precision NOT NULL DEFAULT 2 CHECK (post_roll_sec BETWEEN 0 AND 60),
	created_by bigint REFERENCES users (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX playlists_session_idx ON playlists (session_id, id);

CREATE TRIGGER playlists_touch BEFORE UPDATE ON playlists
	FOR EACH ROW EXECUTE FUNCTION stint_touch_updated_at();
