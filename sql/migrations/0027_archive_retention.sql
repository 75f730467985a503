-- 0027_archive_retention: the spooler's sweep purges archived sessions
-- (backups rows) older than archive_retention_days, oldest first (issue 20,
-- lib/sql.h ARCHIVE_PURGE): an index on their age.
CREATE INDEX backups_created_idx ON backups (created_at);
