/*
 * pages-review.c: /sessions/<id>/review, a session's video review (issue
 * 19; lib/playlists.h). It plays a playlist against the session's video:
 * a saved one (?playlist=<pid>: the page's address is its share link, open
 * to whoever may view the session), or the events a filter in the query
 * selects (?team=A&player=16&type=attack&set=3 ...). Each item is played
 * from its event's time less the pre-roll to its time plus the post-roll
 * (?pre=, ?post=: seconds, else the playlist's, else 3 and 2), on the video
 * clip that holds it (its own clip, else the one whose span on the
 * session's timeline covers it; clip time = session time - clip offset).
 * static/review.js plays them, with N / P (and the arrow keys) for next
 * and previous. Without scripts each item links to the video at its start.
 * The save form (session editors) stores the filter and rolls as a new
 * playlist and comes back to it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "fail.h"
#include "media.h"
#include "pages-review.h"
#include "pages-shared.h"
#include "playlists.h"
#include "sessions.h"
#include "tx.h"
#include "validate.h"
#include "view.h"

/* The playable events' types offered in the filter (the tagging panel's). */
static const char *const skill_types[] = { "serve", "reception", "set", "attack", "block", "dig", "freeball", "point" };

static const page_choice team_choices[] = { { "A", "" }, { "B", "" } };

static const page_choice eval_choices[] = {
	{ "#", "# perfect / kill" }, { "+", "+ positive" }, { "!", "! OK" },
	{ "-", "- negative" }, { "/", "/ poor / blocked" }, { "=", "= error" },
};

static const page_choice phase_choices[] = {
	{ "serve", "Serve" }, { "reception", "Reception (side-out)" }, { "transition", "Transition" },
};

static const stint_field roll_field = { "pre", STINT_F_NUMBER, 0, 0, 60, NULL, STINT_NO_DEST };

static const stint_field name_field = { "name", STINT_F_STRING, STINT_F_REQUIRED, 1, 200, NULL, STINT_NO_DEST };

/* Roll seconds from query/form key, else fallback; a bad value is a problem named key. */
static double roll_value(const stint_kvlist *l, const char *key, double fallback, cJSON **errors)
{
	const char *v = stint_kv_get(l, key), *bad;
	double out = fallback;

	if (v == NULL || v[0] == '\0')
		return fallback;
	if ((bad = stint_text_number(&roll_field, v, &out)) != NULL) {
		if (*errors == NULL)
			*errors = cJSON_CreateObject();
		cJSON_AddStringToObject(*errors, key, bad);
		return fallback;
	}
	return out;
}

/* The video clip for session time t: the event's own clip, else the one covering t, else the first. */
static const cJSON *clip_for(const cJSON *videos, double clip_id, double t)
{
	const cJSON *c, *first = NULL, *covering = NULL;
	double off, dur;

	cJSON_ArrayForEach(c, videos) {
		if (first == NULL)
			first = c;
		if (cJSON_GetNumberValue(cJSON_GetObjectItem(c, "id")) == clip_id)
			return c;
		off = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "offset_sec"));
		dur = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "duration_sec"));
		if (covering == NULL && t >= off && (isnan(dur) || t <= off + dur))
			covering = c;
	}
	return covering ? covering : first;
}

/* The session's video clips with a media URL (a new array). */
static cJSON *video_clips(const cJSON *clips)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *c;
	const char *kind;

	cJSON_ArrayForEach(c, clips) {
		kind = cJSON_GetStringValue(cJSON_GetObjectItem(c, "kind"));
		if (kind != NULL && strcmp(kind, "video") == 0 && cJSON_IsString(cJSON_GetObjectItem(c, "media_url")))
			cJSON_AddItemToArray(out, cJSON_Duplicate(c, 1));
	}
	return out;
}

/* Decorate item e (number n, from 1) for the list: its label, clip and clip time, link. */
static void decorate_item(cJSON *e, int n, const cJSON *session, const cJSON *videos, double pre)
{
	const char *team = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_team"));
	const char *num = cJSON_GetStringValue(cJSON_GetObjectItem(e, "actor_number"));
	const char *eval = cJSON_GetStringValue(cJSON_GetObjectItem(e, "evaluation"));
	double t = cJSON_GetNumberValue(cJSON_GetObjectItem(e, "t_sec")), ct;
	const cJSON *clip = clip_for(videos, cJSON_GetNumberValue(cJSON_GetObjectItem(e, "clip_id")), t);
	const cJSON *set = cJSON_GetObjectItem(e, "set"), *score = cJSON_GetObjectItem(e, "score");
	char buf[300], clock[32], type[120], tname[210];
	const char *pname = team && num ? page_player_name(session, team, num) : "";

	cJSON_AddNumberToObject(e, "n", n);
	page_clock(t, clock, sizeof(clock));
	cJSON_AddStringToObject(e, "t_shown", clock);
	page_type_label(session, cJSON_GetStringValue(cJSON_GetObjectItem(e, "event_type")), type, sizeof(type));
	cJSON_AddStringToObject(e, "type_label", type);
	snprintf(buf, sizeof(buf), "%s%s%s%s%s", team ? page_team_name(session, team, tname, sizeof(tname)) : "",
		 num ? " #" : "", num ? num : "", pname[0] ? " " : "", pname);
	cJSON_AddStringToObject(e, "who", buf);
	if (eval != NULL)
		cJSON_AddStringToObject(e, "eval_shown", eval);
	if (cJSON_IsNumber(set)) {
		snprintf(buf, sizeof(buf), "Set %d · %d–%d", set->valueint,
			 (int)cJSON_GetNumberValue(cJSON_GetObjectItem(score, "A")),
			 (int)cJSON_GetNumberValue(cJSON_GetObjectItem(score, "B")));
		cJSON_AddStringToObject(e, "state_shown", buf);
	}
	if (clip == NULL)
		return;
	ct = t - cJSON_GetNumberValue(cJSON_GetObjectItem(clip, "offset_sec"));
	snprintf(buf, sizeof(buf), "%.3f", ct);
	cJSON_AddStringToObject(e, "clip_t", buf);
	cJSON_AddItemToObject(e, "src", cJSON_Duplicate(cJSON_GetObjectItem(clip, "media_url"), 1));
	snprintf(buf, sizeof(buf), "%s#t=%.2f", cJSON_GetStringValue(cJSON_GetObjectItem(clip, "media_url")),
		 ct - pre > 0 ? ct - pre : 0);
	cJSON_AddStringToObject(e, "href", buf);
}

/* The filter form's lists: teams, types, evaluations, sets, phases, marking f's values. */
static void add_filter_form(cJSON *data, const cJSON *session, const stint_playlist_filter *f)
{
	cJSON *list, *o;
	page_choice teams[2];
	char names[2][210], label[120], num[4];

	for (size_t i = 0; i < 2; i++) {
		teams[i].value = team_choices[i].value;
		teams[i].label = page_team_name(session, team_choices[i].value, names[i], sizeof(names[i]));
	}
	cJSON_AddItemToObject(data, "team_options", page_options(teams, 2, f->team));
	list = cJSON_AddArrayToObject(data, "type_options");
	for (size_t i = 0; i < COUNT(skill_types); i++) {
		o = cJSON_CreateObject();
		page_type_label(session, skill_types[i], label, sizeof(label));
		cJSON_AddStringToObject(o, "value", skill_types[i]);
		cJSON_AddStringToObject(o, "label", label);
		cJSON_AddBoolToObject(o, "selected", f->type && strcmp(f->type, skill_types[i]) == 0);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddItemToObject(data, "eval_options", page_options(eval_choices, COUNT(eval_choices), f->evaluation));
	cJSON_AddItemToObject(data, "phase_options", page_options(phase_choices, COUNT(phase_choices), f->phase));
	list = cJSON_AddArrayToObject(data, "set_options");
	for (int s = 1; s <= 5; s++) {
		o = cJSON_CreateObject();
		snprintf(num, sizeof(num), "%d", s);
		cJSON_AddStringToObject(o, "value", num);
		cJSON_AddBoolToObject(o, "selected", f->set == s);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddStringToObject(data, "player", f->player ? f->player : "");
	cJSON_AddStringToObject(data, "skill_type", f->skill_type ? f->skill_type : "");
	cJSON_AddStringToObject(data, "attack_code", f->attack_code ? f->attack_code : "");
}

/* The filter's query string (arena), as the save form and links carry it. */
static const char *filter_query(stint_req *r, const stint_playlist_filter *f)
{
	cJSON *j = stint_playlist_filter_to_json(f), *v;
	stint_buf b = STINT_BUF_INIT;
	char num[40], *out;
	const char *s;

	cJSON_ArrayForEach(v, j) {
		if (cJSON_IsString(v)) {
			s = v->valuestring;
		} else {
			snprintf(num, sizeof(num), "%g", v->valuedouble);
			s = num;
		}
		stint_buf_printf(&b, "%s%s=", b.len ? "&" : "", v->string);
		stint_url_arg(&b, s);
	}
	cJSON_Delete(j);
	out = stint_arena_strdup(&r->arena, b.data ? b.data : "");
	stint_buf_free(&b);
	return out ? out : "";
}

/* The filter's fields as hidden inputs of the save form: [{name, value}]. */
static cJSON *filter_fields(const stint_playlist_filter *f)
{
	cJSON *j = stint_playlist_filter_to_json(f), *out = cJSON_CreateArray(), *v, *o;
	char num[40];

	cJSON_ArrayForEach(v, j) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", v->string);
		if (cJSON_IsString(v)) {
			cJSON_AddStringToObject(o, "value", v->valuestring);
		} else {
			snprintf(num, sizeof(num), "%g", v->valuedouble);
			cJSON_AddStringToObject(o, "value", num);
		}
		cJSON_AddItemToArray(out, o);
	}
	cJSON_Delete(j);
	return out;
}

/* The session's saved playlists (*out, caller deletes), marking current (pid, may be NULL). */
static stint_db_rc saved_playlists(stint_req *r, const char *pid, cJSON **out)
{
	char *text = NULL, id[32];
	cJSON *p;
	stint_db_rc rc = stint_db_parse(stint_playlist_list(r->db, r->params[0], &text), &text, out);

	if (rc == STINT_DB_OK && *out == NULL)
		*out = cJSON_CreateArray();
	cJSON_ArrayForEach(p, *out) {
		snprintf(id, sizeof(id), "%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(p, "id")));
		cJSON_AddBoolToObject(p, "current", pid != NULL && strcmp(pid, id) == 0);
	}
	return rc;
}

/* The page's data: the playlist (saved, or from the filter), the clips, the forms. */
static stint_db_rc review_data(stint_req *r, cJSON *data, const cJSON *session, cJSON **errors, int *found)
{
	const char *pid = stint_kv_get(&r->query, "playlist");
	stint_playlist_filter f;
	stint_grant grant;
	cJSON *pl = NULL, *items = NULL, *clips = NULL, *videos = NULL, *e, *saved = NULL;
	double pre = STINT_PLAYLIST_PRE_ROLL_SEC, post = STINT_PLAYLIST_POST_ROLL_SEC;
	char buf[64];
	int n = 0;
	stint_db_rc rc;

	*found = 1;
	if (pid != NULL && pid[0] != '\0') {
		if (strspn(pid, "0123456789") != strlen(pid) || strlen(pid) > 18) {
			*found = 0;
			return STINT_DB_OK;
		}
		if ((rc = stint_playlist_get(r->db, r->params[0], pid, &pl)) != STINT_DB_OK || pl == NULL) {
			*found = pl != NULL;
			return rc;
		}
		stint_playlist_filter_json("filter", cJSON_GetObjectItem(pl, "filter"), &f, errors);
		pre = cJSON_GetNumberValue(cJSON_GetObjectItem(pl, "pre_roll_sec"));
		post = cJSON_GetNumberValue(cJSON_GetObjectItem(pl, "post_roll_sec"));
		items = cJSON_DetachItemFromObject(pl, "items");
	} else if (stint_playlist_filter_query(&r->query, &f, errors) == 0) {
		if ((rc = stint_playlist_items(r->db, r->params[0], &f, NULL, &items)) != STINT_DB_OK)
			return rc;
	} else {
		memset(&f, 0, sizeof(f));
		f.from_sec = f.to_sec = NAN;
		items = cJSON_CreateArray();
	}
	pre = roll_value(&r->query, "pre", pre, errors);
	post = roll_value(&r->query, "post", post, errors);
	rc = stint_clip_list_json(r->db, r->params[0], &clips);
	videos = video_clips(clips);
	cJSON_ArrayForEach(e, items)
		decorate_item(e, ++n, session, videos, pre);
	cJSON_AddNumberToObject(data, "count", n);
	cJSON_AddBoolToObject(data, "has_items", n > 0);
	cJSON_AddItemToObject(data, "items", items);
	cJSON_AddBoolToObject(data, "has_video", cJSON_GetArraySize(videos) > 0);
	snprintf(buf, sizeof(buf), "%g", pre);
	cJSON_AddStringToObject(data, "pre", buf);
	snprintf(buf, sizeof(buf), "%g", post);
	cJSON_AddStringToObject(data, "post", buf);
	add_filter_form(data, session, &f);
	cJSON_AddItemToObject(data, "filter_fields", filter_fields(&f));
	cJSON_AddStringToObject(data, "filter_query", filter_query(r, &f));
	if (pl != NULL) {
		cJSON_DeleteItemFromObject(pl, "filter");
		cJSON_AddItemToObject(data, "playlist", pl);
		pl = NULL;
	}
	if (rc == STINT_DB_OK && (rc = saved_playlists(r, pid, &saved)) == STINT_DB_OK) {
		cJSON_AddBoolToObject(data, "has_playlists", cJSON_GetArraySize(saved) > 0);
		cJSON_AddItemToObject(data, "playlists", saved);
	}
	if (rc == STINT_DB_OK && (rc = stint_session_access(r->db, r->params[0], r->user.id_text, 0, &grant)) == STINT_DB_OK)
		cJSON_AddBoolToObject(data, "can_edit", grant == STINT_GRANT_EDIT);
	cJSON_Delete(clips);
	cJSON_Delete(videos);
	cJSON_Delete(pl);
	return rc;
}

void page_review(stint_req *r)
{
	cJSON *session = NULL, *data = NULL, *errors = NULL;
	stint_db_rc rc = stint_session_load(r->db, r->params[0], &session);
	int found = 0;

	if (rc == STINT_DB_OK && session == NULL) {
		stint_fail(r, 404, "not_found", "There is no session with this id.", NULL);
		goto out;
	}
	data = cJSON_CreateObject();
	if (rc == STINT_DB_OK) {
		page_decorate_session(session);
		rc = review_data(r, data, session, &errors, &found);
	}
	if (rc != STINT_DB_OK) {
		stint_fail_db(r, rc);
		goto out;
	}
	if (!found) {
		stint_fail(r, 404, "not_found", "There is no such playlist in this session.", NULL);
		goto out;
	}
	if (errors != NULL) {
		cJSON *list = cJSON_AddArrayToObject(data, "problems"), *e, *p;

		cJSON_AddBoolToObject(data, "has_problems", 1);
		cJSON_ArrayForEach(e, errors) {
			p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "field", e->string);
			cJSON_AddStringToObject(p, "message", cJSON_GetStringValue(e));
			cJSON_AddItemToArray(list, p);
		}
	}
	page_add_flash(r, data);
	cJSON_AddItemToObject(data, "session", session);
	session = NULL;
	stint_view_send(r, errors != NULL ? 422 : 200, "review", data);
out:
	cJSON_Delete(errors);
	cJSON_Delete(data);
	cJSON_Delete(session);
}

/*
 * The save form: name, pre, post and the filter's fields (as the page's
 * query has them). A new playlist, then 303 to it; problems: 422 with the
 * page again, named.
 */
void page_review_save(stint_req *r)
{
	stint_playlist_filter f;
	cJSON *errors = NULL, *body = NULL;
	const char *name = stint_kv_get(&r->form, "name"), *bad;
	char *json = NULL, *loc = NULL, id[32];
	double pre, post;
	int missing = -1;
	stint_db_rc rc;
	stint_tx tx;
	cJSON *pl;

	stint_playlist_filter_query(&r->form, &f, &errors);
	pre = roll_value(&r->form, "pre", STINT_PLAYLIST_PRE_ROLL_SEC, &errors);
	post = roll_value(&r->form, "post", STINT_PLAYLIST_POST_ROLL_SEC, &errors);
	if ((bad = stint_validate_text(&name_field, name ? name : "")) != NULL) {
		if (errors == NULL)
			errors = cJSON_CreateObject();
		cJSON_AddStringToObject(errors, "name", bad);
	}
	if (errors != NULL) {
		stint_fail_fields(r, errors);
		return;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", name);
	cJSON_AddItemToObject(body, "filter", stint_playlist_filter_to_json(&f));
	cJSON_AddNumberToObject(body, "pre_roll_sec", pre);
	cJSON_AddNumberToObject(body, "post_roll_sec", post);
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_playlist_put(&tx, r->params[0], NULL, body, r->user.id_text, &missing, &json);
	rc = stint_tx_end(&tx);
	cJSON_Delete(body);
	if (rc != STINT_DB_OK || json == NULL || (pl = cJSON_Parse(json)) == NULL) {
		stint_fail_db(r, rc != STINT_DB_OK ? rc : STINT_DB_ERROR);
		free(json);
		return;
	}
	snprintf(id, sizeof(id), "%.0f", cJSON_GetNumberValue(cJSON_GetObjectItem(pl, "id")));
	cJSON_Delete(pl);
	free(json);
	loc = stint_arena_alloc(&r->arena, 120);
	if (loc == NULL) {
		stint_fail(r, 500, "internal", "Out of memory.", NULL);
		return;
	}
	snprintf(loc, 120, "/sessions/%.36s/review?playlist=%s&flash=playlist_saved", r->params[0], id);
	stint_resp_redirect(r, loc);
}
