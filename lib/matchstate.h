/*
 * matchstate.h: a volleyball match's state at every event, derived from the
 * session's events in order: set, score before the event, sets won, the
 * serving team, both teams' rotation and players on court, and for each
 * rally who won it (side-out or break-point) and in which phase each
 * action was played.
 *
 * Pure: no I/O, no database, no global state; the derivation is one pass
 * forward and one backward over the events (linear time; 1,000 events take
 * microseconds), so callers derive on every read and edits or deletes
 * re-derive everything after them by construction.
 *
 * Rules (FIVB Official Volleyball Rules 2021-2024, 6.1.3, 6.2, 7.6, 7.7;
 * FIVB Beach Volleyball rules 6.1.3, 6.2): a rally won by the serving team
 * scores a point and that team serves again; a rally won by the receiving
 * team scores a point, gives it the serve, and it rotates one position
 * clockwise (the player in zone 2 moves to zone 1, zone 1 to zone 6, ...).
 * A set is won by the first team to reach the set's target with a lead of
 * win_by points; the deciding set (the last one best_of allows) has its own
 * target; the match ends when a team has won best_of / 2 + 1 sets.
 *
 * Rotation numbers follow DataVolley: rotation N means the setter stands in
 * zone N, so a team rotates 1, 6, 5, 4, 3, 2, 1. Without a known setter the
 * player who started in zone 1 takes the setter's place (the starting
 * line-up is rotation 1).
 */
#ifndef STINT_MATCHSTATE_H
#define STINT_MATCHSTATE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define STINT_MS_MAX_SETS 7     /* best_of at most 7 */

/*
 * A shirt number as Stint keeps it: text of 1 to 3 ASCII digits with leading
 * zeros kept ("0" and "00" are two players; see stint_is_shirt), NUL
 * terminated; "" (all zero bytes) when not known.
 */
typedef char stint_ms_shirt[4];

/* 1 when a and b are the same known shirt number (compared as text), else 0. */
int stint_ms_shirt_eq(const char *a, const char *b);

/* What an event means to the match state; everything else is OTHER. */
typedef enum stint_ms_kind {
	STINT_MS_OTHER = 0,
	STINT_MS_SERVE,         /* "serve" */
	STINT_MS_RECEPTION,     /* "reception" */
	STINT_MS_ATTACK,        /* "attack" */
	STINT_MS_SKILL,         /* another action in a rally: "set", "block", "dig", "freeball" */
	STINT_MS_POINT,         /* "point": team = the team that won the rally */
	STINT_MS_SUBSTITUTION,  /* "substitution": player_out leaves, player_in takes the zone */
	STINT_MS_LINEUP,        /* "lineup" (or an imported >LUp line): a team's starting six */
	STINT_MS_TIMEOUT,       /* "timeout" */
	STINT_MS_SET_END,       /* "end_of_set" or "set_end" */
	STINT_MS_SETTER         /* "setter_assignment" (DataVolley P line): number is the setter now */
} stint_ms_kind;

/* One event, as the derivation reads it. */
typedef struct stint_ms_event {
	stint_ms_kind kind;
	char team;              /* 'A' home, 'B' visiting, 0 none */
	stint_ms_shirt number;  /* SETTER: the setter's shirt number, else "" */
	stint_ms_shirt player_out, player_in;   /* SUBSTITUTION, else "" */
	stint_ms_shirt lineup[6];       /* LINEUP: shirt numbers in zones 1..6, "" if not given */
	int setter_zone;        /* LINEUP: zone 1..6 of the setter, 0 if not given */
	int set;                /* LINEUP: the set it is for (1..), 0 = the current or next set */
} stint_ms_event;

/* A session's rules. */
typedef struct stint_ms_rules {
	int set_points;         /* target of a set, 25 indoor, 21 beach */
	int deciding_set_points;        /* target of the deciding set, 15 */
	int win_by;             /* lead needed, 2 */
	int best_of;            /* sets, odd, 1..STINT_MS_MAX_SETS: 5 indoor, 3 beach */
	char first_serve;       /* who serves first in set 1: 'A' (default) or 'B'; later sets alternate */
} stint_ms_rules;

/* A starting line-up from the session's settings (meta.lineups). */
typedef struct stint_ms_lineup {
	int set;                /* 1.. */
	char team;              /* 'A' or 'B' */
	stint_ms_shirt players[6];      /* zones 1..6 */
	int setter_zone;        /* 0 = the zone-1 player stands for the setter */
} stint_ms_lineup;

/* Who won a rally: the serving team (break-point) or the receiving team (side-out). */
typedef enum stint_ms_outcome {
	STINT_MS_NO_RALLY = 0,  /* not part of a finished rally */
	STINT_MS_SIDEOUT,
	STINT_MS_BREAKPOINT
} stint_ms_outcome;

/* The phase an action was played in, for the acting team. */
typedef enum stint_ms_phase {
	STINT_MS_PHASE_NONE = 0,        /* not an action in a rally (point, timeout, lineup, ...) */
	STINT_MS_PHASE_SERVE,           /* the serve */
	STINT_MS_PHASE_RECEPTION,       /* the receiving team up to and including its first attack, unless */
					/* the serving team played the ball first (DataVolley's "reception" phase) */
	STINT_MS_PHASE_TRANSITION       /* everything later in the rally, and the serving team's play */
} stint_ms_phase;

/* The state at one event (score and court before it). */
typedef struct stint_ms_state {
	int set;                /* 1.. */
	int score[2];           /* [0] A, [1] B: points in this set before the event */
	int sets_won[2];        /* sets won before the event */
	char serving;           /* 'A' or 'B' */
	int rotation[2];        /* 1..6 */
	stint_ms_shirt court[2][6];     /* shirt numbers in zones 1..6, "" when no line-up says */
	int rally;              /* 1.. the rally of the match this event is in (the next one between rallies) */
	char rally_won_by;      /* 'A', 'B', or 0 when the rally has no point (yet) */
	stint_ms_outcome outcome;
	stint_ms_phase phase;
	int ends_set;           /* 1 when this event finishes its set (the point reaching it, or a set end) */
} stint_ms_state;

/* One set's result. */
typedef struct stint_ms_set {
	int set;
	int score[2];
	char won_by;            /* 'A', 'B', or 0 while it is being played */
} stint_ms_set;

/* The match after the last event. */
typedef struct stint_ms_summary {
	stint_ms_set sets[STINT_MS_MAX_SETS];
	int nsets;              /* sets begun */
	int sets_won[2];
	char match_won_by;      /* 'A', 'B' or 0 */
	stint_ms_state now;     /* the state after the last event (rally_won_by etc. 0) */
} stint_ms_summary;

/* Indoor rules: 25, deciding set 15, win by 2, best of 5, A serves first. */
void stint_ms_rules_indoor(stint_ms_rules *r);

/*
 * Rules from a session's meta.match_rules object (NULL: indoor):
 * {"preset": "indoor" | "beach" (21/15, best of 3) | "youth" (25/15, best of 3),
 *  "set_points", "deciding_set_points", "win_by", "best_of", "first_serve": "A"|"B"};
 * a field overrides its preset. Returns 0, or -1 with *field set to the
 * first bad key (static string) and r left at the preset's values. Limits:
 * points 1..99, win_by 1..10, best_of odd 1..STINT_MS_MAX_SETS.
 */
int stint_ms_rules_from_json(const cJSON *rules, stint_ms_rules *r, const char **field);

/*
 * Line-ups from meta.lineups, an array of {"set": n, "team": "A"|"B",
 * "players": [six shirt numbers, zones 1..6], "setter": shirt number
 * (optional)}; a shirt number is a text of 1 to 3 digits or a JSON
 * integer 0..999 (its decimal text: 7 is "7", never "07"); entries that
 * do not fit are skipped. Writes at most max,
 * returns how many.
 */
size_t stint_ms_lineups_from_json(const cJSON *lineups, stint_ms_lineup *out, size_t max);

/*
 * One stored event (the API's event JSON: event_type, actor_team,
 * actor_number, payload) as the derivation reads it. Shirt numbers may be
 * texts of 1 to 3 digits or JSON integers 0..999 (read as their decimal
 * text); they are compared as text ("07" is not "7", "00" is not "0").
 * DataVolley imports
 * count alike: a point line's prefix (actor_team, or payload.point_won_by)
 * names the winner; >LUp lines (payload.lineup true) are line-ups with the
 * team's players from payload.home_rotation / visiting_rotation and the
 * setter from payload.setter_position or the P line's player; "c" lines
 * are substitutions (payload.player_out, player_in); other P lines name a
 * new setter (the rotation number follows the setter's zone). A manual "lineup"
 * event has payload {"players": [six shirt numbers], "setter": shirt number, "set": n}.
 */
void stint_ms_event_from_json(const cJSON *event, stint_ms_event *out);

/*
 * Derive the state at each of the n events ev (in timeline order) into
 * out[0..n) (caller's array of n), and the match after them into *sum
 * (may be NULL). lineups (nlineups of them, may be NULL) are the session's
 * starting line-ups; a LINEUP event overrides one for its set. Points after
 * the match is won still count, in the last set. Never fails.
 */
void stint_ms_derive(const stint_ms_rules *rules, const stint_ms_lineup *lineups, size_t nlineups,
		     const stint_ms_event *ev, size_t n, stint_ms_state *out, stint_ms_summary *sum);

/* "sideout", "breakpoint" or NULL; "serve", "reception", "transition" or NULL. */
const char *stint_ms_outcome_name(stint_ms_outcome o);
const char *stint_ms_phase_name(stint_ms_phase p);

/*
 * The state as the API answers it (a new object the caller deletes):
 * {"set", "score": {"A","B"}, "sets_won": {"A","B"}, "serving", "rotation": {"A","B"},
 *  "court": {"A": [6 shirt-number strings or null], "B": [...]}, "rally", "rally_won_by",
 *  "outcome", "phase", "ends_set"}.
 */
cJSON *stint_ms_state_json(const stint_ms_state *s);

/* {"sets": [{"set","A","B","won_by"}], "sets_won": {"A","B"}, "match_won_by", "now": state}. */
cJSON *stint_ms_summary_json(const stint_ms_summary *sum);

#endif
