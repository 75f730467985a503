/* vbcharts.c: volleyball charts as inline SVG (see vbcharts.h). */
#include "vbcharts.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"

#define CELL 60                 /* one zone is 3 m x 3 m: 60 units */
#define HALF (3 * CELL)         /* a half court: 9 m x 9 m */
#define PAD 20

/* The zone shown in row r (0 at the net), column c (0 on the left) of a half seen from its own baseline. */
static const int own_half[3][3] = { { 4, 3, 2 }, { 7, 8, 9 }, { 5, 6, 1 } };

static int side_index(char team)
{
	return team == 'A' ? 0 : team == 'B' ? 1 : -1;
}

static int zone_of(const cJSON *payload, const char *key)
{
	const cJSON *z = cJSON_GetObjectItem(payload, key);
	double v = cJSON_IsNumber(z) ? z->valuedouble : 0;

	return v >= 1 && v <= 9 && v == (int)v ? (int)v : 0;
}

/* The shirt number of event as text ("" when none). */
static void number_of(const cJSON *event, char out[8])
{
	const cJSON *n = cJSON_GetObjectItem(event, "actor_number");

	out[0] = '\0';
	if (cJSON_IsString(n) && strlen(n->valuestring) < 8)
		snprintf(out, 8, "%s", n->valuestring);
	else if (cJSON_IsNumber(n) && n->valueint >= 0 && n->valueint <= 999)
		snprintf(out, 8, "%d", n->valueint);
}

void stint_vbc_count(stint_vbc_tally *t, const cJSON *event, const stint_ms_state *st, char team,
		     const char *number)
{
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(event, "event_type"));
	const char *side = cJSON_GetStringValue(cJSON_GetObjectItem(event, "actor_team"));
	const cJSON *payload = cJSON_GetObjectItem(event, "payload");
	char num[8];
	int k, r, from, to;

	if (type == NULL)
		return;
	if (strcmp(type, "point") == 0 && st->outcome != STINT_MS_NO_RALLY && side_index(st->rally_won_by) >= 0) {
		for (k = 0; k < 2; k++) {
			r = st->rotation[k] >= 1 && st->rotation[k] <= 6 ? st->rotation[k] - 1 : 0;
			if (st->rally_won_by == (k == 0 ? 'A' : 'B'))
				t->rot_won[k][r]++;
			else
				t->rot_lost[k][r]++;
		}
		return;
	}
	if (side == NULL || side_index(side[0]) < 0 || side[1] != '\0' || (team != 0 && side[0] != team))
		return;
	number_of(event, num);
	if (number != NULL && strcmp(num, number) != 0)
		return;
	to = zone_of(payload, "end_zone");
	if (strcmp(type, "attack") == 0) {
		from = zone_of(payload, "start_zone");
		if (from && to)
			t->attack[from][to]++;
	} else if (strcmp(type, "serve") == 0 && to) {
		t->serve[to]++;
	} else if (strcmp(type, "reception") == 0 && to) {
		t->reception[to]++;
	}
}

/* Whether id is 1..40 bytes of [a-z0-9-]. */
static int good_id(const char *id)
{
	size_t n = strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-");

	return n > 0 && n <= 40 && id[n] == '\0';
}

/* <svg ...><title id>title</title><desc id>desc</desc>: the accessible head of a chart. */
static int head(stint_buf *out, const char *id, int w, int h, const char *title, const char *desc)
{
	int rc = stint_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"%s\""
				  " viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s-t\" aria-describedby=\"%s-d\">"
				  "<title id=\"%s-t\">", id, w, h, id, id, id);

	rc |= stint_html_txt(out, title);
	rc |= stint_buf_printf(out, "</title><desc id=\"%s-d\">", id);
	rc |= stint_html_txt(out, desc);
	rc |= stint_buf_puts(out, "</desc>");
	return rc;
}

/* A half court's outline and zone lines at (x, y). */
static int court_half(stint_buf *out, int x, int y)
{
	return stint_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
				" stroke=\"#334155\" stroke-width=\"2\"/>", x, y, HALF, HALF) |
	       stint_buf_printf(out, "<path d=\"M%d %dv%dM%d %dv%dM%d %dh%dM%d %dh%d\" stroke=\"#94a3b8\""
				" stroke-dasharray=\"4 4\" fill=\"none\"/>", x + CELL, y, HALF, x + 2 * CELL, y, HALF,
				x, y + CELL, HALF, x, y + 2 * CELL, HALF);
}

/* The centre of zone z on the lower half (own side, net at its top) or the upper (mirrored) one. */
static void zone_centre(int z, int upper, int *cx, int *cy)
{
	int r, c;

	for (r = 0; r < 3; r++)
		for (c = 0; c < 3; c++)
			if (own_half[r][c] == z) {
				if (upper) {
					*cx = PAD + (2 - c) * CELL + CELL / 2;
					*cy = PAD + HALF - (r + 1) * CELL + CELL / 2;
				} else {
					*cx = PAD + c * CELL + CELL / 2;
					*cy = PAD + HALF + r * CELL + CELL / 2;
				}
				return;
			}
}

int stint_vbc_attack_svg(stint_buf *out, const stint_vbc_tally *t, const char *id, const char *title)
{
	char desc[256];
	int from, to, max = 0, total = 0, bf = 0, bt = 0, rc, x1, y1, x2, y2, level, n;

	if (!good_id(id))
		return -1;
	for (from = 1; from <= 9; from++)
		for (to = 1; to <= 9; to++) {
			total += t->attack[from][to];
			if (t->attack[from][to] > max) {
				max = t->attack[from][to];
				bf = from;
				bt = to;
			}
		}
	if (total == 0)
		snprintf(desc, sizeof(desc), "No attacks with a start and an end zone.");
	else
		snprintf(desc, sizeof(desc), "%d attacks with a start and an end zone; the most frequent direction is"
			 " from zone %d to zone %d (%d).", total, bf, bt, max);
	rc = head(out, id, HALF + 2 * PAD, 2 * HALF + 2 * PAD, title, desc);
	rc |= stint_buf_printf(out, "<defs><marker id=\"%s-h\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\""
			       " markerWidth=\"4\" markerHeight=\"4\" orient=\"auto-start-reverse\">"
			       "<path d=\"M0 0L10 5L0 10z\" fill=\"#b91c1c\"/></marker></defs>", id);
	rc |= court_half(out, PAD, PAD) | court_half(out, PAD, PAD + HALF);
	rc |= stint_buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#0f172a\""
			       " stroke-width=\"4\"/>", PAD - 8, PAD + HALF, PAD + HALF + 8, PAD + HALF);
	for (from = 1; from <= 9; from++) {
		zone_centre(from, 0, &x1, &y1);
		zone_centre(from, 1, &x2, &y2);
		rc |= stint_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"zone-label\" text-anchor=\"middle\""
				       " font-size=\"12\" fill=\"#64748b\">%d</text>", x1 - 18, y1 + 22, from);
		rc |= stint_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"zone-label\" text-anchor=\"middle\""
				       " font-size=\"12\" fill=\"#64748b\">%d</text>", x2 - 18, y2 + 22, from);
	}
	/* the rarest first, so the most frequent arrows lie on top */
	for (level = 1; level <= max; level++)
		for (from = 1; from <= 9; from++)
			for (to = 1; to <= 9; to++) {
				n = t->attack[from][to];
				if (n != level)
					continue;
				zone_centre(from, 0, &x1, &y1);
				zone_centre(to, 1, &x2, &y2);
				rc |= stint_buf_printf(out, "<line class=\"arrow\" data-from=\"%d\" data-to=\"%d\""
						       " data-count=\"%d\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
						       " stroke=\"#b91c1c\" stroke-opacity=\"0.75\" stroke-width=\"%.2f\""
						       " stroke-linecap=\"round\" marker-end=\"url(#%s-h)\">"
						       "<title>From zone %d to zone %d: %d</title></line>",
						       from, to, n, x1, y1, x2, y2, 1.5 + 7.5 * n / max, id, from, to, n);
			}
	rc |= stint_buf_puts(out, "</svg>");
	return rc ? -1 : 0;
}

/* The fill of a zone with share s (0..1): from slate-100 (241,245,249) to blue-700 (29,78,216). */
static void fill_of(double s, char out[8])
{
	int r = (int)(241 + (29 - 241) * s + 0.5), g = (int)(245 + (78 - 245) * s + 0.5), b = (int)(249 + (216 - 249) * s + 0.5);

	snprintf(out, 8, "#%02x%02x%02x", r & 0xff, g & 0xff, b & 0xff);
}

int stint_vbc_zones_svg(stint_buf *out, const int zones[10], const char *what, const char *id, const char *title)
{
	char desc[256], fill[8];
	int z, r, c, max = 0, total = 0, best = 0, rc;
	double s;

	if (!good_id(id))
		return -1;
	for (z = 1; z <= 9; z++) {
		total += zones[z];
		if (zones[z] > max) {
			max = zones[z];
			best = z;
		}
	}
	if (total == 0)
		snprintf(desc, sizeof(desc), "No %s with a zone.", what);
	else
		snprintf(desc, sizeof(desc), "%d %s by zone; the most in zone %d (%d).", total, what, best, max);
	rc = head(out, id, HALF + 2 * PAD, HALF + 2 * PAD, title, desc);
	for (r = 0; r < 3; r++)
		for (c = 0; c < 3; c++) {
			z = own_half[r][c];
			s = max > 0 ? (double)zones[z] / max : 0;
			fill_of(s, fill);
			rc |= stint_buf_printf(out, "<rect class=\"zone\" data-zone=\"%d\" data-count=\"%d\" x=\"%d\""
					       " y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>Zone %d: %d</title>"
					       "</rect>", z, zones[z], PAD + c * CELL, PAD + r * CELL, CELL, CELL, fill, z,
					       zones[z]);
			rc |= stint_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"18\""
					       " font-weight=\"bold\" fill=\"%s\">%d</text>", PAD + c * CELL + CELL / 2,
					       PAD + r * CELL + CELL / 2 + 6, s > 0.5 ? "#ffffff" : "#0f172a", zones[z]);
			rc |= stint_buf_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"%s\">%d</text>",
					       PAD + c * CELL + 4, PAD + r * CELL + 12, s > 0.5 ? "#e2e8f0" : "#475569", z);
		}
	rc |= court_half(out, PAD, PAD);
	rc |= stint_buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#0f172a\""
			       " stroke-width=\"4\"/><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\""
			       " fill=\"#334155\">net</text></svg>", PAD - 8, PAD, PAD + HALF + 8, PAD, PAD + HALF / 2, PAD - 6);
	return rc ? -1 : 0;
}

#define BAR_W 16
#define BAR_H 100               /* the largest count */
#define PANEL_W 300
#define PANEL_H 150

int stint_vbc_rotation_svg(stint_buf *out, const stint_vbc_tally *t, const char *const names[2], const char *id,
			   const char *title)
{
	char desc[512];
	int k, r, max = 0, rc, x, y0, h, won[2] = { 0, 0 }, lost[2] = { 0, 0 };

	if (!good_id(id))
		return -1;
	for (k = 0; k < 2; k++)
		for (r = 0; r < 6; r++) {
			won[k] += t->rot_won[k][r];
			lost[k] += t->rot_lost[k][r];
			if (t->rot_won[k][r] > max)
				max = t->rot_won[k][r];
			if (t->rot_lost[k][r] > max)
				max = t->rot_lost[k][r];
		}
	snprintf(desc, sizeof(desc), "Rallies won and lost in each rotation, 1 to 6. %.100s: %d won, %d lost; %.100s: %d"
		 " won, %d lost.", names[0], won[0], lost[0], names[1], won[1], lost[1]);
	rc = head(out, id, 2 * PANEL_W + PAD, PANEL_H + 30, title, desc);
	for (k = 0; k < 2; k++) {
		x = PAD / 2 + k * PANEL_W;
		y0 = 20 + BAR_H + 8;
		rc |= stint_buf_printf(out, "<text x=\"%d\" y=\"14\" font-size=\"13\" font-weight=\"bold\""
				       " fill=\"#0f172a\">", x);
		rc |= stint_html_txt(out, names[k]);
		rc |= stint_buf_printf(out, "</text><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#334155\"/>",
				       x, y0, x + PANEL_W - 20, y0);
		for (r = 0; r < 6; r++) {
			int bx = x + 6 + r * 46, n;
			const char *cls;
			int j;

			for (j = 0; j < 2; j++) {
				n = j == 0 ? t->rot_won[k][r] : t->rot_lost[k][r];
				cls = j == 0 ? "won" : "lost";
				h = max > 0 ? (n * BAR_H + max / 2) / max : 0;
				rc |= stint_buf_printf(out, "<rect class=\"%s\" data-team=\"%c\" data-rotation=\"%d\""
						       " data-count=\"%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
						       " fill=\"%s\"><title>Rotation %d, %s: %d</title></rect>",
						       cls, k == 0 ? 'A' : 'B', r + 1, n, bx + j * BAR_W, y0 - h, BAR_W - 2, h,
						       j == 0 ? "#1d4ed8" : "#94a3b8", r + 1, cls, n);
				rc |= stint_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\""
						       " fill=\"#0f172a\">%d</text>", bx + j * BAR_W + BAR_W / 2 - 1,
						       y0 - h - 3, n);
			}
			rc |= stint_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\""
					       " fill=\"#334155\">R%d</text>", bx + BAR_W - 1, y0 + 14, r + 1);
		}
	}
	rc |= stint_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#1d4ed8\"/>"
			       "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#334155\">won</text>"
			       "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#94a3b8\"/>"
			       "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#334155\">lost</text></svg>",
			       PAD / 2, PANEL_H + 14, PAD / 2 + 14, PANEL_H + 23, PAD / 2 + 50, PANEL_H + 14,
			       PAD / 2 + 64, PANEL_H + 23);
	return rc ? -1 : 0;
}
