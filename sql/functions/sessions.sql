-- Sessions: their JSON, who may do what with them, a climb's holds. (A
-- session's details, with teams, counts and the rollup summary, are one
-- statement in lib/sql.h, SESSION_GET: written inline there, PostgreSQL plans
-- it once per connection, where a SQL function with subqueries is planned at
-- every call.)

-- The API's JSON for one session row (lists and details share it).
CREATE OR REPLACE FUNCTION stint_session_json(s sessions) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'id', s.id, 'title', s.title, 'kind', s.kind, 'venue', s.venue,
		'status', s.status, 'starts_at', s.starts_at, 'ends_at', s.ends_at,
		'owner_id', s.owner_id, 'meta', s.meta, 'data', s.data,
		'processing_status', s.processing_status, 'report_url', s.report_url,
		'last_processed_at', s.last_processed_at,
		'created_at', s.created_at, 'updated_at', s.updated_at,
		'live_at', s.live_at)
$$;

-- What user uid may do with session sid: 'edit', 'view', 'none' (the
-- session exists but is not theirs), or NULL when there is no such session.
-- Admins edit everything; the owner and editors edit; viewers view; a user
-- whose role is viewer never edits. With deleted, the session is looked for
-- among the deleted ones (its newest backup), so only those who could edit it
-- may restore it (the backup keeps the shares).
CREATE OR REPLACE FUNCTION stint_session_access(sid uuid, uid bigint, deleted boolean) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	urole text;
	owner bigint;
	share text;
	grant_ text;
BEGIN
	IF deleted THEN
		SELECT (data->'session'->>'owner_id')::bigint,
		       (SELECT sh->>'role' FROM jsonb_array_elements(coalesce(data->'shares', '[]')) sh
			WHERE (sh->>'user_id')::bigint = uid)
			INTO owner, share FROM backups
			WHERE session_id = sid AND restored_at IS NULL ORDER BY id DESC LIMIT 1;
	ELSE
		SELECT owner_id INTO owner FROM sessions WHERE id = sid;
	END IF;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT role INTO urole FROM users WHERE id = uid AND disabled_at IS NULL;
	IF urole IS NULL THEN
		RETURN 'none';
	END IF;
	IF NOT deleted THEN
		SELECT role INTO share FROM session_shares WHERE session_id = sid AND user_id = uid;
	END IF;
	grant_ := CASE
		WHEN urole = 'admin' OR owner = uid OR share = 'editor' THEN 'edit'
		WHEN share = 'viewer' THEN 'view'
		ELSE 'none' END;
	IF grant_ = 'edit' AND urole = 'viewer' THEN
		grant_ := 'view';
	END IF;
	RETURN grant_;
END $$;

-- A climb's holds live in sessions.data.holds; an update names holds by id
-- and its fields replace those of the stored hold (new holds are appended).
CREATE OR REPLACE FUNCTION stint_climb_merge(sid uuid, incoming jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	cur jsonb;
	h jsonb;
	i integer;
	matched boolean;
BEGIN
	SELECT coalesce(data->'holds', '[]') INTO cur FROM sessions WHERE id = sid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	FOR h IN SELECT * FROM jsonb_array_elements(incoming) LOOP
		matched := false;
		FOR i IN 0 .. jsonb_array_length(cur) - 1 LOOP
			IF cur->i->>'id' = h->>'id' THEN
				cur := jsonb_set(cur, ARRAY[i::text], (cur->i) || h);
				matched := true;
				EXIT;
			END IF;
		END LOOP;
		IF NOT matched THEN
			cur := cur || jsonb_build_array(h);
		END IF;
	END LOOP;
	UPDATE sessions SET data = jsonb_set(data, '{holds}', cur) WHERE id = sid;
	-- with the climb's own state when it has one (seed 001: startTime, endTime, status)
	RETURN jsonb_build_object('holds', cur) || coalesce((SELECT data->'climb' FROM sessions WHERE id = sid), '{}');
END $$;

-- A climb's own state (seed 001's climb object: startTime, endTime, status)
-- lives in sessions.data.climb; members given replace those stored (a JSON
-- null clears one).
CREATE OR REPLACE FUNCTION stint_climb_state(sid uuid, incoming jsonb) RETURNS void
LANGUAGE sql AS $$
	UPDATE sessions SET data = jsonb_set(data, '{climb}',
		CASE WHEN jsonb_typeof(data->'climb') = 'object' THEN data->'climb' ELSE '{}' END || incoming)
	WHERE id = sid;
$$;
