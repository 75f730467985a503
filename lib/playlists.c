/* playlists.c: a session's video playlists (see playlists.h). */
#include "playlists.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matchstate-load.h"
#include "validate.h"

static const char *const teams[] = { "A", "B", NULL };
static const char *const evaluations[] = { "#", "+", "!", "-", "/", "=", NULL };
static const char *const phases[] = { "serve", "reception", "transition", NULL };

static const stint_field filter_fields[] = {
	{ "type", STINT_F_IDENT, 0, 1, 40, NULL, STINT_DEST(stint_playlist_filter, type) },
	{ "team", STINT_F_ENUM, 0, 0, 0, teams, STINT_DEST(stint_playlist_filter, team) },
	{ "player", STINT_F_SHIRT, 0, 0, 0, NULL, STINT_NO_DEST },
	{ "evaluation", STINT_F_ENUM, 0, 0, 0, evaluations, STINT_DEST(stint_playlist_filter, evaluation) },
	{ "skill_type", STINT_F_STRING, 0, 1, 1, NULL, STINT_DEST(stint_playlist_filter, skill_type) },
	{ "attack_code", STINT_F_STRING, 0, 1, 4, NULL, STINT_DEST(stint_playlist_filter, attack_code) },
	{ "phase", STINT_F_ENUM, 0, 0, 0, phases, STINT_DEST(stint_playlist_filter, phase) },
	{ "set", STINT_F_INT, 0, 1, 7, NULL, STINT_DEST(stint_playlist_filter, set) },
	{ "rotation", STINT_F_INT, 0, 1, 6, NULL, STINT_DEST(stint_playlist_filter, rotation) },
	{ "start_zone", STINT_F_INT, 0, 1, 9, NULL, STINT_DEST(stint_playlist_filter, start_zone) },
	{ "end_zone", STINT_F_INT, 0, 1, 9, NULL, STINT_DEST(stint_playlist_filter, end_zone) },
	{ "from", STINT_F_NUMBER, 0, 0, 10000000, NULL, STINT_DEST(stint_playlist_filter, from_sec) },
	{ "to", STINT_F_NUMBER, 0, 0, 10000000, NULL, STINT_DEST(stint_playlist_filter, to_sec) },
};

static const stint_field body_fields[] = {
	{ "name", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_NO_DEST },
	{ "filter", STINT_F_OBJECT, STINT_F_NULLABLE, 0, 4096, NULL, STINT_NO_DEST },
	{ "pre_roll_sec", STINT_F_NUMBER, 0, 0, 60, NULL, STINT_NO_DEST },
	{ "post_roll_sec", STINT_F_NUMBER, 0, 0, 60, NULL, STINT_NO_DEST },
};

static void filter_init(stint_playlist_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->from_sec = NAN;
	f->to_sec = NAN;
}

/* Add problem under name to *errors (created on demand); 0 or -1. */
static int add_problem(cJSON **errors, const char *name, const char *problem)
{
	if (*errors == NULL && (*errors = cJSON_CreateObject()) == NULL)
		return -1;
	if (!cJSON_HasObjectItem(*errors, name) && cJSON_AddStringToObject(*errors, name, problem) == NULL)
		return -1;
	return 0;
}

int stint_playlist_filter_json(const char *at, const cJSON *filter, stint_playlist_filter *f, cJSON **errors)
{
	const cJSON *player;
	int bad;

	filter_init(f);
	if (filter == NULL || cJSON_IsNull(filter))
		return 0;
	bad = stint_validate_json_at(at, filter, STINT_SPEC(filter_fields), 0, f, errors);
	if (bad != 0)
		return bad;
	player = cJSON_GetObjectItemCaseSensitive(filter, "player");
	if (cJSON_IsString(player)) {
		f->player = player->valuestring;
	} else if (cJSON_IsNumber(player)) {
		/* an integer 0..999 (checked) is the shirt number of its decimal text */
		snprintf(f->player_text, sizeof(f->player_text), "%d", player->valueint);
		f->player = f->player_text;
	}
	return 0;
}

int stint_playlist_filter_query(const stint_kvlist *q, stint_playlist_filter *f, cJSON **errors)
{
	const char *player = stint_kv_get(q, "player");
	int n;

	filter_init(f);
	/* player has no destination: the check names it, a valid one is taken as it is */
	n = stint_validate_query(q, STINT_SPEC(filter_fields), f, errors);
	if (n >= 0 && player != NULL && player[0] != '\0' && stint_validate_text(&filter_fields[2], player) == NULL)
		f->player = player;
	return n;
}

cJSON *stint_playlist_filter_to_json(const stint_playlist_filter *f)
{
	cJSON *j = cJSON_CreateObject();
	const char *texts[][2] = {
		{ "type", f->type }, { "team", f->team }, { "player", f->player }, { "evaluation", f->evaluation },
		{ "skill_type", f->skill_type }, { "attack_code", f->attack_code }, { "phase", f->phase },
	};
	const struct { const char *name; int v; } ints[] = {
		{ "set", f->set }, { "rotation", f->rotation }, { "start_zone", f->start_zone }, { "end_zone", f->end_zone },
	};

	if (j == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i][1] != NULL && texts[i][1][0] != '\0')
			cJSON_AddStringToObject(j, texts[i][0], texts[i][1]);
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (ints[i].v > 0)
			cJSON_AddNumberToObject(j, ints[i].name, ints[i].v);
	if (!isnan(f->from_sec))
		cJSON_AddNumberToObject(j, "from", f->from_sec);
	if (!isnan(f->to_sec))
		cJSON_AddNumberToObject(j, "to", f->to_sec);
	return j;
}

/* event_ids: null, or an array of 1..max ids (integers 1..2^53); problems named event_ids[i]. */
static int check_ids(const cJSON *ids, cJSON **errors)
{
	char name[40];
	const cJSON *id;
	int i = 0, bad = 0, n;

	if (ids == NULL || cJSON_IsNull(ids))
		return 0;
	n = cJSON_GetArraySize(ids);
	if (!cJSON_IsArray(ids) || n < 1 || n > STINT_PLAYLIST_MAX_IDS)
		return add_problem(errors, "event_ids", "must be an array of 1 to 2000 event ids, or null") == 0 ? 1 : -1;
	cJSON_ArrayForEach(id, ids) {
		if (!cJSON_IsNumber(id) || id->valuedouble < 1 || id->valuedouble > 9007199254740991.0 ||
		    id->valuedouble != floor(id->valuedouble)) {
			snprintf(name, sizeof(name), "event_ids[%d]", i);
			if (add_problem(errors, name, "must be an event id (a positive integer)") != 0)
				return -1;
			bad++;
		}
		i++;
	}
	return bad;
}

/* filter.player sent as an integer becomes its text in place, as every shirt number is kept. */
static void player_as_text(cJSON *filter, const stint_playlist_filter *f)
{
	cJSON *text;

	if (f->player == f->player_text && (text = cJSON_CreateString(f->player_text)) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(filter, "player", text);
}

int stint_playlist_validate(cJSON *body, int partial, cJSON **errors)
{
	stint_playlist_filter f;
	cJSON *without, *filter;
	int bad, more;

	/* event_ids is an array of numbers, which the field tables do not describe: checked by check_ids() */
	if ((without = cJSON_Duplicate(body, 1)) == NULL)
		return -1;
	if (cJSON_IsObject(without))
		cJSON_DeleteItemFromObjectCaseSensitive(without, "event_ids");
	bad = stint_validate_json(without, STINT_SPEC(body_fields), partial, NULL, errors);
	cJSON_Delete(without);
	if (bad < 0 || !cJSON_IsObject(body))
		return bad;
	if ((more = check_ids(cJSON_GetObjectItemCaseSensitive(body, "event_ids"), errors)) < 0)
		return -1;
	bad += more;
	filter = cJSON_GetObjectItemCaseSensitive(body, "filter");
	if ((more = stint_playlist_filter_json("filter", filter, &f, errors)) < 0)
		return -1;
	if (more == 0 && cJSON_IsObject(filter))
		player_as_text(filter, &f);
	return bad + more;
}

/* --- resolving ------------------------------------------------------------ */

/* An event of the derived match: its id and index in m->events. */
typedef struct by_id {
	double id;
	size_t i;
} by_id;

static int cmp_id(const void *a, const void *b)
{
	double x = ((const by_id *)a)->id, y = ((const by_id *)b)->id;

	return x < y ? -1 : x > y;
}

static const char *cell_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* The SQL-side filter's parameters (text; NULL for any) into p[1..10] using buffers nums. */
static void candidate_params(const stint_playlist_filter *f, const char *p[11], char nums[4][32])
{
	p[1] = cell_or_null(f->type);
	p[2] = cell_or_null(f->team);
	p[3] = cell_or_null(f->player);
	p[4] = cell_or_null(f->evaluation);
	p[5] = cell_or_null(f->skill_type);
	p[6] = cell_or_null(f->attack_code);
	p[7] = p[8] = p[9] = p[10] = NULL;
	if (f->start_zone > 0) {
		snprintf(nums[0], sizeof(nums[0]), "%d", f->start_zone);
		p[7] = nums[0];
	}
	if (f->end_zone > 0) {
		snprintf(nums[1], sizeof(nums[1]), "%d", f->end_zone);
		p[8] = nums[1];
	}
	if (!isnan(f->from_sec)) {
		snprintf(nums[2], sizeof(nums[2]), "%.17g", f->from_sec);
		p[9] = nums[2];
	}
	if (!isnan(f->to_sec)) {
		snprintf(nums[3], sizeof(nums[3]), "%.17g", f->to_sec);
		p[10] = nums[3];
	}
}

/* 1 when state s at event e passes the match-state part of f (set, rotation, phase). */
static int state_passes(const stint_playlist_filter *f, const stint_ms_state *s, const cJSON *e)
{
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
	const char *phase = stint_ms_phase_name(s->phase);
	int side = team != NULL && team[0] == 'B' ? 1 : 0;

	if (f->set > 0 && s->set != f->set)
		return 0;
	if (f->rotation > 0 && (team == NULL || (team[0] != 'A' && team[0] != 'B') || s->rotation[side] != f->rotation))
		return 0;
	if (f->phase != NULL && f->phase[0] != '\0' && (phase == NULL || strcmp(phase, f->phase) != 0))
		return 0;
	return 1;
}

/* Add the state at the event (set, score, rotation, phase) to item e. */
static void add_state(cJSON *e, const stint_ms_state *s)
{
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
	const char *phase = stint_ms_phase_name(s->phase);
	cJSON *score = cJSON_AddObjectToObject(e, "score");

	cJSON_AddNumberToObject(e, "set", s->set);
	cJSON_AddNumberToObject(score, "A", s->score[0]);
	cJSON_AddNumberToObject(score, "B", s->score[1]);
	if (team != NULL && (team[0] == 'A' || team[0] == 'B'))
		cJSON_AddNumberToObject(e, "rotation", s->rotation[team[0] == 'B']);
	else
		cJSON_AddNullToObject(e, "rotation");
	if (phase != NULL)
		cJSON_AddStringToObject(e, "phase", phase);
	else
		cJSON_AddNullToObject(e, "phase");
}

/* The state of candidate e in m (via the sorted index), or NULL when the match has no such event. */
static const stint_ms_state *state_of(const stint_ms_match *m, const by_id *index, const cJSON *e)
{
	by_id key = { cJSON_GetNumberValue(cJSON_GetObjectItem(e, "id")), 0 };
	const by_id *hit = m->n > 0 ? bsearch(&key, index, m->n, sizeof(*index), cmp_id) : NULL;

	return hit != NULL ? &m->states[hit->i] : NULL;
}

/* Items in the order of the explicit list ids, taken from candidates (all the session's events). */
static cJSON *in_list_order(cJSON *candidates, const cJSON *ids)
{
	cJSON *out = cJSON_CreateArray(), *e;
	const cJSON *id;

	cJSON_ArrayForEach(id, ids) {
		cJSON_ArrayForEach(e, candidates) {
			if (cJSON_GetNumberValue(cJSON_GetObjectItem(e, "id")) == id->valuedouble) {
				cJSON_AddItemToArray(out, cJSON_Duplicate(e, 1));
				break;
			}
		}
	}
	return out;
}

stint_db_rc stint_playlist_items(stint_db *db, const char *sid, const stint_playlist_filter *f,
				 const cJSON *event_ids, cJSON **items)
{
	stint_playlist_filter any;
	stint_ms_match m;
	const char *p[11] = { sid };
	char nums[4][32];
	cJSON *candidates = NULL, *out = NULL, *e, *next;
	by_id *index = NULL;
	const stint_ms_state *s;
	int found = 0, listed = cJSON_IsArray(event_ids);
	stint_db_rc rc;

	*items = NULL;
	filter_init(&any);
	candidate_params(listed ? &any : f, p, nums);
	rc = stint_ms_load(db, sid, &m, &found);
	if (rc == STINT_DB_OK)
		rc = stint_db_json(db, STINT_SQL_PLAYLIST_CANDIDATES, 11, p, &candidates);
	if (rc != STINT_DB_OK)
		goto out;
	if (m.n > 0 && (index = malloc(m.n * sizeof(*index))) == NULL) {
		rc = STINT_DB_ERROR;
		goto out;
	}
	for (size_t i = 0; i < m.n; i++) {
		index[i].id = cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(m.events, (int)i), "id"));
		index[i].i = i;
	}
	if (m.n > 0)
		qsort(index, m.n, sizeof(*index), cmp_id);
	out = listed ? in_list_order(candidates, event_ids) : candidates;
	if (listed)
		cJSON_Delete(candidates);
	candidates = NULL;
	for (e = out ? out->child : NULL; e != NULL; e = next) {
		next = e->next;
		s = state_of(&m, index, e);
		if (s == NULL && (listed || (f->set == 0 && f->rotation == 0 && f->phase == NULL)))
			continue;       /* an event newer than the derivation: shown without a state */
		if (s == NULL || (!listed && !state_passes(f, s, e))) {
			cJSON_Delete(cJSON_DetachItemViaPointer(out, e));
			continue;
		}
		add_state(e, s);
	}
	*items = out;
	out = NULL;
out:
	free(index);
	cJSON_Delete(candidates);
	cJSON_Delete(out);
	stint_ms_match_free(&m);
	return rc;
}

/* --- storing -------------------------------------------------------------- */

stint_db_rc stint_playlist_list(stint_db *db, const char *sid, char **json)
{
	const char *p[1] = { sid };

	return stint_db_text(db, STINT_SQL_PLAYLIST_LIST, 1, p, json);
}

stint_db_rc stint_playlist_get(stint_db *db, const char *sid, const char *pid, cJSON **pl)
{
	const char *p[2] = { sid, pid };
	stint_playlist_filter f;
	cJSON *errors = NULL, *items = NULL;
	stint_db_rc rc = stint_db_json(db, STINT_SQL_PLAYLIST_GET, 2, p, pl);

	if (rc != STINT_DB_OK || *pl == NULL)
		return rc;
	/* a stored filter passed the checks when it was written; one that no longer does selects as none */
	if (stint_playlist_filter_json("filter", cJSON_GetObjectItem(*pl, "filter"), &f, &errors) != 0)
		filter_init(&f);
	cJSON_Delete(errors);
	rc = stint_playlist_items(db, sid, &f, cJSON_GetObjectItem(*pl, "event_ids"), &items);
	if (rc != STINT_DB_OK) {
		cJSON_Delete(*pl);
		*pl = NULL;
		return rc;
	}
	cJSON_AddNumberToObject(*pl, "count", cJSON_GetArraySize(items));
	cJSON_AddItemToObject(*pl, "items", items);
	return rc;
}

/* In tx: the index of the first id of ids (a JSON array) that is not an event of sid, or -1. */
static int first_missing(stint_tx *tx, const char *sid, const cJSON *ids)
{
	char *text = cJSON_PrintUnformatted(ids), *out = NULL;
	const char *p[2] = { sid, text };
	cJSON *missing;
	int bad = -1;

	if (text == NULL) {
		stint_tx_fail(tx, STINT_DB_ERROR);
		return -1;
	}
	if (stint_tx_text(tx, STINT_SQL_PLAYLIST_EVENTS_MISSING, 2, p, &out) == STINT_DB_OK && out != NULL &&
	    (missing = cJSON_Parse(out)) != NULL) {
		if (cJSON_GetArraySize(missing) > 0)
			bad = (int)cJSON_GetNumberValue(cJSON_GetArrayItem(missing, 0));
		cJSON_Delete(missing);
	}
	cJSON_free(text);
	free(out);
	return bad;
}

stint_db_rc stint_playlist_put(stint_tx *tx, const char *sid, const char *pid, const cJSON *body,
			       const char *user_id, int *bad, char **json)
{
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(body, "event_ids");
	char *text = NULL, *id = NULL;
	const char *p[3] = { sid, NULL, NULL };
	cJSON *j;

	*json = NULL;
	*bad = cJSON_IsArray(ids) ? first_missing(tx, sid, ids) : -1;
	if (*bad >= 0) {
		stint_tx_cancel(tx);
		return tx->rc;
	}
	if ((text = cJSON_PrintUnformatted(body)) == NULL)
		stint_tx_fail(tx, STINT_DB_ERROR);
	if (pid == NULL) {
		p[1] = text;
		p[2] = user_id;
		stint_tx_text(tx, STINT_SQL_PLAYLIST_CREATE, 3, p, json);
	} else {
		p[1] = pid;
		p[2] = text;
		stint_tx_text(tx, STINT_SQL_PLAYLIST_PATCH, 3, p, json);
	}
	if (*json != NULL && (j = cJSON_Parse(*json)) != NULL) {
		id = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "id"));
		stint_tx_audit(tx, pid ? "playlist.update" : "playlist.create", "playlist", id ? id : "", NULL);
		cJSON_free(id);
		cJSON_Delete(j);
	}
	cJSON_free(text);
	if (tx->rc != STINT_DB_OK) {
		free(*json);
		*json = NULL;
	}
	return tx->rc;
}

stint_db_rc stint_playlist_delete(stint_tx *tx, const char *sid, const char *pid, int *found)
{
	const char *p[2] = { sid, pid };
	char *out = NULL;

	*found = 0;
	if (stint_tx_text(tx, STINT_SQL_PLAYLIST_DELETE, 2, p, &out) == STINT_DB_OK && out != NULL) {
		*found = 1;
		stint_tx_audit(tx, "playlist.delete", "playlist", pid, NULL);
	}
	free(out);
	return tx->rc;
}
