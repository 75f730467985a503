/*
 * playlists.c: a session's video playlists (issue 19; lib/playlists.h):
 * /api/v1/sessions/<id>/playlists (GET, POST) and .../playlists/<pid> (GET,
 * PATCH, DELETE). Whoever may view the session reads them (a playlist's GET
 * resolves its items now: the events its filter or list names, with the
 * match state at each); its editors write them. The review page that plays
 * one is cgi-bin/pages-review.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "playlists.h"
#include "tx.h"

static const char no_playlist[] = "There is no such playlist in this session.";

static void list_playlists(stint_req *r)
{
	char *json = NULL;
	stint_db_rc rc = stint_playlist_list(r->db, r->params[0], &json);

	stint_answer_json_text(r, rc, 200, json, "There is no such session.");
}

static void get_playlist(stint_req *r)
{
	cJSON *pl = NULL;
	stint_db_rc rc = stint_playlist_get(r->db, r->params[0], r->params[1], &pl);

	if (stint_found_or_fail(r, rc, pl != NULL, no_playlist))
		stint_resp_json(r, 200, pl);
	cJSON_Delete(pl);
}

/* Write the body as playlist pid (NULL: a new one); answers with status. */
static void write_playlist(stint_req *r, const char *pid, int status)
{
	cJSON *errors = NULL;
	char *json = NULL, field[40];
	int bad = stint_playlist_validate(r->json, pid != NULL, &errors), missing = -1;
	stint_db_rc rc;
	stint_tx tx;

	if (!stint_valid_or_fail(r, bad, errors))
		return;
	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_playlist_put(&tx, r->params[0], pid, r->json, r->user.id_text, &missing, &json);
	rc = stint_tx_end(&tx);
	if (rc == STINT_DB_OK && missing >= 0) {
		snprintf(field, sizeof(field), "event_ids[%d]", missing);
		stint_fail_field(r, field, "is not an event of this session");
		return;
	}
	stint_answer_json_text(r, rc, status, json, no_playlist);
}

static void create_playlist(stint_req *r)
{
	write_playlist(r, NULL, 201);
}

static void patch_playlist(stint_req *r)
{
	write_playlist(r, r->params[1], 200);
}

static void delete_playlist(stint_req *r)
{
	int found = 0;
	stint_db_rc rc;
	stint_tx tx;

	stint_tx_begin(&tx, r->db, r->user.id_text);
	stint_playlist_delete(&tx, r->params[0], r->params[1], &found);
	rc = stint_tx_end(&tx);
	if (stint_found_or_fail(r, rc, found, no_playlist))
		stint_resp_send(r, 204, NULL, NULL, 0);
}

#define STINT_PROGRAM_NAME "playlists"
#define STINT_ROUTES_OF_playlists STINT_MINE
#include "program.h"
