/* timeline.c: a session's events and rollups, read and changed (see timeline.h). */
#include "timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

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

stint_db_rc stint_timeline_list_text(stint_db *db, const char *sid, const stint_timeline_query *q,
				     char **json)
{
	char from[32], to[32], limit[24], offset[24];
	const char *p[8] = { sid, q->type, q->team, q->player,
			     isnan(q->from_sec) ? NULL : from, isnan(q->to_sec) ? NULL : to, limit, offset };

	snprintf(from, sizeof(from), "%.17g", q->from_sec);  /* 17 digits: the same double again */
	snprintf(to, sizeof(to), "%.17g", q->to_sec);
	snprintf(limit, sizeof(limit), "%ld", q->limit);
	snprintf(offset, sizeof(offset), "%ld", q->offset);
	return stint_db_text(db, STINT_SQL_EVENTS_LIST, 8, p, json);
}

stint_db_rc stint_timeline_list_json(stint_db *db, const char *sid, const stint_timeline_query *q,
				     cJSON **page)
{
	char *text = NULL;

	return stint_db_parse(stint_timeline_list_text(db, sid, q, &text), &text, page);
}

stint_db_rc stint_timeline_event_text(stint_db *db, const char *sid, const char *event_id, char **json)
{
	const char *p[2] = { sid, event_id };

	return stint_db_text(db, STINT_SQL_EVENT_GET, 2, p, json);
}

stint_db_rc stint_timeline_event_json(stint_db *db, const char *sid, const char *event_id, cJSON **event)
{
	char *text = NULL;

	return stint_db_parse(stint_timeline_event_text(db, sid, event_id, &text), &text, event);
}

stint_db_rc stint_timeline_recent_json(stint_db *db, const char *sid, int n, cJSON **out)
{
	char count[16];
	const char *p[2] = { sid, count };

	snprintf(count, sizeof(count), "%d", n);
	return stint_db_json(db, STINT_SQL_EVENTS_RECENT, 2, p, out);
}

stint_db_rc stint_timeline_rollup_text(stint_db *db, const char *sid, char **json)
{
	return stint_db_text(db, STINT_SQL_ROLLUP_GET, 1, &sid, json);
}

stint_db_rc stint_timeline_rollup_json(stint_db *db, const char *sid, cJSON **rollup)
{
	char *text = NULL;

	return stint_db_parse(stint_timeline_rollup_text(db, sid, &text), &text, rollup);
}

stint_db_rc stint_timeline_events_csv(stint_db *db, const char *sid, char **csv)
{
	return stint_db_text(db, STINT_SQL_EXPORT_EVENTS_CSV, 1, &sid, csv);
}

stint_db_rc stint_timeline_rollup_csv(stint_db *db, const char *sid, char **csv)
{
	return stint_db_text(db, STINT_SQL_EXPORT_ROLLUP_CSV, 1, &sid, csv);
}

stint_db_rc stint_timeline_check_clips(stint_db *db, const char *sid, const cJSON *events,
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
	rc = stint_db_text(db, STINT_SQL_CLIPS_OF_SESSION, 2, p, &known);
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

stint_db_rc stint_timeline_claim_key(stint_tx *tx, const char *sid, const char *key, const char *sha256,
				     stint_timeline_key *claim, int *status, char **response)
{
	const char *p[3] = { sid, key, sha256 }, *stored_sha, *stored_status, *stored;
	PGresult *res = NULL;
	int claimed;

	*claim = STINT_TIMELINE_KEY_REUSED;
	*status = 0;
	*response = NULL;
	if (stint_tx_exec(tx, STINT_SQL_IDEM_CLAIM, 3, p, &res) != STINT_DB_OK)
		return tx->rc;
	claimed = PQntuples(res) == 1;
	PQclear(res);
	if (claimed) {
		*claim = STINT_TIMELINE_KEY_CLAIMED;
		return tx->rc;
	}
	if (stint_tx_exec(tx, STINT_SQL_IDEM_GET, 2, p, &res) != STINT_DB_OK)
		return tx->rc;
	stored_sha = stint_db_cell(res, 0, "request_sha256");
	stored_status = stint_db_cell(res, 0, "status");
	stored = stint_db_cell(res, 0, "response");
	if (stored_sha == NULL) {
		stint_tx_fail(tx, STINT_DB_CONFLICT);  /* the row went with its session */
	} else if (strcmp(stored_sha, sha256) != 0) {
		*claim = STINT_TIMELINE_KEY_REUSED;
	} else if (stored_status == NULL || stored == NULL) {
		stint_tx_fail(tx, STINT_DB_CONFLICT);
	} else if ((*response = strdup(stored)) == NULL) {
		stint_tx_fail(tx, STINT_DB_ERROR);
	} else {
		*claim = STINT_TIMELINE_KEY_REPLAY;
		*status = atoi(stored_status);
	}
	PQclear(res);
	return tx->rc;
}

stint_db_rc stint_timeline_store_key(stint_tx *tx, const char *sid, const char *key, int status,
				     const char *response)
{
	char code[16];
	const char *p[4] = { sid, key, code, response };

	snprintf(code, sizeof(code), "%d", status);
	return stint_tx_exec(tx, STINT_SQL_IDEM_STORE, 4, p, NULL);
}

stint_db_rc stint_timeline_add(stint_tx *tx, const char *sid, const char *events_json, const char *source,
			       char **result)
{
	const char *p[3] = { sid, events_json, source }, *live[2] = { sid, NULL };
	stint_buf ids = STINT_BUF_INIT;
	cJSON *inserted = NULL;

	if (stint_tx_text(tx, STINT_SQL_EVENTS_INSERT, 3, p, result) != STINT_DB_OK)
		return tx->rc;
	inserted = cJSON_Parse(*result);
	if (id_array(&ids, cJSON_GetObjectItem(inserted, "ids"), NULL) != 0)
		stint_tx_fail(tx, STINT_DB_ERROR);
	live[1] = ids.data;
	stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_EVENTS, 2, live);
	stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_ROLLUP, 1, live);
	cJSON_Delete(inserted);
	stint_buf_free(&ids);
	return tx->rc;
}

stint_db_rc stint_timeline_insert(stint_tx *tx, const char *sid, const char *events_json,
				  const char *source, char **result)
{
	if (stint_timeline_add(tx, sid, events_json, source, result) != STINT_DB_OK)
		return tx->rc;
	return stint_tx_audit(tx, "events.add", "session", sid, NULL);
}

stint_db_rc stint_timeline_replace(stint_tx *tx, const char *sid, const char *clip_id, const char *source,
				   const char *events_json, long *removed, long *inserted)
{
	const char *p[3] = { sid, clip_id, source }, *live[3] = { sid, "event_deleted", NULL };
	char *gone = NULL, *result = NULL, *detail = NULL;
	cJSON *list = NULL, *d = NULL;

	*removed = *inserted = 0;
	if (stint_tx_text(tx, STINT_SQL_EVENTS_DELETE_SOURCE, 3, p, &gone) == STINT_DB_OK &&
	    (list = cJSON_Parse(gone)) == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	*removed = cJSON_GetArraySize(list);
	live[2] = gone;
	if (*removed > 0)
		stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_MANY, 3, live);
	cJSON_Delete(list);
	if ((list = cJSON_Parse(events_json)) == NULL || !cJSON_IsArray(list))
		stint_tx_fail(tx, STINT_DB_ERROR);
	*inserted = cJSON_GetArraySize(list);
	if (*inserted > 0)
		stint_timeline_add(tx, sid, events_json, source, &result);
	else if (*removed > 0)
		stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_ROLLUP, 1, &sid);
	d = cJSON_CreateObject();
	if (d != NULL && cJSON_AddStringToObject(d, "source", source) != NULL &&
	    cJSON_AddNumberToObject(d, "removed", (double)*removed) != NULL &&
	    cJSON_AddNumberToObject(d, "inserted", (double)*inserted) != NULL)
		detail = cJSON_PrintUnformatted(d);
	if (detail == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	stint_tx_audit(tx, "events.replace", "clip", clip_id, detail);
	cJSON_Delete(list);
	cJSON_Delete(d);
	free(detail);
	free(gone);
	free(result);
	return tx->rc;
}

/* Record one message about an event (data: JSON text), then rollup_updated. */
static stint_db_rc announce_event(stint_tx *tx, const char *sid, const char *type, const char *data)
{
	const char *p[3] = { sid, type, data };

	stint_tx_announce(tx, STINT_SQL_LIVE_RECORD, 3, p);
	return stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_ROLLUP, 1, p);
}

stint_db_rc stint_timeline_patch(stint_tx *tx, const char *sid, const char *event_id,
				 const char *patch_json, char **result)
{
	const char *p[3] = { sid, event_id, patch_json };

	if (stint_tx_text(tx, STINT_SQL_EVENT_PATCH, 3, p, result) != STINT_DB_OK || *result == NULL)
		return tx->rc;
	stint_tx_audit(tx, "event.update", "event", event_id, patch_json);
	return announce_event(tx, sid, "event_updated", *result);
}

stint_db_rc stint_timeline_delete(stint_tx *tx, const char *sid, const char *event_id, int *found)
{
	const char *p[2] = { sid, event_id };
	char *gone = NULL, data[64];

	*found = 0;
	if (stint_tx_text(tx, STINT_SQL_EVENT_DELETE, 2, p, &gone) != STINT_DB_OK || gone == NULL)
		return tx->rc;
	*found = 1;
	stint_tx_audit(tx, "event.delete", "event", event_id, NULL);
	snprintf(data, sizeof(data), "{\"id\":%.24s}", gone);
	free(gone);
	return announce_event(tx, sid, "event_deleted", data);
}

stint_db_rc stint_timeline_rebuild_rollup(stint_tx *tx, const char *sid)
{
	stint_tx_exec(tx, STINT_SQL_ROLLUP_REBUILD, 1, &sid, NULL);
	stint_tx_audit(tx, "rollup.rebuild", "session", sid, NULL);
	return stint_tx_announce(tx, STINT_SQL_LIVE_RECORD_ROLLUP, 1, &sid);
}

stint_db_rc stint_timeline_move_clip(stint_tx *tx, const char *sid, const char *clip_id,
				     const char *patch_json, char **result)
{
	const char *p[3] = { sid, clip_id, patch_json };

	if (stint_tx_text(tx, STINT_SQL_CLIP_PATCH, 3, p, result) != STINT_DB_OK || *result == NULL)
		return tx->rc;
	return stint_tx_audit(tx, "clip.update", "clip", clip_id, patch_json);
}
