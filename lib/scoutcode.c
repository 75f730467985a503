/*
 * scoutcode.c: scout codes typed by hand (see scoutcode.h). The grammar is
 * lib/dvw.c's; this file turns the typed forms into DataVolley's, checks
 * the zones, and puts a code into words.
 */
#include "scoutcode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dvw.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char skills[] = "SREABDF";   /* DataVolley's order of play */
static const char eval_codes[] = "#+!-/=";

static const struct { char skill; const char *name, *noun, *event_type; } skill_names[] = {
	{ 'S', "Serve", "serve", "serve" }, { 'R', "Reception", "serve reception", "reception" },
	{ 'E', "Set", "set", "set" }, { 'A', "Attack", "attack", "attack" }, { 'B', "Block", "block", "block" },
	{ 'D', "Dig", "dig", "dig" }, { 'F', "Free ball", "free ball", "freeball" },
};

/* Skill types (openvolley serve_map, indoor, and attack_map). */
static const struct { char type; const char *name; } serve_types[] = {
	{ 'H', "Float" }, { 'M', "Jump-float" }, { 'Q', "Jump" }, { 'T', "Topspin" },
};
static const struct { char type; const char *name; } ball_types[] = {
	{ 'H', "High ball" }, { 'M', "Half ball" }, { 'Q', "Quick ball" }, { 'T', "Head ball" },
	{ 'U', "Super ball" }, { 'F', "Fast ball" }, { 'N', "Slide ball" }, { 'O', "Other" },
};

/* Skill subtypes and numbers of players (openvolley parse_code's tables, indoor). */
static const struct { char skill, code; const char *name; } subtypes[] = {
	{ 'A', 'H', "hard spike" }, { 'A', 'P', "soft spike or topspin" }, { 'A', 'T', "tip" },
	{ 'B', 'A', "block assist" }, { 'B', 'T', "block attempt" }, { 'B', 'P', "block on soft spike" },
	{ 'R', 'L', "on the left" }, { 'R', 'R', "on the right" }, { 'R', 'W', "low" },
	{ 'R', 'O', "overhand" }, { 'R', 'M', "middle line" },
	{ 'E', '1', "one-hand set" }, { 'E', '2', "two-hand set" }, { 'E', '3', "bump set" },
	{ 'E', '4', "other set" }, { 'E', '5', "underhand set" },
	{ 'D', 'S', "on spike" }, { 'D', 'C', "spike cover" }, { 'D', 'B', "after block" },
	{ 'D', 'E', "emergency" }, { 'D', 'T', "on tip" }, { 'D', 'P', "on soft spike" },
};
static const char *const block_players[] = {
	"no block", "1-player block", "2-player block", "3-player block", "hole block"
};

/* ---- typed forms ---- */

static void note_set(stint_scout_note *note, const char *part, const char *message)
{
	note->part = part;
	snprintf(note->message, sizeof note->message, "%s", message);
}

/* Length of the code up to and including the evaluation ("*16AH#"), or 0 if s is not a player's skill code. */
static size_t head_len(const char *s)
{
	size_t i = 1;

	if ((s[0] != '*' && s[0] != 'a') || strchr("pzPcCT*", s[1]) != NULL)
		return 0;
	if (s[1] == '$' && s[2] == '$')
		i = 3;
	else
		i += strspn(s + 1, "0123456789");
	return i == 1 ? 0 : i + 3;
}

/* Drop trailing '~' (left-out parts at the end), as DataVolley writes codes. */
static void trim_tildes(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '~')
		s[--n] = '\0';
}

static int zone_word(const char *w, int with_subzone)
{
	if (strcmp(w, "~") == 0)
		return 1;
	if (w[0] < '1' || w[0] > '9')
		return 0;
	return w[1] == '\0' || (with_subzone && strchr("ABCD~", w[1]) != NULL && w[2] == '\0');
}

/*
 * The spaced form into DataVolley's: the first word up to the set type,
 * then start zone, end zone (+ subzone), the rest. out has room for
 * STINT_SCOUT_MAX_CODE + 16 bytes. Returns 0, or -1 with note set.
 */
static int unspace(char *s, char *out, stint_scout_note *note)
{
	char *w[4], *save = NULL, *t, slots[7] = "~~~~~~";
	size_t nw = 0, head = head_len(s), n;

	for (t = strtok_r(s, " ", &save); t != NULL; t = strtok_r(NULL, " ", &save)) {
		if (nw == COUNT(w)) {
			note_set(note, "code", "has too many words: after the code come start zone, end zone and the rest");
			return -1;
		}
		w[nw++] = t;
	}
	if (head == 0 || strlen(w[0]) < head) {
		note_set(note, "code", "has spaces before the evaluation: spaces only go after it (e.g. *16AH#V6 4 2)");
		return -1;
	}
	n = strlen(w[0] + head);
	if (n > 3) {
		note_set(note, "start zone", "must be its own word when spaces are used (e.g. *16AH#V6 4 2)");
		return -1;
	}
	memcpy(slots, w[0] + head, n);
	if (nw > 1 && !zone_word(w[1], 0)) {
		note_set(note, "start zone", "must be one digit 1 to 9 (or ~ for none)");
		return -1;
	}
	if (nw > 1)
		slots[3] = w[1][0];
	if (nw > 2 && !zone_word(w[2], 1)) {
		note_set(note, "end zone", "must be one digit 1 to 9, then the subzone A to D if any (or ~ for none)");
		return -1;
	}
	if (nw > 2) {
		slots[4] = w[2][0];
		slots[5] = w[2][1] ? w[2][1] : '~';
	}
	snprintf(out, STINT_SCOUT_MAX_CODE + 16, "%.*s%s%s", (int)head, w[0], slots, nw > 3 ? w[3] : "");
	trim_tildes(out);
	return 0;
}

/* typed as DataVolley writes it into out (STINT_SCOUT_MAX_CODE + 16 bytes). Returns 0, or -1 with note set. */
static int canonical(const char *typed, char *out, stint_scout_note *note)
{
	char s[STINT_SCOUT_MAX_CODE + 2];
	size_t n, i;

	while (*typed == ' ' || *typed == '\t')
		typed++;
	n = strlen(typed);
	while (n > 0 && (typed[n - 1] == ' ' || typed[n - 1] == '\t'))
		n--;
	if (n > STINT_SCOUT_MAX_CODE) {
		note_set(note, "code", "is too long: at most 64 characters");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (typed[i] < 0x20 || typed[i] > 0x7e) {
			note_set(note, "code", "must be printable ASCII characters");
			return -1;
		}
	}
	/* a code that starts with the shirt number is the home team's */
	snprintf(s, sizeof s, "%s%.*s", n > 0 && typed[0] >= '0' && typed[0] <= '9' ? "*" : "", (int)n, typed);
	if (strchr(s, ' ') != NULL && s[0] != '>')
		return unspace(s, out, note);
	snprintf(out, STINT_SCOUT_MAX_CODE + 16, "%s", s);
	return 0;
}

/* The part a parser message is about, for the 422's field. */
static const char *part_of(const char *message)
{
	static const char *const parts[] = {
		"skill type", "evaluation", "combination", "set type", "start zone", "end subzone", "end zone",
		"skill subtype", "number of players", "special code", "shirt number", "point code",
		"substitution", "setter position", "setter code", "skill",
	};
	size_t i;

	for (i = 0; i < COUNT(parts); i++)
		if (strstr(message, parts[i]) != NULL)
			return parts[i];
	return "code";
}

static int zone_ok(const cJSON *payload, const char *key, stint_scout_note *note)
{
	const cJSON *z = cJSON_GetObjectItemCaseSensitive(payload, key);

	if (!cJSON_IsNumber(z) || (z->valueint >= 1 && z->valueint <= 9))
		return 1;
	if (strcmp(key, "end_cone") == 0)
		note_set(note, "end cone", "must be 1 to 9 (DataVolley's cones)");
	else
		note_set(note, key[0] == 's' ? "start zone" : "end zone", "must be 1 to 9 (DataVolley's zones)");
	return 0;
}

stint_scout_rc stint_scout_read(const char *typed, const cJSON *players, int cones, cJSON **event_out,
				stint_scout_note *note)
{
	char code[STINT_SCOUT_MAX_CODE + 16], why[200];
	const char *need = NULL;
	const cJSON *payload;
	int rc;

	*event_out = NULL;
	note->part = NULL;
	note->message[0] = '\0';
	if (canonical(typed, code, note) != 0)
		return STINT_SCOUT_BAD;
	rc = stint_dvw_code(code, players, cones, event_out, &need, why, sizeof why);
	if (rc == STINT_DVW_NOMEM || rc == STINT_DVW_EINVAL)
		return STINT_SCOUT_NOMEM;
	if (rc == STINT_DVW_PARTIAL) {
		note->part = need;
		return STINT_SCOUT_PARTIAL;
	}
	if (rc == STINT_DVW_BAD_CODE) {
		note_set(note, part_of(why), why);
		return STINT_SCOUT_BAD;
	}
	payload = cJSON_GetObjectItemCaseSensitive(*event_out, "payload");
	if (!zone_ok(payload, "start_zone", note) || !zone_ok(payload, "end_zone", note) ||
	    !zone_ok(payload, "end_cone", note))
		return STINT_SCOUT_BAD;
	return STINT_SCOUT_OK;
}

/* ---- words ---- */

static const char *skill_noun(char skill, int capital)
{
	size_t i;

	for (i = 0; i < COUNT(skill_names); i++)
		if (skill_names[i].skill == skill)
			return capital ? skill_names[i].name : skill_names[i].noun;
	return NULL;
}

const char *stint_scout_type_base(char skill, char type)
{
	size_t i;

	if (skill_noun(skill, 0) == NULL || skill == 'F')
		return NULL;
	if (skill == 'S' || skill == 'R') {
		for (i = 0; i < COUNT(serve_types); i++)
			if (serve_types[i].type == type)
				return serve_types[i].name;
		return NULL;
	}
	for (i = 0; i < COUNT(ball_types); i++)
		if (ball_types[i].type == type)
			return ball_types[i].name;
	return NULL;
}

const char *stint_scout_type_name(char skill, char type, char *buf, size_t n)
{
	const char *base = stint_scout_type_base(skill, type);

	if (base == NULL || n == 0)
		return NULL;
	snprintf(buf, n, "%s %s", base, skill_noun(skill, 0));
	return buf;
}

static const char *str_of(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void word(cJSON *words, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void word(cJSON *words, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(words, cJSON_CreateString(buf));
}

static int num_of(const cJSON *o, const char *key, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		return 0;
	*out = v->valueint;
	return 1;
}

/* Combination, zones, subtype, players, special and custom code of a skill. */
static void extra_words(cJSON *words, const cJSON *pl, char skill)
{
	const char *s;
	int v;
	size_t i;

	if ((s = str_of(pl, "attack_code")) != NULL)
		word(words, "combination %s", s);
	if ((s = str_of(pl, "set_code")) != NULL)
		word(words, "setter call %s", s);
	if ((s = str_of(pl, "set_type")) != NULL)
		word(words, "set type %s", s);
	if (num_of(pl, "start_zone", &v))
		word(words, "from zone %d", v);
	if (num_of(pl, "end_zone", &v))
		word(words, "to zone %d%s", v, str_of(pl, "end_subzone") ? str_of(pl, "end_subzone") : "");
	if (num_of(pl, "end_cone", &v))
		word(words, "to cone %d", v);
	if ((s = str_of(pl, "skill_subtype")) != NULL) {
		for (i = 0; i < COUNT(subtypes) && !(subtypes[i].skill == skill && subtypes[i].code == s[0]); i++)
			;
		if (i < COUNT(subtypes))
			word(words, "%s", subtypes[i].name);
		else
			word(words, "subtype %s", s);
	}
	if (num_of(pl, "num_players", &v)) {
		if ((skill == 'A' || skill == 'B') && v >= 0 && v <= 4)
			word(words, "%s", block_players[v]);
		else
			word(words, "players %d", v);
	}
	if ((s = str_of(pl, "special")) != NULL)
		word(words, "special code %s", s);
	if ((s = str_of(pl, "custom")) != NULL)
		word(words, "custom code %s", s);
}

/* The words of a code that is not a player's skill: point, substitution, ... */
static void other_words(cJSON *words, const cJSON *ev, const cJSON *pl, const char *type)
{
	int a, b;

	if (strcmp(type, "point") == 0)
		word(words, "Point");
	else if (strcmp(type, "substitution") == 0 && num_of(pl, "player_out", &a) && num_of(pl, "player_in", &b))
		word(words, "Substitution: #%d off, #%d on", a, b);
	else if (strcmp(type, "setter_position") == 0 && num_of(pl, "setter_position", &a))
		word(words, "Setter in zone %d", a);
	else if (strcmp(type, "setter_assignment") == 0)
		word(words, "Setter #%s", str_of(ev, "actor_number") ? str_of(ev, "actor_number") : "?");
	else if (strcmp(type, "green_code") == 0)
		word(words, "Green code");
	else if (strcmp(type, "timeout") == 0)
		word(words, "Time-out");
	else if (strcmp(type, "end_of_set") == 0)
		word(words, "End of set");
	else
		word(words, "%c%s", type[0] - 'a' + 'A', type + 1);
}

cJSON *stint_scout_words(const cJSON *event)
{
	cJSON *words = cJSON_CreateArray();
	const cJSON *pl = cJSON_GetObjectItemCaseSensitive(event, "payload");
	const char *team = str_of(event, "actor_team"), *type = str_of(event, "event_type");
	const char *skill = str_of(pl, "skill"), *s, *num = str_of(event, "actor_number");
	char buf[80];

	if (words == NULL)
		return NULL;
	if (team != NULL)
		word(words, "%s", strcmp(team, "A") == 0 ? "Home" : "Visiting");
	if (skill == NULL) {
		if (type != NULL)
			other_words(words, event, pl, type);
		return words;
	}
	if (num != NULL)
		word(words, "#%s", num);
	else
		word(words, "unknown player");
	word(words, "%s", skill_noun(skill[0], 1));
	if ((s = str_of(pl, "skill_type")) != NULL)
		word(words, "%s", stint_scout_type_name(skill[0], s[0], buf, sizeof buf) ? buf : "type not DataVolley's");
	if ((s = str_of(pl, "evaluation_name")) != NULL)
		word(words, "%s", s);
	extra_words(words, pl, skill[0]);
	return words;
}

/* ---- choices ---- */

static void append(char *buf, size_t n, size_t *len, const char *s)
{
	int k = snprintf(buf + *len, n - *len, "%s%s", *len ? ", " : "", s);

	if (k > 0)
		*len = *len + (size_t)k < n ? *len + (size_t)k : n - 1;
}

const char *stint_scout_choices(const cJSON *event, const char *part, char *buf, size_t n)
{
	const char *skill = str_of(cJSON_GetObjectItemCaseSensitive(event, "payload"), "skill");
	char item[96], name[64];
	size_t len = 0, i;
	const char *e;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (part == NULL)
		return buf;
	if (strcmp(part, "team") == 0)
		snprintf(buf, n, "* home, a visiting (or the shirt number: home)");
	else if (strcmp(part, "player") == 0)
		snprintf(buf, n, "shirt number, $$ unknown player, p point, c substitution, T time-out, z setter zone, P setter");
	else if (strcmp(part, "skill") == 0)
		snprintf(buf, n, "S serve, R reception, E set, A attack, B block, D dig, F free ball");
	else if (strcmp(part, "skill type") == 0 && skill != NULL) {
		for (i = 0; i < (skill[0] == 'S' || skill[0] == 'R' ? COUNT(serve_types) : COUNT(ball_types)); i++) {
			char t = skill[0] == 'S' || skill[0] == 'R' ? serve_types[i].type : ball_types[i].type;

			snprintf(item, sizeof item, "%c %s", t, stint_scout_type_name(skill[0], t, name, sizeof name) ? name : "");
			append(buf, n, &len, item);
		}
	} else if (strcmp(part, "evaluation") == 0 && skill != NULL) {
		for (i = 0; eval_codes[i] != '\0'; i++) {
			if ((e = stint_dvw_evaluation_name(skill[0], eval_codes[i])) == NULL)
				continue;
			snprintf(item, sizeof item, "%c %s", eval_codes[i], e);
			append(buf, n, &len, item);
		}
	} else if (strcmp(part, "combination") == 0)
		snprintf(buf, n, "two characters, e.g. V5, X6 (attack) or K1 (setter call)");
	else if (strcmp(part, "score") == 0)
		snprintf(buf, n, "home:visiting, e.g. 12:10");
	else if (strcmp(part, "players") == 0)
		snprintf(buf, n, "out:in shirt numbers, e.g. 5:12");
	else if (strcmp(part, "setter position") == 0)
		snprintf(buf, n, "zone 1 to 6");
	else if (strcmp(part, "$") == 0)
		snprintf(buf, n, "$$ then the skill (unknown player), or $$& (green code)");
	return buf;
}

cJSON *stint_scout_legend(void)
{
	cJSON *list = cJSON_CreateArray(), *s, *codes, *c;
	const char *label;
	char code[2] = "", sk[2] = "";
	size_t i, j;

	for (i = 0; list != NULL && skills[i] != '\0'; i++) {
		s = cJSON_CreateObject();
		sk[0] = skills[i];
		cJSON_AddStringToObject(s, "skill", sk);
		cJSON_AddStringToObject(s, "name", skill_noun(skills[i], 1));
		codes = cJSON_AddArrayToObject(s, "codes");
		for (j = 0; eval_codes[j] != '\0'; j++) {
			if ((label = stint_dvw_evaluation_name(skills[i], eval_codes[j])) == NULL)
				continue;
			code[0] = eval_codes[j];
			c = cJSON_CreateObject();
			cJSON_AddStringToObject(c, "code", code);
			cJSON_AddStringToObject(c, "label", label);
			cJSON_AddItemToArray(codes, c);
		}
		cJSON_AddItemToArray(list, s);
	}
	return list;
}

char stint_scout_skill_of(const char *event_type)
{
	size_t i;

	for (i = 0; event_type != NULL && i < COUNT(skill_names); i++)
		if (strcmp(skill_names[i].event_type, event_type) == 0)
			return skill_names[i].skill;
	return 0;
}

cJSON *stint_scout_types(void)
{
	cJSON *list = cJSON_CreateArray(), *t;
	char code[2] = "";
	size_t i, j;

	for (i = 0; list != NULL && i < COUNT(ball_types); i++) {
		t = cJSON_CreateObject();
		code[0] = ball_types[i].type;
		cJSON_AddStringToObject(t, "code", code);
		for (j = 0; j < COUNT(serve_types) && serve_types[j].type != code[0]; j++)
			;
		cJSON_AddStringToObject(t, "serve", j < COUNT(serve_types) ? serve_types[j].name : "");
		cJSON_AddStringToObject(t, "ball", ball_types[i].name);
		cJSON_AddItemToArray(list, t);
	}
	return list;
}

/* ---- sessions and batches ---- */

cJSON *stint_scout_players(const cJSON *session)
{
	cJSON *out = cJSON_CreateArray(), *o;
	const cJSON *team, *p;
	const char *side, *num, *name;

	cJSON_ArrayForEach(team, cJSON_GetObjectItemCaseSensitive(session, "teams")) {
		side = str_of(team, "side");
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(team, "roster")) {
			num = str_of(p, "number");
			name = str_of(p, "player_name");
			if (side == NULL || num == NULL || (o = cJSON_CreateObject()) == NULL)
				continue;
			cJSON_AddStringToObject(o, "side", side);
			cJSON_AddStringToObject(o, "number", num);
			cJSON_AddStringToObject(o, "name", name ? name : "");
			cJSON_AddItemToArray(out, o);
		}
	}
	return out;
}

int stint_scout_cones(const cJSON *session)
{
	const cJSON *match = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(session, "meta"), "match");
	const char *zc = str_of(match, "zones_or_cones");

	return zc != NULL && (zc[0] == 'C' || zc[0] == 'c');
}

/* The 422 problem of a code that is not a whole good one. */
static void code_problem(cJSON **errors, int i, const cJSON *ev, stint_scout_rc rc, const stint_scout_note *note)
{
	char key[40], msg[480], choices[400];

	if (*errors == NULL && (*errors = cJSON_CreateObject()) == NULL)
		return;
	snprintf(key, sizeof key, "events[%d].code", i);
	if (rc == STINT_SCOUT_PARTIAL) {
		stint_scout_choices(ev, note->part, choices, sizeof choices);
		snprintf(msg, sizeof msg, "is incomplete: the %s is missing%s%s%s", note->part ? note->part : "code",
			 choices[0] ? " (" : "", choices, choices[0] ? ")" : "");
	} else if (note->part != NULL && strstr(note->message, note->part) == NULL) {
		snprintf(msg, sizeof msg, "%s %s", note->part, note->message);
	} else {
		snprintf(msg, sizeof msg, "%s", note->message);
	}
	cJSON_AddStringToObject(*errors, key, msg);
}

/* Event e takes what code event ev says. */
static void take_code(cJSON *e, cJSON *ev)
{
	static const char *const keys[] = { "event_type", "actor_team", "actor_number" };
	cJSON *pl = cJSON_DetachItemFromObjectCaseSensitive(ev, "payload"), *sent, *m;
	size_t i;

	for (i = 0; i < COUNT(keys); i++) {
		cJSON_DeleteItemFromObjectCaseSensitive(e, keys[i]);
		cJSON_AddItemToObject(e, keys[i], cJSON_DetachItemFromObjectCaseSensitive(ev, keys[i]));
	}
	sent = cJSON_GetObjectItemCaseSensitive(e, "payload");
	if (cJSON_IsObject(sent)) {
		while (pl != NULL && (m = pl->child) != NULL) {
			cJSON_DetachItemViaPointer(pl, m);
			cJSON_DeleteItemFromObjectCaseSensitive(sent, m->string);
			cJSON_AddItemToObject(sent, m->string, m);
		}
		cJSON_Delete(pl);
	} else {
		cJSON_DeleteItemFromObjectCaseSensitive(e, "payload");
		cJSON_AddItemToObject(e, "payload", pl);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(e, "code");
}

int stint_scout_expand(cJSON *events, const cJSON *players, int cones, cJSON **errors, int *changed)
{
	stint_scout_note note;
	stint_scout_rc rc;
	cJSON *e, *ev;
	const char *code;
	int i = -1, bad = 0;

	cJSON_ArrayForEach(e, events) {
		i++;
		if (!cJSON_IsObject(e) || !cJSON_HasObjectItem(e, "code"))
			continue;
		*changed = 1;
		code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
		if (code == NULL) {
			note.part = "code";
			snprintf(note.message, sizeof note.message, "must be a string: a DataVolley scout code");
			code_problem(errors, i, NULL, STINT_SCOUT_BAD, &note);
			bad++;
			continue;
		}
		rc = stint_scout_read(code, players, cones, &ev, &note);
		if (rc == STINT_SCOUT_NOMEM)
			return -1;
		if (rc == STINT_SCOUT_OK) {
			take_code(e, ev);
		} else {
			code_problem(errors, i, ev, rc, &note);
			bad++;
		}
		cJSON_Delete(ev);
	}
	return bad;
}
