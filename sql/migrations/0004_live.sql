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
