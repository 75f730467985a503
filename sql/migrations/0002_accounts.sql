-- 0002_accounts: logins, API tokens, sharing, audit, and per-account lockout.

ALTER TABLE users
	ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
	ADD COLUMN locked_until timestamptz;

-- Browser logins ("web sessions", not sports sessions). The cookie holds a
-- random token; only its SHA-256 is stored.
CREATE TABLE web_sessions (
	id bigserial PRIMARY KEY,
	token_hash bytea NOT NULL UNIQUE,
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	rotated_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);

-- API tokens for scripts: shown once, stored as SHA-256.
CREATE TABLE api_tokens (
	id bigserial PRIMARY KEY,
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
	token_hash bytea NOT NULL UNIQUE,
	scope text NOT NULL CHECK (scope IN ('read', 'write')),
	created_at timestamptz NOT NULL DEFAULT now(),
	last_used_at timestamptz,
	revoked_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- A session shared with a user as viewer or editor (the owner and admins
-- need no share).
CREATE TABLE session_shares (
	session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role text NOT NULL CHECK (role IN ('viewer', 'editor')),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (session_id, user_id)
);
CREATE INDEX session_shares_user_idx ON session_shares (user_id);

-- Who changed what and when.
CREATE TABLE audit_log (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	user_id bigint REFERENCES users (id) ON DELETE SET NULL,
	action text NOT NULL,
	target_type text NOT NULL,
	target_id text,
	detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at DESC);
