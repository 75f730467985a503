-- 0007_tasks: the task queue (issue 11; ARCHITECTURE.md, "Data model").
-- A task is one unit of long work (a report, a clip analysis, a recorder
-- sync) that bin/stint-spooler claims with FOR UPDATE SKIP LOCKED, runs once
-- at a time under a lease with a fencing token, and retries with backoff.

CREATE SEQUENCE task_lease_tokens;

CREATE TABLE tasks (
	task_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	session_id uuid REFERENCES sessions (id) ON DELETE CASCADE,  -- NULL: no sports session
	group_key text CHECK (length(group_key) BETWEEN 1 AND 200),  -- an outside system's own grouping id
	task_type text NOT NULL CHECK (task_type ~ '^[a-z][a-z0-9_]{0,39}$'),
	-- what makes two active tasks of one session and type the same task
	-- (e.g. "scenecut:<clip id>" for analyze_clip); '' when one at a time
	dedupe_key text NOT NULL DEFAULT '' CHECK (length(dedupe_key) <= 200),
	params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
	status text NOT NULL DEFAULT 'queued'
		CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
	priority integer NOT NULL DEFAULT 100 CHECK (priority BETWEEN 0 AND 1000),  -- lower runs first
	attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
	run_after timestamptz NOT NULL DEFAULT now(),
	lease_owner text,                -- "host:pid" of the spooler holding it
	lease_token bigint,              -- fencing token: from task_lease_tokens at each claim
	lease_expires_at timestamptz,
	progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
	progress_message text NOT NULL DEFAULT '' CHECK (length(progress_message) <= 500),
	error text,
	result jsonb,
	user_id bigint REFERENCES users (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	started_at timestamptz,
	finished_at timestamptz,
	CHECK ((status = 'running') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL))
);

-- Two requests that would create the same task while one is queued or
-- running get one task: the index decides, not code.
CREATE UNIQUE INDEX tasks_one_active_idx ON tasks (session_id, task_type, dedupe_key)
	WHERE status IN ('queued', 'running') AND session_id IS NOT NULL;
-- the claim: the next queued task due, by priority then age
CREATE INDEX tasks_claim_idx ON tasks (priority, created_at) WHERE status = 'queued';
-- the reaper: running tasks whose lease ran out
CREATE INDEX tasks_lease_idx ON tasks (lease_expires_at) WHERE status = 'running';
CREATE INDEX tasks_session_idx ON tasks (session_id, created_at);
CREATE INDEX tasks_group_idx ON tasks (group_key, created_at) WHERE group_key IS NOT NULL;
CREATE INDEX tasks_user_idx ON tasks (user_id, created_at);
-- the retention sweep: finished records by age
CREATE INDEX tasks_finished_idx ON tasks (finished_at) WHERE finished_at IS NOT NULL;

-- stint_touch_updated_at: sql/functions/triggers.sql
CREATE TRIGGER tasks_touch BEFORE UPDATE ON tasks
	FOR EACH ROW EXECUTE FUNCTION stint_touch_updated_at();
