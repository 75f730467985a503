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
 * left past offset), append the whole of file chunk (NULL: an empty chunk),
 * and flush it to disk (fdatasync) before returning, so that an offset the
 * caller then records is on disk. *added is the number of bytes appended.
 * Returns 0, or -1 with errno set (the part file may then hold more than
 * offset bytes; the next call cuts them off).
 */
int stint_upload_append(const char *part, long long offset, const char *chunk, long long *added);

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
