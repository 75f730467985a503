/* livesub.c: a live subscription's hand-over to nchan (see livesub.h). */
#include "livesub.h"

#include <string.h>

#include "buf.h"
#include "csrf.h"
#include "fail.h"

/* nchan message ids: "1795312850:0", or "1795312850:[0],-,-" for multi-channel. */
static int event_id_ok(const char *id)
{
	size_t n = strlen(id);

	return n >= 3 && n <= 100 && strspn(id, "0123456789:[],-") == n && strchr(id, ':') != NULL;
}

/*
 * 1 when the request may come from where it says: no Origin (a same-origin
 * EventSource or fetch, or not a browser), or Stint's own origin: that of
 * the setting public_base_url, or, when that is not set, the request's own
 * scheme and Host. Another origin's page rides on the victim's login cookie.
 */
int stint_live_origin_ok(const stint_req *r)
{
	const char *origin = stint_req_env(r, "HTTP_ORIGIN");

	return origin == NULL || stint_origin_is_own(r, origin);
}

/*
 * The message id to resume after, as sent: the Last-Event-ID header
 * (EventSource's reconnect), or else the last_event_id parameter (a first
 * connect); NULL or "" for none.
 */
static const char *resume_id(const stint_req *r)
{
	const char *last = stint_req_env(r, "HTTP_LAST_EVENT_ID");

	return last != NULL && *last != '\0' ? last : stint_kv_get(&r->query, "last_event_id");
}

/*
 * 1 for nchan's "oldest" (time 0, e.g. "0:0"): nchan refuses it on a
 * multiplexed channel, so such a subscriber goes to the location that
 * starts at the oldest buffered message (_nchan_sub_oldest).
 */
static int is_oldest(const char *id)
{
	return strspn(id, "0") == strcspn(id, ":");
}

void stint_live_subscribe(stint_req *r, const char *sid)
{
	const char *last = resume_id(r);
	stint_buf loc = STINT_BUF_INIT;

	if (!stint_live_origin_ok(r)) {
		stint_fail(r, 403, "forbidden", "Live updates are only served to Stint's own pages.", NULL);
		return;
	}
	if (last != NULL && *last != '\0' && !event_id_ok(last)) {
		stint_fail_field(r, "last_event_id", "is not a message id this server gave");
		return;
	}
	/* the session's channel, with the caller's grant channels: nginx's _nchan_sub location */
	if (last != NULL && *last != '\0' && is_oldest(last))
		stint_buf_printf(&loc, "/_nchan_sub_oldest/sessions/%s/%s", sid, r->user.id_text);
	else
		stint_buf_printf(&loc, "/_nchan_sub/sessions/%s/%s", sid, r->user.id_text);
	if (last != NULL && *last != '\0' && !is_oldest(last))
		stint_buf_printf(&loc, "?last_event_id=%s", last);
	stint_resp_header(r, "X-Accel-Redirect", loc.data);
	stint_resp_header(r, "X-Accel-Buffering", "no");
	stint_resp_send(r, 200, NULL, NULL, 0);
	stint_buf_free(&loc);
}


void stint_live_subscribe_replay(stint_req *r, const char *sid, const char *channel)
{
	stint_buf loc = STINT_BUF_INIT;

	if (!stint_live_origin_ok(r)) {
		stint_fail(r, 403, "forbidden", "Live updates are only served to Stint's own pages.", NULL);
		return;
	}
	stint_buf_printf(&loc, "/_nchan_replay/%s/%s/%s", sid, r->user.id_text, channel);
	stint_resp_header(r, "X-Accel-Redirect", loc.data);
	stint_resp_header(r, "X-Accel-Buffering", "no");
	stint_resp_send(r, 200, NULL, NULL, 0);
	stint_buf_free(&loc);
}
