/*
 * pages-match.c: the match state in the editor (see pages-match.h). The
 * state is derived from all the session's events on every page (lib/
 * matchstate-load.h), so it follows every add, edit and delete. The line-up
 * form stores one team's six starting players for one set in meta.lineups;
 * numbers are typed or picked from the team's roster (a datalist).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "matchstate-load.h"
#include "pages-match.h"
#include "pages-shared.h"
#include "tx.h"
#include "validate.h"

static void problem(cJSON **errors, const char *field, const char *message)
{
	if (*errors == NULL)
		*errors = cJSON_CreateObject();
	cJSON_AddStringToObject(*errors, field, message);
}

/* The acting team's rotation and the phase of the action, for the events table (issue 19). */
static void add_rotation_phase(cJSON *ms, const cJSON *e, const stint_ms_state *st)
{
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
	const char *phase = stint_ms_phase_name(st->phase);

	if (team != NULL && (team[0] == 'A' || team[0] == 'B'))
		cJSON_AddNumberToObject(ms, "rot", st->rotation[team[0] == 'B']);
	if (phase != NULL)
		cJSON_AddStringToObject(ms, "phase", phase);
}

/* The state before each of the page's events, found by id. */
static void decorate_rows(const stint_ms_match *m, cJSON *items)
{
	const cJSON *src;
	cJSON *e, *ms;
	double id;
	size_t i;
	char team[2] = "";

	cJSON_ArrayForEach(e, items) {
		id = cJSON_GetNumberValue(cJSON_GetObjectItem(e, "id"));
		i = 0;
		cJSON_ArrayForEach(src, m->events) {
			if (cJSON_GetNumberValue(cJSON_GetObjectItem(src, "id")) == id)
				break;
			i++;
		}
		if (src == NULL)
			continue;
		ms = cJSON_AddObjectToObject(e, "ms");
		cJSON_AddNumberToObject(ms, "set", m->states[i].set);
		cJSON_AddNumberToObject(ms, "a", m->states[i].score[0]);
		cJSON_AddNumberToObject(ms, "b", m->states[i].score[1]);
		team[0] = m->states[i].serving;
		cJSON_AddStringToObject(ms, "serving", team);
		add_rotation_phase(ms, e, &m->states[i]);
	}
}

/* The stored line-up of team for set, as the form's six values and setter. */
static void form_team(cJSON *form, const stint_ms_match *m, int set, char team)
{
	cJSON *t = cJSON_AddObjectToObject(form, team == 'A' ? "a" : "b"), *zones, *z;
	char key[4];
	size_t i;
	int k;

	cJSON_AddStringToObject(t, "side", team == 'A' ? "A" : "B");
	zones = cJSON_AddArrayToObject(t, "zones");
	for (i = 0; i < m->nlineups && !(m->lineups[i].set == set && m->lineups[i].team == team); i++)
		;
	for (k = 0; k < 6; k++) {
		z = cJSON_CreateObject();
		snprintf(key, sizeof(key), "%c%d", team == 'A' ? 'a' : 'b', k + 1);
		cJSON_AddStringToObject(z, "name", key);
		cJSON_AddNumberToObject(z, "zone", k + 1);
		if (i < m->nlineups)
			cJSON_AddStringToObject(z, "value", m->lineups[i].players[k]);
		cJSON_AddItemToArray(zones, z);
	}
	if (i < m->nlineups && m->lineups[i].setter_zone > 0)
		cJSON_AddStringToObject(t, "setter", m->lineups[i].players[m->lineups[i].setter_zone - 1]);
}

/* The roster numbers of side, for the form's datalist. */
static cJSON *roster_numbers(const cJSON *session, const char *side)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *team, *p;
	const char *s;

	cJSON_ArrayForEach(team, cJSON_GetObjectItem(session, "teams"))
		if ((s = cJSON_GetStringValue(cJSON_GetObjectItem(team, "side"))) != NULL && strcmp(s, side) == 0)
			cJSON_ArrayForEach(p, cJSON_GetObjectItem(team, "roster"))
				cJSON_AddItemToArray(out, cJSON_Duplicate(p, 0));
	return out;
}

static void add_now(cJSON *match, const stint_ms_match *m, const cJSON *session)
{
	const stint_ms_state *now = &m->summary.now;
	char name[210], team[2] = { now->serving, '\0' };
	cJSON *sets = cJSON_AddArrayToObject(match, "sets"), *s;
	int i;

	cJSON_AddNumberToObject(match, "set", now->set);
	cJSON_AddNumberToObject(match, "score_a", now->score[0]);
	cJSON_AddNumberToObject(match, "score_b", now->score[1]);
	cJSON_AddNumberToObject(match, "sets_a", now->sets_won[0]);
	cJSON_AddNumberToObject(match, "sets_b", now->sets_won[1]);
	cJSON_AddStringToObject(match, "serving_name", page_team_name(session, team, name, sizeof(name)));
	cJSON_AddNumberToObject(match, "rotation_a", now->rotation[0]);
	cJSON_AddNumberToObject(match, "rotation_b", now->rotation[1]);
	cJSON_AddBoolToObject(match, "match_over", m->summary.match_won_by != 0);
	for (i = 0; i < m->summary.nsets; i++) {
		s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "set", m->summary.sets[i].set);
		cJSON_AddNumberToObject(s, "a", m->summary.sets[i].score[0]);
		cJSON_AddNumberToObject(s, "b", m->summary.sets[i].score[1]);
		cJSON_AddItemToArray(sets, s);
	}
}

static void add_rule(cJSON *rules, const cJSON *stored, const char *key, int in_force)
{
	char set_key[40];
	const cJSON *v = cJSON_GetObjectItem(stored, key);

	cJSON_AddNumberToObject(rules, key, in_force);
	snprintf(set_key, sizeof(set_key), "%s_set", key);
	if (cJSON_IsNumber(v))
		cJSON_AddNumberToObject(rules, set_key, v->valuedouble);
	else
		cJSON_AddStringToObject(rules, set_key, "");
}

/* The rules form: the presets with the session's chosen, and the values in force. */
static void add_rules_form(cJSON *match, const stint_ms_match *m)
{
	static const char *const presets[] = { "indoor", "beach", "youth" };
	const cJSON *stored = cJSON_GetObjectItem(m->input, "match_rules");
	const char *chosen = cJSON_GetStringValue(cJSON_GetObjectItem(stored, "preset"));
	cJSON *rules = cJSON_AddObjectToObject(match, "rules"), *list, *o;
	size_t i;

	list = cJSON_AddArrayToObject(rules, "presets");
	for (i = 0; i < 3; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", presets[i]);
		cJSON_AddBoolToObject(o, "selected", chosen != NULL ? strcmp(chosen, presets[i]) == 0 : i == 0);
		cJSON_AddItemToArray(list, o);
	}
	/* in force (the inputs' placeholders), and what the session overrides (their values) */
	add_rule(rules, stored, "set_points", m->rules.set_points);
	add_rule(rules, stored, "deciding_set_points", m->rules.deciding_set_points);
	add_rule(rules, stored, "win_by", m->rules.win_by);
	add_rule(rules, stored, "best_of", m->rules.best_of);
	cJSON_AddBoolToObject(rules, "first_b", m->rules.first_serve == 'B');
}

stint_db_rc page_match_data(stint_req *r, cJSON *data, const cJSON *session, cJSON *items)
{
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(session, "kind"));
	const char *want = stint_kv_get(&r->query, "lineup_set");
	stint_ms_match m;
	cJSON *match, *form, *sets, *o;
	const cJSON *last;
	int found = 0, set, i;
	stint_db_rc rc;

	if (kind == NULL || strcmp(kind, "match") != 0)
		return STINT_DB_OK;
	rc = stint_ms_load(r->db, r->params[0], &m, &found);
	if (rc == STINT_DB_OK && found) {
		decorate_rows(&m, items);
		match = cJSON_AddObjectToObject(data, "match");
		add_now(match, &m, session);
		set = want != NULL && atoi(want) >= 1 && atoi(want) <= m.rules.best_of ? atoi(want) : m.summary.now.set;
		form = cJSON_AddObjectToObject(match, "form");
		sets = cJSON_AddArrayToObject(form, "sets");
		for (i = 1; i <= m.rules.best_of; i++) {
			o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "n", i);
			cJSON_AddBoolToObject(o, "selected", i == set);
			cJSON_AddItemToArray(sets, o);
		}
		form_team(form, &m, set, 'A');
		form_team(form, &m, set, 'B');
		add_rules_form(match, &m);
		last = cJSON_GetArrayItem(m.events, (int)m.n - 1);
		cJSON_AddNumberToObject(match, "last_t", m.n ? cJSON_GetNumberValue(cJSON_GetObjectItem(last, "t_sec")) : 0);
		cJSON_AddItemToObject(match, "roster_a", roster_numbers(session, "A"));
		cJSON_AddItemToObject(match, "roster_b", roster_numbers(session, "B"));
	}
	stint_ms_match_free(&m);
	return rc;
}

/*
 * One team's six from the form (fields <p>1..<p>6 and <p>_setter, p "a" or
 * "b"): 1 when all six are given, 0 when none is, -1 with a problem in
 * errors otherwise.
 */
static int team_from_form(stint_req *r, char p, stint_ms_shirt players[6], stint_ms_shirt setter,
			  cJSON **errors)
{
	char key[16];
	const char *v;
	int given = 0, k, j;

	memset(players, 0, 6 * sizeof(stint_ms_shirt));
	memset(setter, 0, sizeof(stint_ms_shirt));
	for (k = 0; k < 6; k++) {
		snprintf(key, sizeof(key), "%c%d", p, k + 1);
		v = stint_kv_get(&r->form, key);
		if (v == NULL || *v == '\0')
			continue;
		if (!stint_is_shirt(v)) {
			problem(errors, key, "must be a shirt number, 1 to 3 digits");
			return -1;
		}
		for (j = 0; j < k; j++)
			if (stint_ms_shirt_eq(players[j], v)) {
				problem(errors, key, "is on court twice");
				return -1;
			}
		memcpy(players[k], v, strlen(v) + 1);
		given++;
	}
	snprintf(key, sizeof(key), "%c_setter", p);
	v = stint_kv_get(&r->form, key);
	if (v != NULL && *v != '\0') {
		for (j = 0; j < 6 && !stint_ms_shirt_eq(players[j], v); j++)
			;
		if (j == 6) {
			problem(errors, key, "must be one of the six");
			return -1;
		}
		memcpy(setter, v, strlen(v) + 1);
	}
	if (given != 0 && given != 6) {
		snprintf(key, sizeof(key), "%c1", p);
		problem(errors, key, "six players are needed, one a zone");
		return -1;
	}
	return given == 6;
}

/* 422 with the first problem in words: "a3 (team A, zone 3) is on court twice". */
static void fail_lineup(stint_req *r, cJSON *errors)
{
	const cJSON *e = errors->child;
	const char *f = e->string;
	char message[200], where[40] = "";

	if (strcmp(f, "set") != 0)
		snprintf(where, sizeof(where), " (team %c, %s%s)", f[0] == 'a' ? 'A' : 'B',
			 f[1] == '_' ? "setter" : "zone ", f[1] == '_' ? "" : f + 1);
	snprintf(message, sizeof(message), "Line-up not saved: %s%s %s.", f, where, e->valuestring);
	stint_fail(r, 422, "invalid_fields", message, errors);
	cJSON_Delete(errors);
}

void page_lineup_save(stint_req *r)
{
	const char *set_text = stint_kv_get(&r->form, "set");
	stint_ms_shirt a[6], b[6], setter_a, setter_b;
	int has_a, has_b, found = 1, set;
	char *end = NULL, suffix[32];
	cJSON *errors = NULL;
	stint_db_rc rc;
	stint_tx tx;

	long set_long = set_text ? strtol(set_text, &end, 10) : 0;

	if (set_text == NULL || *set_text == '\0' || *end != '\0' || set_long < 1 || set_long > STINT_MS_MAX_SETS)
		problem(&errors, "set", "must be a set number, 1 to 7");
	set = (int)set_long;
	has_a = errors ? 0 : team_from_form(r, 'a', a, setter_a, &errors);
	has_b = errors ? 0 : team_from_form(r, 'b', b, setter_b, &errors);
	if (errors == NULL && has_a == 0 && has_b == 0)
		problem(&errors, "a1", "give six players of at least one team");
	if (errors != NULL) {
		fail_lineup(r, errors);
		return;
	}
	stint_tx_begin(&tx, r->db, r->user.id_text);
	if (has_a)
		stint_ms_lineup_put(&tx, r->params[0], set, 'A', a, setter_a, &found);
	if (has_b && found)
		stint_ms_lineup_put(&tx, r->params[0], set, 'B', b, setter_b, &found);
	stint_tx_audit(&tx, "session.lineup", "session", r->params[0], NULL);
	rc = stint_tx_end(&tx);
	snprintf(suffix, sizeof(suffix), "lineup_set=%d", set);
	if (stint_found_or_fail(r, rc, found, "There is no such session."))
		page_redirect_session(r, r->params[0], NULL, "lineup_saved", suffix, "match");
}

/* The rules form's fields, as meta.match_rules keys: numbers, or text (preset, first_serve). */
static const struct { const char *key; int number; } rule_fields[] = {
	{ "preset", 0 }, { "set_points", 1 }, { "deciding_set_points", 1 }, { "win_by", 1 }, { "best_of", 1 },
	{ "first_serve", 0 },
};

void page_rules_save(stint_req *r)
{
	cJSON *rules = cJSON_CreateObject(), *errors = NULL;
	const char *v, *bad = NULL;
	char *json = NULL, message[160];
	stint_ms_rules parsed;
	stint_db_rc rc;
	stint_tx tx;
	int found = 0;
	size_t i;

	for (i = 0; i < sizeof(rule_fields) / sizeof(rule_fields[0]); i++) {
		v = stint_kv_get(&r->form, rule_fields[i].key);
		if (v == NULL || *v == '\0')
			continue;
		if (!rule_fields[i].number)
			cJSON_AddStringToObject(rules, rule_fields[i].key, v);
		else if (strspn(v, "0123456789") == strlen(v) && strlen(v) <= 3)
			cJSON_AddNumberToObject(rules, rule_fields[i].key, atoi(v));
		else
			cJSON_AddStringToObject(rules, rule_fields[i].key, v);  /* refused below, by name */
	}
	if (stint_ms_rules_from_json(rules, &parsed, &bad) != 0) {
		problem(&errors, bad, "does not fit (preset indoor, beach or youth; points 1 to 99; "
			"win by 1 to 10; best of 1, 3, 5 or 7; first serve A or B)");
		snprintf(message, sizeof(message), "Rules not saved: %s does not fit.", bad);
		stint_fail(r, 422, "invalid_fields", message, errors);
		cJSON_Delete(errors);
		cJSON_Delete(rules);
		return;
	}
	json = cJSON_PrintUnformatted(rules);
	cJSON_Delete(rules);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	if (json == NULL)
		stint_tx_fail(&tx, STINT_DB_ERROR);
	else
		stint_ms_rules_put(&tx, r->params[0], json, &found);
	stint_tx_audit(&tx, "session.rules", "session", r->params[0], NULL);
	rc = stint_tx_end(&tx);
	free(json);
	if (stint_found_or_fail(r, rc, found, "There is no such session."))
		page_redirect_session(r, r->params[0], NULL, "rules_saved", NULL, "match");
}
