/*
 * upload.h: the files of resumable uploads (tus 1.0, https://tus.io/protocols/resumable-upload;
 * cgi-bin/uploads.c speaks the protocol, docs/uploads.md describes it).
 *
 * An upload's bytes so far are VAR/uploads/tus/<upload id>.part. nginx
 * writes each PATCH body whole to a file of its own (client_body_in_file_only),
 * and stint_upload_append() copies that file onto the end of the part file
 * inside the kernel (copy_file_range, else sendfile): a chunk never passes
 * through a handler's memory, and a chunk cut off in transit never reaches
 * the part file at all (nginx drops it), so the part file holds exactly the
 * complete chunks. Once complete, stint_upload_finish() renames the part
 * file into the session's media folder.
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
 * Make the part file `part` hold exactly offset bytes (creating it, mode
 * 0640, with its folder; cutting off what a failed earlier attempt may have
 * left past offset) and append the whole of file chunk (NULL: an empty
 * chunk). With sync (the chunk that completes the upload) the file is
 * flushed to disk (fdatasync) before returning. Other chunks are left to the
 * kernel's write-back, overlapping the next chunk's transfer: a crash may
 * then lose the last ones, which stint_upload_held() tells. *added is the
 * number of bytes appended. Returns 0, or -1 with errno set (the part file
 * may then hold more than offset bytes; the next call cuts them off).
 */
int stint_upload_append(const char *part, long long offset, const char *chunk, int sync, long long *added);

/*
 * How many of the recorded bytes the part file `part` really holds: the
 * smaller of recorded and its size (0 when it does not exist). After a crash
 * the kernel may not have written the last chunks (stint_upload_append()
 * does not flush them); on ext4 with data=ordered a file's size grows only
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
