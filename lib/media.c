/* media.c: a session's clips and artifacts, rows and files (see media.h). */
#include "media.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "analysis.h"
#include "auth.h"
#include "conf.h"
#include "validate.h"

/* The one cell of read statement id: $1 sid, and $2 row_id unless it is NULL. */
static stint_db_rc read_text(stint_db *db, stint_sql id, const char *sid, const char *row_id,
			     char **json)
{
	const char *p[2] = { sid, row_id };

	return stint_db_text(db, id, row_id != NULL ? 2 : 1, p, json);
}

/* Copy column of res's first row (NULL stays NULL); -1 on out of memory. */
static int copy_cell(const PGresult *res, const char *column, char **out)
{
	const char *v = stint_db_cell(res, 0, column);

	*out = v != NULL ? strdup(v) : NULL;
	return v != NULL && *out == NULL ? -1 : 0;
}

/* Read the file of a row through statement id ($1 sid, $2 row id). */
static stint_db_rc file_row(stint_db *db, stint_sql id, const char *sid, const char *row_id,
			    int *found, stint_media_file *out)
{
	const char *p[2] = { sid, row_id };
	PGresult *res = NULL;
	stint_db_rc rc = stint_db_exec(db, id, 2, p, &res);

	memset(out, 0, sizeof(*out));
	*found = rc == STINT_DB_OK && PQntuples(res) > 0;
	if (*found && (copy_cell(res, "path", &out->path) != 0 ||
		       copy_cell(res, "content_type", &out->content_type) != 0 ||
		       copy_cell(res, "name", &out->name) != 0 || copy_cell(res, "storage", &out->storage) != 0)) {
		stint_media_file_free(out);
		*found = 0;
		rc = STINT_DB_ERROR;
	}
	PQclear(res);
	return rc;
}

/* A failed change hands back no row: free *json. Returns tx->rc. */
static stint_db_rc drop_on_failure(stint_tx *tx, char **json)
{
	if (tx->rc != STINT_DB_OK) {
		free(*json);
		*json = NULL;
	}
	return tx->rc;
}

/*
 * In tx: run delete statement id for row row_id of session sid, which
 * returns one cell (the file to remove or '') when it removed the row, and
 * audit action on the row (type what).
 */
static stint_db_rc delete_row(stint_tx *tx, stint_sql id, const char *sid, const char *row_id,
			      const char *action, const char *what, int *found, char **file)
{
	const char *p[2] = { sid, row_id };

	*file = NULL;
	stint_tx_text(tx, id, 2, p, file);
	*found = *file != NULL;
	if (*found)
		stint_tx_audit(tx, action, what, row_id, NULL);
	if (tx->rc != STINT_DB_OK || (*file != NULL && **file == '\0')) {
		free(*file);
		*file = NULL;
	}
	return tx->rc;
}

stint_db_rc stint_clip_list(stint_db *db, const char *sid, char **json)
{
	return read_text(db, STINT_SQL_CLIP_LIST, sid, NULL, json);
}

stint_db_rc stint_artifact_list(stint_db *db, const char *sid, char **json)
{
	return read_text(db, STINT_SQL_ARTIFACT_LIST, sid, NULL, json);
}

stint_db_rc stint_clip_list_json(stint_db *db, const char *sid, cJSON **out)
{
	return stint_db_json(db, STINT_SQL_CLIP_LIST, 1, &sid, out);
}

stint_db_rc stint_artifact_list_json(stint_db *db, const char *sid, cJSON **out)
{
	return stint_db_json(db, STINT_SQL_ARTIFACT_LIST, 1, &sid, out);
}

stint_db_rc stint_clip_get(stint_db *db, const char *sid, const char *clip_id, char **json)
{
	return read_text(db, STINT_SQL_CLIP_GET, sid, clip_id, json);
}

stint_db_rc stint_artifact_get(stint_db *db, const char *sid, const char *artifact_id, char **json)
{
	return read_text(db, STINT_SQL_ARTIFACT_GET, sid, artifact_id, json);
}

stint_db_rc stint_clip_file(stint_db *db, const char *sid, const char *clip_id, int *found,
			    stint_media_file *out)
{
	return file_row(db, STINT_SQL_CLIP_FILE, sid, clip_id, found, out);
}

stint_db_rc stint_artifact_file(stint_db *db, const char *sid, const char *artifact_id, int *found,
				stint_media_file *out)
{
	return file_row(db, STINT_SQL_ARTIFACT_FILE, sid, artifact_id, found, out);
}

stint_db_rc stint_clip_create(stint_tx *tx, const char *sid, const char *clip_json, char **json)
{
	const char *p[2] = { sid, clip_json };

	if (stint_tx_text(tx, STINT_SQL_CLIP_CREATE, 2, p, json) == STINT_DB_OK && *json != NULL) {
		const char *lp[3] = { sid, "clip_added", *json };

		stint_tx_audit(tx, "clip.add", "session", sid, NULL);
		stint_tx_announce(tx, STINT_SQL_LIVE_RECORD, 3, lp);
		stint_analysis_queue_clip(tx, sid, *json);
	}
	return drop_on_failure(tx, json);
}

stint_db_rc stint_artifact_create(stint_tx *tx, const char *sid, const stint_artifact_new *a,
				  char **json)
{
	return stint_artifact_attach(tx, sid, a, NULL, NULL, json);
}

stint_db_rc stint_artifact_attach(stint_tx *tx, const char *sid, const stint_artifact_new *a,
				  const char *meta_json, const char *clip_id, char **json)
{
	return stint_artifact_attach_stored(tx, sid, a, NULL, meta_json, clip_id, json);
}

stint_db_rc stint_artifact_attach_stored(stint_tx *tx, const char *sid, const stint_artifact_new *a,
					 const char *storage, const char *meta_json, const char *clip_id, char **json)
{
	char size[24];
	const char *p[9] = { sid, a->type, a->name, a->path, a->content_type, size, meta_json, clip_id, storage };

	snprintf(size, sizeof(size), "%lld", a->size_bytes);
	if (stint_tx_text(tx, STINT_SQL_ARTIFACT_CREATE, 9, p, json) == STINT_DB_OK && *json != NULL)
		stint_tx_audit(tx, "artifact.add", "session", sid, NULL);
	return drop_on_failure(tx, json);
}

stint_db_rc stint_clip_delete(stint_tx *tx, const char *sid, const char *clip_id, int *found,
			      char **file)
{
	return delete_row(tx, STINT_SQL_CLIP_DELETE, sid, clip_id, "clip.delete", "clip", found, file);
}

stint_db_rc stint_artifact_delete(stint_tx *tx, const char *sid, const char *artifact_id,
				  int *found, char **file)
{
	return delete_row(tx, STINT_SQL_ARTIFACT_DELETE, sid, artifact_id, "artifact.delete", "artifact",
			  found, file);
}

void stint_media_file_free(stint_media_file *f)
{
	free(f->path);
	free(f->content_type);
	free(f->name);
	free(f->storage);
	memset(f, 0, sizeof(*f));
}

int stint_media_path(const char *rel, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%s", stint_config_get("var_dir", "var"), rel);

	return n > 0 && (size_t)n < size ? 0 : -1;
}

int stint_media_new_name(const char *sid, const char *ext, char *rel, size_t size, char *abs, size_t abs_size)
{
	char secret[STINT_SECRET_HEX + 1];
	int n;

	if (stint_secret_new(secret, sizeof(secret), 0) != 0)
		return -1;
	n = snprintf(rel, size, "media/%s", sid);
	if (n < 0 || (size_t)n >= size || stint_media_path(rel, abs, abs_size) != 0 ||
	    (mkdir(abs, 0750) != 0 && errno != EEXIST))
		return -1;
	n = snprintf(rel, size, "media/%s/%.32s.%s", sid, secret, ext);
	return n < 0 || (size_t)n >= size ? -1 : stint_media_path(rel, abs, abs_size);
}

int stint_media_keep(const char *tmp, const char *sid, const char *ext, char *rel, size_t size)
{
	char abs[4200];
	struct stat st;

	if (stint_media_new_name(sid, ext, rel, size, abs, sizeof(abs)) != 0 || stat(tmp, &st) != 0)
		return -1;
	return link(tmp, abs);
}

void stint_media_unlink(const char *rel)
{
	char abs[4200];

	if (rel != NULL && strncmp(rel, "media/", 6) == 0 && stint_is_safe_relpath(rel) &&
	    stint_media_path(rel, abs, sizeof(abs)) == 0)
		unlink(abs);
}

/* The import folder's real name in out (PATH_MAX): the setting import_dir, else VAR_DIR/import. */
static int import_root(char *out)
{
	const char *dir = stint_config_get("import_dir", "");
	char deflt[4200];

	if (*dir == '\0') {
		snprintf(deflt, sizeof(deflt), "%s/import", stint_config_get("var_dir", "var"));
		dir = deflt;
	}
	return realpath(dir, out) != NULL ? 0 : -1;
}

/*
 * Whether rel, resolved with realpath(3) inside root, names an existing
 * regular file there: STINT_FETCH_OK, _MISSING or _OUTSIDE.
 */
static stint_fetch_rc import_check(const char *root, const char *rel)
{
	char want[PATH_MAX + 2], real[PATH_MAX];
	size_t n = strlen(root);
	struct stat st;
	int len = snprintf(want, sizeof(want), "%s/%s", root, rel);

	if (len < 0 || (size_t)len >= sizeof(want))
		return STINT_FETCH_OUTSIDE;
	if (realpath(want, real) == NULL)
		return errno == ENOENT || errno == ENOTDIR ? STINT_FETCH_MISSING : STINT_FETCH_OUTSIDE;
	if (strncmp(real, root, n) != 0 || real[n] != '/')
		return STINT_FETCH_OUTSIDE;  /* a link, or a name, that leads out */
	if (stat(real, &st) != 0 || !S_ISREG(st.st_mode))
		return STINT_FETCH_MISSING;
	return STINT_FETCH_OK;
}

/* Open rel under the folder root_fd without ever leaving it (openat2 RESOLVE_BENEATH); fd or -1. */
static int open_beneath(int root_fd, const char *rel)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, root_fd, rel, &how, sizeof(how));
}

/* Copy all of in (size bytes) to out; 0, or -1. */
static int copy_all(int in, int out, off_t size)
{
	off_t done = 0;

	while (done < size) {
		ssize_t n = sendfile(out, in, NULL, (size_t)(size - done));

		if (n <= 0)
			return -1;
		done += n;
	}
	return fsync(out);
}

stint_fetch_rc stint_media_import(const char *rel, const char *sid, long long max_bytes, char *tmp,
				   size_t size)
{
	char root[PATH_MAX], secret[STINT_SECRET_HEX + 1], dir[600], abs[4200];
	stint_fetch_rc rc;
	int root_fd = -1, in = -1, out = -1, n;
	struct stat st;

	tmp[0] = '\0';
	if (!stint_is_safe_relpath(rel))
		return STINT_FETCH_OUTSIDE;
	if (import_root(root) != 0)
		return STINT_FETCH_NO_FOLDER;
	rc = import_check(root, rel);
	if (rc != STINT_FETCH_OK)
		return rc;
	rc = STINT_FETCH_OUTSIDE;
	if ((root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (in = open_beneath(root_fd, rel)) < 0 || fstat(in, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	rc = STINT_FETCH_TOO_LARGE;
	if (st.st_size > max_bytes)
		goto out;
	rc = STINT_FETCH_FAILED;
	n = snprintf(dir, sizeof(dir), "media/%s", sid);
	if (n < 0 || (size_t)n >= sizeof(dir) || stint_media_path(dir, abs, sizeof(abs)) != 0 ||
	    (mkdir(abs, 0750) != 0 && errno != EEXIST) || stint_secret_new(secret, sizeof(secret), 0) != 0)
		goto out;
	n = snprintf(tmp, size, "%s/.import-%.32s.part", abs, secret);
	if (n < 0 || (size_t)n >= size || (out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) < 0) {
		tmp[0] = '\0';
		goto out;
	}
	if (copy_all(in, out, st.st_size) == 0)
		rc = STINT_FETCH_OK;
out:
	if (out >= 0 && close(out) != 0)
		rc = STINT_FETCH_FAILED;
	if (rc != STINT_FETCH_OK && tmp[0] != '\0') {
		unlink(tmp);
		tmp[0] = '\0';
	}
	if (in >= 0)
		close(in);
	if (root_fd >= 0)
		close(root_fd);
	return rc;
}

int stint_media_write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char tmp[4400], dst[4400];
	ssize_t w;
	int fd, rc = -1, saved;

	if (snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >= (int)sizeof(tmp) ||
	    snprintf(dst, sizeof(dst), "%s/%s", dir, name) >= (int)sizeof(dst)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0)
		return -1;
	while (len > 0 && (w = write(fd, data, len)) > 0) {
		data += w;
		len -= (size_t)w;
	}
	if (len == 0 && fsync(fd) == 0)
		rc = 0;
	saved = errno;
	if (close(fd) != 0 || rc != 0 || rename(tmp, dst) != 0) {
		saved = rc != 0 ? saved : errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}
