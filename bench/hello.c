/*
 * hello.c: the hello-world handler bench/api measures Stint against: the
 * same server core (prefork pool, dispatcher, logging, response writer)
 * and the same nginx, with no database work.
 */
#include "server.h"

static void hello(stint_req *r)
{
	stint_resp_json_text(r, 200, "{\"hello\":\"world\"}", 17);
}

static const stint_route hello_routes[] = {
	{ "GET", "/bench/hello", STINT_ACCESS_PUBLIC, STINT_BODY_NONE, STINT_FORMAT_JSON, hello, 0, 0 },
};

int main(int argc, char **argv)
{
	static const stint_app app = { "hello", hello_routes, 1, NULL, NULL };

	return stint_server_main(argc, argv, &app);
}
