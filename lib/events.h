/*
 * events.h: the rules for tagged events (what happened when, by whom), and
 * reading them from the CSV that export/events.csv writes.
 */
#ifndef STINT_EVENTS_H
#define STINT_EVENTS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "validate.h"

#define STINT_EVENTS_MAX_BATCH 10000

/* The fields of one event a client may send (create and patch). */
extern const stint_field stint_event_fields[];
extern const size_t stint_event_nfields;

/* A batch as POST .../events takes it: {"events": [...]}. */
typedef struct stint_event_batch_in {
	stint_list events;
} stint_event_batch_in;

/* The fields of that body: events, 1 to STINT_EVENTS_MAX_BATCH of stint_event_fields. */
extern const stint_field stint_event_batch[];
extern const size_t stint_event_nbatch;

/*
 * Validate the events of a batch (a JSON array; NULL when absent) as the
 * events field of stint_event_batch. Problems go to *errors under
 * "events[i].field" (at most 100 of them are named). Returns the number of
 * invalid events, -1 on out of memory. A batch that is empty or longer
 * than STINT_EVENTS_MAX_BATCH is one problem under "events".
 */
int stint_events_validate(const cJSON *events, cJSON **errors);

/*
 * Put each event_type in json (one event object, an array of events, or
 * {"events": [...]}) in its stored form, as people type types (labels.h
 * stint_type_normalise: "Time out" -> "time_out", "Free-kick" ->
 * "free_kick"). A type that cannot be normalised is left as it was for the
 * validator to name. Returns how many were changed (0: json as it was), -1
 * on out of memory.
 */
int stint_events_normalise_types(cJSON *json);

/*
 * Read the CSV text data (len bytes) with the header of export/events.csv
 * (clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload;
 * RFC 4180 quoting; actor_name is only for people and is ignored) into a
 * JSON array of events in *out (caller deletes). Values are typed as the
 * JSON API takes them (numbers, actor_number as a string of its text, null
 * for empty, payload parsed as JSON).
 * Returns 0, or the count of problems in *errors under "row N" / "row N.field"
 * (rows count from 1 after the header), or -1 on out of memory. Uses libcsv.
 */
int stint_events_from_csv(const char *data, size_t len, cJSON **out, cJSON **errors);

#endif
