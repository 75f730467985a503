/*
 * wearable-xml.c: GPX and TCX device files (see wearable-xml.h), read with
 * libxml2's xmlTextReader (streaming: memory does not grow with the file
 * beyond the samples). No network, no DTD loading, no entity substitution.
 */
#include "wearable-xml.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "wearable-build.h"

#define XML_MAX_DEPTH 64

/* The walk over one document and the format's state. */
struct xml_walk {
	xmlTextReaderPtr reader;
	const xmlChar *names[XML_MAX_DEPTH];  /* local names of the open elements (the reader's dictionary) */
	int depth;                            /* depth of the current node */
	char *err;
	size_t errsize;
	int failed;
	stint_tracks *out;
	stint_track *track;
	stint_wearable_skips skips;
	stint_sample sample;                  /* the point being read */
	int in_point;
	unsigned long point_line;
};

/* The local name of the element at depth d (d < 0 or too deep: ""). */
static const char *name_at(const struct xml_walk *w, int d)
{
	if (d < 0 || d >= XML_MAX_DEPTH || w->names[d] == NULL)
		return "";
	return (const char *)w->names[d];
}

/* The line of the current node (where its element starts), else where the parser is. */
static unsigned long walk_line(const struct xml_walk *w)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(w->reader);
	long line = node != NULL ? xmlGetLineNo(node) : -1;

	if (line <= 0)
		line = xmlTextReaderGetParserLineNumber(w->reader);
	return line > 0 ? (unsigned long)line : 1;
}

/* libxml2's first error becomes ours ("line N: message"); warnings are ignored. */
static void on_xml_error(void *arg, xmlErrorPtr e)
{
	struct xml_walk *w = arg;
	char msg[256];
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR || w->failed)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message != NULL ? e->message : "malformed XML");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	w->failed = 1;
	stint_wearable_err(w->err, w->errsize, "line %d: %s", e->line > 0 ? e->line : 1, msg);
}

static int walk_fail(struct xml_walk *w, const char *what, const char *value)
{
	if (!w->failed)
		stint_wearable_err(w->err, w->errsize, "line %lu: %s \"%.40s\" is not %s", walk_line(w), what,
				   value, strcmp(what, "time") == 0 || strcmp(what, "Time") == 0 ?
				   "an ISO 8601 time" : "a number");
	w->failed = 1;
	return -1;
}

/* Read value as a number into *dst (element or attribute what, for the error). */
static int read_number(struct xml_walk *w, const char *what, const char *value, double *dst)
{
	double v;

	if (stint_wearable_number(value, &v) != 0)
		return walk_fail(w, what, value);
	*dst = v;
	return 0;
}

static int read_time(struct xml_walk *w, const char *what, const char *value, double *dst)
{
	double v;

	if (stint_wearable_time(value, &v) != 0)
		return walk_fail(w, what, value);
	*dst = v;
	return 0;
}

static int point_start(struct xml_walk *w)
{
	stint_sample_clear(&w->sample);
	w->in_point = 1;
	w->point_line = walk_line(w);
	return 0;
}

static int point_end(struct xml_walk *w)
{
	w->in_point = 0;
	if (stint_track_append(w->track, &w->sample, w->point_line, &w->skips) != 0) {
		w->failed = 1;
		return stint_wearable_err(w->err, w->errsize, "out of memory");
	}
	return 0;
}

/* The format's handlers: an element opens (attributes readable), text inside element `in`, an element closes. */
struct xml_format {
	const char *root;
	const char *point;
	int (*on_point_attrs)(struct xml_walk *w);
	int (*on_text)(struct xml_walk *w, const char *in, const char *value);
};

static int gpx_point_attrs(struct xml_walk *w)
{
	xmlChar *lat = xmlTextReaderGetAttribute(w->reader, BAD_CAST "lat");
	xmlChar *lon = xmlTextReaderGetAttribute(w->reader, BAD_CAST "lon");
	int rc = 0;

	if (lat != NULL)
		rc = read_number(w, "lat", (const char *)lat, &w->sample.lat_deg);
	if (rc == 0 && lon != NULL)
		rc = read_number(w, "lon", (const char *)lon, &w->sample.lon_deg);
	xmlFree(lat);
	xmlFree(lon);
	if (rc == 0 && (fabs(w->sample.lat_deg) > 90 || fabs(w->sample.lon_deg) > 180))
		return walk_fail(w, "lat/lon", "out of range");
	return rc;
}

static int gpx_text(struct xml_walk *w, const char *in, const char *value)
{
	if (strcmp(in, "time") == 0)
		return read_time(w, "time", value, &w->sample.t_s);
	if (strcmp(in, "speed") == 0)
		return read_number(w, "speed", value, &w->sample.speed_mps);
	if (strcmp(in, "hr") == 0 || strcmp(in, "heartrate") == 0)
		return read_number(w, in, value, &w->sample.hr_bpm);
	if (strcmp(in, "distance") == 0)
		return read_number(w, "distance", value, &w->sample.distance_m);
	return 0;
}

static int tcx_text(struct xml_walk *w, const char *in, const char *value)
{
	const char *parent = name_at(w, w->depth - 1);

	if (strcmp(in, "Time") == 0)
		return read_time(w, "Time", value, &w->sample.t_s);
	if (strcmp(in, "LatitudeDegrees") == 0)
		return read_number(w, in, value, &w->sample.lat_deg);
	if (strcmp(in, "LongitudeDegrees") == 0)
		return read_number(w, in, value, &w->sample.lon_deg);
	if (strcmp(in, "DistanceMeters") == 0 && strcmp(parent, "Trackpoint") == 0)
		return read_number(w, in, value, &w->sample.distance_m);
	if (strcmp(in, "Value") == 0 && strcmp(parent, "HeartRateBpm") == 0)
		return read_number(w, "HeartRateBpm", value, &w->sample.hr_bpm);
	if (strcmp(in, "Speed") == 0)
		return read_number(w, in, value, &w->sample.speed_mps);
	return 0;
}

static const struct xml_format gpx_format = { "gpx", "trkpt", gpx_point_attrs, gpx_text };
static const struct xml_format tcx_format = { "TrainingCenterDatabase", "Trackpoint", NULL, tcx_text };

/* One node of the document; 0 or -1 (w->failed set). */
static int walk_node(struct xml_walk *w, const struct xml_format *f)
{
	int type = xmlTextReaderNodeType(w->reader);
	const char *name;

	w->depth = xmlTextReaderDepth(w->reader);
	if (type == XML_READER_TYPE_ELEMENT) {
		name = (const char *)xmlTextReaderConstLocalName(w->reader);
		if (name == NULL)
			name = "";
		if (w->depth < XML_MAX_DEPTH)
			w->names[w->depth] = (const xmlChar *)name;
		if (w->depth == 0 && strcmp(name, f->root) != 0) {
			w->failed = 1;
			return stint_wearable_err(w->err, w->errsize, "line %lu: the root element is <%.40s>, not <%s>",
						  walk_line(w), name, f->root);
		}
		if (!w->in_point && strcmp(name, f->point) == 0) {
			point_start(w);
			if (f->on_point_attrs != NULL && f->on_point_attrs(w) != 0)
				return -1;
			if (xmlTextReaderIsEmptyElement(w->reader))
				return point_end(w);
		}
	} else if (type == XML_READER_TYPE_END_ELEMENT) {
		if (w->in_point && strcmp(name_at(w, w->depth), f->point) == 0)
			return point_end(w);
	} else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) && w->in_point) {
		const char *value = (const char *)xmlTextReaderConstValue(w->reader);

		w->depth--;    /* the element the text is in */
		return f->on_text(w, name_at(w, w->depth), value != NULL ? value : "");
	}
	return 0;
}

static int parse_xml(const struct xml_format *f, const char *data, size_t n, stint_tracks *out, char *err,
		     size_t errsize)
{
	struct xml_walk w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.err = err;
	w.errsize = errsize;
	w.out = out;
	if (n > INT_MAX)
		return stint_wearable_err(err, errsize, "the file is larger than 2 GiB");
	if ((w.track = stint_tracks_add(out, "")) == NULL)
		return stint_wearable_err(err, errsize, "out of memory");
	w.reader = xmlReaderForMemory(data, (int)n, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
				      XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (w.reader == NULL)
		return stint_wearable_err(err, errsize, "line 1: not an XML document");
	xmlTextReaderSetStructuredErrorHandler(w.reader, on_xml_error, &w);
	while ((rc = xmlTextReaderRead(w.reader)) == 1)
		if (walk_node(&w, f) != 0)
			break;
	if (rc < 0 && !w.failed) {
		w.failed = 1;
		stint_wearable_err(err, errsize, "line %lu: malformed XML", walk_line(&w));
	}
	if (!w.failed && w.names[0] == NULL) {
		w.failed = 1;
		stint_wearable_err(err, errsize, "line 1: no <%s> element", f->root);
	}
	if (!w.failed && w.in_point) {
		w.failed = 1;
		stint_wearable_err(err, errsize, "line %lu: the file ends inside a <%s>", walk_line(&w), f->point);
	}
	xmlFreeTextReader(w.reader);
	if (w.failed)
		return -1;
	stint_wearable_skips_warn(out, &w.skips);
	return 0;
}

int stint_wearable_parse_gpx(const char *data, size_t n, stint_tracks *out, char *err, size_t errsize)
{
	return parse_xml(&gpx_format, data, n, out, err, errsize);
}

int stint_wearable_parse_tcx(const char *data, size_t n, stint_tracks *out, char *err, size_t errsize)
{
	return parse_xml(&tcx_format, data, n, out, err, errsize);
}
