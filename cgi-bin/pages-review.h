/*
 * pages-review.h: a session's video review (pages-review.c).
 */
#ifndef STINT_PAGES_REVIEW_H
#define STINT_PAGES_REVIEW_H

#include "http.h"

void page_review(stint_req *r);       /* GET /sessions/<id>/review[?playlist=<pid> | filter] */
void page_review_save(stint_req *r);  /* POST /sessions/<id>/review: save the filter as a playlist */

#endif
