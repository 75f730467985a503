-- 0004_live: every live message is stored (for replay and catch-up) in the
-- transaction of the change it announces, with a per-session sequence
-- number; published_at is set once nchan has it.

CREATE TABLE live_seq (
	session_id uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
	last bigint NOT NULL
);

CREATE TABLE live_messages (
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	seq bigint NOT NULL,
	type text NOT NULL,
	body jsonb NOT NULL,            -- the message exactly as published
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	published_at timestamptz,
	PRIMARY KEY (session_id, seq)
);
CREATE INDEX live_messages_unpublished_idx ON live_messages (session_id, seq) WHERE published_at IS NULL;

-- Store one message {"type", "session_id", "seq", "at", "data"} and return
-- it as text. The message format is ARCHITECTURE.md's (Live).
CREATE FUNCTION stint_live_record(sid uuid, mtype text, payload jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
	msg jsonb;
	stamp timestamptz := clock_timestamp();
BEGIN
	INSERT INTO live_seq AS l (session_id, last) VALUES (sid, 1)
		ON CONFLICT (session_id) DO UPDATE SET last = l.last + 1 RETURNING last INTO n;
	msg := jsonb_build_object('type', mtype, 'session_id', sid, 'seq', n,
		'at', to_char(stamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
		'data', payload);
	INSERT INTO live_messages (session_id, seq, type, body, at) VALUES (sid, n, mtype, msg, stamp);
	RETURN msg::text;
END $$;

-- Archives keep the session's live history (replay after a restore):
-- version 2's document and restore, wrapped.
ALTER FUNCTION stint_session_document(uuid) RENAME TO stint_session_document_2;
CREATE FUNCTION stint_session_document(sid uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT stint_session_document_2(sid) || jsonb_build_object(
		'version', 3,
		'live_seq', (SELECT last FROM live_seq WHERE session_id = sid),
		'live_messages', coalesce((SELECT jsonb_agg(to_jsonb(m) ORDER BY m.seq) FROM live_messages m WHERE m.session_id = sid), '[]'))
$$;

ALTER FUNCTION stint_session_restore_rows(jsonb) RENAME TO stint_session_restore_rows_2;
CREATE FUNCTION stint_session_restore_rows(doc jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM stint_session_restore_rows_2(doc);
	IF doc->'live_seq' IS NOT NULL AND jsonb_typeof(doc->'live_seq') = 'number' THEN
		INSERT INTO live_seq VALUES ((doc->'session'->>'id')::uuid, (doc->>'live_seq')::bigint);
	END IF;
	INSERT INTO live_messages SELECT * FROM jsonb_populate_recordset(NULL::live_messages,
		coalesce(doc->'live_messages', '[]'));
END $$;

-- A climb's holds live in sessions.data.holds; an update names holds by id
-- and its fields replace those of the stored hold (new holds are appended).
CREATE FUNCTION stint_climb_merge(sid uuid, incoming jsonb) RETURNS jsonb
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
	RETURN jsonb_build_object('holds', cur);
END $$;
