/*
 * pages-live.h: the live view and its board (pages-live.c).
 */
#ifndef STINT_PAGES_LIVE_H
#define STINT_PAGES_LIVE_H

#include "http.h"

void page_live(stint_req *r);    /* GET /sessions/<id>/live */
void page_board(stint_req *r);   /* GET /sessions/<id>/board: the live view's board alone */

#endif
