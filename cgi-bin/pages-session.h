/*
 * pages-session.h: a session's own forms (pages-session.c): create (on the
 * dashboard), Details, delete and restore.
 */
#ifndef STINT_PAGES_SESSION_H
#define STINT_PAGES_SESSION_H

#include "http.h"

void page_session_create(stint_req *r);   /* POST /sessions */
void page_session_update(stint_req *r);   /* POST /sessions/<id>: the Details form */
void page_session_delete(stint_req *r);   /* POST /sessions/<id>/delete */
void page_session_restore(stint_req *r);  /* POST /sessions/<id>/restore */

#endif
