/*
 * pages-events.h: the editor's event and clip forms (pages-events.c).
 */
#ifndef STINT_PAGES_EVENTS_H
#define STINT_PAGES_EVENTS_H

#include "http.h"

void page_event_add(stint_req *r);     /* POST /sessions/<id>/events */
void page_event_edit(stint_req *r);    /* POST /sessions/<id>/events/<event id> */
void page_event_delete(stint_req *r);  /* POST /sessions/<id>/events/<event id>/delete */
void page_clip_edit(stint_req *r);     /* POST /sessions/<id>/clips/<clip id> */

#endif
