/*
 * live.h: live messages (ARCHITECTURE.md, "Live"). A change records its
 * messages in live_messages inside its own transaction; after COMMIT they are
 * published to nchan (POST over the publisher's unix socket, one reused
 * libcurl handle per process). What nchan did not take stays unpublished and
 * bin/stint-livepub (lib/livepub.c) delivers it once nchan is back, so
 * nothing is lost.
 * The stored messages are read back for replay and catching up.
 *
 * A subscriber (cgi-bin/live.c, conf/nginx/stint.conf.in's _nchan_sub
 * location) listens on its session's channel multiplexed with two grant
 * channels that never carry a message: its user's and its share's. nchan
 * ends every subscription on a channel that is deleted, so a change that
 * takes access away (user disabled, token revoked, share removed: lib/tokens.c)
 * deletes the grant channel after its COMMIT (stint_tx_close_live()); a
 * subscriber that still may read reconnects and resumes.
 */
#ifndef STINT_LIVE_H
#define STINT_LIVE_H

#include <stddef.h>

#include "db.h"

/*
 * A live message recorded in a transaction, to publish after its COMMIT;
 * or, when text is NULL, a grant channel (session_id holds its name) whose
 * subscriptions end after the COMMIT, before any message is published.
 */
typedef struct stint_live_message {
	const char *session_id;
	const char *text;         /* the message JSON, as live_messages holds it; NULL: end session_id */
} stint_live_message;

#define STINT_LIVE_CHANNEL_LEN 96  /* a grant channel's name and its NUL */

/*
 * Publish n committed messages to nchan, each session's in the order given,
 * and mark in live_messages those nchan took (a transaction of its own,
 * not waiting for the disk). A session whose message nchan refused keeps
 * the rest of its messages for bin/stint-livepub, so order is never broken.
 * Entries without text are grant channels to end (stint_live_close()),
 * ended before any message goes out.
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
 * Start a batch of publishes: the next request to nchan opens a fresh
 * connection (a kept one may reach a worker that an nginx reload retired,
 * whose store no subscriber reads any more), reused for the rest of the
 * batch. stint_live_publish() starts one itself.
 */
void stint_live_batch(void);

/*
 * A replay channel's name: "replay-" and 64 hex digits (a random secret,
 * so a viewer's replay is theirs alone), with its NUL.
 */
#define STINT_LIVE_REPLAY_LEN (7 + 64 + 1)

/*
 * POST one message (JSON text) to replay channel channel (bin/stint-replay,
 * seed 001's /ws/session/<id>/), SSE event name type. Returns nchan's
 * answer: 201 (someone listens), 202 (nobody yet or any more), 0 when
 * nchan could not be reached, another status when it refused.
 */
long stint_live_replay_send(const char *channel, const char *type, const char *body);

/*
 * Delete replay channel channel at nchan, which ends its subscriptions
 * (the viewer's socket closes). Returns 0, or -1 (logged).
 */
int stint_live_replay_end(const char *channel);

/* The grant channel of user_id (digits): "user-<id>". */
void stint_live_user_channel(char out[STINT_LIVE_CHANNEL_LEN], const char *user_id);

/* The grant channel of user_id's share of session_id: "share-<session>-<user>". */
void stint_live_share_channel(char out[STINT_LIVE_CHANNEL_LEN], const char *session_id, const char *user_id);

/*
 * Delete grant channel channel at nchan (DELETE over the publisher socket),
 * which ends every subscription listening on it. Returns 0 when nchan did
 * (or nobody listened), else -1 (logged).
 */
int stint_live_close(const char *channel);

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

#endif
