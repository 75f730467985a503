-- 0023_live_clock: when a session first went live (issue 18). The editor's
-- session clock counts seconds from it, so a live match without video is
-- tagged by keys alone; a video added later is placed on the same timeline by
-- its clip's offset_sec. Kept at the first time: a session set live again
-- (after completed by mistake, say) keeps its clock.

ALTER TABLE sessions ADD COLUMN live_at timestamptz;

-- Sessions live already: their planned start, else their last change.
UPDATE sessions SET live_at = coalesce(starts_at, updated_at) WHERE status = 'live';

CREATE TRIGGER sessions_live_at BEFORE INSERT OR UPDATE OF status ON sessions
	FOR EACH ROW EXECUTE FUNCTION stint_session_live_at();
