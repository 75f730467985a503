/*
 * pages-participants.h: the editor's participants panel (issue 12): the
 * session's participants with their units' device file status, and the
 * forms that add a participant and upload a device file (they post to
 * cgi-bin/participants.c). Rendered by templates/participants.mustache.
 */
#ifndef STINT_PAGES_PARTICIPANTS_H
#define STINT_PAGES_PARTICIPANTS_H

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"

/*
 * Add the panel's data to the editor's data as "wearables": participants
 * (each with device_file_shown), files (device files with warnings), the
 * flash (wearables_flash) of the form that came back here (?flash=participant_added, ...).
 */
stint_db_rc page_participants_data(stint_req *r, cJSON *data);

#endif
