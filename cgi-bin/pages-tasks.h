/*
 * pages-tasks.h: the editor's tasks panel (pages-tasks.c): the session's
 * newest tasks for the editor's page, and the panel's forms, which post
 * here and redirect back to the panel.
 */
#ifndef STINT_PAGES_TASKS_H
#define STINT_PAGES_TASKS_H

#include <cjson/cJSON.h>

#include "db.h"
#include "http.h"

/*
 * Read the task types (conf/tasks.conf, the setting tasks_config) once per
 * worker: the panel's forms queue tasks with their type's max_attempts.
 * Returns 0: when the file cannot be read or is wrong, the problem is
 * logged and the pages still run (a form that would queue a task answers
 * 500, as the tasks program cannot start then either).
 */
int page_tasks_init(void);

/*
 * Add the panel of session r->params[0] to the editor's data: "tasks" (its
 * newest tasks, each with labels, display times and which buttons it
 * takes), "has_tasks", "tasks_total", "tasks_more" (more than are shown),
 * and "analyzers" / "has_analyzers" (the names of the analyzers file's
 * blocks, when the file exists).
 */
stint_db_rc page_add_tasks(stint_req *r, cJSON *data);

void page_task_cancel(stint_req *r);      /* POST /sessions/<id>/tasks/cancel (task_id) */
void page_task_retry(stint_req *r);       /* POST /sessions/<id>/tasks/retry (task_id) */
void page_session_process(stint_req *r);  /* POST /sessions/<id>/process */
void page_session_analyze(stint_req *r);  /* POST /sessions/<id>/analyze (analyzer) */

#endif
