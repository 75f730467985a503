/*
 * live.h: live messages (ARCHITECTURE.md, "Live"). A change records its
 * messages in live_messages inside its own transaction; after COMMIT they are
 * published to nchan (POST over the publisher's unix socket, one reused
 * libcurl handle per process). What nchan did not take stays unpublished and
 * bin/stint-livepub (lib/livepub.c) delivers it once nchan is back, so
 * nothing is lost.
 * The stored messages are read back for replay and catching up.
 */
#ifndef STINT_LIVE_H
#define STINT_LIVE_H

#include <stddef.h>

#include "db.h"
#include "http.h"

/* A live message recorded in a transaction, to publish after its COMMIT. */
typedef struct stint_live_message {
	const char *session_id;
	const char *text;         /* the message JSON, as live_messages holds it */
} stint_live_message;

/*
 * Publish n committed messages to nchan, each session's in the order given,
 * and mark in live_messages those nchan took (a transaction of its own,
 * not waiting for the disk). A session whose message nchan refused keeps
 * the rest of its messages for bin/stint-livepub, so order is never broken.
 */
void stint_live_publish(stint_db *db, const stint_live_message *m, size_t n);

/*
 * POST one message (JSON text) to nchan's channel for session_id, with the
 * SSE event name type. Returns 0 when nchan took it (201 or 202), else -1.
 * The publisher socket is the setting nchan_socket (default
 * VAR_DIR/run/nchan-pub.sock).
 */
int stint_live_send(const char *session_id, const char *type, const char *body);

/*
 * The stored messages of session_id after seq after_seq (decimal text, "0"
 * for all), at most limit of them (decimal text): *json (heap, caller
 * frees) is {"messages": [message, ...], "last_seq": n}, n the session's
 * highest seq so far (0 when it has none); NULL unless STINT_DB_OK. Reads
 * through LIVE_TIMELINE.
 */
stint_db_rc stint_live_timeline(stint_db *db, const char *session_id, const char *after_seq,
				const char *limit, char **json);

/*
 * The highest seq of session_id's messages so far, 0 when it has none: a
 * page's script catches up from there. Reads through LIVE_TIMELINE.
 */
stint_db_rc stint_live_last_seq(stint_db *db, const char *session_id, long long *last_seq);

/*
 * The request's outbox, the old way to record a change's messages, which
 * stint_tx (lib/tx.h) replaces: these two and the http.h include go once
 * their last callers are on stint_tx (issue 10).
 *
 * Run a catalogue statement that records messages and returns their texts,
 * one a row (LIVE_RECORD, LIVE_RECORD_MANY, LIVE_RECORD_ROLLUP, ...; its
 * first parameter is the session id) in r's open transaction, and keep them
 * for stint_live_finish(). Returns a stint_db_rc.
 */
stint_db_rc stint_live_record(stint_req *r, stint_sql id, int n, const char *const *params);

/*
 * End r's write transaction. When rc (the change's result so far) is
 * STINT_DB_OK: COMMIT, then publish the messages recorded in it, in order,
 * and mark those nchan took. Otherwise, or when the COMMIT fails: ROLLBACK
 * and forget the recorded messages. Returns the change's final stint_db_rc
 * (a publishing failure is not an error: the re-publisher delivers later).
 */
stint_db_rc stint_live_finish(stint_req *r, stint_db_rc rc);

#endif
