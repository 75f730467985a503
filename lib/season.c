/* season.c: statistics added up over sessions (see season.h). */
#include "season.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "matchstate.h"
#include "validate.h"
#include "vbstats.h"

/* 1 when s is YYYY-MM-DD (a valid calendar date) or an RFC 3339 date-time. */
static int valid_date(const char *s)
{
	char t[32];

	if (strlen(s) == 10) {
		snprintf(t, sizeof(t), "%sT00:00:00Z", s);
		return stint_is_timestamp(t);
	}
	return stint_is_timestamp(s);
}

int stint_season_query_read(const stint_kvlist *query, stint_season_query *q, cJSON **errors)
{
	const char *ids = NULL, *from = NULL, *to = NULL, *team = NULL;
	char id[37];
	size_t i, len, k, at = 0;
	const char *p, *comma;
	int bad = 0, dup = 0;

	memset(q, 0, sizeof(*q));
	*errors = cJSON_CreateObject();
	for (i = 0; i < query->n; i++) {
		const char *key = query->items[i].key, *v = query->items[i].value;

		if (v == NULL || v[0] == '\0')
			continue;
		if (strcmp(key, "sessions") == 0)
			ids = v;
		else if (strcmp(key, "team") == 0)
			team = v;
		else if (strcmp(key, "from") == 0)
			from = v;
		else if (strcmp(key, "to") == 0)
			to = v;
	}
	if (ids != NULL) {
		len = strlen(ids);
		q->ids = malloc(len + 1);
		if (q->ids == NULL)
			return cJSON_AddStringToObject(*errors, "sessions", "is too long"), 1;
		q->ids[0] = '\0';
		for (p = ids; !bad; p = comma + 1) {
			comma = strchr(p, ',');
			k = comma ? (size_t)(comma - p) : strlen(p);
			if (k != 36) {
				bad = 1;
				break;
			}
			memcpy(id, p, 36);
			id[36] = '\0';
			for (k = 0; k < 36; k++)
				id[k] = (char)tolower((unsigned char)id[k]);
			if (!stint_is_uuid(id)) {
				bad = 1;
				break;
			}
			dup |= strstr(q->ids, id) != NULL;
			if (q->nids++ > 0)
				q->ids[at++] = ',';
			memcpy(q->ids + at, id, 37);  /* with its NUL; the list is never longer than what was sent */
			at += 36;
			if (comma == NULL)
				break;
		}
		if (bad)
			cJSON_AddStringToObject(*errors, "sessions", "must be session ids (uuids) separated by commas");
		else if (dup)
			cJSON_AddStringToObject(*errors, "sessions", "names a session more than once");
		else if (q->nids > STINT_SEASON_MAX)
			cJSON_AddStringToObject(*errors, "sessions", "may name at most 100 sessions");
	} else if (team == NULL) {
		cJSON_AddStringToObject(*errors, "sessions", "or team is required");
	}
	if (team != NULL && strlen(team) > 200)
		cJSON_AddStringToObject(*errors, "team", "must be at most 200 characters");
	if (from != NULL && !valid_date(from))
		cJSON_AddStringToObject(*errors, "from", "must be a date (YYYY-MM-DD) or an RFC 3339 date-time");
	else if (from != NULL && ids != NULL)
		cJSON_AddStringToObject(*errors, "from", "applies to the team query, not to sessions");
	if (to != NULL && !valid_date(to))
		cJSON_AddStringToObject(*errors, "to", "must be a date (YYYY-MM-DD) or an RFC 3339 date-time");
	else if (to != NULL && ids != NULL)
		cJSON_AddStringToObject(*errors, "to", "applies to the team query, not to sessions");
	else if (to != NULL && from != NULL && valid_date(from) && strlen(from) == 10 && strlen(to) == 10 &&
		 strcmp(from, to) > 0)
		cJSON_AddStringToObject(*errors, "to", "must not be before from");
	q->team = team;
	q->from = from;
	q->to = to;
	return cJSON_GetArraySize(*errors);
}

void stint_season_query_free(stint_season_query *q)
{
	free(q->ids);
	memset(q, 0, sizeof(*q));
}

/* One session of the season. */
typedef struct one {
	const char *id, *title, *day, *name[2];
	cJSON *roster;          /* {"A-7": name} or NULL */
	int side;               /* the followed team's side 0 A, 1 B; -1 none */
	cJSON *row;             /* its row in "sessions" */
} one;

/* A player of the season. */
typedef struct splayer {
	const char *team, *name;                /* point into the sessions' data */
	char number[4];
	stint_vbs_counts c;
	int matches;
	cJSON *by_session;
} splayer;

typedef struct season {
	one *s;
	size_t ns;
	int follow;                             /* a team is followed */
	stint_vbs_counts tot[2], rot[2][6];     /* [0] A or the team, [1] B or the opponents */
	int sets_won[2], played, won, lost;
	splayer *pl;
	size_t npl, cappl;
} season;

static const char *side_name(const one *o, int k)
{
	return o->name[k] != NULL ? o->name[k] : k == 0 ? "A" : "B";
}

/* The season's player for team name, number, name (added when new), or NULL on out of memory. */
static splayer *player_of(season *se, const char *team, const char *number, const char *name)
{
	splayer *p;
	size_t i;

	for (i = 0; i < se->npl; i++) {
		p = &se->pl[i];
		if (strcmp(p->number, number) == 0 && strcasecmp(p->team, team) == 0 && strcasecmp(p->name, name) == 0)
			return p;
	}
	if (se->npl == se->cappl) {
		se->cappl = se->cappl ? 2 * se->cappl : 64;
		p = realloc(se->pl, se->cappl * sizeof(*p));
		if (p == NULL)
			return NULL;
		se->pl = p;
	}
	p = &se->pl[se->npl++];
	memset(p, 0, sizeof(*p));
	p->team = team;
	snprintf(p->number, sizeof(p->number), "%s", number);
	p->name = name;
	p->by_session = cJSON_CreateArray();
	return p;
}

/* How many events SEASON_EVENTS' text holds. */
static int count_events(const char *events)
{
	int n = events != NULL && events[0] != '\0';

	for (; n > 0 && *events != '\0'; events++)
		n += *events == '\x1e';
	return n;
}

/* The next field of SEASON_EVENTS' text at *cur (NUL-terminated in place); *end set at a chr(30) or the end. */
static char *field(char **cur, int *end)
{
	char *f = *cur, *c = f;

	while (*c != '\0' && *c != '\x1f' && *c != '\x1e')
		c++;
	*end = *c != '\x1f';
	if (*c != '\0')
		*c++ = '\0';
	*cur = c;
	return f;
}

/* Derive and count session o's events (SEASON_EVENTS' text, changed in place; NULL: none) into the season. */
static int add_session(season *se, one *o, char *events, const char *rules_text, const char *lineups_text)
{
	int n = count_events(events);
	char *cur = events, *fld[6];
	int end;
	stint_ms_event *in = calloc(n ? (size_t)n : 1, sizeof(*in));
	stint_ms_state *st = calloc(n ? (size_t)n : 1, sizeof(*st));
	stint_vbs_action *a = calloc(n ? (size_t)n : 1, sizeof(*a));
	stint_ms_lineup lineups[32];
	stint_ms_summary sum;
	stint_ms_rules rules;
	stint_vbs_tally t;
	const char *problem;
	cJSON *rj = rules_text ? cJSON_Parse(rules_text) : NULL, *lj = lineups_text ? cJSON_Parse(lineups_text) : NULL;
	static const char *const names[4] = { "event_type", "actor_team", "actor_number", "evaluation" };
	cJSON *ev = NULL, *empty = NULL, *won = NULL, *evaluation = NULL, *col[4], *slot, *x, *arr, *fig;
	char code[2] = "";
	size_t nl, j;
	int i, k, side, rc = -1;
	char key[8];
	const char *pname;
	splayer *p;

	if (in == NULL || st == NULL || a == NULL)
		goto out;
	stint_ms_rules_from_json(cJSON_IsObject(rj) ? rj : NULL, &rules, &problem);
	nl = stint_ms_lineups_from_json(lj, lineups, 32);
	/*
	 * One event object reused for every row: its strings point into the
	 * result (cJSON_IsReference: never freed here), NULL columns are JSON
	 * nulls (no string to read, as when the key is absent); a payload is
	 * parsed only for the rows that have one.
	 */
	ev = cJSON_CreateObject();
	empty = cJSON_CreateObject();
	won = cJSON_CreateObject();
	if (ev == NULL || empty == NULL || won == NULL || cJSON_AddNullToObject(won, "point_won_by") == NULL)
		goto out;
	for (k = 0; k < 4; k++)
		if ((col[k] = cJSON_AddNullToObject(ev, names[k])) == NULL)
			goto out;
	cJSON_AddItemReferenceToObject(ev, "payload", empty);
	slot = cJSON_GetObjectItem(ev, "payload");
	for (i = 0; i < n; i++) {
		const char *c;
		cJSON *parsed = NULL;

		/* six fields; a row cut short leaves the rest empty */
		for (end = 0, k = 0; k < 6; k++)
			fld[k] = end ? (char *)"" : field(&cur, &end);
		while (!end)
			field(&cur, &end);
		for (k = 0; k < 4; k++) {
			c = fld[k][0] != '\0' ? fld[k] : NULL;
			if (k == 3 && c != NULL) {
				/* payload.evaluation as JSON text: a string, "#" read in place, or not one */
				if (c[0] == '"' && c[1] != '\\' && c[1] != '\0' && c[2] == '"' && c[3] == '\0') {
					code[0] = c[1];
					c = code;
				} else if (c[0] == '"') {
					cJSON_Delete(evaluation);
					evaluation = cJSON_Parse(c);
					c = cJSON_GetStringValue(evaluation);
				} else {
					c = NULL;
				}
			}
			col[k]->type = c != NULL ? cJSON_String | cJSON_IsReference : cJSON_NULL;
			col[k]->valuestring = (char *)c;
		}
		if (fld[5][0] != '\0') {
			parsed = cJSON_Parse(fld[5]);
			slot->child = parsed ? parsed->child : NULL;
		} else if (fld[4][0] != '\0') {
			won->child->type = cJSON_String | cJSON_IsReference;
			won->child->valuestring = fld[4];
			slot->child = won->child;
		} else {
			slot->child = NULL;
		}
		stint_ms_event_from_json(ev, &in[i]);
		stint_vbs_action_from_json(ev, &a[i]);
		slot->child = NULL;
		cJSON_Delete(parsed);
	}
	for (k = 0; k < 4; k++) {
		col[k]->type = cJSON_NULL;
		col[k]->valuestring = NULL;
	}
	won->child->type = cJSON_NULL;
	won->child->valuestring = NULL;
	stint_ms_derive(&rules, lineups, nl, in, (size_t)n, st, &sum);
	if (stint_vbs_tally_events(a, st, (size_t)n, NULL, &t) != 0)
		goto out;

	/* the session's row */
	cJSON_AddNumberToObject(o->row, "events", n);
	arr = cJSON_AddArrayToObject(o->row, "sets");
	for (k = 0; k < sum.nsets && k < STINT_MS_MAX_SETS; k++) {
		x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "set", sum.sets[k].set);
		cJSON_AddNumberToObject(x, "A", sum.sets[k].score[0]);
		cJSON_AddNumberToObject(x, "B", sum.sets[k].score[1]);
		cJSON_AddItemToArray(arr, x);
	}
	x = cJSON_AddObjectToObject(o->row, "sets_won");
	cJSON_AddNumberToObject(x, "A", sum.sets_won[0]);
	cJSON_AddNumberToObject(x, "B", sum.sets_won[1]);
	if (o->side >= 0 && sum.match_won_by != 0)
		cJSON_AddBoolToObject(o->row, "won", sum.match_won_by == (o->side == 0 ? 'A' : 'B'));
	else
		cJSON_AddNullToObject(o->row, "won");
	fig = cJSON_AddObjectToObject(o->row, "figures");
	cJSON_AddItemToObject(fig, "A", stint_vbs_key_json(&t.team[0], 1));
	cJSON_AddItemToObject(fig, "B", stint_vbs_key_json(&t.team[1], 1));

	/* the season's sums: by side, or the followed team first */
	for (k = 0; k < 2; k++) {
		side = o->side == 1 ? 1 - k : k;
		stint_vbs_counts_add(&se->tot[k], &t.team[side]);
		for (i = 0; i < 6; i++)
			stint_vbs_counts_add(&se->rot[k][i], &t.rotation[side][i]);
		se->sets_won[k] += sum.sets_won[side];
	}
	if (o->side >= 0) {
		se->played++;
		se->won += sum.match_won_by == (o->side == 0 ? 'A' : 'B');
		se->lost += sum.match_won_by == (o->side == 0 ? 'B' : 'A');
	}
	for (j = 0; j < t.nplayers; j++) {
		side = t.players[j].team == 'A' ? 0 : 1;
		if (o->side >= 0 && side != o->side)
			continue;
		snprintf(key, sizeof(key), "%c-%s", t.players[j].team, t.players[j].number);
		pname = cJSON_GetStringValue(cJSON_GetObjectItem(o->roster, key));
		p = player_of(se, side_name(o, side), t.players[j].number, pname ? pname : "");
		if (p == NULL || p->by_session == NULL) {
			stint_vbs_tally_free(&t);
			goto out;
		}
		stint_vbs_counts_add(&p->c, &t.players[j].c);
		p->matches++;
		x = stint_vbs_key_json(&t.players[j].c, 0);
		cJSON_AddItemToObject(x, "id", cJSON_CreateString(o->id));
		cJSON_AddItemToArray(p->by_session, x);
	}
	stint_vbs_tally_free(&t);
	rc = 0;
out:
	cJSON_Delete(evaluation);
	cJSON_Delete(ev);
	cJSON_Delete(empty);
	cJSON_Delete(won);
	cJSON_Delete(rj);
	cJSON_Delete(lj);
	free(in);
	free(st);
	free(a);
	return rc;
}

static cJSON *answer(season *se, const stint_season_query *q, cJSON *rows)
{
	static const char *const follow_keys[2] = { "team", "opponents" }, *const side_keys[2] = { "A", "B" };
	const char *const *keys = se->follow ? follow_keys : side_keys;
	cJSON *o = cJSON_CreateObject(), *x, *arr;
	size_t i;
	int k, r;

	cJSON_AddItemToObject(o, "team", q->team ? cJSON_CreateString(q->team) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "from", q->from ? cJSON_CreateString(q->from) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "to", q->to ? cJSON_CreateString(q->to) : cJSON_CreateNull());
	cJSON_AddItemToObject(o, "sessions", rows);
	if (se->follow) {
		x = cJSON_AddObjectToObject(o, "matches");
		cJSON_AddNumberToObject(x, "played", se->played);
		cJSON_AddNumberToObject(x, "won", se->won);
		cJSON_AddNumberToObject(x, "lost", se->lost);
	}
	x = cJSON_AddObjectToObject(o, "sets_won");
	for (k = 0; k < 2; k++)
		cJSON_AddNumberToObject(x, keys[k], se->sets_won[k]);
	x = cJSON_AddObjectToObject(o, "totals");
	for (k = 0; k < 2; k++)
		cJSON_AddItemToObject(x, keys[k], stint_vbs_counts_json(&se->tot[k], 1));
	arr = cJSON_AddArrayToObject(o, "by_rotation");
	for (k = 0; k < 2; k++)
		for (r = 0; r < 6; r++) {
			x = stint_vbs_counts_json(&se->rot[k][r], 1);
			cJSON_AddStringToObject(x, "team", keys[k]);
			cJSON_AddNumberToObject(x, "rotation", r + 1);
			cJSON_AddItemToArray(arr, x);
		}
	arr = cJSON_AddArrayToObject(o, "players");
	for (i = 0; i < se->npl; i++) {
		x = stint_vbs_counts_json(&se->pl[i].c, 0);
		cJSON_AddStringToObject(x, "team", se->pl[i].team);
		cJSON_AddStringToObject(x, "number", se->pl[i].number);
		cJSON_AddStringToObject(x, "name", se->pl[i].name);
		cJSON_AddNumberToObject(x, "matches", se->pl[i].matches);
		cJSON_AddItemToObject(x, "by_session", se->pl[i].by_session);
		se->pl[i].by_session = NULL;
		cJSON_AddItemToArray(arr, x);
	}
	return o;
}

static int splayer_cmp(const void *x, const void *y)
{
	const splayer *a = x, *b = y;
	size_t la = strlen(a->number), lb = strlen(b->number);
	int c = strcasecmp(a->team, b->team);

	if (c != 0)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	c = strcmp(a->number, b->number);
	return c != 0 ? c : strcasecmp(a->name, b->name);
}

stint_db_rc stint_season_stats(stint_db *db, const char *user_id, const stint_season_query *q, cJSON **out,
			       stint_season_problem *problem)
{
	char limit[16], *ids = NULL;
	const char *p[5];
	PGresult *sres = NULL, *eres = NULL;
	season se;
	cJSON *rows = NULL, *teams;
	stint_db_rc rc;
	int i, nrows, n = 0, k;
	size_t j, len = 0, at;

	memset(&se, 0, sizeof(se));
	*out = NULL;
	*problem = STINT_SEASON_FINE;
	se.follow = q->team != NULL;
	if (q->ids != NULL) {
		p[0] = q->ids;
		p[1] = user_id;
		rc = stint_db_exec(db, STINT_SQL_SEASON_PICK, 2, p, &sres);
	} else {
		snprintf(limit, sizeof(limit), "%d", STINT_SEASON_MAX + 1);
		p[0] = q->team;
		p[1] = q->from;
		p[2] = q->to;
		p[3] = user_id;
		p[4] = limit;
		rc = stint_db_exec(db, STINT_SQL_SEASON_FIND, 5, p, &sres);
	}
	if (rc != STINT_DB_OK)
		return rc;
	nrows = PQntuples(sres);
	if (q->ids != NULL && (size_t)nrows != q->nids)
		*problem = STINT_SEASON_NOT_FOUND;
	if (nrows > STINT_SEASON_MAX)
		*problem = STINT_SEASON_TOO_MANY;
	for (i = 0; i < nrows && *problem == STINT_SEASON_FINE; i++) {
		const char *g = stint_db_cell(sres, i, "grant");

		if (g == NULL || (strcmp(g, "view") != 0 && strcmp(g, "edit") != 0))
			*problem = STINT_SEASON_NOT_FOUND;
	}
	se.s = calloc(nrows ? (size_t)nrows : 1, sizeof(*se.s));
	if (*problem != STINT_SEASON_FINE || se.s == NULL)
		goto done;
	se.ns = (size_t)nrows;
	rows = cJSON_CreateArray();
	for (i = 0; i < nrows; i++) {
		one *o = &se.s[i];

		o->id = stint_db_cell(sres, i, "id");
		o->title = stint_db_cell(sres, i, "title");
		o->day = stint_db_cell(sres, i, "day");
		o->name[0] = stint_db_cell(sres, i, "team_a");
		o->name[1] = stint_db_cell(sres, i, "team_b");
		o->roster = stint_db_cell(sres, i, "roster") ? cJSON_Parse(stint_db_cell(sres, i, "roster")) : NULL;
		o->side = -1;
		for (k = 0; q->team != NULL && k < 2; k++)
			if (o->name[k] != NULL && o->side < 0 && strcasecmp(o->name[k], q->team) == 0)
				o->side = k;
		if (q->team != NULL && o->side < 0)
			*problem = STINT_SEASON_NO_TEAM;
		o->row = cJSON_CreateObject();
		cJSON_AddStringToObject(o->row, "id", o->id);
		cJSON_AddStringToObject(o->row, "title", o->title ? o->title : "");
		cJSON_AddStringToObject(o->row, "date", o->day ? o->day : "");
		teams = cJSON_AddObjectToObject(o->row, "teams");
		cJSON_AddItemToObject(teams, "A", o->name[0] ? cJSON_CreateString(o->name[0]) : cJSON_CreateNull());
		cJSON_AddItemToObject(teams, "B", o->name[1] ? cJSON_CreateString(o->name[1]) : cJSON_CreateNull());
		cJSON_AddItemToObject(o->row, "side", o->side < 0 ? cJSON_CreateNull() :
				      cJSON_CreateString(o->side == 0 ? "A" : "B"));
		cJSON_AddItemToArray(rows, o->row);
		len += strlen(o->id) + 1;
	}
	if (*problem != STINT_SEASON_FINE)
		goto done;

	/* one statement for the events of every session, each session's slice derived on its own */
	ids = malloc(len + 1);
	if (ids == NULL) {
		rc = STINT_DB_ERROR;
		goto done;
	}
	for (j = 0, at = 0; j < se.ns; j++) {
		size_t idl = strlen(se.s[j].id);

		if (j > 0)
			ids[at++] = ',';
		memcpy(ids + at, se.s[j].id, idl);  /* len counted each id and its comma */
		at += idl;
	}
	ids[at] = '\0';
	p[0] = ids;
	rc = nrows > 0 ? stint_db_exec(db, STINT_SQL_SEASON_EVENTS, 1, p, &eres) : STINT_DB_OK;
	if (rc != STINT_DB_OK)
		goto done;
	n = eres ? PQntuples(eres) : 0;
	for (j = 0; j < se.ns; j++) {
		char *text = NULL;
		int oom = 0;

		/* a row per session (in their order), its events NULL when it has none */
		for (i = 0; i < n; i++)
			if (strtol(PQgetvalue(eres, i, 0), NULL, 10) == (long)j + 1 && !PQgetisnull(eres, i, 1)) {
				free(text);
				text = strdup(PQgetvalue(eres, i, 1));
				oom = text == NULL;
			}
		if (oom || add_session(&se, &se.s[j], text, stint_db_cell(sres, (int)j, "rules"),
				       stint_db_cell(sres, (int)j, "lineups")) != 0) {
			free(text);
			rc = STINT_DB_ERROR;
			goto done;
		}
		free(text);
	}
	if (se.npl > 0)
		qsort(se.pl, se.npl, sizeof(*se.pl), splayer_cmp);
	*out = answer(&se, q, rows);
	rows = NULL;
done:
	cJSON_Delete(rows);
	for (j = 0; j < se.ns; j++)
		cJSON_Delete(se.s[j].roster);
	for (j = 0; j < se.npl; j++)
		cJSON_Delete(se.pl[j].by_session);
	free(se.pl);
	free(se.s);
	free(ids);
	/* the answer's texts are copies; the results may go */
	PQclear(eres);
	PQclear(sres);
	return rc;
}
