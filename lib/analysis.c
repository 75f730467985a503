/* analysis.c: analyze_clip tasks for the clips analyzers take (see analysis.h). */
#include "analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "tasks.h"
#include "tasktypes.h"

/* What the process read (stint_analysis_init): once, never changed after. */
static struct {
	int done, rc;
	stint_analyzers analyzers;
	int max_attempts;        /* analyze_clip's */
	char err[512];
} setup;

int stint_analysis_init(char *err, size_t errsize)
{
	stint_task_types types = { NULL, 0 };
	const stint_task_type *t;

	if (!setup.done) {
		setup.done = 1;
		setup.rc = stint_analyzers_load(NULL, &setup.analyzers, setup.err, sizeof(setup.err));
		/* with no analyzer there is nothing to queue: the task type does not matter */
		if (setup.rc == 0 && setup.analyzers.n > 0)
			setup.rc = stint_task_types_load(NULL, &types, setup.err, sizeof(setup.err));
		if (setup.rc == 0 && setup.analyzers.n == 0) {
			setup.max_attempts = 1;
		} else if (setup.rc == 0 && (t = stint_task_type_find(&types, STINT_TASK_ANALYZE)) == NULL) {
			snprintf(setup.err, sizeof(setup.err), "the task type %s is not declared", STINT_TASK_ANALYZE);
			setup.rc = -1;
		} else if (setup.rc == 0) {
			setup.max_attempts = t->max_attempts;
		}
		if (setup.rc != 0)
			stint_analyzers_free(&setup.analyzers);
		stint_task_types_free(&types);
	}
	if (setup.rc != 0)
		snprintf(err, errsize, "%s", setup.err);
	return setup.rc;
}

int stint_analysis_worker_init(void)
{
	char err[512];

	if (stint_analysis_init(err, sizeof(err)) == 0)
		return 0;
	stint_log(STINT_LOG_ERROR, "analysis: %s", err);
	return -1;
}

const stint_analyzers *stint_analysis_analyzers(void)
{
	return &setup.analyzers;
}

stint_db_rc stint_analysis_queue(stint_tx *tx, const char *sid, const stint_analyzer *a, const char *clip_id,
				 char **json, int *created)
{
	char params[128], dedupe[80], id[STINT_TASK_ID_LEN];
	const char *user = strcmp(tx->actor, "0") == 0 || tx->actor[0] == '\0' ? NULL : tx->actor;
	stint_task_new t;
	int fresh = 0;

	*json = NULL;
	if (created != NULL)
		*created = 0;
	if (clip_id == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	if (tx->rc != STINT_DB_OK)
		return tx->rc;
	/* both are checked names and digits: nothing to escape */
	snprintf(params, sizeof(params), "{\"analyzer\":\"%s\",\"clip_id\":%s}", a->name, clip_id);
	snprintf(dedupe, sizeof(dedupe), "%s:%s", a->name, clip_id);
	t = (stint_task_new){ sid, NULL, STINT_TASK_ANALYZE, dedupe, params, 100, setup.max_attempts, user };
	stint_task_create(tx, &t, json, &fresh, id);
	if (created != NULL)
		*created = fresh;
	return tx->rc;
}

stint_db_rc stint_analysis_clips(stint_db *db, const char *sid, const stint_analyzer *a, const char *clip_id,
				 cJSON **ids, int *found)
{
	const char *p[2] = { sid, clip_id }, *stored;
	PGresult *res = NULL;
	stint_db_rc rc = stint_db_exec(db, STINT_SQL_ANALYSIS_CLIPS, 2, p, &res);
	int i;

	*ids = NULL;
	*found = 0;
	if (rc != STINT_DB_OK)
		return rc;
	*found = PQntuples(res);
	if ((*ids = cJSON_CreateArray()) == NULL)
		rc = STINT_DB_ERROR;
	for (i = 0; *ids != NULL && i < *found; i++) {
		stored = stint_db_cell(res, i, "stored");
		if (stored != NULL && strcmp(stored, "t") == 0 &&
		    (a->kinds & stint_analyzer_kind(stint_db_cell(res, i, "kind"))) &&
		    !cJSON_AddItemToArray(*ids, cJSON_CreateString(stint_db_cell(res, i, "id")))) {
			cJSON_Delete(*ids);
			*ids = NULL;
			rc = STINT_DB_ERROR;
		}
	}
	PQclear(res);
	return rc;
}

stint_db_rc stint_analysis_queue_clips(stint_tx *tx, const char *sid, const stint_analyzer *a, const cJSON *ids,
				       cJSON *items, int *created)
{
	const cJSON *id;
	cJSON *task;
	char *json;
	int fresh;

	*created = 0;
	cJSON_ArrayForEach(id, ids) {
		json = NULL;
		if (stint_analysis_queue(tx, sid, a, cJSON_GetStringValue(id), &json, &fresh) == STINT_DB_OK &&
		    items != NULL && ((task = cJSON_Parse(json)) == NULL || !cJSON_AddItemToArray(items, task)))
			stint_tx_fail(tx, STINT_DB_ERROR);
		*created += fresh;
		free(json);
	}
	return tx->rc;
}

stint_db_rc stint_analysis_queue_clip(stint_tx *tx, const char *sid, const char *clip_json)
{
	cJSON *clip;
	const cJSON *id;
	char clip_id[24], err[512], *json;
	unsigned kind;
	size_t i;

	if (tx->rc != STINT_DB_OK || clip_json == NULL)
		return tx->rc;
	if (stint_analysis_init(err, sizeof(err)) != 0) {
		stint_log(STINT_LOG_ERROR, "analysis: %s", err);
		stint_tx_fail(tx, STINT_DB_ERROR);
		return tx->rc;
	}
	if ((clip = cJSON_Parse(clip_json)) == NULL) {
		stint_tx_fail(tx, STINT_DB_ERROR);
		return tx->rc;
	}
	id = cJSON_GetObjectItem(clip, "id");
	kind = stint_analyzer_kind(cJSON_GetStringValue(cJSON_GetObjectItem(clip, "kind")));
	if (cJSON_IsNumber(id) && cJSON_IsString(cJSON_GetObjectItem(clip, "path"))) {
		snprintf(clip_id, sizeof(clip_id), "%.0f", id->valuedouble);
		for (i = 0; i < setup.analyzers.n && tx->rc == STINT_DB_OK; i++) {
			if (!(setup.analyzers.list[i].kinds & kind))
				continue;
			json = NULL;
			stint_analysis_queue(tx, sid, &setup.analyzers.list[i], clip_id, &json, NULL);
			free(json);
		}
	}
	cJSON_Delete(clip);
	return tx->rc;
}
