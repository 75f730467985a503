-- 0018_artifact_clip: an artifact may belong to one clip of its session (seed 000's
-- attach_artifact(..., metadata={"clip_id": ...}), issue 14), and its meta is
-- bounded: the API takes at most 4 KiB of JSON text (lib/media.h); stored as
-- jsonb, whose text adds a space after each ':' and ',', it stays far under this. A
-- clip's removal keeps its artifacts, unlinked from it.

ALTER TABLE artifacts ADD COLUMN clip_id bigint REFERENCES clips (id) ON DELETE SET NULL;
CREATE INDEX artifacts_clip_idx ON artifacts (clip_id) WHERE clip_id IS NOT NULL;
ALTER TABLE artifacts ADD CONSTRAINT artifacts_meta_size CHECK (length(meta::text) <= 32768) NOT VALID;
