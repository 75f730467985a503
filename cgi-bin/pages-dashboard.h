/*
 * pages-dashboard.h: the dashboard, / (pages-dashboard.c): the caller's
 * sessions found, filtered and paged, with the create and import forms.
 */
#ifndef STINT_PAGES_DASHBOARD_H
#define STINT_PAGES_DASHBOARD_H

#include <cjson/cJSON.h>

#include "http.h"

void page_dashboard(stint_req *r);  /* GET / */

/*
 * The dashboard with status; extra (consumed, may be NULL) is merged into
 * the template data: "form"/"errors" for the create form sent back,
 * "import"/"import_errors" for the import form.
 */
void page_render_dashboard(stint_req *r, int status, cJSON *extra);

#endif
