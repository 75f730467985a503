/*
 * pages-thresholds.h: the settings page of the report's load thresholds
 * (issue 12): /settings/thresholds.
 */
#ifndef STINT_PAGES_THRESHOLDS_H
#define STINT_PAGES_THRESHOLDS_H

#include "http.h"

void page_thresholds(stint_req *r);        /* GET /settings/thresholds: the rows and their forms */
void page_thresholds_set(stint_req *r);    /* POST /settings/thresholds: a row set (PUT's form) */
void page_thresholds_delete(stint_req *r); /* POST /settings/thresholds/delete: a row deleted */

#endif
