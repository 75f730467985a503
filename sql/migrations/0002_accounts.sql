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

-- What user uid may do with session sid: 'edit', 'view', 'none' (the
-- session exists but is not theirs), or NULL when there is no such session.
-- Admins edit everything; the owner and editors edit; viewers view; a user
-- whose role is viewer never edits. With deleted, the session is looked for
-- among the deleted ones (its newest backup), so only those who could edit it
-- may restore it (the backup keeps the shares).
CREATE FUNCTION stint_session_access(sid uuid, uid bigint, deleted boolean) RETURNS text
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
