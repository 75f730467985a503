/*
 * health.c: /healthz (the process answers), /readyz (the database
 * answers a query; 503 with Retry-After otherwise) and /metrics (the
 * stack's counters in Prometheus' text format, lib/metrics.h, and the task
 * queue and live backlog from the database).
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fail.h"
#include "http.h"
#include "metrics.h"

static void send_text(stint_req *r, int status, const char *json)
{
	stint_resp_json_text(r, status, json, strlen(json));
}

static void healthz(stint_req *r)
{
	send_text(r, 200, "{\"status\":\"ok\"}");
}

static void readyz(stint_req *r)
{
	if (stint_db_ping(r->db)) {
		send_text(r, 200, "{\"status\":\"ready\",\"database\":\"ok\"}");
		return;
	}
	stint_resp_header(r, "Retry-After", "5");
	send_text(r, 503, "{\"status\":\"unavailable\",\"database\":\"unreachable\"}");
}

/* The database's gauges: tasks by type and status, the queue, the live backlog. */
static int write_db_gauges(stint_req *r, stint_buf *out)
{
	PGresult *res = NULL;
	long long queued = 0, unpublished = 0;
	int i, n;

	if (stint_db_exec(r->db, STINT_SQL_METRICS_DB, 0, NULL, &res) != STINT_DB_OK) {
		PQclear(res);
		return -1;
	}
	n = PQntuples(res);
	stint_buf_puts(out, "# HELP stint_tasks Tasks in the queue's table by type and status (completed, "
			    "failed and cancelled are outcomes; purges lower them).\n# TYPE stint_tasks gauge\n");
	for (i = 0; i < n; i++) {
		const char *kind = stint_db_cell(res, i, "kind"), *count = stint_db_cell(res, i, "n");

		if (strcmp(kind, "live") == 0) {
			unpublished = atoll(count);
			continue;
		}
		/* task types match ^[a-z][a-z0-9_]*$ and statuses are a fixed set: no escaping */
		stint_buf_printf(out, "stint_tasks{type=\"%s\",status=\"%s\"} %s\n", stint_db_cell(res, i, "task_type"),
				 stint_db_cell(res, i, "status"), count);
		if (strcmp(stint_db_cell(res, i, "status"), "queued") == 0)
			queued += atoll(count);
	}
	stint_buf_printf(out, "# HELP stint_task_queue_depth Tasks waiting to run (status queued).\n"
			 "# TYPE stint_task_queue_depth gauge\nstint_task_queue_depth %lld\n", queued);
	stint_buf_printf(out, "# HELP stint_live_unpublished_messages Live messages stored that nchan has not "
			 "taken yet (the re-publisher's backlog).\n# TYPE stint_live_unpublished_messages gauge\n"
			 "stint_live_unpublished_messages %lld\n", unpublished);
	PQclear(res);
	return 0;
}

static void metrics(stint_req *r)
{
	stint_buf out = STINT_BUF_INIT;

	if (stint_metrics_write(&out) != 0 || write_db_gauges(r, &out) != 0 || out.data == NULL) {
		stint_buf_free(&out);
		stint_resp_header(r, "Retry-After", "5");
		stint_fail(r, 503, "unavailable", "The counters or the database cannot be read.", NULL);
		return;
	}
	stint_resp_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", out.data, out.len);
	stint_buf_free(&out);
}

#define STINT_PROGRAM_NAME "health"
#define STINT_ROUTES_OF_health STINT_MINE
#include "program.h"
