/*
 * labels.c: event type labels per sport (see labels.h). The volleyball
 * names are DataVolley's skills as the importer stores them (lib/dvw.c);
 * the football ones follow the event names of StatsBomb's open data; the
 * climbing ones IFSC's boulder and lead scoring (top, zone, attempt).
 */
#include <stdio.h>
#include <string.h>

#include "labels.h"

typedef struct type_label {
	const char *type, *label;
} type_label;

static const type_label volleyball[] = {
	{ "serve", "Serve" }, { "reception", "Reception" }, { "set", "Set" }, { "attack", "Attack" },
	{ "block", "Block" }, { "dig", "Dig" }, { "freeball", "Free ball" }, { "point", "Point" },
	{ "timeout", "Time-out" }, { "substitution", "Substitution" }, { "end_of_set", "End of set" },
	{ NULL, NULL },
};
static const type_label climbing[] = {
	{ "attempt", "Attempt" }, { "zone", "Zone" }, { "top", "Top" }, { "fall", "Fall" },
	{ "hold", "Hold reached" }, { "clip", "Quickdraw clipped" }, { "rest", "Rest" },
	{ "start", "Start" }, { "finish", "Finish" }, { NULL, NULL },
};
static const type_label football[] = {
	{ "kick_off", "Kick-off" }, { "pass", "Pass" }, { "shot", "Shot" }, { "goal", "Goal" },
	{ "save", "Save" }, { "tackle", "Tackle" }, { "interception", "Interception" }, { "foul", "Foul" },
	{ "corner", "Corner" }, { "free_kick", "Free kick" }, { "penalty", "Penalty" }, { "offside", "Offside" },
	{ "yellow_card", "Yellow card" }, { "red_card", "Red card" }, { "substitution", "Substitution" },
	{ "half_time", "Half-time" }, { NULL, NULL },
};
static const type_label generic[] = {
	{ "start", "Start" }, { "end", "End" }, { "note", "Note" }, { "highlight", "Highlight" },
	{ "timeout", "Time-out" }, { "time_out", "Time out" }, { "substitution", "Substitution" },
	{ NULL, NULL },
};

static const struct { const char *name; const type_label *table; } sports[] = {
	[STINT_SPORT_GENERIC] = { "generic", generic },
	[STINT_SPORT_VOLLEYBALL] = { "volleyball", volleyball },
	[STINT_SPORT_CLIMBING] = { "climbing", climbing },
	[STINT_SPORT_FOOTBALL] = { "football", football },
};

#define SPORTS (sizeof(sports) / sizeof(sports[0]))

stint_sport stint_sport_of(const cJSON *session)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(session, "meta");
	const char *sport = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(meta, "sport"));
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(session, "kind"));
	const char *source = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(meta, "source"));
	size_t i;

	for (i = 0; sport != NULL && i < SPORTS; i++)
		if (strcmp(sport, sports[i].name) == 0)
			return (stint_sport)i;
	if (kind != NULL && strcmp(kind, "climb") == 0)
		return STINT_SPORT_CLIMBING;
	if (source != NULL && strcmp(source, "dvw") == 0)
		return STINT_SPORT_VOLLEYBALL;
	return STINT_SPORT_GENERIC;
}

const char *stint_sport_name(stint_sport sport)
{
	return (size_t)sport < SPORTS ? sports[sport].name : "generic";
}

static const char *find(const type_label *t, const char *type)
{
	for (; t->type != NULL; t++)
		if (strcmp(t->type, type) == 0)
			return t->label;
	return NULL;
}

void stint_type_label(stint_sport sport, const char *type, char *out, size_t size)
{
	const char *known;
	size_t i;

	if (size == 0)
		return;
	if (type == NULL) {
		out[0] = '\0';
		return;
	}
	known = find(sports[(size_t)sport < SPORTS ? sport : STINT_SPORT_GENERIC].table, type);
	if (known == NULL)
		known = find(generic, type);
	snprintf(out, size, "%s", known ? known : type);
	if (known != NULL)
		return;
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == '_')
			out[i] = ' ';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

int stint_type_normalise(const char *typed, char *out, size_t size)
{
	size_t n = 0;
	int gap = 0;
	char c;

	if (size == 0)
		return -1;
	for (; *typed != '\0'; typed++) {
		c = *typed;
		if (c == ' ' || c == '\t' || c == '-' || c == '_') {
			gap = n > 0;
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			goto bad;
		if (n + gap + 1 >= size)
			goto bad;
		if (gap)
			out[n++] = '_';
		out[n++] = c;
		gap = 0;
	}
	if (n == 0 || (out[0] >= '0' && out[0] <= '9'))
		goto bad;
	out[n] = '\0';
	return 0;
bad:
	out[0] = '\0';
	return -1;
}

cJSON *stint_sport_types(stint_sport sport)
{
	const type_label *t = sports[(size_t)sport < SPORTS ? sport : STINT_SPORT_GENERIC].table;
	cJSON *list = cJSON_CreateArray(), *item;

	for (; list != NULL && t->type != NULL; t++) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "value", t->type);
		cJSON_AddStringToObject(item, "label", t->label);
		cJSON_AddItemToArray(list, item);
	}
	return list;
}
