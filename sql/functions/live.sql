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
	INSERT INTO live_messages (session_id, seq, type, body, at) VALUES (sid, n, mtype, msg, stamp);
	RETURN msg::text;
END $$;
