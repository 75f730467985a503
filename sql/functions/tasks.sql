-- Tasks (issue 11): their JSON and who may do what with them.

-- The API's JSON for one task row (lists, details and task_updated share
-- it). The lease (owner, token, expiry) is the spooler's and stays out.
CREATE OR REPLACE FUNCTION stint_task_json(t tasks) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'task_id', t.task_id, 'session_id', t.session_id, 'group_key', t.group_key,
		'task_type', t.task_type, 'dedupe_key', t.dedupe_key, 'params', t.params,
		'status', t.status, 'priority', t.priority, 'attempts', t.attempts,
		'max_attempts', t.max_attempts, 'run_after', t.run_after,
		'progress', t.progress, 'progress_message', t.progress_message,
		'error', t.error, 'result', t.result, 'user_id', t.user_id,
		'cancel_requested_at', t.cancel_requested_at,
		'created_at', t.created_at, 'updated_at', t.updated_at,
		'started_at', t.started_at, 'finished_at', t.finished_at)
$$;

-- What user uid may do with task tid: 'edit', 'view', 'none' (it exists
-- but is not theirs), or NULL when there is no such task. A task of a
-- session follows the session (stint_session_access); a task without one
-- belongs to the user who made it; admins may do everything.
CREATE OR REPLACE FUNCTION stint_task_access(tid uuid, uid bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	sid uuid;
	maker bigint;
	urole text;
BEGIN
	SELECT session_id, user_id INTO sid, maker FROM tasks WHERE task_id = tid;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF sid IS NOT NULL THEN
		RETURN coalesce(stint_session_access(sid, uid, false), 'none');
	END IF;
	SELECT role INTO urole FROM users WHERE id = uid AND disabled_at IS NULL;
	RETURN CASE WHEN urole = 'admin' OR (urole IS NOT NULL AND maker = uid) THEN 'edit' ELSE 'none' END;
END $$;
