/*
 * pages-replay.h: a session's replay (pages-replay.c).
 */
#ifndef STINT_PAGES_REPLAY_H
#define STINT_PAGES_REPLAY_H

#include "http.h"

void page_replay(stint_req *r);  /* GET /sessions/<id>/replay */

#endif
