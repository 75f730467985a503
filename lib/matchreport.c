/* matchreport.c: a match's report, charts and exports (see matchreport.h). */
#include "matchreport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "log.h"
#include "matchsheet.h"
#include "media.h"
#include "store.h"
#include "tx.h"
#include "vbcharts.h"
#include "vbstats.h"

stint_db_rc stint_mr_load(stint_db *db, const char *sid, stint_mr *mr, int *found)
{
	stint_ms_match *m = &mr->m;
	stint_vbs_action *a;
	const cJSON *it;
	stint_db_rc rc;
	size_t i = 0;

	memset(mr, 0, sizeof(*mr));
	rc = stint_ms_load_from(db, STINT_SQL_MATCH_REPORT_INPUT, sid, m, found);
	if (rc != STINT_DB_OK || !*found)
		return rc;
	if ((a = calloc(m->n ? m->n : 1, sizeof(*a))) == NULL)
		return STINT_DB_ERROR;
	cJSON_ArrayForEach(it, m->events)
		stint_vbs_action_from_json(it, &a[i++]);
	mr->stats = stint_vbs_stats(a, m->states, m->n, &m->summary, NULL);
	free(a);
	return mr->stats != NULL ? STINT_DB_OK : STINT_DB_ERROR;
}

void stint_mr_free(stint_mr *mr)
{
	stint_ms_match_free(&mr->m);
	cJSON_Delete(mr->stats);
	mr->stats = NULL;
}

static const cJSON *teams_of(const stint_mr *mr)
{
	return cJSON_GetObjectItem(mr->m.input, "teams");
}

/* Add {"name", "file", "title", "svg"} to arr from the chart in b (reset after). */
static int add_chart(cJSON *arr, const char *name, const char *title, stint_buf *b, int rc)
{
	cJSON *c;
	char file[64];

	if (rc != 0 || b->data == NULL || (c = cJSON_CreateObject()) == NULL)
		return -1;
	snprintf(file, sizeof(file), "%s.svg", name);
	cJSON_AddStringToObject(c, "name", name);
	cJSON_AddStringToObject(c, "file", file);
	cJSON_AddStringToObject(c, "title", title);
	cJSON_AddStringToObject(c, "svg", b->data);
	cJSON_AddItemToArray(arr, c);
	stint_buf_reset(b);
	return 0;
}

/* One team's or player's attack, serve and reception charts; who names them in titles, key in ids. */
static int three_charts(cJSON *arr, const stint_vbc_tally *t, const char *who, const char *key)
{
	stint_buf b = STINT_BUF_INIT;
	char id[48], title[300];
	int rc = 0;

	snprintf(id, sizeof(id), "attack-%s", key);
	snprintf(title, sizeof(title), "Attack direction: %s", who);
	rc |= add_chart(arr, id, title, &b, stint_vbc_attack_svg(&b, t, id, title));
	snprintf(id, sizeof(id), "serve-%s", key);
	snprintf(title, sizeof(title), "Serve zones: %s", who);
	rc |= add_chart(arr, id, title, &b, stint_vbc_zones_svg(&b, t->serve, "serves", id, title));
	snprintf(id, sizeof(id), "reception-%s", key);
	snprintf(title, sizeof(title), "Reception zones: %s", who);
	rc |= add_chart(arr, id, title, &b, stint_vbc_zones_svg(&b, t->reception, "receptions", id, title));
	stint_buf_free(&b);
	return rc;
}

cJSON *stint_mr_charts(const stint_mr *mr, char team, const char *number)
{
	const cJSON *teams = teams_of(mr), *e;
	const char *names[2] = { stint_sheet_team(teams, 'A'), stint_sheet_team(teams, 'B') };
	stint_vbc_tally *t = calloc(3, sizeof(*t));
	cJSON *arr = cJSON_CreateArray();
	stint_buf b = STINT_BUF_INIT;
	char who[300], key[24];
	size_t i = 0;
	int rc = t == NULL || arr == NULL;

	if (rc == 0) {
		cJSON_ArrayForEach(e, mr->m.events) {
			if (number != NULL) {
				stint_vbc_count(&t[0], e, &mr->m.states[i], team, number);
			} else {
				stint_vbc_count(&t[0], e, &mr->m.states[i], 'A', NULL);
				stint_vbc_count(&t[1], e, &mr->m.states[i], 'B', NULL);
			}
			i++;
		}
		if (number != NULL) {
			const char *pname = stint_sheet_player(teams, team, number);

			snprintf(who, sizeof(who), "%s #%s%s%s", names[team == 'B'], number, *pname ? " " : "", pname);
			snprintf(key, sizeof(key), "%c%s", team == 'B' ? 'b' : 'a', number);
			rc |= three_charts(arr, &t[0], who, key);
		} else {
			rc |= three_charts(arr, &t[0], names[0], "a");
			rc |= three_charts(arr, &t[1], names[1], "b");
			rc |= add_chart(arr, "rotation", "Points per rotation", &b,
					stint_vbc_rotation_svg(&b, &t[0], names, "rotation", "Points per rotation"));
		}
	}
	free(t);
	stint_buf_free(&b);
	if (rc != 0) {
		cJSON_Delete(arr);
		return NULL;
	}
	return arr;
}

/* The integer at o.a.b (0 when absent). */
static int num2(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(o, a), b);

	return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* A percentage of o.a.b (o.a when b is NULL) as text ("61.5", "–" when null) into row[key]. */
static void pct_text(cJSON *row, const char *key, const cJSON *o, const char *a, const char *b)
{
	stint_vbs_pct_cell(row, key, cJSON_GetObjectItem(b ? cJSON_GetObjectItem(o, a) : o, b ? b : a));
}

/* A box-score row from a vbstats block (a player's or a team's). */
static cJSON *box_row(const cJSON *blk, const char *number, const char *name)
{
	cJSON *row = cJSON_CreateObject();

	cJSON_AddStringToObject(row, "number", number);
	cJSON_AddStringToObject(row, "name", name);
	cJSON_AddNumberToObject(row, "srv", num2(blk, "serve", "attempts"));
	cJSON_AddNumberToObject(row, "ace", num2(blk, "serve", "aces"));
	cJSON_AddNumberToObject(row, "srv_err", num2(blk, "serve", "errors"));
	cJSON_AddNumberToObject(row, "rec", num2(blk, "reception", "attempts"));
	pct_text(row, "rec_pos", blk, "reception", "positive_pct");
	pct_text(row, "rec_perf", blk, "reception", "perfect_pct");
	cJSON_AddNumberToObject(row, "rec_err", num2(blk, "reception", "errors"));
	cJSON_AddNumberToObject(row, "att", num2(blk, "attack", "attempts"));
	cJSON_AddNumberToObject(row, "kill", num2(blk, "attack", "kills"));
	cJSON_AddNumberToObject(row, "att_err", num2(blk, "attack", "errors"));
	cJSON_AddNumberToObject(row, "blocked", num2(blk, "attack", "blocked"));
	pct_text(row, "kill_pct", blk, "attack", "kill_pct");
	pct_text(row, "eff", blk, "attack", "efficiency");
	cJSON_AddNumberToObject(row, "blk", num2(blk, "block", "points"));
	cJSON_AddNumberToObject(row, "dig", num2(blk, "dig", "attempts"));
	cJSON_AddNumberToObject(row, "pts", num2(blk, "attack", "kills") + num2(blk, "serve", "aces") +
				num2(blk, "block", "points"));
	return row;
}

static cJSON *team_box(const stint_mr *mr, char side)
{
	const cJSON *teams = teams_of(mr), *p;
	const char *t, *n;
	cJSON *o = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(o, "players");
	char s[2] = { side, '\0' };

	cJSON_AddStringToObject(o, "name", stint_sheet_team(teams, side));
	cJSON_AddStringToObject(o, "side", s);
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(mr->stats, "players")) {
		t = cJSON_GetStringValue(cJSON_GetObjectItem(p, "team"));
		n = cJSON_GetStringValue(cJSON_GetObjectItem(p, "number"));
		if (t != NULL && n != NULL && t[0] == side)
			cJSON_AddItemToArray(rows, box_row(p, n, stint_sheet_player(teams, side, n)));
	}
	cJSON_AddItemToObject(o, "total", box_row(cJSON_GetObjectItem(cJSON_GetObjectItem(mr->stats, "teams"), s),
						  "", "Team total"));
	return o;
}

/* The set's duration from session.sets (the .dvw file's [3SET] minutes), "" when not known. */
static void set_duration(const stint_mr *mr, int set, char *out, size_t size)
{
	const cJSON *s, *d, *n;

	out[0] = '\0';
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(cJSON_GetObjectItem(mr->m.input, "session"), "sets")) {
		n = cJSON_GetObjectItem(s, "set_number");
		d = cJSON_GetObjectItem(s, "duration_min");
		if (cJSON_IsNumber(n) && n->valueint == set && cJSON_IsNumber(d) && d->valuedouble > 0)
			snprintf(out, size, "%.0f min", d->valuedouble);
	}
}

/* "61.5 (8/13)" for won of all, "–" when none. */
static void ratio(cJSON *row, const char *key, const cJSON *blk, const char *won, const char *all,
		  const char *pct)
{
	const cJSON *v = cJSON_GetObjectItem(blk, pct);
	char text[48];

	if (cJSON_IsNumber(v))
		snprintf(text, sizeof(text), "%.1f (%d/%d)", v->valuedouble,
			 cJSON_GetObjectItem(blk, won)->valueint, cJSON_GetObjectItem(blk, all)->valueint);
	else
		snprintf(text, sizeof(text), "–");
	cJSON_AddStringToObject(row, key, text);
}

static cJSON *rotation_rows(const stint_mr *mr)
{
	const cJSON *x, *blk[2][6] = { { NULL } };
	const char *t;
	cJSON *rows = cJSON_CreateArray(), *row;
	int r, k;

	cJSON_ArrayForEach(x, cJSON_GetObjectItem(mr->stats, "by_rotation")) {
		t = cJSON_GetStringValue(cJSON_GetObjectItem(x, "team"));
		r = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(x, "rotation"));
		if (t != NULL && (t[0] == 'A' || t[0] == 'B') && r >= 1 && r <= 6)
			blk[t[0] == 'B'][r - 1] = x;
	}
	for (r = 0; r < 6; r++) {
		row = cJSON_CreateObject();
		cJSON_AddNumberToObject(row, "rotation", r + 1);
		for (k = 0; k < 2; k++) {
			if (blk[k][r] == NULL)
				continue;
			ratio(row, k ? "b_so" : "a_so", blk[k][r], "sideout_won", "rallies_received", "sideout_pct");
			ratio(row, k ? "b_bp" : "a_bp", blk[k][r], "breakpoint_won", "rallies_served", "breakpoint_pct");
		}
		cJSON_AddItemToArray(rows, row);
	}
	row = cJSON_CreateObject();
	cJSON_AddStringToObject(row, "rotation", "All");
	for (k = 0; k < 2; k++) {
		x = cJSON_GetObjectItem(cJSON_GetObjectItem(mr->stats, "teams"), k ? "B" : "A");
		ratio(row, k ? "b_so" : "a_so", x, "sideout_won", "rallies_received", "sideout_pct");
		ratio(row, k ? "b_bp" : "a_bp", x, "breakpoint_won", "rallies_served", "breakpoint_pct");
	}
	cJSON_AddItemToArray(rows, row);
	return rows;
}

cJSON *stint_mr_view(const stint_mr *mr)
{
	const cJSON *session = cJSON_GetObjectItem(mr->m.input, "session"), *teams = teams_of(mr);
	const stint_ms_summary *sum = &mr->m.summary;
	cJSON *v = cJSON_CreateObject(), *sets, *s, *box;
	char date[11], dur[24];
	const char *venue = cJSON_GetStringValue(cJSON_GetObjectItem(session, "venue"));
	int k;

	if (v == NULL)
		return NULL;
	stint_sheet_date(session, date);
	cJSON_AddStringToObject(v, "title", cJSON_GetStringValue(cJSON_GetObjectItem(session, "title")));
	cJSON_AddStringToObject(v, "id", cJSON_GetStringValue(cJSON_GetObjectItem(session, "id")));
	cJSON_AddStringToObject(v, "date", date);
	cJSON_AddStringToObject(v, "venue", venue != NULL ? venue : "");
	cJSON_AddStringToObject(v, "home", stint_sheet_team(teams, 'A'));
	cJSON_AddStringToObject(v, "visiting", stint_sheet_team(teams, 'B'));
	cJSON_AddNumberToObject(v, "sets_a", sum->sets_won[0]);
	cJSON_AddNumberToObject(v, "sets_b", sum->sets_won[1]);
	sets = cJSON_AddArrayToObject(v, "sets");
	for (k = 0; k < sum->nsets && k < STINT_MS_MAX_SETS; k++) {
		s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "set", sum->sets[k].set);
		cJSON_AddNumberToObject(s, "a", sum->sets[k].score[0]);
		cJSON_AddNumberToObject(s, "b", sum->sets[k].score[1]);
		set_duration(mr, sum->sets[k].set, dur, sizeof(dur));
		cJSON_AddStringToObject(s, "duration", *dur ? dur : "–");
		cJSON_AddItemToArray(sets, s);
	}
	box = cJSON_AddArrayToObject(v, "teams");
	cJSON_AddItemToArray(box, team_box(mr, 'A'));
	cJSON_AddItemToArray(box, team_box(mr, 'B'));
	cJSON_AddItemToObject(v, "rotations", rotation_rows(mr));
	return v;
}

int stint_mr_events_csv(const stint_mr *mr, stint_buf *out)
{
	return stint_sheet_events_csv(out, mr->m.input, mr->m.states, mr->m.n);
}

int stint_mr_players_csv(const stint_mr *mr, stint_buf *out)
{
	return stint_sheet_players_csv(out, mr->m.input, mr->stats);
}

/* Remove folder dir with files (n of them) and their temporary names. */
static void remove_run(const char *dir, const stint_mr_file *files, size_t n)
{
	char path[4400];
	size_t k;

	for (k = 0; k < n; k++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, files[k].file) < (int)sizeof(path))
			unlink(path);
		if (snprintf(path, sizeof(path), "%s/.%s.tmp", dir, files[k].file) < (int)sizeof(path))
			unlink(path);
	}
	rmdir(dir);
}

static int safe_file(const char *f)
{
	size_t n = strspn(f, "abcdefghijklmnopqrstuvwxyz0123456789.-");

	return n > 0 && n < 64 && f[n] == '\0' && f[0] != '.';
}

/* Write the files into reports/<sid>/match-<run>; the var-relative folder in rel. */
static int write_run(const char *sid, const stint_mr_file *files, size_t n, char *rel, size_t size)
{
	char secret[STINT_SECRET_HEX + 1], reports[4200], sdir[4200], tmpdir[4300], dir[4300], srel[200];
	size_t k;

	for (k = 0; k < n; k++)
		if (!safe_file(files[k].file))
			return -1;
	if (stint_secret_new(secret, sizeof(secret), 0) != 0)
		return -1;
	snprintf(srel, sizeof(srel), "reports/%.36s", sid);
	if (snprintf(rel, size, "%s/match-%.16s", srel, secret) >= (int)size ||
	    stint_media_path("reports", reports, sizeof(reports)) != 0 ||
	    stint_media_path(srel, sdir, sizeof(sdir)) != 0 ||
	    (mkdir(reports, 0750) != 0 && errno != EEXIST) || (mkdir(sdir, 0750) != 0 && errno != EEXIST) ||
	    snprintf(tmpdir, sizeof(tmpdir), "%s/.match-%.16s.tmp", sdir, secret) >= (int)sizeof(tmpdir) ||
	    snprintf(dir, sizeof(dir), "%s/match-%.16s", sdir, secret) >= (int)sizeof(dir) ||
	    mkdir(tmpdir, 0750) != 0) {
		stint_log(STINT_LOG_ERROR, "match report: cannot make a folder under reports/%.36s: %s", sid,
			  strerror(errno));
		return -1;
	}
	for (k = 0; k < n; k++)
		if (stint_media_write_file(tmpdir, files[k].file, files[k].data, files[k].len) != 0)
			break;
	if (k < n || rename(tmpdir, dir) != 0) {
		stint_log(STINT_LOG_ERROR, "match report: cannot write %s: %s", rel, strerror(errno));
		remove_run(tmpdir, files, n);
		return -1;
	}
	return 0;
}

/*
 * With media_storage s3 (lib/store.h), put the run's files (under the
 * var-relative folder rel) into the media bucket; 0, or -1 with the objects
 * put so far removed.
 */
static int put_run(const char *rel, const stint_mr_file *files, size_t n)
{
	char path[512], abs[4400], err[512];
	size_t k;

	for (k = 0; k < n; k++) {
		snprintf(path, sizeof(path), "%s/%s", rel, files[k].file);
		if (stint_media_path(path, abs, sizeof(abs)) != 0 ||
		    stint_store_put(abs, path, files[k].content_type, err, sizeof(err)) != STINT_STORE_OK) {
			stint_log(STINT_LOG_ERROR, "match report: cannot put %s into the media bucket: %s", path, err);
			stint_store_remove_tree(rel);
			return -1;
		}
	}
	return 0;
}

stint_db_rc stint_mr_store(stint_db *db, const char *sid, const char *user_id, const stint_mr_file *files,
			   size_t n, cJSON **artifacts)
{
	char rel[256], path[512], abs[4400];
	int s3 = stint_store_is_s3();
	const char *storage = s3 ? STINT_STORAGE_S3 : STINT_STORAGE_LOCAL;
	char *json = NULL;
	stint_tx tx;
	stint_db_rc rc;
	size_t k;

	*artifacts = cJSON_CreateArray();
	if (*artifacts == NULL || write_run(sid, files, n, rel, sizeof(rel)) != 0)
		return STINT_DB_ERROR;
	if (stint_media_path(rel, abs, sizeof(abs)) != 0)
		return STINT_DB_ERROR;
	if (s3 && put_run(rel, files, n) != 0) {
		remove_run(abs, files, n);
		return STINT_DB_ERROR;
	}
	stint_tx_begin(&tx, db, user_id);
	for (k = 0; k < n; k++) {
		stint_artifact_new a = { files[k].type, files[k].name, path, files[k].content_type,
					 (long long)files[k].len };

		snprintf(path, sizeof(path), "%s/%s", rel, files[k].file);
		if (stint_artifact_attach_stored(&tx, sid, &a, storage, files[k].meta_json, NULL, &json) != STINT_DB_OK)
			break;
		if (json == NULL) {
			stint_tx_fail(&tx, STINT_DB_ERROR);
			break;
		}
		cJSON_AddItemToArray(*artifacts, cJSON_Parse(json));
		free(json);
		json = NULL;
	}
	rc = stint_tx_end(&tx);
	if (rc != STINT_DB_OK && s3)
		stint_store_remove_tree(rel);
	if (rc != STINT_DB_OK || s3)  /* in s3 mode the bucket holds the files: no host keeps them */
		remove_run(abs, files, n);
	return rc;
}
