-- 0029_media_storage: where a clip's, artifact's or device file's stored file is (issue 21;
-- docs/storage.md, lib/store.h). 'local': under the var folder, at path;
-- 's3': in the media bucket, under the key media_s3_prefix || path. The
-- setting media_storage decides it for new files; each row keeps its own,
-- so files stored before a change of the setting stay reachable. NULL (rows
-- restored from an archive made before this migration) means 'local'.
ALTER TABLE clips ADD COLUMN storage text DEFAULT 'local' CHECK (storage IN ('local', 's3'));
ALTER TABLE artifacts ADD COLUMN storage text DEFAULT 'local' CHECK (storage IN ('local', 's3'));
-- the same for a participant's device file (uploads/raw/<session>/..., read by the report builder)
ALTER TABLE device_files ADD COLUMN storage text DEFAULT 'local' CHECK (storage IN ('local', 's3'));
