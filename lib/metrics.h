/*
 * metrics.h: request, latency, restart and live-publish counters shared by
 * all processes of a stack, and their Prometheus text exposition (format
 * 0.0.4) for GET /metrics (cgi-bin/health.c; docs/operations.md,
 * "Monitoring").
 *
 * Each handler pool's master maps one file, RUN/<pool>.metrics (RUN: the
 * directory of its FastCGI socket RUN/<pool>.sock; the pool is usually the
 * program's name, bin/stint's `start` may add more pools of one program), before it forks its workers; the
 * workers inherit the shared mapping and count with atomic adds, so no lock
 * is taken on the request path. A slot per route of the program's table
 * (the manifest is static: the index of a route in the table is stable for
 * the life of the binary) plus one slot for requests that matched no route.
 * The file records each slot's method and pattern, so the reader needs no
 * route table: the /metrics handler maps every *.metrics file of its own
 * RUN directory read-only. A pool that restarts its master starts its file
 * afresh (counters reset; Prometheus' rate() handles resets).
 */
#ifndef STINT_METRICS_H
#define STINT_METRICS_H

#include <stddef.h>

#include "buf.h"

/*
 * In a pool's master, before the workers fork: create RUN/<pool>.metrics
 * (socket_path is RUN/<pool>.sock; program names the pool when the socket's
 * name does not) with a slot for each of the n routes of the pool's table,
 * written to a temporary name and renamed, and map it shared. Then name each
 * route with stint_metrics_name_route. Returns 0, or -1 (logged) when it
 * cannot: the pool then runs without counting. (The routes are not passed
 * as a table: this module stays below lib/route.h, which lib/live.c's
 * includes reach.)
 */
int stint_metrics_open(const char *socket_path, const char *program, size_t n);

/*
 * Record route i's method ("GET") and pattern ("/api/v1/sessions/:uuid";
 * cut at 119 bytes) in the open file. A no-op without one or for i >= n.
 */
void stint_metrics_name_route(size_t i, const char *method, const char *pattern);

/*
 * Count one answered request: route is its index in the table given to
 * stint_metrics_open, or any value >= n for a request that matched no route
 * (404, 405); status the HTTP status sent; seconds the time from the
 * request's start to its end. A no-op without an open file.
 */
void stint_metrics_request(size_t route, int status, double seconds);

/* In the master as it stops cleanly: remove its file (a stopped pool is not reported). */
void stint_metrics_close(void);

/* Count one worker restart of this pool (the master's supervisor). */
void stint_metrics_restart(void);

/* Count one live message nchan did not take (lib/live.c). */
void stint_metrics_live_publish_failure(void);

/*
 * Append to out the exposition of every *.metrics file in the RUN directory
 * of the file this process opened (the counter families, each with # HELP
 * and # TYPE once). Returns 0, or -1 when no file is open or out of memory.
 */
int stint_metrics_write(stint_buf *out);

#endif
