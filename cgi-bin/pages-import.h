/*
 * pages-import.h: the dashboard's import form (pages-import.c).
 */
#ifndef STINT_PAGES_IMPORT_H
#define STINT_PAGES_IMPORT_H

#include "http.h"

/* POST /sessions/import: a .dvw file (and optional video) from a multipart form. */
void page_import(stint_req *r);

#endif
