/*
 * stint-admin: accounts from the command line (bin/stint user ..., bin/stint
 * token ...). Talks to the database named by STINT_DATABASE_URL.
 *
 *   stint-admin user add EMAIL --role admin|coach|analyst|viewer [--name NAME] [--password-stdin]
 *   stint-admin user passwd EMAIL [--password-stdin]
 *   stint-admin user disable EMAIL
 *   stint-admin token create --user EMAIL --scope read|write [--name NAME]
 *   stint-admin token revoke            (the token on standard input)
 *   stint-admin import FILE.dvw [--video FILE.mp4] [--owner EMAIL] [--title T] [--demo-key K]
 *   stint-admin media fetch DIR    (stored names on standard input)
 *   stint-admin media put DIR      (stored names on standard input)
 *
 * import copies the video into the media folder (setting var_dir) and
 * stores the match as one session; with --demo-key a session imported
 * under that key before is left as it is (bin/stint demo runs twice).
 * Without --password-stdin a random password is made and printed once.
 * media fetch and media put copy stored files between the media bucket and
 * a folder for bin/stint backup and restore (docs/backup.md): see
 * media_copy() below; they need the bucket's settings, not the database.
 * Exit status: 0 done, 1 refused (with a message), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "conf.h"
#include "db.h"
#include "importer.h"
#include "log.h"
#include "media.h"
#include "store.h"
#include "probe.h"
#include "tokens.h"
#include "tx.h"
#include "validate.h"

/* The audit rows' detail: who wrote them (as actor "0", the system). */
#define VIA "{\"via\":\"stint-admin\"}"

typedef struct admin_opts {
	const char *arg, *role, *name, *user, *scope, *video, *title, *demo_key;
	int password_stdin;
} admin_opts;

static int usage(void)
{
	fprintf(stderr,
		"usage: stint-admin user add EMAIL --role admin|coach|analyst|viewer [--name NAME] [--password-stdin]\n"
		"       stint-admin user passwd EMAIL [--password-stdin]\n"
		"       stint-admin user disable EMAIL\n"
		"       stint-admin token create --user EMAIL --scope read|write [--name NAME]\n"
		"       stint-admin token revoke   (reads the token from standard input)\n"
		"       stint-admin import FILE.dvw [--video FILE.mp4] [--owner EMAIL] [--title T] [--demo-key K]\n"
		"       stint-admin media fetch|put DIR   (reads PATH[<tab>CONTENT-TYPE] lines from standard input)\n");
	return 2;
}

static int parse_opts(int argc, char **argv, int from, admin_opts *o)
{
	const char **slot;
	int i;

	for (i = from; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--password-stdin") == 0) {
			o->password_stdin = 1;
			continue;
		}
		if (a[0] != '-') {
			if (o->arg != NULL)
				return -1;
			o->arg = a;
			continue;
		}
		if (strcmp(a, "--role") == 0)
			slot = &o->role;
		else if (strcmp(a, "--name") == 0)
			slot = &o->name;
		else if (strcmp(a, "--user") == 0)
			slot = &o->user;
		else if (strcmp(a, "--scope") == 0)
			slot = &o->scope;
		else if (strcmp(a, "--video") == 0)
			slot = &o->video;
		else if (strcmp(a, "--owner") == 0)
			slot = &o->user;
		else if (strcmp(a, "--title") == 0)
			slot = &o->title;
		else if (strcmp(a, "--demo-key") == 0)
			slot = &o->demo_key;
		else
			return -1;
		if (++i == argc)
			return -1;
		*slot = argv[i];
	}
	return 0;
}

/*
 * The password: one line from stdin, or (generated set to 1) 24 random hex
 * digits (96 bits) that the caller prints once.
 */
static int get_password(const admin_opts *o, char *out, size_t size, int *generated)
{
	size_t n;

	*generated = !o->password_stdin;
	if (*generated) {
		if (stint_secret_new(out, size, 0) != 0)
			return -1;
		out[24] = '\0';
		return 0;
	}
	if (fgets(out, (int)size, stdin) == NULL)
		return -1;
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	if (n < 8) {
		fprintf(stderr, "stint-admin: a password has at least 8 characters\n");
		return -1;
	}
	return 0;
}

/* Say why the database refused; returns -1. */
static int db_refused(stint_db_rc rc)
{
	fprintf(stderr, "stint-admin: %s\n", rc == STINT_DB_CONFLICT ? "that user exists already" :
		rc == STINT_DB_UNAVAILABLE ? "the database is not reachable" : "the database refused it");
	return -1;
}

/*
 * How a change went: 1 done, 0 not found (with the message "no user
 * EMAIL" when who is given), -1 refused (said).
 */
static int outcome(stint_db_rc rc, int found, const char *who)
{
	if (rc != STINT_DB_OK)
		return db_refused(rc);
	if (!found && who != NULL)
		fprintf(stderr, "stint-admin: no user %s\n", who);
	return found ? 1 : 0;
}

static int user_add(stint_db *db, const admin_opts *o)
{
	static const char *const roles[] = { "admin", "coach", "analyst", "viewer" };
	char password[1100], hash[crypto_pwhash_STRBYTES], id[STINT_USER_ID_LEN];
	stint_tx tx;
	int generated, i, ok = 0;

	for (i = 0; o->role != NULL && i < 4; i++)
		ok |= strcmp(o->role, roles[i]) == 0;
	if (o->arg == NULL || strchr(o->arg, '@') == NULL || !ok)
		return usage();
	if (get_password(o, password, sizeof(password), &generated) != 0 ||
	    stint_password_hash(password, hash) != 0)
		return 1;
	stint_tx_begin(&tx, db, NULL);
	stint_user_create(&tx, o->arg, o->name ? o->name : "", o->role, hash, VIA, id);
	if (outcome(stint_tx_end(&tx), 1, NULL) != 1)
		return 1;
	if (generated)
		printf("%s\n", password);
	return 0;
}

static int user_passwd(stint_db *db, const admin_opts *o)
{
	char password[1100], hash[crypto_pwhash_STRBYTES], id[STINT_USER_ID_LEN];
	stint_tx tx;
	int generated, found;

	if (o->arg == NULL)
		return usage();
	if (get_password(o, password, sizeof(password), &generated) != 0 ||
	    stint_password_hash(password, hash) != 0)
		return 1;
	stint_tx_begin(&tx, db, NULL);
	stint_user_set_password(&tx, o->arg, hash, VIA, id, &found);
	if (outcome(stint_tx_end(&tx), found, o->arg) != 1)
		return 1;
	if (generated)
		printf("%s\n", password);
	return 0;
}

static int user_disable(stint_db *db, const admin_opts *o)
{
	char id[STINT_USER_ID_LEN];
	stint_tx tx;
	int found;

	if (o->arg == NULL)
		return usage();
	stint_tx_begin(&tx, db, NULL);
	stint_user_disable(&tx, o->arg, VIA, id, &found);
	return outcome(stint_tx_end(&tx), found, o->arg) == 1 ? 0 : 1;
}

static int token_create(stint_db *db, const admin_opts *o)
{
	char token[STINT_TOKEN_LEN + 1], id[STINT_USER_ID_LEN];
	stint_tx tx;
	stint_db_rc rc;
	int found;

	if (o->user == NULL || o->scope == NULL ||
	    (strcmp(o->scope, "read") != 0 && strcmp(o->scope, "write") != 0))
		return usage();
	rc = stint_user_id_by_email(db, o->user, id, &found);
	if (outcome(rc, found, o->user) != 1)
		return 1;
	stint_tx_begin(&tx, db, NULL);
	stint_token_create(&tx, id, o->name ? o->name : "command line", o->scope, VIA, token, NULL);
	if (outcome(stint_tx_end(&tx), 1, NULL) != 1)
		return 1;
	printf("%s\n", token);
	return 0;
}

/* Revoke the token read from stdin (a secret never goes on a command line). */
static int token_revoke(stint_db *db)
{
	char token[STINT_TOKEN_LEN + 3], id[STINT_USER_ID_LEN];
	stint_tx tx;
	int found;

	if (fgets(token, (int)sizeof(token), stdin) == NULL)
		return usage();
	token[strcspn(token, "\r\n")] = '\0';
	stint_tx_begin(&tx, db, NULL);
	stint_token_revoke_secret(&tx, token, VIA, id, &found);
	found = outcome(stint_tx_end(&tx), found, NULL);
	if (found == 0)
		fprintf(stderr, "stint-admin: no such token, or it is revoked already\n");
	return found == 1 ? 0 : 1;
}

static int read_file(const char *path, stint_buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (f == NULL) {
		fprintf(stderr, "stint-admin: cannot open %s\n", path);
		return -1;
	}
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = stint_buf_append(out, chunk, n);
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

/*
 * Copy the video into var/media/import/ (temp name, then rename) unless a
 * file of that name and size is there; its var-relative name into rel.
 * That folder is a staging area no client can name (stint_auth_media_file):
 * the import links the file into the new session's own folder.
 */
static int stage_video(const char *src, char *rel, size_t size)
{
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	const char *var = stint_config_get("var_dir", "var");
	char dir[4096], dst[4200], tmp[4300];
	stint_buf data = STINT_BUF_INIT;
	struct stat a, b;
	FILE *f;
	int rc = -1;

	if (strspn(base, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(base) ||
	    base[0] == '.' || stat(src, &a) != 0) {
		fprintf(stderr, "stint-admin: %s: name the video with letters, digits and . _ -\n", src);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/media", var);
	mkdir(dir, 0750);
	snprintf(dir, sizeof(dir), "%s/media/import", var);
	mkdir(dir, 0750);
	snprintf(rel, size, "media/import/%s", base);
	snprintf(dst, sizeof(dst), "%s/%s", var, rel);
	if (stat(dst, &b) == 0 && b.st_size == a.st_size)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", dst);
	if (read_file(src, &data) != 0 || (f = fopen(tmp, "wb")) == NULL)
		goto out;
	if (fwrite(data.data, 1, data.len, f) == data.len && fclose(f) == 0)
		rc = rename(tmp, dst);
	else
		fclose(f);
	if (rc != 0) {
		fprintf(stderr, "stint-admin: cannot write %s\n", tmp);
		unlink(tmp);
	}
out:
	stint_buf_free(&data);
	return rc;
}

static int import_match(stint_db *db, const admin_opts *o)
{
	stint_import opt = { 0 };
	stint_buf data = STINT_BUF_INIT, warnings = STINT_BUF_INIT;
	stint_media_info info;
	char owner[STINT_USER_ID_LEN] = "", rel[600], abs[4800], kept[600] = "", id[37], *demo = NULL;
	const char *who = o->user ? o->user : "admin@stint.local";
	stint_import_rc import_rc;
	stint_db_rc db_rc;
	stint_tx tx;
	long events;
	int rc = 1, found = 0;

	if (o->arg == NULL)
		return usage();
	if (o->demo_key != NULL && stint_import_demo_session(db, o->demo_key, &demo) == STINT_DB_OK &&
	    demo != NULL) {
		printf("%s (imported before)\n", demo);
		free(demo);
		return 0;
	}
	db_rc = stint_user_id_by_email(db, who, owner, &found);
	if (db_rc != STINT_DB_OK) {
		db_refused(db_rc);
		return 1;
	}
	if (!found) {
		fprintf(stderr, "stint-admin: no user %s to own the session\n", who);
		return 1;
	}
	if (read_file(o->arg, &data) != 0)
		goto out;
	if (o->video != NULL) {
		if (stage_video(o->video, rel, sizeof(rel)) != 0)
			goto out;
		snprintf(abs, sizeof(abs), "%s/%s", stint_config_get("var_dir", "var"), rel);
		if (stint_media_probe(abs, &info) != 0 || !info.has_video) {
			fprintf(stderr, "stint-admin: %s is not a video ffprobe can read\n", o->video);
			goto out;
		}
		opt.video_file = abs;
		opt.video_ext = strrchr(rel, '.') && strlen(strrchr(rel, '.')) < 8 ? strrchr(rel, '.') + 1 : "mp4";
		opt.video_duration_sec = info.duration_sec;
		opt.video_kept = kept;
		opt.video_kept_size = sizeof(kept);
	}
	opt.owner_id = owner;
	opt.title = o->title;
	opt.demo_key = o->demo_key;
	stint_tx_begin(&tx, db, owner);
	import_rc = stint_import_dvw(&tx, &opt, data.data, data.len, id, &events, &warnings);
	db_rc = stint_tx_end(&tx);
	if (db_rc != STINT_DB_OK)
		stint_store_unlink(kept);
	if (import_rc == STINT_IMPORT_BAD_FILE) {
		fprintf(stderr, "stint-admin: %s: %s", o->arg, warnings.data ? warnings.data : "not a DataVolley file\n");
	} else if (db_rc != STINT_DB_OK) {
		fprintf(stderr, "stint-admin: the database refused the import\n");
	} else {
		if (warnings.len > 0)
			fprintf(stderr, "%s", warnings.data);
		printf("%s (%ld events)\n", id, events);
		rc = 0;
	}
out:
	stint_buf_free(&data);
	stint_buf_free(&warnings);
	return rc;
}

/* Make the folders between dir and the file dir/rel (0750): 0, or -1 with errno set. */
static int make_parents(const char *dir, const char *rel)
{
	char path[4200], *slash;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, rel);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0750) != 0 && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	return 0;
}

/* What one line of media fetch|put came to. */
typedef enum { COPY_DONE = 0, COPY_MISSING = 1, COPY_FAILED = -1 } copy_rc;

/*
 * The object of rel into dir/rel: fetched as the hidden name
 * <folder>/.<name>.fetch-XXXXXX beside it, then renamed, so dir/rel is
 * whole or absent. A file already at dir/rel stays (an object is never
 * rewritten under its name). err gets the reason of COPY_MISSING or
 * COPY_FAILED.
 */
static copy_rc fetch_one(const char *dir, const char *rel, char *err, size_t errsize)
{
	char dst[4200], tmp[4400];
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	stint_store_rc rc;
	int fd, n;

	snprintf(dst, sizeof(dst), "%s/%s", dir, rel);
	if (access(dst, F_OK) == 0)
		return COPY_DONE;
	n = snprintf(tmp, sizeof(tmp), "%.*s.%s.fetch-XXXXXX", (int)(strlen(dst) - strlen(name)), dst, name);
	if (n < 0 || (size_t)n >= sizeof(tmp) || make_parents(dir, rel) != 0 || (fd = mkstemp(tmp)) < 0) {
		snprintf(err, errsize, "cannot make a temporary file beside %.900s: %s", dst, strerror(errno));
		return COPY_FAILED;
	}
	close(fd);
	unlink(tmp); /* stint_store_fetch creates it (O_EXCL) */
	rc = stint_store_fetch(rel, tmp, err, errsize);
	if (rc == STINT_STORE_FAILED)
		return COPY_MISSING;
	if (rc != STINT_STORE_OK)
		return COPY_FAILED;
	if (rename(tmp, dst) != 0) {
		snprintf(err, errsize, "cannot rename the fetched file to %.900s: %s", dst, strerror(errno));
		unlink(tmp);
		return COPY_FAILED;
	}
	return COPY_DONE;
}

/* The file dir/rel into the media bucket as rel's object, Content-Type ctype. */
static copy_rc put_one(const char *dir, const char *rel, const char *ctype, char *err, size_t errsize)
{
	char src[4200];
	struct stat st;

	snprintf(src, sizeof(src), "%s/%s", dir, rel);
	if (stat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "no file %.900s", src);
		return COPY_MISSING;
	}
	return stint_store_put(src, rel, ctype, err, errsize) == STINT_STORE_OK ? COPY_DONE : COPY_FAILED;
}

/*
 * media fetch|put DIR (bin/stint backup and restore, docs/backup.md). Each
 * line of stdin is "PATH" or "PATH<tab>CONTENT-TYPE": PATH a stored file's
 * var-relative name as rows hold it (media/..., reports/...,
 * uploads/raw/...), whose object is <media_s3_prefix>PATH in the media
 * bucket (lib/store.h; the settings media_s3_* and s3_*, whatever
 * media_storage says). DIR must be a folder. fetch copies each object to
 * DIR/PATH (folders made as needed; a hidden temporary name, then a rename);
 * put stores each file DIR/PATH as its object with that Content-Type
 * (default application/octet-stream). Each line gets one answer on stdout,
 * tab-separated: "fetched PATH" or "put PATH", or "missing PATH" (no such
 * object, or no such file; the reason on stderr). Returns the exit status: 0
 * every line answered (missing ones too); 1 when S3 could not be reached or
 * refused, a file could not be written, or a line is not a stored name (the
 * message names the path and the reason, never the secret); 2 usage.
 */
static int media_copy(const char *how, const char *dir)
{
	char line[1400], err[1024];
	int fetch = strcmp(how, "fetch") == 0;
	struct stat st;
	copy_rc rc;
	char *tab;

	if ((!fetch && strcmp(how, "put") != 0) || dir == NULL)
		return usage();
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "stint-admin: media %s: %s is not a folder\n", how, dir);
		return 1;
	}
	if (stint_store_check(err, sizeof(err)) != 0) {
		fprintf(stderr, "stint-admin: settings: %s\n", err);
		return 1;
	}
	while (fgets(line, (int)sizeof(line), stdin) != NULL) {
		if (strchr(line, '\n') == NULL && !feof(stdin)) {
			fprintf(stderr, "stint-admin: media %s: a line longer than %zu bytes\n", how, sizeof(line) - 2);
			return 1;
		}
		line[strcspn(line, "\r\n")] = '\0';
		tab = strchr(line, '\t');
		if (tab != NULL)
			*tab++ = '\0';
		if (line[0] == '\0')
			continue;
		if (!stint_is_safe_relpath(line)) {
			fprintf(stderr, "stint-admin: media %s: %s is not a stored file's name\n", how, line);
			return 1;
		}
		err[0] = '\0';
		rc = fetch ? fetch_one(dir, line, err, sizeof(err))
			   : put_one(dir, line, tab != NULL && *tab != '\0' ? tab : "application/octet-stream", err,
				     sizeof(err));
		if (rc == COPY_FAILED) {
			fprintf(stderr, "stint-admin: media %s: %s: %s\n", how, line, err);
			return 1;
		}
		if (rc == COPY_MISSING)
			fprintf(stderr, "stint-admin: media %s: %s: missing (%s)\n", how, line, err);
		printf("%s\t%s\n", rc == COPY_MISSING ? "missing" : fetch ? "fetched" : "put", line);
	}
	return fflush(stdout) == 0 && !ferror(stdin) ? 0 : 1;
}

int main(int argc, char **argv)
{
	admin_opts o = { 0 };
	stint_db db;
	int rc;

	stint_log_init("stint-admin");
	if (argc < 3 || parse_opts(argc, argv, strcmp(argv[1], "import") == 0 ? 2 : 3, &o) != 0 ||
	    stint_config_load(NULL) != 0)
		return usage();
	if (strcmp(argv[1], "media") == 0)
		return media_copy(argv[2], o.arg);
	if (stint_db_init(&db, stint_config_get("database_url", "")) != 0)
		return 1;
	if (strcmp(argv[1], "user") == 0 && strcmp(argv[2], "add") == 0)
		rc = user_add(&db, &o);
	else if (strcmp(argv[1], "user") == 0 && strcmp(argv[2], "passwd") == 0)
		rc = user_passwd(&db, &o);
	else if (strcmp(argv[1], "user") == 0 && strcmp(argv[2], "disable") == 0)
		rc = user_disable(&db, &o);
	else if (strcmp(argv[1], "token") == 0 && strcmp(argv[2], "create") == 0)
		rc = token_create(&db, &o);
	else if (strcmp(argv[1], "token") == 0 && strcmp(argv[2], "revoke") == 0)
		rc = token_revoke(&db);
	else if (strcmp(argv[1], "import") == 0)
		rc = import_match(&db, &o);
	else
		rc = usage();
	stint_db_close(&db);
	return rc;
}
