/*
 * pages.c: the server-rendered pages' program: its route table and main.
 * The pages are split as cgit splits its ui-<page>.c files, each exporting
 * its entry points through its own header: pages-dashboard.c (/),
 * pages-session.c (a session's create, Details, delete and restore forms),
 * pages-import.c (the .dvw upload form), pages-editor.c (the session
 * editor), pages-events.c (the editor's event and clip forms),
 * pages-stats.c (its statistics tables), pages-live.c (the live view and
 * replay); what they share is pages-shared.c. Dependencies run one way:
 * this file -> pages-<page>.c -> pages-shared.c. Forms POST and redirect
 * (303) so they work without JavaScript; every form carries the CSRF token
 * the dispatcher checks (the multipart import form checks its own).
 */
#include "conf.h"
#include "pages-dashboard.h"
#include "pages-editor.h"
#include "pages-events.h"
#include "pages-import.h"
#include "pages-live.h"
#include "pages-session.h"
#include "pages-shared.h"
#include "pages-stats.h"
#include "server.h"
#include "view.h"

#define IMPORT_BODY_MAX (20 * 1024 * 1024)

static int pages_init(void)
{
	return stint_view_load(stint_config_get("template_dir", "templates"));
}

#define PAGE(m, p, a, b, f) { m, p, a, b, STINT_FORMAT_HTML, f, 0, 0 }

static const stint_route page_routes[] = {
	PAGE("GET", "/", STINT_ACCESS_SIGNED_IN, STINT_BODY_NONE, page_dashboard),
	PAGE("POST", "/sessions", STINT_ACCESS_AUTHOR, STINT_BODY_FORM, page_session_create),
	{ "POST", "/sessions/import", STINT_ACCESS_AUTHOR, STINT_BODY_RAW, STINT_FORMAT_HTML, page_import, IMPORT_BODY_MAX, 0 },
	STINT_READ_PAGE("GET", "/sessions/:uuid", page_editor, SESSION_GET),
	PAGE("POST", "/sessions/:uuid", STINT_ACCESS_SESSION_EDITOR, STINT_BODY_FORM, page_session_update),
	PAGE("POST", "/sessions/:uuid/delete", STINT_ACCESS_SESSION_EDITOR, STINT_BODY_FORM, page_session_delete),
	PAGE("POST", "/sessions/:uuid/restore", STINT_ACCESS_DELETED_SESSION_EDITOR, STINT_BODY_FORM, page_session_restore),
	STINT_READ_PAGE("GET", "/sessions/:uuid/stats", page_stats, SESSION_GET),
	STINT_READ_PAGE("GET", "/sessions/:uuid/live", page_live, SESSION_GET),
	STINT_READ_PAGE("GET", "/sessions/:uuid/board", page_board, SESSION_GET),
	STINT_READ_PAGE("GET", "/sessions/:uuid/replay", page_replay, SESSION_GET),
	PAGE("POST", "/sessions/:uuid/events", STINT_ACCESS_SESSION_EDITOR, STINT_BODY_FORM, page_event_add),
	PAGE("POST", "/sessions/:uuid/events/:id", STINT_ACCESS_SESSION_EDITOR, STINT_BODY_FORM, page_event_edit),
	PAGE("POST", "/sessions/:uuid/events/:id/delete", STINT_ACCESS_SESSION_EDITOR, STINT_BODY_FORM, page_event_delete),
	PAGE("POST", "/sessions/:uuid/clips/:id", STINT_ACCESS_SESSION_EDITOR, STINT_BODY_FORM, page_clip_edit),
};

int main(int argc, char **argv)
{
	static const stint_app app = {
		"pages", page_routes, COUNT(page_routes), pages_init, stint_view_error
	};

	return stint_server_main(argc, argv, &app);
}
