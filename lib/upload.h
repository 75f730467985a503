/*
 * upload.h: the files of resumable uploads (tus 1.0, https://tus.io/protocols/resumable-upload;
 * cgi-bin/uploads.c speaks the protocol, docs/uploads.md describes it).
 *
 * An upload's bytes so far are VAR/uploads/tus/<upload id>.part. nginx
 * passes each PATCH body on as it arrives (request buffering off, body
 * STREAM) and stint_upload_write() writes it at its offset in the part file:
 * every byte is written once, while it arrives, and a PATCH cut off in
 * transit keeps what arrived (tus 1.0: "the Server SHOULD always attempt to
 * store as much of the received data as possible"). Once complete,
 * stint_upload_finish() renames the part file into the session's media
 * folder.
 */
#ifndef STINT_UPLOAD_H
#define STINT_UPLOAD_H

#include <stddef.h>

#include "db.h"

/* What an upload's Upload-Metadata declares (tus 1.0, "Creation"). */
typedef struct stint_upload_meta {
	char kind[8];            /* "video" or "audio" */
	char filename[201];      /* "" when not given */
	char title[201];         /* the filename when not given */
	double offset_sec;       /* where its clip starts on the session's timeline; 0 when not given */
} stint_upload_meta;

/*
 * Read the header Upload-Metadata h (NULL or "": none) into m: comma-separated
 * "key base64(value)" pairs (a key alone has an empty value), the keys kind,
 * filename, title, offset_sec and filetype (the kind when kind is missing:
 * video/... or audio/...); other keys are ignored. Values must decode to
 * printable text (no control characters), kind to video or audio,
 * filename and title to at most 200 bytes, offset_sec to a number from
 * -10000000 to 10000000. Returns NULL, or the name of the field at fault
 * ("Upload-Metadata" for the syntax) with a static explanation in *problem.
 */
const char *stint_upload_meta_parse(const char *h, stint_upload_meta *m, const char **problem);

/* The largest upload in bytes: the setting upload_max_bytes, default 8 GiB. */
long long stint_upload_max_bytes(void);

/*
 * The absolute name of upload id's part file (id: a canonical UUID, as the
 * router captured it) in out. Returns 0, or -1 when it does not fit in size
 * bytes.
 */
int stint_upload_part_path(const char *id, char *out, size_t size);

/*
 * Where a PATCH body's bytes come from: reads up to n bytes into buf and
 * returns how many (blocking until some arrive), 0 at the end of the body, or
 * -1 when it broke off. http.h's stint_req_read() is one.
 */
typedef long (*stint_upload_reader)(void *ctx, char *buf, size_t n);

/* What stint_upload_write() made of a body. */
typedef enum stint_upload_end {
	STINT_UPLOAD_ENDED,     /* the body ended: all of it is in the part file */
	STINT_UPLOAD_CUT,       /* it broke off: what arrived is in the part file */
	STINT_UPLOAD_TOO_LONG,  /* it went past room: none of it is kept */
	STINT_UPLOAD_BUSY,      /* another request is writing the upload: nothing read */
	STINT_UPLOAD_FAILED     /* a read or write error (errno set; ENOSPC: the disk is full) */
} stint_upload_end;

/*
 * An upload's part file open and locked for one PATCH (stint_upload_open);
 * stint_upload_close() ends it.
 */
typedef struct stint_upload_file {
	int fd;
} stint_upload_file;

/*
 * Open the part file `part` (creating it, mode 0640, with its folder) and
 * take its lock (flock, released by stint_upload_close or the process's
 * end), so that one PATCH at a time writes an upload. Returns 0,
 * STINT_UPLOAD_BUSY when another request holds the lock, or
 * STINT_UPLOAD_FAILED (errno set).
 */
int stint_upload_open(const char *part, stint_upload_file *f);

/* Release f's lock and close it; 0, or -1 when close failed (errno set). */
int stint_upload_close(stint_upload_file *f);

/*
 * Make the locked part file f hold exactly offset bytes (cutting off what a
 * failed earlier attempt may have left past it), then write the body read
 * from read(ctx) after them, at most room bytes. The disk starts writing
 * each 8 MiB while the next arrive (sync_file_range, not waiting); a body
 * that fills room (it completes the upload) is flushed (fdatasync) before
 * returning. *added is the number of bytes now held after offset (0 for
 * TOO_LONG, which cuts the file back to offset). Returns what became of the
 * body (stint_upload_end; never BUSY).
 */
stint_upload_end stint_upload_write(stint_upload_file *f, long long offset, long long room,
				    stint_upload_reader read, void *ctx, long long *added);

/*
 * How many of the recorded bytes the part file `part` really holds: the
 * smaller of recorded and its size (0 when it does not exist). After a crash
 * the kernel may not have written the last bytes (stint_upload_write()
 * flushes only the completing body); on ext4 with data=ordered a file's size grows only
 * with its data written, so the size is what survived, and the client
 * resumes from there (tus 1.0 lets the server report a smaller offset).
 */
long long stint_upload_held(const char *part, long long recorded);

/*
 * Give the complete part file its stored name media/<sid>/<32 random
 * hex>.<ext> (rename, so it moves whole or not at all), creating the
 * session's folder when needed; the var-relative name goes to rel.
 * Returns 0, or -1 (no randomness, no folder, name too long, rename failed).
 */
int stint_upload_finish(const char *part, const char *sid, const char *ext, char *rel, size_t size);

/*
 * The bytes free for an unprivileged user on the file system of the
 * uploads folder (statvfs f_bavail x f_frsize) in *out. Returns 0, or -1.
 */
int stint_upload_free_bytes(long long *out);

/*
 * One batch of the uploads' part of the retention sweep: remove at most
 * batch uploads past their expires_at (UPLOAD_SWEEP) and, once that is
 * committed, their part files. *n is how many were removed.
 */
stint_db_rc stint_upload_sweep(stint_db *db, long batch, long *n);

#endif
