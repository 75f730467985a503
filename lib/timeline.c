/* timeline.c: event and clip changes with their audit and live messages (see timeline.h). */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "live.h"

/* The ids of a JSON array's elements' key (numbers) as a bigint[] literal "{1,2}". */
static int id_array(stint_buf *b, const cJSON *list, const char *key)
{
	const cJSON *e, *v;
	int rc = stint_buf_putc(b, '{');

	cJSON_ArrayForEach(e, list) {
		v = key ? cJSON_GetObjectItem(e, key) : e;
		if (cJSON_IsNumber(v))
			rc |= stint_buf_printf(b, "%s%.0f", b->len > 1 ? "," : "", v->valuedouble);
	}
	return rc | stint_buf_putc(b, '}');
}

stint_db_rc stint_timeline_check_clips(stint_req *r, const char *sid, const cJSON *events,
				       cJSON **errors, int *bad)
{
	stint_buf ids = STINT_BUF_INIT;
	const char *p[2] = { sid, NULL };
	char *known = NULL, key[40];
	cJSON *ok = NULL;
	const cJSON *e, *c, *k;
	int i = 0, found;
	stint_db_rc rc = STINT_DB_OK;

	*bad = 0;
	if (id_array(&ids, events, "clip_id") != 0) {
		rc = STINT_DB_ERROR;
		goto out;
	}
	if (ids.len == 2)
		goto out;  /* no event names a clip */
	p[1] = ids.data;
	rc = stint_db_text(r->db, STINT_SQL_CLIPS_OF_SESSION, 2, p, &known);
	if (rc != STINT_DB_OK)
		goto out;
	ok = cJSON_Parse(known);
	cJSON_ArrayForEach(e, events) {
		c = cJSON_GetObjectItem(e, "clip_id");
		if (cJSON_IsNumber(c)) {
			found = 0;
			cJSON_ArrayForEach(k, ok)
				found |= k->valuedouble == c->valuedouble;
			if (!found) {
				if (*errors == NULL)
					*errors = cJSON_CreateObject();
				snprintf(key, sizeof(key), "events[%d].clip_id", i);
				cJSON_AddStringToObject(*errors, key, "is not a clip of this session");
				(*bad)++;
			}
		}
		i++;
	}
out:
	cJSON_Delete(ok);
	free(known);
	stint_buf_free(&ids);
	return rc;
}

stint_db_rc stint_timeline_insert(stint_req *r, const char *sid, const char *events_json,
				  const char *source, char **result)
{
	const char *p[3] = { sid, events_json, source }, *live[2] = { sid, NULL };
	stint_buf ids = STINT_BUF_INIT;
	cJSON *inserted = NULL;
	stint_db_rc rc = stint_db_text(r->db, STINT_SQL_EVENTS_INSERT, 3, p, result);

	if (rc == STINT_DB_OK)
		rc = stint_audit(r, "events.add", "session", sid, NULL);
	if (rc == STINT_DB_OK) {
		inserted = cJSON_Parse(*result);
		if (id_array(&ids, cJSON_GetObjectItem(inserted, "ids"), NULL) != 0)
			rc = STINT_DB_ERROR;
	}
	live[1] = ids.data;
	if (rc == STINT_DB_OK)
		rc = stint_live_record(r, STINT_SQL_LIVE_RECORD_EVENTS, 2, live);
	if (rc == STINT_DB_OK)
		rc = stint_live_record(r, STINT_SQL_LIVE_RECORD_ROLLUP, 1, live);
	cJSON_Delete(inserted);
	stint_buf_free(&ids);
	return rc;
}

/* Record one message about an event (data: JSON text), then rollup_updated. */
static stint_db_rc record_event(stint_req *r, const char *sid, const char *type, const char *data)
{
	const char *p[3] = { sid, type, data };
	stint_db_rc rc = stint_live_record(r, STINT_SQL_LIVE_RECORD, 3, p);

	return rc == STINT_DB_OK ? stint_live_record(r, STINT_SQL_LIVE_RECORD_ROLLUP, 1, p) : rc;
}

stint_db_rc stint_timeline_patch(stint_req *r, const char *sid, const char *event_id,
				 const char *patch_json, char **result)
{
	const char *p[3] = { sid, event_id, patch_json };
	stint_db_rc rc = stint_db_begin(r->db);

	*result = NULL;
	if (rc == STINT_DB_OK)
		rc = stint_db_text(r->db, STINT_SQL_EVENT_PATCH, 3, p, result);
	if (rc == STINT_DB_OK && *result != NULL)
		rc = stint_audit(r, "event.update", "event", event_id, patch_json);
	if (rc == STINT_DB_OK && *result != NULL)
		rc = record_event(r, sid, "event_updated", *result);
	rc = stint_live_finish(r, rc);
	if (rc != STINT_DB_OK) {
		free(*result);
		*result = NULL;
	}
	return rc;
}

stint_db_rc stint_timeline_delete(stint_req *r, const char *sid, const char *event_id, int *found)
{
	const char *p[2] = { sid, event_id };
	char *gone = NULL, data[64];
	stint_db_rc rc = stint_db_begin(r->db);

	if (rc == STINT_DB_OK)
		rc = stint_db_text(r->db, STINT_SQL_EVENT_DELETE, 2, p, &gone);
	if (rc == STINT_DB_OK && gone != NULL)
		rc = stint_audit(r, "event.delete", "event", event_id, NULL);
	if (rc == STINT_DB_OK && gone != NULL) {
		snprintf(data, sizeof(data), "{\"id\":%.24s}", gone);
		rc = record_event(r, sid, "event_deleted", data);
	}
	*found = gone != NULL;
	free(gone);
	return stint_live_finish(r, rc);
}

stint_db_rc stint_timeline_move_clip(stint_req *r, const char *sid, const char *clip_id,
				     const char *patch_json, char **result)
{
	const char *p[3] = { sid, clip_id, patch_json };
	stint_db_rc rc = stint_db_begin(r->db);

	*result = NULL;
	if (rc == STINT_DB_OK)
		rc = stint_db_text(r->db, STINT_SQL_CLIP_PATCH, 3, p, result);
	if (rc == STINT_DB_OK && *result != NULL)
		rc = stint_audit(r, "clip.update", "clip", clip_id, patch_json);
	rc = stint_live_finish(r, rc);
	if (rc != STINT_DB_OK) {
		free(*result);
		*result = NULL;
	}
	return rc;
}
