/*
 * labels.h: how pages name event types, per sport. A session's sport comes
 * from its meta.sport ("volleyball", "climbing", "football", "generic"),
 * else from what it is (a climb: climbing; a DataVolley import:
 * volleyball), else generic. Each sport has a label table of its usual
 * types; any other type is shown from its name ("time_out" -> "Time out").
 * Types typed by people ("Time out", "free-kick") are normalised to the
 * stored form (lower-case letters, digits and _) by stint_type_normalise.
 */
#ifndef STINT_LABELS_H
#define STINT_LABELS_H

#include <stddef.h>

#include <cjson/cJSON.h>

typedef enum stint_sport {
	STINT_SPORT_GENERIC = 0,
	STINT_SPORT_VOLLEYBALL,
	STINT_SPORT_CLIMBING,
	STINT_SPORT_FOOTBALL,
} stint_sport;

/* The sport of a session object (as the API gives it: kind, meta); NULL: generic. */
stint_sport stint_sport_of(const cJSON *session);

/* "volleyball", "climbing", "football" or "generic". Static string. */
const char *stint_sport_name(stint_sport sport);

/*
 * The label of event type in sport into out (size bytes, always
 * terminated): the sport's table first, then the generic one, else the
 * type with '_' as spaces and its first letter upper-cased. NULL type: "".
 */
void stint_type_label(stint_sport sport, const char *type, char *out, size_t size);

/*
 * The stored form of a type a person typed, into out (size bytes): ASCII
 * letters lower-cased, each run of spaces, '-' and '_' one '_', none at
 * either end ("  Time out " -> "time_out", "Free-kick" -> "free_kick").
 * Returns 0, or -1 when nothing is left, a character is not a letter,
 * digit, space, '-' or '_', the result starts with a digit, or it does not
 * fit (out is then "").
 */
int stint_type_normalise(const char *typed, char *out, size_t size);

/* The sport's table as [{value, label}] in its order (a new array, caller deletes). */
cJSON *stint_sport_types(stint_sport sport);

#endif
