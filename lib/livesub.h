/*
 * livesub.h: a live subscription's hand-over to nchan (ARCHITECTURE.md,
 * "Live"; conf/nginx/stint.conf.in's _nchan_sub location), shared by the
 * native GET /live/sessions/<id> and seed 001's /ws/session-live/<id>/.
 */
#ifndef STINT_LIVESUB_H
#define STINT_LIVESUB_H

#include "http.h"

/*
 * Answer a subscription to session sid's live messages by a caller the
 * route's access check let view it: refuses (403) a foreign Origin and
 * (422, field last_event_id) a message id this server did not give, else
 * answers X-Accel-Redirect: /_nchan_sub/sessions/<sid>/<user>, forwarding
 * the validated id to resume after (Last-Event-ID, or the query's
 * last_event_id). Without one the subscriber starts at the next message.
 * EventSource, long-poll or WebSocket alike; a WebSocket subscriber may
 * also send updates (cgi-bin/live.c, ws_frame()).
 */
void stint_live_subscribe(stint_req *r, const char *sid);

/*
 * 1 when the request may come from where it says: no Origin (a same-origin
 * EventSource or fetch, or not a browser), or Stint's own origin (lib/csrf.h).
 */
int stint_live_origin_ok(const stint_req *r);

/*
 * Answer a subscription to replay channel channel (lib/live.h,
 * "replay-<hex>") of session sid, by a caller who may view it: 403 for a
 * foreign Origin, else X-Accel-Redirect:
 * /_nchan_replay/<sid>/<user>/<channel>, which starts at the channel's
 * oldest message (bin/stint-replay may publish before the viewer is
 * there); the caller's grant channels end it as they end live ones.
 */
void stint_live_subscribe_replay(stint_req *r, const char *sid, const char *channel);

#endif
