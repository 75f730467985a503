/*
 * vbcharts.h: a volleyball match's charts as inline SVG, from counts:
 * attack direction (start zone to end zone arrows), serve and reception
 * zone heatmaps, and points per rotation.
 *
 * Zones are DataVolley's court zones 1..9 of one half, seen from behind its
 * own baseline with the net ahead (openvolley's datavolley::dv_xy zones):
 * front row 4 3 2, middle row 7 8 9, back row 5 6 1. A serve's and a
 * reception's zone is the line's end zone (where the serve went, where it
 * was received); an attack goes from its start zone on the attacking half
 * to its end zone on the other half (files scouted with cones instead of
 * end zones leave attacks out of the arrows). Only zones 1..9 count.
 *
 * Every chart is one <svg> element with role="img", a <title> and a <desc>
 * (aria-labelledby and aria-describedby), width-less with a viewBox so it scales, and
 * data-count attributes on the marks that carry a count (what the tests read).
 * Text is escaped for HTML/XML text and attributes (lib/escape.h).
 *
 * Pure: no I/O, no database.
 */
#ifndef STINT_VBCHARTS_H
#define STINT_VBCHARTS_H

#include <cjson/cJSON.h>

#include "buf.h"
#include "matchstate.h"

/* What the charts count of a match (or of one team's or player's actions). */
typedef struct stint_vbc_tally {
	int attack[10][10];     /* [start zone][end zone], 1..9; row and column 0 unused */
	int serve[10];          /* serves by end zone 1..9 */
	int reception[10];      /* receptions by end zone 1..9 */
	int rot_won[2][6];      /* [team A, B][rotation 1..6 - 1]: rallies won in that rotation */
	int rot_lost[2][6];     /* rallies lost in that rotation */
} stint_vbc_tally;

/*
 * Count one event (the API's event JSON: event_type, actor_team,
 * actor_number, payload with start_zone, end_zone as numbers) with its match
 * state st into t. Actions (serve, reception, attack) count only when team
 * is 0 or their team, and number NULL or their shirt number (compared as
 * text); rallies (point events with an outcome) count for both teams in the
 * rotation each had before the point, whatever the filter.
 */
void stint_vbc_count(stint_vbc_tally *t, const cJSON *event, const stint_ms_state *st, char team,
		     const char *number);

/*
 * Attack direction: a full court (the attacking half below, the other half
 * above), one arrow per start and end zone pair with attacks, its stroke
 * 1.5 to 9 units wide in proportion to its count (the largest count 9), each
 * arrow <line class="arrow" data-from data-to data-count> with a <title>.
 * id makes the element ids unique in a page ([a-z0-9-], at most 40 bytes).
 * Appends to out; returns 0, or -1 on out of memory.
 */
int stint_vbc_attack_svg(stint_buf *out, const stint_vbc_tally *t, const char *id, const char *title);

/*
 * A zone heatmap of one half court from counts zones[1..9] (what: "serves"
 * or "receptions", for the texts): each zone a <rect class="zone" data-zone
 * data-count> whose fill runs from light (0) to dark blue (the largest
 * count), with its count written in it. Returns 0, or -1 on out of memory.
 */
int stint_vbc_zones_svg(stint_buf *out, const int zones[10], const char *what, const char *id, const char *title);

/*
 * Points per rotation: for each team (names[0] A, names[1] B) a panel of six
 * pairs of bars, rallies won and lost in rotations 1..6, each <rect
 * class="won|lost" data-team data-rotation data-count> with a height in
 * proportion to its count (the largest count 100 units high) and the count
 * above it. Returns 0, or -1 on out of memory.
 */
int stint_vbc_rotation_svg(stint_buf *out, const stint_vbc_tally *t, const char *const names[2], const char *id,
			   const char *title);

#endif
