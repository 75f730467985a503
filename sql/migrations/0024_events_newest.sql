-- 0024_events_newest: the live board lists a session's newest stored events
-- (highest id first, whatever their time on the timeline: a tag added now for
-- a moment earlier in the match is still the newest; issue 18). This index
-- reads those rows without sorting all the session's events.

CREATE INDEX events_session_id_idx ON events (session_id, id);
