-- Live messages (ARCHITECTURE.md, Live).

-- Store one message {"type", "session_id", "seq", "at", "data"} and return
-- it as text, in the transaction of the change it announces.
CREATE OR REPLACE FUNCTION stint_live_record(sid uuid, mtype text, payload jsonb) RETURNS text
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
	-- The keys ProjectClimb's client reads (seed 001, docs/compat.md): a
	-- climb_updated carries the climb as `climb`, a pose_updated its
	-- landmarks as `pose` ({x, y, z, visibility}), a session_updated the
	-- seed's `status` (started for live) and `end_time`, beside `data`.
	IF mtype = 'climb_updated' THEN
		msg := msg || jsonb_build_object('climb', payload);
	ELSIF mtype = 'pose_updated' THEN
		msg := msg || jsonb_build_object('pose', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(
			jsonb_build_object('x', k->'x', 'y', k->'y', 'z', k->'z', 'visibility', k->'confidence',
				'name', k->'name')) ORDER BY i)
			FROM jsonb_array_elements(payload->'keypoints') WITH ORDINALITY AS x(k, i)), '[]'));
	ELSIF mtype = 'session_updated' AND jsonb_typeof(payload) = 'object' AND payload ? 'status' THEN
		msg := msg || jsonb_build_object('status', CASE payload->>'status' WHEN 'live' THEN 'started'
			ELSE payload->>'status' END, 'end_time', payload->'ends_at');
	END IF;
	INSERT INTO live_messages (session_id, seq, type, body, at) VALUES (sid, n, mtype, msg, stamp);
	RETURN msg::text;
END $$;
