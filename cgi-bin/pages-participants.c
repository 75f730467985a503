/* pages-participants.c: the editor's participants panel (see pages-participants.h). */
#include "pages-participants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "participants.h"

static const struct { const char *value, *label; } panel_flashes[] = {
	{ "participant_added", "Participant added." },
	{ "participant_removed", "Participant removed." },
	{ "uploaded", "Device file uploaded and read." },
};

typedef stint_db_rc list_fn(stint_db *db, const char *sid, char **json);

/* What list gives for the route's session as a cJSON array in *out (an empty one when absent). */
static stint_db_rc list_json(stint_req *r, list_fn *list, cJSON **out)
{
	char *json = NULL;
	stint_db_rc rc = list(r->db, r->params[0], &json);

	*out = json != NULL ? cJSON_Parse(json) : NULL;
	if (rc == STINT_DB_OK && json != NULL && *out == NULL)
		rc = STINT_DB_ERROR;
	free(json);
	if (*out == NULL)
		*out = cJSON_CreateArray();
	return rc;
}

/* "tcx · 384 samples", "gpx · 184 samples · 2 warnings", or "no file yet". */
static void file_shown(const cJSON *file, char *out, size_t size)
{
	const char *format = cJSON_GetStringValue(cJSON_GetObjectItem(file, "format"));
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(file, "parse_status"));

	if (format == NULL) {
		snprintf(out, size, "no file yet");
		return;
	}
	snprintf(out, size, "%s · %.0f samples%s", format, cJSON_GetNumberValue(cJSON_GetObjectItem(file, "samples")),
		 status != NULL && strcmp(status, "warning") == 0 ? " · with warnings" : "");
}

stint_db_rc page_participants_data(stint_req *r, cJSON *data)
{
	cJSON *panel = cJSON_AddObjectToObject(data, "wearables"), *people = NULL, *files = NULL, *p;
	const char *flash = stint_kv_get(&r->query, "flash");
	char shown[128];
	stint_db_rc rc = list_json(r, stint_participant_list, &people);

	if (rc == STINT_DB_OK)
		rc = list_json(r, stint_device_file_list, &files);
	else
		files = cJSON_CreateArray();
	cJSON_ArrayForEach(p, people) {
		file_shown(cJSON_GetObjectItem(p, "device_file"), shown, sizeof(shown));
		cJSON_AddStringToObject(p, "device_file_shown", shown);
	}
	cJSON_ArrayForEach(p, files)
		cJSON_AddBoolToObject(p, "has_warnings", cJSON_GetArraySize(cJSON_GetObjectItem(p, "warnings")) > 0);
	cJSON_AddBoolToObject(panel, "has_participants", cJSON_GetArraySize(people) > 0);
	cJSON_AddItemToObject(panel, "participants", people);
	cJSON_AddBoolToObject(panel, "has_files", cJSON_GetArraySize(files) > 0);
	cJSON_AddItemToObject(panel, "files", files);
	for (size_t i = 0; flash != NULL && i < sizeof(panel_flashes) / sizeof(panel_flashes[0]); i++)
		if (strcmp(flash, panel_flashes[i].value) == 0)
			cJSON_AddStringToObject(panel, "wearables_flash", panel_flashes[i].label);
	return rc;
}
