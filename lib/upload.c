/* upload.c: the files of resumable uploads (see upload.h). */
#include "upload.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <openssl/evp.h>

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

/*
 * Base64 text s (n bytes) decoded into out (size bytes, NUL-terminated);
 * -1 when it is not base64, does not fit or holds a control character.
 */
static int unbase64(const char *s, size_t n, char *out, size_t size)
{
	unsigned char buf[1024];
	int len, i;

	if (n == 0) {
		*out = '\0';
		return 0;
	}
	if (n % 4 != 0 || n / 4 * 3 > sizeof(buf) || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") < n)
		return -1;
	len = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)n);
	if (len < 0)
		return -1;
	len -= (s[n - 1] == '=') + (s[n - 2] == '=');
	if ((size_t)len >= size)
		return -1;
	for (i = 0; i < len; i++)
		if (buf[i] < 0x20 || buf[i] == 0x7f)
			return -1;
	memcpy(out, buf, (size_t)len);
	out[len] = '\0';
	return 0;
}

/* Where value (decoded) goes for key, and its size; NULL for a key that is not read. */
static char *meta_slot(stint_upload_meta *m, const char *key, size_t kl, char *filetype, char *offset,
		       size_t *size)
{
	static const struct { const char *key; size_t off, size; } slots[] = {
		{ "kind", offsetof(stint_upload_meta, kind), sizeof(((stint_upload_meta *)0)->kind) },
		{ "filename", offsetof(stint_upload_meta, filename), sizeof(((stint_upload_meta *)0)->filename) },
		{ "title", offsetof(stint_upload_meta, title), sizeof(((stint_upload_meta *)0)->title) },
	};
	size_t i;

	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		if (strlen(slots[i].key) == kl && strncmp(slots[i].key, key, kl) == 0) {
			*size = slots[i].size;
			return (char *)m + slots[i].off;
		}
	}
	*size = 64;
	if (kl == 8 && strncmp(key, "filetype", 8) == 0)
		return filetype;
	if (kl == 10 && strncmp(key, "offset_sec", 10) == 0)
		return offset;
	return NULL;
}

/* The kind and offset_sec that filetype and offset (decoded) give m; NULL or the field at fault. */
static const char *meta_finish(stint_upload_meta *m, const char *filetype, const char *offset,
			       const char **problem)
{
	char *end;

	if (m->kind[0] == '\0' && strncmp(filetype, "video/", 6) == 0)
		snprintf(m->kind, sizeof(m->kind), "video");
	else if (m->kind[0] == '\0' && strncmp(filetype, "audio/", 6) == 0)
		snprintf(m->kind, sizeof(m->kind), "audio");
	if (strcmp(m->kind, "video") != 0 && strcmp(m->kind, "audio") != 0) {
		*problem = "must be video or audio (Upload-Metadata kind, or a filetype video/... or audio/...)";
		return "kind";
	}
	if (m->title[0] == '\0')
		memcpy(m->title, m->filename, sizeof(m->title));
	if (*offset != '\0') {
		errno = 0;
		m->offset_sec = strtod(offset, &end);
		if (errno != 0 || *end != '\0' || !isfinite(m->offset_sec) || fabs(m->offset_sec) > 10000000) {
			*problem = "must be a number of seconds from -10000000 to 10000000";
			return "offset_sec";
		}
	}
	return NULL;
}

const char *stint_upload_meta_parse(const char *h, stint_upload_meta *m, const char **problem)
{
	char filetype[64] = "", offset[64] = "", *slot;
	size_t kl, vl, size;
	const char *v;

	memset(m, 0, sizeof(*m));
	while (h != NULL && *h) {
		kl = strcspn(h, " ,");
		v = h + kl + (h[kl] == ' ');
		vl = h[kl] == ' ' ? strcspn(v, ",") : 0;
		if (kl == 0) {
			*problem = "must be key base64-value pairs separated by commas";
			return "Upload-Metadata";
		}
		slot = meta_slot(m, h, kl, filetype, offset, &size);
		if (slot != NULL && unbase64(v, vl, slot, size) != 0) {
			*problem = "is not base64 of printable text, or is too long";
			return slot == m->title ? "title" : slot == m->filename ? "filename" : "Upload-Metadata";
		}
		h = v + vl;
		if (*h == ',')
			h++;
		while (*h == ' ')
			h++;
	}
	return meta_finish(m, filetype, offset, problem);
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

int stint_upload_open(const char *part, stint_upload_file *f)
{
	char dir[4200];

	f->fd = -1;
	if (upload_dir(dir, sizeof(dir)) != 0)
		return STINT_UPLOAD_FAILED;
	f->fd = open(part, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
	if (f->fd < 0)
		return STINT_UPLOAD_FAILED;
	if (flock(f->fd, LOCK_EX | LOCK_NB) != 0) {
		int busy = errno == EWOULDBLOCK;

		close(f->fd);
		f->fd = -1;
		return busy ? STINT_UPLOAD_BUSY : STINT_UPLOAD_FAILED;
	}
	return 0;
}

int stint_upload_close(stint_upload_file *f)
{
	int rc = f->fd >= 0 ? close(f->fd) : 0;

	f->fd = -1;
	return rc;
}

/* Write all n bytes of buf at *at in fd; 0, or -1 (errno set). */
static int write_all(int fd, const char *buf, size_t n, long long *at)
{
	while (n > 0) {
		ssize_t w = pwrite(fd, buf, n, (off_t)*at);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
		*at += w;
	}
	return 0;
}

stint_upload_end stint_upload_write(stint_upload_file *f, long long offset, long long room,
				    stint_upload_reader read, void *ctx, long long *added)
{
	enum { BUF = 1 << 20, WRITEBACK = 8 << 20 };
	static char buf[BUF];
	long long at = offset, started = offset;
	stint_upload_end end = STINT_UPLOAD_ENDED;
	long n;

	*added = 0;
	if (ftruncate(f->fd, (off_t)offset) != 0)
		return STINT_UPLOAD_FAILED;
	for (;;) {
		/* one byte more than room is left, to tell a body that goes past it */
		long long want = room - (at - offset) + 1;

		n = read(ctx, buf, want < BUF ? (size_t)want : BUF);
		if (n == 0)
			break;
		if (n < 0) {
			end = STINT_UPLOAD_CUT;
			break;
		}
		if (at - offset + n > room) {
			end = STINT_UPLOAD_TOO_LONG;
			break;
		}
		if (write_all(f->fd, buf, (size_t)n, &at) != 0)
			return STINT_UPLOAD_FAILED;
		if (at - started >= WRITEBACK) {
			/* the disk writes these while the next bytes arrive (sync_file_range(2)) */
			(void)sync_file_range(f->fd, (off64_t)started, (off64_t)(at - started), SYNC_FILE_RANGE_WRITE);
			started = at;
		}
	}
	if (end == STINT_UPLOAD_TOO_LONG) {
		if (ftruncate(f->fd, (off_t)offset) != 0)
			return STINT_UPLOAD_FAILED;
		return end;
	}
	if (at - offset == room && fdatasync(f->fd) != 0)
		return STINT_UPLOAD_FAILED;
	*added = at - offset;
	return end;
}

long long stint_upload_held(const char *part, long long recorded)
{
	struct stat st;

	if (stat(part, &st) != 0)
		return 0;
	return (long long)st.st_size < recorded ? (long long)st.st_size : recorded;
}

int stint_upload_finish(const char *part, const char *sid, const char *ext, char *rel, size_t size)
{
	char abs[4200];

	if (stint_media_new_name(sid, ext, rel, size, abs, sizeof(abs)) != 0)
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
