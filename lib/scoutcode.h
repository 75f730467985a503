/*
 * scoutcode.h: one DataVolley scout code typed by hand (the editor's scout
 * line, POST .../events with "code"), read by the project's scout-line
 * parser (lib/dvw.c, stint_dvw_code) so a typed code is stored with the
 * same payload an imported .dvw line gets, and described in words while it
 * is typed.
 *
 * Typed forms: the code as DataVolley writes it ("*16AH#V6~42", "~" for a
 * part left out), or the same with spaces between the parts after the
 * evaluation: "*16AH#V6 4 2" is combination V6, start zone 4, end zone 2.
 * With spaces, the first word is the code up to the combination and set
 * type; then come the start zone (one digit), the end zone (a digit, and
 * the end subzone letter A-D if any), then the rest as DataVolley writes it
 * (skill subtype, number of players, special code, custom code); "~"
 * leaves a part out. A code that starts with the shirt number is the home
 * team's ("16AH#" is "*16AH#").
 *
 * Words follow openvolley datavolley's decoders (R/plays.R: skill_decode,
 * serve_map and attack_map for skill types, skill_evaluation_decoder for
 * evaluations, the subtype and number-of-players tables), indoor, default
 * style; read, not copied.
 */
#ifndef STINT_SCOUTCODE_H
#define STINT_SCOUTCODE_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Longest code taken, in bytes. */
#define STINT_SCOUT_MAX_CODE 64

typedef enum stint_scout_rc {
	STINT_SCOUT_OK = 0,     /* a whole code: an event can be stored */
	STINT_SCOUT_PARTIAL,    /* good so far; note.part is what comes next */
	STINT_SCOUT_BAD,        /* wrong; note.part and note.message say where and why */
	STINT_SCOUT_NOMEM
} stint_scout_rc;

typedef struct stint_scout_note {
	const char *part;       /* static: "team", "player", "skill", "skill type", "evaluation",
				   "combination", "start zone", "end zone", ... or NULL */
	char message[200];      /* why it is wrong (BAD), else "" */
} stint_scout_note;

/*
 * Read typed (NUL-terminated; forms above): *event_out gets a new object
 * (caller deletes) {event_type, actor_team, actor_number, payload} as
 * stint_dvw_code makes it, payload.code the code as DataVolley writes it;
 * on PARTIAL and BAD what was read so far (NULL when nothing could be).
 * players and cones as for stint_dvw_code. Zones and cones must be 1 to 9.
 */
stint_scout_rc stint_scout_read(const char *typed, const cJSON *players, int cones, cJSON **event_out,
				stint_scout_note *note);

/*
 * What event (from stint_scout_read) says, as a new array of short English
 * phrases in code order (caller deletes): "Home", "#16", "Attack", "High
 * ball attack", "Winning attack", "combination V6", "from zone 4", "to
 * zone 2", ...
 */
cJSON *stint_scout_words(const cJSON *event);

/*
 * The choices for part after what event holds so far, as one English line
 * into buf (n bytes, always terminated): e.g. for "skill type" of an
 * attack "H high ball, M half ball, Q quick ball, ...", for "evaluation"
 * the skill's own meanings. Returns buf ("" when there is nothing to list).
 */
const char *stint_scout_choices(const cJSON *event, const char *part, char *buf, size_t n);

/*
 * The name of skill type type of skill ('S', 'A', ...) into buf (n bytes),
 * e.g. "Jump-float serve", "Quick ball attack"; NULL when DataVolley has
 * no such type for the skill.
 */
const char *stint_scout_type_name(char skill, char type, char *buf, size_t n);

/* The same without the skill: "Jump-float", "Quick ball"; NULL as above. Static. */
const char *stint_scout_type_base(char skill, char type);

/*
 * The evaluation legend per skill, a new array (caller deletes):
 * [{skill "A", name "Attack", codes: [{code "#", label "Winning attack"}, ...]}]
 * in DataVolley's skill order (S R E A B D F) and code order # + ! - / =.
 */
cJSON *stint_scout_legend(void);

/* DataVolley's skill letter of an event type ("attack" -> 'A', "freeball" -> 'F'), or 0. */
char stint_scout_skill_of(const char *event_type);

/*
 * The skill types as a new array (caller deletes) [{code "H", serve "Float",
 * ball "High ball"}, ...]: serve and reception types, and those of the other
 * skills (free balls have none); "" where a skill group has no such type.
 */
cJSON *stint_scout_types(void);

/*
 * The players of a session object (as the API gives it: teams[].side,
 * teams[].roster[].number and player_name) as stint_dvw_code takes them, a
 * new array [{side, number, name}] (caller deletes); empty without teams.
 */
cJSON *stint_scout_players(const cJSON *session);

/*
 * 1 when the session (an imported match) scouts attacks' ends as cones
 * (meta.match.zones_or_cones "C"), else 0.
 */
int stint_scout_cones(const cJSON *session);

/*
 * Events of a batch (a JSON array) that carry "code" (a scout code as
 * stint_scout_read takes it) become the event the code says: event_type,
 * actor_team and actor_number are the code's, the payload is the one sent
 * with the code's members set over it, and "code" goes. players and cones
 * as for stint_scout_read. A code that is not a whole good one is a problem under
 * "events[i].code" in *errors, naming the part wrong or missing (with the
 * choices for a missing one). Returns the number of such codes, -1 out of
 * memory; *changed is set to 1 when an event changed.
 */
int stint_scout_expand(cJSON *events, const cJSON *players, int cones, cJSON **errors, int *changed);

#endif
