-- 0032_uploads_finished: a finished upload is kept as a record until it
-- expires (docs/uploads.md). The PATCH that completes an upload used to
-- remove its row with the clip it made: a client whose answer to that PATCH
-- was lost (a dropped connection, a proxy's timeout while the file went to
-- S3) then found the upload gone (404) and sent the whole file again, making
-- a second clip. Now that PATCH sets finished_at and clip_id (the clip it
-- made; NULL once that clip is removed), and HEAD answers such an upload as
-- complete (Upload-Offset = Upload-Length) with the clip's address. The
-- retention sweep removes it after expires_at, as any other.
ALTER TABLE uploads ADD COLUMN finished_at timestamptz;
ALTER TABLE uploads ADD COLUMN clip_id bigint REFERENCES clips (id) ON DELETE SET NULL;
