/*
 * health.c: /healthz (the process answers) and /readyz (the database
 * answers a query; 503 with Retry-After otherwise).
 */
#include <string.h>

#include "db.h"
#include "http.h"

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

#define STINT_PROGRAM_NAME "health"
#define STINT_ROUTES_OF_health STINT_MINE
#include "program.h"
