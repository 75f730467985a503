/*
 * pages-survey.h: the survey form a player fills on a phone (pages-survey.c):
 * RPE on the CR-10 scale and the wellness items, posted here and redirected
 * back with a thank-you flash.
 */
#ifndef STINT_PAGES_SURVEY_H
#define STINT_PAGES_SURVEY_H

#include "http.h"

void page_survey(stint_req *r);       /* GET /sessions/<id>/survey */
void page_survey_save(stint_req *r);  /* POST /sessions/<id>/survey (the form's fields) */

#endif
