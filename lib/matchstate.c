/* matchstate.c: a volleyball match's state at every event (see matchstate.h). */
#include "matchstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

/* The running state of one derivation. */
struct ms_run {
	const stint_ms_rules *rules;
	const stint_ms_lineup *lineups;
	size_t nlineups;
	stint_ms_state s;               /* now, before the next event */
	int setter_zone[2];             /* where the setter (or the zone-1 starter) stands */
	stint_ms_shirt start[2][6];     /* the current set's starting line-ups */
	int start_setter[2];       /* the current set's starting line-ups */
	char set_first_server;
	int set_over;                   /* the set is finished, the next not begun */
	int points_in_set;
	int reception_over;             /* the receiving team attacked, or the serving team played the ball */
	stint_ms_summary sum;
};

int stint_ms_shirt_eq(const char *a, const char *b)
{
	return a[0] != '\0' && strcmp(a, b) == 0;
}

static int side(char team)
{
	return team == 'B';
}

static char other(char team)
{
	return team == 'A' ? 'B' : 'A';
}

void stint_ms_rules_indoor(stint_ms_rules *r)
{
	r->set_points = 25;
	r->deciding_set_points = 15;
	r->win_by = 2;
	r->best_of = 5;
	r->first_serve = 'A';
}

static int is_deciding(const struct ms_run *m)
{
	return m->s.set == m->rules->best_of;
}

static int sets_to_win(const stint_ms_rules *r)
{
	return r->best_of / 2 + 1;
}

/* Setter zone and rotation of team t from its court and setter zone. */
static void set_court(struct ms_run *m, int t, const stint_ms_shirt players[6], int setter_zone)
{
	memcpy(m->s.court[t], players, sizeof(m->s.court[t]));
	m->setter_zone[t] = setter_zone >= 1 && setter_zone <= 6 ? setter_zone : 1;
	m->s.rotation[t] = m->setter_zone[t];
}

/* Team t wins the serve back: the player in zone 2 moves to zone 1, 1 to 6, 6 to 5, ... */
static void rotate(struct ms_run *m, int t)
{
	stint_ms_shirt first;

	memcpy(first, m->s.court[t][0], sizeof(first));
	memmove(m->s.court[t][0], m->s.court[t][1], 5 * sizeof(stint_ms_shirt));
	memcpy(m->s.court[t][5], first, sizeof(first));
	m->setter_zone[t] = m->setter_zone[t] == 1 ? 6 : m->setter_zone[t] - 1;
	m->s.rotation[t] = m->setter_zone[t];
}

/* The settings' line-ups for the current set, over what the teams had. */
static void apply_settings_lineups(struct ms_run *m)
{
	size_t i;

	for (i = 0; i < m->nlineups; i++)
		if (m->lineups[i].set == m->s.set && (m->lineups[i].team == 'A' || m->lineups[i].team == 'B')) {
			int t = side(m->lineups[i].team);

			memcpy(m->start[t], m->lineups[i].players, sizeof(m->start[t]));
			m->start_setter[t] = m->lineups[i].setter_zone;
		}
	set_court(m, 0, m->start[0], m->start_setter[0]);
	set_court(m, 1, m->start[1], m->start_setter[1]);
}

static void begin_set(struct ms_run *m, int set)
{
	m->s.set = set;
	m->s.score[0] = m->s.score[1] = 0;
	m->points_in_set = 0;
	m->set_over = 0;
	m->set_first_server = set == 1 ? m->rules->first_serve : other(m->set_first_server);
	m->s.serving = m->set_first_server;
	apply_settings_lineups(m);
	if (m->sum.nsets < STINT_MS_MAX_SETS && m->sum.nsets < set) {
		m->sum.sets[m->sum.nsets].set = set;
		m->sum.nsets++;
	}
}

static stint_ms_set *cur_set(struct ms_run *m)
{
	return m->sum.nsets > 0 ? &m->sum.sets[m->sum.nsets - 1] : NULL;
}

/* The set ends, won by the team ahead (none on a tie). */
static void finish_set(struct ms_run *m)
{
	stint_ms_set *set = cur_set(m);
	char winner = m->s.score[0] > m->s.score[1] ? 'A' : m->s.score[1] > m->s.score[0] ? 'B' : 0;

	m->set_over = 1;
	if (set != NULL)
		set->won_by = winner;
	if (winner != 0)
		m->s.sets_won[side(winner)]++;
	if (winner != 0 && m->s.sets_won[side(winner)] >= sets_to_win(m->rules))
		m->sum.match_won_by = winner;
}

static int set_won(const struct ms_run *m)
{
	int target = is_deciding(m) ? m->rules->deciding_set_points : m->rules->set_points;
	int a = m->s.score[0], b = m->s.score[1];

	return (a >= target && a - b >= m->rules->win_by) || (b >= target && b - a >= m->rules->win_by);
}

static void point(struct ms_run *m, char winner, stint_ms_state *out)
{
	stint_ms_set *set = cur_set(m);
	int w = side(winner);

	if (winner != m->s.serving) {
		rotate(m, w);
		m->s.serving = winner;
	}
	m->s.score[w]++;
	m->points_in_set++;
	if (set != NULL)
		memcpy(set->score, m->s.score, sizeof(set->score));
	if (!m->set_over && set_won(m)) {
		finish_set(m);
		out->ends_set = 1;
	}
	m->s.rally++;
	m->reception_over = 0;
}

static void substitute(struct ms_run *m, const stint_ms_event *e)
{
	int t = side(e->team), i;

	for (i = 0; i < 6; i++)
		if (stint_ms_shirt_eq(m->s.court[t][i], e->player_out)) {
			memcpy(m->s.court[t][i], e->player_in, sizeof(stint_ms_shirt));
			return;
		}
}

/* A new setter: the rotation number is the zone that player stands in. */
static void setter(struct ms_run *m, const stint_ms_event *e)
{
	int t = side(e->team), i;

	for (i = 0; i < 6; i++)
		if (stint_ms_shirt_eq(m->s.court[t][i], e->number)) {
			m->setter_zone[t] = m->s.rotation[t] = i + 1;
			return;
		}
}

static void lineup(struct ms_run *m, const stint_ms_event *e)
{
	int t = side(e->team);

	if (m->points_in_set == 0) {
		memcpy(m->start[t], e->lineup, sizeof(m->start[t]));
		m->start_setter[t] = e->setter_zone;
	}
	set_court(m, t, e->lineup, e->setter_zone);
}

/* Events that begin the next set when the last one is over (not set ends and bookkeeping). */
static int begins_play(const stint_ms_event *e)
{
	return e->kind != STINT_MS_OTHER && e->kind != STINT_MS_SET_END && e->kind != STINT_MS_SETTER;
}

static stint_ms_phase phase_of(struct ms_run *m, const stint_ms_event *e)
{
	if (e->kind == STINT_MS_SERVE)
		return STINT_MS_PHASE_SERVE;
	if ((e->kind != STINT_MS_RECEPTION && e->kind != STINT_MS_ATTACK && e->kind != STINT_MS_SKILL) ||
	    (e->team != 'A' && e->team != 'B'))
		return STINT_MS_PHASE_NONE;
	if (e->team != m->s.serving && !m->reception_over) {
		if (e->kind == STINT_MS_ATTACK)
			m->reception_over = 1;
		return STINT_MS_PHASE_RECEPTION;
	}
	m->reception_over = 1;  /* the serving team played the ball (a free ball or an overpass came back) */
	return STINT_MS_PHASE_TRANSITION;
}

static void step(struct ms_run *m, const stint_ms_event *e, stint_ms_state *out)
{
	int team_ok = e->team == 'A' || e->team == 'B';

	if (m->set_over && !m->sum.match_won_by && begins_play(e))
		begin_set(m, m->s.set + 1);
	if (e->kind == STINT_MS_LINEUP && team_ok && e->set == m->s.set + 1 && m->points_in_set > 0 &&
	    !m->sum.match_won_by) {
		if (!m->set_over)
			finish_set(m);
		begin_set(m, e->set);
	}
	/* the set's first serve says who serves first */
	if (e->kind == STINT_MS_SERVE && team_ok && m->points_in_set == 0 && !m->set_over)
		m->s.serving = m->set_first_server = e->team;
	*out = m->s;
	out->phase = phase_of(m, e);
	switch (e->kind) {
	case STINT_MS_POINT:
		if (team_ok)
			point(m, e->team, out);
		break;
	case STINT_MS_SUBSTITUTION:
		if (team_ok)
			substitute(m, e);
		break;
	case STINT_MS_LINEUP:
		if (team_ok && (e->set == 0 || e->set == m->s.set))
			lineup(m, e);
		break;
	case STINT_MS_SETTER:
		if (team_ok)
			setter(m, e);
		break;
	case STINT_MS_SET_END:
		if (!m->set_over && m->points_in_set > 0) {
			finish_set(m);
			out->ends_set = 1;
		}
		break;
	default:
		break;
	}
}

/* Each rally's winner onto its point and the actions played in it. */
static void fill_rallies(const stint_ms_event *ev, size_t n, stint_ms_state *out)
{
	char winner = 0;
	stint_ms_outcome outcome = STINT_MS_NO_RALLY;
	int rally = -1;
	size_t i = n;

	while (i-- > 0) {
		if (ev[i].kind == STINT_MS_POINT && (ev[i].team == 'A' || ev[i].team == 'B')) {
			winner = ev[i].team;
			outcome = winner == out[i].serving ? STINT_MS_BREAKPOINT : STINT_MS_SIDEOUT;
			rally = out[i].rally;
		} else if (out[i].rally != rally || out[i].phase == STINT_MS_PHASE_NONE) {
			continue;
		}
		out[i].rally_won_by = winner;
		out[i].outcome = outcome;
	}
}

void stint_ms_derive(const stint_ms_rules *rules, const stint_ms_lineup *lineups, size_t nlineups,
		     const stint_ms_event *ev, size_t n, stint_ms_state *out, stint_ms_summary *sum)
{
	struct ms_run m;
	size_t i;

	memset(&m, 0, sizeof(m));      /* every shirt number "" (not known) */
	m.rules = rules;
	m.lineups = lineups;
	m.nlineups = nlineups;
	m.s.rally = 1;
	begin_set(&m, 1);
	for (i = 0; i < n; i++)
		step(&m, &ev[i], &out[i]);
	fill_rallies(ev, n, out);
	if (sum != NULL) {
		*sum = m.sum;
		memcpy(sum->sets_won, m.s.sets_won, sizeof(sum->sets_won));
		sum->now = m.s;
	}
}

/* ---- JSON ---------------------------------------------------------------- */

static const struct { const char *name; int set_points, deciding, best_of; } ms_presets[] = {
	{ "indoor", 25, 15, 5 }, { "beach", 21, 15, 3 }, { "youth", 25, 15, 3 },
};

/* An integer member in lo..hi into *v; 0 when absent or fine, -1 when bad. */
static int int_member(const cJSON *obj, const char *key, int lo, int hi, int *v)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (it == NULL)
		return 0;
	if (!cJSON_IsNumber(it) || !(it->valuedouble >= lo && it->valuedouble <= hi) ||
	    it->valuedouble != (double)(int)it->valuedouble)
		return -1;
	*v = (int)it->valuedouble;
	return 0;
}

int stint_ms_rules_from_json(const cJSON *rules, stint_ms_rules *r, const char **field)
{
	const cJSON *preset = cJSON_GetObjectItemCaseSensitive(rules, "preset");
	const cJSON *first = cJSON_GetObjectItemCaseSensitive(rules, "first_serve");
	const char *name = cJSON_GetStringValue(preset), *fs = cJSON_GetStringValue(first);
	size_t i;

	stint_ms_rules_indoor(r);
	*field = NULL;
	if (rules == NULL)
		return 0;
	if (!cJSON_IsObject(rules))
		*field = "match_rules";
	else if (preset != NULL) {
		for (i = 0; name != NULL && i < sizeof(ms_presets) / sizeof(ms_presets[0]); i++)
			if (strcmp(name, ms_presets[i].name) == 0)
				break;
		if (name == NULL || i == sizeof(ms_presets) / sizeof(ms_presets[0]))
			*field = "preset";
		else {
			r->set_points = ms_presets[i].set_points;
			r->deciding_set_points = ms_presets[i].deciding;
			r->best_of = ms_presets[i].best_of;
		}
	}
	if (*field == NULL && int_member(rules, "set_points", 1, 99, &r->set_points) != 0)
		*field = "set_points";
	if (*field == NULL && int_member(rules, "deciding_set_points", 1, 99, &r->deciding_set_points) != 0)
		*field = "deciding_set_points";
	if (*field == NULL && int_member(rules, "win_by", 1, 10, &r->win_by) != 0)
		*field = "win_by";
	if (*field == NULL && (int_member(rules, "best_of", 1, STINT_MS_MAX_SETS, &r->best_of) != 0 ||
			       r->best_of % 2 == 0))
		*field = "best_of";
	if (*field == NULL && first != NULL) {
		if (fs != NULL && (strcmp(fs, "A") == 0 || strcmp(fs, "B") == 0))
			r->first_serve = *fs;
		else
			*field = "first_serve";
	}
	if (*field != NULL) {
		stint_ms_rules_indoor(r);
		return -1;
	}
	return 0;
}

/*
 * A shirt number from a text of 1 to 3 digits (kept as it is: "07", "00")
 * or a JSON integer 0..999 (its decimal text: 7 is "7"), into out: 0, or
 * -1 (out "") when it is neither.
 */
static int shirt(const cJSON *it, stint_ms_shirt out)
{
	const char *t = cJSON_GetStringValue(it);

	memset(out, 0, sizeof(stint_ms_shirt));
	if (cJSON_IsNumber(it) && it->valuedouble >= 0 && it->valuedouble <= 999 &&
	    it->valuedouble == (double)(int)it->valuedouble) {
		snprintf(out, sizeof(stint_ms_shirt), "%d", (int)it->valuedouble);
		return 0;
	}
	if (t == NULL || !stint_is_shirt(t))
		return -1;
	memcpy(out, t, strlen(t) + 1);
	return 0;
}

/* A shirt-number member of obj into v ("" when absent or not one). */
static void shirt_member(const cJSON *obj, const char *key, stint_ms_shirt v)
{
	shirt(cJSON_GetObjectItemCaseSensitive(obj, key), v);
}

/* Six shirt numbers from a JSON array into out; 0, or -1 when it is not one. */
static int six_numbers(const cJSON *arr, stint_ms_shirt out[6])
{
	const cJSON *it;
	int i = 0;

	if (cJSON_GetArraySize(arr) != 6)
		return -1;
	cJSON_ArrayForEach(it, arr)
		if (shirt(it, out[i++]) != 0)
			return -1;
	return 0;
}

/* The zone 1..6 of shirt number in players, 0 if absent. */
static int zone_of(const stint_ms_shirt players[6], const cJSON *number)
{
	stint_ms_shirt n;
	int i;

	if (shirt(number, n) != 0)
		return 0;
	for (i = 0; i < 6; i++)
		if (stint_ms_shirt_eq(players[i], n))
			return i + 1;
	return 0;
}

size_t stint_ms_lineups_from_json(const cJSON *lineups, stint_ms_lineup *out, size_t max)
{
	const cJSON *it;
	const char *team;
	size_t n = 0;
	int set = 0;

	cJSON_ArrayForEach(it, lineups) {
		if (n == max)
			break;
		set = 0;
		team = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "team"));
		if (team == NULL || (strcmp(team, "A") != 0 && strcmp(team, "B") != 0) ||
		    int_member(it, "set", 1, STINT_MS_MAX_SETS, &set) != 0 || set == 0 ||
		    six_numbers(cJSON_GetObjectItemCaseSensitive(it, "players"), out[n].players) != 0)
			continue;
		out[n].set = set;
		out[n].team = *team;
		out[n].setter_zone = zone_of(out[n].players, cJSON_GetObjectItemCaseSensitive(it, "setter"));
		n++;
	}
	return n;
}

static const struct { const char *type; stint_ms_kind kind; } ms_types[] = {
	{ "serve", STINT_MS_SERVE }, { "reception", STINT_MS_RECEPTION }, { "attack", STINT_MS_ATTACK },
	{ "set", STINT_MS_SKILL }, { "block", STINT_MS_SKILL }, { "dig", STINT_MS_SKILL },
	{ "freeball", STINT_MS_SKILL }, { "point", STINT_MS_POINT }, { "substitution", STINT_MS_SUBSTITUTION },
	{ "lineup", STINT_MS_LINEUP }, { "timeout", STINT_MS_TIMEOUT }, { "end_of_set", STINT_MS_SET_END },
	{ "set_end", STINT_MS_SET_END }, { "setter_assignment", STINT_MS_SETTER },
};

/* A DataVolley >LUp line (P or z code) as a line-up of its team. */
static void dvw_lineup(const cJSON *event, const cJSON *payload, stint_ms_event *out)
{
	const cJSON *rot = cJSON_GetObjectItemCaseSensitive(payload, out->team == 'A' ? "home_rotation" :
							     "visiting_rotation");
	int zone = 0;

	if (six_numbers(rot, out->lineup) != 0)
		return;
	if (int_member(payload, "setter_position", 1, 6, &zone) != 0)
		zone = 0;
	if (zone == 0)
		zone = zone_of(out->lineup, cJSON_GetObjectItemCaseSensitive(event, "actor_number"));
	out->kind = STINT_MS_LINEUP;
	out->setter_zone = zone;
}

void stint_ms_event_from_json(const cJSON *event, stint_ms_event *out)
{
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(event, "event_type"));
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(event, "actor_team"));
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(event, "payload");
	const char *won = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(payload, "point_won_by"));
	size_t i;

	memset(out, 0, sizeof(*out));   /* every shirt number "" (not known) */
	out->team = team != NULL && (strcmp(team, "A") == 0 || strcmp(team, "B") == 0) ? *team : 0;
	for (i = 0; type != NULL && i < sizeof(ms_types) / sizeof(ms_types[0]); i++)
		if (strcmp(type, ms_types[i].type) == 0)
			out->kind = ms_types[i].kind;
	if (out->kind == STINT_MS_POINT && out->team == 0 && won != NULL &&
	    (strcmp(won, "A") == 0 || strcmp(won, "B") == 0))
		out->team = *won;
	if (out->kind == STINT_MS_SUBSTITUTION) {
		shirt_member(payload, "player_out", out->player_out);
		shirt_member(payload, "player_in", out->player_in);
	} else if (out->kind == STINT_MS_LINEUP) {
		if (six_numbers(cJSON_GetObjectItemCaseSensitive(payload, "players"), out->lineup) != 0)
			out->kind = STINT_MS_OTHER;
		out->setter_zone = zone_of(out->lineup, cJSON_GetObjectItemCaseSensitive(payload, "setter"));
		if (int_member(payload, "set", 1, STINT_MS_MAX_SETS, &out->set) != 0)
			out->set = 0;
	} else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(payload, "lineup")) && out->team != 0) {
		dvw_lineup(event, payload, out);
	} else if (out->kind == STINT_MS_SETTER) {
		shirt_member(event, "actor_number", out->number);
	}
}

const char *stint_ms_outcome_name(stint_ms_outcome o)
{
	return o == STINT_MS_SIDEOUT ? "sideout" : o == STINT_MS_BREAKPOINT ? "breakpoint" : NULL;
}

const char *stint_ms_phase_name(stint_ms_phase p)
{
	static const char *const names[] = { NULL, "serve", "reception", "transition" };

	return p <= STINT_MS_PHASE_TRANSITION ? names[p] : NULL;
}

static cJSON *pair(int a, int b)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "A", a);
	cJSON_AddNumberToObject(o, "B", b);
	return o;
}

static cJSON *team_or_null(char team)
{
	char s[2] = { team, '\0' };

	return team ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *name_or_null(const char *name)
{
	return name ? cJSON_CreateString(name) : cJSON_CreateNull();
}

static cJSON *court_json(const stint_ms_shirt players[6])
{
	cJSON *arr = cJSON_CreateArray();
	int i;

	for (i = 0; i < 6; i++)
		cJSON_AddItemToArray(arr, players[i][0] == '\0' ? cJSON_CreateNull() :
				     cJSON_CreateString(players[i]));
	return arr;
}

cJSON *stint_ms_state_json(const stint_ms_state *s)
{
	cJSON *o = cJSON_CreateObject(), *court;

	cJSON_AddNumberToObject(o, "set", s->set);
	cJSON_AddItemToObject(o, "score", pair(s->score[0], s->score[1]));
	cJSON_AddItemToObject(o, "sets_won", pair(s->sets_won[0], s->sets_won[1]));
	cJSON_AddItemToObject(o, "serving", team_or_null(s->serving));
	cJSON_AddItemToObject(o, "rotation", pair(s->rotation[0], s->rotation[1]));
	court = cJSON_AddObjectToObject(o, "court");
	cJSON_AddItemToObject(court, "A", court_json(s->court[0]));
	cJSON_AddItemToObject(court, "B", court_json(s->court[1]));
	cJSON_AddNumberToObject(o, "rally", s->rally);
	cJSON_AddItemToObject(o, "rally_won_by", team_or_null(s->rally_won_by));
	cJSON_AddItemToObject(o, "outcome", name_or_null(stint_ms_outcome_name(s->outcome)));
	cJSON_AddItemToObject(o, "phase", name_or_null(stint_ms_phase_name(s->phase)));
	cJSON_AddBoolToObject(o, "ends_set", s->ends_set);
	return o;
}

cJSON *stint_ms_summary_json(const stint_ms_summary *sum)
{
	cJSON *o = cJSON_CreateObject(), *sets = cJSON_AddArrayToObject(o, "sets"), *set;
	int i;

	for (i = 0; i < sum->nsets; i++) {
		set = cJSON_CreateObject();
		cJSON_AddNumberToObject(set, "set", sum->sets[i].set);
		cJSON_AddNumberToObject(set, "A", sum->sets[i].score[0]);
		cJSON_AddNumberToObject(set, "B", sum->sets[i].score[1]);
		cJSON_AddItemToObject(set, "won_by", team_or_null(sum->sets[i].won_by));
		cJSON_AddItemToArray(sets, set);
	}
	cJSON_AddItemToObject(o, "sets_won", pair(sum->sets_won[0], sum->sets_won[1]));
	cJSON_AddItemToObject(o, "match_won_by", team_or_null(sum->match_won_by));
	cJSON_AddItemToObject(o, "now", stint_ms_state_json(&sum->now));
	return o;
}
