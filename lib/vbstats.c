/* vbstats.c: volleyball statistics from the match state (see vbstats.h). */
#include "vbstats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reception evaluations in the order they are answered. */
static const char rec_codes[] = "#+!-/=";

typedef stint_vbs_counts counts;
typedef stint_vbs_player_counts player;

static cJSON *pct(int num, int den)
{
	if (den <= 0)
		return cJSON_CreateNull();
	return cJSON_CreateNumber(round(1000.0 * num / den) / 10.0);
}

static void count_action(counts *c, const stint_vbs_action *a)
{
	const char *p;

	switch (a->skill) {
	case 'S':
		c->srv++;
		c->ace += a->evaluation == '#';
		c->srv_err += a->evaluation == '=';
		break;
	case 'R':
		c->rec++;
		p = a->evaluation ? strchr(rec_codes, a->evaluation) : NULL;
		if (p != NULL)
			c->rec_eval[p - rec_codes]++;
		else
			c->rec_other++;
		break;
	case 'A':
		c->att++;
		c->kill += a->evaluation == '#';
		c->att_err += a->evaluation == '=';
		c->blocked += a->evaluation == '/';
		break;
	case 'B':
		c->blk++;
		c->blk_pts += a->evaluation == '#';
		break;
	case 'D':
		c->digs++;
		break;
	default:
		break;
	}
}

static void count_rally(counts *c, int serving, int won)
{
	if (serving) {
		c->served++;
		c->bp_won += won;
	} else {
		c->received++;
		c->so_won += won;
	}
}

static cJSON *block_json(const counts *c, int rallies)
{
	cJSON *o = cJSON_CreateObject(), *s, *share, *evals;
	char code[2] = "";
	int i;

	if (rallies) {
		cJSON_AddNumberToObject(o, "rallies_received", c->received);
		cJSON_AddNumberToObject(o, "sideout_won", c->so_won);
		cJSON_AddItemToObject(o, "sideout_pct", pct(c->so_won, c->received));
		cJSON_AddNumberToObject(o, "rallies_served", c->served);
		cJSON_AddNumberToObject(o, "breakpoint_won", c->bp_won);
		cJSON_AddItemToObject(o, "breakpoint_pct", pct(c->bp_won, c->served));
	}
	s = cJSON_AddObjectToObject(o, "serve");
	cJSON_AddNumberToObject(s, "attempts", c->srv);
	cJSON_AddNumberToObject(s, "aces", c->ace);
	cJSON_AddNumberToObject(s, "errors", c->srv_err);
	cJSON_AddItemToObject(s, "ace_pct", pct(c->ace, c->srv));
	cJSON_AddItemToObject(s, "error_pct", pct(c->srv_err, c->srv));
	s = cJSON_AddObjectToObject(o, "reception");
	cJSON_AddNumberToObject(s, "attempts", c->rec);
	evals = cJSON_AddObjectToObject(s, "evaluations");
	share = cJSON_AddObjectToObject(s, "share_pct");
	for (i = 0; i < 6; i++) {
		code[0] = rec_codes[i];
		cJSON_AddNumberToObject(evals, code, c->rec_eval[i]);
		cJSON_AddItemToObject(share, code, pct(c->rec_eval[i], c->rec));
	}
	cJSON_AddNumberToObject(s, "errors", c->rec_eval[5]);
	cJSON_AddItemToObject(s, "positive_pct", pct(c->rec_eval[0] + c->rec_eval[1], c->rec));
	cJSON_AddItemToObject(s, "perfect_pct", pct(c->rec_eval[0], c->rec));
	s = cJSON_AddObjectToObject(o, "attack");
	cJSON_AddNumberToObject(s, "attempts", c->att);
	cJSON_AddNumberToObject(s, "kills", c->kill);
	cJSON_AddNumberToObject(s, "errors", c->att_err);
	cJSON_AddNumberToObject(s, "blocked", c->blocked);
	cJSON_AddItemToObject(s, "kill_pct", pct(c->kill, c->att));
	cJSON_AddItemToObject(s, "efficiency", pct(c->kill - c->att_err - c->blocked, c->att));
	s = cJSON_AddObjectToObject(o, "block");
	cJSON_AddNumberToObject(s, "attempts", c->blk);
	cJSON_AddNumberToObject(s, "points", c->blk_pts);
	s = cJSON_AddObjectToObject(o, "dig");
	cJSON_AddNumberToObject(s, "attempts", c->digs);
	return o;
}

static int side(char team)
{
	return team == 'A' ? 0 : team == 'B' ? 1 : -1;
}

static int keep(const stint_vbs_action *a, const stint_ms_state *s, const stint_vbs_filter *f)
{
	if (a->skill == 0 || side(a->team) < 0)
		return 0;
	if (f == NULL)
		return 1;
	if (f->phase != STINT_MS_PHASE_NONE && s->phase != f->phase)
		return 0;
	if (f->number != NULL && (a->team != f->team || strcmp(a->number, f->number) != 0))
		return 0;
	return 1;
}

void stint_vbs_action_from_json(const cJSON *event, stint_vbs_action *out)
{
	static const struct { const char *type; char skill; } skills[] = {
		{ "serve", 'S' }, { "reception", 'R' }, { "attack", 'A' }, { "block", 'B' }, { "dig", 'D' },
	};
	const cJSON *type = cJSON_GetObjectItem(event, "event_type");
	const cJSON *team = cJSON_GetObjectItem(event, "actor_team");
	const cJSON *num = cJSON_GetObjectItem(event, "actor_number");
	const cJSON *ev = cJSON_GetObjectItem(event, "evaluation");
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsString(ev))
		ev = cJSON_GetObjectItem(cJSON_GetObjectItem(event, "payload"), "evaluation");
	for (i = 0; cJSON_IsString(type) && i < sizeof(skills) / sizeof(skills[0]); i++)
		if (strcmp(type->valuestring, skills[i].type) == 0)
			out->skill = skills[i].skill;
	out->point = cJSON_IsString(type) && strcmp(type->valuestring, "point") == 0;
	if (cJSON_IsString(team) && (strcmp(team->valuestring, "A") == 0 || strcmp(team->valuestring, "B") == 0))
		out->team = team->valuestring[0];
	if (cJSON_IsString(num) && strlen(num->valuestring) < sizeof(out->number))
		snprintf(out->number, sizeof(out->number), "%s", num->valuestring);
	else if (cJSON_IsNumber(num) && num->valueint >= 0 && num->valueint <= 999)
		snprintf(out->number, sizeof(out->number), "%d", num->valueint);
	if (cJSON_IsString(ev) && ev->valuestring[0] != '\0' && ev->valuestring[1] == '\0')
		out->evaluation = ev->valuestring[0];
}

static int player_cmp(const void *x, const void *y)
{
	const player *a = x, *b = y;
	size_t la = strlen(a->number), lb = strlen(b->number);

	if (a->team != b->team)
		return a->team - b->team;
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a->number, b->number);
}

/*
 * Count n events into team, set (may be NULL), rot; players into *plp
 * (*nplp of them, malloc'd). Returns 0 or -1 on out of memory.
 */
static int tally(const stint_vbs_action *a, const stint_ms_state *st, size_t n, const stint_vbs_filter *f,
		 counts team[2], counts set[STINT_MS_MAX_SETS][2], counts rot[2][6], player **plp, size_t *nplp)
{
	player *pl = NULL, *p;
	size_t npl = 0, cap = 0, i, j;
	int k, s, r, won, si;

	for (i = 0; i < n; i++) {
		si = st[i].set >= 1 && st[i].set <= STINT_MS_MAX_SETS ? st[i].set - 1 : STINT_MS_MAX_SETS - 1;
		if (a[i].point && st[i].outcome != STINT_MS_NO_RALLY && side(st[i].rally_won_by) >= 0 &&
		    side(st[i].serving) >= 0) {
			/* the rally's point: count it once for each team */
			for (k = 0; k < 2; k++) {
				s = (k == 0 ? 'A' : 'B') == st[i].serving;
				won = (k == 0 ? 'A' : 'B') == st[i].rally_won_by;
				r = st[i].rotation[k] >= 1 && st[i].rotation[k] <= 6 ? st[i].rotation[k] - 1 : 0;
				count_rally(&team[k], s, won);
				if (set != NULL)
					count_rally(&set[si][k], s, won);
				count_rally(&rot[k][r], s, won);
			}
		}
		if (!keep(&a[i], &st[i], f))
			continue;
		k = side(a[i].team);
		r = st[i].rotation[k] >= 1 && st[i].rotation[k] <= 6 ? st[i].rotation[k] - 1 : 0;
		count_action(&team[k], &a[i]);
		if (set != NULL)
			count_action(&set[si][k], &a[i]);
		count_action(&rot[k][r], &a[i]);
		if (a[i].number[0] == '\0')
			continue;
		for (j = 0; j < npl && !(pl[j].team == a[i].team && strcmp(pl[j].number, a[i].number) == 0); j++)
			;
		if (j == npl) {
			if (npl == cap) {
				cap = cap ? 2 * cap : 32;
				p = realloc(pl, cap * sizeof(*pl));
				if (p == NULL) {
					free(pl);
					return -1;
				}
				pl = p;
			}
			memset(&pl[npl], 0, sizeof(pl[npl]));
			pl[npl].team = a[i].team;
			snprintf(pl[npl].number, sizeof(pl[npl].number), "%s", a[i].number);
			npl++;
		}
		count_action(&pl[j].c, &a[i]);
	}
	if (npl > 0)
		qsort(pl, npl, sizeof(*pl), player_cmp);
	*plp = pl;
	*nplp = npl;
	return 0;
}

cJSON *stint_vbs_stats(const stint_vbs_action *a, const stint_ms_state *st, size_t n,
		       const stint_ms_summary *sum, const stint_vbs_filter *f)
{
	counts team[2], set[STINT_MS_MAX_SETS][2], rot[2][6];
	player *pl = NULL;
	size_t npl = 0, j;
	cJSON *o, *arr, *x, *teams;
	char t[2] = "";
	int k, r, nsets = sum->nsets;

	memset(team, 0, sizeof(team));
	memset(set, 0, sizeof(set));
	memset(rot, 0, sizeof(rot));
	if (tally(a, st, n, f, team, set, rot, &pl, &npl) != 0)
		return NULL;

	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "sets");
	for (k = 0; k < sum->nsets; k++) {
		x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "set", sum->sets[k].set);
		cJSON_AddNumberToObject(x, "A", sum->sets[k].score[0]);
		cJSON_AddNumberToObject(x, "B", sum->sets[k].score[1]);
		cJSON_AddItemToArray(arr, x);
	}
	x = cJSON_AddObjectToObject(o, "sets_won");
	cJSON_AddNumberToObject(x, "A", sum->sets_won[0]);
	cJSON_AddNumberToObject(x, "B", sum->sets_won[1]);
	x = cJSON_AddObjectToObject(o, "filter");
	cJSON_AddItemToObject(x, "phase", f && f->phase != STINT_MS_PHASE_NONE ?
			      cJSON_CreateString(stint_ms_phase_name(f->phase)) : cJSON_CreateNull());
	t[0] = f && f->number ? f->team : '\0';
	cJSON_AddItemToObject(x, "team", t[0] ? cJSON_CreateString(t) : cJSON_CreateNull());
	cJSON_AddItemToObject(x, "player", f && f->number ? cJSON_CreateString(f->number) : cJSON_CreateNull());
	teams = cJSON_AddObjectToObject(o, "teams");
	cJSON_AddItemToObject(teams, "A", block_json(&team[0], 1));
	cJSON_AddItemToObject(teams, "B", block_json(&team[1], 1));
	arr = cJSON_AddArrayToObject(o, "players");
	for (j = 0; j < npl; j++) {
		x = block_json(&pl[j].c, 0);
		t[0] = pl[j].team;
		cJSON_AddItemToObject(x, "team", cJSON_CreateString(t));
		cJSON_AddItemToObject(x, "number", cJSON_CreateString(pl[j].number));
		cJSON_AddItemToArray(arr, x);
	}
	free(pl);
	arr = cJSON_AddArrayToObject(o, "by_set");
	if (nsets > STINT_MS_MAX_SETS)
		nsets = STINT_MS_MAX_SETS;
	for (k = 0; k < nsets; k++) {
		x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "set", k + 1);
		teams = cJSON_AddObjectToObject(x, "teams");
		cJSON_AddItemToObject(teams, "A", block_json(&set[k][0], 1));
		cJSON_AddItemToObject(teams, "B", block_json(&set[k][1], 1));
		cJSON_AddItemToArray(arr, x);
	}
	arr = cJSON_AddArrayToObject(o, "by_rotation");
	for (k = 0; k < 2; k++)
		for (r = 0; r < 6; r++) {
			x = block_json(&rot[k][r], 1);
			t[0] = k == 0 ? 'A' : 'B';
			cJSON_AddItemToObject(x, "team", cJSON_CreateString(t));
			cJSON_AddNumberToObject(x, "rotation", r + 1);
			cJSON_AddItemToArray(arr, x);
		}
	return o;
}

int stint_vbs_tally_events(const stint_vbs_action *a, const stint_ms_state *st, size_t n,
			   const stint_vbs_filter *f, stint_vbs_tally *out)
{
	memset(out, 0, sizeof(*out));
	if (tally(a, st, n, f, out->team, NULL, out->rotation, &out->players, &out->nplayers) != 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

void stint_vbs_tally_free(stint_vbs_tally *t)
{
	free(t->players);
	memset(t, 0, sizeof(*t));
}

void stint_vbs_counts_add(stint_vbs_counts *to, const stint_vbs_counts *from)
{
	int i;

	to->received += from->received;
	to->so_won += from->so_won;
	to->served += from->served;
	to->bp_won += from->bp_won;
	to->srv += from->srv;
	to->ace += from->ace;
	to->srv_err += from->srv_err;
	to->rec += from->rec;
	for (i = 0; i < 6; i++)
		to->rec_eval[i] += from->rec_eval[i];
	to->rec_other += from->rec_other;
	to->att += from->att;
	to->kill += from->kill;
	to->att_err += from->att_err;
	to->blocked += from->blocked;
	to->blk += from->blk;
	to->blk_pts += from->blk_pts;
	to->digs += from->digs;
}

cJSON *stint_vbs_counts_json(const stint_vbs_counts *c, int rallies)
{
	return block_json(c, rallies);
}

cJSON *stint_vbs_key_json(const stint_vbs_counts *c, int rallies)
{
	cJSON *o = cJSON_CreateObject();

	if (rallies) {
		cJSON_AddItemToObject(o, "sideout_pct", pct(c->so_won, c->received));
		cJSON_AddItemToObject(o, "breakpoint_pct", pct(c->bp_won, c->served));
	}
	cJSON_AddNumberToObject(o, "serve_attempts", c->srv);
	cJSON_AddNumberToObject(o, "aces", c->ace);
	cJSON_AddNumberToObject(o, "serve_errors", c->srv_err);
	cJSON_AddNumberToObject(o, "reception_attempts", c->rec);
	cJSON_AddItemToObject(o, "positive_pct", pct(c->rec_eval[0] + c->rec_eval[1], c->rec));
	cJSON_AddItemToObject(o, "perfect_pct", pct(c->rec_eval[0], c->rec));
	cJSON_AddNumberToObject(o, "attack_attempts", c->att);
	cJSON_AddNumberToObject(o, "kills", c->kill);
	cJSON_AddNumberToObject(o, "attack_errors", c->att_err);
	cJSON_AddNumberToObject(o, "blocked", c->blocked);
	cJSON_AddItemToObject(o, "kill_pct", pct(c->kill, c->att));
	cJSON_AddItemToObject(o, "efficiency", pct(c->kill - c->att_err - c->blocked, c->att));
	cJSON_AddNumberToObject(o, "block_points", c->blk_pts);
	cJSON_AddNumberToObject(o, "digs", c->digs);
	return o;
}

void stint_vbs_pct_cell(cJSON *row, const char *key, const cJSON *v)
{
	char text[16];

	if (cJSON_IsNumber(v))
		snprintf(text, sizeof(text), "%.1f", v->valuedouble);
	else
		snprintf(text, sizeof(text), "–");
	cJSON_AddStringToObject(row, key, text);
}
