/*
 * vbstats.h: volleyball statistics of a match, computed from the match
 * state (lib/matchstate.h) of each event: per team and per player, again
 * per set and per rotation: serve (attempts, aces, errors), reception
 * (attempts, share per evaluation, positive %, perfect %, errors), attack
 * (attempts, kills, errors, blocked, kill %, efficiency), block points,
 * digs; side-out % and break-point % per team, set and rotation.
 *
 * Evaluation codes follow openvolley's default evaluation decoder for
 * DataVolley (datavolley::dv_decode_evaluation / ovlytics): serve # ace,
 * = error; reception # perfect, # and + positive, = error; attack # kill,
 * = error, / blocked; block # point; dig: every dig is an attempt.
 * Side-out % = rallies won when receiving / rallies received; break-point
 * % = rallies won when serving / rallies served (a rally is a point event,
 * its serving team the match state's "serving"). Every percentage is on
 * 0-100 with one decimal, null when there are no attempts; efficiency =
 * (kills - errors - blocked) / attempts, also as a percentage.
 *
 * Pure: no I/O, no database; linear in the events.
 */
#ifndef STINT_VBSTATS_H
#define STINT_VBSTATS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "matchstate.h"

/* One event as the statistics read it (beside its stint_ms_state). */
typedef struct stint_vbs_action {
	char skill;             /* 'S' serve, 'R' reception, 'A' attack, 'B' block, 'D' dig; 0 not a counted action */
	char team;              /* 'A' home, 'B' visiting, 0 none */
	char number[4];         /* shirt number as text (1-3 digits), "" unknown */
	char evaluation;        /* DataVolley code: '#', '+', '!', '-', '/', '=' or 0 */
	int point;              /* 1 for a "point" event: its state's serving and rally_won_by count the rally */
} stint_vbs_action;

/* Which actions to count. */
typedef struct stint_vbs_filter {
	stint_ms_phase phase;   /* STINT_MS_PHASE_NONE: all; RECEPTION or TRANSITION: only actions in it */
	char team;              /* with number: only this player's actions */
	const char *number;     /* NULL: every player */
} stint_vbs_filter;

/*
 * The API's event JSON (event_type, actor_team, actor_number, payload or
 * top-level "evaluation") as an action; event types other than serve,
 * reception, attack, block and dig (points, green codes, setter calls,
 * set markers, ...) give skill 0.
 */
void stint_vbs_action_from_json(const cJSON *event, stint_vbs_action *out);

/*
 * The statistics of n events: a[i] and st[i] (stint_ms_derive's output for
 * the same event), sum the match summary (set scores, sets won). f may be
 * NULL (everything). Returns a new object the caller deletes:
 * {"sets": [{"set","A","B"}], "sets_won": {"A","B"}, "filter": {...},
 *  "teams": {"A": block, "B": block}, "players": [{"team","number", block}],
 *  "by_set": [{"set", "teams": {"A","B"}}], "by_rotation": [{"team","rotation", block}]}
 * where block = {"rallies_received","sideout_won","sideout_pct","rallies_served","breakpoint_won",
 * "breakpoint_pct","serve","reception","attack","block","dig"} (players have no rally counts).
 * NULL on out of memory.
 */
cJSON *stint_vbs_stats(const stint_vbs_action *a, const stint_ms_state *st, size_t n,
		       const stint_ms_summary *sum, const stint_vbs_filter *f);

/*
 * Exact counts of one team, player, set or rotation: the numbers every
 * percentage of stint_vbs_stats is computed from. Counts add up across
 * matches (stint_vbs_counts_add); percentages are recomputed from the sums
 * (stint_vbs_counts_json), never averaged.
 */
typedef struct stint_vbs_counts {
	int received, so_won, served, bp_won;   /* rallies received / won so; served / won bp */
	int srv, ace, srv_err;
	int rec, rec_eval[6], rec_other;        /* rec_eval in the order # + ! - / = */
	int att, kill, att_err, blocked;
	int blk, blk_pts;
	int digs;
} stint_vbs_counts;

/* One player's counts in one match: team 'A' or 'B', shirt number text. */
typedef struct stint_vbs_player_counts {
	char team;
	char number[4];
	stint_vbs_counts c;
} stint_vbs_player_counts;

/* A match's counts per team, per rotation and per player. */
typedef struct stint_vbs_tally {
	stint_vbs_counts team[2];               /* [0] A, [1] B */
	stint_vbs_counts rotation[2][6];        /* team, rotation 1..6 as 0..5 */
	stint_vbs_player_counts *players;       /* nplayers, sorted by team then number; owned */
	size_t nplayers;
} stint_vbs_tally;

/*
 * The counts of n events (a[i], st[i] as for stint_vbs_stats; f may be
 * NULL) into *out, the same numbers stint_vbs_stats answers with. Returns
 * 0, or -1 on out of memory (*out then holds nothing to free). Free with
 * stint_vbs_tally_free.
 */
int stint_vbs_tally_events(const stint_vbs_action *a, const stint_ms_state *st, size_t n,
			   const stint_vbs_filter *f, stint_vbs_tally *out);

void stint_vbs_tally_free(stint_vbs_tally *t);

/* to += from, field by field. */
void stint_vbs_counts_add(stint_vbs_counts *to, const stint_vbs_counts *from);

/*
 * The block stint_vbs_stats writes for c (with the rally counts and
 * side-out / break-point % when rallies, else without): a new object the
 * caller deletes.
 */
cJSON *stint_vbs_counts_json(const stint_vbs_counts *c, int rallies);

/*
 * c's key figures as one flat object (a new object the caller deletes):
 * {"sideout_pct", "breakpoint_pct" (with rallies), "serve_attempts", "aces",
 * "serve_errors", "reception_attempts", "positive_pct", "perfect_pct",
 * "attack_attempts", "kills", "attack_errors", "blocked", "kill_pct",
 * "efficiency", "block_points", "digs"}; percentages 0-100 with one
 * decimal, null without attempts.
 */
cJSON *stint_vbs_key_json(const stint_vbs_counts *c, int rallies);

/*
 * Adds row[key]: the percentage v (a number of these answers, or null) as
 * the pages and the match report show it, one decimal ("61.5"), or "–"
 * when v is not a number (no attempts). The string is copied into row.
 */
void stint_vbs_pct_cell(cJSON *row, const char *key, const cJSON *v);

#endif
