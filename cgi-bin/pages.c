/*
 * pages.c: the server-rendered pages' program: its route table and main.
 * The pages are split as cgit splits its ui-<page>.c files, each exporting
 * its entry points through its own header: pages-dashboard.c (/),
 * pages-session.c (a session's create, Details, delete and restore forms),
 * pages-import.c (the .dvw upload form), pages-editor.c (the session
 * editor), pages-events.c (the editor's event and clip forms),
 * pages-stats.c (its statistics tables), pages-matchreport.c (the match
 * report, charts and their stored files), pages-tasks.c (its tasks panel
 * and the panel's forms), pages-live.c (the live view),
 * pages-replay.c (the replay that fits the session), pages-review.c (the
 * video review: playlists), pages-survey.c (the
 * players' survey form), pages-thresholds.c (the report's thresholds per
 * team), pages-htmx.c (seed 000's HTMX fragments of the dashboard and
 * editor), pages-teams.c (the editor's teams panel, the saved teams page)
 * with pages-session-teams.c (the panel's forms); what they share is
 * pages-shared.c. Dependencies run one way:
 * this file -> pages-<page>.c -> pages-shared.c. Forms POST and redirect
 * (303) so they work without JavaScript; every form carries the CSRF token
 * the dispatcher checks (the multipart import form checks its own).
 */
#include "analysis.h"
#include "conf.h"
#include "pages-dashboard.h"
#include "pages-editor.h"
#include "pages-events.h"
#include "pages-htmx.h"
#include "pages-import.h"
#include "pages-live.h"
#include "pages-match.h"
#include "pages-matchreport.h"
#include "pages-recordings.h"
#include "pages-season.h"
#include "pages-replay.h"
#include "pages-review.h"
#include "pages-session.h"
#include "pages-session-teams.h"
#include "pages-shared.h"
#include "pages-stats.h"
#include "pages-survey.h"
#include "pages-tasks.h"
#include "pages-teams.h"
#include "pages-thresholds.h"
#include "view.h"

static int pages_init(void)
{
	if (page_recordings_init() != 0)
		return -1;
	if (stint_view_load(stint_config_get("template_dir", "templates")) != 0)
		return -1;
	/*
	 * as with the task types (page_tasks_init), a bad analyzers file is
	 * logged, not fatal: the pages show no analyzer, and the import form
	 * (it adds a clip) answers 500 until it is fixed
	 */
	stint_analysis_worker_init();
	return page_tasks_init();
}

#define STINT_PROGRAM_NAME "pages"
#define STINT_PROGRAM_INIT pages_init
#define STINT_PROGRAM_HTML_ERROR stint_view_error
#define STINT_ROUTES_OF_pages STINT_MINE
#include "program.h"
