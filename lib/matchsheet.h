/*
 * matchsheet.h: a volleyball match as spreadsheet-ready CSV files: one row
 * per event with the team and player names in columns (never A/B alone)
 * and the payload's fields in columns of their own (skill, type,
 * evaluation, attack combination, zones, set, score, rotation, phase ...),
 * and one row per player with the box score of lib/vbstats.h; file names
 * made from the match's date and teams.
 *
 * CSV is RFC 4180: fields separated by commas, records ended by CRLF, a
 * field quoted (with its quotes doubled) when it holds a comma, a quote, CR
 * or LF, and also ';' or TAB (a spreadsheet's other list separators, as
 * the events export does); the first record is the header. Text fields starting with = + - @
 * (or TAB or CR) are prefixed with ' so a spreadsheet does not run them as
 * formulas (OWASP "CSV Injection"); numbers Stint writes itself are not text
 * and are written as they are (an efficiency of -12.5 stays a number).
 *
 * Pure: no I/O, no database. Inputs are the JSON MATCH_REPORT_INPUT reads
 * (lib/sql.h) and lib/matchstate.h's states.
 */
#ifndef STINT_MATCHSHEET_H
#define STINT_MATCHSHEET_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "matchstate.h"

/* Append s as one CSV text field (RFC 4180 quoting, formula guard). Returns 0, or -1 on out of memory. */
int stint_csv_text(stint_buf *out, const char *s);

/*
 * The team name of side ('A', 'B') in teams (an array of {side, name}),
 * else "Home" for A and "Visitors" for B; never NULL (points into teams or
 * a static string).
 */
const char *stint_sheet_team(const cJSON *teams, char side);

/* The roster name of side's shirt number in teams ({side, roster: [{number, player_name}]}), "" when none. */
const char *stint_sheet_player(const cJSON *teams, char side, const char *number);

/*
 * The match's date as YYYY-MM-DD in out (11 bytes): session.starts_at's
 * date, else session.match.date (the .dvw file's), else "undated".
 */
void stint_sheet_date(const cJSON *session, char out[11]);

/*
 * A download name "<date>_<home>-vs-<visitors>_<what>.csv" in out (size
 * bytes, cut to fit before the suffix), from the date and team names of
 * input (MATCH_REPORT_INPUT's answer). With ascii, only [A-Za-z0-9._-]
 * (for the plain filename= parameter); else UTF-8 letters are kept too (for
 * filename*=UTF-8''). Runs of other characters become one '-'. what is an
 * identifier ("events", "players").
 */
void stint_sheet_filename(const cJSON *input, const char *what, const char *ext, int ascii, char *out, size_t size);

/*
 * The events CSV of input's events (n of them) with st[i] the match state
 * at event i: header then one record per event, columns
 * event_id, t_sec, set, home_score, visiting_score, serving_team, team, home_or_visiting,
 * number, player, event_type, skill, skill_type, evaluation, evaluation_name, attack_code,
 * set_code, set_type, start_zone, end_zone, end_cone, end_subzone, skill_subtype,
 * num_players, special, phase, attack_phase, point_phase, home_rotation, visiting_rotation,
 * rally, rally_won_by, code, video_time, source.
 * Returns 0, or -1 on out of memory.
 */
int stint_sheet_events_csv(stint_buf *out, const cJSON *input, const stint_ms_state *st, size_t n);

/*
 * The players CSV from stats (lib/vbstats.h's answer for the match): one
 * record per player, columns team, home_or_visiting, number, player,
 * serve_attempts, serve_aces, serve_errors, reception_attempts, reception_perfect,
 * reception_positive, reception_errors, reception_positive_pct, reception_perfect_pct,
 * attack_attempts, attack_kills, attack_errors, attack_blocked, attack_kill_pct,
 * attack_efficiency, block_points, digs, points (kills + aces + block points);
 * percentages on 0-100 with one decimal, empty when there were no attempts.
 * Returns 0, or -1 on out of memory.
 */
int stint_sheet_players_csv(stint_buf *out, const cJSON *input, const cJSON *stats);

#endif
