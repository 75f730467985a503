-- A deleted session is archived whole in backups and can be restored.
-- stint_session_document and stint_session_restore_rows name every table that
-- belongs to a session: a migration that adds one adds it to both (rollups
-- are not stored: the events' triggers rebuild them on restore). Documents
-- of older versions lack the newer keys, and restore reads those as empty.

-- Everything that belongs to a session, as one JSON document (version 3:
-- version 1 held the session, teams and roster; 2 added clips, events,
-- artifacts and shares; 3 the live history). NULL when there is no session.
CREATE OR REPLACE FUNCTION stint_session_document(sid uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'version', 3,
		'session', to_jsonb(s),
		'teams', coalesce((SELECT jsonb_agg(to_jsonb(t)) FROM teams t WHERE t.session_id = sid), '[]'),
		'roster', coalesce((SELECT jsonb_agg(to_jsonb(r)) FROM roster r WHERE r.session_id = sid), '[]'),
		'clips', coalesce((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.id) FROM clips c WHERE c.session_id = sid), '[]'),
		'events', coalesce((SELECT jsonb_agg(to_jsonb(e) ORDER BY e.id) FROM events e WHERE e.session_id = sid), '[]'),
		'artifacts', coalesce((SELECT jsonb_agg(to_jsonb(a) ORDER BY a.id) FROM artifacts a WHERE a.session_id = sid), '[]'),
		'shares', coalesce((SELECT jsonb_agg(to_jsonb(sh)) FROM session_shares sh WHERE sh.session_id = sid), '[]'),
		'live_seq', (SELECT last FROM live_seq WHERE session_id = sid),
		'live_messages', coalesce((SELECT jsonb_agg(to_jsonb(m) ORDER BY m.seq) FROM live_messages m WHERE m.session_id = sid), '[]'),
		'playlists', coalesce((SELECT jsonb_agg(to_jsonb(p) ORDER BY p.id) FROM playlists p WHERE p.session_id = sid), '[]'))
	FROM sessions s WHERE s.id = sid
$$;

-- Archive a session whole in backups, then remove it. Returns the backup id,
-- or NULL when there is no such session.
CREATE OR REPLACE FUNCTION stint_session_archive(sid uuid) RETURNS bigint LANGUAGE plpgsql AS $$
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

-- Put back the rows of a document (any version); raises unique_violation if
-- the session id is in use. Shares of users that are gone are left out.
CREATE OR REPLACE FUNCTION stint_session_restore_rows(doc jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sessions SELECT * FROM jsonb_populate_record(NULL::sessions, doc->'session');
	-- a document from before 0022 has no short name or colour, a roster line a role (now
	-- position) and no flags: the columns' defaults, the role as position, libero from it
	INSERT INTO teams SELECT * FROM jsonb_populate_recordset(NULL::teams, (SELECT coalesce(jsonb_agg(
		jsonb_build_object('short_name', '', 'colour', '') || t), '[]') FROM jsonb_array_elements(doc->'teams') t));
	INSERT INTO roster SELECT * FROM jsonb_populate_recordset(NULL::roster, (SELECT coalesce(jsonb_agg(
		jsonb_build_object('position', coalesce(r->>'role', ''), 'libero', r->>'role' = 'libero', 'captain', false)
		|| (r - 'role')), '[]') FROM jsonb_array_elements(doc->'roster') r));
	INSERT INTO clips SELECT * FROM jsonb_populate_recordset(NULL::clips, coalesce(doc->'clips', '[]'));
	INSERT INTO events SELECT * FROM jsonb_populate_recordset(NULL::events, coalesce(doc->'events', '[]'));
	INSERT INTO artifacts SELECT * FROM jsonb_populate_recordset(NULL::artifacts, coalesce(doc->'artifacts', '[]'));
	INSERT INTO session_shares SELECT sh.* FROM jsonb_populate_recordset(NULL::session_shares,
		coalesce(doc->'shares', '[]')) sh WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = sh.user_id);
	IF doc->'live_seq' IS NOT NULL AND jsonb_typeof(doc->'live_seq') = 'number' THEN
		INSERT INTO live_seq VALUES ((doc->'session'->>'id')::uuid, (doc->>'live_seq')::bigint);
	END IF;
	INSERT INTO live_messages SELECT * FROM jsonb_populate_recordset(NULL::live_messages,
		coalesce(doc->'live_messages', '[]'));
	-- playlists (0028): their maker left out when that user is gone
	INSERT INTO playlists SELECT (p).id, (p).session_id, (p).name, (p).filter, (p).event_ids, (p).pre_roll_sec,
		(p).post_roll_sec, CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.id = (p).created_by) THEN (p).created_by END,
		(p).created_at, (p).updated_at
		FROM (SELECT jsonb_populate_record(NULL::playlists, x) AS p
			FROM jsonb_array_elements(coalesce(doc->'playlists', '[]')) x) y;
END $$;

-- Put back the rows of the newest unrestored backup of a session (its owner
-- dropped when that user is gone). Returns false when there is none.
CREATE OR REPLACE FUNCTION stint_session_restore(sid uuid) RETURNS boolean LANGUAGE plpgsql AS $$
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
