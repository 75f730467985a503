-- 0014_recorder_links: how and when a session's recording was linked
-- (issue 13; lib/recorder-links.h). 0011 gave sessions.recorder_session_id;
-- the answers and the editor also say whether a person chose the recording
-- (manual), auto-link found it on request (auto) or when the session was made
-- (create).

ALTER TABLE sessions
	ADD COLUMN recorder_linked_by text CHECK (recorder_linked_by IN ('manual', 'auto', 'create')),
	ADD COLUMN recorder_linked_at timestamptz,
	ADD CONSTRAINT sessions_recorder_link_how CHECK (recorder_session_id IS NULL OR recorder_linked_by IS NOT NULL);
