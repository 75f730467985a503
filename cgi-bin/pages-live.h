/*
 * pages-live.h: the live view, its board and the replay (pages-live.c).
 */
#ifndef STINT_PAGES_LIVE_H
#define STINT_PAGES_LIVE_H

#include "http.h"

void page_live(stint_req *r);    /* GET /sessions/<id>/live */
void page_board(stint_req *r);   /* GET /sessions/<id>/board: the live view's board alone */
void page_replay(stint_req *r);  /* GET /sessions/<id>/replay: the stored messages at their pace */

#endif
