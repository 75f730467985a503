/*
 * program.h: a handler program's route table and main(), made from its lines
 * of the route manifest (lib/routes.def). A cgi-bin/<name>.c defines its
 * handlers, then ends with
 *
 *	#define STINT_PROGRAM_NAME "health"
 *	#define STINT_ROUTES_OF_health STINT_MINE
 *	#include "program.h"
 *
 * and, before the include, optionally STINT_PROGRAM_INIT (a function run
 * once in each worker before its first request, 0 = ok) and
 * STINT_PROGRAM_HTML_ERROR (the HTML error page writer of a program with
 * pages); see lib/server.h's stint_app. Include it once, last.
 */
#ifndef STINT_PROGRAM_NAME
#error "define STINT_PROGRAM_NAME and STINT_ROUTES_OF_<name> before including program.h"
#endif
#ifndef STINT_PROGRAM_INIT
#define STINT_PROGRAM_INIT NULL
#endif
#ifndef STINT_PROGRAM_HTML_ERROR
#define STINT_PROGRAM_HTML_ERROR NULL
#endif

#include "server.h"

static const stint_route stint_program_routes[] = {
#include "routes.def"
};

int main(int argc, char **argv)
{
	static const stint_app app = {
		STINT_PROGRAM_NAME, stint_program_routes,
		sizeof(stint_program_routes) / sizeof(stint_program_routes[0]),
		STINT_PROGRAM_INIT, STINT_PROGRAM_HTML_ERROR
	};

	return stint_server_main(argc, argv, &app);
}
