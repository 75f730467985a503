/*
 * dvw.h: DataVolley (.dvw) scouting-file parser.
 *
 * The format is Data Project's DataVolley text file: "[3NAME]" section
 * headers, ";"-separated rows, and in [3SCOUT] one scouted action per line.
 * Layouts follow openvolley's R package datavolley (read_dv.R, meta.R,
 * plays.R: section fields, the scout code grammar and the 26 scout fields)
 * and Data Project's code reference as datavolley cites it. See dvw.c for
 * the field tables.
 *
 * The parser is pure: no global or static mutable state, no I/O, every
 * length checked, bounded loops; it is safe to call from many threads and
 * to fuzz (tests/fuzz/fuzz_dvw.c).
 */
#ifndef STINT_DVW_H
#define STINT_DVW_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"

/* Largest input accepted, in bytes (callers cap uploads too). */
#define STINT_DVW_MAX_BYTES (50u * 1024u * 1024u)

/* Longest line read, in bytes without the line end; longer lines are skipped. */
#define STINT_DVW_MAX_LINE 4096u

/* Warnings written to the warnings buffer; later ones are only counted. */
#define STINT_DVW_MAX_WARNINGS 1000u

typedef enum stint_dvw_result {
	STINT_DVW_OK = 0,
	STINT_DVW_EINVAL,     /* match_out NULL, or data NULL with len > 0 */
	STINT_DVW_EMPTY,      /* no bytes */
	STINT_DVW_TOO_LARGE,  /* over STINT_DVW_MAX_BYTES */
	STINT_DVW_NOT_DVW,    /* no [3SCOUT] section line */
	STINT_DVW_ENCODING,   /* the C library cannot convert the file's charset */
	STINT_DVW_NOMEM,      /* out of memory */
	STINT_DVW_PARTIAL,    /* stint_dvw_code: a code that ends before a part it needs */
	STINT_DVW_BAD_CODE    /* stint_dvw_code: a code that breaks the grammar */
} stint_dvw_result;

/*
 * Parse the DataVolley file in data[0..len) (not NUL-terminated; any bytes).
 *
 * Fields are counted from 1 here. Text comes out as UTF-8. The file is read
 * as UTF-8 when it is valid UTF-8, or when more lines hold valid multi-byte
 * UTF-8 than hold invalid bytes (a UTF-8 file with a few damaged lines);
 * otherwise in the code page the 9th field of the [3MATCH] row declares
 * (874, 1250-1258, 28591-28599, 28603, 28605, 65001); otherwise as
 * ISO-8859-2 when bytes that are letters only there (0xA9 Š, 0xAE Ž, 0xB1 ą,
 * ...) appear inside words and no byte 0x80-0x9F appears; otherwise as
 * Windows-1250. Line ends may be CRLF or LF; a leading UTF-8 BOM is skipped.
 *
 * On STINT_DVW_OK *match_out is a new cJSON object the caller frees with
 * cJSON_Delete():
 *   "match":   {date "YYYY-MM-DD", time "HH:MM:SS", season, league, phase,
 *               day_number, match_number, regulation ("indoor sideout",
 *               "indoor rally point", "beach rally point"), zones_or_cones
 *               ("Z"|"C"), text_encoding (the charset used), referees,
 *               spectators (int), city, arena, scout}
 *   "teams":   two objects, A = home ("*"), B = visiting ("a"):
 *              {side, name, code, coach, assistant, sets_won (int)}
 *   "players": {side, number (text, 1 to 3 digits as the file writes
 *               it: "00" is not "0"), first_name, last_name, name ("First Last"),
 *               nickname, role (libero|outside|opposite|middle|setter|
 *               unknown), captain (bool), player_id, starting_positions
 *               (5 strings: zone "1".."6", "*" = came on, null = no)}
 *   "sets":    played sets only: {set_number, home, visiting (points),
 *               duration_min, partial_scores ["8-7","16-10","21-13"]}
 *   "video":   the first file in [3VIDEO], or null
 *   "events":  one per [3SCOUT] line read: {line (1-based line number in
 *               the file), t_sec (video time in seconds, field 13, or null),
 *               event_type, actor_team ("A"|"B"|null), actor_number
 *               (text: the player; the setter for "P" codes, the player
 *               coming on for substitutions; the players list's number of
 *               that team with the code's value, since codes pad to two
 *               digits ("*06" is "6"), else the value's decimal text; null
 *               if none), payload}
 *   "warnings": the number of warnings
 * event_type is serve, reception, attack, block, dig, set, freeball (the
 * skills), point, substitution, timeout, setter_position ("z" codes),
 * setter_assignment ("P" codes), green_code ("$$&"), end_of_set,
 * rotation_error or note (">" lines). Every key listed above is always
 * present, null when the file lacks it; payload holds only what the line
 * has: code, skill, skill_name, skill_type, evaluation, evaluation_name,
 * attack_code, set_code, set_type, start_zone, end_zone (end_cone for
 * attacks in files using cones), end_subzone, skill_subtype, num_players,
 * special, custom, start/mid/end_coordinate {index, x, y} (x, y in
 * datavolley court units: court 0.5..3.5 wide, 0.5..6.5 long, net at 3.5),
 * time "HH:MM:SS", set_number, home_score, visiting_score (score when the
 * line was scouted, after it for point lines), home/visiting_setter_position,
 * home/visiting_rotation (player numbers in zones 1..6), point_phase,
 * attack_phase, video_file, point_won_by, player_in, player_out,
 * setter_position, lineup (true on ">LUp" lines).
 *
 * Damage never aborts: a line whose code breaks the grammar, holds control
 * bytes or bytes invalid in the charset, or is longer than
 * STINT_DVW_MAX_LINE is skipped; a line with a readable code but missing or
 * bad fields is kept with those fields null. Either way one warning
 * "line N: <why>\n" (several problems joined by "; ") is appended to
 * warnings, which may be NULL; past STINT_DVW_MAX_WARNINGS they are only
 * counted and a last line "(K further warnings not shown)" is appended.
 *
 * On any other result *match_out is NULL and, when warnings is not NULL, one
 * line saying why is appended to it (e.g. "not a DataVolley file: no
 * [3SCOUT] section"). The caller owns data and warnings throughout.
 */
int stint_dvw_parse(const char *data, size_t len, cJSON **match_out,
		    stint_buf *warnings);

/*
 * One scout code (a [3SCOUT] line's first field, e.g. "*16AH#V6~42"), read
 * as stint_dvw_parse reads it: *event_out gets a new object (caller
 * deletes) {event_type, actor_team, actor_number, payload} with the same
 * members an imported line has for its code (payload: code, skill,
 * skill_name, skill_type, evaluation, evaluation_name, attack_code or
 * set_code, set_type, start_zone, end_zone, end_subzone, skill_subtype,
 * num_players, special, custom, point_won_by, player_out, player_in,
 * setter_position; an attack's end is end_cone when cones is not 0, as in a
 * file whose [3MATCH] says C). players: [{side, number}] (the
 * players list's shape; NULL for none) names a shirt number as the team
 * writes it ("*00" is "00" when the roster has "00"), as for imports.
 * Returns STINT_DVW_OK; STINT_DVW_PARTIAL when the code is good so far but
 * ends before a part it needs (*need names it: "team", "player", "skill",
 * "skill type", "evaluation", "combination", "score", "players", "setter
 * position", "$"), *event_out then holds what was read; STINT_DVW_BAD_CODE
 * with why (wn bytes) saying what is wrong and *event_out as far as read;
 * STINT_DVW_EINVAL, STINT_DVW_NOMEM (*event_out NULL).
 */
int stint_dvw_code(const char *code, const cJSON *players, int cones, cJSON **event_out,
		   const char **need, char *why, size_t wn);

/* DataVolley's standard meaning of evaluation code of skill ('S', 'R', ...), or NULL. Static. */
const char *stint_dvw_evaluation_name(char skill, char code);

/* A static English description of a stint_dvw_result value. */
const char *stint_dvw_strerror(int result);

#endif
