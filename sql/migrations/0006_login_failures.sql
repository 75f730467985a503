-- 0006_login_failures: the sign-in lockout counts failures per email address
-- (lower case), whether or not an account has it, so that the answer to a
-- locked email does not tell which emails have accounts (issue 17, item 7).
-- It replaces the per-account columns of 0002_accounts.

CREATE TABLE login_failures (
	email text PRIMARY KEY CHECK (email = lower(email) AND length(email) <= 254),
	failures integer NOT NULL CHECK (failures > 0),
	locked_until timestamptz,
	last_failed_at timestamptz NOT NULL DEFAULT now()
);
-- Rows idle for a day and no longer locked are pruned (lib/sql.h USER_LOGIN_FAILED).
CREATE INDEX login_failures_last_failed_idx ON login_failures (last_failed_at);

INSERT INTO login_failures (email, failures, locked_until)
	SELECT lower(email), failed_logins, locked_until FROM users WHERE failed_logins > 0
	ON CONFLICT (email) DO NOTHING;

ALTER TABLE users
	DROP COLUMN failed_logins,
	DROP COLUMN locked_until;
