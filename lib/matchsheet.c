/* matchsheet.c: a match as spreadsheet-ready CSV (see matchsheet.h). */
#include "matchsheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_PART 60            /* bytes of a team name in a file name */

int stint_csv_text(stint_buf *out, const char *s)
{
	int rc = 0;

	if (s == NULL || *s == '\0')
		return 0;
	if (strchr("=+-@\t\r", *s) != NULL) {
		/* a formula guard: the cell reads as text with its first character shown */
		rc |= stint_buf_puts(out, "\"'");
	} else if (strpbrk(s, ",\"\r\n;\t") != NULL) {
		rc |= stint_buf_putc(out, '"');
	} else {
		return stint_buf_puts(out, s);
	}
	for (; *s != '\0'; s++)
		rc |= *s == '"' ? stint_buf_puts(out, "\"\"") : stint_buf_putc(out, *s);
	rc |= stint_buf_putc(out, '"');
	return rc ? -1 : 0;
}

static const cJSON *team_of(const cJSON *teams, char side)
{
	const cJSON *t;
	const char *s;

	cJSON_ArrayForEach(t, teams) {
		s = cJSON_GetStringValue(cJSON_GetObjectItem(t, "side"));
		if (s != NULL && s[0] == side && s[1] == '\0')
			return t;
	}
	return NULL;
}

const char *stint_sheet_team(const cJSON *teams, char side)
{
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(team_of(teams, side), "name"));

	if (name != NULL && *name != '\0')
		return name;
	return side == 'A' ? "Home" : "Visitors";
}

const char *stint_sheet_player(const cJSON *teams, char side, const char *number)
{
	const cJSON *p, *n;
	const char *name;

	if (number == NULL || *number == '\0')
		return "";
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(team_of(teams, side), "roster")) {
		n = cJSON_GetObjectItem(p, "number");
		name = cJSON_GetStringValue(cJSON_GetObjectItem(p, "player_name"));
		if (name != NULL && ((cJSON_IsString(n) && strcmp(n->valuestring, number) == 0) ||
				     (cJSON_IsNumber(n) && n->valueint >= 0 && n->valueint <= 999 &&
				      strspn(number, "0123456789") == strlen(number) &&
				      (number[0] != '0' || number[1] == '\0') && n->valueint == atoi(number))))
			return name;
	}
	return "";
}

/* Whether s starts with YYYY-MM-DD. */
static int is_date(const char *s)
{
	int i;

	if (s == NULL || strlen(s) < 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

void stint_sheet_date(const cJSON *session, char out[11])
{
	const char *d = cJSON_GetStringValue(cJSON_GetObjectItem(session, "starts_at"));

	if (!is_date(d))
		d = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(session, "match"), "date"));
	snprintf(out, 11, "%.10s", is_date(d) ? d : "undated");
}

/* Append name to out (room: bytes left) as a safe file-name part; returns the bytes written. */
static size_t name_part(char *out, size_t room, const char *name, int ascii)
{
	size_t n = 0, limit = room < NAME_PART ? room : NAME_PART;
	const unsigned char *p = (const unsigned char *)name;
	int dash = 0;
	size_t seq;

	for (; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		    *p == '_') {
			if (dash && n > 0 && n + 1 < limit)
				out[n++] = '-';
			dash = 0;
			if (n + 1 >= limit)
				break;
			out[n++] = (char)*p;
		} else if (*p >= 0xc0 && !ascii) {
			for (seq = 1; (p[seq] & 0xc0) == 0x80; seq++)
				;
			if (dash && n > 0 && n + 1 < limit)
				out[n++] = '-';
			dash = 0;
			if (n + seq >= limit)
				break;
			memcpy(out + n, p, seq);
			n += seq;
			p += seq - 1;
		} else if ((*p & 0xc0) != 0x80 || ascii) {
			dash = 1;
		}
	}
	out[n] = '\0';
	return n;
}

void stint_sheet_filename(const cJSON *input, const char *what, const char *ext, int ascii, char *out, size_t size)
{
	const cJSON *teams = cJSON_GetObjectItem(input, "teams");
	char date[11], home[NAME_PART + 1], away[NAME_PART + 1];

	stint_sheet_date(cJSON_GetObjectItem(input, "session"), date);
	if (name_part(home, sizeof(home), stint_sheet_team(teams, 'A'), ascii) == 0)
		snprintf(home, sizeof(home), "Home");
	if (name_part(away, sizeof(away), stint_sheet_team(teams, 'B'), ascii) == 0)
		snprintf(away, sizeof(away), "Visitors");
	snprintf(out, size, "%s_%s-vs-%s_%s.%s", date, home, away, what, ext);
}

/* A payload field as a CSV field: text (guarded), a number, a boolean, or empty. */
static int field(stint_buf *out, const cJSON *payload, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(payload, key);

	if (cJSON_IsString(v))
		return stint_csv_text(out, v->valuestring);
	if (cJSON_IsNumber(v))
		return stint_buf_printf(out, "%.15g", v->valuedouble);
	if (cJSON_IsBool(v))
		return stint_buf_puts(out, cJSON_IsTrue(v) ? "true" : "false");
	return 0;
}

static int sep(stint_buf *out)
{
	return stint_buf_putc(out, ',');
}

static const char *const event_columns =
	"event_id,t_sec,set,home_score,visiting_score,serving_team,team,home_or_visiting,number,player,event_type,"
	"skill,skill_type,evaluation,evaluation_name,attack_code,set_code,set_type,start_zone,end_zone,end_cone,"
	"end_subzone,skill_subtype,num_players,special,phase,attack_phase,point_phase,home_rotation,"
	"visiting_rotation,rally,rally_won_by,code,video_time,source\r\n";

/* The payload keys written as they are, in column order from skill_type to special. */
static const char *const payload_columns[] = {
	"skill_type", "evaluation", "evaluation_name", "attack_code", "set_code", "set_type", "start_zone",
	"end_zone", "end_cone", "end_subzone", "skill_subtype", "num_players", "special",
};

static int event_row(stint_buf *out, const cJSON *teams, const cJSON *e, const stint_ms_state *s)
{
	const cJSON *payload = cJSON_GetObjectItem(e, "payload"), *num = cJSON_GetObjectItem(e, "actor_number");
	const char *side = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
	const char *skill = cJSON_GetStringValue(cJSON_GetObjectItem(payload, "skill_name"));
	char number[8] = "", team = side != NULL && (side[0] == 'A' || side[0] == 'B') && side[1] == '\0' ? side[0] : 0;
	int rc = 0;
	size_t i;

	if (cJSON_IsString(num) && strlen(num->valuestring) < sizeof(number))
		snprintf(number, sizeof(number), "%s", num->valuestring);
	else if (cJSON_IsNumber(num) && num->valueint >= 0 && num->valueint <= 999)
		snprintf(number, sizeof(number), "%d", num->valueint);
	rc |= stint_buf_printf(out, "%.0f,%.3f,%d,%d,%d,", cJSON_GetNumberValue(cJSON_GetObjectItem(e, "id")),
			       cJSON_GetNumberValue(cJSON_GetObjectItem(e, "t_sec")), s->set, s->score[0], s->score[1]);
	rc |= stint_csv_text(out, stint_sheet_team(teams, s->serving)) | sep(out);
	if (team) {
		rc |= stint_csv_text(out, stint_sheet_team(teams, team)) | sep(out);
		rc |= stint_buf_puts(out, team == 'A' ? "home," : "visiting,");
	} else {
		rc |= stint_buf_puts(out, ",,");
	}
	rc |= stint_csv_text(out, number) | sep(out);
	rc |= stint_csv_text(out, team ? stint_sheet_player(teams, team, number) : "") | sep(out);
	rc |= field(out, e, "event_type") | sep(out);
	rc |= stint_csv_text(out, skill != NULL ? skill : cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type")));
	for (i = 0; i < sizeof(payload_columns) / sizeof(payload_columns[0]); i++)
		rc |= sep(out) | field(out, payload, payload_columns[i]);
	rc |= sep(out) | stint_csv_text(out, stint_ms_phase_name(s->phase));
	rc |= sep(out) | field(out, payload, "attack_phase") | sep(out) | field(out, payload, "point_phase");
	rc |= stint_buf_printf(out, ",%d,%d,%d,", s->rotation[0], s->rotation[1], s->rally);
	rc |= stint_csv_text(out, s->rally_won_by ? stint_sheet_team(teams, s->rally_won_by) : "");
	rc |= sep(out) | field(out, payload, "code") | sep(out) | field(out, payload, "time");
	rc |= sep(out) | field(out, e, "source") | stint_buf_puts(out, "\r\n");
	return rc;
}

int stint_sheet_events_csv(stint_buf *out, const cJSON *input, const stint_ms_state *st, size_t n)
{
	const cJSON *teams = cJSON_GetObjectItem(input, "teams"), *e;
	size_t i = 0;
	int rc = stint_buf_puts(out, event_columns);

	cJSON_ArrayForEach(e, cJSON_GetObjectItem(input, "events")) {
		if (i == n)
			break;
		rc |= event_row(out, teams, e, &st[i++]);
	}
	return rc ? -1 : 0;
}

/* The integer at o.a.b (0 when absent). */
static int num2(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(o, a), b);

	return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* ",<percentage with one decimal>" or "," when it is null. */
static int pct_field(stint_buf *out, const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(o, a), b);

	return cJSON_IsNumber(v) ? stint_buf_printf(out, ",%.1f", v->valuedouble) : sep(out);
}

int stint_sheet_players_csv(stint_buf *out, const cJSON *input, const cJSON *stats)
{
	const cJSON *teams = cJSON_GetObjectItem(input, "teams"), *p, *ev;
	const char *side, *number;
	int perfect, good;
	int rc = stint_buf_puts(out, "team,home_or_visiting,number,player,serve_attempts,serve_aces,serve_errors,"
				"reception_attempts,reception_perfect,reception_positive,reception_errors,"
				"reception_positive_pct,reception_perfect_pct,attack_attempts,attack_kills,"
				"attack_errors,attack_blocked,attack_kill_pct,attack_efficiency,block_points,digs,"
				"points\r\n");

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(stats, "players")) {
		side = cJSON_GetStringValue(cJSON_GetObjectItem(p, "team"));
		number = cJSON_GetStringValue(cJSON_GetObjectItem(p, "number"));
		if (side == NULL || number == NULL)
			continue;
		ev = cJSON_GetObjectItem(cJSON_GetObjectItem(p, "reception"), "evaluations");
		rc |= stint_csv_text(out, stint_sheet_team(teams, side[0])) | sep(out);
		rc |= stint_buf_puts(out, side[0] == 'A' ? "home," : "visiting,");
		rc |= stint_csv_text(out, number) | sep(out);
		rc |= stint_csv_text(out, stint_sheet_player(teams, side[0], number));
		perfect = cJSON_IsNumber(cJSON_GetObjectItem(ev, "#")) ? cJSON_GetObjectItem(ev, "#")->valueint : 0;
		good = cJSON_IsNumber(cJSON_GetObjectItem(ev, "+")) ? cJSON_GetObjectItem(ev, "+")->valueint : 0;
		rc |= stint_buf_printf(out, ",%d,%d,%d,%d,%d,%d,%d", num2(p, "serve", "attempts"), num2(p, "serve", "aces"),
				       num2(p, "serve", "errors"), num2(p, "reception", "attempts"), perfect,
				       perfect + good, num2(p, "reception", "errors"));
		rc |= pct_field(out, p, "reception", "positive_pct") | pct_field(out, p, "reception", "perfect_pct");
		rc |= stint_buf_printf(out, ",%d,%d,%d,%d", num2(p, "attack", "attempts"), num2(p, "attack", "kills"),
				       num2(p, "attack", "errors"), num2(p, "attack", "blocked"));
		rc |= pct_field(out, p, "attack", "kill_pct") | pct_field(out, p, "attack", "efficiency");
		rc |= stint_buf_printf(out, ",%d,%d,%d\r\n", num2(p, "block", "points"), num2(p, "dig", "attempts"),
				       num2(p, "attack", "kills") + num2(p, "serve", "aces") + num2(p, "block", "points"));
	}
	return rc ? -1 : 0;
}
