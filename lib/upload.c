/* upload.c: the files of resumable uploads (see upload.h). */
#include "upload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "auth.h"
#include "conf.h"
#include "media.h"
#include "tx.h"

/* VAR/uploads/tus in out, created (with VAR/uploads) when missing; 0 or -1. */
static int upload_dir(char *out, size_t size)
{
	const char *var = stint_config_get("var_dir", "var");
	int n = snprintf(out, size, "%s/uploads", var);

	if (n < 0 || (size_t)n >= size || (mkdir(out, 0750) != 0 && errno != EEXIST))
		return -1;
	n = snprintf(out, size, "%s/uploads/tus", var);
	if (n < 0 || (size_t)n >= size || (mkdir(out, 0750) != 0 && errno != EEXIST))
		return -1;
	return 0;
}

long long stint_upload_max_bytes(void)
{
	return (long long)stint_config_int("upload_max_bytes", 8L << 30, 1, 1024L << 30);
}

int stint_upload_part_path(const char *id, char *out, size_t size)
{
	int n;

	if (upload_dir(out, size) != 0 || strlen(id) != 36 || strspn(id, "0123456789abcdef-") != 36)
		return -1;
	n = snprintf(out + strlen(out), size - strlen(out), "/%s.part", id);
	return n > 0 && strlen(out) < size - 1 ? 0 : -1;
}

/*
 * Copy len bytes of in (from its start) to out at *at, in the kernel:
 * copy_file_range, else (another file system, an old kernel) sendfile.
 */
static int copy_all(int in, int out, long long len, long long *at)
{
	loff_t off_in = 0, off_out = *at;
	ssize_t n;

	while (len > 0) {
		n = copy_file_range(in, &off_in, out, &off_out, (size_t)len, 0);
		if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL))
			break;
		if (n <= 0)
			return -1;
		len -= n;
	}
	if (len > 0 && lseek(out, off_out, SEEK_SET) < 0)
		return -1;
	while (len > 0) {
		off_t from = (off_t)off_in;

		n = sendfile(out, in, &from, (size_t)len);
		if (n <= 0)
			return -1;
		off_in = from;
		off_out += n;
		len -= n;
	}
	*at = off_out;
	return 0;
}

int stint_upload_append(const char *part, long long offset, const char *chunk, long long *added)
{
	char dir[4200];
	struct stat st;
	long long at = offset;
	int in = -1, out = -1, rc = -1, saved;

	*added = 0;
	if (upload_dir(dir, sizeof(dir)) != 0)
		return -1;
	out = open(part, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
	if (out < 0 || ftruncate(out, (off_t)offset) != 0)
		goto out;
	if (chunk != NULL) {
		in = open(chunk, O_RDONLY | O_CLOEXEC);
		if (in < 0 || fstat(in, &st) != 0 || copy_all(in, out, (long long)st.st_size, &at) != 0)
			goto out;
	}
	if (fdatasync(out) != 0)
		goto out;
	*added = at - offset;
	rc = 0;
out:
	saved = errno;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && rc == 0)
		return -1;
	errno = saved;
	return rc;
}

int stint_upload_finish(const char *part, const char *sid, const char *ext, char *rel, size_t size)
{
	char abs[4200], secret[STINT_SECRET_HEX + 1];
	int n;

	if (stint_secret_new(secret, sizeof(secret), 0) != 0)
		return -1;
	n = snprintf(rel, size, "media/%s", sid);
	if (n < 0 || (size_t)n >= size || stint_media_path(rel, abs, sizeof(abs)) != 0 ||
	    (mkdir(abs, 0750) != 0 && errno != EEXIST))
		return -1;
	n = snprintf(rel, size, "media/%s/%.32s.%s", sid, secret, ext);
	if (n < 0 || (size_t)n >= size || stint_media_path(rel, abs, sizeof(abs)) != 0)
		return -1;
	return rename(part, abs);
}

int stint_upload_free_bytes(long long *out)
{
	char dir[4200];
	struct statvfs vfs;

	if (upload_dir(dir, sizeof(dir)) != 0 || statvfs(dir, &vfs) != 0)
		return -1;
	*out = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
	return 0;
}

stint_db_rc stint_upload_sweep(stint_db *db, long batch, long *n)
{
	char limit[24], part[4200];
	const char *p[1] = { limit };
	PGresult *res = NULL;
	stint_db_rc rc;
	stint_tx tx;
	int i;

	*n = 0;
	snprintf(limit, sizeof(limit), "%ld", batch);
	stint_tx_begin(&tx, db, NULL);
	stint_tx_exec(&tx, STINT_SQL_UPLOAD_SWEEP, 1, p, &res);
	if (tx.rc == STINT_DB_OK && PQntuples(res) == 0)
		stint_tx_cancel(&tx);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_OK && res != NULL) {
		*n = PQntuples(res);
		for (i = 0; i < PQntuples(res); i++)
			if (stint_upload_part_path(PQgetvalue(res, i, 0), part, sizeof(part)) == 0)
				unlink(part);
	}
	PQclear(res);
	return rc;
}
