/*
 * wearable-epts.c: EPTS tracking files (see wearable-epts.h). The metadata
 * is small: read whole with libxml2's tree parser (no network, no entity
 * substitution); the frames are split as its DataFormatSpecification says.
 */
#include "wearable-epts.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "wearable-build.h"
#include "wearable-csv.h"

#define EPTS_MAX_NODES 1024
#define EPTS_MAX_CHILDREN 64
#define EPTS_MAX_DEPTH 8
#define EPTS_MAX_LINE 65536
#define EPTS_MAX_PLAYERS 256

enum epts_kind { EPTS_SKIP, EPTS_FRAME, EPTS_X, EPTS_Y, EPTS_SPEED, EPTS_SPLIT };

/* One register of the format: a split into children, or a leaf value. */
struct epts_node {
	enum epts_kind kind;
	char separator;
	int track;                           /* leaves of a player: the track */
	int children[EPTS_MAX_CHILDREN];
	int n_children;
};

struct epts {
	struct epts_node nodes[EPTS_MAX_NODES];
	int n_nodes;
	xmlDocPtr doc;
	xmlNodePtr channels, players, teams;
	double rate, length_m, width_m;
	char ids[EPTS_MAX_PLAYERS][64];      /* the player id of each track */
	stint_tracks *out;
	char *err;
	size_t errsize;
};

/* The child element of parent named name (local name), or NULL. */
static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent != NULL ? parent->children : NULL; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

/* The first element named name anywhere under node (depth first), or NULL. */
static xmlNodePtr find(xmlNodePtr node, const char *name)
{
	for (xmlNodePtr c = node != NULL ? node->children : NULL; c != NULL; c = c->next) {
		xmlNodePtr hit;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, name) == 0)
			return c;
		if ((hit = find(c, name)) != NULL)
			return hit;
	}
	return NULL;
}

/* The text of element e as a number, or fallback. */
static double text_number(xmlNodePtr e, double fallback)
{
	xmlChar *text = e != NULL ? xmlNodeGetContent(e) : NULL;
	double v = fallback;

	if (text != NULL && (stint_wearable_number((const char *)text, &v) != 0 || isnan(v) || v <= 0))
		v = fallback;
	xmlFree(text);
	return v;
}

/* 1 when element e's attribute attr equals value. */
static int attr_is(xmlNodePtr e, const char *attr, const char *value)
{
	xmlChar *a = xmlGetProp(e, BAD_CAST attr);
	int same = a != NULL && strcmp((const char *)a, value) == 0;

	xmlFree(a);
	return same;
}

/* The element under list whose attribute attr is value, or NULL. */
static xmlNodePtr lookup(xmlNodePtr list, const char *attr, const char *value)
{
	for (xmlNodePtr c = list != NULL ? list->children : NULL; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && attr_is(c, attr, value))
			return c;
	return NULL;
}

static int meta_fail(struct epts *e, xmlNodePtr at, const char *reason)
{
	return stint_wearable_err(e->err, e->errsize, "metadata line %ld: %s", at != NULL ? xmlGetLineNo(at) : 1L,
				  reason);
}

/* The track of player id (added at its first channel): label "<team name>_<shirt>". */
static int player_track(struct epts *e, const char *player_id)
{
	xmlNodePtr player = lookup(e->players, "id", player_id), team;
	xmlChar *team_id, *name = NULL, *shirt = NULL;
	char label[128];

	for (size_t i = 0; i < e->out->n; i++)
		if (strcmp(e->ids[i], player_id) == 0)
			return (int)i;
	if (e->out->n >= EPTS_MAX_PLAYERS)
		return -1;
	team_id = player != NULL ? xmlGetProp(player, BAD_CAST "teamId") : NULL;
	team = team_id != NULL ? lookup(e->teams, "id", (const char *)team_id) : NULL;
	if (team != NULL && child(team, "Name") != NULL)
		name = xmlNodeGetContent(child(team, "Name"));
	if (player != NULL && child(player, "ShirtNumber") != NULL)
		shirt = xmlNodeGetContent(child(player, "ShirtNumber"));
	snprintf(label, sizeof(label), "%s_%s", name != NULL ? (const char *)name : "team",
		 shirt != NULL ? (const char *)shirt : player_id);
	xmlFree(team_id);
	xmlFree(name);
	xmlFree(shirt);
	for (char *p = label; *p != '\0'; p++)
		*p = *p == ' ' ? '_' : (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	if (stint_tracks_add(e->out, label) == NULL)
		return -1;
	snprintf(e->ids[e->out->n - 1], sizeof(e->ids[0]), "%s", player_id);
	return (int)e->out->n - 1;
}

/* A leaf register: a player's channel, the frame count, or something left out. */
static int leaf(struct epts *e, xmlNodePtr reg, struct epts_node *node)
{
	xmlChar *ref, *kind, *player;
	xmlNodePtr channel;

	node->kind = EPTS_SKIP;
	if (strcmp((const char *)reg->name, "StringRegister") == 0 && attr_is(reg, "name", "frameCount")) {
		node->kind = EPTS_FRAME;
		return 0;
	}
	if (strcmp((const char *)reg->name, "PlayerChannelRef") != 0)
		return 0;
	ref = xmlGetProp(reg, BAD_CAST "playerChannelId");
	channel = ref != NULL ? lookup(e->channels, "id", (const char *)ref) : NULL;
	xmlFree(ref);
	if (channel == NULL)
		return meta_fail(e, reg, "a PlayerChannelRef without its PlayerChannel");
	kind = xmlGetProp(channel, BAD_CAST "channelId");
	player = xmlGetProp(channel, BAD_CAST "playerId");
	if (kind != NULL && player != NULL) {
		if (strcmp((const char *)kind, "x") == 0)
			node->kind = EPTS_X;
		else if (strcmp((const char *)kind, "y") == 0)
			node->kind = EPTS_Y;
		else if (strcmp((const char *)kind, "s") == 0)
			node->kind = EPTS_SPEED;
		if (node->kind != EPTS_SKIP && (node->track = player_track(e, (const char *)player)) < 0) {
			xmlFree(kind);
			xmlFree(player);
			return stint_wearable_err(e->err, e->errsize, "out of memory or more than %d players",
						  EPTS_MAX_PLAYERS);
		}
	}
	xmlFree(kind);
	xmlFree(player);
	return 0;
}

/* The register reg (DataFormatSpecification, SplitRegister or a leaf) as node index *out. */
static int build(struct epts *e, xmlNodePtr reg, int depth, int *out)
{
	struct epts_node *node;
	xmlChar *sep;
	int index;

	if (e->n_nodes >= EPTS_MAX_NODES || depth > EPTS_MAX_DEPTH)
		return meta_fail(e, reg, "the data format is too large or too deep");
	index = e->n_nodes++;
	node = &e->nodes[index];
	memset(node, 0, sizeof(*node));
	*out = index;
	sep = xmlGetProp(reg, BAD_CAST "separator");
	if (sep == NULL)
		return leaf(e, reg, node);
	if (strlen((const char *)sep) != 1) {
		xmlFree(sep);
		return meta_fail(e, reg, "a separator that is not one character");
	}
	node->kind = EPTS_SPLIT;
	node->separator = (char)sep[0];
	xmlFree(sep);
	for (xmlNodePtr c = reg->children; c != NULL; c = c->next) {
		int k;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (node->n_children >= EPTS_MAX_CHILDREN)
			return meta_fail(e, c, "a register with too many parts");
		if (build(e, c, depth + 1, &k) != 0)
			return -1;
		node = &e->nodes[index];
		node->children[node->n_children++] = k;
	}
	if (node->n_children == 0)
		return meta_fail(e, reg, "an empty register");
	return 0;
}

/* The per-frame values being read. */
struct epts_frame {
	double frame;
	stint_sample *samples;    /* one per track */
};

/* Split text (len bytes) as node says into frame; 0 or -1 with err. */
static int split(struct epts *e, int index, const char *text, size_t len, struct epts_frame *f, unsigned long line)
{
	const struct epts_node *node = &e->nodes[index];
	char value[64];
	double v;

	if (node->kind == EPTS_SPLIT) {
		size_t start = 0;

		for (int i = 0; i < node->n_children; i++) {
			const char *hit = i + 1 < node->n_children ? memchr(text + start, node->separator, len - start) : NULL;
			size_t end = hit != NULL ? (size_t)(hit - text) : len;

			if (i + 1 < node->n_children && hit == NULL)
				return stint_wearable_err(e->err, e->errsize, "line %lu: %d parts separated by \"%c\" "
							  "expected, %d found", line, node->n_children, node->separator, i + 1);
			if (split(e, node->children[i], text + start, end - start, f, line) != 0)
				return -1;
			start = end + 1;
		}
		return 0;
	}
	if (node->kind == EPTS_SKIP)
		return 0;
	if (len >= sizeof(value))
		len = sizeof(value) - 1;
	memcpy(value, text, len);
	value[len] = '\0';
	if (stint_wearable_number(value, &v) != 0)
		return stint_wearable_err(e->err, e->errsize, "line %lu: \"%.40s\" is not a number", line, value);
	if (node->kind == EPTS_FRAME)
		f->frame = v;
	else if (node->kind == EPTS_X)
		f->samples[node->track].x_m = v * e->length_m;
	else if (node->kind == EPTS_Y)
		f->samples[node->track].y_m = v * e->width_m;
	else
		f->samples[node->track].speed_mps = v;
	return 0;
}

/* Read the metadata: tracks for the players, the format tree (root node 0). */
static int read_metadata(struct epts *e, const char *meta, size_t meta_n)
{
	xmlNodePtr root, spec;
	int top;

	if (meta_n > INT_MAX)
		return stint_wearable_err(e->err, e->errsize, "the metadata is too large");
	e->doc = xmlReadMemory(meta, (int)meta_n, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			       XML_PARSE_NOWARNING);
	if (e->doc == NULL) {
		const xmlError *x = xmlGetLastError();

		return stint_wearable_err(e->err, e->errsize, "metadata line %d: %s", x != NULL && x->line > 0 ?
					  x->line : 1, "not well-formed XML");
	}
	root = xmlDocGetRootElement(e->doc);
	spec = find(root, "DataFormatSpecification");
	e->channels = find(root, "PlayerChannels");
	e->players = find(root, "Players");
	e->teams = find(root, "Teams");
	if (spec == NULL)
		return meta_fail(e, root, "no DataFormatSpecification");
	e->rate = text_number(find(root, "FrameRate"), 25);
	e->length_m = text_number(find(find(root, "FieldSize"), "Width"), STINT_PITCH_LENGTH_M);
	e->width_m = text_number(find(find(root, "FieldSize"), "Height"), STINT_PITCH_WIDTH_M);
	if (build(e, spec, 0, &top) != 0)
		return -1;
	if (e->out->n == 0)
		return meta_fail(e, spec, "no player channel in the data format");
	return 0;
}

static int read_frames(struct epts *e, const char *data, size_t n, stint_sample *samples)
{
	stint_wearable_skips skips = { 0 };
	struct epts_frame f = { 0, samples };
	unsigned long line = 0;
	size_t start = 0;

	while (start < n) {
		const char *nl = memchr(data + start, '\n', n - start);
		size_t end = nl != NULL ? (size_t)(nl - data) : n, len = end - start;

		line++;
		if (len > 0 && data[start + len - 1] == '\r')
			len--;
		if (len > 0) {
			f.frame = NAN;
			for (size_t i = 0; i < e->out->n; i++)
				stint_sample_clear(&samples[i]);
			if (len > EPTS_MAX_LINE)
				return stint_wearable_err(e->err, e->errsize, "line %lu: longer than %d bytes", line,
							  EPTS_MAX_LINE);
			if (split(e, 0, data + start, len, &f, line) != 0)
				return -1;
			if (isnan(f.frame))
				return stint_wearable_err(e->err, e->errsize, "line %lu: no frame number", line);
			for (size_t i = 0; i < e->out->n; i++) {
				samples[i].t_s = f.frame / e->rate;
				if (stint_track_append(&e->out->tracks[i], &samples[i], line, &skips) != 0)
					return stint_wearable_err(e->err, e->errsize, "out of memory");
			}
		}
		start = end + 1;
	}
	stint_wearable_skips_warn(e->out, &skips);
	return 0;
}

int stint_wearable_parse_epts(const char *data, size_t n, const char *meta, size_t meta_n, stint_tracks *out,
			      char *err, size_t errsize)
{
	struct epts *e = calloc(1, sizeof(*e));
	stint_sample *samples = NULL;
	int rc = -1;

	if (e == NULL)
		return stint_wearable_err(err, errsize, "out of memory");
	e->out = out;
	e->err = err;
	e->errsize = errsize;
	if (read_metadata(e, meta, meta_n) != 0)
		goto out;
	if ((samples = calloc(out->n, sizeof(*samples))) == NULL) {
		stint_wearable_err(err, errsize, "out of memory");
		goto out;
	}
	rc = read_frames(e, data, n, samples);
out:
	free(samples);
	xmlFreeDoc(e->doc);
	free(e);
	return rc;
}
