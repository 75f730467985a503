-- 0008_task_cancel: a cancel asked of a running task (issue 11). The task
-- stays running until the spooler holding its lease sees the request and
-- stops its child; a queued one is cancelled at once and needs no mark.

ALTER TABLE tasks ADD COLUMN cancel_requested_at timestamptz;
